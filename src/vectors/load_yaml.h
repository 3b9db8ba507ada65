/* SPDX-License-Identifier: MIT */
/*
 * The vector loader's shared state and YAML helpers (libyaml document API).
 * The loader is split by section of a vector: load.c (top level, files),
 * load_setup.c (config, setup, memory, MMIO), load_tables.c (page, CD and
 * stream tables), load_steps.c (steps), load_expect.c (what steps expect),
 * load_fields.c (structure field maps), load_check.c (cross checks),
 * load_vsmmu.c (the vSMMU steps), and
 * load_yaml.c (these helpers). Every helper reports the first problem as
 * "file:line:col: ..." and returns false (or NULL); later calls stay quiet.
 */
#ifndef SMMUV3_VEC_LOAD_YAML_H
#define SMMUV3_VEC_LOAD_YAML_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>
#include "vec_model.h"

typedef struct svl_loader {
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

/* ---- errors and nodes */
sv_mark svl_mk(const N *n);
bool svl_failm(L *l, sv_mark m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define svl_fail(l, n, ...) svl_failm((l), svl_mk(n), __VA_ARGS__)
N *svl_node(L *l, int i);
const char *svl_kind_name(const N *n);
/* The scalar's text, or NULL (with an error) when n is not a clean scalar. */
const char *svl_scalar(L *l, N *n, const char *what);
char *svl_dupstr(L *l, const char *s);
bool svl_ieq(const char *a, const char *b);   /* ASCII case-insensitive equality */
/* "unknown KIND 'NAME'[ in WHERE][; did you mean 'SG'?]"; returns false. */
bool svl_unknown(L *l, sv_mark m, const char *kind, const char *name, const char *where, const char *sg);
/* The nearest to s of the names name(0..255) gives (commands, events), or NULL. */
const char *svl_suggest_from(const char *(*name)(unsigned), const char *s);

/* ---- mappings */
/* Check that n is a mapping with scalar, unique keys, all in `allowed`
 * (NULL-terminated). extra(): keys accepted besides `allowed`. */
typedef bool (*svl_key_ok_fn)(const char *key, void *ctx);
bool svl_check_map(L *l, N *n, const char *what, const char *const *allowed, svl_key_ok_fn extra, void *ctx);
N *svl_get(L *l, N *map, const char *key);                     /* NULL when absent */
N *svl_need(L *l, N *map, const char *key, const char *what);  /* NULL (with an error) when absent */

/* ---- scalars */
/* Numbers: decimal, 0x hex, 0b binary, '_' separators, an optional K/M/G/T suffix. */
bool svl_number(const char *s, uint64_t *out);
bool svl_u64(L *l, N *n, const char *what, uint64_t *out);
bool svl_u64max(L *l, N *n, const char *what, uint64_t max, uint64_t *out);
bool svl_bool(L *l, N *n, const char *what, bool *out);
bool svl_string(L *l, N *n, const char *what, const char **out);   /* copied into the vector's arena */
/* An address: a number, or NAME, NAME[index], optionally followed by +N or -N. */
bool svl_expr(L *l, N *n, const char *what, bool allow_sym, sv_expr *e);
bool svl_granule(L *l, N *n, unsigned *out);             /* 4K, 16K, 64K -> 12, 14, 16 */
bool svl_perm(L *l, N *n, unsigned *out);                /* "rwx" letters -> SV_* */
bool svl_opt_int(L *l, N *map, const char *key, uint64_t max, int *out);   /* -1 when absent */
bool svl_opt_bool(L *l, N *map, const char *key, const char *what, int *out);   /* -1 when absent */
/* An optional number / address expression (symbols allowed): *has set when the key is there. */
bool svl_opt_u64(L *l, N *map, const char *key, const char *what, bool *has, uint64_t *out);
bool svl_opt_expr(L *l, N *map, const char *key, const char *what, bool *has, sv_expr *out);
bool svl_access(L *l, N *n, uint32_t *flags);            /* read, write, exec -> SMMUV3_TXN_* bits */

/* ---- lists */
bool svl_seq(L *l, N *n, const char *what);
#define SVL_SEQ_LEN(n) ((size_t)((n)->data.sequence.items.top - (n)->data.sequence.items.start))
#define SVL_SEQ_AT(l, n, i) svl_node((l), (n)->data.sequence.items.start[(i)])
/* A list `s` (named `what` in messages) and an array of `size`-byte elements
 * for it: *count is its length; NULL (with the error reported) when `s` is
 * not a list or memory runs out. */
void *svl_seq_alloc(L *l, N *s, const char *what, size_t size, size_t *count);
/* One list item: parse n into `item` (element i of the array). */
typedef bool (*svl_item_fn)(L *l, N *n, void *item, size_t i, void *ctx);
/* A list whose items each parse into one `size`-byte element with fn: the
 * array (its length in *count), or NULL with the first problem reported. */
void *svl_list(L *l, N *s, const char *what, size_t size, size_t *count, svl_item_fn fn, void *ctx);
bool svl_byte_item(L *l, N *n, void *item, size_t i, void *ctx);   /* 0..255 into a uint8_t */

/* ---- field maps (load_fields.c) */
/* Parse the pairs of `n` as fields of `st`, skipping keys in `skip`. */
bool svl_fields(L *l, N *n, const smmuv3_struct *st, const char *what, const char *const *skip, bool allow_sym,
                sv_fields *out);
/* The field `name` of st, or NULL with "unknown field 'name' in what" at n. */
const smmuv3_field *svl_field_find(L *l, N *n, const smmuv3_struct *st, const char *name, const char *what);

/* ---- sections */
bool svl_parse_config(L *l, N *n);
bool svl_parse_setup(L *l, N *n);
bool svl_parse_mem(L *l, N *n, sv_mem *m, bool is_read);
/* A SV_MEM_VALUE's value (n) that must fit its m->size bytes. */
bool svl_mem_value(L *l, N *n, const char *what, sv_mem *m);
bool svl_parse_reg(L *l, N *n, sv_mmio *m);
bool svl_reg_value(L *l, N *vn, sv_mmio *m, const char *what);
bool svl_parse_mmio_write(L *l, N *n, sv_mmio *m);
bool svl_parse_opt_base(L *l, N *map, bool *has_base, sv_expr *base);   /* an optional 'base' */
bool svl_parse_mapping(L *l, N *n, int stage, sv_map *m, bool in_step);
bool svl_parse_page_table(L *l, N *n, void *pt, size_t i, void *ctx);   /* svl_item_fn of sv_pt */
bool svl_parse_cd_table(L *l, N *n, void *t, size_t i, void *ctx);      /* svl_item_fn of sv_cdtab */
bool svl_parse_stream_table(L *l, N *n);
bool svl_parse_step(L *l, N *n, void *s, size_t i, void *ctx);         /* svl_item_fn of sv_step */
/* expect_events / expect_priq (`step`): count, records (of structure `st`) and
 * overflow, at least one of them. */
bool svl_parse_queue_expect(L *l, N *n, const char *step, const char *st, sv_events *e);
bool svl_parse_translate(L *l, N *n, N *ex, sv_xlate *x);
bool svl_parse_dma(L *l, N *n, N *ex, sv_dma *d);
bool svl_parse_mem_expect(L *l, N *ex, sv_mem *m);
bool svl_check_symbols(L *l);
/* ATS and PRI steps (load_ats.c) */
extern const char *const svl_ats_actions[];
bool svl_parse_ats_step(L *l, const char *action, N *act, N *ex, sv_step *s);
/* One command of a commands list: a name, {op: NAME, fields...} or {raw: [dw0, dw1]}. */
bool svl_parse_command(L *l, N *n, sv_cmd *c);
/* The vSMMU steps (load_vsmmu.c): inval_sink, expect_forwarded, vste (s->action). */
bool svl_parse_vsmmu_step(L *l, N *act, N *ex, sv_step *s);

#endif
