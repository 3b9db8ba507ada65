#!/usr/bin/env python3
"""Seed programs for fuzz_model (see tests/helpers/fuzz_interp.c for the layout).
   gen_seeds.py OUTDIR"""
import os, random, struct, sys

(OP_W32, OP_W64, OP_READ, OP_RAW, OP_MEM64, OP_MEMFLIP, OP_STRUCT, OP_PTE, OP_CMDS, OP_XLATE,
 OP_XLATE2, OP_POLL, OP_TDW, OP_TDR, OP_RESET, OP_ABORT, OP_SETUP, OP_EVTDRAIN, OP_GACK, OP_IRQMODE,
 OP_CMDS2) = range(21)

def u32(v): return struct.pack('<I', v & 0xffffffff)
def u64(v): return struct.pack('<Q', v & 0xffffffffffffffff)

def xlate(sid, addr_spot=0, low=0, flags=0, ssv=False, ssid=0, rep=0):
    s = (1 if ssv else 0) | ((ssid % 8) << 2)
    return bytes([OP_XLATE, (sid % 10) | (rep << 4), s, (addr_spot << 2) & 0xff, low, flags])

def td_write(dev, idx, val):
    return bytes([OP_TDW, dev & 1, idx, 0]) + u32(val)

def td_read(dev, idx):
    return bytes([OP_TDR, dev & 1, idx])

def cmds(opidx_fields, sync_msi=False, answer=False, secure=False):
    # opidx_fields: list of (index into opcodes table, [(field index, value byte)])
    # answer: RESUME / STALL_TERM get the StreamID and STAG of the last stall
    # secure: the Secure Command queue (once it is up), where indices 25..31
    # are the Secure-only TLBIs
    hdr = (len(opidx_fields) - 1) | (0x10 if sync_msi else 0) | (0x40 if answer else 0) | (0x80 if secure else 0)
    out = bytes([OP_CMDS, hdr])
    for idx, fields in opidx_fields:
        out += bytes([(idx & 0x1f) | (len(fields) << 5)])
        for fi, v in fields:
            out += bytes([fi, 2, v])  # field value mode 2: one byte
        if sync_msi and idx in ((24,) if secure else (24, 25, 26)):
            out += bytes([0, 0])      # pick_addr: first target
    return out

def world(b, g):
    return bytes([OP_SETUP, b, g])

def dma(dev, gva, gpa, length):
    return (td_write(dev, 1, gva) + td_write(dev, 3, length) + td_write(dev, 7, gpa) +
            td_write(dev, 5, 1) + td_read(dev, 0) + td_read(dev, 4))

def mcpy(dev, src, dst, length, rep):
    return (td_write(dev, 0x50 // 4, src) + td_write(dev, 0x58 // 4, dst) + td_write(dev, 0x60 // 4, length) +
            td_write(dev, 0x64 // 4, rep) + td_write(dev, 0x68 // 4, 1) + td_read(dev, 0x70 // 4) +
            td_read(dev, 0x74 // 4))

def all_xlates():
    out = b''
    for sid in range(10):
        for spot in (0, 1, 2, 5):
            out += xlate(sid, spot, 0x10, flags=sid & 7)
        out += xlate(sid, 0, 0, ssv=True, ssid=1)
        out += xlate(sid, 0, 0, ssv=True, ssid=5)
    return out

def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    rnd = random.Random(1)
    seeds = {}
    for v in range(8):
        cfg = bytes([v]) + (u64(rnd.getrandbits(64)) if v >= 6 else b'')
        for b, g in ((0x00, 0x00), (0x13, 0x15), (0x2e, 0x22), (0x71, 0x09), (0xff, 0xff)):
            p = cfg + world(b, g) + all_xlates()
            p += cmds([(2, [(1, 2)]), (24, [])])            # CFGI_STE sid 2, SYNC
            p += cmds([(19, []), (25, [])], sync_msi=True)   # NSNH_ALL, SYNC with MSI
            p += all_xlates()
            p += dma(0, 0x1000, 0x2001000, 0x100) + dma(1, 0x10000, 0x3000000, 0x20)
            p += mcpy(0, 0x0, 0x10000, 0x1800, 3)
            seeds[f'world_v{v}_{b:02x}_{g:02x}'] = p
    # field mutations of structures, then translations
    for i in range(40):
        p = bytes([rnd.randrange(8)]) + u64(rnd.getrandbits(64)) + world(rnd.getrandbits(8), rnd.getrandbits(8))
        for _ in range(6):
            k = rnd.randrange(3)
            if k == 0:
                p += bytes([OP_STRUCT, rnd.randrange(4), rnd.randrange(4) | 4, rnd.randrange(64),
                            rnd.getrandbits(8), 0x31 | (rnd.getrandbits(8) & 0xce)]) + bytes(rnd.getrandbits(8) for _ in range(12))
            elif k == 1:
                p += bytes([OP_PTE, 0, rnd.randrange(64), rnd.getrandbits(8)]) + bytes(rnd.getrandbits(8) for _ in range(4))
            else:
                p += bytes([OP_MEMFLIP, 0, rnd.randrange(64), rnd.getrandbits(8)])
            p += cmds([(27, [(2, 0x1f)]), (24, [])]) + all_xlates()[:120]
        seeds[f'mut_{i:02d}'] = p
    # register-level programs without the builders
    for i in range(20):
        p = bytes([rnd.randrange(8)]) + u64(rnd.getrandbits(64))
        for _ in range(40):
            op = rnd.choice([OP_W32, OP_W32, OP_W64, OP_READ, OP_RAW, OP_CMDS, OP_XLATE, OP_GACK, OP_EVTDRAIN,
                             OP_MEM64, OP_IRQMODE, OP_POLL, OP_RESET])
            p += bytes([op]) + bytes(rnd.getrandbits(8) for _ in range(10))
        seeds[f'regs_{i:02d}'] = p
    # stalls: stall CD at ssid 1 of sid 3, then RESUME / STALL_TERM and polls
    for i, (b, g) in enumerate(((0x10, 0), (0x30, 0x40), (0x52, 0xc0), (0x11, 0x41))):
        p = bytes([0 if i < 3 else 2]) + world(b, g) + bytes([OP_IRQMODE, 3])
        p += xlate(3, 5, 0, flags=1, ssv=True, ssid=1) + bytes([OP_POLL, 0xc3, 0, 0, 0, 0, 0, 0])
        p += cmds([(22, [(2, 0x10)]), (24, [])], answer=True) + bytes([OP_POLL, 0xc3, 0, 0, 0, 0, 0, 0])
        p += xlate(4, 5, 0, flags=1) + cmds([(22, [(2, 0x30)]), (24, [])], answer=True)
        p += bytes([OP_POLL, 0xc3, 0, 0, 0, 0, 0, 0]) + xlate(4, 1, 0, flags=1) + xlate(5, 1, 0, flags=1)
        p += xlate(3, 5, 0, flags=0, ssv=True, ssid=1) + cmds([(23, [])], answer=True) + bytes([OP_POLL, 0xc3, 0, 0, 0, 0, 0, 0])
        p += mcpy(0, 0x200000, 0x10000, 0x100, 2) + td_write(0, 0x40 // 4, 0x80000001) + mcpy(0, 0x200000, 0x0, 0x100, 2)
        p += td_write(0, 0x6c // 4, 4) + cmds([(22, []), (24, [])]) + td_read(0, 0x70 // 4)
        seeds[f'stall_{i}'] = p
    # commands left pending (CMDQEN = 0) run from an interrupt raised inside a translation
    for i, mode in enumerate((0x10, 0x30, 0x14, 0x3f)):
        p = bytes([i % 3]) + world(0x03 | (i << 4), 0) + bytes([OP_W32, 0, 1, 2])   # CR0 = SMMUEN | EVENTQEN
        p += cmds([(27, [(2, 0x1f)]), (19, []), (24, [])]) + bytes([OP_IRQMODE, mode])
        for sid in (2, 4, 5, 3):
            p += xlate(sid, 5, 0, flags=1) + xlate(sid, 2, 0) + xlate(sid, 0, 0, ssv=True, ssid=5)
        seeds[f'irqcmd_{i}'] = p
    # the test device's DMA, memcpy and MSI on a stalling context (SID 3, SSID 1)
    for i, b in enumerate((0x00, 0x10, 0x43)):
        p = bytes([0]) + world(b, 0x40) + bytes([OP_IRQMODE, 3 if i else 0])
        p += td_write(0, 0x48 // 4, 3) + td_write(0, 0x40 // 4, 0x80000001)
        p += dma(0, 0x40000000, 0x2000000, 0x20) + dma(0, 0x40000000, 0x2000000, 0x20)
        p += cmds([(23, [])], answer=True) + dma(0, 0x1000, 0x2001000, 0x10)
        p += mcpy(0, 0x40000000, 0x10000, 0x40, 2) + td_write(0, 0x6c // 4, 2)
        p += cmds([(22, [(2, 0x10)]), (24, [])], answer=True) + td_read(0, 0x70 // 4)
        p += td_write(0, 0x90 // 4, 0x40000000) + td_write(0, 0x98 // 4, 0x1234) + td_write(0, 0x9c // 4, 1)
        p += td_read(0, 0xa0 // 4) + td_write(1, 0x90 // 4, 0x1000) + td_write(1, 0x9c // 4, 1)
        seeds[f'testdev_stall_{i}'] = p
    # StreamWorld EL2 / EL2-E2H: STE.STRW of SID 2 and 3, CR2.E2H
    for i, (strw, cr2) in enumerate(((2, 0), (2, 1), (1, 0), (3, 1))):
        p = bytes([0]) + world(0x02, 0x00)
        if cr2:
            p += bytes([OP_W32, 0, 1, 0]) + bytes([OP_W32, 3, 1, 3]) + bytes([OP_W32, 0, 1, 1])  # CR0=0, CR2=7, CR0=0xD
        for tidx in (3, 4):
            p += bytes([OP_STRUCT, 0, 0, tidx, 0x10, 23, 2, strw])
        p += cmds([(27, [(2, 0x1f)]), (24, [])])
        for sid in (2, 3):
            for fl in (0, 1, 2, 4, 5):
                p += xlate(sid, 0, 0x10, flags=fl) + xlate(sid, 2, 0, flags=fl)
        seeds[f'strw_{i}'] = p
    # the Secure side (world byte with bit 7 set, bit 5 clear, then the
    # Secure world's byte): Secure streams through the Secure Stream table
    # (flags SECURE, with and without input NS), the Secure queue's CFGI
    # (SSec 1) and Secure-only TLBIs, Secure DMA of the test devices
    for i, (v, b, g, sel) in enumerate(((0, 0x80, 0x00, 0x00), (0, 0x83, 0x15, 0x5a), (4, 0xc6, 0x22, 0xe4),
                                        (1, 0x9d, 0x40, 0x1b), (2, 0x92, 0x09, 0xa7), (3, 0x81, 0x80, 0x3c),
                                        (1, 0x80, 0x00, 0x00), (5, 0x8b, 0x2a, 0x50), (6, 0xd0, 0x00, 0x0f))):
        p = bytes([v]) + (u64(rnd.getrandbits(64)) if v >= 6 else b'') + world(b, g) + bytes([sel, OP_IRQMODE, 3])
        sx = b''
        for sid in range(10):
            for spot in (0, 1, 2, 5):
                sx += xlate(sid, spot, 0x10, flags=0x10 | (0x20 if spot & 1 else 0) | (sid & 7))
            sx += xlate(sid, 0, 0, flags=0x10, ssv=True, ssid=1)
        p += sx + cmds([(2, [(1, 1), (2, 2)]), (24, [])], secure=True)      # CFGI_STE SSec 1 sid 2, SYNC
        p += cmds([(25, []), (28, []), (31, []), (24, [])], sync_msi=True, secure=True)   # S_EL2_ALL, S_EL2_VA.., SNH_ALL
        p += cmds([(19, []), (9, [(1, 7)]), (24, [])], secure=True)       # NSNH_ALL, NH_VA, SYNC from the Secure queue
        p += sx + td_write(0, 6, 0x9) + dma(0, 0x1000, 0x2001000, 0x40) + td_write(1, 6, 0xb) + dma(1, 0x10000, 0x3000000, 0x20)
        p += bytes([OP_W32, 40, 1, 0])                                     # S_CR0 = 0 (regs[40], a Secure access)
        p += sx[:60] + bytes([OP_W32, 40, 1, 1]) + sx[:60]                  # S_CR0 = 0xD again
        seeds[f'secure_{i}'] = p
    # differential copies (bit 7 of the first byte: the run is repeated with the fast path off)
    for name in sorted(seeds)[::3]:
        seeds['diff_' + name] = bytes([seeds[name][0] | 0x80]) + seeds[name][1:]
    for name, p in seeds.items():
        with open(os.path.join(outdir, name), 'wb') as fh:
            fh.write(p)
    print(len(seeds), 'seeds')

main()
