/* SPDX-License-Identifier: MIT */
/* The loader's YAML helpers: located errors, mapping keys, numbers, booleans,
 * strings, address expressions and lists. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "load_yaml.h"

sv_mark svl_mk(const N *n)
{
    sv_mark m = { (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1 };
    return m;
}

bool svl_failm(L *l, sv_mark m, const char *fmt, ...)
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

N *svl_node(L *l, int i) { return yaml_document_get_node(l->doc, i); }

const char *svl_kind_name(const N *n)
{
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

/* The scalar's text, or NULL (with an error) when n is not a clean scalar. */
const char *svl_scalar(L *l, N *n, const char *what)
{
    if (n->type != YAML_SCALAR_NODE) {
        svl_fail(l, n, "expected %s, got %s", what, svl_kind_name(n));
        return NULL;
    }
    const char *s = (const char *)n->data.scalar.value;
    if (strlen(s) != n->data.scalar.length) {
        svl_fail(l, n, "expected %s, got a string with a NUL byte", what);
        return NULL;
    }
    return s;
}

char *svl_dupstr(L *l, const char *s)
{
    size_t n = strlen(s);
    char *d = sv_alloc(l->v, n + 1);
    if (d)
        memcpy(d, s, n + 1);
    return d;
}

bool svl_unknown(L *l, sv_mark m, const char *kind, const char *name, const char *where, const char *sg)
{
    return svl_failm(l, m, "unknown %s '%s'%s%s%s%s%s", kind, name, where ? " in " : "", where ? where : "",
                     sg ? "; did you mean '" : "", sg ? sg : "", sg ? "'?" : "");
}

const char *svl_suggest_from(const char *(*name)(unsigned), const char *s)
{
    const char *names[64];
    unsigned k = 0;
    for (unsigned i = 0; i < 256 && k < 63; i++)
        if (name(i))
            names[k++] = name(i);
    names[k] = NULL;
    return smmuv3_name_suggest(names, s);
}

bool svl_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

bool svl_check_map(L *l, N *n, const char *what, const char *const *allowed, svl_key_ok_fn extra, void *ctx)
{
    if (n->type != YAML_MAPPING_NODE)
        return svl_fail(l, n, "expected a mapping for %s, got %s", what, svl_kind_name(n));
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = svl_node(l, p->key);
        if (!k)
            return svl_fail(l, n, "broken mapping in %s", what);
        const char *ks = svl_scalar(l, k, "a key");
        if (!ks)
            return false;
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(*a, ks) == 0)
                known = true;
        if (!known && extra && extra(ks, ctx))
            known = true;
        if (!known) {
            return svl_unknown(l, svl_mk(k), "key", ks, what, smmuv3_name_suggest(allowed, ks));
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            N *k2 = svl_node(l, q->key);
            if (k2 && k2->type == YAML_SCALAR_NODE && strcmp((const char *)k2->data.scalar.value, ks) == 0)
                return svl_fail(l, k, "duplicate key '%s' in %s", ks, what);
        }
    }
    return true;
}

N *svl_get(L *l, N *map, const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
        N *k = svl_node(l, p->key);
        if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return svl_node(l, p->value);
    }
    return NULL;
}

N *svl_need(L *l, N *map, const char *key, const char *what)
{
    N *n = svl_get(l, map, key);
    if (!n)
        svl_fail(l, map, "%s needs '%s'", what, key);
    return n;
}
/* ------------------------------------------------------------ scalars */
/* Numbers: decimal, 0x hex, 0b binary, '_' separators, an optional K/M/G/T suffix. */
bool svl_number(const char *s, uint64_t *out)
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

bool svl_u64(L *l, N *n, const char *what, uint64_t *out)
{
    const char *s = svl_scalar(l, n, what);
    if (!s)
        return false;
    if (!svl_number(s, out))
        return svl_fail(l, n, "expected %s (a 64-bit integer: decimal, 0x hex, 0b binary, or a size like "
                              "4K/2M/1G), got '%s'",
                        what, s);
    return true;
}

bool svl_u64max(L *l, N *n, const char *what, uint64_t max, uint64_t *out)
{
    if (!svl_u64(l, n, what, out))
        return false;
    if (*out > max)
        return svl_fail(l, n, "%s must be at most %llu, got %llu", what, (unsigned long long)max,
                        (unsigned long long)*out);
    return true;
}

bool svl_bool(L *l, N *n, const char *what, bool *out)
{
    const char *s = svl_scalar(l, n, what);
    if (!s)
        return false;
    if (svl_ieq(s, "true") || svl_ieq(s, "yes") || strcmp(s, "1") == 0)
        *out = true;
    else if (svl_ieq(s, "false") || svl_ieq(s, "no") || strcmp(s, "0") == 0)
        *out = false;
    else
        return svl_fail(l, n, "expected %s (true or false), got '%s'", what, s);
    return true;
}

bool svl_string(L *l, N *n, const char *what, const char **out)
{
    const char *s = svl_scalar(l, n, what);
    if (!s)
        return false;
    *out = svl_dupstr(l, s);
    return *out != NULL || svl_fail(l, n, "out of memory");
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
bool svl_expr(L *l, N *n, const char *what, bool allow_sym, sv_expr *e)
{
    memset(e, 0, sizeof(*e));
    e->mark = svl_mk(n);
    const char *s = svl_scalar(l, n, what);
    if (!s)
        return false;
    if (isdigit((unsigned char)s[0]) || !allow_sym) {
        if (!svl_number(s, &e->off))
            return svl_fail(l, n, "expected %s (a 64-bit integer%s), got '%s'", what,
                            allow_sym ? " or a name such as strtab, strtab.SID, a table name" : "", s);
        return true;
    }
    const char *p = s;
    if (!(isalpha((unsigned char)*p) || *p == '_'))
        return svl_fail(l, n, "expected %s (a 64-bit integer or a name), got '%s'", what, s);
    while (isalnum((unsigned char)*p) || *p == '_')
        p++;
    size_t len = (size_t)(p - s);
    char *sym = sv_alloc(l->v, len + 1);
    if (!sym)
        return svl_fail(l, n, "out of memory");
    memcpy(sym, s, len);
    e->sym = sym;
    if (*p == '.' && isdigit((unsigned char)p[1])) {
        /* NAME.N: the same as NAME[N], and usable inside { } flow mappings */
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        char buf[48];
        if (q - p - 1 > 40)
            return svl_fail(l, n, "index too long in '%s'", s);
        memcpy(buf, p + 1, (size_t)(q - p - 1));
        buf[q - p - 1] = '\0';
        if (!svl_number(buf, &e->index))
            return svl_fail(l, n, "expected a number after '.' in '%s'", s);
        e->has_index = true;
        p = q;
    } else if (*p == '[') {
        const char *q = strchr(p, ']');
        if (!q || q - p > 40)
            return svl_fail(l, n, "expected ']' in '%s'", s);
        char buf[48];
        memcpy(buf, p + 1, (size_t)(q - p - 1));
        buf[q - p - 1] = '\0';
        if (!svl_number(buf, &e->index))
            return svl_fail(l, n, "expected a number inside [] in '%s'", s);
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
        if (!svl_number(p, &e->off))
            return svl_fail(l, n, "expected a number after '%c' in '%s'", e->neg ? '-' : '+', s);
    } else if (*p) {
        return svl_fail(l, n, "unexpected '%s' in %s '%s'", p, what, s);
    }
    if (!push_sym(l, e))
        return svl_fail(l, n, "out of memory");
    return true;
}

bool svl_seq(L *l, N *n, const char *what)
{
    if (n->type != YAML_SEQUENCE_NODE)
        return svl_fail(l, n, "expected a list for %s, got %s", what, svl_kind_name(n));
    return true;
}

void *svl_seq_alloc(L *l, N *s, const char *what, size_t size, size_t *count)
{
    if (!svl_seq(l, s, what))
        return NULL;
    *count = SVL_SEQ_LEN(s);
    void *a = sv_alloc(l->v, (*count ? *count : 1) * size);
    if (!a)
        svl_fail(l, s, "out of memory");
    return a;
}

void *svl_list(L *l, N *s, const char *what, size_t size, size_t *count, svl_item_fn fn, void *ctx)
{
    char *a = svl_seq_alloc(l, s, what, size, count);
    if (!a)
        return NULL;
    for (size_t i = 0; i < *count; i++)
        if (!fn(l, SVL_SEQ_AT(l, s, i), a + i * size, i, ctx))
            return NULL;
    return a;
}

bool svl_byte_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    uint64_t u;
    if (!svl_u64max(l, n, "a byte", 255, &u))
        return false;
    *(uint8_t *)item = (uint8_t)u;
    return true;
}

bool svl_granule(L *l, N *n, unsigned *out)
{
    uint64_t g;
    if (!svl_u64(l, n, "a granule (4K, 16K or 64K)", &g))
        return false;
    if (g == 4096)
        *out = 12;
    else if (g == 16384)
        *out = 14;
    else if (g == 65536)
        *out = 16;
    else
        return svl_fail(l, n, "expected a granule of 4K, 16K or 64K, got %llu", (unsigned long long)g);
    return true;
}

bool svl_perm(L *l, N *n, unsigned *out)
{
    const char *s = svl_scalar(l, n, "permissions (a string of r, w, x, or 'none')");
    if (!s)
        return false;
    *out = 0;
    if (svl_ieq(s, "none") || strcmp(s, "-") == 0 || s[0] == '\0')
        return true;
    for (const char *p = s; *p; p++) {
        unsigned b = *p == 'r' ? SV_R : *p == 'w' ? SV_W : *p == 'x' ? SV_X : 0;
        if (!b || (*out & b))
            return svl_fail(l, n, "expected permissions as letters r, w, x (each once) or 'none', got '%s'", s);
        *out |= b;
    }
    return true;
}

bool svl_opt_int(L *l, N *map, const char *key, uint64_t max, int *out)
{
    N *n = svl_get(l, map, key);
    *out = -1;
    if (!n)
        return true;
    uint64_t v;
    if (!svl_u64max(l, n, key, max, &v))
        return false;
    *out = (int)v;
    return true;
}

bool svl_opt_u64(L *l, N *map, const char *key, const char *what, bool *has, uint64_t *out)
{
    N *n = svl_get(l, map, key);
    if (!n)
        return true;
    *has = true;
    return svl_u64(l, n, what, out);
}

bool svl_opt_expr(L *l, N *map, const char *key, const char *what, bool *has, sv_expr *out)
{
    N *n = svl_get(l, map, key);
    if (!n)
        return true;
    *has = true;
    return svl_expr(l, n, what, true, out);
}

bool svl_opt_bool(L *l, N *map, const char *key, const char *what, int *out)
{
    N *n = svl_get(l, map, key);
    *out = -1;
    if (!n)
        return true;
    bool v;
    if (!svl_bool(l, n, what, &v))
        return false;
    *out = v;
    return true;
}

bool svl_access(L *l, N *n, uint32_t *flags)
{
    const char *s = svl_scalar(l, n, "an access (read, write or exec)");
    if (!s)
        return false;
    if (strcmp(s, "write") == 0)
        *flags |= SMMUV3_TXN_WRITE;
    else if (strcmp(s, "exec") == 0)
        *flags |= SMMUV3_TXN_EXEC;
    else if (strcmp(s, "read") != 0)
        return svl_fail(l, n, "expected an access of read, write or exec, got '%s'", s);
    return true;
}
