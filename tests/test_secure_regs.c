/* Unit tests: the Secure programming interface's registers and queues
 * (IHI 0070 3.10.2, 6.2, 6.3.52-6.3.77), through smmuv3_mmio_*_sec. The host
 * keeps the Secure PA space in memory of its own, so every Secure queue
 * access and MSI is seen to land there. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "smmu_regs.h"
#include "cfgfx.h"
#include "test_main.h"
#include "twomem.h"

#define S_CR0_SIF (1u << 5)
#define S_CR0_NSSTALLD (1u << 9)
#define CMDQ_PA 0x100000ull

/* ------------------------------------------------------------ ID registers and access */
static void test_idregs_and_ns_raz(void **state)
{
    twomem *f = *state;
    uint32_t idr1 = tm_sr32(f, S_IDR1);
    assert_int_equal(idr1 >> 31, 1);              /* SECURE_IMPL */
    assert_int_equal((idr1 >> 29) & 1, 1);        /* SEL2 (both stages in the default profile) */
    assert_int_equal(idr1 & 0x3f, 16);            /* S_SIDSIZE */
    uint32_t idr0 = tm_sr32(f, S_IDR0);
    assert_int_equal((idr0 >> 13) & 1, 1);        /* MSI */
    assert_int_equal((idr0 >> 24) & 3, 0);        /* STALL_MODEL: stall and terminate */
    assert_int_equal(tm_sr32(f, S_IDR2), 0);
    assert_int_equal(tm_sr32(f, S_IDR3), 0);
    assert_int_equal(tm_sr32(f, S_IDR4), 0);
    assert_int_equal(tm_sr32(f, 0x8014), 0);          /* no S_IDR5, S_IIDR, S_AIDR */
    /* 3.10.2: every SMMU_S_* register is RAZ/WI to a Non-secure access */
    for (uint64_t o = 0x8000; o < 0x8100; o += 4)
        assert_int_equal(tm_nr32(f, o), 0);
    tm_nw32(f, S_CR0, CR0_CMDQEN | CR0_EVTQEN);
    tm_nw64(f, S_STRTAB_BASE, 0x123440);
    tm_nw32(f, S_INIT, 1);
    assert_int_equal(tm_sr32(f, S_CR0), 0);
    assert_int_equal(tm_sr64(f, S_STRTAB_BASE), 0);
    /* a Secure access to the Non-secure frame reaches the Non-secure registers */
    assert_int_equal(tm_sr32(f, IDR0), tm_nr32(f, IDR0));
    tm_sw32(f, CR0, CR0_CMDQEN);
    assert_int_equal(tm_nr32(f, CR0), CR0_CMDQEN);
}

static void test_without_secure_state(void **state)
{
    smmuv3_config c = CFGFX(CF(secure_impl, false));
    twomem *f = twomem_renew(state, &c);
    assert_false(smmuv3_get_config(f->s)->sel2);
    for (uint64_t o = 0x8000; o < 0x8100; o += 4)
        assert_int_equal(tm_sr32(f, o), 0);                 /* 3.10.2: RAZ/WI to all accesses */
    tm_sw32(f, S_CR0, CR0_CMDQEN);
    assert_int_equal(tm_sr32(f, S_CR0ACK), 0);
    /* SEC_SID is then always 0: a Secure-flagged transaction is Non-secure */
    smmuv3_txn t = { .sid = 1, .addr = 0x5000, .flags = SMMUV3_TXN_SECURE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_true(r.attrs.ns);
    /* SEL2 needs both stages; Secure state needs stage 1 (6.3.53) */
    c = CFGFX(CF(s2p, false));
    f = twomem_renew(state, &c);
    assert_int_equal((tm_sr32(f, S_IDR1) >> 29) & 1, 0);
    c = CFGFX(CF(s1p, false), CF(cd_2level, false));
    f = twomem_renew(state, &c);
    assert_int_equal(tm_sr32(f, S_IDR1), 0);
}

/* ------------------------------------------------------------ control registers */
static void test_cr0_fields(void **state)
{
    twomem *f = *state;
    tm_sw32(f, S_CR0, 0xFFFFFFFFu);
    /* SMMUEN, EVENTQEN, CMDQEN, SIF, NSSTALLD; VMW is RES0 without IDR0.VMW; bits 1, 4 RES0 */
    assert_int_equal(tm_sr32(f, S_CR0), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN | S_CR0_SIF | S_CR0_NSSTALLD);
    assert_int_equal(tm_sr32(f, S_CR0ACK), tm_sr32(f, S_CR0));
    /* NSSTALLD: the Non-secure interface becomes terminate-only (6.3.57.1) */
    assert_int_equal((tm_nr32(f, IDR0) >> 24) & 3, 1);
    tm_sw32(f, S_CR0, 0);
    assert_int_equal((tm_nr32(f, IDR0) >> 24) & 3, 0);
    /* NSSTALLD is RES0 when S_IDR0.STALL_MODEL != 0b00 */
    smmuv3_config c = CFGFX(CF(stall_model, SMMUV3_STALL_FORCED));
    f = twomem_renew(state, &c);
    tm_sw32(f, S_CR0, S_CR0_NSSTALLD);
    assert_int_equal(tm_sr32(f, S_CR0), 0);
    assert_int_equal((tm_nr32(f, IDR0) >> 24) & 3, 2);
}

static void test_cr1_cr2_gbpa_guarded(void **state)
{
    twomem *f = *state;
    tm_sw32(f, S_CR2, 7);
    assert_int_equal(tm_sr32(f, S_CR2), 3);            /* E2H (SEL2), RECINVSID; PTM needs BTM */
    tm_sw32(f, S_CR1, 0xFFF);
    assert_int_equal(tm_sr32(f, S_CR1), 0xFFF);
    tm_sw32(f, S_GBPA, 0x80000000u | 0xC000u | 1u << 20);
    assert_int_equal(tm_sr32(f, S_GBPA), 0xC000u | 1u << 20);   /* NSCFG kept, UPDATE reads 0 */
    tm_sw32(f, S_GBPA, 0x1000u);                                /* without UPDATE: ignored */
    assert_int_equal(tm_sr32(f, S_GBPA), 0xC000u | 1u << 20);
    /* the Non-secure GBPA has no NSCFG */
    tm_nw32(f, 0x44, 0x80000000u | 0xC000u);
    assert_int_equal(tm_nr32(f, 0x44), 0);
    tm_sw32(f, S_CR0, CR0_SMMUEN);
    tm_sw32(f, S_CR2, 0);
    assert_int_equal(tm_sr32(f, S_CR2), 3);            /* guarded by SMMUEN */
    tm_sw32(f, S_STRTAB_BASE_CFG, 0x10008);
    assert_int_equal(tm_sr32(f, S_STRTAB_BASE_CFG), 0);
}

/* 6.3.62: INV_ALL reads 0 (done); a write while any SMMUEN is set is ignored. */
static void test_s_init(void **state)
{
    twomem *f = *state;
    tm_sw32(f, S_INIT, 1);
    assert_int_equal(tm_sr32(f, S_INIT), 0);
    tm_nw32(f, CR0, CR0_SMMUEN);
    tm_sw32(f, S_INIT, 1);
    assert_int_equal(tm_sr32(f, S_INIT), 0);
}

/* ------------------------------------------------------------ Secure queues */
static void put_cmd(smmuv3_mem *m, uint64_t base, unsigned idx, uint64_t w0, uint64_t w1)
{
    uint64_t w[2] = { w0, w1 };
    assert_int_equal(smmuv3_mem_write(m, base + idx * 16ull, w, 16), 0);
}

static void secure_cmdq_on(twomem *f)
{
    tm_sw64(f, S_CMDQ_BASE, CMDQ_PA | 5);
    tm_sw32(f, S_CR0, CR0_CMDQEN);
}

static void test_secure_cmdq_in_secure_memory(void **state)
{
    twomem *f = *state;
    secure_cmdq_on(f);
    /* a CMD_SYNC with an MSI: read from and written to the Secure PA space */
    put_cmd(f->sec, CMDQ_PA, 0, 0x46 | 1u << 12 | 0xABCDull << 32, 0x300000);
    put_cmd(f->ns, CMDQ_PA, 0, 0x00, 0);   /* the same address in Non-secure memory: reserved opcode */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), 1);
    assert_int_equal(tm_sr32(f, S_GERROR), 0);
    uint32_t v = 0;
    assert_int_equal(smmuv3_mem_read(f->sec, 0x300000, &v, 4), 0);
    assert_int_equal(v, 0xABCD);
    assert_int_equal(smmuv3_mem_read(f->ns, 0x300000, &v, 4), 0);
    assert_int_equal(v, 0);
    /* the Non-secure queue is untouched */
    assert_int_equal(tm_nr32(f, CMDQ_CONS), 0);
}

/* 4.1.6: SSec == 1 is ILLEGAL on the Non-secure queue, legal on the Secure one;
 * the Secure-only TLBIs (4.4) are ILLEGAL on the Non-secure queue. */
static void test_ssec_and_secure_only_commands(void **state)
{
    twomem *f = *state;
    secure_cmdq_on(f);
    tm_nw64(f, CMDQ_BASE, CMDQ_PA | 4);
    tm_nw32(f, CR0, CR0_CMDQEN);
    static const uint64_t secure_ok[] = {
        0x03 | 1u << 10 | 5ull << 32,    /* CFGI_STE SSec=1 */
        0x04 | 1u << 10,                 /* CFGI_STE_RANGE SSec=1 */
        0x05 | 1u << 10,                 /* CFGI_CD SSec=1 */
        0x06 | 1u << 10,                 /* CFGI_CD_ALL SSec=1 */
        0x01 | 1u << 10,                 /* PREFETCH_CONFIG SSec=1 */
        0x10, 0x11, 0x18, 0x1A,          /* TLBI_NH_ALL/ASID (Secure scope), TLBI_EL3_ALL/VA */
        0x50, 0x51, 0x52, 0x53, 0x58, 0x5A, 0x60,   /* TLBI_S_EL2_*, S_S12_VMALL, S_S2_IPA, SNH_ALL */
        0x20, 0x28, 0x30,                /* Non-secure scope from the Secure queue */
        0x45 | 1u << 10,                 /* STALL_TERM SSec=1 */
        0x44 | 1u << 10,                 /* RESUME SSec=1 (no such stall: no-op) */
    };
    unsigned n = sizeof(secure_ok) / sizeof(secure_ok[0]);
    for (unsigned i = 0; i < n; i++)
        put_cmd(f->sec, CMDQ_PA, i, secure_ok[i], 0);
    tm_sw32(f, S_CMDQ_PROD, n);
    assert_int_equal(tm_sr32(f, S_GERROR), 0);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), n);
    /* the same commands on the Non-secure queue: each one CERROR_ILL */
    static const uint64_t ns_ill[] = { 0x03 | 1u << 10, 0x01 | 1u << 10, 0x45 | 1u << 10, 0x18, 0x1A,
                                       0x50, 0x51, 0x52, 0x53, 0x58, 0x5A, 0x60 };
    for (unsigned i = 0; i < sizeof(ns_ill) / sizeof(ns_ill[0]); i++) {
        uint32_t cons = tm_nr32(f, CMDQ_CONS) & 0xFFFFF;
        put_cmd(f->ns, CMDQ_PA, cons & 15, ns_ill[i], 0);
        tm_nw32(f, CMDQ_PROD, (cons + 1) & 0x1F);
        if ((tm_nr32(f, CMDQ_CONS) >> 24 & 0x7F) != 1)
            fail_msg("command 0x%llx was not ILLEGAL", (unsigned long long)ns_ill[i]);
        assert_int_equal((tm_nr32(f, GERROR) ^ tm_nr32(f, 0x64)) & 1, 1);
        assert_int_equal(tm_sr32(f, S_GERROR), 0);                  /* the Secure side is untouched */
        /* skip the command and acknowledge */
        tm_nw32(f, CR0, 0);
        tm_nw32(f, CMDQ_CONS, (cons + 1) & 0x1F);
        tm_nw32(f, 0x64, tm_nr32(f, GERROR));
        tm_nw32(f, CR0, CR0_CMDQEN);
    }
    /* PRI_RESP with SSec = 1 on the Secure queue: no Secure PRI queue */
    put_cmd(f->sec, CMDQ_PA, n, 0x41 | 1u << 10, 0);
    tm_sw32(f, S_CMDQ_PROD, n + 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS) >> 24 & 0x7F, 1);
    assert_int_equal(tm_sr32(f, S_GERROR) & 1, 1);
    assert_int_equal(tm_nr32(f, GERROR) & 1, 0);
}

static void test_secure_sel2_commands_need_sel2(void **state)
{
    smmuv3_config c = CFGFX(CF(sel2, false));
    twomem *f = twomem_renew(state, &c);
    secure_cmdq_on(f);
    put_cmd(f->sec, CMDQ_PA, 0, 0x18, 0);   /* TLBI_EL3_ALL: fine */
    put_cmd(f->sec, CMDQ_PA, 1, 0x50, 0);   /* TLBI_S_EL2_ALL: reserved without SEL2 */
    tm_sw32(f, S_CMDQ_PROD, 2);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), 1u | 1u << 24);
    assert_int_equal(tm_sr32(f, S_GERROR), 1);
    /* acknowledge: processing restarts at S_CMDQ_CONS and stops there again */
    tm_sw32(f, S_GERRORN, 1);
    assert_int_equal(tm_sr32(f, S_GERROR) ^ tm_sr32(f, S_GERRORN), 1);
}

/* Secure GERROR interrupts: an MSI to the Secure PA space; a wired one counts
 * in stats.s_irqs and reaches host.irq_secure, never host.irq (its lines are
 * the Non-secure ones). */
static void test_secure_gerror_irq(void **state)
{
    twomem *f = *state;
    tm_sw64(f, S_GERROR_IRQ_CFG0, 0x310000);
    tm_sw32(f, S_GERROR_IRQ_CFG1, 0x77);
    tm_sw32(f, S_IRQ_CTRL, 1);
    assert_int_equal(tm_sr32(f, S_IRQ_CTRLACK), 1);
    tm_sw64(f, S_GERROR_IRQ_CFG0, 0x320000);               /* guarded while enabled */
    assert_int_equal(tm_sr64(f, S_GERROR_IRQ_CFG0), 0x310000);
    secure_cmdq_on(f);
    put_cmd(f->sec, CMDQ_PA, 0, 0x00, 0);               /* reserved: CERROR_ILL */
    tm_sw32(f, S_CMDQ_PROD, 1);
    uint32_t v = 0;
    assert_int_equal(smmuv3_mem_read(f->sec, 0x310000, &v, 4), 0);
    assert_int_equal(v, 0x77);
    assert_int_equal(smmuv3_mem_read(f->ns, 0x310000, &v, 4), 0);
    assert_int_equal(v, 0);
    /* wired: MSI address 0 */
    tm_sw32(f, S_IRQ_CTRL, 0);
    tm_sw64(f, S_GERROR_IRQ_CFG0, 0);
    tm_sw32(f, S_IRQ_CTRL, 1);
    tm_sw32(f, S_GERRORN, tm_sr32(f, S_GERROR));
    put_cmd(f->sec, CMDQ_PA, 1, 0x00, 0);
    tm_sw32(f, S_CMDQ_PROD, 2);                            /* the restart already failed at 0 */
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.s_irqs[SMMUV3_IRQ_GERROR], 1);
    assert_int_equal(f->sirqs[SMMUV3_IRQ_GERROR], 1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 0);
    assert_int_equal(st.irqs[SMMUV3_IRQ_GERROR], 0);
}

/* A Secure CMD_SYNC with CS = SIG_IRQ and no MSI address raises the Secure
 * CMD_SYNC line through host.irq_secure; the same command on the Non-secure
 * queue raises the Non-secure line through host.irq (3.10.2.1, 4.7.3). */
static void test_sync_irq_by_state(void **state)
{
    twomem *f = *state;
    secure_cmdq_on(f);
    put_cmd(f->sec, CMDQ_PA, 0, SMMUV3_CMD_SYNC | 1ull << 12, 0);   /* CS = SIG_IRQ, MSIAddr 0 */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS) & 0xff, 1);
    assert_int_equal(f->sirqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 0);
    smmuv3_mmio_write(f->s, 0x90, 0x200000 | 5, 8);                 /* CMDQ_BASE */
    smmuv3_mmio_write(f->s, 0x20, CR0_CMDQEN, 4);                   /* CR0 */
    put_cmd(f->ns, 0x200000, 0, SMMUV3_CMD_SYNC | 1ull << 12, 0);
    smmuv3_mmio_write(f->s, 0x98, 1, 4);                            /* CMDQ_PROD */
    assert_int_equal(f->irqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(f->sirqs[SMMUV3_IRQ_CMD_SYNC], 1);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.s_irqs[SMMUV3_IRQ_CMD_SYNC], 1);
    assert_int_equal(st.irqs[SMMUV3_IRQ_CMD_SYNC], 1);
}

/* 6.2: S_EVENTQ_PROD/CONS sit in page 0; page 1 has no Secure copies. */
static void test_secure_eventq_regs(void **state)
{
    twomem *f = *state;
    tm_sw64(f, S_EVENTQ_BASE, 0x500000 | 3);
    assert_int_equal(tm_sr64(f, S_EVENTQ_BASE), 0x500000 | 3);
    tm_sw32(f, S_EVENTQ_PROD, 5);
    tm_sw32(f, S_EVENTQ_CONS, 2);
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 5);
    assert_int_equal(tm_sr32(f, S_EVENTQ_CONS), 2);
    assert_int_equal(tm_sr64(f, S_EVENTQ_PROD), 2ull << 32 | 5);
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 0);
    assert_int_equal(tm_sr32(f, EVENTQ_PROD), 0);           /* page 1: the Non-secure registers */
    assert_int_equal(tm_sr32(f, 0x180A8), 0);
    tm_sw32(f, S_CR0, CR0_EVTQEN);
    tm_sw32(f, S_EVENTQ_PROD, 1);                          /* SMMU-owned while enabled */
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 5);
    tm_sw64(f, S_EVENTQ_IRQ_CFG0, 0x600000);
    tm_sw32(f, S_EVENTQ_IRQ_CFG1, 9);
    assert_int_equal(tm_sr64(f, S_EVENTQ_IRQ_CFG0), 0x600000);
    assert_int_equal(tm_sr32(f, S_EVENTQ_IRQ_CFG1), 9);
}

/* ------------------------------------------------------------ Secure global bypass */
static void test_secure_gbpa_bypass(void **state)
{
    twomem *f = *state;
    smmuv3_txn t = { .sid = 3, .addr = 0x7000, .flags = SMMUV3_TXN_SECURE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_false(r.attrs.ns);                       /* input Secure, NSCFG use incoming */
    t.flags |= SMMUV3_TXN_NS;
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_true(r.attrs.ns);
    tm_sw32(f, S_GBPA, 0x80000000u | 2u << 14);        /* NSCFG = Secure */
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_false(r.attrs.ns);
    tm_sw32(f, S_GBPA, 0x80000000u | 3u << 14);        /* NSCFG = Non-secure */
    t.flags = SMMUV3_TXN_SECURE | SMMUV3_TXN_EXEC;
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_true(r.attrs.ns);
    tm_sw32(f, S_CR0, S_CR0_SIF);                      /* SIF: Non-secure instruction fetch aborts */
    assert_int_equal(smmuv3_translate(f->s, &t, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    t.flags = SMMUV3_TXN_SECURE;                    /* data: fine */
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    tm_sw32(f, S_GBPA, 0x80000000u | 1u << 20);        /* ABORT */
    assert_int_equal(smmuv3_translate(f->s, &t, &r), SMMUV3_XLATE_ABORT);
    /* the Non-secure side still bypasses by its own GBPA */
    t.flags = 0;
    assert_int_equal(smmuv3_translate(f->s, &t, &r), 0);
    assert_true(r.attrs.ns);
}

/* Bad input: every offset, size and value through both entry points. */
static void test_garbage_accesses(void **state)
{
    twomem *f = *state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (unsigned i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t off = (x >> 8) % 0x22000;
        unsigned size = (x & 1) ? 8 : (x & 2) ? 4 : (unsigned)(x >> 60);
        bool sec = (x >> 3) & 1;
        if ((x >> 4) & 1)
            smmuv3_mmio_write_sec(f->s, off & ~3ull, x * 0x1234567ull, size, sec);
        else
            (void)smmuv3_mmio_read_sec(f->s, off, size, sec);
    }
    assert_int_equal(smmuv3_mmio_read_sec(NULL, S_IDR1, 4, true), 0);
    smmuv3_mmio_write_sec(NULL, S_CR0, 1, 4, true);
}

TEST_MAIN_FX(twomem_setup, twomem_teardown, test_idregs_and_ns_raz, test_without_secure_state, test_cr0_fields,
          test_cr1_cr2_gbpa_guarded, test_s_init, test_secure_cmdq_in_secure_memory,
          test_ssec_and_secure_only_commands, test_secure_sel2_commands_need_sel2,
          test_secure_gerror_irq, test_sync_irq_by_state, test_secure_eventq_regs,
          test_secure_gbpa_bypass, test_garbage_accesses)
