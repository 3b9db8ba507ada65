/* SPDX-License-Identifier: MIT */
/*
 * The command queue (IHI 0070 H.a 3.5, chapter 4, 7.1): fetch from CMDQ_CONS
 * up to CMDQ_PROD honouring the wrap bit, decode, check legality, execute,
 * and stop at the first error.
 *
 * Processing is synchronous (API.md): smmu_cmdq_process() runs when CMDQ_PROD
 * is written, when CR0.CMDQEN is set, and when GERRORN acknowledges CMDQ_ERR.
 * It consumes at most 2^LOG2SIZE commands per round (a full queue),
 * re-reading CMDQ_PROD, CR0ACK.CMDQEN and GERROR before each command so that
 * a host callback (interrupt or MSI) that writes registers sees consistent
 * state. A round in which a callback wrote CMDQ_PROD is followed by another
 * one, so commands a callback submits run before the call returns.
 *
 * Both Command queues (3.10.2.1) run through this code, parameterized by the
 * register bank; the Secure queue is read from the Secure PA space and its
 * CMD_SYNC MSIs are written there (secure/secure_cmds.c has its rules).
 *
 * Legality on the Non-secure queue (CERROR_ILL, 4.1.3, 7.1):
 * - Reserved opcodes, the Secure-only commands (TLBI_EL3_*, TLBI_S_*,
 *   TLBI_SNH_ALL), DPTI_* and the IMPLEMENTATION DEFINED range 0x80-0x8F.
 * - SSec == 1 on any command that has it (4.1.6).
 * - Commands for features the profile does not advertise: CFGI_CD/CD_ALL,
 *   TLBI_NH_* and TLBI_EL2_* without stage 1 (4.3.3, 4.4.2); TLBI_EL2_*
 *   without IDR0.HYP; TLBI_S2_IPA and TLBI_S12_VMALL without stage 2 (4.4.3);
 *   CFGI_VMS_PIDM without IDR3.MPAM (4.3.5); ATC_INV without IDR0.ATS or
 *   with Size > 52 (4.5.1 permits it); PRI_RESP without IDR0.PRI; RESUME and
 *   STALL_TERM when IDR0.STALL_MODEL
 *   == 0b01 (4.7.1, 4.7.2).
 * - Reserved values of defined fields: CMD_SYNC CS == 0b11 (4.7.3),
 *   PRI_RESP Resp == 0b11, and with IDR3.RIL the range-TLBI encodings
 *   TG != 0 with NUM == SCALE == TTL == 0, where TG == 16K with TTL == 1
 *   counts as TTL == 0 (IDR5.DS == 0 in this model) (4.4.1.1).
 * - Choice (4.1.5 allows either): RES0 fields are not checked; they are
 *   ignored. Out-of-range StreamID/SubstreamID/ASID/VMID parameters are
 *   passed on unchanged (4.1.7: the receiving module decides, e.g. no effect).
 * - CMD_RESUME: Action bit 12 is Ac (1 retry, 0 terminate) and bit 13 is Ab
 *   (abort on terminate, IGNORED on retry); every value of dw0[13:12] is
 *   legal (the facts sheet's "0 term, 1 retry, 2 abort" reads the same bits).
 *
 * Errors (7.1): CMDQ_CONS.ERR takes the code, CMDQ_CONS.RD stays on the
 * failing command, GERROR.CMDQ_ERR is activated, and nothing runs until the
 * error is acknowledged. A fetch that aborts (host read error, or an address
 * at or beyond 2^52) is CERROR_ABT. CMDQ_CONS.ERR keeps the last error code
 * after later commands are consumed (it is only meaningful with CMDQ_ERR).
 * A vSMMU invalidation sink (smmuv3/vsmmu.h) that refuses a forwarded
 * command makes it CERROR_ILL, after the model applied it.
 *
 * CMD_SYNC (4.7.3): CONS is advanced past the CMD_SYNC before its completion
 * signal, so an observer of the interrupt/MSI sees the command consumed.
 * CS=SIG_IRQ sends MSIData as a 32-bit write to MSIAddress (truncated to the
 * OAS) when IDR0.MSI == 1 and MSIAddress != 0, and otherwise pulses the wired
 * CMD_SYNC interrupt (choice: not both; 4.7.3 would also allow the wired
 * output to be pulsed "regardless of the value of MSIAddress"). An aborted MSI activates
 * GERROR.MSI_CMDQ_ABT_ERR; the CMD_SYNC still completes. CS=SIG_SEV counts a
 * wake-up event (stats.sev) when IDR0.SEV == 1 and is SIG_NONE otherwise.
 * MSIAttr/MSH are accepted and have no effect on the flat memory model.
 * PREFETCH_* commands are legal no-ops.
 *
 * WFE wake-up (4.1.2): with IDR0.SEV, a processing run that starts on a full
 * queue (software could observe it full, e.g. while CMDQEN was 0 or an
 * error was active) and consumes a command also counts one wake-up event.
 */
#include "model/smmu.h"

enum { CMD_BYTES = 16 };

/* The queue as the SMMU uses it: LOG2SIZE capped at IDR1.CMDQS, base aligned. */
typedef struct cmdq_geom {
    unsigned log2;       /* effective LOG2SIZE */
    uint32_t idx_mask;   /* index bits */
    uint32_t ptr_mask;   /* index bits and the wrap bit */
    uint64_t base;       /* effective base address */
} cmdq_geom;

static void cmdq_geometry(const smmuv3 *s, const smmu_regs *b, cmdq_geom *g)
{
    unsigned l = (unsigned)rget(b->cmdq.base, F_Q_BASE_log2size);
    unsigned max = (unsigned)rget(s->idr[1], F_IDR1_cmdqs);
    if (l > max)
        l = max;
    g->log2 = l;
    g->idx_mask = (1u << l) - 1;
    g->ptr_mask = (2u << l) - 1;
    uint64_t align = (uint64_t)CMD_BYTES << l;
    if (align < 32)
        align = 32;
    g->base = b->cmdq.base & smmu_fmask(F_Q_BASE_addr) & smmu_oas_mask(s) & ~(align - 1);
}

static bool cmdq_error_active(const smmu_regs *b)
{
    return ((b->gerror ^ b->gerrorn) & smmu_fmask(F_GERROR_cmdq_err)) != 0;
}

static bool cmdq_enabled(const smmu_regs *b)
{
    return rget(b->cr0ack, F_CR0_cmdqen) != 0;
}

static void cmdq_error(smmuv3 *s, smmu_regs *b, unsigned code)
{
    /* 7.1: the error code is visible before GERROR.CMDQ_ERR. */
    b->cmdq.cons = (uint32_t)rset(b->cmdq.cons, F_Q_CONS_err, code);
    smmu_gerror_raise_bank(s, b, (uint32_t)smmu_fmask(F_GERROR_cmdq_err));
}

/* ------------------------------------------------------------ legality helpers */
static bool idr0(const smmuv3 *s, uint32_t f) { return rget(s->idr[0], f) != 0; }

/* SSec == 1 is ILLEGAL on the Non-secure Command queue (4.1.6). All commands
 * with an SSec parameter have it at dw0[10]. */
static bool ssec_set(const uint64_t cmd[2])
{
    return fget(cmd, F_CMD_CFGI_STE_ssec) != 0;
}

/* Range invalidation and level hint (4.4.1.1): returns true when the TG/TTL/
 * NUM/SCALE combination is Reserved. Without IDR3.RIL the fields are RES0
 * and ignored. All VA-like TLBI layouts share the positions of NH_VA. */
static bool tlbi_range_reserved(const smmuv3 *s, const uint64_t cmd[2])
{
    if (!rget(s->idr[3], F_IDR3_ril))
        return false;
    uint64_t tg = fget(cmd, F_CMD_TLBI_NH_VA_tg);
    uint64_t ttl = fget(cmd, F_CMD_TLBI_NH_VA_ttl);
    if (tg == 0)
        return false;
    /* 16K, level 1 is Reserved when IDR5.DS == 0 and treated as TTL 0b00;
     * it is only ILLEGAL through the NUM == SCALE == TTL == 0 rule below
     * (4.4.1.1): with a real range it is a legal range invalidation. */
    if (tg == 2 && ttl == 1)
        ttl = 0;
    return fget(cmd, F_CMD_TLBI_NH_VA_num) == 0 && fget(cmd, F_CMD_TLBI_NH_VA_scale) == 0 && ttl == 0;
}

/* Check one command of the Non-secure queue and, when legal, perform it.
 * Returns a CERROR_* code. */
unsigned smmu_cmd_execute_ns(smmuv3 *s, const uint64_t cmd[2], smmu_sync_signal *sig)
{
    unsigned op = (unsigned)fget(cmd, F_CMD_SYNC_opcode);
    bool s1 = idr0(s, F_IDR0_s1p), s2 = idr0(s, F_IDR0_s2p);

    switch (op) {
    case SMMUV3_CMD_PREFETCH_CONFIG:
    case SMMUV3_CMD_PREFETCH_ADDR:
        /* 4.2: a hint; this model does not prefetch. */
        return ssec_set(cmd) ? SMMUV3_CERROR_ILL : SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_CFGI_STE:
    case SMMUV3_CMD_CFGI_STE_RANGE:
        if (ssec_set(cmd))
            return SMMUV3_CERROR_ILL;
        smmu_cfgcache_command_sec(s, op, cmd, false);
        return SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_CFGI_CD:
    case SMMUV3_CMD_CFGI_CD_ALL:
        if (ssec_set(cmd) || !s1)
            return SMMUV3_CERROR_ILL;
        smmu_cfgcache_command_sec(s, op, cmd, false);
        return SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_CFGI_VMS_PIDM:
        if (ssec_set(cmd) || !rget(s->idr[3], F_IDR3_mpam))
            return SMMUV3_CERROR_ILL;
        smmu_cfgcache_command_sec(s, op, cmd, false);
        return SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_TLBI_NH_ALL:
    case SMMUV3_CMD_TLBI_NH_ASID:
        if (!s1)
            return SMMUV3_CERROR_ILL;
        break;
    case SMMUV3_CMD_TLBI_NH_VA:
    case SMMUV3_CMD_TLBI_NH_VAA:
        if (!s1 || tlbi_range_reserved(s, cmd))
            return SMMUV3_CERROR_ILL;
        break;

    case SMMUV3_CMD_TLBI_EL3_ALL:
    case SMMUV3_CMD_TLBI_EL3_VA:
        return SMMUV3_CERROR_ILL;   /* Secure Command queue only (4.4.2.5/6) */

    case SMMUV3_CMD_TLBI_EL2_ALL:
    case SMMUV3_CMD_TLBI_EL2_ASID:
        if (!s1 || !idr0(s, F_IDR0_hyp))
            return SMMUV3_CERROR_ILL;
        break;
    case SMMUV3_CMD_TLBI_EL2_VA:
    case SMMUV3_CMD_TLBI_EL2_VAA:
        if (!s1 || !idr0(s, F_IDR0_hyp) || tlbi_range_reserved(s, cmd))
            return SMMUV3_CERROR_ILL;
        break;

    case SMMUV3_CMD_TLBI_S12_VMALL:
        if (!s2)
            return SMMUV3_CERROR_ILL;
        break;
    case SMMUV3_CMD_TLBI_S2_IPA:
        if (!s2 || tlbi_range_reserved(s, cmd))
            return SMMUV3_CERROR_ILL;
        break;

    case SMMUV3_CMD_TLBI_NSNH_ALL:
        break;   /* valid on every SMMU (4.4.4.1) */

    case SMMUV3_CMD_ATC_INV:
        return smmu_atc_inv_command(s, cmd, rget(s->r.cr0ack, F_CR0_smmuen) != 0);   /* model/ats.c */

    case SMMUV3_CMD_PRI_RESP:
        /* 4.5.2: no SSec (bits 10:8 are RES0, ignored as every RES0 field). */
        return smmu_pri_resp_command(s, cmd, rget(s->r.cr0ack, F_CR0_smmuen) != 0);   /* queues/priq.c */

    case SMMUV3_CMD_RESUME:
    case SMMUV3_CMD_STALL_TERM:
        if (rget(s->idr[0], F_IDR0_stall_model) == SMMUV3_STALL_TERM_ONLY || ssec_set(cmd))
            return SMMUV3_CERROR_ILL;
        smmu_stall_command_sec(s, op, cmd, false);
        return SMMUV3_CERROR_NONE;

    case SMMUV3_CMD_SYNC:
        return smmu_cmd_sync_decode(s, &s->r, cmd, sig);

    default:
        return SMMUV3_CERROR_ILL;   /* Reserved, Secure-only, DPTI, IMPLEMENTATION DEFINED */
    }

    /* TLBI_*: the IOTLB first, then the walk cache. */
    smmu_tlb_command_sec(s, op, cmd, false);
    smmu_walkcache_command_sec(s, op, cmd, false);
    return SMMUV3_CERROR_NONE;
}

unsigned smmu_cmd_sync_decode(smmuv3 *s, const smmu_regs *b, const uint64_t cmd[2], smmu_sync_signal *sig)
{
    uint64_t cs = fget(cmd, F_CMD_SYNC_cs);
    if (cs == 3)
        return SMMUV3_CERROR_ILL;
    if (cs == 1) {
        uint64_t addr = fget_addr(cmd, F_CMD_SYNC_msiaddr);   /* zero check on the whole field */
        sig->irq = true;
        sig->msi = rget(smmu_bank_idr0(s, b), F_IDR0_msi) && addr != 0;
        sig->msi_addr = addr & smmu_oas_mask(s);   /* 3.4.3: truncated to the OAS */
        sig->msi_data = (uint32_t)fget(cmd, F_CMD_SYNC_msidata);
    } else if (cs == 2) {
        sig->sev = idr0(s, F_IDR0_sev);
    }
    return SMMUV3_CERROR_NONE;
}

static void sync_complete(smmuv3 *s, smmu_regs *b, const smmu_sync_signal *sig)
{
    if (sig->sev)
        s->stats.sev++;
    if (!sig->irq)
        return;
    if (sig->msi) {
        if (!smmu_msi_send_bank(s, b, sig->msi_addr, sig->msi_data))
            smmu_gerror_raise_bank(s, b, (uint32_t)smmu_fmask(F_GERROR_msi_cmdq_abt_err));
    } else {
        smmu_irq_raise_bank(s, b, SMMUV3_IRQ_CMD_SYNC);
    }
}

void smmu_cmdq_process_bank(smmuv3 *s, smmu_regs *b)
{
    if (!s || b->in_cmdq)
        return;
    bool secure = smmu_bank_secure(s, b);
    b->in_cmdq = true;
    cmdq_geom g;
    cmdq_geometry(s, b, &g);
    uint32_t p0 = b->cmdq.prod & g.ptr_mask, c0 = b->cmdq.cons & g.ptr_mask;
    bool was_full = (p0 ^ c0) == g.idx_mask + 1;   /* same index, wrap bits differ */
    /* Bounded: at most one full queue of commands per round. A host callback
     * (CMD_SYNC interrupt or MSI) that writes CMDQ_PROD during a round earns
     * another round, so that its write, too, returns with its commands run
     * (API.md); without producer writes the call ends after one round. */
    uint32_t round_prod = b->cmdq.prod;
    for (uint32_t budget = g.idx_mask + 1;; budget--) {
        if (budget == 0) {
            if (b->cmdq.prod == round_prod)
                break;
            round_prod = b->cmdq.prod;
            cmdq_geometry(s, b, &g);
            budget = g.idx_mask + 1;
        }
        if (!cmdq_enabled(b) || cmdq_error_active(b))
            break;
        cmdq_geometry(s, b, &g);
        uint32_t prod = b->cmdq.prod & g.ptr_mask;
        uint32_t cons = b->cmdq.cons & g.ptr_mask;
        if (prod == cons)
            break;
        uint8_t raw[CMD_BYTES];
        uint64_t cmd[2];
        uint64_t addr = g.base + (uint64_t)(cons & g.idx_mask) * CMD_BYTES;
        /* After an error the loop goes round: processing stops unless a
         * GERROR interrupt handler has already acknowledged it through
         * GERRORN (whose own restart returned at once, in_cmdq), in which
         * case it restarts at CMDQ_CONS (7.1, API.md). */
        /* 3.10.2: the Secure Command queue is in the Secure PA space. */
        if (smmu_host_read_pas(s, !secure, addr, raw, sizeof(raw))) {
            cmdq_error(s, b, SMMUV3_CERROR_ABT);
            continue;
        }
        le_load(cmd, raw, 2);
        smmu_sync_signal sig = { 0 };
        unsigned err = secure ? smmu_cmd_execute_secure(s, cmd, &sig) : smmu_cmd_execute_ns(s, cmd, &sig);
        if (!err) {
            /* An invalidation removes cache entries that the translation
             * memo may be holding shortcuts to: empty it before anything
             * else can translate (a CMD_SYNC interrupt or MSI handler, or
             * the invalidation sink, may, from inside this write). */
            smmu_state_changed(s);
            /* vSMMU: the applied invalidation goes on to the host; a
             * refusal is CERROR_ILL on this command (model/vsmmu/sink.c).
             * The sink sees the Non-secure queue's commands only. */
            if (!secure)
                err = smmu_inval_forward(s, cmd);
        }
        if (err) {
            cmdq_error(s, b, err);
            continue;
        }
        s->stats.commands++;
        cons = (cons + 1) & g.ptr_mask;
        b->cmdq.cons = (uint32_t)(b->cmdq.cons & smmu_fmask(F_Q_CONS_err)) | cons;
        if (was_full) {
            was_full = false;
            if (idr0(s, F_IDR0_sev))
                s->stats.sev++;   /* 4.1.2: the queue became non-full */
        }
        sync_complete(s, b, &sig);
    }
    b->in_cmdq = false;
}
