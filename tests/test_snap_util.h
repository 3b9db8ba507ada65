/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the snapshot tests (test_snapshot.c, test_snapshot_reject.c):
 * a world with streams of every kind, commands submitted whatever the queue
 * state, a log of everything an instance shows (every register offset,
 * translations, stall polls, event records, counters, memory written), and
 * ways to patch a snapshot (find a section, make its CRC right again).
 * Header-only, like test_cfg_util.h.
 */
#ifndef TEST_SNAP_UTIL_H
#define TEST_SNAP_UTIL_H

#include "test_cfg_util.h"
#include <stdlib.h>
#include "model/snapshot.h"
#define IOVA 0x6789000ull
#define HOLE 0x6800000ull   /* unmapped */
#define T_MSI 0x070000ull   /* MSI target page */
#define T_PRIQ 0x0A0000ull  /* 8 PRI queue records */
#define T_SCMDQ 0x0B0000ull /* the Secure command queue (16 commands; the Secure PA space is the same memory) */
#define T_SEVTQ 0x0C0000ull /* the Secure event queue (16 records) */
#define MEM_SPAN 0x2000000ull

/* ---------------------------------------------------------------- the world */
static inline void world_cfg(tenv *e, const smmuv3_config *c)
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
    /* the PRI queue, when the profile has PRI */
    if (c->pri) {
        smmuv3_mmio_write(e->s, REG_PRIQ_BASE, T_PRIQ | 3, 8);
        uint32_t cr0 = (uint32_t)smmuv3_mmio_read(e->s, REG_CR0, 4) | (uint32_t)smmu_fmask(F_CR0_priqen);
        t_mmio32(e, REG_CR0, cr0);
        assert_int_equal(smmuv3_mmio_read(e->s, REG_CR0ACK, 4), cr0);
    }
    /* event queue MSI, GERROR and PRI queue wired; all enabled */
    smmuv3_mmio_write(e->s, REG_EVENTQ_IRQ_CFG0, T_MSI, 8);
    t_mmio32(e, REG_EVENTQ_IRQ_CFG1, 0xE1);
    t_mmio32(e, REG_IRQ_CTRL, 7);
}

static inline void world(tenv *e)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    world_cfg(e, &c);
}

/* A command at CMDQ_PROD, whatever the state of the queue (no checks). */
static inline void submit(smmuv3 *s, smmuv3_mem *mem, const uint64_t cmd[2])
{
    uint8_t b[16];
    le_store(b, cmd, 2);
    uint32_t prod = (uint32_t)smmuv3_mmio_read(s, REG_CMDQ_PROD, 4) & 127;
    smmuv3_mem_write(mem, T_CMDQ + (prod & 63) * 16ull, b, 16);
    smmuv3_mmio_write(s, REG_CMDQ_PROD, (prod + 1) & 127, 4);
}

static inline void cmd_resume(smmuv3 *s, smmuv3_mem *mem, uint32_t sid, uint16_t stag, unsigned action)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_RESUME_opcode, SMMUV3_CMD_RESUME);
    fset(c, F_CMD_RESUME_sid, sid);
    fset(c, F_CMD_RESUME_action, action);
    fset(c, F_CMD_RESUME_stag, stag);
    submit(s, mem, c);
}

static inline void cmd_sync_msi(smmuv3 *s, smmuv3_mem *mem, uint32_t data)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_SYNC_opcode, SMMUV3_CMD_SYNC);
    fset(c, F_CMD_SYNC_cs, 1);
    fset(c, F_CMD_SYNC_msidata, data);
    fset_addr(c, F_CMD_SYNC_msiaddr, T_MSI + 0x10);
    submit(s, mem, c);
}

/* A command on the Secure queue (raw dw0), whatever its state. */
static inline void secure_cmd(smmuv3 *s, smmuv3_mem *mem, uint64_t dw0)
{
    uint8_t b[16] = { 0 };
    for (unsigned i = 0; i < 8; i++)
        b[i] = (uint8_t)(dw0 >> (8 * i));
    uint32_t prod = (uint32_t)smmuv3_mmio_read_sec(s, 0x8098, 4, true) & 31;
    smmuv3_mem_write(mem, T_SCMDQ + (prod & 15) * 16ull, b, 16);
    smmuv3_mmio_write_sec(s, 0x8098, (prod + 1) & 31, 4, true);
}

static inline void cmd_op(smmuv3 *s, smmuv3_mem *mem, unsigned op)
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

static inline void put(obs *o, uint64_t v)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 4096;
        o->v = realloc(o->v, o->cap * sizeof(*o->v));
        assert_non_null(o->v);
    }
    o->v[o->n++] = v;
}

/* Every 32-bit register offset of both pages, Non-secure and Secure accesses, and the 64-bit views. */
static inline void observe_regs(smmuv3 *s, obs *o)
{
    for (uint64_t off = 0; off < 0x20000; off += 4)
        put(o, smmuv3_mmio_read(s, off, 4));
    for (uint64_t off = 0; off < 0x20000; off += 4)
        put(o, smmuv3_mmio_read_sec(s, off, 4, true));
    for (uint64_t off = 0; off < 0x100; off += 8)
        put(o, smmuv3_mmio_read(s, off, 8));
}

static const smmuv3_txn txns[] = {
    { .sid = 1, .addr = IOVA }, { .sid = 1, .addr = HOLE }, { .sid = 2, .addr = IOVA, .flags = SMMUV3_TXN_WRITE },
    { .sid = 2, .addr = HOLE }, { .sid = 3, .addr = IOVA }, { .sid = 3, .addr = HOLE },
    { .sid = 4, .addr = 0x1234 }, { .sid = 99, .addr = 0 }, { .sid = 2, .addr = IOVA },
    { .sid = 1, .addr = IOVA, .flags = SMMUV3_TXN_SECURE },
};

static inline void observe_txns(smmuv3 *s, obs *o)
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

/* Page Requests of StreamID 1, the last of each group of two. */
static inline void observe_pri(smmuv3 *s, obs *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        smmuv3_pri_req q = { .sid = 1, .addr = 0x10000ull * i, .perm = SMMUV3_PERM_R, .prgi = (uint16_t)(i / 2),
                             .last = i % 2 };
        put(o, (uint64_t)(int64_t)smmuv3_pri_request(s, &q));
    }
}

static inline void observe_stalls(smmuv3 *s, obs *o)
{
    for (uint32_t sid = 1; sid <= 3; sid += 2)
        for (uint16_t stag = 0; stag < 6; stag++)
            put(o, (uint64_t)(int64_t)smmuv3_stall_poll(s, sid, stag));
}

static inline void observe_events(smmuv3 *s, smmuv3_mem *mem, obs *o)
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

static inline void observe_stats(smmuv3 *s, obs *o)
{
    smmuv3_stats st;
    smmuv3_get_stats(s, &st);
    /* the counters caches do not change (a restored instance starts cold) */
    const uint64_t v[] = { st.translations, st.commands, st.events, st.events_lost, st.sev,
                           st.irqs[0], st.irqs[1], st.irqs[2], st.irqs[3], st.msis };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        put(o, v[i]);
}

static inline void observe_mem(smmuv3_mem *mem, obs *o)
{
    uint8_t b[8];
    for (uint64_t a = T_EVTQ; a < T_EVTQ + 64 * 32; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
    for (uint64_t a = T_SEVTQ; a < T_SEVTQ + 16 * 32; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
    for (uint64_t a = T_PRIQ; a < T_PRIQ + 8 * 16; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
    for (uint64_t a = T_MSI; a < T_MSI + 0x20; a += 8) {
        smmuv3_mem_read(mem, a, b, 8);
        put(o, le64_load(b));
    }
}

/* The same continuation for both instances. */
static inline void continuation(smmuv3 *s, smmuv3_mem *mem, obs *o)
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
    observe_pri(s, o, 5);
    observe_regs(s, o);
    smmuv3_mmio_write(s, REG_PRIQ_CONS, smmuv3_mmio_read(s, REG_PRIQ_PROD, 4), 4);   /* drained, overflow acknowledged */
    observe_pri(s, o, 3);
    observe_txns(s, o);
    observe_txns(s, o);
    observe_stalls(s, o);
    observe_events(s, mem, o);
    observe_regs(s, o);
    observe_stats(s, o);
    observe_mem(mem, o);
}

/* ---------------------------------------------------------------- round trip */
static inline uint8_t *save_all(smmuv3 *s, size_t *n)
{
    assert_int_equal(smmuv3_save(s, NULL, 0, n), SMMUV3_ERANGE);
    uint8_t *b = malloc(*n);
    assert_non_null(b);
    size_t m = 0;
    assert_int_equal(smmuv3_save(s, b, *n, &m), 0);
    assert_int_equal(m, *n);
    return b;
}

static inline void copy_mem(smmuv3_mem *dst, smmuv3_mem *src)
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

static inline void fix_crc(uint8_t *b, size_t n)
{
    uint32_t c = smmu_snap_crc32(b, n - 4);
    for (unsigned i = 0; i < 4; i++)
        b[n - 4 + i] = (uint8_t)(c >> (8 * i));
}

static inline uint32_t rd32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static inline void wr32(uint8_t *p, uint32_t v) { for (unsigned i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i)); }

/* Offset of the payload of the section with this tag (its length in *len). */
static inline size_t section(const uint8_t *b, size_t n, const char tag[4], uint32_t *len)
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
static inline void unchanged(smmuv3 *s, const uint8_t *orig, size_t n, const obs *regs)
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
static inline void busy_world(tenv *e)
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

#endif
