/* Fuzz-style test of the vector loader: truncated and mutated copies of every vector. needs: vectors */
/*
 * For every vectors/ ** / *.yaml file: a fixed set of truncations and
 * deterministic mutations (byte flips, YAML-significant characters, deleted
 * and duplicated spans). Each copy must load as a valid vector or fail with a
 * located message "file:line:col: text" -- never crash, hang or leak (ASan).
 * Deterministic (a fixed PRNG seeded from the file contents) and bounded
 * (a few thousand loads) so it runs in seconds. A last pass also runs up to
 * MAX_RUNS of the valid copies: the runner and the model must survive them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "vectors.h"
#include "test_main.h"

#define TRUNCATIONS 16
#define MUTATIONS 40

typedef struct files { char **v; size_t n, cap; } files;

static void add(files *f, const char *p)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        f->v = realloc(f->v, f->cap * sizeof(*f->v));
        assert_non_null(f->v);
    }
    f->v[f->n] = strdup(p);
    assert_non_null(f->v[f->n]);
    f->n++;
}

static void walk(const char *dir, files *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 8) {
        if (d)
            closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[1024];
        snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        size_t l = strlen(e->d_name);
        if (S_ISDIR(sb.st_mode))
            walk(p, out, depth + 1);
        else if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0)
            add(out, p);
    }
    closedir(d);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    assert_true(n >= 0);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return b;
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

/* "name:LINE:COL: something" */
static bool located(const char *err, const char *name)
{
    size_t nl = strlen(name);
    if (strncmp(err, name, nl) != 0 || err[nl] != ':')
        return false;
    const char *p = err + nl + 1;
    if (!isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p++ != ':' || !isdigit((unsigned char)*p))
        return false;
    while (isdigit((unsigned char)*p))
        p++;
    return p[0] == ':' && p[1] == ' ' && p[2] != '\0';
}

static unsigned loads, valid, runs;
static bool run_valid;     /* also run the valid copies (test_run_valid_mutants) */
#define MAX_RUNS 400

static void check_one(const char *buf, size_t len)
{
    char err[2048];
    smmuv3_vector *v = NULL;
    int rc = smmuv3_vec_load_buffer("fuzz.yaml", buf, len, &v, err, sizeof(err));
    loads++;
    if (rc == 0) {
        assert_non_null(v);
        assert_non_null(smmuv3_vec_name(v));
        assert_true(smmuv3_vec_step_count(v) > 0);
        valid++;
        if (run_valid && runs < MAX_RUNS) {
            /* whatever the outcome, running must not crash (ASan/UBSan watch) */
            smmuv3_vec_result res;
            int st = smmuv3_vec_run(v, NULL, &res);
            assert_true(st == SMMUV3_VEC_PASS || st == SMMUV3_VEC_FAIL || st == SMMUV3_VEC_ERROR);
            assert_int_equal(st, res.status);
            if (st != SMMUV3_VEC_PASS)
                assert_true(res.msg[0] != '\0');
            runs++;
        }
        smmuv3_vec_free(v);
        return;
    }
    assert_null(v);
    if (!located(err, "fuzz.yaml"))
        fprintf(stderr, "not a located error: '%s'\n", err);
    assert_true(located(err, "fuzz.yaml"));
}

static const char specials[] = ":-{}[],#&*!|>'\"\n\t 0xK%@`?\\";

static void fuzz_file(const char *path)
{
    size_t len;
    char *orig = slurp(path, &len);
    char *buf = malloc(len * 2 + 64);
    assert_non_null(buf);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < len; i++)
        seed = (seed ^ (unsigned char)orig[i]) * 0x100000001B3ull;
    if (!seed)
        seed = 1;
    /* truncations: evenly spaced, plus the very start */
    for (unsigned t = 0; t <= TRUNCATIONS; t++) {
        size_t cut = len * t / TRUNCATIONS;
        memcpy(buf, orig, cut);
        check_one(buf, cut);
    }
    for (unsigned m = 0; m < MUTATIONS; m++) {
        memcpy(buf, orig, len);
        size_t n = len;
        unsigned edits = 1 + (unsigned)(rng_next(&seed) % 3);
        for (unsigned e = 0; e < edits && n > 0; e++) {
            size_t at = (size_t)(rng_next(&seed) % n);
            switch (rng_next(&seed) % 5) {
            case 0: /* flip a bit */
                buf[at] ^= (char)(1u << (rng_next(&seed) % 8));
                break;
            case 1: /* a YAML-significant character */
                buf[at] = specials[rng_next(&seed) % (sizeof(specials) - 1)];
                break;
            case 2: { /* delete a span */
                size_t span = 1 + (size_t)(rng_next(&seed) % 16);
                if (span > n - at)
                    span = n - at;
                memmove(buf + at, buf + at + span, n - at - span);
                n -= span;
                break;
            }
            case 3: { /* duplicate a span (bounded growth) */
                size_t span = 1 + (size_t)(rng_next(&seed) % 24);
                if (span > n - at)
                    span = n - at;
                if (n + span > len * 2 + 32)
                    break;
                memmove(buf + at + span, buf + at, n - at);
                n += span;
                break;
            }
            default: /* a digit changed: numbers, sizes, indexes */
                if (isdigit((unsigned char)buf[at]))
                    buf[at] = (char)('0' + rng_next(&seed) % 10);
                else
                    buf[at] = '9';
                break;
            }
        }
        check_one(buf, n);
    }
    free(buf);
    free(orig);
}

static void test_fuzz_every_vector(void **state)
{
    (void)state;
    files f = { 0 };
    walk("vectors", &f, 0);
    /* the test runs from the source tree; finding no vectors is a failure */
    assert_true(f.n >= 20);
    for (size_t i = 0; i < f.n; i++) {
        fuzz_file(f.v[i]);
        free(f.v[i]);
    }
    free(f.v);
    printf("# %u loads, %u valid\n", loads, valid);
    assert_true(valid > 0);
    assert_true(valid < loads);
}

/* The same mutations again, running every valid copy (at most MAX_RUNS). */
static void test_run_valid_mutants(void **state)
{
    (void)state;
    files f = { 0 };
    walk("vectors", &f, 0);
    assert_true(f.n >= 20);
    run_valid = true;
    for (size_t i = 0; i < f.n; i++) {
        if (runs < MAX_RUNS)
            fuzz_file(f.v[i]);
        free(f.v[i]);
    }
    free(f.v);
    run_valid = false;
    printf("# %u valid mutants run\n", runs);
    assert_true(runs > 0);
}

/* Inputs that are not vectors at all. */
static void test_hostile_inputs(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "", "\n", "---\n", "...\n", "~\n", "[]\n", "{}\n", "a\n", "\xff\xfe\x00", "name: [\n",
        "&a [*a]\n", "a: &x {b: *x}\n", "name: &n x\ndescription: *n\nsteps: [ {translate: {sid: 1, iova: 0}} ]\n",
        "!!binary x\n", "%YAML 1.1\n---\nname: x\n", "name: x\ndescription: y\nsteps:\n  - translate: *nope\n",
        "name: x\ndescription: y\nsteps:\n  - translate:\n      sid: !!int 1\n      iova: 0\n",
        "name: x\ndescription: y\nsteps:\n  - { translate: { sid: 1, iova: 0 }, translate: { sid: 1, iova: 0 } }\n",
        "name:\n  - x\ndescription: y\nsteps: []\n",
        "name: x\ndescription: y\nsteps: &s [ { commands: *s } ]\n",
        "name: x\ndescription: y\nsetup: &u { streams: [ { sid: 1, config: *u } ] }\nsteps: [ { gerror_ack: true } ]\n",
        "name: x\ndescription: y\nsetup:\n  streams: [ 1, 2 ]\nsteps: [ { gerror_ack: true } ]\n",
        ("name: x\ndescription: y\nsetup:\n  memory:\n    - { addr: strtab.99999999999999999999, value: 0 }\n"
         "steps: [ { gerror_ack: true } ]\n"),
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
        check_one(inputs[i], strlen(inputs[i]));
    /* a NUL byte inside a scalar, and a deeply nested document */
    static const char nul[] = "name: a\0b\ndescription: y\nsteps: [ { gerror_ack: true } ]\n";
    check_one(nul, sizeof(nul) - 1);
    size_t depth = 5000;
    char *deep = malloc(depth * 2 + 8);
    assert_non_null(deep);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[depth * 2] = '\n';
    check_one(deep, depth * 2 + 1);
    free(deep);
}

TEST_MAIN(test_fuzz_every_vector, test_hostile_inputs, test_run_valid_mutants)
