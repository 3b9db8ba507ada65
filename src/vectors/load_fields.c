/* SPDX-License-Identifier: MIT */
/* Field maps: `name: value` pairs of a structure (STE, CD, command, event,
 * register layout), with the symbolic names some fields accept. */
#include <string.h>
#include "load_yaml.h"

typedef struct alias { const char *st, *field, *name; uint64_t v; } alias;
static const alias aliases[] = {
    { "ste", "config", "abort", 0 }, { "ste", "config", "bypass", 4 }, { "ste", "config", "s1", 5 },
    { "ste", "config", "s2", 6 }, { "ste", "config", "nested", 7 },
    { "ste", "s1dss", "terminate", 0 }, { "ste", "s1dss", "bypass", 1 }, { "ste", "s1dss", "substream0", 2 },
    { "ste", "s1fmt", "linear", 0 }, { "ste", "s1fmt", "2l-4k", 1 }, { "ste", "s1fmt", "2l-64k", 2 },
    { "ste", "s2tg", "4K", 0 }, { "ste", "s2tg", "64K", 1 }, { "ste", "s2tg", "16K", 2 },
    { "ste", "strw", "el1", 0 }, { "ste", "strw", "el2", 2 },
    { "cd", "tg0", "4K", 0 }, { "cd", "tg0", "64K", 1 }, { "cd", "tg0", "16K", 2 },
    { "cd", "tg1", "16K", 1 }, { "cd", "tg1", "4K", 2 }, { "cd", "tg1", "64K", 3 },
    { "event", "class", "cd", 0 }, { "event", "class", "tt", 1 }, { "event", "class", "in", 2 },
    { "CMD_SYNC", "cs", "none", 0 }, { "CMD_SYNC", "cs", "irq", 1 }, { "CMD_SYNC", "cs", "sev", 2 },
    { "CMD_RESUME", "action", "term", 0 }, { "CMD_RESUME", "action", "retry", 1 },
    { "CMD_RESUME", "action", "abort", 2 },
    { "CMD_PRI_RESP", "resp", "deny", 0 }, { "CMD_PRI_RESP", "resp", "fail", 1 },
    { "CMD_PRI_RESP", "resp", "success", 2 },
    { "strtab_base_cfg", "fmt", "linear", 0 }, { "strtab_base_cfg", "fmt", "2-level", 1 },
    { "q_cons", "err", "none", 0 }, { "q_cons", "err", "ILL", 1 }, { "q_cons", "err", "ABT", 2 },
    { "q_cons", "err", "ATC_INV_SYNC", 3 },
};

static bool field_alias(const smmuv3_struct *st, const smmuv3_field *f, const char *s, uint64_t *v)
{
    if (strcmp(st->name, "event") == 0 && strcmp(f->name, "eventid") == 0) {
        int id = smmuv3_event_id(s);
        if (id >= 0) {
            *v = (uint64_t)id;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (svl_ieq(aliases[i].st, st->name) && strcmp(aliases[i].field, f->name) == 0 && svl_ieq(aliases[i].name, s)) {
            *v = aliases[i].v;
            return true;
        }
    return false;
}

static bool field_value(L *l, const smmuv3_struct *st, const smmuv3_field *f, N *vn, bool allow_sym,
                        sv_expr *e)
{
    char what[96];
    snprintf(what, sizeof(what), "a value for %s.%s", st->name, f->name);
    memset(e, 0, sizeof(*e));
    e->mark = svl_mk(vn);
    if (vn->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)vn->data.scalar.value;
        uint64_t av;
        if (strlen(s) == vn->data.scalar.length && field_alias(st, f, s, &av)) {
            e->off = av;
            return true;
        }
    }
    if (!svl_expr(l, vn, what, allow_sym && f->addr, e))
        return false;
    if (!e->sym) {
        uint8_t img[64] = { 0 };
        if (smmuv3_field_set(f, img, e->off) != 0) {
            unsigned w = (unsigned)f->msb - f->lsb + 1;
            if (f->addr)
                return svl_fail(l, vn, "address 0x%llx does not fit %s.%s (bits %u:%u, aligned to %llu bytes)",
                                (unsigned long long)e->off, st->name, f->name, f->msb, f->lsb,
                                1ull << f->lsb);
            return svl_fail(l, vn, "value 0x%llx does not fit %s.%s (%u bits, at most 0x%llx)",
                            (unsigned long long)e->off, st->name, f->name, w,
                            (unsigned long long)smmuv3_field_max(f));
        }
    }
    return true;
}

const smmuv3_field *svl_field_find(L *l, N *n, const smmuv3_struct *st, const char *name, const char *what)
{
    const smmuv3_field *f = smmuv3_field_find(st, name);
    if (!f)
        svl_unknown(l, svl_mk(n), "field", name, what, smmuv3_field_suggest(st, name));
    return f;
}

/* Parse the pairs of `n` as fields of `st`, skipping keys in `skip`. */
bool svl_fields(L *l, N *n, const smmuv3_struct *st, const char *what, const char *const *skip,
                   bool allow_sym, sv_fields *out)
{
    out->st = st;
    if (n->type != YAML_MAPPING_NODE)
        return svl_fail(l, n, "expected a mapping of %s fields, got %s", what, svl_kind_name(n));
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    out->items = sv_alloc(l->v, (cnt ? cnt : 1) * sizeof(*out->items));
    if (!out->items)
        return svl_fail(l, n, "out of memory");
    out->n = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = svl_node(l, p->key), *vn = svl_node(l, p->value);
        if (!k || !vn)
            return svl_fail(l, n, "broken mapping");
        const char *ks = svl_scalar(l, k, "a field name");
        if (!ks)
            return false;
        bool skipped = false;
        for (const char *const *s = skip; s && *s; s++)
            if (strcmp(*s, ks) == 0)
                skipped = true;
        if (skipped)
            continue;
        const smmuv3_field *f = svl_field_find(l, k, st, ks, what);
        if (!f)
            return false;
        for (size_t i = 0; i < out->n; i++)
            if (out->items[i].f == f)
                return svl_fail(l, k, "field '%s' given twice in %s", ks, what);
        out->items[out->n].f = f;
        if (!field_value(l, st, f, vn, allow_sym, &out->items[out->n].v))
            return false;
        out->n++;
    }
    return true;
}

