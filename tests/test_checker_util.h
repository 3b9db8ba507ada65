/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers of the driver checker tests (test_checker_*.c): an SMMU
 * brought up by the driver helper (a correct driver) with the checker on from
 * the start, a collector of reports, and stage 1 / stage 2 streams built
 * with the public builders. Header-only so each test stays one unit.
 */
#ifndef TEST_CHECKER_UTIL_H
#define TEST_CHECKER_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "fixture.h"
#include "smmu_new.h"

#define CK_MAX 64
#define CK_IOVA 0x10000ull
#define CK_PA   0x20000000ull

typedef struct ck_report {
    int code;
    uint32_t sid, ssid;
    uint64_t addr;
    char msg[320];
} ck_report;

typedef struct cenv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_alloc al;
    smmuv3_space pa;
    smmuv3_strtab st;
    smmuv3_driver drv;
    smmuv3_pt pt;          /* ck_up_s1's stream */
    smmuv3_cdtab cds;
    int n;                 /* reports received */
    ck_report r[CK_MAX];
} cenv;

static void ck_collect(void *ctx, const smmuv3_diag *d)
{
    cenv *e = ctx;
    assert_non_null(d->msg);
    assert_true(strlen(d->msg) > 0);
    assert_null(strchr(d->msg, '\n'));        /* one line */
    assert_non_null(strstr(d->msg, "IHI 0070"));
    if (e->n < CK_MAX) {
        ck_report *r = &e->r[e->n];
        r->code = d->code;
        r->sid = d->sid;
        r->ssid = d->ssid;
        r->addr = d->addr;
        snprintf(r->msg, sizeof(r->msg), "%s", d->msg);
    }
    e->n++;
}

static inline int ck_count(const cenv *e, int code)
{
    int k = 0;
    for (int i = 0; i < e->n && i < CK_MAX; i++)
        k += e->r[i].code == code;
    return k;
}

static inline const ck_report *ck_first(const cenv *e, int code)
{
    for (int i = 0; i < e->n && i < CK_MAX; i++)
        if (e->r[i].code == code)
            return &e->r[i];
    return NULL;
}

/* Print what was reported (helps when a silent twin is not silent). */
static inline void ck_dump(const cenv *e)
{
    for (int i = 0; i < e->n && i < CK_MAX; i++)
        print_message("diag %s: %s\n", smmuv3_diag_name(e->r[i].code), e->r[i].msg);
}

#define CK_ANY UINT64_MAX

/* Exactly one report so far: code, for StreamID sid and at addr (CK_ANY:
 * any), its message holding text (NULL: any). */
static inline void ck_expect_one(const cenv *e, int code, uint64_t sid, uint64_t addr, const char *text)
{
    if (e->n != 1)
        ck_dump(e);
    assert_int_equal(e->n, 1);
    assert_int_equal(e->r[0].code, code);
    if (sid != CK_ANY)
        assert_int_equal(e->r[0].sid, sid);
    if (addr != CK_ANY)
        assert_int_equal(e->r[0].addr, addr);
    if (text && !strstr(e->r[0].msg, text))
        fail_msg("report \"%s\" lacks \"%s\"", e->r[0].msg, text);
}

static inline void ck_assert_silent(const cenv *e)
{
    if (e->n)
        ck_dump(e);
    assert_int_equal(e->n, 0);
}

/* A faulty case and its twin: the twin (twin != 0) stays silent, the faulty
 * case reports exactly once as ck_expect_one. */
static inline void ck_expect_twin(const cenv *e, int twin, int code, uint64_t sid, uint64_t addr, const char *text)
{
    if (twin)
        ck_assert_silent(e);
    else
        ck_expect_one(e, code, sid, addr, text);
}

/* An SMMU of configuration c (NULL: the default) with the checker on, its
 * guest memory, allocator and PA space; no stream table, no driver yet. */
static inline void ck_new(cenv *e, const smmuv3_config *c)
{
    memset(e, 0, sizeof(*e));
    e->mem = smmuv3_mem_new();
    assert_non_null(e->mem);
    smmuv3_host_from_mem(&e->host, e->mem);
    e->s = tst_smmu_new(c, &e->host);
    smmuv3_set_diag(e->s, ck_collect, e);
    assert_int_equal(smmuv3_alloc_init(&e->al, 0x40000000ull, 0x10000000ull), 0);
    assert_int_equal(smmuv3_space_init(&e->pa, &e->host, &e->al), 0);
}

/* ck_new, a linear stream table of 256 STEs (or 2-level, SPLIT 6), brought
 * up by the driver helper (dcfg NULL: its defaults); nothing may be reported. */
static inline void ck_up_cfg(cenv *e, const smmuv3_config *c, bool two_level, const smmuv3_driver_cfg *dcfg)
{
    ck_new(e, c);
    if (two_level)
        assert_int_equal(smmuv3_strtab_init_2level(&e->st, &e->pa, 12, 6, SMMUV3_BUILD_ALLOC), 0);
    else
        assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->pa, 8, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_driver_init(&e->drv, e->s, &e->pa, &e->st, dcfg), 0);
    ck_assert_silent(e);
}

static inline void ck_up(cenv *e)
{
    ck_up_cfg(e, NULL, false, NULL);
}

static inline void ck_down(cenv *e)
{
    fixture_free_instance(&e->s, &e->mem);
}

/* ck_up with a 2-level stream table. */
static inline void ck_up_2level(cenv *e)
{
    ck_up_cfg(e, NULL, true, NULL);
}

/* cmocka fixtures: *state a cenv after ck_up. */
static inline void ck_up_obj(void *e) { ck_up(e); }
static inline void ck_down_obj(void *e) { ck_down(e); }
static inline int ck_fx_up(void **state) { return fixture_up(state, sizeof(cenv), ck_up_obj); }
static inline int ck_fx_down(void **state) { return fixture_release(state, ck_down_obj); }

/* Runs body(e, v) for each variant v in [0, n) (a faulty case and its twins),
 * each on a fresh SMMU: up(e) (NULL: the body brings it up itself), then
 * ck_down. */
typedef void (*ck_body)(cenv *e, int variant);
static inline void ck_run(void (*up)(cenv *e), ck_body body, int n)
{
    for (int v = 0; v < n; v++) {
        cenv e;
        memset(&e, 0, sizeof(e));
        if (up)
            up(&e);
        body(&e, v);
        ck_down(&e);
    }
}

/* The cmocka test `name`: ck_run(up, name##_case, n). */
#define CK_TEST(name, up, n)                                                                       \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        ck_run(up, name##_case, n);                                                                \
    }

/* CD 0 of the CD table cds (made by the caller) for the stage 1 table pt,
 * ASID asid, CD.HA and CD.HD when httu; the STE pointing at cds in ste, not
 * written. */
static inline void ck_cd0_ste(smmuv3_pt *pt, uint16_t asid, bool httu, smmuv3_cdtab *cds,
                              uint8_t ste[SMMUV3_STE_BYTES])
{
    smmuv3_cd_params cp;
    assert_int_equal(smmuv3_cd_params_from_pt(pt, asid, &cp), 0);
    cp.ha = cp.hd = httu;
    uint8_t cd[SMMUV3_CD_BYTES];
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(cds, 0, cd), 0);
    assert_int_equal(smmuv3_ste_s1(ste, cds->base, cds->fmt, cds->cdmax), 0);
}

/* A stage 1 stream over the table pt (made by the caller): CD 0 of a new
 * linear CD table cds, as ck_cd0_ste. */
static inline void ck_s1_over(cenv *e, uint32_t sid, uint16_t asid, bool httu, smmuv3_pt *pt, smmuv3_cdtab *cds)
{
    assert_int_equal(smmuv3_cdtab_init(cds, &e->pa, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC), 0);
    uint8_t ste[SMMUV3_STE_BYTES];
    ck_cd0_ste(pt, asid, httu, cds, ste);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, sid, ste), 0);
}

/* A stage 1 stream: one CD (ASID asid) over a 4K table mapping
 * [CK_IOVA, +64K) to `pa`. */
static inline void ck_s1(cenv *e, uint32_t sid, uint16_t asid, uint64_t pa, smmuv3_pt *pt, smmuv3_cdtab *cds)
{
    assert_int_equal(smmuv3_pt_init_s1(pt, &e->pa, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(pt, CK_IOVA, pa, 0x10000, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES, 0), 0);
    ck_s1_over(e, sid, asid, false, pt, cds);
}

/* Stream sid as ck_s1 (to CK_PA) in e->pt and e->cds. */
static inline void ck_add_s1(cenv *e, uint32_t sid, uint16_t asid)
{
    ck_s1(e, sid, asid, CK_PA, &e->pt, &e->cds);
}

/* ck_up, then ck_add_s1. */
static inline void ck_up_s1(cenv *e, uint32_t sid, uint16_t asid)
{
    ck_up(e);
    ck_add_s1(e, sid, asid);
}

/* A stage 2 stream (VMID vmid) over the table pt (made by the caller). */
static inline void ck_s2_over(cenv *e, uint32_t sid, uint16_t vmid, smmuv3_pt *pt)
{
    smmuv3_s2_params p;
    assert_int_equal(smmuv3_s2_params_from_pt(pt, vmid, &p), 0);
    uint8_t ste[SMMUV3_STE_BYTES];
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, sid, ste), 0);
}

/* A stage 2 stream (VMID vmid) mapping IPA [CK_IOVA, +64K) to `pa`. */
static inline void ck_s2(cenv *e, uint32_t sid, uint16_t vmid, uint64_t pa, smmuv3_pt *pt)
{
    assert_int_equal(smmuv3_pt_init_s2(pt, &e->pa, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(pt, CK_IOVA, pa, 0x10000, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0), 0);
    ck_s2_over(e, sid, vmid, pt);
}

static inline int ck_xlate(cenv *e, uint32_t sid, uint64_t addr, uint32_t flags, uint64_t *pa)
{
    smmuv3_txn t = { .sid = sid, .addr = addr, .flags = flags };
    smmuv3_result r;
    int rc = smmuv3_translate(e->s, &t, &r);
    if (pa)
        *pa = r.pa;
    return rc;
}

static inline uint64_t ck_ste_pa(cenv *e, uint32_t sid)
{
    uint64_t a = 0;
    assert_int_equal(smmuv3_strtab_ste_addr(&e->st, sid, false, &a), 0);
    return a;
}

#endif
