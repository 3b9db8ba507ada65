/* SPDX-License-Identifier: MIT */
/* Setup tables built with the builders (smmuv3/build.h): the stream table,
 * page tables and their mappings, CD tables and STEs. */
#include <string.h>
#include "run_int.h"

static int oas_bits(const R *r) { return (int)smmuv3_get_config(r->smmu)->oas; }

static int reserve(R *r, bool has_base, const sv_expr *be, uint64_t size, uint64_t align, unsigned line,
                   uint64_t *base)
{
    if (has_base)
        return svr_resolve(r, be, base, NULL);
    int rc = smmuv3_alloc_get(&r->gal, size, align, base);
    if (rc)
        return svr_fail(r, line, "cannot allocate %llu bytes for an object: %s", (unsigned long long)size,
                        smmuv3_strerror(rc));
    return 0;
}

int svr_setup_strtab(R *r)
{
    const smmuv3_vector *v = r->v;
    unsigned log2 = v->strtab_log2;
    if (log2 == 0xff) {
        uint64_t max = 0;
        for (size_t i = 0; i < v->nstreams; i++)
            if (v->streams[i].sid > max)
                max = v->streams[i].sid;
        log2 = 1;
        while (log2 < 32 && (1ull << log2) <= max)
            log2++;
    }
    for (size_t i = 0; i < v->nstreams; i++)
        if (v->streams[i].sid >> log2)
            return svr_fail(r, v->streams[i].mark.line, "sid %llu is outside the stream table (log2size %u)",
                            (unsigned long long)v->streams[i].sid, log2);
    if (!v->strtab_2level && log2 > 16)
        return svr_fail(r, 1, "a linear stream table of 2^%u entries is too large for a vector", log2);
    uint64_t l1size = v->strtab_2level ? 8ull << (log2 - v->strtab_split) : 64ull << log2;
    uint64_t leaf = v->strtab_2level ? 64ull << v->strtab_split : 0;
    uint64_t l1al = l1size < 4096 ? l1size : 4096;
    if (l1al < 64)
        l1al = 64;
    uint64_t region = ((l1size + 4095) & ~4095ull) + (leaf ? (leaf + 4096) * 20 : 0);
    uint64_t base;
    if (reserve(r, v->strtab_has_base, &v->strtab_base, region, leaf > 4096 ? leaf : 4096, 1, &base))
        return -1;
    uint64_t after = base + ((l1size + 63) & ~63ull);
    int rc = smmuv3_alloc_init(&r->stal, after, region);
    if (!rc)
        rc = smmuv3_space_init(&r->stsp, &r->host, &r->stal);
    if (!rc)
        rc = v->strtab_2level ? smmuv3_strtab_init_2level(&r->st, &r->stsp, log2, v->strtab_split, base)
                              : smmuv3_strtab_init_linear(&r->st, &r->stsp, log2, base);
    if (rc)
        return svr_fail(r, 1, "cannot build the stream table (log2size %u, split %u, base 0x%llx): %s", log2,
                        v->strtab_split, (unsigned long long)base, smmuv3_strerror(rc));
    r->have_st = true;
    svr_trace(r, "  stream table %s at 0x%llx, log2size %u\n", v->strtab_2level ? "2-level" : "linear",
              (unsigned long long)base, log2);
    return 0;
}

/* Page tables: bases for all first (symbols may point at them), then stage 2
 * tables are built, then stage 1 tables (which may live in a stage 2 IPA space). */
int svr_reserve_pts(R *r)
{
    const smmuv3_vector *v = r->v;
    for (size_t i = 0; i < v->npts; i++) {
        const sv_pt *p = &v->pts[i];
        uint64_t g = 1ull << p->gran;
        uint64_t align = p->stage == 2 ? 16 * g : g;
        if (!p->has_base && reserve(r, false, NULL, (uint64_t)p->tables * g + (p->stage == 2 ? 16 * g : 0), align,
                                    p->mark.line, &r->pts[i].base))
            return -1;
    }
    for (size_t i = 0; i < v->ncdtabs; i++) {
        const sv_cdtab *c = &v->cdtabs[i];
        uint64_t size = c->two_level ? 0x1000 + 17 * (64ull << c->leaf) : 64ull << c->log2size;
        if (!c->has_base && reserve(r, false, NULL, size, c->two_level ? 64ull << c->leaf : 4096, c->mark.line,
                                    &r->cds[i].base))
            return -1;
    }
    /* explicit bases may name other objects: resolve them once everything has a place */
    for (size_t i = 0; i < v->npts; i++)
        if (v->pts[i].has_base && svr_resolve(r, &v->pts[i].base, &r->pts[i].base, NULL))
            return -1;
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (v->cdtabs[i].has_base && svr_resolve(r, &v->cdtabs[i].base, &r->cds[i].base, NULL))
            return -1;
    return 0;
}

static unsigned map_flags(const sv_pt *p, const sv_map *m)
{
    unsigned f = 0;
    if (p->stage == 2 && (m->perm & SV_R))
        f |= SMMUV3_MAP_READ;
    if (p->stage == 1)
        f |= SMMUV3_MAP_READ;
    if (m->perm & SV_W)
        f |= SMMUV3_MAP_WRITE;
    if (m->perm & SV_X)
        f |= SMMUV3_MAP_EXEC;
    if (m->priv_only)
        f |= SMMUV3_MAP_PRIV;
    if (p->stage == 1 && m->ng != 0)
        f |= SMMUV3_MAP_NG; /* non-global unless ng: 0, as Linux's io-pgtable maps stage 1 */
    if (m->af == 0)
        f |= SMMUV3_MAP_NOAF;
    if (m->pages)
        f |= SMMUV3_MAP_PAGES;
    if (m->contig == 1)
        f |= SMMUV3_MAP_CONT;
    if (m->dbm == 1)
        f |= SMMUV3_MAP_DBM;
    if (m->pxn == 1)
        f |= SMMUV3_MAP_PXN;
    if (m->uxn == 1)
        f |= SMMUV3_MAP_UXN;
    return f;
}

/* Raw descriptor overrides the builder's flags cannot say (ap, s2ap, xn, ns,
 * and clearing pxn/uxn/ng/af/dbm/contig explicitly). */
static bool needs_fixup(const sv_map *m)
{
    return m->ap >= 0 || m->s2ap >= 0 || m->xn >= 0 || m->ns >= 0 || m->pxn == 0 || m->uxn == 0 || m->ng == 0 ||
           m->af == 1 || m->dbm == 0 || m->contig == 0;
}

static uint64_t fix_desc(const sv_pt *p, const sv_map *m, uint64_t d)
{
    if (p->stage == 1 && m->ap >= 0)
        d = (d & ~(3ull << 6)) | ((uint64_t)m->ap << 6);
    if (p->stage == 2 && m->s2ap >= 0)
        d = (d & ~(3ull << 6)) | ((uint64_t)m->s2ap << 6);
    if (p->stage == 2 && m->xn >= 0)
        d = (d & ~(3ull << 53)) | ((uint64_t)m->xn << 53);
    if (p->stage == 1 && m->xn >= 0)
        d = (d & ~(1ull << 54)) | ((uint64_t)(m->xn & 1) << 54);
    if (m->ns >= 0)
        d = (d & ~SMMUV3_PTE_NS) | (m->ns ? SMMUV3_PTE_NS : 0);
    if (m->pxn == 0)
        d &= ~SMMUV3_PTE_PXN;
    if (m->uxn == 0)
        d &= ~SMMUV3_PTE_UXN;
    if (m->ng == 0)
        d &= ~SMMUV3_PTE_NG;
    if (m->af == 1)
        d |= SMMUV3_PTE_AF;
    if (m->dbm == 0)
        d &= ~SMMUV3_PTE_DBM;
    if (m->contig == 0)
        d &= ~SMMUV3_PTE_CONT;
    return d;
}

/* The address space a table's memory is written through: PA, or (space set)
 * the IPA space of the stage 2 table it names. -1 when that table is not
 * built (reported); otherwise 0 and *rc the result of creating the space. */
static int table_space(R *r, const char *space, bool secure, sv_mark mark, smmuv3_space *sp, smmuv3_alloc *al,
                       int *rc)
{
    const smmuv3_host *h = secure ? &r->shost : &r->host;   /* Secure PA space (secure: true) */
    if (!space) {
        *rc = smmuv3_space_init(sp, h, al);
        return 0;
    }
    int j = svr_find_pt(r->v, space);
    if (j < 0 || !r->pts[j].ready)
        return svr_fail(r, mark.line, "stage 2 table '%s' is not built", space);
    *rc = smmuv3_space_init_ipa(sp, h, al, smmuv3_pt_to_pa, &r->pts[j].pt);
    return 0;
}

int svr_build_pt(R *r, size_t i)
{
    const sv_pt *p = &r->v->pts[i];
    rpt *rp = &r->pts[i];
    uint64_t g = 1ull << p->gran;
    int rc;
    if (table_space(r, p->space, p->secure, p->space_mark, &rp->sp, &rp->al, &rc))
        return -1;
    if (!rc)
        rc = smmuv3_alloc_init(&rp->al, rp->base, (uint64_t)p->tables * g + 16 * g);
    unsigned tsz = 64 - p->ias;
    if (!rc) {
        if (p->stage == 1) {
            rc = smmuv3_pt_init_s1(&rp->pt, &rp->sp, p->gran, tsz, rp->base);
        } else {
            int sl0 = -1;
            if (p->start_level >= 0)   /* S2SL0 (5.2): 4K level 3 is 0b11 (small translation tables) */
                sl0 = p->gran == 12 && p->start_level == 3 ? 3 : (p->gran == 12 ? 2 : 3) - p->start_level;
            if (p->start_level >= 0 && sl0 < 0)
                rc = SMMUV3_EINVAL;
            else
                rc = smmuv3_pt_init_s2(&rp->pt, &rp->sp, p->gran, tsz, sl0, rp->base);
        }
    }
    if (rc)
        return svr_fail(r, p->mark.line, "cannot create page table '%s' (stage %d, granule %lluK, ias %u%s): %s",
                        p->name, p->stage, (unsigned long long)(g >> 10), p->ias,
                        p->start_level >= 0 ? ", start_level given" : "", smmuv3_strerror(rc));
    /* intermediate tables follow the root(s) in the table pool */
    uint64_t rootsz = (uint64_t)(p->stage == 2 ? rp->pt.concat : 1) * g;
    rc = smmuv3_alloc_init(&rp->al, rp->base + rootsz, (uint64_t)p->tables * g);
    if (rc)
        return svr_fail(r, p->mark.line, "page table '%s': %s", p->name, smmuv3_strerror(rc));
    if (oas_bits(r) > 48)
        rp->pt.oa_bits = (unsigned)oas_bits(r);
    rp->ready = true;
    for (size_t k = 0; k < p->nmaps; k++)
        if (svr_pt_map_one(r, i, &p->maps[k]))
            return -1;
    svr_trace(r, "  page table %s: stage %d, %lluK granule, ias %u, root 0x%llx, start level %u\n", p->name, p->stage,
              (unsigned long long)(g >> 10), p->ias, (unsigned long long)rp->pt.root, rp->pt.start_level);
    return 0;
}

int svr_pt_map_one(R *r, size_t i, const sv_map *m)
{
    const sv_pt *p = &r->v->pts[i];
    rpt *rp = &r->pts[i];
    uint64_t g = 1ull << p->gran;
    int rc;
    {
        uint64_t in, out;
        if (svr_resolve(r, &m->in, &in, NULL) || svr_resolve(r, &m->out, &out, NULL))
            return -1;
        uint64_t size = m->size ? m->size : g;
        int sh = m->sh >= 0 ? m->sh : 3;
        int av = p->stage == 1 ? (m->attrindx >= 0 ? m->attrindx : 0) : (m->memattr >= 0 ? m->memattr : 0xF);
        uint32_t attrs = SMMUV3_ATTR(av, sh);
        rc = smmuv3_pt_map(&rp->pt, in, out, size, map_flags(p, m), attrs);
        if (rc)
            return svr_fail(r, m->mark.line, "cannot map 0x%llx -> 0x%llx (size 0x%llx) in '%s': %s%s",
                            (unsigned long long)in, (unsigned long long)out, (unsigned long long)size, p->name,
                            smmuv3_strerror(rc),
                            rc == SMMUV3_ENOMEM ? " (raise the table's 'tables' count)" : "");
        if (needs_fixup(m)) {
            for (uint64_t a = in; a - in < size;) {
                unsigned level;
                uint64_t d;
                rc = smmuv3_pt_lookup(&rp->pt, a, NULL, &level, &d);
                if (!rc)
                    rc = smmuv3_pt_set_desc(&rp->pt, a, level, fix_desc(p, m, d));
                if (rc)
                    return svr_fail(r, m->mark.line, "cannot adjust the descriptor of 0x%llx in '%s': %s",
                                    (unsigned long long)a, p->name, smmuv3_strerror(rc));
                uint64_t ls = smmuv3_pt_level_size(&rp->pt, level);
                if (!ls)
                    break;
                a = (a & ~(ls - 1)) + ls;
            }
        }
        svr_trace(r, "    %s: map 0x%llx -> 0x%llx size 0x%llx\n", p->name, (unsigned long long)in,
                  (unsigned long long)out, (unsigned long long)size);
    }
    return 0;
}

/* A CD (of table cdt, named tname) or an STE (cdt NULL) the builder made
 * (rc its result), with the vector's fields written over it, into its table. */
static int place_image(R *r, unsigned line, int rc, const sv_fields *f, uint8_t *img, rcd *cdt, const char *tname,
                       uint64_t id)
{
    char what[48];
    snprintf(what, sizeof(what), cdt ? "the CD for ssid %llu" : "the STE of sid %llu", (unsigned long long)id);
    if (rc)
        return svr_fail(r, line, "cannot build %s: %s", what, smmuv3_strerror(rc));
    if (svr_set_fields(r, f, img))
        return -1;
    rc = cdt ? smmuv3_cdtab_write_cd(&cdt->ct, (uint32_t)id, img) : smmuv3_strtab_write_ste(&r->st, (uint32_t)id, img);
    if (rc)
        return svr_fail(r, line, "cannot write %s%s%s%s: %s", what, cdt ? " in '" : "", cdt ? tname : "",
                        cdt ? "'" : "", smmuv3_strerror(rc));
    return 0;
}

int svr_build_cdtab(R *r, size_t i)
{
    const sv_cdtab *c = &r->v->cdtabs[i];
    rcd *rc_ = &r->cds[i];
    int rc;
    if (table_space(r, c->space, c->secure, c->space_mark, &rc_->sp, &rc_->al, &rc))
        return -1;
    uint64_t l1size = c->two_level ? 8ull << (c->log2size > c->leaf ? c->log2size - c->leaf : 0)
                                   : 64ull << c->log2size;
    uint64_t leafsz = 64ull << c->leaf;
    if (!rc)
        rc = smmuv3_alloc_init(&rc_->al, (rc_->base + l1size + leafsz - 1) & ~(leafsz - 1), 17 * leafsz + leafsz);
    unsigned fmt = !c->two_level ? SMMUV3_S1FMT_LINEAR : c->leaf == 6 ? SMMUV3_S1FMT_2L_4K : SMMUV3_S1FMT_2L_64K;
    if (!rc)
        rc = smmuv3_cdtab_init(&rc_->ct, &rc_->sp, fmt, c->log2size, rc_->base);
    if (rc)
        return svr_fail(r, c->mark.line, "cannot create CD table '%s' at 0x%llx: %s", c->name,
                        (unsigned long long)rc_->base, smmuv3_strerror(rc));
    rc_->ready = true;
    for (size_t k = 0; k < c->ncds; k++) {
        const sv_cd *cd = &c->cds[k];
        smmuv3_cd_params cp;
        memset(&cp, 0, sizeof(cp));
        cp.t0sz = 16;
        cp.granule = 12;
        cp.ips = (unsigned)oas_bits(r);
        const sv_fieldval *t0 = svr_fields_get(&cd->f, "ttb0"), *t1 = svr_fields_get(&cd->f, "ttb1");
        int j;
        if (t0 && t0->v.sym && (j = svr_find_pt(r->v, t0->v.sym)) >= 0 && !t0->v.has_index && !t0->v.off) {
            rc = smmuv3_cd_params_from_pt(&r->pts[j].pt, 0, &cp);
            if (!rc && r->v->pts[j].stage != 1)
                return svr_fail(r, t0->v.mark.line, "ttb0 names '%s', a stage 2 table", t0->v.sym);
            cp.ips = (unsigned)oas_bits(r);
        }
        if (!rc && t1 && t1->v.sym && (j = svr_find_pt(r->v, t1->v.sym)) >= 0 && !t1->v.has_index) {
            smmuv3_cd_params p1;
            rc = smmuv3_cd_params_from_pt(&r->pts[j].pt, 0, &p1);
            cp.ttb1_en = true;
            cp.ttb1 = p1.ttb0;
            cp.t1sz = p1.t0sz;
            cp.granule1 = p1.granule;
        }
        uint8_t img[64];
        if (!rc)
            rc = smmuv3_cd_s1(img, &cp);
        if (place_image(r, cd->mark.line, rc, &cd->f, img, rc_, c->name, cd->ssid))
            return -1;
    }
    svr_trace(r, "  CD table %s: %s, log2size %u, at 0x%llx\n", c->name, c->two_level ? "2-level" : "linear",
              c->log2size,
              (unsigned long long)rc_->base);
    return 0;
}

int svr_build_ste(R *r, const sv_stream *s)
{
    uint8_t img[64];
    memset(img, 0, sizeof(img));
    const sv_fieldval *ctx = svr_fields_get(&s->ste, "s1contextptr"), *s2 = svr_fields_get(&s->ste, "s2ttb");
    int ci = ctx && ctx->v.sym ? svr_find_cd(r->v, ctx->v.sym) : -1;
    int pi = s2 && s2->v.sym ? svr_find_pt(r->v, s2->v.sym) : -1;
    int rc = 0;
    smmuv3_s2_params sp;
    if (pi >= 0) {
        if (r->v->pts[pi].stage != 2)
            return svr_fail(r, s2->v.mark.line, "s2ttb names '%s', a stage 1 table", s2->v.sym);
        rc = smmuv3_s2_params_from_pt(&r->pts[pi].pt, 0, &sp);
        if (!rc && oas_bits(r) < (int)sp.ps)
            sp.ps = (unsigned)oas_bits(r);
    }
    unsigned fmt = 0, cdmax = 0;
    if (ci >= 0) {
        fmt = r->cds[ci].ct.fmt;
        cdmax = r->cds[ci].ct.cdmax;
    }
    if (!rc) {
        if (ci >= 0 && pi >= 0)
            rc = smmuv3_ste_nested(img, r->cds[ci].ct.base, fmt, cdmax, &sp);
        else if (ci >= 0)
            rc = smmuv3_ste_s1(img, r->cds[ci].ct.base, fmt, cdmax);
        else if (pi >= 0)
            rc = smmuv3_ste_s2(img, &sp);
        else if (!svr_fields_get(&s->ste, "config"))
            rc = smmuv3_ste_bypass(img);
        else
            img[0] = 1; /* V=1; Config and the rest come from the vector */
    }
    return place_image(r, s->mark.line, rc, &s->ste, img, NULL, NULL, s->sid);
}

