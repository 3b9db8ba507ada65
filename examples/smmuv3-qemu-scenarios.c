/*
 * smmuv3-qemu-scenarios: QEMU's three bare-metal SMMUv3 tests (stage 1 only,
 * stage 2 only, nested) and their failure twins, run against libsmmuv3 with
 * the DMA test device. Tables are built with the builder API at the addresses
 * QEMU's qtest uses; the SMMU is brought up through its registers like a
 * driver would. Prints one line per case; exits 0 when every case behaves as
 * expected.
 */
#include <stdio.h>
#include <string.h>
#include <smmuv3/smmuv3.h>
#include "qemu_layout.h"

enum mode { MODE_S1, MODE_S2, MODE_NESTED };
static const char *const mode_name[] = { "stage 1", "stage 2", "nested" };

enum twin { TWIN_NONE, TWIN_READONLY, TWIN_UNMAPPED, TWIN_BAD_SID, TWIN_LEN0, TWIN_NOT_ARMED, TWIN_BAD_ATTRS };
static const char *const twin_name[] = { "translate", "read-only leaf", "unmapped IOVA", "SID beyond table",
                                         "LEN 0", "not armed", "bad attributes" };

typedef struct env {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *smmu;
    smmuv3_alloc qalloc, talloc;
    smmuv3_space qsp, tsp, pa_noalloc, ipa;
    smmuv3_strtab st;
    smmuv3_cdtab cds;
    smmuv3_pt s1, s2;
    smmuv3_driver drv;
    smmuv3_testdev *dev;
} env;

#define TRY(x) do { int rc_ = (x); if (rc_) { fprintf(stderr, "%s: %s\n", #x, smmuv3_strerror(rc_)); return rc_; } } while (0)

static int build_cd(env *e, const smmuv3_space *sp)
{
    smmuv3_cd_params cp;
    uint8_t cd[64];
    TRY(smmuv3_cdtab_init(&e->cds, sp, SMMUV3_S1FMT_LINEAR, 0, CD_ADDR));
    TRY(smmuv3_cd_params_from_pt(&e->s1, ASID, &cp));
    cp.ips = 44;
    TRY(smmuv3_cd_s1(cd, &cp));
    return smmuv3_cdtab_write_cd(&e->cds, 0, cd);
}

static int setup(env *e, enum mode mode, bool readonly)
{
    smmuv3_config cfg;
    uint8_t ste[64];
    smmuv3_s2_params p2;
    memset(e, 0, sizeof(*e));
    e->mem = smmuv3_mem_new();
    if (!e->mem)
        return SMMUV3_ENOMEM;
    smmuv3_host_from_mem(&e->host, e->mem);
    smmuv3_config_default(&cfg);
    TRY(smmuv3_new(&cfg, &e->host, &e->smmu));
    TRY(smmuv3_alloc_init(&e->qalloc, QUEUES, 0x100000));
    TRY(smmuv3_space_init(&e->qsp, &e->host, &e->qalloc));
    TRY(smmuv3_alloc_init(&e->talloc, TBL_L1, 0x3000));
    TRY(smmuv3_space_init(&e->tsp, &e->host, &e->talloc));
    TRY(smmuv3_space_init(&e->pa_noalloc, &e->host, NULL));
    TRY(smmuv3_strtab_init_linear(&e->st, &e->qsp, STRTAB_LOG2, STRTAB));
    unsigned leaf = readonly ? SMMUV3_MAP_READ : SMMUV3_MAP_RW;
    switch (mode) {
    case MODE_S1:
        TRY(smmuv3_pt_init_s1(&e->s1, &e->tsp, 12, 16, ROOT));
        TRY(smmuv3_pt_map(&e->s1, IOVA & ~0xfffull, TARGET, 0x1000, leaf, 0));
        TRY(build_cd(e, &e->qsp));
        TRY(smmuv3_ste_s1(ste, e->cds.base, e->cds.fmt, e->cds.cdmax));
        break;
    case MODE_S2:
        TRY(smmuv3_pt_init_s2(&e->s2, &e->tsp, 12, 20, 2, ROOT));
        TRY(smmuv3_pt_map(&e->s2, IOVA & ~0xfffull, TARGET, 0x1000, leaf, 0));
        TRY(smmuv3_s2_params_from_pt(&e->s2, 0, &p2));
        TRY(smmuv3_ste_s2(ste, &p2));
        break;
    case MODE_NESTED:
        TRY(smmuv3_pt_init_s2(&e->s2, &e->pa_noalloc, 12, 20, 2, ROOT));
        for (uint64_t a = ROOT; a <= TBL_L3; a += 0x1000)
            TRY(qemu_map_shared(&e->s2, a, a, SMMUV3_MAP_READ));
        TRY(qemu_map_shared(&e->s2, CD_ADDR, CD_ADDR & ~0xfffull, SMMUV3_MAP_READ));
        TRY(qemu_map_shared(&e->s2, TARGET, TARGET, SMMUV3_MAP_RW));
        TRY(smmuv3_space_init_ipa(&e->ipa, &e->host, NULL, smmuv3_pt_to_pa, &e->s2));
        TRY(smmuv3_pt_init_s1(&e->s1, &e->ipa, 12, 16, ROOT | SMMUV3_BUILD_KEEP));
        TRY(qemu_map_shared(&e->s1, IOVA, TARGET, leaf));
        TRY(build_cd(e, &e->ipa));
        TRY(smmuv3_s2_params_from_pt(&e->s2, 0, &p2));
        TRY(smmuv3_ste_nested(ste, CD_ADDR, SMMUV3_S1FMT_LINEAR, 0, &p2));
        break;
    }
    TRY(smmuv3_strtab_write_ste(&e->st, SID, ste));
    TRY(smmuv3_driver_init(&e->drv, e->smmu, &e->qsp, &e->st, NULL));
    e->dev = smmuv3_testdev_new(e->smmu, &e->host, SID);
    return e->dev ? 0 : SMMUV3_ENOMEM;
}

static void teardown(env *e)
{
    smmuv3_testdev_free(e->dev);
    smmuv3_free(e->smmu);
    smmuv3_mem_free(e->mem);
}

static uint32_t trigger(env *e, uint64_t iova, uint32_t len, uint32_t attrs, bool arm)
{
    smmuv3_testdev *d = e->dev;
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_LO, (uint32_t)iova);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_HI, (uint32_t)(iova >> 32));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_LO, (uint32_t)EXPECT_PA);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_HI, (uint32_t)(EXPECT_PA >> 32));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, len);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATTRS, attrs);
    if (arm)
        smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, SMMUV3_TESTDEV_DBELL_ARM);
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    return smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT);
}

/* Runs one case; returns 1 when it behaved as expected. */
static int run_case(enum mode mode, enum twin twin)
{
    env e;
    uint32_t want = SMMUV3_TESTDEV_RESULT_OK, got;
    unsigned want_event = 0;
    uint64_t iova = IOVA;
    uint32_t len = DMA_LEN, attrs = DMA_ATTRS;
    bool arm = true;
    int rc = setup(&e, mode, twin == TWIN_READONLY);
    if (rc) {
        printf("%-8s %-18s setup failed: %s\n", mode_name[mode], twin_name[twin], smmuv3_strerror(rc));
        teardown(&e);
        return 0;
    }
    switch (twin) {
    case TWIN_NONE: break;
    case TWIN_READONLY: want = SMMUV3_TESTDEV_RESULT_TX_FAIL; want_event = SMMUV3_EVT_F_PERMISSION; break;
    case TWIN_UNMAPPED:
        iova += 0x1000;
        want = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        want_event = SMMUV3_EVT_F_TRANSLATION;
        break;
    case TWIN_BAD_SID:
        smmuv3_testdev_write(e.dev, SMMUV3_TESTDEV_SID, 1u << STRTAB_LOG2);
        want = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        want_event = SMMUV3_EVT_C_BAD_STREAMID;
        break;
    case TWIN_LEN0: len = 0; want = SMMUV3_TESTDEV_RESULT_BAD_LEN; break;
    case TWIN_NOT_ARMED: arm = false; want = SMMUV3_TESTDEV_RESULT_NOT_ARMED; break;
    case TWIN_BAD_ATTRS: attrs |= SMMUV3_TESTDEV_ATTRS_SECURE; want = SMMUV3_TESTDEV_RESULT_BAD_ATTRS; break;
    }
    got = trigger(&e, iova, len, attrs, arm);
    uint8_t b[4] = { 0 };
    smmuv3_mem_read(e.mem, EXPECT_PA, b, 4);
    uint32_t word = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    bool data_ok = (want == SMMUV3_TESTDEV_RESULT_OK) == (word == SMMUV3_TESTDEV_PATTERN);
    const char *ev = "-";
    bool event_ok = true;
    uint8_t rec[32];
    if (want_event) {
        event_ok = smmuv3_driver_event_find(&e.drv, want_event, rec) == 1;
        ev = smmuv3_event_name(want_event);
    } else {
        event_ok = smmuv3_driver_event_count(&e.drv) == 0;
    }
    int pass = got == want && data_ok && event_ok;
    printf("%-8s %-18s RESULT 0x%08X (want 0x%08X)  PA 0x%llX = 0x%08X  event %-16s %s\n", mode_name[mode],
           twin_name[twin], got, want, (unsigned long long)EXPECT_PA, word, ev, pass ? "ok" : "FAILED");
    teardown(&e);
    return pass;
}

int main(void)
{
    int failed = 0, total = 0;
    for (int m = MODE_S1; m <= MODE_NESTED; m++)
        for (int t = TWIN_NONE; t <= TWIN_BAD_ATTRS; t++) {
            total++;
            if (!run_case((enum mode)m, (enum twin)t))
                failed++;
        }
    printf("%d of %d cases as expected\n", total - failed, total);
    return failed ? 1 : 0;
}
