/* SPDX-License-Identifier: MIT */
/* The IOTLB's invalidation commands (IHI 0070 4.4): each TLBI_* command's
 * scope as a predicate over entries, found by hash probes when the scope is
 * narrow and by one pass over the dense index otherwise (see tlb_int.h).
 *
 * Security state (3.10.2, 4.4): every scope is of one Security state. A
 * Non-secure scope (the Non-secure queue's commands, and the commands the
 * Secure queue runs with Non-secure scope: TLBI_EL2_*, S12_VMALL, S2_IPA,
 * NSNH_ALL) never removes an entry of a Secure stream; a Secure scope (the
 * Secure queue's TLBI_NH_*, EL3_*, S_EL2_*, S_S12_VMALL, S_S2_IPA, SNH_ALL)
 * never removes a Non-secure one. Only SMMU_S_INIT.INV_ALL empties both. */
#include <stdlib.h>
#include <string.h>
#include "model/tlb/tlb_int.h"

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
    bool     secure;       /* Secure streams' entries (TAG_SECURE), else Non-secure ones */
} tlb_scope;

static bool tlb_in_scope(const tlb_scope *sc, const tlb_entry *e)
{
    uint64_t tag = e->tag;
    unsigned kind = (tag >> TAG_KIND_SHIFT) & 3;
    unsigned regime = (tag >> TAG_REGIME_SHIFT) & 3;
    if (!(sc->kinds & KINDBIT(kind)) || !(sc->regimes & REGIMEBIT(regime)))
        return false;
    if (((tag & TAG_SECURE) != 0) != sc->secure)
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
    unsigned n = 0, n0 = 0;
    for (unsigned regime = 0; regime < 4; regime++) {
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
    for (; n0 < n && sc->secure; n0++)
        tags[n0] |= TAG_SECURE;
    return n;
}

/* The aligned blocks of every size present that overlap the scope's range,
 * for each tag: with `removed` NULL only counted (false as soon as there are
 * more than `budget`), else probed and the entries in scope removed. Nested
 * entries can match from anywhere in their stage 1 mapping (tlb_in_scope):
 * their range is widened to the largest one present. */
static bool probe_blocks(smmu_tlb *t, const tlb_scope *sc, const uint64_t tags[], const unsigned cls[],
                         unsigned nt, uint64_t budget, uint64_t *removed)
{
    uint64_t wmask = (!sc->s2_hint && t->nest_s1_max) ? (1ull << t->nest_s1_max) - 1 : 0;
    uint64_t cost = 0;
    for (unsigned k = 0; k < nt; k++) {
        uint64_t m = t->mask[cls[k]];
        bool wide = cls[k] / 2 == KIND_NESTED;
        uint64_t first = wide ? sc->first & ~wmask : sc->first, last = wide ? sc->last | wmask : sc->last;
        while (m) {
            unsigned sz = (unsigned)__builtin_ctzll(m);
            m &= m - 1;
            if (!removed) {
                cost += (last >> sz) - (first >> sz) + 1;
                if (cost > budget)
                    return false;
                continue;
            }
            for (uint64_t j = first >> sz; j <= last >> sz; j++) {
                uint32_t i = tlb_probe(t, j | ((uint64_t)sz << KEY_SIZE_SHIFT), tags[k]);
                if (i != UINT32_MAX && tlb_in_scope(sc, &t->e[i])) {
                    smmu_tlb_remove(t, i);
                    ++*removed;
                }
                if (j == UINT64_MAX >> sz)
                    break;
            }
        }
    }
    return true;
}

/* Invalidate by hash probes. false (nothing done) when that would cost more
 * than a pass over the entries. */
static bool tlb_invalidate_probe(smmuv3 *s, const tlb_scope *sc, uint64_t *removed)
{
    smmu_tlb *t = s->tlb;
    uint64_t tags[4 * KIND_COUNT * 3];
    unsigned cls[4 * KIND_COUNT * 3];
    if (!sc->by_addr)
        return false;
    unsigned nt = scope_tags(s, sc, tags, cls);
    if (!nt)
        return false;
    uint64_t budget = t->count / 2 + 8;
    return probe_blocks(t, sc, tags, cls, nt, budget, NULL) && probe_blocks(t, sc, tags, cls, nt, 0, removed);
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
            if (tlb_in_scope(sc, &t->e[k])) {
                smmu_tlb_remove(t, k);   /* the last entry moved into k: look again */
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
    sc->vmid_care = smmu_inval_vmid_care(s, sc->secure);
}

/* The stage 1 kinds: entries that hold stage 1 information. */
#define S1_KINDS (KINDBIT(KIND_S1) | KINDBIT(KIND_NESTED))

/* NH_* commands match the VMID only when stage 2 is implemented (4.4.2):
 * for Secure entries, Secure stage 2 (SMMU_S_IDR1.SEL2; 4.4.2.1-4). */
static void scope_nh_vmid(const smmuv3 *s, tlb_scope *sc, uint64_t vmid)
{
    if (sc->secure ? s->cfg.sel2 : s->cfg.s2p)
        scope_vmid(s, sc, vmid);
}

/* The NH_* commands: stage 1 EL1 entries (not EL2) of the VMID (4.4.2.1-4).
 * Stage 2-only entries hold no stage 1 information and stay. */
static void scope_nh(const smmuv3 *s, tlb_scope *sc, uint64_t vmid)
{
    sc->regimes = REGIMEBIT(SMMU_REGIME_EL1);
    sc->kinds = S1_KINDS;
    scope_nh_vmid(s, sc, vmid);
}

/* Non-global entries by ASID; `globals`: global entries too, whatever their ASID. */
static void scope_asid(const smmuv3 *s, tlb_scope *sc, uint64_t asid, bool globals)
{
    sc->by_asid = true;
    sc->globals = globals;
    sc->asid = asid_bits(s, asid);
}

/* A Secure-scope opcode as the Non-secure opcode of the same layout and
 * shape of scope (4.4.2.11-14, 4.4.3.3-4, 4.4.4.2); others unchanged. */
static unsigned secure_alias(unsigned opcode)
{
    switch (opcode) {
    case SMMUV3_CMD_TLBI_S_EL2_ALL: return SMMUV3_CMD_TLBI_EL2_ALL;
    case SMMUV3_CMD_TLBI_S_EL2_ASID: return SMMUV3_CMD_TLBI_EL2_ASID;
    case SMMUV3_CMD_TLBI_S_EL2_VA: return SMMUV3_CMD_TLBI_EL2_VA;
    case SMMUV3_CMD_TLBI_S_EL2_VAA: return SMMUV3_CMD_TLBI_EL2_VAA;
    case SMMUV3_CMD_TLBI_S_S12_VMALL: return SMMUV3_CMD_TLBI_S12_VMALL;
    case SMMUV3_CMD_TLBI_S_S2_IPA: return SMMUV3_CMD_TLBI_S2_IPA;
    case SMMUV3_CMD_TLBI_SNH_ALL: return SMMUV3_CMD_TLBI_NSNH_ALL;
    default: return opcode;
    }
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

#define ALL_KINDS (KINDBIT(KIND_S1) | KINDBIT(KIND_S2) | KINDBIT(KIND_NESTED))
#define EL2_REGIMES (REGIMEBIT(SMMU_REGIME_EL2) | REGIMEBIT(SMMU_REGIME_EL2_E2H))
/* The EL2 regimes are stage 1-only (3.17.5): EL2 commands name S1_KINDS. */

void smmu_tlb_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure)
{
    if (!s || !cmd)
        return;
    tlb_scope sc;
    memset(&sc, 0, sizeof(sc));
    sc.secure = secure;
    /* The current E2H (of the Security state's CR2) selects which EL2
     * entries EL2_VA/EL2_VAA (S_EL2_VA/VAA) affect. */
    bool e2h = rget(smmu_bank(s, secure)->cr2, F_CR2_e2h) != 0;
    switch (secure ? secure_alias(opcode) : opcode) {
    case SMMUV3_CMD_TLBI_NH_ALL:
        /* 4.4.2.1: like VMALLE1, all stage 1 NS-EL1 entries (not EL2) for
         * VMID, global ones included. */
        scope_nh(s, &sc, fget(cmd, F_CMD_TLBI_NH_ALL_vmid));
        break;
    case SMMUV3_CMD_TLBI_NH_ASID:
        /* 4.4.2.2: like ASIDE1, stage 1 NS-EL1 non-global entries by ASID
         * and VMID (3.17.1: global entries are not in scope). */
        scope_nh(s, &sc, fget(cmd, F_CMD_TLBI_NH_ASID_vmid));
        scope_asid(s, &sc, fget(cmd, F_CMD_TLBI_NH_ASID_asid), false);
        break;
    case SMMUV3_CMD_TLBI_NH_VA:
        /* 4.4.2.4: like VA{L}E1, stage 1 NS-EL1 entries by VMID, ASID and
         * VA, and global entries by VMID and VA whatever their ASID. The
         * TLB holds only last-level entries, so Leaf does not narrow it
         * (the walk cache handles Leaf == 0). */
        scope_nh(s, &sc, fget(cmd, F_CMD_TLBI_NH_VA_vmid));
        scope_asid(s, &sc, fget(cmd, F_CMD_TLBI_NH_VA_asid), true);
        SCOPE_VA(s, &sc, cmd, TLBI_NH_VA);
        break;
    case SMMUV3_CMD_TLBI_NH_VAA:
        /* 4.4.2.3: like VAA{L}E1, stage 1 NS-EL1 entries by VA for all
         * ASIDs in VMID, global ones included. */
        scope_nh(s, &sc, fget(cmd, F_CMD_TLBI_NH_VAA_vmid));
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
        scope_asid(s, &sc, fget(cmd, F_CMD_TLBI_EL2_ASID_asid), false);
        break;
    case SMMUV3_CMD_TLBI_EL2_VA:
        /* 4.4.2.8: with CR2.E2H == 1, NS-EL2-E2H entries whose ASID
         * matches (or global) and VA matches; with E2H == 0, NS-EL2 entries
         * by VA, the ASID parameter ignored. */
        sc.kinds = S1_KINDS;
        if (e2h) {
            sc.regimes = REGIMEBIT(SMMU_REGIME_EL2_E2H);
            scope_asid(s, &sc, fget(cmd, F_CMD_TLBI_EL2_VA_asid), true);
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
        /* 4.4.4.1: like Non-secure ALLE1, every non-EL2 entry at all stages.
         * Secure (SNH_ALL, 4.4.4.2): every Secure non-Hyp entry, Secure
         * EL1 at all stages and EL3. */
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL1) | (secure ? REGIMEBIT(SMMU_REGIME_EL3) : 0);
        sc.kinds = ALL_KINDS;
        break;
    case SMMUV3_CMD_TLBI_EL3_ALL:
    case SMMUV3_CMD_TLBI_EL3_VA:
        /* 4.4.2.5/6: EL3 entries only (Secure queue: cmdq.c rejects these
         * on the Non-secure one), all of them or by VA (no ASID). */
        if (!secure)
            return;
        sc.regimes = REGIMEBIT(SMMU_REGIME_EL3);
        sc.kinds = S1_KINDS;
        if (opcode == SMMUV3_CMD_TLBI_EL3_VA)
            SCOPE_VA(s, &sc, cmd, TLBI_EL3_VA);
        break;
    default:
        return;
    }
    tlb_invalidate(s, &sc);
}
