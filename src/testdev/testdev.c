/* SPDX-License-Identifier: MIT */
/*
 * The DMA test device (include/smmuv3/testdev.h): QEMU iommu-testdev's
 * registers 0x00..0x20 with the same behaviour, plus a SubstreamID and
 * attribute registers, a repeated-memcpy engine and an MSI trigger. Every
 * device access goes through smmuv3_translate(); physical accesses go through
 * the host interface the device was created with.
 */
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"
#include "testdev/ats_client.h"
#include "testdev/regfile.h"

#define PAGE 4096u
#define MAX_ABANDONED 8

enum { PHASE_NONE = 0, PHASE_SRC = 1, PHASE_DST = 2 };

struct smmuv3_testdev {
    smmuv3 *smmu;
    smmuv3_host host;
    uint32_t sid;

    /* iommu-testdev */
    uint64_t gva, gpa;
    uint32_t len, result, attrs;
    bool armed;

    /* extensions */
    uint32_t ssid_reg, txn_attrs, last_fault;
    uint32_t dma_sec;        /* SMMUV3_TXN_SECURE/NS of the running iommu-testdev DMA (ATTRS) */

    /* memcpy engine: registers, then the latched run */
    uint64_t m_src, m_dst;
    uint32_t m_len, m_repeat;
    uint64_t r_src, r_dst;
    uint32_t r_len, r_total, r_ssid_reg, r_txn_attrs, r_sid;
    uint32_t m_status, m_done, m_off;
    uint64_t m_fault_iova;
    uint32_t m_fault_event;
    uint16_t m_stag;
    uint8_t m_stall_phase;   /* which access of the current piece stalled */
    uint8_t m_razwi_phase;   /* that access was answered RAZ/WI: skip it once */

    /* MSI */
    uint64_t msi_addr;
    uint32_t msi_data, msi_result, msi_count;

    /* stalls of the synchronous engines, polled until software answers */
    struct { bool used; uint32_t sid; uint16_t stag; } abandoned[MAX_ABANDONED];

    tdev_ats *ats;   /* the ATS/PRI client (ats_client.c) */
};

static void dev_reset(smmuv3_testdev *d, uint32_t sid)
{
    /* Everything else back to 0; the SMMU, the host and the ATS client stay. */
    *d = (smmuv3_testdev){ .smmu = d->smmu,
                           .host = d->host,
                           .ats = d->ats,
                           .sid = sid,
                           .result = SMMUV3_TESTDEV_RESULT_IDLE,
                           .attrs = SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_NONSECURE),
                           .msi_result = SMMUV3_TESTDEV_RESULT_IDLE };
}

smmuv3_testdev *smmuv3_testdev_new(smmuv3 *smmu, const smmuv3_host *host, uint32_t sid)
{
    if (!smmu || !host || !host->read || !host->write)
        return NULL;
    smmuv3_testdev *d = calloc(1, sizeof(*d));
    if (!d)
        return NULL;
    d->smmu = smmu;
    d->host = *host;
    d->ats = tdev_ats_new();
    if (!d->ats) {
        free(d);
        return NULL;
    }
    dev_reset(d, sid);
    return d;
}

void smmuv3_testdev_free(smmuv3_testdev *d)
{
    if (d)
        tdev_ats_free(d->ats);
    free(d);
}

static tdev_ctx ats_ctx(const smmuv3_testdev *d)
{
    tdev_ctx c = { d->smmu, &d->host, d->sid, d->ssid_reg, d->txn_attrs, d->dma_sec };
    return c;
}

void smmuv3_testdev_atc_inv(smmuv3_testdev *d, const smmuv3_atc_inv *inv)
{
    if (d && inv && inv->sid == d->sid)
        tdev_ats_inv(d->ats, inv);
}

void smmuv3_testdev_pri_resp(smmuv3_testdev *d, const smmuv3_pri_resp *resp)
{
    if (d && resp && resp->sid == d->sid)
        tdev_ats_resp(d->ats, resp);
}

/* ------------------------------------------------------------ accesses */
/* An access to a PA space: ns false is the Secure one (host.read_secure /
 * write_secure, the same memory as read/write when NULL). */
static int host_rw_pas(smmuv3_testdev *d, bool ns, uint64_t pa, void *rbuf, const void *wbuf, size_t len)
{
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    int (*rd)(void *, uint64_t, void *, size_t) = d->host.read;
    int (*wr)(void *, uint64_t, const void *, size_t) = d->host.write;
    if (!ns && d->host.read_secure)
        rd = d->host.read_secure;
    if (!ns && d->host.write_secure)
        wr = d->host.write_secure;
    int rc = rbuf ? rd(d->host.ctx, pa, rbuf, len) : wr(d->host.ctx, pa, wbuf, len);
    return rc ? SMMUV3_EABORT : 0;
}

static int host_rw(smmuv3_testdev *d, uint64_t pa, void *rbuf, const void *wbuf, size_t len)
{
    return host_rw_pas(d, true, pa, rbuf, wbuf, len);
}

static uint32_t fault_word(const smmuv3_result *res, int outcome, bool write)
{
    return (uint32_t)res->fault | ((uint32_t)outcome & 0xffu) << 8 | (write ? SMMUV3_TESTDEV_FAULT_WRITE : 0);
}

static void abandon_stall(smmuv3_testdev *d, uint32_t sid, uint16_t stag)
{
    for (unsigned i = 0; i < MAX_ABANDONED; i++)
        if (!d->abandoned[i].used) {
            d->abandoned[i].used = true;
            d->abandoned[i].sid = sid;
            d->abandoned[i].stag = stag;
            return;
        }
    /* no room: the stall stays held until software terminates it */
}

static void poll_abandoned(smmuv3_testdev *d)
{
    for (unsigned i = 0; i < MAX_ABANDONED; i++)
        if (d->abandoned[i].used &&
            smmuv3_stall_poll(d->smmu, d->abandoned[i].sid, d->abandoned[i].stag) != SMMUV3_STALL_PENDING)
            d->abandoned[i].used = false;
}

/* Translate one access (no 4KB crossing). Returns the SMMUV3_XLATE_* outcome
 * (a caller error counts as an abort); records LAST_FAULT. */
static int dev_xlate(smmuv3_testdev *d, uint32_t sid, uint32_t ssid_reg, uint32_t txn_attrs, uint64_t iova,
                     bool write, uint64_t *pa, smmuv3_result *res)
{
    smmuv3_txn t;
    memset(&t, 0, sizeof(t));
    t.sid = sid;
    t.ssv = (ssid_reg & SMMUV3_TESTDEV_SSID_SSV) != 0;
    t.ssid = ssid_reg & 0xfffffu;
    t.addr = iova;
    t.flags = (write ? SMMUV3_TXN_WRITE : 0) | ((txn_attrs & SMMUV3_TESTDEV_TXN_PRIV) ? SMMUV3_TXN_PRIV : 0) |
              ((txn_attrs & SMMUV3_TESTDEV_TXN_INST) ? SMMUV3_TXN_EXEC : 0) | d->dma_sec;
    memset(res, 0, sizeof(*res));
    int rc = smmuv3_translate(d->smmu, &t, res);
    if (rc < 0)
        rc = SMMUV3_XLATE_ABORT;
    if (rc != SMMUV3_XLATE_OK)
        d->last_fault = fault_word(res, rc, write);
    *pa = res->pa;
    return rc;
}

/* ------------------------------------------------------------ iommu-testdev DMA */
static bool attrs_inconsistent(uint32_t a)
{
    if (!(a & SMMUV3_TESTDEV_ATTRS_SPACE_VALID))
        return false;
    unsigned space = (a >> 1) & 3u;
    bool secure = (a & SMMUV3_TESTDEV_ATTRS_SECURE) != 0;
    if (space == SMMUV3_TESTDEV_SPACE_SECURE || space == SMMUV3_TESTDEV_SPACE_NONSECURE)
        return secure != (space == SMMUV3_TESTDEV_SPACE_SECURE);
    return false;
}

/* The transaction ATTRS make (IHI 0070 3.10.1), once attrs_inconsistent()
 * has passed: the secure bit is SEC_SID = 1, a Secure stream, with input
 * NS = 0 (a valid Non-secure space with the secure bit is inconsistent).
 * Other spaces (Root/Realm encodings) are not issued: returns false. */
static bool attrs_flags(uint32_t a, uint32_t *flags)
{
    bool valid = (a & SMMUV3_TESTDEV_ATTRS_SPACE_VALID) != 0;
    unsigned space = (a >> 1) & 3u;
    *flags = 0;
    if (valid && space != SMMUV3_TESTDEV_SPACE_NONSECURE && space != SMMUV3_TESTDEV_SPACE_SECURE)
        return false;
    if (!(a & SMMUV3_TESTDEV_ATTRS_SECURE))
        return !valid || space == SMMUV3_TESTDEV_SPACE_NONSECURE;
    *flags = SMMUV3_TXN_SECURE;
    return true;
}

/* Write buf to iova through the SMMU, page by page. */
static uint32_t dma_write(smmuv3_testdev *d, uint64_t iova, const uint8_t *buf, uint32_t len, bool *first_ns)
{
    if (tdev_ats_dma_on(d->ats)) {
        tdev_ctx c = ats_ctx(d);
        return tdev_ats_dma_write(d->ats, &c, iova, buf, len);
    }
    uint32_t done = 0;
    while (done < len) {
        uint64_t a = iova + done, pa;
        uint32_t piece = PAGE - (uint32_t)(a & (PAGE - 1));
        if (piece > len - done)
            piece = len - done;
        smmuv3_result res;
        int oc = dev_xlate(d, d->sid, d->ssid_reg, d->txn_attrs, a, true, &pa, &res);
        if (oc == SMMUV3_XLATE_STALL) {
            abandon_stall(d, d->sid, res.stag);
            return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        }
        if (oc == SMMUV3_XLATE_ABORT || (oc != SMMUV3_XLATE_OK && oc != SMMUV3_XLATE_RAZWI))
            return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        if (oc == SMMUV3_XLATE_OK && host_rw_pas(d, res.attrs.ns, pa, NULL, buf + done, piece))
            return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        if (!done && oc == SMMUV3_XLATE_OK)
            *first_ns = res.attrs.ns;
        done += piece;
    }
    return SMMUV3_TESTDEV_RESULT_OK;
}

static void run_dma(smmuv3_testdev *d)
{
    poll_abandoned(d);
    if (!d->armed) {
        d->result = SMMUV3_TESTDEV_RESULT_NOT_ARMED;
        return;
    }
    d->armed = false;   /* triggering consumes the request, even on error */
    if (d->len == 0 || d->len > SMMUV3_TESTDEV_MAX_LEN) {
        d->result = SMMUV3_TESTDEV_RESULT_BAD_LEN;
        return;
    }
    if (attrs_inconsistent(d->attrs)) {
        d->result = SMMUV3_TESTDEV_RESULT_BAD_ATTRS;
        return;
    }
    uint32_t sec;
    if (!attrs_flags(d->attrs, &sec)) {
        d->result = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        return;
    }
    uint8_t *wbuf = malloc(d->len), *rbuf = malloc(d->len);
    if (!wbuf || !rbuf) {
        free(wbuf);
        free(rbuf);
        d->result = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        return;
    }
    for (uint32_t i = 0; i < d->len; i++)
        wbuf[i] = (uint8_t)(SMMUV3_TESTDEV_PATTERN >> (8 * (i % 4)));
    /* The readback is in the PA space the DMA's (first) translation gave. */
    d->dma_sec = sec;
    bool ns = true;
    uint32_t r = dma_write(d, d->gva, wbuf, d->len, &ns);
    d->dma_sec = 0;
    if (r == SMMUV3_TESTDEV_RESULT_OK && host_rw_pas(d, ns, d->gpa, rbuf, NULL, d->len))
        r = SMMUV3_TESTDEV_RESULT_RD_FAIL;
    if (r == SMMUV3_TESTDEV_RESULT_OK) {
        for (uint32_t i = 0; i < d->len; i += 4) {
            uint32_t n = d->len - i < 4 ? d->len - i : 4;
            if (memcmp(wbuf + i, rbuf + i, n)) {
                r = SMMUV3_TESTDEV_RESULT_MISMATCH;
                break;
            }
        }
    }
    d->result = r;
    free(wbuf);
    free(rbuf);
}

/* ------------------------------------------------------------ memcpy engine */
static void mcpy_fail(smmuv3_testdev *d, uint64_t iova, uint32_t event)
{
    d->m_status = SMMUV3_TESTDEV_MCPY_FAULT;
    d->m_fault_iova = iova;
    d->m_fault_event = event;
}

/* One access of the engine. Returns 0 to go on (data moved, or RAZ/WI
 * handled), 1 when the engine stopped (FAULT or STALLED). */
static int mcpy_access(smmuv3_testdev *d, uint8_t phase, uint64_t iova, uint8_t *buf, uint32_t n)
{
    bool write = phase == PHASE_DST;
    if (d->m_razwi_phase == phase) {
        d->m_razwi_phase = PHASE_NONE;
        if (!write)
            memset(buf, 0, n);
        return 0;
    }
    uint64_t pa;
    smmuv3_result res;
    int oc = dev_xlate(d, d->r_sid, d->r_ssid_reg, d->r_txn_attrs, iova, write, &pa, &res);
    switch (oc) {
    case SMMUV3_XLATE_OK:
        if (host_rw(d, pa, write ? NULL : buf, write ? buf : NULL, n)) {
            mcpy_fail(d, iova, 0xffu << 8 | (write ? SMMUV3_TESTDEV_FAULT_WRITE : 0));
            return 1;
        }
        return 0;
    case SMMUV3_XLATE_RAZWI:
        if (!write)
            memset(buf, 0, n);
        return 0;
    case SMMUV3_XLATE_STALL:
        d->m_status = SMMUV3_TESTDEV_MCPY_STALLED;
        d->m_stag = res.stag;
        d->m_stall_phase = phase;
        d->m_fault_iova = iova;
        d->m_fault_event = fault_word(&res, oc, write);
        return 1;
    default:
        mcpy_fail(d, iova, fault_word(&res, oc, write));
        return 1;
    }
}

/* A stalled engine asks the SMMU what became of its transaction. */
static void mcpy_poll_stall(smmuv3_testdev *d)
{
    int a = smmuv3_stall_poll(d->smmu, d->r_sid, d->m_stag);
    switch (a) {
    case SMMUV3_STALL_PENDING:
        return;
    case SMMUV3_STALL_RETRY:
        d->m_status = SMMUV3_TESTDEV_MCPY_RUNNING;
        return;
    case SMMUV3_STALL_RAZWI:
        d->m_razwi_phase = d->m_stall_phase;
        d->m_status = SMMUV3_TESTDEV_MCPY_RUNNING;
        return;
    default:   /* terminated with abort, or the stall is gone */
        d->m_status = SMMUV3_TESTDEV_MCPY_FAULT;
        d->m_fault_event = (d->m_fault_event & ~0xff00u) | (uint32_t)SMMUV3_XLATE_ABORT << 8;
        return;
    }
}

static void mcpy_run(smmuv3_testdev *d, uint32_t max_reps)
{
    uint8_t buf[PAGE];
    if (d->m_status == SMMUV3_TESTDEV_MCPY_STALLED)
        mcpy_poll_stall(d);
    if (d->m_status != SMMUV3_TESTDEV_MCPY_RUNNING)
        return;
    for (uint32_t reps = 0; reps < max_reps && d->m_done < d->r_total; reps++) {
        while (d->m_off < d->r_len) {
            uint64_t s = d->r_src + d->m_off, t = d->r_dst + d->m_off;
            uint32_t n = d->r_len - d->m_off;
            uint32_t ls = PAGE - (uint32_t)(s & (PAGE - 1)), lt = PAGE - (uint32_t)(t & (PAGE - 1));
            if (n > ls)
                n = ls;
            if (n > lt)
                n = lt;
            if (mcpy_access(d, PHASE_SRC, s, buf, n) || mcpy_access(d, PHASE_DST, t, buf, n))
                return;
            d->m_off += n;
        }
        d->m_off = 0;
        d->m_done++;
    }
    if (d->m_done >= d->r_total)
        d->m_status = SMMUV3_TESTDEV_MCPY_DONE_OK;
}

static void mcpy_start(smmuv3_testdev *d)
{
    poll_abandoned(d);
    d->r_src = d->m_src;
    d->r_dst = d->m_dst;
    d->r_len = d->m_len;
    d->r_total = d->m_repeat ? d->m_repeat : 1;
    d->r_sid = d->sid;
    d->r_ssid_reg = d->ssid_reg;
    d->r_txn_attrs = d->txn_attrs;
    d->m_done = 0;
    d->m_off = 0;
    d->m_fault_iova = 0;
    d->m_fault_event = 0;
    d->m_stag = 0;
    d->m_stall_phase = d->m_razwi_phase = PHASE_NONE;
    if (d->r_len == 0 || d->r_len > SMMUV3_TESTDEV_MAX_LEN || d->r_total > SMMUV3_TESTDEV_MAX_REPEAT ||
        (uint64_t)d->r_len * d->r_total > SMMUV3_TESTDEV_MAX_TOTAL) {
        d->m_status = SMMUV3_TESTDEV_MCPY_BAD_LEN;
        return;
    }
    d->m_status = SMMUV3_TESTDEV_MCPY_RUNNING;
    mcpy_run(d, 1);
}

static void mcpy_ctrl(smmuv3_testdev *d, uint32_t v)
{
    if (v == SMMUV3_TESTDEV_MCPY_START) {
        mcpy_start(d);
    } else if (v == SMMUV3_TESTDEV_MCPY_STOP) {
        if (d->m_status == SMMUV3_TESTDEV_MCPY_STALLED)
            abandon_stall(d, d->r_sid, d->m_stag);
        if (d->m_status == SMMUV3_TESTDEV_MCPY_RUNNING || d->m_status == SMMUV3_TESTDEV_MCPY_STALLED)
            d->m_status = SMMUV3_TESTDEV_MCPY_STOPPED;
    }
}

/* ------------------------------------------------------------ MSI */
static void msi_send(smmuv3_testdev *d)
{
    poll_abandoned(d);
    uint64_t pa;
    smmuv3_result res;
    uint8_t b[4];
    for (unsigned i = 0; i < 4; i++)
        b[i] = (uint8_t)(d->msi_data >> (8 * i));
    int oc = dev_xlate(d, d->sid, 0, 0, d->msi_addr, true, &pa, &res);
    if (oc == SMMUV3_XLATE_STALL)
        abandon_stall(d, d->sid, res.stag);
    if (oc == SMMUV3_XLATE_RAZWI) {
        d->msi_result = SMMUV3_TESTDEV_RESULT_OK;   /* completed for the device, dropped by the SMMU */
        return;
    }
    if (oc != SMMUV3_XLATE_OK) {
        d->msi_result = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        return;
    }
    /* a 32-bit write never crosses a 4KB boundary when aligned; an unaligned
     * doorbell is split like any DMA */
    uint32_t first = PAGE - (uint32_t)(d->msi_addr & (PAGE - 1));
    if (first < 4) {
        if (host_rw(d, pa, NULL, b, first)) {
            d->msi_result = SMMUV3_TESTDEV_RESULT_RD_FAIL;
            return;
        }
        oc = dev_xlate(d, d->sid, 0, 0, d->msi_addr + first, true, &pa, &res);
        if (oc == SMMUV3_XLATE_STALL)
            abandon_stall(d, d->sid, res.stag);
        if (oc != SMMUV3_XLATE_OK && oc != SMMUV3_XLATE_RAZWI) {
            d->msi_result = SMMUV3_TESTDEV_RESULT_TX_FAIL;
            return;
        }
        if (oc == SMMUV3_XLATE_OK && host_rw(d, pa, NULL, b + first, 4 - first)) {
            d->msi_result = SMMUV3_TESTDEV_RESULT_RD_FAIL;
            return;
        }
    } else if (host_rw(d, pa, NULL, b, 4)) {
        d->msi_result = SMMUV3_TESTDEV_RESULT_RD_FAIL;
        return;
    }
    d->msi_result = SMMUV3_TESTDEV_RESULT_OK;
    d->msi_count++;
}

/* ------------------------------------------------------------ registers */
#define R_(name, field, wmask) \
    { SMMUV3_TESTDEV_##name, (uint16_t)offsetof(smmuv3_testdev, field), TREG_KIND(smmuv3_testdev, field), wmask }
#define SSID_BITS_ (SMMUV3_TESTDEV_SSID_SSV | 0xfffffu)
#define TXN_ATTRS_BITS_ (SMMUV3_TESTDEV_TXN_PRIV | SMMUV3_TESTDEV_TXN_INST)
static const tdev_reg regs[] = {
    R_(GVA_LO, gva, TREG_RW),
    R_(LEN, len, TREG_RW),
    R_(RESULT, result, TREG_RW),
    R_(ATTRS, attrs, TREG_RW),
    R_(GPA_LO, gpa, TREG_RW),
    R_(SSID, ssid_reg, SSID_BITS_),
    R_(TXN_ATTRS, txn_attrs, TXN_ATTRS_BITS_),
    R_(SID, sid, TREG_RW),
    R_(LAST_FAULT, last_fault, TREG_RO),    /* a write clears it */
    R_(MCPY_SRC_LO, m_src, TREG_RW),
    R_(MCPY_DST_LO, m_dst, TREG_RW),
    R_(MCPY_LEN, m_len, TREG_RW),
    R_(MCPY_REPEAT, m_repeat, TREG_RW),
    R_(MCPY_STATUS, m_status, TREG_RO),
    R_(MCPY_DONE, m_done, TREG_RO),
    R_(MCPY_FAULT_LO, m_fault_iova, TREG_RO),
    R_(MCPY_FAULT_EVENT, m_fault_event, TREG_RO),
    R_(MCPY_STAG, m_stag, TREG_RO),
    R_(MSI_ADDR_LO, msi_addr, TREG_RW),
    R_(MSI_DATA, msi_data, TREG_RW),
    R_(MSI_RESULT, msi_result, TREG_RO),
    R_(MSI_COUNT, msi_count, TREG_RO),
};
#undef R_

uint32_t smmuv3_testdev_read(smmuv3_testdev *d, uint64_t off)
{
    if (!d)
        return 0;
    switch (off) {
    case SMMUV3_TESTDEV_DMA_TRIGGERING:
        run_dma(d);
        return 0;
    case SMMUV3_TESTDEV_MCPY_WAIT:
        mcpy_run(d, UINT32_MAX);
        return d->m_status;
    default: {
        const tdev_reg *r = TREG_FIND(regs, off);
        if (r)
            return tdev_reg_get(r, d, off);
        return tdev_ats_owns(off) ? tdev_ats_read(d->ats, off) : 0;
    }
    }
}

void smmuv3_testdev_write(smmuv3_testdev *d, uint64_t off, uint32_t v)
{
    if (!d)
        return;
    switch (off) {
    case SMMUV3_TESTDEV_DBELL:
        d->armed = (v & SMMUV3_TESTDEV_DBELL_ARM) != 0;
        d->result = d->armed ? SMMUV3_TESTDEV_RESULT_BUSY : SMMUV3_TESTDEV_RESULT_IDLE;
        break;
    case SMMUV3_TESTDEV_LAST_FAULT: d->last_fault = 0; break;
    case SMMUV3_TESTDEV_MCPY_CTRL: mcpy_ctrl(d, v); break;
    case SMMUV3_TESTDEV_MCPY_STEP: mcpy_run(d, v); break;
    case SMMUV3_TESTDEV_MSI_TRIGGER:
        if (v & 1u)
            msi_send(d);
        break;
    default: {
        const tdev_reg *r = TREG_FIND(regs, off);
        if (r) {
            tdev_reg_set(r, d, off, v);
        } else if (tdev_ats_owns(off)) {
            tdev_ctx c = ats_ctx(d);
            tdev_ats_write(d->ats, &c, off, v);
        }
        break;
    }
    }
}
