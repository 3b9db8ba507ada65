/* SPDX-License-Identifier: MIT */
/* test_systemc (see test_systemc.cpp): the Secure programming interface, and
 * malformed or unusual payloads. */
#include "systemc_tb.h"

namespace smmuv3_tlm_test {
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
    /* debug reads too: Secure with the extension's secure, RAZ without */
    uint32_t dv = 0;
    tlm::tlm_generic_payload dp;
    fill(dp, tlm::TLM_READ_COMMAND, smmuv3_reg_find("s_idr1")->offset, reinterpret_cast<unsigned char *>(&dv), 4, 4,
         nullptr, 0);
    CHECK(t.regs->transport_dbg(dp) == 4 && dv == 0);
    smmuv3_tlm_ext se;
    se.secure = true;
    dp.set_extension(new smmuv3_tlm_ext(se));
    CHECK(t.regs->transport_dbg(dp) == 4 && (dv >> 31) == 1);
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
} // namespace smmuv3_tlm_test
