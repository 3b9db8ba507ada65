/* SPDX-License-Identifier: MIT */
/* The R/W/X (SMMUV3_PERM_*) a stage 1 or stage 2 leaf grants to an access of
 * privilege `priv` (after PRIVCFG), as the checks of walk/perm.c apply them.
 * Inline: they are on the path of every translation (walk, TLB hit check,
 * translate.c's result, ATS completions). */
#ifndef SMMU_WALK_PERM_H
#define SMMU_WALK_PERM_H

#include "model/smmu.h"

/* The R/W/X a stage 1 leaf grants to an access of privilege `priv`
 * (13.7.1 readable/writable/executable_by_privlevel). AP[2:1] is p->ap
 * (bit 1 = AP[2] read-only, bit 0 = AP[1] EL0 access). */
static inline unsigned smmu_perm_s1_rwx(const smmu_txcfg *cfg, const smmu_perm *p, bool priv)
{
    bool ro = (p->ap & 2) != 0;
    bool el0 = (p->ap & 1) != 0;
    /* IHI 0070 3.13.8 (note), Arm ARM: with HA and HD a DBM == 1 descriptor
     * has an effective AP[2] of 0, so a writable-clean region is writable for
     * execute permission (EL0-writable: PXN; WXN) although a write still
     * re-walks to mark it dirty (w below stays as in memory). */
    bool xro = ro && !p->dbm;
    bool r, w, wx, xn, pan = false;

    if (smmu_regime_one_range(cfg->ste.regime)) {
        r = true;
        w = !ro;
        wx = !xro;
        xn = p->uxn;
    } else if (priv) {
        r = true;
        w = !ro;
        wx = !xro;
        /* A region writable at EL0 is never executable at EL1 (VMSAv8-64). */
        xn = p->pxn || (el0 && !xro);
        /* PAN: no privileged data access to EL0-accessible pages (CD.PAN, 5.4). */
        pan = cfg->has_cd && cfg->cd.pan && el0;
    } else {
        r = el0;
        w = el0 && !ro;
        wx = el0 && !xro;
        xn = p->uxn;
    }
    /* WXN: writable at the accessing privilege means execute-never (CD.WXN). */
    if (cfg->has_cd && cfg->cd.wxn && wx)
        xn = true;
    if (pan)
        r = w = false;
    return (r ? SMMUV3_PERM_R : 0u) | (w ? SMMUV3_PERM_W : 0u) | (xn ? 0u : SMMUV3_PERM_X);
}

/* Stage 2: S2AP[0] read, S2AP[1] write; XN[1:0] with IDR3.XNX, else XN[1]. */
static inline unsigned smmu_perm_s2_rwx(const smmuv3 *s, const smmu_perm *p, bool priv)
{
    bool xn;
    if (s->cfg.xnx) {
        switch (p->s2xn & 3) {
        case 0: xn = false; break;           /* executable at EL1 and EL0 */
        case 1: xn = priv; break;            /* not at EL1 (PXN) */
        case 2: xn = true; break;            /* at neither */
        default: xn = !priv; break;          /* not at EL0 (UXN) */
        }
    } else {
        xn = (p->s2xn & 2) != 0;
    }
    return ((p->s2ap & 1) ? SMMUV3_PERM_R : 0u) | ((p->s2ap & 2) ? SMMUV3_PERM_W : 0u) |
           (xn ? 0u : SMMUV3_PERM_X);
}

/* Both stages of a translation: what each that translates grants. */
static inline unsigned smmu_perm_rwx(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_perm *p, bool priv)
{
    unsigned g = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
    if (p->s1)
        g &= smmu_perm_s1_rwx(cfg, p, priv);
    if (p->s2)
        g &= smmu_perm_s2_rwx(s, p, priv);
    return g;
}

#endif
