/* SPDX-License-Identifier: MIT */
/* The loaded form of a vector, shared by the loader (load*.c) and the runner (run*.c). */
#ifndef SMMUV3_VEC_MODEL_H
#define SMMUV3_VEC_MODEL_H

#include "vectors.h"

typedef struct sv_mark { unsigned line, col; } sv_mark;

/* A value: a number, or a symbol (with an optional [index]) plus or minus an offset. */
typedef struct sv_expr {
    const char *sym;        /* NULL: plain number in off */
    bool has_index;
    uint64_t index;
    uint64_t off;
    bool neg;               /* subtract off from the symbol */
    sv_mark mark;
} sv_expr;

typedef struct sv_fieldval {
    const smmuv3_field *f;
    sv_expr v;              /* symbols only for address fields */
} sv_fieldval;

typedef struct sv_fields {
    sv_fieldval *items;
    size_t n;
    const smmuv3_struct *st;
} sv_fields;

/* Permission letters of a mapping. */
enum { SV_R = 1, SV_W = 2, SV_X = 4 };

typedef struct sv_map {
    sv_expr in;             /* iova (stage 1) or ipa (stage 2) */
    sv_expr out;            /* pa (or ipa for a stage 1 table of a nested stream) */
    uint64_t size;
    unsigned perm;          /* SV_* */
    bool priv_only;         /* stage 1: EL0 has no access (AP[1] = 0) */
    int attrindx, memattr, sh, af, ng, ns, contig, dbm;   /* -1: default */
    int ap, s2ap, xn, pxn, uxn;                           /* -1: from perm */
    bool pages;             /* never use blocks */
    int key_stage;          /* 1: given as iova, 2: given as ipa */
    sv_mark mark;
} sv_map;

typedef struct sv_pt {
    const char *name;
    int stage;              /* 1 or 2 */
    unsigned gran;          /* log2: 12, 14, 16 */
    unsigned ias;           /* input address bits */
    int start_level;        /* -1: derived from ias */
    unsigned tables;        /* size of the table pool in granules */
    bool has_base;
    sv_expr base;
    const char *space;      /* stage 1: the stage 2 table its addresses go through (IPAs), or NULL */
    sv_mark space_mark;
    bool secure;            /* its memory is in the Secure PA space (setup smmu: secure_memory) */
    sv_map *maps;
    size_t nmaps;
    sv_mark mark;
} sv_pt;

typedef struct sv_cd {
    uint64_t ssid;
    sv_fields f;
    sv_mark mark;
} sv_cd;

typedef struct sv_cdtab {
    const char *name;
    bool two_level;
    unsigned leaf;          /* 2-level: log2 CDs per leaf table (6 = 4K, 10 = 64K) */
    unsigned log2size;      /* S1CDMAX */
    bool has_base;
    sv_expr base;
    const char *space;      /* the stage 2 table its addresses go through (IPAs), or NULL */
    sv_mark space_mark;
    bool secure;            /* its memory is in the Secure PA space */
    sv_cd *cds;
    size_t ncds;
    sv_mark mark;
} sv_cdtab;

typedef struct sv_stream {
    uint64_t sid;
    sv_fields ste;
    sv_mark mark;
} sv_stream;

enum { SV_MEM_VALUE, SV_MEM_BYTES, SV_MEM_STRUCT, SV_MEM_ABORT };

typedef struct sv_mem {
    int kind;
    sv_expr addr;
    bool has_desc;          /* the address is a translation table descriptor: */
    const char *dtable;     /*   of this page table, */
    uint64_t diova;         /*   for this input address, */
    unsigned dlevel;        /*   at this level */
    sv_mark dmark;
    sv_expr value;          /* SV_MEM_VALUE */
    unsigned size;          /* SV_MEM_VALUE: 1, 2, 4, 8 */
    uint8_t *bytes;         /* SV_MEM_BYTES */
    size_t nbytes;
    sv_fields fields;       /* SV_MEM_STRUCT (fields.st is the structure) */
    uint64_t len;           /* SV_MEM_ABORT */
    bool secure;            /* at an address of the Secure PA space */
    sv_mark mark;
} sv_mem;

typedef struct sv_mmio {
    const smmuv3_reg *reg;  /* NULL when given by offset */
    uint64_t offset;
    unsigned size;
    bool has_value;
    sv_expr value;
    sv_fields fields;       /* of reg->layout */
    bool has_sec, sec;      /* 'secure:' given: a Secure (true) or Non-secure access;
                               else Secure exactly for the Secure frame (0x8000..0xFFFF) */
    sv_mark mark;
} sv_mmio;

typedef struct sv_cmd {
    unsigned opcode;
    bool raw;
    uint64_t rawv[2];
    sv_fields fields;
    sv_mark mark;
} sv_cmd;

enum { SV_EV_UNCHECKED = 0, SV_EV_NONE, SV_EV_RECORD };

typedef struct sv_xlate {
    uint64_t sid, ssid, iova;
    bool ssv;
    uint32_t flags;
    /* expectations */
    int outcome;            /* -1: ok, or abort when fault is set */
    bool has_pa; sv_expr pa;
    bool has_size; uint64_t size;
    bool has_perm; unsigned perm;
    int memattr, sh, bypass, fault;   /* -1: unchecked */
    int ns;                 /* result.attrs.ns, the PA space of pa; -1: unchecked */
    int event_mode;
    sv_fields event;
    sv_mark expect_mark;
} sv_xlate;

typedef struct sv_dma {
    uint64_t sid, len, attrs, ssid;
    bool ssv;
    uint32_t txn_attrs;     /* device TXN_ATTRS: bit 0 privileged, bit 1 instruction */
    sv_expr iova, gpa;
    bool has_gpa, arm;
    int64_t result;         /* -1: unchecked */
} sv_dma;

typedef struct sv_events {
    int64_t count;          /* -1: unchecked */
    sv_fields *records;
    size_t nrecords;
    int overflow;           /* -1 unchecked */
} sv_events;

enum {
    SV_STEP_MMIO_WRITE, SV_STEP_MMIO_READ, SV_STEP_COMMANDS, SV_STEP_MEM_WRITE, SV_STEP_MEM_READ,
    SV_STEP_TRANSLATE, SV_STEP_DMA, SV_STEP_DEV_WRITE, SV_STEP_DEV_READ, SV_STEP_EVENTS,
    SV_STEP_GERROR, SV_STEP_CMDQ_ERROR, SV_STEP_GERROR_ACK, SV_STEP_MAP, SV_STEP_UNMAP, SV_STEP_SAVE,
    SV_STEP_RESTORE, SV_STEP_DIAG,
    SV_STEP_INVAL_SINK, SV_STEP_EXPECT_FORWARDED, SV_STEP_VSTE,
    /* ATS and PRI (vec_ats.h, load_ats.c, run_ats.c) */
    SV_STEP_ATS, SV_STEP_PAGE_REQ, SV_STEP_PRIQ, SV_STEP_ATC_INV, SV_STEP_PRI_RESP
};

/* vSMMU steps (load_vsmmu.c, run_vsmmu.c): inval_sink, expect_forwarded
 * (its commands in sv_step.cmds), vste. */
typedef struct sv_vsmmu {
    bool sink_off;          /* inval_sink: off */
    bool refuse_all;        /* inval_sink: { refuse: all } */
    uint64_t *refuse;       /* inval_sink: { refuse: [n, ...] }: calls (1-based) that fail */
    size_t nrefuse;
    uint64_t sid;           /* vste: the STE of this StreamID */
    int kind;               /* vste: expected SMMUV3_VSTE_* */
    bool has_dw[2];         /* vste: expected dwords 0 and 1 */
    uint64_t dw[2];
} sv_vsmmu;

typedef struct sv_step {
    int kind;
    const char *action;     /* the key as written */
    const char *note;
    sv_mark mark;
    sv_mmio mmio;           /* MMIO_WRITE / MMIO_READ (expected value in mmio.value/fields) */
    sv_cmd *cmds; size_t ncmds;
    sv_mem mem;             /* MEM_WRITE / MEM_READ (expected contents) */
    sv_xlate x;
    sv_dma dma;
    uint64_t dev_sid, dev_off, dev_val;
    sv_events ev;
    uint32_t gerror_mask;   /* SV_STEP_GERROR: the exact set of active errors */
    unsigned cerror;        /* SV_STEP_CMDQ_ERROR */
    unsigned diag_mask;     /* SV_STEP_DIAG: the exact set of driver checker codes (bit = code) */
    const char *table;      /* SV_STEP_MAP / SV_STEP_UNMAP: the page table */
    sv_mark table_mark;
    sv_map map;             /* SV_STEP_MAP (for UNMAP: in and size) */
    const char *snap;       /* SV_STEP_SAVE / SV_STEP_RESTORE: the snapshot's name */
    bool snap_fresh;        /* SV_STEP_RESTORE: into a new SMMU that replaces the running one */
    sv_vsmmu vs;            /* SV_STEP_INVAL_SINK / SV_STEP_VSTE */
    struct sv_ats *ats;     /* SV_STEP_ATS .. SV_STEP_PRI_RESP (vec_ats.h) */
    bool secure;            /* step key 'secure: true': commands, expect_events, expect_gerror,
                               expect_cmdq_error and gerror_ack use the Secure Command/Event
                               queue and S_GERROR (IHI 0070 3.10.2.1) */
} sv_step;

struct smmuv3_vector {
    const char *file;
    const char *name, *description;
    smmuv3_config cfg;
    /* bring-up */
    bool bringup, smmuen, eventq_en;
    unsigned cmdq_log2, eventq_log2;
    bool has_gbpa; uint32_t gbpa;
    bool has_cr2; uint32_t cr2;
    bool priq_en, atschk;   /* setup smmu: priq, atschk (run_ats.c) */
    bool secure_mem;        /* setup smmu: secure_memory: a Secure PA space of its own
                               (host.read_secure/write_secure), else the same memory */
    unsigned priq_log2;
    /* stream table */
    bool strtab_present, strtab_2level;
    unsigned strtab_log2, strtab_split;
    bool strtab_has_base; sv_expr strtab_base;
    sv_stream *streams; size_t nstreams;
    sv_cdtab *cdtabs; size_t ncdtabs;
    sv_pt *pts; size_t npts;
    sv_mem *mem; size_t nmem;
    sv_mmio *mmio; size_t nmmio;
    sv_step *steps; size_t nsteps;
    void *arena;
};

/* Allocation from the vector's arena (freed with the vector). */
void *sv_alloc(smmuv3_vector *v, size_t size);
/* A whole file (malloc'd, at most 64 MiB), or NULL with "path:1:1: why" in err. */
char *sv_read_file(const char *path, size_t *len, char *err, size_t errlen);

#endif
