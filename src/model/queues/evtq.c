/* SPDX-License-Identifier: MIT */
/*
 * Event records and the event queue (IHI 0070 H.a 7.2, 7.3, 7.4), global
 * errors (7.5, GERROR/GERRORN) and the SMMU's interrupts and MSIs (3.18).
 *
 * Record encoding (7.3): each EventID carries exactly the fields its record
 * defines; every other bit is RES0 (written 0).
 *   all except C_BAD_SUBSTREAMID/F_STREAM_DISABLED/F_TRANSL_FORBIDDEN:
 *                         EventID, StreamID, SSV, SubstreamID (0 when SSV=0)
 *   F_UUT                 + Reason[15:0], PnU, InD, RnW, InputAddr
 *   C_BAD_STREAMID, C_BAD_STE, C_BAD_CD      (common fields only)
 *   F_STE_FETCH, F_CD_FETCH, F_VMS_FETCH     + Reason[15:0], FetchAddr[55:3]
 *   F_BAD_ATS_TREQ        + InputAddr[63:12], Span, R (always 1: a PCIe
 *                           Translation Request reads), W, X, P as asked
 *   F_STREAM_DISABLED     EventID, StreamID only
 *   F_TRANSL_FORBIDDEN    EventID, StreamID, RnW, InputAddr
 *   C_BAD_SUBSTREAMID     EventID, StreamID, SubstreamID (no SSV: always valid)
 *   F_WALK_EABT           + Reason[15:0], PnU, InD, RnW, S2, CLASS, InputAddr,
 *                           FetchAddr[55:3]
 *   F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION
 *                         + STAG, Stall, PnU, InD, RnW, NSIPA (0: Non-secure
 *                           queue), S2, CLASS, InputAddr, IPA[55:12] when S2;
 *                           F_PERMISSION also TTRnW (record bit 108) when
 *                           CLASS == TT
 *   F_TLB_CONFLICT        + Reason[15:0], PnU, InD, RnW, S2, InputAddr, IPA when S2
 *   F_CFG_CONFLICT        + Reason[31:0]
 *   E_PAGE_REQUEST        + InputAddr[63:12] (Span and the access flags are
 *                           not carried by smmu_event and are written 0)
 *   other ids (IMPLEMENTATION DEFINED 0xE0-0xEF, reserved): common fields.
 * Addresses are limited to the OAS (bits above are RES0 in the records).
 *
 * Queue (7.2.1, 7.4):
 * - A record is written only when CR0ACK.EVENTQEN == 1, the queue is not full
 *   and no EVENTQ_ABT_ERR is active. Otherwise it is discarded and counted in
 *   stats.events_lost; only a discard because the queue is full (EVENTQEN=1)
 *   is an overflow, which toggles EVENTQ_PROD.OVFLG unless the overflow
 *   condition (OVFLG != EVENTQ_CONS.OVACKFLG) is already present. A record
 *   with Stall == 1 never overflows (7.4): it is returned as not written and
 *   the caller (stall handling) keeps the transaction.
 *   Records discarded while EVENTQEN == 0 are simply lost (documented choice;
 *   7.4 "might be discarded").
 * - A write that aborts (host error, or beyond 2^52) is synchronous: PROD is
 *   not advanced, no interrupt, GERROR.EVENTQ_ABT_ERR is activated and the
 *   queue stays unwritable until that error is acknowledged (7.2.2).
 * - LOG2SIZE is capped at IDR1.EVENTQS and the base aligned to
 *   max(32, queue bytes) (6.3.29). EVENTQ_PROD is SMMU-owned: software writes
 *   to it while EVENTQEN == 1 are ignored (regs.c).
 *
 * Interrupts (3.18): each record written raises the event queue interrupt
 * when IRQ_CTRL(ACK).EVENTQ_IRQEN == 1: an MSI of EVENTQ_IRQ_CFG1 to
 * EVENTQ_IRQ_CFG0.ADDR when IDR0.MSI == 1 and ADDR != 0, otherwise the wired
 * EVENTQ line. An aborted event queue MSI activates MSI_EVENTQ_ABT_ERR.
 * Choices: 3.18.2 names the empty-to-non-empty transition as the trigger;
 * the model signals every record written (as issue #3 asks), which a driver
 * cannot tell apart from uncoalesced edges. 3.18.2 lets an implementation
 * with both MSIs and wired outputs use them concurrently; this model pulses
 * the wired line only for a source that sends no MSI (ADDR == 0 or no MSI
 * support), for every source (event queue, GERROR, CMD_SYNC).
 * GERROR: smmu_gerror_raise() activates each requested error that is not
 * already active (toggle against GERRORN) and, when any became active and
 * IRQ_CTRL.GERROR_IRQEN == 1, signals once through GERROR_IRQ_CFG0/1 (MSI) or
 * the wired GERROR line. An aborted GERROR MSI activates MSI_GERROR_ABT_ERR
 * without signalling again (no loop). Interrupt edges and MSIs are counted in
 * stats.irqs[] and stats.msis (successful MSI writes).
 *
 * Security states (3.10.2.1): an event of a Secure stream goes to the Secure
 * Event queue; each bank has its own queue, GERROR, interrupts and MSIs, all
 * through this one code path. The Secure bank's queue and MSIs are written to
 * the Secure PA space; its wired interrupts are counted in stats.s_irqs[]
 * and raised through host.irq_secure when set (host.irq has the Non-secure
 * lines only: a Secure edge there would tell Non-secure software of Secure
 * events).
 */
#include "model/smmu.h"

enum { EVT_BYTES = 32 };

/* ------------------------------------------------------------ encoding */
/* The parts of a record (7.3), each a group of fields written together. */
enum {
    P_SID = 1u << 0,       /* EventID, StreamID */
    P_SSID = 1u << 1,      /* SSV and SubstreamID when the transaction had one */
    P_SSID_RAW = 1u << 2,  /* SubstreamID as given, no SSV (C_BAD_SUBSTREAMID, 7.3.4) */
    P_REASON16 = 1u << 3,  /* Reason, 16 bits */
    P_REASON = 1u << 4,    /* Reason, 32 bits */
    P_ACCESS = 1u << 5,    /* PnU, InD, RnW */
    P_RNW = 1u << 6,       /* RnW alone */
    P_STALL = 1u << 7,     /* STAG, Stall, TTRnW (F_PERMISSION on a table), NSIPA */
    P_S2 = 1u << 8,        /* S2 */
    P_CLASS = 1u << 9,     /* CLASS */
    P_INPUT = 1u << 10,    /* InputAddr */
    P_INPUT_PAGE = 1u << 11, /* InputAddr of the page (ATS/PRI requests) */
    P_FETCH = 1u << 12,    /* FetchAddr */
    P_IPA = 1u << 13,      /* IPA, when the fault is at stage 2 */
    P_TREQ = 1u << 14,     /* Span, R, W, X, P of an ATS Translation Request */
    P_COMMON = P_SID | P_SSID,
    P_XLATE = P_COMMON | P_STALL | P_ACCESS | P_S2 | P_CLASS | P_INPUT | P_IPA,
};

/* The record of each EventID; an ID not listed carries the common part only. */
static const uint16_t record_parts[256] = {
    [SMMUV3_EVT_F_UUT] = P_COMMON | P_REASON16 | P_ACCESS | P_INPUT,
    [SMMUV3_EVT_C_BAD_STREAMID] = P_COMMON,
    [SMMUV3_EVT_C_BAD_STE] = P_COMMON,
    [SMMUV3_EVT_C_BAD_CD] = P_COMMON,
    [SMMUV3_EVT_F_STE_FETCH] = P_COMMON | P_REASON16 | P_FETCH,
    [SMMUV3_EVT_F_CD_FETCH] = P_COMMON | P_REASON16 | P_FETCH,
    [SMMUV3_EVT_F_VMS_FETCH] = P_COMMON | P_REASON16 | P_FETCH,
    [SMMUV3_EVT_F_BAD_ATS_TREQ] = P_COMMON | P_INPUT_PAGE | P_TREQ,
    [SMMUV3_EVT_E_PAGE_REQUEST] = P_COMMON | P_INPUT_PAGE,
    [SMMUV3_EVT_F_STREAM_DISABLED] = P_SID,
    [SMMUV3_EVT_F_TRANSL_FORBIDDEN] = P_SID | P_RNW | P_INPUT,
    [SMMUV3_EVT_C_BAD_SUBSTREAMID] = P_SID | P_SSID_RAW,
    [SMMUV3_EVT_F_WALK_EABT] = P_COMMON | P_REASON16 | P_ACCESS | P_S2 | P_CLASS | P_INPUT | P_FETCH,
    [SMMUV3_EVT_F_TRANSLATION] = P_XLATE,
    [SMMUV3_EVT_F_ADDR_SIZE] = P_XLATE,
    [SMMUV3_EVT_F_ACCESS] = P_XLATE,
    [SMMUV3_EVT_F_PERMISSION] = P_XLATE,
    [SMMUV3_EVT_F_TLB_CONFLICT] = P_COMMON | P_REASON16 | P_ACCESS | P_S2 | P_INPUT | P_IPA,
    [SMMUV3_EVT_F_CFG_CONFLICT] = P_COMMON | P_REASON,
};

/* Fill the 4 words of the record for ev (7.3). */
static void event_encode(const smmuv3 *s, const smmu_event *ev, uint64_t w[4])
{
    unsigned p = record_parts[ev->id];
    if (!p)
        p = P_COMMON;
    w[0] = w[1] = w[2] = w[3] = 0;
    fset(w, F_EVENT_eventid, ev->id);
    fset(w, F_EVENT_streamid, ev->sid);
    if ((p & P_SSID) && ev->ssv) {
        fset(w, F_EVENT_ssv, 1);
        fset(w, F_EVENT_substreamid, ev->ssid);
    }
    if (p & P_SSID_RAW)
        fset(w, F_EVENT_substreamid, ev->ssid);
    if (p & P_REASON16)
        fset(w, F_EVENT_reason, ev->reason & 0xffffu);
    if (p & P_REASON)
        fset(w, F_EVENT_reason, ev->reason);
    if (p & P_STALL) {
        fset(w, F_EVENT_stag, ev->stag);
        fset(w, F_EVENT_stall, ev->stall);
        if (ev->id == SMMUV3_EVT_F_PERMISSION && ev->cls == SMMU_CLASS_TT)
            fset(w, F_EVENT_ttrnw, ev->ttrnw);
        /* NSIPA: a Secure stream's stage 2 fault in its Non-secure IPA
         * space (3.10.2.2); 0 on the Non-secure Event queue (7.3). */
        fset(w, F_EVENT_nsipa, ev->secure && ev->s2 && ev->nsipa);
    }
    if (p & P_ACCESS) {
        fset(w, F_EVENT_pnu, ev->pnu);
        fset(w, F_EVENT_ind, ev->ind);
    }
    if (p & (P_ACCESS | P_RNW))
        fset(w, F_EVENT_rnw, ev->rnw);
    if (p & P_S2)
        fset(w, F_EVENT_s2, ev->s2);
    if (p & P_CLASS)
        fset(w, F_EVENT_class, ev->cls);
    if (p & P_INPUT)
        fset(w, F_EVENT_inputaddr, ev->input_addr);
    if (p & P_INPUT_PAGE)
        fset(w, F_EVENT_inputaddr, ev->input_addr & ~0xfffull);
    if (p & P_TREQ) {
        /* 7.3.6: the permissions the Translation Request asked for, before
         * the STE overrides: R is always 1 for PCIe ATS, W == !NW. */
        fset(w, F_EVENT_span, ev->span);
        fset(w, F_EVENT_r, 1);
        fset(w, F_EVENT_w, !ev->rnw);
        fset(w, F_EVENT_x, ev->ind);
        fset(w, F_EVENT_p, ev->pnu);
    }
    if (p & P_FETCH)
        fset_addr(w, F_EVENT_fetchaddr, ev->fetch_addr & smmu_oas_mask(s));
    if ((p & P_IPA) && ev->s2)
        fset_addr(w, F_EVENT_ipa, ev->ipa & smmu_oas_mask(s));
}

/* Only the translation-family records have a Stall field (7.3.21). */
static bool event_stalls(const smmu_event *ev)
{
    return ev->stall && ev->id >= SMMUV3_EVT_F_TRANSLATION && ev->id <= SMMUV3_EVT_F_PERMISSION;
}

/* ------------------------------------------------------------ interrupts */
bool smmu_msi_send_bank(smmuv3 *s, const smmu_regs *bank, uint64_t addr, uint32_t data)
{
    uint8_t b[4] = { (uint8_t)data, (uint8_t)(data >> 8), (uint8_t)(data >> 16), (uint8_t)(data >> 24) };
    if (smmu_host_write_pas(s, !smmu_bank_secure(s, bank), addr & ~3ull, b, sizeof(b)))
        return false;
    s->stats.msis++;
    return true;
}

void smmu_irq_raise_bank(smmuv3 *s, const smmu_regs *b, smmuv3_irq line)
{
    if ((unsigned)line >= sizeof(s->stats.irqs) / sizeof(s->stats.irqs[0]))
        return;
    if (smmu_bank_secure(s, b)) {
        s->stats.s_irqs[line]++;
        if (s->host.irq_secure)
            s->host.irq_secure(s->host.ctx, line);
        return;
    }
    s->stats.irqs[line]++;
    if (s->host.irq)
        s->host.irq(s->host.ctx, line);
}

static bool msi_configured(const smmuv3 *s, const smmu_regs *b, uint64_t cfg0)
{
    return rget(smmu_bank_idr0(s, b), F_IDR0_msi) && (cfg0 & smmu_fmask(F_IRQ_CFG0_addr)) != 0;
}

static uint32_t gerror_active(const smmu_regs *b)
{
    return b->gerror ^ b->gerrorn;
}

void smmu_gerror_raise_bank(smmuv3 *s, smmu_regs *b, uint32_t bit_mask)
{
    uint32_t fresh = bit_mask & ~gerror_active(b);
    if (!fresh)
        return;
    b->gerror ^= fresh;
    if (!rget(b->irq_ctrlack, F_IRQ_CTRL_gerror_irqen))
        return;
    if (msi_configured(s, b, b->gerror_irq_cfg0)) {
        uint64_t addr = b->gerror_irq_cfg0 & smmu_fmask(F_IRQ_CFG0_addr) & smmu_oas_mask(s);
        if (!smmu_msi_send_bank(s, b, addr, b->gerror_irq_cfg1)) {
            uint32_t abt = (uint32_t)smmu_fmask(F_GERROR_msi_gerror_abt_err);
            if (!(gerror_active(b) & abt))
                b->gerror ^= abt;   /* recorded, not signalled again */
        }
    } else {
        smmu_irq_raise_bank(s, b, SMMUV3_IRQ_GERROR);
    }
}

static void eventq_signal(smmuv3 *s, smmu_regs *b)
{
    if (!rget(b->irq_ctrlack, F_IRQ_CTRL_eventq_irqen))
        return;
    if (msi_configured(s, b, b->eventq.irq_cfg0)) {
        uint64_t addr = b->eventq.irq_cfg0 & smmu_fmask(F_IRQ_CFG0_addr) & smmu_oas_mask(s);
        if (!smmu_msi_send_bank(s, b, addr, b->eventq.irq_cfg1))
            smmu_gerror_raise_bank(s, b, (uint32_t)smmu_fmask(F_GERROR_msi_eventq_abt_err));
    } else {
        smmu_irq_raise_bank(s, b, SMMUV3_IRQ_EVENTQ);
    }
}

/* ------------------------------------------------------------ the queue */
bool smmu_event_record(smmuv3 *s, const smmu_event *ev)
{
    if (!s || !ev)
        return false;
    smmu_regs *b = smmu_bank(s, ev->secure && smmu_secure_impl(s));
    if (!rget(b->cr0ack, F_CR0_eventqen) ||
        (gerror_active(b) & smmu_fmask(F_GERROR_eventq_abt_err))) {
        s->stats.events_lost++;
        return false;
    }

    unsigned l = (unsigned)rget(b->eventq.base, F_Q_BASE_log2size);
    unsigned max = (unsigned)rget(s->idr[1], F_IDR1_eventqs);
    if (l > max)
        l = max;
    uint32_t idx_mask = (1u << l) - 1, wrap = 1u << l, ptr_mask = (2u << l) - 1;
    uint64_t align = (uint64_t)EVT_BYTES << l;
    uint64_t base = b->eventq.base & smmu_fmask(F_Q_BASE_addr) & smmu_oas_mask(s) & ~(align - 1);

    uint32_t prod = b->eventq.prod & ptr_mask;
    uint32_t cons = b->eventq.cons & ptr_mask;
    if ((prod & idx_mask) == (cons & idx_mask) && (prod & wrap) != (cons & wrap)) {
        /* Full (7.4). */
        s->stats.events_lost++;
        if (event_stalls(ev))
            return false;
        uint32_t ovflg = (uint32_t)rget(b->eventq.prod, F_Q_PROD_ovflg);
        uint32_t ovack = (uint32_t)rget(b->eventq.cons, F_Q_CONS_ovackflg);
        if (ovflg == ovack)
            b->eventq.prod = (uint32_t)rset(b->eventq.prod, F_Q_PROD_ovflg, !ovflg);
        return false;
    }

    uint64_t w[4];
    uint8_t raw[EVT_BYTES];
    event_encode(s, ev, w);
    le_store(raw, w, 4);
    if (smmu_host_write_pas(s, !smmu_bank_secure(s, b), base + (uint64_t)(prod & idx_mask) * EVT_BYTES, raw, sizeof(raw))) {
        s->stats.events_lost++;
        smmu_gerror_raise_bank(s, b, (uint32_t)smmu_fmask(F_GERROR_eventq_abt_err));
        return false;
    }
    prod = (prod + 1) & ptr_mask;
    b->eventq.prod = (uint32_t)(b->eventq.prod & smmu_fmask(F_Q_PROD_ovflg)) | prod;
    s->stats.events++;
    eventq_signal(s, b);
    return true;
}
