/* SPDX-License-Identifier: MIT */
/*
 * Builders (include/smmuv3/build.h): STE, CD and event images by field name,
 * the checked field setters the builders share, and the STE and CD
 * constructors. Every bit position comes from the field tables (fields_def.h
 * through fields.h).
 */
#include <string.h>
#include "build/build_int.h"

/* ------------------------------------------------------------ images by name */
static const smmuv3_field *named_field(const char *structure, const char *field)
{
    const smmuv3_struct *st = smmuv3_struct_find(structure);
    return st ? smmuv3_field_find(st, field) : NULL;
}

int smmuv3_image_set(void *img, const char *structure, const char *field, uint64_t value)
{
    if (!img || !structure || !field)
        return SMMUV3_EINVAL;
    const smmuv3_field *f = named_field(structure, field);
    if (!f)
        return SMMUV3_ENOENT;
    return smmuv3_field_set(f, img, value);
}

int smmuv3_image_get(const void *img, const char *structure, const char *field, uint64_t *value)
{
    if (!img || !structure || !field || !value)
        return SMMUV3_EINVAL;
    const smmuv3_field *f = named_field(structure, field);
    if (!f)
        return SMMUV3_ENOENT;
    *value = smmuv3_field_get(f, img);
    return 0;
}

int smmuv3_ste_set(uint8_t ste[SMMUV3_STE_BYTES], const char *field, uint64_t value)
{
    return smmuv3_image_set(ste, "ste", field, value);
}

int smmuv3_ste_get(const uint8_t ste[SMMUV3_STE_BYTES], const char *field, uint64_t *value)
{
    return smmuv3_image_get(ste, "ste", field, value);
}

int smmuv3_cd_set(uint8_t cd[SMMUV3_CD_BYTES], const char *field, uint64_t value)
{
    return smmuv3_image_set(cd, "cd", field, value);
}

int smmuv3_cd_get(const uint8_t cd[SMMUV3_CD_BYTES], const char *field, uint64_t *value)
{
    return smmuv3_image_get(cd, "cd", field, value);
}

int smmuv3_event_get(const uint8_t rec[SMMUV3_EVENT_BYTES], const char *field, uint64_t *value)
{
    return smmuv3_image_get(rec, "event", field, value);
}

/* ------------------------------------------------------------ checked field setters on words */
int bld_set(uint64_t *w, uint32_t f, uint64_t v)
{
    if (v & ~(smmu_fmask(f) >> SMMU_FLSB(f)))
        return SMMUV3_ERANGE;
    fset(w, f, v);
    return 0;
}

int bld_set_addr(uint64_t *w, uint32_t f, uint64_t a)
{
    if (a & ~smmu_fmask(f))
        return SMMUV3_ERANGE;
    fset_addr(w, f, a);
    return 0;
}

/* Encodings shared by STE and CD fields. */
int bld_size_enc(unsigned bits)
{
    switch (bits) {
    case 32: return 0;
    case 36: return 1;
    case 40: return 2;
    case 42: return 3;
    case 44: return 4;
    case 48: return 5;
    case 52: return 6;
    default: return -1;
    }
}

/* TG0 / S2TG: 0 = 4K, 1 = 64K, 2 = 16K. */
static int tg0_enc(unsigned granule)
{
    switch (granule) {
    case 12: return 0;
    case 16: return 1;
    case 14: return 2;
    default: return -1;
    }
}

/* TG1: 1 = 16K, 2 = 4K, 3 = 64K. */
static int tg1_enc(unsigned granule)
{
    switch (granule) {
    case 14: return 1;
    case 12: return 2;
    case 16: return 3;
    default: return -1;
    }
}

/* ------------------------------------------------------------ STE constructors */
static int ste_basic(uint8_t ste[SMMUV3_STE_BYTES], unsigned config, uint64_t *w)
{
    if (!ste)
        return SMMUV3_EINVAL;
    memset(w, 0, 8 * sizeof(uint64_t));
    fset(w, F_STE_v, 1);
    fset(w, F_STE_config, config);
    return 0;
}

/* An STE that is only V and Config (abort or bypass). */
static int ste_config_only(uint8_t ste[SMMUV3_STE_BYTES], unsigned config)
{
    uint64_t w[8];
    int rc = ste_basic(ste, config, w);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

int smmuv3_ste_abort(uint8_t ste[SMMUV3_STE_BYTES]) { return ste_config_only(ste, SMMU_STE_CFG_ABORT); }
int smmuv3_ste_bypass(uint8_t ste[SMMUV3_STE_BYTES]) { return ste_config_only(ste, SMMU_STE_CFG_BYPASS); }

static int ste_s1_fields(uint64_t *w, uint64_t cdptr, unsigned s1fmt, unsigned s1cdmax)
{
    int rc = 0;
    if (s1fmt > SMMUV3_S1FMT_2L_64K)
        return SMMUV3_EINVAL;
    rc |= bld_set_addr(w, F_STE_s1contextptr, cdptr);
    rc |= bld_set(w, F_STE_s1fmt, s1fmt);
    rc |= bld_set(w, F_STE_s1cdmax, s1cdmax);
    fset(w, F_STE_s1dss, 0);
    fset(w, F_STE_s1cir, 1);
    fset(w, F_STE_s1cor, 1);
    fset(w, F_STE_s1csh, 3);
    fset(w, F_STE_strw, 0);
    return rc ? SMMUV3_ERANGE : 0;
}

static int ste_s2_fields(uint64_t *w, const smmuv3_s2_params *p)
{
    int tg = tg0_enc(p->granule), ps = bld_size_enc(p->ps);
    if (tg < 0 || ps < 0)
        return SMMUV3_EINVAL;
    int rc = 0;
    rc |= bld_set(w, F_STE_s2vmid, p->vmid);
    rc |= bld_set(w, F_STE_s2t0sz, p->tsz);
    rc |= bld_set(w, F_STE_s2sl0, p->sl0);
    fset(w, F_STE_s2tg, (uint64_t)tg);
    fset(w, F_STE_s2ps, (uint64_t)ps);
    fset(w, F_STE_s2aa64, 1);
    fset(w, F_STE_s2ir0, 1);
    fset(w, F_STE_s2or0, 1);
    fset(w, F_STE_s2sh0, 3);
    fset(w, F_STE_s2r, p->no_record ? 0 : 1);
    fset(w, F_STE_s2s, p->stall ? 1 : 0);
    fset(w, F_STE_s2affd, p->affd ? 1 : 0);
    fset(w, F_STE_s2ptw, p->ptw ? 1 : 0);
    rc |= bld_set_addr(w, F_STE_s2ttb, p->ttb);
    return rc ? SMMUV3_ERANGE : 0;
}

int smmuv3_ste_s1(uint8_t ste[SMMUV3_STE_BYTES], uint64_t cdptr, unsigned s1fmt, unsigned s1cdmax)
{
    uint64_t w[8];
    int rc = ste_basic(ste, SMMU_STE_CFG_S1, w);
    if (!rc)
        rc = ste_s1_fields(w, cdptr, s1fmt, s1cdmax);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

int smmuv3_ste_s2(uint8_t ste[SMMUV3_STE_BYTES], const smmuv3_s2_params *p)
{
    uint64_t w[8];
    if (!p)
        return SMMUV3_EINVAL;
    int rc = ste_basic(ste, SMMU_STE_CFG_S2, w);
    if (!rc)
        rc = ste_s2_fields(w, p);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

int smmuv3_ste_nested(uint8_t ste[SMMUV3_STE_BYTES], uint64_t cdptr, unsigned s1fmt, unsigned s1cdmax,
                      const smmuv3_s2_params *p)
{
    uint64_t w[8];
    if (!p)
        return SMMUV3_EINVAL;
    int rc = ste_basic(ste, SMMU_STE_CFG_NESTED, w);
    if (!rc)
        rc = ste_s1_fields(w, cdptr, s1fmt, s1cdmax);
    if (!rc)
        rc = ste_s2_fields(w, p);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

/* ------------------------------------------------------------ CD constructor */
int smmuv3_cd_s1(uint8_t cd[SMMUV3_CD_BYTES], const smmuv3_cd_params *p)
{
    uint64_t w[8] = { 0 };
    if (!cd || !p)
        return SMMUV3_EINVAL;
    int tg0 = tg0_enc(p->granule), ips = bld_size_enc(p->ips);
    int tg1 = p->ttb1_en ? tg1_enc(p->granule1) : 2;
    if (tg0 < 0 || ips < 0 || tg1 < 0)
        return SMMUV3_EINVAL;
    int rc = 0;
    fset(w, F_CD_v, 1);
    fset(w, F_CD_aa64, 1);
    rc |= bld_set(w, F_CD_t0sz, p->t0sz);
    fset(w, F_CD_tg0, (uint64_t)tg0);
    fset(w, F_CD_ir0, 1);
    fset(w, F_CD_or0, 1);
    fset(w, F_CD_sh0, 3);
    fset(w, F_CD_epd0, p->epd0 ? 1 : 0);
    fset(w, F_CD_tg1, (uint64_t)tg1);
    fset(w, F_CD_ir1, 1);
    fset(w, F_CD_or1, 1);
    fset(w, F_CD_sh1, 3);
    if (p->ttb1_en) {
        rc |= bld_set(w, F_CD_t1sz, p->t1sz);
        rc |= bld_set_addr(w, F_CD_ttb1, p->ttb1);
    } else {
        fset(w, F_CD_epd1, 1);
    }
    fset(w, F_CD_ips, (uint64_t)ips);
    fset(w, F_CD_affd, p->affd ? 1 : 0);
    fset(w, F_CD_wxn, p->wxn ? 1 : 0);
    fset(w, F_CD_uwxn, p->uwxn ? 1 : 0);
    rc |= bld_set(w, F_CD_tbi, p->tbi);
    fset(w, F_CD_pan, p->pan ? 1 : 0);
    fset(w, F_CD_ha, p->ha ? 1 : 0);
    fset(w, F_CD_hd, p->hd ? 1 : 0);
    fset(w, F_CD_s, p->stall ? 1 : 0);
    fset(w, F_CD_r, p->no_record ? 0 : 1);
    fset(w, F_CD_a, p->no_abort ? 0 : 1);
    fset(w, F_CD_asid, p->asid);
    rc |= bld_set_addr(w, F_CD_ttb0, p->ttb0);
    uint64_t mair = p->mair ? p->mair : SMMUV3_MAIR_DEFAULT;
    fset(w, F_CD_mair0, mair & 0xffffffffu);
    fset(w, F_CD_mair1, mair >> 32);
    if (rc)
        return SMMUV3_ERANGE;
    le_store(cd, w, 8);
    return 0;
}
