/* SPDX-License-Identifier: MIT */
/*
 * Builders: everything a test, a YAML vector or an embedding program needs to
 * lay out SMMUv3 tables in memory and drive an SMMU through its registers the
 * way a driver does.
 *
 *   smmuv3_alloc    bump allocator over a region of an address space
 *   smmuv3_space    an address space (physical, or IPA through a caller's
 *                   IPA->PA function) in which tables are allocated and written
 *   STE / CD images 64-byte little-endian images, set by field name through the
 *                   field tables (smmuv3/fields.h) or by typed constructors
 *   smmuv3_strtab   linear and 2-level stream tables
 *   smmuv3_cdtab    linear and 2-level CD tables (4K / 64K leaves)
 *   smmuv3_pt       VMSAv8-64 stage 1 / stage 2 page tables, 4K/16K/64K granules
 *   smmuv3_driver   MMIO bring-up, command submission, event queue reading
 *
 * Rules, for every function here:
 *   - Returns 0 or a negative SMMUV3_E* code (smmuv3_strerror() names it);
 *     nothing crashes, prints or aborts on bad input (NULL arguments give
 *     SMMUV3_EINVAL). Functions documented as returning a count return it (>= 0).
 *   - Only the public API is used: memory through smmuv3_host read/write,
 *     the SMMU through smmuv3_mmio_read/write, bit positions through the
 *     field tables. The builders therefore work over any host memory.
 *   - "addr" parameters that say SMMUV3_BUILD_ALLOC are allocated from the
 *     space's allocator (and zeroed); any other value places the object there
 *     (and it is zeroed too), unless it carries SMMUV3_BUILD_KEEP: then the
 *     memory is adopted as it is (to share tables, or to describe tables
 *     something else wrote).
 *   - Structures are plain; their fields may be read by callers. Fields marked
 *     "private" are not part of the contract.
 *
 * Typical use (stage 1, SID 8, one CD, a 4K-granule 48-bit table):
 *
 *   smmuv3_mem *mem = smmuv3_mem_new();  smmuv3_host host;  smmuv3_host_from_mem(&host, mem);
 *   smmuv3_alloc al;  smmuv3_alloc_init(&al, 0x40000000, 0x1000000);
 *   smmuv3_space pa;  smmuv3_space_init(&pa, &host, &al);
 *   smmuv3_strtab st; smmuv3_strtab_init_linear(&st, &pa, 8, SMMUV3_BUILD_ALLOC);
 *   smmuv3_cdtab cds; smmuv3_cdtab_init(&cds, &pa, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC);
 *   smmuv3_pt pt;     smmuv3_pt_init_s1(&pt, &pa, 12, 16, SMMUV3_BUILD_ALLOC);
 *   smmuv3_pt_map(&pt, iova, phys, 0x10000, SMMUV3_MAP_READ | SMMUV3_MAP_WRITE, 0);
 *   smmuv3_cd_params cp;  smmuv3_cd_params_from_pt(&pt, 1, &cp);
 *   uint8_t cd[64];   smmuv3_cd_s1(cd, &cp);  smmuv3_cdtab_write_cd(&cds, 0, cd);
 *   uint8_t ste[64];  smmuv3_ste_s1(ste, cds.base, cds.fmt, cds.cdmax);  smmuv3_strtab_write_ste(&st, 8, ste);
 *   smmuv3_driver drv; smmuv3_driver_init(&drv, smmu, &pa, &st, NULL);
 */
#ifndef SMMUV3_BUILD_H
#define SMMUV3_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmuv3;
struct smmuv3_host;

/* Pass as an address to have the object allocated from the space's allocator. */
#define SMMUV3_BUILD_ALLOC UINT64_MAX
/* OR into a placement address: adopt the memory there without zeroing it. */
#define SMMUV3_BUILD_KEEP (1ull << 63)

/* ================================================================ allocator */
/* Bump allocation inside [base, base + size). Never frees; never reuses. */
typedef struct smmuv3_alloc {
    uint64_t base;   /* first address of the region */
    uint64_t end;    /* one past the last address */
    uint64_t next;   /* next free address (private) */
} smmuv3_alloc;

/* SMMUV3_EINVAL when size is 0 or the region wraps 2^64. */
SMMUV3_API int smmuv3_alloc_init(smmuv3_alloc *a, uint64_t base, uint64_t size);
/* Allocate `size` bytes aligned to `align` (a power of two; 0 means 1).
 * SMMUV3_ENOMEM when the region is exhausted (the allocator is unchanged),
 * SMMUV3_EINVAL for size 0 or an alignment that is not a power of two.
 * The memory is NOT cleared (see smmuv3_space_zalloc). */
SMMUV3_API int smmuv3_alloc_get(smmuv3_alloc *a, uint64_t size, uint64_t align, uint64_t *out);
/* Bytes still available (ignoring alignment). */
SMMUV3_API uint64_t smmuv3_alloc_left(const smmuv3_alloc *a);

/* ================================================================ address spaces */
/* Translates an address of the space to a physical address: return 0 and set
 * *pa, or a negative SMMUV3_E* code when the address has no mapping. The
 * builders call it once per 4KB chunk (the smallest granule), so a range that
 * is contiguous in the space may be scattered physically. */
typedef int (*smmuv3_to_pa_fn)(void *ctx, uint64_t addr, uint64_t *pa);

typedef struct smmuv3_space {
    const struct smmuv3_host *host; /* physical memory (the pointer is kept: it must outlive the space) */
    smmuv3_alloc *alloc;            /* allocator for SMMUV3_BUILD_ALLOC; may be NULL (then ALLOC gives EINVAL) */
    smmuv3_to_pa_fn to_pa;          /* NULL: addresses are physical */
    void *to_pa_ctx;
} smmuv3_space;

/* A physical space (to_pa NULL). alloc may be NULL. */
SMMUV3_API int smmuv3_space_init(smmuv3_space *sp, const struct smmuv3_host *host, smmuv3_alloc *alloc);
/* An intermediate (IPA) space: addresses go through to_pa before reaching host.
 * For nested setups pass smmuv3_pt_to_pa with the stage 2 smmuv3_pt as ctx. */
SMMUV3_API int smmuv3_space_init_ipa(smmuv3_space *sp, const struct smmuv3_host *host, smmuv3_alloc *alloc,
                                     smmuv3_to_pa_fn to_pa, void *to_pa_ctx);
/* Read / write bytes at an address of the space (split per 4KB through to_pa).
 * SMMUV3_EABORT / SMMUV3_ERANGE from the host, or to_pa's error. */
SMMUV3_API int smmuv3_space_read(const smmuv3_space *sp, uint64_t addr, void *buf, size_t len);
SMMUV3_API int smmuv3_space_write(const smmuv3_space *sp, uint64_t addr, const void *buf, size_t len);
SMMUV3_API int smmuv3_space_read64(const smmuv3_space *sp, uint64_t addr, uint64_t *v);   /* little-endian */
SMMUV3_API int smmuv3_space_write64(const smmuv3_space *sp, uint64_t addr, uint64_t v);
/* Write `len` zero bytes. */
SMMUV3_API int smmuv3_space_zero(const smmuv3_space *sp, uint64_t addr, uint64_t len);
/* Allocate from sp->alloc and zero the memory. */
SMMUV3_API int smmuv3_space_zalloc(const smmuv3_space *sp, uint64_t size, uint64_t align, uint64_t *out);

/* ================================================================ images by name */
/* Set / get a field of a little-endian structure image by structure and field
 * name (the names of smmuv3_struct_find / smmuv3_field_find: "ste", "cd",
 * "l1std", "l1cd", "event", "CMD_SYNC", ...). Address fields ("s1contextptr",
 * "ttb0", "s2ttb", ...) take and give the address in place (not shifted).
 * SMMUV3_ENOENT: no such structure or field; SMMUV3_ERANGE: the value does not
 * fit. The image must be at least the structure's size. */
SMMUV3_API int smmuv3_image_set(void *img, const char *structure, const char *field, uint64_t value);
SMMUV3_API int smmuv3_image_get(const void *img, const char *structure, const char *field, uint64_t *value);

#define SMMUV3_STE_BYTES 64
#define SMMUV3_CD_BYTES 64
#define SMMUV3_CMD_BYTES 16
#define SMMUV3_EVENT_BYTES 32

SMMUV3_API int smmuv3_ste_set(uint8_t ste[SMMUV3_STE_BYTES], const char *field, uint64_t value);
SMMUV3_API int smmuv3_ste_get(const uint8_t ste[SMMUV3_STE_BYTES], const char *field, uint64_t *value);
SMMUV3_API int smmuv3_cd_set(uint8_t cd[SMMUV3_CD_BYTES], const char *field, uint64_t value);
SMMUV3_API int smmuv3_cd_get(const uint8_t cd[SMMUV3_CD_BYTES], const char *field, uint64_t *value);
/* Event records (32 bytes), e.g. smmuv3_event_get(rec, "eventid", &id). */
SMMUV3_API int smmuv3_event_get(const uint8_t rec[SMMUV3_EVENT_BYTES], const char *field, uint64_t *value);

/* ================================================================ STE constructors */
/* Each constructor clears the image first, then sets V=1, Config and the
 * fields named. Callers adjust further with smmuv3_ste_set(). */
SMMUV3_API int smmuv3_ste_abort(uint8_t ste[SMMUV3_STE_BYTES]);   /* V=1, Config=0b000 */
SMMUV3_API int smmuv3_ste_bypass(uint8_t ste[SMMUV3_STE_BYTES]);  /* V=1, Config=0b100 */

/* STE.S1Fmt values (5.2). */
enum { SMMUV3_S1FMT_LINEAR = 0, SMMUV3_S1FMT_2L_4K = 1, SMMUV3_S1FMT_2L_64K = 2 };

/* Stage 1 only: Config=0b101, S1ContextPtr=cdptr, S1Fmt, S1CDMax (log2 of the
 * number of CDs, 0 = one CD and no SubstreamIDs), S1DSS=0, S1CIR/S1COR=WBRA (1),
 * S1CSH=inner (3), STRW=NS-EL1. */
SMMUV3_API int smmuv3_ste_s1(uint8_t ste[SMMUV3_STE_BYTES], uint64_t cdptr, unsigned s1fmt, unsigned s1cdmax);

/* Stage 2 parameters, in natural units; smmuv3_s2_params_from_pt() fills them
 * from a stage 2 page table. */
typedef struct smmuv3_s2_params {
    uint64_t ttb;       /* S2TTB (the first of the concatenated tables) */
    unsigned tsz;       /* S2T0SZ */
    unsigned sl0;       /* S2SL0 encoding */
    unsigned granule;   /* log2 of the granule: 12, 14 or 16 (encoded into S2TG) */
    unsigned ps;        /* output size in bits: 32, 36, 40, 42, 44, 48, 52 (encoded into S2PS) */
    uint16_t vmid;      /* S2VMID */
    bool     affd;      /* S2AFFD: access flag faults disabled */
    bool     no_record; /* clear S2R (default: S2R=1, faults recorded) */
    bool     stall;     /* S2S: stall on fault */
    bool     ptw;       /* S2PTW: protected table walk */
} smmuv3_s2_params;

/* Stage 2 only: Config=0b110 plus S2VMID, S2T0SZ, S2SL0, S2TG, S2PS, S2AA64=1,
 * S2IR0/S2OR0=WBRA (1), S2SH0=inner (3), S2R, S2S, S2AFFD, S2PTW, S2TTB.
 * SMMUV3_EINVAL for an unknown granule or output size. */
SMMUV3_API int smmuv3_ste_s2(uint8_t ste[SMMUV3_STE_BYTES], const smmuv3_s2_params *p);
/* Nested: Config=0b111, the stage 1 fields of smmuv3_ste_s1 (cdptr is an IPA)
 * and the stage 2 fields of smmuv3_ste_s2. */
SMMUV3_API int smmuv3_ste_nested(uint8_t ste[SMMUV3_STE_BYTES], uint64_t cdptr, unsigned s1fmt, unsigned s1cdmax,
                                 const smmuv3_s2_params *p);

/* ================================================================ CD constructor */
typedef struct smmuv3_cd_params {
    uint64_t ttb0;      /* TTB0 */
    unsigned t0sz;      /* T0SZ */
    unsigned granule;   /* log2 of the TTB0 granule: 12, 14, 16 (encoded into TG0) */
    unsigned ips;       /* output size in bits: 32..52 (encoded into IPS) */
    uint16_t asid;
    uint64_t mair;      /* MAIR1:MAIR0; 0 selects SMMUV3_MAIR_DEFAULT */
    bool     ttb1_en;   /* false: EPD1=1 (TTB1 walks disabled) */
    uint64_t ttb1;      /* used when ttb1_en */
    unsigned t1sz;
    unsigned granule1;  /* log2 of the TTB1 granule (encoded into TG1) */
    bool     epd0;      /* EPD0=1: TTB0 walks disabled */
    bool     no_abort;  /* clear A: terminated transactions are RAZ/WI (default A=1: abort) */
    bool     no_record; /* clear R (default R=1: faults recorded) */
    bool     stall;     /* S=1 */
    bool     affd, wxn, uwxn, pan;
    unsigned tbi;       /* TBI[1:0] */
    bool     ha, hd;    /* hardware access flag / dirty state updates */
} smmuv3_cd_params;

/* MAIR used when smmuv3_cd_params.mair is 0: Attr0 = 0xFF (Normal WB RW-allocate),
 * Attr1 = 0x00 (Device-nGnRnE), Attr2 = 0x44 (Normal Non-cacheable),
 * Attr3 = 0x04 (Device-nGnRE). Matches SMMUV3_ATTR_IDX_*. */
#define SMMUV3_MAIR_DEFAULT 0x00000000044400FFull
enum { SMMUV3_ATTR_IDX_NORMAL = 0, SMMUV3_ATTR_IDX_DEVICE_nGnRnE = 1, SMMUV3_ATTR_IDX_NC = 2,
       SMMUV3_ATTR_IDX_DEVICE_nGnRE = 3 };

/* Clears the image, then V=1, AA64=1, T0SZ, TG0, IR0/OR0=WBRA (1), SH0=inner (3),
 * EPD1 (or TTB1/T1SZ/TG1), IPS, ASID, MAIR, A=1, R=1 unless asked otherwise. */
SMMUV3_API int smmuv3_cd_s1(uint8_t cd[SMMUV3_CD_BYTES], const smmuv3_cd_params *p);

/* ================================================================ stream tables */
typedef struct smmuv3_strtab {
    const smmuv3_space *space;  /* physical space holding the table */
    uint64_t base;              /* linear table or level-1 table */
    unsigned log2size;          /* STRTAB_BASE_CFG.LOG2SIZE: StreamIDs 0 .. 2^log2size-1 */
    unsigned split;             /* STRTAB_BASE_CFG.SPLIT (2-level only) */
    bool     two_level;         /* STRTAB_BASE_CFG.FMT */
} smmuv3_strtab;

/* A linear table of 2^log2size STEs (log2size 0..32; at least 64-byte aligned,
 * aligned to its size up to 4KB). */
SMMUV3_API int smmuv3_strtab_init_linear(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size, uint64_t base);
/* A 2-level table: 2^(log2size-split) level-1 descriptors, all initially
 * invalid (L2Ptr 0, Span 0); level-2 tables of 2^split STEs are allocated on
 * demand by smmuv3_strtab_ste_addr(..., true). split is 6, 8 or 10 per the
 * spec's common choices, but any value 1..log2size is accepted. */
SMMUV3_API int smmuv3_strtab_init_2level(smmuv3_strtab *st, const smmuv3_space *sp, unsigned log2size,
                                         unsigned split, uint64_t base);
/* Values to program into SMMU_STRTAB_BASE (ADDR, RA=1) and SMMU_STRTAB_BASE_CFG. */
SMMUV3_API uint64_t smmuv3_strtab_base_reg(const smmuv3_strtab *st);
SMMUV3_API uint32_t smmuv3_strtab_cfg_reg(const smmuv3_strtab *st);
/* Address of the STE for sid. For 2-level tables with no level-2 table yet:
 * allocate one (zeroed) and write the L1 descriptor (Span = split+1) when
 * `alloc`, else SMMUV3_ENOENT. SMMUV3_ERANGE when sid is outside the table. */
SMMUV3_API int smmuv3_strtab_ste_addr(smmuv3_strtab *st, uint32_t sid, bool alloc, uint64_t *addr);
/* Write / read the 64-byte STE of sid (write allocates the level-2 table). */
SMMUV3_API int smmuv3_strtab_write_ste(smmuv3_strtab *st, uint32_t sid, const uint8_t ste[SMMUV3_STE_BYTES]);
SMMUV3_API int smmuv3_strtab_read_ste(smmuv3_strtab *st, uint32_t sid, uint8_t ste[SMMUV3_STE_BYTES]);
/* Write a level-1 descriptor raw (for tests of bad descriptors): index is
 * sid >> split. */
SMMUV3_API int smmuv3_strtab_set_l1(smmuv3_strtab *st, uint32_t index, uint64_t l2ptr, unsigned span);

/* ================================================================ CD tables */
typedef struct smmuv3_cdtab {
    const smmuv3_space *space;  /* where the table lives: an IPA space when stage 2 applies */
    uint64_t base;              /* S1ContextPtr: linear table or level-1 table */
    unsigned fmt;               /* SMMUV3_S1FMT_* */
    unsigned cdmax;             /* S1CDMax: log2 of the number of CDs (0..20) */
} smmuv3_cdtab;

/* Linear: 2^cdmax CDs. 2-level: 2^(cdmax-leafbits) L1CD descriptors (at least
 * one) with leaf tables of 64 (4K) or 1024 (64K) CDs allocated on demand. */
SMMUV3_API int smmuv3_cdtab_init(smmuv3_cdtab *ct, const smmuv3_space *sp, unsigned fmt, unsigned cdmax, uint64_t base);
/* Address of the CD of ssid (allocating the leaf table and writing the L1CD
 * descriptor with V=1 when `alloc`; SMMUV3_ENOENT otherwise). SMMUV3_ERANGE
 * when ssid >= 2^cdmax. */
SMMUV3_API int smmuv3_cdtab_cd_addr(smmuv3_cdtab *ct, uint32_t ssid, bool alloc, uint64_t *addr);
SMMUV3_API int smmuv3_cdtab_write_cd(smmuv3_cdtab *ct, uint32_t ssid, const uint8_t cd[SMMUV3_CD_BYTES]);
SMMUV3_API int smmuv3_cdtab_read_cd(smmuv3_cdtab *ct, uint32_t ssid, uint8_t cd[SMMUV3_CD_BYTES]);
/* Write an L1CD descriptor raw (index = ssid >> leafbits). */
SMMUV3_API int smmuv3_cdtab_set_l1(smmuv3_cdtab *ct, uint32_t index, uint64_t l2ptr, bool valid);

/* ================================================================ page tables */
/* Permissions and options of smmuv3_pt_map / smmuv3_pt_protect. */
enum {
    SMMUV3_MAP_READ  = 1u << 0,  /* stage 2: S2AP[0]. Stage 1 always grants read (AP has no "no read") */
    SMMUV3_MAP_WRITE = 1u << 1,  /* stage 1: AP[2]=0; stage 2: S2AP[1] */
    SMMUV3_MAP_EXEC  = 1u << 2,  /* stage 1: UXN=PXN=0; stage 2: XN=0b00. Without it: UXN=PXN=1 / XN=0b10 */
    SMMUV3_MAP_PRIV  = 1u << 3,  /* stage 1: AP[1]=0 (privileged only). Without it: AP[1]=1 (EL0 too) */
    SMMUV3_MAP_NG    = 1u << 4,  /* stage 1: nG=1 (non-global, ASID-tagged) */
    SMMUV3_MAP_NOAF  = 1u << 5,  /* AF=0 (access flag fault unless AFFD / HTTU) */
    SMMUV3_MAP_PAGES = 1u << 6,  /* never use block descriptors */
    SMMUV3_MAP_CONT  = 1u << 7,  /* set the contiguous hint on aligned runs of contiguous entries */
    SMMUV3_MAP_DBM   = 1u << 8,  /* DBM=1 (dirty bit modifier, HTTU dirty state) */
    SMMUV3_MAP_PXN   = 1u << 9,  /* stage 1: force PXN=1 even with EXEC */
    SMMUV3_MAP_UXN   = 1u << 10, /* stage 1: force UXN=1 even with EXEC; stage 2: XN=0b01/0b11 with XNX */
    SMMUV3_MAP_RW    = SMMUV3_MAP_READ | SMMUV3_MAP_WRITE,
};

/* Memory attributes of smmuv3_pt_map. 0 means the default: stage 1 AttrIndx 0
 * (SMMUV3_ATTR_IDX_NORMAL), stage 2 MemAttr 0xF (Normal WB); both
 * inner-shareable (SH=3). Otherwise build with SMMUV3_ATTR(v, sh): v is the
 * stage 1 AttrIndx (0..7) or the stage 2 MemAttr[3:0]; sh is SH[1:0]. */
#define SMMUV3_ATTR(v, sh) (0x10000u | ((uint32_t)(sh) & 3u) << 8 | ((uint32_t)(v) & 0xFu))

/* VMSAv8-64 descriptor bits (the page-table format is not a field-table
 * structure; these are the only place the builders spell them). */
#define SMMUV3_PTE_VALID      (1ull << 0)
#define SMMUV3_PTE_TABLE      (1ull << 1)   /* table (levels < 3) / page (level 3) */
#define SMMUV3_PTE_ATTRINDX(x) ((uint64_t)((x) & 7u) << 2)  /* stage 1 */
#define SMMUV3_PTE_MEMATTR(x) ((uint64_t)((x) & 15u) << 2)  /* stage 2 */
#define SMMUV3_PTE_NS         (1ull << 5)
#define SMMUV3_PTE_AP1        (1ull << 6)   /* stage 1 AP[1]: EL0 access */
#define SMMUV3_PTE_AP2        (1ull << 7)   /* stage 1 AP[2]: read-only */
#define SMMUV3_PTE_S2AP_R     (1ull << 6)   /* stage 2 S2AP[0] */
#define SMMUV3_PTE_S2AP_W     (1ull << 7)   /* stage 2 S2AP[1] */
#define SMMUV3_PTE_SH(x)      ((uint64_t)((x) & 3u) << 8)
#define SMMUV3_PTE_AF         (1ull << 10)
#define SMMUV3_PTE_NG         (1ull << 11)
#define SMMUV3_PTE_DBM        (1ull << 51)
#define SMMUV3_PTE_CONT       (1ull << 52)
#define SMMUV3_PTE_PXN        (1ull << 53)  /* stage 1; stage 2 XN[0] */
#define SMMUV3_PTE_UXN        (1ull << 54)  /* stage 1 UXN/XN; stage 2 XN[1] */
#define SMMUV3_PTE_XN0        SMMUV3_PTE_PXN
#define SMMUV3_PTE_XN1        SMMUV3_PTE_UXN

typedef struct smmuv3_pt {
    const smmuv3_space *space; /* where the tables live (an IPA space for nested stage 1) */
    unsigned stage;            /* 1 or 2 */
    unsigned granule;          /* log2: 12, 14 or 16 */
    unsigned tsz;              /* T0SZ / S2T0SZ: input size is 64 - tsz bits */
    unsigned start_level;      /* 0..3 */
    unsigned sl0;              /* stage 2: the S2SL0 encoding of start_level */
    unsigned concat;           /* stage 2: number of concatenated start tables (1..16); 1 for stage 1 */
    uint64_t root;             /* the (first) start-level table: TTB0 / S2TTB */
    unsigned oa_bits;          /* output address bits accepted by map (default 48; may be raised to 52) */
} smmuv3_pt;

/* Stage 1: start level from T0SZ and the granule (no concatenation). root is
 * allocated aligned to the table size (at least 64 bytes) or placed at `root`.
 * SMMUV3_EINVAL for a granule or a T0SZ that leaves no input bit to translate.
 * A CD accepts T0SZ 16..39 (64K with VAX: from 12), and up to 48 (64K: 47)
 * on an SMMU with small translation tables (IDR3.STT, IHI 0070 5.4). */
SMMUV3_API int smmuv3_pt_init_s1(smmuv3_pt *pt, const smmuv3_space *sp, unsigned granule, unsigned t0sz, uint64_t root);
/* Stage 2: start level from S2SL0 (5.2 / VTCR_EL2.SL0: 4K 0->L2, 1->L1, 2->L0,
 * 3->L3 (small translation tables: IDR3.STT); 16K/64K 0->L3, 1->L2, 2->L1,
 * 16K 3->L0), with 2..16 concatenated start tables when the input size needs
 * them. sl0 < 0 picks the start level with the fewest levels that needs at
 * most 16 tables; with 4K, level 3 only when no other start fits (an input
 * of 13..21 bits). SMMUV3_EINVAL when the combination is not valid (more than
 * 16 tables, or a start level the input size does not reach). */
SMMUV3_API int smmuv3_pt_init_s2(smmuv3_pt *pt, const smmuv3_space *sp, unsigned granule, unsigned s2t0sz, int sl0,
                                 uint64_t root);
/* Stage 2 parameters of an initialised stage 2 table (ttb, tsz, sl0, granule;
 * ps = pt->oa_bits; vmid as given; other flags false). */
SMMUV3_API int smmuv3_s2_params_from_pt(const smmuv3_pt *pt, uint16_t vmid, smmuv3_s2_params *p);
/* CD parameters of an initialised stage 1 table (ttb0, t0sz, granule, ips =
 * pt->oa_bits, asid; everything else 0 / default). */
SMMUV3_API int smmuv3_cd_params_from_pt(const smmuv3_pt *pt, uint16_t asid, smmuv3_cd_params *p);

/* Map [iova, iova+size) to [pa, pa+size). iova, pa and size must be multiples
 * of the granule. Uses block descriptors wherever the alignment allows (level
 * 1/2 for 4K, level 2 for 16K/64K; level 1 64K blocks only with 52-bit OA)
 * unless SMMUV3_MAP_PAGES. Intermediate tables are allocated from the space's
 * allocator. Existing valid leaves in the range are overwritten; a block in
 * the way is split into a next-level table first. SMMUV3_ERANGE when the
 * range exceeds the input or output size. */
SMMUV3_API int smmuv3_pt_map(smmuv3_pt *pt, uint64_t iova, uint64_t pa, uint64_t size, unsigned perms, uint32_t attrs);
/* Invalidate the leaves covering [iova, iova+size) (splitting blocks that are
 * only partly covered). Ranges with no mapping are fine. Tables are not freed. */
SMMUV3_API int smmuv3_pt_unmap(smmuv3_pt *pt, uint64_t iova, uint64_t size);
/* Rewrite the permission bits (as smmuv3_pt_map's perms) of every valid leaf
 * in the range, keeping addresses and attributes (splitting partly covered
 * blocks). */
SMMUV3_API int smmuv3_pt_protect(smmuv3_pt *pt, uint64_t iova, uint64_t size, unsigned perms);
/* Software walk: the output address of iova, the leaf level and descriptor.
 * SMMUV3_ENOENT when not mapped. Any pointer may be NULL. */
SMMUV3_API int smmuv3_pt_lookup(const smmuv3_pt *pt, uint64_t iova, uint64_t *pa, unsigned *level, uint64_t *desc);
/* smmuv3_to_pa_fn over a stage 2 smmuv3_pt (ctx): IPA -> PA by smmuv3_pt_lookup. */
SMMUV3_API int smmuv3_pt_to_pa(void *ctx, uint64_t ipa, uint64_t *pa);
/* Address (in pt->space) of the descriptor for iova at `level`, following
 * table descriptors from the start level. With `alloc`, missing tables on the
 * way are created (splitting blocks); without, SMMUV3_ENOENT when the walk
 * stops before `level`. */
SMMUV3_API int smmuv3_pt_desc_addr(smmuv3_pt *pt, uint64_t iova, unsigned level, bool alloc, uint64_t *addr);
/* Read / write a raw descriptor (the write is a "poke": no checking). */
SMMUV3_API int smmuv3_pt_get_desc(smmuv3_pt *pt, uint64_t iova, unsigned level, uint64_t *desc);
SMMUV3_API int smmuv3_pt_set_desc(smmuv3_pt *pt, uint64_t iova, unsigned level, uint64_t desc);
/* A table descriptor pointing at the next-level table `table` (an address in
 * pt->space, granule-aligned). With smmuv3_pt_set_desc this links any entry to
 * any table, e.g. to share one table page between several walks. */
SMMUV3_API int smmuv3_pt_table_desc(const smmuv3_pt *pt, uint64_t table, uint64_t *desc);
/* The leaf descriptor smmuv3_pt_map would write for pa at `level`. */
SMMUV3_API int smmuv3_pt_leaf_desc(const smmuv3_pt *pt, uint64_t pa, unsigned level, unsigned perms, uint32_t attrs,
                                   uint64_t *desc);
/* Size in bytes mapped by one entry at `level` (0 for a bad level). */
SMMUV3_API uint64_t smmuv3_pt_level_size(const smmuv3_pt *pt, unsigned level);

/* ================================================================ driver */
typedef struct smmuv3_driver_cfg {
    unsigned cmdq_log2;        /* CMDQ_BASE.LOG2SIZE (0: 8, capped to IDR1.CMDQS) */
    unsigned eventq_log2;      /* EVENTQ_BASE.LOG2SIZE (0: 7, capped to IDR1.EVENTQS) */
    uint64_t cmdq_base;        /* queue memory: SMMUV3_BUILD_ALLOC (the default) or an address */
    uint64_t eventq_base;      /* the same for the event queue */
    bool     no_eventq;        /* leave CR0.EVENTQEN clear */
    bool     no_smmuen;        /* stop before CR0.SMMUEN */
    uint32_t irq_ctrl;         /* IRQ_CTRL value (0: none) */
    uint32_t cr1, cr2;         /* CR1 (0: queues and tables WB inner-shareable), CR2 (0: RECINVSID=1, PTM=1) */
    unsigned poll_limit;       /* CR0ACK polls before giving up (0: 1000) */
    bool     secure;           /* bring up the Secure programming interface (SMMU_S_*, IHI 0070
                                  3.10.2) with Secure accesses: sp is then the Secure PA space and
                                  st the Secure Stream table; CFGI commands carry SSec = 1 */
} smmuv3_driver_cfg;

/* Initialise cfg with the defaults (queues allocated; eventq on; SMMUEN on).
 * Start from this and change fields: a zeroed struct places the queues at 0. */
SMMUV3_API void smmuv3_driver_cfg_default(smmuv3_driver_cfg *cfg);

typedef struct smmuv3_driver {
    struct smmuv3 *smmu;
    const smmuv3_space *space; /* physical space of the queues */
    uint64_t cmdq_base;        /* queue memory */
    unsigned cmdq_log2;
    uint64_t eventq_base;
    unsigned eventq_log2;
    uint32_t cmdq_prod;        /* the driver's PROD (index | wrap) */
    uint32_t eventq_cons;      /* the driver's CONS (index | wrap) */
    uint32_t cerror;           /* CMDQ_CONS.ERR while GERROR.CMDQ_ERR was active after the last submission, else 0 */
    uint32_t gerror;           /* GERROR ^ GERRORN seen by the last submission */
    unsigned poll_limit;
    uint64_t priq_base;        /* PRI queue memory (0 until smmuv3_driver_priq_init) */
    unsigned priq_log2;
    uint32_t priq_cons;        /* the driver's PRIQ_CONS (index | wrap) */
    bool     secure;           /* the Secure programming interface (smmuv3_driver_cfg.secure) */
} smmuv3_driver;

/* Bring the SMMU up through MMIO as Linux's arm-smmu-v3 does: CR0=0 and poll
 * CR0ACK; CR1, CR2; STRTAB_BASE / STRTAB_BASE_CFG from st; CMDQ_BASE/PROD/CONS;
 * CMDQEN (poll ACK); CFGI_ALL, TLBI_NSNH_ALL (and TLBI_EL2_ALL when IDR0.HYP),
 * CMD_SYNC; EVENTQ_BASE, EVENTQ_PROD/CONS; EVENTQEN (poll); IRQ_CTRL (poll
 * IRQ_CTRLACK); SMMUEN (poll). cfg NULL: smmuv3_driver_cfg_default.
 * SMMUV3_EABORT when an ACK never matches or a command fails (d->cerror). */
SMMUV3_API int smmuv3_driver_init(smmuv3_driver *d, struct smmuv3 *smmu, const smmuv3_space *sp,
                                  const smmuv3_strtab *st, const smmuv3_driver_cfg *cfg);
/* Write CR0 and poll CR0ACK for the same value. */
SMMUV3_API int smmuv3_driver_write_cr0(smmuv3_driver *d, uint32_t cr0);

/* Submit one command (a 16-byte image) or several: written at PROD, then one
 * CMDQ_PROD write (the model consumes synchronously). Returns 0 when CONS
 * reached PROD with CMDQ_CONS.ERR = 0; SMMUV3_EABORT otherwise with d->cerror
 * and d->gerror recording what was seen (the queue is left as the SMMU left
 * it: see smmuv3_driver_cmdq_recover). SMMUV3_ENOMEM when the queue is full. */
SMMUV3_API int smmuv3_driver_submit(smmuv3_driver *d, const uint8_t cmd[SMMUV3_CMD_BYTES]);
SMMUV3_API int smmuv3_driver_submit_n(smmuv3_driver *d, const uint8_t *cmds, unsigned n);
/* Raw words (dw0, dw1) of one command. */
SMMUV3_API int smmuv3_driver_submit_raw(smmuv3_driver *d, uint64_t dw0, uint64_t dw1);
/* Build a command image: clear, set the opcode. Then set fields with
 * smmuv3_cmd_set(cmd, "sid", 8) (names of that opcode's layout). */
SMMUV3_API int smmuv3_cmd_init(uint8_t cmd[SMMUV3_CMD_BYTES], unsigned opcode);
SMMUV3_API int smmuv3_cmd_set(uint8_t cmd[SMMUV3_CMD_BYTES], const char *field, uint64_t value);
/* By name: opcode name ("CMD_CFGI_STE" or "CFGI_STE") and up to `n` (name, value) pairs. */
SMMUV3_API int smmuv3_cmd_build(uint8_t cmd[SMMUV3_CMD_BYTES], const char *opname, const char *const *names,
                                const uint64_t *values, unsigned n);
/* After a command error: skip (CERROR_ILL / ATC) or retry the failed command
 * is the driver's choice; this one replaces the failing command with
 * CMD_SYNC like Linux, acknowledges GERROR.CMDQ_ERR through GERRORN and lets
 * processing resume. */
SMMUV3_API int smmuv3_driver_cmdq_recover(smmuv3_driver *d);

/* Convenience commands; each is followed by CMD_SYNC (CS=0: none). */
SMMUV3_API int smmuv3_driver_sync(smmuv3_driver *d);
SMMUV3_API int smmuv3_driver_cfgi_ste(smmuv3_driver *d, uint32_t sid);   /* Leaf = 0: STE and L1STD */
SMMUV3_API int smmuv3_driver_cfgi_cd(smmuv3_driver *d, uint32_t sid, uint32_t ssid);
SMMUV3_API int smmuv3_driver_cfgi_all(smmuv3_driver *d);          /* CFGI_STE_RANGE Range=31 */
SMMUV3_API int smmuv3_driver_tlbi_nh_all(smmuv3_driver *d, uint16_t vmid);
SMMUV3_API int smmuv3_driver_tlbi_nh_asid(smmuv3_driver *d, uint16_t vmid, uint16_t asid);
SMMUV3_API int smmuv3_driver_tlbi_nh_va(smmuv3_driver *d, uint16_t vmid, uint16_t asid, uint64_t va, bool leaf);
SMMUV3_API int smmuv3_driver_tlbi_s2_ipa(smmuv3_driver *d, uint16_t vmid, uint64_t ipa, bool leaf);
SMMUV3_API int smmuv3_driver_tlbi_s12_vmall(smmuv3_driver *d, uint16_t vmid);
SMMUV3_API int smmuv3_driver_tlbi_nsnh_all(smmuv3_driver *d);

/* Event queue: number of records between CONS and PROD (>= 0). */
SMMUV3_API int smmuv3_driver_event_count(smmuv3_driver *d);
/* Pop one record into rec (advancing EVENTQ_CONS): returns 1 when a record
 * was popped, 0 when the queue is empty. */
SMMUV3_API int smmuv3_driver_event_pop(smmuv3_driver *d, uint8_t rec[SMMUV3_EVENT_BYTES]);
/* Pop records until one with EventID `id` (returns 1, record in rec when
 * rec != NULL) or the queue is empty (returns 0); records skipped are lost. */
SMMUV3_API int smmuv3_driver_event_find(smmuv3_driver *d, unsigned id, uint8_t rec[SMMUV3_EVENT_BYTES]);
/* Active global errors (GERROR ^ GERRORN) and their acknowledgement. */
SMMUV3_API uint32_t smmuv3_driver_gerror(smmuv3_driver *d);
SMMUV3_API int smmuv3_driver_gerror_ack(smmuv3_driver *d);
/* CMDQ_CONS.ERR as the SMMU shows it now (it keeps the last error's code
 * after the error is acknowledged; d->cerror is 0 unless the error is active). */
SMMUV3_API uint32_t smmuv3_driver_cmdq_err(smmuv3_driver *d);

/* ---------------------------------------------------------------- ATS and PRI */
#define SMMUV3_PRI_BYTES 16
/* The PRI queue as Linux sets it up (IHI 0070 6.3.33): PRIQ_BASE with
 * 2^log2 entries (0: 8, capped to IDR1.PRIQS) at `base` (SMMUV3_BUILD_ALLOC or
 * an address), PRIQ_PROD/CONS = 0, then CR0.PRIQEN (poll CR0ACK). After
 * smmuv3_driver_init. SMMUV3_ENOTSUP without IDR0.PRI. Interrupts: set
 * IRQ_CTRL.PRIQ_IRQEN through smmuv3_driver_cfg.irq_ctrl, and PRIQ_IRQ_CFG0..2
 * before that, as for the event queue. */
SMMUV3_API int smmuv3_driver_priq_init(smmuv3_driver *d, unsigned log2, uint64_t base);
/* Records between CONS and PROD (>= 0). */
SMMUV3_API int smmuv3_driver_priq_count(smmuv3_driver *d);
/* Pop one 16-byte record (advancing PRIQ_CONS, whose OVACKFLG takes PROD.OVFLG:
 * the overflow is acknowledged, 8.1): 1 when popped, 0 when empty. */
SMMUV3_API int smmuv3_driver_priq_pop(smmuv3_driver *d, uint8_t rec[SMMUV3_PRI_BYTES]);
/* The PRI queue overflow condition (PRIQ_PROD.OVFLG != PRIQ_CONS.OVACKFLG). */
SMMUV3_API bool smmuv3_driver_priq_overflow(smmuv3_driver *d);
/* A PRI queue record (chapter 8) as the request it carries. */
struct smmuv3_pri_req;
SMMUV3_API int smmuv3_pri_record_decode(const uint8_t rec[SMMUV3_PRI_BYTES], struct smmuv3_pri_req *out);
/* CMD_ATC_INV for [addr, addr + size): the smallest naturally aligned
 * power-of-two span of 4KB pages that covers it (size 0, or a range that
 * wraps: everything, Size = 52), with the SubstreamID when ssv. Then CMD_SYNC. */
SMMUV3_API int smmuv3_driver_atc_inv(smmuv3_driver *d, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr,
                                     uint64_t size);
/* CMD_PRI_RESP (resp: SMMUV3_PRI_RESP_*), then CMD_SYNC. */
SMMUV3_API int smmuv3_driver_pri_resp(smmuv3_driver *d, uint32_t sid, bool ssv, uint32_t ssid, uint16_t prgi,
                                      unsigned resp);

#ifdef __cplusplus
}
#endif
#endif
