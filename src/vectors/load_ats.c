/* SPDX-License-Identifier: MIT */
/* Steps for ATS and PRI (vec_ats.h): ats, page_request, expect_priq,
 * expect_atc_inv, expect_pri_resp. */
#include <string.h>
#include "load_yaml.h"
#include "vec_ats.h"

const char *const svl_ats_actions[] = { "ats", "page_request", "expect_priq", "expect_atc_inv",
                                        "expect_pri_resp", NULL };

static bool opt_ssid(L *l, N *map, uint64_t *ssid, bool *ssv)
{
    N *ss = svl_get(l, map, "ssid");
    if (!ss)
        return true;
    *ssv = true;
    return svl_u64max(l, ss, "a SubstreamID", (1u << 20) - 1, ssid);
}

/* What an ats and a page_request step both name: the StreamID and the
 * address (`addr_key`, required) and the SubstreamID (optional). */
static bool parse_request(L *l, N *n, const char *step, const char *addr_key, const char *addr_what, sv_ats *a,
                          uint64_t *addr)
{
    N *sid = svl_need(l, n, "sid", step), *ad = sid ? svl_need(l, n, addr_key, step) : NULL;
    return sid && ad && svl_u64max(l, sid, "a StreamID", UINT32_MAX, &a->sid) && svl_u64(l, ad, addr_what, addr) &&
           opt_ssid(l, n, &a->ssid, &a->ssv);
}

static bool parse_ats(L *l, N *n, N *ex, sv_ats *a)
{
    static const char *const keys[] = { "sid", "ssid", "iova", "access", "priv", NULL };
    if (!svl_check_map(l, n, "ats", keys, NULL, NULL))
        return false;
    if (!parse_request(l, n, "ats", "iova", "an address", a, &a->iova))
        return false;
    N *ac = svl_get(l, n, "access");
    if (ac && ac->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < SVL_SEQ_LEN(ac); i++)
            if (!svl_access(l, SVL_SEQ_AT(l, ac, i), &a->flags))
                return false;
    } else if (ac && !svl_access(l, ac, &a->flags)) {
        return false;
    }
    int pv;
    if (!svl_opt_bool(l, n, "priv", "priv", &pv))
        return false;
    if (pv == 1)
        a->flags |= SMMUV3_TXN_PRIV;
    a->status = a->perm = a->priv = a->global = -1;
    if (!ex)
        return true;
    static const char *const ek[] = { "status", "addr", "size", "perm", "priv", "global", NULL };
    if (!svl_check_map(l, ex, "an ats expectation", ek, NULL, NULL))
        return false;
    N *e;
    if ((e = svl_get(l, ex, "status"))) {
        const char *s = svl_scalar(l, e, "a completion status (success, ur, ca)");
        if (!s)
            return false;
        static const char *const st[] = { "success", "ur", "ca", NULL };
        for (int i = 0; st[i]; i++)
            if (svl_ieq(st[i], s))
                a->status = i;
        if (a->status < 0)
            return svl_fail(l, e, "expected a completion status of success, ur or ca, got '%s'", s);
    }
    if (!svl_opt_expr(l, ex, "addr", "an address", &a->has_addr, &a->addr) ||
        !svl_opt_u64(l, ex, "size", "a size", &a->has_size, &a->size))
        return false;
    if ((e = svl_get(l, ex, "perm"))) {
        unsigned p = 0;
        const char *s = e->type == YAML_SCALAR_NODE ? (const char *)e->data.scalar.value : "";
        if (strcmp(s, "none") != 0 && !svl_perm(l, e, &p))
            return false;
        a->perm = (int)p;
    }
    if (!svl_opt_bool(l, ex, "priv", "priv", &a->priv) || !svl_opt_bool(l, ex, "global", "global", &a->global))
        return false;
    if (a->status < 0 && (a->has_addr || a->has_size || a->perm >= 0))
        a->status = SMMUV3_ATS_SUCCESS;
    return true;
}

static bool parse_page_request(L *l, N *n, N *ex, sv_ats *a)
{
    (void)ex;
    static const char *const keys[] = { "sid", "ssid", "addr", "perm", "priv", "prgi", "last", NULL };
    if (!svl_check_map(l, n, "page_request", keys, NULL, NULL))
        return false;
    if (!parse_request(l, n, "page_request", "addr", "a page address", a, &a->addr_req))
        return false;
    N *e;
    if ((e = svl_get(l, n, "perm"))) {
        const char *s = e->type == YAML_SCALAR_NODE ? (const char *)e->data.scalar.value : "";
        if (strcmp(s, "none") != 0 && !svl_perm(l, e, &a->req_perm))
            return false;
    } else {
        a->req_perm = SV_R | SV_W;
    }
    if ((e = svl_get(l, n, "prgi")) && !svl_u64max(l, e, "a PRG index (9 bits)", 0x1FF, &a->prgi))
        return false;
    a->last = true;
    if ((e = svl_get(l, n, "last")) && !svl_bool(l, e, "last", &a->last))
        return false;
    return !(e = svl_get(l, n, "priv")) || svl_bool(l, e, "priv", &a->req_priv);
}

static bool inv_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    sv_atc_inv *v = item;
    static const char *const keys[] = { "sid", "ssid", "global", "addr", "size", NULL };
    if (!svl_check_map(l, n, "an ATC invalidation", keys, NULL, NULL))
        return false;
    v->mark = svl_mk(n);
    N *sid = svl_need(l, n, "sid", "an ATC invalidation");
    if (!sid || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &v->sid) || !opt_ssid(l, n, &v->ssid, &v->ssv))
        return false;
    N *e;
    if ((e = svl_get(l, n, "global")) && !svl_bool(l, e, "global", &v->global))
        return false;
    if ((e = svl_get(l, n, "addr")) && !svl_u64(l, e, "an address", &v->addr))
        return false;
    v->size = 0x1000;
    if ((e = svl_get(l, n, "size"))) {
        const char *s = e->type == YAML_SCALAR_NODE ? (const char *)e->data.scalar.value : "";
        if (strcmp(s, "all") == 0)
            v->size = 0;
        else if (!svl_u64(l, e, "a size (bytes, or all)", &v->size))
            return false;
    }
    return true;
}

static bool resp_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    sv_pri_resp *v = item;
    static const char *const keys[] = { "sid", "ssid", "prgi", "resp", NULL };
    if (!svl_check_map(l, n, "a PRG response", keys, NULL, NULL))
        return false;
    v->mark = svl_mk(n);
    N *sid = svl_need(l, n, "sid", "a PRG response"), *rs = sid ? svl_need(l, n, "resp", "a PRG response") : NULL;
    if (!sid || !rs || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &v->sid) || !opt_ssid(l, n, &v->ssid, &v->ssv))
        return false;
    N *e;
    if ((e = svl_get(l, n, "prgi")) && !svl_u64max(l, e, "a PRG index (9 bits)", 0x1FF, &v->prgi))
        return false;
    const char *s = svl_scalar(l, rs, "a response (success, fail, deny)");
    if (!s)
        return false;
    static const char *const names[] = { "deny", "fail", "success", NULL };
    v->resp = -1;
    for (int k = 0; names[k]; k++)
        if (svl_ieq(names[k], s))
            v->resp = k;
    if (v->resp < 0)
        return svl_fail(l, rs, "expected a response of success, fail or deny, got '%s'", s);
    return true;
}

static bool parse_priq(L *l, N *act, N *ex, sv_ats *x)
{
    (void)ex;
    return svl_parse_queue_expect(l, act, "expect_priq", "pri", &x->priq);
}
static bool parse_atc_invs(L *l, N *act, N *ex, sv_ats *x)
{
    (void)ex;
    x->invs = svl_list(l, act, "expect_atc_inv (a list of invalidations, [] for none)", sizeof(*x->invs), &x->ninvs,
                       inv_item, NULL);
    return x->invs != NULL;
}
static bool parse_pri_resps(L *l, N *act, N *ex, sv_ats *x)
{
    (void)ex;
    x->resps = svl_list(l, act, "expect_pri_resp (a list of responses, [] for none)", sizeof(*x->resps), &x->nresps,
                        resp_item, NULL);
    return x->resps != NULL;
}

/* The steps of svl_ats_actions[], in its order; only 'ats' takes an 'expect'. */
static const struct {
    unsigned kind;
    bool (*parse)(L *l, N *act, N *ex, sv_ats *x);
} ats_steps[] = {
    { SV_STEP_ATS, parse_ats }, { SV_STEP_PAGE_REQ, parse_page_request }, { SV_STEP_PRIQ, parse_priq },
    { SV_STEP_ATC_INV, parse_atc_invs }, { SV_STEP_PRI_RESP, parse_pri_resps },
};

bool svl_parse_ats_step(L *l, const char *a, N *act, N *ex, sv_step *s)
{
    sv_ats *x = sv_alloc(l->v, sizeof(*x));
    if (!x)
        return svl_fail(l, act, "out of memory");
    memset(x, 0, sizeof(*x));
    s->ats = x;
    size_t i = 0;
    while (i + 1 < sizeof(ats_steps) / sizeof(ats_steps[0]) && strcmp(a, svl_ats_actions[i]) != 0)
        i++;
    if (i && ex)
        return svl_fail(l, ex, "'%s' takes no 'expect'", a);
    s->kind = ats_steps[i].kind;
    return ats_steps[i].parse(l, act, ex, x);
}
