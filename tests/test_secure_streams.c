/* Unit tests: Secure streams (IHI 0070 3.10, 5.2 NSCFG/STRW/S2SW..S2NSA/S_S2TTB,
 * 6.3.57 SIF/NSSTALLD): the Secure Stream table, walks in the PA space that
 * CD.NSCFGn, NSTable and NS choose, Secure stage 2's two IPA spaces, events in
 * the Secure Event queue, and isolation from Non-secure streams and their
 * caches. The host keeps the two PA spaces in separate memories. */
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

#define STRTAB 0x100000ull   /* both Stream tables at this address, each in its own PA space */
#define CMDQ   0x200000ull
#define EVTQ   0x300000ull
#define CDADDR 0x400000ull
#define TTB    0x500000ull
#define S2TTB  0x600000ull
#define ON     (1u | 4u | 8u)  /* SMMUEN, EVENTQEN, CMDQEN */

static void put64(smmuv3_mem *m, uint64_t pa, uint64_t v) { assert_int_equal(smmuv3_mem_write(m, pa, &v, 8), 0); }

/* Both interfaces up: 16-entry linear Stream tables, queues of 16. */
static void fx_up(twomem *f) { twomem_up(f, STRTAB, CMDQ, EVTQ, 4); }

/* The tests' fixture (TEST_MAIN_FX): the default profile, both interfaces up. */
static int fx_setup(void **state)
{
    twomem_setup(state);
    fx_up(*state);
    return 0;
}

static void write_ste(smmuv3_mem *m, uint32_t sid, const uint8_t ste[64])
{
    assert_int_equal(smmuv3_mem_write(m, STRTAB + sid * 64ull, ste, 64), 0);
}

/* A stage 1 STE with one CD at CDADDR: TTB0 = TTB, 4K, T0SZ 25, CD.NSCFG0 as given. */
static void s1_stream(smmuv3_mem *m, uint32_t sid, unsigned strw, bool nscfg0)
{
    uint8_t ste[64] = { 0 }, cd[64] = { 0 };
    assert_int_equal(smmuv3_ste_s1(ste, CDADDR, 0, 0), 0);
    assert_int_equal(smmuv3_ste_set(ste, "strw", strw), 0);
    write_ste(m, sid, ste);
    smmuv3_cd_params p = { .ttb0 = TTB, .t0sz = 25, .granule = 12, .ips = 48, .asid = 5 };
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(smmuv3_cd_set(cd, "nscfg0", nscfg0), 0);
    assert_int_equal(smmuv3_mem_write(m, CDADDR, cd, 64), 0);
}

#define PAGE(pa, ns) ((pa) | 3u | 1u << 10 | 1u << 6 | ((ns) ? 1u << 5 : 0))   /* AF, AP=01 (RW, EL0) */
#define TABLE(pa, nst) ((pa) | 3u | ((nst) ? 1ull << 63 : 0))

/* Three levels for VA `va` from `ttb`: L1 in m1, L2/L3 in m2 (tables at ttb + 0x1000, + 0x2000). */
static void map3(smmuv3_mem *m1, smmuv3_mem *m2, uint64_t ttb, uint64_t va, uint64_t leaf, bool nstable)
{
    put64(m1, ttb + ((va >> 30) & 0x1ff) * 8, TABLE(ttb + 0x1000, nstable));
    put64(m2, ttb + 0x1000 + ((va >> 21) & 0x1ff) * 8, TABLE(ttb + 0x2000, false));
    put64(m2, ttb + 0x2000 + ((va >> 12) & 0x1ff) * 8, leaf);
}

static int xl(twomem *f, uint32_t sid, uint64_t va, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = va, .flags = flags };
    return smmuv3_translate(f->s, &t, r);
}

#define SEC SMMUV3_TXN_SECURE

/* A translation that must succeed, to `pa` in the PA space `ns` says. */
static void xl_ok(twomem *f, uint32_t sid, uint64_t va, uint32_t flags, uint64_t pa, bool ns)
{
    smmuv3_result r = { 0 };
    int rc = xl(f, sid, va, flags, &r);
    if (rc != 0 || r.pa != pa || r.attrs.ns != ns)
        fail_msg("StreamID %u VA 0x%llx flags 0x%x: rc %d PA 0x%llx NS %d; expected 0, 0x%llx, NS %d", sid,
                 (unsigned long long)va, flags, rc, (unsigned long long)r.pa, r.attrs.ns, (unsigned long long)pa, ns);
}

/* ------------------------------------------------------------ stage 1 and the output PA space */
/* Secure stream 1 (stage 1, tables in Secure memory): VA 0x40001000 ->
 * 0x9000000 and 0x40002000 -> 0x9001000, the leaves' NS bits as given. */
static void two_pages(twomem *f, bool ns1, bool ns2)
{
    s1_stream(f->sec, 1, 0, false);
    map3(f->sec, f->sec, TTB, 0x40001000, PAGE(0x9000000, ns1), false);
    map3(f->sec, f->sec, TTB, 0x40002000, PAGE(0x9001000, ns2), false);
}

static void test_secure_s1_ns_bit(void **state)
{
    twomem *f = *state;
    two_pages(f, false, true);
    smmuv3_result r;
    xl_ok(f, 1, 0x40001234, SEC, 0x9000234, false);                       /* leaf NS = 0, Secure tables: Secure */
    xl_ok(f, 1, 0x40002010, SEC, 0x9001010, true);                        /* leaf NS = 1 */
    /* the Non-secure stream 1 does not exist (zeroed Non-secure table): C_BAD_STE there */
    assert_int_equal(xl(f, 1, 0x40001234, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 1);
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 0);
}

static void test_secure_s1_nstable_and_nscfg(void **state)
{
    twomem *f = *state;
    /* NSTable at level 1: the level 2 and 3 tables are read from Non-secure memory,
     * and the output is Non-secure whatever the leaf's NS bit */
    s1_stream(f->sec, 2, 0, false);
    map3(f->sec, f->ns, TTB, 0x40003000, PAGE(0x9003000, false), true);
    xl_ok(f, 2, 0x40003000, SEC, 0x9003000, true);
    /* CD.NSCFG0 = 1: the whole walk in Non-secure memory, output Non-secure */
    s1_stream(f->sec, 3, 0, true);
    map3(f->ns, f->ns, TTB, 0x40005000, PAGE(0x9005000, false), false);
    xl_ok(f, 3, 0x40005000, SEC, 0x9005000, true);
}

/* A Non-secure stream ignores NS, NSTable and NSCFG: everything Non-secure. */
static void test_ns_stream_ignores_ns_bits(void **state)
{
    twomem *f = *state;
    s1_stream(f->ns, 4, 0, false);
    put64(f->ns, TTB + 1 * 8, TABLE(TTB + 0x1000, true));
    put64(f->ns, TTB + 0x1000, TABLE(TTB + 0x2000, false));
    put64(f->ns, TTB + 0x2000 + 6 * 8, PAGE(0x9006000, false));
    /* the same addresses in Secure memory hold a different, valid mapping */
    map3(f->sec, f->sec, TTB, 0x40006000, PAGE(0x7006000, false), false);
    xl_ok(f, 4, 0x40006000, 0, 0x9006000, true);
}

/* ------------------------------------------------------------ isolation */
static void test_stream_tables_and_caches_apart(void **state)
{
    twomem *f = *state;
    /* StreamID 1 in both tables, same addresses, different memories */
    s1_stream(f->sec, 1, 0, false);
    map3(f->sec, f->sec, TTB, 0x40001000, PAGE(0x7000000, false), false);
    s1_stream(f->ns, 1, 0, false);
    map3(f->ns, f->ns, TTB, 0x40001000, PAGE(0x8000000, false), false);
    for (int round = 0; round < 2; round++) {   /* the second round hits the caches */
        xl_ok(f, 1, 0x40001000, SEC, 0x7000000, false);
        xl_ok(f, 1, 0x40001000, 0, 0x8000000, true);
    }
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_true(st.tlb_hits + st.cfg_hits > 0);
}

static void put_cmd(smmuv3_mem *m, unsigned idx, uint64_t w0, uint64_t w1)
{
    put64(m, CMDQ + idx * 16ull, w0);
    put64(m, CMDQ + idx * 16ull + 8, w1);
}

/* CFGI scope: a Non-secure CFGI_STE leaves the Secure stream's cached STE;
 * the Secure one with SSec = 1 reaches it; S_INIT.INV_ALL empties everything. */
static void test_cfgi_scope_and_inv_all(void **state)
{
    twomem *f = *state;
    uint8_t ste[64] = { 0 };
    smmuv3_ste_bypass(ste);
    write_ste(f->sec, 6, ste);
    smmuv3_result r;
    assert_int_equal(xl(f, 6, 0x1000, SEC, &r), 0);          /* cached: bypass */
    smmuv3_ste_abort(ste);
    write_ste(f->sec, 6, ste);
    put_cmd(f->ns, 0, 0x03 | 6ull << 32, 1);                  /* Non-secure CFGI_STE(6) */
    tm_nw32(f, CMDQ_PROD, 1);
    assert_int_equal(xl(f, 6, 0x1000, SEC, &r), 0);          /* still the cached bypass */
    put_cmd(f->sec, 0, 0x03 | 1u << 10 | 6ull << 32, 1);      /* Secure CFGI_STE(6), SSec = 1 */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), 1);
    assert_int_equal(xl(f, 6, 0x1000, SEC, &r), SMMUV3_XLATE_ABORT);
    /* INV_ALL: back to bypass in memory; with every SMMUEN 0 the write empties the caches */
    smmuv3_ste_bypass(ste);
    write_ste(f->sec, 6, ste);
    tm_sw32(f, S_CR0, 0);
    tm_nw32(f, CR0, 0);
    tm_sw32(f, S_INIT, 1);
    assert_int_equal(tm_sr32(f, S_INIT), 0);
    tm_sw32(f, S_CR0, ON);
    assert_int_equal(xl(f, 6, 0x1000, SEC, &r), 0);
}

/* 3.17.1: a Secure stream's translation whose descriptor is fetched from
 * Non-secure memory (here below an NSTable == 1 table descriptor, no stage 2)
 * is non-global whatever its nG bit: a Secure CMD_TLBI_NH_ASID of the
 * stream's ASID removes it (ASIDE1 scope leaves global entries alone). */
static void test_secure_nstable_leaf_not_global(void **state)
{
    twomem *f = *state;
    s1_stream(f->sec, 2, 0, false);
    map3(f->sec, f->ns, TTB, 0x40003000, PAGE(0x9003000, false), true);   /* nG == 0 */
    xl_ok(f, 2, 0x40003000, SEC, 0x9003000, true);
    map3(f->sec, f->ns, TTB, 0x40003000, PAGE(0x9004000, false), true);
    xl_ok(f, 2, 0x40003000, SEC, 0x9003000, true);                       /* cached */
    put_cmd(f->sec, 0, 0x11 | 5ull << 48, 0);                             /* TLBI_NH_ASID(ASID 5) */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), 1);
    xl_ok(f, 2, 0x40003000, SEC, 0x9004000, true);
}

/* ------------------------------------------------------------ bypass: NSCFG */
static void test_bypass_nscfg(void **state)
{
    twomem *f = *state;
    /* NSCFG x input NS -> output NS: 0b00/0b01 use incoming, 0b10 Secure, 0b11 Non-secure */
    static const bool want[4][2] = { { false, true }, { false, true }, { false, false }, { true, true } };
    for (unsigned nscfg = 0; nscfg < 4; nscfg++) {
        uint8_t ste[64] = { 0 };
        smmuv3_ste_bypass(ste);
        assert_int_equal(smmuv3_ste_set(ste, "nscfg", nscfg), 0);
        write_ste(f->sec, 8 + nscfg, ste);
        write_ste(f->ns, 8 + nscfg, ste);
        for (unsigned in = 0; in < 2; in++) {
            smmuv3_result r;
            assert_int_equal(xl(f, 8 + nscfg, 0x2000, SEC | (in ? SMMUV3_TXN_NS : 0), &r), 0);
            assert_int_equal(r.attrs.ns, want[nscfg][in]);
            /* a Non-secure stream's NSCFG is IGNORED: always Non-secure */
            assert_int_equal(xl(f, 8 + nscfg, 0x2000, in ? SMMUV3_TXN_NS : 0, &r), 0);
            assert_true(r.attrs.ns);
        }
    }
}

/* ------------------------------------------------------------ Secure stage 2 */
/* Stage 2 only: 4K, S2T0SZ 25, start level 1; S2TTB for the Non-secure IPA
 * space, S_S2TTB for the Secure one. */
static void s2_stream(twomem *f, uint32_t sid, unsigned nscfg, unsigned sw, unsigned sa, unsigned nsw, unsigned nsa)
{
    uint8_t ste[64] = { 0 };
    smmuv3_s2_params p = { .ttb = S2TTB, .tsz = 25, .sl0 = 1, .granule = 12, .ps = 48, .vmid = 3 };
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2ttb", S2TTB + 0x10000), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2t0sz", 25), 0);   /* the Secure IPA space: as S2* */
    assert_int_equal(smmuv3_ste_set(ste, "s_s2sl0", 1), 0);
    assert_int_equal(smmuv3_ste_set(ste, "nscfg", nscfg), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s2sw", sw), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s2sa", sa), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s2nsw", nsw), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s2nsa", nsa), 0);
    write_ste(f->sec, sid, ste);
}

#define S2PAGE(pa) ((pa) | 3u | 1u << 10 | 3u << 6 | 0xfu << 2)   /* AF, S2AP RW, MemAttr WB */

static void test_secure_s2_spaces(void **state)
{
    twomem *f = *state;
    /* Secure IPA 0x40001000 -> 0xA001000 through S_S2TTB (walks per S2SW);
     * Non-secure IPA 0x40001000 -> 0xB001000 through S2TTB (walks per S2NSW). */
    for (unsigned sw = 0; sw < 2; sw++)
        map3(sw ? f->ns : f->sec, sw ? f->ns : f->sec, S2TTB + 0x10000, 0x40001000, S2PAGE(0xA001000), false);
    for (unsigned nsw = 0; nsw < 2; nsw++)
        map3(nsw ? f->ns : f->sec, nsw ? f->ns : f->sec, S2TTB, 0x40001000, S2PAGE(0xB001000), false);
    unsigned sid = 0;
    for (unsigned sw = 0; sw < 2; sw++)
        for (unsigned sa = 0; sa < 2; sa++)
            for (unsigned nsw = 0; nsw < 2; nsw++)
                for (unsigned nsa = 0; nsa < 2; nsa++, sid = (sid + 1) & 15) {
                    s2_stream(f, sid, 0, sw, sa, nsw, nsa);
                    smmuv3_result r;
                    /* input Secure: the Secure IPA space (3.10.2.2) */
                    assert_int_equal(xl(f, sid, 0x40001000, SEC, &r), 0);
                    assert_int_equal(r.pa, 0xA001000);
                    assert_int_equal(r.attrs.ns, sw || sa);
                    /* input Non-secure: the Non-secure IPA space */
                    assert_int_equal(xl(f, sid, 0x40001000, SEC | SMMUV3_TXN_NS, &r), 0);
                    assert_int_equal(r.pa, 0xB001000);
                    assert_int_equal(r.attrs.ns, (sw || sa || nsw) ? true : (bool)nsa);
                    /* flush the cached STE before the next combination reuses the slot */
                    tm_sw32(f, S_CR0, 0);
                    tm_nw32(f, CR0, 0);
                    tm_sw32(f, S_INIT, 1);
                    tm_sw32(f, S_CR0, ON);
                    tm_nw32(f, CR0, ON);
                }
}

/* 3.17.1, nested: the Secure IPA space's stage 2 outputs to Non-secure memory
 * (STE.S2SA == 1), so the stage 1 descriptors, read from Secure IPAs, are
 * fetched from Non-secure memory: the translation is non-global whatever nG,
 * and a Secure CMD_TLBI_NH_ASID(VMID, ASID) of the stream removes it. */
static void test_secure_nested_ns_fetch_not_global(void **state)
{
    twomem *f = *state;
    uint8_t ste[64] = { 0 }, cd[64] = { 0 };
    smmuv3_s2_params p = { .ttb = S2TTB, .tsz = 25, .sl0 = 1, .granule = 12, .ps = 48, .vmid = 3 };
    assert_int_equal(smmuv3_ste_nested(ste, CDADDR, 0, 0, &p), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2ttb", S2TTB + 0x10000), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2t0sz", 25), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2sl0", 1), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s2sa", 1), 0);
    write_ste(f->sec, 4, ste);
    /* the Secure IPA space, identity over the CD, the stage 1 tables and the outputs */
    static const uint64_t ipa[] = { CDADDR, TTB, TTB + 0x1000, TTB + 0x2000, 0x9003000, 0x9004000 };
    for (unsigned i = 0; i < sizeof(ipa) / sizeof(ipa[0]); i++)
        map3(f->sec, f->sec, S2TTB + 0x10000, ipa[i], S2PAGE(ipa[i]), false);
    smmuv3_cd_params cp = { .ttb0 = TTB, .t0sz = 25, .granule = 12, .ips = 48, .asid = 5 };
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_mem_write(f->ns, CDADDR, cd, 64), 0);
    map3(f->ns, f->ns, TTB, 0x40003000, PAGE(0x9003000, false), false);   /* nG == 0 */
    xl_ok(f, 4, 0x40003000, SEC, 0x9003000, true);
    map3(f->ns, f->ns, TTB, 0x40003000, PAGE(0x9004000, false), false);
    xl_ok(f, 4, 0x40003000, SEC, 0x9003000, true);                       /* cached */
    put_cmd(f->sec, 0, 0x11 | 3ull << 32 | 5ull << 48, 0);                /* TLBI_NH_ASID(VMID 3, ASID 5) */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(tm_sr32(f, S_CMDQ_CONS), 1);
    xl_ok(f, 4, 0x40003000, SEC, 0x9004000, true);
}

/* A Secure stage 2 fault in the Non-secure IPA space: NSIPA in the Secure record. */
static void test_secure_s2_fault_nsipa(void **state)
{
    twomem *f = *state;
    s2_stream(f, 2, 3, 0, 0, 0, 0);          /* NSCFG = Non-secure: the Non-secure IPA space */
    smmuv3_result r;
    assert_int_equal(xl(f, 2, 0x40009000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_TRANSLATION);
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 1);
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 0);
    TM_EXPECT_EVENT(f->sec, EVTQ, { "nsipa", 1 }, { "s2", 1 }, { "streamid", 2 });
}

/* ------------------------------------------------------------ Secure events and ILLEGAL STEs */
static void test_secure_events_and_illegal_stes(void **state)
{
    smmuv3_config c = CFGFX(CF(sel2, false));
    twomem *f = twomem_renew(state, &c);
    fx_up(f);
    smmuv3_result r;
    s1_stream(f->sec, 1, 3, false);                    /* STRW 0b11: ILLEGAL */
    assert_int_equal(xl(f, 1, 0x40000000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    s1_stream(f->sec, 2, 2, false);                    /* S-EL2 without SEL2: ILLEGAL */
    assert_int_equal(xl(f, 2, 0x40000000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    s2_stream(f, 3, 0, 0, 0, 0, 0);                    /* Secure stage 2 without SEL2: ILLEGAL */
    assert_int_equal(xl(f, 3, 0x40000000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    s1_stream(f->sec, 4, 1, false);                    /* EL3: legal, one VA range */
    map3(f->sec, f->sec, TTB, 0x40004000, PAGE(0x9004000, false), false);
    assert_int_equal(xl(f, 4, 0x40004000, SEC, &r), 0);
    assert_int_equal(r.pa, 0x9004000);
    /* StreamID beyond S_SIDSIZE-limited LOG2SIZE: C_BAD_STREAMID (S_CR2.RECINVSID) */
    assert_int_equal(xl(f, 16, 0x1000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STREAMID);
    /* every record went to the Secure Event queue, in Secure memory */
    assert_int_equal(tm_sr32(f, S_EVENTQ_PROD), 4);
    assert_int_equal(tm_nr32(f, EVENTQ_PROD), 0);
    TM_EXPECT_EVENT(f->sec, EVTQ + 3 * 32, { "eventid", SMMUV3_EVT_C_BAD_STREAMID });
    TM_EXPECT_EVENT(f->ns, EVTQ, { "eventid", 0 });
}

/* SIF (6.3.57.2): a Secure instruction fetch to a Non-secure page is a stage 1
 * F_PERMISSION (CLASS = IN); to a Secure page it proceeds. */
static void test_sif(void **state)
{
    twomem *f = *state;
    two_pages(f, true, false);
    smmuv3_result r;
    uint32_t ifetch = SEC | SMMUV3_TXN_EXEC;   /* EL0: the page is EL0-executable */
    assert_int_equal(xl(f, 1, 0x40001000, ifetch, &r), 0);       /* SIF = 0 */
    tm_sw32(f, S_CR0, ON | 1u << 5);
    assert_int_equal(xl(f, 1, 0x40001000, ifetch, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_F_PERMISSION);
    assert_int_equal(xl(f, 1, 0x40002000, ifetch, &r), 0);
    assert_int_equal(xl(f, 1, 0x40001000, SEC, &r), 0);          /* data: fine */
    TM_EXPECT_EVENT(f->sec, EVTQ, { "class", 2 /* IN */ }, { "s2", 0 });
}

/* NSSTALLD (6.3.57.1): Non-secure stall configurations become ILLEGAL. */
static void test_nsstalld_makes_ns_stall_illegal(void **state)
{
    twomem *f = *state;
    uint8_t ste[64] = { 0 };
    smmuv3_s2_params p = { .ttb = S2TTB, .tsz = 25, .sl0 = 1, .granule = 12, .ps = 48, .vmid = 3, .stall = true };
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    write_ste(f->ns, 1, ste);
    smmuv3_result r;
    assert_int_equal(xl(f, 1, 0x40000000, 0, &r), SMMUV3_XLATE_STALL);   /* a stage 2 fault, stalled */
    assert_int_equal(smmuv3_stall_poll(f->s, 1, r.stag), SMMUV3_STALL_PENDING);
    tm_sw32(f, S_CR0, ON | 1u << 9);
    tm_nw32(f, CR0, 0);                                   /* ends the stall, empties nothing */
    assert_int_equal(smmuv3_stall_poll(f->s, 1, r.stag), SMMUV3_STALL_ABORT);
    tm_nw32(f, CR0, ON);
    write_ste(f->ns, 2, ste);
    assert_int_equal(xl(f, 2, 0x40000000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, SMMUV3_EVT_C_BAD_STE);
    /* the Secure interface may still stall (a Secure STE's Secure IPA space has its own walk) */
    assert_int_equal(smmuv3_ste_set(ste, "s_s2t0sz", 25), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2sl0", 1), 0);
    write_ste(f->sec, 2, ste);
    assert_int_equal(xl(f, 2, 0x40000000, SEC, &r), SMMUV3_XLATE_STALL);
    /* a Non-secure STALL_TERM does not reach it; the Secure one does */
    put_cmd(f->sec, 0, 0x45 | 2ull << 32, 0);
    put_cmd(f->sec, 1, 0x45 | 1u << 10 | 2ull << 32, 0);
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(smmuv3_stall_poll(f->s, 2, r.stag), SMMUV3_STALL_PENDING);
    tm_sw32(f, S_CMDQ_PROD, 2);
    assert_int_equal(smmuv3_stall_poll(f->s, 2, r.stag), SMMUV3_STALL_ABORT);
}

/* Stalls of the two Security states (4.7.1 note, 6.3.9.6): CMD_RESUME on the
 * Secure queue reaches a Secure stall only with SSec = 1; S_CR0.SMMUEN 1 -> 0
 * aborts the Secure stall, even one already marked for retry, and leaves the
 * Non-secure one of the same StreamID pending. */
static void test_secure_resume_and_smmuen(void **state)
{
    twomem *f = *state;
    uint8_t ste[64] = { 0 };
    smmuv3_s2_params p = { .ttb = S2TTB, .tsz = 25, .sl0 = 1, .granule = 12, .ps = 48, .vmid = 3, .stall = true };
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    write_ste(f->ns, 3, ste);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2t0sz", 25), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s_s2sl0", 1), 0);
    write_ste(f->sec, 3, ste);
    smmuv3_result rs, rn;
    assert_int_equal(xl(f, 3, 0x40000000, SEC, &rs), SMMUV3_XLATE_STALL);
    assert_int_equal(xl(f, 3, 0x40000000, 0, &rn), SMMUV3_XLATE_STALL);
    assert_int_not_equal(rs.stag, rn.stag);
    uint64_t resume_retry = 0x44 | 1u << 12 | 3ull << 32;
    put_cmd(f->sec, 0, resume_retry, rs.stag);                /* SSec = 0: a Non-secure StreamID */
    tm_sw32(f, S_CMDQ_PROD, 1);
    assert_int_equal(smmuv3_stall_poll(f->s, 3, rs.stag), SMMUV3_STALL_PENDING);
    put_cmd(f->sec, 1, resume_retry | 1u << 10, rs.stag);     /* SSec = 1 */
    tm_sw32(f, S_CMDQ_PROD, 2);
    tm_sw32(f, S_CR0, ON & ~1u);                              /* before the device retries */
    assert_int_equal(smmuv3_stall_poll(f->s, 3, rs.stag), SMMUV3_STALL_ABORT);
    assert_int_equal(smmuv3_stall_poll(f->s, 3, rn.stag), SMMUV3_STALL_PENDING);
    put_cmd(f->ns, 0, 0x44 | 2u << 12 | 3ull << 32, rn.stag); /* terminate, Abort */
    tm_nw32(f, CMDQ_PROD, 1);
    assert_int_equal(smmuv3_stall_poll(f->s, 3, rn.stag), SMMUV3_STALL_ABORT);
}

/* The test device's ATTRS secure bit issues Secure transactions: the DMA
 * lands in the Secure PA space and is read back from there. */
static void test_testdev_secure_dma(void **state)
{
    twomem *f = *state;
    s1_stream(f->sec, 1, 0, false);
    map3(f->sec, f->sec, TTB, 0x40001000, PAGE(0x9000000, false), false);
    smmuv3_testdev *d = smmuv3_testdev_new(f->s, &f->host, 1);
    assert_non_null(d);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_LO, 0x40001010);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GVA_HI, 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_LO, 0x9000010);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_GPA_HI, 0);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_LEN, 8);
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID | SMMUV3_TESTDEV_ATTRS_SECURE |
                                                      SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_SECURE));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 1);
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), 0);
    uint32_t v = 0;
    assert_int_equal(smmuv3_mem_read(f->sec, 0x9000010, &v, 4), 0);
    assert_int_equal(v, SMMUV3_TESTDEV_PATTERN);
    assert_int_equal(smmuv3_mem_read(f->ns, 0x9000010, &v, 4), 0);
    assert_int_equal(v, 0);
    /* the Non-secure stream 1 has no STE: the same DMA without the secure bit fails */
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_ATTRS, SMMUV3_TESTDEV_ATTRS_SPACE_VALID |
                                                      SMMUV3_TESTDEV_ATTRS_SPACE(SMMUV3_TESTDEV_SPACE_NONSECURE));
    smmuv3_testdev_write(d, SMMUV3_TESTDEV_DBELL, 1);
    (void)smmuv3_testdev_read(d, SMMUV3_TESTDEV_DMA_TRIGGERING);
    assert_int_equal(smmuv3_testdev_read(d, SMMUV3_TESTDEV_RESULT), SMMUV3_TESTDEV_RESULT_TX_FAIL);
    smmuv3_testdev_free(d);
}

/* The driver helper brings the Secure interface up (cfg.secure): Secure
 * registers, its queues in Secure memory, CFGI with SSec = 1. */
static void test_driver_secure_bringup(void **state)
{
    twomem *f = twomem_renew(state, NULL);   /* neither interface up */
    smmuv3_alloc a;
    smmuv3_space sp;
    smmuv3_strtab st;
    smmuv3_driver d;
    assert_int_equal(twomem_driver_up(f, true, 0x10000000, 0x1000000, 4, SMMUV3_BUILD_ALLOC, &a, &sp, &st, &d), 0);
    uint8_t ste[64] = { 0 };
    smmuv3_ste_abort(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&st, 2, ste), 0);   /* not yet read: no CFGI needed */
    assert_int_equal(tm_sr32(f, S_CR0) & 1, 1);              /* S_CR0.SMMUEN */
    assert_int_equal(tm_nr32(f, CR0), 0);                    /* the Non-secure side untouched */
    smmuv3_result r;
    assert_int_equal(xl(f, 2, 0x1000, SEC, &r), SMMUV3_XLATE_ABORT);
    smmuv3_ste_bypass(ste);
    assert_int_equal(smmuv3_strtab_write_ste(&st, 2, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&d, 2), 0);  /* SSec = 1 on the Secure queue */
    assert_int_equal(xl(f, 2, 0x1000, SEC, &r), 0);
    assert_false(r.attrs.ns);
    /* a fault lands in the Secure Event queue, which the driver reads */
    assert_int_equal(xl(f, 9, 0x1000, SEC, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(smmuv3_driver_event_count(&d), 1);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_pop(&d, rec), 1);
    uint64_t v;
    assert_int_equal(smmuv3_event_get(rec, "eventid", &v), 0);
    assert_int_equal(v, SMMUV3_EVT_C_BAD_STE);
}

TEST_MAIN_FX(fx_setup, twomem_teardown, test_secure_s1_ns_bit, test_secure_s1_nstable_and_nscfg,
          test_secure_nstable_leaf_not_global, test_secure_nested_ns_fetch_not_global, test_ns_stream_ignores_ns_bits,
          test_stream_tables_and_caches_apart, test_cfgi_scope_and_inv_all, test_bypass_nscfg,
          test_secure_s2_spaces, test_secure_s2_fault_nsipa, test_secure_events_and_illegal_stes,
          test_sif, test_nsstalld_makes_ns_stall_illegal, test_secure_resume_and_smmuen,
          test_testdev_secure_dma,
          test_driver_secure_bringup)
