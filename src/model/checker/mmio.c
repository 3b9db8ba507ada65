/* SPDX-License-Identifier: MIT */
/*
 * Register writes (driver checker), seen before the model applies them.
 *
 * QUEUE (3.5, 6.3.26..6.3.31, 7.1): a producer index beyond the queue or
 * running more than a queue's worth ahead of the consumer; a consumer index
 * written backwards or past the producer (submitting while CMDQ_ERR is
 * active, or moving PROD back as far as CONS then, is permitted: 7.1, not
 * reported); writes the model ignores that a driver clearly meant:
 * a queue base, CMDQ_CONS or an SMMU-owned PROD written while the queue is
 * enabled (a warm re-initialisation); LOG2SIZE above the IDR1 maximum.
 * MISALIGNED (6.3.24, 6.3.26, 6.3.29): the stream table or a queue base not
 * aligned to its size when it is enabled.
 * UNPREDICTABLE: STRTAB_BASE, STRTAB_BASE_CFG or CR2 written while SMMUEN is
 * set (6.3.24, 6.3.25, 6.3.12: ignored here); Reserved FMT or SPLIT
 * (6.3.25: linear / SPLIT 6 here); GERRORN toggling an error that is not
 * active (6.3.20: activates it here); queues and the stream table
 * overlapping in memory when one of them is enabled.
 * ERROR_IGNORED (7.4, 7.5): commands submitted while a global error other
 * than CMDQ_ERR is still unacknowledged (once per activation); an event or
 * PRI queue consumer
 * index written without acknowledging an overflow (OVACKFLG != OVFLG) after
 * the driver had already emptied the queue without acknowledging it.
 *
 * Both programming interfaces (3.10.2): every rule above holds for the
 * Secure bank (SMMU_S_CR0, SMMU_S_STRTAB_BASE, the Secure queues; the
 * Secure stream table sized by S_IDR1.S_SIDSIZE, no Secure PRI queue) as
 * for the Non-secure one, with the Secure register names in the reports,
 * and each bank's errors and overflows remembered apart. Secure only:
 * SMMU_S_INIT written with INV_ALL while SMMU_S_CR0.SMMUEN or
 * SMMU_CR0.SMMUEN is 1 is UNPREDICTABLE (6.3.62: CONSTRAINED
 * UNPREDICTABLE, the model ignores it).
 */
#include "model/checker/checker.h"

#define NO_ID UINT32_MAX

/* The bank a write goes to: its register names ("" or "S_") and the
 * section that makes the Secure bank behave as the Non-secure one. */
typedef struct bank {
    smmuv3 *s;
    const smmu_regs *b;
    bool sec;
    const char *p;        /* register name prefix */
    const char *sx;       /* "3.10.2, " for the Secure bank */
} bank;

static void bank_of(smmuv3 *s, const smmu_regs *b, bank *k)
{
    k->s = s;
    k->b = b;
    k->sec = smmu_bank_secure(s, b);
    k->p = k->sec ? "S_" : "";
    k->sx = k->sec ? "3.10.2, " : "";
}

typedef struct q_info {
    const char *name;
    const smmu_queue *q;
    uint32_t en;          /* CR0 bit */
    unsigned entry;       /* bytes per entry */
    unsigned max;         /* IDR1 maximum LOG2SIZE */
    unsigned lit;         /* LOG2SIZE as written */
    unsigned log2;        /* effective */
    uint64_t base;        /* as written (address bits) */
    const char *sect;
} q_info;

enum { Q_CMD, Q_EVT, Q_PRI, Q_COUNT };

static void q_get(const bank *k, unsigned which, q_info *qi)
{
    static const char *const names[2][Q_COUNT] = {
        { "command queue", "event queue", "PRI queue" },
        { "Secure command queue", "Secure event queue", "PRI queue" } };
    static const char *const sects[Q_COUNT] = { "6.3.26 SMMU_CMDQ_BASE", "6.3.29 SMMU_EVENTQ_BASE",
                                                "6.3.33 SMMU_PRIQ_BASE" };
    const smmuv3 *s = k->s;
    const smmu_regs *b = k->b;
    qi->name = names[k->sec][which];
    qi->sect = sects[which];
    /* The Secure queues' sizes are bounded by the same IDR1 fields (3.10.2). */
    switch (which) {
    case Q_CMD:
        qi->q = &b->cmdq; qi->en = (uint32_t)smmu_fmask(F_CR0_cmdqen); qi->entry = 16;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_cmdqs);
        break;
    case Q_EVT:
        qi->q = &b->eventq; qi->en = (uint32_t)smmu_fmask(F_CR0_eventqen); qi->entry = 32;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_eventqs);
        break;
    default:
        qi->q = &b->priq; qi->en = (uint32_t)smmu_fmask(F_CR0_priqen); qi->entry = 16;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_priqs);
        break;
    }
    qi->lit = (unsigned)rget(qi->q->base, F_Q_BASE_log2size);
    qi->log2 = qi->lit > qi->max ? qi->max : qi->lit;
    qi->base = fget_addr(&qi->q->base, F_Q_BASE_addr);
}

/* The bank has a PRI queue: the Non-secure one, with IDR0.PRI. */
static bool has_priq(const bank *k)
{
    return !k->sec && rget(k->s->idr[0], F_IDR0_pri);
}

static uint64_t q_bytes(const q_info *qi)
{
    uint64_t b = (uint64_t)qi->entry << qi->log2;
    return b < 32 ? 32 : b;
}

/* Entries from `from` to `to` going forward on a ring of 2^log2 (with wrap bit). */
static uint32_t ring_dist(uint32_t from, uint32_t to, unsigned log2)
{
    return (to - from) & ((2u << log2) - 1);
}

/* ------------------------------------------------------------ enabling */
typedef struct region {
    const char *name;
    uint64_t lo, hi;      /* [lo, hi) */
} region;

static bool strtab_region(const bank *k, region *r, uint64_t *align_out)
{
    const smmuv3 *s = k->s;
    uint32_t cfgr = k->b->strtab_base_cfg;
    unsigned sidsize = k->sec ? s->cfg.s_sidsize : s->cfg.sidsize;
    unsigned lit = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_log2size);
    unsigned l2 = lit > sidsize ? sidsize : lit;
    uint64_t base = fget_addr(&k->b->strtab_base, F_STRTAB_BASE_addr);
    bool two = rget(cfgr, F_STRTAB_BASE_CFG_fmt) == 1 && s->cfg.st_2level;
    unsigned align, bytes_log2;
    if (!two) {
        align = lit + 6;
        bytes_log2 = l2 + 6;
        r->name = k->sec ? "the linear Secure stream table" : "the linear stream table";
    } else {
        unsigned split = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_split);
        if (split != 6 && split != 8 && split != 10)
            split = 6;
        unsigned l1lit = lit > split ? lit - split : 0, l1 = l2 > split ? l2 - split : 0;
        align = l1lit + 3 < 6 ? 6 : l1lit + 3;
        bytes_log2 = l1 + 3;
        r->name = k->sec ? "the level 1 Secure stream table" : "the level 1 stream table";
    }
    if (align > 52 || bytes_log2 > 52)
        return false;
    *align_out = 1ull << align;
    r->lo = base & ~(*align_out - 1);
    r->hi = r->lo + (1ull << bytes_log2);
    return true;
}

static void check_strtab(const bank *k, bool ok, uint64_t align, const region *r)
{
    smmuv3 *s = k->s;
    uint32_t cfgr = k->b->strtab_base_cfg;
    unsigned fmt = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_fmt), split = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_split);
    if (fmt > 1 || (fmt == 1 && !s->cfg.st_2level))
        smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                        "%sSTRTAB_BASE_CFG.FMT %u is Reserved%s: the model uses a linear stream table "
                        "(IHI 0070 %s6.3.25)", k->p, fmt,
                        fmt == 1 ? " without IDR0.ST_LEVEL 2-level support" : "", k->sx);
    if (fmt == 1 && s->cfg.st_2level && split != 6 && split != 8 && split != 10)
        smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                        "%sSTRTAB_BASE_CFG.SPLIT %u is Reserved: the model uses SPLIT 6 (IHI 0070 %s6.3.25)",
                        k->p, split, k->sx);
    uint64_t base = fget_addr(&k->b->strtab_base, F_STRTAB_BASE_addr);
    if (ok && (base & (align - 1)))
        smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, NO_ID, NO_ID, base,
                        "%sSTRTAB_BASE 0x%llx is not aligned to %llu bytes, the size of %s: the SMMU ignores the "
                        "low bits and reads the table at 0x%llx (IHI 0070 %s6.3.24)",
                        k->p, (unsigned long long)base, (unsigned long long)align, r->name,
                        (unsigned long long)r->lo, k->sx);
}

static void check_queue(const bank *k, const q_info *qi)
{
    smmuv3 *s = k->s;
    uint64_t bytes = q_bytes(qi);
    if (qi->lit > qi->max)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, qi->base,
                        "%s LOG2SIZE %u exceeds the IDR1 maximum %u: the SMMU uses 2^%u entries and wraps "
                        "there, not where the driver does (IHI 0070 %s%s)",
                        qi->name, qi->lit, qi->max, qi->max, k->sx, qi->sect);
    if (qi->base & (bytes - 1))
        smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, NO_ID, NO_ID, qi->base,
                        "%s base 0x%llx is not aligned to the queue size (%llu bytes): the SMMU ignores the low "
                        "bits and uses 0x%llx (IHI 0070 %s%s)",
                        qi->name, (unsigned long long)qi->base, (unsigned long long)bytes,
                        (unsigned long long)(qi->base & ~(bytes - 1)), k->sx, qi->sect);
}

/* CR0 write enabling something: alignment of what is enabled, overlaps of
 * everything the bank has enabled afterwards (one bank's structures share
 * its PA space). */
static void check_enable(const bank *k, uint32_t v)
{
    smmuv3 *s = k->s;
    uint32_t old = k->b->cr0ack, on = v & ~old, after = v;
    region rg[Q_COUNT + 1];
    bool fresh[Q_COUNT + 1];
    unsigned n = 0;
    uint32_t smmuen = (uint32_t)smmu_fmask(F_CR0_smmuen);
    if (after & smmuen) {
        uint64_t align = 64;
        bool ok = strtab_region(k, &rg[n], &align);
        if (on & smmuen)
            check_strtab(k, ok, align, &rg[n]);
        if (ok)
            fresh[n++] = (on & smmuen) != 0;
    }
    for (unsigned w = 0; w < Q_COUNT; w++) {
        if (w == Q_PRI && !has_priq(k))
            continue;
        q_info qi;
        q_get(k, w, &qi);
        if (!(after & qi.en))
            continue;
        if (on & qi.en)
            check_queue(k, &qi);
        uint64_t bytes = q_bytes(&qi);
        rg[n].name = qi.name;
        rg[n].lo = qi.base & ~(bytes - 1);
        rg[n].hi = rg[n].lo + bytes;
        fresh[n++] = (on & qi.en) != 0;
    }
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = i + 1; j < n; j++) {
            if (!(fresh[i] || fresh[j]) || rg[i].lo >= rg[j].hi || rg[j].lo >= rg[i].hi)
                continue;
            smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, rg[i].lo > rg[j].lo ? rg[i].lo : rg[j].lo,
                            "%s [0x%llx, 0x%llx) overlaps %s [0x%llx, 0x%llx): the SMMU writes one over the "
                            "other, CONSTRAINED UNPREDICTABLE (IHI 0070 %s3.21)",
                            rg[i].name, (unsigned long long)rg[i].lo, (unsigned long long)rg[i].hi, rg[j].name,
                            (unsigned long long)rg[j].lo, (unsigned long long)rg[j].hi, k->sx);
        }
}

/* ------------------------------------------------------------ indexes */
static void ignored_write(const bank *k, const char *reg, const char *why, const char *sect, int code)
{
    smmu_chk_report(k->s, code, NO_ID, NO_ID, 0,
                    "%s%s written while %s: the write is ignored (CONSTRAINED UNPREDICTABLE; the model ignores "
                    "it), so a re-initialisation does not take effect (IHI 0070 %s%s)", k->p, reg, why, k->sx,
                    sect);
}

static void cmdq_prod(const bank *k, uint32_t v)
{
    smmuv3 *s = k->s;
    const smmu_regs *b = k->b;
    q_info qi;
    q_get(k, Q_CMD, &qi);
    uint32_t ptr = (2u << qi.log2) - 1, wr = v & (uint32_t)smmu_fmask(F_Q_PROD_wr);
    uint32_t cons = b->cmdq.cons & ptr;
    if (wr & ~ptr)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, wr,
                        "%sCMDQ_PROD 0x%x has bits above the wrap bit of a 2^%u-entry queue: the SMMU ignores "
                        "them (IHI 0070 %s6.3.27, 3.5)", k->p, wr, qi.log2, k->sx);
    else if ((b->cr0ack & qi.en) && ring_dist(cons, wr, qi.log2) > (1u << qi.log2))
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, wr,
                        "%sCMDQ_PROD 0x%x is more than 2^%u entries ahead of %sCMDQ_CONS 0x%x (or moved "
                        "backwards): commands are overwritten before they are consumed (IHI 0070 %s3.5)",
                        k->p, wr, qi.log2, k->p, cons, k->sx);
    /* While CMDQ_ERR is active, more commands may be submitted and PROD
     * moved back as far as CONS (IHI 0070 7.1): neither is reported, and
     * CMDQ_ERR is left out of ERROR_IGNORED below. */
    uint32_t active = (b->gerror ^ b->gerrorn);
    uint32_t cmdq_err = (uint32_t)smmu_fmask(F_GERROR_cmdq_err);
    uint32_t *reported = &s->chk->gerror_reported[k->sec];
    *reported &= active;
    uint32_t fresh = active & ~cmdq_err & ~*reported;
    if (fresh) {
        *reported |= fresh;
        smmu_chk_report(s, SMMUV3_DIAG_ERROR_IGNORED, NO_ID, NO_ID, 0,
                        "commands submitted while global error(s) 0x%x (%sGERROR ^ %sGERRORN) are still "
                        "unacknowledged: acknowledge them by toggling %sGERRORN (IHI 0070 %s7.5, 6.3.19)",
                        fresh, k->p, k->p, k->p, k->sx);
    }
}

/* EVENTQ_CONS / PRIQ_CONS: backwards, beyond, overflow not acknowledged. */
static void sw_cons(const bank *k, unsigned which, uint32_t v)
{
    smmuv3 *s = k->s;
    q_info qi;
    q_get(k, which, &qi);
    const char *reg = which == Q_EVT ? "EVENTQ_CONS" : "PRIQ_CONS";
    uint32_t ptr = (2u << qi.log2) - 1, rd = v & (uint32_t)smmu_fmask(F_Q_CONS_rd);
    uint32_t old = qi.q->cons & ptr, prod = qi.q->prod & ptr;
    if (rd & ~ptr)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, rd,
                        "%s%s 0x%x has bits above the wrap bit of a 2^%u-entry queue (IHI 0070 %s%s)",
                        k->p, reg, rd, qi.log2, k->sx, which == Q_EVT ? "6.3.31" : "6.3.35");
    else if ((k->b->cr0ack & qi.en) && ring_dist(old, rd, qi.log2) > ring_dist(old, prod, qi.log2))
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, rd,
                        "%s%s written from 0x%x to 0x%x, backwards or past PROD 0x%x: entries are read twice or "
                        "before they are written (IHI 0070 %s3.5)", k->p, reg, old, rd, prod, k->sx);
    /* An overflow is acknowledged "when it is safe ... after a previous
     * overflow is handled" (6.3.31): a driver may consume the records first
     * and write OVACKFLG after (Linux drains, then acknowledges). It has
     * ignored the overflow only when, having emptied the queue without
     * acknowledging, it goes on consuming without acknowledging. */
    unsigned bit = which == Q_EVT ? 1u : 2u, drained = bit << 2;
    uint8_t *reported = &s->chk->ovf_reported[k->sec];
    uint32_t ovflg = (uint32_t)rget(qi.q->prod, F_Q_PROD_ovflg);
    uint32_t ovack = (uint32_t)rget(qi.q->cons, F_Q_CONS_ovackflg);
    if (ovflg == ovack) {
        *reported &= (uint8_t)~(bit | drained);
        return;
    }
    if (rget(v, F_Q_CONS_ovackflg) == ovflg)
        return;                                   /* this write acknowledges */
    if (!(*reported & drained)) {
        if ((rd & ptr) == prod)
            *reported |= (uint8_t)drained;        /* emptied: the acknowledgement is due */
        return;
    }
    if (!(*reported & bit)) {
        *reported |= (uint8_t)bit;
        smmu_chk_report(s, SMMUV3_DIAG_ERROR_IGNORED, NO_ID, NO_ID, 0,
                        "%s%s written without acknowledging the overflow (OVACKFLG %u, PROD.OVFLG %u): records "
                        "were lost and the driver does not know (IHI 0070 %s7.4)", k->p, reg, (unsigned)!ovflg,
                        ovflg, k->sx);
    }
}

/* GERRORN toggling errors that are not active. */
static void gerrorn(const bank *k, uint32_t v)
{
    const smmuv3 *s = k->s;
    const smmu_regs *b = k->b;
    uint32_t idr0 = smmu_bank_idr0(s, b);
    uint32_t inactive = ~(b->gerror ^ b->gerrorn);
    uint32_t impl = (uint32_t)(smmu_fmask(F_GERROR_cmdq_err) | smmu_fmask(F_GERROR_eventq_abt_err) |
                               smmu_fmask(F_GERROR_sfm_err));
    if (rget(idr0, F_IDR0_msi))
        impl |= (uint32_t)(smmu_fmask(F_GERROR_msi_cmdq_abt_err) | smmu_fmask(F_GERROR_msi_eventq_abt_err) |
                           smmu_fmask(F_GERROR_msi_gerror_abt_err));
    if (has_priq(k))
        impl |= (uint32_t)(smmu_fmask(F_GERROR_priq_abt_err) |
                           (rget(idr0, F_IDR0_msi) ? smmu_fmask(F_GERROR_msi_priq_abt_err) : 0));
    uint32_t toggled = (v ^ b->gerrorn) & inactive & impl;
    if (toggled)
        smmu_chk_report(k->s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                        "%sGERRORN toggles 0x%x, error(s) that are not active: CONSTRAINED UNPREDICTABLE, the "
                        "model activates them (IHI 0070 %s6.3.20)", k->p, toggled, k->sx);
}

/* ------------------------------------------------------------ the hook */
/* The registers whose writes the model ignores while an enable (a CR0 field)
 * is acknowledged: where the value they hold is kept in smmu_regs, and what
 * the report says. PRIQ_* exist only with a Non-secure PRI queue. */
typedef struct guarded {
    uint32_t off;
    uint32_t enable;
    size_t held;          /* offsetof(smmu_regs, ...) */
    bool wide;            /* 64-bit: a 32-bit half is merged and checked whole */
    const char *name, *why, *sect;
    int code;
} guarded;

/* `wide` follows from the held member's size: a 64-bit register is a uint64_t. */
#define G_(reg, en, held, why, sect, code) \
    { REG_##reg, F_CR0_##en, offsetof(smmu_regs, held), sizeof(((smmu_regs *)0)->held) == 8, #reg, why, sect, code }
static const guarded guards[] = {
    G_(STRTAB_BASE, smmuen, strtab_base, "SMMUEN is set", "6.3.24", SMMUV3_DIAG_UNPREDICTABLE),
    G_(STRTAB_BASE_CFG, smmuen, strtab_base_cfg, "SMMUEN is set", "6.3.25", SMMUV3_DIAG_UNPREDICTABLE),
    G_(CR2, smmuen, cr2, "SMMUEN is set", "6.3.12", SMMUV3_DIAG_UNPREDICTABLE),
    G_(CMDQ_BASE, cmdqen, cmdq.base, "the command queue is enabled", "6.3.26", SMMUV3_DIAG_QUEUE),
    G_(CMDQ_CONS, cmdqen, cmdq.cons, "the command queue is enabled", "6.3.28", SMMUV3_DIAG_QUEUE),
    G_(EVENTQ_BASE, eventqen, eventq.base, "the event queue is enabled", "6.3.29", SMMUV3_DIAG_QUEUE),
    G_(EVENTQ_PROD, eventqen, eventq.prod, "the event queue is enabled", "6.3.30", SMMUV3_DIAG_QUEUE),
    G_(PRIQ_BASE, priqen, priq.base, "the PRI queue is enabled", "6.3.33", SMMUV3_DIAG_QUEUE),
    G_(PRIQ_PROD, priqen, priq.prod, "the PRI queue is enabled", "6.3.34", SMMUV3_DIAG_QUEUE),
};
#undef G_

static const guarded *guard_find(uint64_t off)
{
    for (size_t i = 0; i < sizeof(guards) / sizeof(guards[0]); i++)
        if (guards[i].off == off)
            return &guards[i];
    return NULL;
}

static uint64_t guard_held(const smmu_regs *b, const guarded *g)
{
    const char *p = (const char *)b + g->held;
    if (g->wide)
        return *(const uint64_t *)(const void *)p;
    return *(const uint32_t *)(const void *)p;
}

/* v: the whole register after the write. The PRI queue's enable is only ever
 * acknowledged on the Non-secure bank with IDR0.PRI. */
static void guard_check(const bank *k, const guarded *g, uint64_t v)
{
    if (g->enable == F_CR0_priqen && !has_priq(k))
        return;
    if ((k->b->cr0ack & smmu_fmask(g->enable)) && v != guard_held(k->b, g))
        ignored_write(k, g->name, g->why, g->sect, g->code);
}

static void write32(const bank *k, uint64_t off, uint32_t v);

static void write64(const bank *k, uint64_t off, uint64_t v)
{
    const guarded *g = guard_find(off);
    if (g && g->wide) {
        guard_check(k, g, v);
        return;
    }
    write32(k, off, (uint32_t)v);
    write32(k, off + 4, (uint32_t)(v >> 32));
}

static void write32(const bank *k, uint64_t off, uint32_t v)
{
    const guarded *g = guard_find(off & ~7ull);
    if (g && g->wide) {
        uint64_t cur = guard_held(k->b, g);
        uint64_t nv = (off & 4) ? ((cur & 0xffffffffull) | (uint64_t)v << 32) : ((cur & ~0xffffffffull) | v);
        guard_check(k, g, nv);
        return;
    }
    switch (off) {
    case REG_CR0:
        if (v & ~k->b->cr0ack)
            check_enable(k, v);
        break;
    case REG_GERRORN:
        gerrorn(k, v);
        break;
    case REG_CMDQ_PROD:
        cmdq_prod(k, v);
        break;
    case REG_EVENTQ_CONS:
        sw_cons(k, Q_EVT, v);
        break;
    case REG_PRIQ_CONS:
        if (has_priq(k))
            sw_cons(k, Q_PRI, v);
        break;
    default:
        if ((g = guard_find(off)))
            guard_check(k, g, v);
        break;
    }
}

void smmu_chk_mmio_write(smmuv3 *s, const smmu_regs *b, uint64_t offset, uint64_t value, unsigned size)
{
    bank k;
    bank_of(s, b, &k);
    if (size == 8)
        write64(&k, offset, value);
    else
        write32(&k, offset, (uint32_t)value);
}

void smmu_chk_s_init(smmuv3 *s, uint32_t value)
{
    if (!rget(value, F_S_INIT_inv_all))
        return;
    bool s_en = rget(s->sr.cr0ack, F_S_CR0_smmuen) != 0, ns_en = rget(s->r.cr0ack, F_CR0_smmuen) != 0;
    if (!s_en && !ns_en)
        return;
    smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                    "S_INIT.INV_ALL written while %s is 1: CONSTRAINED UNPREDICTABLE, the model ignores the "
                    "write and invalidates nothing; invalidate with INV_ALL before enabling, or use CFGI/TLBI "
                    "commands (IHI 0070 6.3.62)",
                    s_en && ns_en ? "S_CR0.SMMUEN and CR0.SMMUEN" : s_en ? "S_CR0.SMMUEN" : "CR0.SMMUEN");
}
