/* SPDX-License-Identifier: MIT */
/*
 * Conformance with Linux's arm-smmu-v3 driver (the re-enactment is
 * tests/helpers/linux_drv.[ch]): bring-up and domains: probe, reset, bypass, stage 1 (linear and 2-level
 * tables, CD tables, SubstreamIDs, S1DSS), stage 2, nested, E2H, 16K/64K
 * granules, dirty tracking, input ranges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include "linux_drv.h"
#include "test_main.h"

/* arm_smmu_device_hw_probe: the fields Linux reads and the checks it makes */
static void test_probe_id_registers(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);                           /* before any reset */
    uint32_t idr0 = rd32(d, IDR0), idr1 = rd32(d, IDR1), idr3 = rd32(d, IDR3), idr5 = rd32(d, IDR5);

    /* 8-byte reads of the 32-bit ID registers give two consecutive registers */
    assert_int_equal(rd64(d, IDR0), (uint64_t)idr1 << 32 | idr0);

    /* IDR0 exactly as the default profile describes it */
    const smmuv3_config *c = &d->cfg;
    uint32_t want0 = (uint32_t)c->s2p << 0 | (uint32_t)c->s1p << 1 | 2u << 2 /* TTF AArch64 */ |
                     (uint32_t)c->cohacc << 4 | (uint32_t)c->btm << 5 | c->httu << 6 |
                     (uint32_t)c->hyp << 9 | (uint32_t)c->ats << 10 | (uint32_t)c->asid16 << 12 |
                     (uint32_t)c->msi << 13 | (uint32_t)c->sev << 14 | (uint32_t)c->pri << 16 |
                     (uint32_t)c->vmid16 << 18 | (uint32_t)c->cd_2level << 19 |
                     2u << 21 /* TTENDIAN LE */ | c->stall_model << 24 |
                     (uint32_t)c->term_model << 26 | (uint32_t)c->st_2level << 27;
    /* the default profile: S1+S2, AArch64, coherent, HTTU, HYP, 16-bit IDs,
     * MSI, SEV, ATS, PRI, 2-level tables, stall and terminate */
    assert_int_equal(want0 | ((uint32_t)!c->btm << 5), 0x084D76BBu);
    assert_int_equal(idr0, want0);
    /* what the driver requires */
    assert_true(idr0 & 3u);                      /* S1P or S2P */
    assert_true(((idr0 >> 2) & 3) & 2);          /* AArch64 tables */
    assert_true(((idr0 >> 21) & 3) != 3);        /* not big-endian only */

    /* IDR1: no embedded implementation (TABLES/QUEUES_PRESET, REL) */
    assert_int_equal(idr1 & (7u << 28), 0);
    assert_int_equal(idr1 & 0x3F, d->cfg.sidsize);
    assert_int_equal((idr1 >> 6) & 31, d->cfg.ssidsize);
    assert_int_equal((idr1 >> 16) & 31, d->cfg.eventqs);
    assert_int_equal((idr1 >> 21) & 31, d->cfg.cmdqs);
    assert_true(((idr1 >> 21) & 31) >= 6);       /* at least a batch of 64 commands */
    assert_true((idr1 & 0x3F) > STRTAB_SPLIT);   /* 2-level stream table kept */

    /* IDR3: RIL (range invalidation) */
    assert_int_equal((idr3 >> 10) & 1, 1);

    /* IDR5: OAS 48 bits, all three granules, 52-bit VA with 64K */
    assert_int_equal(idr5 & 7, 5);
    assert_int_equal((idr5 >> 4) & 7, 7);
    assert_int_equal((idr5 >> 10) & 3, 1);
    assert_int_equal(idr5 >> 16, d->cfg.stall_max);

    /* AIDR: SMMUv3.x (ArchMajorRev 0) */
    assert_int_equal((rd32(d, AIDR) >> 4) & 15, 0);
}

/* arm_smmu_device_reset, linear stream table; then the reset state it leaves */
static void test_reset_linear(void **state)
{
    drv *d = *state;
    assert_int_equal(rd32(d, CR1), LINUX_CR1);
    /* PTM is RES0 without IDR0.BTM (6.3.12); RECINVSID stays */
    assert_int_equal(rd32(d, CR2), d->cfg.btm ? 0x6u : 0x2u);
    assert_int_equal(rd32(d, CMDQ_PROD), 4 + (d->cfg.hyp ? 2u : 0u));
    assert_int_equal(rd32(d, CMDQ_CONS), rd32(d, CMDQ_PROD));
    /* 8-byte read of PROD/CONS (FreeBSD) */
    assert_int_equal(rd64(d, CMDQ_PROD), (uint64_t)rd32(d, CMDQ_CONS) << 32 | rd32(d, CMDQ_PROD));
    assert_int_equal(rd32(d, IRQ_CTRLACK), IRQ_CTRL_EVTQ | IRQ_CTRL_GERROR);

    /* abort STEs: terminated, no event (STE.Config == 0b000) */
    smmuv3_result r;
    assert_int_equal(xlate(d, 3, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    expect_no_event(d);

    /* a StreamID beyond LOG2SIZE: C_BAD_STREAMID (CR2.RECINVSID == 1) */
    assert_int_equal(xlate(d, 1u << d->sid_bits, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x02 | (uint64_t)(1u << d->sid_bits) << 32);
    assert_int_equal(ev[1], 0);
    assert_int_equal(ev[2], 0);
    assert_int_equal(ev[3], 0);
    /* the event MSI went to EVENTQ_IRQ_CFG0 with CFG1's data */
    assert_int_equal(mr32(d, MSI_EVTQ), 0x2A);
}

/* bypass STE (identity domain) */
static void test_bypass_ste(void **state)
{
    drv *d = *state;
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(d, 7, t, NULL, NULL);
    expect_pa(d, 7, 0x123456789ABCull, SMMUV3_TXN_WRITE, 0x123456789ABCull);
    expect_no_event(d);
}

/* a stage 1 domain through a 2-level stream table (SPLIT 8, L2 on demand) */
static void test_s1_dma_two_level(void **state)
{
    drv *d = *state;
    lx_reopen_2level(d);
    assert_true(d->two_level);
    assert_int_equal(rd32(d, STRTAB_BASE_CFG), 1u << 16 | 8u << 6 | 16u);

    const uint32_t sid = 0x1234;
    s1dom dom;
    attach_s1(d, sid, &dom, 1);
    /* the L1 descriptor Linux wrote */
    uint64_t l1 = mr64(d, STRTAB_ADDR + (sid >> 8) * 8ull);
    assert_int_equal(l1 & 31, 9);

    pt_map(d, dom.pgd, 0xFFFF0000ull, 0x812345000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(d, dom.pgd, 0x200000ull, 0x3FE00000ull, P_READ | P_CACHE | P_NOEXEC, false, 2);
    pt_map(d, dom.pgd, 0x7FFFFFFFF000ull, 0xABC000ull, P_READ | P_WRITE | P_MMIO, false, 3);

    expect_pa(d, sid, 0xFFFF0ABCull, 0, 0x812345ABCull);
    expect_pa(d, sid, 0xFFFF0ABCull, SMMUV3_TXN_WRITE, 0x812345ABCull);
    expect_pa(d, sid, 0x2ABCDEull, 0, 0x3FEABCDEull);
    expect_pa(d, sid, 0x7FFFFFFFF008ull, SMMUV3_TXN_WRITE | SMMUV3_TXN_PRIV, 0xABC008ull);
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x7FFFFFFFF008ull, 0, &r), 0);
    assert_int_equal(r.attrs.memattr, 0x04); /* AttrIndx 2 -> MAIR 0x04 Device-nGnRE */
    assert_int_equal(xlate(d, sid, 0xFFFF0000ull, 0, &r), 0);
    assert_int_equal(r.attrs.memattr, 0xFF);
    assert_int_equal(r.attrs.sh, 3);
    expect_no_event(d);

    /* a write to the read-only block: F_PERMISSION */
    assert_int_equal(xlate(d, sid, 0x200010ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x13);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x13 | (uint64_t)sid << 32);
    assert_int_equal(ev[1] & ~(1ull << 32), 2ull << 40); /* CLASS IN, RnW 0 (write), S2 0 */
    assert_int_equal(ev[2], 0x200010ull);

    /* a StreamID whose L1 descriptor is still invalid (SPAN 0): C_BAD_STREAMID */
    assert_int_equal(xlate(d, 0x4321, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x02 | 0x4321ull << 32);
    expect_no_event(d);
}

static void test_s2_domain(void **state)
{
    drv *d = *state;
    lx_reopen_2level(d);
    const uint32_t sid = 0x300;
    const uint16_t vmid = 0x1234;
    uint64_t vttbr = dalloc(d, 4096);
    const uint64_t ipa = 0x8000000000ull;
    for (uint64_t i = 0; i < 4; i++)
        pt_map(d, vttbr, ipa + i * 4096, 0xC0000000ull + i * 4096, P_READ | P_WRITE | P_CACHE, true, 3);
    pt_map(d, vttbr, 0x40000000ull, 0x60000000ull, P_READ | P_CACHE, true, 2);
    uint64_t t[8];
    make_s2_ste(t, vmid, vttbr);
    write_ste(d, sid, t, NULL, NULL);

    expect_pa(d, sid, ipa + 0x1234, SMMUV3_TXN_WRITE, 0xC0001234ull);
    expect_pa(d, sid, 0x401FFFF8ull, 0, 0x601FFFF8ull);
    smmuv3_result r;
    /* write to a read-only stage 2 block: F_PERMISSION, S2, IPA reported */
    assert_int_equal(xlate(d, sid, 0x40000010ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x13 | (uint64_t)sid << 32);
    assert_int_equal(ev[1] & ~(1ull << 32), 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[2], 0x40000010ull);
    assert_int_equal(ev[3], 0x40000000ull);

    /* unmap two pages, TLBI_S2_IPA (range) + SYNC */
    pt_unmap(d, vttbr, ipa + 4096);
    pt_unmap(d, vttbr, ipa + 2 * 4096);
    tlb_inv_range(d, 0x2A, 0, vmid, ipa + 4096, 2 * 4096, true);
    assert_int_equal(xlate(d, sid, ipa + 4096 + 4, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[2], ipa + 4096 + 4);
    assert_int_equal(ev[3], ipa + 4096);
    assert_int_equal(xlate(d, sid, ipa + 2 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    expect_pa(d, sid, ipa + 3 * 4096, 0, 0xC0003000ull);

    /* S12_VMALL for the whole VMID */
    pt_unmap(d, vttbr, ipa);
    issue_sync(d, c_tlbi_s12_vmall(vmid));
    assert_int_equal(xlate(d, sid, ipa, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[3], ipa);
    expect_no_event(d);
}

/* CMD_SYNC with MSIPOLL: CS=SIG_IRQ, MSH ISH, MSIATTR OIWB, MSIData 0, MSIAddr = its own slot */
static void test_cd_tables_ssid(void **state)
{
    drv *d = *state;
    lx_reopen_2level(d);

    /* linear: 8 CDs, S1DSS = SSID0 so non-PASID traffic uses CD 0 */
    const uint32_t sid = 0x40;
    uint64_t cdtab = dalloc(d, 8 * 64);
    uint64_t pgd0 = cd_over_page(d, cdtab, 10, 0x1000, 0xA000);
    cd_over_page(d, cdtab + 3 * 64, 13, 0x1000, 0xB000);
    uint64_t t[8];
    make_cdtable_ste(d, t, cdtab, 0, 3, 2);
    write_ste(d, sid, t, NULL, NULL);
    expect_pa(d, sid, 0x1010, 0, 0xA010);
    smmuv3_result r;
    assert_int_equal(xlate_ssid(d, sid, 3, 0x1010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB010);
    /* SSID 1: CD.V == 0 -> C_BAD_CD with the SubstreamID */
    assert_int_equal(xlate_ssid(d, sid, 1, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x0A | 1ull << 11 | 1ull << 12 | (uint64_t)sid << 32);
    /* SSID 8 >= 2^S1CDMAX: C_BAD_SUBSTREAMID */
    assert_int_equal(xlate_ssid(d, sid, 8, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    /* 7.3.9: no SSV qualifier in this record, the SubstreamID is always valid */
    assert_int_equal(ev[0], 0x08 | 8ull << 12 | (uint64_t)sid << 32);

    /* CD 3 retired: clear V, CFGI_CD + SYNC */
    mw64(d, cdtab + 3 * 64, 0);
    issue_sync(d, c_cfgi_cd(sid, 3));
    assert_int_equal(xlate_ssid(d, sid, 3, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x0A);
    evtq_pop(d, ev);

    /* 2-level: S1FMT 2 (64K leaves of 1024 CDs), S1CDMAX 20 */
    const uint32_t sid2 = 0x41;
    uint64_t l1 = dalloc(d, 1024 * 8);
    uint64_t leaf = dalloc(d, 1024 * 64);
    uint64_t pgd = dalloc(d, 4096);
    const uint32_t ssid = 1500;
    write_cd(d, leaf + (ssid & 1023) * 64ull, 0x99, pgd);
    mw64(d, l1 + (ssid >> 10) * 8ull, leaf | 1);
    uint64_t leaf0 = dalloc(d, 1024 * 64);
    write_cd(d, leaf0, 0x98, pgd0);
    mw64(d, l1, leaf0 | 1);
    pt_map(d, pgd, 0x5000, 0xE000, P_READ | P_CACHE, false, 3);
    make_cdtable_ste(d, t, l1, 2, 20, 2);
    write_ste(d, sid2, t, NULL, NULL);
    assert_int_equal(xlate_ssid(d, sid2, ssid, 0x5008, 0, &r), 0);
    assert_int_equal(r.pa, 0xE008);
    expect_pa(d, sid2, 0x1010, 0, 0xA010);
    /* an SSID whose L1 descriptor is invalid: C_BAD_SUBSTREAMID */
    assert_int_equal(xlate_ssid(d, sid2, 5000, 0x5008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x08 | 5000ull << 12 | (uint64_t)sid2 << 32);
    expect_no_event(d);
}

/* GBPA: Linux's arm_smmu_update_gbpa (poll UPDATE, write with UPDATE, poll) */
static void test_e2h_domain(void **state)
{
    drv *d = *state;
    write_reg_sync(d, CR0, CR0ACK, 0);
    wr32(d, CR2, LINUX_CR2 | 1);
    assert_int_equal(rd32(d, CR2), d->cfg.btm ? 0x7u : 0x3u);  /* E2H | RECINVSID (PTM RES0 without BTM) */
    write_reg_sync(d, CR0, CR0ACK, CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
    const uint32_t sid = 0x30;
    s1dom dom;
    attach_s1_with(d, sid, &dom, 0x42, 0, 0, 2ull << 30);  /* STRW EL2 */
    pt_map(d, dom.pgd, 0x1000, 0x91000, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(d, dom.pgd, 0x2000, 0x92000, P_READ | P_WRITE | P_CACHE, false, 3);
    expect_pa(d, sid, 0x1008, 0, 0x91008);
    expect_pa(d, sid, 0x2008, 0, 0x92008);
    pt_unmap(d, dom.pgd, 0x1000);
    tlb_inv_range(d, 0x22, dom.asid, 0, 0x1000, 4096, true);  /* TLBI_EL2_VA */
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x1008, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x10);
    uint64_t ev[4];
    evtq_pop(d, ev);
    pt_unmap(d, dom.pgd, 0x2000);
    issue_sync(d, (cmd){ { 0x21 | (uint64_t)dom.asid << 48, 0 } });  /* TLBI_EL2_ASID */
    assert_int_equal(xlate(d, sid, 0x2008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    expect_no_event(d);
}

/* io-pgtable with 16K and 64K granules (a 16K/64K PAGE_SIZE kernel), 48-bit VA */
static unsigned lvl_shift(unsigned g, unsigned level) { return g + (3 - level) * (g - 3); }

static void pt_map_g(drv *d, uint64_t root, unsigned g, uint64_t iova, uint64_t pa, uint64_t attrs)
{
    unsigned start = 3 - (48 - g - 1) / (g - 3);
    uint64_t table = root, mask = ((1ull << 48) - 1) & ~((1ull << g) - 1);
    for (unsigned level = start; level < 3; level++) {
        uint64_t slot = table + ((iova >> lvl_shift(g, level)) & ((1ull << (g - 3)) - 1)) * 8;
        uint64_t desc = mr64(d, slot);
        if (!(desc & 1)) {
            desc = dalloc(d, 1ull << g) | 3;
            mw64(d, slot, desc);
        }
        table = desc & mask;
    }
    mw64(d, table + ((iova >> g) & ((1ull << (g - 3)) - 1)) * 8, pa | attrs | 3);
}

static void run_granule(drv *d, unsigned g)
{
    const uint32_t sid = 0x50;
    const uint16_t asid = 0x1000;
    uint64_t cdtab = dalloc(d, 64), pgd = dalloc(d, 1ull << g);
    write_cd(d, cdtab, asid, pgd);
    uint64_t w0 = mr64(d, cdtab) & ~(3ull << 6);
    w0 |= (g == 16 ? 1ull : 2ull) << 6;                 /* TG0: 1 = 64K, 2 = 16K */
    mw64(d, cdtab, w0);
    uint64_t t[8];
    make_cdtable_ste(d, t, cdtab, 0, 0, 2);
    write_ste(d, sid, t, NULL, NULL);

    const uint64_t page = 1ull << g;
    const uint64_t iova = 0xABCD0000ull & ~(page - 1);
    for (uint64_t i = 0; i < 4; i++)
        pt_map_g(d, pgd, g, iova + i * page, 0x300000000ull + i * page, prot_s1(P_READ | P_WRITE | P_CACHE));
    for (uint64_t i = 0; i < 4; i++)
        expect_pa(d, sid, iova + i * page + page - 8, SMMUV3_TXN_WRITE, 0x300000000ull + i * page + page - 8);

    /* unmap pages 1 and 2: RIL form with TG = (g - 10) / 2, NUM 1, SCALE 1 */
    {
        unsigned start = 3 - (48 - g - 1) / (g - 3);
        uint64_t table = pgd, mask = ((1ull << 48) - 1) & ~((1ull << g) - 1);
        for (unsigned level = start; level < 3; level++)
            table = mr64(d, table + ((iova >> lvl_shift(g, level)) & ((1ull << (g - 3)) - 1)) * 8) & mask;
        for (uint64_t i = 1; i <= 2; i++)
            mw64(d, table + (((iova + i * page) >> g) & ((1ull << (g - 3)) - 1)) * 8, 0);
    }
    cmd c = c_tlbi_va(0x12, asid, 0, iova + page, true, 0, 1, (g - 10) / 2, 3);
    issue_sync(d, c);
    smmuv3_result r;
    for (uint64_t i = 1; i <= 2; i++) {
        assert_int_equal(xlate(d, sid, iova + i * page, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
    }
    expect_pa(d, sid, iova, 0, 0x300000000ull);
    expect_pa(d, sid, iova + 3 * page, 0, 0x300000000ull + 3 * page);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[2], iova + page);
    evtq_pop(d, ev);
    assert_int_equal(ev[2], iova + 2 * page);
    expect_no_event(d);
}

static void test_granule_16k(void **state) { run_granule(*state, 14); }
static void test_granule_64k(void **state) { run_granule(*state, 16); }

/* 32-bit kernels: lo_hi_writeq (two 32-bit writes, low word first) and
 * 32-bit reads of the halves; the command queue wrapping many times over */
/* a SubstreamID on a stream without stage 1: C_BAD_SUBSTREAMID (7.3.9) */
static void test_ssid_on_bypass_and_s2(void **state)
{
    drv *d = *state;
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(d, 4, t, NULL, NULL);
    smmuv3_result r;
    assert_int_equal(xlate_ssid(d, 4, 0x77, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x08 | 0x77ull << 12 | 4ull << 32);
    uint64_t vttbr = dalloc(d, 4096);
    make_s2_ste(t, 1, vttbr);
    write_ste(d, 4, t, NULL, NULL);
    assert_int_equal(xlate_ssid(d, 4, 0x78, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x08 | 0x78ull << 12 | 4ull << 32);
    /* S1 with S1CDMAX 0 (substreams disabled) */
    s1dom dom;
    attach_s1(d, 4, &dom, 5);
    assert_int_equal(xlate_ssid(d, 4, 1, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x08 | 1ull << 12 | 4ull << 32);
    expect_no_event(d);
}

/* iommufd nesting (arm_smmu_make_nested_cd_table_ste): the guest's vSTE
 * (S1ContextPtr an IPA) with the nesting parent's stage 2 and VMID; guest
 * TLBI_NH_VA carries the VMID; a stage 2 change is flushed with S12_VMALL */
static void test_nested_domain(void **state)
{
    drv *d = *state;
    lx_reopen_2level(d);
    const uint32_t sid = 0x222;
    const uint16_t vmid = 7, asid = 0x31;
    uint64_t vttbr = dalloc(d, 4096);
    /* guest memory: IPA 0x80000000.. backed by PA 0x1_8000_0000.. */
    const uint64_t gpa_base = 0x80000000ull, hpa_base = 0x180000000ull;
    for (uint64_t i = 0; i < 16; i++)
        pt_map(d, vttbr, gpa_base + i * 4096, hpa_base + i * 4096, P_READ | P_WRITE | P_CACHE, true, 3);
    /* the guest builds its CD and stage 1 tables in guest pages (IPA), we
     * write them at the backing PA */
    const uint64_t cd_ipa = gpa_base, pgd_ipa = gpa_base + 0x1000;
    const uint64_t l1_ipa = gpa_base + 0x2000, l2_ipa = gpa_base + 0x3000, l3_ipa = gpa_base + 0x4000;
    const uint64_t off = hpa_base - gpa_base;
    write_cd(d, cd_ipa + off, asid, pgd_ipa);
    const uint64_t iova = 0x12345000ull;
    mw64(d, pgd_ipa + off + ((iova >> 39) & 511) * 8, l1_ipa | 3);
    mw64(d, l1_ipa + off + ((iova >> 30) & 511) * 8, l2_ipa | 3);
    mw64(d, l2_ipa + off + ((iova >> 21) & 511) * 8, l3_ipa | 3);
    const uint64_t data_ipa = gpa_base + 0x9000;
    mw64(d, l3_ipa + off + ((iova >> 12) & 511) * 8, data_ipa | prot_s1(P_READ | P_WRITE | P_CACHE) | 3);

    uint64_t t[8], s2[8];
    make_s2_ste(s2, vmid, vttbr);
    memset(t, 0, sizeof(t));
    t[0] = 1 | 7ull << 1 | (cd_ipa & 0x000FFFFFFFFFFFC0ull);
    t[1] = 2 | 1ull << 2 | 1ull << 4 | 3ull << 6 | 1ull << 44;
    t[2] = s2[2];
    t[3] = s2[3];
    write_ste(d, sid, t, NULL, NULL);
    expect_pa(d, sid, iova + 0x10, SMMUV3_TXN_WRITE, hpa_base + 0x9010);

    /* guest unmaps: TLBI_NH_VA with its ASID and the VMID */
    mw64(d, l3_ipa + off + ((iova >> 12) & 511) * 8, 0);
    tlb_inv_range(d, 0x12, asid, vmid, iova, 4096, true);
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, iova + 0x10, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);   /* stage 1 fault */

    /* guest remaps; host moves the backing page: S2 change + S12_VMALL */
    mw64(d, l3_ipa + off + ((iova >> 12) & 511) * 8, data_ipa | prot_s1(P_READ | P_WRITE | P_CACHE) | 3);
    tlb_inv_range(d, 0x12, asid, vmid, iova, 4096, true);
    expect_pa(d, sid, iova + 0x20, 0, hpa_base + 0x9020);
    pt_unmap(d, vttbr, data_ipa);
    issue_sync(d, c_tlbi_s12_vmall(vmid));
    assert_int_equal(xlate(d, sid, iova + 0x20, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40); /* stage 2, CLASS IN */
    assert_int_equal(ev[3], data_ipa);
    pt_map(d, vttbr, data_ipa, 0x1C0000000ull, P_READ | P_WRITE | P_CACHE, true, 3);
    issue_sync(d, c_tlbi_s12_vmall(vmid));
    expect_pa(d, sid, iova + 0x20, 0, 0x1C0000020ull);
    expect_no_event(d);
}

/* dirty tracking (IO_PGTABLE_QUIRK_ARM_HD): CD.HA|HD, writable-clean pages
 * are DBM | AP_RDONLY; a device write makes them dirty (AP[2] cleared), as
 * arm_lpae_read_and_clear_dirty then sees */
static void test_httu_dirty_tracking(void **state)
{
    drv *d = *state;
    const uint32_t sid = 0x19;
    s1dom dom;
    attach_s1_with(d, sid, &dom, 0x600, 1ull << 42 | 1ull << 43, 0, 0); /* CD.HD, HA */
    const uint64_t dbm = 1ull << 51;
    pt_map(d, dom.pgd, 0x7000, 0xE7000, P_READ | P_CACHE, false, 3); /* AP_RDONLY */
    uint64_t slot = pt_leaf_slot(d, dom.pgd, 0x7000);
    mw64(d, slot, mr64(d, slot) | dbm);
    uint64_t clean = mr64(d, slot);
    assert_true(clean & (1ull << 7));
    expect_pa(d, sid, 0x7010, 0, 0xE7010);
    assert_int_equal(mr64(d, slot), clean);                 /* a read leaves it clean */
    expect_pa(d, sid, 0x7010, SMMUV3_TXN_WRITE, 0xE7010);
    assert_int_equal(mr64(d, slot), clean & ~(1ull << 7));  /* dirty: AP[2] cleared */
    /* read_and_clear_dirty sets AP_RDONLY again, then TLBI: the next write dirties it again */
    mw64(d, slot, clean);
    tlb_inv_range(d, 0x12, dom.asid, 0, 0x7000, 4096, true);
    expect_pa(d, sid, 0x7020, SMMUV3_TXN_WRITE, 0xE7020);
    assert_int_equal(mr64(d, slot), clean & ~(1ull << 7));
    /* a read-only page without DBM still faults on a write */
    pt_map(d, dom.pgd, 0x8000, 0xE8000, P_READ | P_CACHE, false, 3);
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x8000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x13);
    uint64_t ev[4];
    evtq_pop(d, ev);
    expect_no_event(d);
}

/* addresses outside the 48-bit TTB0 range (CD.T0SZ 16, EPD1 = 1, TBI 0):
 * F_TRANSLATION, stage 1, CLASS IN, InputAddr as given (7.3) */
static void test_input_range(void **state)
{
    drv *d = *state;
    s1dom dom;
    attach_s1(d, 6, &dom, 0x66);
    pt_map(d, dom.pgd, 0xFFFFFFFFF000ull, 0x3000, P_READ | P_WRITE | P_CACHE, false, 3);
    expect_pa(d, 6, 0xFFFFFFFFFFF8ull, 0, 0x3FF8);
    const uint64_t bad[] = { 1ull << 48, 0xFFFF000000001000ull, 0xFF00000000001000ull, 0x0100FFFFFFFFF000ull };
    for (unsigned i = 0; i < 4; i++) {
        smmuv3_result r;
        assert_int_equal(xlate(d, 6, bad[i], 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x10 | 6ull << 32);
        assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);
        assert_int_equal(ev[2], bad[i]);
    }
    expect_no_event(d);
}

/* an SMMU with a 40-bit OAS: io-pgtable's stage 2 for a 40-bit IPA starts at
 * level 1 with two concatenated tables (ARM_LPAE_S2_MAX_CONCAT_PAGES), VTCR
 * T0SZ 24, SL0 1, PS 40 bits -- the same layout Xen's shared P2M uses */
static void tweak_oas40(smmuv3_config *c) { c->oas = 40; }

static void test_s2_concatenated_root(void **state)
{
    drv *d = *state;
    lx_reopen(d, tweak_oas40);
    assert_int_equal(rd32(d, IDR5) & 7, 2);
    linux_reset(d, false);
    const uint32_t sid = 0x12;
    uint64_t pgd = dalloc(d, 8192);                 /* two pages, 8K aligned */
    /* level 1 index = IPA[39:30] (1024 entries over both pages) */
    const uint64_t ipas[2] = { 0x0040201000ull, 0xC0C0403000ull };
    const uint64_t pas[2] = { 0x11000000ull, 0x22000000ull };
    for (int i = 0; i < 2; i++) {
        uint64_t l1slot = pgd + ((ipas[i] >> 30) & 1023) * 8;
        uint64_t l2 = dalloc(d, 4096), l3 = dalloc(d, 4096);
        mw64(d, l1slot, l2 | 3);
        mw64(d, l2 + ((ipas[i] >> 21) & 511) * 8, l3 | 3);
        mw64(d, l3 + ((ipas[i] >> 12) & 511) * 8, pas[i] | prot_s2(P_READ | P_WRITE | P_CACHE) | 3);
    }
    assert_true(((ipas[1] >> 30) & 1023) >= 512);   /* lands in the second page */
    uint64_t t[8];
    memset(t, 0, sizeof(t));
    t[0] = 1 | 6ull << 1;
    t[1] = 1ull << 44;
    uint64_t vtcr = 24 | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 2ull << 16;
    t[2] = 3 | vtcr << 32 | 1ull << 51 | 1ull << 54 | 1ull << 58;
    t[3] = pgd;
    write_ste(d, sid, t, NULL, NULL);
    expect_pa(d, sid, ipas[0] + 0x18, 0, pas[0] + 0x18);
    expect_pa(d, sid, ipas[1] + 0xFF8, SMMUV3_TXN_WRITE, pas[1] + 0xFF8);
    /* an input beyond the IAS (= OAS, 40 bits) with stage 1 bypassed:
     * F_ADDR_SIZE, S2 = 0, CLASS IN (7.3.14, 3.4.1) */
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 1ull << 40, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x11 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);
    assert_int_equal(ev[2], 1ull << 40);
    /* an unmapped IPA inside the range: stage 2 F_TRANSLATION with the IPA */
    assert_int_equal(xlate(d, sid, 0x8000000000ull, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[3], 0x8000000000ull);
    expect_no_event(d);
}

/* S1DSS for traffic without a SubstreamID when substreams are enabled:
 * BYPASS (an identity domain with SVA PASIDs), SSID0, and terminate
 * (F_STREAM_DISABLED) */
static void test_s1dss_modes(void **state)
{
    drv *d = *state;
    uint64_t cdtab = dalloc(d, 4 * 64);
    cd_over_page(d, cdtab, 0x40, 0x9000, 0xA9000);
    cd_over_page(d, cdtab + 2 * 64, 0x42, 0x9000, 0xB9000);
    uint64_t t[8];
    smmuv3_result r;

    make_cdtable_ste(d, t, cdtab, 0, 2, 1);   /* S1DSS bypass */
    t[1] |= 1ull << 44;                        /* SHCFG incoming, as Linux adds for bypass */
    write_ste(d, 8, t, NULL, NULL);
    expect_pa(d, 8, 0x9010, 0, 0x9010);
    assert_int_equal(xlate_ssid(d, 8, 2, 0x9010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB9010);

    make_cdtable_ste(d, t, cdtab, 0, 2, 2);   /* S1DSS SSID0 */
    write_ste(d, 8, t, NULL, NULL);
    expect_pa(d, 8, 0x9010, 0, 0xA9010);
    /* SubstreamID 0 is reserved for non-substream traffic under SSID0: F_STREAM_DISABLED (7.3.7) */
    assert_int_equal(xlate_ssid(d, 8, 0, 0x9010, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x06 | 8ull << 32);
    assert_int_equal(ev[1], 0);
    assert_int_equal(ev[2], 0);

    make_cdtable_ste(d, t, cdtab, 0, 2, 0);   /* S1DSS terminate */
    write_ste(d, 8, t, NULL, NULL);
    assert_int_equal(xlate(d, 8, 0x9010, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x06 | 8ull << 32);
    assert_int_equal(xlate_ssid(d, 8, 2, 0x9010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB9010);
    expect_no_event(d);
}

TEST_MAIN_FX(lx_setup_linear, lx_teardown, test_probe_id_registers, test_reset_linear, test_bypass_ste,
             test_s1_dma_two_level, test_s2_domain, test_cd_tables_ssid, test_e2h_domain, test_granule_16k,
             test_granule_64k, test_ssid_on_bypass_and_s2, test_nested_domain, test_httu_dirty_tracking,
             test_input_range, test_s2_concatenated_root, test_s1dss_modes)
