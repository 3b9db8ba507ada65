/* SPDX-License-Identifier: MIT */
/*
 * Builders (include/smmuv3/build.h): the allocator and address spaces. Memory
 * is reached only through the host callbacks (or, for an IPA space, through a
 * stage 2 translation), so the builders work over any memory an embedder
 * provides. Images: build/images.c; stream and CD tables: build/tables.c;
 * page tables: build/pagetables.c; the driver helper: build/driver.c.
 */
#include <string.h>
#include "build/build_int.h"

/* ------------------------------------------------------------ allocator */
int smmuv3_alloc_init(smmuv3_alloc *a, uint64_t base, uint64_t size)
{
    if (!a || size == 0 || base + size < base || base + size == 0)
        return SMMUV3_EINVAL;
    a->base = base;
    a->end = base + size;
    a->next = base;
    return 0;
}

int smmuv3_alloc_get(smmuv3_alloc *a, uint64_t size, uint64_t align, uint64_t *out)
{
    if (!a || !out || size == 0)
        return SMMUV3_EINVAL;
    if (align == 0)
        align = 1;
    if (align & (align - 1))
        return SMMUV3_EINVAL;
    if (a->next < a->base || a->next > a->end)
        return SMMUV3_EINVAL;
    uint64_t p = (a->next + align - 1) & ~(align - 1);
    if (p < a->next || p > a->end || size > a->end - p)
        return SMMUV3_ENOMEM;
    a->next = p + size;
    *out = p;
    return 0;
}

uint64_t smmuv3_alloc_left(const smmuv3_alloc *a)
{
    if (!a || a->next > a->end)
        return 0;
    return a->end - a->next;
}

/* ------------------------------------------------------------ address spaces */
int smmuv3_space_init(smmuv3_space *sp, const smmuv3_host *host, smmuv3_alloc *alloc)
{
    return smmuv3_space_init_ipa(sp, host, alloc, NULL, NULL);
}

int smmuv3_space_init_ipa(smmuv3_space *sp, const smmuv3_host *host, smmuv3_alloc *alloc,
                          smmuv3_to_pa_fn to_pa, void *to_pa_ctx)
{
    if (!sp || !host || !host->read || !host->write)
        return SMMUV3_EINVAL;
    sp->host = host;
    sp->alloc = alloc;
    sp->to_pa = to_pa;
    sp->to_pa_ctx = to_pa_ctx;
    return 0;
}

static int host_access(const smmuv3_host *h, uint64_t pa, void *rbuf, const void *wbuf, size_t len)
{
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    int rc = rbuf ? h->read(h->ctx, pa, rbuf, len) : h->write(h->ctx, pa, wbuf, len);
    return rc ? SMMUV3_EABORT : 0;
}

/* One access split per 4KB chunk when the space translates. */
static int space_access(const smmuv3_space *sp, uint64_t addr, void *rbuf, const void *wbuf, size_t len)
{
    if (!sp || !sp->host || !sp->host->read || !sp->host->write || (!rbuf && !wbuf && len))
        return SMMUV3_EINVAL;
    if (len == 0)
        return 0;
    if (addr + len - 1 < addr)
        return SMMUV3_ERANGE;
    if (!sp->to_pa)
        return host_access(sp->host, addr, rbuf, wbuf, len);
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        size_t chunk = (size_t)(0x1000 - (a & 0xfff));
        if (chunk > len - done)
            chunk = len - done;
        uint64_t pa;
        int rc = sp->to_pa(sp->to_pa_ctx, a, &pa);
        if (rc)
            return rc < 0 ? rc : SMMUV3_ENOENT;
        rc = host_access(sp->host, pa, rbuf ? (uint8_t *)rbuf + done : NULL,
                         wbuf ? (const uint8_t *)wbuf + done : NULL, chunk);
        if (rc)
            return rc;
        done += chunk;
    }
    return 0;
}

int smmuv3_space_read(const smmuv3_space *sp, uint64_t addr, void *buf, size_t len)
{
    if (!buf)
        return SMMUV3_EINVAL;
    return space_access(sp, addr, buf, NULL, len);
}

int smmuv3_space_write(const smmuv3_space *sp, uint64_t addr, const void *buf, size_t len)
{
    if (!buf)
        return SMMUV3_EINVAL;
    return space_access(sp, addr, NULL, buf, len);
}

int smmuv3_space_read64(const smmuv3_space *sp, uint64_t addr, uint64_t *v)
{
    uint8_t b[8];
    if (!v)
        return SMMUV3_EINVAL;
    int rc = smmuv3_space_read(sp, addr, b, 8);
    if (rc)
        return rc;
    *v = le64_load(b);
    return 0;
}

int smmuv3_space_write64(const smmuv3_space *sp, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    le64_store(b, v);
    return smmuv3_space_write(sp, addr, b, 8);
}

int smmuv3_space_zero(const smmuv3_space *sp, uint64_t addr, uint64_t len)
{
    uint8_t z[4096];
    memset(z, 0, sizeof(z));
    if (!sp)
        return SMMUV3_EINVAL;
    while (len) {
        size_t chunk = len > sizeof(z) ? sizeof(z) : (size_t)len;
        int rc = space_access(sp, addr, NULL, z, chunk);
        if (rc)
            return rc;
        addr += chunk;
        len -= chunk;
    }
    return 0;
}

int smmuv3_space_zalloc(const smmuv3_space *sp, uint64_t size, uint64_t align, uint64_t *out)
{
    if (!sp || !out)
        return SMMUV3_EINVAL;
    if (!sp->alloc)
        return SMMUV3_EINVAL;
    uint64_t a;
    smmuv3_alloc saved = *sp->alloc;
    int rc = smmuv3_alloc_get(sp->alloc, size, align, &a);
    if (rc)
        return rc;
    rc = smmuv3_space_zero(sp, a, size);
    if (rc) {
        *sp->alloc = saved;
        return rc;
    }
    *out = a;
    return 0;
}

/* Allocate (addr == SMMUV3_BUILD_ALLOC) or place (check alignment) and zero. */
int bld_place(const smmuv3_space *sp, uint64_t addr, uint64_t size, uint64_t align, uint64_t min_align,
              uint64_t *out)
{
    if (addr == SMMUV3_BUILD_ALLOC)
        return smmuv3_space_zalloc(sp, size, align, out);
    bool keep = (addr & SMMUV3_BUILD_KEEP) != 0;
    addr &= ~SMMUV3_BUILD_KEEP;
    if (addr & (min_align - 1))
        return SMMUV3_EINVAL;
    if (keep) {
        *out = addr;
        return 0;
    }
    int rc = smmuv3_space_zero(sp, addr, size);
    if (rc)
        return rc;
    *out = addr;
    return 0;
}
