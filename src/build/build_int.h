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

/* smmuv3_pt_map's leaf descriptors, in increasing IOVA order: put each
 * (walking to its table, allocating, only for the first in a table), then
 * end; both return the first error of a walk or write (build/pt_run.c). */
enum { BLD_RUN_MAX = 512 };
typedef struct bld_leaf_run {
    smmuv3_pt *pt;
    bool have;                 /* the table walked to last: its level, an IOVA in it and its descriptor's address */
    unsigned level;
    uint64_t tiova, taddr, tmask;   /* tmask: the input bits that pick the table */
    unsigned shift;                  /* log2 of the level's size */
    uint64_t path[4];          /* the table descriptors the walk to it went through */
    unsigned npath;
    uint64_t at;               /* where buf goes */
    unsigned n;                /* descriptors pending in buf */
    uint8_t buf[8 * BLD_RUN_MAX];
} bld_leaf_run;
void bld_leaf_run_init(bld_leaf_run *r, smmuv3_pt *pt);
int bld_leaf_run_put(bld_leaf_run *r, uint64_t iova, unsigned level, uint64_t desc);
int bld_leaf_run_end(bld_leaf_run *r);

#endif
