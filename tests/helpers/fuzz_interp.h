/* SPDX-License-Identifier: MIT */
/*
 * The fuzz interpreter: runs a byte string as a bounded program against a
 * fresh SMMU (config variant, then MMIO accesses, guest memory writes,
 * commands, transactions, stall polls, test-device accesses, resets and abort
 * ranges). Shared by the libFuzzer entry point (tests/fuzz/fuzz_model.c) and
 * the deterministic replay of the committed corpus (tests/test_fuzz_replay.c).
 *
 * The model must survive any program: crashes and sanitizer reports are the
 * bugs looked for. fz_run() also checks a few API invariants (return codes in
 * range, result consistent with the return value) and returns how many were
 * violated; the message of the first one goes to `msg` when given.
 */
#ifndef SMMUV3_FUZZ_INTERP_H
#define SMMUV3_FUZZ_INTERP_H

#include <stddef.h>
#include <stdint.h>

/* Upper bounds on one program. */
#define FZ_MAX_OPS 1024u
#define FZ_MAX_SETUPS 2u
#define FZ_MAX_ABORTS 4u
#define FZ_MAX_IRQ_ACTIONS 32u

int fz_run(const uint8_t *data, size_t size, char *msg, size_t msglen);

#endif
