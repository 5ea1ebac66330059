/* alerts.h — warnings before the payout limit and escalation when it passes (src/funds/alerts.c), and
 * staff work mobiles for such notices (table staff_contact, sealed through core/pii). */
#ifndef ZX_FUNDS_ALERTS_H
#define ZX_FUNDS_ALERTS_H
#include <jansson.h>
#include <stdint.h>
#include "core/date.h"
#include "store/db.h"

typedef struct zx_funds_alert_stats {
    int cases;     /* case accounts looked at */
    int warned;    /* new warnings (to-do row + SMS to the judge) */
    int escalated; /* new overdue escalations (SMS to the 执行局长) */
    int cleared;   /* warnings closed: paid, escrowed, deferred or replaced */
    int sms;       /* SMS queued */
} zx_funds_alert_stats;

/* One pass over every court (only_court = 0) or one court. Each case that needs a change is one
 * transaction (alert rows, case events, clocks, outbox, audit record). report (may be NULL) gets a JSON
 * array of what happened. 0 or < 0. */
int zx_funds_alerts_pass(db_t *db, zx_date today, int64_t only_court, zx_funds_alert_stats *st, json_t **report);

/* The same for one case inside the caller's write transaction (a payout paid or escrowed: its warning
 * is cleared at once, not at the next pass). 0 or < 0. */
int zx_funds_alerts_case(db_conn *c, int64_t case_id);

/* A staff member's work mobile: 0 found (out filled), 1 none, < 0 error. Set: phone NULL/"" removes. */
int zx_staff_phone(db_conn *c, int64_t user_id, char out[32]);
int zx_staff_phone_set(db_conn *c, int64_t user_id, const char *phone);
#endif
