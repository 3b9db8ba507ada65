/* SPDX-License-Identifier: MIT */
/* Setup tables: page tables and their mappings, CD tables, the stream table. */
#include <string.h>
#include "load_yaml.h"

/* format: linear or 2-level (of a CD table or the stream table) */
static bool table_format(L *l, N *map, const char *what, bool *two_level)
{
    N *f = svl_get(l, map, "format");
    if (!f)
        return true;
    const char *s = svl_scalar(l, f, "a format (linear or 2-level)");
    if (!s)
        return false;
    if (strcmp(s, "linear") == 0)
        *two_level = false;
    else if (strcmp(s, "2-level") == 0)
        *two_level = true;
    else
        return svl_fail(l, f, "expected a %s format 'linear' or '2-level', got '%s'", what, s);
    return true;
}

bool svl_parse_opt_base(L *l, N *map, bool *has_base, sv_expr *base)
{
    N *b = svl_get(l, map, "base");
    if (!b)
        return true;
    *has_base = true;
    return svl_expr(l, b, "a base address", true, base);
}

static bool table_key(const char *key, void *ctx)
{
    return ctx && strcmp(key, "table") == 0;
}

/* stage 0: either iova or ipa (a map step, checked against its table at the end). */
bool svl_parse_mapping(L *l, N *n, int stage, sv_map *m, bool in_step)
{
    static const char *const keys[] = { "iova", "ipa", "pa", "size", "perm", "priv_only", "attrindx",
                                        "memattr", "sh", "af", "ng", "ns", "contig", "dbm", "ap", "s2ap",
                                        "xn", "pxn", "uxn", "pages", NULL };
    if (!svl_check_map(l, n, in_step ? "map" : "a mapping", keys, table_key, in_step ? (void *)1 : NULL))
        return false;
    if (stage == 0)
        stage = svl_get(l, n, "ipa") ? 2 : 1;
    m->key_stage = stage;
    m->mark = svl_mk(n);
    const char *inkey = stage == 1 ? "iova" : "ipa";
    const char *otherkey = stage == 1 ? "ipa" : "iova";
    if (svl_get(l, n, otherkey))
        return svl_fail(l, svl_get(l, n, otherkey), "a stage %d mapping takes '%s', not '%s'", stage, inkey, otherkey);
    N *in = svl_need(l, n, inkey, "a mapping"), *out = in ? svl_need(l, n, "pa", "a mapping") : NULL;
    if (!in || !out)
        return false;
    if (!svl_expr(l, in, inkey, true, &m->in) || !svl_expr(l, out, "pa", true, &m->out))
        return false;
    m->size = 0;
    N *sz = svl_get(l, n, "size");
    if (sz && !svl_u64(l, sz, "a size", &m->size))
        return false;
    m->perm = SV_R | SV_W;
    N *pn = svl_get(l, n, "perm");
    if (pn && !svl_perm(l, pn, &m->perm))
        return false;
    N *po = svl_get(l, n, "priv_only");
    if (po && !svl_bool(l, po, "priv_only", &m->priv_only))
        return false;
    if (!svl_opt_int(l, n, "attrindx", 7, &m->attrindx) || !svl_opt_int(l, n, "memattr", 15, &m->memattr) ||
        !svl_opt_int(l, n, "sh", 3, &m->sh) || !svl_opt_int(l, n, "af", 1, &m->af) ||
        !svl_opt_int(l, n, "ng", 1, &m->ng) ||
        !svl_opt_int(l, n, "ns", 1, &m->ns) || !svl_opt_int(l, n, "contig", 1, &m->contig) ||
        !svl_opt_int(l, n, "dbm", 1, &m->dbm) || !svl_opt_int(l, n, "ap", 3, &m->ap) ||
        !svl_opt_int(l, n, "s2ap", 3, &m->s2ap) || !svl_opt_int(l, n, "xn", 3, &m->xn) ||
        !svl_opt_int(l, n, "pxn", 1, &m->pxn) || !svl_opt_int(l, n, "uxn", 1, &m->uxn))
        return false;
    N *pg = svl_get(l, n, "pages");
    if (pg && !svl_bool(l, pg, "pages", &m->pages))
        return false;
    if (stage == 1 && pn && !(m->perm & SV_R))
        return svl_fail(l, pn, "a stage 1 descriptor always grants read: use r, rw, rx or rwx (or 'af: 0' or an "
                           "unmapped address for no access)");
    if (stage == 1 && (svl_get(l, n, "memattr") || svl_get(l, n, "s2ap")))
        return svl_fail(l, svl_get(l, n, "memattr") ? svl_get(l, n, "memattr") : svl_get(l, n, "s2ap"),
                        "memattr and s2ap are stage 2 descriptor fields; stage 1 uses attrindx and ap");
    if (stage == 2 && (svl_get(l, n, "attrindx") || svl_get(l, n, "ap") || svl_get(l, n, "ng") ||
                       svl_get(l, n, "pxn") ||
                       svl_get(l, n, "uxn") || svl_get(l, n, "priv_only")))
        return svl_fail(l, n, "attrindx, ap, ng, pxn, uxn and priv_only are stage 1 descriptor fields; "
                          "stage 2 uses memattr, s2ap and xn");
    return true;
}

/* An optional number `key` (named `what`) from lo to hi; *out unchanged when absent. */
static bool opt_range(L *l, N *map, const char *key, const char *what, uint64_t lo, uint64_t hi, const char *unit,
                      unsigned *out)
{
    N *n = svl_get(l, map, key);
    uint64_t u;
    if (!n)
        return true;
    if (!svl_u64(l, n, what, &u))
        return false;
    if (u < lo || u > hi)
        return svl_fail(l, n, "%s must be between %llu and %llu%s, got %llu", key, (unsigned long long)lo,
                        (unsigned long long)hi, unit, (unsigned long long)u);
    *out = (unsigned)u;
    return true;
}

/* A table's mapping of `keys`, with its mark and its name. */
static bool named_object(L *l, N *n, const char *what, const char *const *keys, sv_mark *mark, const char **name)
{
    if (!svl_check_map(l, n, what, keys, NULL, NULL))
        return false;
    *mark = svl_mk(n);
    N *nm = svl_need(l, n, "name", what);
    return nm && svl_string(l, nm, "a name", name);
}

static bool mapping_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    return svl_parse_mapping(l, n, ((const sv_pt *)ctx)->stage, item, false);
}

bool svl_parse_page_table(L *l, N *n, void *item, size_t i, void *ctx)
{
    sv_pt *pt = item;
    (void)i;
    (void)ctx;
    static const char *const keys[] = { "name", "stage", "granule", "ias", "start_level", "base", "tables",
                                        "space", "map", "secure", NULL };
    if (!named_object(l, n, "a page table", keys, &pt->mark, &pt->name))
        return false;
    N *sec = svl_get(l, n, "secure");
    if (sec && !svl_bool(l, sec, "secure (tables in the Secure PA space)", &pt->secure))
        return false;
    N *st = svl_need(l, n, "stage", "a page table");
    uint64_t u;
    if (!st || !svl_u64(l, st, "a stage (1 or 2)", &u))
        return false;
    if (u != 1 && u != 2)
        return svl_fail(l, st, "expected stage 1 or 2, got %llu", (unsigned long long)u);
    pt->stage = (int)u;
    pt->gran = 12;
    N *g = svl_get(l, n, "granule");
    if (g && !svl_granule(l, g, &pt->gran))
        return false;
    pt->ias = 48;
    if (!opt_range(l, n, "ias", "input address bits", 16, 52, " bits", &pt->ias))
        return false;
    if (!svl_opt_int(l, n, "start_level", 3, &pt->start_level))
        return false;
    if (pt->stage == 1 && pt->start_level >= 0)
        return svl_fail(l, svl_get(l, n, "start_level"), "start_level applies to stage 2 tables (stage 1 starts where "
                                                  "T0SZ, from ias, puts it)");
    N *sp = svl_get(l, n, "space");
    if (sp) {
        if (pt->stage != 1)
            return svl_fail(l, sp, "'space' applies to stage 1 tables (their addresses are IPAs of a stage 2 table)");
        if (!svl_string(l, sp, "the name of a stage 2 page table", &pt->space))
            return false;
        pt->space_mark = svl_mk(sp);
        if (!svl_get(l, n, "base"))
            return svl_fail(l, n, "a table in an IPA space needs an explicit 'base' (an IPA the stage 2 table maps)");
    }
    pt->tables = 64;
    if (!opt_range(l, n, "tables", "a table count", 1, 4096, "", &pt->tables))
        return false;
    if (!svl_parse_opt_base(l, n, &pt->has_base, &pt->base))
        return false;
    N *mp = svl_get(l, n, "map");
    if (mp) {
        pt->maps = svl_list(l, mp, "map", sizeof(*pt->maps), &pt->nmaps, mapping_item, pt);
        if (!pt->maps)
            return false;
    }
    return true;
}

/* One CD of a CD table (ctx): ssid and CD fields. */
static bool cd_item(L *l, N *c, void *item, size_t i, void *ctx)
{
    static const char *const skip[] = { "ssid", NULL };
    const sv_cdtab *t = ctx;
    sv_cd *cd = item;
    const sv_cd *first = cd - i;
    cd->mark = svl_mk(c);
    if (c->type != YAML_MAPPING_NODE)
        return svl_fail(l, c, "expected a mapping for a CD (ssid and CD fields), got %s", svl_kind_name(c));
    N *ss = svl_get(l, c, "ssid");
    cd->ssid = 0;
    if (ss && !svl_u64max(l, ss, "an ssid", (1u << 20) - 1, &cd->ssid))
        return false;
    if (cd->ssid >> t->log2size && cd->ssid != 0)
        return svl_fail(l, ss, "ssid %llu is outside the table (log2size %u)", (unsigned long long)cd->ssid,
                        t->log2size);
    for (size_t j = 0; j < i; j++)
        if (first[j].ssid == cd->ssid)
            return svl_fail(l, c, "a second CD for ssid %llu", (unsigned long long)cd->ssid);
    return svl_fields(l, c, smmuv3_struct_find("cd"), "cd", skip, true, &cd->f);
}

bool svl_parse_cd_table(L *l, N *n, void *item, size_t i, void *ctx)
{
    sv_cdtab *t = item;
    (void)i;
    (void)ctx;
    static const char *const keys[] = { "name", "format", "log2size", "leaf", "base", "space", "cds", "secure",
                                        NULL };
    if (!named_object(l, n, "a CD table", keys, &t->mark, &t->name))
        return false;
    N *sec = svl_get(l, n, "secure");
    if (sec && !svl_bool(l, sec, "secure (CDs in the Secure PA space)", &t->secure))
        return false;
    if (!table_format(l, n, "CD table", &t->two_level))
        return false;
    uint64_t u;
    t->log2size = 0;
    N *ls = svl_get(l, n, "log2size");
    if (ls) {
        if (!svl_u64max(l, ls, "log2size (S1CDMAX)", 20, &u))
            return false;
        t->log2size = (unsigned)u;
    }
    if (!t->two_level && t->log2size > 16)
        return svl_fail(l, ls, "a linear CD table of 2^%u CDs is too large for a vector (at most 2^16; "
                           "use format: 2-level)", t->log2size);
    t->leaf = 6;
    N *lf = svl_get(l, n, "leaf");
    if (lf) {
        unsigned g;
        if (!svl_granule(l, lf, &g))
            return false;
        if (g == 14)
            return svl_fail(l, lf, "a CD leaf table is 4K or 64K");
        t->leaf = g - 6;
    }
    if (lf && !t->two_level)
        return svl_fail(l, lf, "'leaf' applies to 2-level CD tables only");
    N *b = svl_get(l, n, "base");
    if (!svl_parse_opt_base(l, n, &t->has_base, &t->base))
        return false;
    N *spn = svl_get(l, n, "space");
    if (spn) {
        if (!svl_string(l, spn, "the name of a stage 2 page table", &t->space))
            return false;
        t->space_mark = svl_mk(spn);
        if (!b)
            return svl_fail(l, n, "a CD table in an IPA space needs an explicit 'base' (an IPA the stage 2 "
                                  "table maps)");
    }
    N *cds = svl_need(l, n, "cds", "a CD table");
    if (!cds)
        return false;
    t->cds = svl_list(l, cds, "cds", sizeof(*t->cds), &t->ncds, cd_item, t);
    return t->cds != NULL;
}

bool svl_parse_stream_table(L *l, N *n)
{
    static const char *const keys[] = { "format", "log2size", "split", "base", NULL };
    if (!svl_check_map(l, n, "stream_table", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    v->strtab_present = true;
    if (!table_format(l, n, "stream table", &v->strtab_2level))
        return false;
    uint64_t u;
    N *ls = svl_get(l, n, "log2size");
    if (ls) {
        if (!svl_u64max(l, ls, "log2size", 32, &u))
            return false;
        v->strtab_log2 = (unsigned)u;
    }
    N *sp = svl_get(l, n, "split");
    if (sp) {
        if (!v->strtab_2level)
            return svl_fail(l, sp, "'split' applies to 2-level stream tables only");
        if (!svl_u64max(l, sp, "split", 24, &u))
            return false;
        v->strtab_split = (unsigned)u;
    }
    if (!ls && v->strtab_2level)
        return svl_fail(l, n, "a 2-level stream table needs 'log2size'");
    if (!ls)
        v->strtab_log2 = 0xff; /* derived from the largest SID */
    if (v->strtab_2level && v->strtab_split > v->strtab_log2)
        return svl_fail(l, sp ? sp : n, "split %u is larger than log2size %u", v->strtab_split, v->strtab_log2);
    if (!v->strtab_2level && ls && v->strtab_log2 > 16)
        return svl_fail(l, ls, "a linear stream table of 2^%u entries is too large for a vector (at most 2^16; "
                           "use format: 2-level)", v->strtab_log2);
    if (!svl_parse_opt_base(l, n, &v->strtab_has_base, &v->strtab_base))
        return false;
    return true;
}

