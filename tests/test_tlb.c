/* Unit tests: the IOTLB and TLB invalidation (src/tlb.c), through the internal
 * API: configurations built by hand, synthetic translations inserted, and
 * hand-encoded TLBI commands (IHI 0070 3.17, 4.4). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "model/smmu.h"

/* ------------------------------------------------------------ fixtures */
typedef struct fx {
    smmuv3_mem *mem;
    smmuv3 *s;
} fx;

static smmuv3 *make_cfg(fx *f, const smmuv3_config *c)
{
    smmuv3_host h;
    f->mem = smmuv3_mem_new();
    smmuv3_host_from_mem(&h, f->mem);
    f->s = NULL;
    assert_int_equal(smmuv3_new(c, &h, &f->s), 0);
    return f->s;
}

static smmuv3 *make(fx *f, unsigned entries)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.tlb_entries = entries;
    return make_cfg(f, &c);
}

static void done(fx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
}

static smmu_txcfg s1(uint16_t asid, uint16_t vmid)
{
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S1;
    c.ste.regime = SMMU_REGIME_EL1;
    c.ste.s2.vmid = vmid;
    c.has_cd = true;
    c.cd.asid = asid;
    return c;
}

static smmu_txcfg s1_regime(uint16_t asid, unsigned regime)
{
    smmu_txcfg c = s1(asid, 0);
    c.ste.regime = (uint8_t)regime;
    c.ste.strw = 2;
    return c;
}

static smmu_txcfg s2only(uint16_t vmid)
{
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    c.ste.regime = SMMU_REGIME_EL1;
    c.ste.s2.vmid = vmid;
    return c;
}

static smmu_txcfg nested(uint16_t asid, uint16_t vmid)
{
    smmu_txcfg c = s1(asid, vmid);
    c.ste.config = SMMU_STE_CFG_NESTED;
    return c;
}

static uint8_t level_of(unsigned granule, unsigned size)
{
    unsigned stride = granule - 3;
    return (uint8_t)(3 - (size - granule) / stride);
}

/* A stage 1 translation of 2^size bytes from a walk with 4K granule (or g). */
static smmu_xlate xg(uint64_t pa, unsigned size, bool global, unsigned g)
{
    smmu_xlate x;
    memset(&x, 0, sizeof(x));
    x.pa = pa;
    x.size_log2 = (uint8_t)size;
    x.global = global;
    x.s1_granule = (uint8_t)g;
    x.s1_level = level_of(g, size);
    x.perm.s1 = true;
    x.perm.ap = 1;
    x.attrs.memattr = 0xff;
    return x;
}

static smmu_xlate xl(uint64_t pa, unsigned size, bool global)
{
    return xg(pa, size, global, 12);
}

/* A stage 2-only translation (input = IPA). */
static smmu_xlate x2(uint64_t pa, unsigned size, unsigned g)
{
    smmu_xlate x;
    memset(&x, 0, sizeof(x));
    x.pa = pa;
    x.size_log2 = (uint8_t)size;
    x.s2_granule = (uint8_t)g;
    x.s2_level = level_of(g, size);
    x.s2_size_log2 = (uint8_t)size;
    x.perm.s2 = true;
    x.perm.s2ap = 3;
    return x;
}

/* Insert a translation of `iova` (any address inside the region). */
static void put(smmuv3 *s, smmu_txcfg c, uint64_t iova, smmu_xlate x)
{
    if (c.ste.config == SMMU_STE_CFG_S2)
        x.ipa = iova;
    smmu_tlb_insert(s, &c, iova, &x);
}

/* True on a hit; checks the output address. */
static bool hit(smmuv3 *s, smmu_txcfg c, uint64_t iova, uint64_t pa)
{
    smmu_xlate o;
    memset(&o, 0x5a, sizeof(o));
    if (!smmu_tlb_lookup(s, &c, iova, &o))
        return false;
    assert_int_equal(o.pa, pa);
    return true;
}

/* ------------------------------------------------------------ commands */
static void run(smmuv3 *s, const uint64_t c[2])
{
    smmu_tlb_command(s, (unsigned)fget(c, F_CMD_TLBI_NH_ALL_opcode), c);
}

static void nh_all(smmuv3 *s, uint16_t vmid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_ALL_opcode, SMMUV3_CMD_TLBI_NH_ALL);
    fset(c, F_CMD_TLBI_NH_ALL_vmid, vmid);
    run(s, c);
}

static void nh_asid(smmuv3 *s, uint16_t vmid, uint16_t asid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_ASID_opcode, SMMUV3_CMD_TLBI_NH_ASID);
    fset(c, F_CMD_TLBI_NH_ASID_vmid, vmid);
    fset(c, F_CMD_TLBI_NH_ASID_asid, asid);
    run(s, c);
}

/* Range parameters (TG = 0: a single address). */
typedef struct rng { unsigned tg, ttl, num, scale; } rng;
static const rng ONE = { 0, 0, 0, 0 };

#define SET_RANGE(c, OP, r) do { \
    fset(c, F_CMD_##OP##_tg, (r).tg); fset(c, F_CMD_##OP##_ttl, (r).ttl); \
    fset(c, F_CMD_##OP##_num, (r).num); fset(c, F_CMD_##OP##_scale, (r).scale); } while (0)

static void nh_va(smmuv3 *s, uint16_t vmid, uint16_t asid, uint64_t va, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_VA_opcode, SMMUV3_CMD_TLBI_NH_VA);
    fset(c, F_CMD_TLBI_NH_VA_vmid, vmid);
    fset(c, F_CMD_TLBI_NH_VA_asid, asid);
    fset_addr(c, F_CMD_TLBI_NH_VA_address, va);
    fset(c, F_CMD_TLBI_NH_VA_leaf, 1);
    SET_RANGE(c, TLBI_NH_VA, r);
    run(s, c);
}

static void nh_vaa(smmuv3 *s, uint16_t vmid, uint64_t va, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_VAA_opcode, SMMUV3_CMD_TLBI_NH_VAA);
    fset(c, F_CMD_TLBI_NH_VAA_vmid, vmid);
    fset_addr(c, F_CMD_TLBI_NH_VAA_address, va);
    SET_RANGE(c, TLBI_NH_VAA, r);
    run(s, c);
}

static void el2_all(smmuv3 *s)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_ALL_opcode, SMMUV3_CMD_TLBI_EL2_ALL);
    run(s, c);
}

static void el2_asid(smmuv3 *s, uint16_t asid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_ASID_opcode, SMMUV3_CMD_TLBI_EL2_ASID);
    fset(c, F_CMD_TLBI_EL2_ASID_asid, asid);
    run(s, c);
}

static void el2_va(smmuv3 *s, uint16_t asid, uint64_t va)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_VA_opcode, SMMUV3_CMD_TLBI_EL2_VA);
    fset(c, F_CMD_TLBI_EL2_VA_asid, asid);
    fset_addr(c, F_CMD_TLBI_EL2_VA_address, va);
    run(s, c);
}

static void el2_vaa(smmuv3 *s, uint64_t va)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_VAA_opcode, SMMUV3_CMD_TLBI_EL2_VAA);
    fset_addr(c, F_CMD_TLBI_EL2_VAA_address, va);
    run(s, c);
}

static void s12_vmall(smmuv3 *s, uint16_t vmid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_S12_VMALL_opcode, SMMUV3_CMD_TLBI_S12_VMALL);
    fset(c, F_CMD_TLBI_S12_VMALL_vmid, vmid);
    run(s, c);
}

static void s2_ipa(smmuv3 *s, uint16_t vmid, uint64_t ipa, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_S2_IPA_opcode, SMMUV3_CMD_TLBI_S2_IPA);
    fset(c, F_CMD_TLBI_S2_IPA_vmid, vmid);
    fset_addr(c, F_CMD_TLBI_S2_IPA_address, ipa);
    SET_RANGE(c, TLBI_S2_IPA, r);
    run(s, c);
}

static void nsnh_all(smmuv3 *s)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NSNH_ALL_opcode, SMMUV3_CMD_TLBI_NSNH_ALL);
    run(s, c);
}

/* ------------------------------------------------------------ lookup */
static void test_lookup_basic(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
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
    done(&f);
}

static void test_disabled(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 0);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x1000, xl(0x2000, 12, false));
    assert_false(hit(s, c, 0x1000, 0));
    assert_int_equal(s->stats.tlb_misses, 1);
    assert_int_equal(s->stats.tlb_hits, 0);
    nsnh_all(s);
    assert_int_equal(s->stats.tlb_invalidated, 0);
    done(&f);
}

/* Pages, blocks and contiguous ranges of every granule side by side. */
static void test_mixed_sizes(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 256);
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
    done(&f);
}

/* 3.17: ASID, VMID, global/ASET, regime and stage-kind tags. */
static void test_tags(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 256);
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
    done(&f);
}

/* 3.17.4: with 8-bit ASIDs/VMIDs only the low 8 bits take part. */
static void test_8bit_ids(void **state)
{
    (void)state;
    fx f;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.asid16 = false;
    cfg.vmid16 = false;
    smmuv3 *s = make_cfg(&f, &cfg);
    put(s, s1(0x34, 0x12), 0x1000, xl(0xa000, 12, false));
    assert_true(hit(s, s1(0x134, 0x512), 0x1000, 0xa000));
    assert_false(hit(s, s1(0x35, 0x12), 0x1000, 0));
    nh_asid(s, 0x12, 0x35);
    assert_true(hit(s, s1(0x34, 0x12), 0x1000, 0xa000));
    nh_asid(s, 0x712, 0x934);
    assert_false(hit(s, s1(0x34, 0x12), 0x1000, 0));
    done(&f);

    /* With 16-bit IDs the upper bits count. */
    s = make(&f, 64);
    put(s, s1(0x34, 0x12), 0x1000, xl(0xa000, 12, false));
    assert_false(hit(s, s1(0x134, 0x12), 0x1000, 0));
    assert_false(hit(s, s1(0x34, 0x112), 0x1000, 0));
    nh_asid(s, 0x12, 0x134);
    nh_asid(s, 0x112, 0x34);
    assert_true(hit(s, s1(0x34, 0x12), 0x1000, 0xa000));
    done(&f);
}

/* TBI (CD.TBI): the top byte does not take part when TBI applies to the half. */
static void test_tbi(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
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
    done(&f);
}

/* CLOCK replacement: referenced entries survive, capacity is respected. */
static void test_replacement(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 4);
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
    done(&f);

    /* Capacity 1: each insert replaces the only entry. */
    s = make(&f, 1);
    put(s, c, 0x1000, xl(0x2000, 12, false));
    put(s, c, 0x200000, xl(0x40000000, 21, false));
    assert_false(hit(s, c, 0x1000, 0));
    assert_true(hit(s, c, 0x3ff000, 0x401ff000));
    assert_int_equal(s->stats.tlb_evictions, 1);
    done(&f);
}

/* ------------------------------------------------------------ commands */
/* A population of entries across every tag, used by the command tests. */
enum {
    E_A1V1, E_A2V1, E_G_V1, E_A1V2, E_G_V2, E_NEST_A1V1, E_NEST_G_V1, E_S2_V1, E_S2_V2,
    E_EL2, E_E2H_A1, E_E2H_A2, E_E2H_G, E_COUNT
};

typedef struct pop_e { smmu_txcfg c; uint64_t va, pa; bool global; } pop_e;

static void pop_init(pop_e p[E_COUNT], uint64_t va)
{
    p[E_A1V1] = (pop_e){ s1(1, 1), va, 0x10000, false };
    p[E_A2V1] = (pop_e){ s1(2, 1), va, 0x11000, false };
    p[E_G_V1] = (pop_e){ s1(3, 1), va + 0x1000, 0x12000, true };
    p[E_A1V2] = (pop_e){ s1(1, 2), va, 0x13000, false };
    p[E_G_V2] = (pop_e){ s1(3, 2), va + 0x1000, 0x14000, true };
    p[E_NEST_A1V1] = (pop_e){ nested(1, 1), va, 0x15000, false };
    p[E_NEST_G_V1] = (pop_e){ nested(1, 1), va + 0x1000, 0x16000, true };
    p[E_S2_V1] = (pop_e){ s2only(1), va, 0x17000, false };
    p[E_S2_V2] = (pop_e){ s2only(2), va, 0x18000, false };
    p[E_EL2] = (pop_e){ s1_regime(0, SMMU_REGIME_EL2), va, 0x19000, false };
    p[E_E2H_A1] = (pop_e){ s1_regime(1, SMMU_REGIME_EL2_E2H), va, 0x1a000, false };
    p[E_E2H_A2] = (pop_e){ s1_regime(2, SMMU_REGIME_EL2_E2H), va, 0x1b000, false };
    p[E_E2H_G] = (pop_e){ s1_regime(2, SMMU_REGIME_EL2_E2H), va + 0x1000, 0x1c000, true };
}

static void pop_fill(smmuv3 *s, const pop_e p[E_COUNT])
{
    smmu_tlb_flush(s);
    for (unsigned i = 0; i < E_COUNT; i++) {
        smmu_xlate x = p[i].c.ste.config == SMMU_STE_CFG_S2 ? x2(p[i].pa, 12, 12)
                                                           : xl(p[i].pa, 12, p[i].global);
        put(s, p[i].c, p[i].va, x);
    }
    for (unsigned i = 0; i < E_COUNT; i++)
        assert_true(hit(s, p[i].c, p[i].va, p[i].pa));
}

/* Check that exactly the entries in `gone` (bit mask of E_*) were removed. */
static void pop_expect(smmuv3 *s, const pop_e p[E_COUNT], unsigned gone, const char *what)
{
    for (unsigned i = 0; i < E_COUNT; i++) {
        bool h = hit(s, p[i].c, p[i].va, p[i].pa);
        if (h == ((gone >> i) & 1))
            fail_msg("%s: entry %u %s", what, i, h ? "kept but must be removed" : "removed but must stay");
    }
}

#define B(x) (1u << (x))

static void test_cmd_scopes(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 256);
    pop_e p[E_COUNT];
    const uint64_t va = 0x40000000;
    pop_init(p, va);

    pop_fill(s, p);
    uint64_t inv = s->stats.tlb_invalidated;
    nh_all(s, 1);
    pop_expect(s, p, B(E_A1V1) | B(E_A2V1) | B(E_G_V1) | B(E_NEST_A1V1) | B(E_NEST_G_V1), "NH_ALL");
    assert_int_equal(s->stats.tlb_invalidated - inv, 5);

    pop_fill(s, p);
    nh_asid(s, 1, 1);
    pop_expect(s, p, B(E_A1V1) | B(E_NEST_A1V1), "NH_ASID");

    pop_fill(s, p);
    nh_va(s, 1, 1, va, ONE);
    pop_expect(s, p, B(E_A1V1) | B(E_NEST_A1V1), "NH_VA at va");
    pop_fill(s, p);
    nh_va(s, 1, 1, va + 0x1000, ONE);
    pop_expect(s, p, B(E_G_V1) | B(E_NEST_G_V1), "NH_VA at va+4K (globals)");
    pop_fill(s, p);
    nh_va(s, 1, 1, va + 0x2000, ONE);
    pop_expect(s, p, 0, "NH_VA elsewhere");

    pop_fill(s, p);
    nh_vaa(s, 1, va, ONE);
    pop_expect(s, p, B(E_A1V1) | B(E_A2V1) | B(E_NEST_A1V1), "NH_VAA at va");
    pop_fill(s, p);
    nh_vaa(s, 2, va + 0x1000, ONE);
    pop_expect(s, p, B(E_G_V2), "NH_VAA VMID 2 at va+4K");

    pop_fill(s, p);
    el2_all(s);
    pop_expect(s, p, B(E_EL2) | B(E_E2H_A1) | B(E_E2H_A2) | B(E_E2H_G), "EL2_ALL");

    pop_fill(s, p);
    el2_asid(s, 2);
    pop_expect(s, p, B(E_E2H_A2), "EL2_ASID");

    /* EL2_VA / EL2_VAA follow CR2.E2H. */
    pop_fill(s, p);
    s->r.cr2 = 0;
    el2_va(s, 1, va);
    pop_expect(s, p, B(E_EL2), "EL2_VA E2H=0");
    pop_fill(s, p);
    s->r.cr2 = (uint32_t)rset(0, F_CR2_e2h, 1);
    el2_va(s, 1, va);
    pop_expect(s, p, B(E_E2H_A1), "EL2_VA E2H=1");
    pop_fill(s, p);
    el2_va(s, 1, va + 0x1000);
    pop_expect(s, p, B(E_E2H_G), "EL2_VA E2H=1 global");
    pop_fill(s, p);
    el2_vaa(s, va);
    pop_expect(s, p, B(E_E2H_A1) | B(E_E2H_A2), "EL2_VAA E2H=1");
    pop_fill(s, p);
    s->r.cr2 = 0;
    el2_vaa(s, va);
    pop_expect(s, p, B(E_EL2), "EL2_VAA E2H=0");

    pop_fill(s, p);
    s12_vmall(s, 1);
    pop_expect(s, p, B(E_A1V1) | B(E_A2V1) | B(E_G_V1) | B(E_NEST_A1V1) | B(E_NEST_G_V1) | B(E_S2_V1),
               "S12_VMALL");

    /* S2_IPA: stage 2-only entries by VMID and IPA; nested combined entries
     * (keyed by VA) and stage 1 entries stay (4.4.3.1). */
    pop_fill(s, p);
    s2_ipa(s, 1, va, ONE);
    pop_expect(s, p, B(E_S2_V1), "S2_IPA");
    pop_fill(s, p);
    s2_ipa(s, 2, va + 0x800, ONE);
    pop_expect(s, p, B(E_S2_V2), "S2_IPA vmid 2 unaligned");

    pop_fill(s, p);
    nsnh_all(s);
    pop_expect(s, p, B(E_A1V1) | B(E_A2V1) | B(E_G_V1) | B(E_A1V2) | B(E_G_V2) | B(E_NEST_A1V1) |
                     B(E_NEST_G_V1) | B(E_S2_V1) | B(E_S2_V2), "NSNH_ALL");

    /* EL3 commands: no EL3 entries exist; nothing changes. */
    pop_fill(s, p);
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL3_ALL_opcode, SMMUV3_CMD_TLBI_EL3_ALL);
    run(s, c);
    pop_expect(s, p, 0, "EL3_ALL");
    done(&f);
}

/* Without stage 2, NH_* commands do not match the VMID (4.4.2). */
static void test_no_s2(void **state)
{
    (void)state;
    fx f;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.s2p = false;
    smmuv3 *s = make_cfg(&f, &cfg);
    /* The STE's S2VMID is not a tag without stage 2. */
    put(s, s1(1, 5), 0x1000, xl(0xa000, 12, false));
    assert_true(hit(s, s1(1, 6), 0x1000, 0xa000));
    nh_all(s, 9);
    assert_false(hit(s, s1(1, 5), 0x1000, 0));
    put(s, s1(1, 5), 0x1000, xl(0xa000, 12, false));
    nh_va(s, 7, 1, 0x1000, ONE);
    assert_false(hit(s, s1(1, 5), 0x1000, 0));
    done(&f);
}

/* 3.17.6: with IDR0.VMW and CR0.VMW, invalidations ignore VMID LSBs; lookups do not. */
static void test_vmid_wildcard(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
    put(s, s1(1, 0x20), 0x1000, xl(0xa000, 12, false));
    put(s, s1(1, 0x21), 0x1000, xl(0xb000, 12, false));
    put(s, s1(1, 0x22), 0x1000, xl(0xc000, 12, false));
    /* IDR0.VMW == 0: CR0.VMW has no effect. */
    s->r.cr0 = (uint32_t)rset(s->r.cr0, F_CR0_vmw, 1);
    nh_all(s, 0x20);
    assert_true(hit(s, s1(1, 0x21), 0x1000, 0xb000));
    put(s, s1(1, 0x20), 0x1000, xl(0xa000, 12, false));
    s->idr[0] = (uint32_t)rset(s->idr[0], F_IDR0_vmw, 1);
    nh_all(s, 0x20);
    assert_false(hit(s, s1(1, 0x20), 0x1000, 0));
    assert_false(hit(s, s1(1, 0x21), 0x1000, 0));
    assert_true(hit(s, s1(1, 0x22), 0x1000, 0xc000));
    done(&f);
}

/* Blocks: a VA anywhere inside a block invalidates it. */
static void test_va_in_block(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x40000000, xl(0x80000000, 30, false));
    put(s, c, 0x80200000, xl(0x1200000, 21, false));
    nh_va(s, 1, 1, 0x7abcd000, ONE);
    assert_false(hit(s, c, 0x40000000, 0));
    assert_true(hit(s, c, 0x80300000, 0x1300000));
    nh_vaa(s, 1, 0x803ff000, ONE);
    assert_false(hit(s, c, 0x80200000, 0));
    done(&f);
}

/* A nested combined entry is as small as the smaller stage (a 2M stage 1
 * block over 4K stage 2 pages gives 4K entries), but it caches the stage 1
 * block descriptor: a stage 1 TLBI by VA of any address inside that block
 * must remove it (4.4.2.3/4.4.2.4: entries "that would be used to translate"
 * the address, as VA{L}E1/VAA{L}E1 on a PE). Linux without RIL invalidates a
 * block with one command at its base. */
static smmu_xlate xnest(uint64_t pa, unsigned s1_size, unsigned s2_size)
{
    smmu_xlate x = xl(pa, s1_size, false);
    x.s2_granule = 12;
    x.s2_level = level_of(12, s2_size);
    x.s2_size_log2 = (uint8_t)s2_size;
    x.size_log2 = (uint8_t)(s1_size < s2_size ? s1_size : s2_size);
    x.perm.s2 = true;
    x.perm.s2ap = 3;
    return x;
}

static void test_nested_splintered_block(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
    smmu_txcfg c = nested(1, 1);
    /* stage 1 2M block at VA 0x40200000, stage 2 4K pages */
    put(s, c, 0x40205000, xnest(0x9005000, 21, 12));
    put(s, c, 0x40300000, xnest(0x9100000, 21, 12));
    put(s, c, 0x40400000, xnest(0x9200000, 21, 12));   /* next block */
    assert_true(hit(s, c, 0x40205010, 0x9005010));
    nh_va(s, 1, 1, 0x40200000, ONE);
    assert_false(hit(s, c, 0x40205000, 0));
    assert_false(hit(s, c, 0x40300000, 0));
    assert_true(hit(s, c, 0x40400000, 0x9200000));
    /* NH_VAA, any address inside the block */
    put(s, c, 0x40205000, xnest(0x9005000, 21, 12));
    nh_vaa(s, 1, 0x403ff000, ONE);
    assert_false(hit(s, c, 0x40205000, 0));
    assert_true(hit(s, c, 0x40400000, 0x9200000));
    /* a range that only touches the block's first page */
    put(s, c, 0x40205000, xnest(0x9005000, 21, 12));
    nh_va(s, 1, 1, 0x40200000, (rng){ 1, 2, 0, 0 });   /* 4K TG, TTL 2, one granule */
    assert_false(hit(s, c, 0x40205000, 0));
    /* other ASID / VMID untouched; stage 1-only entries unaffected by the change */
    put(s, c, 0x40205000, xnest(0x9005000, 21, 12));
    nh_va(s, 1, 2, 0x40200000, ONE);
    nh_va(s, 2, 1, 0x40200000, ONE);
    assert_true(hit(s, c, 0x40205000, 0x9005000));
    /* a 1G stage 1 block splintered into 4K entries (probe budget exceeded: scan) */
    put(s, c, 0x80123000, xnest(0x7123000, 30, 12));
    nh_va(s, 1, 1, 0x80000000, ONE);
    assert_false(hit(s, c, 0x80123000, 0));
    done(&f);
}

/* ------------------------------------------------------------ ranges */
static void test_range_4k(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 256);
    smmu_txcfg c = s1(1, 1);
    /* pages 0x0f000 .. 0x19000 */
    for (uint64_t va = 0xf000; va <= 0x19000; va += 0x1000)
        put(s, c, va, xl(0x100000 + va, 12, false));
    /* [0x10000, 0x10000 + (3+1) * 2^1 * 4K) = 8 pages */
    nh_va(s, 1, 1, 0x10000, (rng){ 1, 0, 3, 1 });
    assert_true(hit(s, c, 0xf000, 0x10f000));
    for (uint64_t va = 0x10000; va < 0x18000; va += 0x1000)
        assert_false(hit(s, c, va, 0));
    assert_true(hit(s, c, 0x18000, 0x118000));
    assert_true(hit(s, c, 0x19000, 0x119000));

    /* NUM only, unaligned start: [0x1b000, 0x1b000 + 3 pages) */
    for (uint64_t va = 0x1a000; va <= 0x1f000; va += 0x1000)
        put(s, c, va, xl(0x100000 + va, 12, false));
    nh_vaa(s, 1, 0x1b000, (rng){ 1, 3, 2, 0 });
    assert_true(hit(s, c, 0x1a000, 0x11a000));
    assert_false(hit(s, c, 0x1b000, 0));
    assert_false(hit(s, c, 0x1c000, 0));
    assert_false(hit(s, c, 0x1d000, 0));
    assert_true(hit(s, c, 0x1e000, 0x11e000));
    done(&f);
}

/* A block straddling the edge of the range is invalidated; TTL and TG narrow
 * the scope to the walk that produced the entry. */
static void test_range_edges_ttl_tg(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 256);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x200000, xl(0x40000000, 21, false));        /* [0x200000, 0x400000) */
    put(s, c, 0x400000, xl(0x50000000, 12, false));
    put(s, c, 0x401000, xl(0x50001000, 12, false));
    put(s, c, 0x402000, xl(0x50002000, 12, false));
    /* two pages from 0x3ff000: overlaps the block's last page and 0x400000 */
    nh_va(s, 1, 1, 0x3ff000, (rng){ 1, 0, 1, 0 });
    assert_false(hit(s, c, 0x200000, 0));
    assert_false(hit(s, c, 0x400000, 0));
    assert_true(hit(s, c, 0x401000, 0x50001000));
    assert_true(hit(s, c, 0x402000, 0x50002000));

    /* TTL: level 3 only leaves the level 2 block. */
    put(s, c, 0x200000, xl(0x40000000, 21, false));
    put(s, c, 0x400000, xl(0x50000000, 12, false));
    nh_va(s, 1, 1, 0x200000, (rng){ 1, 3, 31, 4 });  /* 32 * 16 pages = 2M */
    assert_true(hit(s, c, 0x200000, 0x40000000));
    nh_va(s, 1, 1, 0x200000, (rng){ 1, 2, 0, 9 });   /* 512 pages, level 2 */
    assert_false(hit(s, c, 0x200000, 0));
    assert_true(hit(s, c, 0x400000, 0x50000000));

    /* TG: only entries inserted with that granule. */
    put(s, c, 0x1000000, xg(0x9000000, 14, false, 14));
    put(s, c, 0x1010000, xg(0x9010000, 16, false, 16));
    put(s, c, 0x1020000, xl(0x9020000, 12, false));
    nh_va(s, 1, 1, 0x1000000, (rng){ 2, 0, 31, 2 });  /* 16K: 128 * 16K = 2M */
    assert_false(hit(s, c, 0x1000000, 0));
    assert_true(hit(s, c, 0x1010000, 0x9010000));
    assert_true(hit(s, c, 0x1020000, 0x9020000));
    nh_va(s, 1, 1, 0x1000000, (rng){ 3, 3, 1, 0 });   /* 64K: 2 * 64K */
    assert_false(hit(s, c, 0x1010000, 0));
    assert_true(hit(s, c, 0x1020000, 0x9020000));
    /* 16K, TTL 0b01 is reserved without DS: treated as any level. */
    put(s, c, 0x1000000, xg(0x9000000, 14, false, 14));
    nh_va(s, 1, 1, 0x1000000, (rng){ 2, 1, 1, 0 });
    assert_false(hit(s, c, 0x1000000, 0));
    /* 64K TG, unaligned start: [0x1011000, 0x1021000) touches two 64K pages. */
    put(s, c, 0x2010000, xg(0x9010000, 16, false, 16));
    put(s, c, 0x2020000, xg(0x9020000, 16, false, 16));
    put(s, c, 0x2030000, xg(0x9030000, 16, false, 16));
    nh_vaa(s, 1, 0x2011000, (rng){ 3, 0, 0, 0 });
    assert_false(hit(s, c, 0x2010000, 0));
    assert_false(hit(s, c, 0x2020000, 0));
    assert_true(hit(s, c, 0x2030000, 0x9030000));
    done(&f);
}

/* Range fields are RES0 without IDR3.RIL: a single address. */
static void test_range_without_ril(void **state)
{
    (void)state;
    fx f;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.ril = false;
    smmuv3 *s = make_cfg(&f, &cfg);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x10000, xl(0x10000, 12, false));
    put(s, c, 0x11000, xl(0x11000, 12, false));
    nh_va(s, 1, 1, 0x10000, (rng){ 1, 3, 1, 0 });
    assert_false(hit(s, c, 0x10000, 0));
    assert_true(hit(s, c, 0x11000, 0x11000));
    done(&f);
}

/* A 2^48-byte range: everything in the lower half goes, the TTB1 half stays. */
static void test_range_2p48(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 4096);
    smmu_txcfg c = s1(1, 1);
    for (unsigned i = 0; i < 4000; i++) {
        uint64_t va = ((uint64_t)i * 0x9E3779B1ull % 0xFFFFFFFFull) << 16 & 0xffffffff0000ull;
        put(s, c, va, xg(0x1000000ull * i, 16, false, 16));
    }
    put(s, c, 0xffff000000010000ull, xg(0x7770000, 16, false, 16));
    uint64_t inv = s->stats.tlb_invalidated;
    /* (31 + 1) * 2^27 * 64K = 2^48 */
    nh_va(s, 1, 1, 0, (rng){ 3, 0, 31, 27 });
    assert_true(s->stats.tlb_invalidated - inv >= 3900);
    for (unsigned i = 0; i < 4000; i++) {
        uint64_t va = ((uint64_t)i * 0x9E3779B1ull % 0xFFFFFFFFull) << 16 & 0xffffffff0000ull;
        assert_false(hit(s, c, va, 0));
    }
    assert_true(hit(s, c, 0xffff000000010000ull, 0x7770000));
    /* A range from the TTB1 half that would run past 2^64 does not wrap. */
    put(s, c, 0x10000, xg(0x10000, 16, false, 16));
    nh_va(s, 1, 1, 0xffff000000000000ull, (rng){ 3, 0, 31, 27 });
    assert_false(hit(s, c, 0xffff000000010000ull, 0));
    assert_true(hit(s, c, 0x10000, 0x10000));
    done(&f);
}

static void test_range_s2(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
    smmu_txcfg c = s2only(3);
    put(s, c, 0x80000000, x2(0x100000000ull, 21, 12));
    put(s, c, 0x80200000, x2(0x100200000ull, 21, 12));
    put(s, c, 0x80400000, x2(0x100400000ull, 12, 12));
    /* 2M range over level 2: the first block only */
    s2_ipa(s, 3, 0x80000000, (rng){ 1, 2, 0, 9 });
    assert_false(hit(s, c, 0x80000000, 0));
    assert_true(hit(s, c, 0x80200000, 0x100200000ull));
    /* level 3 hint does not touch the block, does the page */
    s2_ipa(s, 3, 0x80200000, (rng){ 1, 3, 1, 10 });
    assert_true(hit(s, c, 0x80200000, 0x100200000ull));
    assert_false(hit(s, c, 0x80400000, 0));
    /* other VMID: nothing */
    s2_ipa(s, 4, 0x80200000, ONE);
    assert_true(hit(s, c, 0x80200000, 0x100200000ull));
    done(&f);
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
    (void)state;
    fx f;
    const unsigned N = 500;
    smmuv3 *s = make(&f, N);
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
    done(&f);
}


/* ASET: global entries inserted with ASET=1 are invalidated like any global
 * entry (4.4: "commands matching TLB entries on ASID disregard the ASET
 * value"). */
static void test_aset_invalidation(void **state)
{
    (void)state;
    fx f;
    smmuv3 *s = make(&f, 64);
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
    done(&f);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_basic),
        cmocka_unit_test(test_disabled),
        cmocka_unit_test(test_mixed_sizes),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_8bit_ids),
        cmocka_unit_test(test_tbi),
        cmocka_unit_test(test_replacement),
        cmocka_unit_test(test_cmd_scopes),
        cmocka_unit_test(test_no_s2),
        cmocka_unit_test(test_vmid_wildcard),
        cmocka_unit_test(test_va_in_block),
        cmocka_unit_test(test_nested_splintered_block),
        cmocka_unit_test(test_range_4k),
        cmocka_unit_test(test_range_edges_ttl_tg),
        cmocka_unit_test(test_range_without_ril),
        cmocka_unit_test(test_range_2p48),
        cmocka_unit_test(test_range_s2),
        cmocka_unit_test(test_capacity_equivalence),
        cmocka_unit_test(test_hash_stress),
        cmocka_unit_test(test_aset_invalidation),
        cmocka_unit_test(test_probe_vs_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
