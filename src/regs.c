/* SPDX-License-Identifier: MIT */
/* Register file. Foundation stage: ID registers only; the rest reads 0 and ignores writes. */
#include <string.h>
#include "smmu.h"

void smmu_regs_reset(smmuv3 *s)
{
    memset(&s->r, 0, sizeof(s->r));
}

uint64_t smmu_regs_read(smmuv3 *s, uint64_t offset, unsigned size)
{
    SMMU_UNUSED(size);
    switch (offset) {
    case REG_IDR0: return s->idr[0];
    case REG_IDR1: return s->idr[1];
    case REG_IDR2: return s->idr[2];
    case REG_IDR3: return s->idr[3];
    case REG_IDR4: return s->idr[4];
    case REG_IDR5: return s->idr[5];
    case REG_IIDR: return s->iidr;
    case REG_AIDR: return s->aidr;
    default: return 0;
    }
}

void smmu_regs_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size)
{
    SMMU_UNUSED(s);
    SMMU_UNUSED(offset);
    SMMU_UNUSED(value);
    SMMU_UNUSED(size);
}
