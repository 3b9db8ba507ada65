/* Concurrency test of snapshots (include/smmuv3/snapshot.h; run under ThreadSanitizer by .ci/run): saves and restores while other threads translate and read registers. */
/*
 * The snapshot restored is the running state itself (taken after bring-up),
 * so every translation must give its page's output address whatever restores
 * run meanwhile (each empties the caches: the next translation walks), every
 * CR0 read shows the SMMU enabled, and every save and restore succeeds: each
 * call is atomic with respect to the others (the instance lock). Afterwards a
 * restore of the first snapshot saves it back byte for byte. Bounded in
 * iterations: no timing.
 */
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

#define NPAGES 8u
#define VA(i) (0x100000ull + (uint64_t)(i) * 0x1000)
#define PA(i) (0x80000000ull + ((uint64_t)(i) << 12))
#define XLATES 20000u
#define SNAPS 300u

typedef struct ctx {
    tenv *e;
    const uint8_t *snap;
    size_t n;
    uint32_t cr0;
    _Atomic unsigned *arrive;
    unsigned nthreads;
    unsigned kind;       /* 0 translate, 1 save/restore, 2 MMIO reads */
    uint64_t seed;
} ctx;

static void *worker(void *arg)
{
    ctx *c = arg;
    tenv_rendezvous(c->arrive, c->nthreads);
    if (c->kind == 0) {
        for (unsigned k = 0; k < XLATES; k++) {
            unsigned i = (unsigned)(tenv_rand(&c->seed) % NPAGES);
            smmuv3_txn t = { .sid = TENV_SID_S1, .addr = VA(i) + 0x18 };
            smmuv3_result r;
            int rc = smmuv3_translate(c->e->w.smmu, &t, &r);
            if (rc || r.pa != PA(i) + 0x18) {
                tenv_fail("translation of page %u: rc %d, pa 0x%llx", i, rc, (unsigned long long)r.pa);
                return NULL;
            }
        }
    } else if (c->kind == 1) {
        uint8_t *b = malloc(c->n + 4096);
        for (unsigned k = 0; b && k < SNAPS; k++) {
            size_t m = 0;
            int rc = smmuv3_save(c->e->w.smmu, b, c->n + 4096, &m);
            if (rc) {
                tenv_fail("save %u: %d", k, rc);
                break;
            }
            rc = smmuv3_restore(c->e->w.smmu, k % 2 ? b : c->snap, k % 2 ? m : c->n);
            if (rc) {
                tenv_fail("restore %u: %d", k, rc);
                break;
            }
        }
        free(b);
    } else {
        for (unsigned k = 0; k < XLATES; k++) {
            uint32_t v = (uint32_t)smmuv3_mmio_read(c->e->w.smmu, 0x20, 4);
            if (v != c->cr0) {
                tenv_fail("CR0 0x%x, expected 0x%x", v, c->cr0);
                return NULL;
            }
        }
    }
    return NULL;
}

static void test_save_restore_under_traffic(void **state)
{
    (void)state;
    tenv e;
    tenv_up(&e, NULL, 0);
    for (unsigned i = 0; i < NPAGES; i++)
        tenv_map(&e, VA(i), PA(i));
    size_t n = 0;
    assert_int_equal(smmuv3_save(e.w.smmu, NULL, 0, &n), SMMUV3_ERANGE);
    uint8_t *snap = malloc(n);
    assert_non_null(snap);
    assert_int_equal(smmuv3_save(e.w.smmu, snap, n, &n), 0);

    enum { N = 4 };
    static _Atomic unsigned arrive;
    atomic_store(&arrive, 0);
    ctx c[N];
    for (unsigned i = 0; i < N; i++) {
        c[i] = (ctx){ .e = &e, .snap = snap, .n = n, .cr0 = (uint32_t)smmuv3_mmio_read(e.w.smmu, 0x20, 4),
                      .arrive = &arrive, .nthreads = N, .kind = i < 2 ? 0 : i - 1, .seed = 0x9E3779B97F4A7C15ull + i };
    }
    tenv_run(N, worker, c, sizeof(c[0]));
    tenv_check();

    assert_int_equal(smmuv3_restore(e.w.smmu, snap, n), 0);
    uint8_t *again = malloc(n);
    assert_non_null(again);
    size_t m = 0;
    assert_int_equal(smmuv3_save(e.w.smmu, again, n, &m), 0);
    assert_int_equal(m, n);
    assert_memory_equal(again, snap, n);
    free(again);
    free(snap);
    tenv_down(&e);
}

TEST_MAIN(test_save_restore_under_traffic)
