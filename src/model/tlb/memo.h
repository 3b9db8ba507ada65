/* SPDX-License-Identifier: MIT */
/* The translation fast path's entry layout and its probe, inlined into
 * smmuv3_translate (the rest, and the rules that keep it exact, are in
 * model/tlb/memo.c). A hit reads one 64-byte line of the memo, copies the result
 * image and touches the two caches the translation came from. */
#ifndef SMMU_FASTPATH_H
#define SMMU_FASTPATH_H

#include <stdalign.h>
#include <string.h>
#include "model/smmu.h"

#define FP_ENTRIES 1024u          /* power of two */
#define FP_EMPTY   UINT64_MAX     /* k0 of an empty entry: no key has bits 63:56 set */
#define FP_NO_TLB  UINT32_MAX     /* tlb_pos of a translation that did not come from the IOTLB */

/* model/tlb/memo.c: exact memo of complete translations (see there; the probe is
 * inline in model/tlb/memo.h). */
/* NULL (and no error) when the configuration leaves it off; call after the
 * caches are created. */
int smmu_fastpath_new(smmuv3 *s, smmu_fastpath **out);
void smmu_fastpath_free(smmu_fastpath *fp);
/* Memoize a successful translation begun when s->xgen was `xgen`. */
void smmu_fastpath_insert(smmuv3 *s, uint64_t xgen, const smmuv3_txn *txn, const smmuv3_result *res,
                          bool via_tlb);
void smmu_fastpath_clear(smmu_fastpath *fp);
/* A hit's use of its configuration cache entry; returns SMMUV3_XLATE_OK. */
int smmu_fastpath_touch_cfg(smmuv3 *s, uint32_t slot);
/* Add the memo's hits to statistics (they count as cache hits). */
void smmu_fastpath_stats(const smmuv3 *s, smmuv3_stats *st);

/* One memo entry: one cache line on LP64. */
typedef struct fp_entry {
    alignas(64) uint64_t k0;  /* input address >> 12 | flags << 52, or FP_EMPTY */
    uint64_t k1;              /* the transaction's sid and ssid words (fp_key) */
    smmuv3_result img;        /* the result, pa of the page's base */
    uint32_t cfg_slot;        /* configuration cache entry, touched on a hit (LRU) */
    uint32_t tlb_pos;         /* IOTLB dense position, touched on a hit; FP_NO_TLB for a bypass */
} fp_entry;

struct smmu_fastpath {
    bool on;                  /* config.fastpath with both caches on: entries are filled */
    uint64_t slot_mask;       /* byte offsets of entries: (FP_ENTRIES - 1) << 6 when on, 0
                                 when off (every probe then reads the one, empty, entry 0) */
    uint32_t *tlb_stamp;      /* the IOTLB's use stamps by dense position (tlb.c) */
    uint64_t *tlb_tick;       /* the IOTLB's use counter (its advances count the IOTLB hits) */
    const uint32_t *cfg_mru;  /* the configuration cache's most recently used entry */
    uint64_t bypass_hits;     /* hits of bypass entries (hits of IOTLB entries: smmu_tlb_fastpath_hits) */
    uint32_t nfilled;         /* entries filled since the last clear ... */
    uint32_t filled[FP_ENTRIES]; /* ... and their indexes */
    fp_entry e[FP_ENTRIES];
};

/* Hash of a key: the StreamID and SubstreamID word rotated over the page
 * bits, then Fibonacci hashing (the top bits are used). */
static inline uint64_t fp_hash(uint64_t k0, uint64_t k1)
{
    return (k0 ^ (k1 << 28 | k1 >> 36)) * 0x9E3779B97F4A7C15ull;
}

/* The entry for a key: the top 10 bits of the hash, as one shift and one
 * mask of a byte offset. */
static inline fp_entry *fp_slot(smmu_fastpath *fp, uint64_t k0, uint64_t k1)
{
    _Static_assert(sizeof(fp_entry) == 64 && FP_ENTRIES == 1024, "fp_slot's shift");
    return (fp_entry *)((char *)fp->e + ((fp_hash(k0, k1) >> 48) & fp->slot_mask));
}

/* Key words of a transaction (exact: the page has 52 bits, the flags 6;
 * SEC_SID and the input NS attribute keep Secure and Non-secure apart).
 * The SubstreamID takes part even when SSV is 0, which only makes the key
 * finer than the result (never coarser). It is loaded on its own: callers
 * have just stored the fields one by one, and one 64-bit load of StreamID
 * and SubstreamID together would not be forwarded from those stores. */
static inline void fp_key(const smmuv3_txn *txn, uint64_t *k0, uint64_t *k1)
{
    uint64_t fl = (txn->flags & (SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV |
                                 SMMUV3_TXN_SECURE | SMMUV3_TXN_NS)) |
                  (txn->ssv ? 8u : 0u);
    uint32_t ssid = txn->ssid;
    __asm__("" : "+r"(ssid));   /* keeps the two 32-bit loads apart */
    *k0 = txn->addr >> 12 | fl << 52;
    *k1 = txn->sid | (uint64_t)ssid << 32;
}

/* A memo hit writes the result, touches the IOTLB entry and returns true;
 * *cfg_touch is then the configuration cache entry the caller must touch
 * (last, as a tail call: smmu_fastpath_touch_cfg), or UINT32_MAX when it is
 * already the most recently used one. Everything is read before the result
 * is written (the compiler must assume the result may alias it). */
static inline bool smmu_fastpath_lookup(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res,
                                        uint32_t *cfg_touch)
{
    smmu_fastpath *fp = s->fp;
    uint64_t k0, k1, addr = txn->addr;
    fp_key(txn, &k0, &k1);
    const fp_entry *e = fp_slot(fp, k0, k1);
    if (((e->k0 ^ k0) | (e->k1 ^ k1)) != 0)
        return false;
    uint32_t tlb_pos = e->tlb_pos, cfg_slot = e->cfg_slot;
    *cfg_touch = *fp->cfg_mru == cfg_slot ? UINT32_MAX : cfg_slot;
    /* The caches see the use, so replacement is what it would be without
     * the memo. The IOTLB's use counter doubles as the count of these hits
     * (a counter of its own would be a second chain of dependent
     * increments, one per call). */
    if (tlb_pos != FP_NO_TLB)
        fp->tlb_stamp[tlb_pos] = (uint32_t)++*fp->tlb_tick;
    else
        fp->bypass_hits++;
    uint64_t pa = e->img.pa | (addr & 0xfff);
    memcpy(res, &e->img, sizeof(*res));
    res->pa = pa;
    return true;
}

#endif
