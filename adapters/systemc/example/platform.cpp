/* SPDX-License-Identifier: MIT */
/* The demo platform's memory, DMA device and CPU-side driver: see platform.h. */
#include "platform.h"

#include <cstdlib>
#include <cstring>

using namespace sc_core;
using tlm::tlm_generic_payload;

/* ================================================================ memory */
demo_memory::demo_memory(sc_module_name name, uint64_t base, uint64_t size)
    : sc_module(name), socket("socket"), base_(base), size_(size),
      mem_(static_cast<unsigned char *>(std::calloc(size, 1)))
{
    if (!mem_)
        SC_REPORT_FATAL("demo_memory", "out of memory");
    socket.register_b_transport(this, &demo_memory::b_transport);
    socket.register_get_direct_mem_ptr(this, &demo_memory::get_dmi);
    socket.register_transport_dbg(this, &demo_memory::transport_dbg);
}

demo_memory::~demo_memory() { std::free(mem_); }

bool demo_memory::in_range(uint64_t a, uint64_t len) const
{
    return len && a >= base_ && a - base_ < size_ && len <= size_ - (a - base_);
}

bool demo_memory::aborted(uint64_t a, uint64_t len) const
{
    for (const auto &r : aborts_)
        if (a <= r.second && a + (len - 1) >= r.first)
            return true;
    return false;
}

void demo_memory::invalidate_all()
{
    for (unsigned i = 0; i < socket.size(); i++)
        socket[i]->invalidate_direct_mem_ptr(0, ~static_cast<sc_dt::uint64>(0));
}

void demo_memory::add_abort(uint64_t lo, uint64_t hi)
{
    aborts_.emplace_back(lo, hi);
    invalidate_all();
}

void demo_memory::clear_aborts() { aborts_.clear(); }

bool demo_memory::peek(uint64_t pa, void *buf, size_t len) const
{
    if (!in_range(pa, len))
        return false;
    std::memcpy(buf, mem_ + (pa - base_), len);
    return true;
}

bool demo_memory::poke(uint64_t pa, const void *buf, size_t len)
{
    if (!in_range(pa, len))
        return false;
    std::memcpy(mem_ + (pa - base_), buf, len);
    return true;
}

void demo_memory::b_transport(int, tlm_generic_payload &trans, sc_time &delay)
{
    const uint64_t a = trans.get_address();
    const unsigned len = trans.get_data_length(), sw = trans.get_streaming_width();
    const unsigned char *be = trans.get_byte_enable_ptr();
    const unsigned be_len = trans.get_byte_enable_length();
    unsigned char *data = trans.get_data_ptr();
    accesses++;
    if (seen)
        seen(trans);
    if (hook) {
        std::function<void()> h = std::move(hook);
        hook = nullptr;
        h();
    }
    if (trans.get_command() == tlm::TLM_IGNORE_COMMAND) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if (!data || !sw || (be && !be_len)) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    const uint64_t span = sw < len ? sw : len;
    if (!in_range(a, span)) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (aborted(a, span)) {
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    const bool wr = trans.get_command() == tlm::TLM_WRITE_COMMAND;
    for (unsigned i = 0; i < len; i++) {
        if (be && !be[i % be_len])
            continue;
        unsigned char *m = mem_ + (a - base_) + (i % sw);
        if (wr)
            *m = data[i];
        else
            data[i] = *m;
    }
    delay += latency;
    trans.set_dmi_allowed(aborts_.empty());
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

bool demo_memory::get_dmi(int, tlm_generic_payload &, tlm::tlm_dmi &dmi)
{
    if (!aborts_.empty())
        return false;
    dmi.set_dmi_ptr(mem_);
    dmi.set_start_address(base_);
    dmi.set_end_address(base_ + size_ - 1);
    dmi.allow_read_write();
    dmi.set_read_latency(latency);
    dmi.set_write_latency(latency);
    return true;
}

unsigned int demo_memory::transport_dbg(int, tlm_generic_payload &trans)
{
    const uint64_t a = trans.get_address();
    const unsigned len = trans.get_data_length();
    if (!trans.get_data_ptr() || !in_range(a, len))
        return 0;
    if (trans.get_command() == tlm::TLM_WRITE_COMMAND)
        std::memcpy(mem_ + (a - base_), trans.get_data_ptr(), len);
    else if (trans.get_command() == tlm::TLM_READ_COMMAND)
        std::memcpy(trans.get_data_ptr(), mem_ + (a - base_), len);
    return len;
}

/* ================================================================ DMA device */
demo_dma::demo_dma(sc_module_name name, uint32_t sid)
    : sc_module(name), regs("regs"), dma("dma"), mem("mem"), sid_(sid)
{
    regs.register_b_transport(this, &demo_dma::regs_b_transport);
    SC_THREAD(dma_thread);
}

void demo_dma::regs_b_transport(tlm_generic_payload &trans, sc_time &delay)
{
    const uint64_t off = trans.get_address();
    unsigned char *data = trans.get_data_ptr();
    if (!data || trans.get_data_length() != 4 || trans.get_streaming_width() < 4 || trans.get_byte_enable_ptr() ||
        (off & 3)) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    uint32_t v = 0;
    if (trans.get_command() == tlm::TLM_READ_COMMAND) {
        v = read_reg(off);
        std::memcpy(data, &v, 4);
    } else if (trans.get_command() == tlm::TLM_WRITE_COMMAND) {
        std::memcpy(&v, data, 4);
        write_reg(off, v);
    }
    delay += sc_time(5, SC_NS);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

uint32_t demo_dma::read_reg(uint64_t off)
{
    switch (off) {
    case SMMUV3_TESTDEV_DMA_TRIGGERING: trigger(); return 0;
    case SMMUV3_TESTDEV_GVA_LO: return static_cast<uint32_t>(gva_);
    case SMMUV3_TESTDEV_GVA_HI: return static_cast<uint32_t>(gva_ >> 32);
    case SMMUV3_TESTDEV_LEN: return len_;
    case SMMUV3_TESTDEV_RESULT: return result_;
    case SMMUV3_TESTDEV_DBELL: return armed_ ? 1 : 0;
    case SMMUV3_TESTDEV_ATTRS: return attrs_;
    case SMMUV3_TESTDEV_GPA_LO: return static_cast<uint32_t>(gpa_);
    case SMMUV3_TESTDEV_GPA_HI: return static_cast<uint32_t>(gpa_ >> 32);
    case SMMUV3_TESTDEV_SSID: return ssid_;
    case SMMUV3_TESTDEV_TXN_ATTRS: return txn_attrs_;
    case SMMUV3_TESTDEV_SID: return sid_;
    default: return 0;
    }
}

void demo_dma::write_reg(uint64_t off, uint32_t v)
{
    switch (off) {
    case SMMUV3_TESTDEV_GVA_LO: gva_ = (gva_ & ~0xFFFFFFFFull) | v; break;
    case SMMUV3_TESTDEV_GVA_HI: gva_ = (gva_ & 0xFFFFFFFFull) | static_cast<uint64_t>(v) << 32; break;
    case SMMUV3_TESTDEV_LEN: len_ = v; break;
    case SMMUV3_TESTDEV_RESULT: result_ = v; break;
    case SMMUV3_TESTDEV_DBELL:
        if (running_)
            break;
        armed_ = v & SMMUV3_TESTDEV_DBELL_ARM;
        result_ = armed_ ? SMMUV3_TESTDEV_RESULT_BUSY : SMMUV3_TESTDEV_RESULT_IDLE;
        break;
    case SMMUV3_TESTDEV_ATTRS: attrs_ = v; break;
    case SMMUV3_TESTDEV_GPA_LO: gpa_ = (gpa_ & ~0xFFFFFFFFull) | v; break;
    case SMMUV3_TESTDEV_GPA_HI: gpa_ = (gpa_ & 0xFFFFFFFFull) | static_cast<uint64_t>(v) << 32; break;
    case SMMUV3_TESTDEV_SSID: ssid_ = v & (SMMUV3_TESTDEV_SSID_SSV | 0xFFFFFu); break;
    case SMMUV3_TESTDEV_TXN_ATTRS: txn_attrs_ = v & 3u; break;
    case SMMUV3_TESTDEV_SID: sid_ = v; break;
    default: break;
    }
}

/* The checks of the iommu-testdev ABI run at the trigger; the DMA itself runs
 * in dma_thread (RESULT stays BUSY meanwhile). */
void demo_dma::trigger()
{
    if (running_)
        return;
    if (!armed_) {
        result_ = SMMUV3_TESTDEV_RESULT_NOT_ARMED;
        return;
    }
    armed_ = false;
    if (len_ == 0 || len_ > SMMUV3_TESTDEV_MAX_LEN) {
        result_ = SMMUV3_TESTDEV_RESULT_BAD_LEN;
        return;
    }
    const bool secure = attrs_ & SMMUV3_TESTDEV_ATTRS_SECURE;
    const unsigned space = (attrs_ >> 1) & 3u;
    if ((attrs_ & SMMUV3_TESTDEV_ATTRS_SPACE_VALID) && space <= SMMUV3_TESTDEV_SPACE_NONSECURE &&
        secure != (space == SMMUV3_TESTDEV_SPACE_SECURE)) {
        result_ = SMMUV3_TESTDEV_RESULT_BAD_ATTRS;
        return;
    }
    if (secure || ((attrs_ & SMMUV3_TESTDEV_ATTRS_SPACE_VALID) && space != SMMUV3_TESTDEV_SPACE_NONSECURE)) {
        result_ = SMMUV3_TESTDEV_RESULT_TX_FAIL;   /* only the Non-secure interface is modelled */
        return;
    }
    running_ = true;
    result_ = SMMUV3_TESTDEV_RESULT_BUSY;
    start_ev_.notify(SC_ZERO_TIME);
}

void demo_dma::dma_thread()
{
    for (;;) {
        wait(start_ev_);
        std::vector<unsigned char> buf(len_), back(len_);
        for (uint32_t i = 0; i < len_; i++)
            buf[i] = static_cast<unsigned char>(SMMUV3_TESTDEV_PATTERN >> (8 * (i % 4)));
        sc_time delay = SC_ZERO_TIME;
        tlm_generic_payload p;
        tlm_payload_init(p, true, gva_, buf.data(), len_);
        smmuv3_tlm_ext *ext = new smmuv3_tlm_ext;   /* freed with the payload */
        ext->sid = sid_;
        ext->ssv = ssid_ & SMMUV3_TESTDEV_SSID_SSV;
        ext->ssid = ssid_ & 0xFFFFFu;
        ext->priv = txn_attrs_ & SMMUV3_TESTDEV_TXN_PRIV;
        ext->inst = txn_attrs_ & SMMUV3_TESTDEV_TXN_INST;
        p.set_extension(ext);
        dma->b_transport(p, delay);
        uint32_t result = SMMUV3_TESTDEV_RESULT_OK;
        if (p.get_response_status() != tlm::TLM_OK_RESPONSE) {
            result = SMMUV3_TESTDEV_RESULT_TX_FAIL;
        } else {
            tlm_generic_payload r;
            tlm_payload_init(r, false, gpa_, back.data(), len_);
            mem->b_transport(r, delay);
            if (r.get_response_status() != tlm::TLM_OK_RESPONSE)
                result = SMMUV3_TESTDEV_RESULT_RD_FAIL;
            else if (std::memcmp(buf.data(), back.data(), len_ & ~3u) != 0)
                result = SMMUV3_TESTDEV_RESULT_MISMATCH;
        }
        wait(delay);
        result_ = result;
        running_ = false;
    }
}

/* ================================================================ CPU-side driver */
tlm_driver::tlm_driver(tlm::tlm_initiator_socket<> &regs, tlm::tlm_initiator_socket<> &mem)
    : host{}, regs_(regs), mem_(mem)
{
    host.ctx = this;
    host.read = &tlm_driver::mem_read;
    host.write = &tlm_driver::mem_write;
}

int tlm_driver::mem_access(bool write, uint64_t pa, void *buf, size_t len)
{
    tlm_generic_payload p;
    sc_time delay = SC_ZERO_TIME;
    tlm_payload_init(p, write, pa, static_cast<unsigned char *>(buf), static_cast<unsigned>(len));
    mem_->b_transport(p, delay);
    wait(delay);
    if (p.get_response_status() != tlm::TLM_OK_RESPONSE) {
        bus_error = true;
        return SMMUV3_EABORT;
    }
    return 0;
}

int tlm_driver::mem_read(void *ctx, uint64_t pa, void *buf, size_t len)
{
    return static_cast<tlm_driver *>(ctx)->mem_access(false, pa, buf, len);
}

int tlm_driver::mem_write(void *ctx, uint64_t pa, const void *buf, size_t len)
{
    return static_cast<tlm_driver *>(ctx)->mem_access(true, pa, const_cast<void *>(buf), len);
}

bool tlm_driver::reg_access(bool write, uint32_t off, uint64_t &v, unsigned size)
{
    tlm_generic_payload p;
    sc_time delay = SC_ZERO_TIME;
    unsigned char buf[8];
    std::memcpy(buf, &v, 8);
    tlm_payload_init(p, write, off, buf, size);
    regs_->b_transport(p, delay);
    wait(delay);
    if (p.get_response_status() != tlm::TLM_OK_RESPONSE) {
        bus_error = true;
        return false;
    }
    v = 0;
    std::memcpy(&v, buf, size);
    return true;
}

uint32_t tlm_driver::rd32(uint32_t off)
{
    uint64_t v = 0;
    reg_access(false, off, v, 4);
    return static_cast<uint32_t>(v);
}

uint64_t tlm_driver::rd64(uint32_t off)
{
    uint64_t v = 0;
    reg_access(false, off, v, 8);
    return v;
}

void tlm_driver::wr32(uint32_t off, uint32_t v)
{
    uint64_t x = v;
    reg_access(true, off, x, 4);
}

void tlm_driver::wr64(uint32_t off, uint64_t v) { reg_access(true, off, v, 8); }

uint32_t tlm_driver::reg(const char *name)
{
    const smmuv3_reg *r = smmuv3_reg_find(name);
    return r ? r->offset : 0xFFFFFFFFu;
}

uint64_t tlm_driver::field(const char *reg, const char *field, uint64_t v)
{
    const smmuv3_reg *r = smmuv3_reg_find(reg);
    const smmuv3_field *f = r && r->layout ? smmuv3_field_find(r->layout, field) : nullptr;
    uint64_t img = 0;
    if (f)
        smmuv3_field_set(f, &img, v);
    return img;
}

static int poll(tlm_driver &d, uint32_t off, uint32_t want)
{
    for (int i = 0; i < 1000; i++)
        if (d.rd32(off) == want)
            return 0;
    return SMMUV3_EABORT;
}

int tlm_driver::init(const smmuv3_strtab &st, uint64_t cmdq, unsigned cmdq_log2, uint64_t eventq,
                     unsigned eventq_log2, uint32_t irq_ctrl)
{
    cmdq_ = cmdq;
    cmdq_log2_ = cmdq_log2;
    eventq_ = eventq;
    eventq_log2_ = eventq_log2;
    const uint32_t cr0 = reg("cr0"), cr0ack = reg("cr0ack");
    wr32(cr0, 0);
    if (poll(*this, cr0ack, 0))
        return SMMUV3_EABORT;
    wr32(reg("cr1"), static_cast<uint32_t>(field("cr1", "queue_ic", 1) | field("cr1", "queue_oc", 1) |
                                           field("cr1", "queue_sh", 3) | field("cr1", "table_ic", 1) |
                                           field("cr1", "table_oc", 1) | field("cr1", "table_sh", 3)));
    wr32(reg("cr2"), static_cast<uint32_t>(field("cr2", "recinvsid", 1) | field("cr2", "ptm", 1)));
    wr64(reg("strtab_base"), smmuv3_strtab_base_reg(&st));
    wr32(reg("strtab_base_cfg"), smmuv3_strtab_cfg_reg(&st));
    wr64(reg("cmdq_base"), field("cmdq_base", "addr", cmdq) | field("cmdq_base", "log2size", cmdq_log2) |
                               field("cmdq_base", "wa_ra", 1));
    wr32(reg("cmdq_prod"), 0);
    wr32(reg("cmdq_cons"), 0);
    prod_ = 0;
    uint32_t v = static_cast<uint32_t>(field("cr0", "cmdqen", 1));
    wr32(cr0, v);
    if (poll(*this, cr0ack, v))
        return SMMUV3_EABORT;
    int rc = cmd1("CMD_CFGI_STE_RANGE", "range", 31);
    if (!rc && field("idr0", "hyp", 1) & rd32(reg("idr0")))
        rc = cmd1("CMD_TLBI_EL2_ALL");
    if (!rc)
        rc = tlbi_nsnh_all();
    if (rc)
        return rc;
    wr64(reg("eventq_base"), field("eventq_base", "addr", eventq) | field("eventq_base", "log2size", eventq_log2) |
                                 field("eventq_base", "wa_ra", 1));
    wr32(reg("eventq_prod"), 0);
    wr32(reg("eventq_cons"), 0);
    cons_ = 0;
    v |= static_cast<uint32_t>(field("cr0", "eventqen", 1));
    wr32(cr0, v);
    if (poll(*this, cr0ack, v))
        return SMMUV3_EABORT;
    wr32(reg("irq_ctrl"), irq_ctrl);
    if (poll(*this, reg("irq_ctrlack"), irq_ctrl))
        return SMMUV3_EABORT;
    v |= static_cast<uint32_t>(field("cr0", "smmuen", 1));
    wr32(cr0, v);
    if (poll(*this, cr0ack, v))
        return SMMUV3_EABORT;
    return bus_error ? SMMUV3_EABORT : 0;
}

uint32_t tlm_driver::cmdq_err()
{
    const smmuv3_reg *r = smmuv3_reg_find("cmdq_cons");
    uint64_t v = rd32(r->offset);
    return static_cast<uint32_t>(smmuv3_field_get(smmuv3_field_find(r->layout, "err"), &v));
}

int tlm_driver::submit(const uint8_t cmd[SMMUV3_CMD_BYTES])
{
    const uint32_t idx_mask = (1u << cmdq_log2_) - 1, mask = (2u << cmdq_log2_) - 1;
    int rc = mem_access(true, cmdq_ + static_cast<uint64_t>(prod_ & idx_mask) * SMMUV3_CMD_BYTES,
                        const_cast<uint8_t *>(cmd), SMMUV3_CMD_BYTES);
    if (rc)
        return rc;
    prod_ = (prod_ + 1) & mask;
    wr32(reg("cmdq_prod"), prod_);
    const uint32_t cons = rd32(reg("cmdq_cons"));
    if ((cons & mask) != prod_ || cmdq_err())
        return SMMUV3_EABORT;
    return 0;
}

int tlm_driver::cmd1(const char *op, const char *f1, uint64_t v1, const char *f2, uint64_t v2, const char *f3,
                     uint64_t v3)
{
    uint8_t c[SMMUV3_CMD_BYTES];
    const char *names[3] = { f1, f2, f3 };
    const uint64_t values[3] = { v1, v2, v3 };
    unsigned n = f3 ? 3 : f2 ? 2 : f1 ? 1 : 0;
    int rc = smmuv3_cmd_build(c, op, names, values, n);
    return rc ? rc : submit(c);
}

int tlm_driver::sync(unsigned cs) { return cmd1("CMD_SYNC", "cs", cs); }

int tlm_driver::cfgi_ste(uint32_t sid)
{
    int rc = cmd1("CMD_CFGI_STE", "sid", sid, "leaf", 1);
    return rc ? rc : sync();
}

int tlm_driver::tlbi_nsnh_all()
{
    int rc = cmd1("CMD_TLBI_NSNH_ALL");
    return rc ? rc : sync();
}

int tlm_driver::tlbi_nh_va(uint16_t asid, uint64_t va)
{
    int rc = cmd1("CMD_TLBI_NH_VA", "asid", asid, "address", va & ~0xFFFull);
    return rc ? rc : sync();
}

int tlm_driver::resume(uint32_t sid, uint16_t stag, unsigned action)
{
    int rc = cmd1("CMD_RESUME", "sid", sid, "stag", stag, "action", action);
    return rc ? rc : sync();
}

int tlm_driver::stall_term(uint32_t sid)
{
    int rc = cmd1("CMD_STALL_TERM", "sid", sid);
    return rc ? rc : sync();
}

int tlm_driver::event_pop(uint8_t rec[SMMUV3_EVENT_BYTES])
{
    const uint32_t idx_mask = (1u << eventq_log2_) - 1, mask = (2u << eventq_log2_) - 1;
    const uint32_t prod = rd32(reg("eventq_prod")) & mask;
    if (prod == cons_)
        return 0;
    if (mem_access(false, eventq_ + static_cast<uint64_t>(cons_ & idx_mask) * SMMUV3_EVENT_BYTES, rec,
                   SMMUV3_EVENT_BYTES))
        return 0;
    cons_ = (cons_ + 1) & mask;
    wr32(reg("eventq_cons"), cons_);
    return 1;
}

uint64_t tlm_driver::event_field(const uint8_t rec[SMMUV3_EVENT_BYTES], const char *name)
{
    uint64_t v = 0;
    smmuv3_event_get(rec, name, &v);
    return v;
}
