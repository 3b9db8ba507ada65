/* SPDX-License-Identifier: MIT */
/* The walker tests' shared fixtures (see walkfx.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "walkfx.h"

static int setup_with(void **state, void (*tweak)(smmuv3_config *))
{
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    if (tweak)
        tweak(&cfg);
    *state = wfx_new(&cfg);
    return *state ? 0 : -1;
}

static void oas52(smmuv3_config *c) { c->oas = 52; }
static void fwb(smmuv3_config *c) { c->fwb = true; }
static void no_httu(smmuv3_config *c) { c->httu = 0; }

int wfx_setup(void **state) { return setup_with(state, NULL); }
int wfx_setup_oas52(void **state) { return setup_with(state, oas52); }
int wfx_setup_fwb(void **state) { return setup_with(state, fwb); }
int wfx_setup_no_httu(void **state) { return setup_with(state, no_httu); }

int wfx_teardown(void **state)
{
    wfx_free(*state);
    return 0;
}

void wfx_nested(fx *x, smmu_txcfg *c, tpt *p1, uint64_t *s1root, tpt *p2, uint64_t *s2root)
{
    tpt_init(p2, x->mem, 0x300000, 12, 0);
    *s2root = tpt_alloc(p2, 1024);
    for (uint64_t ipa = 0; ipa < 0x40000000ull; ipa += 0x200000)
        tpt_map(p2, *s2root, 1, 40, ipa, 2, ipa + NEST_OFF, S2_RW);
    tpt_init(p1, x->mem, 0x100000 + NEST_OFF, 12, NEST_OFF);
    uint64_t r = tpt_alloc(p1, 512);
    *s1root = r;
    cfg_s1(c, 12, 16, r - NEST_OFF);
    c->ste.config = SMMU_STE_CFG_NESTED;
    cfg_s2(&c->ste.s2, 12, 24, 1, *s2root);
}

void wfx_expect_fault(fx *x, const smmu_txcfg *c, uint64_t va, const smmu_access *a, unsigned event, int s2, int cls,
                      smmu_fault *f)
{
    smmu_xlate out;
    assert_int_equal(smmu_walk(x->s, c, va, a, &out, f), 1);
    assert_int_equal(f->event, event);
    if (s2 >= 0)
        assert_int_equal(f->s2, s2);
    if (cls >= 0)
        assert_int_equal(f->cls, cls);
}
