/* SPDX-License-Identifier: MIT */
/* Finding vector files and running each one (see batch.h). */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "batch.h"
#include "vec_model.h"

int svb_push(svb_list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, cap * sizeof(*nv));
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = cap;
    }
    l->v[l->n] = strdup(s);
    return l->v[l->n++] ? 0 : -1;
}

void svb_list_free(svb_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool is_vector_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static int collect(const char *path, svb_list *out, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return svb_push(out, path); /* a missing file is reported as unreadable when loaded */
    if (depth > 32)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return svb_push(out, path);
    svb_list sub = { 0 };
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *p = malloc(n);
        if (!p)
            break;
        snprintf(p, n, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", e->d_name);
        struct stat s2;
        if (stat(p, &s2) == 0 && (S_ISDIR(s2.st_mode) || is_vector_name(e->d_name)))
            svb_push(&sub, p);
        free(p);
    }
    closedir(d);
    if (sub.n)
        qsort(sub.v, sub.n, sizeof(*sub.v), cmpstr);
    for (size_t i = 0; i < sub.n; i++)
        collect(sub.v[i], out, depth + 1);
    svb_list_free(&sub);
    return 0;
}

int svb_collect(const char *path, svb_list *out) { return collect(path, out, 0); }

/* An invalid vector on purpose: it passes when loading failed (rc != 0) with
 * a message (err) that contains want. */
static void expect_invalid_file(const char *file, const char *want, int rc, const char *err, FILE *trace,
                                svb_entry *e)
{
    const char *slash = strrchr(file, '/');
    char m[4096];
    e->name = strdup(slash ? slash + 1 : file);
    if (!want) {
        e->status = SMMUV3_VEC_ERROR;
        e->msg = strdup("no '# expect-error: TEXT' line in a file that must be invalid");
    } else if (rc == 0) {
        e->status = SMMUV3_VEC_FAIL;
        snprintf(m, sizeof(m), "expected the load to fail with \"%s\", but the vector is valid", want);
        e->msg = strdup(m);
    } else if (!strstr(err, want)) {
        e->status = SMMUV3_VEC_FAIL;
        snprintf(m, sizeof(m), "expected an error containing \"%s\", got: %s", want, err);
        e->msg = strdup(m);
    } else {
        e->status = SMMUV3_VEC_PASS;
        if (trace)
            fprintf(trace, "  rejected as expected: %s\n", err);
    }
}

void svb_run_file(const char *file, FILE *trace, bool expect_invalid, bool check, svb_entry *e)
{
    char err[2048];
    memset(e, 0, sizeof(*e));
    e->file = strdup(file);
    size_t len = 0;
    char *buf = sv_read_file(file, &len, err, sizeof(err));
    if (!buf) {
        e->status = SMMUV3_VEC_ERROR;
        e->msg = strdup(err);
        return;
    }
    char *want = smmuv3_vec_expected_error(buf, len);
    smmuv3_vector *v = NULL;
    int rc = smmuv3_vec_load_buffer(file, buf, len, &v, err, sizeof(err));
    free(buf);
    if (want || expect_invalid) {
        expect_invalid_file(file, want, rc, err, trace, e);
        free(want);
        smmuv3_vec_free(v);
        return;
    }
    if (rc != 0) {
        e->status = SMMUV3_VEC_ERROR;
        e->msg = strdup(err);
        return;
    }
    e->name = strdup(smmuv3_vec_name(v));
    smmuv3_vec_result res;
    if (check)
        smmuv3_vec_run_check(v, trace, &res);
    else
        smmuv3_vec_run(v, trace, &res);
    e->status = res.status;
    e->steps = res.steps_run;
    if (res.status != SMMUV3_VEC_PASS) {
        char m[4096];
        snprintf(m, sizeof(m), "%s:%u: %s", file, res.line, res.msg);
        e->msg = strdup(m);
    }
    smmuv3_vec_free(v);
}

void svb_entry_free(svb_entry *e)
{
    free(e->file);
    free(e->name);
    free(e->msg);
    memset(e, 0, sizeof(*e));
}
