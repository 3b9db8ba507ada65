/* twomem: an SMMU over separate Non-secure and Secure memories (twomem.h). */
#include "twomem.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

static int ns_read(void *c, uint64_t pa, void *b, size_t n) { return smmuv3_mem_read(((twomem *)c)->ns, pa, b, n); }
static int ns_write(void *c, uint64_t pa, const void *b, size_t n) { return smmuv3_mem_write(((twomem *)c)->ns, pa, b, n); }
static int s_read(void *c, uint64_t pa, void *b, size_t n) { return smmuv3_mem_read(((twomem *)c)->sec, pa, b, n); }
static int s_write(void *c, uint64_t pa, const void *b, size_t n) { return smmuv3_mem_write(((twomem *)c)->sec, pa, b, n); }

void twomem_init(twomem *t, const smmuv3_config *c)
{
    t->ns = smmuv3_mem_new();
    t->sec = smmuv3_mem_new();
    assert_non_null(t->ns);
    assert_non_null(t->sec);
    smmuv3_host host = { .ctx = t, .read = ns_read, .write = ns_write, .read_secure = s_read, .write_secure = s_write };
    smmuv3_config d;
    if (!c) {
        smmuv3_config_default(&d);
        c = &d;
    }
    assert_int_equal(smmuv3_new(c, &host, &t->s), 0);
}

void twomem_fini(twomem *t)
{
    smmuv3_free(t->s);
    smmuv3_mem_free(t->ns);
    smmuv3_mem_free(t->sec);
}
