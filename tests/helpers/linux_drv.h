/* SPDX-License-Identifier: MIT */
/*
 * A re-enactment of how Linux's arm-smmu-v3 driver drives an SMMUv3
 * (drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c, io-pgtable-arm.c), shared by
 * the test_conformance_linux*.c tests. It uses the API.md entry points only:
 * simulated memory, MMIO accesses of 4 and 8 bytes, smmuv3_translate(). No
 * builders, no internal headers: every structure is written byte by byte as
 * that driver lays it out, and every bit position is spelled out here from
 * IHI 0070. Facts only; no driver code or comments are copied.
 */
#ifndef SMMUV3_TEST_LINUX_DRV_H
#define SMMUV3_TEST_LINUX_DRV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>
#include "rawdrv.h"
#include "smmu_regs.h"

/* ------------------------------------------------------------ Linux's values and memory layout */
#define LINUX_CR1 0xD75u          /* TABLE_SH/QUEUE_SH ISH, WB caches */
#define LINUX_CR2 0x6u            /* PTM | RECINVSID */
#define LINUX_MAIR 0xF404FF44ull  /* io-pgtable: NC, WBWA, DEV nGnRE, INC_OCACHE */
#define STRTAB_SPLIT 8u
#define CMDQ_ADDR 0x40000000ull
#define CMDQ_LOG2 8u
#define EVTQ_ADDR 0x40100000ull
#define EVTQ_LOG2 7u
#define STRTAB_ADDR 0x40200000ull
#define MSI_EVTQ 0x08020040ull    /* a doorbell page (GIC ITS-like) */
#define MSI_GERROR 0x08020080ull
#define ALLOC_BASE 0x50000000ull

/* ------------------------------------------------------------ commands (4.x) */
typedef struct { uint64_t w[2]; } cmd;
void cmdq_insert(drv *d, const cmd *c);
void cmdq_publish(drv *d);
/* arm_smmu_cmdq_poll_until_sync (polling flavour): CONS catches up with PROD */
void cmdq_wait(drv *d);
cmd c_sync(void);
cmd c_cfgi_ste(uint32_t sid);
cmd c_cfgi_all(void);
cmd c_cfgi_cd(uint32_t sid, uint32_t ssid);
cmd c_tlbi_nsnh_all(void);
cmd c_tlbi_el2_all(void);
cmd c_tlbi_nh_asid(uint16_t asid);
cmd c_tlbi_s12_vmall(uint16_t vmid);
cmd c_tlbi_va(uint8_t op, uint16_t asid, uint16_t vmid, uint64_t addr, bool leaf,
              unsigned num, unsigned scale, unsigned tg, unsigned ttl);
/* A CMD_SYNC after the commands queued so far, published, and waited for */
void cmdq_sync(drv *d);
/* arm_smmu_cmdq_issue_cmd_with_sync */
void issue_sync(drv *d, cmd c);
/* c and a CMD_SYNC queued and published, not waited for (a command the SMMU
 * refuses: CMDQ_CONS then holds the error at c); returns c's index. */
uint32_t issue_nowait(drv *d, cmd c);
/* arm_smmu_cmdq_skip_err: the command at index idx becomes a CMD_SYNC, and
 * GERROR is acknowledged (GERRORN written with GERROR) */
void cmdq_skip_err(drv *d, uint32_t idx);
/* arm_smmu_tlb_inv_range_cmd: split [iova, iova+size) as Linux does */
void tlb_inv_range(drv *d, uint8_t op, uint16_t asid, uint16_t vmid, uint64_t iova,
                   uint64_t size, bool leaf);
/* ------------------------------------------------------------ probe and reset */
/* drv_open() with the memory layout above */
void drv_init(drv *d, void (*tweak)(smmuv3_config *));
/* arm_smmu_device_reset (+ arm_smmu_setup_irqs), with the stream table set up
 * first as arm_smmu_init_structures does: every STE an abort STE. */
void linux_reset(drv *d, bool two_level);
/* arm_smmu_init_l2_strtab: an L2 table of abort STEs, then the L1 descriptor
 * (SPAN = SPLIT + 1). Returns the STE address. */
uint64_t ste_addr(drv *d, uint32_t sid);
/* ------------------------------------------------------------ STE writing */
/* arm_smmu_get_ste_used: the bits the SMMU reads for a given STE */
void ste_used(const uint64_t *e, uint64_t *used);
void ste_sync(drv *d, uint32_t sid);
/* write qwords [start, start+len) of target into the live STE, then sync */
void ste_set(drv *d, uint32_t sid, uint64_t *live, const uint64_t *tgt, int start, int len);
typedef void (*step_fn)(drv *d, uint32_t sid, int step, void *arg);
/* arm_smmu_write_entry: the update sequence Linux uses */
void write_ste(drv *d, uint32_t sid, const uint64_t *target, step_fn hook, void *arg);
/* arm_smmu_make_cdtable_ste (NS-EL1 stream world, no ATS) */
void make_cdtable_ste(drv *d, uint64_t *t, uint64_t cdtab, unsigned s1fmt, unsigned cdmax, unsigned s1dss);
/* arm_smmu_make_s2_domain_ste: 48-bit IPA, 4K granule, start level 0 */
void make_s2_ste(uint64_t *t, uint16_t vmid, uint64_t vttbr);
/* arm_smmu_make_bypass_ste */
void make_bypass_ste(uint64_t *t);
/* arm_smmu_make_s1_cd with the TCR io-pgtable computes for a 48-bit, 4K, coherent walk */
void write_cd(drv *d, uint64_t cd_pa, uint16_t asid, uint64_t ttb0);
enum { P_READ = 1, P_WRITE = 2, P_CACHE = 4, P_NOEXEC = 8, P_MMIO = 16, P_PRIV = 32 };
uint64_t prot_s1(unsigned prot);
uint64_t prot_s2(unsigned prot);
/* map one page (level 3) or one 2M block (level 2) */
void pt_map(drv *d, uint64_t root, uint64_t iova, uint64_t pa, unsigned prot, bool s2, unsigned leaf_level);
uint64_t pt_leaf_slot(drv *d, uint64_t root, uint64_t iova);
void pt_unmap(drv *d, uint64_t root, uint64_t iova);
/* ------------------------------------------------------------ transactions and events */
int xlate(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, smmuv3_result *r);
int xlate_ssid(drv *d, uint32_t sid, uint32_t ssid, uint64_t iova, uint32_t flags, smmuv3_result *r);
void expect_pa(drv *d, uint32_t sid, uint64_t iova, uint32_t flags, uint64_t pa);
/* events pending: queue_sync_prod_in + queue_empty */
unsigned evtq_pending(drv *d);
/* arm_smmu_evtq_thread: read one record, then publish CONS (with OVACKFLG = PROD.OVFLG) */
void evtq_pop(drv *d, uint64_t ev[4]);
void expect_no_event(drv *d);
typedef struct s1dom {
    uint64_t cdtab, pgd;
    uint16_t asid;
} s1dom;

void attach_s1(drv *d, uint32_t sid, s1dom *dom, uint16_t asid);
/* attach_s1 with CD word 0 |= cd0_set (e.g. HA/HD, S) and STE word 1 =
 * (word 1 & ~ste1_clear) | ste1_set (e.g. STRW, S1STALLD). */
void attach_s1_with(drv *d, uint32_t sid, s1dom *dom, uint16_t asid, uint64_t cd0_set,
                    uint64_t ste1_clear, uint64_t ste1_set);
/* A CD at cd_pa (ASID asid) over a new pgd mapping the 4K page iova to pa
 * read/write, cacheable; returns the pgd. */
uint64_t cd_over_page(drv *d, uint64_t cd_pa, uint16_t asid, uint64_t iova, uint64_t pa);

/* ------------------------------------------------------------ cmocka fixtures */
/* *state: a drv after linux_reset() with a linear or a 2-level stream table. */
int lx_setup_linear(void **state);
int lx_setup_2level(void **state);
int lx_teardown(void **state);
/* Replace the fixture's drv by a fresh one (drv_init(tweak), no reset), for
 * tests that bring it up their own way; lx_teardown frees it as usual. */
void lx_reopen(drv *d, void (*tweak)(smmuv3_config *));
/* lx_reopen, then linux_reset with a 2-level stream table. */
void lx_reopen_2level(drv *d);
/* A stage 1 domain's CD (asid, its own pgd) without an STE. */
void make_s1dom(drv *d, s1dom *dom, uint16_t asid);

#endif
