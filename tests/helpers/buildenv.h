/* SPDX-License-Identifier: MIT */
/*
 * What the builder tests (test_build*.c) share: an environment (a memory, an
 * instance, an allocator and space over it, a linear stream table, and the
 * driver helper when asked), a field of an image by name, and a translation
 * checked through the model.
 */
#ifndef SMMUV3_TEST_BUILDENV_H
#define SMMUV3_TEST_BUILDENV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

#define TABLES 0x80000000ull     /* the allocator's pool */
#define DATA   0x100000000ull    /* where mapped data lives */

typedef struct env {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *smmu;
    smmuv3_alloc alloc;
    smmuv3_space sp;
    smmuv3_strtab st;
    smmuv3_driver drv;
} env;

/* The field f of structure st in an image (asserts it exists). */
uint64_t img_get(const void *img, const char *st, const char *f);
env *env_new(bool driver);
void env_free(env *e);
/* Translate (a write or a read) and check the result code and, on success, the PA. */
void check_xlate(env *e, uint32_t sid, uint64_t iova, uint64_t want_pa, bool write, int want_rc);

#endif
