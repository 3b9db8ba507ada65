/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the IOTLB arrives with issue 6; until then nothing is cached. */
#include <stdlib.h>
#include "smmu.h"

struct smmu_tlb { unsigned entries; };
smmu_tlb *smmu_tlb_new(unsigned entries) { smmu_tlb *t = calloc(1, sizeof(*t)); if (t) t->entries = entries; return t; }
void smmu_tlb_free(smmu_tlb *t) { free(t); }
void smmu_tlb_flush(smmuv3 *s) { SMMU_UNUSED(s); }
bool smmu_tlb_lookup(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, smmu_xlate *out) { SMMU_UNUSED(s); SMMU_UNUSED(cfg); SMMU_UNUSED(iova); SMMU_UNUSED(out); return false; }
void smmu_tlb_insert(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_xlate *x) { SMMU_UNUSED(s); SMMU_UNUSED(cfg); SMMU_UNUSED(iova); SMMU_UNUSED(x); }
void smmu_tlb_command(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]) { SMMU_UNUSED(s); SMMU_UNUSED(opcode); SMMU_UNUSED(cmd); }
