/* SPDX-License-Identifier: MIT */
/*
 * libsmmuv3: a userspace model of the Arm SMMUv3 (IHI 0070).
 *
 * The umbrella header: everything an embedder needs. The contract for the
 * core entry points is fixed by shared/API.md; config fields, result details
 * and the extra helpers are this library's own design.
 */
#ifndef SMMUV3_SMMUV3_H
#define SMMUV3_SMMUV3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <smmuv3/export.h>
#include <smmuv3/mem.h>
#include <smmuv3/fields.h>
#include <smmuv3/checker.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SMMUV3_VERSION_MAJOR 0
#define SMMUV3_VERSION_MINOR 1
#define SMMUV3_VERSION_PATCH 0

/* Error codes: functions that can fail return 0 or one of these (negative). */
enum {
    SMMUV3_OK = 0,
    SMMUV3_EINVAL = -1,   /* an argument is out of range or NULL */
    SMMUV3_ENOMEM = -2,   /* allocation failed */
    SMMUV3_ERANGE = -3,   /* address at or beyond 2^52, or crossing it */
    SMMUV3_EABORT = -4,   /* the access touched an abort range (external abort) */
    SMMUV3_ENOTSUP = -5,  /* the configuration asks for something not implemented */
    SMMUV3_ENOENT = -6,   /* no such name (field tables, lookups) */
    SMMUV3_ECORRUPT = -7, /* not a valid snapshot: truncated, corrupted, another format version */
    SMMUV3_EMISMATCH = -8,/* snapshot of an SMMU with another configuration */
};
SMMUV3_API const char *smmuv3_strerror(int err);

/* ---------------------------------------------------------------- host */
typedef enum {
    SMMUV3_IRQ_EVENTQ,
    SMMUV3_IRQ_PRIQ,
    SMMUV3_IRQ_CMD_SYNC,
    SMMUV3_IRQ_GERROR
} smmuv3_irq;

typedef struct smmuv3_host {
    void *ctx;
    int  (*read)(void *ctx, uint64_t pa, void *buf, size_t len);        /* non-zero = external abort */
    int  (*write)(void *ctx, uint64_t pa, const void *buf, size_t len); /* MSIs arrive here as 32-bit writes */
    void (*irq)(void *ctx, smmuv3_irq line);                            /* wired interrupt edge; may be NULL */
} smmuv3_host;

SMMUV3_API void smmuv3_host_from_mem(smmuv3_host *host, smmuv3_mem *mem);

/* ---------------------------------------------------------------- config */
/* IDR0.STALL_MODEL values. */
enum {
    SMMUV3_STALL_AND_TERM = 0, /* stall and terminate models both supported */
    SMMUV3_STALL_TERM_ONLY = 1, /* stalls not supported */
    SMMUV3_STALL_FORCED = 2     /* stall model forced for all faults that can stall */
};

/*
 * The feature profile. smmuv3_config_default() fills the most capable profile
 * the model implements; change fields, then smmuv3_config_validate().
 * Every field maps onto an ID register field (named in the comment).
 */
typedef struct smmuv3_config {
    bool     s1p;            /* IDR0.S1P: stage 1 translation */
    bool     s2p;            /* IDR0.S2P: stage 2 translation (nested when both) */
    bool     gran4k;         /* IDR5.GRAN4K */
    bool     gran16k;        /* IDR5.GRAN16K */
    bool     gran64k;        /* IDR5.GRAN64K */
    unsigned oas;            /* IDR5.OAS in bits: 32, 36, 40, 42, 44, 48 or 52 */
    bool     vax;            /* IDR5.VAX=1: 52-bit VA with the 64K granule */
    unsigned sidsize;        /* IDR1.SIDSIZE: 0..32 */
    unsigned ssidsize;       /* IDR1.SSIDSIZE: 0..20 */
    bool     st_2level;      /* IDR0.ST_LEVEL=1: 2-level stream tables */
    bool     cd_2level;      /* IDR0.CD2L: 2-level CD tables */
    bool     ril;            /* IDR3.RIL: range invalidation */
    bool     msi;            /* IDR0.MSI */
    bool     ats;            /* IDR0.ATS (not implemented yet: must be false) */
    bool     pri;            /* IDR0.PRI (not implemented yet: must be false) */
    unsigned stall_model;    /* IDR0.STALL_MODEL: SMMUV3_STALL_* */
    bool     term_model;     /* IDR0.TERM_MODEL: 1 = terminated transactions always abort (no RAZ/WI) */
    unsigned httu;           /* IDR0.HTTU: 0 none, 1 access flag, 2 access flag and dirty state */
    bool     asid16;         /* IDR0.ASID16 */
    bool     vmid16;         /* IDR0.VMID16 */
    bool     hyp;            /* IDR0.HYP: EL2 regime, TLBI_EL2_*; only with s1p and s2p (else cleared, 6.3.1) */
    bool     btm;            /* IDR0.BTM: broadcast TLB maintenance */
    bool     cohacc;         /* IDR0.COHACC: coherent table and queue accesses */
    bool     sev;            /* IDR0.SEV: CMD_SYNC CS=SEV */
    bool     xnx;            /* IDR3.XNX: stage 2 two-bit XN */
    bool     had;            /* IDR3.HAD: hierarchical attribute disables */
    bool     fwb;            /* IDR3.FWB: stage 2 forced write-back */
    unsigned cmdqs;          /* IDR1.CMDQS: maximum log2 of command queue entries (0..19) */
    unsigned eventqs;        /* IDR1.EVENTQS: maximum log2 of event queue entries (0..19) */
    unsigned priqs;          /* IDR1.PRIQS: maximum log2 of PRI queue entries (0..19) */
    unsigned stall_max;      /* IDR5.STALL_MAX: outstanding stalled transactions (1..65535) */
    uint32_t iidr;           /* SMMU_IIDR value */
    /* Model (non-architectural) sizes. 0 disables a cache. */
    unsigned tlb_entries;    /* IOTLB capacity */
    unsigned cfg_entries;    /* configuration cache capacity (decoded STE/CD) */
    unsigned walk_entries;   /* walk cache capacity for intermediate table entries */
    bool     fastpath;       /* memo of complete translations in front of the caches (exact;
                                used only when tlb_entries and cfg_entries are non-zero) */
} smmuv3_config;

SMMUV3_API void smmuv3_config_default(smmuv3_config *cfg);
SMMUV3_API int  smmuv3_config_validate(const smmuv3_config *cfg, char *msg, size_t msglen);

/* ---------------------------------------------------------------- instance */
typedef struct smmuv3 smmuv3;

SMMUV3_API int  smmuv3_new(const smmuv3_config *cfg, const smmuv3_host *host, smmuv3 **out);
SMMUV3_API void smmuv3_free(smmuv3 *smmu);
SMMUV3_API void smmuv3_reset(smmuv3 *smmu);
SMMUV3_API const smmuv3_config *smmuv3_get_config(const smmuv3 *smmu);
SMMUV3_API uint64_t smmuv3_mmio_read(smmuv3 *smmu, uint64_t offset, unsigned size);
SMMUV3_API void     smmuv3_mmio_write(smmuv3 *smmu, uint64_t offset, uint64_t value, unsigned size);

/* ---------------------------------------------------------------- transactions */
enum { SMMUV3_TXN_WRITE = 1u << 0, SMMUV3_TXN_EXEC = 1u << 1, SMMUV3_TXN_PRIV = 1u << 2 };

typedef struct smmuv3_txn {
    uint32_t sid;        /* StreamID */
    uint32_t ssid;       /* SubstreamID, used when ssv is true */
    bool     ssv;
    uint64_t addr;       /* input address (IOVA) */
    uint32_t flags;      /* SMMUV3_TXN_*: 0 is an unprivileged data read */
} smmuv3_txn;

/* Outcome of smmuv3_translate(): 0 proceeds, these terminate or stall it. */
enum {
    SMMUV3_XLATE_OK = 0,
    SMMUV3_XLATE_ABORT = 1,  /* terminated with an abort to the device */
    SMMUV3_XLATE_RAZWI = 2,  /* terminated, reads as zero and writes ignored (CD.A=0) */
    SMMUV3_XLATE_STALL = 3   /* stalled: waits for a RESUME or STALL_TERM command */
};

/* Permissions granted by a translation (smmuv3_result.perm). */
enum { SMMUV3_PERM_R = 1u << 0, SMMUV3_PERM_W = 1u << 1, SMMUV3_PERM_X = 1u << 2 };

/* Output attributes of a transaction after all stages and overrides. */
typedef struct smmuv3_attrs {
    uint8_t memattr;     /* MAIR-style 8-bit attribute (0x00 Device-nGnRnE .. 0xFF WB RW-alloc) */
    uint8_t sh;          /* shareability: 0 non, 2 outer, 3 inner */
    bool    ns;          /* output is Non-secure */
    bool    priv;        /* output privilege (after PRIVCFG) */
    bool    inst;        /* output instruction/data (after INSTCFG) */
} smmuv3_attrs;

typedef struct smmuv3_result {
    uint64_t pa;         /* output address when the transaction proceeds */
    uint8_t  event;      /* EventID recorded (0 if none) */
    uint8_t  fault;      /* EventID of the fault found, recorded or not (0 if none) */
    uint8_t  outcome;    /* SMMUV3_XLATE_* */
    bool     bypass;     /* true when no translation was applied (bypass config or GBPA) */
    uint64_t size;       /* size of the translated region containing addr (bytes) */
    uint8_t  perm;       /* SMMUV3_PERM_* granted by the final translation */
    uint16_t stag;       /* stall tag when outcome is SMMUV3_XLATE_STALL */
    smmuv3_attrs attrs;
} smmuv3_result;

SMMUV3_API int smmuv3_translate(smmuv3 *smmu, const smmuv3_txn *txn, smmuv3_result *res);

/*
 * Stalled transactions (IHI 0070 3.12.2). Translation is synchronous, so a
 * stalled transaction is held as (StreamID, STAG) until software answers the
 * stall event with CMD_RESUME or CMD_STALL_TERM. The device polls it:
 * SMMUV3_STALL_PENDING while it waits; SMMUV3_STALL_RETRY when it must be
 * re-issued with smmuv3_translate() as though it had just arrived (RESUME
 * Retry, or its stall record could not be written); SMMUV3_STALL_ABORT or
 * SMMUV3_STALL_RAZWI when it was terminated. Every answer but PENDING releases
 * the STAG. SMMUV3_ENOENT when no such stall is held.
 */
enum { SMMUV3_STALL_PENDING = 0, SMMUV3_STALL_RETRY = 1, SMMUV3_STALL_ABORT = 2, SMMUV3_STALL_RAZWI = 3 };
SMMUV3_API int smmuv3_stall_poll(smmuv3 *smmu, uint32_t sid, uint16_t stag);

/* ---------------------------------------------------------------- statistics */
typedef struct smmuv3_stats {
    uint64_t translations;
    uint64_t tlb_hits, tlb_misses, tlb_evictions, tlb_invalidated;
    uint64_t walks;                  /* page-table walks started */
    uint64_t cfg_hits, cfg_misses, cfg_evictions, cfg_invalidated;
    uint64_t walk_cache_hits;
    uint64_t commands;               /* commands consumed */
    uint64_t events;                 /* event records written */
    uint64_t events_lost;            /* event records discarded (queue full or disabled) */
    uint64_t sev;                    /* CMD_SYNC CS=SEV wake-up events */
    uint64_t irqs[4];                /* wired interrupt edges per smmuv3_irq line */
    uint64_t msis;                   /* MSI writes sent */
    uint64_t diags[SMMUV3_DIAG_CODES]; /* driver checker reports per SMMUV3_DIAG_* code */
} smmuv3_stats;

SMMUV3_API void smmuv3_get_stats(const smmuv3 *smmu, smmuv3_stats *out);

#ifdef __cplusplus
}
#endif

#include <smmuv3/testdev.h>
#include <smmuv3/build.h>
#include <smmuv3/snapshot.h>
#include <smmuv3/vsmmu.h>

#endif
