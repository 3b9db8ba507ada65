/* SPDX-License-Identifier: MIT */
#include "walkpt.h"

void tpt_init(tpt *p, smmuv3_mem *mem, uint64_t pool_pa, unsigned granule, uint64_t off)
{
    p->mem = mem;
    p->next = pool_pa;
    p->off = off;
    p->g = granule;
    p->table_attrs = 0;
}

uint64_t tpt_alloc(tpt *p, uint64_t entries)
{
    uint64_t size = entries * 8;
    uint64_t align = size < 64 ? 64 : size;
    uint64_t pa = (p->next + align - 1) & ~(align - 1);
    p->next = pa + size;
    return pa;
}

void tpt_w64(smmuv3_mem *mem, uint64_t pa, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    smmuv3_mem_write(mem, pa, b, 8);
}

uint64_t tpt_r64(smmuv3_mem *mem, uint64_t pa)
{
    uint8_t b[8] = { 0 };
    smmuv3_mem_read(mem, pa, b, 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

uint64_t tpt_oa(unsigned g, uint64_t oa)
{
    uint64_t lo = oa & (((1ull << 48) - 1) & ~((1ull << g) - 1));
    if (g == 16)
        lo |= ((oa >> 48) & 0xf) << 12;
    return lo;
}

unsigned tpt_shift(unsigned g, unsigned level)
{
    return g + (3 - level) * (g - 3);
}

static uint64_t entry_pa(tpt *p, uint64_t table, unsigned start, unsigned inbits, uint64_t in, unsigned level)
{
    unsigned sh = tpt_shift(p->g, level);
    unsigned nbits = level == start ? inbits - sh : p->g - 3;
    return table + ((in >> sh) & ((1ull << nbits) - 1)) * 8;
}

static uint64_t table_of(tpt *p, uint64_t desc)
{
    uint64_t a = desc & (((1ull << 48) - 1) & ~((1ull << p->g) - 1));
    if (p->g == 16)
        a |= ((desc >> 12) & 0xf) << 48;
    return a + p->off;
}

uint64_t tpt_desc_pa(tpt *p, uint64_t root, unsigned start, unsigned inbits, uint64_t in, unsigned level)
{
    uint64_t table = root;
    for (unsigned l = start; l < level; l++)
        table = table_of(p, tpt_r64(p->mem, entry_pa(p, table, start, inbits, in, l)));
    return entry_pa(p, table, start, inbits, in, level);
}

uint64_t tpt_map(tpt *p, uint64_t root, unsigned start, unsigned inbits, uint64_t in,
                unsigned leaf_level, uint64_t oa, uint64_t attrs)
{
    uint64_t table = root;
    for (unsigned l = start; l < leaf_level; l++) {
        uint64_t e = entry_pa(p, table, start, inbits, in, l);
        uint64_t d = tpt_r64(p->mem, e);
        if ((d & 3) != 3) {
            uint64_t t = tpt_alloc(p, 1ull << (p->g - 3));
            d = PT_TABLE | tpt_oa(p->g, t - p->off) | p->table_attrs;
            tpt_w64(p->mem, e, d);
        }
        table = table_of(p, d);
    }
    uint64_t e = entry_pa(p, table, start, inbits, in, leaf_level);
    tpt_w64(p->mem, e, (leaf_level == 3 ? PT_TABLE : PT_BLOCK) | tpt_oa(p->g, oa) | attrs);
    return e;
}
