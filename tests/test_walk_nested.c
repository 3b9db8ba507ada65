/* Unit tests: nested walks (src/model/walk/walk.c): stage 1 tables and CDs
 * through stage 2, faults at each level and on tables, the final IPA, sizes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "model/smmu.h"
#include "walkfx.h"
#include "test_main.h"

/* The nested scene (ws_setup_nested): stage 2 maps IPA [0, 1G) -> PA + 1G with 2M blocks. */
static void test_nested_4k_basic(void **state)
{
    ws *w = *state;
    ws_map(w, 0x7f0000001000ull, 0x20005000ull, S1_RW);
    assert_int_equal(ws_walk(w, 0x7f0000001678ull, &RD), 0);
    assert_int_equal(w->out.ipa, 0x20005678ull);
    assert_int_equal(w->out.pa, 0x20005678ull + NEST_OFF);
    assert_int_equal(w->out.size_log2, 12);
    assert_int_equal(w->out.s2_size_log2, 21);
    assert_int_equal(w->out.s1_level, 3);
    assert_int_equal(w->out.s2_level, 2);
    assert_true(w->out.perm.s1 && w->out.perm.s2);
    /* final IPA outside the stage 2 range: S2=1, CLASS=IN, IPA */
    ws_map(w, 0x7f0000002000ull, 0x10000000000ull, S1_RW);
    ws_fault(w, 0x7f0000002010ull, &RD, SMMUV3_EVT_F_TRANSLATION, 1, SMMU_CLASS_IN);
    assert_int_equal(w->f.ipa, 0x10000000010ull);
}


/* ------------------------------------------------------------ nested */
static void test_nested_faults_per_level(void **state)
{
    const uint64_t va = 0x7f0000001678ull;
    for (unsigned lvl = 0; lvl <= 3; lvl++) {
        ws *w = ws_profile(*state, NULL);   /* a fresh instance and scene per level */
        ws_map(w, va, 0x20005000ull, S1_RW);
        /* Point the level-`lvl` table at IPA 0x50000000, which stage 2 does not map. */
        const uint64_t bad = 0x50000000ull;
        if (lvl == 0) {
            w->c.cd.tt[0].ttb = bad;
        } else {
            uint64_t d = tpt_desc_pa(&w->p, w->root, 0, 48, va, lvl - 1);
            tpt_w64(w->x->mem, d, (tpt_r64(w->x->mem, d) & ~0xfffffffff000ull) | bad);
        }
        uint64_t idx = (va >> tpt_shift(12, lvl)) & 511;
        ws_fault(w, va, &RD, SMMUV3_EVT_F_TRANSLATION, 1, SMMU_CLASS_TT);
        assert_int_equal(w->f.ipa, bad + idx * 8);
        assert_true(w->f.ttrnw);
    }
}

static void test_nested_cd_fetch(void **state)
{
    ws *w = *state;
    smmu_s2_cfg *s2 = &w->c.ste.s2;
    /* the CD at IPA 0x3000: mapped */
    assert_int_equal(smmu_walk_s2(w->x->s, s2, 0x3000, &RD, SMMU_CLASS_CD, &w->out, &w->f), 0);
    assert_int_equal(w->out.pa, 0x3000 + NEST_OFF);
    /* the CD at an unmapped IPA: S2=1, CLASS=CD, IPA = CD address */
    assert_int_equal(smmu_walk_s2(w->x->s, s2, 0x60000040ull, &RD, SMMU_CLASS_CD, &w->out, &w->f), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(w->f.s2);
    assert_int_equal(w->f.cls, SMMU_CLASS_CD);
    assert_int_equal(w->f.ipa, 0x60000040ull);
    /* S2 access flag fault on the CD's block */
    uint64_t d = tpt_desc_pa(&w->p2, w->r2, 1, 40, 0x3000, 2);
    tpt_w64(w->x->mem, d, tpt_r64(w->x->mem, d) & ~PT_AF);
    assert_int_equal(smmu_walk_s2(w->x->s, s2, 0x3000, &RD, SMMU_CLASS_CD, &w->out, &w->f), 1);
    assert_int_equal(w->f.event, SMMUV3_EVT_F_ACCESS);
    assert_int_equal(w->f.cls, SMMU_CLASS_CD);
    assert_int_equal(w->f.ipa, 0x3000);
}

static void test_nested_s2_faults_on_tables(void **state)
{
    ws *w = *state;
    smmuv3_mem *mem = w->x->mem;
    const uint64_t va = 0x7f0000001678ull;
    ws_map(w, va, 0x20005000ull, S1_RW);
    uint64_t l3 = tpt_desc_pa(&w->p, w->root, 0, 48, va, 3);       /* PA of the stage 1 leaf */
    uint64_t l3ipa = l3 - NEST_OFF;
    uint64_t s2d = tpt_desc_pa(&w->p2, w->r2, 1, 40, l3ipa, 2);   /* stage 2 block mapping it */
    uint64_t s2v = tpt_r64(mem, s2d);
    /* stage 2 denies reads of the stage 1 tables (one 2M block holds them all, so
     * the root's descriptor is the first): permission, S2, CLASS=TT, TTRnW=1 */
    uint64_t rootd = w->root - NEST_OFF + ((va >> 39) & 511) * 8;
    assert_int_equal(tpt_desc_pa(&w->p2, w->r2, 1, 40, w->root - NEST_OFF, 2), s2d);
    tpt_w64(mem, s2d, s2v & ~PT_S2AP(3));
    ws_fault(w, va, &RD, SMMUV3_EVT_F_PERMISSION, 1, SMMU_CLASS_TT);
    assert_int_equal(w->f.ipa, rootd);
    assert_true(w->f.ttrnw);
    /* stage 2 address size fault on the table's IPA */
    tpt_w64(mem, s2d, (s2v & ~0xffffffe00000ull) | (0x10000000000ull & 0xffffffe00000ull));
    w->c.ste.s2.ps = 40;
    ws_fault(w, va, &RD, SMMUV3_EVT_F_ADDR_SIZE, 1, SMMU_CLASS_TT);
    w->c.ste.s2.ps = 48;
    /* S2PTW: stage 1 table in Device memory at stage 2 */
    tpt_w64(mem, s2d, (s2v & ~PT_MEMATTR(0xf)) | PT_MEMATTR(1));
    assert_int_equal(ws_walk(w, va, &RD), 0);
    w->c.ste.s2.ptw = true;
    ws_fault(w, va, &RD, SMMUV3_EVT_F_PERMISSION, -1, SMMU_CLASS_TT);
    w->c.ste.s2.ptw = false;
    tpt_w64(mem, s2d, s2v);
    /* external abort on the stage 1 descriptor PA: S2=0, CLASS=TT, FetchAddr=PA */
    assert_int_equal(smmuv3_mem_add_abort(mem, l3, 8), 0);
    ws_fault(w, va, &RD, SMMUV3_EVT_F_WALK_EABT, 0, SMMU_CLASS_TT);
    assert_int_equal(w->f.fetch_addr, l3);
}

static void test_nested_s2_walk_eabt(void **state)
{
    ws *w = *state;
    const uint64_t va = 0x7f0000001678ull;
    ws_map(w, va, 0x20005000ull, S1_RW);
    /* abort on the stage 2 descriptor that maps the stage 1 root table */
    uint64_t s2d = tpt_desc_pa(&w->p2, w->r2, 1, 40, w->root - NEST_OFF, 2);
    assert_int_equal(smmuv3_mem_add_abort(w->x->mem, s2d, 8), 0);
    ws_fault(w, va, &RD, SMMUV3_EVT_F_WALK_EABT, 1, SMMU_CLASS_TT);
    assert_int_equal(w->f.fetch_addr, s2d);
}

static void test_nested_final_ipa_and_order(void **state)
{
    ws *w = *state;
    smmuv3_mem *mem = w->x->mem;
    const uint64_t va = 0x1000;
    /* stage 1 read-only, output IPA whose stage 2 block is read-only */
    uint64_t l3 = ws_map(w, va, 0x20400000ull, PT_AF | PT_ATTRINDX(1) | PT_AP(3));
    uint64_t s2d = tpt_desc_pa(&w->p2, w->r2, 1, 40, 0x20400000ull, 2);
    tpt_w64(mem, s2d, (tpt_r64(mem, s2d) & ~PT_S2AP(3)) | PT_S2AP(1));
    assert_int_equal(ws_walk(w, va, &RD), 0);
    /* write: stage 1 permission fault wins over stage 2 */
    ws_fault(w, va, &WR, SMMUV3_EVT_F_PERMISSION, 0, SMMU_CLASS_IN);
    /* stage 1 writable: the stage 2 permission fault, CLASS=IN, IPA */
    tpt_w64(mem, l3, (tpt_r64(mem, l3) & ~PT_AP(3)) | PT_AP(1));
    ws_fault(w, va + 0x44, &WR, SMMUV3_EVT_F_PERMISSION, 1, SMMU_CLASS_IN);
    assert_int_equal(w->f.ipa, 0x20400044ull);
    /* stage 1 read-only and stage 2 unmapped: the stage 1 permission fault still wins */
    tpt_w64(mem, l3, (tpt_r64(mem, l3) & ~PT_AP(3)) | PT_AP(3));
    tpt_w64(mem, s2d, 0);
    ws_fault(w, va, &WR, SMMUV3_EVT_F_PERMISSION, 0, -1);
    ws_fault(w, va, &RD, SMMUV3_EVT_F_TRANSLATION, 1, SMMU_CLASS_IN);
    assert_int_equal(w->f.ipa, 0x20400000ull);
}

static void test_nested_sizes(void **state)
{
    ws *w = *state;
    /* stage 1 2M block over stage 2 4K pages: region = 4K */
    tpt_map(&w->p2, w->r2, 1, 40, 0x30000000ull, 2, 0, 0);           /* make room: replace block... */
    uint64_t s2d = tpt_desc_pa(&w->p2, w->r2, 1, 40, 0x30000000ull, 2);
    tpt_w64(w->x->mem, s2d, 0);
    tpt_map(&w->p2, w->r2, 1, 40, 0x30003000ull, 3, 0x77003000ull, S2_RW);
    tpt_map(&w->p, w->root, 0, 48, 0x400000, 2, 0x30000000ull, S1_RW);
    assert_int_equal(ws_walk(w, 0x403abc, &RD), 0);
    assert_int_equal(w->out.pa, 0x77003abcull);
    assert_int_equal(w->out.ipa, 0x30003abcull);
    assert_int_equal(w->out.size_log2, 12);
    assert_int_equal(w->out.s2_size_log2, 12);
    assert_int_equal(w->out.s1_level, 2);
    assert_int_equal(w->out.s2_level, 3);
    /* stage 1 4K page over a stage 2 2M block: region = 4K */
    ws_map(w, 0x800000, 0x20100000ull, S1_RW);
    assert_int_equal(ws_walk(w, 0x800010, &RD), 0);
    assert_int_equal(w->out.size_log2, 12);
    assert_int_equal(w->out.s2_size_log2, 21);
    /* stage 1 1G block over stage 2 2M blocks: region = 2M */
    tpt_map(&w->p, w->root, 0, 48, 0x40000000ull, 1, 0, S1_RW);
    assert_int_equal(ws_walk(w, 0x40234567ull, &RD), 0);
    assert_int_equal(w->out.pa, 0x234567ull + NEST_OFF);
    assert_int_equal(w->out.size_log2, 21);
}

TEST_MAIN_FX(ws_setup_nested, ws_teardown, test_nested_4k_basic, test_nested_faults_per_level,
             test_nested_cd_fetch, test_nested_s2_faults_on_tables, test_nested_s2_walk_eabt,
             test_nested_final_ipa_and_order, test_nested_sizes)
