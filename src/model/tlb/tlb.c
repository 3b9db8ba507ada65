/* SPDX-License-Identifier: MIT */
/*
 * The IOTLB: cached leaf translations and their invalidation (IHI 0070 3.17,
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
 * Structure: an open-addressing hash whose slots are the entries themselves
 * (64 bytes, one cache line: a hit whose home slot holds the entry reads one
 * line), linear probing, load <= 1/2, backward-shift deletion, keyed by
 * (tag, size, input address >> size). A dense index of the occupied slots
 * makes scans cost what is present, not the capacity. A lookup probes once
 * per (stage kind, global) class and mapping size currently present: for a
 * stream whose regime has no global entries that is one probe per distinct
 * size in use (typically 1); never one per level per granule. Counts per
 * class and size keep the "sizes present" masks exact as entries come and go.
 *
 * Replacement: least recently used, approximated by sampling: a hit stamps
 * the entry with a use counter (one store in the line the hit reads); when
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
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"

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
#define TLB_MAX_ENTRIES  (1u << 28)
#define TLB_SAMPLES      8            /* eviction candidates */

/* Key word: input address >> size, with the size in bits [63:58]. */
#define KEY_SIZE_SHIFT 58
#define KEY_ADDR_MASK  ((1ull << KEY_SIZE_SHIFT) - 1)

#define NCLASS (KIND_COUNT * 2)       /* (kind, global) */

/* One slot of the hash: 64 bytes. The mapping size is x.size_log2; the
 * region starts at (key & KEY_ADDR_MASK) << size. */
typedef struct tlb_entry {
    uint64_t key;        /* address >> size | size << 58 */
    uint64_t tag;        /* tag word with TAG_VALID; 0 = empty slot */
    uint32_t dpos;       /* position in the dense index (and of its stamp) */
    smmu_xlate x;        /* pa and ipa at the region base */
} tlb_entry;

struct smmu_tlb {
    unsigned cap;            /* capacity in entries; 0 = disabled */
    unsigned count;          /* occupied slots */
    unsigned slot_bits;      /* log2 of the number of slots */
    uint64_t tick;           /* use counter (stamps keep its low 32 bits) */
    uint64_t own_ticks;      /* advances of tick made here; the rest are fast-path hits */
    uint64_t rng;            /* eviction sampling (xorshift) */
    tlb_entry *e;            /* 2^slot_bits slots */
    uint32_t *dense;         /* dense[0 .. count): the occupied slots */
    uint32_t *stamp;         /* stamp[d]: use counter at the last hit or insert of dense[d]
                                (kept apart from the entries so that touching is cheap) */
    uint64_t mask[NCLASS];   /* bit n: entries of 2^n bytes present in the class */
    uint32_t *sizes;         /* [NCLASS][64] entry counts */
    uint32_t last;           /* slot of the last hit or insert (for the fast path) */
    uint8_t  nest_s1_max;    /* largest stage 1 mapping (log2) behind a nested entry
                              * since the last flush (widens probes; see s1_region) */
};

/* A use (hit or insert) of an entry: its new stamp. */
static inline uint32_t tlb_use(smmu_tlb *t)
{
    t->own_ticks++;
    return (uint32_t)++t->tick;
}

/* ------------------------------------------------------------ hashing */
/* Multiplicative (Fibonacci) hashing: the top bits are used. */
static inline uint64_t tlb_hash(uint64_t key, uint64_t tag)
{
    return (key ^ (tag * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
}

static inline uint32_t tlb_home(const smmu_tlb *t, uint64_t key, uint64_t tag)
{
    return (uint32_t)(tlb_hash(key, tag) >> (64 - t->slot_bits));
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

/* Slot of (key, tag), or UINT32_MAX. tag includes TAG_VALID. */
static inline uint32_t tlb_probe(const smmu_tlb *t, uint64_t key, uint64_t tag)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t i = tlb_home(t, key, tag);
    for (;;) {
        const tlb_entry *e = &t->e[i];
        if (!e->tag)
            return UINT32_MAX;
        if (e->key == key && e->tag == tag)
            return i;
        i = (i + 1) & m;
    }
}

static inline unsigned tag_kind(uint64_t tag) { return (tag >> TAG_KIND_SHIFT) & 3; }
static inline unsigned tag_class(uint64_t tag) { return tag_kind(tag) * 2 + ((tag & TAG_GLOBAL) ? 1 : 0); }

/* Empty slot `hole` (its dense position already released): later entries of
 * the probe run move back when their home position is not between the hole
 * and them (linear probing deletion by backward shift). */
static void tlb_slot_delete(smmu_tlb *t, uint32_t hole)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t j = hole;
    for (;;) {
        j = (j + 1) & m;
        tlb_entry *e = &t->e[j];
        if (!e->tag)
            break;
        uint32_t home = tlb_home(t, e->key, e->tag);
        /* keep e at j when home lies cyclically in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays)
            continue;
        t->e[hole] = *e;
        t->dense[e->dpos] = hole;
        hole = j;
    }
    t->e[hole].tag = 0;
    t->e[hole].key = 0;
}

/* ------------------------------------------------------------ life cycle */
smmu_tlb *smmu_tlb_new(unsigned entries)
{
    smmu_tlb *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    if (entries > TLB_MAX_ENTRIES)
        entries = TLB_MAX_ENTRIES;
    t->cap = entries;
    t->rng = 0x9E3779B97F4A7C15ull;
    t->sizes = calloc(NCLASS * 64, sizeof(*t->sizes));
    if (!t->sizes) {
        free(t);
        return NULL;
    }
    if (!entries)
        return t;
    unsigned bits = 1;
    while ((1ull << bits) < 2ull * entries)
        bits++;
    t->slot_bits = bits;
    /* slots are cache-line sized: align them to lines (and fail, not wrap,
     * where size_t is too small for the table) */
    if (((uint64_t)1 << bits) > SIZE_MAX / sizeof(*t->e)) {
        smmu_tlb_free(t);
        return NULL;
    }
    size_t esz = ((size_t)1 << bits) * sizeof(*t->e);
    t->e = aligned_alloc(64, esz);
    if (t->e)
        memset(t->e, 0, esz);
    t->dense = calloc(entries, sizeof(*t->dense));
    t->stamp = calloc(entries, sizeof(*t->stamp));
    if (!t->e || !t->dense || !t->stamp) {
        smmu_tlb_free(t);
        return NULL;
    }
    return t;
}

void smmu_tlb_free(smmu_tlb *t)
{
    if (!t)
        return;
    free(t->e);
    free(t->dense);
    free(t->stamp);
    free(t->sizes);
    free(t);
}

/* Dense position of the last hit or insert; stable until the next removal
 * from the table, and every removal empties the fast path (smmu_state_changed). */
uint32_t smmu_tlb_last(const smmuv3 *s)
{
    return s->tlb ? s->tlb->last : 0;
}

/* The use stamps by dense position and the use counter, for the fast path,
 * which stamps the entry at the position it recorded (any removal from the
 * table empties the fast path first, so the position still names that entry).
 * Both arrays live as long as the TLB; NULL when the TLB is off. */
/* Fast-path hits on IOTLB entries: each advanced the use counter once. */
uint64_t smmu_tlb_fastpath_hits(const smmuv3 *s)
{
    return s->tlb ? s->tlb->tick - s->tlb->own_ticks : 0;
}

uint32_t *smmu_tlb_stamps(smmuv3 *s, uint64_t **tick)
{
    smmu_tlb *t = s->tlb;
    *tick = t && t->stamp ? &t->tick : NULL;
    return *tick ? t->stamp : NULL;
}

void smmu_tlb_flush(smmuv3 *s)
{
    smmu_tlb *t = s ? s->tlb : NULL;
    if (!t)
        return;
    smmu_state_changed(s);
    if (t->count * 8ull < (1ull << t->slot_bits)) {
        for (unsigned k = 0; k < t->count; k++)
            t->e[t->dense[k]].tag = 0;
    } else if (t->e) {
        memset(t->e, 0, ((size_t)1 << t->slot_bits) * sizeof(*t->e));
    }
    memset(t->sizes, 0, NCLASS * 64 * sizeof(*t->sizes));
    memset(t->mask, 0, sizeof(t->mask));
    t->count = 0;
    t->nest_s1_max = 0;
}

/* Remove the entry in slot i. */
static void tlb_remove(smmu_tlb *t, uint32_t i)
{
    tlb_entry *e = &t->e[i];
    unsigned cls = tag_class(e->tag), sz = e->x.size_log2;
    if (--t->sizes[cls * 64 + sz] == 0)
        t->mask[cls] &= ~(1ull << sz);
    unsigned last = --t->count;
    if (e->dpos != last) {
        uint32_t moved = t->dense[last];
        t->dense[e->dpos] = moved;
        t->stamp[e->dpos] = t->stamp[last];
        t->e[moved].dpos = e->dpos;
    }
    tlb_slot_delete(t, i);
}

/* ------------------------------------------------------------ tags */
/* What a configuration looks up: the tags of its non-global and global
 * entries, and its stage kind. */
typedef struct tlb_ctx {
    unsigned kind;
    uint64_t tag_ng;     /* non-global entries (or the only tag when no ASID) */
    uint64_t tag_g;      /* global entries; 0 when the regime has no ASIDs */
} tlb_ctx;

static inline unsigned tlb_kind(const smmu_txcfg *cfg)
{
    bool s1 = cfg->has_cd && smmu_ste_s1(&cfg->ste);
    bool s2 = smmu_ste_s2(&cfg->ste);
    return s1 && s2 ? KIND_NESTED : s2 ? KIND_S2 : KIND_S1;
}

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

static void tlb_ctx_init(const smmuv3 *s, const smmu_txcfg *cfg, tlb_ctx *c)
{
    unsigned kind = tlb_kind(cfg);
    unsigned regime = cfg->ste.regime & 3;
    uint16_t vmid = vmid_bits(s, cfg->ste.s2.vmid);
    c->kind = kind;
    c->tag_ng = make_tag(s, kind, regime, vmid, asid_bits(s, cfg->cd.asid), false, false);
    c->tag_g = (kind != KIND_S2 && regime_has_asid(regime))
                   ? make_tag(s, kind, regime, vmid, 0, true, cfg->cd.aset) : 0;
}

/* The address the TLB keys on (TBI: see the header comment). */
static inline uint64_t tlb_input(const smmu_txcfg *cfg, unsigned kind, uint64_t iova)
{
    if (kind == KIND_S2 || !cfg->cd.tbi)
        return iova;
    unsigned half = (iova >> 55) & 1;
    if (!(cfg->cd.tbi & (1u << half)))
        return iova;
    return half ? (iova | 0xff00000000000000ull) : (iova & 0x00ffffffffffffffull);
}

/* ------------------------------------------------------------ lookup */
static inline bool tlb_hit(smmuv3 *s, tlb_entry *e, uint64_t addr, smmu_xlate *out)
{
    uint64_t off = addr & ((1ull << e->x.size_log2) - 1);
    *out = e->x;
    out->pa += off;
    out->ipa += off;   /* the walker gives stage 1-only results ipa == pa */
    s->tlb->stamp[e->dpos] = tlb_use(s->tlb);
    s->tlb->last = e->dpos;
    s->stats.tlb_hits++;
    return true;
}

static inline bool tlb_find_class(smmuv3 *s, smmu_tlb *t, unsigned cls, uint64_t tag,
                                  uint64_t addr, smmu_xlate *out)
{
    uint64_t m = t->mask[cls];
    while (m) {
        unsigned sz = (unsigned)__builtin_ctzll(m);
        m &= m - 1;
        uint32_t i = tlb_probe(t, tlb_key(addr, sz), tag);
        if (i != UINT32_MAX)
            return tlb_hit(s, &t->e[i], addr, out);
    }
    return false;
}

bool smmu_tlb_lookup(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, smmu_xlate *out)
{
    smmu_tlb *t = s->tlb;
    if (!t || !t->count || !cfg || !out) {
        s->stats.tlb_misses++;
        return false;
    }
    unsigned kind = tlb_kind(cfg);
    unsigned regime = cfg->ste.regime & 3;
    uint16_t vmid = vmid_bits(s, cfg->ste.s2.vmid);
    uint64_t addr = tlb_input(cfg, kind, iova);
    uint64_t tag = make_tag(s, kind, regime, vmid, asid_bits(s, cfg->cd.asid), false, false);
    if (tlb_find_class(s, t, kind * 2, tag, addr, out))
        return true;
    /* Global entries (3.17.1), in regimes with ASIDs. */
    if (t->mask[kind * 2 + 1] && kind != KIND_S2 && regime_has_asid(regime)) {
        tag = make_tag(s, kind, regime, vmid, 0, true, cfg->cd.aset);
        if (tlb_find_class(s, t, kind * 2 + 1, tag, addr, out))
            return true;
    }
    s->stats.tlb_misses++;
    return false;
}

/* ------------------------------------------------------------ insert */
/* The least recently used of a sample (all entries when there are few):
 * returns its slot. */
static uint32_t tlb_victim(smmu_tlb *t)
{
    uint32_t best = 0, best_age = 0;
    bool all = t->count <= TLB_SAMPLES;
    unsigned n = all ? t->count : TLB_SAMPLES;
    for (unsigned k = 0; k < n; k++) {
        unsigned d = k;
        if (!all) {
            t->rng ^= t->rng << 13;
            t->rng ^= t->rng >> 7;
            t->rng ^= t->rng << 17;
            d = (unsigned)((t->rng >> 32) * t->count >> 32);
        }
        uint32_t age = (uint32_t)t->tick - t->stamp[d];
        if (k == 0 || age > best_age) {
            best = t->dense[d];
            best_age = age;
        }
    }
    return best;
}

void smmu_tlb_insert(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_xlate *x)
{
    smmu_tlb *t = s->tlb;
    if (!t || !t->cap || !cfg || !x)
        return;
    unsigned sz = x->size_log2;
    if (sz < 12 || sz > 63)
        return;   /* not a translation granule size: do not cache */
    tlb_ctx c;
    tlb_ctx_init(s, cfg, &c);
    bool global = c.tag_g && x->global;
    uint64_t tag = global ? c.tag_g : c.tag_ng;
    unsigned cls = c.kind * 2 + (global ? 1 : 0);
    uint64_t addr = tlb_input(cfg, c.kind, iova);
    uint64_t off = addr & ((1ull << sz) - 1);
    uint64_t key = tlb_key(addr, sz);

    uint32_t i = tlb_probe(t, key, tag);
    if (i != UINT32_MAX) {
        /* Same tags and region: the newer walk replaces the older result
         * (a write that marked a writable-clean page dirty, or a nested
         * translation that cached it meanwhile); the memo may hold
         * shortcuts to the old one. */
        smmu_state_changed(s);
        tlb_entry *e = &t->e[i];
        e->x = *x;
        e->x.pa -= off;
        e->x.ipa -= off;
        t->stamp[e->dpos] = tlb_use(t);
        t->last = e->dpos;
        return;
    }
    if (t->count == t->cap) {
        tlb_remove(t, tlb_victim(t));
        s->stats.tlb_evictions++;
        smmu_state_changed(s);
    }
    uint32_t m = (1u << t->slot_bits) - 1;
    i = tlb_home(t, key, tag);
    while (t->e[i].tag)
        i = (i + 1) & m;
    if (c.kind == KIND_NESTED) {
        unsigned m = s1_map_log2(x);
        if (m > sz && m < 64 && m > t->nest_s1_max)
            t->nest_s1_max = (uint8_t)m;
    }
    tlb_entry *e = &t->e[i];
    e->key = key;
    e->tag = tag;
    e->dpos = t->count;
    t->stamp[t->count] = tlb_use(t);
    e->x = *x;
    e->x.pa -= off;
    e->x.ipa -= off;
    t->last = t->count;
    t->dense[t->count++] = i;
    if (t->sizes[cls * 64 + sz]++ == 0)
        t->mask[cls] |= 1ull << sz;
}

/* ------------------------------------------------------------ invalidation */
/* The scope of one TLBI command, as a predicate over entries. */
typedef struct tlb_scope {
    uint8_t  regimes;      /* REGIMEBIT set */
    uint8_t  kinds;        /* KINDBIT set */
    bool     by_vmid;
    uint16_t vmid, vmid_care;   /* compare (tag ^ vmid) & vmid_care */
    bool     by_asid;      /* non-global entries must match asid */
    uint16_t asid;
    bool     globals;      /* global entries are in scope (when by_asid) */
    bool     by_addr;
    uint64_t first, last;  /* inclusive input address range */
    uint8_t  granule;      /* TG as log2 granule; 0 = any */
    uint8_t  level;        /* TTL; 0 = any */
    bool     s2_hint;      /* TG/TTL describe the stage 2 walk (S2_IPA) */
} tlb_scope;

static bool tlb_in_scope(const tlb_scope *sc, const tlb_entry *e)
{
    uint64_t tag = e->tag;
    unsigned kind = (tag >> TAG_KIND_SHIFT) & 3;
    unsigned regime = (tag >> TAG_REGIME_SHIFT) & 3;
    if (!(sc->kinds & KINDBIT(kind)) || !(sc->regimes & REGIMEBIT(regime)))
        return false;
    if (sc->by_vmid && ((((tag >> TAG_VMID_SHIFT) & 0xffff) ^ sc->vmid) & sc->vmid_care))
        return false;
    if (sc->by_asid) {
        if (tag & TAG_GLOBAL) {
            if (!sc->globals)
                return false;
        } else if (((tag >> TAG_ASID_SHIFT) & 0xffff) != sc->asid) {
            return false;
        }
    }
    if (sc->by_addr) {
        uint64_t base = entry_base(e);
        unsigned span = e->x.size_log2;
        /* A nested entry smaller than its stage 1 page or block still caches
         * that stage 1 descriptor: a stage 1 command by VA removes it for any
         * address inside the stage 1 mapping (4.4.2, as VA{L}E1 on a PE). */
        if (kind == KIND_NESTED && !sc->s2_hint) {
            unsigned m = s1_map_log2(&e->x);
            if (m > span && m < 64) {
                span = m;
                base &= ~((1ull << m) - 1);
            }
        }
        uint64_t end = base + ((1ull << span) - 1);
        if (end < base)
            end = UINT64_MAX;
        if (base > sc->last || end < sc->first)
            return false;
        if (sc->granule) {
            uint8_t g = sc->s2_hint ? e->x.s2_granule : e->x.s1_granule;
            if (g != sc->granule)
                return false;
            uint8_t lvl = sc->s2_hint ? e->x.s2_level : e->x.s1_level;
            if (sc->level && lvl != sc->level)
                return false;
        }
    }
    return true;
}

/* The tags an address-based scope can match, when they are few and known:
 * VMID exact (or no VMID tag), ASID given wherever the regime has ASIDs.
 * Returns the number of tags, 0 when they cannot be enumerated. */
static unsigned scope_tags(const smmuv3 *s, const tlb_scope *sc, uint64_t tags[], unsigned cls[])
{
    unsigned n = 0;
    for (unsigned regime = 0; regime < 3; regime++) {
        if (!(sc->regimes & REGIMEBIT(regime)))
            continue;
        bool has_vmid = regime == SMMU_REGIME_EL1 && s->cfg.s2p;
        uint16_t full = s->cfg.vmid16 ? 0xffff : 0xff;
        if (has_vmid && (!sc->by_vmid || sc->vmid_care != full))
            return 0;   /* every VMID, or a wildcard: scan */
        uint16_t vmid = has_vmid ? sc->vmid : 0;
        for (unsigned kind = 0; kind < KIND_COUNT; kind++) {
            if (!(sc->kinds & KINDBIT(kind)))
                continue;
            if (kind != KIND_S2 && regime_has_asid(regime)) {
                if (!sc->by_asid)
                    return 0;   /* every ASID: scan */
                tags[n] = make_tag(s, kind, regime, vmid, sc->asid, false, false);
                cls[n++] = kind * 2;
                if (sc->globals) {
                    for (unsigned aset = 0; aset < 2; aset++) {
                        tags[n] = make_tag(s, kind, regime, vmid, 0, true, aset);
                        cls[n++] = kind * 2 + 1;
                    }
                }
            } else {
                tags[n] = make_tag(s, kind, regime, vmid, 0, false, false);
                cls[n++] = kind * 2;
            }
        }
    }
    return n;
}

/* Invalidate by hash probes: every aligned block of every size present that
 * overlaps the range, for each tag. false (nothing done) when that would
 * cost more than a pass over the entries. */
static bool tlb_invalidate_probe(smmuv3 *s, const tlb_scope *sc, uint64_t *removed)
{
    smmu_tlb *t = s->tlb;
    uint64_t tags[3 * KIND_COUNT * 3];
    unsigned cls[3 * KIND_COUNT * 3];
    if (!sc->by_addr)
        return false;
    unsigned nt = scope_tags(s, sc, tags, cls);
    if (!nt)
        return false;
    uint64_t budget = t->count / 2 + 8, cost = 0;
    /* Nested entries can match from anywhere in their stage 1 mapping
     * (tlb_in_scope): widen the probed range to the largest one present. */
    uint64_t wmask = (!sc->s2_hint && t->nest_s1_max) ? (1ull << t->nest_s1_max) - 1 : 0;
    for (unsigned k = 0; k < nt; k++) {
        uint64_t m = t->mask[cls[k]];
        bool wide = cls[k] / 2 == KIND_NESTED;
        uint64_t first = wide ? sc->first & ~wmask : sc->first, last = wide ? sc->last | wmask : sc->last;
        while (m) {
            unsigned sz = (unsigned)__builtin_ctzll(m);
            m &= m - 1;
            cost += (last >> sz) - (first >> sz) + 1;
            if (cost > budget)
                return false;
        }
    }
    for (unsigned k = 0; k < nt; k++) {
        uint64_t m = t->mask[cls[k]];
        bool wide = cls[k] / 2 == KIND_NESTED;
        uint64_t first = wide ? sc->first & ~wmask : sc->first, last = wide ? sc->last | wmask : sc->last;
        while (m) {
            unsigned sz = (unsigned)__builtin_ctzll(m);
            m &= m - 1;
            for (uint64_t j = first >> sz; j <= last >> sz; j++) {
                uint32_t i = tlb_probe(t, j | ((uint64_t)sz << KEY_SIZE_SHIFT), tags[k]);
                if (i != UINT32_MAX && tlb_in_scope(sc, &t->e[i])) {
                    tlb_remove(t, i);
                    ++*removed;
                }
                if (j == UINT64_MAX >> sz)
                    break;
            }
        }
    }
    return true;
}

static void tlb_invalidate(smmuv3 *s, const tlb_scope *sc)
{
    smmu_tlb *t = s->tlb;
    if (!t || !t->count)
        return;
    uint64_t n = 0;
    if (!tlb_invalidate_probe(s, sc, &n)) {
        unsigned k = 0;
        while (k < t->count) {
            uint32_t i = t->dense[k];
            if (tlb_in_scope(sc, &t->e[i])) {
                tlb_remove(t, i);   /* the last dense position moved into k: look again */
                n++;
            } else {
                k++;
            }
        }
    }
    s->stats.tlb_invalidated += n;
}

/* VMID match for invalidation: the implemented bits, less the LSBs that the
 * VMID wildcard (SMMU_CR0.VMW, 3.17.6, when IDR0.VMW) tells to ignore. */
static void scope_vmid(const smmuv3 *s, tlb_scope *sc, uint64_t vmid)
{
    sc->by_vmid = true;
    sc->vmid = vmid_bits(s, vmid);
    sc->vmid_care = s->cfg.vmid16 ? 0xffff : 0xff;
    if (rget(s->idr[0], F_IDR0_vmw)) {
        unsigned w = (unsigned)rget(s->r.cr0, F_CR0_vmw);
        if (w >= 1 && w <= 4)
            sc->vmid_care &= (uint16_t)~((1u << w) - 1);
    }
}

/* NH_* commands match the VMID only when stage 2 is implemented (4.4.2). */
static void scope_nh_vmid(const smmuv3 *s, tlb_scope *sc, uint64_t vmid)
{
    if (s->cfg.s2p)
        scope_vmid(s, sc, vmid);
}

/* Address, range and level hint of a VA/IPA-based command (4.4.1.1).
 * `addr` is Address with bits [11:0] zero. When IDR3.RIL is 0, TG, TTL, NUM
 * and SCALE are RES0 and ignored. TG == 0: the entries containing Address.
 * TG != 0: every entry that overlaps [Address, Address + (NUM+1) * 2^SCALE *
 * granule), and only those inserted with granule TG, and with TTL != 0 only
 * those whose leaf came from level TTL. The bound is computed, never walked,
 * so the cost does not depend on the size of the range. */
static void scope_addr(const smmuv3 *s, tlb_scope *sc, const uint64_t cmd[2], uint64_t addr,
                       uint32_t f_num, uint32_t f_scale, uint32_t f_tg, uint32_t f_ttl)
{
    sc->by_addr = true;
    sc->first = sc->last = addr;
    unsigned tg = s->cfg.ril ? (unsigned)fget(cmd, f_tg) : 0;
    if (!tg)
        return;
    static const uint8_t gran[4] = { 0, 12, 14, 16 };
    unsigned g = gran[tg];
    uint64_t num = fget(cmd, f_num), scale = fget(cmd, f_scale);
    unsigned ttl = (unsigned)fget(cmd, f_ttl);
    /* 16K granule, TTL 0b01 is reserved without IDR5.DS (not implemented
     * here) and treated as 0b00 (4.4.1.1). */
    if (tg == 2 && ttl == 1)
        ttl = 0;
    uint64_t len = (num + 1) << (scale + g);   /* at most 2^52 */
    sc->last = addr + (len - 1);
    if (sc->last < addr)
        sc->last = UINT64_MAX;   /* the address does not wrap (4.4.1.1) */
    sc->granule = (uint8_t)g;
    sc->level = (uint8_t)ttl;
}

/* A stage 1 command address: entries hold VAs whose bits [63:56] equal bit 55
 * (header comment), so the parameter is sign-extended from bit 55 ("TBI is
 * permitted but not required to apply to the parameter", 4.4.2). */
static inline uint64_t va_param(uint64_t a)
{
    return (a & (1ull << 55)) ? (a | 0xff00000000000000ull) : (a & 0x00ffffffffffffffull);
}

#define SCOPE_VA(S, sc, cmd, OP)                                                            \
    scope_addr(S, sc, cmd, va_param(fget_addr(cmd, F_CMD_##OP##_address)), F_CMD_##OP##_num, \
               F_CMD_##OP##_scale, F_CMD_##OP##_tg, F_CMD_##OP##_ttl)

/* The stage 1 kinds: entries that hold stage 1 information. */
#define S1_KINDS (KINDBIT(KIND_S1) | KINDBIT(KIND_NESTED))
#define ALL_KINDS (KINDBIT(KIND_S1) | KINDBIT(KIND_S2) | KINDBIT(KIND_NESTED))
#define EL2_REGIMES (REGIMEBIT(SMMU_REGIME_EL2) | REGIMEBIT(SMMU_REGIME_EL2_E2H))
/* The EL2 regimes are stage 1-only (3.17.5): EL2 commands name S1_KINDS. */

void smmu_tlb_command(smmuv3 *s, unsigned opcode, const uint64_t cmd[2])
{
    if (!s || !cmd)
        return;
    tlb_scope sc;
    memset(&sc, 0, sizeof(sc));
    /* The current E2H selects which EL2 entries EL2_VA/EL2_VAA affect. */
    bool e2h = rget(s->r.cr2, F_CR2_e2h) != 0;
    switch (opcode) {
    case SMMUV3_CMD_TLBI_NH_ALL:
        /* 4.4.2.1: like VMALLE1, all stage 1 NS-EL1 entries (not EL2) for
         * VMID, global ones included. Stage 2-only entries hold no stage 1
         * information and stay. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = S1_KINDS;
        scope_nh_vmid(s, &sc, fget(cmd, F_CMD_TLBI_NH_ALL_vmid));
        break;
    case SMMUV3_CMD_TLBI_NH_ASID:
        /* 4.4.2.2: like ASIDE1, stage 1 NS-EL1 non-global entries by ASID
         * and VMID (3.17.1: global entries are not in scope). */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = S1_KINDS;
        scope_nh_vmid(s, &sc, fget(cmd, F_CMD_TLBI_NH_ASID_vmid));
        sc.by_asid = true;
        sc.asid = asid_bits(s, fget(cmd, F_CMD_TLBI_NH_ASID_asid));
        break;
    case SMMUV3_CMD_TLBI_NH_VA:
        /* 4.4.2.4: like VA{L}E1, stage 1 NS-EL1 entries by VMID, ASID and
         * VA, and global entries by VMID and VA whatever their ASID. The
         * TLB holds only last-level entries, so Leaf does not narrow it
         * (the walk cache handles Leaf == 0). */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = S1_KINDS;
        scope_nh_vmid(s, &sc, fget(cmd, F_CMD_TLBI_NH_VA_vmid));
        sc.by_asid = true;
        sc.globals = true;
        sc.asid = asid_bits(s, fget(cmd, F_CMD_TLBI_NH_VA_asid));
        SCOPE_VA(s, &sc, cmd, TLBI_NH_VA);
        break;
    case SMMUV3_CMD_TLBI_NH_VAA:
        /* 4.4.2.3: like VAA{L}E1, stage 1 NS-EL1 entries by VA for all
         * ASIDs in VMID, global ones included. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = S1_KINDS;
        scope_nh_vmid(s, &sc, fget(cmd, F_CMD_TLBI_NH_VAA_vmid));
        SCOPE_VA(s, &sc, cmd, TLBI_NH_VAA);
        break;
    case SMMUV3_CMD_TLBI_EL2_ALL:
        /* 4.4.2.7: all stage 1 NS-EL2 entries, ASID-tagged (EL2-E2H) or not. */
        sc.regimes = EL2_REGIMES;
        sc.kinds = S1_KINDS;
        break;
    case SMMUV3_CMD_TLBI_EL2_ASID:
        /* 4.4.2.10: non-global NS-EL2-E2H entries by ASID; EL2 (no ASID)
         * entries are not required to be invalidated. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL2_E2H);
        sc.kinds = S1_KINDS;
        sc.by_asid = true;
        sc.asid = asid_bits(s, fget(cmd, F_CMD_TLBI_EL2_ASID_asid));
        break;
    case SMMUV3_CMD_TLBI_EL2_VA:
        /* 4.4.2.8: with CR2.E2H == 1, NS-EL2-E2H entries whose ASID
         * matches (or global) and VA matches; with E2H == 0, NS-EL2 entries
         * by VA, the ASID parameter ignored. */
        sc.kinds = S1_KINDS;
        if (e2h) {
            sc.regimes = REGIMEBIT(SMMU_REGIME_EL2_E2H);
            sc.by_asid = true;
            sc.globals = true;
            sc.asid = asid_bits(s, fget(cmd, F_CMD_TLBI_EL2_VA_asid));
        } else {
            sc.regimes = REGIMEBIT(SMMU_REGIME_EL2);
        }
        SCOPE_VA(s, &sc, cmd, TLBI_EL2_VA);
        break;
    case SMMUV3_CMD_TLBI_EL2_VAA:
        /* 4.4.2.9: by VA for all ASIDs, in the EL2 StreamWorld E2H selects. */
        sc.kinds = S1_KINDS;
        sc.regimes = REGIMEBIT(e2h ? SMMU_REGIME_EL2_E2H : SMMU_REGIME_EL2);
        SCOPE_VA(s, &sc, cmd, TLBI_EL2_VAA);
        break;
    case SMMUV3_CMD_TLBI_S12_VMALL:
        /* 4.4.3.2: like VMALLS12E1, all NS-EL1 entries at all stages for VMID. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = ALL_KINDS;
        scope_vmid(s, &sc, fget(cmd, F_CMD_TLBI_S12_VMALL_vmid));
        break;
    case SMMUV3_CMD_TLBI_S2_IPA:
        /* 4.4.3.1: like IPAS2{L}E1, stage 2 entries by VMID and IPA. "This
         * command is not required to invalidate structures containing
         * combined stage 1 and stage 2 information": nested combined entries
         * are keyed by VA and stay; software follows with CMD_TLBI_NH_ALL or
         * CMD_TLBI_NH_VAA. It is sufficient for stage 2-only entries. TG/TTL
         * describe the stage 2 walk. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = KINDBIT(KIND_S2);
        scope_vmid(s, &sc, fget(cmd, F_CMD_TLBI_S2_IPA_vmid));
        sc.s2_hint = true;
        scope_addr(s, &sc, cmd, fget_addr(cmd, F_CMD_TLBI_S2_IPA_address), F_CMD_TLBI_S2_IPA_num,
                   F_CMD_TLBI_S2_IPA_scale, F_CMD_TLBI_S2_IPA_tg, F_CMD_TLBI_S2_IPA_ttl);
        break;
    case SMMUV3_CMD_TLBI_NSNH_ALL:
        /* 4.4.4.1: like Non-secure ALLE1, every non-EL2 entry at all stages. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1);
        sc.kinds = ALL_KINDS;
        break;
    case SMMUV3_CMD_TLBI_EL3_ALL:
    case SMMUV3_CMD_TLBI_EL3_VA:
        /* 4.4.2.5/6: EL3 entries only. The model has no Secure state, so no
         * entry is ever tagged EL3 (the command queue rejects these). */
        return;
    default:
        return;
    }
    tlb_invalidate(s, &sc);
}
