/* Unit tests: snapshots (src/model/snapshot.c; shared/API.md "Snapshots"): round trips at many points, size queries, truncation, corruption, configuration mismatch. */
/*
 * A round trip: an SMMU (A) is driven to some state; it is saved and restored
 * into a fresh instance (B) of the same configuration over a copy of A's
 * memory. From there both get the same continuation (register reads of every
 * offset, translations, stall polls, commands, GERROR acknowledgement, event
 * drain) and must observe the same: a log of every observation is compared,
 * and so are the memory written and the counters that caches do not affect.
 */
#include "test_cfg_util.h"
#include <stdlib.h>

#define IOVA 0x6789000ull
#define HOLE 0x6800000ull   /* unmapped */
#define T_MSI 0x070000ull   /* MSI target page */
#define MEM_SPAN 0x2000000ull

/* ---------------------------------------------------------------- the world */
static void world_cfg(tenv *e, const smmuv3_config *c)
{
    t_up_cfg(e, c, t_strtab_cfg(8, false, 0));
    uint64_t root = t_pt_new(e);
    t_map(e, root, IOVA, 0x3000000, false, false);
    uint64_t cd[8], ste[8];
    t_cd(cd, root, 1);                      /* SID 1: stage 1, stalls (CD.S) */
    fset(cd, F_CD_s, 1);
    t_write_words(e, T_CD, cd, 8);
    t_cd(cd, root, 2);                      /* SID 2: stage 1, terminates */
    t_write_words(e, T_CD + 0x1000, cd, 8);
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(e, 1, ste);
    t_ste_s1(ste, T_CD + 0x1000, 0, 0);
    t_ste_at(e, 2, ste);
    uint64_t s2root = t_pt_new(e);
    t_map(e, s2root, IOVA, 0x3100000, true, true);
    t_ste_s2(ste, s2root, 2);               /* SID 3: stage 2, stalls (S2S) */
    fset(ste, F_STE_s2s, 1);
    t_ste_at(e, 3, ste);
    t_ste_bypass(ste);                      /* SID 4: bypass */
    t_ste_at(e, 4, ste);
    /* event queue MSI, GERROR wired; both enabled */
    smmuv3_mmio_write(e->s, REG_EVENTQ_IRQ_CFG0, T_MSI, 8);
    t_mmio32(e, REG_EVENTQ_IRQ_CFG1, 0xE1);
    t_mmio32(e, REG_IRQ_CTRL, 5);
}

static void world(tenv *e)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    world_cfg(e, &c);
}

/* A command at CMDQ_PROD, whatever the state of the queue (no checks). */
static void submit(smmuv3 *s, smmuv3_mem *mem, const uint64_t cmd[2])
{
    uint8_t b[16];
    le_store(b, cmd, 2);
    uint32_t prod = (uint32_t)smmuv3_mmio_read(s, REG_CMDQ_PROD, 4) & 127;
    smmuv3_mem_write(mem, T_CMDQ + (prod & 63) * 16ull, b, 16);
    smmuv3_mmio_write(s, REG_CMDQ_PROD, (prod + 1) & 127, 4);
}

static void cmd_resume(smmuv3 *s, smmuv3_mem *mem, uint32_t sid, uint16_t stag, unsigned action)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_RESUME_opcode, SMMUV3_CMD_RESUME);
    fset(c, F_CMD_RESUME_sid, sid);
    fset(c, F_CMD_RESUME_action, action);
    fset(c, F_CMD_RESUME_stag, stag);
    submit(s, mem, c);
}

static void cmd_sync_msi(smmuv3 *s, smmuv3_mem *mem, uint32_t data)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_SYNC_opcode, SMMUV3_CMD_SYNC);
    fset(c, F_CMD_SYNC_cs, 1);
    fset(c, F_CMD_SYNC_msidata, data);
    fset_addr(c, F_CMD_SYNC_msiaddr, T_MSI + 0x10);
    submit(s, mem, c);
}

static void cmd_op(smmuv3 *s, smmuv3_mem *mem, unsigned op)
{
    uint64_t c[2] = { op, 0 };
    if (op == SMMUV3_CMD_CFGI_STE_RANGE)
        fset(c, F_CMD_CFGI_STE_RANGE_range, 31);   /* CFGI_ALL */
    submit(s, mem, c);
}

/* ---------------------------------------------------------------- observation */
typedef struct obs {
    uint64_t *v;
    size_t n, cap;
} obs;

static void put(obs *o, uint64_t v)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 4096;
        o->v = realloc(o->v, o->cap * sizeof(*o->v));
        assert_non_null(o->v);
    }
    o->v[o->n++] = v;
}

/* Every 32-bit register offset of both pages, and the 64-bit views. */
static void observe_regs(smmuv3 *s, obs *o)
{
    for (uint64_t off = 0; off < 0x20000; off += 4)
        put(o, smmuv3_mmio_read(s, off, 4));
    for (uint64_t off = 0; off < 0x100; off += 8)
        put(o, smmuv3_mmio_read(s, off, 8));
}

static const smmuv3_txn txns[] = {
    { .sid = 1, .addr = IOVA }, { .sid = 1, .addr = HOLE }, { .sid = 2, .addr = IOVA, .flags = SMMUV3_TXN_WRITE },
    { .sid = 2, .addr = HOLE }, { .sid = 3, .addr = IOVA }, { .sid = 3, .addr = HOLE },
    { .sid = 4, .addr = 0x1234 }, { .sid = 99, .addr = 0 }, { .sid = 2, .addr = IOVA },
};

static void observe_txns(smmuv3 *s, obs *o)
{
    for (size_t i = 0; i < sizeof(txns) / sizeof(txns[0]); i++) {
        smmuv3_result r;
        memset(&r, 0, sizeof(r));
        int rc = smmuv3_translate(s, &txns[i], &r);
        put(o, (uint64_t)(uint32_t)rc | (uint64_t)r.event << 32 | (uint64_t)r.fault << 40 |
                   (uint64_t)r.outcome << 48 | (uint64_t)r.bypass << 56);
        put(o, rc == 0 ? r.pa : r.stag);
        put(o, rc == 0 ? r.size | (uint64_t)r.perm << 60 : 0);
    }
}

static void observe_stalls(smmuv3 *s, obs *o)
{
    for (uint32_t sid = 1; sid <= 3; sid += 2)
        for (uint16_t stag = 0; stag < 6; stag++)
            put(o, (uint64_t)(int64_t)smmuv3_stall_poll(s, sid, stag));
}

static void observe_events(smmuv3 *s, smmuv3_mem *mem, obs *o)
{
    uint32_t prod = (uint32_t)smmuv3_mmio_read(s, REG_EVENTQ_PROD, 4);
    uint32_t cons = (uint32_t)smmuv3_mmio_read(s, REG_EVENTQ_CONS, 4);
    put(o, prod);
    put(o, cons);
    for (unsigned i = 0; i < 64 && ((prod ^ cons) & 127); i++) {
        uint8_t b[32];
        smmuv3_mem_read(mem, T_EVTQ + (cons & 63) * 32ull, b, 32);
        for (unsigned j = 0; j < 4; j++)
            put(o, le64_load(b + 8 * j));
        cons = (cons & ~127u) | ((cons + 1) & 127);
    }
    /* consume, acknowledging any overflow */
    cons = (cons & ~(uint32_t)smmu_fmask(F_Q_CONS_ovackflg)) | (prod & (uint32_t)smmu_fmask(F_Q_PROD_ovflg));
    smmuv3_mmio_write(s, REG_EVENTQ_CONS, cons, 4);
}

static void observe_stats(smmuv3 *s, obs *o)
{
    smmuv3_stats st;
    smmuv3_get_stats(s, &st);
    /* the counters caches do not change (a restored instance starts cold) */
    const uint64_t v[] = { st.translations, st.commands, st.events, st.events_lost, st.sev,
                           st.irqs[0], st.irqs[1], st.irqs[2], st.irqs[3], st.msis };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        put(o, v[i]);
}

static void observe_mem(smmuv3_mem *mem, obs *o)
{
    uint8_t b[8];
    for (uint64_t a = T_EVTQ; a < T_EVTQ + 64 * 32; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
    for (uint64_t a = T_MSI; a < T_MSI + 0x20; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
}

/* The same continuation for both instances. */
static void continuation(smmuv3 *s, smmuv3_mem *mem, obs *o)
{
    observe_stats(s, o);
    observe_regs(s, o);
    observe_txns(s, o);
    observe_stalls(s, o);
    observe_regs(s, o);
    cmd_resume(s, mem, 1, 0, 1);
    cmd_resume(s, mem, 3, 1, 0);
    cmd_sync_msi(s, mem, 0xC0DE);
    cmd_op(s, mem, SMMUV3_CMD_TLBI_NH_ALL);
    cmd_op(s, mem, SMMUV3_CMD_CFGI_STE_RANGE);
    observe_regs(s, o);
    smmuv3_mmio_write(s, REG_GERRORN, smmuv3_mmio_read(s, REG_GERROR, 4), 4);   /* acknowledge */
    observe_stalls(s, o);
    observe_events(s, mem, o);
    observe_txns(s, o);
    observe_txns(s, o);
    observe_stalls(s, o);
    observe_events(s, mem, o);
    observe_regs(s, o);
    observe_stats(s, o);
    observe_mem(mem, o);
}

/* ---------------------------------------------------------------- round trip */
static uint8_t *save_all(smmuv3 *s, size_t *n)
{
    assert_int_equal(smmuv3_save(s, NULL, 0, n), SMMUV3_ERANGE);
    uint8_t *b = malloc(*n);
    assert_non_null(b);
    size_t m = 0;
    assert_int_equal(smmuv3_save(s, b, *n, &m), 0);
    assert_int_equal(m, *n);
    return b;
}

static void copy_mem(smmuv3_mem *dst, smmuv3_mem *src)
{
    static uint8_t page[4096];
    static const uint8_t zero[4096];
    for (uint64_t a = 0; a < MEM_SPAN; a += sizeof(page)) {
        assert_int_equal(smmuv3_mem_read(src, a, page, sizeof(page)), 0);
        if (memcmp(page, zero, sizeof(page)))
            assert_int_equal(smmuv3_mem_write(dst, a, page, sizeof(page)), 0);
    }
}

/* Save e's SMMU, restore it into a fresh instance over a copy of its memory,
 * and compare everything both observe from there on. */
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

static void test_roundtrip_fresh(void **state)
{
    (void)state;
    tenv e;
    smmuv3_config c;
    smmuv3_config_default(&c);
    t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));   /* nothing but the bring-up */
    round_trip(&e);
    smmuv3_reset(e.s);
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_running(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    smmuv3_result r;
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);   /* caches warm */
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_command_error(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    cmd_op(e.s, e.mem, SMMUV3_CMD_CFGI_STE_RANGE);
    cmd_op(e.s, e.mem, 0x7F);                  /* reserved opcode: CERROR_ILL */
    cmd_op(e.s, e.mem, SMMUV3_CMD_TLBI_NH_ALL); /* waits behind the error */
    uint32_t cons = (uint32_t)smmuv3_mmio_read(e.s, REG_CMDQ_CONS, 4);
    assert_int_equal(rget(cons, F_Q_CONS_err), SMMUV3_CERROR_ILL);
    assert_int_equal(cons & 127, 1);
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_stalls(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    smmuv3_result r;
    assert_int_equal(t_xlate(&e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(&e, 3, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(&e, 1, false, 0, HOLE + 0x1000, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(t_xlate(&e, 3, false, 0, HOLE + 0x2000, 0, &r), SMMUV3_XLATE_STALL);
    cmd_resume(e.s, e.mem, 1, 2, 2);           /* stag 2 answered (abort), not yet polled */
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_eventq_overflow(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    smmuv3_result r;
    for (unsigned i = 0; i < 70; i++)
        t_xlate(&e, 2, false, 0, HOLE + i * 0x1000ull, 0, &r);
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e.s, REG_EVENTQ_PROD, 4);
    assert_int_not_equal(rget(prod, F_Q_PROD_ovflg), 0);
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_gerror(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    /* activate errors by toggling GERRORN (regs.c), and a stall behind an unwritable queue */
    uint32_t g = (uint32_t)(smmu_fmask(F_GERROR_sfm_err) | smmu_fmask(F_GERROR_eventq_abt_err));
    t_mmio32(&e, REG_GERRORN, g);
    assert_int_equal(smmuv3_mmio_read(e.s, REG_GERROR, 4) ^ smmuv3_mmio_read(e.s, REG_GERRORN, 4), g);
    smmuv3_result r;
    t_xlate(&e, 1, false, 0, HOLE, 0, &r);
    round_trip(&e);
    t_down(&e);
}

static void test_roundtrip_wrapped_and_hidden_bits(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    for (unsigned i = 0; i < 100; i++)        /* the command queue wraps */
        cmd_op(e.s, e.mem, SMMUV3_CMD_TLBI_NSNH_ALL);
    smmuv3_result r;
    for (unsigned i = 0; i < 3; i++) {        /* the event queue wraps */
        for (unsigned j = 0; j < 40; j++)
            t_xlate(&e, 2, false, 0, HOLE + j * 0x1000ull, 0, &r);
        obs o = { 0 };
        observe_events(e.s, e.mem, &o);
        free(o.v);
    }
    /* index bits above the queue size: stored, not read, visible once LOG2SIZE grows */
    t_mmio32(&e, REG_CR0, (uint32_t)(smmu_fmask(F_CR0_smmuen) | smmu_fmask(F_CR0_cmdqen)));
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e.s, REG_EVENTQ_PROD, 4);
    t_mmio32(&e, REG_EVENTQ_PROD, prod | 0xF0000);
    t_mmio32(&e, REG_EVENTQ_CONS, prod | 0x30000);
    round_trip(&e);
    smmuv3_mmio_write(e.s, REG_EVENTQ_BASE, T_EVTQ | 19, 8);
    round_trip(&e);
    t_down(&e);
}

/* ---------------------------------------------------------------- size queries */
static void test_save_erange(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    size_t n = 0, m = 0;
    assert_int_equal(smmuv3_save(e.s, NULL, 0, &n), SMMUV3_ERANGE);
    assert_true(n > 32);
    assert_int_equal(smmuv3_save(e.s, NULL, 1u << 20, &m), SMMUV3_ERANGE);   /* NULL buf */
    assert_int_equal(m, n);
    uint8_t *b = malloc(n + 16);
    assert_non_null(b);
    memset(b, 0x5A, n + 16);
    m = 0;
    assert_int_equal(smmuv3_save(e.s, b, n - 1, &m), SMMUV3_ERANGE);
    assert_int_equal(m, n);
    for (size_t i = 0; i < n + 16; i++)
        assert_int_equal(b[i], 0x5A);            /* nothing written */
    assert_int_equal(smmuv3_save(e.s, b, n - 1, NULL), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_save(e.s, b, n + 16, &m), 0);
    assert_int_equal(m, n);
    assert_int_equal(b[n], 0x5A);
    assert_int_equal(smmuv3_save(e.s, b, n, NULL), 0);
    assert_int_equal(smmuv3_save(NULL, b, n, &m), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(NULL, b, n), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(e.s, NULL, n), SMMUV3_EINVAL);
    assert_string_not_equal(smmuv3_strerror(SMMUV3_ECORRUPT), smmuv3_strerror(1234));
    assert_string_not_equal(smmuv3_strerror(SMMUV3_EMISMATCH), smmuv3_strerror(1234));
    /* held stalls make it grow */
    smmuv3_result r;
    assert_int_equal(t_xlate(&e, 1, false, 0, HOLE, 0, &r), SMMUV3_XLATE_STALL);
    assert_int_equal(smmuv3_save(e.s, NULL, 0, &m), SMMUV3_ERANGE);
    assert_true(m > n);
    free(b);
    t_down(&e);
}

/* ---------------------------------------------------------------- rejection */
#include "model/snapshot.h"

static void fix_crc(uint8_t *b, size_t n)
{
    uint32_t c = smmu_snap_crc32(b, n - 4);
    for (unsigned i = 0; i < 4; i++)
        b[n - 4 + i] = (uint8_t)(c >> (8 * i));
}

static uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr32(uint8_t *p, uint32_t v) { for (unsigned i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* Offset of the payload of the section with this tag (its length in *len). */
static size_t section(const uint8_t *b, size_t n, const char tag[4], uint32_t *len)
{
    for (size_t at = 32; at + 8 <= n - 4;) {
        uint32_t l = rd32(b + at + 4);
        if (!memcmp(b + at, tag, 4)) {
            *len = l;
            return at + 8;
        }
        at += 8 + l;
    }
    fail_msg("no section %.4s", tag);
    return 0;
}

/* The instance is exactly as it was: the same snapshot (every architectural
 * value, hidden index bits and stalls included) and, when `regs`, the same
 * value at every register offset. */
static void unchanged(smmuv3 *s, const uint8_t *orig, size_t n, const obs *regs)
{
    static uint8_t now[1 << 16];
    size_t m = 0;
    assert_int_equal(smmuv3_save(s, now, sizeof(now), &m), 0);
    assert_int_equal(m, n);
    assert_memory_equal(now, orig, n);
    if (regs) {
        obs o = { 0 };
        observe_regs(s, &o);
        assert_int_equal(o.n, regs->n);
        assert_memory_equal(o.v, regs->v, o.n * sizeof(*o.v));
        free(o.v);
    }
}

/* A world with some of everything: stalls, an answered stall, events, an active error. */
static void busy_world(tenv *e)
{
    world(e);
    smmuv3_result r;
    t_xlate(e, 1, false, 0, HOLE, 0, &r);
    t_xlate(e, 3, false, 0, HOLE, 0, &r);
    t_xlate(e, 1, false, 0, HOLE + 0x1000, 0, &r);
    cmd_resume(e->s, e->mem, 1, 0, 1);
    t_xlate(e, 2, false, 0, IOVA, 0, &r);
    t_mmio32(e, REG_GERRORN, (uint32_t)smmu_fmask(F_GERROR_sfm_err));
}

static void test_truncated(void **state)
{
    (void)state;
    tenv e;
    busy_world(&e);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    obs regs = { 0 };
    observe_regs(e.s, &regs);
    uint8_t *c = malloc(n + 1);
    assert_non_null(c);
    for (size_t l = 0; l < n; l++) {
        memcpy(c, b, l);   /* its own buffer, so that a read past l is caught by ASan */
        assert_int_equal(smmuv3_restore(e.s, c, l), SMMUV3_ECORRUPT);
        unchanged(e.s, b, n, l % 64 ? NULL : &regs);
    }
    memcpy(c, b, n);
    c[n] = 0;
    assert_int_equal(smmuv3_restore(e.s, c, n + 1), SMMUV3_ECORRUPT);   /* a trailing byte */
    unchanged(e.s, b, n, &regs);
    assert_int_equal(smmuv3_restore(e.s, b, n), 0);
    unchanged(e.s, b, n, &regs);
    free(regs.v);
    free(c);
    free(b);
    t_down(&e);
}

static void test_corrupt_every_byte(void **state)
{
    (void)state;
    tenv e;
    busy_world(&e);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    obs regs = { 0 };
    observe_regs(e.s, &regs);
    for (size_t i = 0; i < n; i++) {
        for (unsigned x = 1; x < 256; x++) {
            b[i] ^= (uint8_t)x;
            int rc = smmuv3_restore(e.s, b, n);
            b[i] ^= (uint8_t)x;
            if (rc != SMMUV3_ECORRUPT)
                fail_msg("byte %zu ^ 0x%02x: %d", i, x, rc);
            unchanged(e.s, b, n, NULL);
        }
        if (i % 32 == 0)
            unchanged(e.s, b, n, &regs);
    }
    free(regs.v);
    free(b);
    t_down(&e);
}

/* With the checksum made right again, a changed byte reaches the semantic
 * checks: it is rejected with the instance unchanged, or it is a state the
 * model can hold, which a save then reproduces byte for byte. */
static void test_corrupt_semantic(void **state)
{
    (void)state;
    tenv e;
    busy_world(&e);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    uint8_t *c = malloc(n);
    assert_non_null(c);
    static const uint8_t xs[] = { 0x01, 0x02, 0x10, 0x80, 0xFF };
    unsigned accepted = 0, rejected = 0;
    for (size_t i = 0; i + 4 < n; i++) {
        for (size_t k = 0; k < sizeof(xs); k++) {
            memcpy(c, b, n);
            c[i] ^= xs[k];
            fix_crc(c, n);
            int rc = smmuv3_restore(e.s, c, n);
            if (rc == 0) {
                accepted++;
                unchanged(e.s, c, n, NULL);   /* canonical: what was restored saves as given */
                assert_int_equal(smmuv3_restore(e.s, b, n), 0);
            } else {
                rejected++;
                assert_true(rc == SMMUV3_ECORRUPT || rc == SMMUV3_EMISMATCH);
                if (i < 32 + 8 + 4)       /* header, CONF tag and length: never accepted */
                    assert_true(i >= 24 || rc == SMMUV3_ECORRUPT);
            }
            unchanged(e.s, b, n, NULL);
            if (i < 32)
                assert_int_not_equal(rc, 0);
        }
    }
    assert_true(accepted > 0);
    assert_true(rejected > accepted);
    free(c);
    free(b);
    t_down(&e);
}

/* Patch one 32-bit value of a section (at byte `off` of its payload) and expect `want`. */
static void expect_patch(tenv *e, const uint8_t *b, size_t n, const char *tag, size_t off, uint32_t v, int want)
{
    uint8_t *c = malloc(n);
    assert_non_null(c);
    memcpy(c, b, n);
    uint32_t len;
    size_t at = section(c, n, tag, &len);
    assert_true(off + 4 <= len);
    wr32(c + at + off, v);
    fix_crc(c, n);
    int rc = smmuv3_restore(e->s, c, n);
    if (rc != want)
        fail_msg("%.4s+%zu = 0x%x: %d, expected %d", tag, off, v, rc, want);
    unchanged(e->s, b, n, NULL);
    free(c);
}

static void test_semantic_checks(void **state)
{
    (void)state;
    tenv e;
    busy_world(&e);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    uint32_t cr0 = (uint32_t)smmuv3_mmio_read(e.s, REG_CR0, 4);
    /* REGS: cr0, cr0ack, cr1, cr2, gbpa, irq_ctrl, irq_ctrlack, gerror, gerrorn, ... */
    expect_patch(&e, b, n, "REGS", 0, cr0 | 0x80000000u, SMMUV3_ECORRUPT);   /* RES0 bit */
    expect_patch(&e, b, n, "REGS", 4, cr0 & ~1u, SMMUV3_ECORRUPT);           /* CR0ACK != CR0 */
    expect_patch(&e, b, n, "REGS", 16, 0x80001000u, SMMUV3_ECORRUPT);        /* GBPA.UPDATE */
    expect_patch(&e, b, n, "REGS", 24, 0, SMMUV3_ECORRUPT);                  /* IRQ_CTRLACK */
    expect_patch(&e, b, n, "REGS", 28, 1u << 31, SMMUV3_ECORRUPT);           /* GERROR RES0 */
    /* STAL: count, then (stag, sid, state) */
    expect_patch(&e, b, n, "STAL", 0, 1000, SMMUV3_ECORRUPT);                /* more than held/STALL_MAX */
    expect_patch(&e, b, n, "STAL", 0, 2, SMMUV3_ECORRUPT);                   /* fewer than the payload */
    expect_patch(&e, b, n, "STAL", 4, 64, SMMUV3_ECORRUPT);                  /* STAG >= STALL_MAX */
    expect_patch(&e, b, n, "STAL", 4 + 9, 0, SMMUV3_ECORRUPT);               /* STAGs out of order */
    expect_patch(&e, b, n, "STAL", 8, 1u << 16, SMMUV3_ECORRUPT);            /* SID beyond SIDSIZE */
    /* STAT: the number of counters */
    expect_patch(&e, b, n, "STAT", 0, 19, SMMUV3_ECORRUPT);
    /* CONF: another configuration under a right digest */
    {
        uint8_t *c = malloc(n);
        assert_non_null(c);
        memcpy(c, b, n);
        uint32_t len;
        size_t at = section(c, n, "CONF", &len);
        c[at + 4 * 7] ^= 1;   /* sidsize */
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < len; i++)
            h = (h ^ c[at + i]) * 0x100000001b3ull;
        for (unsigned i = 0; i < 8; i++)
            c[24 + i] = (uint8_t)(h >> (8 * i));
        fix_crc(c, n);
        assert_int_equal(smmuv3_restore(e.s, c, n), SMMUV3_EMISMATCH);
        unchanged(e.s, b, n, NULL);
        free(c);
    }
    /* header: version, flags */
    uint8_t *c = malloc(n + 16);
    assert_non_null(c);
    memcpy(c, b, n);
    wr32(c + 8, 99);   /* a version this build does not know */
    fix_crc(c, n);
    assert_int_equal(smmuv3_restore(e.s, c, n), SMMUV3_ECORRUPT);
    memcpy(c, b, n);
    wr32(c + 12, 1);
    fix_crc(c, n);
    assert_int_equal(smmuv3_restore(e.s, c, n), SMMUV3_ECORRUPT);
    /* an unknown section appended */
    memcpy(c, b, n - 4);
    memcpy(c + n - 4, "XTRA", 4);
    wr32(c + n, 4);
    wr32(c + n + 4, 0);
    wr32(c + 16, (uint32_t)(n + 12));
    fix_crc(c, n + 12);
    assert_int_equal(smmuv3_restore(e.s, c, n + 12), SMMUV3_ECORRUPT);
    /* two sections swapped (STAL and STAT are not of equal size: swap REGS and CONF tags) */
    memcpy(c, b, n);
    memcpy(c + 32, "REGS", 4);
    fix_crc(c, n);
    assert_int_equal(smmuv3_restore(e.s, c, n), SMMUV3_ECORRUPT);
    unchanged(e.s, b, n, NULL);
    free(c);
    free(b);
    t_down(&e);
}

static void test_config_mismatch(void **state)
{
    (void)state;
    tenv e;
    busy_world(&e);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    for (unsigned k = 0; k < 5; k++) {
        smmuv3_config c;
        smmuv3_config_default(&c);
        switch (k) {
        case 0: c.sidsize = 12; break;
        case 1: c.s2p = false; c.hyp = false; break;
        case 2: c.tlb_entries = 8; break;   /* an equal configuration means every field */
        case 3: c.stall_max = 8; break;
        default: c.iidr = 0x1234; break;
        }
        tenv f;
        world_cfg(&f, &c);
        size_t m;
        uint8_t *before = save_all(f.s, &m);
        obs regs = { 0 };
        observe_regs(f.s, &regs);
        assert_int_equal(smmuv3_restore(f.s, b, n), SMMUV3_EMISMATCH);
        unchanged(f.s, before, m, &regs);
        free(regs.v);
        free(before);
        t_down(&f);
    }
    free(b);
    t_down(&e);
}

/* A rejected snapshot does not even empty the caches (their counters would show it). */
static void test_failed_restore_keeps_caches(void **state)
{
    (void)state;
    tenv e;
    world(&e);
    smmuv3_result r;
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);
    size_t n;
    uint8_t *b = save_all(e.s, &n);
    b[40] ^= 1;
    smmuv3_stats s0, s1;
    smmuv3_get_stats(e.s, &s0);
    assert_int_equal(smmuv3_restore(e.s, b, n), SMMUV3_ECORRUPT);
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);
    smmuv3_get_stats(e.s, &s1);
    assert_int_equal(s1.walks, s0.walks);
    assert_int_equal(s1.tlb_hits, s0.tlb_hits + 1);
    b[40] ^= 1;
    assert_int_equal(smmuv3_restore(e.s, b, n), 0);   /* a good one empties them */
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);
    smmuv3_get_stats(e.s, &s0);
    assert_int_equal(s0.walks, s1.walks + 1);
    free(b);
    t_down(&e);
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
    (void)state;
    tenv e;
    world(&e);
    smmuv3_mmio_write(e.s, REG_EVENTQ_IRQ_CFG0, 0, 8);   /* fails: IRQ enabled */
    t_mmio32(&e, REG_IRQ_CTRL, 0);
    smmuv3_mmio_write(e.s, REG_EVENTQ_IRQ_CFG0, 0, 8);   /* wired interrupts from now on */
    t_mmio32(&e, REG_IRQ_CTRL, 5);
    static cb_ctx x;
    memset(&x, 0, sizeof(x));
    x.mem = e.mem;
    x.s = e.s;
    assert_int_equal(smmuv3_save(e.s, x.snap, sizeof(x.snap), &x.n), 0);
    e.host.ctx = &x;
    e.host.read = cb_read;
    e.host.write = cb_write;
    e.host.irq = cb_irq;
    e.s->host = e.host;
    smmuv3_result r;
    assert_int_equal(t_xlate(&e, 2, false, 0, HOLE, 0, &r), SMMUV3_XLATE_ABORT);   /* EVENTQ irq */
    assert_int_equal(x.calls, 1);
    assert_int_equal(x.save_rc, SMMUV3_EINVAL);
    assert_int_equal(x.restore_rc, SMMUV3_EINVAL);
    cmd_op(e.s, e.mem, 0x7F);                                                       /* GERROR irq */
    assert_int_equal(x.calls, 2);
    assert_int_equal(x.save_rc, SMMUV3_EINVAL);
    assert_int_equal(x.restore_rc, SMMUV3_EINVAL);
    assert_int_equal(smmuv3_restore(e.s, x.snap, x.n), 0);   /* outside: fine */
    t_down(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip_fresh),
        cmocka_unit_test(test_roundtrip_running),
        cmocka_unit_test(test_roundtrip_command_error),
        cmocka_unit_test(test_roundtrip_stalls),
        cmocka_unit_test(test_roundtrip_eventq_overflow),
        cmocka_unit_test(test_roundtrip_gerror),
        cmocka_unit_test(test_roundtrip_wrapped_and_hidden_bits),
        cmocka_unit_test(test_save_erange),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_corrupt_every_byte),
        cmocka_unit_test(test_corrupt_semantic),
        cmocka_unit_test(test_semantic_checks),
        cmocka_unit_test(test_config_mismatch),
        cmocka_unit_test(test_failed_restore_keeps_caches),
        cmocka_unit_test(test_refused_in_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
