/* SPDX-License-Identifier: MIT */
/* smmuv3_tlm (see smmuv3_tlm.h): upstream DMI, granted from the hints that
 * up_b_transport records, and its invalidation. */
#include "smmuv3_tlm.h"

using namespace sc_core;
using tlm::tlm_generic_payload;

/* ------------------------------------------------------------ DMI */
bool smmuv3_tlm::up_get_dmi(tlm_generic_payload &trans, tlm::tlm_dmi &dmi)
{
    if (!dmi_upstream || !smmu_)
        return false;
    const uint64_t addr = trans.get_address();
    const smmuv3_tlm_ext *ext = trans.get_extension<smmuv3_tlm_ext>();
    if (ext && ext->ats_translated)
        return false;
    const uint32_t sid = ext ? ext->sid : default_sid_;
    const bool ssv = ext && ext->ssv;
    const uint32_t ssid = ssv ? ext->ssid : 0;
    const bool priv = ext && ext->priv, inst = ext && ext->inst;
    const bool sec = ext && ext->secure, ns = sec && ext->ns;
    for (const auto &h : hints_) {
        const dmi_key &k = h.first;
        if (k.sid != sid || k.ssv != ssv || k.ssid != ssid || k.priv != priv || k.inst != inst ||
            k.secure != sec || k.ns != ns)
            continue;
        if (addr < k.region || addr - k.region >= h.second.size)
            continue;
        const dmi_hint &hint = h.second;
        tlm_generic_payload p;
        p.set_command(trans.get_command());
        p.set_address(hint.pa + (addr - k.region));
        p.set_data_length(trans.get_data_length());
        tlm::tlm_dmi d;
        if (!downstream->get_direct_mem_ptr(p, d) || !d.get_dmi_ptr())
            return false;
        const uint64_t hi_pa = hint.pa + (hint.size - 1);
        const uint64_t lo = d.get_start_address() > hint.pa ? d.get_start_address() : hint.pa;
        const uint64_t hi = d.get_end_address() < hi_pa ? d.get_end_address() : hi_pa;
        if (lo > hi)
            return false;
        const bool r = hint.read && d.is_read_allowed(), w = hint.write && d.is_write_allowed();
        if (!r && !w)
            return false;
        dmi.set_dmi_ptr(d.get_dmi_ptr() + (lo - d.get_start_address()));
        dmi.set_start_address(k.region + (lo - hint.pa));
        dmi.set_end_address(k.region + (hi - hint.pa));
        dmi.set_granted_access(r && w ? tlm::tlm_dmi::DMI_ACCESS_READ_WRITE
                                      : r ? tlm::tlm_dmi::DMI_ACCESS_READ : tlm::tlm_dmi::DMI_ACCESS_WRITE);
        dmi.set_read_latency(d.get_read_latency());
        dmi.set_write_latency(d.get_write_latency());
        upstream_granted_ = true;
        return true;
    }
    return false;
}

void smmuv3_tlm::invalidate_upstream_dmi()
{
    hints_.clear();
    hint_gen_++;
    if (!upstream_granted_)
        return;
    upstream_granted_ = false;
    dmi_invalidations_++;
    upstream->invalidate_direct_mem_ptr(0, ~static_cast<sc_dt::uint64>(0));
}

void smmuv3_tlm::down_invalidate_dmi(sc_dt::uint64 start, sc_dt::uint64 end)
{
    for (size_t i = 0; i < down_dmi_.size();) {
        if (down_dmi_[i].get_start_address() <= end && down_dmi_[i].get_end_address() >= start)
            down_dmi_.erase(down_dmi_.begin() + static_cast<long>(i));
        else
            i++;
    }
    invalidate_upstream_dmi();   /* upstream regions are windows onto downstream ones */
}
