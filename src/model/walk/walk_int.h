/* SPDX-License-Identifier: MIT */
/*
 * Private interface between the walker (walk.c, walk/perm.c) and the walk
 * cache (walkcache.c). Nothing outside these files includes it.
 */
#ifndef SMMU_WALK_INT_H
#define SMMU_WALK_INT_H

#include "model/smmu.h"

/* Which table a walk-cache entry belongs to. */
enum { SMMU_WC_S1 = 1, SMMU_WC_S2 = 2 };

/*
 * Key of one cached intermediate (table) descriptor. The descriptor's PA and
 * the input-address prefix that led to it are both part of the key, so a hit
 * returns exactly what the table read would have returned while the tables
 * are unchanged (or changed and not yet invalidated, which the architecture
 * permits a walk cache to ignore).
 */
typedef struct smmu_wc_key {
    uint64_t desc_pa;    /* PA of the table descriptor */
    uint64_t in_base;    /* input address of the region the entry maps, aligned to 2^shift */
    uint16_t asid, vmid;
    uint8_t  stage;      /* SMMU_WC_S1 / SMMU_WC_S2 */
    uint8_t  regime;     /* SMMU_REGIME_* (stage 1) */
    uint8_t  level;
    uint8_t  shift;      /* log2 of the input range the descriptor covers */
    bool     anyvmid;    /* stage 1 of a stream without stage 2: VMID-scoped TLBIs always match */
} smmu_wc_key;

/* Look up a table descriptor; true with *desc on a hit (counts walk_cache_hits). */
bool smmu_walkcache_lookup(smmuv3 *s, const smmu_wc_key *k, uint64_t *desc);
void smmu_walkcache_insert(smmuv3 *s, const smmu_wc_key *k, uint64_t desc);

/* walk/perm.c: the per-stage permission checks shared by the walk and smmu_perm_check. */
int smmu_perm_check_s1(const smmu_txcfg *cfg, const smmu_perm *p, const smmu_access *acc, smmu_fault *f);
int smmu_perm_check_s2(const smmuv3 *s, const smmu_perm *p, const smmu_access *acc, smmu_fault *f);

#endif
