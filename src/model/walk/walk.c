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

/* Fault of the stage being walked: stage 1 faults are CLASS=IN (7.3.13). */
int smmu_stage_fault(const walk_stage *st, smmu_fault *f, uint8_t ev, uint64_t in)
{
    fault_set(f, ev, st->s2, st->s2 ? st->cls : SMMU_CLASS_IN, in);
    if (st->s2 && st->tt)
        f->ttrnw = !st->ttwrite;
    return 1;
}

static const smmu_access acc_tt_read = { .write = false, .exec = false, .priv = false };

/* Walk one stage for input address `in` (already range-checked). */
int smmu_stage_walk(smmuv3 *s, const walk_stage *st, uint64_t in, walk_leaf *lf, smmu_fault *f)
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
    /* The space of each table read (3.10.2, Arm ARM NSTable): a Secure
     * stage 1 walk moves to the Non-secure space at an NSTable == 1 table
     * descriptor and stays there; every other walk keeps st->ns. */
    bool ns = st->ns;
    if (table >> st->ps)
        return smmu_stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);

    for (unsigned level = start; level <= 3; level++) {
        unsigned sh = lvl_shift(g, level);
        unsigned nbits = level == start ? startbits : stride;
        uint64_t idx = (in >> sh) & ((1ull << nbits) - 1);
        uint64_t daddr = table + idx * 8;   /* PA, or IPA when nested */
        uint64_t dpa = daddr;
        bool dns = ns;      /* the descriptor's PA space */
        uint64_t desc;

        if (st->nest) {
            /* nested: the table address is an IPA of the space `ns` names */
            s2_out so;
            smmu_s2_cfg space;
            smmu_s2_space(st->nest, ns, &space);
            if (smmu_s2_translate(s, &space, daddr, &acc_tt_read, SMMU_CLASS_TT, true, &so, f))
                return 1;
            dpa = so.pa;
            dns = so.ns;
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
            key.ns = dns;
            key.secure = st->secure;
            cached = smmu_walkcache_lookup(s, &key, &desc);
        }
        if (!cached && read_desc(s, dns, dpa, &desc)) {
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
            return smmu_stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);

        if (level < 3 && (desc & DESC_TABLE)) {
            uint64_t next = desc_oa(s, g, desc, g);
            if (next >> st->ps)
                return smmu_stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);
            if (!cached && s->cfg.walk_entries)
                smmu_walkcache_insert(s, &key, desc);
            if (!st->s2) {
                lf->aptable |= (uint8_t)((desc >> DESC_APTABLE_SHIFT) & 3);
                lf->uxntable |= (desc & DESC_UXNTABLE) != 0;
                lf->pxntable |= (desc & DESC_PXNTABLE) != 0;
                if (st->secure && (desc & DESC_NSTABLE))
                    ns = true;
            }
            table = next;
            continue;
        }
        /* Block (levels 0..2) or page (level 3). */
        if (level == 3 ? !(desc & DESC_TABLE) : !block_legal(s, g, level))
            return smmu_stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);
        uint64_t oa = desc_oa(s, g, desc, sh);
        if (oa >> st->ps)
            return smmu_stage_fault(st, f, SMMUV3_EVT_F_ADDR_SIZE, in);
        lf->desc = desc;
        lf->desc_pa = dpa;
        lf->desc_ipa = daddr;
        lf->ns = st->nest ? ns : dns;   /* nested: the IPA space of the descriptor */
        lf->desc_ns = dns;
        lf->oa = oa | (in & ((1ull << sh) - 1));
        lf->level = (uint8_t)level;
        lf->size_log2 = (uint8_t)sh;
        return 0;
    }
    /* Not reached: level 3 always returns. */
    return smmu_stage_fault(st, f, SMMUV3_EVT_F_TRANSLATION, in);
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
    smmu_walk_stage_init(s, st, s2->ttb, g, inbits, start, s2->ps);
    st->s2 = true;
    st->vmid = s2->vmid;
    st->ns = s2->walk_ns;
    st->secure = s2->secure;
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
        smmu_stage_fault(&st, f, SMMUV3_EVT_F_TRANSLATION, ipa);
        return 1;
    }
    walk_leaf lf;
    if (smmu_stage_walk(s, &st, ipa, &lf, f))
        return 1;

    uint64_t d = lf.desc;
    bool ha = s->cfg.httu >= 1 && s2->ha;
    bool hd = s->cfg.httu >= 2 && s2->ha && s2->hd;
    int af = smmu_leaf_af(d, ha, s2->affd);   /* S2AFFD is IGNORED when S2HA is in use (5.2) */
    if (af < 0)
        return smmu_stage_fault(&st, f, SMMUV3_EVT_F_ACCESS, ipa);
    bool af_update = af > 0;
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
        if (write_desc(s, st.ns, lf.desc_pa, nd)) {
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
    o->ns = s2->out_ns;
    return 0;
}


/* A stage 2 fault says which IPA space it was in (7.3: NSIPA). */
int smmu_s2_translate(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                      uint8_t cls, bool tt, s2_out *o, smmu_fault *f)
{
    if (!s2_translate(s, s2, ipa, acc, cls, tt, o, f))
        return 0;
    f->nsipa = s2->ns_ipa;
    return 1;
}

void smmu_xlate_put_s2(const smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const s2_out *so, bool has_s1,
                       smmu_xlate *out)
{
    out->ipa = ipa;
    out->pa = so->pa;
    out->s2_level = so->level;
    out->s2_granule = s2->granule;
    out->s2_size_log2 = so->size_log2;
    if (!has_s1 || so->size_log2 < out->size_log2)
        out->size_log2 = so->size_log2;
    out->perm.s2 = true;
    out->perm.s2ap = so->s2ap;
    out->perm.s2xn = so->s2xn;
    out->perm.s2dbm = so->s2dbm;
    out->s2_memattr = so->memattr;
    out->s2_sh = so->sh;
    smmu_attrs_combine(s, s2, has_s1, out->attrs.memattr, out->attrs.sh, so->memattr, so->sh, &out->attrs);
    out->attrs.ns = so->ns;
}

/* ------------------------------------------------------------ entry points */
int smmu_walk_s2(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                 uint8_t cls, smmu_xlate *out, smmu_fault *f)
{
    s->stats.walks++;
    s2_out so;
    if (smmu_s2_translate(s, s2, ipa, acc, cls, cls != SMMU_CLASS_IN, &so, f))
        return 1;
    memset(out, 0, sizeof(*out));
    out->global = true;
    smmu_xlate_put_s2(s, s2, ipa, &so, false, out);
    out->attrs.priv = acc->priv;
    out->attrs.inst = acc->exec;
    return 0;
}
