/* SPDX-License-Identifier: MIT */
/*
 * A driver's raw view of the model for the conformance tests: an instance in
 * a simulated memory, 4- and 8-byte MMIO accessors, 32/64-bit memory words,
 * a bump allocator and the write-then-poll-ACK register idiom. Only the
 * public API (smmuv3.h) is used.
 */
#ifndef SMMUV3_TEST_RAWDRV_H
#define SMMUV3_TEST_RAWDRV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

typedef struct drv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config cfg;
    uint32_t cmdq_prod;
    unsigned cmdq_log2;
    uint32_t evtq_cons;
    unsigned evtq_log2;
    bool two_level;
    unsigned sid_bits;
    uint64_t next;           /* bump allocator */
} drv;

uint32_t rd32(drv *d, uint64_t off);
uint64_t rd64(drv *d, uint64_t off);
void wr32(drv *d, uint64_t off, uint32_t v);
void wr64(drv *d, uint64_t off, uint64_t v);
void mw64(drv *d, uint64_t pa, uint64_t v);
uint64_t mr64(drv *d, uint64_t pa);
uint32_t mr32(drv *d, uint64_t pa);
/* dma_alloc_coherent-style: zeroed, aligned to the power of two >= size (min 4K) */
uint64_t dalloc(drv *d, uint64_t size);
/* write_reg_sync: write, then poll the ACK register until it reads the same value */
void write_reg_sync(drv *d, uint64_t reg, uint64_t ack, uint32_t v);
/* A fresh instance (config default, then tweak) in a new memory; the
 * allocator starts at alloc_base. */
void drv_open(drv *d, void (*tweak)(smmuv3_config *), uint64_t alloc_base);
/* Called (when set) on every instance drv_open makes, right after
 * smmuv3_new: e.g. to switch the driver checker on (test_checker_linux_*). */
extern void (*drv_open_hook)(drv *d);
void drv_fini(drv *d);

#endif
