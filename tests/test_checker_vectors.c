/* Driver checker in the vector format: expect_diagnostics steps and smmuv3_vec_run_check. needs: vectors */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "vec_model.h"
#include "test_main.h"

/* A stage 1 stream whose leaf is rewritten without a TLBI, then with one;
 * %s: the steps that follow. */
static const char *const base =
    "name: t\n"
    "description: a leaf rewritten without TLBI\n"
    "setup:\n"
    "  page_tables:\n"
    "    - { name: pt, stage: 1, map: [ { iova: 0x10000, pa: 0x40000, perm: rw } ] }\n"
    "  cd_tables:\n"
    "    - { name: cds, cds: [ { ssid: 0, ttb0: pt, asid: 3 } ] }\n"
    "  streams:\n"
    "    - { sid: 8, config: s1, s1contextptr: cds }\n"
    "steps:\n"
    "  - translate: { sid: 8, iova: 0x10000 }\n"
    "    expect: { pa: 0x40000 }\n"
    "%s";

static int run(const char *steps, bool check, smmuv3_vec_result *res)
{
    char text[4096], err[1024];
    snprintf(text, sizeof(text), base, steps);
    smmuv3_vector *v = NULL;
    int rc = smmuv3_vec_load_buffer("t.yaml", text, strlen(text), &v, err, sizeof(err));
    if (rc)
        fail_msg("load: %s", err);
    rc = check ? smmuv3_vec_run_check(v, NULL, res) : smmuv3_vec_run(v, NULL, res);
    smmuv3_vec_free(v);
    return rc;
}

static const char *const stale =
    "  - map: { table: pt, iova: 0x10000, pa: 0x50000, perm: rw }\n"
    "  - translate: { sid: 8, iova: 0x10000 }\n"
    "    expect: { pa: 0x40000 }\n";

static void expected_report_passes(void **state)
{
    (void)state;
    smmuv3_vec_result res;
    char steps[1024];
    snprintf(steps, sizeof(steps), "  - expect_diagnostics: []\n%s  - expect_diagnostics: [STALE_TLB]\n", stale);
    assert_int_equal(run(steps, false, &res), SMMUV3_VEC_PASS);
    assert_int_equal(run(steps, true, &res), SMMUV3_VEC_PASS);
}

static void wrong_expectation_fails(void **state)
{
    (void)state;
    smmuv3_vec_result res;
    char steps[1024];
    snprintf(steps, sizeof(steps), "%s  - expect_diagnostics: [STALE_STE]\n", stale);
    assert_int_equal(run(steps, false, &res), SMMUV3_VEC_FAIL);
    assert_non_null(strstr(res.msg, "STALE_TLB"));
    assert_non_null(strstr(res.msg, "IHI 0070"));
    snprintf(steps, sizeof(steps), "%s  - expect_diagnostics: []\n", stale);
    assert_int_equal(run(steps, false, &res), SMMUV3_VEC_FAIL);
}

/* Without expect_diagnostics the checker is off unless asked; with --check
 * an unexpected report fails the vector, and a correct sequence passes. */
static void check_mode(void **state)
{
    (void)state;
    smmuv3_vec_result res;
    assert_int_equal(run(stale, false, &res), SMMUV3_VEC_PASS);
    assert_int_equal(run(stale, true, &res), SMMUV3_VEC_FAIL);
    assert_non_null(strstr(res.msg, "no expect_diagnostics step expects"));
    const char *fixed =
        "  - map: { table: pt, iova: 0x10000, pa: 0x50000, perm: rw }\n"
        "  - commands: [ { op: CMD_TLBI_NH_VA, asid: 3, vmid: 0, address: 0x10000, leaf: 1 }, CMD_SYNC ]\n"
        "  - translate: { sid: 8, iova: 0x10000 }\n"
        "    expect: { pa: 0x50000 }\n";
    assert_int_equal(run(fixed, true, &res), SMMUV3_VEC_PASS);
}

TEST_MAIN(expected_report_passes, wrong_expectation_fails, check_mode)
