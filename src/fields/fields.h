/* SPDX-License-Identifier: MIT */
/*
 * Internal field access for the model: each field of fields_def.h becomes a
 * compile-time constant F_<STRUCT>_<name> that packs (word, msb, lsb), and
 * fget()/fset() work on arrays of host-order 64-bit words that were loaded
 * from (or will be stored to) little-endian images with le_load()/le_store().
 */
#ifndef SMMU_FIELDS_H
#define SMMU_FIELDS_H

#include <stdint.h>
#include <string.h>
#include "fields/fields_def.h"
#include <smmuv3/fields.h>

#define SMMU_FPACK(w, m, l) (((uint32_t)(w) << 16) | ((uint32_t)(m) << 8) | (uint32_t)(l))
#define SMMU_FWORD(f) ((f) >> 16)
#define SMMU_FMSB(f) (((f) >> 8) & 0xffu)
#define SMMU_FLSB(f) ((f) & 0xffu)

#define SMMU_F_ENUM_(S, n, w, m, l, k) F_##S##_##n = SMMU_FPACK(w, m, l),
#define SMMU_S_ENUM_(S, str, size, LIST) LIST(SMMU_F_ENUM_)
enum smmu_field_id { SMMU_STRUCTS(SMMU_S_ENUM_) F_DUMMY_LAST_ = 0 };
#undef SMMU_S_ENUM_
#undef SMMU_F_ENUM_

/* Register offsets: REG_CR0 = 0x20, ... */
#define SMMU_R_ENUM_(N, str, off, size, L) REG_##N = off,
enum smmu_reg_offset { SMMU_REGISTERS(SMMU_R_ENUM_) REG_DUMMY_LAST_ = 0 };
#undef SMMU_R_ENUM_

static inline uint64_t smmu_fmask(uint32_t f)
{
    unsigned w = SMMU_FMSB(f) - SMMU_FLSB(f) + 1;
    uint64_t m = w >= 64 ? ~0ull : ((1ull << w) - 1);
    return m << SMMU_FLSB(f);
}

/* Value of field f (shifted down). */
static inline uint64_t fget(const uint64_t *words, uint32_t f)
{
    return (words[SMMU_FWORD(f)] & smmu_fmask(f)) >> SMMU_FLSB(f);
}

/* Address field f, bits kept in place. */
static inline uint64_t fget_addr(const uint64_t *words, uint32_t f)
{
    return words[SMMU_FWORD(f)] & smmu_fmask(f);
}

/* Field f of a one-word value (registers). */
static inline uint64_t rget(uint64_t reg, uint32_t f)
{
    return (reg & smmu_fmask(f)) >> SMMU_FLSB(f);
}

static inline uint64_t rset(uint64_t reg, uint32_t f, uint64_t v)
{
    uint64_t m = smmu_fmask(f);
    return (reg & ~m) | ((v << SMMU_FLSB(f)) & m);
}

static inline void fset(uint64_t *words, uint32_t f, uint64_t v)
{
    words[SMMU_FWORD(f)] = rset(words[SMMU_FWORD(f)], f, v);
}

static inline void fset_addr(uint64_t *words, uint32_t f, uint64_t a)
{
    uint64_t m = smmu_fmask(f);
    words[SMMU_FWORD(f)] = (words[SMMU_FWORD(f)] & ~m) | (a & m);
}

static inline uint64_t le64_load(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline void le64_store(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void le_load(uint64_t *words, const uint8_t *bytes, unsigned nwords)
{
    for (unsigned i = 0; i < nwords; i++)
        words[i] = le64_load(bytes + 8 * i);
}

static inline void le_store(uint8_t *bytes, const uint64_t *words, unsigned nwords)
{
    for (unsigned i = 0; i < nwords; i++)
        le64_store(bytes + 8 * i, words[i]);
}

#endif
