/* SPDX-License-Identifier: MIT */
/*
 * The fuzz interpreter (see fuzz_interp.h). Program layout:
 *
 *   byte 0      configuration variant (default, reduced profiles, or one
 *               built from the next bytes and validated)
 *   then ops    one opcode byte and its operands each; operands past the end
 *               of the input read as 0. At most FZ_MAX_OPS ops run.
 *
 * Guest memory is a sparse smmuv3_mem behind a host whose irq callback counts
 * edges and may (per IRQ_MODE) act on the SMMU as an interrupt handler would,
 * a bounded number of times. A SETUP op lays out a valid world with the
 * builders (stream table, STEs of every Config, linear and 2-level CD tables,
 * stage 1 and stage 2 page tables, queues) and brings the SMMU up; the
 * addresses of these structures become "targets" that memory ops mutate, so
 * that structures are often partly valid. With bit 7 of its first byte set
 * and bit 5 clear, SETUP also brings the Secure side up (fzw_setup_secure:
 * a Secure Stream table of Secure STEs, Secure queues); transactions draw
 * SMMUV3_TXN_SECURE/NS in their flags, so they reach Secure streams, and
 * command batches with header bit 7 go to the Secure Command queue.
 *
 * Test-device lengths are kept small (memcpy runs of at most 128K x 255) so
 * that one input runs in milliseconds; everything else is passed unfiltered.
 */
#include "fuzz_int.h"
#include "fuzz_snap.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <smmuv3/smmuv3.h>

/* ------------------------------------------------------------ register map */

enum { K_RAW, K_CR0, K_CR1, K_CR2, K_GBPA, K_IRQ, K_GERRORN, K_ADDR, K_STRCFG, K_QBASE, K_PTR, K_SMALL };

#define SEC 0x80000000u   /* regs[]: a Secure access */
static const struct { uint32_t off; uint8_t kind; } regs[] = {
    { R_CR0, K_CR0 }, { R_CR0, K_CR0 }, { R_CR1, K_CR1 }, { R_CR2, K_CR2 }, { R_GBPA, K_GBPA },
    { R_IRQ_CTRL, K_IRQ }, { R_GERRORN, K_GERRORN }, { R_GERRORN, K_GERRORN },
    { R_GERROR_IRQ_CFG0, K_ADDR }, { R_GERROR_IRQ_CFG1, K_RAW }, { R_GERROR_IRQ_CFG2, K_SMALL },
    { R_STRTAB_BASE, K_ADDR }, { R_STRTAB_BASE + 4, K_RAW }, { R_STRTAB_BASE_CFG, K_STRCFG },
    { R_CMDQ_BASE, K_QBASE }, { R_CMDQ_BASE + 4, K_RAW }, { R_CMDQ_PROD, K_PTR }, { R_CMDQ_PROD, K_PTR },
    { R_CMDQ_CONS, K_PTR }, { R_EVENTQ_BASE, K_QBASE }, { R_EVENTQ_IRQ_CFG0, K_ADDR },
    { R_EVENTQ_IRQ_CFG1, K_RAW }, { R_EVENTQ_IRQ_CFG2, K_SMALL }, { R_PRIQ_BASE, K_QBASE },
    { R_PRIQ_IRQ_CFG0, K_ADDR }, { R_PRIQ_IRQ_CFG1, K_RAW }, { R_PRIQ_IRQ_CFG2, K_SMALL },
    { R_EVENTQ_PROD, K_PTR }, { R_EVENTQ_CONS, K_PTR }, { R_EVENTQ_CONS, K_PTR }, { R_PRIQ_PROD, K_PTR },
    { R_PRIQ_CONS, K_PTR }, { R_IDR0, K_RAW }, { R_CR0ACK, K_RAW }, { R_IRQ_CTRLACK, K_RAW },
    { R_GERROR, K_RAW }, { 0x8020, K_CR0 }, { 0x8080, K_ADDR }, { 0x10000, K_RAW }, { 0x1FFFC, K_RAW },
    /* the Secure frame through Secure accesses (SEC: smmuv3_mmio_*_sec(secure = true)) */
    { SEC | 0x8020, K_CR0 }, { SEC | 0x8020, K_CR0 }, { SEC | 0x802C, K_CR2 }, { SEC | 0x803C, K_SMALL },
    { SEC | 0x8044, K_GBPA }, { SEC | 0x8050, K_IRQ }, { SEC | 0x8064, K_GERRORN },
    { SEC | 0x8068, K_ADDR }, { SEC | 0x8080, K_ADDR }, { SEC | 0x8088, K_STRCFG },
    { SEC | 0x8090, K_QBASE }, { SEC | 0x8098, K_PTR }, { SEC | 0x8098, K_PTR }, { SEC | 0x809C, K_PTR },
    { SEC | 0x80A0, K_QBASE }, { SEC | 0x80A8, K_PTR }, { SEC | 0x80AC, K_PTR }, { SEC | 0x80B0, K_ADDR },
    { SEC | 0x8000, K_RAW },
};
#define NREGS (sizeof(regs) / sizeof(regs[0]))

/* An address: a target, a fixed spot, or anything; plus a low offset. */
static uint64_t pick_addr(fz *f, fz_in *in)
{
    static const uint64_t spots[] = {
        0x0, 0x100000, 0x2000000, 0x40000000, 0xFFFFF000ull, (1ull << 48) - 0x40,
        (1ull << 52) - 0x20, (1ull << 52), ~0ull - 0xF,
    };
    uint8_t m = u8(in);
    uint64_t off = (uint64_t)u8(in) << ((m >> 4) & 3) * 2;
    switch (m & 3) {
    case 0: case 1:
        if (f->ntargets)
            return f->targets[u8(in) % f->ntargets] + (m & 4 ? off & ~7ull : 0);
        return 0x100000 + off;
    case 2:
        return spots[u8(in) % (sizeof(spots) / sizeof(spots[0]))] + (m & 4 ? off : 0);
    default:
        return u64(in);
    }
}

static uint32_t log2size_max(fz *f, unsigned shift)
{
    return (uint32_t)(smmuv3_mmio_read(f->smmu, R_IDR1, 4) >> shift) & 0x1F;
}

static uint64_t reg_value(fz *f, fz_in *in, uint8_t kind, unsigned size)
{
    uint8_t m = u8(in);
    if ((m & 7) == 0)
        return size == 8 ? u64(in) : u32(in);
    switch (kind) {
    case K_CR0: {
        static const uint8_t v[] = { 0x0, 0xD, 0x5, 0x9, 0xC, 0x1, 0x4, 0x8, 0xF, 0x1F, 0x1D };
        return v[u8(in) % sizeof(v)] ^ (m & 0x80 ? (uint32_t)1 << (u8(in) & 31) : 0);
    }
    case K_CR1: return u8(in) & 0x3F;
    case K_CR2: return u8(in) & 0x7;
    case K_GBPA: return (m & 0x80 ? 0x80000000u : 0) | (uint32_t)u8(in) << 20 | (uint32_t)u16(in);
    case K_IRQ: return u8(in) & 7;
    case K_GERRORN: {
        uint32_t g = (uint32_t)smmuv3_mmio_read(f->smmu, R_GERROR, 4);
        return m & 0x80 ? g ^ (1u << (u8(in) & 31)) : g;
    }
    case K_ADDR: return pick_addr(f, in) & ~3ull;
    case K_STRCFG: {
        uint32_t fmt = u8(in) & 1, split = u8(in) % 12, l2 = u8(in) & 0x3F;
        return fmt << 16 | split << 6 | l2;
    }
    case K_QBASE: return (pick_addr(f, in) & ~0x1Full) | (u8(in) & 0x1F) | (m & 0x80 ? 3ull << 62 : 0);
    case K_PTR: {
        uint32_t v = u16(in);
        return (m & 0x80) ? v | (uint32_t)u8(in) << 24 : v & 0x3FF;
    }
    default: return u8(in);
    }
}

/* ------------------------------------------------------------ memory ops */
static void mem_write64(fz *f, uint64_t addr, uint64_t v)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(v >> (8 * i));
    smmuv3_mem_write(f->mem, addr, b, 8);
}

static uint64_t mem_read64(fz *f, uint64_t addr)
{
    uint8_t b[8] = { 0 };
    smmuv3_mem_read(f->mem, addr, b, 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b[i] << (8 * i);
    return v;
}

static uint64_t field_mask(const smmuv3_field *fl)
{
    uint64_t m = fl->msb >= 63 ? ~0ull : (2ull << fl->msb) - 1;
    return fl->addr ? m & ~((1ull << fl->lsb) - 1) : smmuv3_field_max(fl);
}

static uint64_t field_value(fz_in *in, const smmuv3_field *fl)
{
    uint8_t m = u8(in);
    uint64_t v;
    switch (m & 3) {
    case 0: v = m >> 2; break;
    case 1: v = smmuv3_field_max(fl) - (m >> 6); break;
    case 2: v = u8(in); break;
    default: v = u64(in); break;
    }
    return v & field_mask(fl);
}

/* Set a random field of a structure image (by the field tables). */
static void mutate_field(fz_in *in, const char *sname, uint8_t *img)
{
    const smmuv3_struct *st = smmuv3_struct_find(sname);
    if (!st || !st->nfields)
        return;
    const smmuv3_field *fl = &st->fields[u8(in) % st->nfields];
    smmuv3_field_set(fl, img, field_value(in, fl));
}

static void op_mem_struct(fz *f, fz_in *in)
{
    static const char *const names[] = { "ste", "cd", "l1std", "l1cd" };
    static const unsigned sizes[] = { 64, 64, 8, 8 };
    uint8_t k = u8(in) % 4;
    uint64_t addr = pick_addr(f, in) & ~(uint64_t)(sizes[k] - 1);
    uint8_t img[64] = { 0 };
    uint8_t t = u8(in);
    if (k < 2 && (t & 1))
        memcpy(img, k == 0 ? f->ste_tpl[(t >> 1) % NSTE] : f->cd_tpl[(t >> 1) % NCD], 64);
    else
        smmuv3_mem_read(f->mem, addr, img, sizes[k]);
    unsigned n = (t >> 4) & 3;
    for (unsigned i = 0; i < n; i++)
        mutate_field(in, names[k], img);
    if (t & 8) {
        unsigned bit = u16(in) % (sizes[k] * 8);
        img[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    smmuv3_mem_write(f->mem, addr, img, sizes[k]);
}

/* A page-table descriptor: a valid template with some bits changed. */
static void op_mem_pte(fz *f, fz_in *in)
{
    uint64_t addr = pick_addr(f, in) & ~7ull;
    uint8_t m = u8(in);
    uint64_t d;
    switch (m & 3) {
    case 0: d = mem_read64(f, addr); break;
    case 1: d = 0x2000000 | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE | SMMUV3_PTE_AF | SMMUV3_PTE_SH(3); break;
    case 2: d = (pick_addr(f, in) & 0xFFFFFFFFF000ull) | SMMUV3_PTE_VALID | SMMUV3_PTE_TABLE; break;
    default: d = 0x2000000 | SMMUV3_PTE_VALID | SMMUV3_PTE_AF | SMMUV3_PTE_SH(3) | SMMUV3_PTE_S2AP_R |
                 SMMUV3_PTE_S2AP_W | SMMUV3_PTE_MEMATTR(0xF); break;
    }
    unsigned n = (m >> 2) & 3;
    for (unsigned i = 0; i < n; i++)
        d ^= 1ull << (u8(in) & 63);
    mem_write64(f, addr, d);
}

/* ------------------------------------------------------------ commands */
static const uint8_t opcodes[] = {
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x12, 0x13, 0x18, 0x1A, 0x20, 0x21, 0x22,
    0x23, 0x28, 0x2A, 0x30, 0x40, 0x41, 0x44, 0x45, 0x46, 0x46, 0x46, 0x03, 0x04, 0x12, 0x2A, 0x44,
};
/* On the Secure queue the last seven are the Secure-only TLBIs (S_EL2_*,
 * S_S12_VMALL, S_S2_IPA, SNH_ALL; IHI 0070 4.4); the rest as above. */
static const uint8_t sec_opcodes[7] = { 0x50, 0x51, 0x52, 0x53, 0x58, 0x5A, 0x60 };

static void op_commands(fz *f, fz_in *in)
{
    uint8_t hdr = u8(in);
    unsigned n = 1 + (hdr & 3);
    /* header bit 7: the Secure Command queue, while S_CR0.CMDQEN is set
     * (IHI 0070 3.10.2.1; SSec and the Secure-only TLBIs are drawn as fields) */
    bool sec = (hdr & 0x80) && (smmuv3_mmio_read_sec(f->smmu, R_S_CR0, 4, true) & 8);
    uint32_t qb = sec ? R_S_CMDQ_BASE : R_CMDQ_BASE, qp = sec ? R_S_CMDQ_PROD : R_CMDQ_PROD;
    uint64_t base = smmuv3_mmio_read_sec(f->smmu, qb, 8, sec);
    unsigned l = (unsigned)(base & 0x1F), max = log2size_max(f, 21);
    if (l > max)
        l = max;
    uint64_t align = (16ull << l) < 32 ? 32 : 16ull << l;
    uint64_t qbase = base & 0xFFFFFFFFFFFE0ull & ~(align - 1);
    uint32_t prod = (uint32_t)smmuv3_mmio_read_sec(f->smmu, qp, 4, sec);
    uint32_t ptr_mask = (2u << l) - 1, idx_mask = (1u << l) - 1;
    for (unsigned i = 0; i < n; i++) {
        uint8_t cmd[SMMUV3_CMD_BYTES] = { 0 };
        uint8_t o = u8(in);
        unsigned idx = o % sizeof(opcodes);
        unsigned op = (o & 0x80) ? u8(in) : sec && idx >= 25 ? sec_opcodes[idx - 25] : opcodes[idx];
        smmuv3_cmd_init(cmd, op);
        const smmuv3_struct *lay = smmuv3_command_layout(op);
        unsigned nf = (o >> 5) & 3;
        for (unsigned j = 0; lay && lay->nfields && j < nf; j++) {
            const smmuv3_field *fl = &lay->fields[u8(in) % lay->nfields];
            if (!strcmp(fl->name, "opcode"))
                continue;
            uint64_t v = field_value(in, fl);
            if (!strcmp(fl->name, "sid") && (v & 0x100))
                v %= 10;   /* mostly the StreamIDs of the world */
            smmuv3_field_set(fl, cmd, v);
        }
        if ((op == 0x44 || op == 0x45) && (hdr & 0x40)) {   /* answer the last stall */
            const smmuv3_field *sid = lay ? smmuv3_field_find(lay, "sid") : NULL;
            const smmuv3_field *stag = lay ? smmuv3_field_find(lay, "stag") : NULL;
            if (sid)
                smmuv3_field_set(sid, cmd, f->stall_sid);
            if (stag)
                smmuv3_field_set(stag, cmd, f->stall_stag);
        }
        if (op == 0x46 && (hdr & 0x10)) {   /* CMD_SYNC with an MSI to a target */
            const smmuv3_field *cs = lay ? smmuv3_field_find(lay, "cs") : NULL;
            const smmuv3_field *ma = lay ? smmuv3_field_find(lay, "msiaddr") : NULL;
            if (cs)
                smmuv3_field_set(cs, cmd, 1);
            if (ma)
                smmuv3_field_set(ma, cmd, pick_addr(f, in) & field_mask(ma));
        }
        if (hdr & 0x20)
            cmd[u8(in) % SMMUV3_CMD_BYTES] ^= (uint8_t)(1u << (u8(in) & 7));
        smmuv3_mem_write(f->mem, qbase + (uint64_t)(prod & idx_mask) * 16, cmd, sizeof(cmd));
        prod = (prod & ~ptr_mask) | ((prod + 1) & ptr_mask);
    }
    smmuv3_mmio_write_sec(f->smmu, qp, prod, 4, sec);
}

/* ------------------------------------------------------------ transactions (also fuzz_txn.c) */
static void op_stall_poll(fz *f, fz_in *in)
{
    uint8_t m = u8(in);
    uint32_t sid = (m & 0x80) ? u32(in) : (uint32_t)(m % 10);
    uint16_t stag = (m & 0x40) ? u16(in) : (uint16_t)(u8(in) & 7);
    if ((m & 0xC0) == 0xC0) {
        sid = f->stall_sid;
        stag = f->stall_stag;
    }
    int p = smmuv3_stall_poll(f->smmu, sid, stag);
    observe(f, (uint64_t)(int64_t)p);
    if (p != SMMUV3_ENOENT && (p < SMMUV3_STALL_PENDING || p > SMMUV3_STALL_RAZWI))
        violation(f, "smmuv3_stall_poll: return value out of range", (uint64_t)(int64_t)p, stag);
}

/* ------------------------------------------------------------ test device */
static void op_testdev(fz *f, fz_in *in, bool write)
{
    uint8_t m = u8(in);
    smmuv3_testdev *d = f->dev[m & 1];
    uint64_t off = (m & 2) ? u16(in) : (uint64_t)(u8(in) % 0x2A) * 4;
    if (!write) {
        observe(f, smmuv3_testdev_read(d, off));
        return;
    }
    uint32_t v;
    uint8_t k = u8(in);
    switch (k & 3) {
    case 0: v = u32(in); break;
    case 1: v = u8(in); break;
    case 2: v = (uint32_t)pick_addr(f, in); break;
    default: v = (uint32_t)(fz_pick_iova(in) >> ((k & 4) ? 32 : 0)); break;
    }
    /* keep each input fast: bounded lengths and repetitions */
    if (off == SMMUV3_TESTDEV_LEN && v != SMMUV3_TESTDEV_MAX_LEN + 1)
        v &= 0x3FFFF;
    if (off == SMMUV3_TESTDEV_MCPY_LEN)
        v &= 0x1FFFF;
    if (off == SMMUV3_TESTDEV_MCPY_REPEAT)
        v &= 0xFF;
    smmuv3_testdev_write(d, off, v);
}

/* ------------------------------------------------------------ MMIO */
static void op_mmio_write(fz *f, fz_in *in, unsigned size)
{
    uint8_t r = u8(in);
    uint32_t off = regs[r % NREGS].off & ~SEC;
    bool sec = (regs[r % NREGS].off & SEC) != 0;
    uint64_t v = reg_value(f, in, regs[r % NREGS].kind, size);
    if (size == 8)
        off &= ~7u;
    smmuv3_mmio_write_sec(f->smmu, off, v, size, sec);
}

static void op_mmio_raw(fz *f, fz_in *in)
{
    uint8_t m = u8(in);
    static const unsigned sizes[] = { 4, 8, 4, 8, 1, 2, 3, 16 };
    unsigned size = sizes[m & 7];
    uint64_t off = (m & 0x80) ? u64(in) : u32(in) & 0x1FFFF;
    bool sec = (m & 0x20) != 0;   /* a Secure access */
    if (m & 0x40)
        smmuv3_mmio_write_sec(f->smmu, off, u64(in), size, sec);
    else
        observe(f, smmuv3_mmio_read_sec(f->smmu, off, size, sec));
}

/* ------------------------------------------------------------ the program */
enum {
    OP_W32, OP_W64, OP_READ, OP_RAW, OP_MEM64, OP_MEMFLIP, OP_STRUCT, OP_PTE, OP_CMDS, OP_XLATE,
    OP_XLATE2, OP_POLL, OP_TDW, OP_TDR, OP_RESET, OP_ABORT, OP_SETUP, OP_EVTDRAIN, OP_GACK, OP_IRQMODE,
    OP_CMDS2, OP_ATS, OP_PRI, OP_COUNT
};

static void run_op(fz *f, fz_in *in, uint8_t op)
{
    switch (op % OP_COUNT) {
    case OP_W32: op_mmio_write(f, in, 4); break;
    case OP_W64: op_mmio_write(f, in, 8); break;
    case OP_READ: {
        uint8_t r = u8(in);
        uint32_t o = regs[r % NREGS].off;
        observe(f, smmuv3_mmio_read_sec(f->smmu, (o & ~SEC) & ((r & 0x80) ? ~7u : ~0u), (r & 0x80) ? 8 : 4,
                                        (o & SEC) != 0));
        break;
    }
    case OP_RAW: op_mmio_raw(f, in); break;
    case OP_MEM64: {
        uint64_t a = pick_addr(f, in);
        mem_write64(f, a, u64(in));
        break;
    }
    case OP_MEMFLIP: {
        uint64_t a = pick_addr(f, in) & ~7ull;
        mem_write64(f, a, mem_read64(f, a) ^ (1ull << (u8(in) & 63)));
        break;
    }
    case OP_STRUCT: op_mem_struct(f, in); break;
    case OP_PTE: op_mem_pte(f, in); break;
    case OP_CMDS: case OP_CMDS2: op_commands(f, in); break;
    case OP_XLATE: case OP_XLATE2: fz_op_translate(f, in); break;
    case OP_POLL: op_stall_poll(f, in); break;
    case OP_TDW: op_testdev(f, in, true); break;
    case OP_TDR: op_testdev(f, in, false); break;
    case OP_RESET: smmuv3_reset(f->smmu); break;
    case OP_ABORT: {
        uint64_t a = pick_addr(f, in);
        uint64_t len = 1 + (u16(in) & 0x1FFF);
        if (f->aborts < FZ_MAX_ABORTS) {
            f->aborts++;
            smmuv3_mem_add_abort(f->mem, a, len);
        }
        break;
    }
    case OP_SETUP: {
        /* world byte b with bit 7 set and bit 5 clear (bits 7:6 are S1DSS
         * only with bit 5): the Secure side too, its choices from one more byte */
        size_t at = in->i;
        fzw_setup_world(f, in);
        if (in->i == at + 2 && (in->p[at] & 0xA0) == 0x80)
            fzw_setup_secure(f, u8(in));
        break;
    }
    case OP_EVTDRAIN:
        smmuv3_mmio_write(f->smmu, R_EVENTQ_CONS, smmuv3_mmio_read(f->smmu, R_EVENTQ_PROD, 4), 4);
        break;
    case OP_GACK:
        smmuv3_mmio_write(f->smmu, R_GERRORN, smmuv3_mmio_read(f->smmu, R_GERROR, 4), 4);
        break;
    case OP_IRQMODE: f->irq_mode = u8(in) & 0x7F; break;
    case OP_ATS: fz_op_ats(f, in); break;
    case OP_PRI: fz_op_pri(f, in); break;
    default: break;
    }
}

/* The event queue as the guest would read it (first 64 records), hashed. */
static uint64_t eventq_hash(fz *f)
{
    uint64_t base = smmuv3_mmio_read(f->smmu, R_EVENTQ_BASE, 8) & 0xFFFFFFFFFFFE0ull;
    uint64_t h = 0xcbf29ce484222325ull;
    uint8_t rec[32];
    for (unsigned i = 0; i < 64; i++) {
        memset(rec, 0, sizeof(rec));
        smmuv3_mem_read(f->mem, base + i * 32ull, rec, sizeof(rec));
        for (unsigned j = 0; j < sizeof(rec); j++)
            h = (h ^ rec[j]) * 0x100000001b3ull;
    }
    return h;
}

int fz_run_once(const uint8_t *data, size_t size, char *msg, size_t msglen, uint64_t *log, size_t caplog,
                size_t *nlog, bool no_fastpath, bool snap_fresh, void (*diag)(void *, const smmuv3_diag *),
                void *diag_ctx)
{
    static fz zero;
    fz st = zero, *f = &st;
    fz_in in = { data, size, 0 };
    f->msg = msg;
    f->msglen = msglen;
    f->log = log;
    f->caplog = caplog;
    if (msg && msglen)
        msg[0] = 0;

    fzw_config_variant(f, &in);
    if (no_fastpath)
        f->cfg.fastpath = false;
    f->mem = smmuv3_mem_new();
    if (!f->mem)
        return 0;
    f->host.ctx = f;
    f->host.read = fzw_host_read;
    f->host.write = fzw_host_write;
    f->host.irq = fzw_host_irq;
    f->host.irq_secure = fzw_host_irq_secure;
    if (smmuv3_new(&f->cfg, &f->host, &f->smmu)) {
        violation(f, "smmuv3_new failed on a validated config", 0, 0);
        smmuv3_mem_free(f->mem);
        return (int)f->violations;
    }
    if (diag)
        smmuv3_set_diag(f->smmu, diag, diag_ctx);
    f->dev[0] = smmuv3_testdev_new(f->smmu, &f->host, 2);
    f->dev[1] = smmuv3_testdev_new(f->smmu, &f->host, 6);

    unsigned snap_every = size ? (data[0] >> 3) & 15 : 0;   /* fuzz_snap.h */
    for (unsigned n = 0; n < FZ_MAX_OPS && more(&in); n++) {
        if (snap_every && n % snap_every == snap_every - 1) {
            const char *why = fz_snapshot_point(f->smmu, &f->cfg, &f->host, snap_fresh);
            if (why)
                violation(f, why, n, 0);
        }
        run_op(f, &in, u8(&in));
    }

    /* a final look at the state: every register readable */
    for (unsigned i = 0; i < NREGS; i++)
        observe(f, smmuv3_mmio_read_sec(f->smmu, regs[i].off & ~SEC, 4, (regs[i].off & SEC) != 0));
    observe(f, f->irqs);
    if (f->log)
        observe(f, eventq_hash(f));
    if (nlog)
        *nlog = f->nlog;

    smmuv3_testdev_free(f->dev[0]);
    smmuv3_testdev_free(f->dev[1]);
    smmuv3_free(f->smmu);
    smmuv3_mem_free(f->mem);
    return (int)f->violations;
}

enum { FZ_LOG = 16 * FZ_MAX_OPS + 256 };

int fz_run(const uint8_t *data, size_t size, char *msg, size_t msglen)
{
    /* Bit 7 of the first byte asks for a differential run: the fast path is
     * documented as exact, so the program must observe the same with it off;
     * with snapshot points (bits 6:3), the second run also restarts from each
     * snapshot (fuzz_snap.h), which must not change what it observes either. */
    if (!size || !(data[0] & 0x80))
        return fz_run_once(data, size, msg, msglen, NULL, 0, NULL, false, true, NULL, NULL);
    static uint64_t a[FZ_LOG], b[FZ_LOG];
    size_t na = 0, nb = 0;
    int bad = fz_run_once(data, size, msg, msglen, a, FZ_LOG, &na, false, false, NULL, NULL);
    if (bad)
        return bad;
    bad = fz_run_once(data, size, msg, msglen, b, FZ_LOG, &nb, true, true, NULL, NULL);
    if (bad)
        return bad;
    return fz_logs_differ(a, na, b, nb, "fast path on/off", msg, msglen);
}

int fz_logs_differ(const uint64_t *a, size_t na, const uint64_t *b, size_t nb, const char *what, char *msg,
                   size_t msglen)
{
    for (size_t i = 0; i < na || i < nb; i++) {
        uint64_t x = i < na ? a[i] : ~0ull, y = i < nb ? b[i] : ~0ull;
        if (x != y) {
            if (msg && msglen)
                snprintf(msg, msglen, "%s differ at observation %zu: 0x%llx vs 0x%llx", what, i,
                         (unsigned long long)x, (unsigned long long)y);
            return 1;
        }
    }
    return 0;
}
