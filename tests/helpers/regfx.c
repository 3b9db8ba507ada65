/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "fields/fields.h"
#include "regfx.h"
#include "smmu_new.h"

static int h_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((regfx *)ctx)->mem, pa, buf, len); }
static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((regfx *)ctx)->mem, pa, buf, len); }
static void h_irq(void *ctx, smmuv3_irq line) { ((regfx *)ctx)->irqs[line]++; }

regfx *regfx_new(const smmuv3_config *c)
{
    regfx *f = test_calloc(1, sizeof(*f));
    f->mem = smmuv3_mem_new();
    assert_non_null(f->mem);
    smmuv3_host h = { .ctx = f, .read = h_read, .write = h_write, .irq = h_irq };
    f->s = tst_smmu_new(c, &h);
    return f;
}

void regfx_free(regfx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
    test_free(f);
}

uint32_t regfx_mem32(const regfx *f, uint64_t pa)
{
    uint8_t b[4] = { 0 };
    smmuv3_mem_read(f->mem, pa, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

int regfx_setup(void **state)
{
    *state = regfx_new(NULL);
    return 0;
}

int regfx_teardown(void **state)
{
    regfx_free(*state);
    return 0;
}

void regfx_run(smmuv3 *s, const char *what, const regfx_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const regfx_step *k = &steps[i];
        if (k->op == 'w') {
            smmuv3_mmio_write(s, k->off, k->val, k->size);
            continue;
        }
        uint64_t v = smmuv3_mmio_read(s, k->off, k->size);
        for (int tries = 1; k->op == 'p' && v != k->val && tries < 10; tries++)
            v = smmuv3_mmio_read(s, k->off, k->size);
        if (v != k->val)
            fail_msg("%s, step %zu: %u-byte read of 0x%llx is 0x%llx, expected 0x%llx", what, i, k->size,
                     (unsigned long long)k->off, (unsigned long long)v, (unsigned long long)k->val);
    }
}

void regfx_fields(smmuv3 *s, const regfx_field *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = rget(smmuv3_mmio_read(s, t[i].off, 4), t[i].field);
        if (v != t[i].want)
            fail_msg("%s (register 0x%llx) is %llu, expected %llu", t[i].name, (unsigned long long)t[i].off,
                     (unsigned long long)v, (unsigned long long)t[i].want);
    }
}
