/* Unit tests: stalls (src/stall.c, translate.c; IHI 0070 3.12.2, 4.7.1, 4.7.2): stall records with
 * STAG, RESUME retry/abort/RAZ-WI, STALL_TERM, STALL_MAX, SMMUEN=0, unwritable stall records. */
#include "test_cfg_util.h"
#include "fixture.h"
#include "test_main.h"

#define IOVA 0x6789000ull
#define HOLE 0x6800000ull     /* unmapped */

typedef struct senv {
    tenv e;
    uint64_t root;
} senv;

/* The default profile with cfg_tweak applied (NULL: none).
 * SID 1, 2: stage 1, CD.S=1 (R=0: stalls are recorded anyway). SID 3: stage 2 with S2S=1. */
static void s_up(senv *x, void (*cfg_tweak)(smmuv3_config *c))
{
    smmuv3_config c;
    fixture_config(&c, cfg_tweak);
    t_up_cfg(&x->e, &c, t_strtab_cfg(8, false, 0));
    x->root = t_pt_new(&x->e);
    t_map(&x->e, x->root, IOVA, 0x3000000, false, true);
    uint64_t cd[8], ste[8];
    t_cd(cd, x->root, 1);
    fset(cd, F_CD_s, 1);
    fset(cd, F_CD_r, 0);
    t_write_words(&x->e, T_CD, cd, 8);
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(&x->e, 1, ste);
    t_ste_at(&x->e, 2, ste);
    uint64_t s2root = t_pt_new(&x->e);
    t_map(&x->e, s2root, IOVA, 0x3100000, true, true);
    t_ste_s2(ste, s2root, 2);
    fset(ste, F_STE_s2s, 1);
    fset(ste, F_STE_s2r, 0);
    t_ste_at(&x->e, 3, ste);
}

/* Down, and up again with another profile. */
static void s_again(senv *x, void (*cfg_tweak)(smmuv3_config *c))
{
    t_down(&x->e);
    s_up(x, cfg_tweak);
}

/* The fixture: *state is an senv, up with the default profile. */
static void s_up_plain(void *x) { s_up(x, NULL); }
static void s_down(void *x) { t_down(&((senv *)x)->e); }
static int s_setup(void **state) { return fixture_up(state, sizeof(senv), s_up_plain); }
static int s_teardown(void **state) { return fixture_release(state, s_down); }

/* CMD_RESUME (4.7.1) and CMD_STALL_TERM (4.7.2) keep the StreamID in the same
 * place; RESUME adds Action and STAG (0 for STALL_TERM). */
_Static_assert(F_CMD_RESUME_sid == F_CMD_STALL_TERM_sid, "STALL_TERM's SID is where RESUME has it");

static void stall_cmd(tenv *e, unsigned op, uint32_t sid, uint16_t stag, unsigned action)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_RESUME_opcode, op);
    fset(c, F_CMD_RESUME_sid, sid);
    fset(c, F_CMD_RESUME_action, action);
    fset(c, F_CMD_RESUME_stag, stag);
    t_cmd(e, c);
}

static void resume(tenv *e, uint32_t sid, uint16_t stag, unsigned action)
{
    stall_cmd(e, SMMUV3_CMD_RESUME, sid, stag, action);
}

static void stall_term(tenv *e, uint32_t sid) { stall_cmd(e, SMMUV3_CMD_STALL_TERM, sid, 0, 0); }

/* Stall a transaction; check the record; return the STAG. */
static uint16_t stall(senv *x, uint32_t sid, uint64_t addr, uint32_t flags, bool s2)
{
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, sid, false, 0, addr, flags, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(r.outcome, SMMUV3_XLATE_STALL);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSLATION);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, sid, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_stall), 1);
    assert_int_equal(fget(w, F_EVENT_stag), r.stag);
    assert_int_equal(fget(w, F_EVENT_s2), s2);
    assert_int_equal(fget(w, F_EVENT_inputaddr), addr);
    assert_int_equal(smmuv3_stall_poll(x->e.s, sid, r.stag), SMMUV3_STALL_PENDING);
    return r.stag;
}

static void test_resume_retry(void **state)
{
    senv *x = *state;
    uint16_t tag = stall(x, 1, HOLE + 0x10, SMMUV3_TXN_WRITE, false);
    resume(&x->e, 2, tag, 1);                                   /* wrong StreamID: no-op */
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, tag), SMMUV3_STALL_PENDING);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 2, tag), SMMUV3_ENOENT);
    resume(&x->e, 1, (uint16_t)(tag + 1), 1);                   /* wrong STAG: no-op */
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, tag), SMMUV3_STALL_PENDING);
    /* software fixes the mapping, then retries */
    t_map(&x->e, x->root, HOLE, 0x3800000, false, true);
    resume(&x->e, 1, tag, 1);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, tag), SMMUV3_STALL_RETRY);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, tag), SMMUV3_ENOENT);   /* released */
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, HOLE + 0x10, SMMUV3_TXN_WRITE, &r), 0);
    assert_int_equal(r.pa, 0x3800010);
    t_no_event(&x->e);
}

static void term_model(smmuv3_config *c) { c->term_model = true; }

static void test_resume_terminate(void **state)
{
    senv *x = *state;
    uint16_t a = stall(x, 1, HOLE, 0, false);
    uint16_t b = stall(x, 1, HOLE + 0x1000, 0, false);
    assert_int_not_equal(a, b);
    resume(&x->e, 1, a, 2);                                     /* terminate, Abort */
    resume(&x->e, 1, b, 0);                                     /* terminate, RAZ/WI */
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, b), SMMUV3_STALL_RAZWI);
    /* a second RESUME for a released STAG does nothing */
    resume(&x->e, 1, a, 1);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_ENOENT);
    t_no_event(&x->e);

    s_again(x, term_model);
    a = stall(x, 1, HOLE, 0, false);
    resume(&x->e, 1, a, 0);                                     /* TERM_MODEL: Ab ignored */
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);
}

static void test_stall_term(void **state)
{
    senv *x = *state;
    uint16_t a = stall(x, 1, HOLE, 0, false);
    uint16_t b = stall(x, 1, HOLE + 0x2000, 0, false);
    uint16_t c = stall(x, 2, HOLE, 0, false);
    stall_term(&x->e, 1);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, b), SMMUV3_STALL_ABORT);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 2, c), SMMUV3_STALL_PENDING);
    resume(&x->e, 2, c, 2);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 2, c), SMMUV3_STALL_ABORT);
}

static void test_stage2_stall(void **state)
{
    senv *x = *state;
    uint16_t a = stall(x, 3, HOLE, SMMUV3_TXN_WRITE, true);
    resume(&x->e, 3, a, 0);
    /* RESUME may terminate a stage 2 stall with RAZ/WI (4.7.1) */
    assert_int_equal(smmuv3_stall_poll(x->e.s, 3, a), SMMUV3_STALL_RAZWI);
}

static void stall_max_2(smmuv3_config *c) { c->stall_max = 2; }

static void test_stall_max(void **state)
{
    senv *x = *state;
    s_again(x, stall_max_2);
    uint16_t a = stall(x, 1, HOLE, 0, false);
    stall(x, 1, HOLE + 0x1000, 0, false);
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, HOLE + 0x2000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_stall), 0);
    /* a released STAG is reused */
    resume(&x->e, 1, a, 2);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);
    assert_int_equal(stall(x, 1, HOLE + 0x3000, 0, false), a);
}

static void test_smmuen_off(void **state)
{
    senv *x = *state;
    uint16_t a = stall(x, 1, HOLE, 0, false);
    t_mmio32(&x->e, REG_CR0, 0);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);
    assert_int_equal(smmuv3_stall_poll(NULL, 1, a), SMMUV3_EINVAL);
    /* the register-file hook: stalls held when SMMUEN clears end with abort */
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1));
    uint16_t b = stall(x, 1, HOLE, 0, false);
    smmu_stalls_disable(x->e.s);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, b), SMMUV3_STALL_ABORT);
    /* SMMUEN 1 -> 0 -> 1 through CR0 before the device polls: still aborted (6.3.9.6) */
    uint32_t on = (uint32_t)rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1);
    uint16_t c = stall(x, 1, HOLE, 0, false);
    t_mmio32(&x->e, REG_CR0, on & ~(uint32_t)rset(0, F_CR0_smmuen, 1));
    t_mmio32(&x->e, REG_CR0, on);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, c), SMMUV3_STALL_ABORT);
}

/* 6.3.9.6: SMMUEN 1 -> 0 marks every stalled transaction of that interface for
 * termination with abort, including one that a CMD_RESUME(Retry) marked for
 * retry but that has not retried yet (3.12.2.2: "unless it is terminated by
 * ... an SMMUEN transition before the retry") and one whose stall record
 * could not be written (7.2.1). Left as RETRY, the device would re-issue it
 * into global bypass (GBPA.ABORT == 0 here) with its IOVA as the PA. */
static void test_smmuen_off_ends_retries(void **state)
{
    senv *x = *state;
    uint32_t on = (uint32_t)rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1);
    uint16_t a = stall(x, 1, HOLE, 0, false);
    resume(&x->e, 1, a, 1);                                     /* Retry, not yet retried */
    t_mmio32(&x->e, REG_CR0, on & ~(uint32_t)rset(0, F_CR0_smmuen, 1));
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, a), SMMUV3_STALL_ABORT);

    /* a stall whose record could not be written (EVENTQEN == 0) */
    t_mmio32(&x->e, REG_CR0, on & ~(uint32_t)rset(0, F_CR0_eventqen, 1));
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(r.event, 0);
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(0, F_CR0_cmdqen, 1));
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, r.stag), SMMUV3_STALL_ABORT);
}

/* The stall record cannot be written (event queue disabled): the transaction is retried. */
static void test_unrecordable_stall(void **state)
{
    senv *x = *state;
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(rset(0, F_CR0_smmuen, 1), F_CR0_cmdqen, 1));
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(r.event, 0);
    assert_int_equal(smmuv3_stall_poll(x->e.s, 1, r.stag), SMMUV3_STALL_RETRY);
}

TEST_MAIN_FX(s_setup, s_teardown, test_resume_retry, test_resume_terminate, test_stall_term,
             test_stage2_stall, test_stall_max, test_smmuen_off, test_smmuen_off_ends_retries,
             test_unrecordable_stall)
