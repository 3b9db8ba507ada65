/* SPDX-License-Identifier: MIT */
/* The IOTLB's storage: life cycle, lookup and insertion (the tagging, the
 * structure and the replacement policy are described in tlb_int.h; the
 * invalidation commands are in tlb_inval.c). */
#include <stdlib.h>
#include <string.h>
#include "model/tlb/tlb_int.h"
#include "model/hash.h"

/* Empty index slot `hole`: later slots of the probe run move back when
 * their home is not between the hole and them (linear probing deletion by
 * backward shift); their entries learn their new slot. */
static void tlb_slot_delete(smmu_tlb *t, uint32_t hole)
{
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t j = hole;
    for (;;) {
        j = (j + 1) & m;
        uint64_t v = t->slots[j];
        if (!v)
            break;
        uint32_t home = tlb_home32(t, SLOT_HASH(v));
        /* keep it at j when home lies cyclically in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays)
            continue;
        t->slots[hole] = v;
        t->e[SLOT_POS(v)].slot = hole;
        hole = j;
    }
    t->slots[hole] = 0;
}

/* ------------------------------------------------------------ life cycle */
smmu_tlb *smmu_tlb_new(unsigned entries)
{
    if (entries > TLB_MAX_ENTRIES)
        entries = TLB_MAX_ENTRIES;
    unsigned bits = 0;
    while (entries && (1ull << bits) < 2ull * entries)
        bits++;
    /* entries are cache-line sized: align them to lines (and fail, not
     * wrap, where size_t is too small for the table). The arrays come
     * zeroed from smmu_array_alloc (a pooled block is memset, a huge one is
     * fresh zero pages); a flush clears only the occupied slots, or the
     * whole index when most are */
    size_t nslot = entries ? (size_t)1 << bits : 0;
    if (nslot > (SIZE_MAX - 64) / sizeof(tlb_entry))   /* nslot >= entries */
        return NULL;
    void *p[4];
    smmu_tlb *t = smmu_table_new(sizeof(*t), p, 4,
                                 (size_t[]){ NCLASS * 64, entries ? entries * sizeof(tlb_entry) + 64 : 0, nslot, entries },
                                 (size_t[]){ sizeof(uint32_t), 1, sizeof(uint64_t), sizeof(uint32_t) });
    if (!t)
        return NULL;
    t->cap = entries;
    t->slot_bits = bits;
    t->rng = SMMU_HASH_K;
    t->sizes = p[0];
    t->e_mem = p[1];
    t->slots = p[2];
    t->stamp = p[3];
    if (t->e_mem)
        t->e = (tlb_entry *)(((uintptr_t)t->e_mem + 63) & ~(uintptr_t)63);
    return t;
}

void smmu_tlb_free(smmu_tlb *t)
{
    if (t)
        smmu_table_free(t, (void *[]){ t->e_mem, t->slots, t->stamp, t->sizes }, 4);
}

/* Dense position of the last hit or insert; stable until the next removal
 * from the table, and every removal empties the fast path (smmu_state_changed). */
uint32_t smmu_tlb_last(const smmuv3 *s)
{
    return s->tlb ? s->tlb->last : 0;
}

void smmu_tlb_flush(smmuv3 *s)
{
    smmu_tlb *t = s ? s->tlb : NULL;
    if (!t)
        return;
    smmu_state_changed(s);
    if (t->count * 8ull < (1ull << t->slot_bits)) {
        for (unsigned d = 0; d < t->count; d++)
            t->slots[t->e[d].slot] = 0;
    } else if (t->slots) {
        memset(t->slots, 0, ((size_t)1 << t->slot_bits) * sizeof(*t->slots));
    }
    memset(t->sizes, 0, NCLASS * 64 * sizeof(*t->sizes));
    memset(t->mask, 0, sizeof(t->mask));
    t->count = 0;
    t->nest_s1_max = 0;
}

/* Remove the entry at dense position d (tlb_int.h). */
void smmu_tlb_remove(smmu_tlb *t, uint32_t d)
{
    tlb_entry *e = &t->e[d];
    unsigned cls = tag_class(e->tag), sz = e->x.size_log2;
    if (--t->sizes[cls * 64 + sz] == 0)
        t->mask[cls] &= ~(1ull << sz);
    tlb_slot_delete(t, e->slot);
    unsigned last = --t->count;
    if (d != last) {
        *e = t->e[last];
        t->stamp[d] = t->stamp[last];
        t->slots[e->slot] = (t->slots[e->slot] & ~(uint64_t)UINT32_MAX) | (d + 1);
    }
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

static void tlb_ctx_init(const smmuv3 *s, const smmu_txcfg *cfg, tlb_ctx *c)
{
    unsigned kind = tlb_kind(cfg);
    unsigned regime = cfg->ste.regime & 3;
    uint16_t vmid = vmid_bits(s, cfg->ste.s2.vmid);
    c->kind = kind;
    c->tag_ng = make_tag(s, kind, regime, vmid, asid_bits(s, cfg->cd.asid), false, false);
    c->tag_g = (kind != KIND_S2 && regime_has_asid(regime))
                   ? make_tag(s, kind, regime, vmid, 0, true, cfg->cd.aset) : 0;
    if (cfg->ste.secure) {
        c->tag_ng |= TAG_SECURE;
        if (c->tag_g)
            c->tag_g |= TAG_SECURE;
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
static inline bool tlb_hit(smmuv3 *s, uint32_t d, uint64_t addr, smmu_xlate *out)
{
    const tlb_entry *e = &s->tlb->e[d];
    uint64_t off = addr & ((1ull << e->x.size_log2) - 1);
    *out = e->x;
    out->pa += off;
    out->ipa += off;   /* the walker gives stage 1-only results ipa == pa */
    s->tlb->stamp[d] = tlb_use(s->tlb);
    s->tlb->last = d;
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
            return tlb_hit(s, i, addr, out);
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
    uint64_t sec = cfg->ste.secure ? TAG_SECURE : 0;
    uint64_t tag = make_tag(s, kind, regime, vmid, asid_bits(s, cfg->cd.asid), false, false) | sec;
    if (tlb_find_class(s, t, kind * 2, tag, addr, out))
        return true;
    /* Global entries (3.17.1), in regimes with ASIDs. */
    if (t->mask[kind * 2 + 1] && kind != KIND_S2 && regime_has_asid(regime)) {
        tag = make_tag(s, kind, regime, vmid, 0, true, cfg->cd.aset) | sec;
        if (tlb_find_class(s, t, kind * 2 + 1, tag, addr, out))
            return true;
    }
    s->stats.tlb_misses++;
    return false;
}

/* ------------------------------------------------------------ insert */
/* A nested entry caching a stage 1 mapping larger than itself widens the
 * probes of stage 1 invalidations by VA (tlb_inval.c probe_blocks): keep
 * nest_s1_max covering it, for a new entry and for one a later walk replaced
 * (its stage 1 page may since have become part of a block, 3.21.1.3). */
static inline void tlb_note_nested(smmu_tlb *t, unsigned kind, const smmu_xlate *x)
{
    if (kind == KIND_NESTED) {
        unsigned m = s1_map_log2(x);
        if (m > x->size_log2 && m < 64 && m > t->nest_s1_max)
            t->nest_s1_max = (uint8_t)m;
    }
}

/* The least recently used of a sample (all entries when there are few):
 * returns its dense position. */
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
            best = d;
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

    uint32_t d = tlb_probe(t, key, tag);
    if (d != UINT32_MAX) {
        /* Same tags and region: the newer walk replaces the older result
         * (a write that marked a writable-clean page dirty, or a nested
         * translation that cached it meanwhile); the memo may hold
         * shortcuts to the old one. */
        smmu_state_changed(s);
        tlb_note_nested(t, c.kind, x);
        tlb_entry *e = &t->e[d];
        e->x = *x;
        e->x.pa -= off;
        e->x.ipa -= off;
        t->stamp[d] = tlb_use(t);
        t->last = d;
        return;
    }
    if (t->count == t->cap) {
        smmu_tlb_remove(t, tlb_victim(t));
        s->stats.tlb_evictions++;
        smmu_state_changed(s);
    }
    uint32_t m = (1u << t->slot_bits) - 1;
    uint32_t h = tlb_hash32(key, tag);
    uint32_t i = tlb_home32(t, h);
    while (t->slots[i])
        i = (i + 1) & m;
    tlb_note_nested(t, c.kind, x);
    d = t->count++;
    tlb_entry *e = &t->e[d];
    e->key = key;
    e->tag = tag;
    e->slot = i;
    e->x = *x;
    e->x.pa -= off;
    e->x.ipa -= off;
    t->slots[i] = (uint64_t)h << 32 | (d + 1);
    t->stamp[d] = tlb_use(t);
    t->last = d;
    if (t->sizes[cls * 64 + sz]++ == 0)
        t->mask[cls] |= 1ull << sz;
}
