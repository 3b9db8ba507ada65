/* SPDX-License-Identifier: MIT */
/* The IOTLB tests' shared fixtures and commands (see tlbfx.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "tlbfx.h"

/* ------------------------------------------------------------ fixtures */

smmuv3 *make_cfg(fx *f, const smmuv3_config *c)
{
    smmuv3_host h;
    f->mem = smmuv3_mem_new();
    smmuv3_host_from_mem(&h, f->mem);
    f->s = NULL;
    assert_int_equal(smmuv3_new(c, &h, &f->s), 0);
    return f->s;
}

smmuv3 *make(fx *f, unsigned entries)
{
    smmuv3_config c;
    smmuv3_config_default(&c);
    c.tlb_entries = entries;
    return make_cfg(f, &c);
}

void done(fx *f)
{
    smmuv3_free(f->s);
    smmuv3_mem_free(f->mem);
}

smmu_txcfg s1(uint16_t asid, uint16_t vmid)
{
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S1;
    c.ste.regime = SMMU_REGIME_EL1;
    c.ste.s2.vmid = vmid;
    c.has_cd = true;
    c.cd.asid = asid;
    return c;
}

smmu_txcfg s1_regime(uint16_t asid, unsigned regime)
{
    smmu_txcfg c = s1(asid, 0);
    c.ste.regime = (uint8_t)regime;
    c.ste.strw = 2;
    return c;
}

smmu_txcfg s2only(uint16_t vmid)
{
    smmu_txcfg c;
    memset(&c, 0, sizeof(c));
    c.ste.config = SMMU_STE_CFG_S2;
    c.ste.regime = SMMU_REGIME_EL1;
    c.ste.s2.vmid = vmid;
    return c;
}

smmu_txcfg nested(uint16_t asid, uint16_t vmid)
{
    smmu_txcfg c = s1(asid, vmid);
    c.ste.config = SMMU_STE_CFG_NESTED;
    return c;
}

uint8_t level_of(unsigned granule, unsigned size)
{
    unsigned stride = granule - 3;
    return (uint8_t)(3 - (size - granule) / stride);
}

/* A stage 1 translation of 2^size bytes from a walk with 4K granule (or g). */
smmu_xlate xg(uint64_t pa, unsigned size, bool global, unsigned g)
{
    smmu_xlate x;
    memset(&x, 0, sizeof(x));
    x.pa = pa;
    x.size_log2 = (uint8_t)size;
    x.global = global;
    x.s1_granule = (uint8_t)g;
    x.s1_level = level_of(g, size);
    x.perm.s1 = true;
    x.perm.ap = 1;
    x.attrs.memattr = 0xff;
    return x;
}

smmu_xlate xl(uint64_t pa, unsigned size, bool global)
{
    return xg(pa, size, global, 12);
}

/* A stage 2-only translation (input = IPA). */
smmu_xlate x2(uint64_t pa, unsigned size, unsigned g)
{
    smmu_xlate x;
    memset(&x, 0, sizeof(x));
    x.pa = pa;
    x.size_log2 = (uint8_t)size;
    x.s2_granule = (uint8_t)g;
    x.s2_level = level_of(g, size);
    x.s2_size_log2 = (uint8_t)size;
    x.perm.s2 = true;
    x.perm.s2ap = 3;
    return x;
}

/* Insert a translation of `iova` (any address inside the region). */
void put(smmuv3 *s, smmu_txcfg c, uint64_t iova, smmu_xlate x)
{
    if (c.ste.config == SMMU_STE_CFG_S2)
        x.ipa = iova;
    smmu_tlb_insert(s, &c, iova, &x);
}

/* True on a hit; checks the output address. */
bool hit(smmuv3 *s, smmu_txcfg c, uint64_t iova, uint64_t pa)
{
    smmu_xlate o;
    memset(&o, 0x5a, sizeof(o));
    if (!smmu_tlb_lookup(s, &c, iova, &o))
        return false;
    assert_int_equal(o.pa, pa);
    return true;
}

/* ------------------------------------------------------------ commands */
void run(smmuv3 *s, const uint64_t c[2])
{
    smmu_tlb_command(s, (unsigned)fget(c, F_CMD_TLBI_NH_ALL_opcode), c);
}

void nh_all(smmuv3 *s, uint16_t vmid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_ALL_opcode, SMMUV3_CMD_TLBI_NH_ALL);
    fset(c, F_CMD_TLBI_NH_ALL_vmid, vmid);
    run(s, c);
}

void nh_asid(smmuv3 *s, uint16_t vmid, uint16_t asid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_ASID_opcode, SMMUV3_CMD_TLBI_NH_ASID);
    fset(c, F_CMD_TLBI_NH_ASID_vmid, vmid);
    fset(c, F_CMD_TLBI_NH_ASID_asid, asid);
    run(s, c);
}

/* Range parameters (TG = 0: a single address). */


void nh_va(smmuv3 *s, uint16_t vmid, uint16_t asid, uint64_t va, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_VA_opcode, SMMUV3_CMD_TLBI_NH_VA);
    fset(c, F_CMD_TLBI_NH_VA_vmid, vmid);
    fset(c, F_CMD_TLBI_NH_VA_asid, asid);
    fset_addr(c, F_CMD_TLBI_NH_VA_address, va);
    fset(c, F_CMD_TLBI_NH_VA_leaf, 1);
    SET_RANGE(c, TLBI_NH_VA, r);
    run(s, c);
}

void nh_vaa(smmuv3 *s, uint16_t vmid, uint64_t va, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_VAA_opcode, SMMUV3_CMD_TLBI_NH_VAA);
    fset(c, F_CMD_TLBI_NH_VAA_vmid, vmid);
    fset_addr(c, F_CMD_TLBI_NH_VAA_address, va);
    SET_RANGE(c, TLBI_NH_VAA, r);
    run(s, c);
}

void el2_all(smmuv3 *s)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_ALL_opcode, SMMUV3_CMD_TLBI_EL2_ALL);
    run(s, c);
}

void el2_asid(smmuv3 *s, uint16_t asid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_ASID_opcode, SMMUV3_CMD_TLBI_EL2_ASID);
    fset(c, F_CMD_TLBI_EL2_ASID_asid, asid);
    run(s, c);
}

void el2_va(smmuv3 *s, uint16_t asid, uint64_t va)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_VA_opcode, SMMUV3_CMD_TLBI_EL2_VA);
    fset(c, F_CMD_TLBI_EL2_VA_asid, asid);
    fset_addr(c, F_CMD_TLBI_EL2_VA_address, va);
    run(s, c);
}

void el2_vaa(smmuv3 *s, uint64_t va)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_EL2_VAA_opcode, SMMUV3_CMD_TLBI_EL2_VAA);
    fset_addr(c, F_CMD_TLBI_EL2_VAA_address, va);
    run(s, c);
}

void s12_vmall(smmuv3 *s, uint16_t vmid)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_S12_VMALL_opcode, SMMUV3_CMD_TLBI_S12_VMALL);
    fset(c, F_CMD_TLBI_S12_VMALL_vmid, vmid);
    run(s, c);
}

void s2_ipa(smmuv3 *s, uint16_t vmid, uint64_t ipa, rng r)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_S2_IPA_opcode, SMMUV3_CMD_TLBI_S2_IPA);
    fset(c, F_CMD_TLBI_S2_IPA_vmid, vmid);
    fset_addr(c, F_CMD_TLBI_S2_IPA_address, ipa);
    SET_RANGE(c, TLBI_S2_IPA, r);
    run(s, c);
}

void nsnh_all(smmuv3 *s)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NSNH_ALL_opcode, SMMUV3_CMD_TLBI_NSNH_ALL);
    run(s, c);
}
