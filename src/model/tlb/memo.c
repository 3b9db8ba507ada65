/* SPDX-License-Identifier: MIT */
/*
 * The translation fast path: a direct-mapped memo of complete, successful
 * translations, keyed by (StreamID, SSV, SubstreamID, 4K page of the input
 * address, transaction flags). It plays the part of a per-stream micro-TLB in
 * front of the configuration cache and the IOTLB, and it is exact: an entry is
 * only a shortcut to what those two caches would answer, so it is valid only
 * while neither can have changed. Every event that can change them calls
 * smmu_state_changed (the change notices of smmu.h, to which the memo
 * listens), which empties the memo at once (it clears the entries
 * filled since the last time, so the cost is bounded by the slow-path
 * translations that filled them):
 *   - any MMIO write (before and after it: commands run inside CMDQ_PROD,
 *     CR0 and GERRORN writes; registers such as CR0, CR2, GBPA change results);
 *   - smmuv3_reset;
 *   - every command consumed (a CMD_SYNC interrupt handler may translate from
 *     inside the register write, after a TLBI or CFGI in the same batch);
 *   - an eviction from the IOTLB or the configuration cache, an entry of
 *     either replaced in place (a write marking a page dirty, or a nested
 *     translation that cached it first), and any flush of them (so a 1-entry
 *     TLB still forgets exactly what it would forget without the memo).
 * A translation during which any of these happened, or during which another
 * translation ran (a host callback: it moves the caches' last-used entries),
 * is not memoized.
 * A memo hit touches the configuration-cache entry and the IOTLB slot it came
 * from (recorded when it was filled; both stay put until a removal, which
 * empties the memo), so replacement order is also what it would be without it.
 * It is filled only when both caches are on (and cfg.fastpath): with either
 * cache off every transaction must observe the tables in memory. Faults,
 * stalls and GBPA traffic never go through it. Counters are kept as if the
 * caches answered (a memo hit counts a translation, a configuration-cache hit
 * and, for translated traffic, an IOTLB hit); they are added up when read
 * (smmu_fastpath_stats) so that a hit increments nothing of its own.
 */
#include <stdlib.h>
#include <string.h>
#include "model/tlb/memo.h"

static void memo_changed(void *ctx)
{
    smmu_fastpath_clear(ctx);
}

int smmu_fastpath_new(smmuv3 *s, smmu_fastpath **out)
{
    *out = NULL;
    /* Page-aligned, not just line-aligned: where the allocator put it
     * decided which cache sets its entries shared with other hot data, and
     * a hit's cost varied by 15% between runs with that. */
    smmu_fastpath *fp = aligned_alloc(4096, (sizeof(*fp) + 4095) & ~(size_t)4095);
    if (!fp)
        return SMMUV3_ENOMEM;
    memset(fp, 0, sizeof(*fp));
    /* Always there, so that the probe needs no test; when it is off nothing
     * is filled, and an empty entry never matches (no k0 has bits 63:56 set). */
    for (unsigned i = 0; i < FP_ENTRIES; i++)
        fp->e[i].k0 = FP_EMPTY;
    fp->tlb_stamp = smmu_tlb_stamps(s, &fp->tlb_tick);
    fp->cfg_mru = smmu_cfgcache_mru(s);
    fp->on = s->cfg.fastpath && fp->tlb_stamp && fp->cfg_mru;
    fp->slot_mask = fp->on ? (uint64_t)(FP_ENTRIES - 1) << 6 : 0;
    /* the memo learns of every change through the change notices (smmu.h) */
    s->on_change.fn = memo_changed;
    s->on_change.ctx = fp;
    *out = fp;
    return 0;
}

void smmu_fastpath_free(smmu_fastpath *fp)
{
    free(fp);
}

int smmu_fastpath_touch_cfg(smmuv3 *s, uint32_t slot)
{
    smmu_cfgcache_touch(s, slot);
    return SMMUV3_XLATE_OK;
}

void smmu_fastpath_clear(smmu_fastpath *fp)
{
    for (uint32_t i = 0; i < fp->nfilled; i++)
        fp->e[fp->filled[i]].k0 = FP_EMPTY;
    fp->nfilled = 0;
}

void smmu_fastpath_stats(const smmuv3 *s, smmuv3_stats *st)
{
    if (!s->fp->on)
        return;
    uint64_t tlb = smmu_tlb_fastpath_hits(s), all = tlb + s->fp->bypass_hits;
    st->translations += all;
    st->cfg_hits += all;
    st->tlb_hits += tlb;
}

void smmu_fastpath_insert(smmuv3 *s, uint64_t xgen, const smmuv3_txn *txn, const smmuv3_result *res,
                          bool via_tlb)
{
    smmu_fastpath *fp = s->fp;
    /* Not when anything changed while the translation was made (a host
     * callback that wrote a register, say): the caches' last entries may not
     * be the ones it used. Not while the driver checker is on: its hooks
     * are on the cache hits the memo would skip. */
    if (!fp->on || s->diag_cb || xgen != s->xgen || res->outcome != SMMUV3_XLATE_OK)
        return;
    /* Only whole 4K pages translate as a unit: regions smaller than a page
     * (bypass reports size 1) still map the page one to one. */
    if (!res->bypass && res->size < 0x1000)
        return;
    uint64_t k0, k1;
    fp_key(txn, &k0, &k1);
    fp_entry *e = fp_slot(fp, k0, k1);   /* the probe's own slot */
    uint32_t i = (uint32_t)(e - fp->e);
    if (e->k0 == FP_EMPTY)
        fp->filled[fp->nfilled++] = i;
    e->k0 = k0;
    e->k1 = k1;
    e->img = *res;
    e->img.pa = res->pa & ~0xfffull;
    e->cfg_slot = smmu_cfgcache_last(s);
    e->tlb_pos = via_tlb ? smmu_tlb_last(s) : FP_NO_TLB;
}
