/* SPDX-License-Identifier: MIT */
/*
 * Private interface between the walker (walk.c: one stage and stage 2; walk_s1.c:
 * stage 1 and whole transactions; perm.c; attrs.c) and the walk
 * cache (walkcache.c). Nothing outside these files includes it.
 */
#ifndef SMMU_WALK_INT_H
#define SMMU_WALK_INT_H

#include <string.h>
#include "model/smmu.h"

/* Which table a walk-cache entry belongs to. */
enum { SMMU_WC_S1 = 1, SMMU_WC_S2 = 2 };

/*
 * Key of one cached intermediate (table) descriptor. The descriptor's PA and
 * the input-address prefix that led to it are both part of the key, so a hit
 * returns exactly what the table read would have returned while the tables
 * are unchanged (or changed and not yet invalidated, which the architecture
 * permits a walk cache to ignore).
 */
typedef struct smmu_wc_key {
    uint64_t desc_pa;    /* PA of the table descriptor */
    uint64_t in_base;    /* input address of the region the entry maps, aligned to 2^shift */
    uint16_t asid, vmid;
    uint8_t  stage;      /* SMMU_WC_S1 / SMMU_WC_S2 */
    uint8_t  regime;     /* SMMU_REGIME_* (stage 1) */
    uint8_t  level;
    uint8_t  shift;      /* log2 of the input range the descriptor covers */
    bool     anyvmid;    /* stage 1 of a stream without stage 2: VMID-scoped TLBIs always match */
    bool     ns;         /* the descriptor's PA space */
    bool     secure;     /* a Secure stream's walk: never serves a Non-secure one (3.10.2) */
} smmu_wc_key;

/* Look up a table descriptor; true with *desc on a hit (counts walk_cache_hits). */
bool smmu_walkcache_lookup(smmuv3 *s, const smmu_wc_key *k, uint64_t *desc);
void smmu_walkcache_insert(smmuv3 *s, const smmu_wc_key *k, uint64_t desc);

/* walk/perm.c: the per-stage permission checks shared by the walk and smmu_perm_check. */
int smmu_perm_check_s1(const smmu_txcfg *cfg, const smmu_perm *p, const smmu_access *acc, smmu_fault *f);
int smmu_perm_check_s2(const smmuv3 *s, const smmu_perm *p, const smmu_access *acc, smmu_fault *f);

/* walk/attrs.c: combine stage 1 (MAIR byte, SH) with stage 2 (MemAttr, SH);
 * has_s1 false: stage 2 only. The final shareability of a MAIR byte and SH. */
void smmu_attrs_combine(const smmuv3 *s, const smmu_s2_cfg *s2, bool has_s1, uint8_t m1, uint8_t sh1,
                        uint8_t ma2, uint8_t sh2, smmuv3_attrs *a);
uint8_t smmu_attrs_final_sh(uint8_t mair, uint8_t sh);

/* ------------------------------------------------------------ the walker's shared parts (walk.c, walk_s1.c) */
/* ------------------------------------------------------------ VMSAv8-64 descriptor bits (Arm ARM D8.3) */
#define DESC_VALID        (1ull << 0)
#define DESC_TABLE        (1ull << 1)   /* with VALID: table (levels 0..2) or page (level 3) */
#define DESC_S1_ATTRINDX_SHIFT 2        /* AttrIndx[2:0], bits 4:2 */
#define DESC_S2_MEMATTR_SHIFT  2        /* MemAttr[3:0], bits 5:2 */
#define DESC_AP_SHIFT     6             /* AP[2:1] / S2AP[1:0], bits 7:6 */
#define DESC_SH_SHIFT     8             /* SH[1:0], bits 9:8 */
#define DESC_AF           (1ull << 10)
#define DESC_NG           (1ull << 11)
#define DESC_AP2          (1ull << 7)   /* stage 1 AP[2]: read-only */
#define DESC_S2AP_W       (1ull << 7)   /* stage 2 S2AP[1]: write */
#define DESC_DBM          (1ull << 51)
#define DESC_PXN          (1ull << 53)
#define DESC_UXN          (1ull << 54)  /* UXN / XN; stage 2 XN[1] */
#define DESC_S2XN_SHIFT   53            /* stage 2 XN[1:0], bits 54:53 */
#define DESC_NS           (1ull << 5)   /* stage 1 block/page NS (Secure regimes only) */
#define DESC_NSTABLE      (1ull << 63)  /* stage 1 table NSTable (Secure regimes only) */
#define DESC_PXNTABLE     (1ull << 59)
#define DESC_UXNTABLE     (1ull << 60)
#define DESC_APTABLE_SHIFT 61           /* APTable[1:0], bits 62:61 */
#define DESC_OA_HI_SHIFT  12            /* 64K granule, 52-bit OA: OA[51:48] in bits 15:12 */

static inline uint64_t bits_mask(unsigned msb, unsigned lsb)
{
    return ((msb >= 63) ? ~0ull : ((1ull << (msb + 1)) - 1)) & ~((1ull << lsb) - 1);
}

/* log2 of the input range one descriptor at `level` maps (granule g = 12/14/16). */
static inline unsigned lvl_shift(unsigned g, unsigned level)
{
    return g + (3 - level) * (g - 3);
}

/* ------------------------------------------------------------ faults */
static inline int fault_set(smmu_fault *f, uint8_t ev, bool s2, uint8_t cls, uint64_t ipa)
{
    f->event = ev;
    f->s2 = s2;
    f->cls = cls;
    f->ipa = s2 ? ipa : 0;
    f->fetch_addr = 0;
    f->ttrnw = false;
    return 1;
}

/* ------------------------------------------------------------ one stage */
typedef struct walk_stage {
    uint64_t ttb;
    uint8_t  g;          /* granule log2 */
    uint8_t  inbits;     /* input address size */
    uint8_t  start;      /* start level */
    uint8_t  ps;         /* output address size */
    bool     s2;
    uint8_t  cls;        /* CLASS for stage 2 faults */
    bool     tt;         /* stage 2 access made for a stage 1 table walk (or CD): TTRnW applies */
    bool     ttwrite;    /* that access is a write (HTTU update of a stage 1 descriptor) */
    const smmu_s2_cfg *nest; /* stage 1 of a nested walk: table addresses are IPAs */
    uint64_t in_hi;      /* stage 1: the sign-extension bits above inbits (walk-cache tags) */
    uint16_t asid, vmid;
    bool     vmid_valid; /* stage 1 of a nested stream: its entries are tagged with the VMID */
    uint8_t  regime;
    bool     ns;         /* PA (or IPA, nested) space of the initial table: always Non-secure
                            for a Non-secure stream; CD.NSCFGn or STE.S2(N)SW for a Secure one */
    bool     secure;     /* a Secure stream's stage: stage 1 honours NSTable (3.10.2) */
} walk_stage;

typedef struct walk_leaf {
    uint64_t desc;
    uint64_t desc_pa;    /* PA of the leaf descriptor (HTTU updates) */
    uint64_t desc_ipa;   /* its IPA in a nested stage 1 walk */
    uint64_t oa;         /* output address of the input address */
    uint8_t  level;
    uint8_t  size_log2;
    uint8_t  aptable;    /* accumulated APTable[1:0] */
    bool     uxntable, pxntable;
    bool     ns;         /* the space the leaf descriptor was read from (after NSTable) */
    bool     desc_ns;    /* the PA space it was fetched from (nested: after stage 2) */
} walk_leaf;

typedef struct s2_out {
    uint64_t pa;
    uint8_t  level, size_log2;
    uint8_t  s2ap, s2xn;
    bool     s2dbm;
    uint8_t  memattr;    /* MemAttr[3:0] */
    uint8_t  sh;
    bool     ns;         /* the output PA space (3.10.2.2) */
} s2_out;

/* Start a stage's walk state: table base, granule, input size, start level,
 * and the output size from the stage's own PS/IPS field (0: the OAS), capped
 * to the OAS and to 48 bits below the 64K granule (3.4). */
static inline void smmu_walk_stage_init(const smmuv3 *s, walk_stage *st, uint64_t ttb, unsigned g,
                                        unsigned inbits, unsigned start, unsigned ps)
{
    if (!ps || ps > s->cfg.oas)
        ps = s->cfg.oas;
    if (g != 16 && ps > 48)
        ps = 48;
    memset(st, 0, sizeof(*st));
    st->ttb = ttb;
    st->g = (uint8_t)g;
    st->inbits = (uint8_t)inbits;
    st->start = (uint8_t)start;
    st->ps = (uint8_t)ps;
}

/* The Access flag of a leaf descriptor d: 0 set (or faults disabled by
 * AFFD), 1 to be set by the walk (hardware update, HA), -1 an Access flag
 * fault. AFFD is IGNORED while hardware updates are in use (5.2, 5.4). */
static inline int smmu_leaf_af(uint64_t d, bool ha, bool affd)
{
    if (d & DESC_AF)
        return 0;
    if (ha)
        return 1;
    return affd ? 0 : -1;
}

/* Descriptor reads and writes (little-endian, through the host). */
static inline int read_desc(smmuv3 *s, bool ns, uint64_t pa, uint64_t *d)
{
    uint8_t b[8];
    if (smmu_host_read_pas(s, ns, pa, b, sizeof(b)))
        return -1;
    *d = le64_load(b);
    return 0;
}

static inline int write_desc(smmuv3 *s, bool ns, uint64_t pa, uint64_t d)
{
    uint8_t b[8];
    le64_store(b, d);
    return smmu_host_write_pas(s, ns, pa, b, sizeof(b)) ? -1 : 0;
}

/* walk.c: one stage's walk for input address `in` (already range-checked), the
 * fault of the stage being walked, and a stage 2 translation (cls: CLASS of its
 * faults; tt: made for a stage 1 table walk or CD fetch, so TTRnW applies). */
int smmu_stage_walk(smmuv3 *s, const walk_stage *st, uint64_t in, walk_leaf *lf, smmu_fault *f);
int smmu_stage_fault(const walk_stage *st, smmu_fault *f, uint8_t ev, uint64_t in);
int smmu_s2_translate(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                      uint8_t cls, bool tt, s2_out *o, smmu_fault *f);
/* Put the stage 2 result `so` for `ipa` into out: PA, the stage 2 level, granule
 * and size (out->size_log2 the smaller of both stages when has_s1), stage 2
 * permissions, and attributes combined with stage 1's already in out->attrs. */
void smmu_xlate_put_s2(const smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const s2_out *so, bool has_s1,
                       smmu_xlate *out);

#endif
