/* SPDX-License-Identifier: MIT */
/*
 * Register writes (driver checker), seen before the model applies them.
 *
 * QUEUE (3.5, 6.3.26..6.3.31, 7.1): a producer index beyond the queue or
 * running more than a queue's worth ahead of the consumer; a consumer index
 * written backwards or past the producer; commands submitted while
 * CMDQ_ERR is active; writes the model ignores that a driver clearly meant:
 * a queue base, CMDQ_CONS or an SMMU-owned PROD written while the queue is
 * enabled (a warm re-initialisation); LOG2SIZE above the IDR1 maximum.
 * MISALIGNED (6.3.24, 6.3.26, 6.3.29): the stream table or a queue base not
 * aligned to its size when it is enabled.
 * UNPREDICTABLE: STRTAB_BASE, STRTAB_BASE_CFG or CR2 written while SMMUEN is
 * set (6.3.24, 6.3.25, 6.3.12: ignored here); Reserved FMT or SPLIT
 * (6.3.25: linear / SPLIT 6 here); GERRORN toggling an error that is not
 * active (6.3.20: activates it here); queues and the stream table
 * overlapping in memory when one of them is enabled.
 * ERROR_IGNORED (7.4, 7.5): commands submitted while a global error is
 * still unacknowledged (once per activation; with CMDQ_ERR this comes with
 * the QUEUE report above); an event or PRI queue consumer
 * index written without acknowledging an overflow (OVACKFLG != OVFLG).
 */
#include "model/checker/checker.h"

#define NO_ID UINT32_MAX

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

static void q_get(const smmuv3 *s, unsigned which, q_info *qi)
{
    static const char *const names[Q_COUNT] = { "command queue", "event queue", "PRI queue" };
    static const char *const sects[Q_COUNT] = { "6.3.26 SMMU_CMDQ_BASE", "6.3.29 SMMU_EVENTQ_BASE",
                                                "6.3.33 SMMU_PRIQ_BASE" };
    qi->name = names[which];
    qi->sect = sects[which];
    switch (which) {
    case Q_CMD:
        qi->q = &s->r.cmdq; qi->en = (uint32_t)smmu_fmask(F_CR0_cmdqen); qi->entry = 16;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_cmdqs);
        break;
    case Q_EVT:
        qi->q = &s->r.eventq; qi->en = (uint32_t)smmu_fmask(F_CR0_eventqen); qi->entry = 32;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_eventqs);
        break;
    default:
        qi->q = &s->r.priq; qi->en = (uint32_t)smmu_fmask(F_CR0_priqen); qi->entry = 16;
        qi->max = (unsigned)rget(s->idr[1], F_IDR1_priqs);
        break;
    }
    qi->lit = (unsigned)rget(qi->q->base, F_Q_BASE_log2size);
    qi->log2 = qi->lit > qi->max ? qi->max : qi->lit;
    qi->base = fget_addr(&qi->q->base, F_Q_BASE_addr);
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

static bool strtab_region(const smmuv3 *s, region *r, uint64_t *align_out)
{
    uint32_t cfgr = s->r.strtab_base_cfg;
    unsigned lit = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_log2size);
    unsigned l2 = lit > s->cfg.sidsize ? s->cfg.sidsize : lit;
    uint64_t base = fget_addr(&s->r.strtab_base, F_STRTAB_BASE_addr);
    bool two = rget(cfgr, F_STRTAB_BASE_CFG_fmt) == 1 && s->cfg.st_2level;
    unsigned align, bytes_log2;
    if (!two) {
        align = lit + 6;
        bytes_log2 = l2 + 6;
        r->name = "the linear stream table";
    } else {
        unsigned split = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_split);
        if (split != 6 && split != 8 && split != 10)
            split = 6;
        unsigned l1lit = lit > split ? lit - split : 0, l1 = l2 > split ? l2 - split : 0;
        align = l1lit + 3 < 6 ? 6 : l1lit + 3;
        bytes_log2 = l1 + 3;
        r->name = "the level 1 stream table";
    }
    if (align > 52 || bytes_log2 > 52)
        return false;
    *align_out = 1ull << align;
    r->lo = base & ~(*align_out - 1);
    r->hi = r->lo + (1ull << bytes_log2);
    return true;
}

static void check_strtab(smmuv3 *s, bool ok, uint64_t align, const region *r)
{
    uint32_t cfgr = s->r.strtab_base_cfg;
    unsigned fmt = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_fmt), split = (unsigned)rget(cfgr, F_STRTAB_BASE_CFG_split);
    if (fmt > 1 || (fmt == 1 && !s->cfg.st_2level))
        smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                        "STRTAB_BASE_CFG.FMT %u is Reserved%s: the model uses a linear stream table "
                        "(IHI 0070 6.3.25)", fmt, fmt == 1 ? " without IDR0.ST_LEVEL 2-level support" : "");
    if (fmt == 1 && s->cfg.st_2level && split != 6 && split != 8 && split != 10)
        smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                        "STRTAB_BASE_CFG.SPLIT %u is Reserved: the model uses SPLIT 6 (IHI 0070 6.3.25)", split);
    uint64_t base = fget_addr(&s->r.strtab_base, F_STRTAB_BASE_addr);
    if (ok && (base & (align - 1)))
        smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, NO_ID, NO_ID, base,
                        "STRTAB_BASE 0x%llx is not aligned to %llu bytes, the size of %s: the SMMU ignores the "
                        "low bits and reads the table at 0x%llx (IHI 0070 6.3.24)",
                        (unsigned long long)base, (unsigned long long)align, r->name, (unsigned long long)r->lo);
}

static void check_queue(smmuv3 *s, const q_info *qi)
{
    uint64_t bytes = q_bytes(qi);
    if (qi->lit > qi->max)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, qi->base,
                        "%s LOG2SIZE %u exceeds the IDR1 maximum %u: the SMMU uses 2^%u entries and wraps "
                        "there, not where the driver does (IHI 0070 %s)",
                        qi->name, qi->lit, qi->max, qi->max, qi->sect);
    if (qi->base & (bytes - 1))
        smmu_chk_report(s, SMMUV3_DIAG_MISALIGNED, NO_ID, NO_ID, qi->base,
                        "%s base 0x%llx is not aligned to the queue size (%llu bytes): the SMMU ignores the low "
                        "bits and uses 0x%llx (IHI 0070 %s)",
                        qi->name, (unsigned long long)qi->base, (unsigned long long)bytes,
                        (unsigned long long)(qi->base & ~(bytes - 1)), qi->sect);
}

/* CR0 write enabling something: alignment of what is enabled, overlaps of
 * everything enabled afterwards. */
static void check_enable(smmuv3 *s, uint32_t v)
{
    uint32_t old = s->r.cr0ack, on = v & ~old, after = v;
    region rg[Q_COUNT + 1];
    bool fresh[Q_COUNT + 1];
    unsigned n = 0;
    uint32_t smmuen = (uint32_t)smmu_fmask(F_CR0_smmuen);
    if (after & smmuen) {
        uint64_t align = 64;
        bool ok = strtab_region(s, &rg[n], &align);
        if (on & smmuen)
            check_strtab(s, ok, align, &rg[n]);
        if (ok)
            fresh[n++] = (on & smmuen) != 0;
    }
    for (unsigned w = 0; w < Q_COUNT; w++) {
        if (w == Q_PRI && !rget(s->idr[0], F_IDR0_pri))
            continue;
        q_info qi;
        q_get(s, w, &qi);
        if (!(after & qi.en))
            continue;
        if (on & qi.en)
            check_queue(s, &qi);
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
                            "other, CONSTRAINED UNPREDICTABLE (IHI 0070 3.21)",
                            rg[i].name, (unsigned long long)rg[i].lo, (unsigned long long)rg[i].hi, rg[j].name,
                            (unsigned long long)rg[j].lo, (unsigned long long)rg[j].hi);
        }
}

/* ------------------------------------------------------------ indexes */
static void ignored_write(smmuv3 *s, const char *reg, const char *why, const char *sect, int code)
{
    smmu_chk_report(s, code, NO_ID, NO_ID, 0,
                    "%s written while %s: the write is ignored (CONSTRAINED UNPREDICTABLE; the model ignores "
                    "it), so a re-initialisation does not take effect (IHI 0070 %s)", reg, why, sect);
}

static void cmdq_prod(smmuv3 *s, uint32_t v)
{
    q_info qi;
    q_get(s, Q_CMD, &qi);
    uint32_t ptr = (2u << qi.log2) - 1, wr = v & (uint32_t)smmu_fmask(F_Q_PROD_wr);
    uint32_t cons = s->r.cmdq.cons & ptr;
    if (wr & ~ptr)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, wr,
                        "CMDQ_PROD 0x%x has bits above the wrap bit of a 2^%u-entry queue: the SMMU ignores "
                        "them (IHI 0070 6.3.27, 3.5)", wr, qi.log2);
    else if ((s->r.cr0ack & qi.en) && ring_dist(cons, wr, qi.log2) > (1u << qi.log2))
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, wr,
                        "CMDQ_PROD 0x%x is more than 2^%u entries ahead of CMDQ_CONS 0x%x (or moved "
                        "backwards): commands are overwritten before they are consumed (IHI 0070 3.5)",
                        wr, qi.log2, cons);
    bool moved = (wr & ptr) != (s->r.cmdq.prod & ptr);
    uint32_t active = (s->r.gerror ^ s->r.gerrorn);
    uint32_t cmdq_err = (uint32_t)smmu_fmask(F_GERROR_cmdq_err);
    if (moved && (active & cmdq_err))
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, 0,
                        "commands submitted while GERROR.CMDQ_ERR is active (CMDQ_CONS.ERR %u): none runs until "
                        "the error is acknowledged through GERRORN (IHI 0070 7.1)",
                        (unsigned)rget(s->r.cmdq.cons, F_Q_CONS_err));
    smmu_chk *c = s->chk;
    c->gerror_reported &= active;
    uint32_t fresh = active & (moved ? ~0u : ~cmdq_err) & ~c->gerror_reported;
    if (fresh) {
        c->gerror_reported |= fresh;
        smmu_chk_report(s, SMMUV3_DIAG_ERROR_IGNORED, NO_ID, NO_ID, 0,
                        "commands submitted while global error(s) 0x%x (GERROR ^ GERRORN) are still "
                        "unacknowledged: acknowledge them by toggling GERRORN (IHI 0070 7.5, 6.3.19)", fresh);
    }
}

/* EVENTQ_CONS / PRIQ_CONS: backwards, beyond, overflow not acknowledged. */
static void sw_cons(smmuv3 *s, unsigned which, uint32_t v)
{
    q_info qi;
    q_get(s, which, &qi);
    const char *reg = which == Q_EVT ? "EVENTQ_CONS" : "PRIQ_CONS";
    uint32_t ptr = (2u << qi.log2) - 1, rd = v & (uint32_t)smmu_fmask(F_Q_CONS_rd);
    uint32_t old = qi.q->cons & ptr, prod = qi.q->prod & ptr;
    if (rd & ~ptr)
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, rd,
                        "%s 0x%x has bits above the wrap bit of a 2^%u-entry queue (IHI 0070 %s)",
                        reg, rd, qi.log2, which == Q_EVT ? "6.3.31" : "6.3.35");
    else if ((s->r.cr0ack & qi.en) && ring_dist(old, rd, qi.log2) > ring_dist(old, prod, qi.log2))
        smmu_chk_report(s, SMMUV3_DIAG_QUEUE, NO_ID, NO_ID, rd,
                        "%s written from 0x%x to 0x%x, backwards or past PROD 0x%x: entries are read twice or "
                        "before they are written (IHI 0070 3.5)", reg, old, rd, prod);
    unsigned bit = which == Q_EVT ? 1u : 2u;
    uint32_t ovflg = (uint32_t)rget(qi.q->prod, F_Q_PROD_ovflg);
    uint32_t ovack = (uint32_t)rget(qi.q->cons, F_Q_CONS_ovackflg);
    if (ovflg == ovack) {
        s->chk->ovf_reported &= (uint8_t)~bit;
        return;
    }
    if (rget(v, F_Q_CONS_ovackflg) != ovflg && !(s->chk->ovf_reported & bit)) {
        s->chk->ovf_reported |= (uint8_t)bit;
        smmu_chk_report(s, SMMUV3_DIAG_ERROR_IGNORED, NO_ID, NO_ID, 0,
                        "%s written without acknowledging the overflow (OVACKFLG %u, PROD.OVFLG %u): records "
                        "were lost and the driver does not know (IHI 0070 7.4)", reg, (unsigned)!ovflg, ovflg);
    }
}

/* ------------------------------------------------------------ the hook */
static void write32(smmuv3 *s, uint64_t off, uint32_t v);

static void write64(smmuv3 *s, uint64_t off, uint64_t v)
{
    uint32_t ack = s->r.cr0ack;
    switch (off) {
    case REG_STRTAB_BASE:
        if ((ack & smmu_fmask(F_CR0_smmuen)) && v != s->r.strtab_base)
            ignored_write(s, "STRTAB_BASE", "SMMUEN is set", "6.3.24", SMMUV3_DIAG_UNPREDICTABLE);
        break;
    case REG_CMDQ_BASE:
        if ((ack & smmu_fmask(F_CR0_cmdqen)) && v != s->r.cmdq.base)
            ignored_write(s, "CMDQ_BASE", "the command queue is enabled", "6.3.26", SMMUV3_DIAG_QUEUE);
        break;
    case REG_EVENTQ_BASE:
        if ((ack & smmu_fmask(F_CR0_eventqen)) && v != s->r.eventq.base)
            ignored_write(s, "EVENTQ_BASE", "the event queue is enabled", "6.3.29", SMMUV3_DIAG_QUEUE);
        break;
    case REG_PRIQ_BASE:
        if ((ack & smmu_fmask(F_CR0_priqen)) && v != s->r.priq.base)
            ignored_write(s, "PRIQ_BASE", "the PRI queue is enabled", "6.3.33", SMMUV3_DIAG_QUEUE);
        break;
    default:
        write32(s, off, (uint32_t)v);
        write32(s, off + 4, (uint32_t)(v >> 32));
        break;
    }
}

static bool is_base(uint64_t off)
{
    return off == REG_STRTAB_BASE || off == REG_CMDQ_BASE || off == REG_EVENTQ_BASE || off == REG_PRIQ_BASE;
}

static void write32(smmuv3 *s, uint64_t off, uint32_t v)
{
    uint32_t ack = s->r.cr0ack;
    bool smmuen = ack & smmu_fmask(F_CR0_smmuen);
    if (is_base(off & ~7ull)) {
        uint64_t cur = off == REG_STRTAB_BASE || off == REG_STRTAB_BASE + 4 ? s->r.strtab_base
                     : (off & ~7ull) == REG_CMDQ_BASE ? s->r.cmdq.base
                     : (off & ~7ull) == REG_EVENTQ_BASE ? s->r.eventq.base : s->r.priq.base;
        uint64_t nv = (off & 4) ? ((cur & 0xffffffffull) | (uint64_t)v << 32) : ((cur & ~0xffffffffull) | v);
        write64(s, off & ~7ull, nv);
        return;
    }
    switch (off) {
    case REG_CR0:
        if (v & ~ack)
            check_enable(s, v);
        break;
    case REG_CR2:
        if (smmuen && v != s->r.cr2)
            ignored_write(s, "CR2", "SMMUEN is set", "6.3.12", SMMUV3_DIAG_UNPREDICTABLE);
        break;
    case REG_STRTAB_BASE_CFG:
        if (smmuen && v != s->r.strtab_base_cfg)
            ignored_write(s, "STRTAB_BASE_CFG", "SMMUEN is set", "6.3.25", SMMUV3_DIAG_UNPREDICTABLE);
        break;
    case REG_GERRORN: {
        uint32_t inactive = ~(s->r.gerror ^ s->r.gerrorn);
        uint32_t impl = (uint32_t)(smmu_fmask(F_GERROR_cmdq_err) | smmu_fmask(F_GERROR_eventq_abt_err) |
                                   smmu_fmask(F_GERROR_sfm_err));
        if (rget(s->idr[0], F_IDR0_msi))
            impl |= (uint32_t)(smmu_fmask(F_GERROR_msi_cmdq_abt_err) | smmu_fmask(F_GERROR_msi_eventq_abt_err) |
                               smmu_fmask(F_GERROR_msi_gerror_abt_err));
        if (rget(s->idr[0], F_IDR0_pri))
            impl |= (uint32_t)(smmu_fmask(F_GERROR_priq_abt_err) |
                               (rget(s->idr[0], F_IDR0_msi) ? smmu_fmask(F_GERROR_msi_priq_abt_err) : 0));
        uint32_t toggled = (v ^ s->r.gerrorn) & inactive & impl;
        if (toggled)
            smmu_chk_report(s, SMMUV3_DIAG_UNPREDICTABLE, NO_ID, NO_ID, 0,
                            "GERRORN toggles 0x%x, error(s) that are not active: CONSTRAINED UNPREDICTABLE, the "
                            "model activates them (IHI 0070 6.3.20)", toggled);
        break;
    }
    case REG_CMDQ_PROD:
        cmdq_prod(s, v);
        break;
    case REG_CMDQ_CONS:
        if ((ack & smmu_fmask(F_CR0_cmdqen)) && v != s->r.cmdq.cons)
            ignored_write(s, "CMDQ_CONS", "the command queue is enabled", "6.3.28", SMMUV3_DIAG_QUEUE);
        break;
    case REG_EVENTQ_PROD:
        if ((ack & smmu_fmask(F_CR0_eventqen)) && v != s->r.eventq.prod)
            ignored_write(s, "EVENTQ_PROD", "the event queue is enabled", "6.3.30", SMMUV3_DIAG_QUEUE);
        break;
    case REG_EVENTQ_CONS:
        sw_cons(s, Q_EVT, v);
        break;
    case REG_PRIQ_PROD:
        if (rget(s->idr[0], F_IDR0_pri) && (ack & smmu_fmask(F_CR0_priqen)) && v != s->r.priq.prod)
            ignored_write(s, "PRIQ_PROD", "the PRI queue is enabled", "6.3.34", SMMUV3_DIAG_QUEUE);
        break;
    case REG_PRIQ_CONS:
        if (rget(s->idr[0], F_IDR0_pri))
            sw_cons(s, Q_PRI, v);
        break;
    default:
        break;
    }
}

void smmu_chk_mmio_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size)
{
    if (size == 8)
        write64(s, offset, value);
    else
        write32(s, offset, (uint32_t)value);
}
