/* SPDX-License-Identifier: MIT */
/*
 * CD decode and validation (IHI 0070 5.4, pseudocode CdIllegal in 5.4.2).
 * Profile: AArch64 tables only (IDR0.TTF = 0b10), little-endian only
 * (TTENDIAN = 0b10), IDR3.STT from the profile (cfg.stt: TxSZ at most 48
 * with 4K/16K and 47 with 64K; without it at most 39), no DS/D128/PIE/HAFT,
 * SMMUv3.2 (an out-of-range TxSZ is ILLEGAL, not clamped).
 *
 * Choices:
 * - StreamWorld any-EL2 (STRW = EL2, E2H = 0): EPD0/EPD1 are IGNORED with an
 *   effective value of 0, and TTB1 does not exist (5.4 T1SZ: RES0), so the
 *   TTB1 half is decoded as disabled and not validated.
 * - IPS beyond the OAS is capped to the OAS (5.4 eff_IPS); 0b111 behaves as
 *   0b110 (52 bits). TTBx beyond the effective IPS, or beyond 48 bits with a
 *   4K/16K granule, is ILLEGAL (5.4.1).
 * - HADx is honoured only when IDR3.HAD == 1 (otherwise RES0: read as 0).
 * - {HA,HD} = 0b01 behaves as 0b00.
 */
#include <string.h>
#include "model/smmu.h"

/* CDTxSZInvalid (5.4.2) for VMSAv8-64 without DS. 5.4 T0SZ: the minimum is
 * 12 with VAX and the 64K granule, else 16; the maximum is 39 when
 * IDR3.STT == 0, and with IDR3.STT == 1 48 for a 4K or 16K granule, 47 for
 * 64K (small translation tables: one level 3 table of 16, 4 or 2 entries). */
static bool txsz_valid(const smmuv3 *s, unsigned tsz, unsigned granule)
{
    unsigned min = (s->cfg.vax && granule == 16) ? 12 : 16;
    unsigned max = !s->cfg.stt ? 39 : granule == 16 ? 47 : 48;
    return tsz >= min && tsz <= max;
}

/* The fields of each TTBx half, and its TGx encodings in bits (5.4.1). */
typedef struct cd_half {
    uint32_t tsz, tg, ir, or_, sh, ttb, nscfg, had;
    uint8_t granule[4];
} cd_half;
static const cd_half halves[2] = {
    { F_CD_t0sz, F_CD_tg0, F_CD_ir0, F_CD_or0, F_CD_sh0, F_CD_ttb0, F_CD_nscfg0, F_CD_had0, { 12, 16, 14, 0 } },
    { F_CD_t1sz, F_CD_tg1, F_CD_ir1, F_CD_or1, F_CD_sh1, F_CD_ttb1, F_CD_nscfg1, F_CD_had1, { 0, 14, 12, 16 } },
};

/* Decode and check one TTBx half; 0 or 1 (ILLEGAL). */
static int decode_half(const smmuv3 *s, const uint64_t *w, int half, unsigned ips, smmu_tt_cfg *t)
{
    const cd_half *h = &halves[half];
    t->tsz = (uint8_t)fget(w, h->tsz);
    t->granule = h->granule[fget(w, h->tg)];
    t->ir = (uint8_t)fget(w, h->ir);
    t->or_ = (uint8_t)fget(w, h->or_);
    t->sh = (uint8_t)fget(w, h->sh);
    t->ttb = fget_addr(w, h->ttb);
    t->nscfg = fget(w, h->nscfg);
    t->had = s->cfg.had && fget(w, h->had);
    if (t->epd)
        return 0;                             /* IGNORED (5.4.1.1) */
    if (!t->granule || !smmu_granule_supported(s, t->granule))
        return 1;
    if (!txsz_valid(s, t->tsz, t->granule))
        return 1;
    if (t->ttb >> ips)
        return 1;
    if (t->granule != 16 && (t->ttb >> 48))
        return 1;
    return 0;
}

int smmu_cd_decode(const smmuv3 *s, const smmu_ste *ste, const uint64_t raw[8], smmu_cd *o)
{
    memset(o, 0, sizeof(*o));
    if (!fget(raw, F_CD_v))
        return SMMUV3_EVT_C_BAD_CD;
    o->s = fget(raw, F_CD_s);
    o->r = fget(raw, F_CD_r);
    o->a = fget(raw, F_CD_a);
    if (ste->s1stalld && o->s)
        return SMMUV3_EVT_C_BAD_CD;
    if (s->cfg.term_model && !o->a)
        return SMMUV3_EVT_C_BAD_CD;
    if (smmu_stall_model(s, ste->secure) == SMMUV3_STALL_TERM_ONLY && o->s)
        return SMMUV3_EVT_C_BAD_CD;
    if (smmu_stall_model(s, ste->secure) == SMMUV3_STALL_FORCED && !o->s)
        return SMMUV3_EVT_C_BAD_CD;

    bool el2 = smmu_regime_one_range(ste->regime);
    o->tt[0].epd = el2 ? false : fget(raw, F_CD_epd0);
    o->tt[1].epd = el2 ? true : fget(raw, F_CD_epd1);

    o->endi = fget(raw, F_CD_endi);
    if ((!o->tt[0].epd || !o->tt[1].epd) && o->endi)
        return SMMUV3_EVT_C_BAD_CD;           /* TTENDIAN: little-endian only */
    o->aa64 = fget(raw, F_CD_aa64);
    if (!o->aa64)
        return SMMUV3_EVT_C_BAD_CD;           /* VMSAv8-32 LPAE not supported (TTF) */
    o->ha = fget(raw, F_CD_ha);
    o->hd = fget(raw, F_CD_hd);
    if ((o->ha || o->hd) && s->cfg.httu == 0)
        return SMMUV3_EVT_C_BAD_CD;
    if (o->hd && s->cfg.httu == 1)
        return SMMUV3_EVT_C_BAD_CD;
    if (!o->ha)
        o->hd = false;
    o->asid = (uint16_t)fget(raw, F_CD_asid);
    if (!el2 && !s->cfg.asid16 && (o->asid >> 8))
        return SMMUV3_EVT_C_BAD_CD;

    unsigned ips = smmu_ps_bits((unsigned)fget(raw, F_CD_ips));
    o->ips = (uint8_t)(ips < s->cfg.oas ? ips : s->cfg.oas);
    for (int i = 0; i < 2; i++)
        if (decode_half(s, raw, i, o->ips, &o->tt[i]))
            return SMMUV3_EVT_C_BAD_CD;

    o->tbi = (uint8_t)fget(raw, F_CD_tbi);
    if (el2)
        o->tbi &= 1;
    o->affd = fget(raw, F_CD_affd);
    o->wxn = fget(raw, F_CD_wxn);
    o->uwxn = fget(raw, F_CD_uwxn);
    o->pan = fget(raw, F_CD_pan);
    o->aset = fget(raw, F_CD_aset);
    o->mair = fget(raw, F_CD_mair0) | fget(raw, F_CD_mair1) << 32;
    return 0;
}
