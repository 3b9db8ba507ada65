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
#include "load_yaml.h"

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
/* ------------------------------------------------------------ top level */
static bool parse_vector(L *l, N *root)
{
    static const char *const keys[] = { "name", "description", "config", "setup", "steps", NULL };
    if (!svl_check_map(l, root, "a vector", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    N *nm = svl_need(l, root, "name", "a vector");
    if (!nm || !svl_string(l, nm, "a name", &v->name))
        return false;
    N *ds = svl_need(l, root, "description", "a vector");
    if (!ds || !svl_string(l, ds, "a description", &v->description))
        return false;
    N *c = svl_get(l, root, "config");
    if (c && !svl_parse_config(l, c))
        return false;
    N *s = svl_get(l, root, "setup");
    if (s && !svl_parse_setup(l, s))
        return false;
    N *st = svl_need(l, root, "steps", "a vector");
    if (!st || !svl_seq(l, st, "steps"))
        return false;
    if (!SVL_SEQ_LEN(st))
        return svl_fail(l, st, "a vector needs at least one step");
    v->steps = svl_list(l, st, "steps", sizeof(*v->steps), &v->nsteps, svl_parse_step, NULL);
    return v->steps && svl_check_symbols(l);
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
        svl_failm(&l, (sv_mark){ 1, 1 }, "no input");
        return -1;
    }
    smmuv3_vector *v = calloc(1, sizeof(*v));
    if (!v) {
        svl_failm(&l, (sv_mark){ 1, 1 }, "out of memory");
        return -1;
    }
    l.v = v;
    smmuv3_config_default(&v->cfg);
    v->bringup = v->smmuen = v->eventq_en = true;
    v->cmdq_log2 = 8;
    v->eventq_log2 = 8;
    v->strtab_log2 = 0xff;
    v->file = svl_dupstr(&l, file);

    yaml_parser_t parser;
    yaml_document_t doc;
    bool ok = false;
    if (!yaml_parser_initialize(&parser)) {
        svl_failm(&l, (sv_mark){ 1, 1 }, "out of memory");
        smmuv3_vec_free(v);
        return -1;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
    if (!yaml_parser_load(&parser, &doc)) {
        svl_failm(&l, (sv_mark){ (unsigned)parser.problem_mark.line + 1, (unsigned)parser.problem_mark.column + 1 },
                  "YAML syntax error: %s%s%s", parser.problem ? parser.problem : "unknown problem",
                  parser.context ? " " : "", parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        smmuv3_vec_free(v);
        return -1;
    }
    l.doc = &doc;
    N *root = yaml_document_get_root_node(&doc);
    if (!root) {
        svl_failm(&l, (sv_mark){ 1, 1 }, "empty file: expected a mapping with name, description and steps");
    } else {
        ok = parse_vector(&l, root);
        if (ok) {
            yaml_document_t doc2;
            if (!yaml_parser_load(&parser, &doc2)) {
                ok = svl_failm(&l, (sv_mark){ (unsigned)parser.problem_mark.line + 1,
                                          (unsigned)parser.problem_mark.column + 1 },
                           "YAML syntax error: %s", parser.problem ? parser.problem : "unknown problem");
            } else {
                N *r2 = yaml_document_get_root_node(&doc2);
                if (r2)
                    ok = svl_fail(&l, r2, "one vector per file: a second YAML document starts here");
                yaml_document_delete(&doc2);
            }
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(l.syms);
    if (!ok || l.failed) {
        if (!l.failed)
            svl_failm(&l, (sv_mark){ 1, 1 }, "invalid vector");
        smmuv3_vec_free(v);
        return -1;
    }
    *out = v;
    return 0;
}

char *sv_read_file(const char *path, size_t *len, char *err, size_t errlen)
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
    char *buf = sv_read_file(path, &len, err, errlen);
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
