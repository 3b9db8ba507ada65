/* SPDX-License-Identifier: MIT */
/*
 * Conformance with Linux's arm-smmu-v3 driver (the re-enactment is
 * tests/helpers/linux_drv.[ch]): STE updates: arm_smmu_write_entry's hitless and breaking sequences and
 * every transition the driver's KUnit tests exercise.
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

/* arm_smmu_write_entry: abort -> S1 is hitless (one critical qword);
 * S1 -> S2 is a breaking update (V = 0 in between: C_BAD_STE) */
typedef struct { uint64_t iova, pa_s1; } upd_arg;

static void hook_abort_to_s1(drv *d, uint32_t sid, int step, void *arg)
{
    upd_arg *a = arg;
    smmuv3_result r;
    if (step == 1) {
        /* unused bits written: still the abort STE */
        assert_int_equal(xlate(d, sid, a->iova, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0);
        expect_no_event(d);
    } else if (step >= 2) {
        expect_pa(d, sid, a->iova, 0, a->pa_s1);
    }
}

static void hook_s1_to_s2(drv *d, uint32_t sid, int step, void *arg)
{
    upd_arg *a = arg;
    smmuv3_result r;
    if (step == 11 || step == 12) {
        assert_int_equal(xlate(d, sid, a->iova, 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x04 | (uint64_t)sid << 32);
        expect_no_event(d);
    }
}

static void test_ste_update_sequences(void **state)
{
    drv *d = *state;
    const uint32_t sid = 9;
    s1dom dom;
    make_s1dom(d, &dom, 4);
    pt_map(d, dom.pgd, 0x10000, 0x9990000, P_READ | P_WRITE | P_CACHE, false, 3);

    /* abort (V=1, Config=0) -> S1 cdtable STE */
    uint64_t t[8];
    make_cdtable_ste(d, t, dom.cdtab, 0, 0, 2);
    upd_arg a = { 0x10000, 0x9990000 };
    write_ste(d, sid, t, hook_abort_to_s1, &a);
    expect_pa(d, sid, 0x10FFF, 0, 0x9990FFF);

    /* S1 -> S2 domain: breaking */
    uint64_t vttbr = dalloc(d, 4096);
    pt_map(d, vttbr, 0x10000, 0x5550000, P_READ | P_WRITE | P_CACHE, true, 3);
    make_s2_ste(t, 12, vttbr);
    write_ste(d, sid, t, hook_s1_to_s2, &a);
    expect_pa(d, sid, 0x10123, SMMUV3_TXN_WRITE, 0x5550123);

    /* S2 -> abort (detach with disable_bypass) */
    uint64_t ab[8] = { 1 };
    write_ste(d, sid, ab, NULL, NULL);
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x10123, 0, &r), SMMUV3_XLATE_ABORT);
    expect_no_event(d);
}

/* every STE transition Linux's arm-smmu-v3 KUnit tests exercise, made with
 * arm_smmu_write_entry: at each intermediate step a transaction sees the old
 * configuration or the new one; only a breaking update (V = 0) may show
 * C_BAD_STE in between */
enum { X_IOVA = 0x4000 };
typedef struct { uint64_t ste[8]; int64_t pa; } stecfg; /* pa < 0: abort, no event */
typedef struct { const stecfg *from, *to; } trans_arg;

static void check_outcome(drv *d, uint32_t sid, const stecfg *c, smmuv3_result *r, int rc, bool *match)
{
    (void)d; (void)sid;
    if (c->pa < 0)
        *match = *match || (rc == SMMUV3_XLATE_ABORT && r->event == 0);
    else
        *match = *match || (rc == 0 && r->pa == (uint64_t)c->pa + 0x10);
}

static void hook_transition(drv *d, uint32_t sid, int step, void *arg)
{
    trans_arg *a = arg;
    smmuv3_result r;
    int rc = xlate(d, sid, X_IOVA + 0x10, 0, &r);
    bool ok = false;
    check_outcome(d, sid, a->from, &r, rc, &ok);
    check_outcome(d, sid, a->to, &r, rc, &ok);
    if (!ok && (step == 11 || step == 12) && rc == SMMUV3_XLATE_ABORT && r.event == 0x04) {
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x04 | (uint64_t)sid << 32);
        ok = true;
    }
    if (!ok)
        print_error("step %d: rc %d pa 0x%llx event 0x%x\n", step, rc, (unsigned long long)r.pa, r.event);
    assert_true(ok);
    if (step == 3 || step == 0 || step == 13) {
        /* the final state is exactly the target */
        bool fin = false;
        check_outcome(d, sid, a->to, &r, rc, &fin);
        assert_true(fin);
    }
}

static void test_ste_transitions(void **state)
{
    drv *d = *state;
    stecfg cfgs[6];
    memset(cfgs, 0, sizeof(cfgs));
    cfgs[0].ste[0] = 1;                         /* abort */
    cfgs[0].pa = -1;
    make_bypass_ste(cfgs[1].ste);               /* identity */
    cfgs[1].pa = X_IOVA;
    for (int i = 0; i < 2; i++) {               /* two S1 domains */
        uint64_t cd = dalloc(d, 64), pgd = dalloc(d, 4096);
        write_cd(d, cd, (uint16_t)(0x10 + i), pgd);
        pt_map(d, pgd, X_IOVA, 0x10000000ull * (uint64_t)(i + 1), P_READ | P_WRITE | P_CACHE, false, 3);
        make_cdtable_ste(d, cfgs[2 + i].ste, cd, 0, 0, 2);
        cfgs[2 + i].pa = (int64_t)(0x10000000ll * (i + 1));
    }
    for (int i = 0; i < 2; i++) {               /* two S2 domains */
        uint64_t vttbr = dalloc(d, 4096);
        pt_map(d, vttbr, X_IOVA, 0x40000000ull * (uint64_t)(i + 1), P_READ | P_WRITE | P_CACHE, true, 3);
        make_s2_ste(cfgs[4 + i].ste, (uint16_t)(0x20 + i), vttbr);
        cfgs[4 + i].pa = (int64_t)(0x40000000ll * (i + 1));
    }
    const uint32_t sid = 0x33;
    for (int from = 0; from < 6; from++) {
        for (int to = 0; to < 6; to++) {
            if (from == to)
                continue;
            write_ste(d, sid, cfgs[from].ste, NULL, NULL);
            trans_arg a = { &cfgs[from], &cfgs[to] };
            write_ste(d, sid, cfgs[to].ste, hook_transition, &a);
        }
    }
    expect_no_event(d);
}

TEST_MAIN_FX(lx_setup_linear, lx_teardown, test_ste_update_sequences, test_ste_transitions)
