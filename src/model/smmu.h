/* SPDX-License-Identifier: MIT */
/*
 * The model's internal contract: the instance state and the interfaces between
 * modules. Data flows one way (DESIGN.md):
 *
 *   smmuv3_translate (translate.c)
 *     -> cfgcache.c / ste.c / cd.c  (StreamID -> STE -> CD, decoded structs)
 *     -> tlb.c                      (cached translations)
 *     -> walk.c                     (stage 1 / stage 2 / nested walks)
 *     -> evtq.c                     (event records) / stall.c (stalled txns)
 *
 *   smmuv3_mmio_* (regs.c) -> cmdq.c -> cfgcache.c, tlb.c, stall.c, evtq.c
 *
 * Nothing here reads raw STE/CD words downstream of ste.c/cd.c.
 */
#ifndef SMMU_SMMU_H
#define SMMU_SMMU_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>
#include "fields/fields.h"

#define SMMU_UNUSED(x) ((void)(x))

/* ------------------------------------------------------------ register state */
typedef struct smmu_queue {
    uint64_t base;       /* *_BASE as written (readback) */
    uint32_t prod, cons; /* *_PROD / *_CONS as held (index, wrap, flags) */
    uint64_t irq_cfg0;   /* *_IRQ_CFG0 (event queue, PRI queue) */
    uint32_t irq_cfg1, irq_cfg2;
} smmu_queue;

typedef struct smmu_regs {
    uint32_t cr0, cr0ack, cr1, cr2;
    uint32_t gbpa;
    uint32_t irq_ctrl, irq_ctrlack;
    uint32_t gerror, gerrorn;
    uint64_t gerror_irq_cfg0;
    uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
    uint64_t strtab_base;
    uint32_t strtab_base_cfg;
    smmu_queue cmdq, eventq, priq;
    bool in_cmdq;        /* guards against re-entering this bank's command processing */
} smmu_regs;

/* ------------------------------------------------------------ decoded structures */
/* Translation regime of a stream (STE.STRW with CR2.E2H, 5.2). */
enum { SMMU_REGIME_EL1 = 0, SMMU_REGIME_EL2 = 1, SMMU_REGIME_EL2_E2H = 2 };
/* A Secure STE's StreamWorlds (5.2 STRW) are the same values with
 * smmu_ste.secure (Secure, S-EL2, S-EL2-E2H), and EL3 (no ASID). */
enum { SMMU_REGIME_EL3 = 3 };
/* The regimes with one VA range and no ASID: EL2 (non-E2H) and EL3 (5.4). */
static inline bool smmu_regime_one_range(unsigned regime)
{
    return regime == SMMU_REGIME_EL2 || regime == SMMU_REGIME_EL3;
}

/* STE.Config (5.2). */
enum {
    SMMU_STE_CFG_ABORT = 0,   /* 0b000 */
    SMMU_STE_CFG_BYPASS = 4,  /* 0b100 */
    SMMU_STE_CFG_S1 = 5,      /* 0b101 */
    SMMU_STE_CFG_S2 = 6,      /* 0b110 */
    SMMU_STE_CFG_NESTED = 7   /* 0b111 */
};

/* Stage 2 configuration from the STE (5.2 words 2..3). */
typedef struct smmu_s2_cfg {
    uint16_t vmid;
    uint8_t  tsz;          /* S2T0SZ */
    uint8_t  sl0;          /* S2SL0 as written */
    uint8_t  granule;      /* log2 of the granule: 12, 14 or 16 (from S2TG) */
    uint8_t  start_level;  /* derived from SL0 and the granule */
    uint8_t  ps;           /* output size in bits (S2PS capped to OAS, 5.2) */
    uint8_t  ir0, or0, sh0;
    bool     aa64, endi, affd, ptw, hd, ha, s, r, fwb;
    uint64_t ttb;          /* S2TTB, in-place address (the Non-secure IPA space's tables) */
    /* PA spaces (3.10.2.2): of this IPA space's table walks and of its output.
     * Always Non-secure for a Non-secure STE; a Secure STE's two IPA spaces
     * are chosen per access with smmu_s2_space(). */
    bool     walk_ns, out_ns;
    bool     ns_ipa;       /* the IPA space this configuration translates */
    bool     secure;       /* a Secure STE's stage 2 */
    uint64_t s_ttb;        /* S_S2TTB: the Secure IPA space's tables */
    uint8_t  s_tsz, s_sl0, s_granule, s_start_level;   /* S_S2T0SZ, S_S2SL0, S_S2TG: its own walk */
    bool     sw, sa, nsw, nsa;   /* STE.S2SW/S2SA/S2NSW/S2NSA */
} smmu_s2_cfg;

/* The stage 2 configuration of one IPA space (3.10.2.2): a Secure IPA is
 * translated through S_S2TTB (with its own S_S2T0SZ, S_S2SL0, S_S2TG), its walks in the PA space of S2SW and its
 * output Non-secure when S2SW or S2SA; a Non-secure IPA through S2TTB, walks
 * per S2NSW, output Secure only when S2SW, S2SA and S2NSW are 0 and S2NSA is
 * 0. A Non-secure STE has one (Non-secure) space. */
static inline void smmu_s2_space(const smmu_s2_cfg *s2, bool ns_ipa, smmu_s2_cfg *out)
{
    *out = *s2;
    if (!s2->secure)
        return;
    out->ns_ipa = ns_ipa;
    if (ns_ipa) {
        out->walk_ns = s2->nsw;
        out->out_ns = (s2->sw || s2->sa || s2->nsw) ? true : s2->nsa;
    } else {
        out->ttb = s2->s_ttb;
        out->tsz = s2->s_tsz;
        out->sl0 = s2->s_sl0;
        out->granule = s2->s_granule;
        out->start_level = s2->s_start_level;
        out->walk_ns = s2->sw;
        out->out_ns = s2->sw || s2->sa;
    }
}

/* One half of a stage 1 context: TTB0 or TTB1 (5.4). */
typedef struct smmu_tt_cfg {
    uint64_t ttb;          /* in-place address */
    uint8_t  tsz;          /* T0SZ / T1SZ */
    uint8_t  granule;      /* log2 of the granule: 12, 14 or 16 */
    bool     epd;          /* walks disabled for this half */
    bool     had;          /* hierarchical attribute disable (HADn, when IDR3.HAD) */
    uint8_t  ir, or_, sh;
    bool     nscfg;
} smmu_tt_cfg;

/* Decoded context descriptor (5.4). */
typedef struct smmu_cd {
    smmu_tt_cfg tt[2];
    uint8_t  ips;          /* output size in bits (IPS capped to OAS, 5.4) */
    uint8_t  tbi;          /* bit 0: TBI0, bit 1: TBI1 */
    bool     affd, wxn, uwxn, pan, aa64, endi, hd, ha, s, r, a, aset;
    uint16_t asid;
    uint64_t mair;         /* MAIR1:MAIR0 */
} smmu_cd;

/* Decoded stream table entry (5.2). */
typedef struct smmu_ste {
    uint8_t  config;       /* SMMU_STE_CFG_* */
    uint8_t  s1fmt;
    uint64_t s1contextptr; /* in-place address (an IPA when stage 2 is enabled) */
    uint8_t  s1cdmax;
    uint8_t  s1dss;
    uint8_t  s1cir, s1cor, s1csh;
    bool     mev, s1stalld;
    uint8_t  eats;         /* 0 off, 1 full ATS, 2 split-stage (before CR0.ATSCHK) */
    bool     ppar;         /* PRI auto-responses on overflow carry the PASID (8.1) */
    uint8_t  strw;
    uint8_t  regime;       /* SMMU_REGIME_* derived from STRW and (S_)CR2.E2H */
    bool     secure;       /* from the Secure Stream table (3.10.2) */
    /* attribute and permission overrides (5.2 / 13.x) */
    uint8_t  memattr;
    bool     mtcfg;
    uint8_t  alloccfg, shcfg, nscfg, privcfg, instcfg;
    smmu_s2_cfg s2;
} smmu_ste;

static inline bool smmu_ste_s1(const smmu_ste *ste) { return ste->config == SMMU_STE_CFG_S1 || ste->config == SMMU_STE_CFG_NESTED; }
static inline bool smmu_ste_s2(const smmu_ste *ste) { return ste->config == SMMU_STE_CFG_S2 || ste->config == SMMU_STE_CFG_NESTED; }

/* The configuration a transaction runs under: the STE, and the CD when stage 1
 * applies to it (has_cd false: stage 1 bypassed, e.g. S1DSS=bypass). */
typedef struct smmu_txcfg {
    smmu_ste ste;
    smmu_cd  cd;
    bool     has_cd;
} smmu_txcfg;

/* ------------------------------------------------------------ faults and events */
/* CLASS of a translation-family fault (7.3). */
enum { SMMU_CLASS_CD = 0, SMMU_CLASS_TT = 1, SMMU_CLASS_IN = 2 };

/* Everything an event record can carry; evtq.c encodes the fields that the
 * record type defines (7.3) and leaves the rest RES0. */
typedef struct smmu_event {
    uint8_t  id;           /* SMMUV3_EVT_* */
    uint32_t sid;
    uint32_t ssid;
    bool     ssv;
    uint16_t stag;
    bool     stall;
    bool     ttrnw;
    bool     pnu, ind, rnw;
    bool     s2;
    bool     nsipa;
    uint8_t  cls;          /* SMMU_CLASS_* */
    uint64_t input_addr;
    uint64_t ipa;          /* IPA for stage 2 faults */
    uint64_t fetch_addr;   /* for *_FETCH and F_WALK_EABT */
    uint32_t reason;
    uint8_t  span;         /* F_BAD_ATS_TREQ: STUs asked for (7.3.6); its W, X, P are
                              !rnw, ind and pnu as the request gave them */
    bool     secure;       /* from a Secure stream: the Secure Event queue (3.10.2.1) */
} smmu_event;

/* The access a transaction makes, after the STE's PRIVCFG/INSTCFG overrides. */
typedef struct smmu_access {
    bool write;
    bool exec;   /* InD: instruction */
    bool priv;   /* PnU: privileged */
    bool ats;    /* an ATS Translation Request (model/ats.c): the walk faults on
                    permissions only when stage 1 grants nothing the request can
                    use (R or W; X or W with INSTCFG == Instruction, 3.9.1.2,
                    13.7.1) or stage 2 nothing at all to this privilege, and `write` (NW == 0) marks a writable-clean page
                    dirty only where the write is permitted (13.7) */
    bool ns;     /* the input NS attribute after STE.NSCFG (a Secure stream's
                    stage 1 bypass output space, 5.2); true for Non-secure streams */
} smmu_access;

/* Permission-relevant bits of a translation, kept so that a TLB hit can be
 * checked exactly as a walk would (DESIGN: re-check on hit). */
typedef struct smmu_perm {
    bool    s1;      /* stage 1 applied */
    uint8_t ap;      /* effective AP[2:1] after APTable (hierarchical) */
    bool    uxn, pxn;/* effective after UXNTable/PXNTable */
    bool    s2;      /* stage 2 applied */
    uint8_t s2ap;    /* S2AP[1:0]: bit 0 read, bit 1 write */
    uint8_t s2xn;    /* XN[1:0] (bit 1 only when IDR3.XNX=0) */
    bool    dbm;     /* stage 1 writable-clean under HTTU dirty management: a write must re-walk */
    bool    s2dbm;   /* the same for stage 2 */
} smmu_perm;

/* Result of a walk (or a TLB hit). */
typedef struct smmu_xlate {
    uint64_t pa;             /* output address of the input address */
    uint64_t ipa;            /* intermediate address (nested / stage 2 only) */
    uint8_t  size_log2;      /* log2 of the translated region (page or block) */
    bool     global;         /* stage 1 nG == 0 */
    smmu_perm perm;
    smmuv3_attrs attrs;      /* before STE overrides */
    uint8_t  s1_level, s2_level;   /* leaf levels, for TTL-hinted invalidation */
    uint8_t  s1_granule, s2_granule; /* log2 granules (0 when the stage is absent) */
    uint8_t  s2_size_log2;   /* stage 2 mapping size (nested combined entries) */
    uint8_t  s2_memattr;     /* stage 2 leaf MemAttr[3:0] and SH as in the descriptor, for */
    uint8_t  s2_sh;          /* combining with incoming attributes (stage 2 only, 13.4.4) */
    bool     s1_ns;          /* stage 1's output NS (the IPA space when stage 2 follows;
                                SMMU_S_CR0.SIF, 6.3.57.2) */
} smmu_xlate;

/* A fault found by the walker or the permission check. */
typedef struct smmu_fault {
    uint8_t  event;          /* SMMUV3_EVT_F_* */
    bool     s2;
    uint8_t  cls;            /* SMMU_CLASS_* */
    uint64_t ipa;            /* for stage 2 faults */
    uint64_t fetch_addr;     /* for F_WALK_EABT */
    bool     ttrnw;
    bool     nsipa;          /* stage 2 faults: the IPA is in the Non-secure IPA space */
} smmu_fault;

/* ------------------------------------------------------------ caches (opaque) */
typedef struct smmu_cfgcache smmu_cfgcache;
typedef struct smmu_tlb smmu_tlb;
typedef struct smmu_stalls smmu_stalls;
typedef struct smmu_walkcache smmu_walkcache;
typedef struct smmu_fastpath smmu_fastpath;

/* A listener of change notices (smmu_state_changed). */
typedef struct smmu_change_listener {
    void (*fn)(void *ctx);
    void *ctx;
} smmu_change_listener;

/* ------------------------------------------------------------ the instance */
struct smmuv3 {
    smmuv3_config cfg;
    smmuv3_host host;
    uint32_t idr[6];
    uint32_t iidr, aidr;
    smmu_regs r;             /* the Non-secure programming interface (SMMU_*) */
    smmu_regs sr;            /* the Secure one (SMMU_S_*, IHI 0070 3.10.2): the same bank of
                                registers and queues, used when SECURE_IMPL == 1 */
    uint32_t s_idr[5];       /* SMMU_S_IDR0..4 */
    uint32_t s_init;         /* SMMU_S_INIT (INV_ALL completes at once: reads 0) */
    smmu_cfgcache *cfgc;
    smmu_tlb *tlb;
    smmu_walkcache *wc;
    smmu_stalls *stalls;
    smmuv3_stats stats;
    smmu_fastpath *fp;       /* memo of complete translations (tlb/memo.h, used by translate.c) */
    uint64_t xgen;           /* count of changes to cached state (smmu_state_changed) */
    smmu_change_listener on_change; /* told of every change (the memo; see smmu_state_changed) */
    unsigned xlate_depth;    /* slow-path translations in progress (nested: host callbacks) */
    /* The driver checker (model/checker/): on while diag_cb is set; every
     * hook in the model is one call guarded by `if (s->diag_cb)`. */
    void (*diag_cb)(void *ctx, const smmuv3_diag *d);
    void *diag_ctx;
    struct smmu_chk *chk;
    smmuv3_inval_sink inval_sink; /* vSMMU: forwarded invalidations (model/vsmmu/sink.c); NULL: none */
    void *inval_ctx;
    /* The instance lock (model/lock.c says what it protects and which host
     * callbacks run under it): a mutex made recursive by its owner's id. */
    pthread_mutex_t mu;
    _Atomic uintptr_t owner; /* smmu_self() of the thread holding mu, 0 when none */
    unsigned depth;          /* how many times the owner holds it */
};

/* ------------------------------------------------------------ threads (lock.c) */
/* This thread's id: its thread pointer (never 0, at least 8-byte aligned, so
 * the memo can keep flags in bits 1:0), one load on x86-64 and AArch64. */
static inline uintptr_t smmu_self(void)
{
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__aarch64__))
    return (uintptr_t)__builtin_thread_pointer();
#else
    return (uintptr_t)pthread_self();
#endif
}
int smmu_lock_init(smmuv3 *s);
void smmu_lock_destroy(smmuv3 *s);
void smmu_lock(smmuv3 *s);     /* recursive: a host callback may take it again */
void smmu_unlock(smmuv3 *s);
/* The body of a public entry point that returns int: SMMUV3_EINVAL without
 * an instance, else `call` made under the instance lock (lock.c). */
#define SMMU_LOCKED_CALL(s, call)     \
    do {                              \
        if (!(s))                     \
            return SMMUV3_EINVAL;     \
        smmu_lock(s);                 \
        int smmu_rc_ = (call);        \
        smmu_unlock(s);               \
        return smmu_rc_;              \
    } while (0)

/* ------------------------------------------------------------ module entry points */
/* regs/profile.c */
void smmu_idregs_compute(smmuv3 *s);
int smmu_oas_encode(unsigned bits);   /* IDR5.OAS encoding of a size in bits, or -1 */

/* config/ste.c: apply the STE's PRIVCFG/INSTCFG overrides to a transaction. */
void smmu_access_from_txn(const smmu_ste *ste, const smmuv3_txn *txn, smmu_access *acc);

/* regs.c: one code path for both register banks; `b` is &s->r or &s->sr and
 * `offset` is the Non-secure frame's offset of the register. */
void smmu_regs_reset(smmuv3 *s);
/* The VMID bits a TLBI by VMID compares (IOTLB and walk cache): the implemented
 * ones less the LSBs SMMU_(S_)CR0.VMW tells to ignore (3.17.6, IDR0.VMW). */
uint16_t smmu_inval_vmid_care(const smmuv3 *s, bool secure);
uint64_t smmu_bank_read(smmuv3 *s, smmu_regs *b, uint64_t offset, unsigned size);
void smmu_bank_write(smmuv3 *s, smmu_regs *b, uint64_t offset, uint64_t value, unsigned size);
static inline uint64_t smmu_regs_read(smmuv3 *s, uint64_t offset, unsigned size)
{
    return smmu_bank_read(s, &s->r, offset, size);
}
static inline void smmu_regs_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size)
{
    smmu_bank_write(s, &s->r, offset, value, size);
}

/* regs/secure_regs.c: the Secure frame (6.2: page 0 from 0x8000), the S_IDRs and S_INIT. */
void smmu_sregs_idr_compute(smmuv3 *s);
bool smmu_sregs_frame(uint64_t offset);   /* offset lies in the Secure frame */
uint64_t smmu_sregs_read(smmuv3 *s, uint64_t offset, unsigned size);
void smmu_sregs_write(smmuv3 *s, uint64_t offset, uint64_t value, unsigned size);
/* SMMU_S_CR0.NSSTALLD changed: SMMU_IDR0.STALL_MODEL follows it (6.3.57). */
void smmu_sregs_nsstalld_apply(smmuv3 *s);

/* Banks: the Secure one exists only with SECURE_IMPL; the Non-secure one always. */
static inline bool smmu_secure_impl(const smmuv3 *s) { return s->cfg.secure_impl; }
static inline bool smmu_bank_secure(const smmuv3 *s, const smmu_regs *b) { return b == &s->sr; }
/* An NSCFG override (STE.NSCFG, S_GBPA.NSCFG; 5.2, 6.3.63): 0b10 Secure,
 * 0b11 Non-secure, else (use incoming, reserved) the input NS attribute. */
static inline bool smmu_nscfg_apply(unsigned nscfg, bool in_ns)
{
    return nscfg == 2 ? false : nscfg == 3 ? true : in_ns;
}
/* The stall model a Security state's structures follow: SMMU_IDR0 (with
 * SMMU_S_CR0.NSSTALLD applied) or SMMU_S_IDR0 (6.3.57.1). */
static inline unsigned smmu_stall_model(const smmuv3 *s, bool secure)
{
    return (unsigned)rget(secure ? s->s_idr[0] : s->idr[0], F_IDR0_stall_model);
}
/* SEC_SID of a transaction (3.10.1): 0 when Secure state is not implemented. */
static inline bool smmu_txn_secure(const smmuv3 *s, const smmuv3_txn *t)
{
    return (t->flags & SMMUV3_TXN_SECURE) && smmu_secure_impl(s);
}
static inline smmu_regs *smmu_bank(smmuv3 *s, bool secure) { return secure ? &s->sr : &s->r; }
/* The ID register a bank's features follow: IDR0 for the Non-secure bank,
 * SMMU_S_IDR0 (STALL_MODEL, MSI) for the Secure one. */
static inline uint32_t smmu_bank_idr0(const smmuv3 *s, const smmu_regs *b)
{
    return smmu_bank_secure(s, b) ? s->s_idr[0] : s->idr[0];
}

/* secure/: invalidation scoped to Secure streams and Secure TLB entries. */
void smmu_secure_cfgi(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]);
void smmu_secure_tlbi(smmuv3 *s, unsigned opcode, const uint64_t cmd[2]);

/* cmdq.c: consume a bank's commands from CONS up to PROD (synchronous). */
void smmu_cmdq_process_bank(smmuv3 *s, smmu_regs *b);
static inline void smmu_cmdq_process(smmuv3 *s) { smmu_cmdq_process_bank(s, &s->r); }
/* The completion signal of a CMD_SYNC, sent after CONS passes the command. */
typedef struct smmu_sync_signal {
    bool irq, sev;
    bool msi;            /* SIG_IRQ as an MSI (else the wired interrupt) */
    uint64_t msi_addr;
    uint32_t msi_data;
} smmu_sync_signal;
/* Check one command and, when legal, perform it: a CERROR_* code. The
 * Non-secure queue's rules (cmdq.c) and the Secure queue's (secure/secure_cmds.c). */
unsigned smmu_cmd_execute_ns(smmuv3 *s, const uint64_t cmd[2], smmu_sync_signal *sig);
unsigned smmu_cmd_execute_secure(smmuv3 *s, const uint64_t cmd[2], smmu_sync_signal *sig);
/* CMD_SYNC of either queue (4.7.3): CS, and the MSI per the bank's MSI support. */
unsigned smmu_cmd_sync_decode(smmuv3 *s, const smmu_regs *b, const uint64_t cmd[2], smmu_sync_signal *sig);

/* vsmmu/sink.c: forward a command that cmdq.c applied to the invalidation
 * sink when it is one the sink receives; returns a CERROR_* code (CERROR_ILL
 * when the sink refused it). */
unsigned smmu_inval_forward(smmuv3 *s, const uint64_t cmd[2]);

/* evtq.c */
/* Record an event (7.3) in the Event queue of its stream's security state.
 * Returns true when a record was written to the queue. */
bool smmu_event_record(smmuv3 *s, const smmu_event *ev);
/* Activate a GERROR condition of a bank (toggle the bit when it is not already active). */
void smmu_gerror_raise_bank(smmuv3 *s, smmu_regs *b, uint32_t bit_mask);
static inline void smmu_gerror_raise(smmuv3 *s, uint32_t bit_mask) { smmu_gerror_raise_bank(s, &s->r, bit_mask); }
/* Send an MSI through the host (32-bit write) to a bank's PA space; false on abort. */
bool smmu_msi_send_bank(smmuv3 *s, const smmu_regs *b, uint64_t addr, uint32_t data);
static inline bool smmu_msi_send(smmuv3 *s, uint64_t addr, uint32_t data) { return smmu_msi_send_bank(s, &s->r, addr, data); }
/* Raise a bank's wired interrupt edge (counts it; the Non-secure ones call host.irq when set). */
void smmu_irq_raise_bank(smmuv3 *s, const smmu_regs *b, smmuv3_irq line);
static inline void smmu_irq_raise(smmuv3 *s, smmuv3_irq line) { smmu_irq_raise_bank(s, &s->r, line); }

/* ste.c / cd.c: decode and validate; return 0, or the event id (C_BAD_STE/C_BAD_CD). */
/* smmu_ste_decode_sec: an STE of the Secure (secure) or Non-secure Stream table. */
int smmu_ste_decode_sec(const smmuv3 *s, const uint64_t raw[8], smmu_ste *out, bool secure);
static inline int smmu_ste_decode(const smmuv3 *s, const uint64_t raw[8], smmu_ste *out)
{
    return smmu_ste_decode_sec(s, raw, out, false);
}
int smmu_cd_decode(const smmuv3 *s, const smmu_ste *ste, const uint64_t raw[8], smmu_cd *out);
/* STE.S2PS / CD.IPS encodings to bits (ste.c); whether granule 2^g is supported. */
unsigned smmu_ps_bits(unsigned enc);
bool smmu_granule_supported(const smmuv3 *s, unsigned g);

/* lookup.c: find the configuration of a transaction (cache, then tables).
 * Returns 0 with *out filled, or an event id with *ev filled (ev->id == 0
 * when the outcome is a silent abort, e.g. STE.Config == abort). */
int smmu_config_lookup(smmuv3 *s, const smmuv3_txn *txn, smmu_txcfg *out, smmu_event *ev);
/* Return value of smmu_config_lookup for a silent termination that is not a
 * fault (STE.Config == abort or a reserved Config): no EventID. Whenever an
 * STE was decoded, out->ste is filled even on failure (translate.c needs
 * STE.S2R/S2S for stage 2 faults on the CD fetch of nested configs). */
#define SMMU_LOOKUP_SILENT 0x100

/* cfgcache.c */
smmu_cfgcache *smmu_cfgcache_new(unsigned entries);
void smmu_cfgcache_free(smmu_cfgcache *c);
void smmu_cfgcache_flush(smmuv3 *s);
/* Execute a CFGI_* command already checked for legality by cmdq.c. */
void smmu_cfgcache_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure);
/* Cached configuration of (StreamID, SubstreamID or none); `verdict` is what
 * smmu_config_lookup answers for that key (0, SMMU_LOOKUP_SILENT or an EventID
 * derived from a valid STE). get counts cfg_hits/cfg_misses. */
uint32_t smmu_cfgcache_last(const smmuv3 *s);
void smmu_cfgcache_touch(smmuv3 *s, uint32_t i);
/* The _sec forms key Secure and Non-secure streams apart (3.10.2: separate
 * StreamID namespaces); the others are the Non-secure streams'. */
bool smmu_cfgcache_get_sec(smmuv3 *s, bool secure, uint32_t sid, bool ssv, uint32_t ssid, smmu_txcfg *cfg,
                           int *verdict);
void smmu_cfgcache_put_sec(smmuv3 *s, bool secure, uint32_t sid, bool ssv, uint32_t ssid,
                           const smmu_txcfg *cfg, int verdict);
static inline bool smmu_cfgcache_get(smmuv3 *s, uint32_t sid, bool ssv, uint32_t ssid, smmu_txcfg *cfg,
                                     int *verdict)
{
    return smmu_cfgcache_get_sec(s, false, sid, ssv, ssid, cfg, verdict);
}
/* CFGI_* for the streams of one Security state (SSec): smmu_cfgcache_command_sec. */
bool smmu_cfgcache_slot_live(const smmuv3 *s, uint32_t i, bool secure, uint32_t sid, bool ssv, uint32_t ssid);

/* walk.c */
/* Translate `iova` with the given configuration. 0 on success, or 1 with *f. */
int smmu_walk(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_access *acc,
              smmu_xlate *out, smmu_fault *f);
/* Stage 2 only: translate an IPA (used for the CD fetch in nested configs;
 * faults are reported with `cls`). */
int smmu_walk_s2(smmuv3 *s, const smmu_s2_cfg *s2, uint64_t ipa, const smmu_access *acc,
                 uint8_t cls, smmu_xlate *out, smmu_fault *f);
/* Combine input attributes (stage 1's, or the incoming ones when stage 1 is
 * bypassed) with a stage 2 leaf's MemAttr and SH, with S2FWB when enabled
 * (13.4.3, 13.4.4): one rule for nested and stage-2-only streams. */
void smmu_attrs_with_s2(const smmuv3 *s, const smmu_s2_cfg *s2, uint8_t in_memattr, uint8_t in_sh,
                        uint8_t s2_memattr, uint8_t s2_sh, smmuv3_attrs *out);
/* walk/perm.h: the R/W/X a stage 1 or stage 2 leaf grants (inline). */
/* Permission check of a completed translation (walk or TLB hit). 0 with the
 * R/W/X granted in *granted (when not NULL), or 1 with *f. */
int smmu_perm_check(const smmuv3 *s, const smmu_txcfg *cfg, const smmu_xlate *x,
                    const smmu_access *acc, smmu_fault *f, unsigned *granted);

/* walkcache.c: cache of intermediate table descriptors (optional; capacity
 * cfg.walk_entries, 0 = off). The walker consults it; TLBI commands reach it. */
smmu_walkcache *smmu_walkcache_new(unsigned entries);
void smmu_walkcache_free(smmu_walkcache *w);
void smmu_walkcache_flush(smmuv3 *s);
/* Execute the walk-cache part of a TLBI_* command (checked by cmdq.c), of
 * one Security state as smmu_tlb_command_sec. */
void smmu_walkcache_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure);

/* tlb.c */
smmu_tlb *smmu_tlb_new(unsigned entries);
void smmu_tlb_free(smmu_tlb *t);
void smmu_tlb_flush(smmuv3 *s);
/* Look up a cached translation for this configuration and address. */
bool smmu_tlb_lookup(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, smmu_xlate *out);
uint32_t smmu_tlb_last(const smmuv3 *s);
void smmu_tlb_insert(smmuv3 *s, const smmu_txcfg *cfg, uint64_t iova, const smmu_xlate *x);
/* Execute a TLBI_* command already checked for legality by cmdq.c, on the
 * entries of Secure streams (secure: the Secure queue's Secure-scope
 * commands, 4.4) or of Non-secure ones; never both (3.10.2). */
void smmu_tlb_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure);

/* ats.c: an ATS Translated transaction (smmuv3_translate with
 * SMMUV3_TXN_TRANSLATED, 3.9.1.3); CMD_ATC_INV (4.5.1, its legality too),
 * returning a CERROR_* code; smmuen: SMMUEN of the Security state of the
 * Command queue it came from. */
int smmu_ats_translated(smmuv3 *s, const smmuv3_txn *txn, smmuv3_result *res);
unsigned smmu_atc_inv_command(smmuv3 *s, const uint64_t cmd[2], bool smmuen);

/* queues/priq.c: CMD_PRI_RESP (4.5.2, its legality too), returning a CERROR_*
 * code; smmuen: SMMUEN of the Security state of the Command queue it came from. */
unsigned smmu_pri_resp_command(smmuv3 *s, const uint64_t cmd[2], bool smmuen);

/* config/lookup.c: the STE of a StreamID without any CD (3.9.1.3, 8.1): 0, or
 * C_BAD_STREAMID / F_STE_FETCH / C_BAD_STE with *ev. */
int smmu_ste_lookup(smmuv3 *s, uint32_t sid, smmu_ste *out, smmu_event *ev);

/* stall.c: stalled transactions (3.12.2). */
smmu_stalls *smmu_stalls_new(unsigned max);
void smmu_stalls_free(smmu_stalls *st);
void smmu_stalls_reset(smmuv3 *s);
/* RESUME / STALL_TERM, already checked for legality by cmdq.c, for the
 * stalls of Secure (SSec == 1) or Non-secure streams. */
void smmu_stall_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure);
/* Take a STAG for a transaction that stalls; false when STALL_MAX are held. */
bool smmu_stall_add(smmuv3 *s, const smmuv3_txn *txn, uint16_t *stag);
/* The stall record could not be written: the transaction is to be retried (3.12.2). */
void smmu_stall_set_retry(smmuv3 *s, uint32_t sid, uint16_t stag);
/* SMMU_CR0.SMMUEN went 1 -> 0: every held stall, pending or marked for a retry the
 * device has not made yet, is terminated with abort (6.3.9.6, 3.12.2.2).
 * For regs.c; smmuv3_stall_poll() also checks SMMUEN itself. */
void smmu_stalls_disable_sec(smmuv3 *s, bool secure);
static inline void smmu_stalls_disable(smmuv3 *s) { smmu_stalls_disable_sec(s, false); }

/* ------------------------------------------------------------ change notices
 * The one interface through which the registers, the command queue and the
 * caches announce that the result of a translation may have changed: the
 * generation advances and the listener forgets what it derived from the old
 * state. The translation memo (tlb/memo.c) registers itself as the listener
 * when it is created; nothing else includes the memo. */
static inline void smmu_state_changed(smmuv3 *s)
{
    s->xgen++;
    if (s->on_change.fn)
        s->on_change.fn(s->on_change.ctx);
}

/* small helpers */
static inline int smmu_host_read(smmuv3 *s, uint64_t pa, void *buf, size_t len)
{
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    return s->host.read(s->host.ctx, pa, buf, len) ? SMMUV3_EABORT : 0;
}

static inline int smmu_host_write(smmuv3 *s, uint64_t pa, const void *buf, size_t len)
{
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    return s->host.write(s->host.ctx, pa, buf, len) ? SMMUV3_EABORT : 0;
}

/* Accesses to a PA space (3.10.2): ns false is the Secure PA space, through
 * host.read_secure/write_secure (the same memory as read/write when NULL). */
static inline int smmu_host_read_pas(smmuv3 *s, bool ns, uint64_t pa, void *buf, size_t len)
{
    if (ns || !s->host.read_secure)
        return smmu_host_read(s, pa, buf, len);
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    return s->host.read_secure(s->host.ctx, pa, buf, len) ? SMMUV3_EABORT : 0;
}

static inline int smmu_host_write_pas(smmuv3 *s, bool ns, uint64_t pa, const void *buf, size_t len)
{
    if (ns || !s->host.write_secure)
        return smmu_host_write(s, pa, buf, len);
    if (pa >= SMMUV3_PA_LIMIT || len > SMMUV3_PA_LIMIT - pa)
        return SMMUV3_ERANGE;
    return s->host.write_secure(s->host.ctx, pa, buf, len) ? SMMUV3_EABORT : 0;
}

static inline uint64_t smmu_oas_mask(const smmuv3 *s)
{
    return s->cfg.oas >= 64 ? ~0ull : (1ull << s->cfg.oas) - 1;
}

#endif
