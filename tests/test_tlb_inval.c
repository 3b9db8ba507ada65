/* Unit tests: TLB invalidation (src/model/tlb/tlb_inval.c) with
 * hand-encoded TLBI commands (IHI 0070 4.4): the scope of each command,
 * blocks, nested entries, and the range forms (TG/TTL/SCALE/NUM). */
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
    smmuv3 *s = make(*state, 256);
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
}

/* Without stage 2, NH_* commands do not match the VMID (4.4.2). */
static void test_no_s2(void **state)
{
    smmuv3_config cfg = CFGFX(CF(s2p, false));
    smmuv3 *s = make_cfg(*state, &cfg);
    /* The STE's S2VMID is not a tag without stage 2. */
    put(s, s1(1, 5), 0x1000, xl(0xa000, 12, false));
    assert_true(hit(s, s1(1, 6), 0x1000, 0xa000));
    nh_all(s, 9);
    assert_false(hit(s, s1(1, 5), 0x1000, 0));
    put(s, s1(1, 5), 0x1000, xl(0xa000, 12, false));
    nh_va(s, 7, 1, 0x1000, ONE);
    assert_false(hit(s, s1(1, 5), 0x1000, 0));
}

/* 3.17.6: with IDR0.VMW and CR0.VMW, invalidations ignore VMID LSBs; lookups do not. */
static void test_vmid_wildcard(void **state)
{
    smmuv3 *s = make(*state, 64);
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
}

/* Blocks: a VA anywhere inside a block invalidates it. */
static void test_va_in_block(void **state)
{
    smmuv3 *s = make(*state, 64);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x40000000, xl(0x80000000, 30, false));
    put(s, c, 0x80200000, xl(0x1200000, 21, false));
    nh_va(s, 1, 1, 0x7abcd000, ONE);
    assert_false(hit(s, c, 0x40000000, 0));
    assert_true(hit(s, c, 0x80300000, 0x1300000));
    nh_vaa(s, 1, 0x803ff000, ONE);
    assert_false(hit(s, c, 0x80200000, 0));
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
    smmuv3 *s = make(*state, 64);
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
}

/* The same nested entry (same VA, size and tags) walked again after its stage
 * 1 page became part of a 2M block (a block size change without
 * break-before-make, 3.21.1.3 BBML == 2, found by a re-walk such as a write to
 * a writable-clean page): the entry now caches the block, and a stage 1 TLBI
 * at the block's base must remove it (4.4.2.4; 3.21.1.3: the change is
 * "followed by TLB invalidation of the affected range"), whichever way the
 * IOTLB finds the entries in scope. */
static void test_nested_entry_rewalked_as_block(void **state)
{
    smmuv3 *s = make(*state, 64);
    smmu_txcfg c = nested(1, 1);
    put(s, c, 0x40205000, xnest(0x9005000, 12, 12));   /* stage 1 4K page */
    put(s, c, 0x40205000, xnest(0x9005000, 21, 12));   /* now a 2M stage 1 block: same entry */
    nh_va(s, 1, 1, 0x40200000, ONE);
    assert_false(hit(s, c, 0x40205000, 0));
}

/* ------------------------------------------------------------ ranges */
static void test_range_4k(void **state)
{
    smmuv3 *s = make(*state, 256);
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
}

/* A block straddling the edge of the range is invalidated; TTL and TG narrow
 * the scope to the walk that produced the entry. */
static void test_range_edges_ttl_tg(void **state)
{
    smmuv3 *s = make(*state, 256);
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
}

/* Range fields are RES0 without IDR3.RIL: a single address. */
static void test_range_without_ril(void **state)
{
    smmuv3_config cfg = CFGFX(CF(ril, false));
    smmuv3 *s = make_cfg(*state, &cfg);
    smmu_txcfg c = s1(1, 1);
    put(s, c, 0x10000, xl(0x10000, 12, false));
    put(s, c, 0x11000, xl(0x11000, 12, false));
    nh_va(s, 1, 1, 0x10000, (rng){ 1, 3, 1, 0 });
    assert_false(hit(s, c, 0x10000, 0));
    assert_true(hit(s, c, 0x11000, 0x11000));
}

/* A 2^48-byte range: everything in the lower half goes, the TTB1 half stays. */
static void test_range_2p48(void **state)
{
    smmuv3 *s = make(*state, 4096);
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
}

static void test_range_s2(void **state)
{
    smmuv3 *s = make(*state, 64);
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
}

TEST_MAIN_FX(tlbfx_setup, tlbfx_teardown, test_cmd_scopes, test_no_s2, test_vmid_wildcard,
              test_va_in_block, test_nested_splintered_block, test_nested_entry_rewalked_as_block,
              test_range_4k,
              test_range_edges_ttl_tg, test_range_without_ril, test_range_2p48, test_range_s2)
