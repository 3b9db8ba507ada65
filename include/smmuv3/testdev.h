/* SPDX-License-Identifier: MIT */
/* The DMA test device: register-compatible with QEMU's iommu-testdev (0x00..0x20). */
#ifndef SMMUV3_TESTDEV_H
#define SMMUV3_TESTDEV_H

#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmuv3;
struct smmuv3_host;
typedef struct smmuv3_testdev smmuv3_testdev;

SMMUV3_API smmuv3_testdev *smmuv3_testdev_new(struct smmuv3 *smmu, const struct smmuv3_host *host, uint32_t sid);
SMMUV3_API void     smmuv3_testdev_free(smmuv3_testdev *dev);
SMMUV3_API uint32_t smmuv3_testdev_read(smmuv3_testdev *dev, uint64_t offset);
SMMUV3_API void     smmuv3_testdev_write(smmuv3_testdev *dev, uint64_t offset, uint32_t value);

#ifdef __cplusplus
}
#endif
#endif
