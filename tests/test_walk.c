/* Unit tests: translation table walks (src/model/walk/walk.c): stage 1 and stage 2
 * walks, start levels and concatenation, blocks, TTB1/TBI/EPD, address sizes,
 * external aborts, self-referencing and random tables, 52-bit, contiguous hint. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "model/smmu.h"
#include "walkfx.h"
#include "test_main.h"

/* ------------------------------------------------------------ basic walks */
static void test_s1_4k_basic(void **state)
{
    ws *w = *state;
    const smmu_xlate *out = &w->out;
    ws_map(w, 0x12345678000ull, 0x80042000ull, S1_RW);
    uint64_t walks = w->x->s->stats.walks;
    assert_int_equal(ws_walk(w, 0x12345678abcull, &RD), 0);
    assert_int_equal(out->pa, 0x80042abcull);
    assert_int_equal(out->size_log2, 12);
    assert_int_equal(out->s1_level, 3);
    assert_int_equal(out->s1_granule, 12);
    assert_true(out->global);
    assert_true(out->perm.s1);
    assert_false(out->perm.s2);
    assert_int_equal(out->attrs.memattr, 0xff);
    assert_int_equal(out->attrs.sh, 3);
    assert_int_equal(w->x->s->stats.walks, walks + 1);
    assert_int_equal(ws_walk(w, 0x12345678abcull, &WR), 0);
    /* unmapped neighbour */
    ws_fault(w, 0x12345679000ull, &RD, SMMUV3_EVT_F_TRANSLATION, 0, SMMU_CLASS_IN);
}

static void test_s2_4k_concat(void **state)
{
    fx *x = ws_fx(state);
    tpt p;
    smmu_txcfg c;
    /* 40-bit IPA from level 1: 1024 entries = 2 concatenated tables. */
    uint64_t root = wfx_s2_4k(x, &p, &c);
    tpt_map(&p, root, 1, 40, 0x8000001000ull, 3, 0x4000000ull, S2_RW);
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
    wfx_expect_fault(x, &c, 0x10000000000ull, &RD, SMMUV3_EVT_F_TRANSLATION, 1, SMMU_CLASS_IN, &f);
    assert_int_equal(f.ipa, 0x10000000000ull);
    /* beyond the IAS (OAS 48): stage 1 address size fault although stage 1 is bypassed */
    wfx_expect_fault(x, &c, 1ull << 48, &RD, SMMUV3_EVT_F_ADDR_SIZE, 0, -1, &f);
}

/* ------------------------------------------------------------ granules and start levels */
typedef struct lvl_case { unsigned g, start, inbits; } lvl_case;

/* A tree of granule g whose tables come from the 16 MB pool number `slot`
 * (from PA 16M), its root sized for `inbits` input bits from level `start`. */
static uint64_t tree_in_slot(fx *x, tpt *p, unsigned slot, unsigned g, unsigned start, unsigned inbits)
{
    tpt_init(p, x->mem, 0x1000000ull * (slot + 1), g, 0);
    return tpt_alloc(p, 1ull << (inbits - tpt_shift(g, start)));
}

static void test_s1_start_levels(void **state)
{
    fx *x = ws_fx(state);
    static const lvl_case cases[] = {
        { 12, 0, 48 }, { 12, 1, 39 }, { 12, 2, 30 }, { 12, 3, 21 },
        { 14, 0, 48 }, { 14, 1, 47 }, { 14, 2, 36 }, { 14, 3, 25 },
        { 16, 1, 52 }, { 16, 1, 48 }, { 16, 2, 42 }, { 16, 3, 29 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const lvl_case *k = &cases[i];
        tpt p;
        uint64_t root = tree_in_slot(x, &p, i, k->g, k->start, k->inbits);
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
    fx *x = ws_fx(state);
    static const lvl_case cases[] = {
        { 12, 0, 48 }, { 12, 1, 40 }, { 12, 1, 34 }, { 12, 2, 34 }, { 12, 2, 30 },
        { 14, 1, 40 }, { 14, 1, 47 }, { 14, 2, 36 }, { 14, 3, 25 },
        { 16, 1, 48 }, { 16, 2, 40 }, { 16, 3, 25 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const lvl_case *k = &cases[i];
        tpt p;
        uint64_t root = tree_in_slot(x, &p, i, k->g, k->start, k->inbits);
        uint64_t ipa = ((1ull << k->inbits) - 1) & ~((1ull << k->g) - 1);
        uint64_t oa = 0x123400000ull;
        tpt_map(&p, root, k->start, k->inbits, ipa, 3, oa, S2_RW);
        smmu_txcfg c;
        cfg_s2only(&c, k->g, 64 - k->inbits, k->start, root);
        smmu_xlate out;
        smmu_fault f;
        assert_int_equal(smmu_walk(x->s, &c, ipa + 8, &WR, &out, &f), 0);
        assert_int_equal(out.pa, oa + 8);
        assert_int_equal(out.s2_level, 3);
        assert_int_equal(out.size_log2, k->g);
        if (k->inbits < 48) {
            wfx_expect_fault(x, &c, 1ull << k->inbits, &RD, SMMUV3_EVT_F_TRANSLATION, 1, -1, &f);
            assert_int_equal(f.ipa, 1ull << k->inbits);
        }
    }
    /* more than 16 concatenated tables: not a usable configuration -> translation fault */
    smmu_txcfg c;
    cfg_s2only(&c, 12, 64 - 40, 2, 0x100000);
    smmu_fault f;
    wfx_expect_fault(x, &c, 0x1000, &RD, SMMUV3_EVT_F_TRANSLATION, 1, -1, &f);
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
            uint64_t root = tree_in_slot(x, &p, gi * 4 + level, g, start, inbits);
            unsigned sh = tpt_shift(g, level);
            uint64_t in = 3ull << sh;
            if (in >> inbits)
                in = 1ull << sh;
            uint64_t oa = 5ull << sh;
            if (oa >> 48)
                oa = 1ull << sh;
            tpt_map(&p, root, start, inbits, in, level, oa, s2 ? S2_RW : S1_RW);
            smmu_txcfg c;
            if (s2)
                cfg_s2only(&c, g, 16, start, root);
            else
                cfg_s1(&c, g, 16, root);
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
    fx *x = ws_fx(state);
    blocks_common(x, false, false);
    blocks_common(x, true, false);
}

static void test_blocks_oas52(void **state)
{
    fx *x = ws_profile(*state, ws_oas52)->x;
    blocks_common(x, false, true);
    blocks_common(x, true, true);
}

/* A page descriptor type at level 3 must be 0b11; 0b01 there is invalid. */
static void test_level3_block_invalid(void **state)
{
    ws *w = *state;
    uint64_t d = ws_map(w, 0x5000, 0x9000, S1_RW);
    tpt_w64(w->x->mem, d, tpt_r64(w->x->mem, d) & ~2ull);
    ws_fault(w, 0x5000, &RD, SMMUV3_EVT_F_TRANSLATION, -1, -1);
}

/* ------------------------------------------------------------ TTB1, TBI, EPD */
static void test_ttb1_tbi_epd(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    smmu_txcfg c = w->c;   /* TTB0: the scene's tree */
    uint64_t r1 = tpt_alloc(&w->p, 512);
    ws_map(w, 0x0000001234567000ull, 0x11000, S1_RW);
    /* T1SZ = 25: 39-bit upper range, start level 1 */
    tpt_map(&w->p, r1, 1, 39, 0xffffff8000001000ull, 3, 0x22000, S1_RW);
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
    wfx_expect_fault(x, &c, 0xffff000000001000ull, &RD, SMMUV3_EVT_F_TRANSLATION, -1, SMMU_CLASS_IN, &f);
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
    wfx_expect_fault(x, &c, 0x0000001234567010ull, &RD, SMMUV3_EVT_F_TRANSLATION, 0, -1, &f);
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

/* ------------------------------------------------------------ address size */
static void test_addr_size(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    ws_map(w, 0x1000, 0x100000000ull, S1_RW);   /* 4G: beyond 32 bits */
    assert_int_equal(ws_walk(w, 0x1000, &RD), 0);
    w->c.cd.ips = 32;
    ws_fault(w, 0x1000, &RD, SMMUV3_EVT_F_ADDR_SIZE, 0, SMMU_CLASS_IN);
    /* a table address beyond IPS */
    uint64_t d = tpt_desc_pa(&w->p, w->root, 0, 48, 0x1000, 1);
    uint64_t v = tpt_r64(x->mem, d);
    tpt_w64(x->mem, d, v | (1ull << 40));
    smmu_walkcache_flush(x->s);   /* the old level 1 descriptor may be cached */
    w->c.cd.ips = 40;
    assert_int_equal(ws_walk(w, 0x1000, &RD), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_ADDR_SIZE);
    tpt_w64(x->mem, d, v);
    smmu_walkcache_flush(x->s);
    /* IPS larger than OAS is capped to OAS */
    w->c.cd.ips = 52;
    ws_map(w, 0x2000, 0xfff000000000ull, S1_RW);
    assert_int_equal(ws_walk(w, 0x2000, &RD), 0);

    /* stage 2 */
    smmu_txcfg c2;
    tpt p2;
    uint64_t r2 = wfx_s2_4k(x, &p2, &c2);
    tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x200000000ull, S2_RW);
    assert_int_equal(smmu_walk(x->s, &c2, 0x5008, &RD, &w->out, &w->f), 0);
    c2.ste.s2.ps = 32;
    wfx_expect_fault(x, &c2, 0x5008, &RD, SMMUV3_EVT_F_ADDR_SIZE, 1, SMMU_CLASS_IN, &w->f);
    assert_int_equal(w->f.ipa, 0x5008);
}

/* ------------------------------------------------------------ aborts, loops, top of memory */
static void test_walk_eabt(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    ws_map(w, 0x1000, 0x9000, S1_RW);
    uint64_t l2 = tpt_desc_pa(&w->p, w->root, 0, 48, 0x1000, 2);
    assert_int_equal(smmuv3_mem_add_abort(x->mem, l2 & ~0xfffull, 0x1000), 0);
    ws_fault(w, 0x1000, &RD, SMMUV3_EVT_F_WALK_EABT, 0, SMMU_CLASS_TT);
    assert_int_equal(w->f.fetch_addr, l2);
    /* stage 2 only: S2=1, CLASS=IN */
    smmu_txcfg c2;
    cfg_s2only(&c2, 12, 24, 1, l2 & ~0xfffull);
    wfx_expect_fault(x, &c2, 0x1000, &RD, SMMUV3_EVT_F_WALK_EABT, 1, SMMU_CLASS_IN, &w->f);
    assert_int_equal(w->f.fetch_addr, l2 & ~0xfffull);
}

static void test_self_reference(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    /* entry 0 of the root points at the root: levels 0..2 loop, level 3 reads it as a page */
    tpt_w64(x->mem, w->root, w->root | PT_TABLE);
    /* AF is 0 in the (table-shaped) descriptor: an access flag fault at level 3 */
    assert_int_equal(ws_walk(w, 0x123, &RD), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_ACCESS);
    /* with AF=1 and AP=0b00 it maps the root itself, privileged only */
    tpt_w64(x->mem, w->root, w->root | PT_TABLE | PT_AF);
    const smmu_access prd = { .priv = true };
    assert_int_equal(ws_walk(w, 0x123, &prd), 0);
    assert_int_equal(w->out.pa, w->root + 0x123);
    assert_int_equal(w->out.s1_level, 3);
    assert_int_equal(ws_walk(w, 0x123, &RD), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_PERMISSION);
    /* the same for stage 2 (S2AP=0b00 in the table-shaped descriptor: permission fault) */
    smmu_txcfg c2;
    cfg_s2only(&c2, 12, 16, 0, w->root);
    wfx_expect_fault(x, &c2, 0x123, &RD, SMMUV3_EVT_F_PERMISSION, 1, -1, &w->f);
}

static void test_top_of_pa_space(void **state)
{
    fx *x = ws_profile(*state, ws_oas52)->x;
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
}

/* 52-bit IPA at stage 2 with the 64K granule (OAS 52): start level 1, 1024 entries. */
static void test_s2_52bit(void **state)
{
    fx *x = ws_profile(*state, ws_oas52)->x;
    tpt p;
    tpt_init(&p, x->mem, 0x1000000, 16, 0);
    uint64_t root = tpt_alloc(&p, 1024);
    uint64_t ipa = 0xf123456780000ull;
    tpt_map(&p, root, 1, 52, ipa, 3, 0xabcde00000000ull, S2_RW);
    smmu_txcfg c;
    cfg_s2only(&c, 16, 12, 1, root);
    c.ste.s2.ps = 52;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, ipa + 0x1234, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0xabcde00001234ull);
    /* S2PS 48: the 52-bit output is an address size fault */
    c.ste.s2.ps = 48;
    wfx_expect_fault(x, &c, ipa, &RD, SMMUV3_EVT_F_ADDR_SIZE, 1, -1, &f);
    /* the 4K granule caps the IPA at 48 bits */
}

/* ------------------------------------------------------------ contiguous hint, robustness */
static void test_contiguous_hint(void **state)
{
    ws *w = *state;
    for (unsigned i = 0; i < 16; i++)
        ws_map(w, 0x10000 * 16 + i * 0x1000, 0x300000 + i * 0x1000, S1_RW | PT_CONT);
    assert_int_equal(ws_walk(w, 0x100000 + 0x5123, &RD), 0);
    assert_int_equal(w->out.pa, 0x305123);
    assert_int_equal(w->out.size_log2, 12);
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
    fx *x = ws_fx(state);
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

TEST_MAIN_FX(ws_setup, ws_teardown, test_s1_4k_basic, test_s2_4k_concat, test_s1_start_levels,
             test_s2_start_levels_concat, test_blocks, test_blocks_oas52, test_level3_block_invalid,
             test_ttb1_tbi_epd, test_addr_size, test_walk_eabt, test_self_reference, test_top_of_pa_space,
             test_s2_52bit, test_contiguous_hint, test_random_tables)
