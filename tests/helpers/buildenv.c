/* SPDX-License-Identifier: MIT */
/* The builder tests' shared environment (see buildenv.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "buildenv.h"

uint64_t img_get(const void *img, const char *st, const char *f)
{
    uint64_t v = 0;
    assert_int_equal(smmuv3_image_get(img, st, f, &v), 0);
    return v;
}

env *env_new(bool driver)
{
    env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->mem = smmuv3_mem_new();
    assert_non_null(e->mem);
    smmuv3_host_from_mem(&e->host, e->mem);
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    assert_int_equal(smmuv3_new(&cfg, &e->host, &e->smmu), 0);
    assert_int_equal(smmuv3_alloc_init(&e->alloc, TABLES, 64u << 20), 0);
    assert_int_equal(smmuv3_space_init(&e->sp, &e->host, &e->alloc), 0);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, 6, SMMUV3_BUILD_ALLOC), 0);
    if (driver)
        assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, NULL), 0);
    return e;
}

void env_free(env *e)
{
    smmuv3_free(e->smmu);
    smmuv3_mem_free(e->mem);
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
