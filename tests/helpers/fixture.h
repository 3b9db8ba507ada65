/* SPDX-License-Identifier: MIT */
/* What the cmocka fixtures of the helpers share: a zeroed state object for the
 * test to fill, released with its own "down" function, and the freeing of an
 * instance with its flat memory. */
#ifndef SMMUV3_TEST_FIXTURE_H
#define SMMUV3_TEST_FIXTURE_H

#include <stddef.h>
#include <smmuv3/smmuv3.h>

/* *state: a zeroed object of `size` bytes. 0, or -1 when out of memory. */
int fixture_zeroed(void **state, size_t size);
/* fixture_zeroed, then up(*state). */
int fixture_up(void **state, size_t size, void (*up)(void *obj));
/* down(*state), then free it. Returns 0. */
int fixture_release(void **state, void (*down)(void *obj));
/* The default profile with tweak applied (NULL: none). */
void fixture_config(smmuv3_config *c, void (*tweak)(smmuv3_config *c));
/* Free *s and *mem (either may be NULL) and clear both. */
void fixture_free_instance(smmuv3 **s, smmuv3_mem **mem);

#endif
