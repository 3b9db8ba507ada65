/* SPDX-License-Identifier: MIT */
/*
 * Builders (include/smmuv3/build.h): allocator, address spaces, STE/CD images,
 * stream tables and CD tables. Page tables are in build/pagetables.c, the driver helper
 * in build/driver.c. Every bit position comes from the field tables
 * (fields_def.h through fields.h); memory is reached only through the host
 * callbacks, so the builders work over any memory an embedder provides.
 */
#include <string.h>
#include "build/build_int.h"

/* ------------------------------------------------------------ allocator */
int smmuv3_alloc_init(smmuv3_alloc *a, uint64_t base, uint64_t size)
{
    if (!a || size == 0 || base + size < base || base + size == 0)
        return SMMUV3_EINVAL;
    a->base = base;
    a->end = base + size;
    a->next = base;
    return 0;
}

int smmuv3_alloc_get(smmuv3_alloc *a, uint64_t size, uint64_t align, uint64_t *out)
{
    if (!a || !out || size == 0)
        return SMMUV3_EINVAL;
    if (align == 0)
        align = 1;
    if (align & (align - 1))
        return SMMUV3_EINVAL;
    if (a->next < a->base || a->next > a->end)
        return SMMUV3_EINVAL;
    uint64_t p = (a->next + align - 1) & ~(align - 1);
    if (p < a->next || p > a->end || size > a->end - p)
        return SMMUV3_ENOMEM;
    a->next = p + size;
    *out = p;
    return 0;
}

uint64_t smmuv3_alloc_left(const smmuv3_alloc *a)
{
    if (!a || a->next > a->end)
        return 0;
    return a->end - a->next;
}

/* ------------------------------------------------------------ address spaces */
int smmuv3_space_init(smmuv3_space *sp, const smmuv3_host *host, smmuv3_alloc *alloc)
{
    return smmuv3_space_init_ipa(sp, host, alloc, NULL, NULL);
}

int smmuv3_space_init_ipa(smmuv3_space *sp, const smmuv3_host *host, smmuv3_alloc *alloc,
                          smmuv3_to_pa_fn to_pa, void *to_pa_ctx)
{
    if (!sp || !host || !host->read || !host->write)
        return SMMUV3_EINVAL;
    sp->host = host;
    sp->alloc = alloc;
    sp->to_pa = to_pa;
    sp->to_pa_ctx = to_pa_ctx;
    return 0;
}

static int host_access(const smmuv3_host *h, uint64_t pa, void *rbuf, const void *wbuf, size_t len)
{
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    int rc = rbuf ? h->read(h->ctx, pa, rbuf, len) : h->write(h->ctx, pa, wbuf, len);
    return rc ? SMMUV3_EABORT : 0;
}

/* One access split per 4KB chunk when the space translates. */
static int space_access(const smmuv3_space *sp, uint64_t addr, void *rbuf, const void *wbuf, size_t len)
{
    if (!sp || !sp->host || !sp->host->read || !sp->host->write || (!rbuf && !wbuf && len))
        return SMMUV3_EINVAL;
    if (len == 0)
        return 0;
    if (addr + len - 1 < addr)
        return SMMUV3_ERANGE;
    if (!sp->to_pa)
        return host_access(sp->host, addr, rbuf, wbuf, len);
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        size_t chunk = (size_t)(0x1000 - (a & 0xfff));
        if (chunk > len - done)
            chunk = len - done;
        uint64_t pa;
        int rc = sp->to_pa(sp->to_pa_ctx, a, &pa);
        if (rc)
            return rc < 0 ? rc : SMMUV3_ENOENT;
        rc = host_access(sp->host, pa, rbuf ? (uint8_t *)rbuf + done : NULL,
                         wbuf ? (const uint8_t *)wbuf + done : NULL, chunk);
        if (rc)
            return rc;
        done += chunk;
    }
    return 0;
}

int smmuv3_space_read(const smmuv3_space *sp, uint64_t addr, void *buf, size_t len)
{
    if (!buf)
        return SMMUV3_EINVAL;
    return space_access(sp, addr, buf, NULL, len);
}

int smmuv3_space_write(const smmuv3_space *sp, uint64_t addr, const void *buf, size_t len)
{
    if (!buf)
        return SMMUV3_EINVAL;
    return space_access(sp, addr, NULL, buf, len);
}

int smmuv3_space_read64(const smmuv3_space *sp, uint64_t addr, uint64_t *v)
{
    uint8_t b[8];
    if (!v)
        return SMMUV3_EINVAL;
    int rc = smmuv3_space_read(sp, addr, b, 8);
    if (rc)
        return rc;
    *v = le64_load(b);
    return 0;
}

int smmuv3_space_write64(const smmuv3_space *sp, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    le64_store(b, v);
    return smmuv3_space_write(sp, addr, b, 8);
}

int smmuv3_space_zero(const smmuv3_space *sp, uint64_t addr, uint64_t len)
{
    uint8_t z[4096];
    memset(z, 0, sizeof(z));
    if (!sp)
        return SMMUV3_EINVAL;
    while (len) {
        size_t chunk = len > sizeof(z) ? sizeof(z) : (size_t)len;
        int rc = space_access(sp, addr, NULL, z, chunk);
        if (rc)
            return rc;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

int smmuv3_space_zalloc(const smmuv3_space *sp, uint64_t size, uint64_t align, uint64_t *out)
{
    if (!sp || !out)
        return SMMUV3_EINVAL;
    if (!sp->alloc)
        return SMMUV3_EINVAL;
    uint64_t a;
    smmuv3_alloc saved = *sp->alloc;
    int rc = smmuv3_alloc_get(sp->alloc, size, align, &a);
    if (rc)
        return rc;
    rc = smmuv3_space_zero(sp, a, size);
    if (rc) {
        *sp->alloc = saved;
        return rc;
    }
    *out = a;
    return 0;
}

/* Allocate (addr == SMMUV3_BUILD_ALLOC) or place (check alignment) and zero. */
int bld_place(const smmuv3_space *sp, uint64_t addr, uint64_t size, uint64_t align, uint64_t min_align,
              uint64_t *out)
{
    if (addr == SMMUV3_BUILD_ALLOC)
        return smmuv3_space_zalloc(sp, size, align, out);
    bool keep = (addr & SMMUV3_BUILD_KEEP) != 0;
    addr &= ~SMMUV3_BUILD_KEEP;
    if (addr & (min_align - 1))
        return SMMUV3_EINVAL;
    if (keep) {
        *out = addr;
        return 0;
    }
    int rc = smmuv3_space_zero(sp, addr, size);
    if (rc)
        return rc;
    *out = addr;
    return 0;
}

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

int smmuv3_ste_abort(uint8_t ste[SMMUV3_STE_BYTES])
{
    uint64_t w[8];
    int rc = ste_basic(ste, SMMU_STE_CFG_ABORT, w);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

int smmuv3_ste_bypass(uint8_t ste[SMMUV3_STE_BYTES])
{
    uint64_t w[8];
    int rc = ste_basic(ste, SMMU_STE_CFG_BYPASS, w);
    if (!rc)
        le_store(ste, w, 8);
    return rc;
}

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

/* ------------------------------------------------------------ stream tables */
#define STE_SIZE 64u
#define LINEAR_ST_MAX_LOG2 20u   /* 64MB: larger linear tables are refused (ENOTSUP) */
#define L1_MAX_LOG2 20u          /* level-1 tables of at most 2^20 descriptors */

static uint64_t align_for(uint64_t size)
{
    /* tables are aligned to their size, at least 64 bytes, at most 64KB */
    uint64_t a = 64;
    while (a < size && a < 0x10000)
        a <<= 1;
    return a;
}

int smmuv3_strtab_init_linear(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, uint64_t base)
{
    if (!st || !sp || log2size > 32)
        return SMMUV3_EINVAL;
    if (log2size > LINEAR_ST_MAX_LOG2)
        return SMMUV3_ENOTSUP;
    uint64_t size = (uint64_t)STE_SIZE << log2size, addr;
    int rc = bld_place(sp, base, size, align_for(size), 64, &addr);
    if (rc)
        return rc;
    st->space = sp;
    st->base = addr;
    st->log2size = log2size;
    st->split = 0;
    st->two_level = false;
    return 0;
}

int smmuv3_strtab_init_2level(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, unsigned split,
                              uint64_t base)
{
    if (!st || !sp || log2size > 32 || split == 0 || split > log2size || split > 31)
        return SMMUV3_EINVAL;
    if (log2size - split > L1_MAX_LOG2)
        return SMMUV3_ENOTSUP;
    uint64_t size = 8ull << (log2size - split), addr;
    int rc = bld_place(sp, base, size, align_for(size), 64, &addr);
    if (rc)
        return rc;
    st->space = sp;
    st->base = addr;
    st->log2size = log2size;
    st->split = split;
    st->two_level = true;
    return 0;
}

uint64_t smmuv3_strtab_base_reg(const smmuv3_strtab *st)
{
    uint64_t r = 0;
    if (!st)
        return 0;
    r = rset(r, F_STRTAB_BASE_ra, 1);
    return r | (st->base & smmu_fmask(F_STRTAB_BASE_addr));
}

uint32_t smmuv3_strtab_cfg_reg(const smmuv3_strtab *st)
{
    uint64_t r = 0;
    if (!st)
        return 0;
    r = rset(r, F_STRTAB_BASE_CFG_log2size, st->log2size);
    r = rset(r, F_STRTAB_BASE_CFG_split, st->two_level ? st->split : 0);
    r = rset(r, F_STRTAB_BASE_CFG_fmt, st->two_level ? 1 : 0);
    return (uint32_t)r;
}

/* The structure is public: check what callers may have changed. */
static bool strtab_ok(const smmuv3_strtab *st)
{
    if (!st || !st->space || st->log2size > 32)
        return false;
    if (!st->two_level)
        return st->log2size <= LINEAR_ST_MAX_LOG2;
    return st->split >= 1 && st->split <= st->log2size && st->split <= 31 &&
           st->log2size - st->split <= L1_MAX_LOG2;
}

int smmuv3_strtab_set_l1(smmuv3_strtab *st, uint32_t index, uint64_t l2ptr, unsigned span)
{
    if (!strtab_ok(st) || !st->two_level)
        return SMMUV3_EINVAL;
    if ((uint64_t)index >= (1ull << (st->log2size - st->split)))
        return SMMUV3_ERANGE;
    uint64_t w = 0;
    if (bld_set(&w, F_L1STD_span, span) || bld_set_addr(&w, F_L1STD_l2ptr, l2ptr))
        return SMMUV3_ERANGE;
    return smmuv3_space_write64(st->space, st->base + 8ull * index, w);
}

int smmuv3_strtab_ste_addr(smmuv3_strtab *st, uint32_t sid, bool alloc, uint64_t *addr)
{
    if (!strtab_ok(st) || !addr)
        return SMMUV3_EINVAL;
    if (st->log2size < 32 && (uint64_t)sid >= (1ull << st->log2size))
        return SMMUV3_ERANGE;
    if (!st->two_level) {
        *addr = st->base + (uint64_t)sid * STE_SIZE;
        return 0;
    }
    uint32_t index = (uint32_t)((uint64_t)sid >> st->split);
    uint64_t l1addr = st->base + 8ull * index, desc;
    int rc = smmuv3_space_read64(st->space, l1addr, &desc);
    if (rc)
        return rc;
    unsigned span = (unsigned)fget(&desc, F_L1STD_span);
    uint64_t l2 = fget_addr(&desc, F_L1STD_l2ptr);
    uint64_t lo = (uint64_t)sid & ((1ull << st->split) - 1);
    if (span == 0) {
        if (!alloc)
            return SMMUV3_ENOENT;
        uint64_t size = (uint64_t)STE_SIZE << st->split;
        rc = smmuv3_space_zalloc(st->space, size, align_for(size), &l2);
        if (rc)
            return rc;
        rc = smmuv3_strtab_set_l1(st, index, l2, st->split + 1);
        if (rc)
            return rc;
        span = st->split + 1;
    }
    if (span > 12 || lo >= (1ull << (span - 1)))   /* SPAN above 12 is reserved (5.1) */
        return SMMUV3_ERANGE;
    *addr = l2 + lo * STE_SIZE;
    return 0;
}

int smmuv3_strtab_write_ste(smmuv3_strtab *st, uint32_t sid, const uint8_t ste[SMMUV3_STE_BYTES])
{
    uint64_t a;
    if (!ste)
        return SMMUV3_EINVAL;
    int rc = smmuv3_strtab_ste_addr(st, sid, true, &a);
    return rc ? rc : smmuv3_space_write(st->space, a, ste, SMMUV3_STE_BYTES);
}

int smmuv3_strtab_read_ste(smmuv3_strtab *st, uint32_t sid, uint8_t ste[SMMUV3_STE_BYTES])
{
    uint64_t a;
    if (!ste)
        return SMMUV3_EINVAL;
    int rc = smmuv3_strtab_ste_addr(st, sid, false, &a);
    return rc ? rc : smmuv3_space_read(st->space, a, ste, SMMUV3_STE_BYTES);
}

/* ------------------------------------------------------------ CD tables */
#define CD_SIZE 64u
#define LINEAR_CD_MAX_LOG2 16u   /* 4MB linear CD tables at most */

static unsigned cd_leaf_bits(unsigned fmt)
{
    return fmt == SMMUV3_S1FMT_2L_64K ? 10 : 6;   /* 64KB / 4KB of 64-byte CDs */
}

int smmuv3_cdtab_init(smmuv3_cdtab *ct, const smmuv3_space *sp, unsigned fmt, unsigned cdmax, uint64_t base)
{
    if (!ct || !sp || fmt > SMMUV3_S1FMT_2L_64K || cdmax > 20)
        return SMMUV3_EINVAL;
    uint64_t size;
    if (fmt == SMMUV3_S1FMT_LINEAR) {
        if (cdmax > LINEAR_CD_MAX_LOG2)
            return SMMUV3_ENOTSUP;
        size = (uint64_t)CD_SIZE << cdmax;
    } else {
        unsigned lb = cd_leaf_bits(fmt);
        size = 8ull << (cdmax > lb ? cdmax - lb : 0);
    }
    uint64_t addr;
    int rc = bld_place(sp, base, size, align_for(size), 64, &addr);
    if (rc)
        return rc;
    ct->space = sp;
    ct->base = addr;
    ct->fmt = fmt;
    ct->cdmax = cdmax;
    return 0;
}

static bool cdtab_ok(const smmuv3_cdtab *ct)
{
    return ct && ct->space && ct->fmt <= SMMUV3_S1FMT_2L_64K && ct->cdmax <= 20 &&
           (ct->fmt != SMMUV3_S1FMT_LINEAR || ct->cdmax <= LINEAR_CD_MAX_LOG2);
}

int smmuv3_cdtab_set_l1(smmuv3_cdtab *ct, uint32_t index, uint64_t l2ptr, bool valid)
{
    if (!cdtab_ok(ct) || ct->fmt == SMMUV3_S1FMT_LINEAR)
        return SMMUV3_EINVAL;
    unsigned lb = cd_leaf_bits(ct->fmt);
    if ((uint64_t)index >= (1ull << (ct->cdmax > lb ? ct->cdmax - lb : 0)))
        return SMMUV3_ERANGE;
    uint64_t w = 0;
    if (bld_set_addr(&w, F_L1CD_l2ptr, l2ptr))
        return SMMUV3_ERANGE;
    fset(&w, F_L1CD_v, valid ? 1 : 0);
    return smmuv3_space_write64(ct->space, ct->base + 8ull * index, w);
}

int smmuv3_cdtab_cd_addr(smmuv3_cdtab *ct, uint32_t ssid, bool alloc, uint64_t *addr)
{
    if (!cdtab_ok(ct) || !addr)
        return SMMUV3_EINVAL;
    if ((uint64_t)ssid >= (1ull << ct->cdmax))
        return SMMUV3_ERANGE;
    if (ct->fmt == SMMUV3_S1FMT_LINEAR) {
        *addr = ct->base + (uint64_t)ssid * CD_SIZE;
        return 0;
    }
    unsigned lb = cd_leaf_bits(ct->fmt);
    uint32_t index = ssid >> lb;
    uint64_t desc;
    int rc = smmuv3_space_read64(ct->space, ct->base + 8ull * index, &desc);
    if (rc)
        return rc;
    uint64_t l2 = fget_addr(&desc, F_L1CD_l2ptr);
    if (!fget(&desc, F_L1CD_v)) {
        if (!alloc)
            return SMMUV3_ENOENT;
        uint64_t size = (uint64_t)CD_SIZE << lb;
        rc = smmuv3_space_zalloc(ct->space, size, size, &l2);
        if (rc)
            return rc;
        rc = smmuv3_cdtab_set_l1(ct, index, l2, true);
        if (rc)
            return rc;
    }
    *addr = l2 + (uint64_t)(ssid & ((1u << lb) - 1)) * CD_SIZE;
    return 0;
}

int smmuv3_cdtab_write_cd(smmuv3_cdtab *ct, uint32_t ssid, const uint8_t cd[SMMUV3_CD_BYTES])
{
    uint64_t a;
    if (!cd)
        return SMMUV3_EINVAL;
    int rc = smmuv3_cdtab_cd_addr(ct, ssid, true, &a);
    return rc ? rc : smmuv3_space_write(ct->space, a, cd, SMMUV3_CD_BYTES);
}

int smmuv3_cdtab_read_cd(smmuv3_cdtab *ct, uint32_t ssid, uint8_t cd[SMMUV3_CD_BYTES])
{
    uint64_t a;
    if (!cd)
        return SMMUV3_EINVAL;
    int rc = smmuv3_cdtab_cd_addr(ct, ssid, false, &a);
    return rc ? rc : smmuv3_space_read(ct->space, a, cd, SMMUV3_CD_BYTES);
}
