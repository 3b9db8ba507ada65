/* SPDX-License-Identifier: MIT */
/*
 * The driver helper's PRI queue and ATS/PRI commands (include/smmuv3/build.h),
 * in the order and form Linux's arm-smmu-v3 uses them: the PRI queue is set up
 * after the event queue (PRIQ_BASE, PROD/CONS = 0, CR0.PRIQEN, IHI 0070
 * 6.3.33), records are consumed from CONS to PROD and CONS written back with
 * OVACKFLG copied from PROD.OVFLG (8.1: acknowledging an overflow), an ATC
 * invalidation of a range uses the smallest aligned power-of-two span that
 * covers it (4.5.1), and PRG responses go out as CMD_PRI_RESP (4.5.2). Each
 * command is followed by CMD_SYNC.
 */
#include <string.h>
#include "build/build_int.h"

#define PRI_SIZE 16u

static uint32_t rd32(smmuv3_driver *d, uint32_t off) { return (uint32_t)smmuv3_mmio_read(d->smmu, off, 4); }
static void wr32(smmuv3_driver *d, uint32_t off, uint32_t v) { smmuv3_mmio_write(d->smmu, off, v, 4); }
static uint32_t q_mask(unsigned log2) { return (2u << log2) - 1; }

static bool drv_ok(const smmuv3_driver *d)
{
    return d && d->smmu && d->space;
}

int smmuv3_driver_priq_init(smmuv3_driver *d, unsigned log2, uint64_t base)
{
    if (!drv_ok(d) || log2 > 19)
        return SMMUV3_EINVAL;
    uint64_t idr0 = rd32(d, REG_IDR0), idr1 = rd32(d, REG_IDR1);
    if (!rget(idr0, F_IDR0_pri))
        return SMMUV3_ENOTSUP;
    unsigned max = (unsigned)rget(idr1, F_IDR1_priqs);
    d->priq_log2 = log2 ? log2 : 8;
    if (d->priq_log2 > max)
        d->priq_log2 = max;
    uint64_t size = (uint64_t)PRI_SIZE << d->priq_log2;
    int rc = bld_place(d->space, base, size, size < 32 ? 32 : size, 32, &d->priq_base);
    if (rc)
        return rc;
    uint32_t cr0 = rd32(d, REG_CR0);
    rc = smmuv3_driver_write_cr0(d, cr0 & ~(uint32_t)smmu_fmask(F_CR0_priqen));
    if (rc)
        return rc;
    uint64_t b = rset(0, F_Q_BASE_log2size, d->priq_log2);
    b = rset(b, F_Q_BASE_wa_ra, 1);
    smmuv3_mmio_write(d->smmu, REG_PRIQ_BASE, b | (d->priq_base & smmu_fmask(F_Q_BASE_addr)), 8);
    wr32(d, REG_PRIQ_PROD, 0);
    wr32(d, REG_PRIQ_CONS, 0);
    d->priq_cons = 0;
    return smmuv3_driver_write_cr0(d, cr0 | (uint32_t)smmu_fmask(F_CR0_priqen));
}

int smmuv3_driver_priq_count(smmuv3_driver *d)
{
    if (!drv_ok(d) || !d->priq_base)
        return SMMUV3_EINVAL;
    uint32_t prod = rd32(d, REG_PRIQ_PROD) & q_mask(d->priq_log2);
    return (int)((prod - d->priq_cons) & q_mask(d->priq_log2));
}

int smmuv3_driver_priq_pop(smmuv3_driver *d, uint8_t rec[SMMUV3_PRI_BYTES])
{
    if (!drv_ok(d) || !d->priq_base || !rec)
        return SMMUV3_EINVAL;
    uint32_t prodreg = rd32(d, REG_PRIQ_PROD);
    uint32_t prod = prodreg & q_mask(d->priq_log2);
    if (prod == d->priq_cons)
        return 0;
    uint32_t idx = d->priq_cons & ((1u << d->priq_log2) - 1);
    int rc = smmuv3_space_read(d->space, d->priq_base + (uint64_t)idx * PRI_SIZE, rec, PRI_SIZE);
    if (rc)
        return rc;
    d->priq_cons = (d->priq_cons + 1) & q_mask(d->priq_log2);
    uint64_t cons = rset(d->priq_cons, F_Q_CONS_ovackflg, rget(prodreg, F_Q_PROD_ovflg));
    wr32(d, REG_PRIQ_CONS, (uint32_t)cons);
    return 1;
}

bool smmuv3_driver_priq_overflow(smmuv3_driver *d)
{
    if (!drv_ok(d))
        return false;
    return rget(rd32(d, REG_PRIQ_PROD), F_Q_PROD_ovflg) != rget(rd32(d, REG_PRIQ_CONS), F_Q_CONS_ovackflg);
}

int smmuv3_pri_record_decode(const uint8_t rec[SMMUV3_PRI_BYTES], smmuv3_pri_req *out)
{
    if (!rec || !out)
        return SMMUV3_EINVAL;
    uint64_t w[2];
    le_load(w, rec, 2);
    memset(out, 0, sizeof(*out));
    out->sid = (uint32_t)fget(w, F_PRI_streamid);
    out->ssv = fget(w, F_PRI_ssv) != 0;
    out->ssid = out->ssv ? (uint32_t)fget(w, F_PRI_substreamid) : 0;
    out->priv = fget(w, F_PRI_priv) != 0;
    out->perm = (uint8_t)((fget(w, F_PRI_read) ? SMMUV3_PERM_R : 0) | (fget(w, F_PRI_write) ? SMMUV3_PERM_W : 0) |
                          (fget(w, F_PRI_exec) ? SMMUV3_PERM_X : 0));
    out->last = fget(w, F_PRI_last) != 0;
    out->prgi = (uint16_t)fget(w, F_PRI_prgi);
    out->addr = fget_addr(w, F_PRI_address);
    return 0;
}

/* CMD_ATC_INV (4.7.1) and CMD_PRI_RESP (4.8.1) name the stream at the same
 * bits: the command's opcode, StreamID, and SSV and SubstreamID when ssv. */
_Static_assert(F_CMD_ATC_INV_sid == F_CMD_PRI_RESP_sid && F_CMD_ATC_INV_ssv == F_CMD_PRI_RESP_ssv &&
                   F_CMD_ATC_INV_ssid == F_CMD_PRI_RESP_ssid,
               "CMD_ATC_INV and CMD_PRI_RESP share the stream fields");
static void cmd_stream(uint64_t w[2], unsigned opcode, uint32_t sid, bool ssv, uint32_t ssid)
{
    w[0] = w[1] = 0;
    fset(w, F_CMD_ATC_INV_opcode, opcode);
    fset(w, F_CMD_ATC_INV_sid, sid);
    if (ssv) {
        fset(w, F_CMD_ATC_INV_ssv, 1);
        fset(w, F_CMD_ATC_INV_ssid, ssid);
    }
}

static int submit_sync(smmuv3_driver *d, const uint64_t w[2])
{
    uint8_t c[SMMUV3_CMD_BYTES];
    le_store(c, w, 2);
    int rc = smmuv3_driver_submit(d, c);
    return rc ? rc : smmuv3_driver_sync(d);
}

int smmuv3_driver_atc_inv(smmuv3_driver *d, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint64_t size)
{
    if (!drv_ok(d))
        return SMMUV3_EINVAL;
    uint64_t w[2];
    cmd_stream(w, SMMUV3_CMD_ATC_INV, sid, ssv, ssid);
    uint64_t first = addr >> 12, last = (addr + size - 1) >> 12;
    if (!size || addr + size - 1 < addr) {
        fset(w, F_CMD_ATC_INV_size, 52);   /* everything */
    } else {
        unsigned span = 0;
        while (span < 52 && (first >> span) != (last >> span))
            span++;
        fset(w, F_CMD_ATC_INV_size, span);
        fset_addr(w, F_CMD_ATC_INV_address, (first >> span) << span << 12);
    }
    return submit_sync(d, w);
}

int smmuv3_driver_pri_resp(smmuv3_driver *d, uint32_t sid, bool ssv, uint32_t ssid, uint16_t prgi, unsigned resp)
{
    if (!drv_ok(d) || prgi > 0x1FF || resp > 2)
        return SMMUV3_EINVAL;
    uint64_t w[2];
    cmd_stream(w, SMMUV3_CMD_PRI_RESP, sid, ssv, ssid);
    fset(w, F_CMD_PRI_RESP_prgi, prgi);
    fset(w, F_CMD_PRI_RESP_resp, resp);
    return submit_sync(d, w);
}
