/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): CD decode arrives with issue 4; until then every CD is C_BAD_CD. */
#include <stdlib.h>
#include "smmu.h"

int smmu_cd_decode(const smmuv3 *s, const smmu_ste *ste, const uint64_t raw[8], smmu_cd *out) { SMMU_UNUSED(s); SMMU_UNUSED(ste); SMMU_UNUSED(raw); SMMU_UNUSED(out); return SMMUV3_EVT_C_BAD_CD; }
