/* SPDX-License-Identifier: MIT */
/* libFuzzer entry point for the YAML vector loader and runner (libyaml):
 * load the input as a vector; when it loads, run it (the runner drives the
 * model through the builders). Build with tests/fuzz/build.sh; seed with
 * vectors/ ** / *.yaml. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "vectors.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    smmuv3_vector *v = NULL;
    if (smmuv3_vec_load_buffer("fuzz.yaml", (const char *)data, size, &v, err, sizeof(err)) == 0) {
        static smmuv3_vec_result res;
        smmuv3_vec_run(v, NULL, &res);
        smmuv3_vec_free(v);
    }
    return 0;
}
