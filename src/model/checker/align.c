/* SPDX-License-Identifier: MIT */
/*
 * Table pointers of the structures a configuration lookup reads (checked as
 * each is read, whether the lookup then succeeds or faults) and the TLB tags
 * of cached configurations (driver checker).
 *
 * MISALIGNED: pointers whose low bits the SMMU ignores because the table
 * they point to must be aligned to its size (the model walks from the
 * aligned-down address, so the driver's table is read from the wrong place):
 *   S1ContextPtr of a linear CD table (5.2: aligned to 64 << S1CDMax),
 *   S1ContextPtr of a 2-level L1 CD table (5.2: to its size, at least 64),
 *   L1STD.L2Ptr (5.1: to the size of its level 2 table, 64 << (Span - 1)),
 *   L1CD.L2Ptr with 64KB leaf tables (5.3: L2Ptr[15:12] RES0),
 *   CD.TTB0/TTB1 and STE.S2TTB (5.4, 5.2: aligned to the starting-level
 *   table, with stage 2 concatenation; 64 bytes with a 52-bit output).
 * TAG_ALIAS (3.17): two live configurations (both in the configuration
 * cache) whose translations share an IOTLB tag (stage kind, regime, VMID
 * where the regime has one and stage 2 is implemented, ASID for stage 1)
 * but walk different tables or with a different TCR/VTCR: the IOTLB serves
 * entries cached for one to the other.
 */
#include "model/checker/checker.h"

static unsigned lvl_shift(unsigned g, unsigned level)
{
    return g + (3 - level) * (g - 3);
}

static void misaligned(smmuv3 *s, const char *what, uint64_t addr, unsigned align_log2, const char *sect)
{
    uint64_t mask = align_log2 >= 64 ? ~0ull : (1ull << align_log2) - 1;
    smmu_chk *c = s->chk;
    int key = SMMUV3_DIAG_MISALIGNED | (c->cur_secure ? SMMU_CHK_SEC : 0);
    if (!(addr & mask) || !smmu_chk_once(s, key, c->cur_sid, c->cur_ssid, addr))
        return;
    smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, c->cur_sid, c->cur_ssid, addr,
                    "%s 0x%llx (%sStreamID %u) is not aligned to %llu bytes as its table requires: the SMMU "
                    "ignores the low bits and uses 0x%llx (IHI 0070 %s)",
                    what, (unsigned long long)addr, smmu_chk_sw(c->cur_secure), c->cur_sid,
                    (unsigned long long)mask + 1, (unsigned long long)(addr & ~mask), sect);
}

/* Alignment of a stage 1 starting-level table (as the walker computes it). */
static unsigned s1_table_align(const smmuv3 *s, const smmu_cd *cd, const smmu_tt_cfg *tt)
{
    unsigned g = tt->granule;
    if (g != 12 && g != 14 && g != 16)
        return 0;
    unsigned max = (g == 16 && s->cfg.vax) ? 52 : 48;
    unsigned inbits = tt->tsz >= 64 ? 0 : 64 - tt->tsz;
    if (inbits > max)
        inbits = max;
    if (inbits <= g)
        return 0;
    unsigned stride = g - 3, levels = (inbits - g + stride - 1) / stride;
    unsigned align = inbits - lvl_shift(g, 4 - levels) + 3;
    unsigned ps = cd->ips ? cd->ips : s->cfg.oas;
    if (ps >= 52 && align < 6)
        align = 6;
    return align;
}

static unsigned s2_table_align(const smmuv3 *s, const smmu_s2_cfg *s2)
{
    unsigned g = s2->granule;
    if ((g != 12 && g != 14 && g != 16) || s2->start_level > 3)
        return 0;
    unsigned max = g == 16 ? 52 : 48;
    if (s->cfg.oas < max)
        max = s->cfg.oas;
    unsigned inbits = s2->tsz >= 64 ? 0 : 64 - s2->tsz;
    if (inbits > max)
        inbits = max;
    unsigned sh = lvl_shift(g, s2->start_level);
    if (inbits <= sh)
        return 0;
    return inbits - sh + 3;
}

static void ste_tables(smmuv3 *s, const smmu_ste *ste)
{
    if (smmu_ste_s1(ste) && ste->s1cdmax) {
        if (ste->s1fmt == 0) {
            misaligned(s, "S1ContextPtr of a linear CD table", ste->s1contextptr, ste->s1cdmax + 6u,
                       "5.2 S1ContextPtr");
        } else {
            unsigned leaf = ste->s1fmt == 1 ? 6 : 10;
            unsigned l1bits = ste->s1cdmax > leaf ? ste->s1cdmax - leaf : 0;
            misaligned(s, "S1ContextPtr of an L1 CD table", ste->s1contextptr, l1bits + 3 < 6 ? 6 : l1bits + 3,
                       "5.2 S1ContextPtr");
        }
    }
    if (smmu_ste_s2(ste)) {
        unsigned a = s2_table_align(s, &ste->s2);
        if (a)
            misaligned(s, "STE.S2TTB", ste->s2.ttb, a, "5.2 S2TTB");
        /* A Secure STE's Secure IPA space: the same geometry (3.10.2.2). */
        if (a && ste->s2.secure)
            misaligned(s, "STE.S_S2TTB", ste->s2.s_ttb, a, "3.10.2.2, 5.2 S_S2TTB");
    }
}

static void cd_tables(smmuv3 *s, const smmu_ste *ste, const smmu_cd *cd)
{
    for (unsigned h = 0; h < 2; h++) {
        const smmu_tt_cfg *tt = &cd->tt[h];
        if (tt->epd || (h == 1 && ste->regime == SMMU_REGIME_EL2))
            continue;
        unsigned a = s1_table_align(s, cd, tt);
        if (a)
            misaligned(s, h ? "CD.TTB1" : "CD.TTB0", tt->ttb, a, "5.4 TTB0/TTB1");
    }
}

/* An invalid L1STD (Span 0) in a 2-level stream table at l1pa: a valid STE
 * where a linear table would hold this StreamID's is an STE written at the
 * linear-table slot (5.1, 6.3.25 FMT), which the SMMU never reads. */
static void linear_slot(smmuv3 *s, uint64_t l1pa)
{
    smmu_chk *c = s->chk;
    const smmu_regs *b = smmu_bank(s, c->cur_secure);
    unsigned sidsize = c->cur_secure ? s->cfg.s_sidsize : s->cfg.sidsize;
    unsigned split = (unsigned)rget(b->strtab_base_cfg, F_STRTAB_BASE_CFG_split);
    if (split != 6 && split != 8 && split != 10)
        split = 6;
    unsigned l2size = (unsigned)rget(b->strtab_base_cfg, F_STRTAB_BASE_CFG_log2size);
    if (l2size > sidsize)
        l2size = sidsize;
    uint64_t base = l1pa - (l2size > split ? (uint64_t)(c->cur_sid >> split) * 8 : 0);
    uint64_t pa = base + (uint64_t)c->cur_sid * 64, w[8];
    uint8_t buf[64];
    smmu_ste ste;
    if (smmu_host_read_pas(s, !c->cur_secure, pa, buf, sizeof(buf)))
        return;
    le_load(w, buf, 8);
    int key = SMMUV3_DIAG_MISALIGNED | (c->cur_secure ? SMMU_CHK_SEC : 0);
    if (!(w[0] & 1) || smmu_ste_decode_sec(s, w, &ste, c->cur_secure) || ste.config == SMMU_STE_CFG_ABORT ||
        !smmu_chk_once(s, key, c->cur_sid, c->cur_ssid, pa))
        return;
    smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, c->cur_sid, c->cur_ssid, pa,
                    "%sStreamID %u has no valid L1STD in the 2-level stream table, but a valid STE sits at PA "
                    "0x%llx, its slot in a linear table: the STE was written as if the table were linear and "
                    "the SMMU never reads it (IHI 0070 5.1, 6.3.25)",
                    smmu_chk_sw(c->cur_secure), c->cur_sid, (unsigned long long)pa);
}

void smmu_chk_rec_tables(smmuv3 *s, const smmu_chk_rec *r)
{
    smmu_chk *c = s->chk;
    switch (r->kind) {
    case SMMU_CHK_L1STD: {
        unsigned span = (unsigned)fget(r->w, F_L1STD_span);
        if (span >= 1 && span <= 12)
            misaligned(s, "L1STD.L2Ptr", fget_addr(r->w, F_L1STD_l2ptr), span + 5, "5.1 L2Ptr");
        else if (span == 0)
            linear_slot(s, r->pa);
        break;
    }
    case SMMU_CHK_STE:
        c->ste_ok = smmu_ste_decode_sec(s, r->w, &c->cur_ste, c->cur_secure) == 0;
        if (c->ste_ok)
            ste_tables(s, &c->cur_ste);
        break;
    case SMMU_CHK_L1CD:
        if (c->ste_ok && c->cur_ste.s1fmt == 2 && fget(r->w, F_L1CD_v))
            misaligned(s, "L1CD.L2Ptr of a 64KB leaf table", fget_addr(r->w, F_L1CD_l2ptr), 16, "5.3 L2Ptr");
        break;
    default: {
        smmu_cd cd;
        if (c->ste_ok && smmu_cd_decode(s, &c->cur_ste, r->w, &cd) == 0)
            cd_tables(s, &c->cur_ste, &cd);
        break;
    }
    }
}

/* ------------------------------------------------------------ TAG_ALIAS */
enum { K_NONE, K_S1, K_S2, K_NESTED };

static unsigned tag_kind(const smmu_txcfg *cfg)
{
    bool s1 = cfg->has_cd && smmu_ste_s1(&cfg->ste), s2 = smmu_ste_s2(&cfg->ste);
    return s1 && s2 ? K_NESTED : s1 ? K_S1 : s2 ? K_S2 : K_NONE;
}

/* The IOTLB tag of a configuration's non-global entries (tlb.c's rules). */
static uint64_t tag_of(const smmuv3 *s, const smmu_txcfg *cfg)
{
    unsigned kind = tag_kind(cfg), regime = cfg->ste.regime & 3;
    uint64_t t = (uint64_t)kind << 40 | (uint64_t)regime << 36 | (uint64_t)cfg->ste.secure << 44;
    if (regime == SMMU_REGIME_EL1 && s->cfg.s2p)
        t |= (uint64_t)(s->cfg.vmid16 ? cfg->ste.s2.vmid : cfg->ste.s2.vmid & 0xff) << 16;
    if (kind != K_S2 && regime != SMMU_REGIME_EL2)
        t |= s->cfg.asid16 ? cfg->cd.asid : cfg->cd.asid & 0xff;
    return t;
}

static bool tt_same(const smmu_tt_cfg *a, const smmu_tt_cfg *b)
{
    if (a->epd && b->epd)
        return true;
    return a->epd == b->epd && a->ttb == b->ttb && a->tsz == b->tsz && a->granule == b->granule;
}

/* Whether two configurations with the same tag translate differently. */
static const char *tables_differ(const smmu_txcfg *a, const smmu_txcfg *b)
{
    unsigned kind = tag_kind(a);
    if (kind != K_S2) {
        if (!tt_same(&a->cd.tt[0], &b->cd.tt[0]) || !tt_same(&a->cd.tt[1], &b->cd.tt[1]))
            return "stage 1 tables (TTB0/TTB1, T0SZ/T1SZ, TG0/TG1)";
        if (a->cd.ips != b->cd.ips)
            return "CD.IPS";
    }
    if (kind != K_S1) {
        const smmu_s2_cfg *x = &a->ste.s2, *y = &b->ste.s2;
        if (x->ttb != y->ttb || x->tsz != y->tsz || x->granule != y->granule || x->sl0 != y->sl0 ||
            x->ps != y->ps)
            return "stage 2 tables (S2TTB, S2T0SZ, S2TG, S2SL0, S2PS)";
    }
    return NULL;
}

bool smmu_chk_alias(smmuv3 *s, const smmu_txcfg *cfg, uint32_t sid, uint32_t ssid,
                    bool (*explains)(smmuv3 *s, const smmu_txcfg *other, void *ctx), void *ctx)
{
    smmu_chk *c = s->chk;
    if (tag_kind(cfg) == K_NONE)
        return false;
    uint64_t tag = tag_of(s, cfg);
    for (uint32_t j = 0; j < c->nshadow; j++) {
        const smmu_chk_shadow *o = &c->shadow[j];
        if (!o->valid || !smmu_cfgcache_slot_live(s, j, o->secure, o->sid, o->ssv, o->ssid))
            continue;
        if (tag_kind(&o->cfg) != tag_kind(cfg) || tag_of(s, &o->cfg) != tag)
            continue;
        const char *what = tables_differ(cfg, &o->cfg);
        if (!what || (explains && !explains(s, &o->cfg, ctx)))
            continue;
        bool sec = cfg->ste.secure;
        if (!smmu_chk_once(s, SMMUV3_DIAG_TAG_ALIAS | (sec ? SMMU_CHK_SEC : 0), sid, ssid,
                           (uint64_t)o->sid << 32 | o->ssid))
            return true;
        bool s1 = tag_kind(cfg) != K_S2;
        smmu_chk_report(s, SMMUV3_DIAG_TAG_ALIAS, sid, ssid, 0,
                        "%sStreamID %u and %sStreamID %u share the TLB tag %s %u / VMID %u but differ in %s: "
                        "IOTLB entries cached for one serve the other (IHI 0070 3.17)",
                        smmu_chk_sw(sec), sid, smmu_chk_sw(sec), o->sid, s1 ? "ASID" : "(stage 2)",
                        s1 ? (unsigned)cfg->cd.asid : 0u, (unsigned)cfg->ste.s2.vmid, what);
        return true;
    }
    return false;
}
