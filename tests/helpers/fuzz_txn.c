/* SPDX-License-Identifier: MIT */
/* The fuzz interpreter's transaction ops (fuzz_int.h): translations (with
 * their stalls), ATS Translation Requests and Page Requests, each drawing
 * its stream, SubstreamID and address the same way (pick_stream). */
#include "fuzz_int.h"

#include <stdbool.h>
#include <string.h>
#include <smmuv3/smmuv3.h>

uint64_t fz_pick_iova(fz_in *in)
{
    static const uint64_t spots[] = {
        0x0, 0x1000, 0x10000, 0x1F000, 0x200000, 0x40000000, 0x2000000, 0xFFFFFFFFFFFFF000ull,
        0x0000FFFFFFFFF000ull, 0x00FF000000001000ull, 0x8000000000000000ull, 1ull << 48, 1ull << 52,
    };
    uint8_t m = u8(in);
    if ((m & 3) == 3)
        return u64(in);
    return spots[(m >> 2) % (sizeof(spots) / sizeof(spots[0]))] + ((uint64_t)u8(in) << 4);
}

/* The start every transaction-like op reads into t: a selector byte
 * (StreamID: a u32 when bit 7 is set, else 0-9; the op's own options in bits
 * 6:4), which it returns, the SubstreamID (valid bit; a u32, or 0-7, plus 64
 * when `ssid_hi` and bit 7 of its byte), and the input address. */
static uint8_t pick_stream(fz_in *in, bool ssid_hi, smmuv3_txn *t)
{
    memset(t, 0, sizeof(*t));
    uint8_t m = u8(in);
    t->sid = (m & 0x80) ? u32(in) : (uint32_t)(m % 10);
    uint8_t s = u8(in);
    t->ssv = s & 1;
    t->ssid = (s & 2) ? u32(in) : (uint32_t)(s >> 2) % 8 + ((ssid_hi && (s & 0x80)) ? 64 : 0);
    t->addr = fz_pick_iova(in);
    return m;
}

void fz_op_translate(fz *f, fz_in *in)
{
    smmuv3_txn t;
    uint8_t m = pick_stream(in, true, &t);
    t.flags = u8(in);
    f->last_txn = t;
    f->have_last = true;
    unsigned rep = 1 + ((m >> 4) & 3);
    for (unsigned i = 0; i < rep; i++) {
        smmuv3_result r;
        memset(&r, 0xA5, sizeof(r));
        smmuv3_stats before, after;
        smmuv3_get_stats(f->smmu, &before);
        int rc = smmuv3_translate(f->smmu, &t, &r);
        smmuv3_get_stats(f->smmu, &after);
        observe(f, (uint64_t)(uint32_t)rc | (uint64_t)r.event << 32 | (uint64_t)r.fault << 40 |
                       (uint64_t)r.perm << 48 | (uint64_t)r.bypass << 56);
        observe(f, rc == 0 ? r.pa : 0);
        observe(f, rc == 0 ? r.size : r.stag);
        observe(f, rc == 0 ? (uint64_t)r.attrs.memattr | (uint64_t)r.attrs.sh << 8 | (uint64_t)r.attrs.ns << 16 |
                                 (uint64_t)r.attrs.priv << 17 | (uint64_t)r.attrs.inst << 18 : 0);
        if (rc < 0 || rc > SMMUV3_XLATE_STALL)
            violation(f, "smmuv3_translate: return value out of range", (uint64_t)(int64_t)rc, t.sid);
        else if (r.outcome != rc)
            violation(f, "smmuv3_translate: outcome differs from the return value", r.outcome, (uint64_t)rc);
        else if (rc == 0 && r.pa >= SMMUV3_PA_LIMIT)
            violation(f, "smmuv3_translate: output address at or beyond 2^52", r.pa, t.addr);
        else if (rc == SMMUV3_XLATE_STALL) {
            f->stall_sid = t.sid;
            f->stall_stag = r.stag;
            int p = smmuv3_stall_poll(f->smmu, t.sid, r.stag);
            observe(f, (uint64_t)(int64_t)p);
            /* pending; retry when the stall record could not be written.
             * Unless an interrupt handler ran commands from inside the
             * translation (after the stall record was written): a RESUME or
             * STALL_TERM among them may have answered it already. */
            if (p != SMMUV3_STALL_PENDING && p != SMMUV3_STALL_RETRY && after.commands == before.commands)
                violation(f, "smmuv3_stall_poll: a fresh stall is neither pending nor to retry",
                          (uint64_t)(int64_t)p, r.stag);
        }
    }
}

/* An ATS Translation Request (IHI 0070 3.9.1): always answered (0), with a
 * status in range; a Success completion covers a power of two of at least
 * 4K, its address aligned to it, and grants no more than R/W/X. */
void fz_op_ats(fz *f, fz_in *in)
{
    smmuv3_txn t;
    pick_stream(in, false, &t);
    t.flags = u8(in) & ~(uint32_t)SMMUV3_TXN_TRANSLATED;
    smmuv3_ats_result r;
    memset(&r, 0xA5, sizeof(r));
    int rc = smmuv3_ats_translate(f->smmu, &t, &r);
    observe(f, (uint64_t)(uint32_t)rc | (uint64_t)(uint32_t)r.status << 32);
    if (rc != 0) {
        violation(f, "smmuv3_ats_translate: a request was not answered", (uint64_t)(int64_t)rc, t.sid);
        return;
    }
    if (r.status < SMMUV3_ATS_SUCCESS || r.status > SMMUV3_ATS_CA)
        violation(f, "smmuv3_ats_translate: status out of range", (uint64_t)(int64_t)r.status, t.sid);
    if (r.status != SMMUV3_ATS_SUCCESS)
        return;
    observe(f, r.addr);
    observe(f, r.size | (uint64_t)r.perm << 56 | (uint64_t)r.priv << 60 | (uint64_t)r.global << 61);
    if (r.size < 4096 || (r.size & (r.size - 1)) || (r.addr & (r.size - 1)))
        violation(f, "smmuv3_ats_translate: completion size or alignment", r.addr, r.size);
    if (r.perm & ~(SMMUV3_PERM_R | SMMUV3_PERM_W | SMMUV3_PERM_X))
        violation(f, "smmuv3_ats_translate: permission bits out of range", r.perm, t.sid);
}

/* A Page Request (IHI 0070 8): always taken (0), whatever the queue's state,
 * when the profile has PRI (SMMUV3_ENOTSUP without); the SubstreamID is kept
 * to its 20 bits (a wider one is a caller error). */
void fz_op_pri(fz *f, fz_in *in)
{
    smmuv3_pri_req q;
    memset(&q, 0, sizeof(q));
    smmuv3_txn t;
    pick_stream(in, false, &t);
    q.sid = t.sid;
    q.ssv = t.ssv;
    q.ssid = t.ssid & 0xFFFFF;
    q.addr = t.addr;
    uint8_t b = u8(in);
    q.perm = b & 7;
    q.priv = (b >> 3) & 1;
    q.last = (b >> 4) & 1;
    q.prgi = (uint16_t)(u16(in) & 0x1FF);
    int rc = smmuv3_pri_request(f->smmu, &q);
    observe(f, (uint64_t)(uint32_t)rc);
    if (rc != (smmuv3_get_config(f->smmu)->pri ? 0 : SMMUV3_ENOTSUP))
        violation(f, "smmuv3_pri_request: a request was not taken", (uint64_t)(int64_t)rc, q.sid);
}
