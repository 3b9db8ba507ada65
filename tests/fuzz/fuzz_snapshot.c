/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point for smmuv3_restore: arbitrary bytes, and the SMMU's own
 * snapshots with edits (tests/helpers/fuzz_snap.h says how an input reads).
 * Build with tests/fuzz/build.sh; seeds in tests/fuzz/corpus_snapshot/. */
#include "fuzz_entry.h"
#include "fuzz_snap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_entry("fuzz_snapshot", fzs_run, data, size); }
