/* SPDX-License-Identifier: MIT */
/*
 * The vector runner: builds what a vector's setup describes with the builders
 * (smmuv3/build.h) in a fresh flat memory, brings an SMMU up through MMIO as a
 * driver does, then runs the steps in order and checks every expectation.
 * Commands and event records go through the queues in memory exactly as
 * software would use them (registers read back, entries written/read).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <smmuv3/build.h>
#include "vec_model.h"

/* Addresses the runner allocates for objects without an explicit base. Vectors
 * should place their own objects outside this window. */
#define AUTO_BASE 0xC0000000ull
#define AUTO_SIZE 0x3F000000ull

#define REG_CMDQ_BASE 0x90
#define REG_CMDQ_PROD 0x98
#define REG_CMDQ_CONS 0x9C
#define REG_EVENTQ_BASE 0xA0
#define REG_EVENTQ_PROD 0x100A8
#define REG_EVENTQ_CONS 0x100AC
#define REG_GERROR 0x60
#define REG_GERRORN 0x64
#define REG_GBPA 0x44
#define REG_CR2 0x2C
#define Q_ADDR_MASK 0x00FFFFFFFFFFFFE0ull

typedef struct rpt {
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_pt pt;
    uint64_t base;
    bool ready;
} rpt;

typedef struct rcd {
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_cdtab ct;
    uint64_t base;
    bool ready;
} rcd;

typedef struct rdev { uint32_t sid; smmuv3_testdev *d; } rdev;

typedef struct R {
    const smmuv3_vector *v;
    FILE *trace;
    smmuv3_vec_result *res;
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *smmu;
    smmuv3_alloc gal;
    smmuv3_space pa;
    smmuv3_alloc stal;
    smmuv3_space stsp;
    smmuv3_strtab st;
    bool have_st;
    rpt *pts;
    rcd *cds;
    smmuv3_driver drv;
    rdev devs[32];
    size_t ndevs;
    size_t step;             /* 1-based while steps run; 0 during setup */
} R;

/* ------------------------------------------------------------ reporting */
static int rfail(R *r, unsigned line, const char *fmt, ...)
{
    smmuv3_vec_result *res = r->res;
    if (res->status != SMMUV3_VEC_PASS)
        return -1;
    res->status = SMMUV3_VEC_FAIL;
    res->failed_step = r->step;
    res->line = line;
    int k;
    if (r->step)
        k = snprintf(res->msg, sizeof(res->msg), "step %zu (line %u, %s): ", r->step, line,
                     r->v->steps[r->step - 1].action);
    else
        k = snprintf(res->msg, sizeof(res->msg), "setup (line %u): ", line);
    if (k < 0 || (size_t)k >= sizeof(res->msg))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->msg + k, sizeof(res->msg) - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static void tr(R *r, const char *fmt, ...)
{
    if (!r->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->trace, fmt, ap);
    va_end(ap);
}

/* "F_TRANSLATION {streamid: 8, inputaddr: 0x...}" */
static void decode_event(const uint8_t rec[32], char *out, size_t len)
{
    const smmuv3_struct *st = smmuv3_struct_find("event");
    const smmuv3_field *idf = smmuv3_field_find(st, "eventid");
    unsigned id = (unsigned)smmuv3_field_get(idf, rec);
    const char *nm = smmuv3_event_name(id);
    size_t k = 0;
    int w = nm ? snprintf(out, len, "%s {", nm) : snprintf(out, len, "event 0x%02x {", id);
    if (w < 0 || (size_t)w >= len)
        return;
    k = (size_t)w;
    bool first = true;
    for (unsigned i = 0; i < st->nfields; i++) {
        const smmuv3_field *f = &st->fields[i];
        if (f == idf || strcmp(f->name, "reason") == 0)
            continue;
        uint64_t v = smmuv3_field_get(f, rec);
        if (!v)
            continue;
        w = snprintf(out + k, len - k, "%s%s: 0x%llx", first ? "" : ", ", f->name, (unsigned long long)v);
        if (w < 0 || (size_t)w >= len - k)
            return;
        k += (size_t)w;
        first = false;
    }
    snprintf(out + k, len - k, "}");
}

/* ------------------------------------------------------------ symbols */
static int find_pt(const smmuv3_vector *v, const char *name)
{
    for (size_t i = 0; i < v->npts; i++)
        if (strcmp(v->pts[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int find_cd(const smmuv3_vector *v, const char *name)
{
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (strcmp(v->cdtabs[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Resolve an expression; *space (when not NULL) gets the address space the
 * address belongs to (an IPA space for objects in one). */
static int resolve(R *r, const sv_expr *e, uint64_t *out, const smmuv3_space **space)
{
    if (space)
        *space = &r->pa;
    if (!e->sym) {
        *out = e->off;
        return 0;
    }
    uint64_t base = 0;
    int i;
    if (strcmp(e->sym, "strtab") == 0) {
        if (!r->have_st)
            return rfail(r, e->mark.line, "no stream table yet for '%s'", e->sym);
        base = r->st.base;
        if (e->has_index) {
            int rc = smmuv3_strtab_ste_addr(&r->st, (uint32_t)e->index, true, &base);
            if (e->index > UINT32_MAX || rc)
                return rfail(r, e->mark.line, "strtab[%llu]: %s", (unsigned long long)e->index,
                             smmuv3_strerror(rc ? rc : SMMUV3_ERANGE));
        }
    } else if (strcmp(e->sym, "cmdq") == 0 || strcmp(e->sym, "eventq") == 0) {
        base = smmuv3_mmio_read(r->smmu, e->sym[0] == 'c' ? REG_CMDQ_BASE : REG_EVENTQ_BASE, 8) & Q_ADDR_MASK;
    } else if (strcmp(e->sym, "cmdq_cons") == 0) {
        uint64_t qb = smmuv3_mmio_read(r->smmu, REG_CMDQ_BASE, 8);
        unsigned lg = (unsigned)(qb & 0x1f) > 19 ? 19 : (unsigned)(qb & 0x1f);
        uint32_t cons = (uint32_t)smmuv3_mmio_read(r->smmu, REG_CMDQ_CONS, 4);
        base = (qb & Q_ADDR_MASK) + 16ull * (cons & ((1u << lg) - 1));
    } else if ((i = find_pt(r->v, e->sym)) >= 0) {
        base = r->pts[i].ready ? r->pts[i].pt.root : r->pts[i].base;
        if (space && r->v->pts[i].space)
            *space = &r->pts[i].sp;
    } else if ((i = find_cd(r->v, e->sym)) >= 0) {
        base = r->cds[i].base;
        if (space && r->v->cdtabs[i].space)
            *space = &r->cds[i].sp;
        if (e->has_index) {
            if (!r->cds[i].ready)
                return rfail(r, e->mark.line, "%s[...] used before the CD table is built", e->sym);
            int rc = e->index > UINT32_MAX ? SMMUV3_ERANGE
                                           : smmuv3_cdtab_cd_addr(&r->cds[i].ct, (uint32_t)e->index, true, &base);
            if (rc)
                return rfail(r, e->mark.line, "%s[%llu]: %s", e->sym, (unsigned long long)e->index,
                             smmuv3_strerror(rc));
        }
    } else {
        return rfail(r, e->mark.line, "unknown name '%s'", e->sym);
    }
    *out = e->neg ? base - e->off : base + e->off;
    return 0;
}

/* Encode a field list into an image (fields of fl->st). */
static int set_fields(R *r, const sv_fields *fl, uint8_t *img)
{
    for (size_t i = 0; i < fl->n; i++) {
        uint64_t val;
        if (resolve(r, &fl->items[i].v, &val, NULL))
            return -1;
        int rc = smmuv3_field_set(fl->items[i].f, img, val);
        if (rc)
            return rfail(r, fl->items[i].v.mark.line, "value 0x%llx does not fit %s.%s",
                         (unsigned long long)val, fl->st->name, fl->items[i].f->name);
    }
    return 0;
}

static const sv_fieldval *fields_get(const sv_fields *fl, const char *name)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->items[i].f->name, name) == 0)
            return &fl->items[i];
    return NULL;
}

/* ------------------------------------------------------------ setup */
static int oas_bits(const R *r) { return (int)smmuv3_get_config(r->smmu)->oas; }

static int reserve(R *r, bool has_base, const sv_expr *be, uint64_t size, uint64_t align, unsigned line,
                   uint64_t *base)
{
    if (has_base)
        return resolve(r, be, base, NULL);
    int rc = smmuv3_alloc_get(&r->gal, size, align, base);
    if (rc)
        return rfail(r, line, "cannot allocate %llu bytes for an object: %s", (unsigned long long)size,
                     smmuv3_strerror(rc));
    return 0;
}

static int setup_strtab(R *r)
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
            return rfail(r, v->streams[i].mark.line, "sid %llu is outside the stream table (log2size %u)",
                         (unsigned long long)v->streams[i].sid, log2);
    if (!v->strtab_2level && log2 > 16)
        return rfail(r, 1, "a linear stream table of 2^%u entries is too large for a vector", log2);
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
        return rfail(r, 1, "cannot build the stream table (log2size %u, split %u, base 0x%llx): %s", log2,
                     v->strtab_split, (unsigned long long)base, smmuv3_strerror(rc));
    r->have_st = true;
    tr(r, "  stream table %s at 0x%llx, log2size %u\n", v->strtab_2level ? "2-level" : "linear",
       (unsigned long long)base, log2);
    return 0;
}

/* Page tables: bases for all first (symbols may point at them), then stage 2
 * tables are built, then stage 1 tables (which may live in a stage 2 IPA space). */
static int reserve_pts(R *r)
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
        if (v->pts[i].has_base && resolve(r, &v->pts[i].base, &r->pts[i].base, NULL))
            return -1;
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (v->cdtabs[i].has_base && resolve(r, &v->cdtabs[i].base, &r->cds[i].base, NULL))
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

static int pt_map_one(R *r, size_t i, const sv_map *m);

static int build_pt(R *r, size_t i)
{
    const sv_pt *p = &r->v->pts[i];
    rpt *rp = &r->pts[i];
    uint64_t g = 1ull << p->gran;
    int rc;
    if (p->space) {
        int j = find_pt(r->v, p->space);
        if (j < 0 || !r->pts[j].ready)
            return rfail(r, p->space_mark.line, "stage 2 table '%s' is not built", p->space);
        rc = smmuv3_space_init_ipa(&rp->sp, &r->host, &rp->al, smmuv3_pt_to_pa, &r->pts[j].pt);
    } else {
        rc = smmuv3_space_init(&rp->sp, &r->host, &rp->al);
    }
    if (!rc)
        rc = smmuv3_alloc_init(&rp->al, rp->base, (uint64_t)p->tables * g + 16 * g);
    unsigned tsz = 64 - p->ias;
    if (!rc) {
        if (p->stage == 1) {
            rc = smmuv3_pt_init_s1(&rp->pt, &rp->sp, p->gran, tsz, rp->base);
        } else {
            int sl0 = -1;
            if (p->start_level >= 0)
                sl0 = (p->gran == 12 ? 2 : 3) - p->start_level;
            if (p->start_level >= 0 && sl0 < 0)
                rc = SMMUV3_EINVAL;
            else
                rc = smmuv3_pt_init_s2(&rp->pt, &rp->sp, p->gran, tsz, sl0, rp->base);
        }
    }
    if (rc)
        return rfail(r, p->mark.line, "cannot create page table '%s' (stage %d, granule %lluK, ias %u%s): %s",
                     p->name, p->stage, (unsigned long long)(g >> 10), p->ias,
                     p->start_level >= 0 ? ", start_level given" : "", smmuv3_strerror(rc));
    /* intermediate tables follow the root(s) in the table pool */
    uint64_t rootsz = (uint64_t)(p->stage == 2 ? rp->pt.concat : 1) * g;
    rc = smmuv3_alloc_init(&rp->al, rp->base + rootsz, (uint64_t)p->tables * g);
    if (rc)
        return rfail(r, p->mark.line, "page table '%s': %s", p->name, smmuv3_strerror(rc));
    if (oas_bits(r) > 48)
        rp->pt.oa_bits = (unsigned)oas_bits(r);
    rp->ready = true;
    for (size_t k = 0; k < p->nmaps; k++)
        if (pt_map_one(r, i, &p->maps[k]))
            return -1;
    tr(r, "  page table %s: stage %d, %lluK granule, ias %u, root 0x%llx, start level %u\n", p->name, p->stage,
       (unsigned long long)(g >> 10), p->ias, (unsigned long long)rp->pt.root, rp->pt.start_level);
    return 0;
}

static int pt_map_one(R *r, size_t i, const sv_map *m)
{
    const sv_pt *p = &r->v->pts[i];
    rpt *rp = &r->pts[i];
    uint64_t g = 1ull << p->gran;
    int rc;
    {
        uint64_t in, out;
        if (resolve(r, &m->in, &in, NULL) || resolve(r, &m->out, &out, NULL))
            return -1;
        uint64_t size = m->size ? m->size : g;
        int sh = m->sh >= 0 ? m->sh : 3;
        int av = p->stage == 1 ? (m->attrindx >= 0 ? m->attrindx : 0) : (m->memattr >= 0 ? m->memattr : 0xF);
        uint32_t attrs = SMMUV3_ATTR(av, sh);
        rc = smmuv3_pt_map(&rp->pt, in, out, size, map_flags(p, m), attrs);
        if (rc)
            return rfail(r, m->mark.line, "cannot map 0x%llx -> 0x%llx (size 0x%llx) in '%s': %s%s",
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
                    return rfail(r, m->mark.line, "cannot adjust the descriptor of 0x%llx in '%s': %s",
                                 (unsigned long long)a, p->name, smmuv3_strerror(rc));
                uint64_t ls = smmuv3_pt_level_size(&rp->pt, level);
                if (!ls)
                    break;
                a = (a & ~(ls - 1)) + ls;
            }
        }
        tr(r, "    %s: map 0x%llx -> 0x%llx size 0x%llx\n", p->name, (unsigned long long)in, (unsigned long long)out,
           (unsigned long long)size);
    }
    return 0;
}

static int build_cdtab(R *r, size_t i)
{
    const sv_cdtab *c = &r->v->cdtabs[i];
    rcd *rc_ = &r->cds[i];
    int rc;
    if (c->space) {
        int j = find_pt(r->v, c->space);
        if (j < 0 || !r->pts[j].ready)
            return rfail(r, c->space_mark.line, "stage 2 table '%s' is not built", c->space);
        rc = smmuv3_space_init_ipa(&rc_->sp, &r->host, &rc_->al, smmuv3_pt_to_pa, &r->pts[j].pt);
    } else {
        rc = smmuv3_space_init(&rc_->sp, &r->host, &rc_->al);
    }
    uint64_t l1size = c->two_level ? 8ull << (c->log2size > c->leaf ? c->log2size - c->leaf : 0)
                                   : 64ull << c->log2size;
    uint64_t leafsz = 64ull << c->leaf;
    if (!rc)
        rc = smmuv3_alloc_init(&rc_->al, (rc_->base + l1size + leafsz - 1) & ~(leafsz - 1), 17 * leafsz + leafsz);
    unsigned fmt = !c->two_level ? SMMUV3_S1FMT_LINEAR : c->leaf == 6 ? SMMUV3_S1FMT_2L_4K : SMMUV3_S1FMT_2L_64K;
    if (!rc)
        rc = smmuv3_cdtab_init(&rc_->ct, &rc_->sp, fmt, c->log2size, rc_->base);
    if (rc)
        return rfail(r, c->mark.line, "cannot create CD table '%s' at 0x%llx: %s", c->name,
                     (unsigned long long)rc_->base, smmuv3_strerror(rc));
    rc_->ready = true;
    for (size_t k = 0; k < c->ncds; k++) {
        const sv_cd *cd = &c->cds[k];
        smmuv3_cd_params cp;
        memset(&cp, 0, sizeof(cp));
        cp.t0sz = 16;
        cp.granule = 12;
        cp.ips = (unsigned)oas_bits(r);
        const sv_fieldval *t0 = fields_get(&cd->f, "ttb0"), *t1 = fields_get(&cd->f, "ttb1");
        int j;
        if (t0 && t0->v.sym && (j = find_pt(r->v, t0->v.sym)) >= 0 && !t0->v.has_index && !t0->v.off) {
            rc = smmuv3_cd_params_from_pt(&r->pts[j].pt, 0, &cp);
            if (!rc && r->v->pts[j].stage != 1)
                return rfail(r, t0->v.mark.line, "ttb0 names '%s', a stage 2 table", t0->v.sym);
            cp.ips = (unsigned)oas_bits(r);
        }
        if (!rc && t1 && t1->v.sym && (j = find_pt(r->v, t1->v.sym)) >= 0 && !t1->v.has_index) {
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
        if (rc)
            return rfail(r, cd->mark.line, "cannot build the CD for ssid %llu: %s", (unsigned long long)cd->ssid,
                         smmuv3_strerror(rc));
        if (set_fields(r, &cd->f, img))
            return -1;
        rc = smmuv3_cdtab_write_cd(&rc_->ct, (uint32_t)cd->ssid, img);
        if (rc)
            return rfail(r, cd->mark.line, "cannot write the CD for ssid %llu in '%s': %s",
                         (unsigned long long)cd->ssid, c->name, smmuv3_strerror(rc));
    }
    tr(r, "  CD table %s: %s, log2size %u, at 0x%llx\n", c->name, c->two_level ? "2-level" : "linear", c->log2size,
       (unsigned long long)rc_->base);
    return 0;
}

static int build_ste(R *r, const sv_stream *s)
{
    uint8_t img[64];
    memset(img, 0, sizeof(img));
    const sv_fieldval *ctx = fields_get(&s->ste, "s1contextptr"), *s2 = fields_get(&s->ste, "s2ttb");
    int ci = ctx && ctx->v.sym ? find_cd(r->v, ctx->v.sym) : -1;
    int pi = s2 && s2->v.sym ? find_pt(r->v, s2->v.sym) : -1;
    int rc = 0;
    smmuv3_s2_params sp;
    if (pi >= 0) {
        if (r->v->pts[pi].stage != 2)
            return rfail(r, s2->v.mark.line, "s2ttb names '%s', a stage 1 table", s2->v.sym);
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
        else if (!fields_get(&s->ste, "config"))
            rc = smmuv3_ste_bypass(img);
        else
            img[0] = 1; /* V=1; Config and the rest come from the vector */
    }
    if (rc)
        return rfail(r, s->mark.line, "cannot build the STE of sid %llu: %s", (unsigned long long)s->sid,
                     smmuv3_strerror(rc));
    if (set_fields(r, &s->ste, img))
        return -1;
    rc = smmuv3_strtab_write_ste(&r->st, (uint32_t)s->sid, img);
    if (rc)
        return rfail(r, s->mark.line, "cannot write the STE of sid %llu: %s", (unsigned long long)s->sid,
                     smmuv3_strerror(rc));
    return 0;
}

/* The address of a memory entry: addr, or a descriptor of a page table. */
static int mem_addr(R *r, const sv_mem *m, uint64_t *a, const smmuv3_space **sp)
{
    if (!m->has_desc)
        return resolve(r, &m->addr, a, sp);
    int i = find_pt(r->v, m->dtable);
    if (i < 0 || !r->pts[i].ready)
        return rfail(r, m->dmark.line, "unknown page table '%s'", m->dtable);
    int rc = smmuv3_pt_desc_addr(&r->pts[i].pt, m->diova, m->dlevel, true, a);
    if (rc)
        return rfail(r, m->dmark.line, "no level %u descriptor for 0x%llx in '%s': %s", m->dlevel,
                     (unsigned long long)m->diova, m->dtable, smmuv3_strerror(rc));
    *sp = &r->pts[i].sp;
    return 0;
}

static int mem_write(R *r, const sv_mem *m)
{
    uint64_t a;
    const smmuv3_space *sp;
    if (mem_addr(r, m, &a, &sp))
        return -1;
    int rc = 0;
    uint8_t buf[64];
    switch (m->kind) {
    case SV_MEM_VALUE: {
        uint64_t val;
        if (resolve(r, &m->value, &val, NULL))
            return -1;
        for (unsigned i = 0; i < 8; i++)
            buf[i] = (uint8_t)(val >> (8 * i));
        rc = smmuv3_space_write(sp, a, buf, m->size);
        break;
    }
    case SV_MEM_BYTES:
        rc = smmuv3_space_write(sp, a, m->bytes, m->nbytes);
        break;
    case SV_MEM_STRUCT:
        memset(buf, 0, sizeof(buf));
        if (set_fields(r, &m->fields, buf))
            return -1;
        rc = smmuv3_space_write(sp, a, buf, m->fields.st->size);
        break;
    case SV_MEM_ABORT:
        rc = smmuv3_mem_add_abort(r->mem, a, m->len);
        break;
    }
    if (rc)
        return rfail(r, m->mark.line, "memory write at 0x%llx failed: %s", (unsigned long long)a, smmuv3_strerror(rc));
    tr(r, "    memory write at 0x%llx\n", (unsigned long long)a);
    return 0;
}

static int mmio_value(R *r, const sv_mmio *m, uint64_t *val)
{
    if (m->has_value)
        return resolve(r, &m->value, val, NULL);
    uint8_t img[8] = { 0 };
    if (set_fields(r, &m->fields, img))
        return -1;
    *val = 0;
    for (unsigned i = 0; i < 8; i++)
        *val |= (uint64_t)img[i] << (8 * i);
    return 0;
}

static int mmio_write(R *r, const sv_mmio *m)
{
    uint64_t val;
    if (mmio_value(r, m, &val))
        return -1;
    smmuv3_mmio_write(r->smmu, m->offset, val, m->size);
    tr(r, "    mmio write %s (0x%llx) = 0x%llx\n", m->reg ? m->reg->name : "?", (unsigned long long)m->offset,
       (unsigned long long)val);
    return 0;
}

static int setup(R *r)
{
    const smmuv3_vector *v = r->v;
    r->mem = smmuv3_mem_new();
    if (!r->mem)
        return rfail(r, 1, "out of memory");
    smmuv3_host_from_mem(&r->host, r->mem);
    int rc = smmuv3_new(&v->cfg, &r->host, &r->smmu);
    if (rc)
        return rfail(r, 1, "smmuv3_new failed: %s", smmuv3_strerror(rc));
    if (smmuv3_alloc_init(&r->gal, AUTO_BASE, AUTO_SIZE) || smmuv3_space_init(&r->pa, &r->host, &r->gal))
        return rfail(r, 1, "allocator setup failed");
    r->pts = calloc(v->npts ? v->npts : 1, sizeof(*r->pts));
    r->cds = calloc(v->ncdtabs ? v->ncdtabs : 1, sizeof(*r->cds));
    if (!r->pts || !r->cds)
        return rfail(r, 1, "out of memory");
    if (setup_strtab(r) || reserve_pts(r))
        return -1;
    for (int stage = 2; stage >= 1; stage--)
        for (size_t i = 0; i < v->npts; i++)
            if (v->pts[i].stage == stage && build_pt(r, i))
                return -1;
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (build_cdtab(r, i))
            return -1;
    for (size_t i = 0; i < v->nstreams; i++)
        if (build_ste(r, &v->streams[i]))
            return -1;
    if (v->bringup) {
        smmuv3_driver_cfg dc;
        smmuv3_driver_cfg_default(&dc);
        dc.cmdq_log2 = v->cmdq_log2;
        dc.eventq_log2 = v->eventq_log2;
        dc.no_eventq = !v->eventq_en;
        dc.no_smmuen = !v->smmuen;
        if (v->has_cr2)
            dc.cr2 = v->cr2;
        if (v->has_gbpa) {
            smmuv3_mmio_write(r->smmu, REG_GBPA, v->gbpa | 0x80000000u, 4);
            tr(r, "  GBPA = 0x%x (update)\n", v->gbpa);
        }
        rc = smmuv3_driver_init(&r->drv, r->smmu, &r->pa, &r->st, &dc);
        if (rc)
            return rfail(r, 1, "driver bring-up failed: %s (CMDQ_CONS.ERR %u, GERROR active 0x%x)",
                         smmuv3_strerror(rc), r->drv.cerror, r->drv.gerror);
        tr(r, "  SMMU up: cmdq 0x%llx (2^%u), eventq 0x%llx (2^%u)%s\n", (unsigned long long)r->drv.cmdq_base,
           r->drv.cmdq_log2, (unsigned long long)r->drv.eventq_base, r->drv.eventq_log2,
           v->smmuen ? ", SMMUEN" : ", SMMUEN clear");
    }
    for (size_t i = 0; i < v->nmem; i++)
        if (mem_write(r, &v->mem[i]))
            return -1;
    for (size_t i = 0; i < v->nmmio; i++)
        if (mmio_write(r, &v->mmio[i]))
            return -1;
    return 0;
}

/* ------------------------------------------------------------ queues */
typedef struct qstate { uint64_t base; unsigned log2; uint32_t prod, cons; } qstate;

static void q_read(R *r, bool cmdq, qstate *q)
{
    uint64_t b = smmuv3_mmio_read(r->smmu, cmdq ? REG_CMDQ_BASE : REG_EVENTQ_BASE, 8);
    q->base = b & Q_ADDR_MASK;
    q->log2 = (unsigned)(b & 0x1f);
    if (q->log2 > 19)
        q->log2 = 19;
    q->prod = (uint32_t)smmuv3_mmio_read(r->smmu, cmdq ? REG_CMDQ_PROD : REG_EVENTQ_PROD, 4);
    q->cons = (uint32_t)smmuv3_mmio_read(r->smmu, cmdq ? REG_CMDQ_CONS : REG_EVENTQ_CONS, 4);
}

static uint32_t q_wrapmask(const qstate *q) { return (2u << q->log2) - 1; }
static uint32_t q_used(const qstate *q) { return ((q->prod & q_wrapmask(q)) - (q->cons & q_wrapmask(q))) & q_wrapmask(q); }

static int do_commands(R *r, const sv_step *s)
{
    qstate q;
    q_read(r, true, &q);
    uint32_t prod = q.prod & q_wrapmask(&q);
    for (size_t i = 0; i < s->ncmds; i++) {
        const sv_cmd *c = &s->cmds[i];
        uint8_t img[16];
        memset(img, 0, sizeof(img));
        if (c->raw) {
            for (unsigned k = 0; k < 8; k++) {
                img[k] = (uint8_t)(c->rawv[0] >> (8 * k));
                img[8 + k] = (uint8_t)(c->rawv[1] >> (8 * k));
            }
        } else {
            img[0] = (uint8_t)c->opcode;
            if (set_fields(r, &c->fields, img))
                return -1;
        }
        qstate t = q;
        t.prod = prod;
        if (q_used(&t) >= (1u << q.log2))
            return rfail(r, c->mark.line, "the command queue is full (2^%u entries; CONS 0x%x)", q.log2, q.cons);
        uint64_t a = q.base + 16ull * (prod & ((1u << q.log2) - 1));
        int rc = smmuv3_mem_write(r->mem, a, img, 16);
        if (rc == SMMUV3_EABORT)
            tr(r, "    (the write of the command at 0x%llx aborted: the slot is in an abort range)\n",
               (unsigned long long)a);
        else if (rc)
            return rfail(r, c->mark.line, "cannot write the command at 0x%llx: %s", (unsigned long long)a,
                         smmuv3_strerror(rc));
        const char *nm = smmuv3_command_name(img[0]);
        tr(r, "    %s at 0x%llx\n", nm ? nm : "(raw command)", (unsigned long long)a);
        prod = (prod + 1) & q_wrapmask(&q);
    }
    smmuv3_mmio_write(r->smmu, REG_CMDQ_PROD, prod, 4);
    uint32_t cons = (uint32_t)smmuv3_mmio_read(r->smmu, REG_CMDQ_CONS, 4);
    tr(r, "    CMDQ_PROD 0x%x, CMDQ_CONS 0x%x (ERR %u)\n", prod, cons, (cons >> 24) & 0x7f);
    return 0;
}

static int event_read(R *r, const qstate *q, uint32_t idx, uint8_t rec[32])
{
    uint64_t a = q->base + 32ull * (idx & ((1u << q->log2) - 1));
    return smmuv3_mem_read(r->mem, a, rec, 32);
}

static void events_consume(R *r, const qstate *q)
{
    uint32_t cons = (q->prod & q_wrapmask(q)) | (q->prod & 0x80000000u);
    smmuv3_mmio_write(r->smmu, REG_EVENTQ_CONS, cons, 4);
}

/* Compare a record with expected fields; 0 or a description of the mismatch in why. */
static int record_match(R *r, const sv_fields *exp, const uint8_t *rec, char *why, size_t wl)
{
    for (size_t i = 0; i < exp->n; i++) {
        uint64_t want;
        if (resolve(r, &exp->items[i].v, &want, NULL))
            return -1;
        uint64_t got = smmuv3_field_get(exp->items[i].f, rec);
        if (got != want) {
            if (strcmp(exp->items[i].f->name, "eventid") == 0) {
                const char *wn = smmuv3_event_name((unsigned)want), *gn = smmuv3_event_name((unsigned)got);
                snprintf(why, wl, "eventid: expected %s, got %s", wn ? wn : "?", gn ? gn : "?");
            } else {
                snprintf(why, wl, "%s: expected 0x%llx, got 0x%llx", exp->items[i].f->name,
                         (unsigned long long)want, (unsigned long long)got);
            }
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ steps */
static const char *outcome_names[] = { "ok", "abort", "razwi", "stall" };

static void perm_str(unsigned p, char out[8])
{
    size_t k = 0;
    if (p & SMMUV3_PERM_R)
        out[k++] = 'r';
    if (p & SMMUV3_PERM_W)
        out[k++] = 'w';
    if (p & SMMUV3_PERM_X)
        out[k++] = 'x';
    if (!k) {
        strcpy(out, "none");
        return;
    }
    out[k] = '\0';
}

static int do_translate(R *r, const sv_step *s)
{
    const sv_xlate *x = &s->x;
    qstate q0;
    q_read(r, false, &q0);
    smmuv3_txn t = { .sid = (uint32_t)x->sid, .ssid = (uint32_t)x->ssid, .ssv = x->ssv, .addr = x->iova,
                     .flags = x->flags };
    smmuv3_result res;
    int rc = smmuv3_translate(r->smmu, &t, &res);
    qstate q1;
    q_read(r, false, &q1);
    uint32_t newrec = q_used(&q1);
    char got[768];
    char perm[8];
    perm_str(res.perm, perm);
    const char *fn = res.fault ? smmuv3_event_name(res.fault) : NULL;
    if (rc < 0)
        return rfail(r, s->mark.line, "smmuv3_translate returned %d (%s)", rc, smmuv3_strerror(rc));
    snprintf(got, sizeof(got), "outcome %s, pa 0x%llx, size 0x%llx, perm %s, memattr 0x%02x, sh %u%s%s%s",
             rc < 4 ? outcome_names[rc] : "?", (unsigned long long)res.pa, (unsigned long long)res.size, perm,
             res.attrs.memattr, res.attrs.sh, res.bypass ? ", bypass" : "", fn ? ", fault " : "", fn ? fn : "");
    if (newrec) {
        uint8_t rec[32];
        char dec[512];
        if (!event_read(r, &q1, q1.cons, rec)) {
            decode_event(rec, dec, sizeof(dec));
            size_t k = strlen(got);
            snprintf(got + k, sizeof(got) - k, "; event queue: %s%s", dec, newrec > 1 ? " (and more)" : "");
        }
    }
    tr(r, "    translate sid %llu%s iova 0x%llx: %s\n", (unsigned long long)x->sid, x->ssv ? " (ssid)" : "",
       (unsigned long long)x->iova, got);
    if (x->outcome >= 0 && rc != x->outcome)
        return rfail(r, s->mark.line, "expected outcome %s%s%s, got %s", outcome_names[x->outcome],
                     x->fault >= 0 ? " with fault " : "", x->fault >= 0 ? smmuv3_event_name((unsigned)x->fault) : "",
                     got);
    if (x->fault >= 0 && res.fault != x->fault)
        return rfail(r, s->mark.line, "expected fault %s, got %s", smmuv3_event_name((unsigned)x->fault), got);
    if (x->has_pa) {
        uint64_t pa;
        if (resolve(r, &x->pa, &pa, NULL))
            return -1;
        if (res.pa != pa)
            return rfail(r, s->mark.line, "expected pa 0x%llx, got %s", (unsigned long long)pa, got);
    }
    if (x->has_size && res.size != x->size)
        return rfail(r, s->mark.line, "expected size 0x%llx, got %s", (unsigned long long)x->size, got);
    if (x->has_perm && res.perm != x->perm) {
        char want[8];
        perm_str(x->perm, want);
        return rfail(r, s->mark.line, "expected perm %s, got %s", want, got);
    }
    if (x->memattr >= 0 && res.attrs.memattr != x->memattr)
        return rfail(r, s->mark.line, "expected memattr 0x%02x, got %s", x->memattr, got);
    if (x->sh >= 0 && res.attrs.sh != x->sh)
        return rfail(r, s->mark.line, "expected sh %d, got %s", x->sh, got);
    if (x->bypass >= 0 && res.bypass != (x->bypass != 0))
        return rfail(r, s->mark.line, "expected bypass %s, got %s", x->bypass ? "true" : "false", got);
    if (x->event_mode == SV_EV_NONE && q1.prod != q0.prod)
        return rfail(r, s->mark.line, "expected no event record, got %s", got);
    if (x->event_mode == SV_EV_RECORD) {
        if (newrec != 1)
            return rfail(r, s->mark.line, "expected exactly one pending event record, found %u (%s)", newrec, got);
        uint8_t rec[32];
        if (event_read(r, &q1, q1.cons, rec))
            return rfail(r, s->mark.line, "cannot read the event queue");
        char why[256];
        int m = record_match(r, &x->event, rec, why, sizeof(why));
        if (m < 0)
            return -1;
        if (m) {
            char dec[512];
            decode_event(rec, dec, sizeof(dec));
            return rfail(r, x->expect_mark.line, "event record: %s; record: %s", why, dec);
        }
        events_consume(r, &q1);
    }
    return 0;
}

static smmuv3_testdev *dev_for(R *r, uint64_t sid)
{
    for (size_t i = 0; i < r->ndevs; i++)
        if (r->devs[i].sid == sid)
            return r->devs[i].d;
    if (r->ndevs == sizeof(r->devs) / sizeof(r->devs[0]))
        return NULL;
    smmuv3_testdev *d = smmuv3_testdev_new(r->smmu, &r->host, (uint32_t)sid);
    if (!d)
        return NULL;
    r->devs[r->ndevs].sid = (uint32_t)sid;
    r->devs[r->ndevs++].d = d;
    return d;
}

static int do_dma(R *r, const sv_step *s)
{
    const sv_dma *d = &s->dma;
    smmuv3_testdev *dev = dev_for(r, d->sid);
    if (!dev)
        return rfail(r, s->mark.line, "cannot create the test device for sid %llu", (unsigned long long)d->sid);
    uint64_t iova, gpa;
    if (resolve(r, &d->iova, &iova, NULL))
        return -1;
    gpa = iova;
    if (d->has_gpa && resolve(r, &d->gpa, &gpa, NULL))
        return -1;
    smmuv3_testdev_write(dev, 0x04, (uint32_t)iova);
    smmuv3_testdev_write(dev, 0x08, (uint32_t)(iova >> 32));
    smmuv3_testdev_write(dev, 0x0C, (uint32_t)d->len);
    smmuv3_testdev_write(dev, 0x18, (uint32_t)d->attrs);
    smmuv3_testdev_write(dev, 0x1C, (uint32_t)gpa);
    smmuv3_testdev_write(dev, 0x20, (uint32_t)(gpa >> 32));
    smmuv3_testdev_write(dev, 0x40, d->ssv ? (uint32_t)d->ssid | 0x80000000u : 0);
    smmuv3_testdev_write(dev, 0x44, d->txn_attrs);
    if (d->arm)
        smmuv3_testdev_write(dev, 0x14, 1);
    (void)smmuv3_testdev_read(dev, 0x00);
    uint32_t result = smmuv3_testdev_read(dev, 0x10);
    qstate q;
    q_read(r, false, &q);
    char ev[600] = "";
    if (q_used(&q)) {
        uint8_t rec[32];
        char dec[512];
        if (!event_read(r, &q, q.cons, rec)) {
            decode_event(rec, dec, sizeof(dec));
            snprintf(ev, sizeof(ev), "; event queue: %s", dec);
        }
    }
    tr(r, "    dma sid %llu iova 0x%llx len %llu gpa 0x%llx: RESULT 0x%08x%s\n", (unsigned long long)d->sid,
       (unsigned long long)iova, (unsigned long long)d->len, (unsigned long long)gpa, result, ev);
    if (d->result >= 0 && result != (uint32_t)d->result)
        return rfail(r, s->mark.line, "expected RESULT 0x%08x, got 0x%08x%s", (uint32_t)d->result, result, ev);
    return 0;
}

static int do_mem_read(R *r, const sv_step *s)
{
    const sv_mem *m = &s->mem;
    uint64_t a;
    const smmuv3_space *sp;
    if (mem_addr(r, m, &a, &sp))
        return -1;
    uint8_t buf[4096];
    size_t len = m->kind == SV_MEM_STRUCT ? m->fields.st->size : m->kind == SV_MEM_BYTES ? m->len : m->size;
    int rc = smmuv3_space_read(sp, a, buf, len);
    if (rc)
        return rfail(r, s->mark.line, "cannot read memory at 0x%llx: %s", (unsigned long long)a, smmuv3_strerror(rc));
    if (m->kind == SV_MEM_STRUCT) {
        char why[256];
        int k = record_match(r, &m->fields, buf, why, sizeof(why));
        if (k < 0)
            return -1;
        if (k)
            return rfail(r, s->mark.line, "%s at 0x%llx: %s", m->fields.st->name, (unsigned long long)a, why);
        return 0;
    }
    if (m->kind == SV_MEM_BYTES) {
        for (size_t i = 0; i < len; i++)
            if (buf[i] != m->bytes[i])
                return rfail(r, s->mark.line, "byte at 0x%llx: expected 0x%02x, got 0x%02x",
                             (unsigned long long)(a + i), m->bytes[i], buf[i]);
        return 0;
    }
    uint64_t want, got = 0;
    if (resolve(r, &m->value, &want, NULL))
        return -1;
    for (unsigned i = 0; i < m->size; i++)
        got |= (uint64_t)buf[i] << (8 * i);
    if (got != want)
        return rfail(r, s->mark.line, "memory at 0x%llx (%u bytes): expected 0x%llx, got 0x%llx",
                     (unsigned long long)a, m->size, (unsigned long long)want, (unsigned long long)got);
    return 0;
}

static int do_mmio_read(R *r, const sv_step *s)
{
    const sv_mmio *m = &s->mmio;
    uint64_t got = smmuv3_mmio_read(r->smmu, m->offset, m->size);
    const char *nm = m->reg ? m->reg->name : "register";
    tr(r, "    mmio read %s (0x%llx) = 0x%llx\n", nm, (unsigned long long)m->offset, (unsigned long long)got);
    if (m->has_value) {
        uint64_t want;
        if (resolve(r, &m->value, &want, NULL))
            return -1;
        if (got != want)
            return rfail(r, s->mark.line, "%s: expected 0x%llx, got 0x%llx", nm, (unsigned long long)want,
                         (unsigned long long)got);
        return 0;
    }
    uint8_t img[8];
    for (unsigned i = 0; i < 8; i++)
        img[i] = (uint8_t)(got >> (8 * i));
    char why[256];
    int k = record_match(r, &m->fields, img, why, sizeof(why));
    if (k < 0)
        return -1;
    if (k)
        return rfail(r, s->mark.line, "%s = 0x%llx: %s", nm, (unsigned long long)got, why);
    return 0;
}

static int do_events(R *r, const sv_step *s)
{
    const sv_events *e = &s->ev;
    qstate q;
    q_read(r, false, &q);
    uint32_t n = q_used(&q);
    bool ovf = ((q.prod ^ q.cons) & 0x80000000u) != 0;
    char list[1536] = "";
    size_t k = 0;
    for (uint32_t i = 0; i < n && i < 4; i++) {
        uint8_t rec[32];
        char dec[512];
        if (event_read(r, &q, q.cons + i, rec))
            break;
        decode_event(rec, dec, sizeof(dec));
        int w = snprintf(list + k, sizeof(list) - k, "%s%s", i ? "; " : "", dec);
        if (w < 0 || (size_t)w >= sizeof(list) - k)
            break;
        k += (size_t)w;
    }
    if (n > 4 && k + 16 < sizeof(list))
        snprintf(list + k, sizeof(list) - k, "; ...");
    tr(r, "    event queue: %u record(s)%s%s%s\n", n, ovf ? ", overflow" : "", n ? ": " : "", list);
    if (e->count >= 0 && (int64_t)n != e->count)
        return rfail(r, s->mark.line, "expected %lld event record(s), found %u%s%s", (long long)e->count, n,
                     n ? ": " : "", list);
    if (e->overflow >= 0 && ovf != (e->overflow != 0))
        return rfail(r, s->mark.line, "expected overflow %s, EVENTQ_PROD.OVFLG vs CONS.OVACKFLG says %s",
                     e->overflow ? "true" : "false", ovf ? "true" : "false");
    if (e->nrecords > n)
        return rfail(r, s->mark.line, "expected %zu record(s), found %u%s%s", e->nrecords, n, n ? ": " : "", list);
    for (size_t i = 0; i < e->nrecords; i++) {
        uint8_t rec[32];
        if (event_read(r, &q, q.cons + (uint32_t)i, rec))
            return rfail(r, s->mark.line, "cannot read the event queue");
        char why[256];
        int m = record_match(r, &e->records[i], rec, why, sizeof(why));
        if (m < 0)
            return -1;
        if (m) {
            char dec[512];
            decode_event(rec, dec, sizeof(dec));
            return rfail(r, s->mark.line, "record %zu: %s; record: %s", i + 1, why, dec);
        }
    }
    events_consume(r, &q);
    return 0;
}

static const char *gerror_names(uint32_t m, char *out, size_t len)
{
    const smmuv3_struct *g = smmuv3_struct_find("gerror");
    size_t k = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < g->nfields; i++)
        if (m & (1u << g->fields[i].lsb)) {
            int w = snprintf(out + k, len - k, "%s%s", k ? ", " : "", g->fields[i].name);
            if (w < 0 || (size_t)w >= len - k)
                break;
            k += (size_t)w;
        }
    if (!k)
        snprintf(out, len, "none");
    return out;
}

static int run_step(R *r, const sv_step *s)
{
    switch (s->kind) {
    case SV_STEP_MMIO_WRITE:
        return mmio_write(r, &s->mmio);
    case SV_STEP_MMIO_READ:
        return do_mmio_read(r, s);
    case SV_STEP_COMMANDS:
        return do_commands(r, s);
    case SV_STEP_MEM_WRITE:
        return mem_write(r, &s->mem);
    case SV_STEP_MEM_READ:
        return do_mem_read(r, s);
    case SV_STEP_TRANSLATE:
        return do_translate(r, s);
    case SV_STEP_DMA:
        return do_dma(r, s);
    case SV_STEP_DEV_WRITE: {
        smmuv3_testdev *d = dev_for(r, s->dev_sid);
        if (!d)
            return rfail(r, s->mark.line, "cannot create the test device");
        smmuv3_testdev_write(d, s->dev_off, (uint32_t)s->dev_val);
        return 0;
    }
    case SV_STEP_DEV_READ: {
        smmuv3_testdev *d = dev_for(r, s->dev_sid);
        if (!d)
            return rfail(r, s->mark.line, "cannot create the test device");
        uint32_t got = smmuv3_testdev_read(d, s->dev_off);
        tr(r, "    testdev read 0x%llx = 0x%08x\n", (unsigned long long)s->dev_off, got);
        if (got != (uint32_t)s->dev_val)
            return rfail(r, s->mark.line, "test device register 0x%llx: expected 0x%08x, got 0x%08x",
                         (unsigned long long)s->dev_off, (uint32_t)s->dev_val, got);
        return 0;
    }
    case SV_STEP_EVENTS:
        return do_events(r, s);
    case SV_STEP_GERROR: {
        uint32_t act = (uint32_t)(smmuv3_mmio_read(r->smmu, REG_GERROR, 4) ^ smmuv3_mmio_read(r->smmu, REG_GERRORN, 4));
        char a[256], b[256];
        tr(r, "    GERROR active: %s\n", gerror_names(act, a, sizeof(a)));
        if (act != s->gerror_mask)
            return rfail(r, s->mark.line, "expected active GERROR [%s], got [%s]",
                         gerror_names(s->gerror_mask, b, sizeof(b)), gerror_names(act, a, sizeof(a)));
        return 0;
    }
    case SV_STEP_CMDQ_ERROR: {
        uint32_t cons = (uint32_t)smmuv3_mmio_read(r->smmu, REG_CMDQ_CONS, 4);
        unsigned err = (cons >> 24) & 0x7f;
        static const char *const ce[] = { "none", "ILL", "ABT", "ATC_INV_SYNC" };
        tr(r, "    CMDQ_CONS 0x%x (ERR %u)\n", cons, err);
        if (err != s->cerror)
            return rfail(r, s->mark.line, "expected CMDQ_CONS.ERR %s, got %s (CMDQ_CONS 0x%x)",
                         s->cerror < 4 ? ce[s->cerror] : "?", err < 4 ? ce[err] : "?", cons);
        return 0;
    }
    case SV_STEP_MAP:
    case SV_STEP_UNMAP: {
        int i = find_pt(r->v, s->table);
        if (i < 0 || !r->pts[i].ready)
            return rfail(r, s->mark.line, "unknown page table '%s'", s->table);
        if (s->kind == SV_STEP_MAP) {
            return pt_map_one(r, (size_t)i, &s->map);
        }
        uint64_t in;
        if (resolve(r, &s->map.in, &in, NULL))
            return -1;
        uint64_t size = s->map.size ? s->map.size : 1ull << r->v->pts[i].gran;
        int rc = smmuv3_pt_unmap(&r->pts[i].pt, in, size);
        if (rc)
            return rfail(r, s->mark.line, "cannot unmap 0x%llx size 0x%llx in '%s': %s", (unsigned long long)in,
                         (unsigned long long)size, s->table, smmuv3_strerror(rc));
        return 0;
    }
    case SV_STEP_GERROR_ACK: {
        uint64_t g = smmuv3_mmio_read(r->smmu, REG_GERROR, 4);
        smmuv3_mmio_write(r->smmu, REG_GERRORN, g, 4);
        return 0;
    }
    default:
        return rfail(r, s->mark.line, "unknown step kind");
    }
}

int smmuv3_vec_run(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res)
{
    if (!res)
        return SMMUV3_VEC_ERROR;
    memset(res, 0, sizeof(*res));
    if (!v) {
        res->status = SMMUV3_VEC_ERROR;
        snprintf(res->msg, sizeof(res->msg), "no vector");
        return res->status;
    }
    R r;
    memset(&r, 0, sizeof(r));
    r.v = v;
    r.trace = trace;
    r.res = res;
    tr(&r, "%s: setup\n", v->name);
    if (setup(&r) == 0) {
        for (size_t i = 0; i < v->nsteps; i++) {
            r.step = i + 1;
            const sv_step *s = &v->steps[i];
            tr(&r, "  step %zu (line %u): %s%s%s\n", i + 1, s->mark.line, s->action, s->note ? " - " : "",
               s->note ? s->note : "");
            if (run_step(&r, s))
                break;
            res->steps_run = i + 1;
        }
    }
    for (size_t i = 0; i < r.ndevs; i++)
        smmuv3_testdev_free(r.devs[i].d);
    smmuv3_free(r.smmu);
    smmuv3_mem_free(r.mem);
    free(r.pts);
    free(r.cds);
    return res->status;
}
