/* The API contract (shared/API.md), behaviour side: documented sentences
 * pinned through the umbrella header only. Caller errors give a negative
 * SMMUV3_E* code (or nothing, for the void entry points) and never crash;
 * flat memory ends at 2^52; smmuv3_host_from_mem leaves every optional
 * callback NULL; smmuv3_config_check_host compares what the profile
 * advertises. test_api_contract.c pins the types, layouts and constants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "test_main.h"

static void dummy_diag(void *ctx, const smmuv3_diag *d) { (void)ctx; (void)d; }
static int dummy_sink(void *ctx, const uint64_t cmd[2]) { (void)ctx; (void)cmd; return 0; }

/* "Functions that can fail return int: 0 on success, a negative SMMUV3_E*
 * code otherwise (smmuv3_strerror() names it). Nothing in the library
 * prints, exits or aborts on bad input." Every entry point of API.md with a
 * NULL where a pointer is expected. */
static void test_caller_errors(void **state)
{
    (void)state;
    uint8_t b[8] = { 0 };
    char msg[160];
    assert_true(smmuv3_mem_read(NULL, 0, b, 1) < 0);
    assert_true(smmuv3_mem_write(NULL, 0, b, 1) < 0);
    assert_true(smmuv3_mem_add_abort(NULL, 0, 1) < 0);
    smmuv3_mem_free(NULL);
    smmuv3_mem *m = smmuv3_mem_new();
    assert_non_null(m);
    smmuv3_host h;
    smmuv3_host_from_mem(NULL, m);
    smmuv3_host_from_mem(&h, m);
    smmuv3_config c;
    smmuv3_config_default(NULL);
    smmuv3_config_default(&c);
    assert_true(smmuv3_config_validate(NULL, msg, sizeof(msg)) < 0);
    assert_true(msg[0] != 0);
    smmuv3 *s = (smmuv3 *)&c;
    assert_true(smmuv3_new(NULL, &h, &s) < 0);
    assert_null(s);
    assert_true(smmuv3_new(&c, NULL, &s) < 0);
    assert_true(smmuv3_new(&c, &h, NULL) < 0);
    smmuv3_free(NULL);
    smmuv3_reset(NULL);
    assert_int_equal(smmuv3_mmio_read(NULL, 0, 4), 0);
    smmuv3_mmio_write(NULL, 0x20, 1, 4);
    assert_int_equal(smmuv3_mmio_read_sec(NULL, 0x8004, 4, true), 0);
    smmuv3_mmio_write_sec(NULL, 0x8020, 1, 4, true);

    assert_int_equal(smmuv3_new(&c, &h, &s), 0);
    smmuv3_txn t = { 0 };
    smmuv3_result r;
    assert_true(smmuv3_translate(NULL, &t, &r) < 0);
    assert_true(smmuv3_translate(s, NULL, &r) < 0);
    assert_true(smmuv3_translate(s, &t, NULL) < 0);
    t.flags = SMMUV3_TXN_TRANSLATED;
    assert_true(smmuv3_translate(s, &t, NULL) < 0);

    /* ATS: NULLs, and TRANSLATED in a Translation Request */
    smmuv3_ats_result a;
    assert_true(smmuv3_ats_translate(s, &t, &a) < 0);
    t.flags = 0;
    assert_true(smmuv3_ats_translate(NULL, &t, &a) < 0);
    assert_true(smmuv3_ats_translate(s, NULL, &a) < 0);
    assert_true(smmuv3_ats_translate(s, &t, NULL) < 0);
    assert_int_equal(smmuv3_ats_translate(s, &t, &a), 0);   /* SMMUEN == 0: an answer, not an error */

    /* PRI: NULLs and a PRGI beyond 9 bits */
    smmuv3_pri_req p = { .prgi = 0x200, .perm = SMMUV3_PERM_R, .last = true };
    assert_true(smmuv3_pri_request(NULL, &p) < 0);
    assert_true(smmuv3_pri_request(s, NULL) < 0);
    assert_true(smmuv3_pri_request(s, &p) < 0);
    p.prgi = 0x1FF;
    assert_int_equal(smmuv3_pri_request(s, &p), 0);         /* queue disabled: taken (answered) */

    /* vSMMU helpers */
    uint64_t ste[8] = { 0 };
    smmuv3_vste v;
    assert_true(smmuv3_vste_classify(NULL, ste, &v) < 0);
    assert_true(smmuv3_vste_classify(s, NULL, &v) < 0);
    assert_true(smmuv3_vste_classify(s, ste, NULL) < 0);
    assert_int_equal(smmuv3_vste_classify(s, ste, &v), 0);
    assert_int_equal(v.kind, SMMUV3_VSTE_INVALID);          /* V == 0 */
    smmuv3_set_inval_sink(NULL, dummy_sink, NULL);
    smmuv3_set_inval_sink(s, NULL, NULL);
    uint32_t idr[6] = { 0 };
    assert_true(smmuv3_config_check_host(NULL, idr, msg, sizeof(msg)) < 0);
    assert_true(smmuv3_config_check_host(&c, NULL, msg, sizeof(msg)) < 0);
    assert_true(smmuv3_config_check_host(&c, idr, NULL, 0) < 0);

    /* snapshots */
    size_t needed = 0;
    assert_true(smmuv3_save(NULL, NULL, 0, &needed) < 0);
    assert_int_equal(smmuv3_save(s, NULL, 0, NULL), SMMUV3_ERANGE);
    uint8_t junk[64] = { 0 };
    assert_true(smmuv3_restore(NULL, junk, sizeof(junk)) < 0);
    assert_true(smmuv3_restore(s, NULL, sizeof(junk)) < 0);
    assert_true(smmuv3_restore(s, junk, sizeof(junk)) < 0);

    /* the checker, stalls, the test device */
    smmuv3_set_diag(NULL, dummy_diag, NULL);
    smmuv3_set_diag(s, NULL, NULL);
    assert_true(smmuv3_stall_poll(NULL, 0, 0) < 0);
    assert_null(smmuv3_testdev_new(NULL, &h, 0));
    assert_null(smmuv3_testdev_new(s, NULL, 0));
    smmuv3_testdev_free(NULL);
    (void)smmuv3_testdev_read(NULL, 0);
    smmuv3_testdev_write(NULL, 0, 0);

    /* every code has a name */
    for (int e = SMMUV3_EMISMATCH; e <= 0; e++)
        assert_non_null(smmuv3_strerror(e));
    assert_non_null(smmuv3_strerror(-1000));
    smmuv3_free(s);
    smmuv3_mem_free(m);
}

/* "Access at or above 2^52, or crossing it, fails. Bytes are stored as given."
 * and smmuv3_mem_add_abort: "accesses touching the range fail". */
static void test_mem_limits(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    assert_non_null(m);
    const uint64_t lim = 1ull << 52;
    uint8_t w[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, r[8];
    assert_int_equal(smmuv3_mem_write(m, lim - 8, w, 8), 0);
    assert_int_equal(smmuv3_mem_read(m, lim - 8, r, 8), 0);
    assert_memory_equal(r, w, 8);
    assert_true(smmuv3_mem_read(m, lim - 4, r, 8) < 0);     /* crossing */
    assert_true(smmuv3_mem_write(m, lim - 1, w, 2) < 0);
    assert_true(smmuv3_mem_read(m, lim, r, 1) < 0);         /* at */
    assert_true(smmuv3_mem_write(m, lim, w, 1) < 0);
    assert_true(smmuv3_mem_read(m, UINT64_MAX - 1, r, 4) < 0);   /* above, wrapping */
    assert_true(smmuv3_mem_write(m, UINT64_MAX, w, 2) < 0);
    /* a failed write stored nothing */
    assert_int_equal(smmuv3_mem_read(m, lim - 8, r, 8), 0);
    assert_memory_equal(r, w, 8);

    assert_int_equal(smmuv3_mem_add_abort(m, 0x5000, 0x10), 0);
    assert_true(smmuv3_mem_read(m, 0x4FFC, r, 8) != 0);     /* touches the first byte */
    assert_true(smmuv3_mem_write(m, 0x500F, w, 1) != 0);    /* the last byte */
    assert_int_equal(smmuv3_mem_read(m, 0x4FF8, r, 8), 0);  /* just below */
    assert_int_equal(smmuv3_mem_read(m, 0x5010, r, 8), 0);  /* just above */
    smmuv3_mem_free(m);
}

static int mem_rd(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(ctx, pa, buf, len); }

/* smmuv3_host_from_mem: "read/write over flat memory, irq NULL"; atc_inv
 * "smmuv3_host_from_mem leaves it NULL"; pri_resp, read_secure and
 * write_secure may be NULL: every optional member is NULL, whatever the
 * struct held before. */
static void test_host_from_mem(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    memset(&h, 0x5A, sizeof(h));
    smmuv3_host_from_mem(&h, m);
    assert_null(h.irq);
    assert_null(h.atc_inv);
    assert_null(h.pri_resp);
    assert_null(h.read_secure);
    assert_null(h.write_secure);
    assert_non_null(h.read);
    assert_non_null(h.write);
    uint32_t v = 0x11223344, got = 0;
    assert_int_equal(h.write(h.ctx, 0x1000, &v, 4), 0);
    assert_int_equal(mem_rd(m, 0x1000, &got, 4), 0);
    assert_int_equal(got, v);
    assert_int_equal(smmuv3_mem_add_abort(m, 0x2000, 4), 0);
    assert_true(h.read(h.ctx, 0x2000, &got, 4) != 0);       /* non-zero = external abort */
    smmuv3_mem_free(m);
}

/* The ID registers an instance of `c` shows, as a host would read them. */
static void own_idrs(const smmuv3_config *c, uint32_t idr[6])
{
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, m);
    smmuv3 *s;
    assert_int_equal(smmuv3_new(c, &h, &s), 0);
    for (unsigned i = 0; i < 6; i++)
        idr[i] = (uint32_t)smmuv3_mmio_read(s, 4 * i, 4);
    smmuv3_free(s);
    smmuv3_mem_free(m);
}

/* smmuv3_config_check_host "checks that the profile can run on a host SMMU":
 * a field the profile does not advertise is not asked of the host. IHI 0070
 * 6.3.4: IDR3.HAD is 0 without S1P, IDR3.PPS is RES0 with SSIDSIZE == 0, and
 * the model shows them so (smmuv3_new); a host with the profile's own ID
 * registers plus stage 2 (nesting) fits it, and narrowing changes nothing. */
static void test_check_host_advertised_only(void **state)
{
    (void)state;
    smmuv3_config c[2];
    smmuv3_config_default(&c[0]);   /* stage 2 only, HAD asked for */
    c[0].s1p = false;
    c[0].cd_2level = false;
    c[0].secure_impl = false;
    c[0].sel2 = false;
    c[0].had = true;
    smmuv3_config_default(&c[1]);   /* PRI without substreams, PPS asked for */
    c[1].ssidsize = 0;
    c[1].cd_2level = false;
    c[1].pri = true;
    c[1].pps = true;
    for (unsigned i = 0; i < 2; i++) {
        char msg[160] = "";
        assert_int_equal(smmuv3_config_validate(&c[i], msg, sizeof(msg)), 0);
        uint32_t idr[6];
        own_idrs(&c[i], idr);
        assert_int_equal(smmuv3_config_check_host(&c[i], idr, msg, sizeof(msg)), 0);
        assert_string_equal(msg, "");
        smmuv3_config out;
        smmuv3_host_narrowing rep;
        assert_int_equal(smmuv3_config_narrow_to_host(&c[i], idr, &out, &rep), 0);
        assert_int_equal(rep.n, 0);
        assert_int_equal(out.had, c[i].had);
        assert_int_equal(out.pps, c[i].pps);
    }
}

/* Secure state: "read_secure/write_secure ... NULL: the Secure PA space is
 * the same memory as read/write", and "smmuv3_result.attrs.ns says which PA
 * space pa is in". A Secure stream table in flat memory, reached through
 * smmuv3_host_from_mem (read_secure NULL), bypasses a Secure stream into the
 * Secure PA space; the same StreamID without SEC_SID is Non-secure. */
static void test_secure_pas_default(void **state)
{
    (void)state;
    smmuv3_mem *m = smmuv3_mem_new();
    smmuv3_host h;
    smmuv3_host_from_mem(&h, m);
    smmuv3_config c;
    smmuv3_config_default(&c);
    smmuv3 *s;
    assert_int_equal(smmuv3_new(&c, &h, &s), 0);
    const uint64_t st = 0x40000;
    uint8_t ste[SMMUV3_STE_BYTES] = { 0 };
    assert_int_equal(smmuv3_ste_bypass(ste), 0);
    assert_int_equal(smmuv3_mem_write(m, st + 3 * SMMUV3_STE_BYTES, ste, sizeof(ste)), 0);
    smmuv3_mmio_write_sec(s, 0x8080, st, 8, true);          /* SMMU_S_STRTAB_BASE */
    smmuv3_mmio_write_sec(s, 0x8088, 4, 4, true);           /* S_STRTAB_BASE_CFG: linear, 16 STEs */
    smmuv3_mmio_write_sec(s, 0x8020, 1, 4, true);           /* S_CR0.SMMUEN */
    assert_int_equal(smmuv3_mmio_read_sec(s, 0x8024, 4, true) & 1, 1);
    assert_int_equal(smmuv3_mmio_read(s, 0x8024, 4), 0);    /* the Non-secure access: RAZ */
    smmuv3_txn t = { .sid = 3, .addr = 0x123456, .flags = SMMUV3_TXN_SECURE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(s, &t, &r), 0);
    assert_int_equal(r.pa, 0x123456);
    assert_false(r.attrs.ns);
    /* a Secure StreamID whose STE is invalid in that same memory: C_BAD_STE */
    t.sid = 4;
    assert_int_equal(smmuv3_translate(s, &t, &r), SMMUV3_XLATE_ABORT);
    /* the Non-secure stream 3: SMMUEN == 0, GBPA bypass, Non-secure */
    t.sid = 3;
    t.flags = 0;
    assert_int_equal(smmuv3_translate(s, &t, &r), 0);
    assert_true(r.attrs.ns);
    smmuv3_free(s);
    smmuv3_mem_free(m);
}

TEST_MAIN(test_caller_errors, test_mem_limits, test_host_from_mem, test_check_host_advertised_only,
          test_secure_pas_default)
