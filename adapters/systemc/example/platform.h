/* SPDX-License-Identifier: MIT */
/*
 * Pieces of the SystemC demo platform (and of the adapter's tests):
 *   demo_memory  RAM behind a multi-passthrough target socket, with DMI and
 *                abort ranges (external aborts: TLM_GENERIC_ERROR_RESPONSE)
 *   demo_dma     a DMA device with QEMU's iommu-testdev registers 0x00..0x20
 *                (plus SSID 0x40, TXN_ATTRS 0x44 and SID 0x48 as in
 *                <smmuv3/testdev.h>) whose DMA goes through the SMMU's upstream
 *                socket; the trigger starts the DMA in the device's own thread
 *                and RESULT reads BUSY until it ends (so a stalled DMA can be
 *                resumed by the CPU)
 *   tlm_driver   what a CPU thread uses to program the SMMU like a driver:
 *                register accesses through a socket bound to smmuv3_tlm::regs,
 *                memory (tables, queues) through a socket bound to memory,
 *                exposed as a smmuv3_host for the libsmmuv3 builders
 */
#ifndef SMMUV3_SC_PLATFORM_H
#define SMMUV3_SC_PLATFORM_H

#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "smmuv3_tlm.h"

/* A payload for one plain access: command, address, data, length (also the
 * streaming width), response INCOMPLETE. */
inline void tlm_payload_init(tlm::tlm_generic_payload &p, bool write, uint64_t addr, unsigned char *data,
                             unsigned len)
{
    p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(addr);
    p.set_data_ptr(data);
    p.set_data_length(len);
    p.set_streaming_width(len);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
}

class demo_memory : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<demo_memory> socket;
    sc_core::sc_time latency = sc_core::sc_time(5, sc_core::SC_NS);
    uint64_t accesses = 0;   /* b_transport calls served */
    std::function<void()> hook;   /* tests: if set, called (once) at the start of the next b_transport */
    std::function<void(const tlm::tlm_generic_payload &)> seen;   /* tests: if set, shown every b_transport's payload */

    demo_memory(sc_core::sc_module_name name, uint64_t base, uint64_t size);
    ~demo_memory() override;
    demo_memory(const demo_memory &) = delete;
    demo_memory &operator=(const demo_memory &) = delete;

    /* Accesses touching [lo, hi] fail from now on (DMI is withdrawn). */
    void add_abort(uint64_t lo, uint64_t hi);
    void clear_aborts();
    /* Backdoor access (no time, no checks beyond the bounds). */
    bool peek(uint64_t pa, void *buf, size_t len) const;
    bool poke(uint64_t pa, const void *buf, size_t len);

private:
    uint64_t base_, size_;
    unsigned char *mem_;
    std::vector<std::pair<uint64_t, uint64_t>> aborts_;
    bool in_range(uint64_t a, uint64_t len) const;
    bool aborted(uint64_t a, uint64_t len) const;
    void b_transport(int id, tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    bool get_dmi(int id, tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    unsigned int transport_dbg(int id, tlm::tlm_generic_payload &trans);
    void invalidate_all();
};

class demo_dma : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<demo_dma> regs;
    tlm_utils::simple_initiator_socket<demo_dma> dma;   /* to smmuv3_tlm::upstream */
    tlm_utils::simple_initiator_socket<demo_dma> mem;   /* physical readback of the GPA */

    demo_dma(sc_core::sc_module_name name, uint32_t sid);

private:
    SC_HAS_PROCESS(demo_dma);
    uint64_t gva_ = 0, gpa_ = 0;
    uint32_t len_ = 0, result_ = SMMUV3_TESTDEV_RESULT_IDLE, attrs_ = 0x2, ssid_ = 0, txn_attrs_ = 0, sid_;
    bool armed_ = false, running_ = false;
    sc_core::sc_event start_ev_;
    void regs_b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    uint32_t read_reg(uint64_t off);
    void write_reg(uint64_t off, uint32_t v);
    void trigger();
    void dma_thread();
};

class tlm_driver {
public:
    /* Both sockets belong to the calling module; every call must come from one of its SC_THREADs. */
    tlm_driver(tlm::tlm_initiator_socket<> &regs, tlm::tlm_initiator_socket<> &mem);

    smmuv3_host host;          /* memory through the mem socket, for the builders */
    bool bus_error = false;    /* a register or memory access got an error response */

    uint32_t rd32(uint32_t off);
    uint64_t rd64(uint32_t off);
    void wr32(uint32_t off, uint32_t v);
    void wr64(uint32_t off, uint64_t v);
    static uint32_t reg(const char *name);                                   /* offset by name */
    static uint64_t field(const char *reg, const char *field, uint64_t v);   /* v placed in the field */

    /* The bring-up sequence of smmuv3_driver_init (Linux's arm_smmu_device_reset). */
    int init(const smmuv3_strtab &st, uint64_t cmdq, unsigned cmdq_log2, uint64_t eventq, unsigned eventq_log2,
             uint32_t irq_ctrl);
    /* One command at CMDQ_PROD, then the PROD write; 0 when CONS caught up without error. */
    int submit(const uint8_t cmd[SMMUV3_CMD_BYTES]);
    int sync(unsigned cs = 0);   /* CMD_SYNC, CS = 0 none, 1 IRQ */
    int cfgi_ste(uint32_t sid);
    int tlbi_nsnh_all();
    int tlbi_nh_va(uint16_t asid, uint64_t va);
    int resume(uint32_t sid, uint16_t stag, unsigned action);   /* action bit 0 retry, bit 1 abort */
    int stall_term(uint32_t sid);
    /* 1 and the record when one was popped, 0 when the queue is empty. */
    int event_pop(uint8_t rec[SMMUV3_EVENT_BYTES]);
    static uint64_t event_field(const uint8_t rec[SMMUV3_EVENT_BYTES], const char *name);
    uint32_t cmdq_err();

private:
    tlm::tlm_initiator_socket<> &regs_, &mem_;
    uint64_t cmdq_ = 0, eventq_ = 0;
    unsigned cmdq_log2_ = 0, eventq_log2_ = 0;
    uint32_t prod_ = 0, cons_ = 0;
    bool reg_access(bool write, uint32_t off, uint64_t &v, unsigned size);
    static int mem_read(void *ctx, uint64_t pa, void *buf, size_t len);
    static int mem_write(void *ctx, uint64_t pa, const void *buf, size_t len);
    int mem_access(bool write, uint64_t pa, void *buf, size_t len);
    int cmd1(const char *op, const char *f1 = nullptr, uint64_t v1 = 0, const char *f2 = nullptr, uint64_t v2 = 0,
             const char *f3 = nullptr, uint64_t v3 = 0);
};

/* The SMMU's downstream socket bound to the memory, and its four Non-secure
 * interrupt outputs to irq[0..3]: EVENTQ, PRIQ, CMD_SYNC, GERROR. */
inline void wire_smmu(smmuv3_tlm &smmu, demo_memory &memory, sc_core::sc_signal<bool> (&irq)[4])
{
    smmu.downstream.bind(memory.socket);
    smmu.irq_eventq(irq[0]);
    smmu.irq_priq(irq[1]);
    smmu.irq_cmd_sync(irq[2]);
    smmu.irq_gerror(irq[3]);
}

#endif
