/* SPDX-License-Identifier: MIT */
/*
 * What the IOTLB tests (test_tlb*.c) share: an instance with a given TLB
 * size, configurations built by hand (stage 1, EL2/E2H, stage 2, nested),
 * synthetic translations to insert and look up, and hand-encoded TLBI
 * commands (IHI 0070 3.17, 4.4).
 */
#ifndef SMMUV3_TEST_TLBFX_H
#define SMMUV3_TEST_TLBFX_H

#include <stdbool.h>
#include <stdint.h>
#include "model/smmu.h"

/* ------------------------------------------------------------ fixtures */
typedef struct fx {
    smmuv3_mem *mem;
    smmuv3 *s;
} fx;

/* An instance over fresh memory with profile c, or the default profile with a
 * TLB of `entries`; done() frees it. */
smmuv3 *make_cfg(fx *f, const smmuv3_config *c);
smmuv3 *make(fx *f, unsigned entries);
void done(fx *f);
/* cmocka fixtures: *state is an fx whose instance the test makes (make or
 * make_cfg on *state); the teardown frees what is left made. */
int tlbfx_setup(void **state);
int tlbfx_teardown(void **state);
smmu_txcfg s1(uint16_t asid, uint16_t vmid);
smmu_txcfg s1_regime(uint16_t asid, unsigned regime);
smmu_txcfg s2only(uint16_t vmid);
smmu_txcfg nested(uint16_t asid, uint16_t vmid);
uint8_t level_of(unsigned granule, unsigned size);
/* A stage 1 translation of 2^size bytes from a walk with 4K granule (or g). */
smmu_xlate xg(uint64_t pa, unsigned size, bool global, unsigned g);
smmu_xlate xl(uint64_t pa, unsigned size, bool global);
/* A stage 2-only translation (input = IPA). */
smmu_xlate x2(uint64_t pa, unsigned size, unsigned g);
/* Insert a translation of `iova` (any address inside the region). */
void put(smmuv3 *s, smmu_txcfg c, uint64_t iova, smmu_xlate x);
/* True on a hit; checks the output address. */
bool hit(smmuv3 *s, smmu_txcfg c, uint64_t iova, uint64_t pa);
/* ------------------------------------------------------------ commands */
void run(smmuv3 *s, const uint64_t c[2]);
void nh_all(smmuv3 *s, uint16_t vmid);
void nh_asid(smmuv3 *s, uint16_t vmid, uint16_t asid);
typedef struct rng { unsigned tg, ttl, num, scale; } rng;
#define ONE ((rng){ 0, 0, 0, 0 })   /* one address, no range */
#define SET_RANGE(c, OP, r) do { \
    fset(c, F_CMD_##OP##_tg, (r).tg); fset(c, F_CMD_##OP##_ttl, (r).ttl); \
    fset(c, F_CMD_##OP##_num, (r).num); fset(c, F_CMD_##OP##_scale, (r).scale); } while (0)
void nh_va(smmuv3 *s, uint16_t vmid, uint16_t asid, uint64_t va, rng r);
void nh_vaa(smmuv3 *s, uint16_t vmid, uint64_t va, rng r);
void el2_all(smmuv3 *s);
void el2_asid(smmuv3 *s, uint16_t asid);
void el2_va(smmuv3 *s, uint16_t asid, uint64_t va);
void el2_vaa(smmuv3 *s, uint64_t va);
void s12_vmall(smmuv3 *s, uint16_t vmid);
void s2_ipa(smmuv3 *s, uint16_t vmid, uint64_t ipa, rng r);
void nsnh_all(smmuv3 *s);

#endif
