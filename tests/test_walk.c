/* Unit tests: translation table walks (src/walk.c, walk_perm.c, walkcache.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include "smmu.h"
#include "walkpt.h"

/* ------------------------------------------------------------ fixture */
typedef struct fx {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config cfg;
} fx;

static fx *fx_make(const smmuv3_config *c)
{
    fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->mem = smmuv3_mem_new();
    assert_non_null(f->mem);
    smmuv3_host_from_mem(&f->host, f->mem);
    if (c)
        f->cfg = *c;
    else
        smmuv3_config_default(&f->cfg);
    assert_int_equal(smmuv3_new(&f->cfg, &f->host, &f->s), 0);
    return f;
}

static void fx_free(fx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
    free(f);
}

static int setup(void **state)
{
    *state = fx_make(NULL);
    return 0;
}

static int teardown(void **state)
{
    fx_free(*state);
    return 0;
}

#define MAIR_DEFAULT 0x000000000044ff04ull  /* idx0 Device-nGnRE, idx1 WB, idx2 NC */

/* Stage 1 only, TTB0 with granule g and TxSZ tsz; TTB1 disabled. */
static void cfg_s1(smmu_txcfg *c, unsigned g, unsigned tsz, uint64_t ttb0)
{
    memset(c, 0, sizeof(*c));
    c->ste.config = SMMU_STE_CFG_S1;
    c->ste.regime = SMMU_REGIME_EL1;
    c->has_cd = true;
    c->cd.tt[0].ttb = ttb0;
    c->cd.tt[0].tsz = (uint8_t)tsz;
    c->cd.tt[0].granule = (uint8_t)g;
    c->cd.tt[1].epd = true;
    c->cd.tt[1].granule = (uint8_t)g;
    c->cd.tt[1].tsz = (uint8_t)tsz;
    c->cd.ips = 48;
    c->cd.aa64 = true;
    c->cd.asid = 1;
    c->cd.mair = MAIR_DEFAULT;
}

static void cfg_s2(smmu_s2_cfg *s2, unsigned g, unsigned tsz, unsigned start, uint64_t ttb)
{
    memset(s2, 0, sizeof(*s2));
    s2->vmid = 1;
    s2->tsz = (uint8_t)tsz;
    s2->granule = (uint8_t)g;
    s2->start_level = (uint8_t)start;
    s2->sl0 = (uint8_t)(g == 12 ? 2 - start : 3 - start);
    s2->ps = 48;
    s2->aa64 = true;
    s2->ttb = ttb;
}

static const smmu_access RD = { .write = false, .exec = false, .priv = false };
static const smmu_access WR = { .write = true, .exec = false, .priv = false };

#define S1_RW (PT_AF | PT_ATTRINDX(1) | PT_SH(3) | PT_AP(1))   /* EL0+EL1 read/write */
#define S2_RW (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))

/* ------------------------------------------------------------ basic walks */
static void test_s1_4k_basic(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(&p, 512);
    tpt_map(&p, root, 0, 48, 0x12345678000ull, 3, 0x80042000ull, S1_RW);
    smmu_txcfg c;
    cfg_s1(&c, 12, 16, root);
    smmu_xlate out;
    smmu_fault f;
    uint64_t walks = x->s->stats.walks;
    assert_int_equal(smmu_walk(x->s, &c, 0x12345678abcull, &RD, &out, &f), 0);
    assert_int_equal(out.pa, 0x80042abcull);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s1_level, 3);
    assert_int_equal(out.s1_granule, 12);
    assert_true(out.global);
    assert_true(out.perm.s1);
    assert_false(out.perm.s2);
    assert_int_equal(out.attrs.memattr, 0xff);
    assert_int_equal(out.attrs.sh, 3);
    assert_int_equal(x->s->stats.walks, walks + 1);
    assert_int_equal(smmu_walk(x->s, &c, 0x12345678abcull, &WR, &out, &f), 0);
    /* unmapped neighbour */
    assert_int_equal(smmu_walk(x->s, &c, 0x12345679000ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_false(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
}

static void test_s2_4k_concat(void **state)
{
    fx *x = *state;
    tpt p;
    tpt_init(&p, x->mem, 0x200000, 12, 0);
    /* 40-bit IPA from level 1: 1024 entries = 2 concatenated tables. */
    uint64_t root = tpt_alloc(&p, 1024);
    tpt_map(&p, root, 1, 40, 0x8000001000ull, 3, 0x4000000ull, S2_RW);
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c.ste.s2, 12, 24, 1, root);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x8000001234ull, &WR, &out, &f), 0);
    assert_int_equal(out.pa, 0x4000234ull);
    assert_int_equal(out.ipa, 0x8000001234ull);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 12);
    assert_int_equal(out.s2_level, 3);
    assert_true(out.perm.s2);
    assert_int_equal(out.attrs.memattr, 0xff);
    /* the entry in the second concatenated table really is at root + 4K */
    assert_int_equal(tpt_desc_pa(&p, root, 1, 40, 0x8000001000ull, 1), root + 512 * 8);
    /* outside the 40-bit range: stage 2 translation fault, CLASS=IN, IPA */
    assert_int_equal(smmu_walk(x->s, &c, 0x10000000000ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x10000000000ull);
    /* beyond the IAS (OAS 48): stage 1 address size fault although stage 1 is bypassed */
    assert_int_equal(smmu_walk(x->s, &c, 1ull << 48, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_ADDR_SIZE);
    assert_false(f.s2);
}

/* Nested setup used by several tests: stage 2 maps IPA [0, 1G) -> PA + 1G with 2M blocks. */
#define NEST_OFF 0x40000000ull
static void nested_setup(fx *x, smmu_txcfg *c, tpt *p1, uint64_t *s1root, tpt *p2, uint64_t *s2root)
{
    tpt_init(p2, x->mem, 0x300000, 12, 0);
    *s2root = tpt_alloc(p2, 1024);
    for (uint64_t ipa = 0; ipa < 0x40000000ull; ipa += 0x200000)
        tpt_map(p2, *s2root, 1, 40, ipa, 2, ipa + NEST_OFF, S2_RW);
    /* stage 1 tables at IPA 0x100000.. (PA 0x40100000..) */
    tpt_init(p1, x->mem, 0x100000 + NEST_OFF, 12, NEST_OFF);
    uint64_t r = tpt_alloc(p1, 512);
    *s1root = r;
    cfg_s1(c, 12, 16, r - NEST_OFF);
    c->ste.config = SMMU_STE_CFG_NESTED;
    cfg_s2(&c->ste.s2, 12, 24, 1, *s2root);
}

static void test_nested_4k_basic(void **state)
{
    fx *x = *state;
    smmu_txcfg c;
    tpt p1, p2;
    uint64_t r1, r2;
    nested_setup(x, &c, &p1, &r1, &p2, &r2);
    tpt_map(&p1, r1, 0, 48, 0x7f0000001000ull, 3, 0x20005000ull, S1_RW);
    smmu_xlate out;
    smmu_fault f;
    assert_int_equal(smmu_walk(x->s, &c, 0x7f0000001678ull, &RD, &out, &f), 0);
    assert_int_equal(out.ipa, 0x20005678ull);
    assert_int_equal(out.pa, 0x20005678ull + NEST_OFF);
    assert_int_equal(out.size_log2, 12);
    assert_int_equal(out.s2_size_log2, 21);
    assert_int_equal(out.s1_level, 3);
    assert_int_equal(out.s2_level, 2);
    assert_true(out.perm.s1 && out.perm.s2);
    /* final IPA outside the stage 2 range: S2=1, CLASS=IN, IPA */
    tpt_map(&p1, r1, 0, 48, 0x7f0000002000ull, 3, 0x10000000000ull, S1_RW);
    assert_int_equal(smmu_walk(x->s, &c, 0x7f0000002010ull, &RD, &out, &f), 1);
    assert_int_equal(f.event, SMMUV3_EVT_F_TRANSLATION);
    assert_true(f.s2);
    assert_int_equal(f.cls, SMMU_CLASS_IN);
    assert_int_equal(f.ipa, 0x10000000010ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_s1_4k_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_s2_4k_concat, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nested_4k_basic, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
