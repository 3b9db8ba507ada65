/* SPDX-License-Identifier: MIT */
/*
 * Threads: the instance lock (the design notes of DESIGN.md "Threads").
 *
 * One smmuv3 may be used by several threads at once (include/smmuv3/smmuv3.h,
 * "Threads"). Two mechanisms make that safe:
 *
 * 1. The instance lock, s->mu, recursive (s->owner, s->depth). It protects
 *    everything in the instance except the memo's per-thread state below:
 *    the register file, the queues and their indices, GERROR/IRQ/MSI state,
 *    the configuration cache, the IOTLB, the walk cache, the held stalls,
 *    statistics (s->stats), s->xgen, s->in_cmdq, s->xlate_depth. Every public
 *    entry point that reads or changes any of these takes it for its whole
 *    duration: smmuv3_mmio_read/write (so commands, CMD_SYNC and the
 *    interrupts and MSIs they raise run under it), the slow path of
 *    smmuv3_translate (configuration lookup, IOTLB, walk, events, stalls),
 *    smmuv3_stall_poll, smmuv3_ats_translate, smmuv3_pri_request,
 *    smmuv3_save/restore, smmuv3_vste_classify, smmuv3_set_diag,
 *    smmuv3_set_inval_sink, smmuv3_get_stats and smmuv3_reset. So every call is
 *    atomic with respect to every other: it behaves as if it ran alone at
 *    some instant between its start and its return.
 *
 *    Host callbacks (read, write, irq, atc_inv, pri_resp, read_secure,
 *    write_secure, irq_secure), the driver checker's diag callback and the vSMMU
 *    invalidation sink are all made from inside such a call,
 *    so they run with the lock held, on the calling thread. A callback may
 *    call back into the same instance on the same thread (the lock is taken
 *    again: a CMD_SYNC interrupt handler that translates, a table read that
 *    submits commands; what such a nested call does is what it would do
 *    single-threaded). A callback must not wait for another thread that is
 *    itself calling into this instance (it waits for the lock: deadlock), and
 *    two instances whose callbacks call into each other from different
 *    threads can deadlock the same way.
 *
 * 2. The memo's hits (model/tlb/memo.h) take no lock: each thread has a memo
 *    of its own, written only by that thread, and the lock holder only marks
 *    it stale (an atomic flag in the thread's slot) on every change notice
 *    (smmu_state_changed). A hit checks the flag first, so a translation that
 *    starts after a change has been made (the CMD_SYNC after a TLBI
 *    returned) never uses what the memo held before it. A hit's use of the
 *    configuration cache and IOTLB entries (for replacement) and its counts
 *    go into a per-thread log that the lock holder drains each time the lock
 *    is taken: see memo.c. The memo's own state is never read by callbacks.
 *
 * smmuv3_mem (src/mem.c) has its own readers-writer lock, always the
 * innermost one (it calls nothing). smmuv3_new, smmuv3_free and smmuv3_reset
 * need exclusive use (API.md); reset takes the lock anyway.
 */
#include "model/smmu.h"
#include "model/tlb/memo.h"

int smmu_lock_init(smmuv3 *s)
{
    atomic_init(&s->owner, 0);
    s->depth = 0;
    return pthread_mutex_init(&s->mu, NULL) ? SMMUV3_ENOMEM : 0;
}

void smmu_lock_destroy(smmuv3 *s)
{
    pthread_mutex_destroy(&s->mu);
}

/* Only the owner ever stores its own id in s->owner, so reading our own id
 * there (relaxed) means we hold the lock. */
void smmu_lock(smmuv3 *s)
{
    uintptr_t me = smmu_self();
    if (atomic_load_explicit(&s->owner, memory_order_relaxed) == me) {
        s->depth++;
        return;
    }
    pthread_mutex_lock(&s->mu);
    atomic_store_explicit(&s->owner, me, memory_order_relaxed);
    s->depth = 1;
    /* no call while no thread has a memo (memo off) or while the only one
     * sleeps (its sleep counts the lock's takings: memo.c) */
    smmu_fastpath *fp = s->fp;
    if (fp && fp->nthreads && (!fp->sleep || !--fp->sleep))
        smmu_fastpath_locked(s, me);
}

void smmu_unlock(smmuv3 *s)
{
    if (--s->depth)
        return;
    if (s->fp && s->fp->nthreads && !s->fp->sleep)
        smmu_fastpath_unlocking(s, smmu_self());
    atomic_store_explicit(&s->owner, 0, memory_order_relaxed);
    pthread_mutex_unlock(&s->mu);
}
