/* Unit tests: event records, the event queue, GERROR and interrupts (src/evtq.c).
 * The queue is programmed through MMIO and read from memory as a driver would;
 * records are produced with smmu_event_record() as the translation path does. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "regfx.h"
#include "model/smmu.h"
#include "cfgfx.h"
#include "cases.h"
#include "test_main.h"

#define EVTQ_PA 0x200000ull

/* The event queue at EVTQ_PA, 2^log2 records, enabled. */
static regfx *fx_new(const smmuv3_config *c, unsigned log2)
{
    regfx *f = regfx_new(c);
    smmuv3_mmio_write(f->s, 0xA0, EVTQ_PA | log2, 8);
    regfx_w32(f, 0x100A8, 0);
    regfx_w32(f, 0x100AC, 0);
    regfx_w32(f, 0x20, 0x4);   /* EVENTQEN */
    return f;
}

/* Record idx of the queue at qbase. */
static void read_record(regfx *f, uint64_t qbase, unsigned idx, uint64_t w[4])
{
    uint8_t raw[32];
    assert_int_equal(smmuv3_mem_read(f->mem, qbase + 32ull * idx, raw, 32), 0);
    le_load(w, raw, 4);
}

static smmuv3_stats stats(regfx *f)
{
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    return st;
}

#define WRITTEN true
#define LOST false

/* Record ev: written to the queue or lost, and EVENTQ_PROD afterwards. */
static void record(regfx *f, const smmu_event *ev, bool written, uint32_t prod)
{
    if (smmu_event_record(f->s, ev) != written)
        fail_msg("event 0x%02x %s, expected %s", ev->id, written ? "lost" : "written", written ? "written" : "lost");
    assert_int_equal(regfx_r32(f, 0x100A8), prod);
}

/* Every field set to a distinctive value: the encoder must pick per type. */
static smmu_event full_event(uint8_t id)
{
    smmu_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.id = id;
    ev.sid = 0x1234;
    ev.ssid = 0xABCDE;
    ev.ssv = true;
    ev.stag = 0xBEEF;
    ev.stall = true;
    ev.ttrnw = true;
    ev.pnu = ev.ind = ev.rnw = true;
    ev.s2 = true;
    ev.nsipa = true;
    ev.cls = SMMU_CLASS_TT;
    ev.input_addr = 0xFFFF800012345678ull;
    ev.ipa = 0x0000123456789ABCull;
    ev.fetch_addr = 0x0000876543210FFFull;
    ev.reason = 0x12345678;
    ev.span = 0xA;
    return ev;
}

typedef struct enc_case {
    uint8_t id;
    uint64_t w[4];
} enc_case;

#define COMMON(id) (0x00001234ABCDE800ull | (id))
#define IN 0xFFFF800012345678ull
#define IN_PAGE 0xFFFF800012345000ull
#define FETCH 0x0000876543210FF8ull
#define IPA 0x0000123456789000ull

static const enc_case enc_cases[] = {
    { 0x01, { COMMON(0x01), 0x0000000E00005678ull, IN, 0 } },                 /* F_UUT */
    { 0x02, { COMMON(0x02), 0, 0, 0 } },                                       /* C_BAD_STREAMID */
    { 0x03, { COMMON(0x03), 0x5678, 0, FETCH } },                              /* F_STE_FETCH */
    { 0x04, { COMMON(0x04), 0, 0, 0 } },                                       /* C_BAD_STE */
    /* F_BAD_ATS_TREQ: R (95, always 1), W (94) = !RnW, X (93) = InD, P (92) = PnU, Span 67:64 (7.3.6) */
    { 0x05, { COMMON(0x05), 0xB000000Aull, IN_PAGE, 0 } },                     /* F_BAD_ATS_TREQ */
    { 0x06, { 0x0000123400000006ull, 0, 0, 0 } },                              /* F_STREAM_DISABLED */
    { 0x07, { 0x0000123400000007ull, 0x0000000800000000ull, IN, 0 } },         /* F_TRANSL_FORBIDDEN */
    { 0x08, { 0x00001234ABCDE008ull, 0, 0, 0 } },                              /* C_BAD_SUBSTREAMID */
    { 0x09, { COMMON(0x09), 0x5678, 0, FETCH } },                              /* F_CD_FETCH */
    { 0x0A, { COMMON(0x0A), 0, 0, 0 } },                                       /* C_BAD_CD */
    { 0x0B, { COMMON(0x0B), 0x0000018E00005678ull, IN, FETCH } },              /* F_WALK_EABT */
    { 0x10, { COMMON(0x10), 0x0000018E8000BEEFull, IN, IPA } },                /* F_TRANSLATION */
    { 0x11, { COMMON(0x11), 0x0000018E8000BEEFull, IN, IPA } },                /* F_ADDR_SIZE */
    { 0x12, { COMMON(0x12), 0x0000018E8000BEEFull, IN, IPA } },                /* F_ACCESS */
    /* F_PERMISSION: TTRnW is record bit 108 (dw1[44]), as Linux's EVTQ_1_TT_READ
     * decodes it (7.3.16); bit 96 (dw1[32]) is RES0 in every fault record. */
    { 0x13, { COMMON(0x13), 0x0000118E8000BEEFull, IN, IPA } },                /* F_PERMISSION (TTRnW) */
    { 0x20, { COMMON(0x20), 0x0000008E00005678ull, IN, IPA } },                /* F_TLB_CONFLICT */
    { 0x21, { COMMON(0x21), 0x12345678ull, 0, 0 } },                           /* F_CFG_CONFLICT */
    { 0x24, { COMMON(0x24), 0, IN_PAGE, 0 } },                                 /* E_PAGE_REQUEST */
    { 0x25, { COMMON(0x25), 0x5678, 0, FETCH } },                              /* F_VMS_FETCH */
};

static void test_record_encodings(void **state)
{
    (void)state;
    regfx *f = fx_new(NULL, 5);
    unsigned n = sizeof(enc_cases) / sizeof(enc_cases[0]);
    for (unsigned i = 0; i < n; i++) {
        smmu_event ev = full_event(enc_cases[i].id);
        assert_true(smmu_event_record(f->s, &ev));
        uint64_t w[4];
        read_record(f, EVTQ_PA, i, w);
        for (int k = 0; k < 4; k++)
            if (w[k] != enc_cases[i].w[k])
                fail_msg("event 0x%02x dw%d: 0x%016llx, expected 0x%016llx", enc_cases[i].id, k,
                         (unsigned long long)w[k], (unsigned long long)enc_cases[i].w[k]);
    }
    assert_int_equal(regfx_r32(f, 0x100A8), n);
    assert_int_equal(stats(f).events, n);
    regfx_free(f);
}

/* Stage 1 fault without SubstreamID: no SSV/SSID, no IPA, no TTRnW outside CLASS TT. */
static void test_record_stage1_no_ssid(void **state)
{
    (void)state;
    regfx *f = fx_new(NULL, 3);
    smmu_event ev = full_event(SMMUV3_EVT_F_PERMISSION);
    ev.ssv = false;
    ev.s2 = false;
    ev.stall = false;
    ev.stag = 0;
    ev.cls = SMMU_CLASS_IN;
    ev.rnw = false;
    ev.ind = false;
    assert_true(smmu_event_record(f->s, &ev));
    uint64_t w[4];
    read_record(f, EVTQ_PA, 0, w);
    assert_int_equal(w[0], 0x0000123400000013ull);
    assert_int_equal(w[1], 0x0000020200000000ull);   /* PnU, CLASS=IN */
    assert_int_equal(w[2], IN);
    assert_int_equal(w[3], 0);
    regfx_free(f);
}

static void test_overflow(void **state)
{
    (void)state;
    regfx *f = fx_new(NULL, 1);   /* 2 entries */
    smmu_event ev = full_event(SMMUV3_EVT_C_BAD_STE);
    assert_true(smmu_event_record(f->s, &ev));
    record(f, &ev, WRITTEN, 0x2);              /* index 0, wrap 1: full */
    record(f, &ev, LOST, 0x80000002u);         /* OVFLG toggled */
    record(f, &ev, LOST, 0x80000002u);         /* already in overflow: no toggle */
    assert_int_equal(stats(f).events_lost, 2);
    /* software consumes one and acknowledges */
    regfx_w32(f, 0x100AC, 0x80000001u);
    ev.sid = 0x77;
    record(f, &ev, WRITTEN, 0x80000003u);
    uint64_t w[4];
    read_record(f, EVTQ_PA, 0, w);
    assert_int_equal(w[0], 0x00000077ABCDE804ull);
    /* full again; overflow not present (OVFLG == OVACKFLG): toggles back to 0 */
    record(f, &ev, LOST, 0x00000003u);
    regfx_free(f);

    f = fx_new(NULL, 0);   /* 1 entry */
    ev = full_event(SMMUV3_EVT_F_TRANSLATION);
    record(f, &ev, WRITTEN, 0x1);
    record(f, &ev, LOST, 0x1);                 /* Stall == 1: no overflow */
    ev.stall = false;
    record(f, &ev, LOST, 0x80000001u);
    regfx_free(f);
}

/* One register write, then one event, one case each:
 * - EVENTQEN cleared: the event is discarded (counted lost, nothing written);
 * - EVENTQ_PROD is SMMU-owned while the queue is enabled: a write is ignored
 *   and the event goes to slot 0. */
typedef struct write_case {
    const char *what;
    unsigned log2;
    uint64_t off;
    uint32_t val, readback;
    bool written;
    uint32_t prod;
} write_case;

static const write_case write_cases[] = {
    { "EVENTQEN cleared: discarded", 2, 0x20, 0, 0, LOST, 0 },
    { "EVENTQ_PROD write while enabled: ignored", 3, 0x100A8, 5, 0, WRITTEN, 1 },
};

static void test_register_write_then_event(void **state)
{
    (void)state;
    FOR_EACH_CASE(write_case, k, write_cases) {
        regfx *f = fx_new(NULL, k->log2);
        regfx_w32(f, k->off, k->val);
        assert_int_equal(regfx_r32(f, k->off), k->readback);
        smmu_event ev = full_event(SMMUV3_EVT_C_BAD_STE);
        record(f, &ev, k->written, k->prod);
        assert_int_equal(stats(f).events_lost, k->written ? 0 : 1);
        uint64_t w[4];
        read_record(f, EVTQ_PA, 0, w);
        assert_int_equal(w[0] != 0, k->written);
        regfx_free(f);
    }
}

static void test_write_abort(void **state)
{
    (void)state;
    regfx *f = fx_new(NULL, 2);
    regfx_w32(f, 0x50, 0x5);   /* GERROR and EVENTQ interrupts, wired */
    smmuv3_mem_add_abort(f->mem, EVTQ_PA + 32, 32);
    smmu_event ev = full_event(SMMUV3_EVT_C_BAD_CD);
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 1);
    record(f, &ev, LOST, 1);                   /* PROD not advanced */
    assert_int_equal(regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64), 0x4);    /* EVENTQ_ABT_ERR */
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 1);       /* no event interrupt */
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    /* unwritable while the error is active */
    regfx_w32(f, 0x20, 0);
    smmuv3_mmio_write(f->s, 0xA0, 0x300000 | 2, 8);
    regfx_w32(f, 0x100A8, 0);
    regfx_w32(f, 0x100AC, 0);
    regfx_w32(f, 0x20, 0x4);
    record(f, &ev, LOST, 0);
    /* acknowledged: the model keeps working */
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    record(f, &ev, WRITTEN, 1);
    uint64_t w[4];
    read_record(f, 0x300000, 0, w);
    assert_int_equal(w[0], COMMON(0x0A));
    regfx_free(f);
}

static void test_interrupts(void **state)
{
    (void)state;
    regfx *f = fx_new(NULL, 3);
    smmu_event ev = full_event(SMMUV3_EVT_C_BAD_STE);
    /* IRQ_CTRL.EVENTQ_IRQEN = 0: nothing */
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 0);
    /* enabled, no MSI address: wired line per record */
    regfx_w32(f, 0x50, 0x4);
    assert_true(smmu_event_record(f->s, &ev));
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 2);
    /* MSI through EVENTQ_IRQ_CFG0/1: Guarded by EVENTQ_IRQEN */
    smmuv3_mmio_write(f->s, 0xB0, 0x9000, 8);
    assert_int_equal(smmuv3_mmio_read(f->s, 0xB0, 8), 0);
    regfx_w32(f, 0x50, 0);
    smmuv3_mmio_write(f->s, 0xB0, 0x9000, 8);
    regfx_w32(f, 0xB8, 0xD00D);
    regfx_w32(f, 0x50, 0x4);
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(regfx_mem32(f, 0x9000), 0xD00D);
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 2);
    assert_int_equal(stats(f).msis, 1);
    /* MSI abort: MSI_EVENTQ_ABT_ERR; the record itself was written */
    smmuv3_mem_add_abort(f->mem, 0xA000, 0x1000);
    regfx_w32(f, 0x50, 0);
    smmuv3_mmio_write(f->s, 0xB0, 0xA000, 8);
    regfx_w32(f, 0x50, 0x4);
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64), 0x20);
    assert_int_equal(regfx_r32(f, 0x100A8), 5);
    assert_int_equal(stats(f).irqs[SMMUV3_IRQ_EVENTQ], 2);
    regfx_free(f);

    /* without MSI support the wired line is used whatever CFG0 holds */
    smmuv3_config c = CFGFX(CF(msi, false));
    f = fx_new(&c, 3);
    smmuv3_mmio_write(f->s, 0xB0, 0x9000, 8);
    regfx_w32(f, 0x50, 0x4);
    assert_true(smmu_event_record(f->s, &ev));
    assert_int_equal(f->irqs[SMMUV3_IRQ_EVENTQ], 1);
    assert_int_equal(regfx_mem32(f, 0x9000), 0);
    regfx_free(f);
}

/* EVENTQ LOG2SIZE above IDR1.EVENTQS is capped (here 1: two entries). */
static void test_log2size_capped(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(eventqs, 1));
    regfx *f = fx_new(&c, 9);
    assert_int_equal(smmuv3_mmio_read(f->s, 0xA0, 8), EVTQ_PA | 9);
    smmu_event ev = full_event(SMMUV3_EVT_C_BAD_STE);
    assert_true(smmu_event_record(f->s, &ev));
    assert_true(smmu_event_record(f->s, &ev));
    record(f, &ev, LOST, 0x80000002u);
    regfx_free(f);
}

TEST_MAIN(test_record_encodings, test_record_stage1_no_ssid, test_overflow, test_register_write_then_event,
          test_write_abort, test_interrupts, test_log2size_capped)
