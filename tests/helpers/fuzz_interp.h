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
#include <stdbool.h>
#include <stdint.h>

/* Upper bounds on one program. */
#define FZ_MAX_OPS 1024u
#define FZ_MAX_SETUPS 2u
#define FZ_MAX_ABORTS 4u
#define FZ_MAX_IRQ_ACTIONS 32u

int fz_run(const uint8_t *data, size_t size, char *msg, size_t msglen);

/* One run of a program, its observations in log[0..*nlog) (log NULL: none),
 * with the fast path forced off, snapshot points restoring into a fresh
 * instance (snap_fresh, fuzz_snap.h), and with the driver checker's callback
 * set when diag is given (tests/helpers/fuzz_checker.c). */
struct smmuv3_diag;
int fz_run_once(const uint8_t *data, size_t size, char *msg, size_t msglen, uint64_t *log, size_t caplog,
                size_t *nlog, bool no_fastpath, bool snap_fresh, void (*diag)(void *, const struct smmuv3_diag *),
                void *diag_ctx);

/* Two runs' observation logs compared: 0 when equal, else 1 and, in msg,
 * "<what> differ at observation <i>: <a[i]> vs <b[i]>" (a shorter log reads
 * ~0 past its end). */
int fz_logs_differ(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, const char *what, char *msg,
                   size_t msglen);

/* The program with the driver checker on and off: it must never crash, every
 * report must be well formed (a known code, a one-line message citing IHI
 * 0070), and the model must observe exactly the same either way (the checker
 * only reports). Returns the number of problems, the first in msg;
 * *reports (may be NULL) counts the reports. */
int fz_run_checker(const uint8_t *data, size_t size, char *msg, size_t msglen, unsigned long *reports);

#endif
