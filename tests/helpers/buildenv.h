/* SPDX-License-Identifier: MIT */
/*
 * What the builder tests (test_build*.c) share: an environment (a memory, an
 * instance, an allocator and space over it, a linear stream table, and the
 * driver helper when asked), a field of an image by name, and a translation
 * checked through the model. The test device tests and the QEMU scenarios
 * (test_testdev.c, test_scenarios.c) build their own environments on
 * env_open and env_tables.
 */
#ifndef SMMUV3_TEST_BUILDENV_H
#define SMMUV3_TEST_BUILDENV_H

#include <stdbool.h>
#include <stddef.h>
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
/* Fields of structure st expected in an image: a table's row. */
typedef struct img_field {
    const char *name;
    uint64_t want;
} img_field;
/* Each of the n fields holds its value; a failure names the field. */
void img_expect(const void *img, const char *st, const img_field *f, size_t n);
#define IMG_EXPECT(img, st, tbl) img_expect((img), (st), (tbl), sizeof(tbl) / sizeof((tbl)[0]))
/* env_open, env_tables(TABLES, 64 MB, 64 STEs from the pool), and the driver
 * helper brought up when driver. */
env *env_new(bool driver);
void env_free(env *e);
/* The memory, its host and an instance (c NULL: the default profile) in e;
 * the other members untouched. */
void env_open(env *e, const smmuv3_config *c);
/* An allocator of size bytes at pool, a space over it, and a linear stream
 * table of 2^st_log2 STEs at st_at (SMMUV3_BUILD_ALLOC: from the pool). */
void env_tables(env *e, uint64_t pool, uint64_t size, unsigned st_log2, uint64_t st_at);
/* Frees what env_open made (not e itself). */
void env_close(env *e);
/* The STE of sid written, the SMMU brought up by the driver helper over e's
 * space and stream table, and a DMA test device for sid (free it with
 * smmuv3_testdev_free before env_close). */
smmuv3_testdev *env_up_testdev(env *e, uint32_t sid, const uint8_t ste[64]);
/* Translate (a write or a read) and check the result code and, on success, the PA. */
void check_xlate(env *e, uint32_t sid, uint64_t iova, uint64_t want_pa, bool write, int want_rc);

#endif
