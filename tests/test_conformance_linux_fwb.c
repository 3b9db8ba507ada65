/* SPDX-License-Identifier: MIT */
/*
 * Conformance with Linux's arm-smmu-v3 driver (the re-enactment is
 * tests/helpers/linux_drv.[ch]): stage 2 forced write-back. When
 * SMMU_IDR3.FWB reads 1 the driver sets STE.S2FWB in the STEs of its stage 2
 * domains (and in the nested STEs built over them) and io-pgtable writes the
 * FEAT_S2FWB encodings of stage 2 MemAttr[3:0]: 0b0110 (force Write-Back)
 * for IOMMU_CACHE, 0b0101 (Non-cacheable, or stage 1's Device type) without
 * IOMMU_CACHE, 0b0001 (Device-nGnRE) for IOMMU_MMIO; SH is Inner Shareable
 * for IOMMU_CACHE, Outer Shareable otherwise.
 *
 * Expected attributes: IHI 0070 13.4.3 (STE.S2FWB == 1: the stage 2 combine
 * uses the FEAT_S2FWB encoding and behaviour), 13.4.4 (stage 2 only: the
 * incoming attributes, after the STE overrides, take stage 1's place), the
 * Arm ARM FEAT_S2FWB rules (AArch64.S2ApplyFWBMemAttrs: MemAttr[2] == 0 is
 * Device, the more restrictive of it and a stage 1 Device type; 0b110 is
 * Normal Write-Back whatever stage 1 says, with stage 1's allocation hints
 * when stage 1 is Normal cacheable, else RWA; 0b101 is stage 1's Device
 * type or Normal Non-cacheable; the Shareability is the more shareable of
 * the two stages, and Device or Normal Non-cacheable is Outer Shareable).
 * The model's incoming attributes are the 13.1.3 defaults (Normal WB RWA,
 * Non-shareable; translate.c), which Linux's STE.SHCFG "use incoming" keeps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include "linux_drv.h"
#include "test_main.h"

#define STE1_S2FWB (1ull << 25)
#define STE1_MEV (1ull << 19)
#define STE1_SHCFG (3ull << 44)

/* arm_smmu_device_hw_probe: IDR3.FWB -> ARM_SMMU_FEAT_S2FWB */
static bool probe_s2fwb(drv *d) { return (rd32(d, IDR3) >> 8) & 1; }

/* arm_smmu_make_s2_domain_ste with ARM_SMMU_FEAT_S2FWB (SHCFG incoming only
 * with SMMU_IDR1.ATTR_TYPES_OVR) */
static void make_s2fwb_ste(drv *d, uint64_t *t, uint16_t vmid, uint64_t vttbr)
{
    make_s2_ste(t, vmid, vttbr);
    t[1] |= STE1_S2FWB;
    if (!((rd32(d, IDR1) >> 27) & 1))
        t[1] &= ~STE1_SHCFG;
}

/* arm_lpae_prot_to_pte for ARM_64_LPAE_S2 with IO_PGTABLE_QUIRK_ARM_S2FWB:
 * only the IOMMU_CACHE encoding differs (0b0110 for 0b1111) */
static uint64_t prot_s2fwb(unsigned prot)
{
    uint64_t pte = prot_s2(prot);
    if (!(prot & P_MMIO) && (prot & P_CACHE))
        pte = (pte & ~(0xFull << 2)) | 0x6ull << 2;
    return pte;
}

/* map one 4K page of a stage 2 table with the S2FWB encodings */
static void s2fwb_map(drv *d, uint64_t vttbr, uint64_t ipa, uint64_t pa, unsigned prot)
{
    pt_map(d, vttbr, ipa, pa, prot, true, 3);
    mw64(d, pt_leaf_slot(d, vttbr, ipa), pa | prot_s2fwb(prot) | 3);
}

typedef struct { uint8_t memattr, sh; } want;

static void expect_attrs(drv *d, uint32_t sid, uint64_t iova, uint64_t pa, want w)
{
    static const uint32_t fl[2] = { 0, SMMUV3_TXN_WRITE };
    for (int i = 0; i < 2; i++) {
        smmuv3_result r;
        int rc = xlate(d, sid, iova, fl[i], &r);
        if (rc != 0 || r.pa != pa || r.attrs.memattr != w.memattr || r.attrs.sh != w.sh)
            print_error("sid %u iova 0x%llx %s: rc %d pa 0x%llx memattr 0x%02x sh %u (want 0x%02x sh %u)\n",
                        sid, (unsigned long long)iova, i ? "write" : "read", rc, (unsigned long long)r.pa,
                        r.attrs.memattr, r.attrs.sh, w.memattr, w.sh);
        assert_int_equal(rc, SMMUV3_XLATE_OK);
        assert_int_equal(r.event, 0);
        assert_int_equal(r.pa, pa);
        assert_int_equal(r.attrs.memattr, w.memattr);
        assert_int_equal(r.attrs.sh, w.sh);
        assert_true(r.attrs.ns);
    }
    expect_no_event(d);
}

/* the three kinds of mapping Linux makes, as IOMMU_READ | IOMMU_WRITE | x */
static const unsigned kinds[3] = { P_CACHE, 0, P_MMIO };

/* A stage 2 domain (arm_smmu_domain_finalise with the S2FWB quirk): the
 * incoming Normal WB RWA Non-shareable attributes meet the stage 2 ones. */
static void test_s2_domain_fwb(void **state)
{
    drv *d = *state;
    assert_true(probe_s2fwb(d));
    const uint32_t sid = 5;
    const uint64_t ipa = 0x10000, pa = 0x70000000ull;
    uint64_t vttbr = dalloc(d, 4096);
    for (unsigned k = 0; k < 3; k++)
        s2fwb_map(d, vttbr, ipa + k * 0x1000ull, pa + k * 0x1000ull, P_READ | P_WRITE | kinds[k]);
    uint64_t t[8];
    make_s2fwb_ste(d, t, 3, vttbr);
    write_ste(d, sid, t, NULL, NULL);

    /* 0b0110: Normal WB, incoming hints (RWA) kept; IS wins over NSH */
    expect_attrs(d, sid, ipa + 0x10, pa + 0x10, (want){ 0xFF, 3 });
    /* 0b0101, incoming Normal: Normal NC, Outer Shareable */
    expect_attrs(d, sid, ipa + 0x1010, pa + 0x1010, (want){ 0x44, 2 });
    /* 0b0001: Device-nGnRE, Outer Shareable */
    expect_attrs(d, sid, ipa + 0x2010, pa + 0x2010, (want){ 0x04, 2 });

    /* Contrast: the same descriptors under an STE without S2FWB use the
     * non-FWB encoding (13.4.3): 0b0110 is Outer NC, Inner WT (the incoming
     * Inner WB RWA gives WT RWA); 0b0101 and 0b0001 mean the same. */
    const uint32_t sid2 = 6;
    make_s2fwb_ste(d, t, 4, vttbr);
    t[1] &= ~STE1_S2FWB;
    write_ste(d, sid2, t, NULL, NULL);
    expect_attrs(d, sid2, ipa + 0x10, pa + 0x10, (want){ 0x4B, 3 });
    expect_attrs(d, sid2, ipa + 0x1010, pa + 0x1010, (want){ 0x44, 2 });
    expect_attrs(d, sid2, ipa + 0x2010, pa + 0x2010, (want){ 0x04, 2 });
}

/* iommufd nesting over an S2FWB nesting parent
 * (arm_smmu_make_nested_cd_table_ste: the parent's S2 STE, Config nested,
 * the guest's vSTE words, MEV): every guest stage 1 kind (MAIR index 1 WB,
 * 0 NC, 2 Device-nGnRE; LINUX_MAIR) over every stage 2 kind. */
static void test_nested_fwb(void **state)
{
    drv *d = *state;
    assert_true(probe_s2fwb(d));
    const uint32_t sid = 0x22;
    const uint16_t vmid = 9, asid = 0x41;
    const uint64_t gpa = 0x80000000ull, hpa = 0x180000000ull, off = hpa - gpa;
    uint64_t vttbr = dalloc(d, 4096);
    /* guest RAM (CD, stage 1 tables): IOMMU_CACHE */
    for (uint64_t i = 0; i < 8; i++)
        s2fwb_map(d, vttbr, gpa + i * 4096, hpa + i * 4096, P_READ | P_WRITE | P_CACHE);
    /* three data pages, one per stage 2 kind */
    const uint64_t data_ipa = gpa + 0x10000;
    for (unsigned k = 0; k < 3; k++)
        s2fwb_map(d, vttbr, data_ipa + k * 0x1000ull, hpa + 0x10000 + k * 0x1000ull, P_READ | P_WRITE | kinds[k]);

    const uint64_t cd_ipa = gpa, pgd_ipa = gpa + 0x1000;
    const uint64_t l1 = gpa + 0x2000, l2 = gpa + 0x3000, l3 = gpa + 0x4000;
    write_cd(d, cd_ipa + off, asid, pgd_ipa);
    const uint64_t iova = 0x40000000ull;
    mw64(d, pgd_ipa + off + ((iova >> 39) & 511) * 8, l1 | 3);
    mw64(d, l1 + off + ((iova >> 30) & 511) * 8, l2 | 3);
    mw64(d, l2 + off + ((iova >> 21) & 511) * 8, l3 | 3);
    for (unsigned s2k = 0; s2k < 3; s2k++)
        for (unsigned s1k = 0; s1k < 3; s1k++) {
            uint64_t va = iova + (s2k * 3 + s1k) * 0x1000ull;
            mw64(d, l3 + off + ((va >> 12) & 511) * 8,
                 (data_ipa + s2k * 0x1000ull) | prot_s1(P_READ | P_WRITE | kinds[s1k]) | 3);
        }

    uint64_t t[8];
    make_s2fwb_ste(d, t, vmid, vttbr);
    t[0] = 1 | 7ull << 1 | (cd_ipa & 0x000FFFFFFFFFFFC0ull);   /* guest vSTE word 0, Config nested */
    t[1] |= 2 | 1ull << 2 | 1ull << 4 | 3ull << 6 | STE1_MEV;    /* guest vSTE word 1 (S1DSS..S1CSH), MEV */
    write_ste(d, sid, t, NULL, NULL);

    /* [stage 2 kind][stage 1 kind] (stage 1: WB IS, NC OS, Device-nGnRE OS) */
    static const want w[3][3] = {
        /* 0b0110: Normal WB whatever stage 1 is (RWA: stage 1 hints when it is
         * Normal cacheable, else RWA); the more shareable of the two */
        { { 0xFF, 3 }, { 0xFF, 2 }, { 0xFF, 2 } },
        /* 0b0101: Normal NC, or stage 1's Device type */
        { { 0x44, 2 }, { 0x44, 2 }, { 0x04, 2 } },
        /* 0b0001: Device-nGnRE (stage 1 Device-nGnRE is no more restrictive) */
        { { 0x04, 2 }, { 0x04, 2 }, { 0x04, 2 } },
    };
    for (unsigned s2k = 0; s2k < 3; s2k++)
        for (unsigned s1k = 0; s1k < 3; s1k++) {
            uint64_t va = iova + (s2k * 3 + s1k) * 0x1000ull;
            expect_attrs(d, sid, va + 0x20, hpa + 0x10000 + s2k * 0x1000ull + 0x20, w[s2k][s1k]);
        }
}

TEST_MAIN_FX(lx_setup_linear, lx_teardown, test_s2_domain_fwb, test_nested_fwb)
