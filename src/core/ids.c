/* ids.c — see ids.h. Uses a CAS loop so concurrent threads never hand out the same id. */
#include "core/ids.h"
#include <stdatomic.h>
#include <time.h>

#define ID_EPOCH_MS 1704067200000LL /* 2024-01-01T00:00:00Z */

static _Atomic int64_t g_last;
static unsigned g_node;

void zx_id_set_node(unsigned node) { g_node = node & 0x3FF; }

int64_t zx_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t zx_id_new(void)
{
    int64_t base = ((zx_now_ms() - ID_EPOCH_MS) << 22) | ((int64_t)g_node << 12);
    int64_t last = atomic_load(&g_last);
    for (;;) {
        int64_t next = base > last ? base : last + 1;
        if (atomic_compare_exchange_weak(&g_last, &last, next)) return next;
    }
}
