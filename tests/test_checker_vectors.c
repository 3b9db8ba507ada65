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

/* One vector: base, then before, the steps (stale when NULL), after; run
 * plainly or with --check (smmuv3_vec_run_check). */
typedef struct vcase {
    const char *name;
    const char *before, *steps, *after;
    bool check;
    int want;                   /* SMMUV3_VEC_PASS or _FAIL */
    const char *msg[2];         /* must appear in the result's message (NULL: not checked) */
} vcase;

#define EXPECT_NONE "  - expect_diagnostics: []\n"
#define EXPECT_TLB "  - expect_diagnostics: [STALE_TLB]\n"

static const vcase cases[] = {
    /* the report expected where it comes: passes, checked or not */
    { "expected report", EXPECT_NONE, NULL, EXPECT_TLB, false, SMMUV3_VEC_PASS, { NULL, NULL } },
    { "expected report, --check", EXPECT_NONE, NULL, EXPECT_TLB, true, SMMUV3_VEC_PASS, { NULL, NULL } },
    /* another report expected: fails and names the one that came, with its section */
    { "wrong expectation", "", NULL, "  - expect_diagnostics: [STALE_STE]\n", false, SMMUV3_VEC_FAIL,
      { "STALE_TLB", "IHI 0070" } },
    { "no report expected", "", NULL, EXPECT_NONE, false, SMMUV3_VEC_FAIL, { NULL, NULL } },
    /* without expect_diagnostics the checker is off unless asked; with --check
     * an unexpected report fails the vector, and a correct sequence passes */
    { "no expectation", "", NULL, "", false, SMMUV3_VEC_PASS, { NULL, NULL } },
    { "no expectation, --check", "", NULL, "", true, SMMUV3_VEC_FAIL,
      { "no expect_diagnostics step expects", NULL } },
    { "with the TLBI, --check", "",
      "  - map: { table: pt, iova: 0x10000, pa: 0x50000, perm: rw }\n"
      "  - commands: [ { op: CMD_TLBI_NH_VA, asid: 3, vmid: 0, address: 0x10000, leaf: 1 }, CMD_SYNC ]\n"
      "  - translate: { sid: 8, iova: 0x10000 }\n"
      "    expect: { pa: 0x50000 }\n",
      "", true, SMMUV3_VEC_PASS, { NULL, NULL } },
};

static void test_expect_diagnostics(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const vcase *k = &cases[i];
        char steps[2048];
        snprintf(steps, sizeof(steps), "%s%s%s", k->before, k->steps ? k->steps : stale, k->after);
        smmuv3_vec_result res;
        memset(&res, 0, sizeof(res));
        int rc = run(steps, k->check, &res);
        if (rc != k->want)
            fail_msg("%s: result %d, want %d (%s)", k->name, rc, k->want, res.msg);
        for (int m = 0; m < 2; m++)
            if (k->msg[m] && !strstr(res.msg, k->msg[m]))
                fail_msg("%s: \"%s\" not in \"%s\"", k->name, k->msg[m], res.msg);
    }
}

TEST_MAIN(test_expect_diagnostics)
