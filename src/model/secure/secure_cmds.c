/* SPDX-License-Identifier: MIT */
/*
 * The Secure Command queue's rules (IHI 0070 H.a 3.10.2.1, 4.1.6, 4.4). The
 * queue itself is cmdq.c's, run on the Secure bank; this decides what each
 * command means there.
 *
 * - SSec (4.1.6) selects the Security state of a StreamID parameter: SSec == 1
 *   commands (PREFETCH_*, CFGI_STE/_RANGE/CD/CD_ALL, RESUME, STALL_TERM)
 *   apply to Secure streams; SSec == 0 ones (but RESUME/STALL_TERM, below)
 *   run exactly as on the Non-secure queue (smmu_cmd_execute_ns), as do the
 *   commands whose scope 4.4 defines as Non-secure from either queue:
 *   TLBI_EL2_* ("the same effect whether issued from the Secure or
 *   Non-secure command queues", 4.4.2.7-10), TLBI_S12_VMALL, TLBI_S2_IPA,
 *   TLBI_NSNH_ALL, ATC_INV and PRI_RESP (IGNORED while SMMU_S_CR0.SMMUEN
 *   == 0, 4.5.1, 4.5.2).
 * - Secure scope: TLBI_NH_* invalidate Secure stage 1 (StreamWorld Secure)
 *   entries (4.4.2.1-4), TLBI_EL3_* the EL3 ones (4.4.2.5-6), TLBI_S_EL2_*
 *   S-EL2 (4.4.2.11-14), TLBI_S_S12_VMALL / TLBI_S_S2_IPA Secure stage 2
 *   (4.4.3.3-4), TLBI_SNH_ALL every Secure non-Hyp entry (4.4.4.2).
 * - Legality (CERROR_ILL): TLBI_S_* and TLBI_SNH_ALL need SMMU_S_IDR1.SEL2
 *   ("the opcode ... is Reserved ... when Secure EL2 is not supported",
 *   4.4.2.11-14, 4.4.3.3-4; "RESERVED and causes CERROR_ILL when Secure stage
 *   2 is not supported", 4.4.4.2: without it TLBI_NH_ALL is the Secure ALLE1,
 *   4.4.2.1); TLBI_NH_* and TLBI_EL3_*
 *   need stage 1 (always present with Secure state); the range encodings as
 *   on the Non-secure queue (4.4.1.1); RESUME/STALL_TERM need
 *   SMMU_S_IDR0.STALL_MODEL != 0b01 whatever SSec; PRI_RESP with SSec == 1 is ILLEGAL
 *   (there is no Secure PRI queue); CFGI_VMS_PIDM is ILLEGAL (no MPAM).
 * - CMD_SYNC: as on the Non-secure queue; its MSI goes to the Secure PA space
 *   when SMMU_S_IDR0.MSI == 1, and its wired interrupt is the Secure one.
 */
#include "model/smmu.h"

static bool ssec(const uint64_t cmd[2]) { return fget(cmd, F_CMD_CFGI_STE_ssec) != 0; }

static bool sel2(const smmuv3 *s) { return rget(s->s_idr[1], F_S_IDR1_sel2) != 0; }

/* The reserved range/TTL encoding of 4.4.1.1 (as smmu_cmd_execute_ns checks it). */
static bool range_reserved(const smmuv3 *s, const uint64_t cmd[2])
{
    if (!rget(s->idr[3], F_IDR3_ril))
        return false;
    uint64_t tg = fget(cmd, F_CMD_TLBI_NH_VA_tg), ttl = fget(cmd, F_CMD_TLBI_NH_VA_ttl);
    if (tg == 0)
        return false;
    if (tg == 2 && ttl == 1)
        ttl = 0;
    return fget(cmd, F_CMD_TLBI_NH_VA_num) == 0 && fget(cmd, F_CMD_TLBI_NH_VA_scale) == 0 && ttl == 0;
}

/* A command for Secure StreamIDs (SSec == 1). */
static unsigned secure_stream_cmd(smmuv3 *s, unsigned op, const uint64_t cmd[2])
{
    switch (op) {
    case SMMUV3_CMD_PREFETCH_CONFIG:
    case SMMUV3_CMD_PREFETCH_ADDR:
        return SMMUV3_CERROR_NONE;   /* 4.2: a hint */
    case SMMUV3_CMD_CFGI_STE:
    case SMMUV3_CMD_CFGI_STE_RANGE:
    case SMMUV3_CMD_CFGI_CD:
    case SMMUV3_CMD_CFGI_CD_ALL:
        smmu_secure_cfgi(s, op, cmd);
        return SMMUV3_CERROR_NONE;
    default:
        return SMMUV3_CERROR_ILL;   /* CFGI_VMS_PIDM: no MPAM */
    }
}

unsigned smmu_cmd_execute_secure(smmuv3 *s, const uint64_t cmd[2], smmu_sync_signal *sig)
{
    unsigned op = (unsigned)fget(cmd, F_CMD_SYNC_opcode);
    switch (op) {
    case SMMUV3_CMD_PREFETCH_CONFIG:
    case SMMUV3_CMD_PREFETCH_ADDR:
    case SMMUV3_CMD_CFGI_STE:
    case SMMUV3_CMD_CFGI_STE_RANGE:
    case SMMUV3_CMD_CFGI_CD:
    case SMMUV3_CMD_CFGI_CD_ALL:
    case SMMUV3_CMD_CFGI_VMS_PIDM:
        if (ssec(cmd))
            return secure_stream_cmd(s, op, cmd);
        return smmu_cmd_execute_ns(s, cmd, sig);

    case SMMUV3_CMD_PRI_RESP:
        /* 4.5.2 (SMMU_S_IDR3.SAMS == 0: supported here): ILLEGAL as on the
         * Non-secure queue; otherwise for a Non-secure StreamID, IGNORED
         * when SMMU_S_CR0.SMMUEN, the SMMUEN of this queue's Security
         * state, is 0. */
        if (ssec(cmd))
            return SMMUV3_CERROR_ILL;
        return smmu_pri_resp_command(s, cmd, rget(s->sr.cr0ack, F_CR0_smmuen) != 0);

    case SMMUV3_CMD_RESUME:
    case SMMUV3_CMD_STALL_TERM:
        /* 4.7.1/4.7.2: ILLEGAL when the stall model is off "for the Security
         * state of the Command queue": SMMU_S_IDR0.STALL_MODEL here, whatever
         * SSec (NSSTALLD does not bind the Secure queue). */
        if (smmu_stall_model(s, true) == SMMUV3_STALL_TERM_ONLY)
            return SMMUV3_CERROR_ILL;
        smmu_stall_command_sec(s, op, cmd, ssec(cmd));
        return SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_TLBI_NH_ALL:
    case SMMUV3_CMD_TLBI_NH_ASID:
    case SMMUV3_CMD_TLBI_EL3_ALL:
        break;
    case SMMUV3_CMD_TLBI_NH_VA:
    case SMMUV3_CMD_TLBI_NH_VAA:
    case SMMUV3_CMD_TLBI_EL3_VA:
        if (range_reserved(s, cmd))
            return SMMUV3_CERROR_ILL;
        break;
    case SMMUV3_CMD_TLBI_S_EL2_ALL:
    case SMMUV3_CMD_TLBI_S_EL2_ASID:
    case SMMUV3_CMD_TLBI_S_S12_VMALL:
    case SMMUV3_CMD_TLBI_SNH_ALL:   /* 4.4.4.2: "RESERVED ... when Secure stage 2 is not supported" */
        if (!sel2(s))
            return SMMUV3_CERROR_ILL;
        break;
    case SMMUV3_CMD_TLBI_S_EL2_VA:
    case SMMUV3_CMD_TLBI_S_EL2_VAA:
    case SMMUV3_CMD_TLBI_S_S2_IPA:
        if (!sel2(s) || range_reserved(s, cmd))
            return SMMUV3_CERROR_ILL;
        break;

    case SMMUV3_CMD_SYNC:
        return smmu_cmd_sync_decode(s, &s->sr, cmd, sig);

    case SMMUV3_CMD_ATC_INV:
        /* 4.5.1 (SMMU_S_IDR3.SAMS == 0: supported here): the StreamID is
         * Non-secure, but the command is IGNORED when SMMU_S_CR0.SMMUEN,
         * the SMMUEN of this queue's Security state, is 0. */
        return smmu_atc_inv_command(s, cmd, rget(s->sr.cr0ack, F_CR0_smmuen) != 0);

    default:
        /* TLBI_EL2_*, TLBI_S12_VMALL, TLBI_S2_IPA, TLBI_NSNH_ALL, ATC_INV:
         * Non-secure scope from either queue; reserved opcodes fail there. */
        return smmu_cmd_execute_ns(s, cmd, sig);
    }
    smmu_secure_tlbi(s, op, cmd);
    return SMMUV3_CERROR_NONE;
}
