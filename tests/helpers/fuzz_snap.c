/* SPDX-License-Identifier: MIT */
/* Snapshots under the fuzzers: see fuzz_snap.h. */
#include "fuzz_snap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"   /* smmu_snap_crc32 */

/* ------------------------------------------------------------ a snapshot point */
static uint8_t *save_alloc(const smmuv3 *s, size_t *n)
{
    *n = 0;
    if (smmuv3_save(s, NULL, 0, n) != SMMUV3_ERANGE || !*n)
        return NULL;
    uint8_t *b = malloc(*n);
    size_t m = 0;
    if (b && (smmuv3_save(s, b, *n, &m) || m != *n)) {
        free(b);
        return NULL;
    }
    return b;
}

/* s saves exactly b[0..n). (Into a buffer that is large enough unless the
 * snapshot holds many stalls: a save that sizes itself first is one more
 * pass over the state; save_alloc does that.) */
static bool saves_as(const smmuv3 *s, const uint8_t *b, size_t n)
{
    uint8_t buf[2048];
    size_t m = 0;
    if (!smmuv3_save(s, buf, sizeof(buf), &m))
        return m == n && !memcmp(b, buf, n);
    uint8_t *c = save_alloc(s, &m);
    bool same = c && m == n && !memcmp(b, c, n);
    free(c);
    return same;
}

const char *fz_snapshot_point(smmuv3 *s, const smmuv3_config *cfg, const smmuv3_host *host, bool fresh)
{
    size_t n;
    uint8_t *b = save_alloc(s, &n);
    if (!b)
        return "smmuv3_save failed";
    const char *why = NULL;
    smmuv3 *other = NULL;
    if (smmuv3_new(cfg, host, &other))
        why = "smmuv3_new failed";
    else if (smmuv3_restore(other, b, n))
        why = "a snapshot does not restore into a fresh instance";
    else if (!saves_as(other, b, n))
        why = "a restored instance saves another snapshot";
    smmuv3_free(other);
    if (!why) {
        if (fresh)
            smmuv3_reset(s);
        if (smmuv3_restore(s, b, n))
            why = "a snapshot does not restore into its instance";
        else if (!saves_as(s, b, n))
            why = "an instance restored from its snapshot saves another one";
    }
    free(b);
    return why;
}

/* ------------------------------------------------------------ the snapshot harness */
typedef struct fzs {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3_config cfg;
    smmuv3 *smmu;
    unsigned violations;
    char *msg;
    size_t msglen;
} fzs;

static void fzs_violation(fzs *f, const char *what, long long a)
{
    if (f->violations++ == 0 && f->msg && f->msglen)
        snprintf(f->msg, f->msglen, "%s (%lld)", what, a);
}

static void fzs_config(smmuv3_config *c, unsigned v)
{
    smmuv3_config_default(c);
    switch (v & 3) {
    case 1:   /* small: stage 1 only, tiny queues and caches, no MSIs */
        c->s2p = false; c->hyp = false; c->sidsize = 6; c->ssidsize = 0; c->st_2level = false;
        c->cd_2level = false; c->msi = false; c->cmdqs = 4; c->eventqs = 2; c->stall_max = 1;
        c->tlb_entries = 2; c->cfg_entries = 1; c->walk_entries = 1;
        break;
    case 2:   /* stage 2 only, stalls forced, RAZ/WI never */
        c->s1p = false; c->hyp = false; c->cd_2level = false; c->ssidsize = 0;
        c->stall_model = SMMUV3_STALL_FORCED; c->stall_max = 4; c->term_model = true; c->eventqs = 3;
        break;
    case 3:   /* no caches, terminate only */
        c->tlb_entries = c->cfg_entries = c->walk_entries = 0; c->stall_model = SMMUV3_STALL_TERM_ONLY;
        c->stall_max = 0; c->sidsize = 32;
        break;
    default:
        break;
    }
}

/* Stream table, queues, a stage 2 stream that stalls (when the profile has
 * stage 2 and stalls), faults until the event queue overflows, an active
 * global error, interrupts on. */
static void fzs_busy(fzs *f)
{
    smmuv3_alloc al;
    smmuv3_space pa;
    smmuv3_strtab st;
    smmuv3_pt s2;
    smmuv3_driver drv;
    smmuv3_driver_cfg dc;
    smmuv3_alloc_init(&al, 0x100000, 0x800000);
    smmuv3_space_init(&pa, &f->host, &al);
    if (smmuv3_strtab_init_linear(&st, &pa, 3, SMMUV3_BUILD_ALLOC))
        return;
    uint8_t ste[SMMUV3_STE_BYTES];
    if (f->cfg.s2p && !smmuv3_pt_init_s2(&s2, &pa, 12, 32, -1, SMMUV3_BUILD_ALLOC)) {
        smmuv3_s2_params sp;
        smmuv3_s2_params_from_pt(&s2, 1, &sp);
        sp.stall = f->cfg.stall_model != SMMUV3_STALL_TERM_ONLY;
        smmuv3_pt_map(&s2, 0, 0x2000000, 0x10000, SMMUV3_MAP_RW, 0);
        smmuv3_ste_s2(ste, &sp);
        smmuv3_strtab_write_ste(&st, 1, ste);
    }
    smmuv3_ste_bypass(ste);
    smmuv3_strtab_write_ste(&st, 2, ste);
    smmuv3_driver_cfg_default(&dc);
    dc.cmdq_log2 = 2;
    dc.eventq_log2 = 1;
    dc.irq_ctrl = 5;
    if (smmuv3_driver_init(&drv, f->smmu, &pa, &st, &dc))
        return;
    for (unsigned i = 0; i < 6; i++) {   /* stalls or faults; SID 5 has no STE */
        smmuv3_txn t = { .sid = i % 2 ? 1 : 5, .addr = 0x40000000ull + i * 0x1000ull };
        smmuv3_result r;
        smmuv3_translate(f->smmu, &t, &r);
    }
    smmuv3_mmio_write(f->smmu, 0x64, smmuv3_mmio_read(f->smmu, 0x60, 4) ^ 0x100, 4);   /* SFM_ERR */
}

/* Every register offset of page 0 and the queue indexes of page 1, hashed. */
static uint64_t regs_hash(smmuv3 *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t off = 0; off < 0x10000; off += 4)
        h = (h ^ smmuv3_mmio_read(s, off, 4)) * 0x100000001b3ull;
    for (uint64_t off = 0x10000; off < 0x10100; off += 4)
        h = (h ^ smmuv3_mmio_read(s, off, 4)) * 0x100000001b3ull;
    return h;
}

/* The candidate: the input itself, or snap with the input's edits. */
static uint8_t *candidate(const uint8_t *in, size_t n, bool edit, bool fix, const uint8_t *snap,
                          size_t sn, size_t *cn)
{
    size_t len = edit ? sn : n;
    uint8_t *c = malloc(len ? len : 1);
    if (!c)
        return NULL;
    if (!edit) {
        if (n)
            memcpy(c, in, n);
    } else {
        memcpy(c, snap, sn);
        for (size_t i = 0; i + 3 <= n; i += 3) {
            unsigned off = (unsigned)in[i] | (unsigned)in[i + 1] << 8;
            if (off == 0xFFFF) {
                unsigned cut = (unsigned)in[i + 2] | (i + 3 < n ? (unsigned)in[i + 3] << 8 : 0);
                len = cut < len ? cut : len;
                break;
            }
            if (len)
                c[off % len] ^= in[i + 2];
        }
    }
    if (fix && len >= 4) {
        uint32_t crc = smmu_snap_crc32(c, len - 4);
        for (unsigned i = 0; i < 4; i++)
            c[len - 4 + i] = (uint8_t)(crc >> (8 * i));
    }
    *cn = len;
    return c;
}

int fzs_run(const uint8_t *data, size_t size, char *msg, size_t msglen)
{
    fzs st, *f = &st;
    memset(f, 0, sizeof(*f));
    f->msg = msg;
    f->msglen = msglen;
    if (msg && msglen)
        msg[0] = 0;
    uint8_t mode = size ? data[0] : 0;
    fzs_config(&f->cfg, mode);
    f->mem = smmuv3_mem_new();
    if (!f->mem)
        return 0;
    smmuv3_host_from_mem(&f->host, f->mem);
    if (smmuv3_new(&f->cfg, &f->host, &f->smmu)) {
        smmuv3_mem_free(f->mem);
        fzs_violation(f, "smmuv3_new failed", mode);
        return (int)f->violations;
    }
    if (mode & 0x10)
        fzs_busy(f);

    size_t sn, cn = 0;
    uint8_t *snap = save_alloc(f->smmu, &sn);
    uint64_t regs = regs_hash(f->smmu);
    uint8_t *c = snap ? candidate(size ? data + 1 : data, size ? size - 1 : 0, mode & 4, mode & 8, snap, sn, &cn)
                      : NULL;
    if (!snap || !c) {
        fzs_violation(f, "smmuv3_save failed", 0);
    } else {
        int rc = smmuv3_restore(f->smmu, c, cn);
        if (rc == 0) {
            if (!saves_as(f->smmu, c, cn))
                fzs_violation(f, "an accepted snapshot is not what the instance saves", (long long)cn);
        } else {
            if (rc != SMMUV3_ECORRUPT && rc != SMMUV3_EMISMATCH)
                fzs_violation(f, "smmuv3_restore: unexpected error", rc);
            if (!saves_as(f->smmu, snap, sn) || regs_hash(f->smmu) != regs)
                fzs_violation(f, "a rejected snapshot changed the instance", rc);
        }
        smmuv3 *other = NULL;   /* the instance's own snapshot always restores */
        if (smmuv3_new(&f->cfg, &f->host, &other) || smmuv3_restore(other, snap, sn) ||
            !saves_as(other, snap, sn))
            fzs_violation(f, "a snapshot does not restore into a fresh instance", 0);
        smmuv3_free(other);
    }
    free(c);
    free(snap);
    smmuv3_free(f->smmu);
    smmuv3_mem_free(f->mem);
    return (int)f->violations;
}
