/* SPDX-License-Identifier: MIT */
/*
 * Invalidation scoped by Security state (IHI 0070 3.10.2, 4.4): a TLBI of
 * the Secure Command queue with Secure scope removes only Secure streams'
 * IOTLB and walk cache entries, a Non-secure one (from either queue) only
 * Non-secure streams' entries; SMMU_S_INIT.INV_ALL removes both (6.3.62).
 *
 * Two streams with the same StreamID 2, ASID 4 and VA, one Secure (tables
 * in the Secure PA space) and one Non-secure, both cached; both tables are
 * then remapped without any TLBI, so a translation shows whether its
 * cached entry survived a command (old PA) or went (new PA).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "cfgfx.h"
#include "test_main.h"
#include "twomem.h"
#include "model/smmu.h"     /* REG_* offsets, command opcodes */

#define VA     0x10000ull
#define PA_S   0x20000000ull  /* the Secure stream's output (Secure PA space) */
#define PA_NS  0x30000000ull
#define MOVED  0x100000ull    /* the remapped output is PA + MOVED */

typedef struct side {          /* one Security state's driver and StreamID 2 */
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_strtab st;
    smmuv3_driver drv;
    smmuv3_pt pt;
    smmuv3_cdtab cds;
} side;

typedef struct fx {
    twomem m;
    side n, k;                /* Non-secure, Secure */
} fx;

static void side_up(fx *f, side *d, bool secure, uint64_t out)
{
    /* apart in the two spaces too: the direct-mapped walk cache would
     * otherwise evict one side's descriptors for the other's */
    assert_int_equal(twomem_driver_up(&f->m, secure, secure ? 0x50000000ull : 0x40000000ull, 0x10000000ull, 8,
                                      SMMUV3_BUILD_ALLOC, &d->al, &d->sp, &d->st, &d->drv), 0);
    /* StreamID 2: stage 1, ASID 4, [VA, +64K) -> out, 4K pages */
    assert_int_equal(smmuv3_pt_init_s1(&d->pt, &d->sp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(&d->pt, VA, out, 0x10000, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES, 0), 0);
    assert_int_equal(smmuv3_cdtab_init(&d->cds, &d->sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC), 0);
    smmuv3_cd_params cp;
    assert_int_equal(smmuv3_cd_params_from_pt(&d->pt, 4, &cp), 0);
    uint8_t cd[SMMUV3_CD_BYTES], ste[SMMUV3_STE_BYTES];
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&d->cds, 0, cd), 0);
    assert_int_equal(smmuv3_ste_s1(ste, d->cds.base, d->cds.fmt, d->cds.cdmax), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&d->st, 2, ste), 0);
}

static uint64_t xl(fx *f, bool secure, uint64_t va)
{
    smmuv3_txn t = { .sid = 2, .addr = va, .flags = secure ? SMMUV3_TXN_SECURE : 0 };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(f->m.s, &t, &r), 0);
    assert_int_equal(r.attrs.ns, !secure);
    return r.pa;
}

/* Both streams cached at VA, then both remapped to PA + MOVED without a TLBI. */
static fx *fx_new(void)
{
    fx *f = test_calloc(1, sizeof(*f));
    smmuv3_config c = CFGFX(CF(fastpath, false));
    twomem_init(&f->m, &c);
    side_up(f, &f->n, false, PA_NS);
    side_up(f, &f->k, true, PA_S);
    assert_int_equal(xl(f, true, VA), PA_S);
    assert_int_equal(xl(f, false, VA), PA_NS);
    assert_int_equal(smmuv3_pt_map(&f->k.pt, VA, PA_S + MOVED, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(smmuv3_pt_map(&f->n.pt, VA, PA_NS + MOVED, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0), 0);
    assert_int_equal(xl(f, true, VA), PA_S);        /* both still cached */
    assert_int_equal(xl(f, false, VA), PA_NS);
    return f;
}

static void fx_free(fx *f)
{
    twomem_fini(&f->m);
    test_free(f);
}

static void cmd(side *d, unsigned op, uint64_t dw0_fields, uint64_t dw1)
{
    assert_int_equal(smmuv3_driver_submit_raw(&d->drv, op | dw0_fields, dw1), 0);
    assert_int_equal(smmuv3_driver_sync(&d->drv), 0);
}

/* One command (op, DW0 fields, DW1) on the Non-secure (from_s false) or
 * the Secure Command queue, then which state's entry went (the translation
 * sees the new PA) and which survived (the old one). */
typedef struct inval_case {
    const char *name;
    bool from_s;
    unsigned op;
    uint64_t dw0, dw1;
    bool s_went, ns_went;
} inval_case;

static void run_cases(const inval_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        print_message("%s\n", c[i].name);
        fx *f = fx_new();
        cmd(c[i].from_s ? &f->k : &f->n, c[i].op, c[i].dw0, c[i].dw1);
        assert_int_equal(xl(f, true, VA), PA_S + (c[i].s_went ? MOVED : 0));
        assert_int_equal(xl(f, false, VA), PA_NS + (c[i].ns_went ? MOVED : 0));
        fx_free(f);
    }
}

/* The same TLBI_NH_* from each queue: each removes only its own state's entry. */
static void nh_commands_stay_in_their_state(void **state)
{
    (void)state;
    static const inval_case c[] = {
        { "NH_ALL, Non-secure queue", false, SMMUV3_CMD_TLBI_NH_ALL, 0, 0, false, true },
        { "NH_ALL, Secure queue (Secure scope)", true, SMMUV3_CMD_TLBI_NH_ALL, 0, 0, true, false },
        { "NH_ASID, Non-secure queue", false, SMMUV3_CMD_TLBI_NH_ASID, 4ull << 48, 0, false, true },
        { "NH_ASID, Secure queue", true, SMMUV3_CMD_TLBI_NH_ASID, 4ull << 48, 0, true, false },
        { "NH_VA, Non-secure queue", false, SMMUV3_CMD_TLBI_NH_VA, 4ull << 48, VA, false, true },
        { "NH_VA, Secure queue", true, SMMUV3_CMD_TLBI_NH_VA, 4ull << 48, VA, true, false },
        { "NH_VAA, Non-secure queue", false, SMMUV3_CMD_TLBI_NH_VAA, 0, VA, false, true },
        { "NH_VAA, Secure queue", true, SMMUV3_CMD_TLBI_NH_VAA, 0, VA, true, false },
    };
    run_cases(c, sizeof(c) / sizeof(c[0]));
}

/* The "everything" commands of each state, and the Non-secure-scope
 * commands issued from the Secure queue (4.4.3.2, 4.4.4.1: Non-secure
 * scope from either queue). */
static void all_commands_stay_in_their_state(void **state)
{
    (void)state;
    static const inval_case c[] = {
        { "SNH_ALL", true, SMMUV3_CMD_TLBI_SNH_ALL, 0, 0, true, false },
        { "S_S12_VMALL (VMID 0: the Secure stream's)", true, SMMUV3_CMD_TLBI_S_S12_VMALL, 0, 0, true, false },
        { "NSNH_ALL, Non-secure queue", false, SMMUV3_CMD_TLBI_NSNH_ALL, 0, 0, false, true },
        { "NSNH_ALL, Secure queue: still Non-secure scope", true, SMMUV3_CMD_TLBI_NSNH_ALL, 0, 0, false, true },
        { "S12_VMALL, Secure queue", true, SMMUV3_CMD_TLBI_S12_VMALL, 0, 0, false, true },
        /* EL3 and S-EL2 commands hold no EL1 entry of either state */
        { "EL3_ALL", true, SMMUV3_CMD_TLBI_EL3_ALL, 0, 0, false, false },
        { "S_EL2_ALL", true, SMMUV3_CMD_TLBI_S_EL2_ALL, 0, 0, false, false },
    };
    run_cases(c, sizeof(c) / sizeof(c[0]));
}

/* SMMU_S_INIT.INV_ALL (with both SMMUEN 0) removes the entries of both states. */
static void init_inv_all_removes_both(void **state)
{
    (void)state;
    fx *f = fx_new();
    assert_int_equal(smmuv3_driver_write_cr0(&f->n.drv, 0), 0);
    assert_int_equal(smmuv3_driver_write_cr0(&f->k.drv, 0), 0);
    smmuv3_mmio_write_sec(f->m.s, REG_S_INIT, 1, 4, true);
    assert_int_equal(smmuv3_mmio_read_sec(f->m.s, REG_S_INIT, 4, true), 0);
    uint32_t en = (uint32_t)(smmu_fmask(F_CR0_smmuen) | smmu_fmask(F_CR0_cmdqen) | smmu_fmask(F_CR0_eventqen));
    assert_int_equal(smmuv3_driver_write_cr0(&f->n.drv, en), 0);
    assert_int_equal(smmuv3_driver_write_cr0(&f->k.drv, en), 0);
    assert_int_equal(xl(f, true, VA), PA_S + MOVED);
    assert_int_equal(xl(f, false, VA), PA_NS + MOVED);
    fx_free(f);
}

/* The walk cache: a Non-secure TLBI leaves the Secure walk's table
 * descriptors (a new page in the same table hits them); the Secure one
 * removes them. */
static void walk_cache_by_state(void **state)
{
    (void)state;
    fx *f = fx_new();
    smmuv3_stats a, b;
    cmd(&f->n, SMMUV3_CMD_TLBI_NH_ALL, 0, 0);
    smmuv3_get_stats(f->m.s, &a);
    assert_int_equal(xl(f, true, VA + 0x1000), PA_S + 0x1000);
    smmuv3_get_stats(f->m.s, &b);
    assert_true(b.walk_cache_hits > a.walk_cache_hits);
    assert_int_equal(xl(f, false, VA + 0x3000), PA_NS + 0x3000);   /* refills the Non-secure walk */
    cmd(&f->k, SMMUV3_CMD_TLBI_NH_ALL, 0, 0);
    smmuv3_get_stats(f->m.s, &a);
    assert_int_equal(xl(f, true, VA + 0x2000), PA_S + 0x2000);
    smmuv3_get_stats(f->m.s, &b);
    assert_int_equal(b.walk_cache_hits, a.walk_cache_hits);      /* the Secure ones went */
    smmuv3_get_stats(f->m.s, &a);
    assert_int_equal(xl(f, false, VA + 0x5000), PA_NS + 0x5000);
    smmuv3_get_stats(f->m.s, &b);
    assert_true(b.walk_cache_hits > a.walk_cache_hits);          /* the Non-secure ones stayed */
    cmd(&f->n, SMMUV3_CMD_TLBI_NH_ALL, 0, 0);
    smmuv3_get_stats(f->m.s, &a);
    assert_int_equal(xl(f, false, VA + 0x4000), PA_NS + 0x4000);
    smmuv3_get_stats(f->m.s, &b);
    assert_int_equal(b.walk_cache_hits, a.walk_cache_hits);
    fx_free(f);
}

TEST_MAIN(nh_commands_stay_in_their_state, all_commands_stay_in_their_state,
          init_inv_all_removes_both, walk_cache_by_state)
