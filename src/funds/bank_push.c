/* bank_push.c — payout instructions pushed to the court's bank by API (docs/api/funds-bank.md).
 *
 * A court whose payout channel is "api" (fund_setting.payout_channel, PUT /api/v1/funds/settings) has its
 * approved payouts sent to the bank by this background job instead of waiting for the CSV payment file:
 *   1. claim (one transaction): approved payouts not yet in a file become `sent` with bank_channel 'api',
 *      push_state 'queued', a case event funds_payout_sent and one audit record — from here on the CSV file
 *      never lists them, so a payout goes out by one channel only;
 *   2. send: the instruction (a JSON body built only from the row, so a resend is byte-identical) signed with
 *      the court's SM2 seal (the same key and header as the inquiry protocol: X-ZX-Signature over the exact
 *      body) is POSTed to {bank}/payouts; the bank keeps instruction ids, so a resend after a crash or a lost
 *      answer pays nothing twice. 202/200 → push_state 'accepted'. 401 KEY_NOT_ENROLLED → the court enrols
 *      its seal and callback first ({bank}/enrolment, a fresh API key of scope funds:notify) and sends again.
 *      No answer / 5xx → retried with back-off (1 s × 2^attempts, at most 5 min): the bank may have it, so it
 *      is never moved to the file. Another 4xx (the bank refuses the instruction itself) → the payout returns
 *      to `approved` with bank_channel 'file' and the error: the CSV payment file is the fallback;
 *   3. the bank's answer: paid / refused arrives at POST /api/v1/funds/payout-results (the callback, partner
 *      scope funds:notify), which posts or voids the pending ledger chain (payouts.c); as a fallback the job
 *      polls {bank}/payouts/{id} for accepted instructions every minute and applies the same result.
 * The bank signs what it says back (the callback, its answers to instructions and polls: X-ZX-Signature,
 * SM2 over the exact body) with its own key, which the court pins per court (fund_bank_key, migration 062):
 * from the enrolment answer, or — for a court that has a 专户 but never enrolled (payment-file courts whose
 * bank still calls back) — from GET {bank}/key on the job's first pass. A paid/refused whose signature does
 * not verify against the pinned key is never applied (the callback answers 401; a polled answer is asked
 * again later).
 * The bank URL is ZX_BANK_URL (default $ZX_SIM_URL/bank/v1: bin/zhixing-sim plays the bank, sim/bank_payouts.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/auth.h"
#include "core/httpc.h"
#include "core/worker.h"
#include "account/account.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "case/case.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "funds/funds.h"
#include "funds/payouts.h"
#include "inquiry/inquiry.h"
#include "inquiry/sm2.h"

#define PROTOCOL "zx-bank-payout/1"
#define POLL_MS 60000
#define MAX_BACKOFF_MS 300000

static char g_bank[512];
static char g_callback[512];
static char g_cb_key[80];            /* the key lodged at the bank this process (scope funds:notify) */
static int64_t g_enrolled[64];       /* courts enrolled at the bank by this process */
static int g_nenrolled;
static int64_t g_key_check_ms;       /* next time courts without a pinned bank key are looked for */

const char *zx_funds_bank_url(void)
{
    if (!g_bank[0]) {
        const char *b = getenv("ZX_BANK_URL"), *sim = getenv("ZX_SIM_URL");
        if (b && *b) snprintf(g_bank, sizeof g_bank, "%s", b);
        else snprintf(g_bank, sizeof g_bank, "%s/bank/v1", sim && *sim ? sim : "http://127.0.0.1:8090");
    }
    return g_bank;
}

typedef zx_http_body resp;

/* One HTTP exchange (blocking: this is the job's own thread), signed when sig is given; the bank's
 * signature of its answer (X-ZX-Signature) into bsig when given. Returns the status (0 = no answer). */
static long http_sig(const char *method, const char *url, const char *body, const char *sig, resp *out, char *bsig)
{
    char sh[300];
    snprintf(sh, sizeof sh, "X-ZX-Signature: %s", sig ? sig : "");
    const char *hdr[] = { sh, NULL };
    return zx_http_exchange_sig(method, url, body, sig ? hdr : NULL, 10000L, out, bsig, bsig ? ZX_SM2_SIG_HEX_MAX : 0);
}

static long http(const char *method, const char *url, const char *body, const char *sig, resp *out)
{
    return http_sig(method, url, body, sig, out, NULL);
}

/* The API key the bank uses for its answers: one partner "执行款专户银行（付款回调）", a new key per process,
 * earlier ones revoked (the bank holds only the latest). In its own transaction with an audit record. */
static int issue_callback_key(db_conn *c)
{
    if (g_cb_key[0]) return 0;
    const char *name = "执行款专户银行（付款回调）";
    char key[80];
    int64_t partner = 0;
    int rc = db_begin(c);
    db_stmt *s = rc ? NULL : db_prepare(c, "SELECT id FROM partner WHERE name = ? AND kind = 'bank' ORDER BY id LIMIT 1");
    if (s) {
        db_bind_text(s, 1, name, -1);
        if (db_step(s) == DB_ROW) partner = db_col_int64(s, 0);
        db_finalize(s);
    } else rc = -1;
    if (rc == 0) rc = zx_partner_key_rotate(c, &partner, name, "bank", "funds:notify", key);
    if (rc == 0) rc = db_commit(c);
    else if (db_in_tx(c)) db_rollback(c);
    if (rc == 0) {
        zx_partner_cache_reload(c);
        snprintf(g_cb_key, sizeof g_cb_key, "%s", key);
    }
    zx_wipe(key, sizeof key);
    return rc ? -1 : 0;
}

/* Pin the bank's public key (PEM) for one court, or (court_id 0) for every court with a 专户 and no key
 * yet. Its own transaction; a changed key leaves an audit record funds.bank_key. 0 or -1. */
static int pin_bank_key(db_conn *c, int64_t court_id, const char *pem)
{
    zx_sm2_key *k = pem ? zx_sm2_from_public_pem(pem) : NULL;
    char fp[65] = "";
    if (!k || zx_sm2_fingerprint(k, fp)) {
        zx_sm2_free(k);
        return -1;
    }
    zx_sm2_free(k);
    if (db_begin(c)) return -1;
    int rc = 0;
    db_stmt *s;
    if (court_id) {
        s = db_prepare(c, "SELECT key_fp FROM fund_bank_key WHERE court_id = ?");
        bool same = false, had = false;
        if (s) {
            db_bind_int64(s, 1, court_id);
            if (db_step(s) == DB_ROW) had = true, same = db_col_text(s, 0) && !strcmp(db_col_text(s, 0), fp);
            db_finalize(s);
        } else rc = -1;
        if (rc == 0 && !same) {
            s = db_prepare(c, "INSERT INTO fund_bank_key (court_id, public_key, key_fp, pinned_ms) VALUES (?, ?, ?, ?)"
                              " ON CONFLICT (court_id) DO UPDATE SET public_key = excluded.public_key, key_fp = excluded.key_fp,"
                              " pinned_ms = excluded.pinned_ms");
            if (s) {
                db_bind_int64(s, 1, court_id);
                db_bind_text(s, 2, pem, -1);
                db_bind_text(s, 3, fp, -1);
                db_bind_int64(s, 4, zx_now_ms());
                rc = db_step(s) == DB_DONE ? 0 : -1;
                db_finalize(s);
            } else rc = -1;
            char oid[24], detail[160];
            snprintf(oid, sizeof oid, "%lld", (long long)court_id);
            snprintf(detail, sizeof detail, "{\"fingerprint\":\"%s\",\"replaced\":%s}", fp, had ? "true" : "false");
            zx_audit_rec rec = { .username = "system", .action = "funds.bank_key", .object_type = "court", .object_id = oid,
                                 .result = "ok", .detail = detail };
            if (rc == 0) rc = zx_audit_write(c, &rec);
        }
    } else {
        s = db_prepare(c, "INSERT INTO fund_bank_key (court_id, public_key, key_fp, pinned_ms) SELECT DISTINCT a.court_id, ?, ?, ?"
                          " FROM fund_account a WHERE a.kind = 1 AND NOT EXISTS (SELECT 1 FROM fund_bank_key k WHERE k.court_id = a.court_id)"
                          " ON CONFLICT (court_id) DO NOTHING");
        int64_t n = 0;
        if (s) {
            db_bind_text(s, 1, pem, -1);
            db_bind_text(s, 2, fp, -1);
            db_bind_int64(s, 3, zx_now_ms());
            rc = db_step(s) == DB_DONE ? 0 : -1;
            n = db_changes(s);
            db_finalize(s);
        } else rc = -1;
        if (rc == 0 && n > 0) {
            char detail[160];
            snprintf(detail, sizeof detail, "{\"fingerprint\":\"%s\",\"courts\":%lld}", fp, (long long)n);
            zx_audit_rec rec = { .username = "system", .action = "funds.bank_key", .object_type = "court", .object_id = "",
                                 .result = "ok", .detail = detail };
            rc = zx_audit_write(c, &rec);
        }
    }
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
    return rc ? -1 : 0;
}

/* Courts with a 专户 but no pinned bank key: ask the bank for its key (GET {bank}/key), at most once a
 * minute until every such court has one. */
static void pin_missing(db_conn *c)
{
    int64_t now = zx_now_ms();
    if (now < g_key_check_ms) return;
    g_key_check_ms = now + POLL_MS;
    int64_t missing = 0;
    if (db_exec_int64(c, "SELECT COUNT(*) FROM fund_account a WHERE a.kind = 1 AND NOT EXISTS (SELECT 1 FROM fund_bank_key k"
                         " WHERE k.court_id = a.court_id)", &missing) || missing == 0)
        return;
    char url[600];
    snprintf(url, sizeof url, "%s/key", zx_funds_bank_url());
    resp out = { 0 };
    long st = http("GET", url, NULL, NULL, &out);
    json_t *j = st == 200 && out.p ? json_loads(out.p, 0, NULL) : NULL;
    const char *pem = json_string_value(json_object_get(j, "public_key"));
    if (pem && pin_bank_key(c, 0, pem) == 0) LOG_INFO("funds: pinned the bank's key for %lld court(s)", (long long)missing);
    json_decref(j);
    free(out.p);
}

int zx_funds_bank_verify(db_conn *c, int64_t court_id, const void *body, size_t len, const char *sig)
{
    db_stmt *s = db_prepare(c, "SELECT public_key FROM fund_bank_key WHERE court_id = ?");
    if (!s) return -2;
    db_bind_int64(s, 1, court_id);
    zx_sm2_key *k = NULL;
    int rc = db_step(s);
    if (rc == DB_ROW && db_col_text(s, 0)) k = zx_sm2_from_public_pem(db_col_text(s, 0));
    db_finalize(s);
    if (rc != DB_ROW && rc != DB_DONE) return -2;
    if (!k) return -1;
    int ok = sig && *sig && zx_sm2_verify(k, body, len, sig);
    zx_sm2_free(k);
    return ok ? 1 : 0;
}

/* Lodge the court's seal and the callback at the bank (signed with that seal). 0 or -1. */
static int enrol(db_conn *c, int64_t court_id)
{
    for (int i = 0; i < g_nenrolled; i++)
        if (g_enrolled[i] == court_id) return 0;
    const zx_court *ct = zx_court_by_id(court_id);
    zx_sm2_key *k = NULL;
    char *pem = NULL;
    if (!ct || issue_callback_key(c) || zx_inq_court_key(c, court_id, &k, &pem)) return -1;
    json_t *b = json_pack("{s:s,s:{s:s,s:s},s:s,s:{s:s,s:s},s:I}", "protocol", PROTOCOL, "court", "code", ct->code, "name",
                          ct->name, "public_key", pem, "callback", "url", g_callback, "api_key", g_cb_key, "enrolled_ms",
                          (json_int_t)zx_now_ms());
    char *body = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    char sig[ZX_SM2_SIG_HEX_MAX], url[600];
    int rc = -1;
    if (body && zx_sm2_sign(k, body, strlen(body), sig, sizeof sig) == 0) {
        snprintf(url, sizeof url, "%s/enrolment", zx_funds_bank_url());
        resp out = { 0 };
        char bsig[ZX_SM2_SIG_HEX_MAX];
        long st = http_sig("POST", url, body, sig, &out, bsig);
        json_t *a = st == 200 && out.p ? json_loads(out.p, 0, NULL) : NULL;
        const char *bpem = json_string_value(json_object_get(a, "bank_public_key"));
        zx_sm2_key *bk = bpem ? zx_sm2_from_public_pem(bpem) : NULL;
        /* the bank's answer is signed with the key it hands over (proof of possession) */
        if (bk && zx_sm2_verify(bk, out.p, out.n, bsig) && pin_bank_key(c, court_id, bpem) == 0) {
            if (g_nenrolled < 64) g_enrolled[g_nenrolled++] = court_id;
            rc = 0;
            LOG_INFO("funds: court %s enrolled its seal at the bank and pinned the bank's key", ct->code);
        } else LOG_WARN("funds: bank enrolment of %s answered %ld%s", ct->code, st, st == 200 ? " without a valid bank key" : "");
        zx_sm2_free(bk);
        json_decref(a);
        free(out.p);
    }
    free(body);
    free(pem);
    zx_sm2_free(k);
    return rc;
}

typedef struct due {
    int64_t id, court_id, amount;
    int attempts;
    char state[16], case_no[64], payee[128], bank[128], account[48], debit[48];
} due;

/* Record an outcome of a send/poll for one payout (its own transaction). */
static void set_push(db_conn *c, int64_t id, const char *state, int attempts, int64_t next_ms, const char *error)
{
    if (db_begin(c)) return;
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET push_state = ?, push_attempts = ?, push_next_ms = ?, push_error = ?,"
                               " updated_ms = ? WHERE id = ? AND status = 'sent' AND bank_channel = 'api'");
    int rc = -1;
    if (s) {
        db_bind_text(s, 1, state, -1);
        db_bind_int64(s, 2, attempts);
        db_bind_int64(s, 3, next_ms);
        db_bind_text(s, 4, error, -1);
        db_bind_int64(s, 5, zx_now_ms());
        db_bind_int64(s, 6, id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
}

/* The bank refused the instruction itself: back to `approved` for the CSV payment file. */
static void to_file(db_conn *c, const due *d, long status, const char *msg)
{
    if (db_begin(c)) return;
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET status = 'approved', bank_channel = 'file', push_state = NULL,"
                               " push_next_ms = 0, push_error = ?, updated_ms = ? WHERE id = ? AND status = 'sent' AND bank_channel = 'api'");
    int rc = -1;
    if (s) {
        char err[300];
        snprintf(err, sizeof err, "银行拒收付款指令（%ld）：%.200s", status, msg ? msg : "");
        db_bind_text(s, 1, err, -1);
        db_bind_int64(s, 2, zx_now_ms());
        db_bind_int64(s, 3, d->id);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    char oid[24], detail[200];
    snprintf(oid, sizeof oid, "%lld", (long long)d->id);
    snprintf(detail, sizeof detail, "{\"status\":%ld,\"fallback\":\"file\"}", status);
    zx_audit_rec rec = { .username = "system", .action = "funds.payout.push_refused", .object_type = "fund_payout",
                         .object_id = oid, .result = "failed", .detail = detail };
    if (rc == 0) rc = zx_audit_write(c, &rec);
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
    LOG_WARN("funds: the bank refused payout instruction %lld (%ld); it goes by the payment file", (long long)d->id, status);
}

/* Apply the bank's paid/refused found by polling — the same step as the callback. */
static void apply_result(db_conn *c, int64_t id, bool ok, const char *bank_ref, const char *reason)
{
    if (db_begin(c)) return;
    zx_funds_err e = { 0 };
    int rc = zx_funds_payout_result(c, id, 0, ok, bank_ref, reason, &e);
    if (rc == 0) {
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)id);
        zx_audit_rec rec = { .username = "system", .action = ok ? "funds.payout.paid" : "funds.payout.failed",
                             .object_type = "fund_payout", .object_id = oid, .result = "ok", .detail = "{\"via\":\"poll\"}" };
        rc = zx_audit_write(c, &rec) || db_commit(c) ? -1 : 0;
        if (rc) db_rollback(c);
    } else db_rollback(c);
}

static char *instruction(const due *d)
{
    const zx_court *ct = zx_court_by_id(d->court_id);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)d->id);
    json_t *b = json_pack("{s:s,s:s,s:{s:s,s:s},s:s,s:{s:s,s:s,s:s},s:I,s:s,s:s,s:s}", "protocol", PROTOCOL,
                          "instruction_id", id, "court", "code", ct ? ct->code : "", "name", ct ? ct->name : "", "debit_account",
                          d->debit, "payee", "name", d->payee, "bank", d->bank, "account", d->account, "amount_fen",
                          (json_int_t)d->amount, "currency", "CNY", "case_no", d->case_no, "purpose", "执行款发放");
    char *s = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(b);
    return s;
}

/* A paid/refused in the bank's answer j (raw body out, signature bsig): applied only when the signature
 * verifies against the bank key pinned for the court. true when applied. */
static bool bank_result(db_conn *c, const due *d, json_t *j, const resp *out, const char *bsig)
{
    const char *bs = j ? json_string_value(json_object_get(j, "status")) : NULL;
    bool paid = bs && !strcmp(bs, "paid"), refused = bs && !strcmp(bs, "refused");
    if (!paid && !refused) return false;
    int v = zx_funds_bank_verify(c, d->court_id, out->p, out->n, bsig);
    if (v != 1) {
        LOG_WARN("funds: the bank's answer on payout %lld is %s; not applied", (long long)d->id,
                 v == -1 ? "from a bank whose key is not pinned" : "not validly signed");
        return false;
    }
    if (paid) apply_result(c, d->id, true, json_string_value(json_object_get(j, "bank_ref")), NULL);
    else apply_result(c, d->id, false, NULL, json_string_value(json_object_get(j, "reason")));
    return true;
}

static void send_one(db_conn *c, const due *d)
{
    int64_t now = zx_now_ms();
    char url[700];
    resp out = { 0 };
    long st;
    if (!strcmp(d->state, "accepted")) { /* poll */
        snprintf(url, sizeof url, "%s/payouts/%lld", zx_funds_bank_url(), (long long)d->id);
        char bsig[ZX_SM2_SIG_HEX_MAX];
        st = http_sig("GET", url, NULL, NULL, &out, bsig);
        json_t *j = st == 200 && out.p ? json_loads(out.p, 0, NULL) : NULL;
        if (!bank_result(c, d, j, &out, bsig))
            set_push(c, d->id, st == 404 ? "queued" : "accepted", d->attempts, st == 404 ? now : now + POLL_MS, NULL);
        json_decref(j);
        free(out.p);
        return;
    }
    zx_sm2_key *k = NULL;
    char *body = instruction(d), sig[ZX_SM2_SIG_HEX_MAX];
    if (!body || zx_inq_court_key(c, d->court_id, &k, NULL) || zx_sm2_sign(k, body, strlen(body), sig, sizeof sig)) {
        zx_sm2_free(k);
        free(body);
        set_push(c, d->id, "queued", d->attempts + 1, now + 5000, "签名失败");
        return;
    }
    zx_sm2_free(k);
    snprintf(url, sizeof url, "%s/payouts", zx_funds_bank_url());
    char bsig[ZX_SM2_SIG_HEX_MAX];
    st = http_sig("POST", url, body, sig, &out, bsig);
    json_t *j = out.p ? json_loads(out.p, 0, NULL) : NULL;
    const char *code = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    if (st == 401 && code && !strcmp(code, "KEY_NOT_ENROLLED")) {
        for (int i = 0; i < g_nenrolled; i++) /* the bank forgot us (restarted): enrol again */
            if (g_enrolled[i] == d->court_id) g_enrolled[i] = g_enrolled[--g_nenrolled];
        if (enrol(c, d->court_id) == 0) {
            free(out.p);
            out = (resp){ 0 };
            json_decref(j);
            st = http_sig("POST", url, body, sig, &out, bsig);
            j = out.p ? json_loads(out.p, 0, NULL) : NULL;
        }
    }
    if (st == 200 || st == 202) {
        if (!bank_result(c, d, j, &out, bsig)) set_push(c, d->id, "accepted", d->attempts + 1, now + POLL_MS, NULL);
    } else if (st >= 400 && st < 500 && st != 401 && st != 408 && st != 429) {
        to_file(c, d, st, json_string_value(json_object_get(json_object_get(j, "error"), "message")));
    } else {
        int a = d->attempts + 1;
        int64_t wait = 1000LL << (a < 9 ? a : 9);
        if (wait > MAX_BACKOFF_MS) wait = MAX_BACKOFF_MS;
        char err[120];
        snprintf(err, sizeof err, st ? "银行应答 %ld，稍后重发" : "银行无应答，稍后重发", st);
        set_push(c, d->id, "queued", a, now + wait, err);
    }
    json_decref(j);
    free(out.p);
    free(body);
}

int zx_funds_payout_resend(db_conn *c, int64_t id)
{
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET push_state = CASE WHEN push_state = 'accepted' THEN 'accepted' ELSE 'queued' END,"
                               " push_next_ms = 0, updated_ms = ? WHERE id = ? AND status = 'sent' AND bank_channel = 'api'");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_now_ms());
    db_bind_int64(s, 2, id);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    return n == 1 ? 0 : 1;
}

/* Claim approved payouts of api courts (one transaction: rows, events, audit). Returns how many. */
static int claim(db_conn *c)
{
    if (db_begin(c)) return -1;
    int64_t now = zx_now_ms();
    db_stmt *s = db_prepare(c, "UPDATE fund_payout SET status = 'sent', bank_channel = 'api', push_state = 'queued', push_attempts = 0,"
                               " push_next_ms = ?, updated_ms = ? WHERE id IN (SELECT p.id FROM fund_payout p WHERE p.kind = 'payout'"
                               " AND p.status = 'approved' AND p.bank_channel IS NULL AND p.court_id IN (SELECT court_id FROM fund_setting"
                               " WHERE payout_channel = 'api') ORDER BY p.id LIMIT 256) AND status = 'approved' AND bank_channel IS NULL"
                               " RETURNING id, case_id, amount_fen");
    if (!s) {
        db_rollback(c);
        return -1;
    }
    db_bind_int64(s, 1, now);
    db_bind_int64(s, 2, now);
    struct claimed { int64_t id, case_id, amount; } v[256];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (n < 256) v[n++] = (struct claimed){ db_col_int64(s, 0), db_col_int64(s, 1), db_col_int64(s, 2) };
    db_finalize(s);
    if (rc != DB_DONE || n == 0) {
        db_rollback(c);
        return rc == DB_DONE ? 0 : -1;
    }
    json_t *ids = json_array();
    for (int i = 0; i < n && rc == DB_DONE; i++) {
        char pid[24];
        snprintf(pid, sizeof pid, "%lld", (long long)v[i].id);
        json_array_append_new(ids, json_string(pid));
        json_t *d = json_pack("{s:s,s:I,s:s}", "payout_id", pid, "amount_fen", (json_int_t)v[i].amount, "channel", "api");
        if (zx_case_event_add(c, NULL, v[i].case_id, 0, "funds_payout_sent", "funds", zx_today(), d, NULL) < 0) rc = DB_ERROR;
        json_decref(d);
    }
    char *detail = json_dumps(json_pack("{s:o}", "payouts", ids), JSON_COMPACT);
    zx_audit_rec rec = { .username = "system", .action = "funds.payout.push", .object_type = "fund_payout", .object_id = "",
                         .result = "ok", .detail = detail };
    if (rc == DB_DONE && zx_audit_write(c, &rec) == 0 && db_commit(c) == 0) {
        free(detail);
        return n;
    }
    free(detail);
    db_rollback(c);
    return -1;
}

int zx_funds_bank_push_pass(db_t *db, int *sent)
{
    *sent = 0;
    db_conn *c = db_acquire(db);
    if (!c) return -1;
    pin_missing(c);
    claim(c);
    db_stmt *s = db_prepare(c, "SELECT p.id, p.court_id, p.amount_fen, p.push_attempts, COALESCE(p.push_state, 'queued'), e.case_no,"
                               " p.payee_name, COALESCE(p.payee_bank, ''), p.payee_account,"
                               " COALESCE((SELECT a.account_no FROM fund_account a WHERE a.court_id = p.court_id AND a.kind = 1"
                               " ORDER BY a.id LIMIT 1), '')"
                               " FROM fund_payout p JOIN enf_case e ON e.id = p.case_id WHERE p.status = 'sent' AND p.bank_channel = 'api'"
                               " AND p.push_next_ms <= ? ORDER BY p.push_next_ms LIMIT 64");
    if (!s) {
        db_release(db, c);
        return -1;
    }
    db_bind_int64(s, 1, zx_now_ms());
    due d[64];
    int n = 0;
    while (n < 64 && db_step(s) == DB_ROW) {
        due *x = &d[n++];
        memset(x, 0, sizeof *x);
        x->id = db_col_int64(s, 0);
        x->court_id = db_col_int64(s, 1);
        x->amount = db_col_int64(s, 2);
        x->attempts = (int)db_col_int64(s, 3);
        snprintf(x->state, sizeof x->state, "%s", db_col_text(s, 4));
        snprintf(x->case_no, sizeof x->case_no, "%s", db_col_text(s, 5));
        snprintf(x->payee, sizeof x->payee, "%s", db_col_text(s, 6));
        snprintf(x->bank, sizeof x->bank, "%s", db_col_text(s, 7));
        char *acct = zx_pii_col(s, 8, ZX_PII_BANK_ACCOUNT);
        snprintf(x->account, sizeof x->account, "%s", acct ? acct : "");
        zx_pii_free(acct);
        snprintf(x->debit, sizeof x->debit, "%s", db_col_text(s, 9));
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        send_one(c, &d[i]);
        zx_wipe(d[i].account, sizeof d[i].account);
        (*sent)++;
    }
    db_release(db, c);
    return 0;
}

/* ---- the server's job: a pass every second ---- */
static long job_pass(void *arg)
{
    zx_app *app = arg;
    int sent;
    zx_funds_bank_push_pass(app->db, &sent);
    return 1000;
}
static zx_worker job = ZX_WORKER(job_pass);

static int job_start(zx_app *app)
{
    if (!app->started_ms) return 0;
    const char *cb = getenv("ZX_FUNDS_CALLBACK_URL");
    if (cb && *cb) snprintf(g_callback, sizeof g_callback, "%s", cb);
    else { /* this server as the bank reaches it: the listen address (a wildcard → loopback) */
        char host[200] = "127.0.0.1";
        const char *colon = strrchr(app->cfg.listen, ':');
        if (colon && colon > app->cfg.listen && (size_t)(colon - app->cfg.listen) < sizeof host)
            snprintf(host, sizeof host, "%.*s", (int)(colon - app->cfg.listen), app->cfg.listen);
        if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::") || !strcmp(host, "[::]")) snprintf(host, sizeof host, "127.0.0.1");
        snprintf(g_callback, sizeof g_callback, "%s://%s:%s/api/v1/funds/payout-results", app->cfg.tls_cert[0] ? "https" : "http",
                 host, colon ? colon + 1 : "8080");
    }
    job.first_wait_ms = 1000;
    return zx_worker_start(&job, app);
}
ZX_ON_START("funds bank push", job_start)

static int job_end(zx_app *app)
{
    (void)app;
    zx_worker_stop(&job);
    return 0;
}
ZX_ON_STOP("funds bank push", job_end)
