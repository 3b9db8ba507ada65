/* SPDX-License-Identifier: MIT */
/*
 * Tests of smmuv3_tlm. SystemC runs one simulation per process, so the
 * program runs the one test named by argv[1] (ctest registers each):
 *   regs       register socket: 4/8-byte accesses, error responses for other widths,
 *              byte enables, misaligned and out-of-frame addresses; debug reads; latency
 *   translate  device transactions translated and forwarded; default StreamID;
 *              a transaction split across pages; bypass; IOTLB-hit vs walk latency
 *   abort      abort -> TLM_ADDRESS_ERROR_RESPONSE with the event; RAZ/WI (CD.A=0);
 *              external aborts downstream on a walk and an STE fetch -> F_WALK_EABT,
 *              F_STE_FETCH; an error on the data access; an ATS-translated transaction
 *   stall      a stalled transaction waits in b_transport until the CPU thread answers:
 *              CMD_RESUME retry, CMD_STALL_TERM, CMD_RESUME terminate (RAZ/WI)
 *   irq        EVENTQ, CMD_SYNC and GERROR lines pulse; PRIQ stays low
 *   dmi        upstream DMI granted per translated page and access type, withdrawn by
 *              TLBI (any command), kept across EVENTQ_CONS writes, withdrawn when the
 *              downstream memory withdraws its own; none from a translation that a TLBI
 *              overtook while its access was downstream
 *   malformed  malformed payloads get TLM error responses; the simulation goes on
 *   secure     the Secure programming interface through smmuv3_tlm_ext.secure (RAZ to
 *              Non-secure accesses) and the Secure EVENTQ, CMD_SYNC and GERROR lines
 *              (irq_s_*), never the Non-secure ones
 */
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include <algorithm>

#include "platform.h"

using namespace sc_core;
using tlm::tlm_response_status;

namespace {
int failures = 0;
#define CHECK(cond)                                                                                                \
    do {                                                                                                           \
        if (!(cond)) {                                                                                             \
            std::printf("FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);                                          \
            failures++;                                                                                            \
        }                                                                                                          \
    } while (0)

constexpr uint64_t kMemBase = 0x40000000ull, kMemSize = 0x10000000ull;
constexpr uint64_t kStrtab = 0x41000000ull, kQueues = 0x41100000ull, kTables = 0x42000000ull;
constexpr uint64_t kIova = 0x10000000ull, kPa = 0x48000000ull;     /* SID 8: 64 KiB RW */
constexpr uint64_t kSplitIova = 0x20000000ull;                      /* SID 8: two pages, PAs apart */
constexpr uint64_t kSplitPa0 = 0x49000000ull, kSplitPa1 = 0x4A000000ull;
constexpr uint32_t kSid = 8, kSidRaz = 9, kSidStall = 10, kSidBypass = 11;
constexpr uint16_t kAsid = 5;

struct tb : sc_module {
    tlm_utils::simple_initiator_socket<tb> regs{ "regs" }, mem{ "mem" }, up{ "up" };
    sc_in<bool> irq[4];
    sc_in<bool> sirq[3];   /* Secure EVENTQ, CMD_SYNC, GERROR */
    unsigned posedges[4] = { 0, 0, 0, 0 };
    unsigned s_posedges[3] = { 0, 0, 0 };
    unsigned dmi_invalidations = 0;
    demo_memory *memory = nullptr;
    smmuv3_tlm *smmu = nullptr;
    std::function<void(tb &)> test;
    tlm_driver drv;
    smmuv3_alloc qalloc{}, talloc{};
    smmuv3_space qsp{}, tsp{};
    smmuv3_strtab st{};
    smmuv3_cdtab cds8{}, cds9{}, cds10{};
    smmuv3_pt pt{};
    uint64_t l3_table = 0;   /* the level 3 table holding kIova's leaf */

    SC_HAS_PROCESS(tb);
    explicit tb(sc_module_name n) : sc_module(n), drv(regs, mem)
    {
        up.register_invalidate_direct_mem_ptr(this, &tb::invalidate);
        SC_THREAD(run);
        SC_THREAD(dev_thread);
        SC_METHOD(on_irq);
        for (auto &line : irq)
            sensitive << line.pos();
        dont_initialize();
        SC_METHOD(on_sirq0);
        sensitive << sirq[0].pos();
        dont_initialize();
        SC_METHOD(on_sirq1);
        sensitive << sirq[1].pos();
        dont_initialize();
        SC_METHOD(on_sirq2);
        sensitive << sirq[2].pos();
        dont_initialize();
    }
    void on_sirq0() { s_posedges[0]++; }
    void on_sirq1() { s_posedges[1]++; }
    void on_sirq2() { s_posedges[2]++; }
    /* every Non-secure line that rose in this delta cycle */
    void on_irq()
    {
        for (int l = 0; l < 4; l++)
            if (irq[l].posedge())
                posedges[l]++;
    }

    void invalidate(sc_dt::uint64, sc_dt::uint64) { dmi_invalidations++; }

    /* A second device thread: start(job) runs job there while the caller goes on. */
    std::function<void()> dev_job;
    bool dev_done = false;
    sc_event dev_go;
    void start(std::function<void()> job)
    {
        dev_job = std::move(job);
        dev_done = false;
        dev_go.notify(SC_ZERO_TIME);
        wait(SC_ZERO_TIME);
    }
    void dev_thread()
    {
        for (;;) {
            wait(dev_go);
            dev_job();
            dev_done = true;
        }
    }

    int cd_for(smmuv3_cdtab &cds, bool no_abort, bool stall)
    {
        smmuv3_cd_params cp;
        uint8_t cd[SMMUV3_CD_BYTES];
        int rc = smmuv3_cdtab_init(&cds, &tsp, SMMUV3_S1FMT_LINEAR, 0, SMMUV3_BUILD_ALLOC);
        rc = rc ? rc : smmuv3_cd_params_from_pt(&pt, kAsid, &cp);
        cp.no_abort = no_abort;
        cp.stall = stall;
        rc = rc ? rc : smmuv3_cd_s1(cd, &cp);
        return rc ? rc : smmuv3_cdtab_write_cd(&cds, 0, cd);
    }

    int ste_s1(uint32_t sid, const smmuv3_cdtab &cds)
    {
        uint8_t ste[SMMUV3_STE_BYTES];
        int rc = smmuv3_ste_s1(ste, cds.base, cds.fmt, cds.cdmax);
        return rc ? rc : smmuv3_strtab_write_ste(&st, sid, ste);
    }

    /* SID 8 stage 1 (kIova -> kPa, 64 KiB; kSplitIova's two pages apart), SID 9
     * the same tables with CD.A = 0, SID 10 with CD.S = 1, SID 11 bypass. */
    int setup()
    {
        uint64_t cmdq, eventq;
        uint8_t ste[SMMUV3_STE_BYTES];
        int rc = smmuv3_alloc_init(&qalloc, kQueues, 0x100000);
        rc = rc ? rc : smmuv3_alloc_init(&talloc, kTables, 0x1000000);
        rc = rc ? rc : smmuv3_space_init(&qsp, &drv.host, &qalloc);
        rc = rc ? rc : smmuv3_space_init(&tsp, &drv.host, &talloc);
        rc = rc ? rc : smmuv3_strtab_init_linear(&st, &qsp, 5, kStrtab);
        rc = rc ? rc : smmuv3_space_zalloc(&qsp, 16u << 6, 16u << 6, &cmdq);
        rc = rc ? rc : smmuv3_space_zalloc(&qsp, 32u << 6, 32u << 6, &eventq);
        rc = rc ? rc : smmuv3_pt_init_s1(&pt, &tsp, 12, 16, SMMUV3_BUILD_ALLOC);
        rc = rc ? rc : smmuv3_pt_map(&pt, kIova, kPa, 0x10000, SMMUV3_MAP_RW | SMMUV3_MAP_PAGES, 0);
        rc = rc ? rc : smmuv3_pt_map(&pt, kSplitIova, kSplitPa0, 0x1000, SMMUV3_MAP_RW, 0);
        rc = rc ? rc : smmuv3_pt_map(&pt, kSplitIova + 0x1000, kSplitPa1, 0x1000, SMMUV3_MAP_RW, 0);
        rc = rc ? rc : smmuv3_pt_desc_addr(&pt, kIova, 2, false, &l3_table);
        rc = rc ? rc : cd_for(cds8, false, false);
        rc = rc ? rc : cd_for(cds9, true, false);
        rc = rc ? rc : cd_for(cds10, false, true);
        rc = rc ? rc : ste_s1(kSid, cds8);
        rc = rc ? rc : ste_s1(kSidRaz, cds9);
        rc = rc ? rc : ste_s1(kSidStall, cds10);
        rc = rc ? rc : smmuv3_ste_bypass(ste);
        rc = rc ? rc : smmuv3_strtab_write_ste(&st, kSidBypass, ste);
        if (rc)
            return rc;
        /* l3_table holds the level 2 descriptor's address; follow it */
        uint64_t desc = 0;
        drv.host.read(drv.host.ctx, l3_table, &desc, 8);
        l3_table = desc & 0x0000FFFFFFFFF000ull;
        const uint32_t irq_ctrl = static_cast<uint32_t>(tlm_driver::field("irq_ctrl", "eventq_irqen", 1) |
                                                        tlm_driver::field("irq_ctrl", "gerror_irqen", 1));
        return drv.init(st, cmdq, 6, eventq, 6, irq_ctrl);
    }

    void run()
    {
        int rc = setup();
        CHECK(rc == 0);
        if (rc == 0)
            test(*this);
    }

    /* A device transaction on the upstream socket. */
    tlm_response_status xfer(bool write, uint64_t addr, void *buf, unsigned len, const smmuv3_tlm_ext *ext,
                             sc_time *delay_out = nullptr, bool *dmi_allowed = nullptr)
    {
        tlm::tlm_generic_payload p;
        sc_time delay = SC_ZERO_TIME;
        p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        p.set_address(addr);
        p.set_data_ptr(static_cast<unsigned char *>(buf));
        p.set_data_length(len);
        p.set_streaming_width(len);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (ext)
            p.set_extension(new smmuv3_tlm_ext(*ext));
        up->b_transport(p, delay);
        if (delay_out)
            *delay_out = delay;
        if (dmi_allowed)
            *dmi_allowed = p.is_dmi_allowed();
        wait(delay);
        return p.get_response_status();
    }

    /* Pops events; true when one has this EventID and StreamID. */
    bool event_seen(unsigned id, uint32_t sid, uint8_t *out = nullptr)
    {
        uint8_t rec[SMMUV3_EVENT_BYTES];
        bool seen = false;
        while (drv.event_pop(rec) == 1)
            if (tlm_driver::event_field(rec, "eventid") == id && tlm_driver::event_field(rec, "streamid") == sid) {
                seen = true;
                if (out)
                    std::memcpy(out, rec, SMMUV3_EVENT_BYTES);
            }
        return seen;
    }
};

smmuv3_tlm_ext ext_for(uint32_t sid)
{
    smmuv3_tlm_ext e;
    e.sid = sid;
    return e;
}

/* A payload with every attribute under the test's control, response INCOMPLETE. */
void fill(tlm::tlm_generic_payload &p, tlm::tlm_command cmd, uint64_t addr, unsigned char *data, unsigned len,
          unsigned sw, unsigned char *be, unsigned be_len)
{
    p.set_command(cmd);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(sw);
    p.set_byte_enable_ptr(be);
    p.set_byte_enable_length(be_len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

/* A raw access (register frame or upstream) with every payload attribute under the test's control. */
tlm_response_status raw(tlm_utils::simple_initiator_socket<tb> &s, tlm::tlm_command cmd, uint64_t addr,
                        unsigned char *data, unsigned len, unsigned sw, unsigned char *be = nullptr,
                        unsigned be_len = 0, sc_time *delay_out = nullptr)
{
    tlm::tlm_generic_payload p;
    sc_time delay = SC_ZERO_TIME;
    fill(p, cmd, addr, data, len, sw, be, be_len);
    s->b_transport(p, delay);
    if (delay_out)
        *delay_out = delay;
    return p.get_response_status();
}

void test_regs(tb &t)
{
    smmuv3 *m = t.smmu->model();
    unsigned char b[16];
    sc_time d;
    /* 4-byte read: the model's IDR0, with the register latency */
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x0, b, 4, 4, nullptr, 0, &d) == tlm::TLM_OK_RESPONSE);
    uint32_t idr0;
    std::memcpy(&idr0, b, 4);
    CHECK(idr0 == static_cast<uint32_t>(smmuv3_mmio_read(m, 0x0, 4)));
    CHECK(d == t.smmu->timing.reg_access);
    /* 8-byte write and read of a 64-bit register, and its halves (the IRQ_CFG
     * registers are writable while their interrupt is disabled) */
    t.drv.wr32(tlm_driver::reg("irq_ctrl"), 0);
    const uint32_t gcfg0 = tlm_driver::reg("gerror_irq_cfg0");
    const uint64_t v = 0x0000123456789A00ull & 0x000FFFFFFFFFFFFCull;
    std::memcpy(b, &v, 8);
    CHECK(raw(t.regs, tlm::TLM_WRITE_COMMAND, gcfg0, b, 8, 8) == tlm::TLM_OK_RESPONSE);
    std::memset(b, 0, sizeof(b));
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, gcfg0, b, 8, 8) == tlm::TLM_OK_RESPONSE);
    uint64_t r64;
    std::memcpy(&r64, b, 8);
    CHECK(r64 == smmuv3_mmio_read(m, gcfg0, 8));
    CHECK(r64 == v);
    CHECK(t.drv.rd32(gcfg0 + 4) == static_cast<uint32_t>(v >> 32));
    CHECK(t.drv.rd32(tlm_driver::reg("eventq_prod")) == static_cast<uint32_t>(smmuv3_mmio_read(m, 0x100a8, 4)));
    /* other widths: burst errors; byte enables; misaligned and out-of-frame addresses */
    for (unsigned len : { 1u, 2u, 3u, 16u })
        CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x0, b, len, len) == tlm::TLM_BURST_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_WRITE_COMMAND, 0x20, b, 2, 2) == tlm::TLM_BURST_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x0, b, 8, 4) == tlm::TLM_BURST_ERROR_RESPONSE);
    unsigned char be[4] = { 0xff, 0xff, 0, 0 };
    CHECK(raw(t.regs, tlm::TLM_WRITE_COMMAND, 0x20, b, 4, 4, be, 4) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x22, b, 4, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x84, b, 8, 8) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, smmuv3_tlm::frame_size, b, 4, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, ~0ull - 3, b, 4, 4) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    /* an unimplemented offset inside the frame is the model's business: RAZ/WI */
    std::memset(b, 0xAA, 4);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x1F000, b, 4, 4) == tlm::TLM_OK_RESPONSE);
    CHECK(b[0] == 0 && b[3] == 0);
    /* debug reads: no time, same value; debug writes are refused */
    tlm::tlm_generic_payload p;
    p.set_command(tlm::TLM_READ_COMMAND);
    p.set_address(0x0);
    p.set_data_ptr(b);
    p.set_data_length(4);
    CHECK(t.regs->transport_dbg(p) == 4);
    std::memcpy(&idr0, b, 4);
    CHECK(idr0 == static_cast<uint32_t>(smmuv3_mmio_read(m, 0x0, 4)));
    p.set_command(tlm::TLM_WRITE_COMMAND);
    CHECK(t.regs->transport_dbg(p) == 0);
    CHECK(!t.drv.bus_error);
}

void test_translate(tb &t)
{
    smmuv3_tlm_ext e = ext_for(kSid);
    uint64_t w = 0x1122334455667788ull, r = 0, got = 0;
    CHECK(t.xfer(true, kIova + 0x10, &w, 8, &e) == tlm::TLM_OK_RESPONSE);
    CHECK(t.memory->peek(kPa + 0x10, &got, 8) && got == w);
    CHECK(t.xfer(false, kIova + 0x10, &r, 8, &e) == tlm::TLM_OK_RESPONSE && r == w);
    /* no extension: the default StreamID (8) */
    r = 0;
    CHECK(t.xfer(false, kIova + 0x10, &r, 8, nullptr) == tlm::TLM_OK_RESPONSE && r == w);
    /* 16 bytes across two pages whose PAs are apart: split per page */
    unsigned char buf[16], back[16];
    for (int i = 0; i < 16; i++)
        buf[i] = static_cast<unsigned char>(0xA0 + i);
    CHECK(t.xfer(true, kSplitIova + 0xFF8, buf, 16, &e) == tlm::TLM_OK_RESPONSE);
    CHECK(t.memory->peek(kSplitPa0 + 0xFF8, back, 8) && std::memcmp(back, buf, 8) == 0);
    CHECK(t.memory->peek(kSplitPa1, back, 8) && std::memcmp(back, buf + 8, 8) == 0);
    std::memset(back, 0, sizeof(back));
    CHECK(t.xfer(false, kSplitIova + 0xFF8, back, 16, &e) == tlm::TLM_OK_RESPONSE);
    CHECK(std::memcmp(back, buf, 16) == 0);
    /* the pieces are payloads of their own: the initiator's attributes are not overwritten */
    tlm::tlm_generic_payload q;
    sc_time qd = SC_ZERO_TIME;
    unsigned pieces = 0, overwritten = 0;
    fill(q, tlm::TLM_READ_COMMAND, kSplitIova + 0xFF8, back, 16, 16, nullptr, 0);
    t.memory->seen = [&](const tlm::tlm_generic_payload &d) {
        pieces++;
        overwritten += &d == &q && (d.get_data_length() != 16 || d.get_data_ptr() != back);
    };
    t.up->b_transport(q, qd);
    t.memory->seen = nullptr;
    CHECK(q.is_response_ok() && pieces >= 2 && overwritten == 0 && std::memcmp(back, buf, 16) == 0);
    /* bypass STE: output address = input address */
    smmuv3_tlm_ext eb = ext_for(kSidBypass);
    CHECK(t.xfer(true, kPa + 0x100000, &w, 8, &eb) == tlm::TLM_OK_RESPONSE);
    CHECK(t.memory->peek(kPa + 0x100000, &got, 8) && got == w);
    /* latency: after TLBI a walk costs four descriptor reads (4K granule, 48-bit
     * input); the next access to the page is an IOTLB hit */
    CHECK(t.drv.tlbi_nsnh_all() == 0);
    t.smmu->dmi_downstream = false;   /* every SMMU read goes through b_transport (memory latency added) */
    sc_time d1, d2;
    CHECK(t.xfer(false, kIova + 0x2000, &r, 8, &e, &d1) == tlm::TLM_OK_RESPONSE);
    CHECK(t.xfer(false, kIova + 0x2008, &r, 8, &e, &d2) == tlm::TLM_OK_RESPONSE);
    const smmuv3_tlm_timing &tm = t.smmu->timing;
    CHECK(d1 >= 4 * (tm.descriptor_read + t.memory->latency) + t.memory->latency);
    CHECK(d2 == tm.iotlb_hit + t.memory->latency);
    smmuv3_stats s;
    smmuv3_get_stats(t.smmu->model(), &s);
    CHECK(s.translations >= 8 && s.tlb_hits >= 1);
    uint8_t rec[SMMUV3_EVENT_BYTES];
    CHECK(t.drv.event_pop(rec) == 0);   /* no faults */
}

void test_abort(tb &t)
{
    smmuv3_tlm_ext e = ext_for(kSid);
    uint64_t v = 0x5555555555555555ull, got = 0;
    /* translation fault, CD.A = 1: abort, F_TRANSLATION recorded */
    CHECK(t.xfer(true, kIova + 0x100000, &v, 8, &e) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    uint8_t rec[SMMUV3_EVENT_BYTES];
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSid, rec));
    CHECK(tlm_driver::event_field(rec, "inputaddr") == kIova + 0x100000);
    /* CD.A = 0: RAZ/WI, OK response; reads zeros, writes dropped */
    smmuv3_tlm_ext er = ext_for(kSidRaz);
    uint64_t r = ~0ull;
    CHECK(t.xfer(false, kIova + 0x100000, &r, 8, &er) == tlm::TLM_OK_RESPONSE && r == 0);
    CHECK(t.xfer(true, kIova + 0x100000, &v, 8, &er) == tlm::TLM_OK_RESPONSE);
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSidRaz));
    /* a RAZ read leaves the bytes its byte enables disable alone */
    unsigned char rb[8], rbe[2] = { 0xFF, 0x00 };
    tlm::tlm_generic_payload q;
    sc_time qd = SC_ZERO_TIME;
    std::memset(rb, 0xAA, 8);
    fill(q, tlm::TLM_READ_COMMAND, kIova + 0x100000, rb, 8, 8, rbe, 2);
    q.set_extension(new smmuv3_tlm_ext(er));
    t.up->b_transport(q, qd);
    CHECK(q.is_response_ok() && rb[0] == 0 && rb[1] == 0xAA && rb[6] == 0 && rb[7] == 0xAA);
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSidRaz));
    /* external abort on the level 3 table: F_WALK_EABT */
    CHECK(t.drv.tlbi_nsnh_all() == 0);
    t.memory->add_abort(t.l3_table, t.l3_table + 0xFFF);
    CHECK(t.xfer(false, kIova, &r, 8, &e) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    t.memory->clear_aborts();
    CHECK(t.event_seen(SMMUV3_EVT_F_WALK_EABT, kSid));
    CHECK(t.xfer(false, kIova, &r, 8, &e) == tlm::TLM_OK_RESPONSE);
    /* external abort on the STE fetch: F_STE_FETCH */
    CHECK(t.drv.cfgi_ste(kSid) == 0);
    t.memory->add_abort(kStrtab, kStrtab + 0xFFF);
    CHECK(t.xfer(false, kIova, &r, 8, &e) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    t.memory->clear_aborts();
    CHECK(t.event_seen(SMMUV3_EVT_F_STE_FETCH, kSid));
    /* an error on the data access itself comes back unchanged */
    t.memory->add_abort(kPa, kPa + 0xFFF);
    CHECK(t.xfer(true, kIova, &v, 8, &e) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    t.memory->clear_aborts();
    CHECK(t.memory->peek(kPa, &got, 8) && got != v);
    /* ATS-translated: the default profile has ATS and CR0.ATSCHK is 0, so
     * the address is a PA passed through unchecked (IHI 0070 3.9.1.3) */
    smmuv3_tlm_ext ea = e;
    ea.ats_translated = true;
    CHECK(t.xfer(false, kPa, &r, 8, &ea) == tlm::TLM_OK_RESPONSE);
    CHECK(t.memory->peek(kPa, &got, 8) && got == r);
}

void test_stall(tb &t)
{
    smmuv3_tlm_ext e = ext_for(kSidStall);
    const uint64_t iova = kIova + 0x200000;
    uint64_t v = 0xC0FFEEull, got = 0;
    tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_time done_at;
    /* 1. stall, then the CPU maps the page and answers CMD_RESUME (retry) */
    t.start([&]() {
        st = t.xfer(true, iova, &v, 8, &e);
        done_at = sc_time_stamp();
    });
    wait(100, SC_NS);
    uint8_t rec[SMMUV3_EVENT_BYTES];
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSidStall, rec));
    CHECK(tlm_driver::event_field(rec, "stall") == 1);
    CHECK(!t.dev_done && st == tlm::TLM_INCOMPLETE_RESPONSE);
    CHECK(t.smmu->stalls_waited() == 1);
    /* the stalled transaction holds no lock: another StreamID's traffic goes on */
    smmuv3_tlm_ext e8 = ext_for(kSid);
    uint64_t other = 0;
    CHECK(t.xfer(false, kIova, &other, 8, &e8) == tlm::TLM_OK_RESPONSE);
    CHECK(!t.dev_done);
    CHECK(smmuv3_pt_map(&t.pt, iova, kPa + 0x8000, 0x1000, SMMUV3_MAP_RW, 0) == 0);
    wait(100, SC_NS);
    CHECK(!t.dev_done);   /* still waiting: software has not answered */
    const sc_time resumed_at = sc_time_stamp();
    CHECK(t.drv.resume(kSidStall, static_cast<uint16_t>(tlm_driver::event_field(rec, "stag")), 1) == 0);
    wait(100, SC_NS);
    CHECK(t.dev_done && st == tlm::TLM_OK_RESPONSE);
    CHECK(done_at >= resumed_at);
    CHECK(t.memory->peek(kPa + 0x8000, &got, 8) && got == v);
    /* 2. stall, CMD_STALL_TERM: abort */
    st = tlm::TLM_INCOMPLETE_RESPONSE;
    t.start([&]() { st = t.xfer(true, iova + 0x1000, &v, 8, &e); });
    wait(100, SC_NS);
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSidStall));
    CHECK(!t.dev_done);
    CHECK(t.drv.stall_term(kSidStall) == 0);
    wait(100, SC_NS);
    CHECK(t.dev_done && st == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    /* 3. stall, CMD_RESUME terminate without abort: RAZ/WI (IDR0.TERM_MODEL = 0) */
    uint64_t r = ~0ull;
    st = tlm::TLM_INCOMPLETE_RESPONSE;
    t.start([&]() { st = t.xfer(false, iova + 0x1000, &r, 8, &e); });
    wait(100, SC_NS);
    CHECK(t.event_seen(SMMUV3_EVT_F_TRANSLATION, kSidStall, rec));
    CHECK(t.drv.resume(kSidStall, static_cast<uint16_t>(tlm_driver::event_field(rec, "stag")), 0) == 0);
    wait(100, SC_NS);
    CHECK(t.dev_done && st == tlm::TLM_OK_RESPONSE && r == 0);
    CHECK(t.smmu->stalls_waited() == 3);
}

void test_irq(tb &t)
{
    smmuv3_tlm_ext e = ext_for(kSid);
    uint64_t r;
    /* EVENTQ: a fault recorded */
    CHECK(t.xfer(false, kIova + 0x100000, &r, 8, &e) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    wait(10, SC_NS);
    CHECK(t.posedges[SMMUV3_IRQ_EVENTQ] == 1);
    CHECK(t.smmu->irq_edges(SMMUV3_IRQ_EVENTQ) == 1);
    CHECK(!t.smmu->irq_eventq.read());   /* a pulse: low again */
    /* CMD_SYNC with CS = SIG_IRQ */
    CHECK(t.posedges[SMMUV3_IRQ_CMD_SYNC] == 0);
    CHECK(t.drv.sync(1) == 0);
    wait(10, SC_NS);
    CHECK(t.posedges[SMMUV3_IRQ_CMD_SYNC] == 1);
    /* GERROR: an illegal command sets GERROR.CMDQ_ERR */
    CHECK(t.posedges[SMMUV3_IRQ_GERROR] == 0);
    uint8_t bad[SMMUV3_CMD_BYTES] = { 0x7F };
    CHECK(t.drv.submit(bad) != 0);
    CHECK(t.drv.cmdq_err() == SMMUV3_CERROR_ILL);
    wait(10, SC_NS);
    CHECK(t.posedges[SMMUV3_IRQ_GERROR] == 1);
    /* no PRI: the PRIQ line never moves */
    CHECK(t.posedges[SMMUV3_IRQ_PRIQ] == 0);
}

/* A register access with the security state given (smmuv3_tlm_ext.secure). */
uint64_t sreg(tb &t, bool secure, bool write, const char *name, uint64_t v = 0)
{
    const smmuv3_reg *r = smmuv3_reg_find(name);
    CHECK(r != nullptr);
    if (!r)
        return 0;
    tlm::tlm_generic_payload p;
    sc_time delay = SC_ZERO_TIME;
    p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(r->offset);
    p.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
    p.set_data_length(r->size);
    p.set_streaming_width(r->size);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    smmuv3_tlm_ext e;
    e.secure = secure;
    p.set_extension(new smmuv3_tlm_ext(e));
    t.regs->b_transport(p, delay);
    wait(delay);
    CHECK(p.get_response_status() == tlm::TLM_OK_RESPONSE);
    return r->size == 4 ? v & 0xFFFFFFFFu : v;
}

/* The Secure side (IHI 0070 3.10.2.1): programmed through Secure register
 * accesses, its Event queue, CMD_SYNC and GERROR interrupts pulse irq_s_*,
 * never the Non-secure lines. */
void test_secure(tb &t)
{
    constexpr uint64_t kS = 0x43000000ull;   /* Secure Stream table (zeroed: no valid STE), queues */
    const unsigned ns_before[4] = { t.posedges[0], t.posedges[1], t.posedges[2], t.posedges[3] };
    CHECK(sreg(t, false, false, "s_idr1") == 0);                 /* RAZ to Non-secure accesses */
    CHECK((sreg(t, true, false, "s_idr1") >> 31) == 1);          /* SECURE_IMPL */
    sreg(t, true, true, "s_strtab_base", kS);
    sreg(t, true, true, "s_strtab_base_cfg", 4);
    sreg(t, true, true, "s_cmdq_base", (kS + 0x10000) | 2);
    sreg(t, true, true, "s_eventq_base", (kS + 0x20000) | 2);
    sreg(t, true, true, "s_irq_ctrl", 5);                        /* GERROR_IRQEN, EVENTQ_IRQEN */
    sreg(t, true, true, "s_cr0", 0xD);                           /* SMMUEN, EVENTQEN, CMDQEN */
    CHECK(sreg(t, true, false, "s_cr0ack") == 0xD);
    CHECK(sreg(t, false, false, "s_cr0ack") == 0);
    /* a Secure stream with an invalid Secure STE: C_BAD_STE in the Secure Event queue */
    smmuv3_tlm_ext ss = ext_for(3);
    ss.secure = true;
    uint64_t r = 0;
    CHECK(t.xfer(false, 0x1000, &r, 8, &ss) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    wait(10, SC_NS);
    CHECK(sreg(t, true, false, "s_eventq_prod") == 1);
    CHECK(t.s_posedges[0] == 1);
    CHECK(t.smmu->s_irq_edges(SMMUV3_IRQ_EVENTQ) == 1);
    /* a Secure CMD_SYNC with CS = SIG_IRQ */
    uint8_t cmd[SMMUV3_CMD_BYTES] = { 0x46, 0x10 };
    CHECK(t.drv.host.write(t.drv.host.ctx, kS + 0x10000, cmd, sizeof(cmd)) == 0);
    sreg(t, true, true, "s_cmdq_prod", 1);
    wait(10, SC_NS);
    CHECK(t.s_posedges[1] == 1);
    /* an illegal command: S_GERROR.CMDQ_ERR */
    uint8_t bad[SMMUV3_CMD_BYTES] = { 0x7F };
    CHECK(t.drv.host.write(t.drv.host.ctx, kS + 0x10000 + 16, bad, sizeof(bad)) == 0);
    sreg(t, true, true, "s_cmdq_prod", 2);
    wait(10, SC_NS);
    CHECK((sreg(t, true, false, "s_gerror") & 1) == 1);
    CHECK(t.s_posedges[2] == 1);
    CHECK(t.smmu->s_irq_edges(SMMUV3_IRQ_GERROR) == 1);
    /* none of it on the Non-secure lines */
    for (int l = 0; l < 4; l++)
        CHECK(t.posedges[l] == ns_before[l]);
    CHECK(t.smmu->irq_edges(SMMUV3_IRQ_GERROR) == 0);
    CHECK(sreg(t, false, false, "gerror") == 0);
}

void test_dmi(tb &t)
{
    smmuv3_tlm_ext e = ext_for(kSid);
    uint64_t v = 0xD1D1D1D1ull, r = 0, got = 0;
    bool allowed = false;
    tlm::tlm_generic_payload p;
    tlm::tlm_dmi dmi;
    p.set_address(kIova + 0x3000);
    p.set_extension(new smmuv3_tlm_ext(e));
    /* nothing translated yet: no DMI (and no fault recorded by asking) */
    p.set_command(tlm::TLM_READ_COMMAND);
    CHECK(!t.up->get_direct_mem_ptr(p, dmi));
    uint8_t rec[SMMUV3_EVENT_BYTES];
    CHECK(t.drv.event_pop(rec) == 0);
    /* a translated write: DMI allowed, granted for writes on that page only */
    CHECK(t.xfer(true, kIova + 0x3000, &v, 8, &e, nullptr, &allowed) == tlm::TLM_OK_RESPONSE && allowed);
    dmi.init();
    p.set_command(tlm::TLM_WRITE_COMMAND);
    CHECK(t.up->get_direct_mem_ptr(p, dmi));
    CHECK(dmi.get_start_address() == kIova + 0x3000 && dmi.get_end_address() == kIova + 0x3FFF);
    CHECK(dmi.is_write_allowed() && !dmi.is_read_allowed());
    const uint32_t w = 0xFEEDF00Du;
    std::memcpy(dmi.get_dmi_ptr() + 0x40, &w, 4);
    uint32_t g32 = 0;
    CHECK(t.memory->peek(kPa + 0x3040, &g32, 4) && g32 == w);
    /* after a translated read too: read-write */
    CHECK(t.xfer(false, kIova + 0x3000, &r, 8, &e) == tlm::TLM_OK_RESPONSE && r == v);
    dmi.init();
    CHECK(t.up->get_direct_mem_ptr(p, dmi) && dmi.is_read_write_allowed());
    /* another StreamID's attributes do not share it */
    tlm::tlm_generic_payload q;
    q.set_address(kIova + 0x3000);
    q.set_command(tlm::TLM_READ_COMMAND);
    q.set_extension(new smmuv3_tlm_ext(ext_for(kSidRaz)));
    CHECK(!t.up->get_direct_mem_ptr(q, dmi));
    /* EVENTQ_CONS writes keep it */
    const unsigned before = t.dmi_invalidations;
    t.drv.wr32(tlm_driver::reg("eventq_cons"), t.drv.rd32(tlm_driver::reg("eventq_cons")));
    CHECK(t.dmi_invalidations == before);
    /* unmap + TLBI_NH_VA: withdrawn; the page faults afterwards */
    CHECK(smmuv3_pt_unmap(&t.pt, kIova + 0x3000, 0x1000) == 0);
    CHECK(t.drv.tlbi_nh_va(kAsid, kIova + 0x3000) == 0);
    CHECK(t.dmi_invalidations == before + 1);
    CHECK(t.smmu->upstream_dmi_invalidations() == 1);
    dmi.init();
    CHECK(!t.up->get_direct_mem_ptr(p, dmi));
    CHECK(t.xfer(false, kIova + 0x3000, &r, 8, &e) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    /* the downstream memory withdrawing its DMI withdraws the SMMU's */
    CHECK(t.xfer(false, kIova + 0x4000, &r, 8, &e) == tlm::TLM_OK_RESPONSE);
    p.set_address(kIova + 0x4000);
    p.set_command(tlm::TLM_READ_COMMAND);
    CHECK(t.up->get_direct_mem_ptr(p, dmi));
    t.memory->add_abort(kMemBase + kMemSize - 0x1000, kMemBase + kMemSize - 1);
    CHECK(t.dmi_invalidations == before + 2);
    t.memory->clear_aborts();
    CHECK(t.memory->peek(kPa + 0x4000, &got, 8));
    /* a TLBI while the translated access is downstream: no grant from that translation afterwards */
    CHECK(t.xfer(false, kIova + 0x5000, &r, 8, &e) == tlm::TLM_OK_RESPONSE);
    t.memory->hook = [&]() {
        CHECK(smmuv3_pt_unmap(&t.pt, kIova + 0x5000, 0x1000) == 0);
        CHECK(t.drv.tlbi_nh_va(kAsid, kIova + 0x5000) == 0);
    };
    CHECK(t.xfer(false, kIova + 0x5000, &r, 8, &e) == tlm::TLM_OK_RESPONSE);
    p.set_address(kIova + 0x5000);
    dmi.init();
    CHECK(!t.up->get_direct_mem_ptr(p, dmi));
}

void test_malformed(tb &t)
{
    unsigned char b[32] = { 0 };
    auto up = [&](tlm::tlm_command cmd, uint64_t addr, unsigned char *data, unsigned len, unsigned sw,
                  unsigned char *be = nullptr, unsigned be_len = 0) {
        return raw(t.up, cmd, addr, data, len, sw, be, be_len);
    };
    const tlm::tlm_command bogus = static_cast<tlm::tlm_command>(3); /* in the enum's range, not a command */
    CHECK(up(tlm::TLM_READ_COMMAND, kIova, nullptr, 8, 8) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(up(tlm::TLM_READ_COMMAND, kIova, b, 0, 0) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(up(tlm::TLM_READ_COMMAND, kIova, b, 8, 0) == tlm::TLM_BURST_ERROR_RESPONSE);
    CHECK(up(tlm::TLM_WRITE_COMMAND, kIova, b, 8, 8, b, 0) == tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    CHECK(up(tlm::TLM_READ_COMMAND, ~0ull - 3, b, 8, 8) == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    CHECK(up(bogus, kIova, b, 8, 8) == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(up(tlm::TLM_IGNORE_COMMAND, kIova, b, 8, 8) == tlm::TLM_OK_RESPONSE);
    CHECK(raw(t.regs, bogus, 0x0, b, 4, 4) == tlm::TLM_COMMAND_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x0, nullptr, 4, 4) == tlm::TLM_GENERIC_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_READ_COMMAND, 0x0, b, 4, 0) == tlm::TLM_BURST_ERROR_RESPONSE);
    CHECK(raw(t.regs, tlm::TLM_IGNORE_COMMAND, 0x0, b, 4, 4) == tlm::TLM_OK_RESPONSE);
    /* well-formed but unusual: byte enables (kept per byte across the page split) */
    unsigned char be[2] = { 0xFF, 0x00 }, data[16];
    for (int i = 0; i < 16; i++)
        data[i] = static_cast<unsigned char>(0x10 + i);
    unsigned char zero[16] = { 0 };
    t.memory->poke(kSplitPa0 + 0xFF8, zero, 8);
    t.memory->poke(kSplitPa1, zero, 8);
    CHECK(up(tlm::TLM_WRITE_COMMAND, kSplitIova + 0xFF8, data, 16, 16, be, 2) == tlm::TLM_OK_RESPONSE);
    unsigned char m[16];
    t.memory->peek(kSplitPa0 + 0xFF8, m, 8);
    t.memory->peek(kSplitPa1, m + 8, 8);
    for (int i = 0; i < 16; i++)
        CHECK(m[i] == ((i % 2) ? 0 : data[i]));
    /* a streaming burst: 16 bytes through a 4-byte window */
    CHECK(up(tlm::TLM_WRITE_COMMAND, kIova + 0x500, data, 16, 4) == tlm::TLM_OK_RESPONSE);
    uint32_t w = 0;
    CHECK(t.memory->peek(kPa + 0x500, &w, 4) && std::memcmp(&w, data + 12, 4) == 0);
    CHECK(up(tlm::TLM_WRITE_COMMAND, kSplitIova + 0xFFE, data, 16, 4) == tlm::TLM_BURST_ERROR_RESPONSE);
    /* and the simulation goes on: a normal transaction still works */
    uint64_t r = 0;
    CHECK(t.xfer(false, kIova + 0x500, &r, 4, nullptr) == tlm::TLM_OK_RESPONSE);
    CHECK(!t.drv.bus_error);
    /* re-entry: a device transaction issued from inside the SMMU's own memory
     * access (same process) is refused, not deadlocked */
    t.smmu->dmi_downstream = false;
    CHECK(t.drv.tlbi_nsnh_all() == 0);
    tlm_response_status nested = tlm::TLM_INCOMPLETE_RESPONSE;
    unsigned char nb[4];
    t.memory->hook = [&]() { nested = up(tlm::TLM_READ_COMMAND, kIova, nb, 4, 4); };
    CHECK(t.xfer(false, kIova + 0x500, &r, 4, nullptr) == tlm::TLM_OK_RESPONSE);
    CHECK(nested == tlm::TLM_GENERIC_ERROR_RESPONSE);
    /* random payloads on both sockets (fixed seed): every one gets a response.
     * Writes carry zeros so that no table can turn into a stalling one;
     * StreamID 10 (the stalling CD) is never used. */
    uint64_t x = 0x9E3779B97F4A7C15ull;
    auto rnd = [&x]() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    std::vector<unsigned char> buf(0x3000), bes(64);
    unsigned ok = 0, errors = 0;
    for (int i = 0; i < 3000; i++) {
        const bool regs = rnd() % 3 == 0;
        const tlm::tlm_command cmd = static_cast<tlm::tlm_command>(rnd() % 4);
        const unsigned len = rnd() % 4 == 0 ? static_cast<unsigned>(rnd() % buf.size()) : 1u << (rnd() % 4);
        const unsigned sw = rnd() % 4 == 0 ? static_cast<unsigned>(rnd() % (len + 1)) : len;
        const unsigned be_len = rnd() % 5 == 0 ? static_cast<unsigned>(rnd() % bes.size()) : 0;
        for (auto &b8 : bes)
            b8 = rnd() % 2 ? 0xFF : 0x00;
        unsigned char *data = rnd() % 16 ? buf.data() : nullptr;
        if (cmd == tlm::TLM_WRITE_COMMAND)
            std::fill(buf.begin(), buf.end(), 0);
        uint64_t addr;
        switch (rnd() % 4) {
        case 0: addr = rnd(); break;
        case 1: addr = rnd() % (regs ? 0x20100 : 0x40000); break;
        case 2: addr = kIova + rnd() % 0x20000; break;
        default: addr = kSplitIova + 0xF00 + rnd() % 0x200; break;
        }
        tlm::tlm_generic_payload p;
        sc_time delay = SC_ZERO_TIME;
        fill(p, cmd, addr, data, len, sw, be_len || rnd() % 7 == 0 ? bes.data() : nullptr, be_len);
        if (rnd() % 4) {
            smmuv3_tlm_ext *e = new smmuv3_tlm_ext;
            do
                e->sid = static_cast<uint32_t>(rnd() % 40);
            while (e->sid == kSidStall);
            e->ssv = rnd() % 2;
            e->ssid = static_cast<uint32_t>(rnd() % 4);
            e->priv = rnd() % 2;
            e->inst = rnd() % 4 == 0;
            e->ats_translated = rnd() % 8 == 0;
            p.set_extension(e);
        }
        if (regs)
            t.regs->b_transport(p, delay);
        else
            t.up->b_transport(p, delay);
        wait(delay);
        CHECK(p.get_response_status() != tlm::TLM_INCOMPLETE_RESPONSE);
        (p.get_response_status() == tlm::TLM_OK_RESPONSE ? ok : errors)++;
    }
    std::printf("random payloads: %u OK, %u error responses\n", ok, errors);
    CHECK(ok > 0 && errors > 0);
}

std::function<void(tb &)> find_test(const std::string &name)
{
    static const std::pair<const char *, void (*)(tb &)> tests[] = {
        { "regs", test_regs }, { "translate", test_translate }, { "abort", test_abort }, { "stall", test_stall },
        { "irq", test_irq },   { "dmi", test_dmi },             { "malformed", test_malformed },
        { "secure", test_secure },
    };
    for (const auto &t : tests)
        if (name == t.first)
            return t.second;
    return nullptr;
}

} // namespace

int sc_main(int argc, char *argv[])
{
    const std::string name = argc > 1 ? argv[1] : "";
    std::function<void(tb &)> fn = find_test(name);
    if (!fn) {
        std::printf("usage: test_systemc regs|translate|abort|stall|irq|dmi|malformed|secure\n");
        return 2;
    }
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    demo_memory memory("memory", kMemBase, kMemSize);
    smmuv3_tlm smmu("smmu", cfg, kSid);
    tb t("tb");
    sc_signal<bool> irq[4];
    t.memory = &memory;
    t.smmu = &smmu;
    t.test = fn;
    t.regs.bind(smmu.regs);
    t.mem.bind(memory.socket);
    t.up.bind(smmu.upstream);
    wire_smmu(smmu, memory, irq);
    for (int l = 0; l < 4; l++)
        t.irq[l](irq[l]);
    sc_signal<bool> sirq[3];
    smmu.irq_s_eventq(sirq[0]);
    smmu.irq_s_cmd_sync(sirq[1]);
    smmu.irq_s_gerror(sirq[2]);
    for (int l = 0; l < 3; l++)
        t.sirq[l](sirq[l]);
    sc_start();
    std::printf("%s: %s\n", name.c_str(), failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
