/* An SMMU over two memories: the Non-secure PA space (host.read/write) and
 * the Secure PA space (host.read_secure/write_secure), so a test sees which
 * space every table, queue and output access went to. The fixture of the
 * Secure tests (test_secure_*.c, test_checker_secure.c,
 * test_conformance_hafnium.c). */
#ifndef SMMUV3_TEST_TWOMEM_H
#define SMMUV3_TEST_TWOMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

typedef struct twomem {
    smmuv3_mem *ns, *sec;
    smmuv3 *s;
    unsigned irqs[4], sirqs[4];   /* host.irq / host.irq_secure edges, by line */
    smmuv3_host host;             /* the SMMU's: both PA spaces and both interrupt outputs */
    smmuv3_host view[2];          /* one PA space each, for the builders: [0] Non-secure, [1] Secure */
} twomem;

/* Creates both memories and the SMMU (profile c, or the default when NULL);
 * asserts success. t must stay where it is while the SMMU lives (it is the
 * host context). */
void twomem_init(twomem *t, const smmuv3_config *c);
void twomem_fini(twomem *t);
/* The same on a test_calloc'd twomem. */
twomem *twomem_new(const smmuv3_config *c);
void twomem_free(twomem *t);

/* As a cmocka fixture (TEST_MAIN_FX): *state is a twomem_new(NULL);
 * twomem_renew() starts a test's fixture again in place with profile c
 * (NULL: the default), new memories and SMMU, and returns it. */
int twomem_setup(void **state);
int twomem_teardown(void **state);
twomem *twomem_renew(void **state, const smmuv3_config *c);

/* Both interfaces up, the Secure one first (IHI 0070 6.3.52-6.3.77): each
 * state's linear Stream table of 2^log2 entries at `strtab`, Command queue at
 * `cmdq` and Event queue at `evtq` (2^log2 entries each), all in its own PA
 * space; S_CR2.RECINVSID; then CR0 = SMMUEN | EVENTQEN | CMDQEN on both. */
void twomem_up(twomem *t, uint64_t strtab, uint64_t cmdq, uint64_t evtq, unsigned log2);

/* The driver helper on one Security state's interface (cfg.secure), its
 * builders over that state's PA space: an allocator of [base, base + size),
 * the space, a linear Stream table of 2^log2 entries (at strtab_at, or
 * SMMUV3_BUILD_ALLOC). Asserts each step before the driver; returns
 * smmuv3_driver_init's result (a checker test may expect a failure). */
int twomem_driver_up(twomem *t, bool secure, uint64_t base, uint64_t size, unsigned log2, uint64_t strtab_at,
                     smmuv3_alloc *al, smmuv3_space *sp, smmuv3_strtab *st, smmuv3_driver *drv);

/* The event record at `at` in memory m (a Secure or Non-secure Event
 * queue slot): each named field (smmuv3_event_get) reads as given; a
 * failure names the field. */
typedef struct tm_evfield {
    const char *name;
    uint64_t v;
} tm_evfield;
void twomem_expect_event(smmuv3_mem *m, uint64_t at, const tm_evfield *f, size_t n);
#define TM_EXPECT_EVENT(m, at, ...)                                                  \
    twomem_expect_event((m), (at), (const tm_evfield[]){ __VA_ARGS__ },              \
                        sizeof((const tm_evfield[]){ __VA_ARGS__ }) / sizeof(tm_evfield))

/* Register accesses: Secure (sr/sw) and Non-secure (nr/nw). */
static inline uint32_t tm_sr32(twomem *t, uint64_t o) { return (uint32_t)smmuv3_mmio_read_sec(t->s, o, 4, true); }
static inline uint64_t tm_sr64(twomem *t, uint64_t o) { return smmuv3_mmio_read_sec(t->s, o, 8, true); }
static inline void tm_sw32(twomem *t, uint64_t o, uint32_t v) { smmuv3_mmio_write_sec(t->s, o, v, 4, true); }
static inline void tm_sw64(twomem *t, uint64_t o, uint64_t v) { smmuv3_mmio_write_sec(t->s, o, v, 8, true); }
static inline uint32_t tm_nr32(twomem *t, uint64_t o) { return (uint32_t)smmuv3_mmio_read(t->s, o, 4); }
static inline void tm_nw32(twomem *t, uint64_t o, uint32_t v) { smmuv3_mmio_write(t->s, o, v, 4); }
static inline void tm_nw64(twomem *t, uint64_t o, uint64_t v) { smmuv3_mmio_write(t->s, o, v, 8); }

#endif
