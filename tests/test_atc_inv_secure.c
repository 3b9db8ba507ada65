/* SPDX-License-Identifier: MIT */
/*
 * CMD_ATC_INV on the Secure Command queue (IHI 0070 4.5.1, SMMU_S_IDR3.SAMS
 * == 0: supported on both queues). The StreamID is Non-secure, and the
 * command is IGNORED when SMMUEN is 0 "for the Security state corresponding
 * to the Command queue that the command is issued on": SMMU_S_CR0.SMMUEN for
 * the Secure queue, SMMU_CR0.SMMUEN for the Non-secure one, each whatever
 * the other is.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "test_main.h"
#include "twomem.h"
#include "model/smmu.h"     /* command opcodes, CR0 fields */

static unsigned g_ninv;
static smmuv3_atc_inv g_inv;

static void on_inv(void *ctx, const smmuv3_atc_inv *inv)
{
    (void)ctx;
    g_ninv++;
    g_inv = *inv;
}

typedef struct fx {
    twomem m;
    smmuv3_alloc al[2];
    smmuv3_space sp[2];
    smmuv3_strtab st[2];
    smmuv3_driver drv[2];   /* [0] Non-secure, [1] Secure */
} fx;

static fx *fx_new(void)
{
    fx *f = test_calloc(1, sizeof(*f));
    twomem_init(&f->m, NULL);
    /* the same SMMU again, with an ATC invalidation callback */
    smmuv3_free(f->m.s);
    f->m.host.atc_inv = on_inv;
    smmuv3_config c;
    smmuv3_config_default(&c);
    assert_int_equal(smmuv3_new(&c, &f->m.host, &f->m.s), 0);
    assert_int_equal(twomem_driver_up(&f->m, true, 0x50000000ull, 0x1000000ull, 6, SMMUV3_BUILD_ALLOC, &f->al[1],
                                      &f->sp[1], &f->st[1], &f->drv[1]), 0);
    assert_int_equal(twomem_driver_up(&f->m, false, 0x40000000ull, 0x1000000ull, 6, SMMUV3_BUILD_ALLOC, &f->al[0],
                                      &f->sp[0], &f->st[0], &f->drv[0]), 0);
    g_ninv = 0;
    memset(&g_inv, 0, sizeof(g_inv));
    return f;
}

static void fx_free(fx *f)
{
    twomem_fini(&f->m);
    test_free(f);
}

/* CMD_ATC_INV(StreamID 7, SubstreamID 3, SSV, Size 0, Address 0x12345000) on
 * one queue, then a CMD_SYNC. */
static void atc_inv(fx *f, bool secure_queue)
{
    smmuv3_driver *d = &f->drv[secure_queue];
    assert_int_equal(smmuv3_driver_submit_raw(d, SMMUV3_CMD_ATC_INV | (1ull << 11) | (3ull << 12) | (7ull << 32),
                                              0x12345000ull),
                     0);
    assert_int_equal(smmuv3_driver_sync(d), 0);
}

static void smmuen_off(fx *f, bool secure)
{
    uint32_t en = (uint32_t)(smmu_fmask(F_CR0_cmdqen) | smmu_fmask(F_CR0_eventqen));
    assert_int_equal(smmuv3_driver_write_cr0(&f->drv[secure], en), 0);
}

static void secure_queue_delivers(void **state)
{
    (void)state;
    fx *f = fx_new();
    atc_inv(f, true);
    assert_int_equal(g_ninv, 1);
    assert_int_equal(g_inv.sid, 7);
    assert_true(g_inv.ssv);
    assert_int_equal(g_inv.ssid, 3);
    assert_int_equal(g_inv.addr, 0x12345000ull);
    assert_int_equal(g_inv.size, 0x1000);
    fx_free(f);
}

/* SMMU_CR0.SMMUEN == 0 does not silence the Secure queue's command. */
static void secure_queue_needs_secure_smmuen_only(void **state)
{
    (void)state;
    fx *f = fx_new();
    smmuen_off(f, false);
    atc_inv(f, true);
    assert_int_equal(g_ninv, 1);
    atc_inv(f, false);            /* the Non-secure queue's is IGNORED */
    assert_int_equal(g_ninv, 1);
    fx_free(f);
}

/* SMMU_S_CR0.SMMUEN == 0: the Secure queue's command is IGNORED, the
 * Non-secure queue's is not. */
static void secure_smmuen_off_ignores_secure_queue(void **state)
{
    (void)state;
    fx *f = fx_new();
    smmuen_off(f, true);
    atc_inv(f, true);
    assert_int_equal(g_ninv, 0);
    atc_inv(f, false);
    assert_int_equal(g_ninv, 1);
    fx_free(f);
}

TEST_MAIN(secure_queue_delivers, secure_queue_needs_secure_smmuen_only, secure_smmuen_off_ignores_secure_queue)
