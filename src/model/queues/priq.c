/* SPDX-License-Identifier: MIT */
/*
 * The PRI queue (IHI 0070 chapter 8, 3.9.1): PCIe Page Requests
 * (smmuv3_pri_request), the 16-byte PRI queue record (8), overflow (8.1),
 * automatic PRG Responses (8.1, 8.2, 8.3), the PRI queue interrupt (6.3.36
 * SMMU_PRIQ_IRQ_CFG2.LO, 3.18) and CMD_PRI_RESP (4.5.2).
 *
 * Page Requests (PPRs):
 * - SSV is 0 in the record and responses when the SMMU has no substreams
 *   (IDR1.SSIDSIZE == 0, 8); with SSV == 0 the record's X and Priv are 0 and
 *   SubstreamID (UNKNOWN) is written 0. Address bits 11:0 are not recorded.
 * - A Stop Marker (SSV == 1, L == 1, W == R == 0, 8) is queued like a PPR and
 *   never answered by the SMMU.
 * - Effective PRIQEN == 0 (CR0ACK.PRIQEN == 0, or SMMUEN == 0) or an active
 *   GERROR.PRIQ_ABT_ERR: nothing is written and every PPR (not only Last
 *   ones: 8.2 "All incoming PPRs") gets an automatic Response Failure (Deny)
 *   without PASID.
 * - Full queue: the overflow condition is entered (PRIQ_PROD.OVFLG toggled
 *   unless already present, 8.1). While the condition is present (OVFLG !=
 *   PRIQ_CONS.OVACKFLG) nothing more is written, even after space appears
 *   (8.1: an active overflow condition inhibits new entries). Discarded PPRs
 *   with Last == 1 get an automatic response: Success without PASID when the
 *   PPR had none; with a PASID, Success with the PASID when IDR3.PPS == 1,
 *   else per STE.PPAR (Success, PASID iff PPAR), or Response Failure without
 *   PASID when no valid STE can be found (out of range, fetch abort, ILLEGAL
 *   STE; nothing recorded: REC_CFG_ATS is not implemented).
 * - A record write that aborts is synchronous: PRIQ_PROD does not move,
 *   GERROR.PRIQ_ABT_ERR is activated and the PPR gets an automatic Response
 *   Failure (8.2).
 * - The queue base is aligned to max(32, queue bytes) and LOG2SIZE capped at
 *   IDR1.PRIQS (6.3.33), as for the other queues.
 * Interrupt (6.3.36): with PRIQ_IRQ_CFG2.LO == 0, when a record makes the
 * queue go from empty to non-empty; with LO == 1, for each PPR with L set
 * that is written, or discarded because of overflow (not for other
 * discards). Only while IRQ_CTRLACK.PRIQ_IRQEN == 1: an MSI of PRIQ_IRQ_CFG1
 * to PRIQ_IRQ_CFG0.ADDR (IDR0.MSI and ADDR != 0; an abort activates
 * MSI_PRIQ_ABT_ERR), otherwise the wired PRIQ line.
 * Responses, from CMD_PRI_RESP or automatic, reach host.pri_resp
 * synchronously (none when it is NULL).
 */
#include <string.h>
#include "model/smmu.h"

enum { PRI_BYTES = 16 };

static uint32_t gerr(unsigned f) { return (uint32_t)smmu_fmask(f); }

static bool priq_enabled(const smmuv3 *s)
{
    /* 8.2: SMMU_CR0.SMMUEN == 0 implies an effective PRIQEN of 0. */
    return rget(s->r.cr0ack, F_CR0_priqen) && rget(s->r.cr0ack, F_CR0_smmuen);
}

static void respond(smmuv3 *s, uint32_t sid, bool ssv, uint32_t ssid, uint16_t prgi, int code)
{
    if (!s->host.pri_resp)
        return;
    smmuv3_pri_resp r;
    memset(&r, 0, sizeof(r));
    r.sid = sid;
    r.ssv = ssv;
    r.ssid = ssv ? ssid : 0;
    r.prgi = prgi;
    r.resp = code;
    s->host.pri_resp(s->host.ctx, &r);
}

static void priq_signal(smmuv3 *s)
{
    if (!rget(s->r.irq_ctrlack, F_IRQ_CTRL_priq_irqen))
        return;
    uint64_t addr = s->r.priq.irq_cfg0 & smmu_fmask(F_IRQ_CFG0_addr) & smmu_oas_mask(s);
    if (rget(s->idr[0], F_IDR0_msi) && addr) {
        if (!smmu_msi_send(s, addr, s->r.priq.irq_cfg1))
            smmu_gerror_raise(s, gerr(F_GERROR_msi_priq_abt_err));
    } else {
        smmu_irq_raise(s, SMMUV3_IRQ_PRIQ);
    }
}

/* 8.1: the automatic response to a Last PPR discarded on overflow. */
static void overflow_response(smmuv3 *s, const smmuv3_pri_req *req, bool ssv)
{
    if (!ssv || rget(s->idr[3], F_IDR3_pps)) {
        respond(s, req->sid, ssv, req->ssid, req->prgi, SMMUV3_PRI_RESP_SUCCESS);
        return;
    }
    smmu_ste ste;
    smmu_event ev;
    if (smmu_ste_lookup(s, req->sid, &ste, &ev))
        respond(s, req->sid, false, 0, req->prgi, SMMUV3_PRI_RESP_DENY);
    else
        respond(s, req->sid, ste.ppar, req->ssid, req->prgi, SMMUV3_PRI_RESP_SUCCESS);
}

static void pri_encode(const smmuv3_pri_req *req, bool ssv, uint64_t w[2])
{
    w[0] = w[1] = 0;
    fset(w, F_PRI_streamid, req->sid);
    if (ssv) {
        fset(w, F_PRI_ssv, 1);
        fset(w, F_PRI_substreamid, req->ssid);
        fset(w, F_PRI_priv, req->priv);
        fset(w, F_PRI_exec, (req->perm & SMMUV3_PERM_X) != 0);
    }
    fset(w, F_PRI_read, (req->perm & SMMUV3_PERM_R) != 0);
    fset(w, F_PRI_write, (req->perm & SMMUV3_PERM_W) != 0);
    fset(w, F_PRI_last, req->last);
    fset(w, F_PRI_prgi, req->prgi);
    fset_addr(w, F_PRI_address, req->addr & ~0xfffull);
}

static int pri_request(smmuv3 *s, const smmuv3_pri_req *req);

int smmuv3_pri_request(smmuv3 *s, const smmuv3_pri_req *req)
{
    SMMU_LOCKED_CALL(s, pri_request(s, req));
}

static int pri_request(smmuv3 *s, const smmuv3_pri_req *req)
{
    if (!s || !req)
        return SMMUV3_EINVAL;
    if (!s->cfg.pri)
        return SMMUV3_ENOTSUP;
    if (req->prgi > 0x1FF || (req->perm & ~7u) || (req->ssv && (req->ssid >> 20)))
        return SMMUV3_EINVAL;
    bool ssv = req->ssv && s->cfg.ssidsize != 0;
    bool stop = ssv && req->last && !(req->perm & (SMMUV3_PERM_R | SMMUV3_PERM_W));

    if (!priq_enabled(s) || ((s->r.gerror ^ s->r.gerrorn) & gerr(F_GERROR_priq_abt_err))) {
        if (!stop)
            respond(s, req->sid, false, 0, req->prgi, SMMUV3_PRI_RESP_DENY);   /* 8.2 */
        return 0;
    }

    unsigned l = (unsigned)rget(s->r.priq.base, F_Q_BASE_log2size);
    unsigned max = (unsigned)rget(s->idr[1], F_IDR1_priqs);
    if (l > max)
        l = max;
    uint32_t idx_mask = (1u << l) - 1, wrap = 1u << l, ptr_mask = (2u << l) - 1;
    uint64_t align = (uint64_t)PRI_BYTES << l;
    if (align < 32)
        align = 32;
    uint64_t base = s->r.priq.base & smmu_fmask(F_Q_BASE_addr) & smmu_oas_mask(s) & ~(align - 1);
    uint32_t prod = s->r.priq.prod & ptr_mask, cons = s->r.priq.cons & ptr_mask;
    bool lo = rget(s->r.priq.irq_cfg2, F_PRIQ_IRQ_CFG2_lo) != 0;
    uint32_t ovflg = (uint32_t)rget(s->r.priq.prod, F_Q_PROD_ovflg);
    bool overflow = ovflg != (uint32_t)rget(s->r.priq.cons, F_Q_CONS_ovackflg);
    bool full = (prod & idx_mask) == (cons & idx_mask) && (prod & wrap) != (cons & wrap);

    if (overflow || full) {
        if (!overflow)
            s->r.priq.prod = (uint32_t)rset(s->r.priq.prod, F_Q_PROD_ovflg, !ovflg);   /* 8.1 */
        if (req->last && !stop)
            overflow_response(s, req, ssv);
        if (req->last && lo)
            priq_signal(s);
        return 0;
    }

    uint64_t w[2];
    uint8_t raw[PRI_BYTES];
    pri_encode(req, ssv, w);
    le_store(raw, w, 2);
    if (smmu_host_write(s, base + (uint64_t)(prod & idx_mask) * PRI_BYTES, raw, sizeof(raw))) {
        smmu_gerror_raise(s, gerr(F_GERROR_priq_abt_err));
        if (!stop)
            respond(s, req->sid, false, 0, req->prgi, SMMUV3_PRI_RESP_DENY);   /* 8.2 */
        return 0;
    }
    bool was_empty = prod == cons;
    prod = (prod + 1) & ptr_mask;
    s->r.priq.prod = (uint32_t)(s->r.priq.prod & smmu_fmask(F_Q_PROD_ovflg)) | prod;
    if (lo ? req->last : was_empty)
        priq_signal(s);
    return 0;
}

/* CMD_PRI_RESP (4.5.2): IGNORED while SMMUEN of the Security state of the
 * Command queue it came from (`smmuen`) is 0; without substreams SSV == 1
 * behaves as SSV == 0 (the first CONSTRAINED UNPREDICTABLE choice). */
unsigned smmu_pri_resp_command(smmuv3 *s, const uint64_t cmd[2], bool smmuen)
{
    if (!rget(s->idr[0], F_IDR0_pri) || fget(cmd, F_CMD_PRI_RESP_resp) == 3)
        return SMMUV3_CERROR_ILL;   /* no PRI, or the Reserved Resp 0b11 */
    if (!smmuen)
        return SMMUV3_CERROR_NONE;
    bool ssv = s->cfg.ssidsize && fget(cmd, F_CMD_PRI_RESP_ssv);
    respond(s, (uint32_t)fget(cmd, F_CMD_PRI_RESP_sid), ssv, (uint32_t)fget(cmd, F_CMD_PRI_RESP_ssid),
            (uint16_t)fget(cmd, F_CMD_PRI_RESP_prgi), (int)fget(cmd, F_CMD_PRI_RESP_resp));
    return SMMUV3_CERROR_NONE;
}
