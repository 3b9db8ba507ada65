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

/* ------------------------------------------------------------ access flag and HTTU */
static void test_access_flag(void **state)
{
    fx *x = *state;
    tpt p;
    smmu_txcfg c;
    uint64_t root = wfx_s1_4k(x, &p, &c);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, S1_RW & ~PT_AF);
    smmu_xlate out;
    smmu_fault f;
    wfx_expect_fault(x, &c, 0x1000, &RD, SMMUV3_EVT_F_ACCESS, 0, -1, &f);
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
    wfx_expect_fault(x, &c2, 0x5000, &RD, SMMUV3_EVT_F_ACCESS, 1, SMMU_CLASS_IN, &f);
    assert_int_equal(f.ipa, 0x5000);
    c2.ste.s2.affd = true;
    assert_int_equal(smmu_walk(x->s, &c2, 0x5000, &RD, &out, &f), 0);
}

static void test_httu(void **state)
{
    fx *x = *state;
    tpt p;
    smmu_txcfg c;
    uint64_t root = wfx_s1_4k(x, &p, &c);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, (S1_RW & ~PT_AF) | PT_AP(3) | PT_DBM);
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
    fx *x = *state;
    tpt p;
    smmu_txcfg c;
    uint64_t root = wfx_s1_4k(x, &p, &c);
    uint64_t d = tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, S1_RW & ~PT_AF);
    c.cd.ha = c.cd.hd = true;
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x1000, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ACCESS);
    assert_false(tpt_r64(x->mem, d) & PT_AF);
}

/* Stage 1: an access flag fault comes before a permission fault. */
static void test_af_before_permission(void **state)
{
    fx *x = *state;
    tpt p;
    smmu_txcfg c;
    uint64_t root = wfx_s1_4k(x, &p, &c);
    tpt_map(&p, root, 0, 48, 0x1000, 3, 0x9000, PT_AP(3));      /* AF=0, read-only */
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
    wfx_nested(x, &c, &p1, &r1, &p2, &r2);
    const uint64_t va = 0x5000;
    uint64_t l3 = tpt_map(&p1, r1, 0, 48, va, 3, 0x20005000ull, S1_RW & ~PT_AF);
    c.cd.ha = true;
    uint64_t s2d = tpt_desc_pa(&p2, r2, 1, 40, l3 - NEST_OFF, 2);
    uint64_t s2v = tpt_r64(x->mem, s2d);
    tpt_w64(x->mem, s2d, (s2v & ~PT_S2AP(3)) | PT_S2AP(1));        /* stage 2 read-only tables */
    smmu_xlate out;
    smmu_fault f;
    wfx_expect_fault(x, &c, va, &RD, SMMUV3_EVT_F_PERMISSION, 1, SMMU_CLASS_TT, &f);
    assert_false(f.ttrnw);
    assert_int_equal(f.ipa, l3 - NEST_OFF);
    assert_false(tpt_r64(x->mem, l3) & PT_AF);
    tpt_w64(x->mem, s2d, s2v);
    assert_int_equal(smmu_walk(x->s, &c, va, &RD, &out, &f), 0);
    assert_true(tpt_r64(x->mem, l3) & PT_AF);
    assert_int_equal(out.pa, 0x20005000ull + NEST_OFF);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        WFX_TEST(test_access_flag),
        WFX_TEST(test_httu),
        cmocka_unit_test_setup_teardown(test_httu_not_advertised, wfx_setup_no_httu, wfx_teardown),
        WFX_TEST(test_af_before_permission),
        WFX_TEST(test_nested_httu_write_fault),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
