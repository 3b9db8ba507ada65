/* SPDX-License-Identifier: MIT */
/*
 * smmuv3-bench's "checker" section (included by smmuv3-bench.c): the cost of
 * the driver checker. The same 256-page resident set of one stage 1 stream
 * is translated with the checker off, then on (a callback that counts; the
 * driver is correct, so it never runs): with it on the memo is bypassed and
 * every configuration cache hit re-reads the STE and CD, every IOTLB hit
 * re-walks the tables without side effects. A third row keeps the memo off
 * (config.fastpath false) for the checker-off figure, which isolates the
 * checker's own work from the loss of the memo.
 */
static void count_diag(void *ctx, const smmuv3_diag *d)
{
    (void)d;
    ++*(unsigned long *)ctx;
}

/* ns per translation of the set with the checker on (on) and off (return). */
static double checker_run(bool nofast, const uint64_t *a, uint64_t n, unsigned passes, double *on,
                          unsigned long *reports)
{
    benv b;
    benv_opts o = { .tlb = 4096, .walk = 256, .cfg = 256, .nstreams = 1, .nofast = nofast };
    benv_init(&b, &o);
    benv_map(&b, n);
    run_translate(&b, a, NULL, n, 2);
    double off = run_translate(&b, a, NULL, n, passes);
    if (on) {
        smmuv3_set_diag(b.s, count_diag, reports);
        run_translate(&b, a, NULL, n, 2);
        *on = run_translate(&b, a, NULL, n, passes);
        smmuv3_set_diag(b.s, NULL, NULL);
    }
    benv_free(&b);
    return off;
}

static void bench_checker(void)
{
    const uint64_t n = 256;
    unsigned passes = quick ? 200 : 4000;
    uint64_t *a = page_order(n, 3);
    unsigned long reports = 0;
    double on = 0;
    double off = checker_run(false, a, n, passes, &on, &reports);
    double nomemo = checker_run(true, a, n, passes, NULL, NULL);
    char note[160];
    row("checker: hit, off", off, "memo on; one untaken branch per hook");
    snprintf(note, sizeof(note), "%.1fx off; re-reads STE+CD, re-walks 4 levels per hit; %lu reports", on / off,
             reports);
    row("checker: hit, on", on, note);
    snprintf(note, sizeof(note), "checker off, memo off: %.1fx of on is the checker's own work", on / nomemo);
    row("checker: hit, off, memo off", nomemo, note);
    free(a);
}
