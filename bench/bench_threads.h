/* SPDX-License-Identifier: MIT */
/*
 * smmuv3-bench's "threads" section (included by smmuv3-bench.c; kept apart to
 * keep that file small): hit throughput of one SMMU shared by threads.
 *   - 1 and 2 translating threads over the same 256-page resident set (each
 *     thread its own order), the aggregate throughput and its ratio to one
 *     thread's (the goal on a 2-core machine: >= 1.6x);
 *   - the same while another thread invalidates all the time (TLBI_NH_VA of
 *     a page outside the set + CMD_SYNC, back to back): every invalidation
 *     empties every thread's memo, so translations fall back to the locked
 *     configuration cache and IOTLB until their memo is filled again.
 * Each figure is the best of several trials: ns per translation of the
 * aggregate (wall time / all translations of all threads).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

typedef struct thr_shared {
    benv *b;
    const uint64_t *addrs[2];
    uint64_t n;
    unsigned passes;
    unsigned nxlate;               /* translating threads */
    bool invalidate;               /* one more thread invalidates until they finish */
    _Atomic unsigned ready, running;
    _Atomic uint64_t invalidations;
    double t0;                     /* set by the last thread to arrive */
} thr_shared;

typedef struct thr_arg {
    thr_shared *sh;
    unsigned id;
} thr_arg;

static void thr_start(thr_shared *sh)
{
    unsigned total = sh->nxlate + (sh->invalidate ? 1 : 0);
    if (atomic_fetch_add(&sh->ready, 1) + 1 == total)
        sh->t0 = now_ns();
    while (atomic_load(&sh->ready) < total)
        sched_yield();
}

static void *thr_main(void *p)
{
    thr_arg *a = p;
    thr_shared *sh = a->sh;
    thr_start(sh);
    if (a->id == sh->nxlate) {
        /* the invalidating thread: a page outside the working set */
        while (atomic_load(&sh->running)) {
            CHK(smmuv3_driver_tlbi_nh_va(&sh->b->drv, 0, 1, VA_BASE - 0x1000, true));
            atomic_fetch_add(&sh->invalidations, 1);
        }
        return NULL;
    }
    smmuv3_txn t = { 0 };
    smmuv3_result r;
    uint64_t acc = 0;
    const uint64_t *addrs = sh->addrs[a->id & 1];
    for (unsigned p = 0; p < sh->passes; p++)
        for (uint64_t i = 0; i < sh->n; i++) {
            t.addr = addrs[i];
            if (smmuv3_translate(sh->b->s, &t, &r)) {
                fprintf(stderr, "smmuv3-bench: threads: translation of 0x%llx failed\n",
                        (unsigned long long)t.addr);
                exit(1);
            }
            acc += r.pa;
        }
    sink += acc;
    atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

/* ns per translation (aggregate) of the best of `trials` runs. */
static double thr_run(benv *b, const uint64_t *const addrs[2], uint64_t n, unsigned passes, unsigned nxlate,
                      bool invalidate, unsigned trials, double *inval_per_ms)
{
    double best = 1e30;
    for (unsigned tr = 0; tr < trials; tr++) {
        thr_shared sh = { .b = b, .addrs = { addrs[0], addrs[1] }, .n = n, .passes = passes,
                          .nxlate = nxlate, .invalidate = invalidate };
        atomic_init(&sh.ready, 0);
        atomic_init(&sh.running, nxlate);
        atomic_init(&sh.invalidations, 0);
        unsigned nth = nxlate + (invalidate ? 1 : 0);
        pthread_t th[4];
        thr_arg args[4];
        for (unsigned i = 0; i < nth; i++) {
            args[i] = (thr_arg){ &sh, i };
            if (pthread_create(&th[i], NULL, thr_main, &args[i]))
                DIE("pthread_create", SMMUV3_ENOMEM);
        }
        for (unsigned i = 0; i < nth; i++)
            pthread_join(th[i], NULL);
        double dt = now_ns() - sh.t0;
        double ns = dt / ((double)n * passes * nxlate);
        if (ns < best) {
            best = ns;
            if (inval_per_ms)
                *inval_per_ms = (double)atomic_load(&sh.invalidations) / (dt / 1e6);
        }
    }
    return best;
}

static void bench_threads(void)
{
    const uint64_t n = 256;
    unsigned passes = quick ? 200 : 20000, trials = quick ? 1 : 5;
    benv b;
    benv_opts o = { .tlb = 4096, .walk = 256, .cfg = 256, .nstreams = 1 };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a0 = page_order(n, 7), *a1 = page_order(n, 11);
    const uint64_t *const addrs[2] = { a0, a1 };
    /* warm: both threads' memos and the IOTLB */
    thr_run(&b, addrs, n, 2, 2, false, 1, NULL);
    double one = thr_run(&b, addrs, n, passes, 1, false, trials, NULL);
    double two = thr_run(&b, addrs, n, passes, 2, false, trials, NULL);
    char note[160];
    row("threads: hit, 1 translating thread", one, "256 pages, memo hits; ns per translation");
    snprintf(note, sizeof(note), "aggregate: %.2fx one thread's throughput (goal >= 1.6x on 2 cores)", one / two);
    row("threads: hit, 2 translating threads", two, note);
    double ipm1 = 0, ipm2 = 0;
    unsigned ipasses = quick ? 20 : passes / 10;
    double one_inv = thr_run(&b, addrs, n, ipasses, 1, true, trials, &ipm1);
    snprintf(note, sizeof(note), "+1 thread doing TLBI_NH_VA+CMD_SYNC back to back: %.0f per ms", ipm1);
    row("threads: 1 translating + 1 invalidating", one_inv, note);
    double two_inv = thr_run(&b, addrs, n, ipasses, 2, true, trials, &ipm2);
    snprintf(note, sizeof(note), "3 threads on %s: %.0f invalidations per ms", "2 cores", ipm2);
    row("threads: 2 translating + 1 invalidating", two_inv, note);
    free(a0);
    free(a1);
    benv_free(&b);
}
