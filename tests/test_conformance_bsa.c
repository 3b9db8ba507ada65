/* SPDX-License-Identifier: MIT */
/*
 * Conformance: what Arm's BSA ACS (test_pool/smmu, val/sys_arch_src/smmu_v3)
 * reads and checks, and the firmware bring-up habits of FreeBSD, Hafnium and
 * TF-A (the facts sheet's "Drivers seen in the wild"), re-enacted against the
 * model through the API.md entry points only.
 *
 * BSA facts used (our own code):
 * - SMMUv3 identified by AIDR.ArchMajorRev 0 (v3.x), ArchMinorRev the x;
 *   B_SMMU_18 wants IDR0.S2P; B_SMMU_06 reads IDR5.OAS (6 = 52 bits).
 * - smmu_probe: ST_LEVEL, CD2L, HYP, S1P/S2P, TTF must include AArch64,
 *   IDR1 without TABLES/QUEUES_PRESET, command queue LOG2SIZE = IDR1.CMDQS
 *   (the maximum), SIDSIZE/SSIDSIZE, OAS.
 * - smmu_reset: CR0 = 0 with CR0ACK poll, CR1 = ISH/WB, CR2 = 0 (no
 *   RECINVSID), STRTAB_BASE | RA, STRTAB_BASE_CFG (2-level: SPLIT 8), CMDQ
 *   base | RWA, PROD/CONS, CR0 = CMDQEN, then CFGI_ALL, TLBI_EL2_ALL (HYP),
 *   TLBI_NSNH_ALL, CMD_SYNC each with its own PROD write, poll until CONS ==
 *   PROD, CR0 = CMDQEN | SMMUEN. No event queue.
 * - val_smmu_map: L2 stream tables of abort STEs (dw1 SHCFG incoming) made on
 *   demand with L1 SPAN = SPLIT + 1; stage 1 STE (S1DSS SSID0, S1C* WBRA/ISH,
 *   EATS 1), CD (TCR | R | A | ASET | AA64 | V, ASID 0, EPD1); stage 2 STE
 *   (STRW = EL2, EATS 1, VTCR, S2PTW, S2AA64, S2R, VMID 0).
 * - val_smmu_disable/enable: read CR0, flip SMMUEN, write, poll CR0ACK.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "rawdrv.h"
#include "regfx.h"
#include "smmu_regs.h"
#include "test_main.h"

#define SPLIT 8u

#define STRTAB_PA 0x10000000ull
#define CMDQ_PA 0x80000000ull    /* 2^19 commands: 8MB, aligned to its size */
#define TBL_PA 0x20000000ull

typedef drv bsa;

/* smmu_cmdq_write_cmd: one command, one PROD write (read back from the register) */
static void cmdq_write_cmd(bsa *b, uint64_t w0, uint64_t w1)
{
    uint32_t prod = rd32(b, CMDQ_PROD);
    uint64_t slot = CMDQ_PA + (uint64_t)(prod & ((1u << b->cmdq_log2) - 1)) * 16;
    mw64(b, slot, w0);
    mw64(b, slot + 8, w1);
    prod = (prod + 1) & ((2u << b->cmdq_log2) - 1);
    wr32(b, CMDQ_PROD, prod);
}

/* smmu_tlbi_cfgi + smmu_cmdq_poll_until_consumed */
static void tlbi_cfgi(bsa *b)
{
    cmdq_write_cmd(b, 0x04, 31);                 /* CFGI_ALL */
    if (rd32(b, IDR0) & (1u << 9))
        cmdq_write_cmd(b, 0x20, 0);              /* TLBI_EL2_ALL */
    cmdq_write_cmd(b, 0x30, 0);                  /* TLBI_NSNH_ALL */
    cmdq_write_cmd(b, 0x46, 0);                  /* CMD_SYNC */
    uint32_t mask = (2u << b->cmdq_log2) - 1;
    assert_int_equal(rd32(b, CMDQ_CONS) & mask, rd32(b, CMDQ_PROD) & mask);
    assert_int_equal(rd32(b, GERROR), rd32(b, GERRORN));
}

/* smmu_init: probe, queue and stream table, reset */
static void smmu_init(bsa *b)
{
    uint32_t idr0 = rd32(b, IDR0);
    assert_true(idr0 & 3u);
    unsigned ttf = (idr0 >> 2) & 3;
    assert_true(ttf == 2 || ttf == 3);
    uint32_t idr1 = rd32(b, IDR1);
    assert_int_equal(idr1 & (3u << 29), 0);
    b->cmdq_log2 = (idr1 >> 21) & 31;
    b->sid_bits = idr1 & 0x3F;
    b->two_level = ((idr0 >> 27) & 3) == 1 && b->sid_bits > SPLIT;
    assert_true((rd32(b, IDR5) & 7) < 7);

    uint32_t cfg;
    if (b->two_level) {
        cfg = 1u << 16 | b->sid_bits | SPLIT << 6; /* L1 descriptors left at 0 */
    } else {
        cfg = b->sid_bits;
        for (uint32_t i = 0; i < (1u << b->sid_bits); i++) {
            mw64(b, STRTAB_PA + i * 64ull, 1);
            mw64(b, STRTAB_PA + i * 64ull + 8, 1ull << 44);
        }
    }

    write_reg_sync(b, CR0, CR0ACK, 0);
    wr32(b, CR1, 3u << 10 | 3u << 4 | 1u << 6 | 1u << 0 | 1u << 8 | 1u << 2);
    wr32(b, CR2, 0);
    wr64(b, STRTAB_BASE, STRTAB_PA | 1ull << 62);
    wr32(b, STRTAB_BASE_CFG, cfg);
    wr64(b, CMDQ_BASE, 1ull << 62 | CMDQ_PA | b->cmdq_log2);
    wr32(b, CMDQ_PROD, 0);
    wr32(b, CMDQ_CONS, 0);
    write_reg_sync(b, CR0, CR0ACK, CR0_CMDQEN);
    tlbi_cfgi(b);
    write_reg_sync(b, CR0, CR0ACK, CR0_CMDQEN | CR0_SMMUEN);
}

/* smmu_strtab_init_level2 + smmu_strtab_get_ste_for_sid */
static uint64_t ste_for_sid(bsa *b, uint32_t sid)
{
    if (!b->two_level)
        return STRTAB_PA + sid * 64ull;
    uint64_t l1 = STRTAB_PA + (sid >> SPLIT) * 8ull;
    uint64_t d = mr64(b, l1);
    if (!d) {
        uint64_t l2 = dalloc(b, 64ull << SPLIT);
        for (uint32_t i = 0; i < (1u << SPLIT); i++) {
            mw64(b, l2 + i * 64ull, 1);                /* V, Config abort */
            mw64(b, l2 + i * 64ull + 8, 1ull << 44);   /* SHCFG incoming */
        }
        d = (SPLIT + 1) | l2;
        mw64(b, l1, d);
    }
    return (d & 0x000FFFFFFFFFFFC0ull) + (sid & ((1u << SPLIT) - 1)) * 64ull;
}

/* a 4-level, 4K stage 1 or stage 2 table mapping one page */
static void map_page(bsa *b, uint64_t root, uint64_t va, uint64_t pa, uint64_t attrs)
{
    uint64_t t = root;
    for (int level = 0; level < 3; level++) {
        uint64_t slot = t + ((va >> (39 - 9 * level)) & 511) * 8;
        uint64_t d = mr64(b, slot);
        if (!d) {
            d = dalloc(b, 4096) | 3;
            mw64(b, slot, d);
        }
        t = d & 0x0000FFFFFFFFF000ull;
    }
    mw64(b, t + ((va >> 12) & 511) * 8, pa | attrs | 3);
}

/* val_smmu_map, stage 1: CD (linear, one entry) then the STE, then invalidate all */
static uint64_t map_s1(bsa *b, uint32_t sid)
{
    uint64_t pgd = dalloc(b, 4096), cd = dalloc(b, 64);
    uint64_t tcr = 16 | 0ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 5ull << 32 | 1ull << 30 | 1ull << 41;
    mw64(b, cd + 8, pgd);
    mw64(b, cd + 16, 0);
    mw64(b, cd + 24, 0x000000000044FF04ull);     /* MAIR: Device-nGnRE, WB, NC */
    mw64(b, cd, tcr | 1ull << 45 | 1ull << 46 | 1ull << 47 | 1ull << 41 | 0ull << 48 | 1ull << 31);
    uint64_t ste = ste_for_sid(b, sid);
    mw64(b, ste + 8, 2ull | 1ull << 2 | 1ull << 4 | 3ull << 6 | 1ull << 28);  /* S1DSS SSID0, WBRA, ISH, EATS 1 */
    mw64(b, ste, 1 | cd | 5ull << 1 | 0ull << 59 | 0ull << 4);
    tlbi_cfgi(b);
    return pgd;
}

/* val_smmu_map, stage 2 */
static uint64_t map_s2(bsa *b, uint32_t sid)
{
    uint64_t vttbr = dalloc(b, 4096);
    uint64_t ste = ste_for_sid(b, sid);
    uint64_t vtcr = 16 | 2ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 5ull << 16;
    mw64(b, ste + 8, mr64(b, ste + 8) | 2ull << 30 | 1ull << 28);  /* STRW EL2, EATS 1 */
    mw64(b, ste + 16, 0 | vtcr << 32 | 1ull << 54 | 1ull << 51 | 1ull << 58);
    mw64(b, ste + 24, vttbr);
    mw64(b, ste, 1 | 6ull << 1);
    tlbi_cfgi(b);
    return vttbr;
}

static int xlate(bsa *b, uint32_t sid, uint64_t va, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = va, .flags = flags };
    memset(r, 0, sizeof(*r));
    return smmuv3_translate(b->s, &t, r);
}

/* a DMA through the test device: write the pattern at `iova`, read it back at `pa` */
static uint32_t dma(bsa *b, uint32_t sid, uint64_t iova, uint64_t pa, uint32_t len, uint32_t txn_attrs)
{
    smmuv3_testdev *d = smmuv3_testdev_new(b->s, &b->host, sid);
    assert_non_null(d);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_TXN_ATTRS, txn_attrs);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_LO, (uint32_t)iova);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_HI, (uint32_t)(iova >> 32));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_LO, (uint32_t)pa);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_HI, (uint32_t)(pa >> 32));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, len);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 1);
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    uint32_t res = smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT);
    smmuv3_testdev_free(d);
    return res;
}

/* cmocka fixture: *state is a driver of the default profile, tables at TBL_PA */
static int bsa_setup(void **state)
{
    bsa *b = test_malloc(sizeof(*b));
    drv_open(b, NULL, TBL_PA);
    *state = b;
    return 0;
}

static int bsa_teardown(void **state)
{
    drv_fini(*state);
    test_free(*state);
    return 0;
}

/* ================================================================ BSA */
static void tweak_oas52(smmuv3_config *c) { c->oas = 52; }

static void test_arch_revision_and_ids(void **state)
{
    bsa *b = *state;
    uint32_t aidr = rd32(b, AIDR);
    assert_int_equal(aidr, 0x02);                 /* SMMUv3.2 */
    assert_int_equal((aidr >> 4) & 15, 0);        /* ArchMajorRev: v3.x */
    assert_int_equal(rd32(b, IIDR), b->cfg.iidr);
    assert_int_equal(rd32(b, IDR0) & 1u, 1);      /* S2P (B_SMMU_18) */
    assert_int_equal(rd32(b, IDR5) & 7, 5);       /* OAS 48 bits */
    uint32_t idr0 = rd32(b, IDR0);
    assert_int_equal((idr0 >> 1) & 1, 1);         /* S1P (B_SMMU_08) */
    assert_int_equal((idr0 >> 12) & 1, 1);        /* ASID16 (B_SMMU_13) */
    assert_int_equal((idr0 >> 18) & 1, 1);        /* VMID16 (B_SMMU_23) */
    assert_int_equal((idr0 >> 4) & 1, 1);         /* COHACC (B_SMMU_21) */
    assert_int_equal((idr0 >> 21) & 3, 2);        /* TTENDIAN: little-endian PE is fine (i008) */
    assert_int_equal((rd32(b, IDR5) >> 10) & 3, 1); /* VAX: 52-bit VA (i005) */
    /* v3.2 without MPAM: IDR3.MPAM = 0, SMMU_MPAMIDR (0x130) reads 0 */
    assert_int_equal((rd32(b, 0x0C) >> 7) & 1, 0);
    assert_int_equal(rd32(b, 0x130), 0);
    drv_fini(b);
    drv_open(b, tweak_oas52, TBL_PA);
    assert_int_equal(rd32(b, IDR5) & 7, 6);       /* OAS 52 bits (B_SMMU_06) */
}

/* smmu_init with a 2-level stream table and the largest command queue */
static void test_init_and_stage1_dma(void **state)
{
    bsa *b = *state;
    smmu_init(b);
    assert_true(b->two_level);
    assert_int_equal(b->cmdq_log2, 19);
    assert_int_equal(rd64(b, CMDQ_BASE), 1ull << 62 | CMDQ_PA | 19);
    assert_int_equal(rd32(b, CMDQ_PROD), rd32(b, IDR0) & (1u << 9) ? 4u : 3u);
    assert_int_equal(rd32(b, CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
    assert_int_equal(rd32(b, CR2), 0);
    assert_int_equal(rd32(b, STRTAB_BASE_CFG), 1u << 16 | 8u << 6 | 16u);

    const uint32_t sid = 0x0105;
    uint64_t pgd = map_s1(b, sid);
    /* AP = 01: read/write at any privilege; AttrIndx 1 (WB), SH inner, AF */
    map_page(b, pgd, 0x80000000ull, 0x30000000ull, 1ull << 6 | 1ull << 2 | 3ull << 8 | 1ull << 10);
    /* AP = 00: privileged only */
    map_page(b, pgd, 0x80001000ull, 0x30001000ull, 1ull << 2 | 3ull << 8 | 1ull << 10);
    assert_int_equal(mr64(b, STRTAB_PA + 8) & 31, 9);  /* L1 SPAN = SPLIT + 1 */

    assert_int_equal(dma(b, sid, 0x80000040ull, 0x30000040ull, 64, 0), 0);
    smmuv3_result r;
    assert_int_equal(xlate(b, sid, 0x80000FFFull, 0, &r), 0);
    assert_int_equal(r.pa, 0x30000FFFull);
    assert_int_equal(r.attrs.memattr, 0xFF);

    /* unprivileged DMA to a privileged-only page: F_PERMISSION (no event queue) */
    assert_int_equal(dma(b, sid, 0x80001000ull, 0x30001000ull, 4, 0), 0xDEAD0002u);
    assert_int_equal(xlate(b, sid, 0x80001000ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, 0x13);
    assert_int_equal(r.event, 0);
    /* privileged (TXN_ATTRS.PRIV) succeeds */
    assert_int_equal(dma(b, sid, 0x80001000ull, 0x30001000ull, 4, 1), 0);
    assert_int_equal(mr64(b, 0x30001000ull) & 0xFFFFFFFF, 0x12345678u);
}

static void test_stage2_dma_strw_el2(void **state)
{
    bsa *b = *state;
    smmu_init(b);
    const uint32_t sid = 0x2FF;
    uint64_t vttbr = map_s2(b, sid);
    uint64_t ste = ste_for_sid(b, sid);
    assert_int_equal(mr64(b, ste + 8), 1ull << 44 | 2ull << 30 | 1ull << 28);
    /* S2AP = 11, MemAttr Normal WB (0xF), SH inner, AF */
    map_page(b, vttbr, 0x40000000ull, 0x50000000ull, 3ull << 6 | 0xFull << 2 | 3ull << 8 | 1ull << 10);
    assert_int_equal(dma(b, sid, 0x40000100ull, 0x50000100ull, 256, 0), 0);
    smmuv3_result r;
    assert_int_equal(xlate(b, sid, 0x40000ABCull, 0, &r), 0);
    assert_int_equal(r.pa, 0x50000ABCull);
    /* an IPA not mapped */
    assert_int_equal(xlate(b, sid, 0x40001000ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, 0x10);
}

/* val_smmu_disable / val_smmu_enable; val_smmu_unmap writes an abort STE */
static void test_disable_enable_unmap(void **state)
{
    bsa *b = *state;
    smmu_init(b);
    const uint32_t sid = 7;
    uint64_t pgd = map_s1(b, sid);
    map_page(b, pgd, 0x1000, 0x7000, 1ull << 6 | 1ull << 2 | 3ull << 8 | 1ull << 10);
    smmuv3_result r;
    assert_int_equal(xlate(b, sid, 0x1234, 0, &r), 0);
    assert_int_equal(r.pa, 0x7234);

    uint32_t cr0 = rd32(b, CR0);
    write_reg_sync(b, CR0, CR0ACK, cr0 & ~CR0_SMMUEN);
    assert_int_equal(xlate(b, sid, 0x1234, 0, &r), 0);   /* GBPA bypass */
    assert_int_equal(r.pa, 0x1234);
    assert_true(r.bypass);
    cr0 = rd32(b, CR0);
    write_reg_sync(b, CR0, CR0ACK, cr0 | CR0_SMMUEN);
    assert_int_equal(xlate(b, sid, 0x1234, 0, &r), 0);
    assert_int_equal(r.pa, 0x7234);

    uint64_t ste = ste_for_sid(b, sid);
    mw64(b, ste, 1);
    mw64(b, ste + 8, 1ull << 44);
    mw64(b, ste + 16, 0);
    tlbi_cfgi(b);
    assert_int_equal(xlate(b, sid, 0x1234, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, 0);
}

/* CR2.RECINVSID == 0 (BSA leaves CR2 at 0): out-of-range StreamIDs abort silently */
static void test_bad_sid_without_recinvsid(void **state)
{
    bsa *b = *state;
    smmu_init(b);
    /* an event queue, so that a record would be visible */
    write_reg_sync(b, CR0, CR0ACK, 0);
    wr64(b, EVENTQ_BASE, 0x60000000ull | 4);
    wr32(b, EVENTQ_PROD, 0);
    wr32(b, EVENTQ_CONS, 0);
    write_reg_sync(b, CR0, CR0ACK, CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
    smmuv3_result r;
    assert_int_equal(xlate(b, 1u << 16, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(xlate(b, 0x4000, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);  /* L1 SPAN 0 */
    assert_int_equal(r.event, 0);
    assert_int_equal(rd32(b, EVENTQ_PROD), 0);
}

/* ================================================================ firmware habits */
/* TF-A: abort all NS traffic via GBPA (poll UPDATE), disable, poll CR0ACK;
 * the Secure programming interface is absent: S_IDR1 reads 0, S_INIT RAZ/WI */
static void test_tfa_abort_all_and_secure_regs(void **state)
{
    bsa *b = *state;
    assert_int_equal(rd32(b, S_IDR1), 0);       /* SECURE_IMPL == 0 */
    wr32(b, S_INIT, 1);                          /* INV_ALL */
    assert_int_equal(rd32(b, S_INIT), 0);        /* a poll for INV_ALL == 0 ends */
    wr32(b, GBPA, rd32(b, GBPA) | 1u << 20 | 1u << 31);
    assert_int_equal(rd32(b, GBPA) >> 31, 0);
    assert_int_equal(rd32(b, GBPA), 0x1000u | 1u << 20);
    write_reg_sync(b, CR0, CR0ACK, 0);
    smmuv3_result r;
    assert_int_equal(xlate(b, 0, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    /* a GBPA write without UPDATE is ignored */
    wr32(b, GBPA, 0x1000);
    assert_int_equal(rd32(b, GBPA), 0x1000u | 1u << 20);
}

/* FreeBSD: 64-bit reads of PROD/CONS pairs; PROD/CONS writable while the
 * queue is disabled; command processing done when the PROD write returns */
static void test_freebsd_queue_habits(void **state)
{
    static const regfx_step disabled_queues[] = {
        RF_W64(CMDQ_BASE, 0x61000000ull | 4),
        RF_W32(CMDQ_PROD, 5),
        RF_W32(CMDQ_CONS, 5),
        RF_R32(CMDQ_PROD, 5),
        RF_R32(CMDQ_CONS, 5),
        RF_R64(CMDQ_PROD, 5ull << 32 | 5),
        RF_W64(EVENTQ_BASE, 0x62000000ull | 4),
        RF_W32(EVENTQ_PROD, 3),
        RF_W32(EVENTQ_CONS, 3),
        RF_R64(EVENTQ_PROD, 3ull << 32 | 3),
    };
    bsa *b = *state;
    REGFX_RUN(b->s, disabled_queues);
    write_reg_sync(b, CR0, CR0ACK, CR0_CMDQEN | CR0_EVTQEN);
    assert_int_equal(rd32(b, CMDQ_CONS), 5);     /* nothing to do */
    /* two commands at slots 5 and 6: done as soon as PROD is written */
    mw64(b, 0x61000000ull + 5 * 16, 0x30);
    mw64(b, 0x61000000ull + 5 * 16 + 8, 0);
    mw64(b, 0x61000000ull + 6 * 16, 0x46);
    mw64(b, 0x61000000ull + 6 * 16 + 8, 0);
    wr32(b, CMDQ_PROD, 7);
    assert_int_equal(rd64(b, CMDQ_PROD), 7ull << 32 | 7);
    /* wrap: slots 7..15 and 0 (16 entries), PROD wraps to 0x10 | 1 */
    for (unsigned i = 7; i < 16; i++) {
        mw64(b, 0x61000000ull + i * 16, 0x46);
        mw64(b, 0x61000000ull + i * 16 + 8, 0);
    }
    mw64(b, 0x61000000ull, 0x46);
    mw64(b, 0x61000000ull + 8, 0);
    wr32(b, CMDQ_PROD, 0x11);
    assert_int_equal(rd32(b, CMDQ_CONS), 0x11);
    assert_int_equal(rd32(b, GERROR), 0);
}

/* Hafnium/TF-A style: IRQ_CTRL and its ACK; CR0ACK equals CR0 exactly; reset */
static void test_ack_registers_and_reset(void **state)
{
    static const regfx_step after_reset[] = {
        RF_R32(CR0, 0),
        RF_R32(CR0ACK, 0),
        RF_R32(GBPA, 0x1000),
        RF_R32(IRQ_CTRL, 0),
        RF_R32(IRQ_CTRLACK, 0),
        RF_R32(GERROR, 0),
        RF_R32(GERRORN, 0),
        RF_R32(AIDR, 0x02),
    };
    bsa *b = *state;
    write_reg_sync(b, IRQ_CTRL, IRQ_CTRLACK, 5);
    assert_int_equal(rd32(b, IRQ_CTRLACK), 5);
    smmu_init(b);
    assert_int_equal(rd32(b, CR0), rd32(b, CR0ACK));
    smmuv3_reset(b->s);
    REGFX_RUN(b->s, after_reset);
    /* after the reset the SMMU is disabled: bypass under GBPA */
    smmuv3_result r;
    assert_int_equal(xlate(b, 0x0105, 0xABC000, 0, &r), 0);
    assert_int_equal(r.pa, 0xABC000);
    /* and it can be brought up again the same way */
    smmu_init(b);
    assert_int_equal(rd32(b, CR0ACK), CR0_CMDQEN | CR0_SMMUEN);
}

TEST_MAIN_FX(bsa_setup, bsa_teardown, test_arch_revision_and_ids, test_init_and_stage1_dma, test_stage2_dma_strw_el2,
          test_disable_enable_unmap, test_bad_sid_without_recinvsid,
          test_tfa_abort_all_and_secure_regs, test_freebsd_queue_habits,
          test_ack_registers_and_reset)
