/* SPDX-License-Identifier: MIT */
/*
 * Walk cache: intermediate (table) descriptors, IHI 0070 16.2 / 4.4 TLB
 * invalidation. A direct-mapped array of cfg.walk_entries entries (0 = off).
 * An entry is keyed by the descriptor's PA, the input-address region it
 * covers, the stage, ASID/VMID and regime; it holds the raw descriptor, so
 * the walker processes a hit exactly as a fresh read. Invalidation follows
 * the TLBI scope (ASID, VMID, address range, stage); Leaf=1 commands leave
 * intermediate entries alone. Where a scope is doubtful the cache
 * over-invalidates, which the architecture always permits, but never across
 * Security states (3.10.2): a command's scope is the Secure streams' entries
 * (the Secure queue's Secure-scope TLBIs) or the Non-secure ones.
 *
 * Cost: a dense list of the valid entries makes a flush or a scoped
 * invalidation cost the entries present, never the capacity; creating the
 * cache is the zeroing of its arrays (model/arrays.c), no pass over entries.
 */
#include <stdlib.h>
#include "model/walk/walk_int.h"
#include "model/hash.h"

typedef struct wc_entry {
    smmu_wc_key k;
    uint64_t desc;
    bool valid;
    uint32_t dpos;           /* position in the dense list while valid */
} wc_entry;

struct smmu_walkcache {
    unsigned n;
    wc_entry *e;
    uint32_t *dense;         /* dense[0 .. count): the valid entries */
    uint32_t count;
};

static void wc_remove(smmu_walkcache *w, uint32_t i)
{
    wc_entry *e = &w->e[i];
    uint32_t last = w->dense[--w->count];
    w->dense[e->dpos] = last;
    w->e[last].dpos = e->dpos;
    e->valid = false;
}

smmu_walkcache *smmu_walkcache_new(unsigned entries)
{
    void *p[2];
    smmu_walkcache *w = smmu_table_new(sizeof(*w), p, 2, (size_t[]){ entries, entries },
                                       (size_t[]){ sizeof(wc_entry), sizeof(uint32_t) });
    if (!w)
        return NULL;
    w->n = entries;
    w->e = p[0];
    w->dense = p[1];
    return w;
}

void smmu_walkcache_free(smmu_walkcache *w)
{
    if (w)
        smmu_table_free(w, (void *[]){ w->e, w->dense }, 2);
}

void smmu_walkcache_flush(smmuv3 *s)
{
    smmu_walkcache *w = s->wc;
    if (!w)
        return;
    for (uint32_t d = 0; d < w->count; d++)
        w->e[w->dense[d]].valid = false;
    w->count = 0;
}

static unsigned wc_index(const smmu_walkcache *w, const smmu_wc_key *k)
{
    uint64_t h = k->desc_pa * SMMU_HASH_K;
    h ^= (k->in_base >> k->shift) * 0xc2b2ae3d27d4eb4full;
    h ^= ((uint64_t)k->asid << 16 | k->vmid) * 0x165667b19e3779f9ull;
    h ^= h >> 29;
    return smmu_hash_range(h, w->n);
}

static bool key_eq(const smmu_wc_key *a, const smmu_wc_key *b)
{
    return a->desc_pa == b->desc_pa && a->in_base == b->in_base && a->asid == b->asid &&
           a->vmid == b->vmid && a->stage == b->stage && a->regime == b->regime &&
           a->level == b->level && a->shift == b->shift && a->anyvmid == b->anyvmid &&
           a->ns == b->ns && a->secure == b->secure;
}

bool smmu_walkcache_lookup(smmuv3 *s, const smmu_wc_key *k, uint64_t *desc)
{
    smmu_walkcache *w = s->wc;
    if (!w || !w->n)
        return false;
    const wc_entry *e = &w->e[wc_index(w, k)];
    if (!e->valid || !key_eq(&e->k, k))
        return false;
    *desc = e->desc;
    s->stats.walk_cache_hits++;
    return true;
}

void smmu_walkcache_insert(smmuv3 *s, const smmu_wc_key *k, uint64_t desc)
{
    smmu_walkcache *w = s->wc;
    if (!w || !w->n)
        return;
    uint32_t i = wc_index(w, k);
    wc_entry *e = &w->e[i];
    if (!e->valid) {
        e->dpos = w->count;
        w->dense[w->count++] = i;
    }
    e->k = *k;
    e->desc = desc;
    e->valid = true;
}

/* ------------------------------------------------------------ invalidation */
typedef struct wc_scope {
    bool s1, s2;
    bool match_vmid, match_asid, match_range;
    bool el2_only;           /* EL2 / EL2-E2H (Secure: and EL3) stage 1 entries only */
    bool secure;             /* Secure streams' entries, else Non-secure ones */
    uint16_t vmid, asid;
    uint16_t vmid_care;      /* the VMID bits compared (implemented, less the wildcard's) */
    uint64_t lo, hi;         /* inclusive range, bits [55:0] */
} wc_scope;

#define WC_ADDR_MASK ((1ull << 56) - 1)

/* Address range of a VA/IPA-based TLBI (TG=0: the one address; else the range, 4.4). */
static void scope_range(wc_scope *sc, uint64_t addr, uint64_t tg, uint64_t num, uint64_t scale)
{
    addr &= WC_ADDR_MASK;
    sc->match_range = true;
    sc->lo = addr;
    sc->hi = addr;
    if (tg == 0)
        return;
    unsigned g = tg == 1 ? 12 : tg == 2 ? 14 : 16;
    unsigned sh = (unsigned)scale + g;
    uint64_t len = sh >= 56 ? WC_ADDR_MASK : (num + 1) << sh;
    if (len > WC_ADDR_MASK - addr)
        sc->hi = WC_ADDR_MASK;
    else
        sc->hi = addr + len - 1;
}

static bool scope_match(const wc_scope *sc, const wc_entry *e)
{
    const smmu_wc_key *k = &e->k;
    if (k->secure != sc->secure)
        return false;
    if (k->stage == SMMU_WC_S1 ? !sc->s1 : !sc->s2)
        return false;
    if (sc->el2_only && k->regime == SMMU_REGIME_EL1)
        return false;
    /* Over-invalidate where the tag does not apply: stage 1 entries of streams
     * without stage 2 match any VMID, and EL2 (non-E2H) entries any ASID. */
    if (sc->match_vmid && !k->anyvmid && ((k->vmid ^ sc->vmid) & sc->vmid_care))
        return false;
    if (sc->match_asid && !smmu_regime_one_range(k->regime) && k->asid != sc->asid)
        return false;
    if (sc->match_range) {
        uint64_t lo = k->in_base & WC_ADDR_MASK;
        uint64_t hi = lo + ((1ull << k->shift) - 1);
        if (hi > WC_ADDR_MASK)
            hi = WC_ADDR_MASK;
        if (hi < sc->lo || lo > sc->hi)
            return false;
    }
    return true;
}

/* A Secure-scope opcode as the Non-secure one of the same layout and scope
 * shape (4.4.2.11-14, 4.4.3.3-4, 4.4.4.2; EL3_* as EL2_*: over-invalidating
 * Secure EL2 entries with them is permitted). */
static unsigned secure_alias(unsigned opcode)
{
    switch (opcode) {
    case SMMUV3_CMD_TLBI_S_EL2_ALL: case SMMUV3_CMD_TLBI_EL3_ALL: return SMMUV3_CMD_TLBI_EL2_ALL;
    case SMMUV3_CMD_TLBI_S_EL2_ASID: return SMMUV3_CMD_TLBI_EL2_ASID;
    case SMMUV3_CMD_TLBI_S_EL2_VA: return SMMUV3_CMD_TLBI_EL2_VA;
    case SMMUV3_CMD_TLBI_S_EL2_VAA: case SMMUV3_CMD_TLBI_EL3_VA: return SMMUV3_CMD_TLBI_EL2_VAA;
    case SMMUV3_CMD_TLBI_S_S12_VMALL: return SMMUV3_CMD_TLBI_S12_VMALL;
    case SMMUV3_CMD_TLBI_S_S2_IPA: return SMMUV3_CMD_TLBI_S2_IPA;
    case SMMUV3_CMD_TLBI_SNH_ALL: return SMMUV3_CMD_TLBI_NSNH_ALL;
    default: return opcode;
    }
}

/* What each TLBI command removes from the walk cache (4.4): the stages it
 * reaches, whether only EL2 (Secure: and EL3) stage 1 entries, and the fields
 * of the command that narrow it (0: not narrowed by that). A command by
 * address with Leaf == 1 leaves the walk cache alone: it holds no last-level
 * entries. NSNH_ALL (SNH_ALL) is every entry of the Security state. */
enum { WC_S1 = 1, WC_S2 = 2, WC_EL2 = 4 };
typedef struct wc_rule {
    unsigned opcode;
    unsigned what;                          /* WC_* */
    uint32_t vmid, asid;                    /* fields */
    uint32_t leaf, addr, tg, num, scale;    /* fields; addr 0: every address */
} wc_rule;

#define VMID_(OP) F_CMD_TLBI_##OP##_vmid
#define ASID_(OP) F_CMD_TLBI_##OP##_asid
#define RANGE_(OP) F_CMD_TLBI_##OP##_leaf, F_CMD_TLBI_##OP##_address, F_CMD_TLBI_##OP##_tg, \
                   F_CMD_TLBI_##OP##_num, F_CMD_TLBI_##OP##_scale
#define ALL_ 0, 0, 0, 0, 0
#define R_(OP, what, vmid, asid, range) { SMMUV3_CMD_TLBI_##OP, what, vmid, asid, range }
static const wc_rule wc_rules[] = {
    R_(NH_ALL, WC_S1, VMID_(NH_ALL), 0, ALL_),
    R_(NH_ASID, WC_S1, VMID_(NH_ASID), ASID_(NH_ASID), ALL_),
    R_(NH_VA, WC_S1, VMID_(NH_VA), ASID_(NH_VA), RANGE_(NH_VA)),
    R_(NH_VAA, WC_S1, VMID_(NH_VAA), 0, RANGE_(NH_VAA)),
    R_(EL2_ALL, WC_S1 | WC_EL2, 0, 0, ALL_),
    R_(EL2_ASID, WC_S1 | WC_EL2, 0, ASID_(EL2_ASID), ALL_),
    R_(EL2_VA, WC_S1 | WC_EL2, 0, ASID_(EL2_VA), RANGE_(EL2_VA)),
    R_(EL2_VAA, WC_S1 | WC_EL2, 0, 0, RANGE_(EL2_VAA)),
    R_(S12_VMALL, WC_S1 | WC_S2, VMID_(S12_VMALL), 0, ALL_),
    R_(S2_IPA, WC_S2, VMID_(S2_IPA), 0, RANGE_(S2_IPA)),
    R_(NSNH_ALL, WC_S1 | WC_S2, 0, 0, ALL_),
};
#undef R_
#undef ALL_
#undef RANGE_
#undef ASID_
#undef VMID_

void smmu_walkcache_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure)
{
    smmu_walkcache *w = s->wc;
    if (!w || !w->n)
        return;
    if (secure)
        opcode = secure_alias(opcode);
    const wc_rule *r = NULL;
    for (size_t i = 0; i < sizeof(wc_rules) / sizeof(wc_rules[0]) && !r; i++)
        if (wc_rules[i].opcode == opcode)
            r = &wc_rules[i];
    /* EL3 on the Non-secure queue (ILLEGAL there) and non-TLBI opcodes */
    if (!r || (r->addr && fget(cmd, r->leaf)))
        return;
    wc_scope sc = { 0 };
    sc.secure = secure;
    sc.s1 = (r->what & WC_S1) != 0;
    sc.s2 = (r->what & WC_S2) != 0;
    sc.el2_only = (r->what & WC_EL2) != 0;
    /* With 8-bit ASIDs or VMIDs (IDR0.ASID16/VMID16 == 0) the upper byte of
     * the command's field is RES0 and ignored (4.1.3: detecting it is
     * optional; cmdq.c ignores RES0 fields), exactly as the IOTLB matches
     * (tlb_inval.c): the keys here hold the implemented bits only. The VMID
     * wildcard (3.17.6) applies to every command that matches on VMID, stage
     * 1 or stage 2 (smmu_inval_vmid_care, shared with the IOTLB). */
    sc.match_vmid = r->vmid != 0;
    sc.vmid_care = smmu_inval_vmid_care(s, secure);
    if (r->vmid)
        sc.vmid = (uint16_t)(fget(cmd, r->vmid) & sc.vmid_care);
    sc.match_asid = r->asid != 0;
    if (r->asid)
        sc.asid = (uint16_t)(fget(cmd, r->asid) & (s->cfg.asid16 ? 0xffff : 0xff));
    if (r->addr)
        scope_range(&sc, fget_addr(cmd, r->addr), fget(cmd, r->tg), fget(cmd, r->num), fget(cmd, r->scale));
    /* backwards: a removal moves the last entry into the hole */
    for (uint32_t d = w->count; d-- > 0;) {
        uint32_t i = w->dense[d];
        if (scope_match(&sc, &w->e[i]))
            wc_remove(w, i);
    }
}
