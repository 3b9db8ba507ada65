/* SPDX-License-Identifier: MIT */
/*
 * The vector runner's shared state. The runner builds what a vector's setup
 * describes with the builders (smmuv3/build.h) in a fresh flat memory, brings
 * an SMMU up through MMIO as a driver does, then runs the steps in order and
 * checks every expectation. Commands and event records go through the queues
 * in memory exactly as software would use them (registers read back, entries
 * written/read). Files: run.c (the run and the step dispatch), run_setup.c
 * (symbols, memory/MMIO setup, bring-up), run_tables.c (stream, page and CD
 * tables), run_steps.c (the steps that check something), run_vsmmu.c (the
 * vSMMU steps), run_report.c (the failure message and the -v trace).
 */
#ifndef SMMUV3_VEC_RUN_INT_H
#define SMMUV3_VEC_RUN_INT_H

#include <smmuv3/build.h>
#include "vec_model.h"
/* Addresses the runner allocates for objects without an explicit base. Vectors
 * should place their own objects outside this window. */
#define AUTO_BASE 0xC0000000ull
#define AUTO_SIZE 0x3F000000ull

#define REG_CMDQ_BASE 0x90
#define REG_CMDQ_PROD 0x98
#define REG_CMDQ_CONS 0x9C
#define REG_EVENTQ_BASE 0xA0
#define REG_EVENTQ_PROD 0x100A8
#define REG_EVENTQ_CONS 0x100AC
#define REG_GERROR 0x60
#define REG_GERRORN 0x64
#define REG_GBPA 0x44
#define REG_CR2 0x2C
#define Q_ADDR_MASK 0x00FFFFFFFFFFFFE0ull

typedef struct rpt {
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_pt pt;
    uint64_t base;
    bool ready;
} rpt;

typedef struct rcd {
    smmuv3_alloc al;
    smmuv3_space sp;
    smmuv3_cdtab ct;
    uint64_t base;
    bool ready;
} rcd;

typedef struct rdev { uint32_t sid; smmuv3_testdev *d; } rdev;

/* ATC invalidations / PRG responses kept for expect_atc_inv / expect_pri_resp. */
#define SVR_MAX_MSGS 64

/* A snapshot taken by a `save` step. */
typedef struct rsnap { const char *name; uint8_t *buf; size_t len; } rsnap;
#define MAX_SNAPS 16

typedef struct R {
    const smmuv3_vector *v;
    FILE *trace;
    smmuv3_vec_result *res;
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3_mem *smem;       /* the Secure PA space (setup smmu: secure_memory), else NULL */
    smmuv3_host shost;      /* the builders' view of the Secure PA space */
    smmuv3 *smmu;
    smmuv3_alloc gal;
    smmuv3_space pa;
    smmuv3_alloc sal;
    smmuv3_space spa;       /* Secure PA addresses of memory entries (secure: true) */
    smmuv3_alloc stal;
    smmuv3_space stsp;
    smmuv3_strtab st;
    bool have_st;
    rpt *pts;
    rcd *cds;
    smmuv3_driver drv;
    rdev devs[32];
    size_t ndevs;
    size_t step;             /* 1-based while steps run; 0 during setup */
    rsnap snaps[MAX_SNAPS];
    size_t nsnaps;
    bool check;              /* the driver checker is on (--check, or the vector expects diagnostics) */
    unsigned diag_seen;      /* codes reported since the last expect_diagnostics step (bit = code) */
    char diag_first[320];    /* the first of those reports */
    smmuv3_atc_inv invs[SVR_MAX_MSGS];   /* since the last expect_atc_inv (run_ats.c) */
    size_t ninvs;
    smmuv3_pri_resp resps[SVR_MAX_MSGS]; /* since the last expect_pri_resp */
    size_t nresps;
    struct svr_sink *sink;   /* the inval_sink step's recording sink (run_vsmmu.c), or NULL */
} R;

/* The driver checker's callback (run.c): collects reports for expect_diagnostics. */
void svr_on_diag(void *ctx, const smmuv3_diag *d);

/* ---- report (run_report.c) */
/* Record the first failure (at `line`, in the current step) and return -1. */
int svr_fail(R *r, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void svr_trace(R *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "F_TRANSLATION {streamid: 8, inputaddr: 0x...}" */
void svr_decode_event(const uint8_t rec[32], char *out, size_t len);
const char *svr_gerror_names(uint32_t m, char *out, size_t len);
/* SMMUV3_PERM_* bits as "rwx" (a subset, in that order), or "none". */
void svr_perm_str(unsigned p, char out[8]);

/* ---- symbols and setup (run_setup.c) */
int svr_find_pt(const smmuv3_vector *v, const char *name);   /* index, or -1 */
int svr_find_cd(const smmuv3_vector *v, const char *name);
/* Resolve an expression; *space (when not NULL) gets the address space the
 * address belongs to (an IPA space for objects in one). */
int svr_resolve(R *r, const sv_expr *e, uint64_t *out, const smmuv3_space **space);
/* Encode a field list into an image (fields of fl->st). */
int svr_set_fields(R *r, const sv_fields *fl, uint8_t *img);
const sv_fieldval *svr_fields_get(const sv_fields *fl, const char *name);
/* The address of a memory entry: addr, or a descriptor of a page table. */
int svr_mem_addr(R *r, const sv_mem *m, uint64_t *a, const smmuv3_space **sp);
int svr_mem_write(R *r, const sv_mem *m);
int svr_mmio_write(R *r, const sv_mmio *m);
/* Registers of the Secure frame (SMMU_S_*, 0x8000..0xFFFF) are written and
 * read with Secure accesses (a vector is the Secure software too). */
static inline bool svr_secure_frame(uint64_t offset) { return offset >= 0x8000 && offset < 0x10000; }
/* A queue or GERROR register (REG_*) of the Non-secure bank, or with sec its
 * Secure twin (6.2: SMMU_S_* at 0x8000 + the page 0 offset, S_EVENTQ_PROD/CONS
 * included), accessed in that security state; the memory of that bank's
 * queues (the Secure PA space for the Secure bank, 3.10.2.1). */
static inline uint64_t svr_qreg(bool sec, uint64_t off) { return sec ? 0x8000 | (off & 0xfff) : off; }
static inline uint64_t svr_qrd(R *r, bool sec, uint64_t off, unsigned size)
{
    return smmuv3_mmio_read_sec(r->smmu, svr_qreg(sec, off), size, sec);
}
static inline void svr_qwr(R *r, bool sec, uint64_t off, uint64_t v, unsigned size)
{
    smmuv3_mmio_write_sec(r->smmu, svr_qreg(sec, off), v, size, sec);
}
static inline smmuv3_mem *svr_qmem(R *r, bool sec) { return sec && r->smem ? r->smem : r->mem; }
static inline bool svr_mmio_sec(const sv_mmio *m) { return m->has_sec ? m->sec : svr_secure_frame(m->offset); }
int svr_setup(R *r);

/* ---- tables (run_tables.c) */
int svr_setup_strtab(R *r);
/* Page tables: bases for all first (symbols may point at them), then stage 2
 * tables are built, then stage 1 tables (which may live in a stage 2 IPA space). */
int svr_reserve_pts(R *r);
int svr_build_pt(R *r, size_t i);
int svr_pt_map_one(R *r, size_t i, const sv_map *m);
int svr_build_cdtab(R *r, size_t i);
int svr_build_ste(R *r, const sv_stream *s);

/* ---- steps (run_steps.c) */
int svr_do_commands(R *r, const sv_step *s);
int svr_do_translate(R *r, const sv_step *s);
int svr_do_dma(R *r, const sv_step *s);
int svr_do_mem_read(R *r, const sv_step *s);
int svr_do_mmio_read(R *r, const sv_step *s);
int svr_do_events(R *r, const sv_step *s);
smmuv3_testdev *svr_dev_for(R *r, uint64_t sid);   /* the test device of a StreamID (made on first use) */

/* ---- ATS and PRI (run_ats.c) */
/* The runner's host: the vector's memory, and ATC invalidations / PRG responses
 * recorded and delivered to the test devices. */
void svr_host_init(R *r);
/* After bring-up: the PRI queue and CR0.ATSCHK as the setup asks. */
int svr_setup_ats(R *r);
int svr_do_ats_step(R *r, const sv_step *s);

/* ---- snapshots (run_snapshot.c) */
int svr_do_save(R *r, const sv_step *s);
int svr_do_restore(R *r, const sv_step *s);
void svr_snaps_free(R *r);

/* ---- vSMMU steps (run_vsmmu.c) */
int svr_do_inval_sink(R *r, const sv_step *s);
int svr_do_expect_forwarded(R *r, const sv_step *s);
int svr_do_vste(R *r, const sv_step *s);
void svr_sink_free(R *r);
void svr_sink_attach(R *r);   /* (re)install the recording sink on r->smmu (a fresh restore) */

#endif
