/* portal.h — party portal hooks used by other modules (issue 15; docs/api/portal.md). */
#ifndef ZX_PORTAL_H
#define ZX_PORTAL_H
#include <stdint.h>
#include "store/db.h"

/* Node notifications (issue 15 item 4): called by zx_case_event_add inside the caller's write
 * transaction for every new case event. For the nodes the portal announces itself — filed, assigned,
 * closed, suspended, resumed — one SMS per applicant/debtor with a phone on file is enqueued in the
 * notify outbox (template portal_node, dedup key "node:<case>:<seq>:<party>", so each is sent once and
 * retried by the sender). Money received/paid out (funds), property found (inquiry) and auction
 * announcements (auction) are sent by their modules. 0 or < 0 (the caller rolls back). */
int zx_portal_node_event(db_conn *c, int64_t case_id, int seq, const char *kind);
#endif
