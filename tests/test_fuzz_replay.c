/* Replay of the committed fuzz corpus (tests/fuzz/corpus/) through the fuzz interpreter, without libFuzzer. */
/*
 * Every file in tests/fuzz/corpus/ is a program for the interpreter in
 * tests/helpers/fuzz_interp.c (the one tests/fuzz/fuzz_model.c fuzzes): a
 * config variant, then bounded MMIO, guest-memory, command, transaction,
 * stall and test-device operations. The corpus holds inputs chosen for
 * coverage and every crash reproducer found so far; under the sanitizer
 * build (SMMUV3_SANITIZE) this re-checks them with ASan and UBSan. Each file
 * must run to the end with no API invariant violated. Deterministic (files in
 * name order) and bounded (FZ_MAX_OPS per file), it runs in seconds.
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
#include "test_main.h"

#define CORPUS "tests/fuzz/corpus"

static void test_replay_corpus(void **state)
{
    (void)state;
    corpus_check_each(CORPUS, fz_run);
}

/* The interpreter itself: empty and tiny programs, and every config variant. */
static void test_replay_small_programs(void **state)
{
    (void)state;
    char msg[256];
    assert_int_equal(fz_run(NULL, 0, msg, sizeof(msg)), 0);
    for (unsigned v = 0; v < 256; v++) {
        uint8_t p[3] = { (uint8_t)v, 16, (uint8_t)v };   /* variant, SETUP */
        assert_int_equal(fz_run(p, sizeof(p), msg, sizeof(msg)), 0);
    }
}

TEST_MAIN(test_replay_small_programs, test_replay_corpus)
