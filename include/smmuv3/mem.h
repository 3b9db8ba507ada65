/* SPDX-License-Identifier: MIT */
/* Simulated flat memory: sparse over the 52-bit physical address space. */
#ifndef SMMUV3_MEM_H
#define SMMUV3_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMMUV3_PA_LIMIT (1ull << 52)  /* first address that is not in the PA space */

/* Threads: any number of threads may call these on one smmuv3_mem at once
 * (not smmuv3_mem_free); each call is atomic with respect to the others (a
 * read never returns half of a concurrent write). */
typedef struct smmuv3_mem smmuv3_mem;

/* Zero-filled, memory paid per touched 4K page. NULL when out of memory. */
SMMUV3_API smmuv3_mem *smmuv3_mem_new(void);
SMMUV3_API void smmuv3_mem_free(smmuv3_mem *mem);
/* 0, SMMUV3_ERANGE (at or crossing 2^52), SMMUV3_EABORT (touches an abort range),
 * SMMUV3_EINVAL (NULL buffer with len > 0), SMMUV3_ENOMEM. */
SMMUV3_API int  smmuv3_mem_read(smmuv3_mem *mem, uint64_t pa, void *buf, size_t len);
SMMUV3_API int  smmuv3_mem_write(smmuv3_mem *mem, uint64_t pa, const void *buf, size_t len);
/* Accesses touching [pa, pa+len) fail with SMMUV3_EABORT from now on. */
SMMUV3_API int  smmuv3_mem_add_abort(smmuv3_mem *mem, uint64_t pa, uint64_t len);
/* Cap on the 4K pages backed by storage (0, the default: none). A write
 * that would back more fails as an external abort (SMMUV3_EABORT) and stores
 * nothing, so a guest that aims MSIs or access-flag updates at fresh pages
 * cannot grow host memory without bound. Reads of unbacked pages still
 * return zeros. Lowering it below the pages already backed keeps them. */
SMMUV3_API int  smmuv3_mem_set_page_limit(smmuv3_mem *mem, size_t max_pages);
/* Number of 4K pages backed by storage (for tests of sparseness). */
SMMUV3_API size_t smmuv3_mem_pages(const smmuv3_mem *mem);

#ifdef __cplusplus
}
#endif
#endif
