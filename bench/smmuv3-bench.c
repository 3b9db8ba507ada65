/*
 * libsmmuv3 benchmark: prints a table of ns per operation. Not a test: it
 * measures, on this machine, in one run. Usage: smmuv3-bench [--quick]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <smmuv3/smmuv3.h>

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

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick"))
            quick = 1;
        else {
            fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
            return 2;
        }
    }
    printf("| %-44s | %10s | %s\n", "benchmark", "ns/op", "note");
    printf("|%s|%s|%s\n", "----------------------------------------------", "------------", "------");
    bench_mem();
    return 0;
}
