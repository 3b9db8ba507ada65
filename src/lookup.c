/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): configuration lookup arrives with issue 4; until then every transaction is aborted. */
#include <stdlib.h>
#include "smmu.h"

int smmu_config_lookup(smmuv3 *s, const smmuv3_txn *txn, smmu_txcfg *out, smmu_event *ev) { SMMU_UNUSED(s); SMMU_UNUSED(txn); SMMU_UNUSED(out); ev->id = 0; return 1; }
