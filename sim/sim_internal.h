/* sim_internal.h — between the simulator core files (sim_main.c, sim_post.c); parties use sim.h. */
#ifndef ZX_SIM_INTERNAL_H
#define ZX_SIM_INTERNAL_H
#include <h2o.h>
void sim_post_start(h2o_loop_t *loop);
void sim_post_stop(void);
#endif
