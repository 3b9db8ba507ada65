/* SPDX-License-Identifier: MIT */
/*
 * vSTE verdicts for an accelerated vSMMU (smmuv3/vsmmu.h): what a guest STE
 * asks a host SMMU to do. One code path with the model: the STE goes through
 * smmu_ste_decode (ste.c, IHI 0070 5.2 and its SteIllegal pseudocode), and
 * the verdict follows from what the model decoded. Bit positions come from
 * the STE field table (fields/fields_def.h); none is written here.
 */
#include <string.h>
#include "model/smmu.h"

/* The STE fields a host nests for a guest stage 1 (API.md, "Virtualization
 * helpers"): dword 0 V, Config, S1Fmt, S1ContextPtr, S1CDMax; dword 1 S1DSS,
 * S1CIR, S1COR, S1CSH, S1STALLD, EATS. */
static const uint32_t vste_fields[] = {
    F_STE_v, F_STE_config, F_STE_s1fmt, F_STE_s1contextptr, F_STE_s1cdmax,
    F_STE_s1dss, F_STE_s1cir, F_STE_s1cor, F_STE_s1csh, F_STE_s1stalld, F_STE_eats,
};

static void vste_keep(const uint64_t raw[8], uint64_t out[2])
{
    out[0] = out[1] = 0;
    for (size_t i = 0; i < sizeof(vste_fields) / sizeof(vste_fields[0]); i++) {
        uint32_t f = vste_fields[i];
        out[SMMU_FWORD(f)] |= raw[SMMU_FWORD(f)] & smmu_fmask(f);
    }
}

static int vste_classify(const smmuv3 *s, const uint64_t ste[8], smmuv3_vste *out);

int smmuv3_vste_classify(const smmuv3 *s, const uint64_t ste[8], smmuv3_vste *out)
{
    if (!s)
        return vste_classify(s, ste, out);   /* clears *out, says EINVAL */
    smmuv3 *w = (smmuv3 *)s;   /* the lock is not part of the value */
    smmu_lock(w);
    int rc = vste_classify(s, ste, out);
    smmu_unlock(w);
    return rc;
}

static int vste_classify(const smmuv3 *s, const uint64_t ste[8], smmuv3_vste *out)
{
    if (out)
        memset(out, 0, sizeof(*out));
    if (!s || !ste || !out)
        return SMMUV3_EINVAL;
    out->kind = SMMUV3_VSTE_INVALID;

    smmu_ste dec;
    if (smmu_ste_decode(s, ste, &dec))
        return 0;                            /* V == 0 or ILLEGAL: C_BAD_STE for the guest */
    switch (dec.config) {
    case SMMU_STE_CFG_ABORT:                 /* 0b000 and the Reserved 0b001..0b011 */
        out->kind = SMMUV3_VSTE_ABORT;
        return 0;
    case SMMU_STE_CFG_BYPASS:
        out->kind = SMMUV3_VSTE_BYPASS;
        return 0;
    case SMMU_STE_CFG_S1:
        break;
    default:                                 /* stage 2 and nested: the host owns stage 2 */
        return 0;
    }

    out->kind = SMMUV3_VSTE_S1;
    vste_keep(ste, out->ste);
    /* Fields this profile IGNORES are not handed to a host that may honour
     * them (5.2): without substreams S1CDMax (and with it S1Fmt and S1DSS),
     * without ATS EATS. */
    if (s->cfg.ssidsize == 0) {
        fset(out->ste, F_STE_s1cdmax, 0);
        fset(out->ste, F_STE_s1fmt, 0);
        fset(out->ste, F_STE_s1dss, 0);
    }
    if (!rget(s->idr[0], F_IDR0_ats))
        fset(out->ste, F_STE_eats, 0);
    return 0;
}
