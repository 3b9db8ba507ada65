/* SPDX-License-Identifier: MIT */
/*
 * Builders (include/smmuv3/build.h): stream tables and CD tables. Both are
 * tables of 64-byte entries, linear or 2-level (5.1, 5.3): a 2-level table is
 * an array of 8-byte L1 descriptors pointing at leaf tables, which are
 * allocated (zeroed) the first time an entry in them is written.
 */
#include <string.h>
#include "build/build_int.h"

#define ENTRY_SIZE 64u           /* an STE or a CD */
#define LINEAR_ST_MAX_LOG2 20u   /* 64MB: larger linear stream tables are refused (ENOTSUP) */
#define L1_MAX_LOG2 20u          /* level-1 stream tables of at most 2^20 descriptors */
#define LINEAR_CD_MAX_LOG2 16u   /* 4MB linear CD tables at most */

static uint64_t align_for(uint64_t size)
{
    /* tables are aligned to their size, at least 64 bytes, at most 64KB */
    uint64_t a = 64;
    while (a < size && a < 0x10000)
        a <<= 1;
    return a;
}

/* Place a table (L1 or linear) of `size` bytes at base (or allocate it). */
static int place_table(const smmuv3_space *sp, uint64_t base, uint64_t size, uint64_t *addr)
{
    return bld_place(sp, base, size, align_for(size), 64, addr);
}

/* The leaf table of a 2-level table whose L1 descriptor says it has none:
 * ENOENT unless alloc, else a zeroed one of `size` bytes aligned to `align`. */
static int new_leaf(const smmuv3_space *sp, bool alloc, uint64_t size, uint64_t align, uint64_t *l2)
{
    return alloc ? smmuv3_space_zalloc(sp, size, align, l2) : SMMUV3_ENOENT;
}

/* ------------------------------------------------------------ stream tables */
static int strtab_init(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, unsigned split,
                       uint64_t size, uint64_t base)
{
    uint64_t addr;
    int rc = place_table(sp, base, size, &addr);
    if (rc)
        return rc;
    *st = (smmuv3_strtab){ .space = sp, .base = addr, .log2size = log2size, .split = split,
                           .two_level = split != 0 };
    return 0;
}

int smmuv3_strtab_init_linear(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, uint64_t base)
{
    if (!st || !sp || log2size > 32)
        return SMMUV3_EINVAL;
    if (log2size > LINEAR_ST_MAX_LOG2)
        return SMMUV3_ENOTSUP;
    return strtab_init(st, sp, log2size, 0, (uint64_t)ENTRY_SIZE << log2size, base);
}

int smmuv3_strtab_init_2level(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, unsigned split,
                              uint64_t base)
{
    if (!st || !sp || log2size > 32 || split == 0 || split > log2size || split > 31)
        return SMMUV3_EINVAL;
    if (log2size - split > L1_MAX_LOG2)
        return SMMUV3_ENOTSUP;
    return strtab_init(st, sp, log2size, split, 8ull << (log2size - split), base);
}

uint64_t smmuv3_strtab_base_reg(const smmuv3_strtab *st)
{
    uint64_t r = 0;
    if (!st)
        return 0;
    r = rset(r, F_STRTAB_BASE_ra, 1);
    return r | (st->base & smmu_fmask(F_STRTAB_BASE_addr));
}

uint32_t smmuv3_strtab_cfg_reg(const smmuv3_strtab *st)
{
    uint64_t r = 0;
    if (!st)
        return 0;
    r = rset(r, F_STRTAB_BASE_CFG_log2size, st->log2size);
    r = rset(r, F_STRTAB_BASE_CFG_split, st->two_level ? st->split : 0);
    r = rset(r, F_STRTAB_BASE_CFG_fmt, st->two_level ? 1 : 0);
    return (uint32_t)r;
}

/* The structure is public: check what callers may have changed. */
static bool strtab_ok(const smmuv3_strtab *st)
{
    if (!st || !st->space || st->log2size > 32)
        return false;
    if (!st->two_level)
        return st->log2size <= LINEAR_ST_MAX_LOG2;
    return st->split >= 1 && st->split <= st->log2size && st->split <= 31 &&
           st->log2size - st->split <= L1_MAX_LOG2;
}

int smmuv3_strtab_set_l1(smmuv3_strtab *st, uint32_t index, uint64_t l2ptr, unsigned span)
{
    if (!strtab_ok(st) || !st->two_level)
        return SMMUV3_EINVAL;
    if ((uint64_t)index >= (1ull << (st->log2size - st->split)))
        return SMMUV3_ERANGE;
    uint64_t w = 0;
    if (bld_set(&w, F_L1STD_span, span) || bld_set_addr(&w, F_L1STD_l2ptr, l2ptr))
        return SMMUV3_ERANGE;
    return smmuv3_space_write64(st->space, st->base + 8ull * index, w);
}

int smmuv3_strtab_ste_addr(smmuv3_strtab *st, uint32_t sid, bool alloc, uint64_t *addr)
{
    if (!strtab_ok(st) || !addr)
        return SMMUV3_EINVAL;
    if (st->log2size < 32 && (uint64_t)sid >= (1ull << st->log2size))
        return SMMUV3_ERANGE;
    if (!st->two_level) {
        *addr = st->base + (uint64_t)sid * ENTRY_SIZE;
        return 0;
    }
    uint32_t index = (uint32_t)((uint64_t)sid >> st->split);
    uint64_t desc;
    int rc = smmuv3_space_read64(st->space, st->base + 8ull * index, &desc);
    if (rc)
        return rc;
    unsigned span = (unsigned)fget(&desc, F_L1STD_span);
    uint64_t l2 = fget_addr(&desc, F_L1STD_l2ptr);
    uint64_t lo = (uint64_t)sid & ((1ull << st->split) - 1);
    if (span == 0) {
        uint64_t size = (uint64_t)ENTRY_SIZE << st->split;
        rc = new_leaf(st->space, alloc, size, align_for(size), &l2);
        if (!rc)
            rc = smmuv3_strtab_set_l1(st, index, l2, st->split + 1);
        if (rc)
            return rc;
        span = st->split + 1;
    }
    if (span > 12 || lo >= (1ull << (span - 1)))   /* SPAN above 12 is reserved (5.1) */
        return SMMUV3_ERANGE;
    *addr = l2 + lo * ENTRY_SIZE;
    return 0;
}

/* ------------------------------------------------------------ CD tables */
static unsigned cd_leaf_bits(unsigned fmt)
{
    return fmt == SMMUV3_S1FMT_2L_64K ? 10 : 6;   /* 64KB / 4KB of 64-byte CDs */
}

int smmuv3_cdtab_init(smmuv3_cdtab *ct, const smmuv3_space *sp, unsigned fmt, unsigned cdmax, uint64_t base)
{
    if (!ct || !sp || fmt > SMMUV3_S1FMT_2L_64K || cdmax > 20)
        return SMMUV3_EINVAL;
    uint64_t size;
    if (fmt == SMMUV3_S1FMT_LINEAR) {
        if (cdmax > LINEAR_CD_MAX_LOG2)
            return SMMUV3_ENOTSUP;
        size = (uint64_t)ENTRY_SIZE << cdmax;
    } else {
        unsigned lb = cd_leaf_bits(fmt);
        size = 8ull << (cdmax > lb ? cdmax - lb : 0);
    }
    uint64_t addr;
    int rc = place_table(sp, base, size, &addr);
    if (rc)
        return rc;
    *ct = (smmuv3_cdtab){ .space = sp, .base = addr, .fmt = fmt, .cdmax = cdmax };
    return 0;
}

static bool cdtab_ok(const smmuv3_cdtab *ct)
{
    return ct && ct->space && ct->fmt <= SMMUV3_S1FMT_2L_64K && ct->cdmax <= 20 &&
           (ct->fmt != SMMUV3_S1FMT_LINEAR || ct->cdmax <= LINEAR_CD_MAX_LOG2);
}

int smmuv3_cdtab_set_l1(smmuv3_cdtab *ct, uint32_t index, uint64_t l2ptr, bool valid)
{
    if (!cdtab_ok(ct) || ct->fmt == SMMUV3_S1FMT_LINEAR)
        return SMMUV3_EINVAL;
    unsigned lb = cd_leaf_bits(ct->fmt);
    if ((uint64_t)index >= (1ull << (ct->cdmax > lb ? ct->cdmax - lb : 0)))
        return SMMUV3_ERANGE;
    uint64_t w = 0;
    if (bld_set_addr(&w, F_L1CD_l2ptr, l2ptr))
        return SMMUV3_ERANGE;
    fset(&w, F_L1CD_v, valid ? 1 : 0);
    return smmuv3_space_write64(ct->space, ct->base + 8ull * index, w);
}

int smmuv3_cdtab_cd_addr(smmuv3_cdtab *ct, uint32_t ssid, bool alloc, uint64_t *addr)
{
    if (!cdtab_ok(ct) || !addr)
        return SMMUV3_EINVAL;
    if ((uint64_t)ssid >= (1ull << ct->cdmax))
        return SMMUV3_ERANGE;
    if (ct->fmt == SMMUV3_S1FMT_LINEAR) {
        *addr = ct->base + (uint64_t)ssid * ENTRY_SIZE;
        return 0;
    }
    unsigned lb = cd_leaf_bits(ct->fmt);
    uint32_t index = ssid >> lb;
    uint64_t desc;
    int rc = smmuv3_space_read64(ct->space, ct->base + 8ull * index, &desc);
    if (rc)
        return rc;
    uint64_t l2 = fget_addr(&desc, F_L1CD_l2ptr);
    if (!fget(&desc, F_L1CD_v)) {
        uint64_t size = (uint64_t)ENTRY_SIZE << lb;
        rc = new_leaf(ct->space, alloc, size, size, &l2);
        if (!rc)
            rc = smmuv3_cdtab_set_l1(ct, index, l2, true);
        if (rc)
            return rc;
    }
    *addr = l2 + (uint64_t)(ssid & ((1u << lb) - 1)) * ENTRY_SIZE;
    return 0;
}

/* ------------------------------------------------------------ reading and writing entries */
enum { T_STE, T_CD };

/* Read (into rbuf) or write (from wbuf) entry `id` of a stream table (T_STE)
 * or a CD table (T_CD); writing allocates a missing leaf table. */
static int entry_io(int kind, void *tab, uint32_t id, uint8_t *rbuf, const uint8_t *wbuf)
{
    uint64_t a;
    if (!rbuf && !wbuf)
        return SMMUV3_EINVAL;
    int rc = kind == T_STE ? smmuv3_strtab_ste_addr(tab, id, wbuf != NULL, &a)
                           : smmuv3_cdtab_cd_addr(tab, id, wbuf != NULL, &a);
    if (rc)
        return rc;
    const smmuv3_space *sp = kind == T_STE ? ((smmuv3_strtab *)tab)->space : ((smmuv3_cdtab *)tab)->space;
    return wbuf ? smmuv3_space_write(sp, a, wbuf, ENTRY_SIZE) : smmuv3_space_read(sp, a, rbuf, ENTRY_SIZE);
}

int smmuv3_strtab_write_ste(smmuv3_strtab *st, uint32_t sid, const uint8_t ste[SMMUV3_STE_BYTES])
{
    return entry_io(T_STE, st, sid, NULL, ste);
}

int smmuv3_strtab_read_ste(smmuv3_strtab *st, uint32_t sid, uint8_t ste[SMMUV3_STE_BYTES])
{
    return entry_io(T_STE, st, sid, ste, NULL);
}

int smmuv3_cdtab_write_cd(smmuv3_cdtab *ct, uint32_t ssid, const uint8_t cd[SMMUV3_CD_BYTES])
{
    return entry_io(T_CD, ct, ssid, NULL, cd);
}

int smmuv3_cdtab_read_cd(smmuv3_cdtab *ct, uint32_t ssid, uint8_t cd[SMMUV3_CD_BYTES])
{
    return entry_io(T_CD, ct, ssid, cd, NULL);
}
