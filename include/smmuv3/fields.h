/* SPDX-License-Identifier: MIT */
/*
 * The field tables: every in-memory structure (STE, CD, L1 descriptors,
 * commands, event and PRI records) and every register, as (name, 64-bit word,
 * msb, lsb). The model decodes with them, the builders encode with them, and
 * YAML vectors and the decoder tool name fields through them.
 */
#ifndef SMMUV3_FIELDS_H
#define SMMUV3_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Command opcodes (IHI 0070 chapter 4): C(NAME, opcode). */
#define SMMUV3_COMMAND_LIST(C) \
    C(CMD_PREFETCH_CONFIG, 0x01) C(CMD_PREFETCH_ADDR, 0x02) C(CMD_CFGI_STE, 0x03) \
    C(CMD_CFGI_STE_RANGE, 0x04) C(CMD_CFGI_CD, 0x05) C(CMD_CFGI_CD_ALL, 0x06) \
    C(CMD_CFGI_VMS_PIDM, 0x07) \
    C(CMD_TLBI_NH_ALL, 0x10) C(CMD_TLBI_NH_ASID, 0x11) C(CMD_TLBI_NH_VA, 0x12) \
    C(CMD_TLBI_NH_VAA, 0x13) C(CMD_TLBI_EL3_ALL, 0x18) C(CMD_TLBI_EL3_VA, 0x1A) \
    C(CMD_TLBI_EL2_ALL, 0x20) C(CMD_TLBI_EL2_ASID, 0x21) C(CMD_TLBI_EL2_VA, 0x22) \
    C(CMD_TLBI_EL2_VAA, 0x23) C(CMD_TLBI_S12_VMALL, 0x28) C(CMD_TLBI_S2_IPA, 0x2A) \
    C(CMD_TLBI_NSNH_ALL, 0x30) C(CMD_ATC_INV, 0x40) C(CMD_PRI_RESP, 0x41) \
    C(CMD_RESUME, 0x44) C(CMD_STALL_TERM, 0x45) C(CMD_SYNC, 0x46) \
    C(CMD_TLBI_S_EL2_ALL, 0x50) C(CMD_TLBI_S_EL2_ASID, 0x51) C(CMD_TLBI_S_EL2_VA, 0x52) \
    C(CMD_TLBI_S_EL2_VAA, 0x53) C(CMD_TLBI_S_S12_VMALL, 0x58) C(CMD_TLBI_S_S2_IPA, 0x5A) \
    C(CMD_TLBI_SNH_ALL, 0x60)

/* Event record IDs (IHI 0070 7.3): E(NAME, id). */
#define SMMUV3_EVENT_LIST(E) \
    E(F_UUT, 0x01) E(C_BAD_STREAMID, 0x02) E(F_STE_FETCH, 0x03) E(C_BAD_STE, 0x04) \
    E(F_BAD_ATS_TREQ, 0x05) E(F_STREAM_DISABLED, 0x06) E(F_TRANSL_FORBIDDEN, 0x07) \
    E(C_BAD_SUBSTREAMID, 0x08) E(F_CD_FETCH, 0x09) E(C_BAD_CD, 0x0A) \
    E(F_WALK_EABT, 0x0B) E(F_TRANSLATION, 0x10) E(F_ADDR_SIZE, 0x11) \
    E(F_ACCESS, 0x12) E(F_PERMISSION, 0x13) E(F_TLB_CONFLICT, 0x20) \
    E(F_CFG_CONFLICT, 0x21) E(E_PAGE_REQUEST, 0x24) E(F_VMS_FETCH, 0x25)

#define SMMUV3_OP_ENUM_(name, op) SMMUV3_##name = op,
#define SMMUV3_EVT_ENUM_(name, id) SMMUV3_EVT_##name = id,
enum { SMMUV3_COMMAND_LIST(SMMUV3_OP_ENUM_) };   /* SMMUV3_CMD_SYNC = 0x46, ... */
enum { SMMUV3_EVENT_LIST(SMMUV3_EVT_ENUM_) };    /* SMMUV3_EVT_F_TRANSLATION = 0x10, ... */
#undef SMMUV3_OP_ENUM_
#undef SMMUV3_EVT_ENUM_

/* CMDQ_CONS.ERR codes (IHI 0070 7.1). */
enum { SMMUV3_CERROR_NONE = 0, SMMUV3_CERROR_ILL = 1, SMMUV3_CERROR_ABT = 2, SMMUV3_CERROR_ATC_INV_SYNC = 3 };

typedef struct smmuv3_field {
    const char *name;    /* lower case, the spec's spelling */
    uint8_t word;        /* 64-bit word of the little-endian image */
    uint8_t msb, lsb;    /* inclusive bit range inside that word */
    bool    addr;        /* an address held in place: get/set use the masked bits unshifted */
} smmuv3_field;

typedef struct smmuv3_struct {
    const char *name;    /* "ste", "cd", "event", "CMD_SYNC", "cr0", ... */
    unsigned size;       /* bytes of the image */
    const smmuv3_field *fields;
    unsigned nfields;
} smmuv3_struct;

typedef struct smmuv3_reg {
    const char *name;    /* "cr0", "eventq_prod", ... */
    uint32_t offset;     /* from the SMMU base (page 1 registers at 0x10000 + x) */
    unsigned size;       /* 4 or 8 */
    const smmuv3_struct *layout;
} smmuv3_reg;

SMMUV3_API unsigned smmuv3_struct_count(void);
SMMUV3_API const smmuv3_struct *smmuv3_struct_at(unsigned i);
SMMUV3_API const smmuv3_struct *smmuv3_struct_find(const char *name);   /* case-insensitive */
SMMUV3_API const smmuv3_field  *smmuv3_field_find(const smmuv3_struct *st, const char *name);
/* The closest field name (for "did you mean" messages); NULL if nothing is close. */
SMMUV3_API const char *smmuv3_field_suggest(const smmuv3_struct *st, const char *name);
/* The same over a NULL-terminated list of names. */
SMMUV3_API const char *smmuv3_name_suggest(const char *const *names, const char *name);
SMMUV3_API uint64_t smmuv3_field_max(const smmuv3_field *f);             /* largest value set() takes */
SMMUV3_API uint64_t smmuv3_field_get(const smmuv3_field *f, const void *image);
/* SMMUV3_ERANGE when the value does not fit the field (for addresses: bits outside msb:lsb). */
SMMUV3_API int      smmuv3_field_set(const smmuv3_field *f, void *image, uint64_t value);

SMMUV3_API const char *smmuv3_command_name(unsigned opcode);           /* "CMD_SYNC"; NULL if unknown */
SMMUV3_API int         smmuv3_command_opcode(const char *name);        /* accepts "CMD_SYNC" or "SYNC"; <0 if unknown */
SMMUV3_API const smmuv3_struct *smmuv3_command_layout(unsigned opcode);
SMMUV3_API const char *smmuv3_event_name(unsigned id);                  /* "F_TRANSLATION"; NULL if unknown */
SMMUV3_API int         smmuv3_event_id(const char *name);               /* <0 if unknown */

SMMUV3_API unsigned smmuv3_reg_count(void);
SMMUV3_API const smmuv3_reg *smmuv3_reg_at(unsigned i);
SMMUV3_API const smmuv3_reg *smmuv3_reg_find(const char *name);        /* case-insensitive */
SMMUV3_API const smmuv3_reg *smmuv3_reg_by_offset(uint64_t offset);

#ifdef __cplusplus
}
#endif
#endif
