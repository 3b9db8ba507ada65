/* SPDX-License-Identifier: MIT */
/* The steps that move data: commands through the command queue, translations,
 * DMA through the test device, memory and register reads, the event queue. */
#include <string.h>
#include "run_int.h"

typedef struct qstate { uint64_t base; unsigned log2; uint32_t prod, cons; bool sec; } qstate;

/* A queue of the Non-secure bank, or of the Secure one (sec). */
static void q_read(R *r, bool cmdq, bool sec, qstate *q)
{
    uint64_t b = svr_qrd(r, sec, cmdq ? REG_CMDQ_BASE : REG_EVENTQ_BASE, 8);
    q->sec = sec;
    q->base = b & Q_ADDR_MASK;
    q->log2 = (unsigned)(b & 0x1f);
    if (q->log2 > 19)
        q->log2 = 19;
    q->prod = (uint32_t)svr_qrd(r, sec, cmdq ? REG_CMDQ_PROD : REG_EVENTQ_PROD, 4);
    q->cons = (uint32_t)svr_qrd(r, sec, cmdq ? REG_CMDQ_CONS : REG_EVENTQ_CONS, 4);
}

static uint32_t q_wrapmask(const qstate *q) { return (2u << q->log2) - 1; }
static uint32_t q_used(const qstate *q) { return ((q->prod & q_wrapmask(q)) - (q->cons & q_wrapmask(q))) & q_wrapmask(q); }

int svr_do_commands(R *r, const sv_step *s)
{
    qstate q;
    q_read(r, true, s->secure, &q);
    uint32_t prod = q.prod & q_wrapmask(&q);
    for (size_t i = 0; i < s->ncmds; i++) {
        const sv_cmd *c = &s->cmds[i];
        uint8_t img[16];
        memset(img, 0, sizeof(img));
        if (c->raw) {
            for (unsigned k = 0; k < 8; k++) {
                img[k] = (uint8_t)(c->rawv[0] >> (8 * k));
                img[8 + k] = (uint8_t)(c->rawv[1] >> (8 * k));
            }
        } else {
            img[0] = (uint8_t)c->opcode;
            if (svr_set_fields(r, &c->fields, img))
                return -1;
        }
        qstate t = q;
        t.prod = prod;
        if (q_used(&t) >= (1u << q.log2))
            return svr_fail(r, c->mark.line, "the command queue is full (2^%u entries; CONS 0x%x)", q.log2, q.cons);
        uint64_t a = q.base + 16ull * (prod & ((1u << q.log2) - 1));
        int rc = smmuv3_mem_write(svr_qmem(r, q.sec), a, img, 16);
        if (rc == SMMUV3_EABORT)
            svr_trace(r, "    (the write of the command at 0x%llx aborted: the slot is in an abort range)\n",
                      (unsigned long long)a);
        else if (rc)
            return svr_fail(r, c->mark.line, "cannot write the command at 0x%llx: %s", (unsigned long long)a,
                            smmuv3_strerror(rc));
        const char *nm = smmuv3_command_name(img[0]);
        svr_trace(r, "    %s at 0x%llx\n", nm ? nm : "(raw command)", (unsigned long long)a);
        prod = (prod + 1) & q_wrapmask(&q);
    }
    svr_qwr(r, q.sec, REG_CMDQ_PROD, prod, 4);
    uint32_t cons = (uint32_t)svr_qrd(r, q.sec, REG_CMDQ_CONS, 4);
    svr_trace(r, "    %sCMDQ_PROD 0x%x, %sCMDQ_CONS 0x%x (ERR %u)\n", q.sec ? "S_" : "", prod, q.sec ? "S_" : "", cons,
              (cons >> 24) & 0x7f);
    return 0;
}

static int event_read(R *r, const qstate *q, uint32_t idx, uint8_t rec[32])
{
    uint64_t a = q->base + 32ull * (idx & ((1u << q->log2) - 1));
    return smmuv3_mem_read(svr_qmem(r, q->sec), a, rec, 32);
}

static void events_consume(R *r, const qstate *q)
{
    uint32_t cons = (q->prod & q_wrapmask(q)) | (q->prod & 0x80000000u);
    svr_qwr(r, q->sec, REG_EVENTQ_CONS, cons, 4);
}

/* Compare a record with expected fields; 0 or a description of the mismatch in why. */
static int record_match(R *r, const sv_fields *exp, const uint8_t *rec, char *why, size_t wl)
{
    for (size_t i = 0; i < exp->n; i++) {
        uint64_t want;
        if (svr_resolve(r, &exp->items[i].v, &want, NULL))
            return -1;
        uint64_t got = smmuv3_field_get(exp->items[i].f, rec);
        if (got != want) {
            if (strcmp(exp->items[i].f->name, "eventid") == 0) {
                const char *wn = smmuv3_event_name((unsigned)want), *gn = smmuv3_event_name((unsigned)got);
                snprintf(why, wl, "eventid: expected %s, got %s", wn ? wn : "?", gn ? gn : "?");
            } else {
                snprintf(why, wl, "%s: expected 0x%llx, got 0x%llx", exp->items[i].f->name,
                         (unsigned long long)want, (unsigned long long)got);
            }
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ steps */
static const char *outcome_names[] = { "ok", "abort", "razwi", "stall" };

int svr_do_translate(R *r, const sv_step *s)
{
    const sv_xlate *x = &s->x;
    /* A Secure stream's events go to the Secure Event queue (3.10.2.1). */
    bool sec = (x->flags & SMMUV3_TXN_SECURE) != 0;
    qstate q0;
    q_read(r, false, sec, &q0);
    smmuv3_txn t = { .sid = (uint32_t)x->sid, .ssid = (uint32_t)x->ssid, .ssv = x->ssv, .addr = x->iova,
                     .flags = x->flags };
    smmuv3_result res;
    int rc = smmuv3_translate(r->smmu, &t, &res);
    qstate q1;
    q_read(r, false, sec, &q1);
    uint32_t newrec = q_used(&q1);
    char got[768];
    char perm[8];
    svr_perm_str(res.perm, perm);
    const char *fn = res.fault ? smmuv3_event_name(res.fault) : NULL;
    if (rc < 0)
        return svr_fail(r, s->mark.line, "smmuv3_translate returned %d (%s)", rc, smmuv3_strerror(rc));
    snprintf(got, sizeof(got), "outcome %s, pa 0x%llx, size 0x%llx, perm %s, memattr 0x%02x, sh %u%s%s%s",
             rc < 4 ? outcome_names[rc] : "?", (unsigned long long)res.pa, (unsigned long long)res.size, perm,
             res.attrs.memattr, res.attrs.sh, res.bypass ? ", bypass" : "", fn ? ", fault " : "", fn ? fn : "");
    if (newrec) {
        uint8_t rec[32];
        char dec[512];
        if (!event_read(r, &q1, q1.cons, rec)) {
            svr_decode_event(rec, dec, sizeof(dec));
            size_t k = strlen(got);
            snprintf(got + k, sizeof(got) - k, "; event queue: %s%s", dec, newrec > 1 ? " (and more)" : "");
        }
    }
    svr_trace(r, "    translate sid %llu%s iova 0x%llx: %s\n", (unsigned long long)x->sid, x->ssv ? " (ssid)" : "",
              (unsigned long long)x->iova, got);
    if (x->outcome >= 0 && rc != x->outcome)
        return svr_fail(r, s->mark.line, "expected outcome %s%s%s, got %s", outcome_names[x->outcome],
                        x->fault >= 0 ? " with fault " : "", x->fault >= 0 ? smmuv3_event_name((unsigned)x->fault) : "",
                        got);
    if (x->fault >= 0 && res.fault != x->fault)
        return svr_fail(r, s->mark.line, "expected fault %s, got %s", smmuv3_event_name((unsigned)x->fault), got);
    if (x->has_pa) {
        uint64_t pa;
        if (svr_resolve(r, &x->pa, &pa, NULL))
            return -1;
        if (res.pa != pa)
            return svr_fail(r, s->mark.line, "expected pa 0x%llx, got %s", (unsigned long long)pa, got);
    }
    if (x->has_size && res.size != x->size)
        return svr_fail(r, s->mark.line, "expected size 0x%llx, got %s", (unsigned long long)x->size, got);
    if (x->has_perm && res.perm != x->perm) {
        char want[8];
        svr_perm_str(x->perm, want);
        return svr_fail(r, s->mark.line, "expected perm %s, got %s", want, got);
    }
    if (x->memattr >= 0 && res.attrs.memattr != x->memattr)
        return svr_fail(r, s->mark.line, "expected memattr 0x%02x, got %s", x->memattr, got);
    if (x->sh >= 0 && res.attrs.sh != x->sh)
        return svr_fail(r, s->mark.line, "expected sh %d, got %s", x->sh, got);
    if (x->ns >= 0 && res.attrs.ns != (x->ns != 0))
        return svr_fail(r, s->mark.line, "expected ns %s, got %s (ns %s)", x->ns ? "true" : "false", got,
                        res.attrs.ns ? "true" : "false");
    if (x->bypass >= 0 && res.bypass != (x->bypass != 0))
        return svr_fail(r, s->mark.line, "expected bypass %s, got %s", x->bypass ? "true" : "false", got);
    if (x->event_mode == SV_EV_NONE && q1.prod != q0.prod)
        return svr_fail(r, s->mark.line, "expected no event record, got %s", got);
    if (x->event_mode == SV_EV_RECORD) {
        if (newrec != 1)
            return svr_fail(r, s->mark.line, "expected exactly one pending event record, found %u (%s)", newrec, got);
        uint8_t rec[32];
        if (event_read(r, &q1, q1.cons, rec))
            return svr_fail(r, s->mark.line, "cannot read the event queue");
        char why[256];
        int m = record_match(r, &x->event, rec, why, sizeof(why));
        if (m < 0)
            return -1;
        if (m) {
            char dec[512];
            svr_decode_event(rec, dec, sizeof(dec));
            return svr_fail(r, x->expect_mark.line, "event record: %s; record: %s", why, dec);
        }
        events_consume(r, &q1);
    }
    return 0;
}

smmuv3_testdev *svr_dev_for(R *r, uint64_t sid)
{
    for (size_t i = 0; i < r->ndevs; i++)
        if (r->devs[i].sid == sid)
            return r->devs[i].d;
    if (r->ndevs == sizeof(r->devs) / sizeof(r->devs[0]))
        return NULL;
    smmuv3_testdev *d = smmuv3_testdev_new(r->smmu, &r->host, (uint32_t)sid);
    if (!d)
        return NULL;
    r->devs[r->ndevs].sid = (uint32_t)sid;
    r->devs[r->ndevs++].d = d;
    return d;
}

int svr_do_dma(R *r, const sv_step *s)
{
    const sv_dma *d = &s->dma;
    smmuv3_testdev *dev = svr_dev_for(r, d->sid);
    if (!dev)
        return svr_fail(r, s->mark.line, "cannot create the test device for sid %llu", (unsigned long long)d->sid);
    uint64_t iova, gpa;
    if (svr_resolve(r, &d->iova, &iova, NULL))
        return -1;
    gpa = iova;
    if (d->has_gpa && svr_resolve(r, &d->gpa, &gpa, NULL))
        return -1;
    smmuv3_testdev_write(dev, 0x04, (uint32_t)iova);
    smmuv3_testdev_write(dev, 0x08, (uint32_t)(iova >> 32));
    smmuv3_testdev_write(dev, 0x0C, (uint32_t)d->len);
    smmuv3_testdev_write(dev, 0x18, (uint32_t)d->attrs);
    smmuv3_testdev_write(dev, 0x1C, (uint32_t)gpa);
    smmuv3_testdev_write(dev, 0x20, (uint32_t)(gpa >> 32));
    smmuv3_testdev_write(dev, 0x40, d->ssv ? (uint32_t)d->ssid | 0x80000000u : 0);
    smmuv3_testdev_write(dev, 0x44, d->txn_attrs);
    if (d->arm)
        smmuv3_testdev_write(dev, 0x14, 1);
    (void)smmuv3_testdev_read(dev, 0x00);
    uint32_t result = smmuv3_testdev_read(dev, 0x10);
    qstate q;
    q_read(r, false, (d->attrs & SMMUV3_TESTDEV_ATTRS_SECURE) != 0, &q);
    char ev[600] = "";
    if (q_used(&q)) {
        uint8_t rec[32];
        char dec[512];
        if (!event_read(r, &q, q.cons, rec)) {
            svr_decode_event(rec, dec, sizeof(dec));
            snprintf(ev, sizeof(ev), "; event queue: %s", dec);
        }
    }
    svr_trace(r, "    dma sid %llu iova 0x%llx len %llu gpa 0x%llx: RESULT 0x%08x%s\n", (unsigned long long)d->sid,
              (unsigned long long)iova, (unsigned long long)d->len, (unsigned long long)gpa, result, ev);
    if (d->result >= 0 && result != (uint32_t)d->result)
        return svr_fail(r, s->mark.line, "expected RESULT 0x%08x, got 0x%08x%s", (uint32_t)d->result, result, ev);
    return 0;
}

int svr_do_mem_read(R *r, const sv_step *s)
{
    const sv_mem *m = &s->mem;
    uint64_t a;
    const smmuv3_space *sp;
    if (svr_mem_addr(r, m, &a, &sp))
        return -1;
    uint8_t buf[4096];
    size_t len = m->kind == SV_MEM_STRUCT ? m->fields.st->size : m->kind == SV_MEM_BYTES ? m->len : m->size;
    int rc = smmuv3_space_read(sp, a, buf, len);
    if (rc)
        return svr_fail(r, s->mark.line, "cannot read memory at 0x%llx: %s", (unsigned long long)a,
                        smmuv3_strerror(rc));
    if (m->kind == SV_MEM_STRUCT) {
        char why[256];
        int k = record_match(r, &m->fields, buf, why, sizeof(why));
        if (k < 0)
            return -1;
        if (k)
            return svr_fail(r, s->mark.line, "%s at 0x%llx: %s", m->fields.st->name, (unsigned long long)a, why);
        return 0;
    }
    if (m->kind == SV_MEM_BYTES) {
        for (size_t i = 0; i < len; i++)
            if (buf[i] != m->bytes[i])
                return svr_fail(r, s->mark.line, "byte at 0x%llx: expected 0x%02x, got 0x%02x",
                                (unsigned long long)(a + i), m->bytes[i], buf[i]);
        return 0;
    }
    uint64_t want, got = 0;
    if (svr_resolve(r, &m->value, &want, NULL))
        return -1;
    for (unsigned i = 0; i < m->size; i++)
        got |= (uint64_t)buf[i] << (8 * i);
    if (got != want)
        return svr_fail(r, s->mark.line, "memory at 0x%llx (%u bytes): expected 0x%llx, got 0x%llx",
                        (unsigned long long)a, m->size, (unsigned long long)want, (unsigned long long)got);
    return 0;
}

int svr_do_mmio_read(R *r, const sv_step *s)
{
    const sv_mmio *m = &s->mmio;
    uint64_t got = smmuv3_mmio_read_sec(r->smmu, m->offset, m->size, svr_mmio_sec(m));
    const char *nm = m->reg ? m->reg->name : "register";
    svr_trace(r, "    mmio read %s (0x%llx) = 0x%llx\n", nm, (unsigned long long)m->offset, (unsigned long long)got);
    if (m->has_value) {
        uint64_t want;
        if (svr_resolve(r, &m->value, &want, NULL))
            return -1;
        if (got != want)
            return svr_fail(r, s->mark.line, "%s: expected 0x%llx, got 0x%llx", nm, (unsigned long long)want,
                            (unsigned long long)got);
        return 0;
    }
    uint8_t img[8];
    for (unsigned i = 0; i < 8; i++)
        img[i] = (uint8_t)(got >> (8 * i));
    char why[256];
    int k = record_match(r, &m->fields, img, why, sizeof(why));
    if (k < 0)
        return -1;
    if (k)
        return svr_fail(r, s->mark.line, "%s = 0x%llx: %s", nm, (unsigned long long)got, why);
    return 0;
}

int svr_do_events(R *r, const sv_step *s)
{
    const sv_events *e = &s->ev;
    qstate q;
    q_read(r, false, s->secure, &q);
    uint32_t n = q_used(&q);
    bool ovf = ((q.prod ^ q.cons) & 0x80000000u) != 0;
    char list[1536] = "";
    size_t k = 0;
    for (uint32_t i = 0; i < n && i < 4; i++) {
        uint8_t rec[32];
        char dec[512];
        if (event_read(r, &q, q.cons + i, rec))
            break;
        svr_decode_event(rec, dec, sizeof(dec));
        int w = snprintf(list + k, sizeof(list) - k, "%s%s", i ? "; " : "", dec);
        if (w < 0 || (size_t)w >= sizeof(list) - k)
            break;
        k += (size_t)w;
    }
    if (n > 4 && k + 16 < sizeof(list))
        snprintf(list + k, sizeof(list) - k, "; ...");
    svr_trace(r, "    event queue: %u record(s)%s%s%s\n", n, ovf ? ", overflow" : "", n ? ": " : "", list);
    if (e->count >= 0 && (int64_t)n != e->count)
        return svr_fail(r, s->mark.line, "expected %lld event record(s), found %u%s%s", (long long)e->count, n,
                        n ? ": " : "", list);
    if (e->overflow >= 0 && ovf != (e->overflow != 0))
        return svr_fail(r, s->mark.line, "expected overflow %s, EVENTQ_PROD.OVFLG vs CONS.OVACKFLG says %s",
                        e->overflow ? "true" : "false", ovf ? "true" : "false");
    if (e->nrecords > n)
        return svr_fail(r, s->mark.line, "expected %zu record(s), found %u%s%s", e->nrecords, n, n ? ": " : "", list);
    for (size_t i = 0; i < e->nrecords; i++) {
        uint8_t rec[32];
        if (event_read(r, &q, q.cons + (uint32_t)i, rec))
            return svr_fail(r, s->mark.line, "cannot read the event queue");
        char why[256];
        int m = record_match(r, &e->records[i], rec, why, sizeof(why));
        if (m < 0)
            return -1;
        if (m) {
            char dec[512];
            svr_decode_event(rec, dec, sizeof(dec));
            return svr_fail(r, s->mark.line, "record %zu: %s; record: %s", i + 1, why, dec);
        }
    }
    events_consume(r, &q);
    return 0;
}

