/* smmuv3-run: runs YAML test vectors against the model. needs: vectors */
/* SPDX-License-Identifier: MIT */
/*
 * Usage: smmuv3-run [options] FILE|DIR...
 *   Runs every vector (*.yaml, *.yml; folders are searched recursively, in
 *   name order) and prints a report: a table per area (the folder of a file)
 *   with passed, failed and invalid, then each failure with its detail, then
 *   "N passed, N failed" (always the last line).
 *   -v            the per-vector list too ("PASS name (file)" for each), with
 *                 every step traced
 *   --tap         TAP version 13 on stdout instead of the report
 *   --junit FILE  also write a JUnit XML report to FILE
 *   --expect-invalid  every file must be an invalid vector with an
 *                 "# expect-error:" line (used for vectors/malformed)
 *   --check       the driver checker on for every vector: a report that no
 *                 expect_diagnostics step expects fails the vector
 * A file with a "# expect-error: TEXT" comment is an invalid vector on
 * purpose: it passes when loading fails with a message containing TEXT.
 * Exit status: 0 all passed; 1 a vector failed; 2 a vector is invalid or
 * unreadable (or a usage error).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "batch.h"
#include "vectors.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: smmuv3-run [-v] [--tap] [--junit FILE] [--expect-invalid] [--check] FILE|DIR...\n"
               "Runs SMMUv3 YAML test vectors (format: vectors/README.md) and reports per area.\n"
               "Exit: 0 all passed, 1 a vector failed, 2 a vector is invalid or unreadable.\n");
}

int main(int argc, char **argv)
{
    bool verbose = false, tap = false, expect_invalid = false, check = false, any_path = false;
    const char *junit = NULL;
    svb_list files = { 0 };
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0) {
            verbose = true;
        } else if (strcmp(argv[i], "--tap") == 0) {
            tap = true;
        } else if (strcmp(argv[i], "--check") == 0) {
            check = true;
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
            svb_collect(argv[i], &files);
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
    svb_entry *es = calloc(files.n, sizeof(*es));
    if (!es)
        return 2;
    bool list = verbose && !tap;
    if (tap)
        svb_print_tap_plan(stdout, files.n);
    for (size_t i = 0; i < files.n; i++) {
        if (list)
            printf("== %s\n", files.v[i]);
        fflush(stdout);
        svb_run_file(files.v[i], list ? stdout : NULL, expect_invalid, check, &es[i]);
        if (tap)
            svb_print_tap_line(stdout, &es[i], i);
        else if (list)
            svb_print_line(stdout, &es[i]);
        fflush(stdout);
    }
    svb_counts c;
    svb_count(es, files.n, &c);
    if (junit && svb_write_junit(junit, es, files.n)) {
        fprintf(stderr, "smmuv3-run: cannot write %s: %s\n", junit, strerror(errno));
        c.invalid++;
    }
    if (tap) {
        svb_print_tap_end(stdout, es, files.n);
    } else {
        if (list)
            printf("\n");
        svb_print_report(stdout, es, files.n);
    }
    for (size_t i = 0; i < files.n; i++)
        svb_entry_free(&es[i]);
    free(es);
    svb_list_free(&files);
    return c.invalid ? 2 : c.fail ? 1 : 0;
}
