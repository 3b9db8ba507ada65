/* SPDX-License-Identifier: MIT */
/* Set-up shared by the concurrency tests (tests/test_threads*.c) and the fast
 * path tests: one SMMU (buildenv.h's env) brought up by the driver helper
 * over flat memory, with
 *   TENV_SID_S1     stage 1 through tenv.pt, ASID TENV_ASID, faults recorded
 *                   and aborted (CD R=1, A=1);
 *   TENV_SID_STALL  the same page tables, ASID TENV_ASID_STALL, CD S=1 (faults stall);
 *   TENV_SID_BYP    bypass;
 * and helpers to run threads (pthreads) and to build commands. */
#ifndef TESTS_THREADS_ENV_H
#define TESTS_THREADS_ENV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "buildenv.h"

#define TENV_SID_S1 3
#define TENV_SID_BYP 4
#define TENV_SID_STALL 6
#define TENV_SID_ATS 7      /* stage 1 like TENV_SID_S1 (same tables, same ASID), STE.EATS = 1 */
#define TENV_ASID 5
#define TENV_ASID_STALL 6

typedef struct tenv {
    env w;          /* buildenv.h: memory, host, instance, allocator, space, stream table, driver */
    smmuv3_pt pt;   /* the stage 1 tables of TENV_SID_S1 and TENV_SID_STALL */
} tenv;

/* cfg NULL: the default profile. eventq_log2 0: the driver's default. */
void tenv_up(tenv *e, const smmuv3_config *cfg, unsigned eventq_log2);
/* Frees what tenv_up made (nothing when it is down already). */
void tenv_down(tenv *e);
/* cmocka fixtures: *state is a zeroed tenv for the test to bring up; the
 * teardown brings it down if it is still up. */
int tenv_setup(void **state);
int tenv_teardown(void **state);
/* Write a stage 1 STE for sid over tenv.pt (own CD table) with the TENV_*
 * flags: CD.S = 1 (faults stall), STE.EATS = 1, CD.HA = CD.HD = 1. */
#define TENV_STALL 1u
#define TENV_EATS 2u
#define TENV_HTTU 4u
void tenv_s1_stream(tenv *e, uint32_t sid, uint16_t asid, unsigned flags);
/* Map one 4K page (read/write, nG) in tenv.pt; an existing leaf is rewritten
 * in place (one 8-byte descriptor write). */
void tenv_map(tenv *e, uint64_t va, uint64_t pa);

/* Run fn(arg + i * argsize) on n threads and join them all. */
void tenv_run(unsigned n, void *(*fn)(void *), void *args, size_t argsize);

/* One of a test's threads: the test's shared state and the thread's number. */
typedef struct tenv_role {
    void *sh;
    unsigned id;
} tenv_role;
/* Run fn on n threads, the i-th with { sh, i }, and join them all; each waits
 * until all n are running before it calls fn (so that their work overlaps). */
void tenv_run_roles(unsigned n, void *(*fn)(const tenv_role *r), void *sh);

/* Worker threads must not use cmocka's assertions (they jump to the main
 * thread's context): they record the first failure here, and the main thread
 * calls tenv_check() after joining them. */
void tenv_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tenv_check(void);
/* cfg NULL: the default profile; host NULL: flat memory (e->host). */
void tenv_up_host(tenv *e, const smmuv3_config *cfg, unsigned eventq_log2, const smmuv3_host *host);

/* Every one of n threads waits here until all n have arrived (so that their
 * work overlaps). */
void tenv_rendezvous(_Atomic unsigned *count, unsigned n);
/* Wait until *v >= target (another thread's progress), yielding. */
void tenv_wait_for(_Atomic uint64_t *v, uint64_t target);

/* xorshift64: the per-thread random stream of a test. */
static inline uint64_t tenv_rand(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

#endif
