/* ATS Translation Requests (IHI 0070 3.9.1.2, 13.6, 13.7): smmuv3_ats_translate
 * over streams built in memory, with the SMMU brought up through MMIO. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "atsenv.h"
#include "cfgfx.h"
#include "cases.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)
#define VA 0x12345000ull
#define PA 0x5000000ull
#define RW SMMUV3_MAP_RW
#define PR SMMUV3_PERM_R
#define PW SMMUV3_PERM_W
#define PX SMMUV3_PERM_X

enum { SID_S1 = 1, SID_S2 = 2, SID_NEST = 3, SID_BYP = 4, SID_ABT = 5, SID_PASID = 6, SID_SPLIT = 7,
       SID_OFF = 8, SID_DSS = 9 };

static atsenv *env(bool atschk)
{
    atsenv *e = atsenv_new(NULL, atschk);
    assert_non_null(e);
    atsenv_s1(e, SID_S1, 1, 0, 0);
    atsenv_s2(e, SID_S2, 1);
    atsenv_nested(e, SID_NEST, 1, 0, 0);
    atsenv_bypass(e, SID_BYP, 1);
    atsenv_abort(e, SID_ABT);
    atsenv_s1(e, SID_PASID, 1, 2, 0);
    atsenv_nested(e, SID_SPLIT, 2, 0, 0);
    atsenv_s1(e, SID_OFF, 0, 0, 0);
    atsenv_s1(e, SID_DSS, 1, 2, 1);
    return e;
}

static smmuv3_ats_result ats(atsenv *e, uint32_t sid, bool ssv, uint32_t ssid, uint64_t va, uint32_t flags)
{
    smmuv3_ats_result r;
    memset(&r, 0xA5, sizeof(r));
    OK(atsenv_ats(e, sid, ssv, ssid, va, flags, &r));
    return r;
}

static void expect_ok(smmuv3_ats_result r, uint64_t addr, uint64_t size, uint8_t perm)
{
    if (r.status != SMMUV3_ATS_SUCCESS || r.addr != addr || r.size != size || r.perm != perm)
        fail_msg("status %d addr 0x%llx size 0x%llx perm %u; expected Success 0x%llx 0x%llx %u", r.status,
                 (unsigned long long)r.addr, (unsigned long long)r.size, r.perm, (unsigned long long)addr,
                 (unsigned long long)size, perm);
    assert_false(r.global);
}

static void expect_no_access(smmuv3_ats_result r)
{
    assert_int_equal(r.status, SMMUV3_ATS_SUCCESS);
    assert_int_equal(r.perm, 0);
    assert_int_equal(r.size, 0x1000);   /* STU: the 4K granule */
}

static unsigned nevents(atsenv *e, uint8_t *ids)
{
    return atsenv_events(e, ids, 8);
}

/* The end of a test: nothing was recorded in the event queue (a Translation
 * Request never records a fault), then the environment goes. */
static void done_no_events(atsenv *e)
{
    uint8_t ids[8];
    assert_int_equal(nevents(e, ids), 0);
    atsenv_free(e);
}

/* ------------------------------------------------------------ ID registers */
static void test_id_bits(void **state)
{
    (void)state;
    atsenv *e = atsenv_new(NULL, false);
    uint32_t idr0 = (uint32_t)smmuv3_mmio_read(e->s, 0x0, 4);
    assert_int_equal((idr0 >> 10) & 1, 1);   /* ATS */
    assert_int_equal((idr0 >> 11) & 1, 0);   /* NS1ATS: split-stage supported */
    assert_int_equal((idr0 >> 16) & 1, 1);   /* PRI */
    assert_true(((smmuv3_mmio_read(e->s, 0x4, 4) >> 11) & 0x1F) >= 8);   /* PRIQS */
    /* CR0.ATSCHK and PRIQEN are writable */
    assert_int_equal(smmuv3_mmio_read(e->s, 0x24, 4) & 0x10, 0);
    OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) | 0x10));
    assert_int_equal(smmuv3_mmio_read(e->s, 0x24, 4) & 0x10, 0x10);
    atsenv_free(e);

    smmuv3_config c = CFGFX(CF(ats, false), CF(pri, false));
    e = atsenv_new(&c, false);
    idr0 = (uint32_t)smmuv3_mmio_read(e->s, 0x0, 4);
    assert_int_equal(idr0 & ((1u << 10) | (1u << 16)), 0);
    smmuv3_ats_result r;
    OK(atsenv_ats(e, 1, false, 0, VA, 0, &r));
    assert_int_equal(r.status, SMMUV3_ATS_UR);   /* no ATS interface */
    atsenv_free(e);

    smmuv3_config_default(&c);
    c.ns1ats = true;
    e = atsenv_new(&c, false);
    assert_int_equal((smmuv3_mmio_read(e->s, 0x0, 4) >> 11) & 1, 1);
    atsenv_free(e);
}

static void test_caller_errors(void **state)
{
    (void)state;
    atsenv *e = env(false);
    smmuv3_txn t = { .sid = SID_S1, .addr = VA };
    smmuv3_ats_result r;
    assert_int_equal(smmuv3_ats_translate(NULL, &t, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ats_translate(e->s, NULL, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ats_translate(e->s, &t, NULL), SMMUV3_EINVAL);
    t.flags = SMMUV3_TXN_TRANSLATED;
    assert_int_equal(smmuv3_ats_translate(e->s, &t, &r), SMMUV3_EINVAL);
    atsenv_free(e);
}

/* ------------------------------------------------------------ Success */
static void test_s1_page_and_block(void **state)
{
    (void)state;
    atsenv *e = env(false);
    atsenv_map(e, SID_S1, VA, PA, 0x1000, RW);
    expect_ok(ats(e, SID_S1, false, 0, VA + 0x123, 0), PA, 0x1000, PR | PW);   /* W also with NW == 1 */
    expect_ok(ats(e, SID_S1, false, 0, VA, SMMUV3_TXN_WRITE), PA, 0x1000, PR | PW);
    /* a 2MB block: the completion covers the block */
    atsenv_map(e, SID_S1, 0x40000000, 0x80000000, 0x200000, RW);
    expect_ok(ats(e, SID_S1, false, 0, 0x40012345, 0), 0x80000000, 0x200000, PR | PW);
    /* a 1GB block */
    atsenv_map(e, SID_S1, 0x100000000ull, 0x200000000ull, 0x40000000, SMMUV3_MAP_READ);
    expect_ok(ats(e, SID_S1, false, 0, 0x100001000ull, SMMUV3_TXN_WRITE), 0x200000000ull, 0x40000000, PR);
    done_no_events(e);
}

static void test_read_only_and_faults(void **state)
{
    (void)state;
    atsenv *e = env(false);
    atsenv_map(e, SID_S1, VA, PA, 0x1000, SMMUV3_MAP_READ);
    expect_ok(ats(e, SID_S1, false, 0, VA, SMMUV3_TXN_WRITE), PA, 0x1000, PR);   /* W not granted */
    /* Translation fault: Success with R == W == 0, STU-sized, nothing recorded */
    smmuv3_ats_result r = ats(e, SID_S1, false, 0, 0x77777000, 0);
    expect_no_access(r);
    assert_int_equal(r.addr, 0);
    /* beyond the input range (T0SZ 16): Translation fault too */
    expect_no_access(ats(e, SID_S1, false, 0, 0x1000000000000ull, 0));
    /* an access flag fault (AF = 0 without HTTU at this stream: HA is set, so
     * use the stage 2-only stream with S2HA cleared) */
    done_no_events(e);
}

/* Privilege and execute permission (13.7.1), one request per case on a fresh
 * environment: a page mapped at VA + off with `map`, optionally an STE field
 * changed, then one Translation Request. perm 0: no access (R == W == 0,
 * STU-sized); priv -1: the completion's Priv not checked.
 * - Privileged-only page; Priv and Exe need a PASID;
 * - without a PASID the request is Unprivileged Data whatever the flags say;
 *   STE.PRIVCFG changes the privilege checked but not the completion's Priv;
 * - INSTCFG: Instruction makes R follow X; Data makes X follow R. */
typedef struct priv_case {
    const char *what;
    uint32_t sid;
    unsigned map;
    uint64_t off;
    const char *field;   /* STE field set before the request, or NULL */
    uint64_t value;
    bool ssv;
    uint32_t ssid, flags;
    uint8_t perm;
    int priv;
} priv_case;

#define PRIV_EXEC (SMMUV3_TXN_PRIV | SMMUV3_TXN_EXEC)
#define MAP_PX (RW | SMMUV3_MAP_PRIV | SMMUV3_MAP_EXEC)

static const priv_case priv_cases[] = {
    { "privileged page: Priv and Exe asked", SID_PASID, MAP_PX, 0, NULL, 0, true, 1, PRIV_EXEC, PR | PW | PX, 1 },
    { "privileged page: no Exe asked, none granted", SID_PASID, MAP_PX, 0, NULL, 0, true, 1, SMMUV3_TXN_PRIV,
      PR | PW, -1 },
    { "privileged page: grants nothing to EL0", SID_PASID, MAP_PX, 0, NULL, 0, true, 2, 0, 0, 0 },
    { "EL0 RW executable: EL0 gets Exe when asked", SID_PASID, RW | SMMUV3_MAP_EXEC, 0x1000, NULL, 0, true, 3,
      SMMUV3_TXN_EXEC, PR | PW | PX, -1 },
    { "EL0-writable page is never privileged-executable", SID_PASID, RW | SMMUV3_MAP_EXEC, 0x1000, NULL, 0, true,
      3, PRIV_EXEC, PR | PW, -1 },
    { "no PASID: Unprivileged Data whatever the flags", SID_S1, MAP_PX, 0, NULL, 0, false, 0, PRIV_EXEC, 0, 0 },
    { "no PASID, PRIVCFG Privileged: Exe needs a PASID", SID_S1, MAP_PX, 0, "privcfg", 3, false, 0,
      SMMUV3_TXN_EXEC, PR | PW, 0 },
    { "INSTCFG as incoming, page not executable", SID_PASID, RW, 0, NULL, 0, true, 0, SMMUV3_TXN_EXEC, PR | PW, -1 },
    { "INSTCFG Data: X follows R", SID_PASID, RW, 0, "instcfg", 2, true, 0, SMMUV3_TXN_EXEC, PR | PW | PX, -1 },
    { "INSTCFG Instruction: not executable, so no R", SID_PASID, RW, 0, "instcfg", 3, true, 0, SMMUV3_TXN_EXEC,
      PW, -1 },
};

static void test_privilege_and_exec(void **state)
{
    (void)state;
    FOR_EACH_CASE(priv_case, k, priv_cases) {
        atsenv *e = env(false);
        atsenv_map(e, k->sid, VA + k->off, PA + k->off, 0x1000, k->map);
        if (k->field)
            atsenv_ste_field(e, k->sid, k->field, k->value);
        smmuv3_ats_result r = ats(e, k->sid, k->ssv, k->ssid, VA + k->off, k->flags);
        if (k->perm)
            expect_ok(r, PA + k->off, 0x1000, k->perm);
        else
            expect_no_access(r);
        if (k->priv >= 0)
            assert_int_equal(r.priv, k->priv);
        done_no_events(e);
    }
}

/* ------------------------------------------------------------ UR, CA */
static void test_ur_cases(void **state)
{
    (void)state;
    atsenv *e = env(false);
    uint8_t ids[8];
    smmuv3_ats_result r = ats(e, SID_OFF, false, 0, VA, 0);   /* EATS == 0b00 */
    assert_int_equal(r.status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 1);
    assert_int_equal(ids[0], SMMUV3_EVT_F_BAD_ATS_TREQ);
    r = ats(e, SID_BYP, false, 0, VA, 0);                      /* bypass */
    assert_int_equal(r.status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 1);
    assert_int_equal(ids[0], SMMUV3_EVT_F_BAD_ATS_TREQ);
    r = ats(e, SID_ABT, false, 0, VA, 0);                      /* abort: silent */
    assert_int_equal(r.status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 0);
    r = ats(e, SID_SPLIT, false, 0, VA, 0);                    /* EATS 0b10 without ATSCHK */
    assert_int_equal(r.status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 1);
    atsenv_ste_field(e, SID_S1, "eats", 3);                    /* no DPT: 0b11 as 0b00 */
    assert_int_equal(ats(e, SID_S1, false, 0, VA, 0).status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 1);
    /* SMMUEN == 0 */
    OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) & ~1u));
    r = ats(e, SID_S2, false, 0, VA, 0);
    assert_int_equal(r.status, SMMUV3_ATS_UR);
    assert_int_equal(nevents(e, ids), 1);
    assert_int_equal(ids[0], SMMUV3_EVT_F_BAD_ATS_TREQ);
    atsenv_free(e);
}

/* 7.3.6: the F_BAD_ATS_TREQ record carries the request: InputAddr[63:12],
 * R (bit 95, always 1 for PCIe), W (94, !NW), X (93), P (92) as asked,
 * before the STE overrides (no Exe/Priv without a PASID), Span (67:64) the
 * STUs asked for (one: smmuv3_ats_translate answers one translation). */
typedef struct treq_case {
    const char *what;
    bool ssv, smmu_off;
    uint32_t ssid, flags;
    uint64_t dw0, dw1;
} treq_case;

static const treq_case treq_cases[] = {
    { "write, no PASID: Exe/Priv not part of the request", false, false, 0,
      SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV, 0x0000000800000005ull, 0xC0000001ull },
    { "read with PASID, Exe and Priv", true, false, 3, SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV,
      0x0000000800003805ull, 0xB0000001ull },
    { "read, no PASID, SMMUEN == 0", false, true, 0, 0, 0x0000000800000005ull, 0x80000001ull },
};

static void test_bad_treq_record(void **state)
{
    (void)state;
    FOR_EACH_CASE(treq_case, k, treq_cases) {
        atsenv *e = env(false);
        if (k->smmu_off)
            OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) & ~1u));
        assert_int_equal(ats(e, SID_OFF, k->ssv, k->ssid, VA | 0x123, k->flags).status, SMMUV3_ATS_UR);
        uint8_t rec[SMMUV3_EVENT_BYTES];
        assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
        uint64_t w[4];
        for (int i = 0; i < 4; i++) {
            w[i] = 0;
            for (int b = 7; b >= 0; b--)
                w[i] = w[i] << 8 | rec[8 * i + b];
        }
        if (w[0] != k->dw0 || w[1] != k->dw1 || w[2] != VA || w[3] != 0)
            fail_msg("%s: record %016llx %016llx %016llx %016llx; expected dw0 %016llx dw1 %016llx", k->what,
                     (unsigned long long)w[0], (unsigned long long)w[1], (unsigned long long)w[2],
                     (unsigned long long)w[3], (unsigned long long)k->dw0, (unsigned long long)k->dw1);
        atsenv_free(e);
    }
}

static void test_ca_cases(void **state)
{
    (void)state;
    atsenv *e = env(false);
    uint8_t ids[8];
    /* C_BAD_STREAMID (recorded for ordinary traffic with RECINVSID) */
    assert_int_equal(ats(e, 200, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    /* invalid STE */
    uint8_t ste[64] = { 0 };
    OK(smmuv3_strtab_write_ste(&e->st, 12, ste));
    assert_int_equal(ats(e, 12, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    /* a SubstreamID for a stream without substreams */
    assert_int_equal(ats(e, SID_S1, true, 1, VA, 0).status, SMMUV3_ATS_CA);
    /* SubstreamID beyond S1CDMax */
    assert_int_equal(ats(e, SID_PASID, true, 9, VA, 0).status, SMMUV3_ATS_CA);
    /* non-PASID traffic with S1DSS = terminate */
    assert_int_equal(ats(e, SID_PASID, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    /* external abort on the walk */
    OK(smmuv3_mem_add_abort(e->mem, e->pt[SID_S1].root, 8));
    assert_int_equal(ats(e, SID_S1, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    assert_int_equal(nevents(e, ids), 0);   /* REC_CFG_ATS is not implemented */
    atsenv_free(e);
}

/* STE.EATS validity (5.2). */
static void test_eats_illegal(void **state)
{
    (void)state;
    atsenv *e = env(true);
    uint8_t ids[8];
    smmuv3_result tr;
    atsenv_map(e, SID_S1, VA, PA, 0x1000, RW);
    atsenv_ste_field(e, SID_S1, "eats", 2);   /* split-stage on a stage 1-only stream */
    assert_int_equal(ats(e, SID_S1, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    assert_int_equal(atsenv_xlate(e, SID_S1, VA, 0, &tr), SMMUV3_XLATE_ABORT);
    assert_int_equal(tr.fault, SMMUV3_EVT_C_BAD_STE);
    atsenv_ste_field(e, SID_S2, "s2s", 1);    /* full ATS with S2S */
    assert_int_equal(ats(e, SID_S2, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    atsenv_ste_field(e, SID_SPLIT, "s2s", 1); /* split-stage with S2S */
    assert_int_equal(ats(e, SID_SPLIT, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    nevents(e, ids);
    atsenv_free(e);

    /* IDR0.NS1ATS == 1: no split-stage */
    smmuv3_config c = CFGFX(CF(ns1ats, true));
    e = atsenv_new(&c, true);
    atsenv_nested(e, SID_SPLIT, 2, 0, 0);
    assert_int_equal(ats(e, SID_SPLIT, false, 0, VA, 0).status, SMMUV3_ATS_CA);
    atsenv_free(e);
}

/* ------------------------------------------------------------ stages */
static void test_stage2_and_nested(void **state)
{
    (void)state;
    atsenv *e = env(true);
    OK(smmuv3_pt_map(&e->pt[SID_S2], VA, PA, 0x1000, SMMUV3_MAP_READ, 0));
    expect_ok(ats(e, SID_S2, false, 0, VA, SMMUV3_TXN_WRITE), PA, 0x1000, PR);
    /* nested, full ATS: the PA of both stages; size the smaller */
    OK(smmuv3_pt_map(&e->pt[SID_NEST], 0x40000000, 0x10000000, 0x200000, RW, 0));   /* stage 1 block */
    atsenv_map_s2(e, 0x10000000, 0x200000, RW | SMMUV3_MAP_PAGES);                     /* stage 2 pages */
    expect_ok(ats(e, SID_NEST, false, 0, 0x40001000, 0), 0x10000000 + AE_NEST_OFF + 0x1000, 0x1000, PR | PW);
    /* split-stage: the IPA, size still the intersection, permissions from both */
    OK(smmuv3_pt_map(&e->pt[SID_SPLIT], 0x60000000, 0x20000000, 0x200000, RW, 0));
    atsenv_map_s2(e, 0x20000000, 0x200000, SMMUV3_MAP_READ);   /* stage 2 block, read-only */
    expect_ok(ats(e, SID_SPLIT, false, 0, 0x60001000, SMMUV3_TXN_WRITE), 0x20000000, 0x200000, PR);
    /* a stage 2 fault on the final IPA: R == W == 0 */
    OK(smmuv3_pt_map(&e->pt[SID_SPLIT], 0x50000000, 0x30000000, 0x1000, RW, 0));
    expect_no_access(ats(e, SID_SPLIT, false, 0, 0x50000000, 0));
    done_no_events(e);
}

/* Stage 1 skipped by S1DSS (13.6.4): identity, R == W == 1. */
static void test_s1dss_bypass(void **state)
{
    (void)state;
    atsenv *e = env(true);
    smmuv3_ats_result r = ats(e, SID_DSS, false, 0, 0x123456789ull, SMMUV3_TXN_WRITE);
    expect_ok(r, 0x123456000ull, 0x1000, PR | PW);
    assert_false(r.priv);
    expect_no_access(ats(e, SID_DSS, false, 0, 1ull << 50, 0));   /* beyond the IAS */
    /* with substreams, the PASID still translates */
    atsenv_map(e, SID_DSS, VA, PA, 0x1000, SMMUV3_MAP_READ);
    expect_ok(ats(e, SID_DSS, true, 2, VA, 0), PA, 0x1000, PR);
    /* split-stage skipping stage 1 (13.6.5): identity on the IPA, stage 2's
     * permissions and size */
    atsenv_nested(e, 10, 2, 2, 1);
    atsenv_map_s2(e, 0x30000000, 0x200000, SMMUV3_MAP_READ);
    expect_ok(ats(e, 10, false, 0, 0x30001000, SMMUV3_TXN_WRITE), 0x30000000, 0x200000, PR);
    atsenv_free(e);
}

/* ------------------------------------------------------------ HTTU */
static void test_httu(void **state)
{
    (void)state;
    atsenv *e = env(false);
    uint64_t d;
    /* writable-clean: NW == 1 leaves it clean and grants no W */
    atsenv_map(e, SID_S1, VA, PA, 0x1000, RW | SMMUV3_MAP_DBM | SMMUV3_MAP_PAGES);
    OK(smmuv3_pt_get_desc(&e->pt[SID_S1], VA, 3, &d));
    d |= SMMUV3_PTE_AP2;   /* clean */
    OK(smmuv3_pt_set_desc(&e->pt[SID_S1], VA, 3, d & ~SMMUV3_PTE_AF));
    expect_ok(ats(e, SID_S1, false, 0, VA, 0), PA, 0x1000, PR);
    OK(smmuv3_pt_get_desc(&e->pt[SID_S1], VA, 3, &d));
    assert_true(d & SMMUV3_PTE_AP2);
    assert_true(d & SMMUV3_PTE_AF);    /* access flag set by the request */
    /* NW == 0 marks it dirty and grants W */
    expect_ok(ats(e, SID_S1, false, 0, VA, SMMUV3_TXN_WRITE), PA, 0x1000, PR | PW);
    OK(smmuv3_pt_get_desc(&e->pt[SID_S1], VA, 3, &d));
    assert_false(d & SMMUV3_PTE_AP2);
    /* a privileged-only clean page, unprivileged request with NW == 0:
     * nothing granted, the page stays clean and its AF clear */
    atsenv_map(e, SID_S1, VA + 0x1000, PA + 0x1000, 0x1000,
               RW | SMMUV3_MAP_DBM | SMMUV3_MAP_PAGES | SMMUV3_MAP_PRIV | SMMUV3_MAP_NOAF);
    OK(smmuv3_pt_get_desc(&e->pt[SID_S1], VA + 0x1000, 3, &d));
    OK(smmuv3_pt_set_desc(&e->pt[SID_S1], VA + 0x1000, 3, d | SMMUV3_PTE_AP2));
    expect_no_access(ats(e, SID_S1, false, 0, VA + 0x1000, SMMUV3_TXN_WRITE));
    OK(smmuv3_pt_get_desc(&e->pt[SID_S1], VA + 0x1000, 3, &d));
    assert_true(d & SMMUV3_PTE_AP2);
    assert_false(d & SMMUV3_PTE_AF);
    atsenv_free(e);
}

/* The IOTLB serves requests (3.9.1) and is filled by them. */
static void test_iotlb(void **state)
{
    (void)state;
    atsenv *e = env(false);
    atsenv_map(e, SID_S1, VA, PA, 0x1000, RW | SMMUV3_MAP_NG);
    smmuv3_stats a, b;
    expect_ok(ats(e, SID_S1, false, 0, VA, 0), PA, 0x1000, PR | PW);
    smmuv3_get_stats(e->s, &a);
    expect_ok(ats(e, SID_S1, false, 0, VA, 0), PA, 0x1000, PR | PW);
    smmuv3_result tr;
    OK(atsenv_xlate(e, SID_S1, VA, 0, &tr));
    smmuv3_get_stats(e->s, &b);
    assert_int_equal(b.walks, a.walks);
    /* a stale entry answers until invalidated */
    atsenv_map(e, SID_S1, VA, PA + 0x10000, 0x1000, RW | SMMUV3_MAP_NG);
    expect_ok(ats(e, SID_S1, false, 0, VA, 0), PA, 0x1000, PR | PW);
    OK(smmuv3_driver_tlbi_nh_asid(&e->drv, 1, SID_S1 * 16));
    expect_ok(ats(e, SID_S1, false, 0, VA, 0), PA + 0x10000, 0x1000, PR | PW);
    atsenv_free(e);
}

TEST_MAIN(test_id_bits, test_caller_errors, test_s1_page_and_block, test_read_only_and_faults,
          test_privilege_and_exec, test_ur_cases, test_bad_treq_record, test_ca_cases,
          test_eats_illegal, test_stage2_and_nested, test_s1dss_bypass, test_httu, test_iotlb)
