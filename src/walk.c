/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the walker arrives with issue 5; until then every walk faults. */
#include <stdlib.h>
#include "smmu.h"

int smmu_walk(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_access *acc, smmu_xlate *out, smmu_fault *f) { SMMU_UNUSED(s); SMMU_UNUSED(cfg); SMMU_UNUSED(iova); SMMU_UNUSED(acc); SMMU_UNUSED(out); f->event = SMMUV3_EVT_F_TRANSLATION; return 1; }
int smmu_walk_s2(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc, uint8_t cls, smmu_xlate *out, smmu_fault *f) { SMMU_UNUSED(s); SMMU_UNUSED(s2); SMMU_UNUSED(ipa); SMMU_UNUSED(acc); SMMU_UNUSED(out); f->event = SMMUV3_EVT_F_TRANSLATION; f->s2 = true; f->cls = cls; return 1; }
int smmu_perm_check(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_xlate *x, const smmu_access *acc, smmu_fault *f) { SMMU_UNUSED(s); SMMU_UNUSED(cfg); SMMU_UNUSED(x); SMMU_UNUSED(acc); f->event = SMMUV3_EVT_F_PERMISSION; return 1; }
