/* SPDX-License-Identifier: MIT */
/* The vector runner: a run (setup, then each step in order) and what runs a
 * step of each kind. The runner's parts are described in run_int.h. */
#include <stdlib.h>
#include <string.h>
#include "run_int.h"

static int step_mmio_write(R *r, const sv_step *s) { return svr_mmio_write(r, &s->mmio); }
static int step_mem_write(R *r, const sv_step *s) { return svr_mem_write(r, &s->mem); }

static int step_dev_write(R *r, const sv_step *s)
{
    smmuv3_testdev *d = svr_dev_for(r, s->dev_sid);
    if (!d)
        return svr_fail(r, s->mark.line, "cannot create the test device");
    smmuv3_testdev_write(d, s->dev_off, (uint32_t)s->dev_val);
    return 0;
}

static int step_dev_read(R *r, const sv_step *s)
{
    smmuv3_testdev *d = svr_dev_for(r, s->dev_sid);
    if (!d)
        return svr_fail(r, s->mark.line, "cannot create the test device");
    uint32_t got = smmuv3_testdev_read(d, s->dev_off);
    svr_trace(r, "    testdev read 0x%llx = 0x%08x\n", (unsigned long long)s->dev_off, got);
    if (got != (uint32_t)s->dev_val)
        return svr_fail(r, s->mark.line, "test device register 0x%llx: expected 0x%08x, got 0x%08x",
                        (unsigned long long)s->dev_off, (uint32_t)s->dev_val, got);
    return 0;
}

static int step_gerror(R *r, const sv_step *s)
{
    uint32_t act = (uint32_t)(svr_qrd(r, s->secure, REG_GERROR, 4) ^ svr_qrd(r, s->secure, REG_GERRORN, 4));
    char a[256], b[256];
    const char *pre = s->secure ? "S_" : "";
    svr_trace(r, "    %sGERROR active: %s\n", pre, svr_gerror_names(act, a, sizeof(a)));
    if (act != s->gerror_mask)
        return svr_fail(r, s->mark.line, "expected active %sGERROR [%s], got [%s]", pre,
                        svr_gerror_names(s->gerror_mask, b, sizeof(b)), svr_gerror_names(act, a, sizeof(a)));
    return 0;
}

static int step_cmdq_error(R *r, const sv_step *s)
{
    uint32_t cons = (uint32_t)svr_qrd(r, s->secure, REG_CMDQ_CONS, 4);
    unsigned err = (cons >> 24) & 0x7f;
    static const char *const ce[] = { "none", "ILL", "ABT", "ATC_INV_SYNC" };
    const char *pre = s->secure ? "S_" : "";
    svr_trace(r, "    %sCMDQ_CONS 0x%x (ERR %u)\n", pre, cons, err);
    if (err != s->cerror)
        return svr_fail(r, s->mark.line, "expected %sCMDQ_CONS.ERR %s, got %s (%sCMDQ_CONS 0x%x)", pre,
                        s->cerror < 4 ? ce[s->cerror] : "?", err < 4 ? ce[err] : "?", pre, cons);
    return 0;
}

static int step_map(R *r, const sv_step *s)
{
    int i = svr_find_pt(r->v, s->table);
    if (i < 0 || !r->pts[i].ready)
        return svr_fail(r, s->mark.line, "unknown page table '%s'", s->table);
    if (s->kind == SV_STEP_MAP)
        return svr_pt_map_one(r, (size_t)i, &s->map);
    uint64_t in;
    if (svr_resolve(r, &s->map.in, &in, NULL))
        return -1;
    uint64_t size = s->map.size ? s->map.size : 1ull << r->v->pts[i].gran;
    int rc = smmuv3_pt_unmap(&r->pts[i].pt, in, size);
    if (rc)
        return svr_fail(r, s->mark.line, "cannot unmap 0x%llx size 0x%llx in '%s': %s", (unsigned long long)in,
                        (unsigned long long)size, s->table, smmuv3_strerror(rc));
    return 0;
}

static int step_gerror_ack(R *r, const sv_step *s)
{
    uint64_t g = svr_qrd(r, s->secure, REG_GERROR, 4);
    svr_qwr(r, s->secure, REG_GERRORN, g, 4);
    return 0;
}

void svr_on_diag(void *ctx, const smmuv3_diag *d)
{
    R *r = ctx;
    if (!r->diag_seen)
        snprintf(r->diag_first, sizeof(r->diag_first), "%s: %s", smmuv3_diag_name(d->code), d->msg);
    if (d->code > 0 && d->code < SMMUV3_DIAG_CODES)
        r->diag_seen |= 1u << d->code;
    svr_trace(r, "    driver checker: %s: %s\n", smmuv3_diag_name(d->code), d->msg);
}

static const char *diag_names(unsigned m, char *out, size_t len)
{
    size_t k = 0;
    out[0] = 0;
    for (int c = 1; c < SMMUV3_DIAG_CODES; c++)
        if (m & (1u << c))
            k += (size_t)snprintf(out + k, k < len ? len - k : 0, "%s%s", k ? ", " : "", smmuv3_diag_name(c));
    return out;
}

/* The driver checker's reports since the previous expect_diagnostics step. */
static int step_diag(R *r, const sv_step *s)
{
    char a[160], b[160];
    unsigned seen = r->diag_seen;
    r->diag_seen = 0;
    if (seen != s->diag_mask)
        return svr_fail(r, s->mark.line, "expected driver checker reports [%s], got [%s]%s%s",
                        diag_names(s->diag_mask, a, sizeof(a)), diag_names(seen, b, sizeof(b)),
                        seen ? "; first: " : "", seen ? r->diag_first : "");
    return 0;
}

/* What runs a step of each kind (SV_STEP_*); a new kind adds one line here. */
static int (*const step_fns[])(R *r, const sv_step *s) = {
    [SV_STEP_MMIO_WRITE] = step_mmio_write, [SV_STEP_MMIO_READ] = svr_do_mmio_read,
    [SV_STEP_COMMANDS] = svr_do_commands, [SV_STEP_MEM_WRITE] = step_mem_write,
    [SV_STEP_MEM_READ] = svr_do_mem_read, [SV_STEP_TRANSLATE] = svr_do_translate, [SV_STEP_DMA] = svr_do_dma,
    [SV_STEP_DEV_WRITE] = step_dev_write, [SV_STEP_DEV_READ] = step_dev_read, [SV_STEP_EVENTS] = svr_do_events,
    [SV_STEP_GERROR] = step_gerror, [SV_STEP_CMDQ_ERROR] = step_cmdq_error, [SV_STEP_MAP] = step_map,
    [SV_STEP_UNMAP] = step_map, [SV_STEP_GERROR_ACK] = step_gerror_ack, [SV_STEP_SAVE] = svr_do_save,
    [SV_STEP_RESTORE] = svr_do_restore, [SV_STEP_DIAG] = step_diag,
    [SV_STEP_INVAL_SINK] = svr_do_inval_sink, [SV_STEP_EXPECT_FORWARDED] = svr_do_expect_forwarded,
    [SV_STEP_VSTE] = svr_do_vste, [SV_STEP_ATS] = svr_do_ats_step, [SV_STEP_PAGE_REQ] = svr_do_ats_step,
    [SV_STEP_PRIQ] = svr_do_ats_step, [SV_STEP_ATC_INV] = svr_do_ats_step, [SV_STEP_PRI_RESP] = svr_do_ats_step,
};

static int run_step(R *r, const sv_step *s)
{
    if (s->kind < 0 || (size_t)s->kind >= sizeof(step_fns) / sizeof(step_fns[0]) || !step_fns[s->kind])
        return svr_fail(r, s->mark.line, "unknown step kind");
    return step_fns[s->kind](r, s);
}

/* The driver checker runs when asked (check) and whenever the vector expects
 * diagnostics; with it on, a report no expect_diagnostics step accounts for
 * fails the vector at its end. */
static int run_vector(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res, bool check)
{
    if (!res)
        return SMMUV3_VEC_ERROR;
    memset(res, 0, sizeof(*res));
    if (!v) {
        res->status = SMMUV3_VEC_ERROR;
        snprintf(res->msg, sizeof(res->msg), "no vector");
        return res->status;
    }
    R r;
    memset(&r, 0, sizeof(r));
    r.v = v;
    r.trace = trace;
    r.res = res;
    r.check = check;
    for (size_t i = 0; i < v->nsteps; i++)
        r.check |= v->steps[i].kind == SV_STEP_DIAG;
    svr_trace(&r, "%s: setup\n", v->name);
    if (svr_setup(&r) == 0) {
        for (size_t i = 0; i < v->nsteps; i++) {
            r.step = i + 1;
            const sv_step *s = &v->steps[i];
            svr_trace(&r, "  step %zu (line %u): %s%s%s\n", i + 1, s->mark.line, s->action, s->note ? " - " : "",
                      s->note ? s->note : "");
            if (run_step(&r, s))
                break;
            res->steps_run = i + 1;
        }
        if (res->status == SMMUV3_VEC_PASS && r.diag_seen) {
            svr_fail(&r, v->nsteps ? v->steps[v->nsteps - 1].mark.line : 1,
                     "the driver checker reported what no expect_diagnostics step expects: %s", r.diag_first);
        }
    }
    svr_sink_free(&r);
    for (size_t i = 0; i < r.ndevs; i++)
        smmuv3_testdev_free(r.devs[i].d);
    svr_snaps_free(&r);
    smmuv3_free(r.smmu);
    smmuv3_mem_free(r.mem);
    smmuv3_mem_free(r.smem);
    free(r.pts);
    free(r.cds);
    return res->status;
}

int smmuv3_vec_run(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res)
{
    return run_vector(v, trace, res, false);
}

int smmuv3_vec_run_check(const smmuv3_vector *v, FILE *trace, smmuv3_vec_result *res)
{
    return run_vector(v, trace, res, true);
}
