/* Scenarios: QEMU's bare-metal SMMUv3 tests (stage 1, stage 2, nested) through
 * the DMA test device, with tables laid out by the builders exactly where
 * QEMU's qtest puts them, and their failure twins. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "buildenv.h"
#include "tdev.h"

/* The QEMU layout (virt RAM at 0x40000000 plus the qtest's offsets), shared with the example. */
#include "../examples/qemu_layout.h"

enum mode { MODE_S1 = 1, MODE_S2 = 2, MODE_NESTED = 3 };

typedef struct senv {
    enum mode mode;
    env b;                      /* memory, instance; the queues' allocator and space, stream table, driver */
    smmuv3_alloc talloc;
    smmuv3_space tsp, pa_noalloc, ipa;
    smmuv3_cdtab cds;
    smmuv3_pt s1, s2;
    smmuv3_testdev *dev;
} senv;

static void map_shared(smmuv3_pt *pt, uint64_t addr, uint64_t pa, unsigned perms)
{
    assert_int_equal(qemu_map_shared(pt, addr, pa, perms), 0);
}

static void build_cd(senv *e, const smmuv3_space *sp)
{
    assert_int_equal(smmuv3_cdtab_init(&e->cds, sp, SMMUV3_S1FMT_LINEAR, 0, CD_ADDR), 0);
    smmuv3_cd_params cp;
    assert_int_equal(smmuv3_cd_params_from_pt(&e->s1, ASID, &cp), 0);
    cp.ips = 44;
    uint8_t cd[64];
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&e->cds, 0, cd), 0);
}

static senv *senv_new(enum mode mode)
{
    senv *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->mode = mode;
    env_open(&e->b, NULL);
    env_tables(&e->b, QUEUES, 0x100000, STRTAB_LOG2, STRTAB);
    /* the three table pages are the only memory the page-table builder may take */
    assert_int_equal(smmuv3_alloc_init(&e->talloc, TBL_L1, 0x3000), 0);
    assert_int_equal(smmuv3_space_init(&e->tsp, &e->b.host, &e->talloc), 0);
    assert_int_equal(smmuv3_space_init(&e->pa_noalloc, &e->b.host, NULL), 0);

    uint8_t ste[64];
    smmuv3_s2_params p2;
    switch (mode) {
    case MODE_S1:
        assert_int_equal(smmuv3_pt_init_s1(&e->s1, &e->tsp, 12, 16, ROOT), 0);
        assert_int_equal(e->s1.start_level, 0);
        assert_int_equal(smmuv3_pt_map(&e->s1, IOVA & ~0xfffull, TARGET, 0x1000, SMMUV3_MAP_RW, 0), 0);
        build_cd(e, &e->b.sp);
        assert_int_equal(smmuv3_ste_s1(ste, e->cds.base, e->cds.fmt, e->cds.cdmax), 0);
        break;
    case MODE_S2:
        assert_int_equal(smmuv3_pt_init_s2(&e->s2, &e->tsp, 12, 20, 2, ROOT), 0);
        assert_int_equal(e->s2.start_level, 0);
        assert_int_equal(e->s2.concat, 1);
        assert_int_equal(smmuv3_pt_map(&e->s2, IOVA & ~0xfffull, TARGET, 0x1000, SMMUV3_MAP_RW, 0), 0);
        assert_int_equal(smmuv3_s2_params_from_pt(&e->s2, 0, &p2), 0);
        assert_int_equal(p2.ps, 48);
        assert_int_equal(smmuv3_ste_s2(ste, &p2), 0);
        break;
    case MODE_NESTED:
        /* stage 2 first: identity for the table pages and the CD (read-only,
         * as QEMU maps them), read-write for the target page */
        assert_int_equal(smmuv3_pt_init_s2(&e->s2, &e->pa_noalloc, 12, 20, 2, ROOT), 0);
        for (uint64_t a = ROOT; a <= TBL_L3; a += 0x1000)
            map_shared(&e->s2, a, a, SMMUV3_MAP_READ);
        map_shared(&e->s2, CD_ADDR, CD_ADDR & ~0xfffull, SMMUV3_MAP_READ);
        map_shared(&e->s2, TARGET, TARGET, SMMUV3_MAP_RW);
        /* stage 1 lives at IPAs: written through the stage 2 mapping */
        assert_int_equal(smmuv3_space_init_ipa(&e->ipa, &e->b.host, NULL, smmuv3_pt_to_pa, &e->s2), 0);
        assert_int_equal(smmuv3_pt_init_s1(&e->s1, &e->ipa, 12, 16, ROOT | SMMUV3_BUILD_KEEP), 0);
        map_shared(&e->s1, IOVA, TARGET, SMMUV3_MAP_RW);
        build_cd(e, &e->ipa);
        assert_int_equal(smmuv3_s2_params_from_pt(&e->s2, 0, &p2), 0);
        assert_int_equal(smmuv3_ste_nested(ste, CD_ADDR, SMMUV3_S1FMT_LINEAR, 0, &p2), 0);
        break;
    }
    e->dev = env_up_testdev(&e->b, SID, ste);
    return e;
}

static void senv_free(senv *e)
{
    smmuv3_testdev_free(e->dev);
    env_close(&e->b);
    free(e);
}

static uint32_t run_dma(senv *e, uint64_t iova, uint32_t len, uint32_t attrs, bool arm)
{
    tdev_dma_set(e->dev, iova, EXPECT_PA, len);
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_ATTRS, attrs);
    return tdev_dma_run(e->dev, arm);
}

static uint32_t pa_word(senv *e, uint64_t pa) { return tdev_pa32(e->b.mem, pa); }

static uint64_t mem_u64(senv *e, uint64_t pa)
{
    uint8_t b[8];
    assert_int_equal(smmuv3_mem_read(e->b.mem, pa, b, 8), 0);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* The builders put every table where QEMU's qtest does. */
static void check_layout(senv *e)
{
    const uint64_t mask = 0x0000fffffffff000ull;
    /* walk of the IOVA: L0[1] -> L1 page, L1[2] -> L2 page, L2[3] -> L3 page, L3[4] -> target */
    assert_int_equal(mem_u64(e, ROOT + 8 * 1) & mask, TBL_L1);
    assert_int_equal(mem_u64(e, TBL_L1 + 8 * 2) & mask, TBL_L2);
    assert_int_equal(mem_u64(e, TBL_L2 + 8 * 3) & mask, TBL_L3);
    assert_int_equal(mem_u64(e, TBL_L3 + 8 * 4) & mask, TARGET);
    assert_int_equal(mem_u64(e, TBL_L3 + 8 * 4) & 3, 3);
    /* the STE of SID 8, its CD (stage 1) and its stage 2 fields */
    uint8_t ste[64], cd[64];
    assert_int_equal(smmuv3_mem_read(e->b.mem, STRTAB + 64 * SID, ste, 64), 0);
    const img_field ste_all[] = { { "v", 1 }, { "config", e->mode == MODE_S1 ? 5 : e->mode == MODE_S2 ? 6 : 7 } };
    const img_field ste_s1[] = { { "s1contextptr", CD_ADDR } };
    const img_field cd_s1[] = { { "t0sz", 16 }, { "ips", 4 }, { "asid", ASID }, { "ttb0", ROOT } };
    const img_field ste_s2[] = { { "s2t0sz", 20 }, { "s2sl0", 2 }, { "s2ps", 5 }, { "s2ttb", ROOT } };
    IMG_EXPECT(ste, "ste", ste_all);
    if (e->mode != MODE_S2) {
        IMG_EXPECT(ste, "ste", ste_s1);
        assert_int_equal(smmuv3_mem_read(e->b.mem, CD_ADDR, cd, 64), 0);
        IMG_EXPECT(cd, "cd", cd_s1);
    }
    if (e->mode != MODE_S1)
        IMG_EXPECT(ste, "ste", ste_s2);
    /* the SMMU was brought up with this stream table */
    assert_int_equal(smmuv3_mmio_read(e->b.smmu, 0x80, 8) & 0x000ffffffffffFC0ull, STRTAB);
    assert_int_equal(smmuv3_mmio_read(e->b.smmu, 0x88, 4) & 0x3f, STRTAB_LOG2);
    assert_int_equal(smmuv3_mmio_read(e->b.smmu, 0x24, 4) & 0xd, 0xd);   /* CR0ACK: SMMUEN, EVENTQEN, CMDQEN */
}

static enum mode mode_of(void **state) { return (enum mode)(uintptr_t)*state; }

static void test_scenario_ok(void **state)
{
    senv *e = senv_new(mode_of(state));
    check_layout(e);
    assert_int_not_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    assert_int_equal(smmuv3_driver_event_count(&e->b.drv), 0);
    assert_int_equal(smmuv3_driver_gerror(&e->b.drv), 0);
    /* triggering disarmed the device */
    assert_int_equal(smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_DMA_TRIGGERING), 0);
    assert_int_equal(smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_NOT_ARMED);
    senv_free(e);
}

static void expect_event(senv *e, unsigned id, uint32_t sid, uint64_t input)
{
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_find(&e->b.drv, id, rec), 1);
    const img_field all[] = { { "streamid", sid } };
    const img_field fault[] = { { "inputaddr", input }, { "rnw", 0 } };   /* the DMA writes */
    IMG_EXPECT(rec, "event", all);
    if (id >= SMMUV3_EVT_F_TRANSLATION && id <= SMMUV3_EVT_F_PERMISSION)
        IMG_EXPECT(rec, "event", fault);
}

/* Twin: the leaf is read-only, the DMA writes. */
static void test_twin_readonly(void **state)
{
    senv *e = senv_new(mode_of(state));
    smmuv3_pt *pt = e->mode == MODE_S2 ? &e->s2 : &e->s1;
    unsigned ro = e->mode == MODE_S2 ? SMMUV3_MAP_READ : SMMUV3_MAP_READ;
    assert_int_equal(smmuv3_pt_protect(pt, IOVA & ~0xfffull, 0x1000, ro), 0);
    uint64_t desc;
    assert_int_equal(smmuv3_pt_lookup(pt, IOVA, NULL, NULL, &desc), 0);
    if (e->mode == MODE_S2)
        assert_true(!(desc & SMMUV3_PTE_S2AP_W));
    else
        assert_true(desc & SMMUV3_PTE_AP2);
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_not_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    expect_event(e, SMMUV3_EVT_F_PERMISSION, SID, IOVA);
    uint32_t lf = smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_LAST_FAULT);
    assert_int_equal(SMMUV3_TESTDEV_FAULT_EVENT(lf), SMMUV3_EVT_F_PERMISSION);
    assert_true(lf & SMMUV3_TESTDEV_FAULT_WRITE);
    senv_free(e);
}

/* Twin: nothing is mapped at the IOVA. */
static void test_twin_unmapped(void **state)
{
    senv *e = senv_new(mode_of(state));
    uint64_t iova = IOVA + 0x1000;   /* L3[5]: empty */
    assert_int_equal(run_dma(e, iova, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    expect_event(e, SMMUV3_EVT_F_TRANSLATION, SID, iova);
    senv_free(e);
}

/* Twin: the device's StreamID is beyond the stream table (LOG2SIZE 5). */
static void test_twin_bad_sid(void **state)
{
    senv *e = senv_new(mode_of(state));
    smmuv3_testdev_write(e->dev, SMMUV3_TESTDEV_SID, 1u << STRTAB_LOG2);
    assert_int_equal(smmuv3_testdev_read(e->dev, SMMUV3_TESTDEV_SID), 1u << STRTAB_LOG2);
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    expect_event(e, SMMUV3_EVT_C_BAD_STREAMID, 1u << STRTAB_LOG2, IOVA);
    assert_int_not_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    senv_free(e);
}

/* Twins decided by the device before any DMA: LEN 0, not armed, bad attributes. */
static void test_twin_device_checks(void **state)
{
    senv *e = senv_new(mode_of(state));
    assert_int_equal(run_dma(e, IOVA, 0, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_BAD_LEN);
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, false), SMMUV3_TESTDEV_RESULT_NOT_ARMED);
    /* secure = 1 while the space says Non-secure */
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS | SMMUV3_TESTDEV_ATTRS_SECURE, true),
                     SMMUV3_TESTDEV_RESULT_BAD_ATTRS);
    /* none of them reached the SMMU */
    assert_int_not_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    assert_int_equal(smmuv3_driver_event_count(&e->b.drv), 0);
    smmuv3_stats st;
    smmuv3_get_stats(e->b.smmu, &st);
    assert_int_equal(st.translations, 0);
    /* and the device still works afterwards */
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_OK);
    assert_int_equal(pa_word(e, EXPECT_PA), 0x12345678u);
    senv_free(e);
}

/* QEMU's cleanup between cases: clear the STE and the CD, then CFGI_STE,
 * CFGI_CD and TLBI_NSNH_ALL through the command queue. The next DMA finds an
 * invalid STE. */
static void test_scenario_cleanup(void **state)
{
    senv *e = senv_new(mode_of(state));
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_OK);
    uint8_t zero[64] = { 0 };
    assert_int_equal(smmuv3_strtab_write_ste(&e->b.st, SID, zero), 0);
    if (e->mode != MODE_S2)
        assert_int_equal(smmuv3_cdtab_write_cd(&e->cds, 0, zero), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->b.drv, SID), 0);
    assert_int_equal(smmuv3_driver_cfgi_cd(&e->b.drv, SID, 0), 0);
    assert_int_equal(smmuv3_driver_tlbi_nsnh_all(&e->b.drv), 0);
    uint8_t clear[4] = { 0 };
    assert_int_equal(smmuv3_mem_write(e->b.mem, EXPECT_PA, clear, 4), 0);
    assert_int_equal(run_dma(e, IOVA, DMA_LEN, DMA_ATTRS, true), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    assert_int_equal(pa_word(e, EXPECT_PA), 0);
    expect_event(e, SMMUV3_EVT_C_BAD_STE, SID, IOVA);
    assert_int_equal(smmuv3_driver_gerror(&e->b.drv), 0);
    senv_free(e);
}

#define FOR_MODES(fn) \
    cmocka_unit_test_prestate(fn, (void *)(uintptr_t)MODE_S1), \
    cmocka_unit_test_prestate(fn, (void *)(uintptr_t)MODE_S2), \
    cmocka_unit_test_prestate(fn, (void *)(uintptr_t)MODE_NESTED)

int main(void)
{
    const struct CMUnitTest tests[] = {
        FOR_MODES(test_scenario_ok),
        FOR_MODES(test_twin_readonly),
        FOR_MODES(test_twin_unmapped),
        FOR_MODES(test_twin_bad_sid),
        FOR_MODES(test_twin_device_checks),
        FOR_MODES(test_scenario_cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
