/* SPDX-License-Identifier: MIT */
/*
 * Snapshots: checkpoint and restore of an SMMU's architectural state
 * (shared/API.md "Snapshots"). Included by <smmuv3/smmuv3.h>.
 *
 * A snapshot holds every register (including stored bits a read does not
 * show, such as index bits above a queue's current size), the queue indexes
 * and overflow flags, GERROR/GERRORN, IRQ_CTRL/ACK, the MSI configuration,
 * the held stalls with their answers, and the statistics counters (including
 * stats.sev, the SEV wake-up count). Interrupts are edges delivered during
 * the call that raises them, so no interrupt is ever pending between calls.
 * Caches (configuration cache, IOTLB, walk cache, translation memo) are not
 * architectural: a restore empties them; the cache counters then go on from
 * the saved values.
 *
 * The format is little-endian and versioned, with a configuration digest, a
 * length and a CRC-32; a restore validates every value (against the register
 * masks of this profile, the queue and stall limits) before it changes the
 * instance. Restoring into an instance created with an equal configuration
 * (every smmuv3_config field, cache sizes included) gives a model that is
 * indistinguishable through the API from the one saved.
 *
 * Neither call may run while another call is using the instance, nor from a
 * host callback of the same instance (a command or a translation would be
 * half done): SMMUV3_EINVAL.
 */
#ifndef SMMUV3_SNAPSHOT_H
#define SMMUV3_SNAPSHOT_H

#include <stddef.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct smmuv3;

/* Write a snapshot of `smmu` into buf[0..len). 0 on success with *needed set
 * to the bytes written; SMMUV3_ERANGE when buf is NULL or len too small, with
 * *needed set to the size required (needed may be NULL). */
SMMUV3_API int smmuv3_save(const struct smmuv3 *smmu, void *buf, size_t len, size_t *needed);

/* Replace the state of `smmu` with the snapshot in buf[0..len). On any error
 * the instance is left exactly as it was:
 *   SMMUV3_ECORRUPT   not a snapshot this library can restore: truncated, trailing
 *                     bytes, bad checksum, another format version, a value the
 *                     model cannot hold;
 *   SMMUV3_EMISMATCH  taken on an SMMU of another configuration;
 *   SMMUV3_EINVAL     NULL argument, or called from a host callback of smmu;
 *   SMMUV3_ENOMEM     no memory for the validation scratch instance. */
SMMUV3_API int smmuv3_restore(struct smmuv3 *smmu, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif
