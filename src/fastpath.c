/* SPDX-License-Identifier: MIT */
/*
 * The translation fast path: a direct-mapped memo of complete, successful
 * translations, keyed by (StreamID, SSV, SubstreamID, 4K page of the input
 * address, transaction flags). It plays the part of a per-stream micro-TLB in
 * front of the configuration cache and the IOTLB, and it is exact: an entry is
 * only a shortcut to what those two caches would answer, so it is valid only
 * while neither can have changed. Every event that can change them bumps
 * s->xgen, which empties the memo at once:
 *   - any MMIO write (before and after it: commands run inside CMDQ_PROD,
 *     CR0 and GERRORN writes; registers such as CR0, CR2, GBPA change results);
 *   - smmuv3_reset;
 *   - an eviction from the IOTLB or the configuration cache, and any flush of
 *     them (so a 1-entry TLB still forgets exactly what it would forget
 *     without the memo).
 * A memo hit touches the configuration-cache entry and the IOTLB slot it came
 * from (recorded when it was filled; both stay put until a removal, which
 * empties the memo), so replacement order is also what it would be without it.
 * It is used only when both caches are on (and cfg.fastpath): with either
 * cache off every transaction must observe the tables in memory. Faults, stalls and GBPA
 * traffic never go through it. Counters are kept as if the caches answered
 * (a memo hit counts a configuration-cache hit and, for translated traffic,
 * an IOTLB hit).
 */
#include <stdlib.h>
#include <string.h>
#include "fastpath.h"

smmu_fastpath *smmu_fastpath_new(void)
{
    return calloc(1, sizeof(smmu_fastpath));
}

void smmu_fastpath_free(smmu_fastpath *fp)
{
    free(fp);
}

void smmu_fastpath_insert(smmuv3 *s, const smmuv3_txn *txn, const smmuv3_result *res, bool via_tlb)
{
    if (!smmu_fastpath_enabled(s) || res->outcome != SMMUV3_XLATE_OK)
        return;
    uint64_t page = txn->addr >> 12;
    /* Only whole 4K pages translate as a unit: regions smaller than a page
     * (bypass reports size 1) still map the page one to one. */
    if (!res->bypass && res->size < 0x1000)
        return;
    fp_entry *e = &s->fp->e[fp_index(txn->sid, page)];
    e->gen = s->xgen;
    e->page = page;
    e->sid = txn->sid;
    e->ssid = txn->ssv ? txn->ssid : 0;
    e->flags = fp_flags(txn);
    e->via_tlb = via_tlb;
    e->cfg_slot = smmu_cfgcache_last(s);
    e->tlb_slot = smmu_tlb_last(s);
    e->perm = res->perm;
    e->bypass = res->bypass;
    e->pa_page = res->pa & ~0xfffull;
    e->size = res->size;
    e->attrs = res->attrs;
}
