/* SPDX-License-Identifier: MIT */
/* The field tables as data (built from fields_def.h) and their lookup API. */
#include <ctype.h>
#include <string.h>
#include <smmuv3/smmuv3.h>
#include "fields/fields.h"

#define KIND_V false
#define KIND_A true
#define FIELD_ENTRY_(S, n, w, m, l, k) { #n, w, m, l, KIND_##k },
#define STRUCT_ARRAY_(S, str, size, LIST) static const smmuv3_field fields_##S[] = { LIST(FIELD_ENTRY_) };
SMMU_STRUCTS(STRUCT_ARRAY_)

#define STRUCT_ENTRY_(S, str, size, LIST) \
    { str, size, fields_##S, (unsigned)(sizeof(fields_##S) / sizeof(fields_##S[0])) },
static const smmuv3_struct structs[] = { SMMU_STRUCTS(STRUCT_ENTRY_) };
#define NSTRUCTS (sizeof(structs) / sizeof(structs[0]))

/* Index of each structure in structs[], for the register and command tables. */
#define STRUCT_INDEX_(S, str, size, LIST) SIDX_##S,
enum { SMMU_STRUCTS(STRUCT_INDEX_) SIDX_COUNT_ };

#define REG_ENTRY_(N, str, off, size, L) { str, off, size, &structs[SIDX_##L] },
static const smmuv3_reg regs[] = { SMMU_REGISTERS(REG_ENTRY_) };
#define NREGS (sizeof(regs) / sizeof(regs[0]))

/* Commands (code: the opcode, sidx: the layout) and event records (code: the EventID). */
typedef struct { const char *name; unsigned code; unsigned sidx; } code_entry;
#define CMD_ENTRY_(N, op) { #N, op, SIDX_##N },
static const code_entry cmds[] = { SMMUV3_COMMAND_LIST(CMD_ENTRY_) };
#define NCMDS (unsigned)(sizeof(cmds) / sizeof(cmds[0]))

#define EVT_ENTRY_(N, id) { #N, id, 0 },
static const code_entry evts[] = { SMMUV3_EVENT_LIST(EVT_ENTRY_) };
#define NEVTS (unsigned)(sizeof(evts) / sizeof(evts[0]))

static const code_entry *by_code(const code_entry *t, unsigned n, unsigned code)
{
    for (unsigned i = 0; i < n; i++)
        if (t[i].code == code)
            return &t[i];
    return NULL;
}

static int ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

/* The entry of a table whose first member is its name (smmuv3_struct,
 * smmuv3_field, smmuv3_reg), found case-insensitively; NULL if none. */
static const void *find_named(const void *table, unsigned n, size_t stride, const char *name)
{
    if (!name)
        return NULL;
    for (unsigned i = 0; i < n; i++) {
        const void *e = (const char *)table + i * stride;
        if (ieq(*(const char *const *)e, name))
            return e;
    }
    return NULL;
}

unsigned smmuv3_struct_count(void) { return NSTRUCTS; }

const smmuv3_struct *smmuv3_struct_at(unsigned i)
{
    return i < NSTRUCTS ? &structs[i] : NULL;
}

const smmuv3_struct *smmuv3_struct_find(const char *name)
{
    return find_named(structs, NSTRUCTS, sizeof(structs[0]), name);
}

const smmuv3_field *smmuv3_field_find(const smmuv3_struct *st, const char *name)
{
    return st ? find_named(st->fields, st->nfields, sizeof(st->fields[0]), name) : NULL;
}

/* Levenshtein distance, bounded to short names. */
static unsigned edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned row[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (unsigned)j;
    for (size_t i = 1; i <= la; i++) {
        unsigned prev = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= lb; j++) {
            unsigned cur = row[j];
            unsigned cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            unsigned best = prev + cost;
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* The name within two edits of `name` that is closest, or NULL. */
static const char *closest(const char *name, const char *(*at)(const void *, unsigned),
                           const void *set, unsigned n)
{
    const char *best = NULL;
    unsigned bestd = 3;
    for (unsigned i = 0; i < n; i++) {
        const char *cand = at(set, i);
        unsigned d = edit_distance(cand, name);
        if (d < bestd) {
            bestd = d;
            best = cand;
        }
    }
    return best;
}

static const char *field_name_at(const void *set, unsigned i)
{
    return ((const smmuv3_struct *)set)->fields[i].name;
}

static const char *list_name_at(const void *set, unsigned i)
{
    return ((const char *const *)set)[i];
}

const char *smmuv3_field_suggest(const smmuv3_struct *st, const char *name)
{
    if (!st || !name)
        return NULL;
    return closest(name, field_name_at, st, st->nfields);
}

const char *smmuv3_name_suggest(const char *const *names, const char *name)
{
    if (!names || !name)
        return NULL;
    unsigned n = 0;
    while (names[n])
        n++;
    return closest(name, list_name_at, names, n);
}

static uint64_t width_mask(const smmuv3_field *f)
{
    unsigned w = (unsigned)f->msb - f->lsb + 1;
    return w >= 64 ? ~0ull : (1ull << w) - 1;
}

uint64_t smmuv3_field_max(const smmuv3_field *f)
{
    if (!f)
        return 0;
    return f->addr ? width_mask(f) << f->lsb : width_mask(f);
}

uint64_t smmuv3_field_get(const smmuv3_field *f, const void *image)
{
    if (!f || !image)
        return 0;
    uint64_t w = le64_load((const uint8_t *)image + 8u * f->word);
    uint64_t v = (w >> f->lsb) & width_mask(f);
    return f->addr ? v << f->lsb : v;
}

int smmuv3_field_set(const smmuv3_field *f, void *image, uint64_t value)
{
    if (!f || !image)
        return SMMUV3_EINVAL;
    uint64_t m = width_mask(f);
    uint64_t v = value;
    if (f->addr) {
        if (value & ~(m << f->lsb))
            return SMMUV3_ERANGE;
        v = value >> f->lsb;
    } else if (value & ~m) {
        return SMMUV3_ERANGE;
    }
    uint8_t *p = (uint8_t *)image + 8u * f->word;
    uint64_t w = le64_load(p);
    w = (w & ~(m << f->lsb)) | (v << f->lsb);
    le64_store(p, w);
    return 0;
}

/* The code of `name`, or of `name` without its first `skip` characters
 * ("CMD_SYNC" or "SYNC"), case-insensitively. */
static int code_of(const code_entry *t, unsigned n, const char *name, unsigned skip)
{
    if (!name)
        return SMMUV3_EINVAL;
    for (unsigned i = 0; i < n; i++)
        if (ieq(t[i].name, name) || (skip && ieq(t[i].name + skip, name)))
            return (int)t[i].code;
    return SMMUV3_ENOENT;
}

static const char *name_of(const code_entry *t, unsigned n, unsigned code)
{
    const code_entry *e = by_code(t, n, code);
    return e ? e->name : NULL;
}

const char *smmuv3_command_name(unsigned opcode) { return name_of(cmds, NCMDS, opcode); }
int smmuv3_command_opcode(const char *name) { return code_of(cmds, NCMDS, name, 4); }
const char *smmuv3_event_name(unsigned id) { return name_of(evts, NEVTS, id); }
int smmuv3_event_id(const char *name) { return code_of(evts, NEVTS, name, 0); }

const smmuv3_struct *smmuv3_command_layout(unsigned opcode)
{
    const code_entry *e = by_code(cmds, NCMDS, opcode);
    return e ? &structs[e->sidx] : NULL;
}

unsigned smmuv3_reg_count(void) { return NREGS; }

const smmuv3_reg *smmuv3_reg_at(unsigned i)
{
    return i < NREGS ? &regs[i] : NULL;
}

const smmuv3_reg *smmuv3_reg_find(const char *name)
{
    return find_named(regs, NREGS, sizeof(regs[0]), name);
}

const smmuv3_reg *smmuv3_reg_by_offset(uint64_t offset)
{
    for (unsigned i = 0; i < NREGS; i++)
        if (regs[i].offset == offset)
            return &regs[i];
    return NULL;
}
