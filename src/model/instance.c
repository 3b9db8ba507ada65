/* SPDX-License-Identifier: MIT */
/* An SMMU instance: creation, reset, MMIO entry points, statistics. */
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"
#include "model/tlb/memo.h"
#include "model/checker/checker.h"

const char *smmuv3_strerror(int err)
{
    switch (err) {
    case SMMUV3_OK: return "success";
    case SMMUV3_EINVAL: return "invalid argument";
    case SMMUV3_ENOMEM: return "out of memory";
    case SMMUV3_ERANGE: return "address out of range (at or beyond 2^52)";
    case SMMUV3_EABORT: return "external abort";
    case SMMUV3_ENOTSUP: return "not supported by this configuration";
    case SMMUV3_ENOENT: return "no such name";
    case SMMUV3_ECORRUPT: return "not a valid snapshot (truncated, corrupted or another format version)";
    case SMMUV3_EMISMATCH: return "snapshot of an SMMU with another configuration";
    default: return "unknown error";
    }
}

int smmuv3_new(const smmuv3_config *cfg, const smmuv3_host *host, smmuv3 **out)
{
    if (!out)
        return SMMUV3_EINVAL;
    *out = NULL;
    if (!cfg || !host || !host->read || !host->write)
        return SMMUV3_EINVAL;
    if (smmuv3_config_validate(cfg, NULL, 0))
        return SMMUV3_EINVAL;
    smmuv3 *s = calloc(1, sizeof(*s));
    if (!s)
        return SMMUV3_ENOMEM;
    if (smmu_lock_init(s)) {
        free(s);
        return SMMUV3_ENOMEM;
    }
    s->cfg = *cfg;
    /* 6.3.1: IDR0.HYP is RES0 unless both stages are implemented; the
     * profile in effect (smmuv3_get_config) says so. */
    s->cfg.hyp = cfg->hyp && cfg->s1p && cfg->s2p;
    /* 6.3.4: IDR3.HAD == 0 when S1P == 0, IDR3.PPS is RES0 when PRI == 0 or
     * SSIDSIZE == 0; 6.3.1: IDR0.NS1ATS is RES0 unless ATS, S1P and S2P. */
    s->cfg.had = cfg->had && cfg->s1p;
    s->cfg.pps = cfg->pps && cfg->pri && cfg->ssidsize != 0;
    s->cfg.ns1ats = cfg->ns1ats && cfg->ats && cfg->s1p && cfg->s2p;
    /* 6.3.4: IDR3.FWB is 1 in an SMMUv3.2, and STE.S2FWB only exists with
     * stage 2: without S2P there is nothing for it to control. */
    s->cfg.fwb = cfg->fwb && cfg->s2p;
    /* 6.3.53: SECURE_IMPL needs stage 1; SEL2 needs Secure state and both
     * stages. 6.3.4: "STT is 1 in implementations where SMMU_S_IDR1.SEL2 ==
     * 1", so a profile without small translation tables has no SEL2. */
    s->cfg.secure_impl = cfg->secure_impl && cfg->s1p;
    s->cfg.sel2 = cfg->sel2 && s->cfg.secure_impl && cfg->s2p && cfg->stt;
    s->host = *host;
    smmu_idregs_compute(s);
    s->cfgc = smmu_cfgcache_new(cfg->cfg_entries);
    s->tlb = smmu_tlb_new(cfg->tlb_entries);
    s->wc = smmu_walkcache_new(cfg->walk_entries);
    s->stalls = smmu_stalls_new(cfg->stall_max);
    s->xgen = 1;
    if (!s->cfgc || !s->tlb || !s->wc || !s->stalls || smmu_fastpath_new(s, &s->fp)) {
        smmuv3_free(s);
        return SMMUV3_ENOMEM;
    }
    smmuv3_reset(s);
    *out = s;
    return 0;
}

void smmuv3_free(smmuv3 *s)
{
    if (!s)
        return;
    smmu_cfgcache_free(s->cfgc);
    smmu_tlb_free(s->tlb);
    smmu_walkcache_free(s->wc);
    smmu_stalls_free(s->stalls);
    smmu_fastpath_free(s->fp);
    smmu_chk_free(s->chk);
    smmu_lock_destroy(s);
    free(s);
}

void smmuv3_reset(smmuv3 *s)
{
    if (!s)
        return;
    smmu_lock(s);
    smmu_regs_reset(s);
    smmu_cfgcache_flush(s);
    smmu_tlb_flush(s);
    smmu_walkcache_flush(s);
    smmu_stalls_reset(s);
    smmu_state_changed(s);
    smmu_unlock(s);
}

const smmuv3_config *smmuv3_get_config(const smmuv3 *s)
{
    return s ? &s->cfg : NULL;
}

uint64_t smmuv3_mmio_read_sec(smmuv3 *s, uint64_t offset, unsigned size, bool secure)
{
    if (!s || (size != 4 && size != 8) || (offset & (size - 1)) || offset >= 0x20000)
        return 0;
    smmu_lock(s);
    uint64_t v;
    if (smmu_sregs_frame(offset))
        v = secure ? smmu_sregs_read(s, offset, size) : 0;   /* 3.10.2: RAZ/WI to Non-secure */
    else
        v = smmu_regs_read(s, offset, size);
    smmu_unlock(s);
    return v;
}

void smmuv3_mmio_write_sec(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size, bool secure)
{
    if (!s || (size != 4 && size != 8) || (offset & (size - 1)) || offset >= 0x20000)
        return;
    if (smmu_sregs_frame(offset) && !secure)
        return;
    if (size == 4)
        value &= 0xffffffffu;
    smmu_lock(s);
    smmu_state_changed(s);
    if (smmu_sregs_frame(offset)) {
        smmu_sregs_write(s, offset, value, size);
    } else {
        if (s->diag_cb)
            smmu_chk_mmio_write(s, &s->r, offset, value, size);
        smmu_regs_write(s, offset, value, size);
    }
    smmu_state_changed(s); /* commands run inside the write */
    smmu_unlock(s);
}

uint64_t smmuv3_mmio_read(smmuv3 *s, uint64_t offset, unsigned size)
{
    return smmuv3_mmio_read_sec(s, offset, size, false);
}

void smmuv3_mmio_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size)
{
    smmuv3_mmio_write_sec(s, offset, value, size, false);
}

void smmuv3_get_stats(const smmuv3 *s, smmuv3_stats *out)
{
    if (!out)
        return;
    if (!s) {
        memset(out, 0, sizeof(*out));
        return;
    }
    smmuv3 *w = (smmuv3 *)s;   /* the lock and the memo's logs are not part of the value */
    smmu_lock(w);              /* drains the memo's logs into its counts */
    *out = s->stats;
    smmu_fastpath_stats(s, out);
    smmu_unlock(w);
}
