/* Unit tests: the driver helper (src/build/driver.c): bring-up and its
 * options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <smmuv3/smmuv3.h>
#include "buildenv.h"
#include "test_main.h"

/* ------------------------------------------------------------ driver */
static void test_driver(void **state)
{
    (void)state;
    env *e = env_new(true);
    /* bring-up left the SMMU enabled with our queues and table */
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x24, 4) & 0xf, 0xd);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x80, 8), smmuv3_strtab_base_reg(&e->st));
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x88, 4), smmuv3_strtab_cfg_reg(&e->st));
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x90, 8) & 0x000ffffffffffFE0ull, e->drv.cmdq_base);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x9C, 4), e->drv.cmdq_prod);
    assert_int_equal(smmuv3_driver_gerror(&e->drv), 0);
    /* commands by name and raw */
    uint8_t cmd[16];
    assert_int_equal(smmuv3_cmd_init(cmd, SMMUV3_CMD_SYNC), 0);
    assert_int_equal(smmuv3_driver_submit(&e->drv, cmd), 0);
    assert_int_equal(smmuv3_driver_submit_raw(&e->drv, SMMUV3_CMD_TLBI_NSNH_ALL, 0), 0);
    assert_int_equal(smmuv3_driver_cfgi_cd(&e->drv, 1, 2), 0);
    /* CFGI_STE with Leaf = 0: the L1STD too (3.21.3); it sits before its CMD_SYNC */
    assert_int_equal(smmuv3_driver_cfgi_ste(&e->drv, 5), 0);
    uint32_t slot = (e->drv.cmdq_prod - 2) & ((1u << e->drv.cmdq_log2) - 1);
    uint8_t got[16];
    assert_int_equal(smmuv3_mem_read(e->mem, e->drv.cmdq_base + 16ull * slot, got, 16), 0);
    assert_int_equal(img_get(got, "CMD_CFGI_STE", "opcode"), SMMUV3_CMD_CFGI_STE);
    assert_int_equal(img_get(got, "CMD_CFGI_STE", "sid"), 5);
    assert_int_equal(img_get(got, "CMD_CFGI_STE", "leaf"), 0);
    assert_int_equal(smmuv3_driver_cfgi_all(&e->drv), 0);
    assert_int_equal(smmuv3_driver_tlbi_nh_asid(&e->drv, 0, 1), 0);
    /* an illegal command: CERROR_ILL and GERROR.CMDQ_ERR; recover */
    assert_int_equal(smmuv3_driver_submit_raw(&e->drv, 0xFF, 0), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, SMMUV3_CERROR_ILL);
    assert_true(e->drv.gerror & 1);
    assert_int_equal(smmuv3_driver_cmdq_err(&e->drv), SMMUV3_CERROR_ILL);
    assert_int_equal(smmuv3_driver_cmdq_recover(&e->drv), 0);
    assert_int_equal(smmuv3_driver_gerror(&e->drv), 0);
    assert_int_equal(smmuv3_driver_sync(&e->drv), 0);
    /* many commands wrap the queue */
    for (unsigned i = 0; i < 600; i++)
        assert_int_equal(smmuv3_driver_sync(&e->drv), 0);
    /* events: a bad StreamID */
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 0);
    smmuv3_txn t = { .sid = 1000 };
    smmuv3_result r;
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    t.sid = 0;   /* STE 0 is invalid (zeroed table) */
    assert_int_equal(smmuv3_translate(e->smmu, &t, &r), SMMUV3_XLATE_ABORT);
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 2);
    uint8_t rec[32];
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 1);
    assert_int_equal(img_get(rec, "event", "eventid"), SMMUV3_EVT_C_BAD_STREAMID);
    assert_int_equal(img_get(rec, "event", "streamid"), 1000);
    assert_int_equal(smmuv3_driver_event_count(&e->drv), 1);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x100AC, 4), e->drv.eventq_cons);
    assert_int_equal(smmuv3_driver_event_find(&e->drv, SMMUV3_EVT_C_BAD_STE, rec), 1);
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, rec), 0);
    assert_int_equal(smmuv3_driver_event_find(&e->drv, SMMUV3_EVT_C_BAD_STE, rec), 0);
    /* NULL arguments */
    assert_int_equal(smmuv3_driver_submit(NULL, cmd), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_event_pop(&e->drv, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_init(NULL, e->smmu, &e->sp, &e->st, NULL), SMMUV3_EINVAL);
    assert_int_equal(smmuv3_driver_gerror(NULL), 0);
    env_free(e);
}

static void test_driver_options(void **state)
{
    (void)state;
    env *e = env_new(false);
    smmuv3_driver_cfg cfg;
    smmuv3_driver_cfg_default(&cfg);
    cfg.cmdq_log2 = 2;
    cfg.no_smmuen = true;
    cfg.no_eventq = true;
    cfg.irq_ctrl = 0x5;
    assert_int_equal(smmuv3_driver_init(&e->drv, e->smmu, &e->sp, &e->st, &cfg), 0);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x24, 4) & 0xf, 0x8);
    assert_int_equal(smmuv3_mmio_read(e->smmu, 0x54, 4), 0x5);
    /* a 4-entry queue: one submission of 5 commands does not fit */
    uint8_t cmds[5 * 16];
    for (unsigned i = 0; i < 5; i++)
        smmuv3_cmd_init(cmds + 16 * i, SMMUV3_CMD_SYNC);
    assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 5), SMMUV3_ENOMEM);
    assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 4), 0);
    for (unsigned i = 0; i < 10; i++)
        assert_int_equal(smmuv3_driver_submit_n(&e->drv, cmds, 3), 0);
    /* with the command queue disabled nothing is consumed */
    assert_int_equal(smmuv3_driver_write_cr0(&e->drv, 0), 0);
    assert_int_equal(smmuv3_driver_sync(&e->drv), SMMUV3_EABORT);
    assert_int_equal(e->drv.cerror, 0);
    env_free(e);
}

TEST_MAIN(test_driver, test_driver_options)
