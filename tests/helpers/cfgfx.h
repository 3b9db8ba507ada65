/* SPDX-License-Identifier: MIT */
/*
 * A feature profile as "the default with these members changed", in one
 * expression instead of a declaration, smmuv3_config_default() and one
 * assignment per member:
 *
 *   smmuv3_config c = CFGFX(CF(msi, false), CF(cmdqs, 3));
 *
 * CF names a member of smmuv3_config (bool or unsigned) and its value.
 */
#ifndef TESTS_CFGFX_H
#define TESTS_CFGFX_H

#include <stddef.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

typedef struct cfgfx_set {
    size_t off, size;      /* the member: offsetof, sizeof */
    uint64_t v;
} cfgfx_set;

#define CF(member, val) { offsetof(smmuv3_config, member), sizeof(((smmuv3_config *)0)->member), (uint64_t)(val) }
#define CFGFX(...) cfgfx_make((const cfgfx_set[]){ __VA_ARGS__ }, \
                              sizeof((const cfgfx_set[]){ __VA_ARGS__ }) / sizeof(cfgfx_set))

/* smmuv3_config_default() with each of set[0..n) applied in order. */
smmuv3_config cfgfx_make(const cfgfx_set *set, size_t n);

#endif
