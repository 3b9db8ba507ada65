/* The PRI queue (IHI 0070 chapter 8): records, overflow and its
 * acknowledgement, automatic PRG responses (8.1, 8.2, 8.3), the PRI queue
 * interrupt (6.3.34..36), CMD_PRI_RESP (4.5.2) and the driver helper's PRI
 * functions. */
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
#define PR SMMUV3_PERM_R
#define PW SMMUV3_PERM_W
#define PX SMMUV3_PERM_X
#define REG_CR0 0x20
#define REG_IRQ_CTRL 0x50
#define REG_GERROR 0x60
#define REG_GERRORN 0x64
#define REG_PRIQ_BASE 0xC0
#define REG_PRIQ_IRQ_CFG0 0xD0
#define REG_PRIQ_IRQ_CFG1 0xD8
#define REG_PRIQ_IRQ_CFG2 0xDC
#define REG_PRIQ_PROD 0x100C8
#define REG_PRIQ_CONS 0x100CC
#define GERR_PRIQ_ABT (1u << 3)
#define GERR_MSI_PRIQ_ABT (1u << 6)

enum { SID_A = 1, SID_PPAR = 2, SID_BAD = 3 };

static atsenv *env(unsigned log2, const smmuv3_config *c)
{
    atsenv *e = atsenv_new(c, false);
    assert_non_null(e);
    atsenv_s1(e, SID_A, 1, 2, 0);
    atsenv_s1(e, SID_PPAR, 1, 2, 0);
    atsenv_ste_field(e, SID_PPAR, "ppar", 1);
    if (log2 != 99)
        OK(smmuv3_driver_priq_init(&e->drv, log2, SMMUV3_BUILD_ALLOC));
    return e;
}

static int req(atsenv *e, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint8_t perm, bool priv,
               uint16_t prgi, bool last)
{
    smmuv3_pri_req r = { .sid = sid, .ssid = ssid, .ssv = ssv, .addr = addr, .perm = perm, .priv = priv,
                         .prgi = prgi, .last = last };
    return smmuv3_pri_request(e->s, &r);
}

static void expect_resp(atsenv *e, unsigned i, uint32_t sid, bool ssv, uint32_t ssid, uint16_t prgi, int code)
{
    assert_true(e->nresp > i);
    const smmuv3_pri_resp *r = &e->resp[i];
    if (r->sid != sid || r->ssv != ssv || r->ssid != ssid || r->prgi != prgi || r->resp != code)
        fail_msg("response %u: sid %u ssv %d ssid %u prgi %u resp %d; expected %u %d %u %u %d", i, r->sid,
                 r->ssv, r->ssid, r->prgi, r->resp, sid, ssv, ssid, prgi, code);
}

static uint32_t rd(atsenv *e, uint64_t off) { return (uint32_t)smmuv3_mmio_read(e->s, off, 4); }
static void wr(atsenv *e, uint64_t off, uint32_t v) { smmuv3_mmio_write(e->s, off, v, 4); }

/* ------------------------------------------------------------ records */
static void test_record_layout(void **state)
{
    (void)state;
    atsenv *e = env(4, NULL);
    OK(req(e, 0x1234, true, 0xABCDE, 0xFEDCBA9876543FFFull, PR | PW | PX, true, 0x1A5, true));
    OK(req(e, 7, false, 0x55, 0x3000, PR | PX, true, 3, false));   /* no PASID: X and Priv 0 */
    assert_int_equal(smmuv3_driver_priq_count(&e->drv), 2);
    uint8_t rec[16];
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    uint64_t w0 = 0, w1 = 0;
    for (int i = 7; i >= 0; i--) {
        w0 = w0 << 8 | rec[i];
        w1 = w1 << 8 | rec[8 + i];
    }
    /* 8: StreamID 31:0, SubstreamID 51:32, Priv 58, X 59, R 60, W 61, L 62,
     * SSV 63; PRGIndex 72:64, Page Address 127:76 */
    assert_int_equal(w0, 0x1234ull | 0xABCDEull << 32 | 1ull << 58 | 1ull << 59 | 1ull << 60 | 1ull << 61 |
                             1ull << 62 | 1ull << 63);
    assert_int_equal(w1, 0x1A5ull | 0xFEDCBA9876543000ull);
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    smmuv3_pri_req d;
    OK(smmuv3_pri_record_decode(rec, &d));
    assert_int_equal(d.sid, 7);
    assert_false(d.ssv);
    assert_int_equal(d.ssid, 0);
    assert_int_equal(d.perm, PR);
    assert_false(d.priv);
    assert_false(d.last);
    assert_int_equal(d.prgi, 3);
    assert_int_equal(d.addr, 0x3000);
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 0);
    assert_int_equal(e->nresp, 0);   /* queued requests are not answered by the SMMU */
    atsenv_free(e);
}

/* ------------------------------------------------------------ disabled, abort */
static void test_disabled_queue(void **state)
{
    (void)state;
    atsenv *e = env(99, NULL);   /* PRIQEN never set */
    OK(req(e, SID_A, true, 1, 0x1000, PR, false, 5, false));
    OK(req(e, SID_A, true, 1, 0x2000, PR, false, 5, true));
    OK(req(e, SID_A, true, 1, 0, 0, false, 6, true));   /* a Stop Marker: no response */
    assert_int_equal(e->nresp, 2);                       /* every PPR, not only Last (8.2) */
    expect_resp(e, 0, SID_A, false, 0, 5, SMMUV3_PRI_RESP_DENY);
    expect_resp(e, 1, SID_A, false, 0, 5, SMMUV3_PRI_RESP_DENY);
    atsenv_free(e);

    /* SMMUEN == 0 makes PRIQEN effectively 0 */
    e = env(3, NULL);
    OK(smmuv3_driver_write_cr0(&e->drv, rd(e, REG_CR0) & ~1u));
    OK(req(e, SID_A, false, 0, 0x1000, PR | PW, false, 9, true));
    expect_resp(e, 0, SID_A, false, 0, 9, SMMUV3_PRI_RESP_DENY);
    assert_int_equal(rd(e, REG_PRIQ_PROD), 0);
    atsenv_free(e);
}

static void test_write_abort(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    OK(smmuv3_mem_add_abort(e->mem, e->drv.priq_base, 16 * 8));
    OK(req(e, SID_A, true, 2, 0x1000, PR, false, 4, false));
    assert_int_equal(rd(e, REG_GERROR) ^ rd(e, REG_GERRORN), GERR_PRIQ_ABT);
    assert_int_equal(rd(e, REG_PRIQ_PROD), 0);
    expect_resp(e, 0, SID_A, false, 0, 4, SMMUV3_PRI_RESP_DENY);   /* synchronous abort (8.2) */
    atsenv_free(e);

    e = env(3, NULL);
    OK(smmuv3_mem_add_abort(e->mem, e->drv.priq_base, 16));
    OK(req(e, SID_A, false, 0, 0x1000, PR, false, 4, true));
    assert_int_equal(e->nresp, 1);
    /* the error stays active: the next PPR (to a good slot) is answered too */
    OK(req(e, SID_A, false, 0, 0x1000, PR, false, 5, true));
    expect_resp(e, 1, SID_A, false, 0, 5, SMMUV3_PRI_RESP_DENY);
    assert_int_equal(rd(e, REG_PRIQ_PROD), 0);
    /* acknowledged, and the indexes moved past the bad slot: written again */
    wr(e, REG_GERRORN, rd(e, REG_GERROR));
    uint32_t cr0 = rd(e, REG_CR0);
    OK(smmuv3_driver_write_cr0(&e->drv, cr0 & ~2u));
    wr(e, REG_PRIQ_PROD, 1);
    wr(e, REG_PRIQ_CONS, 1);
    OK(smmuv3_driver_write_cr0(&e->drv, cr0));
    OK(req(e, SID_PPAR, false, 0, 0x1000, PR, false, 6, true));
    assert_int_equal(e->nresp, 2);
    assert_int_equal(rd(e, REG_PRIQ_PROD), 2);
    assert_int_equal(rd(e, REG_GERROR) ^ rd(e, REG_GERRORN), 0);
    atsenv_free(e);
}

/* ------------------------------------------------------------ overflow */
static void test_overflow(void **state)
{
    (void)state;
    atsenv *e = env(1, NULL);   /* two entries */
    OK(req(e, SID_A, false, 0, 0x1000, PR, false, 1, false));
    OK(req(e, SID_A, false, 0, 0x2000, PR, false, 1, true));
    assert_false(smmuv3_driver_priq_overflow(&e->drv));
    /* full: Last == 0 silently dropped, the overflow condition entered */
    OK(req(e, SID_A, false, 0, 0x3000, PR, false, 2, false));
    assert_true(smmuv3_driver_priq_overflow(&e->drv));
    assert_int_equal(rd(e, REG_PRIQ_PROD) >> 31, 1);
    assert_int_equal(e->nresp, 0);
    /* Last == 1: automatic Success, no PASID for a PPR without one */
    OK(req(e, SID_A, false, 0, 0x3000, PR, false, 2, true));
    expect_resp(e, 0, SID_A, false, 0, 2, SMMUV3_PRI_RESP_SUCCESS);
    /* with a PASID, IDR3.PPS == 0: STE.PPAR decides whether it is echoed */
    OK(req(e, SID_A, true, 3, 0x3000, PR, false, 7, true));
    expect_resp(e, 1, SID_A, false, 0, 7, SMMUV3_PRI_RESP_SUCCESS);
    OK(req(e, SID_PPAR, true, 3, 0x3000, PR, false, 8, true));
    expect_resp(e, 2, SID_PPAR, true, 3, 8, SMMUV3_PRI_RESP_SUCCESS);
    /* no valid STE to check PPAR: Response Failure without PASID */
    OK(req(e, SID_BAD, true, 3, 0x3000, PR, false, 9, true));
    expect_resp(e, 3, SID_BAD, false, 0, 9, SMMUV3_PRI_RESP_DENY);
    OK(req(e, 300, true, 3, 0x3000, PR, false, 10, true));   /* beyond the stream table */
    expect_resp(e, 4, 300, false, 0, 10, SMMUV3_PRI_RESP_DENY);
    /* a Stop Marker discarded: no response */
    OK(req(e, SID_PPAR, true, 3, 0, 0, false, 11, true));
    assert_int_equal(e->nresp, 5);
    /* consumed but not acknowledged: still discarded (8.1) */
    uint8_t rec[16];
    uint32_t cons = rd(e, REG_PRIQ_CONS);
    wr(e, REG_PRIQ_CONS, (cons & 0x80000000u) | 1u);   /* RD moved, OVACKFLG not */
    OK(req(e, SID_A, false, 0, 0x4000, PR, false, 12, false));
    assert_int_equal(rd(e, REG_PRIQ_PROD) & 3, 2);
    wr(e, REG_PRIQ_CONS, cons);
    /* the driver pops and acknowledges: new entries land again */
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    assert_false(smmuv3_driver_priq_overflow(&e->drv));
    OK(req(e, SID_A, false, 0, 0x5000, PR, false, 13, true));
    assert_int_equal(smmuv3_driver_priq_count(&e->drv), 2);
    assert_int_equal(e->nresp, 5);
    atsenv_free(e);

    /* IDR3.PPS == 1: the PASID is always echoed, PPAR ignored */
    smmuv3_config c = CFGFX(CF(pps, true));
    e = env(0, &c);   /* 0: the helper's default, 2^8 */
    assert_int_equal((rd(e, 0xC) >> 5) & 1, 1);
    for (unsigned i = 0; i < 256; i++)
        OK(req(e, SID_A, false, 0, 0x1000, PR, false, 1, false));
    OK(req(e, SID_A, true, 3, 0x3000, PR, false, 7, true));
    expect_resp(e, 0, SID_A, true, 3, 7, SMMUV3_PRI_RESP_SUCCESS);
    atsenv_free(e);
}

/* Without substreams there is no PASID anywhere (8). */
static void test_no_substreams(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(ssidsize, 0), CF(cd_2level, false));
    atsenv *e = atsenv_new(&c, false);
    atsenv_s1(e, SID_A, 1, 0, 0);
    OK(smmuv3_driver_priq_init(&e->drv, 0, SMMUV3_BUILD_ALLOC));
    OK(req(e, SID_A, true, 5, 0x1000, PR | PX, true, 1, true));
    uint8_t rec[16];
    assert_int_equal(smmuv3_driver_priq_pop(&e->drv, rec), 1);
    smmuv3_pri_req d;
    OK(smmuv3_pri_record_decode(rec, &d));
    assert_false(d.ssv);
    assert_false(d.priv);
    assert_int_equal(d.perm, PR);
    OK(smmuv3_driver_pri_resp(&e->drv, SID_A, true, 5, 1, SMMUV3_PRI_RESP_SUCCESS));
    expect_resp(e, 0, SID_A, false, 0, 1, SMMUV3_PRI_RESP_SUCCESS);
    atsenv_free(e);
}

/* ------------------------------------------------------------ interrupts */
static void test_interrupts(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    /* LO == 0: an interrupt when the queue goes from empty to non-empty */
    wr(e, REG_IRQ_CTRL, 2);   /* PRIQ_IRQEN, wired (no MSI address) */
    OK(req(e, SID_A, false, 0, 0x1000, PR, false, 1, false));
    OK(req(e, SID_A, false, 0, 0x2000, PR, false, 1, true));
    assert_int_equal(e->irqs[SMMUV3_IRQ_PRIQ], 1);
    uint8_t rec[16];
    while (smmuv3_driver_priq_pop(&e->drv, rec) == 1)
        ;
    OK(req(e, SID_A, false, 0, 0x3000, PR, false, 2, false));
    assert_int_equal(e->irqs[SMMUV3_IRQ_PRIQ], 2);
    /* PRIQ_IRQ_CFG0..2 are Guarded by PRIQ_IRQEN */
    wr(e, REG_PRIQ_IRQ_CFG2, 0x80000000u);
    assert_int_equal(rd(e, REG_PRIQ_IRQ_CFG2), 0);
    wr(e, REG_IRQ_CTRL, 0);
    wr(e, REG_PRIQ_IRQ_CFG2, 0xFFFFFFFFu);
    assert_int_equal(rd(e, REG_PRIQ_IRQ_CFG2), 0x8000003Fu);   /* LO, SH, MemAttr */
    smmuv3_mmio_write(e->s, REG_PRIQ_IRQ_CFG0, AE_MSI_BASE + 0x40, 8);
    wr(e, REG_PRIQ_IRQ_CFG1, 0xD00D);
    wr(e, REG_IRQ_CTRL, 2);
    /* LO == 1: each PPR with L set, as an MSI */
    OK(req(e, SID_A, false, 0, 0x4000, PR, false, 3, false));
    assert_int_equal(e->nmsi, 0);
    OK(req(e, SID_A, false, 0, 0x5000, PR, false, 3, true));
    assert_int_equal(e->nmsi, 1);
    assert_int_equal(e->msi_addr[0], AE_MSI_BASE + 0x40);
    uint32_t data;
    OK(smmuv3_mem_read(e->mem, AE_MSI_BASE + 0x40, &data, 4));
    assert_int_equal(data, 0xD00D);
    /* a Last PPR discarded on overflow also interrupts */
    for (unsigned i = 0; i < 6; i++)
        OK(req(e, SID_A, false, 0, 0x6000, PR, false, 4, false));
    assert_true(smmuv3_driver_priq_overflow(&e->drv));
    OK(req(e, SID_A, false, 0, 0x6000, PR, false, 4, true));
    assert_int_equal(e->nmsi, 2);
    /* an aborted MSI: GERROR.MSI_PRIQ_ABT_ERR */
    OK(smmuv3_mem_add_abort(e->mem, AE_MSI_BASE + 0x40, 4));
    OK(req(e, SID_A, false, 0, 0x6000, PR, false, 5, true));
    assert_int_equal(rd(e, REG_GERROR) ^ rd(e, REG_GERRORN), GERR_MSI_PRIQ_ABT);
    atsenv_free(e);
}

static void test_registers(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    /* the queue is enabled: BASE and PROD are read-only, CONS is writable */
    uint64_t base = smmuv3_mmio_read(e->s, REG_PRIQ_BASE, 8);
    smmuv3_mmio_write(e->s, REG_PRIQ_BASE, 0x1000, 8);
    assert_int_equal(smmuv3_mmio_read(e->s, REG_PRIQ_BASE, 8), base);
    wr(e, REG_PRIQ_PROD, 5);
    assert_int_equal(rd(e, REG_PRIQ_PROD), 0);
    /* the LOG2SIZE beyond IDR1.PRIQS is capped for use (6.3.33) */
    assert_int_equal(base & 0x1F, 3);
    atsenv_free(e);
}

/* ------------------------------------------------------------ CMD_PRI_RESP */
static void test_pri_resp_command(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    OK(smmuv3_driver_pri_resp(&e->drv, 0x4321, true, 0x12345, 0x1FF, SMMUV3_PRI_RESP_SUCCESS));
    expect_resp(e, 0, 0x4321, true, 0x12345, 0x1FF, SMMUV3_PRI_RESP_SUCCESS);
    OK(smmuv3_driver_pri_resp(&e->drv, 2, false, 0, 0, SMMUV3_PRI_RESP_FAIL));
    expect_resp(e, 1, 2, false, 0, 0, SMMUV3_PRI_RESP_FAIL);
    OK(smmuv3_driver_pri_resp(&e->drv, 2, false, 0, 1, SMMUV3_PRI_RESP_DENY));
    expect_resp(e, 2, 2, false, 0, 1, SMMUV3_PRI_RESP_DENY);
    /* Resp 0b11: CERROR_ILL */
    assert_int_equal(smmuv3_driver_submit_raw(&e->drv, 0x41 | (2ull << 32), 3ull << 12), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, SMMUV3_CERROR_ILL);
    OK(smmuv3_driver_cmdq_recover(&e->drv));
    /* SMMUEN == 0: IGNORED */
    OK(smmuv3_driver_write_cr0(&e->drv, rd(e, REG_CR0) & ~1u));
    OK(smmuv3_driver_pri_resp(&e->drv, 2, false, 0, 1, SMMUV3_PRI_RESP_SUCCESS));
    assert_int_equal(e->nresp, 3);
    assert_int_equal(smmuv3_driver_pri_resp(&e->drv, 2, false, 0, 0x200, 0), SMMUV3_EINVAL);
    atsenv_free(e);
}

static void test_driver_atc_inv(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    OK(smmuv3_driver_atc_inv(&e->drv, 5, false, 0, 0x12345000, 0x1000));
    assert_int_equal(e->inv[0].addr, 0x12345000);
    assert_int_equal(e->inv[0].size, 0x1000);
    /* 0x13000..0x14fff straddles a 8KB boundary: the covering span is 32KB */
    OK(smmuv3_driver_atc_inv(&e->drv, 5, true, 9, 0x13000, 0x2000));
    assert_int_equal(e->inv[1].addr, 0x10000);
    assert_int_equal(e->inv[1].size, 0x8000);
    assert_true(e->inv[1].ssv);
    assert_int_equal(e->inv[1].ssid, 9);
    OK(smmuv3_driver_atc_inv(&e->drv, 5, false, 0, 0, 0));
    assert_int_equal(e->inv[2].size, 0);
    assert_int_equal(e->ninv, 3);
    atsenv_free(e);
}

/* ------------------------------------------------------------ bad input */
static void test_caller_errors(void **state)
{
    (void)state;
    atsenv *e = env(3, NULL);
    smmuv3_pri_req r = { .sid = 1, .perm = PR };
    assert_int_equal(smmuv3_pri_request(NULL, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pri_request(e->s, NULL), SMMUV3_EINVAL);
    r.prgi = 0x200;
    assert_int_equal(smmuv3_pri_request(e->s, &r), SMMUV3_EINVAL);
    r.prgi = 0;
    r.perm = 8;
    assert_int_equal(smmuv3_pri_request(e->s, &r), SMMUV3_EINVAL);
    r.perm = PR;
    r.ssv = true;
    r.ssid = 1u << 20;
    assert_int_equal(smmuv3_pri_request(e->s, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_priq_count(&e->drv), 0);
    atsenv_free(e);

    smmuv3_config c = CFGFX(CF(pri, false));
    e = atsenv_new(&c, false);
    r.ssv = false;
    assert_int_equal(smmuv3_pri_request(e->s, &r), SMMUV3_ENOTSUP);
    assert_int_equal(smmuv3_driver_priq_init(&e->drv, 3, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    atsenv_free(e);
}

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Garbage requests, register writes and commands: never a crash, the queue
 * indexes stay within the queue, every return is 0 or a caller error. */
static void test_garbage(void **state)
{
    (void)state;
    atsenv *e = env(2, NULL);
    uint64_t x = 0xC0FFEE1234567ull;
    for (int i = 0; i < 5000; i++) {
        smmuv3_pri_req r = { .sid = (uint32_t)(rnd(&x) % 8), .ssid = (uint32_t)rnd(&x), .ssv = rnd(&x) & 1,
                             .addr = rnd(&x), .perm = (uint8_t)rnd(&x), .priv = rnd(&x) & 1,
                             .prgi = (uint16_t)rnd(&x), .last = rnd(&x) & 1 };
        if (rnd(&x) & 1) {
            r.perm &= 7;
            r.prgi &= 0x1FF;
            r.ssid &= 0xFFFFF;
        }
        int rc = smmuv3_pri_request(e->s, &r);
        assert_true(rc == 0 || rc == SMMUV3_EINVAL);
        switch (rnd(&x) % 16) {
        case 0: wr(e, REG_PRIQ_CONS, (uint32_t)rnd(&x)); break;
        case 1: wr(e, REG_PRIQ_PROD, (uint32_t)rnd(&x)); break;
        case 2: wr(e, REG_CR0, (uint32_t)rnd(&x) & 0x1F); break;
        case 3: smmuv3_mmio_write(e->s, REG_PRIQ_BASE, rnd(&x), 8); break;
        case 4: wr(e, REG_GERRORN, (uint32_t)rnd(&x)); break;
        case 5: wr(e, REG_IRQ_CTRL, (uint32_t)rnd(&x)); break;
        case 6: wr(e, REG_PRIQ_IRQ_CFG2, (uint32_t)rnd(&x)); break;
        case 7: smmuv3_mmio_write(e->s, REG_PRIQ_IRQ_CFG0, rnd(&x), 8); break;
        default: break;
        }
        assert_int_equal(rd(e, REG_PRIQ_PROD) & 0x7FF00000u, 0);   /* index and wrap: bits 19:0 */
    }
    atsenv_free(e);
}

TEST_MAIN(test_record_layout, test_disabled_queue, test_write_abort, test_overflow,
          test_no_substreams, test_interrupts, test_registers, test_pri_resp_command,
          test_driver_atc_inv, test_caller_errors, test_garbage)
