/* SPDX-License-Identifier: MIT */
/* The IOTLB tests' shared fixtures and commands (see tlbfx.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "fixture.h"
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
    fixture_free_instance(&f->s, &f->mem);
}

static void done_obj(void *f) { done(f); }

int tlbfx_setup(void **state) { return fixture_zeroed(state, sizeof(fx)); }
int tlbfx_teardown(void **state) { return fixture_release(state, done_obj); }

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
    smmu_tlb_command_sec(s, (unsigned)fget(c, F_CMD_TLBI_NH_ALL_opcode), c, false);
}

/* The TLBI commands share one layout (IHI 0070 4.4.2-4.4.4): VMID in word 0
 * [47:32], ASID in [63:48], the address from bit 12 of word 1 ([55:12] for an
 * IPA), Leaf, TTL, TG, NUM and SCALE where TLBI_NH_VA has them. One encoder
 * writes them all with TLBI_NH_VA's field names; a command that lacks a field
 * gets 0 there. The assertions hold the other commands to that layout. */
#define SAME_FIELD(a, b) _Static_assert(F_CMD_##a == F_CMD_TLBI_NH_VA_##b, #a " is where NH_VA has " #b)
SAME_FIELD(TLBI_NH_ALL_vmid, vmid);
SAME_FIELD(TLBI_NH_ASID_vmid, vmid);
SAME_FIELD(TLBI_NH_ASID_asid, asid);
SAME_FIELD(TLBI_NH_VAA_vmid, vmid);
SAME_FIELD(TLBI_NH_VAA_address, address);
SAME_FIELD(TLBI_NH_VAA_tg, tg);
SAME_FIELD(TLBI_NH_VAA_num, num);
SAME_FIELD(TLBI_EL2_ASID_asid, asid);
SAME_FIELD(TLBI_EL2_VA_asid, asid);
SAME_FIELD(TLBI_EL2_VA_address, address);
SAME_FIELD(TLBI_EL2_VAA_address, address);
SAME_FIELD(TLBI_S12_VMALL_vmid, vmid);
SAME_FIELD(TLBI_S2_IPA_vmid, vmid);
SAME_FIELD(TLBI_S2_IPA_ttl, ttl);
SAME_FIELD(TLBI_S2_IPA_scale, scale);

typedef struct tlbi {
    unsigned op;
    uint16_t vmid, asid;
    uint64_t addr;
    bool leaf;
    rng r;
} tlbi;

static void tlbi_run(smmuv3 *s, tlbi t)
{
    uint64_t c[2] = { 0, 0 };
    fset(c, F_CMD_TLBI_NH_VA_opcode, t.op);
    fset(c, F_CMD_TLBI_NH_VA_vmid, t.vmid);
    fset(c, F_CMD_TLBI_NH_VA_asid, t.asid);
    fset_addr(c, t.op == SMMUV3_CMD_TLBI_S2_IPA ? F_CMD_TLBI_S2_IPA_address : F_CMD_TLBI_NH_VA_address,
              t.addr);
    fset(c, F_CMD_TLBI_NH_VA_leaf, t.leaf);
    SET_RANGE(c, TLBI_NH_VA, t.r);
    run(s, c);
}

void nh_all(smmuv3 *s, uint16_t vmid)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_NH_ALL, .vmid = vmid });
}

void nh_asid(smmuv3 *s, uint16_t vmid, uint16_t asid)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_NH_ASID, .vmid = vmid, .asid = asid });
}

void nh_va(smmuv3 *s, uint16_t vmid, uint16_t asid, uint64_t va, rng r)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_NH_VA, .vmid = vmid, .asid = asid, .addr = va, .leaf = true,
                        .r = r });
}

void nh_vaa(smmuv3 *s, uint16_t vmid, uint64_t va, rng r)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_NH_VAA, .vmid = vmid, .addr = va, .r = r });
}

void el2_all(smmuv3 *s)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_EL2_ALL });
}

void el2_asid(smmuv3 *s, uint16_t asid)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_EL2_ASID, .asid = asid });
}

void el2_va(smmuv3 *s, uint16_t asid, uint64_t va)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_EL2_VA, .asid = asid, .addr = va });
}

void el2_vaa(smmuv3 *s, uint64_t va)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_EL2_VAA, .addr = va });
}

void s12_vmall(smmuv3 *s, uint16_t vmid)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_S12_VMALL, .vmid = vmid });
}

void s2_ipa(smmuv3 *s, uint16_t vmid, uint64_t ipa, rng r)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_S2_IPA, .vmid = vmid, .addr = ipa, .r = r });
}

void nsnh_all(smmuv3 *s)
{
    tlbi_run(s, (tlbi){ .op = SMMUV3_CMD_TLBI_NSNH_ALL });
}
