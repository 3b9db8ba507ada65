/* An out-of-tree program built against the installed library. */
#include <stdio.h>
#include <smmuv3/smmuv3.h>
int main(void)
{
    smmuv3_mem *mem = smmuv3_mem_new();
    smmuv3_host host;
    smmuv3_config cfg;
    smmuv3 *s = NULL;
    smmuv3_host_from_mem(&host, mem);
    smmuv3_config_default(&cfg);
    if (smmuv3_new(&cfg, &host, &s))
        return 1;
    printf("IDR0=0x%08llx\n", (unsigned long long)smmuv3_mmio_read(s, 0, 4));
    smmuv3_free(s);
    smmuv3_mem_free(mem);
    return 0;
}
