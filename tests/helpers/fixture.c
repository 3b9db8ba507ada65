/* SPDX-License-Identifier: MIT */
/* Shared pieces of the helpers' cmocka fixtures (see fixture.h). */
#include <stdlib.h>
#include "fixture.h"

int fixture_zeroed(void **state, size_t size)
{
    *state = calloc(1, size);
    return *state ? 0 : -1;
}

int fixture_up(void **state, size_t size, void (*up)(void *obj))
{
    if (fixture_zeroed(state, size))
        return -1;
    up(*state);
    return 0;
}

int fixture_release(void **state, void (*down)(void *obj))
{
    down(*state);
    free(*state);
    *state = NULL;
    return 0;
}

void fixture_config(smmuv3_config *c, void (*tweak)(smmuv3_config *c))
{
    smmuv3_config_default(c);
    if (tweak)
        tweak(c);
}

void fixture_free_instance(smmuv3 **s, smmuv3_mem **mem)
{
    smmuv3_free(*s);
    smmuv3_mem_free(*mem);
    *s = NULL;
    *mem = NULL;
}
