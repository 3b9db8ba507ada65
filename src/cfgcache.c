/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the configuration cache arrives with issue 4; until then nothing is cached. */
#include <stdlib.h>
#include "smmu.h"

struct smmu_cfgcache { unsigned entries; };
smmu_cfgcache *smmu_cfgcache_new(unsigned entries) { smmu_cfgcache *c = calloc(1, sizeof(*c)); if (c) c->entries = entries; return c; }
void smmu_cfgcache_free(smmu_cfgcache *c) { free(c); }
void smmu_cfgcache_flush(smmuv3 *s) { SMMU_UNUSED(s); }
void smmu_cfgcache_command(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]) { SMMU_UNUSED(s); SMMU_UNUSED(opcode); SMMU_UNUSED(cmd); }
