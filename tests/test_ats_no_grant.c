/* SPDX-License-Identifier: MIT */
/*
 * An ATS Translation Request whose stage 1 translation grants it nothing
 * (IHI 0070 3.9.1.2): "If the final IPA for stage 1 is valid, but does not
 * provide any access permissions for the Translation Request, the IPA is not
 * translated at stage 2, and no faults from stage 2 are visible", e.g. an
 * Unprivileged request to a page with no Unprivileged access. What the
 * request can use is 13.7.1's: R (or W) with INSTCFG use-incoming or Data,
 * X (or W) with INSTCFG Instruction, where every read is a fetch.
 *
 * The final IPA's stage 2 descriptor is made to abort, so a stage 2 walk of
 * it shows (F_WALK_EABT: Completer Abort) where a request without one gets
 * Success with R == W == 0.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "atsenv.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)
#define SID 3
#define VA_PRIV 0x40000000ull   /* EL1 RW, EL0 execute-only (UXN == 0) */
#define VA_USER 0x40001000ull   /* EL0 RW */
#define IPA 0x30000000ull

static atsenv *env(void)
{
    atsenv *e = atsenv_new(NULL, false);
    assert_non_null(e);
    atsenv_nested(e, SID, 1, 0, 0);
    OK(smmuv3_pt_map(&e->pt[SID], VA_PRIV, IPA, 0x1000,
                     SMMUV3_MAP_PRIV | SMMUV3_MAP_RW | SMMUV3_MAP_EXEC | SMMUV3_MAP_PAGES, 0));
    OK(smmuv3_pt_map(&e->pt[SID], VA_USER, IPA, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0));
    atsenv_map_s2(e, IPA, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_EXEC | SMMUV3_MAP_PAGES);
    uint64_t desc;
    OK(smmuv3_pt_desc_addr(&e->s2nest, IPA, 3, false, &desc));
    OK(smmuv3_mem_add_abort(e->mem, desc, 8));
    return e;
}

static smmuv3_ats_result ats(atsenv *e, uint64_t va, uint32_t flags)
{
    smmuv3_ats_result r;
    memset(&r, 0xA5, sizeof(r));
    OK(atsenv_ats(e, SID, false, 0, va, flags, &r));   /* no PASID: Unprivileged, Data */
    return r;
}

static void expect_no_access(smmuv3_ats_result r)
{
    assert_int_equal(r.status, SMMUV3_ATS_SUCCESS);
    assert_int_equal(r.perm, 0);
    assert_int_equal(r.size, 0x1000);
}

/* Unprivileged request, EL0 execute-only at stage 1: nothing it can use
 * (13.7 "User-X, Priv-RW" gives R == W == Exe == 0); stage 2 not walked. */
static void s1_nothing_skips_stage2(void **state)
{
    (void)state;
    atsenv *e = env();
    expect_no_access(ats(e, VA_PRIV, SMMUV3_TXN_WRITE));
    expect_no_access(ats(e, VA_PRIV, 0));
    /* the same IPA from an EL0-readable page: stage 2 is walked, and aborts */
    assert_int_equal(ats(e, VA_USER, 0).status, SMMUV3_ATS_CA);
    uint8_t ids[4];
    assert_int_equal(atsenv_events(e, ids, 4), 0);
    atsenv_free(e);
}

/* INSTCFG == Instruction: X is what a read needs, so the EL0 execute-only
 * page grants R (13.7.1) and stage 2 is walked. */
static void instcfg_instruction_uses_x(void **state)
{
    (void)state;
    atsenv *e = env();
    atsenv_ste_field(e, SID, "instcfg", 3);
    assert_int_equal(ats(e, VA_PRIV, 0).status, SMMUV3_ATS_CA);
    uint8_t ids[4];
    assert_int_equal(atsenv_events(e, ids, 4), 0);
    atsenv_free(e);
}

TEST_MAIN(s1_nothing_skips_stage2, instcfg_instruction_uses_x)
