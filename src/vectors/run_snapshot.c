/* SPDX-License-Identifier: MIT */
/*
 * The `save` and `restore` steps (smmuv3_save / smmuv3_restore). A snapshot
 * holds the SMMU's state only: memory belongs to the host and is not rolled
 * back. `restore: NAME` puts the running SMMU back into the saved state;
 * `restore: { snapshot: NAME, fresh: true }` restores it into a new SMMU of the
 * vector's configuration, which replaces the running one (the test devices
 * are made again on their next use, with their registers at reset).
 */
#include <stdlib.h>
#include <string.h>
#include "run_int.h"

static rsnap *find(R *r, const char *name)
{
    for (size_t i = 0; i < r->nsnaps; i++)
        if (strcmp(r->snaps[i].name, name) == 0)
            return &r->snaps[i];
    return NULL;
}

int svr_do_save(R *r, const sv_step *s)
{
    rsnap *sn = find(r, s->snap);
    if (!sn) {
        if (r->nsnaps == MAX_SNAPS)
            return svr_fail(r, s->mark.line, "more than %d snapshots", MAX_SNAPS);
        sn = &r->snaps[r->nsnaps++];
        memset(sn, 0, sizeof(*sn));
        sn->name = s->snap;
    }
    size_t n = 0;
    int rc = smmuv3_save(r->smmu, NULL, 0, &n);
    uint8_t *b = rc == SMMUV3_ERANGE ? malloc(n) : NULL;
    if (!b)
        return svr_fail(r, s->mark.line, "save '%s': cannot size the snapshot (%s)", s->snap, smmuv3_strerror(rc));
    rc = smmuv3_save(r->smmu, b, n, &n);
    if (rc) {
        free(b);
        return svr_fail(r, s->mark.line, "save '%s': %s", s->snap, smmuv3_strerror(rc));
    }
    free(sn->buf);
    sn->buf = b;
    sn->len = n;
    svr_trace(r, "    snapshot '%s': %zu bytes\n", s->snap, n);
    return 0;
}

int svr_do_restore(R *r, const sv_step *s)
{
    rsnap *sn = find(r, s->snap);
    if (!sn)
        return svr_fail(r, s->mark.line, "restore: no snapshot named '%s' was saved before this step", s->snap);
    if (!s->snap_fresh) {
        int rc = smmuv3_restore(r->smmu, sn->buf, sn->len);
        return rc ? svr_fail(r, s->mark.line, "restore '%s': %s", s->snap, smmuv3_strerror(rc)) : 0;
    }
    smmuv3 *n = NULL;
    int rc = smmuv3_new(smmuv3_get_config(r->smmu), &r->host, &n);
    if (!rc)
        rc = smmuv3_restore(n, sn->buf, sn->len);
    if (rc) {
        smmuv3_free(n);
        return svr_fail(r, s->mark.line, "restore '%s' into a new SMMU: %s", s->snap, smmuv3_strerror(rc));
    }
    for (size_t i = 0; i < r->ndevs; i++)
        smmuv3_testdev_free(r->devs[i].d);
    r->ndevs = 0;
    smmuv3_free(r->smmu);
    r->smmu = n;
    if (r->check)
        smmuv3_set_diag(n, svr_on_diag, r);
    svr_sink_attach(r);   /* the sink is wiring, not state: the new SMMU gets it too */
    r->drv.smmu = n;
    svr_trace(r, "    a new SMMU restored from '%s'\n", s->snap);
    return 0;
}

void svr_snaps_free(R *r)
{
    for (size_t i = 0; i < r->nsnaps; i++)
        free(r->snaps[i].buf);
    r->nsnaps = 0;
}
