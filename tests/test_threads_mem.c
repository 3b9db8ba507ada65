/* smmuv3_mem shared by threads (smmuv3/mem.h "Threads"): readers and writers
 * of the same blocks never see half a write; pages created (and the table
 * grown) while others read; abort ranges added while others read. Bounded
 * in iterations: no timing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "threads_env.h"
#include "test_main.h"

#define BLOCKS  64u                 /* 64-byte blocks written and read by everyone */
#define BLK(i)  (0x10000ull + (uint64_t)(i) * 0x1040)   /* some cross a page boundary */
#define WRITES  20000u
#define NEWPAGES 3000u              /* pages created by the grower (the table grows) */
#define ABORT_BASE 0x7000000000ull

typedef struct mem_shared {
    smmuv3_mem *m;
    _Atomic unsigned running;
    _Atomic uint64_t created;       /* pages the grower has written */
    _Atomic unsigned aborts;        /* abort ranges added */
} mem_shared;

/* A block holds eight copies of one word. */
static void writer(mem_shared *sh, unsigned id)
{
    uint64_t x = 0x1234567ull * (id + 1), blk[8];
    for (unsigned n = 0; n < WRITES; n++) {
        unsigned i = (unsigned)(tenv_rand(&x) % BLOCKS);
        for (int k = 0; k < 8; k++)
            blk[k] = (uint64_t)id << 32 | n;
        if (smmuv3_mem_write(sh->m, BLK(i), blk, sizeof(blk)))
            tenv_fail("write");
    }
}

static void reader(mem_shared *sh)
{
    uint64_t x = 99, blk[8];
    while (atomic_load(&sh->running)) {
        unsigned i = (unsigned)(tenv_rand(&x) % BLOCKS);
        if (smmuv3_mem_read(sh->m, BLK(i), blk, sizeof(blk)))
            tenv_fail("read");
        for (int k = 1; k < 8; k++)
            if (blk[k] != blk[0])
                tenv_fail("torn block %u: word %d 0x%llx vs 0x%llx", i, k, (unsigned long long)blk[k],
                          (unsigned long long)blk[0]);
        /* pages the grower created keep what it wrote */
        uint64_t c = atomic_load(&sh->created);
        if (c) {
            uint64_t p = tenv_rand(&x) % c, v = 0;
            if (smmuv3_mem_read(sh->m, (0x100000000ull + p * 0x9000) & ~7ull, &v, 8) || v != p + 1)
                tenv_fail("created page %llu reads 0x%llx", (unsigned long long)p, (unsigned long long)v);
        }
        /* an abort range, once added, fails every access */
        unsigned a = atomic_load(&sh->aborts);
        if (a && smmuv3_mem_read(sh->m, ABORT_BASE + (a - 1) * 0x10000ull, &c, 8) != SMMUV3_EABORT)
            tenv_fail("abort range %u not seen", a - 1);
    }
}

/* Creates pages (the hash table doubles several times) and abort ranges. */
static void grower(mem_shared *sh)
{
    for (uint64_t p = 0; p < NEWPAGES; p++) {
        uint64_t v = p + 1;
        if (smmuv3_mem_write(sh->m, (0x100000000ull + p * 0x9000) & ~7ull, &v, 8))
            tenv_fail("grow write");
        atomic_store(&sh->created, p + 1);
        if (p % 300 == 0) {
            unsigned a = atomic_load(&sh->aborts);
            if (smmuv3_mem_add_abort(sh->m, ABORT_BASE + a * 0x10000ull, 0x1000))
                tenv_fail("add_abort");
            atomic_store(&sh->aborts, a + 1);
        }
    }
}

static void *mem_role(const tenv_role *r)
{
    mem_shared *sh = r->sh;
    if (r->id < 2)
        writer(sh, r->id);
    else if (r->id == 2)
        grower(sh);
    else
        reader(sh);
    if (r->id < 3)
        atomic_fetch_sub(&sh->running, 1);
    return NULL;
}

static void test_mem_shared(void **state)
{
    (void)state;
    static mem_shared sh;
    memset(&sh, 0, sizeof(sh));
    sh.m = smmuv3_mem_new();
    assert_non_null(sh.m);
    atomic_init(&sh.running, 3);
    tenv_run_roles(4, mem_role, &sh);
    tenv_check();
    assert_true(smmuv3_mem_pages(sh.m) >= NEWPAGES);
    smmuv3_mem_free(sh.m);
}

TEST_MAIN(test_mem_shared)
