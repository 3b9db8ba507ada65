/* SPDX-License-Identifier: MIT */
/*
 * The vSMMU steps (load_vsmmu.c says what they mean): a recording
 * invalidation sink on the vector's SMMU, checks of what it forwarded, and
 * vSTE verdicts of STEs in the vector's stream table.
 */
#include <stdlib.h>
#include <string.h>
#include "run_int.h"

#define SINK_MAX 4096    /* commands kept between two expect_forwarded */

struct svr_sink {
    R *r;
    const sv_step *cfg;  /* the inval_sink step: which calls refuse */
    uint64_t calls;      /* since installation */
    size_t n;            /* recorded since the last expect_forwarded (may exceed SINK_MAX) */
    uint64_t cmd[SINK_MAX][2];
};

static int sink_cb(void *ctx, const uint64_t cmd[2])
{
    struct svr_sink *k = ctx;
    uint64_t call = ++k->calls;
    if (k->n < SINK_MAX) {
        k->cmd[k->n][0] = cmd[0];
        k->cmd[k->n][1] = cmd[1];
    }
    k->n++;
    bool refuse = k->cfg->vs.refuse_all;
    for (size_t i = 0; i < k->cfg->vs.nrefuse; i++)
        refuse = refuse || k->cfg->vs.refuse[i] == call;
    const char *nm = smmuv3_command_name((unsigned)(cmd[0] & 0xFF));
    svr_trace(k->r, "    forwarded (call %llu): %s [0x%016llx 0x%016llx]%s\n", (unsigned long long)call,
              nm ? nm : "?", (unsigned long long)cmd[0], (unsigned long long)cmd[1], refuse ? ", refused" : "");
    return refuse ? 1 : 0;
}

void svr_sink_free(R *r)
{
    if (r->smmu)
        smmuv3_set_inval_sink(r->smmu, NULL, NULL);
    free(r->sink);
    r->sink = NULL;
}

void svr_sink_attach(R *r)
{
    if (r->sink && r->smmu)
        smmuv3_set_inval_sink(r->smmu, sink_cb, r->sink);
}

int svr_do_inval_sink(R *r, const sv_step *s)
{
    svr_sink_free(r);
    if (s->vs.sink_off)
        return 0;
    r->sink = calloc(1, sizeof(*r->sink));
    if (!r->sink)
        return svr_fail(r, s->mark.line, "out of memory");
    r->sink->r = r;
    r->sink->cfg = s;
    svr_sink_attach(r);
    return 0;
}

static void cmd_str(const uint64_t w[2], char *out, size_t len)
{
    const char *nm = smmuv3_command_name((unsigned)(w[0] & 0xFF));
    snprintf(out, len, "%s [0x%016llx 0x%016llx]", nm ? nm : "(unknown opcode)", (unsigned long long)w[0],
             (unsigned long long)w[1]);
}

int svr_do_expect_forwarded(R *r, const sv_step *s)
{
    struct svr_sink *k = r->sink;
    if (!k)
        return svr_fail(r, s->mark.line, "expect_forwarded: no sink installed (add an 'inval_sink' step first)");
    size_t got = k->n;
    k->n = 0;
    char a[96], b[96];
    if (got != s->ncmds) {
        if (got && got <= SINK_MAX)
            cmd_str(k->cmd[0], a, sizeof(a));
        return svr_fail(r, s->mark.line, "expected %zu forwarded commands, got %zu%s%s", s->ncmds, got,
                        got && got <= SINK_MAX ? "; the first: " : "", got && got <= SINK_MAX ? a : "");
    }
    for (size_t i = 0; i < got && i < SINK_MAX; i++) {
        const sv_cmd *c = &s->cmds[i];
        uint8_t img[16] = { 0 };
        uint64_t want[2] = { c->rawv[0], c->rawv[1] };
        if (!c->raw) {
            img[0] = (uint8_t)c->opcode;
            if (svr_set_fields(r, &c->fields, img))
                return -1;
            want[0] = want[1] = 0;
            for (int j = 7; j >= 0; j--) {
                want[0] = want[0] << 8 | img[j];
                want[1] = want[1] << 8 | img[8 + j];
            }
        }
        if (want[0] != k->cmd[i][0] || want[1] != k->cmd[i][1]) {
            cmd_str(want, a, sizeof(a));
            cmd_str(k->cmd[i], b, sizeof(b));
            return svr_fail(r, c->mark.line, "forwarded command %zu: expected %s, got %s", i + 1, a, b);
        }
    }
    return 0;
}

int svr_do_vste(R *r, const sv_step *s)
{
    static const char *const kinds[] = { "invalid", "abort", "bypass", "s1" };
    if (!r->have_st)
        return svr_fail(r, s->mark.line, "vste: the vector has no stream table");
    uint64_t addr;
    int rc = smmuv3_strtab_ste_addr(&r->st, (uint32_t)s->vs.sid, false, &addr);
    uint8_t raw[64];
    if (!rc)
        rc = smmuv3_mem_read(r->mem, addr, raw, sizeof(raw));
    if (rc)
        return svr_fail(r, s->mark.line, "vste: cannot read the STE of StreamID %llu: %s",
                        (unsigned long long)s->vs.sid, smmuv3_strerror(rc));
    uint64_t ste[8] = { 0 };
    for (int i = 0; i < 64; i++)
        ste[i / 8] |= (uint64_t)raw[i] << (8 * (i % 8));
    smmuv3_vste v;
    rc = smmuv3_vste_classify(r->smmu, ste, &v);
    if (rc || v.kind < 0 || v.kind > 3)
        return svr_fail(r, s->mark.line, "vste: smmuv3_vste_classify failed: %s", smmuv3_strerror(rc));
    svr_trace(r, "    vste of StreamID %llu: %s [0x%016llx 0x%016llx]\n", (unsigned long long)s->vs.sid,
              kinds[v.kind], (unsigned long long)v.ste[0], (unsigned long long)v.ste[1]);
    if (v.kind != s->vs.kind)
        return svr_fail(r, s->mark.line, "vste: expected %s, got %s", kinds[s->vs.kind], kinds[v.kind]);
    for (int i = 0; i < 2; i++)
        if (s->vs.has_dw[i] && v.ste[i] != s->vs.dw[i])
            return svr_fail(r, s->mark.line, "vste: dw%d: expected 0x%016llx, got 0x%016llx", i,
                            (unsigned long long)s->vs.dw[i], (unsigned long long)v.ste[i]);
    return 0;
}
