/* auto.c — automation of the inquiry module, run by the dispatcher thread:
 *   - every debtor of every newly filed 执 / 执恢 / 执保 case is queried at every kind on the filing
 *     day ("执行立案当日启动财产查控"); a court's chief can switch it off (court setting
 *     inquiry.on_filing, PUT /api/v1/inquiry/settings; else the installation's inquiry.auto);
 *   - 终本 cases are re-queried every 6 months for 5 years (终本规定 art 9) and the applicant is told
 *     the result through the notification outbox (apply.c, when the run finishes);
 *   - controls past their legal end date lapse (民诉解释 art 485: no renewal before expiry). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "core/httpc.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "inquiry/inquiry.h"

#define REINQUIRY_MONTHS 6   /* 终本规定 art 9: 每六个月 */
#define REINQUIRY_TIMES 10   /* 终本规定 art 9: 五年内 (5 years / 6 months) */
#define REINQUIRY_PER_PASS 20 /* at most this many re-inquiry runs started per minute (spreads a backlog) */

/* Is the filing-day query on for court_id? Its setting inquiry.on_filing (true/false, inherited from the
 * nearest ancestor that set one, else the global default: GET/PUT /api/v1/inquiry/settings); without
 * any, the installation-wide setting inquiry.auto (on_filing, off_courts) of migration 012. */
bool zx_inq_auto_on(db_conn *c, int64_t court_id)
{
    int64_t from = 0;
    char *own = zx_court_setting_get(c, court_id, "inquiry.on_filing", &from);
    if (own) {
        json_t *v = json_loads(own, JSON_DECODE_ANY, NULL);
        free(own);
        bool on = !json_is_false(v);
        json_decref(v);
        return on;
    }
    bool on = true;
    db_stmt *s = db_prepare(c, "SELECT value FROM setting WHERE key = 'inquiry.auto'");
    if (!s) return true;
    if (db_step(s) == DB_ROW) {
        json_t *j = json_loads(db_col_text(s, 0), 0, NULL);
        if (json_is_false(json_object_get(j, "on_filing"))) on = false;
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(j, "off_courts"), i, v)
        {
            if (json_is_integer(v) && json_integer_value(v) == court_id) on = false;
            if (json_is_string(v) && strtoll(json_string_value(v), NULL, 10) == court_id) on = false;
        }
        json_decref(j);
    }
    db_finalize(s);
    return on;
}

static int start_one(db_t *db, int64_t case_id, const char *trigger)
{
    db_conn *c = db_acquire(db);
    int64_t iid = 0;
    int rc = db_begin(c);
    if (rc == 0) rc = zx_inq_start(c, case_id, trigger, NULL, 0, &iid);
    if (rc == 0) {
        char oid[24], detail[120];
        snprintf(oid, sizeof oid, "%lld", (long long)iid);
        snprintf(detail, sizeof detail, "{\"case_id\":\"%lld\",\"trigger\":\"%s\"}", (long long)case_id, trigger);
        zx_audit_rec rec = { .user_id = 0, .username = "system", .action = "inquiry.start", .object_type = "inquiry",
                             .object_id = oid, .result = "ok", .detail = detail };
        rc = zx_audit_write(c, &rec);
    }
    if (rc == 0) rc = db_commit(c) ? -1 : 0;
    else db_rollback(c);
    db_release(db, c);
    return rc;
}

static int64_t g_next_reinquiry_ms, g_next_lapse_ms, g_next_queue_ms;

struct buf {
    zx_http_body body; /* first: CURLOPT_WRITEDATA points at the struct */
    char sig[ZX_SM2_SIG_HEX_MAX];
};
static size_t b_header(char *p, size_t sz, size_t n, void *ud)
{
    struct buf *b = ud;
    size_t len = sz * n;
    if (len > 15 && !strncasecmp(p, "x-zx-signature:", 15)) {
        const char *v = p + 15;
        while (*v == ' ') v++;
        size_t vl = (size_t)(p + len - v);
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ')) vl--;
        if (vl < sizeof b->sig) {
            memcpy(b->sig, v, vl);
            b->sig[vl] = 0;
        }
    }
    return len;
}

/* 轮候 (查封规定 art 26): a queued seizure takes effect when the one ahead is released — at the
 * institution. Ask it (signed answer, pinned key) about our queued controls and record the change. */
static void poll_queued(db_t *db)
{
    int64_t ids[50];
    char *eps[50], *keys[50];
    int n = 0;
    db_conn *c = db_acquire(db);
    db_stmt *s = db_prepare(c, "SELECT t.id, n.endpoint, n.public_key FROM asset_control t JOIN asset a ON a.id = t.asset_id"
                               " JOIN inquiry_institution n ON n.id = a.institution_id WHERE t.status = 'queued'"
                               " AND n.public_key IS NOT NULL ORDER BY t.updated_ms LIMIT 50");
    while (s && db_step(s) == DB_ROW && n < 50) {
        ids[n] = db_col_int64(s, 0);
        char ep[600];
        zx_inq_endpoint(db_col_text(s, 1), ep, sizeof ep);
        eps[n] = strdup(ep);
        keys[n++] = strdup(db_col_text(s, 2));
    }
    if (s) db_finalize(s);
    db_release(db, c);
    for (int i = 0; i < n; i++) {
        char url[700];
        snprintf(url, sizeof url, "%s/v1/controls/%lld", eps[i], (long long)ids[i]);
        struct buf b = { 0 };
        CURL *e = curl_easy_init();
        long status = 0;
        if (e) {
            curl_easy_setopt(e, CURLOPT_URL, url);
            curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 3000L);
            curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, zx_http_body_write);
            curl_easy_setopt(e, CURLOPT_WRITEDATA, &b.body);
            curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, b_header);
            curl_easy_setopt(e, CURLOPT_HEADERDATA, &b);
            if (curl_easy_perform(e) == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
            curl_easy_cleanup(e);
        }
        zx_sm2_key *k = zx_sm2_from_public_pem(keys[i]);
        json_t *j = status == 200 && b.body.p && k && zx_sm2_verify(k, b.body.p, b.body.n, b.sig) ? json_loads(b.body.p, 0, NULL) : NULL;
        zx_sm2_free(k);
        const char *st = json_string_value(json_object_get(json_object_get(j, "control"), "status"));
        int64_t pos = json_integer_value(json_object_get(json_object_get(j, "control"), "queue_pos"));
        if (st && (!strcmp(st, "active") || !strcmp(st, "lapsed") || !strcmp(st, "queued"))) {
            c = db_acquire(db);
            if (db_begin(c) == 0) {
                s = db_prepare(c, "UPDATE asset_control SET status = ?, queue_pos = ?, updated_ms = ? WHERE id = ? AND status = 'queued'");
                int rc = -1;
                if (s) {
                    db_bind_text(s, 1, st, -1);
                    db_bind_int64(s, 2, pos);
                    db_bind_int64(s, 3, zx_now_ms());
                    db_bind_int64(s, 4, ids[i]);
                    rc = db_step(s) == DB_DONE ? 0 : -1;
                    db_finalize(s);
                }
                if (rc == 0 && !strcmp(st, "active")) {
                    s = db_prepare(c, "UPDATE asset SET status = 'seized' WHERE id = (SELECT asset_id FROM asset_control WHERE id = ?)");
                    if (s) {
                        db_bind_int64(s, 1, ids[i]);
                        db_step(s);
                        db_finalize(s);
                    }
                    char oid[24];
                    snprintf(oid, sizeof oid, "%lld", (long long)ids[i]);
                    zx_audit_rec rec = { .user_id = 0, .username = "system", .action = "asset.queue_effective",
                                         .object_type = "asset_control", .object_id = oid, .result = "ok", .detail = NULL };
                    rc = zx_audit_write(c, &rec);
                }
                if (rc == 0) db_commit(c);
                else db_rollback(c);
            }
            db_release(db, c);
        }
        json_decref(j);
        free(b.body.p);
        free(eps[i]);
        free(keys[i]);
    }
}

int zx_inq_automation_pass(db_t *db)
{
    if (getenv("ZX_INQ_AUTO") && !strcmp(getenv("ZX_INQ_AUTO"), "off")) return 0;
    int started = 0;
    char today[11];
    zx_date td = zx_today();
    zx_date_format(td, today);
    /* filing day: today's cases without a filing run, in pages by id so the cases of a court that
       switched it off (left without a run) never hold back another court's */
    int64_t ids[200], courts[200], after = 0;
    db_conn *c = db_acquire(db);
    for (int page = 0; page < 20; page++) {
        int n = 0;
        db_stmt *s = db_prepare(c, "SELECT k.id, k.court_id FROM enf_case k WHERE k.filed_on = ? AND k.imported = 0"
                                   " AND k.type_code IN ('执', '执恢', '执保') AND k.status = 'open' AND k.id > ?"
                                   " AND NOT EXISTS (SELECT 1 FROM inquiry i WHERE i.case_id = k.id AND i.trigger_kind = 'filing')"
                                   " ORDER BY k.id LIMIT 200");
        if (s) {
            db_bind_text(s, 1, today, -1);
            db_bind_int64(s, 2, after);
            while (db_step(s) == DB_ROW && n < 200) {
                ids[n] = db_col_int64(s, 0);
                courts[n++] = db_col_int64(s, 1);
            }
            db_finalize(s);
        }
        int64_t off = -1, on = -1; /* the last court found off / on (rows of one court come together often) */
        for (int i = 0; i < n; i++) {
            after = ids[i];
            if (courts[i] == off) continue;
            if (courts[i] != on) {
                if (!zx_inq_auto_on(c, courts[i])) {
                    off = courts[i];
                    continue;
                }
                on = courts[i];
            }
            db_release(db, c);
            if (start_one(db, ids[i], "filing") == 0) started++;
            c = db_acquire(db);
        }
        if (n < 200) break;
    }
    db_stmt *s;
    int n;
    int64_t now = zx_now_ms();
    /* 终本 re-inquiry: due when closed_on + 6·k months has come and no re-inquiry ran since */
    if (now >= g_next_reinquiry_ms) {
        g_next_reinquiry_ms = now + 60000;
        char from[11];
        zx_date_format(zx_date_add_months(td, -12 * 5), from); /* 终本规定 art 9: 五年内 */
        n = 0;
        s = db_prepare(c, "SELECT k.id, k.closed_on, (SELECT MAX(i.created_ms) FROM inquiry i WHERE i.case_id = k.id"
                          " AND i.trigger_kind = 'reinquiry') FROM enf_case k WHERE k.closure_mode = 'interim_closure'"
                          " AND k.status = 'closed' AND k.closed_on >= ? ORDER BY k.closed_on LIMIT 5000");
        if (s) {
            db_bind_text(s, 1, from, -1);
            while (db_step(s) == DB_ROW && n < REINQUIRY_PER_PASS) {
                zx_date closed;
                if (zx_date_parse(db_col_text(s, 1), &closed)) continue;
                zx_date due = ZX_DATE_NONE;
                for (int k = 1; k <= REINQUIRY_TIMES; k++) {
                    zx_date d = zx_date_add_months(closed, REINQUIRY_MONTHS * k);
                    if (d <= td) due = d;
                }
                if (due == ZX_DATE_NONE) continue;
                int64_t last = db_col_int64(s, 2);
                if (last && zx_date_from_ms(last) >= due) continue;
                ids[n++] = db_col_int64(s, 0);
            }
            db_finalize(s);
        }
        for (int i = 0; i < n; i++) {
            db_release(db, c);
            if (start_one(db, ids[i], "reinquiry") == 0) started++;
            c = db_acquire(db);
        }
    }
    /* lapse: a control past its legal end date without renewal (民诉解释 art 485) — one transaction per
     * control with its case event and audit record (apply.c) */
    if (now >= g_next_lapse_ms) {
        g_next_lapse_ms = now + (getenv("ZX_INQ_LAPSE_MS") ? atoll(getenv("ZX_INQ_LAPSE_MS")) : 60000);
        int64_t due[200];
        n = 0;
        s = db_prepare(c, "SELECT id FROM asset_control WHERE status IN ('active','queued') AND until_on < ?"
                          " ORDER BY until_on, id LIMIT 200");
        if (s) {
            db_bind_text(s, 1, today, -1);
            while (db_step(s) == DB_ROW && n < 200) due[n++] = db_col_int64(s, 0);
            db_finalize(s);
        }
        for (int i = 0; i < n; i++) {
            if (db_begin(c)) break;
            int rc = zx_inq_lapse_control(c, due[i], td);
            if (rc < 0 || db_commit(c)) {
                db_rollback(c);
                LOG_WARN("inquiry: control %lld not marked lapsed (store busy); next pass", (long long)due[i]);
            }
        }
    }
    db_release(db, c);
    if (now >= g_next_queue_ms) {
        g_next_queue_ms = now + (getenv("ZX_INQ_QUEUE_POLL_MS") ? atoll(getenv("ZX_INQ_QUEUE_POLL_MS")) : 60000);
        poll_queued(db);
    }
    if (started) zx_inq_wake();
    return started;
}
