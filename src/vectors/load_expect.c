/* SPDX-License-Identifier: MIT */
/* Steps that check something: translate, dma, memory_read expectations and
 * expect_events / expect_priq. */
#include <string.h>
#include "load_yaml.h"

static bool record_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    const char *st = ctx;
    return svl_fields(l, n, smmuv3_struct_find(st), st, NULL, true, item);
}

bool svl_parse_queue_expect(L *l, N *n, const char *step, const char *st, sv_events *e)
{
    static const char *const keys[] = { "count", "records", "overflow", NULL };
    if (!svl_check_map(l, n, step, keys, NULL, NULL))
        return false;
    e->count = -1;
    e->overflow = -1;
    N *c = svl_get(l, n, "count"), *r = svl_get(l, n, "records"), *o = svl_get(l, n, "overflow");
    uint64_t u;
    if (c) {
        if (!svl_u64max(l, c, "a record count", 1u << 20, &u))
            return false;
        e->count = (int64_t)u;
    }
    if (o) {
        bool b;
        if (!svl_bool(l, o, "overflow", &b))
            return false;
        e->overflow = b;
    }
    if (r) {
        e->records = svl_list(l, r, "records", sizeof(*e->records), &e->nrecords, record_item, (void *)st);
        if (!e->records)
            return false;
        if (c && e->count >= 0 && (size_t)e->count < e->nrecords)
            return svl_fail(l, r, "%zu records listed but count is %lld", e->nrecords, (long long)e->count);
    }
    if (!c && !r && !o)
        return svl_fail(l, n, "%s needs count, records or overflow", step);
    return true;
}

static bool outcome_name(L *l, N *n, int *out)
{
    const char *s = svl_scalar(l, n, "an outcome (ok, abort, razwi, stall)");
    if (!s)
        return false;
    static const char *const names[] = { "ok", "abort", "razwi", "stall", NULL };
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], s) == 0) {
            *out = i;
            return true;
        }
    return svl_fail(l, n, "expected an outcome of ok, abort, razwi or stall, got '%s'", s);
}

static bool event_name(L *l, N *n, int *out)
{
    const char *s = svl_scalar(l, n, "an event name such as F_TRANSLATION");
    if (!s)
        return false;
    int id = smmuv3_event_id(s);
    if (id < 0) {
        return svl_unknown(l, svl_mk(n), "event", s, NULL, svl_suggest_from(smmuv3_event_name, s));
    }
    *out = id;
    return true;
}

bool svl_parse_translate(L *l, N *n, N *ex, sv_xlate *x)
{
    static const char *const keys[] = { "sid", "ssid", "iova", "access", "priv", "secure", "ns", "translated", NULL };
    if (!svl_check_map(l, n, "translate", keys, NULL, NULL))
        return false;
    N *sid = svl_need(l, n, "sid", "translate"), *iova = sid ? svl_need(l, n, "iova", "translate") : NULL;
    if (!sid || !iova || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &x->sid) ||
        !svl_u64(l, iova, "an IOVA", &x->iova))
        return false;
    N *ss = svl_get(l, n, "ssid");
    if (ss) {
        x->ssv = true;
        if (!svl_u64max(l, ss, "a SubstreamID", (1u << 20) - 1, &x->ssid))
            return false;
    }
    N *ac = svl_get(l, n, "access");
    if (ac && !svl_access(l, ac, &x->flags))
        return false;
    N *pv = svl_get(l, n, "priv");
    bool priv = false;
    if (pv && !svl_bool(l, pv, "priv", &priv))
        return false;
    if (priv)
        x->flags |= SMMUV3_TXN_PRIV;
    N *tr = svl_get(l, n, "translated");   /* an ATS Translated transaction (3.9.1.3) */
    bool translated = false;
    if (tr && !svl_bool(l, tr, "translated", &translated))
        return false;
    if (translated)
        x->flags |= SMMUV3_TXN_TRANSLATED;
    /* secure: SEC_SID = 1 (a Secure stream); ns: its input NS attribute */
    static const struct { const char *key; uint32_t flag; } sec[] = {
        { "secure", SMMUV3_TXN_SECURE }, { "ns", SMMUV3_TXN_NS } };
    for (size_t i = 0; i < 2; i++) {
        N *b = svl_get(l, n, sec[i].key);
        bool v = false;
        if (b && !svl_bool(l, b, sec[i].key, &v))
            return false;
        if (v)
            x->flags |= sec[i].flag;
    }
    x->outcome = -1;
    x->memattr = x->sh = x->bypass = x->fault = x->ns = -1;
    if (!ex)
        return true;
    static const char *const ek[] = { "pa", "size", "perm", "memattr", "sh", "bypass", "outcome", "fault",
                                      "event", "ns", NULL };
    if (!svl_check_map(l, ex, "a translate expectation", ek, NULL, NULL))
        return false;
    x->expect_mark = svl_mk(ex);
    N *e;
    if (!svl_opt_expr(l, ex, "pa", "a physical address", &x->has_pa, &x->pa))
        return false;
    if (!svl_opt_bool(l, ex, "ns", "ns (the output PA space is Non-secure)", &x->ns))
        return false;
    if (!svl_opt_u64(l, ex, "size", "a size", &x->has_size, &x->size))
        return false;
    if ((e = svl_get(l, ex, "perm"))) {
        x->has_perm = true;
        if (!svl_perm(l, e, &x->perm))
            return false;
    }
    if (!svl_opt_int(l, ex, "memattr", 255, &x->memattr) || !svl_opt_int(l, ex, "sh", 3, &x->sh))
        return false;
    if (!svl_opt_bool(l, ex, "bypass", "bypass", &x->bypass))
        return false;
    if ((e = svl_get(l, ex, "outcome")) && !outcome_name(l, e, &x->outcome))
        return false;
    if ((e = svl_get(l, ex, "fault")) && !event_name(l, e, &x->fault))
        return false;
    if ((e = svl_get(l, ex, "event"))) {
        if (e->type == YAML_SCALAR_NODE && strcmp((const char *)e->data.scalar.value, "none") == 0) {
            x->event_mode = SV_EV_NONE;
        } else {
            x->event_mode = SV_EV_RECORD;
            if (!svl_fields(l, e, smmuv3_struct_find("event"), "event", NULL, true, &x->event))
                return false;
        }
    }
    if (x->has_pa && x->fault >= 0)
        return svl_fail(l, ex, "a translation cannot both give a pa and fault");
    if (x->has_pa && x->outcome > 0)
        return svl_fail(l, ex, "a pa goes with outcome ok");
    if (x->outcome < 0)
        x->outcome = x->fault >= 0 ? SMMUV3_XLATE_ABORT : SMMUV3_XLATE_OK;
    return true;
}

static const struct { const char *name; uint32_t v; } dma_results[] = {
    { "ok", 0 }, { "idle", 0xFFFFFFFFu }, { "busy", 0xFFFFFFFEu }, { "bad_len", 0xDEAD0001u },
    { "tx_fail", 0xDEAD0002u }, { "rd_fail", 0xDEAD0003u }, { "mismatch", 0xDEAD0004u },
    { "not_armed", 0xDEAD0005u }, { "bad_attrs", 0xDEAD0006u },
};

static bool dma_result(L *l, N *n, int64_t *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        const char *s = (const char *)n->data.scalar.value;
        for (size_t i = 0; i < sizeof(dma_results) / sizeof(dma_results[0]); i++)
            if (strcmp(s, dma_results[i].name) == 0) {
                *out = dma_results[i].v;
                return true;
            }
    }
    uint64_t u;
    if (!svl_u64max(l, n, "a RESULT (ok, tx_fail, ..., or a 32-bit value)", UINT32_MAX, &u))
        return false;
    *out = (int64_t)u;
    return true;
}

bool svl_parse_dma(L *l, N *n, N *ex, sv_dma *d)
{
    static const char *const keys[] = { "sid", "ssid", "iova", "len", "attrs", "gpa", "arm", "priv", "exec", NULL };
    if (!svl_check_map(l, n, "dma", keys, NULL, NULL))
        return false;
    N *sid = svl_need(l, n, "sid", "dma"), *iova = sid ? svl_need(l, n, "iova", "dma") : NULL;
    if (!sid || !iova || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &d->sid) ||
        !svl_expr(l, iova, "an IOVA", true, &d->iova))
        return false;
    N *x;
    d->len = 4;
    d->attrs = 0xA;
    d->arm = true;
    if ((x = svl_get(l, n, "len")) && !svl_u64max(l, x, "a length", UINT32_MAX, &d->len))
        return false;
    if ((x = svl_get(l, n, "attrs")) && !svl_u64max(l, x, "ATTRS", UINT32_MAX, &d->attrs))
        return false;
    if ((x = svl_get(l, n, "gpa"))) {
        d->has_gpa = true;
        if (!svl_expr(l, x, "a GPA", true, &d->gpa))
            return false;
    }
    if ((x = svl_get(l, n, "arm")) && !svl_bool(l, x, "arm", &d->arm))
        return false;
    bool b;
    if ((x = svl_get(l, n, "priv"))) {
        if (!svl_bool(l, x, "priv", &b))
            return false;
        d->txn_attrs |= b ? 1u : 0u;
    }
    if ((x = svl_get(l, n, "exec"))) {
        if (!svl_bool(l, x, "exec", &b))
            return false;
        d->txn_attrs |= b ? 2u : 0u;
    }
    if ((x = svl_get(l, n, "ssid"))) {
        d->ssv = true;
        if (!svl_u64max(l, x, "a SubstreamID", (1u << 20) - 1, &d->ssid))
            return false;
    }
    d->result = -1;
    if (ex) {
        if (ex->type == YAML_MAPPING_NODE) {
            static const char *const ek[] = { "result", NULL };
            if (!svl_check_map(l, ex, "a dma expectation", ek, NULL, NULL))
                return false;
            N *r = svl_need(l, ex, "result", "a dma expectation");
            if (!r || !dma_result(l, r, &d->result))
                return false;
        } else if (!dma_result(l, ex, &d->result)) {
            return false;
        }
    }
    return true;
}

bool svl_parse_mem_expect(L *l, N *ex, sv_mem *m)
{
    switch (m->kind) {
    case SV_MEM_STRUCT:
        return svl_fields(l, ex, m->fields.st, m->fields.st->name, NULL, true, &m->fields);
    case SV_MEM_BYTES:
        if (!svl_seq(l, ex, "the expected bytes"))
            return false;
        if (SVL_SEQ_LEN(ex) != m->len)
            return svl_fail(l, ex, "expected %llu bytes (len), got a list of %zu", (unsigned long long)m->len,
                            SVL_SEQ_LEN(ex));
        m->bytes = svl_list(l, ex, "the expected bytes", 1, &m->nbytes, svl_byte_item, NULL);
        return m->bytes != NULL;
    default:
        return svl_mem_value(l, ex, "the expected value", m);
    }
}
