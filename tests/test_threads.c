/* Concurrency stress tests (include/smmuv3/smmuv3.h "Threads"; run under
 * ThreadSanitizer by .ci/run): translating threads, an invalidating thread
 * (the driver: remap a page, TLBI, CMD_SYNC) and an MMIO thread share one
 * SMMU. Every result is checked against what the guarantee allows:
 *   - a translation that starts after the CMD_SYNC that follows a remap has
 *     returned gives the new output address, never an older one;
 *   - no torn result (the output page, offset and permissions belong together);
 *   - counters are exact: smmuv3_get_stats counts every call made, and while
 *     threads run it counts at least the calls that returned before it and at
 *     most those that started before it returned.
 * Bounded in iterations: no timing. */
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
#define ROUNDS  1500u        /* remaps by the invalidating thread */
#define XLATE_MIN 20000u     /* translations per translating thread, at least */
#define NXLATE  2u
#define BETWEEN 40u          /* translations between two remaps, at least */
#define MMIO_MIN 2000u       /* register writes by the MMIO thread, at least */

/* ------------------------------------------------------------ remap, TLBI, CMD_SYNC */
typedef struct remap_shared {
    tenv *e;
    _Atomic uint32_t issued[NPAGES];   /* version being written (before the PTE write) */
    _Atomic uint32_t done[NPAGES];     /* version whose TLBI + CMD_SYNC has returned */
    _Atomic bool stop;
    _Atomic uint64_t calls;            /* translations returned */
    _Atomic uint64_t mmio_writes;
} remap_shared;

/* Checks one translation of page i against [lo, hi] (versions). */
static void check_remap(const smmuv3_txn *t, int rc, const smmuv3_result *r, unsigned i,
                        uint32_t lo, uint32_t hi)
{
    if (rc != 0 || r->outcome != SMMUV3_XLATE_OK) {
        tenv_fail("va 0x%llx: rc %d outcome %u fault 0x%x", (unsigned long long)t->addr, rc,
                  r->outcome, r->fault);
        return;
    }
    if ((r->pa & 0xfff) != (t->addr & 0xfff) || r->pa < PA_BASE || r->size != 0x1000 ||
        r->perm != (SMMUV3_PERM_R | SMMUV3_PERM_W) || r->event || r->bypass) {
        tenv_fail("va 0x%llx: torn or wrong result pa 0x%llx size 0x%llx perm %u",
                  (unsigned long long)t->addr, (unsigned long long)r->pa,
                  (unsigned long long)r->size, r->perm);
        return;
    }
    uint64_t idx = (r->pa - PA_BASE) >> 12;
    uint32_t v = (uint32_t)(idx / NPAGES);
    if (idx % NPAGES != i || v < lo || v > hi)
        tenv_fail("page %u: version %u, allowed [%u, %u] (pa 0x%llx)", i, v, lo, hi,
                  (unsigned long long)r->pa);
}

static void *remap_translator(remap_shared *sh, unsigned id)
{
    uint64_t x = 0x9E3779B97F4A7C15ull * (id + 1);
    for (unsigned n = 0; n < XLATE_MIN || !atomic_load(&sh->stop); n++) {
        uint64_t rnd = tenv_rand(&x);
        smmuv3_result r;
        if ((rnd & 15) == 0) {
            /* a bypass stream in between: the memo holds both kinds */
            smmuv3_txn t = { .sid = TENV_SID_BYP, .addr = rnd >> 20 << 3 };
            int rc = smmuv3_translate(sh->e->w.smmu, &t, &r);
            if (rc || r.pa != t.addr || !r.bypass)
                tenv_fail("bypass 0x%llx: rc %d pa 0x%llx", (unsigned long long)t.addr, rc,
                          (unsigned long long)r.pa);
        } else {
            unsigned i = (unsigned)(rnd >> 8) % NPAGES;
            smmuv3_txn t = { .sid = TENV_SID_S1, .addr = VA(i) + ((rnd >> 32) & 0xff8),
                             .flags = (rnd & 16) ? SMMUV3_TXN_WRITE : 0 };
            uint32_t lo = atomic_load(&sh->done[i]);
            int rc = smmuv3_translate(sh->e->w.smmu, &t, &r);
            uint32_t hi = atomic_load(&sh->issued[i]);
            check_remap(&t, rc, &r, i, lo, hi);
        }
        atomic_fetch_add(&sh->calls, 1);
    }
    return NULL;
}

/* The driver: each round rewrites one page's descriptor in place, then
 * TLBI_NH_VA + CMD_SYNC; every 16th round a CFGI_ALL + CMD_SYNC as well
 * (the configuration cache is emptied under the translators). */
static void *remap_invalidator(void *p)
{
    remap_shared *sh = p;
    tenv *e = sh->e;
    for (unsigned r = NPAGES; r < ROUNDS + NPAGES; r++) {
        /* let the translators use the current state for a while */
        tenv_wait_for(&sh->calls, (uint64_t)(r - NPAGES) * BETWEEN);
        unsigned i = r % NPAGES;
        uint32_t v = r / NPAGES;
        atomic_store(&sh->issued[i], v);
        if (smmuv3_pt_map(&e->pt, VA(i), PA(i, v), 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0))
            tenv_fail("pt_map");
        if (smmuv3_driver_tlbi_nh_va(&e->w.drv, 0, TENV_ASID, VA(i), true))
            tenv_fail("TLBI_NH_VA + CMD_SYNC failed");
        atomic_store(&sh->done[i], v);
        if (r % 16 == 0 && smmuv3_driver_cfgi_all(&e->w.drv))
            tenv_fail("CFGI_ALL + CMD_SYNC failed");
    }
    atomic_store(&sh->stop, true);
    return NULL;
}

/* Reads registers whose values nobody changes, and writes IRQ_CTRL with its
 * own value (every register write is a change notice for the memos). */
static void *remap_mmio(void *p)
{
    remap_shared *sh = p;
    smmuv3 *s = sh->e->w.smmu;
    uint64_t idr0 = smmuv3_mmio_read(s, 0x0, 4), cr0 = smmuv3_mmio_read(s, 0x20, 4);
    uint64_t irq_ctrl = smmuv3_mmio_read(s, 0x50, 4);
    for (unsigned n = 0; n < MMIO_MIN || !atomic_load(&sh->stop); n++) {
        if (smmuv3_mmio_read(s, 0x0, 4) != idr0 || smmuv3_mmio_read(s, 0x24, 4) != cr0)
            tenv_fail("IDR0 or CR0ACK changed");
        if ((smmuv3_mmio_read(s, 0x60, 4) ^ smmuv3_mmio_read(s, 0x64, 4)) != 0)
            tenv_fail("a global error became active");
        smmuv3_mmio_write(s, 0x50, irq_ctrl, 4);
        atomic_fetch_add(&sh->mmio_writes, 1);
    }
    return NULL;
}

static void *remap_role(const tenv_role *r)
{
    if (r->id < NXLATE)
        return remap_translator(r->sh, r->id);
    if (r->id == NXLATE)
        return remap_invalidator(r->sh);
    return remap_mmio(r->sh);
}

static void run_remap(const smmuv3_config *cfg)
{
    tenv e;
    tenv_up(&e, cfg, 0);
    static remap_shared sh;
    memset(&sh, 0, sizeof(sh));
    sh.e = &e;
    for (unsigned i = 0; i < NPAGES; i++) {
        tenv_map(&e, VA(i), PA(i, 0));
        atomic_init(&sh.issued[i], 0);
        atomic_init(&sh.done[i], 0);
    }
    smmuv3_stats before, after;
    smmuv3_get_stats(e.w.smmu, &before);
    tenv_run_roles(NXLATE + 2, remap_role, &sh);
    tenv_check();
    smmuv3_get_stats(e.w.smmu, &after);
    assert_int_equal(after.translations - before.translations, atomic_load(&sh.calls));
    assert_int_equal(after.events, before.events);
    assert_int_equal(after.events_lost, before.events_lost);
    assert_true(atomic_load(&sh.mmio_writes) > 0);
    /* single-threaded again: every page gives its last version */
    for (unsigned i = 0; i < NPAGES; i++) {
        smmuv3_txn t = { .sid = TENV_SID_S1, .addr = VA(i) };
        smmuv3_result r;
        OK(smmuv3_translate(e.w.smmu, &t, &r));
        assert_int_equal(r.pa, PA(i, atomic_load(&sh.done[i])));
    }
    tenv_down(&e);
}

static void test_remap_tlbi_sync(void **state)
{
    (void)state;
    run_remap(NULL);
}

/* The same with the memo off (every translation takes the lock) and with a
 * 4-entry IOTLB and configuration cache (evictions all the time). */
static void test_remap_no_memo_small_caches(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(fastpath, false));
    run_remap(&c);
    c = CFGFX(CF(tlb_entries, 4), CF(cfg_entries, 2));
    run_remap(&c);
}

/* ------------------------------------------------------------ counters */
#define CNT_PAGES 64u
#define CNT_CALLS 40000u

typedef struct cnt_shared {
    tenv *e;
    smmuv3_stats base;
    _Atomic uint64_t started, returned, faults, s1calls;
    _Atomic unsigned running;
} cnt_shared;

/* Mapped pages (hits after the first walk), unmapped ones (recorded
 * faults) and a bypass stream. */
static void *cnt_translator(cnt_shared *sh, unsigned id)
{
    uint64_t x = 0x2545F4914F6CDD1Dull * (id + 1);
    for (unsigned n = 0; n < CNT_CALLS; n++) {
        uint64_t rnd = tenv_rand(&x);
        unsigned k = (unsigned)(rnd >> 16) % (CNT_PAGES + CNT_PAGES / 8);
        smmuv3_txn t = { .sid = TENV_SID_S1, .addr = VA(k) + (rnd >> 40 & 0xfff) };
        bool mapped = k < CNT_PAGES;
        if ((rnd & 7) == 0)
            t.sid = TENV_SID_BYP;
        smmuv3_result r;
        atomic_fetch_add(&sh->started, 1);
        int rc = smmuv3_translate(sh->e->w.smmu, &t, &r);
        if (t.sid == TENV_SID_BYP) {
            if (rc || r.pa != t.addr)
                tenv_fail("bypass: rc %d", rc);
        } else {
            atomic_fetch_add(&sh->s1calls, 1);
            if (mapped && (rc || r.pa != PA(k, 0) + (t.addr & 0xfff)))
                tenv_fail("page %u: rc %d pa 0x%llx", k, rc, (unsigned long long)r.pa);
            if (!mapped) {
                atomic_fetch_add(&sh->faults, 1);
                if (rc != SMMUV3_XLATE_ABORT || r.fault != SMMUV3_EVT_F_TRANSLATION)
                    tenv_fail("unmapped page %u: rc %d fault 0x%x", k, rc, r.fault);
            }
        }
        atomic_fetch_add(&sh->returned, 1);
    }
    atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

/* Reads the counters while the translators run. */
static void *cnt_reader(void *p)
{
    cnt_shared *sh = p;
    smmuv3_stats prev = sh->base;
    while (atomic_load(&sh->running)) {
        uint64_t lo = atomic_load(&sh->returned);
        smmuv3_stats st;
        smmuv3_get_stats(sh->e->w.smmu, &st);
        uint64_t hi = atomic_load(&sh->started);
        uint64_t n = st.translations - sh->base.translations;
        if (n < lo || n > hi)
            tenv_fail("translations %llu outside [%llu, %llu]", (unsigned long long)n,
                      (unsigned long long)lo, (unsigned long long)hi);
        if (st.translations < prev.translations || st.tlb_hits < prev.tlb_hits ||
            st.cfg_hits < prev.cfg_hits || st.events < prev.events || st.walks < prev.walks)
            tenv_fail("a counter went backwards");
        prev = st;
    }
    return NULL;
}

static void *cnt_role(const tenv_role *r)
{
    return r->id < 2 ? cnt_translator(r->sh, r->id) : cnt_reader(r->sh);
}

static void test_counters_exact(void **state)
{
    (void)state;
    tenv e;
    tenv_up(&e, NULL, 0);
    for (unsigned i = 0; i < CNT_PAGES; i++)
        tenv_map(&e, VA(i), PA(i, 0));
    static cnt_shared sh;
    memset(&sh, 0, sizeof(sh));
    sh.e = &e;
    atomic_init(&sh.running, 2);
    smmuv3_get_stats(e.w.smmu, &sh.base);
    tenv_run_roles(3, cnt_role, &sh);
    tenv_check();
    smmuv3_stats st;
    smmuv3_get_stats(e.w.smmu, &st);
    uint64_t calls = 2ull * CNT_CALLS;
    assert_int_equal(st.translations - sh.base.translations, calls);
    /* every translation looked its configuration up once: a hit or a miss */
    assert_int_equal((st.cfg_hits + st.cfg_misses) - (sh.base.cfg_hits + sh.base.cfg_misses), calls);
    /* every stage 1 translation asked the IOTLB once */
    assert_int_equal((st.tlb_hits + st.tlb_misses) - (sh.base.tlb_hits + sh.base.tlb_misses),
                     atomic_load(&sh.s1calls));
    /* every fault was recorded, or counted as lost (queue full: nobody reads it) */
    assert_int_equal((st.events + st.events_lost) - (sh.base.events + sh.base.events_lost),
                     atomic_load(&sh.faults));
    /* walks: each mapped page at most once per thread (nothing is invalidated
     * or evicted), plus one per fault */
    assert_true(st.walks - sh.base.walks <= 2 * CNT_PAGES + atomic_load(&sh.faults));
    tenv_down(&e);
}

TEST_MAIN(test_remap_tlbi_sync, test_remap_no_memo_small_caches, test_counters_exact)
