/* SPDX-License-Identifier: MIT */
/*
 * The test device's PCIe ATS and PRI client (include/smmuv3/testdev.h,
 * registers 0xB0..0xEC): an Address Translation Cache filled by Translation
 * Requests (smmuv3_ats_translate), Translated writes (SMMUV3_TXN_TRANSLATED),
 * Page Requests (smmuv3_pri_request), and the ATC invalidations and PRG
 * responses the SMMU sends back (IHI 0070 3.9.1, 8; PCIe ATS).
 *
 * ATC: 16 entries replaced in turn, each the untranslated range of one
 * Success completion with some permission (size, translated address, R/W/X,
 * PASID when the request had one, Global). Lookups match the range and the
 * PASID (or no PASID). An invalidation with a PASID removes the entries of
 * that PASID (and Global ones when G is set) overlapping its range; one
 * without a PASID removes every overlapping entry (over-invalidation is
 * always safe for the device).
 */
#include <stdlib.h>
#include <string.h>
#include "testdev/ats_client.h"
#include "testdev/regfile.h"

#define ATC_ENTRIES 16
#define PAGE 4096u

typedef struct atc_entry {
    bool     valid, ssv, global, priv;
    uint32_t ssid;
    uint64_t base, size, taddr;   /* size 0: 2^64 */
    uint8_t  perm;
} atc_entry;

struct tdev_ats {
    uint32_t ctrl, flags, prgi;
    uint64_t addr;
    uint32_t status;              /* ATS_STATUS */
    uint64_t taddr, tsize;
    uint32_t inv_count, resp_count, req_count, pri_status;
    atc_entry atc[ATC_ENTRIES];
    unsigned next;
};

tdev_ats *tdev_ats_new(void) { return calloc(1, sizeof(tdev_ats)); }
void tdev_ats_free(tdev_ats *a) { free(a); }

bool tdev_ats_owns(uint64_t off)
{
    return off >= SMMUV3_TESTDEV_ATS_CTRL && off <= SMMUV3_TESTDEV_PRI_REQ_COUNT && !(off & 3);
}

bool tdev_ats_dma_on(const tdev_ats *a)
{
    return a && (a->ctrl & SMMUV3_TESTDEV_ATS_EN);
}

static bool in_range(const atc_entry *e, uint64_t addr)
{
    return e->size == 0 || (addr - e->base) < e->size;
}

static bool overlaps(const atc_entry *e, uint64_t base, uint64_t size)
{
    if (!size || !e->size)
        return true;
    uint64_t a_end = e->base + (e->size - 1), b_end = base + (size - 1);
    return e->base <= b_end && base <= a_end;
}

static unsigned atc_count(const tdev_ats *a)
{
    unsigned n = 0;
    for (unsigned i = 0; i < ATC_ENTRIES; i++)
        n += a->atc[i].valid;
    return n;
}

static const atc_entry *atc_find(const tdev_ats *a, bool ssv, uint32_t ssid, uint64_t addr)
{
    for (unsigned i = 0; i < ATC_ENTRIES; i++) {
        const atc_entry *e = &a->atc[i];
        if (e->valid && e->ssv == ssv && (!ssv || e->ssid == ssid) && in_range(e, addr))
            return e;
    }
    return NULL;
}

static void atc_insert(tdev_ats *a, bool ssv, uint32_t ssid, uint64_t addr, const smmuv3_ats_result *r)
{
    atc_entry *e = &a->atc[a->next];
    a->next = (a->next + 1) % ATC_ENTRIES;
    memset(e, 0, sizeof(*e));
    e->valid = true;
    e->ssv = ssv;
    e->ssid = ssv ? ssid : 0;
    e->size = r->size;
    e->base = r->size ? addr & ~(r->size - 1) : 0;
    e->taddr = r->addr;
    e->perm = r->perm;
    e->priv = r->priv;
    e->global = r->global;
}

/* A Translation Request for addr (flags: SMMUV3_TXN_WRITE/EXEC/PRIV). */
static int request(tdev_ats *a, const tdev_ctx *c, uint64_t addr, uint32_t flags, smmuv3_ats_result *r)
{
    smmuv3_txn t;
    memset(&t, 0, sizeof(t));
    t.sid = c->sid;
    t.ssv = (c->ssid_reg & SMMUV3_TESTDEV_SSID_SSV) != 0;
    t.ssid = c->ssid_reg & 0xfffffu;
    t.addr = addr;
    /* The issuing Security state (ATTRS): a Secure stream's request gets UR
     * and F_BAD_ATS_TREQ from the SMMU (IHI 0070 3.9.1). */
    t.flags = flags | c->sec;
    memset(r, 0, sizeof(*r));
    int rc = smmuv3_ats_translate(c->smmu, &t, r);
    if (rc < 0) {
        r->status = SMMUV3_ATS_CA;
        return rc;
    }
    a->status = 0x80000000u | ((uint32_t)r->status & 3u) | ((uint32_t)r->perm & 7u) << 4 |
                (r->priv ? 0x100u : 0) | (r->global ? 0x200u : 0);
    a->taddr = r->addr;
    a->tsize = r->size;
    if (r->status == SMMUV3_ATS_SUCCESS && r->perm)
        atc_insert(a, t.ssv, t.ssid, addr, r);
    return 0;
}

static void page_request(tdev_ats *a, const tdev_ctx *c, uint64_t addr, uint8_t perm, bool priv)
{
    smmuv3_pri_req q;
    memset(&q, 0, sizeof(q));
    q.sid = c->sid;
    q.ssv = (c->ssid_reg & SMMUV3_TESTDEV_SSID_SSV) != 0;
    q.ssid = c->ssid_reg & 0xfffffu;
    q.addr = addr & ~(uint64_t)(PAGE - 1);
    q.perm = perm;
    q.priv = priv && q.ssv;
    q.prgi = (uint16_t)(a->prgi & 0x1ffu);
    q.last = true;
    if (smmuv3_pri_request(c->smmu, &q) == 0)
        a->req_count++;
}

static uint32_t txn_flags(const tdev_ctx *c)
{
    if (!(c->ssid_reg & SMMUV3_TESTDEV_SSID_SSV))
        return 0;   /* Exe and Priv travel in the PASID prefix */
    return ((c->txn_attrs & SMMUV3_TESTDEV_TXN_PRIV) ? SMMUV3_TXN_PRIV : 0) |
           ((c->txn_attrs & SMMUV3_TESTDEV_TXN_INST) ? SMMUV3_TXN_EXEC : 0);
}

uint32_t tdev_ats_dma_write(tdev_ats *a, const tdev_ctx *c, uint64_t iova, const uint8_t *buf, uint32_t len)
{
    bool ssv = (c->ssid_reg & SMMUV3_TESTDEV_SSID_SSV) != 0;
    uint32_t ssid = c->ssid_reg & 0xfffffu;
    uint32_t done = 0;
    while (done < len) {
        uint64_t va = iova + done;
        uint32_t piece = PAGE - (uint32_t)(va & (PAGE - 1));
        if (piece > len - done)
            piece = len - done;
        const atc_entry *e = atc_find(a, ssv, ssid, va);
        if (!e || !(e->perm & SMMUV3_PERM_W)) {
            smmuv3_ats_result r;
            request(a, c, va, SMMUV3_TXN_WRITE | txn_flags(c), &r);
            if (r.status != SMMUV3_ATS_SUCCESS)
                return SMMUV3_TESTDEV_RESULT_TX_FAIL;
            if (!(r.perm & SMMUV3_PERM_W)) {
                if (!(a->ctrl & SMMUV3_TESTDEV_PRI_EN))
                    return SMMUV3_TESTDEV_RESULT_TX_FAIL;
                page_request(a, c, va, SMMUV3_PERM_R | SMMUV3_PERM_W, (txn_flags(c) & SMMUV3_TXN_PRIV) != 0);
                return SMMUV3_TESTDEV_RESULT_PAGE_REQUESTED;
            }
            e = atc_find(a, ssv, ssid, va);
            if (!e)
                return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        }
        uint64_t ta = e->taddr + (va - e->base);
        smmuv3_txn t;
        memset(&t, 0, sizeof(t));
        t.sid = c->sid;
        t.addr = ta;
        t.flags = SMMUV3_TXN_WRITE | SMMUV3_TXN_TRANSLATED | c->sec;   /* 3.9.1: forbidden on a Secure stream */
        smmuv3_result res;
        if (smmuv3_translate(c->smmu, &t, &res) != SMMUV3_XLATE_OK)
            return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        if (res.pa >= SMMUV3_PA_LIMIT || piece > SMMUV3_PA_LIMIT - res.pa ||
            c->host->write(c->host->ctx, res.pa, buf + done, piece))
            return SMMUV3_TESTDEV_RESULT_TX_FAIL;
        done += piece;
    }
    return SMMUV3_TESTDEV_RESULT_OK;
}

void tdev_ats_inv(tdev_ats *a, const smmuv3_atc_inv *inv)
{
    if (!a || !inv)
        return;
    a->inv_count++;
    for (unsigned i = 0; i < ATC_ENTRIES; i++) {
        atc_entry *e = &a->atc[i];
        if (!e->valid || !overlaps(e, inv->addr, inv->size))
            continue;
        if (inv->ssv && !(e->ssv && e->ssid == inv->ssid) && !(inv->global && e->global))
            continue;
        e->valid = false;
    }
}

void tdev_ats_resp(tdev_ats *a, const smmuv3_pri_resp *r)
{
    if (!a || !r)
        return;
    a->resp_count++;
    a->pri_status = 0x80000000u | ((uint32_t)r->resp & 3u) | (r->ssv ? 0x8000u : 0) |
                    ((uint32_t)r->prgi & 0x1ffu) << 16;
}

#define R_(name, field, wmask) \
    { SMMUV3_TESTDEV_##name, (uint16_t)offsetof(tdev_ats, field), TREG_KIND(tdev_ats, field), wmask }
#define CTRL_BITS_ (SMMUV3_TESTDEV_ATS_EN | SMMUV3_TESTDEV_PRI_EN)
static const tdev_reg regs[] = {
    R_(ATS_CTRL, ctrl, CTRL_BITS_),
    R_(ATS_ADDR_LO, addr, TREG_RW),
    R_(ATS_FLAGS, flags, 7u),
    R_(ATS_STATUS, status, TREG_RO),
    R_(ATS_TADDR_LO, taddr, TREG_RO),
    R_(ATS_TSIZE_LO, tsize, TREG_RO),
    R_(ATC_INV_COUNT, inv_count, TREG_RO),
    R_(PRI_PRGI, prgi, 0x1ffu),
    R_(PRI_STATUS, pri_status, TREG_RO),
    R_(PRI_RESP_COUNT, resp_count, TREG_RO),
    R_(PRI_REQ_COUNT, req_count, TREG_RO),
};
#undef R_

uint32_t tdev_ats_read(tdev_ats *a, uint64_t off)
{
    if (off == SMMUV3_TESTDEV_ATC_COUNT)
        return atc_count(a);
    const tdev_reg *r = TREG_FIND(regs, off);
    return r ? tdev_reg_get(r, a, off) : 0;
}

static uint32_t flags_txn(uint32_t f)
{
    return ((f & SMMUV3_TESTDEV_ATS_WRITE) ? SMMUV3_TXN_WRITE : 0) |
           ((f & SMMUV3_TESTDEV_ATS_EXEC) ? SMMUV3_TXN_EXEC : 0) |
           ((f & SMMUV3_TESTDEV_ATS_PRIV) ? SMMUV3_TXN_PRIV : 0);
}

void tdev_ats_write(tdev_ats *a, const tdev_ctx *c, uint64_t off, uint32_t v)
{
    switch (off) {
    case SMMUV3_TESTDEV_ATS_CMD:
        if (v == SMMUV3_TESTDEV_ATS_CMD_TRANSLATE) {
            smmuv3_ats_result r;
            request(a, c, a->addr, flags_txn(a->flags), &r);
        } else if (v == SMMUV3_TESTDEV_ATS_CMD_PAGE_REQUEST) {
            uint8_t perm = SMMUV3_PERM_R | ((a->flags & SMMUV3_TESTDEV_ATS_WRITE) ? SMMUV3_PERM_W : 0) |
                           ((a->flags & SMMUV3_TESTDEV_ATS_EXEC) ? SMMUV3_PERM_X : 0);
            page_request(a, c, a->addr, perm, (a->flags & SMMUV3_TESTDEV_ATS_PRIV) != 0);
        } else if (v == SMMUV3_TESTDEV_ATS_CMD_ATC_FLUSH) {
            for (unsigned i = 0; i < ATC_ENTRIES; i++)
                a->atc[i].valid = false;
        }
        break;
    default: {
        const tdev_reg *r = TREG_FIND(regs, off);
        if (r)
            tdev_reg_set(r, a, off, v);
        break;
    }
    }
}
