/* SPDX-License-Identifier: MIT */
/* A driver's raw view of the model (see rawdrv.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "rawdrv.h"
#include "fixture.h"

uint32_t rd32(drv *d, uint64_t off) { return (uint32_t)smmuv3_mmio_read(d->s, off, 4); }
uint64_t rd64(drv *d, uint64_t off) { return smmuv3_mmio_read(d->s, off, 8); }
void wr32(drv *d, uint64_t off, uint32_t v) { smmuv3_mmio_write(d->s, off, v, 4); }
void wr64(drv *d, uint64_t off, uint64_t v) { smmuv3_mmio_write(d->s, off, v, 8); }

void mw64(drv *d, uint64_t pa, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    assert_int_equal(smmuv3_mem_write(d->mem, pa, b, 8), 0);
}

uint64_t mr64(drv *d, uint64_t pa)
{
    uint8_t b[8];
    uint64_t v = 0;
    assert_int_equal(smmuv3_mem_read(d->mem, pa, b, 8), 0);
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

uint32_t mr32(drv *d, uint64_t pa)
{
    uint8_t b[4];
    assert_int_equal(smmuv3_mem_read(d->mem, pa, b, 4), 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* dma_alloc_coherent-style: zeroed, aligned to the power of two >= size (min 4K) */
uint64_t dalloc(drv *d, uint64_t size)
{
    uint64_t align = 4096;
    while (align < size)
        align <<= 1;
    d->next = (d->next + align - 1) & ~(align - 1);
    uint64_t pa = d->next;
    d->next += align;
    return pa;
}

/* write_reg_sync: write, then poll the ACK register until it reads the same value */
void write_reg_sync(drv *d, uint64_t reg, uint64_t ack, uint32_t v)
{
    wr32(d, reg, v);
    unsigned polls = 0;
    while (rd32(d, ack) != v && polls < 16)
        polls++;
    assert_int_equal(rd32(d, ack), v);
}

void (*drv_open_hook)(drv *d);

void drv_open(drv *d, void (*tweak)(smmuv3_config *), uint64_t alloc_base)
{
    memset(d, 0, sizeof(*d));
    d->mem = smmuv3_mem_new();
    assert_non_null(d->mem);
    smmuv3_host_from_mem(&d->host, d->mem);
    smmuv3_config_default(&d->cfg);
    if (tweak)
        tweak(&d->cfg);
    assert_int_equal(smmuv3_new(&d->cfg, &d->host, &d->s), 0);
    d->next = alloc_base;
    if (drv_open_hook)
        drv_open_hook(d);
}

void drv_fini(drv *d)
{
    fixture_free_instance(&d->s, &d->mem);
}
