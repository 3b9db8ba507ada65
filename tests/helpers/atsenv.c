/* SPDX-License-Identifier: MIT */
/* Test environment for ATS and PRI: see atsenv.h. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "atsenv.h"
#include "fixture.h"

#define OK(x) do { int rc_ = (x); if (rc_) fail_msg("%s: %d", #x, rc_); } while (0)

static int h_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    return smmuv3_mem_read(((atsenv *)ctx)->mem, pa, buf, len);
}

static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    atsenv *e = ctx;
    if (len == 4 && pa >= AE_MSI_BASE && e->nmsi < AE_MAX_REC)
        e->msi_addr[e->nmsi++] = pa;
    return smmuv3_mem_write(e->mem, pa, buf, len);
}

static void h_irq(void *ctx, smmuv3_irq line)
{
    atsenv *e = ctx;
    if ((unsigned)line < 4)
        e->irqs[line]++;
}

/* Keep the first AE_MAX_REC records of a kind in arr; count them all in n. */
#define AE_RECORD(arr, n, rec)          \
    do {                                \
        if ((n) < AE_MAX_REC)           \
            (arr)[(n)] = (rec);         \
        (n)++;                          \
    } while (0)

/* ATC invalidations and PRG responses: recorded, then passed to the test device. */
static void h_atc_inv(void *ctx, const smmuv3_atc_inv *inv)
{
    atsenv *e = ctx;
    AE_RECORD(e->inv, e->ninv, *inv);
    smmuv3_testdev_atc_inv(e->dev, inv);
}

static void h_pri_resp(void *ctx, const smmuv3_pri_resp *r)
{
    atsenv *e = ctx;
    AE_RECORD(e->resp, e->nresp, *r);
    smmuv3_testdev_pri_resp(e->dev, r);
}

atsenv *atsenv_new(const smmuv3_config *c, bool atschk)
{
    atsenv *e = calloc(1, sizeof(*e));
    if (!e)
        return NULL;
    if (c)
        e->cfg = *c;
    else
        smmuv3_config_default(&e->cfg);
    e->mem = smmuv3_mem_new();
    e->host.ctx = e;
    e->host.read = h_read;
    e->host.write = h_write;
    e->host.irq = h_irq;
    e->host.atc_inv = h_atc_inv;
    e->host.pri_resp = h_pri_resp;
    if (!e->mem || smmuv3_new(&e->cfg, &e->host, &e->s)) {
        atsenv_free(e);
        return NULL;
    }
    OK(smmuv3_alloc_init(&e->al, 0x40000000, 0x10000000));
    OK(smmuv3_space_init(&e->pa, &e->host, &e->al));
    OK(smmuv3_strtab_init_linear(&e->st, &e->pa, 4, SMMUV3_BUILD_ALLOC));
    /* the nested streams' stage 2: the IPA window of their tables */
    if (e->cfg.s2p) {
        OK(smmuv3_pt_init_s2(&e->s2nest, &e->pa, 12, 24, -1, SMMUV3_BUILD_ALLOC));
        OK(smmuv3_pt_map(&e->s2nest, AE_IPA_BASE, AE_IPA_PA, AE_IPA_SIZE, SMMUV3_MAP_RW, 0));
        OK(smmuv3_alloc_init(&e->ial, AE_IPA_BASE, AE_IPA_SIZE));
        OK(smmuv3_space_init_ipa(&e->ipa, &e->host, &e->ial, smmuv3_pt_to_pa, &e->s2nest));
    }
    OK(smmuv3_driver_init(&e->drv, e->s, &e->pa, &e->st, NULL));
    if (atschk)
        OK(smmuv3_driver_write_cr0(&e->drv, (uint32_t)smmuv3_mmio_read(e->s, 0x20, 4) | 0x10));
    return e;
}

void atsenv_free(atsenv *e)
{
    if (e)
        fixture_free_instance(&e->s, &e->mem);
    free(e);
}

static void write_ste(atsenv *e, uint32_t sid, const uint8_t ste[64])
{
    OK(smmuv3_strtab_write_ste(&e->st, sid, ste));
    OK(smmuv3_driver_cfgi_ste(&e->drv, sid));
}

static void cd_table(atsenv *e, const smmuv3_space *sp, uint32_t sid, unsigned cdmax, smmuv3_cdtab *ct)
{
    OK(smmuv3_cdtab_init(ct, sp, SMMUV3_S1FMT_LINEAR, cdmax, SMMUV3_BUILD_ALLOC));
    for (uint32_t n = 0; n < (1u << cdmax); n++) {
        smmuv3_cd_params cp;
        OK(smmuv3_cd_params_from_pt(&e->pt[sid], (uint16_t)(sid * 16 + n), &cp));
        cp.ha = cp.hd = e->cfg.httu >= 2;
        uint8_t cd[64];
        OK(smmuv3_cd_s1(cd, &cp));
        OK(smmuv3_cdtab_write_cd(ct, n, cd));
    }
}

void atsenv_s1(atsenv *e, uint32_t sid, unsigned eats, unsigned cdmax, unsigned s1dss)
{
    OK(smmuv3_pt_init_s1(&e->pt[sid], &e->pa, 12, 16, SMMUV3_BUILD_ALLOC));
    smmuv3_cdtab ct;
    cd_table(e, &e->pa, sid, cdmax, &ct);
    uint8_t ste[64];
    OK(smmuv3_ste_s1(ste, ct.base, ct.fmt, ct.cdmax));
    OK(smmuv3_ste_set(ste, "s2vmid", 1));
    OK(smmuv3_ste_set(ste, "s1dss", s1dss));
    OK(smmuv3_ste_set(ste, "eats", eats));
    write_ste(e, sid, ste);
}

void atsenv_s2(atsenv *e, uint32_t sid, unsigned eats)
{
    OK(smmuv3_pt_init_s2(&e->pt[sid], &e->pa, 12, 24, -1, SMMUV3_BUILD_ALLOC));
    smmuv3_s2_params sp;
    OK(smmuv3_s2_params_from_pt(&e->pt[sid], (uint16_t)(100 + sid), &sp));
    uint8_t ste[64];
    OK(smmuv3_ste_s2(ste, &sp));
    OK(smmuv3_ste_set(ste, "eats", eats));
    OK(smmuv3_ste_set(ste, "s2ha", e->cfg.httu >= 1));
    OK(smmuv3_ste_set(ste, "s2hd", e->cfg.httu >= 2));
    write_ste(e, sid, ste);
}

void atsenv_nested(atsenv *e, uint32_t sid, unsigned eats, unsigned cdmax, unsigned s1dss)
{
    OK(smmuv3_pt_init_s1(&e->pt[sid], &e->ipa, 12, 16, SMMUV3_BUILD_ALLOC));
    smmuv3_cdtab ct;
    cd_table(e, &e->ipa, sid, cdmax, &ct);
    smmuv3_s2_params sp;
    OK(smmuv3_s2_params_from_pt(&e->s2nest, 4, &sp));
    uint8_t ste[64];
    OK(smmuv3_ste_nested(ste, ct.base, ct.fmt, ct.cdmax, &sp));
    OK(smmuv3_ste_set(ste, "s1dss", s1dss));
    OK(smmuv3_ste_set(ste, "eats", eats));
    write_ste(e, sid, ste);
}

void atsenv_bypass(atsenv *e, uint32_t sid, unsigned eats)
{
    uint8_t ste[64];
    OK(smmuv3_ste_bypass(ste));
    OK(smmuv3_ste_set(ste, "eats", eats));
    write_ste(e, sid, ste);
}

void atsenv_abort(atsenv *e, uint32_t sid)
{
    uint8_t ste[64];
    OK(smmuv3_ste_abort(ste));
    write_ste(e, sid, ste);
}

void atsenv_ste_field(atsenv *e, uint32_t sid, const char *field, uint64_t value)
{
    uint8_t ste[64];
    OK(smmuv3_strtab_read_ste(&e->st, sid, ste));
    OK(smmuv3_ste_set(ste, field, value));
    write_ste(e, sid, ste);
}

void atsenv_map_s2(atsenv *e, uint64_t ipa, uint64_t size, unsigned s2perms)
{
    OK(smmuv3_pt_map(&e->s2nest, ipa, ipa + AE_NEST_OFF, size, s2perms, 0));
}

void atsenv_map(atsenv *e, uint32_t sid, uint64_t va, uint64_t out, uint64_t size, unsigned perms)
{
    OK(smmuv3_pt_map(&e->pt[sid], va, out, size, perms, 0));
    if (e->pt[sid].space == &e->ipa)
        atsenv_map_s2(e, out, size, SMMUV3_MAP_RW | SMMUV3_MAP_EXEC);
}

int atsenv_ats(atsenv *e, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint32_t flags,
               smmuv3_ats_result *r)
{
    smmuv3_txn t = { .sid = sid, .ssid = ssid, .ssv = ssv, .addr = addr, .flags = flags };
    return smmuv3_ats_translate(e->s, &t, r);
}

int atsenv_xlate(atsenv *e, uint32_t sid, uint64_t addr, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = addr, .flags = flags };
    return smmuv3_translate(e->s, &t, r);
}

unsigned atsenv_events(atsenv *e, uint8_t *ids, unsigned max)
{
    unsigned n = 0;
    uint8_t rec[SMMUV3_EVENT_BYTES];
    while (smmuv3_driver_event_pop(&e->drv, rec) == 1) {
        if (n < max)
            ids[n] = rec[0];
        n++;
    }
    return n;
}

int atsenv_cmd(atsenv *e, const char *op, const char *const *names, const uint64_t *vals, unsigned n)
{
    uint8_t c[16];
    int rc = smmuv3_cmd_build(c, op, names, vals, n);
    if (rc)
        return rc;
    rc = smmuv3_driver_submit(&e->drv, c);
    if (rc)
        return rc;
    return smmuv3_driver_sync(&e->drv);
}
