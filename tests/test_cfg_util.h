/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the streams-and-contexts tests (test_ste, test_cd,
 * test_lookup, test_cfgcache, test_translate, test_stall): an SMMU brought up
 * through MMIO as a driver would, raw STE/CD images set through the field
 * tables, tiny 4K page tables, and event records read from queue memory.
 * Header-only (static functions) so each test stays one translation unit.
 */
#ifndef TEST_CFG_UTIL_H
#define TEST_CFG_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>     /* SMMUV3_PTE_* descriptor bits only */
#include "model/smmu.h"
#include "smmu_new.h"

#define T_STRTAB 0x100000ull   /* stream table (linear or level 1) */
#define T_L2     0x200000ull   /* level-2 stream tables */
#define T_EVTQ   0x080000ull   /* 64 event records */
#define T_CMDQ   0x090000ull   /* 64 commands */
#define T_CD     0x400000ull   /* CD tables */
#define T_PT     0x800000ull   /* page tables (bump allocated) */
#define T_EVTQ_LOG2 6

typedef struct tenv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config c;
    uint32_t evcons;
    uint32_t cmdprod;
    uint64_t pt_next;
} tenv;

static inline uint32_t t_strtab_cfg(unsigned log2size, bool two_level, unsigned split)
{
    uint64_t r = 0;
    r = rset(r, F_STRTAB_BASE_CFG_log2size, log2size);
    r = rset(r, F_STRTAB_BASE_CFG_split, split);
    r = rset(r, F_STRTAB_BASE_CFG_fmt, two_level ? 1 : 0);
    return (uint32_t)r;
}

static inline void t_mmio32(tenv *e, uint64_t off, uint32_t v) { smmuv3_mmio_write(e->s, off, v, 4); }

/* Bring the SMMU up: stream table, event queue, command queue, CR2.RECINVSID, SMMUEN. */
static inline void t_up_cfg(tenv *e, const smmuv3_config *c, uint32_t strtab_cfg)
{
    memset(e, 0, sizeof(*e));
    e->c = *c;
    e->s = tst_smmu_on_mem(c, &e->mem, &e->host);
    e->pt_next = T_PT;
    smmuv3_mmio_write(e->s, REG_STRTAB_BASE, T_STRTAB, 8);
    t_mmio32(e, REG_STRTAB_BASE_CFG, strtab_cfg);
    smmuv3_mmio_write(e->s, REG_EVENTQ_BASE, T_EVTQ | T_EVTQ_LOG2, 8);
    t_mmio32(e, REG_EVENTQ_PROD, 0);
    t_mmio32(e, REG_EVENTQ_CONS, 0);
    smmuv3_mmio_write(e->s, REG_CMDQ_BASE, T_CMDQ | 6, 8);
    t_mmio32(e, REG_CMDQ_PROD, 0);
    t_mmio32(e, REG_CMDQ_CONS, 0);
    t_mmio32(e, REG_CR2, (uint32_t)rset(0, F_CR2_recinvsid, 1));
    uint64_t cr0 = rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1);
    t_mmio32(e, REG_CR0, (uint32_t)cr0);
    assert_int_equal(smmuv3_mmio_read(e->s, REG_CR0ACK, 4), cr0);
}

static inline void t_up(tenv *e, unsigned log2size)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    t_up_cfg(e, &c, t_strtab_cfg(log2size, false, 0));
}

static inline void t_down(tenv *e)
{
    smmuv3_free(e->s);
    smmuv3_mem_free(e->mem);
}

/* cmocka fixture (TEST_MAIN_FX(t_setup, t_teardown, ...)): *state is a tenv
 * brought up by t_up(e, 8). */
static inline int t_setup(void **state)
{
    tenv *e = test_malloc(sizeof(*e));
    t_up(e, 8);
    *state = e;
    return 0;
}

static inline int t_teardown(void **state)
{
    t_down(*state);
    test_free(*state);
    return 0;
}

/* ---------------------------------------------------------------- images */
static inline void t_write_words(tenv *e, uint64_t pa, const uint64_t *w, unsigned n)
{
    uint8_t b[64];
    le_store(b, w, n);
    assert_int_equal(smmuv3_mem_write(e->mem, pa, b, 8u * n), 0);
}

static inline void t_ste_at(tenv *e, uint32_t sid, const uint64_t ste[8])
{
    t_write_words(e, T_STRTAB + (uint64_t)sid * 64, ste, 8);
}

static inline void t_ste_bypass(uint64_t w[8])
{
    memset(w, 0, 64);
    fset(w, F_STE_v, 1);
    fset(w, F_STE_config, SMMU_STE_CFG_BYPASS);
}

static inline void t_ste_s1(uint64_t w[8], uint64_t cdptr, unsigned fmt, unsigned cdmax)
{
    memset(w, 0, 64);
    fset(w, F_STE_v, 1);
    fset(w, F_STE_config, SMMU_STE_CFG_S1);
    fset_addr(w, F_STE_s1contextptr, cdptr);
    fset(w, F_STE_s1fmt, fmt);
    fset(w, F_STE_s1cdmax, cdmax);
}

/* Fields of an STE or CD image and their values: T_FVS({ F_CD_tg0, 2 }, ...);
 * T_ADDR | f marks an address field (bits kept in place: fset_addr). */
typedef struct t_fv {
    uint32_t f;
    uint64_t v;
} t_fv;

typedef struct t_fvs {
    const t_fv *kv;
    size_t n;
} t_fvs;

#define T_ADDR 0x80000000u
#define T_FVS(...) { (const t_fv[]){ __VA_ARGS__ }, sizeof((const t_fv[]){ __VA_ARGS__ }) / sizeof(t_fv) }

static inline void t_set_fields(uint64_t *w, t_fvs fv)
{
    for (size_t i = 0; i < fv.n; i++) {
        if (fv.kv[i].f & T_ADDR)
            fset_addr(w, fv.kv[i].f & ~T_ADDR, fv.kv[i].v);
        else
            fset(w, fv.kv[i].f, fv.kv[i].v);
    }
}

/* Stage 2 fields: 4K granule, S2T0SZ 25 (39-bit IPA), start level 1, 48-bit PS, S2R. */
static inline void t_ste_s2_fields(uint64_t w[8], uint64_t s2ttb, uint16_t vmid)
{
    static const t_fv s2[] = {
        { F_STE_s2t0sz, 25 }, { F_STE_s2sl0, 1 }, { F_STE_s2tg, 0 }, { F_STE_s2ps, 5 }, { F_STE_s2aa64, 1 },
        { F_STE_s2r, 1 }, { F_STE_s2ir0, 1 }, { F_STE_s2or0, 1 }, { F_STE_s2sh0, 3 },
    };
    t_set_fields(w, (t_fvs){ s2, sizeof(s2) / sizeof(s2[0]) });
    fset(w, F_STE_s2vmid, vmid);
    fset_addr(w, F_STE_s2ttb, s2ttb);
}

static inline void t_ste_s2(uint64_t w[8], uint64_t s2ttb, uint16_t vmid)
{
    memset(w, 0, 64);
    fset(w, F_STE_v, 1);
    fset(w, F_STE_config, SMMU_STE_CFG_S2);
    t_ste_s2_fields(w, s2ttb, vmid);
}

/* A stage 1 CD: 4K granule, T0SZ 25 (39-bit VA, start level 1), IPS 48, A=R=1, EPD1. */
static inline void t_cd(uint64_t w[8], uint64_t ttb0, uint16_t asid)
{
    static const t_fv cd[] = {
        { F_CD_v, 1 }, { F_CD_aa64, 1 }, { F_CD_t0sz, 25 }, { F_CD_tg0, 0 }, { F_CD_ir0, 1 }, { F_CD_or0, 1 },
        { F_CD_sh0, 3 }, { F_CD_epd1, 1 }, { F_CD_ips, 5 }, { F_CD_a, 1 }, { F_CD_r, 1 },
        { F_CD_mair0, 0x044400FF },
    };
    memset(w, 0, 64);
    t_set_fields(w, (t_fvs){ cd, sizeof(cd) / sizeof(cd[0]) });
    fset(w, F_CD_asid, asid);
    fset_addr(w, F_CD_ttb0, ttb0);
}

/* Profiles the STE and CD checks depend on: the default with one change. */
enum { P_DEFAULT, P_SSID8, P_NO_CD2L, P_STALL_TERM, P_STALL_FORCED, P_NO_S1P, P_NO_16K, P_NO_16K_VAX,
       P_HTTU0, P_HTTU1, P_NO_VMID16, P_NO_S2P, P_NO_ASID16, P_TERM1, P_OAS52, P_SSID4, P_NO_SSID,
       P_NO_ATS, P_NO_HYP, P_NO_STT };

static inline void t_profile(unsigned p, smmuv3_config *c)
{
    smmuv3_config_default(c);
    switch (p) {
    case P_SSID8: c->ssidsize = 8; break;
    case P_NO_CD2L: c->cd_2level = false; break;
    case P_STALL_TERM: c->stall_model = SMMUV3_STALL_TERM_ONLY; break;
    case P_STALL_FORCED: c->stall_model = SMMUV3_STALL_FORCED; break;
    case P_NO_S1P: c->s1p = false; c->cd_2level = false; break;
    case P_NO_16K: c->gran16k = false; break;
    case P_NO_16K_VAX: c->gran16k = false; c->vax = false; break;
    case P_HTTU0: c->httu = 0; break;
    case P_HTTU1: c->httu = 1; break;
    case P_NO_VMID16: c->vmid16 = false; break;
    case P_NO_S2P: c->s2p = false; c->fwb = false; break;
    case P_NO_ASID16: c->asid16 = false; break;
    case P_TERM1: c->term_model = true; break;
    case P_OAS52: c->oas = 52; break;
    case P_SSID4: c->ssidsize = 4; break;
    case P_NO_SSID: c->ssidsize = 0; c->cd_2level = false; break;
    case P_NO_ATS: c->ats = c->pri = false; break;
    case P_NO_HYP: c->hyp = false; break;
    case P_NO_STT: c->stt = false; break;   /* no small translation tables (SEL2 goes with them) */
    default: break;
    }
}

/* t_up with profile p (P_*) and a linear 256-entry stream table. */
static inline void t_up_profile(tenv *e, unsigned p)
{
    smmuv3_config c;
    t_profile(p, &c);
    t_up_cfg(e, &c, t_strtab_cfg(8, false, 0));
}

/* ---------------------------------------------------------------- page tables */
/* A new zeroed 4K table (physical). */
static inline uint64_t t_pt_new(tenv *e)
{
    uint64_t pa = e->pt_next;
    e->pt_next += 0x1000;
    return pa;
}

static inline uint64_t t_read64(tenv *e, uint64_t pa)
{
    uint8_t b[8];
    assert_int_equal(smmuv3_mem_read(e->mem, pa, b, 8), 0);
    return le64_load(b);
}

static inline void t_write64(tenv *e, uint64_t pa, uint64_t v)
{
    uint8_t b[8];
    le64_store(b, v);
    assert_int_equal(smmuv3_mem_write(e->mem, pa, b, 8), 0);
}

/* Map one 4K page in a 39-bit, start-level-1 table whose tables are
 * physical (`to_pa` NULL) and return nothing; leaf per stage. */
static inline void t_map(tenv *e, uint64_t root, uint64_t va, uint64_t pa, bool s2, bool write)
{
    uint64_t table = root;
    for (int level = 1; level < 3; level++) {
        uint64_t da = table + ((va >> (12 + 9 * (3 - level))) & 511) * 8;
        uint64_t d = t_read64(e, da);
        if (!(d & SMMUV3_PTE_VALID)) {
            uint64_t t = t_pt_new(e);
            d = t | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE;
            t_write64(e, da, d);
        }
        table = d & 0x0000FFFFFFFFF000ull;
    }
    uint64_t leaf = (pa & 0x0000FFFFFFFFF000ull) | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE |
                    SMMUV3_PTE_AF | SMMUV3_PTE_SH(3);
    if (s2)
        leaf |= SMMUV3_PTE_MEMATTR(0xF) | SMMUV3_PTE_S2AP_R | (write ? SMMUV3_PTE_S2AP_W : 0);
    else
        leaf |= SMMUV3_PTE_ATTRINDX(0) | SMMUV3_PTE_AP1 | SMMUV3_PTE_NG | (write ? 0 : SMMUV3_PTE_AP2);
    t_write64(e, table + ((va >> 12) & 511) * 8, leaf);
}

/* A valid CD (CD.S set where the stall model forces it) at cd_pa, its new
 * page table mapping the page va to pa (stage 1, writable); returns the
 * table's root. */
static inline uint64_t t_cd_mapping(tenv *e, uint64_t cd_pa, uint16_t asid, uint64_t va, uint64_t pa)
{
    uint64_t cd[8];
    uint64_t root = t_pt_new(e);
    t_map(e, root, va, pa, false, true);
    t_cd(cd, root, asid);
    if (e->c.stall_model == SMMUV3_STALL_FORCED)
        fset(cd, F_CD_s, 1);                             /* CD.S is RES1 under the forced stall model */
    t_write_words(e, cd_pa, cd, 8);
    return root;
}

/* ---------------------------------------------------------------- transactions */
static inline int t_xlate(tenv *e, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint32_t flags,
                          smmuv3_result *res)
{
    smmuv3_txn t = { .sid = sid, .ssid = ssid, .ssv = ssv, .addr = addr, .flags = flags };
    return smmuv3_translate(e->s, &t, res);
}

/* ---------------------------------------------------------------- events */
static inline bool t_event(tenv *e, uint64_t w[4])
{
    uint32_t mask = (1u << (T_EVTQ_LOG2 + 1)) - 1;
    uint32_t prod = (uint32_t)smmuv3_mmio_read(e->s, REG_EVENTQ_PROD, 4);
    if ((prod & mask) == (e->evcons & mask))
        return false;
    uint8_t b[32];
    uint64_t idx = e->evcons & ((1u << T_EVTQ_LOG2) - 1);
    assert_int_equal(smmuv3_mem_read(e->mem, T_EVTQ + idx * 32, b, 32), 0);
    le_load(w, b, 4);
    e->evcons = (e->evcons + 1) & mask;
    t_mmio32(e, REG_EVENTQ_CONS, e->evcons);
    return true;
}

static inline void t_no_event(tenv *e)
{
    uint64_t w[4];
    if (t_event(e, w))
        fail_msg("unexpected event 0x%02x (dw0 %016llx)", (unsigned)fget(w, F_EVENT_eventid),
                 (unsigned long long)w[0]);
}

/* Expect one event record with this EventID, StreamID, SSV and SubstreamID. */
static inline void t_expect_event(tenv *e, unsigned id, uint32_t sid, bool ssv, uint32_t ssid, uint64_t w[4])
{
    uint64_t tmp[4];
    uint64_t *r = w ? w : tmp;
    if (!t_event(e, r))
        fail_msg("expected event 0x%02x, the queue is empty", id);
    assert_int_equal(fget(r, F_EVENT_eventid), id);
    assert_int_equal(fget(r, F_EVENT_streamid), sid);
    /* C_BAD_SUBSTREAMID has no SSV bit (7.3.9: bits 11:8 RES0), the SubstreamID is always
     * given; F_STREAM_DISABLED has neither (7.3.7). */
    if (id == SMMUV3_EVT_C_BAD_SUBSTREAMID) {
        assert_int_equal(fget(r, F_EVENT_ssv), 0);
        assert_int_equal(fget(r, F_EVENT_substreamid), ssid);
    } else if (id == SMMUV3_EVT_F_STREAM_DISABLED) {
        assert_int_equal(fget(r, F_EVENT_ssv), 0);
        assert_int_equal(fget(r, F_EVENT_substreamid), 0);
    } else {
        assert_int_equal(fget(r, F_EVENT_ssv), ssv);
        assert_int_equal(fget(r, F_EVENT_substreamid), ssv ? ssid : 0);
    }
}

/* ---------------------------------------------------------------- commands */
static inline void t_cmd(tenv *e, const uint64_t cmd[2])
{
    uint8_t b[16];
    le_store(b, cmd, 2);
    uint32_t idx = e->cmdprod & 63;
    assert_int_equal(smmuv3_mem_write(e->mem, T_CMDQ + idx * 16, b, 16), 0);
    e->cmdprod = (e->cmdprod + 1) & 127;
    t_mmio32(e, REG_CMDQ_PROD, e->cmdprod);
    uint32_t cons = (uint32_t)smmuv3_mmio_read(e->s, REG_CMDQ_CONS, 4);
    assert_int_equal(cons & 127, e->cmdprod);
    assert_int_equal(rget(cons, F_Q_CONS_err), 0);
}

static inline void t_cfgi_ste(tenv *e, uint32_t sid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_CFGI_STE_opcode, SMMUV3_CMD_CFGI_STE);
    fset(c, F_CMD_CFGI_STE_sid, sid);
    fset(c, F_CMD_CFGI_STE_leaf, 1);
    t_cmd(e, c);
}

#endif
