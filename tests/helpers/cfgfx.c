/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cfgfx.h"

smmuv3_config cfgfx_make(const cfgfx_set *set, size_t n)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    for (size_t i = 0; i < n; i++) {
        char *m = (char *)&c + set[i].off;
        if (set[i].size == sizeof(bool)) {
            bool b = set[i].v != 0;
            memcpy(m, &b, sizeof(b));
        } else {
            assert_int_equal(set[i].size, sizeof(uint32_t));   /* unsigned and uint32_t members */
            uint32_t u = (uint32_t)set[i].v;
            memcpy(m, &u, sizeof(u));
        }
    }
    return c;
}
