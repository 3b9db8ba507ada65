/* SPDX-License-Identifier: MIT */
/* Memory attributes of a translation (IHI 0070 13.x, Arm ARM D8.6): MAIR
 * decoding, the stage 1 + stage 2 combination rules, FEAT_S2FWB, and the
 * final shareability. */
#include "model/walk/walk_int.h"

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

uint8_t smmu_attrs_final_sh(uint8_t mair, uint8_t sh)
{
    /* Device and Normal Non-cacheable are Outer Shareable. */
    if (mair_device(mair) || (cache_kind(mair >> 4) == 0 && cache_kind(mair & 0xf) == 0))
        return 2;
    return sh == 1 ? 0 : sh;
}

/* Combine stage 1 (MAIR byte, SH) with stage 2 (MemAttr, SH); has_s1 false: stage 2 only. */
void smmu_attrs_combine(const smmuv3 *s, const smmu_s2_cfg *s2, bool has_s1, uint8_t m1, uint8_t sh1,
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
             * non-transient), 0b01 is Non-cacheable unless stage 1 is Device.
             * 0b00 (MemAttr[2:0] 0b100) falls in the pseudocode's last branch
             * with 0b01: Non-cacheable, or stage 1's Device type (IHI 0070
             * 13.1.6: S2FWB behaves as FEAT_S2FWB). */
            switch (ma2 & 3) {
            case 3: m = has_s1 ? m1 : 0xff; break;
            case 2:
                if (has_s1 && !mair_device(m1))
                    m = (uint8_t)(force_wb_nibble((uint8_t)(m1 >> 4)) << 4 | force_wb_nibble(m1 & 0xf));
                else
                    m = 0xff;
                break;
            default: m = has_s1 && mair_device(m1) ? m1 : 0x44; break;
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
    a->sh = smmu_attrs_final_sh(m, sh);
}

void smmu_attrs_with_s2(const smmuv3 *s, const smmu_s2_cfg *s2, uint8_t in_memattr, uint8_t in_sh,
                        uint8_t s2_memattr, uint8_t s2_sh, smmuv3_attrs *out)
{
    smmu_attrs_combine(s, s2, true, in_memattr, in_sh, s2_memattr, s2_sh, out);
}

