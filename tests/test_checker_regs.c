/* SPDX-License-Identifier: MIT */
/*
 * Driver checker on the register interface: QUEUE, MISALIGNED (stream table
 * and queue bases), UNPREDICTABLE (ignored writes, Reserved values, GERRORN
 * toggles, overlapping queue and table memory) and ERROR_IGNORED (global
 * errors and overflows left unacknowledged), each with a silent twin.
 */
#include "test_checker_util.h"
#include "test_main.h"
#include "model/smmu.h"     /* REG_* offsets and field helpers */

static void w32(cenv *e, uint64_t off, uint32_t v) { smmuv3_mmio_write(e->s, off, v, 4); }
static uint32_t r32(cenv *e, uint64_t off) { return (uint32_t)smmuv3_mmio_read(e->s, off, 4); }

/* Bring-up by the driver helper whose outcome is not asserted (the driver
 * may be broken on purpose). */
static void up_loose(cenv *e, const smmuv3_config *c, const smmuv3_driver_cfg *dcfg, uint64_t strtab_at)
{
    ck_new(e, c);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->pa, 8, strtab_at), 0);
    smmuv3_driver_init(&e->drv, e->s, &e->pa, &e->st, dcfg);
}

/* A 16 KB table on a 4 KB boundary; the twin aligned. */
static void strtab_misaligned_case(cenv *e, int twin)
{
    up_loose(e, NULL, NULL, twin ? 0x50004000ull : 0x50001000ull);
    if (twin) {
        ck_assert_silent(e);
        return;
    }
    assert_int_equal(ck_count(e, SMMUV3_DIAG_MISALIGNED), 1);
    const ck_report *r = ck_first(e, SMMUV3_DIAG_MISALIGNED);
    assert_int_equal(r->addr, 0x50001000ull);
    assert_non_null(strstr(r->msg, "STRTAB_BASE"));
    assert_non_null(strstr(r->msg, "6.3.24"));
}
CK_TEST(strtab_misaligned, NULL, 2)

/* A 4 KB command queue on a 2 KB boundary; the twin aligned. */
static void queue_base_misaligned_case(cenv *e, int twin)
{
    smmuv3_driver_cfg d;
    smmuv3_driver_cfg_default(&d);
    d.cmdq_log2 = 8;                              /* 4 KB */
    d.cmdq_base = twin ? 0x50001000ull : 0x50000800ull;
    up_loose(e, NULL, &d, SMMUV3_BUILD_ALLOC);
    if (twin) {
        ck_assert_silent(e);
        return;
    }
    assert_true(ck_count(e, SMMUV3_DIAG_MISALIGNED) >= 1);
    assert_int_equal(ck_first(e, SMMUV3_DIAG_MISALIGNED)->addr, 0x50000800ull);
}
CK_TEST(queue_base_misaligned, NULL, 2)

/* LOG2SIZE above IDR1.CMDQS: the SMMU wraps at its maximum. */
static void up_cmdqs4(cenv *e)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.cmdqs = 4;
    ck_up_cfg(e, &c, false, NULL);
}

static void queue_log2size_too_big_case(cenv *e, int variant)
{
    (void)variant;
    w32(e, REG_CR0, 0);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, 0x50000000ull | 4, 8);
    w32(e, REG_CR0, (uint32_t)smmu_fmask(F_CR0_cmdqen));
    ck_assert_silent(e);                          /* LOG2SIZE == CMDQS: fine */
    w32(e, REG_CR0, 0);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, 0x50000000ull | 6, 8);
    w32(e, REG_CR0, (uint32_t)smmu_fmask(F_CR0_cmdqen));
    ck_expect_one(e, SMMUV3_DIAG_QUEUE, CK_ANY, CK_ANY, NULL);
}
CK_TEST(queue_log2size_too_big, up_cmdqs4, 1)

/* A warm re-initialisation writing bases and CONS while enabled. */
static void writes_ignored_while_enabled_case(cenv *e, int variant)
{
    (void)variant;
    uint64_t cmdq = smmuv3_mmio_read(e->s, REG_CMDQ_BASE, 8), evtq = smmuv3_mmio_read(e->s, REG_EVENTQ_BASE, 8);
    uint64_t strtab = smmuv3_mmio_read(e->s, REG_STRTAB_BASE, 8);
    /* the same values again: nothing meant, nothing reported */
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, cmdq, 8);
    smmuv3_mmio_write(e->s, REG_STRTAB_BASE, strtab, 8);
    w32(e, REG_CMDQ_CONS, r32(e, REG_CMDQ_CONS));
    ck_assert_silent(e);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, cmdq + 0x10000, 8);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_QUEUE), 1);
    w32(e, REG_EVENTQ_BASE + 4, (uint32_t)(evtq >> 32) + 1);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_QUEUE), 2);
    w32(e, REG_CMDQ_CONS, r32(e, REG_CMDQ_CONS) ^ 0x10);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_QUEUE), 3);
    smmuv3_mmio_write(e->s, REG_STRTAB_BASE, strtab + 0x100000, 8);
    assert_int_equal(ck_count(e, SMMUV3_DIAG_UNPREDICTABLE), 1);
    assert_int_equal(e->n, 4);
    /* twin: disabled first, as a driver must */
    w32(e, REG_CR0, 0);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, cmdq + 0x20000, 8);
    smmuv3_mmio_write(e->s, REG_STRTAB_BASE, strtab, 8);
    w32(e, REG_CMDQ_CONS, 0);
    assert_int_equal(e->n, 4);
}
CK_TEST(writes_ignored_while_enabled, ck_up, 1)

/* CMDQ_PROD above the wrap bit (variant 0), or a full queue and one more (1). */
static void cmdq_prod_beyond_queue_case(cenv *e, int variant)
{
    unsigned log2 = e->drv.cmdq_log2;
    if (variant == 0) {
        assert_int_equal(smmuv3_driver_sync(&e->drv), 0);   /* an ordinary submission: silent */
        ck_assert_silent(e);
        w32(e, REG_CMDQ_PROD, 4u << log2);
        ck_expect_one(e, SMMUV3_DIAG_QUEUE, CK_ANY, CK_ANY, "wrap");
    } else {
        uint32_t cons = r32(e, REG_CMDQ_CONS) & ((2u << log2) - 1);
        w32(e, REG_CMDQ_PROD, ((cons + 1) & ((2u << log2) - 1)) ^ (1u << log2));
        ck_expect_one(e, SMMUV3_DIAG_QUEUE, CK_ANY, CK_ANY, "ahead");
    }
}
CK_TEST(cmdq_prod_beyond_queue, ck_up, 2)

/* An illegal command: while CMDQ_ERR is active, more commands may be
 * submitted and CMDQ_PROD moved back as far as CMDQ_CONS (IHI 0070 7.1):
 * silent. The twin recovers first. PROD moved back beyond CONS stays a
 * QUEUE report (3.21.2). */
static void submit_during_cmdq_error_case(cenv *e, int twin)
{
    smmuv3_driver_submit_raw(&e->drv, 0x7f, 0);   /* reserved opcode: CERROR_ILL */
    if (twin) {
        assert_int_equal(smmuv3_driver_cmdq_recover(&e->drv), 0);
        assert_int_equal(smmuv3_driver_sync(&e->drv), 0);
        ck_assert_silent(e);
        return;
    }
    assert_int_equal(smmuv3_driver_cmdq_err(&e->drv), SMMUV3_CERROR_ILL);
    ck_assert_silent(e);
    smmuv3_driver_sync(&e->drv);                  /* submitted while the error is active */
    smmuv3_driver_sync(&e->drv);
    ck_assert_silent(e);
    uint32_t cons = r32(e, REG_CMDQ_CONS) & 0xfffff;
    w32(e, REG_CMDQ_PROD, cons);                  /* back as far as CONS: permitted */
    ck_assert_silent(e);
    w32(e, REG_CMDQ_PROD, (cons - 1) & 0xfffff);  /* back beyond CONS: not */
    ck_expect_one(e, SMMUV3_DIAG_QUEUE, CK_ANY, CK_ANY, NULL);
}
CK_TEST(submit_during_cmdq_error, ck_up, 2)

/* Faults on a StreamID with an invalid STE fill the event queue. */
static void faults(cenv *e, int n)
{
    for (int i = 0; i < n; i++)
        ck_xlate(e, 200, 0x1000, 0, NULL);
}

static void eventq_cons_backwards_case(cenv *e, int variant)
{
    (void)variant;
    faults(e, 3);
    uint8_t rec[SMMUV3_EVENT_BYTES];
    for (int i = 0; i < 3; i++)
        assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
    ck_assert_silent(e);
    w32(e, REG_EVENTQ_CONS, 1);                   /* back over records already read */
    ck_expect_one(e, SMMUV3_DIAG_QUEUE, CK_ANY, CK_ANY, NULL);
}
CK_TEST(eventq_cons_backwards, ck_up, 1)

/* The event queue write aborts (EVENTQ_ABT_ERR); the driver goes on
 * submitting commands. The twin acknowledges first. */
static void abort_error_ignored_case(cenv *e, int twin)
{
    assert_int_equal(smmuv3_mem_add_abort(e->mem, e->drv.eventq_base, 32ull << e->drv.eventq_log2), 0);
    faults(e, 1);
    assert_true(smmuv3_driver_gerror(&e->drv) & smmu_fmask(F_GERROR_eventq_abt_err));
    if (twin)
        assert_int_equal(smmuv3_driver_gerror_ack(&e->drv), 0);
    smmuv3_driver_sync(&e->drv);
    smmuv3_driver_sync(&e->drv);
    ck_expect_twin(e, twin, SMMUV3_DIAG_ERROR_IGNORED, CK_ANY, CK_ANY, NULL);   /* once per activation */
}
CK_TEST(abort_error_ignored, ck_up, 2)

/* An overflow: the driver empties the queue without acknowledging it, then
 * goes on consuming new records without acknowledging it either (IHI 0070
 * 6.3.31, 7.4). The twin drains and acknowledges through the driver helper. */
static void up_evtq2(cenv *e)
{
    smmuv3_driver_cfg d;
    smmuv3_driver_cfg_default(&d);
    d.eventq_log2 = 1;
    ck_up_cfg(e, NULL, false, &d);
}

static void overflow_ignored_case(cenv *e, int twin)
{
    faults(e, 4);
    uint32_t prod = r32(e, REG_EVENTQ_PROD);
    assert_true(prod & (uint32_t)smmu_fmask(F_Q_PROD_ovflg));
    if (twin) {
        uint8_t rec[SMMUV3_EVENT_BYTES];
        while (smmuv3_driver_event_pop(&e->drv, rec) == 1)
            ;
    } else {
        w32(e, REG_EVENTQ_CONS, prod & 3u);      /* emptied, OVACKFLG left as it was */
        assert_int_equal(ck_count(e, SMMUV3_DIAG_ERROR_IGNORED), 0);   /* not yet: it may ack now */
        faults(e, 1);
        prod = r32(e, REG_EVENTQ_PROD);
        w32(e, REG_EVENTQ_CONS, prod & 3u);      /* consumed again, still not acknowledged */
    }
    ck_expect_twin(e, twin, SMMUV3_DIAG_ERROR_IGNORED, CK_ANY, CK_ANY, "overflow");
}
CK_TEST(overflow_ignored, up_evtq2, 2)

/* Linux's order (arm_smmu_evtq_thread): consume every record with the old
 * OVACKFLG, then write CONS once more with OVACKFLG = OVFLG. Not a
 * diagnostic (6.3.31: acknowledge after the overflow is handled). */
static void overflow_drain_then_ack_case(cenv *e, int twin)
{
    (void)twin;
    faults(e, 4);
    uint32_t prod = r32(e, REG_EVENTQ_PROD);
    uint32_t ovf = prod & (uint32_t)smmu_fmask(F_Q_PROD_ovflg);
    assert_true(ovf);
    w32(e, REG_EVENTQ_CONS, ((prod & 3u) + 3u) & 3u);   /* one record, old flag */
    w32(e, REG_EVENTQ_CONS, prod & 3u);          /* the last one: emptied, old flag */
    uint32_t ack = (uint32_t)smmu_fmask(F_Q_CONS_ovackflg);
    w32(e, REG_EVENTQ_CONS, (prod & 3u) | ack);  /* acknowledged */
    ck_assert_silent(e);
}
CK_TEST(overflow_drain_then_ack, up_evtq2, 2)

/* The event queue placed over the stream table; the twin next to it. */
static void queue_over_strtab_case(cenv *e, int twin)
{
    smmuv3_driver_cfg d;
    smmuv3_driver_cfg_default(&d);
    d.eventq_base = twin ? 0x50010000ull : 0x50000000ull;
    up_loose(e, NULL, &d, 0x50000000ull);
    if (twin) {
        ck_assert_silent(e);
        return;
    }
    assert_int_equal(ck_count(e, SMMUV3_DIAG_UNPREDICTABLE), 1);
    assert_non_null(strstr(ck_first(e, SMMUV3_DIAG_UNPREDICTABLE)->msg, "overlaps"));
}
CK_TEST(queue_over_strtab, NULL, 2)

static void gerrorn_toggles_inactive_error_case(cenv *e, int variant)
{
    (void)variant;
    w32(e, REG_GERRORN, r32(e, REG_GERRORN));     /* no change */
    ck_assert_silent(e);
    w32(e, REG_GERRORN, r32(e, REG_GERRORN) ^ (uint32_t)smmu_fmask(F_GERROR_sfm_err));
    ck_expect_one(e, SMMUV3_DIAG_UNPREDICTABLE, CK_ANY, CK_ANY, NULL);
}
CK_TEST(gerrorn_toggles_inactive_error, ck_up, 1)

/* An SMMU with the checker on and nothing else: programmed by hand here. */
static void up_bare(cenv *e)
{
    ck_new(e, NULL);
}

static void strtab_split_reserved_case(cenv *e, int variant)
{
    (void)variant;
    smmuv3_mmio_write(e->s, REG_STRTAB_BASE, 0x50000000ull, 8);
    w32(e, REG_STRTAB_BASE_CFG, (uint32_t)rset(rset(rset(0, F_STRTAB_BASE_CFG_log2size, 12),
                                                   F_STRTAB_BASE_CFG_split, 7), F_STRTAB_BASE_CFG_fmt, 1));
    w32(e, REG_CR0, (uint32_t)smmu_fmask(F_CR0_smmuen));
    ck_expect_one(e, SMMUV3_DIAG_UNPREDICTABLE, CK_ANY, CK_ANY, "SPLIT");
}
CK_TEST(strtab_split_reserved, up_bare, 1)

TEST_MAIN(strtab_misaligned, queue_base_misaligned, queue_log2size_too_big,
          writes_ignored_while_enabled, cmdq_prod_beyond_queue, submit_during_cmdq_error,
          eventq_cons_backwards, abort_error_ignored, overflow_ignored, overflow_drain_then_ack, queue_over_strtab,
          gerrorn_toggles_inactive_error, strtab_split_reserved)
