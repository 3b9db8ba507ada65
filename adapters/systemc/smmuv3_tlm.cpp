/* SPDX-License-Identifier: MIT */
/* smmuv3_tlm: see smmuv3_tlm.h. Uses only the public libsmmuv3 API. */
#include "smmuv3_tlm.h"

#include <cstring>
#include <string>

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "smmuv3_tlm copies TLM data as little-endian host words"
#endif

using namespace sc_core;
using tlm::tlm_generic_payload;

namespace {
constexpr uint64_t kPage = 0x1000;
constexpr size_t kMaxHints = 4096;
constexpr size_t kMaxDownDmi = 16;

bool pow2(uint64_t v) { return v && !(v & (v - 1)); }

/* Size of the translated region to use: smmuv3_result.size when it is a power
 * of two of at least 4KB, else one 4KB page. */
uint64_t region_size(uint64_t size) { return pow2(size) && size >= kPage ? size : kPage; }

/* Bytes from addr to the end of its translated region, at most `left`. */
uint64_t piece_len(uint64_t addr, uint64_t size, uint64_t left)
{
    size = region_size(size);
    uint64_t to_end = size - (addr & (size - 1));
    return to_end < left ? to_end : left;
}

uint32_t reg_offset(const char *name)
{
    const smmuv3_reg *r = smmuv3_reg_find(name);
    return r ? r->offset : UINT32_MAX;
}
} // namespace

smmuv3_tlm::smmuv3_tlm(sc_module_name name, const smmuv3_config &cfg, uint32_t default_sid,
                       const smmuv3_tlm_timing &t)
    : sc_module(name), regs("regs"), upstream("upstream"), downstream("downstream"), irq_eventq("irq_eventq"),
      irq_priq("irq_priq"), irq_cmd_sync("irq_cmd_sync"), irq_gerror("irq_gerror"), irq_s_eventq("irq_s_eventq"),
      irq_s_cmd_sync("irq_s_cmd_sync"), irq_s_gerror("irq_s_gerror"), timing(t),
      default_sid_(default_sid)
{
    regs.register_b_transport(this, &smmuv3_tlm::regs_b_transport);
    regs.register_transport_dbg(this, &smmuv3_tlm::regs_transport_dbg);
    upstream.register_b_transport(this, &smmuv3_tlm::up_b_transport);
    upstream.register_get_direct_mem_ptr(this, &smmuv3_tlm::up_get_dmi);
    downstream.register_invalidate_direct_mem_ptr(this, &smmuv3_tlm::down_invalidate_dmi);
    irq_eventq.initialize(false);
    irq_priq.initialize(false);
    irq_cmd_sync.initialize(false);
    irq_gerror.initialize(false);
    SC_THREAD(irq_thread);

    char msg[256] = "";
    if (smmuv3_config_validate(&cfg, msg, sizeof(msg)) != 0) {
        SC_REPORT_ERROR("smmuv3_tlm", (std::string(this->name()) + ": bad configuration: " + msg).c_str());
        return;
    }
    smmuv3_host host{};   /* value-initialised: members this module does not set stay NULL */
    host.ctx = this;
    host.read = &smmuv3_tlm::host_read;
    host.write = &smmuv3_tlm::host_write;
    host.irq = &smmuv3_tlm::host_irq;
    host.irq_secure = &smmuv3_tlm::host_irq_secure;
    int rc = smmuv3_new(&cfg, &host, &smmu_);
    if (rc != 0) {
        smmu_ = nullptr;
        SC_REPORT_ERROR("smmuv3_tlm", (std::string(this->name()) + ": smmuv3_new: " + smmuv3_strerror(rc)).c_str());
        return;
    }
    ats_supported_ = smmuv3_get_config(smmu_)->ats;
}

smmuv3_tlm::~smmuv3_tlm()
{
    smmuv3_free(smmu_);
}

/* ------------------------------------------------------------ serialisation */
bool smmuv3_tlm::lock()
{
    sc_process_handle me = sc_get_current_process_handle();
    while (busy_) {
        if (me.valid() && owner_ == me)
            return false;   /* re-entered from inside our own downstream access */
        wait(unlock_ev_);
    }
    busy_ = true;
    owner_ = me;
    return true;
}

void smmuv3_tlm::unlock()
{
    busy_ = false;
    owner_ = sc_process_handle();
    unlock_ev_.notify();
}

/* ------------------------------------------------------------ host callbacks */
int smmuv3_tlm::mem_access(bool write, uint64_t pa, void *buf, size_t len)
{
    sc_time &delay = acc_ ? *acc_ : scratch_delay_;
    if (len == 0)
        return 0;
    if (pa + (len - 1) < pa)
        return SMMUV3_ERANGE;
    if (dmi_downstream) {
        for (const tlm::tlm_dmi &d : down_dmi_) {
            if (pa < d.get_start_address() || pa + (len - 1) > d.get_end_address())
                continue;
            if (write ? !d.is_write_allowed() : !d.is_read_allowed())
                continue;
            unsigned char *p = d.get_dmi_ptr() + (pa - d.get_start_address());
            if (write) {
                std::memcpy(p, buf, len);
                delay += d.get_write_latency();
            } else {
                std::memcpy(buf, p, len);
                delay += d.get_read_latency();
            }
            return 0;
        }
    }
    tlm_generic_payload p;
    p.set_command(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    p.set_address(pa);
    p.set_data_ptr(static_cast<unsigned char *>(buf));
    p.set_data_length(static_cast<unsigned int>(len));
    p.set_streaming_width(static_cast<unsigned int>(len));
    p.set_byte_enable_ptr(nullptr);
    p.set_dmi_allowed(false);
    p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    downstream->b_transport(p, delay);
    if (p.get_response_status() != tlm::TLM_OK_RESPONSE)
        return SMMUV3_EABORT;   /* external abort: the model raises the architected event */
    if (dmi_downstream && p.is_dmi_allowed()) {
        tlm::tlm_dmi d;
        if (downstream->get_direct_mem_ptr(p, d) && d.get_dmi_ptr()) {
            if (down_dmi_.size() >= kMaxDownDmi)
                down_dmi_.erase(down_dmi_.begin());
            down_dmi_.push_back(d);
        }
    }
    return 0;
}

int smmuv3_tlm::host_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    smmuv3_tlm *self = static_cast<smmuv3_tlm *>(ctx);
    (self->acc_ ? *self->acc_ : self->scratch_delay_) += self->timing.descriptor_read;
    return self->mem_access(false, pa, buf, len);
}

int smmuv3_tlm::host_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    return static_cast<smmuv3_tlm *>(ctx)->mem_access(true, pa, const_cast<void *>(buf), len);
}

/* Line l (0..7) raised by the access being served: its pulse is due at that
 * access's local time (loosely-timed: sc_time_stamp() plus its delay), not
 * before its cause. */
void smmuv3_tlm::irq_raise(int l)
{
    const sc_time due = sc_time_stamp() + (acc_ ? *acc_ : SC_ZERO_TIME);
    irq_edges_[l]++;
    if (!irq_pending_[l] || due < irq_due_[l])
        irq_due_[l] = due;
    irq_pending_[l] = true;
    irq_ev_.notify(SC_ZERO_TIME);
}

void smmuv3_tlm::host_irq(void *ctx, smmuv3_irq line)
{
    if (line <= SMMUV3_IRQ_GERROR)
        static_cast<smmuv3_tlm *>(ctx)->irq_raise(line);
}

/* The Secure lines (IHI 0070 3.10.2.1): the Secure Event queue, CMD_SYNC and
 * GERROR interrupts, never on the Non-secure outputs. */
void smmuv3_tlm::host_irq_secure(void *ctx, smmuv3_irq line)
{
    if (line <= SMMUV3_IRQ_GERROR)
        static_cast<smmuv3_tlm *>(ctx)->irq_raise(4 + line);
}

/* An output of line l (0..7): the Non-secure sc_outs, then the Secure ports
 * when bound (no Secure PRIQ line). */
static void irq_drive(sc_out<bool> *const ns[4], smmuv3_tlm::opt_irq *const s[4], int l, bool v)
{
    if (l < 4)
        ns[l]->write(v);
    else if (s[l - 4] && s[l - 4]->size())
        (*s[l - 4])->write(v);
}

/* One pulse of timing.irq_pulse per edge, from its due time on (edges during a
 * pulse give another pulse after it). */
void smmuv3_tlm::irq_thread()
{
    sc_out<bool> *const out[4] = { &irq_eventq, &irq_priq, &irq_cmd_sync, &irq_gerror };
    opt_irq *const sout[4] = { &irq_s_eventq, nullptr, &irq_s_cmd_sync, &irq_s_gerror };
    for (;;) {
        const sc_time now = sc_time_stamp();
        bool raised[8], any = false, later = false;
        sc_time next = SC_ZERO_TIME;
        for (int l = 0; l < 8; l++) {
            raised[l] = irq_pending_[l] && irq_due_[l] <= now;
            if (raised[l]) {
                irq_pending_[l] = false;
                irq_drive(out, sout, l, true);
                any = true;
            } else if (irq_pending_[l] && (!later || irq_due_[l] - now < next)) {
                next = irq_due_[l] - now;
                later = true;
            }
        }
        if (!any) {
            if (later)
                wait(next, irq_ev_);
            else
                wait(irq_ev_);
            continue;
        }
        wait(timing.irq_pulse);
        for (int l = 0; l < 8; l++)
            if (raised[l])
                irq_drive(out, sout, l, false);
        wait(SC_ZERO_TIME);
    }
}

/* IGNORE completes at once (OK), any other command but READ and WRITE is a
 * command error: true when the payload is a read or a write to carry out. */
static bool read_or_write(tlm_generic_payload &trans)
{
    const tlm::tlm_command cmd = trans.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND)
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
    else if (cmd != tlm::TLM_READ_COMMAND && cmd != tlm::TLM_WRITE_COMMAND)
        trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    else
        return true;
    return false;
}

/* ------------------------------------------------------------ register frame */
void smmuv3_tlm::regs_b_transport(tlm_generic_payload &trans, sc_time &delay)
{
    const tlm::tlm_command cmd = trans.get_command();
    const uint64_t addr = trans.get_address();
    const unsigned len = trans.get_data_length();
    unsigned char *data = trans.get_data_ptr();
    trans.set_dmi_allowed(false);
    if (!read_or_write(trans))
        return;
    if (!data) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if ((len != 4 && len != 8) || trans.get_streaming_width() < len) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_byte_enable_ptr()) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if ((addr & (len - 1)) || addr >= frame_size || addr + len > frame_size) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (!smmu_ || !lock()) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    delay += timing.reg_access;
    acc_ = &delay;
    const smmuv3_tlm_ext *ext = trans.get_extension<smmuv3_tlm_ext>();
    const bool sec = ext && ext->secure;   /* a Secure access (IHI 0070 6.2) */
    if (cmd == tlm::TLM_READ_COMMAND) {
        uint64_t v = smmuv3_mmio_read_sec(smmu_, addr, len, sec);
        std::memcpy(data, &v, len);
    } else {
        uint64_t v = 0;
        std::memcpy(&v, data, len);
        smmuv3_mmio_write_sec(smmu_, addr, v, len, sec);
    }
    acc_ = nullptr;
    unlock();
    if (cmd == tlm::TLM_WRITE_COMMAND) {
        static const uint32_t eventq_cons = reg_offset("eventq_cons"), priq_cons = reg_offset("priq_cons");
        /* Anything but a queue consumer index may have changed translations:
         * commands (TLBI, CFGI...), CR0, STRTAB_BASE, GBPA, GERRORN restarting
         * the command queue. */
        if (addr != eventq_cons && addr != priq_cons)
            invalidate_upstream_dmi();
        reg_writes_++;
        reg_write_ev_.notify(SC_ZERO_TIME);
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int smmuv3_tlm::regs_transport_dbg(tlm_generic_payload &trans)
{
    const uint64_t addr = trans.get_address();
    const unsigned len = trans.get_data_length();
    if (trans.get_command() != tlm::TLM_READ_COMMAND || !trans.get_data_ptr() || (len != 4 && len != 8) ||
        (addr & (len - 1)) || addr + len > frame_size || !smmu_ || busy_)
        return 0;
    const smmuv3_tlm_ext *ext = trans.get_extension<smmuv3_tlm_ext>();
    uint64_t v = smmuv3_mmio_read_sec(smmu_, addr, len, ext && ext->secure);   /* as regs_b_transport */
    std::memcpy(trans.get_data_ptr(), &v, len);
    return len;
}

/* ------------------------------------------------------------ device transactions */
int smmuv3_tlm::translate(smmuv3_txn &txn, smmuv3_result &res, sc_time &delay)
{
    for (;;) {
        if (!lock())
            return -1;
        smmuv3_stats before, after;
        acc_ = &delay;
        smmuv3_get_stats(smmu_, &before);
        int rc = smmuv3_translate(smmu_, &txn, &res);
        smmuv3_get_stats(smmu_, &after);
        acc_ = nullptr;
        if (after.tlb_hits > before.tlb_hits)
            delay += timing.iotlb_hit;
        uint64_t seen = reg_writes_;
        unlock();
        if (rc != SMMUV3_XLATE_STALL)
            return rc;
        /* Stalled (3.12.2): synchronise, then wait for software's answer,
         * polling after every register write. */
        stalls_waited_++;
        wait(delay);
        delay = SC_ZERO_TIME;
        int p;
        for (;;) {
            if (reg_writes_ == seen)
                wait(reg_write_ev_);
            seen = reg_writes_;
            if (!lock())
                return -1;
            p = smmuv3_stall_poll(smmu_, txn.sid, res.stag);
            unlock();
            if (p != SMMUV3_STALL_PENDING)
                break;
        }
        if (p == SMMUV3_STALL_RETRY)
            continue;   /* re-issued as though it had just arrived */
        return p == SMMUV3_STALL_RAZWI ? SMMUV3_XLATE_RAZWI : SMMUV3_XLATE_ABORT;
    }
}

bool smmuv3_tlm::forward(tlm_generic_payload &trans, sc_time &delay, uint64_t pa, uint64_t off, uint64_t len,
                         bool whole)
{
    if (whole) {
        const uint64_t addr = trans.get_address();
        trans.set_address(pa);
        trans.set_dmi_allowed(false);
        trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        downstream->b_transport(trans, delay);
        trans.set_address(addr);
        return trans.get_response_status() == tlm::TLM_OK_RESPONSE;
    }
    /* A piece is a transaction of its own: the initiator's data pointer, data
     * length, streaming width and byte enables are not to be overwritten by
     * an interconnect component (IEEE 1666-2011, generic payload attributes).
     * It carries the initiator's extensions (borrowed, handed back below). */
    tlm_generic_payload piece;
    std::vector<unsigned char> piece_be;
    const unsigned char *be = trans.get_byte_enable_ptr();
    piece.set_command(trans.get_command());
    piece.set_address(pa);
    piece.set_data_ptr(trans.get_data_ptr() + off);
    piece.set_data_length(static_cast<unsigned>(len));
    piece.set_streaming_width(static_cast<unsigned>(len));
    if (be) {
        const unsigned be_len = trans.get_byte_enable_length();
        piece_be.resize(len);
        for (uint64_t i = 0; i < len; i++)
            piece_be[i] = be[(off + i) % be_len];
        piece.set_byte_enable_ptr(piece_be.data());
        piece.set_byte_enable_length(static_cast<unsigned>(len));
    }
    piece.set_dmi_allowed(false);
    piece.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    trans.resize_extensions();   /* both arrays hold every registered extension */
    piece.resize_extensions();
    const unsigned n_ext = tlm::max_num_extensions();
    for (unsigned i = 0; i < n_ext; i++)
        piece.set_extension(i, trans.get_extension(i));
    downstream->b_transport(piece, delay);
    for (unsigned i = 0; i < n_ext; i++)
        piece.set_extension(i, nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(piece.get_response_status());
    return piece.get_response_status() == tlm::TLM_OK_RESPONSE;
}

void smmuv3_tlm::record_hint(const smmuv3_txn &txn, const smmuv3_result &res)
{
    uint64_t size = region_size(res.size);
    dmi_key k{ txn.sid, txn.ssv ? txn.ssid : 0, txn.ssv, (txn.flags & SMMUV3_TXN_PRIV) != 0,
               (txn.flags & SMMUV3_TXN_EXEC) != 0, txn.addr & ~(size - 1), (txn.flags & SMMUV3_TXN_SECURE) != 0,
               (txn.flags & SMMUV3_TXN_NS) != 0 };
    uint64_t pa = res.pa & ~(size - 1);
    auto it = hints_.find(k);
    if (it == hints_.end() || it->second.pa != pa || it->second.size != size) {
        if (hints_.size() >= kMaxHints)
            hints_.clear();
        hints_[k] = dmi_hint{ pa, size, false, false };
        it = hints_.find(k);
    }
    if (txn.flags & SMMUV3_TXN_WRITE)
        it->second.write = true;
    else
        it->second.read = true;
}

void smmuv3_tlm::up_b_transport(tlm_generic_payload &trans, sc_time &delay)
{
    const tlm::tlm_command cmd = trans.get_command();
    const uint64_t addr = trans.get_address();
    const unsigned len = trans.get_data_length(), sw = trans.get_streaming_width();
    unsigned char *const data = trans.get_data_ptr();
    trans.set_dmi_allowed(false);
    if (!read_or_write(trans))
        return;
    if (!data || len == 0 || !smmu_) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    if (sw == 0) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if (trans.get_byte_enable_ptr() && trans.get_byte_enable_length() == 0) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    /* A streaming burst touches [addr, addr + sw) over and over. */
    const uint64_t span = sw < len ? sw : len;
    if (addr + (span - 1) < addr) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    const smmuv3_tlm_ext *ext = trans.get_extension<smmuv3_tlm_ext>();
    smmuv3_txn txn{};
    txn.sid = ext ? ext->sid : default_sid_;
    txn.ssv = ext && ext->ssv;
    txn.ssid = txn.ssv ? ext->ssid : 0;
    txn.flags = 0;
    if (cmd == tlm::TLM_WRITE_COMMAND)
        txn.flags |= SMMUV3_TXN_WRITE;
    if (ext && ext->inst)
        txn.flags |= SMMUV3_TXN_EXEC;
    if (ext && ext->priv)
        txn.flags |= SMMUV3_TXN_PRIV;
    if (ext && ext->secure)   /* SEC_SID = 1 and its input NS (IHI 0070 3.10.1, 3.10.2) */
        txn.flags |= static_cast<uint32_t>(SMMUV3_TXN_SECURE) | (ext->ns ? static_cast<uint32_t>(SMMUV3_TXN_NS) : 0u);
    if (ext && ext->ats_translated) {
        /* An SMMU without ATS (IDR0.ATS == 0) has no path for Translated
         * transactions: terminate them. */
        if (!ats_supported_) {
            trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        txn.flags |= SMMUV3_TXN_TRANSLATED;   /* the model checks STE.EATS / CR0.ATSCHK (3.9.1) */
    }

    bool single = true, down_dmi = false;
    smmuv3_result last{};
    uint64_t gen = 0;
    for (uint64_t off = 0; off < span;) {
        smmuv3_result res{};
        txn.addr = addr + off;
        int rc = translate(txn, res, delay);
        gen = hint_gen_;
        if (rc < 0) {
            trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
            return;
        }
        if (rc != SMMUV3_XLATE_OK && rc != SMMUV3_XLATE_RAZWI) {
            trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        /* bypass is the identity: the rest of the transaction is one piece */
        uint64_t n = rc == SMMUV3_XLATE_OK && res.bypass ? span - off
                                                        : piece_len(txn.addr, rc == SMMUV3_XLATE_OK ? res.size : 0,
                                                                    span - off);
        if (off == 0 && n < span) {
            if (sw < len) {
                /* a streaming window across two translated regions has no
                 * single output address */
                trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
                return;
            }
            single = false;
        }
        if (rc == SMMUV3_XLATE_RAZWI) {
            /* Terminated, RAZ/WI (CD.A == 0): reads give zeros, writes are dropped. */
            single = false;
            if (cmd == tlm::TLM_READ_COMMAND) {
                /* IEEE 1666-2011 generic payload, byte enable pointer
                 * attribute: a read does not modify the disabled bytes. */
                const unsigned char *be = trans.get_byte_enable_ptr();
                const unsigned be_len = trans.get_byte_enable_length();
                const uint64_t lo = sw < len ? 0 : off, hi = sw < len ? len : off + n;
                for (uint64_t i = lo; i < hi; i++)
                    if (!be || be[i % be_len])
                        data[i] = 0;
            }
        } else {
            if (!forward(trans, delay, res.pa, off, n, single))
                return;   /* the downstream target's error response stands */
            down_dmi = trans.is_dmi_allowed();
            last = res;
        }
        off += n;
    }
    /* A withdrawal while the access was downstream (a TLBI or CR0 write from
     * another process, or from inside the downstream target) may have changed
     * the translation: record nothing from it, or get_direct_mem_ptr would
     * grant the old mapping after the invalidation that withdrew it. */
    if (single && down_dmi && dmi_upstream && gen == hint_gen_) {
        txn.addr = addr;
        record_hint(txn, last);
        trans.set_dmi_allowed(true);
    } else {
        trans.set_dmi_allowed(false);
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}
