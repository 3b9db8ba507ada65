/* SPDX-License-Identifier: MIT */
/*
 * The hashing the model's tables share (configuration cache, IOTLB, walk
 * cache, memo, flat memory, stalls, checker): Fibonacci (multiplicative)
 * hashing, whose top bits are the well-mixed ones, and multiply-shift range
 * reduction for tables whose size is not a power of two (no division on a
 * hot path).
 */
#ifndef SMMU_HASH_H
#define SMMU_HASH_H

#include <stddef.h>
#include <stdint.h>

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

#endif
