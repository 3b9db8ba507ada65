/* SPDX-License-Identifier: MIT */
/*
 * Conformance: the model driven the way Linux's arm-smmu-v3 driver drives an
 * SMMUv3 (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c, io-pgtable-arm.c),
 * through the API.md entry points only: simulated memory, MMIO accesses of 4
 * and 8 bytes, smmuv3_translate(). No builders, no internal headers: every
 * structure is written byte by byte as that driver lays it out, and every
 * bit position is spelled out here from IHI 0070.
 *
 * Re-enacted (facts only):
 * - arm_smmu_device_hw_probe: IDR0/1/3/5 and what the driver refuses.
 * - arm_smmu_device_reset: CR0 disable + CR0ACK poll, CR1 = 0xD75, CR2 =
 *   PTM|RECINVSID, STRTAB_BASE with RA, STRTAB_BASE_CFG (linear and 2-level
 *   with SPLIT 8), CMDQ/EVENTQ bases with Q_BASE_RWA, PROD/CONS, CMDQEN,
 *   CFGI_ALL + TLBI_EL2_ALL + TLBI_NSNH_ALL + CMD_SYNC, EVTQEN, IRQ_CTRL 0 +
 *   ack, MSI configuration registers, IRQ_CTRL enables, SMMUEN.
 * - arm_smmu_init_initial_stes (abort STEs), arm_smmu_make_cdtable_ste,
 *   arm_smmu_make_s1_cd, arm_smmu_make_s2_domain_ste, arm_smmu_write_entry
 *   ("used bits": hitless and breaking updates with CFGI_STE + CMD_SYNC
 *   between the qword writes), L1 STD / L1 CD descriptors.
 * - io-pgtable-arm ARM_64_LPAE_S1/S2 descriptors (4K granule, 48 bits).
 * - TLB maintenance: TLBI_NH_VA / NH_ASID / S2_IPA / S12_VMALL + CMD_SYNC,
 *   the range form (TG/SCALE/NUM/TTL) when IDR3.RIL is set, the per-page
 *   form when it is not.
 * - CMD_SYNC completion by polling CMDQ_CONS and by MSI to the SYNC's own
 *   slot (MSIPOLL); command errors (CMDQ_CONS.ERR, GERROR/GERRORN, skip).
 * - Event queue handling: EVENTQ_PROD/CONS on page 1, record decoding,
 *   overflow acknowledgement, event and GERROR MSIs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>

/* ------------------------------------------------------------ registers (6.2) */
#define IDR0 0x00
#define IDR1 0x04
#define IDR3 0x0C
#define IDR5 0x14
#define IIDR 0x18
#define AIDR 0x1C
#define CR0 0x20
#define CR0ACK 0x24
#define CR1 0x28
#define CR2 0x2C
#define GBPA 0x44
#define IRQ_CTRL 0x50
#define IRQ_CTRLACK 0x54
#define GERROR 0x60
#define GERRORN 0x64
#define GERROR_IRQ_CFG0 0x68
#define GERROR_IRQ_CFG1 0x70
#define GERROR_IRQ_CFG2 0x74
#define STRTAB_BASE 0x80
#define STRTAB_BASE_CFG 0x88
#define CMDQ_BASE 0x90
#define CMDQ_PROD 0x98
#define CMDQ_CONS 0x9C
#define EVENTQ_BASE 0xA0
#define EVENTQ_IRQ_CFG0 0xB0
#define EVENTQ_IRQ_CFG1 0xB8
#define EVENTQ_IRQ_CFG2 0xBC
#define EVENTQ_PROD 0x100A8
#define EVENTQ_CONS 0x100AC

#define CR0_SMMUEN (1u << 0)
#define CR0_EVTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define GBPA_UPDATE (1u << 31)
#define GBPA_ABORT (1u << 20)
#define IRQ_CTRL_GERROR (1u << 0)
#define IRQ_CTRL_EVTQ (1u << 2)
#define Q_BASE_RWA (1ull << 62)
#define STRTAB_BASE_RA (1ull << 62)

/* Linux's values */
#define LINUX_CR1 0xD75u          /* TABLE_SH/QUEUE_SH ISH, WB caches */
#define LINUX_CR2 0x6u            /* PTM | RECINVSID */
#define LINUX_MAIR 0xF404FF44ull  /* io-pgtable: NC, WBWA, DEV nGnRE, INC_OCACHE */
#define STRTAB_SPLIT 8u

/* ------------------------------------------------------------ memory layout */
#define CMDQ_ADDR 0x40000000ull
#define CMDQ_LOG2 8u
#define EVTQ_ADDR 0x40100000ull
#define EVTQ_LOG2 7u
#define STRTAB_ADDR 0x40200000ull
#define MSI_EVTQ 0x08020040ull    /* a doorbell page (GIC ITS-like) */
#define MSI_GERROR 0x08020080ull
#define ALLOC_BASE 0x50000000ull

typedef struct drv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config cfg;
    uint32_t cmdq_prod;
    uint32_t evtq_cons;
    unsigned evtq_log2;
    bool two_level;
    unsigned sid_bits;
    uint64_t next;           /* bump allocator */
} drv;

/* ------------------------------------------------------------ small helpers */
static uint32_t rd32(drv *d, uint64_t off) { return (uint32_t)smmuv3_mmio_read(d->s, off, 4); }
static uint64_t rd64(drv *d, uint64_t off) { return smmuv3_mmio_read(d->s, off, 8); }
static void wr32(drv *d, uint64_t off, uint32_t v) { smmuv3_mmio_write(d->s, off, v, 4); }
static void wr64(drv *d, uint64_t off, uint64_t v) { smmuv3_mmio_write(d->s, off, v, 8); }

static void mw64(drv *d, uint64_t pa, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    assert_int_equal(smmuv3_mem_write(d->mem, pa, b, 8), 0);
}

static uint64_t mr64(drv *d, uint64_t pa)
{
    uint8_t b[8];
    uint64_t v = 0;
    assert_int_equal(smmuv3_mem_read(d->mem, pa, b, 8), 0);
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint32_t mr32(drv *d, uint64_t pa)
{
    uint8_t b[4];
    assert_int_equal(smmuv3_mem_read(d->mem, pa, b, 4), 0);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* dma_alloc_coherent-style: zeroed, aligned to the power of two >= size (min 4K) */
static uint64_t dalloc(drv *d, uint64_t size)
{
    uint64_t align = 4096;
    while (align < size)
        align <<= 1;
    d->next = (d->next + align - 1) & ~(align - 1);
    uint64_t pa = d->next;
    d->next += align;
    return pa;
}

/* write_reg_sync: write, then poll the ACK register until it reads the same value */
static void write_reg_sync(drv *d, uint64_t reg, uint64_t ack, uint32_t v)
{
    wr32(d, reg, v);
    unsigned polls = 0;
    while (rd32(d, ack) != v && polls < 16)
        polls++;
    assert_int_equal(rd32(d, ack), v);
}

/* ------------------------------------------------------------ commands (4.x) */
typedef struct { uint64_t w[2]; } cmd;

static void cmdq_insert(drv *d, const cmd *c)
{
    uint32_t mask = (1u << CMDQ_LOG2) - 1;
    uint64_t slot = CMDQ_ADDR + (uint64_t)(d->cmdq_prod & mask) * 16;
    mw64(d, slot, c->w[0]);
    mw64(d, slot + 8, c->w[1]);
    d->cmdq_prod = (d->cmdq_prod + 1) & ((2u << CMDQ_LOG2) - 1);
}

static void cmdq_publish(drv *d) { wr32(d, CMDQ_PROD, d->cmdq_prod); }

/* arm_smmu_cmdq_poll_until_sync (polling flavour): CONS catches up with PROD */
static void cmdq_wait(drv *d)
{
    /* queue_consumed(): index and wrap only (ERR keeps the last error code) */
    assert_int_equal(rd32(d, CMDQ_CONS) & ((2u << CMDQ_LOG2) - 1), d->cmdq_prod);
    assert_int_equal(rd32(d, GERROR) & 1u, rd32(d, GERRORN) & 1u);
}

static cmd c_sync(void) { return (cmd){ { 0x46, 0 } }; }
static cmd c_cfgi_ste(uint32_t sid) { return (cmd){ { 0x03 | (uint64_t)sid << 32, 1 } }; }
static cmd c_cfgi_all(void) { return (cmd){ { 0x04, 31 } }; }
static cmd c_cfgi_cd(uint32_t sid, uint32_t ssid) { return (cmd){ { 0x05 | (uint64_t)ssid << 12 | (uint64_t)sid << 32, 1 } }; }
static cmd c_tlbi_nsnh_all(void) { return (cmd){ { 0x30, 0 } }; }
static cmd c_tlbi_el2_all(void) { return (cmd){ { 0x20, 0 } }; }
static cmd c_tlbi_nh_asid(uint16_t asid) { return (cmd){ { 0x11 | (uint64_t)asid << 48, 0 } }; }
static cmd c_tlbi_s12_vmall(uint16_t vmid) { return (cmd){ { 0x28 | (uint64_t)vmid << 32, 0 } }; }

static cmd c_tlbi_va(uint8_t op, uint16_t asid, uint16_t vmid, uint64_t addr, bool leaf,
                     unsigned num, unsigned scale, unsigned tg, unsigned ttl)
{
    cmd c;
    c.w[0] = op | (uint64_t)(num & 31) << 12 | (uint64_t)(scale & 31) << 20 |
             (uint64_t)vmid << 32 | (uint64_t)asid << 48;
    c.w[1] = (leaf ? 1u : 0u) | (uint64_t)(ttl & 3) << 8 | (uint64_t)(tg & 3) << 10 |
             (addr & ~0xFFFull);
    return c;
}

/* arm_smmu_cmdq_issue_cmd_with_sync */
static void issue_sync(drv *d, cmd c)
{
    cmdq_insert(d, &c);
    cmd s = c_sync();
    cmdq_insert(d, &s);
    cmdq_publish(d);
    cmdq_wait(d);
}

/* arm_smmu_tlb_inv_range_cmd: split [iova, iova+size) as Linux does */
static void tlb_inv_range(drv *d, uint8_t op, uint16_t asid, uint16_t vmid, uint64_t iova,
                          uint64_t size, bool leaf)
{
    const unsigned tg = 12; /* leaf page size: 4K */
    uint64_t end = iova + size;
    if (d->cfg.ril) {
        uint64_t num_pages = size >> tg;
        unsigned ttl = leaf ? 3 : 0; /* 4 - ((ilog2(4K) - 3) / (tg - 3)) */
        /* non-leaf: TTL 0, and never NUM == SCALE == 0 (Reserved, 4.4.1.1) */
        if (!leaf && (num_pages & 31) == 1)
            num_pages++;
        while (iova < end) {
            unsigned scale = (unsigned)__builtin_ctzll(num_pages);
            uint64_t num = (num_pages >> scale) & 31;
            cmd c = c_tlbi_va(op, asid, vmid, iova, leaf, (unsigned)(num - 1), scale, (tg - 10) / 2, ttl);
            cmdq_insert(d, &c);
            iova += num << (scale + tg);
            num_pages -= num << scale;
        }
    } else {
        for (; iova < end; iova += 1ull << tg) {
            cmd c = c_tlbi_va(op, asid, vmid, iova, leaf, 0, 0, 0, 0);
            cmdq_insert(d, &c);
        }
    }
    cmd s = c_sync();
    cmdq_insert(d, &s);
    cmdq_publish(d);
    cmdq_wait(d);
}

/* ------------------------------------------------------------ probe and reset */
static void drv_init(drv *d, void (*tweak)(smmuv3_config *))
{
    memset(d, 0, sizeof(*d));
    d->mem = smmuv3_mem_new();
    assert_non_null(d->mem);
    smmuv3_host_from_mem(&d->host, d->mem);
    smmuv3_config_default(&d->cfg);
    if (tweak)
        tweak(&d->cfg);
    assert_int_equal(smmuv3_new(&d->cfg, &d->host, &d->s), 0);
    d->next = ALLOC_BASE;
    d->evtq_log2 = EVTQ_LOG2;
}

static void drv_fini(drv *d)
{
    smmuv3_free(d->s);
    smmuv3_mem_free(d->mem);
}

static uint64_t ste_addr(drv *d, uint32_t sid);

/* arm_smmu_device_reset (+ arm_smmu_setup_irqs), with the stream table set up
 * first as arm_smmu_init_structures does: every STE an abort STE. */
static void linux_reset(drv *d, bool two_level)
{
    uint32_t idr0 = rd32(d, IDR0), idr1 = rd32(d, IDR1);
    d->two_level = two_level && ((idr0 >> 27) & 3) == 1;
    d->sid_bits = idr1 & 0x3F;
    if (d->sid_bits <= STRTAB_SPLIT)
        d->two_level = false;
    if (!d->two_level && d->sid_bits > 8)
        d->sid_bits = 8; /* a small linear table for the tests */

    uint32_t cfg;
    if (d->two_level) {
        /* arm_smmu_init_strtab_2lvl: L1 table only; L2 tables on demand */
        cfg = 1u << 16 | STRTAB_SPLIT << 6 | d->sid_bits;
    } else {
        cfg = d->sid_bits;
        for (uint32_t sid = 0; sid < (1u << d->sid_bits); sid++)
            mw64(d, STRTAB_ADDR + (uint64_t)sid * 64, 1); /* V=1, Config=abort */
    }

    /* SMMUEN may be left on by firmware: Linux then sets GBPA.ABORT first */
    if (rd32(d, CR0) & CR0_SMMUEN) {
        while (rd32(d, GBPA) & GBPA_UPDATE) {}
        wr32(d, GBPA, rd32(d, GBPA) | GBPA_ABORT | GBPA_UPDATE);
        assert_int_equal(rd32(d, GBPA) & GBPA_UPDATE, 0);
    }
    write_reg_sync(d, CR0, CR0ACK, 0);

    wr32(d, CR1, LINUX_CR1);
    wr32(d, CR2, LINUX_CR2);
    wr64(d, STRTAB_BASE, STRTAB_ADDR | STRTAB_BASE_RA);
    wr32(d, STRTAB_BASE_CFG, cfg);
    assert_int_equal(rd64(d, STRTAB_BASE), STRTAB_ADDR | STRTAB_BASE_RA);
    assert_int_equal(rd32(d, STRTAB_BASE_CFG), cfg);

    wr64(d, CMDQ_BASE, Q_BASE_RWA | CMDQ_ADDR | CMDQ_LOG2);
    wr32(d, CMDQ_PROD, 0);
    wr32(d, CMDQ_CONS, 0);
    assert_int_equal(rd64(d, CMDQ_BASE), Q_BASE_RWA | CMDQ_ADDR | CMDQ_LOG2);
    d->cmdq_prod = 0;

    uint32_t enables = CR0_CMDQEN;
    write_reg_sync(d, CR0, CR0ACK, enables);

    /* Invalidate any cached configuration, then the TLBs */
    cmd c = c_cfgi_all();
    cmdq_insert(d, &c);
    c = c_sync();
    cmdq_insert(d, &c);
    cmdq_publish(d);
    cmdq_wait(d);
    if (idr0 & (1u << 9))
        issue_sync(d, c_tlbi_el2_all());
    issue_sync(d, c_tlbi_nsnh_all());

    wr64(d, EVENTQ_BASE, Q_BASE_RWA | EVTQ_ADDR | d->evtq_log2);
    wr32(d, EVENTQ_PROD, 0);
    wr32(d, EVENTQ_CONS, 0);
    d->evtq_cons = 0;
    enables |= CR0_EVTQEN;
    write_reg_sync(d, CR0, CR0ACK, enables);

    /* arm_smmu_setup_irqs: disable, program the MSIs, enable */
    write_reg_sync(d, IRQ_CTRL, IRQ_CTRLACK, 0);
    if (idr0 & (1u << 13)) {
        wr64(d, EVENTQ_IRQ_CFG0, MSI_EVTQ);
        wr32(d, EVENTQ_IRQ_CFG1, 0x2A);
        wr32(d, EVENTQ_IRQ_CFG2, 1); /* MEMATTR Device-nGnRE */
        wr64(d, GERROR_IRQ_CFG0, MSI_GERROR);
        wr32(d, GERROR_IRQ_CFG1, 0x2B);
        wr32(d, GERROR_IRQ_CFG2, 1);
        assert_int_equal(rd64(d, EVENTQ_IRQ_CFG0), MSI_EVTQ);
        assert_int_equal(rd32(d, EVENTQ_IRQ_CFG1), 0x2A);
        assert_int_equal(rd32(d, EVENTQ_IRQ_CFG2), 1);
        assert_int_equal(rd64(d, GERROR_IRQ_CFG0), MSI_GERROR);
    }
    write_reg_sync(d, IRQ_CTRL, IRQ_CTRLACK, IRQ_CTRL_EVTQ | IRQ_CTRL_GERROR);

    enables |= CR0_SMMUEN;
    write_reg_sync(d, CR0, CR0ACK, enables);
    assert_int_equal(rd32(d, CR0), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
    assert_int_equal(rd32(d, GERROR), rd32(d, GERRORN));
}

/* arm_smmu_init_l2_strtab: an L2 table of abort STEs, then the L1 descriptor
 * (SPAN = SPLIT + 1). Returns the STE address. */
static uint64_t ste_addr(drv *d, uint32_t sid)
{
    if (!d->two_level)
        return STRTAB_ADDR + (uint64_t)sid * 64;
    uint64_t l1 = STRTAB_ADDR + (uint64_t)(sid >> STRTAB_SPLIT) * 8;
    uint64_t desc = mr64(d, l1);
    if (!desc) {
        uint64_t l2 = dalloc(d, 64u << STRTAB_SPLIT);
        for (uint32_t i = 0; i < (1u << STRTAB_SPLIT); i++)
            mw64(d, l2 + i * 64ull, 1);
        desc = l2 | (STRTAB_SPLIT + 1);
        mw64(d, l1, desc);
        issue_sync(d, c_cfgi_ste(sid)); /* arm_smmu_sync_ste_for_sid */
    }
    return (desc & 0x000FFFFFFFFFFFC0ull) + (uint64_t)(sid & ((1u << STRTAB_SPLIT) - 1)) * 64;
}

/* ------------------------------------------------------------ STE writing */
/* arm_smmu_get_ste_used: the bits the SMMU reads for a given STE */
static void ste_used(const uint64_t *e, uint64_t *used)
{
    memset(used, 0, 8 * sizeof(uint64_t));
    used[0] = 1; /* V */
    if (!(e[0] & 1))
        return;
    used[0] |= 0xE; /* Config */
    unsigned cfg = (unsigned)(e[0] >> 1) & 7;
    switch (cfg) {
    case 0: /* abort */
        break;
    case 4: /* bypass */
        used[1] |= 3ull << 44; /* SHCFG */
        break;
    case 5: case 6: case 7:
        break;
    default:
        used[0] = ~0ull; used[1] = ~0ull; used[2] = ~0ull; used[3] = ~0ull;
        return;
    }
    if (cfg & 1) { /* stage 1 */
        used[0] |= 3ull << 4 | 0x000FFFFFFFFFFFC0ull | 31ull << 59; /* S1Fmt, ptr, S1CDMax */
        used[1] |= 3ull | 3ull << 2 | 3ull << 4 | 3ull << 6 | 1ull << 19 | 1ull << 27 |
                   3ull << 28 | 3ull << 30; /* S1DSS..STRW */
        if ((e[1] & 3) == 1)
            used[1] |= 3ull << 44;
    }
    if (cfg & 2) { /* stage 2 */
        used[1] |= 3ull << 28 | 3ull << 44 | 1ull << 25;
        used[2] |= 0x07FF0000FFFFull | 0xFFFull << 51;
        used[3] |= 0x000FFFFFFFFFFFF0ull;
    }
}

static void ste_sync(drv *d, uint32_t sid) { issue_sync(d, c_cfgi_ste(sid)); }

/* write qwords [start, start+len) of target into the live STE, then sync */
static void ste_set(drv *d, uint32_t sid, uint64_t *live, const uint64_t *tgt, int start, int len)
{
    bool changed = false;
    for (int i = start; i < start + len; i++) {
        if (live[i] != tgt[i]) {
            live[i] = tgt[i];
            mw64(d, ste_addr(d, sid) + 8ull * (unsigned)i, live[i]);
            changed = true;
        }
    }
    if (changed)
        ste_sync(d, sid);
}

/* hook called between the steps of an update (to look at the transition) */
typedef void (*step_fn)(drv *d, uint32_t sid, int step, void *arg);

/* arm_smmu_write_entry: the update sequence Linux uses */
static void write_ste(drv *d, uint32_t sid, const uint64_t *target, step_fn hook, void *arg)
{
    uint64_t live[8], cur_used[8], tgt_used[8], unused_update[8];
    uint64_t base = ste_addr(d, sid);
    for (int i = 0; i < 8; i++)
        live[i] = mr64(d, base + 8ull * (unsigned)i);
    ste_used(live, cur_used);
    ste_used(target, tgt_used);
    unsigned critical = 0;
    int critical_idx = -1;
    for (int i = 0; i < 8; i++) {
        unused_update[i] = (live[i] & cur_used[i]) | (target[i] & ~cur_used[i]);
        if ((unused_update[i] & tgt_used[i]) != (target[i] & tgt_used[i])) {
            critical++;
            critical_idx = i;
        }
    }
    if (critical == 0) {
        ste_set(d, sid, live, target, 0, 8);
        if (hook) hook(d, sid, 0, arg);
    } else if (critical == 1) {
        /* hitless: unused bits first, then the critical qword, then the rest */
        ste_set(d, sid, live, unused_update, 0, 8);
        if (hook) hook(d, sid, 1, arg);
        ste_set(d, sid, live, target, critical_idx, 1);
        if (hook) hook(d, sid, 2, arg);
        ste_set(d, sid, live, target, 0, 8);
        if (hook) hook(d, sid, 3, arg);
    } else {
        /* breaking: V=0, everything but qword 0, then qword 0 */
        unused_update[0] = 0;
        ste_set(d, sid, live, unused_update, 0, 1);
        if (hook) hook(d, sid, 11, arg);
        ste_set(d, sid, live, target, 1, 7);
        if (hook) hook(d, sid, 12, arg);
        ste_set(d, sid, live, target, 0, 1);
        if (hook) hook(d, sid, 13, arg);
    }
    for (int i = 0; i < 8; i++)
        assert_int_equal(mr64(d, base + 8ull * (unsigned)i), target[i]);
}

/* arm_smmu_make_cdtable_ste (NS-EL1 stream world, no ATS) */
static void make_cdtable_ste(drv *d, uint64_t *t, uint64_t cdtab, unsigned s1fmt, unsigned cdmax, unsigned s1dss)
{
    memset(t, 0, 64);
    t[0] = 1 | 5ull << 1 | (uint64_t)s1fmt << 4 | (cdtab & 0x000FFFFFFFFFFFC0ull) | (uint64_t)cdmax << 59;
    t[1] = (uint64_t)s1dss | 1ull << 2 | 1ull << 4 | 3ull << 6; /* S1CIR/S1COR WBRA, S1CSH ISH */
    if (d->cfg.stall_model == SMMUV3_STALL_AND_TERM)
        t[1] |= 1ull << 27; /* S1STALLD: stalls supported, master not stall-enabled */
}

/* arm_smmu_make_s2_domain_ste: 48-bit IPA, 4K granule, start level 0 */
static void make_s2_ste(uint64_t *t, uint16_t vmid, uint64_t vttbr)
{
    memset(t, 0, 64);
    t[0] = 1 | 6ull << 1;
    t[1] = 1ull << 44; /* SHCFG incoming */
    uint64_t vtcr = 16 | 2ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 5ull << 16;
    t[2] = vmid | vtcr << 32 | 1ull << 51 /* S2AA64 */ | 1ull << 54 /* S2PTW */ | 1ull << 58 /* S2R */;
    t[3] = vttbr & 0x000FFFFFFFFFFFF0ull;
}

/* arm_smmu_make_bypass_ste */
static void make_bypass_ste(uint64_t *t)
{
    memset(t, 0, 64);
    t[0] = 1 | 4ull << 1;
    t[1] = 1ull << 44;
}

/* arm_smmu_make_s1_cd with the TCR io-pgtable computes for a 48-bit, 4K, coherent walk */
static void write_cd(drv *d, uint64_t cd_pa, uint16_t asid, uint64_t ttb0)
{
    uint64_t w0 = 16 | 0ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 1ull << 30 /* EPD1 */ |
                  1ull << 31 /* V */ | 5ull << 32 /* IPS 48 */ | 1ull << 41 /* AA64 */ |
                  1ull << 45 /* R */ | 1ull << 46 /* A */ | 1ull << 47 /* ASET */ | (uint64_t)asid << 48;
    /* qwords 1..3 first, then qword 0 (V) */
    mw64(d, cd_pa + 8, ttb0 & 0x000FFFFFFFFFFFF0ull);
    mw64(d, cd_pa + 16, 0);
    mw64(d, cd_pa + 24, LINUX_MAIR);
    mw64(d, cd_pa + 0, w0);
}

/* ------------------------------------------------------------ io-pgtable-arm (4K, 48 bits) */
enum { P_READ = 1, P_WRITE = 2, P_CACHE = 4, P_NOEXEC = 8, P_MMIO = 16, P_PRIV = 32 };

static uint64_t prot_s1(unsigned prot)
{
    uint64_t pte = 1ull << 11 | 1ull << 10; /* nG, AF */
    if (!(prot & P_WRITE) && (prot & P_READ))
        pte |= 1ull << 7; /* AP_RDONLY */
    if (!(prot & P_PRIV))
        pte |= 1ull << 6; /* AP_UNPRIV */
    if (prot & P_MMIO)
        pte |= 2ull << 2;
    else if (prot & P_CACHE)
        pte |= 1ull << 2;
    pte |= (prot & P_CACHE) ? 3ull << 8 : 2ull << 8;
    if (prot & P_NOEXEC)
        pte |= 3ull << 53;
    return pte;
}

static uint64_t prot_s2(unsigned prot)
{
    uint64_t pte = 1ull << 10; /* AF */
    if (prot & P_READ)
        pte |= 1ull << 6;
    if (prot & P_WRITE)
        pte |= 2ull << 6;
    if (prot & P_MMIO)
        pte |= 1ull << 2;
    else if (prot & P_CACHE)
        pte |= 0xFull << 2;
    else
        pte |= 0x5ull << 2;
    pte |= (prot & P_CACHE) ? 3ull << 8 : 2ull << 8;
    return pte;
}

/* map one page (level 3) or one 2M block (level 2) */
static void pt_map(drv *d, uint64_t root, uint64_t iova, uint64_t pa, unsigned prot, bool s2, unsigned leaf_level)
{
    uint64_t table = root;
    for (unsigned level = 0; level < leaf_level; level++) {
        uint64_t slot = table + ((iova >> (39 - 9 * level)) & 511) * 8;
        uint64_t desc = mr64(d, slot);
        if (!(desc & 1)) {
            uint64_t t = dalloc(d, 4096);
            desc = t | 3; /* ARM_LPAE_PTE_TYPE_TABLE */
            mw64(d, slot, desc);
        }
        table = desc & 0x0000FFFFFFFFF000ull;
    }
    uint64_t slot = table + ((iova >> (39 - 9 * leaf_level)) & 511) * 8;
    uint64_t attrs = s2 ? prot_s2(prot) : prot_s1(prot);
    mw64(d, slot, pa | attrs | (leaf_level == 3 ? 3u : 1u));
}

static uint64_t pt_leaf_slot(drv *d, uint64_t root, uint64_t iova)
{
    uint64_t table = root;
    for (unsigned level = 0; level < 3; level++) {
        uint64_t desc = mr64(d, table + ((iova >> (39 - 9 * level)) & 511) * 8);
        assert_true(desc & 1);
        table = desc & 0x0000FFFFFFFFF000ull;
    }
    return table + ((iova >> 12) & 511) * 8;
}

static void pt_unmap(drv *d, uint64_t root, uint64_t iova) { mw64(d, pt_leaf_slot(d, root, iova), 0); }

/* ------------------------------------------------------------ transactions and events */
static int xlate(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = iova, .flags = flags };
    memset(r, 0, sizeof(*r));
    return smmuv3_translate(d->s, &t, r);
}

static int xlate_ssid(drv *d, uint32_t sid, uint32_t ssid, uint64_t iova, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .ssid = ssid, .ssv = true, .addr = iova, .flags = flags };
    memset(r, 0, sizeof(*r));
    return smmuv3_translate(d->s, &t, r);
}

static void expect_pa(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, uint64_t pa)
{
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, iova, flags, &r), 0);
    assert_int_equal(r.pa, pa);
    assert_int_equal(r.event, 0);
}

/* events pending: queue_sync_prod_in + queue_empty */
static unsigned evtq_pending(drv *d)
{
    uint32_t prod = rd32(d, EVENTQ_PROD) & ((2u << d->evtq_log2) - 1);
    uint32_t cons = d->evtq_cons & ((2u << d->evtq_log2) - 1);
    return (prod - cons) & ((2u << d->evtq_log2) - 1);
}

/* arm_smmu_evtq_thread: read one record, then publish CONS (with OVACKFLG = PROD.OVFLG) */
static void evtq_pop(drv *d, uint64_t ev[4])
{
    assert_true(evtq_pending(d) > 0);
    uint32_t idx = d->evtq_cons & ((1u << d->evtq_log2) - 1);
    for (unsigned i = 0; i < 4; i++)
        ev[i] = mr64(d, EVTQ_ADDR + idx * 32ull + 8 * i);
    d->evtq_cons = (d->evtq_cons + 1) & ((2u << d->evtq_log2) - 1);
    uint32_t ovf = rd32(d, EVENTQ_PROD) & (1u << 31);
    wr32(d, EVENTQ_CONS, ovf | d->evtq_cons);
}

static void expect_no_event(drv *d) { assert_int_equal(evtq_pending(d), 0); }

/* ------------------------------------------------------------ a Linux S1 domain */
typedef struct s1dom {
    uint64_t cdtab, pgd;
    uint16_t asid;
} s1dom;

static void attach_s1(drv *d, uint32_t sid, s1dom *dom, uint16_t asid)
{
    dom->asid = asid;
    dom->cdtab = dalloc(d, 64);
    dom->pgd = dalloc(d, 4096);
    write_cd(d, dom->cdtab, asid, dom->pgd);
    uint64_t t[8];
    make_cdtable_ste(d, t, dom->cdtab, 0, 0, 2 /* S1DSS SSID0 */);
    write_ste(d, sid, t, NULL, NULL);
}

/* ================================================================ tests */

/* arm_smmu_device_hw_probe: the fields Linux reads and the checks it makes */
static void test_probe_id_registers(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    uint32_t idr0 = rd32(&d, IDR0), idr1 = rd32(&d, IDR1), idr3 = rd32(&d, IDR3), idr5 = rd32(&d, IDR5);

    /* 8-byte reads of the 32-bit ID registers give two consecutive registers */
    assert_int_equal(rd64(&d, IDR0), (uint64_t)idr1 << 32 | idr0);

    /* IDR0 exactly as the default profile describes it */
    const smmuv3_config *c = &d.cfg;
    uint32_t want0 = (uint32_t)c->s2p << 0 | (uint32_t)c->s1p << 1 | 2u << 2 /* TTF AArch64 */ |
                     (uint32_t)c->cohacc << 4 | (uint32_t)c->btm << 5 | c->httu << 6 |
                     (uint32_t)c->hyp << 9 | (uint32_t)c->ats << 10 | (uint32_t)c->asid16 << 12 |
                     (uint32_t)c->msi << 13 | (uint32_t)c->sev << 14 | (uint32_t)c->pri << 16 |
                     (uint32_t)c->vmid16 << 18 | (uint32_t)c->cd_2level << 19 |
                     2u << 21 /* TTENDIAN LE */ | c->stall_model << 24 |
                     (uint32_t)c->term_model << 26 | (uint32_t)c->st_2level << 27;
    /* the default profile: S1+S2, AArch64, coherent, HTTU, HYP, 16-bit IDs,
     * MSI, SEV, ATS, PRI, 2-level tables, stall and terminate */
    assert_int_equal(want0 | ((uint32_t)!c->btm << 5), 0x084D76BBu);
    assert_int_equal(idr0, want0);
    /* what the driver requires */
    assert_true(idr0 & 3u);                      /* S1P or S2P */
    assert_true(((idr0 >> 2) & 3) & 2);          /* AArch64 tables */
    assert_true(((idr0 >> 21) & 3) != 3);        /* not big-endian only */

    /* IDR1: no embedded implementation (TABLES/QUEUES_PRESET, REL) */
    assert_int_equal(idr1 & (7u << 28), 0);
    assert_int_equal(idr1 & 0x3F, d.cfg.sidsize);
    assert_int_equal((idr1 >> 6) & 31, d.cfg.ssidsize);
    assert_int_equal((idr1 >> 16) & 31, d.cfg.eventqs);
    assert_int_equal((idr1 >> 21) & 31, d.cfg.cmdqs);
    assert_true(((idr1 >> 21) & 31) >= 6);       /* at least a batch of 64 commands */
    assert_true((idr1 & 0x3F) > STRTAB_SPLIT);   /* 2-level stream table kept */

    /* IDR3: RIL (range invalidation) */
    assert_int_equal((idr3 >> 10) & 1, 1);

    /* IDR5: OAS 48 bits, all three granules, 52-bit VA with 64K */
    assert_int_equal(idr5 & 7, 5);
    assert_int_equal((idr5 >> 4) & 7, 7);
    assert_int_equal((idr5 >> 10) & 3, 1);
    assert_int_equal(idr5 >> 16, d.cfg.stall_max);

    /* AIDR: SMMUv3.x (ArchMajorRev 0) */
    assert_int_equal((rd32(&d, AIDR) >> 4) & 15, 0);
    drv_fini(&d);
}

/* arm_smmu_device_reset, linear stream table; then the reset state it leaves */
static void test_reset_linear(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    assert_int_equal(rd32(&d, CR1), LINUX_CR1);
    /* PTM is RES0 without IDR0.BTM (6.3.12); RECINVSID stays */
    assert_int_equal(rd32(&d, CR2), d.cfg.btm ? 0x6u : 0x2u);
    assert_int_equal(rd32(&d, CMDQ_PROD), 4 + (d.cfg.hyp ? 2u : 0u));
    assert_int_equal(rd32(&d, CMDQ_CONS), rd32(&d, CMDQ_PROD));
    /* 8-byte read of PROD/CONS (FreeBSD) */
    assert_int_equal(rd64(&d, CMDQ_PROD), (uint64_t)rd32(&d, CMDQ_CONS) << 32 | rd32(&d, CMDQ_PROD));
    assert_int_equal(rd32(&d, IRQ_CTRLACK), IRQ_CTRL_EVTQ | IRQ_CTRL_GERROR);

    /* abort STEs: terminated, no event (STE.Config == 0b000) */
    smmuv3_result r;
    assert_int_equal(xlate(&d, 3, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    expect_no_event(&d);

    /* a StreamID beyond LOG2SIZE: C_BAD_STREAMID (CR2.RECINVSID == 1) */
    assert_int_equal(xlate(&d, 1u << d.sid_bits, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x02 | (uint64_t)(1u << d.sid_bits) << 32);
    assert_int_equal(ev[1], 0);
    assert_int_equal(ev[2], 0);
    assert_int_equal(ev[3], 0);
    /* the event MSI went to EVENTQ_IRQ_CFG0 with CFG1's data */
    assert_int_equal(mr32(&d, MSI_EVTQ), 0x2A);
    drv_fini(&d);
}

/* bypass STE (identity domain) */
static void test_bypass_ste(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(&d, 7, t, NULL, NULL);
    expect_pa(&d, 7, 0x123456789ABCull, SMMUV3_TXN_WRITE, 0x123456789ABCull);
    expect_no_event(&d);
    drv_fini(&d);
}

/* a stage 1 domain through a 2-level stream table (SPLIT 8, L2 on demand) */
static void test_s1_dma_two_level(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, true);
    assert_true(d.two_level);
    assert_int_equal(rd32(&d, STRTAB_BASE_CFG), 1u << 16 | 8u << 6 | 16u);

    const uint32_t sid = 0x1234;
    s1dom dom;
    attach_s1(&d, sid, &dom, 1);
    /* the L1 descriptor Linux wrote */
    uint64_t l1 = mr64(&d, STRTAB_ADDR + (sid >> 8) * 8ull);
    assert_int_equal(l1 & 31, 9);

    pt_map(&d, dom.pgd, 0xFFFF0000ull, 0x812345000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(&d, dom.pgd, 0x200000ull, 0x3FE00000ull, P_READ | P_CACHE | P_NOEXEC, false, 2);
    pt_map(&d, dom.pgd, 0x7FFFFFFFF000ull, 0xABC000ull, P_READ | P_WRITE | P_MMIO, false, 3);

    expect_pa(&d, sid, 0xFFFF0ABCull, 0, 0x812345ABCull);
    expect_pa(&d, sid, 0xFFFF0ABCull, SMMUV3_TXN_WRITE, 0x812345ABCull);
    expect_pa(&d, sid, 0x2ABCDEull, 0, 0x3FEABCDEull);
    expect_pa(&d, sid, 0x7FFFFFFFF008ull, SMMUV3_TXN_WRITE | SMMUV3_TXN_PRIV, 0xABC008ull);
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x7FFFFFFFF008ull, 0, &r), 0);
    assert_int_equal(r.attrs.memattr, 0x04); /* AttrIndx 2 -> MAIR 0x04 Device-nGnRE */
    assert_int_equal(xlate(&d, sid, 0xFFFF0000ull, 0, &r), 0);
    assert_int_equal(r.attrs.memattr, 0xFF);
    assert_int_equal(r.attrs.sh, 3);
    expect_no_event(&d);

    /* a write to the read-only block: F_PERMISSION */
    assert_int_equal(xlate(&d, sid, 0x200010ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x13);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x13 | (uint64_t)sid << 32);
    assert_int_equal(ev[1] & ~(1ull << 32), 2ull << 40); /* CLASS IN, RnW 0 (write), S2 0 */
    assert_int_equal(ev[2], 0x200010ull);

    /* a StreamID whose L1 descriptor is still invalid (SPAN 0): C_BAD_STREAMID */
    assert_int_equal(xlate(&d, 0x4321, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x02 | 0x4321ull << 32);
    expect_no_event(&d);
    drv_fini(&d);
}

/* unmapped IOVA: the F_TRANSLATION record, exactly; CONS write; MSI */
static void test_evtq_translation_fault(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    s1dom dom;
    attach_s1(&d, 5, &dom, 0x77);
    mw64(&d, MSI_EVTQ, 0);

    smmuv3_result r;
    assert_int_equal(xlate(&d, 5, 0xDEAD000ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x10);
    assert_int_equal(rd32(&d, EVENTQ_PROD), 1);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | 5ull << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40); /* RnW read, CLASS IN */
    assert_int_equal(ev[2], 0xDEAD000ull);
    assert_int_equal(rd32(&d, EVENTQ_CONS), 1);
    assert_int_equal(mr32(&d, MSI_EVTQ), 0x2A);

    /* privileged instruction fetch: PnU and InD */
    assert_int_equal(xlate(&d, 5, 0xBEEF123ull, SMMUV3_TXN_EXEC | SMMUV3_TXN_PRIV, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | 5ull << 32);
    assert_int_equal(ev[1], 1ull << 33 | 1ull << 34 | 1ull << 35 | 2ull << 40);
    assert_int_equal(ev[2], 0xBEEF123ull);
    /* a write */
    assert_int_equal(xlate(&d, 5, 0xF00Dull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[1], 2ull << 40);
    expect_no_event(&d);
    drv_fini(&d);
}

/* a full event queue: PROD.OVFLG toggles, Linux acknowledges with CONS.OVACKFLG */
static void test_evtq_overflow(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    d.evtq_log2 = 1; /* two entries */
    linux_reset(&d, false);
    assert_int_equal(rd64(&d, EVENTQ_BASE), Q_BASE_RWA | EVTQ_ADDR | 1);
    s1dom dom;
    attach_s1(&d, 1, &dom, 3);
    smmuv3_result r;
    for (uint64_t i = 0; i < 3; i++)
        assert_int_equal(xlate(&d, 1, 0x10000 * (i + 1), 0, &r), SMMUV3_XLATE_ABORT);
    /* two records written (index 0, wrap 1), the third lost: OVFLG */
    assert_int_equal(rd32(&d, EVENTQ_PROD), 1u << 31 | 2u);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[2], 0x10000);
    evtq_pop(&d, ev);
    assert_int_equal(ev[2], 0x20000);
    assert_int_equal(rd32(&d, EVENTQ_CONS), 1u << 31 | 2u);
    /* the queue has room again */
    assert_int_equal(xlate(&d, 1, 0x40000, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(rd32(&d, EVENTQ_PROD), 1u << 31 | 3u);
    evtq_pop(&d, ev);
    assert_int_equal(ev[2], 0x40000);
    drv_fini(&d);
}

/* arm_smmu_write_entry: abort -> S1 is hitless (one critical qword);
 * S1 -> S2 is a breaking update (V = 0 in between: C_BAD_STE) */
typedef struct { uint64_t iova, pa_s1; } upd_arg;

static void hook_abort_to_s1(drv *d, uint32_t sid, int step, void *arg)
{
    upd_arg *a = arg;
    smmuv3_result r;
    if (step == 1) {
        /* unused bits written: still the abort STE */
        assert_int_equal(xlate(d, sid, a->iova, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0);
        expect_no_event(d);
    } else if (step >= 2) {
        expect_pa(d, sid, a->iova, 0, a->pa_s1);
    }
}

static void hook_s1_to_s2(drv *d, uint32_t sid, int step, void *arg)
{
    upd_arg *a = arg;
    smmuv3_result r;
    if (step == 11 || step == 12) {
        assert_int_equal(xlate(d, sid, a->iova, 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x04 | (uint64_t)sid << 32);
        expect_no_event(d);
    }
}

static void test_ste_update_sequences(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    const uint32_t sid = 9;
    s1dom dom = { .asid = 4 };
    dom.cdtab = dalloc(&d, 64);
    dom.pgd = dalloc(&d, 4096);
    write_cd(&d, dom.cdtab, dom.asid, dom.pgd);
    pt_map(&d, dom.pgd, 0x10000, 0x9990000, P_READ | P_WRITE | P_CACHE, false, 3);

    /* abort (V=1, Config=0) -> S1 cdtable STE */
    uint64_t t[8];
    make_cdtable_ste(&d, t, dom.cdtab, 0, 0, 2);
    upd_arg a = { 0x10000, 0x9990000 };
    write_ste(&d, sid, t, hook_abort_to_s1, &a);
    expect_pa(&d, sid, 0x10FFF, 0, 0x9990FFF);

    /* S1 -> S2 domain: breaking */
    uint64_t vttbr = dalloc(&d, 4096);
    pt_map(&d, vttbr, 0x10000, 0x5550000, P_READ | P_WRITE | P_CACHE, true, 3);
    make_s2_ste(t, 12, vttbr);
    write_ste(&d, sid, t, hook_s1_to_s2, &a);
    expect_pa(&d, sid, 0x10123, SMMUV3_TXN_WRITE, 0x5550123);

    /* S2 -> abort (detach with disable_bypass) */
    uint64_t ab[8] = { 1 };
    write_ste(&d, sid, ab, NULL, NULL);
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x10123, 0, &r), SMMUV3_XLATE_ABORT);
    expect_no_event(&d);
    drv_fini(&d);
}

/* unmap + TLBI_NH_VA (range form with RIL) + CMD_SYNC; TLBI_NH_ASID */
static void run_s1_tlbi(bool ril)
{
    drv d;
    drv_init(&d, NULL);
    d.cfg.ril = ril;
    if (!ril) {
        smmuv3_free(d.s);
        assert_int_equal(smmuv3_new(&d.cfg, &d.host, &d.s), 0);
        assert_int_equal((rd32(&d, IDR3) >> 10) & 1, 0);
    }
    linux_reset(&d, true);
    const uint32_t sid = 0x21;
    s1dom dom;
    attach_s1(&d, sid, &dom, 0x55);
    const uint64_t base = 0x7F0000000ull;
    for (uint64_t i = 0; i < 16; i++)
        pt_map(&d, dom.pgd, base + i * 4096, 0x100000000ull + i * 4096, P_READ | P_WRITE | P_CACHE, false, 3);
    for (uint64_t i = 0; i < 16; i++)
        expect_pa(&d, sid, base + i * 4096 + 8, 0, 0x100000000ull + i * 4096 + 8);

    /* unmap 3 pages (1..3): NUM=2 SCALE=0 with RIL, three commands without */
    for (uint64_t i = 1; i <= 3; i++)
        pt_unmap(&d, dom.pgd, base + i * 4096);
    tlb_inv_range(&d, 0x12, dom.asid, 0, base + 4096, 3 * 4096, true);
    smmuv3_result r;
    for (uint64_t i = 1; i <= 3; i++) {
        assert_int_equal(xlate(&d, sid, base + i * 4096, 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(&d, ev);
        assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
        assert_int_equal(ev[2], base + i * 4096);
    }
    expect_pa(&d, sid, base, 0, 0x100000000ull);
    expect_pa(&d, sid, base + 4 * 4096, 0, 0x100000000ull + 4 * 4096);

    /* unmap 8 pages (8..15): SCALE=3 NUM=0 with RIL */
    for (uint64_t i = 8; i < 16; i++)
        pt_unmap(&d, dom.pgd, base + i * 4096);
    tlb_inv_range(&d, 0x12, dom.asid, 0, base + 8 * 4096, 8 * 4096, true);
    for (uint64_t i = 8; i < 16; i++) {
        assert_int_equal(xlate(&d, sid, base + i * 4096, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
    }
    expect_pa(&d, sid, base + 7 * 4096, 0, 0x100000000ull + 7 * 4096);

    /* remap page 0 elsewhere (a break-before-make through unmap + TLBI + map) */
    pt_unmap(&d, dom.pgd, base);
    tlb_inv_range(&d, 0x12, dom.asid, 0, base, 4096, true);
    pt_map(&d, dom.pgd, base, 0x200000000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    expect_pa(&d, sid, base + 0x10, 0, 0x200000010ull);

    /* whole-domain flush: arm_smmu_tlb_inv_context -> TLBI_NH_ASID + SYNC */
    pt_unmap(&d, dom.pgd, base + 4 * 4096);
    pt_unmap(&d, dom.pgd, base + 5 * 4096);
    issue_sync(&d, c_tlbi_nh_asid(dom.asid));
    assert_int_equal(xlate(&d, sid, base + 4 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(xlate(&d, sid, base + 5 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    expect_pa(&d, sid, base + 6 * 4096, 0, 0x100000000ull + 6 * 4096);
    assert_int_equal(rd32(&d, GERROR), rd32(&d, GERRORN));
    drv_fini(&d);
}

static void test_s1_tlbi_range(void **state) { (void)state; run_s1_tlbi(true); }
static void test_s1_tlbi_per_page(void **state) { (void)state; run_s1_tlbi(false); }

/* S2 domain: arm_smmu_make_s2_domain_ste, TLBI_S2_IPA range + SYNC, S12_VMALL */
static void test_s2_domain(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, true);
    const uint32_t sid = 0x300;
    const uint16_t vmid = 0x1234;
    uint64_t vttbr = dalloc(&d, 4096);
    const uint64_t ipa = 0x8000000000ull;
    for (uint64_t i = 0; i < 4; i++)
        pt_map(&d, vttbr, ipa + i * 4096, 0xC0000000ull + i * 4096, P_READ | P_WRITE | P_CACHE, true, 3);
    pt_map(&d, vttbr, 0x40000000ull, 0x60000000ull, P_READ | P_CACHE, true, 2);
    uint64_t t[8];
    make_s2_ste(t, vmid, vttbr);
    write_ste(&d, sid, t, NULL, NULL);

    expect_pa(&d, sid, ipa + 0x1234, SMMUV3_TXN_WRITE, 0xC0001234ull);
    expect_pa(&d, sid, 0x401FFFF8ull, 0, 0x601FFFF8ull);
    smmuv3_result r;
    /* write to a read-only stage 2 block: F_PERMISSION, S2, IPA reported */
    assert_int_equal(xlate(&d, sid, 0x40000010ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x13 | (uint64_t)sid << 32);
    assert_int_equal(ev[1] & ~(1ull << 32), 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[2], 0x40000010ull);
    assert_int_equal(ev[3], 0x40000000ull);

    /* unmap two pages, TLBI_S2_IPA (range) + SYNC */
    pt_unmap(&d, vttbr, ipa + 4096);
    pt_unmap(&d, vttbr, ipa + 2 * 4096);
    tlb_inv_range(&d, 0x2A, 0, vmid, ipa + 4096, 2 * 4096, true);
    assert_int_equal(xlate(&d, sid, ipa + 4096 + 4, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[2], ipa + 4096 + 4);
    assert_int_equal(ev[3], ipa + 4096);
    assert_int_equal(xlate(&d, sid, ipa + 2 * 4096, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    expect_pa(&d, sid, ipa + 3 * 4096, 0, 0xC0003000ull);

    /* S12_VMALL for the whole VMID */
    pt_unmap(&d, vttbr, ipa);
    issue_sync(&d, c_tlbi_s12_vmall(vmid));
    assert_int_equal(xlate(&d, sid, ipa, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[3], ipa);
    expect_no_event(&d);
    drv_fini(&d);
}

/* CMD_SYNC with MSIPOLL: CS=SIG_IRQ, MSH ISH, MSIATTR OIWB, MSIData 0, MSIAddr = its own slot */
static void test_cmd_sync_msi_own_slot(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    uint32_t idx = d.cmdq_prod & ((1u << CMDQ_LOG2) - 1);
    uint64_t slot = CMDQ_ADDR + idx * 16ull;
    cmd c = c_cfgi_all();
    cmdq_insert(&d, &c);
    uint64_t sync_slot = slot + 16;
    cmd s = { { 0x46 | 1ull << 12 | 3ull << 22 | 0xFull << 24, sync_slot & 0x000FFFFFFFFFFFFCull } };
    cmdq_insert(&d, &s);
    assert_int_equal(mr32(&d, sync_slot), 0x0FC01046u);
    cmdq_publish(&d);
    /* __arm_smmu_cmdq_poll_until_msi: the first word of the SYNC became 0 */
    assert_int_equal(mr32(&d, sync_slot), 0);
    assert_int_equal(mr32(&d, sync_slot + 4), 0);
    assert_int_equal(mr64(&d, sync_slot + 8), sync_slot);
    assert_int_equal(mr64(&d, slot), 0x04); /* the CFGI_ALL before it is untouched */
    cmdq_wait(&d);

    /* an MSI with data to another address */
    mw64(&d, 0x41000000ull, 0);
    cmd s2 = { { 0x46 | 1ull << 12 | 0xCAFEF00Dull << 32, 0x41000004ull } };
    cmdq_insert(&d, &s2);
    cmdq_publish(&d);
    cmdq_wait(&d);
    assert_int_equal(mr64(&d, 0x41000000ull), 0xCAFEF00Dull << 32);
    drv_fini(&d);
}

/* an illegal command: CMDQ_CONS.ERR, GERROR.CMDQ_ERR, GERROR MSI; Linux's
 * arm_smmu_cmdq_skip_err replaces it with a CMD_SYNC and acknowledges */
static void test_cmdq_error_skip(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    mw64(&d, MSI_GERROR, 0);
    uint32_t start = d.cmdq_prod;
    cmd bad = { { 0xFF, 0 } };
    cmdq_insert(&d, &bad);
    cmd s = c_sync();
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    uint32_t cons = rd32(&d, CMDQ_CONS);
    assert_int_equal(cons, 1u << 24 | start); /* ERR = CERROR_ILL, index at the bad command */
    uint32_t gerror = rd32(&d, GERROR);
    assert_int_equal((gerror ^ rd32(&d, GERRORN)) & 0x1FD, 1); /* only CMDQ_ERR active */
    assert_int_equal(mr32(&d, MSI_GERROR), 0x2B);

    uint64_t bad_slot = CMDQ_ADDR + (start & ((1u << CMDQ_LOG2) - 1)) * 16ull;
    mw64(&d, bad_slot, 0x46);
    mw64(&d, bad_slot + 8, 0);
    wr32(&d, GERRORN, gerror);
    assert_int_equal(rd32(&d, CMDQ_CONS) & 0xFFFFF, d.cmdq_prod);
    assert_int_equal(rd32(&d, GERROR), rd32(&d, GERRORN));

    /* the queue works again */
    issue_sync(&d, c_cfgi_ste(0));
    drv_fini(&d);
}

/* PASIDs: linear CD table (S1CDMAX = 3) and 2-level CD table (S1FMT 64K_L2) */
static void test_cd_tables_ssid(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, true);

    /* linear: 8 CDs, S1DSS = SSID0 so non-PASID traffic uses CD 0 */
    const uint32_t sid = 0x40;
    uint64_t cdtab = dalloc(&d, 8 * 64);
    uint64_t pgd0 = dalloc(&d, 4096), pgd3 = dalloc(&d, 4096);
    write_cd(&d, cdtab, 10, pgd0);
    write_cd(&d, cdtab + 3 * 64, 13, pgd3);
    pt_map(&d, pgd0, 0x1000, 0xA000, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(&d, pgd3, 0x1000, 0xB000, P_READ | P_WRITE | P_CACHE, false, 3);
    uint64_t t[8];
    make_cdtable_ste(&d, t, cdtab, 0, 3, 2);
    write_ste(&d, sid, t, NULL, NULL);
    expect_pa(&d, sid, 0x1010, 0, 0xA010);
    smmuv3_result r;
    assert_int_equal(xlate_ssid(&d, sid, 3, 0x1010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB010);
    /* SSID 1: CD.V == 0 -> C_BAD_CD with the SubstreamID */
    assert_int_equal(xlate_ssid(&d, sid, 1, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x0A | 1ull << 11 | 1ull << 12 | (uint64_t)sid << 32);
    /* SSID 8 >= 2^S1CDMAX: C_BAD_SUBSTREAMID */
    assert_int_equal(xlate_ssid(&d, sid, 8, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    /* 7.3.9: no SSV qualifier in this record, the SubstreamID is always valid */
    assert_int_equal(ev[0], 0x08 | 8ull << 12 | (uint64_t)sid << 32);

    /* CD 3 retired: clear V, CFGI_CD + SYNC */
    mw64(&d, cdtab + 3 * 64, 0);
    issue_sync(&d, c_cfgi_cd(sid, 3));
    assert_int_equal(xlate_ssid(&d, sid, 3, 0x1010, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x0A);
    evtq_pop(&d, ev);

    /* 2-level: S1FMT 2 (64K leaves of 1024 CDs), S1CDMAX 20 */
    const uint32_t sid2 = 0x41;
    uint64_t l1 = dalloc(&d, 1024 * 8);
    uint64_t leaf = dalloc(&d, 1024 * 64);
    uint64_t pgd = dalloc(&d, 4096);
    const uint32_t ssid = 1500;
    write_cd(&d, leaf + (ssid & 1023) * 64ull, 0x99, pgd);
    mw64(&d, l1 + (ssid >> 10) * 8ull, leaf | 1);
    uint64_t leaf0 = dalloc(&d, 1024 * 64);
    write_cd(&d, leaf0, 0x98, pgd0);
    mw64(&d, l1, leaf0 | 1);
    pt_map(&d, pgd, 0x5000, 0xE000, P_READ | P_CACHE, false, 3);
    make_cdtable_ste(&d, t, l1, 2, 20, 2);
    write_ste(&d, sid2, t, NULL, NULL);
    assert_int_equal(xlate_ssid(&d, sid2, ssid, 0x5008, 0, &r), 0);
    assert_int_equal(r.pa, 0xE008);
    expect_pa(&d, sid2, 0x1010, 0, 0xA010);
    /* an SSID whose L1 descriptor is invalid: C_BAD_SUBSTREAMID */
    assert_int_equal(xlate_ssid(&d, sid2, 5000, 0x5008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x08 | 5000ull << 12 | (uint64_t)sid2 << 32);
    expect_no_event(&d);
    drv_fini(&d);
}

/* GBPA: Linux's arm_smmu_update_gbpa (poll UPDATE, write with UPDATE, poll) */
static void test_gbpa_abort_when_disabled(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    assert_int_equal(rd32(&d, GBPA), 0x1000);
    expect_pa(&d, 3, 0x12345678ull, 0, 0x12345678ull); /* SMMUEN 0, bypass */
    while (rd32(&d, GBPA) & GBPA_UPDATE) {}
    wr32(&d, GBPA, (rd32(&d, GBPA) | GBPA_ABORT) | GBPA_UPDATE);
    assert_int_equal(rd32(&d, GBPA), 0x1000 | GBPA_ABORT);
    smmuv3_result r;
    assert_int_equal(xlate(&d, 3, 0x12345678ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0);
    /* the full reset with SMMUEN: GBPA no longer matters */
    linux_reset(&d, false);
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(&d, 3, t, NULL, NULL);
    expect_pa(&d, 3, 0x12345678ull, 0, 0x12345678ull);
    /* and a second reset with SMMUEN already on (kexec): Linux aborts via GBPA first */
    linux_reset(&d, false);
    assert_int_equal(rd32(&d, CR0ACK), CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
    drv_fini(&d);
}


/* arm_smmu_write_ste: PREFETCH_CFG after installing an STE (no SKIP_PREFETCH) */
static void prefetch_cfg(drv *d, uint32_t sid)
{
    cmd c = { { 0x01 | (uint64_t)sid << 32, 0 } };
    cmdq_insert(d, &c);
    cmdq_publish(d);
    cmdq_wait(d);
}

/* stall model (master->stall_enabled): CD.S = 1, STE.S1STALLD = 0; the fault
 * is recorded with Stall/STAG and answered by CMD_RESUME (arm_smmu_page_response) */
static void test_stall_and_resume(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    const uint32_t sid = 0x11;
    s1dom dom = { .asid = 0x300 };
    dom.cdtab = dalloc(&d, 64);
    dom.pgd = dalloc(&d, 4096);
    write_cd(&d, dom.cdtab, dom.asid, dom.pgd);
    mw64(&d, dom.cdtab, mr64(&d, dom.cdtab) | 1ull << 44);  /* CTXDESC_CD_0_S */
    uint64_t t[8];
    make_cdtable_ste(&d, t, dom.cdtab, 0, 0, 2);
    t[1] &= ~(1ull << 27);                                  /* no S1STALLD */
    write_ste(&d, sid, t, NULL, NULL);
    prefetch_cfg(&d, sid);

    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x5000123ull, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_STALL);
    uint16_t stag = r.stag;
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], (uint64_t)stag | 1ull << 31 | 2ull << 40);  /* STAG, Stall, write, CLASS IN */
    assert_int_equal(ev[2], 0x5000123ull);
    assert_int_equal(smmuv3_stall_poll(d.s, sid, stag), SMMUV3_STALL_PENDING);

    /* the fault handler maps the page, then IOMMU_PAGE_RESP_SUCCESS -> RESUME RETRY */
    pt_map(&d, dom.pgd, 0x5000000ull, 0x77000000ull, P_READ | P_WRITE | P_CACHE, false, 3);
    cmd c = { { 0x44 | 1ull << 12 | (uint64_t)sid << 32, stag } };
    cmdq_insert(&d, &c);
    cmd s = c_sync();
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    cmdq_wait(&d);
    assert_int_equal(smmuv3_stall_poll(d.s, sid, stag), SMMUV3_STALL_RETRY);
    expect_pa(&d, sid, 0x5000123ull, SMMUV3_TXN_WRITE, 0x77000123ull);

    /* IOMMU_PAGE_RESP_INVALID -> RESUME ABORT */
    assert_int_equal(xlate(&d, sid, 0x6000000ull, 0, &r), SMMUV3_XLATE_STALL);
    stag = r.stag;
    evtq_pop(&d, ev);
    assert_int_equal(ev[1], (uint64_t)stag | 1ull << 31 | 1ull << 35 | 2ull << 40);
    cmd c2 = { { 0x44 | 2ull << 12 | (uint64_t)sid << 32, stag } };
    cmdq_insert(&d, &c2);
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    cmdq_wait(&d);
    assert_int_equal(smmuv3_stall_poll(d.s, sid, stag), SMMUV3_STALL_ABORT);
    expect_no_event(&d);
    drv_fini(&d);
}

/* VHE host: CR2.E2H, STE.STRW = EL2, TLBI_EL2_VA / TLBI_EL2_ASID */
static void test_e2h_domain(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    write_reg_sync(&d, CR0, CR0ACK, 0);
    wr32(&d, CR2, LINUX_CR2 | 1);
    assert_int_equal(rd32(&d, CR2), d.cfg.btm ? 0x7u : 0x3u);  /* E2H | RECINVSID (PTM RES0 without BTM) */
    write_reg_sync(&d, CR0, CR0ACK, CR0_SMMUEN | CR0_EVTQEN | CR0_CMDQEN);
    const uint32_t sid = 0x30;
    s1dom dom = { .asid = 0x42 };
    dom.cdtab = dalloc(&d, 64);
    dom.pgd = dalloc(&d, 4096);
    write_cd(&d, dom.cdtab, dom.asid, dom.pgd);
    pt_map(&d, dom.pgd, 0x1000, 0x91000, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(&d, dom.pgd, 0x2000, 0x92000, P_READ | P_WRITE | P_CACHE, false, 3);
    uint64_t t[8];
    make_cdtable_ste(&d, t, dom.cdtab, 0, 0, 2);
    t[1] |= 2ull << 30;  /* STRW EL2 */
    write_ste(&d, sid, t, NULL, NULL);
    expect_pa(&d, sid, 0x1008, 0, 0x91008);
    expect_pa(&d, sid, 0x2008, 0, 0x92008);
    pt_unmap(&d, dom.pgd, 0x1000);
    tlb_inv_range(&d, 0x22, dom.asid, 0, 0x1000, 4096, true);  /* TLBI_EL2_VA */
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x1008, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x10);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    pt_unmap(&d, dom.pgd, 0x2000);
    issue_sync(&d, (cmd){ { 0x21 | (uint64_t)dom.asid << 48, 0 } });  /* TLBI_EL2_ASID */
    assert_int_equal(xlate(&d, sid, 0x2008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    expect_no_event(&d);
    drv_fini(&d);
}

/* a 2M block: io-pgtable unmaps it with granule 2M -> TTL 2, SCALE 9, NUM 0;
 * a non-leaf invalidation (table freed) has TTL 0 */
static void test_block_tlbi_ttl(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    const uint32_t sid = 2;
    s1dom dom;
    attach_s1(&d, sid, &dom, 9);
    pt_map(&d, dom.pgd, 0x40000000ull, 0x80000000ull, P_READ | P_WRITE | P_CACHE, false, 2);
    expect_pa(&d, sid, 0x401FF000ull, 0, 0x801FF000ull);
    expect_pa(&d, sid, 0x40000010ull, 0, 0x80000010ull);
    /* unmap the block */
    uint64_t l1 = mr64(&d, dom.pgd + ((0x40000000ull >> 39) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    uint64_t l2 = mr64(&d, l1 + ((0x40000000ull >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    mw64(&d, l2 + ((0x40000000ull >> 21) & 511) * 8, 0);
    cmd c = c_tlbi_va(0x12, dom.asid, 0, 0x40000000ull, true, 0, 9, 1, 2);
    cmdq_insert(&d, &c);
    cmd s = c_sync();
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    cmdq_wait(&d);
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x401FF000ull, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(xlate(&d, sid, 0x40000010ull, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    evtq_pop(&d, ev);

    /* pages under a level-2 table, then the whole table replaced: non-leaf, TTL 0 */
    pt_map(&d, dom.pgd, 0x60000000ull, 0x90000000ull, P_READ | P_CACHE, false, 3);
    expect_pa(&d, sid, 0x60000444ull, 0, 0x90000444ull);
    uint64_t l2b = mr64(&d, l1 + ((0x60000000ull >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
    mw64(&d, l2b + ((0x60000000ull >> 21) & 511) * 8, 0);
    tlb_inv_range(&d, 0x12, dom.asid, 0, 0x60000000ull, 2ull << 20, false);
    assert_int_equal(xlate(&d, sid, 0x60000444ull, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    expect_no_event(&d);
    drv_fini(&d);
}

/* CMD_SYNC with CS = SEV (no MSI polling): completes, one SEV */
static void test_cmd_sync_sev(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    smmuv3_stats before, after;
    smmuv3_get_stats(d.s, &before);
    issue_sync(&d, (cmd){ { 0x46 | 2ull << 12, 0 } });
    smmuv3_get_stats(d.s, &after);
    assert_int_equal(after.sev - before.sev, 1); /* only the CS=SEV sync signals */
    drv_fini(&d);
}

/* wired interrupts (no MSI doorbells programmed: *_IRQ_CFG0 == 0), as Linux
 * uses them with separate "eventq", "gerror" and "cmdq-sync" lines */
typedef struct wired { smmuv3_mem *mem; unsigned irqs[4]; } wired;
static int w_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_mem_read(((wired *)ctx)->mem, pa, buf, len); }
static int w_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_mem_write(((wired *)ctx)->mem, pa, buf, len); }
static void w_irq(void *ctx, smmuv3_irq line) { ((wired *)ctx)->irqs[line]++; }

static void test_wired_irqs(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    wired w = { .mem = d.mem };
    d.host = (smmuv3_host){ .ctx = &w, .read = w_read, .write = w_write, .irq = w_irq };
    smmuv3_free(d.s);
    d.cfg.msi = false;
    assert_int_equal(smmuv3_new(&d.cfg, &d.host, &d.s), 0);
    linux_reset(&d, false);
    assert_int_equal(rd32(&d, IRQ_CTRLACK), IRQ_CTRL_EVTQ | IRQ_CTRL_GERROR);
    assert_int_equal(rd64(&d, EVENTQ_IRQ_CFG0), 0);   /* RAZ/WI without IDR0.MSI */
    memset(w.irqs, 0, sizeof(w.irqs));

    smmuv3_result r;
    assert_int_equal(xlate(&d, 1u << d.sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    uint64_t ev[4];
    evtq_pop(&d, ev);

    cmd s = { { 0x46 | 1ull << 12, 0 } };            /* CS = SIG_IRQ */
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    cmdq_wait(&d);
    assert_int_equal(w.irqs[SMMUV3_IRQ_CMD_SYNC], 1);

    cmd bad = { { 0x7F, 0 } };
    cmdq_insert(&d, &bad);
    cmdq_publish(&d);
    assert_int_equal(w.irqs[SMMUV3_IRQ_GERROR], 1);
    uint32_t g = rd32(&d, GERROR);
    assert_int_equal(g & 1u, (rd32(&d, GERRORN) & 1u) ^ 1u);
    wr32(&d, GERRORN, g);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    assert_int_equal(w.irqs[SMMUV3_IRQ_PRIQ], 0);

    /* interrupts masked in IRQ_CTRL: no edge, the record still lands */
    write_reg_sync(&d, IRQ_CTRL, IRQ_CTRLACK, 0);
    assert_int_equal(xlate(&d, 1u << d.sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(w.irqs[SMMUV3_IRQ_EVENTQ], 1);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x02 | (uint64_t)(1u << d.sid_bits) << 32);
    drv_fini(&d);
}

/* io-pgtable with 16K and 64K granules (a 16K/64K PAGE_SIZE kernel), 48-bit VA */
static unsigned lvl_shift(unsigned g, unsigned level) { return g + (3 - level) * (g - 3); }

static void pt_map_g(drv *d, uint64_t root, unsigned g, uint64_t iova, uint64_t pa, uint64_t attrs)
{
    unsigned start = 3 - (48 - g - 1) / (g - 3);
    uint64_t table = root, mask = ((1ull << 48) - 1) & ~((1ull << g) - 1);
    for (unsigned level = start; level < 3; level++) {
        uint64_t slot = table + ((iova >> lvl_shift(g, level)) & ((1ull << (g - 3)) - 1)) * 8;
        uint64_t desc = mr64(d, slot);
        if (!(desc & 1)) {
            desc = dalloc(d, 1ull << g) | 3;
            mw64(d, slot, desc);
        }
        table = desc & mask;
    }
    mw64(d, table + ((iova >> g) & ((1ull << (g - 3)) - 1)) * 8, pa | attrs | 3);
}

static void run_granule(unsigned g)
{
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    const uint32_t sid = 0x50;
    const uint16_t asid = 0x1000;
    uint64_t cdtab = dalloc(&d, 64), pgd = dalloc(&d, 1ull << g);
    write_cd(&d, cdtab, asid, pgd);
    uint64_t w0 = mr64(&d, cdtab) & ~(3ull << 6);
    w0 |= (g == 16 ? 1ull : 2ull) << 6;                 /* TG0: 1 = 64K, 2 = 16K */
    mw64(&d, cdtab, w0);
    uint64_t t[8];
    make_cdtable_ste(&d, t, cdtab, 0, 0, 2);
    write_ste(&d, sid, t, NULL, NULL);

    const uint64_t page = 1ull << g;
    const uint64_t iova = 0xABCD0000ull & ~(page - 1);
    for (uint64_t i = 0; i < 4; i++)
        pt_map_g(&d, pgd, g, iova + i * page, 0x300000000ull + i * page, prot_s1(P_READ | P_WRITE | P_CACHE));
    for (uint64_t i = 0; i < 4; i++)
        expect_pa(&d, sid, iova + i * page + page - 8, SMMUV3_TXN_WRITE, 0x300000000ull + i * page + page - 8);

    /* unmap pages 1 and 2: RIL form with TG = (g - 10) / 2, NUM 1, SCALE 1 */
    {
        unsigned start = 3 - (48 - g - 1) / (g - 3);
        uint64_t table = pgd, mask = ((1ull << 48) - 1) & ~((1ull << g) - 1);
        for (unsigned level = start; level < 3; level++)
            table = mr64(&d, table + ((iova >> lvl_shift(g, level)) & ((1ull << (g - 3)) - 1)) * 8) & mask;
        for (uint64_t i = 1; i <= 2; i++)
            mw64(&d, table + (((iova + i * page) >> g) & ((1ull << (g - 3)) - 1)) * 8, 0);
    }
    cmd c = c_tlbi_va(0x12, asid, 0, iova + page, true, 0, 1, (g - 10) / 2, 3);
    cmdq_insert(&d, &c);
    cmd s = c_sync();
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    cmdq_wait(&d);
    smmuv3_result r;
    for (uint64_t i = 1; i <= 2; i++) {
        assert_int_equal(xlate(&d, sid, iova + i * page, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
    }
    expect_pa(&d, sid, iova, 0, 0x300000000ull);
    expect_pa(&d, sid, iova + 3 * page, 0, 0x300000000ull + 3 * page);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[2], iova + page);
    evtq_pop(&d, ev);
    assert_int_equal(ev[2], iova + 2 * page);
    expect_no_event(&d);
    drv_fini(&d);
}

static void test_granule_16k(void **state) { (void)state; run_granule(14); }
static void test_granule_64k(void **state) { (void)state; run_granule(16); }

/* 32-bit kernels: lo_hi_writeq (two 32-bit writes, low word first) and
 * 32-bit reads of the halves; the command queue wrapping many times over */
static void test_lo_hi_writeq_and_queue_wrap(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    wr32(&d, STRTAB_BASE, (uint32_t)(STRTAB_ADDR | 0));
    wr32(&d, STRTAB_BASE + 4, (uint32_t)((STRTAB_ADDR | STRTAB_BASE_RA) >> 32));
    assert_int_equal(rd64(&d, STRTAB_BASE), STRTAB_ADDR | STRTAB_BASE_RA);
    assert_int_equal(rd32(&d, STRTAB_BASE + 4), (uint32_t)(STRTAB_BASE_RA >> 32));
    wr32(&d, CMDQ_BASE, (uint32_t)(CMDQ_ADDR | CMDQ_LOG2));
    wr32(&d, CMDQ_BASE + 4, (uint32_t)(Q_BASE_RWA >> 32));
    assert_int_equal(rd64(&d, CMDQ_BASE), Q_BASE_RWA | CMDQ_ADDR | CMDQ_LOG2);
    linux_reset(&d, false);

    /* batches of 63 commands + CMD_SYNC, across several wraps of 256 slots */
    for (unsigned batch = 0; batch < 20; batch++) {
        for (unsigned i = 0; i < 63; i++) {
            cmd c = c_cfgi_ste(batch * 63 + i);
            cmdq_insert(&d, &c);
        }
        cmd s = c_sync();
        cmdq_insert(&d, &s);
        cmdq_publish(&d);
        cmdq_wait(&d);
    }
    /* 20 * 64 = 1280 commands after the 6 of the reset: index 14 of the 6th lap */
    assert_int_equal(d.cmdq_prod, (1286u & 255) | ((1286u >> 8) & 1) << 8);
    assert_int_equal(rd32(&d, CMDQ_CONS) & 0x1FF, d.cmdq_prod);
    drv_fini(&d);
}

/* a SubstreamID on a stream without stage 1: C_BAD_SUBSTREAMID (7.3.9) */
static void test_ssid_on_bypass_and_s2(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    uint64_t t[8];
    make_bypass_ste(t);
    write_ste(&d, 4, t, NULL, NULL);
    smmuv3_result r;
    assert_int_equal(xlate_ssid(&d, 4, 0x77, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x08 | 0x77ull << 12 | 4ull << 32);
    uint64_t vttbr = dalloc(&d, 4096);
    make_s2_ste(t, 1, vttbr);
    write_ste(&d, 4, t, NULL, NULL);
    assert_int_equal(xlate_ssid(&d, 4, 0x78, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x08 | 0x78ull << 12 | 4ull << 32);
    /* S1 with S1CDMAX 0 (substreams disabled) */
    s1dom dom;
    attach_s1(&d, 4, &dom, 5);
    assert_int_equal(xlate_ssid(&d, 4, 1, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x08 | 1ull << 12 | 4ull << 32);
    expect_no_event(&d);
    drv_fini(&d);
}

/* iommufd nesting (arm_smmu_make_nested_cd_table_ste): the guest's vSTE
 * (S1ContextPtr an IPA) with the nesting parent's stage 2 and VMID; guest
 * TLBI_NH_VA carries the VMID; a stage 2 change is flushed with S12_VMALL */
static void test_nested_domain(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, true);
    const uint32_t sid = 0x222;
    const uint16_t vmid = 7, asid = 0x31;
    uint64_t vttbr = dalloc(&d, 4096);
    /* guest memory: IPA 0x80000000.. backed by PA 0x1_8000_0000.. */
    const uint64_t gpa_base = 0x80000000ull, hpa_base = 0x180000000ull;
    for (uint64_t i = 0; i < 16; i++)
        pt_map(&d, vttbr, gpa_base + i * 4096, hpa_base + i * 4096, P_READ | P_WRITE | P_CACHE, true, 3);
    /* the guest builds its CD and stage 1 tables in guest pages (IPA), we
     * write them at the backing PA */
    const uint64_t cd_ipa = gpa_base, pgd_ipa = gpa_base + 0x1000;
    const uint64_t l1_ipa = gpa_base + 0x2000, l2_ipa = gpa_base + 0x3000, l3_ipa = gpa_base + 0x4000;
    const uint64_t off = hpa_base - gpa_base;
    write_cd(&d, cd_ipa + off, asid, pgd_ipa);
    const uint64_t iova = 0x12345000ull;
    mw64(&d, pgd_ipa + off + ((iova >> 39) & 511) * 8, l1_ipa | 3);
    mw64(&d, l1_ipa + off + ((iova >> 30) & 511) * 8, l2_ipa | 3);
    mw64(&d, l2_ipa + off + ((iova >> 21) & 511) * 8, l3_ipa | 3);
    const uint64_t data_ipa = gpa_base + 0x9000;
    mw64(&d, l3_ipa + off + ((iova >> 12) & 511) * 8, data_ipa | prot_s1(P_READ | P_WRITE | P_CACHE) | 3);

    uint64_t t[8], s2[8];
    make_s2_ste(s2, vmid, vttbr);
    memset(t, 0, sizeof(t));
    t[0] = 1 | 7ull << 1 | (cd_ipa & 0x000FFFFFFFFFFFC0ull);
    t[1] = 2 | 1ull << 2 | 1ull << 4 | 3ull << 6 | 1ull << 44;
    t[2] = s2[2];
    t[3] = s2[3];
    write_ste(&d, sid, t, NULL, NULL);
    expect_pa(&d, sid, iova + 0x10, SMMUV3_TXN_WRITE, hpa_base + 0x9010);

    /* guest unmaps: TLBI_NH_VA with its ASID and the VMID */
    mw64(&d, l3_ipa + off + ((iova >> 12) & 511) * 8, 0);
    tlb_inv_range(&d, 0x12, asid, vmid, iova, 4096, true);
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, iova + 0x10, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);   /* stage 1 fault */

    /* guest remaps; host moves the backing page: S2 change + S12_VMALL */
    mw64(&d, l3_ipa + off + ((iova >> 12) & 511) * 8, data_ipa | prot_s1(P_READ | P_WRITE | P_CACHE) | 3);
    tlb_inv_range(&d, 0x12, asid, vmid, iova, 4096, true);
    expect_pa(&d, sid, iova + 0x20, 0, hpa_base + 0x9020);
    pt_unmap(&d, vttbr, data_ipa);
    issue_sync(&d, c_tlbi_s12_vmall(vmid));
    assert_int_equal(xlate(&d, sid, iova + 0x20, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40); /* stage 2, CLASS IN */
    assert_int_equal(ev[3], data_ipa);
    pt_map(&d, vttbr, data_ipa, 0x1C0000000ull, P_READ | P_WRITE | P_CACHE, true, 3);
    issue_sync(&d, c_tlbi_s12_vmall(vmid));
    expect_pa(&d, sid, iova + 0x20, 0, 0x1C0000020ull);
    expect_no_event(&d);
    drv_fini(&d);
}

/* dirty tracking (IO_PGTABLE_QUIRK_ARM_HD): CD.HA|HD, writable-clean pages
 * are DBM | AP_RDONLY; a device write makes them dirty (AP[2] cleared), as
 * arm_lpae_read_and_clear_dirty then sees */
static void test_httu_dirty_tracking(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    const uint32_t sid = 0x19;
    s1dom dom = { .asid = 0x600 };
    dom.cdtab = dalloc(&d, 64);
    dom.pgd = dalloc(&d, 4096);
    write_cd(&d, dom.cdtab, dom.asid, dom.pgd);
    mw64(&d, dom.cdtab, mr64(&d, dom.cdtab) | 1ull << 42 | 1ull << 43); /* HD, HA */
    uint64_t t[8];
    make_cdtable_ste(&d, t, dom.cdtab, 0, 0, 2);
    write_ste(&d, sid, t, NULL, NULL);
    const uint64_t dbm = 1ull << 51;
    pt_map(&d, dom.pgd, 0x7000, 0xE7000, P_READ | P_CACHE, false, 3); /* AP_RDONLY */
    uint64_t slot = pt_leaf_slot(&d, dom.pgd, 0x7000);
    mw64(&d, slot, mr64(&d, slot) | dbm);
    uint64_t clean = mr64(&d, slot);
    assert_true(clean & (1ull << 7));
    expect_pa(&d, sid, 0x7010, 0, 0xE7010);
    assert_int_equal(mr64(&d, slot), clean);                 /* a read leaves it clean */
    expect_pa(&d, sid, 0x7010, SMMUV3_TXN_WRITE, 0xE7010);
    assert_int_equal(mr64(&d, slot), clean & ~(1ull << 7));  /* dirty: AP[2] cleared */
    /* read_and_clear_dirty sets AP_RDONLY again, then TLBI: the next write dirties it again */
    mw64(&d, slot, clean);
    tlb_inv_range(&d, 0x12, dom.asid, 0, 0x7000, 4096, true);
    expect_pa(&d, sid, 0x7020, SMMUV3_TXN_WRITE, 0xE7020);
    assert_int_equal(mr64(&d, slot), clean & ~(1ull << 7));
    /* a read-only page without DBM still faults on a write */
    pt_map(&d, dom.pgd, 0x8000, 0xE8000, P_READ | P_CACHE, false, 3);
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 0x8000, SMMUV3_TXN_WRITE, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(r.event, 0x13);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    expect_no_event(&d);
    drv_fini(&d);
}

/* external aborts on the SMMU's own accesses, as arm_smmu_evtq_thread and
 * arm_smmu_gerror_handler see them: F_STE_FETCH, F_CD_FETCH, F_WALK_EABT
 * with FetchAddr; CERROR_ABT; MSI_EVENTQ_ABT_ERR; EVENTQ_ABT_ERR */
static void test_external_aborts(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    smmuv3_result r;
    uint64_t ev[4];

    /* STE fetch */
    uint64_t ste = ste_addr(&d, 20);
    assert_int_equal(smmuv3_mem_add_abort(d.mem, ste, 64), 0);
    assert_int_equal(xlate(&d, 20, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x03 | 20ull << 32);
    assert_int_equal(ev[3], ste);

    /* CD fetch */
    s1dom dom;
    attach_s1(&d, 21, &dom, 0x21);
    pt_map(&d, dom.pgd, 0x1000, 0x2000, P_READ | P_CACHE, false, 3);
    uint64_t aborting_cd = 0x7FFF0000ull;
    assert_int_equal(smmuv3_mem_add_abort(d.mem, aborting_cd, 64), 0);
    uint64_t t[8];
    make_cdtable_ste(&d, t, aborting_cd, 0, 0, 2);
    write_ste(&d, 22, t, NULL, NULL);
    assert_int_equal(xlate(&d, 22, 0x1000, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x09 | 22ull << 32);
    assert_int_equal(ev[3], aborting_cd);

    /* a stage 1 walk: the level 3 table page aborts */
    uint64_t leaf_slot = pt_leaf_slot(&d, dom.pgd, 0x5000);
    assert_int_equal(smmuv3_mem_add_abort(d.mem, leaf_slot & ~0xFFFull, 4096), 0);
    assert_int_equal(xlate(&d, 21, 0x5008, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x0B | 21ull << 32);
    assert_int_equal(ev[1] & (1ull << 39 | 3ull << 40 | 1ull << 35), 1ull << 40 | 1ull << 35); /* S2 0, CLASS TT, read */
    assert_int_equal(ev[2], 0x5008);
    assert_int_equal(ev[3], leaf_slot);
    expect_no_event(&d);

    /* a command fetch abort: CMDQ_CONS.ERR = CERROR_ABT */
    uint32_t idx = d.cmdq_prod & ((1u << CMDQ_LOG2) - 1);
    uint64_t slot = CMDQ_ADDR + idx * 16ull;
    assert_int_equal(smmuv3_mem_add_abort(d.mem, slot, 16), 0);
    d.cmdq_prod = (d.cmdq_prod + 1) & ((2u << CMDQ_LOG2) - 1);
    cmdq_publish(&d);
    assert_int_equal(rd32(&d, CMDQ_CONS) & 0x7F000000u, 2u << 24);
    uint32_t g = rd32(&d, GERROR);
    assert_int_equal((g ^ rd32(&d, GERRORN)) & 0x1FD, 1);
    drv_fini(&d);

    /* the event MSI doorbell aborts: MSI_EVENTQ_ABT_ERR; the record is written */
    drv_init(&d, NULL);
    assert_int_equal(smmuv3_mem_add_abort(d.mem, MSI_EVTQ, 4), 0);
    linux_reset(&d, false);
    assert_int_equal(xlate(&d, 1u << d.sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    g = rd32(&d, GERROR) ^ rd32(&d, GERRORN);
    assert_int_equal(g & 0x1FD, 1u << 5);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0] & 0xFF, 0x02);
    drv_fini(&d);

    /* the event queue itself aborts: EVENTQ_ABT_ERR */
    drv_init(&d, NULL);
    assert_int_equal(smmuv3_mem_add_abort(d.mem, EVTQ_ADDR, 32u << EVTQ_LOG2), 0);
    linux_reset(&d, false);
    assert_int_equal(xlate(&d, 1u << d.sid_bits, 0, 0, &r), SMMUV3_XLATE_ABORT);
    g = rd32(&d, GERROR) ^ rd32(&d, GERRORN);
    assert_int_equal(g & 0x1FD, 1u << 2);
    assert_int_equal(rd32(&d, EVENTQ_PROD), 0);
    drv_fini(&d);
}

/* every STE transition Linux's arm-smmu-v3 KUnit tests exercise, made with
 * arm_smmu_write_entry: at each intermediate step a transaction sees the old
 * configuration or the new one; only a breaking update (V = 0) may show
 * C_BAD_STE in between */
enum { X_IOVA = 0x4000 };
typedef struct { uint64_t ste[8]; int64_t pa; } stecfg; /* pa < 0: abort, no event */
typedef struct { const stecfg *from, *to; } trans_arg;

static void check_outcome(drv *d, uint32_t sid, const stecfg *c, smmuv3_result *r, int rc, bool *match)
{
    (void)d; (void)sid;
    if (c->pa < 0)
        *match = *match || (rc == SMMUV3_XLATE_ABORT && r->event == 0);
    else
        *match = *match || (rc == 0 && r->pa == (uint64_t)c->pa + 0x10);
}

static void hook_transition(drv *d, uint32_t sid, int step, void *arg)
{
    trans_arg *a = arg;
    smmuv3_result r;
    int rc = xlate(d, sid, X_IOVA + 0x10, 0, &r);
    bool ok = false;
    check_outcome(d, sid, a->from, &r, rc, &ok);
    check_outcome(d, sid, a->to, &r, rc, &ok);
    if (!ok && (step == 11 || step == 12) && rc == SMMUV3_XLATE_ABORT && r.event == 0x04) {
        uint64_t ev[4];
        evtq_pop(d, ev);
        assert_int_equal(ev[0], 0x04 | (uint64_t)sid << 32);
        ok = true;
    }
    if (!ok)
        print_error("step %d: rc %d pa 0x%llx event 0x%x\n", step, rc, (unsigned long long)r.pa, r.event);
    assert_true(ok);
    if (step == 3 || step == 0 || step == 13) {
        /* the final state is exactly the target */
        bool fin = false;
        check_outcome(d, sid, a->to, &r, rc, &fin);
        assert_true(fin);
    }
}

static void test_ste_transitions(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    stecfg cfgs[6];
    memset(cfgs, 0, sizeof(cfgs));
    cfgs[0].ste[0] = 1;                         /* abort */
    cfgs[0].pa = -1;
    make_bypass_ste(cfgs[1].ste);               /* identity */
    cfgs[1].pa = X_IOVA;
    for (int i = 0; i < 2; i++) {               /* two S1 domains */
        uint64_t cd = dalloc(&d, 64), pgd = dalloc(&d, 4096);
        write_cd(&d, cd, (uint16_t)(0x10 + i), pgd);
        pt_map(&d, pgd, X_IOVA, 0x10000000ull * (uint64_t)(i + 1), P_READ | P_WRITE | P_CACHE, false, 3);
        make_cdtable_ste(&d, cfgs[2 + i].ste, cd, 0, 0, 2);
        cfgs[2 + i].pa = (int64_t)(0x10000000ll * (i + 1));
    }
    for (int i = 0; i < 2; i++) {               /* two S2 domains */
        uint64_t vttbr = dalloc(&d, 4096);
        pt_map(&d, vttbr, X_IOVA, 0x40000000ull * (uint64_t)(i + 1), P_READ | P_WRITE | P_CACHE, true, 3);
        make_s2_ste(cfgs[4 + i].ste, (uint16_t)(0x20 + i), vttbr);
        cfgs[4 + i].pa = (int64_t)(0x40000000ll * (i + 1));
    }
    const uint32_t sid = 0x33;
    for (int from = 0; from < 6; from++) {
        for (int to = 0; to < 6; to++) {
            if (from == to)
                continue;
            write_ste(&d, sid, cfgs[from].ste, NULL, NULL);
            trans_arg a = { &cfgs[from], &cfgs[to] };
            write_ste(&d, sid, cfgs[to].ste, hook_transition, &a);
        }
    }
    expect_no_event(&d);
    drv_fini(&d);
}

/* addresses outside the 48-bit TTB0 range (CD.T0SZ 16, EPD1 = 1, TBI 0):
 * F_TRANSLATION, stage 1, CLASS IN, InputAddr as given (7.3) */
static void test_input_range(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    s1dom dom;
    attach_s1(&d, 6, &dom, 0x66);
    pt_map(&d, dom.pgd, 0xFFFFFFFFF000ull, 0x3000, P_READ | P_WRITE | P_CACHE, false, 3);
    expect_pa(&d, 6, 0xFFFFFFFFFFF8ull, 0, 0x3FF8);
    const uint64_t bad[] = { 1ull << 48, 0xFFFF000000001000ull, 0xFF00000000001000ull, 0x0100FFFFFFFFF000ull };
    for (unsigned i = 0; i < 4; i++) {
        smmuv3_result r;
        assert_int_equal(xlate(&d, 6, bad[i], 0, &r), SMMUV3_XLATE_ABORT);
        uint64_t ev[4];
        evtq_pop(&d, ev);
        assert_int_equal(ev[0], 0x10 | 6ull << 32);
        assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);
        assert_int_equal(ev[2], bad[i]);
    }
    expect_no_event(&d);
    drv_fini(&d);
}

/* an SMMU with a 40-bit OAS: io-pgtable's stage 2 for a 40-bit IPA starts at
 * level 1 with two concatenated tables (ARM_LPAE_S2_MAX_CONCAT_PAGES), VTCR
 * T0SZ 24, SL0 1, PS 40 bits -- the same layout Xen's shared P2M uses */
static void tweak_oas40(smmuv3_config *c) { c->oas = 40; }

static void test_s2_concatenated_root(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, tweak_oas40);
    assert_int_equal(rd32(&d, IDR5) & 7, 2);
    linux_reset(&d, false);
    const uint32_t sid = 0x12;
    uint64_t pgd = dalloc(&d, 8192);                 /* two pages, 8K aligned */
    /* level 1 index = IPA[39:30] (1024 entries over both pages) */
    const uint64_t ipas[2] = { 0x0040201000ull, 0xC0C0403000ull };
    const uint64_t pas[2] = { 0x11000000ull, 0x22000000ull };
    for (int i = 0; i < 2; i++) {
        uint64_t l1slot = pgd + ((ipas[i] >> 30) & 1023) * 8;
        uint64_t l2 = dalloc(&d, 4096), l3 = dalloc(&d, 4096);
        mw64(&d, l1slot, l2 | 3);
        mw64(&d, l2 + ((ipas[i] >> 21) & 511) * 8, l3 | 3);
        mw64(&d, l3 + ((ipas[i] >> 12) & 511) * 8, pas[i] | prot_s2(P_READ | P_WRITE | P_CACHE) | 3);
    }
    assert_true(((ipas[1] >> 30) & 1023) >= 512);   /* lands in the second page */
    uint64_t t[8];
    memset(t, 0, sizeof(t));
    t[0] = 1 | 6ull << 1;
    t[1] = 1ull << 44;
    uint64_t vtcr = 24 | 1ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 2ull << 16;
    t[2] = 3 | vtcr << 32 | 1ull << 51 | 1ull << 54 | 1ull << 58;
    t[3] = pgd;
    write_ste(&d, sid, t, NULL, NULL);
    expect_pa(&d, sid, ipas[0] + 0x18, 0, pas[0] + 0x18);
    expect_pa(&d, sid, ipas[1] + 0xFF8, SMMUV3_TXN_WRITE, pas[1] + 0xFF8);
    /* an input beyond the IAS (= OAS, 40 bits) with stage 1 bypassed:
     * F_ADDR_SIZE, S2 = 0, CLASS IN (7.3.14, 3.4.1) */
    smmuv3_result r;
    assert_int_equal(xlate(&d, sid, 1ull << 40, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x11 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 2ull << 40);
    assert_int_equal(ev[2], 1ull << 40);
    /* an unmapped IPA inside the range: stage 2 F_TRANSLATION with the IPA */
    assert_int_equal(xlate(&d, sid, 0x8000000000ull, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x10 | (uint64_t)sid << 32);
    assert_int_equal(ev[1], 1ull << 35 | 1ull << 39 | 2ull << 40);
    assert_int_equal(ev[3], 0x8000000000ull);
    expect_no_event(&d);
    drv_fini(&d);
}

/* S1DSS for traffic without a SubstreamID when substreams are enabled:
 * BYPASS (an identity domain with SVA PASIDs), SSID0, and terminate
 * (F_STREAM_DISABLED) */
static void test_s1dss_modes(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    uint64_t cdtab = dalloc(&d, 4 * 64);
    uint64_t pgd0 = dalloc(&d, 4096), pgd2 = dalloc(&d, 4096);
    write_cd(&d, cdtab, 0x40, pgd0);
    write_cd(&d, cdtab + 2 * 64, 0x42, pgd2);
    pt_map(&d, pgd0, 0x9000, 0xA9000, P_READ | P_WRITE | P_CACHE, false, 3);
    pt_map(&d, pgd2, 0x9000, 0xB9000, P_READ | P_WRITE | P_CACHE, false, 3);
    uint64_t t[8];
    smmuv3_result r;

    make_cdtable_ste(&d, t, cdtab, 0, 2, 1);   /* S1DSS bypass */
    t[1] |= 1ull << 44;                        /* SHCFG incoming, as Linux adds for bypass */
    write_ste(&d, 8, t, NULL, NULL);
    expect_pa(&d, 8, 0x9010, 0, 0x9010);
    assert_int_equal(xlate_ssid(&d, 8, 2, 0x9010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB9010);

    make_cdtable_ste(&d, t, cdtab, 0, 2, 2);   /* S1DSS SSID0 */
    write_ste(&d, 8, t, NULL, NULL);
    expect_pa(&d, 8, 0x9010, 0, 0xA9010);
    /* SubstreamID 0 is reserved for non-substream traffic under SSID0: F_STREAM_DISABLED (7.3.7) */
    assert_int_equal(xlate_ssid(&d, 8, 0, 0x9010, 0, &r), SMMUV3_XLATE_ABORT);
    uint64_t ev[4];
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x06 | 8ull << 32);
    assert_int_equal(ev[1], 0);
    assert_int_equal(ev[2], 0);

    make_cdtable_ste(&d, t, cdtab, 0, 2, 0);   /* S1DSS terminate */
    write_ste(&d, 8, t, NULL, NULL);
    assert_int_equal(xlate(&d, 8, 0x9010, 0, &r), SMMUV3_XLATE_ABORT);
    evtq_pop(&d, ev);
    assert_int_equal(ev[0], 0x06 | 8ull << 32);
    assert_int_equal(xlate_ssid(&d, 8, 2, 0x9010, 0, &r), 0);
    assert_int_equal(r.pa, 0xB9010);
    expect_no_event(&d);
    drv_fini(&d);
}

/* a TLBI by address inside a cached 2M block invalidates the whole block
 * entry (4.4.1: every entry whose range contains the address), with the
 * range form (TTL 0, one 4K page) and the plain form */
static void test_tlbi_inside_block(void **state)
{
    (void)state;
    for (int ranged = 0; ranged < 2; ranged++) {
        drv d;
        drv_init(&d, NULL);
        linux_reset(&d, false);
        const uint32_t sid = 3;
        s1dom dom;
        attach_s1(&d, sid, &dom, 0x123);
        const uint64_t blk = 0x7FE00000ull;
        pt_map(&d, dom.pgd, blk, 0x40000000ull, P_READ | P_WRITE | P_CACHE, false, 2);
        expect_pa(&d, sid, blk + 0x100000, 0, 0x40100000ull);
        expect_pa(&d, sid, blk + 0x5000, 0, 0x40005000ull);
        uint64_t l1 = mr64(&d, dom.pgd + ((blk >> 39) & 511) * 8) & 0x0000FFFFFFFFF000ull;
        uint64_t l2 = mr64(&d, l1 + ((blk >> 30) & 511) * 8) & 0x0000FFFFFFFFF000ull;
        mw64(&d, l2 + ((blk >> 21) & 511) * 8, 0);
        /* ranged: two 4K granules, no level hint (NUM 1; NUM == SCALE == TTL == 0 is Reserved) */
        cmd c = ranged ? c_tlbi_va(0x12, dom.asid, 0, blk + 0x5000, true, 1, 0, 1, 0)
                       : c_tlbi_va(0x12, dom.asid, 0, blk + 0x5000, true, 0, 0, 0, 0);
        cmdq_insert(&d, &c);
        cmd s = c_sync();
        cmdq_insert(&d, &s);
        cmdq_publish(&d);
        cmdq_wait(&d);
        smmuv3_result r;
        assert_int_equal(xlate(&d, sid, blk + 0x100000, 0, &r), SMMUV3_XLATE_ABORT);
        assert_int_equal(r.event, 0x10);
        uint64_t ev[4];
        evtq_pop(&d, ev);
        assert_int_equal(ev[2], blk + 0x100000);
        drv_fini(&d);
    }
}

/* the Reserved range encoding (TG != 0, NUM == SCALE == TTL == 0) is CERROR_ILL (4.4.1.1) */
static void test_tlbi_reserved_range_encoding(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    uint32_t start = d.cmdq_prod;
    cmd c = c_tlbi_va(0x12, 1, 0, 0x1000, true, 0, 0, 1, 0);
    cmdq_insert(&d, &c);
    cmd s = c_sync();
    cmdq_insert(&d, &s);
    cmdq_publish(&d);
    assert_int_equal(rd32(&d, CMDQ_CONS), 1u << 24 | start);
    uint32_t g = rd32(&d, GERROR);
    assert_int_equal((g ^ rd32(&d, GERRORN)) & 1u, 1u);
    /* skip it as Linux does (replace with CMD_SYNC), acknowledge */
    uint64_t slot = CMDQ_ADDR + (start & ((1u << CMDQ_LOG2) - 1)) * 16ull;
    mw64(&d, slot, 0x46);
    mw64(&d, slot + 8, 0);
    wr32(&d, GERRORN, g);
    cmdq_wait(&d);
    drv_fini(&d);
}

/* arm_smmu_evtq_thread over many laps of the event queue: batches of
 * faults, each drained in order, the wrap bit toggling every 128 records */
static void test_evtq_many_laps(void **state)
{
    (void)state;
    drv d;
    drv_init(&d, NULL);
    linux_reset(&d, false);
    s1dom dom;
    attach_s1(&d, 1, &dom, 0x11);
    uint64_t n = 0;
    for (unsigned batch = 0; batch < 7; batch++) {
        unsigned count = 50 + batch * 7;  /* never more than the queue holds */
        for (unsigned i = 0; i < count; i++) {
            smmuv3_result r;
            assert_int_equal(xlate(&d, 1, (n + i) << 12, 0, &r), SMMUV3_XLATE_ABORT);
        }
        assert_int_equal(evtq_pending(&d), count);
        for (unsigned i = 0; i < count; i++) {
            uint64_t ev[4];
            evtq_pop(&d, ev);
            assert_int_equal(ev[0], 0x10 | 1ull << 32);
            assert_int_equal(ev[2], (n + i) << 12);
        }
        n += count;
        assert_int_equal(rd32(&d, EVENTQ_PROD), (uint32_t)(n & 0xFF));
        assert_int_equal(rd32(&d, EVENTQ_CONS), (uint32_t)(n & 0xFF));
    }
    assert_true(n > 3 * 128);
    drv_fini(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_id_registers),
        cmocka_unit_test(test_reset_linear),
        cmocka_unit_test(test_bypass_ste),
        cmocka_unit_test(test_s1_dma_two_level),
        cmocka_unit_test(test_evtq_translation_fault),
        cmocka_unit_test(test_evtq_overflow),
        cmocka_unit_test(test_ste_update_sequences),
        cmocka_unit_test(test_s1_tlbi_range),
        cmocka_unit_test(test_s1_tlbi_per_page),
        cmocka_unit_test(test_s2_domain),
        cmocka_unit_test(test_cmd_sync_msi_own_slot),
        cmocka_unit_test(test_cmdq_error_skip),
        cmocka_unit_test(test_cd_tables_ssid),
        cmocka_unit_test(test_gbpa_abort_when_disabled),
        cmocka_unit_test(test_stall_and_resume),
        cmocka_unit_test(test_e2h_domain),
        cmocka_unit_test(test_block_tlbi_ttl),
        cmocka_unit_test(test_cmd_sync_sev),
        cmocka_unit_test(test_wired_irqs),
        cmocka_unit_test(test_granule_16k),
        cmocka_unit_test(test_granule_64k),
        cmocka_unit_test(test_lo_hi_writeq_and_queue_wrap),
        cmocka_unit_test(test_ssid_on_bypass_and_s2),
        cmocka_unit_test(test_nested_domain),
        cmocka_unit_test(test_httu_dirty_tracking),
        cmocka_unit_test(test_external_aborts),
        cmocka_unit_test(test_ste_transitions),
        cmocka_unit_test(test_input_range),
        cmocka_unit_test(test_s2_concatenated_root),
        cmocka_unit_test(test_s1dss_modes),
        cmocka_unit_test(test_tlbi_inside_block),
        cmocka_unit_test(test_tlbi_reserved_range_encoding),
        cmocka_unit_test(test_evtq_many_laps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
