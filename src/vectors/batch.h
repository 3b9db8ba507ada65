/* SPDX-License-Identifier: MIT */
/*
 * Running many vectors and reporting on them (the smmuv3-run tool and the
 * main job, scripts/run.sh). batch.c finds the files and runs each one;
 * report.c prints what a person reads: a table per area (the folder of the
 * file: vectors/<area>) with passed, failed and invalid, then each failure
 * with its detail, then the closing "N passed, N failed" line; or TAP, or a
 * JUnit XML file. Internal to the tools (not part of the vectors library API).
 */
#ifndef SMMUV3_VEC_BATCH_H
#define SMMUV3_VEC_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A list of file names (malloc'd strings). */
typedef struct svb_list { char **v; size_t n, cap; } svb_list;
int svb_push(svb_list *l, const char *s);
void svb_list_free(svb_list *l);
/* Add path: a file, or every *.yaml / *.yml below a folder, in name order. */
int svb_collect(const char *path, svb_list *out);

/* One vector's outcome. */
typedef struct svb_entry {
    char *file;
    char *name;       /* the vector's name (the file name of an invalid-on-purpose vector), or NULL */
    int status;       /* SMMUV3_VEC_* */
    char *msg;        /* why it failed or is invalid, or NULL */
    size_t steps;
} svb_entry;

/* Load and run one file. A file with "# expect-error: TEXT" (every file when
 * expect_invalid) passes when loading fails with a message containing TEXT.
 * trace: NULL, or where each step is traced (-v). check: the driver checker
 * is on for every vector (smmuv3_vec_run_check). */
void svb_run_file(const char *file, FILE *trace, bool expect_invalid, bool check, svb_entry *e);
void svb_entry_free(svb_entry *e);

/* ---- report.c */
typedef struct svb_counts { size_t pass, fail, invalid; } svb_counts;
void svb_count(const svb_entry *es, size_t n, svb_counts *c);
/* The per-vector line of the list (-v): "PASS    name (file)", and the detail. */
void svb_print_line(FILE *f, const svb_entry *e);
/* The report: a table of areas, each failure with its detail, "N passed, N failed". */
void svb_print_report(FILE *f, const svb_entry *es, size_t n);
/* TAP version 13: the plan, one result per vector (with its detail), the summary. */
void svb_print_tap_plan(FILE *f, size_t n);
void svb_print_tap_line(FILE *f, const svb_entry *e, size_t index);
void svb_print_tap_end(FILE *f, const svb_entry *es, size_t n);
/* JUnit XML; 0, or -1 when the file cannot be written. */
int svb_write_junit(const char *path, const svb_entry *es, size_t n);

#endif
