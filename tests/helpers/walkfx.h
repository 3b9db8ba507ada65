/* SPDX-License-Identifier: MIT */
/*
 * What the walker's unit tests (test_walk*.c) share: accesses, read/write leaf
 * attributes, a stage 2 tree, and walk scenes (cmocka fixtures): an instance
 * with the default profile or one feature changed, and a stage 1 or a nested
 * configuration (over a 1 GB stage 2 identity-plus-offset map) with its tables.
 */
#ifndef SMMUV3_TEST_WALKFX_H
#define SMMUV3_TEST_WALKFX_H

#include "walkpt.h"

typedef wfx fx;
#define cfg_s1 wfx_cfg_s1
#define cfg_s2 wfx_cfg_s2

#define RD ((smmu_access){ .write = false, .exec = false, .priv = false })
#define WR ((smmu_access){ .write = true, .exec = false, .priv = false })

#define S1_RW (PT_AF | PT_ATTRINDX(1) | PT_SH(3) | PT_AP(1))   /* EL0+EL1 read/write */
#define S2_RW (PT_AF | PT_MEMATTR(0xf) | PT_SH(3) | PT_S2AP(3))

/* Nested: stage 2 maps IPA [0, 1G) to PA + NEST_OFF with 2M blocks (4K
 * granule, 40-bit IPA, start level 1); stage 1 (4K, T0SZ 16) has its tables
 * at IPA 0x100000.. (PA 0x40100000..) and its root in *s1root (a PA). */
/* The walk of va with access a faults (smmu_walk 1) with EventID event,
 * S2 == s2 and CLASS == cls (-1: not checked); *f holds the fault. */
void wfx_expect_fault(fx *x, const smmu_txcfg *c, uint64_t va, const smmu_access *a, unsigned event, int s2, int cls,
                      smmu_fault *f);

#define NEST_OFF 0x40000000ull

/* A stage 2-only configuration: wfx_cfg_s2 in a zeroed c. */
void cfg_s2only(smmu_txcfg *c, unsigned g, unsigned tsz, unsigned start, uint64_t ttb);
/* Stage 2 only, 4K granule, 40-bit IPA from level 1 (two concatenated tables,
 * from PA 0x400000) in a new tree p; returns the root. */
uint64_t wfx_s2_4k(fx *x, tpt *p, smmu_txcfg *c);

/* ------------------------------------------------------------ walk scenes
 * The state of the ws_* cmocka fixtures: an instance (default profile), one
 * configuration and its tables, and what the last ws_walk gave. ws_setup
 * builds wfx_s1_4k's stage 1 tree, ws_setup_nested the nested scene above. */
typedef struct ws {
    fx *x;
    bool nested;
    smmu_txcfg c;       /* the configuration the ws_* helpers walk with */
    tpt p;              /* stage 1 tables and root (nested: tables at IPAs, root a PA) */
    uint64_t root;
    tpt p2;             /* nested: stage 2 tables and root */
    uint64_t r2;
    smmu_xlate out;
    smmu_fault f;
} ws;

int ws_setup(void **state);
int ws_setup_nested(void **state);
int ws_teardown(void **state);
/* The instance of a ws fixture's state. */
static inline fx *ws_fx(void **state) { return ((ws *)*state)->x; }
/* The nested scene over w->x (w->nested set); tests that make their own. */
void ws_nested(ws *w);
/* Another profile: the default one with tweak applied (ws_oas52, ws_fwb,
 * ws_no_httu, the test's own, or NULL: a fresh default instance); the scene
 * is built again over the new instance. Returns w. */
ws *ws_profile(ws *w, void (*tweak)(smmuv3_config *));
void ws_oas52(smmuv3_config *c);
void ws_fwb(smmuv3_config *c);
void ws_no_httu(smmuv3_config *c);
/* Map the 4K page at va to pa (attributes attrs) in the stage 1 tree; returns
 * the PA of the leaf descriptor. */
uint64_t ws_map(ws *w, uint64_t va, uint64_t pa, uint64_t attrs);
/* smmu_walk of va with w->c into w->out / w->f: 0, or 1 on a fault. */
int ws_walk(ws *w, uint64_t va, const smmu_access *a);
/* wfx_expect_fault with w->c; the fault in w->f. */
void ws_fault(ws *w, uint64_t va, const smmu_access *a, unsigned event, int s2, int cls);

#endif
