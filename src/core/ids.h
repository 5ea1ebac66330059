/* ids.h — application-generated 64-bit time-ordered ids.
 * Layout: 41 bits of milliseconds since 2024-01-01T00:00Z | 10 bits node | 12 bits sequence.
 * Monotonic per process (atomic), so ids sort by creation time; node comes from config (ZX_NODE_ID). */
#ifndef ZX_IDS_H
#define ZX_IDS_H
#include <stdint.h>

void zx_id_set_node(unsigned node);
int64_t zx_id_new(void);
/* Milliseconds since the Unix epoch, UTC (wall clock). */
int64_t zx_now_ms(void);
#endif
