/* SPDX-License-Identifier: MIT */
/*
 * Driving the DMA test device (<smmuv3/testdev.h>) from its registers, as the
 * test device tests (test_testdev*.c) and the QEMU scenarios
 * (test_scenarios.c) do: 64-bit register pairs, the basic DMA and the word it
 * wrote in memory.
 */
#ifndef SMMUV3_TEST_TDEV_H
#define SMMUV3_TEST_TDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/testdev.h>

/* A 64-bit value into the register pair at lo_off (low word) and lo_off + 4. */
void tdev_wr64(smmuv3_testdev *d, uint64_t lo_off, uint64_t v);
/* GVA, GPA and LEN of the next basic DMA. */
void tdev_dma_set(smmuv3_testdev *d, uint64_t iova, uint64_t gpa, uint32_t len);
/* Arm the doorbell (when arm: RESULT then reads BUSY) and trigger the DMA
 * (DMA_TRIGGERING reads 0); returns RESULT. */
uint32_t tdev_dma_run(smmuv3_testdev *d, bool arm);
/* tdev_dma_set, then tdev_dma_run armed. */
uint32_t tdev_dma(smmuv3_testdev *d, uint64_t iova, uint64_t gpa, uint32_t len);
/* The little-endian 32-bit word at pa (the device's pattern is 0x12345678). */
uint32_t tdev_pa32(smmuv3_mem *m, uint64_t pa);

#endif
