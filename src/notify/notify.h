/* notify.h — the one notification outbox (src/notify/): every message to a party (案款到账, 发放,
 * inquiry results, auction notices, portal messages …) is a row of notify_outbox written INSIDE the
 * caller's write transaction (so a rolled-back change sends nothing), and a sender delivers it later:
 *   - channel "sms": HTTP POST to the configured gateway (env ZX_SMS_GATEWAY_URL, default
 *     $ZX_SIM_URL/sms/v1/messages, ZX_SIM_URL defaulting to http://127.0.0.1:8090 — bin/zhixing-sim plays the
 *     gateway in tests and demos) with {"id","to","template","params","text"}; a 2xx answer with
 *     {"message_id":"…"} marks the row sent; anything else is retried with back-off
 *     (30 s × 2^attempts, at most 8 attempts, then status failed).
 *   - the server runs the sender in a background thread (one pass per second); `zhixing notify send`
 *     runs one pass from the command line.
 * Templates are Chinese texts with {name} placeholders filled from params (zx_notify_render).
 * Recipients are phone numbers — personal data: sealed through core/pii (PHONE), never logged.
 *
 * Usage (inside db_begin … db_commit):
 *   json_t *p = json_pack("{s:s,s:s}", "case_no", no, "amount", "1,234.00");
 *   zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone,
 *                         .template_name = "funds_arrival", .params = p, .case_id = id,
 *                         .dedup_key = "funds_arrival:123" });
 *   json_decref(p);
 */
#ifndef ZX_NOTIFY_H
#define ZX_NOTIFY_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

typedef struct zx_notify_msg {
    const char *channel;       /* "sms" */
    const char *recipient;     /* phone number */
    const char *template_name; /* a key of the template table (zx_notify_template) */
    json_t *params;            /* JSON object, borrowed (may be NULL) */
    int64_t case_id;           /* 0 = none */
    const char *dedup_key;     /* optional: enqueueing the same key again keeps the first message */
} zx_notify_msg;

/* Enqueue inside the caller's transaction. Returns the message id (the existing one for a repeated
 * dedup_key) or < 0 (ZX_NOTIFY_EINVAL: unknown template/channel or empty recipient; DB_E*). */
#define ZX_NOTIFY_EINVAL (-20)
int64_t zx_notify_enqueue(db_conn *c, const zx_notify_msg *m);

/* A filter consulted by zx_notify_enqueue for a message about a case (case_id > 0): NULL = send, or a
 * short reason code ("court_off", "opted_out") — the row is then stored with status 'suppressed' and
 * that reason in last_error (never sent; shown with the case's delivery status). One filter, registered
 * by the party portal (src/portal/settings.c: per-court node settings and the parties' opt-out). */
typedef const char *(*zx_notify_filter_fn)(db_conn *c, const zx_notify_msg *m);
void zx_notify_set_filter(zx_notify_filter_fn fn);

/* The Chinese text of a template with {name} placeholders replaced from params. Returns the text
 * length, or -1 for an unknown template. Unknown placeholders are left as they are. */
int zx_notify_render(const char *template_name, json_t *params, char *out, size_t outlen);
/* Known templates (funds_arrival, funds_payout, funds_payout_failed, …); NULL if unknown. */
const char *zx_notify_template(const char *template_name);

/* One sender pass: deliver up to max due messages. Counts delivered/failed attempts. 0 or < 0. */
int zx_notify_send_due(db_t *db, int max, int *sent, int *failed);
/* The SMS gateway URL in use (from the environment, see above). */
const char *zx_notify_gateway_url(void);
#endif
