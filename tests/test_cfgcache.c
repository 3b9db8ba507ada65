/* Unit tests: configuration cache (src/cfgcache.c): stale use until CFGI_* (through the command
 * queue), never after; invalid structures not cached; counters; eviction; size 1 == large. */
#include "test_cfg_util.h"
#include "cfgfx.h"
#include "cases.h"
#include "test_main.h"

#define IOVA 0x4567000ull

static void cfgi_cd(tenv *e, uint32_t sid, uint32_t ssid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_CFGI_CD_opcode, SMMUV3_CMD_CFGI_CD);
    fset(c, F_CMD_CFGI_CD_sid, sid);
    fset(c, F_CMD_CFGI_CD_ssid, ssid);
    fset(c, F_CMD_CFGI_CD_leaf, 1);
    t_cmd(e, c);
}

static void cfgi_cd_all(tenv *e, uint32_t sid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_CFGI_CD_ALL_opcode, SMMUV3_CMD_CFGI_CD_ALL);
    fset(c, F_CMD_CFGI_CD_ALL_sid, sid);
    t_cmd(e, c);
}

static void cfgi_ste_range(tenv *e, uint32_t sid, unsigned range)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_CFGI_STE_RANGE_opcode, SMMUV3_CMD_CFGI_STE_RANGE);
    fset(c, F_CMD_CFGI_STE_RANGE_sid, sid);
    fset(c, F_CMD_CFGI_STE_RANGE_range, range);
    t_cmd(e, c);
}

static int xl(tenv *e, uint32_t sid, bool ssv, uint32_t ssid, smmuv3_result *r)
{
    int rc = t_xlate(e, sid, ssv, ssid, IOVA, 0, r);
    uint64_t w[4];
    while (t_event(e, w))
        ;
    return rc;
}

/* t_up with a configuration cache of `entries` and a linear stream table of 2^log2size. */
static void up_cache(tenv *e, unsigned entries, unsigned log2size)
{
    smmuv3_config c = CFGFX(CF(cfg_entries, entries));
    t_up_cfg(e, &c, t_strtab_cfg(log2size, false, 0));
}

/* At SIDs first..last: a bypass STE (good) or an all-zero one (not valid). */
static void stes_at(tenv *e, uint32_t first, uint32_t last, bool good)
{
    uint64_t ste[8] = { 0 };
    if (good)
        t_ste_bypass(ste);
    for (uint32_t sid = first; sid <= last; sid++)
        t_ste_at(e, sid, ste);
}

static void test_stale_ste(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    smmuv3_stats st;
    uint64_t ste[8], bad[8] = { 0 };
    t_ste_bypass(ste);
    t_ste_at(e, 1, ste);
    assert_int_equal(xl(e, 1, false, 0, &r), 0);
    smmuv3_get_stats(e->s, &st);
    assert_int_equal(st.cfg_misses, 1);
    assert_int_equal(st.cfg_hits, 0);
    t_ste_at(e, 1, bad);
    assert_int_equal(xl(e, 1, false, 0, &r), 0);         /* stale: still bypass */
    assert_true(r.bypass);
    smmuv3_get_stats(e->s, &st);
    assert_int_equal(st.cfg_hits, 1);
    t_cfgi_ste(e, 2);                                     /* another SID: still stale */
    assert_int_equal(xl(e, 1, false, 0, &r), 0);
    t_cfgi_ste(e, 1);
    smmuv3_get_stats(e->s, &st);
    assert_int_equal(st.cfg_invalidated, 1);
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(e, SMMUV3_EVT_C_BAD_STE, 1, false, 0, NULL);
    /* an ILLEGAL STE is not cached: fixing it in memory is enough */
    t_ste_at(e, 1, ste);
    assert_int_equal(xl(e, 1, false, 0, &r), 0);
    /* Config abort is cached like any valid STE */
    uint64_t ab[8] = { 0 };
    fset(ab, F_STE_v, 1);
    t_ste_at(e, 3, ab);
    assert_int_equal(xl(e, 3, false, 0, &r), SMMUV3_XLATE_ABORT);
    t_ste_at(e, 3, ste);
    assert_int_equal(xl(e, 3, false, 0, &r), SMMUV3_XLATE_ABORT);
    t_cfgi_ste(e, 3);
    assert_int_equal(xl(e, 3, false, 0, &r), 0);
    /* reset empties the cache */
    t_ste_at(e, 3, ab);
    smmuv3_reset(e->s);
    smmu_cfgcache_flush(e->s);
}

static void test_stale_cd(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    uint64_t root = t_pt_new(e), ste[8], cd[8], bad[8] = { 0 };
    t_map(e, root, IOVA, 0xD000000, false, true);
    t_cd(cd, root, 1);
    for (int i = 0; i < 4; i++)
        t_write_words(e, T_CD + i * 64ull, cd, 8);
    t_ste_s1(ste, T_CD, 0, 2);
    fset(ste, F_STE_s1dss, 2);
    t_ste_at(e, 4, ste);
    assert_int_equal(xl(e, 4, true, 1, &r), 0);
    assert_int_equal(xl(e, 4, false, 0, &r), 0);
    assert_int_equal(xl(e, 4, true, 3, &r), 0);
    t_write_words(e, T_CD + 64, bad, 8);
    t_write_words(e, T_CD, bad, 8);
    t_write_words(e, T_CD + 3 * 64, bad, 8);
    assert_int_equal(xl(e, 4, true, 1, &r), 0);           /* stale */
    cfgi_cd(e, 4, 2);
    assert_int_equal(xl(e, 4, true, 1, &r), 0);           /* other SSID: still stale */
    cfgi_cd(e, 5, 1);
    assert_int_equal(xl(e, 4, true, 1, &r), 0);           /* other SID: still stale */
    cfgi_cd(e, 4, 1);
    assert_int_equal(xl(e, 4, true, 1, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_CD);
    /* CD 0 serves the no-SubstreamID traffic (S1DSS=substream 0): CFGI_CD SSID 0 reaches it */
    assert_int_equal(xl(e, 4, false, 0, &r), 0);
    cfgi_cd(e, 4, 0);
    assert_int_equal(xl(e, 4, false, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_CD);
    assert_int_equal(xl(e, 4, true, 3, &r), 0);           /* still stale */
    cfgi_cd_all(e, 4);
    assert_int_equal(xl(e, 4, true, 3, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_CD);
}

static void test_ste_range(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    stes_at(e, 0, 11, true);
    for (uint32_t sid = 0; sid < 12; sid++)
        assert_int_equal(xl(e, sid, false, 0, &r), 0);
    stes_at(e, 0, 11, false);
    cfgi_ste_range(e, 5, 1);                              /* SIDs 4..7 */
    for (uint32_t sid = 0; sid < 12; sid++) {
        int expect = (sid >= 4 && sid <= 7) ? SMMUV3_XLATE_ABORT : 0;
        if (xl(e, sid, false, 0, &r) != expect)
            fail_msg("sid %u after CFGI_STE_RANGE(5, 1)", sid);
    }
    cfgi_ste_range(e, 0, 31);                             /* all */
    for (uint32_t sid = 0; sid < 12; sid++)
        assert_int_equal(xl(e, sid, false, 0, &r), SMMUV3_XLATE_ABORT);
}

/* The same memory image and the same transactions under different cache sizes. */
typedef struct outcome { int rc; uint64_t pa; uint8_t fault, event; } outcome;

static void build_world(tenv *e)
{
    uint64_t ste[8], cd[8];
    uint64_t root = t_pt_new(e);
    for (int p = 0; p < 8; p++)
        t_map(e, root, IOVA + p * 0x1000ull, 0xE000000 + p * 0x2000ull, false, p & 1);
    uint64_t s2root = t_pt_new(e);
    for (int p = 0; p < 8; p++)
        t_map(e, s2root, IOVA + p * 0x1000ull, 0xF000000 + p * 0x3000ull, true, true);
    for (uint32_t ssid = 0; ssid < 16; ssid++) {
        t_cd(cd, root, (uint16_t)(ssid + 1));
        if (ssid == 9)
            fset(cd, F_CD_v, 0);
        t_write_words(e, T_CD + ssid * 64ull, cd, 8);
    }
    for (uint32_t sid = 0; sid < 16; sid++) {
        switch (sid % 6) {
        case 0: t_ste_bypass(ste); break;
        case 1: t_ste_s1(ste, T_CD, 0, 4); fset(ste, F_STE_s1dss, sid & 2 ? 1 : 2); break;
        case 2: t_ste_s2(ste, s2root, (uint16_t)sid); break;
        case 3: memset(ste, 0, 64); fset(ste, F_STE_v, 1); break;
        case 4: memset(ste, 0, 64); break;
        default: t_ste_s1(ste, T_CD, 0, 0); break;
        }
        t_ste_at(e, sid, ste);
    }
}

static void run_world(unsigned entries, outcome *out, unsigned n, smmuv3_stats *st)
{
    tenv e;
    up_cache(&e, entries, 5);
    build_world(&e);
    uint32_t x = 12345;
    for (unsigned i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t sid = (x >> 8) % 20;               /* some beyond the table */
        bool ssv = (x >> 4) & 1;
        uint32_t ssid = (x >> 16) % 18;
        uint64_t addr = IOVA + ((x >> 20) % 9) * 0x1000ull + (x & 0xFF0);
        uint32_t flags = (x >> 28) & 1 ? SMMUV3_TXN_WRITE : 0;
        smmuv3_result r;
        out[i].rc = t_xlate(&e, sid, ssv, ssid, addr, flags, &r);
        out[i].pa = r.pa;
        out[i].fault = r.fault;
        out[i].event = r.event;
        uint64_t w[4];
        while (t_event(&e, w))
            ;
    }
    smmuv3_get_stats(e.s, st);
    t_down(&e);
}

static void test_size1_vs_large(void **state)
{
    (void)state;
    enum { N = 600 };
    static outcome a[N], b[N], z[N];
    smmuv3_stats sa, sb, sz;
    run_world(1, a, N, &sa);
    run_world(4096, b, N, &sb);
    run_world(0, z, N, &sz);
    unsigned ok = 0;
    for (unsigned i = 0; i < N; i++) {
        if (a[i].rc != b[i].rc || a[i].pa != b[i].pa || a[i].fault != b[i].fault || a[i].event != b[i].event ||
            a[i].rc != z[i].rc || a[i].pa != z[i].pa || a[i].fault != z[i].fault)
            fail_msg("transaction %u differs: size1 rc %d pa %llx fault %x / large rc %d pa %llx fault %x", i,
                     a[i].rc, (unsigned long long)a[i].pa, a[i].fault, b[i].rc, (unsigned long long)b[i].pa,
                     b[i].fault);
        ok += a[i].rc == 0;
    }
    assert_true(ok > N / 10);                  /* the workload is not all faults */
    assert_true(sa.cfg_evictions > 0);
    assert_true(sb.cfg_evictions == 0);
    assert_true(sb.cfg_hits > sa.cfg_hits);
    assert_int_equal(sz.cfg_hits, 0);
}

/* A cache of `entries` (0: off) over bypass STEs at SIDs 1..nsid: the SIDs
 * in `touch` translate, in that order; then every STE is made invalid in
 * memory, and the SIDs in `check` give rc (0 while the old STE is still
 * cached, abort once it is not). */
typedef struct cache_case {
    const char *what;
    unsigned entries, nsid;
    uint32_t touch[4];
    unsigned ntouch;
    struct { uint32_t sid; int rc; } check[3];
    unsigned ncheck;
    uint64_t hits, evictions;
} cache_case;

#define ABORT SMMUV3_XLATE_ABORT

static const cache_case cache_cases[] = {
    { "cache off: nothing kept", 0, 1, { 1 }, 1, { { 1, ABORT } }, 1, 0, 0 },
    { "2 entries, LRU: 1 most recent, 3 evicts 2", 2, 3, { 1, 2, 1, 3 }, 4,
      { { 1, 0 }, { 3, 0 }, { 2, ABORT } }, 3, 3, 1 },
};

static void test_cache_size(void **state)
{
    (void)state;
    FOR_EACH_CASE(cache_case, k, cache_cases) {
        tenv e;
        up_cache(&e, k->entries, 8);
        smmuv3_result r;
        stes_at(&e, 1, k->nsid, true);
        for (unsigned j = 0; j < k->ntouch; j++)
            assert_int_equal(xl(&e, k->touch[j], false, 0, &r), 0);
        stes_at(&e, 1, k->nsid, false);
        for (unsigned j = 0; j < k->ncheck; j++)
            assert_int_equal(xl(&e, k->check[j].sid, false, 0, &r), k->check[j].rc);
        smmuv3_stats st;
        smmuv3_get_stats(e.s, &st);
        assert_int_equal(st.cfg_hits, k->hits);
        assert_int_equal(st.cfg_evictions, k->evictions);
        t_down(&e);
    }
}

/* The no-SubstreamID entry is not confused with any SubstreamID, even an all-ones one. */
static void test_key_ssv(void **state)
{
    tenv *e = *state;
    smmuv3_result r;
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 4);
    fset(ste, F_STE_s1dss, 1);
    t_ste_at(e, 1, ste);
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA, 0, &r), 0);
    assert_true(r.bypass);
    assert_int_equal(t_xlate(e, 1, true, 0xFFFFFFFFu, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_SUBSTREAMID);
    assert_int_equal(t_xlate(e, 1, true, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_C_BAD_CD);
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA, 0, &r), 0);
}

TEST_MAIN_FX(t_setup, t_teardown, test_stale_ste, test_stale_cd, test_ste_range, test_cache_size,
             test_size1_vs_large, test_key_ssv)
