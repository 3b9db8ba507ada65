/* SPDX-License-Identifier: MIT */
/*
 * Permission checks of a completed translation (VMSAv8-64 stage 1 and stage 2
 * access permissions, as the SMMU applies them: IHI 0070 3.x, 5.4 CD.WXN/PAN,
 * 13.1 PnU/InD after the STE PRIVCFG/INSTCFG overrides). The walker calls the
 * per-stage checks while it walks (stage 1 before the stage 2 walk of the
 * output IPA, as the Arm architecture orders them); smmu_perm_check() runs
 * both for a TLB hit and gives the same fault.
 *
 * Choices (documented CONSTRAINED/IMPLEMENTATION choices):
 * - An instruction fetch needs only execute permission (AArch64 semantics:
 *   execute is not conditional on read permission), at both stages.
 * - A write is always a data access (InD == 0 when RnW == 0, 7.3), so the
 *   exec flag of a write is ignored.
 * - CD.UWXN applies to VMSAv8-32 contexts only and is ignored (AArch64 only).
 * - STRW=EL2 (no E2H): one privilege level; AP[1] and PXN are ignored, XN is
 *   the UXN/XN bit; PAN does not apply.
 */
#include "model/walk/walk_int.h"

static int perm_fault(smmu_fault *f, bool s2)
{
    f->event = SMMUV3_EVT_F_PERMISSION;
    f->s2 = s2;
    f->cls = SMMU_CLASS_IN;
    f->ipa = 0;
    f->fetch_addr = 0;
    f->ttrnw = false;
    return 1;
}

/* The R/W/X a stage 1 leaf grants to an access of privilege `priv`
 * (13.7.1 readable/writable/executable_by_privlevel). AP[2:1] is p->ap
 * (bit 1 = AP[2] read-only, bit 0 = AP[1] EL0 access). */
unsigned smmu_perm_s1_rwx(const smmu_txcfg *cfg, const smmu_perm *p, bool priv)
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
unsigned smmu_perm_s2_rwx(const smmuv3 *s, const smmu_perm *p, bool priv)
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

/* Whether `granted` permits the access; an ATS Translation Request only needs
 * some permission (the completion says which, 13.7.1). */
static bool access_ok(unsigned granted, const smmu_access *acc)
{
    if (acc->ats)
        return granted != 0;
    if (acc->exec && !acc->write)
        return (granted & SMMUV3_PERM_X) != 0;
    if (acc->write)
        return (granted & SMMUV3_PERM_W) != 0;
    return (granted & SMMUV3_PERM_R) != 0;
}

int smmu_perm_check_s1(const smmu_txcfg *cfg, const smmu_perm *p, const smmu_access *acc, smmu_fault *f)
{
    unsigned granted = smmu_perm_s1_rwx(cfg, p, acc->priv);
    if (acc->ats) {
        /* 3.9.1.2: when stage 1 grants the Translation Request nothing it
         * can use, the walk stops there (no stage 2 walk of the IPA, no
         * stage 2 fault): R or W, or with INSTCFG == Instruction, where
         * every read is a fetch, X or W (13.7.1). */
        unsigned usable = cfg->ste.instcfg == 3 ? SMMUV3_PERM_X | SMMUV3_PERM_W : SMMUV3_PERM_R | SMMUV3_PERM_W;
        return (granted & usable) ? 0 : perm_fault(f, false);
    }
    return access_ok(granted, acc) ? 0 : perm_fault(f, false);
}

int smmu_perm_check_s2(const smmuv3 *s, const smmu_perm *p, const smmu_access *acc, smmu_fault *f)
{
    return access_ok(smmu_perm_s2_rwx(s, p, acc->priv), acc) ? 0 : perm_fault(f, true);
}

int smmu_perm_check(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_xlate *x,
                    const smmu_access *acc, smmu_fault *f)
{
    if (x->perm.s1 && smmu_perm_check_s1(cfg, &x->perm, acc, f))
        return 1;
    if (x->perm.s2 && smmu_perm_check_s2(s, &x->perm, acc, f)) {
        f->ipa = x->ipa;   /* stage 2 fault on the final IPA: CLASS=IN with the IPA (7.3.13) */
        return 1;
    }
    return 0;
}
