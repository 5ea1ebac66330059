/* portal_public.c — the public parts of the party portal that need no sign-in (issue 15 items 5, 6;
 * docs/api/portal.md), and the lawyer's order PDF:
 *
 *   GET  /api/v1/portal/rewards                  published 悬赏 notices (财产调查规定 art 22): court, 案号,
 *                                                the debtor (name, masked ID), the reward, the end date
 *   POST /api/v1/portal/rewards/:id/tips         a tip with the tipster's identity (name, ID number, phone):
 *                                                an SMS one-time code goes to the phone (notify outbox)
 *   POST /api/v1/portal/rewards/tips/verify      the code → the tip is registered in order (art 23);
 *                                                identity sealed (core/pii)
 *   GET  /api/v1/portal/orders/verify?code=      an institution checks a 律师调查令 shown to it
 *   GET  /api/v1/portal/lawyer/orders/:id/pdf    the issued order (PDF), for the lawyer who holds it
 *
 * Public routes count against the caller's address (public_rate_per_min). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/portal_party.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "core/crypto.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "credit/entry.h"

static size_t u8len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

/* ---- GET /api/v1/portal/rewards ---- */
static void rewards_list(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    char today[11];
    zx_date_format(zx_today(), today);
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT n.id, e.case_no, ct.name, n.amount_fen, n.percent_bp, n.published_on, n.ends_on, n.case_id"
                               " FROM reward_notice n JOIN enf_case e ON e.id = n.case_id JOIN court ct ON ct.id = n.court_id"
                               " WHERE n.status = 'approved' AND n.ends_on >= ? ORDER BY n.published_on DESC, n.id DESC LIMIT 100");
    if (!s) return zx_pp_dberr(r);
    db_bind_text(s, 1, today, -1);
    json_t *arr = json_array();
    while (db_step(s) == DB_ROW) {
        char amt[ZX_MONEY_BUF];
        zx_money_format(db_col_int64(s, 3), amt);
        int bp = (int)db_col_int64(s, 4);
        const char *reward = db_col_int64(s, 3) > 0 ? zx_sprintf(r, "%s 元", amt)
                                                     : zx_sprintf(r, "按依线索执行到位金额的 %d.%02d%% 给付悬赏金", bp / 100, bp % 100);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:I,s:i,s:s,s:s,s:s}", "id", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 0)),
                                             "case_no", db_col_text(s, 1), "court", db_col_text(s, 2), "reward", reward, "amount_fen",
                                             (json_int_t)db_col_int64(s, 3), "percent_bp", bp, "published_on", db_col_text(s, 5),
                                             "ends_on", db_col_text(s, 6), "case_id_", zx_sprintf(r, "%lld", (long long)db_col_int64(s, 7))));
    }
    db_finalize(s);
    /* the debtors named in each notice: name and masked ID (ARCHITECTURE decision 7) */
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        json_t *debtors = json_array();
        s = db_prepare(c, "SELECT name, id_number_enc, credit_code FROM case_party WHERE case_id = ? AND role = 'debtor' ORDER BY ord");
        if (s) {
            db_bind_int64(s, 1, strtoll(json_string_value(json_object_get(o, "case_id_")), NULL, 10));
            while (db_step(s) == DB_ROW) {
                char *m = db_col_is_null(s, 1) ? NULL : zx_pii_col_masked(s, 1, ZX_PII_ID_NUMBER);
                const char *cc = db_col_text(s, 2);
                json_array_append_new(debtors, json_pack("{s:s,s:s}", "name", db_col_text(s, 0), "id_number",
                                                         m ? m : (cc ? cc : "")));
                free(m);
            }
            db_finalize(s);
        }
        json_object_del(o, "case_id_");
        json_object_set_new(o, "debtors", debtors);
        json_object_set_new(o, "terms", json_string("有关人员提供人民法院尚未掌握的被执行人财产线索，使申请执行人的债权得以全部或部分实现的，"
                                                     "按本公告给付悬赏金；两人以上提供相同线索的，按登记先后确定（财产调查规定第23、24条）。"
                                                     "举报人身份信息依法保密。"));
    }
    zx_reply_json(r, 200, json_pack("{s:o}", "rewards", arr));
}

/* ---- POST /api/v1/portal/rewards/:id/tips  → 202 {verify_id, phone (masked), expires_in}
 *      POST /api/v1/portal/rewards/tips/verify {verify_id, code} → 201 {id, seq}
 * A tip is registered (art 23: in order, with the tipster's identity) only once the tipster proved the
 * phone by the SMS one-time code sent through the notify outbox to the simulated gateway. Limits: the
 * public per-address rate, TIP_CODES_PER_HOUR codes per phone, 5 wrong codes kill the attempt, 5 minutes. */
#define TIP_OTP_MS (5 * 60 * 1000LL)
#define TIP_MAX_TRIES 5
#define TIP_CODES_PER_HOUR 5

static void otp_hash(int64_t id, const char *code, char out[65])
{
    char src[64];
    snprintf(src, sizeof src, "tip:%lld:%s", (long long)id, code);
    uint8_t h[ZX_SM3_LEN];
    zx_sm3(src, strlen(src), h);
    for (int i = 0; i < ZX_SM3_LEN; i++) snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static bool same(const char *a, const char *b)
{
    size_t n = strlen(a);
    if (n != strlen(b)) return false;
    unsigned d = 0;
    for (size_t i = 0; i < n; i++) d |= (unsigned char)a[i] ^ (unsigned char)b[i];
    return d == 0;
}

/* the notice is published and running: its case, else 0 */
static int64_t open_notice(db_conn *c, int64_t id)
{
    char today[11];
    zx_date_format(zx_today(), today);
    db_stmt *s = db_prepare(c, "SELECT case_id FROM reward_notice WHERE id = ? AND status = 'approved' AND ends_on >= ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, today, -1);
    int64_t case_id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return case_id;
}

static void reward_tip(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *name = zx_pp_jstr(b, "name"), *idn = zx_pp_jstr(b, "id_number"), *phone = zx_pp_jstr(b, "phone"),
               *clue = zx_pp_jstr(b, "clue");
    if (!name || u8len(name) < 2 || u8len(name) > 40) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写举报人真实姓名");
    char norm[19];
    if (!idn || strlen(idn) != 18 || zx_credit_id_normalise(idn, 18, zx_today(), norm) == ZX_IDK_INVALID)
        return zx_reply_error(r, 400, "INVALID_ID_NUMBER", "请填写举报人有效的18位身份证号码");
    if (!phone || strlen(phone) != 11 || phone[0] != '1' || strspn(phone, "0123456789") != 11)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "请填写举报人的11位手机号码");
    if (!clue || u8len(clue) < 5 || u8len(clue) > 2000) return zx_reply_error(r, 400, "VALIDATION_FAILED", "请写明财产线索（5–2000字）");
    db_conn *c = zx_db(r);
    if (db_begin(c)) return zx_pp_dberr(r);
    int64_t case_id = open_notice(c, id);
    if (case_id < 0) return zx_pp_dberr(r);
    if (!case_id) {
        db_rollback(c);
        return zx_reply_error(r, 404, "NOT_FOUND", "悬赏公告不存在或已结束");
    }
    int64_t now = zx_now_ms();
    char pidx[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_PHONE, phone, pidx); /* the written form */
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM reward_tip_pending WHERE " ZX_PII_IN("phone_idx") " AND created_ms > ?");
    if (!s) return zx_pp_dberr(r);
    zx_pii_bind_lookup(s, 1, ZX_PII_PHONE, phone);
    db_bind_int64(s, 3, now - 3600 * 1000LL);
    int64_t sent = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    if (sent >= TIP_CODES_PER_HOUR) {
        db_rollback(c);
        zx_add_header(r, "Retry-After", "3600");
        return zx_reply_error(r, 429, "RATE_LIMITED", "该手机号码一小时内获取验证码次数过多，请稍后再试");
    }
    uint32_t rnd;
    zx_random(&rnd, sizeof rnd);
    char otp[8], hash[65];
    snprintf(otp, sizeof otp, "%06u", rnd % 1000000u);
    int64_t vid = zx_id_new();
    otp_hash(vid, otp, hash);
    s = db_prepare(c, "INSERT INTO reward_tip_pending (id, reward_id, name, id_number_idx, id_number_enc, phone_enc, phone_idx, clue,"
                      " otp_hash, expires_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, vid);
    db_bind_int64(s, 2, id);
    db_bind_text(s, 3, name, -1);
    zx_pii_bind_index(s, 4, ZX_PII_ID_NUMBER, norm);
    zx_pii_bind(s, 5, ZX_PII_ID_NUMBER, norm);
    zx_pii_bind(s, 6, ZX_PII_PHONE, phone);
    db_bind_text(s, 7, pidx, -1);
    db_bind_text(s, 8, clue, -1);
    db_bind_text(s, 9, hash, -1);
    db_bind_int64(s, 10, now + TIP_OTP_MS);
    db_bind_int64(s, 11, now);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (!rc) {
        json_t *p = json_pack("{s:s}", "code", otp);
        int64_t nid = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = phone, .template_name = "portal_tip_otp",
                                                            .params = p });
        json_decref(p);
        if (nid < 0) rc = -1;
    }
    if (rc || zx_audit_write(c, &(zx_audit_rec){ .username = "public", .action = "portal.reward_tip", .object_type = "case",
                                                 .object_id = zx_sprintf(r, "%lld", (long long)case_id), .result = "ok",
                                                 .client_ip = r->client_ip, .request_id = r->request_id,
                                                 .detail = zx_sprintf(r, "{\"reward_id\":\"%lld\",\"step\":\"code_sent\"}", (long long)id) }) ||
        db_commit(c))
        return zx_pp_dberr(r);
    char *masked = zx_pii_mask(ZX_PII_PHONE, phone);
    zx_reply_json(r, 202, json_pack("{s:s,s:s,s:i,s:s}", "verify_id", zx_sprintf(r, "%lld", (long long)vid), "phone",
                                    masked ? masked : "", "expires_in", (int)(TIP_OTP_MS / 1000), "message",
                                    "验证码已发送至举报人手机，请输入验证码完成登记。"));
    free(masked);
}

static void reward_tip_verify(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *vs = zx_pp_jstr(b, "verify_id"), *code = zx_pp_jstr(b, "code");
    char *end = NULL;
    long long vid = vs ? strtoll(vs, &end, 10) : 0;
    if (!vs || *end || vid <= 0 || !code || strlen(code) > 12) return zx_reply_error(r, 400, "BAD_REQUEST", "请输入短信验证码");
    db_conn *c = zx_db(r);
    int64_t now = zx_now_ms();
    if (db_begin(c)) return zx_pp_dberr(r);
    db_stmt *s = db_prepare(c, "UPDATE reward_tip_pending SET tries = tries WHERE id = ?"
                               " RETURNING reward_id, name, id_number_idx, id_number_enc, phone_enc, clue, otp_hash, tries, used, expires_ms");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, vid);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        db_rollback(c);
        return zx_reply_error(r, 404, "NOT_FOUND", "登记请求不存在，请重新提交线索");
    }
    int64_t reward_id = db_col_int64(s, 0), tries = db_col_int64(s, 7), used = db_col_int64(s, 8), exp = db_col_int64(s, 9);
    char *name = zx_strdup(r, db_col_text(s, 1)), *idx = zx_strdup(r, db_col_text(s, 2)), *clue = zx_strdup(r, db_col_text(s, 5));
    char want[65];
    snprintf(want, sizeof want, "%s", db_col_text(s, 6) ? db_col_text(s, 6) : "");
    char *idn = zx_pii_col(s, 3, ZX_PII_ID_NUMBER), *phone = zx_pii_col(s, 4, ZX_PII_PHONE);
    db_finalize(s);
    char got[65];
    otp_hash(vid, code, got);
    const char *fail_code = NULL, *fail_msg = NULL;
    int fail_status = 0;
    if (used || tries >= TIP_MAX_TRIES || exp <= now)
        fail_status = 410, fail_code = "CODE_EXPIRED", fail_msg = "验证码已失效，请重新提交线索获取新的验证码";
    else if (!same(want, got)) {
        s = db_prepare(c, "UPDATE reward_tip_pending SET tries = tries + 1 WHERE id = ?");
        int rc = s ? 0 : -1;
        if (s) {
            db_bind_int64(s, 1, vid);
            rc = db_step(s) == DB_DONE ? 0 : -1;
            db_finalize(s);
        }
        zx_pii_free(idn);
        zx_pii_free(phone);
        if (rc || db_commit(c)) return zx_pp_dberr(r);
        if (tries + 1 >= TIP_MAX_TRIES) return zx_reply_error(r, 423, "LOCKED", "验证码错误次数过多，请重新提交线索获取新的验证码");
        return zx_reply_error_ex(r, 401, "BAD_CODE", "验证码不正确", json_pack("{s:I}", "tries_left", (json_int_t)(TIP_MAX_TRIES - tries - 1)));
    }
    int64_t case_id = fail_status ? 0 : open_notice(c, reward_id);
    if (case_id < 0) {
        zx_pii_free(idn);
        zx_pii_free(phone);
        return zx_pp_dberr(r);
    }
    if (!fail_status && !case_id) fail_status = 404, fail_code = "NOT_FOUND", fail_msg = "悬赏公告不存在或已结束";
    if (fail_status || !idn || !phone) {
        zx_pii_free(idn);
        zx_pii_free(phone);
        db_rollback(c);
        if (!fail_status) return zx_pp_dberr(r);
        return zx_reply_error(r, fail_status, fail_code, "%s", fail_msg);
    }
    /* registered now, in order (art 23): the case first (audit head, case row — the order of every case
     * writer), then the notice's row, which orders concurrent tips on one notice */
    int rc = zx_case_lock(c, case_id) ? -1 : 0;
    s = rc ? NULL : db_prepare(c, "UPDATE reward_notice SET status = status WHERE id = ?");
    if (!s) rc = -1;
    if (s) {
        db_bind_int64(s, 1, reward_id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    int64_t seq = 1;
    if (!rc && (s = db_prepare(c, "SELECT COALESCE(MAX(seq), 0) + 1 FROM reward_tip WHERE reward_id = ?"))) {
        db_bind_int64(s, 1, reward_id);
        if (db_step(s) == DB_ROW) seq = db_col_int64(s, 0);
        db_finalize(s);
    } else rc = -1;
    int64_t tid = zx_id_new();
    if (!rc && (s = db_prepare(c, "INSERT INTO reward_tip (id, reward_id, case_id, seq, name, id_number_idx, id_number_enc, phone_enc,"
                                  " clue, status, created_ms, verified_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'registered', ?, ?)"))) {
        db_bind_int64(s, 1, tid);
        db_bind_int64(s, 2, reward_id);
        db_bind_int64(s, 3, case_id);
        db_bind_int64(s, 4, seq);
        db_bind_text(s, 5, name, -1);
        db_bind_text(s, 6, idx, -1);
        zx_pii_bind(s, 7, ZX_PII_ID_NUMBER, idn);
        zx_pii_bind(s, 8, ZX_PII_PHONE, phone);
        db_bind_text(s, 9, clue, -1);
        db_bind_int64(s, 10, now);
        db_bind_int64(s, 11, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else rc = -1;
    zx_pii_free(idn);
    zx_pii_free(phone);
    if (!rc && (s = db_prepare(c, "UPDATE reward_tip_pending SET used = 1 WHERE id = ?"))) {
        db_bind_int64(s, 1, vid);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    /* the case's log records the registration, never the tipster (art 23: identity kept confidential) */
    zx_case k;
    zx_case_events ev = { 0 };
    if (!rc) rc = zx_case_load(c, case_id, &k) || zx_case_events_load(c, case_id, &ev) ? -1 : 0;
    if (!rc) {
        json_t *d = json_pack("{s:s,s:I,s:b}", "reward_id", zx_sprintf(r, "%lld", (long long)reward_id), "tip_seq", (json_int_t)seq,
                              "phone_verified", 1);
        rc = zx_case_event_add(c, &ev, case_id, 0, "reward_tip", k.stage, zx_today(), d, NULL) < 0 ? -1 : 0;
        json_decref(d);
    }
    zx_case_events_free(&ev);
    if (rc || zx_audit_write(c, &(zx_audit_rec){ .username = "public", .action = "portal.reward_tip", .object_type = "case",
                                                 .object_id = zx_sprintf(r, "%lld", (long long)case_id), .result = "ok",
                                                 .client_ip = r->client_ip, .request_id = r->request_id,
                                                 .detail = zx_sprintf(r, "{\"reward_id\":\"%lld\",\"seq\":%lld,\"step\":\"verified\"}",
                                                                      (long long)reward_id, (long long)seq) }) ||
        db_commit(c))
        return zx_pp_dberr(r);
    zx_reply_json(r, 201, json_pack("{s:s,s:I,s:s}", "id", zx_sprintf(r, "%lld", (long long)tid), "seq", (json_int_t)seq, "message",
                                    "手机号码已验证，线索已登记，法院将依法核查；您的身份信息依法保密。"));
}

/* ---- GET /api/v1/portal/orders/verify?code= ---- */
static void order_verify(zx_req *r)
{
    if (!zx_pp_rate_ok(r)) return;
    const char *code = zx_query(r, "code");
    if (!code || strlen(code) != 16) return zx_reply_error(r, 400, "BAD_CODE", "请输入调查令上的16位核验码");
    char up[17];
    for (int i = 0; i < 16; i++) up[i] = (code[i] >= 'a' && code[i] <= 'z') ? (char)(code[i] - 32) : code[i];
    up[16] = 0;
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT o.institution, o.scope, o.valid_until, e.case_no, ct.name, l.name, l.firm, l.status"
                               " FROM investigation_order o JOIN enf_case e ON e.id = o.case_id JOIN court ct ON ct.id = o.court_id"
                               " JOIN portal_lawyer l ON l.id = o.lawyer_id WHERE o.verify_code = ? AND o.status = 'issued'");
    if (!s) return zx_pp_dberr(r);
    db_bind_text(s, 1, up, -1);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "ORDER_NOT_FOUND", "未找到该核验码对应的调查令，请向持令律师或签发法院核实");
    }
    char today[11];
    zx_date_format(zx_today(), today);
    bool valid = strcmp(db_col_text(s, 2), today) >= 0 && !strcmp(db_col_text(s, 7), "confirmed");
    json_t *o = json_pack("{s:b,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "valid", valid, "institution", db_col_text(s, 0), "scope",
                          db_col_text(s, 1), "valid_until", db_col_text(s, 2), "case_no", db_col_text(s, 3), "court",
                          db_col_text(s, 4), "lawyer", db_col_text(s, 5), "firm", db_col_text(s, 6));
    db_finalize(s);
    json_object_set_new(o, "message", json_string(valid ? "调查令真实有效" : "调查令已过有效期或代理已撤销，不得凭此调查"));
    zx_reply_json(r, 200, o);
}

/* ---- GET /api/v1/portal/lawyer/orders/:id/pdf ---- */
static void order_pdf(zx_req *r)
{
    zx_pp_sess ss;
    if (!zx_pp_session(r, &ss)) return;
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    if (!ss.lawyer_id) return zx_reply_error(r, 404, "NOT_FOUND", "调查令不存在");
    db_conn *c = zx_db(r);
    db_stmt *s = db_prepare(c, "SELECT d.content FROM investigation_order o JOIN case_document d ON d.id = o.document_id"
                               " WHERE o.id = ? AND o.case_id = ? AND o.lawyer_id = ?");
    if (!s) return zx_pp_dberr(r);
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, ss.case_id);
    db_bind_int64(s, 3, ss.lawyer_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return zx_reply_error(r, 404, "NOT_FOUND", "调查令不存在或尚未签发");
    }
    size_t len = 0;
    const void *p = db_col_blob(s, 0, &len);
    void *copy = zx_alloc(r, len ? len : 1);
    memcpy(copy, p, len);
    db_finalize(s);
    if (db_begin(c) || zx_pp_audit(r, c, ss.party_id, "portal.order_pdf", ss.case_id, "ok", NULL) || db_commit(c))
        return zx_pp_dberr(r);
    zx_reply_raw(r, 200, "application/pdf", copy, len, "attachment; filename=\"investigation-order.pdf\"");
}

static const struct zx_route portal_public_routes[] = {
    { "GET", "/api/v1/portal/rewards", rewards_list, ZX_R_PUBLIC, 0, NULL, "悬赏公告（公开）" },
    { "POST", "/api/v1/portal/rewards/:id/tips", reward_tip, ZX_R_PUBLIC, 0, NULL,
      "向悬赏公告提供财产线索（实名，向举报人手机发送验证码）" },
    { "POST", "/api/v1/portal/rewards/tips/verify", reward_tip_verify, ZX_R_PUBLIC, 0, NULL,
      "举报人输入短信验证码，线索按验证先后登记（身份保密）" },
    { "GET", "/api/v1/portal/orders/verify", order_verify, ZX_R_PUBLIC, 0, NULL, "协助调查单位核验律师调查令" },
    { "GET", "/api/v1/portal/lawyer/orders/:id/pdf", order_pdf, ZX_R_PUBLIC, 0, NULL, "代理律师：下载已签发的律师调查令（PDF）" },
};
ZX_ROUTES(portal_public_routes)
