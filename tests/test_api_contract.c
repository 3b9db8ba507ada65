/* The API contract (shared/API.md) pinned: every fixed entry point with its
 * exact type, the fixed struct members in their fixed order, the fixed enum
 * values, and one call of each through the umbrella header only. A change of
 * a signature or of a member's position fails to compile or fails here. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "test_main.h"

/* Every entry point of API.md, assigned to a pointer of the type API.md gives. */
static void test_signatures(void **state)
{
    (void)state;
    smmuv3_mem *(*mem_new)(void) = smmuv3_mem_new;
    void (*mem_free)(smmuv3_mem *) = smmuv3_mem_free;
    int (*mem_read)(smmuv3_mem *, uint64_t, void *, size_t) = smmuv3_mem_read;
    int (*mem_write)(smmuv3_mem *, uint64_t, const void *, size_t) = smmuv3_mem_write;
    int (*mem_add_abort)(smmuv3_mem *, uint64_t, uint64_t) = smmuv3_mem_add_abort;
    void (*host_from_mem)(smmuv3_host *, smmuv3_mem *) = smmuv3_host_from_mem;
    void (*config_default)(smmuv3_config *) = smmuv3_config_default;
    int (*config_validate)(const smmuv3_config *, char *, size_t) = smmuv3_config_validate;
    int (*new_)(const smmuv3_config *, const smmuv3_host *, smmuv3 **) = smmuv3_new;
    void (*free_)(smmuv3 *) = smmuv3_free;
    void (*reset)(smmuv3 *) = smmuv3_reset;
    uint64_t (*mmio_read)(smmuv3 *, uint64_t, unsigned) = smmuv3_mmio_read;
    void (*mmio_write)(smmuv3 *, uint64_t, uint64_t, unsigned) = smmuv3_mmio_write;
    int (*translate)(smmuv3 *, const smmuv3_txn *, smmuv3_result *) = smmuv3_translate;
    smmuv3_testdev *(*td_new)(smmuv3 *, const smmuv3_host *, uint32_t) = smmuv3_testdev_new;
    void (*td_free)(smmuv3_testdev *) = smmuv3_testdev_free;
    uint32_t (*td_read)(smmuv3_testdev *, uint64_t) = smmuv3_testdev_read;
    void (*td_write)(smmuv3_testdev *, uint64_t, uint32_t) = smmuv3_testdev_write;
    int (*ats)(smmuv3 *, const smmuv3_txn *, smmuv3_ats_result *) = smmuv3_ats_translate;
    int (*pri)(smmuv3 *, const smmuv3_pri_req *) = smmuv3_pri_request;
    int (*classify)(const smmuv3 *, const uint64_t[8], smmuv3_vste *) = smmuv3_vste_classify;
    void (*set_sink)(smmuv3 *, smmuv3_inval_sink, void *) = smmuv3_set_inval_sink;
    int (*check_host)(const smmuv3_config *, const uint32_t[6], char *, size_t) = smmuv3_config_check_host;
    int (*save)(const smmuv3 *, void *, size_t, size_t *) = smmuv3_save;
    int (*restore)(smmuv3 *, const void *, size_t) = smmuv3_restore;
    void (*set_diag)(smmuv3 *, void (*)(void *, const smmuv3_diag *), void *) = smmuv3_set_diag;
    uint64_t (*read_sec)(smmuv3 *, uint64_t, unsigned, bool) = smmuv3_mmio_read_sec;
    void (*write_sec)(smmuv3 *, uint64_t, uint64_t, unsigned, bool) = smmuv3_mmio_write_sec;
    const void *all[] = { (const void *)mem_new, (const void *)mem_free, (const void *)mem_read,
        (const void *)mem_write, (const void *)mem_add_abort, (const void *)host_from_mem,
        (const void *)config_default, (const void *)config_validate, (const void *)new_,
        (const void *)free_, (const void *)reset, (const void *)mmio_read, (const void *)mmio_write,
        (const void *)translate, (const void *)td_new, (const void *)td_free, (const void *)td_read,
        (const void *)td_write, (const void *)ats, (const void *)pri, (const void *)classify,
        (const void *)set_sink, (const void *)check_host, (const void *)save, (const void *)restore,
        (const void *)set_diag, (const void *)read_sec, (const void *)write_sec };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        assert_non_null(all[i]);
}

/* Members in API.md's order (fields may only be added at the end). */
#define BEFORE(T, a, b) assert_true(offsetof(T, a) < offsetof(T, b))
static void test_layouts(void **state)
{
    (void)state;
    BEFORE(smmuv3_host, ctx, read);
    BEFORE(smmuv3_host, read, write);
    BEFORE(smmuv3_host, write, irq);
    BEFORE(smmuv3_host, irq, atc_inv);
    BEFORE(smmuv3_host, atc_inv, pri_resp);
    BEFORE(smmuv3_host, pri_resp, read_secure);
    BEFORE(smmuv3_host, read_secure, write_secure);
    BEFORE(smmuv3_txn, sid, ssid);
    BEFORE(smmuv3_txn, ssid, ssv);
    BEFORE(smmuv3_txn, ssv, addr);
    BEFORE(smmuv3_txn, addr, flags);
    BEFORE(smmuv3_ats_result, status, addr);
    BEFORE(smmuv3_ats_result, addr, size);
    BEFORE(smmuv3_ats_result, size, perm);
    BEFORE(smmuv3_ats_result, perm, priv);
    BEFORE(smmuv3_ats_result, priv, global);
    BEFORE(smmuv3_atc_inv, sid, ssid);
    BEFORE(smmuv3_atc_inv, ssid, ssv);
    BEFORE(smmuv3_atc_inv, ssv, global);
    BEFORE(smmuv3_atc_inv, global, addr);
    BEFORE(smmuv3_atc_inv, addr, size);
    BEFORE(smmuv3_pri_req, sid, ssid);
    BEFORE(smmuv3_pri_req, ssid, ssv);
    BEFORE(smmuv3_pri_req, ssv, addr);
    BEFORE(smmuv3_pri_req, addr, perm);
    BEFORE(smmuv3_pri_req, perm, priv);
    BEFORE(smmuv3_pri_req, priv, prgi);
    BEFORE(smmuv3_pri_req, prgi, last);
    BEFORE(smmuv3_pri_resp, sid, ssid);
    BEFORE(smmuv3_pri_resp, ssid, ssv);
    BEFORE(smmuv3_pri_resp, ssv, prgi);
    BEFORE(smmuv3_pri_resp, prgi, resp);
    BEFORE(smmuv3_vste, kind, ste);
    BEFORE(smmuv3_diag, code, sid);
    BEFORE(smmuv3_diag, sid, ssid);
    BEFORE(smmuv3_diag, ssid, addr);
    BEFORE(smmuv3_diag, addr, msg);
    /* the types API.md gives */
    smmuv3_ats_result a;
    smmuv3_pri_req r;
    smmuv3_atc_inv v;
    smmuv3_vste k;
    assert_int_equal(sizeof(a.addr), 8);
    assert_int_equal(sizeof(a.size), 8);
    assert_int_equal(sizeof(a.perm), 1);
    assert_int_equal(sizeof(r.prgi), 2);
    assert_int_equal(sizeof(r.perm), 1);
    assert_int_equal(sizeof(v.size), 8);
    assert_int_equal(sizeof(k.ste), 16);
    smmuv3_result res;
    assert_int_equal(sizeof(res.pa), 8);
    assert_int_equal(sizeof(res.event), 1);
    res.attrs.ns = 1;
    assert_true(res.attrs.ns);
    smmuv3_config cfg;
    cfg.tlb_entries = cfg.cfg_entries = cfg.walk_entries = 1;
    cfg.fastpath = true;
    assert_true(cfg.fastpath);
}

static void test_constants(void **state)
{
    (void)state;
    assert_int_equal(SMMUV3_TXN_WRITE, 1);
    assert_int_equal(SMMUV3_TXN_EXEC, 2);
    assert_int_equal(SMMUV3_TXN_PRIV, 4);
    assert_int_equal(SMMUV3_TXN_TRANSLATED, 8);
    assert_int_equal(SMMUV3_TXN_SECURE, 16);
    assert_int_equal(SMMUV3_ATS_SUCCESS, 0);
    assert_int_equal(SMMUV3_ATS_UR, 1);
    assert_int_equal(SMMUV3_ATS_CA, 2);
    assert_int_equal(SMMUV3_PRI_RESP_DENY, 0);
    assert_int_equal(SMMUV3_PRI_RESP_FAIL, 1);
    assert_int_equal(SMMUV3_PRI_RESP_SUCCESS, 2);
    assert_int_equal(SMMUV3_VSTE_INVALID, 0);
    assert_int_equal(SMMUV3_VSTE_ABORT, 1);
    assert_int_equal(SMMUV3_VSTE_BYPASS, 2);
    assert_int_equal(SMMUV3_VSTE_S1, 3);
    assert_int_equal(SMMUV3_DIAG_STALE_STE, 1);
    assert_int_equal(SMMUV3_DIAG_STALE_CD, 2);
    assert_int_equal(SMMUV3_DIAG_STALE_TLB, 3);
    assert_int_equal(SMMUV3_DIAG_MISALIGNED, 4);
    assert_int_equal(SMMUV3_DIAG_UNPREDICTABLE, 5);
    assert_int_equal(SMMUV3_DIAG_QUEUE, 6);
    assert_int_equal(SMMUV3_DIAG_ERROR_IGNORED, 7);
    assert_int_equal(SMMUV3_DIAG_TAG_ALIAS, 8);
    assert_int_equal(SMMUV3_IRQ_EVENTQ, 0);
    assert_int_equal(SMMUV3_IRQ_PRIQ, 1);
    assert_int_equal(SMMUV3_IRQ_CMD_SYNC, 2);
    assert_int_equal(SMMUV3_IRQ_GERROR, 3);
}

/* The default profile advertises what API.md says it must (IDR0/IDR1 read
 * through MMIO, S_IDR1 through the Secure frame). */
static void test_default_profile(void **state)
{
    (void)state;
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host host;
    smmuv3_host_from_mem(&host, mem);
    assert_null(host.atc_inv);
    assert_null(host.pri_resp);
    assert_null(host.read_secure);
    assert_null(host.write_secure);
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    smmuv3 *s;
    assert_int_equal(smmuv3_new(&cfg, &host, &s), 0);
    uint32_t idr0 = (uint32_t)smmuv3_mmio_read(s, 0x0, 4);
    uint32_t idr1 = (uint32_t)smmuv3_mmio_read(s, 0x4, 4);
    uint32_t idr5 = (uint32_t)smmuv3_mmio_read(s, 0x14, 4);
    uint32_t idr3 = (uint32_t)smmuv3_mmio_read(s, 0xC, 4);
    assert_true(idr3 & (1u << 10));             /* RIL: range invalidation */
    assert_true((idr0 >> 2) & 2);               /* TTF: AArch64 tables */
    assert_true(idr0 & (1u << 1));              /* S1P */
    assert_true(idr0 & (1u << 0));              /* S2P */
    assert_int_equal((idr0 >> 27) & 3, 1);      /* ST_LEVEL: 2-level */
    assert_true(idr0 & (1u << 19));             /* CD2L */
    assert_true(idr0 & (1u << 13));             /* MSI */
    assert_true(idr0 & (1u << 10));             /* ATS */
    assert_true(idr0 & (1u << 16));             /* PRI */
    assert_true(idr0 & (1u << 12));             /* ASID16 */
    assert_true(idr0 & (1u << 18));             /* VMID16 */
    assert_int_equal((idr0 >> 21) & 3, 2);      /* TTENDIAN: little-endian */
    assert_true((idr1 & 0x3f) >= 16);           /* SIDSIZE */
    assert_true(((idr1 >> 6) & 0x1f) >= 8);     /* SSIDSIZE */
    assert_true(((idr1 >> 11) & 0x1f) >= 8);    /* PRIQS */
    assert_int_equal(idr5 & 7, 5);              /* OAS 48 bits */
    assert_true(idr5 & (1u << 4));              /* GRAN4K */
    assert_true(idr5 & (1u << 5));              /* GRAN16K */
    assert_true(idr5 & (1u << 6));              /* GRAN64K */
    uint32_t s_idr1 = (uint32_t)smmuv3_mmio_read_sec(s, 0x8004, 4, true);
    assert_true(s_idr1 & (1u << 31));           /* SECURE_IMPL */
    assert_int_equal(smmuv3_mmio_read_sec(s, 0x8004, 4, false), 0); /* RAZ to Non-secure */
    size_t needed = 0;
    assert_int_equal(smmuv3_save(s, NULL, 0, &needed), SMMUV3_ERANGE);
    assert_true(needed > 0);
    smmuv3_free(s);
    smmuv3_mem_free(mem);
}

TEST_MAIN(test_signatures, test_layouts, test_constants, test_default_profile)
