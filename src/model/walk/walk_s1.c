/* SPDX-License-Identifier: MIT */
/* Stage 1 walks (CD: TTB0/TTB1, TBI, EPD, MAIR, permissions) and the walk of a
 * whole transaction (stage 1, stage 2 or nested) for translate.c; the
 * one-stage walker, stage 2 and the fault order are in walk.c. */
#include <string.h>
#include "model/walk/walk_int.h"
#include "model/walk/perm.h"

/* ------------------------------------------------------------ stage 1 */
/* Input range checks of 3.4 / 3.4.1 and the TTB0/TTB1 choice. */
static int s1_setup(const smmuv3 *s, const smmu_txcfg *cfg, uint64_t va, walk_stage *st, bool *had,
                    smmu_fault *f)
{
    const smmu_cd *cd = &cfg->cd;
    /* The EL2 (non-E2H) regime has one VA range, through TTB0 (5.4: the TTB1
     * fields are IGNORED); an address with bit 55 set fails its range check. */
    bool one_range = smmu_regime_one_range(cfg->ste.regime);
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

    /* The start level resolves what the levels below it do not: with small
     * translation tables (IDR3.STT, TxSZ 40..48) that is level 3 alone,
     * indexed by VA[inbits-1:g] (4K T0SZ 48: 16 entries). */
    unsigned stride = g - 3, levels = 1;
    while (g + levels * stride < inbits)   /* levels = ceil((inbits - g) / stride), no divide */
        levels++;
    smmu_walk_stage_init(s, st, tt->ttb, g, inbits, 4 - levels, cd->ips);
    st->in_hi = upper ? bits_mask(63, inbits) : 0;
    st->asid = cd->asid;
    st->vmid = cfg->ste.s2.vmid;
    st->regime = cfg->ste.regime;
    st->nest = smmu_ste_s2(&cfg->ste) ? &cfg->ste.s2 : NULL;
    st->vmid_valid = st->nest != NULL;
    /* 3.10.2.2, 5.4: a Secure stream's walk starts in the space CD.NSCFGn
     * names (an IPA space when nested); a Non-secure stream's is Non-secure. */
    st->secure = cfg->ste.secure;
    st->ns = !cfg->ste.secure || tt->nscfg;
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
    if (smmu_stage_walk(s, &st, va & ((1ull << st.inbits) - 1), &lf, f))
        return 1;

    const smmu_cd *cd = &cfg->cd;
    uint64_t d = lf.desc;
    bool ha = s->cfg.httu >= 1 && cd->ha;
    bool hd = s->cfg.httu >= 2 && cd->ha && cd->hd;
    int af = smmu_leaf_af(d, ha, cd->affd);   /* CD.AFFD is IGNORED when HA == 1 (5.4) */
    if (af < 0)
        return fault_set(f, SMMUV3_EVT_F_ACCESS, false, SMMU_CLASS_IN, 0);
    bool af_update = af > 0;
    smmu_perm p;
    memset(&p, 0, sizeof(p));
    /* Writable-clean: DBM with AP[2] == 1, unless APTable[1] removes write
     * (3.13.3.1: DBM does not override the hierarchical permissions). */
    bool clean = hd && (d & DESC_DBM) && (d & DESC_AP2) && (had || !(lf.aptable & 2));
    /* A write is checked as if AP[2] were 0 and, if permitted, marks it dirty;
     * other accesses see it writable for execute permission (p.dbm, 3.13.8). */
    bool dirty_update = clean && acc->write;
    s1_perm(&lf, dirty_update ? d & ~DESC_AP2 : d, had, &p);
    p.dbm = clean && !dirty_update;
    if (smmu_perm_check_s1(cfg, &p, acc, f))
        return 1;
    if (dirty_update && acc->ats && !(smmu_perm_s1_rwx(cfg, &p, acc->priv) & SMMUV3_PERM_W)) {
        s1_perm(&lf, d, had, &p);   /* ATS NW == 0, but not writable here: stays clean (13.7) */
        p.dbm = true;
        dirty_update = false;
    }
    if (af_update || dirty_update) {
        uint64_t nd = (d | (af_update ? DESC_AF : 0)) & ~(dirty_update ? DESC_AP2 : 0);
        uint64_t wpa = lf.desc_pa;
        bool wns = lf.ns;
        if (st.nest) {
            /* The update is a stage 2 write of the descriptor IPA (CLASS=TT, TTRnW=0). */
            static const smmu_access acc_tt_write = { .write = true, .exec = false, .priv = false };
            s2_out so;
            smmu_s2_cfg space;
            smmu_s2_space(st.nest, lf.ns, &space);
            if (smmu_s2_translate(s, &space, lf.desc_ipa, &acc_tt_write, SMMU_CLASS_TT, true, &so, f))
                return 1;
            wpa = so.pa;
            wns = so.ns;
        }
        if (write_desc(s, wns, wpa, nd)) {
            fault_set(f, SMMUV3_EVT_F_WALK_EABT, false, SMMU_CLASS_TT, 0);
            f->fetch_addr = wpa;
            return 1;
        }
    }
    out->perm = p;
    out->pa = lf.oa;
    out->ipa = lf.oa;
    out->size_log2 = lf.size_log2;
    out->global = smmu_regime_one_range(cfg->ste.regime) || !(d & DESC_NG);   /* no ASIDs at EL2 without E2H */
    /* 3.17.1: a Secure stream's translation is non-global when its descriptor
     * is fetched from Non-secure memory (lf.desc_ns): below an NSTable == 1
     * table, with CD.NSCFGx == 1, or, nested, through a stage 2 that outputs
     * Non-secure; and, nested, from the Non-secure IPA space (lf.ns; 3.10.2.2). */
    if (cfg->ste.secure && (lf.ns || lf.desc_ns))
        out->global = false;
    out->s1_level = lf.level;
    out->s1_granule = st.g;
    uint8_t m = s1_mair(cd, d);
    out->attrs.memattr = m;
    out->attrs.sh = smmu_attrs_final_sh(m, (uint8_t)((d >> DESC_SH_SHIFT) & 3));
    /* Output space (3.10.2, 13): Non-secure for a Non-secure stream; for a
     * Secure one, Non-secure once the walk is (NSCFGn/NSTable), else the
     * leaf's NS bit. */
    out->s1_ns = !cfg->ste.secure || lf.ns || (d & DESC_NS);
    out->attrs.ns = out->s1_ns;
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
        out->s1_ns = acc->ns;        /* STE.NSCFG applied to the input NS attribute (5.2) */
        out->attrs.ns = acc->ns;
    }
    if (s2) {
        s2_out so;
        smmu_access a2 = *acc;
        /* ATS: stage 2 marks a page dirty only for a write stage 1 grants (13.7). */
        if (acc->ats && s1 && !(smmu_perm_s1_rwx(cfg, &out->perm, acc->priv) & SMMUV3_PERM_W))
            a2.write = false;
        smmu_s2_cfg space;   /* a Secure stream: the IPA space stage 1 (or NSCFG) chose */
        smmu_s2_space(&cfg->ste.s2, out->s1_ns, &space);
        if (smmu_s2_translate(s, &space, ipa, &a2, SMMU_CLASS_IN, false, &so, f))
            return 1;
        smmu_xlate_put_s2(s, &cfg->ste.s2, ipa, &so, s1, out);
    }
    out->attrs.priv = acc->priv;
    out->attrs.inst = acc->exec && !acc->write;
    /* Both stages have passed their checks; the final check is the one a TLB hit makes. */
    return smmu_perm_check(s, cfg, out, acc, f, NULL);
}
