/* Unit tests: translation table walks (src/model/walk/walk.c, perm.c, walkcache.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "model/smmu.h"
#include "walkpt.h"

/* ------------------------------------------------------------ fixture */
typedef wfx fx;
static int setup(void **state)
{
    *state = wfx_new(NULL);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    wfx_free(*state);
    return 0;
}

#define cfg_s1 wfx_cfg_s1
#define cfg_s2 wfx_cfg_s2

static const smmu_access RD = { .write = false, .exec = false, .priv = false };
static const smmu_access WR = { .write = true, .exec = false, .priv = false };

#define S1_RW (PT_AF | PT_ATTRINDX(1) | PT_SH(3) | PT_AP(1))   /* EL0+EL1 read/write */
#define S2_RW (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))

/* ------------------------------------------------------------ basic walks */
static void test_s1_4k_basic(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    tpt_map(&p, root, 0, 48, 0x12345678000ull, 3, 0x80042000ull, S1_RW);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    uint64_t walks = x->s->stats.walks;
    assert_int_equal(smmu_walk(x->s, &c, 0x12345678abcull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x80042abcull);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s1_level, 3);
    assert_int_equal(out.s1_granule, 12);
    assert_true(out.global);
    assert_true(out.perm.s1);
    assert_false(out.perm.s2);
    assert_int_equal(out.attrs.memattr, 0xff);
    assert_int_equal(out.attrs.sh, 3);
    assert_int_equal(x->s->stats.walks, walks + 1);
    assert_int_equal(smmu_walk(x->s, &c, 0x12345678abcull, &WR, &out, &f), 0);
    /* unmapped neighbour */
    assert_int_equal(smmu_walk(x->s, &c, 0x12345679000ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
}

static void test_s2_4k_concat(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x200000, 12, 0);
    /* 40-bit IPA from level 1: 1024 entries = 2 concatenated tables. */
    uint64_t root = tpt_alloc(&p, 1024);
    tpt_map(&p, root, 1, 40, 0x8000001000ull, 3, 0x4000000ull, S2_RW);
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c.ste.s2, 12, 24, 1, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x8000001234ull, &WR, &out, &f), 0);
    assert_int_equal(out.pa, 0x4000234ull);
    assert_int_equal(out.ipa, 0x8000001234ull);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 12);
    assert_int_equal(out.s2_level, 3);
    assert_true(out.perm.s2);
    assert_int_equal(out.attrs.memattr, 0xff);
    /* the entry in the second concatenated table really is at root + 4K */
    assert_int_equal(tpt_desc_pa(&p, root, 1, 40, 0x8000001000ull, 1), root + 512 * 8);
    /* outside the 40-bit range: stage 2 translation fault, CLASS=IN, IPA */
    assert_int_equal(smmu_walk(x->s, &c, 0x10000000000ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x10000000000ull);
    /* beyond the IAS (OAS 48): stage 1 address size fault although stage 1 is bypassed */
    assert_int_equal(smmu_walk(x->s, &c, 1ull << 48, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_false(f.s2);
}

/* Nested setup used by several tests: stage 2 maps IPA [0, 1G) -> PA + 1G with 2M blocks. */
#define NEST_OFF 0x40000000ull
static void nested_setup(fx *x, smmu_txcfg *c, tpt *p1, uint64_t *s1root, tpt *p2, uint64_t *s2root)
{
    tpt_init(p2, x->mem, 0x300000, 12, 0);
    *s2root = tpt_alloc(p2, 1024);
    for (uint64_t ipa = 0; ipa < 0x40000000ull; ipa += 0x200000)
        tpt_map(p2, *s2root, 1, 40, ipa, 2, ipa + NEST_OFF, S2_RW);
    /* stage 1 tables at IPA 0x100000.. (PA 0x40100000..) */
    tpt_init(p1, x->mem, 0x100000 + NEST_OFF, 12, NEST_OFF);
    uint64_t r = tpt_alloc(p1, 512);
    *s1root = r;
    cfg_s1(c, 12, 16, r - NEST_OFF);
    c->ste.config = SMMU_STE_CFG_NESTED;
    cfg_s2(&c->ste.s2, 12, 24, 1, *s2root);
}

static void test_nested_4k_basic(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    tpt_map(&p1, r1, 0, 48, 0x7f0000001000ull, 3, 0x20005000ull, S1_RW);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x7f0000001678ull, &RD, &out, &f), 0);
    assert_int_equal(out.ipa, 0x20005678ull);
    assert_int_equal(out.pa, 0x20005678ull + NEST_OFF);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 21);
    assert_int_equal(out.s1_level, 3);
    assert_int_equal(out.s2_level, 2);
    assert_true(out.perm.s1 && out.perm.s2);
    /* final IPA outside the stage 2 range: S2=1, CLASS=IN, IPA */
    tpt_map(&p1, r1, 0, 48, 0x7f0000002000ull, 3, 0x10000000000ull, S1_RW);
    assert_int_equal(smmu_walk(x->s, &c, 0x7f0000002010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x10000000010ull);
}


/* ------------------------------------------------------------ granules and start levels */
typedef struct lvl_case { unsigned g, start, inbits; } lvl_case;

static void test_s1_start_levels(void **state)
{
    fx *x = *state;
    static const lvl_case cases[] = {
        { 12, 0, 48 }, { 12, 1, 39 }, { 12, 2, 30 }, { 12, 3, 21 },
        { 14, 0, 48 }, { 14, 1, 47 }, { 14, 2, 36 }, { 14, 3, 25 },
        { 16, 1, 52 }, { 16, 1, 48 }, { 16, 2, 42 }, { 16, 3, 29 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const lvl_case *k = &cases[i];
        tpt p;
        tpt_init(&p, x->mem, 0x1000000ull * (i + 1), k->g, 0);
        unsigned sh0 = tpt_shift(k->g, k->start);
        uint64_t root = tpt_alloc(&p, 1ull << (k->inbits - sh0));
        uint64_t va = ((1ull << k->inbits) - 1) & ~((1ull << k->g) - 1);   /* the last page */
        uint64_t oa = 0x7654000000ull & ~((1ull << k->g) - 1);
        tpt_map(&p, root, k->start, k->inbits, va, 3, oa, S1_RW);
        smmu_txcfg c;
        cfg_s1(&c, k->g, 64 - k->inbits, root);
        smmu_xlate out;
        smmu_fault f;
        assert_int_equal(smmu_walk(x->s, &c, va + 0x18, &RD, &out, &f), 0);
        assert_int_equal(out.pa, oa + 0x18);
        assert_int_equal(out.size_log2, k->g);
        assert_int_equal(out.s1_level, 3);
        /* one past the range: translation fault */
        if (k->inbits < 52) {
            assert_int_equal(smmu_walk(x->s, &c, 1ull << k->inbits, &RD, &out, &f), 1);
            assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
        }
    }
}

static void test_s2_start_levels_concat(void **state)
{
    fx *x = *state;
    static const lvl_case cases[] = {
        { 12, 0, 48 }, { 12, 1, 40 }, { 12, 1, 34 }, { 12, 2, 34 }, { 12, 2, 30 },
        { 14, 1, 40 }, { 14, 1, 47 }, { 14, 2, 36 }, { 14, 3, 25 },
        { 16, 1, 48 }, { 16, 2, 40 }, { 16, 3, 25 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const lvl_case *k = &cases[i];
        tpt p;
        tpt_init(&p, x->mem, 0x1000000ull * (i + 1), k->g, 0);
        unsigned sh0 = tpt_shift(k->g, k->start);
        uint64_t root = tpt_alloc(&p, 1ull << (k->inbits - sh0));
        uint64_t ipa = ((1ull << k->inbits) - 1) & ~((1ull << k->g) - 1);
        uint64_t oa = 0x123400000ull;
        tpt_map(&p, root, k->start, k->inbits, ipa, 3, oa, S2_RW);
        smmu_txcfg c;
        memset(&c, 0, sizeof(c));
        c.ste.config = SMMU_STE_CFG_S2;
        cfg_s2(&c.ste.s2, k->g, 64 - k->inbits, k->start, root);
        smmu_xlate out;
        smmu_fault f;
        assert_int_equal(smmu_walk(x->s, &c, ipa + 8, &WR, &out, &f), 0);
        assert_int_equal(out.pa, oa + 8);
        assert_int_equal(out.s2_level, 3);
        assert_int_equal(out.size_log2, k->g);
        if (k->inbits < 48) {
            assert_int_equal(smmu_walk(x->s, &c, 1ull << k->inbits, &RD, &out, &f), 1);
            assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
            assert_true(f.s2);
            assert_int_equal(f.ipa, 1ull << k->inbits);
        }
    }
    /* more than 16 concatenated tables: not a usable configuration -> translation fault */
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c.ste.s2, 12, 64 - 40, 2, 0x100000);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
}

/* ------------------------------------------------------------ blocks */
static void blocks_common(fx *x, bool s2, bool oas52)
{
    static const unsigned gs[3] = { 12, 14, 16 };
    for (unsigned gi = 0; gi < 3; gi++) {
        unsigned g = gs[gi];
        unsigned start = g == 16 ? 1 : 0;
        unsigned inbits = 48;
        for (unsigned level = start; level <= 2; level++) {
            tpt p;
            tpt_init(&p, x->mem, 0x1000000ull * (gi * 4 + level + 1), g, 0);
            uint64_t root = tpt_alloc(&p, 1ull << (inbits - tpt_shift(g, start)));
            unsigned sh = tpt_shift(g, level);
            uint64_t in = 3ull << sh;
            if (in >> inbits)
                in = 1ull << sh;
            uint64_t oa = 5ull << sh;
            if (oa >> 48)
                oa = 1ull << sh;
            tpt_map(&p, root, start, inbits, in, level, oa, s2 ? S2_RW : S1_RW);
            smmu_txcfg c;
            if (s2) {
                memset(&c, 0, sizeof(c));
                c.ste.config = SMMU_STE_CFG_S2;
                cfg_s2(&c.ste.s2, g, 16, start, root);
            } else {
                cfg_s1(&c, g, 16, root);
            }
            bool legal = (g == 12 && (level == 1 || level == 2)) || (g == 14 && level == 2) ||
                         (g == 16 && (level == 2 || (level == 1 && oas52)));
            smmu_xlate out;
            smmu_fault f;
            int r = smmu_walk(x->s, &c, in + 0x1238, &RD, &out, &f);
            if (legal) {
                assert_int_equal(r, 0);
                assert_int_equal(out.pa, oa + 0x1238);
                assert_int_equal(out.size_log2, sh);
                assert_int_equal(s2 ? out.s2_level : out.s1_level, level);
            } else {
                assert_int_equal(r, 1);
                assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
                assert_int_equal(f.s2, s2);
            }
        }
    }
}

static void test_blocks(void **state)
{
    fx *x = *state;
    blocks_common(x, false, false);
    blocks_common(x, true, false);
}

static void test_blocks_oas52(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.oas = 52;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    blocks_common(x, false, true);
    blocks_common(x, true, true);
    wfx_free(x);
}

/* A page descriptor type at level 3 must be 0b11; 0b01 there is invalid. */
static void test_level3_block_invalid(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x5000, 3, 0x9000, S1_RW);
    tpt_w64(x->mem, d, tpt_r64(x->mem, d) & ~2ull);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x5000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
}

/* ------------------------------------------------------------ TTB1, TBI, EPD */
static void test_ttb1_tbi_epd(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t r0 = tpt_alloc(&p, 512);
    uint64_t r1 = tpt_alloc(&p, 512);
    tpt_map(&p, r0, 0, 48, 0x0000001234567000ull, 3, 0x11000, S1_RW);
    /* T1SZ = 25: 39-bit upper range, start level 1 */
    tpt_map(&p, r1, 1, 39, 0xffffff8000001000ull, 3, 0x22000, S1_RW);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, r0);
    c.cd.tt[1].epd = false;
    c.cd.tt[1].tsz = 25;
    c.cd.tt[1].ttb = r1;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0xffffff8000001010ull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x22010);
    assert_int_equal(smmu_walk(x->s, &c, 0x0000001234567010ull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x11010);
    /* not sign-extended from bit 38 of the upper range */
    assert_int_equal(smmu_walk(x->s, &c, 0xffff000000001000ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    /* bit 55 set with a zero top byte selects TTB1 and fails its range check */
    assert_int_equal(smmu_walk(x->s, &c, 0x0080001234567000ull, &RD, &out, &f), 1);
    /* TBI off: a tagged address faults; TBI0 on: it translates */
    assert_int_equal(smmu_walk(x->s, &c, 0xab00001234567010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    c.cd.tbi = 1;
    assert_int_equal(smmu_walk(x->s, &c, 0xab00001234567010ull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x11010);
    /* TBI0 does not cover the upper half */
    assert_int_equal(smmu_walk(x->s, &c, 0x12ffff8000001010ull, &RD, &out, &f), 1);
    c.cd.tbi = 3;
    assert_int_equal(smmu_walk(x->s, &c, 0x12ffff8000001010ull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x22010);
    /* EPD0 / EPD1 */
    c.cd.tt[0].epd = true;
    assert_int_equal(smmu_walk(x->s, &c, 0x0000001234567010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_false(f.s2);
    assert_int_equal(smmu_walk(x->s, &c, 0xffffff8000001010ull, &RD, &out, &f), 0);
    c.cd.tt[0].epd = false;
    c.cd.tt[1].epd = true;
    assert_int_equal(smmu_walk(x->s, &c, 0xffffff8000001010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(smmu_walk(x->s, &c, 0x0000001234567010ull, &RD, &out, &f), 0);
    /* EL2 without E2H: one range through TTB0; upper addresses fault even with TTB1 set up */
    c.cd.tt[1].epd = false;
    c.cd.tbi = 0;
    c.ste.regime = SMMU_REGIME_EL2;
    assert_int_equal(smmu_walk(x->s, &c, 0x0000001234567010ull, &RD, &out, &f), 0);
    assert_true(out.global);
    assert_int_equal(smmu_walk(x->s, &c, 0xffffff8000001010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
}

/* ------------------------------------------------------------ nested */
static void test_nested_faults_per_level(void **state)
{
    (void)state;
    const uint64_t va = 0x7f0000001678ull;
    for (unsigned lvl = 0; lvl <= 3; lvl++) {
        fx *x = wfx_new(NULL);
        assert_non_null(x);
        smmu_txcfg c;
        tpt p1, p2;
        uint64_t r1, r2;
        nested_setup(x, &c, &p1, &r1, &p2, &r2);
        tpt_map(&p1, r1, 0, 48, va, 3, 0x20005000ull, S1_RW);
        /* Point the level-`lvl` table at IPA 0x50000000, which stage 2 does not map. */
        const uint64_t bad = 0x50000000ull;
        if (lvl == 0) {
            c.cd.tt[0].ttb = bad;
        } else {
            uint64_t d = tpt_desc_pa(&p1, r1, 0, 48, va, lvl - 1);
            tpt_w64(x->mem, d, (tpt_r64(x->mem, d) & ~0xfffffffff000ull) | bad);
        }
        uint64_t idx = (va >> tpt_shift(12, lvl)) & 511;
        smmu_xlate out;
        smmu_fault f;
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
        assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
        assert_true(f.s2);
        assert_int_equal(f.cls, SMMU_CLASS_TT);
        assert_int_equal(f.ipa, bad + idx * 8);
        assert_true(f.ttrnw);
        wfx_free(x);
    }
}

static void test_nested_cd_fetch(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    smmu_xlate out;
    smmu_fault f;
    /* the CD at IPA 0x3000: mapped */
    assert_int_equal(smmu_walk_s2(x->s, &c.ste.s2, 0x3000, &RD, SMMU_CLASS_CD, &out, &f), 0);
    assert_int_equal(out.pa, 0x3000 + NEST_OFF);
    /* the CD at an unmapped IPA: S2=1, CLASS=CD, IPA = CD address */
    assert_int_equal(smmu_walk_s2(x->s, &c.ste.s2, 0x60000040ull, &RD, SMMU_CLASS_CD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_CD);
    assert_int_equal(f.ipa, 0x60000040ull);
    /* S2 access flag fault on the CD's block */
    uint64_t d = tpt_desc_pa(&p2, r2, 1, 40, 0x3000, 2);
    tpt_w64(x->mem, d, tpt_r64(x->mem, d) & ~PT_AF);
    assert_int_equal(smmu_walk_s2(x->s, &c.ste.s2, 0x3000, &RD, SMMU_CLASS_CD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    assert_int_equal(f.cls, SMMU_CLASS_CD);
    assert_int_equal(f.ipa, 0x3000);
}

static void test_nested_s2_faults_on_tables(void **state)
{
    fx *x = *state;
    const uint64_t va = 0x7f0000001678ull;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    tpt_map(&p1, r1, 0, 48, va, 3, 0x20005000ull, S1_RW);
    smmu_xlate out;
    smmu_fault f;
    uint64_t l3 = tpt_desc_pa(&p1, r1, 0, 48, va, 3);       /* PA of the stage 1 leaf */
    uint64_t l3ipa = l3 - NEST_OFF;
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, l3ipa, 2);   /* stage 2 block mapping it */
    uint64_t s2v = tpt_r64(x->mem, s2d);
    /* stage 2 denies reads of the stage 1 tables (one 2M block holds them all, so
     * the root's descriptor is the first): permission, S2, CLASS=TT, TTRnW=1 */
    uint64_t rootd = r1 - NEST_OFF + ((va >> 39) & 511) * 8;
    assert_int_equal(tpt_desc_pa(&p2, r2, 1, 40, r1 - NEST_OFF, 2), s2d);
    tpt_w64(x->mem, s2d, s2v & ~PT_S2AP(3));
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    assert_int_equal(f.ipa, rootd);
    assert_true(f.ttrnw);
    /* stage 2 address size fault on the table's IPA */
    tpt_w64(x->mem, s2d, (s2v & ~0xffffffe00000ull) | (0x10000000000ull & 0xffffffe00000ull));
    c.ste.s2.ps = 40;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    c.ste.s2.ps = 48;
    /* S2PTW: stage 1 table in Device memory at stage 2 */
    tpt_w64(x->mem, s2d, (s2v & ~PT_MEMATTR(0xf)) | PT_MEMATTR(1));
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
    c.ste.s2.ptw = true;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    c.ste.s2.ptw = false;
    tpt_w64(x->mem, s2d, s2v);
    /* external abort on the stage 1 descriptor PA: S2=0, CLASS=TT, FetchAddr=PA */
    assert_int_equal(smmuv3_mem_add_abort(x->mem, l3, 8), 0);
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_WALK_EABT);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    assert_int_equal(f.fetch_addr, l3);
}

static void test_nested_s2_walk_eabt(void **state)
{
    fx *x = *state;
    const uint64_t va = 0x7f0000001678ull;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    tpt_map(&p1, r1, 0, 48, va, 3, 0x20005000ull, S1_RW);
    /* abort on the stage 2 descriptor that maps the stage 1 root table */
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, r1 - NEST_OFF, 2);
    assert_int_equal(smmuv3_mem_add_abort(x->mem, s2d, 8), 0);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_WALK_EABT);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    assert_int_equal(f.fetch_addr, s2d);
}

static void test_nested_final_ipa_and_order(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    const uint64_t va = 0x1000;
    /* stage 1 read-only, output IPA whose stage 2 block is read-only */
    tpt_map(&p1, r1, 0, 48, va, 3, 0x20400000ull, PT_AF | PT_ATTRINDX(1) | PT_AP(3));
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, 0x20400000ull, 2);
    tpt_w64(x->mem, s2d, (tpt_r64(x->mem, s2d) & ~PT_S2AP(3)) | PT_S2AP(1));
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
    /* write: stage 1 permission fault wins over stage 2 */
    assert_int_equal(smmu_walk(x->s, &c, va, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    /* stage 1 writable: the stage 2 permission fault, CLASS=IN, IPA */
    uint64_t l3 = tpt_desc_pa(&p1, r1, 0, 48, va, 3);
    tpt_w64(x->mem, l3, (tpt_r64(x->mem, l3) & ~PT_AP(3)) | PT_AP(1));
    assert_int_equal(smmu_walk(x->s, &c, va + 0x44, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x20400044ull);
    /* stage 1 read-only and stage 2 unmapped: the stage 1 permission fault still wins */
    tpt_w64(x->mem, l3, (tpt_r64(x->mem, l3) & ~PT_AP(3)) | PT_AP(3));
    tpt_w64(x->mem, s2d, 0);
    assert_int_equal(smmu_walk(x->s, &c, va, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_false(f.s2);
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x20400000ull);
}

static void test_nested_sizes(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    /* stage 1 2M block over stage 2 4K pages: region = 4K */
    tpt_map(&p2, r2, 1, 40, 0x30000000ull, 2, 0, 0);           /* make room: replace block... */
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, 0x30000000ull, 2);
    tpt_w64(x->mem, s2d, 0);
    tpt_map(&p2, r2, 1, 40, 0x30003000ull, 3, 0x77003000ull, S2_RW);
    tpt_map(&p1, r1, 0, 48, 0x400000, 2, 0x30000000ull, S1_RW);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x403abc, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x77003abcull);
    assert_int_equal(out.ipa, 0x30003abcull);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 12);
    assert_int_equal(out.s1_level, 2);
    assert_int_equal(out.s2_level, 3);
    /* stage 1 4K page over a stage 2 2M block: region = 4K */
    tpt_map(&p1, r1, 0, 48, 0x800000, 3, 0x20100000ull, S1_RW);
    assert_int_equal(smmu_walk(x->s, &c, 0x800010, &RD, &out, &f), 0);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 21);
    /* stage 1 1G block over stage 2 2M blocks: region = 2M */
    tpt_map(&p1, r1, 0, 48, 0x40000000ull, 1, 0, S1_RW);
    assert_int_equal(smmu_walk(x->s, &c, 0x40234567ull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x234567ull + NEST_OFF);
    assert_int_equal(out.size_log2, 21);
}

/* ------------------------------------------------------------ address size */
static void test_addr_size(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    tpt_map(&p, root, 0, 48, 0x1000, 3, 0x100000000ull, S1_RW);   /* 4G: beyond 32 bits */
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 0);
    c.cd.ips = 32;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    /* a table address beyond IPS */
    uint64_t d = tpt_desc_pa(&p, root, 0, 48, 0x1000, 1);
    uint64_t v = tpt_r64(x->mem, d);
    tpt_w64(x->mem, d, v | (1ull << 40));
    smmu_walkcache_flush(x->s);   /* the old level 1 descriptor may be cached */
    c.cd.ips = 40;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    tpt_w64(x->mem, d, v);
    smmu_walkcache_flush(x->s);
    /* IPS larger than OAS is capped to OAS */
    c.cd.ips = 52;
    tpt_map(&p, root, 0, 48, 0x2000, 3, 0xfff000000000ull, S1_RW);
    assert_int_equal(smmu_walk(x->s, &c, 0x2000, &RD, &out, &f), 0);

    /* stage 2 */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    tpt p2;
    tpt_init(&p2, x->mem, 0x400000, 12, 0);
    uint64_t r2 = tpt_alloc(&p2, 1024);
    tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x200000000ull, S2_RW);
    cfg_s2(&c2.ste.s2, 12, 24, 1, r2);
    assert_int_equal(smmu_walk(x->s, &c2, 0x5008, &RD, &out, &f), 0);
    c2.ste.s2.ps = 32;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5008, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x5008);
}

/* ------------------------------------------------------------ access flag and HTTU */
static void test_access_flag(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, S1_RW & ~PT_AF);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    assert_false(f.s2);
    c.cd.affd = true;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 0);
    assert_int_equal(tpt_r64(x->mem, d) & PT_AF, 0);          /* AFFD: no update */
    /* AFFD is IGNORED with HA: the flag is set */
    c.cd.ha = true;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 0);
    assert_true(tpt_r64(x->mem, d) & PT_AF);
    c.cd.ha = false;
    /* stage 2 */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    tpt p2;
    tpt_init(&p2, x->mem, 0x400000, 12, 0);
    uint64_t r2 = tpt_alloc(&p2, 1024);
    tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x7000, S2_RW & ~PT_AF);
    cfg_s2(&c2.ste.s2, 12, 24, 1, r2);
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x5000);
    c2.ste.s2.affd = true;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, &out, &f), 0);
}

static void test_httu(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, (S1_RW & ~PT_AF) | PT_AP(3) | PT_DBM);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    c.cd.ha = true;
    smmu_xlate out;
    smmu_fault f;
    /* HA: the read sets AF; HD off: DBM ignored, write faults */
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 0);
    assert_true(tpt_r64(x->mem, d) & PT_AF);
    assert_false(out.perm.dbm);
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    /* HD: a read leaves it clean and says so; a write makes it dirty (AP[2] cleared) */
    c.cd.hd = true;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 0);
    assert_true(out.perm.dbm);
    assert_true(tpt_r64(x->mem, d) & PT_AP(2));
    /* a TLB hit on the clean entry may not write: the check refuses, so translate.c re-walks */
    assert_int_equal(smmu_perm_check(x->s, &c, &out, &WR, &f), 1);
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &WR, &out, &f), 0);
    assert_false(out.perm.dbm);
    assert_false(tpt_r64(x->mem, d) & PT_AP(2));
    assert_int_equal(smmu_perm_check(x->s, &c, &out, &WR, &f), 0);
    /* DBM cannot override APTable[1] */
    uint64_t d2 = tpt_map(&p, root, 0, 48, 0x200000, 3, 0xa000, S1_RW | PT_AP(3) | PT_DBM);
    uint64_t t2 = tpt_desc_pa(&p, root, 0, 48, 0x200000, 2);
    tpt_w64(x->mem, t2, tpt_r64(x->mem, t2) | PT_APTABLE(2));
    assert_int_equal(smmu_walk(x->s, &c, 0x200000, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_true(tpt_r64(x->mem, d2) & PT_AP(2));

    /* stage 2 AF and dirty */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    tpt p2;
    tpt_init(&p2, x->mem, 0x400000, 12, 0);
    uint64_t r2 = tpt_alloc(&p2, 1024);
    uint64_t e = tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x7000, (S2_RW & ~PT_AF & ~PT_S2AP(2)) | PT_DBM);
    cfg_s2(&c2.ste.s2, 12, 24, 1, r2);
    c2.ste.s2.ha = c2.ste.s2.hd = true;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, &out, &f), 0);
    assert_true(out.perm.s2dbm);
    assert_true(tpt_r64(x->mem, e) & PT_AF);
    assert_false(tpt_r64(x->mem, e) & PT_S2AP(2));
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &WR, &out, &f), 0);
    assert_false(out.perm.s2dbm);
    assert_true(tpt_r64(x->mem, e) & PT_S2AP(2));
}

static void test_httu_not_advertised(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.httu = 0;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, S1_RW & ~PT_AF);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    c.cd.ha = c.cd.hd = true;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    assert_false(tpt_r64(x->mem, d) & PT_AF);
    wfx_free(x);
}

/* ------------------------------------------------------------ aborts, loops, top of memory */
static void test_walk_eabt(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, S1_RW);
    uint64_t l2 = tpt_desc_pa(&p, root, 0, 48, 0x1000, 2);
    assert_int_equal(smmuv3_mem_add_abort(x->mem, l2 & ~0xfffull, 0x1000), 0);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_WALK_EABT);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    assert_int_equal(f.fetch_addr, l2);
    /* stage 2 only: S2=1, CLASS=IN */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c2.ste.s2, 12, 24, 1, l2 & ~0xfffull);
    assert_int_equal(smmu_walk(x->s, &c2, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_WALK_EABT);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.fetch_addr, l2 & ~0xfffull);
}

static void test_self_reference(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    /* entry 0 of the root points at the root: levels 0..2 loop, level 3 reads it as a page */
    tpt_w64(x->mem, root, root | PT_TABLE);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    /* AF is 0 in the (table-shaped) descriptor: an access flag fault at level 3 */
    assert_int_equal(smmu_walk(x->s, &c, 0x123, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    /* with AF=1 and AP=0b00 it maps the root itself, privileged only */
    tpt_w64(x->mem, root, root | PT_TABLE | PT_AF);
    const smmu_access prd = { .priv = true };
    assert_int_equal(smmu_walk(x->s, &c, 0x123, &prd, &out, &f), 0);
    assert_int_equal(out.pa, root + 0x123);
    assert_int_equal(out.s1_level, 3);
    assert_int_equal(smmu_walk(x->s, &c, 0x123, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    /* the same for stage 2 (S2AP=0b00 in the table-shaped descriptor: permission fault) */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c2.ste.s2, 12, 16, 0, root);
    assert_int_equal(smmu_walk(x->s, &c2, 0x123, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_true(f.s2);
}

static void test_top_of_pa_space(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.oas = 52;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    const uint64_t top = 1ull << 52;
    tpt p;
    /* 52-bit VA (VAX) with the 64K granule: start level 1, 1024 entries */
    tpt_init(&p, x->mem, top - 0x30000, 16, 0);
    uint64_t root = tpt_alloc(&p, 1024);
    uint64_t va = (1ull << 52) - 0x10000;                  /* last page of the VA range */
    uint64_t leaf = tpt_map(&p, root, 1, 52, va, 3, top - 0x10000, S1_RW);
    assert_int_equal(leaf, top - 8);                       /* the descriptor is the last 8 bytes of PA space */
    smmu_txcfg c;
    cfg_s1(&c, 16, 12, root);
    c.cd.ips = 52;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, va + 0xfff8, &RD, &out, &f), 0);
    assert_int_equal(out.pa, top - 8);
    /* IPS 48: the tables above 2^48 are an address size fault */
    c.cd.ips = 48;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    wfx_free(x);
}

/* ------------------------------------------------------------ attributes */
static void test_attrs(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.fwb = true;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    smmu_xlate out;
    smmu_fault f;
    /* stage 1 only (same tables read as PAs would differ: use a plain S1 tree) */
    tpt p;
    tpt_init(&p, x->mem, 0x2000000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    static const struct { unsigned idx, sh; uint8_t mem, osh; } s1c[] = {
        { 0, 3, 0x04, 2 },   /* Device-nGnRE: Outer Shareable whatever SH says */
        { 1, 3, 0xff, 3 },
        { 1, 0, 0xff, 0 },
        { 2, 3, 0x44, 2 },   /* Normal NC: Outer Shareable */
    };
    smmu_txcfg c1;
    cfg_s1(&c1, 12, 16, root);
    for (unsigned i = 0; i < 4; i++) {
        uint64_t va = 0x10000 + i * 0x1000;
        tpt_map(&p, root, 0, 48, va, 3, 0x9000, PT_AF | PT_AP(1) | PT_ATTRINDX(s1c[i].idx) | PT_SH(s1c[i].sh));
        assert_int_equal(smmu_walk(x->s, &c1, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, s1c[i].mem);
        assert_int_equal(out.attrs.sh, s1c[i].osh);
    }
    /* stage 2 only, no FWB */
    smmu_txcfg c2;
    memset(&c2, 0, sizeof(c2));
    c2.ste.config = SMMU_STE_CFG_S2;
    c2.ste.s2 = c.ste.s2;
    static const struct { unsigned ma; uint8_t mem; } s2c[] = {
        { 0x0, 0x00 }, { 0x1, 0x04 }, { 0x3, 0x0c }, { 0x5, 0x44 }, { 0xa, 0xbb }, { 0xf, 0xff }, { 0xd, 0xf4 },
    };
    for (unsigned i = 0; i < sizeof(s2c) / sizeof(s2c[0]); i++) {
        uint64_t ipa = 0x30000000ull + i * 0x200000;
        tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3) | PT_MEMATTR(s2c[i].ma));
        assert_int_equal(smmu_walk(x->s, &c2, ipa, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, s2c[i].mem);
    }
    /* nested combination: (stage 1 MAIR index, stage 2 MemAttr) -> result */
    c.cd.mair = ((uint64_t)0xff) | ((uint64_t)0x0c << 8) | ((uint64_t)0x44 << 16);
    static const struct { unsigned idx, ma, s1sh, s2sh; uint8_t mem, sh; } nc[] = {
        { 0, 0x0, 3, 3, 0x00, 2 },   /* WB + Device-nGnRnE = Device-nGnRnE */
        { 1, 0x1, 3, 3, 0x04, 2 },   /* Device-GRE + Device-nGnRE = nGnRE */
        { 0, 0x5, 3, 3, 0x44, 2 },   /* WB + NC = NC */
        { 0, 0xa, 3, 3, 0xbb, 3 },   /* WB + WT = WT (stage 1 allocation hints) */
        { 0, 0xf, 3, 2, 0xff, 2 },   /* shareability: the more shareable */
        { 0, 0xf, 0, 3, 0xff, 3 },
        { 2, 0xf, 3, 3, 0x44, 2 },   /* NC + WB = NC */
    };
    for (unsigned i = 0; i < sizeof(nc) / sizeof(nc[0]); i++) {
        uint64_t va = 0x100000 + i * 0x1000;
        uint64_t ipa = 0x31000000ull + i * 0x200000;
        tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(nc[i].idx) | PT_SH(nc[i].s1sh));
        tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(nc[i].s2sh) | PT_MEMATTR(nc[i].ma));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, nc[i].mem);
        assert_int_equal(out.attrs.sh, nc[i].sh);
    }
    /* FWB (IDR3.FWB and STE.S2FWB) */
    c.ste.s2.fwb = true;
    static const struct { unsigned idx, ma; uint8_t mem; } fw[] = {
        { 0, 0x7, 0xff },   /* 0b111: stage 1 attributes */
        { 2, 0x7, 0x44 },
        { 1, 0x6, 0xff },   /* 0b110: forced Write-Back even over Device */
        { 0, 0x5, 0x44 },   /* 0b101: Non-cacheable */
        { 0, 0x1, 0x04 },   /* 0b0xx: Device */
    };
    for (unsigned i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
        uint64_t va = 0x200000 + i * 0x1000;
        uint64_t ipa = 0x32000000ull + i * 0x200000;
        tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(fw[i].idx) | PT_SH(3));
        tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3) | PT_MEMATTR(fw[i].ma));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, fw[i].mem);
    }
    wfx_free(x);
}

/*
 * FEAT_S2FWB MemAttr encodings (Arm ARM AArch64.S2ApplyFWBMemAttrs, as Linux
 * KVM uses them: MT_S2_FWB_NORMAL 0b110, MT_S2_FWB_NORMAL_NC 0b101):
 * 0b111 keeps the stage 1 attributes, 0b110 forces Write-Back (keeping the
 * stage 1 hints of a cacheable stage 1), 0b101 is Non-cacheable unless stage 1
 * is Device, 0b0xx is Device combined with a stricter stage 1 Device type.
 */
static void test_attrs_fwb_encodings(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.fwb = true;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    c.ste.s2.fwb = true;
    /* idx0 WB RWA, idx1 Device-GRE, idx2 NC, idx3 Device-nGnRnE, idx4 WT RA, idx5 WB transient RW */
    c.cd.mair = 0xffull | 0x0cull << 8 | 0x44ull << 16 | 0x00ull << 24 | 0xaaull << 32 | 0x77ull << 40;
    static const struct { unsigned idx, ma; uint8_t mem; } fw[] = {
        { 0, 0x7, 0xff }, { 1, 0x7, 0x0c }, { 4, 0x7, 0xaa },        /* stage 1 attributes */
        { 0, 0x6, 0xff }, { 1, 0x6, 0xff }, { 2, 0x6, 0xff },        /* forced Write-Back */
        { 4, 0x6, 0xee }, { 5, 0x6, 0x77 },                          /* ... keeping the hints */
        { 0, 0x5, 0x44 }, { 1, 0x5, 0x0c }, { 4, 0x5, 0x44 },        /* NC unless stage 1 Device */
        { 0, 0x1, 0x04 }, { 1, 0x1, 0x04 }, { 3, 0x1, 0x00 },        /* Device: the stricter */
    };
    smmu_xlate out;
    smmu_fault f;
    for (unsigned i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
        uint64_t va = 0x200000 + i * 0x1000;
        uint64_t ipa = 0x32000000ull + i * 0x200000;
        tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(fw[i].idx) | PT_SH(3));
        tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3) | PT_MEMATTR(fw[i].ma));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, fw[i].mem);
    }
    wfx_free(x);
}

/* Nested, no FWB: stage 1 Write-Back over stage 2 Write-Through is Write-Through
 * with the stage 1 allocation and transient hints (Arm ARM S2CombineS1AttrHints). */
static void test_attrs_nested_wt_keeps_s1_hints(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    c.cd.mair = 0xccull | 0x77ull << 8 | 0x55ull << 16 | 0xc7ull << 24;
    static const struct { unsigned idx; uint8_t mem; } hc[] = {
        { 0, 0x88 },   /* WB non-transient no-allocate -> WT non-transient no-allocate */
        { 1, 0x33 },   /* WB transient RW -> WT transient RW */
        { 2, 0x11 },   /* WB transient W -> WT transient W */
        { 3, 0x83 },   /* per domain */
    };
    smmu_xlate out;
    smmu_fault f;
    for (unsigned i = 0; i < sizeof(hc) / sizeof(hc[0]); i++) {
        uint64_t va = 0x300000 + i * 0x1000;
        uint64_t ipa = 0x33000000ull + i * 0x200000;
        tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(hc[i].idx) | PT_SH(3));
        tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3) | PT_MEMATTR(0xa));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, hc[i].mem);
    }
}

/* Reference for the nested (no FWB) memory type combination, written from the
 * Arm ARM S2CombineS1MemAttrs / S2CombineS1AttrHints rules. */
static unsigned ref_kind(unsigned n)          /* 0 NC, 1 WT, 2 WB */
{
    if (n == 4)
        return 0;
    return ((n >> 2) & 1) ? 2 : 1;
}

static uint8_t ref_combine(uint8_t m1, unsigned ma)
{
    if (!(m1 >> 4))
        m1 &= 0x0c;                            /* 5.4: Device with RW != 0 */
    else if (!(m1 & 0xf))
        m1 |= 3;                               /* 5.4: inner 0000 */
    bool d1 = !(m1 >> 4), d2 = !(ma >> 2);
    if (d1 || d2) {
        unsigned t1 = d1 ? m1 & 0xc : 0xc, t2 = d2 ? (ma & 3) << 2 : 0xc;
        return (uint8_t)(t1 < t2 ? t1 : t2);
    }
    static const unsigned s2kind[4] = { 0, 0, 1, 2 };
    uint8_t r = 0;
    for (unsigned dom = 0; dom < 2; dom++) {   /* 0 inner, 1 outer */
        unsigned n = (m1 >> (4 * dom)) & 0xf;
        unsigned k2 = s2kind[(ma >> (2 * dom)) & 3];
        unsigned k = ref_kind(n) < k2 ? ref_kind(n) : k2;
        bool tr = !(n & 8);
        unsigned out = k == 0 ? 4 : k == 1 ? ((tr ? 0x0 : 0x8) | (n & 3)) : ((tr ? 0x4 : 0xc) | (n & 3));
        r |= (uint8_t)(out << (4 * dom));
    }
    return r;
}

/* Every stage 1 MAIR byte against every stage 2 MemAttr (inner 0b00 Reserved left out). */
static void test_attrs_nested_all_combinations(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    const uint64_t va = 0x400000, ipa = 0x34000000ull;
    tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(5) | PT_SH(3));
    uint64_t e2 = tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3));
    uint64_t e2v = tpt_r64(x->mem, e2);
    smmu_xlate out;
    smmu_fault f;
    for (unsigned m1 = 0; m1 < 256; m1++)
    for (unsigned ma = 0; ma < 16; ma++) {
        if ((ma >> 2) && !(ma & 3))
            continue;
        if (m1 == 0xf0)
            continue;                          /* Tagged Normal: not supported (5.4) */
        c.cd.mair = (uint64_t)m1 << 40;
        tpt_w64(x->mem, e2, e2v | PT_MEMATTR(ma));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        uint8_t want = ref_combine((uint8_t)m1, ma);
        if (out.attrs.memattr != want)
            fail_msg("MAIR 0x%02x MemAttr 0x%x: 0x%02x, want 0x%02x", m1, ma, out.attrs.memattr, want);
    }
}

/* Reference for FEAT_S2FWB (Arm ARM AArch64.S2ApplyFWBMemAttrs). */
static uint8_t ref_fwb(uint8_t m1, unsigned ma)
{
    if (!(m1 >> 4))
        m1 &= 0x0c;
    else if (!(m1 & 0xf))
        m1 |= 3;
    bool d1 = !(m1 >> 4);
    if (!(ma & 4)) {
        unsigned t2 = (ma & 3) << 2;
        return (uint8_t)(d1 && (m1 & 0xc) < t2 ? m1 & 0xc : t2);
    }
    switch (ma & 3) {
    case 3: return m1;
    case 2: {
        if (d1)
            return 0xff;
        uint8_t r = 0;
        for (unsigned dom = 0; dom < 2; dom++) {
            unsigned n = (m1 >> (4 * dom)) & 0xf;
            r |= (uint8_t)((n == 4 ? 0xf : (n | 4)) << (4 * dom));
        }
        return r;
    }
    default: return d1 ? m1 : 0x44;
    }
}

static void test_attrs_fwb_all_combinations(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.fwb = true;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    c.ste.s2.fwb = true;
    const uint64_t va = 0x400000, ipa = 0x34000000ull;
    tpt_map(&p1, r1, 0, 48, va, 3, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(5) | PT_SH(3));
    uint64_t e2 = tpt_map(&p2, r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3));
    uint64_t e2v = tpt_r64(x->mem, e2);
    smmu_xlate out;
    smmu_fault f;
    for (unsigned m1 = 0; m1 < 256; m1++)
    for (unsigned ma = 0; ma < 8; ma++) {
        if (ma == 4 || m1 == 0xf0)
            continue;                          /* 0b100 Reserved; Tagged Normal unsupported */
        c.cd.mair = (uint64_t)m1 << 40;
        tpt_w64(x->mem, e2, e2v | PT_MEMATTR(ma));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        uint8_t want = ref_fwb((uint8_t)m1, ma);
        if (out.attrs.memattr != want)
            fail_msg("MAIR 0x%02x FWB MemAttr 0x%x: 0x%02x, want 0x%02x", m1, ma, out.attrs.memattr, want);
    }
    wfx_free(x);
}

/*
 * 5.4 CD.MAIR: encodings UNPREDICTABLE in VMSAv8-64 are Reserved with a
 * defined behaviour: Attr[7:4] == 0 with Attr[1:0] != 0 behaves as the Device
 * type of Attr[3:2]; Attr[7:4] != 0 with Attr[3:0] == 0 behaves as Normal
 * inner Write-Through Transient RW=0b11.
 */
static void test_attrs_mair_reserved(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x2000000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    c.cd.mair = 0x01ull | 0x05ull << 8 | 0x0bull << 16 | 0x0full << 24 | 0x40ull << 32 | 0xf0ull << 40;
    static const struct { unsigned idx; uint8_t mem, sh; } mc[] = {
        { 0, 0x00, 2 }, { 1, 0x04, 2 }, { 2, 0x08, 2 }, { 3, 0x0c, 2 }, { 4, 0x43, 3 }, { 5, 0xf3, 3 },
    };
    smmu_xlate out;
    smmu_fault f;
    for (unsigned i = 0; i < sizeof(mc) / sizeof(mc[0]); i++) {
        uint64_t va = 0x10000 + i * 0x1000;
        tpt_map(&p, root, 0, 48, va, 3, 0x9000, PT_AF | PT_AP(1) | PT_ATTRINDX(mc[i].idx) | PT_SH(3));
        assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, mc[i].mem);
        assert_int_equal(out.attrs.sh, mc[i].sh);
    }
}

/* Stage 1: an access flag fault comes before a permission fault. */
static void test_af_before_permission(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, PT_AP(3));      /* AF=0, read-only */
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    /* with HA the permission fault is reported and AF is not set */
    c.cd.ha = true;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &WR, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_false(tpt_r64(x->mem, tpt_desc_pa(&p, root, 0, 48, 0x1000, 3)) & PT_AF);
}

/* Nested HTTU: the stage 1 AF update is a stage 2 write of the descriptor (TTRnW=0). */
static void test_nested_httu_write_fault(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    const uint64_t va = 0x5000;
    uint64_t l3 = tpt_map(&p1, r1, 0, 48, va, 3, 0x20005000ull, S1_RW & ~PT_AF);
    c.cd.ha = true;
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, l3 - NEST_OFF, 2);
    uint64_t s2v = tpt_r64(x->mem, s2d);
    tpt_w64(x->mem, s2d, (s2v & ~PT_S2AP(3)) | PT_S2AP(1));        /* stage 2 read-only tables */
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_TT);
    assert_false(f.ttrnw);
    assert_int_equal(f.ipa, l3 - NEST_OFF);
    assert_false(tpt_r64(x->mem, l3) & PT_AF);
    tpt_w64(x->mem, s2d, s2v);
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
    assert_true(tpt_r64(x->mem, l3) & PT_AF);
    assert_int_equal(out.pa, 0x20005000ull + NEST_OFF);
}

/* 52-bit IPA at stage 2 with the 64K granule (OAS 52): start level 1, 1024 entries. */
static void test_s2_52bit(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.oas = 52;
    fx *x = wfx_new(&cfg);
    assert_non_null(x);
    tpt p;
    tpt_init(&p, x->mem, 0x1000000, 16, 0);
    uint64_t root = tpt_alloc(&p, 1024);
    uint64_t ipa = 0xf123456780000ull;
    tpt_map(&p, root, 1, 52, ipa, 3, 0xabcde00000000ull, S2_RW);
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c.ste.s2, 16, 12, 1, root);
    c.ste.s2.ps = 52;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, ipa + 0x1234, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0xabcde00001234ull);
    /* S2PS 48: the 52-bit output is an address size fault */
    c.ste.s2.ps = 48;
    assert_int_equal(smmu_walk(x->s, &c, ipa, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_true(f.s2);
    /* the 4K granule caps the IPA at 48 bits */
    wfx_free(x);
}

/* ------------------------------------------------------------ contiguous hint, robustness */
static void test_contiguous_hint(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    for (unsigned i = 0; i < 16; i++)
        tpt_map(&p, root, 0, 48, 0x10000 * 16 + i * 0x1000, 3, 0x300000 + i * 0x1000, S1_RW | PT_CONT);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x100000 + 0x5123, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x305123);
    assert_int_equal(out.size_log2, 12);
}

static uint64_t rnd(uint64_t *st)
{
    *st ^= *st << 13;
    *st ^= *st >> 7;
    *st ^= *st << 17;
    return *st;
}

/* Random tables: every walk ends (0 or one of the walk faults), never crashes. */
static void test_random_tables(void **state)
{
    fx *x = *state;
    uint64_t st = 0x9e3779b97f4a7c15ull;
    const uint64_t base = 0x1000000, span = 0x100000;   /* 1M of descriptors */
    for (uint64_t a = base; a < base + span; a += 8) {
        uint64_t r = rnd(&st);
        /* mostly valid-looking descriptors pointing back into the region */
        uint64_t d = (r & 0xfff0000000000ffcull) | (base + (rnd(&st) % span)) | ((r >> 5) & 3 ? 3 : (r & 3));
        if ((r >> 40) % 97 == 0)
            d |= 1ull << 44;   /* an address beyond most output sizes */
        tpt_w64(x->mem, a, d);
    }
    assert_int_equal(smmuv3_mem_add_abort(x->mem, base + span / 2, 0x1000), 0);
    static const unsigned gs[3] = { 12, 14, 16 };
    unsigned counts[256] = { 0 };
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t r = rnd(&st);
        unsigned g = gs[r % 3];
        smmu_txcfg c;
        unsigned tsz = 12 + (unsigned)((r >> 8) % 40);
        uint64_t ttb = base + (rnd(&st) % span);
        unsigned kind = (unsigned)((r >> 16) % 3);
        if (kind == 0 || kind == 2) {
            cfg_s1(&c, g, tsz, ttb);
            c.cd.tt[1] = c.cd.tt[0];
            c.cd.tt[1].epd = (r >> 20) & 1;
            c.cd.tbi = (uint8_t)((r >> 21) & 3);
            c.cd.ha = (r >> 23) & 1;
            c.cd.hd = (r >> 24) & 1;
            c.cd.ips = (uint8_t)(32 + (r >> 25) % 21);
        } else {
            memset(&c, 0, sizeof(c));
            c.ste.config = SMMU_STE_CFG_S2;
        }
        if (kind >= 1) {
            if (kind == 2)
                c.ste.config = SMMU_STE_CFG_NESTED;
            cfg_s2(&c.ste.s2, gs[(r >> 30) % 3], 16 + (unsigned)((r >> 32) % 30), (unsigned)((r >> 37) % 4),
                   base + (rnd(&st) % span));
            c.ste.s2.ha = (r >> 40) & 1;
            c.ste.s2.ps = (uint8_t)(32 + (r >> 41) % 21);
        }
        smmu_access a = { .write = (r >> 50) & 1, .exec = (r >> 51) & 1, .priv = (r >> 52) & 1 };
        smmu_xlate out;
        smmu_fault f;
        uint64_t in = rnd(&st);
        if ((r >> 53) & 1)
            in &= 0xffffffffffffull;
        int rc = smmu_walk(x->s, &c, in, &a, &out, &f);
        assert_true(rc == 0 || rc == 1);
        if (rc) {
            assert_true(f.event == SMMUV3_EVT_F_TRANSLATION || f.event == SMMUV3_EVT_F_ADDR_SIZE ||
                        f.event == SMMUV3_EVT_F_ACCESS || f.event == SMMUV3_EVT_F_PERMISSION ||
                        f.event == SMMUV3_EVT_F_WALK_EABT);
            assert_true(f.cls <= SMMU_CLASS_IN);
            counts[f.event]++;
        } else {
            assert_true(out.pa < (1ull << 52));
            assert_true(out.size_log2 >= 12 && out.size_log2 <= 42);
            counts[0]++;
        }
    }
    /* the random tables reach every outcome */
    assert_true(counts[0] > 0);
    assert_true(counts[SMMUV3_EVT_F_TRANSLATION] > 0);
    assert_true(counts[SMMUV3_EVT_F_ADDR_SIZE] > 0);
    assert_true(counts[SMMUV3_EVT_F_PERMISSION] > 0);
    assert_true(counts[SMMUV3_EVT_F_WALK_EABT] > 0);
}
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_s1_4k_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_4k_concat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_4k_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s1_start_levels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_start_levels_concat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
        cmocka_unit_test(test_blocks_oas52),
        cmocka_unit_test_setup_teardown(test_level3_block_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ttb1_tbi_epd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_faults_per_level, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_cd_fetch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_s2_faults_on_tables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_s2_walk_eabt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_final_ipa_and_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addr_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_access_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(test_httu, setup, teardown),
        cmocka_unit_test(test_httu_not_advertised),
        cmocka_unit_test_setup_teardown(test_walk_eabt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_self_reference, setup, teardown),
        cmocka_unit_test(test_top_of_pa_space),
        cmocka_unit_test(test_attrs),
        cmocka_unit_test(test_attrs_fwb_encodings),
        cmocka_unit_test_setup_teardown(test_attrs_mair_reserved, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attrs_nested_wt_keeps_s1_hints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attrs_nested_all_combinations, setup, teardown),
        cmocka_unit_test(test_attrs_fwb_all_combinations),
        cmocka_unit_test_setup_teardown(test_af_before_permission, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_httu_write_fault, setup, teardown),
        cmocka_unit_test(test_s2_52bit),
        cmocka_unit_test_setup_teardown(test_contiguous_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_tables, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
