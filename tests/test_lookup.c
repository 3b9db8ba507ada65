/* Unit tests: configuration lookup (src/lookup.c, IHI 0070 5.1..5.4, 7.3): StreamID ranges,
 * linear and 2-level stream tables, fetch aborts, substreams, S1DSS, 2-level CD tables. */
#include "test_cfg_util.h"
#include "cfgfx.h"
#include "test_main.h"

#define IOVA 0x3456000ull

static void l1std(tenv *e, uint32_t idx, uint64_t l2, unsigned span)
{
    uint64_t w = 0;
    fset(&w, F_L1STD_span, span);
    fset_addr(&w, F_L1STD_l2ptr, l2);
    t_write64(e, T_STRTAB + idx * 8ull, w);
}

static void l1cd(tenv *e, uint64_t pa, uint64_t l2, bool v)
{
    uint64_t w = 0;
    fset(&w, F_L1CD_v, v);
    fset_addr(&w, F_L1CD_l2ptr, l2);
    t_write64(e, pa, w);
}

static void expect_ok_bypass(tenv *e, uint32_t sid)
{
    smmuv3_result r;
    int rc = t_xlate(e, sid, false, 0, IOVA, 0, &r);
    if (rc != 0 || !r.bypass || r.pa != IOVA)
        fail_msg("sid 0x%x: outcome %d fault 0x%x, expected bypass", sid, rc, r.fault);
}

static void expect_fault(tenv *e, uint32_t sid, bool ssv, uint32_t ssid, unsigned id)
{
    smmuv3_result r;
    int rc = t_xlate(e, sid, ssv, ssid, IOVA, 0, &r);
    if (rc != SMMUV3_XLATE_ABORT || r.fault != id)
        fail_msg("sid 0x%x ssid 0x%x: outcome %d fault 0x%x, expected 0x%x", sid, ssid, rc, r.fault, id);
    t_expect_event(e, id, sid, ssv, ssid, NULL);
}

/* StreamID beyond STRTAB_BASE_CFG.LOG2SIZE and beyond IDR1.SIDSIZE. */
static void test_sid_range(void **state)
{
    (void)state;
    tenv e;
    uint64_t ste[8];
    t_up(&e, 4);
    t_ste_bypass(ste);
    t_ste_at(&e, 15, ste);
    expect_ok_bypass(&e, 15);
    expect_fault(&e, 16, false, 0, SMMUV3_EVT_C_BAD_STREAMID);
    uint64_t w[4];
    smmuv3_result r;
    t_xlate(&e, 0x12345, true, 9, IOVA, 0, &r);
    assert_true(t_event(&e, w));
    assert_int_equal(w[0], 0x0001234500000000ull | 9ull << 12 | 1ull << 11 | 0x02);
    assert_int_equal(w[1] | w[2] | w[3], 0);
    /* RECINVSID = 0: still aborted, nothing recorded */
    t_mmio32(&e, REG_CR0, 0);
    t_mmio32(&e, REG_CR2, 0);
    t_mmio32(&e, REG_CR0, (uint32_t)rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1));
    assert_int_equal(t_xlate(&e, 16, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_STREAMID);
    assert_int_equal(r.event, 0);
    t_no_event(&e);
    t_down(&e);

    /* LOG2SIZE 10 but SIDSIZE 8: SIDs from 256 are out of range */
    smmuv3_config c = CFGFX(CF(sidsize, 8));
    t_up_cfg(&e, &c, t_strtab_cfg(10, false, 0));
    t_ste_at(&e, 255, ste);
    t_ste_at(&e, 256, ste);
    expect_ok_bypass(&e, 255);
    expect_fault(&e, 256, false, 0, SMMUV3_EVT_C_BAD_STREAMID);
    t_no_event(&e);
    t_down(&e);
}

/* 2-level stream tables with SPLIT 6, 8, 10: SIDs at the edges of an L2
 * table, Span 0, a short Span, a Span beyond SPLIT+1. */
static void test_two_level(void **state)
{
    (void)state;
    static const unsigned splits[] = { 6, 8, 10 };
    for (unsigned k = 0; k < 3; k++) {
        unsigned split = splits[k];
        smmuv3_config c;
        smmuv3_config_default(&c);
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(split + 2, true, split));
        uint64_t ste[8];
        t_ste_bypass(ste);
        uint64_t n = 1ull << split;
        /* L1[1]: a full L2 table; bypass STEs at its first and last entries */
        uint64_t l2 = T_L2 + 0x100000;
        l1std(&e, 1, l2, split + 1);
        t_write_words(&e, l2, ste, 8);
        t_write_words(&e, l2 + (n - 1) * 64, ste, 8);
        expect_ok_bypass(&e, (uint32_t)n);
        expect_ok_bypass(&e, (uint32_t)(2 * n - 1));
        expect_fault(&e, (uint32_t)n + 1, false, 0, SMMUV3_EVT_C_BAD_STE);
        expect_fault(&e, (uint32_t)(2 * n - 2), false, 0, SMMUV3_EVT_C_BAD_STE);
        /* L1[0]: Span 0 */
        expect_fault(&e, 0, false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        expect_fault(&e, (uint32_t)n - 1, false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        /* L1[2]: Span 2 (two STEs); index 2 is beyond it */
        uint64_t l2b = T_L2 + 0x200000;
        l1std(&e, 2, l2b, 2);
        t_write_words(&e, l2b + 64, ste, 8);
        expect_ok_bypass(&e, (uint32_t)(2 * n + 1));
        expect_fault(&e, (uint32_t)(2 * n), false, 0, SMMUV3_EVT_C_BAD_STE);
        expect_fault(&e, (uint32_t)(2 * n + 2), false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        /* L1[3]: Span beyond SPLIT + 1 (or Reserved) */
        l1std(&e, 3, T_L2 + 0x400000, split + 2);
        expect_fault(&e, (uint32_t)(3 * n), false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        l1std(&e, 3, T_L2 + 0x400000, 12);
        expect_fault(&e, (uint32_t)(3 * n + 1), false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        /* beyond LOG2SIZE */
        expect_fault(&e, (uint32_t)(4 * n), false, 0, SMMUV3_EVT_C_BAD_STREAMID);
        /* L2Ptr low bits below the table size are ignored */
        uint64_t l2c = T_L2 + 0x800000;
        l1std(&e, 3, l2c + 0x40, split + 1);
        t_write_words(&e, l2c + 5 * 64, ste, 8);
        expect_ok_bypass(&e, (uint32_t)(3 * n + 5));
        t_no_event(&e);
        t_down(&e);
    }
}

/* F_STE_FETCH (linear STE, L1STD, L2 STE) and F_CD_FETCH (CD, L1CD) with FetchAddr. */
static void test_fetch_aborts(void **state)
{
    (void)state;
    tenv e;
    uint64_t w[4];
    smmuv3_result r;
    t_up(&e, 8);
    assert_int_equal(smmuv3_mem_add_abort(e.mem, T_STRTAB + 3 * 64 + 8, 8), 0);
    assert_int_equal(t_xlate(&e, 3, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_STE_FETCH);
    t_expect_event(&e, SMMUV3_EVT_F_STE_FETCH, 3, false, 0, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), T_STRTAB + 3 * 64);

    /* CD fetch abort: linear CD table, SubstreamID 5 */
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 4);
    t_ste_at(&e, 4, ste);
    assert_int_equal(smmuv3_mem_add_abort(e.mem, T_CD + 5 * 64, 64), 0);
    assert_int_equal(t_xlate(&e, 4, true, 5, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_CD_FETCH, 4, true, 5, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), T_CD + 5 * 64);

    /* L1CD fetch abort: 2-level 4K leaves, SSID 0x85 -> L1CD[2] */
    uint64_t l1 = T_CD + 0x20000;
    t_ste_s1(ste, l1, 1, 8);
    t_ste_at(&e, 6, ste);
    assert_int_equal(smmuv3_mem_add_abort(e.mem, l1 + 2 * 8, 8), 0);
    assert_int_equal(t_xlate(&e, 6, true, 0x85, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_CD_FETCH, 6, true, 0x85, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), l1 + 16);
    /* a failed fetch is not cached: the next transaction fetches (and fails) again */
    assert_int_equal(t_xlate(&e, 6, true, 0x85, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_CD_FETCH, 6, true, 0x85, NULL);
    t_no_event(&e);
    t_down(&e);

    /* 2-level stream table: L1STD and L2 STE aborts */
    smmuv3_config c;
    smmuv3_config_default(&c);
    t_up_cfg(&e, &c, t_strtab_cfg(10, true, 6));
    assert_int_equal(smmuv3_mem_add_abort(e.mem, T_STRTAB + 2 * 8, 8), 0);
    assert_int_equal(t_xlate(&e, 2 * 64 + 7, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_STE_FETCH, 2 * 64 + 7, false, 0, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), T_STRTAB + 16);
    /* an L2Ptr beyond the OAS: F_STE_FETCH (FetchAddr bits [55:OAS] are RES0, 7.3.4) */
    l1std(&e, 4, 1ull << 50, 7);
    assert_int_equal(t_xlate(&e, 4 * 64 + 2, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_STE_FETCH, 4 * 64 + 2, false, 0, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), 2 * 64);
    l1std(&e, 3, T_L2, 7);
    assert_int_equal(smmuv3_mem_add_abort(e.mem, T_L2 + 9 * 64, 64), 0);
    assert_int_equal(t_xlate(&e, 3 * 64 + 9, true, 1, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&e, SMMUV3_EVT_F_STE_FETCH, 3 * 64 + 9, true, 1, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), T_L2 + 9 * 64);
    t_no_event(&e);
    t_down(&e);
}

/* Linear CD table: per-SubstreamID CDs, SSIDs beyond S1CDMax, SSV on S1CDMax 0. */
static void test_substreams(void **state)
{
    (void)state;
    tenv e;
    smmuv3_result r;
    t_up(&e, 8);
    uint64_t ste[8];
    t_cd_mapping(&e, T_CD, 1, IOVA, 0xA000000);
    t_cd_mapping(&e, T_CD + 3 * 64, 3, IOVA, 0xA300000);
    t_ste_s1(ste, T_CD, 0, 4);
    fset(ste, F_STE_s1dss, 2);
    t_ste_at(&e, 1, ste);
    assert_int_equal(t_xlate(&e, 1, true, 3, IOVA + 8, 0, &r), 0);
    assert_int_equal(r.pa, 0xA300008);
    assert_int_equal(t_xlate(&e, 1, false, 0, IOVA + 8, 0, &r), 0);    /* S1DSS: substream 0 */
    assert_int_equal(r.pa, 0xA000008);
    expect_fault(&e, 1, true, 0, SMMUV3_EVT_F_STREAM_DISABLED);          /* CD 0 reserved */
    expect_fault(&e, 1, true, 2, SMMUV3_EVT_C_BAD_CD);
    expect_fault(&e, 1, true, 16, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    expect_fault(&e, 1, true, 0xFFFFF, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    /* F_STREAM_DISABLED record: no SSV/SubstreamID */
    uint64_t w[4];
    t_xlate(&e, 1, true, 0, IOVA, 0, &r);
    assert_true(t_event(&e, w));
    assert_int_equal(w[0], 0x0000000100000006ull);

    /* S1CDMax 0: one CD, no SubstreamIDs */
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(&e, 2, ste);
    assert_int_equal(t_xlate(&e, 2, false, 0, IOVA, 0, &r), 0);
    assert_int_equal(r.pa, 0xA000000);
    expect_fault(&e, 2, true, 0, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    /* stage 2 only: a SubstreamID is C_BAD_SUBSTREAMID */
    uint64_t s2root = t_pt_new(&e);
    t_ste_s2(ste, s2root, 1);
    t_ste_at(&e, 3, ste);
    expect_fault(&e, 3, true, 1, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    t_no_event(&e);
    t_down(&e);

    /* IDR1.SSIDSIZE == 0: no SubstreamIDs at all; S1CDMax ignored */
    t_up_profile(&e, P_NO_SSID);
    t_cd_mapping(&e, T_CD, 1, IOVA, 0xA000000);
    t_ste_s1(ste, T_CD, 0, 5);
    t_ste_at(&e, 1, ste);
    assert_int_equal(t_xlate(&e, 1, false, 0, IOVA, 0, &r), 0);
    assert_int_equal(r.pa, 0xA000000);
    expect_fault(&e, 1, true, 1, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    t_no_event(&e);
    t_down(&e);
}

/* S1DSS for transactions without a SubstreamID. */
static void test_s1dss(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    uint64_t ste[8];
    t_cd_mapping(e, T_CD + 64, 1, IOVA, 0xB000000);
    for (unsigned dss = 0; dss < 4; dss++) {
        t_ste_s1(ste, T_CD, 0, 2);
        fset(ste, F_STE_s1dss, dss);
        t_ste_at(e, 10 + dss, ste);
    }
    expect_fault(e, 10, false, 0, SMMUV3_EVT_F_STREAM_DISABLED);     /* terminate */
    assert_int_equal(t_xlate(e, 11, false, 0, IOVA + 4, 0, &r), 0);  /* bypass stage 1 */
    assert_true(r.bypass);
    assert_int_equal(r.pa, IOVA + 4);
    expect_fault(e, 12, false, 0, SMMUV3_EVT_C_BAD_CD);              /* substream 0: CD 0 invalid */
    expect_fault(e, 13, false, 0, SMMUV3_EVT_F_STREAM_DISABLED);     /* reserved: as terminate */
    for (unsigned sid = 10; sid < 14; sid++) {                        /* SubstreamID 1 translates */
        assert_int_equal(t_xlate(e, sid, true, 1, IOVA + 4, 0, &r), 0);
        assert_int_equal(r.pa, 0xB000004);
    }
    expect_fault(e, 11, true, 4, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    t_no_event(e);
}

/* STE sid: a 2-level CD table at l1 (S1Fmt fmt: 1 4K leaves of 64 CDs, 2 64K
 * leaves of 1024; S1CDMax cdmax) whose L1CD for ssid_a points at leaf, which
 * holds cd for ssid_a and ssid_b; both translate. */
static void cd_leaf(tenv *e, uint32_t sid, uint64_t l1, unsigned fmt, unsigned cdmax, uint64_t leaf,
                    const uint64_t cd[8], uint32_t ssid_a, uint32_t ssid_b)
{
    uint32_t per_leaf = fmt == 1 ? 64 : 1024;
    uint64_t ste[8];
    l1cd(e, l1 + (ssid_a / per_leaf) * 8, leaf, true);
    t_write_words(e, leaf + (ssid_a % per_leaf) * 64, cd, 8);
    t_write_words(e, leaf + (ssid_b % per_leaf) * 64, cd, 8);
    t_ste_s1(ste, l1, fmt, cdmax);
    t_ste_at(e, sid, ste);
    smmuv3_result r;
    assert_int_equal(t_xlate(e, sid, true, ssid_a, IOVA, 0, &r), 0);
    assert_int_equal(r.pa, 0xC000000);
    assert_int_equal(t_xlate(e, sid, true, ssid_b, IOVA, 0, &r), 0);
    assert_int_equal(r.pa, 0xC000000);
}

/* 2-level CD tables with 4K and 64K leaves. */
static void test_cd_two_level(void **state)
{
    tenv *e = *state;
    uint64_t root = t_pt_new(e), cd[8];
    t_map(e, root, IOVA, 0xC000000, false, true);
    t_cd(cd, root, 1);

    /* 4K leaves: S1CDMax 8 -> 4 L1CDs of 64 CDs */
    cd_leaf(e, 1, T_CD, 1, 8, T_CD + 0x10000, cd, 0x41, 0x7F);
    expect_fault(e, 1, true, 0x42, SMMUV3_EVT_C_BAD_CD);
    expect_fault(e, 1, true, 0x80, SMMUV3_EVT_C_BAD_SUBSTREAMID);    /* L1CD V=0 */
    expect_fault(e, 1, true, 0x100, SMMUV3_EVT_C_BAD_SUBSTREAMID);   /* beyond S1CDMax */
    l1cd(e, T_CD + 24, 1ull << 50, true);
    expect_fault(e, 1, true, 0xC0, SMMUV3_EVT_C_BAD_SUBSTREAMID);    /* L2Ptr beyond OAS */

    /* 64K leaves: S1CDMax 12 -> 4 L1CDs of 1024 CDs */
    cd_leaf(e, 2, T_CD + 0x8000, 2, 12, T_CD + 0x100000, cd, 0x401, 0x7FF);
    expect_fault(e, 2, true, 0x402, SMMUV3_EVT_C_BAD_CD);
    expect_fault(e, 2, true, 0x1, SMMUV3_EVT_C_BAD_SUBSTREAMID);     /* L1CD[0] V=0 */

    /* 64K leaves with S1CDMax <= 10: only L1CD[0] */
    cd_leaf(e, 3, T_CD + 0x9000, 2, 10, T_CD + 0x200000, cd, 0x3FF, 0x3FF);
    t_no_event(e);
}

/* Nested: the CD address is an IPA; a stage 2 fault on it has CLASS=CD, S2=1, the IPA. */
static void test_nested_cd_fault(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    uint64_t s2root = t_pt_new(e), ste[8];
    t_ste_s2(ste, s2root, 4);
    fset(ste, F_STE_config, SMMU_STE_CFG_NESTED);
    fset_addr(ste, F_STE_s1contextptr, 0x50000000);
    t_ste_at(e, 1, ste);
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    uint64_t w[4];
    t_expect_event(e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_s2), 1);
    assert_int_equal(fget(w, F_EVENT_class), SMMU_CLASS_CD);
    assert_int_equal(fget_addr(w, F_EVENT_ipa), 0x50000000);
    assert_int_equal(fget(w, F_EVENT_inputaddr), IOVA);
    /* 7.3.13: RnW/InD/PnU describe the input transaction (a write), not the CD fetch */
    assert_int_equal(fget(w, F_EVENT_rnw), 0);
    assert_int_equal(fget(w, F_EVENT_ind), 0);
    assert_int_equal(fget(w, F_EVENT_pnu), 0);
    /* a privileged instruction fetch: RnW 1, InD 1, PnU 1 */
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA, SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_class), SMMU_CLASS_CD);
    assert_int_equal(fget(w, F_EVENT_rnw), 1);
    assert_int_equal(fget(w, F_EVENT_ind), 1);
    assert_int_equal(fget(w, F_EVENT_pnu), 1);
    /* S2R = 0: the stage 2 fault is not recorded, still aborted */
    fset(ste, F_STE_s2r, 0);
    t_ste_at(e, 2, ste);
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, 0);
    t_no_event(e);
    /* the CD mapped through stage 2 but aborting in memory: F_CD_FETCH with the PA */
    t_map(e, s2root, 0x50000000, 0x6000000, true, false);
    assert_int_equal(smmuv3_mem_add_abort(e->mem, 0x6000000, 64), 0);
    fset(ste, F_STE_s2r, 1);
    t_ste_at(e, 3, ste);
    assert_int_equal(t_xlate(e, 3, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(e, SMMUV3_EVT_F_CD_FETCH, 3, false, 0, w);
    assert_int_equal(fget_addr(w, F_EVENT_fetchaddr), 0x6000000);
    t_no_event(e);
}

/* Hostile tables: random STEs, L1 descriptors and CDs never crash, hang or
 * give an outcome outside the contract (ASan/UBSan watch the rest). */
static void test_random_tables(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) {
        smmuv3_config c = CFGFX(CF(cfg_entries, round ? 1 : 64));
        tenv e;
        t_up_cfg(&e, &c, round ? t_strtab_cfg(8, true, 6) : t_strtab_cfg(6, false, 0));
        uint64_t x = 0x243F6A8885A308D3ull;
        for (int i = 0; i < 2000; i++) {
            uint64_t w[8];
            for (int k = 0; k < 8; k++) {
                x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                w[k] = x;
            }
            /* keep pointers mostly inside the first 16 MB so tables chain up */
            fset_addr(w, F_STE_s1contextptr, (w[7] & 0xFFFFC0) | T_CD);
            fset_addr(w, F_STE_s2ttb, w[6] & 0xFFF000);
            if (i & 1)
                fset(w, F_STE_v, 1);
            unsigned sid = (unsigned)(w[5] & 63);
            uint64_t where = round ? T_L2 + sid * 64ull : T_STRTAB + sid * 64ull;
            t_write_words(&e, where, w, 8);
            if (round && !(i & 15))
                l1std(&e, 0, T_L2, (unsigned)(w[4] & 15));
            t_write_words(&e, T_CD + (w[3] & 0x3FFC0), w, 8);   /* the same bits as a CD */
            smmuv3_result r;
            int rc = t_xlate(&e, sid, w[2] & 1, (uint32_t)(w[2] >> 40), w[1], (uint32_t)(w[0] & 7), &r);
            assert_true(rc >= 0 && rc <= SMMUV3_XLATE_STALL);
            assert_int_equal(rc, r.outcome);
            if (rc == SMMUV3_XLATE_STALL) {
                uint64_t cmd[2] = { 0, 0 };
                fset(cmd, F_CMD_STALL_TERM_opcode, SMMUV3_CMD_STALL_TERM);
                fset(cmd, F_CMD_STALL_TERM_sid, sid);
                smmu_stall_command_sec(e.s, SMMUV3_CMD_STALL_TERM, cmd, false);
                assert_int_equal(smmuv3_stall_poll(e.s, sid, r.stag), SMMUV3_STALL_ABORT);
            }
            if (!(i & 63))
                t_cfgi_ste(&e, sid);
            uint64_t ev[4];
            while (t_event(&e, ev))
                ;
        }
        t_down(&e);
    }
}


/* 6.3.24: STRTAB_BASE.ADDR is aligned with the literal STRTAB_BASE_CFG.LOG2SIZE,
 * "not limited by SIDSIZE", while the range check and the indexes use
 * MIN(LOG2SIZE, SIDSIZE) (6.3.25). SIDSIZE 8, LOG2SIZE 12, base 0x120000: a
 * linear table is at 0x100000 (ADDR[17:0] = 0); a 2-level table with SPLIT 6
 * has its L1 table at 0x120000 & ~0x1FF (ADDR[8:0] = 0, 64 L1STDs), indexed
 * by StreamID[7:6]. */
static void test_strtab_base_alignment_literal_log2size(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(sidsize, 8));
    tenv e;
    uint64_t ste[8];
    uint32_t on = (uint32_t)rset(rset(rset(0, F_CR0_smmuen, 1), F_CR0_eventqen, 1), F_CR0_cmdqen, 1);
    t_up_cfg(&e, &c, t_strtab_cfg(12, false, 0));
    t_mmio32(&e, REG_CR0, 0);
    smmuv3_mmio_write(e.s, REG_STRTAB_BASE, 0x120000, 8);
    t_mmio32(&e, REG_CR0, on);
    t_ste_bypass(ste);
    t_write_words(&e, 0x100000 + 3 * 64, ste, 8);
    expect_ok_bypass(&e, 3);
    expect_fault(&e, 256, false, 0, SMMUV3_EVT_C_BAD_STREAMID);
    t_no_event(&e);
    t_down(&e);

    /* 2-level, LOG2SIZE 20 (literal): the L1 table spans 2^14 L1STDs = 128KB,
     * so ADDR[16:0] = 0: base 0x130000 -> 0x120000. */
    t_up_cfg(&e, &c, t_strtab_cfg(20, true, 6));
    t_mmio32(&e, REG_CR0, 0);
    smmuv3_mmio_write(e.s, REG_STRTAB_BASE, 0x130000, 8);
    t_mmio32(&e, REG_CR0, on);
    uint64_t l1 = 0;
    fset(&l1, F_L1STD_span, 7);
    fset_addr(&l1, F_L1STD_l2ptr, 0x300000);
    t_write64(&e, 0x120000 + 2 * 8, l1);
    t_write_words(&e, 0x300000 + 5 * 64, ste, 8);
    expect_ok_bypass(&e, 2 * 64 + 5);
    t_no_event(&e);
    t_down(&e);
}

TEST_MAIN_FX(t_setup, t_teardown, test_sid_range, test_strtab_base_alignment_literal_log2size, test_two_level,
             test_fetch_aborts, test_substreams, test_s1dss, test_cd_two_level, test_nested_cd_fault,
             test_random_tables)
