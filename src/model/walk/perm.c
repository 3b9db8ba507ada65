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
#include "model/walk/perm.h"

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

static int check_s1(const smmu_txcfg *cfg, unsigned granted, const smmu_access *acc, smmu_fault *f)
{
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

int smmu_perm_check_s1(const smmu_txcfg *cfg, const smmu_perm *p, const smmu_access *acc, smmu_fault *f)
{
    return check_s1(cfg, smmu_perm_s1_rwx(cfg, p, acc->priv), acc, f);
}

int smmu_perm_check_s2(const smmuv3 *s, const smmu_perm *p, const smmu_access *acc, smmu_fault *f)
{
    return access_ok(smmu_perm_s2_rwx(s, p, acc->priv), acc) ? 0 : perm_fault(f, true);
}

int smmu_perm_check(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_xlate *x,
                    const smmu_access *acc, smmu_fault *f, unsigned *granted)
{
    unsigned g = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
    if (x->perm.s1) {
        g = smmu_perm_s1_rwx(cfg, &x->perm, acc->priv);
        if (check_s1(cfg, g, acc, f))
            return 1;
    }
    if (x->perm.s2) {
        unsigned g2 = smmu_perm_s2_rwx(s, &x->perm, acc->priv);
        if (!access_ok(g2, acc)) {
            perm_fault(f, true);
            f->ipa = x->ipa;   /* stage 2 fault on the final IPA: CLASS=IN with the IPA (7.3.13) */
            return 1;
        }
        g &= g2;
    }
    if (granted)
        *granted = g;
    return 0;
}
