/* SPDX-License-Identifier: MIT */
/*
 * Driver checker on configurations: MISALIGNED table pointers (S1ContextPtr,
 * L1STD.L2Ptr, CD.TTB0, STE.S2TTB) and TAG_ALIAS (two live configurations
 * sharing a TLB tag with different tables), each with a silent twin (twin 1;
 * twin 0 is the faulty case).
 */
#include "test_checker_util.h"
#include "test_main.h"

/* A linear table of 16 CDs (1 KB) must be aligned to 1 KB. */
static void cd_table_misaligned_case(cenv *e, int twin)
{
    ck_add_s1(e, 4, 1);
    uint64_t tab = 0x50000000ull + (twin ? 0 : 0x40);
    assert_int_equal(smmuv3_cdtab_init(&e->cds, &e->pa, SMMUV3_S1FMT_LINEAR, 4, tab), 0);
    uint8_t ste[SMMUV3_STE_BYTES];
    ck_cd0_ste(&e->pt, 1, false, &e->cds, ste);
    smmuv3_ste_set(ste, "s1dss", 2);          /* no SubstreamID: CD 0 */
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 4, ste), 0);
    int rc = ck_xlate(e, 4, CK_IOVA, 0, NULL);
    /* the faulty case: the SMMU reads CD 0 from 0x50000000 */
    assert_int_equal(rc != 0, !twin);
    ck_expect_twin(e, twin, SMMUV3_DIAG_MISALIGNED, 4, tab, "S1ContextPtr");
}
CK_TEST(cd_table_misaligned, ck_up, 2)

/* A 4K-granule 48-bit table placed 256 bytes past a page boundary. */
static void ttb0_misaligned_case(cenv *e, int twin)
{
    uint64_t root = 0x50000000ull + (twin ? 0 : 0x100);
    assert_int_equal(smmuv3_pt_init_s1(&e->pt, &e->pa, 12, 16, root), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, CK_IOVA, CK_PA, 0x1000, SMMUV3_MAP_RW, 0), 0);
    ck_s1_over(e, 1, 1, false, &e->pt, &e->cds);
    ck_xlate(e, 1, CK_IOVA, 0, NULL);
    ck_xlate(e, 1, CK_IOVA, 0, NULL);
    ck_expect_twin(e, twin, SMMUV3_DIAG_MISALIGNED, CK_ANY, root, "TTB0");
}
CK_TEST(ttb0_misaligned, ck_up, 2)

static void s2ttb_misaligned_case(cenv *e, int twin)
{
    uint64_t root = 0x50000000ull + (twin ? 0 : 0x800);
    assert_int_equal(smmuv3_pt_init_s2(&e->pt, &e->pa, 12, 24, -1, root), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt, CK_IOVA, CK_PA, 0x1000, SMMUV3_MAP_RW, 0), 0);
    ck_s2_over(e, 6, 1, &e->pt);
    ck_xlate(e, 6, CK_IOVA, 0, NULL);
    if (twin) {
        ck_assert_silent(e);
    } else {
        assert_int_equal(ck_count(e, SMMUV3_DIAG_MISALIGNED), 1);
        assert_non_null(strstr(ck_first(e, SMMUV3_DIAG_MISALIGNED)->msg, "S2TTB"));
    }
}
CK_TEST(s2ttb_misaligned, ck_up, 2)

/* A level 2 stream table of 64 STEs (4 KB) placed on a 64-byte boundary. */
static void l2ptr_misaligned_case(cenv *e, int twin)
{
    (void)twin;
    ck_add_s1(e, 70, 1);
    uint8_t ste[SMMUV3_STE_BYTES];
    assert_int_equal(smmuv3_strtab_read_ste(&e->st, 70, ste), 0);
    uint64_t l2 = 0x50000040ull;
    assert_int_equal(smmuv3_space_write(&e->pa, l2 + (70 & 63) * 64, ste, sizeof(ste)), 0);
    assert_int_equal(smmuv3_strtab_set_l1(&e->st, 70 >> 6, l2, 7), 0);
    assert_int_equal(smmuv3_driver_cfgi_all(&e->drv), 0);
    ck_xlate(e, 70, CK_IOVA, 0, NULL);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_MISALIGNED), 1);
    assert_int_equal(ck_first(e, SMMUV3_DIAG_MISALIGNED)->addr, l2);
    assert_non_null(strstr(ck_first(e, SMMUV3_DIAG_MISALIGNED)->msg, "L2Ptr"));
}
CK_TEST(l2ptr_misaligned, ck_up_2level, 1)

/* 2-level table: the STE of StreamID 130 written at its linear-table slot
 * (STRTAB_BASE + 130 * 64) with no L1 descriptor for it. The twin writes it
 * through the L1 descriptor. */
static void ste_at_linear_slot_case(cenv *e, int twin)
{
    ck_add_s1(e, 1, 1);                       /* SID 1: an L1 descriptor and a level 2 table */
    uint8_t ste[SMMUV3_STE_BYTES];
    assert_int_equal(smmuv3_strtab_read_ste(&e->st, 1, ste), 0);
    if (twin)
        assert_int_equal(smmuv3_strtab_write_ste(&e->st, 130, ste), 0);
    else
        assert_int_equal(smmuv3_space_write(&e->pa, e->st.base + 130 * 64, ste, sizeof(ste)), 0);
    int rc = ck_xlate(e, 130, CK_IOVA, 0, NULL);
    assert_int_equal(rc != 0, !twin);
    ck_expect_twin(e, twin, SMMUV3_DIAG_MISALIGNED, CK_ANY, e->st.base + 130 * 64, "linear");
}
CK_TEST(ste_at_linear_slot, ck_up_2level, 2)

/* Two stage 1 streams with ASID 0 (and VMID 0) over different tables: the
 * classic "every domain gets ASID 0". Twins: different ASIDs (1); or the
 * same ASID sharing one table (2, SVA-style sharing of an address space). */
static void asid_alias_case(cenv *e, int variant)
{
    smmuv3_pt pt1, pt2;
    smmuv3_cdtab cd1, cd2;
    ck_s1(e, 1, 0, CK_PA, &pt1, &cd1);
    if (variant == 2) {
        uint8_t ste[SMMUV3_STE_BYTES];
        assert_int_equal(smmuv3_ste_s1(ste, cd1.base, cd1.fmt, cd1.cdmax), 0);
        assert_int_equal(smmuv3_strtab_write_ste(&e->st, 2, ste), 0);
    } else {
        ck_s1(e, 2, variant == 1 ? 5 : 0, CK_PA + 0x100000, &pt2, &cd2);
    }
    assert_int_equal(ck_xlate(e, 1, CK_IOVA, 0, NULL), 0);
    assert_int_equal(ck_xlate(e, 2, CK_IOVA, 0, NULL), 0);
    ck_expect_twin(e, variant, SMMUV3_DIAG_TAG_ALIAS, 2, CK_ANY, "3.17");
}
CK_TEST(asid_alias, ck_up, 3)

/* Two stage 2 streams with VMID 7 over different stage 2 tables. */
static void vmid_alias_case(cenv *e, int twin)
{
    smmuv3_pt pt1, pt2;
    ck_s2(e, 1, 7, CK_PA, &pt1);
    ck_s2(e, 2, twin ? 8 : 7, CK_PA + 0x100000, &pt2);
    ck_xlate(e, 1, CK_IOVA, 0, NULL);
    ck_xlate(e, 2, CK_IOVA, 0, NULL);
    ck_expect_twin(e, twin, SMMUV3_DIAG_TAG_ALIAS, CK_ANY, CK_ANY, NULL);
}
CK_TEST(vmid_alias, ck_up, 2)

TEST_MAIN(cd_table_misaligned, ttb0_misaligned, s2ttb_misaligned, l2ptr_misaligned,
          ste_at_linear_slot, asid_alias, vmid_alias)
