/* SPDX-License-Identifier: MIT */
/*
 * libsmmuv3-vectors: YAML test vectors for the SMMUv3 model (a separate
 * library, built when libyaml is available; not part of the core libsmmuv3).
 *
 * A vector is one YAML file (format: vectors/README.md). smmuv3_vec_load_*()
 * parses and validates it completely (every error is "file:line:col: what was
 * expected"); smmuv3_vec_run() builds the tables it describes in a fresh
 * simulated memory, brings an SMMU up and runs its steps, checking each
 * expectation. Only this library (never the core) uses libyaml.
 */
#ifndef SMMUV3_VECTORS_H
#define SMMUV3_VECTORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <smmuv3/smmuv3.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smmuv3_vector smmuv3_vector;

/* 0 and *out set, or -1 with a located message in err ("file:line:col: ..."). */
int smmuv3_vec_load_file(const char *path, smmuv3_vector **out, char *err, size_t errlen);
/* As above from a buffer; `file` names it in messages. */
int smmuv3_vec_load_buffer(const char *file, const char *buf, size_t len, smmuv3_vector **out,
                           char *err, size_t errlen);
void smmuv3_vec_free(smmuv3_vector *v);

const char *smmuv3_vec_name(const smmuv3_vector *v);
const char *smmuv3_vec_description(const smmuv3_vector *v);
size_t smmuv3_vec_step_count(const smmuv3_vector *v);

/*
 * The text after "# expect-error:" in a file's comments, or NULL. Such a file
 * is an invalid vector on purpose: loading it must fail with a message that
 * contains this text. smmuv3_vec_expected_error() reads it from raw bytes.
 */
char *smmuv3_vec_expected_error(const char *buf, size_t len);   /* malloc'd, or NULL */

enum { SMMUV3_VEC_PASS = 0, SMMUV3_VEC_FAIL = 1, SMMUV3_VEC_ERROR = 2 };

typedef struct smmuv3_vec_result {
    int status;            /* SMMUV3_VEC_* */
    size_t failed_step;    /* 1-based step number of the failure (0: setup) */
    unsigned line;         /* line of the failing step or setup object */
    size_t steps_run;
    char msg[2048];        /* on failure: the step, the expected and the actual values */
} smmuv3_vec_result;

/* Run a loaded vector. trace: NULL, or where each step is traced (-v). The
 * driver checker (smmuv3_set_diag) is on when the vector has an
 * expect_diagnostics step; then any report no such step expects fails it. */
int smmuv3_vec_run(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res);
/* The same with the driver checker always on (smmuv3-run --check): a vector
 * without expect_diagnostics steps must then cause no report at all. */
int smmuv3_vec_run_check(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res);

#ifdef __cplusplus
}
#endif
#endif
