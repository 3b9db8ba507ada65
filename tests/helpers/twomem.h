/* An SMMU over two memories: the Non-secure PA space (host.read/write) and
 * the Secure PA space (host.read_secure/write_secure), so a test sees which
 * space every table, queue and output access went to. */
#ifndef SMMUV3_TEST_TWOMEM_H
#define SMMUV3_TEST_TWOMEM_H

#include <smmuv3/smmuv3.h>

typedef struct twomem {
    smmuv3_mem *ns, *sec;
    smmuv3 *s;
} twomem;

/* Creates both memories and the SMMU (profile c, or the default when NULL);
 * asserts success. t must stay where it is while the SMMU lives (it is the
 * host context). */
void twomem_init(twomem *t, const smmuv3_config *c);
void twomem_fini(twomem *t);

#endif
