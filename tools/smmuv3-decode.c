/* smmuv3-decode: decode raw SMMUv3 structures, commands, events and registers into named fields. */
/* SPDX-License-Identifier: MIT */
/*
 * Usage: smmuv3-decode [-a] KIND WORD...
 *   KIND: a structure of the field tables (ste, cd, l1std, l1cd, event, pri),
 *         "cmd" (the layout is chosen by the opcode in dw0[7:0]), a command
 *         name (CMD_SYNC), or a register name (cr0, gerror, strtab_base_cfg...).
 *   WORD: the 64-bit words of the image in order (dw0 dw1 ...); missing words
 *         are zero. Registers take one value.
 *   -a    also print fields that are zero.
 *   smmuv3-decode --list   lists the structures and registers.
 * Example: smmuv3-decode event 0x0000000800000010 0x0000000800000000 0x8080604567
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <smmuv3/smmuv3.h>

static int parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    if (!*s)
        return -1;
    *out = strtoull(s, &end, 0);
    return *end ? -1 : 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: smmuv3-decode [-a] KIND WORD...   (KIND: ste, cd, l1std, l1cd, event, pri, cmd,\n"
               "       CMD_<name>, or a register name such as cr0; WORDs are 64-bit, dw0 first)\n"
               "       smmuv3-decode --list\n");
}

static const char *value_name(const smmuv3_struct *st, const smmuv3_field *f, unsigned long long v)
{
    if (strcmp(st->name, "event") == 0 && strcmp(f->name, "eventid") == 0)
        return smmuv3_event_name((unsigned)v);
    if (strcmp(f->name, "opcode") == 0)
        return smmuv3_command_name((unsigned)v);
    if (strcmp(st->name, "ste") == 0 && strcmp(f->name, "config") == 0) {
        static const char *const c[] = { "abort", "reserved (abort)", "reserved (abort)", "reserved (abort)",
                                         "bypass", "stage 1", "stage 2", "nested" };
        return c[v & 7];
    }
    if (strcmp(st->name, "event") == 0 && strcmp(f->name, "class") == 0) {
        static const char *const c[] = { "CD", "TT", "IN", "reserved" };
        return c[v & 3];
    }
    if (strcmp(st->name, "CMD_PRI_RESP") == 0 && strcmp(f->name, "resp") == 0) {
        static const char *const c[] = { "ResponseFailure (deny)", "InvalidRequest (fail)", "Success",
                                         "reserved (ILLEGAL)" };
        return c[v & 3];
    }
    if (strcmp(st->name, "CMD_ATC_INV") == 0 && strcmp(f->name, "size") == 0)
        return v == 52 ? "everything (2^64 bytes)" : v > 52 ? "above 52 (ILLEGAL here)" : NULL;
    if (strcmp(st->name, "q_cons") == 0 && strcmp(f->name, "err") == 0) {
        static const char *const c[] = { "none", "ILL", "ABT", "ATC_INV_SYNC" };
        return v < 4 ? c[v] : NULL;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int i = 1;
    bool all = false;
    if (i < argc && strcmp(argv[i], "--list") == 0) {
        printf("structures:");
        for (unsigned k = 0; k < smmuv3_struct_count(); k++)
            printf(" %s", smmuv3_struct_at(k)->name);
        printf("\nregisters:");
        for (unsigned k = 0; k < smmuv3_reg_count(); k++)
            printf(" %s", smmuv3_reg_at(k)->name);
        printf("\n");
        return 0;
    }
    if (i < argc && strcmp(argv[i], "-a") == 0) {
        all = true;
        i++;
    }
    if (i < argc && (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    if (argc - i < 2) {
        usage(stderr);
        return 2;
    }
    const char *kind = argv[i++];
    unsigned long long words[8] = { 0 };
    int nw = 0;
    for (; i < argc; i++) {
        if (nw == 8 || parse_u64(argv[i], &words[nw]) != 0) {
            fprintf(stderr, "smmuv3-decode: expected at most 8 64-bit words, got '%s'\n", argv[i]);
            return 2;
        }
        nw++;
    }
    uint8_t img[64] = { 0 };
    for (int w = 0; w < 8; w++)
        for (int b = 0; b < 8; b++)
            img[8 * w + b] = (uint8_t)(words[w] >> (8 * b));
    const smmuv3_struct *st = NULL;
    const smmuv3_reg *reg = NULL;
    if (strcmp(kind, "cmd") == 0 || strcmp(kind, "command") == 0) {
        st = smmuv3_command_layout(img[0]);
        if (!st) {
            fprintf(stderr, "smmuv3-decode: unknown command opcode 0x%02x\n", img[0]);
            return 1;
        }
    } else if ((reg = smmuv3_reg_find(kind)) != NULL) {
        st = reg->layout;
    } else {
        st = smmuv3_struct_find(kind);
    }
    if (!st) {
        fprintf(stderr, "smmuv3-decode: unknown structure or register '%s' (see --list)\n", kind);
        return 2;
    }
    if (reg)
        printf("%s (offset 0x%x, %u bytes) = 0x%llx\n", reg->name, reg->offset, reg->size, words[0]);
    else
        printf("%s (%u bytes)\n", st->name, st->size);
    unsigned maxw = st->size < 8 ? 1 : st->size / 8;
    for (int w = (int)maxw; w < nw; w++)
        if (words[w])
            printf("  warning: word %d is beyond the %u-byte structure\n", w, st->size);
    for (unsigned k = 0; k < st->nfields; k++) {
        const smmuv3_field *f = &st->fields[k];
        unsigned long long v = smmuv3_field_get(f, img);
        if (!v && !all)
            continue;
        const char *nm = value_name(st, f, v);
        printf("  %-14s 0x%-16llx dw%u[%u:%u]%s%s\n", f->name, v, f->word, f->msb, f->lsb, nm ? "  " : "",
               nm ? nm : "");
    }
    return 0;
}
