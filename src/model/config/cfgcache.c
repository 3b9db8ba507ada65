/* SPDX-License-Identifier: MIT */
/*
 * The configuration cache: decoded STE (+ CD) per (StreamID, SubstreamID or
 * "no SubstreamID"), with the verdict smmu_config_lookup gives for that key.
 * Capacity cfg.cfg_entries (0 = off), least-recently-used replacement (an
 * O(1) LRU list), hashed lookup. Only configurations decoded from valid
 * structures are inserted (lookup.c decides); failed fetches and ILLEGAL
 * structures never are (5.2, 5.4: "a failed fetch does not cause an STE/CD
 * to be cached").
 *
 * Invalidation (4.3): an entry holds an STE and possibly a CD, so
 *  - CFGI_STE(SID, Leaf) and CFGI_CD_ALL(SID) drop every entry of SID;
 *  - CFGI_STE_RANGE drops SIDs [SID & ~(2^(Range+1)-1), +2^(Range+1)), Range
 *    31 is every SID (CFGI_ALL);
 *  - CFGI_CD(SID, SSID, Leaf) drops (SID, SSID), and for SSID 0 also the
 *    no-SubstreamID entry of SID (that uses CD 0: S1CDMax == 0 or S1DSS ==
 *    substream 0).
 * Level-1 descriptors (L1STD, L1CD) are never cached on their own, so Leaf=0
 * and Leaf=1 do the same (invalidating more than asked is always permitted).
 * Dropping more than the command names is also what CFGI_CD_ALL does here
 * (the STE goes with its CDs).
 *
 * Cost (issue 19: proportional to the work, not to the capacity): entries
 * are numbered from 1, 0 being "none", so the zeroed memory calloc gives is
 * already an empty cache: creating one touches none of its entries, and
 * entries are taken from a high-water mark before any is reused. Besides
 * the hash of full keys, the entries of one (Security state, StreamID) are
 * on a list of their own, found through a second hash of that pair: a
 * CFGI_STE or CFGI_CD_ALL costs the entries of its StreamID, a CFGI_CD one
 * or two hash probes, a CFGI_STE_RANGE the smaller of its StreamIDs and
 * the valid entries (then a walk of the LRU list, which holds exactly the
 * valid ones), and a flush the valid entries.
 */
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"
#include "model/hash.h"

#define NIL 0u                 /* entry numbers start at 1 */

typedef struct cfg_entry {
    bool valid;
    bool ssv;                  /* false: the entry of transactions without a SubstreamID */
    bool secure;               /* a Secure stream's (3.10.2: a separate StreamID namespace) */
    uint32_t sid, ssid;        /* ssid is 0 when !ssv */
    uint32_t next;             /* key hash chain, or the free list */
    uint32_t older, newer;     /* LRU list (valid entries only) */
    uint32_t snext;            /* stream hash chain (the first entry of each stream only) */
    uint32_t sprev, ssnext;    /* the stream's list; sprev NIL: the first, on the stream chain */
    int verdict;
    smmu_txcfg cfg;
} cfg_entry;

struct smmu_cfgcache {
    unsigned entries;
    unsigned count;            /* valid entries */
    unsigned used;             /* entries 1..used have ever been taken */
    unsigned bits;             /* log2 of the number of buckets */
    uint32_t lru_new, lru_old; /* most and least recently used valid entries */
    cfg_entry *e;              /* e[1..entries] */
    uint32_t *bucket;          /* full keys */
    uint32_t *sbucket;         /* (secure, sid): the first entry of each stream */
    uint32_t free_head;        /* entries dropped since, through `next` */
    uint32_t last;             /* entry of the last hit or insert (for the fast path) */
};

/* Bits 32 and up of the Fibonacci product: for keys whose StreamID sits in
 * bits 63:32, consecutive StreamIDs land in distinct buckets (the low bits
 * of StreamID * odd constant are a bijection), so chains stay one long. */
static uint32_t bucket_of(const smmu_cfgcache *c, uint64_t x)
{
    return (uint32_t)((x * SMMU_HASH_K) >> 32) & ((1u << c->bits) - 1);
}

static uint32_t hash(const smmu_cfgcache *c, bool secure, uint32_t sid, bool ssv, uint32_t ssid)
{
    return bucket_of(c, ((uint64_t)sid << 32 | ssid) ^ (ssv ? 0x5bd1e995ull : 0) ^ (secure ? 0x2545f491ull : 0));
}

static uint32_t shash(const smmu_cfgcache *c, bool secure, uint32_t sid)
{
    return bucket_of(c, (uint64_t)sid << 32 | secure);
}

static void lru_unlink(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    if (x->older != NIL)
        c->e[x->older].newer = x->newer;
    else
        c->lru_old = x->newer;
    if (x->newer != NIL)
        c->e[x->newer].older = x->older;
    else
        c->lru_new = x->older;
    x->older = x->newer = NIL;
}

static void lru_push_new(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    x->newer = NIL;
    x->older = c->lru_new;
    if (c->lru_new != NIL)
        c->e[c->lru_new].newer = i;
    else
        c->lru_old = i;
    c->lru_new = i;
}

smmu_cfgcache *smmu_cfgcache_new(unsigned entries)
{
    unsigned bits = 0;
    while ((1u << bits) < entries && bits < 30)
        bits++;
    /* zeroed memory is an empty cache (NIL == 0): nothing to initialise */
    void *p[3];
    size_t nb = (size_t)1 << bits;
    smmu_cfgcache *c = smmu_table_new(sizeof(*c), p, 3, (size_t[]){ nb, nb, (size_t)entries + 1 },
                                      (size_t[]){ sizeof(uint32_t), sizeof(uint32_t), sizeof(cfg_entry) });
    if (!c)
        return NULL;
    c->entries = entries;
    c->bits = bits;
    c->bucket = p[0];
    c->sbucket = p[1];
    c->e = p[2];
    return c;
}

void smmu_cfgcache_free(smmu_cfgcache *c)
{
    if (c)
        smmu_table_free(c, (void *[]){ c->e, c->bucket, c->sbucket }, 3);
}

/* Unlink entry i from the chain (through `next` or `snext`, by `field`)
 * that starts at *head. */
static void chain_remove(smmu_cfgcache *c, uint32_t *head, uint32_t i, size_t field)
{
    uint32_t *pp = head;
    for (unsigned n = 0; *pp != NIL && n < c->entries; n++) {
        uint32_t *link = (uint32_t *)((char *)&c->e[*pp] + field);
        if (*pp == i) {
            *pp = *link;
            return;
        }
        pp = link;
    }
}

/* The first entry of stream (secure, sid), or NIL. */
static uint32_t stream_first(const smmu_cfgcache *c, bool secure, uint32_t sid)
{
    uint32_t i = c->sbucket[shash(c, secure, sid)];
    for (unsigned n = 0; i != NIL && n < c->entries; n++) {
        if (c->e[i].sid == sid && c->e[i].secure == secure)
            return i;
        i = c->e[i].snext;
    }
    return NIL;
}

static void stream_link(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    uint32_t f = stream_first(c, x->secure, x->sid);
    if (f == NIL) {
        uint32_t *head = &c->sbucket[shash(c, x->secure, x->sid)];
        x->sprev = x->ssnext = NIL;
        x->snext = *head;
        *head = i;
        return;
    }
    x->sprev = f;
    x->ssnext = c->e[f].ssnext;
    if (x->ssnext != NIL)
        c->e[x->ssnext].sprev = i;
    c->e[f].ssnext = i;
}

static void stream_unlink(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    if (x->sprev != NIL) {
        c->e[x->sprev].ssnext = x->ssnext;
        if (x->ssnext != NIL)
            c->e[x->ssnext].sprev = x->sprev;
        return;
    }
    /* the first of its stream: the next one (if any) takes its place on the chain */
    uint32_t *head = &c->sbucket[shash(c, x->secure, x->sid)];
    chain_remove(c, head, i, offsetof(cfg_entry, snext));
    if (x->ssnext != NIL) {
        cfg_entry *y = &c->e[x->ssnext];
        y->sprev = NIL;
        y->snext = *head;
        *head = x->ssnext;
    }
}

/* Remove entry i (valid) from every list and put it on the free list. */
static void drop(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    chain_remove(c, &c->bucket[hash(c, x->secure, x->sid, x->ssv, x->ssid)], i, offsetof(cfg_entry, next));
    stream_unlink(c, i);
    lru_unlink(c, i);
    x->valid = false;
    x->next = c->free_head;
    c->free_head = i;
    c->count--;
}

void smmu_cfgcache_flush(smmuv3 *s)
{
    smmu_state_changed(s);
    smmu_cfgcache *c = s->cfgc;
    if (!c)
        return;
    /* every chain holds valid entries only: emptying the buckets of the
     * valid ones empties them all */
    for (uint32_t i = c->lru_new, n; i != NIL; i = n) {
        cfg_entry *x = &c->e[i];
        n = x->older;
        c->bucket[hash(c, x->secure, x->sid, x->ssv, x->ssid)] = NIL;
        c->sbucket[shash(c, x->secure, x->sid)] = NIL;
        x->valid = false;
        x->older = x->newer = NIL;
        x->next = c->free_head;
        c->free_head = i;
    }
    c->lru_new = c->lru_old = NIL;
    c->count = 0;
}

static bool same_key(const cfg_entry *x, bool secure, uint32_t sid, bool ssv, uint32_t ssid)
{
    return x->sid == sid && x->ssid == ssid && x->ssv == ssv && x->secure == secure;
}

/* The entry of a key: the last one hit or inserted first (a stream's
 * transactions come in runs), then the key's hash chain. */
static uint32_t find(const smmu_cfgcache *c, bool secure, uint32_t sid, bool ssv, uint32_t ssid)
{
    uint32_t l = c->last;
    if (l != NIL && c->e[l].valid && same_key(&c->e[l], secure, sid, ssv, ssid))
        return l;
    uint32_t i = c->bucket[hash(c, secure, sid, ssv, ssid)];
    for (unsigned n = 0; i != NIL && n < c->entries; n++) {
        const cfg_entry *x = &c->e[i];
        if (same_key(x, secure, sid, ssv, ssid))
            return i;
        i = x->next;
    }
    return NIL;
}

/* Entry of the last hit or insert, numbered from 0 (UINT32_MAX: none);
 * stable until an entry is dropped, and every drop empties the fast path
 * (smmu_state_changed). */
uint32_t smmu_cfgcache_last(const smmuv3 *s)
{
    return s->cfgc ? s->cfgc->last - 1 : UINT32_MAX;
}

/* A fast-path hit on entry i (numbered from 0) counts as a use for replacement. */
void smmu_cfgcache_touch(smmuv3 *s, uint32_t i)
{
    smmu_cfgcache *c = s->cfgc;
    i++;
    if (!c || c->lru_new == i || i == NIL || i > c->entries || !c->e[i].valid)
        return;
    lru_unlink(c, i);
    lru_push_new(c, i);
}

bool smmu_cfgcache_get_sec(smmuv3 *s, bool secure, uint32_t sid, bool ssv, uint32_t ssid, smmu_txcfg *cfg,
                           int *verdict)
{
    smmu_cfgcache *c = s->cfgc;
    if (!c || !c->entries)
        return false;
    uint32_t i = find(c, secure, sid, ssv, ssv ? ssid : 0);
    if (i == NIL) {
        s->stats.cfg_misses++;
        return false;
    }
    s->stats.cfg_hits++;
    if (c->lru_new != i) {
        lru_unlink(c, i);
        lru_push_new(c, i);
    }
    c->last = i;
    *cfg = c->e[i].cfg;
    *verdict = c->e[i].verdict;
    return true;
}

void smmu_cfgcache_put_sec(smmuv3 *s, bool secure, uint32_t sid, bool ssv, uint32_t ssid,
                           const smmu_txcfg *cfg, int verdict)
{
    smmu_cfgcache *c = s->cfgc;
    if (!c || !c->entries)
        return;
    uint32_t key = ssv ? ssid : 0;
    uint32_t i = find(c, secure, sid, ssv, key);
    if (i == NIL) {
        if (c->free_head == NIL && c->used == c->entries) {
            drop(c, c->lru_old);
            s->stats.cfg_evictions++;
            smmu_state_changed(s);
        }
        if (c->free_head != NIL) {
            i = c->free_head;
            c->free_head = c->e[i].next;
        } else {
            i = ++c->used;
        }
        cfg_entry *x = &c->e[i];
        x->valid = true;
        x->sid = sid;
        x->secure = secure;
        x->ssv = ssv;
        x->ssid = key;
        uint32_t *head = &c->bucket[hash(c, secure, sid, ssv, key)];
        x->next = *head;
        *head = i;
        stream_link(c, i);
        c->count++;
    } else {
        /* Replaced in place (a nested translation cached it meanwhile): the
         * memo may hold shortcuts to the old contents. */
        smmu_state_changed(s);
        lru_unlink(c, i);
    }
    lru_push_new(c, i);
    c->last = i;
    c->e[i].cfg = *cfg;
    c->e[i].verdict = verdict;
}

/* ------------------------------------------------------------ invalidation */
static void drop_counted(smmuv3 *s, uint32_t i)
{
    drop(s->cfgc, i);
    s->stats.cfg_invalidated++;
}

/* Every entry of stream (secure, sid). */
static void invalidate_stream(smmuv3 *s, bool secure, uint32_t sid)
{
    smmu_cfgcache *c = s->cfgc;
    uint32_t i = stream_first(c, secure, sid);
    while (i != NIL) {
        uint32_t n = c->e[i].ssnext;
        drop_counted(s, i);
        i = n;
    }
}

/* Every entry of the streams [base, base + n) of one Security state. */
static void invalidate_range(smmuv3 *s, bool secure, uint32_t base, uint64_t n)
{
    smmu_cfgcache *c = s->cfgc;
    if (n <= c->count) {
        for (uint64_t k = 0; k < n; k++)
            invalidate_stream(s, secure, (uint32_t)(base + k));
        return;
    }
    for (uint32_t i = c->lru_new, nx; i != NIL; i = nx) {
        const cfg_entry *x = &c->e[i];
        nx = x->older;
        if (x->secure == secure && (uint64_t)x->sid - base < n && x->sid >= base)
            drop_counted(s, i);
    }
}

void smmu_cfgcache_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure)
{
    smmu_cfgcache *c = s->cfgc;
    if (!c || !c->count)
        return;
    switch (opcode) {
    case SMMUV3_CMD_CFGI_STE:
        invalidate_stream(s, secure, (uint32_t)fget(cmd, F_CMD_CFGI_STE_sid));
        break;
    case SMMUV3_CMD_CFGI_STE_RANGE: {
        unsigned range = (unsigned)fget(cmd, F_CMD_CFGI_STE_RANGE_range);
        uint64_t n = 1ull << (range + 1);
        uint32_t sid = (uint32_t)fget(cmd, F_CMD_CFGI_STE_RANGE_sid);
        if (range == 31)
            invalidate_range(s, secure, 0, 1ull << 32);
        else
            invalidate_range(s, secure, (uint32_t)(sid & ~(n - 1)), n);
        break;
    }
    case SMMUV3_CMD_CFGI_CD: {
        /* (SID, SSID), and for SSID 0 the no-SubstreamID entry too */
        uint32_t sid = (uint32_t)fget(cmd, F_CMD_CFGI_CD_sid);
        uint32_t ssid = (uint32_t)fget(cmd, F_CMD_CFGI_CD_ssid);
        uint32_t i = find(c, secure, sid, true, ssid);
        if (i != NIL)
            drop_counted(s, i);
        if (ssid == 0 && (i = find(c, secure, sid, false, 0)) != NIL)
            drop_counted(s, i);
        break;
    }
    case SMMUV3_CMD_CFGI_CD_ALL:
        invalidate_stream(s, secure, (uint32_t)fget(cmd, F_CMD_CFGI_CD_ALL_sid));
        break;
    default:
        break;
    }
}

/* Whether entry i holds (sid, ssv, ssid) of a stream of that Security state:
 * the driver checker's shadow of an entry is only meaningful while it does. */
bool smmu_cfgcache_slot_live(const smmuv3 *s, uint32_t i, bool secure, uint32_t sid, bool ssv, uint32_t ssid)
{
    const smmu_cfgcache *c = s->cfgc;
    i++;
    if (!c || i == NIL || i > c->entries || !c->e[i].valid)
        return false;
    return c->e[i].secure == secure && c->e[i].sid == sid && c->e[i].ssv == ssv && c->e[i].ssid == (ssv ? ssid : 0);
}
