/* SPDX-License-Identifier: MIT */
/*
 * Simulated flat memory over the 52-bit PA space.
 *
 * Storage is a set of 4 KiB pages found through an open-addressing hash table
 * (linear probing, power-of-two capacity, load factor <= 1/2) keyed by page
 * number, with a one-entry cache of the last page touched. Reads of pages
 * never written return zeros without allocating. Abort ranges are kept in a
 * small array that is only consulted when non-empty.
 *
 * Threads (include/smmuv3/mem.h): any number of threads may read and write one
 * smmuv3_mem at once. `lock` is a readers-writer lock over everything here:
 * the hash table, the pages' bytes and the abort ranges. Readers share it
 * (smmuv3_mem_read, and the page search), writers hold it alone
 * (smmuv3_mem_write, smmuv3_mem_add_abort, growing the table), so every call
 * is atomic with respect to every other: a read never sees half of a write.
 * The one-entry cache of the last page found is written by readers too, so it
 * is a single atomic pointer to the page, whose key is stored with its bytes
 * (one word: a reader can never pair one page's key with another's bytes).
 * Nothing here calls out, so this lock is always the innermost one taken
 * (but for the page pool's, below).
 *
 * Pages of a freed memory go to a process-wide pool (at most POOL_PAGES) from
 * which the next pages backed are taken and zeroed, rather than to free():
 * a fuzzer or a test suite that makes and frees a memory per run backs the
 * same few dozen pages each time. Under ASan, whose allocator hands out fresh
 * memory for each calloc (its quarantine holds 256 MB of freed blocks), that
 * made a memory with 40 pages cost 0.6 ms; pooled pages are poisoned, so an
 * access to a freed memory's page is still reported.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <smmuv3/smmuv3.h>
#include "model/hash.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)

typedef struct abort_range {
    uint64_t lo, hi; /* inclusive */
} abort_range;

/* A page and its key (page number + 1), allocated together. */
typedef struct mem_page {
    uint64_t key;
    uint8_t data[PAGE_SIZE];
} mem_page;

struct smmuv3_mem {
    pthread_rwlock_t lock;
    uint64_t *keys;    /* page number + 1; 0 marks an empty slot */
    mem_page **pages;
    size_t cap, count; /* cap is a power of two */
    _Atomic(mem_page *) last; /* the last page found (readers update it: atomic) */
    abort_range *aborts;
    size_t naborts, abcap;
    size_t max_pages;  /* cap on backed pages; 0: none (smmuv3_mem_set_page_limit) */
};

/* ------------------------------------------------------------ the page pool */
enum { POOL_PAGES = 1024 };   /* 4 MB */

/* Free pages, linked through their key; their bytes poisoned. */
static struct {
    pthread_mutex_t lock;
    mem_page *head;
    size_t n;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* A zeroed page. */
static mem_page *page_new(void)
{
    pthread_mutex_lock(&pool.lock);
    mem_page *pg = pool.head;
    if (pg) {
        pool.head = (mem_page *)(uintptr_t)pg->key;
        pool.n--;
    }
    pthread_mutex_unlock(&pool.lock);
    if (!pg)
        return calloc(1, sizeof(*pg));
    SMMU_UNPOISON(pg->data, sizeof(pg->data));
    memset(pg->data, 0, sizeof(pg->data));
    return pg;
}

/* The n pages of pg[] (some may be NULL), to the pool while it has room. */
static void pages_free(mem_page **pg, size_t n)
{
    size_t i = 0;
    pthread_mutex_lock(&pool.lock);
    for (; i < n && pool.n < POOL_PAGES; i++) {
        if (!pg[i])
            continue;
        SMMU_POISON(pg[i]->data, sizeof(pg[i]->data));
        pg[i]->key = (uint64_t)(uintptr_t)pool.head;
        pool.head = pg[i];
        pool.n++;
    }
    pthread_mutex_unlock(&pool.lock);
    for (; i < n; i++)
        free(pg[i]);
}

/* ------------------------------------------------------------ the memory */
static inline size_t slot_of(uint64_t key, size_t cap)
{
    return (size_t)((key * SMMU_HASH_K) >> 20) & (cap - 1);
}

/* The hash table's two arrays of cap slots, zeroed (empty); both or none. */
static int table_alloc(size_t cap, uint64_t **keys, mem_page ***pages)
{
    void *p[2];
    if (!smmu_arrays_alloc(p, 2, (size_t[]){ cap, cap }, (size_t[]){ sizeof(**keys), sizeof(**pages) }))
        return SMMUV3_ENOMEM;
    *keys = p[0];
    *pages = p[1];
    return 0;
}

smmuv3_mem *smmuv3_mem_new(void)
{
    smmuv3_mem *m = calloc(1, sizeof(*m));
    if (!m)
        return NULL;
    if (pthread_rwlock_init(&m->lock, NULL)) {
        free(m);
        return NULL;
    }
    atomic_init(&m->last, NULL);
    m->cap = 256;
    if (table_alloc(m->cap, &m->keys, &m->pages)) {
        smmuv3_mem_free(m);
        return NULL;
    }
    return m;
}

void smmuv3_mem_free(smmuv3_mem *m)
{
    if (!m)
        return;
    if (m->pages)
        pages_free(m->pages, m->cap);
    smmu_array_free(m->keys);
    smmu_array_free(m->pages);
    free(m->aborts);
    pthread_rwlock_destroy(&m->lock);
    free(m);
}

size_t smmuv3_mem_pages(const smmuv3_mem *m)
{
    if (!m)
        return 0;
    smmuv3_mem *w = (smmuv3_mem *)m;   /* the lock is not part of the value */
    pthread_rwlock_rdlock(&w->lock);
    size_t n = m->count;
    pthread_rwlock_unlock(&w->lock);
    return n;
}

/* With the lock held (shared or alone). */
static uint8_t *lookup(smmuv3_mem *m, uint64_t key)
{
    mem_page *last = atomic_load_explicit(&m->last, memory_order_relaxed);
    if (last && last->key == key)
        return last->data;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            atomic_store_explicit(&m->last, m->pages[i], memory_order_relaxed);
            return m->pages[i]->data;
        }
        if (m->keys[i] == 0)
            return NULL;
    }
}

static int grow(smmuv3_mem *m)
{
    size_t ncap = m->cap * 2;
    uint64_t *nkeys;
    mem_page **npages;
    if (table_alloc(ncap, &nkeys, &npages))
        return SMMUV3_ENOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(m->keys[i], ncap);
        while (nkeys[j])
            j = (j + 1) & (ncap - 1);
        nkeys[j] = m->keys[i];
        npages[j] = m->pages[i];
    }
    smmu_array_free(m->keys);
    smmu_array_free(m->pages);
    m->keys = nkeys;
    m->pages = npages;
    m->cap = ncap;
    return 0;
}

static uint8_t *lookup_or_create(smmuv3_mem *m, uint64_t key)
{
    uint8_t *p = lookup(m, key);
    if (p)
        return p;
    if ((m->count + 1) * 2 > m->cap && grow(m))
        return NULL;
    mem_page *pg = page_new();
    if (!pg)
        return NULL;
    pg->key = key;
    size_t i = slot_of(key, m->cap);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    m->keys[i] = key;
    m->pages[i] = pg;
    m->count++;
    atomic_store_explicit(&m->last, pg, memory_order_relaxed);
    return pg->data;
}

static int check_range(const smmuv3_mem *m, uint64_t pa, size_t len)
{
    if (len == 0)
        return pa > SMMUV3_PA_LIMIT ? SMMUV3_ERANGE : 0;
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    uint64_t last = pa + len - 1;
    for (size_t i = 0; i < m->naborts; i++)
        if (pa <= m->aborts[i].hi && last >= m->aborts[i].lo)
            return SMMUV3_EABORT;
    return 0;
}

static int read_locked(smmuv3_mem *m, uint64_t pa, void *buf, size_t len);

int smmuv3_mem_read(smmuv3_mem *m, uint64_t pa, void *buf, size_t len)
{
    if (!m || (!buf && len))
        return SMMUV3_EINVAL;
    pthread_rwlock_rdlock(&m->lock);
    /* Fast path: no abort ranges, inside one page below 2^52, last page touched. */
    size_t off = (size_t)(pa & (PAGE_SIZE - 1));
    mem_page *last = atomic_load_explicit(&m->last, memory_order_relaxed);
    if (m->naborts == 0 && pa < SMMUV3_PA_LIMIT && len <= PAGE_SIZE - off && last &&
        (pa >> PAGE_SHIFT) + 1 == last->key) {
        memcpy(buf, last->data + off, len);
        pthread_rwlock_unlock(&m->lock);
        return 0;
    }
    int rc = read_locked(m, pa, buf, len);
    pthread_rwlock_unlock(&m->lock);
    return rc;
}

static int read_locked(smmuv3_mem *m, uint64_t pa, void *buf, size_t len)
{
    int rc = check_range(m, pa, len);
    if (rc)
        return rc;
    uint8_t *out = buf;
    while (len) {
        size_t off = (size_t)(pa & (PAGE_SIZE - 1));
        size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        const uint8_t *p = lookup(m, (pa >> PAGE_SHIFT) + 1);
        if (p)
            memcpy(out, p + off, n);
        else
            memset(out, 0, n);
        out += n;
        pa += n;
        len -= n;
    }
    return 0;
}

static int write_locked(smmuv3_mem *m, uint64_t pa, const void *buf, size_t len);

int smmuv3_mem_write(smmuv3_mem *m, uint64_t pa, const void *buf, size_t len)
{
    if (!m || (!buf && len))
        return SMMUV3_EINVAL;
    pthread_rwlock_wrlock(&m->lock);
    int rc = write_locked(m, pa, buf, len);
    pthread_rwlock_unlock(&m->lock);
    return rc;
}

/* Whether a write of [pa, pa+len) (len > 0) would back more pages than the
 * cap leaves room for. */
static bool over_page_limit(smmuv3_mem *m, uint64_t pa, size_t len)
{
    size_t room = m->count < m->max_pages ? m->max_pages - m->count : 0;
    size_t n = 0;
    for (uint64_t pg = pa >> PAGE_SHIFT; pg <= (pa + len - 1) >> PAGE_SHIFT; pg++)
        if (!lookup(m, pg + 1) && ++n > room)
            return true;
    return false;
}

static int write_locked(smmuv3_mem *m, uint64_t pa, const void *buf, size_t len)
{
    int rc = check_range(m, pa, len);
    if (rc)
        return rc;
    /* the cap: a write that would back pages beyond it is an external abort,
     * and stores nothing */
    if (m->max_pages && len && over_page_limit(m, pa, len))
        return SMMUV3_EABORT;
    const uint8_t *in = buf;
    while (len) {
        size_t off = (size_t)(pa & (PAGE_SIZE - 1));
        size_t n = PAGE_SIZE - off < len ? PAGE_SIZE - off : len;
        uint8_t *p = lookup_or_create(m, (pa >> PAGE_SHIFT) + 1);
        if (!p)
            return SMMUV3_ENOMEM;
        memcpy(p + off, in, n);
        in += n;
        pa += n;
        len -= n;
    }
    return 0;
}

int smmuv3_mem_set_page_limit(smmuv3_mem *m, size_t max_pages)
{
    if (!m)
        return SMMUV3_EINVAL;
    pthread_rwlock_wrlock(&m->lock);
    m->max_pages = max_pages;
    pthread_rwlock_unlock(&m->lock);
    return 0;
}

int smmuv3_mem_add_abort(smmuv3_mem *m, uint64_t pa, uint64_t len)
{
    if (!m || len == 0)
        return SMMUV3_EINVAL;
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    pthread_rwlock_wrlock(&m->lock);
    if (m->naborts == m->abcap) {
        size_t ncap = m->abcap ? m->abcap * 2 : 4;
        abort_range *n = realloc(m->aborts, ncap * sizeof(*n));
        if (!n) {
            pthread_rwlock_unlock(&m->lock);
            return SMMUV3_ENOMEM;
        }
        m->aborts = n;
        m->abcap = ncap;
    }
    m->aborts[m->naborts].lo = pa;
    m->aborts[m->naborts].hi = pa + len - 1;
    m->naborts++;
    pthread_rwlock_unlock(&m->lock);
    return 0;
}

static int host_mem_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    return smmuv3_mem_read(ctx, pa, buf, len);
}

static int host_mem_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    return smmuv3_mem_write(ctx, pa, buf, len);
}

void smmuv3_host_from_mem(smmuv3_host *host, smmuv3_mem *mem)
{
    if (!host)
        return;
    /* No interrupt (Non-secure or Secure), ATC invalidation or PRG response callbacks. */
    *host = (smmuv3_host){ .ctx = mem, .read = host_mem_read, .write = host_mem_write };
}
