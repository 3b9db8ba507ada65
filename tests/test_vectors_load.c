/* Unit tests of the YAML vector loader and runner (src/vectors). needs: vectors */
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

static smmuv3_vector *load_ok(const char *text)
{
    char err[1024];
    smmuv3_vector *v = NULL;
    int rc = smmuv3_vec_load_buffer("t.yaml", text, strlen(text), &v, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "unexpected load error: %s\n", err);
    assert_int_equal(rc, 0);
    assert_non_null(v);
    return v;
}

/* Loading must fail; the message must start with "t.yaml:line:col: " and contain `want`. */
static void load_err(const char *text, unsigned line, unsigned col, const char *want)
{
    char err[1024];
    smmuv3_vector *v = (smmuv3_vector *)1;
    int rc = smmuv3_vec_load_buffer("t.yaml", text, strlen(text), &v, err, sizeof(err));
    assert_int_not_equal(rc, 0);
    assert_null(v);
    char prefix[64];
    snprintf(prefix, sizeof(prefix), "t.yaml:%u:%u: ", line, col);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, want))
        fprintf(stderr, "got: %s\nwanted prefix %s and text %s\n", err, prefix, want);
    assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
    assert_non_null(strstr(err, want));
}

#define HDR "name: t\ndescription: d\n"

static void test_minimal_vector(void **state)
{
    (void)state;
    smmuv3_vector *v = load_ok(HDR "steps:\n  - translate: { sid: 1, iova: 0x10 }\n");
    assert_string_equal(smmuv3_vec_name(v), "t");
    assert_string_equal(smmuv3_vec_description(v), "d");
    assert_int_equal(smmuv3_vec_step_count(v), 1);
    assert_int_equal(v->steps[0].kind, SV_STEP_TRANSLATE);
    assert_int_equal(v->steps[0].x.iova, 0x10);
    assert_false(v->steps[0].x.ssv);
    smmuv3_vec_free(v);
}

static void test_numbers_and_sizes(void **state)
{
    (void)state;
    smmuv3_vector *v = load_ok(HDR "steps:\n"
                                   "  - translate: { sid: 0b101, iova: 0x4E17_9000 }\n"
                                   "  - translate: { sid: 12, iova: 2M, ssid: 4K }\n"
                                   "  - translate: { sid: 1, iova: 0xFFFFFFFFFFFFFFFF }\n");
    assert_int_equal(v->steps[0].x.sid, 5);
    assert_int_equal(v->steps[0].x.iova, 0x4E179000);
    assert_int_equal(v->steps[1].x.iova, 2u << 20);
    assert_int_equal(v->steps[1].x.ssid, 4096);
    assert_true(v->steps[1].x.ssv);
    assert_true(v->steps[2].x.iova == UINT64_MAX);
    smmuv3_vec_free(v);
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0x1_0000_0000_0000_0000 }\n", 4, 32, "expected an IOVA");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 4Q }\n", 4, 32, "got '4Q'");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0x10K }\n", 4, 32, "expected an IOVA");
    load_err(HDR "steps:\n  - translate: { sid: 0x100000000, iova: 0 }\n", 4, 23, "at most 4294967295");
}

static void test_unknown_keys_and_suggestions(void **state)
{
    (void)state;
    load_err(HDR "setup:\n  streams:\n    - { sid: 3, config: s2, s2tsz: 24 }\nsteps:\n"
                 "  - translate: { sid: 3, iova: 0 }\n",
             5, 29, "unknown field 's2tsz' in ste; did you mean 's2t0sz'?");
    load_err(HDR "stpes: []\n", 3, 1, "unknown key 'stpes' in a vector; did you mean 'steps'?");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0, acess: read }\n", 4, 35,
             "unknown key 'acess' in translate; did you mean 'access'?");
    load_err(HDR "steps:\n  - command: SYNCC\n", 4, 14, "unknown command 'SYNCC'; did you mean 'CMD_SYNC'?");
    load_err(HDR "steps:\n  - mmio_read: { reg: cr0ak }\n    expect: 0\n", 4, 23,
             "unknown register 'cr0ak'; did you mean 'cr0ack'?");
    load_err(HDR "steps:\n  - expect_gerror: [ cmdq_er ]\n", 4, 22,
             "unknown field 'cmdq_er' in gerror; did you mean 'cmdq_err'?");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0 }\n    expect: { fault: F_ACESS }\n", 5, 22,
             "unknown event 'F_ACESS'; did you mean 'F_ACCESS'?");
}

static void test_structure_errors(void **state)
{
    (void)state;
    load_err("", 1, 1, "empty file");
    load_err("- 1\n", 1, 1, "expected a mapping for a vector, got a list");
    load_err(HDR, 1, 1, "a vector needs 'steps'");
    load_err(HDR "steps: []\n", 3, 8, "a vector needs at least one step");
    load_err(HDR "steps:\n  - { note: hi }\n", 4, 5, "a step needs an action");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0 }\n    dma: { sid: 1, iova: 0 }\n", 5, 10,
             "a step has one action");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0\n", 5, 1, "YAML syntax error");
    load_err(HDR "steps:\n  - translate: { sid: 1, sid: 2, iova: 0 }\n", 4, 26, "duplicate key 'sid'");
    load_err(HDR "steps:\n  - mmio_write: { reg: cr0, value: 1 }\n    expect: 1\n", 5, 13,
             "'mmio_write' takes no 'expect'");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: 0 }\n---\n" HDR "steps: []\n", 6, 1,
             "one vector per file");
    load_err(HDR "steps:\n  - translate: { sid: 1, iova: [1] }\n", 4, 32, "expected an IOVA, got a list");
}

static void test_field_values(void **state)
{
    (void)state;
    smmuv3_vector *v = load_ok(HDR "setup:\n  streams:\n    - { sid: 1, config: nested, s1dss: bypass, s2tg: 16K }\n"
                                   "steps:\n  - translate: { sid: 1, iova: 0 }\n");
    assert_int_equal(v->nstreams, 1);
    const sv_fields *f = &v->streams[0].ste;
    assert_int_equal(f->n, 3);
    assert_string_equal(f->items[0].f->name, "config");
    assert_int_equal(f->items[0].v.off, 7);
    assert_int_equal(f->items[1].v.off, 1);
    assert_int_equal(f->items[2].v.off, 2);
    smmuv3_vec_free(v);
    load_err(HDR "setup:\n  streams:\n    - { sid: 3, s2t0sz: 64 }\nsteps:\n  - translate: { sid: 3, iova: 0 }\n",
             5, 25, "value 0x40 does not fit ste.s2t0sz (6 bits, at most 0x3f)");
    load_err(HDR "setup:\n  streams:\n    - { sid: 3, s2ttb: 0x1008 }\nsteps:\n  - translate: { sid: 3, iova: 0 }\n",
             5, 24, "address 0x1008 does not fit ste.s2ttb");
    load_err(HDR "setup:\n  streams:\n    - { sid: 3, s2ttb: nowhere }\nsteps:\n  - translate: { sid: 3, iova: 0 }\n",
             5, 24, "unknown name 'nowhere'");
    load_err(HDR "config:\n  oas: 47\nsteps:\n  - translate: { sid: 3, iova: 0 }\n", 4, 3, "invalid config");
}

static void test_symbols(void **state)
{
    (void)state;
    smmuv3_vector *v = load_ok(HDR "setup:\n  cd_tables:\n    - { name: cds, log2size: 2, cds: [ { ssid: 1 } ] }\n"
                                   "steps:\n  - memory_write: { addr: cds.1 + 0x8, value: strtab.5 }\n"
                                   "  - memory_write: { addr: cmdq_cons, CMD_SYNC: { opcode: 0x46 } }\n");
    const sv_mem *m = &v->steps[0].mem;
    assert_string_equal(m->addr.sym, "cds");
    assert_true(m->addr.has_index);
    assert_int_equal(m->addr.index, 1);
    assert_int_equal(m->addr.off, 8);
    assert_string_equal(m->value.sym, "strtab");
    assert_int_equal(m->value.index, 5);
    assert_int_equal(v->steps[1].mem.kind, SV_MEM_STRUCT);
    smmuv3_vec_free(v);
    v = load_ok(HDR "setup:\n  page_tables: [ { name: pt, stage: 1 } ]\n"
                    "steps:\n  - memory_write: { desc: { table: pt, iova: 0x10000, level: 3 }, value: 0 }\n");
    assert_true(v->steps[0].mem.has_desc);
    assert_string_equal(v->steps[0].mem.dtable, "pt");
    assert_int_equal(v->steps[0].mem.diova, 0x10000);
    assert_int_equal(v->steps[0].mem.dlevel, 3);
    smmuv3_vec_free(v);
    load_err(HDR "setup:\n  page_tables: [ { name: pt, stage: 1 } ]\n"
                 "steps:\n  - memory_write: { desc: { table: pq, iova: 0, level: 3 }, value: 0 }\n",
             6, 36, "unknown page table 'pq'");
}

static void test_expected_error_comment(void **state)
{
    (void)state;
    const char *t = "name: x\n# expect-error:  unknown field 'a'  \nsteps: []\n";
    char *e = smmuv3_vec_expected_error(t, strlen(t));
    assert_non_null(e);
    assert_string_equal(e, "unknown field 'a'");
    free(e);
    assert_null(smmuv3_vec_expected_error("name: x\n", 8));
    assert_null(smmuv3_vec_expected_error(NULL, 0));
}

static void test_null_arguments(void **state)
{
    (void)state;
    char err[64];
    smmuv3_vector *v = NULL;
    assert_int_not_equal(smmuv3_vec_load_buffer("t", NULL, 0, &v, err, sizeof(err)), 0);
    assert_int_not_equal(smmuv3_vec_load_buffer("t", "a: 1", 4, NULL, err, sizeof(err)), 0);
    assert_int_not_equal(smmuv3_vec_load_buffer("t", "a: 1", 4, &v, NULL, 0), 0);
    assert_int_not_equal(smmuv3_vec_load_file("/nonexistent/x.yaml", &v, err, sizeof(err)), 0);
    assert_non_null(strstr(err, "cannot open"));
    smmuv3_vec_free(NULL);
    smmuv3_vec_result res;
    assert_int_equal(smmuv3_vec_run(NULL, NULL, &res), SMMUV3_VEC_ERROR);
}

#define S1_SETUP \
    "setup:\n  page_tables:\n    - name: pt\n      stage: 1\n      map:\n" \
    "        - { iova: 0x10000, pa: 0x40000, perm: r }\n" \
    "  cd_tables:\n    - { name: cds, cds: [ { ssid: 0, ttb0: pt } ] }\n" \
    "  streams:\n    - { sid: 8, s1contextptr: cds }\n"

static void test_run_pass_and_fail(void **state)
{
    (void)state;
    smmuv3_vec_result res;
    smmuv3_vector *v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x10004 }\n"
                                            "    expect: { pa: 0x40004, perm: r }\n");
    assert_int_equal(smmuv3_vec_run(v, NULL, &res), SMMUV3_VEC_PASS);
    assert_int_equal(res.steps_run, 1);
    smmuv3_vec_free(v);
    /* a wrong expectation must fail, naming the step, the expected and the actual value */
    v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x10004 }\n    expect: { pa: 0x50004 }\n");
    assert_int_equal(smmuv3_vec_run(v, NULL, &res), SMMUV3_VEC_FAIL);
    assert_int_equal(res.failed_step, 1);
    assert_non_null(strstr(res.msg, "expected pa 0x50004"));
    assert_non_null(strstr(res.msg, "pa 0x40004"));
    smmuv3_vec_free(v);
    /* a fault with the decoded event in the message */
    v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x10004, access: write }\n"
                             "    expect: { pa: 0x40004 }\n");
    assert_int_equal(smmuv3_vec_run(v, NULL, &res), SMMUV3_VEC_FAIL);
    assert_non_null(strstr(res.msg, "F_PERMISSION {"));
    smmuv3_vec_free(v);
    /* an event expectation that does not match */
    v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x20000 }\n"
                             "    expect: { fault: F_TRANSLATION, event: { eventid: F_TRANSLATION, streamid: 9 } }\n");
    assert_int_equal(smmuv3_vec_run(v, NULL, &res), SMMUV3_VEC_FAIL);
    assert_non_null(strstr(res.msg, "streamid: expected 0x9, got 0x8"));
    smmuv3_vec_free(v);
    /* expect_events count */
    v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x20000 }\n  - expect_events: { count: 2 }\n");
    assert_int_equal(smmuv3_vec_run(v, NULL, &res), SMMUV3_VEC_FAIL);
    assert_int_equal(res.failed_step, 2);
    assert_non_null(strstr(res.msg, "expected 2 event record(s), found 1"));
    smmuv3_vec_free(v);
}

static void test_run_trace(void **state)
{
    (void)state;
    smmuv3_vec_result res;
    smmuv3_vector *v = load_ok(HDR S1_SETUP "steps:\n  - translate: { sid: 8, iova: 0x10004 }\n    note: hello\n");
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(smmuv3_vec_run(v, f, &res), SMMUV3_VEC_PASS);
    rewind(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "step 1 (line"));
    assert_non_null(strstr(buf, "hello"));
    assert_non_null(strstr(buf, "pa 0x40004"));
    smmuv3_vec_free(v);
}

TEST_MAIN(test_minimal_vector, test_numbers_and_sizes, test_unknown_keys_and_suggestions,
          test_structure_errors, test_field_values, test_symbols, test_expected_error_comment,
          test_null_arguments, test_run_pass_and_fail, test_run_trace)
