/* Conformance: a Secure hypervisor's SMMU driver (the sequence of Hafnium's
 * SPMC build, SECURE_WORLD == 1, written again here from what it does, not
 * from its code) brings the Secure programming interface up through
 * registers and queues alone and gives a partition's device a Secure stage 2
 * (IHI 0070 3.10, 6.3.52 ff.). The Secure and Non-secure PA spaces are
 * separate memories, so a table or queue read in the wrong space shows.
 *
 * What the driver relies on, in order:
 * - S_GBPA written with UPDATE, polled until UPDATE reads 0 (6.3.64);
 *   S_CR0.SMMUEN cleared and S_CR0ACK polled;
 * - the Non-secure ID registers read with Secure accesses (AIDR, IDR0, IDR1,
 *   IDR5), S_IDR1.SECURE_IMPL, SEL2 and S_SIDSIZE (it refuses S_SIDSIZE >= 7
 *   with a linear table, so the profile here has 6);
 * - S_CR1 table/queue attributes, S_CR2.PTM when IDR0.BTM;
 * - S_CMDQ_BASE / S_EVENTQ_BASE at the largest sizes IDR1 allows, with
 *   RA/WA hints, and their indexes zeroed; a linear Secure Stream table of
 *   2^S_SIDSIZE zeroed STEs;
 * - S_CR0.CMDQEN then EVENTQEN, each acknowledged, then S_INIT.INV_ALL
 *   polled to 0, bypass STEs (NSCFG, SHCFG "use incoming"), CMD_CFGI_ALL with
 *   SSec = 1 and CMD_SYNC, CONS polled to PROD, then SMMUEN;
 * - per device: CMD_CFGI_STE (SSec = 1, Leaf) + CMD_SYNC, a Secure stage 2
 *   STE written top dword first with V last (StreamWorld S-EL2, S2AFFD,
 *   S2PTW, S2NSA = 1, S2NSW = S2SW = S2SA = 0, S2TTB and S_S2TTB with the same
 *   48-bit IPA size and start level), CMD_CFGI_STE + CMD_SYNC again;
 * - on a command error: S_GERROR.CMDQ_ERR against S_GERRORN, the error code
 *   in S_CMDQ_CONS.ERR, acknowledged by toggling S_GERRORN.CMDQ_ERR.
 * It leaves STE.S2R = 0: its partitions' stage 2 faults abort unrecorded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "smmu_regs.h"
#include "cfgfx.h"
#include "test_main.h"
#include "twomem.h"

#define STRTAB 0x1000000ull
#define CMDQ   0x2000000ull
#define EVTQ   0x4000000ull
#define SIDBITS 6

typedef struct hf {
    twomem m;              /* m.ns, m.sec: the two PA spaces; m.s: the SMMU */
    unsigned cmdq_log2, evtq_log2;
    uint64_t next_table;   /* Secure memory for page tables */
} hf;

static uint32_t rd(hf *h, uint64_t off) { return (uint32_t)smmuv3_mmio_read_sec(h->m.s, off, 4, true); }
static void wr(hf *h, uint64_t off, uint32_t v) { smmuv3_mmio_write_sec(h->m.s, off, v, 4, true); }
static void wr64(hf *h, uint64_t off, uint64_t v) { smmuv3_mmio_write_sec(h->m.s, off, v, 8, true); }
static void sput64(hf *h, uint64_t pa, uint64_t v) { assert_int_equal(smmuv3_mem_write(h->m.sec, pa, &v, 8), 0); }
static uint64_t sget64(hf *h, uint64_t pa)
{
    uint64_t v = 0;
    assert_int_equal(smmuv3_mem_read(h->m.sec, pa, &v, 8), 0);
    return v;
}

/* The driver's poll loop: a bounded number of reads until (v & mask) == (exp & mask). */
static void poll(hf *h, uint64_t off, uint32_t exp, uint32_t mask)
{
    for (int i = 0; i < 1000; i++)
        if ((rd(h, off) & mask) == (exp & mask))
            return;
    fail_msg("register 0x%llx never read 0x%x under mask 0x%x", (unsigned long long)off, exp, mask);
}

static void issue(hf *h, uint64_t w0, uint64_t w1)
{
    uint32_t prod = rd(h, S_CMDQ_PROD), mask = (1u << h->cmdq_log2) - 1;
    uint32_t idx = prod & mask;
    sput64(h, CMDQ + idx * 16ull, w0);
    sput64(h, CMDQ + idx * 16ull + 8, w1);
    uint32_t next = (prod & ((mask << 1) | 1)) + 1;   /* index and wrap bit */
    wr(h, S_CMDQ_PROD, next & ((mask << 1) | 1));
    assert_int_equal(rd(h, S_CMDQ_PROD), next & ((mask << 1) | 1));
}

static void sync_and_wait(hf *h)
{
    issue(h, 0x46, 0);                                  /* CMD_SYNC, CS = none */
    uint32_t wrap_idx = (2u << h->cmdq_log2) - 1;
    poll(h, S_CMDQ_CONS, rd(h, S_CMDQ_PROD), wrap_idx);
}

static hf *hf_new(void)
{
    hf *h = test_calloc(1, sizeof(*h));
    smmuv3_config c = CFGFX(CF(s_sidsize, SIDBITS));
    twomem_init(&h->m, &c);
    h->next_table = 0x8000000;
    return h;
}

static void hf_free(hf *h)
{
    twomem_fini(&h->m);
    test_free(h);
}

/* The whole Secure bring-up; checks what the driver checks on the way. */
static void bringup(hf *h)
{
    /* global bypass while disabled: SHCFG "use incoming", the rest 0 */
    uint32_t gbpa = 1u << 12;
    wr(h, S_GBPA, gbpa | 1u << 31);
    poll(h, S_GBPA, gbpa, 1u << 31);
    assert_int_equal(rd(h, S_GBPA), gbpa);
    uint32_t cr0 = rd(h, S_CR0) & ~1u;
    wr(h, S_CR0, cr0);
    poll(h, S_CR0ACK, cr0, 1);

    /* Secure reads of the Non-secure ID registers are the Non-secure values */
    for (unsigned off = 0; off <= AIDR; off += 4)
        assert_int_equal(rd(h, off), (uint32_t)smmuv3_mmio_read(h->m.s, off, 4));
    assert_true((rd(h, AIDR) & 0xF) <= 2);              /* it knows SMMUv3.0..3.2 */
    uint32_t idr0 = rd(h, IDR0), idr1 = rd(h, IDR1), s_idr1 = rd(h, S_IDR1);
    assert_true(((idr0 >> 27) & 3) <= 1);               /* ST_LEVEL: linear (and 2-level) */
    assert_int_not_equal((idr0 >> 21) & 3, 3);          /* TTENDIAN */
    assert_int_equal((idr0 >> 2) & 3, 2);               /* TTF: AArch64 */
    assert_true(idr0 & 2);                              /* S1P: Secure state needs stage 1 */
    assert_int_equal((idr1 >> 29) & 3, 0);              /* no TABLES_PRESET/QUEUES_PRESET */
    assert_true(s_idr1 >> 31);                          /* SECURE_IMPL */
    assert_true((s_idr1 >> 29) & 1);                    /* SEL2 */
    assert_int_equal(s_idr1 & 0x3F, SIDBITS);           /* S_SIDSIZE */
    assert_int_equal(rd(h, IDR5) & 7, 5);               /* OAS 48 */
    h->cmdq_log2 = (idr1 >> 21) & 0x1F;
    h->evtq_log2 = (idr1 >> 16) & 0x1F;

    uint32_t cr1 = 3u << 10 | 1u << 8 | 1u << 6 | 3u << 4 | 1u << 2 | 1u;   /* ISH, WB for tables and queues */
    wr(h, S_CR1, cr1);
    assert_int_equal(rd(h, S_CR1), cr1);
    if (idr0 & (1u << 5)) {                              /* BTM: PTM */
        wr(h, S_CR2, rd(h, S_CR2) | 1u << 2);
        assert_true(rd(h, S_CR2) & (1u << 2));
    }

    wr64(h, S_CMDQ_BASE, CMDQ | 1ull << 62 | h->cmdq_log2);
    wr(h, S_CMDQ_CONS, 0);
    wr(h, S_CMDQ_PROD, 0);
    wr64(h, S_EVENTQ_BASE, EVTQ | 1ull << 62 | h->evtq_log2);
    wr(h, S_EVENTQ_PROD, 0);
    wr(h, S_EVENTQ_CONS, 0);
    wr(h, S_STRTAB_BASE_CFG, SIDBITS);                  /* FMT linear */
    wr64(h, S_STRTAB_BASE, STRTAB | 1ull << 62);
    for (unsigned sid = 0; sid < 1u << SIDBITS; sid++)
        for (unsigned d = 0; d < 8; d++)
            sput64(h, STRTAB + sid * 64ull + d * 8, 0);

    cr0 |= 1u << 3;                                     /* CMDQEN */
    wr(h, S_CR0, cr0);
    poll(h, S_CR0ACK, cr0, 1u << 3);
    cr0 |= 1u << 2;                                     /* EVENTQEN */
    wr(h, S_CR0, cr0);
    poll(h, S_CR0ACK, cr0, 1u << 2);
    wr(h, S_INIT, 1);                                   /* INV_ALL */
    poll(h, S_INIT, 0, 1);

    /* every stream bypasses, attributes and NS from the device */
    for (unsigned sid = 0; sid < 1u << SIDBITS; sid++) {
        sput64(h, STRTAB + sid * 64ull, 0);
        sput64(h, STRTAB + sid * 64ull + 8, 1ull << 44);   /* SHCFG use incoming; NSCFG 0: use incoming */
        sput64(h, STRTAB + sid * 64ull, 1 | 4u << 1);      /* V, Config bypass */
    }
    issue(h, 0x04 | 1u << 10, 31);                      /* CMD_CFGI_ALL, SSec */
    sync_and_wait(h);
    assert_int_equal(rd(h, S_GERROR) & 1, rd(h, S_GERRORN) & 1);

    cr0 |= 1;
    wr(h, S_CR0, cr0);
    poll(h, S_CR0ACK, cr0, 1);
}

static int xl(hf *h, uint32_t sid, uint64_t addr, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = addr, .flags = SMMUV3_TXN_SECURE | flags };
    return smmuv3_translate(h->m.s, &t, r);
}

static void test_bringup_bypass(void **state)
{
    (void)state;
    hf *h = hf_new();
    bringup(h);
    smmuv3_result r;
    assert_int_equal(xl(h, 3, 0x8765432, 0, &r), SMMUV3_XLATE_OK);
    assert_true(r.bypass);
    assert_int_equal(r.pa, 0x8765432);
    assert_false(r.attrs.ns);
    assert_int_equal(xl(h, 3, 0x8765432, SMMUV3_TXN_NS, &r), SMMUV3_XLATE_OK);
    assert_true(r.attrs.ns);                            /* NSCFG "use incoming" */
    assert_int_equal(rd(h, S_EVENTQ_PROD), 0);
    assert_int_equal(rd(h, S_GERROR), rd(h, S_GERRORN));
    /* nothing of the Secure bring-up reached Non-secure memory */
    assert_int_equal(smmuv3_mem_pages(h->m.ns), 0);
    hf_free(h);
}

/* 4-level 4K stage 2 tables in Secure memory: IPA -> leaf. */
static void map4(hf *h, uint64_t root, uint64_t ipa, uint64_t leaf)
{
    uint64_t table = root;
    for (int level = 0; level < 3; level++) {
        uint64_t slot = table + ((ipa >> (39 - 9 * level)) & 0x1FF) * 8;
        uint64_t d = sget64(h, slot);
        if (!(d & 1)) {
            h->next_table += 0x1000;
            d = h->next_table | 3;
            sput64(h, slot, d);
        }
        table = d & 0xFFFFFFFFF000ull;
    }
    sput64(h, table + ((ipa >> 12) & 0x1FF) * 8, leaf);
}

/* S2AP RW, MemAttr Normal WB, SH inner, no AF (S2AFFD = 1 makes that no fault) */
#define S2PAGE(pa) ((pa) | 3u | 3u << 6 | 0xFu << 2 | 3u << 8)

static void configure_stream(hf *h, uint32_t sid, uint16_t vmid, uint64_t s_root, uint64_t ns_root)
{
    issue(h, 0x03 | 1u << 10 | (uint64_t)sid << 32, 1);   /* CMD_CFGI_STE, SSec, Leaf */
    sync_and_wait(h);
    uint64_t ste[8] = { 0 };
    ste[0] = 1 | 6u << 1;                                 /* V, Config stage 2 only */
    ste[1] = 2ull << 30;                                  /* STRW S-EL2 */
    ste[2] = vmid | 16ull << 32 | 2ull << 38 | 1ull << 40 | 1ull << 42 | 3ull << 44 |
             5ull << 48 | 1ull << 51 | 1ull << 53 | 1ull << 54;   /* T0SZ 16, SL0 2, WB ISH, 4K, PS 48, AA64, AFFD, PTW */
    ste[3] = 1ull << 1 | (ns_root & 0xFFFFFFFFFFF0ull);   /* S2NSA, S2TTB */
    ste[4] = 16ull << 32 | 2ull << 38;                    /* S_S2T0SZ 16, S_S2SL0 2, S_S2TG 4K */
    ste[6] = s_root & 0xFFFFFFFFFFF0ull;                  /* S2SW = S2SA = 0, S_S2TTB */
    uint64_t at = STRTAB + sid * 64ull;
    sput64(h, at, 0);
    for (int d = 7; d >= 0; d--)
        sput64(h, at + d * 8ull, ste[d]);
    issue(h, 0x03 | 1u << 10 | (uint64_t)sid << 32, 1);
    sync_and_wait(h);
}

static void test_secure_stage2_partition(void **state)
{
    (void)state;
    hf *h = hf_new();
    bringup(h);
    uint64_t s_root = 0x6000000, ns_root = 0x7000000;
    map4(h, s_root, 0x80001000, S2PAGE(0x90001000ull));
    map4(h, ns_root, 0x80001000, S2PAGE(0xA0001000ull));
    configure_stream(h, 2, 1, s_root, ns_root);

    smmuv3_result r;
    assert_int_equal(xl(h, 2, 0x80001234, 0, &r), SMMUV3_XLATE_OK);     /* Secure IPA space */
    assert_int_equal(r.pa, 0x90001234);
    assert_false(r.attrs.ns);                                         /* S2SA = 0 */
    assert_int_equal(xl(h, 2, 0x80001234, SMMUV3_TXN_NS, &r), SMMUV3_XLATE_OK);
    assert_int_equal(r.pa, 0xA0001234);                               /* S2TTB, walked in Secure memory (S2NSW = 0) */
    assert_true(r.attrs.ns);                                          /* S2NSA = 1 */
    /* other streams still bypass */
    assert_int_equal(xl(h, 5, 0x80001234, 0, &r), SMMUV3_XLATE_OK);
    assert_int_equal(r.pa, 0x80001234);

    /* an unmapped IPA: the driver leaves S2R = 0, so the stage 2 fault
     * terminates the transaction and is not recorded (5.2 S2R, 3.12.2) */
    assert_int_equal(xl(h, 2, 0x80005000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    assert_int_equal(rd(h, S_EVENTQ_PROD), 0);
    /* with S2R = 1 it is F_TRANSLATION, in the Secure Event queue only */
    sput64(h, STRTAB + 2 * 64 + 16, sget64(h, STRTAB + 2 * 64 + 16) | 1ull << 58);
    issue(h, 0x03 | 1u << 10 | 2ull << 32, 1);
    sync_and_wait(h);
    assert_int_equal(xl(h, 2, 0x80005000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(rd(h, S_EVENTQ_PROD), 1);
    assert_int_equal(smmuv3_mmio_read(h->m.s, EVENTQ_PROD, 4), 0);
    TM_EXPECT_EVENT(h->m.sec, EVTQ, { "eventid", SMMUV3_EVT_F_TRANSLATION }, { "streamid", 2 }, { "s2", 1 },
                    { "inputaddr", 0x80005000 });

    /* remapped, then CFGI_STE + SYNC as the driver does: the new mapping is seen */
    map4(h, s_root, 0x80005000, S2PAGE(0x90005000ull));
    configure_stream(h, 2, 1, s_root, ns_root);
    assert_int_equal(xl(h, 2, 0x80005010, 0, &r), SMMUV3_XLATE_OK);
    assert_int_equal(r.pa, 0x90005010);
    hf_free(h);
}

/* A Reserved opcode on the Secure queue: S_GERROR.CMDQ_ERR and CERROR_ILL in
 * S_CMDQ_CONS.ERR (7.1), acknowledged through S_GERRORN as the driver does. */
static void test_secure_cmdq_error(void **state)
{
    (void)state;
    hf *h = hf_new();
    bringup(h);
    issue(h, 0x19, 0);                                  /* Reserved opcode */
    assert_int_not_equal(rd(h, S_GERROR) & 1, rd(h, S_GERRORN) & 1);
    assert_int_equal((rd(h, S_CMDQ_CONS) >> 24) & 0x7F, 1);   /* CERROR_ILL */
    assert_int_equal(smmuv3_mmio_read(h->m.s, 0x60, 4), 0);       /* the Non-secure GERROR is not told */
    /* the command is still at CONS: acknowledged as it is, it fails again
     * (7.1); replaced by a CMD_SYNC first, the queue drains */
    uint32_t cons = rd(h, S_CMDQ_CONS) & ((1u << h->cmdq_log2) - 1);
    wr(h, S_GERRORN, rd(h, S_GERRORN) ^ 1);
    assert_int_not_equal(rd(h, S_GERROR) & 1, rd(h, S_GERRORN) & 1);
    sput64(h, CMDQ + cons * 16ull, 0x46);
    wr(h, S_GERRORN, rd(h, S_GERRORN) ^ 1);
    assert_int_equal(rd(h, S_GERROR) & 1, rd(h, S_GERRORN) & 1);
    assert_int_equal(rd(h, S_CMDQ_CONS) & 0xFFFFF, rd(h, S_CMDQ_PROD));
    hf_free(h);
}

TEST_MAIN(test_bringup_bypass, test_secure_stage2_partition, test_secure_cmdq_error)
