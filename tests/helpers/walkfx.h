/* SPDX-License-Identifier: MIT */
/*
 * What the walker's unit tests (test_walk*.c) share: cmocka fixtures that make
 * a wfx (walkpt.h) with the default profile or one feature changed, accesses,
 * read/write leaf attributes, and a nested configuration over a 1 GB stage 2
 * identity-plus-offset map.
 */
#ifndef SMMUV3_TEST_WALKFX_H
#define SMMUV3_TEST_WALKFX_H

#include "walkpt.h"

typedef wfx fx;
#define cfg_s1 wfx_cfg_s1
#define cfg_s2 wfx_cfg_s2

/* *state: a wfx with the default profile, OAS 52, FWB, or no HTTU. */
int wfx_setup(void **state);
int wfx_setup_oas52(void **state);
int wfx_setup_fwb(void **state);
int wfx_setup_no_httu(void **state);
int wfx_teardown(void **state);
/* A test run on the default-profile wfx. */
#define WFX_TEST(f) cmocka_unit_test_setup_teardown(f, wfx_setup, wfx_teardown)

#define RD ((smmu_access){ .write = false, .exec = false, .priv = false })
#define WR ((smmu_access){ .write = true, .exec = false, .priv = false })

#define S1_RW (PT_AF | PT_ATTRINDX(1) | PT_SH(3) | PT_AP(1))   /* EL0+EL1 read/write */
#define S2_RW (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))

/* Nested: stage 2 maps IPA [0, 1G) to PA + NEST_OFF with 2M blocks (4K
 * granule, 40-bit IPA, start level 1); stage 1 (4K, T0SZ 16) has its tables
 * at IPA 0x100000.. (PA 0x40100000..) and its root in *s1root (a PA). */
/* The walk of va with access a faults (smmu_walk 1) with EventID event,
 * S2 == s2 and CLASS == cls (-1: not checked); *f holds the fault. */
void wfx_expect_fault(fx *x, const smmu_txcfg *c, uint64_t va, const smmu_access *a, unsigned event, int s2, int cls,
                      smmu_fault *f);

#define NEST_OFF 0x40000000ull
void wfx_nested(fx *x, smmu_txcfg *c, tpt *p1, uint64_t *s1root, tpt *p2, uint64_t *s2root);

#endif
