/* SPDX-License-Identifier: MIT */
/* The translation fast path's entry layout and its probe, inlined into
 * smmuv3_translate (the rest, and the rules that keep it exact, are in
 * fastpath.c). */
#ifndef SMMU_FASTPATH_H
#define SMMU_FASTPATH_H

#include "smmu.h"

#define FP_ENTRIES 1024u /* power of two */

typedef struct fp_entry {
    uint64_t gen;        /* s->xgen when filled; 0 never matches (xgen starts at 1) */
    uint64_t page;       /* input address >> 12 */
    uint32_t sid, ssid;  /* ssid is 0 when !ssv */
    uint8_t  flags;      /* SMMUV3_TXN_* | FP_SSV */
    bool     via_tlb;    /* the translation came from the IOTLB (not a bypass) */
    uint8_t  perm;
    bool     bypass;
    uint32_t cfg_slot;   /* configuration cache entry, touched on a hit (LRU) */
    uint32_t tlb_slot;   /* IOTLB slot, touched on a hit */
    uint64_t pa_page;    /* output address of the page */
    uint64_t size;
    smmuv3_attrs attrs;
} fp_entry;

#define FP_SSV 0x80u

struct smmu_fastpath {
    fp_entry e[FP_ENTRIES];
};

static inline uint32_t fp_index(uint32_t sid, uint64_t page)
{
    uint64_t h = (page ^ ((uint64_t)sid << 40) ^ ((uint64_t)sid >> 3)) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 54) & (FP_ENTRIES - 1);
}

static inline uint8_t fp_flags(const smmuv3_txn *txn)
{
    return (uint8_t)((txn->flags & (SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV)) |
                     (txn->ssv ? FP_SSV : 0));
}

static inline bool smmu_fastpath_enabled(const smmuv3 *s)
{
    return s->fp && s->cfg.fastpath && s->cfg.cfg_entries && s->cfg.tlb_entries;
}

static inline bool smmu_fastpath_lookup(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    if (!smmu_fastpath_enabled(s))
        return false;
    uint64_t page = txn->addr >> 12;
    const fp_entry *e = &s->fp->e[fp_index(txn->sid, page)];
    if (e->gen != s->xgen || e->page != page || e->sid != txn->sid ||
        e->flags != fp_flags(txn) || e->ssid != (txn->ssv ? txn->ssid : 0))
        return false;
    /* res was cleared and the transaction counted by smmuv3_translate */
    res->pa = e->pa_page | (txn->addr & 0xfff);
    res->size = e->size;
    res->perm = e->perm;
    res->bypass = e->bypass;
    res->attrs = e->attrs;
    res->outcome = SMMUV3_XLATE_OK;
    /* The caches see the use, so replacement is what it would be without the memo. */
    s->stats.cfg_hits++;
    smmu_cfgcache_touch(s, e->cfg_slot);
    if (e->via_tlb) {
        s->stats.tlb_hits++;
        smmu_tlb_touch(s, e->tlb_slot);
    }
    return true;
}

#endif
