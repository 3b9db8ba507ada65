/* Unit tests: STE decode and validation (src/ste.c, IHI 0070 5.2), through MMIO, memory and smmuv3_translate. */
#include "test_cfg_util.h"
#include "cfgfx.h"
#include "test_main.h"

#define SID 5
#define IOVA 0x12345000ull

/* A valid stage 1 STE (one CD at T_CD) with a page table mapping IOVA. */
static void valid_s1(tenv *e, uint64_t ste[8])
{
    t_cd_mapping(e, T_CD, 1, IOVA, 0x7000000);
    t_ste_s1(ste, T_CD, 0, 0);
}

static void valid_s2(tenv *e, uint64_t ste[8])
{
    uint64_t root = t_pt_new(e);
    t_map(e, root, IOVA, 0x7100000, true, true);
    t_ste_s2(ste, root, 3);
}

/* The STE of SID is ILLEGAL: C_BAD_STE with the StreamID, aborted. */
static void expect_bad_ste(tenv *e, const uint64_t ste[8], const char *what)
{
    t_ste_at(e, SID, ste);
    smmuv3_result r;
    int rc = t_xlate(e, SID, false, 0, IOVA, 0, &r);
    if (rc != SMMUV3_XLATE_ABORT || r.fault != SMMUV3_EVT_C_BAD_STE)
        fail_msg("%s: outcome %d fault 0x%x, expected C_BAD_STE", what, rc, r.fault);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    uint64_t w[4];
    t_expect_event(e, SMMUV3_EVT_C_BAD_STE, SID, false, 0, w);
    assert_int_equal(w[1], 0);
    assert_int_equal(w[2], 0);
    assert_int_equal(w[3], 0);
    t_no_event(e);
}

static void test_v0(void **state)
{
    tenv *e = *state;
    uint64_t ste[8];
    valid_s1(e, ste);
    fset(ste, F_STE_v, 0);
    expect_bad_ste(e, ste, "V=0");
    /* exact first word: EventID 0x04, StreamID 5 */
    t_ste_at(e, 9, ste);
    smmuv3_result r;
    t_xlate(e, 9, false, 0, 0, 0, &r);
    uint64_t w[4];
    assert_true(t_event(e, w));
    assert_int_equal(w[0], 0x0000000900000004ull);
}

static void test_v0_with_ssid(void **state)
{
    tenv *e = *state;
    uint64_t ste[8] = { 0 };
    t_ste_at(e, SID, ste);
    smmuv3_result r;
    assert_int_equal(t_xlate(e, SID, true, 0x1234, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t w[4];
    t_expect_event(e, SMMUV3_EVT_C_BAD_STE, SID, true, 0x1234, w);
    assert_int_equal(w[0], (uint64_t)SID << 32 | 0x1234ull << 12 | 1ull << 11 | 0x04);
}

/* ---------------------------------------------------------------- ILLEGAL STEs
 * 5.2: each case is a valid STE (stage 1, stage 2, or stage 2 with Config
 * nested) with at most two fields changed, under a profile, that makes it
 * ILLEGAL: C_BAD_STE with the StreamID, aborted. */
enum { B_S1, B_S2, B_NESTED, B_BYPASS };

/* A valid STE of this kind (B_*). */
static void base_ste(tenv *e, unsigned base, uint64_t ste[8])
{
    if (base == B_BYPASS)
        t_ste_bypass(ste);
    else if (base == B_S1)
        valid_s1(e, ste);
    else
        valid_s2(e, ste);
    if (base == B_NESTED)
        fset(ste, F_STE_config, SMMU_STE_CFG_NESTED);
}

typedef struct bad_ste_case {
    const char *what;
    unsigned profile, base;   /* P_* (test_cfg_util.h), B_* */
    t_fvs set;                /* the fields changed */
} bad_ste_case;

static const bad_ste_case bad_ste_cases[] = {
    /* stage 1 */
    { "STRW=0b01", P_DEFAULT, B_S1, T_FVS({ F_STE_strw, 1 }) },
    { "STRW=0b11", P_DEFAULT, B_S1, T_FVS({ F_STE_strw, 3 }) },
    { "S1CDMax > SSIDSIZE", P_DEFAULT, B_S1, T_FVS({ F_STE_s1cdmax, 21 }) },
    { "S1ContextPtr beyond OAS", P_DEFAULT, B_S1, T_FVS({ T_ADDR | F_STE_s1contextptr, 1ull << 48 }) },
    { "nested S1ContextPtr beyond IAS", P_DEFAULT, B_NESTED, T_FVS({ T_ADDR | F_STE_s1contextptr, 1ull << 50 }) },
    { "S1CDMax 9 > SSIDSIZE 8", P_SSID8, B_S1, T_FVS({ F_STE_s1cdmax, 9 }) },
    { "S1Fmt 2-level 4K without CD2L", P_NO_CD2L, B_S1, T_FVS({ F_STE_s1cdmax, 4 }, { F_STE_s1fmt, 1 }) },
    { "S1Fmt 2-level 64K without CD2L", P_NO_CD2L, B_S1, T_FVS({ F_STE_s1cdmax, 4 }, { F_STE_s1fmt, 2 }) },
    { "S1STALLD with STALL_MODEL=1", P_STALL_TERM, B_S1, T_FVS({ F_STE_s1stalld, 1 }) },
    { "S1STALLD with STALL_MODEL=2", P_STALL_FORCED, B_S1, T_FVS({ F_STE_s1stalld, 1 }) },
    { "Config S1 without S1P", P_NO_S1P, B_S1, { NULL, 0 } },
    { "nested without S1P", P_NO_S1P, B_NESTED, { NULL, 0 } },
    /* stage 2 */
    { "S2TG reserved", P_DEFAULT, B_S2, T_FVS({ F_STE_s2tg, 3 }) },
    { "S2AA64=0 without AArch32", P_DEFAULT, B_S2, T_FVS({ F_STE_s2aa64, 0 }) },
    { "S2ENDI big-endian", P_DEFAULT, B_S2, T_FVS({ F_STE_s2endi, 1 }) },
    { "S2T0SZ 15 < 16", P_DEFAULT, B_S2, T_FVS({ F_STE_s2t0sz, 15 }) },
    { "S2T0SZ 40 > 39 without STT", P_NO_STT, B_S2, T_FVS({ F_STE_s2t0sz, 40 }, { F_STE_s2sl0, 0 }) },
    { "S2SL0 3 with 4K without STT", P_NO_STT, B_S2, T_FVS({ F_STE_s2t0sz, 39 }, { F_STE_s2sl0, 3 }) },
    { "S2SL0 3 with 4K (level 3) for a 39-bit IPA", P_DEFAULT, B_S2, T_FVS({ F_STE_s2sl0, 3 }) },
    { "SL0 level 0 for a 39-bit IPA", P_DEFAULT, B_S2, T_FVS({ F_STE_s2sl0, 2 }) },
    { "SL0 level 2 for a 39-bit IPA", P_DEFAULT, B_S2, T_FVS({ F_STE_s2sl0, 0 }) },
    { "44-bit IPA from level 1 (17 tables)", P_DEFAULT, B_S2, T_FVS({ F_STE_s2t0sz, 20 }, { F_STE_s2sl0, 1 }) },
    { "64K SL0=2 (level 1) for a 39-bit IPA", P_DEFAULT, B_S2, T_FVS({ F_STE_s2tg, 1 }, { F_STE_s2sl0, 2 }) },
    { "16K SL0=3 without DS", P_DEFAULT, B_S2, T_FVS({ F_STE_s2tg, 2 }, { F_STE_s2sl0, 3 }) },
    { "S2TTB beyond S2PS", P_DEFAULT, B_S2, T_FVS({ F_STE_s2ps, 0 }, { T_ADDR | F_STE_s2ttb, 0x100000000ull }) },
    { "S2TTB beyond OAS", P_DEFAULT, B_S2, T_FVS({ T_ADDR | F_STE_s2ttb, 1ull << 48 }) },
    { "S2TG 16K not supported", P_NO_16K, B_S2, T_FVS({ F_STE_s2tg, 2 }) },
    { "S2HA without HTTU", P_HTTU0, B_S2, T_FVS({ F_STE_s2ha, 1 }) },
    { "S2HD without HTTU", P_HTTU0, B_S2, T_FVS({ F_STE_s2hd, 1 }) },
    { "S2HD with HTTU=AF only", P_HTTU1, B_S2, T_FVS({ F_STE_s2ha, 1 }, { F_STE_s2hd, 1 }) },
    { "S2S without stalls", P_STALL_TERM, B_S2, T_FVS({ F_STE_s2s, 1 }) },
    { "S2S=0 with stall forced", P_STALL_FORCED, B_S2, { NULL, 0 } },
    { "16-bit VMID without VMID16", P_NO_VMID16, B_S2, T_FVS({ F_STE_s2vmid, 0x100 }) },
    { "S1 NS-EL1 VMID used", P_NO_VMID16, B_S1, T_FVS({ F_STE_s2vmid, 0x100 }) },
    { "Config S2 without S2P", P_NO_S2P, B_S2, { NULL, 0 } },
    /* S2T0SZ minimum (5.2 STES2T0SZInvalid): MAX(16, 64-IAS) for 4K/16K without S2DS, MAX(12, 64-IAS) for 64K */
    { "4K S2T0SZ 12 with OAS 52", P_OAS52, B_S2, T_FVS({ F_STE_s2t0sz, 12 }, { F_STE_s2sl0, 2 }) },
    { "64K S2T0SZ 12 with OAS 48", P_DEFAULT, B_S2, T_FVS({ F_STE_s2tg, 1 }, { F_STE_s2t0sz, 12 }, { F_STE_s2sl0, 2 }) },
    { "S1ContextPtr bit 52 beyond OAS 52", P_OAS52, B_S1, T_FVS({ T_ADDR | F_STE_s1contextptr, 1ull << 52 }) },
};

static void test_illegal(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_ste_cases) / sizeof(bad_ste_cases[0]); i++) {
        const bad_ste_case *k = &bad_ste_cases[i];
        smmuv3_config c;
        t_profile(k->profile, &c);
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
        uint64_t ste[8];
        base_ste(&e, k->base, ste);
        t_set_fields(ste, k->set);
        expect_bad_ste(&e, ste, k->what);
        t_down(&e);
    }
}

/* Fields that are IGNORED do not make the STE ILLEGAL. */
static const struct {
    const char *what;
    unsigned base;
    t_fvs set;
} ignored[] = {
    { "bypass: stage fields ignored", B_BYPASS,
      T_FVS({ F_STE_s2tg, 3 }, { F_STE_s1cdmax, 31 }, { F_STE_strw, 3 }, { F_STE_eats, 2 }) },
    { "stage 1 only: S2 fields ignored; S2VMID beyond 8 bits fine with VMID16", B_S1,
      T_FVS({ F_STE_s2tg, 3 }, { F_STE_s2aa64, 0 }, { F_STE_s2vmid, 0xABCD }) },
    { "stage 2 only: S1 fields ignored", B_S2, T_FVS({ F_STE_s1cdmax, 31 }, { F_STE_s1fmt, 3 }, { F_STE_strw, 1 }) },
};

static void test_ignored_fields(void **state)
{
    tenv *e = *state;
    for (uint32_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
        uint64_t ste[8];
        base_ste(e, ignored[i].base, ste);
        t_set_fields(ste, ignored[i].set);
        t_ste_at(e, SID + i, ste);
        smmuv3_result r;
        int rc = t_xlate(e, SID + i, false, 0, IOVA, 0, &r);
        if (r.fault == SMMUV3_EVT_C_BAD_STE)
            fail_msg("%s: C_BAD_STE", ignored[i].what);
        if (ignored[i].base == B_BYPASS && (rc != 0 || !r.bypass))
            fail_msg("%s: not bypassed (%d)", ignored[i].what, rc);
    }
    t_no_event(e);
}

/* Legal STEs the SteIllegal pseudocode (5.2.2) does not reject: Reserved
 * encodings that behave as another value, and fields that are IGNORED or
 * RES0 in this configuration. Decoded under a profile; where the field has
 * an effective value, that value is checked (L_*). */
enum { L_NONE, L_EATS, L_S1FMT, L_S1CDMAX, L_REGIME, L_S2HD, L_S2PS };

static const struct {
    const char *what;
    unsigned profile, base;
    t_fvs set;
    unsigned check;
    int want;
} legal[] = {
    { "EATS=0b01 with S2S=1 but stage 2 bypassed (SMMUv3.1+)", P_DEFAULT, B_S1,
      T_FVS({ F_STE_eats, 1 }, { F_STE_s2s, 1 }), L_EATS, 1 },
    { "EATS=0b11 without IDR3.DPT: behaves as 0b00", P_DEFAULT, B_S1, T_FVS({ F_STE_eats, 3 }), L_EATS, 0 },
    { "EATS IGNORED without IDR0.ATS", P_NO_ATS, B_S2, T_FVS({ F_STE_eats, 2 }), L_EATS, 0 },
    { "S1Fmt=0b11 without CD2L: Reserved, behaves as 0b00", P_NO_CD2L, B_S1,
      T_FVS({ F_STE_s1cdmax, 4 }, { F_STE_s1fmt, 3 }), L_S1FMT, 0 },
    { "S1CDMax, S1Fmt, S1DSS IGNORED without substreams", P_NO_SSID, B_S1,
      T_FVS({ F_STE_s1cdmax, 5 }, { F_STE_s1fmt, 1 }, { F_STE_s1dss, 3 }), L_S1CDMAX, 0 },
    { "S2VMID[15:8] IGNORED for StreamWorld NS-EL2", P_NO_VMID16, B_S1,
      T_FVS({ F_STE_strw, 2 }, { F_STE_s2vmid, 0x100 }), L_REGIME, SMMU_REGIME_EL2 },
    { "S2VMID IGNORED for bypass", P_NO_VMID16, B_BYPASS, T_FVS({ F_STE_s2vmid, 0x100 }), L_NONE, 0 },
    { "{S2HA,S2HD}=0b01: Reserved, behaves as 0b00", P_DEFAULT, B_S2, T_FVS({ F_STE_s2hd, 1 }), L_S2HD, 0 },
    { "STRW RES0 without HYP", P_NO_HYP, B_S1, T_FVS({ F_STE_strw, 1 }), L_REGIME, SMMU_REGIME_EL1 },
    { "S2S IGNORED with stage 2 bypassed", P_STALL_TERM, B_S1, T_FVS({ F_STE_s2s, 1 }), L_NONE, 0 },
    { "S1STALLD IGNORED with stage 1 bypassed", P_STALL_TERM, B_S2, T_FVS({ F_STE_s1stalld, 1 }), L_NONE, 0 },
    { "64K S2T0SZ 12 from level 1 with OAS 52, S2PS 0b111 as 52 bits", P_OAS52, B_S2,
      T_FVS({ F_STE_s2tg, 1 }, { F_STE_s2t0sz, 12 }, { F_STE_s2sl0, 2 }, { F_STE_s2ps, 7 }), L_S2PS, 52 },
};

static void test_legal(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(legal) / sizeof(legal[0]); i++) {
        smmuv3_config c;
        t_profile(legal[i].profile, &c);
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
        uint64_t raw[8];
        smmu_ste ste;
        base_ste(&e, legal[i].base, raw);
        t_set_fields(raw, legal[i].set);
        if (smmu_ste_decode(e.s, raw, &ste))
            fail_msg("%s: ILLEGAL", legal[i].what);
        int got = 0;
        switch (legal[i].check) {
        case L_EATS: got = ste.eats; break;
        case L_S1FMT: got = ste.s1fmt; break;
        case L_S1CDMAX: got = ste.s1cdmax; break;
        case L_REGIME: got = ste.regime; break;
        case L_S2HD: got = ste.s2.hd; break;
        case L_S2PS: got = ste.s2.ps; break;
        default: break;
        }
        if (got != legal[i].want)
            fail_msg("%s: effective value %d, expected %d", legal[i].what, got, legal[i].want);
        t_down(&e);
    }
}

/* Config 0b000 and the Reserved 0b001..0b011: abort, no event. */
static void test_config_abort(void **state)
{
    tenv *e = *state;
    for (unsigned cfg = 0; cfg < 4; cfg++) {
        uint64_t ste[8] = { 0 };
        fset(ste, F_STE_v, 1);
        fset(ste, F_STE_config, cfg);
        fset(ste, F_STE_s2tg, 3);   /* would be ILLEGAL if stage 2 were used */
        t_ste_at(e, SID, ste);
        smmuv3_result r;
        assert_int_equal(t_xlate(e, SID, false, 0, IOVA, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.outcome, SMMUV3_XLATE_ABORT);
        assert_int_equal(r.fault, 0);
        assert_int_equal(r.event, 0);
        t_no_event(e);
        smmu_cfgcache_flush(e->s);
    }
}

/* Bypass: the address passes; the STE attribute overrides shape the output.
 * Each case: a bypass STE with these fields, a transaction with these flags,
 * the attributes expected (ANY: not checked). */
#define ANY (-1)

typedef struct bypass_case {
    const char *what;
    t_fvs set;
    uint32_t flags;
    int memattr, sh, priv, inst;
} bypass_case;

static const bypass_case bypass_cases[] = {
    { "SHCFG=0b00: Non-shareable", { NULL, 0 }, 0, 0xFF, 0, false, false },
    { "SHCFG use incoming: the 13.1.3 default, Non-shareable", T_FVS({ F_STE_shcfg, 1 }), SMMUV3_TXN_PRIV,
      ANY, 0, true, ANY },
    { "MTCFG=1 MemAttr=0b0001 (Device-nGnRE), SHCFG ignored for Device (OSH)",
      T_FVS({ F_STE_mtcfg, 1 }, { F_STE_memattr, 1 }, { F_STE_shcfg, 0 }, { F_STE_privcfg, 3 }, { F_STE_instcfg, 3 }),
      0, 0x04, 2, true, true },
    { "INSTCFG affects reads only",
      T_FVS({ F_STE_mtcfg, 1 }, { F_STE_memattr, 1 }, { F_STE_shcfg, 0 }, { F_STE_privcfg, 3 }, { F_STE_instcfg, 3 }),
      SMMUV3_TXN_WRITE, ANY, ANY, ANY, false },
    { "MTCFG=1 MemAttr=0b1111 (WB), ALLOCCFG=0b1000 (no allocate), SHCFG=NSH, PRIVCFG unpriv",
      T_FVS({ F_STE_mtcfg, 1 }, { F_STE_memattr, 0xF }, { F_STE_alloccfg, 0x8 }, { F_STE_shcfg, 0 },
            { F_STE_privcfg, 2 }, { F_STE_instcfg, 2 }),
      SMMUV3_TXN_PRIV | SMMUV3_TXN_EXEC, 0xCC, 0, false, false },
    { "Reserved MemAttr 0b0100 behaves as Device-nGnRnE; SHCFG=0b01 incoming",
      T_FVS({ F_STE_mtcfg, 1 }, { F_STE_memattr, 4 }, { F_STE_shcfg, 1 }), 0, 0x00, ANY, ANY, ANY },
};

static void expect_attr(const char *what, const char *attr, int got, int want)
{
    if (want != ANY && got != want)
        fail_msg("%s: %s %d, expected %d", what, attr, got, want);
}

static void test_bypass_overrides(void **state)
{
    tenv *e = *state;
    for (uint32_t i = 0; i < sizeof(bypass_cases) / sizeof(bypass_cases[0]); i++) {
        const bypass_case *k = &bypass_cases[i];
        uint64_t ste[8];
        t_ste_bypass(ste);
        t_set_fields(ste, k->set);
        t_ste_at(e, i + 1, ste);
        smmuv3_result r;
        uint64_t addr = 0xABCDE123ull + i * 0x1000;
        if (t_xlate(e, i + 1, false, 0, addr, k->flags, &r) != 0 || r.pa != addr || !r.bypass)
            fail_msg("%s: not bypassed to 0x%llx (pa 0x%llx)", k->what, (unsigned long long)addr,
                     (unsigned long long)r.pa);
        expect_attr(k->what, "memattr", r.attrs.memattr, k->memattr);
        expect_attr(k->what, "sh", r.attrs.sh, k->sh);
        expect_attr(k->what, "priv", r.attrs.priv, k->priv);
        expect_attr(k->what, "inst", r.attrs.inst, k->inst);
    }
    /* a SubstreamID on a bypass STE: C_BAD_SUBSTREAMID */
    smmuv3_result r;
    assert_int_equal(t_xlate(e, 4, true, 7, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(e, SMMUV3_EVT_C_BAD_SUBSTREAMID, 4, true, 7, NULL);
    t_no_event(e);
}

/* Every legal Config with a translation: stage 1, stage 2, nested. */
static void test_legal_configs(void **state)
{
    tenv *e = *state;
    uint64_t ste[8];
    smmuv3_result r;
    valid_s1(e, ste);
    t_ste_at(e, 1, ste);
    assert_int_equal(t_xlate(e, 1, false, 0, IOVA + 0x123, 0, &r), 0);
    assert_int_equal(r.pa, 0x7000123);
    assert_false(r.bypass);

    valid_s2(e, ste);
    t_ste_at(e, 2, ste);
    assert_int_equal(t_xlate(e, 2, false, 0, IOVA + 0x456, SMMUV3_TXN_WRITE, &r), 0);
    assert_int_equal(r.pa, 0x7100456);

    /* nested: stage 2 identity over the CD and stage 1 tables, IOVA's IPA 0x7000000 -> 0x7200000 */
    uint64_t s2root = t_pt_new(e);
    uint64_t s1root = t_pt_new(e);
    uint64_t cd[8];
    t_cd(cd, s1root, 2);
    uint64_t cd_ipa = 0x40000000, cd_pa = T_CD + 0x1000;
    t_write_words(e, cd_pa, cd, 8);
    t_map(e, s1root, IOVA, 0x7000000, false, true);
    t_map(e, s2root, cd_ipa, cd_pa, true, false);
    for (uint64_t a = T_PT; a < T_PT + 0x10000; a += 0x1000)
        t_map(e, s2root, a, a, true, false);
    t_map(e, s2root, 0x7000000, 0x7200000, true, true);
    t_ste_s2(ste, s2root, 9);
    fset(ste, F_STE_config, SMMU_STE_CFG_NESTED);
    fset_addr(ste, F_STE_s1contextptr, cd_ipa);
    t_ste_at(e, 3, ste);
    assert_int_equal(t_xlate(e, 3, false, 0, IOVA + 0x789, 0, &r), 0);
    assert_int_equal(r.pa, 0x7200789);
    t_no_event(e);
}

/* STRW=EL2 is legal (IDR0.HYP) for stage 1 only, and E2H selects EL2-E2H. */
static void test_strw(void **state)
{
    tenv *e = *state;
    uint64_t raw[8];
    smmu_ste ste;
    t_ste_s1(raw, T_CD, 0, 0);
    fset(raw, F_STE_strw, 2);
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.regime, SMMU_REGIME_EL2);
    t_mmio32(e, REG_CR0, 0);
    t_mmio32(e, REG_CR2, (uint32_t)rset(0, F_CR2_e2h, 1));
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.regime, SMMU_REGIME_EL2_E2H);
    /* with stage 2 enabled STRW is IGNORED: NS-EL1 */
    t_ste_s2(raw, 0x1000, 1);
    fset(raw, F_STE_config, SMMU_STE_CFG_NESTED);
    fset(raw, F_STE_strw, 1);
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.regime, SMMU_REGIME_EL1);
    assert_int_equal(ste.s2.start_level, 1);
    assert_int_equal(ste.s2.granule, 12);
    assert_int_equal(ste.s2.ps, 48);
    t_down(e);

    /* without HYP STRW is RES0 (ignored); the fixture frees this one */
    t_up_profile(e, P_NO_HYP);
    t_ste_s1(raw, T_CD, 0, 0);
    fset(raw, F_STE_strw, 3);
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.regime, SMMU_REGIME_EL1);
}

/* Decoded stage 2 fields: start levels per granule, S2PS capped to OAS. */
static void test_s2_decode(void **state)
{
    tenv *e = *state;
    uint64_t raw[8];
    smmu_ste ste;
    struct { unsigned tg, sl0, tsz; int level; } v[] = {
        { 0, 0, 30, 2 }, { 0, 0, 39, 2 }, { 0, 1, 25, 1 }, { 0, 1, 21, 1 }, { 0, 2, 16, 0 },
        { 2, 0, 39, 3 }, { 2, 1, 28, 2 }, { 2, 2, 17, 1 }, { 2, 1, 24, 2 },
        { 1, 0, 39, 3 }, { 1, 1, 22, 2 }, { 1, 1, 34, 2 },
        { 1, 2, 16, 1 }, { 1, 2, 21, 1 }, /* 64K level 1 start: legal with the 48-bit OAS (PAMax >= 44) */
        { 0, 1, 34, -1 }, { 2, 0, 34, -1 }, { 1, 0, 30, -1 }, { 1, 1, 17, -1 },
    };
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        t_ste_s2(raw, 0x10000, 1);
        fset(raw, F_STE_s2tg, v[i].tg);
        fset(raw, F_STE_s2sl0, v[i].sl0);
        fset(raw, F_STE_s2t0sz, v[i].tsz);
        int rc = smmu_ste_decode(e->s, raw, &ste);
        if (v[i].level < 0) {
            if (rc != SMMUV3_EVT_C_BAD_STE)
                fail_msg("case %u: TG %u SL0 %u T0SZ %u should be ILLEGAL", i, v[i].tg, v[i].sl0, v[i].tsz);
        } else {
            if (rc != 0)
                fail_msg("case %u: TG %u SL0 %u T0SZ %u should be legal", i, v[i].tg, v[i].sl0, v[i].tsz);
            assert_int_equal(ste.s2.start_level, v[i].level);
        }
    }
    t_ste_s2(raw, 0x10000, 1);
    fset(raw, F_STE_s2ps, 7);
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.s2.ps, 48);
    fset(raw, F_STE_s2ps, 2);
    assert_int_equal(smmu_ste_decode(e->s, raw, &ste), 0);
    assert_int_equal(ste.s2.ps, 40);
}

/* Stage 2 start levels that AArch64.S2InvalidSL makes depend on the PA size
 * (the OAS): 4K level 0 needs 44 bits, 16K level 1 needs 42, 64K level 1 needs 44. */
static void test_s2_start_level_vs_oas(void **state)
{
    (void)state;
    struct { unsigned oas, tg, sl0, tsz; bool legal; } v[] = {
        { 44, 0, 2, 24, true },  { 42, 0, 2, 24, false }, { 40, 0, 2, 24, false },
        { 42, 2, 2, 24, true },  { 40, 2, 2, 24, false },
        { 44, 1, 2, 20, true },
        { 40, 0, 1, 24, true },  { 40, 2, 1, 24, true },  { 40, 1, 1, 24, true },
    };
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        smmuv3_config c = CFGFX(CF(oas, v[i].oas));
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
        uint64_t raw[8];
        smmu_ste ste;
        t_ste_s2(raw, 0x10000, 1);
        fset(raw, F_STE_s2ps, 0);
        fset(raw, F_STE_s2tg, v[i].tg);
        fset(raw, F_STE_s2sl0, v[i].sl0);
        fset(raw, F_STE_s2t0sz, v[i].tsz);
        int rc = smmu_ste_decode(e.s, raw, &ste);
        if (v[i].legal && rc != 0)
            fail_msg("case %u: OAS %u TG %u SL0 %u should be legal", i, v[i].oas, v[i].tg, v[i].sl0);
        if (!v[i].legal && rc != SMMUV3_EVT_C_BAD_STE)
            fail_msg("case %u: OAS %u TG %u SL0 %u should be ILLEGAL", i, v[i].oas, v[i].tg, v[i].sl0);
        t_down(&e);
    }
}

/* Small translation tables (IDR3.STT). 5.2 S2T0SZ: at most 39 when
 * IDR3.STT == 0; with IDR3.STT == 1 at most 48 with a 4K or 16K granule, 47
 * with 64K. 5.2 S2SL0 is encoded as VTCR_EL2.SL0: with 4K, 0b11 starts at
 * level 3 when FEAT_TTST (STT) is implemented and is reserved otherwise; the
 * 16K and 64K level 3 starts (S2SL0 0) exist either way. S2T0SZ must also
 * fit the start level (at least one bit above it, at most 16 concatenated
 * tables). Each case: legal without STT, legal with it (start level). */
static void test_s2_small_tables(void **state)
{
    (void)state;
    static const struct { unsigned tg, sl0, tsz; bool no_stt, stt; int level; } v[] = {
        { 0, 3, 48, false, true, 3 },   /* 4K: 16-bit IPA, 16 entries at level 3 */
        { 0, 3, 39, false, true, 3 },   /* 4K: 25-bit IPA, 16 concatenated level 3 tables */
        { 0, 3, 38, false, false, 3 },  /* 26 bits: 32 level 3 tables */
        { 0, 3, 49, false, false, 3 },  /* above 48 */
        { 0, 0, 39, true, true, 2 },
        { 0, 0, 40, false, true, 2 },   /* 24 bits from level 2: 8 entries */
        { 0, 0, 42, false, true, 2 },   /* 22 bits: 2 entries */
        { 0, 0, 43, false, false, 2 },  /* 21 bits: level 2 resolves none */
        { 2, 0, 39, true, true, 3 },    /* 16K level 3 */
        { 2, 0, 48, false, true, 3 },   /* 16K: 16-bit IPA, 4 entries */
        { 2, 0, 49, false, false, 3 },
        { 2, 3, 48, false, false, 0 },  /* 16K S2SL0 0b11 needs DS */
        { 1, 0, 39, true, true, 3 },    /* 64K level 3 */
        { 1, 0, 47, false, true, 3 },   /* 64K: 17-bit IPA, 2 entries */
        { 1, 0, 48, false, false, 3 },  /* above 47 */
        { 1, 3, 47, false, false, 0 },  /* 64K S2SL0 0b11 is reserved */
    };
    for (int stt = 0; stt < 2; stt++) {
        smmuv3_config c;
        t_profile(stt ? P_DEFAULT : P_NO_STT, &c);
        tenv e;
        t_up_cfg(&e, &c, t_strtab_cfg(8, false, 0));
        for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
            bool legal = stt ? v[i].stt : v[i].no_stt;
            uint64_t raw[8];
            smmu_ste ste;
            t_ste_s2(raw, 0x10000, 1);
            fset(raw, F_STE_s2tg, v[i].tg);
            fset(raw, F_STE_s2sl0, v[i].sl0);
            fset(raw, F_STE_s2t0sz, v[i].tsz);
            int rc = smmu_ste_decode(e.s, raw, &ste);
            if (legal ? rc != 0 : rc != SMMUV3_EVT_C_BAD_STE)
                fail_msg("STT %d case %u: TG %u SL0 %u S2T0SZ %u %s, expected %s", stt, i, v[i].tg, v[i].sl0,
                         v[i].tsz, rc ? "ILLEGAL" : "legal", legal ? "legal" : "ILLEGAL");
            if (legal)
                assert_int_equal(ste.s2.start_level, v[i].level);
        }
        t_down(&e);
    }
}

/* A Secure STE's Secure IPA space (S_S2T0SZ, S_S2SL0, S_S2TG) follows the
 * same rules (5.2): with STT (the default profile, which has SEL2) a 4K
 * S_S2SL0 0b11 starts at level 3 and S_S2T0SZ 48 is legal; 49 is not. */
static void test_s2_small_tables_secure(void **state)
{
    tenv *e = *state;
    static const struct { unsigned tg, sl0, tsz; int level; } v[] = {
        { 0, 3, 48, 3 }, { 0, 0, 42, 2 }, { 2, 0, 48, 3 }, { 1, 0, 47, 3 },
        { 0, 3, 49, -1 }, { 1, 0, 48, -1 }, { 2, 3, 48, -1 },
    };
    for (unsigned i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint64_t raw[8];
        smmu_ste ste;
        t_ste_s2(raw, 0x10000, 1);
        fset_addr(raw, F_STE_s_s2ttb, 0x20000);
        fset(raw, F_STE_s_s2tg, v[i].tg);
        fset(raw, F_STE_s_s2sl0, v[i].sl0);
        fset(raw, F_STE_s_s2t0sz, v[i].tsz);
        int rc = smmu_ste_decode_sec(e->s, raw, &ste, true);
        if (v[i].level < 0 ? rc != SMMUV3_EVT_C_BAD_STE : rc != 0)
            fail_msg("case %u: S_S2TG %u S_S2SL0 %u S_S2T0SZ %u %s", i, v[i].tg, v[i].sl0, v[i].tsz,
                     rc ? "ILLEGAL" : "legal");
        if (v[i].level >= 0) {
            assert_int_equal(ste.s2.s_start_level, v[i].level);
            assert_int_equal(ste.s2.s_tsz, v[i].tsz);
            assert_int_equal(ste.s2.start_level, 1);   /* S2T0SZ 25, S2SL0 1: the Non-secure IPA space */
        }
    }
}

TEST_MAIN_FX(t_setup, t_teardown, test_v0, test_v0_with_ssid, test_illegal, test_legal, test_ignored_fields, test_config_abort,
          test_bypass_overrides, test_legal_configs, test_strw, test_s2_decode,
          test_s2_start_level_vs_oas, test_s2_small_tables, test_s2_small_tables_secure)
