/* SPDX-License-Identifier: MIT */
/* A step: one action (mmio_write, commands, translate, map, ...) with its
 * expectation. */
#include <string.h>
#include "load_yaml.h"

bool svl_parse_command(L *l, N *n, sv_cmd *c)
{
    c->mark = svl_mk(n);
    const char *op = NULL;
    N *opn = n;
    if (n->type == YAML_SCALAR_NODE) {
        op = svl_scalar(l, n, "a command name");
        if (!op)
            return false;
    } else if (n->type == YAML_MAPPING_NODE) {
        N *raw = svl_get(l, n, "raw");
        if (raw) {
            if (n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
                return svl_fail(l, n, "a raw command takes only 'raw: [dw0, dw1]'");
            if (!svl_seq(l, raw, "raw") )
                return false;
            if (SVL_SEQ_LEN(raw) != 2)
                return svl_fail(l, raw, "expected two 64-bit words for a raw command, got %zu", SVL_SEQ_LEN(raw));
            c->raw = true;
            return svl_u64(l, SVL_SEQ_AT(l, raw, 0), "a 64-bit integer", &c->rawv[0]) &&
                   svl_u64(l, SVL_SEQ_AT(l, raw, 1), "a 64-bit integer", &c->rawv[1]);
        }
        opn = svl_get(l, n, "op");
        if (!opn)
            return svl_fail(l, n, "a command needs 'op' (its name, such as CMD_CFGI_STE) or 'raw'");
        op = svl_scalar(l, opn, "a command name");
        if (!op)
            return false;
    } else {
        return svl_fail(l, n, "expected a command (a name, or a mapping with op and fields), got %s", svl_kind_name(n));
    }
    int opc = smmuv3_command_opcode(op);
    if (opc < 0) {
        const char *sg = svl_suggest_from(smmuv3_command_name, op);
        if (!sg) {
            char buf[64];
            snprintf(buf, sizeof(buf), "CMD_%s", op);
            sg = svl_suggest_from(smmuv3_command_name, buf);
        }
        return svl_unknown(l, svl_mk(opn), "command", op, NULL, sg);
    }
    c->opcode = (unsigned)opc;
    const smmuv3_struct *st = smmuv3_command_layout(c->opcode);
    c->fields.st = st;
    if (n->type == YAML_MAPPING_NODE) {
        static const char *const skip[] = { "op", NULL };
        if (!svl_fields(l, n, st, st->name, skip, true, &c->fields))
            return false;
        for (size_t i = 0; i < c->fields.n; i++)
            if (strcmp(c->fields.items[i].f->name, "opcode") == 0)
                return svl_fail(l, n, "the opcode comes from 'op'; use 'raw' for an arbitrary opcode");
    }
    return true;
}

/* The step key 'secure: true' (IHI 0070 3.10.2.1): the step uses the Secure
 * Command queue, Event queue and S_GERROR; only for the steps that have a
 * Secure twin. */
static bool step_secure(L *l, N *n, sv_step *s)
{
    static const char *const takes[] = { "command", "commands", "expect_events", "expect_gerror",
                                         "expect_cmdq_error", "gerror_ack", NULL };
    N *sec = svl_get(l, n, "secure");
    if (!sec)
        return true;
    bool ok = false;
    for (size_t i = 0; takes[i]; i++)
        ok |= strcmp(takes[i], s->action) == 0;
    if (!ok)
        return svl_fail(l, sec, "'%s' takes no step key 'secure' (command(s), expect_events, expect_gerror, "
                        "expect_cmdq_error and gerror_ack do; registers and memory have their own)", s->action);
    return svl_bool(l, sec, "secure (true: the Secure queues and S_GERROR)", &s->secure);
}

static const char *const actions[] = { "mmio_write", "mmio_read", "command", "commands", "memory_write",
                                       "memory_read", "translate", "dma", "testdev_write", "testdev_read",
                                       "expect_events", "expect_gerror", "expect_cmdq_error", "gerror_ack",
                                       "map", "unmap", "save", "restore", "expect_diagnostics",
                                       "inval_sink", "expect_forwarded", "vste", NULL };

bool svl_parse_step(L *l, N *n, void *item, size_t i, void *ctx)
{
    sv_step *s = item;
    (void)i;
    (void)ctx;
    static const char *const extra[] = { "expect", "note", NULL };
    if (n->type != YAML_MAPPING_NODE)
        return svl_fail(l, n, "expected a step (a mapping with one action such as translate:), got %s",
                        svl_kind_name(n));
    s->mark = svl_mk(n);
    const char *all[40];
    size_t k = 0;
    for (size_t i = 0; actions[i]; i++)
        all[k++] = actions[i];
    for (size_t i = 0; svl_ats_actions[i]; i++)
        all[k++] = svl_ats_actions[i];
    all[k++] = "expect";
    all[k++] = "note";
    all[k++] = "secure";
    all[k] = NULL;
    if (!svl_check_map(l, n, "a step", all, NULL, NULL))
        return false;
    N *act = NULL;
    int ai = -1;
    for (int i = 0; svl_ats_actions[i]; i++) {
        N *a = svl_get(l, n, svl_ats_actions[i]);
        if (a) {
            for (int j = 0; actions[j]; j++)
                if (svl_get(l, n, actions[j]))
                    return svl_fail(l, a, "a step has one action; '%s' and '%s' are both here", actions[j],
                                    svl_ats_actions[i]);
            s->action = svl_ats_actions[i];
            if (!step_secure(l, n, s))
                return false;
            N *nt = svl_get(l, n, "note");
            if (nt && !svl_string(l, nt, "a note", &s->note))
                return false;
            return svl_parse_ats_step(l, s->action, a, svl_get(l, n, "expect"), s);
        }
    }
    for (int i = 0; actions[i]; i++) {
        N *a = svl_get(l, n, actions[i]);
        if (a) {
            if (act)
                return svl_fail(l, a, "a step has one action; '%s' and '%s' are both here", actions[ai], actions[i]);
            act = a;
            ai = i;
        }
    }
    if (!act)
        return svl_fail(l, n, "a step needs an action: one of mmio_write, mmio_read, command, commands, "
                          "memory_write, memory_read, translate, dma, testdev_write, testdev_read, "
                          "expect_events, expect_gerror, expect_cmdq_error, gerror_ack, map, unmap, save, "
                          "restore, expect_diagnostics, inval_sink, expect_forwarded, vste");
    s->action = actions[ai];
    N *nt = svl_get(l, n, "note");
    if (nt && !svl_string(l, nt, "a note", &s->note))
        return false;
    if (!step_secure(l, n, s))
        return false;
    N *ex = svl_get(l, n, "expect");
    static const char *const takes_expect[] = { "mmio_read", "memory_read", "translate", "dma", "testdev_read",
                                                "vste", NULL };
    bool te = false;
    for (size_t i = 0; takes_expect[i]; i++)
        if (strcmp(takes_expect[i], s->action) == 0)
            te = true;
    (void)extra;
    if (ex && !te)
        return svl_fail(l, ex, "'%s' takes no 'expect'", s->action);
    if (!ex && te && strcmp(s->action, "translate") != 0 && strcmp(s->action, "dma") != 0)
        return svl_fail(l, n, "'%s' needs 'expect'", s->action);
    const char *a = s->action;
    if (strcmp(a, "mmio_write") == 0) {
        s->kind = SV_STEP_MMIO_WRITE;
        return svl_parse_mmio_write(l, act, &s->mmio);
    }
    if (strcmp(a, "mmio_read") == 0) {
        static const char *const keys[] = { "reg", "offset", "size", "secure", NULL };
        s->kind = SV_STEP_MMIO_READ;
        return svl_check_map(l, act, "mmio_read", keys, NULL, NULL) && svl_parse_reg(l, act, &s->mmio) &&
               svl_reg_value(l, ex, &s->mmio, "the expected register value");
    }
    if (strcmp(a, "command") == 0 || strcmp(a, "commands") == 0) {
        s->kind = SV_STEP_COMMANDS;
        if (a[7] == 's') {
            if (!svl_seq(l, act, "commands"))
                return false;
            s->ncmds = SVL_SEQ_LEN(act);
            if (!s->ncmds)
                return svl_fail(l, act, "an empty list of commands");
        } else {
            s->ncmds = 1;
        }
        s->cmds = sv_alloc(l->v, s->ncmds * sizeof(*s->cmds));
        if (!s->cmds)
            return svl_fail(l, act, "out of memory");
        for (size_t i = 0; i < s->ncmds; i++)
            if (!svl_parse_command(l, a[7] == 's' ? SVL_SEQ_AT(l, act, i) : act, &s->cmds[i]))
                return false;
        return true;
    }
    if (strcmp(a, "memory_write") == 0) {
        s->kind = SV_STEP_MEM_WRITE;
        return svl_parse_mem(l, act, &s->mem, false);
    }
    if (strcmp(a, "memory_read") == 0) {
        s->kind = SV_STEP_MEM_READ;
        return svl_parse_mem(l, act, &s->mem, true) && svl_parse_mem_expect(l, ex, &s->mem);
    }
    if (strcmp(a, "translate") == 0) {
        s->kind = SV_STEP_TRANSLATE;
        return svl_parse_translate(l, act, ex, &s->x);
    }
    if (strcmp(a, "dma") == 0) {
        s->kind = SV_STEP_DMA;
        return svl_parse_dma(l, act, ex, &s->dma);
    }
    if (strcmp(a, "testdev_write") == 0 || strcmp(a, "testdev_read") == 0) {
        bool wr = a[8] == 'w';
        static const char *const wk[] = { "sid", "offset", "value", NULL };
        static const char *const rk[] = { "sid", "offset", NULL };
        s->kind = wr ? SV_STEP_DEV_WRITE : SV_STEP_DEV_READ;
        if (!svl_check_map(l, act, a, wr ? wk : rk, NULL, NULL))
            return false;
        N *sid = svl_need(l, act, "sid", a), *off = sid ? svl_need(l, act, "offset", a) : NULL;
        if (!sid || !off || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &s->dev_sid) ||
            !svl_u64max(l, off, "a device register offset", 0xffc, &s->dev_off))
            return false;
        if (s->dev_off & 3)
            return svl_fail(l, off, "device registers are 32-bit: offset 0x%llx is not 4-byte aligned",
                            (unsigned long long)s->dev_off);
        N *val = wr ? svl_need(l, act, "value", a) : ex;
        return val && svl_u64max(l, val, "a 32-bit value", UINT32_MAX, &s->dev_val);
    }
    if (strcmp(a, "expect_events") == 0) {
        s->kind = SV_STEP_EVENTS;
        return svl_parse_queue_expect(l, act, "expect_events", "event", &s->ev);
    }
    if (strcmp(a, "expect_gerror") == 0) {
        s->kind = SV_STEP_GERROR;
        if (!svl_seq(l, act, "expect_gerror (a list of GERROR field names, [] for none)"))
            return false;
        const smmuv3_struct *g = smmuv3_struct_find("gerror");
        for (size_t i = 0; i < SVL_SEQ_LEN(act); i++) {
            N *e = SVL_SEQ_AT(l, act, i);
            const char *fs = svl_scalar(l, e, "a GERROR field name");
            if (!fs)
                return false;
            const smmuv3_field *f = svl_field_find(l, e, g, fs, "gerror");
            if (!f)
                return false;
            s->gerror_mask |= 1u << f->lsb;
        }
        return true;
    }
    if (strcmp(a, "expect_diagnostics") == 0) {
        /* The driver checker's reports since the previous expect_diagnostics
         * step (or the start): exactly these codes, [] for none. */
        s->kind = SV_STEP_DIAG;
        if (!svl_seq(l, act, "expect_diagnostics (a list of codes such as STALE_TLB, [] for none)"))
            return false;
        for (size_t i = 0; i < SVL_SEQ_LEN(act); i++) {
            N *e = SVL_SEQ_AT(l, act, i);
            const char *cs = svl_scalar(l, e, "a diagnostic code");
            if (!cs)
                return false;
            int code = 1;
            while (code < SMMUV3_DIAG_CODES && !svl_ieq(smmuv3_diag_name(code), cs))
                code++;
            if (code == SMMUV3_DIAG_CODES)
                return svl_fail(l, e, "unknown diagnostic code '%s' (STALE_STE, STALE_CD, STALE_TLB, MISALIGNED, "
                                "UNPREDICTABLE, QUEUE, ERROR_IGNORED, TAG_ALIAS)", cs);
            s->diag_mask |= 1u << code;
        }
        return true;
    }
    if (strcmp(a, "expect_cmdq_error") == 0) {
        s->kind = SV_STEP_CMDQ_ERROR;
        const char *cs = svl_scalar(l, act, "a command error (none, ILL, ABT, ATC_INV_SYNC)");
        if (!cs)
            return false;
        static const char *const ce[] = { "none", "ILL", "ABT", "ATC_INV_SYNC", NULL };
        for (unsigned i = 0; ce[i]; i++)
            if (svl_ieq(ce[i], cs)) {
                s->cerror = i;
                return true;
            }
        uint64_t u;
        if (!svl_u64max(l, act, "a command error (none, ILL, ABT, ATC_INV_SYNC or 0..127)", 127, &u))
            return false;
        s->cerror = (unsigned)u;
        return true;
    }
    if (strcmp(a, "map") == 0 || strcmp(a, "unmap") == 0) {
        s->kind = a[0] == 'm' ? SV_STEP_MAP : SV_STEP_UNMAP;
        if (act->type != YAML_MAPPING_NODE)
            return svl_fail(l, act, "expected a mapping for %s, got %s", a, svl_kind_name(act));
        N *t = svl_need(l, act, "table", a);
        if (!t || !svl_string(l, t, "a page table name", &s->table))
            return false;
        s->table_mark = svl_mk(t);
        if (s->kind == SV_STEP_MAP)
            return svl_parse_mapping(l, act, 0, &s->map, true);
        static const char *const uk[] = { "table", "iova", "ipa", "size", NULL };
        if (!svl_check_map(l, act, "unmap", uk, NULL, NULL))
            return false;
        N *in = svl_get(l, act, "iova") ? svl_get(l, act, "iova") : svl_get(l, act, "ipa");
        if (!in)
            return svl_fail(l, act, "unmap needs 'iova' (stage 1) or 'ipa' (stage 2)");
        if (!svl_expr(l, in, "an address", true, &s->map.in))
            return false;
        N *sz = svl_get(l, act, "size");
        return !sz || svl_u64(l, sz, "a size", &s->map.size);
    }
    if (strcmp(a, "save") == 0) {
        s->kind = SV_STEP_SAVE;
        return svl_string(l, act, "a snapshot name", &s->snap);
    }
    if (strcmp(a, "restore") == 0) {
        s->kind = SV_STEP_RESTORE;
        if (act->type != YAML_MAPPING_NODE)
            return svl_string(l, act, "a snapshot name (or { snapshot: NAME, fresh: true })", &s->snap);
        static const char *const rk[] = { "snapshot", "fresh", NULL };
        if (!svl_check_map(l, act, "restore", rk, NULL, NULL))
            return false;
        N *nm = svl_need(l, act, "snapshot", "restore");
        if (!nm || !svl_string(l, nm, "a snapshot name", &s->snap))
            return false;
        N *fr = svl_get(l, act, "fresh");
        return !fr || svl_bool(l, fr, "fresh (true: a new SMMU replaces the running one)", &s->snap_fresh);
    }
    if (strcmp(a, "inval_sink") == 0 || strcmp(a, "expect_forwarded") == 0 || strcmp(a, "vste") == 0)
        return svl_parse_vsmmu_step(l, act, ex, s);
    /* gerror_ack */
    s->kind = SV_STEP_GERROR_ACK;
    bool b;
    if (!svl_bool(l, act, "gerror_ack (true)", &b))
        return false;
    if (!b)
        return svl_fail(l, act, "gerror_ack: false does nothing; remove the step");
    return true;
}

