/* Unit tests: the IOTLB (src/model/tlb/tlb.c) through the internal API:
 * lookups and tags, sizes, TBI, replacement, and randomised model checks
 * against a reference map. Fixtures and commands: tests/helpers/tlbfx. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tlbfx.h"
#include "cfgfx.h"
#include "test_main.h"

/* ------------------------------------------------------------ lookup */
static void test_lookup_basic(void **state)
{
    smmuv3 *s = make(*state, 64);
    smmu_txcfg c = s1(5, 1);
    assert_false(hit(s, c, 0x1000, 0));
    assert_int_equal(s->stats.tlb_misses, 1);
    smmu_xlate x = xl(0x80000123, 12, false);
    x.attrs.memattr = 0x44;
    x.perm.ap = 3;
    put(s, c, 0x1123, x);
    smmu_xlate o;
    assert_true(smmu_tlb_lookup(s, &c, 0x1ff8, &o));
    assert_int_equal(o.pa, 0x80000ff8);
    assert_int_equal(o.size_log2, 12);
    assert_int_equal(o.attrs.memattr, 0x44);
    assert_int_equal(o.perm.ap, 3);
    assert_int_equal(o.s1_level, 3);
    assert_true(hit(s, c, 0x1000, 0x80000000));
    assert_false(hit(s, c, 0x2000, 0));
    assert_false(hit(s, c, 0x0fff, 0));
    assert_int_equal(s->stats.tlb_hits, 2);
    assert_int_equal(s->stats.tlb_misses, 3);

    /* Re-inserting the same region replaces the result (a newer walk). */
    put(s, c, 0x1000, xl(0x90000000, 12, false));
    assert_true(hit(s, c, 0x1004, 0x90000004));

    /* Sizes below a page are not cached; flush empties everything. */
    smmu_xlate bad = xl(0x5000, 11, false);
    put(s, c, 0x5000, bad);
    assert_false(hit(s, c, 0x5000, 0));
    smmu_tlb_flush(s);
    assert_false(hit(s, c, 0x1000, 0));
}

static void test_disabled(void **state)
{
    smmuv3 *s = make(*state, 0);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x1000, xl(0x2000, 12, false));
    assert_false(hit(s, c, 0x1000, 0));
    assert_int_equal(s->stats.tlb_misses, 1);
    assert_int_equal(s->stats.tlb_hits, 0);
    nsnh_all(s);
    assert_int_equal(s->stats.tlb_invalidated, 0);
}

/* Pages, blocks and contiguous ranges of every granule side by side. */
static void test_mixed_sizes(void **state)
{
    smmuv3 *s = make(*state, 256);
    smmu_txcfg c = s1(7, 3);
    static const struct { unsigned g, size; uint64_t va, pa; } m[] = {
        { 12, 12, 0x0000001000ull, 0x11000 },
        { 12, 16, 0x0000010000ull, 0x20000 },          /* 4K contiguous (16 pages) */
        { 12, 21, 0x0000200000ull, 0x40000000 },       /* 2M block */
        { 12, 30, 0x0040000000ull, 0x80000000 },       /* 1G block */
        { 14, 14, 0x0100004000ull, 0x300004000ull },
        { 14, 25, 0x0102000000ull, 0x304000000ull },   /* 32M block */
        { 16, 16, 0x0200010000ull, 0x500010000ull },
        { 16, 29, 0x0220000000ull, 0x600000000ull },   /* 512M block */
        { 16, 21, 0x0300000000ull, 0x700000000ull },   /* 64K contiguous (32 pages) */
    };
    for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        put(s, c, m[i].va, xg(m[i].pa, m[i].size, false, m[i].g));
    for (unsigned i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        uint64_t sz = 1ull << m[i].size;
        assert_true(hit(s, c, m[i].va, m[i].pa));
        assert_true(hit(s, c, m[i].va + sz - 8, m[i].pa + sz - 8));
        assert_true(hit(s, c, m[i].va + sz / 2 + 0x18, m[i].pa + sz / 2 + 0x18));
        assert_false(hit(s, c, m[i].va + sz, 0));
    }
    assert_false(hit(s, c, 0x0000002000ull, 0));
    assert_false(hit(s, c, 0x0400000000ull, 0));
}

/* 3.17: ASID, VMID, global/ASET, regime and stage-kind tags. */
static void test_tags(void **state)
{
    smmuv3 *s = make(*state, 256);
    put(s, s1(1, 1), 0x1000, xl(0xa000, 12, false));
    assert_true(hit(s, s1(1, 1), 0x1000, 0xa000));
    assert_false(hit(s, s1(2, 1), 0x1000, 0));   /* other ASID */
    assert_false(hit(s, s1(1, 2), 0x1000, 0));   /* other VMID */
    assert_false(hit(s, nested(1, 1), 0x1000, 0)); /* other stage kind */
    assert_false(hit(s, s2only(1), 0x1000, 0));
    assert_false(hit(s, s1_regime(1, SMMU_REGIME_EL2_E2H), 0x1000, 0));
    assert_false(hit(s, s1_regime(1, SMMU_REGIME_EL2), 0x1000, 0));

    /* Global entries match any ASID of the same VMID, regime and ASET. */
    put(s, s1(1, 1), 0x2000, xl(0xb000, 12, true));
    assert_true(hit(s, s1(1, 1), 0x2000, 0xb000));
    assert_true(hit(s, s1(0x777, 1), 0x2000, 0xb000));
    assert_false(hit(s, s1(1, 2), 0x2000, 0));
    smmu_txcfg aset = s1(9, 1);
    aset.cd.aset = true;
    assert_false(hit(s, aset, 0x2000, 0));   /* 3.17.1: ASET must agree */
    put(s, aset, 0x2000, xl(0xc000, 12, true));
    assert_true(hit(s, aset, 0x2000, 0xc000));
    assert_true(hit(s, s1(3, 1), 0x2000, 0xb000));
    /* ASET does not matter for non-global entries. */
    smmu_txcfg aset1 = s1(1, 1);
    aset1.cd.aset = true;
    assert_true(hit(s, aset1, 0x1000, 0xa000));

    /* EL2 has no ASID: every CD is equivalent, nG has no effect. */
    put(s, s1_regime(4, SMMU_REGIME_EL2), 0x3000, xl(0xd000, 12, false));
    assert_true(hit(s, s1_regime(5, SMMU_REGIME_EL2), 0x3000, 0xd000));
    assert_false(hit(s, s1_regime(4, SMMU_REGIME_EL2_E2H), 0x3000, 0));
    assert_false(hit(s, s1(4, 0), 0x3000, 0));
    /* EL2-E2H has ASIDs. */
    put(s, s1_regime(4, SMMU_REGIME_EL2_E2H), 0x4000, xl(0xe000, 12, false));
    assert_true(hit(s, s1_regime(4, SMMU_REGIME_EL2_E2H), 0x4000, 0xe000));
    assert_false(hit(s, s1_regime(5, SMMU_REGIME_EL2_E2H), 0x4000, 0));

    /* Stage 2 only: tagged by VMID alone, keyed by IPA, ASID irrelevant. */
    smmu_txcfg c2 = s2only(1);
    c2.cd.asid = 44;
    put(s, c2, 0x5000, x2(0xf000, 12, 12));
    smmu_txcfg c2b = s2only(1);
    c2b.cd.asid = 45;
    smmu_xlate o;
    assert_true(smmu_tlb_lookup(s, &c2b, 0x5010, &o));
    assert_int_equal(o.pa, 0xf010);
    assert_int_equal(o.ipa, 0x5010);
    assert_false(hit(s, s2only(2), 0x5000, 0));
    assert_false(hit(s, s1(44, 1), 0x5000, 0));

    /* Nested with S1DSS bypass (no CD) is a stage 2-only translation. */
    smmu_txcfg nb = nested(0, 1);
    nb.has_cd = false;
    assert_true(hit(s, nb, 0x5000, 0xf000));
}

/* 3.17.4: with 8-bit ASIDs/VMIDs only the low 8 bits take part. */
static void test_8bit_ids(void **state)
{
    fx *f = *state;
    smmuv3_config cfg = CFGFX(CF(asid16, false), CF(vmid16, false));
    smmuv3 *s = make_cfg(f, &cfg);
    put(s, s1(0x34, 0x12), 0x1000, xl(0xa000, 12, false));
    assert_true(hit(s, s1(0x134, 0x512), 0x1000, 0xa000));
    assert_false(hit(s, s1(0x35, 0x12), 0x1000, 0));
    nh_asid(s, 0x12, 0x35);
    assert_true(hit(s, s1(0x34, 0x12), 0x1000, 0xa000));
    nh_asid(s, 0x712, 0x934);
    assert_false(hit(s, s1(0x34, 0x12), 0x1000, 0));
    done(f);

    /* With 16-bit IDs the upper bits count. */
    s = make(f, 64);
    put(s, s1(0x34, 0x12), 0x1000, xl(0xa000, 12, false));
    assert_false(hit(s, s1(0x134, 0x12), 0x1000, 0));
    assert_false(hit(s, s1(0x34, 0x112), 0x1000, 0));
    nh_asid(s, 0x12, 0x134);
    nh_asid(s, 0x112, 0x34);
    assert_true(hit(s, s1(0x34, 0x12), 0x1000, 0xa000));
}

/* TBI (CD.TBI): the top byte does not take part when TBI applies to the half. */
static void test_tbi(void **state)
{
    smmuv3 *s = make(*state, 64);
    smmu_txcfg c = s1(1, 1);
    c.cd.tbi = 1;   /* TBI0 */
    put(s, c, 0x5a00000000401000ull, xl(0x7000, 12, false));
    assert_true(hit(s, c, 0x0000000000401008ull, 0x7008));
    assert_true(hit(s, c, 0xa500000000401008ull, 0x7008));
    /* TTB1 half: TBI1 is off, the address is used as is. */
    put(s, c, 0xffffffffffe00000ull, xl(0x9000, 12, false));
    assert_true(hit(s, c, 0xffffffffffe00010ull, 0x9010));
    assert_false(hit(s, c, 0x00ffffffffe00010ull, 0));
    /* Without TBI a tagged address is a different (faulting) address. */
    smmu_txcfg n = s1(2, 1);
    put(s, n, 0x401000, xl(0x7000, 12, false));
    assert_true(hit(s, n, 0x401000, 0x7000));
    assert_false(hit(s, n, 0x5a00000000401000ull, 0));
    /* A VA command with a tagged (or untagged) address reaches the entry. */
    nh_va(s, 1, 1, 0x0000000000401000ull, ONE);
    assert_false(hit(s, c, 0x5a00000000401000ull, 0));
    c.cd.tbi = 2;   /* TBI1 */
    put(s, c, 0x12ffffffffe00000ull, xl(0x9000, 12, false));
    assert_true(hit(s, c, 0xffffffffffe00010ull, 0x9010));
}

/* CLOCK replacement: referenced entries survive, capacity is respected. */
static void test_replacement(void **state)
{
    fx *f = *state;
    smmuv3 *s = make(f, 4);
    smmu_txcfg c = s1(1, 1);
    for (unsigned i = 0; i < 4; i++)
        put(s, c, 0x1000ull * i, xl(0x100000 + 0x1000ull * i, 12, false));
    for (unsigned i = 0; i < 4; i++)
        assert_true(hit(s, c, 0x1000ull * i, 0x100000 + 0x1000ull * i));
    assert_int_equal(s->stats.tlb_evictions, 0);
    /* The fifth insert evicts one; then keep using page 0 and insert more:
     * page 0 stays resident. */
    for (unsigned i = 4; i < 40; i++) {
        assert_true(hit(s, c, 0, 0x100000));
        put(s, c, 0x1000ull * i, xl(0x100000 + 0x1000ull * i, 12, false));
        assert_true(hit(s, c, 0x1000ull * i, 0x100000 + 0x1000ull * i));
    }
    assert_int_equal(s->stats.tlb_evictions, 36);
    unsigned resident = 0;
    for (unsigned i = 0; i < 40; i++)
        resident += hit(s, c, 0x1000ull * i, 0x100000 + 0x1000ull * i);
    assert_int_equal(resident, 4);
    done(f);

    /* Capacity 1: each insert replaces the only entry. */
    s = make(f, 1);
    put(s, c, 0x1000, xl(0x2000, 12, false));
    put(s, c, 0x200000, xl(0x40000000, 21, false));
    assert_false(hit(s, c, 0x1000, 0));
    assert_true(hit(s, c, 0x3ff000, 0x401ff000));
    assert_int_equal(s->stats.tlb_evictions, 1);
}

/* ------------------------------------------------------------ model checks */
/* Randomised: a reference map of what is cached versus the TLB, through
 * inserts, lookups, evictions (capacity < population) and invalidations.
 * Every hit must return exactly the current mapping ("table"), and whatever
 * the capacity, the translations seen are the same. */
typedef struct ref_map { uint64_t pa[256]; uint8_t size[256]; } ref_map;

static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static uint64_t run_workload(unsigned cap, uint64_t seed, uint64_t *trace_hash)
{
    fx f;
    smmuv3 *s = make(&f, cap);
    ref_map t;
    uint64_t r = seed, h = 0;
    /* 256 regions of 2M; region i is either one 2M block or mapped by 4K pages */
    for (unsigned i = 0; i < 256; i++) {
        t.pa[i] = 0x100000000ull + 0x200000ull * (rnd(&r) % 4096);
        t.size[i] = (rnd(&r) & 1) ? 21 : 12;
    }
    smmu_txcfg ctx[3] = { s1(1, 1), s1(2, 1), nested(1, 2) };
    for (unsigned step = 0; step < 20000; step++) {
        unsigned op = (unsigned)(rnd(&r) % 16);
        unsigned ci = (unsigned)(rnd(&r) % 3);
        unsigned reg = (unsigned)(rnd(&r) % 256);
        uint64_t off = rnd(&r) % 0x200000;
        /* contexts share the table per region but have their own offset */
        uint64_t va = 0x200000ull * reg + off;
        uint64_t pa = t.pa[reg] + off + 0x1000000000ull * ci;
        if (op < 12) {
            smmu_xlate o;
            if (!smmu_tlb_lookup(s, &ctx[ci], va, &o)) {
                /* the "walk": the current table; then it must hit */
                smmu_xlate x = xl(pa, t.size[reg], false);
                smmu_tlb_insert(s, &ctx[ci], va, &x);
                assert_true(smmu_tlb_lookup(s, &ctx[ci], va, &o));
            }
            assert_int_equal(o.pa, pa);
            h = h * 31 + o.pa;
        } else if (op < 14) {
            /* remap the region and invalidate it (by VA or by range) */
            t.pa[reg] = 0x100000000ull + 0x200000ull * (rnd(&r) % 4096);
            t.size[reg] = (rnd(&r) & 1) ? 21 : 12;
            /* 2M of 4K granules: 16 * 2^5 or 1 * 2^9 pages */
            for (unsigned k = 0; k < 3; k++) {
                uint16_t vmid = ctx[k].ste.s2.vmid;
                if (op == 12)
                    nh_vaa(s, vmid, 0x200000ull * reg, (rng){ 1, 0, 15, 5 });
                else
                    nh_va(s, vmid, ctx[k].cd.asid, 0x200000ull * reg, (rng){ 1, 0, 0, 9 });
            }
        } else if (op == 14) {
            /* remap everything, invalidate all */
            for (unsigned i = 0; i < 256; i++)
                t.pa[i] ^= 0x40000000ull;
            nsnh_all(s);
        } else {
            /* ASID invalidation does not change translations */
            nh_asid(s, 1, (uint16_t)(rnd(&r) % 3));
        }
    }
    *trace_hash = h;
    uint64_t misses = s->stats.tlb_misses;
    done(&f);
    return misses;
}

static void test_capacity_equivalence(void **state)
{
    (void)state;
    uint64_t h1, h2, h3, h4;
    uint64_t miss1 = run_workload(1, 0x1234567, &h1);
    uint64_t miss2 = run_workload(2, 0x1234567, &h2);
    uint64_t miss3 = run_workload(5, 0x1234567, &h3);
    uint64_t missbig = run_workload(65536, 0x1234567, &h4);
    assert_int_equal(h1, h2);
    assert_int_equal(h1, h3);
    assert_int_equal(h1, h4);
    /* the large TLB hits more; the workload must have exercised hits */
    /* misses ("walks"): the large TLB must have saved some */
    assert_true(missbig < miss3 && missbig < miss1 && miss2 <= miss1);
}

/* Hash stress: many entries of several sizes, inserted and removed in random
 * order, against a brute-force reference. Exercises backward-shift deletion. */
static void test_hash_stress(void **state)
{
    const unsigned N = 500;
    smmuv3 *s = make(*state, N);
    smmu_txcfg c = s1(1, 1);
    static uint64_t va[2000], pa[2000];
    static uint8_t sz[2000];
    static bool present[2000];
    uint64_t r = 99;
    unsigned n = 0;
    for (unsigned i = 0; i < 2000; i++) {
        sz[i] = (uint8_t)((i % 3 == 0) ? 21 : 12);
        va[i] = (uint64_t)i << 21;   /* disjoint 2M slots */
        pa[i] = 0x1000000000ull + ((uint64_t)i << 21);
    }
    for (unsigned step = 0; step < 30000; step++) {
        unsigned i = (unsigned)(rnd(&r) % 2000);
        unsigned op = (unsigned)(rnd(&r) % 3);
        if (op == 0 && !present[i] && n < N) {
            put(s, c, va[i], xl(pa[i], sz[i], false));
            present[i] = true;
            n++;
        } else if (op == 1 && present[i]) {
            nh_va(s, 1, 1, va[i], ONE);
            present[i] = false;
            n--;
        } else {
            bool h = hit(s, c, va[i], pa[i]);
            assert_int_equal(h, present[i]);
        }
    }
    assert_int_equal(s->stats.tlb_evictions, 0);
    for (unsigned i = 0; i < 2000; i++)
        assert_int_equal(hit(s, c, va[i] + 0x10, pa[i] + 0x10), present[i]);
}


/* ASET: global entries inserted with ASET=1 are invalidated like any global
 * entry (4.4: "commands matching TLB entries on ASID disregard the ASET
 * value"). */
static void test_aset_invalidation(void **state)
{
    smmuv3 *s = make(*state, 64);
    smmu_txcfg a1 = s1(5, 1);
    a1.cd.aset = true;
    put(s, a1, 0x7000, xl(0x1000, 12, true));
    put(s, a1, 0x8000, xl(0x2000, 12, false));
    nh_asid(s, 1, 5);
    assert_true(hit(s, a1, 0x7000, 0x1000));
    assert_false(hit(s, a1, 0x8000, 0));
    nh_va(s, 1, 9, 0x7000, ONE);
    assert_false(hit(s, a1, 0x7000, 0));
    put(s, a1, 0x7000, xl(0x1000, 12, true));
    nh_va(s, 1, 9, 0x6000, (rng){ 1, 0, 3, 0 });
    assert_false(hit(s, a1, 0x7000, 0));
}

/* Invalidation by hash probes and by a pass over the entries must agree.
 * Three TLBs get the same population: A alone (ranges are scanned, single
 * addresses probed), B with many unrelated entries (everything probed), C
 * with a VMID wildcard that cannot change the outcome (everything scanned). */
typedef struct popent { smmu_txcfg c; uint64_t va; smmu_xlate x; } popent;

static void test_probe_vs_scan(void **state)
{
    (void)state;
    fx fa, fb, fc;
    smmuv3 *a = make(&fa, 30000), *b = make(&fb, 30000), *c = make(&fc, 30000);
    c->idr[0] = (uint32_t)rset(c->idr[0], F_IDR0_vmw, 1);
    c->r.cr0 = (uint32_t)rset(c->r.cr0, F_CR0_vmw, 1);
    for (unsigned i = 0; i < 20000; i++)
        put(b, s1(1, 100), 0x100000000ull + 0x1000ull * i, xl(0x1000, 12, false));
    static popent pop[300];
    uint64_t r = 7;
    static const uint16_t vmids[2] = { 2, 4 };
    for (unsigned i = 0; i < 300; i++) {
        popent *p = &pop[i];
        unsigned k = (unsigned)(rnd(&r) % 5);
        uint16_t vmid = vmids[rnd(&r) % 2], asid = (uint16_t)(1 + rnd(&r) % 3);
        p->c = k == 0 ? s2only(vmid) : k == 1 ? nested(asid, vmid) : k == 2 ? s1_regime(asid, SMMU_REGIME_EL2)
             : k == 3 ? s1_regime(asid, SMMU_REGIME_EL2_E2H) : s1(asid, vmid);
        p->c.cd.aset = (rnd(&r) & 3) == 0;
        static const unsigned g[4] = { 12, 12, 14, 16 };
        unsigned gr = g[rnd(&r) % 4];
        unsigned sz = (rnd(&r) & 1) ? gr : gr + (gr - 3);
        p->va = (rnd(&r) % 0x4000000ull) & ~((1ull << sz) - 1);
        p->x = k == 0 ? x2(0x40000000ull + p->va, sz, gr) : xg(0x40000000ull + p->va, sz, (rnd(&r) & 3) == 0, gr);
    }
    for (unsigned round = 0; round < 40; round++) {
        for (unsigned i = 0; i < 300; i++) {
            put(a, pop[i].c, pop[i].va, pop[i].x);
            put(b, pop[i].c, pop[i].va, pop[i].x);
            put(c, pop[i].c, pop[i].va, pop[i].x);
        }
        for (unsigned q = 0; q < 4; q++) {
            uint64_t va = (rnd(&r) % 0x4000000ull) & ~0xfffull;
            rng rg = (rnd(&r) & 1) ? ONE : (rng){ 1 + (unsigned)(rnd(&r) % 3), (unsigned)(rnd(&r) % 4),
                                                  (unsigned)(rnd(&r) % 32), (unsigned)(rnd(&r) % 4) };
            if (rg.tg == 2 && rg.ttl == 1)
                rg.ttl = 0;
            uint16_t vmid = vmids[rnd(&r) % 2], asid = (uint16_t)(1 + rnd(&r) % 3);
            unsigned op = (unsigned)(rnd(&r) % 4);
            smmuv3 *all[3] = { a, b, c };
            for (unsigned t = 0; t < 3; t++) {
                smmuv3 *s = all[t];
                s->r.cr2 = (uint32_t)rset(0, F_CR2_e2h, round & 1);
                if (op == 0)
                    nh_va(s, vmid, asid, va, rg);
                else if (op == 1)
                    s2_ipa(s, vmid, va, rg);
                else if (op == 2)
                    el2_va(s, asid, va);
                else
                    el2_vaa(s, va);
            }
        }
        for (unsigned i = 0; i < 300; i++) {
            smmu_xlate o;
            uint64_t probe = pop[i].va + 0x10;
            bool ha = smmu_tlb_lookup(a, &pop[i].c, probe, &o);
            bool hb = smmu_tlb_lookup(b, &pop[i].c, probe, &o);
            bool hc = smmu_tlb_lookup(c, &pop[i].c, probe, &o);
            if (ha != hb || ha != hc)
                fail_msg("round %u entry %u: A %d B %d C %d", round, i, ha, hb, hc);
        }
    }
    assert_true(a->stats.tlb_invalidated > 100);
    done(&fa);
    done(&fb);
    done(&fc);
}

TEST_MAIN_FX(tlbfx_setup, tlbfx_teardown, test_lookup_basic, test_disabled, test_mixed_sizes,
              test_tags, test_8bit_ids, test_tbi, test_replacement, test_capacity_equivalence,
              test_hash_stress, test_aset_invalidation, test_probe_vs_scan)
