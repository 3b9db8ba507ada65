/* SPDX-License-Identifier: MIT */
/*
 * The driver checker's core: switching it on and off, and the report.
 *
 * Switching on allocates the checker's state (once per instance), forgets
 * everything learnt in an earlier session (the configuration cache may have
 * been filled while it was off) and empties the translation memo, which takes
 * no entries while the checker is on: every translation then reaches the
 * configuration cache and IOTLB hooks. Switching off keeps the state
 * allocated (a callback may switch it off from inside a report).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/checker/checker.h"
#include "model/hash.h"

const char *smmuv3_diag_name(int code)
{
    switch (code) {
    case SMMUV3_DIAG_STALE_STE: return "STALE_STE";
    case SMMUV3_DIAG_STALE_CD: return "STALE_CD";
    case SMMUV3_DIAG_STALE_TLB: return "STALE_TLB";
    case SMMUV3_DIAG_MISALIGNED: return "MISALIGNED";
    case SMMUV3_DIAG_UNPREDICTABLE: return "UNPREDICTABLE";
    case SMMUV3_DIAG_QUEUE: return "QUEUE";
    case SMMUV3_DIAG_ERROR_IGNORED: return "ERROR_IGNORED";
    case SMMUV3_DIAG_TAG_ALIAS: return "TAG_ALIAS";
    default: return "?";
    }
}

static smmu_chk *chk_new(const smmuv3 *s)
{
    void *p[1];
    smmu_chk *c = smmu_table_new(sizeof(*c), p, 1, (size_t[]){ s->cfg.cfg_entries }, (size_t[]){ sizeof(smmu_chk_shadow) });
    if (c) {
        c->nshadow = s->cfg.cfg_entries;
        c->shadow = p[0];
    }
    return c;
}

void smmu_chk_free(smmu_chk *c)
{
    if (c)
        smmu_table_free(c, (void *[]){ c->shadow }, 1);
}

static void chk_forget(smmu_chk *c)
{
    for (unsigned i = 0; i < c->nshadow; i++)
        c->shadow[i].valid = false;
    c->nnotes = 0;
    memset(c->recent, 0xff, sizeof(c->recent));
    c->recent_next = 0;
    memset(c->gerror_reported, 0, sizeof(c->gerror_reported));
    memset(c->ovf_reported, 0, sizeof(c->ovf_reported));
}

static void set_diag(smmuv3 *s, void (*cb)(void *ctx, const smmuv3_diag *d), void *ctx);

void smmuv3_set_diag(smmuv3 *s, void (*cb)(void *ctx, const smmuv3_diag *d), void *ctx)
{
    if (!s)
        return;
    smmu_lock(s);
    set_diag(s, cb, ctx);
    smmu_unlock(s);
}

static void set_diag(smmuv3 *s, void (*cb)(void *ctx, const smmuv3_diag *d), void *ctx)
{
    if (!s)
        return;
    if (cb && !s->chk) {
        s->chk = chk_new(s);
        if (!s->chk)
            return;             /* out of memory: the checker stays off */
    }
    if (cb && !s->diag_cb)
        chk_forget(s->chk);
    s->diag_cb = cb;
    s->diag_ctx = cb ? ctx : NULL;
    smmu_state_changed(s);      /* empties the memo: no hit skips the hooks */
}

void smmu_chk_report(smmuv3 *s, int code, uint32_t sid, uint32_t ssid, uint64_t addr, const char *fmt, ...)
{
    void (*cb)(void *, const smmuv3_diag *) = s->diag_cb;
    if (!cb || !s->chk)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->chk->msg, sizeof(s->chk->msg), fmt, ap);
    va_end(ap);
    if (code > 0 && code < SMMUV3_DIAG_CODES)
        s->stats.diags[code]++;
    smmuv3_diag d = { .code = code, .sid = sid, .ssid = ssid, .addr = addr, .msg = s->chk->msg };
    cb(s->diag_ctx, &d);
}

bool smmu_chk_once(smmuv3 *s, int code, uint32_t sid, uint32_t ssid, uint64_t addr)
{
    smmu_chk *c = s->chk;
    uint64_t k = (uint64_t)code << 56 ^ (uint64_t)sid << 24 ^ ssid;
    for (unsigned i = 0; i < SMMU_CHK_RECENT; i++)
        if (c->recent[i][0] == k && c->recent[i][1] == addr)
            return false;
    c->recent[c->recent_next][0] = k;
    c->recent[c->recent_next][1] = addr;
    c->recent_next = (c->recent_next + 1) % SMMU_CHK_RECENT;
    return true;
}
