/* Unit tests: the builders (src/build/build.c, pagetables.c, driver.c):
 * allocator, spaces, images by name, STE/CD constructors, stream and CD
 * tables, page tables for every granule and stage (checked by a software
 * walk and by the model's own translation), and the driver helper. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>

#define TABLES 0x80000000ull
#define DATA   0x100000000ull

static uint64_t get(const void *img, const char *st, const char *f)
{
    uint64_t v = 0;
    assert_int_equal(smmuv3_image_get(img, st, f, &v), 0);
    return v;
}

typedef struct env {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *smmu;
    smmuv3_alloc alloc;
    smmuv3_space sp;
    smmuv3_strtab st;
    smmuv3_driver drv;
} env;

static env *env_new(bool driver)
{
    env *e = calloc(1, sizeof(*e));
    assert_non_null(e);
    e->mem = smmuv3_mem_new();
    assert_non_null(e->mem);
    smmuv3_host_from_mem(&e->host, e->mem);
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    assert_int_equal(smmuv3_new(&cfg, &e->host, &e->smmu), 0);
    assert_int_equal(smmuv3_alloc_init(&e->alloc, TABLES, 64u << 20), 0);
    assert_int_equal(smmuv3_space_init(&e->sp, &e->host, &e->alloc), 0);
    assert_int_equal(smmuv3_strtab_init_linear(&e->st, &e->sp, 6, SMMUV3_BUILD_ALLOC), 0);
    if (driver)
        assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, NULL), 0);
    return e;
}

static void env_free(env *e)
{
    smmuv3_free(e->smmu);
    smmuv3_mem_free(e->mem);
    free(e);
}

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
    assert_int_equal(get(ste, "ste", "config"), 6);
    assert_int_equal(smmuv3_ste_set(ste, "config", 8), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_ste_set(ste, "confg", 1), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_image_set(ste, "nosuch", "v", 1), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_ste_set(ste, "s2ttb", 0x123450), 0);
    assert_int_equal(get(ste, "ste", "s2ttb"), 0x123450);
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
    assert_int_equal(get(cmd, "CMD_CFGI_CD", "opcode"), SMMUV3_CMD_CFGI_CD);
    assert_int_equal(get(cmd, "CMD_CFGI_CD", "ssid"), 5);
    assert_int_equal(get(cmd, "CMD_CFGI_CD", "sid"), 9);
    const char *names[] = { "vmid", "asid" };
    const uint64_t vals[] = { 3, 4 };
    assert_int_equal(smmuv3_cmd_build(cmd, "TLBI_NH_ASID", names, vals, 2), 0);
    assert_int_equal(get(cmd, "CMD_TLBI_NH_ASID", "vmid"), 3);
    assert_int_equal(get(cmd, "CMD_TLBI_NH_ASID", "asid"), 4);
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
    assert_int_equal(get(ste, "ste", "v"), 1);
    assert_int_equal(get(ste, "ste", "config"), 0);
    assert_int_equal(get(ste, "ste", "s2ttb"), 0);   /* cleared first */
    assert_int_equal(smmuv3_ste_bypass(ste), 0);
    assert_int_equal(get(ste, "ste", "config"), 4);
    assert_int_equal(smmuv3_ste_s1(ste, 0x4E178FC0, SMMUV3_S1FMT_2L_4K, 7), 0);
    assert_int_equal(get(ste, "ste", "config"), 5);
    assert_int_equal(get(ste, "ste", "s1contextptr"), 0x4E178FC0);
    assert_int_equal(get(ste, "ste", "s1fmt"), 1);
    assert_int_equal(get(ste, "ste", "s1cdmax"), 7);
    assert_int_equal(smmuv3_ste_s1(ste, 0x4E178FC8, 0, 0), SMMUV3_ERANGE);   /* not 64-byte aligned */
    assert_int_equal(smmuv3_ste_s1(ste, 0x1000, 3, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ste_s1(ste, 0x1000, 0, 32), SMMUV3_ERANGE);
    smmuv3_s2_params p = { .ttb = 0x4E4D0000, .tsz = 20, .sl0 = 2, .granule = 16, .ps = 48, .vmid = 0x77 };
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(get(ste, "ste", "config"), 6);
    assert_int_equal(get(ste, "ste", "s2t0sz"), 20);
    assert_int_equal(get(ste, "ste", "s2sl0"), 2);
    assert_int_equal(get(ste, "ste", "s2tg"), 1);   /* 64K */
    assert_int_equal(get(ste, "ste", "s2ps"), 5);
    assert_int_equal(get(ste, "ste", "s2vmid"), 0x77);
    assert_int_equal(get(ste, "ste", "s2aa64"), 1);
    assert_int_equal(get(ste, "ste", "s2r"), 1);
    assert_int_equal(get(ste, "ste", "s2ttb"), 0x4E4D0000);
    p.granule = 14;
    assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    assert_int_equal(get(ste, "ste", "s2tg"), 2);
    p.granule = 13;
    assert_int_equal(smmuv3_ste_s2(ste, &p), SMMUV3_EINVAL);
    p.granule = 12;
    p.ps = 47;
    assert_int_equal(smmuv3_ste_s2(ste, &p), SMMUV3_EINVAL);
    p.ps = 40;
    assert_int_equal(smmuv3_ste_nested(ste, 0x2000, 0, 0, &p), 0);
    assert_int_equal(get(ste, "ste", "config"), 7);
    assert_int_equal(get(ste, "ste", "s1contextptr"), 0x2000);
    assert_int_equal(get(ste, "ste", "s2ps"), 2);
    assert_int_equal(get(ste, "ste", "s2tg"), 0);
    assert_int_equal(smmuv3_ste_s2(ste, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_ste_abort(NULL), SMMUV3_EINVAL);
}

static void test_cd_constructor(void **state)
{
    (void)state;
    uint8_t cd[64];
    smmuv3_cd_params p = { .ttb0 = 0x4E4D0000, .t0sz = 16, .granule = 12, .ips = 44, .asid = 0x1E20 };
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(get(cd, "cd", "v"), 1);
    assert_int_equal(get(cd, "cd", "aa64"), 1);
    assert_int_equal(get(cd, "cd", "t0sz"), 16);
    assert_int_equal(get(cd, "cd", "tg0"), 0);
    assert_int_equal(get(cd, "cd", "ips"), 4);
    assert_int_equal(get(cd, "cd", "asid"), 0x1E20);
    assert_int_equal(get(cd, "cd", "epd1"), 1);
    assert_int_equal(get(cd, "cd", "epd0"), 0);
    assert_int_equal(get(cd, "cd", "a"), 1);
    assert_int_equal(get(cd, "cd", "r"), 1);
    assert_int_equal(get(cd, "cd", "s"), 0);
    assert_int_equal(get(cd, "cd", "ttb0"), 0x4E4D0000);
    assert_int_equal(get(cd, "cd", "mair0"), SMMUV3_MAIR_DEFAULT & 0xffffffff);
    assert_int_equal(get(cd, "cd", "mair1"), SMMUV3_MAIR_DEFAULT >> 32);
    p.granule = 16;
    p.ttb1_en = true;
    p.ttb1 = 0x10000;
    p.t1sz = 25;
    p.granule1 = 14;
    p.no_abort = true;
    p.stall = true;
    p.mair = 0x1122334455667788ull;
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(get(cd, "cd", "tg0"), 1);
    assert_int_equal(get(cd, "cd", "tg1"), 1);
    assert_int_equal(get(cd, "cd", "epd1"), 0);
    assert_int_equal(get(cd, "cd", "t1sz"), 25);
    assert_int_equal(get(cd, "cd", "ttb1"), 0x10000);
    assert_int_equal(get(cd, "cd", "a"), 0);
    assert_int_equal(get(cd, "cd", "s"), 1);
    assert_int_equal(get(cd, "cd", "mair1"), 0x11223344);
    p.granule = 14;
    p.granule1 = 12;
    assert_int_equal(smmuv3_cd_s1(cd, &p), 0);
    assert_int_equal(get(cd, "cd", "tg0"), 2);
    assert_int_equal(get(cd, "cd", "tg1"), 2);
    p.ips = 45;
    assert_int_equal(smmuv3_cd_s1(cd, &p), SMMUV3_EINVAL);
    p.ips = 48;
    p.ttb0 = 0x1008;
    assert_int_equal(smmuv3_cd_s1(cd, &p), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cd_s1(cd, NULL), SMMUV3_EINVAL);
}

/* ------------------------------------------------------------ stream tables */
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
    uint64_t l1;
    assert_int_equal(smmuv3_space_read64(&e->sp, st2.base + 8 * 0x12, &l1), 0);
    assert_int_equal(get(&l1, "l1std", "span"), 9);
    uint64_t l2 = get(&l1, "l1std", "l2ptr");
    assert_int_equal(l2 & (256 * 64 - 1), 0);
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
    uint64_t a, l1;
    uint8_t cd[64], back[64];
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
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 200, cd), 0);
    assert_int_equal(smmuv3_space_read64(&e->sp, ct.base + 8 * 3, &l1), 0);
    assert_int_equal(get(&l1, "l1cd", "v"), 1);
    uint64_t leaf = get(&l1, "l1cd", "l2ptr");
    assert_int_equal(leaf & 0xfff, 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 200, false, &a), 0);
    assert_int_equal(a, leaf + 8 * 64);
    assert_int_equal(smmuv3_cdtab_read_cd(&ct, 200, back), 0);
    assert_memory_equal(cd, back, 64);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 1024, true, &a), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cdtab_set_l1(&ct, 16, 0x1000, true), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_cdtab_set_l1(&ct, 15, 0x1000, false), 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 15 * 64, false, &a), SMMUV3_ENOENT);
    /* 2-level, 64K leaves: 1024 CDs per leaf */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_2L_64K, 12, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 3000, cd), 0);
    assert_int_equal(smmuv3_space_read64(&e->sp, ct.base + 8 * 2, &l1), 0);
    leaf = get(&l1, "l1cd", "l2ptr");
    assert_int_equal(leaf & 0xffff, 0);
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 3000, false, &a), 0);
    assert_int_equal(a, leaf + (3000 - 2048) * 64);
    /* errors */
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 3, 1, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 0, 21, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, 0, 20, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    env_free(e);
}

/* ------------------------------------------------------------ page tables */
static void test_pt_geometry(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    /* stage 1 start levels */
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 39, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);   /* 25 bits: level 3 alone resolves 21 */
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 43, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 3);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 14, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 14, 17, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 22, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 13, 16, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 12, SMMUV3_BUILD_ALLOC), SMMUV3_ENOTSUP);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 60, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_level_size(&pt, 3), 0x10000);   /* failures left the 64K table alone */
    /* stage 2: SL0 and concatenation */
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 24, 1, SMMUV3_BUILD_ALLOC), 0);   /* 40 bits from L1 */
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(pt.concat, 2);
    assert_int_equal(pt.root & 0x1fff, 0);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 1);
    assert_int_equal(pt.sl0, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 16, 1, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL); /* 512 tables */
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 12, 16, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 0);
    assert_int_equal(pt.concat, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 16, 18, 1, SMMUV3_BUILD_ALLOC), 0);   /* 46 bits from L2 */
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 16);
    assert_int_equal(pt.root & 0x1ffff, 0);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 16, 22, 3, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 28, 0, SMMUV3_BUILD_ALLOC), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 28, 1, SMMUV3_BUILD_ALLOC), 0);   /* 36 bits from L2 */
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 1);
    assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, 14, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(pt.start_level, 2);
    assert_int_equal(pt.concat, 16);
    env_free(e);
}

/* Map, check with the software walk, then with the model's translation. */
typedef struct pt_case {
    unsigned stage, granule, tsz;
    int sl0;
} pt_case;

static void check_xlate(env *e, uint32_t sid, uint64_t iova, uint64_t want_pa, bool write, int want_rc)
{
    smmuv3_txn t = { .sid = sid, .addr = iova, .flags = write ? SMMUV3_TXN_WRITE : 0 };
    smmuv3_result r;
    int rc = smmuv3_translate(e->smmu, &t, &r);
    assert_int_equal(rc, want_rc);
    if (want_rc == 0)
        assert_int_equal(r.pa, want_pa);
}

static void run_pt_case(const pt_case *c)
{
    env *e = env_new(true);
    smmuv3_pt pt;
    uint8_t ste[64];
    const uint32_t sid = 3;
    uint64_t gsize = 1ull << c->granule;
    uint64_t block = 1ull << (c->granule + (c->granule - 3));   /* level 2 block */
    if (c->stage == 1) {
        assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, c->granule, c->tsz, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_cdtab ct;
        assert_int_equal(smmuv3_cdtab_init(&ct, &e->sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_cd_params cp;
        assert_int_equal(smmuv3_cd_params_from_pt(&pt, 9, &cp), 0);
        uint8_t cd[64];
        assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
        assert_int_equal(smmuv3_cdtab_write_cd(&ct, 0, cd), 0);
        assert_int_equal(smmuv3_ste_s1(ste, ct.base, ct.fmt, ct.cdmax), 0);
    } else {
        assert_int_equal(smmuv3_pt_init_s2(&pt, &e->sp, c->granule, c->tsz, c->sl0, SMMUV3_BUILD_ALLOC), 0);
        smmuv3_s2_params p;
        assert_int_equal(smmuv3_s2_params_from_pt(&pt, 4, &p), 0);
        assert_int_equal(smmuv3_ste_s2(ste, &p), 0);
    }
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, sid, ste), 0);
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->drv, sid), 0);

    uint64_t top = 1ull << (64 - c->tsz);
    /* a block-aligned range: one block descriptor at level 2 */
    uint64_t iova = block * 3, pa = DATA + block;
    assert_int_equal(smmuv3_pt_map(&pt, iova, pa, block, SMMUV3_MAP_RW, 0), 0);
    unsigned level;
    uint64_t out, desc;
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + block - 8, &out, &level, &desc), 0);
    assert_int_equal(level, 2);
    assert_int_equal(out, pa + block - 8);
    assert_int_equal(desc & 3, 1);
    check_xlate(e, sid, iova + 0x123, pa + 0x123, true, 0);
    /* the same size with PAGES: level 3 only (look at two pages) */
    uint64_t iova2 = block * 5;
    assert_int_equal(smmuv3_pt_map(&pt, iova2, pa, block, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova2 + gsize, &out, &level, NULL), 0);
    assert_int_equal(level, 3);
    assert_int_equal(out, pa + gsize);
    check_xlate(e, sid, iova2 + 7 * gsize + 4, pa + 7 * gsize + 4, false, 0);
    /* the top of the input range */
    assert_int_equal(smmuv3_pt_map(&pt, top - gsize, DATA + 0x100000000ull, gsize, SMMUV3_MAP_READ, 0), 0);
    check_xlate(e, sid, top - 8, DATA + 0x100000000ull + gsize - 8, false, 0);
    check_xlate(e, sid, top - 8, 0, true, SMMUV3_XLATE_ABORT);   /* read-only */
    assert_int_equal(smmuv3_pt_map(&pt, top, DATA, gsize, SMMUV3_MAP_RW, 0), SMMUV3_ERANGE);
    /* unmapping one page of the block splits it; the rest still translates */
    assert_int_equal(smmuv3_pt_unmap(&pt, iova + gsize, gsize), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + gsize, NULL, NULL, NULL), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova + 2 * gsize, &out, &level, NULL), 0);
    assert_int_equal(level, 3);
    assert_int_equal(out, pa + 2 * gsize);
    if (c->stage == 1)
        assert_int_equal(smmuv3_driver_tlbi_nh_all(&e->drv, 0), 0);
    else
        assert_int_equal(smmuv3_driver_tlbi_s12_vmall(&e->drv, 4), 0);
    check_xlate(e, sid, iova + gsize, 0, false, SMMUV3_XLATE_ABORT);
    check_xlate(e, sid, iova + 2 * gsize + 1, pa + 2 * gsize + 1, true, 0);
    check_xlate(e, sid, iova, pa, true, 0);
    /* protect: read-only now */
    assert_int_equal(smmuv3_pt_protect(&pt, iova, gsize, SMMUV3_MAP_READ), 0);
    if (c->stage == 1)
        assert_int_equal(smmuv3_driver_tlbi_nh_va(&e->drv, 0, 9, iova, true), 0);
    else
        assert_int_equal(smmuv3_driver_tlbi_s2_ipa(&e->drv, 4, iova, true), 0);
    check_xlate(e, sid, iova, 0, true, SMMUV3_XLATE_ABORT);
    check_xlate(e, sid, iova, pa, false, 0);
    /* contiguous hint on an aligned run */
    unsigned n = c->granule == 12 ? 16 : c->granule == 14 ? 128 : 32;
    uint64_t run = n * gsize, iova3 = block * 8;
    assert_int_equal(smmuv3_pt_map(&pt, iova3, DATA + 4 * block, run, SMMUV3_MAP_RW | SMMUV3_MAP_CONT, 0), 0);
    assert_int_equal(smmuv3_pt_lookup(&pt, iova3 + run - gsize, &out, &level, &desc), 0);
    assert_true(desc & SMMUV3_PTE_CONT);
    assert_int_equal(out, DATA + 4 * block + run - gsize);
    check_xlate(e, sid, iova3 + 5 * gsize, DATA + 4 * block + 5 * gsize, true, 0);
    env_free(e);
}

static void test_pt_s1_4k(void **s) { (void)s; pt_case c = { 1, 12, 16, 0 }; run_pt_case(&c); }
static void test_pt_s1_16k(void **s) { (void)s; pt_case c = { 1, 14, 20, 0 }; run_pt_case(&c); }
static void test_pt_s1_64k(void **s) { (void)s; pt_case c = { 1, 16, 22, 0 }; run_pt_case(&c); }
static void test_pt_s2_4k(void **s) { (void)s; pt_case c = { 2, 12, 24, 1 }; run_pt_case(&c); }   /* 2 concatenated */
static void test_pt_s2_16k(void **s) { (void)s; pt_case c = { 2, 14, 24, -1 }; run_pt_case(&c); }  /* 16 concatenated */
static void test_pt_s2_64k(void **s) { (void)s; pt_case c = { 2, 16, 18, 1 }; run_pt_case(&c); }  /* 16 concatenated */

static void test_pt_pokes(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    uint64_t d, a;
    assert_int_equal(smmuv3_pt_get_desc(&pt, 0x1000, 3, &d), SMMUV3_ENOENT);
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, SMMUV3_MAP_RW | SMMUV3_MAP_NG, SMMUV3_ATTR(2, 2), &d), 0);
    assert_int_equal(d & 3, 3);
    assert_int_equal(d & 0x0000fffffffff000ull, 0x5000);
    assert_int_equal((d >> 2) & 7, 2);       /* AttrIndx */
    assert_int_equal((d >> 8) & 3, 2);       /* SH */
    assert_true(d & SMMUV3_PTE_AF);
    assert_true(d & SMMUV3_PTE_NG);
    assert_true(d & SMMUV3_PTE_AP1);
    assert_false(d & SMMUV3_PTE_AP2);
    assert_true((d & SMMUV3_PTE_PXN) && (d & SMMUV3_PTE_UXN));
    assert_int_equal(smmuv3_pt_set_desc(&pt, 0x1000, 3, d), 0);
    assert_int_equal(smmuv3_pt_get_desc(&pt, 0x1000, 3, &d), 0);
    uint64_t out;
    assert_int_equal(smmuv3_pt_lookup(&pt, 0x1008, &out, NULL, NULL), 0);
    assert_int_equal(out, 0x5008);
    assert_int_equal(smmuv3_pt_desc_addr(&pt, 0x1000, 3, false, &a), 0);
    uint64_t raw;
    assert_int_equal(smmuv3_space_read64(&e->sp, a, &raw), 0);
    assert_int_equal(raw, d);
    /* bad requests */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 0, 0, 0, &d), SMMUV3_EINVAL);   /* below start */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 2, 0, 0, &d), SMMUV3_EINVAL);   /* unaligned block */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, 0, 8, &d), SMMUV3_EINVAL);   /* attrs without SMMUV3_ATTR */
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 0x5000, 3, 0, SMMUV3_ATTR(8, 0), &d), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_leaf_desc(&pt, 1ull << 48, 3, 0, 0, &d), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_pt_map(&pt, 0x1800, 0x5000, 0x1000, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_map(&pt, 0x1000, 0x5000, 0, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_map(&pt, 1ull << 39, 0x5000, 0x1000, 0, 0), SMMUV3_ERANGE);
    assert_int_equal(smmuv3_pt_map(NULL, 0, 0, 0x1000, 0, 0), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_pt_lookup(&pt, 1ull << 40, NULL, NULL, NULL), SMMUV3_ERANGE);
    /* stage 2 descriptors: S2AP and XN */
    smmuv3_pt s2;
    assert_int_equal(smmuv3_pt_init_s2(&s2, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_leaf_desc(&s2, 0x5000, 3, SMMUV3_MAP_READ, 0, &d), 0);
    assert_true(d & SMMUV3_PTE_S2AP_R);
    assert_false(d & SMMUV3_PTE_S2AP_W);
    assert_true(d & SMMUV3_PTE_XN1);
    assert_int_equal((d >> 2) & 0xf, 0xf);   /* MemAttr default Normal WB */
    assert_int_equal(smmuv3_pt_leaf_desc(&s2, 0x5000, 3, SMMUV3_MAP_RW | SMMUV3_MAP_EXEC, SMMUV3_ATTR(1, 0), &d), 0);
    assert_false(d & (SMMUV3_PTE_XN0 | SMMUV3_PTE_XN1));
    assert_int_equal((d >> 2) & 0xf, 1);
    /* an exhausted allocator is an error, not a crash */
    smmuv3_alloc tiny;
    smmuv3_space tsp;
    assert_int_equal(smmuv3_alloc_init(&tiny, 0x40000000, 0x1000), 0);
    assert_int_equal(smmuv3_space_init(&tsp, &e->host, &tiny), 0);
    assert_int_equal(smmuv3_pt_init_s1(&pt, &tsp, 12, 16, SMMUV3_BUILD_ALLOC), 0);
    assert_int_equal(smmuv3_pt_map(&pt, 0, 0x5000, 0x1000, 0, 0), SMMUV3_ENOMEM);
    env_free(e);
}

/* ------------------------------------------------------------ driver */
static void test_driver(void **state)
{
    (void)state;
    env *e = env_new(true);
    /* bring-up left the SMMU enabled with our queues and table */
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x24, 4) & 0xf, 0xd);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x80, 8), smmuv3_strtab_base_reg(&e->st));
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x88, 4), smmuv3_strtab_cfg_reg(&e->st));
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x90, 8) & 0x000ffffffffffFE0ull, e->drv.cmdq_base);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x9C, 4), e->drv.cmdq_prod);
    assert_int_equal(smmuv3_driver_gerror(&e->drv), 0);
    /* commands by name and raw */
    uint8_t cmd[16];
    assert_int_equal(smmuv3_cmd_init(cmd, SMMUV3_CMD_SYNC), 0);
    assert_int_equal(smmuv3_driver_submit(&e->drv, cmd), 0);
    assert_int_equal(smmuv3_driver_submit_raw(&e->drv, SMMUV3_CMD_TLBI_NSNH_ALL, 0), 0);
    assert_int_equal(smmuv3_driver_cfgi_cd(&e->drv, 1, 2), 0);
    assert_int_equal(smmuv3_driver_cfgi_all(&e->drv), 0);
    assert_int_equal(smmuv3_driver_tlbi_nh_asid(&e->drv, 0, 1), 0);
    /* an illegal command: CERROR_ILL and GERROR.CMDQ_ERR; recover */
    assert_int_equal(smmuv3_driver_submit_raw(&e->drv, 0xFF, 0), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, SMMUV3_CERROR_ILL);
    assert_true(e->drv.gerror & 1);
    assert_int_equal(smmuv3_driver_cmdq_err(&e->drv), SMMUV3_CERROR_ILL);
    assert_int_equal(smmuv3_driver_cmdq_recover(&e->drv), 0);
    assert_int_equal(smmuv3_driver_gerror(&e->drv), 0);
    assert_int_equal(smmuv3_driver_sync(&e->drv), 0);
    /* many commands wrap the queue */
    for (unsigned i = 0; i < 600; i++)
        assert_int_equal(smmuv3_driver_sync(&e->drv), 0);
    /* events: a bad StreamID */
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 0);
    smmuv3_txn t = { .sid = 1000 };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    t.sid = 0;   /* STE 0 is invalid (zeroed table) */
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 2);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
    assert_int_equal(get(rec, "event", "eventid"), SMMUV3_EVT_C_BAD_STREAMID);
    assert_int_equal(get(rec, "event", "streamid"), 1000);
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 1);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x100AC, 4), e->drv.eventq_cons);
    assert_int_equal(smmuv3_driver_event_find(&e->drv, SMMUV3_EVT_C_BAD_STE, rec), 1);
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 0);
    assert_int_equal(smmuv3_driver_event_find(&e->drv, SMMUV3_EVT_C_BAD_STE, rec), 0);
    /* NULL arguments */
    assert_int_equal(smmuv3_driver_submit(NULL, cmd), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_init(NULL, e->smmu, &e->sp, &e->st, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_gerror(NULL), 0);
    env_free(e);
}

static void test_driver_options(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_driver_cfg cfg;
    smmuv3_driver_cfg_default(&cfg);
    cfg.cmdq_log2 = 2;
    cfg.no_smmuen = true;
    cfg.no_eventq = true;
    cfg.irq_ctrl = 0x5;
    assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, &cfg), 0);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x24, 4) & 0xf, 0x8);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x54, 4), 0x5);
    /* a 4-entry queue: one submission of 5 commands does not fit */
    uint8_t cmds[5 * 16];
    for (unsigned i = 0; i < 5; i++)
        smmuv3_cmd_init(cmds + 16 * i, SMMUV3_CMD_SYNC);
    assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 5), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 4), 0);
    for (unsigned i = 0; i < 10; i++)
        assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 3), 0);
    /* with the command queue disabled nothing is consumed */
    assert_int_equal(smmuv3_driver_write_cr0(&e->drv, 0), 0);
    assert_int_equal(smmuv3_driver_sync(&e->drv), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, 0);
    env_free(e);
}

/* Nested with stage 1 tables and the CD allocated at IPAs that stage 2 maps
 * to different physical pages: everything is written through the stage 2
 * mapping, and the model's nested walk finds it. */
static void test_nested_ipa_allocation(void **state)
{
    (void)state;
    env *e = env_new(true);
    const uint64_t ipa_base = 0x10000000, pa_base = 0xA0000000, window = 0x100000;
    smmuv3_pt s2;
    assert_int_equal(smmuv3_pt_init_s2(&s2, &e->sp, 12, 24, -1, SMMUV3_BUILD_ALLOC), 0);
    /* the IPA window for guest tables: pages mapped in reverse order */
    for (uint64_t off = 0; off < window; off += 0x1000)
        assert_int_equal(smmuv3_pt_map(&s2, ipa_base + off, pa_base + window - 0x1000 - off, 0x1000,
                                       SMMUV3_MAP_RW, 0), 0);
    /* the guest's data page: IPA 0x20000000 -> PA 0xB0000000 */
    assert_int_equal(smmuv3_pt_map(&s2, 0x20000000, 0xB0000000, 0x1000, SMMUV3_MAP_RW, 0), 0);
    smmuv3_alloc ipa_alloc;
    smmuv3_space ipa;
    assert_int_equal(smmuv3_alloc_init(&ipa_alloc, ipa_base, window), 0);
    assert_int_equal(smmuv3_space_init_ipa(&ipa, &e->host, &ipa_alloc, smmuv3_pt_to_pa, &s2), 0);
    smmuv3_pt s1;
    assert_int_equal(smmuv3_pt_init_s1(&s1, &ipa, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    assert_true(s1.root >= ipa_base && s1.root < ipa_base + window);
    assert_int_equal(smmuv3_pt_map(&s1, 0x7000, 0x20000000, 0x1000, SMMUV3_MAP_RW, 0), 0);
    smmuv3_cdtab ct;
    assert_int_equal(smmuv3_cdtab_init(&ct, &ipa, SMMUV3_S1FMT_2L_4K, 8, SMMUV3_BUILD_ALLOC), 0);
    smmuv3_cd_params cp;
    assert_int_equal(smmuv3_cd_params_from_pt(&s1, 5, &cp), 0);
    uint8_t cd[64], ste[64];
    assert_int_equal(smmuv3_cd_s1(cd, &cp), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 0, cd), 0);
    assert_int_equal(smmuv3_cdtab_write_cd(&ct, 130, cd), 0);
    /* the CD is at an IPA; its bytes are at the stage 2 output address */
    uint64_t cd_ipa, cd_pa;
    assert_int_equal(smmuv3_cdtab_cd_addr(&ct, 130, false, &cd_ipa), 0);
    assert_int_equal(smmuv3_pt_lookup(&s2, cd_ipa, &cd_pa, NULL, NULL), 0);
    uint8_t back[64];
    assert_int_equal(smmuv3_mem_read(e->mem, cd_pa, back, 64), 0);
    assert_memory_equal(back, cd, 64);
    smmuv3_s2_params p2;
    assert_int_equal(smmuv3_s2_params_from_pt(&s2, 9, &p2), 0);
    assert_int_equal(smmuv3_ste_nested(ste, ct.base, ct.fmt, ct.cdmax, &p2), 0);
    assert_int_equal(smmuv3_ste_set(ste, "s1dss", 2), 0);
    assert_int_equal(smmuv3_strtab_write_ste(&e->st, 7, ste), 0);
    smmuv3_txn t = { .sid = 7, .addr = 0x7abc, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), 0);
    assert_int_equal(r.pa, 0xB0000abc);
    t.ssv = true;
    t.ssid = 130;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), 0);
    assert_int_equal(r.pa, 0xB0000abc);
    t.ssid = 131;   /* no CD there */
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    /* an IPA the stage 2 does not map cannot hold tables */
    smmuv3_pt s1b;
    assert_int_equal(smmuv3_pt_init_s1(&s1b, &ipa, 12, 25, 0x30000000), SMMUV3_ENOENT);
    env_free(e);
}

/* 52-bit output addresses with the 64K granule (PA[51:48] in bits 15:12). */
static void test_pt_52bit_oa(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_pt pt;
    assert_int_equal(smmuv3_pt_init_s1(&pt, &e->sp, 16, 22, SMMUV3_BUILD_ALLOC), 0);
    const uint64_t pa = 0x000A123456780000ull & ~0xffffull;
    assert_int_equal(smmuv3_pt_map(&pt, 0x10000, pa, 0x10000, SMMUV3_MAP_RW, 0), SMMUV3_ERANGE);
    pt.oa_bits = 52;
    assert_int_equal(smmuv3_pt_map(&pt, 0x10000, pa, 0x10000, SMMUV3_MAP_RW, 0), 0);
    uint64_t out, d;
    assert_int_equal(smmuv3_pt_lookup(&pt, 0x10010, &out, NULL, &d), 0);
    assert_int_equal(out, pa + 0x10);
    assert_int_equal((d >> 12) & 0xf, 0xA);
    /* 4K tables cannot express it without LPA2 */
    smmuv3_pt p4;
    assert_int_equal(smmuv3_pt_init_s1(&p4, &e->sp, 12, 25, SMMUV3_BUILD_ALLOC), 0);
    p4.oa_bits = 52;
    assert_int_equal(smmuv3_pt_map(&p4, 0x1000, 1ull << 49, 0x1000, SMMUV3_MAP_RW, 0), SMMUV3_ENOTSUP);
    env_free(e);
}

/* The structures are public; tampered fields give errors, not crashes. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc),
        cmocka_unit_test(test_spaces),
        cmocka_unit_test(test_images_by_name),
        cmocka_unit_test(test_ste_constructors),
        cmocka_unit_test(test_cd_constructor),
        cmocka_unit_test(test_strtab),
        cmocka_unit_test(test_cdtab),
        cmocka_unit_test(test_pt_geometry),
        cmocka_unit_test(test_pt_s1_4k),
        cmocka_unit_test(test_pt_s1_16k),
        cmocka_unit_test(test_pt_s1_64k),
        cmocka_unit_test(test_pt_s2_4k),
        cmocka_unit_test(test_pt_s2_16k),
        cmocka_unit_test(test_pt_s2_64k),
        cmocka_unit_test(test_pt_pokes),
        cmocka_unit_test(test_driver),
        cmocka_unit_test(test_driver_options),
        cmocka_unit_test(test_nested_ipa_allocation),
        cmocka_unit_test(test_pt_52bit_oa),
        cmocka_unit_test(test_tampered_structs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
