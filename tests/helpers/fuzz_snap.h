/* SPDX-License-Identifier: MIT */
/*
 * Snapshots under the fuzzers (src/model/snapshot.c).
 *
 * fz_snapshot_point: what the program interpreter (fuzz_interp.c) does at a
 * snapshot point. Bits 6:3 of a program's first byte, when not zero, put one
 * before every that-many ops. The snapshot is saved, restored into a fresh
 * instance of the same configuration (which must accept it and save the same
 * bytes), and then either restored into the running instance itself
 * (`fresh` false) or the running instance is reset and restored from it
 * (`fresh` true: all it keeps is what the snapshot holds). Both empty the
 * caches. In the differential mode the first run restores into itself and
 * the second (fast path off) resets and restores, so a state the snapshot
 * missed shows as a difference in what the two runs observe; a single run
 * resets and restores.
 *
 * fzs_run: the fuzz_snapshot harness (tests/fuzz/fuzz_snapshot.c) and its
 * corpus replay. Byte 0 chooses the configuration (bits 1:0), whether the SMMU
 * has a busy state first (bit 4: stalls, events, an active error, enables),
 * and what is restored: the rest of the input as it is (bit 2 clear) or the
 * SMMU's own snapshot with the rest of the input applied as edits (bit 2:
 * u16 offset, u8 XOR each; an offset of 0xFFFF truncates at the next u16),
 * with the CRC made right again (bit 3) so that the semantic checks are
 * reached. Invariants: never a crash; a rejected snapshot leaves the instance
 * exactly as it was (its snapshot and every register); an accepted one is
 * what the instance then saves, byte for byte; the instance's own snapshot
 * always restores into a fresh instance.
 * Both return the number of invariants violated (first message in msg).
 */
#ifndef SMMUV3_FUZZ_SNAP_H
#define SMMUV3_FUZZ_SNAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <smmuv3/smmuv3.h>

/* NULL when every check passed, else what failed. */
const char *fz_snapshot_point(smmuv3 *smmu, const smmuv3_config *cfg, const smmuv3_host *host, bool fresh);

int fzs_run(const uint8_t *data, size_t size, char *msg, size_t msglen);

#endif
