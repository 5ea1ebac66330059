/* portal_party.c — the party portal (执行公开, issue 15 item 1–2; docs/api/portal.md):
 *
 *   POST /api/v1/portal/party/login   {"case_no","query_code"} → 200 {"login_id","phone"} (masked);
 *                                      a one-time code goes by SMS (notify outbox) to the phone on file
 *   POST /api/v1/portal/party/verify  {"login_id","code"} → 200 {case_no, role, name} + cookie zx_portal
 *   POST /api/v1/portal/party/logout
 *   GET  /api/v1/portal/party/case    "my case": public nodes, deadlines, documents served, the case
 *                                      account's movements (applicant), what is owed today (debtor)
 *   GET  /api/v1/portal/party/documents/:doc_id   a served document (PDF) of the party's own case
 *
 * The query code (查询码) of a party is derived, never stored: 8 characters of the keyed HMAC-SM3 of the
 * party id under the key file's stable key (core/pii.h zx_pii_stable_index_raw: a blind-index key
 * rotation does not change it, so a code printed on a notice stays valid), printed on the 执行通知书
 * and the 受理通知书 (case/documents.c calls zx_portal_query_code). Locks as for staff accounts: wrong query codes
 * and wrong one-time codes of a party's sign-in count against the case (portal_lock), wrong licence numbers and
 * wrong one-time codes of a lawyer's sign-in against the licence number (portal_licence_lock; a wrong licence
 * named with a 案号 against the case too); 5 → locked 30 minutes, even for the right code; only a completed
 * sign-in clears the count. A one-time code also dies after 5 wrong tries and lives 5 minutes. Every request
 * counts against the caller's address (the public rate limit). Every sign-in, failure and view is audited
 * (user 0, "party:<id>").
 * A party session names one case and one party: no route takes a case id, so nothing else is visible. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/case_access.h"
#include "api/portal_party.h"
#include "account/authz.h"
#include "app.h"
#include "case/documents.h"
#include "case/case.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/pii.h"
#include "credit/public.h"
#include "funds/ledger.h"
#include "http/http.h"
#include "notify/notify.h"
#include "portal/portal.h"
#include "rules/clocks.h"
#include "rules/dishonest.h"
#include "rules/interest.h"
#include "rules/portal.h"

#define MAX_FAILS ZX_PORTAL_MAX_FAILS
#define LOCK_MS (ZX_PORTAL_LOCK_MINUTES * 60 * 1000LL)
#define OTP_MS (5 * 60 * 1000LL)
#define SESSION_MS (2 * 3600 * 1000LL)


/* 8 characters from an alphabet without 0/O/1/I/L. */
void zx_portal_query_code(int64_t party_id, char out[9])
{
    static const char al[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    char v[48];
    snprintf(v, sizeof v, "portal-query-code:%lld", (long long)party_id);
    uint8_t h[32] = { 0 };
    zx_pii_stable_index_raw(ZX_PII_SECRET, v, h);
    for (int i = 0; i < 8; i++) out[i] = al[h[i] % (sizeof al - 1)];
    out[8] = 0;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void sm3_hex(const char *s, char out[65])
{
    uint8_t h[ZX_SM3_LEN];
    zx_sm3(s, strlen(s), h);
    hex(h, ZX_SM3_LEN, out);
}

static bool ct_eq(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b)) return false;
    unsigned d = 0;
    for (size_t i = 0; i < n; i++) d |= (unsigned char)a[i] ^ (unsigned char)b[i];
    return d == 0;
}

/* ---- failure counts and locks (5 → 30 minutes, as a staff account: rules/portal.h ZX_PORTAL_MAX_FAILS,
 * ZX_PORTAL_LOCK_MINUTES — the staff's defaults of config lock_failures / lock_minutes) ---- */

/* Count one failure against the case (licence NULL) or the licence number; the count after it, or < 0. */
static int64_t fail_count(db_conn *c, int64_t case_id, const char *licence, int64_t now)
{
    db_stmt *s = db_prepare(c, licence ? "INSERT INTO portal_licence_lock (licence_no, failures, locked_until_ms) VALUES (?, 1, 0)"
                                         " ON CONFLICT (licence_no) DO UPDATE SET failures = portal_licence_lock.failures + 1,"
                                         " locked_until_ms = CASE WHEN portal_licence_lock.failures + 1 >= ? THEN CAST(? AS BIGINT)"
                                         " ELSE 0 END RETURNING failures"
                                       : "INSERT INTO portal_lock (case_id, failures, locked_until_ms) VALUES (?, 1, 0)"
                                         " ON CONFLICT (case_id) DO UPDATE SET failures = portal_lock.failures + 1,"
                                         " locked_until_ms = CASE WHEN portal_lock.failures + 1 >= ? THEN CAST(? AS BIGINT) ELSE 0 END"
                                         " RETURNING failures");
    if (!s) return -1;
    if (licence) db_bind_text(s, 1, licence, -1);
    else db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, MAX_FAILS);
    db_bind_int64(s, 3, now + LOCK_MS);
    int64_t f = db_step(s) == DB_ROW ? db_col_int64(s, 0) : -1;
    db_finalize(s);
    return f;
}

/* A completed sign-in clears the count. */
static int fail_clear(db_conn *c, int64_t case_id, const char *licence)
{
    db_stmt *s = db_prepare(c, licence ? "DELETE FROM portal_licence_lock WHERE licence_no = ?" : "DELETE FROM portal_lock WHERE case_id = ?");
    if (!s) return -1;
    if (licence) db_bind_text(s, 1, licence, -1);
    else db_bind_int64(s, 1, case_id);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}

/* Until when the case (licence NULL) or the licence is locked: 0 = not locked, < 0 error. */
static int64_t locked_until(db_conn *c, int64_t case_id, const char *licence, int64_t now)
{
    db_stmt *s = db_prepare(c, licence ? "SELECT locked_until_ms FROM portal_licence_lock WHERE licence_no = ?"
                                       : "SELECT locked_until_ms FROM portal_lock WHERE case_id = ?");
    if (!s) return -1;
    if (licence) db_bind_text(s, 1, licence, -1);
    else db_bind_int64(s, 1, case_id);
    int rc = db_step(s);
    int64_t t = rc == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (rc != DB_ROW && rc != DB_DONE) return -1;
    return t > now ? t : 0;
}

static void reply_locked(zx_req *r, int64_t until, int64_t now, bool licence)
{
    zx_add_header(r, "Retry-After", zx_sprintf(r, "%lld", (long long)((until - now) / 1000 + 1)));
    zx_reply_error(r, 423, "LOCKED", licence ? "错误次数过多，该执业证号的登录已锁定，请30分钟后再试"
                                             : "错误次数过多，本案登录已锁定，请30分钟后再试");
}

/* Audit a licence-number failure that names no case. */
static int audit_licence(zx_req *r, db_conn *c, const char *licence, const char *result, const char *detail)
{
    return zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = "lawyer", .action = "portal.login",
                                              .object_type = "lawyer_licence", .object_id = licence, .result = result,
                                              .client_ip = r->client_ip, .request_id = r->request_id, .detail = detail });
}

bool zx_pp_rate_ok(zx_req *r)
{
    int retry = 0;
    if (zx_public_rate_take(r->client_ip, r->app->cfg.public_rate_per_min, &retry)) return true;
    char ra[16];
    snprintf(ra, sizeof ra, "%d", retry > 0 ? retry : 1);
    zx_add_header(r, "Retry-After", ra);
    zx_reply_error(r, 429, "RATE_LIMITED", "操作过于频繁，请 %s 秒后再试", ra);
    return false;
}

void zx_pp_dberr(zx_req *r)
{
    db_conn *c = zx_db(r);
    db_rollback(c);
    zx_reply_error(r, 503, "DB_UNAVAILABLE", "系统繁忙，请稍后再试");
}

int zx_pp_audit(zx_req *r, db_conn *c, int64_t party_id, const char *action, int64_t case_id,
                const char *result, const char *detail)
{
    char who[40], oid[24];
    snprintf(who, sizeof who, "party:%lld", (long long)party_id);
    snprintf(oid, sizeof oid, "%lld", (long long)case_id);
    return zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = who, .action = action, .object_type = "case",
                                              .object_id = oid, .result = result, .client_ip = r->client_ip,
                                              .request_id = r->request_id, .detail = detail });
}

const char *zx_pp_jstr(json_t *b, const char *k)
{
    json_t *v = json_object_get(b, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- POST /api/v1/portal/party/login, POST /api/v1/portal/lawyer/login ----
 * A lawyer signs in with the bar licence number (律师执业证号) once a court has confirmed the representation
 * (portal_lawyer, confirmed on the staff side) — alone (every confirmed case) or with one 案号; the one-time
 * code goes to the phone the court recorded for the lawyer. Failures count as the file comment says. */
static void login_common(zx_req *r, bool lawyer)
{
    if (!zx_pp_rate_ok(r)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *no = zx_pp_jstr(b, "case_no"), *qc = zx_pp_jstr(b, lawyer ? "licence_no" : "query_code");
    const char *bad_code = lawyer ? "BAD_LICENCE" : "BAD_QUERY_CODE";
    const char *bad_msg = lawyer ? "案号或执业证号不正确，或法院尚未确认您的代理" : "案号或查询码不正确";
    /* a lawyer signs in once with the licence number alone (every confirmed case) or names one case */
    if (lawyer && (!no || !*no)) no = NULL;
    if ((!lawyer && (!no || !*no)) || !qc || !*qc)
        return zx_reply_error(r, 400, "BAD_REQUEST", lawyer ? "请输入律师执业证号" : "请输入案号和查询码");
    if ((no && strlen(no) > 64) || strlen(qc) > 32) return zx_reply_error(r, 400, "BAD_REQUEST", "案号或查询码格式不正确");
    char code[33];
    size_t k = 0;
    for (const char *p = qc; *p && k < 32; p++)
        if (*p != ' ' && *p != '-') code[k++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
    code[k] = 0;
    if (lawyer && !zx_lawyer_licence_valid(code)) return zx_reply_error(r, 400, "INVALID_LICENCE", "律师执业证号须为17位数字");
    const char *lic = lawyer ? code : NULL;
    db_conn *c = zx_db(r);
    int64_t now = zx_now_ms();
    db_stmt *s;
    int64_t case_id = 0, locked = 0;
    if (lawyer) { /* the licence's own lock (as a staff account's) */
        int64_t t = locked_until(c, 0, lic, now);
        if (t < 0) return zx_pp_dberr(r);
        if (t) return reply_locked(r, t, now, true);
    }
    if (!no) { /* licence only: the newest confirmed representation is where the session starts */
        s = db_prepare(c, "SELECT case_id FROM portal_lawyer WHERE licence_no = ? AND status = 'confirmed'"
                          " ORDER BY created_ms DESC, id DESC LIMIT 1");
        if (!s) return zx_pp_dberr(r);
        db_bind_text(s, 1, code, -1);
        if (db_step(s) == DB_ROW) case_id = db_col_int64(s, 0);
        db_finalize(s);
        if (!case_id) { /* no confirmed representation: a failure of this licence number */
            if (db_begin(c)) return zx_pp_dberr(r);
            int64_t f = fail_count(c, 0, lic, now);
            if (f < 0 || audit_licence(r, c, lic, "failed", "{\"reason\":\"licence_no\"}") || db_commit(c)) return zx_pp_dberr(r);
            if (f >= MAX_FAILS) return reply_locked(r, now + LOCK_MS, now, true);
            return zx_reply_error_ex(r, 401, bad_code, bad_msg, json_pack("{s:I}", "tries_left", (json_int_t)(MAX_FAILS - f)));
        }
    }
    s = db_prepare(c, no ? "SELECT e.id, l.failures, l.locked_until_ms FROM enf_case e LEFT JOIN portal_lock l"
                           " ON l.case_id = e.id WHERE e.case_no = ?"
                         : "SELECT e.id, l.failures, l.locked_until_ms FROM enf_case e LEFT JOIN portal_lock l"
                           " ON l.case_id = e.id WHERE e.id = ?");
    if (!s) return zx_pp_dberr(r);
    if (no) db_bind_text(s, 1, no, -1);
    else db_bind_int64(s, 1, case_id);
    case_id = 0;
    if (db_step(s) == DB_ROW) {
        case_id = db_col_int64(s, 0);
        locked = db_col_int64(s, 2);
    }
    db_finalize(s);
    /* an unknown 案号 answers like a wrong code (no case enumeration) */
    if (!case_id) return zx_reply_error(r, 401, bad_code, "%s", bad_msg);
    if (locked > now) return reply_locked(r, locked, now, false);
    int64_t party_id = 0, lawyer_id = 0;
    char *phone = NULL;
    if (lawyer) { /* a confirmed representation with this licence number */
        s = db_prepare(c, "SELECT id, party_id, phone_enc FROM portal_lawyer WHERE case_id = ? AND licence_no = ?"
                          " AND status = 'confirmed'");
        if (!s) return zx_pp_dberr(r);
        db_bind_int64(s, 1, case_id);
        db_bind_text(s, 2, code, -1);
        if (db_step(s) == DB_ROW) {
            lawyer_id = db_col_int64(s, 0);
            party_id = db_col_int64(s, 1);
            phone = zx_pii_col(s, 2, ZX_PII_PHONE);
        }
        db_finalize(s);
    } else { /* find the applicant/debtor whose code matches */
        s = db_prepare(c, "SELECT id, role, name, phone_enc FROM case_party WHERE case_id = ?"
                          " AND role IN ('applicant', 'debtor') ORDER BY ord");
        if (!s) return zx_pp_dberr(r);
        db_bind_int64(s, 1, case_id);
        while (db_step(s) == DB_ROW) {
            char want[9];
            zx_portal_query_code(db_col_int64(s, 0), want);
            if (ct_eq(want, code) && !party_id) {
                party_id = db_col_int64(s, 0);
                phone = zx_pii_col(s, 3, ZX_PII_PHONE);
            }
        }
        db_finalize(s);
    }
    if (db_begin(c)) {
        zx_pii_free(phone);
        return zx_pp_dberr(r);
    }
    if (!party_id) { /* against the case; a lawyer's wrong licence against that licence number too */
        int64_t f = fail_count(c, case_id, NULL, now), fl = lawyer ? fail_count(c, 0, lic, now) : 0;
        if (f < 0 || fl < 0 ||
            zx_pp_audit(r, c, 0, "portal.login", case_id, "failed",
                        lawyer ? "{\"reason\":\"licence_no\"}" : "{\"reason\":\"query_code\"}") ||
            db_commit(c))
            return zx_pp_dberr(r);
        if (f >= MAX_FAILS || fl >= MAX_FAILS) return reply_locked(r, now + LOCK_MS, now, fl >= MAX_FAILS);
        int64_t left = MAX_FAILS - (f > fl ? f : fl);
        return zx_reply_error_ex(r, 401, bad_code, bad_msg, json_pack("{s:I}", "tries_left", (json_int_t)left));
    }
    if (!phone || !*phone) {
        db_rollback(c);
        zx_pii_free(phone);
        return zx_reply_error(r, 409, "NO_PHONE", "本案未登记您的手机号码，请联系承办法官");
    }
    /* create the attempt, enqueue the SMS — one transaction (the failure count stays until the sign-in completes) */
    uint32_t rnd;
    zx_random(&rnd, sizeof rnd);
    char otp[8], idbuf[24], src[64], otp_hash[65];
    snprintf(otp, sizeof otp, "%06u", rnd % 1000000u);
    int64_t login_id = zx_id_new();
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)login_id);
    snprintf(src, sizeof src, "%s:%s", idbuf, otp);
    sm3_hex(src, otp_hash);
    int rc = 0;
    s = db_prepare(c, "INSERT INTO portal_login (id, case_id, party_id, otp_hash, expires_ms, created_ms, lawyer_id,"
                      " licence_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, login_id);
        db_bind_int64(s, 2, case_id);
        db_bind_int64(s, 3, party_id);
        db_bind_text(s, 4, otp_hash, -1);
        db_bind_int64(s, 5, now + OTP_MS);
        db_bind_int64(s, 6, now);
        if (lawyer_id) db_bind_int64(s, 7, lawyer_id);
        else db_bind_null(s, 7);
        if (lawyer_id) db_bind_text(s, 8, code, -1); /* the licence: the session may switch between its cases */
        else db_bind_null(s, 8);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) {
        json_t *p = no ? json_pack("{s:s,s:s}", "case_no", no, "code", otp) : json_pack("{s:s}", "code", otp);
        int64_t nid = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone,
                                                            .template_name = no ? "portal_otp" : "portal_lawyer_otp",
                                                            .params = p, .case_id = case_id });
        json_decref(p);
        if (nid < 0) rc = -1;
    }
    char *masked = zx_pii_mask(ZX_PII_PHONE, phone);
    zx_pii_free(phone);
    if (rc || zx_pp_audit(r, c, party_id, "portal.login", case_id, "ok",
                          lawyer ? "{\"step\":\"licence_no\"}" : "{\"step\":\"query_code\"}") || db_commit(c)) {
        free(masked);
        return zx_pp_dberr(r);
    }
    zx_reply_json(r, 200, json_pack("{s:s,s:s,s:i}", "login_id", idbuf, "phone", masked ? masked : "",
                                    "expires_in", (int)(OTP_MS / 1000)));
    free(masked);
}

static void party_login(zx_req *r) { login_common(r, false); }
static void lawyer_login(zx_req *r) { login_common(r, true); }

/* ---- GET /api/v1/portal/party/lawyer/cases — every case where a court confirmed this lawyer's representation
 *      POST /api/v1/portal/party/lawyer/switch {"case_id"} — the session acts in another of them (no new code) */
static void lawyer_cases(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    if (!ss.licence_no[0]) return zx_reply_error(r, 403, "LAWYER_ONLY", "仅代理律师登录后可查看代理案件列表");
    db_stmt *s = db_prepare(zx_db(r), "SELECT e.id, e.case_no, ct.name, e.status, p.name, p.role, l.firm"
                                      " FROM portal_lawyer l JOIN enf_case e ON e.id = l.case_id JOIN court ct ON ct.id = e.court_id"
                                      " JOIN case_party p ON p.id = l.party_id WHERE l.licence_no = ? AND l.status = 'confirmed'"
                                      " ORDER BY l.created_ms DESC, l.id DESC LIMIT 500");
    if (!s) return zx_pp_dberr(r);
    db_bind_text(s, 1, ss.licence_no, -1);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "case_id", zx_sprintf(r, "%lld", (long long)id),
                                             "case_no", db_col_text(s, 1), "court", db_col_text(s, 2), "status", db_col_text(s, 3),
                                             "client", db_col_text(s, 4), "client_role", db_col_text(s, 5),
                                             "current", id == ss.case_id));
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "cases", arr));
}

static void lawyer_switch(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    if (!ss.licence_no[0]) return zx_reply_error(r, 403, "LAWYER_ONLY", "仅代理律师可切换代理案件");
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *cid = zx_pp_jstr(b, "case_id");
    char *end = NULL;
    long long case_id = cid ? strtoll(cid, &end, 10) : 0;
    if (!cid || *end || case_id <= 0) return zx_reply_error(r, 400, "BAD_REQUEST", "请选择代理的案件");
    db_conn *c = zx_db(r);
    if (db_begin(c)) return zx_pp_dberr(r);
    db_stmt *s = db_prepare(c, "SELECT id, party_id FROM portal_lawyer WHERE case_id = ? AND licence_no = ? AND status = 'confirmed'");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, ss.licence_no, -1);
    int64_t lawyer_id = 0, party_id = 0;
    if (db_step(s) == DB_ROW) lawyer_id = db_col_int64(s, 0), party_id = db_col_int64(s, 1);
    db_finalize(s);
    if (!lawyer_id) { /* another lawyer's case, or a representation not (or no longer) confirmed */
        db_rollback(c);
        return zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或法院未确认您的代理");
    }
    s = db_prepare(c, "UPDATE portal_session SET case_id = ?, party_id = ?, lawyer_id = ? WHERE token_hash = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, party_id);
    db_bind_int64(s, 3, lawyer_id);
    db_bind_text(s, 4, ss.token_hash, -1);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc || zx_pp_audit(r, c, party_id, "portal.lawyer_switch", case_id, "ok",
                          zx_sprintf(r, "{\"lawyer_id\":\"%lld\"}", (long long)lawyer_id)) ||
        db_commit(c))
        return zx_pp_dberr(r);
    zx_reply_json(r, 200, json_pack("{s:s}", "case_id", zx_sprintf(r, "%lld", case_id)));
}

void zx_pp_set_cookie(zx_req *r, const char *token, int max_age)
{
    const char *secure = r->app->cfg.tls_cert[0] || r->app->cfg.tls_offloaded ? "; Secure" : "";
    zx_add_header(r, "set-cookie", zx_sprintf(r, "zx_portal=%s; Path=/api/v1/portal; HttpOnly; SameSite=Strict;"
                                                 " Max-Age=%d%s", token, max_age, secure));
}

/* ---- POST /api/v1/portal/party/verify ---- */
static void party_verify(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *lid = zx_pp_jstr(b, "login_id"), *code = zx_pp_jstr(b, "code");
    if (!lid || !code || strlen(lid) > 20 || strlen(code) > 12)
        return zx_reply_error(r, 400, "BAD_REQUEST", "请输入短信验证码");
    char *end;
    long long login_id = strtoll(lid, &end, 10);
    if (*end || login_id <= 0) return zx_reply_error(r, 400, "BAD_REQUEST", "登录请求无效");
    db_conn *c = zx_db(r);
    int64_t now = zx_now_ms();
    if (db_begin(c)) return zx_pp_dberr(r);
    db_stmt *s = db_prepare(c, "SELECT case_id, party_id, otp_hash, tries, used, expires_ms, lawyer_id, licence_no FROM portal_login"
                               " WHERE id = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, login_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        db_rollback(c);
        return zx_reply_error(r, 404, "LOGIN_NOT_FOUND", "登录请求不存在，请重新输入查询码");
    }
    int64_t case_id = db_col_int64(s, 0), party_id = db_col_int64(s, 1), tries = db_col_int64(s, 3);
    int64_t used = db_col_int64(s, 4), exp = db_col_int64(s, 5), lawyer_id = db_col_is_null(s, 6) ? 0 : db_col_int64(s, 6);
    char want[65], licence[33];
    snprintf(want, sizeof want, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
    snprintf(licence, sizeof licence, "%s", db_col_text(s, 7) ? db_col_text(s, 7) : "");
    db_finalize(s);
    if (used || tries >= MAX_FAILS || exp <= now) {
        db_rollback(c);
        return zx_reply_error(r, 410, "CODE_EXPIRED", "验证码已失效，请重新输入查询码获取新的验证码");
    }
    /* a lawyer's attempt counts against the licence number, a party's against the case */
    const char *lic = lawyer_id && licence[0] ? licence : NULL;
    if (lawyer_id && !lic) { /* an attempt that named one case: the licence of its representation */
        s = db_prepare(c, "SELECT licence_no FROM portal_lawyer WHERE id = ?");
        if (!s) return zx_pp_dberr(r);
        db_bind_int64(s, 1, lawyer_id);
        if (db_step(s) == DB_ROW) snprintf(licence, sizeof licence, "%s", db_col_text(s, 0));
        db_finalize(s);
        lic = licence[0] ? licence : NULL;
    }
    int64_t until = locked_until(c, case_id, lic, now);
    if (until < 0) return zx_pp_dberr(r);
    if (until) {
        db_rollback(c);
        return reply_locked(r, until, now, lic != NULL);
    }
    char src[64], got[65];
    snprintf(src, sizeof src, "%lld:%s", login_id, code);
    sm3_hex(src, got);
    if (!ct_eq(want, got)) {
        s = db_prepare(c, "UPDATE portal_login SET tries = tries + 1 WHERE id = ?");
        if (!s) return zx_pp_dberr(r);
        db_bind_int64(s, 1, login_id);
        int rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
        int64_t f = rc ? -1 : fail_count(c, case_id, lic, now);
        if (f < 0 || zx_pp_audit(r, c, party_id, "portal.login", case_id, "failed", "{\"reason\":\"otp\"}") || db_commit(c))
            return zx_pp_dberr(r);
        if (f >= MAX_FAILS) return reply_locked(r, now + LOCK_MS, now, lic != NULL);
        if (tries + 1 >= MAX_FAILS)
            return zx_reply_error(r, 423, "LOCKED", "验证码错误次数过多，请重新输入查询码获取新的验证码");
        int64_t left = MAX_FAILS - (tries + 1 > f ? tries + 1 : f);
        return zx_reply_error_ex(r, 401, "BAD_CODE", "验证码不正确", json_pack("{s:I}", "tries_left", (json_int_t)left));
    }
    if (fail_clear(c, case_id, lic)) return zx_pp_dberr(r);
    uint8_t tok[32];
    zx_random(tok, sizeof tok);
    char token[65], th[65];
    hex(tok, sizeof tok, token);
    sm3_hex(token, th);
    s = db_prepare(c, "UPDATE portal_login SET used = 1 WHERE id = ?");
    int rc = s ? 0 : -1;
    if (s) {
        db_bind_int64(s, 1, login_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) {
        s = db_prepare(c, "INSERT INTO portal_session (token_hash, case_id, party_id, expires_ms, created_ms, lawyer_id,"
                          " licence_no) VALUES (?, ?, ?, ?, ?, ?, ?)");
        rc = s ? 0 : -1;
        if (s) {
            db_bind_text(s, 1, th, -1);
            db_bind_int64(s, 2, case_id);
            db_bind_int64(s, 3, party_id);
            db_bind_int64(s, 4, now + SESSION_MS);
            db_bind_int64(s, 5, now);
            if (lawyer_id) db_bind_int64(s, 6, lawyer_id);
            else db_bind_null(s, 6);
            if (licence[0]) db_bind_text(s, 7, licence, -1);
            else db_bind_null(s, 7);
            rc = db_step(s) == DB_DONE ? 0 : -1;
            db_finalize(s);
        }
    }
    if (rc || zx_pp_audit(r, c, party_id, "portal.login", case_id, "ok",
                          lawyer_id ? zx_sprintf(r, "{\"step\":\"otp\",\"lawyer_id\":\"%lld\"}", (long long)lawyer_id)
                                    : "{\"step\":\"otp\"}") || db_commit(c))
        return zx_pp_dberr(r);
    s = db_prepare(c, "SELECT e.case_no, p.role, p.name FROM enf_case e JOIN case_party p ON p.id = ? WHERE e.id = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, party_id);
    db_bind_int64(s, 2, case_id);
    json_t *out = db_step(s) == DB_ROW ? json_pack("{s:s,s:s,s:s}", "case_no", db_col_text(s, 0), "role",
                                                   db_col_text(s, 1), "name", db_col_text(s, 2))
                                       : json_object();
    db_finalize(s);
    if (lawyer_id) json_object_set_new(out, "lawyer", json_true());
    zx_pp_set_cookie(r, token, (int)(SESSION_MS / 1000));
    zx_reply_json(r, 200, out);
}

/* The party session of the request, or replies 401 and returns false. */
bool zx_pp_session(zx_req *r, zx_pp_sess *out)
{
    const char *ck = zx_header(r, "cookie");
    const char *p = ck ? strstr(ck, "zx_portal=") : NULL;
    char token[65] = "";
    if (p) {
        p += 10;
        size_t n = strcspn(p, "; ");
        if (n == 64) memcpy(token, p, 64), token[64] = 0;
    }
    if (!token[0]) {
        zx_reply_error(r, 401, "PARTY_LOGIN_REQUIRED", "请先以案号、查询码和短信验证码登录");
        return false;
    }
    char th[65];
    sm3_hex(token, th);
    db_stmt *s = db_prepare(zx_db(r), "SELECT case_id, party_id, lawyer_id, licence_no FROM portal_session WHERE token_hash = ?"
                                      " AND expires_ms > ?");
    if (!s) {
        zx_pp_dberr(r);
        return false;
    }
    db_bind_text(s, 1, th, -1);
    db_bind_int64(s, 2, zx_now_ms());
    bool ok = db_step(s) == DB_ROW;
    if (ok) {
        out->case_id = db_col_int64(s, 0);
        out->party_id = db_col_int64(s, 1);
        out->lawyer_id = db_col_is_null(s, 2) ? 0 : db_col_int64(s, 2);
        snprintf(out->licence_no, sizeof out->licence_no, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        snprintf(out->token_hash, sizeof out->token_hash, "%s", th);
    }
    db_finalize(s);
    if (!ok) zx_reply_error(r, 401, "PARTY_LOGIN_REQUIRED", "登录已过期，请重新登录");
    return ok;
}

static bool party_session(zx_req *r, int64_t *case_id, int64_t *party_id)
{
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return false;
    *case_id = ss.case_id;
    *party_id = ss.party_id;
    return true;
}

static void party_logout(zx_req *r)
{
    int64_t case_id, party_id;
    if (!party_session(r, &case_id, &party_id)) return;
    const char *ck = strstr(zx_header(r, "cookie"), "zx_portal=") + 10;
    char token[65], th[65];
    memcpy(token, ck, 64);
    token[64] = 0;
    sm3_hex(token, th);
    db_conn *c = zx_db(r);
    if (db_begin(c)) return zx_pp_dberr(r);
    db_stmt *s = db_prepare(c, "DELETE FROM portal_session WHERE token_hash = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_text(s, 1, th, -1);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc || zx_pp_audit(r, c, party_id, "portal.logout", case_id, "ok", NULL) || db_commit(c)) return zx_pp_dberr(r);
    zx_pp_set_cookie(r, "", 0);
    zx_reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static const char *deadline_label(const char *k)
{
    if (!strcmp(k, "time_limit")) return "执行期限（立案之日起六个月）";
    if (!strcmp(k, "clue_verify")) return "财产线索核查期限";
    if (!strcmp(k, "notice")) return "发出执行通知书期限";
    if (!strcmp(k, "message_reply")) return "法官答复留言期限";
    if (!strcmp(k, "reward_decision")) return "法院决定是否悬赏期限";
    if (!strcmp(k, "funds_payout")) return "执行款发放期限（到账后三十日内）";
    return NULL;
}

/* Deadlines only one side has (deadline_label: the rest): the applicant's clues, 悬赏 and payout clock; a message's
 * reply clock only to the party who wrote it (own_message: the deadline's ref is one of its messages' event). */
static bool deadline_for(const char *k, const char *role, bool own_message)
{
    if (!strcmp(k, "funds_payout") || !strcmp(k, "clue_verify") || !strcmp(k, "reward_decision")) return !strcmp(role, "applicant");
    if (!strcmp(k, "message_reply")) return own_message;
    return true;
}

/* The debtor is not shown the applicant-only nodes (portal.h zx_portal_node_applicant_only). */
static bool node_for(const char *kind, const char *role)
{
    return strcmp(role, "debtor") || !zx_portal_node_applicant_only(kind);
}

/* What a movement of the case account is, for the applicant (funds/ledger.h ZX_TC_*). */
static const char *movement_label(int code, bool in)
{
    switch (code) {
    case ZX_TC_ARRIVAL: return "案款到账";
    case ZX_TC_CLAIM: return "案款认领入账";
    case ZX_TC_FEE: return "结算申请执行费";
    case ZX_TC_PAYOUT: return "执行款发放";
    case ZX_TC_ESCROW: return "执行款提存";
    case ZX_TC_PROCEEDS: return "拍卖价款转入";
    case ZX_TC_REFUND: return "退款";
    case ZX_TC_DEDUCTION: return "网络扣划到账";
    case ZX_TC_ADJUST: return "案款更正";
    case ZX_TC_COURT_TRANSFER: return in ? "移送案件案款转入" : "移送案件案款转出";
    default: return in ? "转入" : "转出";
    }
}

/* ---- GET /api/v1/portal/party/case ---- */
static void party_case(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    zx_pp_sess sess;
    if (!zx_pp_session(r, &sess)) return;
    int64_t case_id = sess.case_id, party_id = sess.party_id, lawyer_id = sess.lawyer_id;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT e.case_no, e.status, e.stage, e.filed_on, e.closed_on, e.claim_fen, e.recovered_fen,"
                               " e.basis_effective_on, u.display_name, ct.name, p.role, p.name, e.court_id"
                               " FROM enf_case e JOIN court ct ON ct.id = e.court_id LEFT JOIN app_user u ON u.id = e.handler_id"
                               " JOIN case_party p ON p.id = ? AND p.case_id = e.id WHERE e.id = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, party_id);
    db_bind_int64(s, 2, case_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "案件不存在");
    }
    char role[16], effective[11] = "";
    snprintf(role, sizeof role, "%s", db_col_text(s, 10));
    if (db_col_text(s, 7)) snprintf(effective, sizeof effective, "%s", db_col_text(s, 7));
    int64_t claim = db_col_int64(s, 5), recovered = db_col_int64(s, 6);
    const char *handler = db_col_text(s, 8);
    int64_t court_id = db_col_int64(s, 12);
    json_t *out = json_pack("{s:s,s:s,s:s,s:s,s:s?,s:I,s:I,s:{s:s,s:s},s:{s:s,s:s}}", "case_no", db_col_text(s, 0),
                            "status", db_col_text(s, 1), "stage", db_col_text(s, 2), "filed_on", db_col_text(s, 3),
                            "closed_on", db_col_text(s, 4), "claim_fen", (json_int_t)claim, "recovered_fen",
                            (json_int_t)recovered, "handler", "name", handler ? handler : "（尚未分案）", "court",
                            db_col_text(s, 9), "me", "role", role, "name", db_col_text(s, 11));
    db_finalize(s);
    /* the handler's contact: the court's number for parties (portal settings, set by the chief), the
     * message box of this page, and 12368 (the courts' litigation-service line) */
    zx_portal_settings st;
    if (zx_portal_settings_get(c, court_id, &st)) st.contact_phone[0] = st.contact_note[0] = 0;
    json_t *h = json_object_get(out, "handler");
    json_object_set_new(h, "contact", json_string(st.contact_phone[0]
        ? zx_sprintf(r, "执行局联系电话 %s%s%s；也可在本页“联系承办法官”留言，或拨打12368诉讼服务热线", st.contact_phone,
                     st.contact_note[0] ? "，" : "", st.contact_note)
        : "请在本页“联系承办法官”留言，或拨打12368诉讼服务热线转执行法院"));
    json_object_set_new(h, "phone", st.contact_phone[0] ? json_string(st.contact_phone) : json_null());
    json_object_set_new(h, "hours", st.contact_note[0] ? json_string(st.contact_note) : json_null());
    /* public nodes */
    json_t *nodes = json_array();
    /* by the day a step was taken (a step recorded later, e.g. a served notice entered the next day, sits on its day) */
    s = db_prepare(c, "SELECT seq, kind, on_date, at_ms, data FROM case_event WHERE case_id = ? ORDER BY on_date, seq");
    if (!s) {
        json_decref(out);
        json_decref(nodes);
        return zx_pp_dberr(r);
    }
    db_bind_int64(s, 1, case_id);
    /* the debtor's own deadline: the last 报告财产令's period (财产调查规定 art 4(1): the order states it;
     * report_days in the event, counted per 民诉法 art 85 as src/credit/decisions.c does), done once a report
     * arrived after it */
    zx_date report_due = ZX_DATE_NONE;
    bool report_done = false;
    while (db_step(s) == DB_ROW) {
        const char *kind = db_col_text(s, 1);
        json_t *data = db_col_text(s, 4) ? json_loads(db_col_text(s, 4), 0, NULL) : NULL;
        const char *l = node_for(kind, role) ? zx_portal_node_label(kind, data) : NULL;
        if (l) {
            json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I}", "seq", (json_int_t)db_col_int64(s, 0), "kind", kind, "label", l,
                                  "on_date", db_col_text(s, 2), "at_ms", (json_int_t)db_col_int64(s, 3));
            char det[200];
            if (zx_portal_node_detail(kind, data, det, sizeof det)) json_object_set_new(o, "detail", json_string(det));
            json_array_append_new(nodes, o);
        }
        zx_date on;
        if ((!strcmp(kind, "property_report_order") ||
             (!strcmp(kind, "enforcement_notice") && !json_is_false(json_object_get(data, "with_report_order")))) &&
            !zx_date_parse(db_col_text(s, 2), &on)) {
            json_t *rd = json_object_get(data, "report_days");
            int days = json_is_integer(rd) && json_integer_value(rd) > 0 ? (int)json_integer_value(rd) : ZX_REPORT_DAYS_DEFAULT;
            report_due = zx_cal_period_end_days(on, days);
            report_done = false;
        } else if (!strcmp(kind, "property_report") && report_due != ZX_DATE_NONE)
            report_done = true;
        json_decref(data);
    }
    db_finalize(s);
    json_object_set_new(out, "nodes", nodes);
    /* deadlines that concern the party */
    json_t *dl = json_array();
    s = db_prepare(c, "SELECT d.kind, d.due_on, d.done, (SELECT COUNT(*) FROM portal_message m WHERE m.case_id = d.case_id"
                      " AND m.event_seq = d.ref AND m.party_id = ?) FROM case_deadline d WHERE d.case_id = ? ORDER BY d.due_on");
    if (s) {
        db_bind_int64(s, 1, party_id);
        db_bind_int64(s, 2, case_id);
        while (db_step(s) == DB_ROW) {
            const char *l = deadline_label(db_col_text(s, 0));
            if (l && deadline_for(db_col_text(s, 0), role, db_col_int64(s, 3) > 0))
                json_array_append_new(dl, json_pack("{s:s,s:s,s:s,s:b}", "kind", db_col_text(s, 0), "label", l, "due_on",
                                                    db_col_text(s, 1), "done", db_col_int64(s, 2) == 1));
        }
        db_finalize(s);
    }
    if (report_due != ZX_DATE_NONE && !strcmp(role, "debtor")) {
        char due[11];
        zx_date_format(report_due, due);
        json_array_append_new(dl, json_pack("{s:s,s:s,s:s,s:b}", "kind", "property_report", "label",
                                            "报告财产期限（报告财产令规定的期间，自送达之日起算）", "due_on", due, "done", report_done));
    }
    json_object_set_new(out, "deadlines", dl);
    /* documents served (the notices go to the debtor; closure documents to both) */
    json_t *docs = json_array();
    s = db_prepare(c, "SELECT d.id, d.kind, d.title, d.created_ms, e.on_date FROM case_document d LEFT JOIN case_event e"
                      " ON e.id = d.event_id WHERE d.case_id = ? ORDER BY d.created_ms");
    if (s) {
        db_bind_int64(s, 1, case_id);
        while (db_step(s) == DB_ROW) {
            const char *k = db_col_text(s, 1);
            bool debtor_doc = !strcmp(k, "enforcement_notice") || !strcmp(k, "property_report_order") ||
                              !strcmp(k, "restriction_order") || !strcmp(k, "fine_decision");
            bool both = !strcmp(k, "interim_closure_ruling") || !strcmp(k, "closure_notice");
            bool applicant_doc = !strcmp(k, "acceptance_notice"); /* 受理通知书 with the applicant's query code */
            if (both || (debtor_doc && !strcmp(role, "debtor")) || (applicant_doc && !strcmp(role, "applicant")))
                json_array_append_new(docs, json_pack("{s:s,s:s,s:s,s:I,s:s?}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                                                      "kind", k, "title", db_col_text(s, 2), "served_ms",
                                                      (json_int_t)db_col_int64(s, 3), "on_date", db_col_text(s, 4)));
        }
        db_finalize(s);
    }
    json_object_set_new(out, "documents", docs);
    /* the case account */
    /* the case account (一案一账号) and the court's 执行款专户 it is paid through (as the 执行通知书 prints them) */
    s = db_prepare(c, "SELECT a.id, a.account_no, (SELECT b.account_no FROM fund_account b WHERE b.kind = 1 AND b.court_id = a.court_id"
                      " AND b.account_no IS NOT NULL ORDER BY b.id LIMIT 1), (SELECT b.name FROM fund_account b WHERE b.kind = 1"
                      " AND b.court_id = a.court_id AND b.account_no IS NOT NULL ORDER BY b.id LIMIT 1)"
                      " FROM fund_account a WHERE a.case_id = ? AND a.kind = 2");
    int64_t acc = 0;
    char acc_no[40] = "", bank_no[48] = "", bank_name[160] = "";
    if (s) {
        db_bind_int64(s, 1, case_id);
        if (db_step(s) == DB_ROW) {
            acc = db_col_int64(s, 0);
            snprintf(acc_no, sizeof acc_no, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
            snprintf(bank_no, sizeof bank_no, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
            snprintf(bank_name, sizeof bank_name, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        }
        db_finalize(s);
    }
    if (!strcmp(role, "applicant")) {
        json_t *mv = json_array();
        /* posted movements: plain transfers and the postings of two-phase ones (a payout is reserved, then posted
         * when the bank confirms: ZX_TR_POST_PENDING) — not the reservations themselves nor voided ones */
        s = acc ? db_prepare(c, "SELECT t.credit_account_id, CASE WHEN t.amount = 0 AND t.pending_id IS NOT NULL THEN"
                                " (SELECT p.amount FROM fund_transfer p WHERE p.id = t.pending_id) ELSE t.amount END, t.booked_on, t.code,"
                                " EXISTS (SELECT 1 FROM reward_tip rt JOIN fund_payout fp ON fp.id = rt.payout_id"
                                " WHERE fp.transfer_id = COALESCE(t.pending_id, t.id))"
                                " FROM fund_transfer t WHERE (t.debit_account_id = ? OR t.credit_account_id = ?) AND (t.flags & 10) = 0"
                                " ORDER BY t.id")
                : NULL;
        if (s) {
            db_bind_int64(s, 1, acc);
            db_bind_int64(s, 2, acc);
            while (db_step(s) == DB_ROW) {
                bool in = db_col_int64(s, 0) == acc;
                json_array_append_new(mv, json_pack("{s:s,s:s,s:I,s:s}", "direction", in ? "in" : "out", "label",
                                                    db_col_int64(s, 4) ? "悬赏金发放（给举报人）" : movement_label((int)db_col_int64(s, 3), in), "amount_fen",
                                                    (json_int_t)db_col_int64(s, 1), "booked_on", db_col_text(s, 2)));
            }
            db_finalize(s);
        }
        json_object_set_new(out, "account_movements", mv);
    } else {
        /* what is owed today: outstanding claim + the doubled-part delay interest (迟延履行利息解释 art 1)
         * on the outstanding claim from the day after the basis took effect; an estimate, the court's
         * computation (src/rules/interest.c with its exclusions and partial payments) decides. */
        int64_t principal = claim > recovered ? claim - recovered : 0, interest = 0, days = 0;
        zx_date from;
        if (effective[0] && !zx_date_parse(effective, &from)) {
            days = zx_delay_interest_days(from, zx_today());
            if (days < 0 || zx_delay_interest_simple(principal, days, &interest)) interest = 0, days = 0;
        }
        char today[11];
        zx_date_format(zx_today(), today);
        json_object_set_new(out, "owed", json_pack("{s:s,s:I,s:I,s:I,s:I,s:s}", "as_of", today, "principal_fen",
                                                   (json_int_t)principal, "delay_interest_fen", (json_int_t)interest,
                                                   "interest_days", (json_int_t)days, "total_fen",
                                                   (json_int_t)(principal + interest), "basis",
                                                   "迟延履行利息按未清偿金钱债务每日万分之一点七五计算（估算，以法院计算为准）"));
        const char *no = json_string_value(json_object_get(out, "case_no"));
        json_object_set_new(out, "pay_to", json_pack("{s:s,s:s?,s:s?,s:s}", "account_no", acc_no, "bank_account_no",
                                                     bank_no[0] ? bank_no : NULL, "bank_name", bank_name[0] ? bank_name : NULL, "note",
                                                     bank_no[0] ? zx_sprintf(r, "请将款项交至本院执行款专户（%s，账号%s），付款时在附言中填写本案案款账号%s"
                                                                                "及案号%s", bank_name, bank_no, acc_no, no)
                                                                : zx_sprintf(r, "请将款项交至本院执行款专户，付款时在附言中填写本案案款账号%s及案号%s",
                                                                             acc_no, no)));
    }
    /* the portal's own parts: messages, clues, applications, 悬赏, opt-out, lawyers' orders */
    zx_pp_sess ss = { case_id, party_id, lawyer_id };
    if (zx_pp_case_extras(r, c, &ss, role, out)) {
        json_decref(out);
        return zx_pp_dberr(r);
    }
    /* every view audited, its record committed before the page answers (group commit, viewlog.c) */
    if (zx_portal_view_reply(r, party_id, case_id, out) == 0) return;
    if (zx_portal_view_audit(c, party_id, case_id, r->client_ip, r->request_id)) {
        json_decref(out);
        return zx_pp_dberr(r);
    }
    zx_reply_json(r, 200, out);
}

/* ---- GET /api/v1/portal/party/documents/:doc_id ---- */
static void party_document(zx_req *r)
{
    int64_t case_id, party_id, doc_id;
    if (!party_session(r, &case_id, &party_id)) return;
    if (!zx_param_id(r, "doc_id", &doc_id)) return;
    db_conn *c = zx_db(r);
    if (zx_doc_materialise(c, case_id, doc_id) < 0) return zx_pp_dberr(r); /* a lazily made document (case/documents.h) */
    db_stmt *s = db_prepare(c, "SELECT content, title FROM case_document WHERE id = ? AND case_id = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, doc_id);
    db_bind_int64(s, 2, case_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "文书不存在");
    }
    size_t len = 0;
    const void *p = db_col_blob(s, 0, &len);
    void *copy = zx_alloc(r, len ? len : 1);
    memcpy(copy, p, len);
    db_finalize(s);
    if (db_begin(c) || zx_pp_audit(r, c, party_id, "portal.document", case_id, "ok",
                                   zx_sprintf(r, "{\"document_id\":\"%lld\"}", (long long)doc_id)) || db_commit(c))
        return zx_pp_dberr(r);
    zx_reply_raw(r, 200, "application/pdf", copy, len, "attachment; filename=\"document.pdf\"");
}

/* ---- GET /api/v1/cases/:id/portal-codes (staff): the query codes to print on the 受理通知书 ---- */
static void case_portal_codes(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, "portal.codes")) return;
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, role, name, phone_enc IS NOT NULL FROM case_party WHERE case_id = ?"
                               " AND role IN ('applicant', 'debtor') ORDER BY ord");
    if (!s) {
        json_decref(arr);
        return zx_pp_dberr(r);
    }
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW) {
        char qc[9];
        zx_portal_query_code(db_col_int64(s, 0), qc);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:b}", "party_id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                                             "role", db_col_text(s, 1), "name", db_col_text(s, 2), "query_code", qc,
                                             "has_phone", db_col_int64(s, 3) != 0));
    }
    db_finalize(s);
    if (db_begin(c) || zx_audit_req(r, c, "portal.codes", "case", id, "ok", NULL) || db_commit(c)) {
        json_decref(arr);
        return zx_pp_dberr(r);
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "parties", arr));
}

/* ---- GET /api/v1/cases/:id/notifications (staff): the case's messages and their delivery status ---- */
static void case_notifications(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    db_conn *c = zx_db(r);
    zx_case k;
    if (!zx_api_case_open(r, c, id, &k, ZX_CASE_READ, NULL)) return;
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT id, template, params, status, attempts, created_ms, sent_ms, recipient, last_error"
                               " FROM notify_outbox WHERE case_id = ? ORDER BY created_ms, id");
    if (!s) {
        json_decref(arr);
        return zx_pp_dberr(r);
    }
    db_bind_int64(s, 1, id);
    while (db_step(s) == DB_ROW) {
        char text[600] = "";
        json_t *par = db_col_text(s, 2) ? json_loads(db_col_text(s, 2), 0, NULL) : NULL;
        if (zx_notify_render(db_col_text(s, 1), par, text, sizeof text) < 0) text[0] = 0;
        json_decref(par);
        const char *tpl = db_col_text(s, 1);
        size_t tl = strlen(tpl); /* every one-time code (portal_otp, portal_lawyer_otp, portal_tip_otp …) stays unread */
        if (tl >= 4 && !strcmp(tpl + tl - 4, "_otp")) snprintf(text, sizeof text, "登录验证码（内容不显示）");
        char *to = zx_pii_col_masked(s, 7, ZX_PII_PHONE);
        json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                              "template", db_col_text(s, 1), "text", text, "status", db_col_text(s, 3), "attempts",
                              (json_int_t)db_col_int64(s, 4), "created_ms", (json_int_t)db_col_int64(s, 5));
        json_object_set_new(o, "to", json_string(to ? to : ""));
        json_object_set_new(o, "sent_ms", db_col_is_null(s, 6) ? json_null() : json_integer(db_col_int64(s, 6)));
        /* why a message was not sent (court_off / opted_out, src/portal/settings.c); a gateway's own error text stays inside */
        const char *why = db_col_text(s, 8);
        json_object_set_new(o, "reason", !strcmp(db_col_text(s, 3), "suppressed") && why ? json_string(why) : json_null());
        free(to);
        json_array_append_new(arr, o);
    }
    db_finalize(s);
    zx_reply_json(r, 200, json_pack("{s:o}", "notifications", arr));
}

static const struct zx_route portal_party_routes[] = {
    { "GET", "/api/v1/cases/:id/notifications", case_notifications, ZX_R_USER, ROLE_BUSINESS, NULL,
      "案件短信通知及送达状态" },
    { "GET", "/api/v1/cases/:id/portal-codes", case_portal_codes, ZX_R_USER, ROLE_BUSINESS, NULL,
      "当事人查询码（打印于受理通知书、执行通知书）" },
    { "POST", "/api/v1/portal/party/login", party_login, ZX_R_PUBLIC, 0, NULL, "当事人登录：案号 + 查询码，向预留手机发送验证码" },
    { "GET", "/api/v1/portal/party/lawyer/cases", lawyer_cases, ZX_R_PUBLIC, 0, NULL, "代理律师：法院已确认代理的全部案件" },
    { "POST", "/api/v1/portal/party/lawyer/switch", lawyer_switch, ZX_R_PUBLIC, 0, NULL, "代理律师：切换到另一代理案件（无需再次验证）" },
    { "POST", "/api/v1/portal/lawyer/login", lawyer_login, ZX_R_PUBLIC, 0, NULL,
      "律师登录：案号 + 律师执业证号（法院已确认代理），向律师预留手机发送验证码" },
    { "POST", "/api/v1/portal/party/verify", party_verify, ZX_R_PUBLIC, 0, NULL, "当事人登录：短信验证码" },
    { "POST", "/api/v1/portal/party/logout", party_logout, ZX_R_PUBLIC, 0, NULL, "当事人退出登录" },
    { "GET", "/api/v1/portal/party/case", party_case, ZX_R_PUBLIC, 0, NULL, "当事人：我的案件（节点、期限、文书、案款、应付）" },
    { "GET", "/api/v1/portal/party/documents/:doc_id", party_document, ZX_R_PUBLIC, 0, NULL, "当事人：下载送达文书（PDF）" },
};
ZX_ROUTES(portal_party_routes)
