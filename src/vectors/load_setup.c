/* SPDX-License-Identifier: MIT */
/* The config and setup sections: SMMU bring-up, memory and MMIO writes. */
#include <stddef.h>
#include <string.h>
#include "load_yaml.h"

/* A mapping of known keys, each stored at an offset of a structure: a boolean,
 * or a number (at most max) kept as unsigned or uint32_t; has_off >= 0: the
 * offset of a bool that says the key was given. */
enum { K_BOOL, K_UNSIGNED, K_U32 };
typedef struct key_field { const char *name; size_t off; int kind; uint64_t max; ptrdiff_t has_off; } key_field;

static bool parse_keys(L *l, N *n, const char *what, const key_field *kf, size_t nk, void *base)
{
    const char *names[64];
    for (size_t i = 0; i < nk; i++)
        names[i] = kf[i].name;
    names[nk] = NULL;
    if (!svl_check_map(l, n, what, names, NULL, NULL))
        return false;
    for (size_t i = 0; i < nk; i++) {
        N *vn = svl_get(l, n, kf[i].name);
        if (!vn)
            continue;
        char *p = (char *)base + kf[i].off;
        uint64_t u;
        if (kf[i].kind == K_BOOL) {
            bool b;
            if (!svl_bool(l, vn, kf[i].name, &b))
                return false;
            memcpy(p, &b, sizeof(b));
        } else if (!svl_u64max(l, vn, kf[i].name, kf[i].max, &u)) {
            return false;
        } else if (kf[i].kind == K_U32) {
            uint32_t x = (uint32_t)u;
            memcpy(p, &x, sizeof(x));
        } else {
            unsigned x = (unsigned)u;
            memcpy(p, &x, sizeof(x));
        }
        if (kf[i].has_off >= 0)
            *((bool *)((char *)base + kf[i].has_off)) = true;
    }
    return true;
}

#define CB(f) { #f, offsetof(smmuv3_config, f), K_BOOL, 1, -1 }
#define CU(f) { #f, offsetof(smmuv3_config, f), K_UNSIGNED, UINT32_MAX, -1 }
static const key_field cfg_fields[] = {
    CB(s1p), CB(s2p), CB(gran4k), CB(gran16k), CB(gran64k), CU(oas), CB(vax), CU(sidsize),
    CU(ssidsize), CB(st_2level), CB(cd_2level), CB(ril), CB(msi), CB(ats), CB(pri), CU(stall_model),
    CB(term_model), CU(httu), CB(asid16), CB(vmid16), CB(hyp), CB(btm), CB(cohacc), CB(sev), CB(xnx),
    CB(had), CB(fwb), CU(cmdqs), CU(eventqs), CU(priqs), CU(stall_max),
    { "iidr", offsetof(smmuv3_config, iidr), K_U32, UINT32_MAX, -1 }, CU(tlb_entries),
    CU(cfg_entries), CU(walk_entries), CB(fastpath), CB(secure_impl), CB(sel2), CU(s_sidsize), CB(ns1ats), CB(pps),
    CB(stt),
};

bool svl_parse_config(L *l, N *n)
{
    if (!parse_keys(l, n, "config", cfg_fields, sizeof(cfg_fields) / sizeof(cfg_fields[0]), &l->v->cfg))
        return false;
    char msg[256] = "";
    if (smmuv3_config_validate(&l->v->cfg, msg, sizeof(msg)) != 0)
        return svl_fail(l, n, "invalid config: %s", msg[0] ? msg : "rejected by smmuv3_config_validate");
    return true;
}

#define VO(f) offsetof(smmuv3_vector, f)
static const key_field smmu_keys[] = {
    { "bringup", VO(bringup), K_BOOL, 1, -1 }, { "smmuen", VO(smmuen), K_BOOL, 1, -1 },
    { "eventq", VO(eventq_en), K_BOOL, 1, -1 }, { "cmdq_log2size", VO(cmdq_log2), K_UNSIGNED, 19, -1 },
    { "eventq_log2size", VO(eventq_log2), K_UNSIGNED, 19, -1 },
    { "gbpa", VO(gbpa), K_U32, UINT32_MAX, VO(has_gbpa) }, { "cr2", VO(cr2), K_U32, UINT32_MAX, VO(has_cr2) },
    { "priq", VO(priq_en), K_BOOL, 1, -1 }, { "priq_log2size", VO(priq_log2), K_UNSIGNED, 19, -1 },
    { "atschk", VO(atschk), K_BOOL, 1, -1 }, { "secure_memory", VO(secure_mem), K_BOOL, 1, -1 },
};

static bool struct_key(const char *key, void *ctx)
{
    (void)ctx;
    return smmuv3_struct_find(key) != NULL;
}

/* SV_MEM_VALUE with its size: 8, or the 'size' node sz (1, 2, 4 or 8). */
static bool value_size(L *l, N *sz, sv_mem *m)
{
    m->kind = SV_MEM_VALUE;
    m->size = 8;
    if (!sz)
        return true;
    uint64_t u;
    if (!svl_u64(l, sz, "a size (1, 2, 4 or 8)", &u))
        return false;
    if (u != 1 && u != 2 && u != 4 && u != 8)
        return svl_fail(l, sz, "expected a size of 1, 2, 4 or 8 bytes, got %llu", (unsigned long long)u);
    m->size = (unsigned)u;
    return true;
}

bool svl_mem_value(L *l, N *n, const char *what, sv_mem *m)
{
    if (!svl_expr(l, n, what, true, &m->value))
        return false;
    if (!m->value.sym && m->size < 8 && (m->value.off >> (8 * m->size)))
        return svl_fail(l, n, "value 0x%llx does not fit %u bytes", (unsigned long long)m->value.off, m->size);
    return true;
}

/* A memory entry: addr plus one of value (+size), bytes, abort, or <struct>: {fields}. */
bool svl_parse_mem(L *l, N *n, sv_mem *m, bool is_read)
{
    static const char *const wkeys[] = { "addr", "desc", "value", "size", "bytes", "abort", "secure", NULL };
    static const char *const rkeys[] = { "addr", "desc", "size", "len", "struct", "secure", NULL };
    if (!svl_check_map(l, n, is_read ? "memory_read" : "a memory write", is_read ? rkeys : wkeys,
                       is_read ? NULL : struct_key, NULL))
        return false;
    m->mark = svl_mk(n);
    N *sec = svl_get(l, n, "secure");
    if (sec && !svl_bool(l, sec, "secure (an address of the Secure PA space)", &m->secure))
        return false;
    N *a = svl_get(l, n, "addr"), *d = svl_get(l, n, "desc");
    if (d && m->secure)
        return svl_fail(l, sec, "'secure' goes with 'addr'; a descriptor is in its table's space");
    if (!!a == !!d)
        return svl_fail(l, n, "a memory entry takes exactly one of 'addr' or 'desc' (a descriptor: "
                          "{ table, iova | ipa, level })");
    if (a && !svl_expr(l, a, "an address", true, &m->addr))
        return false;
    if (d) {
        static const char *const dk[] = { "table", "iova", "ipa", "level", NULL };
        if (!svl_check_map(l, d, "desc", dk, NULL, NULL))
            return false;
        N *t = svl_need(l, d, "table", "desc"), *lv = t ? svl_need(l, d, "level", "desc") : NULL;
        N *in = svl_get(l, d, "iova") ? svl_get(l, d, "iova") : svl_get(l, d, "ipa");
        if (!t || !lv)
            return false;
        if (!in || (svl_get(l, d, "iova") && svl_get(l, d, "ipa")))
            return svl_fail(l, d, "desc needs one of 'iova' (stage 1) or 'ipa' (stage 2)");
        uint64_t u;
        if (!svl_string(l, t, "a page table name", &m->dtable) || !svl_u64(l, in, "an address", &m->diova) ||
            !svl_u64max(l, lv, "a level", 3, &u))
            return false;
        m->dlevel = (unsigned)u;
        m->has_desc = true;
        m->dmark = svl_mk(t);
    }
    if (is_read) {
        N *st = svl_get(l, n, "struct"), *sz = svl_get(l, n, "size"), *ln = svl_get(l, n, "len");
        if (!!st + !!sz + !!ln > 1)
            return svl_fail(l, n, "memory_read takes one of size, len or struct");
        if (st) {
            const char *s = svl_scalar(l, st, "a structure name");
            if (!s)
                return false;
            m->fields.st = smmuv3_struct_find(s);
            if (!m->fields.st)
                return svl_fail(l, st, "unknown structure '%s' (ste, cd, l1std, l1cd, event, pri, CMD_*)", s);
            m->kind = SV_MEM_STRUCT;
        } else if (ln) {
            m->kind = SV_MEM_BYTES;
            if (!svl_u64max(l, ln, "a length", 4096, &m->len))
                return false;
        } else {
            if (!value_size(l, sz, m))
                return false;
        }
        return true;
    }
    int kinds = 0;
    N *val = svl_get(l, n, "value"), *bytes = svl_get(l, n, "bytes"), *ab = svl_get(l, n, "abort");
    N *stn = NULL, *stk = NULL;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        N *k = svl_node(l, p->key);
        if (k && smmuv3_struct_find((const char *)k->data.scalar.value)) {
            kinds++;
            stk = k;
            stn = svl_node(l, p->value);
        }
    }
    kinds += !!val + !!bytes + !!ab;
    if (kinds != 1)
        return svl_fail(l, n, "a memory write takes exactly one of value, bytes, abort or a structure "
                          "(ste: {...}, cd: {...}, ...)");
    if (svl_get(l, n, "size") && !val)
        return svl_fail(l, svl_get(l, n, "size"), "'size' goes with 'value'");
    if (val) {
        if (!value_size(l, svl_get(l, n, "size"), m) || !svl_mem_value(l, val, "a value", m))
            return false;
    } else if (bytes) {
        m->kind = SV_MEM_BYTES;
        m->bytes = svl_list(l, bytes, "bytes", 1, &m->nbytes, svl_byte_item, NULL);
        if (!m->bytes)
            return false;
    } else if (ab) {
        m->kind = SV_MEM_ABORT;
        if (!svl_u64(l, ab, "the length of an abort range", &m->len))
            return false;
        if (m->len == 0)
            return svl_fail(l, ab, "an abort range needs a length above 0");
    } else {
        m->kind = SV_MEM_STRUCT;
        const smmuv3_struct *st = smmuv3_struct_find((const char *)stk->data.scalar.value);
        char what[64];
        snprintf(what, sizeof(what), "%s", st->name);
        if (!svl_fields(l, stn, st, what, NULL, true, &m->fields))
            return false;
    }
    return true;
}

/* A register by name (reg:) or offset (offset:), with size. */
bool svl_parse_reg(L *l, N *n, sv_mmio *m)
{
    N *r = svl_get(l, n, "reg"), *o = svl_get(l, n, "offset"), *sz = svl_get(l, n, "size");
    m->mark = svl_mk(n);
    if (!!r == !!o)
        return svl_fail(l, n, "expected exactly one of 'reg' (a register name) or 'offset'");
    if (r) {
        const char *s = svl_scalar(l, r, "a register name");
        if (!s)
            return false;
        m->reg = smmuv3_reg_find(s);
        if (!m->reg) {
            const char *names[128];
            unsigned k = 0;
            for (unsigned i = 0; i < smmuv3_reg_count() && k < 127; i++)
                names[k++] = smmuv3_reg_at(i)->name;
            names[k] = NULL;
            return svl_unknown(l, svl_mk(r), "register", s, NULL, smmuv3_name_suggest(names, s));
        }
        m->offset = m->reg->offset;
        m->size = m->reg->size;
    } else {
        if (!svl_u64max(l, o, "a register offset", 0x1fffc, &m->offset))
            return false;
        m->size = 4;
        m->reg = smmuv3_reg_by_offset(m->offset);
        if (m->reg)
            m->size = m->reg->size;
    }
    if (sz) {
        uint64_t u;
        if (!svl_u64(l, sz, "an access size (4 or 8)", &u))
            return false;
        if (u != 4 && u != 8)
            return svl_fail(l, sz, "expected an access size of 4 or 8, got %llu", (unsigned long long)u);
        m->size = (unsigned)u;
    }
    if (m->offset & (m->size - 1))
        return svl_fail(l, n, "offset 0x%llx is not aligned to the %u-byte access", (unsigned long long)m->offset,
                        m->size);
    /* secure: the access's security state (6.2: the Secure frame is RAZ/WI to
     * Non-secure accesses); default Secure exactly for the Secure frame */
    N *sec = svl_get(l, n, "secure");
    m->has_sec = sec != NULL;
    return !sec || svl_bool(l, sec, "secure (true: a Secure access, false: a Non-secure one)", &m->sec);
}

/* value: N or fields: {...} (register layout). `vn` is the value node. */
bool svl_reg_value(L *l, N *vn, sv_mmio *m, const char *what)
{
    if (vn->type == YAML_MAPPING_NODE) {
        if (!m->reg)
            return svl_fail(l, vn, "fields need a register given by name");
        char w[64];
        snprintf(w, sizeof(w), "%s", m->reg->name);
        return svl_fields(l, vn, m->reg->layout, w, NULL, true, &m->fields);
    }
    m->has_value = true;
    if (!svl_expr(l, vn, what, true, &m->value))
        return false;
    if (!m->value.sym && m->size == 4 && m->value.off > UINT32_MAX)
        return svl_fail(l, vn, "value 0x%llx does not fit a 32-bit register", (unsigned long long)m->value.off);
    return true;
}

bool svl_parse_mmio_write(L *l, N *n, sv_mmio *m)
{
    static const char *const keys[] = { "reg", "offset", "size", "value", "fields", "secure", NULL };
    if (!svl_check_map(l, n, "an MMIO write", keys, NULL, NULL) || !svl_parse_reg(l, n, m))
        return false;
    N *v = svl_get(l, n, "value"), *f = svl_get(l, n, "fields");
    if (!!v == !!f)
        return svl_fail(l, n, "an MMIO write takes exactly one of 'value' or 'fields'");
    if (f && f->type != YAML_MAPPING_NODE)
        return svl_fail(l, f, "expected a mapping of register fields, got %s", svl_kind_name(f));
    return svl_reg_value(l, v ? v : f, m, "a register value");
}

/* One stream: sid and STE fields. */
static bool stream_item(L *l, N *s, void *item, size_t i, void *ctx)
{
    static const char *const skip[] = { "sid", NULL };
    sv_stream *st = item;
    const sv_stream *first = st - i;
    (void)ctx;
    st->mark = svl_mk(s);
    if (s->type != YAML_MAPPING_NODE)
        return svl_fail(l, s, "expected a mapping for a stream (sid and STE fields), got %s", svl_kind_name(s));
    N *sid = svl_need(l, s, "sid", "a stream");
    if (!sid || !svl_u64max(l, sid, "a StreamID", UINT32_MAX, &st->sid))
        return false;
    for (size_t j = 0; j < i; j++)
        if (first[j].sid == st->sid)
            return svl_fail(l, sid, "a second stream with sid %llu", (unsigned long long)st->sid);
    return svl_fields(l, s, smmuv3_struct_find("ste"), "ste", skip, true, &st->ste);
}

static bool mem_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    return svl_parse_mem(l, n, item, false);
}

static bool mmio_item(L *l, N *n, void *item, size_t i, void *ctx)
{
    (void)i;
    (void)ctx;
    return svl_parse_mmio_write(l, n, item);
}

/* The lists of the setup section, in the order they are parsed: the array
 * and its count in the vector, and what parses one item. */
typedef struct setup_list { const char *key; size_t size, array, count; svl_item_fn fn; } setup_list;
static const setup_list setup_lists[] = {
    { "streams", sizeof(sv_stream), VO(streams), VO(nstreams), stream_item },
    { "cd_tables", sizeof(sv_cdtab), VO(cdtabs), VO(ncdtabs), svl_parse_cd_table },
    { "page_tables", sizeof(sv_pt), VO(pts), VO(npts), svl_parse_page_table },
    { "memory", sizeof(sv_mem), VO(mem), VO(nmem), mem_item },
    { "mmio", sizeof(sv_mmio), VO(mmio), VO(nmmio), mmio_item },
};

bool svl_parse_setup(L *l, N *n)
{
    static const char *const keys[] = { "smmu", "stream_table", "streams", "cd_tables", "page_tables",
                                        "memory", "mmio", NULL };
    if (!svl_check_map(l, n, "setup", keys, NULL, NULL))
        return false;
    smmuv3_vector *v = l->v;
    N *sm = svl_get(l, n, "smmu");
    if (sm && !parse_keys(l, sm, "smmu", smmu_keys, sizeof(smmu_keys) / sizeof(smmu_keys[0]), v))
        return false;
    N *st = svl_get(l, n, "stream_table");
    if (st && !svl_parse_stream_table(l, st))
        return false;
    for (size_t i = 0; i < sizeof(setup_lists) / sizeof(setup_lists[0]); i++) {
        const setup_list *sl = &setup_lists[i];
        N *x = svl_get(l, n, sl->key);
        if (!x)
            continue;
        void *a = svl_list(l, x, sl->key, sl->size, (size_t *)((char *)v + sl->count), sl->fn, NULL);
        if (!a)
            return false;
        memcpy((char *)v + sl->array, &a, sizeof(a));
    }
    return true;
}

