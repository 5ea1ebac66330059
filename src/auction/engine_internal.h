/* engine_internal.h — the live state of a lot, shared by engine.c (load, SSE, sweep) and
 * sequencer.c (bids). Nothing outside src/auction includes it. */
#ifndef ZX_AUCTION_ENGINE_INTERNAL_H
#define ZX_AUCTION_ENGINE_INTERNAL_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "store/db.h"

/* One per lot being bid on or watched; fields under mu. version bumps on every change (viewers). */
typedef struct live {
    int64_t lot_id;
    pthread_mutex_t mu;
    bool loaded;
    int64_t round_id, case_id, court_id;
    int round_no;
    char kind[16], status[16], platform[32];
    int64_t start, inc, deposit, starts, ends, window_end, current, seq, leader;
    int leader_rank;
    char leader_alias[16];
    int64_t *dep_bidder;
    int *dep_rank;
    int ndep, capdep;
    _Atomic uint64_t version;
} live;

/* The entry of a lot (created when `create`), NULL if none. Entries live as long as the process. */
live *zx_au_live_find(int64_t lot_id, bool create);
/* (Re)load the lot's latest round and its held deposits. Under L->mu. 0, 1 (no such lot), < 0. */
int zx_au_live_load(db_conn *c, live *L);
/* The entry of an existing lot, loaded; NULL if there is no such lot (or on a store error). */
live *zx_au_live_get(db_conn *c, int64_t lot_id);
/* Priority rank of a bidder with a held deposit (0 = ordinary), -1 = no held deposit. Under L->mu. */
int zx_au_live_dep_rank(const live *L, int64_t bidder);
/* Does the latest round take bids (announced or bidding, on the court's own platform)? Under L->mu. */
bool zx_au_live_open(const live *L);
#endif
