/* SPDX-License-Identifier: MIT */
/*
 * Running the ATS and PRI steps (vec_ats.h), and the runner's host: memory
 * over the vector's flat memory, ATC invalidations and PRG responses recorded
 * for expect_atc_inv / expect_pri_resp and delivered to every test device
 * (each keeps what is for its StreamID).
 */
#include <stdio.h>
#include <string.h>
#include "run_int.h"
#include "vec_ats.h"

static int h_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    return smmuv3_mem_read(((R *)ctx)->mem, pa, buf, len);
}

static int h_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    return smmuv3_mem_write(((R *)ctx)->mem, pa, buf, len);
}

static void h_atc_inv(void *ctx, const smmuv3_atc_inv *inv)
{
    R *r = ctx;
    if (r->ninvs < SVR_MAX_MSGS)
        r->invs[r->ninvs] = *inv;
    r->ninvs++;
    svr_trace(r, "    ATC invalidation: sid %u%s ssid %u%s addr 0x%llx size 0x%llx\n", inv->sid,
              inv->ssv ? "" : " (no PASID)", inv->ssid, inv->global ? " global" : "",
              (unsigned long long)inv->addr, (unsigned long long)inv->size);
    for (size_t i = 0; i < r->ndevs; i++)
        smmuv3_testdev_atc_inv(r->devs[i].d, inv);
}

static const char *const resp_names[] = { "deny", "fail", "success" };

static void h_pri_resp(void *ctx, const smmuv3_pri_resp *p)
{
    R *r = ctx;
    if (r->nresps < SVR_MAX_MSGS)
        r->resps[r->nresps] = *p;
    r->nresps++;
    svr_trace(r, "    PRG response: sid %u%s ssid %u prgi %u %s\n", p->sid, p->ssv ? "" : " (no PASID)", p->ssid,
              p->prgi, p->resp >= 0 && p->resp < 3 ? resp_names[p->resp] : "?");
    for (size_t i = 0; i < r->ndevs; i++)
        smmuv3_testdev_pri_resp(r->devs[i].d, p);
}

void svr_host_init(R *r)
{
    memset(&r->host, 0, sizeof(r->host));
    r->host.ctx = r;
    r->host.read = h_read;
    r->host.write = h_write;
    r->host.atc_inv = h_atc_inv;
    r->host.pri_resp = h_pri_resp;
}

/* ------------------------------------------------------------ ats */
static const char *const status_names[] = { "success", "ur", "ca" };

static int do_ats(R *r, const sv_step *s)
{
    const sv_ats *a = s->ats;
    smmuv3_txn t = { .sid = (uint32_t)a->sid, .ssid = (uint32_t)a->ssid, .ssv = a->ssv, .addr = a->iova,
                     .flags = a->flags };
    smmuv3_ats_result res;
    int rc = smmuv3_ats_translate(r->smmu, &t, &res);
    if (rc)
        return svr_fail(r, s->mark.line, "smmuv3_ats_translate: %s", smmuv3_strerror(rc));
    char p[8];
    svr_perm_str(res.perm, p);
    const char *st = res.status >= 0 && res.status < 3 ? status_names[res.status] : "?";
    svr_trace(r, "    ATS completion: %s addr 0x%llx size 0x%llx perm %s%s%s\n", st, (unsigned long long)res.addr,
              (unsigned long long)res.size, p, res.priv ? " priv" : "", res.global ? " global" : "");
    if (a->status >= 0 && res.status != a->status)
        return svr_fail(r, s->mark.line, "expected completion %s, got %s", status_names[a->status], st);
    if (a->has_addr) {
        uint64_t want;
        if (svr_resolve(r, &a->addr, &want, NULL))
            return -1;
        if (res.addr != want)
            return svr_fail(r, s->mark.line, "expected translated address 0x%llx, got 0x%llx",
                            (unsigned long long)want, (unsigned long long)res.addr);
    }
    if (a->has_size && res.size != a->size)
        return svr_fail(r, s->mark.line, "expected size 0x%llx, got 0x%llx", (unsigned long long)a->size,
                        (unsigned long long)res.size);
    if (a->perm >= 0 && res.perm != (unsigned)a->perm) {
        char w[8];
        svr_perm_str((unsigned)a->perm, w);
        return svr_fail(r, s->mark.line, "expected permissions %s, got %s", w, p);
    }
    if (a->priv >= 0 && res.priv != (a->priv != 0))
        return svr_fail(r, s->mark.line, "expected priv %d, got %d", a->priv, res.priv);
    if (a->global >= 0 && res.global != (a->global != 0))
        return svr_fail(r, s->mark.line, "expected global %d, got %d", a->global, res.global);
    return 0;
}

static int do_page_req(R *r, const sv_step *s)
{
    const sv_ats *a = s->ats;
    smmuv3_pri_req q = { .sid = (uint32_t)a->sid, .ssid = (uint32_t)a->ssid, .ssv = a->ssv, .addr = a->addr_req,
                         .perm = (uint8_t)a->req_perm, .priv = a->req_priv, .prgi = (uint16_t)a->prgi,
                         .last = a->last };
    int rc = smmuv3_pri_request(r->smmu, &q);
    if (rc)
        return svr_fail(r, s->mark.line, "smmuv3_pri_request: %s", smmuv3_strerror(rc));
    return 0;
}

/* ------------------------------------------------------------ the PRI queue */
static void pri_decode(const uint8_t rec[16], char *out, size_t len)
{
    smmuv3_pri_req q;
    smmuv3_pri_record_decode(rec, &q);
    char p[8], ss[24] = "";
    svr_perm_str(q.perm, p);
    if (q.ssv)
        snprintf(ss, sizeof(ss), ", ssid %u", q.ssid);
    snprintf(out, len, "{sid %u%s, addr 0x%llx, perm %s%s, prgi %u%s}", q.sid, ss, (unsigned long long)q.addr, p,
             q.priv ? ", priv" : "", q.prgi, q.last ? ", last" : "");
}

static int do_priq(R *r, const sv_step *s)
{
    const sv_events *e = &s->ats->priq;
    if (!r->drv.priq_base)
        return svr_fail(r, s->mark.line, "the PRI queue is not set up (setup: smmu: { priq: true })");
    int n = smmuv3_driver_priq_count(&r->drv);
    bool ovf = smmuv3_driver_priq_overflow(&r->drv);
    uint8_t recs[8][16];
    char list[1024] = "";
    size_t k = 0;
    int got = 0;
    while (got < 8 && smmuv3_driver_priq_pop(&r->drv, recs[got]) == 1) {
        char d[200];
        pri_decode(recs[got], d, sizeof(d));
        int w = snprintf(list + k, sizeof(list) - k, "%s%s", got ? "; " : "", d);
        if (w > 0 && (size_t)w < sizeof(list) - k)
            k += (size_t)w;
        got++;
    }
    uint8_t drop[16];
    while (smmuv3_driver_priq_pop(&r->drv, drop) == 1)
        ;
    svr_trace(r, "    PRI queue: %d record(s)%s%s%s\n", n, ovf ? ", overflow" : "", n ? ": " : "", list);
    if (e->count >= 0 && n != e->count)
        return svr_fail(r, s->mark.line, "expected %lld PRI record(s), found %d%s%s", (long long)e->count, n,
                        n ? ": " : "", list);
    if (e->overflow >= 0 && ovf != (e->overflow != 0))
        return svr_fail(r, s->mark.line, "expected PRI queue overflow %s, got %s", e->overflow ? "true" : "false",
                        ovf ? "true" : "false");
    if (e->nrecords > (size_t)got)
        return svr_fail(r, s->mark.line, "expected %zu PRI record(s), found %d%s%s", e->nrecords, n, n ? ": " : "",
                        list);
    for (size_t i = 0; i < e->nrecords; i++) {
        const sv_fields *f = &e->records[i];
        for (size_t j = 0; j < f->n; j++) {
            uint64_t want;
            if (svr_resolve(r, &f->items[j].v, &want, NULL))
                return -1;
            uint64_t have = smmuv3_field_get(f->items[j].f, recs[i]);
            if (have != want) {
                char d[200];
                pri_decode(recs[i], d, sizeof(d));
                return svr_fail(r, s->mark.line, "PRI record %zu: %s: expected 0x%llx, got 0x%llx; record: %s", i + 1,
                                f->items[j].f->name, (unsigned long long)want, (unsigned long long)have, d);
            }
        }
    }
    return 0;
}

/* ------------------------------------------------------------ messages to devices */
/* The messages the host callbacks collected since the last check (`*have`;
 * emptied), against the `want` the step lists. */
static int take_msgs(R *r, const sv_step *s, size_t *have, size_t want, const char *what)
{
    size_t n = *have;
    *have = 0;
    if (n != want)
        return svr_fail(r, s->mark.line, "expected %zu %s(s), the SMMU sent %zu", want, what, n);
    return 0;
}

/* A message's stream: the StreamID, and the SubstreamID when SSV says there is one. */
static bool stream_differs(uint32_t sid, bool ssv, uint32_t ssid, uint64_t want_sid, bool want_ssv,
                           uint64_t want_ssid)
{
    return sid != want_sid || ssv != want_ssv || (want_ssv && ssid != want_ssid);
}

static const char *pasid_word(bool ssv) { return ssv ? " ssid " : " no PASID "; }

static int check_atc_inv(R *r, size_t i, const smmuv3_atc_inv *g, const sv_atc_inv *w)
{
    if (!stream_differs(g->sid, g->ssv, g->ssid, w->sid, w->ssv, w->ssid) && g->global == w->global &&
        g->addr == w->addr && g->size == w->size)
        return 0;
    return svr_fail(r, w->mark.line,
                    "ATC invalidation %zu: expected sid %llu%s%llu%s addr 0x%llx size 0x%llx, got sid %u%s%u%s "
                    "addr 0x%llx size 0x%llx",
                    i + 1, (unsigned long long)w->sid, pasid_word(w->ssv), (unsigned long long)w->ssid,
                    w->global ? " global" : "", (unsigned long long)w->addr, (unsigned long long)w->size, g->sid,
                    pasid_word(g->ssv), g->ssid, g->global ? " global" : "", (unsigned long long)g->addr,
                    (unsigned long long)g->size);
}

static int check_pri_resp(R *r, size_t i, const smmuv3_pri_resp *g, const sv_pri_resp *w)
{
    if (!stream_differs(g->sid, g->ssv, g->ssid, w->sid, w->ssv, w->ssid) && g->prgi == w->prgi &&
        g->resp == w->resp)
        return 0;
    return svr_fail(r, w->mark.line, "PRG response %zu: expected sid %llu%s%llu prgi %llu %s, got sid %u%s%u prgi %u %s",
                    i + 1, (unsigned long long)w->sid, pasid_word(w->ssv), (unsigned long long)w->ssid,
                    (unsigned long long)w->prgi, resp_names[w->resp], g->sid, pasid_word(g->ssv), g->ssid, g->prgi,
                    g->resp >= 0 && g->resp < 3 ? resp_names[g->resp] : "?");
}

/* expect_atc_inv / expect_pri_resp: the messages the SMMU sent, in order. */
static int do_msgs(R *r, const sv_step *s)
{
    const sv_ats *a = s->ats;
    bool inv = s->kind == SV_STEP_ATC_INV;
    size_t n = inv ? a->ninvs : a->nresps;
    int rc = inv ? take_msgs(r, s, &r->ninvs, n, "ATC invalidation") : take_msgs(r, s, &r->nresps, n, "PRG response");
    for (size_t i = 0; !rc && i < n && i < SVR_MAX_MSGS; i++)
        rc = inv ? check_atc_inv(r, i, &r->invs[i], &a->invs[i]) : check_pri_resp(r, i, &r->resps[i], &a->resps[i]);
    return rc;
}

int svr_do_ats_step(R *r, const sv_step *s)
{
    switch (s->kind) {
    case SV_STEP_ATS: return do_ats(r, s);
    case SV_STEP_PAGE_REQ: return do_page_req(r, s);
    case SV_STEP_PRIQ: return do_priq(r, s);
    default: return do_msgs(r, s);   /* SV_STEP_ATC_INV, SV_STEP_PRI_RESP */
    }
}

/* After the driver's bring-up: the PRI queue and CR0.ATSCHK (setup smmu:). */
int svr_setup_ats(R *r)
{
    const smmuv3_vector *v = r->v;
    if (v->priq_en) {
        int rc = smmuv3_driver_priq_init(&r->drv, v->priq_log2, SMMUV3_BUILD_ALLOC);
        if (rc)
            return svr_fail(r, 1, "PRI queue set-up failed: %s", smmuv3_strerror(rc));
        svr_trace(r, "  PRI queue 0x%llx (2^%u)\n", (unsigned long long)r->drv.priq_base, r->drv.priq_log2);
    }
    if (v->atschk) {
        uint32_t cr0 = (uint32_t)smmuv3_mmio_read(r->smmu, 0x20, 4) | 0x10u;
        if (smmuv3_driver_write_cr0(&r->drv, cr0))
            return svr_fail(r, 1, "CR0.ATSCHK did not stick (no ATS in the profile?)");
    }
    return 0;
}
