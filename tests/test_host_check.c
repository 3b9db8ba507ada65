/* Unit tests: does a host SMMU fit a vSMMU profile (src/model/vsmmu/host_check.c): smmuv3_config_check_host and smmuv3_config_narrow_to_host. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "model/smmu.h"
#include "smmu_new.h"
#include "cfgfx.h"
#include "test_main.h"

/* The ID registers a model with this profile shows, read through MMIO. */
static void host_idrs(const smmuv3_config *c, uint32_t idr[6])
{
    smmuv3_mem *mem;
    smmuv3_host h;
    smmuv3 *s = tst_smmu_on_mem(c, &mem, &h);
    for (int i = 0; i < 6; i++)
        idr[i] = (uint32_t)smmuv3_mmio_read(s, (uint64_t)i * 4, 4);
    smmuv3_free(s);
    smmuv3_mem_free(mem);
}

static void default_idrs(uint32_t idr[6])
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    host_idrs(&c, idr);
}

static void set(uint32_t idr[6], unsigned reg, uint32_t f, uint64_t v) { idr[reg] = (uint32_t)rset(idr[reg], f, v); }

/* ------------------------------------------------------------ one rule per case */
/* A profile and a host that fit each other. */
typedef struct fit_case {
    const char *what;
    void (*profile)(smmuv3_config *c);
    void (*host)(uint32_t idr[6]);
} fit_case;

/* A profile and a host that do not fit: msg is what the message says. */
typedef struct refuse_case {
    const char *what;
    void (*profile)(smmuv3_config *c);
    void (*host)(uint32_t idr[6]);
    const char *msg;
} refuse_case;

#define P(name, body) static void p_##name(smmuv3_config *c) { body; }
#define H(name, body) static void h_##name(uint32_t idr[6]) { body; }
P(none, (void)c)
P(no_s1, c->s1p = false; c->cd_2level = false)
P(s1_only, c->s2p = false)
P(no_cohacc, c->cohacc = false)
P(btm, c->btm = true)
P(httu1, c->httu = 1)
P(no_hyp, c->hyp = false)
P(hyp_no_s2, c->hyp = true; c->s2p = false)
P(no_asid16, c->asid16 = false)
P(no_vmid16, c->vmid16 = false)
P(no_cd2l, c->cd_2level = false)
P(stall_term, c->stall_model = SMMUV3_STALL_TERM_ONLY)
P(stall_forced, c->stall_model = SMMUV3_STALL_FORCED)
P(term1, c->term_model = true)
P(st_linear, c->st_2level = false)
P(sid8, c->sidsize = 8)
P(ssid10, c->ssidsize = 10)
P(no_had, c->had = false)
P(no_xnx, c->xnx = false)
P(no_fwb, c->fwb = false)
P(no_ril, c->ril = false)
P(oas44, c->oas = 44)
P(oas52, c->oas = 52)
P(no_16k, c->gran16k = false)
P(no_4k, c->gran4k = false)
P(no_vax, c->vax = false)
P(stall_max8, c->stall_max = 8)
P(no_ats, c->ats = false; c->pri = false)
P(no_pri, c->pri = false)
P(pps, c->pps = true)
P(no_stt, c->stt = false)
H(none, (void)idr)
H(no_s1p, set(idr, 0, F_IDR0_s1p, 0))
H(no_s2p, set(idr, 0, F_IDR0_s2p, 0))
H(ttf_a32, set(idr, 0, F_IDR0_ttf, 1))
H(ttf_both, set(idr, 0, F_IDR0_ttf, 3))
H(be, set(idr, 0, F_IDR0_ttendian, 3))
H(mixed_endian, set(idr, 0, F_IDR0_ttendian, 0))
H(no_cohacc, set(idr, 0, F_IDR0_cohacc, 0))
H(btm, set(idr, 0, F_IDR0_btm, 1))
H(httu1, set(idr, 0, F_IDR0_httu, 1))
H(no_hyp, set(idr, 0, F_IDR0_hyp, 0))
H(no_asid16, set(idr, 0, F_IDR0_asid16, 0))
H(no_vmid16, set(idr, 0, F_IDR0_vmid16, 0))
H(no_cd2l, set(idr, 0, F_IDR0_cd2l, 0))
H(stall_term, set(idr, 0, F_IDR0_stall_model, 1))
H(stall_forced, set(idr, 0, F_IDR0_stall_model, 2))
H(term1, set(idr, 0, F_IDR0_term_model, 1))
H(st_linear, set(idr, 0, F_IDR0_st_level, 0))
H(sid8, set(idr, 1, F_IDR1_sidsize, 8))
H(sid32, set(idr, 1, F_IDR1_sidsize, 32))
H(ssid10, set(idr, 1, F_IDR1_ssidsize, 10))
H(no_had, set(idr, 3, F_IDR3_had, 0))
H(no_xnx, set(idr, 3, F_IDR3_xnx, 0))
H(no_fwb, set(idr, 3, F_IDR3_fwb, 0))
H(no_ril, set(idr, 3, F_IDR3_ril, 0))
H(oas44, set(idr, 5, F_IDR5_oas, 4))
H(oas52, set(idr, 5, F_IDR5_oas, 6))
H(oas56, set(idr, 5, F_IDR5_oas, 7))
H(no_16k, set(idr, 5, F_IDR5_gran16k, 0))
H(no_4k, set(idr, 5, F_IDR5_gran4k, 0))
H(no_64k, set(idr, 5, F_IDR5_gran64k, 0))
H(no_vax, set(idr, 5, F_IDR5_vax, 0))
H(stall_max8, set(idr, 5, F_IDR5_stall_max, 8))
H(no_ats, set(idr, 0, F_IDR0_ats, 0); set(idr, 0, F_IDR0_pri, 0))
H(no_pri, set(idr, 0, F_IDR0_pri, 0))
H(pps, set(idr, 3, F_IDR3_pps, 1))
H(no_stt, set(idr, 3, F_IDR3_stt, 0))

/* The host lacks what the profile needs: refused, the message names the field. */
static const refuse_case refused[] = {
    { "S1P missing", p_none, h_no_s1p, "IDR0.S1P (s1p): profile 1, host 0" },
    { "S2P missing: no nesting", p_s1_only, h_no_s2p, "IDR0.S2P (s1p): profile 1, host 0 (nesting" },
    { "S2P missing, stage 2 profile", p_no_s1, h_no_s2p, "IDR0.S2P (s2p): profile 1, host 0" },
    { "TTF AArch32 only", p_none, h_ttf_a32, "IDR0.TTF: profile AArch64 (0b10), host 0b01" },
    { "TTENDIAN big-endian", p_none, h_be, "IDR0.TTENDIAN: profile little-endian (0b10), host 0b11" },
    { "COHACC missing", p_none, h_no_cohacc, "IDR0.COHACC (cohacc): profile 1, host 0" },
    { "BTM missing", p_btm, h_none, "IDR0.BTM (btm): profile 1, host 0" },
    { "HTTU smaller", p_none, h_httu1, "IDR0.HTTU (httu): profile 2, host 1" },
    { "HYP missing", p_none, h_no_hyp, "IDR0.HYP (hyp): profile 1, host 0" },
    { "ATS missing", p_none, h_no_ats, "IDR0.ATS (ats): profile 1, host 0" },
    { "PRI missing", p_none, h_no_pri, "IDR0.PRI (pri): profile 1, host 0" },
    { "PPS missing", p_pps, h_none, "IDR3.PPS (pps): profile 1, host 0 (STE.PPAR is not forwarded)" },
    { "ASID16 missing", p_none, h_no_asid16, "IDR0.ASID16 (asid16): profile 1, host 0" },
    { "VMID16 missing", p_none, h_no_vmid16, "IDR0.VMID16 (vmid16): profile 1, host 0" },
    { "CD2L missing", p_none, h_no_cd2l, "IDR0.CD2L (cd_2level): profile 1, host 0" },
    { "stall: host terminate only", p_none, h_stall_term, "IDR0.STALL_MODEL (stall_model): profile 0, host 1" },
    { "stall: host forced", p_none, h_stall_forced, "IDR0.STALL_MODEL (stall_model): profile 0, host 2" },
    { "stall: profile terminate only, host forced", p_stall_term, h_stall_forced, "profile 1, host 2" },
    { "stall: profile forced, host terminate only", p_stall_forced, h_stall_term, "profile 2, host 1" },
    { "TERM_MODEL: host has no RAZ/WI", p_none, h_term1, "IDR0.TERM_MODEL (term_model): profile 0, host 1" },
    { "ST_LEVEL linear host", p_none, h_st_linear, "IDR0.ST_LEVEL (st_2level): profile 1, host 0" },
    { "SIDSIZE smaller", p_none, h_sid8, "IDR1.SIDSIZE (sidsize): profile 16, host 8" },
    { "SSIDSIZE smaller", p_none, h_ssid10, "IDR1.SSIDSIZE (ssidsize): profile 20, host 10" },
    { "HAD missing", p_none, h_no_had, "IDR3.HAD (had): profile 1, host 0" },
    { "XNX missing", p_none, h_no_xnx, "IDR3.XNX (xnx): profile 1, host 0" },
    { "FWB missing", p_none, h_no_fwb, "IDR3.FWB (fwb): profile 1, host 0" },
    { "RIL missing", p_none, h_no_ril, "IDR3.RIL (ril): profile 1, host 0" },
    { "STT missing", p_none, h_no_stt, "IDR3.STT (stt): profile 1, host 0 (the guest's CD.TxSZ may be up to 48 (5.4))" },
    { "OAS smaller", p_none, h_oas44, "IDR5.OAS (oas): profile 48 bits, host 44 bits" },
    { "OAS 52 on a 48-bit host", p_oas52, h_none, "IDR5.OAS (oas): profile 52 bits, host 48 bits" },
    { "GRAN4K missing", p_none, h_no_4k, "IDR5.GRAN4K (gran4k): profile 1, host 0" },
    { "GRAN16K missing", p_none, h_no_16k, "IDR5.GRAN16K (gran16k): profile 1, host 0" },
    { "GRAN64K missing", p_none, h_no_64k, "IDR5.GRAN64K (gran64k): profile 1, host 0" },
    { "VAX missing", p_none, h_no_vax, "IDR5.VAX (vax): profile 1, host 0" },
    { "STALL_MAX smaller", p_none, h_stall_max8, "IDR5.STALL_MAX (stall_max): profile 64, host 8" },
};

/* The host has all the profile needs (more, or the same): it fits. */
static const fit_case fits[] = {
    { "default on default", p_none, h_none },
    { "S1P missing, profile without stage 1", p_no_s1, h_no_s1p },
    { "TTF both", p_none, h_ttf_both },
    { "TTENDIAN mixed", p_none, h_mixed_endian },
    { "COHACC missing, profile without", p_no_cohacc, h_no_cohacc },
    { "BTM on the host only", p_none, h_btm },
    { "HTTU larger", p_httu1, h_none },
    { "HYP missing, profile without", p_no_hyp, h_no_hyp },
    { "HYP missing, hyp without stage 2 (no EL2)", p_hyp_no_s2, h_no_hyp },
    { "ATS missing, profile without", p_no_ats, h_no_ats },
    { "PRI missing, profile without", p_no_pri, h_no_pri },
    { "PPS on both", p_pps, h_pps },
    { "PPS on the host only", p_none, h_pps },
    { "ASID16 missing, profile 8-bit", p_no_asid16, h_no_asid16 },
    { "VMID16 missing, profile 8-bit", p_no_vmid16, h_no_vmid16 },
    { "VMID16 missing, profile without stage 2", p_s1_only, h_no_vmid16 },
    { "CD2L missing, linear CD tables", p_no_cd2l, h_no_cd2l },
    { "stall: profile terminate only, host both", p_stall_term, h_none },
    { "stall: profile forced, host both", p_stall_forced, h_none },
    { "stall: both terminate only", p_stall_term, h_stall_term },
    { "TERM_MODEL: profile aborts too", p_term1, h_term1 },
    { "TERM_MODEL: host has RAZ/WI", p_term1, h_none },
    { "ST_LEVEL linear both", p_st_linear, h_st_linear },
    { "SIDSIZE equal", p_sid8, h_sid8 },
    { "SIDSIZE larger", p_none, h_sid32 },
    { "SSIDSIZE equal", p_ssid10, h_ssid10 },
    { "HAD missing, profile without", p_no_had, h_no_had },
    { "XNX missing, profile without stage 2", p_s1_only, h_no_xnx },
    { "XNX missing, profile without", p_no_xnx, h_no_xnx },
    { "FWB missing, profile without", p_no_fwb, h_no_fwb },
    { "FWB missing, profile without stage 2", p_s1_only, h_no_fwb },
    { "RIL on the host only", p_no_ril, h_none },
    { "STT missing, profile without", p_no_stt, h_no_stt },
    { "STT on the host only", p_no_stt, h_none },
    { "OAS equal", p_oas44, h_oas44 },
    { "OAS larger", p_none, h_oas52 },
    { "OAS 56-bit host", p_oas52, h_oas56 },
    { "GRAN4K missing, profile without", p_no_4k, h_no_4k },
    { "GRAN16K missing, profile without", p_no_16k, h_no_16k },
    { "VAX missing, profile without", p_no_vax, h_no_vax },
    { "STALL_MAX equal", p_stall_max8, h_stall_max8 },
    { "STALL_MAX smaller, profile without stalls", p_stall_term, h_stall_max8 },
};

/* Checks one case: refused with a message holding `want` (NULL: it fits);
 * either way narrowing makes it fit, and changes nothing that already fits. */
static void check_case(const char *what, void (*profile)(smmuv3_config *c),
                       void (*host)(uint32_t idr[6]), const char *want)
{
    bool fit = !want;
    smmuv3_config c;
    smmuv3_config_default(&c);
    profile(&c);
    uint32_t idr[6];
    default_idrs(idr);
    host(idr);
    char msg[200];
    memset(msg, 'x', sizeof(msg));
    int rc = smmuv3_config_check_host(&c, idr, msg, sizeof(msg));
    if (fit) {
        if (rc != 0)
            fail_msg("%s: refused: %s", what, msg);
        assert_string_equal(msg, "");
    } else {
        if (rc != SMMUV3_EINVAL)
            fail_msg("%s: accepted (rc %d)", what, rc);
        if (!strstr(msg, want))
            fail_msg("%s: message \"%s\" lacks \"%s\"", what, msg, want);
    }
    smmuv3_config n;
    smmuv3_host_narrowing rep;
    rc = smmuv3_config_narrow_to_host(&c, idr, &n, &rep);
    if (rc == SMMUV3_ENOTSUP) {
        if (fit)
            fail_msg("%s: fits, but narrowing refused it", what);
        assert_true(rep.msg[0] != 0);
        return;
    }
    assert_int_equal(rc, 0);
    assert_int_equal(smmuv3_config_check_host(&n, idr, msg, sizeof(msg)), 0);
    assert_int_equal(smmuv3_config_validate(&n, NULL, 0), 0);
    if (fit) {
        assert_int_equal(rep.n, 0);
        assert_memory_equal(&n, &c, sizeof(c));
    } else {
        assert_true(rep.n >= 1);
    }
}

static void test_each_field(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        check_case(refused[i].what, refused[i].profile, refused[i].host, refused[i].msg);
    for (size_t i = 0; i < sizeof(fits) / sizeof(fits[0]); i++)
        check_case(fits[i].what, fits[i].profile, fits[i].host, NULL);
}

/* A host built from a profile fits that profile; the check reads real IDRs. */
static void test_profiles_fit_their_own_host(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(oas, 40), CF(gran64k, false), CF(vax, false), CF(sidsize, 10),
                          CF(ssidsize, 0), CF(cd_2level, false), CF(ril, false), CF(httu, 0),
                          CF(stall_model, SMMUV3_STALL_TERM_ONLY));
    uint32_t idr[6];
    host_idrs(&c, idr);
    char msg[160];
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), 0);
    smmuv3_config d;
    smmuv3_config_default(&d);
    assert_int_equal(smmuv3_config_check_host(&d, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    /* the first field that does not fit, in ID register order: IDR0.HTTU */
    assert_string_equal(msg, "IDR0.HTTU (httu): profile 2, host 0");
    /* the default host fits the smaller profile */
    default_idrs(idr);
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), 0);
}

/* Literal positions, so the field tables' IDR positions are pinned here. */
static void test_literal_idrs(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    uint32_t idr[6];
    default_idrs(idr);
    char msg[160];
    uint32_t base[6];
    memcpy(base, idr, sizeof(base));
    idr[3] &= ~(1u << 10);                                   /* IDR3.RIL */
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_non_null(strstr(msg, "IDR3.RIL"));
    memcpy(idr, base, sizeof(idr));
    idr[5] = (idr[5] & ~7u) | 3u;                            /* IDR5.OAS 0b011: 42 bits */
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_string_equal(msg, "IDR5.OAS (oas): profile 48 bits, host 42 bits");
    memcpy(idr, base, sizeof(idr));
    idr[1] = (idr[1] & ~(0x1Fu << 6)) | (8u << 6);          /* IDR1.SSIDSIZE 8 */
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_string_equal(msg, "IDR1.SSIDSIZE (ssidsize): profile 20, host 8");
    memcpy(idr, base, sizeof(idr));
    idr[0] &= ~(3u << 27);                                   /* IDR0.ST_LEVEL linear */
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_non_null(strstr(msg, "IDR0.ST_LEVEL"));
    memcpy(idr, base, sizeof(idr));
    idr[3] &= ~(1u << 9);                                    /* IDR3.STT */
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_non_null(strstr(msg, "IDR3.STT"));
}

static void test_bad_args(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    uint32_t idr[6];
    default_idrs(idr);
    char msg[160];
    assert_int_equal(smmuv3_config_check_host(NULL, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_true(msg[0] != 0);
    assert_int_equal(smmuv3_config_check_host(&c, NULL, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_true(msg[0] != 0);
    assert_int_equal(smmuv3_config_check_host(&c, idr, NULL, 0), 0);
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, 0), 0);
    idr[5] = 0;
    assert_int_equal(smmuv3_config_check_host(&c, idr, NULL, 99), SMMUV3_EINVAL);
    char tiny[8];
    assert_int_equal(smmuv3_config_check_host(&c, idr, tiny, sizeof(tiny)), SMMUV3_EINVAL);
    assert_int_equal(strlen(tiny), 7);
    /* an invalid profile: the validation message */
    default_idrs(idr);
    c.oas = 47;
    assert_int_equal(smmuv3_config_check_host(&c, idr, msg, sizeof(msg)), SMMUV3_EINVAL);
    assert_non_null(strstr(msg, "oas: 47"));
    smmuv3_config n;
    smmuv3_host_narrowing rep;
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), SMMUV3_EINVAL);
    assert_non_null(strstr(rep.msg, "oas: 47"));
    smmuv3_config_default(&c);
    assert_int_equal(smmuv3_config_narrow_to_host(NULL, idr, &n, &rep), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_config_narrow_to_host(&c, NULL, &n, &rep), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, NULL, &rep), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, NULL), 0);
}

/* The list of changes: each once, in check order, with both values and the
 * deciding field; the profile's own rules follow (oas 52 and vax need 64K). */
static void test_narrow_changes(void **state)
{
    (void)state;
    smmuv3_config c = CFGFX(CF(oas, 52));
    uint32_t idr[6];
    default_idrs(idr);
    set(idr, 3, F_IDR3_ril, 0);
    set(idr, 5, F_IDR5_oas, 6);
    set(idr, 5, F_IDR5_gran64k, 0);
    set(idr, 1, F_IDR1_sidsize, 12);
    smmuv3_config n;
    smmuv3_host_narrowing rep;
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), 0);
    static const struct { const char *field, *why; uint64_t from, to; } want[] = {
        { "sidsize", "IDR1.SIDSIZE", 16, 12 },
        { "ril", "IDR3.RIL", 1, 0 },
        { "gran64k", "IDR5.GRAN64K", 1, 0 },
        { "oas", "oas 52 needs gran64k", 52, 48 },
        { "vax", "vax needs gran64k", 1, 0 },
    };
    assert_int_equal(rep.n, sizeof(want) / sizeof(want[0]));
    for (unsigned i = 0; i < rep.n; i++) {
        assert_string_equal(rep.change[i].field, want[i].field);
        assert_string_equal(rep.change[i].why, want[i].why);
        assert_int_equal(rep.change[i].from, want[i].from);
        assert_int_equal(rep.change[i].to, want[i].to);
    }
    assert_string_equal(rep.msg, "");
    assert_int_equal(n.sidsize, 12);
    assert_false(n.ril);
    assert_int_equal(n.oas, 48);
    assert_false(n.vax);
    assert_int_equal(n.tlb_entries, c.tlb_entries);          /* model sizes kept */
    assert_int_equal(smmuv3_config_check_host(&n, idr, NULL, 0), 0);
    /* out may be cfg */
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &c, NULL), 0);
    assert_memory_equal(&c, &n, sizeof(c));
    /* stalls: a forced host makes the profile forced */
    smmuv3_config_default(&c);
    default_idrs(idr);
    set(idr, 0, F_IDR0_stall_model, 2);
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), 0);
    assert_int_equal(n.stall_model, SMMUV3_STALL_FORCED);
    assert_int_equal(rep.n, 1);
    /* small translation tables: a host without IDR3.STT takes them away, and
     * SEL2 with them (6.3.4: STT is 1 where SMMU_S_IDR1.SEL2 is 1) */
    smmuv3_config_default(&c);
    default_idrs(idr);
    set(idr, 3, F_IDR3_stt, 0);
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), 0);
    assert_int_equal(rep.n, 2);
    assert_string_equal(rep.change[0].field, "stt");
    assert_string_equal(rep.change[0].why, "IDR3.STT");
    assert_string_equal(rep.change[1].field, "sel2");
    assert_string_equal(rep.change[1].why, "sel2 needs stt (6.3.4)");
    assert_false(n.stt);
    assert_false(n.sel2);
}

/* Hosts nothing fits: ENOTSUP, *out untouched, a reason. */
static void test_narrow_unsupported(void **state)
{
    (void)state;
    static void (*const hosts[])(uint32_t idr[6]) = { h_ttf_a32, h_be, h_no_s2p };
    for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
        smmuv3_config c, n;
        smmuv3_config_default(&c);
        uint32_t idr[6];
        default_idrs(idr);
        hosts[i](idr);
        memset(&n, 0x5A, sizeof(n));
        smmuv3_config keep = n;
        smmuv3_host_narrowing rep;
        assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), SMMUV3_ENOTSUP);
        assert_memory_equal(&n, &keep, sizeof(n));
        assert_true(rep.msg[0] != 0);
        assert_int_equal(rep.n, 0);
    }
    /* no granule in common */
    smmuv3_config c, n;
    smmuv3_config_default(&c);
    c.gran16k = c.gran64k = false;
    c.vax = false;
    uint32_t idr[6];
    default_idrs(idr);
    set(idr, 5, F_IDR5_gran4k, 0);
    smmuv3_host_narrowing rep;
    assert_int_equal(smmuv3_config_narrow_to_host(&c, idr, &n, &rep), SMMUV3_ENOTSUP);
    assert_non_null(strstr(rep.msg, "granule"));
}

/* Random hosts: narrowing either refuses or gives a valid profile that fits;
 * the check passes exactly when narrowing changes nothing. */
static void test_random_hosts(void **state)
{
    (void)state;
    uint64_t x = 0x0123456789ABCDEFull;
    unsigned fitted = 0, refused = 0, changed = 0;
    uint32_t base[6];
    default_idrs(base);
    for (int i = 0; i < 20000; i++) {
        uint32_t idr[6];
        memcpy(idr, base, sizeof(idr));
        for (int r = 0; r < 6; r++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            if ((x >> 61) < 3)
                idr[r] = (uint32_t)x;                        /* garbage */
            else if ((x >> 61) < 6)
                idr[r] ^= (uint32_t)(x >> 20) & (uint32_t)x; /* some bits flipped */
        }
        smmuv3_config c;
        smmuv3_config_default(&c);
        if (i & 1) {
            c.s2p = false;
            c.stall_model = (unsigned)(x % 3);
            c.oas = 40;
        }
        smmuv3_config n;
        smmuv3_host_narrowing rep;
        int rc = smmuv3_config_narrow_to_host(&c, idr, &n, &rep);
        int chk = smmuv3_config_check_host(&c, idr, NULL, 0);
        if (rc == SMMUV3_ENOTSUP) {
            assert_int_not_equal(chk, 0);
            refused++;
            continue;
        }
        assert_int_equal(rc, 0);
        assert_int_equal(smmuv3_config_validate(&n, NULL, 0), 0);
        assert_int_equal(smmuv3_config_check_host(&n, idr, NULL, 0), 0);
        assert_int_equal(chk == 0, rep.n == 0);
        assert_int_equal(memcmp(&n, &c, sizeof(c)) == 0, rep.n == 0);
        fitted += rep.n == 0;
        changed += rep.n != 0;
    }
    assert_true(fitted > 0 && refused > 0 && changed > 0);
}

TEST_MAIN(test_each_field, test_profiles_fit_their_own_host, test_literal_idrs, test_bad_args,
          test_narrow_changes, test_narrow_unsupported, test_random_hosts)
