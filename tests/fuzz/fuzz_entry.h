/* SPDX-License-Identifier: MIT */
/* What the libFuzzer entry points of tests/fuzz/ share: run one input through
 * a checker that returns nonzero when an invariant is violated (its message
 * in msg); then print the message and trap, so that libFuzzer keeps the input. */
#ifndef SMMUV3_FUZZ_ENTRY_H
#define SMMUV3_FUZZ_ENTRY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef int (*fuzz_check_fn)(const uint8_t *data, size_t size, char *msg, size_t msglen);

static inline int fuzz_entry(const char *harness, fuzz_check_fn check, const uint8_t *data, size_t size)
{
    char msg[256];
    if (check(data, size, msg, sizeof(msg))) {
        fprintf(stderr, "%s: invariant violated: %s\n", harness, msg);
        __builtin_trap();
    }
    return 0;
}

#endif
