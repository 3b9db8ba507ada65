/* SPDX-License-Identifier: MIT */
/*
 * Tests of smmuv3_tlm (the bench: systemc_tb.h; secure and malformed:
 * test_systemc_more.cpp). SystemC runs one simulation per process, so the
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
 *   irq        EVENTQ, CMD_SYNC and GERROR lines pulse (at their cause's local time); PRIQ stays low
 *   dmi        upstream DMI granted per translated page and access type, withdrawn by
 *              TLBI (any command), kept across EVENTQ_CONS writes, withdrawn when the
 *              downstream memory withdraws its own; none from a translation that a TLBI
 *              overtook while its access was downstream
 *   malformed  malformed payloads get TLM error responses; the simulation goes on
 *   secure     the Secure programming interface through smmuv3_tlm_ext.secure (RAZ to
 *              Non-secure accesses) and the Secure EVENTQ, CMD_SYNC and GERROR lines
 *              (irq_s_*), never the Non-secure ones
 */
#include "systemc_tb.h"

namespace smmuv3_tlm_test {

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
    /* EVENTQ: a fault recorded; the pulse starts at the fault's local time (the annotated delay) */
    tlm::tlm_generic_payload q;
    sc_time d(100, SC_NS);
    const sc_time fault_at = sc_time_stamp() + d;
    fill(q, tlm::TLM_READ_COMMAND, kIova + 0x100000, reinterpret_cast<unsigned char *>(&r), 8, 8, nullptr, 0);
    t.up->b_transport(q, d);
    CHECK(q.get_response_status() == tlm::TLM_ADDRESS_ERROR_RESPONSE);
    wait(d + sc_time(10, SC_NS));
    CHECK(t.posedge_at[SMMUV3_IRQ_EVENTQ] >= fault_at);
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
} // namespace smmuv3_tlm_test

using namespace smmuv3_tlm_test;

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
