/* smmuv3-run: runs YAML test vectors against the model. needs: vectors */
/* SPDX-License-Identifier: MIT */
/*
 * Usage: smmuv3-run [options] FILE|DIR...
 *   Runs every vector (*.yaml, *.yml; folders are searched recursively, in
 *   name order) and prints one line per vector, the failure details, and a
 *   summary ending with "N passed, N failed".
 *   -v            trace every step
 *   --tap         TAP version 13 on stdout instead of the plain report
 *   --junit FILE  also write a JUnit XML report to FILE
 *   --expect-invalid  every file must be an invalid vector with an
 *                 "# expect-error:" line (used for vectors/malformed)
 * A file with a "# expect-error: TEXT" comment is an invalid vector on
 * purpose: it passes when loading fails with a message containing TEXT.
 * Exit status: 0 all passed; 1 a vector failed; 2 a vector is invalid or
 * unreadable (or a usage error).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "vectors.h"

typedef struct entry {
    char *file;
    char *name;
    int status;      /* SMMUV3_VEC_* */
    char *msg;
    size_t steps;
} entry;

typedef struct list { char **v; size_t n, cap; } list;

static int push(list *l, const char *s)
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

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool is_vector_name(const char *n)
{
    size_t l = strlen(n);
    return (l > 5 && strcmp(n + l - 5, ".yaml") == 0) || (l > 4 && strcmp(n + l - 4, ".yml") == 0);
}

static int collect(const char *path, list *out, int depth)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return push(out, path); /* reported as unreadable when loaded */
    if (!S_ISDIR(sb.st_mode))
        return push(out, path);
    if (depth > 32)
        return 0;
    DIR *d = opendir(path);
    if (!d)
        return push(out, path);
    list sub = { 0 };
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
            push(&sub, p);
        free(p);
    }
    closedir(d);
    if (sub.n)
        qsort(sub.v, sub.n, sizeof(*sub.v), cmpstr);
    for (size_t i = 0; i < sub.n; i++) {
        collect(sub.v[i], out, depth + 1);
        free(sub.v[i]);
    }
    free(sub.v);
    return 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    while (b) {
        if (n == cap) {
            char *nb = cap < (64u << 20) ? realloc(b, cap * 2) : NULL;
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
        size_t r = fread(b + n, 1, cap - n, f);
        if (!r)
            break;
        n += r;
    }
    fclose(f);
    *len = n;
    return b;
}

static void xml_escape(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc('?', f);
            else
                fputc(*s, f);
        }
    }
}

static void run_one(const char *file, bool verbose, bool expect_invalid, entry *e)
{
    char err[2048];
    e->file = strdup(file);
    e->name = NULL;
    e->msg = NULL;
    size_t len = 0;
    char *buf = read_file(file, &len);
    if (!buf) {
        snprintf(err, sizeof(err), "%s: cannot read: %s", file, strerror(errno));
        e->status = SMMUV3_VEC_ERROR;
        e->msg = strdup(err);
        return;
    }
    char *want = smmuv3_vec_expected_error(buf, len);
    smmuv3_vector *v = NULL;
    int rc = smmuv3_vec_load_buffer(file, buf, len, &v, err, sizeof(err));
    free(buf);
    if (want || expect_invalid) {
        /* an invalid vector on purpose */
        const char *slash = strrchr(file, '/');
        e->name = strdup(slash ? slash + 1 : file);
        if (!want) {
            e->status = SMMUV3_VEC_ERROR;
            e->msg = strdup("no '# expect-error: TEXT' line in a file that must be invalid");
        } else if (rc == 0) {
            e->status = SMMUV3_VEC_FAIL;
            snprintf(err, sizeof(err), "expected the load to fail with \"%s\", but the vector is valid", want);
            e->msg = strdup(err);
        } else if (!strstr(err, want)) {
            e->status = SMMUV3_VEC_FAIL;
            char m[4096];
            snprintf(m, sizeof(m), "expected an error containing \"%s\", got: %s", want, err);
            e->msg = strdup(m);
        } else {
            e->status = SMMUV3_VEC_PASS;
            if (verbose)
                printf("  rejected as expected: %s\n", err);
        }
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
    smmuv3_vec_run(v, verbose ? stdout : NULL, &res);
    e->status = res.status;
    e->steps = res.steps_run;
    if (res.status != SMMUV3_VEC_PASS) {
        char m[4096];
        snprintf(m, sizeof(m), "%s:%u: %s", file, res.line, res.msg);
        e->msg = strdup(m);
    }
    smmuv3_vec_free(v);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: smmuv3-run [-v] [--tap] [--junit FILE] [--expect-invalid] FILE|DIR...\n"
               "Runs SMMUv3 YAML test vectors (format: vectors/README.md).\n"
               "Exit: 0 all passed, 1 a vector failed, 2 a vector is invalid or unreadable.\n");
}

int main(int argc, char **argv)
{
    bool verbose = false, tap = false, expect_invalid = false, any_path = false;
    const char *junit = NULL;
    list files = { 0 };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "--tap") == 0) {
            tap = true;
        } else if (strcmp(argv[i], "--expect-invalid") == 0) {
            expect_invalid = true;
        } else if (strcmp(argv[i], "--junit") == 0) {
            if (++i >= argc) {
                usage(stderr);
                return 2;
            }
            junit = argv[i];
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "smmuv3-run: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            any_path = true;
            collect(argv[i], &files, 0);
        }
    }
    if (!any_path) {
        usage(stderr);
        return 2;
    }
    if (!files.n) {
        fprintf(stderr, "smmuv3-run: no vectors (*.yaml, *.yml) found\n");
        printf("0 passed, 0 failed\n");
        return 2;
    }
    entry *es = calloc(files.n, sizeof(*es));
    if (!es)
        return 2;
    size_t pass = 0, fail = 0, invalid = 0;
    if (tap)
        printf("TAP version 13\n1..%zu\n", files.n);
    for (size_t i = 0; i < files.n; i++) {
        entry *e = &es[i];
        if (verbose && !tap)
            printf("== %s\n", files.v[i]);
        fflush(stdout);
        run_one(files.v[i], verbose && !tap, expect_invalid, e);
        const char *nm = e->name ? e->name : e->file;
        if (e->status == SMMUV3_VEC_PASS)
            pass++;
        else if (e->status == SMMUV3_VEC_FAIL)
            fail++;
        else
            invalid++;
        if (tap) {
            printf("%s %zu - %s\n", e->status == SMMUV3_VEC_PASS ? "ok" : "not ok", i + 1, nm);
            if (e->msg) {
                printf("  ---\n  file: '%s'\n  message: |\n", e->file);
                for (const char *p = e->msg; *p;) {
                    const char *nl = strchr(p, '\n');
                    size_t l = nl ? (size_t)(nl - p) : strlen(p);
                    printf("    %.*s\n", (int)l, p);
                    p += l + (nl ? 1 : 0);
                }
                printf("  ...\n");
            }
        } else {
            static const char *const tag[] = { "PASS", "FAIL", "INVALID" };
            printf("%-7s %s (%s)\n", tag[e->status], nm, e->file);
            if (e->msg)
                printf("        %s\n", e->msg);
        }
        fflush(stdout);
    }
    if (junit) {
        FILE *f = fopen(junit, "w");
        if (!f) {
            fprintf(stderr, "smmuv3-run: cannot write %s: %s\n", junit, strerror(errno));
            invalid++;
        } else {
            fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                       "<testsuite name=\"smmuv3-vectors\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
                    files.n, fail, invalid);
            for (size_t i = 0; i < files.n; i++) {
                entry *e = &es[i];
                fprintf(f, "  <testcase classname=\"");
                const char *slash = strrchr(e->file, '/');
                if (slash) {
                    char *dir = strndup(e->file, (size_t)(slash - e->file));
                    xml_escape(f, dir);
                    free(dir);
                } else {
                    fputs("vectors", f);
                }
                fprintf(f, "\" name=\"");
                xml_escape(f, e->name ? e->name : e->file);
                fprintf(f, "\" file=\"");
                xml_escape(f, e->file);
                fprintf(f, "\">");
                if (e->status != SMMUV3_VEC_PASS) {
                    fprintf(f, "<%s message=\"", e->status == SMMUV3_VEC_FAIL ? "failure" : "error");
                    xml_escape(f, e->msg);
                    fprintf(f, "\">");
                    xml_escape(f, e->msg);
                    fprintf(f, "</%s>", e->status == SMMUV3_VEC_FAIL ? "failure" : "error");
                }
                fprintf(f, "</testcase>\n");
            }
            fprintf(f, "</testsuite>\n</testsuites>\n");
            fclose(f);
        }
    }
    if (tap)
        printf("# %zu vectors: %zu passed, %zu failed, %zu invalid or unreadable\n", files.n, pass, fail, invalid);
    else
        printf("\n%zu vectors: %zu passed, %zu failed, %zu invalid or unreadable\n", files.n, pass, fail, invalid);
    /* the last line, in every mode, is what CI parses */
    printf("%zu passed, %zu failed\n", pass, fail + invalid);
    for (size_t i = 0; i < files.n; i++) {
        free(es[i].file);
        free(es[i].name);
        free(es[i].msg);
        free(files.v[i]);
    }
    free(es);
    free(files.v);
    return invalid ? 2 : fail ? 1 : 0;
}
