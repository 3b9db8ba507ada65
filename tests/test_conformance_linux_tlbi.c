/* SPDX-License-Identifier: MIT */
/*
 * Conformance with Linux's arm-smmu-v3 driver (the re-enactment is
 * tests/helpers/linux_drv.[ch]): TLB maintenance: TLBI_NH_VA in range (RIL) and per-page forms, TTL
 * hints for blocks, an address inside a cached block, the Reserved range encoding.
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

/* unmap + TLBI_NH_VA (range form with RIL) + CMD_SYNC; TLBI_NH_ASID */
static void tweak_no_ril(smmuv3_config *c) { c->ril = false; }

static void run_s1_tlbi(drv *d, bool ril)
{
    lx_reopen(d, ril ? NULL : tweak_no_ril);
    assert_int_equal((rd32(d, IDR3) >> 10) & 1, ril);
    linux_reset(d, true);
    const uint32_t sid = 0x21;
    s1dom dom;
    attach_s1(d, sid, &dom, 0x55);
    const uint64_t base = 0x7F0000000ull;
    for (uint64_t i = 0; i < 16; i++)
        pt_map(d, dom.pgd, base + i * 4096, 0x100000000ull + i * 4096, P_READ | P_WRITE | P_CACHE, false, 3);
    for (uint64_t i = 0; i < 16; i++)
        expect_pa(d, sid, base + i * 4096 + 8, 0, 0x100000000ull + i * 4096 + 8);

    /* unmap 3 pages (1..3): NUM=2 SCALE=0 with RIL, three commands without */
    for (uint64_t i = 1; i <= 3; i++)
        pt_unmap(d, dom.pgd, base + i * 4096);
    tlb_inv_range(d, 0x12, dom.asid, 0, base + 4096, 3 * 4096, true);
    smmuv3_result r;
    for (uint64_t i = 1; i <= 3; i++) {
        assert_int_equal(xlate(d, sid, base + i * 4096, 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
        assert_int_equal(ev[2], base + i * 4096);
    }
    expect_pa(d, sid, base, 0, 0x100000000ull);
    expect_pa(d, sid, base + 4 * 4096, 0, 0x100000000ull + 4 * 4096);

    /* unmap 8 pages (8..15): SCALE=3 NUM=0 with RIL */
    for (uint64_t i = 8; i < 16; i++)
        pt_unmap(d, dom.pgd, base + i * 4096);
    tlb_inv_range(d, 0x12, dom.asid, 0, base + 8 * 4096, 8 * 4096, true);
    for (uint64_t i = 8; i < 16; i++) {
        assert_int_equal(xlate(d, sid, base + i * 4096, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
    }
    expect_pa(d, sid, base + 7 * 4096, 0, 0x100000000ull + 7 * 4096);

    /* remap page 0 elsewhere (a break-before-make through unmap + TLBI + map) */
    pt_unmap(d, dom.pgd, base);
    tlb_inv_range(d, 0x12, dom.asid, 0, base, 4096, true);
    pt_map(d, dom.pgd, base, 0x200000000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    expect_pa(d, sid, base + 0x10, 0, 0x200000010ull);

    /* whole-domain flush: arm_smmu_tlb_inv_context -> TLBI_NH_ASID + SYNC */
    pt_unmap(d, dom.pgd, base + 4 * 4096);
    pt_unmap(d, dom.pgd, base + 5 * 4096);
    issue_sync(d, c_tlbi_nh_asid(dom.asid));
    assert_int_equal(xlate(d, sid, base + 4 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(xlate(d, sid, base + 5 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    expect_pa(d, sid, base + 6 * 4096, 0, 0x100000000ull + 6 * 4096);
    assert_int_equal(rd32(d, GERROR), rd32(d, GERRORN));
}

static void test_s1_tlbi_range(void **state) { run_s1_tlbi(*state, true); }
static void test_s1_tlbi_per_page(void **state) { run_s1_tlbi(*state, false); }

/* S2 domain: arm_smmu_make_s2_domain_ste, TLBI_S2_IPA range + SYNC, S12_VMALL */
/* a 2M block: io-pgtable unmaps it with granule 2M -> TTL 2, SCALE 9, NUM 0;
 * a non-leaf invalidation (table freed) has TTL 0 */
static void test_block_tlbi_ttl(void **state)
{
    drv *d = *state;
    const uint32_t sid = 2;
    s1dom dom;
    attach_s1(d, sid, &dom, 9);
    pt_map(d, dom.pgd, 0x40000000ull, 0x80000000ull, P_READ | P_WRITE | P_CACHE, false, 2);
    expect_pa(d, sid, 0x401FF000ull, 0, 0x801FF000ull);
    expect_pa(d, sid, 0x40000010ull, 0, 0x80000010ull);
    /* unmap the block */
    uint64_t l1 = mr64(d, dom.pgd + ((0x40000000ull >> 39) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    uint64_t l2 = mr64(d, l1 + ((0x40000000ull >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    mw64(d, l2 + ((0x40000000ull >> 21) & 511) * 8, 0);
    cmd c = c_tlbi_va(0x12, dom.asid, 0, 0x40000000ull, true, 0, 9, 1, 2);
    issue_sync(d, c);
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x401FF000ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(xlate(d, sid, 0x40000010ull, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(d, ev);
    evtq_pop(d, ev);

    /* pages under a level-2 table, then the whole table replaced: non-leaf, TTL 0 */
    pt_map(d, dom.pgd, 0x60000000ull, 0x90000000ull, P_READ | P_CACHE, false, 3);
    expect_pa(d, sid, 0x60000444ull, 0, 0x90000444ull);
    uint64_t l2b = mr64(d, l1 + ((0x60000000ull >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    mw64(d, l2b + ((0x60000000ull >> 21) & 511) * 8, 0);
    tlb_inv_range(d, 0x12, dom.asid, 0, 0x60000000ull, 2ull << 20, false);
    assert_int_equal(xlate(d, sid, 0x60000444ull, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    expect_no_event(d);
}

/* CMD_SYNC with CS = SEV (no MSI polling): completes, one SEV */
/* a TLBI by address inside a cached 2M block invalidates the whole block
 * entry (4.4.1: every entry whose range contains the address), with the
 * range form (TTL 0, one 4K page) and the plain form */
static void test_tlbi_inside_block(void **state)
{
    drv *d = *state;
    for (int ranged = 0; ranged < 2; ranged++) {
        lx_reopen(d, NULL);                       /* a fresh SMMU for each form */
        linux_reset(d, false);
        const uint32_t sid = 3;
        s1dom dom;
        attach_s1(d, sid, &dom, 0x123);
        const uint64_t blk = 0x7FE00000ull;
        pt_map(d, dom.pgd, blk, 0x40000000ull, P_READ | P_WRITE | P_CACHE, false, 2);
        expect_pa(d, sid, blk + 0x100000, 0, 0x40100000ull);
        expect_pa(d, sid, blk + 0x5000, 0, 0x40005000ull);
        uint64_t l1 = mr64(d, dom.pgd + ((blk >> 39) & 511) * 8) & 0x0000FFFFFFFFF000ull;
        uint64_t l2 = mr64(d, l1 + ((blk >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
        mw64(d, l2 + ((blk >> 21) & 511) * 8, 0);
        /* ranged: two 4K granules, no level hint (NUM 1; NUM == SCALE == TTL == 0 is Reserved) */
        cmd c = ranged ? c_tlbi_va(0x12, dom.asid, 0, blk + 0x5000, true, 1, 0, 1, 0)
                       : c_tlbi_va(0x12, dom.asid, 0, blk + 0x5000, true, 0, 0, 0, 0);
        issue_sync(d, c);
        smmuv3_result r;
        assert_int_equal(xlate(d, sid, blk + 0x100000, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[2], blk + 0x100000);
    }
}

/* the Reserved range encoding (TG != 0, NUM == SCALE == TTL == 0) is CERROR_ILL (4.4.1.1) */
static void test_tlbi_reserved_range_encoding(void **state)
{
    drv *d = *state;
    uint32_t start = issue_nowait(d, c_tlbi_va(0x12, 1, 0, 0x1000, true, 0, 0, 1, 0));
    assert_int_equal(rd32(d, CMDQ_CONS), 1u << 24 | start);
    assert_int_equal((rd32(d, GERROR) ^ rd32(d, GERRORN)) & 1u, 1u);
    cmdq_skip_err(d, start);                     /* skip it as Linux does, acknowledge */
    cmdq_wait(d);
}

TEST_MAIN_FX(lx_setup_linear, lx_teardown, test_s1_tlbi_range, test_s1_tlbi_per_page, test_block_tlbi_ttl,
             test_tlbi_inside_block, test_tlbi_reserved_range_encoding)
