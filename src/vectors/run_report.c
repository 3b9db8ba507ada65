/* SPDX-License-Identifier: MIT */
/* What a run says: the failure message of a vector, the -v trace, and event
 * records, GERROR bits and permissions decoded by name. */
#include <stdarg.h>
#include <string.h>
#include "run_int.h"

int svr_fail(R *r, unsigned line, const char *fmt, ...)
{
    smmuv3_vec_result *res = r->res;
    if (res->status != SMMUV3_VEC_PASS)
        return -1;
    res->status = SMMUV3_VEC_FAIL;
    res->failed_step = r->step;
    res->line = line;
    int k;
    if (r->step)
        k = snprintf(res->msg, sizeof(res->msg), "step %zu (line %u, %s): ", r->step, line,
                     r->v->steps[r->step - 1].action);
    else
        k = snprintf(res->msg, sizeof(res->msg), "setup (line %u): ", line);
    if (k < 0 || (size_t)k >= sizeof(res->msg))
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(res->msg + k, sizeof(res->msg) - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

void svr_trace(R *r, const char *fmt, ...)
{
    if (!r->trace)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(r->trace, fmt, ap);
    va_end(ap);
}

/* "F_TRANSLATION {streamid: 8, inputaddr: 0x...}" */
void svr_decode_event(const uint8_t rec[32], char *out, size_t len)
{
    const smmuv3_struct *st = smmuv3_struct_find("event");
    const smmuv3_field *idf = smmuv3_field_find(st, "eventid");
    unsigned id = (unsigned)smmuv3_field_get(idf, rec);
    const char *nm = smmuv3_event_name(id);
    size_t k = 0;
    int w = nm ? snprintf(out, len, "%s {", nm) : snprintf(out, len, "event 0x%02x {", id);
    if (w < 0 || (size_t)w >= len)
        return;
    k = (size_t)w;
    bool first = true;
    for (unsigned i = 0; i < st->nfields; i++) {
        const smmuv3_field *f = &st->fields[i];
        if (f == idf || strcmp(f->name, "reason") == 0)
            continue;
        /* F_BAD_ATS_TREQ's request fields share bits with STAG and Stall (7.3.6) */
        if (id != SMMUV3_EVT_F_BAD_ATS_TREQ && (strcmp(f->name, "span") == 0 || strcmp(f->name, "r") == 0 ||
                                                strcmp(f->name, "w") == 0 || strcmp(f->name, "x") == 0 ||
                                                strcmp(f->name, "p") == 0))
            continue;
        uint64_t v = smmuv3_field_get(f, rec);
        if (!v)
            continue;
        w = snprintf(out + k, len - k, "%s%s: 0x%llx", first ? "" : ", ", f->name, (unsigned long long)v);
        if (w < 0 || (size_t)w >= len - k)
            return;
        k += (size_t)w;
        first = false;
    }
    snprintf(out + k, len - k, "}");
}


const char *svr_gerror_names(uint32_t m, char *out, size_t len)
{
    const smmuv3_struct *g = smmuv3_struct_find("gerror");
    size_t k = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < g->nfields; i++)
        if (m & (1u << g->fields[i].lsb)) {
            int w = snprintf(out + k, len - k, "%s%s", k ? ", " : "", g->fields[i].name);
            if (w < 0 || (size_t)w >= len - k)
                break;
            k += (size_t)w;
        }
    if (!k)
        snprintf(out, len, "none");
    return out;
}

void svr_perm_str(unsigned p, char out[8])
{
    size_t k = 0;
    if (p & SMMUV3_PERM_R)
        out[k++] = 'r';
    if (p & SMMUV3_PERM_W)
        out[k++] = 'w';
    if (p & SMMUV3_PERM_X)
        out[k++] = 'x';
    if (!k) {
        memcpy(out, "none", 5);
        return;
    }
    out[k] = '\0';
}
