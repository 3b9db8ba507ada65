/* SPDX-License-Identifier: MIT */
/* Cross checks once everything is parsed: mappings against granules, object
 * names, and every symbol an expression names. */
#include <ctype.h>
#include <string.h>
#include "load_yaml.h"

/* A mapping's numeric addresses and size against its table's granule. */
static bool check_mapping(L *l, const sv_pt *pt, const sv_map *m)
{
    uint64_t g = 1ull << pt->gran;
    if (m->size % g)
        return svl_failm(l, m->mark, "size 0x%llx is not a multiple of the %lluK granule of '%s'",
                         (unsigned long long)m->size, (unsigned long long)(g >> 10), pt->name);
    if (!m->in.sym && (m->in.off & (g - 1)))
        return svl_failm(l, m->in.mark, "%s 0x%llx is not aligned to the %lluK granule of '%s'",
                         pt->stage == 1 ? "iova" : "ipa", (unsigned long long)m->in.off,
                         (unsigned long long)(g >> 10), pt->name);
    if (!m->out.sym && (m->out.off & (g - 1)))
        return svl_failm(l, m->out.mark, "pa 0x%llx is not aligned to the %lluK granule of '%s'",
                         (unsigned long long)m->out.off, (unsigned long long)(g >> 10), pt->name);
    return true;
}

static bool check_objects(L *l)
{
    smmuv3_vector *v = l->v;
    for (size_t i = 0; i < v->npts; i++)
        for (size_t k = 0; k < v->pts[i].nmaps; k++)
            if (!check_mapping(l, &v->pts[i], &v->pts[i].maps[k]))
                return false;
    if (v->strtab_log2 != 0xff)
        for (size_t i = 0; i < v->nstreams; i++)
            if (v->streams[i].sid >> v->strtab_log2)
                return svl_failm(l, v->streams[i].mark, "sid %llu is outside the stream table (log2size %u)",
                                 (unsigned long long)v->streams[i].sid, v->strtab_log2);
    return true;
}

bool svl_check_symbols(L *l)
{
    smmuv3_vector *v = l->v;
    if (!check_objects(l))
        return false;
    /* object names are unique and not builtins */
    static const char *const builtins[] = { "strtab", "cmdq", "eventq", "cmdq_cons", NULL };
    for (size_t i = 0; i < v->npts + v->ncdtabs; i++) {
        const char *nm = i < v->npts ? v->pts[i].name : v->cdtabs[i - v->npts].name;
        sv_mark m = i < v->npts ? v->pts[i].mark : v->cdtabs[i - v->npts].mark;
        for (const char *const *b = builtins; *b; b++)
            if (strcmp(*b, nm) == 0)
                return svl_failm(l, m, "'%s' is a built-in name; choose another name", nm);
        for (size_t j = 0; j < i; j++) {
            const char *o = j < v->npts ? v->pts[j].name : v->cdtabs[j - v->npts].name;
            if (strcmp(o, nm) == 0)
                return svl_failm(l, m, "a second object named '%s'", nm);
        }
        const char *p = nm;
        if (!(isalpha((unsigned char)*p) || *p == '_'))
            return svl_failm(l, m, "a name is letters, digits and '_', starting with a letter: '%s'", nm);
        for (; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_'))
                return svl_failm(l, m, "a name is letters, digits and '_', starting with a letter: '%s'", nm);
    }
    for (size_t i = 0; i < v->npts + v->ncdtabs; i++) {
        const char *spn = i < v->npts ? v->pts[i].space : v->cdtabs[i - v->npts].space;
        sv_mark m = i < v->npts ? v->pts[i].space_mark : v->cdtabs[i - v->npts].space_mark;
        if (!spn)
            continue;
        bool ok = false;
        for (size_t j = 0; j < v->npts; j++)
            if (strcmp(v->pts[j].name, spn) == 0 && v->pts[j].stage == 2)
                ok = true;
        if (!ok)
            return svl_failm(l, m, "'space' must name a stage 2 page table of this vector; '%s' is not one", spn);
    }
    for (size_t i = 0; i < v->nmem + v->nsteps; i++) {
        const sv_mem *m = i < v->nmem ? &v->mem[i] : &v->steps[i - v->nmem].mem;
        if (i >= v->nmem && v->steps[i - v->nmem].kind != SV_STEP_MEM_WRITE &&
            v->steps[i - v->nmem].kind != SV_STEP_MEM_READ)
            continue;
        if (!m->has_desc)
            continue;
        bool found = false;
        for (size_t j = 0; j < v->npts; j++)
            if (strcmp(v->pts[j].name, m->dtable) == 0)
                found = true;
        if (!found)
            return svl_failm(l, m->dmark, "unknown page table '%s'", m->dtable);
    }
    for (size_t i = 0; i < v->nsteps; i++) {
        const sv_step *s = &v->steps[i];
        if (s->kind != SV_STEP_MAP && s->kind != SV_STEP_UNMAP)
            continue;
        size_t j;
        for (j = 0; j < v->npts; j++)
            if (strcmp(v->pts[j].name, s->table) == 0)
                break;
        if (j == v->npts)
            return svl_failm(l, s->table_mark, "unknown page table '%s'", s->table);
        if (s->kind == SV_STEP_MAP && s->map.key_stage != v->pts[j].stage)
            return svl_failm(l, s->map.mark, "'%s' is a stage %d table: map it with '%s'", s->table, v->pts[j].stage,
                             v->pts[j].stage == 1 ? "iova" : "ipa");
        if (s->kind == SV_STEP_MAP && !check_mapping(l, &v->pts[j], &s->map))
            return false;
    }
    for (size_t i = 0; i < l->nsyms; i++) {
        sv_expr *e = l->syms[i];
        bool found = false, indexable = false;
        if (strcmp(e->sym, "strtab") == 0) {
            found = indexable = true;
        } else if (strcmp(e->sym, "cmdq") == 0 || strcmp(e->sym, "eventq") == 0 || strcmp(e->sym, "cmdq_cons") == 0) {
            found = true;
        }
        for (size_t j = 0; !found && j < v->npts; j++)
            if (strcmp(v->pts[j].name, e->sym) == 0)
                found = true;
        for (size_t j = 0; !found && j < v->ncdtabs; j++)
            if (strcmp(v->cdtabs[j].name, e->sym) == 0)
                found = indexable = true;
        if (!found) {
            const char *names[256];
            size_t k = 0;
            for (const char *const *b = builtins; *b; b++)
                names[k++] = *b;
            for (size_t j = 0; j < v->npts && k < 250; j++)
                names[k++] = v->pts[j].name;
            for (size_t j = 0; j < v->ncdtabs && k < 250; j++)
                names[k++] = v->cdtabs[j].name;
            names[k] = NULL;
            const char *sg = smmuv3_name_suggest(names, e->sym);
            if (sg)
                return svl_failm(l, e->mark, "unknown name '%s'; did you mean '%s'?", e->sym, sg);
            return svl_failm(l, e->mark, "unknown name '%s' (expected strtab, cmdq, eventq, cmdq_cons, or "
                                     "the name of a page table or CD table)", e->sym);
        }
        if (e->has_index && !indexable)
            return svl_failm(l, e->mark, "'%s' takes no index (only strtab.SID and <cd table>.SSID do)",
                             e->sym);
    }
    return true;
}

