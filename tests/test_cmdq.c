/* Unit tests: the command queue (src/cmdq.c), driven through MMIO and memory as a driver would. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "smmu_new.h"
#include "model/smmu.h"
#include "cfgfx.h"
#include "cases.h"
#include "test_main.h"

/* ------------------------------------------------------------ fixture */
typedef struct fx {
    smmuv3_mem *mem;
    smmuv3 *s;
    unsigned irqs[4];
    uint64_t qbase;
    unsigned log2;
    uint32_t prod;        /* driver's copy: index | wrap */
    /* observations from host callbacks */
    unsigned msi_writes;
    uint32_t cons_at_msi, cons_at_irq;
    unsigned irq_extra;   /* commands to add from the CMD_SYNC irq callback */
    bool extra_sync;      /* ... as CMD_SYNC(SIG_IRQ) instead of TLBI_NSNH_ALL */
    bool fix_on_gerror;   /* GERROR irq: replace the command at CONS, acknowledge */
} fx;

static int h_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((fx *)ctx)->mem, pa, buf, len); }

static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    fx *f = ctx;
    if (len == 4) {
        f->msi_writes++;
        f->cons_at_msi = (uint32_t)smmuv3_mmio_read(f->s, 0x9C, 4);
    }
    return smmuv3_mem_write(f->mem, pa, buf, len);
}

static void push(fx *f, uint64_t w0, uint64_t w1);
static void put_slot(fx *f, uint32_t idx, uint64_t w0, uint64_t w1);
static uint64_t sync_w0(unsigned cs, uint32_t data);

static void h_irq(void *ctx, smmuv3_irq line)
{
    fx *f = ctx;
    f->irqs[line]++;
    if (line == SMMUV3_IRQ_GERROR && f->fix_on_gerror) {
        /* as Linux's GERROR handler: skip the bad command (replace it with
         * a CMD_SYNC), then acknowledge through GERRORN */
        uint32_t cons = (uint32_t)smmuv3_mmio_read(f->s, 0x9C, 4);
        put_slot(f, cons, sync_w0(0, 0), 0);
        smmuv3_mmio_write(f->s, 0x64, smmuv3_mmio_read(f->s, 0x60, 4), 4);
        return;
    }
    if (line == SMMUV3_IRQ_CMD_SYNC) {
        f->cons_at_irq = (uint32_t)smmuv3_mmio_read(f->s, 0x9C, 4);
        if (f->irq_extra) {
            f->irq_extra--;
            push(f, f->extra_sync ? sync_w0(1, 0) : SMMUV3_CMD_TLBI_NSNH_ALL, 0);
            smmuv3_mmio_write(f->s, 0x98, f->prod, 4);
        }
    }
}

#define CMDQ_PA 0x100000ull

static fx *fx_new_base(const smmuv3_config *c, uint64_t base_reg, uint64_t qbase, unsigned log2)
{
    fx *f = test_calloc(1, sizeof(*f));
    f->mem = smmuv3_mem_new();
    smmuv3_host h = { .ctx = f, .read = h_read, .write = h_write, .irq = h_irq };
    f->s = tst_smmu_new(c, &h);
    f->qbase = qbase;
    f->log2 = log2;
    smmuv3_mmio_write(f->s, 0x90, base_reg, 8);
    smmuv3_mmio_write(f->s, 0x98, 0, 4);
    smmuv3_mmio_write(f->s, 0x9C, 0, 4);
    smmuv3_mmio_write(f->s, 0x20, 0x8, 4);   /* CMDQEN */
    return f;
}

static fx *fx_new(const smmuv3_config *c, unsigned log2)
{
    return fx_new_base(c, CMDQ_PA | log2, CMDQ_PA, log2);
}

static void fx_free(fx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
    test_free(f);
}

static uint32_t r32(fx *f, uint64_t off) { return (uint32_t)smmuv3_mmio_read(f->s, off, 4); }
static void w32(fx *f, uint64_t off, uint32_t v) { smmuv3_mmio_write(f->s, off, v, 4); }

static void put_slot(fx *f, uint32_t idx, uint64_t w0, uint64_t w1)
{
    uint64_t w[2] = { w0, w1 };
    uint8_t raw[16];
    le_store(raw, w, 2);
    assert_int_equal(smmuv3_mem_write(f->mem, f->qbase + 16ull * (idx & ((1u << f->log2) - 1)), raw, 16), 0);
}

/* Write one command at the driver's PROD and advance it (no MMIO). */
static void push(fx *f, uint64_t w0, uint64_t w1)
{
    put_slot(f, f->prod, w0, w1);
    f->prod = (f->prod + 1) & ((2u << f->log2) - 1);
}

static void submit(fx *f) { w32(f, 0x98, f->prod); }

/* n no-op commands (TLBI_NSNH_ALL) at the driver's PROD. */
static void push_nops(fx *f, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        push(f, SMMUV3_CMD_TLBI_NSNH_ALL, 0);
}

static uint32_t cons_rd(fx *f) { return r32(f, 0x9C) & 0xFFFFF; }
static uint32_t cons_err(fx *f) { return (r32(f, 0x9C) >> 24) & 0x7F; }
static uint32_t gerror_active(fx *f) { return r32(f, 0x60) ^ r32(f, 0x64); }
static uint64_t commands(fx *f) { smmuv3_stats st; smmuv3_get_stats(f->s, &st); return st.commands; }
static uint64_t sevs(fx *f) { smmuv3_stats st; smmuv3_get_stats(f->s, &st); return st.sev; }

/* CMDQ_CONS.RD, and the count of commands run so far. */
static void expect_ran(fx *f, uint32_t rd, uint64_t n)
{
    assert_int_equal(cons_rd(f), rd);
    assert_int_equal(commands(f), n);
}

/* The queue's state as the driver sees it: CMDQ_CONS.RD, CMDQ_CONS.ERR and
 * the active GERROR bits. */
static void expect_q(fx *f, uint32_t rd, uint32_t err, uint32_t gerr)
{
    assert_int_equal(cons_rd(f), rd);
    assert_int_equal(cons_err(f), err);
    assert_int_equal(gerror_active(f), gerr);
}

static uint32_t mem32(fx *f, uint64_t pa)
{
    uint8_t b[4] = { 0 };
    smmuv3_mem_read(f->mem, pa, b, 4);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* CMD_SYNC builders */
static uint64_t sync_w0(unsigned cs, uint32_t data)
{
    uint64_t w[2] = { 0, 0 };
    fset(w, F_CMD_SYNC_opcode, SMMUV3_CMD_SYNC);
    fset(w, F_CMD_SYNC_cs, cs);
    fset(w, F_CMD_SYNC_msidata, data);
    return w[0];
}

static uint64_t sync_w1(uint64_t addr)
{
    uint64_t w[2] = { 0, 0 };
    fset_addr(w, F_CMD_SYNC_msiaddr, addr);
    return w[1];
}

/* ------------------------------------------------------------ legality, one opcode at a time */
enum { P_DEFAULT, P_NO_S1, P_NO_S2, P_NO_HYP, P_NO_STALL, P_NO_RIL, P_NO_SEV, P_NO_ATS, P_NO_PRI };

static void profile(smmuv3_config *c, int p)
{
    smmuv3_config_default(c);
    switch (p) {
    case P_NO_S1: c->s1p = false; c->cd_2level = false; break;
    case P_NO_S2: c->s2p = false; break;
    case P_NO_HYP: c->hyp = false; break;
    case P_NO_STALL: c->stall_model = SMMUV3_STALL_TERM_ONLY; break;
    case P_NO_RIL: c->ril = false; break;
    case P_NO_SEV: c->sev = false; break;
    case P_NO_ATS: c->ats = false; c->pri = false; break;
    case P_NO_PRI: c->pri = false; break;
    default: break;
    }
}

typedef struct legal_case {
    const char *what;
    int prof;
    uint64_t w0, w1;
    unsigned err;   /* expected CMDQ_CONS.ERR (0: consumed) */
} legal_case;

#define SSEC (1ull << 10)
#define VA_TG(x) ((uint64_t)(x) << 10)
#define VA_TTL(x) ((uint64_t)(x) << 8)
#define VA_NUM(x) ((uint64_t)(x) << 12)
#define VA_SCALE(x) ((uint64_t)(x) << 20)
#define ILL SMMUV3_CERROR_ILL

static const legal_case cases[] = {
    { "reserved 0x00", P_DEFAULT, 0x00, 0, ILL },
    { "reserved 0x08", P_DEFAULT, 0x08, 0, ILL },
    { "reserved 0x0A", P_DEFAULT, 0x0A, 0, ILL },
    { "reserved 0x14", P_DEFAULT, 0x14, 0, ILL },
    { "reserved 0x19", P_DEFAULT, 0x19, 0, ILL },
    { "reserved 0x24", P_DEFAULT, 0x24, 0, ILL },
    { "reserved 0x29", P_DEFAULT, 0x29, 0, ILL },
    { "reserved 0x31", P_DEFAULT, 0x31, 0, ILL },
    { "reserved 0x42", P_DEFAULT, 0x42, 0, ILL },
    { "reserved 0x47", P_DEFAULT, 0x47, 0, ILL },
    { "TLBI_S_EL2_ALL (Secure)", P_DEFAULT, 0x50, 0, ILL },
    { "TLBI_S_S12_VMALL (Secure)", P_DEFAULT, 0x58, 0, ILL },
    { "TLBI_SNH_ALL (Secure)", P_DEFAULT, 0x60, 0, ILL },
    { "DPTI_ALL", P_DEFAULT, 0x70, 0, ILL },
    { "IMPDEF 0x80", P_DEFAULT, 0x80, 0, ILL },
    { "reserved 0xFF", P_DEFAULT, 0xFF, 0, ILL },

    { "PREFETCH_CONFIG", P_DEFAULT, 0x01 | (5ull << 32), 0, 0 },
    { "PREFETCH_CONFIG SSec", P_DEFAULT, 0x01 | SSEC, 0, ILL },
    { "PREFETCH_ADDR", P_DEFAULT, 0x02 | (5ull << 32), 0x1000, 0 },
    { "PREFETCH_ADDR SSec", P_DEFAULT, 0x02 | SSEC, 0x1000, ILL },

    { "CFGI_STE", P_DEFAULT, 0x03 | (5ull << 32), 1, 0 },
    { "CFGI_STE SSec", P_DEFAULT, 0x03 | SSEC, 1, ILL },
    { "CFGI_ALL", P_DEFAULT, 0x04, 31, 0 },
    { "CFGI_STE_RANGE SSec", P_DEFAULT, 0x04 | SSEC, 31, ILL },
    { "CFGI_CD", P_DEFAULT, 0x05 | (5ull << 32) | (3ull << 12), 1, 0 },
    { "CFGI_CD SSec", P_DEFAULT, 0x05 | SSEC, 1, ILL },
    { "CFGI_CD without S1", P_NO_S1, 0x05, 1, ILL },
    { "CFGI_CD_ALL", P_DEFAULT, 0x06 | (5ull << 32), 0, 0 },
    { "CFGI_CD_ALL without S1", P_NO_S1, 0x06, 0, ILL },
    { "CFGI_STE without S1", P_NO_S1, 0x03, 0, 0 },
    { "CFGI_VMS_PIDM without MPAM", P_DEFAULT, 0x07, 0, ILL },

    { "TLBI_NH_ALL", P_DEFAULT, 0x10 | (7ull << 32), 0, 0 },
    { "TLBI_NH_ALL without S1", P_NO_S1, 0x10, 0, ILL },
    { "TLBI_NH_ASID", P_DEFAULT, 0x11 | (7ull << 32) | (9ull << 48), 0, 0 },
    { "TLBI_NH_ASID without S1", P_NO_S1, 0x11, 0, ILL },
    { "TLBI_NH_VA", P_DEFAULT, 0x12 | (9ull << 48), 0x12345000 | 1, 0 },
    { "TLBI_NH_VA without S1", P_NO_S1, 0x12, 0x1000, ILL },
    { "TLBI_NH_VA range 4K TTL3", P_DEFAULT, 0x12, 0x1000 | VA_TG(1) | VA_TTL(3), 0 },
    { "TLBI_NH_VA range NUM=3", P_DEFAULT, 0x12 | VA_NUM(3), 0x1000 | VA_TG(1), 0 },
    { "TLBI_NH_VA range SCALE=2", P_DEFAULT, 0x12 | VA_SCALE(2), 0x1000 | VA_TG(3), 0 },
    { "TLBI_NH_VA TG!=0 NUM=SCALE=TTL=0", P_DEFAULT, 0x12, 0x1000 | VA_TG(1), ILL },
    /* 4.4.1.1: without IDR5.DS, TG=16K TTL=0b01 is treated as TTL=0b00; it is
     * CERROR_ILL only together with NUM == SCALE == 0 (the Reserved
     * combination). With a real range it is a legal range invalidation. */
    { "TLBI_NH_VA TG=16K TTL=1 NUM=SCALE=0", P_DEFAULT, 0x12, 0x1000 | VA_TG(2) | VA_TTL(1), ILL },
    { "TLBI_NH_VA TG=16K TTL=1 NUM=1 (range, TTL as 0)", P_DEFAULT, 0x12 | VA_NUM(1), 0x1000 | VA_TG(2) | VA_TTL(1), 0 },
    { "TLBI_NH_VA TG=16K TTL=1 SCALE=1 (range, TTL as 0)", P_DEFAULT, 0x12 | VA_SCALE(1), 0x1000 | VA_TG(2) | VA_TTL(1), 0 },
    { "TLBI_S2_IPA TG=16K TTL=1 NUM=3 (range, TTL as 0)", P_DEFAULT, 0x2A | VA_NUM(3), 0x4000 | VA_TG(2) | VA_TTL(1), 0 },
    { "TLBI_NH_VA TG=16K TTL=2", P_DEFAULT, 0x12 | VA_NUM(1), 0x1000 | VA_TG(2) | VA_TTL(2), 0 },
    { "TLBI_NH_VA TG without RIL is RES0", P_NO_RIL, 0x12, 0x1000 | VA_TG(1), 0 },
    { "TLBI_NH_VAA", P_DEFAULT, 0x13, 0x1000, 0 },
    { "TLBI_NH_VAA reserved range", P_DEFAULT, 0x13, 0x1000 | VA_TG(3), ILL },
    { "TLBI_NH_VAA without S1", P_NO_S1, 0x13, 0x1000, ILL },

    { "TLBI_EL3_ALL (NS queue)", P_DEFAULT, 0x18, 0, ILL },
    { "TLBI_EL3_VA (NS queue)", P_DEFAULT, 0x1A, 0x1000, ILL },

    { "TLBI_EL2_ALL", P_DEFAULT, 0x20, 0, 0 },
    { "TLBI_EL2_ALL without HYP", P_NO_HYP, 0x20, 0, ILL },
    { "TLBI_EL2_ASID", P_DEFAULT, 0x21 | (4ull << 48), 0, 0 },
    { "TLBI_EL2_ASID without HYP", P_NO_HYP, 0x21, 0, ILL },
    { "TLBI_EL2_VA", P_DEFAULT, 0x22 | (4ull << 48), 0x2000, 0 },
    { "TLBI_EL2_VA without HYP", P_NO_HYP, 0x22, 0x2000, ILL },
    { "TLBI_EL2_VA reserved range", P_DEFAULT, 0x22, 0x2000 | VA_TG(1), ILL },
    { "TLBI_EL2_VAA", P_DEFAULT, 0x23, 0x2000, 0 },
    { "TLBI_EL2_VAA without HYP", P_NO_HYP, 0x23, 0x2000, ILL },
    { "TLBI_EL2_ALL without S1", P_NO_S1, 0x20, 0, ILL },

    { "TLBI_S12_VMALL", P_DEFAULT, 0x28 | (3ull << 32), 0, 0 },
    { "TLBI_S12_VMALL without S2", P_NO_S2, 0x28, 0, ILL },
    { "TLBI_S2_IPA", P_DEFAULT, 0x2A | (3ull << 32), 0x40000000 | 1, 0 },
    { "TLBI_S2_IPA without S2", P_NO_S2, 0x2A, 0x1000, ILL },
    { "TLBI_S2_IPA reserved range", P_DEFAULT, 0x2A, 0x1000 | VA_TG(2), ILL },

    { "TLBI_NSNH_ALL", P_DEFAULT, 0x30, 0, 0 },
    { "TLBI_NSNH_ALL stage 1 only", P_NO_S2, 0x30, 0, 0 },
    { "TLBI_NSNH_ALL stage 2 only", P_NO_S1, 0x30, 0, 0 },

    { "ATC_INV without ATS", P_NO_ATS, 0x40 | (1ull << 32), 0, ILL },
    { "ATC_INV", P_DEFAULT, 0x40 | (1ull << 32), 0x10000, 0 },
    { "ATC_INV Size 52 (all)", P_DEFAULT, 0x40 | (1ull << 32), 52, 0 },
    { "ATC_INV Size 53", P_DEFAULT, 0x40 | (1ull << 32), 53, ILL },
    { "ATC_INV Size 63", P_DEFAULT, 0x40 | (1ull << 32), 63, ILL },
    { "PRI_RESP without PRI", P_NO_PRI, 0x41 | (1ull << 32), 2ull << 12, ILL },
    { "PRI_RESP success", P_DEFAULT, 0x41 | (1ull << 32), 2ull << 12, 0 },
    { "PRI_RESP Resp reserved", P_DEFAULT, 0x41 | (1ull << 32), 3ull << 12, ILL },
    { "PRI_RESP bit 10 is RES0", P_DEFAULT, 0x41 | SSEC, 2ull << 12, 0 },

    { "RESUME retry", P_DEFAULT, 0x44 | (1ull << 12) | (1ull << 32), 7, 0 },
    { "RESUME terminate abort", P_DEFAULT, 0x44 | (2ull << 12) | (1ull << 32), 7, 0 },
    { "RESUME Ac=1 Ab=1", P_DEFAULT, 0x44 | (3ull << 12) | (1ull << 32), 7, 0 },
    { "RESUME SSec", P_DEFAULT, 0x44 | SSEC, 7, ILL },
    { "RESUME without stalls", P_NO_STALL, 0x44 | (1ull << 32), 7, ILL },
    { "STALL_TERM", P_DEFAULT, 0x45 | (1ull << 32), 0, 0 },
    { "STALL_TERM SSec", P_DEFAULT, 0x45 | SSEC, 0, ILL },
    { "STALL_TERM without stalls", P_NO_STALL, 0x45 | (1ull << 32), 0, ILL },

    { "CMD_SYNC CS=NONE", P_DEFAULT, 0x46, 0, 0 },
    { "CMD_SYNC CS=SEV", P_DEFAULT, 0x46 | (2ull << 12), 0, 0 },
    { "CMD_SYNC CS=SEV without SEV", P_NO_SEV, 0x46 | (2ull << 12), 0, 0 },
    { "CMD_SYNC CS=IRQ", P_DEFAULT, 0x46 | (1ull << 12), 0, 0 },
    { "CMD_SYNC CS=0b11", P_DEFAULT, 0x46 | (3ull << 12), 0, ILL },
};

static void test_opcode_legality(void **state)
{
    (void)state;
    FOR_EACH_CASE(legal_case, c, cases) {
        smmuv3_config cfg;
        profile(&cfg, c->prof);
        fx *f = fx_new(&cfg, 3);
        push(f, c->w0, c->w1);
        submit(f);
        uint32_t want_cons = c->err ? 0 : 1;
        if (cons_rd(f) != want_cons || cons_err(f) != c->err ||
            (gerror_active(f) & 1) != (c->err ? 1u : 0u))
            fail_msg("%s: CONS.RD %u ERR %u GERROR active 0x%x; expected RD %u ERR %u",
                     c->what, cons_rd(f), cons_err(f), gerror_active(f), want_cons, c->err);
        assert_int_equal(commands(f), c->err ? 0 : 1);
        fx_free(f);
    }
}

/* ATC_INV and PRI_RESP in sequence: the reserved Resp stops the queue on
 * itself, and CMD_PRI_RESP has no SSec (4.5.2: bits 10:8 RES0). */
static void test_ats_pri_when_advertised(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    push(f, 0x40 | (1ull << 32) | (1ull << 11) | (5ull << 12), 0x10000 | 4);  /* ATC_INV */
    push(f, 0x41 | (1ull << 32), (2ull << 12) | 7);                           /* PRI_RESP success */
    push(f, 0x41 | (1ull << 32), (0ull << 12) | 7);                           /* PRI_RESP deny */
    push(f, 0x41 | (1ull << 32), (3ull << 12) | 7);                           /* Resp reserved */
    submit(f);
    expect_q(f, 3, SMMUV3_CERROR_ILL, 1);
    put_slot(f, 3, 0x41 | SSEC, 2ull << 12);                                   /* now legal */
    w32(f, 0x64, r32(f, 0x60));
    expect_q(f, 4, SMMUV3_CERROR_ILL, 0);   /* ERR keeps the last error's reason */
    fx_free(f);
}

/* ------------------------------------------------------------ errors */
static void test_error_stops_and_resumes(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    w32(f, 0x50, 0x1);   /* GERROR_IRQEN, wired */
    push(f, sync_w0(1, 0x11), sync_w1(0x5000));
    push(f, 0x00, 0);                                 /* illegal */
    push(f, sync_w0(1, 0x22), sync_w1(0x5004));
    submit(f);
    expect_q(f, 1, SMMUV3_CERROR_ILL, 1);
    assert_int_equal(r32(f, 0x60), 0x1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    assert_int_equal(mem32(f, 0x5000), 0x11);
    assert_int_equal(mem32(f, 0x5004), 0);           /* nothing after the error ran */
    /* writing PROD again does not restart */
    submit(f);
    assert_int_equal(cons_rd(f), 1);
    assert_int_equal(mem32(f, 0x5004), 0);
    /* a command added while the error is active waits too */
    push(f, sync_w0(1, 0x33), sync_w1(0x5008));
    submit(f);
    assert_int_equal(cons_rd(f), 1);
    /* software replaces the failing command (as Linux does) and acknowledges */
    put_slot(f, 1, SMMUV3_CMD_TLBI_NSNH_ALL, 0);
    w32(f, 0x64, r32(f, 0x60));
    expect_q(f, 4, SMMUV3_CERROR_ILL, 0);
    assert_int_equal(mem32(f, 0x5004), 0x22);
    assert_int_equal(mem32(f, 0x5008), 0x33);
    assert_int_equal(commands(f), 4);
    fx_free(f);
}

static void test_error_not_fixed_errors_again(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 2);
    push(f, 0x46 | (3ull << 12), 0);
    submit(f);
    assert_int_equal(r32(f, 0x60), 1);
    w32(f, 0x64, 1);                  /* acknowledge without fixing */
    assert_int_equal(r32(f, 0x60), 0); /* toggled again: active */
    assert_int_equal(r32(f, 0x64), 1);
    expect_q(f, 0, SMMUV3_CERROR_ILL, 1);
    fx_free(f);
}

static void test_fetch_abort(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 2);
    push_nops(f, 2);
    smmuv3_mem_add_abort(f->mem, CMDQ_PA + 16, 16);
    submit(f);
    expect_q(f, 1, SMMUV3_CERROR_ABT, 1);
    assert_int_equal(commands(f), 1);
    fx_free(f);
}

/* ------------------------------------------------------------ queue geometry */
static void test_wrap(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 2);   /* 4 entries */
    push_nops(f, 4);
    submit(f);
    assert_int_equal(f->prod, 0x4);
    assert_int_equal(cons_rd(f), 0x4);   /* index 0, wrap 1 */
    push_nops(f, 3);
    submit(f);
    assert_int_equal(cons_rd(f), 0x7);
    push(f, sync_w0(1, 0xA), sync_w1(0x6000));   /* slot 3 */
    push(f, sync_w0(1, 0xB), sync_w1(0x6004));   /* slot 0 again, wrap back to 0 */
    submit(f);
    assert_int_equal(f->prod, 0x1);
    assert_int_equal(cons_rd(f), 0x1);
    assert_int_equal(mem32(f, 0x6000), 0xA);
    assert_int_equal(mem32(f, 0x6004), 0xB);
    assert_int_equal(commands(f), 9);
    fx_free(f);
}

/* PROD bits above the wrap bit are ignored; a full queue is consumed in one go. */
static void test_prod_beyond_queue(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 2);
    push_nops(f, 1);
    w32(f, 0x98, 0xFFFF8 | 0x1);        /* index 1, wrap 0, junk above */
    assert_int_equal(r32(f, 0x98), 0xFFFF9);
    expect_ran(f, 1, 1);
    /* PROD "ahead" by a whole queue: 4 entries consumed, no more */
    for (int i = 0; i < 4; i++)
        put_slot(f, (uint32_t)i, 0x30, 0);
    w32(f, 0x98, 0x5);                  /* index 1, wrap 1 */
    expect_ran(f, 5, 5);
    fx_free(f);
}

/* Queue bases and sizes, one case each: the CMDQ_BASE written reads back as
 * given, `fill` NOPs are consumed (PROD and CONS both at `fill`), then a
 * CMD_SYNC whose MSI lands at `msi` and `after` more NOPs run to `cons`.
 * - LOG2SIZE 31 reads back as written and is capped at IDR1.CMDQS (3 here);
 * - a base with RA/WA, reserved and above-OAS bits, and misaligned below the
 *   queue size (16 entries = 256 bytes: aligned down);
 * - a queue that ends exactly at 2^52 (OAS 52), its MSI at the last word
 *   below 2^52. */
#define TOP52 ((1ull << 52) - 64)

typedef struct geometry_case {
    const char *what;
    cfgfx_set cf;                 /* the one member changed from the default */
    uint64_t base_reg, readback, qbase;
    unsigned log2, fill, after;
    uint64_t msi;
    uint32_t data, cons;
} geometry_case;

static const geometry_case geometry_cases[] = {
    { "LOG2SIZE 31 capped at CMDQS 3", CF(cmdqs, 3), CMDQ_PA | 31, CMDQ_PA | 31, CMDQ_PA,
      3, 8, 0, 0x6000, 0x77, 0x9 },
    { "hostile base", CF(oas, 48) /* the default */,
      (1ull << 63) | (0x3Full << 56) | (1ull << 62) | (0xFull << 48) | (CMDQ_PA + 0x20) | 4,
      (1ull << 62) | (CMDQ_PA + 0x20) | 4, CMDQ_PA, 4, 0, 0, 0x6000, 0x42, 1 },
    { "queue ending at 2^52", CF(oas, 52), TOP52 | 2, TOP52 | 2, TOP52, 2, 4, 1, TOP52 - 4, 0x5B, 6 },
};

static void test_queue_geometry(void **state)
{
    (void)state;
    FOR_EACH_CASE(geometry_case, k, geometry_cases) {
        smmuv3_config c = cfgfx_make(&k->cf, 1);
        fx *f = fx_new_base(&c, k->base_reg, k->qbase, k->log2);
        assert_int_equal(smmuv3_mmio_read(f->s, 0x90, 8), k->readback);
        push_nops(f, k->fill);
        submit(f);
        assert_int_equal(f->prod, k->fill);
        assert_int_equal(cons_rd(f), k->fill);
        push(f, sync_w0(1, k->data), sync_w1(k->msi));
        push_nops(f, k->after);
        submit(f);
        expect_q(f, k->cons, 0, 0);
        assert_int_equal(mem32(f, k->msi), k->data);
        assert_int_equal(commands(f), k->fill + 1 + k->after);
        fx_free(f);
    }
}

/* A queue inside an abort range errors; the model keeps working. */
static void test_queue_in_abort(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 2);
    push_nops(f, 1);
    smmuv3_mem_add_abort(f->mem, CMDQ_PA, 64);
    submit(f);
    expect_q(f, 0, SMMUV3_CERROR_ABT, 1);
    /* the model keeps working: move the queue, ack, and go on */
    w32(f, 0x20, 0);
    smmuv3_mmio_write(f->s, 0x90, 0x300000 | 2, 8);
    w32(f, 0x9C, 0);
    f->qbase = 0x300000;
    f->prod = 0;
    push_nops(f, 1);
    w32(f, 0x64, r32(f, 0x60));
    w32(f, 0x20, 0x8);
    submit(f);
    expect_q(f, 1, 0, 0);
    fx_free(f);
}

/* ------------------------------------------------------------ CMD_SYNC */
/* FreeBSD/Linux: MSI aimed at the CMD_SYNC's own slot with data 0. */
static void test_sync_msi_own_slot(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    push_nops(f, 1);
    uint64_t slot = CMDQ_PA + 16;
    push(f, sync_w0(1, 0), sync_w1(slot));
    assert_int_not_equal(mem32(f, slot), 0);
    submit(f);
    assert_int_equal(mem32(f, slot), 0);
    assert_int_equal(f->msi_writes, 1);
    assert_int_equal(f->cons_at_msi, 2);   /* consumed before the MSI is observable */
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 0);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.msis, 1);
    fx_free(f);
}

static void test_sync_wired(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(msi, false));
    fx *f = fx_new(&c, 3);
    push(f, sync_w0(1, 0x99), sync_w1(0x5000));   /* MSIAddress IGNORED without MSI */
    submit(f);
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(f->cons_at_irq, 1);
    assert_int_equal(mem32(f, 0x5000), 0);
    assert_int_equal(f->msi_writes, 0);
    fx_free(f);

    /* MSI supported but MSIAddress == 0: wired */
    f = fx_new(NULL, 3);
    push(f, sync_w0(1, 0x99), 0);
    submit(f);
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(f->msi_writes, 0);
    /* CS=NONE: nothing */
    push(f, sync_w0(0, 0x99), sync_w1(0x5000));
    submit(f);
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(f->msi_writes, 0);
    fx_free(f);
}

static void test_sync_msi_abort_and_truncation(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    smmuv3_mem_add_abort(f->mem, 0x7000, 0x1000);
    push(f, sync_w0(1, 1), sync_w1(0x7000));
    push_nops(f, 1);
    submit(f);
    expect_q(f, 2, 0, 0x10);   /* SYNC completed, next ran; MSI_CMDQ_ABT_ERR only */
    /* MSIAddress above the OAS (48) is truncated */
    push(f, sync_w0(1, 0x5A), sync_w1((0xABull << 48) | 0x5000));
    submit(f);
    assert_int_equal(mem32(f, 0x5000), 0x5A);
    fx_free(f);
}

static void test_sync_sev(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    push(f, sync_w0(2, 0), 0);
    push(f, sync_w0(2, 0), 0);
    submit(f);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.sev, 2);
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 0);
    fx_free(f);

    smmuv3_config c = CFGFX(CF(sev, false));
    f = fx_new(&c, 3);
    push(f, sync_w0(2, 0), 0);
    submit(f);
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.sev, 0);
    assert_int_equal(cons_rd(f), 1);
    fx_free(f);
}

/* CMDQEN gates consumption; setting it processes what is pending. A queue
 * that software could observe full signals a wake-up (SEV) when it drains;
 * one that was not full before does not. */
typedef struct enable_case {
    const char *what;
    unsigned log2, pending;
    uint64_t sev;   /* wake-ups once drained */
} enable_case;

static const enable_case enable_cases[] = {
    { "2 of 8 entries pending", 3, 2, 0 },
    { "full queue of 4 (PROD 0b100, CONS 0)", 2, 4, 1 },
};

static void test_cmdqen_triggers(void **state)
{
    (void)state;
    FOR_EACH_CASE(enable_case, k, enable_cases) {
        fx *f = fx_new(NULL, k->log2);
        w32(f, 0x20, 0);
        push_nops(f, k->pending);
        submit(f);
        assert_int_equal(cons_rd(f), 0);
        assert_int_equal(sevs(f), 0);
        w32(f, 0x20, 0x8);
        expect_ran(f, k->pending, k->pending);
        assert_int_equal(sevs(f), k->sev);
        /* not full before: no further wake-up */
        push_nops(f, 1);
        submit(f);
        expect_ran(f, k->pending + 1, k->pending + 1);
        assert_int_equal(sevs(f), k->sev);
        fx_free(f);
    }
}

/* Host interrupt handlers that act during command processing, one case each:
 * - submitting one more command from the CMD_SYNC callback;
 * - API.md: when a CMDQ_PROD write returns, every command up to the new PROD
 *   that can run has run, also when the write comes from a host callback
 *   during command processing and the chain of submissions is longer than one
 *   queue's worth (a two-entry queue, each CMD_SYNC interrupt submitting the
 *   next CMD_SYNC);
 * - API.md: acknowledging a command error through GERRORN restarts processing
 *   at CMDQ_CONS, also when the acknowledgement comes from the GERROR
 *   interrupt handler while the SMMU is processing commands (7.1).
 * Every case ends with the queue drained: CONS == PROD as the driver wrote it. */
typedef struct handler_case {
    const char *what;
    unsigned log2, irq_extra;
    bool extra_sync, fix_on_gerror;
    unsigned n;
    uint64_t w0[4];   /* the commands submitted at once (W1 zero) */
    unsigned gerror_irqs, sync_irqs, cons;
    uint64_t commands;
} handler_case;

#define NSNH SMMUV3_CMD_TLBI_NSNH_ALL
#define SYNC_IRQ ((uint64_t)SMMUV3_CMD_SYNC | (1ull << 12))

static const handler_case handler_cases[] = {
    { "CMD_SYNC irq submits one more", 3, 1, false, false, 1, { SYNC_IRQ }, 0, 1, 2, 2 },
    { "CMD_SYNC irq chain beyond one queue", 1, 5, true, false, 1, { SYNC_IRQ }, 0, 6, 2, 6 },
    { "GERROR handler fixes and acks", 3, 0, false, true, 4, { NSNH, 0x00, NSNH, SYNC_IRQ },
      1, 1, 4, 4 },
};

static void test_handler_submits_and_acks(void **state)
{
    (void)state;
    FOR_EACH_CASE(handler_case, k, handler_cases) {
        smmuv3_config c = CFGFX(CF(msi, false));
        fx *f = fx_new(&c, k->log2);
        f->irq_extra = k->irq_extra;
        f->extra_sync = k->extra_sync;
        f->fix_on_gerror = k->fix_on_gerror;
        w32(f, 0x50, 1);   /* GERROR_IRQEN */
        for (unsigned j = 0; j < k->n; j++)
            push(f, k->w0[j], 0);
        submit(f);
        assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], k->gerror_irqs);
        assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], k->sync_irqs);
        assert_int_equal(gerror_active(f), 0);
        assert_int_equal(cons_rd(f), k->cons);
        assert_int_equal(commands(f), k->commands);
        assert_int_equal(cons_rd(f), f->prod);
        assert_int_equal(r32(f, 0x98), f->prod);
        fx_free(f);
    }
}

/* 64-bit write of PROD/CONS as a pair while enabled: PROD taken, CONS ignored. */
static void test_prod_cons_pair_write(void **state)
{
    (void)state;
    fx *f = fx_new(NULL, 3);
    push_nops(f, 2);
    smmuv3_mmio_write(f->s, 0x98, 2ull | (7ull << 32), 8);
    assert_int_equal(cons_rd(f), 2);
    assert_int_equal(smmuv3_mmio_read(f->s, 0x98, 8), 2ull | (2ull << 32));
    fx_free(f);
}

TEST_MAIN(test_opcode_legality, test_handler_submits_and_acks, test_ats_pri_when_advertised,
          test_error_stops_and_resumes, test_error_not_fixed_errors_again, test_fetch_abort,
          test_cmdqen_triggers, test_wrap, test_prod_beyond_queue, test_queue_geometry,
          test_queue_in_abort, test_sync_msi_own_slot,
          test_sync_wired, test_sync_msi_abort_and_truncation, test_sync_sev,
          test_prod_cons_pair_write)
