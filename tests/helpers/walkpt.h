/* SPDX-License-Identifier: MIT */
/*
 * A small VMSAv8-64 page-table writer for the walker's unit tests (tests own
 * their own copy of the descriptor bits so that a wrong constant in the model
 * cannot hide behind the same wrong constant here; Arm ARM D8.3).
 */
#ifndef SMMUV3_TEST_PT_H
#define SMMUV3_TEST_PT_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

/* Descriptor bits */
#define PT_VALID      (1ull << 0)
#define PT_TABLE      (3ull)          /* table (levels 0..2) or page (level 3) */
#define PT_BLOCK      (1ull)
#define PT_ATTRINDX(i) ((uint64_t)(i) << 2)
#define PT_MEMATTR(m) ((uint64_t)(m) << 2)   /* stage 2 MemAttr[3:0] */
#define PT_AP(ap)     ((uint64_t)(ap) << 6)  /* stage 1 AP[2:1] */
#define PT_S2AP(ap)   ((uint64_t)(ap) << 6)  /* stage 2 S2AP[1:0] */
#define PT_SH(sh)     ((uint64_t)(sh) << 8)
#define PT_AF         (1ull << 10)
#define PT_NG         (1ull << 11)
#define PT_DBM        (1ull << 51)
#define PT_CONT       (1ull << 52)
#define PT_PXN        (1ull << 53)
#define PT_UXN        (1ull << 54)
#define PT_S2XN(x)    ((uint64_t)(x) << 53)
#define PT_PXNTABLE   (1ull << 59)
#define PT_UXNTABLE   (1ull << 60)
#define PT_APTABLE(a) ((uint64_t)(a) << 61)

typedef struct tpt {
    smmuv3_mem *mem;
    uint64_t next;       /* bump allocator for tables (PA) */
    uint64_t off;        /* descriptors and roots hold (PA - off): IPAs for nested stage 1 tables */
    unsigned g;          /* granule log2 */
    uint64_t table_attrs;/* OR-ed into every table descriptor tpt_map creates */
} tpt;

void tpt_init(tpt *p, smmuv3_mem *mem, uint64_t pool_pa, unsigned granule, uint64_t off);
/* A zeroed table of `entries` descriptors, aligned to its size (at least 64 bytes); returns its PA. */
uint64_t tpt_alloc(tpt *p, uint64_t entries);
void tpt_w64(smmuv3_mem *mem, uint64_t pa, uint64_t v);
uint64_t tpt_r64(smmuv3_mem *mem, uint64_t pa);
/* Output-address bits of a descriptor for granule g (64K: OA[51:48] in bits 15:12). */
uint64_t tpt_oa(unsigned g, uint64_t oa);
/* log2 of the range one descriptor maps at `level`. */
unsigned tpt_shift(unsigned g, unsigned level);
/*
 * Map `in` to `oa` with a leaf at `leaf_level` (block at levels < 3, page at 3),
 * creating tables from the root at PA `root` (start level `start`, `inbits`
 * input bits). `attrs` are the leaf's attribute bits. Returns the PA of the leaf
 * descriptor.
 */
uint64_t tpt_map(tpt *p, uint64_t root, unsigned start, unsigned inbits, uint64_t in,
                unsigned leaf_level, uint64_t oa, uint64_t attrs);
/* PA of the descriptor for `in` at `level` (tables must exist down to it). */
uint64_t tpt_desc_pa(tpt *p, uint64_t root, unsigned start, unsigned inbits, uint64_t in, unsigned level);

#endif

/* ------------------------------------------------------------ walker test fixture */
#include "model/smmu.h"

typedef struct wfx {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config cfg;
} wfx;

#define WFX_MAIR_DEFAULT 0x000000000044ff04ull  /* idx0 Device-nGnRE, idx1 WB, idx2 NC */

/* An instance over fresh flat memory; c NULL = the default profile. NULL on failure. */
wfx *wfx_new(const smmuv3_config *c);
void wfx_free(wfx *f);
/* Stage 1 only, TTB0 with granule g and TxSZ tsz; TTB1 disabled (same granule/tsz). */
void wfx_cfg_s1(smmu_txcfg *c, unsigned g, unsigned tsz, uint64_t ttb0);
/* Stage 1 configuration c over a new 4K-granule table tree p (tables from
 * PA 0x100000), T0SZ 16 (48-bit VA, start level 0); returns the root. */
uint64_t wfx_s1_4k(wfx *x, tpt *p, smmu_txcfg *c);
/* Stage 2 with granule g, S2T0SZ tsz and start level (SL0 derived). */
void wfx_cfg_s2(smmu_s2_cfg *s2, unsigned g, unsigned tsz, unsigned start, uint64_t ttb);
