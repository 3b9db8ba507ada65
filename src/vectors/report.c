/* SPDX-License-Identifier: MIT */
/* What a run of many vectors shows: the report (a table per area, then each
 * failure with its detail, then "N passed, N failed"), TAP, or JUnit XML. */
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "vectors.h"

static const char *const status_tag[] = { "PASS", "FAIL", "INVALID" };

static const char *entry_name(const svb_entry *e) { return e->name ? e->name : e->file; }

void svb_count(const svb_entry *es, size_t n, svb_counts *c)
{
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < n; i++) {
        if (es[i].status == SMMUV3_VEC_PASS)
            c->pass++;
        else if (es[i].status == SMMUV3_VEC_FAIL)
            c->fail++;
        else
            c->invalid++;
    }
}

/* msg, each of its lines after the first indented by `indent` spaces. */
static void print_indented(FILE *f, const char *msg, int indent)
{
    if (!*msg)
        fputc('\n', f);
    for (const char *p = msg; *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "%*s%.*s\n", p == msg ? 0 : indent, "", (int)l, p);
        p += l + (nl ? 1 : 0);
    }
}

void svb_print_line(FILE *f, const svb_entry *e)
{
    if (e->name)
        fprintf(f, "%-7s %s (%s)\n", status_tag[e->status], e->name, e->file);
    else
        fprintf(f, "%-7s %s\n", status_tag[e->status], e->file);
    if (e->msg) {
        fprintf(f, "        ");
        print_indented(f, e->msg, 8);
    }
}

/* The area of a vector: the folder of its file ("vectors/s1"), "." for none. */
static size_t area_len(const char *file)
{
    const char *slash = strrchr(file, '/');
    return slash ? (size_t)(slash - file) : 0;
}

static bool same_area(const char *a, const char *b)
{
    size_t la = area_len(a);
    return la == area_len(b) && strncmp(a, b, la) == 0;
}

static void table_row(FILE *f, int w, const char *name, int nlen, const svb_counts *c)
{
    fprintf(f, "%-*.*s %7zu %7zu %8zu\n", w, nlen, name, c->pass, c->fail, c->invalid);
}

void svb_print_report(FILE *f, const svb_entry *es, size_t n)
{
    int w = 5;
    for (size_t i = 0; i < n; i++)
        if ((int)area_len(es[i].file) > w)
            w = (int)area_len(es[i].file);
    fprintf(f, "%-*s %7s %7s %8s\n", w, "area", "passed", "failed", "invalid");
    /* areas in the order their files ran; a file's area is counted once, with
     * every later file of the same folder */
    bool *done = calloc(n ? n : 1, sizeof(*done));
    for (size_t i = 0; done && i < n; i++) {
        if (done[i])
            continue;
        svb_counts c = { 0 };
        for (size_t j = i; j < n; j++) {
            if (done[j] || !same_area(es[i].file, es[j].file))
                continue;
            done[j] = true;
            svb_counts one;
            svb_count(&es[j], 1, &one);
            c.pass += one.pass;
            c.fail += one.fail;
            c.invalid += one.invalid;
        }
        size_t al = area_len(es[i].file);
        table_row(f, w, al ? es[i].file : ".", al ? (int)al : 1, &c);
    }
    free(done);
    svb_counts all;
    svb_count(es, n, &all);
    table_row(f, w, "total", 5, &all);
    if (all.fail + all.invalid) {
        fprintf(f, "\n%zu failed, %zu invalid or unreadable:\n", all.fail, all.invalid);
        for (size_t i = 0; i < n; i++)
            if (es[i].status != SMMUV3_VEC_PASS)
                svb_print_line(f, &es[i]);
    }
    /* the last line, in every mode, is what CI parses */
    fprintf(f, "\n%zu passed, %zu failed\n", all.pass, all.fail + all.invalid);
}

void svb_print_tap_plan(FILE *f, size_t n) { fprintf(f, "TAP version 13\n1..%zu\n", n); }

void svb_print_tap_line(FILE *f, const svb_entry *e, size_t index)
{
    fprintf(f, "%s %zu - %s\n", e->status == SMMUV3_VEC_PASS ? "ok" : "not ok", index + 1, entry_name(e));
    if (e->msg) {
        fprintf(f, "  ---\n  file: '%s'\n  message: |\n    ", e->file);
        print_indented(f, e->msg, 4);
        fprintf(f, "  ...\n");
    }
}

void svb_print_tap_end(FILE *f, const svb_entry *es, size_t n)
{
    svb_counts c;
    svb_count(es, n, &c);
    fprintf(f, "# %zu vectors: %zu passed, %zu failed, %zu invalid or unreadable\n", n, c.pass, c.fail, c.invalid);
    fprintf(f, "%zu passed, %zu failed\n", c.pass, c.fail + c.invalid);
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

int svb_write_junit(const char *path, const svb_entry *es, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    svb_counts c;
    svb_count(es, n, &c);
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
               "<testsuite name=\"smmuv3-vectors\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
            n, c.fail, c.invalid);
    for (size_t i = 0; i < n; i++) {
        const svb_entry *e = &es[i];
        fprintf(f, "  <testcase classname=\"");
        size_t al = area_len(e->file);
        if (al) {
            char *dir = strndup(e->file, al);
            xml_escape(f, dir);
            free(dir);
        } else {
            fputs("vectors", f);
        }
        fprintf(f, "\" name=\"");
        xml_escape(f, entry_name(e));
        fprintf(f, "\" file=\"");
        xml_escape(f, e->file);
        fprintf(f, "\">");
        if (e->status != SMMUV3_VEC_PASS) {
            const char *kind = e->status == SMMUV3_VEC_FAIL ? "failure" : "error";
            fprintf(f, "<%s message=\"", kind);
            xml_escape(f, e->msg);
            fprintf(f, "\">");
            xml_escape(f, e->msg);
            fprintf(f, "</%s>", kind);
        }
        fprintf(f, "</testcase>\n");
    }
    fprintf(f, "</testsuite>\n</testsuites>\n");
    return fclose(f) ? -1 : 0;
}
