/* Unit tests: permission checks of the walker (src/walk/perm.c), the full matrix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "model/smmu.h"
#include "model/walk/perm.h"
#include "walkfx.h"
#include "test_main.h"

/* Arm ARM D8.4 stage 1 data access permissions, EL1&0 regime: AP[2:1] ->
 * privileged read/write, unprivileged read/write. */
static const struct { bool pr, pw, ur, uw; } AP_TABLE[4] = {
    { true, true, false, false },   /* 00: EL1 RW */
    { true, true, true, true },     /* 01: EL1 RW, EL0 RW */
    { true, false, false, false },  /* 10: EL1 RO */
    { true, false, true, false },   /* 11: EL1 RO, EL0 RO */
};

enum { A_R, A_W, A_X };

static smmu_access mk_acc(unsigned kind, bool priv)
{
    smmu_access a = { .write = kind == A_W, .exec = kind == A_X, .priv = priv };
    return a;
}

/* The matrices' page: va 0x40201000 -> PA 0x9000 in the scene's stage 1 tree,
 * its leaf and the level 2 table descriptor above it, with their bits as mapped. */
typedef struct pleaf { uint64_t leaf, leafv, l2, l2v; } pleaf;
static const uint64_t va = 0x40201000ull;

static pleaf perm_leaf(ws *w)
{
    pleaf l;
    l.leaf = ws_map(w, va, 0x9000, PT_AF | PT_ATTRINDX(1));
    l.l2 = tpt_desc_pa(&w->p, w->root, 0, 48, va, 2);
    l.leafv = tpt_r64(w->x->mem, l.leaf);
    l.l2v = tpt_r64(w->x->mem, l.l2);
    return l;
}

/* Leaf AP and XN (bit 0 UXN, bit 1 PXN), table APTable and XNTable (bit 0
 * UXNTable, bit 1 PXNTable); the walk cache forgets the old ones. */
static void perm_set(ws *w, const pleaf *l, unsigned ap, unsigned xn, unsigned apt, unsigned xnt)
{
    tpt_w64(w->x->mem, l->leaf, l->leafv | PT_AP(ap) | ((xn & 1) ? PT_UXN : 0) | ((xn & 2) ? PT_PXN : 0));
    tpt_w64(w->x->mem, l->l2,
            l->l2v | PT_APTABLE(apt) | ((xnt & 1) ? PT_UXNTABLE : 0) | ((xnt & 2) ? PT_PXNTABLE : 0));
    smmu_walkcache_flush(w->x->s);
}

static void test_s1_matrix(void **state)
{
    ws *w = *state;
    wfx *x = w->x;
    smmu_txcfg *c = &w->c;
    pleaf l = perm_leaf(w);
    unsigned n = 0, faults = 0;

    for (unsigned ap = 0; ap < 4; ap++)
    for (unsigned xn = 0; xn < 4; xn++)          /* bit 0 UXN, bit 1 PXN */
    for (unsigned apt = 0; apt < 4; apt++)
    for (unsigned xnt = 0; xnt < 4; xnt++)       /* bit 0 UXNTable, bit 1 PXNTable */
    for (unsigned had = 0; had < 2; had++) {
        perm_set(w, &l, ap, xn, apt, xnt);
        c->cd.tt[0].had = had;
        /* expected: the table restrictions apply unless HAD */
        unsigned eap = ap;
        bool uxn = xn & 1, pxn = (xn & 2) != 0;
        if (!had) {
            if (apt & 2)
                eap |= 2;
            if (apt & 1)
                eap &= ~1u;
            uxn |= xnt & 1;
            pxn |= (xnt & 2) != 0;
        }
        for (unsigned priv = 0; priv < 2; priv++)
        for (unsigned kind = A_R; kind <= A_X; kind++) {
            bool ok;
            if (kind == A_R)
                ok = priv ? AP_TABLE[eap].pr : AP_TABLE[eap].ur;
            else if (kind == A_W)
                ok = priv ? AP_TABLE[eap].pw : AP_TABLE[eap].uw;
            else
                ok = priv ? !pxn && !AP_TABLE[eap].uw : !uxn;   /* EL0-writable is PXN */
            smmu_access a = mk_acc(kind, priv);
            smmu_xlate out;
            smmu_fault f;
            int r = smmu_walk(x->s, c, va + 0x10, &a, &out, &f);
            n++;
            if (ok) {
                assert_int_equal(r, 0);
                assert_int_equal(out.pa, 0x9010);
                assert_int_equal(out.perm.ap, eap);
                assert_int_equal(out.perm.uxn, uxn);
                assert_int_equal(out.perm.pxn, pxn);
                /* a TLB hit gives the same answer for every other access */
                for (unsigned p2 = 0; p2 < 2; p2++)
                for (unsigned k2 = A_R; k2 <= A_X; k2++) {
                    smmu_access b = mk_acc(k2, p2);
                    smmu_xlate o2;
                    smmu_fault f1, f2;
                    memset(&f1, 0, sizeof(f1));
                    memset(&f2, 0, sizeof(f2));
                    int rw = smmu_walk(x->s, c, va + 0x10, &b, &o2, &f1);
                    unsigned g = 0;
                    int rc = smmu_perm_check(x->s, c, &out, &b, &f2, &g);
                    assert_int_equal(rw, rc);
                    if (!rc) {   /* what a TLB hit reports (translate.c res->perm) */
                        unsigned want = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
                        if (out.perm.s1)
                            want = smmu_perm_s1_rwx(c, &out.perm, b.priv);
                        if (out.perm.s2)
                            want &= smmu_perm_s2_rwx(x->s, &out.perm, b.priv);
                        assert_int_equal(g, want);
                    }
                    if (rw) {
                        assert_int_equal(f1.event, f2.event);
                        assert_int_equal(f1.s2, f2.s2);
                        assert_int_equal(f1.cls, f2.cls);
                    }
                }
            } else {
                faults++;
                assert_int_equal(r, 1);
                assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
                assert_false(f.s2);
                assert_int_equal(f.cls, SMMU_CLASS_IN);
            }
        }
    }
    assert_int_equal(n, 4 * 4 * 4 * 4 * 2 * 6);
    assert_true(faults > 0 && faults < n);
}

/* HAD is only honoured when IDR3.HAD is advertised. */
static void no_had(smmuv3_config *c) { c->had = false; }

static void test_s1_had_not_advertised(void **state)
{
    ws *w = ws_profile(*state, no_had);
    w->p.table_attrs = PT_APTABLE(2);
    ws_map(w, 0x1000, 0x9000, PT_AF | PT_AP(1));
    w->c.cd.tt[0].had = true;
    smmu_access uw = mk_acc(A_W, false);
    ws_fault(w, 0x1000, &uw, SMMUV3_EVT_F_PERMISSION, -1, -1);
}

static void test_s1_wxn_pan_el2(void **state)
{
    ws *w = *state;
    ws_map(w, 0x1000, 0x9000, PT_AF | PT_AP(0));   /* EL1 RW */
    ws_map(w, 0x2000, 0xa000, PT_AF | PT_AP(3));   /* RO both */
    ws_map(w, 0x3000, 0xb000, PT_AF | PT_AP(1) | PT_UXN); /* RW both, EL0 XN */
    smmu_access px = mk_acc(A_X, true), pr = mk_acc(A_R, true), pw = mk_acc(A_W, true);
    smmu_access ux = mk_acc(A_X, false), ur = mk_acc(A_R, false);
    assert_int_equal(ws_walk(w, 0x1000, &px), 0);
    w->c.cd.wxn = true;   /* writable -> execute-never */
    assert_int_equal(ws_walk(w, 0x1000, &px), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_PERMISSION);
    assert_int_equal(ws_walk(w, 0x2000, &px), 0);
    assert_int_equal(ws_walk(w, 0x2000, &ux), 0);
    w->c.cd.wxn = false;
    /* PAN: privileged data access to an EL0-accessible page */
    assert_int_equal(ws_walk(w, 0x2000, &pr), 0);
    w->c.cd.pan = true;
    assert_int_equal(ws_walk(w, 0x2000, &pr), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_PERMISSION);
    assert_int_equal(ws_walk(w, 0x3000, &pw), 1);
    assert_int_equal(ws_walk(w, 0x1000, &pr), 0);
    assert_int_equal(ws_walk(w, 0x2000, &ur), 0);
    w->c.cd.pan = false;
    /* EL2 StreamWorld: one privilege level, AP[1] ignored, XN from bit 54 */
    w->c.ste.regime = SMMU_REGIME_EL2;
    assert_int_equal(ws_walk(w, 0x1000, &ur), 0);
    assert_int_equal(ws_walk(w, 0x3000, &px), 1);
    assert_int_equal(ws_walk(w, 0x2000, &pw), 1);
}

/*
 * Stage 1 permissions in every StreamWorld (EL1, EL2, EL2-E2H) with PAN, WXN and
 * HAD, against the Arm ARM AArch64.S1DirectBasePermissions rules written out
 * independently: AP[2:1] then APTable, px = !(PXNTable | PXN | uw), ux =
 * !(UXNTable | UXN), PAN removes privileged data access where ur | uw, WXN
 * removes execute where writable; EL2 has AP[2], APTable[1] and XN (bit 54,
 * XNTable bit 60) only.
 */
static void test_s1_regimes_pan_wxn(void **state)
{
    ws *sc = *state;
    wfx *x = sc->x;
    smmu_txcfg *c = &sc->c;
    pleaf l = perm_leaf(sc);
    static const uint8_t regimes[3] = { SMMU_REGIME_EL1, SMMU_REGIME_EL2, SMMU_REGIME_EL2_E2H };
    for (unsigned ri = 0; ri < 3; ri++)
    for (unsigned ap = 0; ap < 4; ap++)
    for (unsigned xn = 0; xn < 4; xn++)
    for (unsigned apt = 0; apt < 4; apt++)
    for (unsigned xnt = 0; xnt < 4; xnt++)
    for (unsigned flags = 0; flags < 8; flags++) {   /* bit 0 HAD, bit 1 PAN, bit 2 WXN */
        bool had = flags & 1, pan = flags & 2, wxn = flags & 4;
        perm_set(sc, &l, ap, xn, apt, xnt);
        c->ste.regime = regimes[ri];
        c->cd.tt[0].had = had;
        c->cd.pan = pan;
        c->cd.wxn = wxn;
        unsigned at = had ? 0 : apt;
        bool uxnt = !had && (xnt & 1), pxnt = !had && (xnt & 2);
        for (unsigned priv = 0; priv < 2; priv++)
        for (unsigned kind = A_R; kind <= A_X; kind++) {
            bool r, w, xx;
            if (regimes[ri] == SMMU_REGIME_EL2) {
                r = true;
                w = !(ap & 2) && !(at & 2);
                xx = !(uxnt || (xn & 1));
            } else {
                bool pr = true, pw = !(ap & 2), ur = ap & 1, uw = ap == 1;
                if (at & 1)
                    ur = uw = false;
                if (at & 2)
                    pw = uw = false;
                bool px = !(pxnt || (xn & 2) || uw), ux = !(uxnt || (xn & 1));
                if (pan && (ur || uw))
                    pr = pw = false;
                r = priv ? pr : ur;
                w = priv ? pw : uw;
                xx = priv ? px : ux;
            }
            if (wxn && w)
                xx = false;
            bool ok = kind == A_R ? r : kind == A_W ? w : xx;
            smmu_access a = mk_acc(kind, priv);
            smmu_xlate out;
            smmu_fault f;
            int rc = smmu_walk(x->s, c, va + 0x10, &a, &out, &f);
            if (ok) {
                assert_int_equal(rc, 0);
                assert_int_equal(smmu_perm_check(x->s, c, &out, &a, &f, NULL), 0);
            } else {
                assert_int_equal(rc, 1);
                assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
                assert_false(f.s2);
                assert_int_equal(f.cls, SMMU_CLASS_IN);
            }
        }
    }
}

static void s2_matrix(ws *sc, bool xnx)
{
    wfx *x = sc->x;
    tpt p;
    smmu_txcfg c;
    uint64_t root = wfx_s2_4k(x, &p, &c);
    uint64_t leaf = tpt_map(&p, root, 1, 40, 0x5000, 3, 0x7000, PT_AF | PT_MEMATTR(0xf));
    uint64_t leafv = tpt_r64(x->mem, leaf);
    for (unsigned s2ap = 0; s2ap < 4; s2ap++)
    for (unsigned xn = 0; xn < 4; xn++) {
        tpt_w64(x->mem, leaf, leafv | PT_S2AP(s2ap) | PT_S2XN(xn));
        for (unsigned priv = 0; priv < 2; priv++)
        for (unsigned kind = A_R; kind <= A_X; kind++) {
            bool ok;
            if (kind == A_R)
                ok = s2ap & 1;
            else if (kind == A_W)
                ok = (s2ap & 2) != 0;
            else if (xnx)
                /* XN[1:0]: 00 both, 01 EL0 only, 10 neither, 11 EL1 only */
                ok = xn == 0 || (xn == 1 && !priv) || (xn == 3 && priv);
            else
                ok = !(xn & 2);
            smmu_access a = mk_acc(kind, priv);
            smmu_xlate out;
            smmu_fault f;
            int r = smmu_walk(x->s, &c, 0x5010, &a, &out, &f);
            if (ok) {
                assert_int_equal(r, 0);
                assert_int_equal(out.pa, 0x7010);
                assert_int_equal(out.perm.s2ap, s2ap);
                /* what a TLB hit reports (translate.c res->perm) */
                bool x_ok = xnx ? xn == 0 || (xn == 1 && !priv) || (xn == 3 && priv) : !(xn & 2);
                unsigned g = 0;
                assert_int_equal(smmu_perm_check(x->s, &c, &out, &a, &f, &g), 0);
                assert_int_equal(g, ((s2ap & 1) ? SMMUV3_PERM_R : 0u) | ((s2ap & 2) ? SMMUV3_PERM_W : 0u) |
                                        (x_ok ? SMMUV3_PERM_X : 0u));
            } else {
                assert_int_equal(r, 1);
                assert_int_equal(f.event, SMMUV3_EVT_F_PERMISSION);
                assert_true(f.s2);
                assert_int_equal(f.cls, SMMU_CLASS_IN);
                assert_int_equal(f.ipa, 0x5010);
            }
        }
    }
}

static void xnx_on(smmuv3_config *c) { c->xnx = true; }
static void xnx_off(smmuv3_config *c) { c->xnx = false; }

static void test_s2_matrix_xnx(void **state)
{
    s2_matrix(ws_profile(*state, xnx_on), true);
}

static void test_s2_matrix_no_xnx(void **state)
{
    s2_matrix(ws_profile(*state, xnx_off), false);
}

TEST_MAIN_FX(ws_setup, ws_teardown, test_s1_matrix, test_s1_had_not_advertised, test_s1_wxn_pan_el2,
             test_s1_regimes_pan_wxn, test_s2_matrix_xnx, test_s2_matrix_no_xnx)
