/* Unit tests: the register file (src/regs.c), driven through MMIO as drivers do. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "smmu_new.h"
#include "model/smmu.h"
#include "test_main.h"

/* ------------------------------------------------------------ fixture */
typedef struct fx {
    smmuv3_mem *mem;
    smmuv3 *s;
    unsigned irqs[4];
} fx;

static int h_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((fx *)ctx)->mem, pa, buf, len); }
static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((fx *)ctx)->mem, pa, buf, len); }
static void h_irq(void *ctx, smmuv3_irq line) { ((fx *)ctx)->irqs[line]++; }

static fx *fx_new(const smmuv3_config *c)
{
    fx *f = test_calloc(1, sizeof(*f));
    f->mem = smmuv3_mem_new();
    smmuv3_host h = { .ctx = f, .read = h_read, .write = h_write, .irq = h_irq };
    f->s = tst_smmu_new(c, &h);
    return f;
}

static void fx_free(fx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
    test_free(f);
}

static uint32_t r32(fx *f, uint64_t off) { return (uint32_t)smmuv3_mmio_read(f->s, off, 4); }
static uint64_t r64(fx *f, uint64_t off) { return smmuv3_mmio_read(f->s, off, 8); }
static void w32(fx *f, uint64_t off, uint32_t v) { smmuv3_mmio_write(f->s, off, v, 4); }
static void w64(fx *f, uint64_t off, uint64_t v) { smmuv3_mmio_write(f->s, off, v, 8); }

/* Poll a register until it equals v, as drivers do (bounded). */
static void poll_eq(fx *f, uint64_t off, uint32_t v)
{
    for (int i = 0; i < 10; i++)
        if (r32(f, off) == v)
            return;
    fail_msg("register 0x%llx never reached 0x%x (is 0x%x)", (unsigned long long)off, v, r32(f, off));
}

#define CMDQ_BASE_PA 0x100000ull
#define EVTQ_BASE_PA 0x200000ull
#define STRTAB_PA 0x400000ull

/* ------------------------------------------------------------ tests */
static void test_reset_values(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    assert_int_equal(r32(f, 0x20), 0);      /* CR0 */
    assert_int_equal(r32(f, 0x24), 0);      /* CR0ACK */
    assert_int_equal(r32(f, 0x44), 0x1000); /* GBPA: SHCFG = use incoming */
    assert_int_equal(r32(f, 0x48), 0);      /* AGBPA */
    assert_int_equal(r32(f, 0x50), 0);
    assert_int_equal(r32(f, 0x54), 0);
    assert_int_equal(r32(f, 0x60), 0);
    assert_int_equal(r32(f, 0x64), 0);
    assert_int_equal(r32(f, 0x40), 0);      /* STATUSR */
    /* unknown offsets, Secure page, page 1 holes */
    assert_int_equal(r32(f, 0x30), 0);
    assert_int_equal(r32(f, 0x8020), 0);
    assert_int_equal(r32(f, 0x10000), 0);
    assert_int_equal(r32(f, 0x1FFFC), 0);
    assert_int_equal(r64(f, 0xF8), 0);
    w32(f, 0x30, 0xffffffff);
    assert_int_equal(r32(f, 0x30), 0);
    fx_free(f);
}

static void test_id_regs_read_only(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    uint32_t idr[6];
    for (int i = 0; i < 6; i++) {
        idr[i] = r32(f, 4u * i);
        w32(f, 4u * i, ~idr[i]);
        assert_int_equal(r32(f, 4u * i), idr[i]);
    }
    w32(f, 0x18, 0x12345678);
    w32(f, 0x1C, 0xff);
    assert_int_equal(r32(f, 0x1C), 0x02);   /* AIDR: SMMUv3.2 */
    /* 64-bit read of IDR0/IDR1 as a pair */
    assert_int_equal(r64(f, 0x0), (uint64_t)idr[0] | (uint64_t)idr[1] << 32);
    /* GERROR is RO */
    w32(f, 0x60, 0x1);
    assert_int_equal(r32(f, 0x60), 0);
    fx_free(f);
}

/* Linux arm_smmu_device_reset() order; every register ends as expected. */
static void test_linux_bringup(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    /* disable and poll */
    w32(f, 0x20, 0);
    poll_eq(f, 0x24, 0);
    /* CR1: queue and table attributes (ISH, WB); CR2: PTM | RECINVSID */
    w32(f, 0x28, 0xD75);
    assert_int_equal(r32(f, 0x28), 0xD75);
    w32(f, 0x2C, 0x6);
    assert_int_equal(r32(f, 0x2C), 0x2);    /* PTM is RES0 without IDR0.BTM */
    /* stream table: RA | addr, 2-level, SPLIT 8, LOG2SIZE 16 */
    w64(f, 0x80, (1ull << 62) | STRTAB_PA);
    w32(f, 0x88, (1u << 16) | (8u << 6) | 16u);
    assert_int_equal(r64(f, 0x80), (1ull << 62) | STRTAB_PA);
    assert_int_equal(r32(f, 0x88), 0x10210);
    /* command queue */
    w64(f, 0x90, (1ull << 62) | CMDQ_BASE_PA | 8);
    w32(f, 0x98, 0);
    w32(f, 0x9C, 0);
    assert_int_equal(r64(f, 0x90), (1ull << 62) | CMDQ_BASE_PA | 8);
    w32(f, 0x20, 0x8);
    poll_eq(f, 0x24, 0x8);
    /* CFGI_ALL; TLBI_EL2_ALL; TLBI_NSNH_ALL; CMD_SYNC */
    uint64_t cmds[8] = { 0x04, 31, 0x20, 0, 0x30, 0, 0x46, 0 };
    uint8_t raw[64];
    le_store(raw, cmds, 8);
    smmuv3_mem_write(f->mem, CMDQ_BASE_PA, raw, sizeof(raw));
    w32(f, 0x98, 4);
    assert_int_equal(r32(f, 0x9C), 4);
    assert_int_equal(r32(f, 0x60), 0);
    /* event queue: page 1 PROD/CONS */
    w64(f, 0xA0, (1ull << 62) | EVTQ_BASE_PA | 7);
    w32(f, 0x100A8, 0);
    w32(f, 0x100AC, 0);
    w32(f, 0x20, 0xC);
    poll_eq(f, 0x24, 0xC);
    /* interrupts: disable, program MSIs, enable */
    w32(f, 0x50, 0);
    poll_eq(f, 0x54, 0);
    w64(f, 0x68, 0x8000040ull);
    w32(f, 0x70, 0x55);
    w32(f, 0x74, 0x1F);   /* MEMATTR=0xF, SH=1 */
    w64(f, 0xB0, 0x8000080ull);
    w32(f, 0xB8, 0x66);
    w32(f, 0xBC, 0x3F);
    w32(f, 0x50, 0x5);
    poll_eq(f, 0x54, 0x5);
    /* enable translation */
    w32(f, 0x20, 0xD);
    poll_eq(f, 0x24, 0xD);

    assert_int_equal(r32(f, 0x20), 0xD);
    assert_int_equal(r32(f, 0x28), 0xD75);
    assert_int_equal(r32(f, 0x2C), 0x2);
    assert_int_equal(r64(f, 0x68), 0x8000040ull);
    assert_int_equal(r32(f, 0x70), 0x55);
    assert_int_equal(r32(f, 0x74), 0x1F);
    assert_int_equal(r64(f, 0xB0), 0x8000080ull);
    assert_int_equal(r32(f, 0xB8), 0x66);
    assert_int_equal(r32(f, 0xBC), 0x3F);
    assert_int_equal(r64(f, 0xA0), (1ull << 62) | EVTQ_BASE_PA | 7);
    assert_int_equal(r32(f, 0x98), 4);
    assert_int_equal(r32(f, 0x9C), 4);
    assert_int_equal(r32(f, 0x100A8), 0);
    assert_int_equal(r32(f, 0x100AC), 0);
    assert_int_equal(r32(f, 0x60), 0);
    assert_int_equal(r32(f, 0x64), 0);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.commands, 4);
    fx_free(f);
}

/* Hafnium writes GBPA = UPDATE | SHCFG(use incoming) and polls UPDATE. */
static void test_gbpa(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w32(f, 0x44, 0x80001000u);
    assert_int_equal(r32(f, 0x44), 0x1000);
    /* ABORT with UPDATE: takes effect */
    w32(f, 0x44, 0x80100000u);
    assert_int_equal(r32(f, 0x44), 0x100000);
    /* without UPDATE: ignored */
    w32(f, 0x44, 0x00001000u);
    assert_int_equal(r32(f, 0x44), 0x100000);
    /* every field, plus RES0 bits */
    w32(f, 0x44, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x44), 0x1F3F1F);
    fx_free(f);
}

/* FreeBSD reads PROD/CONS pairs with 64-bit accesses. */
static void test_prod_cons_64bit(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w64(f, 0x90, CMDQ_BASE_PA | 4);
    w32(f, 0x98, 3);
    w32(f, 0x9C, 3);
    assert_int_equal(r64(f, 0x98), 3ull | 3ull << 32);
    w64(f, 0xA0, EVTQ_BASE_PA | 4);
    w32(f, 0x100A8, 0x80000011u);
    w32(f, 0x100AC, 0x80000005u);
    assert_int_equal(r64(f, 0x100A8), 0x80000011ull | 0x80000005ull << 32);
    /* 64-bit write to the pair while disabled sets both */
    w64(f, 0x100A8, 0x2ull | 0x1ull << 32);
    assert_int_equal(r32(f, 0x100A8), 2);
    assert_int_equal(r32(f, 0x100AC), 1);
    fx_free(f);
}

static void test_halves_of_64bit_regs(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w32(f, 0x80, 0x12345640u);
    w32(f, 0x84, 0x40000000u | 0x0000ABCDu);
    assert_int_equal(r64(f, 0x80), 0x4000ABCD12345640ull);
    assert_int_equal(r32(f, 0x84), 0x4000ABCDu);
    /* CMDQ_BASE: low half then high half */
    w32(f, 0x90, 0x00100005u);
    w32(f, 0x94, 0x00000001u);
    assert_int_equal(r64(f, 0x90), 0x0000000100100005ull);
    /* RES0 and above-OAS (48) bits are not stored; RA/WA kept */
    w64(f, 0x90, 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(r64(f, 0x90), 0x4000FFFFFFFFFFFFull);
    w64(f, 0x80, 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(r64(f, 0x80), 0x4000FFFFFFFFFFC0ull);
    w64(f, 0x68, 0xFFFFFFFFFFFFFFFFull);
    assert_int_equal(r64(f, 0x68), 0x0000FFFFFFFFFFFCull);
    w32(f, 0x74, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x74), 0x3F);
    w32(f, 0x88, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x88), 0x307FF);
    fx_free(f);
}

static void test_cr0_res0_and_ack(void **state)
{
    (void)state;
    /* the default profile has PRI and ATS: PRIQEN and ATSCHK are writable */
    fx *f = fx_new(NULL);
    w32(f, 0x20, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x20), 0x1F);
    assert_int_equal(r32(f, 0x24), 0x1F);
    w32(f, 0x20, 0);
    w32(f, 0x50, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x50), 0x7);
    fx_free(f);
    /* PRIQEN, ATSCHK, VMW are RES0 without PRI/ATS/VMW */
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.ats = c.pri = false;
    f = fx_new(&c);
    w32(f, 0x20, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x20), 0xD);
    assert_int_equal(r32(f, 0x24), 0xD);
    w32(f, 0x20, 0);
    assert_int_equal(r32(f, 0x24), 0);
    /* IRQ_CTRL: PRIQ_IRQEN RES0 without PRI */
    w32(f, 0x50, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x50), 0x5);
    assert_int_equal(r32(f, 0x54), 0x5);
    fx_free(f);
}

/* Registers that must only change while the relevant enable is 0. */
static void test_write_protection(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w64(f, 0x80, STRTAB_PA);
    w32(f, 0x88, 8);
    w32(f, 0x2C, 0x2);
    w32(f, 0x28, 0x5);
    w64(f, 0x90, CMDQ_BASE_PA | 4);
    w64(f, 0xA0, EVTQ_BASE_PA | 4);
    w32(f, 0x20, 0xD);
    /* SMMUEN: stream table and CR2 frozen; CR1 frozen while anything enabled */
    w64(f, 0x80, STRTAB_PA + 0x1000);
    w32(f, 0x88, 9);
    w32(f, 0x2C, 0x0);
    w32(f, 0x28, 0x0);
    assert_int_equal(r64(f, 0x80), STRTAB_PA);
    assert_int_equal(r32(f, 0x88), 8);
    assert_int_equal(r32(f, 0x2C), 0x2);
    assert_int_equal(r32(f, 0x28), 0x5);
    /* queues enabled: BASE and the SMMU-owned index frozen */
    w64(f, 0x90, CMDQ_BASE_PA + 0x1000);
    w64(f, 0xA0, EVTQ_BASE_PA + 0x1000);
    w32(f, 0x9C, 5);
    w32(f, 0x100A8, 5);
    assert_int_equal(r64(f, 0x90), CMDQ_BASE_PA | 4);
    assert_int_equal(r64(f, 0xA0), EVTQ_BASE_PA | 4);
    assert_int_equal(r32(f, 0x9C), 0);
    assert_int_equal(r32(f, 0x100A8), 0);
    /* the software-owned index is always writable */
    w32(f, 0x100AC, 0);
    assert_int_equal(r32(f, 0x100AC), 0);
    /* CR1 field by field: TABLE_* follow SMMUEN, QUEUE_* the queue enables */
    w32(f, 0x20, 0xC);                 /* queues on, SMMUEN off */
    w32(f, 0x28, 0xFFF);
    assert_int_equal(r32(f, 0x28), 0xFC5);
    w32(f, 0x20, 0x1);                 /* SMMUEN on, queues off */
    w32(f, 0x28, 0x000);
    assert_int_equal(r32(f, 0x28), 0xFC0);
    /* disable all: writable again */
    w32(f, 0x20, 0);
    w64(f, 0x80, STRTAB_PA + 0x1000);
    w32(f, 0x28, 0x0);
    w32(f, 0x9C, 5);
    w32(f, 0x100A8, 5);
    assert_int_equal(r64(f, 0x80), STRTAB_PA + 0x1000);
    assert_int_equal(r32(f, 0x28), 0);
    assert_int_equal(r32(f, 0x9C), 5);
    assert_int_equal(r32(f, 0x100A8), 5);
    fx_free(f);
}

static void test_msi_regs_absent_without_msi(void **state)
{
    (void)state;
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.msi = false;
    c.ats = c.pri = false;
    fx *f = fx_new(&c);
    w64(f, 0x68, 0x1000);
    w32(f, 0x70, 1);
    w32(f, 0x74, 1);
    w64(f, 0xB0, 0x1000);
    w32(f, 0xB8, 1);
    w32(f, 0xBC, 1);
    assert_int_equal(r64(f, 0x68), 0);
    assert_int_equal(r32(f, 0x70), 0);
    assert_int_equal(r32(f, 0x74), 0);
    assert_int_equal(r64(f, 0xB0), 0);
    assert_int_equal(r32(f, 0xB8), 0);
    assert_int_equal(r32(f, 0xBC), 0);
    /* PRI queue registers are absent without PRI */
    w64(f, 0xC0, 0x1000 | 4);
    w32(f, 0x100C8, 1);
    w32(f, 0x100CC, 1);
    assert_int_equal(r64(f, 0xC0), 0);
    assert_int_equal(r32(f, 0x100C8), 0);
    assert_int_equal(r32(f, 0x100CC), 0);
    fx_free(f);
}

/* GERROR/GERRORN toggle protocol and the GERROR interrupt. */
static void test_gerror_protocol(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w32(f, 0x50, 0x1);   /* GERROR_IRQEN; no MSI address: wired line */
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal(r32(f, 0x60), 0x1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    /* already active: no toggle, no interrupt */
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal(r32(f, 0x60), 0x1);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 1);
    /* acknowledge (Linux writes back the GERROR value) */
    w32(f, 0x64, r32(f, 0x60));
    assert_int_equal(r32(f, 0x64), 0x1);
    /* raise two: CMDQ_ERR toggles back to 0, EVENTQ_ABT_ERR to 1; one interrupt */
    smmu_gerror_raise(f->s, 0x1 | 0x4);
    assert_int_equal(r32(f, 0x60), 0x4);
    assert_int_equal(r32(f, 0x64), 0x1);
    assert_int_equal(r32(f, 0x60) ^ r32(f, 0x64), 0x5);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    w32(f, 0x64, r32(f, 0x60));
    assert_int_equal(r32(f, 0x60) ^ r32(f, 0x64), 0);
    /* GERRORN reads back what was written (implemented bits only) */
    w32(f, 0x64, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x64), 0x1FD);   /* with PRI: PRIQ_ABT_ERR and MSI_PRIQ_ABT_ERR */
    w32(f, 0x64, r32(f, 0x60));
    assert_int_equal(r32(f, 0x64), 0x4);

    /* MSI through GERROR_IRQ_CFG0/1, Guarded by GERROR_IRQEN */
    w64(f, 0x68, 0x9000);
    assert_int_equal(r64(f, 0x68), 0);
    w32(f, 0x50, 0);
    w64(f, 0x68, 0x9000);
    w32(f, 0x70, 0xCAFE);
    w32(f, 0x50, 0x1);
    w32(f, 0x70, 0xBEEF);            /* ignored: enabled */
    assert_int_equal(r32(f, 0x70), 0xCAFE);
    smmu_gerror_raise(f->s, 0x100);
    uint32_t v = 0;
    smmuv3_mem_read(f->mem, 0x9000, &v, 4);
    assert_int_equal(v, 0xCAFE);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    /* aborted GERROR MSI: MSI_GERROR_ABT_ERR, no further signal */
    smmuv3_mem_add_abort(f->mem, 0xA000, 0x1000);
    w32(f, 0x50, 0);
    w64(f, 0x68, 0xA000);
    w32(f, 0x50, 0x1);
    w32(f, 0x64, r32(f, 0x60));
    smmu_gerror_raise(f->s, 0x1);
    assert_int_equal((r32(f, 0x60) ^ r32(f, 0x64)), 0x81);
    /* IRQEN=0: no signal at all */
    w32(f, 0x50, 0);
    w32(f, 0x64, r32(f, 0x60));
    smmu_gerror_raise(f->s, 0x4);
    assert_int_equal(f->irqs[SMMUV3_IRQ_GERROR], 2);
    smmuv3_stats st;
    smmuv3_get_stats(f->s, &st);
    assert_int_equal(st.msis, 1);
    assert_int_equal(st.irqs[SMMUV3_IRQ_GERROR], 2);
    fx_free(f);
}

/* Toggling GERRORN for an inactive error activates it (documented choice):
 * CMDQ_ERR then holds command processing until it is toggled back. */
static void test_gerrorn_activates_inactive(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w64(f, 0x90, CMDQ_BASE_PA | 3);
    w32(f, 0x20, 0x8);
    w32(f, 0x64, 0x1);
    assert_int_equal(r32(f, 0x60) ^ r32(f, 0x64), 0x1);
    uint64_t cmd[2] = { SMMUV3_CMD_TLBI_NSNH_ALL, 0 };
    uint8_t raw[16];
    le_store(raw, cmd, 2);
    smmuv3_mem_write(f->mem, CMDQ_BASE_PA, raw, 16);
    w32(f, 0x98, 1);
    assert_int_equal(r32(f, 0x9C), 0);
    w32(f, 0x64, 0x0);
    assert_int_equal(r32(f, 0x9C), 1);
    fx_free(f);
}

/* SMMU-owned indexes: bits above the wrap bit read as zero (6.3.28). */
static void test_smmu_owned_index_raz(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w64(f, 0x90, CMDQ_BASE_PA | 2);
    w32(f, 0x9C, 0x7F0FFFFFu);
    assert_int_equal(r32(f, 0x9C), 0x7F000007u);   /* ERR written, RD[19:3] RAZ */
    w64(f, 0xA0, EVTQ_BASE_PA | 3);
    w32(f, 0x100A8, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x100A8), 0x8000000Fu);
    /* software-owned: stored as written */
    w32(f, 0x98, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x98), 0xFFFFF);
    w32(f, 0x100AC, 0xFFFFFFFFu);
    assert_int_equal(r32(f, 0x100AC), 0x800FFFFFu);
    fx_free(f);
}

static void test_reset_clears_runtime_state(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    w32(f, 0x28, 0xD75);
    w64(f, 0x90, CMDQ_BASE_PA | 4);
    w32(f, 0x20, 0xD);
    w32(f, 0x44, 0x80100000u);
    smmuv3_reset(f->s);
    assert_int_equal(r32(f, 0x20), 0);
    assert_int_equal(r32(f, 0x24), 0);
    assert_int_equal(r32(f, 0x28), 0);
    assert_int_equal(r64(f, 0x90), 0);
    assert_int_equal(r32(f, 0x44), 0x1000);
    fx_free(f);
}

/* While SMMUEN == 0, GBPA.ABORT decides between bypass and abort for every stream. */
static void test_gbpa_decides_when_disabled(void **state)
{
    (void)state;
    fx *f = fx_new(NULL);
    smmuv3_txn txn = { .sid = 3, .addr = 0x12345678, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result res;
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), 0);
    assert_int_equal(res.pa, 0x12345678);
    w32(f, 0x44, 0x80100000u);            /* ABORT with UPDATE */
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), SMMUV3_XLATE_ABORT);
    assert_int_equal(res.event, 0);
    w32(f, 0x44, 0x80001000u);            /* back to bypass */
    txn.sid = 0xFFFF;
    assert_int_equal(smmuv3_translate(f->s, &txn, &res), 0);
    assert_int_equal(res.pa, 0x12345678);
    fx_free(f);
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
    (void)state;
    fx *f = fx_new(NULL);
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
        assert_int_equal(r32(f, 0x24), r32(f, 0x20));
        assert_int_equal(r32(f, 0x54), r32(f, 0x50));
        assert_int_equal(r32(f, 0x44) >> 31, 0);
    }
    fx_free(f);
}

TEST_MAIN(test_reset_values, test_id_regs_read_only, test_linux_bringup, test_gbpa,
          test_prod_cons_64bit, test_halves_of_64bit_regs, test_cr0_res0_and_ack,
          test_write_protection, test_msi_regs_absent_without_msi, test_gerror_protocol,
          test_gerrorn_activates_inactive, test_smmu_owned_index_raz,
          test_reset_clears_runtime_state, test_gbpa_decides_when_disabled, test_random_programming)
