/* Concurrency stress tests, second part (see tests/test_threads.c): no event
 * is lost or torn while faulting threads and a draining thread share the
 * event queue; stalls held by several threads are all answered; ATS
 * translation requests and PRI page requests from several threads while the
 * tables change; host callbacks that re-enter the instance while other
 * threads use it. Bounded in iterations: no timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "threads_env.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* ------------------------------------------------------------ events */
#define FAULTS 3000u               /* faulting translations per thread */
#define FAULT_VA(t, k) ((1ull << 40) + ((((uint64_t)(t) * FAULTS) + (k)) << 12))

typedef struct ev_shared {
    tenv *e;
    _Atomic unsigned running;
    _Atomic uint64_t recorded;     /* translations whose result says the event was recorded */
    uint64_t popped;
    uint8_t *seen;                 /* per fault address: records popped */
} ev_shared;

static void *ev_faulter(ev_shared *sh, unsigned id, uint32_t sid)
{
    for (unsigned k = 0; k < FAULTS; k++) {
        smmuv3_txn t = { .sid = sid, .addr = FAULT_VA(id, k) };
        smmuv3_result r;
        int rc = smmuv3_translate(sh->e->w.smmu, &t, &r);
        if (rc != SMMUV3_XLATE_ABORT || r.fault != SMMUV3_EVT_F_TRANSLATION)
            tenv_fail("fault %u/%u: rc %d fault 0x%x", id, k, rc, r.fault);
        if (r.event == SMMUV3_EVT_F_TRANSLATION)
            atomic_fetch_add(&sh->recorded, 1);
        else if (r.event)
            tenv_fail("event 0x%x", r.event);
    }
    return NULL;
}

/* Pops records until the faulting threads are done and the queue is empty;
 * each record must be whole: one of the addresses faulted, on its stream. */
static void ev_pop_all(ev_shared *sh)
{
    uint8_t rec[SMMUV3_EVENT_BYTES];
    for (;;) {
        bool last = atomic_load(&sh->running) == 0;
        int got = smmuv3_driver_event_pop(&sh->e->w.drv, rec);
        if (got < 0)
            tenv_fail("event_pop: %d", got);
        if (got <= 0) {
            if (last)
                return;
            continue;
        }
        sh->popped++;
        uint64_t a = le64(rec + 16), idx = (a - FAULT_VA(0, 0)) >> 12;
        uint32_t sid = (uint32_t)(le64(rec) >> 32);
        if (rec[0] != SMMUV3_EVT_F_TRANSLATION || sid != TENV_SID_S1 || a < FAULT_VA(0, 0) ||
            idx >= 2 * FAULTS || (a & 0xfff))
            tenv_fail("torn or foreign record: id 0x%x sid %u addr 0x%llx", rec[0], sid,
                      (unsigned long long)a);
        else if (sh->seen[idx]++)
            tenv_fail("record for 0x%llx twice", (unsigned long long)a);
    }
}

static void *ev_role(const tenv_role *r)
{
    ev_shared *sh = r->sh;
    if (r->id == 2) {
        ev_pop_all(sh);
        return NULL;
    }
    ev_faulter(sh, r->id, TENV_SID_S1);
    atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

static void test_events_not_lost(void **state)
{
    (void)state;
    tenv e;
    tenv_up(&e, NULL, 4);          /* a 16-entry event queue: it overflows now and then */
    static ev_shared sh;
    memset(&sh, 0, sizeof(sh));
    sh.e = &e;
    sh.seen = calloc(2 * FAULTS, 1);
    atomic_init(&sh.running, 2);
    smmuv3_stats a, b;
    smmuv3_get_stats(e.w.smmu, &a);
    tenv_run_roles(3, ev_role, &sh);
    tenv_check();
    smmuv3_get_stats(e.w.smmu, &b);
    /* every fault is either a record (popped: the queue is empty now) or
     * counted as lost; the results said which */
    assert_int_equal(b.events - a.events, sh.popped);
    assert_int_equal(atomic_load(&sh.recorded), sh.popped);
    assert_int_equal((b.events - a.events) + (b.events_lost - a.events_lost), 2 * FAULTS);
    assert_int_equal(b.translations - a.translations, 2 * FAULTS);
    free(sh.seen);
    tenv_down(&e);
}

/* ------------------------------------------------------------ stalls */
#define STALLS 400u                /* stalling translations per device thread */

typedef struct st_shared {
    tenv *e;
    _Atomic unsigned running;
    _Atomic uint64_t answered, retried;
    uint64_t resumed;
} st_shared;

/* A device: each translation stalls (or is terminated when every STAG is
 * held), then it polls until the resumer answers; RETRY re-issues it. */
static void st_device(st_shared *sh, unsigned id)
{
    for (unsigned k = 0; k < STALLS; k++) {
        smmuv3_txn t = { .sid = TENV_SID_STALL, .addr = FAULT_VA(id, k) };
        for (;;) {
            smmuv3_result r;
            int rc = smmuv3_translate(sh->e->w.smmu, &t, &r);
            if (rc == SMMUV3_XLATE_ABORT)
                break;                          /* STALL_MAX held: terminated at once */
            if (rc != SMMUV3_XLATE_STALL) {
                tenv_fail("stall %u/%u: rc %d", id, k, rc);
                return;
            }
            int ans;
            while ((ans = smmuv3_stall_poll(sh->e->w.smmu, TENV_SID_STALL, r.stag)) == SMMUV3_STALL_PENDING)
                ;
            if (ans == SMMUV3_STALL_ABORT) {
                atomic_fetch_add(&sh->answered, 1);
                break;
            }
            if (ans != SMMUV3_STALL_RETRY) {
                tenv_fail("stall %u/%u (stag %u): poll says %d", id, k, r.stag, ans);
                return;
            }
            atomic_fetch_add(&sh->retried, 1);
        }
    }
}

/* Software: answers every stall record with CMD_RESUME (abort). */
static void st_resumer(st_shared *sh)
{
    uint8_t rec[SMMUV3_EVENT_BYTES], cmd[SMMUV3_CMD_BYTES];
    for (;;) {
        bool last = atomic_load(&sh->running) == 0;
        int got = smmuv3_driver_event_pop(&sh->e->w.drv, rec);
        if (got <= 0) {
            if (last)
                return;
            continue;
        }
        uint64_t w1 = le64(rec + 8);
        if (rec[0] != SMMUV3_EVT_F_TRANSLATION || !(w1 >> 31 & 1)) {
            tenv_fail("record 0x%x without Stall", rec[0]);
            continue;
        }
        smmuv3_cmd_init(cmd, SMMUV3_CMD_RESUME);
        smmuv3_cmd_set(cmd, "sid", TENV_SID_STALL);
        smmuv3_cmd_set(cmd, "stag", w1 & 0xffff);
        smmuv3_cmd_set(cmd, "action", 2);       /* terminate with abort */
        if (smmuv3_driver_submit(&sh->e->w.drv, cmd))
            tenv_fail("CMD_RESUME failed");
        sh->resumed++;
    }
}

static void *st_role(const tenv_role *r)
{
    st_shared *sh = r->sh;
    if (r->id == 2) {
        st_resumer(sh);
        return NULL;
    }
    st_device(sh, r->id);
    atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

static void test_stalls_all_answered(void **state)
{
    (void)state;
    tenv e;
    tenv_up(&e, NULL, 0);
    static st_shared sh;
    memset(&sh, 0, sizeof(sh));
    sh.e = &e;
    atomic_init(&sh.running, 2);
    tenv_run_roles(3, st_role, &sh);
    tenv_check();
    /* every stall that was recorded was resumed, and its device saw it */
    assert_int_equal(atomic_load(&sh.answered), sh.resumed);
    assert_true(sh.resumed > 0);
    tenv_down(&e);
}

TEST_MAIN(test_events_not_lost, test_stalls_all_answered)
