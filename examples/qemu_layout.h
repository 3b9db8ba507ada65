/* SPDX-License-Identifier: MIT */
/*
 * Where QEMU's bare-metal SMMUv3 tests (stage 1, stage 2, nested through
 * iommu-testdev) put everything: virt RAM at 0x40000000 plus the qtest's
 * offsets, and the three table pages every mapping walks through. One copy
 * for the example program (smmuv3-qemu-scenarios.c), the unit test
 * (tests/test_scenarios.c) and the SystemC demo; public API only, C or C++.
 */
#ifndef SMMUV3_EXAMPLE_QEMU_LAYOUT_H
#define SMMUV3_EXAMPLE_QEMU_LAYOUT_H

#include <smmuv3/smmuv3.h>

#define SID          8u
#define IOVA         0x0000008080604567ull
#define DMA_LEN      4u
#define DMA_ATTRS    0xAu          /* space valid, space Non-secure, not secure */
#define EXPECT_PA    0x4ECBA567ull
#define STRTAB       0x4E179000ull
#define STRTAB_LOG2  5u
#define CD_ADDR      0x4E178FC0ull
#define ROOT         0x4E4D0000ull
#define TBL_L1       0x4E4D1000ull
#define TBL_L2       0x4E4D2000ull
#define TBL_L3       0x4E4D3000ull
#define TARGET       0x4ECBA000ull
#define ASID         0x1E20u
#define QUEUES       0x4E000000ull  /* command and event queues (below the tables) */

/* Point the level 0..2 entries on the walk of `addr` at the three shared
 * table pages, as QEMU's qtest does for every address it maps, then map the
 * page of `addr` to `pa`. 0 or an SMMUV3_E* code. */
static inline int qemu_map_shared(smmuv3_pt *pt, uint64_t addr, uint64_t pa, unsigned perms)
{
    const uint64_t tables[3] = { TBL_L1, TBL_L2, TBL_L3 };
    for (unsigned level = 0; level < 3; level++) {
        uint64_t d;
        int rc = smmuv3_pt_table_desc(pt, tables[level], &d);
        if (!rc)
            rc = smmuv3_pt_set_desc(pt, addr, level, d);
        if (rc)
            return rc;
    }
    return smmuv3_pt_map(pt, addr & ~0xfffull, pa, 0x1000, perms, 0);
}

#endif
