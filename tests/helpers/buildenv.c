/* SPDX-License-Identifier: MIT */
/* The builder tests' shared environment (see buildenv.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "buildenv.h"
#include "fixture.h"
#include "smmu_new.h"

uint64_t img_get(const void *img, const char *st, const char *f)
{
    uint64_t v = 0;
    assert_int_equal(smmuv3_image_get(img, st, f, &v), 0);
    return v;
}

void img_expect(const void *img, const char *st, const img_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t v = img_get(img, st, f[i].name);
        if (v != f[i].want)
            fail_msg("%s.%s = 0x%llx, want 0x%llx", st, f[i].name, (unsigned long long)v,
                     (unsigned long long)f[i].want);
    }
}

void env_open(env *e, const smmuv3_config *c)
{
    e->mem = smmuv3_mem_new();
    assert_non_null(e->mem);
    smmuv3_host_from_mem(&e->host, e->mem);
    e->smmu = tst_smmu_new(c, &e->host);
}

void env_tables(env *e, uint64_t pool, uint64_t size, unsigned st_log2, uint64_t st_at)
{
    assert_int_equal(smmuv3_alloc_init(&e->alloc, pool, size), 0);
    assert_int_equal(smmuv3_space_init(&e->sp, &e->host, &e->alloc), 0);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, st_log2, st_at), 0);
}

void env_close(env *e)
{
    fixture_free_instance(&e->smmu, &e->mem);
}

smmuv3_testdev *env_up_testdev(env *e, uint32_t sid, const uint8_t ste[64])
{
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, sid, ste), 0);
    assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, NULL), 0);
    smmuv3_testdev *dev = smmuv3_testdev_new(e->smmu, &e->host, sid);
    assert_non_null(dev);
    return dev;
}

env *env_new(bool driver)
{
    env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    env_open(e, NULL);
    env_tables(e, TABLES, 64u << 20, 6, SMMUV3_BUILD_ALLOC);
    if (driver)
        assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, NULL), 0);
    return e;
}

void env_free(env *e)
{
    env_close(e);
    free(e);
}

void check_xlate(env *e, uint32_t sid, uint64_t iova, uint64_t want_pa, bool write, int want_rc)
{
    smmuv3_txn t = { .sid = sid, .addr = iova, .flags = write ? SMMUV3_TXN_WRITE : 0 };
    smmuv3_result r;
    int rc = smmuv3_translate(e->smmu, &t, &r);
    assert_int_equal(rc, want_rc);
    if (want_rc == 0)
        assert_int_equal(r.pa, want_pa);
}
