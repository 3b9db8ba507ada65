/* Unit tests: the Access flag and hardware updates of a walk (src/model/walk/walk.c):
 * AF faults, HA/HD (DBM), HTTU not advertised, AF before permission, nested. */
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

/* ------------------------------------------------------------ access flag and HTTU */
static void test_access_flag(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    uint64_t d = ws_map(w, 0x1000, 0x9000, S1_RW & ~PT_AF);
    ws_fault(w, 0x1000, &RD, SMMUV3_EVT_F_ACCESS, 0, -1);
    w->c.cd.affd = true;
    assert_int_equal(ws_walk(w, 0x1000, &RD), 0);
    assert_int_equal(tpt_r64(x->mem, d) & PT_AF, 0);          /* AFFD: no update */
    /* AFFD is IGNORED with HA: the flag is set */
    w->c.cd.ha = true;
    assert_int_equal(ws_walk(w, 0x1000, &RD), 0);
    assert_true(tpt_r64(x->mem, d) & PT_AF);
    w->c.cd.ha = false;
    /* stage 2 */
    smmu_txcfg c2;
    tpt p2;
    uint64_t r2 = wfx_s2_4k(x, &p2, &c2);
    tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x7000, S2_RW & ~PT_AF);
    wfx_expect_fault(x, &c2, 0x5000, &RD, SMMUV3_EVT_F_ACCESS, 1, SMMU_CLASS_IN, &w->f);
    assert_int_equal(w->f.ipa, 0x5000);
    c2.ste.s2.affd = true;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, &w->out, &w->f), 0);
}

static void test_httu(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    smmu_xlate *out = &w->out;
    uint64_t d = ws_map(w, 0x1000, 0x9000, (S1_RW & ~PT_AF) | PT_AP(3) | PT_DBM);
    w->c.cd.ha = true;
    /* HA: the read sets AF; HD off: DBM ignored, write faults */
    assert_int_equal(ws_walk(w, 0x1000, &RD), 0);
    assert_true(tpt_r64(x->mem, d) & PT_AF);
    assert_false(out->perm.dbm);
    ws_fault(w, 0x1000, &WR, SMMUV3_EVT_F_PERMISSION, -1, -1);
    /* HD: a read leaves it clean and says so; a write makes it dirty (AP[2] cleared) */
    w->c.cd.hd = true;
    assert_int_equal(ws_walk(w, 0x1000, &RD), 0);
    assert_true(out->perm.dbm);
    assert_true(tpt_r64(x->mem, d) & PT_AP(2));
    /* a TLB hit on the clean entry may not write: the check refuses, so translate.c re-walks */
    assert_int_equal(smmu_perm_check(x->s, &w->c, out, &WR, &w->f, NULL), 1);
    assert_int_equal(ws_walk(w, 0x1000, &WR), 0);
    assert_false(out->perm.dbm);
    assert_false(tpt_r64(x->mem, d) & PT_AP(2));
    assert_int_equal(smmu_perm_check(x->s, &w->c, out, &WR, &w->f, NULL), 0);
    /* DBM cannot override APTable[1] */
    uint64_t d2 = ws_map(w, 0x200000, 0xa000, S1_RW | PT_AP(3) | PT_DBM);
    uint64_t t2 = tpt_desc_pa(&w->p, w->root, 0, 48, 0x200000, 2);
    tpt_w64(x->mem, t2, tpt_r64(x->mem, t2) | PT_APTABLE(2));
    ws_fault(w, 0x200000, &WR, SMMUV3_EVT_F_PERMISSION, -1, -1);
    assert_true(tpt_r64(x->mem, d2) & PT_AP(2));

    /* stage 2 AF and dirty */
    smmu_txcfg c2;
    tpt p2;
    uint64_t r2 = wfx_s2_4k(x, &p2, &c2);
    uint64_t e = tpt_map(&p2, r2, 1, 40, 0x5000, 3, 0x7000, (S2_RW & ~PT_AF & ~PT_S2AP(2)) | PT_DBM);
    c2.ste.s2.ha = c2.ste.s2.hd = true;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, out, &w->f), 0);
    assert_true(out->perm.s2dbm);
    assert_true(tpt_r64(x->mem, e) & PT_AF);
    assert_false(tpt_r64(x->mem, e) & PT_S2AP(2));
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &WR, out, &w->f), 0);
    assert_false(out->perm.s2dbm);
    assert_true(tpt_r64(x->mem, e) & PT_S2AP(2));
}

static void test_httu_not_advertised(void **state)
{
    ws *w = ws_profile(*state, ws_no_httu);
    uint64_t d = ws_map(w, 0x1000, 0x9000, S1_RW & ~PT_AF);
    w->c.cd.ha = w->c.cd.hd = true;
    ws_fault(w, 0x1000, &RD, SMMUV3_EVT_F_ACCESS, -1, -1);
    assert_false(tpt_r64(w->x->mem, d) & PT_AF);
}

/* Stage 1: an access flag fault comes before a permission fault. */
static void test_af_before_permission(void **state)
{
    ws *w = *state;
    uint64_t d = ws_map(w, 0x1000, 0x9000, PT_AP(3));      /* AF=0, read-only */
    ws_fault(w, 0x1000, &WR, SMMUV3_EVT_F_ACCESS, -1, -1);
    /* with HA the permission fault is reported and AF is not set */
    w->c.cd.ha = true;
    ws_fault(w, 0x1000, &WR, SMMUV3_EVT_F_PERMISSION, -1, -1);
    assert_false(tpt_r64(w->x->mem, d) & PT_AF);
}

/* Nested HTTU: the stage 1 AF update is a stage 2 write of the descriptor (TTRnW=0). */
static void test_nested_httu_write_fault(void **state)
{
    ws *w = *state;
    ws_nested(w);
    smmuv3_mem *mem = w->x->mem;
    const uint64_t va = 0x5000;
    uint64_t l3 = ws_map(w, va, 0x20005000ull, S1_RW & ~PT_AF);
    w->c.cd.ha = true;
    uint64_t s2d = tpt_desc_pa(&w->p2, w->r2, 1, 40, l3 - NEST_OFF, 2);
    uint64_t s2v = tpt_r64(mem, s2d);
    tpt_w64(mem, s2d, (s2v & ~PT_S2AP(3)) | PT_S2AP(1));        /* stage 2 read-only tables */
    ws_fault(w, va, &RD, SMMUV3_EVT_F_PERMISSION, 1, SMMU_CLASS_TT);
    assert_false(w->f.ttrnw);
    assert_int_equal(w->f.ipa, l3 - NEST_OFF);
    assert_false(tpt_r64(mem, l3) & PT_AF);
    tpt_w64(mem, s2d, s2v);
    assert_int_equal(ws_walk(w, va, &RD), 0);
    assert_true(tpt_r64(mem, l3) & PT_AF);
    assert_int_equal(w->out.pa, 0x20005000ull + NEST_OFF);
}

/* After a successful walk: the translation says writable-clean, and the
 * permission check of a TLB hit refuses access `a`. */
static bool out_dbm_and_check(fx *x, ws *w, const smmu_access *a)
{
    return w->out.perm.dbm && smmu_perm_check(x->s, &w->c, &w->out, a, &w->f, NULL) == 1;
}

/*
 * IHI 0070 3.13.8 (note) and the Arm ARM descriptor decode (with HA and HD,
 * DBM == 1 clears the effective AP[2]): under HTTU dirty-state management a
 * writable-clean descriptor counts as writable for execute permission, so
 * the "EL0-writable is privileged execute-never" rule and CD.WXN apply to it
 * before it is ever written. APTable[1] still removes write (3.13.3.1).
 */
static void test_dbm_clean_is_writable_for_execute(void **state)
{
    ws *w = *state;
    fx *x = w->x;
    const smmu_access px = { .write = false, .exec = true, .priv = true };
    const smmu_access ur = { .write = false, .exec = false, .priv = false };
    uint64_t d1 = ws_map(w, 0x1000, 0x9000, PT_AF | PT_AP(3) | PT_DBM);   /* RO both, DBM */
    uint64_t d2 = ws_map(w, 0x2000, 0xa000, PT_AF | PT_AP(2) | PT_DBM);   /* EL1 RO, DBM */
    w->c.cd.ha = true;
    /* HD off: DBM means nothing, both are read-only and privileged-executable */
    assert_int_equal(ws_walk(w, 0x1000, &px), 0);
    w->c.cd.wxn = true;
    assert_int_equal(ws_walk(w, 0x2000, &px), 0);
    w->c.cd.wxn = false;
    w->c.cd.hd = true;
    /* writable-clean at EL0 too: never executable at EL1 */
    ws_fault(w, 0x1000, &px, SMMUV3_EVT_F_PERMISSION, 0, SMMU_CLASS_IN);
    assert_int_equal(ws_walk(w, 0x1000, &ur), 0);
    assert_true(out_dbm_and_check(x, w, &px));                 /* a TLB hit refuses it as well */
    assert_true(tpt_r64(x->mem, d1) & PT_AP(2));              /* no access wrote it */
    /* writable-clean at EL1 with WXN: execute-never */
    assert_int_equal(ws_walk(w, 0x2000, &px), 0);
    w->c.cd.wxn = true;
    ws_fault(w, 0x2000, &px, SMMUV3_EVT_F_PERMISSION, 0, SMMU_CLASS_IN);
    assert_true(tpt_r64(x->mem, d2) & PT_AP(2));
    w->c.cd.wxn = false;
    /* APTable[1] removes write: not writable-clean, executable at EL1 */
    ws_map(w, 0x200000, 0xb000, PT_AF | PT_AP(3) | PT_DBM);
    uint64_t t = tpt_desc_pa(&w->p, w->root, 0, 48, 0x200000, 2);
    tpt_w64(x->mem, t, tpt_r64(x->mem, t) | PT_APTABLE(2));
    assert_int_equal(ws_walk(w, 0x200000, &px), 0);
    assert_false(w->out.perm.dbm);
}

TEST_MAIN_FX(ws_setup, ws_teardown, test_access_flag, test_httu, test_httu_not_advertised,
             test_af_before_permission, test_nested_httu_write_fault,
             test_dbm_clean_is_writable_for_execute)
