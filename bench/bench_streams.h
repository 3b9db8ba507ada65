/* SPDX-License-Identifier: MIT */
/*
 * smmuv3-bench's "streams" and "scale" sections (included by smmuv3-bench.c,
 * over its set-up helpers): one stream against 65,536, with the configuration
 * cache large or thrashed and the memo on or off; then working sets of 256 to
 * 1M pages.
 */
/* cfg: configuration cache entries (65,536 holds every stream; 256 is the
 * default, where the streams thrash it and each translation fetches its STE
 * and CD). */
static void bench_streams(unsigned cfg, bool fast)
{
    const uint64_t n = 256;
    const unsigned nsid = 65536;
    unsigned passes = quick ? 200 : 4000;
    benv b;
    benv_opts o = { .tlb = 4096, .walk = 256, .cfg = cfg, .nstreams = nsid, .nofast = !fast };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a = page_order(n, 5);
    /* 65,536 translations: stream i, page i % 256 (streams share the CD and
     * so the ASID: TLB entries are tagged by ASID/VMID, not StreamID) */
    uint64_t *addrs = malloc(nsid * sizeof(*addrs));
    uint32_t *sids = malloc(nsid * sizeof(*sids));
    uint32_t *one = calloc(nsid, sizeof(*one));
    if (!addrs || !sids || !one)
        DIE("malloc", SMMUV3_ENOMEM);
    uint64_t seed = 6;
    for (unsigned i = 0; i < nsid; i++) {
        addrs[i] = a[i % n];
        sids[i] = i;
    }
    for (unsigned i = nsid - 1; i > 0; i--) {
        unsigned j = (unsigned)(xs(&seed) % (i + 1));
        uint32_t t = sids[i];
        sids[i] = sids[j];
        sids[j] = t;
    }
    unsigned p2 = passes * (unsigned)n / nsid;
    if (!p2)
        p2 = 1;
    run_translate(&b, addrs, sids, nsid, 1);   /* warm the configuration cache and TLB */
    run_translate(&b, addrs, one, nsid, 1);
    double t1 = run_translate(&b, addrs, one, nsid, p2);
    smmuv3_stats s0 = stats(&b);
    double tn = run_translate(&b, addrs, sids, nsid, p2);
    smmuv3_stats s1 = stats(&b);
    char note[224];
    char name[64];
    const char *fp = fast ? "" : ", no fastpath";
    snprintf(note, sizeof(note), "256 pages, one CD; config cache %u entries%s", cfg,
             fast ? "" : "; fast path off: the config cache and IOTLB themselves");
    snprintf(name, sizeof(name), "streams: 1 stream, cfg %u%s", cfg, fp);
    row(name, t1, note);
    snprintf(note, sizeof(note), "2-level stream table; %.2fx 1 stream (goal <= 1.5x); cfg hits %.1f%%, TLB hits %.1f%%%s",
             tn / t1, 100.0 * (double)(s1.cfg_hits - s0.cfg_hits) / (double)(s1.translations - s0.translations),
             100.0 * (double)(s1.tlb_hits - s0.tlb_hits) / (double)(s1.translations - s0.translations),
             fast ? "; 1 stream hits the memo, 65,536 distinct (stream, page) pairs cannot" : "");
    snprintf(name, sizeof(name), "streams: 65,536 streams, cfg %u%s", cfg, fp);
    row(name, tn, note);
    free(addrs);
    free(sids);
    free(one);
    free(a);
    benv_free(&b);
}

/* ------------------------------------------------------------ scale */
static void bench_scale(uint64_t n)
{
    uint64_t touches = quick ? 200000 : 4000000;
    unsigned passes = (unsigned)(touches / n);
    if (!passes)
        passes = 1;
    benv b;
    benv_opts o = { .tlb = (unsigned)(n < 4096 ? 4096 : n), .walk = 256, .cfg = 256, .nstreams = 1 };
    benv_init(&b, &o);
    benv_map(&b, n);
    uint64_t *a = page_order(n, 7);
    /* miss: a cold TLB (after TLBI_NSNH_ALL), one pass, walk cache warm-ish */
    run_translate(&b, a, NULL, n, 1);
    CHK(smmuv3_driver_tlbi_nsnh_all(&b.drv));
    smmuv3_stats s0 = stats(&b);
    double miss = run_translate(&b, a, NULL, n, 1);
    smmuv3_stats s1 = stats(&b);
    double hit = run_translate(&b, a, NULL, n, passes);
    smmuv3_stats s2 = stats(&b);
    char name[64], note[160];
    snprintf(name, sizeof(name), "scale: hit, %llu-page working set", (unsigned long long)n);
    snprintf(note, sizeof(note), "TLB %u entries, %.1f%% hits", o.tlb,
             100.0 * (double)(s2.tlb_hits - s1.tlb_hits) / (double)(s2.translations - s1.translations));
    row(name, hit, note);
    snprintf(name, sizeof(name), "scale: miss, %llu-page working set", (unsigned long long)n);
    snprintf(note, sizeof(note), "cold TLB, walk cache 256; %.1f%% misses, walk + insert",
             100.0 * (double)(s1.tlb_misses - s0.tlb_misses) / (double)(s1.translations - s0.translations));
    row(name, miss, note);
    free(a);
    benv_free(&b);
}

