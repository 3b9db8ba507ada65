/* Unit tests: the walk cache (src/walkcache.c): same results on and off, hits, TLBI scopes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "model/smmu.h"
#include "walkpt.h"
#include "model/walk/walk_int.h"
#include "test_main.h"

static const smmu_access RD = { .write = false, .exec = false, .priv = false };

#define S1_RW (PT_AF | PT_ATTRINDX(1) | PT_SH(3) | PT_AP(1))
#define S2_RW (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))
#define OFF 0x40000000ull

/* One world: stage 1 (4K, 16K, 64K), stage 2 and nested configurations over the same memory. */
typedef struct world {
    wfx *x;
    smmu_txcfg cfg[5];
    unsigned ncfg;
} world;

static void world_build(world *w, unsigned walk_entries)
{
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.walk_entries = walk_entries;
    w->x = wfx_new(&cfg);
    assert_non_null(w->x);
    smmuv3_mem *m = w->x->mem;
    static const unsigned gs[3] = { 12, 14, 16 };
    w->ncfg = 0;
    for (unsigned i = 0; i < 3; i++) {
        tpt p;
        unsigned g = gs[i];
        unsigned start = g == 16 ? 1 : 0;
        tpt_init(&p, m, 0x1000000ull * (i + 1), g, 0);
        uint64_t root = tpt_alloc(&p, 1ull << (48 - tpt_shift(g, start)));
        for (uint64_t k = 0; k < 64; k++) {
            uint64_t va = (k * 0x10000123ull * 977) & 0xfffffffff000ull & ~((1ull << g) - 1);
            tpt_map(&p, root, start, 48, va, 3, (0x100000000ull + k * 0x100000) & ~((1ull << g) - 1),
                    k % 7 == 3 ? (S1_RW & ~PT_AF) : S1_RW);
        }
        wfx_cfg_s1(&w->cfg[w->ncfg++], g, 16, root);
    }
    /* stage 2: IPA [0, 1G) -> PA + 1G in 2M blocks */
    tpt p2;
    tpt_init(&p2, m, 0x8000000ull, 12, 0);
    uint64_t r2 = tpt_alloc(&p2, 1024);
    for (uint64_t ipa = 0; ipa < 0x40000000ull; ipa += 0x200000)
        tpt_map(&p2, r2, 1, 40, ipa, ipa == 0x3fe00000ull ? 3 : 2, ipa + OFF, S2_RW);
    smmu_txcfg *c = &w->cfg[w->ncfg++];
    memset(c, 0, sizeof(*c));
    c->ste.config = SMMU_STE_CFG_S2;
    wfx_cfg_s2(&c->ste.s2, 12, 24, 1, r2);
    /* nested: stage 1 tables at IPA 0x100000 */
    tpt p1;
    tpt_init(&p1, m, 0x100000 + OFF, 12, OFF);
    uint64_t r1 = tpt_alloc(&p1, 512);
    for (uint64_t k = 0; k < 64; k++)
        tpt_map(&p1, r1, 0, 48, 0x7f0000000000ull + k * 0x3000, 3, 0x20000000ull + k * 0x1000, S1_RW);
    c = &w->cfg[w->ncfg++];
    wfx_cfg_s1(c, 12, 16, r1 - OFF);
    c->ste.config = SMMU_STE_CFG_NESTED;
    wfx_cfg_s2(&c->ste.s2, 12, 24, 1, r2);
}

static uint64_t probe_addr(unsigned ci, unsigned k)
{
    if (ci < 3)
        return ((k * 0x10000123ull * 977) & 0xfffffffff000ull) + (k & 0xff8);
    if (ci == 3)
        return (uint64_t)k * 0x1234567ull % 0x48000000ull;
    return 0x7f0000000000ull + k * 0x1800 + 8;
}

static void test_on_off_identical(void **state)
{
    (void)state;
    world a, b, t;
    world_build(&a, 0);
    world_build(&b, 256);
    world_build(&t, 1);     /* a tiny cache: constant eviction */
    unsigned ok = 0, bad = 0;
    for (unsigned round = 0; round < 2; round++)
    for (unsigned ci = 0; ci < a.ncfg; ci++)
    for (unsigned k = 0; k < 96; k++) {
        uint64_t in = probe_addr(ci, k);
        smmu_xlate xa, xb, xt;
        smmu_fault fa, fb, ft;
        int ra = smmu_walk(a.x->s, &a.cfg[ci], in, &RD, &xa, &fa);
        int rb = smmu_walk(b.x->s, &b.cfg[ci], in, &RD, &xb, &fb);
        int rt = smmu_walk(t.x->s, &t.cfg[ci], in, &RD, &xt, &ft);
        assert_int_equal(ra, rb);
        assert_int_equal(ra, rt);
        if (ra == 0) {
            ok++;
            assert_memory_equal(&xa, &xb, sizeof(xa));
            assert_memory_equal(&xa, &xt, sizeof(xa));
        } else {
            bad++;
            assert_memory_equal(&fa, &fb, sizeof(fa));
            assert_memory_equal(&fa, &ft, sizeof(fa));
        }
    }
    assert_true(ok > 400);
    assert_true(bad > 40);
    smmuv3_stats sa, sb;
    smmuv3_get_stats(a.x->s, &sa);
    smmuv3_get_stats(b.x->s, &sb);
    assert_int_equal(sa.walk_cache_hits, 0);
    assert_true(sb.walk_cache_hits > 0);
    assert_int_equal(sa.walks, sb.walks);
    wfx_free(a.x);
    wfx_free(b.x);
    wfx_free(t.x);
}

/* ------------------------------------------------------------ invalidation */
#define WC_VA 0x40201000ull     /* the address whose level 2 descriptor is re-pointed */

/* Re-point the level 2 table descriptor above `va` at a copy of its table with a different leaf. */
typedef struct stale_setup {
    wfx *x;
    smmu_txcfg c;
    uint64_t va, l2, l2_old, l2_new;
    smmu_s2_cfg s2id;      /* stage 2 mapping [0, 1G) 1:1, VMID 3 */
} stale_setup;

static void stale_build_cfg(stale_setup *st, bool stage2, const smmuv3_config *cfg)
{
    st->x = wfx_new(cfg);
    assert_non_null(st->x);
    tpt p;
    tpt_init(&p, st->x->mem, 0x100000, 12, 0);
    st->va = WC_VA;
    if (!stage2) {
        uint64_t root = tpt_alloc(&p, 512);
        tpt_map(&p, root, 0, 48, st->va, 3, 0x9000, S1_RW);
        wfx_cfg_s1(&st->c, 12, 16, root);
        st->c.cd.asid = 5;
        st->c.ste.s2.vmid = 3;
        st->l2 = tpt_desc_pa(&p, root, 0, 48, st->va, 2);
    } else {
        uint64_t root = tpt_alloc(&p, 1024);
        tpt_map(&p, root, 1, 40, st->va, 3, 0x9000, S2_RW);
        memset(&st->c, 0, sizeof(st->c));
        st->c.ste.config = SMMU_STE_CFG_S2;
        wfx_cfg_s2(&st->c.ste.s2, 12, 24, 1, root);
        st->c.ste.s2.vmid = 3;
        st->l2 = tpt_desc_pa(&p, root, 1, 40, st->va, 2);
    }
    /* an identity stage 2 (VMID 3) for nested variants */
    tpt q;
    tpt_init(&q, st->x->mem, 0x800000, 12, 0);
    uint64_t qr = tpt_alloc(&q, 1024);
    for (uint64_t ipa = 0; ipa < 0x80000000ull; ipa += 0x200000)
        tpt_map(&q, qr, 1, 40, ipa, 2, ipa, S2_RW);
    wfx_cfg_s2(&st->s2id, 12, 24, 1, qr);
    st->s2id.vmid = 3;
    uint64_t newt = tpt_alloc(&p, 512);
    tpt_w64(st->x->mem, newt + ((st->va >> 12) & 511) * 8,
            3 | 0xa000 | (stage2 ? S2_RW : S1_RW));
    st->l2_old = tpt_r64(st->x->mem, st->l2);
    st->l2_new = (st->l2_old & ~0xfffffffff000ull) | newt;
}

static void stale_build(stale_setup *st, bool stage2) { stale_build_cfg(st, stage2, NULL); }

static uint64_t xl(stale_setup *st)
{
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(st->x->s, &st->c, st->va, &RD, &out, &f), 0);
    return out.pa;
}

/* Walk (caching the old level 2 descriptor), change it, run `cmd`: true when the walk sees the change. */
static bool invalidates(stale_setup *st, const uint64_t cmd[2])
{
    tpt_w64(st->x->mem, st->l2, st->l2_old);
    smmu_walkcache_flush(st->x->s);
    assert_int_equal(xl(st), 0x9000);
    assert_int_equal(xl(st), 0x9000);
    tpt_w64(st->x->mem, st->l2, st->l2_new);
    assert_int_equal(xl(st), 0x9000);       /* still cached */
    smmu_walkcache_command_sec(st->x->s, (unsigned)(cmd[0] & 0xff), cmd, false);
    return xl(st) == 0xa000;
}

/* One invalidation case: the stream as configured (config and regime), the
 * command (opcode and up to five fields; an address field takes an address),
 * and whether the walk cache entries above WC_VA go. */
typedef struct wc_field {
    uint32_t f;                     /* 0: no more fields */
    uint64_t v;
    bool addr;
} wc_field;

typedef struct wc_case {
    const char *what;
    uint8_t config, regime;
    unsigned op;
    wc_field set[5];
    bool want;
} wc_case;

/* A field of the command, an address field, no field. */
#define V(f, v) { F_CMD_TLBI_##f, (v), false }
#define A(f, a) { F_CMD_TLBI_##f, (a), true }
#define NONE { 0, 0, false }
#define S1 SMMU_STE_CFG_S1
#define NESTED SMMU_STE_CFG_NESTED
#define S2 SMMU_STE_CFG_S2
#define EL1 SMMU_REGIME_EL1

static void run_cases_st(stale_setup *sp, const wc_case *k, size_t n)
{
    stale_setup st = *sp;
    for (size_t i = 0; i < n; i++, k++) {
        st.c.ste.config = k->config;
        st.c.ste.regime = k->regime;
        if (k->config == SMMU_STE_CFG_NESTED)
            st.c.ste.s2 = st.s2id;
        uint64_t c[2] = { k->op, 0 };
        for (const wc_field *f = k->set; f < k->set + 5 && f->f; f++) {
            if (f->addr)
                fset_addr(c, f->f, f->v);
            else
                fset(c, f->f, f->v);
        }
        if (invalidates(&st, c) != k->want)
            fail_msg("case %zu (%s): invalidates %s, want %s", i, k->what, k->want ? "nothing" : "the entries",
                     k->want ? "the entries" : "nothing");
    }
}

static void run_cases_cfg(bool stage2, const wc_case *k, size_t n, const smmuv3_config *cfg)
{
    stale_setup st;
    stale_build_cfg(&st, stage2, cfg);
    run_cases_st(&st, k, n);
    wfx_free(st.x);
}

static void run_cases(bool stage2, const wc_case *k, size_t n) { run_cases_cfg(stage2, k, n, NULL); }

static const wc_case s1_cases[] = {
    { "NH_VA Leaf=1: intermediate entries stay", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 5), V(NH_VA_vmid, 3), A(NH_VA_address, WC_VA), V(NH_VA_leaf, 1) }, false },
    { "NH_VA Leaf=0", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 5), V(NH_VA_vmid, 3), A(NH_VA_address, WC_VA) }, true },
    { "NH_VA other ASID", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 6), V(NH_VA_vmid, 3), A(NH_VA_address, WC_VA) }, false },
    { "NH_VA outside the range the entries cover", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 5), V(NH_VA_vmid, 3), A(NH_VA_address, WC_VA + 0x40000000ull) }, false },
    { "NH_VA a range that reaches the address", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 5), V(NH_VA_vmid, 3), A(NH_VA_address, WC_VA - 0x10000), V(NH_VA_tg, 1), V(NH_VA_num, 31) },
      true },
    { "NH_VAA", S1, EL1, SMMUV3_CMD_TLBI_NH_VAA, { V(NH_VAA_vmid, 3), A(NH_VAA_address, WC_VA) }, true },
    { "NH_VAA: stage 1-only entries match any VMID", S1, EL1, SMMUV3_CMD_TLBI_NH_VAA,
      { V(NH_VAA_vmid, 4), A(NH_VAA_address, WC_VA) }, true },
    { "NH_ASID", S1, EL1, SMMUV3_CMD_TLBI_NH_ASID, { V(NH_ASID_asid, 5), V(NH_ASID_vmid, 3) }, true },
    { "NH_ASID other ASID", S1, EL1, SMMUV3_CMD_TLBI_NH_ASID, { V(NH_ASID_asid, 7), V(NH_ASID_vmid, 3) }, false },
    { "NH_ALL", S1, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 3) }, true },
    { "NH_ALL: stage 1-only entries match any VMID (over-invalidation)", S1, EL1, SMMUV3_CMD_TLBI_NH_ALL,
      { V(NH_ALL_vmid, 2) }, true },
    { "NH_ALL: nested, the VMID scopes the entries", NESTED, EL1, SMMUV3_CMD_TLBI_NH_ALL,
      { V(NH_ALL_vmid, 2) }, false },
    { "NH_ALL: nested, its VMID", NESTED, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 3) }, true },
    { "S2_IPA: stage 2 only, stage 1 entries stay", S1, EL1, SMMUV3_CMD_TLBI_S2_IPA,
      { V(S2_IPA_vmid, 3), A(S2_IPA_address, WC_VA) }, false },
    { "EL2_ALL: EL2 entries only", S1, EL1, SMMUV3_CMD_TLBI_EL2_ALL, { NONE }, false },
    { "S12_VMALL", S1, EL1, SMMUV3_CMD_TLBI_S12_VMALL, { V(S12_VMALL_vmid, 3) }, true },
    { "NSNH_ALL", S1, EL1, SMMUV3_CMD_TLBI_NSNH_ALL, { NONE }, true },
    /* the EL2 regime */
    { "EL2_ASID", S1, SMMU_REGIME_EL2_E2H, SMMUV3_CMD_TLBI_EL2_ASID, { V(EL2_ASID_asid, 5) }, true },
    { "EL2_VA", S1, SMMU_REGIME_EL2_E2H, SMMUV3_CMD_TLBI_EL2_VA,
      { V(EL2_VA_asid, 5), A(EL2_VA_address, WC_VA) }, true },
    { "EL2_ALL", S1, SMMU_REGIME_EL2_E2H, SMMUV3_CMD_TLBI_EL2_ALL, { NONE }, true },
    { "NH_ASID: NH commands do not reach EL2 entries", S1, SMMU_REGIME_EL2_E2H, SMMUV3_CMD_TLBI_NH_ASID,
      { V(NH_ASID_asid, 9), V(NH_ASID_vmid, 3) }, false },
    { "EL2_VA: EL2 without E2H has no ASID, any ASID named matches", S1, SMMU_REGIME_EL2, SMMUV3_CMD_TLBI_EL2_VA,
      { V(EL2_VA_asid, 77), A(EL2_VA_address, WC_VA) }, true },
};

static const wc_case s2_cases[] = {
    { "S2_IPA Leaf=1: intermediate entries stay", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA,
      { V(S2_IPA_vmid, 3), A(S2_IPA_address, WC_VA), V(S2_IPA_leaf, 1) }, false },
    { "S2_IPA Leaf=0", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA, { V(S2_IPA_vmid, 3), A(S2_IPA_address, WC_VA) }, true },
    { "S2_IPA other VMID", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA, { V(S2_IPA_vmid, 9), A(S2_IPA_address, WC_VA) }, false },
    { "NH_ALL: stage 1 only", S2, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 3) }, false },
    { "S12_VMALL", S2, EL1, SMMUV3_CMD_TLBI_S12_VMALL, { V(S12_VMALL_vmid, 3) }, true },
};

static void test_tlbi_s1_scopes(void **state)
{
    (void)state;
    run_cases(false, s1_cases, sizeof(s1_cases) / sizeof(s1_cases[0]));
}

static void test_tlbi_s2_scopes(void **state)
{
    (void)state;
    run_cases(true, s2_cases, sizeof(s2_cases) / sizeof(s2_cases[0]));
    /* the flush empties it */
    stale_setup st;
    stale_build(&st, true);
    tpt_w64(st.x->mem, st.l2, st.l2_old);
    smmu_walkcache_flush(st.x->s);
    assert_int_equal(xl(&st), 0x9000);
    tpt_w64(st.x->mem, st.l2, st.l2_new);
    smmu_walkcache_flush(st.x->s);
    assert_int_equal(xl(&st), 0xa000);
    wfx_free(st.x);
}

/* 8-bit ASIDs and VMIDs (IDR0.ASID16 == 0, IDR0.VMID16 == 0): ASID[15:8] and
 * VMID[15:8] of a TLBI command are RES0, and this model ignores RES0 command
 * fields (cmdq.c, 4.1.3 makes their detection optional), as the IOTLB does
 * (tlb_int.h asid_bits/vmid_bits): the walk cache must drop the same
 * entries, or a table it still holds outlives the IOTLB entry built from it. */
static const wc_case narrow_s1_cases[] = {
    { "NH_ASID, ASID[15:8] set", S1, EL1, SMMUV3_CMD_TLBI_NH_ASID,
      { V(NH_ASID_asid, 0x105), V(NH_ASID_vmid, 3) }, true },
    { "NH_VA, ASID[15:8] and VMID[15:8] set", S1, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 0xA05), V(NH_VA_vmid, 0x703), A(NH_VA_address, WC_VA) }, true },
    { "NH_ALL nested, VMID[15:8] set", NESTED, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 0x103) }, true },
    { "NH_ASID, another 8-bit ASID", S1, EL1, SMMUV3_CMD_TLBI_NH_ASID,
      { V(NH_ASID_asid, 0x106), V(NH_ASID_vmid, 3) }, false },
};

static const wc_case narrow_s2_cases[] = {
    { "S2_IPA, VMID[15:8] set", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA,
      { V(S2_IPA_vmid, 0x203), A(S2_IPA_address, WC_VA) }, true },
    { "S12_VMALL, VMID[15:8] set", S2, EL1, SMMUV3_CMD_TLBI_S12_VMALL, { V(S12_VMALL_vmid, 0xFF03) }, true },
};

static void test_tlbi_8bit_ids(void **state)
{
    (void)state;
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.asid16 = false;
    cfg.vmid16 = false;
    run_cases_cfg(false, narrow_s1_cases, sizeof(narrow_s1_cases) / sizeof(narrow_s1_cases[0]), &cfg);
    run_cases_cfg(true, narrow_s2_cases, sizeof(narrow_s2_cases) / sizeof(narrow_s2_cases[0]), &cfg);
}

/* VMID wildcards (3.17.6, SMMU_CR0.VMW when SMMU_IDR0.VMW): "explicit SMMU
 * TLB invalidation commands, whether for stage 1 within the guest or at stage
 * 2, affect all Non-secure VMIDs that match the group wildcard", as in the
 * IOTLB (tlb_inval.c scope_vmid): with CR0.VMW == 1 a command for VMID 2 also
 * reaches the walk cache entries of VMID 3, not those of VMID 4. */
static const wc_case vmw_s1_cases[] = {
    { "NH_ALL nested, VMID 2 with VMID[0] ignored", NESTED, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 2) },
      true },
    { "NH_VA nested, VMID 2 with VMID[0] ignored", NESTED, EL1, SMMUV3_CMD_TLBI_NH_VA,
      { V(NH_VA_asid, 5), V(NH_VA_vmid, 2), A(NH_VA_address, WC_VA) }, true },
    { "NH_ALL nested, VMID 4: another group", NESTED, EL1, SMMUV3_CMD_TLBI_NH_ALL, { V(NH_ALL_vmid, 4) }, false },
};

static const wc_case vmw_s2_cases[] = {
    { "S2_IPA, VMID 2 with VMID[0] ignored", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA,
      { V(S2_IPA_vmid, 2), A(S2_IPA_address, WC_VA) }, true },
    { "S12_VMALL, VMID 2 with VMID[0] ignored", S2, EL1, SMMUV3_CMD_TLBI_S12_VMALL, { V(S12_VMALL_vmid, 2) }, true },
    { "S2_IPA, VMID 4: another group", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA,
      { V(S2_IPA_vmid, 4), A(S2_IPA_address, WC_VA) }, false },
};

static void run_vmw(bool stage2, const wc_case *k, size_t n, unsigned idr_vmw)
{
    stale_setup st;
    stale_build(&st, stage2);
    st.x->s->idr[0] = (uint32_t)rset(st.x->s->idr[0], F_IDR0_vmw, idr_vmw);
    st.x->s->r.cr0 = (uint32_t)rset(st.x->s->r.cr0, F_CR0_vmw, 1);
    run_cases_st(&st, k, n);
    wfx_free(st.x);
}

static void test_tlbi_vmid_wildcard(void **state)
{
    (void)state;
    run_vmw(false, vmw_s1_cases, sizeof(vmw_s1_cases) / sizeof(vmw_s1_cases[0]), 1);
    run_vmw(true, vmw_s2_cases, sizeof(vmw_s2_cases) / sizeof(vmw_s2_cases[0]), 1);
    /* SMMU_IDR0.VMW == 0: CR0.VMW has no effect, VMID 2 is not VMID 3 */
    static const wc_case exact[] = {
        { "S2_IPA, VMID 2, no wildcard support", S2, EL1, SMMUV3_CMD_TLBI_S2_IPA,
          { V(S2_IPA_vmid, 2), A(S2_IPA_address, WC_VA) }, false },
    };
    run_vmw(true, exact, 1, 0);
}

/* The dense list of valid entries: many inserts (with replacements of a
 * direct-mapped slot), scoped removals in several rounds and a flush leave
 * exactly the entries a naive model predicts, and the cache keeps working. */
static void test_entry_bookkeeping(void **state)
{
    (void)state;
    enum { N = 64, KEYS = 200 };
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    cfg.walk_entries = N;
    wfx *x = wfx_new(&cfg);
    assert_non_null(x);
    smmuv3 *s = x->s;
    smmu_wc_key k[KEYS];
    bool live[KEYS];
    for (unsigned i = 0; i < KEYS; i++) {
        memset(&k[i], 0, sizeof(k[i]));
        k[i].desc_pa = 0x100000ull + 8ull * i;
        k[i].in_base = (uint64_t)i << 30;
        k[i].asid = (uint16_t)(i % 5);
        k[i].vmid = 1;
        k[i].stage = SMMU_WC_S1;
        k[i].regime = SMMU_REGIME_EL1;
        k[i].level = 1;
        k[i].shift = 30;
        smmu_walkcache_insert(s, &k[i], i);
    }
    /* what survived the direct-mapped replacements */
    for (unsigned i = 0; i < KEYS; i++) {
        uint64_t d;
        live[i] = smmu_walkcache_lookup(s, &k[i], &d);
        if (live[i])
            assert_int_equal(d, i);
    }
    for (uint16_t asid = 0; asid < 5; asid += 2) {
        /* VMID 1 in bits 47:32, the ASID in bits 63:48 */
        uint64_t c[2] = { SMMUV3_CMD_TLBI_NH_ASID | 1ull << 32 | (uint64_t)asid << 48, 0 };
        smmu_walkcache_command_sec(s, SMMUV3_CMD_TLBI_NH_ASID, c, false);
        for (unsigned i = 0; i < KEYS; i++) {
            uint64_t d;
            if (k[i].asid == asid)
                live[i] = false;
            assert_int_equal(smmu_walkcache_lookup(s, &k[i], &d), live[i]);
        }
    }
    smmu_walkcache_flush(s);
    for (unsigned i = 0; i < KEYS; i++) {
        uint64_t d;
        assert_false(smmu_walkcache_lookup(s, &k[i], &d));
    }
    smmu_walkcache_insert(s, &k[7], 77);
    uint64_t d = 0;
    assert_true(smmu_walkcache_lookup(s, &k[7], &d));
    assert_int_equal(d, 77);
    wfx_free(x);
}

TEST_MAIN(test_on_off_identical, test_tlbi_s1_scopes, test_tlbi_s2_scopes, test_tlbi_8bit_ids,
          test_tlbi_vmid_wildcard, test_entry_bookkeeping)
