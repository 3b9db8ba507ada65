/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation table walks as the SMMUv3 performs them: stage 1
 * (CD), stage 2 (STE), nested (every stage 1 table address is an IPA), with
 * the faults of IHI 0070 7.3.12..7.3.16 (F_WALK_EABT, F_TRANSLATION,
 * F_ADDR_SIZE, F_ACCESS, F_PERMISSION) and the address size rules of 3.4.
 *
 * Fault order (Arm architecture, AArch64 translation):
 *   stage 1: input range / EPD (translation) -> per level: [nested: stage 2
 *   of the descriptor IPA, CLASS=TT] -> external abort -> invalid / illegal
 *   descriptor (translation) -> output address size -> access flag ->
 *   permission; then stage 2 of the output IPA (CLASS=IN) in the same order,
 *   then the stage 2 permission. A stage 1 permission fault therefore wins
 *   over any stage 2 fault on the final IPA.
 *
 * Documented choices (CONSTRAINED UNPREDICTABLE or model decisions):
 * - TxSZ / S2T0SZ giving more input bits than the granule allows (48, or 52
 *   with the 64K granule and VAX / OAS 52) are treated as the maximum; values
 *   leaving no input bit above the granule give a translation fault.
 * - TTB / S2TTB bits below the alignment of the starting-level table are
 *   treated as zero (5.4 TTB0: "the SMMU effectively aligns the value"), with
 *   a 64-byte minimum when the output size is 52 bits.
 * - Descriptor bits [51:48] are not output-address bits (they are RES0 or
 *   DBM/GP); with the 64K granule and OAS 52, OA[51:48] comes from bits [15:12].
 * - 64K level 1 blocks are legal only when OAS is 52 (FEAT_LPA); no LPA2.
 * - The contiguous hint is accepted and ignored: the region size reported is
 *   the page or block size.
 * - HTTU: AF update with HA (IDR0.HTTU >= 1), dirty state with HA+HD and DBM
 *   (IDR0.HTTU == 2). The update is done only when the access passes the
 *   permission checks of that stage; AFFD/S2AFFD are IGNORED when HA/S2HA
 *   is in use (5.4). Dirty state needs HA as well as HD ({HD,HA} = 0b10
 *   behaves as 0b00, 5.4).
 * - STE.S2PTW: a stage 1 table access (or CD fetch) that stage 2 maps as
 *   Device memory gives a stage 2 permission fault (after the S2AP check).
 * - A nested stage 1 HTTU update is a stage 2 write of the descriptor's IPA
 *   (CLASS=TT, TTRnW=0); an abort on any HTTU write is F_WALK_EABT with the
 *   descriptor PA. Updates are plain 8-byte host writes (the model is
 *   synchronous, so read-modify-write is atomic).
 * - Attributes (smmu_xlate.attrs, before the STE overrides): stage 1 is the
 *   CD.MAIR byte; stage 2 only is MemAttr as a MAIR-style byte (translate.c
 *   combines it with the incoming attributes); nested combines both
 *   (Device wins with the stricter type, cacheability the weaker, stage 1
 *   allocation hints, shareability the wider; FWB per FEAT_S2FWB). Device and
 *   Normal Non-cacheable are reported Outer Shareable. CD.MAIR Reserved
 *   encodings are reported as the type they behave as (5.4). With FWB,
 *   MemAttr 0b100 (Reserved) behaves as Non-cacheable.
 * - Region size: the page/block size; nested: the smaller of the two stages.
 */
#include <string.h>
#include "model/walk/walk_int.h"

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
static int fault_set(smmu_fault *f, uint8_t ev, bool s2, uint8_t cls, uint64_t ipa)
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
} walk_leaf;

typedef struct s2_out {
    uint64_t pa;
    uint8_t  level, size_log2;
    uint8_t  s2ap, s2xn;
    bool     s2dbm;
    uint8_t  memattr;    /* MemAttr[3:0] */
    uint8_t  sh;
} s2_out;

static int s2_translate(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                        uint8_t cls, bool tt, s2_out *o, smmu_fault *f);

static bool block_legal(const smmuv3 *s, unsigned g, unsigned level)
{
    switch (g) {
    case 12: return level == 1 || level == 2;
    case 14: return level == 2;
    case 16: return level == 2 || (level == 1 && s->cfg.oas == 52);
    default: return false;
    }
}

/* Output address bits of a table/block/page descriptor (without the offset). */
static inline uint64_t desc_oa(const smmuv3 *s, unsigned g, uint64_t desc, unsigned lsb)
{
    uint64_t oa = desc & bits_mask(47, lsb);
    if (g == 16 && s->cfg.oas == 52)
        oa |= ((desc >> DESC_OA_HI_SHIFT) & 0xfull) << 48;
    return oa;
}

static inline int read_desc(smmuv3 *s, uint64_t pa, uint64_t *d)
{
    uint8_t b[8];
    if (smmu_host_read(s, pa, b, sizeof(b)))
        return -1;
    *d = le64_load(b);
    return 0;
}

static inline int write_desc(smmuv3 *s, uint64_t pa, uint64_t d)
{
    uint8_t b[8];
    le64_store(b, d);
    return smmu_host_write(s, pa, b, sizeof(b)) ? -1 : 0;
}

/* Fault of the stage being walked: stage 1 faults are CLASS=IN (7.3.13). */
static int stage_fault(const walk_stage *st, smmu_fault *f, uint8_t ev, uint64_t in)
{
    fault_set(f, ev, st->s2, st->s2 ? st->cls : SMMU_CLASS_IN, in);
    if (st->s2 && st->tt)
        f->ttrnw = !st->ttwrite;
    return 1;
}

static const smmu_access acc_tt_read = { .write = false, .exec = false, .priv = false };

/* Walk one stage for input address `in` (already range-checked). */
static int stage_walk(smmuv3 *s, const walk_stage *st, uint64_t in, walk_leaf *lf, smmu_fault *f)
{
    unsigned g = st->g;
    unsigned stride = g - 3;
    unsigned start = st->start;
    unsigned startbits = st->inbits - lvl_shift(g, start);
    unsigned align = startbits + 3;
    if (st->ps == 52 && align < 6)
        align = 6;
    uint64_t table = st->ttb & ~((1ull << align) - 1);

    lf->aptable = 0;
    lf->uxntable = lf->pxntable = false;
    if (table >> st->ps)
        return stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);

    for (unsigned level = start; level <= 3; level++) {
        unsigned sh = lvl_shift(g, level);
        unsigned nbits = level == start ? startbits : stride;
        uint64_t idx = (in >> sh) & ((1ull << nbits) - 1);
        uint64_t daddr = table + idx * 8;   /* PA, or IPA when nested */
        uint64_t dpa = daddr;
        uint64_t desc;

        if (st->nest) {
            s2_out so;
            if (s2_translate(s, st->nest, daddr, &acc_tt_read, SMMU_CLASS_TT, true, &so, f))
                return 1;
            dpa = so.pa;
        }
        smmu_wc_key key;
        bool cached = false;
        if (level < 3 && s->cfg.walk_entries) {
            key.desc_pa = dpa;
            key.in_base = (in | st->in_hi) & ~((1ull << sh) - 1);
            key.asid = st->asid;
            key.vmid = st->vmid;
            key.stage = st->s2 ? SMMU_WC_S2 : SMMU_WC_S1;
            key.regime = st->regime;
            key.anyvmid = !st->s2 && !st->vmid_valid;
            key.level = (uint8_t)level;
            key.shift = (uint8_t)sh;
            cached = smmu_walkcache_lookup(s, &key, &desc);
        }
        if (!cached && read_desc(s, dpa, &desc)) {
            /* 7.3.12: a stage 1 descriptor abort is S2=0, CLASS=TT even when
             * nested; a stage 2 descriptor abort is S2=1 with the CLASS of the
             * IPA being translated. */
            if (st->s2)
                fault_set(f, SMMUV3_EVT_F_WALK_EABT, true, st->cls, in);
            else
                fault_set(f, SMMUV3_EVT_F_WALK_EABT, false, SMMU_CLASS_TT, 0);
            f->fetch_addr = dpa;
            if (st->s2 && st->tt)
                f->ttrnw = !st->ttwrite;
            return 1;
        }
        if (!(desc & DESC_VALID))
            return stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);

        if (level < 3 && (desc & DESC_TABLE)) {
            uint64_t next = desc_oa(s, g, desc, g);
            if (next >> st->ps)
                return stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);
            if (!cached && s->cfg.walk_entries)
                smmu_walkcache_insert(s, &key, desc);
            if (!st->s2) {
                lf->aptable |= (uint8_t)((desc >> DESC_APTABLE_SHIFT) & 3);
                lf->uxntable |= (desc & DESC_UXNTABLE) != 0;
                lf->pxntable |= (desc & DESC_PXNTABLE) != 0;
            }
            table = next;
            continue;
        }
        /* Block (levels 0..2) or page (level 3). */
        if (level == 3 ? !(desc & DESC_TABLE) : !block_legal(s, g, level))
            return stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);
        uint64_t oa = desc_oa(s, g, desc, sh);
        if (oa >> st->ps)
            return stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);
        lf->desc = desc;
        lf->desc_pa = dpa;
        lf->desc_ipa = daddr;
        lf->oa = oa | (in & ((1ull << sh) - 1));
        lf->level = (uint8_t)level;
        lf->size_log2 = (uint8_t)sh;
        return 0;
    }
    /* Not reached: level 3 always returns. */
    return stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);
}

/* ------------------------------------------------------------ stage 2 */
static bool s2_setup(const smmuv3 *s, const smmu_s2_cfg *s2, walk_stage *st)
{
    unsigned g = s2->granule;
    if (g != 12 && g != 14 && g != 16)
        return false;
    unsigned ias = s->cfg.oas;                 /* IAS = OAS with AArch64 tables only (3.4) */
    unsigned max = g == 16 ? 52 : 48;          /* 3.4 stage 2 check 1c */
    if (ias < max)
        max = ias;
    unsigned inbits = s2->tsz >= 64 ? 0 : 64 - s2->tsz;
    if (inbits > max)
        inbits = max;
    unsigned start = s2->start_level;
    if (start > 3)
        return false;
    unsigned sh = lvl_shift(g, start);
    /* The initial table: at least one index bit ... at most 16 concatenated tables. */
    if (inbits <= sh || inbits - sh > (g - 3) + 4)
        return false;
    unsigned ps = s2->ps ? s2->ps : s->cfg.oas;
    if (ps > s->cfg.oas)
        ps = s->cfg.oas;
    if (g != 16 && ps > 48)
        ps = 48;
    memset(st, 0, sizeof(*st));
    st->ttb = s2->ttb;
    st->g = (uint8_t)g;
    st->inbits = (uint8_t)inbits;
    st->start = (uint8_t)start;
    st->ps = (uint8_t)ps;
    st->s2 = true;
    st->vmid = s2->vmid;
    return true;
}

static inline bool s2_memattr_device(const smmuv3 *s, const smmu_s2_cfg *s2, uint8_t ma)
{
    if (s->cfg.fwb && s2->fwb)
        return (ma & 4) == 0;
    return (ma & 0xc) == 0;
}

/*
 * Translate an IPA through stage 2 and check the stage 2 permission of `acc`
 * (for `tt` accesses: a stage 1 table read, or its HTTU write). Faults carry
 * S2=1, `cls` and the IPA. HTTU updates are made here.
 */
static int s2_translate(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                        uint8_t cls, bool tt, s2_out *o, smmu_fault *f)
{
    walk_stage st;
    if (!s2_setup(s, s2, &st))
        return fault_set(f, SMMUV3_EVT_F_TRANSLATION, true, cls, ipa);
    st.cls = cls;
    st.tt = tt;
    st.ttwrite = acc->write;
    if (ipa >> st.inbits) {
        stage_fault(&st, f, SMMUV3_EVT_F_TRANSLATION, ipa);
        return 1;
    }
    walk_leaf lf;
    if (stage_walk(s, &st, ipa, &lf, f))
        return 1;

    uint64_t d = lf.desc;
    bool ha = s->cfg.httu >= 1 && s2->ha;
    bool hd = s->cfg.httu >= 2 && s2->ha && s2->hd;
    bool af_update = false;
    if (!(d & DESC_AF)) {
        /* S2AFFD is IGNORED when S2HA is in use (5.2, as CD.AFFD 5.4). */
        if (ha)
            af_update = true;
        else if (!s2->affd)
            return stage_fault(&st, f, SMMUV3_EVT_F_ACCESS, ipa);
    }
    smmu_perm p;
    memset(&p, 0, sizeof(p));
    p.s2 = true;
    p.s2ap = (uint8_t)((d >> DESC_AP_SHIFT) & 3);
    p.s2xn = (uint8_t)((d >> DESC_S2XN_SHIFT) & 3);
    if (!s->cfg.xnx)
        p.s2xn &= 2;
    bool clean = hd && (d & DESC_DBM) && !(p.s2ap & 2);
    bool dirty_update = false;
    if (clean && acc->write) {
        p.s2ap |= 2;          /* writable-clean: a permitted write makes it dirty */
        dirty_update = true;
    }
    if (smmu_perm_check_s2(s, &p, acc, f)) {
        f->cls = cls;
        f->ipa = ipa;
        if (tt)
            f->ttrnw = !acc->write;
        return 1;
    }
    uint8_t ma = (uint8_t)((d >> DESC_S2_MEMATTR_SHIFT) & 0xf);
    if (tt && s2->ptw && s2_memattr_device(s, s2, ma)) {
        /* STE.S2PTW: stage 1 walks to Device memory are a stage 2 permission fault. */
        fault_set(f, SMMUV3_EVT_F_PERMISSION, true, cls, ipa);
        f->ttrnw = !acc->write;
        return 1;
    }
    if (af_update || dirty_update) {
        uint64_t nd = d | (af_update ? DESC_AF : 0) | (dirty_update ? DESC_S2AP_W : 0);
        if (write_desc(s, lf.desc_pa, nd)) {
            fault_set(f, SMMUV3_EVT_F_WALK_EABT, true, cls, ipa);
            f->fetch_addr = lf.desc_pa;
            if (tt)
                f->ttrnw = !acc->write;
            return 1;
        }
    }
    o->pa = lf.oa;
    o->level = lf.level;
    o->size_log2 = lf.size_log2;
    o->s2ap = p.s2ap;
    o->s2xn = p.s2xn;
    o->s2dbm = clean && !dirty_update;
    o->memattr = ma;
    o->sh = (uint8_t)((d >> DESC_SH_SHIFT) & 3);
    return 0;
}

/* ------------------------------------------------------------ attributes (13.x, Arm ARM D8.6) */
/* Normal memory cacheability of a MAIR nibble: 0 NC, 1 WT, 2 WB. */
static unsigned cache_kind(unsigned n)
{
    if (n == 4)
        return 0;
    switch (n >> 2) {
    case 0: case 2: return 1;   /* write-through (transient / non-transient) */
    case 1: case 3: return 2;   /* write-back */
    default: return 0;
    }
}

static uint8_t kind_nibble(unsigned kind, unsigned s1n)
{
    if (kind == 0)
        return 4;
    if (cache_kind(s1n) == kind)
        return (uint8_t)s1n;
    /* Stage 1 Write-Back, stage 2 Write-Through: Write-Through with the stage 1
     * allocation and transient hints (Arm ARM S2CombineS1AttrHints). */
    return (uint8_t)(s1n & ~4u);
}

/* Stage 2 MemAttr[3:0] as a MAIR-style byte (no FWB). */
static uint8_t s2_to_mair(uint8_t ma)
{
    if ((ma & 0xc) == 0)
        return (uint8_t)((ma & 3) << 2);   /* Device nGnRnE / nGnRE / nGRE / GRE */
    static const uint8_t nib[4] = { 0x4, 0x4, 0xb, 0xf };  /* 00 (reserved: NC), NC, WT, WB */
    return (uint8_t)(nib[(ma >> 2) & 3] << 4 | nib[ma & 3]);
}

static bool mair_device(uint8_t m) { return (m & 0xf0) == 0; }

static uint8_t combine_mair(uint8_t s1, uint8_t s2)
{
    if (mair_device(s1) || mair_device(s2)) {
        uint8_t d1 = mair_device(s1) ? (s1 & 0xc) : 0xc;
        uint8_t d2 = mair_device(s2) ? (s2 & 0xc) : 0xc;
        return d1 < d2 ? d1 : d2;           /* the more restrictive Device type */
    }
    unsigned o1 = s1 >> 4, i1 = s1 & 0xf, o2 = s2 >> 4, i2 = s2 & 0xf;
    unsigned ok = cache_kind(o1) < cache_kind(o2) ? cache_kind(o1) : cache_kind(o2);
    unsigned ik = cache_kind(i1) < cache_kind(i2) ? cache_kind(i1) : cache_kind(i2);
    return (uint8_t)(kind_nibble(ok, o1) << 4 | kind_nibble(ik, i1));
}

/* FEAT_S2FWB forced Write-Back of one stage 1 MAIR nibble: a cacheable
 * nibble keeps its allocation and transient hints, Non-cacheable becomes
 * Write-Back RWA non-transient. */
static uint8_t force_wb_nibble(uint8_t n)
{
    if (cache_kind(n) == 0)
        return 0xf;
    return (uint8_t)(n | 4);   /* 0b00RW -> 0b01RW, 0b10RW -> 0b11RW */
}

static uint8_t sh_rank(uint8_t sh) { return sh == 2 ? 2 : sh == 3 ? 1 : 0; }

static uint8_t final_sh(uint8_t mair, uint8_t sh)
{
    /* Device and Normal Non-cacheable are Outer Shareable. */
    if (mair_device(mair) || (cache_kind(mair >> 4) == 0 && cache_kind(mair & 0xf) == 0))
        return 2;
    return sh == 1 ? 0 : sh;
}

/* Combine stage 1 (MAIR byte, SH) with stage 2 (MemAttr, SH); has_s1 false: stage 2 only. */
static void attrs_combine(const smmuv3 *s, const smmu_s2_cfg *s2, bool has_s1, uint8_t m1, uint8_t sh1,
                          uint8_t ma2, uint8_t sh2, smmuv3_attrs *a)
{
    uint8_t m;
    uint8_t sh;
    if (s->cfg.fwb && s2->fwb) {
        /* FEAT_S2FWB encoding of MemAttr. */
        if (!(ma2 & 4)) {
            uint8_t dev = (uint8_t)((ma2 & 3) << 2);
            m = has_s1 && mair_device(m1) && (m1 & 0xc) < dev ? (m1 & 0xc) : dev;
        } else {
            /* Arm ARM AArch64.S2ApplyFWBMemAttrs: MemAttr[1:0] 0b11 keeps the
             * stage 1 attributes, 0b10 forces Write-Back (stage 1 allocation
             * hints kept when stage 1 is Normal cacheable, else RWA
             * non-transient), 0b01 is Non-cacheable unless stage 1 is Device. */
            switch (ma2 & 3) {
            case 3: m = has_s1 ? m1 : 0xff; break;
            case 2:
                if (has_s1 && !mair_device(m1))
                    m = (uint8_t)(force_wb_nibble((uint8_t)(m1 >> 4)) << 4 | force_wb_nibble(m1 & 0xf));
                else
                    m = 0xff;
                break;
            case 1: m = has_s1 && mair_device(m1) ? m1 : 0x44; break;
            default: m = 0x44; break;                 /* 0b100 reserved: behaves as Non-cacheable */
            }
        }
    } else {
        uint8_t m2 = s2_to_mair(ma2);
        m = has_s1 ? combine_mair(m1, m2) : m2;
    }
    if (has_s1)
        sh = sh_rank(sh1) >= sh_rank(sh2) ? sh1 : sh2;
    else
        sh = sh2;
    a->memattr = m;
    a->sh = final_sh(m, sh);
}

void smmu_attrs_with_s2(const smmuv3 *s, const smmu_s2_cfg *s2, uint8_t in_memattr, uint8_t in_sh,
                        uint8_t s2_memattr, uint8_t s2_sh, smmuv3_attrs *out)
{
    attrs_combine(s, s2, true, in_memattr, in_sh, s2_memattr, s2_sh, out);
}

/* ------------------------------------------------------------ stage 1 */
/* Input range checks of 3.4 / 3.4.1 and the TTB0/TTB1 choice. */
static int s1_setup(const smmuv3 *s, const smmu_txcfg *cfg, uint64_t va, walk_stage *st, bool *had,
                    smmu_fault *f)
{
    const smmu_cd *cd = &cfg->cd;
    /* The EL2 (non-E2H) regime has one VA range, through TTB0 (5.4: the TTB1
     * fields are IGNORED); an address with bit 55 set fails its range check. */
    bool one_range = cfg->ste.regime == SMMU_REGIME_EL2;
    unsigned upper = one_range ? 0 : (unsigned)((va >> 55) & 1);
    const smmu_tt_cfg *tt = &cd->tt[upper];
    unsigned g = tt->granule;
    if (g != 12 && g != 14 && g != 16)
        return fault_set(f, SMMUV3_EVT_F_TRANSLATION, false, SMMU_CLASS_IN, 0);
    unsigned max = (g == 16 && s->cfg.vax) ? 52 : 48;
    unsigned inbits = tt->tsz >= 64 ? 0 : 64 - tt->tsz;
    if (inbits > max)
        inbits = max;
    if (inbits <= g)
        return fault_set(f, SMMUV3_EVT_F_TRANSLATION, false, SMMU_CLASS_IN, 0);
    unsigned addrtop = (cd->tbi >> upper) & 1 ? 55 : 63;
    uint64_t m = bits_mask(addrtop, inbits);
    if ((va & m) != (upper ? m : 0))
        return fault_set(f, SMMUV3_EVT_F_TRANSLATION, false, SMMU_CLASS_IN, 0);
    if (tt->epd)
        return fault_set(f, SMMUV3_EVT_F_TRANSLATION, false, SMMU_CLASS_IN, 0);

    unsigned stride = g - 3;
    unsigned levels = (inbits - g + stride - 1) / stride;
    unsigned ps = cd->ips ? cd->ips : s->cfg.oas;
    if (ps > s->cfg.oas)
        ps = s->cfg.oas;
    if (g != 16 && ps > 48)
        ps = 48;
    memset(st, 0, sizeof(*st));
    st->ttb = tt->ttb;
    st->g = (uint8_t)g;
    st->inbits = (uint8_t)inbits;
    st->start = (uint8_t)(4 - levels);
    st->ps = (uint8_t)ps;
    st->s2 = false;
    st->in_hi = upper ? bits_mask(63, inbits) : 0;
    st->asid = cd->asid;
    st->vmid = cfg->ste.s2.vmid;
    st->regime = cfg->ste.regime;
    st->nest = smmu_ste_s2(&cfg->ste) ? &cfg->ste.s2 : NULL;
    st->vmid_valid = st->nest != NULL;
    *had = s->cfg.had && tt->had;
    return 0;
}

static uint8_t s1_mair(const smmu_cd *cd, uint64_t d)
{
    unsigned idx = (unsigned)((d >> DESC_S1_ATTRINDX_SHIFT) & 7);
    uint8_t m = (uint8_t)(cd->mair >> (8 * idx));
    /* 5.4 CD.MAIR: the encodings UNPREDICTABLE in VMSAv8-64 are Reserved and
     * behave as Device-<type> (Attr[7:4] == 0, Attr[1:0] != 0) or as
     * Normal inner Write-Through Transient RW=0b11 (Attr[3:0] == 0). */
    if ((m & 0xf0) == 0)
        return (uint8_t)(m & 0x0c);
    if ((m & 0x0f) == 0)
        return (uint8_t)(m | 0x03);
    return m;
}

/* Effective stage 1 permissions of a leaf, after the table attributes unless HAD. */
static void s1_perm(const walk_leaf *lf, uint64_t d, bool had, smmu_perm *p)
{
    uint8_t ap = (uint8_t)((d >> DESC_AP_SHIFT) & 3);
    p->uxn = (d & DESC_UXN) != 0;
    p->pxn = (d & DESC_PXN) != 0;
    if (!had) {
        if (lf->aptable & 2)
            ap |= 2;           /* APTable[1]: no write at any level below */
        if (lf->aptable & 1)
            ap &= (uint8_t)~1u; /* APTable[0]: no EL0 access below */
        p->uxn |= lf->uxntable;
        p->pxn |= lf->pxntable;
    }
    p->ap = ap;
    p->s1 = true;
}

static int s1_translate(smmuv3 *s, const smmu_txcfg *cfg, uint64_t va, const smmu_access *acc,
                        smmu_xlate *out, smmu_fault *f)
{
    walk_stage st;
    bool had;
    if (s1_setup(s, cfg, va, &st, &had, f))
        return 1;
    walk_leaf lf;
    if (stage_walk(s, &st, va & ((1ull << st.inbits) - 1), &lf, f))
        return 1;

    const smmu_cd *cd = &cfg->cd;
    uint64_t d = lf.desc;
    bool ha = s->cfg.httu >= 1 && cd->ha;
    bool hd = s->cfg.httu >= 2 && cd->ha && cd->hd;
    bool af_update = false;
    if (!(d & DESC_AF)) {
        /* CD.AFFD is IGNORED when HA == 1 (5.4). */
        if (ha)
            af_update = true;
        else if (!cd->affd)
            return fault_set(f, SMMUV3_EVT_F_ACCESS, false, SMMU_CLASS_IN, 0);
    }
    smmu_perm p;
    memset(&p, 0, sizeof(p));
    bool clean = hd && (d & DESC_DBM) && (d & DESC_AP2);
    bool dirty_update = false;
    if (clean && acc->write) {
        /* Writable-clean: check the write as if AP[2] were 0; if permitted, mark dirty. */
        s1_perm(&lf, d & ~DESC_AP2, had, &p);
        dirty_update = true;
    } else {
        s1_perm(&lf, d, had, &p);
    }
    if (smmu_perm_check_s1(cfg, &p, acc, f))
        return 1;
    if (af_update || dirty_update) {
        uint64_t nd = (d | (af_update ? DESC_AF : 0)) & ~(dirty_update ? DESC_AP2 : 0);
        uint64_t wpa = lf.desc_pa;
        if (st.nest) {
            /* The update is a stage 2 write of the descriptor IPA (CLASS=TT, TTRnW=0). */
            static const smmu_access acc_tt_write = { .write = true, .exec = false, .priv = false };
            s2_out so;
            if (s2_translate(s, st.nest, lf.desc_ipa, &acc_tt_write, SMMU_CLASS_TT, true, &so, f))
                return 1;
            wpa = so.pa;
        }
        if (write_desc(s, wpa, nd)) {
            fault_set(f, SMMUV3_EVT_F_WALK_EABT, false, SMMU_CLASS_TT, 0);
            f->fetch_addr = wpa;
            return 1;
        }
    }
    p.dbm = clean && !dirty_update;
    out->perm = p;
    out->pa = lf.oa;
    out->ipa = lf.oa;
    out->size_log2 = lf.size_log2;
    out->global = cfg->ste.regime == SMMU_REGIME_EL2 || !(d & DESC_NG);   /* no ASIDs at EL2 without E2H */
    out->s1_level = lf.level;
    out->s1_granule = st.g;
    uint8_t m = s1_mair(cd, d);
    out->attrs.memattr = m;
    out->attrs.sh = final_sh(m, (uint8_t)((d >> DESC_SH_SHIFT) & 3));
    out->attrs.ns = true;
    return 0;
}

/* ------------------------------------------------------------ entry points */
int smmu_walk_s2(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                 uint8_t cls, smmu_xlate *out, smmu_fault *f)
{
    s->stats.walks++;
    s2_out so;
    if (s2_translate(s, s2, ipa, acc, cls, cls != SMMU_CLASS_IN, &so, f))
        return 1;
    memset(out, 0, sizeof(*out));
    out->pa = so.pa;
    out->ipa = ipa;
    out->size_log2 = so.size_log2;
    out->s2_size_log2 = so.size_log2;
    out->s2_level = so.level;
    out->s2_granule = s2->granule;
    out->global = true;
    out->perm.s2 = true;
    out->perm.s2ap = so.s2ap;
    out->perm.s2xn = so.s2xn;
    out->perm.s2dbm = so.s2dbm;
    out->s2_memattr = so.memattr;
    out->s2_sh = so.sh;
    attrs_combine(s, s2, false, 0, 0, so.memattr, so.sh, &out->attrs);
    out->attrs.ns = true;
    out->attrs.priv = acc->priv;
    out->attrs.inst = acc->exec;
    return 0;
}

int smmu_walk(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_access *acc,
              smmu_xlate *out, smmu_fault *f)
{
    memset(out, 0, sizeof(*out));
    memset(f, 0, sizeof(*f));
    s->stats.walks++;
    bool s1 = smmu_ste_s1(&cfg->ste) && cfg->has_cd;
    bool s2 = smmu_ste_s2(&cfg->ste);

    uint64_t ipa = iova;
    if (s1) {
        if (s1_translate(s, cfg, iova, acc, out, f))
            return 1;
        ipa = out->pa;
    } else {
        /* Stage 1 bypassed: the input must fit the IAS (= OAS here), else a
         * stage 1 Address Size fault (3.4). */
        if (iova >> s->cfg.oas)
            return fault_set(f, SMMUV3_EVT_F_ADDR_SIZE, false, SMMU_CLASS_IN, 0);
        out->pa = out->ipa = iova;
        out->size_log2 = (uint8_t)s->cfg.oas;
        out->global = true;
        out->attrs.memattr = 0xff;   /* no stage 1: the STE overrides / incoming attributes apply */
        out->attrs.sh = 3;
        out->attrs.ns = true;
    }
    if (s2) {
        s2_out so;
        if (s2_translate(s, &cfg->ste.s2, ipa, acc, SMMU_CLASS_IN, false, &so, f))
            return 1;
        out->ipa = ipa;
        out->pa = so.pa;
        out->s2_level = so.level;
        out->s2_granule = cfg->ste.s2.granule;
        out->s2_size_log2 = so.size_log2;
        if (!s1 || so.size_log2 < out->size_log2)
            out->size_log2 = so.size_log2;
        out->perm.s2 = true;
        out->perm.s2ap = so.s2ap;
        out->perm.s2xn = so.s2xn;
        out->perm.s2dbm = so.s2dbm;
        out->s2_memattr = so.memattr;
        out->s2_sh = so.sh;
        attrs_combine(s, &cfg->ste.s2, s1, out->attrs.memattr, out->attrs.sh, so.memattr, so.sh, &out->attrs);
    }
    out->attrs.ns = true;
    out->attrs.priv = acc->priv;
    out->attrs.inst = acc->exec && !acc->write;
    /* Both stages have passed their checks; the final check is the one a TLB hit makes. */
    return smmu_perm_check(s, cfg, out, acc, f);
}
