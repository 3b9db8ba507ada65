/* SPDX-License-Identifier: MIT */
/*
 * The transaction path (IHI 0070 3.x): SMMUEN/GBPA, then the configuration
 * (StreamID -> STE -> CD), then the IOTLB or a walk, then the permission
 * check, then the fault handling (record, stall or terminate).
 */
#include <string.h>
#include "smmu.h"

/* PRIVCFG / INSTCFG (5.2 STE word 1): 0b00 use incoming, 0b01 reserved (treated
 * as use incoming), 0b10 force unprivileged / data, 0b11 force privileged /
 * instruction. */
void smmu_access_from_txn(const smmu_ste *ste, const smmuv3_txn *txn, smmu_access *acc)
{
    acc->write = (txn->flags & SMMUV3_TXN_WRITE) != 0;
    acc->exec = (txn->flags & SMMUV3_TXN_EXEC) != 0;
    acc->priv = (txn->flags & SMMUV3_TXN_PRIV) != 0;
    if (!ste)
        return;
    if (ste->privcfg == 2)
        acc->priv = false;
    else if (ste->privcfg == 3)
        acc->priv = true;
    if (ste->instcfg == 2)
        acc->exec = false;
    else if (ste->instcfg == 3)
        acc->exec = true;
}

/* Translation is not wired yet: every transaction that reaches the
 * configuration stage is terminated (issue 4 replaces this file). */
int smmuv3_translate(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    if (!s || !txn || !res)
        return SMMUV3_EINVAL;
    memset(res, 0, sizeof(*res));
    s->stats.translations++;
    res->outcome = SMMUV3_XLATE_ABORT;
    return SMMUV3_XLATE_ABORT;
}
