/* SPDX-License-Identifier: MIT */
/*
 * The register file (IHI 0070 H.a 6.2 map, 6.3 registers) and the side effects
 * of register writes: CR0/CR0ACK enables, GBPA updates, the IRQ_CTRL/ACK
 * handshake, the GERROR/GERRORN toggle protocol, queue and stream table base
 * registers, and the PROD/CONS indexes of the three queues.
 *
 * Access sizes (6.2): every register takes 32-bit accesses. The 64-bit
 * registers (*_BASE, *_IRQ_CFG0) also take 64-bit accesses; a 32-bit access
 * to either half reads or replaces that half. A 64-bit access anywhere else
 * is carried out as two 32-bit accesses, low word first (so an 8-byte read
 * at CMDQ_PROD returns CMDQ_PROD | CMDQ_CONS << 32, as FreeBSD expects).
 * Unknown offsets and unimplemented registers read 0 and ignore writes; RO
 * registers ignore writes; RES0 bits read 0.
 *
 * Both programming interfaces (3.10.2: "as though two logical and separate
 * SMMUs are present") run through this one code path: every function takes
 * the bank (s->r, or the Secure s->sr) and the Non-secure frame's offset of
 * the register; regs/secure_regs.c maps the Secure frame (6.2) onto it. The
 * Secure bank has no PRI queue, no ATSCHK, and takes its STALL_MODEL and MSI
 * from SMMU_S_IDR0; SMMU_S_CR0 adds SIF and NSSTALLD (6.3.57).
 *
 * Choices where the spec leaves one open (each is tested in tests/test_regs.c):
 * - CR0ACK follows CR0 as soon as the write returns ("Update" is immediate).
 *   CR0 bits of unimplemented features (PRIQEN without PRI, ATSCHK without
 *   ATS, VMW without IDR0.VMW) are RES0.
 * - CR1.QUEUE_* are writable only while every queue enable is 0 and
 *   CR1.TABLE_* only while SMMUEN is 0 (6.3.11, field by field);
 *   CR2, STRTAB_BASE and STRTAB_BASE_CFG only while CR0ACK.SMMUEN == 0
 *   (6.3.12: "In SMMUv3.2 and later, ignore the write is the only permitted
 *   behavior"); *_BASE only while that queue is disabled. Writes at other
 *   times are ignored.
 * - PROD/CONS: the SMMU-owned index of each queue (CMDQ_CONS, EVENTQ_PROD,
 *   PRIQ_PROD) is writable only while the queue is disabled; the
 *   software-owned index (CMDQ_PROD, EVENTQ_CONS, PRIQ_CONS) always.
 *   In the SMMU-owned index, bits [19:QS+1] read as zero (6.3.28), QS being
 *   the effective (capped) LOG2SIZE; in the software-owned index they are
 *   stored and read back as written but never used (SMMU_EVENTQ_CONS: "might
 *   be stored but has no other effect"). A CMDQ_CONS write while CMDQEN == 0
 *   also sets ERR (6.3.28 permits either).
 * - Queue and stream table base addresses: bits above IDR5.OAS and RES0 bits
 *   are not stored (read as 0). RA/WA read back but never reach an address.
 *   The effective queue base is aligned down to max(32, queue bytes)
 *   (6.3.26 SMMU_CMDQ_BASE, 6.3.29 SMMU_EVENTQ_BASE).
 * - *_BASE.LOG2SIZE larger than IDR1.{CMDQS,EVENTQS,PRIQS} reads back as
 *   written and is capped to the IDR1 maximum for every use (6.3.26).
 * - GBPA: a write with UPDATE == 0 is ignored; with UPDATE == 1 the fields
 *   take effect at once and UPDATE reads 0. Reset value 0x1000 (SHCFG = use
 *   incoming, ABORT = 0: bypass while SMMUEN == 0). AGBPA is not implemented
 *   (reads 0).
 * - GERRORN holds the last value written to its implemented bits (6.3.20:
 *   the SMMU never alters it). Toggling the bit of an inactive error is
 *   CONSTRAINED UNPREDICTABLE; here it activates that error (without an
 *   interrupt), with its usual effect (e.g. CMDQ_ERR stops command
 *   processing, EVENTQ_ABT_ERR makes the event queue unwritable) until it is
 *   toggled back. Acknowledging CMDQ_ERR restarts command processing at
 *   CMDQ_CONS (7.1).
 * - *_IRQ_CFG0/1/2 are Guarded by their IRQ_CTRL enable (SMMU_GERROR_IRQ_CFG0
 *   and the other *_IRQ_CFGn "Accessing" rules): writes are
 *   ignored unless the enable is 0 in both IRQ_CTRL and IRQ_CTRLACK.
 * - *_IRQ_CFG0/1/2 exist only when IDR0.MSI == 1 (RAZ/WI otherwise); PRI
 *   queue registers only when IDR0.PRI == 1.
 * - A transition of SMMUEN from 1 to 0 marks every stalled transaction for
 *   termination with abort (6.3.9.6): smmu_stalls_disable() keeps the slots
 *   so that the device's next poll reads the abort answer.
 */
#include <string.h>
#include "model/smmu.h"
#include "model/snapshot.h"

#define CR0_BIT(f) ((uint32_t)smmu_fmask(F_CR0_##f))
#define GERR_BIT(f) ((uint32_t)smmu_fmask(F_GERROR_##f))

/* ------------------------------------------------------------ masks */
static bool has_msi(const smmuv3 *s, const smmu_regs *b) { return rget(smmu_bank_idr0(s, b), F_IDR0_msi) != 0; }
static bool has_pri(const smmuv3 *s, const smmu_regs *b) { return !smmu_bank_secure(s, b) && rget(s->idr[0], F_IDR0_pri) != 0; }
static bool ack(const smmu_regs *b, uint32_t bit) { return (b->cr0ack & bit) != 0; }

static uint32_t cr0_mask(const smmuv3 *s, const smmu_regs *b)
{
    uint32_t m = CR0_BIT(smmuen) | CR0_BIT(eventqen) | CR0_BIT(cmdqen);
    if (smmu_bank_secure(s, b)) {
        /* 6.3.57: SIF always; NSSTALLD only when S_IDR0.STALL_MODEL == 0b00;
         * VMW when SMMU_IDR0.VMW. */
        m |= (uint32_t)smmu_fmask(F_S_CR0_sif);
        if (rget(s->s_idr[0], F_IDR0_stall_model) == SMMUV3_STALL_AND_TERM)
            m |= (uint32_t)smmu_fmask(F_S_CR0_nsstalld);
        if (rget(s->idr[0], F_IDR0_vmw))
            m |= CR0_BIT(vmw);
        return m;
    }
    if (rget(s->idr[0], F_IDR0_pri))
        m |= CR0_BIT(priqen);
    if (rget(s->idr[0], F_IDR0_ats))
        m |= CR0_BIT(atschk);
    if (rget(s->idr[0], F_IDR0_vmw))
        m |= CR0_BIT(vmw);
    return m;
}

static uint32_t cr1_queue_mask(void)
{
    return (uint32_t)(smmu_fmask(F_CR1_queue_ic) | smmu_fmask(F_CR1_queue_oc) | smmu_fmask(F_CR1_queue_sh));
}

static uint32_t cr1_table_mask(void)
{
    return (uint32_t)(smmu_fmask(F_CR1_table_ic) | smmu_fmask(F_CR1_table_oc) | smmu_fmask(F_CR1_table_sh));
}

static uint32_t cr2_mask(const smmuv3 *s, const smmu_regs *b)
{
    uint32_t m = (uint32_t)smmu_fmask(F_CR2_recinvsid);
    /* S_CR2.E2H selects the Secure EL2-E2H regime: only with SEL2. */
    bool e2h = smmu_bank_secure(s, b) ? rget(s->s_idr[1], F_S_IDR1_sel2) != 0 : rget(s->idr[0], F_IDR0_hyp) != 0;
    if (e2h)
        m |= (uint32_t)smmu_fmask(F_CR2_e2h);
    if (rget(s->idr[0], F_IDR0_btm))
        m |= (uint32_t)smmu_fmask(F_CR2_ptm);
    return m;
}

/* GBPA; S_GBPA also has NSCFG (6.3.63). */
static uint32_t gbpa_mask(const smmuv3 *s, const smmu_regs *b)
{
    if (smmu_bank_secure(s, b))
        return gbpa_mask(s, &s->r) | (uint32_t)smmu_fmask(F_GBPA_nscfg);
    return (uint32_t)(smmu_fmask(F_GBPA_memattr) | smmu_fmask(F_GBPA_mtcfg) |
                      smmu_fmask(F_GBPA_alloccfg) | smmu_fmask(F_GBPA_shcfg) |
                      smmu_fmask(F_GBPA_privcfg) | smmu_fmask(F_GBPA_instcfg) |
                      smmu_fmask(F_GBPA_abort));
}

static uint32_t irq_ctrl_mask(const smmuv3 *s, const smmu_regs *b)
{
    uint32_t m = (uint32_t)(smmu_fmask(F_IRQ_CTRL_gerror_irqen) | smmu_fmask(F_IRQ_CTRL_eventq_irqen));
    if (has_pri(s, b))
        m |= (uint32_t)smmu_fmask(F_IRQ_CTRL_priq_irqen);
    return m;
}

static uint32_t gerror_mask(const smmuv3 *s, const smmu_regs *b)
{
    uint32_t m = GERR_BIT(cmdq_err) | GERR_BIT(eventq_abt_err) | GERR_BIT(sfm_err);
    if (has_msi(s, b))
        m |= GERR_BIT(msi_cmdq_abt_err) | GERR_BIT(msi_eventq_abt_err) | GERR_BIT(msi_gerror_abt_err);
    if (has_pri(s, b)) {
        m |= GERR_BIT(priq_abt_err);
        if (has_msi(s, b))
            m |= GERR_BIT(msi_priq_abt_err);
    }
    return m;
}

static uint64_t irq_cfg0_mask(const smmuv3 *s)
{
    return smmu_fmask(F_IRQ_CFG0_addr) & smmu_oas_mask(s);
}

static uint32_t irq_cfg2_mask(void)
{
    return (uint32_t)(smmu_fmask(F_IRQ_CFG2_memattr) | smmu_fmask(F_IRQ_CFG2_sh));
}

/* SMMU_PRIQ_IRQ_CFG2 adds LO (Last Only, 6.3.36). */
static uint32_t priq_cfg2_mask(void)
{
    return irq_cfg2_mask() | (uint32_t)smmu_fmask(F_PRIQ_IRQ_CFG2_lo);
}

static uint64_t strtab_base_mask(const smmuv3 *s)
{
    return (smmu_fmask(F_STRTAB_BASE_addr) & smmu_oas_mask(s)) | smmu_fmask(F_STRTAB_BASE_ra);
}

/* FMT and SPLIT exist only when IDR0.ST_LEVEL != 0b00; otherwise they are
 * RES0 (IHI 0070 6.3.25, 6.3.73) and read as zero (6.2). */
static uint32_t strtab_cfg_mask(const smmuv3 *s)
{
    uint32_t m = (uint32_t)smmu_fmask(F_STRTAB_BASE_CFG_log2size);
    if (rget(s->idr[0], F_IDR0_st_level))
        m |= (uint32_t)(smmu_fmask(F_STRTAB_BASE_CFG_split) | smmu_fmask(F_STRTAB_BASE_CFG_fmt));
    return m;
}

static uint64_t q_base_mask(const smmuv3 *s)
{
    return (smmu_fmask(F_Q_BASE_addr) & smmu_oas_mask(s)) | smmu_fmask(F_Q_BASE_wa_ra) |
           smmu_fmask(F_Q_BASE_log2size);
}


/* Index and wrap bits of a queue: LOG2SIZE capped at the IDR1 maximum (6.3.26). */
static uint32_t q_ptr_mask(const smmu_queue *q, uint32_t idr1_field, const smmuv3 *s)
{
    unsigned l = (unsigned)rget(q->base, F_Q_BASE_log2size);
    unsigned max = (unsigned)rget(s->idr[1], idr1_field);
    if (l > max)
        l = max;
    return (2u << l) - 1;
}

/* *_IRQ_CFGn are writable only while their interrupt is disabled. */
static bool irq_cfg_writable(const smmu_regs *b, uint32_t irqen_field)
{
    return !rget(b->irq_ctrl, irqen_field) && !rget(b->irq_ctrlack, irqen_field);
}

/* ------------------------------------------------------------ reset */
void smmu_regs_reset(smmuv3 *s)
{
    memset(&s->r, 0, sizeof(s->r));
    memset(&s->sr, 0, sizeof(s->sr));
    /* (S_)GBPA: SHCFG = 0b01 (use incoming), bypass (ABORT = 0). */
    s->r.gbpa = (uint32_t)rset(0, F_GBPA_shcfg, 1);
    s->sr.gbpa = s->r.gbpa;
    s->s_init = 0;
    smmu_sregs_nsstalld_apply(s);
}

/* ------------------------------------------------------------ 64-bit registers */
/* The 64-bit registers, by base offset; NULL when the offset is not one. */
static uint64_t *reg64_slot(smmuv3 *s, smmu_regs *b, uint64_t off)
{
    switch (off) {
    case REG_GERROR_IRQ_CFG0: return has_msi(s, b) ? &b->gerror_irq_cfg0 : NULL;
    case REG_STRTAB_BASE: return &b->strtab_base;
    case REG_CMDQ_BASE: return &b->cmdq.base;
    case REG_EVENTQ_BASE: return &b->eventq.base;
    case REG_EVENTQ_IRQ_CFG0: return has_msi(s, b) ? &b->eventq.irq_cfg0 : NULL;
    case REG_PRIQ_BASE: return has_pri(s, b) ? &b->priq.base : NULL;
    case REG_PRIQ_IRQ_CFG0: return has_pri(s, b) && has_msi(s, b) ? &b->priq.irq_cfg0 : NULL;
    default: return NULL;
    }
}

/* The 64-bit registers and their write rules: an *_IRQ_CFG0 is writable only
 * while its interrupt is disabled, a table or queue base only while its CR0
 * enable is acknowledged off (6.3.12, 6.3.20, 6.3.24); `mask` is what is kept. */
typedef struct reg64_rule {
    uint32_t off;
    bool irq;          /* enable is an IRQ_CTRL field; else a CR0 field */
    uint32_t enable;
    uint64_t (*mask)(const smmuv3 *s);
} reg64_rule;

static const reg64_rule reg64_rules[] = {
    { REG_GERROR_IRQ_CFG0, true, F_IRQ_CTRL_gerror_irqen, irq_cfg0_mask },
    { REG_EVENTQ_IRQ_CFG0, true, F_IRQ_CTRL_eventq_irqen, irq_cfg0_mask },
    { REG_PRIQ_IRQ_CFG0, true, F_IRQ_CTRL_priq_irqen, irq_cfg0_mask },
    { REG_STRTAB_BASE, false, F_CR0_smmuen, strtab_base_mask },
    { REG_CMDQ_BASE, false, F_CR0_cmdqen, q_base_mask },
    { REG_EVENTQ_BASE, false, F_CR0_eventqen, q_base_mask },
    { REG_PRIQ_BASE, false, F_CR0_priqen, q_base_mask },
};

static const reg64_rule *reg64_find(uint64_t off)
{
    for (size_t i = 0; i < sizeof(reg64_rules) / sizeof(reg64_rules[0]); i++)
        if (reg64_rules[i].off == off)
            return &reg64_rules[i];
    return NULL;
}

static bool is_reg64(uint64_t off)
{
    return reg64_find(off) != NULL;
}

static void write_reg64(smmuv3 *s, smmu_regs *b, uint64_t off, uint64_t v)
{
    uint64_t *slot = reg64_slot(s, b, off);
    const reg64_rule *r = reg64_find(off);
    if (!slot || !r)
        return;
    if (r->irq ? irq_cfg_writable(b, r->enable) : !rget(b->cr0ack, r->enable))
        *slot = v & r->mask(s);
}

/* ------------------------------------------------------------ 32-bit registers */
/* The ID registers of a bank: IDR0..5, IIDR and AIDR, or SMMU_S_IDR0..4. */
static uint32_t idreg(const smmuv3 *s, const smmu_regs *b, uint64_t off)
{
    unsigned i = (unsigned)(off / 4);
    if (smmu_bank_secure(s, b))
        return i < 5 ? s->s_idr[i] : 0;
    if (i < 6)
        return s->idr[i];
    return off == REG_IIDR ? s->iidr : s->aidr;
}

static uint32_t read32(smmuv3 *s, smmu_regs *b, uint64_t off)
{
    if (is_reg64(off & ~7ull)) {
        uint64_t *slot = reg64_slot(s, b, off & ~7ull);
        if (!slot)
            return 0;
        return (uint32_t)(*slot >> ((off & 4) * 8));
    }
    switch (off) {
    case REG_IDR0: case REG_IDR1: case REG_IDR2: case REG_IDR3: case REG_IDR4: case REG_IDR5:
    case REG_IIDR: case REG_AIDR:
        return idreg(s, b, off);
    case REG_CR0: return b->cr0;
    case REG_CR0ACK: return b->cr0ack;
    case REG_CR1: return b->cr1;
    case REG_CR2: return b->cr2;
    case REG_STATUSR: return 0;
    case REG_GBPA: return b->gbpa;
    case REG_AGBPA: return 0;
    case REG_IRQ_CTRL: return b->irq_ctrl;
    case REG_IRQ_CTRLACK: return b->irq_ctrlack;
    case REG_GERROR: return b->gerror;
    case REG_GERRORN: return b->gerrorn;
    case REG_GERROR_IRQ_CFG1: return has_msi(s, b) ? b->gerror_irq_cfg1 : 0;
    case REG_GERROR_IRQ_CFG2: return has_msi(s, b) ? b->gerror_irq_cfg2 : 0;
    case REG_STRTAB_BASE_CFG: return b->strtab_base_cfg;
    case REG_CMDQ_PROD: return b->cmdq.prod;
    case REG_CMDQ_CONS:
        return b->cmdq.cons & ((uint32_t)smmu_fmask(F_Q_CONS_err) | q_ptr_mask(&b->cmdq, F_IDR1_cmdqs, s));
    case REG_EVENTQ_IRQ_CFG1: return has_msi(s, b) ? b->eventq.irq_cfg1 : 0;
    case REG_EVENTQ_IRQ_CFG2: return has_msi(s, b) ? b->eventq.irq_cfg2 : 0;
    case REG_PRIQ_IRQ_CFG1: return has_pri(s, b) && has_msi(s, b) ? b->priq.irq_cfg1 : 0;
    case REG_PRIQ_IRQ_CFG2: return has_pri(s, b) && has_msi(s, b) ? b->priq.irq_cfg2 : 0;
    case REG_EVENTQ_PROD:
        return b->eventq.prod & ((uint32_t)smmu_fmask(F_Q_PROD_ovflg) | q_ptr_mask(&b->eventq, F_IDR1_eventqs, s));
    case REG_EVENTQ_CONS: return b->eventq.cons;
    case REG_PRIQ_PROD:
        if (!has_pri(s, b))
            return 0;
        return b->priq.prod & ((uint32_t)smmu_fmask(F_Q_PROD_ovflg) | q_ptr_mask(&b->priq, F_IDR1_priqs, s));
    case REG_PRIQ_CONS: return has_pri(s, b) ? b->priq.cons : 0;
    default: return 0;
    }
}

static void write_cr0(smmuv3 *s, smmu_regs *b, uint32_t v)
{
    uint32_t old = b->cr0ack;
    v &= cr0_mask(s, b);
    b->cr0 = v;
    b->cr0ack = v;
    if (smmu_bank_secure(s, b) && ((old ^ v) & smmu_fmask(F_S_CR0_nsstalld)))
        smmu_sregs_nsstalld_apply(s);
    /* 6.3.9.6: SMMUEN 1 -> 0 terminates every stalled transaction with abort. */
    if ((old & CR0_BIT(smmuen)) && !(v & CR0_BIT(smmuen)))
        smmu_stalls_disable_sec(s, smmu_bank_secure(s, b));
    if (!(old & CR0_BIT(cmdqen)) && (v & CR0_BIT(cmdqen)))
        smmu_cmdq_process_bank(s, b);     /* API.md: enabling the queue processes it */
}

static void write_gerrorn(smmuv3 *s, smmu_regs *b, uint32_t v)
{
    uint32_t cmdq_err = GERR_BIT(cmdq_err);
    bool was_active = ((b->gerror ^ b->gerrorn) & cmdq_err) != 0;
    b->gerrorn = v & gerror_mask(s, b);
    bool now_active = ((b->gerror ^ b->gerrorn) & cmdq_err) != 0;
    if (was_active && !now_active)
        smmu_cmdq_process_bank(s, b);     /* 7.1: restart at CMDQ_CONS */
}

static uint32_t prod_mask(void) { return (uint32_t)(smmu_fmask(F_Q_PROD_wr) | smmu_fmask(F_Q_PROD_ovflg)); }
static uint32_t cons_mask(void) { return (uint32_t)(smmu_fmask(F_Q_CONS_rd) | smmu_fmask(F_Q_CONS_ovackflg)); }

static void write32(smmuv3 *s, smmu_regs *b, uint64_t off, uint32_t v)
{
    if (is_reg64(off & ~7ull)) {
        uint64_t *slot = reg64_slot(s, b, off & ~7ull);
        if (!slot)
            return;
        uint64_t cur = *slot;
        uint64_t nv = (off & 4) ? ((cur & 0xffffffffull) | ((uint64_t)v << 32))
                                : ((cur & ~0xffffffffull) | v);
        write_reg64(s, b, off & ~7ull, nv);
        return;
    }
    switch (off) {
    case REG_CR0:
        write_cr0(s, b, v);
        break;
    case REG_CR1: {
        uint32_t m = 0;
        if (!(b->cr0ack & (CR0_BIT(cmdqen) | CR0_BIT(eventqen) | CR0_BIT(priqen))))
            m |= cr1_queue_mask();
        if (!ack(b, CR0_BIT(smmuen)))
            m |= cr1_table_mask();
        b->cr1 = (b->cr1 & ~m) | (v & m);
        break;
    }
    case REG_CR2:
        if (!ack(b, CR0_BIT(smmuen)))
            b->cr2 = v & cr2_mask(s, b);
        break;
    case REG_GBPA:
        if (rget(v, F_GBPA_update))
            b->gbpa = v & gbpa_mask(s, b);   /* UPDATE completes at once: reads 0 */
        break;
    case REG_IRQ_CTRL:
        b->irq_ctrl = v & irq_ctrl_mask(s, b);
        b->irq_ctrlack = b->irq_ctrl;
        break;
    case REG_GERRORN:
        write_gerrorn(s, b, v);
        break;
    case REG_GERROR_IRQ_CFG1:
        if (has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_gerror_irqen))
            b->gerror_irq_cfg1 = v;
        break;
    case REG_GERROR_IRQ_CFG2:
        if (has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_gerror_irqen))
            b->gerror_irq_cfg2 = v & irq_cfg2_mask();
        break;
    case REG_STRTAB_BASE_CFG:
        if (!ack(b, CR0_BIT(smmuen)))
            b->strtab_base_cfg = v & strtab_cfg_mask(s);
        break;
    case REG_CMDQ_PROD:
        b->cmdq.prod = v & (uint32_t)smmu_fmask(F_Q_PROD_wr);
        smmu_cmdq_process_bank(s, b);   /* returns at once unless CMDQEN and no error */
        break;
    case REG_CMDQ_CONS:
        if (!ack(b, CR0_BIT(cmdqen)))
            b->cmdq.cons = v & (uint32_t)(smmu_fmask(F_Q_CONS_rd) | smmu_fmask(F_Q_CONS_err));
        break;
    case REG_EVENTQ_IRQ_CFG1:
        if (has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_eventq_irqen))
            b->eventq.irq_cfg1 = v;
        break;
    case REG_EVENTQ_IRQ_CFG2:
        if (has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_eventq_irqen))
            b->eventq.irq_cfg2 = v & irq_cfg2_mask();
        break;
    case REG_PRIQ_IRQ_CFG1:
        if (has_pri(s, b) && has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_priq_irqen))
            b->priq.irq_cfg1 = v;
        break;
    case REG_PRIQ_IRQ_CFG2:
        if (has_pri(s, b) && has_msi(s, b) && irq_cfg_writable(b, F_IRQ_CTRL_priq_irqen))
            b->priq.irq_cfg2 = v & priq_cfg2_mask();
        break;
    case REG_EVENTQ_PROD:
        if (!ack(b, CR0_BIT(eventqen)))
            b->eventq.prod = v & prod_mask();
        break;
    case REG_EVENTQ_CONS:
        b->eventq.cons = v & cons_mask();
        break;
    case REG_PRIQ_PROD:
        if (has_pri(s, b) && !ack(b, CR0_BIT(priqen)))
            b->priq.prod = v & prod_mask();
        break;
    case REG_PRIQ_CONS:
        if (has_pri(s, b))
            b->priq.cons = v & cons_mask();
        break;
    default:
        break;   /* RO, unknown or unimplemented: write ignored */
    }
}

/* ------------------------------------------------------------ entry points */
uint64_t smmu_bank_read(smmuv3 *s, smmu_regs *b, uint64_t offset, unsigned size)
{
    if (size == 8) {
        if (is_reg64(offset)) {
            uint64_t *slot = reg64_slot(s, b, offset);
            return slot ? *slot : 0;
        }
        return (uint64_t)read32(s, b, offset) | ((uint64_t)read32(s, b, offset + 4) << 32);
    }
    return read32(s, b, offset);
}

void smmu_bank_write(smmuv3 *s, smmu_regs *b, uint64_t offset, uint64_t value, unsigned size)
{
    if (size == 8) {
        if (is_reg64(offset)) {
            write_reg64(s, b, offset, value);
            return;
        }
        write32(s, b, offset, (uint32_t)value);
        write32(s, b, offset + 4, (uint32_t)(value >> 32));
        return;
    }
    write32(s, b, offset, (uint32_t)value);
}

/* ------------------------------------------------------------ snapshots */
/* The values each field of the register file can hold (what the writes above
 * store): a restore accepts nothing else (model/snapshot.c). Index bits above
 * a queue's current size are legal: they are stored and become visible when
 * LOG2SIZE grows. */
static bool queue_valid(const smmuv3 *s, const smmu_regs *b, const smmu_queue *q, bool present, bool has_irq,
                        uint32_t prod_m, uint32_t cons_m, uint32_t cfg2_m)
{
    if (!present)
        return !q->base && !q->prod && !q->cons && !q->irq_cfg0 && !q->irq_cfg1 && !q->irq_cfg2;
    if ((q->base & ~q_base_mask(s)) || (q->prod & ~prod_m) || (q->cons & ~cons_m))
        return false;
    if (!has_irq || !has_msi(s, b))
        return !q->irq_cfg0 && !q->irq_cfg1 && !q->irq_cfg2;
    return !(q->irq_cfg0 & ~irq_cfg0_mask(s)) && !(q->irq_cfg2 & ~cfg2_m);
}

bool smmu_regs_valid(const smmuv3 *s, const smmu_regs *b, const smmu_regs *r)
{
    if (smmu_bank_secure(s, b) && !smmu_secure_impl(s)) {
        smmu_regs zero;
        memset(&zero, 0, sizeof(zero));
        zero.gbpa = s->sr.gbpa;   /* the reset value */
        return !memcmp(r, &zero, sizeof(zero));
    }
    if ((r->cr0 & ~cr0_mask(s, b)) || r->cr0ack != r->cr0 ||
        (r->cr1 & ~(cr1_queue_mask() | cr1_table_mask())) || (r->cr2 & ~cr2_mask(s, b)) ||
        (r->gbpa & ~gbpa_mask(s, b)) || (r->irq_ctrl & ~irq_ctrl_mask(s, b)) || r->irq_ctrlack != r->irq_ctrl ||
        ((r->gerror | r->gerrorn) & ~gerror_mask(s, b)) || (r->strtab_base & ~strtab_base_mask(s)) ||
        (r->strtab_base_cfg & ~strtab_cfg_mask(s)))
        return false;
    if (has_msi(s, b) ? (r->gerror_irq_cfg0 & ~irq_cfg0_mask(s)) || (r->gerror_irq_cfg2 & ~irq_cfg2_mask())
                   : r->gerror_irq_cfg0 || r->gerror_irq_cfg1 || r->gerror_irq_cfg2)
        return false;
    uint32_t cmdq_cons = (uint32_t)(smmu_fmask(F_Q_CONS_rd) | smmu_fmask(F_Q_CONS_err));
    return queue_valid(s, b, &r->cmdq, true, false, (uint32_t)smmu_fmask(F_Q_PROD_wr), cmdq_cons, 0) &&
           queue_valid(s, b, &r->eventq, true, true, prod_mask(), cons_mask(), irq_cfg2_mask()) &&
           queue_valid(s, b, &r->priq, has_pri(s, b), true, prod_mask(), cons_mask(), priq_cfg2_mask());
}

uint16_t smmu_inval_vmid_care(const smmuv3 *s, bool secure)
{
    uint16_t care = s->cfg.vmid16 ? 0xffff : 0xff;
    if (rget(s->idr[0], F_IDR0_vmw)) {
        unsigned w = (unsigned)rget(secure ? s->sr.cr0 : s->r.cr0, F_CR0_vmw);
        if (w >= 1 && w <= 4)
            care &= (uint16_t)~((1u << w) - 1);
    }
    return care;
}
