/* SPDX-License-Identifier: MIT */
/* The fuzz interpreter's world: the host (memory, interrupt handlers that act
 * on the SMMU), configuration variants, and the SETUP op that lays out valid
 * tables with the builders (see fuzz_interp.c for the program layout). */
#include "fuzz_int.h"
#include "fuzz_snap.h"

/* ------------------------------------------------------------ host */
int fzw_host_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    fz *f = ctx;
    return smmuv3_mem_read(f->mem, pa, buf, len);
}

int fzw_host_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    fz *f = ctx;
    return smmuv3_mem_write(f->mem, pa, buf, len);
}

/* An interrupt handler that acts on the SMMU (bounded): acknowledge global
 * errors, consume events, re-enable, or poke CMDQ_PROD. */
void fzw_host_irq(void *ctx, smmuv3_irq line)
{
    fz *f = ctx;
    f->irqs++;
    if (!f->irq_mode || f->in_irq || f->irq_actions >= FZ_MAX_IRQ_ACTIONS || !f->smmu)
        return;
    f->irq_actions++;
    f->in_irq = true;
    if ((f->irq_mode & 1) && line == SMMUV3_IRQ_GERROR)
        smmuv3_mmio_write(f->smmu, R_GERRORN, smmuv3_mmio_read(f->smmu, R_GERROR, 4), 4);
    if ((f->irq_mode & 2) && line == SMMUV3_IRQ_EVENTQ)
        smmuv3_mmio_write(f->smmu, R_EVENTQ_CONS, smmuv3_mmio_read(f->smmu, R_EVENTQ_PROD, 4), 4);
    if (f->irq_mode & 4)
        smmuv3_mmio_write(f->smmu, R_CMDQ_PROD, smmuv3_mmio_read(f->smmu, R_CMDQ_PROD, 4), 4);
    if ((f->irq_mode & 8) && line == SMMUV3_IRQ_CMD_SYNC)
        smmuv3_mmio_write(f->smmu, R_CR0, 0, 4);
    /* from any interrupt (also one raised inside smmuv3_translate): run
     * commands left pending by toggling CMDQEN or acknowledging CMDQ_ERR */
    if (f->irq_mode & 0x10)
        smmuv3_mmio_write(f->smmu, R_CR0, smmuv3_mmio_read(f->smmu, R_CR0, 4) ^ 8, 4);
    if (f->irq_mode & 0x20)
        smmuv3_mmio_write(f->smmu, R_GERRORN, smmuv3_mmio_read(f->smmu, R_GERROR, 4), 4);
    /* a device that issues DMA from its interrupt handler (also from the
     * CMD_SYNC interrupt, inside command processing): what it sees must be
     * the same with the fast path on and off */
    if ((f->irq_mode & 0x40) && f->have_last) {
        smmuv3_result r;
        int rc = smmuv3_translate(f->smmu, &f->last_txn, &r);
        observe(f, (uint64_t)(uint32_t)rc | (uint64_t)r.fault << 32);
        observe(f, rc == 0 ? r.pa : 0);
    }
    f->in_irq = false;
}

/* The Secure lines (host.irq_secure): the same handler actions on the Secure
 * bank's registers (S_GERRORN, S_EVENTQ_CONS), bounded alike. */
void fzw_host_irq_secure(void *ctx, smmuv3_irq line)
{
    fz *f = ctx;
    f->irqs += 1ull << 32;
    if (!f->irq_mode || f->in_irq || f->irq_actions >= FZ_MAX_IRQ_ACTIONS || !f->smmu)
        return;
    f->irq_actions++;
    f->in_irq = true;
    if ((f->irq_mode & 1) && line == SMMUV3_IRQ_GERROR)
        smmuv3_mmio_write_sec(f->smmu, R_S_GERRORN, smmuv3_mmio_read_sec(f->smmu, R_S_GERROR, 4, true), 4, true);
    if ((f->irq_mode & 2) && line == SMMUV3_IRQ_EVENTQ)
        smmuv3_mmio_write_sec(f->smmu, R_S_EVENTQ_CONS, smmuv3_mmio_read_sec(f->smmu, R_S_EVENTQ_PROD, 4, true), 4,
                              true);
    f->in_irq = false;
}

/* ------------------------------------------------------------ config variants */
void fzw_config_variant(fz *f, fz_in *in)
{
    smmuv3_config *c = &f->cfg;
    smmuv3_config_default(c);
    uint8_t v = u8(in);
    switch (v % 8) {
    case 0:
        break;
    case 1: /* small everything, stage 1 only, linear tables */
        c->s2p = false; c->hyp = false; c->gran16k = c->gran64k = false; c->vax = false;
        c->oas = 32; c->sidsize = 6; c->ssidsize = 0; c->st_2level = false; c->cd_2level = false;
        c->ril = false; c->msi = false; c->httu = 0; c->asid16 = c->vmid16 = false; c->sev = false;
        c->cmdqs = 4; c->eventqs = 2; c->stall_max = 1; c->tlb_entries = 2; c->cfg_entries = 1;
        c->walk_entries = 1; c->fastpath = false; c->had = false; c->xnx = false;
        break;
    case 2: /* stage 2 only, stall forced, tiny queues */
        c->s1p = false; c->hyp = false; c->cd_2level = false; c->ssidsize = 0;
        c->stall_model = SMMUV3_STALL_FORCED; c->stall_max = 2; c->cmdqs = 1; c->eventqs = 0;
        c->fwb = true; c->gran4k = false;
        break;
    case 3: /* no caches, terminate only, 52-bit */
        c->tlb_entries = c->cfg_entries = c->walk_entries = 0; c->stall_model = SMMUV3_STALL_TERM_ONLY;
        c->stall_max = 0; c->term_model = true; c->oas = 52; c->sidsize = 32; c->cmdqs = 0; c->eventqs = 0;
        break;
    case 4: /* small caches with the fast path */
        c->tlb_entries = 3; c->cfg_entries = 2; c->walk_entries = 2; c->btm = true; c->fwb = true;
        c->httu = 1; c->sidsize = 8; c->ssidsize = 4; c->stall_max = 3;
        break;
    case 5: /* stage 1 only, 64K only, vax */
        c->s2p = false; c->hyp = false; c->gran4k = c->gran16k = false; c->oas = 52; c->msi = false;
        c->sidsize = 0; c->ssidsize = 1; c->cd_2level = true;
        break;
    default: { /* built from the input, validated */
        uint64_t b = u64(in);
        c->s1p = b & 1; c->s2p = (b >> 1) & 1; c->gran4k = (b >> 2) & 1; c->gran16k = (b >> 3) & 1;
        c->gran64k = (b >> 4) & 1;
        static const unsigned oas[] = { 32, 36, 40, 42, 44, 48, 52, 48 };
        c->oas = oas[(b >> 5) & 7]; c->vax = (b >> 8) & 1; c->sidsize = (unsigned)((b >> 9) & 31) + ((b >> 14) & 1);
        c->ssidsize = (unsigned)((b >> 15) % 21); c->st_2level = (b >> 20) & 1; c->cd_2level = (b >> 21) & 1;
        c->ril = (b >> 22) & 1; c->msi = (b >> 23) & 1; c->stall_model = (unsigned)((b >> 24) % 3);
        c->term_model = (b >> 26) & 1; c->httu = (unsigned)((b >> 27) % 3); c->asid16 = (b >> 29) & 1;
        c->vmid16 = (b >> 30) & 1; c->hyp = (b >> 31) & 1; c->btm = (b >> 32) & 1; c->sev = (b >> 33) & 1;
        c->xnx = (b >> 34) & 1; c->had = (b >> 35) & 1; c->fwb = (b >> 36) & 1;
        c->cmdqs = (unsigned)((b >> 37) % 20); c->eventqs = (unsigned)((b >> 42) % 20);
        c->stall_max = (unsigned)((b >> 47) & 7) + 1;
        c->tlb_entries = (unsigned)((b >> 50) & 7); c->cfg_entries = (unsigned)((b >> 53) & 7);
        c->walk_entries = (unsigned)((b >> 56) & 7); c->fastpath = (b >> 59) & 1;
        c->stt = !((b >> 60) & 1);   /* without small translation tables, SEL2 goes too */
        if (smmuv3_config_validate(c, NULL, 0))
            smmuv3_config_default(c);
        break;
    }
    }
}

/* ------------------------------------------------------------ the world */
void fzw_setup_world(fz *f, fz_in *in)
{
    uint8_t b = u8(in), g = u8(in);
    if (f->setups >= FZ_MAX_SETUPS)
        return;
    uint64_t region = 0x100000 + (uint64_t)f->setups * 0x1000000;
    f->setups++;
    smmuv3_alloc_init(&f->al, region, 0xF00000);
    smmuv3_space_init(&f->pa, &f->host, &f->al);

    unsigned sidsize = f->cfg.sidsize;
    int rc;
    if ((b & 1) && f->cfg.st_2level && sidsize >= 6)
        rc = smmuv3_strtab_init_2level(&f->st, &f->pa, sidsize > 16 ? 16 : sidsize, 6, SMMUV3_BUILD_ALLOC);
    else
        rc = smmuv3_strtab_init_linear(&f->st, &f->pa, sidsize > 5 ? 5 : sidsize, SMMUV3_BUILD_ALLOC);
    if (rc)
        return;

    /* stage 1 tables */
    static const unsigned grans[] = { 12, 14, 16 };
    static const unsigned t0sz[] = { 25, 16, 33, 39 };
    unsigned gr = grans[g % 3];
    if (smmuv3_pt_init_s1(&f->s1, &f->pa, gr, t0sz[(g >> 2) & 3], SMMUV3_BUILD_ALLOC) &&
        smmuv3_pt_init_s1(&f->s1, &f->pa, 12, 25, SMMUV3_BUILD_ALLOC))
        return;
    unsigned perms = (b & 2) ? SMMUV3_MAP_RW | SMMUV3_MAP_EXEC : SMMUV3_MAP_READ;
    smmuv3_pt_map(&f->s1, 0, 0x2000000, 0x200000, perms | ((b & 4) ? SMMUV3_MAP_PAGES : 0), 0);
    smmuv3_pt_map(&f->s1, 0x10000, 0x3000000, 0x10000,
                  SMMUV3_MAP_RW | SMMUV3_MAP_NG | ((b & 8) ? SMMUV3_MAP_NOAF | SMMUV3_MAP_DBM : 0), 0);

    /* stage 2: identity over the low 64MB (tables and data) */
    unsigned g2 = grans[(g >> 4) % 3];
    bool have_s2 = !smmuv3_pt_init_s2(&f->s2, &f->pa, g2, f->cfg.oas <= 36 ? 32 : 24, -1, SMMUV3_BUILD_ALLOC) ||
                   !smmuv3_pt_init_s2(&f->s2, &f->pa, 12, 32, -1, SMMUV3_BUILD_ALLOC);
    if (have_s2)
        smmuv3_pt_map(&f->s2, 0, 0, 0x4000000,
                      SMMUV3_MAP_RW | SMMUV3_MAP_EXEC | ((g & 0x80) ? SMMUV3_MAP_DBM | SMMUV3_MAP_NOAF : 0), 0);

    /* CDs */
    smmuv3_cd_params cp;
    smmuv3_cd_params_from_pt(&f->s1, 1, &cp);
    smmuv3_cd_s1(f->cd_tpl[0], &cp);
    cp.stall = true; cp.asid = 2;
    smmuv3_cd_s1(f->cd_tpl[1], &cp);
    cp.stall = false; cp.no_abort = true; cp.ha = cp.hd = true; cp.asid = 3;
    smmuv3_cd_s1(f->cd_tpl[2], &cp);
    smmuv3_cd_params_from_pt(&f->s1, 4, &cp);
    cp.ttb1_en = true; cp.ttb1 = f->s1.root; cp.t1sz = f->s1.tsz; cp.granule1 = f->s1.granule; cp.tbi = 3;
    smmuv3_cd_s1(f->cd_tpl[3], &cp);

    unsigned ssids = f->cfg.ssidsize;
    if (!smmuv3_cdtab_init(&f->cdl, &f->pa, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC))
        smmuv3_cdtab_write_cd(&f->cdl, 0, f->cd_tpl[0]);
    unsigned cdmax = ssids > 8 ? 8 : ssids;
    bool cd2_ok = !smmuv3_cdtab_init(&f->cd2, &f->pa,
                                     f->cfg.cd_2level && cdmax >= 6 ? SMMUV3_S1FMT_2L_4K : SMMUV3_S1FMT_LINEAR,
                                     cdmax, SMMUV3_BUILD_ALLOC);
    if (cd2_ok)
        for (uint32_t i = 0; i < NCD; i++) {
            static const uint32_t ssid[NCD] = { 0, 1, 5, 70 };
            smmuv3_cdtab_write_cd(&f->cd2, ssid[i], f->cd_tpl[i]);
        }

    /* STEs: bypass, abort, S1 (linear CD), S1 (CD table), S2, nested, nested (CD table), invalid */
    smmuv3_s2_params sp;
    memset(&sp, 0, sizeof(sp));
    if (have_s2)
        smmuv3_s2_params_from_pt(&f->s2, 1, &sp);
    sp.stall = (b & 0x10) != 0;
    smmuv3_ste_bypass(f->ste_tpl[0]);
    smmuv3_ste_abort(f->ste_tpl[1]);
    smmuv3_ste_s1(f->ste_tpl[2], f->cdl.base, f->cdl.fmt, f->cdl.cdmax);
    smmuv3_ste_s1(f->ste_tpl[3], f->cd2.base, f->cd2.fmt, f->cd2.cdmax);
    if (b & 0x20)
        smmuv3_ste_set(f->ste_tpl[3], "s1dss", (b >> 6) & 3);
    smmuv3_ste_s2(f->ste_tpl[4], &sp);
    if (g & 0x40) {   /* stage 2 HTTU: access flag and dirty state */
        smmuv3_ste_set(f->ste_tpl[4], "s2ha", 1);
        smmuv3_ste_set(f->ste_tpl[4], "s2hd", 1);
    }
    sp.vmid = 2;
    smmuv3_ste_nested(f->ste_tpl[5], f->cdl.base, f->cdl.fmt, f->cdl.cdmax, &sp);
    sp.vmid = 3;
    smmuv3_ste_nested(f->ste_tpl[6], f->cd2.base, f->cd2.fmt, f->cd2.cdmax, &sp);
    memset(f->ste_tpl[7], 0, SMMUV3_STE_BYTES);
    for (uint32_t sid = 0; sid < NSTE; sid++)
        smmuv3_strtab_write_ste(&f->st, sid, f->ste_tpl[sid]);

    smmuv3_driver_cfg dc;
    smmuv3_driver_cfg_default(&dc);
    dc.cmdq_log2 = 2 + (b & 3) * 2;
    dc.eventq_log2 = 1 + ((b >> 2) & 3);
    dc.irq_ctrl = (b & 0x40) ? 0 : 5;
    dc.poll_limit = 4;
    smmuv3_driver_init(&f->drv, f->smmu, &f->pa, &f->st, &dc);

    /* targets: where the structures are */
    uint64_t a;
    add_target(f, f->st.base);
    for (uint32_t sid = 0; sid < NSTE; sid++)
        if (!smmuv3_strtab_ste_addr(&f->st, sid, false, &a))
            add_target(f, a);
    add_target(f, f->cdl.base);
    add_target(f, f->cd2.base);
    for (uint32_t ssid = 0; ssid < 6; ssid += 5)
        if (cd2_ok && !smmuv3_cdtab_cd_addr(&f->cd2, ssid, false, &a))
            add_target(f, a);
    for (unsigned lvl = f->s1.start_level; lvl <= 3; lvl++) {
        if (!smmuv3_pt_desc_addr(&f->s1, 0, lvl, false, &a))
            add_target(f, a);
        if (!smmuv3_pt_desc_addr(&f->s1, 0x10000, lvl, false, &a))
            add_target(f, a);
    }
    if (have_s2)
        for (unsigned lvl = f->s2.start_level; lvl <= 3; lvl++) {
            if (!smmuv3_pt_desc_addr(&f->s2, f->cdl.base, lvl, false, &a))
                add_target(f, a);
            if (!smmuv3_pt_desc_addr(&f->s2, 0x2000000, lvl, false, &a))
                add_target(f, a);
        }
    add_target(f, f->drv.cmdq_base);
    add_target(f, f->drv.eventq_base);
    add_target(f, 0x2000000);
}


/* ------------------------------------------------------------ the Secure world */
void fzw_setup_secure(fz *f, uint8_t sel)
{
    if (!f->setups || f->secure_up || !smmuv3_get_config(f->smmu)->secure_impl)   /* as implemented */
        return;
    f->secure_up = true;
    if (smmuv3_strtab_init_linear(&f->sst, &f->pa, 4, SMMUV3_BUILD_ALLOC))
        return;
    /* StreamIDs 0..7: the world's STEs (bypass, abort, S1 x2, S2, nested x2,
     * invalid) made Secure: STRW Secure EL1 / EL3 / S-EL2 / S-EL2-E2H from
     * sel, NSCFG for bypass, Secure stage 2 (S_S2TTB: the same tables) with
     * S2SW/S2SA/S2NSW/S2NSA from sel; 8, 9: a Secure stage 1 with the leaf
     * and table NS bits of the world's tables left as they are. */
    for (uint32_t sid = 0; sid < NSTE + 2; sid++) {
        uint8_t ste[SMMUV3_STE_BYTES];
        memcpy(ste, f->ste_tpl[sid < NSTE ? sid : 2 + (sid & 1)], sizeof(ste));
        unsigned k = (sel >> (sid & 3)) & 3;
        if (sid == 2 || sid == 3 || sid >= NSTE)
            smmuv3_ste_set(ste, "strw", f->cfg.sel2 ? k : k & 1);
        if (sid == 0)
            smmuv3_ste_set(ste, "nscfg", k);
        if (sid == 4 || sid == 5 || sid == 6) {
            uint64_t ttb = 0;
            if (f->s2.root && !smmuv3_ste_get(ste, "s2ttb", &ttb))
                smmuv3_ste_set(ste, "s_s2ttb", ttb);
            smmuv3_ste_set(ste, "s2sw", k & 1);
            smmuv3_ste_set(ste, "s2sa", (k >> 1) & 1);
            smmuv3_ste_set(ste, "s2nsw", (sel >> 6) & 1);
            smmuv3_ste_set(ste, "s2nsa", (sel >> 7) & 1);
        }
        smmuv3_strtab_write_ste(&f->sst, sid, ste);
    }
    smmuv3_driver_cfg dc;
    smmuv3_driver_cfg_default(&dc);
    dc.secure = true;
    dc.cmdq_log2 = 2 + (sel & 3);
    dc.eventq_log2 = 1 + ((sel >> 2) & 3);
    dc.irq_ctrl = (sel & 0x10) ? 0 : 5;
    dc.poll_limit = 4;
    smmuv3_driver_init(&f->sdrv, f->smmu, &f->pa, &f->sst, &dc);
    uint64_t a;
    for (uint32_t sid = 0; sid < NSTE + 2; sid += 3)
        if (!smmuv3_strtab_ste_addr(&f->sst, sid, false, &a))
            add_target(f, a);
    add_target(f, f->sdrv.cmdq_base);
    add_target(f, f->sdrv.eventq_base);
}
