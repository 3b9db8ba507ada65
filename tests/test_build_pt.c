/* Unit tests: the page-table builder (src/build/pagetables.c): geometry,
 * every granule and stage (checked by a software walk and by the model's own
 * translation), descriptor pokes, 52-bit output addresses, IPA spaces. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "buildenv.h"
#include "test_main.h"

/* ------------------------------------------------------------ page tables */
static void test_pt_geometry(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    /* stage 1 start levels */
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 39, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);   /* 25 bits: level 3 alone resolves 21 */
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 43, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 3);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 14, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 14, 17, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 22, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 13, 16, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 12, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 60, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_level_size(&pt, 3), 0x10000);   /* failures left the 64K table alone */
    /* stage 2: SL0 and concatenation */
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 24, 1, SMMUV3_BUILD_ALLOC), 0);   /* 40 bits from L1 */
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(pt.concat, 2);
    assert_int_equal(pt.root & 0x1fff, 0);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(pt.sl0, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 16, 1, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL); /* 512 tables */
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 16, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(pt.concat, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 16, 18, 1, SMMUV3_BUILD_ALLOC), 0);   /* 46 bits from L2 */
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 16);
    assert_int_equal(pt.root & 0x1ffff, 0);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 16, 22, 3, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 28, 0, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 28, 1, SMMUV3_BUILD_ALLOC), 0);   /* 36 bits from L2 */
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 16);
    /* small translation tables (IDR3.STT): a 4K level 3 start is S2SL0 0b11,
     * chosen only when no other start fits (IHI 0070 5.2 S2SL0) */
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 48, -1, SMMUV3_BUILD_ALLOC), 0);   /* 16 bits */
    assert_int_equal(pt.start_level, 3);
    assert_int_equal(pt.sl0, 3);
    assert_int_equal(pt.concat, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 39, -1, SMMUV3_BUILD_ALLOC), 0);   /* 25 bits: level 2 */
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.sl0, 0);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 39, 3, SMMUV3_BUILD_ALLOC), 0);    /* or 16 at level 3 */
    assert_int_equal(pt.start_level, 3);
    assert_int_equal(pt.concat, 16);
    assert_int_equal(pt.root & 0xffff, 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 48, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 3);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 47, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 3);
    env_free(e);
}

/* Map, check with the software walk, then with the model's translation. */
typedef struct pt_case {
    unsigned stage, granule, tsz;
    int sl0;
} pt_case;

static void run_pt_case(const pt_case *c)
{
    env *e = env_new(true);
    smmuv3_pt pt;
    uint8_t ste[64];
    const uint32_t sid = 3;
    uint64_t gsize = 1ull << c->granule;
    uint64_t block = 1ull << (c->granule + (c->granule - 3));   /* level 2 block */
    if (c->stage == 1) {
        assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, c->granule, c->tsz, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_cdtab ct;
        assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_cd_params cp;
        assert_int_equal(smmuv3_cd_params_from_pt(&pt, 9, &cp), 0);
        uint8_t cd[64];
        assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
        assert_int_equal(smmuv3_cdtab_write_cd(&ct, 0, cd), 0);
        assert_int_equal(smmuv3_ste_s1(ste, ct.base, ct.fmt, ct.cdmax), 0);
    } else {
        assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, c->granule, c->tsz, c->sl0, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_s2_params p;
        assert_int_equal(smmuv3_s2_params_from_pt(&pt, 4, &p), 0);
        assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    }
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, sid, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->drv, sid), 0);

    uint64_t top = 1ull << (64 - c->tsz);
    /* a block-aligned range: one block descriptor at level 2 */
    uint64_t iova = block * 3, pa = DATA + block;
    assert_int_equal(smmuv3_pt_map(&pt, iova, pa, block, SMMUV3_MAP_RW, 0), 0);
    unsigned level;
    uint64_t out, desc;
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + block - 8, &out, &level, &desc), 0);
    assert_int_equal(level, 2);
    assert_int_equal(out, pa + block - 8);
    assert_int_equal(desc & 3, 1);
    check_xlate(e, sid, iova + 0x123, pa + 0x123, true, 0);
    /* the same size with PAGES: level 3 only (look at two pages) */
    uint64_t iova2 = block * 5;
    assert_int_equal(smmuv3_pt_map(&pt, iova2, pa, block, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova2 + gsize, &out, &level, NULL), 0);
    assert_int_equal(level, 3);
    assert_int_equal(out, pa + gsize);
    check_xlate(e, sid, iova2 + 7 * gsize + 4, pa + 7 * gsize + 4, false, 0);
    /* the top of the input range */
    assert_int_equal(smmuv3_pt_map(&pt, top - gsize, DATA + 0x100000000ull, gsize, SMMUV3_MAP_READ, 0), 0);
    check_xlate(e, sid, top - 8, DATA + 0x100000000ull + gsize - 8, false, 0);
    check_xlate(e, sid, top - 8, 0, true, SMMUV3_XLATE_ABORT);   /* read-only */
    assert_int_equal(smmuv3_pt_map(&pt, top, DATA, gsize, SMMUV3_MAP_RW, 0), SMMUV3_ERANGE);
    /* unmapping one page of the block splits it; the rest still translates */
    assert_int_equal(smmuv3_pt_unmap(&pt, iova + gsize, gsize), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + gsize, NULL, NULL, NULL), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + 2 * gsize, &out, &level, NULL), 0);
    assert_int_equal(level, 3);
    assert_int_equal(out, pa + 2 * gsize);
    if (c->stage == 1)
        assert_int_equal(smmuv3_driver_tlbi_nh_all(&e->drv, 0), 0);
    else
        assert_int_equal(smmuv3_driver_tlbi_s12_vmall(&e->drv, 4), 0);
    check_xlate(e, sid, iova + gsize, 0, false, SMMUV3_XLATE_ABORT);
    check_xlate(e, sid, iova + 2 * gsize + 1, pa + 2 * gsize + 1, true, 0);
    check_xlate(e, sid, iova, pa, true, 0);
    /* protect: read-only now */
    assert_int_equal(smmuv3_pt_protect(&pt, iova, gsize, SMMUV3_MAP_READ), 0);
    if (c->stage == 1)
        assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->drv, 0, 9, iova, true), 0);
    else
        assert_int_equal(smmuv3_driver_tlbi_s2_ipa(&e->drv, 4, iova, true), 0);
    check_xlate(e, sid, iova, 0, true, SMMUV3_XLATE_ABORT);
    check_xlate(e, sid, iova, pa, false, 0);
    /* contiguous hint on an aligned run */
    unsigned n = c->granule == 12 ? 16 : c->granule == 14 ? 128 : 32;
    uint64_t run = n * gsize, iova3 = block * 8;
    assert_int_equal(smmuv3_pt_map(&pt, iova3, DATA + 4 * block, run, SMMUV3_MAP_RW | SMMUV3_MAP_CONT, 0), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova3 + run - gsize, &out, &level, &desc), 0);
    assert_true(desc & SMMUV3_PTE_CONT);
    assert_int_equal(out, DATA + 4 * block + run - gsize);
    check_xlate(e, sid, iova3 + 5 * gsize, DATA + 4 * block + 5 * gsize, true, 0);
    env_free(e);
}

static void test_pt_s1_4k(void **s) { (void)s; pt_case c = { 1, 12, 16, 0 }; run_pt_case(&c); }
static void test_pt_s1_16k(void **s) { (void)s; pt_case c = { 1, 14, 20, 0 }; run_pt_case(&c); }
static void test_pt_s1_64k(void **s) { (void)s; pt_case c = { 1, 16, 22, 0 }; run_pt_case(&c); }
static void test_pt_s2_4k(void **s) { (void)s; pt_case c = { 2, 12, 24, 1 }; run_pt_case(&c); }   /* 2 concatenated */
static void test_pt_s2_16k(void **s) { (void)s; pt_case c = { 2, 14, 24, -1 }; run_pt_case(&c); }  /* 16 concatenated */
static void test_pt_s2_64k(void **s) { (void)s; pt_case c = { 2, 16, 18, 1 }; run_pt_case(&c); }  /* 16 concatenated */

static void test_pt_pokes(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    uint64_t d, a;
    assert_int_equal(smmuv3_pt_get_desc(&pt, 0x1000, 3, &d), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, SMMUV3_MAP_RW | SMMUV3_MAP_NG, SMMUV3_ATTR(2, 2), &d), 0);
    assert_int_equal(d & 3, 3);
    assert_int_equal(d & 0x0000fffffffff000ull, 0x5000);
    assert_int_equal((d >> 2) & 7, 2);       /* AttrIndx */
    assert_int_equal((d >> 8) & 3, 2);       /* SH */
    assert_true(d & SMMUV3_PTE_AF);
    assert_true(d & SMMUV3_PTE_NG);
    assert_true(d & SMMUV3_PTE_AP1);
    assert_false(d & SMMUV3_PTE_AP2);
    assert_true((d & SMMUV3_PTE_PXN) && (d & SMMUV3_PTE_UXN));
    assert_int_equal(smmuv3_pt_set_desc(&pt, 0x1000, 3, d), 0);
    assert_int_equal(smmuv3_pt_get_desc(&pt, 0x1000, 3, &d), 0);
    uint64_t out;
    assert_int_equal(smmuv3_pt_lookup(&pt, 0x1008, &out, NULL, NULL), 0);
    assert_int_equal(out, 0x5008);
    assert_int_equal(smmuv3_pt_desc_addr(&pt, 0x1000, 3, false, &a), 0);
    uint64_t raw;
    assert_int_equal(smmuv3_space_read64(&e->sp, a, &raw), 0);
    assert_int_equal(raw, d);
    /* bad requests */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 0, 0, 0, &d), SMMUV3_EINVAL);   /* below start */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 2, 0, 0, &d), SMMUV3_EINVAL);   /* unaligned block */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, 0, 8, &d), SMMUV3_EINVAL);   /* attrs without SMMUV3_ATTR */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, 0, SMMUV3_ATTR(8, 0), &d), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 1ull << 48, 3, 0, 0, &d), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_pt_map(&pt, 0x1800, 0x5000, 0x1000, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_map(&pt, 0x1000, 0x5000, 0, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_map(&pt, 1ull << 39, 0x5000, 0x1000, 0, 0), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_pt_map(NULL, 0, 0, 0x1000, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_lookup(&pt, 1ull << 40, NULL, NULL, NULL), SMMUV3_ERANGE);
    /* stage 2 descriptors: S2AP and XN */
    smmuv3_pt s2;
    assert_int_equal(smmuv3_pt_init_s2(&s2, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_leaf_desc(&s2, 0x5000, 3, SMMUV3_MAP_READ, 0, &d), 0);
    assert_true(d & SMMUV3_PTE_S2AP_R);
    assert_false(d & SMMUV3_PTE_S2AP_W);
    assert_true(d & SMMUV3_PTE_XN1);
    assert_int_equal((d >> 2) & 0xf, 0xf);   /* MemAttr default Normal WB */
    assert_int_equal(smmuv3_pt_leaf_desc(&s2, 0x5000, 3, SMMUV3_MAP_RW | SMMUV3_MAP_EXEC, SMMUV3_ATTR(1, 0), &d), 0);
    assert_false(d & (SMMUV3_PTE_XN0 | SMMUV3_PTE_XN1));
    assert_int_equal((d >> 2) & 0xf, 1);
    /* an exhausted allocator is an error, not a crash */
    smmuv3_alloc tiny;
    smmuv3_space tsp;
    assert_int_equal(smmuv3_alloc_init(&tiny, 0x40000000, 0x1000), 0);
    assert_int_equal(smmuv3_space_init(&tsp, &e->host, &tiny), 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &tsp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(&pt, 0, 0x5000, 0x1000, 0, 0), SMMUV3_ENOMEM);
    env_free(e);
}

static void test_pt_52bit_oa(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 22, SMMUV3_BUILD_ALLOC), 0);
    const uint64_t pa = 0x000A123456780000ull & ~0xffffull;
    assert_int_equal(smmuv3_pt_map(&pt, 0x10000, pa, 0x10000, SMMUV3_MAP_RW, 0), SMMUV3_ERANGE);
    pt.oa_bits = 52;
    assert_int_equal(smmuv3_pt_map(&pt, 0x10000, pa, 0x10000, SMMUV3_MAP_RW, 0), 0);
    uint64_t out, d;
    assert_int_equal(smmuv3_pt_lookup(&pt, 0x10010, &out, NULL, &d), 0);
    assert_int_equal(out, pa + 0x10);
    assert_int_equal((d >> 12) & 0xf, 0xA);
    /* 4K tables cannot express it without LPA2 */
    smmuv3_pt p4;
    assert_int_equal(smmuv3_pt_init_s1(&p4, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    p4.oa_bits = 52;
    assert_int_equal(smmuv3_pt_map(&p4, 0x1000, 1ull << 49, 0x1000, SMMUV3_MAP_RW, 0), SMMUV3_ENOTSUP);
    env_free(e);
}

/* The structures are public; tampered fields give errors, not crashes. */
/* Nested with stage 1 tables and the CD allocated at IPAs that stage 2 maps
 * to different physical pages: everything is written through the stage 2
 * mapping, and the model's nested walk finds it. */
static void test_nested_ipa_allocation(void **state)
{
    (void)state;
    env *e = env_new(true);
    const uint64_t ipa_base = 0x10000000, pa_base = 0xA0000000, window = 0x100000;
    smmuv3_pt s2;
    assert_int_equal(smmuv3_pt_init_s2(&s2, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    /* the IPA window for guest tables: pages mapped in reverse order */
    for (uint64_t off = 0; off < window; off += 0x1000)
        assert_int_equal(smmuv3_pt_map(&s2, ipa_base + off, pa_base + window - 0x1000 - off, 0x1000,
                                       SMMUV3_MAP_RW, 0), 0);
    /* the guest's data page: IPA 0x20000000 -> PA 0xB0000000 */
    assert_int_equal(smmuv3_pt_map(&s2, 0x20000000, 0xB0000000, 0x1000, SMMUV3_MAP_RW, 0), 0);
    smmuv3_alloc ipa_alloc;
    smmuv3_space ipa;
    assert_int_equal(smmuv3_alloc_init(&ipa_alloc, ipa_base, window), 0);
    assert_int_equal(smmuv3_space_init_ipa(&ipa, &e->host, &ipa_alloc, smmuv3_pt_to_pa, &s2), 0);
    smmuv3_pt s1;
    assert_int_equal(smmuv3_pt_init_s1(&s1, &ipa, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    assert_true(s1.root >= ipa_base && s1.root < ipa_base + window);
    assert_int_equal(smmuv3_pt_map(&s1, 0x7000, 0x20000000, 0x1000, SMMUV3_MAP_RW, 0), 0);
    smmuv3_cdtab ct;
    assert_int_equal(smmuv3_cdtab_init(&ct, &ipa, SMMUV3_S1FMT_2L_4K, 8, SMMUV3_BUILD_ALLOC), 0);
    smmuv3_cd_params cp;
    assert_int_equal(smmuv3_cd_params_from_pt(&s1, 5, &cp), 0);
    uint8_t cd[64], ste[64];
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 0, cd), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 130, cd), 0);
    /* the CD is at an IPA; its bytes are at the stage 2 output address */
    uint64_t cd_ipa, cd_pa;
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 130, false, &cd_ipa), 0);
    assert_int_equal(smmuv3_pt_lookup(&s2, cd_ipa, &cd_pa, NULL, NULL), 0);
    uint8_t back[64];
    assert_int_equal(smmuv3_mem_read(e->mem, cd_pa, back, 64), 0);
    assert_memory_equal(back, cd, 64);
    smmuv3_s2_params p2;
    assert_int_equal(smmuv3_s2_params_from_pt(&s2, 9, &p2), 0);
    assert_int_equal(smmuv3_ste_nested(ste, ct.base, ct.fmt, ct.cdmax, &p2), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s1dss", 2), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 7, ste), 0);
    smmuv3_txn t = { .sid = 7, .addr = 0x7abc, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), 0);
    assert_int_equal(r.pa, 0xB0000abc);
    t.ssv = true;
    t.ssid = 130;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), 0);
    assert_int_equal(r.pa, 0xB0000abc);
    t.ssid = 131;   /* no CD there */
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    /* an IPA the stage 2 does not map cannot hold tables */
    smmuv3_pt s1b;
    assert_int_equal(smmuv3_pt_init_s1(&s1b, &ipa, 12, 25, 0x30000000), SMMUV3_ENOENT);
    env_free(e);
}

/* One map call writes a run of descriptors bound for one table with one
 * access and walks to that table once (build/pt_run.c); what memory holds
 * after it, and its result, must be what a call per page gives (a walk and a
 * write each): here also with 64K tables spanning several pages, with the
 * root placed where the allocator puts a table over it (zeroing the way a
 * walk went, or a leaf written over the root's descriptor), and with an
 * abort range that fails a write part way (after the tables were made by an
 * earlier map of the same range, or while zeroing a new one). */
typedef struct pt_world {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_pt pt;
} pt_world;

enum { W_POOL = 0x100000, W_SIZE = 0x100000 };

/* Map [iova, iova + size) to pa as pages, in one call or a call per page. */
static int pt_world_map(pt_world *w, uint64_t iova, uint64_t pa, uint64_t size, bool per_page)
{
    const unsigned perms = SMMUV3_MAP_RW | SMMUV3_MAP_PAGES;
    const uint64_t g = per_page ? 1ull << w->pt.granule : size;
    int rc = 0;
    for (uint64_t off = 0; off < size && !rc; off += g)
        rc = smmuv3_pt_map(&w->pt, iova + off, pa + off, g, perms, 0);
    return rc;
}

static void test_pt_map_run_as_page_by_page(void **state)
{
    (void)state;
    static const struct {
        unsigned granule, t0sz;
        uint64_t root;       /* SMMUV3_BUILD_ALLOC, or inside the allocator's pool */
        bool premap;         /* the range mapped elsewhere (a page at a time) before the abort range is added */
        uint64_t abort_at;   /* an 8-byte abort range (0: none) */
        uint64_t iova, size;
        int rc;
    } cases[] = {
        { 12, 25, SMMUV3_BUILD_ALLOC, false, 0, 0x1ff000, 0x402000, 0 },          /* three leaf tables */
        { 16, 25, SMMUV3_BUILD_ALLOC, false, 0, 0x1f0000, 0x1000000, 0 },         /* 64K tables: 16 pages each */
        { 16, 16, W_POOL + 0x2d000, false, 0, 0x1ffc0000, 0x80000, 0 },           /* a table zeroed over the root */
        { 12, 39, W_POOL, false, 0, 0, 0x4000, 0 },   /* a leaf table over the root: a leaf over the walk's way */
        { 12, 25, SMMUV3_BUILD_ALLOC, true, W_POOL + 0x2100, 0, 0x200000, SMMUV3_EABORT },   /* a leaf write */
        { 12, 25, SMMUV3_BUILD_ALLOC, false, W_POOL + 0x3100, 0, 0x400000, SMMUV3_EABORT },  /* a new table */
    };
    uint8_t *a = malloc(W_SIZE), *b = malloc(W_SIZE);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pt_world w[2];   /* one call, a call per page */
        for (unsigned k = 0; k < 2; k++) {
            w[k].mem = smmuv3_mem_new();
            assert_non_null(w[k].mem);
            smmuv3_host_from_mem(&w[k].host, w[k].mem);
            assert_int_equal(smmuv3_alloc_init(&w[k].al, W_POOL, W_SIZE), 0);
            assert_int_equal(smmuv3_space_init(&w[k].sp, &w[k].host, &w[k].al), 0);
            assert_int_equal(smmuv3_pt_init_s1(&w[k].pt, &w[k].sp, cases[i].granule, cases[i].t0sz, cases[i].root), 0);
            if (cases[i].premap)
                assert_int_equal(pt_world_map(&w[k], cases[i].iova, 0x80000000, cases[i].size, true), 0);
            if (cases[i].abort_at)
                assert_int_equal(smmuv3_mem_add_abort(w[k].mem, cases[i].abort_at, 8), 0);
        }
        assert_int_equal(pt_world_map(&w[0], cases[i].iova, 0x40000000, cases[i].size, false), cases[i].rc);
        assert_int_equal(pt_world_map(&w[1], cases[i].iova, 0x40000000, cases[i].size, true), cases[i].rc);
        assert_int_equal(w[0].al.next, w[1].al.next);
        assert_int_equal(smmuv3_mem_pages(w[0].mem), smmuv3_mem_pages(w[1].mem));
        memset(a, 0, W_SIZE);
        memset(b, 0, W_SIZE);
        for (uint64_t off = 0; off < W_SIZE; off += 8) {   /* a descriptor at a time: around the abort range */
            smmuv3_mem_read(w[0].mem, W_POOL + off, a + off, 8);
            smmuv3_mem_read(w[1].mem, W_POOL + off, b + off, 8);
        }
        assert_memory_equal(a, b, W_SIZE);
        uint64_t d = 0, last = cases[i].iova + cases[i].size - (1ull << cases[i].granule);
        if (!cases[i].rc)   /* and all of it was mapped */
            assert_int_equal(smmuv3_pt_get_desc(&w[0].pt, last, 3, &d), 0);
        assert_true(cases[i].rc || (d & SMMUV3_PTE_VALID));
        smmuv3_mem_free(w[0].mem);
        smmuv3_mem_free(w[1].mem);
    }
    free(a);
    free(b);
}

/* 52-bit output addresses with the 64K granule (PA[51:48] in bits 15:12). */

TEST_MAIN(test_pt_geometry, test_pt_s1_4k, test_pt_s1_16k, test_pt_s1_64k, test_pt_s2_4k,
          test_pt_s2_16k, test_pt_s2_64k, test_pt_pokes, test_nested_ipa_allocation,
          test_pt_52bit_oa, test_pt_map_run_as_page_by_page)
