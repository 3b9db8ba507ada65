/* SPDX-License-Identifier: MIT */
/* The model instance every test fixture makes: smmuv3_new with a profile or
 * the default one, success asserted (cmocka). */
#ifndef TESTS_SMMU_NEW_H
#define TESTS_SMMU_NEW_H

#include <smmuv3/smmuv3.h>

/* An SMMU of configuration c (NULL: smmuv3_config_default) over host h. */
smmuv3 *tst_smmu_new(const smmuv3_config *c, const smmuv3_host *h);

/* A new sparse memory (*mem), a host over it (*host, smmuv3_host_from_mem)
 * and an SMMU of configuration c (NULL: the default) on that host. */
smmuv3 *tst_smmu_on_mem(const smmuv3_config *c, smmuv3_mem **mem, smmuv3_host *host);

#endif
