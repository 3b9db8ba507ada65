/* SPDX-License-Identifier: MIT */
/*
 * The driver helper (include/smmuv3/build.h): brings an SMMU up through its
 * registers in the order Linux's arm-smmu-v3 uses (arm_smmu_device_reset),
 * submits commands through the command queue and reads the event queue. It
 * uses nothing but smmuv3_mmio_read/write, the host memory and the field
 * tables, so it drives the model exactly as a guest driver would.
 */
#include <string.h>
#include "build/build_int.h"

#define CMD_SIZE 16u
#define EVT_SIZE 32u

/* A Secure driver reaches each register of its bank at the Secure frame's
 * offset (6.2: page 0 + 0x8000; S_EVENTQ_PROD/CONS in page 0) with Secure
 * accesses; the ID registers it reads are the Non-secure ones. */
static uint32_t reg_off(const smmuv3_driver *d, uint32_t off)
{
    if (!d->secure || off < REG_CR0)
        return off;
    if (off == REG_EVENTQ_PROD)
        return REG_S_EVENTQ_PROD;
    if (off == REG_EVENTQ_CONS)
        return REG_S_EVENTQ_CONS;
    return off + 0x8000;
}

static uint32_t rd32(smmuv3_driver *d, uint32_t off)
{
    return (uint32_t)smmuv3_mmio_read_sec(d->smmu, reg_off(d, off), 4, d->secure);
}
static void wr32(smmuv3_driver *d, uint32_t off, uint32_t v)
{
    smmuv3_mmio_write_sec(d->smmu, reg_off(d, off), v, 4, d->secure);
}
static void wr64(smmuv3_driver *d, uint32_t off, uint64_t v)
{
    smmuv3_mmio_write_sec(d->smmu, reg_off(d, off), v, 8, d->secure);
}

void smmuv3_driver_cfg_default(smmuv3_driver_cfg *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof(*cfg));
    cfg->cmdq_base = SMMUV3_BUILD_ALLOC;
    cfg->eventq_base = SMMUV3_BUILD_ALLOC;
}

static int poll_eq(smmuv3_driver *d, uint32_t off, uint32_t want)
{
    unsigned limit = d->poll_limit ? d->poll_limit : 1;
    for (unsigned i = 0; i < limit; i++)
        if (rd32(d, off) == want)
            return 0;
    return SMMUV3_EABORT;
}

int smmuv3_driver_write_cr0(smmuv3_driver *d, uint32_t cr0)
{
    if (!d || !d->smmu)
        return SMMUV3_EINVAL;
    wr32(d, REG_CR0, cr0);
    return poll_eq(d, REG_CR0ACK, cr0);
}

static uint64_t q_base_reg(uint64_t addr, unsigned log2)
{
    uint64_t r = 0;
    r = rset(r, F_Q_BASE_log2size, log2);
    r = rset(r, F_Q_BASE_wa_ra, 1);
    return r | (addr & smmu_fmask(F_Q_BASE_addr));
}

/* PROD/CONS arithmetic: index in the low log2 bits, wrap bit above. */
static uint32_t q_mask(unsigned log2) { return (2u << log2) - 1; }
static uint32_t q_idx(uint32_t v, unsigned log2) { return v & ((1u << log2) - 1); }
static uint32_t q_inc(uint32_t v, unsigned log2) { return (v + 1) & q_mask(log2); }
static uint32_t q_used(uint32_t prod, uint32_t cons, unsigned log2)
{
    return (prod - cons) & q_mask(log2);
}

int smmuv3_driver_init(smmuv3_driver *d, smmuv3 *smmu, const smmuv3_space *sp, const smmuv3_strtab *st,
                       const smmuv3_driver_cfg *cfg)
{
    smmuv3_driver_cfg defcfg;
    if (!d || !smmu || !sp || !st)
        return SMMUV3_EINVAL;
    if (!cfg) {
        smmuv3_driver_cfg_default(&defcfg);
        cfg = &defcfg;
    }
    memset(d, 0, sizeof(*d));
    d->smmu = smmu;
    d->space = sp;
    d->poll_limit = cfg->poll_limit ? cfg->poll_limit : 1000;
    d->secure = cfg->secure;

    uint64_t idr0 = (uint32_t)smmuv3_mmio_read(smmu, REG_IDR0, 4);
    uint64_t idr1 = (uint32_t)smmuv3_mmio_read(smmu, REG_IDR1, 4);
    unsigned cmdqs = (unsigned)rget(idr1, F_IDR1_cmdqs), eventqs = (unsigned)rget(idr1, F_IDR1_eventqs);
    d->cmdq_log2 = cfg->cmdq_log2 ? cfg->cmdq_log2 : 8;
    if (d->cmdq_log2 > cmdqs)
        d->cmdq_log2 = cmdqs;
    d->eventq_log2 = cfg->eventq_log2 ? cfg->eventq_log2 : 7;
    if (d->eventq_log2 > eventqs)
        d->eventq_log2 = eventqs;
    if (d->cmdq_log2 > 19 || d->eventq_log2 > 19)
        return SMMUV3_EINVAL;

    /* queue memory: aligned to the queue size, at least 32 bytes */
    uint64_t csize = (uint64_t)CMD_SIZE << d->cmdq_log2, esize = (uint64_t)EVT_SIZE << d->eventq_log2;
    int rc = bld_place(sp, cfg->cmdq_base, csize, csize < 32 ? 32 : csize, 32, &d->cmdq_base);
    if (!rc)
        rc = bld_place(sp, cfg->eventq_base, esize, esize < 32 ? 32 : esize, 32, &d->eventq_base);
    if (rc)
        return rc;

    /* 1. disable everything */
    rc = smmuv3_driver_write_cr0(d, 0);
    if (rc)
        return rc;
    /* 2. table and queue attributes */
    uint64_t cr1 = cfg->cr1;
    if (!cr1) {
        cr1 = rset(cr1, F_CR1_queue_ic, 1);
        cr1 = rset(cr1, F_CR1_queue_oc, 1);
        cr1 = rset(cr1, F_CR1_queue_sh, 3);
        cr1 = rset(cr1, F_CR1_table_ic, 1);
        cr1 = rset(cr1, F_CR1_table_oc, 1);
        cr1 = rset(cr1, F_CR1_table_sh, 3);
    }
    wr32(d, REG_CR1, (uint32_t)cr1);
    uint64_t cr2 = cfg->cr2;
    if (!cr2) {
        cr2 = rset(cr2, F_CR2_recinvsid, 1);
        cr2 = rset(cr2, F_CR2_ptm, 1);
    }
    wr32(d, REG_CR2, (uint32_t)cr2);
    /* 3. stream table */
    wr64(d, REG_STRTAB_BASE, smmuv3_strtab_base_reg(st));
    wr32(d, REG_STRTAB_BASE_CFG, smmuv3_strtab_cfg_reg(st));
    /* 4. command queue */
    wr64(d, REG_CMDQ_BASE, q_base_reg(d->cmdq_base, d->cmdq_log2));
    wr32(d, REG_CMDQ_PROD, 0);
    wr32(d, REG_CMDQ_CONS, 0);
    d->cmdq_prod = 0;
    uint64_t cr0 = rset(0, F_CR0_cmdqen, 1);
    rc = smmuv3_driver_write_cr0(d, (uint32_t)cr0);
    if (rc)
        return rc;
    /* 5. invalidate cached configuration and TLBs */
    rc = smmuv3_driver_cfgi_all(d);
    if (!rc && rget(idr0, F_IDR0_hyp)) {
        uint8_t c[CMD_SIZE];
        smmuv3_cmd_init(c, SMMUV3_CMD_TLBI_EL2_ALL);
        rc = smmuv3_driver_submit(d, c);
    }
    if (!rc)
        rc = smmuv3_driver_tlbi_nsnh_all(d);
    if (rc)
        return rc;
    /* 6. event queue */
    wr64(d, REG_EVENTQ_BASE, q_base_reg(d->eventq_base, d->eventq_log2));
    wr32(d, REG_EVENTQ_PROD, 0);
    wr32(d, REG_EVENTQ_CONS, 0);
    d->eventq_cons = 0;
    if (!cfg->no_eventq) {
        cr0 = rset(cr0, F_CR0_eventqen, 1);
        rc = smmuv3_driver_write_cr0(d, (uint32_t)cr0);
        if (rc)
            return rc;
    }
    /* 7. interrupts */
    wr32(d, REG_IRQ_CTRL, 0);
    rc = poll_eq(d, REG_IRQ_CTRLACK, 0);
    if (!rc && cfg->irq_ctrl) {
        wr32(d, REG_IRQ_CTRL, cfg->irq_ctrl);
        rc = poll_eq(d, REG_IRQ_CTRLACK, cfg->irq_ctrl);
    }
    if (rc)
        return rc;
    /* 8. enable translation */
    if (!cfg->no_smmuen) {
        cr0 = rset(cr0, F_CR0_smmuen, 1);
        rc = smmuv3_driver_write_cr0(d, (uint32_t)cr0);
    }
    return rc;
}

/* ------------------------------------------------------------ commands */
int smmuv3_cmd_init(uint8_t cmd[SMMUV3_CMD_BYTES], unsigned opcode)
{
    if (!cmd || opcode > 0xff)
        return SMMUV3_EINVAL;
    uint64_t w[2] = { 0, 0 };
    fset(w, F_CMD_SYNC_opcode, opcode);   /* the opcode field is common to all commands */
    le_store(cmd, w, 2);
    return 0;
}

int smmuv3_cmd_set(uint8_t cmd[SMMUV3_CMD_BYTES], const char *field, uint64_t value)
{
    if (!cmd || !field)
        return SMMUV3_EINVAL;
    uint64_t w[2];
    le_load(w, cmd, 2);
    const smmuv3_struct *st = smmuv3_command_layout((unsigned)fget(w, F_CMD_SYNC_opcode));
    if (!st)
        return SMMUV3_ENOENT;
    const smmuv3_field *f = smmuv3_field_find(st, field);
    if (!f)
        return SMMUV3_ENOENT;
    return smmuv3_field_set(f, cmd, value);
}

int smmuv3_cmd_build(uint8_t cmd[SMMUV3_CMD_BYTES], const char *opname, const char *const *names,
                     const uint64_t *values, unsigned n)
{
    if (!cmd || !opname || (n && (!names || !values)))
        return SMMUV3_EINVAL;
    int op = smmuv3_command_opcode(opname);
    if (op < 0)
        return SMMUV3_ENOENT;
    int rc = smmuv3_cmd_init(cmd, (unsigned)op);
    for (unsigned i = 0; !rc && i < n; i++)
        rc = smmuv3_cmd_set(cmd, names[i], values[i]);
    return rc;
}

static uint32_t cons_now(smmuv3_driver *d)
{
    return rd32(d, REG_CMDQ_CONS);
}

/* After a PROD write or an error acknowledgement: did everything run?
 * CMDQ_CONS.ERR keeps the code of the last error, so it counts only while
 * GERROR.CMDQ_ERR is active (7.1). */
static int cmdq_outcome(smmuv3_driver *d)
{
    uint32_t c = cons_now(d);
    d->gerror = smmuv3_driver_gerror(d);
    bool active = rget(d->gerror, F_GERROR_cmdq_err) != 0;
    d->cerror = active ? (uint32_t)rget(c, F_Q_CONS_err) : SMMUV3_CERROR_NONE;
    if (active || (c & q_mask(d->cmdq_log2)) != d->cmdq_prod)
        return SMMUV3_EABORT;
    return 0;
}

/* The structure is public: queue sizes a caller may have changed. */
static bool drv_ok(const smmuv3_driver *d)
{
    return d && d->smmu && d->space && d->cmdq_log2 <= 19 && d->eventq_log2 <= 19;
}

int smmuv3_driver_submit_n(smmuv3_driver *d, const uint8_t *cmds, unsigned n)
{
    if (!drv_ok(d) || (n && !cmds))
        return SMMUV3_EINVAL;
    if (n == 0)
        return 0;
    unsigned log2 = d->cmdq_log2;
    uint32_t cons = cons_now(d) & q_mask(log2);
    uint32_t used = q_used(d->cmdq_prod, cons, log2);
    if ((uint64_t)used + n > (1ull << log2))
        return SMMUV3_ENOMEM;
    uint32_t prod = d->cmdq_prod;
    for (unsigned i = 0; i < n; i++) {
        int rc = smmuv3_space_write(d->space, d->cmdq_base + (uint64_t)q_idx(prod, log2) * CMD_SIZE,
                                    cmds + (size_t)i * CMD_SIZE, CMD_SIZE);
        if (rc)
            return rc;
        prod = q_inc(prod, log2);
    }
    d->cmdq_prod = prod;
    wr32(d, REG_CMDQ_PROD, prod);
    return cmdq_outcome(d);
}

int smmuv3_driver_submit(smmuv3_driver *d, const uint8_t cmd[SMMUV3_CMD_BYTES])
{
    return smmuv3_driver_submit_n(d, cmd, 1);
}

int smmuv3_driver_submit_raw(smmuv3_driver *d, uint64_t dw0, uint64_t dw1)
{
    uint8_t c[CMD_SIZE];
    uint64_t w[2] = { dw0, dw1 };
    le_store(c, w, 2);
    return smmuv3_driver_submit_n(d, c, 1);
}

uint32_t smmuv3_driver_cmdq_err(smmuv3_driver *d)
{
    if (!d || !d->smmu)
        return 0;
    return (uint32_t)rget(cons_now(d), F_Q_CONS_err);
}

uint32_t smmuv3_driver_gerror(smmuv3_driver *d)
{
    if (!d || !d->smmu)
        return 0;
    return rd32(d, REG_GERROR) ^ rd32(d, REG_GERRORN);
}

int smmuv3_driver_gerror_ack(smmuv3_driver *d)
{
    if (!d || !d->smmu)
        return SMMUV3_EINVAL;
    wr32(d, REG_GERRORN, rd32(d, REG_GERROR));
    return 0;
}

int smmuv3_driver_cmdq_recover(smmuv3_driver *d)
{
    if (!drv_ok(d))
        return SMMUV3_EINVAL;
    uint32_t c = cons_now(d);
    uint64_t g = smmuv3_driver_gerror(d);
    if (!rget(g, F_GERROR_cmdq_err))
        return cmdq_outcome(d);
    if (rget(c, F_Q_CONS_err) != SMMUV3_CERROR_ABT) {
        /* replace the offending command by a CMD_SYNC (as Linux does for
         * CERROR_ILL and CERROR_ATC_INV_SYNC) */
        uint8_t sync[CMD_SIZE];
        smmuv3_cmd_init(sync, SMMUV3_CMD_SYNC);
        int rc = smmuv3_space_write(d->space, d->cmdq_base + (uint64_t)q_idx(c, d->cmdq_log2) * CMD_SIZE, sync,
                                    CMD_SIZE);
        if (rc)
            return rc;
    }
    uint32_t gn = rd32(d, REG_GERRORN);
    wr32(d, REG_GERRORN, (uint32_t)(gn ^ smmu_fmask(F_GERROR_cmdq_err)));
    return cmdq_outcome(d);
}

static int submit_with_sync(smmuv3_driver *d, uint8_t *cmd)
{
    uint8_t two[2 * CMD_SIZE];
    memcpy(two, cmd, CMD_SIZE);
    smmuv3_cmd_init(two + CMD_SIZE, SMMUV3_CMD_SYNC);
    return smmuv3_driver_submit_n(d, two, 2);
}

int smmuv3_driver_sync(smmuv3_driver *d)
{
    uint8_t c[CMD_SIZE];
    smmuv3_cmd_init(c, SMMUV3_CMD_SYNC);
    return smmuv3_driver_submit(d, c);
}

/* A command from fields of its layout (fields_def.h): f[i] = v[i] for i < n
 * (f[0] its opcode field), and with addr_f the address field set to addr;
 * then a CMD_SYNC. */
static int send(smmuv3_driver *d, size_t n, const uint32_t *f, const uint64_t *v, const uint32_t *addr_f,
                uint64_t addr)
{
    uint64_t w[2] = { 0, 0 };
    uint8_t c[CMD_SIZE];
    for (size_t i = 0; i < n; i++)
        fset(w, f[i], v[i]);
    if (addr_f)
        fset_addr(w, *addr_f, addr);
    /* A Secure driver's CFGI_* name Secure streams (SSec, 4.1.6; dw0[10] in each). */
    if (d && d->secure && n && v[0] >= SMMUV3_CMD_CFGI_STE && v[0] <= SMMUV3_CMD_CFGI_CD_ALL)
        fset(w, F_CMD_CFGI_STE_ssec, 1);
    le_store(c, w, 2);
    return submit_with_sync(d, c);
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

int smmuv3_driver_cfgi_ste(smmuv3_driver *d, uint32_t sid)
{
    static const uint32_t f[] = { F_CMD_CFGI_STE_opcode, F_CMD_CFGI_STE_sid, F_CMD_CFGI_STE_leaf };
    /* Leaf = 0: the L1STD too, so a driver that has just installed a level 2
     * table is covered (an SMMU may have cached the invalid L1STD, 3.21.3). */
    const uint64_t v[] = { SMMUV3_CMD_CFGI_STE, sid, 0 };
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_cfgi_cd(smmuv3_driver *d, uint32_t sid, uint32_t ssid)
{
    static const uint32_t f[] = { F_CMD_CFGI_CD_opcode, F_CMD_CFGI_CD_sid, F_CMD_CFGI_CD_leaf, F_CMD_CFGI_CD_ssid };
    const uint64_t v[] = { SMMUV3_CMD_CFGI_CD, sid, 1, ssid };
    uint64_t probe[2] = { 0, 0 };
    if (bld_set(probe, F_CMD_CFGI_CD_ssid, ssid))
        return SMMUV3_ERANGE;
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_cfgi_all(smmuv3_driver *d)
{
    static const uint32_t f[] = { F_CMD_CFGI_STE_RANGE_opcode, F_CMD_CFGI_STE_RANGE_range };
    static const uint64_t v[] = { SMMUV3_CMD_CFGI_STE_RANGE, 31 };
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_tlbi_nh_all(smmuv3_driver *d, uint16_t vmid)
{
    static const uint32_t f[] = { F_CMD_TLBI_NH_ALL_opcode, F_CMD_TLBI_NH_ALL_vmid };
    const uint64_t v[] = { SMMUV3_CMD_TLBI_NH_ALL, vmid };
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_tlbi_nh_asid(smmuv3_driver *d, uint16_t vmid, uint16_t asid)
{
    static const uint32_t f[] = { F_CMD_TLBI_NH_ASID_opcode, F_CMD_TLBI_NH_ASID_vmid, F_CMD_TLBI_NH_ASID_asid };
    const uint64_t v[] = { SMMUV3_CMD_TLBI_NH_ASID, vmid, asid };
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_tlbi_nh_va(smmuv3_driver *d, uint16_t vmid, uint16_t asid, uint64_t va, bool leaf)
{
    static const uint32_t f[] = { F_CMD_TLBI_NH_VA_opcode, F_CMD_TLBI_NH_VA_vmid, F_CMD_TLBI_NH_VA_asid,
                                  F_CMD_TLBI_NH_VA_leaf };
    static const uint32_t addr_f = F_CMD_TLBI_NH_VA_address;
    const uint64_t v[] = { SMMUV3_CMD_TLBI_NH_VA, vmid, asid, leaf ? 1 : 0 };
    return send(d, NF(f), f, v, &addr_f, va);
}

int smmuv3_driver_tlbi_s2_ipa(smmuv3_driver *d, uint16_t vmid, uint64_t ipa, bool leaf)
{
    static const uint32_t f[] = { F_CMD_TLBI_S2_IPA_opcode, F_CMD_TLBI_S2_IPA_vmid, F_CMD_TLBI_S2_IPA_leaf };
    static const uint32_t addr_f = F_CMD_TLBI_S2_IPA_address;
    const uint64_t v[] = { SMMUV3_CMD_TLBI_S2_IPA, vmid, leaf ? 1 : 0 };
    if (ipa & ~smmu_fmask(F_CMD_TLBI_S2_IPA_address) & ~0xfffull)
        return SMMUV3_ERANGE;
    return send(d, NF(f), f, v, &addr_f, ipa);
}

int smmuv3_driver_tlbi_s12_vmall(smmuv3_driver *d, uint16_t vmid)
{
    static const uint32_t f[] = { F_CMD_TLBI_S12_VMALL_opcode, F_CMD_TLBI_S12_VMALL_vmid };
    const uint64_t v[] = { SMMUV3_CMD_TLBI_S12_VMALL, vmid };
    return send(d, NF(f), f, v, NULL, 0);
}

int smmuv3_driver_tlbi_nsnh_all(smmuv3_driver *d)
{
    static const uint32_t f[] = { F_CMD_TLBI_NSNH_ALL_opcode };
    static const uint64_t v[] = { SMMUV3_CMD_TLBI_NSNH_ALL };
    return send(d, NF(f), f, v, NULL, 0);
}

/* ------------------------------------------------------------ event queue */
int smmuv3_driver_event_count(smmuv3_driver *d)
{
    if (!drv_ok(d))
        return SMMUV3_EINVAL;
    uint32_t prod = rd32(d, REG_EVENTQ_PROD) & q_mask(d->eventq_log2);
    return (int)q_used(prod, d->eventq_cons, d->eventq_log2);
}

int smmuv3_driver_event_pop(smmuv3_driver *d, uint8_t rec[SMMUV3_EVENT_BYTES])
{
    if (!drv_ok(d) || !rec)
        return SMMUV3_EINVAL;
    uint32_t prodreg = rd32(d, REG_EVENTQ_PROD);
    uint32_t prod = prodreg & q_mask(d->eventq_log2);
    if (prod == d->eventq_cons)
        return 0;
    int rc = smmuv3_space_read(d->space,
                               d->eventq_base + (uint64_t)q_idx(d->eventq_cons, d->eventq_log2) * EVT_SIZE, rec,
                               EVT_SIZE);
    if (rc)
        return rc;
    d->eventq_cons = q_inc(d->eventq_cons, d->eventq_log2);
    /* CONS.OVACKFLG follows PROD.OVFLG (acknowledging an overflow) */
    uint64_t cons = d->eventq_cons;
    cons = rset(cons, F_Q_CONS_ovackflg, rget(prodreg, F_Q_PROD_ovflg));
    wr32(d, REG_EVENTQ_CONS, (uint32_t)cons);
    return 1;
}

int smmuv3_driver_event_find(smmuv3_driver *d, unsigned id, uint8_t rec[SMMUV3_EVENT_BYTES])
{
    uint8_t r[EVT_SIZE];
    for (;;) {
        int rc = smmuv3_driver_event_pop(d, r);
        if (rc <= 0)
            return rc;
        uint64_t w;
        le_load(&w, r, 1);
        if (fget(&w, F_EVENT_eventid) == id) {
            if (rec)
                memcpy(rec, r, EVT_SIZE);
            return 1;
        }
    }
}
