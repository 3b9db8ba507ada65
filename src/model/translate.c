/* SPDX-License-Identifier: MIT */
/*
 * The transaction path (IHI 0070 3.x): SMMUEN/GBPA, then the configuration
 * (StreamID -> STE -> CD, lookup.c), then the IOTLB or a walk, then the
 * permission check, then the fault handling (record, stall or terminate).
 *
 * Choices made here (the spec leaves them open or the model has no input):
 * - Incoming attributes: smmuv3_txn carries no memory type or shareability,
 *   so every transaction gets the default input attributes of 13.1.3: Normal
 *   Inner/Outer Write-Back Read/Write-Allocate non-transient (0xFF),
 *   Non-shareable, Non-secure. STE/GBPA MTCFG/MemAttr, ALLOCCFG and
 *   SHCFG replace these (13.1); they reach the output only when stage 1 does
 *   not translate (stage 1 output replaces the incoming type, 13.4.2, except
 *   for the RA/WA/TR hints of a Normal cacheable incoming type, which combine
 *   with the stage 1 hints); with
 *   stage 2 only, the overridden incoming attributes are combined with the
 *   stage 2 attributes (the more restrictive type, the more shareable domain).
 * - STE.ALLOCCFG applies only when STE.MTCFG=1 (5.2: CONSTRAINED
 *   UNPREDICTABLE whether it has an effect otherwise; here: none).
 *   GBPA.ALLOCCFG has no such condition and always applies (6.3.14, 13.2).
 * - NSCFG (5.2) is used for Secure streams only (smmu_access_from_txn, ste.c);
 *   it is ignored in a Non-secure STE, whose output is always Non-secure.
 * - INSTCFG only affects reads: a write is Data whatever the flags say (5.2).
 * - Address sizes (3.4): with SMMUEN=0 an address beyond the OAS is aborted
 *   silently; when stage 1 is bypassed (STE bypass, stage 2 only, S1DSS
 *   bypass) an address beyond the IAS (= OAS: no AArch32) is a stage 1
 *   F_ADDR_SIZE, terminated with abort and always recorded (3.12 note).
 * - A Translation-related fault (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
 *   F_PERMISSION) follows CD.{A,R,S} at stage 1 and STE.{S2R,S2S} at stage 2
 *   (with an implied A=1, 5.5); every other fault or configuration error is
 *   terminated with abort and recorded (5.5, 3.12). A stall is always recorded
 *   with Stall=1 and a STAG. When all STALL_MAX STAGs are held, the fault is
 *   terminated with abort and recorded with Stall=0 (3.12 permits treating a
 *   stalling configuration as terminating). When the stall record cannot be
 *   written, the transaction stays stalled but smmuv3_stall_poll() answers
 *   RETRY: the device re-issues it when it likes (3.12.2 "retried as though it
 *   had just arrived when the queue is next writable").
 * - res->perm: the R/W/X permissions the final translation grants to a
 *   transaction of this privilege (informative; the check itself is walk.c's).
 */
#include <string.h>
#include "model/tlb/memo.h"
#include "model/checker/checker.h"
#include "model/walk/perm.h"

/* ------------------------------------------------------------ attributes */
/* smmuv3_txn conveys no memory attributes, so the SMMU constructs the default
 * input attributes of 13.1.3: Normal iWB-oWB, Read-Allocate, Write-Allocate,
 * Non-transient, Non-shareable. "Use incoming" (MTCFG=0, SHCFG=0b01,
 * ALLOCCFG=0b0xxx, in the STE or GBPA) selects these. */
#define INCOMING_MEMATTR 0xFF   /* Normal iWB oWB, RW-allocate, non-transient */
#define INCOMING_SH 0           /* Non-shareable (13.1.3) */

/* One MAIR nibble of a Normal type: 0 NC, 1 WT, 2 WB (cacheability rank). */
static int normal_rank(uint8_t nib)
{
    if (nib == 0x4)
        return 0;
    if ((nib & 0xC) == 0x0 || (nib & 0xC) == 0x8)
        return 1;               /* 0b00RW transient WT, 0b10RW WT */
    return 2;                   /* 0b01RW transient WB, 0b11RW WB */
}

static bool memattr_is_device(uint8_t a)
{
    return (a & 0xF0) == 0;
}

/* A Normal cacheable nibble with the given rank and hints. A cacheable type
 * that is read-no-allocate and write-no-allocate has no TR attribute and is
 * non-transient (13.1.7; 5.2 ALLOCCFG: 0b1001 is equivalent to 0b1000): the
 * MAIR encodings 0b0000/0b0100 would otherwise mean Device / Non-cacheable. */
static uint8_t normal_nibble(int rank, bool ra, bool wa, bool transient)
{
    uint8_t hint = (uint8_t)((ra ? 2 : 0) | (wa ? 1 : 0));
    if (!hint)
        transient = false;
    if (rank == 0)
        return 0x4;
    if (rank == 1)
        return (uint8_t)((transient ? 0x0 : 0x8) | hint);
    return (uint8_t)((transient ? 0x4 : 0xC) | hint);
}

/* STE/GBPA MemAttr uses the stage 2 MemAttr[3:0] encoding (5.2): [3:2] outer,
 * [1:0] inner; 0b00xx is Device; 0b0100/0b1000/0b1100 are Reserved and behave
 * as Device-nGnRnE. The result keeps the incoming allocation hints. */
static uint8_t memattr_from_s2enc(unsigned enc)
{
    unsigned o = (enc >> 2) & 3, i = enc & 3;
    if (o == 0)
        return (uint8_t)(i << 2);           /* nGnRnE, nGnRE, nGRE, GRE */
    if (i == 0)
        return 0x00;
    static const int rank[4] = { 0, 0, 1, 2 };   /* 01 NC, 10 WT, 11 WB */
    return (uint8_t)(normal_nibble(rank[o], true, true, false) << 4 |
                     normal_nibble(rank[i], true, true, false));
}

/* ALLOCCFG 0b1RWT replaces the hints of cacheable (WB/WT) nibbles. */
static uint8_t apply_alloccfg(uint8_t a, unsigned alloccfg)
{
    if (!(alloccfg & 8) || memattr_is_device(a))
        return a;
    bool ra = alloccfg & 4, wa = alloccfg & 2, tr = alloccfg & 1;
    uint8_t o = a >> 4, i = a & 0xF;
    int ro = normal_rank(o), ri = normal_rank(i);
    if (ro)
        o = normal_nibble(ro, ra, wa, tr);
    if (ri)
        i = normal_nibble(ri, ra, wa, tr);
    return (uint8_t)(o << 4 | i);
}

/* Device and Normal Non-cacheable are Outer Shareable (5.2 SHCFG note). */
static uint8_t effective_sh(uint8_t memattr, uint8_t sh)
{
    if (memattr_is_device(memattr) || memattr == 0x44)
        return 2;
    return sh;
}

/* The incoming attributes after the MTCFG/MemAttr, ALLOCCFG, SHCFG and
 * PRIVCFG/INSTCFG overrides of an STE or of GBPA (13.1). `alloc_any_type`:
 * ALLOCCFG applies whatever MTCFG says (GBPA, 6.3.14 / 13.2: each attribute
 * is replaced independently); for an STE with MTCFG == 0 it is CONSTRAINED
 * UNPREDICTABLE whether ALLOCCFG has an effect (5.2), and here it has none. */
static void overridden_incoming(bool mtcfg, unsigned memattr, unsigned alloccfg, unsigned shcfg,
                                bool alloc_any_type, const smmu_access *acc, smmuv3_attrs *out)
{
    out->memattr = INCOMING_MEMATTR;
    out->sh = INCOMING_SH;
    if (mtcfg)
        out->memattr = memattr_from_s2enc(memattr);
    if (mtcfg || alloc_any_type)
        out->memattr = apply_alloccfg(out->memattr, alloccfg);
    if (shcfg != 1)
        out->sh = (uint8_t)(shcfg == 0 ? 0 : shcfg);
    out->sh = effective_sh(out->memattr, out->sh);
    out->ns = true;
    out->priv = acc->priv;
    out->inst = acc->exec;
}

/* 13.4.2: stage 1 replaces the incoming type and Shareability, but when the
 * (overridden) incoming type is Normal cacheable its RA/WA/TR hints are
 * combined with the stage 1 ones (the stronger wins: no-allocate,
 * transient); an incoming NC or Device type has no hints and the stage 1
 * ones are used. Stage 2 passes hints on unchanged (13.4.3), so this can be
 * applied to the final result. Only STE MTCFG/ALLOCCFG overrides make the
 * incoming hints differ from the defaults (RA, WA, non-transient). */
static uint8_t hint_nibble(uint8_t out, uint8_t in)
{
    int ro = normal_rank(out);
    if (ro == 0 || normal_rank(in) == 0)
        return out;
    return normal_nibble(ro, (out & 2) && (in & 2), (out & 1) && (in & 1), !(out & 8) || !(in & 8));
}

static uint8_t keep_incoming_hints(uint8_t out, uint8_t in)
{
    /* The default incoming type (RA, WA, non-transient WB) changes only an
     * inner nibble 0b0000 (transient without hints, 13.1.7); the common
     * case costs one test. */
    if (in == INCOMING_MEMATTR && (out & 0x0F))
        return out;
    if (memattr_is_device(out) || memattr_is_device(in))
        return out;
    return (uint8_t)(hint_nibble(out >> 4, in >> 4) << 4 | hint_nibble(out & 0xF, in & 0xF));
}

/* ------------------------------------------------------------ results */
static int finish(smmuv3_result *res, uint8_t outcome)
{
    res->outcome = outcome;
    return outcome;
}

static void event_from_txn(const smmuv3_txn *txn, const smmu_access *acc, smmu_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->sid = txn->sid;
    ev->ssv = txn->ssv;
    ev->ssid = txn->ssv ? txn->ssid : 0;
    ev->input_addr = txn->addr;
    ev->rnw = !acc->write;
    ev->pnu = acc->priv;
    ev->ind = acc->exec;
}

static void record(smmuv3 *s, const smmu_event *ev, smmuv3_result *res)
{
    if (smmu_event_record(s, ev))
        res->event = ev->id;
}

static bool translation_related(uint8_t id)
{
    return id >= SMMUV3_EVT_F_TRANSLATION && id <= SMMUV3_EVT_F_PERMISSION;
}

/* A fault (3.12, 5.5): terminate, record or stall it. `cfg` may lack a CD. */
static int handle_fault(smmuv3 *s, const smmuv3_txn *txn, const smmu_txcfg *cfg,
                        smmu_event *ev, smmuv3_result *res)
{
    res->fault = ev->id;
    ev->secure = smmu_txn_secure(s, txn);   /* 3.10.2.1: the stream's Event queue */
    if (!translation_related(ev->id)) {
        record(s, ev, res);
        return finish(res, SMMUV3_XLATE_ABORT);
    }
    bool r, st, a;
    if (ev->s2) {
        r = cfg->ste.s2.r;
        st = cfg->ste.s2.s;
        a = true;                       /* stage 2: implied A == 1 (5.5) */
    } else if (cfg->has_cd) {
        r = cfg->cd.r;
        st = cfg->cd.s;
        a = cfg->cd.a;
    } else {
        r = true;                       /* stage 1 bypassed: always abort (3.12) */
        st = false;
        a = true;
    }
    if (s->cfg.stall_model == SMMUV3_STALL_TERM_ONLY)
        st = false;                     /* decode makes S == 1 ILLEGAL; belt and braces */
    if (st) {
        uint16_t stag;
        if (smmu_stall_add(s, txn, &stag)) {
            ev->stall = true;
            ev->stag = stag;
            if (smmu_event_record(s, ev))
                res->event = ev->id;
            else
                smmu_stall_set_retry(s, txn->sid, stag);
            res->stag = stag;
            return finish(res, SMMUV3_XLATE_STALL);
        }
        record(s, ev, res);             /* no STAG left: terminate, Stall = 0 */
        return finish(res, SMMUV3_XLATE_ABORT);
    }
    if (r)
        record(s, ev, res);
    if (a || s->cfg.term_model)
        return finish(res, SMMUV3_XLATE_ABORT);
    return finish(res, SMMUV3_XLATE_RAZWI);
}

/* SMMUEN == 0: (S_)GBPA decides (6.3.14, 6.3.63): abort silently, or bypass
 * with the GBPA attribute overrides; a Secure stream's output PA space is
 * S_GBPA.NSCFG applied to its input NS attribute, and SMMU_S_CR0.SIF aborts
 * a Secure instruction fetch that would leave as Non-secure (6.3.57: "the
 * transaction is terminated with abort and no F_PERMISSION is recorded"). */
static int global_bypass(smmuv3 *s, const smmu_regs *b, const smmuv3_txn *txn, smmuv3_result *res)
{
    uint32_t g = b->gbpa;
    if (rget(g, F_GBPA_abort) || (txn->addr >> s->cfg.oas))
        return finish(res, SMMUV3_XLATE_ABORT);   /* no event; beyond the OAS too (3.4) */
    smmu_ste ovr;
    memset(&ovr, 0, sizeof(ovr));
    ovr.privcfg = (uint8_t)rget(g, F_GBPA_privcfg);
    ovr.instcfg = (uint8_t)rget(g, F_GBPA_instcfg);
    smmu_access acc;
    smmu_access_from_txn(&ovr, txn, &acc);
    overridden_incoming(rget(g, F_GBPA_mtcfg), (unsigned)rget(g, F_GBPA_memattr),
                        (unsigned)rget(g, F_GBPA_alloccfg), (unsigned)rget(g, F_GBPA_shcfg),
                        true, &acc, &res->attrs);
    if (smmu_bank_secure(s, b)) {
        res->attrs.ns = smmu_nscfg_apply((unsigned)rget(g, F_GBPA_nscfg), (txn->flags & SMMUV3_TXN_NS) != 0);
        if (acc.exec && res->attrs.ns && rget(b->cr0, F_S_CR0_sif))
            return finish(res, SMMUV3_XLATE_ABORT);
    }
    res->pa = txn->addr;
    res->bypass = true;
    res->size = 1;
    res->perm = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
    return finish(res, SMMUV3_XLATE_OK);
}

/* Everything but a fast-path hit: kept out of line so that the hit needs no
 * stack frame. */
static int translate_uncached(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    memset(res, 0, sizeof(*res));
    s->stats.translations++;
    uint64_t xgen = s->xgen;
    const smmu_regs *b = smmu_bank(s, smmu_txn_secure(s, txn));

    if (!rget(b->cr0, F_CR0_smmuen))
        return global_bypass(s, b, txn, res);

    smmu_txcfg cfg;
    smmu_event ev;
    int lr = smmu_config_lookup(s, txn, &cfg, &ev);   /* cfg always; ev when it fails */
    if (lr) {
        if (lr == SMMU_LOOKUP_SILENT) {
            res->fault = 0;
            return finish(res, SMMUV3_XLATE_ABORT);
        }
        if (!ev.id) {
            /* a fault that is not recorded (C_BAD_STREAMID without RECINVSID) */
            res->fault = (uint8_t)lr;
            return finish(res, SMMUV3_XLATE_ABORT);
        }
        return handle_fault(s, txn, &cfg, &ev, res);
    }

    smmu_access acc;
    smmu_access_from_txn(&cfg.ste, txn, &acc);
    smmuv3_attrs incoming;
    overridden_incoming(cfg.ste.mtcfg, cfg.ste.memattr, cfg.ste.alloccfg, cfg.ste.shcfg, false,
                        &acc, &incoming);
    incoming.ns = acc.ns;   /* a Secure stream's input NS after STE.NSCFG (5.2) */
    /* SMMU_S_CR0.SIF (6.3.57.2): a Secure stream's instruction fetch whose
     * stage 1 output is Non-secure is a stage 1 F_PERMISSION (CLASS = IN). */
    bool sif = cfg.ste.secure && acc.exec && rget(b->cr0, F_S_CR0_sif);

    bool s2 = smmu_ste_s2(&cfg.ste);
    if (!cfg.has_cd && (txn->addr >> s->cfg.oas)) {
        /* Stage 1 bypassed (STE bypass, stage 2 only, S1DSS bypass): an input
         * address beyond the IAS (= OAS, no AArch32) is a stage 1 Address
         * Size fault, always aborted and recorded (3.4, 3.12). */
        event_from_txn(txn, &acc, &ev);
        ev.id = SMMUV3_EVT_F_ADDR_SIZE;
        ev.cls = SMMU_CLASS_IN;
        return handle_fault(s, txn, &cfg, &ev, res);
    }
    if (!cfg.has_cd && sif && acc.ns) {
        event_from_txn(txn, &acc, &ev);
        ev.id = SMMUV3_EVT_F_PERMISSION;
        ev.cls = SMMU_CLASS_IN;
        return handle_fault(s, txn, &cfg, &ev, res);   /* stage 1 bypassed: abort, recorded */
    }
    if (!cfg.has_cd && !s2) {
        /* Stream bypass, or stage 1 bypassed by S1DSS with stage 2 off. */
        res->pa = txn->addr;
        res->bypass = true;
        res->size = 1;
        res->perm = SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X;
        res->attrs = incoming;
        finish(res, SMMUV3_XLATE_OK);
        if (smmu_fastpath_filling(s))
            smmu_fastpath_insert(s, xgen, txn, res, false);
        return SMMUV3_XLATE_OK;
    }

    smmu_xlate x;
    smmu_fault f;
    memset(&x, 0, sizeof(x));
    memset(&f, 0, sizeof(f));
    int fr = 1;
    unsigned granted = 0;   /* a TLB hit's check gives it; 0: not known (a walk) */
    /* A Secure stream whose stage 2 input space is its input NS attribute
     * (stage 1 bypassed, NSCFG "use incoming") maps one address through two
     * IPA spaces: those translations are not kept (the TLB keys on the
     * address, not on the space). */
    bool cacheable = !(cfg.ste.secure && !cfg.has_cd && s2 && cfg.ste.nscfg < 2);
    bool hit = cacheable && smmu_tlb_lookup(s, &cfg, txn->addr, &x);
    if (hit) {
        fr = smmu_perm_check(s, &cfg, &x, &acc, &f, &granted);
        /* A write to a writable-clean page under HTTU dirty-state management
         * is not a fault: the walk marks the descriptor dirty. */
        if (fr && f.event == SMMUV3_EVT_F_PERMISSION && acc.write && (x.perm.dbm || x.perm.s2dbm))
            hit = false;
    }
    if (hit && s->diag_cb)
        smmu_chk_tlb_hit(s, &cfg, txn, &acc, &x, fr != 0);
    if (!hit) {
        memset(&x, 0, sizeof(x));
        memset(&f, 0, sizeof(f));
        fr = smmu_walk(s, &cfg, txn->addr, &acc, &x, &f);
        if (!fr && cacheable)
            smmu_tlb_insert(s, &cfg, txn->addr, &x);
    }
    if (!fr && sif && x.s1_ns) {
        memset(&f, 0, sizeof(f));
        f.event = SMMUV3_EVT_F_PERMISSION;
        f.cls = SMMU_CLASS_IN;
        fr = 1;
    }
    if (fr) {
        event_from_txn(txn, &acc, &ev);
        ev.id = f.event;
        ev.s2 = f.s2;
        ev.cls = f.cls;
        ev.ipa = f.ipa;
        ev.fetch_addr = f.fetch_addr;
        ev.ttrnw = f.ttrnw;
        ev.nsipa = f.s2 && f.nsipa;
        return handle_fault(s, txn, &cfg, &ev, res);
    }

    res->pa = x.pa;
    res->size = x.size_log2 < 64 ? 1ull << x.size_log2 : 0;
    /* the permissions granted to a transaction of this privilege, by the
     * rules of the check itself (walk/perm.h) */
    res->perm = (uint8_t)(granted ? granted : smmu_perm_rwx(s, &cfg, &x.perm, acc.priv));
    if (cfg.has_cd) {
        res->attrs = x.attrs;           /* stage 1 (and 2) replace the incoming type */
        res->attrs.memattr = keep_incoming_hints(res->attrs.memattr, incoming.memattr);
        res->attrs.sh = effective_sh(res->attrs.memattr, res->attrs.sh);
    } else {
        /* Stage 1 bypassed: the incoming attributes (after the STE overrides)
         * meet stage 2 as stage 1's would (13.4.4), FWB included. */
        res->attrs = incoming;
        smmu_attrs_with_s2(s, &cfg.ste.s2, incoming.memattr, incoming.sh, x.s2_memattr, x.s2_sh,
                           &res->attrs);
    }
    res->attrs.ns = x.attrs.ns;   /* the PA space of pa (3.10.2) */
    res->attrs.priv = acc.priv;
    res->attrs.inst = acc.exec;
    finish(res, SMMUV3_XLATE_OK);
    if (cacheable && smmu_fastpath_filling(s))
        smmu_fastpath_insert(s, xgen, txn, res, true);
    return SMMUV3_XLATE_OK;
}

static __attribute__((noinline, cold)) int bad_args(void)
{
    return SMMUV3_EINVAL;
}

/* Everything but a memo hit, under the instance lock (model/lock.c).
 * A translation made from inside another one (a host callback during its
 * table reads or its interrupts) moves the caches' "last used" entries and
 * may replace entries: it counts as a change for the outer translation,
 * which is then not memoized (smmu_fastpath_insert compares s->xgen). */
static __attribute__((noinline)) int translate_slow(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    smmu_lock(s);
    if (s->xlate_depth)
        s->xgen++;
    s->xlate_depth++;
    int rc = translate_uncached(s, txn, res);
    s->xlate_depth--;
    smmu_unlock(s);
    return rc;
}

/* A transaction the device's ATC translated (model/ats.c), under the lock. */
static __attribute__((noinline)) int translate_translated(smmuv3 *s, const smmuv3_txn *txn,
                                                          smmuv3_result *res)
{
    smmu_lock(s);
    int rc = smmu_ats_translated(s, txn, res);   /* never memoized */
    smmu_unlock(s);
    return rc;
}

/* The front of this thread's memo missed: its back, then the slow path. */
static __attribute__((noinline)) int translate_back(smmuv3 *s, fp_thread *t, const smmuv3_txn *txn,
                                                    smmuv3_result *res)
{
    if (fp_probe_back(t, txn, res))
        return SMMUV3_XLATE_OK;
    return translate_slow(s, txn, res);
}

/* This thread is not in its home slot, its memo is stale, or it holds the
 * lock (a nested translation): the memo's other slots, then the slow path. */
static __attribute__((noinline)) int translate_far(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    if (!s->fp->on)
        return translate_slow(s, txn, res);   /* memo off: nothing to look up */
    if (smmu_fastpath_lookup_far(s, smmu_self(), txn, res))
        return SMMUV3_XLATE_OK;
    return translate_slow(s, txn, res);
}

int smmuv3_translate(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    /* three tests and branches, not combined flags (fewer instructions) */
    if (__builtin_expect(!s, 0))
        return bad_args();
    if (__builtin_expect(!txn, 0))
        return bad_args();
    if (__builtin_expect(!res, 0))
        return bad_args();
    if (__builtin_expect(txn->flags & SMMUV3_TXN_TRANSLATED, 0))
        return translate_translated(s, txn, res);
    /* A memo entry exists only for a successful translation made with
     * SMMUEN set, and any register write marks the memo stale: a hit implies
     * SMMUEN is still set. The hit takes no lock (model/tlb/memo.h); every
     * other way out is a tail call, so the hit needs no stack frame. */
    fp_thread *t = smmu_fastpath_mine(s);
    if (__builtin_expect(!t, 0))
        return translate_far(s, txn, res);
    if (!fp_probe(t, txn, res))
        return translate_back(s, t, txn, res);
    return SMMUV3_XLATE_OK;
}
