/* Unit tests: the DMA test device (src/testdev.c): every register and RESULT
 * code, page-crossing DMA, SubstreamID and attributes, the memcpy engine
 * (mapping changed mid-run with and without invalidation, faults, stalls)
 * and the MSI trigger. Tables are built with the builders. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "buildenv.h"
#include "tdev.h"
#include "test_main.h"

#define SID      1u
#define IOVA     0x40000000ull   /* inside a 39-bit stage 1 input range; DMA targets at DATA */
#define PG       0x1000ull
#define ASID0    1u
#define ASID2    2u

typedef struct tdenv {
    env b;                   /* memory, instance, allocator at TABLES, stream table, driver */
    smmuv3_cdtab cds;
    smmuv3_pt pt0, pt2;      /* CD 0 and CD 2 */
    smmuv3_testdev *dev;
} tdenv;

static void write_cd(tdenv *e, uint32_t ssid, smmuv3_pt *pt, uint16_t asid, bool stall)
{
    smmuv3_cd_params cp;
    uint8_t cd[64];
    assert_int_equal(smmuv3_cd_params_from_pt(pt, asid, &cp), 0);
    cp.stall = stall;
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&e->cds, ssid, cd), 0);
}

static tdenv *td_new_opts(bool stall)
{
    tdenv *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    env_open(&e->b, NULL);
    env_tables(&e->b, TABLES, 16u << 20, 4, SMMUV3_BUILD_ALLOC);
    assert_int_equal(smmuv3_cdtab_init(&e->cds, &e->b.sp, SMMUV3_S1FMT_LINEAR, 2, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_init_s1(&e->pt0, &e->b.sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_init_s1(&e->pt2, &e->b.sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    write_cd(e, 0, &e->pt0, ASID0, stall);
    write_cd(e, 2, &e->pt2, ASID2, stall);
    uint8_t ste[64];
    assert_int_equal(smmuv3_ste_s1(ste, e->cds.base, e->cds.fmt, e->cds.cdmax), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s1dss", 2), 0);   /* no SubstreamID: use CD 0 */
    e->dev = env_up_testdev(&e->b, SID, ste);
    return e;
}

static tdenv *td_new(void) { return td_new_opts(false); }

static void td_free(tdenv *e)
{
    smmuv3_testdev_free(e->dev);
    env_close(&e->b);
    free(e);
}

static void wr(tdenv *e, uint64_t off, uint32_t v) { smmuv3_testdev_write(e->dev, off, v); }
static uint32_t rd(tdenv *e, uint64_t off) { return smmuv3_testdev_read(e->dev, off); }
static void wr64(tdenv *e, uint64_t lo_off, uint64_t v) { tdev_wr64(e->dev, lo_off, v); }
static uint32_t dma(tdenv *e, uint64_t iova, uint64_t gpa, uint32_t len) { return tdev_dma(e->dev, iova, gpa, len); }
static uint32_t pa32(tdenv *e, uint64_t pa) { return tdev_pa32(e->b.mem, pa); }

static void fill(tdenv *e, uint64_t pa, uint32_t len, uint8_t seed)
{
    uint8_t *b = malloc(len);
    assert_non_null(b);
    for (uint32_t i = 0; i < len; i++)
        b[i] = (uint8_t)(seed + i * 7);
    assert_int_equal(smmuv3_mem_write(e->b.mem, pa, b, len), 0);
    free(b);
}

static bool same(tdenv *e, uint64_t a, uint64_t b, uint32_t len)
{
    uint8_t *x = malloc(len), *y = malloc(len);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(smmuv3_mem_read(e->b.mem, a, x, len), 0);
    assert_int_equal(smmuv3_mem_read(e->b.mem, b, y, len), 0);
    bool r = memcmp(x, y, len) == 0;
    free(x);
    free(y);
    return r;
}

/* ------------------------------------------------------------ registers */
static void test_reset_and_registers(void **state)
{
    (void)state;
    tdenv *e = td_new();
    assert_int_equal(rd(e, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_IDLE);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATTRS), 0x2);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_SID), SID);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_IDLE);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_IDLE);
    static const uint64_t rw[] = {
        SMMUV3_TESTDEV_GVA_LO, SMMUV3_TESTDEV_GVA_HI, SMMUV3_TESTDEV_LEN, SMMUV3_TESTDEV_ATTRS,
        SMMUV3_TESTDEV_GPA_LO, SMMUV3_TESTDEV_GPA_HI, SMMUV3_TESTDEV_MCPY_SRC_LO, SMMUV3_TESTDEV_MCPY_SRC_HI,
        SMMUV3_TESTDEV_MCPY_DST_LO, SMMUV3_TESTDEV_MCPY_DST_HI, SMMUV3_TESTDEV_MCPY_LEN,
        SMMUV3_TESTDEV_MCPY_REPEAT, SMMUV3_TESTDEV_MSI_ADDR_LO, SMMUV3_TESTDEV_MSI_ADDR_HI,
        SMMUV3_TESTDEV_MSI_DATA, SMMUV3_TESTDEV_RESULT,
    };
    for (unsigned i = 0; i < sizeof(rw) / sizeof(rw[0]); i++) {
        wr(e, rw[i], 0xA5A5A5A5u + (uint32_t)i);
        assert_int_equal(rd(e, rw[i]), 0xA5A5A5A5u + (uint32_t)i);
    }
    /* masked registers */
    wr(e, SMMUV3_TESTDEV_SSID, 0xFFFFFFFFu);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_SSID), 0x800FFFFFu);
    wr(e, SMMUV3_TESTDEV_TXN_ATTRS, 0xFFFFFFFFu);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_TXN_ATTRS), 3);
    /* the doorbell arms and disarms */
    wr(e, SMMUV3_TESTDEV_DBELL, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_BUSY);
    wr(e, SMMUV3_TESTDEV_DBELL, 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_IDLE);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_NOT_ARMED);
    /* unknown offsets */
    assert_int_equal(rd(e, 0x24), 0);
    assert_int_equal(rd(e, 0x1000), 0);
    wr(e, 0x24, 5);
    assert_int_equal(rd(e, 0x24), 0);
    /* NULL device and bad creation */
    assert_int_equal(smmuv3_testdev_read(NULL, 0x10), 0);
    smmuv3_testdev_write(NULL, 0x14, 1);
    assert_null(smmuv3_testdev_new(NULL, &e->b.host, 0));
    assert_null(smmuv3_testdev_new(e->b.smmu, NULL, 0));
    smmuv3_testdev_free(NULL);
    td_free(e);
}

/* ------------------------------------------------------------ RESULT codes */
static void test_result_codes(void **state)
{
    (void)state;
    tdenv *e = td_new();
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, PG, SMMUV3_MAP_RW, 0), 0);
    /* 0: success, pattern little-endian, odd length */
    assert_int_equal(dma(e, IOVA + 0x10, DATA + 0x10, 6), SMMUV3_TESTDEV_RESULT_OK);
    uint8_t b[8];
    assert_int_equal(smmuv3_mem_read(e->b.mem, DATA + 0x10, b, 8), 0);
    const uint8_t want[8] = { 0x78, 0x56, 0x34, 0x12, 0x78, 0x56, 0, 0 };
    assert_memory_equal(b, want, 8);
    /* BAD_LEN: 0 and too long */
    assert_int_equal(dma(e, IOVA, DATA, 0), SMMUV3_TESTDEV_RESULT_BAD_LEN);
    assert_int_equal(dma(e, IOVA, DATA, SMMUV3_TESTDEV_MAX_LEN + 1), SMMUV3_TESTDEV_RESULT_BAD_LEN);
    /* TX_FAIL: not mapped */
    assert_int_equal(dma(e, IOVA + PG, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_EVENT(rd(e, SMMUV3_TESTDEV_LAST_FAULT)), SMMUV3_EVT_F_TRANSLATION);
    wr(e, SMMUV3_TESTDEV_LAST_FAULT, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_LAST_FAULT), 0);
    /* RD_FAIL: the readback aborts, and the readback beyond the PA space */
    assert_int_equal(smmuv3_mem_add_abort(e->b.mem, DATA + 0x800000, PG), 0);
    assert_int_equal(dma(e, IOVA, DATA + 0x800000, 4), SMMUV3_TESTDEV_RESULT_RD_FAIL);
    assert_int_equal(dma(e, IOVA, SMMUV3_PA_LIMIT - 2, 4), SMMUV3_TESTDEV_RESULT_RD_FAIL);
    /* MISMATCH: the GPA is not where the IOVA goes */
    assert_int_equal(dma(e, IOVA, DATA + 0x100, 4), SMMUV3_TESTDEV_RESULT_MISMATCH);
    /* NOT_ARMED */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_NOT_ARMED);
    /* BAD_ATTRS: space valid, secure bit disagrees with the space (both ways) */
    smmuv3_stats before, after;
    smmuv3_get_stats(e->b.smmu, &before);
    wr(e, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID | SMMUV3_TESTDEV_ATTRS_SECURE |
                                    SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_NONSECURE));
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_BAD_ATTRS);
    wr(e, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID |
                                    SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_SECURE));
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_BAD_ATTRS);
    /* a Realm space: this SMMU cannot take it */
    wr(e, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID |
                                    SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_REALM));
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    smmuv3_get_stats(e->b.smmu, &after);
    assert_int_equal(after.translations, before.translations);
    /* consistent and Secure: a Secure stream (SEC_SID = 1), here aborted by S_GBPA */
    smmuv3_mmio_write_sec(e->b.smmu, 0x8044, 0x80000000u | 1u << 20, 4, true);
    wr(e, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID | SMMUV3_TESTDEV_ATTRS_SECURE |
                                    SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_SECURE));
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    smmuv3_get_stats(e->b.smmu, &after);
    assert_int_equal(after.translations, before.translations + 1);
    /* space not valid: the secure bit alone is not checked for consistency */
    wr(e, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_NONSECURE));
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_OK);
    td_free(e);
}

/* ------------------------------------------------------------ page crossing */
static void test_page_crossing(void **state)
{
    (void)state;
    tdenv *e = td_new();
    /* IOVA pages 0 and 1 go to physically distant pages */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA + 5 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + PG, DATA + 2 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    smmuv3_stats a, b;
    smmuv3_get_stats(e->b.smmu, &a);
    /* 8 bytes over the boundary: each half lands on its own page; the
     * contiguous readback at the first page therefore mismatches */
    assert_int_equal(dma(e, IOVA + PG - 4, DATA + 6 * PG - 4, 8), SMMUV3_TESTDEV_RESULT_MISMATCH);
    smmuv3_get_stats(e->b.smmu, &b);
    assert_int_equal(b.translations - a.translations, 2);
    assert_int_equal(pa32(e, DATA + 6 * PG - 4), 0x12345678u);
    assert_int_equal(pa32(e, DATA + 2 * PG), 0x12345678u);
    assert_int_equal(pa32(e, DATA + 6 * PG), 0);
    /* contiguous physical pages: RESULT 0 over a long crossing DMA */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 4 * PG, DATA + 8 * PG, 3 * PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(dma(e, IOVA + 4 * PG + 0x10, DATA + 8 * PG + 0x10, 2 * PG), SMMUV3_TESTDEV_RESULT_OK);
    /* second page unmapped: the first is written, RESULT TX_FAIL */
    assert_int_equal(smmuv3_pt_unmap(&e->pt0, IOVA + PG, PG), 0);
    /* the mapping is global (nG=0): TLBI by ASID would not remove it, by VA does */
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->b.drv, 0, ASID0, IOVA + PG, true), 0);
    fill(e, DATA + 5 * PG, PG, 0);
    assert_int_equal(dma(e, IOVA + PG - 4, DATA + 6 * PG - 4, 8), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(pa32(e, DATA + 6 * PG - 4), 0x12345678u);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_TRANSLATION, rec), 1);
    assert_int_equal(img_get(rec, "event", "inputaddr"), IOVA + PG);
    td_free(e);
}

/* ------------------------------------------------------------ SubstreamID, privilege, instruction */
static void test_ssid_and_attrs(void **state)
{
    (void)state;
    tdenv *e = td_new();
    /* non-global: the two contexts map the same IOVA differently (a global
     * entry would match every ASID) */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, PG, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt2, IOVA, DATA + PG, PG, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    /* no SubstreamID: CD 0 (S1DSS=substream 0) */
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_OK);
    /* SubstreamID 2: CD 2 */
    wr(e, SMMUV3_TESTDEV_SSID, SMMUV3_TESTDEV_SSID_SSV | 2);
    assert_int_equal(dma(e, IOVA + 8, DATA + PG + 8, 4), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(pa32(e, DATA + 8), 0);
    /* SubstreamID 1: CD 1 is invalid */
    wr(e, SMMUV3_TESTDEV_SSID, SMMUV3_TESTDEV_SSID_SSV | 1);
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    /* SubstreamID 4: beyond S1CDMax */
    wr(e, SMMUV3_TESTDEV_SSID, SMMUV3_TESTDEV_SSID_SSV | 4);
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_C_BAD_SUBSTREAMID, NULL), 1);
    /* value without SSV is ignored */
    wr(e, SMMUV3_TESTDEV_SSID, 4);
    assert_int_equal(dma(e, IOVA, DATA, 4), SMMUV3_TESTDEV_RESULT_OK);
    wr(e, SMMUV3_TESTDEV_SSID, 0);

    /* privileged-only page: unprivileged DMA faults, privileged succeeds */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + PG, DATA + 2 * PG, PG, SMMUV3_MAP_RW | SMMUV3_MAP_PRIV, 0), 0);
    assert_int_equal(dma(e, IOVA + PG, DATA + 2 * PG, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_PERMISSION, rec), 1);
    assert_int_equal(img_get(rec, "event", "pnu"), 0);
    wr(e, SMMUV3_TESTDEV_TXN_ATTRS, SMMUV3_TESTDEV_TXN_PRIV);
    assert_int_equal(dma(e, IOVA + PG, DATA + 2 * PG, 4), SMMUV3_TESTDEV_RESULT_OK);
    wr(e, SMMUV3_TESTDEV_TXN_ATTRS, 0);

    /* instruction reads need an executable page: the memcpy engine reads */
    fill(e, DATA + 3 * PG, 64, 9);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 3 * PG, DATA + 3 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 4 * PG, DATA + 4 * PG, PG,
                                   SMMUV3_MAP_RW | SMMUV3_MAP_EXEC, 0), 0);
    wr(e, SMMUV3_TESTDEV_TXN_ATTRS, SMMUV3_TESTDEV_TXN_INST);
    wr64(e, SMMUV3_TESTDEV_MCPY_SRC_LO, IOVA + 3 * PG);
    wr64(e, SMMUV3_TESTDEV_MCPY_DST_LO, IOVA);
    wr(e, SMMUV3_TESTDEV_MCPY_LEN, 64);
    wr(e, SMMUV3_TESTDEV_MCPY_REPEAT, 1);
    wr(e, SMMUV3_TESTDEV_MCPY_CTRL, SMMUV3_TESTDEV_MCPY_START);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_FAULT);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_LO), (uint32_t)(IOVA + 3 * PG));
    uint32_t fe = rd(e, SMMUV3_TESTDEV_MCPY_FAULT_EVENT);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_EVENT(fe), SMMUV3_EVT_F_PERMISSION);
    assert_int_equal(fe & SMMUV3_TESTDEV_FAULT_WRITE, 0);
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_PERMISSION, rec), 1);
    assert_int_equal(img_get(rec, "event", "ind"), 1);
    /* the same read from the executable page goes through */
    fill(e, DATA + 4 * PG, 64, 3);
    wr64(e, SMMUV3_TESTDEV_MCPY_SRC_LO, IOVA + 4 * PG);
    wr(e, SMMUV3_TESTDEV_MCPY_CTRL, SMMUV3_TESTDEV_MCPY_START);
    assert_int_not_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_LO), (uint32_t)(IOVA + 4 * PG));
    td_free(e);
}

/* ------------------------------------------------------------ memcpy engine */
/* Program a copy of len bytes from src to dst, repeat times, and START it. */
static void mcpy_start(tdenv *e, uint64_t src, uint64_t dst, uint32_t len, uint32_t repeat)
{
    wr64(e, SMMUV3_TESTDEV_MCPY_SRC_LO, src);
    wr64(e, SMMUV3_TESTDEV_MCPY_DST_LO, dst);
    wr(e, SMMUV3_TESTDEV_MCPY_LEN, len);
    wr(e, SMMUV3_TESTDEV_MCPY_REPEAT, repeat);
    wr(e, SMMUV3_TESTDEV_MCPY_CTRL, SMMUV3_TESTDEV_MCPY_START);
}

static void test_memcpy_basic(void **state)
{
    (void)state;
    tdenv *e = td_new();
    /* source two pages, destination two pages, at different offsets */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, 2 * PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 4 * PG, DATA + 8 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 5 * PG, DATA + 6 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    fill(e, DATA, 2 * PG, 1);
    mcpy_start(e, IOVA + 0xF00, IOVA + 4 * PG + 0x800, 0x400, 3);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_RUNNING);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_DONE_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 3);
    /* the source crossed a page; the 0x400 bytes at dst+0x800 stay in the
     * first destination page */
    assert_true(same(e, DATA + 0xF00, DATA + 8 * PG + 0x800, 0x400));
    /* across both destination pages (scattered physically) */
    mcpy_start(e, IOVA, IOVA + 4 * PG + 0xC00, 0x800, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_DONE_OK);
    assert_true(same(e, DATA, DATA + 8 * PG + 0xC00, 0x400));
    assert_true(same(e, DATA + 0x400, DATA + 6 * PG, 0x400));

    /* STEP runs a number of repetitions; STOP ends a run */
    mcpy_start(e, IOVA, IOVA + 4 * PG, 16, 5);
    wr(e, SMMUV3_TESTDEV_MCPY_STEP, 2);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 3);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_RUNNING);
    wr(e, SMMUV3_TESTDEV_MCPY_CTRL, SMMUV3_TESTDEV_MCPY_STOP);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_STOPPED);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 3);
    /* repeat 0 counts as 1; length 0 and too long are refused */
    mcpy_start(e, IOVA, IOVA + 4 * PG, 16, 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_DONE_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 1);
    mcpy_start(e, IOVA, IOVA + 4 * PG, 0, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_BAD_LEN);
    mcpy_start(e, IOVA, IOVA + 4 * PG, SMMUV3_TESTDEV_MAX_LEN + 1, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_BAD_LEN);
    /* unknown control values do nothing */
    wr(e, SMMUV3_TESTDEV_MCPY_CTRL, 7);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_BAD_LEN);
    td_free(e);
}

/* A long repeated copy; the destination is remapped after the first
 * repetition. Without invalidation the SMMU may keep using the cached
 * translation (this model's TLB does); with TLBI the rest goes to the new page. */
static void run_remap(bool invalidate)
{
    tdenv *e = td_new();
    const uint64_t src_pa = DATA, old_pa = DATA + 4 * PG, new_pa = DATA + 9 * PG;
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, src_pa, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + PG, old_pa, PG, SMMUV3_MAP_RW, 0), 0);
    fill(e, src_pa, 256, 5);
    mcpy_start(e, IOVA, IOVA + PG, 256, 100);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 1);
    assert_true(same(e, src_pa, old_pa, 256));
    /* remap the destination and clear the old page */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + PG, new_pa, PG, SMMUV3_MAP_RW, 0), 0);
    fill(e, old_pa, 256, 200);
    if (invalidate)
        assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->b.drv, 0, ASID0, IOVA + PG, true), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_DONE_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 100);
    if (invalidate) {
        assert_true(same(e, src_pa, new_pa, 256));
        assert_false(same(e, src_pa, old_pa, 256));
    } else {
        const smmuv3_config *cfg = smmuv3_get_config(e->b.smmu);
        assert_non_null(cfg);
        if (cfg->tlb_entries) {
            assert_true(same(e, src_pa, old_pa, 256));
            assert_int_equal(pa32(e, new_pa), 0);
        }
    }
    td_free(e);
}

static void test_memcpy_remap_no_invalidate(void **state)
{
    (void)state;
    run_remap(false);
}

static void test_memcpy_remap_invalidate(void **state)
{
    (void)state;
    run_remap(true);
}

/* Unmapped (and invalidated) mid-run: the engine stops with FAULT. */
static void test_memcpy_fault(void **state)
{
    (void)state;
    tdenv *e = td_new();
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, 2 * PG, SMMUV3_MAP_RW, 0), 0);
    mcpy_start(e, IOVA, IOVA + PG + 0x40, 64, 10);
    assert_int_equal(smmuv3_pt_unmap(&e->pt0, IOVA + PG, PG), 0);
    assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->b.drv, 0, ASID0, IOVA + PG, true), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_FAULT);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_LO), (uint32_t)(IOVA + PG + 0x40));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_HI), (uint32_t)((IOVA + PG) >> 32));
    uint32_t fe = rd(e, SMMUV3_TESTDEV_MCPY_FAULT_EVENT);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_EVENT(fe), SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_OUTCOME(fe), SMMUV3_XLATE_ABORT);
    assert_true(fe & SMMUV3_TESTDEV_FAULT_WRITE);
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_TRANSLATION, NULL), 1);
    /* a faulting source */
    mcpy_start(e, IOVA + 7 * PG, IOVA, 64, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_FAULT);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_LO), (uint32_t)(IOVA + 7 * PG));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_EVENT) & SMMUV3_TESTDEV_FAULT_WRITE, 0);
    /* an external abort on the physical access */
    assert_int_equal(smmuv3_mem_add_abort(e->b.mem, DATA, 0x100), 0);
    mcpy_start(e, IOVA, IOVA + PG, 64, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_FAULT);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_OUTCOME(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_EVENT)), 0xFF);
    td_free(e);
}

/* Stall model: the engine stalls on a fault, software fixes the mapping and
 * answers CMD_RESUME (retry), the run completes. */
static void test_memcpy_stall_resume(void **state)
{
    (void)state;
    tdenv *e = td_new_opts(true);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, PG, SMMUV3_MAP_RW, 0), 0);
    fill(e, DATA, 128, 77);
    mcpy_start(e, IOVA, IOVA + PG, 128, 2);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_STALLED);
    uint32_t stag = rd(e, SMMUV3_TESTDEV_MCPY_STAG);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_TRANSLATION, rec), 1);
    assert_int_equal(img_get(rec, "event", "stall"), 1);
    assert_int_equal(img_get(rec, "event", "stag"), stag);
    /* still pending: WAIT does not move */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_STALLED);
    /* fix and resume (retry) */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + PG, DATA + 3 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    uint8_t cmd[16];
    const char *names[] = { "sid", "stag", "action" };
    const uint64_t vals[] = { SID, stag, 1 };
    assert_int_equal(smmuv3_cmd_build(cmd, "CMD_RESUME", names, vals, 3), 0);
    assert_int_equal(smmuv3_driver_submit(&e->b.drv, cmd), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_DONE_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_DONE), 2);
    assert_true(same(e, DATA, DATA + 3 * PG, 128));

    /* stall then terminate: FAULT */
    mcpy_start(e, IOVA, IOVA + 5 * PG, 128, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_STATUS), SMMUV3_TESTDEV_MCPY_STALLED);
    const char *tnames[] = { "sid" };
    const uint64_t tvals[] = { SID };
    assert_int_equal(smmuv3_cmd_build(cmd, "STALL_TERM", tnames, tvals, 1), 0);
    assert_int_equal(smmuv3_driver_submit(&e->b.drv, cmd), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_FAULT);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_OUTCOME(rd(e, SMMUV3_TESTDEV_MCPY_FAULT_EVENT)), SMMUV3_XLATE_ABORT);

    /* a basic DMA that stalls fails at once */
    assert_int_equal(dma(e, IOVA + 6 * PG, DATA, 4), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_OUTCOME(rd(e, SMMUV3_TESTDEV_LAST_FAULT)), SMMUV3_XLATE_STALL);
    td_free(e);
}

/* ------------------------------------------------------------ MSI */
static void test_msi(void **state)
{
    (void)state;
    tdenv *e = td_new();
    const uint64_t doorbell = IOVA + 2 * PG + 0x40, doorbell_pa = DATA + 7 * PG + 0x40;
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 2 * PG, DATA + 7 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    wr64(e, SMMUV3_TESTDEV_MSI_ADDR_LO, doorbell);
    wr(e, SMMUV3_TESTDEV_MSI_DATA, 0xCAFE0042u);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 0);   /* bit 0 clear: nothing */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_IDLE);
    /* the SSID register does not apply to MSIs (CD table has 4 CDs, SSID 5 would fail) */
    wr(e, SMMUV3_TESTDEV_SSID, SMMUV3_TESTDEV_SSID_SSV | 5);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_COUNT), 1);
    assert_int_equal(pa32(e, doorbell_pa), 0xCAFE0042u);
    assert_int_equal(pa32(e, doorbell), 0);   /* untranslated address untouched */
    /* unmapped doorbell: terminated, recorded */
    wr64(e, SMMUV3_TESTDEV_MSI_ADDR_LO, IOVA + 9 * PG);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_COUNT), 1);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_TRANSLATION, rec), 1);
    assert_int_equal(img_get(rec, "event", "inputaddr"), IOVA + 9 * PG);
    assert_int_equal(img_get(rec, "event", "ssv"), 0);
    /* read-only doorbell page: permission fault */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 3 * PG, DATA + 7 * PG, PG, SMMUV3_MAP_READ, 0), 0);
    wr64(e, SMMUV3_TESTDEV_MSI_ADDR_LO, IOVA + 3 * PG);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, SMMUV3_EVT_F_PERMISSION, NULL), 1);
    /* the physical write aborts */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 4 * PG, DATA + 12 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_mem_add_abort(e->b.mem, DATA + 12 * PG, PG), 0);
    wr64(e, SMMUV3_TESTDEV_MSI_ADDR_LO, IOVA + 4 * PG);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_RD_FAIL);
    /* a doorbell straddling two pages translates both */
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 5 * PG, DATA + 14 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA + 6 * PG, DATA + 16 * PG, PG, SMMUV3_MAP_RW, 0), 0);
    wr64(e, SMMUV3_TESTDEV_MSI_ADDR_LO, IOVA + 6 * PG - 2);
    wr(e, SMMUV3_TESTDEV_MSI_DATA, 0x11223344u);
    wr(e, SMMUV3_TESTDEV_MSI_TRIGGER, 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_RESULT), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MSI_COUNT), 2);
    uint8_t b[2];
    assert_int_equal(smmuv3_mem_read(e->b.mem, DATA + 15 * PG - 2, b, 2), 0);
    assert_int_equal(b[0], 0x44);
    assert_int_equal(b[1], 0x33);
    assert_int_equal(smmuv3_mem_read(e->b.mem, DATA + 16 * PG, b, 2), 0);
    assert_int_equal(b[0], 0x22);
    assert_int_equal(b[1], 0x11);
    td_free(e);
}

/* Deterministic register fuzz: any sequence of register accesses ends, with
 * sane registers, and without touching memory outside what is mapped. */
static void test_register_fuzz(void **state)
{
    (void)state;
    tdenv *e = td_new();
    assert_int_equal(smmuv3_pt_map(&e->pt0, IOVA, DATA, 16 * PG, SMMUV3_MAP_RW, 0), 0);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (unsigned i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t off = (x >> 8) & 0xFC;
        uint32_t v = (uint32_t)(x >> 32);
        switch ((x >> 3) & 7) {
        case 0: v &= 0xFFFF; break;                                    /* short lengths */
        case 1: v = (uint32_t)(IOVA + (v & 0x1FFFF)); break;            /* near the mapping */
        case 2: v &= 1; break;
        default: break;
        }
        if (off == SMMUV3_TESTDEV_GVA_HI || off == SMMUV3_TESTDEV_MCPY_SRC_HI || off == SMMUV3_TESTDEV_MCPY_DST_HI)
            v &= (x & 1) ? 0 : 0xFFFFFFFFu;
        if (x & 2)
            (void)smmuv3_testdev_read(e->dev, off);
        else
            smmuv3_testdev_write(e->dev, off, v);
        uint32_t st = rd(e, SMMUV3_TESTDEV_MCPY_STATUS);
        assert_true(st <= SMMUV3_TESTDEV_MCPY_BAD_LEN);
        assert_true(rd(e, SMMUV3_TESTDEV_MCPY_DONE) <= SMMUV3_TESTDEV_MAX_REPEAT);
    }
    /* huge runs are refused rather than run for ever */
    mcpy_start(e, IOVA, IOVA + PG, SMMUV3_TESTDEV_MAX_LEN, 0xFFFFFFFFu);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_BAD_LEN);
    mcpy_start(e, IOVA, IOVA + PG, 64 << 10, 8192);   /* 512MB in total */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_MCPY_WAIT), SMMUV3_TESTDEV_MCPY_BAD_LEN);
    td_free(e);
}

TEST_MAIN(test_reset_and_registers, test_result_codes, test_page_crossing, test_ssid_and_attrs,
          test_memcpy_basic, test_memcpy_remap_no_invalidate, test_memcpy_remap_invalidate,
          test_memcpy_fault, test_memcpy_stall_resume, test_msi, test_register_fuzz)
