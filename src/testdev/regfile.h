/* SPDX-License-Identifier: MIT */
/*
 * The test device's plain registers as a table: each is a 32-bit value, or
 * one half of a 64-bit value, kept in the device's state; a write keeps the
 * bits of `wmask` (0: read-only). The registers whose access does more (a
 * doorbell, a command, a counter computed on read) are handled by their
 * owner (testdev.c, ats_client.c) before the table is consulted.
 */
#ifndef SMMU_TESTDEV_REGFILE_H
#define SMMU_TESTDEV_REGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { TREG_U32, TREG_U16, TREG_U64 };

typedef struct tdev_reg {
    uint32_t off;      /* TREG_U64: bits 31:0 at off (_LO), 63:32 at off + 4 (_HI, as every
                        * 64-bit register of testdev.h) */
    uint16_t at;       /* offsetof() in the state */
    uint8_t  kind;     /* TREG_*: the type of the state member */
    uint32_t wmask;
} tdev_reg;

#define TREG_RW 0xffffffffu
#define TREG_RO 0u

/* The kind of state member `field` of `type`, from its size, so that the
 * tables never say it by hand; a member of another size does not compile. */
#define TREG_SIZE_(type, field) sizeof(((type *)0)->field)
#define TREG_SIZE_OK_(n) ((n) == 2 || (n) == 4 || (n) == 8)
#define TREG_KIND(type, field)                                                           \
    ((int)sizeof(char[TREG_SIZE_OK_(TREG_SIZE_(type, field)) ? 1 : -1]) - 1 +            \
     (TREG_SIZE_(type, field) == 8 ? TREG_U64 : TREG_SIZE_(type, field) == 2 ? TREG_U16 : TREG_U32))

static inline const tdev_reg *tdev_reg_find(const tdev_reg *t, size_t n, uint64_t off)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].off == off || (t[i].kind == TREG_U64 && t[i].off + 4 == off))
            return &t[i];
    return NULL;
}

/* The entry of the array `t` for the register at `off`, or NULL. */
#define TREG_FIND(t, off) tdev_reg_find(t, sizeof(t) / sizeof((t)[0]), off)

static inline uint32_t tdev_reg_get(const tdev_reg *r, const void *state, uint64_t off)
{
    const unsigned char *p = (const unsigned char *)state + r->at;
    uint64_t v64;
    uint32_t v32;
    uint16_t v16;
    switch (r->kind) {
    case TREG_U16: memcpy(&v16, p, sizeof(v16)); return v16;
    case TREG_U64: memcpy(&v64, p, sizeof(v64)); return (uint32_t)(v64 >> (off == r->off ? 0 : 32));
    default: memcpy(&v32, p, sizeof(v32)); return v32;
    }
}

/* false: not writable (the write is ignored). */
static inline bool tdev_reg_set(const tdev_reg *r, void *state, uint64_t off, uint32_t v)
{
    unsigned char *p = (unsigned char *)state + r->at;
    uint64_t v64;
    if (!r->wmask || r->kind == TREG_U16)
        return false;
    v &= r->wmask;
    if (r->kind == TREG_U32) {
        memcpy(p, &v, sizeof(v));
        return true;
    }
    unsigned sh = off == r->off ? 0 : 32;
    memcpy(&v64, p, sizeof(v64));
    v64 = (v64 & ~(0xffffffffull << sh)) | (uint64_t)v << sh;
    memcpy(p, &v64, sizeof(v64));
    return true;
}

#endif
