/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the command queue arrives with issue 3. */
#include <stdlib.h>
#include "smmu.h"

void smmu_cmdq_process(smmuv3 *s) { SMMU_UNUSED(s); }
