/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): stalled transactions arrive with issue 4. */
#include <stdlib.h>
#include "smmu.h"

struct smmu_stalls { unsigned max; };
smmu_stalls *smmu_stalls_new(unsigned max) { smmu_stalls *st = calloc(1, sizeof(*st)); if (st) st->max = max; return st; }
void smmu_stalls_free(smmu_stalls *st) { free(st); }
void smmu_stalls_reset(smmuv3 *s) { SMMU_UNUSED(s); }
void smmu_stall_command(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]) { SMMU_UNUSED(s); SMMU_UNUSED(opcode); SMMU_UNUSED(cmd); }
