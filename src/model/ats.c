/* SPDX-License-Identifier: MIT */
/*
 * PCIe ATS (IHI 0070 3.9.1): Translation Requests (smmuv3_ats_translate),
 * the checks of Translated transactions (smmuv3_translate with
 * SMMUV3_TXN_TRANSLATED) and CMD_ATC_INV (4.5.1).
 *
 * Translation Requests (3.9.1.2, 13.6, 13.7):
 * - UR: IDR0.ATS == 0 (no ATS interface; nothing recorded); SMMUEN == 0,
 *   STE.Config == bypass, or an effective STE.EATS of 0b00 (EATS == 0b10
 *   while SMMU_CR0.ATSCHK == 0 counts as 0b00, 5.2) record F_BAD_ATS_TREQ;
 *   STE.Config == abort is silent.
 * - CA: every configuration error (C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE,
 *   C_BAD_SUBSTREAMID, F_STREAM_DISABLED, F_CD_FETCH, C_BAD_CD, F_WALK_EABT),
 *   never recorded: SMMU_CR2.REC_CFG_ATS is not implemented (IDR0.ATSRECERR
 *   == 0), so only the base set of events exists. The STE is checked (Config,
 *   EATS) before anything the CD brings (3.9.1.3 priority order).
 * - Success with R == W == 0 and the STU size: F_TRANSLATION, F_ADDR_SIZE,
 *   F_ACCESS at either stage (stage 2 faults of the CD fetch included), and
 *   F_PERMISSION where stage 1 grants nothing the request can use (R or W;
 *   X or W with INSTCFG == Instruction: then the IPA is not walked at stage
 *   2, 3.9.1.2) or stage 2 nothing at all (13.7); also a translation that
 *   grants nothing the request can use. Nothing recorded.
 * - Success: permissions per 13.7.1 (PRIVCFG picks the privilege checked,
 *   INSTCFG how Exe and R relate, Exe only when asked for, W whenever the
 *   translation is writable: also with NW == 1, which 13.7 permits); the
 *   size is the leaf's (block sizes included), the smaller of the two stages
 *   in nested configurations (13.6.3); the address is the PA, or the IPA with
 *   split-stage ATS (EATS == 0b10, 13.6.3). With HTTU the walk sets AF and,
 *   for NW == 0 only, marks a writable-clean page dirty where the write is
 *   permitted (3.13.7, 13.7). The IOTLB serves requests and learns from them
 *   (3.9.1), except NW == 0 on a writable-clean entry, which walks.
 * - Without a PASID (ssv false) the request is Data and Unprivileged and the
 *   completion has Priv == Exe == 0 (13.7.1). Priv echoes the request.
 * - Stage 1 skipped by STE.S1DSS (13.6.4, 13.6.5): a stage 1-only stream
 *   answers identity with R == W == 1 and the STU size (the smallest size
 *   13.6.4 allows); with stage 2 the completion is stage 2's translation
 *   (split-stage: identity on the IPA with stage 2's permissions and size).
 * - Global is always 0 (3.9.1: the ATS Global flag must be clear; 3.9.4.2
 *   "the Global bit is always set to 0 in ATS Translation Completions").
 * - STU (3.9.1): the smallest granule of IDR5.
 *
 * Secure streams (3.9.1): a Translation Request gets UR and F_BAD_ATS_TREQ,
 * a Translated transaction F_TRANSL_FORBIDDEN, both in the Secure Event queue.
 *
 * Translated transactions (3.9.1.3, 13.6.3): the model has IDR3.PASIDTT == 0,
 * so they are Data, Unprivileged, without SubstreamID, before the STE
 * PRIVCFG/INSTCFG overrides (applied as Arm recommends, 13.7).
 * - IDR0.ATS == 0: aborted, nothing recorded (no such traffic exists).
 * - SMMUEN == 0: F_TRANSL_FORBIDDEN, abort.
 * - ATSCHK == 0: passed through without a configuration lookup.
 * - ATSCHK == 1: STE errors abort silently (no REC_CFG_ATS); Config abort
 *   aborts silently; bypass or effective EATS 0b00 record F_TRANSL_FORBIDDEN;
 *   then a stage 1 stream with substreams and S1DSS == terminate aborts
 *   silently (F_STREAM_DISABLED: the transaction has no SubstreamID);
 *   EATS 0b01 passes; EATS 0b10 translates the address (an IPA) at stage 2,
 *   its faults recorded and terminated as for an ordinary transaction
 *   (F_ADDR_SIZE beyond the IAS as a stage 1 fault).
 * - A passed-through address with bits above the OAS is aborted without an
 *   event (3.9.1.1, the first IMPLEMENTATION DEFINED choice).
 * - Attributes (13.6.2, IMPLEMENTATION DEFINED): a passed-through transaction
 *   has the fixed default input attributes (Normal WB, 13.1.3); with
 *   split-stage ATS they meet stage 2 as for a stage 2-only stream.
 * Translated transactions never enter the translation memo.
 */
#include <string.h>
#include "model/smmu.h"
#include "model/walk/perm.h"

#define RWX (SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X)
#define FIXED_MEMATTR 0xFF   /* the default input attributes (13.1.3), as translate.c */
#define FIXED_SH 0

/* The Smallest Translation Unit: the smallest granule in IDR5 (3.9.1). */
static unsigned stu_log2(const smmuv3 *s)
{
    return s->cfg.gran4k ? 12 : s->cfg.gran16k ? 14 : 16;
}

static bool smmu_enabled(const smmuv3 *s)
{
    return rget(s->r.cr0ack, F_CR0_smmuen) != 0;
}

/* STE.EATS as it applies now (5.2): 0 for abort and bypass streams, and
 * split-stage without SMMU_CR0.ATSCHK behaves as 0b00. */
static unsigned effective_eats(const smmuv3 *s, const smmu_ste *ste)
{
    if (ste->config == SMMU_STE_CFG_ABORT || ste->config == SMMU_STE_CFG_BYPASS)
        return 0;
    if (ste->eats == 2 && !rget(s->r.cr0ack, F_CR0_atschk))
        return 0;
    return ste->eats;
}

static bool translation_fault(uint8_t id)
{
    return id >= SMMUV3_EVT_F_TRANSLATION && id <= SMMUV3_EVT_F_PERMISSION;
}

/* The STE itself could not be used: nothing after it was looked at. */
static bool ste_error(int lr)
{
    return lr == SMMUV3_EVT_C_BAD_STREAMID || lr == SMMUV3_EVT_F_STE_FETCH || lr == SMMUV3_EVT_C_BAD_STE;
}

static bool record_simple(smmuv3 *s, uint8_t id, const smmuv3_txn *txn)
{
    smmu_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.id = id;
    ev.secure = smmu_txn_secure(s, txn);   /* the Secure Event queue (3.10.2.1) */
    ev.sid = txn->sid;
    ev.ssv = txn->ssv;
    ev.ssid = txn->ssv ? txn->ssid : 0;
    ev.input_addr = txn->addr;
    ev.rnw = !(txn->flags & SMMUV3_TXN_WRITE);
    if (id == SMMUV3_EVT_F_BAD_ATS_TREQ) {
        /* 7.3.6: X and P as the request asked (a request without a PASID
         * has neither, 13.7.1), before the STE overrides; one STU asked for. */
        ev.ind = txn->ssv && (txn->flags & SMMUV3_TXN_EXEC);
        ev.pnu = txn->ssv && (txn->flags & SMMUV3_TXN_PRIV);
        ev.span = 1;
    }
    return smmu_event_record(s, &ev);
}

/* ------------------------------------------------------------ translation requests */
static int ats_status(smmuv3_ats_result *res, int status)
{
    res->status = status;
    return 0;
}

/* Success with R == W == 0: one STU-sized entry, no address (3.9.1.2). */
static int no_access(const smmuv3 *s, smmuv3_ats_result *res)
{
    res->perm = 0;
    res->addr = 0;
    res->size = 1ull << stu_log2(s);
    return ats_status(res, SMMUV3_ATS_SUCCESS);
}

/* 13.7.1: R, W and Exe of the completion from the combined translation. */
static uint8_t ats_perm(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_xlate *x, bool priv, bool exe_req)
{
    unsigned g = smmu_perm_rwx(s, cfg, &x->perm, priv);
    bool ttd_r = g & SMMUV3_PERM_R, ttd_x = g & SMMUV3_PERM_X;
    bool r, exe;
    if (cfg->ste.instcfg == 3) {          /* Instruction: every read is a fetch */
        r = ttd_x;
        exe = exe_req && ttd_x;
    } else if (cfg->ste.instcfg == 2) {   /* Data: X is R */
        r = ttd_r;
        exe = exe_req && ttd_r;
    } else {                              /* use incoming (0b01 behaves as 0b00) */
        r = ttd_r;
        exe = exe_req && ttd_r && ttd_x;  /* granting X implies granting R */
    }
    return (uint8_t)((r ? SMMUV3_PERM_R : 0) | (g & SMMUV3_PERM_W) | (exe ? SMMUV3_PERM_X : 0));
}

static int ats_success(const smmuv3 *s, uint64_t out, unsigned size_log2, uint8_t perm, smmuv3_ats_result *res)
{
    if (!perm)
        return no_access(s, res);
    if (size_log2 < stu_log2(s))
        size_log2 = stu_log2(s);
    res->size = size_log2 >= 64 ? 0 : 1ull << size_log2;
    res->addr = size_log2 >= 64 ? 0 : out & ~(res->size - 1);
    res->perm = perm;
    return ats_status(res, SMMUV3_ATS_SUCCESS);
}

static int ats_translate(smmuv3 *s, const smmuv3_txn *in, smmuv3_ats_result *res);

int smmuv3_ats_translate(smmuv3 *s, const smmuv3_txn *in, smmuv3_ats_result *res)
{
    SMMU_LOCKED_CALL(s, ats_translate(s, in, res));
}

static int ats_translate(smmuv3 *s, const smmuv3_txn *in, smmuv3_ats_result *res)
{
    if (!s || !in || !res || (in->flags & SMMUV3_TXN_TRANSLATED))
        return SMMUV3_EINVAL;
    memset(res, 0, sizeof(*res));
    if (!s->cfg.ats)
        return ats_status(res, SMMUV3_ATS_UR);
    /* A translation from inside another one (a host callback) moves the
     * caches' last-used entries: the outer one must not be memoized. */
    if (s->xlate_depth)
        s->xgen++;

    if (smmu_txn_secure(s, in)) {
        /* 3.9.1: ATS is not supported from Secure streams: UR, and
         * F_BAD_ATS_TREQ in the Secure Event queue, before any StreamID or
         * configuration check. */
        record_simple(s, SMMUV3_EVT_F_BAD_ATS_TREQ, in);
        return ats_status(res, SMMUV3_ATS_UR);
    }
    smmuv3_txn txn = *in;
    txn.flags &= SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV;
    if (!txn.ssv) {
        txn.ssid = 0;
        txn.flags &= SMMUV3_TXN_WRITE;   /* 13.7.1: no Priv and no Exe without a PASID */
    }
    res->priv = (txn.flags & SMMUV3_TXN_PRIV) != 0;

    if (!smmu_enabled(s)) {
        record_simple(s, SMMUV3_EVT_F_BAD_ATS_TREQ, &txn);
        return ats_status(res, SMMUV3_ATS_UR);
    }
    smmu_txcfg cfg;
    smmu_event ev;
    int lr = smmu_config_lookup(s, &txn, &cfg, &ev);
    if (ste_error(lr))
        return ats_status(res, SMMUV3_ATS_CA);
    if (cfg.ste.config == SMMU_STE_CFG_ABORT)
        return ats_status(res, SMMUV3_ATS_UR);
    unsigned eats = effective_eats(s, &cfg.ste);
    if (!eats) {
        record_simple(s, SMMUV3_EVT_F_BAD_ATS_TREQ, &txn);
        return ats_status(res, SMMUV3_ATS_UR);
    }
    if (lr)
        return translation_fault((uint8_t)lr) ? no_access(s, res) : ats_status(res, SMMUV3_ATS_CA);

    smmu_access acc;
    smmu_access_from_txn(&cfg.ste, &txn, &acc);   /* PRIVCFG: the privilege checked */
    acc.write = (txn.flags & SMMUV3_TXN_WRITE) != 0;
    acc.exec = false;
    acc.ats = true;
    bool exe_req = (txn.flags & SMMUV3_TXN_EXEC) != 0;

    if (!cfg.has_cd && !smmu_ste_s2(&cfg.ste)) {
        /* 13.6.4: a stage 1-only stream skipping stage 1: identity, R == W == 1. */
        if (txn.addr >> s->cfg.oas)
            return no_access(s, res);   /* stage 1 F_ADDR_SIZE (3.4) */
        return ats_success(s, txn.addr, stu_log2(s), SMMUV3_PERM_R | SMMUV3_PERM_W, res);
    }

    smmu_xlate x;
    smmu_fault f;
    memset(&x, 0, sizeof(x));
    bool hit = smmu_tlb_lookup(s, &cfg, txn.addr, &x);
    if (hit && acc.write && (x.perm.dbm || x.perm.s2dbm))
        hit = false;                    /* NW == 0 on a writable-clean page: HTTU walks */
    if (!hit) {
        if (smmu_walk(s, &cfg, txn.addr, &acc, &x, &f))
            return translation_fault(f.event) ? no_access(s, res) : ats_status(res, SMMUV3_ATS_CA);
        smmu_tlb_insert(s, &cfg, txn.addr, &x);
    }
    uint8_t perm = ats_perm(s, &cfg, &x, acc.priv, exe_req);
    uint64_t out = eats == 2 ? x.ipa : x.pa;   /* split-stage: the IPA (13.6.3) */
    unsigned size_log2 = x.size_log2;
    if (eats == 2 && !cfg.has_cd)
        size_log2 = x.s2_size_log2;            /* 13.6.5: stage 2's size, identity IPA */
    return ats_success(s, out, size_log2, perm, res);
}

/* ------------------------------------------------------------ translated transactions */
static int tt_finish(smmuv3_result *res, uint8_t outcome)
{
    res->outcome = outcome;
    return outcome;
}

static int tt_forbidden(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res)
{
    res->fault = SMMUV3_EVT_F_TRANSL_FORBIDDEN;
    if (record_simple(s, SMMUV3_EVT_F_TRANSL_FORBIDDEN, txn))
        res->event = SMMUV3_EVT_F_TRANSL_FORBIDDEN;
    return tt_finish(res, SMMUV3_XLATE_ABORT);
}

static void tt_fixed_attrs(const smmu_access *acc, smmuv3_result *res)
{
    res->attrs.memattr = FIXED_MEMATTR;
    res->attrs.sh = FIXED_SH;
    res->attrs.ns = true;
    res->attrs.priv = acc->priv;
    res->attrs.inst = acc->exec;
}

/* Passed through as a PA (3.9.1.3), after the address size check (3.9.1.1). */
static int tt_pass(smmuv3 *s, const smmuv3_txn *txn, const smmu_access *acc, smmuv3_result *res)
{
    if (txn->addr >> s->cfg.oas)
        return tt_finish(res, SMMUV3_XLATE_ABORT);
    res->pa = txn->addr;
    res->bypass = true;
    res->size = 1;
    res->perm = RWX;
    tt_fixed_attrs(acc, res);
    return tt_finish(res, SMMUV3_XLATE_OK);
}

/* Split-stage ATS: the address is an IPA, translated at stage 2 (13.6.3). */
static int tt_stage2(smmuv3 *s, const smmuv3_txn *txn, const smmu_ste *ste, const smmu_access *acc,
                     smmuv3_result *res)
{
    smmu_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.sid = txn->sid;
    ev.input_addr = txn->addr;
    ev.rnw = !acc->write;
    ev.pnu = acc->priv;
    ev.ind = acc->exec;
    smmu_xlate x;
    smmu_fault f;
    memset(&f, 0, sizeof(f));
    bool record = true;
    if (txn->addr >> s->cfg.oas) {
        ev.id = SMMUV3_EVT_F_ADDR_SIZE;   /* against the IAS, as a stage 1 fault */
        ev.cls = SMMU_CLASS_IN;
    } else if (smmu_walk_s2(s, &ste->s2, txn->addr, acc, SMMU_CLASS_IN, &x, &f)) {
        ev.id = f.event;
        ev.s2 = f.s2;
        ev.cls = f.cls;
        ev.ipa = f.ipa ? f.ipa : txn->addr;
        ev.fetch_addr = f.fetch_addr;
        record = !translation_fault(f.event) || ste->s2.r;   /* STE.S2R (5.5); S2S is 0 here */
    } else {
        res->pa = x.pa;
        res->size = x.size_log2 < 64 ? 1ull << x.size_log2 : 0;
        res->perm = (uint8_t)smmu_perm_s2_rwx(s, &x.perm, acc->priv);
        tt_fixed_attrs(acc, res);
        smmu_attrs_with_s2(s, &ste->s2, FIXED_MEMATTR, FIXED_SH, x.s2_memattr, x.s2_sh, &res->attrs);
        res->attrs.ns = true;
        res->attrs.priv = acc->priv;
        res->attrs.inst = acc->exec;
        return tt_finish(res, SMMUV3_XLATE_OK);
    }
    res->fault = ev.id;
    if (record && smmu_event_record(s, &ev))
        res->event = ev.id;
    return tt_finish(res, SMMUV3_XLATE_ABORT);
}

int smmu_ats_translated(smmuv3 *s, const smmuv3_txn *in, smmuv3_result *res)
{
    memset(res, 0, sizeof(*res));
    s->stats.translations++;
    if (!s->cfg.ats)
        return tt_finish(res, SMMUV3_XLATE_ABORT);
    if (s->xlate_depth)
        s->xgen++;
    /* IDR3.PASIDTT == 0: Data, Unprivileged, no SubstreamID (3.9.1.3). */
    smmuv3_txn txn;
    memset(&txn, 0, sizeof(txn));
    txn.sid = in->sid;
    txn.addr = in->addr;
    txn.flags = in->flags & SMMUV3_TXN_WRITE;
    smmu_access acc;
    smmu_access_from_txn(NULL, &txn, &acc);
    if (smmu_txn_secure(s, in)) {
        /* 3.9.1: Translated traffic on a Secure StreamID is terminated with
         * F_TRANSL_FORBIDDEN (in the Secure Event queue). */
        txn.flags |= SMMUV3_TXN_SECURE;
        return tt_forbidden(s, &txn, res);
    }
    if (!smmu_enabled(s))
        return tt_forbidden(s, &txn, res);
    if (!rget(s->r.cr0ack, F_CR0_atschk))
        return tt_pass(s, &txn, &acc, res);

    smmu_ste ste;
    smmu_event ev;
    if (smmu_ste_lookup(s, txn.sid, &ste, &ev)) {
        res->fault = ev.id;
        return tt_finish(res, SMMUV3_XLATE_ABORT);   /* not recorded without REC_CFG_ATS */
    }
    if (ste.config == SMMU_STE_CFG_ABORT)
        return tt_finish(res, SMMUV3_XLATE_ABORT);
    smmu_access_from_txn(&ste, &txn, &acc);          /* PRIVCFG / INSTCFG (13.7) */
    unsigned eats = effective_eats(s, &ste);
    if (!eats)
        return tt_forbidden(s, &txn, res);
    if (smmu_ste_s1(&ste) && ste.s1cdmax && ste.s1dss == 0) {
        /* 3.9.1.3 (table and priority 7, after F_TRANSL_FORBIDDEN), 13.7:
         * without a SubstreamID the transaction is one S1DSS terminates
         * (F_STREAM_DISABLED for ordinary traffic): aborted, not recorded
         * without REC_CFG_ATS. */
        res->fault = SMMUV3_EVT_F_STREAM_DISABLED;
        return tt_finish(res, SMMUV3_XLATE_ABORT);
    }
    if (eats == 1)
        return tt_pass(s, &txn, &acc, res);
    return tt_stage2(s, &txn, &ste, &acc, res);
}

/* ------------------------------------------------------------ CMD_ATC_INV */
unsigned smmu_atc_inv_command(smmuv3 *s, const uint64_t cmd[2], bool smmuen)
{
    if (!rget(s->idr[0], F_IDR0_ats))
        return SMMUV3_CERROR_ILL;
    unsigned size = (unsigned)fget(cmd, F_CMD_ATC_INV_size);
    if (size > 52)
        return SMMUV3_CERROR_ILL;    /* 4.5.1 permits CERROR_ILL for a Size above 52 */
    /* 4.5.1: IGNORED while SMMUEN is 0 for the Security state of the
     * Command queue that the command came from. */
    if (!smmuen)
        return SMMUV3_CERROR_NONE;
    smmuv3_atc_inv inv;
    memset(&inv, 0, sizeof(inv));
    inv.sid = (uint32_t)fget(cmd, F_CMD_ATC_INV_sid);
    /* Without substreams SSV == 1 behaves as SSV == 0 (the first CONSTRAINED
     * UNPREDICTABLE choice of 4.5.1); G is IGNORED when SSV == 0. */
    inv.ssv = s->cfg.ssidsize && fget(cmd, F_CMD_ATC_INV_ssv);
    inv.ssid = inv.ssv ? (uint32_t)fget(cmd, F_CMD_ATC_INV_ssid) : 0;
    inv.global = inv.ssv && fget(cmd, F_CMD_ATC_INV_global);
    if (size < 52) {
        inv.size = 4096ull << size;
        inv.addr = fget_addr(cmd, F_CMD_ATC_INV_address) & ~(inv.size - 1);   /* Address[11+Size:0] = 0 */
    }
    if (s->host.atc_inv)
        s->host.atc_inv(s->host.ctx, &inv);
    return SMMUV3_CERROR_NONE;
}
