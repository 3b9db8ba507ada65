/* Unit tests: feature profile validation and ID registers (src/model/regs/profile.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "fields/fields.h"
#include "regfx.h"
#include "cfgfx.h"
#include "cases.h"
#include "test_main.h"

static void expect_invalid(const smmuv3_config *c, const char *needle)
{
    char msg[256];
    assert_int_equal(smmuv3_config_validate(c, msg, sizeof(msg)), SMMUV3_EINVAL);
    if (!strstr(msg, needle))
        fail_msg("message '%s' does not mention '%s'", msg, needle);
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, m);
    smmuv3 *s = (smmuv3 *)1;
    assert_int_equal(smmuv3_new(c, &h, &s), SMMUV3_EINVAL);
    assert_null(s);
    smmuv3_mem_free(m);
}

/* A profile the validator refuses: the default with `set` applied; `what` is
 * what the message must mention. */
typedef struct invalid_case {
    const char *what;
    cfgfx_set set[3];
    size_t n;
} invalid_case;

#define INVALID(what, ...) { what, { __VA_ARGS__ }, sizeof((cfgfx_set[]){ __VA_ARGS__ }) / sizeof(cfgfx_set) }

static const invalid_case invalid[] = {
    INVALID("ssidsize", CF(ssidsize, 21)),
    INVALID("0..20", CF(ssidsize, 21)),
    INVALID("0..32", CF(sidsize, 33)),
    INVALID("32, 36, 40, 42, 44, 48, 52", CF(oas, 47)),
    INVALID("granule", CF(gran4k, false), CF(gran16k, false), CF(gran64k, false)),
    INVALID("stage", CF(s1p, false), CF(s2p, false)),
    INVALID("cmdqs", CF(cmdqs, 20)),
    INVALID("eventqs", CF(eventqs, 20)),
    INVALID("priqs", CF(priqs, 25)),
    INVALID("stall_model", CF(stall_model, 3)),
    INVALID("httu", CF(httu, 3)),
    INVALID("gran64k", CF(oas, 52), CF(gran64k, false), CF(vax, false)),
    INVALID("pri", CF(ats, false)),
    INVALID("stall_max", CF(stall_max, 0)),
};

static void test_validate(void **state)
{
    (void)state;
    smmuv3_config c;
    char msg[256];
    smmuv3_config_default(&c);
    assert_int_equal(smmuv3_config_validate(&c, msg, sizeof(msg)), 0);
    assert_string_equal(msg, "");

    FOR_EACH_CASE(invalid_case, k, invalid) {
        c = cfgfx_make(k->set, k->n);
        expect_invalid(&c, k->what);
    }
    assert_int_equal(smmuv3_config_validate(NULL, msg, sizeof(msg)), SMMUV3_EINVAL);
}

static void test_idregs_default(void **state)
{
    (void)state;
    static const regfx_field idrs[] = {
        RF_FIELD(0x0, F_IDR0_s1p, 1),
        RF_FIELD(0x0, F_IDR0_s2p, 1),
        RF_FIELD(0x0, F_IDR0_ttf, 2),
        RF_FIELD(0x0, F_IDR0_st_level, 1),
        RF_FIELD(0x0, F_IDR0_cd2l, 1),
        RF_FIELD(0x0, F_IDR0_msi, 1),
        RF_FIELD(0x0, F_IDR0_asid16, 1),
        RF_FIELD(0x0, F_IDR0_vmid16, 1),
        RF_FIELD(0x0, F_IDR0_ttendian, 2),
        RF_FIELD(0x0, F_IDR0_ats, 1),
        RF_FIELD(0x0, F_IDR0_pri, 1),
        RF_FIELD(0x0, F_IDR0_ns1ats, 0),   /* split-stage ATS supported */
        RF_FIELD(0x4, F_IDR1_sidsize, 16),
        RF_FIELD(0x4, F_IDR1_ssidsize, 20),
        RF_FIELD(0x4, F_IDR1_cmdqs, 19),
        RF_FIELD(0xC, F_IDR3_ril, 1),
        RF_FIELD(0x14, F_IDR5_oas, 5),     /* 48 bits */
        RF_FIELD(0x14, F_IDR5_gran4k, 1),
        RF_FIELD(0x14, F_IDR5_gran16k, 1),
        RF_FIELD(0x14, F_IDR5_gran64k, 1),
    };
    regfx *f = regfx_new(NULL);
    smmuv3 *s = f->s;
    REGFX_FIELDS(s, idrs);
    assert_true(rget(smmuv3_mmio_read(s, 0x4, 4), F_IDR1_priqs) >= 8);
    assert_int_equal(smmuv3_mmio_read(s, 0x1C, 4), 0x02); /* SMMUv3.2 */
    /* ID registers are read-only */
    uint64_t idr0 = smmuv3_mmio_read(s, 0x0, 4);
    smmuv3_mmio_write(s, 0x0, 0, 4);
    assert_int_equal(smmuv3_mmio_read(s, 0x0, 4), idr0);
    /* bad sizes and alignment read 0 */
    assert_int_equal(smmuv3_mmio_read(s, 0x0, 2), 0);
    assert_int_equal(smmuv3_mmio_read(s, 0x2, 4), 0);
    assert_int_equal(smmuv3_mmio_read(s, 0x40000, 4), 0);
    regfx_free(f);
}

static void test_idregs_minimal(void **state)
{
    (void)state;
    static const regfx_field idrs[] = {
        RF_FIELD(0x0, F_IDR0_s2p, 0),
        RF_FIELD(0x0, F_IDR0_s1p, 1),
        RF_FIELD(0x0, F_IDR0_st_level, 0),
        RF_FIELD(0x0, F_IDR0_stall_model, 1),
        RF_FIELD(0x0, F_IDR0_msi, 0),
        RF_FIELD(0x0, F_IDR0_httu, 0),
        RF_FIELD(0x14, F_IDR5_oas, 0),
        RF_FIELD(0x14, F_IDR5_gran4k, 1),
        RF_FIELD(0x14, F_IDR5_gran64k, 0),
        RF_FIELD(0x14, F_IDR5_stall_max, 0),
    };
    smmuv3_config c = CFGFX(CF(s2p, false), CF(gran16k, false), CF(gran64k, false), CF(vax, false),
                          CF(oas, 32), CF(sidsize, 0), CF(ssidsize, 0), CF(st_2level, false),
                          CF(cd_2level, false), CF(ril, false), CF(msi, false), CF(hyp, false),
                          CF(asid16, false), CF(vmid16, false), CF(sev, false), CF(xnx, false),
                          CF(had, false), CF(stall_model, SMMUV3_STALL_TERM_ONLY), CF(httu, 0),
                          CF(cmdqs, 0), CF(eventqs, 0), CF(priqs, 0));
    regfx *f = regfx_new(&c);
    REGFX_FIELDS(f->s, idrs);
    assert_int_equal(smmuv3_mmio_read(f->s, 0x4, 4) & 0x3ffffff, 0);
    assert_int_equal(smmuv3_get_config(f->s)->oas, 32);
    regfx_free(f);
}

/* IDR0.HYP is RES0 unless both stages exist (6.3.1): a profile asking for it
 * with one stage gets it cleared, in the ID register and the effective config. */
static void test_hyp_needs_both_stages(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(s2p, false), CF(hyp, true));
    regfx *f = regfx_new(&c);
    assert_int_equal(rget(regfx_r32(f, 0x0), F_IDR0_hyp), 0);
    assert_false(smmuv3_get_config(f->s)->hyp);
    regfx_free(f);
    f = regfx_new(NULL);
    assert_int_equal(rget(regfx_r32(f, 0x0), F_IDR0_hyp), 1);
    regfx_free(f);
}

/* ID fields that are RES0 (or 0) unless another feature is present read 0
 * when a profile asks for them without it, and the profile in effect says so:
 * IDR3.HAD == 0 when S1P == 0; IDR0.NS1ATS RES0 unless ATS, S1P and S2P
 * (IHI 0070 6.3.1); IDR3.PPS RES0 when SSIDSIZE == 0 (6.3.4). */
static void test_idregs_res0_dependencies(void **state)
{
    (void)state;
    const struct {
        const char *what;
        smmuv3_config c;
        uint64_t off;
        uint32_t field;
        uint64_t want;
    } cases[] = {
        { "HAD with stage 1", CFGFX(CF(had, true)), 0xC, F_IDR3_had, 1 },
        { "HAD without stage 1", CFGFX(CF(s1p, false), CF(cd_2level, false), CF(had, true)), 0xC, F_IDR3_had, 0 },
        { "NS1ATS with both stages", CFGFX(CF(ns1ats, true)), 0x0, F_IDR0_ns1ats, 1 },
        { "NS1ATS without stage 2", CFGFX(CF(s2p, false), CF(ns1ats, true)), 0x0, F_IDR0_ns1ats, 0 },
        { "NS1ATS without stage 1", CFGFX(CF(s1p, false), CF(cd_2level, false), CF(ns1ats, true)), 0x0,
          F_IDR0_ns1ats, 0 },
        { "PPS with substreams", CFGFX(CF(pps, true)), 0xC, F_IDR3_pps, 1 },
        { "PPS without substreams", CFGFX(CF(ssidsize, 0), CF(pps, true)), 0xC, F_IDR3_pps, 0 },
        { "FWB by default (an SMMUv3.2)", CFGFX(CF(fwb, true)), 0xC, F_IDR3_fwb, 1 },
        { "FWB without stage 2", CFGFX(CF(s2p, false), CF(fwb, true)), 0xC, F_IDR3_fwb, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        regfx *f = regfx_new(&cases[i].c);
        uint64_t got = rget(regfx_r32(f, cases[i].off), cases[i].field);
        const smmuv3_config *e = smmuv3_get_config(f->s);
        bool eff = cases[i].field == F_IDR3_had      ? e->had
                   : cases[i].field == F_IDR0_ns1ats ? e->ns1ats
                   : cases[i].field == F_IDR3_fwb    ? e->fwb
                                                     : e->pps;
        regfx_free(f);
        if (got != cases[i].want || eff != (cases[i].want != 0))
            fail_msg("%s: ID field %llu, profile in effect %d, expected %llu", cases[i].what,
                     (unsigned long long)got, eff, (unsigned long long)cases[i].want);
    }
}

/* 6.3.4: an SMMUv3.2 (AIDR) has FWB, RIL and BBML 0b01 or 0b10; the
 * default profile is one. */
static void test_default_is_v3_2(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    assert_true(c.fwb);
    regfx *f = regfx_new(&c);
    uint32_t aidr = regfx_r32(f, 0x1C), idr3 = regfx_r32(f, 0xC);
    regfx_free(f);
    assert_int_equal(aidr, 0x02);
    assert_int_equal(rget(idr3, F_IDR3_fwb), 1);
    assert_int_equal(rget(idr3, F_IDR3_ril), 1);
    assert_int_equal(rget(idr3, F_IDR3_bbml), 2);
}

static void test_new_errors(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    smmuv3_host h = { 0 };
    smmuv3 *s = NULL;
    assert_int_equal(smmuv3_new(&c, &h, &s), SMMUV3_EINVAL); /* no callbacks */
    assert_int_equal(smmuv3_new(&c, NULL, &s), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_new(NULL, &h, &s), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_new(&c, &h, NULL), SMMUV3_EINVAL);
    smmuv3_free(NULL);
    smmuv3_reset(NULL);
    assert_string_equal(smmuv3_strerror(SMMUV3_ERANGE), "address out of range (at or beyond 2^52)");
    smmuv3_result r;
    assert_true(smmuv3_translate(NULL, NULL, &r) < 0);
}

/* Cache capacities: the largest accepted is named, one more is refused with
 * that number in the message, and the largest creates an instance (its
 * caches are not touched at creation). */
static void test_cache_capacity_limits(void **state)
{
    (void)state;
    static const size_t offs[] = { offsetof(smmuv3_config, tlb_entries), offsetof(smmuv3_config, cfg_entries),
                                   offsetof(smmuv3_config, walk_entries) };
    static const char *const names[] = { "tlb_entries", "cfg_entries", "walk_entries" };
    for (unsigned i = 0; i < 3; i++) {
        smmuv3_config c;
        smmuv3_config_default(&c);
        unsigned *v = (unsigned *)((char *)&c + offs[i]);
        *v = SMMUV3_CACHE_ENTRIES_MAX;
        char msg[200];
        assert_int_equal(smmuv3_config_validate(&c, msg, sizeof(msg)), 0);
        *v = SMMUV3_CACHE_ENTRIES_MAX + 1;
        assert_int_not_equal(smmuv3_config_validate(&c, msg, sizeof(msg)), 0);
        assert_non_null(strstr(msg, names[i]));
        assert_non_null(strstr(msg, "16777216"));
        *v = UINT32_MAX;
        assert_int_not_equal(smmuv3_config_validate(&c, msg, sizeof(msg)), 0);
    }
    smmuv3_config c = CFGFX(CF(tlb_entries, SMMUV3_CACHE_ENTRIES_MAX));
    regfx_free(regfx_new(&c));
}

/* 6.3.4 IDR3.STT: small translation tables, in the default profile; "STT is
 * 1 in implementations where SMMU_S_IDR1.SEL2 == 1", so a profile without
 * STT has no SEL2 (cleared in the profile in effect, as SEL2 is without
 * stage 2). */
static void test_stt_and_sel2(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    assert_true(c.stt);
    assert_true(c.sel2);
    for (int stt = 1; stt >= 0; stt--) {
        c.stt = stt != 0;
        regfx *f = regfx_new(&c);
        uint32_t idr3 = regfx_r32(f, 0xC);
        uint32_t s_idr1 = (uint32_t)smmuv3_mmio_read_sec(f->s, 0x8004, 4, true);
        const smmuv3_config *e = smmuv3_get_config(f->s);
        bool eff_stt = e->stt, eff_sel2 = e->sel2;
        regfx_free(f);
        assert_int_equal(rget(idr3, F_IDR3_stt), stt);
        assert_int_equal(rget(s_idr1, F_S_IDR1_sel2), stt);
        assert_int_equal(eff_stt, stt);
        assert_int_equal(eff_sel2, stt);
    }
}

TEST_MAIN(test_validate, test_idregs_default, test_idregs_minimal, test_hyp_needs_both_stages,
          test_idregs_res0_dependencies, test_default_is_v3_2, test_new_errors, test_cache_capacity_limits,
          test_stt_and_sel2)
