/* Example: a driver with three classic bugs, run with the driver checker on.
 * It prints what the checker reports (README "Checking a driver"). */
#include <stdio.h>
#include <smmuv3/smmuv3.h>

static void report(void *ctx, const smmuv3_diag *d)
{
    (void)ctx;
    printf("%s sid=%d addr=0x%llx\n  %s\n", smmuv3_diag_name(d->code), d->sid == UINT32_MAX ? -1 : (int)d->sid,
           (unsigned long long)d->addr, d->msg);
}

/* A stage 1 domain for `sid`: ASID `asid`, IOVA 0x10000 -> `pa`. */
static int domain(smmuv3_space *sp, smmuv3_strtab *st, uint32_t sid, uint16_t asid, uint64_t pa, smmuv3_pt *pt)
{
    smmuv3_cdtab cds;
    smmuv3_cd_params cp;
    uint8_t cd[SMMUV3_CD_BYTES], ste[SMMUV3_STE_BYTES];
    if (smmuv3_pt_init_s1(pt, sp, 12, 16, SMMUV3_BUILD_ALLOC) ||
        smmuv3_pt_map(pt, 0x10000, pa, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0) ||
        smmuv3_cdtab_init(&cds, sp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC) ||
        smmuv3_cd_params_from_pt(pt, asid, &cp) || smmuv3_cd_s1(cd, &cp) || smmuv3_cdtab_write_cd(&cds, 0, cd) ||
        smmuv3_ste_s1(ste, cds.base, cds.fmt, cds.cdmax))
        return -1;
    return smmuv3_strtab_write_ste(st, sid, ste);
}

int main(void)
{
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host host;
    smmuv3_config cfg;
    smmuv3 *smmu = NULL;
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_strtab st;
    smmuv3_driver drv;
    smmuv3_pt pt1, pt2;
    if (!mem)
        return 1;
    smmuv3_host_from_mem(&host, mem);
    smmuv3_config_default(&cfg);
    if (smmuv3_new(&cfg, &host, &smmu))
        return 1;
    smmuv3_set_diag(smmu, report, NULL);
    if (smmuv3_alloc_init(&al, 0x40000000ull, 0x1000000) || smmuv3_space_init(&sp, &host, &al) ||
        smmuv3_strtab_init_linear(&st, &sp, 8, SMMUV3_BUILD_ALLOC) || smmuv3_driver_init(&drv, smmu, &sp, &st, NULL))
        return 1;

    smmuv3_txn t = { .sid = 1, .addr = 0x10000 };
    smmuv3_result r;
    /* bug 1: every domain gets ASID 0 */
    if (domain(&sp, &st, 1, 0, 0x80000000ull, &pt1) || domain(&sp, &st, 2, 0, 0x90000000ull, &pt2))
        return 1;
    smmuv3_translate(smmu, &t, &r);
    t.sid = 2;
    smmuv3_translate(smmu, &t, &r);
    /* bug 2: a page remapped with no TLBI */
    smmuv3_pt_map(&pt1, 0x10000, 0xA0000000ull, 0x1000, SMMUV3_MAP_RW | SMMUV3_MAP_NG, 0);
    t.sid = 1;
    smmuv3_translate(smmu, &t, &r);
    /* bug 3: a stream switched to bypass with no CFGI_STE */
    uint8_t ste[SMMUV3_STE_BYTES];
    smmuv3_ste_bypass(ste);
    smmuv3_strtab_write_ste(&st, 2, ste);
    t.sid = 2;
    smmuv3_translate(smmu, &t, &r);

    smmuv3_stats s;
    smmuv3_get_stats(smmu, &s);
    printf("reports: STALE_STE %llu, STALE_TLB %llu, TAG_ALIAS %llu\n", (unsigned long long)s.diags[SMMUV3_DIAG_STALE_STE],
           (unsigned long long)s.diags[SMMUV3_DIAG_STALE_TLB], (unsigned long long)s.diags[SMMUV3_DIAG_TAG_ALIAS]);
    smmuv3_free(smmu);
    smmuv3_mem_free(mem);
    return 0;
}
