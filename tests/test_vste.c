/* Unit tests: vSTE verdicts (src/model/config/vste.c, smmuv3_vste_classify): every Config value, every ILLEGAL reason, exact masks. */
#include "test_cfg_util.h"
#include "cases.h"
#include "test_main.h"

#define SID 5
#define IOVA 0x12345000ull
#define OUT_PA 0x7000000ull

/* The fields kept for S1, written out as literal masks (IHI 0070 5.2) so that
 * the field table's positions are pinned by this test:
 * dword 0: V 0, Config 3:1, S1Fmt 5:4, S1ContextPtr 55:6, S1CDMax 63:59;
 * dword 1: S1DSS 1:0, S1CIR 3:2, S1COR 5:4, S1CSH 7:6, S1STALLD 27, EATS 29:28. */
#define MASK0 0xF8FFFFFFFFFFFFFFull
#define MASK1 0x380000FFull
#define EATS_BITS (3ull << 28)

/* A valid stage 1 STE (one CD at T_CD, IOVA mapped). */
static void valid_s1(tenv *e, uint64_t ste[8])
{
    t_cd_mapping(e, T_CD, 1, IOVA, OUT_PA);
    t_ste_s1(ste, T_CD, 0, 0);
}

/* An instance with profile P_* (test_cfg_util.h) and a valid stage 1 STE for it. */
static void up_with_s1(tenv *e, unsigned profile, uint64_t ste[8])
{
    t_up_profile(e, profile);
    valid_s1(e, ste);
}

static smmuv3_vste classify(tenv *e, const uint64_t ste[8])
{
    smmuv3_vste v;
    memset(&v, 0xA5, sizeof(v));
    assert_int_equal(smmuv3_vste_classify(e->s, ste, &v), 0);
    return v;
}

/* The verdict is S1 (a vSTE the host can take). */
static smmuv3_vste classify_s1(tenv *e, const uint64_t ste[8])
{
    smmuv3_vste v = classify(e, ste);
    assert_int_equal(v.kind, SMMUV3_VSTE_S1);
    return v;
}

/* What the model itself does with the STE: 0 translated, 1 aborted silently,
 * 2 C_BAD_STE, 3 another fault (after the STE was accepted). */
static int model_verdict(tenv *e, const uint64_t ste[8])
{
    t_ste_at(e, SID, ste);
    t_cfgi_ste(e, SID);
    smmuv3_result r;
    int rc = t_xlate(e, SID, false, 0, IOVA, 0, &r);
    if (rc == SMMUV3_XLATE_OK) {
        t_no_event(e);
        return 0;
    }
    assert_int_equal(rc, SMMUV3_XLATE_ABORT);
    if (r.fault == 0) {
        t_no_event(e);
        return 1;
    }
    uint64_t w[4];
    assert_true(t_event(e, w));
    assert_int_equal(fget(w, F_EVENT_eventid), r.fault);
    t_no_event(e);
    return r.fault == SMMUV3_EVT_C_BAD_STE ? 2 : 3;
}

static void assert_zero_words(const smmuv3_vste *v)
{
    assert_int_equal(v->ste[0], 0);
    assert_int_equal(v->ste[1], 0);
}

/* Every Config value with otherwise valid stage 1 and stage 2 fields. */
static void test_config_values(void **state)
{
    tenv *e = *state;
    uint64_t s2root = t_pt_new(e);
    t_map(e, s2root, T_CD, T_CD, true, false);          /* nested: the CD's IPA */
    static const int want[8] = { SMMUV3_VSTE_ABORT, SMMUV3_VSTE_ABORT, SMMUV3_VSTE_ABORT, SMMUV3_VSTE_ABORT,
                                 SMMUV3_VSTE_BYPASS, SMMUV3_VSTE_S1, SMMUV3_VSTE_INVALID, SMMUV3_VSTE_INVALID };
    for (unsigned config = 0; config < 8; config++) {
        uint64_t ste[8];
        valid_s1(e, ste);
        t_ste_s2_fields(ste, s2root, 3);
        fset(ste, F_STE_config, config);
        smmuv3_vste v = classify(e, ste);
        if (v.kind != want[config])
            fail_msg("Config %u: kind %d, expected %d", config, v.kind, want[config]);
        if (v.kind != SMMUV3_VSTE_S1)
            assert_zero_words(&v);
        /* The model agrees: abort without an event, bypass and stage 1
         * translate; stage 2 and nested are valid for the model itself (only
         * a vSMMU cannot back them), so never C_BAD_STE. */
        int m = model_verdict(e, ste);
        if (config < 4)
            assert_int_equal(m, 1);
        else
            assert_int_not_equal(m, 2);
    }
}

typedef struct illegal_case {
    const char *what;
    unsigned profile;   /* P_* (test_cfg_util.h) */
    t_fvs set;          /* the fields changed (none: the profile alone makes it ILLEGAL) */
} illegal_case;

/* Each reason smmu_ste_decode calls a stage 1 STE ILLEGAL (5.2 SteIllegal). */
static const illegal_case illegal[] = {
    { "V=0", P_DEFAULT, T_FVS({ F_STE_v, 0 }) },
    { "stage 1 without IDR0.S1P", P_NO_S1P, { NULL, 0 } },
    { "STRW 0b01 with HYP", P_DEFAULT, T_FVS({ F_STE_strw, 1 }) },
    { "STRW 0b11 with HYP", P_DEFAULT, T_FVS({ F_STE_strw, 3 }) },
    { "S1STALLD with STALL_MODEL 0b01", P_STALL_TERM, T_FVS({ F_STE_s1stalld, 1 }) },
    { "S1STALLD with STALL_MODEL 0b10", P_STALL_FORCED, T_FVS({ F_STE_s1stalld, 1 }) },
    { "S1CDMax above SSIDSIZE 20", P_DEFAULT, T_FVS({ F_STE_s1cdmax, 21 }) },
    { "S1CDMax 5 above SSIDSIZE 4", P_SSID4, T_FVS({ F_STE_s1cdmax, 5 }) },
    { "2-level CD table without CD2L", P_NO_CD2L, T_FVS({ F_STE_s1cdmax, 8 }, { F_STE_s1fmt, 1 }) },
    { "S1ContextPtr beyond the OAS", P_DEFAULT, T_FVS({ T_ADDR | F_STE_s1contextptr, 1ull << 48 | T_CD }) },
    { "S2VMID above 8 bits without VMID16", P_NO_VMID16, T_FVS({ F_STE_s2vmid, 0x100 }) },
};

static void test_illegal_reasons(void **state)
{
    (void)state;
    FOR_EACH_CASE(illegal_case, k, illegal) {
        tenv e;
        uint64_t ste[8];
        up_with_s1(&e, k->profile, ste);
        if (k->set.n) {
            /* control: the unedited STE is a good stage 1 for both */
            smmuv3_vste v = classify(&e, ste);
            if (v.kind != SMMUV3_VSTE_S1)
                fail_msg("%s: control STE kind %d", k->what, v.kind);
            int m = model_verdict(&e, ste);
            if (m != 0)
                fail_msg("%s: control STE does not translate (%d)", k->what, m);
        }
        t_set_fields(ste, k->set);
        smmuv3_vste v = classify(&e, ste);
        if (v.kind != SMMUV3_VSTE_INVALID)
            fail_msg("%s: kind %d, expected INVALID", k->what, v.kind);
        assert_zero_words(&v);
        int m = model_verdict(&e, ste);
        if (m != 2)
            fail_msg("%s: the model does not call it C_BAD_STE (%d)", k->what, m);
        t_down(&e);
    }
}

/* Stage 2 STEs the model accepts are INVALID for a vSMMU; one the model
 * refuses is INVALID too. */
static void test_stage2_invalid(void **state)
{
    tenv *e = *state;
    uint64_t root = t_pt_new(e), ste[8];
    t_map(e, root, IOVA, 0x7100000, true, true);
    t_ste_s2(ste, root, 3);
    assert_int_equal(classify(e, ste).kind, SMMUV3_VSTE_INVALID);
    assert_int_equal(model_verdict(e, ste), 0);
    fset(ste, F_STE_s2aa64, 0);                          /* AArch32 stage 2: ILLEGAL */
    assert_int_equal(classify(e, ste).kind, SMMUV3_VSTE_INVALID);
    assert_int_equal(model_verdict(e, ste), 2);
}

/* Dwords 0 and 1 keep exactly the listed fields; every other bit of every
 * dword (RES0, STRW, overrides, S2 fields, IMPL DEF) is dropped. */
static void test_masks_exact(void **state)
{
    tenv *e = *state;
    uint64_t ste[8];
    for (int i = 0; i < 8; i++)
        ste[i] = ~0ull;
    /* dword 0: V=1, Config=S1, S1Fmt=2 (64K leaves), S1ContextPtr below 2^48,
     * RES0 bits 58:56 set, S1CDMax=20 */
    ste[0] = 1ull | 5ull << 1 | 2ull << 4 | 0x0000ABCDEF012340ull | 7ull << 56 | 20ull << 59;
    /* dword 1: all ones but STRW=0b10 (EL2: legal with HYP) */
    ste[1] = ~(1ull << 30);
    smmuv3_vste v = classify_s1(e, ste);
    assert_int_equal(v.ste[0], ste[0] & MASK0);
    assert_int_equal(v.ste[0], 0xA000ABCDEF01236Bull);
    /* EATS is kept: the default profile has IDR0.ATS (0b11 is legal: it
     * behaves as 0b00 without DPT) */
    assert_int_equal(v.ste[1], ste[1] & MASK1);
    assert_int_equal(v.ste[1], 0x380000FFull);
    /* one field at a time: each listed field survives on its own */
    static const struct { unsigned w; uint64_t bits; } kept[] = {
        { 1, 3ull << 0 }, { 1, 3ull << 2 }, { 1, 3ull << 4 }, { 1, 3ull << 6 }, { 1, 1ull << 27 },
    };
    for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++) {
        uint64_t s[8];
        t_ste_s1(s, T_CD, 0, 4);
        s[kept[i].w] |= kept[i].bits;
        smmuv3_vste k = classify_s1(e, s);
        assert_int_equal(k.ste[kept[i].w] & kept[i].bits, kept[i].bits);
        assert_int_equal(k.ste[0], s[0]);
    }
}

/* Fields the model honours or IGNORES that are not handed to a host, one case
 * each: the vSTE is the STE with `set` applied, masked (MASK0/MASK1) and with
 * drop0/drop1 cleared; `want` lists fields of the vSTE checked one by one; the
 * model itself translates the STE (through CD 0).
 * - without substreams the profile IGNORES S1CDMax (and with it S1Fmt and
 *   S1DSS): they are not handed to a host that would honour them;
 * - without IDR0.ATS, EATS is IGNORED (5.2): dropped; with ATS it is kept;
 * - STRW=EL2 is honoured by the model (E2H from CR2) and never forwarded. */
typedef struct dropped_case {
    const char *what;
    unsigned profile;   /* P_* (test_cfg_util.h) */
    t_fvs set, want;
    uint64_t drop0, drop1;
} dropped_case;

#define S1CDMAX_BITS (0x1Full << 59)
#define S1FMT_BITS (3ull << 4)
#define S1DSS_BITS 3ull

static const dropped_case dropped[] = {
    { "S1CDMax, S1Fmt, S1DSS without substreams", P_NO_SSID,
      T_FVS({ F_STE_s1cdmax, 5 }, { F_STE_s1fmt, 1 }, { F_STE_s1dss, 1 }, { F_STE_s1cir, 2 }),
      T_FVS({ F_STE_s1cdmax, 0 }, { F_STE_s1fmt, 0 }, { F_STE_s1dss, 0 }, { F_STE_s1cir, 2 },
            { T_ADDR | F_STE_s1contextptr, T_CD }),
      S1CDMAX_BITS | S1FMT_BITS, S1DSS_BITS },
    { "EATS without ATS", P_NO_ATS, T_FVS({ F_STE_eats, 1 }), T_FVS({ F_STE_eats, 0 }), 0, EATS_BITS },
    { "EATS with ATS: kept", P_DEFAULT, T_FVS({ F_STE_eats, 1 }), T_FVS({ F_STE_eats, 1 }), 0, 0 },
    { "STRW=EL2", P_DEFAULT, T_FVS({ F_STE_strw, 2 }), T_FVS({ F_STE_strw, 0 }), 0, 0 },
};

static void test_dropped_fields(void **state)
{
    (void)state;
    FOR_EACH_CASE(dropped_case, k, dropped) {
        tenv e;
        uint64_t ste[8];
        up_with_s1(&e, k->profile, ste);
        t_set_fields(ste, k->set);
        smmuv3_vste v = classify_s1(&e, ste);
        assert_int_equal(v.ste[0], ste[0] & MASK0 & ~k->drop0);
        assert_int_equal(v.ste[1], ste[1] & MASK1 & ~k->drop1);
        for (size_t j = 0; j < k->want.n; j++) {
            const t_fv *fv = &k->want.kv[j];
            uint64_t got = (fv->f & T_ADDR) ? fget_addr(v.ste, fv->f & ~T_ADDR) : fget(v.ste, fv->f);
            if (got != fv->v)
                fail_msg("%s: field %u of the vSTE is 0x%llx, expected 0x%llx", k->what, (unsigned)j,
                         (unsigned long long)got, (unsigned long long)fv->v);
        }
        assert_int_equal(model_verdict(&e, ste), 0);
        t_down(&e);
    }
}

static void test_null_args(void **state)
{
    tenv *e = *state;
    uint64_t ste[8];
    t_ste_bypass(ste);
    smmuv3_vste v;
    memset(&v, 0xA5, sizeof(v));
    assert_int_equal(smmuv3_vste_classify(NULL, ste, &v), SMMUV3_EINVAL);
    assert_int_equal(v.kind, SMMUV3_VSTE_INVALID);
    assert_int_equal(v.ste[0] | v.ste[1], 0);
    memset(&v, 0xA5, sizeof(v));
    assert_int_equal(smmuv3_vste_classify(e->s, NULL, &v), SMMUV3_EINVAL);
    assert_int_equal(v.kind, SMMUV3_VSTE_INVALID);
    assert_int_equal(smmuv3_vste_classify(e->s, ste, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_vste_classify(NULL, NULL, NULL), SMMUV3_EINVAL);
    assert_int_equal(classify(e, ste).kind, SMMUV3_VSTE_BYPASS);
}

/* Garbage STEs: the verdict is always one of the four, S1 output stays inside
 * the masks, and it follows the raw V and Config as 5.2 says. */
static void test_garbage(void **state)
{
    tenv *e = *state;
    uint64_t x = 0x9E3779B97F4A7C15ull;
    unsigned seen[4] = { 0 };
    for (int n = 0; n < 200000; n++) {
        uint64_t ste[8];
        for (int i = 0; i < 8; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            ste[i] = x;
        }
        if (n & 1) {               /* bias towards plausible STEs */
            ste[0] &= 0x07FFFFFFFFFFFFFFull | (x & 0x1800000000000000ull);
            ste[0] &= ~(0xFFull << 48);
            ste[1] &= ~(3ull << 30) & ~(1ull << 27);
        }
        smmuv3_vste v = classify(e, ste);
        assert_true(v.kind >= SMMUV3_VSTE_INVALID && v.kind <= SMMUV3_VSTE_S1);
        seen[v.kind]++;
        unsigned config = (unsigned)fget(ste, F_STE_config);
        bool valid = fget(ste, F_STE_v) != 0;
        if (v.kind == SMMUV3_VSTE_S1) {
            assert_true(valid && config == 5);
            assert_int_equal(v.ste[0] & ~MASK0, 0);
            assert_int_equal(v.ste[1] & ~MASK1, 0);
            assert_int_equal(v.ste[0], ste[0] & MASK0);
        } else {
            assert_zero_words(&v);
            if (v.kind == SMMUV3_VSTE_ABORT)
                assert_true(valid && config < 4);
            if (v.kind == SMMUV3_VSTE_BYPASS)
                assert_true(valid && config == 4);
            if (!valid || config >= 6)
                assert_int_equal(v.kind, SMMUV3_VSTE_INVALID);
        }
    }
    for (int k = 0; k < 4; k++)
        assert_true(seen[k] > 0);
}

TEST_MAIN_FX(t_setup, t_teardown, test_config_values, test_illegal_reasons, test_stage2_invalid,
             test_masks_exact, test_dropped_fields,
             test_null_args, test_garbage)
