/* SPDX-License-Identifier: MIT */
/* PLACEHOLDER (foundation): the event queue arrives with issue 3; until then records are discarded. */
#include <stdlib.h>
#include "smmu.h"

bool smmu_event_record(smmuv3 *s, const smmu_event *ev) { SMMU_UNUSED(ev); s->stats.events_lost++; return false; }
void smmu_gerror_raise(smmuv3 *s, uint32_t bit_mask) { SMMU_UNUSED(s); SMMU_UNUSED(bit_mask); }
bool smmu_msi_send(smmuv3 *s, uint64_t addr, uint32_t data) { SMMU_UNUSED(s); SMMU_UNUSED(addr); SMMU_UNUSED(data); return false; }
void smmu_irq_raise(smmuv3 *s, smmuv3_irq line) { s->stats.irqs[line]++; if (s->host.irq) s->host.irq(s->host.ctx, line); }
