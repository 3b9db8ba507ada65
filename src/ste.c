/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): STE decode arrives with issue 4; until then every STE is C_BAD_STE. */
#include <stdlib.h>
#include "smmu.h"

int smmu_ste_decode(const smmuv3 *s, const uint64_t raw[8], smmu_ste *out) { SMMU_UNUSED(s); SMMU_UNUSED(raw); SMMU_UNUSED(out); return SMMUV3_EVT_C_BAD_STE; }
