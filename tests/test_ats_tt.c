/* ATS Translated transactions (IHI 0070 3.9.1.3, 13.6.3) and CMD_ATC_INV
 * (4.5.1): smmuv3_translate with SMMUV3_TXN_TRANSLATED, and ATC invalidations
 * delivered to host.atc_inv. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "atsenv.h"
#include "cfgfx.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)
#define TT SMMUV3_TXN_TRANSLATED
#define PA 0x5000000ull

enum { SID_S1 = 1, SID_OFF = 2, SID_SPLIT = 3, SID_BYP = 4, SID_ABT = 5, SID_PASID = 6 };

static atsenv *env(bool atschk)
{
    atsenv *e = atsenv_new(NULL, atschk);
    assert_non_null(e);
    atsenv_s1(e, SID_S1, 1, 0, 0);
    atsenv_s1(e, SID_OFF, 0, 0, 0);
    atsenv_nested(e, SID_SPLIT, 2, 0, 0);
    atsenv_bypass(e, SID_BYP, 0);
    atsenv_abort(e, SID_ABT);
    atsenv_s1(e, SID_PASID, 1, 3, 0);
    return e;
}

static int tt(atsenv *e, uint32_t sid, uint64_t pa, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .ssid = 5, .ssv = true, .addr = pa, .flags = flags | TT };
    return smmuv3_translate(e->s, &t, r);
}

static uint8_t one_event(atsenv *e)
{
    uint8_t ids[8];
    unsigned n = atsenv_events(e, ids, 8);
    return n == 1 ? ids[0] : (uint8_t)(0xF0 | n);
}

/* ------------------------------------------------------------ translated */
static void test_atschk_off_passes(void **state)
{
    (void)state;
    atsenv *e = env(false);
    smmuv3_result r;
    /* ATSCHK == 0: no configuration lookup, even for EATS 0, abort or an
     * invalid StreamID */
    const uint32_t sids[] = { SID_S1, SID_OFF, SID_ABT, SID_BYP, 300 };
    for (unsigned i = 0; i < 5; i++) {
        OK(tt(e, sids[i], PA + 0x10, SMMUV3_TXN_WRITE, &r));
        assert_int_equal(r.pa, PA + 0x10);
        assert_true(r.bypass);
    }
    /* address size check (3.9.1.1): aborted silently */
    assert_int_equal(tt(e, SID_S1, 1ull << 48, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(one_event(e), 0xF0);
    atsenv_free(e);
}

static void test_smmuen_off_forbidden(void **state)
{
    (void)state;
    atsenv *e = env(false);
    OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) & ~1u));
    smmuv3_result r;
    assert_int_equal(tt(e, SID_S1, PA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
    /* the record: StreamID, RnW, InputAddr */
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
    uint64_t v;
    OK(smmuv3_event_get(rec, "streamid", &v));
    assert_int_equal(v, SID_S1);
    OK(smmuv3_event_get(rec, "inputaddr", &v));
    assert_int_equal(v, PA);
    OK(smmuv3_event_get(rec, "rnw", &v));
    assert_int_equal(v, 1);
    /* ordinary traffic bypasses through GBPA meanwhile */
    smmuv3_result o;
    OK(atsenv_xlate(e, SID_S1, PA, 0, &o));
    atsenv_free(e);
}

static void test_atschk_on(void **state)
{
    (void)state;
    atsenv *e = env(true);
    smmuv3_result r;
    OK(tt(e, SID_S1, PA, SMMUV3_TXN_WRITE, &r));                    /* EATS 0b01 */
    assert_int_equal(r.pa, PA);
    assert_int_equal(tt(e, SID_OFF, PA, 0, &r), SMMUV3_XLATE_ABORT);   /* EATS 0b00 */
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
    assert_int_equal(tt(e, SID_BYP, PA, 0, &r), SMMUV3_XLATE_ABORT);   /* bypass */
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
    assert_int_equal(tt(e, SID_ABT, PA, 0, &r), SMMUV3_XLATE_ABORT);   /* abort: silent */
    assert_int_equal(r.event, 0);
    assert_int_equal(tt(e, 300, PA, 0, &r), SMMUV3_XLATE_ABORT);       /* bad StreamID: silent */
    assert_int_equal(r.event, 0);
    uint8_t ste[64] = { 0 };
    OK(smmuv3_strtab_write_ste(&e->st, 12, ste));
    assert_int_equal(tt(e, 12, PA, 0, &r), SMMUV3_XLATE_ABORT);        /* invalid STE: silent */
    assert_int_equal(r.event, 0);
    uint8_t ids[8];
    assert_int_equal(atsenv_events(e, ids, 8), 2);
    /* a PASID is ignored (IDR3.PASIDTT == 0), so on a substream stream with
     * S1DSS = terminate the transaction is one without a SubstreamID:
     * aborted as F_STREAM_DISABLED, not recorded (3.9.1.3, 13.7) */
    assert_int_equal(tt(e, SID_PASID, PA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_STREAM_DISABLED);
    assert_int_equal(r.event, 0);
    /* beyond the OAS */
    assert_int_equal(tt(e, SID_S1, 1ull << 48, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(atsenv_events(e, ids, 8), 0);
    atsenv_free(e);
}

/* Split-stage: the address is an IPA translated at stage 2 (13.6.3). */
static void test_split_stage(void **state)
{
    (void)state;
    atsenv *e = env(true);
    atsenv_map_s2(e, 0x20000000, 0x1000, SMMUV3_MAP_READ);
    smmuv3_result r;
    OK(tt(e, SID_SPLIT, 0x20000123, 0, &r));
    assert_int_equal(r.pa, 0x20000123 + AE_NEST_OFF);
    assert_false(r.bypass);
    /* a write to the read-only IPA: stage 2 permission fault, recorded (S2R) */
    assert_int_equal(tt(e, SID_SPLIT, 0x20000000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_PERMISSION);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
    uint64_t v;
    OK(smmuv3_event_get(rec, "s2", &v));
    assert_int_equal(v, 1);
    OK(smmuv3_event_get(rec, "ipa", &v));
    assert_int_equal(v, 0x20000000);
    /* unmapped IPA: translation fault */
    assert_int_equal(tt(e, SID_SPLIT, 0x21000000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSLATION);
    /* beyond the IAS: a stage 1 F_ADDR_SIZE */
    assert_int_equal(tt(e, SID_SPLIT, 1ull << 50, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_ADDR_SIZE);
    /* S2R = 0: translation faults are not recorded */
    atsenv_ste_field(e, SID_SPLIT, "s2r", 0);
    assert_int_equal(tt(e, SID_SPLIT, 0x21000000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, 0);
    /* ATSCHK cleared: split-stage counts as EATS 0b00, and ATSCHK == 0 passes
     * Translated traffic unchecked */
    OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) & ~0x10u));
    OK(tt(e, SID_SPLIT, 0x21000000, 0, &r));
    assert_int_equal(r.pa, 0x21000000);
    atsenv_free(e);
}

static void test_without_ats(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(ats, false), CF(pri, false));
    atsenv *e = atsenv_new(&c, false);
    atsenv_bypass(e, 1, 0);
    smmuv3_result r;
    assert_int_equal(tt(e, 1, PA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    OK(atsenv_xlate(e, 1, PA, 0, &r));   /* ordinary traffic unaffected */
    atsenv_free(e);
}

/* 3.9.1: no ATS from Secure streams: a Translation Request gets UR and a
 * Translated transaction F_TRANSL_FORBIDDEN, recorded for the Secure Event
 * queue (not the Non-secure one), whatever the Non-secure configuration. */
static void test_secure_stream(void **state)
{
    (void)state;
    atsenv *e = env(false);
    if (!e->cfg.secure_impl) {
        atsenv_free(e);
        skip();
    }
    atsenv_map(e, SID_S1, 0x10000, PA, 0x1000, SMMUV3_MAP_RW);
    smmuv3_txn t = { .sid = SID_S1, .addr = 0x10000, .flags = SMMUV3_TXN_SECURE };
    smmuv3_ats_result ar;
    OK(smmuv3_ats_translate(e->s, &t, &ar));
    assert_int_equal(ar.status, SMMUV3_ATS_UR);
    smmuv3_result r;
    t.flags |= TT;
    assert_int_equal(smmuv3_translate(e->s, &t, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSL_FORBIDDEN);
    assert_int_equal(one_event(e), 0xF0);   /* nothing in the Non-secure queue */
    /* the same requests from the Non-secure stream are served */
    t.flags = 0;
    OK(smmuv3_ats_translate(e->s, &t, &ar));
    assert_int_equal(ar.status, SMMUV3_ATS_SUCCESS);
    atsenv_free(e);
}

/* Translated transactions never enter or use the translation memo. */
static void test_not_memoized(void **state)
{
    (void)state;
    atsenv *e = env(true);
    atsenv_map(e, SID_S1, 0x10000, PA, 0x1000, SMMUV3_MAP_RW);
    smmuv3_result r;
    for (int i = 0; i < 3; i++) {
        OK(atsenv_xlate(e, SID_S1, 0x10000, 0, &r));
        assert_int_equal(r.pa, PA);
        OK(tt(e, SID_S1, 0x10000, 0, &r));
        assert_int_equal(r.pa, 0x10000);
    }
    atsenv_free(e);
}

/* ------------------------------------------------------------ CMD_ATC_INV */
static int atc_inv(atsenv *e, uint32_t sid, bool ssv, uint32_t ssid, bool g, uint64_t addr, unsigned size)
{
    static const char *const n[] = { "sid", "ssv", "ssid", "global", "address", "size" };
    const uint64_t v[] = { sid, ssv, ssid, g, addr, size };
    return atsenv_cmd(e, "CMD_ATC_INV", n, v, 6);
}

static void test_atc_inv_delivery(void **state)
{
    (void)state;
    atsenv *e = env(false);
    OK(atc_inv(e, 7, false, 0, false, 0x12345000, 0));
    assert_int_equal(e->ninv, 1);
    assert_int_equal(e->inv[0].sid, 7);
    assert_false(e->inv[0].ssv);
    assert_int_equal(e->inv[0].addr, 0x12345000);
    assert_int_equal(e->inv[0].size, 0x1000);
    /* Size 4: 64KB, Address[15:0] taken as zero */
    OK(atc_inv(e, 7, true, 0x1234, true, 0x12345000, 4));
    assert_int_equal(e->ninv, 2);
    assert_true(e->inv[1].ssv);
    assert_int_equal(e->inv[1].ssid, 0x1234);
    assert_true(e->inv[1].global);
    assert_int_equal(e->inv[1].addr, 0x12340000);
    assert_int_equal(e->inv[1].size, 0x10000);
    /* G is IGNORED without SSV; SubstreamID too */
    OK(atc_inv(e, 7, false, 0x55, true, 0, 9));
    assert_false(e->inv[2].global);
    assert_int_equal(e->inv[2].ssid, 0);
    assert_int_equal(e->inv[2].size, 0x200000);
    /* Size 52: everything, 2^64 as 0 */
    OK(atc_inv(e, 7, false, 0, false, 0xFFFFF000, 52));
    assert_int_equal(e->inv[3].size, 0);
    assert_int_equal(e->inv[3].addr, 0);
    /* Size 51: 2^63 */
    OK(atc_inv(e, 7, false, 0, false, 0xFFFFFFFFFFFFF000ull, 51));
    assert_int_equal(e->inv[4].size, 1ull << 63);
    assert_int_equal(e->inv[4].addr, 1ull << 63);
    assert_int_equal(e->ninv, 5);
    atsenv_free(e);
}

static void test_atc_inv_errors(void **state)
{
    (void)state;
    atsenv *e = env(false);
    assert_int_equal(atc_inv(e, 7, false, 0, false, 0, 53), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, SMMUV3_CERROR_ILL);
    OK(smmuv3_driver_cmdq_recover(&e->drv));
    assert_int_equal(e->ninv, 0);
    /* SMMUEN == 0: IGNORED */
    OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) & ~1u));
    OK(atc_inv(e, 7, false, 0, false, 0, 0));
    assert_int_equal(e->ninv, 0);
    atsenv_free(e);

    /* without ATS: CERROR_ILL */
    smmuv3_config c = CFGFX(CF(ats, false), CF(pri, false));
    e = atsenv_new(&c, false);
    assert_int_equal(atc_inv(e, 7, false, 0, false, 0, 0), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, SMMUV3_CERROR_ILL);
    atsenv_free(e);

    /* without substreams, SSV == 1 behaves as SSV == 0 */
    smmuv3_config_default(&c);
    c.ssidsize = 0;
    c.cd_2level = false;
    e = atsenv_new(&c, false);
    OK(atc_inv(e, 7, true, 3, true, 0x1000, 0));
    assert_int_equal(e->ninv, 1);
    assert_false(e->inv[0].ssv);
    assert_false(e->inv[0].global);
    atsenv_free(e);
}

/* The invalidation is complete when the call returns: before the CMD_SYNC
 * that follows completes (its MSI is written after the callback ran). */
static unsigned g_order;
static unsigned g_inv_at, g_msi_at;
static void order_inv(void *ctx, const smmuv3_atc_inv *inv)
{
    (void)ctx;
    (void)inv;
    g_inv_at = ++g_order;
}
static int order_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    if (pa == 0x7F000100)
        g_msi_at = ++g_order;
    return smmuv3_mem_write(ctx, pa, buf, len);
}

static void test_atc_inv_before_sync(void **state)
{
    (void)state;
    atsenv *e = env(false);
    smmuv3 *s2;
    smmuv3_host h;
    smmuv3_host_from_mem(&h, e->mem);
    h.write = order_write;
    h.atc_inv = order_inv;
    OK(smmuv3_new(&e->cfg, &h, &s2));
    smmuv3_driver d;
    smmuv3_driver_cfg dc;
    smmuv3_driver_cfg_default(&dc);
    OK(smmuv3_driver_init(&d, s2, &e->pa, &e->st, &dc));
    g_order = g_inv_at = g_msi_at = 0;
    OK(smmuv3_driver_submit_raw(&d, 0x40 | (7ull << 32), 0));
    OK(smmuv3_driver_submit_raw(&d, 0x46 | (1ull << 12) | (0x5ECull << 32), 0x7F000100));
    assert_int_equal(g_inv_at, 1);
    assert_int_equal(g_msi_at, 2);
    smmuv3_free(s2);
    atsenv_free(e);
}

/* Garbage: random transactions, requests and commands never crash and keep
 * the API's return conventions. */
static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void test_garbage(void **state)
{
    (void)state;
    atsenv *e = env(true);
    atsenv_map(e, SID_S1, 0x10000, PA, 0x10000, SMMUV3_MAP_RW);
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (int i = 0; i < 4000; i++) {
        smmuv3_txn t = { .sid = (uint32_t)(rnd(&x) % 20), .ssid = (uint32_t)rnd(&x), .ssv = rnd(&x) & 1,
                         .addr = rnd(&x) & (rnd(&x) & 1 ? 0x1FFFFull : ~0ull), .flags = (uint32_t)rnd(&x) };
        smmuv3_ats_result ar;
        int rc = smmuv3_ats_translate(e->s, &t, &ar);
        if (t.flags & TT)
            assert_int_equal(rc, SMMUV3_EINVAL);
        else
            assert_true(rc == 0 && ar.status >= 0 && ar.status <= 2 && (ar.perm & ~7u) == 0 &&
                        (ar.status || ar.size == 0 || (ar.size & (ar.size - 1)) == 0));
        smmuv3_result r;
        t.flags |= TT;
        rc = smmuv3_translate(e->s, &t, &r);
        assert_true(rc >= 0 && rc <= SMMUV3_XLATE_STALL);
        if (i % 8 == 0) {
            uint64_t w0 = 0x40 | (rnd(&x) & ~0xFFull), w1 = rnd(&x);
            if (i % 16 == 0)
                w0 = 0x41 | (rnd(&x) & ~0xFFull);
            smmuv3_driver_submit_raw(&e->drv, w0, w1);
            if (e->drv.cerror)
                OK(smmuv3_driver_cmdq_recover(&e->drv));
        }
    }
    atsenv_free(e);
}

TEST_MAIN(test_atschk_off_passes, test_smmuen_off_forbidden, test_atschk_on, test_split_stage,
          test_without_ats, test_not_memoized, test_secure_stream, test_atc_inv_delivery,
          test_atc_inv_errors, test_atc_inv_before_sync, test_garbage)
