/* SPDX-License-Identifier: MIT */
/* The feature profile: defaults, validation, and the ID registers it implies (6.3.1..6.3.6). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stddef.h>
#include "model/smmu.h"

/* The default profile: everything the model implements, by the ID register
 * that reports each feature (fields not named are 0/false). */
static const smmuv3_config config_default = {
    /* IDR0 */
    .s1p = true, .s2p = true, .st_2level = true, .cd_2level = true, .msi = true, .ats = true,
    .pri = true, .stall_model = SMMUV3_STALL_AND_TERM, .term_model = false, .httu = 2,
    .asid16 = true, .vmid16 = true, .hyp = true, .btm = false, .cohacc = true, .sev = true,
    /* IDR1 */
    .sidsize = 16, .ssidsize = 20, .cmdqs = 19, .eventqs = 19, .priqs = 19,
    /* IDR3 */
    .ril = true, .xnx = true, .had = true, .fwb = true, .stt = true,
    /* IDR5 */
    .gran4k = true, .gran16k = true, .gran64k = true, .oas = 48, .vax = true, .stall_max = 64,
    /* IIDR; SMMU_S_IDR1 */
    .iidr = 0, .secure_impl = true, .sel2 = true, .s_sidsize = 16,
    /* the model's caches and memo */
    .tlb_entries = 4096, .cfg_entries = 256, .walk_entries = 256, .fastpath = true,
};

void smmuv3_config_default(smmuv3_config *c)
{
    if (c)
        *c = config_default;
}

static int fail(char *msg, size_t len, const char *fmt, ...)
{
    if (msg && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, len, fmt, ap);
        va_end(ap);
    }
    return SMMUV3_EINVAL;
}

/* IDR5.OAS encoding of an output size in bits, or -1. */
int smmu_oas_encode(unsigned bits)
{
    static const unsigned sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
    for (int i = 0; i < 7; i++)
        if (sizes[i] == bits)
            return i;
    return -1;
}

int smmuv3_config_validate(const smmuv3_config *c, char *msg, size_t len)
{
    if (msg && len)
        msg[0] = 0;
    if (!c)
        return fail(msg, len, "config: NULL");
    if (!c->s1p && !c->s2p)
        return fail(msg, len, "s1p/s2p: at least one translation stage must be implemented");
    if (!c->gran4k && !c->gran16k && !c->gran64k)
        return fail(msg, len, "gran4k/gran16k/gran64k: at least one granule must be supported");
    if (smmu_oas_encode(c->oas) < 0)
        return fail(msg, len, "oas: %u is not an output address size; allowed: 32, 36, 40, 42, 44, 48, 52", c->oas);
    if (c->oas == 52 && !c->gran64k)
        return fail(msg, len, "oas: 52 needs gran64k (52-bit output uses the 64K granule; LPA2 is not implemented)");
    if (c->vax && !c->gran64k)
        return fail(msg, len, "vax: 52-bit VA needs gran64k");
    /* ID register fields with a largest value (6.3.2 IDR1: SIDSIZE up to 32,
     * SSIDSIZE up to 20, the queue sizes up to 19) */
    static const struct { const char *name; size_t off; unsigned max; } ranges[] = {
        { "sidsize", offsetof(smmuv3_config, sidsize), 32 },
        { "s_sidsize", offsetof(smmuv3_config, s_sidsize), 32 },
        { "ssidsize", offsetof(smmuv3_config, ssidsize), 20 },
        { "cmdqs", offsetof(smmuv3_config, cmdqs), 19 },
        { "eventqs", offsetof(smmuv3_config, eventqs), 19 },
        { "priqs", offsetof(smmuv3_config, priqs), 19 },
    };
    for (size_t i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
        unsigned v;
        memcpy(&v, (const char *)c + ranges[i].off, sizeof(v));
        if (v > ranges[i].max)
            return fail(msg, len, "%s: %u is out of range; allowed: 0..%u", ranges[i].name, v, ranges[i].max);
    }
    if (c->cd_2level && !c->s1p)
        return fail(msg, len, "cd_2level: CD tables need stage 1 (s1p)");
    if (c->stall_model > 2)
        return fail(msg, len, "stall_model: %u is reserved; allowed: 0 (stall and terminate), 1 (terminate only), 2 (stall forced)", c->stall_model);
    if (c->stall_model != SMMUV3_STALL_TERM_ONLY && (c->stall_max < 1 || c->stall_max > 65535))
        return fail(msg, len, "stall_max: %u is out of range; allowed: 1..65535 when stalls are supported", c->stall_max);
    if (c->httu > 2)
        return fail(msg, len, "httu: %u is reserved; allowed: 0 (none), 1 (access flag), 2 (access flag and dirty state)", c->httu);
    if (c->pri && !c->ats)
        return fail(msg, len, "pri: PRI needs ats (IHI 0070 3.9.1: PRI depends on ATS)");
    static const struct { const char *name; size_t off; } caps[] = {
        { "tlb_entries", offsetof(smmuv3_config, tlb_entries) },
        { "cfg_entries", offsetof(smmuv3_config, cfg_entries) },
        { "walk_entries", offsetof(smmuv3_config, walk_entries) },
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        unsigned v = *(const unsigned *)((const char *)c + caps[i].off);
        if (v > SMMUV3_CACHE_ENTRIES_MAX)
            return fail(msg, len, "%s: %u is above the largest capacity accepted, %u", caps[i].name, v,
                        SMMUV3_CACHE_ENTRIES_MAX);
    }
    return 0;
}

void smmu_idregs_compute(smmuv3 *s)
{
    const smmuv3_config *c = &s->cfg;
    uint64_t r = 0;
    r = rset(r, F_IDR0_s2p, c->s2p);
    r = rset(r, F_IDR0_s1p, c->s1p);
    r = rset(r, F_IDR0_ttf, 2);          /* AArch64 translation tables only */
    r = rset(r, F_IDR0_cohacc, c->cohacc);
    r = rset(r, F_IDR0_btm, c->btm);
    r = rset(r, F_IDR0_httu, c->httu);
    r = rset(r, F_IDR0_hyp, c->hyp);
    r = rset(r, F_IDR0_ats, c->ats);
    r = rset(r, F_IDR0_ns1ats, c->ns1ats);  /* 1: no split-stage ATS (6.3.1); smmuv3_new: only with ATS, S1P, S2P */
    r = rset(r, F_IDR0_asid16, c->asid16);
    r = rset(r, F_IDR0_msi, c->msi);
    r = rset(r, F_IDR0_sev, c->sev);
    r = rset(r, F_IDR0_pri, c->pri);
    r = rset(r, F_IDR0_vmid16, c->vmid16);
    r = rset(r, F_IDR0_cd2l, c->cd_2level);
    r = rset(r, F_IDR0_ttendian, 2);     /* little-endian tables only */
    r = rset(r, F_IDR0_stall_model, c->stall_model);
    r = rset(r, F_IDR0_term_model, c->term_model);
    r = rset(r, F_IDR0_st_level, c->st_2level);
    s->idr[0] = (uint32_t)r;

    r = 0;
    r = rset(r, F_IDR1_sidsize, c->sidsize);
    r = rset(r, F_IDR1_ssidsize, c->ssidsize);
    r = rset(r, F_IDR1_priqs, c->priqs);
    r = rset(r, F_IDR1_eventqs, c->eventqs);
    r = rset(r, F_IDR1_cmdqs, c->cmdqs);
    r = rset(r, F_IDR1_attr_perms_ovr, 1); /* STE PRIVCFG/INSTCFG are honoured */
    r = rset(r, F_IDR1_attr_types_ovr, 1); /* STE MTCFG/ALLOCCFG/SHCFG/NSCFG are honoured */
    s->idr[1] = (uint32_t)r;

    s->idr[2] = 0;                          /* no VATOS */

    r = 0;
    r = rset(r, F_IDR3_had, c->had);        /* smmuv3_new: only with stage 1 */
    r = rset(r, F_IDR3_xnx, c->xnx);
    r = rset(r, F_IDR3_fwb, c->fwb);        /* smmuv3_new: only with stage 2 */
    r = rset(r, F_IDR3_stt, c->stt);        /* small translation tables (6.3.4): config/cd.c, config/ste.c */
    /* BBML Level 2 (3.21.1.3): the model never reports F_TLB_CONFLICT; when
     * the IOTLB holds translations of an old and a new block size for one
     * address, a lookup uses one of them, as Level 2 permits. 6.3.4: an
     * SMMUv3.2 (AIDR) has BBML 0b01 or 0b10. */
    r = rset(r, F_IDR3_bbml, 2);
    r = rset(r, F_IDR3_ril, c->ril);
    r = rset(r, F_IDR3_pps, c->pps);        /* smmuv3_new: only with PRI and substreams */
    s->idr[3] = (uint32_t)r;

    s->idr[4] = 0;                          /* IMPLEMENTATION DEFINED: nothing */

    r = 0;
    r = rset(r, F_IDR5_oas, (uint64_t)smmu_oas_encode(c->oas));
    r = rset(r, F_IDR5_gran4k, c->gran4k);
    r = rset(r, F_IDR5_gran16k, c->gran16k);
    r = rset(r, F_IDR5_gran64k, c->gran64k);
    r = rset(r, F_IDR5_vax, c->vax ? 1 : 0);
    r = rset(r, F_IDR5_stall_max, c->stall_model == SMMUV3_STALL_TERM_ONLY ? 0 : c->stall_max);
    s->idr[5] = (uint32_t)r;

    smmu_sregs_idr_compute(s);
    s->iidr = c->iidr;
    /* SMMUv3.2: ArchMajorRev 0, ArchMinorRev 2 (RIL, XNX and FWB are v3.2 features). */
    s->aidr = 0x02;
}
