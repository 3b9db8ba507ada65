/* SPDX-License-Identifier: MIT */
/*
 * smmuv3-systemc-demo: a small virtual platform around smmuv3_tlm.
 *
 *   cpu.regs ----> smmu.regs                    smmu.irq_* --> cpu (counted)
 *   cpu.mem  ---\
 *   cpu.dev  ---+-> dma.regs   dma.dma --> smmu.upstream
 *               \-> memory <-- smmu.downstream, dma.mem (readback)
 *
 * The CPU thread builds tables in memory with the libsmmuv3 builders (through
 * its memory socket), brings the SMMU up through the register socket like a
 * driver, and runs QEMU's three SMMUv3 scenarios (stage 1, stage 2, nested:
 * the iommu-testdev DMA of 0x12345678 to IOVA 0x8080604567 must land at PA
 * 0x4ECBA567), then fault cases: an unmapped IOVA, a read-only page, a
 * StreamID beyond the stream table, an external abort on a table walk, and a
 * stalled DMA that the CPU resumes. Prints one line per case; exits non-zero
 * when any case does not behave as expected.
 */
#include <cstdio>
#include <cstring>

#include "platform.h"
#include "../../../examples/qemu_layout.h"

using namespace sc_core;

namespace {
enum mode { S1, S2, NESTED };
const char *const kModeName[] = { "stage 1", "stage 2", "nested" };

#define TRY(x)                                                                                                     \
    do {                                                                                                           \
        int rc_ = (x);                                                                                             \
        if (rc_) {                                                                                                 \
            std::printf("  %s: %s\n", #x, smmuv3_strerror(rc_));                                                   \
            return rc_;                                                                                            \
        }                                                                                                          \
    } while (0)

struct cpu : sc_module {
    tlm_utils::simple_initiator_socket<cpu> regs{ "regs" }, mem{ "mem" }, dev{ "dev" };
    sc_in<bool> irq_eventq{ "irq_eventq" }, irq_priq{ "irq_priq" }, irq_cmd_sync{ "irq_cmd_sync" },
        irq_gerror{ "irq_gerror" };
    demo_memory *memory = nullptr;
    int failures = 0, cases = 0;
    unsigned eventq_irqs = 0;

    SC_HAS_PROCESS(cpu);
    explicit cpu(sc_module_name n) : sc_module(n), drv(regs, mem)
    {
        SC_THREAD(run);
        SC_METHOD(count_irq);
        sensitive << irq_eventq.pos();
        dont_initialize();
    }

private:
    tlm_driver drv;
    smmuv3_alloc qalloc{}, talloc{};
    smmuv3_space qsp{}, tsp{}, pa_noalloc{}, ipa{};
    smmuv3_strtab st{};
    smmuv3_cdtab cds{};
    smmuv3_pt s1{}, s2{};

    void count_irq() { eventq_irqs++; }

    uint32_t dev_rd(uint32_t off) { return rw_dev(false, off, 0); }
    void dev_wr(uint32_t off, uint32_t v) { rw_dev(true, off, v); }
    uint32_t rw_dev(bool write, uint32_t off, uint32_t v)
    {
        tlm::tlm_generic_payload p;
        sc_time delay = SC_ZERO_TIME;
        tlm_payload_init(p, write, off, reinterpret_cast<unsigned char *>(&v), 4);
        dev->b_transport(p, delay);
        wait(delay);
        return v;
    }

    int build_cd(const smmuv3_space *sp, bool stall)
    {
        smmuv3_cd_params cp;
        uint8_t cd[SMMUV3_CD_BYTES];
        TRY(smmuv3_cdtab_init(&cds, sp, SMMUV3_S1FMT_LINEAR, 0, CD_ADDR));
        TRY(smmuv3_cd_params_from_pt(&s1, ASID, &cp));
        cp.ips = 44;
        cp.stall = stall;
        TRY(smmuv3_cd_s1(cd, &cp));
        return smmuv3_cdtab_write_cd(&cds, 0, cd);
    }

    /* Tables of one scenario (the layout of QEMU's qtest), then CFGI_STE and TLBI. */
    int setup(mode m, bool readonly, bool stall)
    {
        uint8_t ste[SMMUV3_STE_BYTES];
        smmuv3_s2_params p2;
        const unsigned leaf = readonly ? SMMUV3_MAP_READ : SMMUV3_MAP_RW;
        TRY(smmuv3_space_zero(&pa_noalloc, ROOT, TBL_L3 + 0x1000 - ROOT));
        TRY(smmuv3_space_zero(&pa_noalloc, CD_ADDR & ~0xfffull, 0x1000));
        TRY(smmuv3_alloc_init(&talloc, TBL_L1, 0x3000));
        switch (m) {
        case S1:
            TRY(smmuv3_pt_init_s1(&s1, &tsp, 12, 16, ROOT));
            TRY(smmuv3_pt_map(&s1, IOVA & ~0xfffull, TARGET, 0x1000, leaf, 0));
            TRY(build_cd(&qsp, stall));
            TRY(smmuv3_ste_s1(ste, cds.base, cds.fmt, cds.cdmax));
            break;
        case S2:
            TRY(smmuv3_pt_init_s2(&s2, &tsp, 12, 20, 2, ROOT));
            TRY(smmuv3_pt_map(&s2, IOVA & ~0xfffull, TARGET, 0x1000, leaf, 0));
            TRY(smmuv3_s2_params_from_pt(&s2, 0, &p2));
            TRY(smmuv3_ste_s2(ste, &p2));
            break;
        case NESTED:
            TRY(smmuv3_pt_init_s2(&s2, &pa_noalloc, 12, 20, 2, ROOT));
            for (uint64_t a = ROOT; a <= TBL_L3; a += 0x1000)
                TRY(qemu_map_shared(&s2, a, a, SMMUV3_MAP_READ));
            TRY(qemu_map_shared(&s2, CD_ADDR, CD_ADDR & ~0xfffull, SMMUV3_MAP_READ));
            TRY(qemu_map_shared(&s2, TARGET, TARGET, SMMUV3_MAP_RW));
            TRY(smmuv3_space_init_ipa(&ipa, &drv.host, nullptr, smmuv3_pt_to_pa, &s2));
            TRY(smmuv3_pt_init_s1(&s1, &ipa, 12, 16, ROOT | SMMUV3_BUILD_KEEP));
            TRY(qemu_map_shared(&s1, IOVA, TARGET, leaf));
            TRY(build_cd(&ipa, stall));
            TRY(smmuv3_s2_params_from_pt(&s2, 0, &p2));
            TRY(smmuv3_ste_nested(ste, CD_ADDR, SMMUV3_S1FMT_LINEAR, 0, &p2));
            break;
        }
        TRY(smmuv3_strtab_write_ste(&st, SID, ste));
        TRY(drv.cfgi_ste(SID));
        return drv.tlbi_nsnh_all();
    }

    /* The iommu-testdev sequence; returns RESULT once the DMA ended. */
    uint32_t dma(uint64_t iova, bool wait_done = true)
    {
        dev_wr(SMMUV3_TESTDEV_GVA_LO, static_cast<uint32_t>(iova));
        dev_wr(SMMUV3_TESTDEV_GVA_HI, static_cast<uint32_t>(iova >> 32));
        dev_wr(SMMUV3_TESTDEV_GPA_LO, static_cast<uint32_t>(EXPECT_PA));
        dev_wr(SMMUV3_TESTDEV_GPA_HI, static_cast<uint32_t>(EXPECT_PA >> 32));
        dev_wr(SMMUV3_TESTDEV_LEN, 4);
        dev_wr(SMMUV3_TESTDEV_ATTRS, 0xA);
        dev_wr(SMMUV3_TESTDEV_DBELL, SMMUV3_TESTDEV_DBELL_ARM);
        (void)dev_rd(SMMUV3_TESTDEV_DMA_TRIGGERING);
        uint32_t r = dev_rd(SMMUV3_TESTDEV_RESULT);
        for (int i = 0; wait_done && r == SMMUV3_TESTDEV_RESULT_BUSY && i < 10000; i++) {
            wait(10, SC_NS);
            r = dev_rd(SMMUV3_TESTDEV_RESULT);
        }
        return r;
    }

    uint32_t pa_word()
    {
        uint32_t w = 0;
        drv.host.read(drv.host.ctx, EXPECT_PA, &w, 4);
        return w;
    }

    /* One case: RESULT, the word at the PA, and the event expected (0: none). */
    void check(const char *what, uint32_t got, uint32_t want, unsigned want_event, uint64_t want_addr,
               uint32_t want_sid = SID)
    {
        uint8_t rec[SMMUV3_EVENT_BYTES];
        const uint32_t word = pa_word();
        const bool data_ok = (want == SMMUV3_TESTDEV_RESULT_OK) == (word == SMMUV3_TESTDEV_PATTERN);
        bool event_ok;
        if (want_event) {
            event_ok = false;
            while (drv.event_pop(rec) == 1)
                if (tlm_driver::event_field(rec, "eventid") == want_event &&
                    tlm_driver::event_field(rec, "streamid") == want_sid &&
                    (!want_addr || tlm_driver::event_field(rec, "inputaddr") == want_addr))
                    event_ok = true;
        } else {
            event_ok = drv.event_pop(rec) == 0;
        }
        const bool pass = got == want && data_ok && event_ok;
        cases++;
        failures += !pass;
        std::printf("%-34s RESULT 0x%08X (want 0x%08X)  PA 0x%llX = 0x%08X  event %-16s %s  @%s\n", what, got, want,
                    static_cast<unsigned long long>(EXPECT_PA), word,
                    want_event ? smmuv3_event_name(want_event) : "-", pass ? "ok" : "FAILED",
                    sc_time_stamp().to_string().c_str());
        const uint32_t zero = 0;
        drv.host.write(drv.host.ctx, EXPECT_PA, &zero, 4);
    }

    int bring_up()
    {
        uint64_t cmdq, eventq;
        TRY(smmuv3_alloc_init(&qalloc, QUEUES, 0x100000));
        TRY(smmuv3_space_init(&qsp, &drv.host, &qalloc));
        TRY(smmuv3_space_init(&tsp, &drv.host, &talloc));
        TRY(smmuv3_space_init(&pa_noalloc, &drv.host, nullptr));
        TRY(smmuv3_strtab_init_linear(&st, &qsp, STRTAB_LOG2, STRTAB));
        TRY(smmuv3_space_zalloc(&qsp, 16u << 8, 16u << 8, &cmdq));
        TRY(smmuv3_space_zalloc(&qsp, 32u << 7, 32u << 7, &eventq));
        const uint32_t irq = static_cast<uint32_t>(tlm_driver::field("irq_ctrl", "eventq_irqen", 1) |
                                                   tlm_driver::field("irq_ctrl", "gerror_irqen", 1));
        return drv.init(st, cmdq, 8, eventq, 7, irq);
    }

    void run()
    {
        int rc = bring_up();
        if (rc) {
            std::printf("bring-up failed: %s\n", smmuv3_strerror(rc));
            failures++;
            return;
        }
        std::printf("SMMU up through the register socket at %s\n", sc_time_stamp().to_string().c_str());
        char what[64];
        for (mode m : { S1, S2, NESTED }) {
            if (setup(m, false, false)) {
                failures++;
                continue;
            }
            std::snprintf(what, sizeof(what), "%s: translate", kModeName[m]);
            check(what, dma(IOVA), SMMUV3_TESTDEV_RESULT_OK, 0, 0);
        }
        /* fault cases, on the stage 1 tables */
        if (setup(S1, false, false) == 0) {
            check("fault: unmapped IOVA", dma(IOVA + 0x1000), SMMUV3_TESTDEV_RESULT_TX_FAIL,
                  SMMUV3_EVT_F_TRANSLATION, IOVA + 0x1000);
            dev_wr(SMMUV3_TESTDEV_SID, 1u << STRTAB_LOG2);
            check("fault: StreamID beyond the table", dma(IOVA), SMMUV3_TESTDEV_RESULT_TX_FAIL,
                  SMMUV3_EVT_C_BAD_STREAMID, 0, 1u << STRTAB_LOG2);
            dev_wr(SMMUV3_TESTDEV_SID, SID);
        }
        if (setup(S1, true, false) == 0)
            check("fault: write to a read-only page", dma(IOVA), SMMUV3_TESTDEV_RESULT_TX_FAIL,
                  SMMUV3_EVT_F_PERMISSION, IOVA);
        if (setup(S1, false, false) == 0) {
            memory->add_abort(TBL_L3, TBL_L3 + 0xfff);   /* the level 3 table answers with an error */
            check("fault: external abort on the walk", dma(IOVA), SMMUV3_TESTDEV_RESULT_TX_FAIL,
                  SMMUV3_EVT_F_WALK_EABT, IOVA);
            memory->clear_aborts();
        }
        if (setup(S1, false, true) == 0)
            stall_case();
        std::printf("EVENTQ interrupt pulses seen by the CPU: %u\n", eventq_irqs);
        if (eventq_irqs == 0) {
            std::printf("no EVENTQ interrupt: FAILED\n");
            failures++;
        }
        std::printf("%d of %d cases as expected\n", cases - failures, cases);
    }

    /* CD.S = 1: the DMA to an unmapped page stalls in the SMMU; the CPU reads
     * the stall event, maps the page and answers CMD_RESUME (retry). */
    void stall_case()
    {
        const uint64_t iova = IOVA + 0x2000, pa = EXPECT_PA;
        uint32_t r = dma(iova, false);
        wait(1, SC_US);
        uint8_t rec[SMMUV3_EVENT_BYTES];
        bool stalled = false;
        uint16_t stag = 0;
        while (drv.event_pop(rec) == 1)
            if (tlm_driver::event_field(rec, "stall")) {
                stalled = true;
                stag = static_cast<uint16_t>(tlm_driver::event_field(rec, "stag"));
            }
        const uint32_t busy = dev_rd(SMMUV3_TESTDEV_RESULT);
        const int mapped = smmuv3_pt_map(&s1, iova & ~0xfffull, pa & ~0xfffull, 0x1000, SMMUV3_MAP_RW, 0);
        drv.resume(SID, stag, 1);
        for (int i = 0; r == SMMUV3_TESTDEV_RESULT_BUSY && i < 1000; i++) {
            wait(10, SC_NS);
            r = dev_rd(SMMUV3_TESTDEV_RESULT);
        }
        const bool ok = stalled && busy == SMMUV3_TESTDEV_RESULT_BUSY && mapped == 0;
        std::printf("stall: event with STAG %u, DMA %s while stalled, resumed by CMD_RESUME: %s\n", stag,
                    busy == SMMUV3_TESTDEV_RESULT_BUSY ? "waiting" : "NOT waiting", ok ? "ok" : "FAILED");
        failures += !ok;
        check("stall: resumed DMA completes", r, SMMUV3_TESTDEV_RESULT_OK, 0, 0);
    }
};
} // namespace

int sc_main(int, char *[])
{
    smmuv3_config cfg;
    smmuv3_config_default(&cfg);
    demo_memory memory("memory", 0x40000000ull, 0x10000000ull);
    smmuv3_tlm smmu("smmu", cfg, SID);
    demo_dma dma("dma", SID);
    cpu cpu0("cpu");
    sc_signal<bool> irq[4];

    cpu0.memory = &memory;
    cpu0.regs.bind(smmu.regs);
    cpu0.mem.bind(memory.socket);
    cpu0.dev.bind(dma.regs);
    dma.dma.bind(smmu.upstream);
    dma.mem.bind(memory.socket);
    wire_smmu(smmu, memory, irq);
    cpu0.irq_eventq(irq[0]);
    cpu0.irq_priq(irq[1]);
    cpu0.irq_cmd_sync(irq[2]);
    cpu0.irq_gerror(irq[3]);

    sc_start();
    smmuv3_stats s;
    smmuv3_get_stats(smmu.model(), &s);
    std::printf("simulated %s; translations %llu (IOTLB hits %llu, walks %llu), commands %llu, events %llu, "
                "memory accesses %llu\n",
                sc_time_stamp().to_string().c_str(), static_cast<unsigned long long>(s.translations),
                static_cast<unsigned long long>(s.tlb_hits), static_cast<unsigned long long>(s.walks),
                static_cast<unsigned long long>(s.commands), static_cast<unsigned long long>(s.events),
                static_cast<unsigned long long>(memory.accesses));
    return cpu0.failures || cpu0.cases < 8 ? 1 : 0;
}
