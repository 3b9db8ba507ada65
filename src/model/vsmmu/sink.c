/* SPDX-License-Identifier: MIT */
/*
 * The invalidation sink of an accelerated vSMMU (smmuv3/vsmmu.h): every
 * consumed command that invalidates something a host SMMU caches for a
 * nested guest stage 1 is handed on, raw, after the model applied it.
 *
 * Forwarded (IHI 0070 4.3, 4.4, 4.5): CFGI_CD and CFGI_CD_ALL (the host
 * caches the guest's CDs), TLBI_NH_ASID, TLBI_NH_ALL, TLBI_NH_VA, TLBI_NH_VAA
 * (the guest's stage 1 TLB entries), TLBI_NSNH_ALL (everything of the
 * Non-secure non-hypervisor regime) and ATC_INV (the device's ATC; legal, and
 * so reaching here, only with IDR0.ATS). Not forwarded: CFGI_STE* (the VMM
 * rebuilds the host STE from smmuv3_vste_classify), CFGI_ALL is CFGI_STE_RANGE,
 * TLBI_EL2_* / TLBI_S2_IPA / TLBI_S12_VMALL (EL2 and stage 2 belong to the
 * host), prefetches, PRI_RESP, RESUME, STALL_TERM and CMD_SYNC.
 *
 * A refusal is CERROR_ILL on the command (7.1): cmdq.c stops there exactly as
 * for an illegal command. Re-entrancy: the sink runs inside command
 * processing, which s->in_cmdq keeps from re-entering itself (cmdq.c), so a
 * sink may write registers, including CMDQ_PROD, and translate.
 */
#include "model/smmu.h"

static bool forwarded(unsigned op)
{
    switch (op) {
    case SMMUV3_CMD_CFGI_CD:
    case SMMUV3_CMD_CFGI_CD_ALL:
    case SMMUV3_CMD_TLBI_NH_ASID:
    case SMMUV3_CMD_TLBI_NH_ALL:
    case SMMUV3_CMD_TLBI_NH_VA:
    case SMMUV3_CMD_TLBI_NH_VAA:
    case SMMUV3_CMD_TLBI_NSNH_ALL:
    case SMMUV3_CMD_ATC_INV:
        return true;
    default:
        return false;
    }
}

static void set_inval_sink(smmuv3 *s, smmuv3_inval_sink sink, void *ctx);

void smmuv3_set_inval_sink(smmuv3 *s, smmuv3_inval_sink sink, void *ctx)
{
    if (!s)
        return;
    smmu_lock(s);
    set_inval_sink(s, sink, ctx);
    smmu_unlock(s);
}

static void set_inval_sink(smmuv3 *s, smmuv3_inval_sink sink, void *ctx)
{
    if (!s)
        return;
    s->inval_sink = sink;
    s->inval_ctx = sink ? ctx : NULL;
}

unsigned smmu_inval_forward(smmuv3 *s, const uint64_t cmd[2])
{
    smmuv3_inval_sink sink = s->inval_sink;
    if (!sink || !forwarded((unsigned)fget(cmd, F_CMD_SYNC_opcode)))
        return SMMUV3_CERROR_NONE;
    const uint64_t raw[2] = { cmd[0], cmd[1] };   /* the sink cannot touch the queue's copy */
    return sink(s->inval_ctx, raw) ? SMMUV3_CERROR_ILL : SMMUV3_CERROR_NONE;
}
