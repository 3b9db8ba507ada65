/* Unit tests: the vSMMU invalidation sink (src/model/vsmmu/sink.c, smmuv3_set_inval_sink) through the command queue. */
#include "test_cfg_util.h"
#include "fixture.h"
#include "test_main.h"

#define SID 5
#define IOVA 0x12345000ull
#define PA_OLD 0x7000000ull
#define PA_NEW 0x7800000ull
#define QMASK 127u               /* index (6 bits) and wrap of the 64-entry queue */

/* ------------------------------------------------------------ a recording sink */
typedef struct rec {
    tenv *e;
    unsigned n;                  /* calls */
    uint64_t cmd[256][2];
    uint32_t cons_seen[256];     /* CMDQ_CONS during the call */
    unsigned fail_at;            /* call number (1-based) that fails; 0 none */
    bool fail_all;
    /* re-entrancy actions */
    bool push_on_first;          /* first call: submit TLBI_NH_VAA from inside */
    bool remove_on_first;        /* first call: remove the sink */
    bool translate;              /* translate IOVA on TLBI_NH_ASID / _VAA and keep the PA */
    uint64_t pa_seen[2];         /* ... seen on TLBI_NH_VAA, TLBI_NH_ASID */
} rec;

static void put_slot(tenv *e, uint32_t idx, const uint64_t cmd[2])
{
    uint8_t b[16];
    le_store(b, cmd, 2);
    assert_int_equal(smmuv3_mem_write(e->mem, T_CMDQ + (uint64_t)(idx & 63) * 16, b, 16), 0);
}

/* Queue commands without the error checks of t_cmd; one CMDQ_PROD write. */
static void submit(tenv *e, const uint64_t (*cmds)[2], unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        put_slot(e, e->cmdprod, cmds[i]);
        e->cmdprod = (e->cmdprod + 1) & QMASK;
    }
    t_mmio32(e, REG_CMDQ_PROD, e->cmdprod);
}

static uint32_t cons(tenv *e) { return (uint32_t)smmuv3_mmio_read(e->s, REG_CMDQ_CONS, 4); }

static bool cmdq_err_active(tenv *e)
{
    uint32_t g = (uint32_t)smmuv3_mmio_read(e->s, REG_GERROR, 4) ^ (uint32_t)smmuv3_mmio_read(e->s, REG_GERRORN, 4);
    return rget(g, F_GERROR_cmdq_err) != 0;
}

static void ack(tenv *e) { t_mmio32(e, REG_GERRORN, (uint32_t)smmuv3_mmio_read(e->s, REG_GERROR, 4)); }

/* Linux's recovery: replace the failing command with a CMD_SYNC, acknowledge. */
static void recover(tenv *e)
{
    uint64_t sync[2] = { SMMUV3_CMD_SYNC, 0 };
    put_slot(e, cons(e), sync);
    ack(e);
}

static int sink(void *ctx, const uint64_t cmd[2])
{
    rec *r = ctx;
    unsigned i = r->n++;
    if (i < 256) {
        r->cmd[i][0] = cmd[0];
        r->cmd[i][1] = cmd[1];
        r->cons_seen[i] = cons(r->e);
    }
    unsigned op = (unsigned)(cmd[0] & 0xFF);
    if (i == 0 && r->push_on_first) {
        uint64_t vaa[1][2] = { { SMMUV3_CMD_TLBI_NH_VAA, 0x4000 } };
        submit(r->e, vaa, 1);
    }
    if (i == 0 && r->remove_on_first)
        smmuv3_set_inval_sink(r->e->s, NULL, NULL);
    if (r->translate && (op == SMMUV3_CMD_TLBI_NH_ASID || op == SMMUV3_CMD_TLBI_NH_VAA)) {
        smmuv3_result res;
        assert_int_equal(t_xlate(r->e, SID, false, 0, IOVA, 0, &res), 0);
        r->pa_seen[op == SMMUV3_CMD_TLBI_NH_ASID] = res.pa;
    }
    return r->fail_all || r->n == r->fail_at;
}

static void up(tenv *e, rec *r)
{
    t_up(e, 8);
    memset(r, 0, sizeof(*r));
    r->e = e;
    smmuv3_set_inval_sink(e->s, sink, r);
}

/* The fixture of the tests on one instance: an environment with the recording
 * sink set (up()). */
typedef struct sink_fx {
    tenv e;
    rec r;
} sink_fx;

static void sink_up(void *obj) { up(&((sink_fx *)obj)->e, &((sink_fx *)obj)->r); }
static void sink_down(void *obj) { t_down(&((sink_fx *)obj)->e); }
static int sink_setup(void **state) { return fixture_up(state, sizeof(sink_fx), sink_up); }
static int sink_teardown(void **state) { return fixture_release(state, sink_down); }

/* Recover as Linux does until the queue has no command error active, each
 * stop a CERROR_ILL; at most max rounds. Returns the number of rounds. */
static unsigned drain(tenv *e, unsigned max)
{
    unsigned rounds = 0;
    while (cmdq_err_active(e)) {
        assert_int_equal(rget(cons(e), F_Q_CONS_err), SMMUV3_CERROR_ILL);
        recover(e);
        assert_true(++rounds <= max);
    }
    return rounds;
}

/* ------------------------------------------------------------ which commands */
typedef struct cmd_case {
    uint64_t w[2];
    bool fwd;
} cmd_case;

/* Every command that is legal under the default profile, with distinctive
 * parameters; `fwd` marks the ones API.md sends to the sink. */
static const cmd_case legal[] = {
    { { SMMUV3_CMD_PREFETCH_CONFIG | 5ull << 32, 0 }, false },
    { { SMMUV3_CMD_PREFETCH_ADDR | 5ull << 32, 0x10000 }, false },
    { { SMMUV3_CMD_CFGI_STE | 5ull << 32, 1 }, false },
    { { SMMUV3_CMD_CFGI_STE_RANGE, 31 }, false },
    { { SMMUV3_CMD_CFGI_CD | 0x12ull << 12 | 5ull << 32, 1 }, true },
    { { SMMUV3_CMD_CFGI_CD_ALL | 6ull << 32, 0 }, true },
    { { SMMUV3_CMD_TLBI_NH_ALL | 3ull << 32, 0 }, true },
    { { SMMUV3_CMD_TLBI_NH_ASID | 3ull << 32 | 0x1E20ull << 48, 0 }, true },
    { { SMMUV3_CMD_TLBI_NH_VA | 3ull << 32 | 0x1E20ull << 48, 0x8080604000ull | 1 }, true },
    { { SMMUV3_CMD_TLBI_NH_VA | 1ull << 12 | 3ull << 32 | 7ull << 48, 0x40000ull | 1ull << 10 | 3ull << 8 }, true },
    { { SMMUV3_CMD_TLBI_NH_VAA | 3ull << 32, 0x8080605000ull }, true },
    { { SMMUV3_CMD_TLBI_EL2_ALL, 0 }, false },
    { { SMMUV3_CMD_TLBI_EL2_ASID | 9ull << 48, 0 }, false },
    { { SMMUV3_CMD_TLBI_EL2_VA | 9ull << 48, 0x1000 }, false },
    { { SMMUV3_CMD_TLBI_EL2_VAA, 0x2000 }, false },
    { { SMMUV3_CMD_TLBI_S12_VMALL | 3ull << 32, 0 }, false },
    { { SMMUV3_CMD_TLBI_S2_IPA | 3ull << 32, 0x3000 }, false },
    { { SMMUV3_CMD_TLBI_NSNH_ALL, 0 }, true },
    { { SMMUV3_CMD_ATC_INV | 1ull << 9 | 1ull << 11 | 0x42ull << 12 | 5ull << 32, 0x8000ull | 3 }, true },
    { { SMMUV3_CMD_PRI_RESP | 5ull << 32, 2ull << 12 | 0x11 }, false },
    { { SMMUV3_CMD_RESUME | 5ull << 32, 7 }, false },
    { { SMMUV3_CMD_STALL_TERM | 5ull << 32, 0 }, false },
    { { SMMUV3_CMD_SYNC, 0 }, false },
};
#define NLEGAL (sizeof(legal) / sizeof(legal[0]))

/* The sink sees exactly the listed commands, raw, in queue order, each once. */
static void test_forwarded_exactly(void **state)
{
    sink_fx *sf = *state;
    tenv *e = &sf->e;
    rec *r = &sf->r;
    uint64_t cmds[NLEGAL][2];
    for (unsigned i = 0; i < NLEGAL; i++)
        memcpy(cmds[i], legal[i].w, 16);
    submit(e, (const uint64_t (*)[2])cmds, NLEGAL);
    assert_int_equal(cons(e), e->cmdprod);
    assert_false(cmdq_err_active(e));
    unsigned k = 0;
    for (unsigned i = 0; i < NLEGAL; i++) {
        if (!legal[i].fwd)
            continue;
        assert_true(k < r->n);
        assert_int_equal(r->cmd[k][0], legal[i].w[0]);
        assert_int_equal(r->cmd[k][1], legal[i].w[1]);
        assert_int_equal(r->cons_seen[k] & QMASK, i);   /* CMDQ_CONS still on the command */
        k++;
    }
    assert_int_equal(r->n, k);
    assert_int_equal(k, 9);
}

/* Illegal commands stop the queue before the sink: never forwarded. */
static void test_illegal_not_forwarded(void **state)
{
    (void)state;
    static const uint64_t bad[][2] = {
        { SMMUV3_CMD_ATC_INV | 5ull << 32, 53 },                /* Size above 52 */
        { SMMUV3_CMD_CFGI_CD | 1ull << 10 | 5ull << 32, 0 },    /* SSec = 1 */
        { SMMUV3_CMD_CFGI_CD_ALL | 1ull << 10, 0 },
        { SMMUV3_CMD_TLBI_NH_VA | 3ull << 32, 1ull << 10 },     /* TG with NUM = SCALE = TTL = 0 */
        { SMMUV3_CMD_TLBI_NH_VAA, 1ull << 10 },
        { 0x31, 0 },                                            /* Reserved opcode */
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tenv e;
        rec r;
        up(&e, &r);
        submit(&e, &bad[i], 1);
        assert_true(cmdq_err_active(&e));
        assert_int_equal(rget(cons(&e), F_Q_CONS_err), SMMUV3_CERROR_ILL);
        assert_int_equal(r.n, 0);
        t_down(&e);
    }
}

/* Without IDR0.ATS, CMD_ATC_INV is CERROR_ILL (4.5.1) and never forwarded;
 * with it (the default profile) it is, after the model called host.atc_inv. */
static int atc_calls;
static void count_atc(void *ctx, const smmuv3_atc_inv *inv) { (void)ctx; (void)inv; atc_calls++; }

static void test_atc_inv_needs_ats(void **state)
{
    (void)state;
    tenv e;
    rec r;
    t_up_profile(&e, P_NO_ATS);
    memset(&r, 0, sizeof(r));
    r.e = &e;
    smmuv3_set_inval_sink(e.s, sink, &r);
    static const uint64_t atc[1][2] = { { SMMUV3_CMD_ATC_INV | 5ull << 32, 0 } };
    submit(&e, atc, 1);
    assert_true(cmdq_err_active(&e));
    assert_int_equal(rget(cons(&e), F_Q_CONS_err), SMMUV3_CERROR_ILL);
    assert_int_equal(r.n, 0);
    t_down(&e);

    /* with ATS: host.atc_inv first (the model applies it), then the sink */
    t_up(&e, 8);
    smmuv3_free(e.s);
    e.host.atc_inv = count_atc;
    e.s = tst_smmu_new(NULL, &e.host);
    smmuv3_mmio_write(e.s, REG_CMDQ_BASE, T_CMDQ | 6, 8);
    smmuv3_mmio_write(e.s, REG_STRTAB_BASE, T_STRTAB, 8);
    t_mmio32(&e, REG_STRTAB_BASE_CFG, t_strtab_cfg(8, false, 0));
    t_mmio32(&e, REG_CR0, (uint32_t)rset(rset(0, F_CR0_cmdqen, 1), F_CR0_smmuen, 1));   /* ATC_INV needs SMMUEN */
    memset(&r, 0, sizeof(r));
    r.e = &e;
    smmuv3_set_inval_sink(e.s, sink, &r);
    atc_calls = 0;
    submit(&e, atc, 1);
    assert_false(cmdq_err_active(&e));
    assert_int_equal(atc_calls, 1);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.cmd[0][0], atc[0][0]);
    t_down(&e);
}

/* The sink runs after the model applied the command: a translation from
 * inside the sink on TLBI_NH_ASID already misses the old TLB entry, even
 * when a translation from the previous command's sink (inside the same
 * write) had it in the translation memo. */
static void test_after_applied(void **state)
{
    sink_fx *sf = *state;
    tenv *e = &sf->e;
    rec *r = &sf->r;
    uint64_t root = t_cd_mapping(e, T_CD, 0x1E20, IOVA, PA_OLD), ste[8];
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(e, SID, ste);
    smmuv3_result res;
    assert_int_equal(t_xlate(e, SID, false, 0, IOVA, 0, &res), 0);
    assert_int_equal(res.pa, PA_OLD);
    t_map(e, root, IOVA, PA_NEW, false, true);              /* the TLB still holds PA_OLD */
    assert_int_equal(t_xlate(e, SID, false, 0, IOVA, 0, &res), 0);
    assert_int_equal(res.pa, PA_OLD);
    r->translate = true;
    uint64_t tlbi[3][2] = { { SMMUV3_CMD_TLBI_NH_VAA, 0x7FFFF000ull },   /* another page */
                            { SMMUV3_CMD_TLBI_NH_ASID | 0x1E20ull << 48, 0 }, { SMMUV3_CMD_SYNC, 0 } };
    submit(e, (const uint64_t (*)[2])tlbi, 3);
    assert_int_equal(r->n, 2);
    assert_int_equal(r->pa_seen[0], PA_OLD);
    assert_int_equal(r->pa_seen[1], PA_NEW);
}

/* A refusal: CERROR_ILL on that command, CONS on it, GERROR.CMDQ_ERR; nothing
 * after it runs until GERRORN; then processing resumes at CONS. */
static void test_failure_stops_and_resumes(void **state)
{
    (void)state;
    for (int retry = 0; retry < 2; retry++) {
        tenv e;
        rec r;
        up(&e, &r);
        r.fail_at = 2;
        static const uint64_t cmds[5][2] = {
            { SMMUV3_CMD_TLBI_NSNH_ALL, 0 }, { SMMUV3_CMD_SYNC, 0 },
            { SMMUV3_CMD_TLBI_NH_ASID | 7ull << 48, 0 }, { SMMUV3_CMD_SYNC, 0 },
            { SMMUV3_CMD_TLBI_NH_ALL, 0 },
        };
        smmuv3_stats st0, st1;
        smmuv3_get_stats(e.s, &st0);
        submit(&e, cmds, 5);
        assert_true(cmdq_err_active(&e));
        assert_int_equal(cons(&e) & QMASK, 2);
        assert_int_equal(rget(cons(&e), F_Q_CONS_err), SMMUV3_CERROR_ILL);
        assert_int_equal(r.n, 2);
        smmuv3_get_stats(e.s, &st1);
        assert_int_equal(st1.commands - st0.commands, 2);     /* the refused one is not consumed */
        /* a PROD write while the error is active runs nothing */
        t_mmio32(&e, REG_CMDQ_PROD, e.cmdprod);
        assert_int_equal(r.n, 2);
        if (retry) {
            ack(&e);                                          /* same command again: forwarded again */
            assert_int_equal(r.n, 4);
            assert_int_equal(r.cmd[2][0], cmds[2][0]);
            assert_int_equal(r.cmd[3][0], cmds[4][0]);
        } else {
            recover(&e);                                      /* skipped as Linux does */
            assert_int_equal(r.n, 3);
            assert_int_equal(r.cmd[2][0], cmds[4][0]);
        }
        assert_false(cmdq_err_active(&e));
        assert_int_equal(cons(&e) & QMASK, 5);
        t_down(&e);
    }
}

/* A sink that fails on every call never wedges the queue: each forwarded
 * command stops it once, the driver's recovery moves on, and everything drains. */
static void test_always_failing(void **state)
{
    sink_fx *sf = *state;
    tenv *e = &sf->e;
    rec *r = &sf->r;
    r->fail_all = true;
    uint64_t cmds[20][2];
    for (unsigned i = 0; i < 20; i++) {
        cmds[i][0] = i & 1 ? SMMUV3_CMD_SYNC : SMMUV3_CMD_TLBI_NH_ALL;
        cmds[i][1] = 0;
    }
    submit(e, (const uint64_t (*)[2])cmds, 20);
    assert_int_equal(drain(e, 10), 10);
    assert_int_equal(r->n, 10);
    assert_int_equal(cons(e) & QMASK, 20);
    /* the queue works on: a non-forwarded command, then with the sink removed */
    uint64_t sync[1][2] = { { SMMUV3_CMD_SYNC, 0 } };
    submit(e, sync, 1);
    assert_false(cmdq_err_active(e));
    smmuv3_set_inval_sink(e->s, NULL, NULL);
    submit(e, (const uint64_t (*)[2])cmds, 4);
    assert_false(cmdq_err_active(e));
    assert_int_equal(r->n, 10);
}

/* Worst case: a GERROR interrupt handler that acknowledges at once without
 * fixing anything, with a sink that always fails. The PROD write returns
 * (processing is bounded per call), and the queue is usable afterwards. */
typedef struct irq_env {
    tenv e;
    rec r;
    unsigned gerror_irqs;
} irq_env;

static int m_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((irq_env *)ctx)->e.mem, pa, buf, len); }
static int m_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((irq_env *)ctx)->e.mem, pa, buf, len); }

static void m_irq(void *ctx, smmuv3_irq line)
{
    irq_env *x = ctx;
    if (line == SMMUV3_IRQ_GERROR) {
        x->gerror_irqs++;
        ack(&x->e);
    }
}

static void test_acking_handler_never_hangs(void **state)
{
    (void)state;
    irq_env x;
    memset(&x, 0, sizeof(x));
    tenv *e = &x.e;
    t_up(e, 8);
    /* the same SMMU state, with a host that has an interrupt handler */
    smmuv3_free(e->s);
    smmuv3_host h = { .ctx = &x, .read = m_read, .write = m_write, .irq = m_irq };
    e->host = h;
    smmuv3_config c;
    smmuv3_config_default(&c);
    assert_int_equal(smmuv3_new(&c, &e->host, &e->s), 0);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, T_CMDQ | 6, 8);
    t_mmio32(e, REG_IRQ_CTRL, (uint32_t)rset(0, F_IRQ_CTRL_gerror_irqen, 1));
    t_mmio32(e, REG_CR0, (uint32_t)rset(0, F_CR0_cmdqen, 1));
    x.r.e = e;
    x.r.fail_all = true;
    smmuv3_set_inval_sink(e->s, sink, &x.r);
    uint64_t cmds[3][2] = { { SMMUV3_CMD_SYNC, 0 }, { SMMUV3_CMD_TLBI_NSNH_ALL, 0 }, { SMMUV3_CMD_SYNC, 0 } };
    submit(e, (const uint64_t (*)[2])cmds, 3);
    assert_true(x.r.n >= 1 && x.r.n <= 64 + 1);              /* bounded by one queue's worth */
    assert_int_equal(x.gerror_irqs, x.r.n);
    assert_int_equal(cons(e) & QMASK, 1);                    /* still on the refused command */
    smmuv3_set_inval_sink(e->s, NULL, NULL);
    t_mmio32(e, REG_CMDQ_PROD, e->cmdprod);
    assert_int_equal(cons(e) & QMASK, 3);
    assert_false(cmdq_err_active(e));
    t_down(e);
}

/* From inside the sink: submitting commands (they run after the current one,
 * before the outer write returns, and are forwarded in order) and removing
 * the sink (the next command is not forwarded). */
static void test_reentrant_mmio(void **state)
{
    (void)state;
    tenv e;
    rec r;
    up(&e, &r);
    r.push_on_first = true;
    static const uint64_t cmds[3][2] = {
        { SMMUV3_CMD_TLBI_NH_ASID | 1ull << 48, 0 }, { SMMUV3_CMD_TLBI_NSNH_ALL, 0 }, { SMMUV3_CMD_SYNC, 0 },
    };
    submit(&e, cmds, 3);
    assert_int_equal(cons(&e) & QMASK, 4);
    assert_int_equal(e.cmdprod, 4);
    assert_int_equal(r.n, 3);
    assert_int_equal(r.cmd[0][0], cmds[0][0]);
    assert_int_equal(r.cmd[1][0], cmds[1][0]);
    assert_int_equal(r.cmd[2][0], (uint64_t)SMMUV3_CMD_TLBI_NH_VAA);
    assert_int_equal(r.cmd[2][1], 0x4000);
    t_down(&e);

    up(&e, &r);
    r.remove_on_first = true;
    submit(&e, cmds, 3);
    assert_int_equal(r.n, 1);
    assert_int_equal(cons(&e) & QMASK, 3);
    t_down(&e);
}

/* NULL arguments; the sink stays across smmuv3_reset (host wiring, like smmuv3_host). */
static void test_set_args_and_reset(void **state)
{
    smmuv3_set_inval_sink(NULL, sink, NULL);
    smmuv3_set_inval_sink(NULL, NULL, NULL);
    sink_fx *sf = *state;
    tenv *e = &sf->e;
    rec *r = &sf->r;
    smmuv3_reset(e->s);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, T_CMDQ | 6, 8);
    t_mmio32(e, REG_CMDQ_PROD, 0);
    t_mmio32(e, REG_CMDQ_CONS, 0);
    e->cmdprod = 0;
    t_mmio32(e, REG_CR0, (uint32_t)rset(0, F_CR0_cmdqen, 1));
    uint64_t c[1][2] = { { SMMUV3_CMD_TLBI_NH_ALL, 0 } };
    submit(e, c, 1);
    assert_int_equal(r->n, 1);
    smmuv3_set_inval_sink(e->s, NULL, r);                    /* NULL removes it */
    submit(e, c, 1);
    assert_int_equal(r->n, 1);
}

/* Garbage commands with a sink that refuses at random: every batch drains
 * with at most one recovery per command, and only listed opcodes reach it. */
static void test_garbage_commands(void **state)
{
    static const uint8_t ops[] = { 0x05, 0x06, 0x10, 0x11, 0x12, 0x13, 0x30, 0x40, 0x03, 0x04, 0x20, 0x28,
                                   0x2A, 0x46, 0x44, 0x45, 0x01, 0x02, 0x41, 0x18, 0x07, 0x99 };
    sink_fx *sf = *state;
    tenv *e = &sf->e;
    rec *r = &sf->r;
    uint64_t x = 0x243F6A8885A308D3ull;
    for (int batch = 0; batch < 400; batch++) {
        uint64_t cmds[16][2];
        unsigned n = 1 + (unsigned)(x % 16);
        for (unsigned i = 0; i < n; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            cmds[i][0] = (x & ~0xFFull) | ops[(x >> 3) % sizeof(ops)];
            cmds[i][0] &= ~(1ull << 10);                      /* mostly legal: SSec = 0 */
            cmds[i][1] = x * 0x9E3779B97F4A7C15ull;
        }
        r->n = 0;
        r->fail_at = (unsigned)(x >> 60);                      /* one refusal, or none */
        submit(e, (const uint64_t (*)[2])cmds, n);
        drain(e, n);
        assert_int_equal(cons(e) & QMASK, e->cmdprod);
        for (unsigned i = 0; i < r->n && i < 256; i++) {
            unsigned op = (unsigned)(r->cmd[i][0] & 0xFF);
            assert_true(op == 0x05 || op == 0x06 || (op >= 0x10 && op <= 0x13) || op == 0x30 || op == 0x40);
        }
    }
}

/* Two groups: the tests that make their own instances, and those on the fixture. */
#define GROUP(setup, teardown, ...)                                                                \
    tm_run(__FILE__, #__VA_ARGS__, (const tm_test_fn[]){ __VA_ARGS__ },                             \
           sizeof((const tm_test_fn[]){ __VA_ARGS__ }) / sizeof(tm_test_fn), setup, teardown)

int main(void)
{
    return GROUP(NULL, NULL, test_illegal_not_forwarded, test_atc_inv_needs_ats, test_failure_stops_and_resumes,
                 test_acking_handler_never_hangs, test_reentrant_mmio) +
           GROUP(sink_setup, sink_teardown, test_forwarded_exactly, test_after_applied, test_always_failing,
                 test_set_args_and_reset, test_garbage_commands);
}
