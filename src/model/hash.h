/* SPDX-License-Identifier: MIT */
/*
 * The hashing the model's tables share (configuration cache, IOTLB, walk
 * cache, memo, flat memory, stalls, checker): Fibonacci (multiplicative)
 * hashing, whose top bits are the well-mixed ones, and multiply-shift range
 * reduction for tables whose size is not a power of two (no division on a
 * hot path); and the allocation of a table's arrays.
 */
#ifndef SMMU_HASH_H
#define SMMU_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define SMMU_HASH_K 0x9E3779B97F4A7C15ull   /* 2^64 / golden ratio */

/* The top `bits` bits (0..32) of the Fibonacci hash of x. */
static inline uint32_t smmu_hash_bits(uint64_t x, unsigned bits)
{
    return bits ? (uint32_t)((x * SMMU_HASH_K) >> (64 - bits)) : 0;
}

/* A 64-bit hash h reduced to [0, n), n < 2^32: multiply-shift on its top half. */
static inline uint32_t smmu_hash_range(uint64_t h, uint32_t n)
{
    return (uint32_t)(((h >> 32) * (uint64_t)n) >> 32);
}

/* Under AddressSanitizer, mark memory the model keeps for reuse (freed, as
 * far as its users are concerned) unaddressable, and addressable again;
 * nothing otherwise. */
#if defined(__SANITIZE_ADDRESS__)
#define SMMU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SMMU_ASAN 1
#endif
#endif
#ifdef SMMU_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define SMMU_POISON(a, n) __asan_poison_memory_region((a), (n))
#define SMMU_UNPOISON(a, n) __asan_unpoison_memory_region((a), (n))
#else
#define SMMU_POISON(a, n) ((void)(a), (void)(n))
#define SMMU_UNPOISON(a, n) ((void)(a), (void)(n))
#endif

/* One zeroed array of n elements of `size` bytes (src/model/arrays.c: a
 * mid-sized one comes from a pool and is memset, a huge one is fresh zero
 * pages), NULL when it cannot be had; freed only with smmu_array_free. */
void *smmu_array_alloc(size_t n, size_t size);
void smmu_array_free(void *p);

/* A table's zeroed arrays, all or none: p[i] = smmu_array_alloc(n[i], size[i])
 * for i < k (NULL for a count of 0: zeroed memory is an empty table, so
 * nothing else is touched). False, with every p[i] NULL, when one fails. */
static inline bool smmu_arrays_alloc(void *p[], unsigned k, const size_t n[], const size_t size[])
{
    bool ok = true;
    for (unsigned i = 0; i < k; i++) {
        p[i] = n[i] ? smmu_array_alloc(n[i], size[i]) : NULL;
        ok = ok && (p[i] || !n[i]);
    }
    if (!ok)
        for (unsigned i = 0; i < k; i++) {
            smmu_array_free(p[i]);
            p[i] = NULL;
        }
    return ok;
}

/* A table: its zeroed header of `hdr` bytes and its arrays (smmu_arrays_alloc), all or none. */
static inline void *smmu_table_new(size_t hdr, void *p[], unsigned k, const size_t n[], const size_t size[])
{
    void *t = calloc(1, hdr);
    if (t && !smmu_arrays_alloc(p, k, n, size)) {
        free(t);
        t = NULL;
    }
    return t;
}

/* Free a table made by smmu_table_new: its k arrays p[], then the header t. */
static inline void smmu_table_free(void *t, void *const p[], unsigned k)
{
    for (unsigned i = 0; i < k; i++)
        smmu_array_free(p[i]);
    free(t);
}

#endif
