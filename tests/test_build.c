/* Unit tests: the builders (src/build/space.c, images.c, tables.c): allocator, spaces, images
 * by name, STE/CD constructors, stream and CD tables, tampered structures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "buildenv.h"
#include "test_main.h"

/* ------------------------------------------------------------ allocator */
static void test_alloc(void **state)
{
    (void)state;
    smmuv3_alloc a;
    uint64_t p;
    assert_int_equal(smmuv3_alloc_init(NULL, 0, 1), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_alloc_init(&a, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_alloc_init(&a, UINT64_MAX - 10, 100), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_alloc_init(&a, 0x1010, 0x3000), 0);
    assert_int_equal(smmuv3_alloc_get(&a, 8, 0, &p), 0);
    assert_int_equal(p, 0x1010);
    assert_int_equal(smmuv3_alloc_get(&a, 0x100, 0x1000, &p), 0);
    assert_int_equal(p, 0x2000);
    assert_int_equal(smmuv3_alloc_get(&a, 0x10, 3, &p), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_alloc_get(&a, 0, 8, &p), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_alloc_get(&a, 8, 8, NULL), SMMUV3_EINVAL);
    uint64_t left = smmuv3_alloc_left(&a);
    assert_int_equal(left, 0x4010 - 0x2100);
    assert_int_equal(smmuv3_alloc_get(&a, 0x1000, 0x1000, &p), 0);   /* 0x3000 */
    assert_int_equal(p, 0x3000);
    /* exhausted: an error, and the allocator is unchanged */
    assert_int_equal(smmuv3_alloc_get(&a, 0x1000, 0x1000, &p), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_alloc_get(&a, 0x10, 0x10, &p), 0);
    assert_int_equal(p, 0x4000);
    assert_int_equal(smmuv3_alloc_get(&a, 0x10, 0x10, &p), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_alloc_get(&a, 1, 1ull << 63, &p), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_alloc_get(&a, UINT64_MAX, 1, &p), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_alloc_left(NULL), 0);
}

/* ------------------------------------------------------------ spaces */
/* IPA -> PA: page n goes to PA 0x200000 + (7 - n) * 4K for n < 8. */
static int reverse_pages(void *ctx, uint64_t addr, uint64_t *pa)
{
    (void)ctx;
    uint64_t n = addr >> 12;
    if (n >= 8)
        return SMMUV3_ENOENT;
    *pa = 0x200000 + (7 - n) * 0x1000 + (addr & 0xfff);
    return 0;
}

static void test_spaces(void **state)
{
    (void)state;
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host host;
    smmuv3_host_from_mem(&host, mem);
    smmuv3_space pa, ipa;
    assert_int_equal(smmuv3_space_init(NULL, &host, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_space_init(&pa, NULL, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_space_init(&pa, &host, NULL), 0);
    assert_int_equal(smmuv3_space_init_ipa(&ipa, &host, NULL, reverse_pages, NULL), 0);
    /* a write across an IPA page boundary lands on two physical pages */
    const uint8_t msg[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    assert_int_equal(smmuv3_space_write(&ipa, 0x1ffc, msg, 8), 0);
    uint8_t b[8];
    assert_int_equal(smmuv3_mem_read(mem, 0x200000 + 6 * 0x1000 + 0xffc, b, 4), 0);
    assert_memory_equal(b, msg, 4);
    assert_int_equal(smmuv3_mem_read(mem, 0x200000 + 5 * 0x1000, b, 4), 0);
    assert_memory_equal(b, msg + 4, 4);
    memset(b, 0, 8);
    assert_int_equal(smmuv3_space_read(&ipa, 0x1ffc, b, 8), 0);
    assert_memory_equal(b, msg, 8);
    /* 64-bit helpers are little-endian */
    assert_int_equal(smmuv3_space_write64(&pa, 0x5000, 0x1122334455667788ull), 0);
    assert_int_equal(smmuv3_mem_read(mem, 0x5000, b, 1), 0);
    assert_int_equal(b[0], 0x88);
    uint64_t v;
    assert_int_equal(smmuv3_space_read64(&pa, 0x5000, &v), 0);
    assert_int_equal(v, 0x1122334455667788ull);
    /* errors: unmapped IPA, abort, beyond 2^52, NULLs, no allocator */
    assert_int_equal(smmuv3_space_write(&ipa, 0x8000, msg, 1), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_mem_add_abort(mem, 0x9000, 0x1000), 0);
    assert_int_equal(smmuv3_space_write(&pa, 0x9000, msg, 1), SMMUV3_EABORT);
    assert_int_equal(smmuv3_space_read(&pa, SMMUV3_PA_LIMIT - 4, b, 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_space_read(&pa, 0, NULL, 8), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_space_read64(&pa, 0, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_space_zalloc(&pa, 64, 64, &v), SMMUV3_EINVAL);
    /* zalloc clears what it hands out */
    smmuv3_alloc al;
    assert_int_equal(smmuv3_alloc_init(&al, 0x5000, 0x1000), 0);
    pa.alloc = &al;
    assert_int_equal(smmuv3_space_zalloc(&pa, 8, 8, &v), 0);
    assert_int_equal(v, 0x5000);
    assert_int_equal(smmuv3_space_read64(&pa, 0x5000, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(smmuv3_space_zero(&pa, 0x8000, 0x2000), SMMUV3_EABORT);
    smmuv3_mem_free(mem);
}

/* ------------------------------------------------------------ images */
static void test_images_by_name(void **state)
{
    (void)state;
    uint8_t ste[64] = { 0 }, cd[64] = { 0 }, cmd[16];
    assert_int_equal(smmuv3_ste_set(ste, "config", 6), 0);
    assert_int_equal(img_get(ste, "ste", "config"), 6);
    assert_int_equal(smmuv3_ste_set(ste, "config", 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_ste_set(ste, "confg", 1), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_image_set(ste, "nosuch", "v", 1), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_ste_set(ste, "s2ttb", 0x123450), 0);
    assert_int_equal(img_get(ste, "ste", "s2ttb"), 0x123450);
    assert_int_equal(smmuv3_ste_set(ste, "s2ttb", 0x123458), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_ste_set(NULL, "v", 1), SMMUV3_EINVAL);
    uint64_t v;
    assert_int_equal(smmuv3_ste_get(ste, "nosuch", &v), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_cd_set(cd, "asid", 0xBEEF), 0);
    assert_int_equal(smmuv3_cd_get(cd, "asid", &v), 0);
    assert_int_equal(v, 0xBEEF);
    /* the bits really are where the spec says: CD.ASID is dw0 63:48 */
    assert_int_equal(cd[6], 0xEF);
    assert_int_equal(cd[7], 0xBE);
    /* commands */
    assert_int_equal(smmuv3_cmd_init(cmd, SMMUV3_CMD_CFGI_CD), 0);
    assert_int_equal(smmuv3_cmd_set(cmd, "ssid", 5), 0);
    assert_int_equal(smmuv3_cmd_set(cmd, "sid", 9), 0);
    assert_int_equal(smmuv3_cmd_set(cmd, "asid", 9), SMMUV3_ENOENT);
    assert_int_equal(img_get(cmd, "CMD_CFGI_CD", "opcode"), SMMUV3_CMD_CFGI_CD);
    assert_int_equal(img_get(cmd, "CMD_CFGI_CD", "ssid"), 5);
    assert_int_equal(img_get(cmd, "CMD_CFGI_CD", "sid"), 9);
    const char *names[] = { "vmid", "asid" };
    const uint64_t vals[] = { 3, 4 };
    assert_int_equal(smmuv3_cmd_build(cmd, "TLBI_NH_ASID", names, vals, 2), 0);
    assert_int_equal(img_get(cmd, "CMD_TLBI_NH_ASID", "vmid"), 3);
    assert_int_equal(img_get(cmd, "CMD_TLBI_NH_ASID", "asid"), 4);
    assert_int_equal(smmuv3_cmd_build(cmd, "NOPE", NULL, NULL, 0), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_cmd_build(cmd, "CMD_SYNC", NULL, NULL, 1), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_cmd_init(cmd, 0x7f), 0);
    assert_int_equal(smmuv3_cmd_set(cmd, "sid", 1), SMMUV3_ENOENT);   /* unknown opcode */
}

static void test_ste_constructors(void **state)
{
    (void)state;
    uint8_t ste[64];
    memset(ste, 0xff, sizeof(ste));
    assert_int_equal(smmuv3_ste_abort(ste), 0);
    assert_int_equal(img_get(ste, "ste", "v"), 1);
    assert_int_equal(img_get(ste, "ste", "config"), 0);
    assert_int_equal(img_get(ste, "ste", "s2ttb"), 0);   /* cleared first */
    assert_int_equal(smmuv3_ste_bypass(ste), 0);
    assert_int_equal(img_get(ste, "ste", "config"), 4);
    assert_int_equal(smmuv3_ste_s1(ste, 0x4E178FC0, SMMUV3_S1FMT_2L_4K, 7), 0);
    assert_int_equal(img_get(ste, "ste", "config"), 5);
    assert_int_equal(img_get(ste, "ste", "s1contextptr"), 0x4E178FC0);
    assert_int_equal(img_get(ste, "ste", "s1fmt"), 1);
    assert_int_equal(img_get(ste, "ste", "s1cdmax"), 7);
    assert_int_equal(smmuv3_ste_s1(ste, 0x4E178FC8, 0, 0), SMMUV3_ERANGE);   /* not 64-byte aligned */
    assert_int_equal(smmuv3_ste_s1(ste, 0x1000, 3, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ste_s1(ste, 0x1000, 0, 32), SMMUV3_ERANGE);
    smmuv3_s2_params p = { .ttb = 0x4E4D0000, .tsz = 20, .sl0 = 2, .granule = 16, .ps = 48, .vmid = 0x77 };
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(img_get(ste, "ste", "config"), 6);
    assert_int_equal(img_get(ste, "ste", "s2t0sz"), 20);
    assert_int_equal(img_get(ste, "ste", "s2sl0"), 2);
    assert_int_equal(img_get(ste, "ste", "s2tg"), 1);   /* 64K */
    assert_int_equal(img_get(ste, "ste", "s2ps"), 5);
    assert_int_equal(img_get(ste, "ste", "s2vmid"), 0x77);
    assert_int_equal(img_get(ste, "ste", "s2aa64"), 1);
    assert_int_equal(img_get(ste, "ste", "s2r"), 1);
    assert_int_equal(img_get(ste, "ste", "s2ttb"), 0x4E4D0000);
    p.granule = 14;
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(img_get(ste, "ste", "s2tg"), 2);
    p.granule = 13;
    assert_int_equal(smmuv3_ste_s2(ste, &p), SMMUV3_EINVAL);
    p.granule = 12;
    p.ps = 47;
    assert_int_equal(smmuv3_ste_s2(ste, &p), SMMUV3_EINVAL);
    p.ps = 40;
    assert_int_equal(smmuv3_ste_nested(ste, 0x2000, 0, 0, &p), 0);
    assert_int_equal(img_get(ste, "ste", "config"), 7);
    assert_int_equal(img_get(ste, "ste", "s1contextptr"), 0x2000);
    assert_int_equal(img_get(ste, "ste", "s2ps"), 2);
    assert_int_equal(img_get(ste, "ste", "s2tg"), 0);
    assert_int_equal(smmuv3_ste_s2(ste, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ste_abort(NULL), SMMUV3_EINVAL);
}

static void test_cd_constructor(void **state)
{
    (void)state;
    uint8_t cd[64];
    smmuv3_cd_params p = { .ttb0 = 0x4E4D0000, .t0sz = 16, .granule = 12, .ips = 44, .asid = 0x1E20 };
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(img_get(cd, "cd", "v"), 1);
    assert_int_equal(img_get(cd, "cd", "aa64"), 1);
    assert_int_equal(img_get(cd, "cd", "t0sz"), 16);
    assert_int_equal(img_get(cd, "cd", "tg0"), 0);
    assert_int_equal(img_get(cd, "cd", "ips"), 4);
    assert_int_equal(img_get(cd, "cd", "asid"), 0x1E20);
    assert_int_equal(img_get(cd, "cd", "epd1"), 1);
    assert_int_equal(img_get(cd, "cd", "epd0"), 0);
    assert_int_equal(img_get(cd, "cd", "a"), 1);
    assert_int_equal(img_get(cd, "cd", "r"), 1);
    assert_int_equal(img_get(cd, "cd", "s"), 0);
    assert_int_equal(img_get(cd, "cd", "ttb0"), 0x4E4D0000);
    assert_int_equal(img_get(cd, "cd", "mair0"), SMMUV3_MAIR_DEFAULT & 0xffffffff);
    assert_int_equal(img_get(cd, "cd", "mair1"), SMMUV3_MAIR_DEFAULT >> 32);
    p.granule = 16;
    p.ttb1_en = true;
    p.ttb1 = 0x10000;
    p.t1sz = 25;
    p.granule1 = 14;
    p.no_abort = true;
    p.stall = true;
    p.mair = 0x1122334455667788ull;
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(img_get(cd, "cd", "tg0"), 1);
    assert_int_equal(img_get(cd, "cd", "tg1"), 1);
    assert_int_equal(img_get(cd, "cd", "epd1"), 0);
    assert_int_equal(img_get(cd, "cd", "t1sz"), 25);
    assert_int_equal(img_get(cd, "cd", "ttb1"), 0x10000);
    assert_int_equal(img_get(cd, "cd", "a"), 0);
    assert_int_equal(img_get(cd, "cd", "s"), 1);
    assert_int_equal(img_get(cd, "cd", "mair1"), 0x11223344);
    p.granule = 14;
    p.granule1 = 12;
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(img_get(cd, "cd", "tg0"), 2);
    assert_int_equal(img_get(cd, "cd", "tg1"), 2);
    p.ips = 45;
    assert_int_equal(smmuv3_cd_s1(cd, &p), SMMUV3_EINVAL);
    p.ips = 48;
    p.ttb0 = 0x1008;
    assert_int_equal(smmuv3_cd_s1(cd, &p), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cd_s1(cd, NULL), SMMUV3_EINVAL);
}

/* ------------------------------------------------------------ stream tables */
/* The level-2 table that the level-1 descriptor at l1_pa (image `kind`, with
 * `field` == want) points to; asserted aligned to `align` bytes. */
static uint64_t l2_table(env *e, uint64_t l1_pa, const char *kind, const char *field, uint64_t want,
                         uint64_t align)
{
    uint64_t l1;
    assert_int_equal(smmuv3_space_read64(&e->sp, l1_pa, &l1), 0);
    assert_int_equal(img_get(&l1, kind, field), want);
    uint64_t l2 = img_get(&l1, kind, "l2ptr");
    assert_int_equal(l2 & (align - 1), 0);
    return l2;
}

/* Writes `cd` at ssid of a 2-level CD table whose leaves hold per_leaf CDs,
 * then finds it through the level-1 descriptor, at its address and read back. */
static void cd_in_leaf(env *e, smmuv3_cdtab *ct, uint32_t ssid, uint32_t per_leaf, const uint8_t *cd)
{
    uint64_t a;
    uint8_t back[64];
    assert_int_equal(smmuv3_cdtab_write_cd(ct, ssid, cd), 0);
    uint64_t leaf = l2_table(e, ct->base + 8ull * (ssid / per_leaf), "l1cd", "v", 1, per_leaf * 64ull);
    assert_int_equal(smmuv3_cdtab_cd_addr(ct, ssid, false, &a), 0);
    assert_int_equal(a, leaf + (ssid % per_leaf) * 64ull);
    assert_int_equal(smmuv3_cdtab_read_cd(ct, ssid, back), 0);
    assert_memory_equal(cd, back, 64);
}

static void test_strtab(void **state)
{
    (void)state;
    env *e = env_new(false);
    uint64_t a;
    /* linear: registers and addresses */
    assert_int_equal(smmuv3_strtab_base_reg(&e->st) & ~(1ull << 62), e->st.base);
    assert_true(smmuv3_strtab_base_reg(&e->st) & (1ull << 62));
    assert_int_equal(smmuv3_strtab_cfg_reg(&e->st), 6);
    assert_int_equal(smmuv3_strtab_ste_addr(&e->st, 63, false, &a), 0);
    assert_int_equal(a, e->st.base + 63 * 64);
    assert_int_equal(smmuv3_strtab_ste_addr(&e->st, 64, true, &a), SMMUV3_ERANGE);
    assert_int_equal(e->st.base & (64 * 64 - 1), 0);   /* aligned to its size */
    uint8_t ste[64], back[64];
    assert_int_equal(smmuv3_ste_bypass(ste), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 5, ste), 0);
    assert_int_equal(smmuv3_strtab_read_ste(&e->st, 5, back), 0);
    assert_memory_equal(ste, back, 64);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, 33, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, 24, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, 4, 0x1010), SMMUV3_EINVAL);

    /* 2-level: SIDSIZE 16, SPLIT 8 */
    smmuv3_strtab st2;
    assert_int_equal(smmuv3_strtab_init_2level(&st2, &e->sp, 16, 8, SMMUV3_BUILD_ALLOC), 0);
    uint32_t cfg = smmuv3_strtab_cfg_reg(&st2);
    assert_int_equal(cfg & 0x3f, 16);
    assert_int_equal((cfg >> 6) & 0x1f, 8);
    assert_int_equal((cfg >> 16) & 3, 1);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x1234, false, &a), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_strtab_write_ste(&st2, 0x1234, ste), 0);
    uint64_t l2 = l2_table(e, st2.base + 8 * 0x12, "l1std", "span", 9, 256 * 64);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x1234, false, &a), 0);
    assert_int_equal(a, l2 + 0x34 * 64);
    assert_int_equal(smmuv3_strtab_read_ste(&st2, 0x1234, back), 0);
    assert_memory_equal(ste, back, 64);
    /* a second SID in the same span reuses the level-2 table */
    assert_int_equal(smmuv3_strtab_write_ste(&st2, 0x12ff, ste), 0);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x12ff, false, &a), 0);
    assert_int_equal(a, l2 + 0xff * 64);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x10000, true, &a), SMMUV3_ERANGE);
    /* a hand-made short span limits the level-2 table */
    assert_int_equal(smmuv3_strtab_set_l1(&st2, 0x20, 0x7000, 2), 0);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x2001, false, &a), 0);
    assert_int_equal(a, 0x7000 + 64);
    assert_int_equal(smmuv3_strtab_ste_addr(&st2, 0x2002, false, &a), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_strtab_set_l1(&st2, 0x100, 0x7000, 2), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_strtab_set_l1(&st2, 0, 0x7008, 2), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_strtab_set_l1(&e->st, 0, 0x7000, 2), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_strtab_init_2level(&st2, &e->sp, 16, 0, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_strtab_init_2level(&st2, &e->sp, 8, 9, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    env_free(e);
}

/* ------------------------------------------------------------ CD tables */
static void test_cdtab(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_cdtab ct;
    uint64_t a;
    uint8_t cd[64];
    memset(cd, 0x5a, sizeof(cd));
    /* linear */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_LINEAR, 3, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 7, false, &a), 0);
    assert_int_equal(a, ct.base + 7 * 64);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 8, false, &a), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cdtab_set_l1(&ct, 0, 0x1000, true), SMMUV3_EINVAL);
    /* 2-level, 4K leaves: 64 CDs per leaf */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_2L_4K, 10, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 200, false, &a), SMMUV3_ENOENT);
    cd_in_leaf(e, &ct, 200, 64, cd);   /* level-1 index 3, CD 8 of its leaf */
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 1024, true, &a), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cdtab_set_l1(&ct, 16, 0x1000, true), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cdtab_set_l1(&ct, 15, 0x1000, false), 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 15 * 64, false, &a), SMMUV3_ENOENT);
    /* 2-level, 64K leaves: 1024 CDs per leaf */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_2L_64K, 12, SMMUV3_BUILD_ALLOC), 0);
    cd_in_leaf(e, &ct, 3000, 1024, cd);   /* level-1 index 2, CD 3000 - 2048 of its leaf */
    /* errors */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 3, 1, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 0, 21, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 0, 20, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    env_free(e);
}

static void test_tampered_structs(void **state)
{
    (void)state;
    env *e = env_new(true);
    uint64_t a;
    uint8_t img[64] = { 0 };
    smmuv3_strtab st = e->st;
    st.two_level = true;
    st.split = 60;
    assert_int_equal(smmuv3_strtab_ste_addr(&st, 1, true, &a), SMMUV3_EINVAL);
    st.split = 3;
    st.log2size = 99;
    assert_int_equal(smmuv3_strtab_write_ste(&st, 1, img), SMMUV3_EINVAL);
    st.space = NULL;
    assert_int_equal(smmuv3_strtab_set_l1(&st, 0, 0, 1), SMMUV3_EINVAL);
    smmuv3_cdtab ct;
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_LINEAR, 2, SMMUV3_BUILD_ALLOC), 0);
    ct.cdmax = 63;
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 1, true, &a), SMMUV3_EINVAL);
    ct.cdmax = 2;
    ct.fmt = 9;
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 1, img), SMMUV3_EINVAL);
    smmuv3_pt pt;
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    smmuv3_pt bad = pt;
    bad.granule = 13;
    assert_int_equal(smmuv3_pt_map(&bad, 0, 0, 0x1000, 0, 0), SMMUV3_EINVAL);
    bad = pt;
    bad.tsz = 70;
    assert_int_equal(smmuv3_pt_lookup(&bad, 0, NULL, NULL, NULL), SMMUV3_EINVAL);
    bad = pt;
    bad.start_level = 2;   /* 48 bits cannot start at level 2 */
    assert_int_equal(smmuv3_pt_unmap(&bad, 0, 0x1000), SMMUV3_EINVAL);
    bad = pt;
    bad.oa_bits = 200;
    assert_int_equal(smmuv3_pt_map(&bad, 0, 1ull << 50, 0x1000, 0, 0), SMMUV3_ENOTSUP);
    smmuv3_driver d = e->drv;
    d.cmdq_log2 = 40;
    assert_int_equal(smmuv3_driver_sync(&d), SMMUV3_EINVAL);
    d = e->drv;
    d.eventq_log2 = 31;
    assert_int_equal(smmuv3_driver_event_count(&d), SMMUV3_EINVAL);
    smmuv3_space sp = e->sp;
    smmuv3_host h = e->host;
    h.read = NULL;
    sp.host = &h;
    assert_int_equal(smmuv3_space_read64(&sp, 0, &a), SMMUV3_EINVAL);
    env_free(e);
}

TEST_MAIN(test_alloc, test_spaces, test_images_by_name, test_ste_constructors, test_cd_constructor,
          test_strtab, test_cdtab, test_tampered_structs)
