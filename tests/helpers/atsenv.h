/* SPDX-License-Identifier: MIT */
/*
 * Test environment for ATS and PRI (tests/test_ats*.c, tests/test_priq.c):
 * an SMMU over flat memory brought up through MMIO by the driver helper, a
 * linear stream table of 16 StreamIDs, streams of each kind built with the
 * public builders, and a host that records every ATC invalidation, PRG
 * response and interrupt the SMMU delivers.
 */
#ifndef SMMUV3_TEST_ATSENV_H
#define SMMUV3_TEST_ATSENV_H

#include <stdbool.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>
#include <smmuv3/build.h>

#define AE_MAX_REC 64
#define AE_NEST_OFF 0x100000000ull   /* a nested stream's stage 2 maps IPA x to PA x + this */
#define AE_IPA_BASE 0x80000000ull    /* nested streams' IPA window for their tables */
#define AE_IPA_PA   0x60000000ull
#define AE_IPA_SIZE 0x04000000ull

typedef struct atsenv {
    smmuv3_mem *mem;
    smmuv3_host host;
    smmuv3 *s;
    smmuv3_config cfg;
    smmuv3_alloc al, ial;
    smmuv3_space pa, ipa;
    smmuv3_strtab st;
    smmuv3_driver drv;
    smmuv3_pt pt[16];            /* per StreamID: stage 1 (stage 2 for stage 2-only streams) */
    smmuv3_pt s2nest;            /* the stage 2 every nested stream shares */
    smmuv3_atc_inv inv[AE_MAX_REC];
    unsigned ninv;
    smmuv3_pri_resp resp[AE_MAX_REC];
    unsigned nresp;
    unsigned irqs[4];
    uint64_t msi_addr[AE_MAX_REC];   /* host writes of 4 bytes to AE_MSI_* addresses */
    unsigned nmsi;
    smmuv3_testdev *dev;             /* when set, ATC invalidations and PRG responses go to it too */
} atsenv;

#define AE_MSI_BASE 0x7F000000ull     /* 4-byte host writes at or above this are recorded MSIs */

/* The default profile when c is NULL; the SMMU is enabled with the event
 * queue on and CR0.ATSCHK as given. NULL when anything fails. */
atsenv *atsenv_new(const smmuv3_config *c, bool atschk);
void atsenv_free(atsenv *e);

/* Streams. eats is STE.EATS; cdmax 0 means one CD (no substreams); every CD
 * of a stream uses the stream's one stage 1 table (CD n has ASID sid*16+n). */
void atsenv_s1(atsenv *e, uint32_t sid, unsigned eats, unsigned cdmax, unsigned s1dss);
void atsenv_s2(atsenv *e, uint32_t sid, unsigned eats);
void atsenv_nested(atsenv *e, uint32_t sid, unsigned eats, unsigned cdmax, unsigned s1dss);
void atsenv_bypass(atsenv *e, uint32_t sid, unsigned eats);
void atsenv_abort(atsenv *e, uint32_t sid);
/* Change one STE field of sid (then CFGI_STE + CMD_SYNC). */
void atsenv_ste_field(atsenv *e, uint32_t sid, const char *field, uint64_t value);

/* Map va -> out in the stream's table; for nested streams stage 2 maps the
 * IPA `out` to out + AE_NEST_OFF with s2perms. */
void atsenv_map(atsenv *e, uint32_t sid, uint64_t va, uint64_t out, uint64_t size, unsigned perms);
void atsenv_map_s2(atsenv *e, uint64_t ipa, uint64_t size, unsigned s2perms);

int atsenv_ats(atsenv *e, uint32_t sid, bool ssv, uint32_t ssid, uint64_t addr, uint32_t flags,
               smmuv3_ats_result *r);
int atsenv_xlate(atsenv *e, uint32_t sid, uint64_t addr, uint32_t flags, smmuv3_result *r);
/* EventIDs in the event queue, popped; returns how many (at most max). */
unsigned atsenv_events(atsenv *e, uint8_t *ids, unsigned max);
/* Submit a command built by name (then CMD_SYNC); returns the driver's result. */
int atsenv_cmd(atsenv *e, const char *op, const char *const *names, const uint64_t *vals, unsigned n);

#endif
