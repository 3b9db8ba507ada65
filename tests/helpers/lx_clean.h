/* SPDX-License-Identifier: MIT */
/*
 * The Linux-like flows of a tests/test_conformance_linux*.c file, run again
 * with the driver checker on from smmuv3_new (drv_open_hook): a driver that
 * programs the SMMU as Linux does is a correct driver, so the checker must
 * report nothing for it (a diagnostic here is a false positive). Include
 * this header, then the conformance file: its TEST_MAIN_FX becomes a main
 * whose setup switches the checker on and whose teardown fails the test
 * when anything was reported (printed first).
 */
#ifndef TESTS_LX_CLEAN_H
#define TESTS_LX_CLEAN_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "rawdrv.h"
#include "test_main.h"

static int lxc_n;   /* reports in the current test */

static void lxc_collect(void *ctx, const smmuv3_diag *d)
{
    (void)ctx;
    print_message("unexpected diag %s (sid %u ssid %u addr 0x%llx): %s\n", smmuv3_diag_name(d->code),
                  (unsigned)d->sid, (unsigned)d->ssid, (unsigned long long)d->addr, d->msg);
    lxc_n++;
}

static void lxc_on(drv *d)
{
    smmuv3_set_diag(d->s, lxc_collect, NULL);
}

#undef TEST_MAIN_FX
#define TEST_MAIN_FX(su, td, ...)                                                                 \
    static int lxc_setup(void **state)                                                          \
    {                                                                                           \
        drv_open_hook = lxc_on;                                                                 \
        lxc_n = 0;                                                                              \
        return su(state);                                                                       \
    }                                                                                           \
    static int lxc_teardown(void **state)                                                       \
    {                                                                                           \
        int rc = td(state);                                                                     \
        if (lxc_n)                                                                              \
            print_message("%d checker report(s) for a Linux-like driver\n", lxc_n);            \
        return lxc_n ? -1 : rc;                                                                 \
    }                                                                                           \
    int main(void)                                                                              \
    {                                                                                           \
        static tm_test_fn const tm_fns[] = { __VA_ARGS__ };                                     \
        return tm_run(__FILE__, #__VA_ARGS__, tm_fns, sizeof(tm_fns) / sizeof(tm_fns[0]),       \
                      lxc_setup, lxc_teardown);                                                 \
    }

#endif
