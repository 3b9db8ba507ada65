/* SPDX-License-Identifier: MIT */
/*
 * Conformance: QEMU's bare-metal SMMUv3 qtest (tests/qtest/iommu-smmuv3-test.c
 * with libqos/qos-smmuv3.c and qos-iommu-testdev.c) re-enacted against the
 * model through the API.md entry points only, with the iommu-testdev register
 * ABI; plus behaviours of hw/arm/smmuv3.c that the qtest relies on.
 *
 * The qtest's facts, reproduced here in our own code:
 * - memory: virt RAM at 0x40000000; tables at fixed offsets; one set of
 *   four table pages shared by stage 1 and stage 2 (each level-0..2 entry
 *   a table descriptor with NSTable set, 0x8000000000000003); stage 1 leaf
 *   attributes 0x0400000000000763, stage 2 leaf 0x04000000000007E3, stage 2
 *   pages that hold stage 1 tables 0x0400000000000763 (read-only at stage 2).
 * - STE: Config 5/6/7, S2T0SZ 0x14, S2SL0 2, S2TG 0, S2PS 5, S2AA64 1,
 *   S1ContextPtr = STRTAB - 0x40, S2TTB = the shared root; written as
 *   sixteen 32-bit words. CD: ASID 0x1E20, AA64, V, A, R, IPS 4, EPD1,
 *   T0SZ 16, TG0 4K, NSCFG0/1 = 1, TTB0 = the shared root.
 * - registers, in this order: GBPA = UPDATE, CR0 = 0, CR1 = 0xD75,
 *   CMDQ_BASE |= 0x0A, CMDQ_CONS, CMDQ_PROD, EVENTQ_BASE |= 0x0A,
 *   EVENTQ_PROD, EVENTQ_CONS, STRTAB_BASE_CFG = 5, STRTAB_BASE, CR0 = 0xD
 *   (no CR0ACK poll).
 * - DMA: GVA, GPA, LEN = 4, ATTRS, DBELL = 1, read DMA_TRIGGERING, poll
 *   RESULT until not busy; RESULT 0 and the GPA holds 78 56 34 12.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "regfx.h"
#include "smmu_new.h"
#include "smmu_regs.h"
#include "test_main.h"

/* the qtest's layout (with the non-secure RAM offset applied) */
#define RAM 0x40000000ull
#define IOVA 0x0000008080604567ull
#define VTTB (RAM + 0x0E4D0000ull)
#define STRTAB (RAM + 0x0E179000ull)
#define CD_GPA (STRTAB - 0x40)
#define CMDQ_Q (RAM + 0x0E16B000ull)
#define EVTQ_Q (RAM + 0x0E170000ull)
#define L0_VAL 0x0E4D1000ull
#define L1_VAL 0x0E4D2000ull
#define L2_VAL 0x0E4D3000ull
#define L3_VAL 0x0ECBA000ull
#define NON_LEAF 0x8000000000000003ull
#define LEAF_RO 0x04000000000007E3ull
#define LEAF_RW 0x0400000000000763ull
#define PTE_MASK 0x0000FFFFFFFFF000ull
#define GPA (RAM + L3_VAL + (IOVA & 0xFFF))
#define SID 8u  /* the testdev's devfn on the virt machine's root bus */
#define ASID 0x1E20u

enum mode { S1_ONLY, S2_ONLY, NESTED };

typedef struct env {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_testdev *dev;
    enum mode mode;
    uint32_t evt_cons;
} env;

static void w32(env *e, uint64_t off, uint32_t v) { smmuv3_mmio_write(e->s, off, v, 4); }
static uint32_t r32(env *e, uint64_t off) { return (uint32_t)smmuv3_mmio_read(e->s, off, 4); }
static uint64_t r64(env *e, uint64_t off) { return smmuv3_mmio_read(e->s, off, 8); }

static void writel(env *e, uint64_t pa, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    assert_int_equal(smmuv3_mem_write(e->mem, pa, b, 4), 0);
}

static uint32_t readl(env *e, uint64_t pa)
{
    uint8_t b[4];
    assert_int_equal(smmuv3_mem_read(e->mem, pa, b, 4), 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static void writeq(env *e, uint64_t pa, uint64_t v)
{
    writel(e, pa, (uint32_t)v);
    writel(e, pa + 4, (uint32_t)(v >> 32));
}

static uint64_t readq(env *e, uint64_t pa) { return readl(e, pa) | (uint64_t)readl(e, pa + 4) << 32; }

/* ------------------------------------------------------------ the qtest's tables */
static unsigned tbl_idx(uint64_t a, int level) { return (unsigned)(a >> (39 - 9 * level)) & 0x1FF; }
static uint64_t tbl_addr(uint64_t base, int level, uint64_t a) { return (base & PTE_MASK) + tbl_idx(a, level) * 8ull; }

static uint64_t pte_attrs(enum mode m, bool leaf)
{
    if (!leaf)
        return NON_LEAF;
    return (m == NESTED || m == S1_ONLY) ? LEAF_RW : LEAF_RO;
}

/* a full four-level stage 2 walk for `ipa` through the shared pages */
static void s2_walk_for(env *e, uint64_t ipa, enum mode m, bool is_final)
{
    uint64_t l0 = RAM + (L0_VAL | pte_attrs(m, false));
    uint64_t l1 = RAM + (L1_VAL | pte_attrs(m, false));
    uint64_t l2 = RAM + (L2_VAL | pte_attrs(m, false));
    writeq(e, tbl_addr(VTTB, 0, ipa), l0);
    writeq(e, tbl_addr(l0, 1, ipa), l1);
    writeq(e, tbl_addr(l1, 2, ipa), l2);
    uint64_t leaf = (ipa & PTE_MASK) | pte_attrs(is_final ? S2_ONLY : NESTED, true);
    writeq(e, tbl_addr(l2, 3, ipa), leaf);
}

static void setup_tables(env *e, uint64_t iova, bool is_cd, enum mode m)
{
    uint64_t l0 = RAM + (L0_VAL | pte_attrs(m, false));
    uint64_t l1 = RAM + (L1_VAL | pte_attrs(m, false));
    uint64_t l2 = RAM + (L2_VAL | pte_attrs(m, false));
    uint64_t leaf;
    if (!is_cd) {
        uint64_t vals[3] = { l0, l1, l2 };
        uint64_t table = VTTB & PTE_MASK;
        for (int level = 0; level < 3; level++) {
            uint64_t slot = tbl_addr(table, level, iova);
            s2_walk_for(e, slot, m, false);
            writeq(e, slot, vals[level]);
            table = vals[level] & PTE_MASK;
        }
        uint64_t slot = tbl_addr(table, 3, iova);
        leaf = RAM + (L3_VAL | pte_attrs(m, true));
        s2_walk_for(e, slot, m, false);
        writeq(e, slot, leaf);
    } else {
        leaf = iova | pte_attrs(NESTED, false);
    }
    s2_walk_for(e, leaf, m, !is_cd);
}

static void build_translation(env *e, enum mode m)
{
    uint32_t ste[16] = { 0 };
    ste[0] = 1u | (m == S1_ONLY ? 5u : m == S2_ONLY ? 6u : 7u) << 1;
    ste[0] |= (uint32_t)CD_GPA & ~0x3Fu;        /* S1ContextPtr 51:6 */
    ste[1] |= (uint32_t)(CD_GPA >> 32) & 0xFFFFF;
    ste[5] = 0x14 | 2u << 6 | 0u << 14 | 5u << 16 | 1u << 19; /* S2T0SZ, S2SL0, S2TG, S2PS, S2AA64 */
    ste[6] = (uint32_t)VTTB & ~0xFu;            /* S2TTB 51:4 */
    ste[7] = (uint32_t)(VTTB >> 32) & 0xFFFFF;
    uint64_t ste_pa = STRTAB + SID * 64ull;
    for (int i = 0; i < 16; i++)
        writel(e, ste_pa + 4ull * (unsigned)i, ste[i]);

    if (m != S2_ONLY) {
        uint32_t cd[16] = { 0 };
        cd[0] = 0x10 | 0u << 6;                                   /* T0SZ 16, TG0 4K */
        cd[0] |= 1u << 30 | 1u << 31;                             /* EPD1, V */
        cd[1] = 4u | 1u << 9 | 1u << 13 | 1u << 14 | ASID << 16;   /* IPS 4, AA64, R, A, ASID */
        cd[2] = ((uint32_t)VTTB & ~0xFu) | 1u;                    /* TTB0, NSCFG0 */
        cd[3] = (uint32_t)(VTTB >> 32) & 0xFFFFF;
        cd[4] = 1u;                                               /* NSCFG1 */
        for (int i = 0; i < 16; i++) {
            writel(e, CD_GPA + 4ull * (unsigned)i, cd[i]);
            assert_int_equal(readl(e, CD_GPA + 4ull * (unsigned)i), cd[i]);
        }
    }
    setup_tables(e, IOVA, false, m);
    if (m == NESTED)
        setup_tables(e, CD_GPA, true, m);
}

/* the qtest's register programming, in its order */
static const regfx_step bank[] = {
    RF_W32(GBPA, 0x80000000u),
    RF_W32(CR0, 0),
    RF_W32(CR1, 0x0D75),
    RF_W64(CMDQ_BASE, CMDQ_Q | 0x0A),
    RF_W32(CMDQ_CONS, 0),
    RF_W32(CMDQ_PROD, 0),
    RF_W64(EVENTQ_BASE, EVTQ_Q | 0x0A),
    RF_W32(EVENTQ_PROD, 0),
    RF_W32(EVENTQ_CONS, 0),
    RF_W32(STRTAB_BASE_CFG, 0x5),
    RF_W64(STRTAB_BASE, STRTAB),
    RF_W32(CR0, 0xD),
};

static void program_bank(env *e) { REGFX_RUN(e->s, bank); }

static env *env_new(enum mode m)
{
    env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->mode = m;
    e->s = tst_smmu_on_mem(NULL, &e->mem, &e->host);
    e->dev = smmuv3_testdev_new(e->s, &e->host, SID);
    assert_non_null(e->dev);
    return e;
}

static void env_free(env *e)
{
    smmuv3_testdev_free(e->dev);
    smmuv3_free(e->s);
    smmuv3_mem_free(e->mem);
    free(e);
}

/* qos_iommu_testdev_trigger_dma */
static uint32_t trigger_dma(env *e, uint64_t iova, uint64_t gpa, uint32_t len, uint32_t attrs)
{
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_GVA_LO, (uint32_t)iova);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_GVA_HI, (uint32_t)(iova >> 32));
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_GPA_LO, (uint32_t)gpa);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_GPA_HI, (uint32_t)(gpa >> 32));
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_LEN, len);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_ATTRS, attrs);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_DBELL, 1);
    (void)smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_DMA_TRIGGERING);
    uint32_t result = 0xFFFFFFFEu;
    for (int i = 0; i < 1000 && result == 0xFFFFFFFEu; i++)
        result = smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_RESULT);
    return result;
}

static void expect_pattern(env *e, uint64_t gpa, uint32_t len)
{
    uint8_t buf[64];
    assert_true(len <= sizeof(buf));
    assert_int_equal(smmuv3_mem_read(e->mem, gpa, buf, len), 0);
    for (uint32_t i = 0; i < len; i++)
        assert_int_equal(buf[i], (0x12345678u >> ((i % 4) * 8)) & 0xFF);
}

static void clear(env *e, uint64_t pa, uint32_t len)
{
    uint8_t z[64] = { 0 };
    assert_int_equal(smmuv3_mem_write(e->mem, pa, z, len), 0);
}

static void pop_event(env *e, uint64_t ev[4])
{
    uint32_t prod = r32(e, EVENTQ_PROD);
    assert_int_not_equal(prod & 0x7FF, e->evt_cons & 0x7FF);
    uint64_t slot = EVTQ_Q + (e->evt_cons & 0x3FF) * 32ull;
    for (int i = 0; i < 4; i++)
        ev[i] = readq(e, slot + 8ull * (unsigned)i);
    e->evt_cons = (e->evt_cons + 1) & 0x7FF;
    w32(e, EVENTQ_CONS, e->evt_cons);
}

static void expect_no_event(env *e) { assert_int_equal(r32(e, EVENTQ_PROD) & 0x7FF, e->evt_cons & 0x7FF); }

/* STE.S2R = 1 (dw2 bit 58): stage 2 faults are recorded (5.5); the qtest's STE leaves it 0 */
static void set_s2r(env *e)
{
    uint64_t w = STRTAB + SID * 64ull + 20;
    writel(e, w, readl(e, w) | 1u << 26);
}

#define TX_FAIL 0xDEAD0002u

/* A 4-byte DMA from iova that fails (TX_FAIL) with one event record, popped into ev. */
static void dma_fault(env *e, uint64_t iova, uint64_t ev[4])
{
    assert_int_equal(trigger_dma(e, iova, GPA, 4, 0xA), TX_FAIL);
    pop_event(e, ev);
}

/* Dword 0 of a record with this EventID for the testdev's StreamID, no SubstreamID. */
static uint64_t ev_w0(unsigned id) { return id | (uint64_t)SID << 32; }

/* A device with the qtest's translation for mode m built and the bank programmed
 * (STE.S2R set first when s2r). */
static env *env_up(enum mode m, bool s2r)
{
    env *e = env_new(m);
    build_translation(e, m);
    if (s2r)
        set_s2r(e);
    program_bank(e);
    return e;
}

/* ================================================================ the qtest cases */
static void run_case(enum mode m, uint32_t attrs)
{
    env *e = env_new(m);
    clear(e, GPA, 4);
    build_translation(e, m);
    program_bank(e);
    assert_int_equal(trigger_dma(e, IOVA, GPA, 4, attrs), 0);
    expect_pattern(e, GPA, 4);
    expect_no_event(e);
    assert_int_equal(r32(e, GERROR), r32(e, GERRORN));
    /* the same translation straight through the API */
    smmuv3_txn t = { .sid = SID, .addr = IOVA, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->s, &t, &r), 0);
    assert_int_equal(r.pa, GPA);
    env_free(e);
}

static void test_ns_s1_only(void **state) { (void)state; run_case(S1_ONLY, 0xA); }
static void test_ns_s2_only(void **state) { (void)state; run_case(S2_ONLY, 0xA); }
static void test_ns_nested(void **state) { (void)state; run_case(NESTED, 0xA); }
/* the earlier libqos revision: secure = 0, space = NS, space_valid not set */
static void test_attrs_without_space_valid(void **state)
{
    (void)state;
    run_case(S1_ONLY, 0x2);
    run_case(NESTED, 0x2);
}

/* the registers as the bank programming leaves them */
static void test_program_bank_readback(void **state)
{
    (void)state;
    static const regfx_step readback[] = {
        RF_R32(GBPA, 0),             /* UPDATE completed, all fields 0 */
        RF_R32(CR0, 0xD),
        RF_R32(CR0ACK, 0xD),
        RF_R32(CR1, 0xD75),
        RF_R64(CMDQ_BASE, CMDQ_Q | 0x0A),
        RF_R64(EVENTQ_BASE, EVTQ_Q | 0x0A),
        RF_R64(STRTAB_BASE, STRTAB),
        RF_R32(STRTAB_BASE_CFG, 5),
        RF_R32(CMDQ_PROD, 0),
        RF_R32(CMDQ_CONS, 0),
        RF_R32(EVENTQ_PROD, 0),
        RF_R32(EVENTQ_CONS, 0),
        RF_R32(GERROR, 0),
    };
    env *e = env_new(S1_ONLY);
    program_bank(e);
    REGFX_RUN(e->s, readback);
    env_free(e);
}

/* the iommu-testdev register ABI */
static void test_testdev_abi(void **state)
{
    (void)state;
    env *e = env_new(S1_ONLY);
    smmuv3_testdev *d = e->dev;
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xFFFFFFFFu);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_ATTRS), 0x2);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_LO, 0x89ABCDEF);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_HI, 0x01234567);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_LO, 0x11112222);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_HI, 0x3333);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, 8);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_GVA_LO), 0x89ABCDEFu);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_GVA_HI), 0x01234567u);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_GPA_LO), 0x11112222u);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_GPA_HI), 0x3333u);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_LEN), 8);

    /* not armed */
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xDEAD0005u);
    /* arm / disarm */
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 1);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xFFFFFFFEu);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 0);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xFFFFFFFFu);
    /* hw/misc/iommu-testdev.c: DBELL and DMA_TRIGGERING are not read/write
     * registers (DBELL reads 0, a write to 0x00 does nothing); arming twice
     * is one arm; a trigger that is not armed changes only RESULT */
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 3);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 1);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_DBELL), 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DMA_TRIGGERING, 1);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xFFFFFFFEu);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 2);   /* bit 0 clear: disarm */
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xFFFFFFFFu);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xDEAD0005u);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_GVA_LO), 0x89ABCDEFu);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_LEN), 8);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_ATTRS), 0x2);

    /* SMMU disabled, GBPA bypass: a DMA to IOVA == GPA works */
    const uint64_t pa = 0x48000010ull;
    assert_int_equal(trigger_dma(e, pa, pa, 16, 0xA), 0);
    expect_pattern(e, pa, 16);
    /* triggering disarmed the device */
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0xDEAD0005u);
    /* LEN 0 */
    assert_int_equal(trigger_dma(e, pa, pa, 0, 0xA), 0xDEAD0001u);
    /* secure bit and space disagree (secure = 1, space NS, valid) */
    assert_int_equal(trigger_dma(e, pa, pa, 4, 0xB), 0xDEAD0006u);
    /* readback from another address: mismatch */
    clear(e, pa + 0x100, 4);
    assert_int_equal(trigger_dma(e, pa, pa + 0x100, 4, 0xA), 0xDEAD0004u);
    env_free(e);
}

/* ================================================================ failure twins */
/* unmapped IOVA: TX_FAIL and one F_TRANSLATION record; stage 2 faults carry the IPA */
static void run_unmapped(enum mode m)
{
    const uint64_t iova = IOVA + 0x1000; /* L3 entry 5: invalid */
    uint64_t ev[4];
    /* the qtest's STE (S2R = 0): a stage 2 fault terminates without a record */
    if (m == S2_ONLY) {
        env *e = env_up(m, false);
        assert_int_equal(trigger_dma(e, iova, GPA, 4, 0xA), TX_FAIL);
        expect_no_event(e);
        env_free(e);
    }
    /* nested: the stage 1 fault is recorded (CD.R = 1) */
    if (m == NESTED) {
        env *e = env_up(m, false);
        dma_fault(e, iova, ev);
        assert_int_equal(ev[1], 2ull << 40);
        env_free(e);
    }
    env *e = env_up(m, true);
    dma_fault(e, iova, ev);
    assert_int_equal(ev[0], ev_w0(0x10));
    if (m == S2_ONLY) {
        assert_int_equal(ev[1], 1ull << 39 | 2ull << 40);   /* write, S2, CLASS IN */
        assert_int_equal(ev[3], iova & ~0xFFFull);
    } else {
        assert_int_equal(ev[1], 2ull << 40);                /* write, stage 1, CLASS IN */
    }
    assert_int_equal(ev[2], iova);
    expect_no_event(e);
    env_free(e);
}

static void test_unmapped_s1(void **state) { (void)state; run_unmapped(S1_ONLY); }
static void test_unmapped_s2(void **state) { (void)state; run_unmapped(S2_ONLY); }
static void test_unmapped_nested(void **state) { (void)state; run_unmapped(NESTED); }

/* stage 1 leaf made read-only (AP[2] = 1, the qtest's 0x7E3 attributes) */
static void test_s1_readonly_leaf(void **state)
{
    (void)state;
    env *e = env_up(S1_ONLY, false);
    uint64_t slot = RAM + L2_VAL + tbl_idx(IOVA, 3) * 8ull;
    writeq(e, slot, RAM + (L3_VAL | LEAF_RO));
    clear(e, GPA, 4);
    uint64_t ev[4];
    dma_fault(e, IOVA, ev);
    assert_int_equal(readl(e, GPA), 0);
    assert_int_equal(ev[0], ev_w0(0x13));
    assert_int_equal(ev[1] & ~(1ull << 32), 2ull << 40);
    assert_int_equal(ev[2], IOVA);
    /* reads are still fine */
    smmuv3_txn t = { .sid = SID, .addr = IOVA };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->s, &t, &r), 0);
    assert_int_equal(r.pa, GPA);
    env_free(e);
}

/* nested: a stage 2 F_TRANSLATION of this CLASS (0 CD, 1 TT) at this IPA */
static void expect_s2_fault(env *e, unsigned cls, uint64_t ipa)
{
    uint64_t ev[4];
    dma_fault(e, IOVA, ev);
    assert_int_equal(ev[0], ev_w0(0x10));
    assert_int_equal(ev[1], 1ull << 39 | (uint64_t)cls << 40);
    assert_int_equal(ev[2], IOVA);
    assert_int_equal(ev[3], ipa);
}

/* nested: stage 2 faults while fetching the CD (CLASS CD) and while walking
 * the stage 1 tables (CLASS TT), each with the IPA that failed */
static void test_nested_s2_fault_classes(void **state)
{
    (void)state;
    env *e = env_up(NESTED, true);
    /* unmap the stage 2 page holding the CD */
    uint64_t l2tbl = RAM + L2_VAL;
    uint64_t cd_slot = l2tbl + tbl_idx(CD_GPA, 3) * 8ull;
    uint64_t saved = readq(e, cd_slot);
    writeq(e, cd_slot, 0);
    expect_s2_fault(e, 0, CD_GPA & ~0xFFFull);
    writeq(e, cd_slot, saved);

    /* unmap, at stage 2, the page holding the stage 1 level 2 table */
    uint64_t s1_l2_table = RAM + L1_VAL;                       /* the page the S1 L1 entry points at */
    uint64_t tt_slot = l2tbl + tbl_idx(s1_l2_table, 3) * 8ull;
    writeq(e, tt_slot, 0);
    expect_s2_fault(e, 1, s1_l2_table);
    expect_no_event(e);
    env_free(e);
}

/* the qtest's cleanup leaves an all-zero STE: C_BAD_STE */
static void test_invalid_ste(void **state)
{
    (void)state;
    env *e = env_new(S1_ONLY);
    program_bank(e);
    uint64_t ev[4];
    dma_fault(e, IOVA, ev);
    assert_int_equal(ev[0], ev_w0(0x04));
    assert_int_equal(ev[1], 0);
    assert_int_equal(ev[2], 0);
    assert_int_equal(ev[3], 0);
    env_free(e);
}

/* StreamID beyond STRTAB_BASE_CFG.LOG2SIZE: C_BAD_STREAMID only with CR2.RECINVSID (7.3.3) */
static void test_bad_streamid_recinvsid(void **state)
{
    (void)state;
    static const regfx_step recinvsid[] = {
        RF_W32(CR0, 0),
        RF_R32(CR0ACK, 0),
        RF_W32(CR2, 2),
        RF_R32(CR2, 2),
        RF_W32(CR0, 0xD),
    };
    env *e = env_new(S1_ONLY);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_SID, 40);
    w32(e, CR2, 0);
    program_bank(e);
    assert_int_equal(trigger_dma(e, IOVA, GPA, 4, 0xA), TX_FAIL);
    expect_no_event(e);
    REGFX_RUN(e->s, recinvsid);
    uint64_t ev[4];
    dma_fault(e, IOVA, ev);
    assert_int_equal(ev[0], 0x02 | 40ull << 32);
    expect_no_event(e);
    env_free(e);
}

/* EVENTQEN = 0: faults are not recorded */
static void test_eventq_disabled(void **state)
{
    (void)state;
    env *e = env_up(S1_ONLY, false);
    w32(e, CR0, 0x9);
    assert_int_equal(r32(e, CR0ACK), 0x9);
    assert_int_equal(trigger_dma(e, IOVA + 0x1000, GPA, 4, 0xA), TX_FAIL);
    assert_int_equal(r32(e, EVENTQ_PROD), 0);
    assert_int_equal(readq(e, EVTQ_Q), 0);
    /* still translating */
    clear(e, GPA, 4);
    assert_int_equal(trigger_dma(e, IOVA, GPA, 4, 0xA), 0);
    expect_pattern(e, GPA, 4);
    env_free(e);
}

/* a DMA that crosses into an unmapped page fails as a whole (TX_FAIL) */
static void test_dma_crossing_pages(void **state)
{
    (void)state;
    env *e = env_up(S1_ONLY, false);
    const uint64_t iova = (IOVA & ~0xFFFull) + 0xFF8;
    assert_int_equal(trigger_dma(e, iova, RAM + L3_VAL + 0xFF8, 16, 0xA), TX_FAIL);
    uint64_t ev[4];
    pop_event(e, ev);
    assert_int_equal(ev[0], ev_w0(0x10));
    assert_int_equal(ev[2], (IOVA & ~0xFFFull) + 0x1000);
    env_free(e);
}

/* The qtest's CMDQ_BASE (0x4E16B000, LOG2SIZE 10) is not aligned to the
 * 16KB queue: the effective base is aligned down (6.3.26), so command slot 0
 * is at 0x4E168000. (QEMU itself uses the address as written.) */
static void test_cmdq_base_alignment(void **state)
{
    (void)state;
    env *e = env_up(S1_ONLY, false);
    const uint64_t eff = CMDQ_Q & ~0x3FFFull;
    assert_int_equal(eff, RAM + 0x0E168000ull);
    writeq(e, eff, 0x30);          /* TLBI_NSNH_ALL */
    writeq(e, eff + 8, 0);
    writeq(e, eff + 16, 0x46);     /* CMD_SYNC */
    writeq(e, eff + 24, 0);
    w32(e, CMDQ_PROD, 2);
    assert_int_equal(r32(e, CMDQ_CONS), 2);
    assert_int_equal(r32(e, GERROR), 0);
    /* the readback keeps the address as written */
    assert_int_equal(r64(e, CMDQ_BASE), CMDQ_Q | 0x0A);
    env_free(e);
}

TEST_MAIN(test_ns_s1_only, test_ns_s2_only, test_ns_nested, test_attrs_without_space_valid,
          test_program_bank_readback, test_testdev_abi, test_unmapped_s1, test_unmapped_s2,
          test_unmapped_nested, test_s1_readonly_leaf, test_nested_s2_fault_classes,
          test_invalid_ste, test_bad_streamid_recinvsid, test_eventq_disabled,
          test_dma_crossing_pages, test_cmdq_base_alignment)
