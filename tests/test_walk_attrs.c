/* Unit tests: memory attributes of a walk (src/model/walk/walk.c): MAIR, stage 2
 * MemAttr, combining stages, FWB, reserved encodings. */
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

/* In the nested scene (ws_setup_nested): stage 1 maps va to ipa (MAIR index
 * idx, SH s1sh), stage 2 maps ipa to itself (MemAttr ma, SH s2sh); a read walk
 * of va must succeed. */
static smmu_xlate nest_walk(ws *w, uint64_t va, uint64_t ipa, unsigned idx, unsigned s1sh, unsigned ma,
                            unsigned s2sh)
{
    ws_map(w, va, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(idx) | PT_SH(s1sh));
    tpt_map(&w->p2, w->r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(s2sh) | PT_MEMATTR(ma));
    assert_int_equal(ws_walk(w, va, &RD), 0);
    return w->out;
}

/* ------------------------------------------------------------ attributes */
static void test_attrs(void **state)
{
    ws *w = ws_profile(*state, ws_fwb);
    fx *x = w->x;
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
    c2.ste.s2 = w->c.ste.s2;
    static const struct { unsigned ma; uint8_t mem; } s2c[] = {
        { 0x0, 0x00 }, { 0x1, 0x04 }, { 0x3, 0x0c }, { 0x5, 0x44 }, { 0xa, 0xbb }, { 0xf, 0xff }, { 0xd, 0xf4 },
    };
    for (unsigned i = 0; i < sizeof(s2c) / sizeof(s2c[0]); i++) {
        uint64_t ipa = 0x30000000ull + i * 0x200000;
        tpt_map(&w->p2, w->r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3) | PT_MEMATTR(s2c[i].ma));
        assert_int_equal(smmu_walk(x->s, &c2, ipa, &RD, &out, &f), 0);
        assert_int_equal(out.attrs.memattr, s2c[i].mem);
    }
    /* nested combination: (stage 1 MAIR index, stage 2 MemAttr) -> result */
    w->c.cd.mair = ((uint64_t)0xff) | ((uint64_t)0x0c << 8) | ((uint64_t)0x44 << 16);
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
        out = nest_walk(w, 0x100000 + i * 0x1000, 0x31000000ull + i * 0x200000, nc[i].idx, nc[i].s1sh, nc[i].ma,
                        nc[i].s2sh);
        assert_int_equal(out.attrs.memattr, nc[i].mem);
        assert_int_equal(out.attrs.sh, nc[i].sh);
    }
    /* FWB (IDR3.FWB and STE.S2FWB) */
    w->c.ste.s2.fwb = true;
    static const struct { unsigned idx, ma; uint8_t mem; } fw[] = {
        { 0, 0x7, 0xff },   /* 0b111: stage 1 attributes */
        { 2, 0x7, 0x44 },
        { 1, 0x6, 0xff },   /* 0b110: forced Write-Back even over Device */
        { 0, 0x5, 0x44 },   /* 0b101: Non-cacheable */
        { 0, 0x1, 0x04 },   /* 0b0xx: Device */
    };
    for (unsigned i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
        out = nest_walk(w, 0x200000 + i * 0x1000, 0x32000000ull + i * 0x200000, fw[i].idx, 3, fw[i].ma, 3);
        assert_int_equal(out.attrs.memattr, fw[i].mem);
    }
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
    ws *w = ws_profile(*state, ws_fwb);
    w->c.ste.s2.fwb = true;
    /* idx0 WB RWA, idx1 Device-GRE, idx2 NC, idx3 Device-nGnRnE, idx4 WT RA, idx5 WB transient RW */
    w->c.cd.mair = 0xffull | 0x0cull << 8 | 0x44ull << 16 | 0x00ull << 24 | 0xaaull << 32 | 0x77ull << 40;
    static const struct { unsigned idx, ma; uint8_t mem; } fw[] = {
        { 0, 0x7, 0xff }, { 1, 0x7, 0x0c }, { 4, 0x7, 0xaa },        /* stage 1 attributes */
        { 0, 0x6, 0xff }, { 1, 0x6, 0xff }, { 2, 0x6, 0xff },        /* forced Write-Back */
        { 4, 0x6, 0xee }, { 5, 0x6, 0x77 },                          /* ... keeping the hints */
        { 0, 0x5, 0x44 }, { 1, 0x5, 0x0c }, { 4, 0x5, 0x44 },        /* NC unless stage 1 Device */
        { 0, 0x4, 0x44 }, { 1, 0x4, 0x0c }, { 3, 0x4, 0x00 },        /* 0b100: as 0b101 */
        { 0, 0x1, 0x04 }, { 1, 0x1, 0x04 }, { 3, 0x1, 0x00 },        /* Device: the stricter */
    };
    for (unsigned i = 0; i < sizeof(fw) / sizeof(fw[0]); i++) {
        smmu_xlate out = nest_walk(w, 0x200000 + i * 0x1000, 0x32000000ull + i * 0x200000, fw[i].idx, 3, fw[i].ma, 3);
        assert_int_equal(out.attrs.memattr, fw[i].mem);
    }
}

/* Nested, no FWB: stage 1 Write-Back over stage 2 Write-Through is Write-Through
 * with the stage 1 allocation and transient hints (Arm ARM S2CombineS1AttrHints). */
static void test_attrs_nested_wt_keeps_s1_hints(void **state)
{
    ws *w = *state;
    w->c.cd.mair = 0xccull | 0x77ull << 8 | 0x55ull << 16 | 0xc7ull << 24;
    static const struct { unsigned idx; uint8_t mem; } hc[] = {
        { 0, 0x88 },   /* WB non-transient no-allocate -> WT non-transient no-allocate */
        { 1, 0x33 },   /* WB transient RW -> WT transient RW */
        { 2, 0x11 },   /* WB transient W -> WT transient W */
        { 3, 0x83 },   /* per domain */
    };
    for (unsigned i = 0; i < sizeof(hc) / sizeof(hc[0]); i++) {
        smmu_xlate out = nest_walk(w, 0x300000 + i * 0x1000, 0x33000000ull + i * 0x200000, hc[i].idx, 3, 0xa, 3);
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

/* Every stage 1 MAIR byte (MAIR index 5) against every stage 2 MemAttr below
 * ma_end that left_out() keeps, with STE.S2FWB = fwb, checked against ref(). */
static void all_combinations(ws *w, bool fwb, unsigned ma_end, bool (*left_out)(unsigned m1, unsigned ma),
                             uint8_t (*ref)(uint8_t m1, unsigned ma))
{
    w->c.ste.s2.fwb = fwb;
    const uint64_t va = 0x400000, ipa = 0x34000000ull;
    ws_map(w, va, ipa, PT_AF | PT_AP(1) | PT_ATTRINDX(5) | PT_SH(3));
    uint64_t e2 = tpt_map(&w->p2, w->r2, 1, 40, ipa, 2, ipa, PT_AF | PT_S2AP(3) | PT_SH(3));
    uint64_t e2v = tpt_r64(w->x->mem, e2);
    for (unsigned m1 = 0; m1 < 256; m1++)
    for (unsigned ma = 0; ma < ma_end; ma++) {
        if (left_out(m1, ma))
            continue;
        w->c.cd.mair = (uint64_t)m1 << 40;
        tpt_w64(w->x->mem, e2, e2v | PT_MEMATTR(ma));
        assert_int_equal(ws_walk(w, va, &RD), 0);
        uint8_t want = ref((uint8_t)m1, ma);
        if (w->out.attrs.memattr != want)
            fail_msg("MAIR 0x%02x %sMemAttr 0x%x: 0x%02x, want 0x%02x", m1, fwb ? "FWB " : "", ma,
                     w->out.attrs.memattr, want);
    }
}

/* Inner 0b00 Reserved left out; Tagged Normal: not supported (5.4). */
static bool skip_nested(unsigned m1, unsigned ma) { return ((ma >> 2) && !(ma & 3)) || m1 == 0xf0; }

static void test_attrs_nested_all_combinations(void **state)
{
    all_combinations(*state, false, 16, skip_nested, ref_combine);
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

/* Tagged Normal unsupported. MemAttr[2:0] 0b100 is included: the Arm ARM
 * pseudocode (AArch64.S2ApplyFWBMemAttrs) treats it as 0b101. */
static bool skip_fwb(unsigned m1, unsigned ma) { (void)ma; return m1 == 0xf0; }

static void test_attrs_fwb_all_combinations(void **state)
{
    all_combinations(ws_profile(*state, ws_fwb), true, 8, skip_fwb, ref_fwb);
}

/*
 * 5.4 CD.MAIR: encodings UNPREDICTABLE in VMSAv8-64 are Reserved with a
 * defined behaviour: Attr[7:4] == 0 with Attr[1:0] != 0 behaves as the Device
 * type of Attr[3:2]; Attr[7:4] != 0 with Attr[3:0] == 0 behaves as Normal
 * inner Write-Through Transient RW=0b11.
 */
static void test_attrs_mair_reserved(void **state)
{
    fx *x = ws_fx(state);
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

TEST_MAIN_FX(ws_setup_nested, ws_teardown, test_attrs, test_attrs_fwb_encodings, test_attrs_mair_reserved,
             test_attrs_nested_wt_keeps_s1_hints, test_attrs_nested_all_combinations,
             test_attrs_fwb_all_combinations)
