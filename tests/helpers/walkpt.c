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

/* ------------------------------------------------------------ walker test fixture */
#include <stdlib.h>
#include <string.h>

wfx *wfx_new(const smmuv3_config *c)
{
    wfx *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    f->mem = smmuv3_mem_new();
    smmuv3_host_from_mem(&f->host, f->mem);
    if (c)
        f->cfg = *c;
    else
        smmuv3_config_default(&f->cfg);
    if (!f->mem || smmuv3_new(&f->cfg, &f->host, &f->s)) {
        smmuv3_mem_free(f->mem);
        free(f);
        return NULL;
    }
    return f;
}

void wfx_free(wfx *f)
{
    if (!f)
        return;
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
    free(f);
}

void wfx_cfg_s1(smmu_txcfg *c, unsigned g, unsigned tsz, uint64_t ttb0)
{
    memset(c, 0, sizeof(*c));
    c->ste.config = SMMU_STE_CFG_S1;
    c->ste.regime = SMMU_REGIME_EL1;
    c->has_cd = true;
    c->cd.tt[0].ttb = ttb0;
    c->cd.tt[0].tsz = (uint8_t)tsz;
    c->cd.tt[0].granule = (uint8_t)g;
    c->cd.tt[1].epd = true;
    c->cd.tt[1].granule = (uint8_t)g;
    c->cd.tt[1].tsz = (uint8_t)tsz;
    c->cd.ips = 48;
    c->cd.aa64 = true;
    c->cd.asid = 1;
    c->cd.mair = WFX_MAIR_DEFAULT;
}

void wfx_cfg_s2(smmu_s2_cfg *s2, unsigned g, unsigned tsz, unsigned start, uint64_t ttb)
{
    memset(s2, 0, sizeof(*s2));
    s2->vmid = 1;
    s2->tsz = (uint8_t)tsz;
    s2->granule = (uint8_t)g;
    s2->start_level = (uint8_t)start;
    s2->sl0 = (uint8_t)(g == 12 ? 2 - start : 3 - start);
    s2->ps = 48;
    s2->aa64 = true;
    s2->ttb = ttb;
}

uint64_t wfx_s1_4k(wfx *x, tpt *p, smmu_txcfg *c)
{
    tpt_init(p, x->mem, 0x100000, 12, 0);
    uint64_t root = tpt_alloc(p, 512);
    wfx_cfg_s1(c, 12, 16, root);
    return root;
}
