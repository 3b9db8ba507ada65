/* SPDX-License-Identifier: MIT */
/* The test bench of test_systemc (see test_systemc.cpp): the platform around
 * one smmuv3_tlm, its tables, and the payload helpers. */
#ifndef SMMUV3_SYSTEMC_TB_H
#define SMMUV3_SYSTEMC_TB_H

#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>
#include <algorithm>

#include "platform.h"

using namespace sc_core;
using tlm::tlm_response_status;

namespace smmuv3_tlm_test {
inline int failures = 0;
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
    sc_time posedge_at[4];   /* time of each Non-secure line's last rising edge */
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
            if (irq[l].posedge()) {
                posedges[l]++;
                posedge_at[l] = sc_time_stamp();
            }
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

inline smmuv3_tlm_ext ext_for(uint32_t sid)
{
    smmuv3_tlm_ext e;
    e.sid = sid;
    return e;
}

/* A payload with every attribute under the test's control, response INCOMPLETE. */
inline void fill(tlm::tlm_generic_payload &p, tlm::tlm_command cmd, uint64_t addr, unsigned char *data, unsigned len,
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
inline tlm_response_status raw(tlm_utils::simple_initiator_socket<tb> &s, tlm::tlm_command cmd, uint64_t addr,
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

/* test_systemc_more.cpp */
void test_secure(tb &t);
void test_malformed(tb &t);
} // namespace smmuv3_tlm_test

#endif
