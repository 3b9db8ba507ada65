/* SPDX-License-Identifier: MIT */
/*
 * The zeroed arrays of the model's tables (hash.h: smmu_array_alloc).
 *
 * A small array is calloc'd and freed. A larger one (POOL_MIN bytes or more:
 * an IOTLB's slots, a configuration cache) is a block of whole pages which
 * goes, when freed, to a small process-wide pool (its oldest blocks are freed
 * when it is full), from which the next array of the same block size is
 * taken and zeroed. Creating and freeing an instance of the default profile
 * (a 512 KB IOTLB) is then a memset of its arrays: malloc gives no better
 * (glibc serves a block of that size from its heap once a freed mapping has
 * raised its mmap threshold, and zeroes it whole), and a sanitizer's
 * allocator much worse: under ASan each such block was a mapping of its own,
 * poisoned, quarantined and unmapped, and the smaller ones fresh memory from
 * its quarantine's rotation: 1.1 ms an instance, 63 us with the pool. A fresh
 * mapping per array (zero pages the kernel supplies on first touch) was
 * tried: mmap, the first-touch faults and munmap's TLB shootdowns cost more
 * than the memset (53 us an instance against 6 us without a sanitizer, in a
 * VM).
 * Blocks larger than POOL_MAX are calloc'd and freed (large callocs are
 * fresh mappings, which is what a huge table wants).
 *
 * Every array carries a header just below it: its block and the block's
 * size. Under AddressSanitizer the header, a block's slack past the array,
 * and a pooled block whole are poisoned, so an access just outside an array
 * or into one freed is still reported.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "model/hash.h"

enum {
    POOL_MIN = 2048,        /* smaller arrays: calloc and free */
    POOL_MAX = 4 << 20,     /* larger blocks: calloc and free */
    POOL_BLOCKS = 32,       /* at most this many blocks kept ... */
};
#define POOL_BYTES ((size_t)8 << 20)   /* ... and this many bytes */

/* Below every array: its block and the block's size (0: not for the pool). */
typedef struct array_hdr {
    void *base;
    size_t size;
} array_hdr;

/* Where an array starts in its block: after the header (a pooled block is
 * 64-byte aligned, and so its array: an IOTLB's slots start on a cache line) */
enum { OFF = 64 };

static struct {
    pthread_mutex_t lock;
    void *block[POOL_BLOCKS];
    size_t size[POOL_BLOCKS];
    unsigned n;
    size_t bytes;
} pool = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Remove pool entry i (the lock held), keeping the others in order. */
static void *pool_remove(unsigned i)
{
    void *b = pool.block[i];
    pool.bytes -= pool.size[i];
    pool.n--;
    memmove(&pool.block[i], &pool.block[i + 1], (pool.n - i) * sizeof(pool.block[0]));
    memmove(&pool.size[i], &pool.size[i + 1], (pool.n - i) * sizeof(pool.size[0]));
    return b;
}

/* A pooled block of exactly `size` bytes (the one given last), or NULL. */
static void *pool_take(size_t size)
{
    void *b = NULL;
    pthread_mutex_lock(&pool.lock);
    for (unsigned i = pool.n; i-- > 0;)
        if (pool.size[i] == size) {
            b = pool_remove(i);
            break;
        }
    pthread_mutex_unlock(&pool.lock);
    return b;
}

/* Keep block b (poisoned) of `size` bytes, freeing the oldest blocks kept
 * when there is no room. */
static void pool_give(void *b, size_t size)
{
    void *out[POOL_BLOCKS];
    size_t outsize[POOL_BLOCKS];
    unsigned nout = 0;
    pthread_mutex_lock(&pool.lock);
    while (pool.n && (pool.n == POOL_BLOCKS || pool.bytes + size > POOL_BYTES)) {
        outsize[nout] = pool.size[0];
        out[nout++] = pool_remove(0);
    }
    pool.block[pool.n] = b;
    pool.size[pool.n] = size;
    pool.n++;
    pool.bytes += size;
    pthread_mutex_unlock(&pool.lock);
    for (unsigned i = 0; i < nout; i++) {
        SMMU_UNPOISON(out[i], outsize[i]);
        free(out[i]);
    }
}

void *smmu_array_alloc(size_t n, size_t size)
{
    if (size && n > (SIZE_MAX - OFF - 4096) / size)
        return NULL;
    size_t bytes = n * size;
    size_t bsize = (OFF + bytes + 4095) & ~(size_t)4095;
    uint8_t *base;
    if (bytes < POOL_MIN || bsize > POOL_MAX) {
        bsize = 0;
        base = calloc(1, OFF + bytes);
    } else if ((base = pool_take(bsize)) != NULL) {
        SMMU_UNPOISON(base, bsize);
        memset(base + OFF, 0, bytes);
    } else {
        base = aligned_alloc(OFF, bsize);
        if (base)
            memset(base + OFF, 0, bytes);
    }
    if (!base)
        return NULL;
    uint8_t *p = base + OFF;
    ((array_hdr *)p)[-1] = (array_hdr){ base, bsize };
    SMMU_POISON(base, OFF);
    if (bsize)
        SMMU_POISON(p + bytes, bsize - OFF - bytes);
    return p;
}

void smmu_array_free(void *p)
{
    if (!p)
        return;
    array_hdr *hp = (array_hdr *)p - 1;
    SMMU_UNPOISON(hp, sizeof(*hp));
    array_hdr h = *hp;
    if (h.size) {
        SMMU_POISON(h.base, h.size);   /* before another thread can take it */
        pool_give(h.base, h.size);
    } else {
        free(h.base);
    }
}
