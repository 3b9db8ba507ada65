/* SPDX-License-Identifier: MIT */
/*
 * The Secure register frame (IHI 0070 H.a 3.10.2, 6.2, 6.3.52-6.3.77).
 *
 * The Secure programming interface is a second bank of the same registers
 * (s->sr), run by regs.c's one code path; this file places it in the frame
 * and adds what only the Secure side has:
 * - Offsets: page 0 from 0x8000, each SMMU_S_x at 0x8000 + the offset of
 *   SMMU_x in page 0, except S_EVENTQ_PROD/CONS at 0x80A8/0x80AC (their
 *   Non-secure twins live in page 1) (6.2). No S_IDR5, S_IIDR, S_AIDR,
 *   S_STATUSR or Secure PRI queue: those offsets read 0 and ignore writes.
 * - Access (6.3.52 ff., "Accessing"): every SMMU_S_* register, S_INIT
 *   included (6.3.62), is RAZ/WI to a Non-secure access, and to every
 *   access when SMMU_S_IDR1.SECURE_IMPL == 0 (3.10.2). A Secure access to
 *   any other offset reaches the Non-secure register there (the frame is
 *   one; only the S_ half is guarded).
 * - SMMU_S_IDR0: STALL_MODEL and MSI as the profile's (cfg.stall_model,
 *   cfg.msi); ECMDQ 0. SMMU_S_IDR1: SECURE_IMPL, SEL2 (cfg.sel2, only with
 *   both stages, 6.3.53, and IDR3.STT, 6.3.4), S_SIDSIZE (cfg.s_sidsize).
 *   S_IDR2..4 read 0 (no Secure VATOS, no SAMS).
 * - SMMU_S_INIT.INV_ALL (6.3.62): invalidates every configuration and
 *   translation cache of both Security states at once and reads 0 (the
 *   operation has completed when the write returns). Written while any
 *   SMMUEN (S_CR0ACK or CR0ACK) is 1, it is CONSTRAINED UNPREDICTABLE; this
 *   model ignores the write (the first permitted behaviour).
 * - SMMU_S_CR0.NSSTALLD (6.3.57.1): with S_IDR0.STALL_MODEL == 0b00, set,
 *   SMMU_IDR0.STALL_MODEL reads 0b01 and the Non-secure interface behaves as
 *   a terminate-only SMMU (RESUME/STALL_TERM are ILLEGAL, stalling STE/CD
 *   configurations are ILLEGAL). The Update is immediate, as every CR0 bit.
 *   Otherwise NSSTALLD is RES0.
 * - SMMU_S_CR0.SIF (6.3.57.2): stored here; translate.c applies it.
 */
#include "model/checker/checker.h"   /* the driver checker sees Secure writes too */

enum { S_FRAME = 0x8000, S_FRAME_END = 0x10000, S_INIT_OFF = 0x3C, S_EVTQ_PROD_OFF = 0xA8,
       S_EVTQ_CONS_OFF = 0xAC };

void smmu_sregs_idr_compute(smmuv3 *s)
{
    const smmuv3_config *c = &s->cfg;
    for (unsigned i = 0; i < 5; i++)
        s->s_idr[i] = 0;
    if (!c->secure_impl)
        return;
    uint64_t r = 0;
    r = rset(r, F_S_IDR0_stall_model, c->stall_model);
    r = rset(r, F_S_IDR0_msi, c->msi);
    s->s_idr[0] = (uint32_t)r;
    r = 0;
    r = rset(r, F_S_IDR1_secure_impl, 1);
    r = rset(r, F_S_IDR1_sel2, c->sel2);
    r = rset(r, F_S_IDR1_s_sidsize, c->s_sidsize);
    s->s_idr[1] = (uint32_t)r;
}

void smmu_sregs_nsstalld_apply(smmuv3 *s)
{
    unsigned model = s->cfg.stall_model;
    if (model == SMMUV3_STALL_AND_TERM && rget(s->sr.cr0ack, F_S_CR0_nsstalld))
        model = SMMUV3_STALL_TERM_ONLY;
    s->idr[0] = (uint32_t)rset(s->idr[0], F_IDR0_stall_model, model);
}

bool smmu_sregs_frame(uint64_t offset)
{
    return offset >= S_FRAME && offset < S_FRAME_END;
}

/* The Non-secure frame's offset of the register at Secure-frame offset `off`
 * (relative to 0x8000). */
static uint64_t bank_offset(uint64_t off)
{
    if (off == S_EVTQ_PROD_OFF)
        return REG_EVENTQ_PROD;
    if (off == S_EVTQ_CONS_OFF)
        return REG_EVENTQ_CONS;
    return off;
}

static bool is_64bit_reg(uint64_t off)
{
    switch (off + S_FRAME) {
    case REG_S_GERROR_IRQ_CFG0: case REG_S_STRTAB_BASE: case REG_S_CMDQ_BASE:
    case REG_S_EVENTQ_BASE: case REG_S_EVENTQ_IRQ_CFG0:
        return true;
    default:
        return false;
    }
}

static uint32_t read32(smmuv3 *s, uint64_t off)
{
    if (off == S_INIT_OFF)
        return s->s_init;
    return (uint32_t)smmu_bank_read(s, &s->sr, bank_offset(off), 4);
}

/* 6.3.62: INV_ALL invalidates all caches for all Security states. */
static void write_init(smmuv3 *s, uint32_t v)
{
    if (!rget(v, F_S_INIT_inv_all))
        return;
    if (rget(s->r.cr0ack, F_CR0_smmuen) || rget(s->sr.cr0ack, F_S_CR0_smmuen))
        return;   /* CONSTRAINED UNPREDICTABLE: the write is IGNORED */
    smmu_cfgcache_flush(s);
    smmu_tlb_flush(s);
    smmu_walkcache_flush(s);
    smmu_state_changed(s);
    s->s_init = 0;   /* completed */
}

static void write32(smmuv3 *s, uint64_t off, uint32_t v)
{
    if (off == S_INIT_OFF) {
        if (s->diag_cb)
            smmu_chk_s_init(s, v);
        write_init(s, v);
        return;
    }
    if (s->diag_cb)
        smmu_chk_mmio_write(s, &s->sr, bank_offset(off), v, 4);
    smmu_bank_write(s, &s->sr, bank_offset(off), v, 4);
}

uint64_t smmu_sregs_read(smmuv3 *s, uint64_t offset, unsigned size)
{
    if (!smmu_secure_impl(s))
        return 0;
    uint64_t off = offset - S_FRAME;
    if (size == 8 && is_64bit_reg(off))
        return smmu_bank_read(s, &s->sr, off, 8);
    if (size == 8)
        return (uint64_t)read32(s, off) | ((uint64_t)read32(s, off + 4) << 32);
    return read32(s, off);
}

void smmu_sregs_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size)
{
    if (!smmu_secure_impl(s))
        return;
    uint64_t off = offset - S_FRAME;
    if (size == 8 && is_64bit_reg(off)) {
        if (s->diag_cb)
            smmu_chk_mmio_write(s, &s->sr, off, value, 8);
        smmu_bank_write(s, &s->sr, off, value, 8);
    } else if (size == 8) {
        write32(s, off, (uint32_t)value);
        write32(s, off + 4, (uint32_t)(value >> 32));
    } else {
        write32(s, off, (uint32_t)value);
    }
}
