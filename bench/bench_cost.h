/* SPDX-License-Identifier: MIT */
/*
 * smmuv3-bench's "cost" section (included by smmuv3-bench.c, over its set-up
 * helpers): what grows with the work and what must not grow with capacity.
 *   - hits through the configuration cache and the IOTLB, memo off and on,
 *     for a TLB-resident working set of 4096 pages over 1 and 64 streams
 *     (issue 19: memo off at most 5x the bare probe, memo on never more than
 *     5% slower than off);
 *   - smmuv3_new + smmuv3_free of the default profile (part of every fuzz
 *     execution);
 *   - CMD_CFGI_STE + CMD_SYNC with 65,536 configurations cached in a
 *     configuration cache of 1M entries: it should cost the entries it
 *     removes, not the capacity.
 */

/* 4096 pages over `nstreams` streams (nstreams divides 4096): stream i
 * translates pages i*per .. i*per+per-1, all pairs in a random order. */
static void bench_cost_hits(unsigned nstreams, double floor_ns)
{
    const uint64_t n = 4096;
    unsigned passes = quick ? 100 : 2000;
    double t[2];
    for (int fast = 0; fast < 2; fast++) {
        benv b;
        benv_opts o = { .tlb = 4096, .walk = 256, .cfg = 256, .nstreams = nstreams, .nofast = !fast };
        benv_init(&b, &o);
        benv_map(&b, n);
        uint64_t *a = page_order(n, 11);
        uint32_t *sids = malloc(n * sizeof(*sids));
        if (!sids)
            DIE("malloc", SMMUV3_ENOMEM);
        for (uint64_t i = 0; i < n; i++)
            sids[i] = (uint32_t)(((a[i] - VA_BASE) >> 12) / (n / nstreams));
        run_translate(&b, a, sids, n, 2);
        t[fast] = run_translate(&b, a, sids, n, passes);
        free(sids);
        free(a);
        benv_free(&b);
    }
    char name[64], note[160];
    snprintf(name, sizeof(name), "cost: hit, 4096 pages, %u stream%s, memo off", nstreams, nstreams > 1 ? "s" : "");
    snprintf(note, sizeof(note), "config cache + IOTLB: %.2fx the bare probe (goal <= 5x)", t[0] / floor_ns);
    row(name, t[0], note);
    snprintf(name, sizeof(name), "cost: hit, 4096 pages, %u stream%s, memo on", nstreams, nstreams > 1 ? "s" : "");
    snprintf(note, sizeof(note), "%.2fx memo off (goal <= 1.05x)", t[1] / t[0]);
    row(name, t[1], note);
}

static void bench_cost_new(void)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, m);
    unsigned reps = quick ? 200 : 2000;
    double best = 1e30, total = 0;
    for (unsigned r = 0; r < reps; r++) {
        smmuv3 *s;
        double t0 = now_ns();
        CHK(smmuv3_new(&c, &h, &s));
        smmuv3_free(s);
        double dt = now_ns() - t0;
        total += dt;
        if (dt < best)
            best = dt;
    }
    char note[160];
    snprintf(note, sizeof(note), "default profile; best %.1f us, mean %.1f us (goal < 50 us)", best / 1e3,
             total / reps / 1e3);
    row("cost: smmuv3_new + smmuv3_free", best, note);
    smmuv3_mem_free(m);
}

static void bench_cost_cfgi(void)
{
    const unsigned nsid = 65536;
    unsigned reps = quick ? 5 : 50;
    benv b;
    benv_opts o = { .tlb = 4096, .walk = 256, .cfg = 1u << 20, .nstreams = nsid };
    benv_init(&b, &o);
    benv_map(&b, 1);
    uint64_t a = VA_BASE;
    uint32_t *sids = malloc(nsid * sizeof(*sids));
    uint64_t *addrs = malloc(nsid * sizeof(*addrs));
    if (!sids || !addrs)
        DIE("malloc", SMMUV3_ENOMEM);
    for (unsigned i = 0; i < nsid; i++) {
        sids[i] = i;
        addrs[i] = a;
    }
    run_translate(&b, addrs, sids, nsid, 1);   /* every stream's configuration cached */
    uint8_t cmd[SMMUV3_CMD_BYTES];
    static const char *const names[] = { "sid", "leaf" };
    double best = 1e30, empty = 1e30;
    for (unsigned r = 0; r < reps; r++) {
        const uint64_t vals[] = { 1000 + r, 1 };
        CHK(smmuv3_cmd_build(cmd, "CMD_CFGI_STE", names, vals, 2));
        for (int k = 0; k < 2; k++) {   /* k = 1: the same SID again, nothing left to remove */
            double t0 = now_ns();
            CHK(smmuv3_driver_submit(&b.drv, cmd));
            CHK(smmuv3_driver_sync(&b.drv));
            double dt = now_ns() - t0;
            if (k == 0 && dt < best)
                best = dt;
            if (k == 1 && dt < empty)
                empty = dt;
        }
    }
    char note[160];
    snprintf(note, sizeof(note), "65,536 configurations cached, capacity 1M; removes 1; same command, nothing to remove: %.1f us",
             empty / 1e3);
    row("cost: CFGI_STE + SYNC, cfg cache 1M", best, note);
    free(sids);
    free(addrs);
    benv_free(&b);
}

static void bench_cost(void)
{
    /* the floor row of the hit section, for the ratios */
    const uint64_t n = 4096;
    uint64_t *a = page_order(n, 11);
    floor_tab f;
    floor_build(&f, a, n);
    run_floor(&f, a, n, 2);
    double fl = run_floor(&f, a, n, quick ? 200 : 4000);
    row("cost floor: bare hash lookup, 4096 pages", fl, "same keys, same order");
    bench_cost_hits(1, fl);
    bench_cost_hits(64, fl);
    free(f.t);
    free(a);
    bench_cost_new();
    bench_cost_cfgi();
}
