/* Snapshots under the fuzz harnesses, without libFuzzer: the fuzz_snapshot corpus replayed, and every program of the model corpus re-run with snapshot points in the differential mode. */
/*
 * 1. tests/fuzz/corpus_snapshot/: inputs of tests/fuzz/fuzz_snapshot.c (see
 *    tests/helpers/fuzz_snap.h): arbitrary bytes and edited snapshots given
 *    to smmuv3_restore; no invariant may be violated.
 * 2. The property test: each program of tests/fuzz/corpus/ (the model
 *    fuzzer's) runs twice, the second time with the fast path off and,
 *    every k ops, its SMMU reset and restored from a snapshot just taken (k
 *    from 2 to 15 by file); both runs must observe the same, observation by
 *    observation (fuzz_interp.c's differential mode).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include "fuzz_interp.h"
#include "fuzz_snap.h"

#define MAX_FILE 65536

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of dir in name order through fn(bytes, len, index). */
static void each_file(const char *dir, void (*fn)(uint8_t *b, size_t n, size_t index, const char *path))
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof(*names));
            assert_non_null(names);
        }
        names[n] = strdup(e->d_name);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
    qsort(names, n, sizeof(*names), cmp);
    static uint8_t buf[MAX_FILE];
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        FILE *fp = fopen(path, "rb");
        assert_non_null(fp);
        size_t len = fread(buf, 1, sizeof(buf), fp);
        fclose(fp);
        fn(buf, len, i, path);
        free(names[i]);
    }
    free(names);
}

static void run_snapshot_input(uint8_t *b, size_t n, size_t index, const char *path)
{
    (void)index;
    char msg[256];
    int bad = fzs_run(b, n, msg, sizeof(msg));
    if (bad)
        fail_msg("%s: %d invariant violation(s), first: %s", path, bad, msg);
}

static void test_replay_snapshot_corpus(void **state)
{
    (void)state;
    each_file("tests/fuzz/corpus_snapshot", run_snapshot_input);
}

/* Every mode with no more input, and a few edits of every mode. */
static void test_snapshot_modes(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(fzs_run(NULL, 0, msg, sizeof(msg)), 0);
    for (unsigned m = 0; m < 32; m++) {
        uint8_t p[10] = { (uint8_t)m, 40, 0, 0xFF, 8, 0, 0x01, 0xFF, 0xFF, 30 };
        for (size_t len = 1; len <= sizeof(p); len += 3) {
            int bad = fzs_run(p, len, msg, sizeof(msg));
            if (bad)
                fail_msg("mode 0x%02x, %zu bytes: %s", m, len, msg);
        }
    }
}

static void run_program_with_snapshots(uint8_t *b, size_t n, size_t index, const char *path)
{
    if (!n)
        return;
    unsigned every = 2 + (unsigned)(index % 14);
    b[0] = (uint8_t)((b[0] & 7) | every << 3 | 0x80);
    char msg[256];
    int bad = fz_run(b, n, msg, sizeof(msg));
    if (bad)
        fail_msg("%s with a snapshot every %u ops: %d violation(s), first: %s", path, every, bad, msg);
}

static void test_programs_with_snapshots(void **state)
{
    (void)state;
    each_file("tests/fuzz/corpus", run_program_with_snapshots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_snapshot_modes),
        cmocka_unit_test(test_replay_snapshot_corpus),
        cmocka_unit_test(test_programs_with_snapshots),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
