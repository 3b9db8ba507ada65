/* SPDX-License-Identifier: MIT */
/*
 * Stale caches (driver checker): a configuration or translation still cached
 * although memory says otherwise, with no invalidation covering it since.
 *
 * Configurations (STALE_STE, STALE_CD; IHI 0070 3.21, 4.3): while a lookup
 * reads memory, lookup.c notes every structure it read (PA and words: L1STD,
 * STE, L1CD, CD). When the configuration goes into the configuration cache
 * the notes become the shadow of that cache entry. Every later hit on the
 * entry re-reads those words and compares: a difference is memory changed
 * while the entry was cached, and since any CFGI that covers the entry
 * removes it from the cache (and a later miss takes a new shadow), no CFGI
 * covered it. Changes made before the entry was cached, or followed by the
 * right CFGI, are never compared. One report per cache entry.
 *
 * Translations (STALE_TLB; 3.21, 4.4): on every IOTLB hit the checker walks
 * the tables again as they are in memory now, without side effects (HTTU
 * writes discarded, walk cache bypassed, statistics restored) and compares
 * what the walk gives with what the IOTLB answered: output address, size,
 * permissions, attributes, global. A writable-clean entry (HTTU dirty state)
 * may have been made dirty by the SMMU itself: its write permission is not
 * compared. A hit whose permission check failed is consistent with a walk
 * that fails the same way. A difference explained by another live
 * configuration sharing the TLB tag is TAG_ALIAS, not STALE_TLB. A change
 * of the mapping size alone is not stale with BBML Level 2 (3.21.1.3).
 *
 * Secure streams (3.10.2): the same checks, each structure re-read in the PA
 * space it was read from (a Secure Stream table is in the Secure PA space,
 * a CD where its stage 2 put it), the shadows and reports keyed by the
 * Security state (Secure StreamIDs are a namespace of their own), and the
 * reports naming the Secure stream and the Secure Command queue's CFGI
 * (SSec = 1, 4.1.6).
 */
#include <stdio.h>
#include <string.h>
#include "model/checker/checker.h"

/* ------------------------------------------------------------ configurations */
void smmu_chk_cfg_miss(smmuv3 *s, const smmuv3_txn *txn)
{
    smmu_chk *c = s->chk;
    c->nnotes = 0;
    c->ste_ok = false;
    c->cur_sid = txn->sid;
    c->cur_ssid = txn->ssv ? txn->ssid : UINT32_MAX;
    c->cur_secure = smmu_txn_secure(s, txn);
}

void smmu_chk_note(smmuv3 *s, unsigned kind, bool ns, uint64_t pa, const uint64_t *w, unsigned n)
{
    smmu_chk *c = s->chk;
    if (c->nnotes >= SMMU_CHK_NOTES || n > 8)
        return;
    smmu_chk_rec *r = &c->note[c->nnotes++];
    r->kind = (uint8_t)kind;
    r->n = (uint8_t)n;
    r->ns = ns;
    r->pa = pa;
    memcpy(r->w, w, n * sizeof(*w));
    smmu_chk_rec_tables(s, r);
}

static uint32_t ssid_of(const smmuv3_txn *txn)
{
    return txn->ssv ? txn->ssid : UINT32_MAX;
}

void smmu_chk_cfg_cached(smmuv3 *s, const smmuv3_txn *txn, const smmu_txcfg *cfg)
{
    smmu_chk *c = s->chk;
    uint32_t slot = smmu_cfgcache_last(s);
    bool sec = smmu_txn_secure(s, txn);
    if (slot >= c->nshadow || !smmu_cfgcache_slot_live(s, slot, sec, txn->sid, txn->ssv, txn->ssid))
        return;                 /* not cached (cache off) */
    smmu_chk_shadow *sh = &c->shadow[slot];
    sh->valid = true;
    sh->reported = false;
    sh->secure = sec;
    sh->sid = txn->sid;
    sh->ssv = txn->ssv;
    sh->ssid = txn->ssv ? txn->ssid : 0;
    sh->nnotes = c->nnotes;
    memcpy(sh->note, c->note, sizeof(sh->note));
    sh->cfg = *cfg;
    c->nnotes = 0;
    smmu_chk_alias(s, cfg, txn->sid, ssid_of(txn), NULL, NULL);
}

static const char *const rec_name[SMMU_CHK_NOTES] = { "L1STD", "STE", "L1CD", "CD" };

static void report_stale(smmuv3 *s, const smmuv3_txn *txn, const smmu_chk_rec *r, unsigned word,
                         uint64_t now)
{
    bool ste = r->kind == SMMU_CHK_STE || r->kind == SMMU_CHK_L1STD;
    bool sec = smmu_txn_secure(s, txn);
    const char *inval = ste ? "CFGI_STE/CFGI_STE_RANGE/CFGI_ALL" : "CFGI_CD/CFGI_CD_ALL/CFGI_STE";
    const char *sect = r->kind == SMMU_CHK_L1STD ? "5.1" : r->kind == SMMU_CHK_STE ? "5.2"
                     : r->kind == SMMU_CHK_L1CD ? "5.3" : "5.4";
    char who[64];
    if (txn->ssv)
        snprintf(who, sizeof(who), "%sStreamID %u, SubstreamID %u", smmu_chk_sw(sec), txn->sid, txn->ssid);
    else
        snprintf(who, sizeof(who), "%sStreamID %u", smmu_chk_sw(sec), txn->sid);
    smmu_chk_report(s, ste ? SMMUV3_DIAG_STALE_STE : SMMUV3_DIAG_STALE_CD, txn->sid, ssid_of(txn), r->pa,
                    "%s at %sPA 0x%llx (%s) changed in memory while cached (dword %u: 0x%016llx -> 0x%016llx) "
                    "and no %s%s covered it since: the SMMU may use either (IHI 0070 3.21, 4.3, %s%s)",
                    rec_name[r->kind], r->ns ? "" : "Secure ", (unsigned long long)r->pa, who, word,
                    (unsigned long long)r->w[word], (unsigned long long)now, inval,
                    sec ? " with SSec = 1 on the Secure Command queue" : "", sec ? "4.1.6, " : "", sect);
}

void smmu_chk_cfg_hit(smmuv3 *s, const smmuv3_txn *txn)
{
    smmu_chk *c = s->chk;
    uint32_t slot = smmu_cfgcache_last(s);
    if (slot >= c->nshadow)
        return;
    smmu_chk_shadow *sh = &c->shadow[slot];
    if (!sh->valid || sh->reported || sh->secure != smmu_txn_secure(s, txn) || sh->sid != txn->sid ||
        sh->ssv != txn->ssv || sh->ssid != (txn->ssv ? txn->ssid : 0))
        return;
    for (unsigned i = 0; i < sh->nnotes; i++) {
        const smmu_chk_rec *r = &sh->note[i];
        uint8_t buf[64];
        uint64_t now[8];
        if (smmu_host_read_pas(s, r->ns, r->pa, buf, 8u * r->n))
            continue;           /* now aborts: the next miss reports it as a fetch fault */
        le_load(now, buf, r->n);
        for (unsigned w = 0; w < r->n; w++) {
            if (now[w] != r->w[w]) {
                sh->reported = true;
                report_stale(s, txn, r, w, now[w]);
                return;
            }
        }
    }
}

/* ------------------------------------------------------------ translations */
static int discard_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    (void)ctx; (void)pa; (void)buf; (void)len;
    return 0;
}

/* The walk as memory gives it now, with no side effect on the model. */
static int probe_walk(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_access *acc,
                      smmu_xlate *x, smmu_fault *f)
{
    smmuv3_stats stats = s->stats;
    int (*wr)(void *, uint64_t, const void *, size_t) = s->host.write;
    int (*swr)(void *, uint64_t, const void *, size_t) = s->host.write_secure;
    unsigned we = s->cfg.walk_entries;
    uint64_t xgen = s->xgen;
    s->host.write = discard_write;
    if (swr)
        s->host.write_secure = discard_write;
    s->cfg.walk_entries = 0;
    int r = smmu_walk(s, cfg, iova, acc, x, f);
    s->host.write = wr;
    s->host.write_secure = swr;
    s->cfg.walk_entries = we;
    s->stats = stats;
    s->xgen = xgen;
    return r;
}

/* What differs between the cached translation and the walk, or NULL. A
 * change of the mapping size alone (a block replaced by equivalent pages or
 * the reverse: same output address, permissions, attributes) needs no
 * break-before-make with SMMU_IDR3.BBML = 2, and a lookup may use either
 * size until the TLBI that follows (IHI 0070 3.21.1.3): not stale then. */
static const char *xlate_diff(const smmuv3 *s, const smmu_xlate *c, const smmu_xlate *w)
{
    if (c->pa != w->pa)
        return "output address";
    if (c->size_log2 != w->size_log2 && rget(s->idr[3], F_IDR3_bbml) != 2)
        return "mapping size";
    uint8_t apmask = c->perm.dbm ? 1 : 3;       /* writable-clean: the SMMU may make it dirty */
    uint8_t s2apmask = c->perm.s2dbm ? 1 : 3;
    if (c->perm.s1 != w->perm.s1 || ((c->perm.ap ^ w->perm.ap) & apmask) || c->perm.uxn != w->perm.uxn ||
        c->perm.pxn != w->perm.pxn)
        return "stage 1 permissions";
    if (c->perm.s2 != w->perm.s2 || ((c->perm.s2ap ^ w->perm.s2ap) & s2apmask) || c->perm.s2xn != w->perm.s2xn)
        return "stage 2 permissions";
    if (c->attrs.memattr != w->attrs.memattr || c->attrs.sh != w->attrs.sh)
        return "memory attributes";
    if (c->global != w->global)
        return "nG (global)";
    return NULL;
}

/* Whether the IOTLB entry is what `other` (an aliasing configuration)
 * translates the address to: then it came from there. */
typedef struct hit_ctx {
    const smmuv3_txn *txn;
    const smmu_access *acc;
    const smmu_xlate *x;
} hit_ctx;

static bool came_from(smmuv3 *s, const smmu_txcfg *other, void *ctx)
{
    const hit_ctx *h = ctx;
    smmu_xlate w;
    smmu_fault f;
    memset(&w, 0, sizeof(w));
    memset(&f, 0, sizeof(f));
    return !probe_walk(s, other, h->txn->addr, h->acc, &w, &f) && w.pa == h->x->pa;
}

void smmu_chk_tlb_hit(smmuv3 *s, const smmu_txcfg *cfg, const smmuv3_txn *txn, const smmu_access *acc,
                      const smmu_xlate *x, bool faulted)
{
    smmu_xlate w;
    smmu_fault f;
    memset(&w, 0, sizeof(w));
    memset(&f, 0, sizeof(f));
    const char *what;
    char buf[64];
    if (probe_walk(s, cfg, txn->addr, acc, &w, &f)) {
        if (faulted && f.event == SMMUV3_EVT_F_PERMISSION)
            return;             /* the same verdict */
        snprintf(buf, sizeof(buf), "walk now faults (event 0x%02x)", f.event);
        what = buf;
    } else {
        what = xlate_diff(s, x, &w);
        if (!what)
            return;
    }
    uint32_t ssid = ssid_of(txn);
    hit_ctx hc = { txn, acc, x };
    if (smmu_chk_alias(s, cfg, txn->sid, ssid, came_from, &hc))
        return;                 /* the entry came from another configuration with the same tag */
    bool sec = cfg->ste.secure;
    if (!smmu_chk_once(s, SMMUV3_DIAG_STALE_TLB | (sec ? SMMU_CHK_SEC : 0), txn->sid, ssid, txn->addr >> 12))
        return;
    smmu_chk_report(s, SMMUV3_DIAG_STALE_TLB, txn->sid, ssid, txn->addr,
                    "IOTLB entry for input address 0x%llx (%sStreamID %u) no longer matches the translation "
                    "tables: %s changed (PA 0x%llx cached, walk gives 0x%llx) with no TLBI%s covering it since; "
                    "the SMMU may use either (IHI 0070 3.21, 4.4)",
                    (unsigned long long)txn->addr, smmu_chk_sw(sec), txn->sid, what, (unsigned long long)x->pa,
                    (unsigned long long)w.pa, sec ? " of the Secure Command queue" : "");
}
