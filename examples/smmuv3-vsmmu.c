/*
 * smmuv3-vsmmu: libsmmuv3 as the front end of an accelerated vSMMU.
 *
 * Three parties, all in this process:
 *  - the HOST: a libsmmuv3 instance playing the physical SMMU. It owns stage 2
 *    (guest IPA -> host PA) and runs the guest's stage 1 nested on it, as an
 *    iommufd-backed vSMMU does on real hardware;
 *  - the GUEST: a driver that programs its (virtual) SMMU: stream table, CD,
 *    page tables, invalidations. Everything it writes is in guest memory (IPAs);
 *  - the VMM: a second libsmmuv3 instance, the vSMMU the guest sees, plus the
 *    glue VMM authors write with <smmuv3/vsmmu.h>:
 *      1. smmuv3_config_narrow_to_host: the guest's profile the host can back;
 *      2. smmuv3_vste_classify on every guest CFGI_STE: abort, bypass, or a
 *         nested host STE made of the guest's S1 fields and the host's stage 2;
 *      3. an invalidation sink that forwards the guest's CFGI_CD / TLBI_NH_* /
 *         TLBI_NSNH_ALL to the host, with the VMM's StreamID and VMID.
 *
 * The guest maps, remaps, unmaps and invalidates at random while a device
 * DMAs through the HOST, and every DMA is checked against a software walk of
 * the guest's current tables: the host must never translate with a stale
 * entry. A control round turns the sink off to show that the check sees
 * staleness when invalidations are not forwarded. Exits 0 when all is well.
 */
#include <stdio.h>
#include <string.h>
#include <smmuv3/smmuv3.h>

/* Host physical memory. */
#define HOST_TABLES   0x10000000ull   /* host stream table, queues, stage 2 tables */
#define GUEST_RAM_PA  0x80000000ull   /* backs the guest's RAM */
/* Guest physical (IPA) memory: 64 MB of RAM at 1 GB. */
#define GUEST_RAM     0x40000000ull
#define GUEST_RAM_SZ  0x04000000ull
#define GUEST_TABLES  GUEST_RAM                 /* guest stream table, queues, CDs, page tables */
#define GUEST_BUFS    (GUEST_RAM + 0x02000000)  /* pages the guest maps for its device */
#define NBUFS         64u

#define VSID    8u        /* the device's StreamID in the guest */
#define PSID    0x20u     /* ... and on the host */
#define VMID    7u        /* the host's VMID for this guest */
#define ASID    5u
#define IOVA    0x10000000ull
#define NPAGES  32u

typedef struct vmm {
    /* host side */
    smmuv3_mem *ram;
    smmuv3_host hhost;
    smmuv3 *host;
    smmuv3_alloc halloc;
    smmuv3_space hsp;
    smmuv3_strtab hst;
    smmuv3_driver hdrv;
    smmuv3_pt s2;                 /* guest IPA -> host PA */
    /* guest side (the vSMMU and the guest's view of memory) */
    smmuv3_alloc galloc;
    smmuv3_space gsp;             /* guest physical addresses, through stage 2 */
    smmuv3_host ghost;            /* what the vSMMU reads and writes: guest memory */
    smmuv3 *vsmmu;
    uint32_t seen_cons;           /* guest CMDQ_CONS the VMM has scanned up to */
    bool host_broken;             /* make forwarding fail (failure demo) */
    unsigned forwarded, ste_syncs;
} vmm;

typedef struct guest {
    smmuv3_strtab st;
    smmuv3_cdtab cds;
    smmuv3_pt pt;
    smmuv3_driver drv;
    uint16_t asid;
} guest;

static int fail(const char *what, int rc)
{
    fprintf(stderr, "smmuv3-vsmmu: %s: %s\n", what, smmuv3_strerror(rc));
    return 1;
}

#define TRY(what, expr)                      \
    do {                                     \
        int rc_ = (expr);                    \
        if (rc_)                             \
            return fail(what, rc_);          \
    } while (0)

/* ---------------------------------------------------------------- guest memory for the vSMMU */
static int g_read(void *ctx, uint64_t pa, void *buf, size_t len) { return smmuv3_space_read(&((vmm *)ctx)->gsp, pa, buf, len); }
static int g_write(void *ctx, uint64_t pa, const void *buf, size_t len) { return smmuv3_space_write(&((vmm *)ctx)->gsp, pa, buf, len); }

static uint64_t le64(const uint8_t *b)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

static void put_le64(uint8_t *b, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
}

/* ---------------------------------------------------------------- 2. guest STEs -> host STEs */
/* Read the guest's STE of `vsid` from its (linear) stream table and install
 * what it asks for in the host's STE of the device's physical StreamID. */
static int vmm_sync_ste(vmm *v, uint32_t vsid)
{
    uint64_t base = smmuv3_mmio_read(v->vsmmu, 0x80, 8) & 0x00FFFFFFFFFFFFC0ull;   /* STRTAB_BASE.ADDR */
    uint8_t raw[64];
    uint64_t ste[8];
    TRY("read guest STE", smmuv3_space_read(&v->gsp, base + (uint64_t)vsid * 64, raw, sizeof(raw)));
    for (int i = 0; i < 8; i++)
        ste[i] = le64(raw + 8 * i);
    smmuv3_vste vs;
    TRY("classify", smmuv3_vste_classify(v->vsmmu, ste, &vs));

    uint8_t hste[64];
    smmuv3_s2_params p;
    TRY("s2 params", smmuv3_s2_params_from_pt(&v->s2, VMID, &p));
    switch (vs.kind) {
    case SMMUV3_VSTE_S1:
        /* the guest's stage 1 fields, nested (Config 0b111) on the host's stage 2 */
        TRY("host STE", smmuv3_ste_s2(hste, &p));
        put_le64(hste, vs.ste[0]);
        put_le64(hste + 8, le64(hste + 8) | vs.ste[1]);
        TRY("host STE", smmuv3_ste_set(hste, "config", 7));
        break;
    case SMMUV3_VSTE_BYPASS:                     /* guest bypass: IOVA = IPA, stage 2 only */
        TRY("host STE", smmuv3_ste_s2(hste, &p));
        break;
    default:                                     /* ABORT, and INVALID (the guest sees C_BAD_STE) */
        TRY("host STE", smmuv3_ste_abort(hste));
        break;
    }
    TRY("write host STE", smmuv3_strtab_write_ste(&v->hst, PSID, hste));
    TRY("host CFGI_STE", smmuv3_driver_cfgi_ste(&v->hdrv, PSID));
    v->ste_syncs++;
    return 0;
}

/* CFGI_STE is not forwarded through the sink: the VMM, which traps the
 * guest's CMDQ_PROD writes, scans the commands they consumed. (Here it is
 * called after each guest driver call.) */
static int vmm_scan_cmdq(vmm *v)
{
    uint64_t qbase = smmuv3_mmio_read(v->vsmmu, 0x90, 8);
    unsigned log2 = (unsigned)(qbase & 0x1F);
    uint64_t base = qbase & 0x00FFFFFFFFFFFFE0ull;
    uint32_t mask = (2u << log2) - 1;
    uint32_t cons = (uint32_t)smmuv3_mmio_read(v->vsmmu, 0x9C, 4) & mask;
    for (; v->seen_cons != cons; v->seen_cons = (v->seen_cons + 1) & mask) {
        uint8_t cmd[16];
        TRY("read guest command", smmuv3_space_read(&v->gsp, base + (uint64_t)(v->seen_cons & (mask >> 1)) * 16, cmd,
                                                   sizeof(cmd)));
        uint64_t op = cmd[0], sid = le64(cmd) >> 32;
        if (op == SMMUV3_CMD_CFGI_STE && sid == VSID)
            TRY("sync STE", vmm_sync_ste(v, VSID));
        if (op == SMMUV3_CMD_CFGI_STE_RANGE)      /* CFGI_ALL and ranges: the VMM's one device */
            TRY("sync STE", vmm_sync_ste(v, VSID));
    }
    return 0;
}

/* ---------------------------------------------------------------- 3. the invalidation sink */
/* Runs inside the guest's CMDQ_PROD write, once per applied command, in queue
 * order. Non-zero tells the guest's vSMMU that forwarding failed: the guest
 * sees CERROR_ILL on that command. */
static int vmm_sink(void *ctx, const uint64_t cmd[2])
{
    vmm *v = ctx;
    if (v->host_broken)
        return -1;
    uint8_t img[16];
    put_le64(img, cmd[0]);
    put_le64(img + 8, cmd[1]);
    switch (img[0]) {
    case SMMUV3_CMD_CFGI_CD:
    case SMMUV3_CMD_CFGI_CD_ALL:                 /* the guest's StreamID -> the device's */
    case SMMUV3_CMD_ATC_INV:
        if ((uint32_t)(cmd[0] >> 32) != VSID)
            return 0;                            /* no such device: nothing cached on the host */
        smmuv3_cmd_set(img, "sid", PSID);
        break;
    case SMMUV3_CMD_TLBI_NSNH_ALL:               /* never the whole host: this guest's VMID */
        smmuv3_cmd_init(img, SMMUV3_CMD_TLBI_NH_ALL);
        smmuv3_cmd_set(img, "vmid", VMID);
        break;
    default:                                     /* TLBI_NH_*: the guest's VMID -> this guest's */
        smmuv3_cmd_set(img, "vmid", VMID);
        break;
    }
    v->forwarded++;
    uint8_t two[32];
    memcpy(two, img, 16);
    smmuv3_cmd_init(two + 16, SMMUV3_CMD_SYNC);
    return smmuv3_driver_submit_n(&v->hdrv, two, 2) ? -1 : 0;
}

/* ---------------------------------------------------------------- setup */
static int host_up(vmm *v)
{
    smmuv3_config hc;
    smmuv3_config_default(&hc);
    hc.ril = false;                              /* a host without range invalidation */
    hc.ssidsize = 16;
    smmuv3_host_from_mem(&v->hhost, v->ram);
    TRY("host SMMU", smmuv3_new(&hc, &v->hhost, &v->host));
    TRY("host alloc", smmuv3_alloc_init(&v->halloc, HOST_TABLES, 0x01000000));
    TRY("host space", smmuv3_space_init(&v->hsp, &v->hhost, &v->halloc));
    TRY("host strtab", smmuv3_strtab_init_linear(&v->hst, &v->hsp, 8, SMMUV3_BUILD_ALLOC));
    TRY("host s2", smmuv3_pt_init_s2(&v->s2, &v->hsp, 12, 24, -1, SMMUV3_BUILD_ALLOC));
    TRY("host s2 map", smmuv3_pt_map(&v->s2, GUEST_RAM, GUEST_RAM_PA, GUEST_RAM_SZ, SMMUV3_MAP_RW, 0));
    TRY("host driver", smmuv3_driver_init(&v->hdrv, v->host, &v->hsp, &v->hst, NULL));
    return 0;
}

/* 1. The profile the guest sees: the most capable stage-1-only vSMMU the host can back. */
static int vsmmu_up(vmm *v)
{
    uint32_t idr[6];
    for (int i = 0; i < 6; i++)
        idr[i] = (uint32_t)smmuv3_mmio_read(v->host, (uint64_t)i * 4, 4);
    smmuv3_config want, gc;
    smmuv3_config_default(&want);
    want.s2p = false;                            /* the host owns stage 2 */
    want.hyp = want.fwb = false;
    char msg[200];
    if (smmuv3_config_check_host(&want, idr, msg, sizeof(msg)))
        printf("host check: %s\n", msg);
    smmuv3_host_narrowing rep;
    int rc = smmuv3_config_narrow_to_host(&want, idr, &gc, &rep);
    if (rc) {
        fprintf(stderr, "smmuv3-vsmmu: no vSMMU fits this host: %s\n", rep.msg);
        return 1;
    }
    for (unsigned i = 0; i < rep.n; i++)
        printf("narrowed: %s %llu -> %llu (%s)\n", rep.change[i].field, (unsigned long long)rep.change[i].from,
               (unsigned long long)rep.change[i].to, rep.change[i].why);
    TRY("guest alloc", smmuv3_alloc_init(&v->galloc, GUEST_TABLES, 0x01000000));
    TRY("guest space", smmuv3_space_init_ipa(&v->gsp, &v->hhost, &v->galloc, smmuv3_pt_to_pa, &v->s2));
    v->ghost = (smmuv3_host){ .ctx = v, .read = g_read, .write = g_write };
    TRY("vSMMU", smmuv3_new(&gc, &v->ghost, &v->vsmmu));
    smmuv3_set_inval_sink(v->vsmmu, vmm_sink, v);
    return 0;
}

/* The guest driver: its stream table, one CD, a stage 1 table, SMMUEN. */
static int guest_up(vmm *v, guest *g)
{
    TRY("guest strtab", smmuv3_strtab_init_linear(&g->st, &v->gsp, 8, SMMUV3_BUILD_ALLOC));
    TRY("guest driver", smmuv3_driver_init(&g->drv, v->vsmmu, &v->gsp, &g->st, NULL));
    TRY("scan", vmm_scan_cmdq(v));
    TRY("guest CD table", smmuv3_cdtab_init(&g->cds, &v->gsp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC));
    TRY("guest page table", smmuv3_pt_init_s1(&g->pt, &v->gsp, 12, 25, SMMUV3_BUILD_ALLOC));
    g->asid = ASID;
    smmuv3_cd_params cp;
    uint8_t cd[64], ste[64];
    TRY("cd", smmuv3_cd_params_from_pt(&g->pt, g->asid, &cp));
    TRY("cd", smmuv3_cd_s1(cd, &cp));
    TRY("cd", smmuv3_cdtab_write_cd(&g->cds, 0, cd));
    TRY("ste", smmuv3_ste_s1(ste, g->cds.base, g->cds.fmt, g->cds.cdmax));
    TRY("ste", smmuv3_strtab_write_ste(&g->st, VSID, ste));
    TRY("guest CFGI_STE", smmuv3_driver_cfgi_ste(&g->drv, VSID));
    return vmm_scan_cmdq(v);
}

/* ---------------------------------------------------------------- the check */
/* A DMA through the HOST against a software walk of the guest's current
 * tables: 0 when they agree, 1 when the host used something stale. */
static int dma_check(vmm *v, guest *g, uint64_t iova, bool quiet)
{
    uint64_t ipa, pa = 0;
    bool mapped = smmuv3_pt_lookup(&g->pt, iova, &ipa, NULL, NULL) == 0 && smmuv3_pt_to_pa(&v->s2, ipa, &pa) == 0;
    smmuv3_txn t = { .sid = PSID, .addr = iova, .flags = SMMUV3_TXN_WRITE };
    smmuv3_result r;
    int rc = smmuv3_translate(v->host, &t, &r);
    bool ok = mapped ? rc == SMMUV3_XLATE_OK && r.pa == pa : rc != SMMUV3_XLATE_OK;
    if (!ok && !quiet)
        printf("STALE: IOVA 0x%llx: guest tables say %s 0x%llx, the host gave %s 0x%llx\n", (unsigned long long)iova,
               mapped ? "PA" : "unmapped", (unsigned long long)pa, rc ? "a fault" : "PA", (unsigned long long)r.pa);
    return !ok;
}

static uint64_t page(unsigned i) { return IOVA + (uint64_t)i * 0x1000; }
static uint64_t buf(unsigned i) { return GUEST_BUFS + (uint64_t)(i % NBUFS) * 0x1000; }

/* One random guest operation, its invalidation through the vSMMU, then DMAs. */
static int round_random(vmm *v, guest *g, uint64_t *x, unsigned *stale)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    unsigned i = (unsigned)(*x % NPAGES), op = (unsigned)(*x >> 40) % 6;
    unsigned perms = SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES;
    switch (op) {
    case 0:                                      /* remap one page */
    case 1:
        TRY("map", smmuv3_pt_map(&g->pt, page(i), buf((unsigned)(*x >> 20)), 0x1000, perms, 0));
        TRY("tlbi va", smmuv3_driver_tlbi_nh_va(&g->drv, 0, g->asid, page(i), true));
        break;
    case 2:                                      /* unmap one page */
        TRY("unmap", smmuv3_pt_unmap(&g->pt, page(i), 0x1000));
        TRY("tlbi va", smmuv3_driver_tlbi_nh_va(&g->drv, 0, g->asid, page(i), true));
        break;
    case 3: {                                    /* remap all, one ASID invalidation */
        for (unsigned k = 0; k < NPAGES; k++)
            TRY("map", smmuv3_pt_map(&g->pt, page(k), buf(k + (unsigned)*x), 0x1000, perms, 0));
        TRY("tlbi asid", smmuv3_driver_tlbi_nh_asid(&g->drv, 0, g->asid));
        break;
    }
    case 4: {                                    /* new ASID in the CD: CFGI_CD, then TLBI the old one */
        uint16_t old = g->asid;
        g->asid = (uint16_t)(g->asid == ASID ? ASID + 1 : ASID);
        smmuv3_cd_params cp;
        uint8_t cd[64];
        TRY("cd", smmuv3_cd_params_from_pt(&g->pt, g->asid, &cp));
        TRY("cd", smmuv3_cd_s1(cd, &cp));
        TRY("cd", smmuv3_cdtab_write_cd(&g->cds, 0, cd));
        TRY("cfgi cd", smmuv3_driver_cfgi_cd(&g->drv, VSID, 0));
        TRY("map", smmuv3_pt_map(&g->pt, page(i), buf(i + 7), 0x1000, perms, 0));
        TRY("tlbi asid", smmuv3_driver_tlbi_nh_asid(&g->drv, 0, old));
        break;
    }
    default:                                     /* remap, then invalidate everything */
        TRY("map", smmuv3_pt_map(&g->pt, page(i), buf(i + 3), 0x1000, perms, 0));
        TRY("tlbi nsnh", smmuv3_driver_tlbi_nsnh_all(&g->drv));
        break;
    }
    TRY("scan", vmm_scan_cmdq(v));
    for (unsigned k = 0; k < NPAGES; k++)
        *stale += (unsigned)dma_check(v, g, page(k), false);
    return 0;
}

/* Control: without the sink the host keeps what the guest invalidated. */
static int control_without_sink(vmm *v, guest *g, bool *seen)
{
    unsigned perms = SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES;
    TRY("map", smmuv3_pt_map(&g->pt, page(0), buf(1), 0x1000, perms, 0));
    TRY("tlbi", smmuv3_driver_tlbi_nh_va(&g->drv, 0, g->asid, page(0), true));
    if (dma_check(v, g, page(0), false))          /* warms the host's TLB */
        return 1;
    smmuv3_set_inval_sink(v->vsmmu, NULL, NULL);
    TRY("map", smmuv3_pt_map(&g->pt, page(0), buf(2), 0x1000, perms, 0));
    TRY("tlbi", smmuv3_driver_tlbi_nh_va(&g->drv, 0, g->asid, page(0), true));
    *seen = dma_check(v, g, page(0), true) != 0;
    smmuv3_set_inval_sink(v->vsmmu, vmm_sink, v);
    TRY("tlbi", smmuv3_driver_tlbi_nh_va(&g->drv, 0, g->asid, page(0), true));
    return dma_check(v, g, page(0), false);
}

/* A forwarding failure reaches the guest as CERROR_ILL on its command. */
static int failure_demo(vmm *v, guest *g, uint32_t *cerror)
{
    v->host_broken = true;
    int rc = smmuv3_driver_tlbi_nh_asid(&g->drv, 0, g->asid);
    *cerror = g->drv.cerror;
    v->host_broken = false;
    if (rc != SMMUV3_EABORT)
        return 1;
    TRY("recover", smmuv3_driver_cmdq_recover(&g->drv));
    TRY("tlbi again", smmuv3_driver_tlbi_nh_asid(&g->drv, 0, g->asid));
    return vmm_scan_cmdq(v);
}

int main(void)
{
    static vmm v;
    static guest g;
    v.ram = smmuv3_mem_new();
    if (!v.ram)
        return 1;
    int bad = host_up(&v) || vsmmu_up(&v) || guest_up(&v, &g);
    unsigned stale = 0, perms = SMMUV3_MAP_RW | SMMUV3_MAP_NG | SMMUV3_MAP_PAGES;
    for (unsigned k = 0; !bad && k < NPAGES; k++)
        bad = smmuv3_pt_map(&g.pt, page(k), buf(k), 0x1000, perms, 0) != 0;
    bad = bad || smmuv3_driver_tlbi_nh_asid(&g.drv, 0, g.asid) != 0;
    for (unsigned k = 0; !bad && k < NPAGES; k++)
        stale += (unsigned)dma_check(&v, &g, page(k), false);
    uint64_t x = 0x2545F4914F6CDD1Dull;
    for (unsigned r = 0; !bad && r < 400; r++)
        bad = round_random(&v, &g, &x, &stale);
    bool control_seen = false;
    uint32_t cerror = 0;
    if (!bad) {
        stale += (unsigned)control_without_sink(&v, &g, &control_seen);
        bad = failure_demo(&v, &g, &cerror);
    }
    if (!bad) {
        printf("STEs synced: %u, invalidations forwarded: %u, stale host translations: %u\n", v.ste_syncs,
               v.forwarded, stale);
        printf("control: with the sink removed the host %s the old entry\n", control_seen ? "kept" : "did NOT keep");
        printf("forwarding failure: the guest saw CMDQ_CONS.ERR %u (CERROR_ILL) and recovered\n", cerror);
    }
    int ok = !bad && stale == 0 && control_seen && cerror == SMMUV3_CERROR_ILL && v.forwarded > 400;
    printf("%s\n", ok ? "ok" : "FAILED");
    smmuv3_free(v.vsmmu);
    smmuv3_free(v.host);
    smmuv3_mem_free(v.ram);
    return ok ? 0 : 1;
}
