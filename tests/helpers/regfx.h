/* SPDX-License-Identifier: MIT */
/*
 * Register tests (test_regs, test_evtq, test_config, the conformance tests):
 * an SMMU over its own memory that counts its wired interrupts, and two
 * tables a test can state registers with instead of a run of statements:
 *
 *   static const regfx_step gbpa[] = {
 *       RF_W32(0x44, 0x80001000u), RF_R32(0x44, 0x1000),   -- write, then read back
 *       RF_POLL32(0x24, 0),                                -- as drivers poll an ACK
 *   };
 *   REGFX_RUN(f->s, gbpa);         -- fails naming the table, the step and the values
 *
 *   static const regfx_field idr0[] = { RF_FIELD(0x0, F_IDR0_s1p, 1), ... };
 *   REGFX_FIELDS(s, idr0);         -- each row: MMIO read (4 bytes), field compared
 */
#ifndef TESTS_REGFX_H
#define TESTS_REGFX_H

#include <stddef.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

typedef struct regfx {
    smmuv3_mem *mem;
    smmuv3 *s;
    unsigned irqs[4];      /* wired interrupts seen, by smmuv3_irq line */
} regfx;

/* An SMMU of profile c (NULL: the default) over a new memory (test_calloc). */
regfx *regfx_new(const smmuv3_config *c);
void regfx_free(regfx *f);
/* cmocka fixture: *state is a regfx of the default profile. */
int regfx_setup(void **state);
int regfx_teardown(void **state);

static inline uint32_t regfx_r32(const regfx *f, uint64_t off) { return (uint32_t)smmuv3_mmio_read(f->s, off, 4); }
static inline uint64_t regfx_r64(const regfx *f, uint64_t off) { return smmuv3_mmio_read(f->s, off, 8); }
static inline void regfx_w32(const regfx *f, uint64_t off, uint32_t v) { smmuv3_mmio_write(f->s, off, v, 4); }
static inline void regfx_w64(const regfx *f, uint64_t off, uint64_t v) { smmuv3_mmio_write(f->s, off, v, 8); }
/* The little-endian word at pa in f's memory (0 where nothing reads). */
uint32_t regfx_mem32(const regfx *f, uint64_t pa);

/* One MMIO access of a script: write val, or read and expect val. */
typedef struct regfx_step {
    char op;               /* 'w' write, 'r' read, 'p' poll (read until equal, bounded) */
    unsigned size;         /* 4 or 8 */
    uint64_t off, val;
} regfx_step;

#define RF_W32(off, v) { 'w', 4, (off), (v) }
#define RF_W64(off, v) { 'w', 8, (off), (v) }
#define RF_R32(off, v) { 'r', 4, (off), (v) }
#define RF_R64(off, v) { 'r', 8, (off), (v) }
#define RF_POLL32(off, v) { 'p', 4, (off), (v) }

void regfx_run(smmuv3 *s, const char *what, const regfx_step *steps, size_t n);
#define REGFX_RUN(s, steps) regfx_run((s), #steps, (steps), sizeof(steps) / sizeof((steps)[0]))

/* A field of a register (F_<REG>_<name> of fields/fields.h) and its value. */
typedef struct regfx_field {
    const char *name;
    uint64_t off;
    uint32_t field;
    uint64_t want;
} regfx_field;

#define RF_FIELD(off, f, v) { #f, (off), (f), (v) }

void regfx_fields(smmuv3 *s, const regfx_field *t, size_t n);
#define REGFX_FIELDS(s, t) regfx_fields((s), (t), sizeof(t) / sizeof((t)[0]))

#endif
