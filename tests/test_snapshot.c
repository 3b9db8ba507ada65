/* Unit tests: snapshots (src/model/snapshot.c; shared/API.md "Snapshots"): round trips at many points, size queries, the checksum, refusal inside callbacks. */
/*
 * A round trip: an SMMU (A) is driven to some state; it is saved and restored
 * into a fresh instance (B) of the same configuration over a copy of A's
 * memory. From there both get the same continuation (register reads of every
 * offset, translations, stall polls, commands, GERROR acknowledgement, event
 * drain) and must observe the same: a log of every observation is compared,
 * and so are the memory written and the counters that caches do not affect.
 * Rejected snapshots: test_snapshot_reject.c.
 */
#include "test_snap_util.h"
#include "fixture.h"
#include "test_main.h"

static void round_trip(tenv *e)
{
    size_t n;
    uint8_t *snap = save_all(e->s, &n);
    smmuv3_mem *mem2 = smmuv3_mem_new();
    assert_non_null(mem2);
    copy_mem(mem2, e->mem);
    smmuv3_host h2;
    smmuv3_host_from_mem(&h2, mem2);
    smmuv3 *b;
    assert_int_equal(smmuv3_new(&e->c, &h2, &b), 0);
    assert_int_equal(smmuv3_restore(b, snap, n), 0);

    /* the snapshot of the restored instance is the same, byte for byte */
    size_t n2;
    uint8_t *snap2 = save_all(b, &n2);
    assert_int_equal(n2, n);
    assert_memory_equal(snap2, snap, n);
    /* all counters as saved */
    smmuv3_stats sa, sb;
    smmuv3_get_stats(e->s, &sa);
    smmuv3_get_stats(b, &sb);
    assert_memory_equal(&sa, &sb, sizeof(sa));

    obs oa = { 0 }, ob = { 0 };
    continuation(e->s, e->mem, &oa);
    continuation(b, mem2, &ob);
    assert_int_equal(oa.n, ob.n);
    for (size_t i = 0; i < oa.n; i++)
        if (oa.v[i] != ob.v[i])
            fail_msg("observation %zu differs: 0x%llx (saved) vs 0x%llx (restored)", i,
                     (unsigned long long)oa.v[i], (unsigned long long)ob.v[i]);
    free(oa.v);
    free(ob.v);
    free(snap);
    free(snap2);
    smmuv3_free(b);
    smmuv3_mem_free(mem2);
}

/* The fixture: *state is a tenv with world() up. */
static void world_obj(void *e) { world(e); }
static void down_obj(void *e) { t_down(e); }
static int world_setup(void **state) { return fixture_up(state, sizeof(tenv), world_obj); }
static int world_teardown(void **state) { return fixture_release(state, down_obj); }

static void test_roundtrip_fresh(void **state)
{
    tenv *e = *state;
    t_down(e);
    smmuv3_config c;
    fixture_config(&c, NULL);
    t_up_cfg(e, &c, t_strtab_cfg(8, false, 0));   /* nothing but the bring-up */
    round_trip(e);
    smmuv3_reset(e->s);
    round_trip(e);
}

static void test_roundtrip_running(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), 0);   /* caches warm */
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), 0);
    round_trip(e);
}

static void test_roundtrip_command_error(void **state)
{
    tenv *e = *state;
    cmd_op(e->s, e->mem, SMMUV3_CMD_CFGI_STE_RANGE);
    cmd_op(e->s, e->mem, 0x7F);                  /* reserved opcode: CERROR_ILL */
    cmd_op(e->s, e->mem, SMMUV3_CMD_TLBI_NH_ALL); /* waits behind the error */
    uint32_t cons = (uint32_t)smmuv3_mmio_read(e->s, REG_CMDQ_CONS, 4);
    assert_int_equal(rget(cons, F_Q_CONS_err), SMMUV3_CERROR_ILL);
    assert_int_equal(cons & 127, 1);
    round_trip(e);
}

static void test_roundtrip_stalls(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(e, 3, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(e, 1, false, 0, HOLE + 0x1000, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(e, 3, false, 0, HOLE + 0x2000, 0, &r), SMMUV3_XLATE_STALL);
    cmd_resume(e->s, e->mem, 1, 2, 2);           /* stag 2 answered (abort), not yet polled */
    round_trip(e);
}

static void test_roundtrip_eventq_overflow(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    for (unsigned i = 0; i < 70; i++)
        t_xlate(e, 2, false, 0, HOLE + i * 0x1000ull, 0, &r);
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e->s, REG_EVENTQ_PROD, 4);
    assert_int_not_equal(rget(prod, F_Q_PROD_ovflg), 0);
    round_trip(e);
}

static void test_roundtrip_gerror(void **state)
{
    tenv *e = *state;
    /* activate errors by toggling GERRORN (regs.c), and a stall behind an unwritable queue */
    uint32_t g = (uint32_t)(smmu_fmask(F_GERROR_sfm_err) | smmu_fmask(F_GERROR_eventq_abt_err));
    t_mmio32(e, REG_GERRORN, g);
    assert_int_equal(smmuv3_mmio_read(e->s, REG_GERROR, 4) ^ smmuv3_mmio_read(e->s, REG_GERRORN, 4), g);
    smmuv3_result r;
    t_xlate(e, 1, false, 0, HOLE, 0, &r);
    round_trip(e);
}

static void test_roundtrip_priq_overflow(void **state)
{
    tenv *e = *state;
    assert_true(e->c.pri);
    obs o = { 0 };
    observe_pri(e->s, &o, 11);   /* 8 records, then the overflow condition */
    free(o.v);
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e->s, REG_PRIQ_PROD, 4);
    assert_int_not_equal(rget(prod, F_Q_PROD_ovflg), 0);
    round_trip(e);
}

/* The Secure programming interface: its own Stream table, queues, GBPA and errors (the SREG
 * section), and a held stall of a Secure stream (STAL's Secure flag). */
static void test_roundtrip_secure(void **state)
{
    tenv *e = *state;
    assert_true(e->c.secure_impl);
    smmuv3_mmio_write_sec(e->s, 0x8090, T_SCMDQ | 4, 8, true);            /* S_CMDQ_BASE */
    smmuv3_mmio_write_sec(e->s, 0x8044, 0x80000000u | 2u << 14, 4, true); /* S_GBPA: NSCFG Secure */
    /* the Secure Stream table is the same memory (Secure PA space = flat memory): SID 1 stalls */
    smmuv3_mmio_write_sec(e->s, 0x8080, T_STRTAB, 8, true);               /* S_STRTAB_BASE */
    smmuv3_mmio_write_sec(e->s, 0x8088, t_strtab_cfg(8, false, 0), 4, true);
    smmuv3_mmio_write_sec(e->s, 0x80A0, T_SEVTQ | 4, 8, true);            /* S_EVENTQ_BASE */
    smmuv3_mmio_write_sec(e->s, 0x802C, 2, 4, true);                      /* S_CR2.RECINVSID */
    smmuv3_mmio_write_sec(e->s, 0x8020, 0xD, 4, true);                    /* S_CR0: SMMUEN, EVENTQEN, CMDQEN */
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 1, false, 0, HOLE, SMMUV3_TXN_SECURE, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    secure_cmd(e->s, e->mem, SMMUV3_CMD_TLBI_NSNH_ALL);
    secure_cmd(e->s, e->mem, 0x7F);                                         /* CERROR_ILL */
    secure_cmd(e->s, e->mem, SMMUV3_CMD_TLBI_NSNH_ALL);
    assert_int_not_equal(smmuv3_mmio_read_sec(e->s, 0x8060, 4, true) & 1, 0);   /* S_GERROR.CMDQ_ERR */
    round_trip(e);
}

static void test_roundtrip_wrapped_and_hidden_bits(void **state)
{
    tenv *e = *state;
    for (unsigned i = 0; i < 100; i++)        /* the command queue wraps */
        cmd_op(e->s, e->mem, SMMUV3_CMD_TLBI_NSNH_ALL);
    smmuv3_result r;
    for (unsigned i = 0; i < 3; i++) {        /* the event queue wraps */
        for (unsigned j = 0; j < 40; j++)
            t_xlate(e, 2, false, 0, HOLE + j * 0x1000ull, 0, &r);
        obs o = { 0 };
        observe_events(e->s, e->mem, &o);
        free(o.v);
    }
    /* index bits above the queue size: stored, not read, visible once LOG2SIZE grows */
    t_mmio32(e, REG_CR0, (uint32_t)(smmu_fmask(F_CR0_smmuen) | smmu_fmask(F_CR0_cmdqen)));
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e->s, REG_EVENTQ_PROD, 4);
    t_mmio32(e, REG_EVENTQ_PROD, prod | 0xF0000);
    t_mmio32(e, REG_EVENTQ_CONS, prod | 0x30000);
    round_trip(e);
    smmuv3_mmio_write(e->s, REG_EVENTQ_BASE, T_EVTQ | 19, 8);
    round_trip(e);
}

/* ---------------------------------------------------------------- size queries */
static void test_save_erange(void **state)
{
    tenv *e = *state;
    size_t n = 0, m = 0;
    assert_int_equal(smmuv3_save(e->s, NULL, 0, &n), SMMUV3_ERANGE);
    assert_true(n > 32);
    assert_int_equal(smmuv3_save(e->s, NULL, 1u << 20, &m), SMMUV3_ERANGE);   /* NULL buf */
    assert_int_equal(m, n);
    uint8_t *b = malloc(n + 16);
    assert_non_null(b);
    memset(b, 0x5A, n + 16);
    m = 0;
    assert_int_equal(smmuv3_save(e->s, b, n - 1, &m), SMMUV3_ERANGE);
    assert_int_equal(m, n);
    for (size_t i = 0; i < n + 16; i++)
        assert_int_equal(b[i], 0x5A);            /* nothing written */
    assert_int_equal(smmuv3_save(e->s, b, n - 1, NULL), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_save(e->s, b, n + 16, &m), 0);
    assert_int_equal(m, n);
    assert_int_equal(b[n], 0x5A);
    assert_int_equal(smmuv3_save(e->s, b, n, NULL), 0);
    assert_int_equal(smmuv3_save(NULL, b, n, &m), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(NULL, b, n), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(e->s, NULL, n), SMMUV3_EINVAL);
    assert_string_not_equal(smmuv3_strerror(SMMUV3_ECORRUPT), smmuv3_strerror(1234));
    assert_string_not_equal(smmuv3_strerror(SMMUV3_EMISMATCH), smmuv3_strerror(1234));
    /* held stalls make it grow */
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(smmuv3_save(e->s, NULL, 0, &m), SMMUV3_ERANGE);
    assert_true(m > n);
    free(b);
}

static void test_failed_restore_keeps_caches(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), 0);
    size_t n;
    uint8_t *b = save_all(e->s, &n);
    b[40] ^= 1;
    smmuv3_stats s0, s1;
    smmuv3_get_stats(e->s, &s0);
    assert_int_equal(smmuv3_restore(e->s, b, n), SMMUV3_ECORRUPT);
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), 0);
    smmuv3_get_stats(e->s, &s1);
    assert_int_equal(s1.walks, s0.walks);
    assert_int_equal(s1.tlb_hits, s0.tlb_hits + 1);
    b[40] ^= 1;
    assert_int_equal(smmuv3_restore(e->s, b, n), 0);   /* a good one empties them */
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), 0);
    smmuv3_get_stats(e->s, &s0);
    assert_int_equal(s0.walks, s1.walks + 1);
    free(b);
}

/* CRC-32 as zlib computes it (the standard check value), so that other tools can verify snapshots. */
static void test_crc32(void **state)
{
    (void)state;
    assert_int_equal(smmu_snap_crc32("123456789", 9), 0xCBF43926u);
    assert_int_equal(smmu_snap_crc32("", 0), 0);
    /* every length and alignment up to 40 bytes (eight at a time, then the
     * rest) against the definition, one bit at a time */
    uint8_t b[48];
    for (unsigned i = 0; i < sizeof(b); i++)
        b[i] = (uint8_t)(i * 37 + 11);
    for (unsigned at = 0; at < 8; at++)
        for (unsigned len = 0; len <= 40; len++) {
            uint32_t c = 0xFFFFFFFFu;
            for (unsigned i = 0; i < len; i++) {
                c ^= b[at + i];
                for (unsigned k = 0; k < 8; k++)
                    c = (c >> 1) ^ (c & 1 ? 0xEDB88320u : 0);
            }
            assert_int_equal(smmu_snap_crc32(b + at, len), ~c);
        }
}

/* From a host callback of the instance (a translation or command half done): refused. */
typedef struct cb_ctx {
    smmuv3_mem *mem;
    smmuv3 *s;
    int save_rc, restore_rc;
    unsigned calls;
    uint8_t snap[4096];
    size_t n;
} cb_ctx;

static int cb_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((cb_ctx *)ctx)->mem, pa, buf, len); }
static int cb_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((cb_ctx *)ctx)->mem, pa, buf, len); }
static void cb_irq(void *ctx, smmuv3_irq line)
{
    cb_ctx *x = ctx;
    (void)line;
    size_t m;
    x->calls++;
    x->save_rc = smmuv3_save(x->s, x->snap, sizeof(x->snap), &m);
    x->restore_rc = smmuv3_restore(x->s, x->snap, x->n);
}

static void test_refused_in_callback(void **state)
{
    tenv *e = *state;
    smmuv3_mmio_write(e->s, REG_EVENTQ_IRQ_CFG0, 0, 8);   /* fails: IRQ enabled */
    t_mmio32(e, REG_IRQ_CTRL, 0);
    smmuv3_mmio_write(e->s, REG_EVENTQ_IRQ_CFG0, 0, 8);   /* wired interrupts from now on */
    t_mmio32(e, REG_IRQ_CTRL, 5);
    static cb_ctx x;
    memset(&x, 0, sizeof(x));
    x.mem = e->mem;
    x.s = e->s;
    assert_int_equal(smmuv3_save(e->s, x.snap, sizeof(x.snap), &x.n), 0);
    e->host.ctx = &x;
    e->host.read = cb_read;
    e->host.write = cb_write;
    e->host.irq = cb_irq;
    e->s->host = e->host;
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 2, false, 0, HOLE, 0, &r), SMMUV3_XLATE_ABORT);   /* EVENTQ irq */
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.save_rc, SMMUV3_EINVAL);
    assert_int_equal(x.restore_rc, SMMUV3_EINVAL);
    cmd_op(e->s, e->mem, 0x7F);                                                       /* GERROR irq */
    assert_int_equal(x.calls, 2);
    assert_int_equal(x.save_rc, SMMUV3_EINVAL);
    assert_int_equal(x.restore_rc, SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(e->s, x.snap, x.n), 0);   /* outside: fine */
}

TEST_MAIN_FX(world_setup, world_teardown, test_roundtrip_fresh, test_roundtrip_running,
             test_roundtrip_command_error, test_roundtrip_stalls, test_roundtrip_eventq_overflow,
             test_roundtrip_gerror, test_roundtrip_priq_overflow, test_roundtrip_secure,
             test_roundtrip_wrapped_and_hidden_bits, test_save_erange, test_crc32,
             test_failed_restore_keeps_caches, test_refused_in_callback)
