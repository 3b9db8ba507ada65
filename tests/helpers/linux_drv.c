/* SPDX-License-Identifier: MIT */
/* The Linux arm-smmu-v3 driver re-enactment (see linux_drv.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "linux_drv.h"

/* ------------------------------------------------------------ commands (4.x) */

void cmdq_insert(drv *d, const cmd *c)
{
    uint32_t mask = (1u << CMDQ_LOG2) - 1;
    uint64_t slot = CMDQ_ADDR + (uint64_t)(d->cmdq_prod & mask) * 16;
    mw64(d, slot, c->w[0]);
    mw64(d, slot + 8, c->w[1]);
    d->cmdq_prod = (d->cmdq_prod + 1) & ((2u << CMDQ_LOG2) - 1);
}

void cmdq_publish(drv *d) { wr32(d, CMDQ_PROD, d->cmdq_prod); }

/* arm_smmu_cmdq_poll_until_sync (polling flavour): CONS catches up with PROD */
void cmdq_wait(drv *d)
{
    /* queue_consumed(): index and wrap only (ERR keeps the last error code) */
    assert_int_equal(rd32(d, CMDQ_CONS) & ((2u << CMDQ_LOG2) - 1), d->cmdq_prod);
    assert_int_equal(rd32(d, GERROR) & 1u, rd32(d, GERRORN) & 1u);
}

cmd c_sync(void) { return (cmd){ { 0x46, 0 } }; }
cmd c_cfgi_ste(uint32_t sid) { return (cmd){ { 0x03 | (uint64_t)sid << 32, 1 } }; }
cmd c_cfgi_all(void) { return (cmd){ { 0x04, 31 } }; }
cmd c_cfgi_cd(uint32_t sid, uint32_t ssid) { return (cmd){ { 0x05 | (uint64_t)ssid << 12 | (uint64_t)sid << 32, 1 } }; }
cmd c_tlbi_nsnh_all(void) { return (cmd){ { 0x30, 0 } }; }
cmd c_tlbi_el2_all(void) { return (cmd){ { 0x20, 0 } }; }
cmd c_tlbi_nh_asid(uint16_t asid) { return (cmd){ { 0x11 | (uint64_t)asid << 48, 0 } }; }
cmd c_tlbi_s12_vmall(uint16_t vmid) { return (cmd){ { 0x28 | (uint64_t)vmid << 32, 0 } }; }

cmd c_tlbi_va(uint8_t op, uint16_t asid, uint16_t vmid, uint64_t addr, bool leaf,
              unsigned num, unsigned scale, unsigned tg, unsigned ttl)
{
    cmd c;
    c.w[0] = op | (uint64_t)(num & 31) << 12 | (uint64_t)(scale & 31) << 20 |
             (uint64_t)vmid << 32 | (uint64_t)asid << 48;
    c.w[1] = (leaf ? 1u : 0u) | (uint64_t)(ttl & 3) << 8 | (uint64_t)(tg & 3) << 10 |
             (addr & ~0xFFFull);
    return c;
}

void cmdq_sync(drv *d)
{
    cmd s = c_sync();
    cmdq_insert(d, &s);
    cmdq_publish(d);
    cmdq_wait(d);
}

/* arm_smmu_cmdq_issue_cmd_with_sync */
void issue_sync(drv *d, cmd c)
{
    cmdq_insert(d, &c);
    cmdq_sync(d);
}

uint32_t issue_nowait(drv *d, cmd c)
{
    uint32_t idx = d->cmdq_prod;
    cmdq_insert(d, &c);
    cmd s = c_sync();
    cmdq_insert(d, &s);
    cmdq_publish(d);
    return idx;
}

void cmdq_skip_err(drv *d, uint32_t idx)
{
    uint64_t slot = CMDQ_ADDR + (idx & ((1u << CMDQ_LOG2) - 1)) * 16ull;
    mw64(d, slot, 0x46);
    mw64(d, slot + 8, 0);
    wr32(d, GERRORN, rd32(d, GERROR));
}

/* arm_smmu_tlb_inv_range_cmd: split [iova, iova+size) as Linux does */
void tlb_inv_range(drv *d, uint8_t op, uint16_t asid, uint16_t vmid, uint64_t iova,
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
    cmdq_sync(d);
}

/* ------------------------------------------------------------ probe and reset */
void drv_init(drv *d, void (*tweak)(smmuv3_config *))
{
    drv_open(d, tweak, ALLOC_BASE);
    d->evtq_log2 = EVTQ_LOG2;
}


/* arm_smmu_device_reset (+ arm_smmu_setup_irqs), with the stream table set up
 * first as arm_smmu_init_structures does: every STE an abort STE. */
void linux_reset(drv *d, bool two_level)
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
    issue_sync(d, c_cfgi_all());
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
uint64_t ste_addr(drv *d, uint32_t sid)
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
void ste_used(const uint64_t *e, uint64_t *used)
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

void ste_sync(drv *d, uint32_t sid) { issue_sync(d, c_cfgi_ste(sid)); }

/* write qwords [start, start+len) of target into the live STE, then sync */
void ste_set(drv *d, uint32_t sid, uint64_t *live, const uint64_t *tgt, int start, int len)
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

/* arm_smmu_write_entry: the update sequence Linux uses */
void write_ste(drv *d, uint32_t sid, const uint64_t *target, step_fn hook, void *arg)
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
void make_cdtable_ste(drv *d, uint64_t *t, uint64_t cdtab, unsigned s1fmt, unsigned cdmax, unsigned s1dss)
{
    memset(t, 0, 64);
    t[0] = 1 | 5ull << 1 | (uint64_t)s1fmt << 4 | (cdtab & 0x000FFFFFFFFFFFC0ull) | (uint64_t)cdmax << 59;
    t[1] = (uint64_t)s1dss | 1ull << 2 | 1ull << 4 | 3ull << 6; /* S1CIR/S1COR WBRA, S1CSH ISH */
    if (d->cfg.stall_model == SMMUV3_STALL_AND_TERM)
        t[1] |= 1ull << 27; /* S1STALLD: stalls supported, master not stall-enabled */
}

/* arm_smmu_make_s2_domain_ste: 48-bit IPA, 4K granule, start level 0 */
void make_s2_ste(uint64_t *t, uint16_t vmid, uint64_t vttbr)
{
    memset(t, 0, 64);
    t[0] = 1 | 6ull << 1;
    t[1] = 1ull << 44; /* SHCFG incoming */
    uint64_t vtcr = 16 | 2ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | 0ull << 14 | 5ull << 16;
    t[2] = vmid | vtcr << 32 | 1ull << 51 /* S2AA64 */ | 1ull << 54 /* S2PTW */ | 1ull << 58 /* S2R */;
    t[3] = vttbr & 0x000FFFFFFFFFFFF0ull;
}

/* arm_smmu_make_bypass_ste */
void make_bypass_ste(uint64_t *t)
{
    memset(t, 0, 64);
    t[0] = 1 | 4ull << 1;
    t[1] = 1ull << 44;
}

/* arm_smmu_make_s1_cd with the TCR io-pgtable computes for a 48-bit, 4K, coherent walk */
void write_cd(drv *d, uint64_t cd_pa, uint16_t asid, uint64_t ttb0)
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

uint64_t prot_s1(unsigned prot)
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

uint64_t prot_s2(unsigned prot)
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
void pt_map(drv *d, uint64_t root, uint64_t iova, uint64_t pa, unsigned prot, bool s2, unsigned leaf_level)
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

uint64_t pt_leaf_slot(drv *d, uint64_t root, uint64_t iova)
{
    uint64_t table = root;
    for (unsigned level = 0; level < 3; level++) {
        uint64_t desc = mr64(d, table + ((iova >> (39 - 9 * level)) & 511) * 8);
        assert_true(desc & 1);
        table = desc & 0x0000FFFFFFFFF000ull;
    }
    return table + ((iova >> 12) & 511) * 8;
}

void pt_unmap(drv *d, uint64_t root, uint64_t iova) { mw64(d, pt_leaf_slot(d, root, iova), 0); }

/* ------------------------------------------------------------ transactions and events */
int xlate(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .addr = iova, .flags = flags };
    memset(r, 0, sizeof(*r));
    return smmuv3_translate(d->s, &t, r);
}

int xlate_ssid(drv *d, uint32_t sid, uint32_t ssid, uint64_t iova, uint32_t flags, smmuv3_result *r)
{
    smmuv3_txn t = { .sid = sid, .ssid = ssid, .ssv = true, .addr = iova, .flags = flags };
    memset(r, 0, sizeof(*r));
    return smmuv3_translate(d->s, &t, r);
}

void expect_pa(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, uint64_t pa)
{
    smmuv3_result r;
    assert_int_equal(xlate(d, sid, iova, flags, &r), 0);
    assert_int_equal(r.pa, pa);
    assert_int_equal(r.event, 0);
}

/* events pending: queue_sync_prod_in + queue_empty */
unsigned evtq_pending(drv *d)
{
    uint32_t prod = rd32(d, EVENTQ_PROD) & ((2u << d->evtq_log2) - 1);
    uint32_t cons = d->evtq_cons & ((2u << d->evtq_log2) - 1);
    return (prod - cons) & ((2u << d->evtq_log2) - 1);
}

/* arm_smmu_evtq_thread: read one record, then publish CONS (with OVACKFLG = PROD.OVFLG) */
void evtq_pop(drv *d, uint64_t ev[4])
{
    assert_true(evtq_pending(d) > 0);
    uint32_t idx = d->evtq_cons & ((1u << d->evtq_log2) - 1);
    for (unsigned i = 0; i < 4; i++)
        ev[i] = mr64(d, EVTQ_ADDR + idx * 32ull + 8 * i);
    d->evtq_cons = (d->evtq_cons + 1) & ((2u << d->evtq_log2) - 1);
    uint32_t ovf = rd32(d, EVENTQ_PROD) & (1u << 31);
    wr32(d, EVENTQ_CONS, ovf | d->evtq_cons);
}

void expect_no_event(drv *d) { assert_int_equal(evtq_pending(d), 0); }

/* ------------------------------------------------------------ a Linux S1 domain */

void make_s1dom(drv *d, s1dom *dom, uint16_t asid)
{
    dom->asid = asid;
    dom->cdtab = dalloc(d, 64);
    dom->pgd = dalloc(d, 4096);
    write_cd(d, dom->cdtab, asid, dom->pgd);
}

void attach_s1_with(drv *d, uint32_t sid, s1dom *dom, uint16_t asid, uint64_t cd0_set,
                    uint64_t ste1_clear, uint64_t ste1_set)
{
    make_s1dom(d, dom, asid);
    if (cd0_set)
        mw64(d, dom->cdtab, mr64(d, dom->cdtab) | cd0_set);
    uint64_t t[8];
    make_cdtable_ste(d, t, dom->cdtab, 0, 0, 2 /* S1DSS SSID0 */);
    t[1] = (t[1] & ~ste1_clear) | ste1_set;
    write_ste(d, sid, t, NULL, NULL);
}

void attach_s1(drv *d, uint32_t sid, s1dom *dom, uint16_t asid) { attach_s1_with(d, sid, dom, asid, 0, 0, 0); }

uint64_t cd_over_page(drv *d, uint64_t cd_pa, uint16_t asid, uint64_t iova, uint64_t pa)
{
    uint64_t pgd = dalloc(d, 4096);
    write_cd(d, cd_pa, asid, pgd);
    pt_map(d, pgd, iova, pa, P_READ | P_WRITE | P_CACHE, false, 3);
    return pgd;
}

/* ================================================================ tests */

/* ------------------------------------------------------------ cmocka fixtures */
static int setup(void **state, bool two_level)
{
    drv *d = calloc(1, sizeof(*d));
    if (!d)
        return -1;
    drv_init(d, NULL);
    linux_reset(d, two_level);
    *state = d;
    return 0;
}

int lx_setup_linear(void **state) { return setup(state, false); }
int lx_setup_2level(void **state) { return setup(state, true); }

int lx_teardown(void **state)
{
    drv_fini(*state);
    free(*state);
    return 0;
}

void lx_reopen(drv *d, void (*tweak)(smmuv3_config *))
{
    drv_fini(d);
    drv_init(d, tweak);
}

void lx_reopen_2level(drv *d)
{
    lx_reopen(d, NULL);
    linux_reset(d, true);
}
