/* SPDX-License-Identifier: MIT */
/*
 * Walks through small translation tables (IHI 0070 6.3.4 IDR3.STT, FEAT_TTST
 * in the Arm ARM): whole transactions through smmuv3_translate, so both the
 * CD/STE range checks (5.4 T0SZ/T1SZ, 5.2 S2T0SZ/S2SL0) and the walker's start
 * level and index bits are exercised. Tables are written by hand (walkpt.h)
 * at addresses aligned to the table's own size, not to the granule.
 */
#include "test_cfg_util.h"
#include "walkpt.h"
#include "test_main.h"

#define SID 4
#define POOL 0x1000000ull   /* intermediate tables (tpt pool) */

#define S1_PAGE (PT_AF | PT_ATTRINDX(0) | PT_SH(3) | PT_AP(1) | PT_NG)   /* EL0+EL1 read/write */
#define S2_PAGE (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))

static unsigned tg0_of(unsigned g) { return g == 12 ? 0 : g == 16 ? 1 : 2; }   /* 5.4 TG0 / 5.2 S2TG */

/* The transaction translates to pa with no event. */
static void expect_pa(tenv *e, uint64_t addr, uint64_t pa, const char *what)
{
    smmuv3_result r;
    int rc = t_xlate(e, SID, false, 0, addr, SMMUV3_TXN_WRITE, &r);
    if (rc != 0 || r.pa != pa)
        fail_msg("%s: 0x%llx -> outcome %d fault 0x%x pa 0x%llx, expected 0x%llx", what, (unsigned long long)addr, rc,
                 r.fault, (unsigned long long)r.pa, (unsigned long long)pa);
    t_no_event(e);
}

/* The transaction is beyond the input range: F_TRANSLATION of stage s2,
 * recorded with the input address (and, at stage 2, the IPA). */
static void expect_translation_fault(tenv *e, uint64_t addr, bool s2, const char *what)
{
    smmuv3_result r;
    int rc = t_xlate(e, SID, false, 0, addr, 0, &r);
    if (rc != SMMUV3_XLATE_ABORT || r.fault != SMMUV3_EVT_F_TRANSLATION)
        fail_msg("%s: 0x%llx -> outcome %d fault 0x%x, expected F_TRANSLATION", what, (unsigned long long)addr, rc,
                 r.fault);
    uint64_t w[4];
    t_expect_event(e, SMMUV3_EVT_F_TRANSLATION, SID, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_s2), s2);
    assert_int_equal(fget(w, F_EVENT_inputaddr), addr);
    if (s2) {
        assert_int_equal(fget(w, F_EVENT_class), SMMU_CLASS_IN);
        assert_int_equal(fget_addr(w, F_EVENT_ipa), addr & ~0xfffull);
    }
    t_no_event(e);
}

/* ---------------------------------------------------------------- stage 1
 * 5.4 T0SZ with STT: up to 48 (4K, 16K) or 47 (64K). The walk starts at
 * level 3 with inbits - granule index bits: 4K T0SZ 48 is a 16-bit VA and a
 * root of 16 entries (VA[15:12]); 16K T0SZ 48 4 entries (VA[15:14]); 64K
 * T0SZ 47 a 17-bit VA and 2 entries (VA[16]). */
static const struct s1_case {
    const char *what;
    unsigned g, tsz;
    uint64_t root;          /* aligned to the table size (at least 64 bytes), not to the granule */
    uint64_t va, pa;        /* one page ... */
    uint64_t va2, pa2;      /* ... and another at a different root index */
} s1_cases[] = {
    { "4K T0SZ 48", 12, 48, 0x600080, 0xA123, 0x5432000, 0x3456, 0x6543000 },
    { "16K T0SZ 48", 14, 48, 0x600040, 0xC123, 0x4444000, 0x1ABC, 0x8888000 },
    { "64K T0SZ 47", 16, 47, 0x600100, 0x1A123, 0x9870000, 0x0BCD, 0x7650000 },
};

static void test_s1_small_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(s1_cases) / sizeof(s1_cases[0]); i++) {
        const struct s1_case *k = &s1_cases[i];
        tenv e;
        t_up(&e, 8);
        unsigned inbits = 64 - k->tsz;
        tpt p;
        tpt_init(&p, e.mem, POOL, k->g, 0);
        tpt_map(&p, k->root, 3, inbits, k->va, 3, k->pa, S1_PAGE);
        tpt_map(&p, k->root, 3, inbits, k->va2, 3, k->pa2, S1_PAGE);
        uint64_t cd[8], ste[8];
        t_cd(cd, k->root, 1);
        fset(cd, F_CD_tg0, tg0_of(k->g));
        fset(cd, F_CD_t0sz, k->tsz);
        t_write_words(&e, T_CD, cd, 8);
        t_ste_s1(ste, T_CD, 0, 0);
        t_ste_at(&e, SID, ste);
        uint64_t off = (1ull << k->g) - 1;
        expect_pa(&e, k->va, k->pa | (k->va & off), k->what);
        expect_pa(&e, k->va2, k->pa2 | (k->va2 & off), k->what);
        /* the first address beyond the 2^inbits-byte VA range, and one far above */
        expect_translation_fault(&e, 1ull << inbits, false, k->what);
        expect_translation_fault(&e, k->va | 1ull << 30, false, k->what);
        t_down(&e);
    }
}

/* The upper range: TTB1 with T1SZ 48 (4K) covers the top 64 KB of the VA
 * space, indexed by VA[15:12]; below it (bits 63:16 not all ones) is a
 * translation fault. */
static void test_s1_small_ttb1(void **state)
{
    (void)state;
    tenv e;
    t_up(&e, 8);
    tpt p;
    tpt_init(&p, e.mem, POOL, 12, 0);
    uint64_t root1 = 0x600200, va = 0xFFFFFFFFFFFF5123ull;
    tpt_map(&p, root1, 3, 16, va, 3, 0x2468000, S1_PAGE);
    uint64_t cd[8], ste[8];
    t_cd(cd, 0x700000, 1);
    fset(cd, F_CD_epd1, 0);
    fset(cd, F_CD_tg1, 2);   /* 4K */
    fset(cd, F_CD_t1sz, 48);
    fset_addr(cd, F_CD_ttb1, root1);
    t_write_words(&e, T_CD, cd, 8);
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(&e, SID, ste);
    expect_pa(&e, va, 0x2468123, "4K T1SZ 48");
    expect_translation_fault(&e, 0xFFFFFFFFFFFE5123ull, false, "4K T1SZ 48, below the range");
    t_down(&e);
}

/* ---------------------------------------------------------------- stage 2
 * 5.2 S2T0SZ with STT: up to 48 (4K, 16K) or 47 (64K); S2SL0 0b11 with 4K
 * starts at level 3 (VTCR_EL2.SL0 with FEAT_TTST), where up to 16 tables may
 * be concatenated (S2T0SZ 39: a 25-bit IPA, 8192 entries in 16 4K tables). */
static const struct s2_case {
    const char *what;
    unsigned g, tsz, sl0, start;
    uint64_t root;
    uint64_t ipa, pa;
} s2_cases[] = {
    { "4K S2T0SZ 48 S2SL0 3", 12, 48, 3, 3, 0x600080, 0x7456, 0x3217000 },
    { "4K S2T0SZ 39 S2SL0 3 (16 level 3 tables)", 12, 39, 3, 3, 0x610000, 0x1ABC123, 0x2468000 },
    { "4K S2T0SZ 42 S2SL0 0 (2 entries at level 2)", 12, 42, 0, 2, 0x600040, 0x2ABC00, 0x3690000 },
    { "16K S2T0SZ 48 S2SL0 0", 14, 48, 0, 3, 0x600040, 0x8123, 0x4444000 },
    { "64K S2T0SZ 47 S2SL0 0", 16, 47, 0, 3, 0x600100, 0x1F123, 0x5550000 },
};

static void test_s2_small_tables(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(s2_cases) / sizeof(s2_cases[0]); i++) {
        const struct s2_case *k = &s2_cases[i];
        tenv e;
        t_up(&e, 8);
        unsigned inbits = 64 - k->tsz;
        tpt p;
        tpt_init(&p, e.mem, POOL, k->g, 0);
        tpt_map(&p, k->root, k->start, inbits, k->ipa, 3, k->pa, S2_PAGE);
        uint64_t ste[8];
        t_ste_s2(ste, k->root, 1);
        fset(ste, F_STE_s2tg, tg0_of(k->g));
        fset(ste, F_STE_s2sl0, k->sl0);
        fset(ste, F_STE_s2t0sz, k->tsz);
        t_ste_at(&e, SID, ste);
        expect_pa(&e, k->ipa, k->pa | (k->ipa & ((1ull << k->g) - 1)), k->what);
        expect_translation_fault(&e, 1ull << inbits, true, k->what);
        expect_translation_fault(&e, k->ipa | 1ull << 33, true, k->what);
        t_down(&e);
    }
}

/* Nested: a stage 1 with a 16-bit VA (4K T0SZ 48) over a stage 2 with a
 * 16-bit IPA from level 3 (S2T0SZ 48, S2SL0 0b11): the CD, the stage 1 root
 * and the output all live in the 64 KB IPA space. */
static void test_nested_small_tables(void **state)
{
    (void)state;
    tenv e;
    t_up(&e, 8);
    tpt s2, s1;
    tpt_init(&s2, e.mem, POOL, 12, 0);
    uint64_t s2root = 0x600080;
    /* IPA 0x1000 -> PA 0x700000 (CD), 0x2000 -> 0x701000 (stage 1 root), 0xE000 -> 0x3330000 (data) */
    tpt_map(&s2, s2root, 3, 16, 0x1000, 3, 0x700000, S2_PAGE);
    tpt_map(&s2, s2root, 3, 16, 0x2000, 3, 0x701000, S2_PAGE);
    tpt_map(&s2, s2root, 3, 16, 0xE000, 3, 0x3330000, S2_PAGE);
    tpt_init(&s1, e.mem, POOL + 0x100000, 12, 0);
    tpt_map(&s1, 0x701000, 3, 16, 0x4000, 3, 0xE000, S1_PAGE);   /* VA 0x4000 -> IPA 0xE000 */
    uint64_t cd[8], ste[8];
    t_cd(cd, 0x2000, 1);       /* TTB0 is an IPA */
    fset(cd, F_CD_t0sz, 48);
    t_write_words(&e, 0x700000, cd, 8);
    t_ste_s2(ste, s2root, 1);
    fset(ste, F_STE_config, SMMU_STE_CFG_NESTED);
    fset_addr(ste, F_STE_s1contextptr, 0x1000);
    fset(ste, F_STE_s2sl0, 3);
    fset(ste, F_STE_s2t0sz, 48);
    t_ste_at(&e, SID, ste);
    expect_pa(&e, 0x4567, 0x3330567, "nested 16-bit VA over a 16-bit IPA");
    expect_translation_fault(&e, 0x14567, false, "nested: VA beyond 16 bits");
    t_down(&e);
}

/* Without STT (a profile with stt = false) the same configurations are
 * ILLEGAL (5.4 T0SZ, 5.2 S2T0SZ/S2SL0: at most 39; 4K S2SL0 0b11 reserved). */
static void test_small_tables_need_stt(void **state)
{
    (void)state;
    smmuv3_config c;
    t_profile(P_NO_STT, &c);
    tenv e;
    t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
    assert_false(smmuv3_get_config(e.s)->sel2);   /* 6.3.4: STT is 1 where SEL2 is 1 */
    uint64_t cd[8], ste[8];
    smmuv3_result r;
    t_cd(cd, 0x600080, 1);
    fset(cd, F_CD_t0sz, 48);
    t_write_words(&e, T_CD, cd, 8);
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(&e, SID, ste);
    assert_int_equal(t_xlate(&e, SID, false, 0, 0xA123, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_C_BAD_CD, SID, false, 0, NULL);
    t_ste_s2(ste, 0x600080, 1);
    fset(ste, F_STE_s2sl0, 3);
    fset(ste, F_STE_s2t0sz, 48);
    t_ste_at(&e, SID + 1, ste);
    assert_int_equal(t_xlate(&e, SID + 1, false, 0, 0x7456, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_C_BAD_STE, SID + 1, false, 0, NULL);
    t_no_event(&e);
    t_down(&e);
}

TEST_MAIN(test_s1_small_tables, test_s1_small_ttb1, test_s2_small_tables, test_nested_small_tables,
          test_small_tables_need_stt)
