/* SPDX-License-Identifier: MIT */
/* The fuzz corpora replayed by the unit tests (test_fuzz_replay,
 * test_fuzz_snapshot, test_checker_fuzz): every file of a folder, in name
 * order, given to a callback. */
#ifndef TESTS_CORPUS_H
#define TESTS_CORPUS_H

#include <stddef.h>
#include <stdint.h>

#define CORPUS_MAX_FILE 65536   /* a larger file is cut there */

/* Calls fn(bytes, len, index, path, ctx) for every file of dir not starting
 * with '.', in strcmp order of names; the bytes may be changed by fn. Fails
 * the test (cmocka) when dir cannot be read or holds no file. Returns the
 * number of files. */
size_t corpus_each_file(const char *dir,
                        void (*fn)(uint8_t *b, size_t n, size_t index, const char *path, void *ctx),
                        void *ctx);

/* A corpus checker: runs one input; returns the number of invariant
 * violations and describes the first in msg. */
typedef int (*corpus_run_fn)(const uint8_t *data, size_t size, char *msg, size_t msglen);
/* corpus_each_file with run on every file: fails the test, naming the file,
 * on the first that violates an invariant. */
size_t corpus_check_each(const char *dir, corpus_run_fn run);

#endif
