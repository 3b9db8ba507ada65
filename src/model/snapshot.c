/* SPDX-License-Identifier: MIT */
/*
 * Snapshots: smmuv3_save / smmuv3_restore (shared/API.md "Snapshots";
 * include/smmuv3/snapshot.h says what is in one).
 *
 * Format (every integer little-endian, no padding):
 *   header   "SMMUV3SN" (8 bytes), u32 version (SNAP_VERSION), u32 flags (0),
 *            u64 total length in bytes (header to trailer inclusive),
 *            u64 configuration digest (FNV-1a 64 of the CONF section payload)
 *   sections one per entry of sections[] below, in that order:
 *            u32 tag (four ASCII characters, first one in the low byte),
 *            u32 payload length, payload
 *   trailer  u32 CRC-32 (IEEE, as zlib) of every byte before it
 * The format is canonical: a snapshot restore accepts is byte for byte what
 * save writes for the state it restores (the fuzz harness checks this).
 *
 * Restore checks, in order: magic, version, length, CRC, reserved flags
 * (SMMUV3_ECORRUPT), the digest (SMMUV3_EMISMATCH: another configuration),
 * and the CONF section (another configuration under the same digest), then
 * loads every section into a scratch instance created with the same
 * architectural configuration (no caches). Only when all of them load (each validates every value it
 * reads and must consume its payload exactly) are the caches of the real
 * instance emptied and the same sections loaded into it: the same bytes, the
 * same configuration, so that second pass cannot fail and a rejected snapshot
 * leaves the instance exactly as it was.
 *
 * Adding state to snapshots (SREG, the Secure register bank, was added so):
 *   1. write two functions, in the module that owns the state or here:
 *        void xxx_save(const smmuv3 *s, smmu_snap_wr *w);
 *             smmu_snap_put8/32/64 each value (model/snapshot.h);
 *        int  xxx_load(smmuv3 *s, smmu_snap_rd *r);
 *             smmu_snap_get8/32/64 the same values in the same order, reject
 *             anything the model could not hold (return SMMUV3_ECORRUPT; a
 *             read past the end is caught for you), and store them in s.
 *      load runs first on a scratch instance, then on the real one: it must
 *      set all of its state whatever s held before, never allocate, and
 *      depend only on the bytes and s->cfg (and sections loaded before it).
 *   2. add { TAG('X','X','X','X'), xxx_save, xxx_load } at the end of
 *      sections[] (a state the configuration lacks is saved as empty or
 *      zero, not left out: every section is always present).
 *   3. bump SNAP_VERSION when an existing section changes its layout.
 * Snapshots without the new section are then rejected (SMMUV3_ECORRUPT);
 * tests/test_snapshot.c round-trips and corrupts every section generically.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "model/snapshot.h"
#include "model/tlb/memo.h"

#define SNAP_VERSION 4u   /* 4: CONF holds config.stt */
#define SNAP_HEADER 32u
#define SNAP_TRAILER 4u
#define SNAP_SECTION_HDR 8u
#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

static const uint8_t snap_magic[8] = { 'S', 'M', 'M', 'U', 'V', '3', 'S', 'N' };

/* CRC-32 eight bytes at a time ("slicing by 8"): crc_tab[k][b] is the
 * remainder of byte b followed by k zero bytes. Four bits at a time, as it
 * was, made the CRC most of a save's or a restore's cost (a 2 us serial chain
 * for the default profile's 884 bytes, and one traced comparison a byte under
 * a fuzzer's instrumentation). */
static uint32_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void crc_init(void)
{
    for (uint32_t b = 0; b < 256; b++) {
        uint32_t c = b;
        for (unsigned k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
        crc_tab[0][b] = c;
    }
    for (unsigned k = 1; k < 8; k++)
        for (unsigned b = 0; b < 256; b++)
            crc_tab[k][b] = (crc_tab[k - 1][b] >> 8) ^ crc_tab[0][crc_tab[k - 1][b] & 0xFF];
}

static inline uint32_t le32_at(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t smmu_snap_crc32(const void *buf, size_t len)
{
    pthread_once(&crc_once, crc_init);
    const uint8_t *p = buf;
    uint32_t crc = 0xFFFFFFFFu;
    size_t i = 0;
    for (; len - i >= 8; i += 8) {
        uint32_t lo = crc ^ le32_at(p + i), hi = le32_at(p + i + 4);
        crc = crc_tab[7][lo & 0xFF] ^ crc_tab[6][(lo >> 8) & 0xFF] ^ crc_tab[5][(lo >> 16) & 0xFF] ^
              crc_tab[4][lo >> 24] ^ crc_tab[3][hi & 0xFF] ^ crc_tab[2][(hi >> 8) & 0xFF] ^
              crc_tab[1][(hi >> 16) & 0xFF] ^ crc_tab[0][hi >> 24];
    }
    for (; i < len; i++)
        crc = (crc >> 8) ^ crc_tab[0][(crc ^ p[i]) & 0xFF];
    return ~crc;
}

/* ------------------------------------------------------------ CONF: the configuration */
/* Every field of smmuv3_config (cache sizes too: "an equal configuration"),
 * then the ID registers it produced. A field added to smmuv3_config must be
 * added here: the assertion below is the reminder. */
_Static_assert(sizeof(smmuv3_config) == 104, "smmuv3_config changed: add the new field to conf_save (snapshot.c)");

static void conf_save(const smmuv3 *s, smmu_snap_wr *w)
{
    const smmuv3_config *c = &s->cfg;
    const uint32_t v[] = {
        c->s1p, c->s2p, c->gran4k, c->gran16k, c->gran64k, c->oas, c->vax, c->sidsize, c->ssidsize,
        c->st_2level, c->cd_2level, c->ril, c->msi, c->ats, c->pri, c->stall_model, c->term_model, c->httu,
        c->asid16, c->vmid16, c->hyp, c->btm, c->cohacc, c->sev, c->xnx, c->had, c->fwb, c->cmdqs,
        c->eventqs, c->priqs, c->stall_max, c->iidr, c->tlb_entries, c->cfg_entries, c->walk_entries,
        c->fastpath, c->ns1ats, c->pps, c->secure_impl, c->sel2, c->s_sidsize, c->stt,
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        smmu_snap_put32(w, v[i]);
    /* IDR0.STALL_MODEL as configured: SMMU_S_CR0.NSSTALLD (saved with the
     * Secure bank) changes what it reads. */
    for (unsigned i = 0; i < 6; i++)
        smmu_snap_put32(w, i ? s->idr[i] : (uint32_t)rset(s->idr[0], F_IDR0_stall_model, c->stall_model));
    for (unsigned i = 0; i < 5; i++)
        smmu_snap_put32(w, s->s_idr[i]);
    smmu_snap_put32(w, s->iidr);
    smmu_snap_put32(w, s->aidr);
}

enum { CONF_BYTES = (42 + 13) * 4 };

/* The configuration is not loaded: it must be the instance's own, which
 * smmuv3_restore checks against the real instance before anything is loaded
 * (the scratch instance runs without caches, so its own would differ). */
static int conf_skip(smmuv3 *s, smmu_snap_rd *r)
{
    SMMU_UNUSED(s);
    r->pos = r->len;
    return 0;
}

/* The CONF section of p is the one s would write. */
static bool conf_matches(const smmuv3 *s, const uint8_t *p, size_t len)
{
    uint8_t mine[CONF_BYTES];
    smmu_snap_wr w = { mine, 0 };
    conf_save(s, &w);
    smmu_snap_rd r = { p, len, SNAP_HEADER + 4, false };   /* the tag is load_sections' to check */
    return smmu_snap_get32(&r) == w.pos && !r.bad && len - r.pos >= w.pos && !memcmp(p + r.pos, mine, w.pos);
}

static uint64_t conf_digest(const smmuv3 *s)
{
    uint8_t b[CONF_BYTES];
    smmu_snap_wr w = { b, 0 };
    conf_save(s, &w);
    uint64_t h = 0xcbf29ce484222325ull;
    _Static_assert(CONF_BYTES % 4 == 0, "four bytes a turn");
    for (size_t i = 0; i < w.pos; i += 4) {   /* FNV-1a byte by byte, four a turn */
        h = (h ^ b[i]) * 0x100000001b3ull;
        h = (h ^ b[i + 1]) * 0x100000001b3ull;
        h = (h ^ b[i + 2]) * 0x100000001b3ull;
        h = (h ^ b[i + 3]) * 0x100000001b3ull;
    }
    return h;
}

/* ------------------------------------------------------------ REGS, SREG: the register banks */
/* smmu_regs field by field, the three queues as CMDQ, EVENTQ, PRIQ; the
 * values as held, not as read (a read hides index bits above the queue size).
 * REGS is the Non-secure bank, SREG the Secure one (all zero without Secure
 * state; its PRI queue is always empty). */
static void queue_save(const smmu_queue *q, smmu_snap_wr *w)
{
    smmu_snap_put64(w, q->base);
    smmu_snap_put32(w, q->prod);
    smmu_snap_put32(w, q->cons);
    smmu_snap_put64(w, q->irq_cfg0);
    smmu_snap_put32(w, q->irq_cfg1);
    smmu_snap_put32(w, q->irq_cfg2);
}

static void queue_load(smmu_queue *q, smmu_snap_rd *r)
{
    q->base = smmu_snap_get64(r);
    q->prod = smmu_snap_get32(r);
    q->cons = smmu_snap_get32(r);
    q->irq_cfg0 = smmu_snap_get64(r);
    q->irq_cfg1 = smmu_snap_get32(r);
    q->irq_cfg2 = smmu_snap_get32(r);
}

static void bank_save(const smmu_regs *g, smmu_snap_wr *w)
{
    const uint32_t v[] = { g->cr0, g->cr0ack, g->cr1, g->cr2, g->gbpa, g->irq_ctrl, g->irq_ctrlack,
                           g->gerror, g->gerrorn };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        smmu_snap_put32(w, v[i]);
    smmu_snap_put64(w, g->gerror_irq_cfg0);
    smmu_snap_put32(w, g->gerror_irq_cfg1);
    smmu_snap_put32(w, g->gerror_irq_cfg2);
    smmu_snap_put64(w, g->strtab_base);
    smmu_snap_put32(w, g->strtab_base_cfg);
    queue_save(&g->cmdq, w);
    queue_save(&g->eventq, w);
    queue_save(&g->priq, w);
}

static int bank_load(smmuv3 *s, smmu_regs *bank, smmu_snap_rd *r)
{
    smmu_regs g;
    memset(&g, 0, sizeof(g));
    uint32_t *v[] = { &g.cr0, &g.cr0ack, &g.cr1, &g.cr2, &g.gbpa, &g.irq_ctrl, &g.irq_ctrlack,
                      &g.gerror, &g.gerrorn };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        *v[i] = smmu_snap_get32(r);
    g.gerror_irq_cfg0 = smmu_snap_get64(r);
    g.gerror_irq_cfg1 = smmu_snap_get32(r);
    g.gerror_irq_cfg2 = smmu_snap_get32(r);
    g.strtab_base = smmu_snap_get64(r);
    g.strtab_base_cfg = smmu_snap_get32(r);
    queue_load(&g.cmdq, r);
    queue_load(&g.eventq, r);
    queue_load(&g.priq, r);
    if (r->bad || !smmu_regs_valid(s, bank, &g))
        return SMMUV3_ECORRUPT;
    *bank = g;
    return 0;
}

static void regs_save(const smmuv3 *s, smmu_snap_wr *w) { bank_save(&s->r, w); }
static int regs_load(smmuv3 *s, smmu_snap_rd *r) { return bank_load(s, &s->r, r); }
static void sregs_save(const smmuv3 *s, smmu_snap_wr *w) { bank_save(&s->sr, w); }

static int sregs_load(smmuv3 *s, smmu_snap_rd *r)
{
    int rc = bank_load(s, &s->sr, r);
    if (!rc)
        smmu_sregs_nsstalld_apply(s);
    return rc;
}

/* ------------------------------------------------------------ STAT: the counters */
/* smmuv3_stats as smmuv3_get_stats returns it: u32 count of counters, then
 * each (fields are appended at the end of the struct, never reordered). The
 * translation memo's hits are added when the counters are read, so a load
 * stores the saved values less what the (emptied) memo adds. */
_Static_assert(sizeof(smmuv3_stats) % sizeof(uint64_t) == 0, "smmuv3_stats holds only uint64_t counters");
enum { NSTATS = sizeof(smmuv3_stats) / sizeof(uint64_t) };

static void stats_save(const smmuv3 *s, smmu_snap_wr *w)
{
    smmuv3_stats st;
    uint64_t v[NSTATS];
    smmuv3_get_stats(s, &st);
    memcpy(v, &st, sizeof(v));
    smmu_snap_put32(w, NSTATS);
    for (unsigned i = 0; i < NSTATS; i++)
        smmu_snap_put64(w, v[i]);
}

static int stats_load(smmuv3 *s, smmu_snap_rd *r)
{
    uint64_t v[NSTATS], memo[NSTATS];
    if (smmu_snap_get32(r) != NSTATS)
        return SMMUV3_ECORRUPT;
    for (unsigned i = 0; i < NSTATS; i++)
        v[i] = smmu_snap_get64(r);
    if (r->bad)
        return SMMUV3_ECORRUPT;
    smmuv3_stats add;
    memset(&add, 0, sizeof(add));
    smmu_fastpath_stats(s, &add);
    memcpy(memo, &add, sizeof(memo));
    for (unsigned i = 0; i < NSTATS; i++)
        v[i] -= memo[i];   /* modulo 2^64: reading adds it back */
    memcpy(&s->stats, v, sizeof(v));
    return 0;
}

/* ------------------------------------------------------------ the sections */
typedef struct snap_section {
    uint32_t tag;
    void (*save)(const smmuv3 *s, smmu_snap_wr *w);
    int (*load)(smmuv3 *s, smmu_snap_rd *r);
} snap_section;

static const snap_section sections[] = {
    { TAG('C', 'O', 'N', 'F'), conf_save, conf_skip },   /* first: checked by smmuv3_restore */
    { TAG('R', 'E', 'G', 'S'), regs_save, regs_load },
    { TAG('S', 'T', 'A', 'L'), smmu_stalls_snap_save, smmu_stalls_snap_load },
    { TAG('S', 'T', 'A', 'T'), stats_save, stats_load },
    { TAG('S', 'R', 'E', 'G'), sregs_save, sregs_load },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

/* A host callback of this instance is running: a command or a translation is half done. */
static bool busy(const smmuv3 *s)
{
    return s->r.in_cmdq || s->sr.in_cmdq || s->xlate_depth;
}

static void snap_write(const smmuv3 *s, smmu_snap_wr *w)
{
    size_t start = w->pos;
    for (unsigned i = 0; i < 8; i++)
        smmu_snap_put8(w, snap_magic[i]);
    smmu_snap_put32(w, SNAP_VERSION);
    smmu_snap_put32(w, 0);
    size_t len_at = w->pos;
    smmu_snap_put64(w, 0);   /* total length, filled in below */
    smmu_snap_put64(w, w->buf ? conf_digest(s) : 0);   /* counting: only its size */
    for (unsigned i = 0; i < NSECTIONS; i++) {
        smmu_snap_put32(w, sections[i].tag);
        size_t at = w->pos;
        smmu_snap_put32(w, 0);
        sections[i].save(s, w);
        if (w->buf) {
            smmu_snap_wr l = { w->buf, at };
            smmu_snap_put32(&l, (uint32_t)(w->pos - at - 4));
        }
    }
    if (w->buf) {
        smmu_snap_wr l = { w->buf, len_at };
        smmu_snap_put64(&l, w->pos + SNAP_TRAILER - start);
        smmu_snap_put32(w, smmu_snap_crc32(w->buf + start, w->pos - start));
    } else {
        w->pos += SNAP_TRAILER;
    }
}

static int save(const smmuv3 *s, void *buf, size_t len, size_t *needed);

int smmuv3_save(const smmuv3 *s, void *buf, size_t len, size_t *needed)
{
    SMMU_LOCKED_CALL((smmuv3 *)s, save(s, buf, len, needed));   /* the lock is not part of the value */
}

static int save(const smmuv3 *s, void *buf, size_t len, size_t *needed)
{
    if (!s || busy(s))
        return SMMUV3_EINVAL;
    smmu_snap_wr w = { NULL, 0 };
    snap_write(s, &w);
    if (needed)
        *needed = w.pos;
    if (!buf || len < w.pos)
        return SMMUV3_ERANGE;
    w.buf = buf;
    w.pos = 0;
    snap_write(s, &w);
    return 0;
}

/* Load every section of p[SNAP_HEADER..len - SNAP_TRAILER) into s. */
static int load_sections(smmuv3 *s, const uint8_t *p, size_t len)
{
    smmu_snap_rd r = { p, len - SNAP_TRAILER, SNAP_HEADER, false };
    for (unsigned i = 0; i < NSECTIONS; i++) {
        uint32_t tag = smmu_snap_get32(&r), n = smmu_snap_get32(&r);
        if (r.bad || tag != sections[i].tag || n > r.len - r.pos)
            return SMMUV3_ECORRUPT;
        smmu_snap_rd sec = { p + r.pos, n, 0, false };
        int rc = sections[i].load(s, &sec);
        if (rc)
            return rc;
        if (sec.bad || sec.pos != n)
            return SMMUV3_ECORRUPT;
        r.pos += n;
    }
    return r.pos == r.len ? 0 : SMMUV3_ECORRUPT;
}

static int restore(smmuv3 *s, const void *buf, size_t len);

int smmuv3_restore(smmuv3 *s, const void *buf, size_t len)
{
    SMMU_LOCKED_CALL(s, restore(s, buf, len));
}

static int restore(smmuv3 *s, const void *buf, size_t len)
{
    if (!s || !buf || busy(s))
        return SMMUV3_EINVAL;
    const uint8_t *p = buf;
    if (len < SNAP_HEADER + SNAP_TRAILER || memcmp(p, snap_magic, sizeof(snap_magic)))
        return SMMUV3_ECORRUPT;
    smmu_snap_rd h = { p, SNAP_HEADER, sizeof(snap_magic), false };
    uint32_t version = smmu_snap_get32(&h), flags = smmu_snap_get32(&h);
    uint64_t total = smmu_snap_get64(&h), digest = smmu_snap_get64(&h);
    if (version != SNAP_VERSION || total != len)
        return SMMUV3_ECORRUPT;
    smmu_snap_rd t = { p + len - SNAP_TRAILER, SNAP_TRAILER, 0, false };
    if (smmu_snap_get32(&t) != smmu_snap_crc32(p, len - SNAP_TRAILER) || flags)
        return SMMUV3_ECORRUPT;
    smmu_snap_rd tag = { p, len, SNAP_HEADER, false };
    if (smmu_snap_get32(&tag) != sections[0].tag)
        return SMMUV3_ECORRUPT;
    if (digest != conf_digest(s) || !conf_matches(s, p, len - SNAP_TRAILER))
        return SMMUV3_EMISMATCH;

    /* Pass 1: validate everything on a scratch instance of the same
     * architectural configuration (no caches: nothing loads into them). */
    smmuv3_config cfg = s->cfg;
    cfg.tlb_entries = cfg.cfg_entries = cfg.walk_entries = 0;
    cfg.fastpath = false;
    smmuv3 *scratch;
    int rc = smmuv3_new(&cfg, &s->host, &scratch);
    if (rc)
        return rc;
    rc = load_sections(scratch, p, len);
    smmuv3_free(scratch);
    if (rc)
        return rc;

    /* Pass 2: the real instance, caches emptied first (the counters load after). */
    smmu_cfgcache_flush(s);
    smmu_tlb_flush(s);
    smmu_walkcache_flush(s);
    smmu_state_changed(s);
    rc = load_sections(s, p, len);
    smmu_state_changed(s);
    return rc;
}
