/* SPDX-License-Identifier: MIT */
/* Symbols (strtab, cmdq, table names) and the setup section: memory, MMIO,
 * the SMMU brought up as a driver would. */
#include <stdlib.h>
#include <string.h>
#include "run_int.h"

int svr_find_pt(const smmuv3_vector *v, const char *name)
{
    for (size_t i = 0; i < v->npts; i++)
        if (strcmp(v->pts[i].name, name) == 0)
            return (int)i;
    return -1;
}

int svr_find_cd(const smmuv3_vector *v, const char *name)
{
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (strcmp(v->cdtabs[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* Resolve an expression; *space (when not NULL) gets the address space the
 * address belongs to (an IPA space for objects in one). */
int svr_resolve(R *r, const sv_expr *e, uint64_t *out, const smmuv3_space **space)
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
            return svr_fail(r, e->mark.line, "no stream table yet for '%s'", e->sym);
        base = r->st.base;
        if (e->has_index) {
            int rc = smmuv3_strtab_ste_addr(&r->st, (uint32_t)e->index, true, &base);
            if (e->index > UINT32_MAX || rc)
                return svr_fail(r, e->mark.line, "strtab[%llu]: %s", (unsigned long long)e->index,
                                smmuv3_strerror(rc ? rc : SMMUV3_ERANGE));
        }
    } else if (strcmp(e->sym, "cmdq") == 0 || strcmp(e->sym, "eventq") == 0) {
        base = smmuv3_mmio_read(r->smmu, e->sym[0] == 'c' ? REG_CMDQ_BASE : REG_EVENTQ_BASE, 8) & Q_ADDR_MASK;
    } else if (strcmp(e->sym, "cmdq_cons") == 0) {
        uint64_t qb = smmuv3_mmio_read(r->smmu, REG_CMDQ_BASE, 8);
        unsigned lg = (unsigned)(qb & 0x1f) > 19 ? 19 : (unsigned)(qb & 0x1f);
        uint32_t cons = (uint32_t)smmuv3_mmio_read(r->smmu, REG_CMDQ_CONS, 4);
        base = (qb & Q_ADDR_MASK) + 16ull * (cons & ((1u << lg) - 1));
    } else if ((i = svr_find_pt(r->v, e->sym)) >= 0) {
        base = r->pts[i].ready ? r->pts[i].pt.root : r->pts[i].base;
        if (space && r->v->pts[i].space)
            *space = &r->pts[i].sp;
    } else if ((i = svr_find_cd(r->v, e->sym)) >= 0) {
        base = r->cds[i].base;
        if (space && r->v->cdtabs[i].space)
            *space = &r->cds[i].sp;
        if (e->has_index) {
            if (!r->cds[i].ready)
                return svr_fail(r, e->mark.line, "%s[...] used before the CD table is built", e->sym);
            int rc = e->index > UINT32_MAX ? SMMUV3_ERANGE
                                           : smmuv3_cdtab_cd_addr(&r->cds[i].ct, (uint32_t)e->index, true, &base);
            if (rc)
                return svr_fail(r, e->mark.line, "%s[%llu]: %s", e->sym, (unsigned long long)e->index,
                                smmuv3_strerror(rc));
        }
    } else {
        return svr_fail(r, e->mark.line, "unknown name '%s'", e->sym);
    }
    *out = e->neg ? base - e->off : base + e->off;
    return 0;
}

/* Encode a field list into an image (fields of fl->st). */
int svr_set_fields(R *r, const sv_fields *fl, uint8_t *img)
{
    for (size_t i = 0; i < fl->n; i++) {
        uint64_t val;
        if (svr_resolve(r, &fl->items[i].v, &val, NULL))
            return -1;
        int rc = smmuv3_field_set(fl->items[i].f, img, val);
        if (rc)
            return svr_fail(r, fl->items[i].v.mark.line, "value 0x%llx does not fit %s.%s",
                            (unsigned long long)val, fl->st->name, fl->items[i].f->name);
    }
    return 0;
}

const sv_fieldval *svr_fields_get(const sv_fields *fl, const char *name)
{
    for (size_t i = 0; i < fl->n; i++)
        if (strcmp(fl->items[i].f->name, name) == 0)
            return &fl->items[i];
    return NULL;
}


/* The address of a memory entry: addr, or a descriptor of a page table. */
int svr_mem_addr(R *r, const sv_mem *m, uint64_t *a, const smmuv3_space **sp)
{
    if (!m->has_desc) {
        int rc = svr_resolve(r, &m->addr, a, sp);
        if (!rc && m->secure)
            *sp = &r->spa;   /* a Secure PA */
        return rc;
    }
    int i = svr_find_pt(r->v, m->dtable);
    if (i < 0 || !r->pts[i].ready)
        return svr_fail(r, m->dmark.line, "unknown page table '%s'", m->dtable);
    int rc = smmuv3_pt_desc_addr(&r->pts[i].pt, m->diova, m->dlevel, true, a);
    if (rc)
        return svr_fail(r, m->dmark.line, "no level %u descriptor for 0x%llx in '%s': %s", m->dlevel,
                        (unsigned long long)m->diova, m->dtable, smmuv3_strerror(rc));
    *sp = &r->pts[i].sp;
    return 0;
}

int svr_mem_write(R *r, const sv_mem *m)
{
    uint64_t a;
    const smmuv3_space *sp;
    if (svr_mem_addr(r, m, &a, &sp))
        return -1;
    int rc = 0;
    uint8_t buf[64];
    switch (m->kind) {
    case SV_MEM_VALUE: {
        uint64_t val;
        if (svr_resolve(r, &m->value, &val, NULL))
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
        if (svr_set_fields(r, &m->fields, buf))
            return -1;
        rc = smmuv3_space_write(sp, a, buf, m->fields.st->size);
        break;
    case SV_MEM_ABORT:
        rc = smmuv3_mem_add_abort(m->secure && r->smem ? r->smem : r->mem, a, m->len);
        break;
    }
    if (rc)
        return svr_fail(r, m->mark.line, "memory write at 0x%llx failed: %s", (unsigned long long)a,
                        smmuv3_strerror(rc));
    svr_trace(r, "    memory write at 0x%llx\n", (unsigned long long)a);
    return 0;
}

static int mmio_value(R *r, const sv_mmio *m, uint64_t *val)
{
    if (m->has_value)
        return svr_resolve(r, &m->value, val, NULL);
    uint8_t img[8] = { 0 };
    if (svr_set_fields(r, &m->fields, img))
        return -1;
    *val = 0;
    for (unsigned i = 0; i < 8; i++)
        *val |= (uint64_t)img[i] << (8 * i);
    return 0;
}

int svr_mmio_write(R *r, const sv_mmio *m)
{
    uint64_t val;
    if (mmio_value(r, m, &val))
        return -1;
    smmuv3_mmio_write_sec(r->smmu, m->offset, val, m->size, svr_mmio_sec(m));
    svr_trace(r, "    mmio write %s (0x%llx) = 0x%llx\n", m->reg ? m->reg->name : "?", (unsigned long long)m->offset,
              (unsigned long long)val);
    return 0;
}

/* The Secure PA space of a vector with secure_memory (IHI 0070 3.10.2):
 * memory of its own, reached by the SMMU through host.read_secure/
 * write_secure and by the builders through shost. */
static int h_sread(void *ctx, uint64_t pa, void *buf, size_t len)
{
    return smmuv3_mem_read(((R *)ctx)->smem, pa, buf, len);
}

static int h_swrite(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    return smmuv3_mem_write(((R *)ctx)->smem, pa, buf, len);
}

static int secure_space_init(R *r)
{
    r->shost = r->host;
    if (r->v->secure_mem) {
        r->smem = smmuv3_mem_new();
        if (!r->smem)
            return svr_fail(r, 1, "out of memory");
        r->host.read_secure = h_sread;
        r->host.write_secure = h_swrite;
        r->shost.read = h_sread;
        r->shost.write = h_swrite;
    }
    if (smmuv3_alloc_init(&r->sal, AUTO_BASE, AUTO_SIZE) || smmuv3_space_init(&r->spa, &r->shost, &r->sal))
        return svr_fail(r, 1, "allocator setup failed");
    return 0;
}

int svr_setup(R *r)
{
    const smmuv3_vector *v = r->v;
    r->mem = smmuv3_mem_new();
    if (!r->mem)
        return svr_fail(r, 1, "out of memory");
    svr_host_init(r);
    if (secure_space_init(r))
        return -1;
    int rc = smmuv3_new(&v->cfg, &r->host, &r->smmu);
    if (rc)
        return svr_fail(r, 1, "smmuv3_new failed: %s", smmuv3_strerror(rc));
    if (r->check)
        smmuv3_set_diag(r->smmu, svr_on_diag, r);
    if (smmuv3_alloc_init(&r->gal, AUTO_BASE, AUTO_SIZE) || smmuv3_space_init(&r->pa, &r->host, &r->gal))
        return svr_fail(r, 1, "allocator setup failed");
    r->pts = calloc(v->npts ? v->npts : 1, sizeof(*r->pts));
    r->cds = calloc(v->ncdtabs ? v->ncdtabs : 1, sizeof(*r->cds));
    if (!r->pts || !r->cds)
        return svr_fail(r, 1, "out of memory");
    if (svr_setup_strtab(r) || svr_reserve_pts(r))
        return -1;
    for (int stage = 2; stage >= 1; stage--)
        for (size_t i = 0; i < v->npts; i++)
            if (v->pts[i].stage == stage && svr_build_pt(r, i))
                return -1;
    for (size_t i = 0; i < v->ncdtabs; i++)
        if (svr_build_cdtab(r, i))
            return -1;
    for (size_t i = 0; i < v->nstreams; i++)
        if (svr_build_ste(r, &v->streams[i]))
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
            svr_trace(r, "  GBPA = 0x%x (update)\n", v->gbpa);
        }
        rc = smmuv3_driver_init(&r->drv, r->smmu, &r->pa, &r->st, &dc);
        if (rc)
            return svr_fail(r, 1, "driver bring-up failed: %s (CMDQ_CONS.ERR %u, GERROR active 0x%x)",
                            smmuv3_strerror(rc), r->drv.cerror, r->drv.gerror);
        svr_trace(r, "  SMMU up: cmdq 0x%llx (2^%u), eventq 0x%llx (2^%u)%s\n", (unsigned long long)r->drv.cmdq_base,
                  r->drv.cmdq_log2, (unsigned long long)r->drv.eventq_base, r->drv.eventq_log2,
                  v->smmuen ? ", SMMUEN" : ", SMMUEN clear");
        if (svr_setup_ats(r))
            return -1;
    }
    for (size_t i = 0; i < v->nmem; i++)
        if (svr_mem_write(r, &v->mem[i]))
            return -1;
    for (size_t i = 0; i < v->nmmio; i++)
        if (svr_mmio_write(r, &v->mmio[i]))
            return -1;
    return 0;
}

