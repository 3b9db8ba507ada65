/* SPDX-License-Identifier: MIT */
/*
 * The vSMMU steps (smmuv3/vsmmu.h):
 *   inval_sink: record | off | { refuse: all | [call, ...] }
 *       install a recording invalidation sink (calls are counted from 1 at
 *       installation; the listed ones, or all, refuse: CERROR_ILL), or remove it
 *   expect_forwarded: [command, ...]
 *       the commands forwarded since the sink was installed or the last
 *       expect_forwarded, exactly and in order (as in 'commands'; [] for none)
 *   vste: { sid: N }   expect: { kind: invalid|abort|bypass|s1, dw0: X, dw1: Y }
 *       smmuv3_vste_classify of the STE of StreamID N as it is in memory
 */
#include <string.h>
#include "load_yaml.h"

static bool refuse_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    uint64_t *u = item;
    if (!svl_u64max(l, n, "a call number (1 is the first call after inval_sink)", UINT32_MAX, u))
        return false;
    if (*u == 0)
        return svl_fail(l, n, "call numbers start at 1");
    return true;
}

static bool parse_sink(L *l, N *act, sv_step *s)
{
    s->kind = SV_STEP_INVAL_SINK;
    if (act->type == YAML_SCALAR_NODE) {
        const char *v = svl_scalar(l, act, "record, off or { refuse: ... }");
        if (!v)
            return false;
        if (strcmp(v, "record") == 0)
            return true;
        if (strcmp(v, "off") == 0) {
            s->vs.sink_off = true;
            return true;
        }
        return svl_fail(l, act, "inval_sink: expected record, off or { refuse: all | [n, ...] }, got '%s'", v);
    }
    static const char *const keys[] = { "refuse", NULL };
    if (!svl_check_map(l, act, "inval_sink", keys, NULL, NULL))
        return false;
    N *r = svl_need(l, act, "refuse", "inval_sink");
    if (!r)
        return false;
    if (r->type == YAML_SCALAR_NODE) {
        const char *v = svl_scalar(l, r, "all or a list of call numbers");
        if (!v)
            return false;
        if (strcmp(v, "all") != 0)
            return svl_fail(l, r, "refuse: expected all or a list of call numbers, got '%s'", v);
        s->vs.refuse_all = true;
        return true;
    }
    s->vs.refuse = svl_list(l, r, "refuse", sizeof(uint64_t), &s->vs.nrefuse, refuse_item, NULL);
    return s->vs.refuse != NULL;
}

static bool parse_forwarded(L *l, N *act, sv_step *s)
{
    s->kind = SV_STEP_EXPECT_FORWARDED;
    if (!svl_seq(l, act, "expect_forwarded (a list of commands, [] for none)"))
        return false;
    s->ncmds = SVL_SEQ_LEN(act);
    if (!s->ncmds)
        return true;
    s->cmds = sv_alloc(l->v, s->ncmds * sizeof(*s->cmds));
    if (!s->cmds)
        return svl_fail(l, act, "out of memory");
    for (size_t i = 0; i < s->ncmds; i++)
        if (!svl_parse_command(l, SVL_SEQ_AT(l, act, i), &s->cmds[i]))
            return false;
    return true;
}

static bool parse_vste(L *l, N *act, N *ex, sv_step *s)
{
    s->kind = SV_STEP_VSTE;
    static const char *const keys[] = { "sid", NULL };
    static const char *const ekeys[] = { "kind", "dw0", "dw1", NULL };
    if (!svl_check_map(l, act, "vste", keys, NULL, NULL) || !svl_check_map(l, ex, "vste expect", ekeys, NULL, NULL))
        return false;
    N *sid = svl_need(l, act, "sid", "vste");
    if (!sid || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &s->vs.sid))
        return false;
    N *k = svl_need(l, ex, "kind", "vste expect");
    const char *ks = k ? svl_scalar(l, k, "a verdict (invalid, abort, bypass, s1)") : NULL;
    if (!ks)
        return false;
    static const char *const kinds[] = { "invalid", "abort", "bypass", "s1", NULL };
    s->vs.kind = -1;
    for (int i = 0; kinds[i]; i++)
        if (svl_ieq(kinds[i], ks))
            s->vs.kind = i;   /* SMMUV3_VSTE_INVALID .. SMMUV3_VSTE_S1 */
    if (s->vs.kind < 0)
        return svl_fail(l, k, "unknown verdict '%s'; expected invalid, abort, bypass or s1", ks);
    static const char *const dws[2] = { "dw0", "dw1" };
    for (int i = 0; i < 2; i++) {
        N *d = svl_get(l, ex, dws[i]);
        if (d && !svl_u64(l, d, "a 64-bit STE dword", &s->vs.dw[i]))
            return false;
        s->vs.has_dw[i] = d != NULL;
    }
    return true;
}

bool svl_parse_vsmmu_step(L *l, N *act, N *ex, sv_step *s)
{
    if (strcmp(s->action, "inval_sink") == 0)
        return parse_sink(l, act, s);
    if (strcmp(s->action, "expect_forwarded") == 0)
        return parse_forwarded(l, act, s);
    return parse_vste(l, act, ex, s);
}
