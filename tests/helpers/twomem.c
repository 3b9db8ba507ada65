/* twomem: an SMMU over separate Non-secure and Secure memories (twomem.h). */
#include "twomem.h"
#include "smmu_regs.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static int ns_read(void *c, uint64_t pa, void *b, size_t n) { return smmuv3_mem_read(((twomem *)c)->ns, pa, b, n); }
static int ns_write(void *c, uint64_t pa, const void *b, size_t n) { return smmuv3_mem_write(((twomem *)c)->ns, pa, b, n); }
static int s_read(void *c, uint64_t pa, void *b, size_t n) { return smmuv3_mem_read(((twomem *)c)->sec, pa, b, n); }
static int s_write(void *c, uint64_t pa, const void *b, size_t n) { return smmuv3_mem_write(((twomem *)c)->sec, pa, b, n); }
static void ns_irq(void *c, smmuv3_irq line) { ((twomem *)c)->irqs[line]++; }
static void s_irq(void *c, smmuv3_irq line) { ((twomem *)c)->sirqs[line]++; }

void twomem_init(twomem *t, const smmuv3_config *c)
{
    t->ns = smmuv3_mem_new();
    t->sec = smmuv3_mem_new();
    assert_non_null(t->ns);
    assert_non_null(t->sec);
    for (int i = 0; i < 4; i++)
        t->irqs[i] = t->sirqs[i] = 0;
    t->view[0] = (smmuv3_host){ .ctx = t, .read = ns_read, .write = ns_write };
    t->view[1] = (smmuv3_host){ .ctx = t, .read = s_read, .write = s_write };
    t->host = (smmuv3_host){ .ctx = t, .read = ns_read, .write = ns_write, .read_secure = s_read,
                         .write_secure = s_write, .irq = ns_irq, .irq_secure = s_irq };
    smmuv3_config d;
    if (!c) {
        smmuv3_config_default(&d);
        c = &d;
    }
    assert_int_equal(smmuv3_new(c, &t->host, &t->s), 0);
}

void twomem_fini(twomem *t)
{
    smmuv3_free(t->s);
    smmuv3_mem_free(t->ns);
    smmuv3_mem_free(t->sec);
}

twomem *twomem_new(const smmuv3_config *c)
{
    twomem *t = test_calloc(1, sizeof(*t));
    twomem_init(t, c);
    return t;
}

void twomem_free(twomem *t)
{
    twomem_fini(t);
    test_free(t);
}

int twomem_setup(void **state)
{
    *state = twomem_new(NULL);
    return 0;
}

int twomem_teardown(void **state)
{
    twomem_free(*state);
    return 0;
}

twomem *twomem_renew(void **state, const smmuv3_config *c)
{
    twomem *t = *state;
    twomem_fini(t);
    twomem_init(t, c);
    return t;
}

/* The Secure copy of a register sits 0x8000 above the Non-secure one (IHI 0070 6.2). */
#define S_BANK (S_CR0 - CR0)

void twomem_up(twomem *t, uint64_t strtab, uint64_t cmdq, uint64_t evtq, unsigned log2)
{
    for (int secure = 1; secure >= 0; secure--) {
        uint64_t b = secure ? S_BANK : 0;
        smmuv3_mmio_write_sec(t->s, b + STRTAB_BASE, strtab, 8, secure);
        smmuv3_mmio_write_sec(t->s, b + STRTAB_BASE_CFG, log2, 4, secure);   /* LINEAR */
        smmuv3_mmio_write_sec(t->s, b + CMDQ_BASE, cmdq | log2, 8, secure);
        smmuv3_mmio_write_sec(t->s, b + EVENTQ_BASE, evtq | log2, 8, secure);
        if (secure)
            smmuv3_mmio_write_sec(t->s, b + CR2, 2, 4, true);                 /* RECINVSID */
        smmuv3_mmio_write_sec(t->s, b + CR0, CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN, 4, secure);
    }
}

int twomem_driver_up(twomem *t, bool secure, uint64_t base, uint64_t size, unsigned log2, uint64_t strtab_at,
                     smmuv3_alloc *al, smmuv3_space *sp, smmuv3_strtab *st, smmuv3_driver *drv)
{
    assert_int_equal(smmuv3_alloc_init(al, base, size), 0);
    assert_int_equal(smmuv3_space_init(sp, &t->view[secure], al), 0);
    assert_int_equal(smmuv3_strtab_init_linear(st, sp, log2, strtab_at), 0);
    smmuv3_driver_cfg dc;
    smmuv3_driver_cfg_default(&dc);
    dc.secure = secure;
    return smmuv3_driver_init(drv, t->s, sp, st, &dc);
}

void twomem_expect_event(smmuv3_mem *m, uint64_t at, const tm_evfield *f, size_t n)
{
    uint8_t rec[32];
    assert_int_equal(smmuv3_mem_read(m, at, rec, sizeof(rec)), 0);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = 0;
        if (smmuv3_event_get(rec, f[i].name, &v) != 0)
            fail_msg("event record at 0x%llx: no field %s", (unsigned long long)at, f[i].name);
        if (v != f[i].v)
            fail_msg("event record at 0x%llx: %s = 0x%llx, expected 0x%llx", (unsigned long long)at, f[i].name,
                     (unsigned long long)v, (unsigned long long)f[i].v);
    }
}
