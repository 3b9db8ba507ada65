/* SPDX-License-Identifier: MIT */
/*
 * Robustness of the driver checker: the committed fuzz corpus and random
 * programs run through the fuzz interpreter with the checker on must never
 * crash, every report must be well formed, and the model must observe
 * exactly what it observes with the checker off (it only reports). Plus the
 * entry points fed garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "corpus.h"
#include "fuzz_interp.h"
#include "test_main.h"

#define CORPUS "tests/fuzz/corpus"

static void run_with_checker(uint8_t *b, size_t len, size_t index, const char *path, void *ctx)
{
    (void)index;
    char msg[256];
    unsigned long n = 0;
    int bad = fz_run_checker(b, len, msg, sizeof(msg), &n);
    if (bad)
        fail_msg("%s: %s", path, msg);
    *(unsigned long *)ctx += n;
}

static void corpus_with_checker(void **state)
{
    (void)state;
    unsigned long total = 0;
    assert_true(corpus_each_file(CORPUS, run_with_checker, &total) > 0);
    assert_true(total > 0);       /* fuzzed programs are bad drivers: some reports */
}

/* Deterministic random programs (xorshift), each a SETUP then random ops. */
static void random_programs_with_checker(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    static uint8_t p[1536];
    for (unsigned i = 0; i < 150; i++) {
        size_t len = 64 + (size_t)(x % (sizeof(p) - 64));
        for (size_t j = 0; j < len; j++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            p[j] = (uint8_t)x;
        }
        p[0] &= 0x7f;
        p[1] = 16;                /* SETUP: a valid world to break */
        char msg[256];
        int bad = fz_run_checker(p, len, msg, sizeof(msg), NULL);
        if (bad)
            fail_msg("program %u: %s", i, msg);
    }
}

static void count(void *ctx, const smmuv3_diag *d)
{
    (void)d;
    ++*(unsigned *)ctx;
}

static void garbage_arguments(void **state)
{
    (void)state;
    smmuv3_set_diag(NULL, NULL, NULL);
    smmuv3_set_diag(NULL, (void (*)(void *, const smmuv3_diag *))0x1, NULL);   /* no instance: ignored */
    for (int c = -3; c < 12; c++)
        assert_non_null(smmuv3_diag_name(c));
    assert_string_equal(smmuv3_diag_name(SMMUV3_DIAG_TAG_ALIAS), "TAG_ALIAS");
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, mem);
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.cfg_entries = 0;            /* no configuration cache: nothing to shadow */
    smmuv3 *s = NULL;
    assert_int_equal(smmuv3_new(&c, &h, &s), 0);
    unsigned n = 0;
    for (int i = 0; i < 6; i++) {  /* on and off repeatedly; reset and MMIO garbage in between */
        smmuv3_set_diag(s, i & 1 ? NULL : count, &n);
        for (uint64_t off = 0; off < 0x20000; off += 0x44 + (uint64_t)i)
            smmuv3_mmio_write(s, off & ~3ull, 0xFFFFFFFFFFFFFFFFull >> i, 4);
        smmuv3_mmio_write(s, 0x64, ~smmuv3_mmio_read(s, 0x64, 4), 4);   /* GERRORN toggles */
        smmuv3_reset(s);
    }
    smmuv3_stats st;
    smmuv3_get_stats(s, &st);
    assert_int_equal(st.diags[0], 0);
    unsigned long sum = 0;
    for (int k = 1; k < SMMUV3_DIAG_CODES; k++)
        sum += st.diags[k];
    assert_int_equal(sum, n);     /* every report counted, none while off */
    assert_true(n > 0);
    smmuv3_free(s);
    smmuv3_mem_free(mem);
}

TEST_MAIN(garbage_arguments, corpus_with_checker, random_programs_with_checker)
