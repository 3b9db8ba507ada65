/* Example: create flat memory and an SMMU with the default profile, print the ID registers decoded. */
#include <stdio.h>
#include <smmuv3/smmuv3.h>

static void print_reg(smmuv3 *s, const char *name)
{
    const smmuv3_reg *r = smmuv3_reg_find(name);
    uint64_t v = smmuv3_mmio_read(s, r->offset, r->size);
    uint8_t img[8] = { 0 };
    for (int i = 0; i < 8; i++)
        img[i] = (uint8_t)(v >> (8 * i));
    printf("%-6s 0x%08llx\n", r->name, (unsigned long long)v);
    for (unsigned i = 0; i < r->layout->nfields; i++) {
        const smmuv3_field *f = &r->layout->fields[i];
        printf("    %-16s %llu\n", f->name, (unsigned long long)smmuv3_field_get(f, img));
    }
}

int main(void)
{
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host host;
    smmuv3_config cfg;
    smmuv3 *smmu = NULL;
    if (!mem)
        return 1;
    smmuv3_host_from_mem(&host, mem);
    smmuv3_config_default(&cfg);
    int rc = smmuv3_new(&cfg, &host, &smmu);
    if (rc) {
        fprintf(stderr, "smmuv3_new: %s\n", smmuv3_strerror(rc));
        smmuv3_mem_free(mem);
        return 1;
    }
    const char *regs[] = { "idr0", "idr1", "idr3", "idr5", "iidr", "aidr" };
    for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
        print_reg(smmu, regs[i]);
    smmuv3_free(smmu);
    smmuv3_mem_free(mem);
    return 0;
}
