/* SPDX-License-Identifier: MIT */
/*
 * The one place where bit positions are written (DESIGN.md: "a bit position is
 * written once"). Every structure is a list of X(STRUCT, name, word, msb, lsb, kind)
 * entries: `word` is the 64-bit word of the little-endian image, msb/lsb are
 * inclusive bit numbers inside that word. kind V is a plain value (read as
 * bits >> lsb); kind A is an address held in place (read as the masked bits,
 * not shifted), so S1ContextPtr=0x4E178FC0 means the CD at 0x4E178FC0. Field names follow the spec's
 * spelling in lower case; the same names are used by YAML vectors and the
 * decoder tool.
 *
 * Sources: IHI 0070 H.a chapter 5 (STE 5.2, CD 5.4, L1 descriptors 5.1/5.3),
 * chapter 4 (commands), 7.3 (event records), 8.1 (PRI records), 6.3 (registers).
 * Registers are "structures" of one 64-bit word (32-bit registers use bits 31:0).
 */
#ifndef SMMU_FIELDS_DEF_H
#define SMMU_FIELDS_DEF_H

/* ------------------------------------------------------------ structures */

/* STE, 5.2 */
#define SMMU_FIELDS_STE(X) \
    X(STE, v,            0, 0, 0, V) \
    X(STE, config,       0, 3, 1, V) \
    X(STE, s1fmt,        0, 5, 4, V) \
    X(STE, s1contextptr, 0, 55, 6, A) \
    X(STE, s1cdmax,      0, 63, 59, V) \
    X(STE, s1dss,        1, 1, 0, V) \
    X(STE, s1cir,        1, 3, 2, V) \
    X(STE, s1cor,        1, 5, 4, V) \
    X(STE, s1csh,        1, 7, 6, V) \
    X(STE, s2hwu59,      1, 8, 8, V) \
    X(STE, s2hwu60,      1, 9, 9, V) \
    X(STE, s2hwu61,      1, 10, 10, V) \
    X(STE, s2hwu62,      1, 11, 11, V) \
    X(STE, dre,          1, 12, 12, V) \
    X(STE, cont,         1, 16, 13, V) \
    X(STE, dcp,          1, 17, 17, V) \
    X(STE, ppar,         1, 18, 18, V) \
    X(STE, mev,          1, 19, 19, V) \
    X(STE, sw_reserved,  1, 23, 20, V) \
    X(STE, s2fwb,        1, 25, 25, V) \
    X(STE, s1mpam,       1, 26, 26, V) \
    X(STE, s1stalld,     1, 27, 27, V) \
    X(STE, eats,         1, 29, 28, V) \
    X(STE, strw,         1, 31, 30, V) \
    X(STE, memattr,      1, 35, 32, V) \
    X(STE, mtcfg,        1, 36, 36, V) \
    X(STE, alloccfg,     1, 40, 37, V) \
    X(STE, shcfg,        1, 45, 44, V) \
    X(STE, nscfg,        1, 47, 46, V) \
    X(STE, privcfg,      1, 49, 48, V) \
    X(STE, instcfg,      1, 51, 50, V) \
    X(STE, impl_def,     1, 63, 52, V) \
    X(STE, s2vmid,       2, 15, 0, V) \
    X(STE, s2t0sz,       2, 37, 32, V) \
    X(STE, s2sl0,        2, 39, 38, V) \
    X(STE, s2ir0,        2, 41, 40, V) \
    X(STE, s2or0,        2, 43, 42, V) \
    X(STE, s2sh0,        2, 45, 44, V) \
    X(STE, s2tg,         2, 47, 46, V) \
    X(STE, s2ps,         2, 50, 48, V) \
    X(STE, s2aa64,       2, 51, 51, V) \
    X(STE, s2endi,       2, 52, 52, V) \
    X(STE, s2affd,       2, 53, 53, V) \
    X(STE, s2ptw,        2, 54, 54, V) \
    X(STE, s2hd,         2, 55, 55, V) \
    X(STE, s2ha,         2, 56, 56, V) \
    X(STE, s2s,          2, 57, 57, V) \
    X(STE, s2r,          2, 58, 58, V) \
    X(STE, s2nsw,        3, 0, 0, V) \
    X(STE, s2nsa,        3, 1, 1, V) \
    X(STE, s2ttb,        3, 55, 4, A) \
    X(STE, partid,       4, 31, 16, V) \
    X(STE, s_s2t0sz,     4, 37, 32, V) \
    X(STE, s_s2sl0,      4, 39, 38, V) \
    X(STE, s_s2tg,       4, 47, 46, V) \
    X(STE, s2sw,         6, 0, 0, V) \
    X(STE, s2sa,         6, 1, 1, V) \
    X(STE, s_s2ttb,      6, 55, 4, A) \
    X(STE, pmg,          5, 7, 0, V)

/* CD, 5.4 */
#define SMMU_FIELDS_CD(X) \
    X(CD, t0sz,   0, 5, 0, V) \
    X(CD, tg0,    0, 7, 6, V) \
    X(CD, ir0,    0, 9, 8, V) \
    X(CD, or0,    0, 11, 10, V) \
    X(CD, sh0,    0, 13, 12, V) \
    X(CD, epd0,   0, 14, 14, V) \
    X(CD, endi,   0, 15, 15, V) \
    X(CD, t1sz,   0, 21, 16, V) \
    X(CD, tg1,    0, 23, 22, V) \
    X(CD, ir1,    0, 25, 24, V) \
    X(CD, or1,    0, 27, 26, V) \
    X(CD, sh1,    0, 29, 28, V) \
    X(CD, epd1,   0, 30, 30, V) \
    X(CD, v,      0, 31, 31, V) \
    X(CD, ips,    0, 34, 32, V) \
    X(CD, affd,   0, 35, 35, V) \
    X(CD, wxn,    0, 36, 36, V) \
    X(CD, uwxn,   0, 37, 37, V) \
    X(CD, tbi,    0, 39, 38, V) \
    X(CD, pan,    0, 40, 40, V) \
    X(CD, aa64,   0, 41, 41, V) \
    X(CD, hd,     0, 42, 42, V) \
    X(CD, ha,     0, 43, 43, V) \
    X(CD, s,      0, 44, 44, V) \
    X(CD, r,      0, 45, 45, V) \
    X(CD, a,      0, 46, 46, V) \
    X(CD, aset,   0, 47, 47, V) \
    X(CD, asid,   0, 63, 48, V) \
    X(CD, nscfg0, 1, 0, 0, V) \
    X(CD, had0,   1, 1, 1, V) \
    X(CD, ttb0,   1, 55, 4, A) \
    X(CD, hwu0,   1, 63, 60, V) \
    X(CD, nscfg1, 2, 0, 0, V) \
    X(CD, had1,   2, 1, 1, V) \
    X(CD, ttb1,   2, 55, 4, A) \
    X(CD, hwu1,   2, 63, 60, V) \
    X(CD, mair0,  3, 31, 0, V) \
    X(CD, mair1,  3, 63, 32, V) \
    X(CD, amair0, 4, 31, 0, V) \
    X(CD, amair1, 4, 63, 32, V) \
    X(CD, impl_def, 5, 31, 0, V) \
    X(CD, partid, 5, 47, 32, V) \
    X(CD, pmg,    5, 55, 48, V)

/* Level-1 stream table descriptor, 5.1 */
#define SMMU_FIELDS_L1STD(X) \
    X(L1STD, span,  0, 4, 0, V) \
    X(L1STD, l2ptr, 0, 55, 6, A)

/* Level-1 CD table descriptor, 5.3 */
#define SMMU_FIELDS_L1CD(X) \
    X(L1CD, v,     0, 0, 0, V) \
    X(L1CD, l2ptr, 0, 55, 12, A)

/* Event record, 7.3: the union of the fields of all record types. Which
 * fields a given EventID carries is decided by evtq.c. span, p, x, w, r are
 * F_BAD_ATS_TREQ's request (7.3.6: Span 67:64, P 92, X 93, W 94, R 95). */
#define SMMU_FIELDS_EVENT(X) \
    X(EVENT, eventid,     0, 7, 0, V) \
    X(EVENT, ssv,         0, 11, 11, V) \
    X(EVENT, substreamid, 0, 31, 12, V) \
    X(EVENT, streamid,    0, 63, 32, V) \
    X(EVENT, stag,        1, 15, 0, V) \
    X(EVENT, span,        1, 3, 0, V) \
    X(EVENT, reason,      1, 31, 0, V) \
    X(EVENT, p,           1, 28, 28, V) \
    X(EVENT, x,           1, 29, 29, V) \
    X(EVENT, w,           1, 30, 30, V) \
    X(EVENT, r,           1, 31, 31, V) \
    X(EVENT, stall,       1, 31, 31, V) \
    X(EVENT, ttrnw,       1, 44, 44, V) \
    X(EVENT, pnu,         1, 33, 33, V) \
    X(EVENT, ind,         1, 34, 34, V) \
    X(EVENT, rnw,         1, 35, 35, V) \
    X(EVENT, nsipa,       1, 38, 38, V) \
    X(EVENT, s2,          1, 39, 39, V) \
    X(EVENT, class,       1, 41, 40, V) \
    X(EVENT, inputaddr,   2, 63, 0, V) \
    X(EVENT, ipa,         3, 55, 12, A) \
    X(EVENT, fetchaddr,   3, 55, 3, A)

/* PRI queue record, 8.1 */
#define SMMU_FIELDS_PRI(X) \
    X(PRI, streamid,    0, 31, 0, V) \
    X(PRI, substreamid, 0, 51, 32, V) \
    X(PRI, priv,        0, 58, 58, V) \
    X(PRI, exec,        0, 59, 59, V) \
    X(PRI, read,        0, 60, 60, V) \
    X(PRI, write,       0, 61, 61, V) \
    X(PRI, last,        0, 62, 62, V) \
    X(PRI, ssv,         0, 63, 63, V) \
    X(PRI, prgi,        1, 8, 0, V) \
    X(PRI, address,     1, 63, 12, A)

/* ------------------------------------------------------------ commands, 4.x */
#define SMMU_FIELDS_CMD_COMMON(X, S) X(S, opcode, 0, 7, 0, V)

/* The layouts several commands share, for the command S: */
/* SSV, SubstreamID and StreamID in word 0: PREFETCH_*, ATC_INV (4.9.1), PRI_RESP (4.8.1). */
#define SMMU_CMD_SSV_SID_(X, S) \
    X(S, ssv,  0, 11, 11, V) \
    X(S, ssid, 0, 31, 12, V) \
    X(S, sid,  0, 63, 32, V)
/* PREFETCH_CONFIG (4.2.1); PREFETCH_ADDR (4.2.2) adds the address range. */
#define SMMU_CMD_PREFETCH_(X, S) \
    SMMU_FIELDS_CMD_COMMON(X, S) \
    X(S, ssec, 0, 10, 10, V) \
    SMMU_CMD_SSV_SID_(X, S)
/* SSec and the StreamID: CFGI_STE (4.3.1), CFGI_STE_RANGE (4.3.2), CFGI_CD_ALL
 * (4.3.4) and STALL_TERM (4.7.3) add their own fields after them. */
#define SMMU_CMD_SID_(X, S) \
    SMMU_FIELDS_CMD_COMMON(X, S) \
    X(S, ssec, 0, 10, 10, V) \
    X(S, sid,  0, 63, 32, V)
/* A VMID: TLBI_NH_ALL (4.4.2.1), TLBI_S12_VMALL (4.4.3.2) and its Secure twin; NH_ASID adds the ASID. */
#define SMMU_CMD_VMID_(X, S) SMMU_FIELDS_CMD_COMMON(X, S) X(S, vmid, 0, 47, 32, V)
/* An ASID only: TLBI_EL2_ASID (4.4.4.3) and its Secure twin. */
#define SMMU_CMD_ASID_(X, S) SMMU_FIELDS_CMD_COMMON(X, S) X(S, asid, 0, 63, 48, V)

/* The VA-based TLBI layout shared by NH_VA, NH_VAA, EL2_VA, EL2_VAA, EL3_VA, S2_IPA. */
#define SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, S) \
    SMMU_FIELDS_CMD_COMMON(X, S) \
    X(S, num,   0, 16, 12, V) \
    X(S, scale, 0, 24, 20, V) \
    X(S, leaf,  1, 0, 0, V) \
    X(S, ttl,   1, 9, 8, V) \
    X(S, tg,    1, 11, 10, V)
/* A VA: EL3_VA, EL2_VAA and its Secure twin. */
#define SMMU_CMD_VA_(X, S) SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, S) X(S, address, 1, 63, 12, A)
/* A VA and an ASID: EL2_VA and its Secure twin. */
#define SMMU_CMD_VA_ASID_(X, S) \
    SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, S) \
    X(S, asid,    0, 63, 48, V) \
    X(S, address, 1, 63, 12, A)
/* An IPA and a VMID: S2_IPA and its Secure twin. */
#define SMMU_CMD_IPA_(X, S) \
    SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, S) \
    X(S, vmid,    0, 47, 32, V) \
    X(S, address, 1, 55, 12, A)

#define SMMU_FIELDS_CMD_PREFETCH_CONFIG(X) SMMU_CMD_PREFETCH_(X, CMD_PREFETCH_CONFIG)

#define SMMU_FIELDS_CMD_PREFETCH_ADDR(X) \
    SMMU_CMD_PREFETCH_(X, CMD_PREFETCH_ADDR) \
    X(CMD_PREFETCH_ADDR, size, 1, 4, 0, V) \
    X(CMD_PREFETCH_ADDR, nsnh, 1, 7, 7, V) \
    X(CMD_PREFETCH_ADDR, addr, 1, 63, 12, A)

#define SMMU_FIELDS_CMD_CFGI_STE(X) SMMU_CMD_SID_(X, CMD_CFGI_STE) X(CMD_CFGI_STE, leaf, 1, 0, 0, V)

#define SMMU_FIELDS_CMD_CFGI_STE_RANGE(X) \
    SMMU_CMD_SID_(X, CMD_CFGI_STE_RANGE) X(CMD_CFGI_STE_RANGE, range, 1, 4, 0, V)

#define SMMU_FIELDS_CMD_CFGI_CD(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_CFGI_CD) \
    X(CMD_CFGI_CD, ssec, 0, 10, 10, V) \
    X(CMD_CFGI_CD, ssid, 0, 31, 12, V) \
    X(CMD_CFGI_CD, sid,  0, 63, 32, V) \
    X(CMD_CFGI_CD, leaf, 1, 0, 0, V)

#define SMMU_FIELDS_CMD_CFGI_CD_ALL(X) SMMU_CMD_SID_(X, CMD_CFGI_CD_ALL)

#define SMMU_FIELDS_CMD_CFGI_VMS_PIDM(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_CFGI_VMS_PIDM) \
    X(CMD_CFGI_VMS_PIDM, ssec, 0, 10, 10, V) \
    X(CMD_CFGI_VMS_PIDM, vmid, 0, 47, 32, V)

#define SMMU_FIELDS_CMD_TLBI_NH_ALL(X) SMMU_CMD_VMID_(X, CMD_TLBI_NH_ALL)

#define SMMU_FIELDS_CMD_TLBI_NH_ASID(X) SMMU_CMD_VMID_(X, CMD_TLBI_NH_ASID) X(CMD_TLBI_NH_ASID, asid, 0, 63, 48, V)

#define SMMU_FIELDS_CMD_TLBI_NH_VA(X) \
    SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, CMD_TLBI_NH_VA) \
    X(CMD_TLBI_NH_VA, vmid,    0, 47, 32, V) \
    X(CMD_TLBI_NH_VA, asid,    0, 63, 48, V) \
    X(CMD_TLBI_NH_VA, address, 1, 63, 12, A)

#define SMMU_FIELDS_CMD_TLBI_NH_VAA(X) \
    SMMU_FIELDS_CMD_TLBI_VA_LIKE(X, CMD_TLBI_NH_VAA) \
    X(CMD_TLBI_NH_VAA, vmid,    0, 47, 32, V) \
    X(CMD_TLBI_NH_VAA, address, 1, 63, 12, A)

#define SMMU_FIELDS_CMD_TLBI_EL3_ALL(X) SMMU_FIELDS_CMD_COMMON(X, CMD_TLBI_EL3_ALL)
#define SMMU_FIELDS_CMD_TLBI_EL3_VA(X) SMMU_CMD_VA_(X, CMD_TLBI_EL3_VA)
#define SMMU_FIELDS_CMD_TLBI_EL2_ALL(X) SMMU_FIELDS_CMD_COMMON(X, CMD_TLBI_EL2_ALL)
#define SMMU_FIELDS_CMD_TLBI_EL2_ASID(X) SMMU_CMD_ASID_(X, CMD_TLBI_EL2_ASID)
#define SMMU_FIELDS_CMD_TLBI_EL2_VA(X) SMMU_CMD_VA_ASID_(X, CMD_TLBI_EL2_VA)
#define SMMU_FIELDS_CMD_TLBI_EL2_VAA(X) SMMU_CMD_VA_(X, CMD_TLBI_EL2_VAA)
#define SMMU_FIELDS_CMD_TLBI_S12_VMALL(X) SMMU_CMD_VMID_(X, CMD_TLBI_S12_VMALL)
#define SMMU_FIELDS_CMD_TLBI_S2_IPA(X) SMMU_CMD_IPA_(X, CMD_TLBI_S2_IPA)
#define SMMU_FIELDS_CMD_TLBI_NSNH_ALL(X) SMMU_FIELDS_CMD_COMMON(X, CMD_TLBI_NSNH_ALL)

/* The Secure-only TLBIs (4.4.2.11-14, 4.4.3.3-4, 4.4.4.2): encoded as their
 * Non-secure twins. */
#define SMMU_FIELDS_CMD_TLBI_S_EL2_ALL(X) SMMU_FIELDS_CMD_COMMON(X, CMD_TLBI_S_EL2_ALL)
#define SMMU_FIELDS_CMD_TLBI_S_EL2_ASID(X) SMMU_CMD_ASID_(X, CMD_TLBI_S_EL2_ASID)
#define SMMU_FIELDS_CMD_TLBI_S_EL2_VA(X) SMMU_CMD_VA_ASID_(X, CMD_TLBI_S_EL2_VA)
#define SMMU_FIELDS_CMD_TLBI_S_EL2_VAA(X) SMMU_CMD_VA_(X, CMD_TLBI_S_EL2_VAA)
#define SMMU_FIELDS_CMD_TLBI_S_S12_VMALL(X) SMMU_CMD_VMID_(X, CMD_TLBI_S_S12_VMALL)
#define SMMU_FIELDS_CMD_TLBI_S_S2_IPA(X) SMMU_CMD_IPA_(X, CMD_TLBI_S_S2_IPA)
#define SMMU_FIELDS_CMD_TLBI_SNH_ALL(X) SMMU_FIELDS_CMD_COMMON(X, CMD_TLBI_SNH_ALL)

#define SMMU_FIELDS_CMD_ATC_INV(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_ATC_INV) \
    X(CMD_ATC_INV, global,  0, 9, 9, V) \
    SMMU_CMD_SSV_SID_(X, CMD_ATC_INV) \
    X(CMD_ATC_INV, size,    1, 5, 0, V) \
    X(CMD_ATC_INV, address, 1, 63, 12, A)

#define SMMU_FIELDS_CMD_PRI_RESP(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_PRI_RESP) \
    SMMU_CMD_SSV_SID_(X, CMD_PRI_RESP) \
    X(CMD_PRI_RESP, prgi, 1, 8, 0, V) \
    X(CMD_PRI_RESP, resp, 1, 13, 12, V)

#define SMMU_FIELDS_CMD_RESUME(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_RESUME) \
    X(CMD_RESUME, ssec,   0, 10, 10, V) \
    X(CMD_RESUME, action, 0, 13, 12, V) \
    X(CMD_RESUME, sid,    0, 63, 32, V) \
    X(CMD_RESUME, stag,   1, 15, 0, V)

#define SMMU_FIELDS_CMD_STALL_TERM(X) SMMU_CMD_SID_(X, CMD_STALL_TERM)

#define SMMU_FIELDS_CMD_SYNC(X) \
    SMMU_FIELDS_CMD_COMMON(X, CMD_SYNC) \
    X(CMD_SYNC, cs,      0, 13, 12, V) \
    X(CMD_SYNC, msh,     0, 23, 22, V) \
    X(CMD_SYNC, msiattr, 0, 27, 24, V) \
    X(CMD_SYNC, msidata, 0, 63, 32, V) \
    X(CMD_SYNC, msiaddr, 1, 55, 2, A)

/* ------------------------------------------------------------ registers, 6.3 */
#define SMMU_FIELDS_IDR0(X) \
    X(IDR0, s2p, 0, 0, 0, V) X(IDR0, s1p, 0, 1, 1, V) X(IDR0, ttf, 0, 3, 2, V) \
    X(IDR0, cohacc, 0, 4, 4, V) X(IDR0, btm, 0, 5, 5, V) X(IDR0, httu, 0, 7, 6, V) \
    X(IDR0, dormhint, 0, 8, 8, V) X(IDR0, hyp, 0, 9, 9, V) X(IDR0, ats, 0, 10, 10, V) \
    X(IDR0, ns1ats, 0, 11, 11, V) X(IDR0, asid16, 0, 12, 12, V) X(IDR0, msi, 0, 13, 13, V) \
    X(IDR0, sev, 0, 14, 14, V) X(IDR0, atos, 0, 15, 15, V) X(IDR0, pri, 0, 16, 16, V) \
    X(IDR0, vmw, 0, 17, 17, V) X(IDR0, vmid16, 0, 18, 18, V) X(IDR0, cd2l, 0, 19, 19, V) \
    X(IDR0, vatos, 0, 20, 20, V) X(IDR0, ttendian, 0, 22, 21, V) \
    X(IDR0, stall_model, 0, 25, 24, V) X(IDR0, term_model, 0, 26, 26, V) \
    X(IDR0, st_level, 0, 28, 27, V)

#define SMMU_FIELDS_IDR1(X) \
    X(IDR1, sidsize, 0, 5, 0, V) X(IDR1, ssidsize, 0, 10, 6, V) X(IDR1, priqs, 0, 15, 11, V) \
    X(IDR1, eventqs, 0, 20, 16, V) X(IDR1, cmdqs, 0, 25, 21, V) \
    X(IDR1, attr_perms_ovr, 0, 26, 26, V) X(IDR1, attr_types_ovr, 0, 27, 27, V) \
    X(IDR1, rel, 0, 28, 28, V) X(IDR1, queues_preset, 0, 29, 29, V) \
    X(IDR1, tables_preset, 0, 30, 30, V)

#define SMMU_FIELDS_IDR2(X) X(IDR2, ba_vatos, 0, 9, 0, V)

#define SMMU_FIELDS_IDR3(X) \
    X(IDR3, had, 0, 2, 2, V) X(IDR3, pbha, 0, 3, 3, V) X(IDR3, xnx, 0, 4, 4, V) \
    X(IDR3, pps, 0, 5, 5, V) X(IDR3, mpam, 0, 7, 7, V) X(IDR3, fwb, 0, 8, 8, V) \
    X(IDR3, stt, 0, 9, 9, V) X(IDR3, ril, 0, 10, 10, V) X(IDR3, bbml, 0, 12, 11, V)

#define SMMU_FIELDS_IDR4(X) X(IDR4, impl_def, 0, 31, 0, V)

#define SMMU_FIELDS_IDR5(X) \
    X(IDR5, oas, 0, 2, 0, V) X(IDR5, gran4k, 0, 4, 4, V) X(IDR5, gran16k, 0, 5, 5, V) \
    X(IDR5, gran64k, 0, 6, 6, V) X(IDR5, vax, 0, 11, 10, V) X(IDR5, stall_max, 0, 31, 16, V)

#define SMMU_FIELDS_IIDR(X) \
    X(IIDR, implementer, 0, 11, 0, V) X(IIDR, revision, 0, 15, 12, V) \
    X(IIDR, variant, 0, 19, 16, V) X(IIDR, productid, 0, 31, 20, V)

#define SMMU_FIELDS_AIDR(X) \
    X(AIDR, archminorrev, 0, 3, 0, V) X(AIDR, archmajorrev, 0, 7, 4, V)

#define SMMU_FIELDS_CR0(X) \
    X(CR0, smmuen, 0, 0, 0, V) X(CR0, priqen, 0, 1, 1, V) X(CR0, eventqen, 0, 2, 2, V) \
    X(CR0, cmdqen, 0, 3, 3, V) X(CR0, atschk, 0, 4, 4, V) X(CR0, vmw, 0, 8, 6, V)

#define SMMU_FIELDS_CR1(X) \
    X(CR1, queue_ic, 0, 1, 0, V) X(CR1, queue_oc, 0, 3, 2, V) X(CR1, queue_sh, 0, 5, 4, V) \
    X(CR1, table_ic, 0, 7, 6, V) X(CR1, table_oc, 0, 9, 8, V) X(CR1, table_sh, 0, 11, 10, V)

#define SMMU_FIELDS_CR2(X) \
    X(CR2, e2h, 0, 0, 0, V) X(CR2, recinvsid, 0, 1, 1, V) X(CR2, ptm, 0, 2, 2, V)

#define SMMU_FIELDS_STATUSR(X) X(STATUSR, dormant, 0, 0, 0, V)

#define SMMU_FIELDS_GBPA(X) \
    X(GBPA, memattr, 0, 3, 0, V) X(GBPA, mtcfg, 0, 4, 4, V) X(GBPA, alloccfg, 0, 11, 8, V) \
    X(GBPA, shcfg, 0, 13, 12, V) X(GBPA, nscfg, 0, 15, 14, V) \
    X(GBPA, privcfg, 0, 17, 16, V) X(GBPA, instcfg, 0, 19, 18, V) \
    X(GBPA, abort, 0, 20, 20, V) X(GBPA, update, 0, 31, 31, V)

#define SMMU_FIELDS_IRQ_CTRL(X) \
    X(IRQ_CTRL, gerror_irqen, 0, 0, 0, V) X(IRQ_CTRL, priq_irqen, 0, 1, 1, V) \
    X(IRQ_CTRL, eventq_irqen, 0, 2, 2, V)

#define SMMU_FIELDS_GERROR(X) \
    X(GERROR, cmdq_err, 0, 0, 0, V) X(GERROR, eventq_abt_err, 0, 2, 2, V) \
    X(GERROR, priq_abt_err, 0, 3, 3, V) X(GERROR, msi_cmdq_abt_err, 0, 4, 4, V) \
    X(GERROR, msi_eventq_abt_err, 0, 5, 5, V) X(GERROR, msi_priq_abt_err, 0, 6, 6, V) \
    X(GERROR, msi_gerror_abt_err, 0, 7, 7, V) X(GERROR, sfm_err, 0, 8, 8, V)

/* The Secure programming interface, 6.3.52-6.3.62 (the other SMMU_S_* registers
 * have the layout of their Non-secure twins). */
#define SMMU_FIELDS_S_IDR0(X) \
    X(S_IDR0, msi, 0, 13, 13, V) X(S_IDR0, stall_model, 0, 25, 24, V) X(S_IDR0, ecmdq, 0, 31, 31, V)

#define SMMU_FIELDS_S_IDR1(X) \
    X(S_IDR1, s_sidsize, 0, 5, 0, V) X(S_IDR1, sel2, 0, 29, 29, V) X(S_IDR1, secure_impl, 0, 31, 31, V)

#define SMMU_FIELDS_S_IDR3(X) X(S_IDR3, sams, 0, 6, 6, V)

#define SMMU_FIELDS_S_CR0(X) \
    X(S_CR0, smmuen, 0, 0, 0, V) X(S_CR0, eventqen, 0, 2, 2, V) X(S_CR0, cmdqen, 0, 3, 3, V) \
    X(S_CR0, sif, 0, 5, 5, V) X(S_CR0, vmw, 0, 8, 6, V) X(S_CR0, nsstalld, 0, 9, 9, V)

#define SMMU_FIELDS_S_INIT(X) X(S_INIT, inv_all, 0, 0, 0, V)

#define SMMU_FIELDS_IRQ_CFG0(X) X(IRQ_CFG0, addr, 0, 55, 2, A)
#define SMMU_FIELDS_IRQ_CFG1(X) X(IRQ_CFG1, data, 0, 31, 0, V)
#define SMMU_IRQ_CFG2_(X, S) X(S, memattr, 0, 3, 0, V) X(S, sh, 0, 5, 4, V)
#define SMMU_FIELDS_IRQ_CFG2(X) SMMU_IRQ_CFG2_(X, IRQ_CFG2)
/* SMMU_PRIQ_IRQ_CFG2 (6.3.36) adds LO, Last Only. */
#define SMMU_FIELDS_PRIQ_IRQ_CFG2(X) SMMU_IRQ_CFG2_(X, PRIQ_IRQ_CFG2) X(PRIQ_IRQ_CFG2, lo, 0, 31, 31, V)

#define SMMU_FIELDS_STRTAB_BASE(X) \
    X(STRTAB_BASE, addr, 0, 55, 6, A) X(STRTAB_BASE, ra, 0, 62, 62, V)

#define SMMU_FIELDS_STRTAB_BASE_CFG(X) \
    X(STRTAB_BASE_CFG, log2size, 0, 5, 0, V) X(STRTAB_BASE_CFG, split, 0, 10, 6, V) \
    X(STRTAB_BASE_CFG, fmt, 0, 17, 16, V)

#define SMMU_FIELDS_Q_BASE(X) \
    X(Q_BASE, log2size, 0, 4, 0, V) X(Q_BASE, addr, 0, 55, 5, A) X(Q_BASE, wa_ra, 0, 62, 62, V)

/* PROD/CONS: the index field is 19:0 (wrap bit at LOG2SIZE, 6.3.x). */
#define SMMU_FIELDS_Q_PROD(X) X(Q_PROD, wr, 0, 19, 0, V) X(Q_PROD, ovflg, 0, 31, 31, V)
#define SMMU_FIELDS_Q_CONS(X) \
    X(Q_CONS, rd, 0, 19, 0, V) X(Q_CONS, err, 0, 30, 24, V) X(Q_CONS, ovackflg, 0, 31, 31, V)

/* ------------------------------------------------------------ the index */
/* S(STRUCT, "name", size_in_bytes, field_list_macro) */
#define SMMU_STRUCTS(S) \
    S(STE, "ste", 64, SMMU_FIELDS_STE) \
    S(CD, "cd", 64, SMMU_FIELDS_CD) \
    S(L1STD, "l1std", 8, SMMU_FIELDS_L1STD) \
    S(L1CD, "l1cd", 8, SMMU_FIELDS_L1CD) \
    S(EVENT, "event", 32, SMMU_FIELDS_EVENT) \
    S(PRI, "pri", 16, SMMU_FIELDS_PRI) \
    S(CMD_PREFETCH_CONFIG, "CMD_PREFETCH_CONFIG", 16, SMMU_FIELDS_CMD_PREFETCH_CONFIG) \
    S(CMD_PREFETCH_ADDR, "CMD_PREFETCH_ADDR", 16, SMMU_FIELDS_CMD_PREFETCH_ADDR) \
    S(CMD_CFGI_STE, "CMD_CFGI_STE", 16, SMMU_FIELDS_CMD_CFGI_STE) \
    S(CMD_CFGI_STE_RANGE, "CMD_CFGI_STE_RANGE", 16, SMMU_FIELDS_CMD_CFGI_STE_RANGE) \
    S(CMD_CFGI_CD, "CMD_CFGI_CD", 16, SMMU_FIELDS_CMD_CFGI_CD) \
    S(CMD_CFGI_CD_ALL, "CMD_CFGI_CD_ALL", 16, SMMU_FIELDS_CMD_CFGI_CD_ALL) \
    S(CMD_CFGI_VMS_PIDM, "CMD_CFGI_VMS_PIDM", 16, SMMU_FIELDS_CMD_CFGI_VMS_PIDM) \
    S(CMD_TLBI_NH_ALL, "CMD_TLBI_NH_ALL", 16, SMMU_FIELDS_CMD_TLBI_NH_ALL) \
    S(CMD_TLBI_NH_ASID, "CMD_TLBI_NH_ASID", 16, SMMU_FIELDS_CMD_TLBI_NH_ASID) \
    S(CMD_TLBI_NH_VA, "CMD_TLBI_NH_VA", 16, SMMU_FIELDS_CMD_TLBI_NH_VA) \
    S(CMD_TLBI_NH_VAA, "CMD_TLBI_NH_VAA", 16, SMMU_FIELDS_CMD_TLBI_NH_VAA) \
    S(CMD_TLBI_EL3_ALL, "CMD_TLBI_EL3_ALL", 16, SMMU_FIELDS_CMD_TLBI_EL3_ALL) \
    S(CMD_TLBI_EL3_VA, "CMD_TLBI_EL3_VA", 16, SMMU_FIELDS_CMD_TLBI_EL3_VA) \
    S(CMD_TLBI_EL2_ALL, "CMD_TLBI_EL2_ALL", 16, SMMU_FIELDS_CMD_TLBI_EL2_ALL) \
    S(CMD_TLBI_EL2_ASID, "CMD_TLBI_EL2_ASID", 16, SMMU_FIELDS_CMD_TLBI_EL2_ASID) \
    S(CMD_TLBI_EL2_VA, "CMD_TLBI_EL2_VA", 16, SMMU_FIELDS_CMD_TLBI_EL2_VA) \
    S(CMD_TLBI_EL2_VAA, "CMD_TLBI_EL2_VAA", 16, SMMU_FIELDS_CMD_TLBI_EL2_VAA) \
    S(CMD_TLBI_S12_VMALL, "CMD_TLBI_S12_VMALL", 16, SMMU_FIELDS_CMD_TLBI_S12_VMALL) \
    S(CMD_TLBI_S2_IPA, "CMD_TLBI_S2_IPA", 16, SMMU_FIELDS_CMD_TLBI_S2_IPA) \
    S(CMD_TLBI_NSNH_ALL, "CMD_TLBI_NSNH_ALL", 16, SMMU_FIELDS_CMD_TLBI_NSNH_ALL) \
    S(CMD_ATC_INV, "CMD_ATC_INV", 16, SMMU_FIELDS_CMD_ATC_INV) \
    S(CMD_PRI_RESP, "CMD_PRI_RESP", 16, SMMU_FIELDS_CMD_PRI_RESP) \
    S(CMD_RESUME, "CMD_RESUME", 16, SMMU_FIELDS_CMD_RESUME) \
    S(CMD_STALL_TERM, "CMD_STALL_TERM", 16, SMMU_FIELDS_CMD_STALL_TERM) \
    S(CMD_SYNC, "CMD_SYNC", 16, SMMU_FIELDS_CMD_SYNC) \
    S(CMD_TLBI_S_EL2_ALL, "CMD_TLBI_S_EL2_ALL", 16, SMMU_FIELDS_CMD_TLBI_S_EL2_ALL) \
    S(CMD_TLBI_S_EL2_ASID, "CMD_TLBI_S_EL2_ASID", 16, SMMU_FIELDS_CMD_TLBI_S_EL2_ASID) \
    S(CMD_TLBI_S_EL2_VA, "CMD_TLBI_S_EL2_VA", 16, SMMU_FIELDS_CMD_TLBI_S_EL2_VA) \
    S(CMD_TLBI_S_EL2_VAA, "CMD_TLBI_S_EL2_VAA", 16, SMMU_FIELDS_CMD_TLBI_S_EL2_VAA) \
    S(CMD_TLBI_S_S12_VMALL, "CMD_TLBI_S_S12_VMALL", 16, SMMU_FIELDS_CMD_TLBI_S_S12_VMALL) \
    S(CMD_TLBI_S_S2_IPA, "CMD_TLBI_S_S2_IPA", 16, SMMU_FIELDS_CMD_TLBI_S_S2_IPA) \
    S(CMD_TLBI_SNH_ALL, "CMD_TLBI_SNH_ALL", 16, SMMU_FIELDS_CMD_TLBI_SNH_ALL) \
    S(IDR0, "idr0", 4, SMMU_FIELDS_IDR0) \
    S(IDR1, "idr1", 4, SMMU_FIELDS_IDR1) \
    S(IDR2, "idr2", 4, SMMU_FIELDS_IDR2) \
    S(IDR3, "idr3", 4, SMMU_FIELDS_IDR3) \
    S(IDR4, "idr4", 4, SMMU_FIELDS_IDR4) \
    S(IDR5, "idr5", 4, SMMU_FIELDS_IDR5) \
    S(IIDR, "iidr", 4, SMMU_FIELDS_IIDR) \
    S(AIDR, "aidr", 4, SMMU_FIELDS_AIDR) \
    S(CR0, "cr0", 4, SMMU_FIELDS_CR0) \
    S(CR1, "cr1", 4, SMMU_FIELDS_CR1) \
    S(CR2, "cr2", 4, SMMU_FIELDS_CR2) \
    S(STATUSR, "statusr", 4, SMMU_FIELDS_STATUSR) \
    S(GBPA, "gbpa", 4, SMMU_FIELDS_GBPA) \
    S(IRQ_CTRL, "irq_ctrl", 4, SMMU_FIELDS_IRQ_CTRL) \
    S(GERROR, "gerror", 4, SMMU_FIELDS_GERROR) \
    S(S_IDR0, "s_idr0", 4, SMMU_FIELDS_S_IDR0) \
    S(S_IDR1, "s_idr1", 4, SMMU_FIELDS_S_IDR1) \
    S(S_IDR3, "s_idr3", 4, SMMU_FIELDS_S_IDR3) \
    S(S_CR0, "s_cr0", 4, SMMU_FIELDS_S_CR0) \
    S(S_INIT, "s_init", 4, SMMU_FIELDS_S_INIT) \
    S(IRQ_CFG0, "irq_cfg0", 8, SMMU_FIELDS_IRQ_CFG0) \
    S(IRQ_CFG1, "irq_cfg1", 4, SMMU_FIELDS_IRQ_CFG1) \
    S(IRQ_CFG2, "irq_cfg2", 4, SMMU_FIELDS_IRQ_CFG2) \
    S(PRIQ_IRQ_CFG2, "priq_irq_cfg2", 4, SMMU_FIELDS_PRIQ_IRQ_CFG2) \
    S(STRTAB_BASE, "strtab_base", 8, SMMU_FIELDS_STRTAB_BASE) \
    S(STRTAB_BASE_CFG, "strtab_base_cfg", 4, SMMU_FIELDS_STRTAB_BASE_CFG) \
    S(Q_BASE, "q_base", 8, SMMU_FIELDS_Q_BASE) \
    S(Q_PROD, "q_prod", 4, SMMU_FIELDS_Q_PROD) \
    S(Q_CONS, "q_cons", 4, SMMU_FIELDS_Q_CONS)

/* Register map (page 0, and page 1 at +0x10000): R(NAME, "name", offset, bytes, field struct).
 * The Secure frame (6.2: page 0 from 0x8000) repeats most of page 0 with an S_
 * prefix; the groups it shares are written once, for the prefix P, its name
 * prefix p and the frame base B. */
#define SMMU_REGS_IDR_(R, P, p, B) \
    R(P##IDR0, p "idr0", B + 0x00, 4, P##IDR0) R(P##IDR1, p "idr1", B + 0x04, 4, P##IDR1) \
    R(P##IDR2, p "idr2", B + 0x08, 4, IDR2) R(P##IDR3, p "idr3", B + 0x0C, 4, P##IDR3) \
    R(P##IDR4, p "idr4", B + 0x10, 4, IDR4)
#define SMMU_REGS_CR_(R, P, p, B) \
    R(P##CR0, p "cr0", B + 0x20, 4, P##CR0) R(P##CR0ACK, p "cr0ack", B + 0x24, 4, P##CR0) \
    R(P##CR1, p "cr1", B + 0x28, 4, CR1) R(P##CR2, p "cr2", B + 0x2C, 4, CR2)
#define SMMU_REGS_CONTROL_(R, P, p, B) \
    R(P##GBPA, p "gbpa", B + 0x44, 4, GBPA) R(P##AGBPA, p "agbpa", B + 0x48, 4, GBPA) \
    R(P##IRQ_CTRL, p "irq_ctrl", B + 0x50, 4, IRQ_CTRL) \
    R(P##IRQ_CTRLACK, p "irq_ctrlack", B + 0x54, 4, IRQ_CTRL) \
    R(P##GERROR, p "gerror", B + 0x60, 4, GERROR) R(P##GERRORN, p "gerrorn", B + 0x64, 4, GERROR) \
    R(P##GERROR_IRQ_CFG0, p "gerror_irq_cfg0", B + 0x68, 8, IRQ_CFG0) \
    R(P##GERROR_IRQ_CFG1, p "gerror_irq_cfg1", B + 0x70, 4, IRQ_CFG1) \
    R(P##GERROR_IRQ_CFG2, p "gerror_irq_cfg2", B + 0x74, 4, IRQ_CFG2) \
    R(P##STRTAB_BASE, p "strtab_base", B + 0x80, 8, STRTAB_BASE) \
    R(P##STRTAB_BASE_CFG, p "strtab_base_cfg", B + 0x88, 4, STRTAB_BASE_CFG) \
    R(P##CMDQ_BASE, p "cmdq_base", B + 0x90, 8, Q_BASE) \
    R(P##CMDQ_PROD, p "cmdq_prod", B + 0x98, 4, Q_PROD) R(P##CMDQ_CONS, p "cmdq_cons", B + 0x9C, 4, Q_CONS) \
    R(P##EVENTQ_BASE, p "eventq_base", B + 0xA0, 8, Q_BASE)
#define SMMU_REGS_EVENTQ_IRQ_(R, P, p, B) \
    R(P##EVENTQ_IRQ_CFG0, p "eventq_irq_cfg0", B + 0xB0, 8, IRQ_CFG0) \
    R(P##EVENTQ_IRQ_CFG1, p "eventq_irq_cfg1", B + 0xB8, 4, IRQ_CFG1) \
    R(P##EVENTQ_IRQ_CFG2, p "eventq_irq_cfg2", B + 0xBC, 4, IRQ_CFG2)

#define SMMU_REGISTERS(R) \
    SMMU_REGS_IDR_(R, , "", 0) \
    R(IDR5, "idr5", 0x14, 4, IDR5) R(IIDR, "iidr", 0x18, 4, IIDR) R(AIDR, "aidr", 0x1C, 4, AIDR) \
    SMMU_REGS_CR_(R, , "", 0) \
    R(STATUSR, "statusr", 0x40, 4, STATUSR) \
    SMMU_REGS_CONTROL_(R, , "", 0) \
    SMMU_REGS_EVENTQ_IRQ_(R, , "", 0) \
    R(PRIQ_BASE, "priq_base", 0xC0, 8, Q_BASE) \
    R(PRIQ_IRQ_CFG0, "priq_irq_cfg0", 0xD0, 8, IRQ_CFG0) \
    R(PRIQ_IRQ_CFG1, "priq_irq_cfg1", 0xD8, 4, IRQ_CFG1) \
    R(PRIQ_IRQ_CFG2, "priq_irq_cfg2", 0xDC, 4, PRIQ_IRQ_CFG2) \
    R(EVENTQ_PROD, "eventq_prod", 0x100A8, 4, Q_PROD) \
    R(EVENTQ_CONS, "eventq_cons", 0x100AC, 4, Q_CONS) \
    R(PRIQ_PROD, "priq_prod", 0x100C8, 4, Q_PROD) \
    R(PRIQ_CONS, "priq_cons", 0x100CC, 4, Q_CONS) \
    SMMU_SECURE_REGISTERS(R)

/* The Secure frame (6.2: page 0 from 0x8000; no PRI queue, no page 1 copies:
 * the Secure Event queue's PROD/CONS are on page 0) */
#define SMMU_SECURE_REGISTERS(R) \
    SMMU_REGS_IDR_(R, S_, "s_", 0x8000) \
    SMMU_REGS_CR_(R, S_, "s_", 0x8000) \
    R(S_INIT, "s_init", 0x803C, 4, S_INIT) \
    SMMU_REGS_CONTROL_(R, S_, "s_", 0x8000) \
    R(S_EVENTQ_PROD, "s_eventq_prod", 0x80A8, 4, Q_PROD) R(S_EVENTQ_CONS, "s_eventq_cons", 0x80AC, 4, Q_CONS) \
    SMMU_REGS_EVENTQ_IRQ_(R, S_, "s_", 0x8000)

#endif
