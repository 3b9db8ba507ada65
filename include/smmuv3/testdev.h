/* SPDX-License-Identifier: MIT */
/*
 * The DMA test device: register-compatible with QEMU's iommu-testdev
 * (0x00..0x20), extended from 0x40 with SubstreamID and transaction
 * attributes, a memcpy engine and an MSI trigger.
 *
 * All registers are 32 bits wide; reads of unknown offsets return 0 and
 * writes to them are ignored. Every DMA goes through smmuv3_translate() with
 * the device's StreamID (register SID), and with its SubstreamID when SSID.SSV
 * is set; the resulting physical accesses (and the readback of the GPA) go
 * through the host interface given to smmuv3_testdev_new(). Accesses are split
 * at every 4KB boundary and each piece is translated on its own, so a DMA
 * that crosses pages translates each page.
 *
 * ---- iommu-testdev ABI (0x00..0x20) -------------------------------------
 * 0x00 DMA_TRIGGERING  R: runs the armed DMA synchronously, then disarms
 *                      (also on error); reads as 0. Not armed: RESULT =
 *                      0xDEAD0005.
 * 0x04 GVA_LO, 0x08 GVA_HI   IOVA of the DMA (sampled at the trigger)
 * 0x0C LEN             bytes to write (0 gives RESULT 0xDEAD0001)
 * 0x10 RESULT          see SMMUV3_TESTDEV_RESULT_*; writable
 * 0x14 DBELL           W: bit 0 = 1 arms (RESULT = 0xFFFFFFFE), 0 disarms
 *                      (RESULT = 0xFFFFFFFF)
 * 0x18 ATTRS           bit 0 secure, bits 2:1 space (0 Secure, 1 Non-secure,
 *                      2 Root, 3 Realm), bit 3 space valid. Reset 0x2.
 *                      With space valid and a Secure/Non-secure space that
 *                      disagrees with bit 0: RESULT 0xDEAD0006. Secure = 1
 *                      makes the DMA a Secure stream's (SMMUV3_TXN_SECURE,
 *                      SEC_SID = 1, input NS = 0: a valid Non-secure space
 *                      with it is 0xDEAD0006), translated through the Secure
 *                      Stream table, also through ATS (0xB0); without
 *                      SECURE_IMPL the SMMU takes it as Non-secure (SEC_SID
 *                      is 0, IHI 0070 3.10.1). Root and Realm spaces are not
 *                      modelled and end with RESULT 0xDEAD0002.
 * 0x1C GPA_LO, 0x20 GPA_HI   physical address read back through the host
 * The DMA: check armed, LEN, ATTRS; write the little-endian pattern
 * 0x12345678 repeated over LEN bytes at the IOVA through the SMMU (failure:
 * 0xDEAD0002); read LEN bytes at the GPA through the host (failure:
 * 0xDEAD0003); compare 4 bytes at a time (mismatch: 0xDEAD0004); RESULT 0.
 * A terminated write with RAZ/WI behaviour (CD.A = 0) completes for the
 * device, so the readback then finds a mismatch. LEN above
 * SMMUV3_TESTDEV_MAX_LEN gives 0xDEAD0001.
 *
 * ---- extensions ---------------------------------------------------------
 * 0x40 SSID            bits 19:0 SubstreamID, bit 31 SSV (valid). Applies to
 *                      the DMA and the memcpy engine (not to MSIs). Reset 0.
 * 0x44 TXN_ATTRS       bit 0 PRIV (privileged), bit 1 INST (instruction
 *                      access) for the DMA and the memcpy engine. Reset 0.
 * 0x48 SID             the StreamID (reset: the value given at creation)
 * 0x4C LAST_FAULT      the last terminated or stalled transaction of any
 *                      engine: bits 7:0 the fault's EventID (smmuv3_result
 *                      .fault), bits 15:8 the SMMUV3_XLATE_* outcome, bit 16
 *                      the access was a write. 0 if none. W: any value clears.
 * 0x50 MCPY_SRC_LO, 0x54 MCPY_SRC_HI   source IOVA
 * 0x58 MCPY_DST_LO, 0x5C MCPY_DST_HI   destination IOVA
 * 0x60 MCPY_LEN        bytes per repetition (1..SMMUV3_TESTDEV_MAX_LEN)
 * 0x64 MCPY_REPEAT     repetitions (0 counts as 1; at most
 *                      SMMUV3_TESTDEV_MAX_REPEAT, and LEN x REPEAT at most
 *                      SMMUV3_TESTDEV_MAX_TOTAL, else START gives BAD_LEN: a
 *                      run always ends in bounded time)
 * 0x68 MCPY_CTRL       W: 1 START: latch the registers and run the FIRST
 *                      repetition now (so its translations may be cached);
 *                      the engine stays RUNNING while repetitions remain.
 *                      2 STOP: a running or stalled engine becomes STOPPED.
 * 0x6C MCPY_STEP       W: run up to N more repetitions now
 * 0x70 MCPY_WAIT       R: run the remaining repetitions to the end, return
 *                      MCPY_STATUS
 * 0x74 MCPY_STATUS     SMMUV3_TESTDEV_MCPY_*
 * 0x78 MCPY_DONE       repetitions completed
 * 0x7C MCPY_FAULT_LO, 0x80 MCPY_FAULT_HI  IOVA of the failing access
 * 0x84 MCPY_FAULT_EVENT  as LAST_FAULT, for the engine's failure
 * 0x88 MCPY_STAG       STAG of the stalled access (status STALLED)
 *   Each repetition copies LEN bytes in pieces that cross no 4KB boundary of
 *   either address: translate the source (read), read it, translate the
 *   destination (write), write it. A terminated access (abort) ends the run
 *   with FAULT. RAZ/WI reads give zeros and RAZ/WI writes are dropped. A
 *   stalled access leaves the engine STALLED: STEP and WAIT then poll the
 *   stall (smmuv3_stall_poll): still pending, nothing happens; RESUME Retry
 *   re-issues the access and the run continues; terminated, FAULT (abort) or
 *   continue as RAZ/WI.
 * 0x90 MSI_ADDR_LO, 0x94 MSI_ADDR_HI   MSI doorbell IOVA
 * 0x98 MSI_DATA
 * 0x9C MSI_TRIGGER     W: bit 0 = 1 sends MSI_DATA as a 32-bit little-endian
 *                      write to MSI_ADDR through the SMMU (StreamID SID, no
 *                      SubstreamID, unprivileged data write)
 * 0xA0 MSI_RESULT      0 sent; 0xDEAD0002 the write was terminated or
 *                      stalled; 0xDEAD0003 the host write failed; 0xFFFFFFFF
 *                      before the first MSI; writes to the register are
 *                      ignored
 * 0xA4 MSI_COUNT       MSIs that reached memory (a RAZ/WI-terminated MSI
 *                      completes with MSI_RESULT 0 but is not counted)
 * A basic DMA or MSI that stalls cannot wait (the trigger is synchronous): it
 * fails with 0xDEAD0002 and the device polls the stall again at its next
 * DMA or MSI so that the STAG is released once software answers it.
 *
 * ---- PCIe ATS and PRI client (IHI 0070 3.9.1, 8) ------------------------
 * The device has an Address Translation Cache of 16 entries. The SMMU's ATC
 * invalidations and PRG responses reach it through smmuv3_testdev_atc_inv()
 * and smmuv3_testdev_pri_resp(), which the embedder calls from the SMMU
 * host's atc_inv / pri_resp callbacks (messages for another StreamID are
 * ignored, so every device may be given every message).
 * 0xB0 ATS_CTRL        bit 0 ATS: the basic DMA (0x00) goes through the ATC:
 *                      per page, a cached translation with write permission,
 *                      else a Translation Request (write, Exe/Priv from
 *                      TXN_ATTRS when SSID.SSV), then a Translated write of
 *                      the translated address (SMMUV3_TXN_TRANSLATED),
 *                      both from the Security state ATTRS gives (a Secure
 *                      stream's request gets UR, IHI 0070 3.9.1).
 *                      A completion that is not Success: RESULT 0xDEAD0002.
 *                      bit 1 PRI: a Success completion without write
 *                      permission sends a Page Request (R+W, Last, PRGI from
 *                      PRI_PRGI) and ends the DMA with RESULT 0xDEAD0007;
 *                      without PRI it ends with 0xDEAD0002. Reset 0.
 * 0xB4 ATS_ADDR_LO, 0xB8 ATS_ADDR_HI   address of ATS_CMD operations
 * 0xBC ATS_FLAGS       bit 0 WRITE (request write: NW = 0), bit 1 EXEC,
 *                      bit 2 PRIV (Exe and Priv count only with SSID.SSV)
 * 0xC0 ATS_CMD         W: 1 TRANSLATE: a Translation Request for ATS_ADDR
 *                      (SID, SSID, ATS_FLAGS); a Success with any permission
 *                      fills the ATC. 2 PAGE_REQUEST: a Page Request for
 *                      ATS_ADDR (R, plus W/X per ATS_FLAGS, Priv, Last = 1,
 *                      PRGI from PRI_PRGI). 3 ATC_FLUSH: empty the ATC.
 * 0xC4 ATS_STATUS      the last completion: bit 31 valid, bits 1:0 status
 *                      (SMMUV3_ATS_*), bits 6:4 R/W/X granted, bit 8 Priv,
 *                      bit 9 Global. 0 before the first request.
 * 0xC8 ATS_TADDR_LO, 0xCC ATS_TADDR_HI, 0xD0 ATS_TSIZE_LO, 0xD4 ATS_TSIZE_HI
 *                      translated address and size of the last completion
 * 0xD8 ATC_COUNT       valid ATC entries
 * 0xDC ATC_INV_COUNT   ATC invalidations received
 * 0xE0 PRI_PRGI        PRG index of the next Page Request (9 bits)
 * 0xE4 PRI_STATUS      the last PRG response: bit 31 valid, bits 1:0 code
 *                      (SMMUV3_PRI_RESP_*), bit 15 it had a PASID, bits
 *                      24:16 its PRG index
 * 0xE8 PRI_RESP_COUNT  PRG responses received
 * 0xEC PRI_REQ_COUNT   Page Requests the SMMU took
 * The IO-page-fault round trip: DMA -> 0xDEAD0007 and a PRI queue record;
 * the driver maps the page, invalidates (TLBI, ATC_INV), answers CMD_PRI_RESP
 * Success (PRI_STATUS); the re-armed DMA's request then succeeds, the ATC
 * caches it and the write goes out Translated (RESULT 0, ATC_COUNT 1).
 */
#ifndef SMMUV3_TESTDEV_H
#define SMMUV3_TESTDEV_H

#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmuv3;
struct smmuv3_host;
typedef struct smmuv3_testdev smmuv3_testdev;

/* Register offsets. */
enum {
    SMMUV3_TESTDEV_DMA_TRIGGERING = 0x00,
    SMMUV3_TESTDEV_GVA_LO = 0x04,
    SMMUV3_TESTDEV_GVA_HI = 0x08,
    SMMUV3_TESTDEV_LEN = 0x0C,
    SMMUV3_TESTDEV_RESULT = 0x10,
    SMMUV3_TESTDEV_DBELL = 0x14,
    SMMUV3_TESTDEV_ATTRS = 0x18,
    SMMUV3_TESTDEV_GPA_LO = 0x1C,
    SMMUV3_TESTDEV_GPA_HI = 0x20,
    SMMUV3_TESTDEV_SSID = 0x40,
    SMMUV3_TESTDEV_TXN_ATTRS = 0x44,
    SMMUV3_TESTDEV_SID = 0x48,
    SMMUV3_TESTDEV_LAST_FAULT = 0x4C,
    SMMUV3_TESTDEV_MCPY_SRC_LO = 0x50,
    SMMUV3_TESTDEV_MCPY_SRC_HI = 0x54,
    SMMUV3_TESTDEV_MCPY_DST_LO = 0x58,
    SMMUV3_TESTDEV_MCPY_DST_HI = 0x5C,
    SMMUV3_TESTDEV_MCPY_LEN = 0x60,
    SMMUV3_TESTDEV_MCPY_REPEAT = 0x64,
    SMMUV3_TESTDEV_MCPY_CTRL = 0x68,
    SMMUV3_TESTDEV_MCPY_STEP = 0x6C,
    SMMUV3_TESTDEV_MCPY_WAIT = 0x70,
    SMMUV3_TESTDEV_MCPY_STATUS = 0x74,
    SMMUV3_TESTDEV_MCPY_DONE = 0x78,
    SMMUV3_TESTDEV_MCPY_FAULT_LO = 0x7C,
    SMMUV3_TESTDEV_MCPY_FAULT_HI = 0x80,
    SMMUV3_TESTDEV_MCPY_FAULT_EVENT = 0x84,
    SMMUV3_TESTDEV_MCPY_STAG = 0x88,
    SMMUV3_TESTDEV_MSI_ADDR_LO = 0x90,
    SMMUV3_TESTDEV_MSI_ADDR_HI = 0x94,
    SMMUV3_TESTDEV_MSI_DATA = 0x98,
    SMMUV3_TESTDEV_MSI_TRIGGER = 0x9C,
    SMMUV3_TESTDEV_MSI_RESULT = 0xA0,
    SMMUV3_TESTDEV_MSI_COUNT = 0xA4,
    SMMUV3_TESTDEV_ATS_CTRL = 0xB0,
    SMMUV3_TESTDEV_ATS_ADDR_LO = 0xB4,
    SMMUV3_TESTDEV_ATS_ADDR_HI = 0xB8,
    SMMUV3_TESTDEV_ATS_FLAGS = 0xBC,
    SMMUV3_TESTDEV_ATS_CMD = 0xC0,
    SMMUV3_TESTDEV_ATS_STATUS = 0xC4,
    SMMUV3_TESTDEV_ATS_TADDR_LO = 0xC8,
    SMMUV3_TESTDEV_ATS_TADDR_HI = 0xCC,
    SMMUV3_TESTDEV_ATS_TSIZE_LO = 0xD0,
    SMMUV3_TESTDEV_ATS_TSIZE_HI = 0xD4,
    SMMUV3_TESTDEV_ATC_COUNT = 0xD8,
    SMMUV3_TESTDEV_ATC_INV_COUNT = 0xDC,
    SMMUV3_TESTDEV_PRI_PRGI = 0xE0,
    SMMUV3_TESTDEV_PRI_STATUS = 0xE4,
    SMMUV3_TESTDEV_PRI_RESP_COUNT = 0xE8,
    SMMUV3_TESTDEV_PRI_REQ_COUNT = 0xEC,
};

/* RESULT values (iommu-testdev). */
#define SMMUV3_TESTDEV_RESULT_OK         0x00000000u
#define SMMUV3_TESTDEV_RESULT_IDLE       0xFFFFFFFFu
#define SMMUV3_TESTDEV_RESULT_BUSY       0xFFFFFFFEu  /* armed */
#define SMMUV3_TESTDEV_RESULT_BAD_LEN    0xDEAD0001u
#define SMMUV3_TESTDEV_RESULT_TX_FAIL    0xDEAD0002u  /* the DMA write through the SMMU failed */
#define SMMUV3_TESTDEV_RESULT_RD_FAIL    0xDEAD0003u  /* the readback of the GPA failed */
#define SMMUV3_TESTDEV_RESULT_MISMATCH   0xDEAD0004u
#define SMMUV3_TESTDEV_RESULT_NOT_ARMED  0xDEAD0005u
#define SMMUV3_TESTDEV_RESULT_BAD_ATTRS  0xDEAD0006u
#define SMMUV3_TESTDEV_RESULT_PAGE_REQUESTED 0xDEAD0007u  /* ATS: no write permission, a Page Request went out */

#define SMMUV3_TESTDEV_PATTERN 0x12345678u
#define SMMUV3_TESTDEV_DBELL_ARM 1u
/* ATTRS bits. */
#define SMMUV3_TESTDEV_ATTRS_SECURE      0x1u
#define SMMUV3_TESTDEV_ATTRS_SPACE(s)    (((uint32_t)(s) & 3u) << 1)
#define SMMUV3_TESTDEV_ATTRS_SPACE_VALID 0x8u
enum { SMMUV3_TESTDEV_SPACE_SECURE = 0, SMMUV3_TESTDEV_SPACE_NONSECURE = 1,
       SMMUV3_TESTDEV_SPACE_ROOT = 2, SMMUV3_TESTDEV_SPACE_REALM = 3 };
/* SSID register. */
#define SMMUV3_TESTDEV_SSID_SSV          0x80000000u
/* TXN_ATTRS bits. */
#define SMMUV3_TESTDEV_TXN_PRIV          0x1u
#define SMMUV3_TESTDEV_TXN_INST          0x2u
/* Largest LEN / MCPY_LEN, MCPY_REPEAT, and bytes copied by one memcpy run. */
#define SMMUV3_TESTDEV_MAX_LEN           (16u << 20)
#define SMMUV3_TESTDEV_MAX_REPEAT        65536u
#define SMMUV3_TESTDEV_MAX_TOTAL         (256ull << 20)
/* MCPY_CTRL commands. */
#define SMMUV3_TESTDEV_MCPY_START        1u
#define SMMUV3_TESTDEV_MCPY_STOP         2u
/* MCPY_STATUS values. */
enum {
    SMMUV3_TESTDEV_MCPY_IDLE = 0,
    SMMUV3_TESTDEV_MCPY_RUNNING = 1,
    SMMUV3_TESTDEV_MCPY_DONE_OK = 2,
    SMMUV3_TESTDEV_MCPY_FAULT = 3,
    SMMUV3_TESTDEV_MCPY_STALLED = 4,
    SMMUV3_TESTDEV_MCPY_STOPPED = 5,
    SMMUV3_TESTDEV_MCPY_BAD_LEN = 6,
};
/* LAST_FAULT / MCPY_FAULT_EVENT fields. */
#define SMMUV3_TESTDEV_FAULT_EVENT(v)    ((v) & 0xFFu)
#define SMMUV3_TESTDEV_FAULT_OUTCOME(v)  (((v) >> 8) & 0xFFu)
#define SMMUV3_TESTDEV_FAULT_WRITE       0x10000u

/* ATS_CTRL, ATS_FLAGS and ATS_CMD values. */
#define SMMUV3_TESTDEV_ATS_EN            0x1u
#define SMMUV3_TESTDEV_PRI_EN            0x2u
#define SMMUV3_TESTDEV_ATS_WRITE         0x1u
#define SMMUV3_TESTDEV_ATS_EXEC          0x2u
#define SMMUV3_TESTDEV_ATS_PRIV          0x4u
#define SMMUV3_TESTDEV_ATS_CMD_TRANSLATE    1u
#define SMMUV3_TESTDEV_ATS_CMD_PAGE_REQUEST 2u
#define SMMUV3_TESTDEV_ATS_CMD_ATC_FLUSH    3u

/* NULL when smmu or host is NULL or memory runs out. */
SMMUV3_API smmuv3_testdev *smmuv3_testdev_new(struct smmuv3 *smmu, const struct smmuv3_host *host, uint32_t sid);
SMMUV3_API void     smmuv3_testdev_free(smmuv3_testdev *dev);
/* Register access (32-bit). NULL dev: reads 0, writes ignored. */
SMMUV3_API uint32_t smmuv3_testdev_read(smmuv3_testdev *dev, uint64_t offset);
SMMUV3_API void     smmuv3_testdev_write(smmuv3_testdev *dev, uint64_t offset, uint32_t value);
/* Messages from the SMMU (route the SMMU host's atc_inv / pri_resp here):
 * ignored unless their StreamID is the device's SID. NULL arguments: no-op. */
struct smmuv3_atc_inv;
struct smmuv3_pri_resp;
SMMUV3_API void     smmuv3_testdev_atc_inv(smmuv3_testdev *dev, const struct smmuv3_atc_inv *inv);
SMMUV3_API void     smmuv3_testdev_pri_resp(smmuv3_testdev *dev, const struct smmuv3_pri_resp *resp);

#ifdef __cplusplus
}
#endif
#endif
