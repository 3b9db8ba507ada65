/* SPDX-License-Identifier: MIT */
/*
 * Stalled transactions (IHI 0070 3.12.2, 4.7.1, 4.7.2).
 *
 * The model translates synchronously, so a stalled transaction is a slot
 * (StreamID, STAG, state) that the device polls with smmuv3_stall_poll():
 *  - PENDING until software answers the stall record;
 *  - CMD_RESUME Action: bit 0 set = Retry (the device re-issues the
 *    transaction, which then behaves as though it had just arrived); else
 *    Terminate, with abort when bit 1 (Abort) is set or IDR0.TERM_MODEL == 1,
 *    RAZ/WI otherwise (4.7.1);
 *  - CMD_STALL_TERM terminates every stall of the StreamID with abort (4.7.2);
 *  - a RESUME whose STAG is not held by that StreamID is a no-op (4.7.1);
 *  - clearing SMMU_CR0.SMMUEN terminates every held stall with abort (3.12.2:
 *    stalls end when translation is disabled): smmu_stalls_disable() for the
 *    register file, and the poll itself while SMMUEN == 0. That includes a
 *    stall marked for retry (by CMD_RESUME(Retry), or because its record
 *    could not be written) that the device has not re-issued yet: it is
 *    still held here, and 6.3.9.6 marks "all stalled transactions that might
 *    be present" for abort (3.12.2.2: a Retry holds "unless it is terminated
 *    by ... an SMMUEN transition before the retry");
 *  - the STAG is the slot index; it is reused only after the poll that
 *    releases the slot (which follows the RESUME/STALL_TERM), so a STAG never
 *    names two live transactions (3.12.2);
 *  - smmuv3_reset() drops every slot.
 * Duplicate stall record suppression (3.12.2.1) is not implemented: each
 * stalled transaction records its own event.
 * Security states (4.7.1 note): a slot remembers whether its stream is
 * Secure; a command reaches only the stalls of its SSec state, and clearing
 * one interface's SMMUEN ends only that state's stalls. STAGs are unique
 * across both, so the poll needs no security state.
 */
#include <stdlib.h>
#include <string.h>
#include "model/smmu.h"
#include "model/snapshot.h"
#include "model/hash.h"

enum { SLOT_FREE = 0, SLOT_PENDING, SLOT_RETRY, SLOT_ABORT, SLOT_RAZWI };

typedef struct stall_slot {
    uint8_t state;
    bool secure;
    uint32_t sid;
} stall_slot;

struct smmu_stalls {
    unsigned max;
    stall_slot *slot;
};

smmu_stalls *smmu_stalls_new(unsigned max)
{
    if (max > 65536)
        max = 65536;
    void *p[1];
    smmu_stalls *st = smmu_table_new(sizeof(*st), p, 1, (size_t[]){ max }, (size_t[]){ sizeof(stall_slot) });
    if (st) {
        st->max = max;
        st->slot = p[0];
    }
    return st;
}

void smmu_stalls_free(smmu_stalls *st)
{
    if (st)
        smmu_table_free(st, (void *[]){ st->slot }, 1);
}

void smmu_stalls_reset(smmuv3 *s)
{
    smmu_stalls *st = s->stalls;
    if (st && st->slot)
        memset(st->slot, 0, st->max * sizeof(*st->slot));
}

/* Not yet answered to the device and not terminated: what an SMMUEN 1 -> 0
 * transition ends with abort (6.3.9.6, 3.12.2.2). */
static bool stall_held(const stall_slot *sl)
{
    return sl->state == SLOT_PENDING || sl->state == SLOT_RETRY;
}

void smmu_stalls_disable_sec(smmuv3 *s, bool secure)
{
    smmu_stalls *st = s->stalls;
    if (!st)
        return;
    for (unsigned i = 0; i < st->max; i++)
        if (stall_held(&st->slot[i]) && st->slot[i].secure == secure)
            st->slot[i].state = SLOT_ABORT;
}

bool smmu_stall_add(smmuv3 *s, const smmuv3_txn *txn, uint16_t *stag)
{
    smmu_stalls *st = s->stalls;
    if (!st)
        return false;
    for (unsigned i = 0; i < st->max; i++) {
        if (st->slot[i].state == SLOT_FREE) {
            st->slot[i].state = SLOT_PENDING;
            st->slot[i].sid = txn->sid;
            st->slot[i].secure = smmu_txn_secure(s, txn);
            *stag = (uint16_t)i;
            return true;
        }
    }
    return false;
}

void smmu_stall_set_retry(smmuv3 *s, uint32_t sid, uint16_t stag)
{
    smmu_stalls *st = s->stalls;
    if (st && stag < st->max && st->slot[stag].state == SLOT_PENDING && st->slot[stag].sid == sid)
        st->slot[stag].state = SLOT_RETRY;
}

static uint8_t terminate_state(const smmuv3 *s, bool abort)
{
    return (abort || s->cfg.term_model) ? SLOT_ABORT : SLOT_RAZWI;
}

void smmu_stall_command_sec(smmuv3 *s, unsigned opcode, const uint64_t cmd[2], bool secure)
{
    smmu_stalls *st = s->stalls;
    if (!st)
        return;
    if (opcode == SMMUV3_CMD_RESUME) {
        uint32_t sid = (uint32_t)fget(cmd, F_CMD_RESUME_sid);
        uint32_t stag = (uint32_t)fget(cmd, F_CMD_RESUME_stag);
        unsigned action = (unsigned)fget(cmd, F_CMD_RESUME_action);
        if (stag >= st->max)
            return;
        stall_slot *sl = &st->slot[stag];
        if (sl->state != SLOT_PENDING || sl->sid != sid || sl->secure != secure)
            return;                                  /* no such stall: no-op */
        sl->state = (action & 1) ? SLOT_RETRY : terminate_state(s, action & 2);
    } else if (opcode == SMMUV3_CMD_STALL_TERM) {
        uint32_t sid = (uint32_t)fget(cmd, F_CMD_STALL_TERM_sid);
        for (unsigned i = 0; i < st->max; i++)
            if (st->slot[i].state == SLOT_PENDING && st->slot[i].sid == sid && st->slot[i].secure == secure)
                st->slot[i].state = SLOT_ABORT;
    }
}

static int stall_poll(smmuv3 *s, uint32_t sid, uint16_t stag);

int smmuv3_stall_poll(smmuv3 *s, uint32_t sid, uint16_t stag)
{
    if (s && !s->stalls)
        return SMMUV3_EINVAL;
    SMMU_LOCKED_CALL(s, stall_poll(s, sid, stag));
}

static int stall_poll(smmuv3 *s, uint32_t sid, uint16_t stag)
{
    smmu_stalls *st = s->stalls;
    if (stag >= st->max || st->slot[stag].state == SLOT_FREE || st->slot[stag].sid != sid)
        return SMMUV3_ENOENT;
    stall_slot *sl = &st->slot[stag];
    if (stall_held(sl) && !rget(smmu_bank(s, sl->secure)->cr0, F_CR0_smmuen))
        sl->state = SLOT_ABORT;
    int answer;
    switch (sl->state) {
    case SLOT_PENDING: return SMMUV3_STALL_PENDING;
    case SLOT_RETRY: answer = SMMUV3_STALL_RETRY; break;
    case SLOT_RAZWI: answer = SMMUV3_STALL_RAZWI; break;
    default: answer = SMMUV3_STALL_ABORT; break;
    }
    sl->state = SLOT_FREE;
    return answer;
}

/* ------------------------------------------------------------ snapshots */
/* Section STAL (model/snapshot.c): u32 count, then per slot not free, in
 * increasing STAG order: u32 STAG, u32 StreamID, u8 state (SLOT_*, with
 * STAL_SECURE for a Secure stream's stall). A slot answered RAZ/WI cannot
 * exist under IDR0.TERM_MODEL == 1, nor a StreamID beyond IDR1.SIDSIZE
 * (SMMU_S_IDR1.S_SIDSIZE for a Secure stream), nor a Secure one without
 * Secure state. */
enum { STAL_SECURE = 0x80 };
void smmu_stalls_snap_save(const smmuv3 *s, smmu_snap_wr *w)
{
    const smmu_stalls *st = s->stalls;
    uint32_t n = 0;
    for (unsigned i = 0; i < st->max; i++)
        n += st->slot[i].state != SLOT_FREE;
    smmu_snap_put32(w, n);
    for (unsigned i = 0; i < st->max; i++) {
        if (st->slot[i].state == SLOT_FREE)
            continue;
        smmu_snap_put32(w, i);
        smmu_snap_put32(w, st->slot[i].sid);
        smmu_snap_put8(w, (uint8_t)(st->slot[i].state | (st->slot[i].secure ? STAL_SECURE : 0)));
    }
}

int smmu_stalls_snap_load(smmuv3 *s, smmu_snap_rd *r)
{
    smmu_stalls *st = s->stalls;
    uint32_t n = smmu_snap_get32(r);
    if (r->bad || n > st->max)
        return SMMUV3_ECORRUPT;
    if (st->max)
        memset(st->slot, 0, st->max * sizeof(*st->slot));
    uint64_t next = 0;   /* the lowest STAG the next entry may have */
    for (uint32_t k = 0; k < n; k++) {
        uint32_t stag = smmu_snap_get32(r), sid = smmu_snap_get32(r);
        uint8_t state = smmu_snap_get8(r);
        bool secure = (state & STAL_SECURE) != 0;
        unsigned sidsize = secure ? s->cfg.s_sidsize : s->cfg.sidsize;
        state &= (uint8_t)~STAL_SECURE;
        if (r->bad || stag < next || stag >= st->max || state < SLOT_PENDING || state > SLOT_RAZWI ||
            (state == SLOT_RAZWI && s->cfg.term_model) || (sidsize < 32 && (sid >> sidsize)) ||
            (secure && !smmu_secure_impl(s)))
            return SMMUV3_ECORRUPT;
        st->slot[stag].state = state;
        st->slot[stag].secure = secure;
        st->slot[stag].sid = sid;
        next = (uint64_t)stag + 1;
    }
    return 0;
}
