/* SPDX-License-Identifier: MIT */
/*
 * The translation fast path: a memo of complete, successful translations,
 * keyed by (StreamID, SSV, SubstreamID, 4K page of the input address,
 * transaction flags), per thread, in two direct-mapped parts (memo.h): a
 * front of 1,024 entries probed inline and a back of 16,384 probed when the
 * front misses; every translation memoized goes into both. It plays the
 * part of a per-stream micro-TLB in front of the configuration cache and the
 * IOTLB, and it is exact: an entry is only a shortcut to what those two
 * caches would answer, so it is valid only while neither can have changed.
 * Every event that can change them calls smmu_state_changed (the change
 * notices of smmu.h, to which the memo listens), which empties the memo
 * at once (it clears the entries filled since the last time, so the cost is
 * bounded by the slow-path translations that filled them):
 *   - any MMIO write (before and after it: commands run inside CMDQ_PROD,
 *     CR0 and GERRORN writes; registers such as CR0, CR2, GBPA change results);
 *   - smmuv3_reset;
 *   - every command consumed (a CMD_SYNC interrupt handler may translate from
 *     inside the register write, after a TLBI or CFGI in the same batch);
 *   - an eviction from the IOTLB or the configuration cache, an entry of
 *     either replaced in place (a write marking a page dirty, or a nested
 *     translation that cached it first), and any flush of them (so a 1-entry
 *     TLB still forgets exactly what it would forget without the memo).
 * A translation during which any of these happened, or during which another
 * translation ran (a host callback: it moves the caches' last-used entries),
 * is not memoized.
 * A memo hit uses the configuration-cache entry and the IOTLB slot it came
 * from (recorded when it was filled; both stay put until a removal, which
 * empties the memo), so replacement order is also what it would be without it.
 * It is filled only when both caches are on (and cfg.fastpath): with either
 * cache off every transaction must observe the tables in memory. Faults,
 * stalls and GBPA traffic never go through it. Counters are kept as if the
 * caches answered (a memo hit counts a translation, a configuration-cache hit
 * and, for translated traffic, an IOTLB hit); they are added up when read
 * (smmu_fastpath_stats).
 *
 * Threads (model/lock.c has the instance lock). Each thread that translates
 * gets a memo of its own (fp_thread, found through its slot, keyed by its
 * smmu_self(); while there is only one, straight through fp->single), so a
 * hit writes nothing another thread reads on its own hits and takes no lock;
 * everything else here runs under the instance lock:
 *   - filling: the slow path fills the calling thread's memo;
 *   - a change notice marks every thread's memo stale (FP_STALE in its
 *     key); the owner empties it the next time it takes the lock (its hits
 *     fail on the flag until then). A hit that read the key before the flag
 *     was set is a translation that overlapped the change: it is ordered
 *     before it. One that starts after the change's call returned reads the
 *     flag (happens-before through the lock and whatever told the thread the
 *     call had returned) and takes the slow path;
 *   - counts: a hit counts itself in its thread's memo (head, bypass); whoever
 *     takes the lock adds every thread's new hits to the totals (drain), so
 *     smmuv3_get_stats (which takes it) counts every hit that returned before
 *     it was called;
 *   - the use of the caches: a hit also appends (cfg_slot, tlb_pos) to its
 *     thread's log. While only one thread has a memo, the drain applies the
 *     log in order, touching the configuration-cache entry and the IOTLB slot
 *     as the hit would have: exactly the replacement order of before (a hit
 *     touches nothing until the next locked call, and only locked calls look
 *     at replacement order); the log filling up sends the thread to the slow
 *     path, which drains it. Once a second thread has a memo, logs are no
 *     longer applied (nor do they fill): hits then leave replacement to the
 *     slow paths' uses, an approximation of LRU (replacement is a policy,
 *     not architecture), and a hit writes nothing but its own thread's lines,
 *     so hits on different threads do not slow each other down;
 *   - while a thread holds the lock its key has FP_LOCKED, so its nested
 *     translations (host callbacks) take the slow path, under the caches'
 *     current state, as single-threaded nested hits did.
 * A thread keeps its slot (and memo) until the instance is freed; a thread
 * created later with the same thread pointer inherits it (the old one has
 * exited). Beyond FP_THREADS threads, the others always take the slow path.
 */
#define _DEFAULT_SOURCE   /* MAP_ANONYMOUS (glibc) */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "model/tlb/memo.h"
#include "model/tlb/tlb_int.h"

/* A change notice (under the lock): every thread's memo is stale. */
static void memo_changed(void *ctx)
{
    smmu_fastpath *fp = ctx;
    for (unsigned i = 0; i < fp->nthreads; i++) {
        fp_thread *t = fp->slot[fp->claimed[i]].t;
        uintptr_t k = atomic_load_explicit(&t->key, memory_order_relaxed);
        if (!(k & FP_STALE))
            atomic_store_explicit(&t->key, k | FP_STALE, memory_order_release);
    }
}

int smmu_fastpath_new(smmuv3 *s, smmu_fastpath **out)
{
    *out = NULL;
    smmu_fastpath *fp = calloc(1, sizeof(*fp));
    if (!fp)
        return SMMUV3_ENOMEM;
    for (unsigned i = 0; i < FP_THREADS; i++)
        atomic_init(&fp->slot[i].id, 0);
    atomic_init(&fp->single, NULL);
    fp->on = s->cfg.fastpath && s->cfg.tlb_entries && s->cfg.cfg_entries;
    /* the memo learns of every change through the change notices (smmu.h) */
    s->on_change.fn = memo_changed;
    s->on_change.ctx = fp;
    *out = fp;
    return 0;
}

static void thread_memo_free(fp_thread *t);

void smmu_fastpath_free(smmu_fastpath *fp)
{
    if (!fp)
        return;
    for (unsigned i = 0; i < fp->nthreads; i++)
        thread_memo_free(fp->slot[fp->claimed[i]].t);
    free(fp);
}

#define FP_THREAD_BYTES ((sizeof(fp_thread) + 4095) & ~(size_t)4095)

/* A thread's memo: fresh zero pages, page-aligned. An empty memo is all
 * zeros, so where the system maps anonymous memory on first touch it costs
 * the pages the thread's working set touches (fp_slot keeps neighbouring
 * pages together), not its 1 MB; smmuv3_new pays nothing for it and a short
 * run (a fuzz execution) a few pages. Page alignment also fixes which cache
 * sets the entries share with other hot data (a hit's cost varied by 15%
 * between runs when the allocator chose). */
static fp_thread *thread_memo_new(void)
{
    fp_thread *t;
#ifdef MAP_ANONYMOUS
    void *p = mmap(NULL, FP_THREAD_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    t = p;
#else
    t = aligned_alloc(4096, FP_THREAD_BYTES);
    if (!t)
        return NULL;
    memset(t, 0, sizeof(*t));
#endif
    atomic_init(&t->head, 0);
    atomic_init(&t->bypass, 0);
    t->lim = FP_LOG;
    return t;   /* the log's zero words are its initial values */
}

static void thread_memo_free(fp_thread *t)
{
#ifdef MAP_ANONYMOUS
    if (t)
        munmap(t, FP_THREAD_BYTES);
#else
    free(t);
#endif
}

/* This thread's slot: from its home slot on, up to the first free one
 * (slots are never given back, so the sequence never changes). NULL when it
 * has none. Lock-free: ids are atomics, and `t` is published before them. */
static fp_tslot *find_slot(smmu_fastpath *fp, uintptr_t me)
{
    for (unsigned n = 0, i = fp_thash(me); n < FP_THREADS; n++, i = (i + 1) % FP_THREADS) {
        uintptr_t id = atomic_load_explicit(&fp->slot[i].id, memory_order_acquire);
        if (id == 0)
            return NULL;
        if (id == me)
            return &fp->slot[i];
    }
    return NULL;
}

/* Under the lock: this thread's slot, claimed now if it has none (NULL when
 * all are taken or out of memory: it then always takes the slow path). */
static fp_tslot *claim_slot(smmu_fastpath *fp, uintptr_t me)
{
    fp_tslot *sl = find_slot(fp, me);
    if (sl || fp->nthreads == FP_THREADS)
        return sl;
    unsigned i = fp_thash(me);
    while (atomic_load_explicit(&fp->slot[i].id, memory_order_relaxed))
        i = (i + 1) % FP_THREADS;
    fp_thread *t = thread_memo_new();
    if (!t)
        return NULL;
    if (fp->nthreads == 1)
        t->lim = UINT64_MAX;     /* the second thread: logs are no longer applied */
    atomic_init(&t->key, me | FP_LOCKED);
    sl = &fp->slot[i];
    sl->t = t;
    atomic_store_explicit(&sl->id, me, memory_order_release);
    fp->claimed[fp->nthreads++] = (uint8_t)i;
    /* the inline probe's shortcut serves the only thread with a memo */
    atomic_store_explicit(&fp->single, fp->nthreads == 1 ? t : NULL, memory_order_release);
    return sl;
}

bool smmu_fastpath_lookup_far(smmuv3 *s, uintptr_t me, const smmuv3_txn *txn, smmuv3_result *res)
{
    smmu_fastpath *fp = s->fp;
    if (!fp->on)
        return false;
    /* the only memo, asleep: straight to the slow path */
    fp_thread *one = atomic_load_explicit(&fp->single, memory_order_acquire);
    if (one && (atomic_load_explicit(&one->key, memory_order_acquire) & ~(uintptr_t)FP_STALE) ==
                   (me | FP_ASLEEP))
        return false;
    fp_tslot *sl = find_slot(fp, me);
    if (!sl || atomic_load_explicit(&sl->t->key, memory_order_acquire) != me)
        return false;
    uint64_t k0, k1;   /* one key for both parts */
    fp_key(txn, &k0, &k1);
    return fp_probe_entry(sl->t, fp_slot(sl->t, k0, k1), k0, k1, txn->addr, res) ||
           fp_probe_entry(sl->t, fp_back_slot(sl->t, k0, k1), k0, k1, txn->addr, res);
}

/* Count the hits of thread memo t since the last drain and, while it is the
 * only thread with a memo, apply their use of the caches in order (under the
 * lock). */
static void drain(smmuv3 *s, fp_thread *t)
{
    smmu_fastpath *fp = s->fp;
    uint64_t head = atomic_load_explicit(&t->head, memory_order_acquire);
    uint64_t byp = atomic_load_explicit(&t->bypass, memory_order_relaxed);
    if (head == t->tail)
        return;
    /* bypass may already count a hit whose head store is not seen yet: take
     * at most the hits seen (the rest at a later drain), so that every total
     * only grows */
    uint64_t n = head - t->tail, b = byp - t->tail_bypass;
    if (b > n)
        b = n;
    fp->hits += n;
    fp->tlb_hits += n - b;
    if (fp->nthreads == 1 && n <= FP_LOG) {
        /* One pass, in order: the IOTLB stamps are written here (tlb_int.h),
         * as the hit's k-th use since the last drain (stamps are only ever
         * compared with each other: the order is what a touch per hit
         * gives); a configuration entry touched again right after itself is
         * already the most recent. The two caches' replacement states are
         * independent, so only the order within each matters. A dense
         * position beyond the table (FP_NO_TLB among them) is skipped: only
         * a hit made while another thread removed entries can name one
         * (single-threaded, every removal empties the memo before any later
         * hit). */
        smmu_tlb *tlb = s->tlb;
        uint32_t last_cfg = UINT32_MAX, cnt = tlb ? tlb->count : 0;
        uint32_t base = tlb ? (uint32_t)tlb->tick : 0;
        for (uint64_t i = t->tail; i != head; i++) {
            uint64_t v = atomic_load_explicit(&t->log[i % FP_LOG], memory_order_relaxed);
            uint32_t tlb_pos = (uint32_t)v, cfg_slot = (uint32_t)(v >> 32);
            if (tlb_pos < cnt)
                tlb->stamp[tlb_pos] = base + (uint32_t)(i - t->tail) + 1;
            if (__builtin_expect(cfg_slot != last_cfg, 0)) {
                smmu_cfgcache_touch(s, cfg_slot);
                last_cfg = cfg_slot;
            }
        }
        if (tlb)
            tlb->tick += n;
    }
    t->tail = head;
    t->tail_bypass += b;
}

static void empty(fp_thread *t)
{
    for (uint32_t i = 0; i < t->nfilled; i++)
        t->e[t->filled[i]].nk0 = FP_EMPTY;
    t->nfilled = 0;
}

void smmu_fastpath_locked(smmuv3 *s, uintptr_t me)
{
    smmu_fastpath *fp = s->fp;
    if (!fp->nthreads)
        return;
    for (unsigned i = 0; i < fp->nthreads; i++)
        drain(s, fp->slot[fp->claimed[i]].t);
    fp_tslot *sl = find_slot(fp, me);
    if (!sl)
        return;
    uintptr_t k = atomic_load_explicit(&sl->t->key, memory_order_relaxed);
    if (k & FP_STALE)
        empty(sl->t);
    /* Drained: the whole log is free again (the owner is us, not hitting).
     * With several threads the log is not applied, and never fills. */
    sl->t->lim = fp->nthreads == 1 ? atomic_load_explicit(&sl->t->head, memory_order_relaxed) + FP_LOG
                                   : UINT64_MAX;
    atomic_store_explicit(&sl->t->key, me | FP_LOCKED, memory_order_relaxed);
}

void smmu_fastpath_unlocking(smmuv3 *s, uintptr_t me)
{
    smmu_fastpath *fp = s->fp;
    if (!fp->nthreads)
        return;
    fp_tslot *sl = find_slot(fp, me);
    if (!sl)
        return;
    uintptr_t k = atomic_load_explicit(&sl->t->key, memory_order_relaxed);
    atomic_store_explicit(&sl->t->key, k & ~(uintptr_t)FP_LOCKED, memory_order_release);
}

void smmu_fastpath_stats(const smmuv3 *s, smmuv3_stats *st)
{
    st->translations += s->fp->hits;
    st->cfg_hits += s->fp->hits;
    st->tlb_hits += s->fp->tlb_hits;
}

/* Admission: a working set larger than the memo makes most translations
 * miss it, and then each pays the fill as well as the slow path. Per window
 * of FP_ADM_WINDOW translations offered (slow-path successes), a thread
 * whose memo hits fewer than half as many times as it is offered stops
 * filling its memo for FP_ADM_BYPASS windows, then measures again. Hits on
 * what it holds go on meanwhile. A memo that hits fewer than one time in 4
 * offers (a hit rate under 20%, where a probe that misses and the memo's
 * work at the lock cost more than the hits save) while it is the only one
 * sleeps instead: no probe, no fill (smmu_fastpath_filling) and no work at
 * the lock for adm_nap windows' worth of the lock's takings (lock.c counts
 * them down), doubled at each sleep in a row up to FP_ADM_NAP_MAX; its key
 * carries FP_ASLEEP, which fails every probe, and smmu_fastpath_locked, run
 * again when the sleep ends, clears it (and empties the memo if a change
 * came meanwhile). Another thread gets a memo of its own only once the
 * sleep has ended. The memo's first window gets no verdict: a working set
 * met for the first time cannot hit before it repeats, and one larger than
 * a window would otherwise put a memo that can hold it to sleep. This only
 * decides what is memoized, never a result. */
#define FP_ADM_WINDOW 4096u
#define FP_ADM_BYPASS 8u
#define FP_ADM_NAP_MIN 16u
#define FP_ADM_NAP_MAX 256u

static bool admit(smmu_fastpath *fp, fp_thread *t)
{
    if (++t->adm_n < FP_ADM_WINDOW)
        return !t->adm_skip;
    uint64_t head = atomic_load_explicit(&t->head, memory_order_relaxed);
    uint64_t hits = head - t->adm_head;
    t->adm_n = 0;
    t->adm_head = head;
    if (!t->adm_warm) {
        t->adm_warm = true;   /* the first window filled an empty memo: no verdict */
    } else if (t->adm_skip) {
        t->adm_skip--;
    } else if (hits * 4 < FP_ADM_WINDOW && fp->nthreads == 1) {
        if (t->adm_nap < FP_ADM_NAP_MIN)
            t->adm_nap = FP_ADM_NAP_MIN;
        fp->sleep = t->adm_nap * FP_ADM_WINDOW;
        if (t->adm_nap < FP_ADM_NAP_MAX)
            t->adm_nap *= 2;
        /* we hold the lock: its end will not clear FP_LOCKED while we sleep */
        uintptr_t k = atomic_load_explicit(&t->key, memory_order_relaxed);
        atomic_store_explicit(&t->key, (k & ~(uintptr_t)FP_LOCKED) | FP_ASLEEP, memory_order_relaxed);
        return false;
    } else if (hits * 2 < FP_ADM_WINDOW) {
        t->adm_skip = FP_ADM_BYPASS;
    } else {
        t->adm_nap = FP_ADM_NAP_MIN;
    }
    return !t->adm_skip;
}

static void fill(fp_thread *t, fp_entry *e, uint64_t k0, uint64_t k1, smmuv3 *s, const smmuv3_result *res,
                 bool via_tlb)
{
    if (e->nk0 == FP_EMPTY)
        t->filled[t->nfilled++] = (uint32_t)(e - t->e);
    e->nk0 = ~k0;
    e->k1 = k1;
    e->img = *res;
    e->img.pa = res->pa & ~0xfffull;
    e->cfg_slot = smmu_cfgcache_last(s);
    e->tlb_pos = via_tlb ? smmu_tlb_last(s) : FP_NO_TLB;
}

void smmu_fastpath_insert(smmuv3 *s, uint64_t xgen, const smmuv3_txn *txn, const smmuv3_result *res,
                          bool via_tlb)
{
    smmu_fastpath *fp = s->fp;
    /* Not when anything changed while the translation was made (a host
     * callback that wrote a register, say): the caches' last entries may not
     * be the ones it used. Not while the driver checker is on: its hooks
     * are on the cache hits the memo would skip. */
    if (!fp->on || s->diag_cb || xgen != s->xgen || res->outcome != SMMUV3_XLATE_OK)
        return;
    /* Only whole 4K pages translate as a unit: regions smaller than a page
     * (bypass reports size 1) still map the page one to one. */
    if (!res->bypass && res->size < 0x1000)
        return;
    fp_tslot *sl = claim_slot(fp, smmu_self());
    if (!sl)
        return;
    /* Fresh: emptied when the lock was taken if it was stale, and nothing
     * changed since (xgen). */
    fp_thread *t = sl->t;
    if (!admit(fp, t))
        return;
    uint64_t k0, k1;
    fp_key(txn, &k0, &k1);
    fill(t, fp_slot(t, k0, k1), k0, k1, s, res, via_tlb);        /* the probes' own slots */
    fill(t, fp_back_slot(t, k0, k1), k0, k1, s, res, via_tlb);
}
