/* Unit tests: the register file (src/regs.c), driven through MMIO as drivers do.
 * Most tests are register scripts (helpers/regfx.h): writes, reads with the
 * value expected, polls. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "regfx.h"
#include "model/smmu.h"
#include "cfgfx.h"
#include "test_main.h"

#define CMDQ_BASE_PA 0x100000ull
#define EVTQ_BASE_PA 0x200000ull
#define STRTAB_PA 0x400000ull
#define RA (1ull << 62)

/* ------------------------------------------------------------ tests */
static void test_reset_values(void **state)
{
    static const regfx_step reset[] = {
        RF_R32(0x20, 0),      /* CR0 */
        RF_R32(0x24, 0),      /* CR0ACK */
        RF_R32(0x44, 0x1000), /* GBPA: SHCFG = use incoming */
        RF_R32(0x48, 0),      /* AGBPA */
        RF_R32(0x50, 0),
        RF_R32(0x54, 0),
        RF_R32(0x60, 0),
        RF_R32(0x64, 0),
        RF_R32(0x40, 0),      /* STATUSR */
        /* unknown offsets, Secure page, page 1 holes */
        RF_R32(0x30, 0),
        RF_R32(0x8020, 0),
        RF_R32(0x10000, 0),
        RF_R32(0x1FFFC, 0),
        RF_R64(0xF8, 0),
        RF_W32(0x30, 0xffffffff),
        RF_R32(0x30, 0),
    };
    regfx *f = *state;
    REGFX_RUN(f->s, reset);
}

static void test_id_regs_read_only(void **state)
{
    static const regfx_step rest[] = {
        RF_W32(0x18, 0x12345678),
        RF_W32(0x1C, 0xff),
        RF_R32(0x1C, 0x02),   /* AIDR: SMMUv3.2 */
        RF_W32(0x60, 0x1),    /* GERROR is RO */
        RF_R32(0x60, 0),
    };
    regfx *f = *state;
    uint32_t idr[6];
    for (int i = 0; i < 6; i++) {
        idr[i] = regfx_r32(f, 4u * i);
        regfx_w32(f, 4u * i, ~idr[i]);
        assert_int_equal(regfx_r32(f, 4u * i), idr[i]);
    }
    REGFX_RUN(f->s, rest);
    /* 64-bit read of IDR0/IDR1 as a pair */
    assert_int_equal(regfx_r64(f, 0x0), (uint64_t)idr[0] | (uint64_t)idr[1] << 32);
}

/* Linux arm_smmu_device_reset() order; every register ends as expected. */
static void test_linux_bringup(void **state)
{
    static const regfx_step to_cmdq[] = {
        /* disable and poll */
        RF_W32(0x20, 0),
        RF_POLL32(0x24, 0),
        /* CR1: queue and table attributes (ISH, WB); CR2: PTM | RECINVSID */
        RF_W32(0x28, 0xD75),
        RF_R32(0x28, 0xD75),
        RF_W32(0x2C, 0x6),
        RF_R32(0x2C, 0x2),    /* PTM is RES0 without IDR0.BTM */
        /* stream table: RA | addr, 2-level, SPLIT 8, LOG2SIZE 16 */
        RF_W64(0x80, RA | STRTAB_PA),
        RF_W32(0x88, (1u << 16) | (8u << 6) | 16u),
        RF_R64(0x80, RA | STRTAB_PA),
        RF_R32(0x88, 0x10210),
        /* command queue */
        RF_W64(0x90, RA | CMDQ_BASE_PA | 8),
        RF_W32(0x98, 0),
        RF_W32(0x9C, 0),
        RF_R64(0x90, RA | CMDQ_BASE_PA | 8),
        RF_W32(0x20, 0x8),
        RF_POLL32(0x24, 0x8),
    };
    static const regfx_step from_cmds[] = {
        RF_W32(0x98, 4),
        RF_R32(0x9C, 4),
        RF_R32(0x60, 0),
        /* event queue: page 1 PROD/CONS */
        RF_W64(0xA0, RA | EVTQ_BASE_PA | 7),
        RF_W32(0x100A8, 0),
        RF_W32(0x100AC, 0),
        RF_W32(0x20, 0xC),
        RF_POLL32(0x24, 0xC),
        /* interrupts: disable, program MSIs, enable */
        RF_W32(0x50, 0),
        RF_POLL32(0x54, 0),
        RF_W64(0x68, 0x8000040ull),
        RF_W32(0x70, 0x55),
        RF_W32(0x74, 0x1F),   /* MEMATTR=0xF, SH=1 */
        RF_W64(0xB0, 0x8000080ull),
        RF_W32(0xB8, 0x66),
        RF_W32(0xBC, 0x3F),
        RF_W32(0x50, 0x5),
        RF_POLL32(0x54, 0x5),
        /* enable translation */
        RF_W32(0x20, 0xD),
        RF_POLL32(0x24, 0xD),
        /* every register as left */
        RF_R32(0x20, 0xD),
        RF_R32(0x28, 0xD75),
        RF_R32(0x2C, 0x2),
        RF_R64(0x68, 0x8000040ull),
        RF_R32(0x70, 0x55),
        RF_R32(0x74, 0x1F),
        RF_R64(0xB0, 0x8000080ull),
        RF_R32(0xB8, 0x66),
        RF_R32(0xBC, 0x3F),
        RF_R64(0xA0, RA | EVTQ_BASE_PA | 7),
        RF_R32(0x98, 4),
        RF_R32(0x9C, 4),
        RF_R32(0x100A8, 0),
        RF_R32(0x100AC, 0),
        RF_R32(0x60, 0),
        RF_R32(0x64, 0),
    };
    regfx *f = *state;
    REGFX_RUN(f->s, to_cmdq);
    /* CFGI_ALL; TLBI_EL2_ALL; TLBI_NSNH_ALL; CMD_SYNC */
    uint64_t cmds[8] = { 0x04, 31, 0x20, 0, 0x30, 0, 0x46, 0 };
    uint8_t raw[64];
    le_store(raw, cmds, 8);
    smmuv3_mem_write(f->mem, CMDQ_BASE_PA, raw, sizeof(raw));
    REGFX_RUN(f->s, from_cmds);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.commands, 4);
}

/* Hafnium writes GBPA = UPDATE | SHCFG(use incoming) and polls UPDATE. */
static void test_gbpa(void **state)
{
    static const regfx_step gbpa[] = {
        RF_W32(0x44, 0x80001000u),
        RF_R32(0x44, 0x1000),
        /* ABORT with UPDATE: takes effect */
        RF_W32(0x44, 0x80100000u),
        RF_R32(0x44, 0x100000),
        /* without UPDATE: ignored */
        RF_W32(0x44, 0x00001000u),
        RF_R32(0x44, 0x100000),
        /* every field, plus RES0 bits */
        RF_W32(0x44, 0xFFFFFFFFu),
        RF_R32(0x44, 0x1F3F1F),
    };
    REGFX_RUN(((regfx *)*state)->s, gbpa);
}

/* FreeBSD reads PROD/CONS pairs with 64-bit accesses. */
static void test_prod_cons_64bit(void **state)
{
    static const regfx_step pairs[] = {
        RF_W64(0x90, CMDQ_BASE_PA | 4),
        RF_W32(0x98, 3),
        RF_W32(0x9C, 3),
        RF_R64(0x98, 3ull | 3ull << 32),
        RF_W64(0xA0, EVTQ_BASE_PA | 4),
        RF_W32(0x100A8, 0x80000011u),
        RF_W32(0x100AC, 0x80000005u),
        RF_R64(0x100A8, 0x80000011ull | 0x80000005ull << 32),
        /* 64-bit write to the pair while disabled sets both */
        RF_W64(0x100A8, 0x2ull | 0x1ull << 32),
        RF_R32(0x100A8, 2),
        RF_R32(0x100AC, 1),
    };
    REGFX_RUN(((regfx *)*state)->s, pairs);
}

static void test_halves_of_64bit_regs(void **state)
{
    static const regfx_step halves[] = {
        RF_W32(0x80, 0x12345640u),
        RF_W32(0x84, 0x40000000u | 0x0000ABCDu),
        RF_R64(0x80, 0x4000ABCD12345640ull),
        RF_R32(0x84, 0x4000ABCDu),
        /* CMDQ_BASE: low half then high half */
        RF_W32(0x90, 0x00100005u),
        RF_W32(0x94, 0x00000001u),
        RF_R64(0x90, 0x0000000100100005ull),
        /* RES0 and above-OAS (48) bits are not stored; RA/WA kept */
        RF_W64(0x90, 0xFFFFFFFFFFFFFFFFull),
        RF_R64(0x90, 0x4000FFFFFFFFFFFFull),
        RF_W64(0x80, 0xFFFFFFFFFFFFFFFFull),
        RF_R64(0x80, 0x4000FFFFFFFFFFC0ull),
        RF_W64(0x68, 0xFFFFFFFFFFFFFFFFull),
        RF_R64(0x68, 0x0000FFFFFFFFFFFCull),
        RF_W32(0x74, 0xFFFFFFFFu),
        RF_R32(0x74, 0x3F),
        RF_W32(0x88, 0xFFFFFFFFu),
        RF_R32(0x88, 0x307FF),
    };
    REGFX_RUN(((regfx *)*state)->s, halves);
}

static void test_cr0_res0_and_ack(void **state)
{
    /* the default profile has PRI and ATS: PRIQEN and ATSCHK are writable */
    static const regfx_step with_pri[] = {
        RF_W32(0x20, 0xFFFFFFFFu),
        RF_R32(0x20, 0x1F),
        RF_R32(0x24, 0x1F),
        RF_W32(0x20, 0),
        RF_W32(0x50, 0xFFFFFFFFu),
        RF_R32(0x50, 0x7),
    };
    /* PRIQEN, ATSCHK, VMW are RES0 without PRI/ATS/VMW */
    static const regfx_step without_pri[] = {
        RF_W32(0x20, 0xFFFFFFFFu),
        RF_R32(0x20, 0xD),
        RF_R32(0x24, 0xD),
        RF_W32(0x20, 0),
        RF_R32(0x24, 0),
        /* IRQ_CTRL: PRIQ_IRQEN RES0 without PRI */
        RF_W32(0x50, 0xFFFFFFFFu),
        RF_R32(0x50, 0x5),
        RF_R32(0x54, 0x5),
    };
    REGFX_RUN(((regfx *)*state)->s, with_pri);
    smmuv3_config c = CFGFX(CF(ats, false), CF(pri, false));
    regfx *f = regfx_new(&c);
    REGFX_RUN(f->s, without_pri);
    regfx_free(f);
}

/* Registers that must only change while the relevant enable is 0. */
static void test_write_protection(void **state)
{
    static const regfx_step prot[] = {
        RF_W64(0x80, STRTAB_PA),
        RF_W32(0x88, 8),
        RF_W32(0x2C, 0x2),
        RF_W32(0x28, 0x5),
        RF_W64(0x90, CMDQ_BASE_PA | 4),
        RF_W64(0xA0, EVTQ_BASE_PA | 4),
        RF_W32(0x20, 0xD),
        /* SMMUEN: stream table and CR2 frozen; CR1 frozen while anything enabled */
        RF_W64(0x80, STRTAB_PA + 0x1000),
        RF_W32(0x88, 9),
        RF_W32(0x2C, 0x0),
        RF_W32(0x28, 0x0),
        RF_R64(0x80, STRTAB_PA),
        RF_R32(0x88, 8),
        RF_R32(0x2C, 0x2),
        RF_R32(0x28, 0x5),
        /* queues enabled: BASE and the SMMU-owned index frozen */
        RF_W64(0x90, CMDQ_BASE_PA + 0x1000),
        RF_W64(0xA0, EVTQ_BASE_PA + 0x1000),
        RF_W32(0x9C, 5),
        RF_W32(0x100A8, 5),
        RF_R64(0x90, CMDQ_BASE_PA | 4),
        RF_R64(0xA0, EVTQ_BASE_PA | 4),
        RF_R32(0x9C, 0),
        RF_R32(0x100A8, 0),
        /* the software-owned index is always writable */
        RF_W32(0x100AC, 0),
        RF_R32(0x100AC, 0),
        /* CR1 field by field: TABLE_* follow SMMUEN, QUEUE_* the queue enables */
        RF_W32(0x20, 0xC),    /* queues on, SMMUEN off */
        RF_W32(0x28, 0xFFF),
        RF_R32(0x28, 0xFC5),
        RF_W32(0x20, 0x1),    /* SMMUEN on, queues off */
        RF_W32(0x28, 0x000),
        RF_R32(0x28, 0xFC0),
        /* disable all: writable again */
        RF_W32(0x20, 0),
        RF_W64(0x80, STRTAB_PA + 0x1000),
        RF_W32(0x28, 0x0),
        RF_W32(0x9C, 5),
        RF_W32(0x100A8, 5),
        RF_R64(0x80, STRTAB_PA + 0x1000),
        RF_R32(0x28, 0),
        RF_R32(0x9C, 5),
        RF_R32(0x100A8, 5),
    };
    REGFX_RUN(((regfx *)*state)->s, prot);
}

static void test_msi_regs_absent_without_msi(void **state)
{
    (void)state;
    static const regfx_step absent[] = {
        RF_W64(0x68, 0x1000),
        RF_W32(0x70, 1),
        RF_W32(0x74, 1),
        RF_W64(0xB0, 0x1000),
        RF_W32(0xB8, 1),
        RF_W32(0xBC, 1),
        RF_R64(0x68, 0),
        RF_R32(0x70, 0),
        RF_R32(0x74, 0),
        RF_R64(0xB0, 0),
        RF_R32(0xB8, 0),
        RF_R32(0xBC, 0),
        /* PRI queue registers are absent without PRI */
        RF_W64(0xC0, 0x1000 | 4),
        RF_W32(0x100C8, 1),
        RF_W32(0x100CC, 1),
        RF_R64(0xC0, 0),
        RF_R32(0x100C8, 0),
        RF_R32(0x100CC, 0),
    };
    smmuv3_config c = CFGFX(CF(msi, false), CF(ats, false), CF(pri, false));
    regfx *f = regfx_new(&c);
    REGFX_RUN(f->s, absent);
    regfx_free(f);
}
/* STRTAB_BASE_CFG.FMT and SPLIT exist only when IDR0.ST_LEVEL != 0b00; without
 * 2-level Stream tables they are RES0 (IHI 0070 6.3.25), which reads as zero
 * (6.2), in the Non-secure and the Secure register alike (6.3.73). */
static void test_strtab_cfg_res0_without_2level(void **state)
{
    (void)state;
    static const regfx_step linear[] = {
        RF_W32(0x88, (1u << 16) | (8u << 6) | 6),   /* FMT 2-level, SPLIT 8, LOG2SIZE 6 */
        RF_R32(0x88, 6),
        RF_W32(0x88, 0xffffffffu),
        RF_R32(0x88, 0x3f),
    };
    static const regfx_step two_level[] = {
        RF_W32(0x88, (1u << 16) | (8u << 6) | 6),
        RF_R32(0x88, (1u << 16) | (8u << 6) | 6),
    };
    smmuv3_config c = CFGFX(CF(st_2level, false), CF(sidsize, 6), CF(s_sidsize, 6));
    regfx *f = regfx_new(&c);
    REGFX_RUN(f->s, linear);
    smmuv3_mmio_write_sec(f->s, 0x8088, (1u << 16) | (8u << 6) | 6, 4, true);
    assert_int_equal(smmuv3_mmio_read_sec(f->s, 0x8088, 4, true), 6);
    regfx_free(f);
    f = regfx_new(NULL);
    REGFX_RUN(f->s, two_level);
    regfx_free(f);
}

/* GERROR/GERRORN toggle protocol and the GERROR interrupt. */
static void test_gerror_protocol(void **state)
{
    regfx *f = *state;
    regfx_w32(f, 0x50, 0x1);   /* GERROR_IRQEN; no MSI address: wired line */
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal(regfx_r32(f, 0x60), 0x1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    /* already active: no toggle, no interrupt */
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal(regfx_r32(f, 0x60), 0x1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    /* acknowledge (Linux writes back the GERROR value) */
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    assert_int_equal(regfx_r32(f, 0x64), 0x1);
    /* raise two: CMDQ_ERR toggles back to 0, EVENTQ_ABT_ERR to 1; one interrupt */
    smmu_gerror_raise(f->s, 0x1 | 0x4);
    assert_int_equal(regfx_r32(f, 0x60), 0x4);
    assert_int_equal(regfx_r32(f, 0x64), 0x1);
    assert_int_equal(regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64), 0x5);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    assert_int_equal(regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64), 0);
    /* GERRORN reads back what was written (implemented bits only) */
    regfx_w32(f, 0x64, 0xFFFFFFFFu);
    assert_int_equal(regfx_r32(f, 0x64), 0x1FD);   /* with PRI: PRIQ_ABT_ERR and MSI_PRIQ_ABT_ERR */
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    assert_int_equal(regfx_r32(f, 0x64), 0x4);

    /* MSI through GERROR_IRQ_CFG0/1, Guarded by GERROR_IRQEN */
    regfx_w64(f, 0x68, 0x9000);
    assert_int_equal(regfx_r64(f, 0x68), 0);
    regfx_w32(f, 0x50, 0);
    regfx_w64(f, 0x68, 0x9000);
    regfx_w32(f, 0x70, 0xCAFE);
    regfx_w32(f, 0x50, 0x1);
    regfx_w32(f, 0x70, 0xBEEF);            /* ignored: enabled */
    assert_int_equal(regfx_r32(f, 0x70), 0xCAFE);
    smmu_gerror_raise(f->s, 0x100);
    uint32_t v = 0;
    smmuv3_mem_read(f->mem, 0x9000, &v, 4);
    assert_int_equal(v, 0xCAFE);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    /* aborted GERROR MSI: MSI_GERROR_ABT_ERR, no further signal */
    smmuv3_mem_add_abort(f->mem, 0xA000, 0x1000);
    regfx_w32(f, 0x50, 0);
    regfx_w64(f, 0x68, 0xA000);
    regfx_w32(f, 0x50, 0x1);
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal((regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64)), 0x81);
    /* IRQEN=0: no signal at all */
    regfx_w32(f, 0x50, 0);
    regfx_w32(f, 0x64, regfx_r32(f, 0x60));
    smmu_gerror_raise(f->s, 0x4);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.msis, 1);
    assert_int_equal(st.irqs[SMMUV3_IRQ_GERROR], 2);
}

/* Toggling GERRORN for an inactive error activates it (documented choice):
 * CMDQ_ERR then holds command processing until it is toggled back. */
static void test_gerrorn_activates_inactive(void **state)
{
    regfx *f = *state;
    regfx_w64(f, 0x90, CMDQ_BASE_PA | 3);
    regfx_w32(f, 0x20, 0x8);
    regfx_w32(f, 0x64, 0x1);
    assert_int_equal(regfx_r32(f, 0x60) ^ regfx_r32(f, 0x64), 0x1);
    uint64_t cmd[2] = { SMMUV3_CMD_TLBI_NSNH_ALL, 0 };
    uint8_t raw[16];
    le_store(raw, cmd, 2);
    smmuv3_mem_write(f->mem, CMDQ_BASE_PA, raw, 16);
    regfx_w32(f, 0x98, 1);
    assert_int_equal(regfx_r32(f, 0x9C), 0);
    regfx_w32(f, 0x64, 0x0);
    assert_int_equal(regfx_r32(f, 0x9C), 1);
}

/* SMMU-owned indexes: bits above the wrap bit read as zero (6.3.28). */
static void test_smmu_owned_index_raz(void **state)
{
    static const regfx_step raz[] = {
        RF_W64(0x90, CMDQ_BASE_PA | 2),
        RF_W32(0x9C, 0x7F0FFFFFu),
        RF_R32(0x9C, 0x7F000007u),   /* ERR written, RD[19:3] RAZ */
        RF_W64(0xA0, EVTQ_BASE_PA | 3),
        RF_W32(0x100A8, 0xFFFFFFFFu),
        RF_R32(0x100A8, 0x8000000Fu),
        /* software-owned: stored as written */
        RF_W32(0x98, 0xFFFFFFFFu),
        RF_R32(0x98, 0xFFFFF),
        RF_W32(0x100AC, 0xFFFFFFFFu),
        RF_R32(0x100AC, 0x800FFFFFu),
    };
    REGFX_RUN(((regfx *)*state)->s, raz);
}

static void test_reset_clears_runtime_state(void **state)
{
    static const regfx_step before[] = {
        RF_W32(0x28, 0xD75),
        RF_W64(0x90, CMDQ_BASE_PA | 4),
        RF_W32(0x20, 0xD),
        RF_W32(0x44, 0x80100000u),
    };
    static const regfx_step after[] = {
        RF_R32(0x20, 0),
        RF_R32(0x24, 0),
        RF_R32(0x28, 0),
        RF_R64(0x90, 0),
        RF_R32(0x44, 0x1000),
    };
    regfx *f = *state;
    REGFX_RUN(f->s, before);
    smmuv3_reset(f->s);
    REGFX_RUN(f->s, after);
}

/* While SMMUEN == 0, GBPA.ABORT decides between bypass and abort for every stream. */
static void test_gbpa_decides_when_disabled(void **state)
{
    regfx *f = *state;
    smmuv3_txn txn = { .sid = 3, .addr = 0x12345678, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result res;
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), 0);
    assert_int_equal(res.pa, 0x12345678);
    regfx_w32(f, 0x44, 0x80100000u);            /* ABORT with UPDATE */
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), SMMUV3_XLATE_ABORT);
    assert_int_equal(res.event, 0);
    regfx_w32(f, 0x44, 0x80001000u);            /* back to bypass */
    txn.sid = 0xFFFF;
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), 0);
    assert_int_equal(res.pa, 0x12345678);
}

/* Random register programming, queue contents and event records: the model
 * must stay within bounds (ASan/UBSan) and keep its invariants. */
static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 11;
}

static void test_random_programming(void **state)
{
    regfx *f = *state;
    uint64_t x = 12345;
    static const uint32_t offs[] = { 0x20, 0x28, 0x2C, 0x44, 0x50, 0x64, 0x68, 0x6C, 0x70, 0x74, 0x80,
                                     0x84, 0x88, 0x90, 0x94, 0x98, 0x9C, 0xA0, 0xA4, 0xB0, 0xB4, 0xB8,
                                     0xBC, 0xC0, 0xC8, 0xCC, 0xD0, 0x100A8, 0x100AC, 0x100C8, 0x100CC };
    uint8_t junk[64];
    for (int i = 0; i < 20000; i++) {
        uint64_t r = lcg(&x);
        uint32_t off = offs[r % (sizeof(offs) / sizeof(offs[0]))];
        uint64_t v = lcg(&x) ^ (lcg(&x) << 32);
        if (off == 0x90 || off == 0xA0)   /* keep queues small and low most of the time */
            v = (v & 0xF0000000FFFFFFE0ull) | ((v >> 5) % 6);
        if ((r >> 8) % 3 == 0 && (off & 7) == 0)
            smmuv3_mmio_write(f->s, off, v, 8);
        else
            smmuv3_mmio_write(f->s, off, (uint32_t)v, 4);
        if ((r >> 12) % 16 == 0) {
            for (unsigned k = 0; k < sizeof(junk); k++)
                junk[k] = (uint8_t)lcg(&x);
            smmuv3_mem_write(f->mem, (lcg(&x) & 0xFFFFC0) , junk, sizeof(junk));
        }
        if ((r >> 16) % 8 == 0) {
            smmu_event ev;
            memset(&ev, 0, sizeof(ev));
            ev.id = (uint8_t)lcg(&x);
            ev.sid = (uint32_t)lcg(&x);
            ev.input_addr = lcg(&x);
            ev.fetch_addr = lcg(&x);
            ev.ipa = lcg(&x);
            ev.s2 = lcg(&x) & 1;
            ev.stall = lcg(&x) & 1;
            smmu_event_record(f->s, &ev);
        }
        (void)smmuv3_mmio_read(f->s, off, 4);
        assert_int_equal(regfx_r32(f, 0x24), regfx_r32(f, 0x20));
        assert_int_equal(regfx_r32(f, 0x54), regfx_r32(f, 0x50));
        assert_int_equal(regfx_r32(f, 0x44) >> 31, 0);
    }
}

TEST_MAIN_FX(regfx_setup, regfx_teardown, test_reset_values, test_id_regs_read_only,
             test_linux_bringup, test_gbpa, test_prod_cons_64bit, test_halves_of_64bit_regs, test_cr0_res0_and_ack,
             test_write_protection, test_msi_regs_absent_without_msi, test_strtab_cfg_res0_without_2level, test_gerror_protocol,
             test_gerrorn_activates_inactive, test_smmu_owned_index_raz,
             test_reset_clears_runtime_state, test_gbpa_decides_when_disabled, test_random_programming)
