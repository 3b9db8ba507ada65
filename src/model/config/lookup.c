/* SPDX-License-Identifier: MIT */
/*
 * Configuration lookup (IHI 0070 3.3, 5.1..5.4): StreamID -> STE ->
 * (SubstreamID) -> CD, through the configuration cache (cfgcache.c).
 *
 * Choices:
 * - STRTAB_BASE_CFG.LOG2SIZE above IDR1.SIDSIZE behaves as SIDSIZE for the
 *   StreamID range check and the table indexes; STRTAB_BASE is aligned with
 *   the literal LOG2SIZE (6.3.24, 6.3.25).
 * - STRTAB_BASE_CFG.FMT: 0b01 selects the 2-level format when IDR0.ST_LEVEL
 *   allows it; any other value (or 2-level without ST_LEVEL) is linear.
 * - STRTAB_BASE_CFG.SPLIT values other than 6, 8 and 10 are Reserved; they
 *   behave as 6. A SPLIT at or above LOG2SIZE gives a one-entry L1 table.
 * - Tables are aligned to their size: low address bits of STRTAB_BASE (linear
 *   table or L1 table, at least 64 bytes), L1STD.L2Ptr (5.1), S1ContextPtr
 *   for linear CD tables and L1 CD tables (5.2 S1Fmt: RES0 bits treated as
 *   zero, the first of the CONSTRAINED UNPREDICTABLE options) are ignored.
 * - A stream table fetch beyond the OAS (STRTAB_BASE or L1STD.L2Ptr too large)
 *   gives F_STE_FETCH (3.4.3 note 5: the fetch is not truncated; the
 *   record's FetchAddr[55:OAS] are RES0, 7.3.4); a CD fetch beyond the 52-bit PA space (only reachable through
 *   stage 2 output) gives F_CD_FETCH; an L1CD.L2Ptr
 *   beyond the OAS (S1 only) or IAS (nested) gives C_BAD_SUBSTREAMID (7.3.9).
 * - FetchAddr of F_CD_FETCH is the physical address of the failed access
 *   (after stage 2 in nested configurations).
 * - The C_BAD_STREAMID record is written only when CR2.RECINVSID == 1 (7.3.3);
 *   without it the transaction is still aborted.
 * - Secure streams (3.10.2): the Secure Stream table (SMMU_S_STRTAB_BASE/_CFG,
 *   S_IDR1.S_SIDSIZE, S_CR2.RECINVSID) in the Secure PA space; CD tables in
 *   the Secure PA space, or through the Secure IPA space when Secure stage 2
 *   is enabled; configuration cache entries keyed by Security state. The
 *   driver checker follows the streams of both Security states.
 * - Cached verdicts: valid configurations, Config=abort, F_STREAM_DISABLED
 *   and the C_BAD_SUBSTREAMID range checks, all derived from a valid STE. Not
 *   cached: fetch faults, ILLEGAL STE/CD, invalid L1CD, stage 2 faults of the
 *   CD fetch.
 */
#include <string.h>
#include "model/checker/checker.h"

static void base_event(const smmuv3_txn *txn, smmu_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->sid = txn->sid;
    ev->ssv = txn->ssv;
    ev->ssid = txn->ssv ? txn->ssid : 0;
    ev->input_addr = txn->addr;
    ev->rnw = !(txn->flags & SMMUV3_TXN_WRITE);
    ev->pnu = (txn->flags & SMMUV3_TXN_PRIV) != 0;
    ev->ind = !(txn->flags & SMMUV3_TXN_WRITE) && (txn->flags & SMMUV3_TXN_EXEC);
}

static int fault(smmu_event *ev, uint8_t id)
{
    ev->id = id;
    return id;
}

static int bad_streamid(const smmu_regs *b, smmu_event *ev)
{
    ev->id = rget(b->cr2, F_CR2_recinvsid) ? SMMUV3_EVT_C_BAD_STREAMID : 0;
    return SMMUV3_EVT_C_BAD_STREAMID;
}

/* The Security state of a transaction's stream, its register bank and its StreamID size. */
static const smmu_regs *txn_bank(smmuv3 *s, const smmuv3_txn *txn, unsigned *sidsize)
{
    bool sec = smmu_txn_secure(s, txn);
    *sidsize = sec ? s->cfg.s_sidsize : s->cfg.sidsize;
    return smmu_bank(s, sec);
}

static int read_words(smmuv3 *s, bool ns, uint64_t pa, uint64_t *w, unsigned n)
{
    uint8_t buf[64];
    int r = smmu_host_read_pas(s, ns, pa, buf, 8u * n);
    if (r)
        return r;
    le_load(w, buf, n);
    return 0;
}

/* A stream table read: an address beyond the OAS is an F_STE_FETCH (3.4.3,
 * the non-truncating choice), like an external abort. */
static int strtab_read(smmuv3 *s, bool ns, uint64_t pa, uint64_t *w, unsigned n)
{
    if ((pa + 8u * n - 1) >> s->cfg.oas)
        return SMMUV3_ERANGE;
    return read_words(s, ns, pa, w, n);
}

/* Fetch the STE of txn->sid into raw[8]; 0 or a fault (ev filled). */
/* ADDR with its low `bits` bits cleared (bits may exceed 63). */
static uint64_t align_down_bits(uint64_t addr, unsigned bits)
{
    return bits >= 64 ? 0 : addr & ~((1ull << bits) - 1);
}

static int fetch_ste(smmuv3 *s, const smmuv3_txn *txn, uint64_t raw[8], smmu_event *ev)
{
    unsigned sidsize;
    const smmu_regs *b = txn_bank(s, txn, &sidsize);
    bool ns = !smmu_bank_secure(s, b);   /* 3.10.2: the Secure Stream table is Secure */
    uint32_t cfgr = b->strtab_base_cfg;
    /* 6.3.24/6.3.25: the StreamID range check and the table indexes use
     * MIN(LOG2SIZE, SIDSIZE), but the alignment of STRTAB_BASE.ADDR follows
     * the literal LOG2SIZE ("not limited by SIDSIZE"). */
    unsigned log2size_lit = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_log2size);
    unsigned log2size = log2size_lit;
    if (log2size > sidsize)
        log2size = sidsize;
    uint32_t sid = txn->sid;
    if (log2size < 32 && (sid >> log2size))
        return bad_streamid(b, ev);
    uint64_t base = fget_addr(&b->strtab_base, F_STRTAB_BASE_addr);
    uint64_t ste_pa;
    bool two_level = rget(cfgr, F_STRTAB_BASE_CFG_fmt) == 1 && s->cfg.st_2level;
    if (!two_level) {
        base = align_down_bits(base, log2size_lit + 6);     /* ADDR[LOG2SIZE+5:0] = 0 */
        ste_pa = base + (uint64_t)sid * 64;
    } else {
        unsigned split = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_split);
        if (split != 6 && split != 8 && split != 10)
            split = 6;
        unsigned l1bits = log2size > split ? log2size - split : 0;
        /* ADDR[MAX(5, LOG2SIZE - SPLIT - 1 + 3):0] = 0 */
        unsigned l1bits_lit = log2size_lit > split ? log2size_lit - split : 0;
        base = align_down_bits(base, l1bits_lit + 3 < 6 ? 6 : l1bits_lit + 3);
        uint64_t l1pa = base + (uint64_t)(l1bits ? (sid >> split) : 0) * 8;
        uint64_t l1;
        if (strtab_read(s, ns, l1pa, &l1, 1)) {
            ev->fetch_addr = l1pa;
            return fault(ev, SMMUV3_EVT_F_STE_FETCH);
        }
        if (s->diag_cb)
            smmu_chk_note(s, SMMU_CHK_L1STD, ns, l1pa, &l1, 1);
        unsigned span = (unsigned)fget(&l1, F_L1STD_span);
        if (span == 0 || span > 11 || span > split + 1)
            return bad_streamid(b, ev);
        uint32_t l2idx = sid & ((1u << split) - 1);
        if (l2idx >= (1u << (span - 1)))
            return bad_streamid(b, ev);
        uint64_t l2 = fget_addr(&l1, F_L1STD_l2ptr) & ~((1ull << (span + 5)) - 1);
        ste_pa = l2 + (uint64_t)l2idx * 64;
    }
    if (strtab_read(s, ns, ste_pa, raw, 8)) {
        ev->fetch_addr = ste_pa;
        return fault(ev, SMMUV3_EVT_F_STE_FETCH);
    }
    if (s->diag_cb)
        smmu_chk_note(s, SMMU_CHK_STE, ns, ste_pa, raw, 8);
    return 0;
}

/* Read from a CD-table address: an IPA translated by stage 2 when stage 2 is
 * enabled (5.4), else a PA. 0, or a fault in ev (F_CD_FETCH, or the stage 2
 * fault with CLASS = CD). A Secure STE's CD tables are Secure: in the Secure
 * PA space, or the Secure IPA space with Secure stage 2 (3.10.2, 3.10.2.2). */
static int cd_read(smmuv3 *s, const smmu_ste *ste, const smmuv3_txn *txn, uint64_t addr,
                   uint64_t *w, unsigned n, smmu_event *ev)
{
    uint64_t pa = addr;
    bool ns = !ste->secure;
    if (smmu_ste_s2(ste)) {
        smmu_s2_cfg space;
        smmu_s2_space(&ste->s2, ns, &space);
        smmu_access in, acc;
        smmu_xlate x;
        smmu_fault f;
        memset(&x, 0, sizeof(x));
        memset(&f, 0, sizeof(f));
        smmu_access_from_txn(ste, txn, &in);
        acc = in;
        acc.write = false;              /* the CD fetch itself is a data read */
        acc.exec = false;
        if (smmu_walk_s2(s, &space, addr, &acc, SMMU_CLASS_CD, &x, &f)) {
            ev->s2 = true;
            ev->nsipa = f.nsipa;
            ev->cls = SMMU_CLASS_CD;
            ev->ipa = f.ipa ? f.ipa : addr;
            ev->fetch_addr = f.fetch_addr;
            ev->ttrnw = f.ttrnw;
            /* 7.3.13: RnW, InD and PnU are those of the input transaction
             * (post-STE override), not of the CD fetch; InD == 0 when RnW == 0. */
            ev->rnw = !in.write;
            ev->pnu = in.priv;
            ev->ind = in.exec && !in.write;
            return fault(ev, f.event ? f.event : SMMUV3_EVT_F_TRANSLATION);
        }
        pa = x.pa;
        ns = x.attrs.ns;
    }
    if (read_words(s, ns, pa, w, n)) {
        ev->fetch_addr = pa;
        return fault(ev, SMMUV3_EVT_F_CD_FETCH);
    }
    if (s->diag_cb)
        smmu_chk_note(s, n == 1 ? SMMU_CHK_L1CD : SMMU_CHK_CD, ns, pa, w, n);
    return 0;
}

/* Fetch CD number `ssid` through the STE; 0 or a fault. */
static int fetch_cd(smmuv3 *s, const smmu_ste *ste, const smmuv3_txn *txn, uint32_t ssid,
                    uint64_t raw[8], smmu_event *ev)
{
    uint64_t ptr = ste->s1contextptr;
    unsigned cdmax = ste->s1cdmax;
    uint64_t cd_addr;
    if (cdmax == 0) {
        cd_addr = ptr;
    } else if (ste->s1fmt == 0) {
        ptr &= ~((1ull << (cdmax + 6)) - 1);      /* aligned to its size */
        cd_addr = ptr + (uint64_t)ssid * 64;
    } else {
        unsigned leaf_bits = ste->s1fmt == 1 ? 6 : 10;   /* 4KB: 64 CDs, 64KB: 1024 */
        unsigned l1bits = cdmax > leaf_bits ? cdmax - leaf_bits : 0;
        uint64_t l1size = 8ull << l1bits;
        ptr &= ~((l1size < 64 ? 64 : l1size) - 1);
        uint64_t l1_addr = ptr + (uint64_t)(ssid >> leaf_bits) * 8;
        uint64_t l1;
        int r = cd_read(s, ste, txn, l1_addr, &l1, 1, ev);
        if (r)
            return r;
        if (!fget(&l1, F_L1CD_v))
            return fault(ev, SMMUV3_EVT_C_BAD_SUBSTREAMID);
        uint64_t l2 = fget_addr(&l1, F_L1CD_l2ptr);
        if (ste->s1fmt == 2)
            l2 &= ~0xFFFFull;                     /* L2Ptr[15:12] RES0: 64KB aligned */
        if (l2 >> s->cfg.oas)
            return fault(ev, SMMUV3_EVT_C_BAD_SUBSTREAMID);
        cd_addr = l2 + (uint64_t)(ssid & ((1u << leaf_bits) - 1)) * 64;
    }
    return cd_read(s, ste, txn, cd_addr, raw, 8, ev);
}

/* What a valid STE says about this transaction before any CD is read:
 * 0 with *need_cd / *cd_index set, or a verdict. */
static int ste_verdict(const smmuv3 *s, const smmu_ste *ste, const smmuv3_txn *txn,
                       bool *need_cd, uint32_t *cd_index)
{
    *need_cd = false;
    *cd_index = 0;
    if (ste->config == SMMU_STE_CFG_ABORT)
        return SMMU_LOOKUP_SILENT;
    if (!smmu_ste_s1(ste))
        return txn->ssv ? SMMUV3_EVT_C_BAD_SUBSTREAMID : 0;
    if (txn->ssv) {
        if (s->cfg.ssidsize == 0 || ste->s1cdmax == 0)
            return SMMUV3_EVT_C_BAD_SUBSTREAMID;
        if (txn->ssid >> ste->s1cdmax)
            return SMMUV3_EVT_C_BAD_SUBSTREAMID;
        if (ste->s1dss == 2 && txn->ssid == 0)
            return SMMUV3_EVT_F_STREAM_DISABLED;   /* CD 0 is for non-substream traffic */
        *need_cd = true;
        *cd_index = txn->ssid;
        return 0;
    }
    if (ste->s1cdmax == 0) {
        *need_cd = true;
        return 0;
    }
    switch (ste->s1dss) {
    case 1: return 0;                               /* bypass stage 1 */
    case 2: *need_cd = true; return 0;              /* substream 0 */
    default: return SMMUV3_EVT_F_STREAM_DISABLED;   /* terminate (0b11 behaves as 0b00) */
    }
}

static int verdict_event(int verdict, smmu_event *ev)
{
    if (verdict == SMMU_LOOKUP_SILENT) {
        ev->id = 0;
        return verdict;
    }
    return fault(ev, (uint8_t)verdict);
}

int smmu_config_lookup(smmuv3 *s, const smmuv3_txn *txn, smmu_txcfg *out, smmu_event *ev)
{

    /* StreamID range against (S_)IDR1.(S_)SIDSIZE and LOG2SIZE is checked on
     * every transaction (it depends on registers, not on cached structures). */
    unsigned sidsize;
    const smmu_regs *b = txn_bank(s, txn, &sidsize);
    bool sec = smmu_bank_secure(s, b);
    bool chk = s->diag_cb != NULL;   /* the checker follows both Security states */
    unsigned log2size = (unsigned)rget(b->strtab_base_cfg, F_STRTAB_BASE_CFG_log2size);
    if (log2size > sidsize)
        log2size = sidsize;
    if (log2size < 32 && (txn->sid >> log2size)) {
        base_event(txn, ev);
        memset(out, 0, sizeof(*out));
        return bad_streamid(b, ev);
    }

    /* A hit copies the whole configuration; anything else starts from zero.
     * The event is only made for a verdict (the hit path does not pay for it). */
    int verdict;
    if (smmu_cfgcache_get_sec(s, sec, txn->sid, txn->ssv, txn->ssid, out, &verdict)) {
        if (chk)
            smmu_chk_cfg_hit(s, txn);
        if (!verdict)
            return 0;
        base_event(txn, ev);
        return verdict_event(verdict, ev);
    }
    base_event(txn, ev);
    memset(out, 0, sizeof(*out));
    if (chk)
        smmu_chk_cfg_miss(s, txn);

    uint64_t raw[8];
    int r = fetch_ste(s, txn, raw, ev);
    if (r)
        return r;
    if (smmu_ste_decode_sec(s, raw, &out->ste, sec))
        return fault(ev, SMMUV3_EVT_C_BAD_STE);

    bool need_cd;
    uint32_t cd_index;
    verdict = ste_verdict(s, &out->ste, txn, &need_cd, &cd_index);
    if (verdict || !need_cd) {
        smmu_cfgcache_put_sec(s, sec, txn->sid, txn->ssv, txn->ssid, out, verdict);
        if (chk)
            smmu_chk_cfg_cached(s, txn, out);
        return verdict ? verdict_event(verdict, ev) : 0;
    }

    r = fetch_cd(s, &out->ste, txn, cd_index, raw, ev);
    if (r)
        return r;
    if (smmu_cd_decode(s, &out->ste, raw, &out->cd))
        return fault(ev, SMMUV3_EVT_C_BAD_CD);
    out->has_cd = true;
    smmu_cfgcache_put_sec(s, sec, txn->sid, txn->ssv, txn->ssid, out, 0);
    if (chk)
        smmu_chk_cfg_cached(s, txn, out);
    return 0;
}

/* The STE of a StreamID alone, without a CD: for ATS Translated transactions
 * (3.9.1.3, which never use a SubstreamID here: IDR3.PASIDTT == 0) and the
 * STE.PPAR check of PRI auto-responses (8.1). The configuration cache answers
 * when it holds the stream's non-substream configuration (always derived
 * from a valid STE); otherwise the STE is fetched and decoded, not cached.
 * 0 with *out, or C_BAD_STREAMID / F_STE_FETCH / C_BAD_STE with *ev. */
int smmu_ste_lookup(smmuv3 *s, uint32_t sid, smmu_ste *out, smmu_event *ev)
{
    smmuv3_txn txn;
    memset(&txn, 0, sizeof(txn));
    txn.sid = sid;
    base_event(&txn, ev);
    memset(out, 0, sizeof(*out));
    unsigned log2size = (unsigned)rget(s->r.strtab_base_cfg, F_STRTAB_BASE_CFG_log2size);
    if (log2size > s->cfg.sidsize)
        log2size = s->cfg.sidsize;
    if (log2size < 32 && (sid >> log2size))
        return bad_streamid(&s->r, ev);
    smmu_txcfg cfg;
    int verdict;
    if (smmu_cfgcache_get(s, sid, false, 0, &cfg, &verdict)) {
        *out = cfg.ste;
        return 0;
    }
    uint64_t raw[8];
    int r = fetch_ste(s, &txn, raw, ev);
    if (r)
        return r;
    if (smmu_ste_decode(s, raw, out))
        return fault(ev, SMMUV3_EVT_C_BAD_STE);
    return 0;
}
