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
