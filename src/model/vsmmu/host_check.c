/* SPDX-License-Identifier: MIT */
/*
 * Does a host SMMU fit a vSMMU profile (smmuv3/vsmmu.h)?
 * smmuv3_config_check_host and smmuv3_config_narrow_to_host share one table
 * of rules: each compares one profile member with one host ID register field
 * (IHI 0070 6.3.1 IDR0, 6.3.2 IDR1, 6.3.4 IDR3, 6.3.6 IDR5), read through the
 * ID register field tables (fields/fields_def.h). The check stops at the
 * first rule that fails; narrowing applies every rule's fix in the same
 * order, then restores the profile's own rules (smmuv3_config_validate).
 *
 * Why each field matters when the guest's stage 1 runs nested on the host:
 * the host walks the guest's CD tables (CD2L, SSIDSIZE, S1STALLD / CD.S under
 * STALL_MODEL, CD.A under TERM_MODEL) and page tables (TTF, TTENDIAN,
 * granules, OAS as the guest's IPA size, VAX, HAD, STT (a CD.TxSZ above 39
 * is ILLEGAL to a host without it), HTTU, ASID16, COHACC for the guest's
 * cache maintenance), takes the guest's invalidations raw (RIL:
 * a range TLBI without RIL invalidates one page), and serves the guest's
 * devices (SIDSIZE, ATS, PRI and PPS (STE.PPAR is not in a vSTE), BTM for
 * broadcast TLB maintenance of shared address spaces). NS1ATS is not
 * compared: split-stage ATS (EATS 0b10) needs a guest stage 2. Stage 2 fields (S2P, VMID16, XNX, FWB, HYP) count only when
 * the profile advertises stage 2. Queues, MSI, SEV and attribute overrides
 * are emulated by the front end and are not compared. Comparisons are
 * "the profile needs at most what the host has" (seed QEMU asks for equality
 * of ST_LEVEL, RIL and the granules, refusing hosts that can do more).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "model/smmu.h"

enum {
    FIT_FLAG,       /* the profile's feature needs the host field non-zero */
    FIT_LE,         /* the profile's value is at most the host's */
    FIT_TTF,        /* the host walks AArch64 tables (TTF bit 1) */
    FIT_ENDIAN,     /* the host walks little-endian tables (TTENDIAN 0b00 or 0b10) */
    FIT_STALL,      /* STALL_MODEL: equal, or a host that can stall and terminate */
    FIT_TERM,       /* TERM_MODEL: RAZ/WI (profile 0) needs a host with RAZ/WI */
};
enum { COND_ALWAYS, COND_S1, COND_S2, COND_BOTH, COND_STALLS, COND_PRI, COND_PPS };

typedef struct fit_rule {
    const char *idr;        /* host field, as the spec names it */
    const char *member;     /* smmuv3_config member */
    size_t   off;           /* offsetof(smmuv3_config, member) */
    bool     is_bool;
    uint8_t  reg;           /* IDRn */
    uint32_t f;             /* F_IDRn_* */
    uint8_t  kind, cond;
    const char *note;       /* why the rule exists, for the message; may be NULL */
} fit_rule;

/* R(IDRn, field of the table, "spec name", config member, kind, condition, note) */
#define RB(r, f, name, m, k, c, note) \
    { #r "." name, #m, offsetof(smmuv3_config, m), true, r##_N, F_##r##_##f, k, c, note }
#define RU(r, f, name, m, k, c, note) \
    { #r "." name, #m, offsetof(smmuv3_config, m), false, r##_N, F_##r##_##f, k, c, note }
enum { IDR0_N = 0, IDR1_N = 1, IDR3_N = 3, IDR5_N = 5 };

static const fit_rule rules[] = {
    RB(IDR0, s1p, "S1P", s1p, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR0, s2p, "S2P", s1p, FIT_FLAG, COND_ALWAYS, "nesting the guest's stage 1 needs the host's stage 2"),
    RB(IDR0, s2p, "S2P", s2p, FIT_FLAG, COND_ALWAYS, NULL),
    RU(IDR0, ttf, "TTF", oas, FIT_TTF, COND_ALWAYS, "the guest's tables are AArch64"),
    RU(IDR0, ttendian, "TTENDIAN", oas, FIT_ENDIAN, COND_ALWAYS, "the guest's tables are little-endian"),
    RB(IDR0, cohacc, "COHACC", cohacc, FIT_FLAG, COND_ALWAYS, "the guest skips cache maintenance for coherent walks"),
    RB(IDR0, btm, "BTM", btm, FIT_FLAG, COND_ALWAYS, NULL),
    RU(IDR0, httu, "HTTU", httu, FIT_LE, COND_ALWAYS, NULL),
    RB(IDR0, hyp, "HYP", hyp, FIT_FLAG, COND_BOTH, NULL),
    RB(IDR0, ats, "ATS", ats, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR0, asid16, "ASID16", asid16, FIT_FLAG, COND_S1, NULL),
    RB(IDR0, pri, "PRI", pri, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR0, vmid16, "VMID16", vmid16, FIT_FLAG, COND_S2, NULL),
    RB(IDR0, cd2l, "CD2L", cd_2level, FIT_FLAG, COND_ALWAYS, NULL),
    RU(IDR0, stall_model, "STALL_MODEL", stall_model, FIT_STALL, COND_ALWAYS, "CD.S and STE.S1STALLD are checked by the host"),
    RB(IDR0, term_model, "TERM_MODEL", term_model, FIT_TERM, COND_ALWAYS, "CD.A=0 (RAZ/WI) needs TERM_MODEL 0"),
    RB(IDR0, st_level, "ST_LEVEL", st_2level, FIT_FLAG, COND_ALWAYS, NULL),
    RU(IDR1, sidsize, "SIDSIZE", sidsize, FIT_LE, COND_ALWAYS, NULL),
    RU(IDR1, ssidsize, "SSIDSIZE", ssidsize, FIT_LE, COND_ALWAYS, NULL),
    RB(IDR3, had, "HAD", had, FIT_FLAG, COND_S1, NULL),
    RB(IDR3, pps, "PPS", pps, FIT_FLAG, COND_PPS, "STE.PPAR is not forwarded"),
    RB(IDR3, xnx, "XNX", xnx, FIT_FLAG, COND_S2, NULL),
    RB(IDR3, fwb, "FWB", fwb, FIT_FLAG, COND_S2, NULL),
    RB(IDR3, stt, "STT", stt, FIT_FLAG, COND_ALWAYS, "the guest's CD.TxSZ may be up to 48 (5.4)"),
    RB(IDR3, ril, "RIL", ril, FIT_FLAG, COND_ALWAYS, "a range TLBI forwarded to a host without RIL invalidates one page"),
    RU(IDR5, oas, "OAS", oas, FIT_LE, COND_ALWAYS, NULL),
    RB(IDR5, gran4k, "GRAN4K", gran4k, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR5, gran16k, "GRAN16K", gran16k, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR5, gran64k, "GRAN64K", gran64k, FIT_FLAG, COND_ALWAYS, NULL),
    RB(IDR5, vax, "VAX", vax, FIT_FLAG, COND_ALWAYS, NULL),
    RU(IDR5, stall_max, "STALL_MAX", stall_max, FIT_LE, COND_STALLS, NULL),
};

/* ------------------------------------------------------------ member access */
static uint64_t member_get(const smmuv3_config *c, const fit_rule *r)
{
    const char *p = (const char *)c + r->off;
    if (r->is_bool) {
        bool b;
        memcpy(&b, p, sizeof(b));
        return b;
    }
    unsigned u;
    memcpy(&u, p, sizeof(u));
    return u;
}

static void member_set(smmuv3_config *c, const fit_rule *r, uint64_t v)
{
    char *p = (char *)c + r->off;
    if (r->is_bool) {
        bool b = v != 0;
        memcpy(p, &b, sizeof(b));
    } else {
        unsigned u = (unsigned)v;
        memcpy(p, &u, sizeof(u));
    }
}

/* IDR5.OAS encoding to bits; 0b111 is 56 bits (FEAT_D128 hosts). */
static uint64_t oas_bits(uint64_t enc)
{
    static const uint8_t bits[8] = { 32, 36, 40, 42, 44, 48, 52, 56 };
    return bits[enc & 7];
}

static bool applies(const smmuv3_config *c, unsigned cond)
{
    switch (cond) {
    case COND_S1: return c->s1p;
    case COND_S2: return c->s2p;
    case COND_BOTH: return c->s1p && c->s2p;
    case COND_STALLS: return c->stall_model != SMMUV3_STALL_TERM_ONLY;
    case COND_PRI: return c->pri;
    /* IHI 0070 6.3.4: IDR3.PPS is RES0 when IDR0.PRI == 0 or IDR1.SSIDSIZE
     * == 0 (and IDR3.HAD is 0 without S1P, COND_S1): the model does not
     * advertise them then (smmuv3_new), so the host need not have them. */
    case COND_PPS: return c->pri && c->ssidsize != 0;
    default: return true;
    }
}

/* The host's value of the rule's field (decoded where the encoding is not the value). */
static uint64_t host_value(const fit_rule *r, const uint32_t idr[6])
{
    uint64_t h = rget(idr[r->reg], r->f);
    return r->f == F_IDR5_oas ? oas_bits(h) : h;
}

/* Does the rule hold? *fix is the profile value that makes it hold (for
 * FIT_TTF / FIT_ENDIAN, none does: they never hold after a failure). */
static bool rule_fits(const fit_rule *r, uint64_t p, uint64_t h, uint64_t *fix)
{
    *fix = p;
    switch (r->kind) {
    case FIT_FLAG:
        *fix = 0;
        return !p || h;
    case FIT_LE:
        *fix = h;
        return p <= h;
    case FIT_TTF:
        return (h & 2) != 0;
    case FIT_ENDIAN:
        return h == 0 || h == 2;
    case FIT_STALL:
        *fix = h;   /* the host's own model always fits */
        return p == h || h == SMMUV3_STALL_AND_TERM;
    case FIT_TERM:
        *fix = 1;
        return p || !h;
    default:
        return false;
    }
}

static void describe(const fit_rule *r, uint64_t p, uint64_t h, char *msg, size_t len)
{
    if (!msg || !len)
        return;
    if (r->kind == FIT_TTF || r->kind == FIT_ENDIAN) {
        snprintf(msg, len, "%s: profile %s, host 0b%u%u (%s)", r->idr,
                 r->kind == FIT_TTF ? "AArch64 (0b10)" : "little-endian (0b10)",
                 (unsigned)(h >> 1) & 1, (unsigned)h & 1, r->note);
        return;
    }
    const char *unit = r->f == F_IDR5_oas ? " bits" : "";
    int n = snprintf(msg, len, "%s (%s): profile %llu%s, host %llu%s", r->idr, r->member,
                     (unsigned long long)p, unit, (unsigned long long)h, unit);
    if (r->note && n > 0 && (size_t)n < len)
        snprintf(msg + n, len - (size_t)n, " (%s)", r->note);
}

static int bad(char *msg, size_t len, const char *text)
{
    if (msg && len)
        snprintf(msg, len, "%s", text);
    return SMMUV3_EINVAL;
}

int smmuv3_config_check_host(const smmuv3_config *cfg, const uint32_t host_idr[6], char *msg, size_t msglen)
{
    if (msg && msglen)
        msg[0] = 0;
    if (!cfg)
        return bad(msg, msglen, "config: NULL");
    if (!host_idr)
        return bad(msg, msglen, "host_idr: NULL");
    int rc = smmuv3_config_validate(cfg, msg, msglen);
    if (rc)
        return rc;
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const fit_rule *r = &rules[i];
        if (!applies(cfg, r->cond))
            continue;
        uint64_t p = member_get(cfg, r), h = host_value(r, host_idr), fix;
        if (!rule_fits(r, p, h, &fix)) {
            describe(r, p, h, msg, msglen);
            return SMMUV3_EINVAL;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ narrowing */
typedef struct narrow_ctx {
    smmuv3_config *c;
    const smmuv3_config *orig;
    smmuv3_host_narrowing *rep;
} narrow_ctx;

static void note_change(narrow_ctx *x, const char *field, const char *why, uint64_t from, uint64_t to)
{
    if (!x->rep || x->rep->n >= SMMUV3_HOST_CHANGES_MAX)
        return;
    smmuv3_host_change *ch = &x->rep->change[x->rep->n++];
    ch->field = field;
    ch->why = why;
    ch->from = from;
    ch->to = to;
}

/* A change a profile rule needs after another change (smmuv3_config_validate). */
#define FOLLOW(x, cond, member, value, why)                                        \
    do {                                                                           \
        if (cond) {                                                                \
            note_change(x, #member, why, (uint64_t)(x)->c->member, (uint64_t)(value)); \
            (x)->c->member = (value);                                              \
        }                                                                          \
    } while (0)

static void follow_profile_rules(narrow_ctx *x)
{
    smmuv3_config *c = x->c;
    FOLLOW(x, c->oas == 52 && !c->gran64k, oas, 48u, "oas 52 needs gran64k");
    FOLLOW(x, c->vax && !c->gran64k, vax, false, "vax needs gran64k");
    FOLLOW(x, c->cd_2level && !c->s1p, cd_2level, false, "cd_2level needs s1p");
    FOLLOW(x, c->pri && !c->ats && x->orig->ats, pri, false, "pri needs ats");
    FOLLOW(x, c->sel2 && !c->stt && x->orig->stt, sel2, false, "sel2 needs stt (6.3.4)");
    FOLLOW(x, c->stall_model != SMMUV3_STALL_TERM_ONLY && c->stall_max < 1, stall_model,
           (unsigned)SMMUV3_STALL_TERM_ONLY, "stall_max 0 leaves no stalls");
}

static int unsupported(smmuv3_host_narrowing *rep, const char *text)
{
    if (rep) {
        rep->n = 0;
        snprintf(rep->msg, sizeof(rep->msg), "%s", text);
    }
    return SMMUV3_ENOTSUP;
}

int smmuv3_config_narrow_to_host(const smmuv3_config *cfg, const uint32_t host_idr[6], smmuv3_config *out,
                                 smmuv3_host_narrowing *report)
{
    if (report)
        memset(report, 0, sizeof(*report));
    if (!cfg || !host_idr || !out)
        return SMMUV3_EINVAL;
    char why[160];
    if (smmuv3_config_validate(cfg, why, sizeof(why))) {
        if (report)
            snprintf(report->msg, sizeof(report->msg), "%s", why);
        return SMMUV3_EINVAL;
    }
    smmuv3_config c = *cfg;
    narrow_ctx x = { &c, cfg, report };
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
        const fit_rule *r = &rules[i];
        if (!applies(&c, r->cond))
            continue;
        uint64_t p = member_get(&c, r), h = host_value(r, host_idr), fix;
        if (rule_fits(r, p, h, &fix))
            continue;
        if (r->kind == FIT_TTF || r->kind == FIT_ENDIAN) {
            describe(r, p, h, why, sizeof(why));
            return unsupported(report, why);
        }
        member_set(&c, r, fix);
        note_change(&x, r->member, r->idr, p, fix);
    }
    follow_profile_rules(&x);
    if (!c.s1p && !c.s2p)
        return unsupported(report, "no translation stage left: the host has neither S1P with S2P (nesting) nor S2P");
    if (!c.gran4k && !c.gran16k && !c.gran64k)
        return unsupported(report, "no granule left: the host has none of the profile's granules (IDR5.GRAN4K/16K/64K)");
    /* The result must be a profile that fits; the rules above make it so. */
    if (smmuv3_config_validate(&c, why, sizeof(why)) || smmuv3_config_check_host(&c, host_idr, why, sizeof(why)))
        return unsupported(report, why);
    *out = c;
    return 0;
}
