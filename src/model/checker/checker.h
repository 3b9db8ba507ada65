/* SPDX-License-Identifier: MIT */
/*
 * The driver checker's hooks (internal). Each hook is called from the model
 * as one line guarded by `if (s->diag_cb)`, so the checker costs one
 * predictable branch when it is off and never runs its code then. A hook
 * only reads: memory through the host, registers, cache contents. It never
 * changes what the model does (re-walks are made with writes discarded, the
 * walk cache bypassed and the statistics restored).
 *
 *   instance.c   smmu_chk_mmio_write    before every register write (queues,
 *                                       alignment, overlap, errors ignored),
 *   secure_regs.c                       of either bank (Secure: SMMU_S_*)
 *                smmu_chk_s_init        SMMU_S_INIT written
 *   lookup.c     smmu_chk_cfg_miss      a configuration lookup reads memory
 *                smmu_chk_note          each STE/L1STD/CD/L1CD read (PA space, PA,
 *                                       words; its table pointers are checked at once)
 *                smmu_chk_cfg_cached    the configuration went into the cache
 *                smmu_chk_cfg_hit       the configuration cache answered
 *   translate.c  smmu_chk_tlb_hit       the IOTLB answered
 *   memo.c       the translation memo takes no entries while the checker is
 *                on, so every translation reaches the hooks above.
 *
 * Threads: the hooks run where they are called, under whatever protects
 * the caches there; the checker's own state (notes of the lookup in
 * progress, shadow of the configuration cache) is per instance.
 */
#ifndef SMMU_CHECKER_H
#define SMMU_CHECKER_H

#include "model/smmu.h"

/* What a note is: the structures a configuration was decoded from. */
enum { SMMU_CHK_L1STD = 0, SMMU_CHK_STE = 1, SMMU_CHK_L1CD = 2, SMMU_CHK_CD = 3, SMMU_CHK_NOTES = 4 };

typedef struct smmu_chk_rec {
    uint8_t  kind;       /* SMMU_CHK_* */
    uint8_t  n;          /* words */
    bool     ns;         /* the PA space it was read from (3.10.2) */
    uint64_t pa;
    uint64_t w[8];
} smmu_chk_rec;

/* The raw structures behind one configuration cache entry. */
typedef struct smmu_chk_shadow {
    bool     valid;      /* filled while the checker was on */
    bool     ssv;
    bool     reported;   /* a STALE report was made for this entry */
    bool     secure;     /* a Secure stream's (SEC_SID = 1) */
    uint8_t  nnotes;
    uint32_t sid, ssid;
    smmu_chk_rec note[SMMU_CHK_NOTES];
    smmu_txcfg cfg;      /* as decoded (TAG_ALIAS) */
} smmu_chk_shadow;

#define SMMU_CHK_RECENT 16 /* reports remembered, so that one problem seen again reports once */

typedef struct smmu_chk {
    char msg[320];
    /* the lookup in progress */
    uint32_t cur_sid, cur_ssid;  /* its StreamID, SubstreamID (UINT32_MAX: none) */
    bool cur_secure;             /* of a Secure stream */
    bool ste_ok;                 /* cur_ste decoded from the STE read */
    smmu_ste cur_ste;
    uint8_t nnotes;
    smmu_chk_rec note[SMMU_CHK_NOTES];
    /* shadow of the configuration cache, by entry */
    unsigned nshadow;
    smmu_chk_shadow *shadow;
    /* recent reports: (code, sid, ssid), addr */
    uint64_t recent[SMMU_CHK_RECENT][2];
    unsigned recent_next;
    /* errors already reported, per bank ([1]: Secure): GERROR bits; queue
     * overflows (bit 0 event queue, bit 1 PRI queue; bits 2 and 3: the
     * same queue emptied with the overflow still unacknowledged) */
    uint32_t gerror_reported[2];
    uint8_t ovf_reported[2];
} smmu_chk;

/* checker.c */
void smmu_chk_free(smmu_chk *c);
/* Report one diagnostic: counts it and calls the callback. printf-style msg. */
void smmu_chk_report(smmuv3 *s, int code, uint32_t sid, uint32_t ssid, uint64_t addr, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* True the first time (code, sid, ssid, addr) is asked about among the last
 * SMMU_CHK_RECENT (then remembered): for problems seen again on every use.
 * Pass code | SMMU_CHK_SEC for a Secure stream's (its own namespace). */
bool smmu_chk_once(smmuv3 *s, int code, uint32_t sid, uint32_t ssid, uint64_t addr);
#define SMMU_CHK_SEC 0x80
/* "Secure " for a Secure stream, else "" (message prefixes). */
static inline const char *smmu_chk_sw(bool secure) { return secure ? "Secure " : ""; }

/* regs hooks (checker/mmio.c): a write to bank b (&s->r or &s->sr) at the
 * register's Non-secure frame offset; SMMU_S_INIT (Secure only). */
void smmu_chk_mmio_write(smmuv3 *s, const smmu_regs *b, uint64_t offset, uint64_t value, unsigned size);
void smmu_chk_s_init(smmuv3 *s, uint32_t value);

/* configuration hooks (checker/stale.c) */
void smmu_chk_cfg_miss(smmuv3 *s, const smmuv3_txn *txn);
void smmu_chk_note(smmuv3 *s, unsigned kind, bool ns, uint64_t pa, const uint64_t *w, unsigned n);
void smmu_chk_cfg_cached(smmuv3 *s, const smmuv3_txn *txn, const smmu_txcfg *cfg);
void smmu_chk_cfg_hit(smmuv3 *s, const smmuv3_txn *txn);

/* translation hook (checker/stale.c): the IOTLB answered x; `faulted` when
 * the permission check of x failed for this access. */
void smmu_chk_tlb_hit(smmuv3 *s, const smmu_txcfg *cfg, const smmuv3_txn *txn, const smmu_access *acc,
                      const smmu_xlate *x, bool faulted);

/* checker/align.c: the table pointers of a structure just read (a note) */
void smmu_chk_rec_tables(smmuv3 *s, const smmu_chk_rec *r);
/* TAG_ALIAS: whether another live configuration shares cfg's TLB tag with
 * different tables (reported once per pair); with `explains`, only one for
 * which it returns true counts. */
bool smmu_chk_alias(smmuv3 *s, const smmu_txcfg *cfg, uint32_t sid, uint32_t ssid,
                    bool (*explains)(smmuv3 *s, const smmu_txcfg *other, void *ctx), void *ctx);

#endif
