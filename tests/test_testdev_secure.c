/* Unit tests: the test device's ATTRS register (iommu-testdev 0x18) together
 * with its extensions. ATTRS says which Security state issues the basic DMA;
 * an extension that changes how the DMA travels (ATS_CTRL.ATS: through the
 * device's ATC) must not drop it. The host keeps the two PA spaces in
 * separate memories (twomem), so a test sees where every write went. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "smmu_regs.h"
#include "test_main.h"
#include "twomem.h"

#define STRTAB 0x100000ull
#define CMDQ   0x200000ull
#define EVTQ   0x300000ull
#define CDADDR 0x400000ull
#define TTB    0x500000ull
#define SID    1u
#define IOVA   0x40001010ull
#define OUT    0x9000000ull

static void put64(smmuv3_mem *m, uint64_t pa, uint64_t v) { assert_int_equal(smmuv3_mem_write(m, pa, &v, 8), 0); }

static int fx_setup(void **state)
{
    twomem_setup(state);
    twomem_up(*state, STRTAB, CMDQ, EVTQ, 4);
    return 0;
}

/* In memory m: a stage 1 STE for SID (EATS as given) with one CD, and IOVA's
 * page mapped read/write to OUT through three levels at TTB. */
static void s1_stream(smmuv3_mem *m, unsigned eats)
{
    uint8_t ste[64] = { 0 }, cd[64] = { 0 };
    assert_int_equal(smmuv3_ste_s1(ste, CDADDR, 0, 0), 0);
    assert_int_equal(smmuv3_ste_set(ste, "eats", eats), 0);
    assert_int_equal(smmuv3_mem_write(m, STRTAB + SID * 64ull, ste, 64), 0);
    smmuv3_cd_params p = { .ttb0 = TTB, .t0sz = 25, .granule = 12, .ips = 48, .asid = 5 };
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(smmuv3_mem_write(m, CDADDR, cd, 64), 0);
    put64(m, TTB + ((IOVA >> 30) & 0x1ff) * 8, (TTB + 0x1000) | 3u);
    put64(m, TTB + 0x1000 + ((IOVA >> 21) & 0x1ff) * 8, (TTB + 0x2000) | 3u);
    put64(m, TTB + 0x2000 + ((IOVA >> 12) & 0x1ff) * 8, OUT | 3u | 1u << 10 | 1u << 6);   /* AF, AP=01 */
}

static uint32_t dma(smmuv3_testdev *d, uint32_t attrs)
{
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_LO, (uint32_t)IOVA);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_HI, 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_LO, (uint32_t)(OUT + (IOVA & 0xfff)));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_HI, 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, 8);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATTRS, attrs);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, SMMUV3_TESTDEV_DBELL_ARM);
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    return smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT);
}

static uint32_t peek32(smmuv3_mem *m, uint64_t pa)
{
    uint32_t v = 0;
    assert_int_equal(smmuv3_mem_read(m, pa, &v, 4), 0);
    return v;
}

#define ATTRS_S  (SMMUV3_TESTDEV_ATTRS_SPACE_VALID | SMMUV3_TESTDEV_ATTRS_SECURE | \
                  SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_SECURE))
#define ATTRS_NS (SMMUV3_TESTDEV_ATTRS_SPACE_VALID | SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_NONSECURE))

/* With ATS_CTRL.ATS the basic DMA is a Translation Request and a Translated
 * write; with ATTRS Secure both are the Secure stream's. IHI 0070 3.9.1: ATS
 * is not supported for Secure streams, so the request gets UR and
 * F_BAD_ATS_TREQ in the Secure Event queue, and the DMA fails. It is not
 * sent as the Non-secure stream's request (whose STE would allow it). */
static void test_ats_dma_keeps_secure_attrs(void **state)
{
    twomem *f = *state;
    s1_stream(f->ns, 1);    /* Non-secure SID 1: ATS allowed */
    s1_stream(f->sec, 0);   /* Secure SID 1 */
    smmuv3_testdev *d = smmuv3_testdev_new(f->s, &f->host, SID);
    assert_non_null(d);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATS_CTRL, SMMUV3_TESTDEV_ATS_EN);

    /* the Non-secure DMA goes through ATS as before */
    assert_int_equal(dma(d, ATTRS_NS), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(peek32(f->ns, OUT + (IOVA & 0xfff)), SMMUV3_TESTDEV_PATTERN);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_ATC_COUNT), 1);
    uint32_t zero = 0;
    assert_int_equal(smmuv3_mem_write(f->ns, OUT + (IOVA & 0xfff), &zero, 4), 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATS_CMD, SMMUV3_TESTDEV_ATS_CMD_ATC_FLUSH);

    /* the Secure one is refused, as a Secure stream's request */
    assert_int_equal(dma(d, ATTRS_S), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(peek32(f->ns, OUT + (IOVA & 0xfff)), 0);
    assert_int_equal(peek32(f->sec, OUT + (IOVA & 0xfff)), 0);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_ATC_COUNT), 0);
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 1);
    TM_EXPECT_EVENT(f->sec, EVTQ, { "eventid", SMMUV3_EVT_F_BAD_ATS_TREQ }, { "streamid", SID });
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 0);

    /* a Translated write from the ATC (filled by the Non-secure stream) on
     * the Secure stream: 3.9.1, F_TRANSL_FORBIDDEN, nothing written */
    assert_int_equal(dma(d, ATTRS_NS), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(smmuv3_mem_write(f->ns, OUT + (IOVA & 0xfff), &zero, 4), 0);
    assert_int_equal(dma(d, ATTRS_S), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(peek32(f->ns, OUT + (IOVA & 0xfff)), 0);
    assert_int_equal(peek32(f->sec, OUT + (IOVA & 0xfff)), 0);
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 2);
    TM_EXPECT_EVENT(f->sec, EVTQ + 32, { "eventid", SMMUV3_EVT_F_TRANSL_FORBIDDEN }, { "streamid", SID });
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 0);
    smmuv3_testdev_free(d);
}

/* Without ATS the same Secure DMA goes through the Secure stream's tables
 * (the base behaviour the ATS case must keep). */
static void test_secure_dma_without_ats(void **state)
{
    twomem *f = *state;
    s1_stream(f->sec, 0);
    smmuv3_testdev *d = smmuv3_testdev_new(f->s, &f->host, SID);
    assert_non_null(d);
    assert_int_equal(dma(d, ATTRS_S), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(peek32(f->sec, OUT + (IOVA & 0xfff)), SMMUV3_TESTDEV_PATTERN);
    assert_int_equal(peek32(f->ns, OUT + (IOVA & 0xfff)), 0);
    smmuv3_testdev_free(d);
}

/* Without SECURE_IMPL there are no Secure streams: SEC_SID is 0 (IHI 0070
 * 3.10.1), so the same DMA goes through the Non-secure stream and succeeds
 * (as the documentation of ATTRS says; it used to claim 0xDEAD0002). */
static void test_secure_dma_without_secure_impl(void **state)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.secure_impl = false;
    twomem *f = twomem_renew(state, &c);
    tm_nw64(f, STRTAB_BASE, STRTAB);
    tm_nw32(f, STRTAB_BASE_CFG, 4);
    tm_nw32(f, CR0, 1);   /* SMMUEN */
    s1_stream(f->ns, 0);
    smmuv3_testdev *d = smmuv3_testdev_new(f->s, &f->host, SID);
    assert_non_null(d);
    assert_int_equal(dma(d, ATTRS_S), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(peek32(f->ns, OUT + (IOVA & 0xfff)), SMMUV3_TESTDEV_PATTERN);
    assert_int_equal(peek32(f->sec, OUT + (IOVA & 0xfff)), 0);
    smmuv3_testdev_free(d);
}

TEST_MAIN_FX(fx_setup, twomem_teardown, test_ats_dma_keeps_secure_attrs, test_secure_dma_without_ats,
             test_secure_dma_without_secure_impl)
