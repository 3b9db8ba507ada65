/* SPDX-License-Identifier: MIT */
/* Foundation stage: the DMA test device exists with its API; its behaviour comes with issue 7. */
#include <stdlib.h>
#include "smmu.h"

struct smmuv3_testdev {
    smmuv3 *smmu;
    smmuv3_host host;
    uint32_t sid;
};

smmuv3_testdev *smmuv3_testdev_new(smmuv3 *smmu, const smmuv3_host *host, uint32_t sid)
{
    if (!smmu || !host)
        return NULL;
    smmuv3_testdev *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->smmu = smmu;
    d->host = *host;
    d->sid = sid;
    return d;
}

void smmuv3_testdev_free(smmuv3_testdev *d) { free(d); }

uint32_t smmuv3_testdev_read(smmuv3_testdev *d, uint64_t offset)
{
    SMMU_UNUSED(d);
    SMMU_UNUSED(offset);
    return 0;
}

void smmuv3_testdev_write(smmuv3_testdev *d, uint64_t offset, uint32_t value)
{
    SMMU_UNUSED(d);
    SMMU_UNUSED(offset);
    SMMU_UNUSED(value);
}
