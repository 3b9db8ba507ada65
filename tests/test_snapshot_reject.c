/* Unit tests: rejected snapshots (src/model/snapshot.c): every truncation, every single-byte corruption, semantic checks of each section, another configuration; the instance is left exactly as it was. */
#include "test_snap_util.h"
#include "test_main.h"

/* Every test starts from busy_world, saved (b, n) and its registers observed. */
typedef struct snapfx {
    tenv e;
    uint8_t *b;
    size_t n;
    obs regs;
} snapfx;

static int snap_setup(void **state)
{
    snapfx *sf = calloc(1, sizeof(*sf));
    assert_non_null(sf);
    busy_world(&sf->e);
    sf->b = save_all(sf->e.s, &sf->n);
    observe_regs(sf->e.s, &sf->regs);
    *state = sf;
    return 0;
}

static int snap_teardown(void **state)
{
    snapfx *sf = *state;
    free(sf->regs.v);
    free(sf->b);
    t_down(&sf->e);
    free(sf);
    return 0;
}

static void test_truncated(void **state)
{
    snapfx *sf = *state;
    uint8_t *c = malloc(sf->n + 1);
    assert_non_null(c);
    for (size_t l = 0; l < sf->n; l++) {
        memcpy(c, sf->b, l);   /* its own buffer, so that a read past l is caught by ASan */
        assert_int_equal(smmuv3_restore(sf->e.s, c, l), SMMUV3_ECORRUPT);
        unchanged(sf->e.s, sf->b, sf->n, l % 64 ? NULL : &sf->regs);
    }
    memcpy(c, sf->b, sf->n);
    c[sf->n] = 0;
    assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n + 1), SMMUV3_ECORRUPT);   /* a trailing byte */
    unchanged(sf->e.s, sf->b, sf->n, &sf->regs);
    assert_int_equal(smmuv3_restore(sf->e.s, sf->b, sf->n), 0);
    unchanged(sf->e.s, sf->b, sf->n, &sf->regs);
    free(c);
}

static void test_corrupt_every_byte(void **state)
{
    snapfx *sf = *state;
    for (size_t i = 0; i < sf->n; i++) {
        for (unsigned x = 1; x < 256; x++) {
            sf->b[i] ^= (uint8_t)x;
            int rc = smmuv3_restore(sf->e.s, sf->b, sf->n);
            sf->b[i] ^= (uint8_t)x;
            if (rc != SMMUV3_ECORRUPT)
                fail_msg("byte %zu ^ 0x%02x: %d", i, x, rc);
            unchanged(sf->e.s, sf->b, sf->n, NULL);
        }
        if (i % 32 == 0)
            unchanged(sf->e.s, sf->b, sf->n, &sf->regs);
    }
}

/* With the checksum made right again, a changed byte reaches the semantic
 * checks: it is rejected with the instance unchanged, or it is a state the
 * model can hold, which a save then reproduces byte for byte. */
static void test_corrupt_semantic(void **state)
{
    snapfx *sf = *state;
    uint8_t *c = malloc(sf->n);
    assert_non_null(c);
    static const uint8_t xs[] = { 0x01, 0x02, 0x10, 0x80, 0xFF };
    unsigned accepted = 0, rejected = 0;
    for (size_t i = 0; i + 4 < sf->n; i++) {
        for (size_t k = 0; k < sizeof(xs); k++) {
            memcpy(c, sf->b, sf->n);
            c[i] ^= xs[k];
            fix_crc(c, sf->n);
            int rc = smmuv3_restore(sf->e.s, c, sf->n);
            if (rc == 0) {
                accepted++;
                unchanged(sf->e.s, c, sf->n, NULL);   /* canonical: what was restored saves as given */
                assert_int_equal(smmuv3_restore(sf->e.s, sf->b, sf->n), 0);
            } else {
                rejected++;
                assert_true(rc == SMMUV3_ECORRUPT || rc == SMMUV3_EMISMATCH);
                if (i < 32 + 8 + 4)       /* header, CONF tag and length: never accepted */
                    assert_true(i >= 24 || rc == SMMUV3_ECORRUPT);
            }
            unchanged(sf->e.s, sf->b, sf->n, NULL);
            if (i < 32)
                assert_int_not_equal(rc, 0);
        }
    }
    assert_true(accepted > 0);
    assert_true(rejected > accepted);
    free(c);
}

/* Patch one 32-bit value of a section (at byte `off` of its payload) and expect `want`. */
static void expect_patch(const snapfx *sf, const char *tag, size_t off, uint32_t v, int want)
{
    uint8_t *c = malloc(sf->n);
    assert_non_null(c);
    memcpy(c, sf->b, sf->n);
    uint32_t len = 0;
    size_t at = section(c, sf->n, tag, &len);
    assert_true(off + 4 <= len);
    wr32(c + at + off, v);
    fix_crc(c, sf->n);
    int rc = smmuv3_restore(sf->e.s, c, sf->n);
    if (rc != want)
        fail_msg("%.4s+%zu = 0x%x: %d, expected %d", tag, off, v, rc, want);
    unchanged(sf->e.s, sf->b, sf->n, NULL);
    free(c);
}

static void test_semantic_checks(void **state)
{
    snapfx *sf = *state;
    uint32_t cr0 = (uint32_t)smmuv3_mmio_read(sf->e.s, REG_CR0, 4);
    /* REGS: cr0, cr0ack, cr1, cr2, gbpa, irq_ctrl, irq_ctrlack, gerror, gerrorn, ... */
    expect_patch(sf, "REGS", 0, cr0 | 0x80000000u, SMMUV3_ECORRUPT);   /* RES0 bit */
    expect_patch(sf, "REGS", 4, cr0 & ~1u, SMMUV3_ECORRUPT);           /* CR0ACK != CR0 */
    expect_patch(sf, "REGS", 16, 0x80001000u, SMMUV3_ECORRUPT);        /* GBPA.UPDATE */
    expect_patch(sf, "REGS", 24, 0, SMMUV3_ECORRUPT);                  /* IRQ_CTRLACK */
    expect_patch(sf, "REGS", 28, 1u << 31, SMMUV3_ECORRUPT);           /* GERROR RES0 */
    /* STAL: count, then (stag, sid, state) */
    expect_patch(sf, "STAL", 0, 1000, SMMUV3_ECORRUPT);                /* more than held/STALL_MAX */
    expect_patch(sf, "STAL", 0, 2, SMMUV3_ECORRUPT);                   /* fewer than the payload */
    expect_patch(sf, "STAL", 4, 64, SMMUV3_ECORRUPT);                  /* STAG >= STALL_MAX */
    expect_patch(sf, "STAL", 4 + 9, 0, SMMUV3_ECORRUPT);               /* STAGs out of order */
    expect_patch(sf, "STAL", 8, 1u << 16, SMMUV3_ECORRUPT);            /* SID beyond SIDSIZE */
    /* STAT: the number of counters */
    expect_patch(sf, "STAT", 0, 19, SMMUV3_ECORRUPT);
    /* CONF: another configuration under a right digest */
    {
        uint8_t *c = malloc(sf->n);
        assert_non_null(c);
        memcpy(c, sf->b, sf->n);
        uint32_t len = 0;
        size_t at = section(c, sf->n, "CONF", &len);
        c[at + 4 * 7] ^= 1;   /* sidsize */
        uint64_t h = 0xcbf29ce484222325ull;
        for (size_t i = 0; i < len; i++)
            h = (h ^ c[at + i]) * 0x100000001b3ull;
        for (unsigned i = 0; i < 8; i++)
            c[24 + i] = (uint8_t)(h >> (8 * i));
        fix_crc(c, sf->n);
        assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n), SMMUV3_EMISMATCH);
        unchanged(sf->e.s, sf->b, sf->n, NULL);
        free(c);
    }
    /* header: version, flags */
    uint8_t *c = malloc(sf->n + 16);
    assert_non_null(c);
    memcpy(c, sf->b, sf->n);
    wr32(c + 8, 99);   /* a version this build does not know */
    fix_crc(c, sf->n);
    assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n), SMMUV3_ECORRUPT);
    memcpy(c, sf->b, sf->n);
    wr32(c + 12, 1);
    fix_crc(c, sf->n);
    assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n), SMMUV3_ECORRUPT);
    /* an unknown section appended */
    memcpy(c, sf->b, sf->n - 4);
    memcpy(c + sf->n - 4, "XTRA", 4);
    wr32(c + sf->n, 4);
    wr32(c + sf->n + 4, 0);
    wr32(c + 16, (uint32_t)(sf->n + 12));
    fix_crc(c, sf->n + 12);
    assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n + 12), SMMUV3_ECORRUPT);
    /* two sections swapped (STAL and STAT are not of equal size: swap REGS and CONF tags) */
    memcpy(c, sf->b, sf->n);
    memcpy(c + 32, "REGS", 4);
    fix_crc(c, sf->n);
    assert_int_equal(smmuv3_restore(sf->e.s, c, sf->n), SMMUV3_ECORRUPT);
    unchanged(sf->e.s, sf->b, sf->n, NULL);
    free(c);
}

static void test_config_mismatch(void **state)
{
    snapfx *sf = *state;
    for (unsigned k = 0; k < 5; k++) {
        smmuv3_config c;
        smmuv3_config_default(&c);
        switch (k) {
        case 0: c.sidsize = 12; break;
        case 1: c.s2p = false; c.hyp = false; break;
        case 2: c.tlb_entries = 8; break;   /* an equal configuration means every field */
        case 3: c.stall_max = 8; break;
        default: c.iidr = 0x1234; break;
        }
        tenv g;
        world_cfg(&g, &c);
        size_t m;
        uint8_t *before = save_all(g.s, &m);
        obs regs = { 0 };
        observe_regs(g.s, &regs);
        assert_int_equal(smmuv3_restore(g.s, sf->b, sf->n), SMMUV3_EMISMATCH);
        unchanged(g.s, before, m, &regs);
        free(regs.v);
        free(before);
        t_down(&g);
    }
}

/* A rejected snapshot does not even empty the caches (their counters would show it). */
TEST_MAIN_FX(snap_setup, snap_teardown, test_truncated, test_corrupt_every_byte,
          test_corrupt_semantic, test_semantic_checks, test_config_mismatch)
