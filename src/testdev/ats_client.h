/* SPDX-License-Identifier: MIT */
/* The test device's ATS/PRI client (ats_client.c): private to src/testdev. */
#ifndef SMMU_TESTDEV_ATS_CLIENT_H
#define SMMU_TESTDEV_ATS_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

typedef struct tdev_ats tdev_ats;

/* What the client needs of the device for one operation. */
typedef struct tdev_ctx {
    smmuv3 *smmu;
    const smmuv3_host *host;   /* the device's physical accesses */
    uint32_t sid;
    uint32_t ssid_reg;         /* SSID register: SSV bit 31, SubstreamID 19:0 */
    uint32_t txn_attrs;        /* TXN_ATTRS: PRIV, INST */
    uint32_t sec;              /* SMMUV3_TXN_SECURE / SMMUV3_TXN_NS of the basic DMA (ATTRS); 0 otherwise */
} tdev_ctx;

tdev_ats *tdev_ats_new(void);
void tdev_ats_free(tdev_ats *a);
/* Registers 0xB0..0xEC (testdev.h). */
bool tdev_ats_owns(uint64_t off);
uint32_t tdev_ats_read(tdev_ats *a, uint64_t off);
void tdev_ats_write(tdev_ats *a, const tdev_ctx *c, uint64_t off, uint32_t v);
/* ATS_CTRL.ATS: the basic DMA goes through the ATC. */
bool tdev_ats_dma_on(const tdev_ats *a);
/* Write buf at iova through the ATC and Translated transactions; returns a
 * SMMUV3_TESTDEV_RESULT_* value. */
uint32_t tdev_ats_dma_write(tdev_ats *a, const tdev_ctx *c, uint64_t iova, const uint8_t *buf, uint32_t len);
/* Messages from the SMMU for this device's StreamID. */
void tdev_ats_inv(tdev_ats *a, const smmuv3_atc_inv *inv);
void tdev_ats_resp(tdev_ats *a, const smmuv3_pri_resp *resp);

#endif
