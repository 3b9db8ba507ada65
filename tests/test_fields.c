/* Unit tests: field tables (src/fields.c, src/fields_def.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "fields/fields.h"
#include "test_main.h"

static uint64_t word_of(const uint8_t *img, unsigned w) { return le64_load(img + 8 * w); }

/* Every field of every structure: set all ones, check exactly its bits are set
 * in exactly its word, then read it back; set 1 and check the lsb. */
static void test_every_field_exact_bits(void **state)
{
    (void)state;
    for (unsigned i = 0; i < smmuv3_struct_count(); i++) {
        const smmuv3_struct *st = smmuv3_struct_at(i);
        assert_non_null(st);
        assert_true(st->nfields > 0);
        for (unsigned j = 0; j < st->nfields; j++) {
            const smmuv3_field *f = &st->fields[j];
            uint8_t img[64];
            memset(img, 0, sizeof(img));
            assert_true(f->msb >= f->lsb && f->msb < 64);
            assert_true(8u * f->word + 8 <= (st->size < 8 ? 8 : st->size));
            uint64_t max = smmuv3_field_max(f);
            assert_int_equal(smmuv3_field_set(f, img, max), 0);
            unsigned w = f->msb - f->lsb + 1;
            uint64_t mask = (w == 64 ? ~0ull : ((1ull << w) - 1)) << f->lsb;
            for (unsigned k = 0; k < 8; k++)
                assert_int_equal(word_of(img, k), k == f->word ? mask : 0);
            assert_int_equal(smmuv3_field_get(f, img), max);
            /* one step above the field does not fit */
            if (!f->addr && w < 64)
                assert_int_equal(smmuv3_field_set(f, img, max + 1), SMMUV3_ERANGE);
            if (f->addr && f->lsb > 0)
                assert_int_equal(smmuv3_field_set(f, img, 1), SMMUV3_ERANGE);
            assert_ptr_equal(smmuv3_field_find(st, f->name), f);
        }
    }
}

static uint64_t set_named(uint8_t *img, const char *st, const char *name, uint64_t v)
{
    const smmuv3_struct *s = smmuv3_struct_find(st);
    assert_non_null(s);
    const smmuv3_field *f = smmuv3_field_find(s, name);
    assert_non_null(f);
    assert_int_equal(smmuv3_field_set(f, img, v), 0);
    return smmuv3_field_get(f, img);
}

static void test_literal_ste_and_cd(void **state)
{
    (void)state;
    uint8_t ste[64] = { 0 };
    set_named(ste, "ste", "v", 1);
    set_named(ste, "ste", "config", 5);
    assert_int_equal(set_named(ste, "ste", "s1contextptr", 0x4E178FC0), 0x4E178FC0);
    assert_int_equal(word_of(ste, 0), 0x4E178FCBull);

    uint8_t cd[64] = { 0 };
    set_named(cd, "cd", "t0sz", 16);
    set_named(cd, "cd", "tg0", 0);
    set_named(cd, "cd", "epd1", 1);
    set_named(cd, "cd", "v", 1);
    set_named(cd, "cd", "ips", 4);
    set_named(cd, "cd", "aa64", 1);
    set_named(cd, "cd", "r", 1);
    set_named(cd, "cd", "a", 1);
    set_named(cd, "cd", "asid", 0x1E20);
    assert_int_equal(word_of(cd, 0), 0x1E206204C0000010ull);
}

/* Positions from the facts sheet, checked literally (a second, independent statement). */
static void test_facts_sheet_positions(void **state)
{
    (void)state;
    struct { const char *st, *f; unsigned w, msb, lsb; } t[] = {
        { "ste", "s1cdmax", 0, 63, 59 }, { "ste", "s1dss", 1, 1, 0 }, { "ste", "strw", 1, 31, 30 },
        { "ste", "eats", 1, 29, 28 }, { "ste", "s2vmid", 2, 15, 0 }, { "ste", "s2t0sz", 2, 37, 32 },
        { "ste", "s2sl0", 2, 39, 38 }, { "ste", "s2tg", 2, 47, 46 }, { "ste", "s2ps", 2, 50, 48 },
        { "ste", "s2aa64", 2, 51, 51 }, { "ste", "s2r", 2, 58, 58 }, { "ste", "s2ttb", 3, 55, 4 },
        { "ste", "privcfg", 1, 49, 48 }, { "ste", "instcfg", 1, 51, 50 }, { "ste", "shcfg", 1, 45, 44 },
        { "cd", "tg1", 0, 23, 22 }, { "cd", "asid", 0, 63, 48 }, { "cd", "ttb0", 1, 55, 4 },
        { "cd", "mair1", 3, 63, 32 }, { "cd", "had1", 2, 1, 1 },
        { "l1std", "span", 0, 4, 0 }, { "l1cd", "l2ptr", 0, 55, 12 },
        { "event", "streamid", 0, 63, 32 }, { "event", "class", 1, 41, 40 }, { "event", "s2", 1, 39, 39 },
        { "event", "rnw", 1, 35, 35 }, { "event", "inputaddr", 2, 63, 0 },
        { "pri", "ssv", 0, 63, 63 }, { "pri", "prgi", 1, 8, 0 },
        { "CMD_SYNC", "cs", 0, 13, 12 }, { "CMD_SYNC", "msidata", 0, 63, 32 }, { "CMD_SYNC", "msiaddr", 1, 55, 2 },
        { "CMD_TLBI_NH_VA", "scale", 0, 24, 20 }, { "CMD_TLBI_NH_VA", "num", 0, 16, 12 },
        { "CMD_TLBI_NH_VA", "tg", 1, 11, 10 }, { "CMD_RESUME", "stag", 1, 15, 0 },
        { "CMD_PRI_RESP", "resp", 1, 13, 12 }, { "CMD_ATC_INV", "size", 1, 5, 0 },
        { "idr0", "st_level", 0, 28, 27 }, { "idr1", "cmdqs", 0, 25, 21 }, { "idr5", "stall_max", 0, 31, 16 },
        { "gbpa", "update", 0, 31, 31 }, { "gerror", "sfm_err", 0, 8, 8 }, { "strtab_base_cfg", "fmt", 0, 17, 16 },
        { "q_cons", "err", 0, 30, 24 }, { "cr0", "vmw", 0, 8, 6 },
        /* IHI 0070 H.a 5.2 / 5.4 absolute bits: S2NSW 192, S2NSA 193, PARTID 287:272,
         * PMG 327:320, S_S2TTB 439:388, S_S2T0SZ 293:288, S_S2SL0 295:294, S_S2TG 303:302; CD HWU0 127:124, HWU1 191:188; 7.3.16 TTRnW 108 */
        { "ste", "s2nsw", 3, 0, 0 }, { "ste", "s2nsa", 3, 1, 1 }, { "ste", "partid", 4, 31, 16 },
        { "ste", "pmg", 5, 7, 0 }, { "ste", "s_s2ttb", 6, 55, 4 }, { "ste", "s_s2t0sz", 4, 37, 32 },
        { "ste", "s_s2sl0", 4, 39, 38 }, { "ste", "s_s2tg", 4, 47, 46 },
        { "cd", "hwu0", 1, 63, 60 }, { "cd", "hwu1", 2, 63, 60 }, { "event", "ttrnw", 1, 44, 44 },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        const smmuv3_field *f = smmuv3_field_find(smmuv3_struct_find(t[i].st), t[i].f);
        assert_non_null(f);
        assert_int_equal(f->word, t[i].w);
        assert_int_equal(f->msb, t[i].msb);
        assert_int_equal(f->lsb, t[i].lsb);
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(smmuv3_command_opcode("CMD_SYNC"), 0x46);
    assert_int_equal(smmuv3_command_opcode("tlbi_nh_va"), 0x12);
    assert_int_equal(smmuv3_command_opcode("NOPE"), SMMUV3_ENOENT);
    assert_string_equal(smmuv3_command_name(0x03), "CMD_CFGI_STE");
    assert_null(smmuv3_command_name(0x99));
    assert_string_equal(smmuv3_command_layout(0x2A)->name, "CMD_TLBI_S2_IPA");
    assert_int_equal(smmuv3_event_id("F_PERMISSION"), 0x13);
    assert_string_equal(smmuv3_event_name(0x0B), "F_WALK_EABT");
    assert_int_equal(SMMUV3_EVT_C_BAD_CD, 0x0A);
    assert_int_equal(SMMUV3_CMD_TLBI_S12_VMALL, 0x28);
    const smmuv3_reg *r = smmuv3_reg_find("EVENTQ_PROD");
    assert_non_null(r);
    assert_int_equal(r->offset, 0x100A8);
    assert_ptr_equal(smmuv3_reg_by_offset(0x9C), smmuv3_reg_find("cmdq_cons"));
    assert_int_equal(smmuv3_reg_find("gerror_irq_cfg0")->size, 8);
    assert_string_equal(smmuv3_field_suggest(smmuv3_struct_find("ste"), "s2tsz"), "s2t0sz");
    assert_null(smmuv3_field_suggest(smmuv3_struct_find("ste"), "completely_wrong"));
    const char *const names[] = { "translate", "map", "unmap", NULL };
    assert_string_equal(smmuv3_name_suggest(names, "tranlate"), "translate");
    assert_string_equal(smmuv3_name_suggest(names, "MAPP"), "map");
    assert_null(smmuv3_name_suggest(names, "expect_events"));
    assert_null(smmuv3_name_suggest(NULL, "map"));
    assert_null(smmuv3_struct_find("nope"));
    /* internal constants agree with the table */
    assert_int_equal(SMMU_FMSB(F_STE_s1contextptr), 55);
    assert_int_equal(REG_GERRORN, 0x64);
}

TEST_MAIN(test_every_field_exact_bits, test_literal_ste_and_cd, test_facts_sheet_positions,
          test_names)
