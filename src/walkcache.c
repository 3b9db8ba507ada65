/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the walk cache arrives with issue 5/6; until then it is off. */
#include <stdlib.h>
#include "smmu.h"

struct smmu_walkcache { unsigned entries; };
smmu_walkcache *smmu_walkcache_new(unsigned entries) { smmu_walkcache *w = calloc(1, sizeof(*w)); if (w) w->entries = entries; return w; }
void smmu_walkcache_free(smmu_walkcache *w) { free(w); }
void smmu_walkcache_flush(smmuv3 *s) { SMMU_UNUSED(s); }
void smmu_walkcache_command(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]) { SMMU_UNUSED(s); SMMU_UNUSED(opcode); SMMU_UNUSED(cmd); }
