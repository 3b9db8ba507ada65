/* Unit tests: simulated flat memory (src/mem.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "test_main.h"

static void test_zero_and_roundtrip(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    assert_non_null(m);
    uint64_t v = 0xdeadbeef;
    assert_int_equal(smmuv3_mem_read(m, 0x1234000, &v, 8), 0);
    assert_int_equal(v, 0);
    assert_int_equal(smmuv3_mem_pages(m), 0); /* reads do not allocate */
    v = 0x0123456789abcdefull;
    assert_int_equal(smmuv3_mem_write(m, 0, &v, 8), 0);
    uint64_t r = 0;
    assert_int_equal(smmuv3_mem_read(m, 0, &r, 8), 0);
    assert_int_equal(r, v);
    assert_int_equal(smmuv3_mem_write(m, SMMUV3_PA_LIMIT - 8, &v, 8), 0);
    r = 0;
    assert_int_equal(smmuv3_mem_read(m, SMMUV3_PA_LIMIT - 8, &r, 8), 0);
    assert_int_equal(r, v);
    assert_int_equal(smmuv3_mem_pages(m), 2);
    smmuv3_mem_free(m);
}

static void test_limit(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    uint8_t b[16] = { 0 };
    assert_int_equal(smmuv3_mem_read(m, SMMUV3_PA_LIMIT, b, 1), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_write(m, SMMUV3_PA_LIMIT, b, 1), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_read(m, SMMUV3_PA_LIMIT - 4, b, 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_write(m, SMMUV3_PA_LIMIT - 4, b, 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_read(m, UINT64_MAX - 3, b, 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_write(m, UINT64_MAX, b, 16), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_pages(m), 0);
    assert_int_equal(smmuv3_mem_read(m, 0, NULL, 4), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_mem_read(NULL, 0, b, 4), SMMUV3_EINVAL);
    smmuv3_mem_free(m);
}

static void test_abort_ranges(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    uint8_t b[32] = { 0 };
    assert_int_equal(smmuv3_mem_add_abort(m, 0x10000, 0x100), 0);
    assert_int_equal(smmuv3_mem_read(m, 0x10000, b, 1), SMMUV3_EABORT);
    assert_int_equal(smmuv3_mem_write(m, 0x100ff, b, 1), SMMUV3_EABORT);
    /* touching from below and from above */
    assert_int_equal(smmuv3_mem_read(m, 0xfff8, b, 9), SMMUV3_EABORT);
    assert_int_equal(smmuv3_mem_write(m, 0xfff8, b, 9), SMMUV3_EABORT);
    assert_int_equal(smmuv3_mem_read(m, 0x100f8, b, 16), SMMUV3_EABORT);
    /* just outside */
    assert_int_equal(smmuv3_mem_read(m, 0xfff8, b, 8), 0);
    assert_int_equal(smmuv3_mem_write(m, 0x10100, b, 8), 0);
    assert_int_equal(smmuv3_mem_add_abort(m, SMMUV3_PA_LIMIT - 4, 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_mem_add_abort(m, 0, 0), SMMUV3_EINVAL);
    smmuv3_mem_free(m);
}

static void test_straddle_and_sparse(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    uint8_t in[10000], out[10000];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (uint8_t)(i * 7 + 3);
    assert_int_equal(smmuv3_mem_write(m, 0x4ffd, in, sizeof(in)), 0);
    assert_int_equal(smmuv3_mem_pages(m), 4); /* 0x4000..0x7fff */
    assert_int_equal(smmuv3_mem_read(m, 0x4ffd, out, sizeof(out)), 0);
    assert_memory_equal(in, out, sizeof(in));
    uint32_t w = 0;
    assert_int_equal(smmuv3_mem_read(m, 0x4ffb, &w, 4), 0);
    assert_int_equal(w, (uint32_t)in[0] << 16 | (uint32_t)in[1] << 24);
    /* many scattered pages: storage grows with pages touched */
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t pa = (i * 0x9E3779B97F4A7ull) & (SMMUV3_PA_LIMIT - 1) & ~0xfffull;
        uint64_t v = i;
        assert_int_equal(smmuv3_mem_write(m, pa, &v, 8), 0);
    }
    for (uint64_t i = 0; i < 5000; i++) {
        uint64_t pa = (i * 0x9E3779B97F4A7ull) & (SMMUV3_PA_LIMIT - 1) & ~0xfffull;
        uint64_t v = ~0ull;
        assert_int_equal(smmuv3_mem_read(m, pa, &v, 8), 0);
        assert_int_equal(v, i);
    }
    assert_true(smmuv3_mem_pages(m) <= 5004);
    smmuv3_mem_free(m);
}

static void test_host_from_mem(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, m);
    assert_ptr_equal(h.ctx, m);
    assert_null(h.irq);
    uint32_t v = 0x12345678, r = 0;
    assert_int_equal(h.write(h.ctx, 0x1000, &v, 4), 0);
    assert_int_equal(h.read(h.ctx, 0x1000, &r, 4), 0);
    assert_int_equal(r, v);
    smmuv3_mem_add_abort(m, 0x2000, 4);
    assert_int_not_equal(h.read(h.ctx, 0x2000, &r, 4), 0);
    smmuv3_mem_free(m);
}

/* The cap on backed pages: writes that would back more fail as external
 * aborts and store nothing (a straddling write included); rewrites of backed
 * pages and reads anywhere still work; 0 lifts the cap. */
static void test_page_limit(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    assert_non_null(m);
    assert_int_equal(smmuv3_mem_set_page_limit(NULL, 1), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_mem_set_page_limit(m, 2), 0);
    uint32_t v = 0x12345678, r = 0;
    assert_int_equal(smmuv3_mem_write(m, 0x1000, &v, 4), 0);
    assert_int_equal(smmuv3_mem_write(m, 0x5000, &v, 4), 0);
    assert_int_equal(smmuv3_mem_pages(m), 2);
    assert_int_equal(smmuv3_mem_write(m, 0x9000, &v, 4), SMMUV3_EABORT);
    /* straddles a backed page and a fresh one: nothing stored */
    uint64_t w = ~0ull;
    assert_int_equal(smmuv3_mem_write(m, 0x1ffc, &w, 8), SMMUV3_EABORT);
    assert_int_equal(smmuv3_mem_read(m, 0x1ffc, &r, 4), 0);
    assert_int_equal(r, 0);
    assert_int_equal(smmuv3_mem_pages(m), 2);
    assert_int_equal(smmuv3_mem_write(m, 0x1ff8, &w, 8), 0);   /* inside a backed page */
    assert_int_equal(smmuv3_mem_read(m, 0x9000, &r, 4), 0);    /* unbacked reads: zero */
    assert_int_equal(r, 0);
    assert_int_equal(smmuv3_mem_set_page_limit(m, 0), 0);
    assert_int_equal(smmuv3_mem_write(m, 0x9000, &v, 4), 0);
    assert_int_equal(smmuv3_mem_pages(m), 3);
    smmuv3_mem_free(m);
}

TEST_MAIN(test_zero_and_roundtrip, test_limit, test_abort_ranges, test_straddle_and_sparse,
          test_host_from_mem, test_page_limit)
