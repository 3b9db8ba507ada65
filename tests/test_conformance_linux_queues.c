/* SPDX-License-Identifier: MIT */
/*
 * Conformance with Linux's arm-smmu-v3 driver (the re-enactment is
 * tests/helpers/linux_drv.[ch]): queues and errors: the event queue (records, overflow, many laps),
 * CMD_SYNC by MSI and SEV, command errors, GBPA, stall and resume, wired
 * interrupts, 32-bit halves of 64-bit registers, external aborts.
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

/* unmapped IOVA: the F_TRANSLATION record, exactly; CONS write; MSI */
static void test_evtq_translation_fault(void **state)
{
    drv *d = *state;
    s1dom dom;
    attach_s1(d, 5, &dom, 0x77);
    mw64(d, MSI_EVTQ, 0);

    smmuv3_result r;
    assert_int_equal(xlate(d, 5, 0xDEAD000ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x10);
    assert_int_equal(rd32(d, EVENTQ_PROD), 1);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | 5ull << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40); /* RnW read, CLASS IN */
    assert_int_equal(ev[2], 0xDEAD000ull);
    assert_int_equal(rd32(d, EVENTQ_CONS), 1);
    assert_int_equal(mr32(d, MSI_EVTQ), 0x2A);

    /* privileged instruction fetch: PnU and InD */
    assert_int_equal(xlate(d, 5, 0xBEEF123ull, SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | 5ull << 32);
    assert_int_equal(ev[1], 1ull << 33 | 1ull << 34 | 1ull << 35 | 2ull << 40);
    assert_int_equal(ev[2], 0xBEEF123ull);
    /* a write */
    assert_int_equal(xlate(d, 5, 0xF00Dull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[1], 2ull << 40);
    expect_no_event(d);
}

/* a full event queue: PROD.OVFLG toggles, Linux acknowledges with CONS.OVACKFLG */
static void test_evtq_overflow(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);
    d->evtq_log2 = 1; /* two entries */
    linux_reset(d, false);
    assert_int_equal(rd64(d, EVENTQ_BASE), Q_BASE_RWA | EVTQ_ADDR | 1);
    s1dom dom;
    attach_s1(d, 1, &dom, 3);
    smmuv3_result r;
    for (uint64_t i = 0; i < 3; i++)
        assert_int_equal(xlate(d, 1, 0x10000 * (i + 1), 0, &r), SMMUV3_XLATE_ABORT);
    /* two records written (index 0, wrap 1), the third lost: OVFLG */
    assert_int_equal(rd32(d, EVENTQ_PROD), 1u << 31 | 2u);
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[2], 0x10000);
    evtq_pop(d, ev);
    assert_int_equal(ev[2], 0x20000);
    assert_int_equal(rd32(d, EVENTQ_CONS), 1u << 31 | 2u);
    /* the queue has room again */
    assert_int_equal(xlate(d, 1, 0x40000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(rd32(d, EVENTQ_PROD), 1u << 31 | 3u);
    evtq_pop(d, ev);
    assert_int_equal(ev[2], 0x40000);
}

static void test_cmd_sync_msi_own_slot(void **state)
{
    drv *d = *state;
    uint32_t idx = d->cmdq_prod & ((1u << CMDQ_LOG2) - 1);
    uint64_t slot = CMDQ_ADDR + idx * 16ull;
    cmd c = c_cfgi_all();
    cmdq_insert(d, &c);
    uint64_t sync_slot = slot + 16;
    cmd s = { { 0x46 | 1ull << 12 | 3ull << 22 | 0xFull << 24, sync_slot & 0x000FFFFFFFFFFFFCull } };
    cmdq_insert(d, &s);
    assert_int_equal(mr32(d, sync_slot), 0x0FC01046u);
    cmdq_publish(d);
    /* __arm_smmu_cmdq_poll_until_msi: the first word of the SYNC became 0 */
    assert_int_equal(mr32(d, sync_slot), 0);
    assert_int_equal(mr32(d, sync_slot + 4), 0);
    assert_int_equal(mr64(d, sync_slot + 8), sync_slot);
    assert_int_equal(mr64(d, slot), 0x04); /* the CFGI_ALL before it is untouched */
    cmdq_wait(d);

    /* an MSI with data to another address */
    mw64(d, 0x41000000ull, 0);
    cmd s2 = { { 0x46 | 1ull << 12 | 0xCAFEF00Dull << 32, 0x41000004ull } };
    cmdq_insert(d, &s2);
    cmdq_publish(d);
    cmdq_wait(d);
    assert_int_equal(mr64(d, 0x41000000ull), 0xCAFEF00Dull << 32);
}

/* an illegal command: CMDQ_CONS.ERR, GERROR.CMDQ_ERR, GERROR MSI; Linux's
 * arm_smmu_cmdq_skip_err replaces it with a CMD_SYNC and acknowledges */
static void test_cmdq_error_skip(void **state)
{
    drv *d = *state;
    mw64(d, MSI_GERROR, 0);
    uint32_t start = issue_nowait(d, (cmd){ { 0xFF, 0 } });
    uint32_t cons = rd32(d, CMDQ_CONS);
    assert_int_equal(cons, 1u << 24 | start); /* ERR = CERROR_ILL, index at the bad command */
    uint32_t gerror = rd32(d, GERROR);
    assert_int_equal((gerror ^ rd32(d, GERRORN)) & 0x1FD, 1); /* only CMDQ_ERR active */
    assert_int_equal(mr32(d, MSI_GERROR), 0x2B);

    cmdq_skip_err(d, start);
    assert_int_equal(rd32(d, CMDQ_CONS) & 0xFFFFF, d->cmdq_prod);
    assert_int_equal(rd32(d, GERROR), rd32(d, GERRORN));

    /* the queue works again */
    issue_sync(d, c_cfgi_ste(0));
}

/* PASIDs: linear CD table (S1CDMAX = 3) and 2-level CD table (S1FMT 64K_L2) */
static void test_gbpa_abort_when_disabled(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);
    assert_int_equal(rd32(d, GBPA), 0x1000);
    expect_pa(d, 3, 0x12345678ull, 0, 0x12345678ull); /* SMMUEN 0, bypass */
    while (rd32(d, GBPA) & GBPA_UPDATE) {}
    wr32(d, GBPA, (rd32(d, GBPA) | GBPA_ABORT) | GBPA_UPDATE);
    assert_int_equal(rd32(d, GBPA), 0x1000 | GBPA_ABORT);
    smmuv3_result r;
    assert_int_equal(xlate(d, 3, 0x12345678ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    /* the full reset with SMMUEN: GBPA no longer matters */
    linux_reset(d, false);
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(d, 3, t, NULL, NULL);
    expect_pa(d, 3, 0x12345678ull, 0, 0x12345678ull);
    /* and a second reset with SMMUEN already on (kexec): Linux aborts via GBPA first */
    linux_reset(d, false);
    assert_int_equal(rd32(d, CR0ACK), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
}


/* arm_smmu_write_ste: PREFETCH_CFG after installing an STE (no SKIP_PREFETCH) */
static void prefetch_cfg(drv *d, uint32_t sid)
{
    cmd c = { { 0x01 | (uint64_t)sid << 32, 0 } };
    cmdq_insert(d, &c);
    cmdq_publish(d);
    cmdq_wait(d);
}

/* stall model (master->stall_enabled): CD.S = 1, STE.S1STALLD = 0; the fault
 * is recorded with Stall/STAG and answered by CMD_RESUME (arm_smmu_page_response) */
static void test_stall_and_resume(void **state)
{
    drv *d = *state;
    const uint32_t sid = 0x11;
    s1dom dom;
    attach_s1_with(d, sid, &dom, 0x300, 1ull << 44, 1ull << 27, 0);  /* CTXDESC_CD_0_S, no S1STALLD */
    prefetch_cfg(d, sid);

    smmuv3_result r;
    assert_int_equal(xlate(d, sid, 0x5000123ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_STALL);
    uint16_t stag = r.stag;
    uint64_t ev[4];
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], (uint64_t)stag | 1ull << 31 | 2ull << 40);  /* STAG, Stall, write, CLASS IN */
    assert_int_equal(ev[2], 0x5000123ull);
    assert_int_equal(smmuv3_stall_poll(d->s, sid, stag), SMMUV3_STALL_PENDING);

    /* the fault handler maps the page, then IOMMU_PAGE_RESP_SUCCESS -> RESUME RETRY */
    pt_map(d, dom.pgd, 0x5000000ull, 0x77000000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    issue_sync(d, (cmd){ { 0x44 | 1ull << 12 | (uint64_t)sid << 32, stag } });
    assert_int_equal(smmuv3_stall_poll(d->s, sid, stag), SMMUV3_STALL_RETRY);
    expect_pa(d, sid, 0x5000123ull, SMMUV3_TXN_WRITE, 0x77000123ull);

    /* IOMMU_PAGE_RESP_INVALID -> RESUME ABORT */
    assert_int_equal(xlate(d, sid, 0x6000000ull, 0, &r), SMMUV3_XLATE_STALL);
    stag = r.stag;
    evtq_pop(d, ev);
    assert_int_equal(ev[1], (uint64_t)stag | 1ull << 31 | 1ull << 35 | 2ull << 40);
    issue_sync(d, (cmd){ { 0x44 | 2ull << 12 | (uint64_t)sid << 32, stag } });
    assert_int_equal(smmuv3_stall_poll(d->s, sid, stag), SMMUV3_STALL_ABORT);
    expect_no_event(d);
}

/* VHE host: CR2.E2H, STE.STRW = EL2, TLBI_EL2_VA / TLBI_EL2_ASID */
static void test_cmd_sync_sev(void **state)
{
    drv *d = *state;
    smmuv3_stats before, after;
    smmuv3_get_stats(d->s, &before);
    issue_sync(d, (cmd){ { 0x46 | 2ull << 12, 0 } });
    smmuv3_get_stats(d->s, &after);
    assert_int_equal(after.sev - before.sev, 1); /* only the CS=SEV sync signals */
}

/* wired interrupts (no MSI doorbells programmed: *_IRQ_CFG0 == 0), as Linux
 * uses them with separate "eventq", "gerror" and "cmdq-sync" lines */
typedef struct wired { smmuv3_mem *mem; unsigned irqs[4]; } wired;
static int w_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((wired *)ctx)->mem, pa, buf, len); }
static int w_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((wired *)ctx)->mem, pa, buf, len); }
static void w_irq(void *ctx, smmuv3_irq line) { ((wired *)ctx)->irqs[line]++; }

static void test_wired_irqs(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);
    wired w = { .mem = d->mem };
    d->host = (smmuv3_host){ .ctx = &w, .read = w_read, .write = w_write, .irq = w_irq };
    smmuv3_free(d->s);
    d->cfg.msi = false;
    assert_int_equal(smmuv3_new(&d->cfg, &d->host, &d->s), 0);
    linux_reset(d, false);
    assert_int_equal(rd32(d, IRQ_CTRLACK), IRQ_CTRL_EVTQ | IRQ_CTRL_GERROR);
    assert_int_equal(rd64(d, EVENTQ_IRQ_CFG0), 0);   /* RAZ/WI without IDR0.MSI */
    memset(w.irqs, 0, sizeof(w.irqs));

    smmuv3_result r;
    assert_int_equal(xlate(d, 1u << d->sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    uint64_t ev[4];
    evtq_pop(d, ev);

    cmd s = { { 0x46 | 1ull << 12, 0 } };            /* CS = SIG_IRQ */
    cmdq_insert(d, &s);
    cmdq_publish(d);
    cmdq_wait(d);
    assert_int_equal(w.irqs[SMMUV3_IRQ_CMD_SYNC], 1);

    cmd bad = { { 0x7F, 0 } };
    cmdq_insert(d, &bad);
    cmdq_publish(d);
    assert_int_equal(w.irqs[SMMUV3_IRQ_GERROR], 1);
    uint32_t g = rd32(d, GERROR);
    assert_int_equal(g & 1u, (rd32(d, GERRORN) & 1u) ^ 1u);
    wr32(d, GERRORN, g);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    assert_int_equal(w.irqs[SMMUV3_IRQ_PRIQ], 0);

    /* interrupts masked in IRQ_CTRL: no edge, the record still lands */
    write_reg_sync(d, IRQ_CTRL, IRQ_CTRLACK, 0);
    assert_int_equal(xlate(d, 1u << d->sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x02 | (uint64_t)(1u << d->sid_bits) << 32);
}

static void test_lo_hi_writeq_and_queue_wrap(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);
    wr32(d, STRTAB_BASE, (uint32_t)(STRTAB_ADDR | 0));
    wr32(d, STRTAB_BASE + 4, (uint32_t)((STRTAB_ADDR | STRTAB_BASE_RA) >> 32));
    assert_int_equal(rd64(d, STRTAB_BASE), STRTAB_ADDR | STRTAB_BASE_RA);
    assert_int_equal(rd32(d, STRTAB_BASE + 4), (uint32_t)(STRTAB_BASE_RA >> 32));
    wr32(d, CMDQ_BASE, (uint32_t)(CMDQ_ADDR | CMDQ_LOG2));
    wr32(d, CMDQ_BASE + 4, (uint32_t)(Q_BASE_RWA >> 32));
    assert_int_equal(rd64(d, CMDQ_BASE), Q_BASE_RWA | CMDQ_ADDR | CMDQ_LOG2);
    linux_reset(d, false);

    /* batches of 63 commands + CMD_SYNC, across several wraps of 256 slots */
    for (unsigned batch = 0; batch < 20; batch++) {
        for (unsigned i = 0; i < 63; i++) {
            cmd c = c_cfgi_ste(batch * 63 + i);
            cmdq_insert(d, &c);
        }
        cmdq_sync(d);
    }
    /* 20 * 64 = 1280 commands after the 6 of the reset: index 14 of the 6th lap */
    assert_int_equal(d->cmdq_prod, (1286u & 255) | ((1286u >> 8) & 1) << 8);
    assert_int_equal(rd32(d, CMDQ_CONS) & 0x1FF, d->cmdq_prod);
}

/* external aborts on the SMMU's own accesses, as arm_smmu_evtq_thread and
 * arm_smmu_gerror_handler see them: F_STE_FETCH, F_CD_FETCH, F_WALK_EABT
 * with FetchAddr; CERROR_ABT; MSI_EVENTQ_ABT_ERR; EVENTQ_ABT_ERR */
static void test_external_aborts(void **state)
{
    drv *d = *state;
    lx_reopen(d, NULL);
    linux_reset(d, false);
    smmuv3_result r;
    uint64_t ev[4];

    /* STE fetch */
    uint64_t ste = ste_addr(d, 20);
    assert_int_equal(smmuv3_mem_add_abort(d->mem, ste, 64), 0);
    assert_int_equal(xlate(d, 20, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x03 | 20ull << 32);
    assert_int_equal(ev[3], ste);

    /* CD fetch */
    s1dom dom;
    attach_s1(d, 21, &dom, 0x21);
    pt_map(d, dom.pgd, 0x1000, 0x2000, P_READ | P_CACHE, false, 3);
    uint64_t aborting_cd = 0x7FFF0000ull;
    assert_int_equal(smmuv3_mem_add_abort(d->mem, aborting_cd, 64), 0);
    uint64_t t[8];
    make_cdtable_ste(d, t, aborting_cd, 0, 0, 2);
    write_ste(d, 22, t, NULL, NULL);
    assert_int_equal(xlate(d, 22, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x09 | 22ull << 32);
    assert_int_equal(ev[3], aborting_cd);

    /* a stage 1 walk: the level 3 table page aborts */
    uint64_t leaf_slot = pt_leaf_slot(d, dom.pgd, 0x5000);
    assert_int_equal(smmuv3_mem_add_abort(d->mem, leaf_slot & ~0xFFFull, 4096), 0);
    assert_int_equal(xlate(d, 21, 0x5008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(d, ev);
    assert_int_equal(ev[0], 0x0B | 21ull << 32);
    assert_int_equal(ev[1] & (1ull << 39 | 3ull << 40 | 1ull << 35), 1ull << 40 | 1ull << 35); /* S2 0, CLASS TT, read */
    assert_int_equal(ev[2], 0x5008);
    assert_int_equal(ev[3], leaf_slot);
    expect_no_event(d);

    /* a command fetch abort: CMDQ_CONS.ERR = CERROR_ABT */
    uint32_t idx = d->cmdq_prod & ((1u << CMDQ_LOG2) - 1);
    uint64_t slot = CMDQ_ADDR + idx * 16ull;
    assert_int_equal(smmuv3_mem_add_abort(d->mem, slot, 16), 0);
    d->cmdq_prod = (d->cmdq_prod + 1) & ((2u << CMDQ_LOG2) - 1);
    cmdq_publish(d);
    assert_int_equal(rd32(d, CMDQ_CONS) & 0x7F000000u, 2u << 24);
    uint32_t g = rd32(d, GERROR);
    assert_int_equal((g ^ rd32(d, GERRORN)) & 0x1FD, 1);

    /* the event MSI doorbell aborts: MSI_EVENTQ_ABT_ERR; the record is written */
    lx_reopen(d, NULL);
    assert_int_equal(smmuv3_mem_add_abort(d->mem, MSI_EVTQ, 4), 0);
    linux_reset(d, false);
    assert_int_equal(xlate(d, 1u << d->sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    g = rd32(d, GERROR) ^ rd32(d, GERRORN);
    assert_int_equal(g & 0x1FD, 1u << 5);
    evtq_pop(d, ev);
    assert_int_equal(ev[0] & 0xFF, 0x02);

    /* the event queue itself aborts: EVENTQ_ABT_ERR */
    lx_reopen(d, NULL);
    assert_int_equal(smmuv3_mem_add_abort(d->mem, EVTQ_ADDR, 32u << EVTQ_LOG2), 0);
    linux_reset(d, false);
    assert_int_equal(xlate(d, 1u << d->sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    g = rd32(d, GERROR) ^ rd32(d, GERRORN);
    assert_int_equal(g & 0x1FD, 1u << 2);
    assert_int_equal(rd32(d, EVENTQ_PROD), 0);
}

/* arm_smmu_evtq_thread over many laps of the event queue: batches of
 * faults, each drained in order, the wrap bit toggling every 128 records */
static void test_evtq_many_laps(void **state)
{
    drv *d = *state;
    s1dom dom;
    attach_s1(d, 1, &dom, 0x11);
    uint64_t n = 0;
    for (unsigned batch = 0; batch < 7; batch++) {
        unsigned count = 50 + batch * 7;  /* never more than the queue holds */
        for (unsigned i = 0; i < count; i++) {
            smmuv3_result r;
            assert_int_equal(xlate(d, 1, (n + i) << 12, 0, &r), SMMUV3_XLATE_ABORT);
        }
        assert_int_equal(evtq_pending(d), count);
        for (unsigned i = 0; i < count; i++) {
            uint64_t ev[4];
            evtq_pop(d, ev);
            assert_int_equal(ev[0], 0x10 | 1ull << 32);
            assert_int_equal(ev[2], (n + i) << 12);
        }
        n += count;
        assert_int_equal(rd32(d, EVENTQ_PROD), (uint32_t)(n & 0xFF));
        assert_int_equal(rd32(d, EVENTQ_CONS), (uint32_t)(n & 0xFF));
    }
    assert_true(n > 3 * 128);
}

TEST_MAIN_FX(lx_setup_linear, lx_teardown, test_evtq_translation_fault, test_evtq_overflow,
             test_cmd_sync_msi_own_slot, test_cmdq_error_skip, test_gbpa_abort_when_disabled,
             test_stall_and_resume, test_cmd_sync_sev, test_wired_irqs, test_lo_hi_writeq_and_queue_wrap,
             test_external_aborts, test_evtq_many_laps)
