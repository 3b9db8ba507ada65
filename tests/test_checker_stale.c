/* SPDX-License-Identifier: MIT */
/*
 * Driver checker: STALE_STE, STALE_CD and STALE_TLB, each with the twin that
 * must stay silent (the right invalidation, or a change made before the
 * entry was cached), and the checker's promise to report only: the model
 * still answers from its caches exactly as without it. Each test starts from
 * the fixture's SMMU, brought up with the checker on (ck_fx_up).
 */
#include "test_checker_util.h"
#include "test_main.h"

static uint64_t rd64(cenv *e, uint64_t pa)
{
    uint64_t v = 0;
    assert_int_equal(smmuv3_space_read64(&e->pa, pa, &v), 0);
    return v;
}

static void wr64(cenv *e, uint64_t pa, uint64_t v)
{
    assert_int_equal(smmuv3_space_write64(&e->pa, pa, v), 0);
}

/* STE of a cached stream changed to bypass: reported once, at the STE's PA;
 * the translation still uses the cached STE. */
static void stale_ste_reported(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 3, 1);
    uint64_t pa;
    assert_int_equal(ck_xlate(e, 3, CK_IOVA + 0x123, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x123);
    uint8_t ste[SMMUV3_STE_BYTES];
    smmuv3_ste_bypass(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 3, ste), 0);
    assert_int_equal(ck_xlate(e, 3, CK_IOVA + 0x123, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x123);          /* the cached STE: behaviour unchanged */
    ck_expect_one(e, SMMUV3_DIAG_STALE_STE, 3, ck_ste_pa(e, 3), "CFGI");
    assert_int_equal(e->r[0].ssid, UINT32_MAX);
    ck_xlate(e, 3, CK_IOVA, 0, NULL);          /* one report per cached entry */
    assert_int_equal(e->n, 1);
    smmuv3_stats st;
    smmuv3_get_stats(e->s, &st);
    assert_int_equal(st.diags[SMMUV3_DIAG_STALE_STE], 1);
}

static void stale_ste_silent_with_cfgi(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 3, 1);
    assert_int_equal(ck_xlate(e, 3, CK_IOVA, 0, NULL), 0);
    uint8_t ste[SMMUV3_STE_BYTES];
    smmuv3_ste_bypass(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 3, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->drv, 3), 0);
    uint64_t pa;
    assert_int_equal(ck_xlate(e, 3, CK_IOVA + 8, 0, &pa), 0);
    assert_int_equal(pa, CK_IOVA + 8);            /* bypass now */
    ck_assert_silent(e);
}

/* A change made before the STE was ever used needs no invalidation. */
static void stale_ste_silent_before_cached(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 3, 1);
    uint64_t a = ck_ste_pa(e, 3);
    wr64(e, a + 8, rd64(e, a + 8) ^ 1);          /* S1DSS / word 1 tweak before first use */
    ck_xlate(e, 3, CK_IOVA, 0, NULL);
    ck_xlate(e, 3, CK_IOVA, 0, NULL);
    ck_assert_silent(e);
}

/* 2-level stream table: the L1 descriptor moved to a copy of the level 2
 * table, with no CFGI. */
static void stale_l1std_reported(void **state)
{
    cenv *e = *state;
    ck_down(e);
    ck_up_2level(e);                              /* this one on a 2-level stream table */
    smmuv3_pt pt;
    smmuv3_cdtab cds;
    ck_s1(e, 70, 1, CK_PA, &pt, &cds);
    assert_int_equal(ck_xlate(e, 70, CK_IOVA, 0, NULL), 0);
    uint64_t l2;
    assert_int_equal(smmuv3_space_zalloc(&e->pa, 64 * 64, 4096, &l2), 0);
    uint8_t ste[SMMUV3_STE_BYTES];
    assert_int_equal(smmuv3_strtab_read_ste(&e->st, 70, ste), 0);
    assert_int_equal(smmuv3_space_write(&e->pa, l2 + (70 & 63) * 64, ste, sizeof(ste)), 0);
    assert_int_equal(smmuv3_strtab_set_l1(&e->st, 70 >> 6, l2, 7), 0);
    ck_xlate(e, 70, CK_IOVA, 0, NULL);
    ck_expect_one(e, SMMUV3_DIAG_STALE_STE, CK_ANY, e->st.base + (70 >> 6) * 8, "L1STD");
}

static void stale_cd_reported_and_silent_with_cfgi(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 5, 7);
    assert_int_equal(ck_xlate(e, 5, CK_IOVA, 0, NULL), 0);
    uint8_t cd[SMMUV3_CD_BYTES];
    assert_int_equal(smmuv3_cdtab_read_cd(&e->cds, 0, cd), 0);
    assert_int_equal(smmuv3_cd_set(cd, "asid", 9), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&e->cds, 0, cd), 0);
    ck_xlate(e, 5, CK_IOVA, 0, NULL);
    ck_expect_one(e, SMMUV3_DIAG_STALE_CD, 5, e->cds.base, NULL);
    /* the twin: the right CFGI_CD, then another change and its CFGI */
    assert_int_equal(smmuv3_driver_cfgi_cd(&e->drv, 5, 0), 0);
    ck_xlate(e, 5, CK_IOVA, 0, NULL);
    assert_int_equal(smmuv3_cd_set(cd, "asid", 10), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&e->cds, 0, cd), 0);
    assert_int_equal(smmuv3_driver_cfgi_cd(&e->drv, 5, 0), 0);
    ck_xlate(e, 5, CK_IOVA, 0, NULL);
    assert_int_equal(e->n, 1);
}

/* A leaf remapped with no TLBI: reported at the input address; the model
 * still answers from the IOTLB. The twin invalidates by VA. */
static void stale_tlb_remap(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 2, 4);
    uint64_t pa;
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x2010, 0, &pa), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, CK_IOVA + 0x2000, CK_PA + 0x100000, 0x1000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x2010, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x2010);         /* the cached translation */
    ck_expect_one(e, SMMUV3_DIAG_STALE_TLB, 2, CK_IOVA + 0x2010, "TLBI");
    /* twin: TLBI_NH_VA + CMD_SYNC, another remap with its TLBI */
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->drv, 0, 4, CK_IOVA + 0x2000, true), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x2010, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x100010);
    assert_int_equal(smmuv3_pt_map(&e->pt, CK_IOVA + 0x2000, CK_PA + 0x200000, 0x1000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->drv, 0, 4, CK_IOVA + 0x2000, true), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x2010, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x200010);
    assert_int_equal(e->n, 1);
}

/* Unmapped (leaf removed) and made read-only, each without a TLBI. */
static void stale_tlb_unmap_and_protect(void **state)
{
    cenv *e = *state;
    ck_add_s1(e, 2, 4);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA, 0, NULL), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x1000, SMMUV3_TXN_WRITE, NULL), 0);
    assert_int_equal(smmuv3_pt_unmap(&e->pt, CK_IOVA, 0x1000), 0);
    assert_int_equal(smmuv3_pt_protect(&e->pt, CK_IOVA + 0x1000, 0x1000, SMMUV3_MAP_READ | SMMUV3_MAP_NG), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA, 0, NULL), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA + 0x1000, SMMUV3_TXN_WRITE, NULL), 0);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_STALE_TLB), 2);
    assert_int_equal(e->n, 2);
}

/* Stage 2: an IPA remapped without TLBI_S2_IPA; the twin invalidates. */
static void stale_tlb_stage2(void **state)
{
    cenv *e = *state;
    smmuv3_pt pt;
    ck_s2(e, 9, 3, CK_PA, &pt);
    assert_int_equal(ck_xlate(e, 9, CK_IOVA + 0x3000, 0, NULL), 0);
    assert_int_equal(smmuv3_pt_map(&pt, CK_IOVA + 0x3000, CK_PA + 0x400000, 0x1000, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(ck_xlate(e, 9, CK_IOVA + 0x3000, 0, NULL), 0);
    ck_expect_one(e, SMMUV3_DIAG_STALE_TLB, 9, CK_ANY, NULL);
    assert_int_equal(smmuv3_driver_tlbi_s2_ipa(&e->drv, 3, CK_IOVA + 0x3000, true), 0);
    uint64_t pa;
    assert_int_equal(ck_xlate(e, 9, CK_IOVA + 0x3000, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x400000);
    assert_int_equal(e->n, 1);
}

/* Switched on after the memo learnt a translation: the stale entry is still
 * found (the memo is emptied and bypassed while the checker is on). Switched
 * off: no more reports, and the counters stay. */
static void memo_bypassed_and_off_is_silent(void **state)
{
    cenv *e = *state;
    smmuv3_set_diag(e->s, NULL, NULL);
    smmuv3_pt pt;
    smmuv3_cdtab cds;
    ck_s1(e, 2, 4, CK_PA, &pt, &cds);
    for (int i = 0; i < 4; i++)
        assert_int_equal(ck_xlate(e, 2, CK_IOVA, 0, NULL), 0);
    assert_int_equal(smmuv3_pt_map(&pt, CK_IOVA, CK_PA + 0x100000, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    ck_xlate(e, 2, CK_IOVA, 0, NULL);
    assert_int_equal(e->n, 0);                     /* off */
    smmuv3_set_diag(e->s, ck_collect, e);
    uint64_t pa;
    assert_int_equal(ck_xlate(e, 2, CK_IOVA, 0, &pa), 0);
    assert_int_equal(pa, CK_PA);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_STALE_TLB), 1);
    smmuv3_set_diag(e->s, NULL, NULL);
    assert_int_equal(smmuv3_pt_map(&pt, CK_IOVA + 0x1000, CK_PA, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    ck_xlate(e, 2, CK_IOVA + 0x1000, 0, NULL);
    assert_int_equal(e->n, 1);
}

/* HTTU: the SMMU itself sets AF and marks a writable-clean page dirty;
 * nothing the driver did is stale-> */
static void httu_updates_are_silent(void **state)
{
    cenv *e = *state;
    assert_int_equal(smmuv3_pt_init_s1(&e->pt, &e->pa, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, CK_IOVA, CK_PA, 0x2000,
                                   SMMUV3_MAP_READ | SMMUV3_MAP_DBM | SMMUV3_MAP_NOAF | SMMUV3_MAP_NG, 0), 0);
    ck_s1_over(e, 1, 1, true, &e->pt, &e->cds);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ck_xlate(e, 1, CK_IOVA, 0, NULL), 0);
        assert_int_equal(ck_xlate(e, 1, CK_IOVA + 0x1000, 0, NULL), 0);
        assert_int_equal(ck_xlate(e, 1, CK_IOVA, SMMUV3_TXN_WRITE, NULL), 0);
    }
    ck_assert_silent(e);
}

TEST_MAIN_FX(ck_fx_up, ck_fx_down, stale_ste_reported, stale_ste_silent_with_cfgi, stale_ste_silent_before_cached,
          stale_l1std_reported, stale_cd_reported_and_silent_with_cfgi, stale_tlb_remap,
          stale_tlb_unmap_and_protect, stale_tlb_stage2, memo_bypassed_and_off_is_silent,
          httu_updates_are_silent)
