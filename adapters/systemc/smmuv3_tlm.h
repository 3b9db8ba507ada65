/* SPDX-License-Identifier: MIT */
/*
 * smmuv3_tlm: libsmmuv3 as a SystemC TLM-2.0 (loosely-timed, blocking) module.
 *
 *   regs        target socket, the register frame (pages 0 and 1, 0x20000
 *               bytes from the socket's address 0): 4- and 8-byte aligned
 *               reads and writes. Other lengths / streaming widths give
 *               TLM_BURST_ERROR_RESPONSE, byte enables
 *               TLM_BYTE_ENABLE_ERROR_RESPONSE, misaligned or out-of-frame
 *               addresses TLM_ADDRESS_ERROR_RESPONSE.
 *   upstream    target socket for device transactions. The smmuv3_tlm_ext
 *               extension carries StreamID, SubstreamID/SSV, privileged,
 *               instruction and ATS-translated; a transaction without it uses
 *               the default StreamID given at construction (no SubstreamID,
 *               unprivileged data). ATS-translated transactions go to the
 *               model with SMMUV3_TXN_TRANSLATED (CR0.ATSCHK / STE.EATS,
 *               IHI 0070 3.9.1) when the profile has ATS; without ATS they
 *               are terminated (address error). Each transaction is translated
 *               (smmuv3_translate) piece by piece, one piece per translated
 *               region, and forwarded on `downstream` at the output address
 *               (a streaming burst whose window crosses a region boundary:
 *               TLM_BURST_ERROR_RESPONSE).
 *               Terminated with abort: TLM_ADDRESS_ERROR_RESPONSE (the fault
 *               is recorded as the architecture says). RAZ/WI: reads return
 *               zeros (in the enabled bytes), writes are dropped, TLM_OK_RESPONSE. Stalled: the
 *               caller's b_transport waits (wait()) until software answers
 *               with CMD_RESUME or CMD_STALL_TERM (IHI 0070 3.12.2).
 *   downstream  initiator socket to the memory side: device transactions
 *               after translation and the SMMU's own accesses (STE/CD/table
 *               walks, queues, MSIs, HTTU updates). An error response to the
 *               SMMU's own access is an external abort: the model raises the
 *               architected event or error (F_WALK_EABT, F_STE_FETCH,
 *               CERROR_ABT, GERROR.*_ABT_ERR...). DMI offered downstream is
 *               used for the SMMU's own accesses.
 *   irq_*       sc_out<bool> wired interrupts (EVENTQ, PRIQ, CMD_SYNC,
 *               GERROR): a pulse of timing.irq_pulse per edge the model raises,
 *               starting at the local time of its cause (sc_time_stamp() plus
 *               the b_transport delay of the access that raised it).
 *   irq_s_*     the Secure wired interrupts (EVENTQ, CMD_SYNC, GERROR of the
 *               Secure programming interface, IHI 0070 3.10.2.1; host.irq_secure),
 *               pulsed the same way; optional ports (they may stay unbound:
 *               the edges are still counted in s_irq_edges()).
 *
 * Security state: smmuv3_tlm_ext.secure on a register access makes it a
 * Secure access (the SMMU_S_* frame at 0x8000 is RAZ/WI to Non-secure ones,
 * 6.2); on a device transaction it is SEC_SID = 1, a Secure stream, with
 * smmuv3_tlm_ext.ns its input NS attribute (SMMUV3_TXN_SECURE / _NS). The
 * Secure PA space is the downstream socket's (host.read_secure NULL).
 *
 * DMI upstream: b_transport marks a translated transaction dmi_allowed when
 * the downstream target did; get_direct_mem_ptr then grants the translated
 * region (intersected with the downstream DMI region) for the access types
 * already translated successfully with the same extension attributes. Every
 * register write that can change translations (all but EVENTQ_CONS and
 * PRIQ_CONS: CMDQ_PROD with TLBI/CFGI, CR0, STRTAB_BASE, GBPA...) and every
 * downstream DMI invalidation invalidates all upstream DMI regions; a
 * translation overtaken by one while its access was downstream grants nothing.
 *
 * The model is entered by one SystemC process at a time (a process that would
 * re-enter it from inside its own downstream access, e.g. an MSI routed back
 * to the register frame, gets TLM_GENERIC_ERROR_RESPONSE). b_transport may
 * call wait(): call it from SC_THREADs.
 */
#ifndef SMMUV3_TLM_H
#define SMMUV3_TLM_H

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <smmuv3/smmuv3.h>

/* Attributes of an upstream (device) transaction. */
struct smmuv3_tlm_ext : tlm::tlm_extension<smmuv3_tlm_ext> {
    uint32_t sid = 0;             /* StreamID */
    uint32_t ssid = 0;            /* SubstreamID, used when ssv */
    bool ssv = false;
    bool priv = false;            /* privileged access */
    bool inst = false;            /* instruction fetch */
    bool ats_translated = false;  /* the address was translated by the device's ATC */
    bool secure = false;          /* a Secure register access; a Secure stream (SEC_SID = 1) upstream */
    bool ns = false;              /* upstream, with secure: the input NS attribute */

    tlm::tlm_extension_base *clone() const override { return new smmuv3_tlm_ext(*this); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        *this = static_cast<const smmuv3_tlm_ext &>(other);
    }
};

/* Latencies added to the b_transport delay. */
struct smmuv3_tlm_timing {
    sc_core::sc_time reg_access = sc_core::sc_time(10, sc_core::SC_NS);      /* per register access */
    sc_core::sc_time iotlb_hit = sc_core::sc_time(2, sc_core::SC_NS);        /* per translation served by the IOTLB */
    sc_core::sc_time descriptor_read = sc_core::sc_time(20, sc_core::SC_NS); /* per read of the SMMU's own
                                                   (STE, CD, table descriptor, queue entry), plus the
                                                   downstream target's own delay */
    sc_core::sc_time irq_pulse = sc_core::sc_time(1, sc_core::SC_NS);        /* width of an interrupt pulse */
};

class smmuv3_tlm : public sc_core::sc_module {
public:
    static constexpr uint64_t frame_size = 0x20000;   /* register pages 0 and 1 */

    tlm_utils::simple_target_socket<smmuv3_tlm> regs;
    tlm_utils::simple_target_socket<smmuv3_tlm> upstream;
    tlm_utils::simple_initiator_socket<smmuv3_tlm> downstream;
    sc_core::sc_out<bool> irq_eventq, irq_priq, irq_cmd_sync, irq_gerror;
    using opt_irq = sc_core::sc_port<sc_core::sc_signal_inout_if<bool>, 1, sc_core::SC_ZERO_OR_MORE_BOUND>;
    opt_irq irq_s_eventq, irq_s_cmd_sync, irq_s_gerror;

    smmuv3_tlm_timing timing;     /* may be changed at any time */
    bool dmi_upstream = true;     /* offer DMI on the upstream socket */
    bool dmi_downstream = true;   /* use DMI offered on the downstream socket */

    /* cfg is validated (SC_REPORT_ERROR with smmuv3_config_validate's message when it is bad). */
    smmuv3_tlm(sc_core::sc_module_name name, const smmuv3_config &cfg, uint32_t default_sid = 0,
               const smmuv3_tlm_timing &t = smmuv3_tlm_timing());
    ~smmuv3_tlm() override;
    smmuv3_tlm(const smmuv3_tlm &) = delete;
    smmuv3_tlm &operator=(const smmuv3_tlm &) = delete;

    /* The model, for statistics (smmuv3_get_stats) and inspection. Do not call
     * into it while a transaction is in flight. */
    smmuv3 *model() const { return smmu_; }
    uint32_t default_sid() const { return default_sid_; }
    uint64_t irq_edges(smmuv3_irq line) const { return line <= SMMUV3_IRQ_GERROR ? irq_edges_[line] : 0; }
    uint64_t s_irq_edges(smmuv3_irq line) const { return line <= SMMUV3_IRQ_GERROR ? irq_edges_[4 + line] : 0; }
    uint64_t upstream_dmi_invalidations() const { return dmi_invalidations_; }
    uint64_t stalls_waited() const { return stalls_waited_; }

private:
    SC_HAS_PROCESS(smmuv3_tlm);

    struct dmi_key {
        uint32_t sid, ssid;
        bool ssv, priv, inst;
        uint64_t region;          /* input address of the translated region */
        bool secure, ns;          /* SEC_SID and input NS: Secure and Non-secure streams never share */
        bool operator<(const dmi_key &o) const
        {
            return std::tie(sid, ssid, ssv, priv, inst, region, secure, ns) <
                   std::tie(o.sid, o.ssid, o.ssv, o.priv, o.inst, o.region, o.secure, o.ns);
        }
    };
    struct dmi_hint {
        uint64_t pa;              /* output address of the region */
        uint64_t size;
        bool read, write;         /* access types translated successfully */
    };

    smmuv3 *smmu_ = nullptr;
    uint32_t default_sid_;
    bool ats_supported_ = false;
    /* one process in the model at a time */
    bool busy_ = false;
    sc_core::sc_process_handle owner_;
    sc_core::sc_event unlock_ev_;
    sc_core::sc_time *acc_ = nullptr;        /* delay of the transaction being served */
    sc_core::sc_time scratch_delay_;
    sc_core::sc_event reg_write_ev_;         /* stalled transactions re-poll after register writes */
    uint64_t reg_writes_ = 0;
    /* interrupts: the Non-secure lines [0, 4), the Secure ones [4, 8) (no Secure PRIQ) */
    uint64_t irq_edges_[8] = {};
    bool irq_pending_[8] = {};
    sc_core::sc_time irq_due_[8];            /* when a pending line's pulse starts (absolute) */
    sc_core::sc_event irq_ev_;
    /* DMI */
    std::vector<tlm::tlm_dmi> down_dmi_;
    std::map<dmi_key, dmi_hint> hints_;
    bool upstream_granted_ = false;
    uint64_t hint_gen_ = 0;                  /* bumped by every withdrawal of the upstream DMI hints */
    uint64_t dmi_invalidations_ = 0;
    uint64_t stalls_waited_ = 0;

    bool lock();
    void unlock();
    void irq_thread();

    void regs_b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    unsigned int regs_transport_dbg(tlm::tlm_generic_payload &trans);
    void up_b_transport(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay);
    bool up_get_dmi(tlm::tlm_generic_payload &trans, tlm::tlm_dmi &dmi);
    void down_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end);

    int translate(smmuv3_txn &txn, smmuv3_result &res, sc_core::sc_time &delay);
    bool forward(tlm::tlm_generic_payload &trans, sc_core::sc_time &delay, uint64_t pa, uint64_t off, uint64_t len,
                 bool whole);
    void record_hint(const smmuv3_txn &txn, const smmuv3_result &res);
    void invalidate_upstream_dmi();
    int mem_access(bool write, uint64_t pa, void *buf, size_t len);

    static int host_read(void *ctx, uint64_t pa, void *buf, size_t len);
    static int host_write(void *ctx, uint64_t pa, const void *buf, size_t len);
    static void host_irq(void *ctx, smmuv3_irq line);
    static void host_irq_secure(void *ctx, smmuv3_irq line);
    void irq_raise(int l);
};

#endif
