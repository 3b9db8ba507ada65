/* SPDX-License-Identifier: MIT */
/*
 * Vector steps for ATS and PRI (IHI 0070 3.9.1, 8): the model of a step
 * (load_ats.c parses, run_ats.c runs):
 *   ats:             { sid, ssid, iova, access: read|write|exec or a list, priv }
 *                    expect: { status: success|ur|ca, addr, size, perm, priv, global }
 *   page_request:    { sid, ssid, addr, perm, priv, prgi, last }
 *   expect_priq:     { count, records: [ PRI record fields ], overflow }  (pops them)
 *   expect_atc_inv:  [ { sid, ssid, global, addr, size } ]  every ATC invalidation the SMMU
 *                    sent since the previous expect_atc_inv, in order ([] for none)
 *   expect_pri_resp: [ { sid, ssid, prgi, resp: success|fail|deny } ]  the same for PRG responses
 * (translate takes `translated: true` for an ATS Translated transaction.)
 */
#ifndef SMMUV3_VEC_ATS_H
#define SMMUV3_VEC_ATS_H

#include <stdbool.h>
#include <stdint.h>
#include "vec_model.h"

typedef struct sv_atc_inv {
    uint64_t sid, ssid, addr, size;
    bool ssv, global;
    sv_mark mark;
} sv_atc_inv;

typedef struct sv_pri_resp {
    uint64_t sid, ssid, prgi;
    bool ssv;
    int resp;               /* SMMUV3_PRI_RESP_* */
    sv_mark mark;
} sv_pri_resp;

typedef struct sv_ats {
    /* ats: the request and what its completion must say */
    uint64_t sid, ssid, iova;
    bool ssv;
    uint32_t flags;
    int status;             /* -1: unchecked */
    bool has_addr; sv_expr addr;
    bool has_size; uint64_t size;
    int perm, priv, global; /* -1: unchecked; perm: SV_R/W/X bits */
    /* page_request */
    uint64_t prgi, addr_req;
    unsigned req_perm;
    bool req_priv, last;
    /* expect_priq */
    sv_events priq;
    /* expect_atc_inv / expect_pri_resp */
    sv_atc_inv *invs; size_t ninvs;
    sv_pri_resp *resps; size_t nresps;
} sv_ats;

#endif
