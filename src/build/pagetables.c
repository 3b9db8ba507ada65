/* SPDX-License-Identifier: MIT */
/*
 * Page-table builder (include/smmuv3/build.h): VMSAv8-64 stage 1 and stage 2
 * tables for the 4K, 16K and 64K granules, with concatenated stage 2 start
 * tables. The descriptor format is the Arm ARM's (D8.3); its bits are spelled
 * once, as SMMUV3_PTE_* in build.h.
 */
#include <stdlib.h>
#include <string.h>
#include "build/build_int.h"

static unsigned pt_stride(const smmuv3_pt *pt) { return pt->granule - 3; }

static unsigned level_shift(const smmuv3_pt *pt, unsigned level)
{
    return pt->granule + (3 - level) * pt_stride(pt);
}

uint64_t smmuv3_pt_level_size(const smmuv3_pt *pt, unsigned level)
{
    if (!pt || level > 3 || (pt->granule != 12 && pt->granule != 14 && pt->granule != 16))
        return 0;
    unsigned sh = level_shift(pt, level);
    return sh >= 64 ? 0 : 1ull << sh;
}

static unsigned ias_of(const smmuv3_pt *pt) { return 64 - pt->tsz; }

/* Index bits resolved at `level` (the start level also takes the
 * concatenation bits). */
static unsigned index_bits(const smmuv3_pt *pt, unsigned level)
{
    return level == pt->start_level ? ias_of(pt) - level_shift(pt, level) : pt_stride(pt);
}

static uint64_t index_at(const smmuv3_pt *pt, unsigned level, uint64_t iova)
{
    unsigned bits = index_bits(pt, level);
    return (iova >> level_shift(pt, level)) & ((1ull << bits) - 1);
}

static bool good_granule(unsigned g) { return g == 12 || g == 14 || g == 16; }

static bool pt_ok(const smmuv3_pt *pt)
{
    return pt && pt->space && good_granule(pt->granule) && pt->tsz < 64 && pt->start_level <= 3 &&
           ias_of(pt) > level_shift(pt, pt->start_level) &&
           ias_of(pt) - level_shift(pt, pt->start_level) <= pt_stride(pt) + 4;
}

static bool block_allowed(const smmuv3_pt *pt, unsigned level)
{
    if (pt->granule == 12)
        return level == 1 || level == 2;
    if (pt->granule == 16)
        return level == 2 || (level == 1 && pt->oa_bits == 52);
    return level == 2;
}

/* Entries in a contiguous run (Arm ARM D8.6.1). */
static unsigned cont_entries(const smmuv3_pt *pt, unsigned level)
{
    switch (pt->granule) {
    case 12: return 16;
    case 14: return level == 3 ? 128 : 32;
    default: return 32;
    }
}

/* Output address bits of a descriptor. 52-bit addresses are supported with
 * the 64K granule only (PA[51:48] in descriptor bits 15:12). */
static int oa_encode(const smmuv3_pt *pt, uint64_t pa, uint64_t *bits)
{
    uint64_t gmask = (1ull << pt->granule) - 1;
    if (pa & gmask)
        return SMMUV3_EINVAL;
    if (pt->oa_bits < 64 && (pa >> pt->oa_bits))
        return SMMUV3_ERANGE;
    if (pa >> 48) {
        if (pt->granule != 16)
            return SMMUV3_ENOTSUP;
        *bits = (pa & 0x0000ffffffff0000ull) | (((pa >> 48) & 0xf) << 12);
        return 0;
    }
    *bits = pa & 0x0000fffffffff000ull;
    return 0;
}

static uint64_t oa_decode(const smmuv3_pt *pt, uint64_t desc)
{
    uint64_t gmask = (1ull << pt->granule) - 1;
    uint64_t pa = desc & 0x0000fffffffff000ull & ~gmask;
    if (pt->granule == 16 && pt->oa_bits == 52)
        pa |= ((desc >> 12) & 0xf) << 48;
    return pa;
}

static bool is_table(uint64_t d, unsigned level)
{
    return level < 3 && (d & (SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE)) == (SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE);
}

static bool is_leaf(const smmuv3_pt *pt, uint64_t d, unsigned level)
{
    if (!(d & SMMUV3_PTE_VALID))
        return false;
    if (level == 3)
        return (d & SMMUV3_PTE_TABLE) != 0;
    return !(d & SMMUV3_PTE_TABLE) && block_allowed(pt, level);
}

/* ------------------------------------------------------------ init */
static int root_alloc(smmuv3_pt *pt, const smmuv3_space *sp, uint64_t root)
{
    uint64_t size = 8ull << index_bits(pt, pt->start_level);
    uint64_t align = size < 64 ? 64 : size;
    pt->space = sp;
    return bld_place(sp, root, size, align, 16, &pt->root);
}

int smmuv3_pt_init_s1(smmuv3_pt *pt, const smmuv3_space *sp, unsigned granule, unsigned t0sz, uint64_t root)
{
    if (!pt || !sp || !good_granule(granule) || t0sz >= 64)
        return SMMUV3_EINVAL;
    unsigned ias = 64 - t0sz, s = granule - 3;
    if (ias <= granule)
        return SMMUV3_EINVAL;
    unsigned levels = (ias - granule + s - 1) / s;
    if (levels > 4)
        return SMMUV3_ENOTSUP;   /* would need a level -1 (LPA2) */
    smmuv3_pt t = { 0 };
    t.stage = 1;
    t.granule = granule;
    t.tsz = t0sz;
    t.start_level = 4 - levels;
    t.concat = 1;
    t.oa_bits = 48;
    int rc = root_alloc(&t, sp, root);
    if (rc)
        return rc;
    *pt = t;
    return 0;
}

/* S2SL0 <-> start level (VTCR_EL2.SL0; IHI 0070 5.2 STE.S2SL0). */
static int s2_start_from_sl0(unsigned g, unsigned sl0)
{
    static const int g4k[4] = { 2, 1, 0, 3 }, g16k[4] = { 3, 2, 1, 0 }, g64k[4] = { 3, 2, 1, -1 };
    if (sl0 > 3)
        return -1;
    return g == 12 ? g4k[sl0] : g == 14 ? g16k[sl0] : g64k[sl0];
}

static int s2_sl0_from_start(unsigned g, unsigned start)
{
    for (unsigned sl0 = 0; sl0 < 4; sl0++)
        if (s2_start_from_sl0(g, sl0) == (int)start)
            return (int)sl0;
    return -1;
}

int smmuv3_pt_init_s2(smmuv3_pt *pt, const smmuv3_space *sp, unsigned granule, unsigned s2t0sz, int sl0,
                      uint64_t root)
{
    if (!pt || !sp || !good_granule(granule) || s2t0sz >= 64 || sl0 > 3)
        return SMMUV3_EINVAL;
    smmuv3_pt t = { 0 };
    t.stage = 2;
    t.granule = granule;
    t.tsz = s2t0sz;
    t.oa_bits = 48;
    unsigned ias = 64 - s2t0sz, s = granule - 3;
    int start = -1;
    if (sl0 >= 0) {
        start = s2_start_from_sl0(granule, (unsigned)sl0);
        if (start < 0)
            return SMMUV3_EINVAL;
    } else {
        /* the fewest levels (largest start level) needing at most 16 tables;
         * a 4K level 3 start (S2SL0 0b11) needs small translation tables
         * (IDR3.STT; IHI 0070 5.2 S2SL0, VTCR_EL2.SL0 with FEAT_TTST), so it
         * is chosen only when no other start fits: an input of at most 21 bits */
        for (int l = 3; l >= 0; l--) {
            if (granule == 12 && l == 3 && ias > granule + s)
                continue;
            if (s2_sl0_from_start(granule, (unsigned)l) < 0)
                continue;
            unsigned sh = granule + (3 - (unsigned)l) * s;
            if (ias > sh && ias - sh <= s + 4) {
                start = l;
                break;
            }
        }
        if (start < 0)
            return SMMUV3_EINVAL;
    }
    t.start_level = (unsigned)start;
    t.sl0 = (unsigned)s2_sl0_from_start(granule, t.start_level);
    unsigned sh = level_shift(&t, t.start_level);
    if (ias <= sh || ias - sh > s + 4)
        return SMMUV3_EINVAL;
    t.concat = ias - sh > s ? 1u << (ias - sh - s) : 1;
    int rc = root_alloc(&t, sp, root);
    if (rc)
        return rc;
    *pt = t;
    return 0;
}

int smmuv3_s2_params_from_pt(const smmuv3_pt *pt, uint16_t vmid, smmuv3_s2_params *p)
{
    if (!pt_ok(pt) || !p || pt->stage != 2)
        return SMMUV3_EINVAL;
    *p = (smmuv3_s2_params){ .ttb = pt->root, .tsz = pt->tsz, .sl0 = pt->sl0, .granule = pt->granule,
                             .ps = pt->oa_bits, .vmid = vmid };
    return 0;
}

int smmuv3_cd_params_from_pt(const smmuv3_pt *pt, uint16_t asid, smmuv3_cd_params *p)
{
    if (!pt_ok(pt) || !p || pt->stage != 1)
        return SMMUV3_EINVAL;
    *p = (smmuv3_cd_params){ .ttb0 = pt->root, .t0sz = pt->tsz, .granule = pt->granule, .ips = pt->oa_bits,
                             .asid = asid };
    return 0;
}

/* ------------------------------------------------------------ descriptors */
static uint64_t perm_bits(const smmuv3_pt *pt, unsigned perms)
{
    uint64_t d = 0;
    if (!(perms & SMMUV3_MAP_NOAF))
        d |= SMMUV3_PTE_AF;
    if (perms & SMMUV3_MAP_DBM)
        d |= SMMUV3_PTE_DBM;
    if (pt->stage == 1) {
        if (!(perms & SMMUV3_MAP_WRITE))
            d |= SMMUV3_PTE_AP2;
        if (!(perms & SMMUV3_MAP_PRIV))
            d |= SMMUV3_PTE_AP1;
        if (perms & SMMUV3_MAP_NG)
            d |= SMMUV3_PTE_NG;
        if (!(perms & SMMUV3_MAP_EXEC))
            d |= SMMUV3_PTE_PXN | SMMUV3_PTE_UXN;
        if (perms & SMMUV3_MAP_PXN)
            d |= SMMUV3_PTE_PXN;
        if (perms & SMMUV3_MAP_UXN)
            d |= SMMUV3_PTE_UXN;
    } else {
        if (perms & SMMUV3_MAP_READ)
            d |= SMMUV3_PTE_S2AP_R;
        if (perms & SMMUV3_MAP_WRITE)
            d |= SMMUV3_PTE_S2AP_W;
        if (!(perms & SMMUV3_MAP_EXEC))
            d |= SMMUV3_PTE_XN1;                       /* XN = 0b10 */
        else if (perms & SMMUV3_MAP_UXN)
            d |= SMMUV3_PTE_XN1 | SMMUV3_PTE_XN0;      /* 0b11 */
        else if (perms & SMMUV3_MAP_PXN)
            d |= SMMUV3_PTE_XN0;                       /* 0b01 */
    }
    return d;
}

static uint64_t perm_mask(const smmuv3_pt *pt)
{
    uint64_t m = SMMUV3_PTE_AF | SMMUV3_PTE_DBM | SMMUV3_PTE_PXN | SMMUV3_PTE_UXN | SMMUV3_PTE_AP1 | SMMUV3_PTE_AP2;
    if (pt->stage == 1)
        m |= SMMUV3_PTE_NG;
    return m;
}

int smmuv3_pt_leaf_desc(const smmuv3_pt *pt, uint64_t pa, unsigned level, unsigned perms, uint32_t attrs,
                        uint64_t *desc)
{
    if (!pt_ok(pt) || !desc || level > 3 || level < pt->start_level)
        return SMMUV3_EINVAL;
    if (level < 3 && !block_allowed(pt, level))
        return SMMUV3_EINVAL;
    if (attrs && !(attrs & 0x10000u))
        return SMMUV3_EINVAL;
    if (attrs & ~0x1030fu)
        return SMMUV3_EINVAL;
    unsigned v = attrs ? (attrs & 0xfu) : (pt->stage == 1 ? SMMUV3_ATTR_IDX_NORMAL : 0xfu);
    unsigned sh = attrs ? (attrs >> 8) & 3u : 3u;
    if (pt->stage == 1 && v > 7)
        return SMMUV3_EINVAL;
    uint64_t lsize = smmuv3_pt_level_size(pt, level);
    if (pa & (lsize - 1))
        return SMMUV3_EINVAL;
    uint64_t oa;
    int rc = oa_encode(pt, pa, &oa);
    if (rc)
        return rc;
    uint64_t d = SMMUV3_PTE_VALID | (level == 3 ? SMMUV3_PTE_TABLE : 0) | oa;
    d |= pt->stage == 1 ? SMMUV3_PTE_ATTRINDX(v) : SMMUV3_PTE_MEMATTR(v);
    d |= SMMUV3_PTE_SH(sh);
    d |= perm_bits(pt, perms);
    *desc = d;
    return 0;
}

int smmuv3_pt_table_desc(const smmuv3_pt *pt, uint64_t table, uint64_t *desc)
{
    uint64_t bits;
    if (!pt_ok(pt) || !desc)
        return SMMUV3_EINVAL;
    int rc = oa_encode(pt, table, &bits);
    if (rc)
        return rc;
    *desc = bits | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE;
    return 0;
}

/* ------------------------------------------------------------ walking */
/* A new next-level table: zeroed, or the split of the block `d` at `level`. */
static int new_table(smmuv3_pt *pt, uint64_t d, unsigned level, uint64_t *out)
{
    uint64_t gsize = 1ull << pt->granule, addr;
    int rc = smmuv3_space_zalloc(pt->space, gsize, gsize, &addr);
    if (rc)
        return rc;
    if (is_leaf(pt, d, level)) {
        unsigned n = (unsigned)(gsize / 8);
        uint64_t child = smmuv3_pt_level_size(pt, level + 1);
        uint64_t base = oa_decode(pt, d);
        uint64_t attrs = d & ~(0x0000fffffffff000ull | SMMUV3_PTE_CONT | 3ull);
        if (pt->granule == 16 && pt->oa_bits == 52)
            attrs &= ~(0xfull << 12);
        uint8_t *buf = malloc((size_t)gsize);
        if (!buf)
            return SMMUV3_ENOMEM;
        for (unsigned i = 0; i < n; i++) {
            uint64_t oa = 0;
            rc = oa_encode(pt, base + i * child, &oa);
            if (rc)
                break;
            uint64_t cd = attrs | oa | SMMUV3_PTE_VALID | (level + 1 == 3 ? SMMUV3_PTE_TABLE : 0);
            le64_store(buf + 8u * i, cd);
        }
        if (!rc)
            rc = smmuv3_space_write(pt->space, addr, buf, (size_t)gsize);
        free(buf);
        if (rc)
            return rc;
    }
    *out = addr;
    return 0;
}

/* Read the descriptor for iova at level l of *table (its address in *a, its
 * value in *d): 1 when it is a table (*table becomes the next level's), 0 when
 * it is not, or the error reading it. */
static int descend(const smmuv3_pt *pt, unsigned l, uint64_t iova, uint64_t *table, uint64_t *a, uint64_t *d)
{
    *a = *table + 8 * index_at(pt, l, iova);
    int rc = smmuv3_space_read64(pt->space, *a, d);
    if (rc)
        return rc;
    if (!is_table(*d, l))
        return 0;
    *table = oa_decode(pt, *d);
    return 1;
}

/* Descriptor address for iova at `level`. */
static int walk_to(smmuv3_pt *pt, uint64_t iova, unsigned level, bool alloc, uint64_t *addr)
{
    if (level < pt->start_level || level > 3)
        return SMMUV3_EINVAL;
    if (ias_of(pt) < 64 && (iova >> ias_of(pt)))
        return SMMUV3_ERANGE;
    uint64_t table = pt->root;
    for (unsigned l = pt->start_level;; l++) {
        if (l == level) {
            *addr = table + 8 * index_at(pt, l, iova);
            return 0;
        }
        uint64_t a, d;
        int rc = descend(pt, l, iova, &table, &a, &d);
        if (rc < 0)
            return rc;
        if (rc)
            continue;
        if (!alloc)
            return SMMUV3_ENOENT;
        uint64_t nt, tbits;
        rc = new_table(pt, d, l, &nt);
        if (rc)
            return rc;
        rc = oa_encode(pt, nt, &tbits);
        if (rc)
            return rc;
        rc = smmuv3_space_write64(pt->space, a, tbits | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE);
        if (rc)
            return rc;
        table = nt;
    }
}

int smmuv3_pt_desc_addr(smmuv3_pt *pt, uint64_t iova, unsigned level, bool alloc, uint64_t *addr)
{
    if (!pt_ok(pt) || !addr)
        return SMMUV3_EINVAL;
    return walk_to(pt, iova, level, alloc, addr);
}

int smmuv3_pt_get_desc(smmuv3_pt *pt, uint64_t iova, unsigned level, uint64_t *desc)
{
    uint64_t a;
    if (!desc)
        return SMMUV3_EINVAL;
    int rc = smmuv3_pt_desc_addr(pt, iova, level, false, &a);
    return rc ? rc : smmuv3_space_read64(pt->space, a, desc);
}

int smmuv3_pt_set_desc(smmuv3_pt *pt, uint64_t iova, unsigned level, uint64_t desc)
{
    uint64_t a;
    int rc = smmuv3_pt_desc_addr(pt, iova, level, true, &a);
    return rc ? rc : smmuv3_space_write64(pt->space, a, desc);
}

/* Leaf lookup without allocation: the level and address of the descriptor
 * that decides iova (a leaf, or an invalid entry). */
static int find_leaf(const smmuv3_pt *pt, uint64_t iova, unsigned *level, uint64_t *addr, uint64_t *desc)
{
    if (ias_of(pt) < 64 && (iova >> ias_of(pt)))
        return SMMUV3_ERANGE;
    uint64_t table = pt->root;
    for (unsigned l = pt->start_level; l <= 3; l++) {
        uint64_t a, d;
        int rc = descend(pt, l, iova, &table, &a, &d);
        if (rc == 1)
            continue;
        *level = l;
        *addr = a;
        *desc = d;
        return rc;
    }
    return SMMUV3_EINVAL;   /* not reached: level 3 never holds a table */
}

int smmuv3_pt_lookup(const smmuv3_pt *pt, uint64_t iova, uint64_t *pa, unsigned *level, uint64_t *desc)
{
    if (!pt_ok(pt))
        return SMMUV3_EINVAL;
    unsigned l;
    uint64_t a, d;
    int rc = find_leaf(pt, iova, &l, &a, &d);
    if (rc)
        return rc;
    if (!is_leaf(pt, d, l))
        return SMMUV3_ENOENT;
    uint64_t lsize = smmuv3_pt_level_size(pt, l);
    if (pa)
        *pa = oa_decode(pt, d) + (iova & (lsize - 1));
    if (level)
        *level = l;
    if (desc)
        *desc = d;
    return 0;
}

int smmuv3_pt_to_pa(void *ctx, uint64_t ipa, uint64_t *pa)
{
    if (!ctx || !pa)
        return SMMUV3_EINVAL;
    return smmuv3_pt_lookup((const smmuv3_pt *)ctx, ipa, pa, NULL, NULL);
}

/* ------------------------------------------------------------ map / unmap / protect */
static int check_range(const smmuv3_pt *pt, uint64_t iova, uint64_t size)
{
    uint64_t gmask = (1ull << pt->granule) - 1;
    if (size == 0 || (iova & gmask) || (size & gmask))
        return SMMUV3_EINVAL;
    if (iova + size < iova)
        return SMMUV3_ERANGE;
    unsigned ias = ias_of(pt);
    if (ias < 64 && (iova >> ias || (iova + size - 1) >> ias))
        return SMMUV3_ERANGE;
    return 0;
}

int smmuv3_pt_map(smmuv3_pt *pt, uint64_t iova, uint64_t pa, uint64_t size, unsigned perms, uint32_t attrs)
{
    if (!pt_ok(pt))
        return SMMUV3_EINVAL;
    int rc = check_range(pt, iova, size);
    if (rc)
        return rc;
    if (pa & ((1ull << pt->granule) - 1))
        return SMMUV3_EINVAL;
    if (pa + size < pa || (pt->oa_bits < 64 && (pa + size - 1) >> pt->oa_bits))
        return SMMUV3_ERANGE;
    bld_leaf_run run;
    bld_leaf_run_init(&run, pt);
    unsigned attr_level = 4;   /* the level whose descriptors' bits but the OA are in attr_bits */
    uint64_t attr_bits = 0;
    while (size) {
        unsigned level = 3;
        for (unsigned l = pt->start_level; l < 3 && !(perms & SMMUV3_MAP_PAGES); l++) {   /* blocks */
            uint64_t ls = smmuv3_pt_level_size(pt, l);
            if (!block_allowed(pt, l) || !ls)
                continue;
            if (!(iova & (ls - 1)) && !(pa & (ls - 1)) && size >= ls) {
                level = l;
                break;
            }
        }
        uint64_t ls = smmuv3_pt_level_size(pt, level);
        unsigned n = 1;
        if (perms & SMMUV3_MAP_CONT) {
            unsigned c = cont_entries(pt, level);
            uint64_t run = ls * c;
            if (!(iova & (run - 1)) && !(pa & (run - 1)) && size >= run)
                n = c;
        }
        for (unsigned i = 0; i < n; i++) {
            uint64_t d, oa = 0;
            /* the level's first descriptor in full; then only its OA changes */
            rc = level == attr_level ? oa_encode(pt, pa, &oa) : smmuv3_pt_leaf_desc(pt, pa, level, perms, attrs, &d);
            if (!rc && level == attr_level)
                d = attr_bits | oa;
            else if (!rc && !oa_encode(pt, pa, &oa))
                attr_level = level, attr_bits = d & ~oa;
            if (rc) {
                int wrc = bld_leaf_run_end(&run);   /* the ones before it are written first */
                return wrc ? wrc : rc;
            }
            if (n > 1)
                d |= SMMUV3_PTE_CONT;
            rc = bld_leaf_run_put(&run, iova, level, d);
            if (rc)
                return rc;
            iova += ls;
            pa += ls;
            size -= ls;
        }
    }
    return bld_leaf_run_end(&run);
}

/* Apply an operation to every leaf in the range; partly covered blocks are
 * split first. unmap: perms < 0. */
static int range_op(smmuv3_pt *pt, uint64_t iova, uint64_t size, int perms)
{
    if (!pt_ok(pt))
        return SMMUV3_EINVAL;
    int rc = check_range(pt, iova, size);
    if (rc)
        return rc;
    while (size) {
        unsigned l;
        uint64_t a, d;
        rc = find_leaf(pt, iova, &l, &a, &d);
        if (rc)
            return rc;
        uint64_t ls = smmuv3_pt_level_size(pt, l);
        uint64_t step = ls - (iova & (ls - 1));
        if (!is_leaf(pt, d, l)) {
            /* nothing mapped here (or a reserved encoding): skip the entry */
            if (step >= size)
                return 0;
            iova += step;
            size -= step;
            continue;
        }
        if ((iova & (ls - 1)) || size < ls) {
            /* split the block and look again */
            rc = walk_to(pt, iova, l + 1, true, &a);
            if (rc)
                return rc;
            continue;
        }
        if (perms < 0)
            d = 0;
        else
            d = (d & ~perm_mask(pt)) | perm_bits(pt, (unsigned)perms);
        rc = smmuv3_space_write64(pt->space, a, d);
        if (rc)
            return rc;
        iova += ls;
        size -= ls;
    }
    return 0;
}

int smmuv3_pt_unmap(smmuv3_pt *pt, uint64_t iova, uint64_t size)
{
    return range_op(pt, iova, size, -1);
}

int smmuv3_pt_protect(smmuv3_pt *pt, uint64_t iova, uint64_t size, unsigned perms)
{
    if (perms > 0x7fffffffu)
        return SMMUV3_EINVAL;
    return range_op(pt, iova, size, (int)perms);
}
