/* SPDX-License-Identifier: MIT */
/*
 * Virtualization helpers: libsmmuv3 as the front end of an accelerated vSMMU.
 *
 * In an accelerated vSMMU (QEMU's iommufd-backed SMMUv3, cloud-hypervisor's)
 * the guest's SMMU is emulated by this model, while the guest's stage 1
 * tables (CD tables and page tables) are walked by a host SMMU that nests
 * them on a stage 2 the host owns. A VMM built on this library:
 *
 *  1. checks at creation that the host SMMU can back the profile it shows the
 *     guest: smmuv3_config_check_host(), or smmuv3_config_narrow_to_host() to
 *     get the largest profile that fits and the list of what it changed;
 *  2. on every guest CFGI_STE, reads the guest's STE and asks
 *     smmuv3_vste_classify() what to install on the host: abort, bypass, or a
 *     stage 1 context (S1) whose dwords 0 and 1 go into the host's nested STE;
 *  3. forwards every guest invalidation of something the host caches through
 *     the sink set with smmuv3_set_inval_sink().
 *
 * examples/smmuv3-vsmmu.c does all three against a second libsmmuv3 instance
 * playing the host.
 */
#ifndef SMMUV3_VSMMU_H
#define SMMUV3_VSMMU_H

#include <stddef.h>
#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmuv3;
struct smmuv3_config;

/* ---------------------------------------------------------------- guest STEs */
enum { SMMUV3_VSTE_INVALID = 0, SMMUV3_VSTE_ABORT = 1, SMMUV3_VSTE_BYPASS = 2, SMMUV3_VSTE_S1 = 3 };

typedef struct smmuv3_vste {
    int      kind;       /* SMMUV3_VSTE_*: INVALID when the STE is ILLEGAL for this SMMU's profile */
    uint64_t ste[2];     /* with S1: dwords 0 and 1 kept to the fields a host nests
                            (V, Config, S1Fmt, S1ContextPtr, S1CDMax; S1DSS, S1CIR, S1COR, S1CSH,
                            S1STALLD, EATS), every other bit zero */
} smmuv3_vste;

/*
 * The verdict for the guest STE `ste` (eight dwords in host order, as read
 * little-endian from the guest's stream table) under `smmu`'s profile and
 * current registers (CR2.E2H for STRW). The STE goes through the model's own
 * decode and validation (IHI 0070 5.2, SteIllegal), so the verdict is the one
 * the model itself acts on:
 *
 *   INVALID  V == 0, or any reason the model calls the STE ILLEGAL (the guest
 *            should see C_BAD_STE); also every configuration with stage 2
 *            (Config 0b110 stage-2-only and 0b111 nested): in a vSMMU the host
 *            owns stage 2, so a guest stage 2 cannot be backed.
 *   ABORT    Config 0b000, and the Reserved 0b001..0b011 that behave as it (5.2).
 *   BYPASS   Config 0b100. Its attribute overrides (MTCFG, MemAttr, SHCFG, ...)
 *            are not forwarded: the host's own bypass attributes apply.
 *   S1       Config 0b101: ste[0..1] hold dwords 0 and 1 masked to the fields
 *            above; everything else (STRW, overrides, MEV, S2*, IMPL DEF) is
 *            zero. Fields this profile IGNORES are zeroed rather than kept, so
 *            the host behaves as the model does: S1CDMax, S1Fmt and S1DSS
 *            when IDR1.SSIDSIZE == 0, EATS when IDR0.ATS == 0.
 *
 * out->ste is zero for every kind but S1. Returns 0, or SMMUV3_EINVAL for a
 * NULL argument (then *out, when given, is zeroed with kind INVALID).
 */
SMMUV3_API int smmuv3_vste_classify(const struct smmuv3 *smmu, const uint64_t ste[8], smmuv3_vste *out);

/* ---------------------------------------------------------------- invalidations */
/*
 * Called once per consumed command that invalidates something a host SMMU
 * caches (CFGI_CD, CFGI_CD_ALL, TLBI_NH_ASID, TLBI_NH_ALL, TLBI_NH_VA,
 * TLBI_NH_VAA, TLBI_NSNH_ALL, ATC_INV), after the model applied it, with the
 * raw 16-byte command (cmd[0] = dword 0, host order). A non-zero return is a
 * forwarding failure: the command queue stops on that command with
 * CERROR_ILL (CMDQ_CONS.ERR, GERROR.CMDQ_ERR) and resumes after GERRORN as
 * for any command error (restarting at CMDQ_CONS, so an unchanged command is
 * applied and forwarded again; a driver skips it as Linux does, by replacing
 * it with a CMD_SYNC before acknowledging).
 *
 * Calls come in queue order, synchronously, from inside the MMIO write that
 * made the command run; during a call CMDQ_CONS still points at the command.
 * The sink stays set across smmuv3_reset (it is wiring, like smmuv3_host). ATC_INV is forwarded only when the profile
 * advertises IDR0.ATS (without it the command is CERROR_ILL and never reaches
 * the sink); an illegal command is never forwarded. The commands that reach
 * the sink are never TLBI_EL2_*, TLBI_S2_IPA, TLBI_S12_VMALL or CFGI_STE*:
 * those concern state the host owns (stage 2, EL2) or that the VMM handles
 * itself (the STE, through smmuv3_vste_classify).
 *
 * What a sink may do with the same SMMU (the rules of the CMD_SYNC interrupt
 * and MSI callbacks): read and write registers through smmuv3_mmio_read/write
 * (a CMDQ_PROD write queues commands that run after the current one, before
 * the outermost write returns: command processing does not re-enter itself),
 * translate (smmuv3_translate and the other device entry points), and
 * change or remove the sink with smmuv3_set_inval_sink (the next command
 * uses the new one). It must not call smmuv3_reset or smmuv3_free on it.
 * A sink that clears CR0.CMDQEN stops processing after the current command,
 * which still counts as consumed.
 */
typedef int (*smmuv3_inval_sink)(void *ctx, const uint64_t cmd[2]);
SMMUV3_API void smmuv3_set_inval_sink(struct smmuv3 *smmu, smmuv3_inval_sink sink, void *ctx); /* NULL removes it */

/* ---------------------------------------------------------------- host fit */
/*
 * Checks that the profile can run on a host SMMU whose ID registers are
 * host_idr[0..5] (SMMU_IDR0..IDR5, as read from the host). Every feature the
 * profile advertises and the host must provide for the guest's stage 1 to run
 * nested on it is compared, in ID register order:
 *
 *   IDR0  S1P (and S2P: nesting needs the host's stage 2), S2P, TTF (AArch64),
 *         COHACC, BTM, HTTU, HYP, ATS, ASID16, VMID16 (with s2p), PRI, CD2L,
 *         TTENDIAN (little-endian), STALL_MODEL, TERM_MODEL, ST_LEVEL
 *   IDR1  SIDSIZE, SSIDSIZE
 *   IDR3  HAD (with s1p), PPS (with pri and ssidsize), XNX (with s2p), FWB (with s2p), STT, RIL
 *   IDR5  OAS, GRAN4K, GRAN16K, GRAN64K, VAX, STALL_MAX (with stalls)
 *
 * A host may have more than the profile (a larger OAS, RIL the guest does
 * not see); what the vSMMU emulates itself (queues, MSI, SEV, attribute
 * overrides) is not compared. Returns 0 when everything fits; SMMUV3_EINVAL
 * for a NULL argument, an invalid profile (msg as smmuv3_config_validate), or
 * the first field that does not fit: msg then names it (the host's ID
 * register field and the profile's field) with both values, e.g.
 * "IDR5.OAS (oas): profile 48 bits, host 44 bits".
 *
 * The check does not refuse s2p: the profile may advertise stage 2 when the
 * host has it, but smmuv3_vste_classify() calls every guest stage 2 or nested
 * STE INVALID, so a vSMMU front end normally clears s2p (and hyp, fwb).
 */
SMMUV3_API int smmuv3_config_check_host(const struct smmuv3_config *cfg, const uint32_t host_idr[6], char *msg,
                                        size_t msglen);

/* One change made by smmuv3_config_narrow_to_host. */
typedef struct smmuv3_host_change {
    const char *field;   /* smmuv3_config member changed: "oas", "ril", "gran16k", ... */
    const char *why;     /* the host ID register field that decided it ("IDR5.OAS"), or the
                            profile rule that followed from another change ("oas 52 needs gran64k") */
    uint64_t    from;    /* the member's value before and after (booleans as 0/1, oas in bits) */
    uint64_t    to;
} smmuv3_host_change;

enum { SMMUV3_HOST_CHANGES_MAX = 48 };

typedef struct smmuv3_host_narrowing {
    unsigned           n;                                /* entries used in change[] */
    smmuv3_host_change change[SMMUV3_HOST_CHANGES_MAX];  /* in the order of smmuv3_config_check_host */
    char               msg[160];                         /* SMMUV3_ENOTSUP: why no profile fits; else "" */
} smmuv3_host_narrowing;

/*
 * The largest profile below `cfg` that the host can back: every feature the
 * host lacks is removed and every size is lowered to the host's (sidsize,
 * ssidsize, oas, httu, stall_max, ...), then the profile's own rules are
 * restored (oas 52 and vax need gran64k, cd_2level needs s1p, hyp needs both
 * stages, fwb needs s2p, sel2 needs stt). Non-architectural fields (cache
 * sizes, fastpath) and what the vSMMU emulates itself are kept. `*out` then passes both
 * smmuv3_config_validate and smmuv3_config_check_host. A profile that already
 * fits is returned unchanged with no changes listed. `report` (may be NULL)
 * lists each change once, in check order.
 *
 * Returns 0; SMMUV3_EINVAL for a NULL cfg/host_idr/out or an invalid cfg;
 * SMMUV3_ENOTSUP when no profile fits (the host has no AArch64 or no
 * little-endian tables, or narrowing leaves no translation stage or no
 * granule): *out is then cfg unchanged and report->msg says why.
 * `out` may be `cfg`.
 */
SMMUV3_API int smmuv3_config_narrow_to_host(const struct smmuv3_config *cfg, const uint32_t host_idr[6],
                                            struct smmuv3_config *out, smmuv3_host_narrowing *report);

#ifdef __cplusplus
}
#endif
#endif
