/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "smmu_new.h"

smmuv3 *tst_smmu_new(const smmuv3_config *c, const smmuv3_host *h)
{
    smmuv3_config def;
    if (!c) {
        smmuv3_config_default(&def);
        c = &def;
    }
    smmuv3 *s = NULL;
    assert_int_equal(smmuv3_new(c, h, &s), 0);
    assert_non_null(s);
    return s;
}

smmuv3 *tst_smmu_on_mem(const smmuv3_config *c, smmuv3_mem **mem, smmuv3_host *host)
{
    *mem = smmuv3_mem_new();
    assert_non_null(*mem);
    smmuv3_host_from_mem(host, *mem);
    return tst_smmu_new(c, host);
}
