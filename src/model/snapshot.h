/* SPDX-License-Identifier: MIT */
/*
 * Snapshot sections: the little-endian writer and reader that a module's
 * save/load functions use (model/snapshot.c has the format and the table of
 * sections, and says how to add one).
 *
 * The writer counts when it has no buffer (save sizes the snapshot first).
 * The reader never reads past its section: a read beyond it returns 0 and
 * marks the reader bad, which fails the restore.
 */
#ifndef SMMU_SNAPSHOT_H
#define SMMU_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "model/smmu.h"

typedef struct smmu_snap_wr {
    uint8_t *buf;      /* NULL: only count */
    size_t pos;
} smmu_snap_wr;

typedef struct smmu_snap_rd {
    const uint8_t *p;
    size_t len, pos;
    bool bad;          /* a read ran past the end of the section */
} smmu_snap_rd;

/* (No loop over the bytes: under a fuzzer's instrumentation every turn of
 * one is a traced comparison, and a snapshot point saves and restores the
 * state several times.) */
static inline void smmu_snap_put(smmu_snap_wr *w, uint64_t v, unsigned bytes)
{
    if (w->buf) {
        const uint8_t b[8] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24),
                               (uint8_t)(v >> 32), (uint8_t)(v >> 40), (uint8_t)(v >> 48), (uint8_t)(v >> 56) };
        memcpy(w->buf + w->pos, b, bytes);
    }
    w->pos += bytes;
}
static inline void smmu_snap_put8(smmu_snap_wr *w, uint8_t v) { smmu_snap_put(w, v, 1); }
static inline void smmu_snap_put32(smmu_snap_wr *w, uint32_t v) { smmu_snap_put(w, v, 4); }
static inline void smmu_snap_put64(smmu_snap_wr *w, uint64_t v) { smmu_snap_put(w, v, 8); }

static inline uint64_t smmu_snap_get(smmu_snap_rd *r, unsigned bytes)
{
    if (r->bad || r->len - r->pos < bytes) {
        r->bad = true;
        return 0;
    }
    uint8_t b[8] = { 0 };
    memcpy(b, r->p + r->pos, bytes);
    r->pos += bytes;
    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
           (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;
}
static inline uint8_t smmu_snap_get8(smmu_snap_rd *r) { return (uint8_t)smmu_snap_get(r, 1); }
static inline uint32_t smmu_snap_get32(smmu_snap_rd *r) { return (uint32_t)smmu_snap_get(r, 4); }
static inline uint64_t smmu_snap_get64(smmu_snap_rd *r) { return smmu_snap_get(r, 8); }

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32) of buf[0..len). */
uint32_t smmu_snap_crc32(const void *buf, size_t len);

/* ---------------------------------------------------------------- sections in other modules */
/* regs.c: whether r holds only values the register file can hold for s's
 * profile (the check a restore applies to the register section). */
/* Whether a register bank could hold these values (`b`: &s->r or &s->sr, which bank). */
bool smmu_regs_valid(const smmuv3 *s, const smmu_regs *b, const smmu_regs *r);
/* stall.c: the held stalls (slot, StreamID, state of every slot not free). */
void smmu_stalls_snap_save(const smmuv3 *s, smmu_snap_wr *w);
int smmu_stalls_snap_load(smmuv3 *s, smmu_snap_rd *r);

#endif
