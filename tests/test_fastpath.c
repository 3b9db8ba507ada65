/* Tests of the translation fast path (src/model/tlb/memo.c): a memo of complete
 * translations must never change what the configuration cache and the IOTLB
 * would answer: staleness until invalidation, forgetting on eviction and
 * flush, replacement order, counters, and faults that are never memoized. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "model/smmu.h"
#include "model/tlb/memo.h"
#include "threads_env.h"
#include "cfgfx.h"
#include "test_main.h"

#define OK(x) assert_int_equal((x), 0)
#define SID TENV_SID_S1
#define SID_BYP TENV_SID_BYP
#define ASID TENV_ASID
#define VMID 0

/* The concurrency tests' set-up (threads_env.h: SID stage 1 over e->pt with
 * ASID, SID_BYP bypass) with the given cache sizes and the fast path on or off. */
static tenv *up_fp(tenv *e, unsigned tlb_entries, unsigned cfg_entries, bool fastpath)
{
    smmuv3_config c = CFGFX(CF(fastpath, fastpath), CF(tlb_entries, tlb_entries), CF(cfg_entries, cfg_entries));
    tenv_up(e, &c, 0);
    return e;
}

static tenv *up(tenv *e, unsigned tlb_entries, unsigned cfg_entries)
{
    return up_fp(e, tlb_entries, cfg_entries, true);
}

static void map(tenv *e, uint64_t va, uint64_t pa, unsigned perms)
{
    OK(smmuv3_pt_map(&e->pt, va, pa, 0x1000, perms | SMMUV3_MAP_NG, 0));
}

static void remap(tenv *e, uint64_t va, uint64_t pa, unsigned perms)
{
    OK(smmuv3_pt_unmap(&e->pt, va, 0x1000));
    map(e, va, pa, perms);
}

static int xl(tenv *e, uint32_t sid, uint64_t va, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = va, .flags = flags };
    return smmuv3_translate(e->w.smmu, &t, r);
}

/* The outcome of a transaction whose result is not looked at. */
static int outcome(tenv *e, uint32_t sid, uint64_t va, uint32_t flags)
{
    smmuv3_result r;
    return xl(e, sid, va, flags, &r);
}

/* Replace sid's STE with an abort one (no invalidation). */
static void write_abort_ste(tenv *e, uint32_t sid)
{
    uint8_t ste[64];
    OK(smmuv3_ste_abort(ste));
    OK(smmuv3_strtab_write_ste(&e->w.st, sid, ste));
}

static uint64_t pa_of(tenv *e, uint32_t sid, uint64_t va)
{
    smmuv3_result r;
    int rc = xl(e, sid, va, 0, &r);
    if (rc)
        fail_msg("va 0x%llx: outcome %d fault 0x%x", (unsigned long long)va, rc, r.fault);
    return r.pa;
}

/* Repeated hits are counted as configuration-cache and IOTLB hits, one walk. */
static void test_counters(void **state)
{
    tenv *e = up(*state, 64, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    smmuv3_stats a, b;
    smmuv3_get_stats(e->w.smmu, &a);
    for (int i = 0; i < 10; i++)
        assert_int_equal(pa_of(e, SID, 0x10008 + i), 0x90008 + i);
    smmuv3_get_stats(e->w.smmu, &b);
    assert_int_equal(b.translations - a.translations, 10);
    assert_int_equal(b.walks - a.walks, 1);
    assert_int_equal(b.tlb_hits - a.tlb_hits, 9);
    assert_int_equal(b.cfg_hits - a.cfg_hits, 9);
    /* a bypass stream: configuration hits only */
    for (int i = 0; i < 4; i++)
        assert_int_equal(pa_of(e, SID_BYP, 0x7000 + i), 0x7000 + i);
    smmuv3_stats c;
    smmuv3_get_stats(e->w.smmu, &c);
    assert_int_equal(c.tlb_hits - b.tlb_hits, 0);
    assert_int_equal(c.cfg_hits - b.cfg_hits, 3);
}

/* A changed mapping stays stale until a TLBI, and is seen right after it. */
static void test_stale_until_tlbi(void **state)
{
    tenv *e = up(*state, 64, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10010), 0x90010);
    remap(e, 0x10000, 0xA0000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10010), 0x90010);   /* cached */
    OK(smmuv3_driver_tlbi_nh_va(&e->w.drv, VMID, ASID, 0x10000, true));
    assert_int_equal(pa_of(e, SID, 0x10010), 0xA0010);
    /* and an STE change stays stale until CFGI_STE */
    write_abort_ste(e, SID);
    assert_int_equal(pa_of(e, SID, 0x10010), 0xA0010);
    OK(smmuv3_driver_cfgi_ste(&e->w.drv, SID));
    assert_int_equal(outcome(e, SID, 0x10010, 0), SMMUV3_XLATE_ABORT);
}

/* A 1-entry IOTLB forgets a translation when another one evicts it. */
static void test_tlb_eviction_forgets(void **state)
{
    tenv *e = up(*state, 1, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    map(e, 0x20000, 0x91000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);
    assert_int_equal(pa_of(e, SID, 0x20000), 0x91000);   /* evicts 0x10000 */
    remap(e, 0x10000, 0xB0000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0xB0000);   /* walked again */
}

/* A 1-entry configuration cache forgets a stream's STE on eviction. */
static void test_cfg_eviction_forgets(void **state)
{
    tenv *e = up(*state, 64, 1);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);
    assert_int_equal(pa_of(e, SID_BYP, 0x5000), 0x5000); /* evicts SID's config */
    write_abort_ste(e, SID);
    assert_int_equal(outcome(e, SID, 0x10000, 0), SMMUV3_XLATE_ABORT);
}

/* Replacement order is what it would be without the memo: a page used again
 * (through the memo) is the most recently used one. */
static void test_lru_order(void **state)
{
    tenv *e = up(*state, 2, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    map(e, 0x20000, 0x91000, SMMUV3_MAP_RW);
    map(e, 0x30000, 0x92000, SMMUV3_MAP_RW);
    pa_of(e, SID, 0x10000);
    pa_of(e, SID, 0x20000);
    pa_of(e, SID, 0x10000);                               /* A most recent */
    pa_of(e, SID, 0x30000);                               /* evicts B */
    remap(e, 0x10000, 0xC0000, SMMUV3_MAP_RW);
    remap(e, 0x20000, 0xC1000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);   /* still cached */
    assert_int_equal(pa_of(e, SID, 0x20000), 0xC1000);   /* walked */
}

/* Internal flushes (not through MMIO) are seen too. */
static void test_internal_flush(void **state)
{
    tenv *e = up(*state, 64, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    pa_of(e, SID, 0x10000);
    remap(e, 0x10000, 0xD0000, SMMUV3_MAP_RW);
    smmu_tlb_flush(e->w.smmu);
    assert_int_equal(pa_of(e, SID, 0x10000), 0xD0000);
    remap(e, 0x10000, 0xE0000, SMMUV3_MAP_RW);
    smmuv3_reset(e->w.smmu);
    OK(smmuv3_driver_init(&e->w.drv, e->w.smmu, &e->w.sp, &e->w.st, NULL));
    assert_int_equal(pa_of(e, SID, 0x10000), 0xE0000);
}

/* A register write changes results at once: SMMUEN=0 with GBPA bypass. */
static void test_register_write(void **state)
{
    tenv *e = up(*state, 64, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10004), 0x90004);
    uint32_t cr0 = (uint32_t)smmuv3_mmio_read(e->w.smmu, 0x20, 4);
    smmuv3_mmio_write(e->w.smmu, 0x20, cr0 & ~1u, 4);
    smmuv3_result r;
    assert_int_equal(xl(e, SID, 0x10004, 0, &r), 0);
    assert_true(r.bypass);
    assert_int_equal(r.pa, 0x10004);
}

/* Faults are never memoized: each faulting access records its own event,
 * and access kinds are kept apart (a read hit does not permit a write). */
static void test_faults_not_memoized(void **state)
{
    tenv *e = up(*state, 64, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_READ);
    smmuv3_result r;
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(xl(e, SID, 0x10000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, SMMUV3_EVT_F_PERMISSION);
    }
    assert_int_equal(smmuv3_driver_event_count(&e->w.drv), 3);
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);
}

/* With the IOTLB off every transaction walks (no memo). */
static void test_off_without_tlb(void **state)
{
    tenv *e = up(*state, 0, 16);
    map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0x90000);
    remap(e, 0x10000, 0xF0000, SMMUV3_MAP_RW);
    assert_int_equal(pa_of(e, SID, 0x10000), 0xF0000);
}

/* Every field of two results (the fast path must write all of them). */
static void assert_same_result(const smmuv3_result *a, const smmuv3_result *b)
{
    assert_int_equal(a->pa, b->pa);
    assert_int_equal(a->event, b->event);
    assert_int_equal(a->fault, b->fault);
    assert_int_equal(a->outcome, b->outcome);
    assert_int_equal(a->bypass, b->bypass);
    assert_int_equal(a->size, b->size);
    assert_int_equal(a->perm, b->perm);
    assert_int_equal(a->stag, b->stag);
    assert_int_equal(a->attrs.memattr, b->attrs.memattr);
    assert_int_equal(a->attrs.sh, b->attrs.sh);
    assert_int_equal(a->attrs.ns, b->attrs.ns);
    assert_int_equal(a->attrs.priv, b->attrs.priv);
    assert_int_equal(a->attrs.inst, b->attrs.inst);
}

/* The same workload with the fast path on and off: identical results and
 * identical counters (the memo is invisible but for speed). */
static void test_on_off_identical(void **state)
{
    (void)state;
    tenv on, off;
    up_fp(&on, 3, 2, true);
    up_fp(&off, 3, 2, false);
    tenv *es[2] = { &on, &off };
    for (int k = 0; k < 2; k++)
        for (uint64_t p = 0; p < 6; p++)
            map(es[k], 0x10000 + p * 0x1000, 0x90000 + p * 0x1000, p == 3 ? SMMUV3_MAP_READ : SMMUV3_MAP_RW);
    uint64_t seed = 7;
    for (int i = 0; i < 3000; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t va = 0x10000 + ((seed >> 33) % 7) * 0x1000 + ((seed >> 20) & 0xff8);
        uint32_t sid = (seed >> 45) & 1 ? SID : SID_BYP;
        uint32_t fl = (uint32_t)(seed >> 50) & (SMMUV3_TXN_WRITE | SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV);
        /* SSV clear with a SubstreamID that must be ignored */
        smmuv3_txn t = { .sid = sid, .ssid = (uint32_t)(seed >> 56) & 3, .addr = va, .flags = fl };
        smmuv3_result r[2];
        int rc[2];
        for (int k = 0; k < 2; k++) {
            memset(&r[k], 0xA5, sizeof(r[k]));   /* every field must be written */
            rc[k] = smmuv3_translate(es[k]->w.smmu, &t, &r[k]);
        }
        assert_int_equal(rc[0], rc[1]);
        assert_same_result(&r[0], &r[1]);
        if (i % 500 == 250)
            for (int k = 0; k < 2; k++)
                remap(es[k], 0x12000, 0xA2000 + (uint64_t)i * 0x1000, SMMUV3_MAP_RW);
    }
    smmuv3_stats a, b;
    smmuv3_get_stats(on.w.smmu, &a);
    smmuv3_get_stats(off.w.smmu, &b);
    assert_int_equal(a.translations, b.translations);
    assert_int_equal(a.walks, b.walks);
    assert_int_equal(a.tlb_hits, b.tlb_hits);
    assert_int_equal(a.tlb_evictions, b.tlb_evictions);
    assert_int_equal(a.cfg_hits, b.cfg_hits);
    assert_int_equal(a.cfg_evictions, b.cfg_evictions);
    assert_int_equal(a.events, b.events);
    tenv_down(&on);
    tenv_down(&off);
}

static tenv *hook_env;
static int hook_reads;               /* host reads until the hook acts (0: idle) */
static void (*hook_action)(tenv *e);

/* Host read callback: on the hook_reads-th read, runs hook_action once
 * (from inside whatever translation or command is reading). */
static int hook_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    if (hook_reads && --hook_reads == 0)
        hook_action(hook_env);
    return smmuv3_mem_read((smmuv3_mem *)ctx, pa, buf, len);
}

static void hook_arm(tenv *e, int reads, void (*action)(tenv *e))
{
    e->w.smmu->host.read = hook_read;   /* internal: the host is fixed at creation */
    hook_env = e;
    hook_reads = reads;
    hook_action = action;
}

static void act_cfgi_all(tenv *e)
{
    assert_int_equal(smmuv3_driver_cfgi_all(&e->w.drv), 0);
}

/* Host memory callbacks that run commands in the middle of a translation
 * (an embedder's device model reacting to a table read, say): here a
 * CFGI_ALL issued from the walk's first descriptor read. The translation
 * completes with the configuration it fetched, but that configuration is no
 * longer cached, so the next translation of the stream must fetch the STE
 * again; a memo entry made from the first translation would skip that. Run
 * with the fast path on and off: the same counters. */
static void test_change_during_translation(void **state)
{
    smmuv3_stats st[2];
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 16, k == 0);
        map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
        hook_arm(e, 3, act_cfgi_all);   /* STE, CD, then the walk's first read */
        smmuv3_stats a;
        smmuv3_get_stats(e->w.smmu, &a);
        assert_int_equal(pa_of(e, SID, 0x10010), 0x90010);
        assert_int_equal(hook_reads, 0);
        assert_int_equal(pa_of(e, SID, 0x10020), 0x90020);   /* STE fetched again */
        assert_int_equal(pa_of(e, SID, 0x10030), 0x90030);
        smmuv3_get_stats(e->w.smmu, &st[k]);
        assert_int_equal(st[k].cfg_misses - a.cfg_misses, 2);
        assert_int_equal(st[k].walks - a.walks, 1);
        assert_int_equal(st[k].tlb_hits - a.tlb_hits, 2);
        tenv_down(e);
    }
    assert_int_equal(st[0].cfg_hits, st[1].cfg_hits);
    assert_int_equal(st[0].cfg_misses, st[1].cfg_misses);
}

/* A device model that answers the CMD_SYNC interrupt by issuing DMA at
 * once, from inside the interrupt callback (so inside the CMDQ_PROD write):
 * the TLBI before the SYNC must be visible to it (4.7: CMD_SYNC completes
 * after the invalidations before it). */
static tenv *sync_env;
static uint64_t sync_seen_pa[2];
static unsigned sync_count;

static void sync_irq(void *ctx, smmuv3_irq line)
{
    (void)ctx;
    if (line == SMMUV3_IRQ_CMD_SYNC && sync_count < 2)
        sync_seen_pa[sync_count++] = pa_of(sync_env, SID, 0x10010);
}

static void test_translation_from_sync_interrupt(void **state)
{
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 16, k == 0);
        map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
        assert_int_equal(pa_of(e, SID, 0x10010), 0x90010);
        assert_int_equal(pa_of(e, SID, 0x10010), 0x90010);   /* memoized */
        remap(e, 0x10000, 0xA0000, SMMUV3_MAP_RW);
        e->w.smmu->host.irq = sync_irq;   /* internal: the host is fixed at creation */
        sync_env = e;
        sync_count = 0;
        /* SYNC (the device translates: still the cached mapping, and it
         * fills the memo), TLBI_NH_VA, SYNC (the device must see the new
         * mapping), all in one CMDQ_PROD write */
        uint8_t cmds[3][SMMUV3_CMD_BYTES];
        OK(smmuv3_cmd_init(cmds[0], SMMUV3_CMD_SYNC));
        OK(smmuv3_cmd_set(cmds[0], "cs", 1));   /* SIG_IRQ, MSIAddr 0: the wired line */
        OK(smmuv3_cmd_init(cmds[1], SMMUV3_CMD_TLBI_NH_VA));
        OK(smmuv3_cmd_set(cmds[1], "asid", ASID));
        OK(smmuv3_cmd_set(cmds[1], "address", 0x10000));
        memcpy(cmds[2], cmds[0], SMMUV3_CMD_BYTES);
        OK(smmuv3_driver_submit_n(&e->w.drv, &cmds[0][0], 3));
        assert_int_equal(sync_count, 2);
        assert_int_equal(sync_seen_pa[0], 0x90010);
        assert_int_equal(sync_seen_pa[1], 0xA0010);
        tenv_down(e);
    }
}


/* ------------------------------------------------------------ replaced entries, nested translations */
/* A write to a writable-clean (DBM) page re-walks and replaces the IOTLB
 * entry in place: the earlier read's memo entry (perm R) must go with it. */
static void test_dbm_overwrite(void **state)
{
    smmuv3_result r[2][3];
    smmuv3_stats st[2];
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 16, k == 0);
        tenv_s1_stream(e, SID, ASID, TENV_HTTU);   /* CD.HA/HD: DBM pages become dirty */
        OK(smmuv3_driver_cfgi_ste(&e->w.drv, SID));
        map(e, 0x10000, 0x90000, SMMUV3_MAP_READ | SMMUV3_MAP_DBM);   /* writable-clean */
        assert_int_equal(xl(e, SID, 0x10000, 0, &r[k][0]), 0);               /* read: memo, perm R */
        assert_int_equal(xl(e, SID, 0x10000, SMMUV3_TXN_WRITE, &r[k][1]), 0); /* walk, marks dirty */
        assert_int_equal(xl(e, SID, 0x10000, 0, &r[k][2]), 0);               /* read again */
        smmuv3_get_stats(e->w.smmu, &st[k]);
        tenv_down(e);
    }
    assert_same_result(&r[0][0], &r[1][0]);
    assert_same_result(&r[0][1], &r[1][1]);
    assert_same_result(&r[0][2], &r[1][2]);
    assert_int_equal(st[0].tlb_hits, st[1].tlb_hits);
}

/* A translation made from a host read callback during the walk of another
 * one moves the configuration cache's last-used entry: the outer one must
 * not be memoized with the inner's slot (its hits would touch the wrong
 * entry and the LRU victim would differ). */
static void act_translate_bypass(tenv *e)
{
    assert_int_equal(outcome(e, SID_BYP, 0x5000, 0), 0);
}

static void test_nested_cfg_slot(void **state)
{
    smmuv3_stats st[2];
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 2, k == 0);
        uint8_t byp[64];
        OK(smmuv3_ste_bypass(byp));
        OK(smmuv3_strtab_write_ste(&e->w.st, 5, byp));
        map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
        map(e, 0x20000, 0x91000, SMMUV3_MAP_RW);
        pa_of(e, SID, 0x10000);           /* cfg: A */
        hook_arm(e, 1, act_translate_bypass);   /* the first walk read of the next one */
        pa_of(e, SID, 0x20000);           /* cfg hit A, walk; inner: cfg B (MRU) */
        assert_int_equal(hook_reads, 0);
        pa_of(e, SID, 0x20000);           /* off: A becomes MRU; on: memo touches B */
        pa_of(e, 5, 0x6000);              /* evicts the LRU one */
        pa_of(e, SID_BYP, 0x5000);        /* off: B evicted -> miss; on: hit */
        smmuv3_get_stats(e->w.smmu, &st[k]);
        tenv_down(e);
    }
    assert_int_equal(st[0].cfg_hits, st[1].cfg_hits);
    assert_int_equal(st[0].cfg_misses, st[1].cfg_misses);
}

/* A host read callback translates the same page (another access kind),
 * then changes the mapping; the outer walk reads the new leaf and replaces
 * the inner's IOTLB entry in place: the inner's memo entry (old output
 * address) must go with it. */
static void act_write_then_remap(tenv *e)
{
    smmuv3_result r;
    assert_int_equal(xl(e, SID, 0x10000, SMMUV3_TXN_WRITE, &r), 0);
    assert_int_equal(r.pa, 0x90000);
    remap(e, 0x10000, 0xA0000, SMMUV3_MAP_RW);
}

static void test_nested_tlb_overwrite(void **state)
{
    uint64_t pa[2];
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 16, k == 0);
        map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
        hook_arm(e, 3, act_write_then_remap);   /* STE, CD, first walk read */
        assert_int_equal(pa_of(e, SID, 0x10000), 0xA0000);
        assert_int_equal(hook_reads, 0);
        smmuv3_result r;
        assert_int_equal(xl(e, SID, 0x10000, SMMUV3_TXN_WRITE, &r), 0);
        pa[k] = r.pa;
        tenv_down(e);
    }
    assert_int_equal(pa[0], pa[1]);
}

/* The same for the configuration cache: a translation made from the host
 * read of another one's STE fills the cache and the memo; the callback then
 * replaces the STE (abort), and the outer translation replaces the cached
 * entry in place: the inner's memo entry must go with it. */
static void act_write_then_abort_ste(tenv *e)
{
    assert_int_equal(outcome(e, SID, 0x10000, SMMUV3_TXN_WRITE), 0);
    write_abort_ste(e, SID);
}

static void test_nested_cfg_overwrite(void **state)
{
    int rc[2];
    for (int k = 0; k < 2; k++) {
        tenv *e = up_fp(*state, 64, 16, k == 0);
        map(e, 0x10000, 0x90000, SMMUV3_MAP_RW);
        hook_arm(e, 1, act_write_then_abort_ste);   /* the outer's STE read */
        assert_int_equal(outcome(e, SID, 0x10000, 0), SMMUV3_XLATE_ABORT);  /* abort STE, cached */
        rc[k] = outcome(e, SID, 0x10000, SMMUV3_TXN_WRITE);
        tenv_down(e);
    }
    assert_int_equal(rc[0], rc[1]);
}

/* Admission (memo.c): a working set far larger than the memo (front and
 * back: more than twice the back's FP_BACK pages, so that each back entry
 * is shared by two or three pages that evict each other in a sweep) puts it
 * to sleep (no probe, no fill, no work at the lock); a change made while it
 * sleeps is honoured when it wakes; after waking it hits again on a small
 * working set; a second thread gets a memo once the sleep ends. Results
 * and counters stay those of the memo off throughout. */
#define SLEEP_PAGES (2 * FP_BACK + 4000u)
static void *one_translation(void *arg)
{
    tenv *e = arg;
    smmuv3_result r;
    smmuv3_txn t = { .sid = SID, .addr = 0x1000000 };
    assert_int_equal(smmuv3_translate(e->w.smmu, &t, &r), SMMUV3_XLATE_OK);
    assert_int_equal(r.pa, 0x8000000);
    return NULL;
}

/* es[0] with the memo, es[1] without, a TLB of tlb entries, and `pages`
 * pages mapped from VA 0x1000000 to PA 0x8000000 in both. */
static void up_pair(tenv **es, unsigned tlb, uint64_t pages)
{
    up_fp(es[0], tlb, 16, true);
    up_fp(es[1], tlb, 16, false);
    for (int k = 0; k < 2; k++)
        for (uint64_t p = 0; p < pages; p++)
            map(es[k], 0x1000000 + p * 0x1000, 0x8000000 + p * 0x1000, SMMUV3_MAP_RW);
}

/* `passes` sweeps of pages first.. first + pages - 1, each page read (and
 * then written when `writes`), on both instances: the same results. */
static void sweep(tenv **es, uint64_t first, unsigned pages, unsigned passes, bool writes)
{
    for (unsigned n = 0; n < passes; n++)
        for (unsigned p = 0; p < pages; p++)
            for (uint32_t fl = 0; fl <= (writes ? SMMUV3_TXN_WRITE : 0u); fl++) {
                smmuv3_txn t = { .sid = SID, .addr = 0x1000000 + (first + p) * 0x1000 + 8, .flags = fl };
                smmuv3_result r[2];
                for (int k = 0; k < 2; k++)
                    assert_int_equal(smmuv3_translate(es[k]->w.smmu, &t, &r[k]), SMMUV3_XLATE_OK);
                assert_same_result(&r[0], &r[1]);
            }
}

static void sleep_pass(tenv **es, uint64_t first, unsigned pages, unsigned passes)
{
    sweep(es, first, pages, passes, false);
}

/* Passes over the large working set (from page `first`) until the memo
 * sleeps: at most 12 (the admission's bypass windows, then one measured). */
static void sleep_until_asleep(tenv **es, smmu_fastpath *fp, uint64_t first)
{
    for (int n = 0; n < 12 && !fp->sleep; n++)
        sleep_pass(es, first, SLEEP_PAGES - (unsigned)first, 1);
    assert_true(fp->sleep > 0);
}

static void test_sleep_and_wake(void **state)
{
    (void)state;
    tenv on, off;
    tenv *es[2] = { &on, &off };
    up_pair(es, 65536, SLEEP_PAGES);
    smmu_fastpath *fp = on.w.smmu->fp;
    sleep_until_asleep(es, fp, 0);
    /* a change while asleep: remap page 4094, memoized before it slept
     * (the 8192nd translation offered put it to sleep: the first window of
     * 4096 gets no verdict) */
    for (int k = 0; k < 2; k++) {
        remap(es[k], 0x1000000 + 4094 * 0x1000, 0x9000000, SMMUV3_MAP_RW);
        OK(smmuv3_driver_tlbi_nh_va(&es[k]->w.drv, VMID, ASID, 0x1000000 + 4094 * 0x1000, true));
    }
    sleep_pass(es, 4088, 8, 1);
    uint32_t left = fp->sleep;
    sleep_pass(es, 4088, 8, left / 8 + 2);        /* wakes, then hits */
    assert_int_equal(fp->sleep, 0);
    smmuv3_stats a, b;
    smmuv3_get_stats(on.w.smmu, &a);
    uint64_t hits = fp->hits;
    sleep_pass(es, 4088, 8, 100);
    smmuv3_get_stats(on.w.smmu, &b);
    assert_true(fp->hits - hits >= 700);           /* the memo answers again */
    assert_int_equal(b.translations - a.translations, 800);
    smmuv3_get_stats(off.w.smmu, &b);
    assert_int_equal(a.translations + 800, b.translations);
    assert_int_equal(a.tlb_hits + 800, b.tlb_hits);
    /* asleep again: another thread's translation counts the sleep down, as
     * every taking of the lock does, and gets a memo once the sleep ends */
    sleep_until_asleep(es, fp, 16);
    uint32_t before = fp->sleep;
    tenv_run(1, one_translation, &on, sizeof(on));
    assert_int_equal(fp->nthreads, 1);
    assert_int_equal(fp->sleep, before - 1);
    sleep_pass(es, 4088, 8, fp->sleep / 8 + 2);
    assert_int_equal(fp->sleep, 0);
    tenv_run(1, one_translation, &on, sizeof(on));
    assert_int_equal(fp->nthreads, 2);
    sleep_pass(es, 4088, 8, 4);
    smmuv3_get_stats(on.w.smmu, &a);
    smmuv3_get_stats(off.w.smmu, &b);
    assert_int_equal(a.translations, b.translations + 2);
    assert_int_equal(a.walks, b.walks);
    assert_int_equal(a.tlb_hits, b.tlb_hits + 2);
    tenv_down(&on);
    tenv_down(&off);
}

/* The memo's back (memo.h) serves a working set larger than its front:
 * 3000 neighbouring pages, read and written, all hit the memo from the
 * second pass on, with the results and counters of the memo off; a TLBI
 * after a remap empties the back too. */
#define BACK_PAGES 3000u
static void back_pass(tenv **es, unsigned passes)
{
    sweep(es, 0, BACK_PAGES, passes, true);
}

static void test_back_serves_large_sets(void **state)
{
    (void)state;
    tenv on, off;
    tenv *es[2] = { &on, &off };
    up_pair(es, 8192, BACK_PAGES);
    smmu_fastpath *fp = on.w.smmu->fp;
    smmuv3_stats a, b;
    back_pass(es, 1);
    smmuv3_get_stats(on.w.smmu, &a);   /* drains the hits into fp->hits */
    uint64_t hits = fp->hits;
    back_pass(es, 2);
    smmuv3_get_stats(on.w.smmu, &a);
    /* every one but those that find the hit log full (one in FP_LOG: they
     * take the slow path, which drains it) */
    assert_true(fp->hits - hits >= 4 * BACK_PAGES - 4 * BACK_PAGES / FP_LOG - 1);
    smmuv3_get_stats(off.w.smmu, &b);
    assert_int_equal(a.translations, b.translations);
    assert_int_equal(a.tlb_hits, b.tlb_hits);
    /* page 2500 is beyond what the front can hold: only the back has it */
    for (int k = 0; k < 2; k++) {
        remap(es[k], 0x1000000 + 2500 * 0x1000, 0x9000000, SMMUV3_MAP_RW);
        OK(smmuv3_driver_tlbi_nh_va(&es[k]->w.drv, VMID, ASID, 0x1000000 + 2500 * 0x1000, true));
    }
    assert_int_equal(pa_of(&on, SID, 0x1000000 + 2500 * 0x1000 + 8), 0x9000008);
    back_pass(es, 1);
    tenv_down(&on);
    tenv_down(&off);
}

TEST_MAIN_FX(tenv_setup, tenv_teardown, test_counters, test_stale_until_tlbi, test_tlb_eviction_forgets,
          test_cfg_eviction_forgets, test_lru_order, test_internal_flush, test_register_write,
          test_faults_not_memoized, test_off_without_tlb, test_on_off_identical,
          test_change_during_translation, test_translation_from_sync_interrupt, test_dbm_overwrite,
          test_nested_cfg_slot, test_nested_tlb_overwrite, test_nested_cfg_overwrite,
          test_sleep_and_wake, test_back_serves_large_sets)
