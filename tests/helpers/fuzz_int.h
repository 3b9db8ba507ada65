/* SPDX-License-Identifier: MIT */
/* The fuzz interpreter's private interface: the input reader, the program's
 * state, and the world (host, configuration variants, SETUP) in fuzz_world.c. */
#ifndef SMMUV3_FUZZ_INT_H
#define SMMUV3_FUZZ_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <smmuv3/smmuv3.h>
#include "fuzz_interp.h"

/* ------------------------------------------------------------ input */
typedef struct fz_in {
    const uint8_t *p;
    size_t n, i;
} fz_in;

static inline bool more(const fz_in *in) { return in->i < in->n; }
static inline uint8_t u8(fz_in *in) { return in->i < in->n ? in->p[in->i++] : 0; }
static inline uint16_t u16(fz_in *in) { uint16_t v = u8(in); return (uint16_t)(v | (uint16_t)u8(in) << 8); }
static inline uint32_t u32(fz_in *in) { uint32_t v = u16(in); return v | (uint32_t)u16(in) << 16; }
static inline uint64_t u64(fz_in *in) { uint64_t v = u32(in); return v | (uint64_t)u32(in) << 32; }

/* ------------------------------------------------------------ state */
enum { NTARGETS = 64, NSTE = 8, NCD = 4 };

typedef struct fz {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3_config cfg;
    smmuv3 *smmu;
    smmuv3_testdev *dev[2];
    unsigned irq_mode, irq_actions;
    bool in_irq;
    smmuv3_txn last_txn;     /* the last transaction translated, for irq_mode 0x40 */
    bool have_last;
    uint64_t irqs;
    uint64_t targets[NTARGETS];
    unsigned ntargets;
    unsigned setups, aborts;
    uint32_t stall_sid;      /* the last stalled transaction, for RESUME / STALL_TERM */
    uint16_t stall_stag;
    unsigned violations;
    uint64_t *log;           /* observations, for the differential run (NULL: none) */
    size_t nlog, caplog;
    char *msg;
    size_t msglen;
    /* the world of the last SETUP (builders keep pointers to these) */
    smmuv3_alloc al;
    smmuv3_space pa;
    smmuv3_strtab st;
    smmuv3_cdtab cdl, cd2;
    smmuv3_pt s1, s2;
    smmuv3_driver drv;
    smmuv3_strtab sst;       /* the Secure world (fzw_setup_secure): Secure Stream table and queues */
    smmuv3_driver sdrv;
    bool secure_up;
    uint8_t ste_tpl[NSTE][SMMUV3_STE_BYTES];
    uint8_t cd_tpl[NCD][SMMUV3_CD_BYTES];
} fz;

static inline void violation(fz *f, const char *what, uint64_t a, uint64_t b)
{
    if (f->violations++ == 0 && f->msg && f->msglen)
        snprintf(f->msg, f->msglen, "%s (0x%llx, 0x%llx)", what, (unsigned long long)a, (unsigned long long)b);
}

/* Everything the guest can observe goes to the log when there is one. */
static inline void observe(fz *f, uint64_t v)
{
    if (f->log && f->nlog < f->caplog)
        f->log[f->nlog++] = v;
}

static inline void add_target(fz *f, uint64_t addr)
{
    if (f->ntargets < NTARGETS)
        f->targets[f->ntargets++] = addr;
}

/* Register offsets the programs and the interrupt handlers use. */
enum {
    R_IDR0 = 0x00, R_IDR1 = 0x04, R_IDR5 = 0x14, R_CR0 = 0x20, R_CR0ACK = 0x24, R_CR1 = 0x28, R_CR2 = 0x2C,
    R_GBPA = 0x44, R_IRQ_CTRL = 0x50, R_IRQ_CTRLACK = 0x54, R_GERROR = 0x60, R_GERRORN = 0x64,
    R_GERROR_IRQ_CFG0 = 0x68, R_GERROR_IRQ_CFG1 = 0x70, R_GERROR_IRQ_CFG2 = 0x74,
    R_STRTAB_BASE = 0x80, R_STRTAB_BASE_CFG = 0x88, R_CMDQ_BASE = 0x90, R_CMDQ_PROD = 0x98,
    R_CMDQ_CONS = 0x9C, R_EVENTQ_BASE = 0xA0, R_EVENTQ_IRQ_CFG0 = 0xB0, R_EVENTQ_IRQ_CFG1 = 0xB8,
    R_EVENTQ_IRQ_CFG2 = 0xBC, R_PRIQ_BASE = 0xC0, R_PRIQ_IRQ_CFG0 = 0xD0, R_PRIQ_IRQ_CFG1 = 0xD8,
    R_PRIQ_IRQ_CFG2 = 0xDC, R_EVENTQ_PROD = 0x100A8, R_EVENTQ_CONS = 0x100AC, R_PRIQ_PROD = 0x100C8,
    R_PRIQ_CONS = 0x100CC,
    /* the Secure bank (Secure accesses) */
    R_S_CR0 = 0x8020, R_S_GERROR = 0x8060, R_S_GERRORN = 0x8064, R_S_CMDQ_BASE = 0x8090, R_S_CMDQ_PROD = 0x8098,
    R_S_EVENTQ_PROD = 0x80A8, R_S_EVENTQ_CONS = 0x80AC,
};

/* ------------------------------------------------------------ fuzz_txn.c */
/* An input address: one of a few telling spots plus a low offset, or anything. */
uint64_t fz_pick_iova(fz_in *in);
/* OP_XLATE/OP_XLATE2, OP_ATS, OP_PRI: one transaction of each kind, its
 * outcome observed and checked. */
void fz_op_translate(fz *f, fz_in *in);
void fz_op_ats(fz *f, fz_in *in);
void fz_op_pri(fz *f, fz_in *in);

/* ------------------------------------------------------------ fuzz_world.c */
int fzw_host_read(void *ctx, uint64_t pa, void *buf, size_t len);
int fzw_host_write(void *ctx, uint64_t pa, const void *buf, size_t len);
void fzw_host_irq(void *ctx, smmuv3_irq line);
void fzw_host_irq_secure(void *ctx, smmuv3_irq line);
void fzw_config_variant(fz *f, fz_in *in);
void fzw_setup_world(fz *f, fz_in *in);
/* The Secure side on top of the world (IHI 0070 3.10): a Secure Stream table
 * whose STEs are the world's templates in Secure StreamWorlds (with NSCFG,
 * Secure stage 2 and NS/NSTable choices from sel), Secure queues, brought up
 * through the Secure programming interface. The Secure PA space is the same
 * memory (host.read_secure NULL), so memory ops reach Secure structures too. */
void fzw_setup_secure(fz *f, uint8_t sel);

#endif
