/* Unit tests: the transaction path (src/translate.c): GBPA, fault records and CD.{A,R} /
 * STE.S2R, termination models, permission faults on TLB hits, attributes, statistics. */
#include "test_cfg_util.h"
#include "fixture.h"
#include "test_main.h"

#define IOVA 0x5678000ull
#define PA   0x3000000ull

typedef struct xenv {
    tenv e;
    uint64_t root;
    uint64_t s2root;
} xenv;

/* The default profile with cfg_tweak applied (NULL: none).
 * SID 1: stage 1 with CD (cd_tweak applied); IOVA read-write, IOVA+0x1000 read-only.
 * SID 2: stage 2 only; IOVA read-write. */
static void x_up(xenv *x, void (*cfg_tweak)(smmuv3_config *c), void (*cd_tweak)(uint64_t *cd))
{
    smmuv3_config c;
    fixture_config(&c, cfg_tweak);
    t_up_cfg(&x->e, &c, t_strtab_cfg(8, false, 0));
    x->root = t_pt_new(&x->e);
    t_map(&x->e, x->root, IOVA, PA, false, true);
    t_map(&x->e, x->root, IOVA + 0x1000, PA + 0x1000, false, false);
    uint64_t cd[8], ste[8];
    t_cd(cd, x->root, 1);
    if (cd_tweak)
        cd_tweak(cd);
    t_write_words(&x->e, T_CD, cd, 8);
    t_ste_s1(ste, T_CD, 0, 0);
    t_ste_at(&x->e, 1, ste);
    x->s2root = t_pt_new(&x->e);
    t_map(&x->e, x->s2root, IOVA, PA + 0x10000, true, true);
    t_ste_s2(ste, x->s2root, 7);
    t_ste_at(&x->e, 2, ste);
}

/* Down, and up again with other tweaks: the tests that need them. */
static xenv *x_again(xenv *x, void (*cfg_tweak)(smmuv3_config *c), void (*cd_tweak)(uint64_t *cd))
{
    t_down(&x->e);
    x_up(x, cfg_tweak, cd_tweak);
    return x;
}

/* The fixture: *state is an xenv, up with no tweaks. */
static void x_up_plain(void *x) { x_up(x, NULL, NULL); }
static void x_down(void *x) { t_down(&((xenv *)x)->e); }
static int x_setup(void **state) { return fixture_up(state, sizeof(xenv), x_up_plain); }
static int x_teardown(void **state) { return fixture_release(state, x_down); }

static void test_args(void **state)
{
    xenv *x = *state;
    smmuv3_txn t = { 0 };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(NULL, &t, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_translate(x->e.s, NULL, &r), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_translate(x->e.s, &t, NULL), SMMUV3_EINVAL);
}

static void test_success(void **state)
{
    xenv *x = *state;
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x44, SMMUV3_TXN_WRITE, &r), 0);
    assert_int_equal(r.pa, PA + 0x44);
    assert_int_equal(r.outcome, SMMUV3_XLATE_OK);
    assert_false(r.bypass);
    assert_int_equal(r.size, 0x1000);
    assert_int_equal(r.perm & (SMMUV3_PERM_R | SMMUV3_PERM_W), SMMUV3_PERM_R | SMMUV3_PERM_W);
    assert_int_equal(r.attrs.memattr, 0xFF);
    assert_int_equal(r.attrs.sh, 3);
    assert_true(r.attrs.ns);
    /* second time: a TLB hit, same answer */
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x48, 0, &r), 0);
    assert_int_equal(r.pa, PA + 0x48);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1010, 0, &r), 0);
    assert_int_equal(r.perm & (SMMUV3_PERM_R | SMMUV3_PERM_W), SMMUV3_PERM_R);
    assert_int_equal(t_xlate(&x->e, 2, false, 0, IOVA + 0x10, 0, &r), 0);
    assert_int_equal(r.pa, PA + 0x10010);
    smmuv3_stats st;
    smmuv3_get_stats(x->e.s, &st);
    assert_int_equal(st.translations, 4);
    t_no_event(&x->e);
}

/* A stage 1 Translation fault is recorded (R=1) with the access, and aborted (A=1). */
static void test_s1_fault_record(void **state)
{
    xenv *x = *state;
    smmuv3_result r;
    uint64_t va = IOVA + 0x20000 + 0x123;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, va, SMMUV3_TXN_WRITE | SMMUV3_TXN_PRIV, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSLATION);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_inputaddr), va);
    assert_int_equal(fget(w, F_EVENT_rnw), 0);
    assert_int_equal(fget(w, F_EVENT_pnu), 1);
    assert_int_equal(fget(w, F_EVENT_ind), 0);
    assert_int_equal(fget(w, F_EVENT_s2), 0);
    assert_int_equal(fget(w, F_EVENT_stall), 0);
    /* an instruction read, unprivileged */
    assert_int_equal(t_xlate(&x->e, 1, false, 0, va, SMMUV3_TXN_EXEC, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_rnw), 1);
    assert_int_equal(fget(w, F_EVENT_pnu), 0);
    assert_int_equal(fget(w, F_EVENT_ind), 1);
    /* Permission fault: write to the read-only page, first through a walk, then on a TLB hit */
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_PERMISSION);
    t_expect_event(&x->e, SMMUV3_EVT_F_PERMISSION, 1, false, 0, NULL);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, 0, &r), 0);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_PERMISSION);
    t_expect_event(&x->e, SMMUV3_EVT_F_PERMISSION, 1, false, 0, NULL);
    t_no_event(&x->e);
}

static void cd_no_record(uint64_t *cd) { fset(cd, F_CD_r, 0); }
static void cd_razwi(uint64_t *cd) { fset(cd, F_CD_a, 0); }
static void cd_razwi_norecord(uint64_t *cd) { fset(cd, F_CD_a, 0); fset(cd, F_CD_r, 0); }

static void test_cd_a_r(void **state)
{
    xenv *x = x_again(*state, NULL, cd_no_record);
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x30000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, 0);
    t_no_event(&x->e);

    x_again(x, NULL, cd_razwi);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x30000, 0, &r), SMMUV3_XLATE_RAZWI);
    assert_int_equal(r.outcome, SMMUV3_XLATE_RAZWI);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, NULL);
    /* A applies to stage 1 only; configuration errors always abort */
    assert_int_equal(t_xlate(&x->e, 1, true, 1, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_C_BAD_SUBSTREAMID, 1, true, 1, NULL);

    x_again(x, NULL, cd_razwi_norecord);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x30000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_RAZWI);
    t_no_event(&x->e);
}

/* An external abort on the stage 1 table walk is recorded even with R=0, and aborts even with A=0. */
static void test_walk_eabt(void **state)
{
    xenv *x = x_again(*state, NULL, cd_razwi_norecord);
    smmuv3_result r;
    assert_int_equal(smmuv3_mem_add_abort(x->e.mem, x->root, 0x1000), 0);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_WALK_EABT);
    t_expect_event(&x->e, SMMUV3_EVT_F_WALK_EABT, 1, false, 0, NULL);
}

/* Stage 2 faults: always abort (implied A=1), recorded per STE.S2R. */
static void test_s2_faults(void **state)
{
    xenv *x = *state;
    smmuv3_result r;
    uint64_t ipa = IOVA + 0x40000 + 0x88;
    assert_int_equal(t_xlate(&x->e, 2, false, 0, ipa, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 2, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_s2), 1);
    assert_int_equal(fget(w, F_EVENT_inputaddr), ipa);
    assert_int_equal(fget_addr(w, F_EVENT_ipa), ipa & ~0xFFFull);
    assert_int_equal(fget(w, F_EVENT_rnw), 0);
    uint64_t ste[8];
    t_ste_s2(ste, x->s2root, 7);
    fset(ste, F_STE_s2r, 0);
    t_ste_at(&x->e, 3, ste);
    assert_int_equal(t_xlate(&x->e, 3, false, 0, ipa, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(r.event, 0);
    t_no_event(&x->e);
}

static void term_model(smmuv3_config *c) { c->term_model = true; }

/* TERM_MODEL=1: terminated transactions always abort (A must be 1, checked by cd.c). */
static void test_term_model(void **state)
{
    xenv *x = x_again(*state, term_model, NULL);
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x30000, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 1, false, 0, NULL);
}

/* PRIVCFG/INSTCFG overrides reach the permission inputs and the event record. */
static void test_priv_override(void **state)
{
    xenv *x = *state;
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 0);
    fset(ste, F_STE_privcfg, 3);
    fset(ste, F_STE_instcfg, 3);
    t_ste_at(&x->e, 4, ste);
    smmuv3_result r;
    assert_int_equal(t_xlate(&x->e, 4, false, 0, IOVA + 0x50000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_TRANSLATION, 4, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_pnu), 1);
    assert_int_equal(fget(w, F_EVENT_ind), 1);
    /* a privileged instruction read of the EL0-writable page faults (implicit PXN)... */
    assert_int_equal(t_xlate(&x->e, 4, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_PERMISSION);
    t_expect_event(&x->e, SMMUV3_EVT_F_PERMISSION, 4, false, 0, NULL);
    /* ...and of the read-only page passes */
    assert_int_equal(t_xlate(&x->e, 4, false, 0, IOVA + 0x1000, 0, &r), 0);
    assert_true(r.attrs.priv);
    assert_true(r.attrs.inst);
}

/* SMMUEN = 0: GBPA bypass with the reset attributes, or abort without an event. */
static void test_gbpa(void **state)
{
    xenv *x = *state;
    smmuv3_result r;
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(0, F_CR0_eventqen, 1));
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, 0, &r), 0);
    assert_true(r.bypass);
    assert_int_equal(r.pa, IOVA);
    assert_int_equal(r.attrs.sh, 0);     /* reset GBPA: SHCFG incoming, the 13.1.3 default NSH */
    /* the overrides: test_gbpa_overrides */
    t_mmio32(&x->e, REG_GBPA, (uint32_t)rset(rset(0, F_GBPA_abort, 1), F_GBPA_update, 1));
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, 0);
    assert_int_equal(r.event, 0);
    t_no_event(&x->e);
}

/* 3.4: addresses beyond the OAS/IAS when stage 1 does not translate. */
static void test_bypass_addr_size(void **state)
{
    xenv *x = x_again(*state, NULL, cd_no_record);
    uint64_t ste[8];
    t_ste_bypass(ste);
    t_ste_at(&x->e, 8, ste);
    smmuv3_result r;
    uint64_t big = 1ull << 48;
    assert_int_equal(t_xlate(&x->e, 8, false, 0, big - 1, 0, &r), 0);
    assert_int_equal(t_xlate(&x->e, 8, false, 0, big, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, SMMUV3_EVT_F_ADDR_SIZE);
    uint64_t w[4];
    t_expect_event(&x->e, SMMUV3_EVT_F_ADDR_SIZE, 8, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_inputaddr), big);
    assert_int_equal(fget(w, F_EVENT_s2), 0);
    /* stage 2 only: checked against the IAS, a stage 1 fault even with S2R=0 */
    t_ste_s2(ste, x->s2root, 7);
    fset(ste, F_STE_s2r, 0);
    t_ste_at(&x->e, 9, ste);
    assert_int_equal(t_xlate(&x->e, 9, false, 0, 0xFFFF000000000000ull, 0, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_F_ADDR_SIZE, 9, false, 0, w);
    assert_int_equal(fget(w, F_EVENT_s2), 0);
    /* SMMUEN = 0: aborted without an event */
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(0, F_CR0_eventqen, 1));
    assert_int_equal(t_xlate(&x->e, 8, false, 0, big, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.fault, 0);
    t_no_event(&x->e);
}




/* The leaf descriptor address of `va` in a t_map() table (39-bit, start level 1). */
static uint64_t leaf_addr(tenv *e, uint64_t root, uint64_t va)
{
    uint64_t table = root;
    for (int level = 1; level < 3; level++) {
        uint64_t d = t_read64(e, table + ((va >> (12 + 9 * (3 - level))) & 511) * 8);
        table = d & 0x0000FFFFFFFFF000ull;
    }
    return table + ((va >> 12) & 511) * 8;
}


/* ---------------------------------------------------------------- attributes
 * One STE per case (its own StreamID), the incoming-attribute overrides
 * applied to a bypass, stage 1 or stage 2 STE, one read; NO: the field is left
 * as the builder sets it, or the value is not checked. The cases run in order
 * in one SMMU, so later ones of a group may hit the TLB entries of earlier ones. */
#define NO (-1)
#define WT_VA (IOVA + 0x2000)   /* stage 2 only: a Normal oWT-iWT page (attr_env) */
enum { K_BYPASS, K_S1, K_S2 };

typedef struct attr_case {
    int kind, mtcfg, memattr, alloccfg, shcfg;
    uint64_t va, pa;
    int want_ma, want_sh;
} attr_case;

static const attr_case attr_cases[] = {
    /* Stage 2 only: the STE's overridden incoming type combines with stage 2. */
    { K_S2, 1, 0x1, NO, NO, IOVA, PA + 0x10000, 0x04, 2 },      /* Device-nGnRE in */
    { K_S2, 1, 0x5, NO, NO, IOVA, PA + 0x10000, 0x44, NO },     /* Normal NC in */
    /* 5.2 ALLOCCFG / 13.1.7: a cacheable type that is read-no-allocate and
     * write-no-allocate has no Transient attribute, so ALLOCCFG = 0b1001
     * (transient, no allocate) is equivalent to 0b1000: WB stays WB (0xCC) and
     * WT stays WT (0x88); a transient hint with an allocation hint stays
     * transient (0b1011). The GBPA overrides are in gbpa_cases. */
    { K_BYPASS, 1, 0xF, 0x9, 3, 0x1000, 0x1000, 0xCC, 3 },      /* Normal iWB-oWB */
    { K_BYPASS, 1, 0xA, 0x9, 3, 0x1000, 0x1000, 0x88, 3 },      /* Normal iWT-oWT */
    { K_BYPASS, 1, 0xE, 0x9, 3, 0x1000, 0x1000, 0xC8, NO },     /* outer WB, inner WT */
    { K_BYPASS, 1, 0xF, 0xB, 3, 0x1000, 0x1000, 0x55, NO },     /* no RA, WA, transient */
    /* 13.1.3: a transaction carries no Shareability (smmuv3_txn has no
     * attribute fields), so "use incoming" selects the default input
     * attribute, Non-shareable; with stage 2 only, the stage 2 descriptor's
     * Shareability then wins the combine (13.1.5); SHCFG = 0b10 (OSH)
     * overrides and combines as the more shareable. Device and
     * Normal-iNC-oNC remain Outer Shareable (13.1.7). */
    { K_BYPASS, NO, NO, NO, 1, 0x1000, 0x1000, 0xFF, 0 },
    { K_BYPASS, 1, 0x5, NO, 1, 0x1000, 0x1000, 0x44, 2 },
    { K_S2, NO, NO, NO, 1, IOVA, PA + 0x10000, 0xFF, 3 },
    { K_S2, NO, NO, NO, 2, IOVA, PA + 0x10000, NO, 2 },
    /* 13.1.5: with stage 2 only, the (overridden) incoming attributes combine
     * with the stage 2 ones: the weaker cacheability, the stronger allocation
     * and transient hints. Stage 2 has no hints of its own, so an incoming WB
     * no-allocate type (MTCFG WB, ALLOCCFG 0b1000) on a stage 2 WT page is WT
     * no-allocate (0x88), not WT read/write-allocate; a transient
     * read-allocate one (ALLOCCFG 0b1101) is WT transient read-allocate
     * (0x22). The WB stage 2 page keeps the incoming type and hints; incoming
     * Normal NC stays NC whatever stage 2 says. */
    { K_S2, 1, 0xF, 0x8, 3, WT_VA, PA + 0x20000, 0x88, NO },
    { K_S2, 1, 0xF, 0x8, 3, IOVA, PA + 0x10000, 0xCC, NO },
    { K_S2, 1, 0xF, 0xD, 3, WT_VA, PA + 0x20000, 0x22, NO },
    { K_S2, 1, 0xF, 0xD, 3, IOVA, PA + 0x10000, 0x66, NO },
    { K_S2, 1, 0x5, 0xD, 3, WT_VA, PA + 0x20000, 0x44, NO },
    /* 5.2: STE.ALLOCCFG without MTCFG is CONSTRAINED UNPREDICTABLE; the
     * documented choice is no effect. */
    { K_BYPASS, NO, NO, 0x8, NO, 0x1000, 0x1000, 0xFF, NO },
    /* 13.4.2: when stage 1 translates, the incoming type is replaced, but the
     * RA/WA/TR hints of a Normal cacheable incoming type are combined with the
     * stage 1 hints, the stronger winning; an incoming Non-cacheable or Device
     * type gives the stage 1 type and hints. The stage 1 page is MAIR
     * attribute 0xFF (WB RW-allocate, non-transient), Inner Shareable. */
    { K_S1, 1, 0xF, 0x8, NO, IOVA, PA, 0xCC, 3 },              /* no allocate */
    { K_S1, 1, 0xF, 0xD, NO, IOVA, PA, 0x66, NO },             /* RA, no WA, transient */
    { K_S1, 1, 0x5, 0x8, NO, IOVA, PA, 0xFF, NO },
    { K_S1, 1, 0x1, 0x8, NO, IOVA, PA, 0xFF, NO },
};

static void fset_opt(uint64_t *w, int f, int v)
{
    if (v != NO)
        fset(w, f, (uint64_t)v);
}

static void test_ste_attr_overrides(void **state)
{
    xenv *x = *state;
    t_map(&x->e, x->s2root, WT_VA, PA + 0x20000, true, true);
    uint64_t la = leaf_addr(&x->e, x->s2root, WT_VA);
    uint64_t leaf = t_read64(&x->e, la);
    t_write64(&x->e, la, (leaf & ~SMMUV3_PTE_MEMATTR(0xF)) | SMMUV3_PTE_MEMATTR(0xA));   /* Normal oWT-iWT */
    for (unsigned i = 0; i < sizeof(attr_cases) / sizeof(attr_cases[0]); i++) {
        const attr_case *k = &attr_cases[i];
        uint64_t ste[8];
        if (k->kind == K_BYPASS)
            t_ste_bypass(ste);
        else if (k->kind == K_S1)
            t_ste_s1(ste, T_CD, 0, 0);
        else
            t_ste_s2(ste, x->s2root, 7);
        fset_opt(ste, F_STE_mtcfg, k->mtcfg);
        fset_opt(ste, F_STE_memattr, k->memattr);
        fset_opt(ste, F_STE_alloccfg, k->alloccfg);
        fset_opt(ste, F_STE_shcfg, k->shcfg);
        uint32_t sid = 16 + i;
        t_ste_at(&x->e, sid, ste);
        smmuv3_result r;
        if (t_xlate(&x->e, sid, false, 0, k->va, 0, &r) != 0)
            fail_msg("case %u: aborted, fault 0x%x", i, r.fault);
        assert_int_equal(r.pa, k->pa);
        if (k->want_ma != NO && r.attrs.memattr != k->want_ma)
            fail_msg("case %u: memattr 0x%02x, want 0x%02x", i, r.attrs.memattr, k->want_ma);
        if (k->want_sh != NO && r.attrs.sh != k->want_sh)
            fail_msg("case %u: sh %u, want %d", i, r.attrs.sh, k->want_sh);
    }
    t_no_event(&x->e);
}

/* 6.3.14 / 13.2: with SMMUEN = 0 each GBPA field replaces its attribute on
 * its own (NO: the field is 0); unlike STE.ALLOCCFG (CONSTRAINED UNPREDICTABLE
 * without MTCFG, 5.2) GBPA.ALLOCCFG is not conditional on GBPA.MTCFG: the
 * default incoming type (Normal WB, 13.1.3) gets the overridden hints.
 * ALLOCCFG = 0b1001 is no-allocate (see attr_cases). */
typedef struct gbpa_case {
    int mtcfg, memattr, alloccfg, shcfg, privcfg;
    int want_ma, want_sh, want_priv;
} gbpa_case;

static const gbpa_case gbpa_cases[] = {
    { 1, 0x5, NO, NO, 3, 0x44, 2, 1 },       /* Normal NC, privileged */
    { 1, 0xF, 0x9, NO, NO, 0xCC, NO, NO },   /* WB, transient no-allocate */
    { NO, NO, 0x8, 3, NO, 0xCC, 3, NO },     /* no allocate, ISH, no MTCFG */
    { NO, NO, 0xD, NO, NO, 0x66, NO, NO },   /* RA, transient, no MTCFG */
};

static uint64_t rset_opt(uint64_t r, int f, int v) { return v == NO ? r : rset(r, f, (uint64_t)v); }

static void test_gbpa_overrides(void **state)
{
    xenv *x = *state;
    t_mmio32(&x->e, REG_CR0, (uint32_t)rset(0, F_CR0_eventqen, 1));
    /* any StreamID, SubstreamID and address bypasses */
    static const struct { uint32_t sid, ssid; bool ssv; uint64_t addr; } txn[] = {
        { 1, 0, false, 0x1000 }, { 999, 3, true, 0x1234 },
    };
    for (unsigned i = 0; i < sizeof(gbpa_cases) / sizeof(gbpa_cases[0]); i++) {
        const gbpa_case *k = &gbpa_cases[i];
        uint64_t g = rset_opt(rset_opt(0, F_GBPA_mtcfg, k->mtcfg), F_GBPA_memattr, k->memattr);
        g = rset_opt(rset_opt(g, F_GBPA_alloccfg, k->alloccfg), F_GBPA_shcfg, k->shcfg);
        g = rset_opt(g, F_GBPA_privcfg, k->privcfg);
        t_mmio32(&x->e, REG_GBPA, (uint32_t)rset(g, F_GBPA_update, 1));
        for (unsigned j = 0; j < 2; j++) {
            smmuv3_result r;
            assert_int_equal(t_xlate(&x->e, txn[j].sid, txn[j].ssv, txn[j].ssid, txn[j].addr, 0, &r), 0);
            assert_true(r.bypass);
            assert_int_equal(r.pa, txn[j].addr);
            if (k->want_ma != NO && r.attrs.memattr != k->want_ma)
                fail_msg("case %u: memattr 0x%02x, want 0x%02x", i, r.attrs.memattr, k->want_ma);
            if (k->want_sh != NO && r.attrs.sh != k->want_sh)
                fail_msg("case %u: sh %u, want %d", i, r.attrs.sh, k->want_sh);
            if (k->want_priv != NO)
                assert_int_equal(r.attrs.priv, k->want_priv);
        }
    }
    t_no_event(&x->e);
}

static void fwb(smmuv3_config *c) { c->fwb = true; }

/* Stage 2 only with S2FWB (5.2 S2FWB applies to stage-2-only translation;
 * 13.4.4): the incoming attributes meet the stage 2 MemAttr as stage 1's
 * would. 0b0110 forces Write-Back (incoming hints kept when the incoming type
 * is Normal cacheable, else RWA non-transient), 0b0111 keeps the incoming
 * attributes, 0b0101 is Non-cacheable unless the incoming type is Device. */
static void test_s2_only_fwb(void **state)
{
    xenv *x = x_again(*state, fwb, NULL);
    uint64_t la = leaf_addr(&x->e, x->s2root, IOVA);
    uint64_t leaf = t_read64(&x->e, la) & ~SMMUV3_PTE_MEMATTR(0xF);
    static const struct { uint8_t s2ma, mtcfg, in_ma, alloccfg, want; } t[] = {
        { 0x6, 1, 0x1, 0, 0xFF },   /* Device-nGnRE in, forced WB: RWA non-transient */
        { 0x6, 1, 0x5, 0, 0xFF },   /* Normal NC in, forced WB */
        { 0x6, 1, 0xF, 0x8, 0xCC }, /* WB no-allocate in: hints kept */
        { 0x7, 1, 0x1, 0, 0x04 },   /* use incoming: Device-nGnRE */
        { 0x7, 1, 0x5, 0, 0x44 },   /* use incoming: NC */
        { 0x5, 1, 0x1, 0, 0x04 },   /* NC unless Device: Device kept */
        { 0x5, 1, 0xF, 0, 0x44 },   /* NC */
        { 0x1, 1, 0xF, 0, 0x04 },   /* stage 2 Device-nGnRE */
    };
    for (unsigned i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        t_write64(&x->e, la, leaf | SMMUV3_PTE_MEMATTR(t[i].s2ma));
        uint64_t ste[8];
        t_ste_s2(ste, x->s2root, 7);
        fset(ste, F_STE_s2fwb, 1);
        fset(ste, F_STE_mtcfg, t[i].mtcfg);
        fset(ste, F_STE_memattr, t[i].in_ma);
        fset(ste, F_STE_alloccfg, t[i].alloccfg);
        t_ste_at(&x->e, 10 + i, ste);
        smmuv3_result r;
        assert_int_equal(t_xlate(&x->e, 10 + i, false, 0, IOVA, 0, &r), 0);
        if (r.attrs.memattr != t[i].want)
            fail_msg("case %u: S2 MemAttr 0x%x, incoming 0x%x: memattr 0x%02x, want 0x%02x", i,
                     t[i].s2ma, t[i].in_ma, r.attrs.memattr, t[i].want);
        smmu_tlb_flush(x->e.s);
    }
    t_no_event(&x->e);
}

static void cd_wxn(uint64_t *cd) { fset(cd, F_CD_wxn, 1); }
static void cd_pan(uint64_t *cd) { fset(cd, F_CD_pan, 1); }

/* res->perm follows the rules of the permission check itself: an EL2
 * StreamWorld ignores AP[1] (3.3.4: privilege checks are ignored at EL2), an
 * EL0-writable page is never privileged-executable at EL1, CD.WXN removes X
 * from writable pages and CD.PAN removes privileged data access (5.4). */
static void test_perm_granted_matches_check(void **state)
{
    xenv *x = *state;
    smmuv3_result r;
    const uint8_t rwx = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
    /* EL1: privileged access to the EL0-writable page: R, W, not X */
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, SMMUV3_TXN_PRIV, &r), 0);
    assert_int_equal(r.perm, SMMUV3_PERM_R | SMMUV3_PERM_W);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, SMMUV3_TXN_PRIV | SMMUV3_TXN_EXEC, &r),
                     SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_F_PERMISSION, 1, false, 0, NULL);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, 0, &r), 0);
    assert_int_equal(r.perm, rwx);
    /* EL2 StreamWorld (STRW = 0b10, E2H = 0): a page without AP[1] is still
     * readable and writable by an unprivileged transaction */
    uint64_t va = IOVA + 0x2000;
    t_map(&x->e, x->root, va, PA + 0x2000, false, true);
    uint64_t la = leaf_addr(&x->e, x->root, va);
    t_write64(&x->e, la, t_read64(&x->e, la) & ~SMMUV3_PTE_AP1);
    uint64_t ste[8];
    t_ste_s1(ste, T_CD, 0, 0);
    fset(ste, F_STE_strw, 2);
    t_ste_at(&x->e, 9, ste);
    assert_int_equal(t_xlate(&x->e, 9, false, 0, va, SMMUV3_TXN_WRITE, &r), 0);
    assert_int_equal(r.perm, rwx);
    t_no_event(&x->e);

    /* WXN: a writable page is not executable */
    x_again(x, NULL, cd_wxn);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA, 0, &r), 0);
    assert_int_equal(r.perm, SMMUV3_PERM_R | SMMUV3_PERM_W);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, 0, &r), 0);
    assert_int_equal(r.perm, SMMUV3_PERM_R | SMMUV3_PERM_X);
    t_no_event(&x->e);

    /* PAN: a privileged instruction fetch from the EL0 read-only page passes,
     * but privileged data accesses to it do not */
    x_again(x, NULL, cd_pan);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, SMMUV3_TXN_PRIV | SMMUV3_TXN_EXEC, &r), 0);
    assert_int_equal(r.perm, SMMUV3_PERM_X);
    assert_int_equal(t_xlate(&x->e, 1, false, 0, IOVA + 0x1000, SMMUV3_TXN_PRIV, &r), SMMUV3_XLATE_ABORT);
    t_expect_event(&x->e, SMMUV3_EVT_F_PERMISSION, 1, false, 0, NULL);
    t_no_event(&x->e);
}



TEST_MAIN_FX(x_setup, x_teardown, test_args, test_success, test_s1_fault_record, test_cd_a_r,
             test_walk_eabt, test_s2_faults, test_term_model, test_priv_override, test_gbpa,
             test_bypass_addr_size, test_ste_attr_overrides, test_gbpa_overrides, test_s2_only_fwb,
             test_perm_granted_matches_check)
