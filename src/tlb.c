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
 * Structure: a dense array of entries (so scans cost what is present) and an
 * open-addressing hash (linear probing, load <= 1/2, backward-shift deletion)
 * keyed by (tag, size, input address >> size). A lookup probes once per
 * (stage kind, global) class and mapping size currently present: for a
 * stream whose regime has no global entries that is one probe per distinct
 * size in use (typically 1); never one per level per granule. Counts per
 * class and size keep the "sizes present" masks exact as entries come and go.
 *
 * Replacement: least recently used, approximated by sampling: a hit stamps
 * the entry with a use counter (one store in a line the hit already reads);
 * when the TLB is full the oldest of up to TLB_SAMPLES entries is evicted
 * (every entry when the capacity is that small: exact LRU). Never a flush.
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
#include "smmu.h"

/* Stage kinds. */
enum { KIND_S1 = 0, KIND_S2 = 1, KIND_NESTED = 2, KIND_COUNT = 3 };
#define KINDBIT(k) (1u << (k))
#define REGIMEBIT(r) (1u << (r))

/* The tag word (internal layout). Bits [63:TAG_BITS] of a hash slot's tag word
 * hold the entry index. */
#define TAG_ASID_SHIFT   0   /* 16 bits */
#define TAG_VMID_SHIFT   16  /* 16 bits */
#define TAG_KIND_SHIFT   32  /* 2 bits */
#define TAG_REGIME_SHIFT 34  /* 2 bits */
#define TAG_GLOBAL       (1ull << 36)
#define TAG_ASET         (1ull << 37)
#define TAG_VALID        (1ull << 38)
#define TAG_BITS         39
#define TAG_MASK         ((1ull << TAG_BITS) - 1)
#define TLB_MAX_ENTRIES  (1u << 25)   /* what fits in the slot's index bits */
#define TLB_SAMPLES      8            /* eviction candidates */

/* Key word: input address >> size, with the size in bits [63:58]. */
#define KEY_SIZE_SHIFT 58

#define NCLASS (KIND_COUNT * 2)       /* (kind, global) */

typedef struct tlb_slot {
    uint64_t key;    /* KEY: address >> size | size << 58 */
    uint64_t tag;    /* tag word | TAG_VALID | entry index << TAG_BITS; 0 = empty */
} tlb_slot;

/* 64 bytes: one cache line. The mapping size is x.size_log2. */
typedef struct tlb_entry {
    uint64_t base;       /* input address (canonical) of the start of the region */
    uint64_t tag;        /* tag word with TAG_VALID */
    uint32_t slot;       /* its slot in the hash */
    uint32_t stamp;      /* use counter at the last hit or insert */
    smmu_xlate x;        /* pa and ipa at the region base */
} tlb_entry;

struct smmu_tlb {
    unsigned cap;            /* capacity in entries; 0 = disabled */
    unsigned count;          /* valid entries: entries[0 .. count) */
    uint32_t tick;           /* use counter */
    uint64_t rng;            /* eviction sampling (xorshift) */
    unsigned slot_bits;      /* log2 of the number of slots */
    tlb_slot *slots;
    tlb_entry *entries;
    uint64_t mask[NCLASS];   /* bit n: entries of 2^n bytes present in the class */
    uint32_t *sizes;         /* [NCLASS][64] entry counts */
};

/* ------------------------------------------------------------ hashing */
static inline uint64_t tlb_hash(uint64_t key, uint64_t tag)
{
    uint64_t h = (key ^ (tag * 0x9E3779B97F4A7C15ull)) * 0xD6E8FEB86659FD93ull;
    return h ^ (h >> 29);
}

static inline uint32_t tlb_home(const smmu_tlb *t, uint64_t key, uint64_t tag)
{
    return (uint32_t)(tlb_hash(key, tag) >> (64 - t->slot_bits));
}

static inline uint64_t tlb_key(uint64_t addr, unsigned size_log2)
{
    return (addr >> size_log2) | ((uint64_t)size_log2 << KEY_SIZE_SHIFT);
}

/* Slot of (key, tag), or UINT32_MAX. tag includes TAG_VALID. */
static inline uint32_t tlb_probe(const smmu_tlb *t, uint64_t key, uint64_t tag)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t i = tlb_home(t, key, tag);
    for (;;) {
        const tlb_slot *sl = &t->slots[i];
        if (!sl->tag)
            return UINT32_MAX;
        if (sl->key == key && (sl->tag & TAG_MASK) == tag)
            return i;
        i = (i + 1) & m;
    }
}

/* Linear probing deletion by backward shift: entries after the hole move back
 * when their home position is not between the hole and them. */
static void tlb_slot_delete(smmu_tlb *t, uint32_t hole)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t j = hole;
    for (;;) {
        j = (j + 1) & m;
        tlb_slot *sl = &t->slots[j];
        if (!sl->tag)
            break;
        uint32_t home = tlb_home(t, sl->key, sl->tag & TAG_MASK);
        /* keep sl at j when home lies cyclically in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays)
            continue;
        t->slots[hole] = *sl;
        t->entries[sl->tag >> TAG_BITS].slot = hole;
        hole = j;
    }
    t->slots[hole].key = 0;
    t->slots[hole].tag = 0;
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
    t->slots = calloc((size_t)1 << bits, sizeof(*t->slots));
    /* entries are cache-line sized: align them to lines */
    size_t esz = (size_t)entries * sizeof(*t->entries);
    esz = (esz + 63) & ~(size_t)63;
    t->entries = aligned_alloc(64, esz);
    if (t->entries)
        memset(t->entries, 0, esz);
    if (!t->slots || !t->entries) {
        smmu_tlb_free(t);
        return NULL;
    }
    return t;
}

void smmu_tlb_free(smmu_tlb *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->entries);
    free(t->sizes);
    free(t);
}

static void tlb_clear(smmu_tlb *t)
{
    if (t->slots)
        memset(t->slots, 0, ((size_t)1 << t->slot_bits) * sizeof(*t->slots));
    memset(t->sizes, 0, NCLASS * 64 * sizeof(*t->sizes));
    memset(t->mask, 0, sizeof(t->mask));
    t->count = 0;
}

void smmu_tlb_flush(smmuv3 *s)
{
    if (s && s->tlb)
        tlb_clear(s->tlb);
}

static inline unsigned tag_kind(uint64_t tag) { return (tag >> TAG_KIND_SHIFT) & 3; }
static inline unsigned tag_class(uint64_t tag) { return tag_kind(tag) * 2 + ((tag & TAG_GLOBAL) ? 1 : 0); }

/* Remove entries[i]; the last entry moves into its place. */
static void tlb_remove(smmu_tlb *t, unsigned i)
{
    tlb_entry *e = &t->entries[i];
    tlb_slot_delete(t, e->slot);
    unsigned cls = tag_class(e->tag), sz = e->x.size_log2;
    if (--t->sizes[cls * 64 + sz] == 0)
        t->mask[cls] &= ~(1ull << sz);
    unsigned last = --t->count;
    if (i != last) {
        *e = t->entries[last];
        tlb_slot *sl = &t->slots[e->slot];
        sl->tag = (sl->tag & TAG_MASK) | ((uint64_t)i << TAG_BITS);
    }
}

/* ------------------------------------------------------------ tags */
/* What a configuration looks up: the tags of its non-global and global
 * entries, and its stage kind. */
typedef struct tlb_ctx {
    unsigned kind;
    uint64_t tag_ng;     /* non-global entries (or the only tag when no ASID) */
    uint64_t tag_g;      /* global entries; 0 when the regime has no ASIDs */
    uint64_t tbi_mask;   /* 0, or TBI for the half of iova computed per address */
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

static void tlb_ctx_init(const smmuv3 *s, const smmu_txcfg *cfg, tlb_ctx *c)
{
    unsigned kind = tlb_kind(cfg);
    unsigned regime = cfg->ste.regime & 3;
    uint64_t base = TAG_VALID | ((uint64_t)kind << TAG_KIND_SHIFT) |
                    ((uint64_t)regime << TAG_REGIME_SHIFT);
    /* VMID tag: NS-EL1 regime, when stage 2 is implemented (3.17). */
    if (regime == SMMU_REGIME_EL1 && s->cfg.s2p)
        base |= (uint64_t)vmid_bits(s, cfg->ste.s2.vmid) << TAG_VMID_SHIFT;
    c->kind = kind;
    if (kind != KIND_S2 && regime_has_asid(regime)) {
        c->tag_ng = base | ((uint64_t)asid_bits(s, cfg->cd.asid) << TAG_ASID_SHIFT);
        c->tag_g = base | TAG_GLOBAL | (cfg->cd.aset ? TAG_ASET : 0);
    } else {
        c->tag_ng = base;
        c->tag_g = 0;
    }
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
    e->stamp = ++s->tlb->tick;
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
            return tlb_hit(s, &t->entries[t->slots[i].tag >> TAG_BITS], addr, out);
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
    tlb_ctx c;
    tlb_ctx_init(s, cfg, &c);
    uint64_t addr = tlb_input(cfg, c.kind, iova);
    if (tlb_find_class(s, t, c.kind * 2, c.tag_ng, addr, out))
        return true;
    if (c.tag_g && tlb_find_class(s, t, c.kind * 2 + 1, c.tag_g, addr, out))
        return true;
    s->stats.tlb_misses++;
    return false;
}

/* ------------------------------------------------------------ insert */
/* The least recently used of a sample (all entries when there are few). */
static unsigned tlb_victim(smmu_tlb *t)
{
    unsigned best = 0;
    uint32_t best_age = 0;
    bool all = t->count <= TLB_SAMPLES;
    for (unsigned k = 0; k < (all ? t->count : TLB_SAMPLES); k++) {
        unsigned i = k;
        if (!all) {
            t->rng ^= t->rng << 13;
            t->rng ^= t->rng >> 7;
            t->rng ^= t->rng << 17;
            i = (unsigned)((t->rng >> 32) * t->count >> 32);
        }
        uint32_t age = t->tick - t->entries[i].stamp;
        if (k == 0 || age > best_age) {
            best = i;
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
    uint64_t mask = (1ull << sz) - 1;
    uint64_t off = addr & mask;
    uint64_t key = tlb_key(addr, sz);

    smmu_xlate xb = *x;
    xb.pa -= off;
    xb.ipa -= off;

    uint32_t si = tlb_probe(t, key, tag);
    if (si != UINT32_MAX) {
        /* Same tags and region: the newer walk replaces the older result. */
        tlb_entry *e = &t->entries[t->slots[si].tag >> TAG_BITS];
        e->x = xb;
        e->stamp = ++t->tick;
        return;
    }
    if (t->count == t->cap) {
        tlb_remove(t, tlb_victim(t));
        s->stats.tlb_evictions++;
    }
    unsigned idx = t->count++;
    tlb_entry *e = &t->entries[idx];
    e->base = addr & ~mask;
    e->tag = tag;
    e->stamp = ++t->tick;
    e->x = xb;
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t i = tlb_home(t, key, tag);
    while (t->slots[i].tag)
        i = (i + 1) & m;
    t->slots[i].key = key;
    t->slots[i].tag = tag | ((uint64_t)idx << TAG_BITS);
    e->slot = i;
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
        uint64_t end = e->base + ((1ull << e->x.size_log2) - 1);
        if (end < e->base)
            end = UINT64_MAX;
        if (e->base > sc->last || end < sc->first)
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

static void tlb_invalidate(smmuv3 *s, const tlb_scope *sc)
{
    smmu_tlb *t = s->tlb;
    if (!t)
        return;
    unsigned i = 0;
    uint64_t n = 0;
    while (i < t->count) {
        if (tlb_in_scope(sc, &t->entries[i])) {
            tlb_remove(t, i);   /* the last entry moved into i: look at i again */
            n++;
        } else {
            i++;
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
        sc.kinds = ALL_KINDS;
        break;
    case SMMUV3_CMD_TLBI_EL2_ASID:
        /* 4.4.2.10: non-global NS-EL2-E2H entries by ASID; EL2 (no ASID)
         * entries are not required to be invalidated. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL2_E2H);
        sc.kinds = ALL_KINDS;
        sc.by_asid = true;
        sc.asid = asid_bits(s, fget(cmd, F_CMD_TLBI_EL2_ASID_asid));
        break;
    case SMMUV3_CMD_TLBI_EL2_VA:
        /* 4.4.2.8: with CR2.E2H == 1, NS-EL2-E2H entries whose ASID
         * matches (or global) and VA matches; with E2H == 0, NS-EL2 entries
         * by VA, the ASID parameter ignored. */
        sc.kinds = ALL_KINDS;
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
        sc.kinds = ALL_KINDS;
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
