/* SPDX-License-Identifier: MIT */
/*
 * The driver checker: reports what a driver got wrong at the moment it
 * happens (a forgotten invalidation, a misaligned table, an unacknowledged
 * error), which hardware and emulators leave to show up much later as a
 * strange event. On while a callback is set; it only reports and never
 * changes what the model does. Included by <smmuv3/smmuv3.h>.
 */
#ifndef SMMUV3_CHECKER_H
#define SMMUV3_CHECKER_H

#include <stdint.h>
#include <smmuv3/export.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct smmuv3 smmuv3;

typedef struct smmuv3_diag {
    int         code;   /* SMMUV3_DIAG_* */
    uint32_t    sid;    /* StreamID concerned, or UINT32_MAX */
    uint32_t    ssid;   /* SubstreamID concerned, or UINT32_MAX */
    uint64_t    addr;   /* STALE_STE/STALE_CD: PA of the changed entry; STALE_TLB: the input address
                           translated; others: the address concerned, or 0 */
    const char *msg;    /* one line: what happened, the rule and its IHI 0070 section (valid during the call) */
} smmuv3_diag;

enum { SMMUV3_DIAG_STALE_STE = 1, SMMUV3_DIAG_STALE_CD = 2, SMMUV3_DIAG_STALE_TLB = 3,
       SMMUV3_DIAG_MISALIGNED = 4, SMMUV3_DIAG_UNPREDICTABLE = 5, SMMUV3_DIAG_QUEUE = 6,
       SMMUV3_DIAG_ERROR_IGNORED = 7, SMMUV3_DIAG_TAG_ALIAS = 8 };
#define SMMUV3_DIAG_CODES 9     /* smmuv3_stats.diags[] is indexed by code (0 unused) */

/* NULL: off. The callback runs on the thread that made the call that found
 * the problem, inside that call; it must not call back into this instance. */
SMMUV3_API void smmuv3_set_diag(smmuv3 *smmu, void (*cb)(void *ctx, const smmuv3_diag *d), void *ctx);

/* The name of a code ("STALE_STE", ...), or "?" */
SMMUV3_API const char *smmuv3_diag_name(int code);

#ifdef __cplusplus
}
#endif

#endif
