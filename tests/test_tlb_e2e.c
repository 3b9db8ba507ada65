/* End-to-end tests of the IOTLB: tables in memory, the SMMU brought up through
 * MMIO, translations through smmuv3_translate and invalidations through the
 * command queue (IHI 0070 3.17, 4.4). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "test_main.h"
#include "buildenv.h"

#define OK(x) assert_int_equal((x), 0)

/* Streams of the environment. */
enum { SID_A = 1,   /* S1, ASID 1, VMID 1 */
       SID_B,       /* S1, ASID 2, VMID 1 */
       SID_C,       /* S1, ASID 1, VMID 2 */
       SID_S2,      /* S2 only, VMID 3 */
       SID_NEST,    /* nested, ASID 1, VMID 4 */
       SID_EL2,     /* S1, StreamWorld EL2 */
       SID_COUNT };

#define IPA_BASE 0x80000000ull    /* the nested stream's IPA window for its tables */
#define IPA_PA   0x60000000ull
#define IPA_SIZE 0x04000000ull

typedef struct e2e {
    env b;                        /* memory, instance, table allocator and space, stream table, driver */
    smmuv3_alloc ial;
    smmuv3_space ipa;
    smmuv3_pt pt[SID_COUNT];      /* stage 1 tables (stage 2 for SID_S2) */
    smmuv3_pt s2nest;             /* the nested stream's stage 2 */
} e2e;

static void stream_s1(e2e *e, uint32_t sid, uint16_t asid, uint16_t vmid, unsigned strw)
{
    smmuv3_pt *pt = &e->pt[sid];
    OK(smmuv3_pt_init_s1(pt, &e->b.sp, 12, 16, SMMUV3_BUILD_ALLOC));
    smmuv3_cdtab ct;
    OK(smmuv3_cdtab_init(&ct, &e->b.sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC));
    smmuv3_cd_params cp;
    OK(smmuv3_cd_params_from_pt(pt, asid, &cp));
    uint8_t cd[64], ste[64];
    OK(smmuv3_cd_s1(cd, &cp));
    OK(smmuv3_cdtab_write_cd(&ct, 0, cd));
    OK(smmuv3_ste_s1(ste, ct.base, ct.fmt, ct.cdmax));
    OK(smmuv3_ste_set(ste, "s2vmid", vmid));
    OK(smmuv3_ste_set(ste, "strw", strw));
    OK(smmuv3_strtab_write_ste(&e->b.st, sid, ste));
}

static void env_init(e2e *e, unsigned tlb_entries)
{
    memset(e, 0, sizeof(*e));
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.tlb_entries = tlb_entries;
    env_open(&e->b, &c);
    env_tables(&e->b, 0x40000000, 0x10000000, 4, SMMUV3_BUILD_ALLOC);

    stream_s1(e, SID_A, 1, 1, 0);
    stream_s1(e, SID_B, 2, 1, 0);
    stream_s1(e, SID_C, 1, 2, 0);
    stream_s1(e, SID_EL2, 7, 0, 2);

    /* stage 2 only */
    smmuv3_s2_params sp;
    uint8_t ste[64];
    OK(smmuv3_pt_init_s2(&e->pt[SID_S2], &e->b.sp, 12, 24, -1, SMMUV3_BUILD_ALLOC));
    OK(smmuv3_s2_params_from_pt(&e->pt[SID_S2], 3, &sp));
    OK(smmuv3_ste_s2(ste, &sp));
    OK(smmuv3_strtab_write_ste(&e->b.st, SID_S2, ste));

    /* nested: stage 2 maps the IPA window holding the CD and stage 1 tables */
    OK(smmuv3_pt_init_s2(&e->s2nest, &e->b.sp, 12, 24, -1, SMMUV3_BUILD_ALLOC));
    OK(smmuv3_pt_map(&e->s2nest, IPA_BASE, IPA_PA, IPA_SIZE, SMMUV3_MAP_RW, 0));
    OK(smmuv3_alloc_init(&e->ial, IPA_BASE, IPA_SIZE));
    OK(smmuv3_space_init_ipa(&e->ipa, &e->b.host, &e->ial, smmuv3_pt_to_pa, &e->s2nest));
    smmuv3_pt *pt = &e->pt[SID_NEST];
    OK(smmuv3_pt_init_s1(pt, &e->ipa, 12, 16, SMMUV3_BUILD_ALLOC));
    smmuv3_cdtab ct;
    OK(smmuv3_cdtab_init(&ct, &e->ipa, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC));
    smmuv3_cd_params cp;
    OK(smmuv3_cd_params_from_pt(pt, 1, &cp));
    uint8_t cd[64];
    OK(smmuv3_cd_s1(cd, &cp));
    OK(smmuv3_cdtab_write_cd(&ct, 0, cd));
    OK(smmuv3_s2_params_from_pt(&e->s2nest, 4, &sp));
    OK(smmuv3_ste_nested(ste, ct.base, ct.fmt, ct.cdmax, &sp));
    OK(smmuv3_strtab_write_ste(&e->b.st, SID_NEST, ste));

    OK(smmuv3_driver_init(&e->b.drv, e->b.smmu, &e->b.sp, &e->b.st, NULL));
}

static void env_done(e2e *e)
{
    env_close(&e->b);
}

/* Map a 4K page (or a block of `size`) of stream sid. For the nested stream,
 * the stage 1 output (an IPA) is mapped by stage 2 to itself + 0x100000000. */
static void map(e2e *e, uint32_t sid, uint64_t va, uint64_t out, uint64_t size, unsigned perms)
{
    OK(smmuv3_pt_map(&e->pt[sid], va, out, size, perms, 0));
    if (sid == SID_NEST)
        OK(smmuv3_pt_map(&e->s2nest, out, out + 0x100000000ull, size, SMMUV3_MAP_RW | SMMUV3_MAP_EXEC, 0));
}

static int xlate(e2e *e, uint32_t sid, uint64_t va, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .ssid = 0, .ssv = false, .addr = va, .flags = flags };
    return smmuv3_translate(e->b.smmu, &t, r);
}

/* The output address a read of va gets (must succeed). */
static uint64_t pa_of(e2e *e, uint32_t sid, uint64_t va)
{
    smmuv3_result r;
    int rc = xlate(e, sid, va, 0, &r);
    if (rc)
        fail_msg("sid %u va 0x%llx: outcome %d fault 0x%x", sid, (unsigned long long)va, rc, r.fault);
    return r.pa;
}

static uint64_t out_of(uint32_t sid, uint64_t o)
{
    return sid == SID_NEST ? o + 0x100000000ull : o;
}

static smmuv3_stats stats(e2e *e)
{
    smmuv3_stats st;
    smmuv3_get_stats(e->b.smmu, &st);
    return st;
}

/* A command by name with up to 8 fields, then CMD_SYNC. */
static void cmd(e2e *e, const char *op, const char *const *names, const uint64_t *vals, unsigned n)
{
    uint8_t c[16];
    OK(smmuv3_cmd_build(c, op, names, vals, n));
    OK(smmuv3_driver_submit(&e->b.drv, c));
    OK(smmuv3_driver_sync(&e->b.drv));
}

/* ------------------------------------------------------------ per command */
#define VA 0x12345000ull
#define VA_G 0x22000000ull   /* a global mapping */
#define OLD 0x1000000ull
#define NEW 0x2000000ull

static const uint32_t all_sids[] = { SID_A, SID_B, SID_C, SID_S2, SID_NEST, SID_EL2 };
#define NSIDS (sizeof(all_sids) / sizeof(all_sids[0]))

/* Global entries match any ASID of the VMID (3.17.1): streams A and B (both
 * VMID 1) must map VA_G identically. */
static uint64_t gbase(uint32_t sid)
{
    return 0x8000 + (sid == SID_B ? SID_A : sid) * 0x10000;
}

/* Map VA (non-global) and VA_G (global) of every stream to OLD, translate
 * them (cached), then remap them to NEW in the tables without invalidating. */
static void prime(e2e *e)
{
    for (unsigned i = 0; i < NSIDS; i++) {
        uint32_t sid = all_sids[i];
        unsigned ng = sid == SID_S2 ? 0 : SMMUV3_MAP_NG;
        map(e, sid, VA, OLD + sid * 0x10000, 0x1000, SMMUV3_MAP_RW | ng);
        map(e, sid, VA_G, OLD + gbase(sid), 0x1000, SMMUV3_MAP_RW);
        assert_int_equal(pa_of(e, sid, VA), out_of(sid, OLD + sid * 0x10000));
        assert_int_equal(pa_of(e, sid, VA_G), out_of(sid, OLD + gbase(sid)));
    }
    for (unsigned i = 0; i < NSIDS; i++) {
        uint32_t sid = all_sids[i];
        unsigned ng = sid == SID_S2 ? 0 : SMMUV3_MAP_NG;
        map(e, sid, VA, NEW + sid * 0x10000, 0x1000, SMMUV3_MAP_RW | ng);
        map(e, sid, VA_G, NEW + gbase(sid), 0x1000, SMMUV3_MAP_RW);
    }
}

/* Bits: stream s's VA (bit 2s) and VA_G (bit 2s+1) must see the new table. */
#define NGB(s) (1u << (2 * (s)))
#define GB(s) (1u << (2 * (s) + 1))

static void expect(e2e *e, unsigned renewed, const char *what)
{
    for (unsigned i = 0; i < NSIDS; i++) {
        uint32_t sid = all_sids[i];
        for (unsigned g = 0; g < 2; g++) {
            uint64_t va = g ? VA_G : VA;
            uint64_t base = g ? gbase(sid) : sid * 0x10000;
            bool want_new = (renewed >> (2 * sid + g)) & 1;
            smmuv3_stats before = stats(e);
            uint64_t pa = pa_of(e, sid, va);
            smmuv3_stats after = stats(e);
            if (want_new) {
                if (pa != out_of(sid, NEW + base))
                    fail_msg("%s: sid %u %s still translates to the old page", what, sid, g ? "global" : "nG");
                /* a walk, or a hit on the global entry another stream of
                 * the VMID has just walked */
                assert_int_equal(after.walks + after.tlb_hits, before.walks + before.tlb_hits + 1);
            } else {
                if (pa != out_of(sid, OLD + base))
                    fail_msg("%s: sid %u %s was invalidated but is out of scope", what, sid, g ? "global" : "nG");
                assert_int_equal(after.tlb_hits, before.tlb_hits + 1);
                assert_int_equal(after.walks, before.walks);
            }
        }
    }
}

static void test_e2e_commands(void **state)
{
    (void)state;
    e2e e;
    static const char *const n_vmid[] = { "vmid" };
    static const char *const n_asid[] = { "asid" };
    static const char *const n_va[] = { "vmid", "asid", "address", "leaf" };
    static const char *const n_vaa[] = { "vmid", "address" };
    static const char *const n_el2va[] = { "asid", "address" };
    static const char *const n_addr[] = { "address" };

    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_nh_all(&e.b.drv, 1));
    expect(&e, NGB(SID_A) | GB(SID_A) | NGB(SID_B) | GB(SID_B), "NH_ALL vmid 1");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_nh_asid(&e.b.drv, 1, 1));
    expect(&e, NGB(SID_A), "NH_ASID vmid 1 asid 1");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_nh_va(&e.b.drv, 1, 2, VA, true));
    OK(smmuv3_driver_tlbi_nh_va(&e.b.drv, 1, 2, VA_G, true));
    expect(&e, NGB(SID_B) | GB(SID_A) | GB(SID_B), "NH_VA vmid 1 asid 2");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    cmd(&e, "CMD_TLBI_NH_VAA", n_vaa, (const uint64_t[]){ 1, VA }, 2);
    cmd(&e, "CMD_TLBI_NH_VAA", n_vaa, (const uint64_t[]){ 4, VA_G }, 2);
    expect(&e, NGB(SID_A) | NGB(SID_B) | GB(SID_NEST), "NH_VAA");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_s12_vmall(&e.b.drv, 4));
    OK(smmuv3_driver_tlbi_s12_vmall(&e.b.drv, 3));
    expect(&e, NGB(SID_NEST) | GB(SID_NEST) | NGB(SID_S2) | GB(SID_S2), "S12_VMALL 3, 4");
    env_done(&e);

    /* S2_IPA: the stage 2-only stream; nested combined entries stay (4.4.3.1). */
    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_s2_ipa(&e.b.drv, 3, VA, true));
    OK(smmuv3_driver_tlbi_s2_ipa(&e.b.drv, 4, OLD + SID_NEST * 0x10000, true));
    expect(&e, NGB(SID_S2), "S2_IPA");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    OK(smmuv3_driver_tlbi_nsnh_all(&e.b.drv));
    expect(&e, 0xfffu & ~(NGB(SID_EL2) | GB(SID_EL2)) & ~3u, "NSNH_ALL");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    cmd(&e, "CMD_TLBI_EL2_ALL", NULL, NULL, 0);
    expect(&e, NGB(SID_EL2) | GB(SID_EL2), "EL2_ALL");
    env_done(&e);

    /* EL2 without E2H has no ASIDs: EL2_ASID leaves its entries, EL2_VA ignores the ASID. */
    env_init(&e, 4096);
    prime(&e);
    cmd(&e, "CMD_TLBI_EL2_ASID", n_asid, (const uint64_t[]){ 7 }, 1);
    cmd(&e, "CMD_TLBI_EL2_VA", n_el2va, (const uint64_t[]){ 99, VA }, 2);
    expect(&e, NGB(SID_EL2), "EL2_VA");
    env_done(&e);

    env_init(&e, 4096);
    prime(&e);
    cmd(&e, "CMD_TLBI_EL2_VAA", n_addr, (const uint64_t[]){ VA_G }, 1);
    expect(&e, GB(SID_EL2), "EL2_VAA");
    env_done(&e);

    (void)n_vmid;
    (void)n_va;
}

/* Ranges through the queue: TG/NUM/SCALE over 4K pages and a 2M block
 * straddling the end of the range, then a 2^48 range. */
static void test_e2e_ranges(void **state)
{
    (void)state;
    e2e e;
    static const char *const n[] = { "vmid", "asid", "address", "tg", "ttl", "num", "scale" };
    env_init(&e, 4096);
    const uint64_t base = 0x40000000;
    map(&e, SID_A, base, 0x10000000, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES);
    map(&e, SID_A, base + 0x200000, 0x10200000, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG);   /* a block */
    for (uint64_t o = 0x1f0000; o < 0x200000; o += 0x1000)
        assert_int_equal(pa_of(&e, SID_A, base + o), 0x10000000 + o);
    assert_int_equal(pa_of(&e, SID_A, base + 0x80000), 0x10080000);
    assert_int_equal(pa_of(&e, SID_A, base + 0x300000), 0x10300000);
    /* remap everything +0x1000000 */
    map(&e, SID_A, base, 0x11000000, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES);
    map(&e, SID_A, base + 0x200000, 0x11200000, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG);
    /* 4K granule, NUM=1, SCALE=3: 16 pages from base+0x1f8000: the last 8
     * pages of the first 2M and the start of the block */
    cmd(&e, "CMD_TLBI_NH_VA", n, (const uint64_t[]){ 1, 1, base + 0x1f8000, 1, 0, 1, 3 }, 7);
    assert_int_equal(pa_of(&e, SID_A, base + 0x1f7000), 0x101f7000);   /* kept */
    assert_int_equal(pa_of(&e, SID_A, base + 0x1f8000), 0x111f8000);
    assert_int_equal(pa_of(&e, SID_A, base + 0x1ff000), 0x111ff000);
    assert_int_equal(pa_of(&e, SID_A, base + 0x300000), 0x11300000);   /* the block */
    assert_int_equal(pa_of(&e, SID_A, base + 0x80000), 0x10080000);    /* kept */
    /* 2^48 with TG 64K: only entries of 64K-granule walks are in scope; ours are 4K */
    cmd(&e, "CMD_TLBI_NH_VA", n, (const uint64_t[]){ 1, 1, 0, 3, 0, 31, 27 }, 7);
    assert_int_equal(pa_of(&e, SID_A, base + 0x80000), 0x10080000);
    /* 2^48 with TG 4K: 32 * 2^31 pages, everything */
    cmd(&e, "CMD_TLBI_NH_VA", n, (const uint64_t[]){ 1, 1, 0, 1, 0, 31, 31 }, 7);
    assert_int_equal(pa_of(&e, SID_A, base + 0x80000), 0x11080000);
    assert_int_equal(pa_of(&e, SID_A, base + 0x1f7000), 0x111f7000);
    env_done(&e);
}

/* Nested, a 2M stage 1 block over 4K stage 2 pages: the combined TLB entries
 * are 4K, yet one TLBI_NH_VA at the block's base (what Linux issues for a
 * block without RIL) must remove them all (4.4.2.4: VA{L}E1 scope). */
static void test_e2e_nested_splintered_block(void **state)
{
    (void)state;
    e2e e;
    env_init(&e, 4096);
    const uint64_t va = 0x40200000, ipa_old = 0x20200000, ipa_new = 0x20400000;
    OK(smmuv3_pt_map(&e.pt[SID_NEST], va, ipa_old, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0));
    OK(smmuv3_pt_map(&e.s2nest, ipa_old, ipa_old + 0x100000000ull, 0x400000, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0));
    assert_int_equal(pa_of(&e, SID_NEST, va + 0x5008), ipa_old + 0x100000000ull + 0x5008);
    assert_int_equal(pa_of(&e, SID_NEST, va + 0x1ff000), ipa_old + 0x100000000ull + 0x1ff000);
    /* the guest moves its block and invalidates it at its base */
    OK(smmuv3_pt_map(&e.pt[SID_NEST], va, ipa_new, 0x200000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0));
    OK(smmuv3_driver_tlbi_nh_va(&e.b.drv, 4, 1, va, true));
    assert_int_equal(pa_of(&e, SID_NEST, va + 0x5008), ipa_new + 0x100000000ull + 0x5008);
    assert_int_equal(pa_of(&e, SID_NEST, va + 0x1ff000), ipa_new + 0x100000000ull + 0x1ff000);
    env_done(&e);
}

/* 7.3 / issue: a cached read-only mapping faults a write with the same record
 * as an uncached one, at stage 1 and at stage 2. */
static void perm_fault(unsigned tlb, bool cached, uint32_t sid, uint8_t rec[32], smmuv3_result *res)
{
    e2e e;
    env_init(&e, tlb);
    map(&e, sid, VA, OLD, 0x1000, sid == SID_S2 ? SMMUV3_MAP_READ : SMMUV3_MAP_READ | SMMUV3_MAP_NG);
    if (cached) {
        assert_int_equal(pa_of(&e, sid, VA + 8), out_of(sid, OLD + 8));
        assert_int_equal(pa_of(&e, sid, VA + 8), out_of(sid, OLD + 8));
    }
    smmuv3_stats before = stats(&e);
    int rc = xlate(&e, sid, VA + 0x10, SMMUV3_TXN_WRITE, res);
    assert_int_equal(rc, SMMUV3_XLATE_ABORT);
    assert_int_equal(res->fault, SMMUV3_EVT_F_PERMISSION);
    smmuv3_stats after = stats(&e);
    if (cached)
        assert_int_equal(after.walks, before.walks);   /* decided on the hit */
    assert_int_equal(smmuv3_driver_event_find(&e.b.drv, SMMUV3_EVT_F_PERMISSION, rec), 1);
    env_done(&e);
}

static void test_e2e_permission_on_hit(void **state)
{
    (void)state;
    static const uint32_t sids[] = { SID_A, SID_S2, SID_NEST };
    for (unsigned i = 0; i < 3; i++) {
        uint8_t a[32], b[32];
        smmuv3_result ra, rb;
        perm_fault(4096, true, sids[i], a, &ra);
        perm_fault(0, false, sids[i], b, &rb);
        assert_memory_equal(a, b, 32);
        assert_int_equal(ra.event, rb.event);
        assert_int_equal(ra.outcome, rb.outcome);
    }
}

/* Capacity 1 and 2 give the same translations (and faults) as a large TLB
 * over a mixed workload: pages, blocks, global and non-global, four stage
 * kinds, remaps followed by the invalidations a driver issues. */
static uint64_t rnd(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static uint64_t workload(unsigned tlb, uint64_t *walks)
{
    e2e e;
    env_init(&e, tlb);
    /* one stream per VMID: global mappings are per VMID (3.17.1) */
    static const uint32_t sids[] = { SID_A, SID_C, SID_S2, SID_NEST };
    static const uint16_t vmid[] = { 0, 1, 1, 2, 3, 4 };
    static const uint16_t asid[] = { 0, 1, 2, 1, 0, 1 };
    static const char *const n_range[] = { "vmid", "address", "tg", "num", "scale" };
    uint64_t r = 0xfeedbeef, h = 0;
    uint64_t gen[4][16];
    for (unsigned k = 0; k < 4; k++)
        for (unsigned reg = 0; reg < 16; reg++) {
            gen[k][reg] = 0;
            unsigned perms = SMMUV3_MAP_RW | ((reg & 1) ? SMMUV3_MAP_NG : 0) | ((reg & 2) ? SMMUV3_MAP_PAGES : 0);
            map(&e, sids[k], 0x200000ull * reg, 0x20000000ull + 0x200000ull * (reg + 16 * k), 0x200000, perms);
        }
    for (unsigned step = 0; step < 3000; step++) {
        unsigned k = (unsigned)(rnd(&r) % 4), reg = (unsigned)(rnd(&r) % 16);
        uint32_t sid = sids[k];
        uint64_t va = 0x200000ull * reg + (rnd(&r) % 0x200000);
        unsigned op = (unsigned)(rnd(&r) % 10);
        if (op < 8) {
            smmuv3_result res;
            int rc = xlate(&e, sid, va, (op & 1) ? SMMUV3_TXN_WRITE : 0, &res);
            h = h * 1000003 + (uint64_t)rc * 7 + res.pa + res.fault;
        } else if (op == 8) {
            /* remap the region read-only or writable elsewhere, then invalidate it */
            gen[k][reg]++;
            unsigned perms = ((gen[k][reg] & 1) ? SMMUV3_MAP_READ : SMMUV3_MAP_RW) |
                             ((reg & 1) ? SMMUV3_MAP_NG : 0) | ((reg & 2) ? SMMUV3_MAP_PAGES : 0);
            uint64_t out = 0x30000000ull + 0x200000ull * (rnd(&r) % 512);
            if (sid == SID_NEST) {
                /* the stage 1 changes; the stage 2 of the new IPA is mapped too */
                map(&e, sid, 0x200000ull * reg, out, 0x200000, perms);
                OK(smmuv3_driver_tlbi_nh_va(&e.b.drv, 4, 1, 0x200000ull * reg, true));
                cmd(&e, "CMD_TLBI_NH_VAA", n_range, (const uint64_t[]){ 4, 0x200000ull * reg, 1, 0, 9 }, 5);
            } else if (sid == SID_S2) {
                map(&e, sid, 0x200000ull * reg, out, 0x200000, perms);
                for (uint64_t p = 0; p < 0x200000; p += 0x80000)
                    OK(smmuv3_driver_tlbi_s2_ipa(&e.b.drv, 3, 0x200000ull * reg + p, true));
                static const char *const n2[] = { "vmid", "address", "tg", "num", "scale" };
                cmd(&e, "CMD_TLBI_S2_IPA", n2, (const uint64_t[]){ 3, 0x200000ull * reg, 1, 0, 9 }, 5);
            } else {
                map(&e, sid, 0x200000ull * reg, out, 0x200000, perms);
                cmd(&e, "CMD_TLBI_NH_VAA", n_range, (const uint64_t[]){ vmid[sid], 0x200000ull * reg, 1, 15, 5 }, 5);
            }
        } else {
            /* an invalidation that changes nothing in the tables */
            OK(smmuv3_driver_tlbi_nh_asid(&e.b.drv, vmid[sid], asid[sid]));
        }
    }
    *walks = stats(&e).walks;
    env_done(&e);
    return h;
}

static void test_e2e_capacity(void **state)
{
    (void)state;
    uint64_t w1, w2, w3, wbig, w0;
    uint64_t h0 = workload(0, &w0);
    uint64_t h1 = workload(1, &w1);
    uint64_t h2 = workload(2, &w2);
    uint64_t h3 = workload(7, &w3);
    uint64_t hbig = workload(4096, &wbig);
    assert_int_equal(h1, h0);
    assert_int_equal(h2, h0);
    assert_int_equal(h3, h0);
    assert_int_equal(hbig, h0);
    /* the large TLB saved walks; TLB off walks every time */
    assert_true(wbig < w1);
    assert_true(w1 <= w0);
}

TEST_MAIN(test_e2e_commands, test_e2e_ranges, test_e2e_nested_splintered_block,
          test_e2e_permission_on_hit, test_e2e_capacity)
