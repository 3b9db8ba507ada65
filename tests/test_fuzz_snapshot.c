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
#include <cmocka.h>
#include "corpus.h"
#include "fuzz_interp.h"
#include "fuzz_snap.h"
#include "test_main.h"

static void test_replay_snapshot_corpus(void **state)
{
    (void)state;
    corpus_check_each("tests/fuzz/corpus_snapshot", fzs_run);
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

static void run_program_with_snapshots(uint8_t *b, size_t n, size_t index, const char *path, void *ctx)
{
    (void)ctx;
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
    corpus_each_file("tests/fuzz/corpus", run_program_with_snapshots, NULL);
}

TEST_MAIN(test_snapshot_modes, test_replay_snapshot_corpus, test_programs_with_snapshots)
