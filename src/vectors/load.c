/* SPDX-License-Identifier: MIT */
/*
 * The vector loader: YAML (libyaml document API) -> struct smmuv3_vector, with
 * complete validation. The first problem found stops the load; its message is
 * "file:line:col: what was found and what was expected". Unknown keys are
 * errors, with the nearest known name suggested.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "vec_model.h"

/* ------------------------------------------------------------ arena */
typedef struct arena_blk { struct arena_blk *next; size_t used, cap; max_align_t data[]; } arena_blk;

void *sv_alloc(smmuv3_vector *v, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    arena_blk *b = v->arena;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        arena_blk *nb = malloc(sizeof(*nb) + cap);
        if (!nb)
            return NULL;
        nb->next = b;
        nb->used = 0;
        nb->cap = cap;
        v->arena = nb;
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

void smmuv3_vec_free(smmuv3_vector *v)
{
    if (!v)
        return;
    arena_blk *b = v->arena;
    while (b) {
        arena_blk *n = b->next;
        free(b);
        b = n;
    }
    free(v);
}

const char *smmuv3_vec_name(const smmuv3_vector *v) { return v ? v->name : NULL; }
const char *smmuv3_vec_description(const smmuv3_vector *v) { return v ? v->description : NULL; }
size_t smmuv3_vec_step_count(const smmuv3_vector *v) { return v ? v->nsteps : 0; }

/* ------------------------------------------------------------ loader state */
typedef struct L {
    smmuv3_vector *v;
    yaml_document_t *doc;
    const char *file;
    char *err;
    size_t errlen;
    bool failed;
    sv_expr **syms;          /* every expression that names a symbol, checked at the end */
    size_t nsyms, capsyms;
} L;

typedef yaml_node_t N;

static sv_mark mk(const N *n)
{
    sv_mark m = { (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1 };
    return m;
}

static bool failm(L *l, sv_mark m, const char *fmt, ...)
{
    if (l->failed)
        return false;
    l->failed = true;
    if (!l->err || !l->errlen)
        return false;
    int k = snprintf(l->err, l->errlen, "%s:%u:%u: ", l->file, m.line, m.col);
    if (k < 0 || (size_t)k >= l->errlen)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->err + k, l->errlen - (size_t)k, fmt, ap);
    va_end(ap);
    return false;
}

#define fail(l, n, ...) failm((l), mk(n), __VA_ARGS__)

static N *node(L *l, int i) { return yaml_document_get_node(l->doc, i); }

static const char *kind_name(const N *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* The scalar's text, or NULL (with an error) when n is not a clean scalar. */
static const char *scalar(L *l, N *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE) {
        fail(l, n, "expected %s, got %s", what, kind_name(n));
        return NULL;
    }
    const char *s = (const char *)n->data.scalar.value;
    if (strlen(s) != n->data.scalar.length) {
        fail(l, n, "expected %s, got a string with a NUL byte", what);
        return NULL;
    }
    return s;
}

static char *dupstr(L *l, const char *s)
{
    size_t n = strlen(s);
    char *d = sv_alloc(l->v, n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

static const char *suggest(const char *const *names, const char *s)
{
    return smmuv3_name_suggest(names, s);
}

/* Check that n is a mapping with scalar, unique keys, all in `allowed`
 * (NULL-terminated). extra(): keys accepted besides `allowed`. */
typedef bool (*key_ok_fn)(const char *key, void *ctx);

static bool check_map(L *l, N *n, const char *what, const char *const *allowed, key_ok_fn extra, void *ctx)
{
    if (n->type != YAML_MAPPING_NODE)
        return fail(l, n, "expected a mapping for %s, got %s", what, kind_name(n));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = node(l, p->key);
        if (!k)
            return fail(l, n, "broken mapping in %s", what);
        const char *ks = scalar(l, k, "a key");
        if (!ks)
            return false;
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, ks) == 0)
                known = true;
        if (!known && extra && extra(ks, ctx))
            known = true;
        if (!known) {
            const char *s = suggest(allowed, ks);
            if (s)
                return fail(l, k, "unknown key '%s' in %s; did you mean '%s'?", ks, what, s);
            return fail(l, k, "unknown key '%s' in %s", ks, what);
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            N *k2 = node(l, q->key);
            if (k2 && k2->type == YAML_SCALAR_NODE && strcmp((const char *)k2->data.scalar.value, ks) == 0)
                return fail(l, k, "duplicate key '%s' in %s", ks, what);
        }
    }
    return true;
}

static N *get(L *l, N *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        N *k = node(l, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return node(l, p->value);
    }
    return NULL;
}

static N *need(L *l, N *map, const char *key, const char *what)
{
    N *n = get(l, map, key);
    if (!n)
        fail(l, map, "%s needs '%s'", what, key);
    return n;
}

/* ------------------------------------------------------------ scalars */
/* Numbers: decimal, 0x hex, 0b binary, '_' separators, an optional K/M/G/T suffix. */
static bool parse_number_text(const char *s, uint64_t *out)
{
    int base = 10;
    const char *p = s;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    }
    uint64_t v = 0;
    bool any = false;
    for (; *p; p++) {
        if (*p == '_')
            continue;
        int d;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (base == 16 && isxdigit((unsigned char)*p))
            d = tolower((unsigned char)*p) - 'a' + 10;
        else
            break;
        if (d >= base)
            return false;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return false;
        v = v * (uint64_t)base + (uint64_t)d;
        any = true;
    }
    if (!any)
        return false;
    if (*p) {
        unsigned shift;
        switch (*p) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        case 'T': case 't': shift = 40; break;
        default: return false;
        }
        if (base != 10 || p[1] != '\0')
            return false;
        if (v > (UINT64_MAX >> shift))
            return false;
        v <<= shift;
    }
    *out = v;
    return true;
}

static bool u64(L *l, N *n, const char *what, uint64_t *out)
{
    const char *s = scalar(l, n, what);
    if (!s)
        return false;
    if (!parse_number_text(s, out))
        return fail(l, n, "expected %s (a 64-bit integer: decimal, 0x hex, 0b binary, or a size like 4K/2M/1G), got '%s'",
                    what, s);
    return true;
}

static bool u64max(L *l, N *n, const char *what, uint64_t max, uint64_t *out)
{
    if (!u64(l, n, what, out))
        return false;
    if (*out > max)
        return fail(l, n, "%s must be at most %llu, got %llu", what, (unsigned long long)max,
                    (unsigned long long)*out);
    return true;
}

static bool boolean(L *l, N *n, const char *what, bool *out)
{
    const char *s = scalar(l, n, what);
    if (!s)
        return false;
    if (ieq(s, "true") || ieq(s, "yes") || strcmp(s, "1") == 0)
        *out = true;
    else if (ieq(s, "false") || ieq(s, "no") || strcmp(s, "0") == 0)
        *out = false;
    else
        return fail(l, n, "expected %s (true or false), got '%s'", what, s);
    return true;
}

static bool string(L *l, N *n, const char *what, const char **out)
{
    const char *s = scalar(l, n, what);
    if (!s)
        return false;
    *out = dupstr(l, s);
    return *out != NULL || fail(l, n, "out of memory");
}

static bool push_sym(L *l, sv_expr *e)
{
    if (l->nsyms == l->capsyms) {
        size_t cap = l->capsyms ? l->capsyms * 2 : 64;
        sv_expr **ns = realloc(l->syms, cap * sizeof(*ns));
        if (!ns)
            return false;
        l->syms = ns;
        l->capsyms = cap;
    }
    l->syms[l->nsyms++] = e;
    return true;
}

/* An address: a number, or NAME, NAME[index], optionally followed by +N or -N. */
static bool expr(L *l, N *n, const char *what, bool allow_sym, sv_expr *e)
{
    memset(e, 0, sizeof(*e));
    e->mark = mk(n);
    const char *s = scalar(l, n, what);
    if (!s)
        return false;
    if (isdigit((unsigned char)s[0]) || !allow_sym) {
        if (!parse_number_text(s, &e->off))
            return fail(l, n, "expected %s (a 64-bit integer%s), got '%s'", what,
                        allow_sym ? " or a name such as strtab, strtab.SID, a table name" : "", s);
        return true;
    }
    const char *p = s;
    if (!(isalpha((unsigned char)*p) || *p == '_'))
        return fail(l, n, "expected %s (a 64-bit integer or a name), got '%s'", what, s);
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    size_t len = (size_t)(p - s);
    char *sym = sv_alloc(l->v, len + 1);
    if (!sym)
        return fail(l, n, "out of memory");
    memcpy(sym, s, len);
    e->sym = sym;
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        /* NAME.N: the same as NAME[N], and usable inside { } flow mappings */
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        char buf[48];
        if (q - p - 1 > 40)
            return fail(l, n, "index too long in '%s'", s);
        memcpy(buf, p + 1, (size_t)(q - p - 1));
        buf[q - p - 1] = '\0';
        if (!parse_number_text(buf, &e->index))
            return fail(l, n, "expected a number after '.' in '%s'", s);
        e->has_index = true;
        p = q;
    } else if (*p == '[') {
        const char *q = strchr(p, ']');
        if (!q || q - p > 40)
            return fail(l, n, "expected ']' in '%s'", s);
        char buf[48];
        memcpy(buf, p + 1, (size_t)(q - p - 1));
        buf[q - p - 1] = '\0';
        if (!parse_number_text(buf, &e->index))
            return fail(l, n, "expected a number inside [] in '%s'", s);
        e->has_index = true;
        p = q + 1;
    }
    while (*p == ' ')
        p++;
    if (*p == '+' || *p == '-') {
        e->neg = *p == '-';
        p++;
        while (*p == ' ')
            p++;
        if (!parse_number_text(p, &e->off))
            return fail(l, n, "expected a number after '%c' in '%s'", e->neg ? '-' : '+', s);
    } else if (*p) {
        return fail(l, n, "unexpected '%s' in %s '%s'", p, what, s);
    }
    if (!push_sym(l, e))
        return fail(l, n, "out of memory");
    return true;
}

/* ------------------------------------------------------------ field maps */
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
        if (ieq(aliases[i].st, st->name) && strcmp(aliases[i].field, f->name) == 0 && ieq(aliases[i].name, s)) {
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
    e->mark = mk(vn);
    if (vn->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)vn->data.scalar.value;
        uint64_t av;
        if (strlen(s) == vn->data.scalar.length && field_alias(st, f, s, &av)) {
            e->off = av;
            return true;
        }
    }
    if (!expr(l, vn, what, allow_sym && f->addr, e))
        return false;
    if (!e->sym) {
        uint8_t img[64] = { 0 };
        if (smmuv3_field_set(f, img, e->off) != 0) {
            unsigned w = (unsigned)f->msb - f->lsb + 1;
            if (f->addr)
                return fail(l, vn, "address 0x%llx does not fit %s.%s (bits %u:%u, aligned to %llu bytes)",
                            (unsigned long long)e->off, st->name, f->name, f->msb, f->lsb,
                            1ull << f->lsb);
            return fail(l, vn, "value 0x%llx does not fit %s.%s (%u bits, at most 0x%llx)",
                        (unsigned long long)e->off, st->name, f->name, w,
                        (unsigned long long)smmuv3_field_max(f));
        }
    }
    return true;
}

/* Parse the pairs of `n` as fields of `st`, skipping keys in `skip`. */
static bool fields(L *l, N *n, const smmuv3_struct *st, const char *what, const char *const *skip,
                   bool allow_sym, sv_fields *out)
{
    out->st = st;
    if (n->type != YAML_MAPPING_NODE)
        return fail(l, n, "expected a mapping of %s fields, got %s", what, kind_name(n));
    size_t cnt = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
    out->items = sv_alloc(l->v, (cnt ? cnt : 1) * sizeof(*out->items));
    if (!out->items)
        return fail(l, n, "out of memory");
    out->n = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = node(l, p->key), *vn = node(l, p->value);
        if (!k || !vn)
            return fail(l, n, "broken mapping");
        const char *ks = scalar(l, k, "a field name");
        if (!ks)
            return false;
        bool skipped = false;
        for (const char *const *s = skip; s && *s; s++)
            if (strcmp(*s, ks) == 0)
                skipped = true;
        if (skipped)
            continue;
        const smmuv3_field *f = smmuv3_field_find(st, ks);
        if (!f) {
            const char *sg = smmuv3_field_suggest(st, ks);
            if (sg)
                return fail(l, k, "unknown field '%s' in %s; did you mean '%s'?", ks, what, sg);
            return fail(l, k, "unknown field '%s' in %s", ks, what);
        }
        for (size_t i = 0; i < out->n; i++)
            if (out->items[i].f == f)
                return fail(l, k, "field '%s' given twice in %s", ks, what);
        out->items[out->n].f = f;
        if (!field_value(l, st, f, vn, allow_sym, &out->items[out->n].v))
            return false;
        out->n++;
    }
    return true;
}

static bool seq(L *l, N *n, const char *what)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(l, n, "expected a list for %s, got %s", what, kind_name(n));
    return true;
}

#define SEQ_LEN(n) ((size_t)((n)->data.sequence.items.top - (n)->data.sequence.items.start))
#define SEQ_AT(l, n, i) node((l), (n)->data.sequence.items.start[(i)])

/* A list `s` (named `what` in messages) and an array of `size`-byte elements
 * for it: *count is its length; NULL (with the error reported) when `s` is
 * not a list or memory runs out. */
static void *seq_alloc(L *l, N *s, const char *what, size_t size, size_t *count)
{
    if (!seq(l, s, what))
        return NULL;
    *count = SEQ_LEN(s);
    void *a = sv_alloc(l->v, (*count ? *count : 1) * size);
    if (!a)
        fail(l, s, "out of memory");
    return a;
}

/* ------------------------------------------------------------ config */
typedef struct cfg_field { const char *name; size_t off; bool is_bool; } cfg_field;
#define CB(f) { #f, offsetof(smmuv3_config, f), true }
#define CU(f) { #f, offsetof(smmuv3_config, f), false }
static const cfg_field cfg_fields[] = {
    CB(s1p), CB(s2p), CB(gran4k), CB(gran16k), CB(gran64k), CU(oas), CB(vax), CU(sidsize),
    CU(ssidsize), CB(st_2level), CB(cd_2level), CB(ril), CB(msi), CB(ats), CB(pri), CU(stall_model),
    CB(term_model), CU(httu), CB(asid16), CB(vmid16), CB(hyp), CB(btm), CB(cohacc), CB(sev), CB(xnx),
    CB(had), CB(fwb), CU(cmdqs), CU(eventqs), CU(priqs), CU(stall_max), CU(iidr), CU(tlb_entries),
    CU(cfg_entries), CU(walk_entries), CB(fastpath),
};
#define NCFG (sizeof(cfg_fields) / sizeof(cfg_fields[0]))

static bool parse_config(L *l, N *n)
{
    const char *names[NCFG + 1];
    for (size_t i = 0; i < NCFG; i++)
        names[i] = cfg_fields[i].name;
    names[NCFG] = NULL;
    if (!check_map(l, n, "config", names, NULL, NULL))
        return false;
    for (size_t i = 0; i < NCFG; i++) {
        N *vn = get(l, n, cfg_fields[i].name);
        if (!vn)
            continue;
        char *base = (char *)&l->v->cfg + cfg_fields[i].off;
        if (cfg_fields[i].is_bool) {
            bool b;
            if (!boolean(l, vn, cfg_fields[i].name, &b))
                return false;
            memcpy(base, &b, sizeof(b));
        } else {
            uint64_t u;
            if (!u64max(l, vn, cfg_fields[i].name, UINT32_MAX, &u))
                return false;
            if (strcmp(cfg_fields[i].name, "iidr") == 0) {
                uint32_t x = (uint32_t)u;
                memcpy(base, &x, sizeof(x));
            } else {
                unsigned x = (unsigned)u;
                memcpy(base, &x, sizeof(x));
            }
        }
    }
    char msg[256] = "";
    if (smmuv3_config_validate(&l->v->cfg, msg, sizeof(msg)) != 0)
        return fail(l, n, "invalid config: %s", msg[0] ? msg : "rejected by smmuv3_config_validate");
    return true;
}

/* ------------------------------------------------------------ setup */
static bool granule(L *l, N *n, unsigned *out)
{
    uint64_t g;
    if (!u64(l, n, "a granule (4K, 16K or 64K)", &g))
        return false;
    if (g == 4096)
        *out = 12;
    else if (g == 16384)
        *out = 14;
    else if (g == 65536)
        *out = 16;
    else
        return fail(l, n, "expected a granule of 4K, 16K or 64K, got %llu", (unsigned long long)g);
    return true;
}

static bool perm_string(L *l, N *n, unsigned *out)
{
    const char *s = scalar(l, n, "permissions (a string of r, w, x, or 'none')");
    if (!s)
        return false;
    *out = 0;
    if (ieq(s, "none") || strcmp(s, "-") == 0 || s[0] == '\0')
        return true;
    for (const char *p = s; *p; p++) {
        unsigned b = *p == 'r' ? SV_R : *p == 'w' ? SV_W : *p == 'x' ? SV_X : 0;
        if (!b || (*out & b))
            return fail(l, n, "expected permissions as letters r, w, x (each once) or 'none', got '%s'", s);
        *out |= b;
    }
    return true;
}

static bool opt_int(L *l, N *map, const char *key, uint64_t max, int *out)
{
    N *n = get(l, map, key);
    *out = -1;
    if (!n)
        return true;
    uint64_t v;
    if (!u64max(l, n, key, max, &v))
        return false;
    *out = (int)v;
    return true;
}

static bool table_key(const char *key, void *ctx)
{
    return ctx && strcmp(key, "table") == 0;
}

/* stage 0: either iova or ipa (a map step, checked against its table at the end). */
static bool parse_mapping(L *l, N *n, int stage, sv_map *m, bool in_step)
{
    static const char *const keys[] = { "iova", "ipa", "pa", "size", "perm", "priv_only", "attrindx",
                                        "memattr", "sh", "af", "ng", "ns", "contig", "dbm", "ap", "s2ap",
                                        "xn", "pxn", "uxn", "pages", NULL };
    if (!check_map(l, n, in_step ? "map" : "a mapping", keys, table_key, in_step ? (void *)1 : NULL))
        return false;
    if (stage == 0)
        stage = get(l, n, "ipa") ? 2 : 1;
    m->key_stage = stage;
    m->mark = mk(n);
    const char *inkey = stage == 1 ? "iova" : "ipa";
    const char *otherkey = stage == 1 ? "ipa" : "iova";
    if (get(l, n, otherkey))
        return fail(l, get(l, n, otherkey), "a stage %d mapping takes '%s', not '%s'", stage, inkey, otherkey);
    N *in = need(l, n, inkey, "a mapping"), *out = in ? need(l, n, "pa", "a mapping") : NULL;
    if (!in || !out)
        return false;
    if (!expr(l, in, inkey, true, &m->in) || !expr(l, out, "pa", true, &m->out))
        return false;
    m->size = 0;
    N *sz = get(l, n, "size");
    if (sz && !u64(l, sz, "a size", &m->size))
        return false;
    m->perm = SV_R | SV_W;
    N *pn = get(l, n, "perm");
    if (pn && !perm_string(l, pn, &m->perm))
        return false;
    N *po = get(l, n, "priv_only");
    if (po && !boolean(l, po, "priv_only", &m->priv_only))
        return false;
    if (!opt_int(l, n, "attrindx", 7, &m->attrindx) || !opt_int(l, n, "memattr", 15, &m->memattr) ||
        !opt_int(l, n, "sh", 3, &m->sh) || !opt_int(l, n, "af", 1, &m->af) || !opt_int(l, n, "ng", 1, &m->ng) ||
        !opt_int(l, n, "ns", 1, &m->ns) || !opt_int(l, n, "contig", 1, &m->contig) ||
        !opt_int(l, n, "dbm", 1, &m->dbm) || !opt_int(l, n, "ap", 3, &m->ap) ||
        !opt_int(l, n, "s2ap", 3, &m->s2ap) || !opt_int(l, n, "xn", 3, &m->xn) ||
        !opt_int(l, n, "pxn", 1, &m->pxn) || !opt_int(l, n, "uxn", 1, &m->uxn))
        return false;
    N *pg = get(l, n, "pages");
    if (pg && !boolean(l, pg, "pages", &m->pages))
        return false;
    if (stage == 1 && pn && !(m->perm & SV_R))
        return fail(l, pn, "a stage 1 descriptor always grants read: use r, rw, rx or rwx (or 'af: 0' or an "
                           "unmapped address for no access)");
    if (stage == 1 && (get(l, n, "memattr") || get(l, n, "s2ap")))
        return fail(l, get(l, n, "memattr") ? get(l, n, "memattr") : get(l, n, "s2ap"),
                    "memattr and s2ap are stage 2 descriptor fields; stage 1 uses attrindx and ap");
    if (stage == 2 && (get(l, n, "attrindx") || get(l, n, "ap") || get(l, n, "ng") || get(l, n, "pxn") ||
                       get(l, n, "uxn") || get(l, n, "priv_only")))
        return fail(l, n, "attrindx, ap, ng, pxn, uxn and priv_only are stage 1 descriptor fields; "
                          "stage 2 uses memattr, s2ap and xn");
    return true;
}

static bool parse_page_table(L *l, N *n, sv_pt *pt)
{
    static const char *const keys[] = { "name", "stage", "granule", "ias", "start_level", "base", "tables",
                                        "space", "map", NULL };
    if (!check_map(l, n, "a page table", keys, NULL, NULL))
        return false;
    pt->mark = mk(n);
    N *nm = need(l, n, "name", "a page table");
    if (!nm || !string(l, nm, "a name", &pt->name))
        return false;
    N *st = need(l, n, "stage", "a page table");
    uint64_t u;
    if (!st || !u64(l, st, "a stage (1 or 2)", &u))
        return false;
    if (u != 1 && u != 2)
        return fail(l, st, "expected stage 1 or 2, got %llu", (unsigned long long)u);
    pt->stage = (int)u;
    pt->gran = 12;
    N *g = get(l, n, "granule");
    if (g && !granule(l, g, &pt->gran))
        return false;
    pt->ias = 48;
    N *ias = get(l, n, "ias");
    if (ias) {
        if (!u64(l, ias, "input address bits", &u))
            return false;
        if (u < 16 || u > 52)
            return fail(l, ias, "ias must be between 16 and 52 bits, got %llu", (unsigned long long)u);
        pt->ias = (unsigned)u;
    }
    if (!opt_int(l, n, "start_level", 3, &pt->start_level))
        return false;
    if (pt->stage == 1 && pt->start_level >= 0)
        return fail(l, get(l, n, "start_level"), "start_level applies to stage 2 tables (stage 1 starts where "
                                                  "T0SZ, from ias, puts it)");
    N *sp = get(l, n, "space");
    if (sp) {
        if (pt->stage != 1)
            return fail(l, sp, "'space' applies to stage 1 tables (their addresses are IPAs of a stage 2 table)");
        if (!string(l, sp, "the name of a stage 2 page table", &pt->space))
            return false;
        pt->space_mark = mk(sp);
        if (!get(l, n, "base"))
            return fail(l, n, "a table in an IPA space needs an explicit 'base' (an IPA the stage 2 table maps)");
    }
    pt->tables = 64;
    N *tb = get(l, n, "tables");
    if (tb) {
        if (!u64(l, tb, "a table count", &u))
            return false;
        if (u < 1 || u > 4096)
            return fail(l, tb, "tables must be between 1 and 4096, got %llu", (unsigned long long)u);
        pt->tables = (unsigned)u;
    }
    N *b = get(l, n, "base");
    if (b) {
        pt->has_base = true;
        if (!expr(l, b, "a base address", true, &pt->base))
            return false;
    }
    N *mp = get(l, n, "map");
    if (mp) {
        if (!seq(l, mp, "map"))
            return false;
        pt->nmaps = SEQ_LEN(mp);
        pt->maps = sv_alloc(l->v, (pt->nmaps ? pt->nmaps : 1) * sizeof(*pt->maps));
        if (!pt->maps)
            return fail(l, mp, "out of memory");
        for (size_t i = 0; i < pt->nmaps; i++)
            if (!parse_mapping(l, SEQ_AT(l, mp, i), pt->stage, &pt->maps[i], false))
                return false;
    }
    return true;
}

static bool parse_cd_table(L *l, N *n, sv_cdtab *t)
{
    static const char *const keys[] = { "name", "format", "log2size", "leaf", "base", "space", "cds", NULL };
    if (!check_map(l, n, "a CD table", keys, NULL, NULL))
        return false;
    t->mark = mk(n);
    N *nm = need(l, n, "name", "a CD table");
    if (!nm || !string(l, nm, "a name", &t->name))
        return false;
    N *f = get(l, n, "format");
    if (f) {
        const char *s = scalar(l, f, "a format (linear or 2-level)");
        if (!s)
            return false;
        if (strcmp(s, "linear") == 0)
            t->two_level = false;
        else if (strcmp(s, "2-level") == 0)
            t->two_level = true;
        else
            return fail(l, f, "expected a CD table format 'linear' or '2-level', got '%s'", s);
    }
    uint64_t u;
    t->log2size = 0;
    N *ls = get(l, n, "log2size");
    if (ls) {
        if (!u64max(l, ls, "log2size (S1CDMAX)", 20, &u))
            return false;
        t->log2size = (unsigned)u;
    }
    if (!t->two_level && t->log2size > 16)
        return fail(l, ls, "a linear CD table of 2^%u CDs is too large for a vector (at most 2^16; "
                           "use format: 2-level)", t->log2size);
    t->leaf = 6;
    N *lf = get(l, n, "leaf");
    if (lf) {
        unsigned g;
        if (!granule(l, lf, &g))
            return false;
        if (g == 14)
            return fail(l, lf, "a CD leaf table is 4K or 64K");
        t->leaf = g - 6;
    }
    if (lf && !t->two_level)
        return fail(l, lf, "'leaf' applies to 2-level CD tables only");
    N *b = get(l, n, "base");
    if (b) {
        t->has_base = true;
        if (!expr(l, b, "a base address", true, &t->base))
            return false;
    }
    N *spn = get(l, n, "space");
    if (spn) {
        if (!string(l, spn, "the name of a stage 2 page table", &t->space))
            return false;
        t->space_mark = mk(spn);
        if (!b)
            return fail(l, n, "a CD table in an IPA space needs an explicit 'base' (an IPA the stage 2 table maps)");
    }
    N *cds = need(l, n, "cds", "a CD table");
    if (!cds || !seq(l, cds, "cds"))
        return false;
    t->ncds = SEQ_LEN(cds);
    t->cds = sv_alloc(l->v, (t->ncds ? t->ncds : 1) * sizeof(*t->cds));
    if (!t->cds)
        return fail(l, cds, "out of memory");
    const smmuv3_struct *cdst = smmuv3_struct_find("cd");
    static const char *const skip[] = { "ssid", NULL };
    for (size_t i = 0; i < t->ncds; i++) {
        N *c = SEQ_AT(l, cds, i);
        t->cds[i].mark = mk(c);
        if (c->type != YAML_MAPPING_NODE)
            return fail(l, c, "expected a mapping for a CD (ssid and CD fields), got %s", kind_name(c));
        N *ss = get(l, c, "ssid");
        t->cds[i].ssid = 0;
        if (ss && !u64max(l, ss, "an ssid", (1u << 20) - 1, &t->cds[i].ssid))
            return false;
        if (t->cds[i].ssid >> t->log2size && t->cds[i].ssid != 0)
            return fail(l, ss, "ssid %llu is outside the table (log2size %u)",
                        (unsigned long long)t->cds[i].ssid, t->log2size);
        for (size_t j = 0; j < i; j++)
            if (t->cds[j].ssid == t->cds[i].ssid)
                return fail(l, c, "a second CD for ssid %llu", (unsigned long long)t->cds[i].ssid);
        if (!fields(l, c, cdst, "cd", skip, true, &t->cds[i].f))
            return false;
    }
    return true;
}

static bool parse_stream_table(L *l, N *n)
{
    static const char *const keys[] = { "format", "log2size", "split", "base", NULL };
    if (!check_map(l, n, "stream_table", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    v->strtab_present = true;
    N *f = get(l, n, "format");
    if (f) {
        const char *s = scalar(l, f, "a format (linear or 2-level)");
        if (!s)
            return false;
        if (strcmp(s, "linear") == 0)
            v->strtab_2level = false;
        else if (strcmp(s, "2-level") == 0)
            v->strtab_2level = true;
        else
            return fail(l, f, "expected a stream table format 'linear' or '2-level', got '%s'", s);
    }
    uint64_t u;
    N *ls = get(l, n, "log2size");
    if (ls) {
        if (!u64max(l, ls, "log2size", 32, &u))
            return false;
        v->strtab_log2 = (unsigned)u;
    }
    N *sp = get(l, n, "split");
    if (sp) {
        if (!v->strtab_2level)
            return fail(l, sp, "'split' applies to 2-level stream tables only");
        if (!u64max(l, sp, "split", 24, &u))
            return false;
        v->strtab_split = (unsigned)u;
    }
    if (!ls && v->strtab_2level)
        return fail(l, n, "a 2-level stream table needs 'log2size'");
    if (!ls)
        v->strtab_log2 = 0xff; /* derived from the largest SID */
    if (v->strtab_2level && v->strtab_split > v->strtab_log2)
        return fail(l, sp ? sp : n, "split %u is larger than log2size %u", v->strtab_split, v->strtab_log2);
    if (!v->strtab_2level && ls && v->strtab_log2 > 16)
        return fail(l, ls, "a linear stream table of 2^%u entries is too large for a vector (at most 2^16; "
                           "use format: 2-level)", v->strtab_log2);
    N *b = get(l, n, "base");
    if (b) {
        v->strtab_has_base = true;
        if (!expr(l, b, "a base address", true, &v->strtab_base))
            return false;
    }
    return true;
}

static bool struct_key(const char *key, void *ctx)
{
    (void)ctx;
    return smmuv3_struct_find(key) != NULL;
}

/* A memory entry: addr plus one of value (+size), bytes, abort, or <struct>: {fields}. */
static bool parse_mem(L *l, N *n, sv_mem *m, bool is_read)
{
    static const char *const wkeys[] = { "addr", "desc", "value", "size", "bytes", "abort", NULL };
    static const char *const rkeys[] = { "addr", "desc", "size", "len", "struct", NULL };
    if (!check_map(l, n, is_read ? "memory_read" : "a memory write", is_read ? rkeys : wkeys,
                   is_read ? NULL : struct_key, NULL))
        return false;
    m->mark = mk(n);
    N *a = get(l, n, "addr"), *d = get(l, n, "desc");
    if (!!a == !!d)
        return fail(l, n, "a memory entry takes exactly one of 'addr' or 'desc' (a descriptor: "
                          "{ table, iova | ipa, level })");
    if (a && !expr(l, a, "an address", true, &m->addr))
        return false;
    if (d) {
        static const char *const dk[] = { "table", "iova", "ipa", "level", NULL };
        if (!check_map(l, d, "desc", dk, NULL, NULL))
            return false;
        N *t = need(l, d, "table", "desc"), *lv = t ? need(l, d, "level", "desc") : NULL;
        N *in = get(l, d, "iova") ? get(l, d, "iova") : get(l, d, "ipa");
        if (!t || !lv)
            return false;
        if (!in || (get(l, d, "iova") && get(l, d, "ipa")))
            return fail(l, d, "desc needs one of 'iova' (stage 1) or 'ipa' (stage 2)");
        uint64_t u;
        if (!string(l, t, "a page table name", &m->dtable) || !u64(l, in, "an address", &m->diova) ||
            !u64max(l, lv, "a level", 3, &u))
            return false;
        m->dlevel = (unsigned)u;
        m->has_desc = true;
        m->dmark = mk(t);
    }
    if (is_read) {
        N *st = get(l, n, "struct"), *sz = get(l, n, "size"), *ln = get(l, n, "len");
        if (!!st + !!sz + !!ln > 1)
            return fail(l, n, "memory_read takes one of size, len or struct");
        if (st) {
            const char *s = scalar(l, st, "a structure name");
            if (!s)
                return false;
            m->fields.st = smmuv3_struct_find(s);
            if (!m->fields.st)
                return fail(l, st, "unknown structure '%s' (ste, cd, l1std, l1cd, event, pri, CMD_*)", s);
            m->kind = SV_MEM_STRUCT;
        } else if (ln) {
            m->kind = SV_MEM_BYTES;
            if (!u64max(l, ln, "a length", 4096, &m->len))
                return false;
        } else {
            m->kind = SV_MEM_VALUE;
            m->size = 8;
            uint64_t u;
            if (sz) {
                if (!u64(l, sz, "a size (1, 2, 4 or 8)", &u))
                    return false;
                if (u != 1 && u != 2 && u != 4 && u != 8)
                    return fail(l, sz, "expected a size of 1, 2, 4 or 8 bytes, got %llu", (unsigned long long)u);
                m->size = (unsigned)u;
            }
        }
        return true;
    }
    int kinds = 0;
    N *val = get(l, n, "value"), *bytes = get(l, n, "bytes"), *ab = get(l, n, "abort");
    N *stn = NULL, *stk = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = node(l, p->key);
        if (k && smmuv3_struct_find((const char *)k->data.scalar.value)) {
            kinds++;
            stk = k;
            stn = node(l, p->value);
        }
    }
    kinds += !!val + !!bytes + !!ab;
    if (kinds != 1)
        return fail(l, n, "a memory write takes exactly one of value, bytes, abort or a structure "
                          "(ste: {...}, cd: {...}, ...)");
    if (get(l, n, "size") && !val)
        return fail(l, get(l, n, "size"), "'size' goes with 'value'");
    if (val) {
        m->kind = SV_MEM_VALUE;
        m->size = 8;
        N *sz = get(l, n, "size");
        uint64_t u;
        if (sz) {
            if (!u64(l, sz, "a size (1, 2, 4 or 8)", &u))
                return false;
            if (u != 1 && u != 2 && u != 4 && u != 8)
                return fail(l, sz, "expected a size of 1, 2, 4 or 8 bytes, got %llu", (unsigned long long)u);
            m->size = (unsigned)u;
        }
        if (!expr(l, val, "a value", true, &m->value))
            return false;
        if (!m->value.sym && m->size < 8 && (m->value.off >> (8 * m->size)))
            return fail(l, val, "value 0x%llx does not fit %u bytes", (unsigned long long)m->value.off, m->size);
    } else if (bytes) {
        m->kind = SV_MEM_BYTES;
        if (!seq(l, bytes, "bytes"))
            return false;
        m->nbytes = SEQ_LEN(bytes);
        m->bytes = sv_alloc(l->v, m->nbytes ? m->nbytes : 1);
        if (!m->bytes)
            return fail(l, bytes, "out of memory");
        for (size_t i = 0; i < m->nbytes; i++) {
            uint64_t u;
            if (!u64max(l, SEQ_AT(l, bytes, i), "a byte", 255, &u))
                return false;
            m->bytes[i] = (uint8_t)u;
        }
    } else if (ab) {
        m->kind = SV_MEM_ABORT;
        if (!u64(l, ab, "the length of an abort range", &m->len))
            return false;
        if (m->len == 0)
            return fail(l, ab, "an abort range needs a length above 0");
    } else {
        m->kind = SV_MEM_STRUCT;
        const smmuv3_struct *st = smmuv3_struct_find((const char *)stk->data.scalar.value);
        char what[64];
        snprintf(what, sizeof(what), "%s", st->name);
        if (!fields(l, stn, st, what, NULL, true, &m->fields))
            return false;
    }
    return true;
}

/* A register by name (reg:) or offset (offset:), with size. */
static bool parse_reg(L *l, N *n, sv_mmio *m)
{
    N *r = get(l, n, "reg"), *o = get(l, n, "offset"), *sz = get(l, n, "size");
    m->mark = mk(n);
    if (!!r == !!o)
        return fail(l, n, "expected exactly one of 'reg' (a register name) or 'offset'");
    if (r) {
        const char *s = scalar(l, r, "a register name");
        if (!s)
            return false;
        m->reg = smmuv3_reg_find(s);
        if (!m->reg) {
            const char *names[128];
            unsigned k = 0;
            for (unsigned i = 0; i < smmuv3_reg_count() && k < 127; i++)
                names[k++] = smmuv3_reg_at(i)->name;
            names[k] = NULL;
            const char *sg = suggest(names, s);
            if (sg)
                return fail(l, r, "unknown register '%s'; did you mean '%s'?", s, sg);
            return fail(l, r, "unknown register '%s'", s);
        }
        m->offset = m->reg->offset;
        m->size = m->reg->size;
    } else {
        if (!u64max(l, o, "a register offset", 0x1fffc, &m->offset))
            return false;
        m->size = 4;
        m->reg = smmuv3_reg_by_offset(m->offset);
        if (m->reg)
            m->size = m->reg->size;
    }
    if (sz) {
        uint64_t u;
        if (!u64(l, sz, "an access size (4 or 8)", &u))
            return false;
        if (u != 4 && u != 8)
            return fail(l, sz, "expected an access size of 4 or 8, got %llu", (unsigned long long)u);
        m->size = (unsigned)u;
    }
    if (m->offset & (m->size - 1))
        return fail(l, n, "offset 0x%llx is not aligned to the %u-byte access", (unsigned long long)m->offset,
                    m->size);
    return true;
}

/* value: N or fields: {...} (register layout). `vn` is the value node. */
static bool reg_value(L *l, N *vn, sv_mmio *m, const char *what)
{
    if (vn->type == YAML_MAPPING_NODE) {
        if (!m->reg)
            return fail(l, vn, "fields need a register given by name");
        char w[64];
        snprintf(w, sizeof(w), "%s", m->reg->name);
        return fields(l, vn, m->reg->layout, w, NULL, true, &m->fields);
    }
    m->has_value = true;
    if (!expr(l, vn, what, true, &m->value))
        return false;
    if (!m->value.sym && m->size == 4 && m->value.off > UINT32_MAX)
        return fail(l, vn, "value 0x%llx does not fit a 32-bit register", (unsigned long long)m->value.off);
    return true;
}

static bool parse_mmio_write(L *l, N *n, sv_mmio *m)
{
    static const char *const keys[] = { "reg", "offset", "size", "value", "fields", NULL };
    if (!check_map(l, n, "an MMIO write", keys, NULL, NULL) || !parse_reg(l, n, m))
        return false;
    N *v = get(l, n, "value"), *f = get(l, n, "fields");
    if (!!v == !!f)
        return fail(l, n, "an MMIO write takes exactly one of 'value' or 'fields'");
    if (f && f->type != YAML_MAPPING_NODE)
        return fail(l, f, "expected a mapping of register fields, got %s", kind_name(f));
    return reg_value(l, v ? v : f, m, "a register value");
}

static bool parse_setup(L *l, N *n)
{
    static const char *const keys[] = { "smmu", "stream_table", "streams", "cd_tables", "page_tables",
                                        "memory", "mmio", NULL };
    if (!check_map(l, n, "setup", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    N *sm = get(l, n, "smmu");
    if (sm) {
        static const char *const sk[] = { "bringup", "smmuen", "eventq", "cmdq_log2size", "eventq_log2size",
                                          "gbpa", "cr2", NULL };
        if (!check_map(l, sm, "smmu", sk, NULL, NULL))
            return false;
        N *x;
        uint64_t u;
        if ((x = get(l, sm, "bringup")) && !boolean(l, x, "bringup", &v->bringup))
            return false;
        if ((x = get(l, sm, "smmuen")) && !boolean(l, x, "smmuen", &v->smmuen))
            return false;
        if ((x = get(l, sm, "eventq")) && !boolean(l, x, "eventq", &v->eventq_en))
            return false;
        if ((x = get(l, sm, "cmdq_log2size"))) {
            if (!u64max(l, x, "cmdq_log2size", 19, &u))
                return false;
            v->cmdq_log2 = (unsigned)u;
        }
        if ((x = get(l, sm, "eventq_log2size"))) {
            if (!u64max(l, x, "eventq_log2size", 19, &u))
                return false;
            v->eventq_log2 = (unsigned)u;
        }
        if ((x = get(l, sm, "gbpa"))) {
            if (!u64max(l, x, "gbpa", UINT32_MAX, &u))
                return false;
            v->has_gbpa = true;
            v->gbpa = (uint32_t)u;
        }
        if ((x = get(l, sm, "cr2"))) {
            if (!u64max(l, x, "cr2", UINT32_MAX, &u))
                return false;
            v->has_cr2 = true;
            v->cr2 = (uint32_t)u;
        }
    }
    N *st = get(l, n, "stream_table");
    if (st && !parse_stream_table(l, st))
        return false;
    N *ss = get(l, n, "streams");
    if (ss) {
        v->streams = seq_alloc(l, ss, "streams", sizeof(*v->streams), &v->nstreams);
        if (!v->streams)
            return false;
        const smmuv3_struct *ste = smmuv3_struct_find("ste");
        static const char *const skip[] = { "sid", NULL };
        for (size_t i = 0; i < v->nstreams; i++) {
            N *s = SEQ_AT(l, ss, i);
            v->streams[i].mark = mk(s);
            if (s->type != YAML_MAPPING_NODE)
                return fail(l, s, "expected a mapping for a stream (sid and STE fields), got %s", kind_name(s));
            N *sid = need(l, s, "sid", "a stream");
            if (!sid || !u64max(l, sid, "a StreamID", UINT32_MAX, &v->streams[i].sid))
                return false;
            for (size_t j = 0; j < i; j++)
                if (v->streams[j].sid == v->streams[i].sid)
                    return fail(l, sid, "a second stream with sid %llu", (unsigned long long)v->streams[i].sid);
            if (!fields(l, s, ste, "ste", skip, true, &v->streams[i].ste))
                return false;
        }
    }
    N *ct = get(l, n, "cd_tables");
    if (ct) {
        v->cdtabs = seq_alloc(l, ct, "cd_tables", sizeof(*v->cdtabs), &v->ncdtabs);
        if (!v->cdtabs)
            return false;
        for (size_t i = 0; i < v->ncdtabs; i++)
            if (!parse_cd_table(l, SEQ_AT(l, ct, i), &v->cdtabs[i]))
                return false;
    }
    N *pt = get(l, n, "page_tables");
    if (pt) {
        v->pts = seq_alloc(l, pt, "page_tables", sizeof(*v->pts), &v->npts);
        if (!v->pts)
            return false;
        for (size_t i = 0; i < v->npts; i++)
            if (!parse_page_table(l, SEQ_AT(l, pt, i), &v->pts[i]))
                return false;
    }
    N *mem = get(l, n, "memory");
    if (mem) {
        v->mem = seq_alloc(l, mem, "memory", sizeof(*v->mem), &v->nmem);
        if (!v->mem)
            return false;
        for (size_t i = 0; i < v->nmem; i++)
            if (!parse_mem(l, SEQ_AT(l, mem, i), &v->mem[i], false))
                return false;
    }
    N *mm = get(l, n, "mmio");
    if (mm) {
        v->mmio = seq_alloc(l, mm, "mmio", sizeof(*v->mmio), &v->nmmio);
        if (!v->mmio)
            return false;
        for (size_t i = 0; i < v->nmmio; i++)
            if (!parse_mmio_write(l, SEQ_AT(l, mm, i), &v->mmio[i]))
                return false;
    }
    return true;
}

/* ------------------------------------------------------------ steps */
static bool parse_command(L *l, N *n, sv_cmd *c)
{
    c->mark = mk(n);
    const char *op = NULL;
    N *opn = n;
    if (n->type == YAML_SCALAR_NODE) {
        op = scalar(l, n, "a command name");
        if (!op)
            return false;
    } else if (n->type == YAML_MAPPING_NODE) {
        N *raw = get(l, n, "raw");
        if (raw) {
            if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
                return fail(l, n, "a raw command takes only 'raw: [dw0, dw1]'");
            if (!seq(l, raw, "raw") )
                return false;
            if (SEQ_LEN(raw) != 2)
                return fail(l, raw, "expected two 64-bit words for a raw command, got %zu", SEQ_LEN(raw));
            c->raw = true;
            return u64(l, SEQ_AT(l, raw, 0), "a 64-bit integer", &c->rawv[0]) &&
                   u64(l, SEQ_AT(l, raw, 1), "a 64-bit integer", &c->rawv[1]);
        }
        opn = get(l, n, "op");
        if (!opn)
            return fail(l, n, "a command needs 'op' (its name, such as CMD_CFGI_STE) or 'raw'");
        op = scalar(l, opn, "a command name");
        if (!op)
            return false;
    } else {
        return fail(l, n, "expected a command (a name, or a mapping with op and fields), got %s", kind_name(n));
    }
    int opc = smmuv3_command_opcode(op);
    if (opc < 0) {
        const char *names[64];
        unsigned k = 0;
        for (unsigned i = 0; i < 256 && k < 63; i++)
            if (smmuv3_command_name(i))
                names[k++] = smmuv3_command_name(i);
        names[k] = NULL;
        const char *sg = suggest(names, op);
        if (!sg) {
            char buf[64];
            snprintf(buf, sizeof(buf), "CMD_%s", op);
            sg = suggest(names, buf);
        }
        if (sg)
            return fail(l, opn, "unknown command '%s'; did you mean '%s'?", op, sg);
        return fail(l, opn, "unknown command '%s'", op);
    }
    c->opcode = (unsigned)opc;
    const smmuv3_struct *st = smmuv3_command_layout(c->opcode);
    c->fields.st = st;
    if (n->type == YAML_MAPPING_NODE) {
        static const char *const skip[] = { "op", NULL };
        if (!fields(l, n, st, st->name, skip, true, &c->fields))
            return false;
        for (size_t i = 0; i < c->fields.n; i++)
            if (strcmp(c->fields.items[i].f->name, "opcode") == 0)
                return fail(l, n, "the opcode comes from 'op'; use 'raw' for an arbitrary opcode");
    }
    return true;
}

static bool parse_events(L *l, N *n, sv_events *e)
{
    static const char *const keys[] = { "count", "records", "overflow", NULL };
    if (!check_map(l, n, "expect_events", keys, NULL, NULL))
        return false;
    e->count = -1;
    e->overflow = -1;
    N *c = get(l, n, "count"), *r = get(l, n, "records"), *o = get(l, n, "overflow");
    uint64_t u;
    if (c) {
        if (!u64max(l, c, "a record count", 1u << 20, &u))
            return false;
        e->count = (int64_t)u;
    }
    if (o) {
        bool b;
        if (!boolean(l, o, "overflow", &b))
            return false;
        e->overflow = b;
    }
    if (r) {
        if (!seq(l, r, "records"))
            return false;
        e->nrecords = SEQ_LEN(r);
        e->records = sv_alloc(l->v, (e->nrecords ? e->nrecords : 1) * sizeof(*e->records));
        if (!e->records)
            return fail(l, r, "out of memory");
        const smmuv3_struct *ev = smmuv3_struct_find("event");
        for (size_t i = 0; i < e->nrecords; i++)
            if (!fields(l, SEQ_AT(l, r, i), ev, "event", NULL, true, &e->records[i]))
                return false;
        if (c && e->count >= 0 && (size_t)e->count < e->nrecords)
            return fail(l, r, "%zu records listed but count is %lld", e->nrecords, (long long)e->count);
    }
    if (!c && !r && !o)
        return fail(l, n, "expect_events needs count, records or overflow");
    return true;
}

static bool access_kind(L *l, N *n, uint32_t *flags)
{
    const char *s = scalar(l, n, "an access (read, write or exec)");
    if (!s)
        return false;
    if (strcmp(s, "read") == 0)
        ;
    else if (strcmp(s, "write") == 0)
        *flags |= SMMUV3_TXN_WRITE;
    else if (strcmp(s, "exec") == 0)
        *flags |= SMMUV3_TXN_EXEC;
    else
        return fail(l, n, "expected an access of read, write or exec, got '%s'", s);
    return true;
}

static bool outcome_name(L *l, N *n, int *out)
{
    const char *s = scalar(l, n, "an outcome (ok, abort, razwi, stall)");
    if (!s)
        return false;
    static const char *const names[] = { "ok", "abort", "razwi", "stall", NULL };
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return true;
        }
    return fail(l, n, "expected an outcome of ok, abort, razwi or stall, got '%s'", s);
}

static bool event_name(L *l, N *n, int *out)
{
    const char *s = scalar(l, n, "an event name such as F_TRANSLATION");
    if (!s)
        return false;
    int id = smmuv3_event_id(s);
    if (id < 0) {
        const char *names[64];
        unsigned k = 0;
        for (unsigned i = 0; i < 256 && k < 63; i++)
            if (smmuv3_event_name(i))
                names[k++] = smmuv3_event_name(i);
        names[k] = NULL;
        const char *sg = suggest(names, s);
        if (sg)
            return fail(l, n, "unknown event '%s'; did you mean '%s'?", s, sg);
        return fail(l, n, "unknown event '%s'", s);
    }
    *out = id;
    return true;
}

static bool parse_translate(L *l, N *n, N *ex, sv_xlate *x)
{
    static const char *const keys[] = { "sid", "ssid", "iova", "access", "priv", NULL };
    if (!check_map(l, n, "translate", keys, NULL, NULL))
        return false;
    N *sid = need(l, n, "sid", "translate"), *iova = sid ? need(l, n, "iova", "translate") : NULL;
    if (!sid || !iova || !u64max(l, sid, "a StreamID", UINT32_MAX, &x->sid) || !u64(l, iova, "an IOVA", &x->iova))
        return false;
    N *ss = get(l, n, "ssid");
    if (ss) {
        x->ssv = true;
        if (!u64max(l, ss, "a SubstreamID", (1u << 20) - 1, &x->ssid))
            return false;
    }
    N *ac = get(l, n, "access");
    if (ac && !access_kind(l, ac, &x->flags))
        return false;
    N *pv = get(l, n, "priv");
    bool priv = false;
    if (pv && !boolean(l, pv, "priv", &priv))
        return false;
    if (priv)
        x->flags |= SMMUV3_TXN_PRIV;
    x->outcome = -1;
    x->memattr = x->sh = x->bypass = x->fault = -1;
    if (!ex)
        return true;
    static const char *const ek[] = { "pa", "size", "perm", "memattr", "sh", "bypass", "outcome", "fault",
                                      "event", NULL };
    if (!check_map(l, ex, "a translate expectation", ek, NULL, NULL))
        return false;
    x->expect_mark = mk(ex);
    N *e;
    if ((e = get(l, ex, "pa"))) {
        x->has_pa = true;
        if (!expr(l, e, "a physical address", true, &x->pa))
            return false;
    }
    if ((e = get(l, ex, "size"))) {
        x->has_size = true;
        if (!u64(l, e, "a size", &x->size))
            return false;
    }
    if ((e = get(l, ex, "perm"))) {
        x->has_perm = true;
        if (!perm_string(l, e, &x->perm))
            return false;
    }
    if (!opt_int(l, ex, "memattr", 255, &x->memattr) || !opt_int(l, ex, "sh", 3, &x->sh))
        return false;
    if ((e = get(l, ex, "bypass"))) {
        bool b;
        if (!boolean(l, e, "bypass", &b))
            return false;
        x->bypass = b;
    }
    if ((e = get(l, ex, "outcome")) && !outcome_name(l, e, &x->outcome))
        return false;
    if ((e = get(l, ex, "fault")) && !event_name(l, e, &x->fault))
        return false;
    if ((e = get(l, ex, "event"))) {
        if (e->type == YAML_SCALAR_NODE && strcmp((const char *)e->data.scalar.value, "none") == 0) {
            x->event_mode = SV_EV_NONE;
        } else {
            x->event_mode = SV_EV_RECORD;
            if (!fields(l, e, smmuv3_struct_find("event"), "event", NULL, true, &x->event))
                return false;
        }
    }
    if (x->has_pa && x->fault >= 0)
        return fail(l, ex, "a translation cannot both give a pa and fault");
    if (x->has_pa && x->outcome > 0)
        return fail(l, ex, "a pa goes with outcome ok");
    if (x->outcome < 0)
        x->outcome = x->fault >= 0 ? SMMUV3_XLATE_ABORT : SMMUV3_XLATE_OK;
    return true;
}

static const struct { const char *name; uint32_t v; } dma_results[] = {
    { "ok", 0 }, { "idle", 0xFFFFFFFFu }, { "busy", 0xFFFFFFFEu }, { "bad_len", 0xDEAD0001u },
    { "tx_fail", 0xDEAD0002u }, { "rd_fail", 0xDEAD0003u }, { "mismatch", 0xDEAD0004u },
    { "not_armed", 0xDEAD0005u }, { "bad_attrs", 0xDEAD0006u },
};

static bool dma_result(L *l, N *n, int64_t *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)n->data.scalar.value;
        for (size_t i = 0; i < sizeof(dma_results) / sizeof(dma_results[0]); i++)
            if (strcmp(s, dma_results[i].name) == 0) {
                *out = dma_results[i].v;
                return true;
            }
    }
    uint64_t u;
    if (!u64max(l, n, "a RESULT (ok, tx_fail, ..., or a 32-bit value)", UINT32_MAX, &u))
        return false;
    *out = (int64_t)u;
    return true;
}

static bool parse_dma(L *l, N *n, N *ex, sv_dma *d)
{
    static const char *const keys[] = { "sid", "ssid", "iova", "len", "attrs", "gpa", "arm", "priv", "exec", NULL };
    if (!check_map(l, n, "dma", keys, NULL, NULL))
        return false;
    N *sid = need(l, n, "sid", "dma"), *iova = sid ? need(l, n, "iova", "dma") : NULL;
    if (!sid || !iova || !u64max(l, sid, "a StreamID", UINT32_MAX, &d->sid) ||
        !expr(l, iova, "an IOVA", true, &d->iova))
        return false;
    N *x;
    d->len = 4;
    d->attrs = 0xA;
    d->arm = true;
    if ((x = get(l, n, "len")) && !u64max(l, x, "a length", UINT32_MAX, &d->len))
        return false;
    if ((x = get(l, n, "attrs")) && !u64max(l, x, "ATTRS", UINT32_MAX, &d->attrs))
        return false;
    if ((x = get(l, n, "gpa"))) {
        d->has_gpa = true;
        if (!expr(l, x, "a GPA", true, &d->gpa))
            return false;
    }
    if ((x = get(l, n, "arm")) && !boolean(l, x, "arm", &d->arm))
        return false;
    bool b;
    if ((x = get(l, n, "priv"))) {
        if (!boolean(l, x, "priv", &b))
            return false;
        d->txn_attrs |= b ? 1u : 0u;
    }
    if ((x = get(l, n, "exec"))) {
        if (!boolean(l, x, "exec", &b))
            return false;
        d->txn_attrs |= b ? 2u : 0u;
    }
    if ((x = get(l, n, "ssid"))) {
        d->ssv = true;
        if (!u64max(l, x, "a SubstreamID", (1u << 20) - 1, &d->ssid))
            return false;
    }
    d->result = -1;
    if (ex) {
        if (ex->type == YAML_MAPPING_NODE) {
            static const char *const ek[] = { "result", NULL };
            if (!check_map(l, ex, "a dma expectation", ek, NULL, NULL))
                return false;
            N *r = need(l, ex, "result", "a dma expectation");
            if (!r || !dma_result(l, r, &d->result))
                return false;
        } else if (!dma_result(l, ex, &d->result)) {
            return false;
        }
    }
    return true;
}

static bool parse_mem_expect(L *l, N *ex, sv_mem *m)
{
    switch (m->kind) {
    case SV_MEM_STRUCT:
        return fields(l, ex, m->fields.st, m->fields.st->name, NULL, true, &m->fields);
    case SV_MEM_BYTES:
        if (!seq(l, ex, "the expected bytes"))
            return false;
        if (SEQ_LEN(ex) != m->len)
            return fail(l, ex, "expected %llu bytes (len), got a list of %zu", (unsigned long long)m->len,
                        SEQ_LEN(ex));
        m->nbytes = SEQ_LEN(ex);
        m->bytes = sv_alloc(l->v, m->nbytes ? m->nbytes : 1);
        if (!m->bytes)
            return fail(l, ex, "out of memory");
        for (size_t i = 0; i < m->nbytes; i++) {
            uint64_t u;
            if (!u64max(l, SEQ_AT(l, ex, i), "a byte", 255, &u))
                return false;
            m->bytes[i] = (uint8_t)u;
        }
        return true;
    default:
        if (!expr(l, ex, "the expected value", true, &m->value))
            return false;
        if (!m->value.sym && m->size < 8 && (m->value.off >> (8 * m->size)))
            return fail(l, ex, "value 0x%llx does not fit %u bytes", (unsigned long long)m->value.off, m->size);
        return true;
    }
}

static const char *const actions[] = { "mmio_write", "mmio_read", "command", "commands", "memory_write",
                                       "memory_read", "translate", "dma", "testdev_write", "testdev_read",
                                       "expect_events", "expect_gerror", "expect_cmdq_error", "gerror_ack",
                                       "map", "unmap", NULL };

static bool parse_step(L *l, N *n, sv_step *s)
{
    static const char *const extra[] = { "expect", "note", NULL };
    if (n->type != YAML_MAPPING_NODE)
        return fail(l, n, "expected a step (a mapping with one action such as translate:), got %s", kind_name(n));
    s->mark = mk(n);
    const char *all[32];
    size_t k = 0;
    for (size_t i = 0; actions[i]; i++)
        all[k++] = actions[i];
    all[k++] = "expect";
    all[k++] = "note";
    all[k] = NULL;
    if (!check_map(l, n, "a step", all, NULL, NULL))
        return false;
    N *act = NULL;
    int ai = -1;
    for (int i = 0; actions[i]; i++) {
        N *a = get(l, n, actions[i]);
        if (a) {
            if (act)
                return fail(l, a, "a step has one action; '%s' and '%s' are both here", actions[ai], actions[i]);
            act = a;
            ai = i;
        }
    }
    if (!act)
        return fail(l, n, "a step needs an action: one of mmio_write, mmio_read, command, commands, "
                          "memory_write, memory_read, translate, dma, testdev_write, testdev_read, "
                          "expect_events, expect_gerror, expect_cmdq_error, gerror_ack, map, unmap");
    s->action = actions[ai];
    N *nt = get(l, n, "note");
    if (nt && !string(l, nt, "a note", &s->note))
        return false;
    N *ex = get(l, n, "expect");
    static const char *const takes_expect[] = { "mmio_read", "memory_read", "translate", "dma", "testdev_read",
                                                NULL };
    bool te = false;
    for (size_t i = 0; takes_expect[i]; i++)
        if (strcmp(takes_expect[i], s->action) == 0)
            te = true;
    (void)extra;
    if (ex && !te)
        return fail(l, ex, "'%s' takes no 'expect'", s->action);
    if (!ex && te && strcmp(s->action, "translate") != 0 && strcmp(s->action, "dma") != 0)
        return fail(l, n, "'%s' needs 'expect'", s->action);
    const char *a = s->action;
    if (strcmp(a, "mmio_write") == 0) {
        s->kind = SV_STEP_MMIO_WRITE;
        return parse_mmio_write(l, act, &s->mmio);
    }
    if (strcmp(a, "mmio_read") == 0) {
        static const char *const keys[] = { "reg", "offset", "size", NULL };
        s->kind = SV_STEP_MMIO_READ;
        return check_map(l, act, "mmio_read", keys, NULL, NULL) && parse_reg(l, act, &s->mmio) &&
               reg_value(l, ex, &s->mmio, "the expected register value");
    }
    if (strcmp(a, "command") == 0 || strcmp(a, "commands") == 0) {
        s->kind = SV_STEP_COMMANDS;
        if (a[7] == 's') {
            if (!seq(l, act, "commands"))
                return false;
            s->ncmds = SEQ_LEN(act);
            if (!s->ncmds)
                return fail(l, act, "an empty list of commands");
        } else {
            s->ncmds = 1;
        }
        s->cmds = sv_alloc(l->v, s->ncmds * sizeof(*s->cmds));
        if (!s->cmds)
            return fail(l, act, "out of memory");
        for (size_t i = 0; i < s->ncmds; i++)
            if (!parse_command(l, a[7] == 's' ? SEQ_AT(l, act, i) : act, &s->cmds[i]))
                return false;
        return true;
    }
    if (strcmp(a, "memory_write") == 0) {
        s->kind = SV_STEP_MEM_WRITE;
        return parse_mem(l, act, &s->mem, false);
    }
    if (strcmp(a, "memory_read") == 0) {
        s->kind = SV_STEP_MEM_READ;
        return parse_mem(l, act, &s->mem, true) && parse_mem_expect(l, ex, &s->mem);
    }
    if (strcmp(a, "translate") == 0) {
        s->kind = SV_STEP_TRANSLATE;
        return parse_translate(l, act, ex, &s->x);
    }
    if (strcmp(a, "dma") == 0) {
        s->kind = SV_STEP_DMA;
        return parse_dma(l, act, ex, &s->dma);
    }
    if (strcmp(a, "testdev_write") == 0 || strcmp(a, "testdev_read") == 0) {
        bool wr = a[8] == 'w';
        static const char *const wk[] = { "sid", "offset", "value", NULL };
        static const char *const rk[] = { "sid", "offset", NULL };
        s->kind = wr ? SV_STEP_DEV_WRITE : SV_STEP_DEV_READ;
        if (!check_map(l, act, a, wr ? wk : rk, NULL, NULL))
            return false;
        N *sid = need(l, act, "sid", a), *off = sid ? need(l, act, "offset", a) : NULL;
        if (!sid || !off || !u64max(l, sid, "a StreamID", UINT32_MAX, &s->dev_sid) ||
            !u64max(l, off, "a device register offset", 0xffc, &s->dev_off))
            return false;
        if (s->dev_off & 3)
            return fail(l, off, "device registers are 32-bit: offset 0x%llx is not 4-byte aligned",
                        (unsigned long long)s->dev_off);
        N *val = wr ? need(l, act, "value", a) : ex;
        return val && u64max(l, val, "a 32-bit value", UINT32_MAX, &s->dev_val);
    }
    if (strcmp(a, "expect_events") == 0) {
        s->kind = SV_STEP_EVENTS;
        return parse_events(l, act, &s->ev);
    }
    if (strcmp(a, "expect_gerror") == 0) {
        s->kind = SV_STEP_GERROR;
        if (!seq(l, act, "expect_gerror (a list of GERROR field names, [] for none)"))
            return false;
        const smmuv3_struct *g = smmuv3_struct_find("gerror");
        for (size_t i = 0; i < SEQ_LEN(act); i++) {
            N *e = SEQ_AT(l, act, i);
            const char *fs = scalar(l, e, "a GERROR field name");
            if (!fs)
                return false;
            const smmuv3_field *f = smmuv3_field_find(g, fs);
            if (!f) {
                const char *sg = smmuv3_field_suggest(g, fs);
                if (sg)
                    return fail(l, e, "unknown field '%s' in gerror; did you mean '%s'?", fs, sg);
                return fail(l, e, "unknown field '%s' in gerror", fs);
            }
            s->gerror_mask |= 1u << f->lsb;
        }
        return true;
    }
    if (strcmp(a, "expect_cmdq_error") == 0) {
        s->kind = SV_STEP_CMDQ_ERROR;
        const char *cs = scalar(l, act, "a command error (none, ILL, ABT, ATC_INV_SYNC)");
        if (!cs)
            return false;
        static const char *const ce[] = { "none", "ILL", "ABT", "ATC_INV_SYNC", NULL };
        for (unsigned i = 0; ce[i]; i++)
            if (ieq(ce[i], cs)) {
                s->cerror = i;
                return true;
            }
        uint64_t u;
        if (!u64max(l, act, "a command error (none, ILL, ABT, ATC_INV_SYNC or 0..127)", 127, &u))
            return false;
        s->cerror = (unsigned)u;
        return true;
    }
    if (strcmp(a, "map") == 0 || strcmp(a, "unmap") == 0) {
        s->kind = a[0] == 'm' ? SV_STEP_MAP : SV_STEP_UNMAP;
        if (act->type != YAML_MAPPING_NODE)
            return fail(l, act, "expected a mapping for %s, got %s", a, kind_name(act));
        N *t = need(l, act, "table", a);
        if (!t || !string(l, t, "a page table name", &s->table))
            return false;
        s->table_mark = mk(t);
        if (s->kind == SV_STEP_MAP)
            return parse_mapping(l, act, 0, &s->map, true);
        static const char *const uk[] = { "table", "iova", "ipa", "size", NULL };
        if (!check_map(l, act, "unmap", uk, NULL, NULL))
            return false;
        N *in = get(l, act, "iova") ? get(l, act, "iova") : get(l, act, "ipa");
        if (!in)
            return fail(l, act, "unmap needs 'iova' (stage 1) or 'ipa' (stage 2)");
        if (!expr(l, in, "an address", true, &s->map.in))
            return false;
        N *sz = get(l, act, "size");
        return !sz || u64(l, sz, "a size", &s->map.size);
    }
    /* gerror_ack */
    s->kind = SV_STEP_GERROR_ACK;
    bool b;
    if (!boolean(l, act, "gerror_ack (true)", &b))
        return false;
    if (!b)
        return fail(l, act, "gerror_ack: false does nothing; remove the step");
    return true;
}

/* ------------------------------------------------------------ cross checks */
/* A mapping's numeric addresses and size against its table's granule. */
static bool check_mapping(L *l, const sv_pt *pt, const sv_map *m)
{
    uint64_t g = 1ull << pt->gran;
    if (m->size % g)
        return failm(l, m->mark, "size 0x%llx is not a multiple of the %lluK granule of '%s'",
                     (unsigned long long)m->size, (unsigned long long)(g >> 10), pt->name);
    if (!m->in.sym && (m->in.off & (g - 1)))
        return failm(l, m->in.mark, "%s 0x%llx is not aligned to the %lluK granule of '%s'",
                     pt->stage == 1 ? "iova" : "ipa", (unsigned long long)m->in.off,
                     (unsigned long long)(g >> 10), pt->name);
    if (!m->out.sym && (m->out.off & (g - 1)))
        return failm(l, m->out.mark, "pa 0x%llx is not aligned to the %lluK granule of '%s'",
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
                return failm(l, v->streams[i].mark, "sid %llu is outside the stream table (log2size %u)",
                             (unsigned long long)v->streams[i].sid, v->strtab_log2);
    return true;
}

/* ------------------------------------------------------------ symbols */
static bool check_symbols(L *l)
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
                return failm(l, m, "'%s' is a built-in name; choose another name", nm);
        for (size_t j = 0; j < i; j++) {
            const char *o = j < v->npts ? v->pts[j].name : v->cdtabs[j - v->npts].name;
            if (strcmp(o, nm) == 0)
                return failm(l, m, "a second object named '%s'", nm);
        }
        const char *p = nm;
        if (!(isalpha((unsigned char)*p) || *p == '_'))
            return failm(l, m, "a name is letters, digits and '_', starting with a letter: '%s'", nm);
        for (; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '_'))
                return failm(l, m, "a name is letters, digits and '_', starting with a letter: '%s'", nm);
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
            return failm(l, m, "'space' must name a stage 2 page table of this vector; '%s' is not one", spn);
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
            return failm(l, m->dmark, "unknown page table '%s'", m->dtable);
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
            return failm(l, s->table_mark, "unknown page table '%s'", s->table);
        if (s->kind == SV_STEP_MAP && s->map.key_stage != v->pts[j].stage)
            return failm(l, s->map.mark, "'%s' is a stage %d table: map it with '%s'", s->table, v->pts[j].stage,
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
            const char *sg = suggest(names, e->sym);
            if (sg)
                return failm(l, e->mark, "unknown name '%s'; did you mean '%s'?", e->sym, sg);
            return failm(l, e->mark, "unknown name '%s' (expected strtab, cmdq, eventq, cmdq_cons, or "
                                     "the name of a page table or CD table)", e->sym);
        }
        if (e->has_index && !indexable)
            return failm(l, e->mark, "'%s' takes no index (only strtab.SID and <cd table>.SSID do)",
                         e->sym);
    }
    return true;
}

/* ------------------------------------------------------------ top level */
static bool parse_vector(L *l, N *root)
{
    static const char *const keys[] = { "name", "description", "config", "setup", "steps", NULL };
    if (!check_map(l, root, "a vector", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    N *nm = need(l, root, "name", "a vector");
    if (!nm || !string(l, nm, "a name", &v->name))
        return false;
    N *ds = need(l, root, "description", "a vector");
    if (!ds || !string(l, ds, "a description", &v->description))
        return false;
    N *c = get(l, root, "config");
    if (c && !parse_config(l, c))
        return false;
    N *s = get(l, root, "setup");
    if (s && !parse_setup(l, s))
        return false;
    N *st = need(l, root, "steps", "a vector");
    if (!st || !seq(l, st, "steps"))
        return false;
    v->nsteps = SEQ_LEN(st);
    if (!v->nsteps)
        return fail(l, st, "a vector needs at least one step");
    v->steps = sv_alloc(v, v->nsteps * sizeof(*v->steps));
    if (!v->steps)
        return fail(l, st, "out of memory");
    for (size_t i = 0; i < v->nsteps; i++)
        if (!parse_step(l, SEQ_AT(l, st, i), &v->steps[i]))
            return false;
    return check_symbols(l);
}

int smmuv3_vec_load_buffer(const char *file, const char *buf, size_t len, smmuv3_vector **out, char *err,
                           size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    if (!out)
        return -1;
    *out = NULL;
    if (!file)
        file = "<buffer>";
    L l = { .file = file, .err = err, .errlen = errlen };
    if (!buf) {
        failm(&l, (sv_mark){ 1, 1 }, "no input");
        return -1;
    }
    smmuv3_vector *v = calloc(1, sizeof(*v));
    if (!v) {
        failm(&l, (sv_mark){ 1, 1 }, "out of memory");
        return -1;
    }
    l.v = v;
    smmuv3_config_default(&v->cfg);
    v->bringup = v->smmuen = v->eventq_en = true;
    v->cmdq_log2 = 8;
    v->eventq_log2 = 8;
    v->strtab_log2 = 0xff;
    v->file = dupstr(&l, file);

    yaml_parser_t parser;
    yaml_document_t doc;
    bool ok = false;
    if (!yaml_parser_initialize(&parser)) {
        failm(&l, (sv_mark){ 1, 1 }, "out of memory");
        smmuv3_vec_free(v);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        failm(&l, (sv_mark){ (unsigned)parser.problem_mark.line + 1, (unsigned)parser.problem_mark.column + 1 },
              "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "unknown problem",
              parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        smmuv3_vec_free(v);
        return -1;
    }
    l.doc = &doc;
    N *root = yaml_document_get_root_node(&doc);
    if (!root) {
        failm(&l, (sv_mark){ 1, 1 }, "empty file: expected a mapping with name, description and steps");
    } else {
        ok = parse_vector(&l, root);
        if (ok) {
            yaml_document_t doc2;
            if (!yaml_parser_load(&parser, &doc2)) {
                ok = failm(&l, (sv_mark){ (unsigned)parser.problem_mark.line + 1,
                                          (unsigned)parser.problem_mark.column + 1 },
                           "YAML syntax error: %s", parser.problem ? parser.problem : "unknown problem");
            } else {
                N *r2 = yaml_document_get_root_node(&doc2);
                if (r2)
                    ok = fail(&l, r2, "one vector per file: a second YAML document starts here");
                yaml_document_delete(&doc2);
            }
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(l.syms);
    if (!ok || l.failed) {
        if (!l.failed)
            failm(&l, (sv_mark){ 1, 1 }, "invalid vector");
        smmuv3_vec_free(v);
        return -1;
    }
    *out = v;
    return 0;
}

static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "%s:1:1: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n == cap) {
            if (cap >= (64u << 20)) {
                free(b);
                b = NULL;
                fclose(f);
                if (err && errlen)
                    snprintf(err, errlen, "%s:1:1: file too large for a vector (over 64 MiB)", path);
                return NULL;
            }
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        if (err && errlen)
            snprintf(err, errlen, "%s:1:1: cannot read", path);
        return NULL;
    }
    *len = n;
    return b;
}

int smmuv3_vec_load_file(const char *path, smmuv3_vector **out, char *err, size_t errlen)
{
    if (out)
        *out = NULL;
    if (!path || !out)
        return -1;
    size_t len = 0;
    char *buf = read_all(path, &len, err, errlen);
    if (!buf)
        return -1;
    int r = smmuv3_vec_load_buffer(path, buf, len, out, err, errlen);
    free(buf);
    return r;
}

char *smmuv3_vec_expected_error(const char *buf, size_t len)
{
    static const char tag[] = "# expect-error:";
    const size_t tl = sizeof(tag) - 1;
    if (!buf)
        return NULL;
    for (size_t i = 0; i + tl <= len; i++) {
        if ((i == 0 || buf[i - 1] == '\n') && memcmp(buf + i, tag, tl) == 0) {
            size_t s = i + tl;
            while (s < len && buf[s] == ' ')
                s++;
            size_t e = s;
            while (e < len && buf[e] != '\n' && buf[e] != '\r')
                e++;
            while (e > s && buf[e - 1] == ' ')
                e--;
            char *r = malloc(e - s + 1);
            if (!r)
                return NULL;
            memcpy(r, buf + s, e - s);
            r[e - s] = '\0';
            return r;
        }
    }
    return NULL;
}
