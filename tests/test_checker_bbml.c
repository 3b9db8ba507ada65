/* SPDX-License-Identifier: MIT */
/*
 * Driver checker, STALE_TLB and block size changes: with SMMU_IDR3.BBML = 2
 * (the model's, 3.21.1.3) a driver may replace a block by an equivalent span
 * of pages, or pages by an equivalent block, without break-before-make; the
 * IOTLB may then answer from the old size until the TLBI that follows, and
 * that is permitted, so nothing is reported. The twin changes the output
 * address as well, which stays a STALE_TLB.
 */
#include "test_checker_util.h"
#include "test_main.h"

#define BB_IOVA 0x200000ull      /* a 2MB block of a 4KB-granule stage 1 table */

static void bb_stream(cenv *e, unsigned perms)
{
    assert_int_equal(smmuv3_pt_init_s1(&e->pt, &e->pa, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, BB_IOVA, CK_PA, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG | perms, 0), 0);
    ck_s1_over(e, 1, 1, false, &e->pt, &e->cds);
}

/* A 2MB block replaced by 512 equivalent pages (variant 0), or by pages of
 * another output address (variant 1), with no TLBI yet. */
static void block_to_pages_case(cenv *e, int v)
{
    uint64_t pa;
    bb_stream(e, 0);
    assert_int_equal(ck_xlate(e, 1, BB_IOVA + 0x3010, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x3010);
    assert_int_equal(smmuv3_pt_unmap(&e->pt, BB_IOVA, 0x200000), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, BB_IOVA, CK_PA + (v ? 0x400000 : 0), 0x200000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES, 0), 0);
    assert_int_equal(ck_xlate(e, 1, BB_IOVA + 0x3010, 0, &pa), 0);
    ck_expect_twin(e, !v, SMMUV3_DIAG_STALE_TLB, 1, BB_IOVA + 0x3010, "output address");
}
CK_TEST(block_to_pages, ck_up, 2)

/* 512 pages merged into an equivalent 2MB block (variant 0), or into a
 * block of another output address (variant 1), with no TLBI yet. */
static void pages_to_block_case(cenv *e, int v)
{
    uint64_t pa;
    bb_stream(e, SMMUV3_MAP_PAGES);
    assert_int_equal(ck_xlate(e, 1, BB_IOVA + 0x3010, 0, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x3010);
    uint64_t desc = 0;
    assert_int_equal(smmuv3_pt_get_desc(&e->pt, BB_IOVA, 2, &desc), 0);
    assert_int_equal(desc & 3, 3);                 /* a table descriptor */
    assert_int_equal(smmuv3_pt_unmap(&e->pt, BB_IOVA, 0x200000), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, BB_IOVA, CK_PA + (v ? 0x400000 : 0), 0x200000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(smmuv3_pt_get_desc(&e->pt, BB_IOVA, 2, &desc), 0);
    assert_int_equal(desc & 3, 1);                 /* now a block */
    assert_int_equal(ck_xlate(e, 1, BB_IOVA + 0x3010, 0, &pa), 0);
    ck_expect_twin(e, !v, SMMUV3_DIAG_STALE_TLB, 1, BB_IOVA + 0x3010, "output address");
}
CK_TEST(pages_to_block, ck_up, 2)

TEST_MAIN(block_to_pages, pages_to_block)
