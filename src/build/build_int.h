/* SPDX-License-Identifier: MIT */
/* Shared helpers of the builders (build/space.c, images.c, tables.c, pagetables.c, driver.c). */
#ifndef SMMU_BUILD_INT_H
#define SMMU_BUILD_INT_H

#include "model/smmu.h"

/* Allocate (addr == SMMUV3_BUILD_ALLOC, aligned to `align`) or place at addr
 * (which must be aligned to `min_align`), then zero `size` bytes. */
int bld_place(const smmuv3_space *sp, uint64_t addr, uint64_t size, uint64_t align, uint64_t min_align,
              uint64_t *out);
/* fset / fset_addr that refuse values not fitting the field (SMMUV3_ERANGE). */
int bld_set(uint64_t *w, uint32_t f, uint64_t v);
int bld_set_addr(uint64_t *w, uint32_t f, uint64_t a);
/* IPS / S2PS / OAS encoding of an address size in bits, or -1. */
int bld_size_enc(unsigned bits);

#endif
