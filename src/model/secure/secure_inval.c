/* SPDX-License-Identifier: MIT */
/*
 * Invalidation commands of the Secure Command queue with Secure scope
 * (IHI 0070 H.a 4.3 with SSec == 1, 4.4.2.1-6, 4.4.2.11-14, 4.4.3.3-4,
 * 4.4.4.2). 4.4: "An implementation is permitted to invalidate more
 * non-locked entries than this required scope (over-invalidation)"; this
 * model applies a Secure CFGI to the Secure streams' configuration cache
 * entries exactly (the cache keys the two StreamID namespaces apart), and a
 * Secure-scope TLBI to the Secure streams' IOTLB and walk cache entries of
 * its scope (tlb_inval.c, walkcache.c): no Non-secure entry is ever removed
 * by a Secure command, nor the reverse. The translation memo forgets
 * everything at any change (tlb/memo.c): it is exact by construction.
 */
#include "model/smmu.h"

/* CFGI_* with SSec == 1: the Secure streams' entries (4.3, 4.1.6). */
void smmu_secure_cfgi(smmuv3 *s, unsigned opcode, const uint64_t cmd[2])
{
    smmu_cfgcache_command_sec(s, opcode, cmd, true);
}

void smmu_secure_tlbi(smmuv3 *s, unsigned opcode, const uint64_t cmd[2])
{
    smmu_tlb_command_sec(s, opcode, cmd, true);
    smmu_walkcache_command_sec(s, opcode, cmd, true);
}
