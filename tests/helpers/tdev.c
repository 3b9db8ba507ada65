/* SPDX-License-Identifier: MIT */
/* Driving the DMA test device from its registers (see tdev.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "tdev.h"

void tdev_wr64(smmuv3_testdev *d, uint64_t lo_off, uint64_t v)
{
    smmuv3_testdev_write(d, lo_off, (uint32_t)v);
    smmuv3_testdev_write(d, lo_off + 4, (uint32_t)(v >> 32));
}

void tdev_dma_set(smmuv3_testdev *d, uint64_t iova, uint64_t gpa, uint32_t len)
{
    tdev_wr64(d, SMMUV3_TESTDEV_GVA_LO, iova);
    tdev_wr64(d, SMMUV3_TESTDEV_GPA_LO, gpa);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, len);
}

uint32_t tdev_dma_run(smmuv3_testdev *d, bool arm)
{
    if (arm) {
        smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, SMMUV3_TESTDEV_DBELL_ARM);
        assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_BUSY);
    }
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    return smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT);
}

uint32_t tdev_dma(smmuv3_testdev *d, uint64_t iova, uint64_t gpa, uint32_t len)
{
    tdev_dma_set(d, iova, gpa, len);
    return tdev_dma_run(d, true);
}

uint32_t tdev_pa32(smmuv3_mem *m, uint64_t pa)
{
    uint8_t b[4];
    assert_int_equal(smmuv3_mem_read(m, pa, b, 4), 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}
