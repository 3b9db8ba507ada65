/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point: the input is a program for the fuzz interpreter
 * (tests/helpers/fuzz_interp.c). Build with tests/fuzz/build.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "fuzz_interp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    if (fz_run(data, size, msg, sizeof(msg))) {
        fprintf(stderr, "fuzz_model: invariant violated: %s\n", msg);
        __builtin_trap();
    }
    return 0;
}
