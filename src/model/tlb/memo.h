/* SPDX-License-Identifier: MIT */
/* The translation fast path's entry layout and its probe, inlined into
 * smmuv3_translate (the rest, and the rules that keep it exact and
 * thread-safe, are in model/tlb/memo.c). A hit reads its thread's slot, one
 * 64-byte line of the thread's memo, logs the use of the two caches the
 * translation came from and copies the result image; it takes no lock.
 * A thread's memo has two parts, each direct-mapped: the front (FP_ENTRIES,
 * probed inline) and, behind it, the back (FP_BACK entries, probed when the
 * front misses), which serves working sets larger than the front. */
#ifndef SMMU_FASTPATH_H
#define SMMU_FASTPATH_H

#include <stdalign.h>
#include <stdatomic.h>
#include <string.h>
#include "model/smmu.h"

#define FP_ENTRIES 1024u          /* the front, per thread; power of two */
#define FP_BACK_LOG2 14u          /* the back: 16384 entries per thread (1 MB of address */
#define FP_BACK (1u << FP_BACK_LOG2) /* space, paid per 4K page touched: memo.c) */
#define FP_EMPTY   0u             /* nk0 of an empty entry, so fresh zero pages are empty
                                   * (no key has bits 63:58 set: no key's complement is 0) */
#define FP_NO_TLB  UINT32_MAX     /* tlb_pos of a translation that did not come from the IOTLB */
#define FP_LOG     2048u          /* hits a thread logs between two drains; power of two */
#define FP_THREADS 64u            /* threads that can have a memo; 64 (fp_thash) */
#define FP_STALE   1u             /* slot key flag: a change notice came; empty the memo first */
#define FP_LOCKED  2u             /* slot key flag: the owner holds the instance lock */
#define FP_ASLEEP  4u             /* slot key flag: the memo sleeps (admission, memo.c): no probe */

/* model/tlb/memo.c: exact memo of complete translations (see there; the probe is
 * inline here). */
/* NULL (and no error) when the configuration leaves it off; call after the
 * caches are created. */
int smmu_fastpath_new(smmuv3 *s, smmu_fastpath **out);
void smmu_fastpath_free(smmu_fastpath *fp);
/* Memoize, in this thread's memo, a successful translation begun when s->xgen
 * was `xgen` (under the instance lock). */
void smmu_fastpath_insert(smmuv3 *s, uint64_t xgen, const smmuv3_txn *txn, const smmuv3_result *res,
                          bool via_tlb);
/* Add the memo's hits to statistics (they count as cache hits). Under the lock. */
void smmu_fastpath_stats(const smmuv3 *s, smmuv3_stats *st);
/* The instance lock was taken (depth 0 -> 1) / is about to be released by
 * thread `me` (model/lock.c). */
void smmu_fastpath_locked(smmuv3 *s, uintptr_t me);
void smmu_fastpath_unlocking(smmuv3 *s, uintptr_t me);

/* One memo entry: one cache line on LP64. */
typedef struct fp_entry {
    alignas(64) uint64_t nk0; /* ~(input address >> 12 | flags << 52), or FP_EMPTY */
    uint64_t k1;              /* the transaction's sid and ssid words (fp_key) */
    smmuv3_result img;        /* the result, pa of the page's base */
    uint32_t cfg_slot;        /* configuration cache entry, touched on a hit (LRU) */
    uint32_t tlb_pos;         /* IOTLB dense position, touched on a hit; FP_NO_TLB for a bypass */
} fp_entry;

/* One thread's memo. The entries, `lim`, `nfilled` and `filled` belong to the
 * owner thread alone (written by it, under the lock, read by its hits
 * without). `head` and `bypass` count its hits (written by the owner only,
 * read by the lock holder). `log` keeps the last hits' (cfg_slot << 32 |
 * tlb_pos), for the lock holder to apply to the caches' replacement state
 * while this is the only thread with a memo (memo.c). */
typedef struct fp_thread {
    fp_entry e[FP_ENTRIES + FP_BACK];    /* the front, then the back */
    alignas(64) _Atomic uintptr_t key;   /* owner's smmu_self() | FP_STALE | FP_LOCKED */
    _Atomic uint64_t head;               /* hits (the owner's; release) */
    _Atomic uint64_t bypass;             /* hits of bypass entries (the owner's) */
    uint64_t lim;                        /* head value at which the log is full (owner) */
    uint64_t adm_head;                   /* admission (owner, memo.c): head at the window's start, */
    uint32_t adm_n, adm_skip;            /* translations offered in it, windows left to bypass, */
    uint32_t adm_nap;                    /* windows of the next sleep, */
    bool adm_warm;                       /* and whether a window has been measured (owner) */
    uint32_t nfilled;                    /* entries filled since the last emptying ... */
    uint32_t filled[FP_ENTRIES + FP_BACK]; /* ... and their indexes (owner) */
    alignas(64) uint64_t tail, tail_bypass; /* head and bypass at the last drain (lock holder) */
    alignas(64) _Atomic uint64_t log[FP_LOG];
} fp_thread;

/* A thread's slot (written once, when claimed). */
typedef struct fp_tslot {
    _Atomic uintptr_t id;                /* owner's smmu_self(); 0: free */
    fp_thread *t;                        /* set before id is published, never changed */
} fp_tslot;

struct smmu_fastpath {
    bool on;                  /* config.fastpath with both caches on: memos are made */
    unsigned nthreads;        /* slots claimed (under the lock; hits touch the caches while 1) ... */
    uint8_t claimed[FP_THREADS]; /* ... and their indexes */
    uint32_t sleep;           /* the only memo sleeps (memo.c admission): lock takings left; 0 awake */
    uint64_t hits, tlb_hits;  /* hits drained from the logs (under the lock) */
    _Atomic(fp_thread *) single; /* the memo, while only one thread has one; else NULL */
    fp_tslot slot[FP_THREADS];
};

/* A thread's home slot: Fibonacci hashing of its id (thread pointers differ
 * in their high bits). */
static inline unsigned fp_thash(uintptr_t me)
{
    return (unsigned)(((uint64_t)me * 0x9E3779B97F4A7C15ull) >> 58);
}

/* Hash of a key: the StreamID and SubstreamID word rotated over the page
 * bits, then Fibonacci hashing (the top bits are used). */
static inline uint64_t fp_hash(uint64_t k0, uint64_t k1)
{
    return (k0 ^ (k1 << 28 | k1 >> 36)) * 0x9E3779B97F4A7C15ull;
}

/* The front entry for a key: the top 10 bits of the hash, as one shift and
 * one mask of a byte offset. */
static inline fp_entry *fp_slot(fp_thread *t, uint64_t k0, uint64_t k1)
{
    _Static_assert(sizeof(fp_entry) == 64 && FP_ENTRIES == 1024, "fp_slot's shift");
    return (fp_entry *)((char *)t->e + ((fp_hash(k0, k1) >> 48) & ((FP_ENTRIES - 1) << 6)));
}

/* The back entry for a key. Its line number is the page number twice, plus
 * one for a write (the read and write copies of a page sit side by side);
 * the lines of one window of FP_BACK lines (FP_BACK / 2 pages, same stream,
 * substream and other flags) take consecutive entries from an offset that
 * Fibonacci hashing of (window, other flags, stream and substream words)
 * picks. So a working set of neighbouring pages, read and written, never
 * collides with itself and sits in few 4K pages of the memo (few CPU TLB
 * entries), while windows and streams are spread over the whole back. */
static inline fp_entry *fp_back_slot(fp_thread *t, uint64_t k0, uint64_t k1)
{
    uint64_t line = (k0 << 1 | (k0 >> 52 & 1)) & ((1ull << 53) - 1);
    uint64_t win = line >> FP_BACK_LOG2 ^ (k0 >> 53) << 40;
    uint64_t off = (win ^ (k1 << 28 | k1 >> 36)) * 0x9E3779B97F4A7C15ull >> (64 - FP_BACK_LOG2);
    return t->e + FP_ENTRIES + ((line + off) & (FP_BACK - 1));
}

/* Key words of a transaction (exact: the page has 52 bits, the flags 6;
 * SEC_SID and the input NS attribute keep Secure and Non-secure apart).
 * The SubstreamID takes part even when SSV is 0, which only makes the key
 * finer than the result (never coarser). It is loaded on its own: callers
 * have just stored the fields one by one, and one 64-bit load of StreamID
 * and SubstreamID together would not be forwarded from those stores. */
static inline void fp_key(const smmuv3_txn *txn, uint64_t *k0, uint64_t *k1)
{
    uint64_t fl = (txn->flags & (SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV |
                                 SMMUV3_TXN_SECURE | SMMUV3_TXN_NS)) |
                  (txn->ssv ? 8u : 0u);
    uint32_t ssid = txn->ssid;
    __asm__("" : "+r"(ssid));   /* keeps the two 32-bit loads apart */
    *k0 = txn->addr >> 12 | fl << 52;
    *k1 = txn->sid | (uint64_t)ssid << 32;
}

/* A probe of entry e of thread memo t for key (k0, k1): on a hit, count and
 * log it (the counts and the caches' use are applied at the next drain),
 * write the result and return true. False when the log is full: the slow
 * path drains it. Everything is read before the result is written (the
 * compiler must assume the result may alias it). */
static inline bool fp_probe_entry(fp_thread *t, const fp_entry *e, uint64_t k0, uint64_t k1, uint64_t addr,
                                  smmuv3_result *res)
{
    if (((e->nk0 ^ ~k0) | (e->k1 ^ k1)) != 0)
        return false;
    uint64_t h = atomic_load_explicit(&t->head, memory_order_relaxed);
    if (h == t->lim)
        return false;
    uint32_t tlb_pos = e->tlb_pos;
    atomic_store_explicit(&t->log[h % FP_LOG], (uint64_t)e->cfg_slot << 32 | tlb_pos,
                          memory_order_relaxed);
    if (tlb_pos == FP_NO_TLB)
        atomic_store_explicit(&t->bypass, atomic_load_explicit(&t->bypass, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    atomic_store_explicit(&t->head, h + 1, memory_order_release);
    uint64_t pa = e->img.pa | (addr & 0xfff);
    memcpy(res, &e->img, sizeof(*res));
    res->pa = pa;
    return true;
}

/* A probe of thread memo t's front (inline in smmuv3_translate) / back. */
static inline bool fp_probe(fp_thread *t, const smmuv3_txn *txn, smmuv3_result *res)
{
    uint64_t k0, k1;
    fp_key(txn, &k0, &k1);
    return fp_probe_entry(t, fp_slot(t, k0, k1), k0, k1, txn->addr, res);
}

static inline bool fp_probe_back(fp_thread *t, const smmuv3_txn *txn, smmuv3_result *res)
{
    uint64_t k0, k1;
    fp_key(txn, &k0, &k1);
    return fp_probe_entry(t, fp_back_slot(t, k0, k1), k0, k1, txn->addr, res);
}

/* Whether a successful slow-path translation is offered to the memo (on,
 * and not asleep: memo.c admission). Under the lock. */
static inline bool smmu_fastpath_filling(const smmuv3 *s)
{
    return s->fp->on && !s->fp->sleep;
}

/* The probe when this thread is not in its home slot (memo.c). */
bool smmu_fastpath_lookup_far(smmuv3 *s, uintptr_t me, const smmuv3_txn *txn, smmuv3_result *res);

/* This thread's memo when it may be used without the lock, found straight
 * while it is the only thread with one (its key equals this thread's id: the memo is fresh, no change notice since it
 * was last emptied, and the thread does not hold the instance lock, whose
 * nested translations from host callbacks take the slow path, under the
 * caches' state of that moment); NULL otherwise (then see
 * smmu_fastpath_lookup_far). */
static inline fp_thread *smmu_fastpath_mine(smmuv3 *s)
{
    fp_thread *t = atomic_load_explicit(&s->fp->single, memory_order_acquire);
    if (__builtin_expect(!t || atomic_load_explicit(&t->key, memory_order_acquire) != smmu_self(), 0))
        return NULL;
    return t;
}

#endif
