/* SPDX-License-Identifier: MIT */
/*
 * The IOTLB's private interface: cached leaf translations and their invalidation (IHI 0070 3.17,
 * 4.4).
 *
 * Tagging (3.17): every entry carries
 *   - the translation regime (StreamWorld: NS-EL1, NS-EL2, NS-EL2-E2H),
 *   - the stage kind: stage 1 only (input = VA), stage 2 only (input = IPA),
 *     or nested combined (input = VA, output through both stages); 4.4.3.1
 *     requires a combined TLB to tell a VA from an IPA entry,
 *   - a VMID when stage 2 is implemented and the regime has VMIDs (NS-EL1:
 *     "all TLB entries inserted using NS-EL1 configurations are tagged with
 *     VMIDs when stage 2 is implemented, regardless of whether configuration
 *     is stage 1-only, stage 2-only or stage 1+stage 2", taken from
 *     STE.S2VMID),
 *   - an ASID for non-global stage 1 entries of regimes with ASIDs (NS-EL1,
 *     NS-EL2-E2H), or the global flag plus CD.ASET for global ones (3.17.1:
 *     global entries only match lookups with the same ASET),
 *   - the size of the mapping (any page, block or contiguous size).
 * ASIDs and VMIDs are 8 bits wide unless IDR0.ASID16 / IDR0.VMID16 (3.17.4):
 * tags keep only the implemented bits, and command parameters are compared
 * on those bits (4.4: "the command is not required to affect TLB entries"
 * when the upper 8 bits are non-zero; we match on the low 8 bits).
 *
 * Structure: the entries sit in a dense array (64 bytes each, one cache
 * line), found through an open-addressing index of 8-byte slots (linear
 * probing, load <= 1/2, backward-shift deletion), keyed by (tag, size,
 * input address >> size). A slot holds the entry's dense position and the
 * top 32 bits of its hash, which give the home slot and filter the probe: a
 * lookup reads the small index (16 bytes an entry, cache-resident where the
 * entries are not) and then the one entry line that matches. Removal moves
 * the last entry into the hole, so scans cost what is present, not the
 * capacity. A lookup probes once
 * per (stage kind, global) class and mapping size currently present: for a
 * stream whose regime has no global entries that is one probe per distinct
 * size in use (typically 1); never one per level per granule. Counts per
 * class and size keep the "sizes present" masks exact as entries come and go.
 *
 * Replacement: least recently used, approximated by sampling: a hit stamps
 * the entry with a use counter (one store in a small array); when
 * the TLB is full the oldest of TLB_SAMPLES entries picked at random is
 * evicted (every entry when there are that few: exact LRU). Never a flush.
 *
 * Nested combined entries are as small as the smaller stage, but a stage 1
 * command by VA removes one for any address inside the stage 1 page or block
 * it came from (4.4.2: VA{L}E1 scope), so a 2M stage 1 block over 4K stage 2
 * pages is invalidated by one TLBI at any address of the block.
 *
 * Invalidation: a command's scope is a predicate over entries (tlb_scope).
 * When the scope names one tag per class (VMID and ASID known, no VMID
 * wildcard) and few aligned blocks of the sizes present overlap the
 * address range, the entries are found by hash probes; otherwise by one
 * pass over the dense index. Either way the cost depends on the entries
 * present, never on the size of the range.
 *
 * Input addresses (TBI, 3.4.1 / 5.4 CD.TBI): when top-byte-ignore applies to
 * the half of the VA space an address falls in (selected by VA[55]), bits
 * [63:56] do not take part in the translation; the TLB keys on the address
 * with those bits replaced by copies of bit 55 (the form every successfully
 * walked VA has without TBI). Without TBI the address is used as is, so a
 * non-canonical address never hits and reaches the walker, which faults it.
 */
#ifndef SMMU_TLB_INT_H
#define SMMU_TLB_INT_H

#include <string.h>
#include "model/smmu.h"
#include "model/hash.h"

/* Stage kinds. */
enum { KIND_S1 = 0, KIND_S2 = 1, KIND_NESTED = 2, KIND_COUNT = 3 };
#define KINDBIT(k) (1u << (k))
#define REGIMEBIT(r) (1u << (r))

/* The tag word (internal layout); 0 marks an empty slot. */
#define TAG_ASID_SHIFT   0   /* 16 bits */
#define TAG_VMID_SHIFT   16  /* 16 bits */
#define TAG_KIND_SHIFT   32  /* 2 bits */
#define TAG_REGIME_SHIFT 34  /* 2 bits */
#define TAG_GLOBAL       (1ull << 36)
#define TAG_ASET         (1ull << 37)
#define TAG_VALID        (1ull << 38)
#define TAG_SECURE       (1ull << 39)   /* a Secure stream's entry (3.10.2): never serves a Non-secure one */
#define TLB_MAX_ENTRIES  (1u << 28)
#define TLB_SAMPLES      8            /* eviction candidates */

/* Key word: input address >> size, with the size in bits [63:58]. */
#define KEY_SIZE_SHIFT 58
#define KEY_ADDR_MASK  ((1ull << KEY_SIZE_SHIFT) - 1)

#define NCLASS (KIND_COUNT * 2)       /* (kind, global) */

/* One entry: 64 bytes. The mapping size is x.size_log2; the region starts
 * at (key & KEY_ADDR_MASK) << size. */
typedef struct tlb_entry {
    uint64_t key;        /* address >> size | size << 58 */
    uint64_t tag;        /* tag word with TAG_VALID */
    uint32_t slot;       /* its index slot */
    smmu_xlate x;        /* pa and ipa at the region base */
} tlb_entry;

/* An index slot: the top 32 bits of the entry's hash << 32 | dense
 * position + 1; 0 is empty. */
#define SLOT_POS(v)  ((uint32_t)(v) - 1)
#define SLOT_HASH(v) ((uint32_t)((v) >> 32))

struct smmu_tlb {
    unsigned cap;            /* capacity in entries; 0 = disabled */
    unsigned count;          /* entries: e[0 .. count) */
    unsigned slot_bits;      /* log2 of the number of index slots (<= 29) */
    uint64_t tick;           /* use counter (stamps keep its low 32 bits) */
    uint64_t rng;            /* eviction sampling (xorshift) */
    tlb_entry *e;            /* cap entries, 64-byte aligned inside e_mem */
    void *e_mem;
    uint64_t *slots;         /* 2^slot_bits index slots */
    uint32_t *stamp;         /* stamp[d]: use counter at the last hit or insert of e[d]
                                (kept apart from the entries so that touching is cheap) */
    uint64_t mask[NCLASS];   /* bit n: entries of 2^n bytes present in the class */
    uint32_t *sizes;         /* [NCLASS][64] entry counts */
    uint32_t last;           /* dense position of the last hit or insert (for the fast path) */
    uint8_t  nest_s1_max;    /* largest stage 1 mapping (log2) behind a nested entry
                              * since the last flush (widens probes; see s1_region) */
};

/* A use (hit or insert) of an entry: its new stamp. */
static inline uint32_t tlb_use(smmu_tlb *t)
{
    return (uint32_t)++t->tick;
}

/* ------------------------------------------------------------ hashing */
/* Multiplicative (Fibonacci) hashing: the top bits are used. */
static inline uint64_t tlb_hash(uint64_t key, uint64_t tag)
{
    return (key ^ (tag * SMMU_HASH_K)) * 0xD6E8FEB86659FD93ull;
}

/* The top 32 bits of the hash, kept in the entry's slot: its home slot is
 * their top slot_bits bits. */
static inline uint32_t tlb_hash32(uint64_t key, uint64_t tag)
{
    return (uint32_t)(tlb_hash(key, tag) >> 32);
}

static inline uint32_t tlb_home32(const smmu_tlb *t, uint32_t h)
{
    return (uint32_t)((uint64_t)h >> (32 - t->slot_bits));
}

static inline uint64_t tlb_key(uint64_t addr, unsigned size_log2)
{
    return (addr >> size_log2) | ((uint64_t)size_log2 << KEY_SIZE_SHIFT);
}

static inline uint64_t entry_base(const tlb_entry *e)
{
    return (e->key & KEY_ADDR_MASK) << e->x.size_log2;
}

/* log2 of the stage 1 mapping a translation came from (page or block of
 * s1_granule at s1_level), or 0 when stage 1 did not translate. */
static inline unsigned s1_map_log2(const smmu_xlate *x)
{
    unsigned g = x->s1_granule;
    if (!x->perm.s1 || g < 12 || x->s1_level > 3)
        return 0;
    return g + (3u - x->s1_level) * (g - 3);
}

/* Dense position of the entry (key, tag), or UINT32_MAX. tag includes
 * TAG_VALID. */
static inline uint32_t tlb_probe(const smmu_tlb *t, uint64_t key, uint64_t tag)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t h = tlb_hash32(key, tag);
    for (uint32_t i = tlb_home32(t, h);; i = (i + 1) & m) {
        uint64_t v = t->slots[i];
        if (!v)
            return UINT32_MAX;
        if (SLOT_HASH(v) == h) {
            const tlb_entry *e = &t->e[SLOT_POS(v)];
            if (e->key == key && e->tag == tag)
                return SLOT_POS(v);
        }
    }
}

static inline unsigned tag_kind(uint64_t tag) { return (tag >> TAG_KIND_SHIFT) & 3; }
static inline unsigned tag_class(uint64_t tag) { return tag_kind(tag) * 2 + ((tag & TAG_GLOBAL) ? 1 : 0); }

/* Remove the entry at dense position d (tlb.c): the last entry moves there.
 * Used by the invalidation commands (tlb_inval.c). */
void smmu_tlb_remove(smmu_tlb *t, uint32_t d);

/* ------------------------------------------------------------ tags */
static inline bool regime_has_asid(unsigned regime)
{
    return regime == SMMU_REGIME_EL1 || regime == SMMU_REGIME_EL2_E2H;
}

static inline uint16_t asid_bits(const smmuv3 *s, uint64_t asid)
{
    return (uint16_t)(s->cfg.asid16 ? asid & 0xffff : asid & 0xff);
}

static inline uint16_t vmid_bits(const smmuv3 *s, uint64_t vmid)
{
    return (uint16_t)(s->cfg.vmid16 ? vmid & 0xffff : vmid & 0xff);
}

/* The tag word of entries of (kind, regime) with this VMID and ASID. */
static inline uint64_t make_tag(const smmuv3 *s, unsigned kind, unsigned regime, uint16_t vmid,
                                uint16_t asid, bool global, bool aset)
{
    uint64_t t = TAG_VALID | ((uint64_t)kind << TAG_KIND_SHIFT) | ((uint64_t)regime << TAG_REGIME_SHIFT);
    /* VMID tag: NS-EL1 regime, when stage 2 is implemented (3.17). */
    if (regime == SMMU_REGIME_EL1 && s->cfg.s2p)
        t |= (uint64_t)vmid << TAG_VMID_SHIFT;
    if (kind == KIND_S2 || !regime_has_asid(regime))
        return t;
    if (global)
        return t | TAG_GLOBAL | (aset ? TAG_ASET : 0);
    return t | ((uint64_t)asid << TAG_ASID_SHIFT);
}

#endif
