/* SPDX-License-Identifier: MIT */
/*
 * STE decode and validation (IHI 0070 5.2, pseudocode SteIllegal in 5.2.2).
 * Both Stream tables (Secure STEs: 3.10.2, STRW, S2SW/S2SA/S2NSW/S2NSA,
 * S_S2TTB, EATS/PPAR RES0, stall rules per SMMU_S_IDR0), AArch64 tables (IDR0.TTF =
 * 0b10), little-endian tables (IDR0.TTENDIAN = 0b10), no ATS, no MPAM/VMS,
 * no PBHA/S2PI/S2PO/DS/D128, IDR3.STT from the profile (cfg.stt: small
 * translation tables), and is SMMUv3.2 (so the SMMUv3.0 CONSTRAINED
 * UNPREDICTABLE choices on S2T0SZ and EATS do not arise: out-of-range values
 * are ILLEGAL).
 *
 * Choices:
 * - Config 0b001..0b011 are Reserved and behave as 0b000 (5.2): decoded as
 *   SMMU_STE_CFG_ABORT, no event.
 * - EATS (5.2) is IGNORED without IDR0.ATS and for Config abort/bypass
 *   (decoded as 0). With ATS: 0b01 is ILLEGAL with stage 2 and S2S == 1;
 *   0b10 is ILLEGAL unless Config == nested, S2S == 0 and IDR0.NS1ATS == 0;
 *   0b11 (DPT) is Reserved without IDR3.DPT and behaves as 0b00. The effect
 *   of SMMU_CR0.ATSCHK on 0b10 is applied at use (model/ats.c), not cached.
 * - PPAR is kept when PRI and substreams are implemented (RES0 otherwise).
 * - S1ContextPtr beyond the OAS (S1 only) or the IAS (= OAS, nested) is
 *   ILLEGAL (STES1ContextPtrOutOfRange in 5.2.2).
 * - S2PS 0b111 behaves as 0b110 (52 bits, SMMUv3.1..3.3), then is capped to
 *   the OAS; S2TTB beyond the effective S2PS, or beyond 48 bits with a 4K/16K
 *   granule, is ILLEGAL.
 * - Stage 2 start level (S2SL0 with S2TG, as VTCR_EL2): 4K 0/1/2 -> level
 *   2/1/0 (level 0 only with an OAS of 44 bits or more), 3 -> level 3 with
 *   IDR3.STT (FEAT_TTST), reserved without; 16K
 *   0/1/2 -> level 3/2/1 (level 1 only with an OAS of 42 bits or more; 3
 *   needs DS: reserved);
 *   64K 0/1 -> level 3/2, 2 -> level 1 only with an OAS of 44 bits or more
 *   (AArch64.S2InvalidSL; 3 reserved).
 *   S2T0SZ must fit the start level: more bits than the next level down
 *   resolves, at most 16 concatenated tables at the start level.
 * - S2T0SZ (and S_S2T0SZ) at most 39 without IDR3.STT; with it at most 48
 *   with a 4K/16K granule, 47 with 64K (5.2 S2T0SZ).
 */
#include <string.h>
#include "model/smmu.h"

/* PS/IPS encodings to bits; 0b111 behaves as 0b110 (v3.1 to v3.3). */
unsigned smmu_ps_bits(unsigned enc)
{
    static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 52 };
    return bits[enc & 7];
}

bool smmu_granule_supported(const smmuv3 *s, unsigned g)
{
    return (g == 12 && s->cfg.gran4k) || (g == 14 && s->cfg.gran16k) || (g == 16 && s->cfg.gran64k);
}

/* Start level of a stage 2 walk from S2SL0 and the granule, or -1 (reserved). */
static int s2_start_level(const smmuv3 *s, unsigned granule, unsigned sl0)
{
    switch (granule) {
    /* AArch64.S2InvalidSL: 4K level 0 needs PAMax >= 44, 16K level 1 needs PAMax >= 42 */
    case 12:
        /* 5.2 S2SL0 is encoded as VTCR_EL2.SL0: with a 4K granule 0b11 starts
         * at level 3 when small translation tables (FEAT_TTST, IDR3.STT) are
         * implemented, and is reserved otherwise. */
        if (sl0 == 3)
            return s->cfg.stt ? 3 : -1;
        return sl0 <= 1 ? 2 - (int)sl0 : sl0 == 2 && s->cfg.oas >= 44 ? 0 : -1;
    case 14: return sl0 <= 1 ? 3 - (int)sl0 : sl0 == 2 && s->cfg.oas >= 42 ? 1 : -1;
    case 16:
        if (sl0 <= 1)
            return 3 - (int)sl0;
        if (sl0 == 2 && s->cfg.oas >= 44) /* AArch64.S2InvalidSL: level 1 needs PAMax >= 44 */
            return 1;
        return -1;
    default: return -1;
    }
}

/* S2T0SZ against the start level (ARM ARM VTCR_EL2 consistency rules). */
static bool s2_walk_consistent(unsigned tsz, unsigned granule, int level)
{
    int ia = 64 - (int)tsz;
    int stride = (int)granule - 3;
    int max = (int)granule + (4 - level) * stride + 4;   /* 16 concatenated tables */
    int min = (int)granule + (3 - level) * stride + 1;
    return ia >= min && ia <= max;
}

/* 5.2 S2T0SZ (VMSAv8-64): at least MAX(16, 64-IAS) with 4K/16K (no S2DS),
 * MAX(12, 64-IAS) with 64K; at most 39 when IDR3.STT == 0, and with
 * IDR3.STT == 1 at most 48 with a 4K or 16K granule, 47 with 64K. */
static bool s2_t0sz_valid(const smmuv3 *s, unsigned tsz, unsigned granule)
{
    unsigned ias = s->cfg.oas;               /* no AArch32: IAS == OAS (3.4) */
    unsigned min = granule == 16 ? 12 : 16;
    if (64 - ias > min)
        min = 64 - ias;
    unsigned max = !s->cfg.stt ? 39 : granule == 16 ? 47 : 48;
    return tsz >= min && tsz <= max;
}

/* One stage 2 table's walk parameters (S2TTB with S2T0SZ/S2SL0/S2TG, or a
 * Secure STE's S_S2TTB with S_S2T0SZ/S_S2SL0/S_S2TG): nonzero when ILLEGAL
 * (5.2: a granule not implemented, a table beyond the effective S2PS, T0SZ
 * out of range, a start level inconsistent with T0SZ). */
static int s2_walk_decode(const smmuv3 *s, unsigned ps, uint64_t ttb, unsigned tsz, unsigned sl0,
                          unsigned tg, uint8_t *granule, uint8_t *start_level)
{
    static const uint8_t tgs[4] = { 12, 16, 14, 0 };
    unsigned g = tgs[tg & 3];
    if (!g || !smmu_granule_supported(s, g))
        return 1;
    if (ttb >> ps)
        return 1;                            /* beyond effective S2PS */
    if (g != 16 && (ttb >> 48))
        return 1;
    if (!s2_t0sz_valid(s, tsz, g))
        return 1;
    int level = s2_start_level(s, g, sl0);
    if (level < 0 || !s2_walk_consistent(tsz, g, level))
        return 1;
    *granule = (uint8_t)g;
    *start_level = (uint8_t)level;
    return 0;
}

/* The STE fields that decode copies as they are (each listed once, as
 * X(member of the decoded structure, field of the STE table); the checks and
 * the fields with rules of their own are written out below). */
#define STE_S2_FIELDS(X) \
    X(vmid, s2vmid) X(tsz, s2t0sz) X(sl0, s2sl0) X(ir0, s2ir0) X(or0, s2or0) X(sh0, s2sh0) \
    X(aa64, s2aa64) X(endi, s2endi) X(affd, s2affd) X(ptw, s2ptw) X(hd, s2hd) X(ha, s2ha) \
    X(s, s2s) X(r, s2r)
#define STE_S2_SECURE_FIELDS(X) \
    X(s_tsz, s_s2t0sz) X(s_sl0, s_s2sl0) X(sw, s2sw) X(sa, s2sa) X(nsw, s2nsw) X(nsa, s2nsa)
/* Attribute and permission overrides (IDR1.ATTR_TYPES_OVR/ATTR_PERMS_OVR = 1). */
#define STE_OVERRIDE_FIELDS(X) X(memattr) X(mtcfg) X(alloccfg) X(shcfg) X(nscfg) X(privcfg) X(instcfg) X(mev)
#define STE_S1_FIELDS(X) X(s1fmt) X(s1cdmax) X(s1dss) X(s1cir) X(s1cor) X(s1csh) X(s1stalld)
/* member = field (a narrower member takes the field's low bits, which hold it all) */
#define STE_COPY(m, f) o->m = fget(raw, F_STE_##f);
#define STE_COPY_SAME(m) STE_COPY(m, m)

static int decode_s2(const smmuv3 *s, const uint64_t *raw, smmu_s2_cfg *o, bool secure)
{
    unsigned stall_model = smmu_stall_model(s, secure);
    STE_S2_FIELDS(STE_COPY)
    o->fwb = s->cfg.fwb && fget(raw, F_STE_s2fwb);
    o->ttb = fget_addr(raw, F_STE_s2ttb);

    /* STALL model (5.5) */
    if (stall_model == SMMUV3_STALL_TERM_ONLY && o->s)
        return 1;
    if (stall_model == SMMUV3_STALL_FORCED && !o->s)
        return 1;
    if (!o->aa64)
        return 1;                            /* VMSAv8-32 LPAE not supported (TTF) */
    if ((o->ha || o->hd) && s->cfg.httu == 0)
        return 1;
    if (o->hd && s->cfg.httu == 1)
        return 1;
    unsigned ps = smmu_ps_bits((unsigned)fget(raw, F_STE_s2ps));
    o->ps = (uint8_t)(ps < s->cfg.oas ? ps : s->cfg.oas);
    if (s2_walk_decode(s, o->ps, o->ttb, o->tsz, o->sl0, (unsigned)fget(raw, F_STE_s2tg), &o->granule,
                       &o->start_level))
        return 1;
    if (o->endi)
        return 1;                            /* TTENDIAN == LE only */
    if (o->ha == false && o->hd)
        o->hd = false;                       /* {HA,HD} = 0b01 behaves as 0b00 */
    /* PA spaces (3.10.2.2): a Non-secure STE's are Non-secure; a Secure STE
     * has a second table, S_S2TTB, for its Secure IPA space, held to the same
     * rules as S2TTB, and the space of each access is chosen at use. */
    o->walk_ns = o->out_ns = o->ns_ipa = true;
    if (secure) {
        o->secure = true;
        o->s_ttb = fget_addr(raw, F_STE_s_s2ttb);
        STE_S2_SECURE_FIELDS(STE_COPY)
        /* The Secure IPA space's table: S_S2TTB with S_S2T0SZ, S_S2SL0 and
         * S_S2TG, encoded and checked as S2TTB's (5.2; VSTCR_EL2/VSTTBR_EL2
         * in the PE); S2PS, S2IR0/OR0/SH0 and the rest are shared. */
        if (s2_walk_decode(s, o->ps, o->s_ttb, o->s_tsz, o->s_sl0, (unsigned)fget(raw, F_STE_s_s2tg),
                           &o->s_granule, &o->s_start_level))
            return 1;
        smmu_s2_cfg ns_space;
        smmu_s2_space(o, true, &ns_space);
        *o = ns_space;
    }
    return 0;
}

int smmu_ste_decode_sec(const smmuv3 *s, const uint64_t raw[8], smmu_ste *o, bool secure)
{
    memset(o, 0, sizeof(*o));
    o->secure = secure;
    if (!fget(raw, F_STE_v))
        return SMMUV3_EVT_C_BAD_STE;
    /* RES0 otherwise (5.2); no Secure PRI queue */
    o->ppar = !secure && s->cfg.pri && s->cfg.ssidsize && fget(raw, F_STE_ppar);
    unsigned config = (unsigned)fget(raw, F_STE_config);
    if (!(config & 4)) {
        o->config = SMMU_STE_CFG_ABORT;      /* 0b0xx: abort, no event */
        return 0;
    }
    o->config = (uint8_t)config;
    bool s1 = smmu_ste_s1(o), s2 = smmu_ste_s2(o);
    if (s1 && !s->cfg.s1p)
        return SMMUV3_EVT_C_BAD_STE;
    if (s2 && !s->cfg.s2p)
        return SMMUV3_EVT_C_BAD_STE;
    if (s2 && secure && !s->cfg.sel2)
        return SMMUV3_EVT_C_BAD_STE;        /* 6.3.53: Secure stage 2 needs SEL2 */

    /* Attribute and permission overrides (IDR1.ATTR_TYPES_OVR/ATTR_PERMS_OVR = 1). */
    STE_OVERRIDE_FIELDS(STE_COPY_SAME)
    o->eats = 0;                             /* IGNORED without ATS or for bypass (5.2) */

    if (config == SMMU_STE_CFG_BYPASS)
        return 0;

    /* StreamWorld (5.2 STRW): used for stage-1-only configs with HYP. */
    o->strw = (uint8_t)fget(raw, F_STE_strw);
    o->regime = SMMU_REGIME_EL1;
    if (secure) {
        /* 5.2 STRW for Secure STEs, stage 1 only: 0b00 Secure, 0b01 EL3,
         * 0b10 S-EL2 / S-EL2-E2H (SMMU_S_CR2.E2H) with SEL2, 0b11 ILLEGAL;
         * with stage 2 the StreamWorld is Secure. */
        if (config != SMMU_STE_CFG_S1)
            o->strw = 0;
        else if (o->strw == 3 || (o->strw == 2 && !s->cfg.sel2))
            return SMMUV3_EVT_C_BAD_STE;
        else if (o->strw == 1)
            o->regime = SMMU_REGIME_EL3;
        else if (o->strw == 2)
            o->regime = rget(s->sr.cr2, F_CR2_e2h) ? SMMU_REGIME_EL2_E2H : SMMU_REGIME_EL2;
    } else if (config == SMMU_STE_CFG_S1 && s->cfg.hyp) {
        if (o->strw & 1)
            return SMMUV3_EVT_C_BAD_STE;     /* 0bx1 Reserved */
        if (o->strw == 2)
            o->regime = rget(s->r.cr2, F_CR2_e2h) ? SMMU_REGIME_EL2_E2H : SMMU_REGIME_EL2;
    } else {
        o->strw = 0;
    }

    if (s1) {
        o->s1contextptr = fget_addr(raw, F_STE_s1contextptr);
        STE_S1_FIELDS(STE_COPY_SAME)
        if (o->s1stalld && smmu_stall_model(s, secure) != SMMUV3_STALL_AND_TERM)
            return SMMUV3_EVT_C_BAD_STE;
        if (s->cfg.ssidsize == 0) {
            o->s1cdmax = 0;                  /* IGNORED */
        } else if (o->s1cdmax > s->cfg.ssidsize) {
            return SMMUV3_EVT_C_BAD_STE;
        }
        if (o->s1cdmax == 0) {
            o->s1fmt = 0;                    /* one CD */
            o->s1dss = 0;                    /* IGNORED */
        } else {
            if (!s->cfg.cd_2level && (o->s1fmt == 1 || o->s1fmt == 2))
                return SMMUV3_EVT_C_BAD_STE;
            if (o->s1fmt == 3)
                o->s1fmt = 0;                /* Reserved, behaves as 0b00 */
            if (o->s1dss == 3)
                o->s1dss = 0;                /* Reserved, behaves as 0b00 */
        }
        if (o->s1contextptr >> s->cfg.oas)
            return SMMUV3_EVT_C_BAD_STE;     /* PA beyond OAS / IPA beyond IAS */
    }

    if (s2) {
        if (decode_s2(s, raw, &o->s2, secure))
            return SMMUV3_EVT_C_BAD_STE;
    }

    if (s->cfg.ats && !secure) {             /* EATS is RES0 in a Secure STE (5.2) */
        unsigned eats = (unsigned)fget(raw, F_STE_eats);
        bool s2s = s2 && o->s2.s;
        if (eats == 1 && s2s)
            return SMMUV3_EVT_C_BAD_STE;
        if (eats == 2 && (config != SMMU_STE_CFG_NESTED || s2s || s->cfg.ns1ats))
            return SMMUV3_EVT_C_BAD_STE;
        o->eats = (uint8_t)(eats == 3 ? 0 : eats);   /* no DPT: 0b11 behaves as 0b00 */
    }

    /* S2VMID: not IGNORED when stage 2 translates, or stage 1 in NS-EL1 with S2P. */
    /* A Secure stage-1-only stream is tagged with VMID 0 (5.2 S2VMID). */
    bool vmid_used = s2 || (!secure && s->cfg.s2p && o->regime == SMMU_REGIME_EL1);
    uint16_t vmid = (uint16_t)fget(raw, F_STE_s2vmid);
    if (vmid_used) {
        if (!s->cfg.vmid16 && (vmid >> 8))
            return SMMUV3_EVT_C_BAD_STE;
        o->s2.vmid = vmid;
    }
    return 0;
}

/* PRIVCFG / INSTCFG (5.2 STE word 1): 0b00 use incoming, 0b01 reserved (behaves
 * as 0b00), 0b10 force unprivileged / data, 0b11 force privileged /
 * instruction. INSTCFG affects reads only: writes are always Data (5.2). */
void smmu_access_from_txn(const smmu_ste *ste, const smmuv3_txn *txn, smmu_access *acc)
{
    acc->write = (txn->flags & SMMUV3_TXN_WRITE) != 0;
    acc->exec = !acc->write && (txn->flags & SMMUV3_TXN_EXEC) != 0;
    acc->priv = (txn->flags & SMMUV3_TXN_PRIV) != 0;
    acc->ats = false;
    acc->ns = true;
    if (!ste)
        return;
    /* A Secure stream's input NS attribute (SMMUV3_TXN_NS) after STE.NSCFG
     * (5.2; IDR1.ATTR_PERMS_OVR == 1); a Non-secure stream's is Non-secure. */
    if (ste->secure)
        acc->ns = smmu_nscfg_apply(ste->nscfg, (txn->flags & SMMUV3_TXN_NS) != 0);
    if (ste->privcfg == 2)
        acc->priv = false;
    else if (ste->privcfg == 3)
        acc->priv = true;
    if (!acc->write) {
        if (ste->instcfg == 2)
            acc->exec = false;
        else if (ste->instcfg == 3)
            acc->exec = true;
    }
}
