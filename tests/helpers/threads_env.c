/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "fixture.h"
#include "smmu_new.h"
#include "threads_env.h"

#define OK(x) assert_int_equal((x), 0)

void tenv_s1_stream(tenv *e, uint32_t sid, uint16_t asid, unsigned flags)
{
    smmuv3_cdtab ct;
    OK(smmuv3_cdtab_init(&ct, &e->w.sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC));
    smmuv3_cd_params cp;
    OK(smmuv3_cd_params_from_pt(&e->pt, asid, &cp));
    cp.stall = (flags & TENV_STALL) != 0;
    cp.ha = cp.hd = (flags & TENV_HTTU) != 0;
    uint8_t cd[64], ste[64];
    OK(smmuv3_cd_s1(cd, &cp));
    OK(smmuv3_cdtab_write_cd(&ct, 0, cd));
    OK(smmuv3_ste_s1(ste, ct.base, ct.fmt, ct.cdmax));
    if (flags & TENV_EATS)
        OK(smmuv3_field_set(smmuv3_field_find(smmuv3_struct_find("ste"), "eats"), ste, 1));
    OK(smmuv3_strtab_write_ste(&e->w.st, sid, ste));
}

static pthread_mutex_t fail_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned fail_count;
static char fail_msg_buf[512];

void tenv_fail(const char *fmt, ...)
{
    pthread_mutex_lock(&fail_mu);
    if (fail_count++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(fail_msg_buf, sizeof(fail_msg_buf), fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&fail_mu);
}

void tenv_check(void)
{
    pthread_mutex_lock(&fail_mu);
    unsigned n = fail_count;
    char msg[512];
    memcpy(msg, fail_msg_buf, sizeof(msg));
    fail_count = 0;
    pthread_mutex_unlock(&fail_mu);
    if (n)
        fail_msg("%u failure(s) in worker threads; first: %s", n, msg);
}

void tenv_up(tenv *e, const smmuv3_config *cfg, unsigned eventq_log2)
{
    tenv_up_host(e, cfg, eventq_log2, NULL);
}

void tenv_up_host(tenv *e, const smmuv3_config *cfg, unsigned eventq_log2, const smmuv3_host *host)
{
    memset(e, 0, sizeof(*e));
    env_open(&e->w, cfg);
    if (host) {   /* the instance over the caller's host instead */
        smmuv3_free(e->w.smmu);
        e->w.smmu = tst_smmu_new(cfg, host);
    }
    env_tables(&e->w, 0x40000000, 0x4000000, 4, SMMUV3_BUILD_ALLOC);
    OK(smmuv3_pt_init_s1(&e->pt, &e->w.sp, 12, 16, SMMUV3_BUILD_ALLOC));
    tenv_s1_stream(e, TENV_SID_S1, TENV_ASID, 0);
    tenv_s1_stream(e, TENV_SID_STALL, TENV_ASID_STALL, TENV_STALL);
    tenv_s1_stream(e, TENV_SID_ATS, TENV_ASID, TENV_EATS);
    uint8_t byp[64];
    OK(smmuv3_ste_bypass(byp));
    OK(smmuv3_strtab_write_ste(&e->w.st, TENV_SID_BYP, byp));
    smmuv3_driver_cfg dc;
    smmuv3_driver_cfg_default(&dc);
    dc.eventq_log2 = eventq_log2;
    OK(smmuv3_driver_init(&e->w.drv, e->w.smmu, &e->w.sp, &e->w.st, &dc));
}

void tenv_down(tenv *e)
{
    fixture_free_instance(&e->w.smmu, &e->w.mem);
}

static void down_obj(void *e) { tenv_down(e); }

int tenv_setup(void **state) { return fixture_zeroed(state, sizeof(tenv)); }
int tenv_teardown(void **state) { return fixture_release(state, down_obj); }

void tenv_map(tenv *e, uint64_t va, uint64_t pa)
{
    OK(smmuv3_pt_map(&e->pt, va, pa, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0));
}

void tenv_run(unsigned n, void *(*fn)(void *), void *args, size_t argsize)
{
    pthread_t th[64];
    assert_true(n <= 64);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(pthread_create(&th[i], NULL, fn, (char *)args + i * argsize), 0);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
}

typedef struct role_thread {
    tenv_role r;
    void *(*fn)(const tenv_role *r);
    _Atomic unsigned *ready;
    unsigned n;
} role_thread;

static void *role_entry(void *p)
{
    role_thread *t = p;
    tenv_rendezvous(t->ready, t->n);
    return t->fn(&t->r);
}

void tenv_run_roles(unsigned n, void *(*fn)(const tenv_role *r), void *sh)
{
    role_thread t[64];
    _Atomic unsigned ready;
    atomic_init(&ready, 0);
    assert_true(n <= 64);
    for (unsigned i = 0; i < n; i++)
        t[i] = (role_thread){ { sh, i }, fn, &ready, n };
    tenv_run(n, role_entry, t, sizeof(t[0]));
}

void tenv_rendezvous(_Atomic unsigned *count, unsigned n)
{
    atomic_fetch_add(count, 1);
    while (atomic_load(count) < n)
        sched_yield();
}

void tenv_wait_for(_Atomic uint64_t *v, uint64_t target)
{
    while (atomic_load(v) < target)
        sched_yield();
}
