/* SPDX-License-Identifier: MIT */
/* The walker tests' shared fixtures (see walkfx.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fixture.h"
#include "walkfx.h"

void ws_oas52(smmuv3_config *c) { c->oas = 52; }
void ws_fwb(smmuv3_config *c) { c->fwb = true; }
void ws_no_httu(smmuv3_config *c) { c->httu = 0; }

void cfg_s2only(smmu_txcfg *c, unsigned g, unsigned tsz, unsigned start, uint64_t ttb)
{
    memset(c, 0, sizeof(*c));
    c->ste.config = SMMU_STE_CFG_S2;
    cfg_s2(&c->ste.s2, g, tsz, start, ttb);
}

uint64_t wfx_s2_4k(fx *x, tpt *p, smmu_txcfg *c)
{
    tpt_init(p, x->mem, 0x400000, 12, 0);
    uint64_t root = tpt_alloc(p, 1024);
    cfg_s2only(c, 12, 24, 1, root);
    return root;
}

void ws_nested(ws *w)
{
    w->nested = true;
    tpt_init(&w->p2, w->x->mem, 0x300000, 12, 0);
    w->r2 = tpt_alloc(&w->p2, 1024);
    for (uint64_t ipa = 0; ipa < 0x40000000ull; ipa += 0x200000)
        tpt_map(&w->p2, w->r2, 1, 40, ipa, 2, ipa + NEST_OFF, S2_RW);
    tpt_init(&w->p, w->x->mem, 0x100000 + NEST_OFF, 12, NEST_OFF);
    w->root = tpt_alloc(&w->p, 512);
    cfg_s1(&w->c, 12, 16, w->root - NEST_OFF);
    w->c.ste.config = SMMU_STE_CFG_NESTED;
    cfg_s2(&w->c.ste.s2, 12, 24, 1, w->r2);
}

static void scene(ws *w)
{
    if (w->nested)
        ws_nested(w);
    else
        w->root = wfx_s1_4k(w->x, &w->p, &w->c);
}

static int setup_scene(void **state, bool nested)
{
    ws *w = calloc(1, sizeof(*w));
    if (!w || !(w->x = wfx_new(NULL))) {
        free(w);
        return -1;
    }
    w->nested = nested;
    scene(w);
    *state = w;
    return 0;
}

int ws_setup(void **state) { return setup_scene(state, false); }
int ws_setup_nested(void **state) { return setup_scene(state, true); }

int ws_teardown(void **state)
{
    ws *w = *state;
    wfx_free(w->x);
    free(w);
    return 0;
}

ws *ws_profile(ws *w, void (*tweak)(smmuv3_config *))
{
    smmuv3_config cfg;
    fixture_config(&cfg, tweak);
    wfx_free(w->x);
    w->x = wfx_new(&cfg);
    assert_non_null(w->x);
    scene(w);
    return w;
}

uint64_t ws_map(ws *w, uint64_t va, uint64_t pa, uint64_t attrs)
{
    return tpt_map(&w->p, w->root, 0, 48, va, 3, pa, attrs);
}

int ws_walk(ws *w, uint64_t va, const smmu_access *a)
{
    return smmu_walk(w->x->s, &w->c, va, a, &w->out, &w->f);
}

void ws_fault(ws *w, uint64_t va, const smmu_access *a, unsigned event, int s2, int cls)
{
    wfx_expect_fault(w->x, &w->c, va, a, event, s2, cls, &w->f);
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
