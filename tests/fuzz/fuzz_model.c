/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point: the input is a program for the fuzz interpreter
 * (tests/helpers/fuzz_interp.c). Build with tests/fuzz/build.sh. */
#include "fuzz_entry.h"
#include "fuzz_interp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { return fuzz_entry("fuzz_model", fz_run, data, size); }
