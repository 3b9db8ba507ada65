/* Concurrency stress tests, third part (see tests/test_threads.c): ATS
 * translation requests, PRI page requests and transactions from several
 * threads while the driver remaps pages (TLBI + CMD_SYNC), with small caches
 * so that walks happen all the time, over a host whose table reads re-enter
 * the instance (a nested translation from inside the callback, on the
 * callback's thread, while the other threads keep going). Every result is
 * checked; every page request is answered exactly once. Bounded in
 * iterations: no timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "threads_env.h"
#include "cfgfx.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)

#define NPAGES  8u
#define VA(i)   (0x100000ull + (uint64_t)(i) * 0x1000)
#define PA_BASE 0x80000000ull
#define PA(i, v) (PA_BASE + (((uint64_t)(v) * NPAGES + (i)) << 12))
#define ROUNDS  1000u
#define CALLS   6000u            /* per device thread, at least */
#define BETWEEN 20u

typedef struct ats_shared {
    tenv e;
    _Atomic bool armed;            /* the host's reads re-enter the instance */
    _Atomic uint32_t issued[NPAGES], done[NPAGES];
    _Atomic bool stop;
    _Atomic uint64_t calls, pri_sent, pri_resp, nested, reads;
} ats_shared;

/* ------------------------------------------------------------ the host */
static int h_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    ats_shared *sh = ctx;
    if (atomic_load(&sh->armed) && atomic_fetch_add(&sh->reads, 1) % 8 == 0) {
        /* a nested transaction from inside the table read: a bypass stream */
        smmuv3_txn t = { .sid = TENV_SID_BYP, .addr = pa ^ 0x5000 };
        smmuv3_result r;
        int rc = smmuv3_translate(sh->e.w.smmu, &t, &r);
        if (rc || r.pa != t.addr || !r.bypass)
            tenv_fail("nested translation: rc %d", rc);
        atomic_fetch_add(&sh->nested, 1);
    }
    return smmuv3_mem_read(sh->e.w.mem, pa, buf, len);
}

static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    ats_shared *sh = ctx;
    return smmuv3_mem_write(sh->e.w.mem, pa, buf, len);
}

static void h_pri_resp(void *ctx, const smmuv3_pri_resp *resp)
{
    ats_shared *sh = ctx;
    if (resp->resp != SMMUV3_PRI_RESP_DENY || resp->sid != TENV_SID_ATS)
        tenv_fail("PRI response %d for sid %u", resp->resp, resp->sid);
    atomic_fetch_add(&sh->pri_resp, 1);
}

/* ------------------------------------------------------------ the threads */
static void check_version(const char *what, uint64_t out, unsigned i, uint32_t lo, uint32_t hi)
{
    uint64_t idx = (out - PA_BASE) >> 12;
    uint32_t v = (uint32_t)(idx / NPAGES);
    if (out < PA_BASE || idx % NPAGES != i || v < lo || v > hi)
        tenv_fail("%s page %u: version %u, allowed [%u, %u]", what, i, v, lo, hi);
}

static void device(ats_shared *sh, unsigned id)
{
    uint64_t x = 0x51ED27B5A1B2C3D5ull * (id + 1);
    for (unsigned n = 0; n < CALLS || !atomic_load(&sh->stop); n++) {
        uint64_t rnd = tenv_rand(&x);
        unsigned i = (unsigned)(rnd >> 8) % NPAGES;
        smmuv3_txn t = { .sid = TENV_SID_ATS, .addr = VA(i) + ((rnd >> 32) & 0xff8),
                         .flags = (rnd & 16) ? SMMUV3_TXN_WRITE : 0 };
        uint32_t lo = atomic_load(&sh->done[i]);
        switch (rnd & 3) {
        case 0: {
            smmuv3_ats_result ar;
            int rc = smmuv3_ats_translate(sh->e.w.smmu, &t, &ar);
            if (rc || ar.status != SMMUV3_ATS_SUCCESS || ar.size != 0x1000 ||
                ar.perm != (SMMUV3_PERM_R | SMMUV3_PERM_W))
                tenv_fail("ATS page %u: rc %d status %d size 0x%llx perm %u", i, rc, ar.status,
                          (unsigned long long)ar.size, ar.perm);
            else
                check_version("ATS", ar.addr, i, lo, atomic_load(&sh->issued[i]));
            break;
        }
        case 1: {
            smmuv3_pri_req q = { .sid = TENV_SID_ATS, .addr = t.addr, .perm = SMMUV3_PERM_R,
                                 .prgi = (uint16_t)(rnd >> 20 & 0x1ff), .last = true };
            if (smmuv3_pri_request(sh->e.w.smmu, &q))
                tenv_fail("PRI request refused");
            atomic_fetch_add(&sh->pri_sent, 1);
            break;
        }
        default: {
            smmuv3_result r;
            int rc = smmuv3_translate(sh->e.w.smmu, &t, &r);
            if (rc || (r.pa & 0xfff) != (t.addr & 0xfff))
                tenv_fail("page %u: rc %d fault 0x%x", i, rc, r.fault);
            else
                check_version("translation", r.pa & ~0xfffull, i, lo, atomic_load(&sh->issued[i]));
            break;
        }
        }
        atomic_fetch_add(&sh->calls, 1);
    }
}

static void invalidator(ats_shared *sh)
{
    for (unsigned r = NPAGES; r < ROUNDS + NPAGES; r++) {
        tenv_wait_for(&sh->calls, (uint64_t)(r - NPAGES) * BETWEEN);
        unsigned i = r % NPAGES;
        uint32_t v = r / NPAGES;
        atomic_store(&sh->issued[i], v);
        if (smmuv3_pt_map(&sh->e.pt, VA(i), PA(i, v), 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0))
            tenv_fail("pt_map");
        if (smmuv3_driver_tlbi_nh_va(&sh->e.w.drv, 0, TENV_ASID, VA(i), true))
            tenv_fail("TLBI_NH_VA + CMD_SYNC failed");
        atomic_store(&sh->done[i], v);
    }
    atomic_store(&sh->stop, true);
}

static void *role(const tenv_role *r)
{
    if (r->id == 2)
        invalidator(r->sh);
    else
        device(r->sh, r->id);
    return NULL;
}

static void test_ats_pri_reentrant(void **state)
{
    (void)state;
    static ats_shared sh;
    memset(&sh, 0, sizeof(sh));
    smmuv3_host host = { .ctx = &sh, .read = h_read, .write = h_write, .pri_resp = h_pri_resp };
    /* small caches: walks (and so re-entrant reads) all the time */
    smmuv3_config c = CFGFX(CF(tlb_entries, 8), CF(cfg_entries, 4), CF(walk_entries, 4));
    tenv_up_host(&sh.e, &c, 0, &host);
    for (unsigned i = 0; i < NPAGES; i++)
        tenv_map(&sh.e, VA(i), PA(i, 0));
    smmuv3_stats before, after;
    smmuv3_get_stats(sh.e.w.smmu, &before);
    atomic_store(&sh.armed, true);
    tenv_run_roles(3, role, &sh);
    atomic_store(&sh.armed, false);
    tenv_check();
    smmuv3_get_stats(sh.e.w.smmu, &after);
    /* the PRI queue is off: every request was answered at once, Deny (8.2) */
    assert_int_equal(atomic_load(&sh.pri_resp), atomic_load(&sh.pri_sent));
    assert_true(atomic_load(&sh.nested) > 0);
    assert_int_equal(after.events, before.events);
    tenv_down(&sh.e);
}

TEST_MAIN(test_ats_pri_reentrant)
