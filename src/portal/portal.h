/* portal.h — the party portal's module interface (issue 15; docs/api/portal.md).
 *
 * src/portal holds what other modules and the portal routes share: which case events a party sees
 * (public nodes, nodes.c), the node SMS (nodes.c: a case-event subscriber), the per-court SMS settings
 * and the parties' opt-out (settings.c: a filter on the notify outbox). Everything runs inside the
 * caller's write transaction. The routes are src/api/portal*.c. */
#ifndef ZX_PORTAL_H
#define ZX_PORTAL_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

/* The Chinese label of a case event a party may see (the timeline of "my case"), or NULL when the event
 * is internal. data: the event's data (disposal steps, inquiry result …), may be NULL. */
const char *zx_portal_node_label(const char *kind, json_t *data);
/* Nodes shown to the applicant's side only — never to the debtor nor on the public case-flow list: where the court
 * looks for property and what the applicant pointed it to (property_clue, clue_verified, network_inquiry,
 * asset_found); told before the controls are in place, a debtor could move the property (the node SMS keep the
 * same rule). Controls themselves are served on the debtor and shown. */
bool zx_portal_node_applicant_only(const char *kind);
/* A node's detail for the party (a control's measure, amount and term; a query run's counts), never an account
 * number or a registry identifier: true and the text in buf, or false. */
bool zx_portal_node_detail(const char *kind, json_t *data, char *buf, size_t cap);

/* Node notifications (item 4): called by zx_case_event_add inside the writer's transaction for every new
 * case event. Filing, assignment, property controlled, suspension/resumption of work, closure and
 * resumption send one SMS per applicant/debtor with a phone on file (template portal_node, params.node =
 * the node code, dedup key "node:<case>:<seq>:<party>" → sent once, retried by the sender). Money
 * received/paid out and auction announcements are sent by the funds and auction modules; all of them pass
 * the per-court settings and the opt-out below. 0 or < 0 (the caller rolls back). */
int zx_portal_node_event(db_conn *c, int64_t case_id, int seq, const char *kind);

/* The audit record of a party's view of "my case" (portal.view), committed before this returns: the
 * server's writer thread commits it with the other views waiting at that moment in one transaction
 * (group commit, viewlog.c) — the page answers only after; outside the server at once in its own
 * transaction on c. 0, or < 0 when it could not be committed (the caller answers 503). */
int zx_portal_view_audit(db_conn *c, int64_t party_id, int64_t case_id, const char *client_ip, const char *request_id);
/* The server's path for the party's case page: defer the reply (src/http/defer.c) and hand record and page
 * to the writer thread, which answers 200 with body (stolen) after the batch holding the record committed,
 * or 503 if it failed. 0 = queued (the caller returns without replying); 1 = not deferred (off the event
 * loops, or the writer not running): the caller calls zx_portal_view_audit and replies itself. */
struct zx_req;
int zx_portal_view_reply(struct zx_req *req, int64_t party_id, int64_t case_id, json_t *body);

/* Node codes a court can switch on/off (portal_court_setting.sms_nodes). */
extern const char *const zx_portal_sms_nodes[];
extern const char *const zx_portal_sms_node_labels[];

typedef struct zx_portal_settings {
    unsigned sms_mask;   /* bit i = zx_portal_sms_nodes[i] is sent */
    int reply_days;      /* working days to answer a party's message */
    bool stored;         /* false = built-in defaults */
    char contact_phone[48]; /* the court's number for parties (执行局), "" = none set */
    char contact_note[184]; /* office hours / room, "" = none */
} zx_portal_settings;
/* The court's settings (defaults: every node on, ZX_REPLY_DAYS_DEFAULT). 0 or < 0. */
int zx_portal_settings_get(db_conn *c, int64_t court_id, zx_portal_settings *out);
json_t *zx_portal_settings_json(const zx_portal_settings *s);
/* Store from {"sms_nodes":[…],"reply_days":N[,"contact_phone","contact_note"]} (a key left out keeps its value);
 * 0, 1 (bad input: *why set), < 0. */
int zx_portal_settings_put(db_conn *c, int64_t court_id, int64_t user_id, json_t *body, const char **why);

/* Opt-out of a party (退订) for its case: by the blind index of its phone. on = true/false. 0 or < 0. */
int zx_portal_optout_set(db_conn *c, int64_t case_id, int64_t party_id, bool on);
/* Has the party opted out? 1, 0, < 0. */
int zx_portal_optout_get(db_conn *c, int64_t case_id, int64_t party_id);
#endif
