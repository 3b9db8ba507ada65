/* Unit tests: CD decode and validation (src/cd.c, IHI 0070 5.4), through MMIO, memory and smmuv3_translate. */
#include "test_cfg_util.h"
#include "test_main.h"

#define SID 7
#define SSID 3
#define IOVA 0x2345000ull

typedef struct cdenv {
    tenv e;
    uint64_t root;
} cdenv;

/* STE SID: stage 1, a linear table of 16 CDs at T_CD; the page table maps IOVA. */
static void cd_up_cfg(cdenv *ce, const smmuv3_config *c)
{
    t_up_cfg(&ce->e, c, t_strtab_cfg(8, false, 0));
    ce->root = t_pt_new(&ce->e);
    t_map(&ce->e, ce->root, IOVA, 0x9000000, false, true);
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 4);
    t_ste_at(&ce->e, SID, ste);
}

static void cd_up(cdenv *ce)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    cd_up_cfg(ce, &c);
}

static void put_cd(cdenv *ce, const uint64_t cd[8])
{
    t_write_words(&ce->e, T_CD + SSID * 64, cd, 8);
    smmu_cfgcache_flush(ce->e.s);
    smmu_tlb_flush(ce->e.s);
}

static void expect_bad_cd(cdenv *ce, const uint64_t cd[8], const char *what)
{
    put_cd(ce, cd);
    smmuv3_result r;
    int rc = t_xlate(&ce->e, SID, true, SSID, IOVA, 0, &r);
    if (rc != SMMUV3_XLATE_ABORT || r.fault != SMMUV3_EVT_C_BAD_CD)
        fail_msg("%s: outcome %d fault 0x%x, expected C_BAD_CD", what, rc, r.fault);
    uint64_t w[4];
    t_expect_event(&ce->e, SMMUV3_EVT_C_BAD_CD, SID, true, SSID, w);
    assert_int_equal(w[0], (uint64_t)SID << 32 | (uint64_t)SSID << 12 | 1ull << 11 | 0x0A);
    assert_int_equal(w[2], 0);
    assert_int_equal(w[3], 0);
    t_no_event(&ce->e);
}

static void expect_good_cd(cdenv *ce, const uint64_t cd[8], const char *what)
{
    put_cd(ce, cd);
    smmuv3_result r;
    int rc = t_xlate(&ce->e, SID, true, SSID, IOVA + 0x10, 0, &r);
    if (rc != 0 || r.pa != 0x9000010)
        fail_msg("%s: outcome %d fault 0x%x pa 0x%llx, expected a translation", what, rc, r.fault,
                 (unsigned long long)r.pa);
    t_no_event(&ce->e);
}

/* 5.4: each case is the valid CD of t_cd() (ASID 1) with some fields changed,
 * under a profile (P_*, test_cfg_util.h): ILLEGAL (C_BAD_CD) or good. */
typedef struct cd_case {
    const char *what;
    unsigned profile;
    bool good;
    t_fvs set;
} cd_case;

#define BAD false
#define GOOD true

static const cd_case cd_cases[] = {
    { "baseline", P_DEFAULT, GOOD, { NULL, 0 } },
    { "V=0", P_DEFAULT, BAD, T_FVS({ F_CD_v, 0 }) },
    { "ENDI big-endian", P_DEFAULT, BAD, T_FVS({ F_CD_endi, 1 }) },
    { "AA64=0 without AArch32", P_DEFAULT, BAD, T_FVS({ F_CD_aa64, 0 }) },
    { "T0SZ 15", P_DEFAULT, BAD, T_FVS({ F_CD_t0sz, 15 }) },
    { "T0SZ 40 (STT=0)", P_NO_STT, BAD, T_FVS({ F_CD_t0sz, 40 }) },
    { "T0SZ 12 with 4K", P_DEFAULT, BAD, T_FVS({ F_CD_t0sz, 12 }) },
    { "TG0 reserved", P_DEFAULT, BAD, T_FVS({ F_CD_tg0, 3 }) },
    { "TTB0 beyond IPS", P_DEFAULT, BAD, T_FVS({ F_CD_ips, 0 }, { T_ADDR | F_CD_ttb0, 0x100000000ull }) },
    { "TTB0 beyond OAS-capped IPS", P_DEFAULT, BAD, T_FVS({ T_ADDR | F_CD_ttb0, 1ull << 48 }) },
    /* TTB1 checked when EPD1 == 0 */
    { "TG1 reserved", P_DEFAULT, BAD, T_FVS({ F_CD_epd1, 0 }, { F_CD_tg1, 0 }, { F_CD_t1sz, 25 }) },
    { "T1SZ 50", P_DEFAULT, BAD, T_FVS({ F_CD_epd1, 0 }, { F_CD_tg1, 2 }, { F_CD_t1sz, 50 }) },
    /* ...and ignored when EPD1 == 1 */
    { "EPD1 hides TTB1", P_DEFAULT, GOOD, T_FVS({ F_CD_tg1, 0 }, { F_CD_t1sz, 63 }) },
    /* other profiles */
    { "A=0 with TERM_MODEL=1", P_TERM1, BAD, T_FVS({ F_CD_a, 0 }) },
    { "S=1 without stalls", P_STALL_TERM, BAD, T_FVS({ F_CD_s, 1 }) },
    { "S=0 with stall forced", P_STALL_FORCED, BAD, { NULL, 0 } },
    { "S=1 with stall forced", P_STALL_FORCED, GOOD, T_FVS({ F_CD_s, 1 }) },
    { "HA without HTTU", P_HTTU0, BAD, T_FVS({ F_CD_ha, 1 }) },
    { "HD without HTTU", P_HTTU0, BAD, T_FVS({ F_CD_hd, 1 }) },
    { "HD with HTTU=AF", P_HTTU1, BAD, T_FVS({ F_CD_ha, 1 }, { F_CD_hd, 1 }) },
    { "HA with HTTU=AF", P_HTTU1, GOOD, T_FVS({ F_CD_ha, 1 }) },
    { "16-bit ASID without ASID16", P_NO_ASID16, BAD, T_FVS({ F_CD_asid, 0x100 }) },
    { "8-bit ASID", P_NO_ASID16, GOOD, T_FVS({ F_CD_asid, 0xFF }) },
    { "TG0 16K unsupported", P_NO_16K_VAX, BAD, T_FVS({ F_CD_tg0, 2 }) },
    { "T0SZ 12 without VAX", P_NO_16K_VAX, BAD, T_FVS({ F_CD_tg0, 1 }, { F_CD_t0sz, 12 }) },
    { "TG1 16K unsupported", P_NO_16K_VAX, BAD, T_FVS({ F_CD_epd1, 0 }, { F_CD_tg1, 1 }, { F_CD_t1sz, 25 }) },
    /* Reserved encodings that behave as another value, effective sizes */
    { "{HD,HA}=0b10: Reserved, behaves as 0b00", P_DEFAULT, GOOD, T_FVS({ F_CD_hd, 1 }) },
    { "IPS 0b111 capped to the OAS", P_DEFAULT, GOOD, T_FVS({ F_CD_ips, 7 }) },
    { "T1SZ 12 with 64K and VAX", P_DEFAULT, GOOD, T_FVS({ F_CD_epd1, 0 }, { F_CD_tg1, 3 }, { F_CD_t1sz, 12 }) },
    { "T1SZ 12 with 4K", P_DEFAULT, BAD, T_FVS({ F_CD_epd1, 0 }, { F_CD_tg1, 2 }, { F_CD_t1sz, 12 }) },
    /* 4K granule, TTB0 above 48 bits with a 52-bit IPS */
    { "TTB0 beyond 48 bits with 4K", P_OAS52, BAD, T_FVS({ F_CD_ips, 6 }, { T_ADDR | F_CD_ttb0, 1ull << 48 }) },
};

static void check_cd_case(cdenv *ce, const cd_case *k)
{
    uint64_t cd[8];
    t_cd(cd, ce->root, 1);
    t_set_fields(cd, k->set);
    if (k->good)
        expect_good_cd(ce, cd, k->what);
    else
        expect_bad_cd(ce, cd, k->what);
}

static void test_illegal(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cd_cases) / sizeof(cd_cases[0]); i++) {
        smmuv3_config c;
        t_profile(cd_cases[i].profile, &c);
        cdenv ce;
        cd_up_cfg(&ce, &c);
        check_cd_case(&ce, &cd_cases[i]);
        t_down(&ce.e);
    }
}

/* What a case table cannot say: EPD0 disables TTB0 walks; VAX allows T0SZ 12
 * with 64K; STE.S1STALLD forbids CD.S. */
static void test_epd0_vax_s1stalld(void **state)
{
    (void)state;
    cdenv ce;
    uint64_t cd[8];
    cd_up(&ce);
    t_cd(cd, ce.root, 1); fset(cd, F_CD_epd0, 1); fset(cd, F_CD_epd1, 0); fset(cd, F_CD_tg1, 2);
    fset(cd, F_CD_t1sz, 25); fset_addr(cd, F_CD_ttb1, ce.root); fset(cd, F_CD_tg0, 3); fset(cd, F_CD_t0sz, 0);
    put_cd(&ce, cd);
    smmuv3_result r;
    /* TTB0 walks disabled: F_TRANSLATION (stage 1, recorded with R=1), not C_BAD_CD */
    assert_int_equal(t_xlate(&ce.e, SID, true, SSID, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    t_expect_event(&ce.e, SMMUV3_EVT_F_TRANSLATION, SID, true, SSID, NULL);
    /* 64K with VAX: T0SZ 12 is legal */
    t_cd(cd, ce.root, 1); fset(cd, F_CD_tg0, 1); fset(cd, F_CD_t0sz, 12); fset(cd, F_CD_ips, 6);
    put_cd(&ce, cd);
    t_xlate(&ce.e, SID, true, SSID, IOVA, 0, &r);
    assert_int_not_equal(r.fault, SMMUV3_EVT_C_BAD_CD);
    while (t_event(&ce.e, (uint64_t[4]){ 0 }))
        ;
    t_down(&ce.e);

    cd_up(&ce);
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 4);
    fset(ste, F_STE_s1stalld, 1);
    t_ste_at(&ce.e, SID, ste);
    t_cd(cd, ce.root, 1); fset(cd, F_CD_s, 1); expect_bad_cd(&ce, cd, "S=1 with STE.S1STALLD");
    t_cd(cd, ce.root, 1); expect_good_cd(&ce, cd, "S=0 with STE.S1STALLD");
    t_down(&ce.e);
}

/* StreamWorld EL2: TTB1 does not exist and EPD0 is IGNORED (5.4). */
static void test_el2(void **state)
{
    (void)state;
    cdenv ce;
    uint64_t cd[8], ste[8];
    cd_up(&ce);
    t_ste_s1(ste, T_CD, 0, 4);
    fset(ste, F_STE_strw, 2);
    t_ste_at(&ce.e, SID, ste);
    t_cd(cd, ce.root, 1); fset(cd, F_CD_epd1, 0); fset(cd, F_CD_tg1, 0); fset(cd, F_CD_t1sz, 0);
    expect_good_cd(&ce, cd, "EL2: TTB1 fields RES0/ignored");
    t_cd(cd, ce.root, 1); fset(cd, F_CD_epd0, 1); expect_good_cd(&ce, cd, "EL2: EPD0 ignored");
    t_cd(cd, ce.root, 1); fset(cd, F_CD_epd0, 1); fset(cd, F_CD_t0sz, 50); expect_bad_cd(&ce, cd, "EL2: T0SZ checked despite EPD0");
    t_down(&ce.e);
}

/* CdIllegal (5.4.2) on fields IGNORED by the StreamWorld or by EPDx: the
 * ASID of an any-EL2 stream, ENDI and TG0 with both EPDx set; with
 * StreamWorld EL2 the EPDx are IGNORED (effective 0), so ENDI is checked. */
static void test_ignored(void **state)
{
    (void)state;
    smmuv3_config c;
    t_profile(P_NO_ASID16, &c);
    tenv e;
    t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
    uint64_t steraw[8], raw[8];
    smmu_ste el1, el2;
    smmu_cd cd;
    t_ste_s1(steraw, T_CD, 0, 0);
    assert_int_equal(smmu_ste_decode(e.s, steraw, &el1), 0);
    fset(steraw, F_STE_strw, 2);
    assert_int_equal(smmu_ste_decode(e.s, steraw, &el2), 0);

    t_cd(raw, 0x10000, 0x100);
    assert_int_equal(smmu_cd_decode(e.s, &el1, raw, &cd), SMMUV3_EVT_C_BAD_CD);
    assert_int_equal(smmu_cd_decode(e.s, &el2, raw, &cd), 0);

    t_cd(raw, 0x10000, 1);
    fset(raw, F_CD_epd0, 1);
    fset(raw, F_CD_tg0, 3);
    fset(raw, F_CD_endi, 1);
    assert_int_equal(smmu_cd_decode(e.s, &el1, raw, &cd), 0);
    fset(raw, F_CD_tg0, 0);
    assert_int_equal(smmu_cd_decode(e.s, &el2, raw, &cd), SMMUV3_EVT_C_BAD_CD);
    t_down(&e);
}

/* Decoded fields reach smmu_cd. */
static void test_decode_fields(void **state)
{
    (void)state;
    tenv e;
    t_up(&e, 8);
    uint64_t raw[8], steraw[8];
    smmu_ste ste;
    smmu_cd cd;
    t_ste_s1(steraw, T_CD, 0, 0);
    assert_int_equal(smmu_ste_decode(e.s, steraw, &ste), 0);
    t_cd(raw, 0x123000, 0xBEEF);
    fset(raw, F_CD_ips, 7);
    fset(raw, F_CD_epd1, 0);
    fset(raw, F_CD_tg1, 3);
    fset(raw, F_CD_t1sz, 20);
    fset_addr(raw, F_CD_ttb1, 0x450000);
    fset(raw, F_CD_tbi, 3);
    fset(raw, F_CD_wxn, 1);
    fset(raw, F_CD_had0, 1);
    fset(raw, F_CD_mair1, 0x11223344);
    assert_int_equal(smmu_cd_decode(e.s, &ste, raw, &cd), 0);
    assert_int_equal(cd.ips, 48);
    assert_int_equal(cd.asid, 0xBEEF);
    assert_int_equal(cd.tt[0].granule, 12);
    assert_int_equal(cd.tt[0].tsz, 25);
    assert_int_equal(cd.tt[0].ttb, 0x123000);
    assert_true(cd.tt[0].had);
    assert_false(cd.tt[1].epd);
    assert_int_equal(cd.tt[1].granule, 16);
    assert_int_equal(cd.tt[1].tsz, 20);
    assert_int_equal(cd.tt[1].ttb, 0x450000);
    assert_int_equal(cd.tbi, 3);
    assert_true(cd.wxn);
    assert_true(cd.a);
    assert_true(cd.r);
    assert_int_equal(cd.mair, 0x11223344044400FFull);
    t_down(&e);
}

/* 5.4 T0SZ (T1SZ has its encoding): the maximum valid value is 39 when
 * IDR3.STT == 0; with IDR3.STT == 1 (small translation tables) it is 48 for
 * a 4K or 16K granule and 47 for 64K. Above the maximum the CD is ILLEGAL
 * (SMMUv3.1 and later), for TTB0 and, with EPD1 == 0, for TTB1. */
static void test_txsz_max_stt(void **state)
{
    (void)state;
    static const struct { const char *name; unsigned tg0, tg1, max_stt; } gran[] = {
        { "4K", 0, 2, 48 }, { "16K", 2, 1, 48 }, { "64K", 1, 3, 47 },
    };
    for (int stt = 0; stt < 2; stt++) {
        smmuv3_config c;
        t_profile(stt ? P_DEFAULT : P_NO_STT, &c);
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
        assert_int_equal(rget(smmuv3_mmio_read(e.s, REG_IDR3, 4), F_IDR3_stt), stt);
        uint64_t steraw[8], raw[8];
        smmu_ste ste;
        smmu_cd cd;
        t_ste_s1(steraw, T_CD, 0, 0);
        assert_int_equal(smmu_ste_decode(e.s, steraw, &ste), 0);
        for (size_t g = 0; g < sizeof(gran) / sizeof(gran[0]); g++) {
            unsigned max = stt ? gran[g].max_stt : 39;
            for (unsigned tsz = 36; tsz <= 52; tsz++) {
                bool legal = tsz <= max;
                t_cd(raw, 0x10000, 1);
                fset(raw, F_CD_tg0, gran[g].tg0);
                fset(raw, F_CD_t0sz, tsz);
                int rc = smmu_cd_decode(e.s, &ste, raw, &cd);
                if (legal ? rc != 0 : rc != SMMUV3_EVT_C_BAD_CD)
                    fail_msg("STT %d %s T0SZ %u: %s, expected %s", stt, gran[g].name, tsz, rc ? "ILLEGAL" : "legal",
                             legal ? "legal" : "ILLEGAL");
                if (legal)
                    assert_int_equal(cd.tt[0].tsz, tsz);
                t_cd(raw, 0x10000, 1);
                fset(raw, F_CD_epd1, 0);
                fset(raw, F_CD_tg1, gran[g].tg1);
                fset(raw, F_CD_t1sz, tsz);
                fset_addr(raw, F_CD_ttb1, 0x20000);
                rc = smmu_cd_decode(e.s, &ste, raw, &cd);
                if (legal ? rc != 0 : rc != SMMUV3_EVT_C_BAD_CD)
                    fail_msg("STT %d %s T1SZ %u: %s, expected %s", stt, gran[g].name, tsz, rc ? "ILLEGAL" : "legal",
                             legal ? "legal" : "ILLEGAL");
            }
        }
        t_down(&e);
    }
}

TEST_MAIN(test_illegal, test_epd0_vax_s1stalld, test_el2, test_ignored, test_decode_fields, test_txsz_max_stt)
