/* SPDX-License-Identifier: MIT */
/*
 * Driver checker on the Secure programming interface and Secure streams
 * (IHI 0070 3.10.2): the register rules of the Non-secure bank hold for the
 * SMMU_S_* bank (stream table and queue alignment, queue indexes, GERRORN,
 * writes ignored while enabled), S_INIT.INV_ALL while enabled, and the
 * stale-cache checks for Secure STEs, CDs and translations, which read the
 * Secure PA space and are covered only by the Secure Command queue's
 * invalidations. Each report has a silent twin.
 */
#include "test_checker_util.h"
#include "test_main.h"
#include "twomem.h"
#include "model/smmu.h"     /* REG_* offsets and field helpers */

#define SEC SMMUV3_TXN_SECURE

/* Two PA spaces, the checker on, the Secure side brought up by the driver
 * helper (its stream table and queues in the Secure PA space). */
typedef struct senv {
    twomem m;                  /* the PA spaces and the SMMU (c.s is m.s) */
    cenv c;                    /* reports, and the Secure space/table/driver */
} senv;

static void sw32(senv *e, uint64_t off, uint32_t v) { tm_sw32(&e->m, off, v); }
static uint32_t sr32(senv *e, uint64_t off) { return tm_sr32(&e->m, off); }

/* The SMMU with the checker on, no interface brought up. */
static senv *s_new(void)
{
    senv *e = test_calloc(1, sizeof(*e));
    twomem_init(&e->m, NULL);
    e->c.s = e->m.s;
    smmuv3_set_diag(e->c.s, ck_collect, &e->c);
    return e;
}

/* Bring-up with the Secure stream table at `strtab_at`; `strict`: nothing may be reported. */
static senv *s_up(uint64_t strtab_at, bool strict)
{
    senv *e = s_new();
    int rc = twomem_driver_up(&e->m, true, 0x40000000ull, 0x10000000ull, 8, strtab_at, &e->c.al, &e->c.pa,
                              &e->c.st, &e->c.drv);
    if (strict) {
        assert_int_equal(rc, 0);
        ck_assert_silent(&e->c);
    }
    return e;
}

static void s_down(senv *e)
{
    twomem_fini(&e->m);
    test_free(e);
}

static int s_xlate(senv *e, uint32_t sid, uint64_t addr, uint64_t *pa)
{
    return ck_xlate(&e->c, sid, addr, SEC, pa);
}

/* Silent bring-up with the Secure stage 1 stream 2 (ASID 4, CK_IOVA -> CK_PA;
 * its tables in e->c.pt, e->c.cds), translated once at CK_IOVA + off. */
static senv *s_up_s1(uint64_t off)
{
    senv *e = s_up(SMMUV3_BUILD_ALLOC, true);
    ck_s1(&e->c, 2, 4, CK_PA, &e->c.pt, &e->c.cds);
    uint64_t pa;
    assert_int_equal(s_xlate(e, 2, CK_IOVA + off, &pa), 0);
    assert_int_equal(pa, CK_PA + off);
    return e;
}

/* A correct Secure driver and a Secure stage 1 stream stay silent, and the
 * Non-secure side's untouched registers raise nothing either. */
static void secure_bringup_silent(void **state)
{
    (void)state;
    senv *e = s_up_s1(0x10);
    uint64_t pa;
    assert_int_equal(s_xlate(e, 2, CK_IOVA + 0x10, &pa), 0);   /* configuration cache and IOTLB hits */
    assert_int_equal(pa, CK_PA + 0x10);
    ck_assert_silent(&e->c);
    s_down(e);
}

/* SMMU_S_STRTAB_BASE not aligned to the Secure stream table's size. */
static void secure_strtab_misaligned(void **state)
{
    (void)state;
    senv *e = s_up(0x50001000ull, false);         /* 16 KB table on a 4 KB boundary */
    assert_int_equal(ck_count(&e->c, SMMUV3_DIAG_MISALIGNED), 1);
    const ck_report *r = ck_first(&e->c, SMMUV3_DIAG_MISALIGNED);
    assert_int_equal(r->addr, 0x50001000ull);
    assert_non_null(strstr(r->msg, "S_STRTAB_BASE"));
    assert_non_null(strstr(r->msg, "Secure stream table"));
    assert_non_null(strstr(r->msg, "3.10.2"));
    s_down(e);
    e = s_up(0x50004000ull, true);                /* twin: aligned */
    s_down(e);
}

/* SMMU_S_CMDQ_PROD beyond a queue's worth, S_GERRORN toggling an inactive
 * error, S_CMDQ_BASE rewritten while the Secure queue runs. */
static void secure_queue_rules(void **state)
{
    (void)state;
    senv *e = s_up(SMMUV3_BUILD_ALLOC, true);
    uint32_t prod = sr32(e, REG_S_CMDQ_PROD);
    sw32(e, REG_S_CMDQ_PROD, prod + (3u << e->c.drv.cmdq_log2) / 2);
    assert_true(ck_count(&e->c, SMMUV3_DIAG_QUEUE) >= 1);
    assert_non_null(strstr(ck_first(&e->c, SMMUV3_DIAG_QUEUE)->msg, "S_CMDQ_PROD"));
    s_down(e);

    e = s_up(SMMUV3_BUILD_ALLOC, true);
    smmuv3_mmio_write_sec(e->c.s, REG_S_CMDQ_BASE, 0x60000000ull | 8, 8, true);
    assert_int_equal(ck_count(&e->c, SMMUV3_DIAG_QUEUE), 1);
    assert_non_null(strstr(ck_first(&e->c, SMMUV3_DIAG_QUEUE)->msg, "S_CMDQ_BASE"));
    e->c.n = 0;
    /* twin: the same value written again, and a PROD that stays in range */
    smmuv3_mmio_write_sec(e->c.s, REG_S_CMDQ_BASE, e->c.s->sr.cmdq.base, 8, true);
    assert_int_equal(smmuv3_driver_sync(&e->c.drv), 0);
    ck_assert_silent(&e->c);
    sw32(e, REG_S_GERRORN, sr32(e, REG_S_GERRORN) ^ (uint32_t)smmu_fmask(F_GERROR_sfm_err));
    assert_int_equal(e->c.n, 1);
    assert_int_equal(e->c.r[0].code, SMMUV3_DIAG_UNPREDICTABLE);
    assert_non_null(strstr(e->c.r[0].msg, "S_GERRORN"));
    /* the Non-secure GERRORN stays apart: nothing is active there */
    assert_int_equal(smmuv3_mmio_read(e->c.s, REG_GERROR, 4) ^ smmuv3_mmio_read(e->c.s, REG_GERRORN, 4), 0);
    s_down(e);
}

/* S_INIT.INV_ALL while an SMMUEN is 1 is CONSTRAINED UNPREDICTABLE; before
 * enabling it is the bring-up step Secure firmware uses. */
static void secure_init_while_enabled(void **state)
{
    (void)state;
    senv *e = s_up(SMMUV3_BUILD_ALLOC, true);
    sw32(e, REG_S_INIT, 1);
    assert_int_equal(e->c.n, 1);
    assert_int_equal(e->c.r[0].code, SMMUV3_DIAG_UNPREDICTABLE);
    assert_non_null(strstr(e->c.r[0].msg, "S_CR0.SMMUEN"));
    assert_non_null(strstr(e->c.r[0].msg, "6.3.62"));
    s_down(e);
    /* twin: on a disabled SMMU */
    e = s_new();
    sw32(e, REG_S_INIT, 1);
    assert_int_equal(sr32(e, REG_S_INIT), 0);
    ck_assert_silent(&e->c);
    s_down(e);
}

/* A Secure STE changed in Secure memory while cached: a CFGI_STE from the
 * Secure queue with SSec = 0 names the Non-secure StreamID and does not
 * cover it; with SSec = 1 it does. */
static void secure_stale_ste(void **state)
{
    (void)state;
    senv *e = s_up(SMMUV3_BUILD_ALLOC, true);
    uint8_t ste[SMMUV3_STE_BYTES];
    smmuv3_ste_bypass(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->c.st, 3, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->c.drv, 3), 0);
    assert_int_equal(s_xlate(e, 3, 0x1000, NULL), 0);
    smmuv3_ste_abort(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->c.st, 3, ste), 0);
    /* SSec = 0: the Non-secure stream 3 */
    assert_int_equal(smmuv3_driver_submit_raw(&e->c.drv, SMMUV3_CMD_CFGI_STE | 3ull << 32, 1), 0);
    assert_int_equal(smmuv3_driver_sync(&e->c.drv), 0);
    assert_int_equal(s_xlate(e, 3, 0x1000, NULL), 0);         /* still the cached bypass */
    assert_int_equal(e->c.n, 1);
    assert_int_equal(e->c.r[0].code, SMMUV3_DIAG_STALE_STE);
    assert_int_equal(e->c.r[0].sid, 3);
    assert_int_equal(e->c.r[0].addr, ck_ste_pa(&e->c, 3));
    assert_non_null(strstr(e->c.r[0].msg, "Secure StreamID 3"));
    assert_non_null(strstr(e->c.r[0].msg, "SSec = 1"));
    /* twin: CFGI_STE with SSec = 1, then another change with its CFGI */
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->c.drv, 3), 0);
    assert_int_equal(s_xlate(e, 3, 0x1000, NULL), SMMUV3_XLATE_ABORT);
    smmuv3_ste_bypass(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->c.st, 3, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->c.drv, 3), 0);
    assert_int_equal(s_xlate(e, 3, 0x1000, NULL), 0);
    assert_int_equal(e->c.n, 1);
    s_down(e);
}

/* A Secure stage 1 leaf remapped in Secure memory: STALE_TLB until a TLBI
 * of the Secure queue covers it. The Secure stream's tables are only in the
 * Secure PA space: the re-walk reads them there. */
static void secure_stale_tlb(void **state)
{
    (void)state;
    senv *e = s_up_s1(0x2010);
    uint64_t pa;
    assert_int_equal(smmuv3_pt_map(&e->c.pt, CK_IOVA + 0x2000, CK_PA + 0x100000, 0x1000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(s_xlate(e, 2, CK_IOVA + 0x2010, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x2010);                      /* the cached translation */
    assert_int_equal(e->c.n, 1);
    assert_int_equal(e->c.r[0].code, SMMUV3_DIAG_STALE_TLB);
    assert_non_null(strstr(e->c.r[0].msg, "Secure StreamID 2"));
    /* twin: TLBI_NH_VA from the Secure queue (Secure scope), another remap with its TLBI */
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->c.drv, 0, 4, CK_IOVA + 0x2000, true), 0);
    assert_int_equal(s_xlate(e, 2, CK_IOVA + 0x2010, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x100010);
    assert_int_equal(smmuv3_pt_map(&e->c.pt, CK_IOVA + 0x2000, CK_PA + 0x200000, 0x1000,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->c.drv, 0, 4, CK_IOVA + 0x2000, true), 0);
    assert_int_equal(s_xlate(e, 2, CK_IOVA + 0x2010, &pa), 0);
    assert_int_equal(pa, CK_PA + 0x200010);
    assert_int_equal(e->c.n, 1);
    s_down(e);
}

/* A Secure CD table pointer misaligned for its size: reported for the
 * Secure stream, read from the Secure PA space. */
static void secure_cd_table_misaligned(void **state)
{
    (void)state;
    senv *e = s_up(SMMUV3_BUILD_ALLOC, true);
    uint8_t ste[SMMUV3_STE_BYTES];
    /* 4 CDs (S1CDMax 2): a 256-byte table placed 64 bytes past an aligned address */
    assert_int_equal(smmuv3_ste_s1(ste, 0x48000040ull, SMMUV3_S1FMT_LINEAR, 2), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&e->c.st, 6, ste), 0);
    s_xlate(e, 6, CK_IOVA, NULL);
    assert_int_equal(ck_count(&e->c, SMMUV3_DIAG_MISALIGNED), 1);
    const ck_report *r = ck_first(&e->c, SMMUV3_DIAG_MISALIGNED);
    assert_int_equal(r->addr, 0x48000040ull);
    assert_non_null(strstr(r->msg, "Secure StreamID 6"));
    s_down(e);
}

TEST_MAIN(secure_bringup_silent, secure_strtab_misaligned, secure_queue_rules,
          secure_init_while_enabled, secure_stale_ste, secure_stale_tlb, secure_cd_table_misaligned)
