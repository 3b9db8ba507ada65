/* SPDX-License-Identifier: MIT */
/* The fuzz interpreter with the driver checker on (see fuzz_interp.h). */
#include "fuzz_interp.h"

#include <stdio.h>
#include <string.h>
#include <smmuv3/smmuv3.h>

typedef struct ck_fz {
    unsigned long reports;
    unsigned bad;
    char why[160];
} ck_fz;

/* Every report well formed: a known code, a one-line message citing the spec. */
static void on_diag(void *ctx, const smmuv3_diag *d)
{
    ck_fz *c = ctx;
    c->reports++;
    const char *why = NULL;
    if (!d || d->code < SMMUV3_DIAG_STALE_STE || d->code > SMMUV3_DIAG_TAG_ALIAS)
        why = "unknown diagnostic code";
    else if (!d->msg || !d->msg[0] || strchr(d->msg, '\n'))
        why = "diagnostic message empty or not one line";
    else if (!strstr(d->msg, "IHI 0070"))
        why = "diagnostic message cites no IHI 0070 section";
    if (why && c->bad++ == 0)
        snprintf(c->why, sizeof(c->why), "%s (code %d)", why, d ? d->code : -1);
}

enum { CK_LOG = 16 * FZ_MAX_OPS + 256 };

int fz_run_checker(const uint8_t *data, size_t size, char *msg, size_t msglen, unsigned long *reports)
{
    static uint64_t a[CK_LOG], b[CK_LOG];
    size_t na = 0, nb = 0;
    ck_fz c;
    memset(&c, 0, sizeof(c));
    if (reports)
        *reports = 0;
    int bad = fz_run_once(data, size, msg, msglen, a, CK_LOG, &na, false, false, on_diag, &c);
    if (reports)
        *reports = c.reports;
    if (bad)
        return bad;
    if (c.bad) {
        if (msg && msglen)
            snprintf(msg, msglen, "%s", c.why);
        return (int)c.bad;
    }
    bad = fz_run_once(data, size, msg, msglen, b, CK_LOG, &nb, false, false, NULL, NULL);
    if (bad)
        return bad;
    return fz_logs_differ(a, na, b, nb, "checker on/off", msg, msglen);
}
