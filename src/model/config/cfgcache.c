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
 */
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"

#define NIL 0xFFFFFFFFu

typedef struct cfg_entry {
    bool valid;
    bool ssv;                  /* false: the entry of transactions without a SubstreamID */
    bool secure;               /* a Secure stream's (3.10.2: a separate StreamID namespace) */
    uint32_t sid, ssid;        /* ssid is 0 when !ssv */
    uint32_t next;             /* hash chain */
    uint32_t older, newer;     /* LRU list (valid entries only) */
    int verdict;
    smmu_txcfg cfg;
} cfg_entry;

struct smmu_cfgcache {
    unsigned entries;
    unsigned nbuckets;         /* power of two */
    uint32_t lru_new, lru_old; /* most and least recently used valid entries */
    cfg_entry *e;
    uint32_t *bucket;
    uint32_t free_head;        /* free list through `next` */
    uint32_t last;             /* entry of the last hit or insert (for the fast path) */
};

static uint32_t hash(const smmu_cfgcache *c, uint32_t sid, bool ssv, uint32_t ssid)
{
    uint64_t h = (((uint64_t)sid << 32 | ssid) ^ (ssv ? 0x5bd1e995ull : 0)) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(h >> 32) & (c->nbuckets - 1);
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

static void reset(smmu_cfgcache *c)
{
    c->lru_new = c->lru_old = NIL;
    for (unsigned i = 0; i < c->nbuckets; i++)
        c->bucket[i] = NIL;
    c->free_head = c->entries ? 0 : NIL;
    for (unsigned i = 0; i < c->entries; i++) {
        c->e[i].valid = false;
        c->e[i].older = c->e[i].newer = NIL;
        c->e[i].next = i + 1 < c->entries ? i + 1 : NIL;
    }
}

smmu_cfgcache *smmu_cfgcache_new(unsigned entries)
{
    smmu_cfgcache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->entries = entries;
    c->nbuckets = 1;
    while (c->nbuckets < entries && c->nbuckets < (1u << 30))
        c->nbuckets <<= 1;
    c->bucket = calloc(c->nbuckets, sizeof(*c->bucket));
    c->e = entries ? calloc(entries, sizeof(*c->e)) : NULL;
    if (!c->bucket || (entries && !c->e)) {
        smmu_cfgcache_free(c);
        return NULL;
    }
    reset(c);
    return c;
}

void smmu_cfgcache_free(smmu_cfgcache *c)
{
    if (!c)
        return;
    free(c->e);
    free(c->bucket);
    free(c);
}

void smmu_cfgcache_flush(smmuv3 *s)
{
    smmu_state_changed(s);
    if (s->cfgc)
        reset(s->cfgc);
}

/* Remove entry i (valid) from its chain and put it on the free list. */
static void drop(smmu_cfgcache *c, uint32_t i)
{
    cfg_entry *x = &c->e[i];
    uint32_t *pp = &c->bucket[hash(c, x->sid, x->ssv, x->ssid)];
    for (unsigned n = 0; *pp != NIL && n < c->entries; n++) {
        if (*pp == i) {
            *pp = x->next;
            break;
        }
        pp = &c->e[*pp].next;
    }
    lru_unlink(c, i);
    x->valid = false;
    x->next = c->free_head;
    c->free_head = i;
}

static uint32_t find(const smmu_cfgcache *c, bool secure, uint32_t sid, bool ssv, uint32_t ssid)
{
    uint32_t i = c->bucket[hash(c, sid, ssv, ssid)];
    for (unsigned n = 0; i != NIL && n < c->entries; n++) {
        if (c->e[i].sid == sid && c->e[i].ssv == ssv && c->e[i].ssid == ssid && c->e[i].secure == secure)
            return i;
        i = c->e[i].next;
    }
    return NIL;
}

/* Entry of the last hit or insert; stable until an entry is dropped, and every
 * drop empties the fast path (smmu_state_changed). */
uint32_t smmu_cfgcache_last(const smmuv3 *s)
{
    return s->cfgc ? s->cfgc->last : NIL;
}

/* A fast-path hit on entry i counts as a use for replacement. */
void smmu_cfgcache_touch(smmuv3 *s, uint32_t i)
{
    smmu_cfgcache *c = s->cfgc;
    if (!c || c->lru_new == i || i >= c->entries || !c->e[i].valid)
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
    lru_unlink(c, i);
    lru_push_new(c, i);
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
        if (c->free_head == NIL) {
            drop(c, c->lru_old);
            s->stats.cfg_evictions++;
            smmu_state_changed(s);
        }
        i = c->free_head;
        c->free_head = c->e[i].next;
        cfg_entry *x = &c->e[i];
        x->valid = true;
        x->sid = sid;
        x->secure = secure;
        x->ssv = ssv;
        x->ssid = key;
        uint32_t h = hash(c, sid, ssv, key);
        x->next = c->bucket[h];
        c->bucket[h] = i;
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

/* Drop the entries that match; counts cfg_invalidated. */
static void invalidate(smmuv3 *s, bool secure, uint32_t sid_base, uint64_t nsids, bool match_ssid, uint32_t ssid)
{
    smmu_cfgcache *c = s->cfgc;
    if (!c || !c->entries)
        return;
    for (uint32_t i = 0; i < c->entries; i++) {
        cfg_entry *x = &c->e[i];
        if (!x->valid)
            continue;
        if (x->secure != secure || (uint64_t)x->sid - sid_base >= nsids || x->sid < sid_base)
            continue;
        if (match_ssid && !(x->ssv ? x->ssid == ssid : ssid == 0))
            continue;
        drop(c, i);
        s->stats.cfg_invalidated++;
    }
}

void smmu_cfgcache_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure)
{
    switch (opcode) {
    case SMMUV3_CMD_CFGI_STE:
        invalidate(s, secure, (uint32_t)fget(cmd, F_CMD_CFGI_STE_sid), 1, false, 0);
        break;
    case SMMUV3_CMD_CFGI_STE_RANGE: {
        unsigned range = (unsigned)fget(cmd, F_CMD_CFGI_STE_RANGE_range);
        uint64_t n = 1ull << (range + 1);
        uint32_t sid = (uint32_t)fget(cmd, F_CMD_CFGI_STE_RANGE_sid);
        if (range == 31)
            invalidate(s, secure, 0, 1ull << 32, false, 0);
        else
            invalidate(s, secure, (uint32_t)(sid & ~(n - 1)), n, false, 0);
        break;
    }
    case SMMUV3_CMD_CFGI_CD:
        invalidate(s, secure, (uint32_t)fget(cmd, F_CMD_CFGI_CD_sid), 1, true,
                   (uint32_t)fget(cmd, F_CMD_CFGI_CD_ssid));
        break;
    case SMMUV3_CMD_CFGI_CD_ALL:
        invalidate(s, secure, (uint32_t)fget(cmd, F_CMD_CFGI_CD_ALL_sid), 1, false, 0);
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
    if (!c || i >= c->entries || !c->e[i].valid)
        return false;
    return c->e[i].secure == secure && c->e[i].sid == sid && c->e[i].ssv == ssv && c->e[i].ssid == (ssv ? ssid : 0);
}
