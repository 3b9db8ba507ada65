/* The test device's ATS and PRI client (testdev.h 0xB0..0xEC): the whole IO
 * page fault round trip from registers alone (IHI 0070 3.9.1, 8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include <smmuv3/testdev.h>
#include "atsenv.h"
#include "tdev.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)
#define SID 3
#define VA 0x40000000ull
#define PA 0x9000000ull
#define RW SMMUV3_MAP_RW

static uint32_t rd(atsenv *e, uint64_t off) { return smmuv3_testdev_read(e->dev, off); }
static void wr(atsenv *e, uint64_t off, uint32_t v) { smmuv3_testdev_write(e->dev, off, v); }

static atsenv *env(void)
{
    atsenv *e = atsenv_new(NULL, false);
    assert_non_null(e);
    atsenv_s1(e, SID, 1, 0, 0);
    OK(smmuv3_driver_priq_init(&e->drv, 4, SMMUV3_BUILD_ALLOC));
    e->dev = smmuv3_testdev_new(e->s, &e->host, SID);
    assert_non_null(e->dev);
    return e;
}

static void done(atsenv *e)
{
    smmuv3_testdev_free(e->dev);
    e->dev = NULL;
    atsenv_free(e);
}

static uint32_t dma(atsenv *e, uint64_t va, uint64_t pa, uint32_t len) { return tdev_dma(e->dev, va, pa, len); }

/* DMA -> no access -> Page Request -> the driver maps, invalidates and
 * answers -> the retried DMA translates, caches and goes out Translated. */
static void test_io_page_fault_round_trip(void **state)
{
    (void)state;
    atsenv *e = env();
    wr(e, SMMUV3_TESTDEV_ATS_CTRL, SMMUV3_TESTDEV_ATS_EN | SMMUV3_TESTDEV_PRI_EN);
    wr(e, SMMUV3_TESTDEV_PRI_PRGI, 0x42);
    assert_int_equal(dma(e, VA + 0x80, PA + 0x80, 0x100), SMMUV3_TESTDEV_RESULT_PAGE_REQUESTED);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_REQ_COUNT), 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 0);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_STATUS), 0x80000000u);   /* Success, R = W = 0 */

    /* the driver: the PRI queue holds the request */
    uint8_t rec[SMMUV3_PRI_BYTES];
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    smmuv3_pri_req q;
    OK(smmuv3_pri_record_decode(rec, &q));
    assert_int_equal(q.sid, SID);
    assert_int_equal(q.addr, VA);
    assert_int_equal(q.perm, SMMUV3_PERM_R | SMMUV3_PERM_W);
    assert_true(q.last);
    assert_int_equal(q.prgi, 0x42);
    /* maps the page, invalidates the SMMU and the device, answers Success */
    atsenv_map(e, SID, VA, PA, 0x1000, RW);
    OK(smmuv3_driver_tlbi_nh_all(&e->drv, 1));
    OK(smmuv3_driver_atc_inv(&e->drv, SID, false, 0, VA, 0x1000));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_INV_COUNT), 1);
    OK(smmuv3_driver_pri_resp(&e->drv, SID, q.ssv, q.ssid, q.prgi, SMMUV3_PRI_RESP_SUCCESS));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_RESP_COUNT), 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_STATUS), 0x80000000u | 0x42u << 16 | SMMUV3_PRI_RESP_SUCCESS);

    /* the device retries: translation, ATC fill, Translated write */
    assert_int_equal(dma(e, VA + 0x80, PA + 0x80, 0x100), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_TADDR_LO), (uint32_t)PA);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_TSIZE_LO), 0x1000);
    /* a second DMA hits in the ATC: no request reaches the SMMU */
    smmuv3_stats a, b;
    smmuv3_get_stats(e->s, &a);
    assert_int_equal(dma(e, VA + 0x200, PA + 0x200, 0x40), SMMUV3_TESTDEV_RESULT_OK);
    smmuv3_get_stats(e->s, &b);
    assert_int_equal(b.walks, a.walks);
    assert_int_equal(b.tlb_hits, a.tlb_hits);
    /* unmap: TLBI then ATC_INV empties the ATC; the next DMA faults again */
    OK(smmuv3_pt_unmap(&e->pt[SID], VA, 0x1000));
    OK(smmuv3_driver_tlbi_nh_all(&e->drv, 1));
    OK(smmuv3_driver_atc_inv(&e->drv, SID, false, 0, VA, 0x1000));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 0);
    assert_int_equal(dma(e, VA + 0x80, PA + 0x80, 0x100), SMMUV3_TESTDEV_RESULT_PAGE_REQUESTED);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_REQ_COUNT), 2);
    done(e);
}

/* Without PRI the device cannot ask: the DMA fails; with ATS off the
 * device's DMA is an ordinary one. */
static void test_ats_without_pri(void **state)
{
    (void)state;
    atsenv *e = env();
    wr(e, SMMUV3_TESTDEV_ATS_CTRL, SMMUV3_TESTDEV_ATS_EN);
    assert_int_equal(dma(e, VA, PA, 0x10), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_REQ_COUNT), 0);
    /* a read-only page: Success without W is no better */
    atsenv_map(e, SID, VA, PA, 0x1000, SMMUV3_MAP_READ);
    assert_int_equal(dma(e, VA, PA, 0x10), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);   /* the R-only entry is cached */
    /* EATS 0: UR */
    atsenv_ste_field(e, SID, "eats", 0);
    wr(e, SMMUV3_TESTDEV_ATS_CMD, SMMUV3_TESTDEV_ATS_CMD_ATC_FLUSH);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 0);
    assert_int_equal(dma(e, VA, PA, 0x10), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_STATUS) & 3, SMMUV3_ATS_UR);
    /* ATS off: an ordinary DMA through the SMMU (read-only page: write fails) */
    wr(e, SMMUV3_TESTDEV_ATS_CTRL, 0);
    atsenv_map(e, SID, VA, PA, 0x1000, RW);
    OK(smmuv3_driver_tlbi_nh_all(&e->drv, 1));
    assert_int_equal(dma(e, VA, PA, 0x10), SMMUV3_TESTDEV_RESULT_OK);
    done(e);
}

/* The explicit commands: TRANSLATE, PAGE_REQUEST, ATC_FLUSH. */
static void test_commands(void **state)
{
    (void)state;
    atsenv *e = env();
    atsenv_map(e, SID, VA, PA, 0x200000, RW);   /* a 2MB block */
    wr(e, SMMUV3_TESTDEV_ATS_ADDR_LO, (uint32_t)(VA + 0x12345));
    wr(e, SMMUV3_TESTDEV_ATS_ADDR_HI, 0);
    wr(e, SMMUV3_TESTDEV_ATS_FLAGS, SMMUV3_TESTDEV_ATS_WRITE);
    wr(e, SMMUV3_TESTDEV_ATS_CMD, SMMUV3_TESTDEV_ATS_CMD_TRANSLATE);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_STATUS), 0x80000000u | 3u << 4);   /* Success, R and W */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_TADDR_LO), (uint32_t)PA);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_TSIZE_LO), 0x200000);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);
    /* the whole block is cached: a DMA anywhere in it needs no request */
    wr(e, SMMUV3_TESTDEV_ATS_CTRL, SMMUV3_TESTDEV_ATS_EN);
    smmuv3_stats a, b;
    smmuv3_get_stats(e->s, &a);
    assert_int_equal(dma(e, VA + 0x1FF000, PA + 0x1FF000, 0x1000), SMMUV3_TESTDEV_RESULT_OK);
    smmuv3_get_stats(e->s, &b);
    assert_int_equal(b.walks + b.tlb_hits, a.walks + a.tlb_hits);
    /* an invalidation for another StreamID is not for this device */
    smmuv3_atc_inv other = { .sid = SID + 1, .size = 0 };
    smmuv3_testdev_atc_inv(e->dev, &other);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);
    /* a PASID-tagged invalidation leaves the non-PASID entry */
    smmuv3_atc_inv pasid = { .sid = SID, .ssv = true, .ssid = 1, .size = 0 };
    smmuv3_testdev_atc_inv(e->dev, &pasid);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);
    /* an invalidation of a range outside the entry leaves it */
    OK(smmuv3_driver_atc_inv(&e->drv, SID, false, 0, VA + 0x200000, 0x1000));
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 1);
    wr(e, SMMUV3_TESTDEV_ATS_CMD, SMMUV3_TESTDEV_ATS_CMD_ATC_FLUSH);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATC_COUNT), 0);
    /* PAGE_REQUEST: R + W, PRGI, Last */
    wr(e, SMMUV3_TESTDEV_PRI_PRGI, 0x3FF);   /* 9 bits kept */
    assert_int_equal(rd(e, SMMUV3_TESTDEV_PRI_PRGI), 0x1FF);
    wr(e, SMMUV3_TESTDEV_ATS_CMD, SMMUV3_TESTDEV_ATS_CMD_PAGE_REQUEST);
    uint8_t rec[SMMUV3_PRI_BYTES];
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    smmuv3_pri_req q;
    OK(smmuv3_pri_record_decode(rec, &q));
    assert_int_equal(q.addr, VA + 0x12000);
    assert_int_equal(q.perm, SMMUV3_PERM_R | SMMUV3_PERM_W);
    assert_int_equal(q.prgi, 0x1FF);
    /* register file: unknown offsets read 0, the client's registers keep
     * only their bits */
    wr(e, SMMUV3_TESTDEV_ATS_CTRL, 0xFFFFFFFFu);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_CTRL), 3);
    wr(e, SMMUV3_TESTDEV_ATS_FLAGS, 0xFFFFFFFFu);
    assert_int_equal(rd(e, SMMUV3_TESTDEV_ATS_FLAGS), 7);
    assert_int_equal(rd(e, 0xF0), 0);
    smmuv3_testdev_atc_inv(NULL, &other);
    smmuv3_testdev_pri_resp(e->dev, NULL);
    done(e);
}

/* Garbage register writes to the client never crash. */
static void test_garbage(void **state)
{
    (void)state;
    atsenv *e = env();
    atsenv_map(e, SID, VA, PA, 0x10000, RW);
    uint64_t x = 0x1234567;
    for (int i = 0; i < 3000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        wr(e, 0xB0 + ((x >> 8) % 17) * 4, (uint32_t)(x >> 20));
        if ((x & 0xF) == 0) {
            wr(e, SMMUV3_TESTDEV_SSID, (uint32_t)(x >> 32));
            dma(e, VA + (x & 0xFFFF), PA, 1 + (uint32_t)(x >> 50) % 0x2000);
        }
    }
    done(e);
}

TEST_MAIN(test_io_page_fault_round_trip, test_ats_without_pri, test_commands, test_garbage)
