/* SPDX-License-Identifier: MIT */
/*
 * Writing smmuv3_pt_map's leaf descriptors (build_int.h bld_leaf_run): those
 * bound for one table are gathered and written with one access, and the walk
 * to that table is done once, not once a descriptor. Mapping 2 MB as 4K pages
 * was 512 walks from the root and 512 writes of 8 bytes; it is one walk and
 * one write of 4 KB.
 *
 * What memory holds afterwards, and every error, is what a walk and a write
 * per descriptor give: descriptors are written in order; the pending ones are
 * written before any other walk (which may allocate tables) and before any
 * error is returned; a write that fails is done again a descriptor at a time,
 * so it stops where that would have stopped, with its error; a descriptor
 * written over one of the table descriptors its walk went through (a table
 * placed over another) is written at once and the next one walks again, as
 * it does when a walk from the root no longer ends where the allocating walk
 * did (a table it allocated was zeroed over one it went through); and
 * in a space that translates (to_pa), where a write could change the
 * translation of the next, every descriptor is walked to and written alone.
 */
#include "build/build_int.h"

/* The pending descriptors, written with one access (or, when that fails, a
 * descriptor at a time, stopping at the first error). */
static int flush(bld_leaf_run *r)
{
    unsigned n = r->n;
    r->n = 0;
    if (!n || !smmuv3_space_write(r->pt->space, r->at, r->buf, 8u * n))
        return 0;
    for (unsigned i = 0; i < n; i++) {
        int rc = smmuv3_space_write64(r->pt->space, r->at + 8ull * i, le64_load(r->buf + 8 * i));
        if (rc)
            return rc;
    }
    return 0;
}

void bld_leaf_run_init(bld_leaf_run *r, smmuv3_pt *pt)
{
    r->pt = pt;
    r->n = 0;
    r->have = false;
}

/* Whether iova's descriptor at the run's level is in the table walked to. */
static bool in_table(const bld_leaf_run *r, uint64_t iova, unsigned level)
{
    return r->have && level == r->level && (iova & r->tmask) == (r->tiova & r->tmask);
}

int bld_leaf_run_put(bld_leaf_run *r, uint64_t iova, unsigned level, uint64_t desc)
{
    const smmuv3_pt *pt = r->pt;
    int rc;
    uint64_t a;
    if (in_table(r, iova, level)) {
        a = r->taddr + 8 * ((iova - r->tiova) >> r->shift);
        if (r->n && (a != r->at + 8ull * r->n || r->n == BLD_RUN_MAX) && (rc = flush(r)) != 0)
            return rc;
    } else {
        if ((rc = flush(r)) != 0)
            return rc;
        r->have = false;
        if ((rc = smmuv3_pt_desc_addr(r->pt, iova, level, true, &a)) != 0)
            return rc;
        /* the table descriptors a walk now goes through, and whether it
         * still ends where that one did (zeroing a table it allocated may
         * have cleared a descriptor it went through: tables placed over
         * others) */
        bool same = true;
        r->npath = 0;
        for (unsigned l = pt->start_level; l <= level && same; l++) {
            uint64_t x;
            same = !smmuv3_pt_desc_addr(r->pt, iova, l, false, &x) && (l < level || x == a);
            if (same && l < level)
                r->path[r->npath++] = x;
        }
        r->have = same && !pt->space->to_pa;
        r->level = level;
        r->tiova = iova;
        r->taddr = a;
        /* the input bits that pick the table: all of them for the start
         * level's (concatenated) table; those above the level's span */
        uint64_t span = level == pt->start_level ? 0 : smmuv3_pt_level_size(pt, level - 1);
        r->tmask = span ? ~(span - 1) : 0;
        r->shift = (unsigned)__builtin_ctzll(smmuv3_pt_level_size(pt, level));
    }
    if (!r->n)
        r->at = a;
    le64_store(r->buf + 8 * r->n, desc);
    r->n++;
    bool over_path = false;
    for (unsigned i = 0; i < r->npath; i++)
        over_path = over_path || r->path[i] == a;
    if (over_path || !r->have) {
        r->have = false;
        return flush(r);
    }
    return 0;
}

int bld_leaf_run_end(bld_leaf_run *r)
{
    return flush(r);
}
