/*
 * libsmmuv3 benchmark: prints a table of ns per operation. Not a test: it
 * measures, on this machine, in one run.
 * Usage: smmuv3-bench [--quick] [--only SECTION]
 *
 * Every SMMU here is set up as a driver would: tables written to memory with
 * the builders (smmuv3/build.h), the SMMU programmed through MMIO
 * (STRTAB_BASE, CMDQ/EVENTQ, CR0) and invalidations sent through the command
 * queue. Sections:
 *   mem      the flat memory's 8-byte read (the walker's unit of work)
 *   hit      translate over a TLB-resident working set vs a bare hash lookup
 *   miss     cold 4-level stage 1 walk vs its 4 raw reads; nested vs 24 reads
 *   range    one TLBI_NH_VA over 2^48 bytes after filling the TLB
 *   streams  TLB hits over 1 stream vs 65,536 streams (2-level stream table)
 *   scale    hit and miss cost for working sets of 256, 64K and 1M pages
 *   threads  hit throughput with 1 and 2 translating threads, and with a
 *            thread invalidating meanwhile (bench/bench_threads.h)
 *   checker  hit cost with the driver checker off and on (bench/bench_checker.h)
 *   cost     hits memo off and on at 4096 pages over 1 and 64 streams,
 *            smmuv3_new, CFGI_STE with a large configuration cache (bench/bench_cost.h)
 * Build RelWithDebInfo (or Release) for numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>
#include "model/smmu.h"   /* internal: to time smmu_tlb_lookup on its own */

static int quick;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void row(const char *name, double ns, const char *note)
{
    printf("| %-44s | %10.1f | %s\n", name, ns, note ? note : "");
}

static volatile uint64_t sink;

/* 8-byte reads over a set of touched pages (random order within the set). */
static void bench_mem(void)
{
    smmuv3_mem *m = smmuv3_mem_new();
    const unsigned npages = 4096;
    uint64_t *addrs = malloc(sizeof(*addrs) * npages);
    for (unsigned i = 0; i < npages; i++) {
        addrs[i] = ((uint64_t)i * 0x9E3779B1ull % 0xFFFFFFFull) << 12;
        uint64_t v = i;
        smmuv3_mem_write(m, addrs[i] + 8 * (i & 511), &v, 8);
    }
    unsigned iters = quick ? 200000 : 20000000;
    uint64_t acc = 0, v;
    double t0 = now_ns();
    for (unsigned i = 0; i < iters; i++) {
        unsigned k = (i * 2654435761u) & (npages - 1);
        smmuv3_mem_read(m, addrs[k] + 8 * (k & 511), &v, 8);
        acc += v;
    }
    double t1 = now_ns();
    sink = acc;
    row("mem: 8-byte read, 4096 touched pages, scattered", (t1 - t0) / iters, "hash lookup + copy");
    t0 = now_ns();
    for (unsigned i = 0; i < iters; i++) {
        smmuv3_mem_read(m, addrs[7] + 8 * (i & 511), &v, 8);
        acc += v;
    }
    t1 = now_ns();
    sink = acc;
    row("mem: 8-byte read, same page", (t1 - t0) / iters, "last-page fast path");
    free(addrs);
    smmuv3_mem_free(m);
}

/* ------------------------------------------------------------ set-up helpers */
#define VA_BASE   0x0000100000000000ull   /* input addresses of the working sets */
#define PA_BASE   0x0000000200000000ull   /* outputs (never accessed) */
#define TBL_BASE  0x40000000ull           /* tables, queues (PA allocator) */
#define TBL_SIZE  0x40000000ull
#define IPA_WIN   0x80000000ull           /* nested: IPA window of the stage 1 tables */
#define IPA_WIN_PA 0x90000000ull
#define IPA_WIN_SIZE 0x04000000ull

#define DIE(what, rc) do { fprintf(stderr, "smmuv3-bench: %s: %s\n", what, smmuv3_strerror(rc)); exit(1); } while (0)
#define CHK(x) do { int rc_ = (x); if (rc_) DIE(#x, rc_); } while (0)

typedef struct benv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_alloc al, ial;
    smmuv3_space pa, ipa;
    smmuv3_strtab st;
    smmuv3_cdtab ct;
    smmuv3_pt pt;        /* stage 1 (in the IPA space when nested) */
    smmuv3_pt s2;        /* nested: stage 2 */
    smmuv3_driver drv;
    bool nested;
} benv;

typedef struct benv_opts {
    unsigned tlb, walk, cfg;     /* cache sizes */
    unsigned nstreams;           /* STEs written: SIDs 0 .. nstreams-1 (2-level table when > 256) */
    bool nested;
    bool nofast;                 /* config.fastpath off: measure the caches themselves */
} benv_opts;

/* One stage 1 (or nested) context, 4K granule, 48-bit VA (4 levels), ASID 1,
 * shared by every stream; the SMMU brought up through MMIO. */
static void benv_init(benv *b, const benv_opts *o)
{
    memset(b, 0, sizeof(*b));
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.tlb_entries = o->tlb;
    c.walk_entries = o->walk;
    c.cfg_entries = o->cfg;
    c.fastpath = !o->nofast;
    b->mem = smmuv3_mem_new();
    smmuv3_host_from_mem(&b->host, b->mem);
    CHK(smmuv3_new(&c, &b->host, &b->s));
    CHK(smmuv3_alloc_init(&b->al, TBL_BASE, TBL_SIZE));
    CHK(smmuv3_space_init(&b->pa, &b->host, &b->al));
    if (o->nstreams > 256)
        CHK(smmuv3_strtab_init_2level(&b->st, &b->pa, 16, 8, SMMUV3_BUILD_ALLOC));
    else
        CHK(smmuv3_strtab_init_linear(&b->st, &b->pa, 8, SMMUV3_BUILD_ALLOC));
    const smmuv3_space *s1space = &b->pa;
    smmuv3_s2_params sp;
    b->nested = o->nested;
    if (o->nested) {
        /* stage 2: 4K granule, 48-bit IPA (4 levels), pages only so that
         * every stage 2 walk reads four descriptors */
        CHK(smmuv3_pt_init_s2(&b->s2, &b->pa, 12, 16, -1, SMMUV3_BUILD_ALLOC));
        CHK(smmuv3_pt_map(&b->s2, IPA_WIN, IPA_WIN_PA, IPA_WIN_SIZE, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0));
        CHK(smmuv3_alloc_init(&b->ial, IPA_WIN, IPA_WIN_SIZE));
        CHK(smmuv3_space_init_ipa(&b->ipa, &b->host, &b->ial, smmuv3_pt_to_pa, &b->s2));
        CHK(smmuv3_s2_params_from_pt(&b->s2, 1, &sp));
        s1space = &b->ipa;
    }
    CHK(smmuv3_pt_init_s1(&b->pt, s1space, 12, 16, SMMUV3_BUILD_ALLOC));
    CHK(smmuv3_cdtab_init(&b->ct, s1space, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC));
    smmuv3_cd_params cp;
    CHK(smmuv3_cd_params_from_pt(&b->pt, 1, &cp));
    uint8_t cd[SMMUV3_CD_BYTES], ste[SMMUV3_STE_BYTES];
    CHK(smmuv3_cd_s1(cd, &cp));
    CHK(smmuv3_cdtab_write_cd(&b->ct, 0, cd));
    if (o->nested)
        CHK(smmuv3_ste_nested(ste, b->ct.base, b->ct.fmt, b->ct.cdmax, &sp));
    else
        CHK(smmuv3_ste_s1(ste, b->ct.base, b->ct.fmt, b->ct.cdmax));
    unsigned n = o->nstreams ? o->nstreams : 1;
    for (unsigned sid = 0; sid < n; sid++)
        CHK(smmuv3_strtab_write_ste(&b->st, sid, ste));
    CHK(smmuv3_driver_init(&b->drv, b->s, &b->pa, &b->st, NULL));
}

static void benv_free(benv *b)
{
    smmuv3_free(b->s);
    smmuv3_mem_free(b->mem);
}

/* Map npages 4K pages at VA_BASE (page tables only, never blocks). */
static void benv_map(benv *b, uint64_t npages)
{
    uint64_t size = npages << 12;
    if (b->nested) {
        /* stage 1 VA -> IPA (same numbers as PA_BASE), stage 2 IPA -> PA + 1T */
        CHK(smmuv3_pt_map(&b->pt, VA_BASE, PA_BASE, size, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES, 0));
        CHK(smmuv3_pt_map(&b->s2, PA_BASE, PA_BASE + (1ull << 40), size, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0));
    } else {
        CHK(smmuv3_pt_map(&b->pt, VA_BASE, PA_BASE, size, SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES, 0));
    }
}

static uint64_t xs(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* The page addresses of a working set in a random order (offsets inside the
 * page vary too). */
static uint64_t *page_order(uint64_t npages, uint64_t seed)
{
    uint64_t *a = malloc(npages * sizeof(*a));
    if (!a)
        DIE("malloc", SMMUV3_ENOMEM);
    for (uint64_t i = 0; i < npages; i++)
        a[i] = i;
    for (uint64_t i = npages - 1; i > 0; i--) {
        uint64_t j = xs(&seed) % (i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
    for (uint64_t i = 0; i < npages; i++)
        a[i] = VA_BASE + (a[i] << 12) + ((i * 8) & 0xff8);
    return a;
}

/* Translate addrs[0..n) (reads) `passes` times; ns per translation of the
 * fastest pass (the machine may be shared: the minimum filters out
 * preemption and other tenants' cache traffic). sids NULL: SID 0. */
static double run_translate(benv *b, const uint64_t *addrs, const uint32_t *sids, uint64_t n, unsigned passes)
{
    smmuv3_txn t = { 0 };
    smmuv3_result r;
    uint64_t acc = 0;
    double best = 1e30;
    for (unsigned p = 0; p < passes; p++) {
        double t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
            t.addr = addrs[i];
            t.sid = sids ? sids[i] : 0;
            if (smmuv3_translate(b->s, &t, &r)) {
                fprintf(stderr, "smmuv3-bench: translation of 0x%llx (sid %u) failed: fault 0x%x\n",
                        (unsigned long long)t.addr, t.sid, r.fault);
                exit(1);
            }
            acc += r.pa;
        }
        double dt = now_ns() - t0;
        if (dt < best)
            best = dt;
    }
    sink = acc;
    return best / (double)n;
}

/* n 8-byte flat-memory reads at d[0..n), `passes` times; ns per group of
 * `group` reads in the fastest pass. */
static double run_raw(smmuv3_mem *m, const uint64_t *d, uint64_t n, unsigned group, unsigned passes)
{
    uint64_t acc = 0, v;
    double best = 1e30;
    for (unsigned p = 0; p < passes; p++) {
        double t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
            smmuv3_mem_read(m, d[i], &v, 8);
            acc += v;
        }
        double dt = now_ns() - t0;
        if (dt < best)
            best = dt;
    }
    sink = acc;
    return best / ((double)n / group);
}

static smmuv3_stats stats(benv *b)
{
    smmuv3_stats st;
    smmuv3_get_stats(b->s, &st);
    return st;
}

/* ------------------------------------------------------------ the hash floor */
/* A bare open-addressing hash of (StreamID, page) -> output page: the least a
 * cached translation can cost. */
typedef struct floor_slot { uint64_t key, val; } floor_slot;

typedef struct floor_tab { floor_slot *t; unsigned bits; } floor_tab;

static inline uint64_t floor_key(uint32_t sid, uint64_t addr)
{
    return ((uint64_t)sid << 52 | addr >> 12) + 1;   /* 0 = empty */
}

static inline unsigned floor_home(const floor_tab *f, uint64_t key)
{
    return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> (64 - f->bits));
}

static void floor_build(floor_tab *f, const uint64_t *addrs, uint64_t n)
{
    f->bits = 1;
    while ((1ull << f->bits) < 2 * n)
        f->bits++;
    f->t = calloc((size_t)1 << f->bits, sizeof(*f->t));
    if (!f->t)
        DIE("calloc", SMMUV3_ENOMEM);
    unsigned m = (1u << f->bits) - 1;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t k = floor_key(0, addrs[i]);
        unsigned h = floor_home(f, k);
        while (f->t[h].key && f->t[h].key != k)
            h = (h + 1) & m;
        f->t[h].key = k;
        f->t[h].val = PA_BASE + (addrs[i] - VA_BASE) - (addrs[i] & 0xfff);
    }
}

static double run_floor(const floor_tab *f, const uint64_t *addrs, uint64_t n, unsigned passes)
{
    unsigned m = (1u << f->bits) - 1;
    uint64_t acc = 0;
    double best = 1e30;
    for (unsigned p = 0; p < passes; p++) {
        double t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
            uint64_t k = floor_key(0, addrs[i]);
            unsigned h = floor_home(f, k);
            while (f->t[h].key != k) {
                if (!f->t[h].key)
                    break;
                h = (h + 1) & m;
            }
            acc += f->t[h].val | (addrs[i] & 0xfff);
        }
        double dt = now_ns() - t0;
        if (dt < best)
            best = dt;
    }
    sink = acc;
    return best / (double)n;
}

/* ------------------------------------------------------------ hit */
static void bench_hit(void)
{
    const uint64_t n = 256;
    unsigned passes = quick ? 2000 : 40000;
    benv b;
    benv_opts o = { .tlb = 4096, .walk = 256, .cfg = 256, .nstreams = 1 };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a = page_order(n, 1);
    run_translate(&b, a, NULL, n, 2);   /* warm: every page in the TLB */
    smmuv3_stats s0 = stats(&b);
    double hit = run_translate(&b, a, NULL, n, passes);
    smmuv3_stats s1 = stats(&b);
    floor_tab f;
    floor_build(&f, a, n);
    run_floor(&f, a, n, 2);
    double fl = run_floor(&f, a, n, passes);

    /* The IOTLB's own share: smmu_tlb_lookup with the stream's decoded
     * configuration (what smmuv3_translate passes it). */
    smmu_txcfg cfg;
    smmu_event ev;
    smmuv3_txn txn = { 0 };
    txn.addr = a[0];
    if (smmu_config_lookup(b.s, &txn, &cfg, &ev))
        DIE("smmu_config_lookup", SMMUV3_EINVAL);
    double tlb = 1e30;
    uint64_t acc = 0;
    for (unsigned p = 0; p < passes; p++) {
        smmu_xlate x;
        double t0 = now_ns();
        for (uint64_t i = 0; i < n; i++) {
            if (!smmu_tlb_lookup(b.s, &cfg, a[i], &x))
                DIE("smmu_tlb_lookup missed", SMMUV3_EINVAL);
            acc += x.pa;
        }
        double dt = now_ns() - t0;
        if (dt < tlb)
            tlb = dt;
    }
    sink = acc;
    tlb /= (double)n;

    char note[160];
    snprintf(note, sizeof(note), "256 pages, %.1f%% hits, %.2fx floor (goal <= 3x)",
             100.0 * (double)(s1.tlb_hits - s0.tlb_hits) / (double)(s1.translations - s0.translations), hit / fl);
    row("hit: translate, 256-page resident set", hit, note);
    snprintf(note, sizeof(note), "the IOTLB probe alone: %.2fx floor", tlb / fl);
    row("hit: smmu_tlb_lookup alone (internal)", tlb, note);
    row("hit floor: bare open-addressing hash lookup", fl, "same keys, same order");
    free(f.t);
    free(a);
    benv_free(&b);
}

/* ------------------------------------------------------------ miss */
/* Cold walks (TLB and walk cache off) against the same descriptor reads done
 * directly on the flat memory: a case is the walk and where its reads go. */
typedef struct miss_case {
    const char *name, *floor_note;
    bool nested;
    uint64_t n;
    unsigned passes, quick_passes, seed;
    unsigned reads;                                    /* descriptor reads per translation */
    void (*reads_of)(benv *b, uint64_t va, uint64_t *out);
    bool walks_per_call;                               /* in the note */
    unsigned walk_entries;                             /* walk cache: 0 (off) unless a case says */
} miss_case;

/* 4-level 4K stage 1: the four descriptors of the VA's walk. */
static void s1_reads(benv *b, uint64_t va, uint64_t *p)
{
    for (unsigned l = 0; l < 4; l++)
        CHK(smmuv3_pt_desc_addr(&b->pt, va, l, false, &p[l]));
}

/* Nested: 4-level stage 1 whose table addresses are IPAs, each translated by
 * a 4-level stage 2, and the output IPA too: 4 * (4 + 1) + 4 = 24 reads. */
static void nested_reads(benv *b, uint64_t va, uint64_t *p)
{
    for (unsigned l = 0; l < 4; l++) {
        uint64_t dipa;
        CHK(smmuv3_pt_desc_addr(&b->pt, va, l, false, &dipa));   /* an IPA */
        for (unsigned l2 = 0; l2 < 4; l2++)
            CHK(smmuv3_pt_desc_addr(&b->s2, dipa, l2, false, p++));
        CHK(smmuv3_pt_to_pa(&b->s2, dipa, p++));
    }
    uint64_t ipa;
    CHK(smmuv3_pt_lookup(&b->pt, va, &ipa, NULL, NULL));
    for (unsigned l2 = 0; l2 < 4; l2++)
        CHK(smmuv3_pt_desc_addr(&b->s2, ipa, l2, false, p++));
}

static const miss_case miss_s1 = { "miss: cold 4-level 4K S1 walk (TLB/WC off)", "the walk's own descriptor addresses",
                                   false, 4096, 200, 5, 2, 4, s1_reads, true, 0 };
static const miss_case miss_nested = { "miss: cold nested 4+4-level walk (TLB/WC off)",
                                       "the nested walk's descriptor addresses", true, 2048, 100, 3, 3, 24,
                                       nested_reads, false, 0 };
/* The same cold walks with the walk cache on: its lookups and fills are paid
 * on every walk; the table descriptors above the leaf are shared by 512 pages
 * each, so it should save reads, never cost time (issue 19). */
static const miss_case miss_s1_wc = { "miss: cold 4-level 4K S1 walk (TLB off, WC 256)",
                                      "the walk's own descriptor addresses", false, 4096, 200, 5, 2, 4,
                                      s1_reads, true, 256 };

/* Returns the walk's ns per translation; off (when not NULL): the same
 * case's walk-cache-off figure, for the note. */
static double bench_miss(const miss_case *m, const double *off)
{
    const uint64_t n = m->n;
    unsigned passes = quick ? m->quick_passes : m->passes;
    benv b;
    benv_opts o = { .tlb = 0, .walk = m->walk_entries, .cfg = 256, .nstreams = 1, .nested = m->nested };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a = page_order(n, m->seed);
    uint64_t *d = malloc(n * m->reads * sizeof(*d));
    if (!d)
        DIE("malloc", SMMUV3_ENOMEM);
    for (uint64_t i = 0; i < n; i++)
        m->reads_of(&b, a[i], &d[m->reads * i]);
    run_translate(&b, a, NULL, n, 1);
    smmuv3_stats s0 = stats(&b);
    double walk = run_translate(&b, a, NULL, n, passes);
    smmuv3_stats s1 = stats(&b);
    double raw = run_raw(b.mem, d, m->reads * n, m->reads, passes);
    char note[160], floor_name[64];
    if (off)
        snprintf(note, sizeof(note), "%.2fx the raw reads, %.2fx the walk cache off (goal <= 1x)", walk / raw,
                 walk / *off);
    else if (m->walks_per_call)
        snprintf(note, sizeof(note), "%.2f walks/call, %.2fx the raw reads (goal <= 6x)",
                 (double)(s1.walks - s0.walks) / (double)(s1.translations - s0.translations), walk / raw);
    else
        snprintf(note, sizeof(note), "%.2fx the raw reads (goal <= 6x)", walk / raw);
    row(m->name, walk, note);
    snprintf(floor_name, sizeof(floor_name), "miss floor: %u raw 8-byte flat-memory reads", m->reads);
    row(floor_name, raw, m->floor_note);
    free(d);
    free(a);
    benv_free(&b);
    return walk;
}

/* ------------------------------------------------------------ range */
/* Fill the TLB, then one CMD_TLBI_NH_VA (TG 4K, NUM 31, SCALE 31: 2^48
 * bytes) and a CMD_SYNC through the command queue. */
static void bench_range(void)
{
    const uint64_t cap = 4096, n = 8192;
    unsigned reps = quick ? 3 : 20;
    benv b;
    benv_opts o = { .tlb = (unsigned)cap, .walk = 256, .cfg = 256, .nstreams = 1 };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a = page_order(n, 4);
    uint8_t cmd[SMMUV3_CMD_BYTES];
    static const char *const names[] = { "vmid", "asid", "address", "leaf", "tg", "num", "scale" };
    const uint64_t vals[] = { 0, 1, 0, 1, 1, 31, 31 };
    CHK(smmuv3_cmd_build(cmd, "CMD_TLBI_NH_VA", names, vals, 7));
    double total = 0, empty = 0, best = 1e30;
    uint64_t inv = 0;
    for (unsigned r = 0; r < reps; r++) {
        run_translate(&b, a, NULL, n, 1);   /* 8192 pages through 4096 entries: full */
        smmuv3_stats s0 = stats(&b);
        double t0 = now_ns();
        CHK(smmuv3_driver_submit(&b.drv, cmd));
        CHK(smmuv3_driver_sync(&b.drv));
        double dt = now_ns() - t0;
        total += dt;
        if (dt < best)
            best = dt;
        inv += stats(&b).tlb_invalidated - s0.tlb_invalidated;
        /* the same command on an empty TLB: the queue's own cost */
        t0 = now_ns();
        CHK(smmuv3_driver_submit(&b.drv, cmd));
        CHK(smmuv3_driver_sync(&b.drv));
        empty += now_ns() - t0;
    }
    char note[160];
    snprintf(note, sizeof(note), "%.0f entries removed; best %.1f us, mean %.1f us (goal < 1000 us); empty TLB %.1f us",
             (double)inv / reps, best / 1000.0, total / reps / 1000.0, empty / reps / 1000.0);
    row("range: TLBI_NH_VA 2^48 + SYNC, full TLB", best, note);
    free(a);
    benv_free(&b);
}

#include "bench_streams.h"
#include "bench_threads.h"
#include "bench_checker.h"
#include "bench_cost.h"

/* --only SECTION runs one section (mem, hit, miss, range, streams, scale, threads, checker, cost). */
static const char *only;

static int want(const char *section)
{
    return !only || !strcmp(only, section);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else if (!strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else {
            fprintf(stderr, "usage: %s [--quick] [--only mem|hit|miss|range|streams|scale|threads|checker|cost]\n", argv[0]);
            return 2;
        }
    }
    static const char *const sections[] = { "mem", "hit", "miss", "range", "streams", "scale", "threads",
                                            "checker", "cost" };
    bool known = !only;
    for (unsigned i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
        known = known || want(sections[i]);
    if (!known) {
        fprintf(stderr, "smmuv3-bench: unknown section '%s'\n", only);
        return 2;
    }
    printf("| %-44s | %10s | %s\n", "benchmark", "ns/op", "note");
    printf("|%s|%s|%s\n", "----------------------------------------------", "------------", "------");
    if (want("mem"))
        bench_mem();
    if (want("hit"))
        bench_hit();
    if (want("miss")) {
        double off = bench_miss(&miss_s1, NULL);
        bench_miss(&miss_s1_wc, &off);
        bench_miss(&miss_nested, NULL);
    }
    if (want("range"))
        bench_range();
    if (want("streams")) {
        bench_streams(65536, true);
        bench_streams(65536, false);
        bench_streams(256, true);
    }
    if (want("scale")) {
        bench_scale(256);
        bench_scale(4096);
        if (!quick) {
            bench_scale(65536);
            bench_scale(1u << 20);
        }
    }
    if (want("threads"))
        bench_threads();
    if (want("checker"))
        bench_checker();
    if (want("cost"))
        bench_cost();
    return 0;
}
