/* SPDX-License-Identifier: MIT */
/*
 * SMMUv3 register offsets and a few bits (IHI 0070 6.2, 6.3) spelled out for
 * the tests that drive the model as a driver would, through MMIO only
 * (the conformance and Secure tests); the model's own tables are not used on
 * purpose.
 */
#ifndef SMMUV3_TEST_SMMU_REGS_H
#define SMMUV3_TEST_SMMU_REGS_H

#define IDR0 0x00
#define IDR1 0x04
#define IDR3 0x0C
#define IDR5 0x14
#define IIDR 0x18
#define AIDR 0x1C
#define CR0 0x20
#define CR0ACK 0x24
#define CR1 0x28
#define CR2 0x2C
#define GBPA 0x44
#define IRQ_CTRL 0x50
#define IRQ_CTRLACK 0x54
#define GERROR 0x60
#define GERRORN 0x64
#define GERROR_IRQ_CFG0 0x68
#define GERROR_IRQ_CFG1 0x70
#define GERROR_IRQ_CFG2 0x74
#define STRTAB_BASE 0x80
#define STRTAB_BASE_CFG 0x88
#define CMDQ_BASE 0x90
#define CMDQ_PROD 0x98
#define CMDQ_CONS 0x9C
#define EVENTQ_BASE 0xA0
#define EVENTQ_IRQ_CFG0 0xB0
#define EVENTQ_IRQ_CFG1 0xB8
#define EVENTQ_IRQ_CFG2 0xBC
#define EVENTQ_PROD 0x100A8
#define EVENTQ_CONS 0x100AC

/* CR0 enables, GBPA, IRQ_CTRL and base register bits */
#define CR0_SMMUEN (1u << 0)
#define CR0_EVTQEN (1u << 2)
#define CR0_CMDQEN (1u << 3)
#define GBPA_UPDATE (1u << 31)
#define GBPA_ABORT (1u << 20)
#define IRQ_CTRL_GERROR (1u << 0)
#define IRQ_CTRL_EVTQ (1u << 2)
#define Q_BASE_RWA (1ull << 62)
#define STRTAB_BASE_RA (1ull << 62)

/* The Secure bank (IHI 0070 6.2, 6.3.52-6.3.77): the Non-secure offsets
 * + 0x8000, RAZ/WI to Non-secure accesses (3.10.2); S_EVENTQ_PROD/CONS sit
 * in page 0. */
#define S_IDR0 0x8000
#define S_IDR1 0x8004
#define S_IDR2 0x8008
#define S_IDR3 0x800C
#define S_IDR4 0x8010
#define S_CR0 0x8020
#define S_CR0ACK 0x8024
#define S_CR1 0x8028
#define S_CR2 0x802C
#define S_INIT 0x803C
#define S_GBPA 0x8044
#define S_IRQ_CTRL 0x8050
#define S_IRQ_CTRLACK 0x8054
#define S_GERROR 0x8060
#define S_GERRORN 0x8064
#define S_GERROR_IRQ_CFG0 0x8068
#define S_GERROR_IRQ_CFG1 0x8070
#define S_STRTAB_BASE 0x8080
#define S_STRTAB_BASE_CFG 0x8088
#define S_CMDQ_BASE 0x8090
#define S_CMDQ_PROD 0x8098
#define S_CMDQ_CONS 0x809C
#define S_EVENTQ_BASE 0x80A0
#define S_EVENTQ_PROD 0x80A8
#define S_EVENTQ_CONS 0x80AC
#define S_EVENTQ_IRQ_CFG0 0x80B0
#define S_EVENTQ_IRQ_CFG1 0x80B8

#endif
