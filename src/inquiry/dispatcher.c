/* dispatcher.c — sends the outbox (inquiry_request) to the institutions and records their answers.
 *
 * Two threads. The sending thread, with one libcurl multi handle (every institution's requests fan out
 * concurrently without a thread per request), takes due rows per institution within that
 * institution's limits (max_inflight signed batches in flight, rate_per_s requests per second,
 * batch_max requests per batch, circuit breaker closed) by one read per institution — nothing is
 * written to send: the rows of batches in flight are skipped in memory until their answer is applied
 * — signs each batch with the court's SM2 seal and posts it. The applier thread (own store
 * connection) verifies each answer against the institution's pinned key, parses it and applies the
 * answers of a turn in one transaction (apply.c), counting the attempt then; a failure (timeout,
 * refused connection, 5xx, bad or missing signature, missing answer) sets the rows' next attempt with
 * exponential backoff, and after ZX_INQ_MAX_ATTEMPTS they are 'failed' with the reason recorded.
 *
 * Asynchronous answers: an answer {"status":"accepted"} leaves the row 'acked' (apply.c); the
 * institution posts the answer later to POST /api/v1/inquiry/answers (src/api/inquiry_answers.c) and
 * the dispatcher polls — claims the acked row again after next_ms and sends the same request id —
 * as the fallback.
 *
 * Enrolment: before the first batch of a court to an institution (in this process), the court lodges
 * its seal there (POST {endpoint}/v1/enrolment, signed: public key, callback URL, the callback API
 * key issued for that institution — partner scope inquiry:answer). An institution that lost it
 * answers 401 KEY_NOT_ENROLLED: the court enrols again and the rows are retried.
 *
 * Ordering: a row with after_id is not sent before that request is done (deduct after its freeze is
 * confirmed); if that one failed, so does this one (PREDECESSOR_FAILED).
 *
 * Crash safety (kill -9): rows are written in the transaction of the action that needs them, so none
 * is lost. Rows that were in flight are still due at start (or 'sent', written by older versions and
 * the comparison pool: reset to 'pending') and are re-sent with the SAME request ids; the protocol
 * makes ids idempotent at the institution (a repeated id gets the first answer, nothing is applied
 * twice), and an answer is applied here only while its row still waits — so nothing takes effect
 * twice. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "account/auth.h"
#include "account/authz.h"
#include "app.h"
#include "account/account.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "inquiry/inquiry.h"
#include "inquiry/dispatcher_internal.h"

char *zx_inq_fetch_key(const char *endpoint, long timeout_ms); /* registry.c */




static pthread_t g_tid;
static atomic_bool g_run, g_started;
static atomic_int g_wake;
CURLM *g_multi;
struct batch *g_inflight; /* batches added to g_multi and not yet finished */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER; /* guards g_inst figures for stats readers */
#define INST_MAX 8192 /* the national system links about 4,000 institutions */
struct inst_rt *g_inst;
int g_ninst;
static struct court_key *g_keys;
static int g_nkeys;
static int g_tick_ms = 20, g_max_attempts = 8, g_breaker = 5;
static int64_t g_auto_ms = 3000; /* the automation pass (filing day, 终本 re-inquiry, lapse): ZX_INQ_AUTO_MS */
static pthread_mutex_t g_keys_mu = PTHREAD_MUTEX_INITIALIZER; /* court keys (the pool's threads share them) */
/* where the time goes (µs), for the benchmark: claiming rows, building+signing, verifying, applying */
_Atomic int64_t p_claim_us, p_build_us, p_verify_us, p_apply_us, p_http_batches, p_requests, p_thread_cpu_us,
    p_applier_cpu_us;

int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
static int64_t g_backoff_ms = 1000, g_breaker_ms = 30000;
static char g_callback[512] = "http://127.0.0.1:8080/api/v1/inquiry/answers";

void zx_inq_set_callback_base(const char *base_url)
{
    size_t n = strlen(base_url);
    while (n && base_url[n - 1] == '/') n--;
    snprintf(g_callback, sizeof g_callback, "%.*s/api/v1/inquiry/answers", (int)n, base_url);
}

static int64_t env_i(const char *name, int64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoll(v, NULL, 10) : dflt;
}

void zx_inq_wake(void)
{
    atomic_store(&g_wake, 1);
    if (atomic_load(&g_started) && g_multi) curl_multi_wakeup(g_multi);
}

/* ---- institutions in memory ------------------------------------------------------------------ */

void load_institutions(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT id, code, kind, name, endpoint, public_key, max_inflight, rate_per_s, timeout_ms,"
                               " batch_max, enabled FROM inquiry_institution ORDER BY id");
    if (!s) return;
    pthread_mutex_lock(&g_mu);
    while (db_step(s) == DB_ROW) {
        int64_t id = db_col_int64(s, 0);
        struct inst_rt *in = NULL;
        for (int i = 0; i < g_ninst; i++)
            if (g_inst[i].id == id) in = &g_inst[i];
        if (!in) {
            /* allocated once: batches in flight and the applier thread hold pointers into it */
            if (!g_inst && !(g_inst = calloc(INST_MAX, sizeof *g_inst))) break;
            if (g_ninst == INST_MAX) break;
            in = &g_inst[g_ninst++];
            memset(in, 0, sizeof *in);
            in->id = id;
            in->tokens_ms = zx_now_ms();
        }
        snprintf(in->code, sizeof in->code, "%s", db_col_text(s, 1));
        snprintf(in->kind, sizeof in->kind, "%s", db_col_text(s, 2));
        snprintf(in->name, sizeof in->name, "%s", db_col_text(s, 3));
        zx_inq_endpoint(db_col_text(s, 4), in->endpoint, sizeof in->endpoint);
        if (!in->pub && db_col_text(s, 5)) in->pub = zx_sm2_from_public_pem(db_col_text(s, 5));
        in->max_inflight = (int)db_col_int64(s, 6);
        in->rate_per_s = (int)db_col_int64(s, 7);
        in->timeout_ms = (int)db_col_int64(s, 8);
        in->batch_max = (int)db_col_int64(s, 9);
        in->enabled = (int)db_col_int64(s, 10);
        if (in->max_inflight < 1) in->max_inflight = 1;
        if (in->batch_max < 1) in->batch_max = 1;
        if (in->rate_per_s < 1) in->rate_per_s = 1;
        if (in->timeout_ms < 100) in->timeout_ms = 100;
    }
    pthread_mutex_unlock(&g_mu);
    db_finalize(s);
}

/* The institution's key, pinned at first contact if registration could not reach it. */
bool ensure_key(db_conn *c, struct inst_rt *in, int64_t now)
{
    if (in->pub) return true;
    if (now < in->key_retry_ms) return false;
    in->key_retry_ms = now + 5000;
    char *pem = zx_inq_fetch_key(in->endpoint, 2000);
    if (!pem) return false;
    zx_sm2_key *k = zx_sm2_from_public_pem(pem);
    char fp[65] = "";
    if (k) zx_sm2_fingerprint(k, fp);
    db_stmt *s = db_prepare(c, "UPDATE inquiry_institution SET public_key = ?, key_fp = ? WHERE id = ? AND public_key IS NULL");
    if (s) {
        db_bind_text(s, 1, pem, -1);
        db_bind_text(s, 2, fp, -1);
        db_bind_int64(s, 3, in->id);
        db_step(s);
        db_finalize(s);
    }
    free(pem);
    in->pub = k;
    if (k) LOG_INFO("inquiry: pinned the key of %s (%.16s…)", in->code, fp);
    return k != NULL;
}

/* Keys are never freed while the process runs; the array holds pointers so entries stay put. */
struct court_key *court_key(db_conn *c, int64_t court_id)
{
    pthread_mutex_lock(&g_keys_mu);
    for (int i = 0; i < g_nkeys; i++)
        if (g_keys[i].court_id == court_id) {
            struct court_key *k = &g_keys[i];
            pthread_mutex_unlock(&g_keys_mu);
            return k;
        }
    zx_sm2_key *k;
    char *pub;
    struct court_key *out = NULL;
    if (zx_inq_court_key(c, court_id, &k, &pub) == 0 && g_nkeys < 64) {
        if (!g_keys) g_keys = calloc(64, sizeof *g_keys);
        if (g_keys) {
            g_keys[g_nkeys] = (struct court_key){ court_id, k, pub };
            out = &g_keys[g_nkeys++];
        }
    }
    pthread_mutex_unlock(&g_keys_mu);
    return out;
}

/* ---- building a batch ------------------------------------------------------------------------ */

static json_t *subjects_of(db_conn *c, int64_t case_id, int64_t party_id)
{
    json_t *a = json_array();
    db_stmt *s = db_prepare(c, party_id ? "SELECT id, name, kind, id_number_enc, credit_code FROM case_party WHERE id = ?"
                                        : "SELECT id, name, kind, id_number_enc, credit_code FROM case_party"
                                          " WHERE case_id = ? AND role = 'debtor' ORDER BY ord");
    if (!s) return a;
    db_bind_int64(s, 1, party_id ? party_id : case_id);
    while (db_step(s) == DB_ROW) {
        char ref[24];
        snprintf(ref, sizeof ref, "%lld", (long long)db_col_int64(s, 0));
        /* the ID number is sealed in the store (core/pii.h, migration 020); a unit's credit code is not */
        char *idn = db_col_is_null(s, 3) ? NULL : zx_pii_col(s, 3, ZX_PII_ID_NUMBER);
        const char *code = idn && *idn ? idn : db_col_text(s, 4);
        json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "ref", ref, "name", db_col_text(s, 1), "id_type",
                                           !strcmp(db_col_text(s, 2), "unit") ? "credit_code" : "id_card", "id_number",
                                           code ? code : ""));
        zx_pii_free(idn);
    }
    db_finalize(s);
    return a;
}

static char *asset_identifier(db_conn *c, int64_t asset_id)
{
    char *out = NULL;
    db_stmt *s = db_prepare(c, "SELECT identifier, identifier_enc FROM asset WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, asset_id);
    if (db_step(s) == DB_ROW) {
        if (!db_col_is_null(s, 1)) {
            char *p = zx_pii_col(s, 1, ZX_PII_BANK_ACCOUNT);
            if (p) out = strdup(p);
            zx_pii_free(p);
        } else
            out = strdup(db_col_text(s, 0));
    }
    db_finalize(s);
    return out;
}

size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct batch *b = ud;
    size_t len = sz * n;
    static const char name[] = "x-zx-signature:";
    if (len > sizeof name - 1 && !strncasecmp(p, name, sizeof name - 1)) {
        const char *v = p + sizeof name - 1;
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

void batch_free(struct batch *b)
{
    if (!b) return;
    curl_slist_free_all(b->hdrs);
    free(b->ids);
    free(b->sids);
    free(b->inq_ids);
    free(b->body);
    free(b->ans.p);
    free(b);
}

static void easy_common(struct batch *b, const char *url, long timeout_ms)
{
    b->easy = curl_easy_init();
    if (!b->easy) zx_die("out of memory (curl)");
    curl_easy_setopt(b->easy, CURLOPT_URL, url);
    curl_easy_setopt(b->easy, CURLOPT_POST, 1L);
    curl_easy_setopt(b->easy, CURLOPT_POSTFIELDS, b->body);
    curl_easy_setopt(b->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(b->body));
    curl_easy_setopt(b->easy, CURLOPT_HTTPHEADER, b->hdrs);
    curl_easy_setopt(b->easy, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(b->easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
    curl_easy_setopt(b->easy, CURLOPT_NOSIGNAL, 1L);
    b->ans.max = 32u << 20;
    curl_easy_setopt(b->easy, CURLOPT_WRITEFUNCTION, zx_http_body_write);
    curl_easy_setopt(b->easy, CURLOPT_WRITEDATA, &b->ans);
    curl_easy_setopt(b->easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(b->easy, CURLOPT_HEADERDATA, b);
    curl_easy_setopt(b->easy, CURLOPT_PRIVATE, b);
    b->started_ms = zx_now_ms();
}

/* Fail rows now (attempt counted). */
void fail_rows(db_t *db, const int64_t *ids, int n, const char *code, const char *msg)
{
    if (n <= 0) return;
    db_conn *c = db_acquire(db);
    if (db_begin(c) == 0 && zx_inq_fail_batch(c, ids, n, code, msg, g_max_attempts, g_backoff_ms) == 0) db_commit(c);
    else db_rollback(c);
    db_release(db, c);
}

/* ---- enrolment: the court lodges its seal and callback with the institution ------------------ */

static bool enrolled_at(const struct inst_rt *in, int64_t court)
{
    for (int i = 0; i < in->nenrolled; i++)
        if (in->enrolled[i] == court) return true;
    return false;
}

/* The API key the institution uses for its callbacks (partner scope inquiry:answer): one partner per
 * institution (inquiry_institution.partner_id); a new key per process, earlier keys revoked — the
 * institution holds only the one from the latest enrolment. 0 or -1. */
static int issue_callback_key(db_conn *c, struct inst_rt *in)
{
    if (in->cb_key[0]) return 0;
    char key[80];
    int64_t partner = 0;
    int rc = db_begin(c);
    db_stmt *s = rc ? NULL : db_prepare(c, "SELECT partner_id FROM inquiry_institution WHERE id = ?");
    if (s) {
        db_bind_int64(s, 1, in->id);
        if (db_step(s) == DB_ROW) partner = db_col_int64(s, 0);
        db_finalize(s);
    } else rc = -1;
    bool created = rc == 0 && !partner;
    if (rc == 0) rc = zx_partner_key_rotate(c, &partner, in->name, "institution", "inquiry:answer", key);
    if (rc == 0 && created) {
        s = db_prepare(c, "UPDATE inquiry_institution SET partner_id = ? WHERE id = ?");
        if (!s) rc = -1;
        else {
            db_bind_int64(s, 1, partner);
            db_bind_int64(s, 2, in->id);
            if (db_step(s) != DB_DONE) rc = -1;
            db_finalize(s);
        }
    }
    if (rc == 0) rc = db_commit(c);
    else if (db_in_tx(c)) db_rollback(c);
    if (rc == 0) {
        zx_partner_cache_reload(c);
        snprintf(in->cb_key, sizeof in->cb_key, "%s", key);
    }
    zx_wipe(key, sizeof key);
    return rc ? -1 : 0;
}

static void easy_common(struct batch *b, const char *url, long timeout_ms);

/* Start the enrolment of court at institution in (signed exchange through the multi handle). */
void start_enrolment(db_conn *c, struct inst_rt *in, int64_t court, int64_t now)
{
    if (in->enrolling || now < in->enrol_retry_ms) return;
    in->enrol_retry_ms = now + 3000;
    struct court_key *ck = court_key(c, court);
    const zx_court *ct = zx_court_by_id(court);
    if (!ck || !ct || issue_callback_key(c, in)) return;
    json_t *env = json_pack("{s:s,s:s,s:{s:s,s:s,s:s},s:{s:s,s:s},s:I}", "protocol", ZX_INQ_PROTOCOL, "institution", in->code,
                            "court", "code", ct->code, "name", ct->name, "public_key", ck->pub_pem, "callback", "url",
                            g_callback, "api_key", in->cb_key, "enrolled_ms", (json_int_t)now);
    struct batch *b = calloc(1, sizeof *b);
    if (!b) zx_die("out of memory (enrolment)");
    b->in = in;
    b->enrol_court = court;
    b->body = json_dumps(env, JSON_COMPACT);
    json_decref(env);
    char sig[ZX_SM2_SIG_HEX_MAX], h[300], url[600];
    if (!b->body || zx_sm2_sign(ck->key, b->body, strlen(b->body), sig, sizeof sig) != 0) {
        batch_free(b);
        return;
    }
    b->hdrs = curl_slist_append(b->hdrs, "Content-Type: application/json");
    b->hdrs = curl_slist_append(b->hdrs, "Expect:");
    snprintf(h, sizeof h, "X-ZX-Signature: %s", sig);
    b->hdrs = curl_slist_append(b->hdrs, h);
    snprintf(url, sizeof url, "%s/v1/enrolment", in->endpoint);
    easy_common(b, url, 15000);
    in->enrolling = court;
    b->next = g_inflight;
    if (g_inflight) g_inflight->prev = b;
    g_inflight = b;
    curl_multi_add_handle(g_multi, b->easy);
}

/* The enrolment answer: signed by the institution (pinned key) and enrolled → the court may send. */
void enrolment_done(struct batch *b, CURLcode cc)
{
    struct inst_rt *in = b->in;
    long status = 0;
    if (cc == CURLE_OK) curl_easy_getinfo(b->easy, CURLINFO_RESPONSE_CODE, &status);
    in->enrolling = 0;
    json_t *j = NULL;
    bool ok = status == 200 && b->sig[0] && in->pub && zx_sm2_verify(in->pub, b->ans.p ? b->ans.p : "", b->ans.n, b->sig) &&
              (j = json_loadb(b->ans.p, b->ans.n, 0, NULL)) && json_is_true(json_object_get(j, "enrolled"));
    json_decref(j);
    if (ok) {
        if (!enrolled_at(in, b->enrol_court) && in->nenrolled < 32) in->enrolled[in->nenrolled++] = b->enrol_court;
        in->enrol_retry_ms = 0;
        LOG_INFO("inquiry: court %lld enrolled its seal at %s", (long long)b->enrol_court, in->code);
        zx_inq_wake();
    } else
        LOG_WARN("inquiry: enrolment at %s failed (HTTP %ld%s)", in->code, status, cc == CURLE_OK ? "" : ", no connection");
}

/* ---- claiming and building (claiming transactions of up to CLAIM_TXN_ROWS requests) ------------------------------------------ */

/* A claimed row: what the request needs, read back by the claiming UPDATE … RETURNING. */

/* Per-transaction caches (valid inside one claiming transaction only, so nothing stale is ever sent):
 * a case's number and its debtors as subjects — the same debtor is asked of every institution in the
 * same pass — and officers' names. */

void cache_clear(struct tick_cache *tc)
{
    for (int i = 0; i < CACHE_SLOTS; i++)
        if (tc->e[i].case_id) {
            json_decref(tc->e[i].subjects);
            free(tc->e[i].case_no);
            free(tc->e[i].subjects_txt);
            tc->e[i] = (struct centry){ 0 };
        }
    for (int i = 0; i < tc->nofficers; i++) free(tc->officer_name[i]);
    tc->nofficers = 0;
}

static struct centry *case_entry(db_conn *c, struct tick_cache *tc, int64_t case_id, int64_t party_id)
{
    uint64_t h = ((uint64_t)case_id * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)party_id;
    for (int k = 0; k < 8; k++) {
        struct centry *e = &tc->e[(h + (uint64_t)k) & (CACHE_SLOTS - 1)];
        if (e->case_id == case_id && e->party_id == party_id) return e;
        if (!e->case_id) {
            db_stmt *s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
            if (!s) return NULL;
            db_bind_int64(s, 1, case_id);
            char *no = db_step(s) == DB_ROW ? strdup(db_col_text(s, 0)) : NULL;
            db_finalize(s);
            if (!no) return NULL;
            *e = (struct centry){ case_id, party_id, subjects_of(c, case_id, party_id), no };
            return e;
        }
    }
    static struct centry spare; /* the neighbourhood is full: an uncached entry */
    json_decref(spare.subjects);
    free(spare.case_no);
    free(spare.subjects_txt);
    spare = (struct centry){ 0 };
    db_stmt *s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, case_id);
    char *no = db_step(s) == DB_ROW ? strdup(db_col_text(s, 0)) : NULL;
    db_finalize(s);
    if (!no) return NULL;
    spare = (struct centry){ case_id, party_id, subjects_of(c, case_id, party_id), no };
    return &spare;
}

static const char *officer_name(db_conn *c, struct tick_cache *tc, int64_t officer_id)
{
    if (!officer_id) return "系统（自动查询）";
    for (int i = 0; i < tc->nofficers; i++)
        if (tc->officer_id[i] == officer_id) return tc->officer_name[i];
    db_stmt *s = db_prepare(c, "SELECT display_name FROM app_user WHERE id = ?");
    char *name = NULL;
    if (s) {
        db_bind_int64(s, 1, officer_id);
        if (db_step(s) == DB_ROW && db_col_text(s, 0)) name = strdup(db_col_text(s, 0));
        db_finalize(s);
    }
    if (!name) name = strdup("承办人");
    if (tc->nofficers == 16) {
        free(tc->officer_name[0]);
        memmove(tc->officer_id, tc->officer_id + 1, 15 * sizeof tc->officer_id[0]);
        memmove(tc->officer_name, tc->officer_name + 1, 15 * sizeof tc->officer_name[0]);
        tc->nofficers--;
    }
    tc->officer_id[tc->nofficers] = officer_id;
    tc->officer_name[tc->nofficers++] = name;
    return name;
}

/* ---- the batch body as text ------------------------------------------------------------------- */

/* The sending thread writes a batch's JSON straight into one buffer (no object tree per request, no
 * second pass to serialise it), keys in the protocol's order. */
void sb_put(struct sb *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->n + n + 1) cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) zx_die("out of memory (batch body)");
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void sb_str(struct sb *b, const char *s) /* a JSON string: quotes, backslashes and controls escaped */
{
    if (!s) s = "";
    SB_LIT(b, "\"");
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\') continue;
        sb_put(b, run, (size_t)((const char *)p - run));
        char esc[8];
        int n = *p == '"' ? snprintf(esc, sizeof esc, "\\\"") : *p == '\\' ? snprintf(esc, sizeof esc, "\\\\")
              : *p == '\n' ? snprintf(esc, sizeof esc, "\\n") : *p == '\t' ? snprintf(esc, sizeof esc, "\\t")
              : snprintf(esc, sizeof esc, "\\u%04x", *p);
        sb_put(b, esc, (size_t)n);
        run = (const char *)p + 1;
    }
    sb_put(b, run, strlen(run));
    SB_LIT(b, "\"");
}
static void sb_i64(struct sb *b, int64_t v)
{
    char t[24];
    sb_put(b, t, (size_t)snprintf(t, sizeof t, "%lld", (long long)v));
}
static void sb_id(struct sb *b, int64_t v) /* ids travel as strings */
{
    char t[26];
    sb_put(b, t, (size_t)snprintf(t, sizeof t, "\"%lld\"", (long long)v));
}

/* One request of the protocol appended as text (protocol: docs/api/inquiry-protocol.md). 0 or -1. */
int request_text(db_conn *c, struct tick_cache *tc, const struct rq *q, struct sb *b, bool first)
{
    struct centry *e = case_entry(c, tc, q->case_id, q->party_id);
    if (!e) return -1;
    if (!e->subjects_txt && !(e->subjects_txt = json_dumps(e->subjects, JSON_COMPACT))) return -1;
    bool query = !strcmp(q->op, "query");
    sb_put(b, first ? "{\"request_id\":" : ",{\"request_id\":", first ? 14 : 15);
    sb_id(b, q->id);
    SB_LIT(b, ",\"op\":");
    sb_str(b, q->op);
    SB_LIT(b, ",\"case\":{\"id\":");
    sb_id(b, q->case_id);
    SB_LIT(b, ",\"case_no\":");
    sb_str(b, e->case_no);
    SB_LIT(b, "},\"officer\":{\"id\":");
    sb_id(b, q->officer_id);
    SB_LIT(b, ",\"name\":");
    sb_str(b, officer_name(c, tc, q->officer_id));
    if (query) SB_LIT(b, "},\"document\":{\"kind\":\"assist_inquiry_notice\",\"no\":");
    else SB_LIT(b, "},\"document\":{\"kind\":\"ruling_and_assist_notice\",\"no\":");
    sb_str(b, q->doc_no ? q->doc_no : e->case_no);
    SB_LIT(b, "},\"subjects\":");
    sb_put(b, e->subjects_txt, strlen(e->subjects_txt));
    if (!query) {
        SB_LIT(b, ",\"control_ref\":");
        sb_id(b, q->control_id);
        if (q->has_amount) {
            SB_LIT(b, ",\"amount_fen\":");
            sb_i64(b, q->amount_fen);
        }
        if (q->until[0]) {
            SB_LIT(b, ",\"until\":");
            sb_str(b, q->until);
        }
    }
    if (q->asset_id) {
        char *ident = asset_identifier(c, q->asset_id);
        SB_LIT(b, ",\"asset\":{\"identifier\":");
        sb_str(b, ident ? ident : "");
        SB_LIT(b, "}");
        free(ident);
    }
    SB_LIT(b, "}");
    return 0;
}

/* The batch envelope up to the opening of its requests array. */
void envelope_text(struct sb *b, const struct inst_rt *in, const zx_court *ct, const struct court_key *ck)
{
    SB_LIT(b, "{\"protocol\":");
    sb_str(b, ZX_INQ_PROTOCOL);
    SB_LIT(b, ",\"institution\":");
    sb_str(b, in->code);
    SB_LIT(b, ",\"court\":{\"code\":");
    sb_str(b, ct ? ct->code : "");
    SB_LIT(b, ",\"name\":");
    sb_str(b, ct ? ct->name : "");
    SB_LIT(b, ",\"public_key\":");
    sb_str(b, ck ? ck->pub_pem : "");
    SB_LIT(b, "},\"sent_ms\":");
    sb_i64(b, zx_now_ms());
    SB_LIT(b, ",\"requests\":[");
}

/* Claim due rows of one institution inside the caller's transaction — ONE statement marks them 'sent'
 * and returns what the requests need. Operations after another (after_id) only once that one is done;
 * if it failed, so do they. Returns the number claimed (*rows malloc'd). */
static int claim_for(db_conn *c, struct inst_rt *in, int64_t now, struct rq **rows)
{
    *rows = NULL;
    pthread_mutex_lock(&g_mu); /* batches are verified and settled by the applier thread */
    int inflight = in->inflight, fails_in_row = in->fails_in_row;
    int64_t open_until = in->open_until_ms;
    pthread_mutex_unlock(&g_mu);
    if (!in->enabled || inflight >= in->max_inflight) return 0;
    if (open_until > now) return 0;                            /* breaker open */
    bool half_open = fails_in_row >= g_breaker;                /* after the pause: one probe batch */
    if (half_open && inflight > 0) return 0;
    /* token bucket: rate_per_s requests per second, burst of one second */
    in->tokens += (double)(now - in->tokens_ms) * in->rate_per_s / 1000.0;
    if (in->tokens > in->rate_per_s) in->tokens = in->rate_per_s;
    in->tokens_ms = now;
    int slots = half_open ? 1 : in->max_inflight - inflight;
    int want = slots * in->batch_max;
    if (want > (int)in->tokens) want = (int)in->tokens;
    if (want <= 0) return 0;
    if (!in->pub) return 0; /* pinned by claim_all before its read transaction (a network fetch) */
    /* a court with due rows that is not enrolled here: enrol it first (after this transaction) and
     * claim nothing of it meanwhile — claiming rows only to put them back would churn the store */
    {
        /* (an index probe per state: nothing due = nothing more to do for this institution) */
        int64_t missing = 0;
        bool due = false;
        for (int st = 0; st < 2 && !missing; st++) {
            db_stmt *p = db_prepare(c, st ? "SELECT court_id FROM inquiry_request WHERE institution_id = ? AND state = 'acked'"
                                            " AND next_ms <= ? LIMIT 16"
                                          : "SELECT court_id FROM inquiry_request WHERE institution_id = ? AND state = 'pending'"
                                            " AND next_ms <= ? LIMIT 16");
            if (!p) return 0;
            db_bind_int64(p, 1, in->id);
            db_bind_int64(p, 2, now);
            while (!missing && db_step(p) == DB_ROW) {
                due = true;
                if (!enrolled_at(in, db_col_int64(p, 0))) missing = db_col_int64(p, 0);
            }
            db_finalize(p);
        }
        if (!due) return 0;
        if (missing) {
            in->want_enrol = missing;
            if (!in->nenrolled) return 0;
        }
    }
    /* ONE read per state takes the due rows in next_ms order (index inquiry_request_due) with what the
     * requests need — nothing is written to claim them: the rows of batches in flight (until applied)
     * are skipped here in memory, and a row is written once, when its answer (or failure) is applied.
     * After a crash every due row is simply due again and goes out with the same id. An operation
     * after another (after_id) waits until that one is done; one whose predecessor failed has failed
     * with it already (apply.c, zx_inq_fail_batch). */
    struct rq *v = calloc((size_t)want, sizeof *v);
    if (!v) zx_die("out of memory (claim)");
    int n = 0;
    pthread_mutex_lock(&g_mu);
    int skip_max = in->inflight_reqs; /* rows in flight come first in next_ms order: read past them */
    pthread_mutex_unlock(&g_mu);
    for (int st = 0; st < 2 && n < want; st++) {
        db_stmt *s = db_prepare(c, st ? "SELECT r.id, r.court_id, r.op, r.case_id, r.party_id, r.asset_id, r.control_id,"
                                        " r.amount_fen, r.until_on, r.officer_id, r.doc_no, r.inquiry_id FROM inquiry_request r"
                                        " WHERE r.institution_id = ? AND r.state = 'acked' AND r.next_ms <= ?"
                                        " ORDER BY r.next_ms LIMIT ?"
                                      : "SELECT r.id, r.court_id, r.op, r.case_id, r.party_id, r.asset_id, r.control_id,"
                                        " r.amount_fen, r.until_on, r.officer_id, r.doc_no, r.inquiry_id FROM inquiry_request r"
                                        " WHERE r.institution_id = ? AND r.state = 'pending' AND r.next_ms <= ?"
                                        " AND (r.after_id IS NULL OR EXISTS (SELECT 1 FROM inquiry_request p"
                                        " WHERE p.id = r.after_id AND p.state = 'done')) ORDER BY r.next_ms LIMIT ?");
        if (!s) break;
        db_bind_int64(s, 1, in->id);
        db_bind_int64(s, 2, now);
        db_bind_int64(s, 3, want - n + skip_max);
        pthread_mutex_lock(&g_mu);
        while (n < want && db_step(s) == DB_ROW) {
            int64_t id = db_col_int64(s, 0);
            bool flying = false;
            for (struct batch *fb = in->fly; fb && !flying; fb = fb->fly_next) {
                int lo = 0, hi = fb->n - 1;
                while (lo <= hi && !flying) {
                    int mid = (lo + hi) / 2;
                    if (fb->sids[mid] == id) flying = true;
                    else if (fb->sids[mid] < id) lo = mid + 1;
                    else hi = mid - 1;
                }
            }
            if (flying) continue;
            struct rq *q = &v[n++];
            q->id = id;
            q->court_id = db_col_int64(s, 1);
            snprintf(q->op, sizeof q->op, "%s", db_col_text(s, 2));
            q->case_id = db_col_int64(s, 3);
            q->party_id = db_col_int64(s, 4);
            q->asset_id = db_col_int64(s, 5);
            q->control_id = db_col_int64(s, 6);
            q->has_amount = !db_col_is_null(s, 7);
            q->amount_fen = db_col_int64(s, 7);
            if (db_col_text(s, 8)) snprintf(q->until, sizeof q->until, "%s", db_col_text(s, 8));
            q->officer_id = db_col_int64(s, 9);
            q->doc_no = db_col_text(s, 10) ? strdup(db_col_text(s, 10)) : NULL;
            q->inquiry_id = db_col_int64(s, 11);
        }
        pthread_mutex_unlock(&g_mu);
        db_finalize(s);
    }
    if (n == 0) {
        free(v);
        return 0;
    }
    *rows = v;
    return n;
}

static void rq_free(struct rq *v, int n)
{
    for (int i = 0; v && i < n; i++) free(v[i].doc_no);
    free(v);
}

/* Build the batches of one institution's claimed rows (inside the claiming transaction): one court
 * per batch, at most batch_max requests. Rows of a court not enrolled yet go back (same transaction).
 * Built batches are appended to *out (body unsigned). */
static void build_batches(db_conn *c, struct tick_cache *tc, struct inst_rt *in, struct rq *v, int n, struct batch **out)
{
    int64_t t0 = now_us();
    in->tokens -= n;
    bool *taken = calloc((size_t)n, sizeof *taken);
    int done = 0;
    while (done < n) {
        int64_t court = 0;
        int64_t *bids = malloc((size_t)in->batch_max * sizeof *bids), *binq = malloc((size_t)in->batch_max * sizeof *binq);
        if (!bids || !binq) zx_die("out of memory (batch)");
        struct sb body = { 0 };
        int bn = 0, nreq = 0;
        for (int i = 0; i < n && bn < in->batch_max; i++) {
            if (taken[i]) continue;
            if (!court) court = v[i].court_id;
            if (v[i].court_id != court) continue;
            if (!bn) /* the envelope, once the batch's court is known */
                envelope_text(&body, in, zx_court_by_id(court), enrolled_at(in, court) ? court_key(c, court) : NULL);
            taken[i] = true;
            done++;
            binq[bn] = v[i].inquiry_id;
            bids[bn++] = v[i].id;
            if (enrolled_at(in, court) && request_text(c, tc, &v[i], &body, nreq == 0) == 0) nreq++;
        }
        SB_LIT(&body, "]}");
        struct court_key *ck = enrolled_at(in, court) ? court_key(c, court) : NULL;
        const zx_court *ct = zx_court_by_id(court);
        if (!ck || !ct) { /* not enrolled here yet (or no seal): left due (nothing was written to claim them) */
            if (!enrolled_at(in, court)) in->want_enrol = court;
            free(bids);
            free(binq);
            free(body.p);
            continue;
        }
        struct batch *b = calloc(1, sizeof *b);
        if (!b) zx_die("out of memory (batch)");
        b->in = in;
        b->ids = bids;
        b->inq_ids = binq;
        b->n = bn;
        b->court = ck;
        b->body = body.p;
        b->next = *out;
        *out = b;
    }
    free(taken);
    p_build_us += now_us() - t0;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* After the claim committed: sign each batch with its court's seal and post it. */
static void post_batch(db_t *db, struct batch *b)
{
    int64_t t0 = now_us();
    struct inst_rt *in = b->in;
    char sig[ZX_SM2_SIG_HEX_MAX], h[300], url[600];
    if (!b->body || zx_sm2_sign(b->court->key, b->body, strlen(b->body), sig, sizeof sig) != 0) {
        fail_rows(db, b->ids, b->n, "SIGN_FAILED", "电子签章失败");
        batch_free(b);
        return;
    }
    b->hdrs = curl_slist_append(b->hdrs, "Content-Type: application/json");
    b->hdrs = curl_slist_append(b->hdrs, "Expect:");
    snprintf(h, sizeof h, "X-ZX-Signature: %s", sig);
    b->hdrs = curl_slist_append(b->hdrs, h);
    snprintf(url, sizeof url, "%s/v1/batch", in->endpoint);
    easy_common(b, url, in->timeout_ms);
    p_build_us += now_us() - t0;
    p_http_batches++;
    p_requests += b->n;
    b->sids = malloc((size_t)b->n * sizeof *b->sids);
    if (!b->sids) zx_die("out of memory (batch)");
    memcpy(b->sids, b->ids, (size_t)b->n * sizeof *b->sids);
    qsort(b->sids, (size_t)b->n, sizeof *b->sids, cmp_id);
    pthread_mutex_lock(&g_mu);
    b->fly_next = in->fly;
    in->fly = b;
    in->inflight++;
    in->inflight_reqs += b->n;
    in->batches++;
    in->sent += b->n;
    pthread_mutex_unlock(&g_mu);
    b->next = g_inflight;
    b->prev = NULL;
    if (g_inflight) g_inflight->prev = b;
    g_inflight = b;
    curl_multi_add_handle(g_multi, b->easy);
}

/* Commit a claiming transaction, then sign and post what it built (or drop it if the commit failed:
 * the rows stay due and are claimed again). The batches go out at once (curl_multi_perform), so the
 * first institutions' requests travel while the next ones are claimed. */
/* Claiming only reads (nothing is written to send), so its transaction is a read transaction: on
 * SQLite a deferred one (a WAL snapshot, not the writer lock — the applier thread keeps writing while
 * the sending thread claims and builds); on PostgreSQL a READ ONLY one (no row locks, nothing written). */
static int read_begin(db_t *db, db_conn *c) { return db_exec(c, db_kind(db) == DB_SQLITE ? "BEGIN" : "BEGIN READ ONLY"); }
static void read_end(db_t *db, db_conn *c)
{
    (void)db;
    if (db_exec(c, "COMMIT") != 0) db_exec(c, "ROLLBACK");
}

/* Settled batches leave the fly lists (and are freed) before a claim read begins: their commits are
 * then visible to it. */
static void fly_purge(void)
{
    struct batch *gone = NULL;
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < g_ninst; i++)
        for (struct batch **pp = &g_inst[i].fly; *pp;) {
            struct batch *b = *pp;
            if (b->settled) {
                *pp = b->fly_next;
                b->fly_next = gone;
                gone = b;
            } else
                pp = &b->fly_next;
        }
    pthread_mutex_unlock(&g_mu);
    while (gone) {
        struct batch *b = gone;
        gone = b->fly_next;
        batch_free(b);
    }
}

static int claim_commit_post(db_t *db, db_conn *c, struct batch **built, int64_t t0, int64_t tb)
{
    int any = *built != NULL;
    read_end(db, c);
    if (any) p_claim_us += now_us() - t0 - tb;
    while (*built) {
        struct batch *b = *built;
        *built = b->next;
        post_batch(db, b);
    }
    if (any) { /* on their way now (answers are taken in by the loop: the applier's turns stay large) */
        int running;
        curl_multi_perform(g_multi, &running);
    }
    return 0;
}

/* One pass: every institution claimed and its batches built inside read transactions of about
 * CLAIM_TXN_ROWS requests each (see read_begin: the applier thread writes meanwhile), each chunk's
 * batches signed and posted right after it so the first requests travel while the next are claimed.
 * The caches (a case's number and debtors, officers' names) last one chunk's transaction, so nothing
 * stale is ever sent. */
#define CLAIM_TXN_ROWS 4000
static void claim_all(db_t *db, int64_t now)
{
    static struct tick_cache *tc;
    if (!tc && !(tc = calloc(1, sizeof *tc))) zx_die("out of memory (tick cache)");
    db_conn *c = db_acquire(db);
    int64_t t0 = now_us(), tb = 0;
    struct batch *built = NULL;
    int in_txn = 0, rows = 0;
    /* Keys not yet pinned are fetched here, outside any transaction: a fetch is a blocking network
     * exchange (up to 2 s), and pinning writes — inside the claim's read transaction that write would
     * take SQLite's writer lock and hold it across the next institutions' fetches (logins and every
     * other write of the server waited past the busy timeout and answered 503). */
    for (int i = 0; i < g_ninst; i++)
        if (!g_inst[i].pub) ensure_key(c, &g_inst[i], now);
    for (int i = 0; i < g_ninst; i++) {
        if (!in_txn) {
            fly_purge();
            if (read_begin(db, c) != 0) break;
            in_txn = 1;
            rows = 0;
            t0 = now_us();
            tb = 0;
        }
        struct rq *v;
        int n = claim_for(c, &g_inst[i], now, &v);
        if (!n) continue;
        int64_t t1 = now_us();
        build_batches(c, tc, &g_inst[i], v, n, &built);
        tb += now_us() - t1;
        rq_free(v, n);
        rows += n;
        if (rows >= CLAIM_TXN_ROWS) {
            in_txn = 0;
            cache_clear(tc);
            if (claim_commit_post(db, c, &built, t0, tb)) break;
        }
    }
    if (in_txn) {
        cache_clear(tc);
        claim_commit_post(db, c, &built, t0, tb);
    }
    for (int i = 0; i < g_ninst; i++)
        if (g_inst[i].want_enrol) {
            start_enrolment(c, &g_inst[i], g_inst[i].want_enrol, now);
            g_inst[i].want_enrol = 0;
        }
    db_release(db, c);
}

/* ---- answers --------------------------------------------------------------------------------- */

static void breaker_fail(struct inst_rt *in, int64_t now)
{
    in->fails_in_row++;
    if (in->fails_in_row >= g_breaker) {
        in->open_until_ms = now + g_breaker_ms;
        if (in->fails_in_row == g_breaker)
            LOG_WARN("inquiry: circuit breaker open for %s (%d failures in a row)", in->code, in->fails_in_row);
    }
}

/* A finished batch, verified: code NULL = a good answer in j. */
struct finished {
    struct batch *b;
    json_t *j;
    const char *code, *msg;
};

/* The exchange as the transport saw it (dispatcher thread): a failure code, or NULL when there is a
 * signed 200 answer to verify. */
static void transport_done(struct finished *f, CURLcode cc)
{
    struct batch *b = f->b;
    struct inst_rt *in = b->in;
    int64_t now = zx_now_ms();
    long status = 0;
    if (cc == CURLE_OK) curl_easy_getinfo(b->easy, CURLINFO_RESPONSE_CODE, &status);
    const char *code = NULL, *msg = NULL;
    if (cc != CURLE_OK) {
        code = cc == CURLE_OPERATION_TIMEDOUT ? "TIMEOUT" : "UNREACHABLE";
        msg = cc == CURLE_OPERATION_TIMEDOUT ? "机构未在时限内答复" : "无法连接机构";
    } else if (status == 401 && b->ans.p && strstr(b->ans.p, "\"KEY_NOT_ENROLLED\"")) {
        code = "KEY_NOT_ENROLLED"; /* the institution lost our enrolment (restarted): enrol again */
        msg = "法院签章公钥未在该机构登记，正在重新登记";
        in->nenrolled = 0;
    } else if (status != 200) {
        code = status >= 500 ? "INSTITUTION_ERROR" : "REFUSED";
        msg = status >= 500 ? "机构系统故障" : "机构拒绝了请求";
    } else if (!b->sig[0]) {
        code = "UNSIGNED_ANSWER";
        msg = "答复未签章";
    }
    pthread_mutex_lock(&g_mu); /* (in flight until applied: the applier thread counts it down) */
    int64_t lat = now - b->started_ms;
    in->lat_sum_ms += lat;
    in->lat_n++;
    if (lat > in->lat_max_ms) in->lat_max_ms = lat;
    if (code) breaker_fail(in, now);
    pthread_mutex_unlock(&g_mu);
    if (code) {
        if (status && status != 200 && b->ans.p) LOG_WARN("inquiry: %s answered %ld: %.200s", in->code, status, b->ans.p);
        else LOG_WARN("inquiry: %s: %s (%d requests)", in->code, code, b->n);
    }
    f->code = code;
    f->msg = msg;
}

/* A signed answer verified against the institution's pinned key and parsed (applier thread). */
static void verify_answer(struct finished *f)
{
    if (f->code) return;
    struct batch *b = f->b;
    struct inst_rt *in = b->in;
    int64_t tv = now_us();
    const char *code = NULL, *msg = NULL;
    json_t *j = NULL;
    if (!in->pub || !zx_sm2_verify(in->pub, b->ans.p ? b->ans.p : "", b->ans.n, b->sig)) {
        code = "BAD_SIGNATURE";
        msg = "答复签章验证失败";
    } else if (!(j = json_loadb(b->ans.p, b->ans.n, 0, NULL)) || !json_is_array(json_object_get(j, "answers")) ||
               strcmp(json_string_value(json_object_get(j, "institution")) ? json_string_value(json_object_get(j, "institution")) : "",
                      in->code)) {
        code = "MALFORMED_ANSWER";
        msg = "答复格式不符合协议";
    }
    pthread_mutex_lock(&g_mu);
    if (code) breaker_fail(in, zx_now_ms());
    else {
        in->fails_in_row = 0;
        in->open_until_ms = 0;
    }
    pthread_mutex_unlock(&g_mu);
    if (code) {
        json_decref(j);
        j = NULL;
        LOG_WARN("inquiry: %s: %s (%d requests)", in->code, code, b->n);
    }
    f->j = j;
    f->code = code;
    f->msg = msg;
    p_verify_us += now_us() - tv;
}

static int apply_one(db_conn *c, struct finished *f)
{
    struct batch *b = f->b;
    if (f->code) return zx_inq_fail_batch(c, b->ids, b->n, f->code, f->msg, g_max_attempts, g_backoff_ms);
    return zx_inq_apply_rows(c, b->in->id, b->in->kind, json_object_get(f->j, "answers"), b->ans.p, b->ans.n, b->sig, b->ids,
                             b->inq_ids, b->n, b->started_ms);
}

/* Every batch that finished in this turn, applied in ONE transaction (group commit); if that fails,
 * each on its own so one bad answer cannot hold back the others. */
static void apply_finished(db_t *db, struct finished *fs, int n)
{
    if (n == 0) return;
    int64_t ta = now_us();
    db_conn *c = db_acquire(db);
    int rc = db_begin(c);
    /* every run the round touches, locked first and in id order: each batch writes its audit record,
     * and the next batch must not then wait for a run that a callback holds while it waits for the
     * audit head (PostgreSQL 40P01, seen in make test) */
    if (rc == 0 && n > 1) {
        int tot = 0;
        for (int i = 0; i < n; i++) tot += fs[i].b->inq_ids ? fs[i].b->n : 0;
        int64_t *all = tot ? malloc((size_t)tot * sizeof *all) : NULL;
        if (all) {
            int k = 0;
            for (int i = 0; i < n; i++)
                if (fs[i].b->inq_ids) {
                    memcpy(all + k, fs[i].b->inq_ids, (size_t)fs[i].b->n * sizeof *all);
                    k += fs[i].b->n;
                }
            rc = zx_inq_lock_runs(c, all, k);
            free(all);
        }
    }
    for (int i = 0; rc == 0 && i < n; i++) rc = apply_one(c, &fs[i]);
    if (rc == 0) rc = db_commit(c);
    else db_rollback(c);
    int *ok = calloc((size_t)n, sizeof *ok);
    if (rc == 0)
        for (int i = 0; i < n; i++) ok[i] = 1;
    else
        for (int i = 0; i < n; i++) {
            int r = db_begin(c);
            if (r == 0) r = apply_one(c, &fs[i]);
            if (r == 0) r = db_commit(c);
            else db_rollback(c);
            ok[i] = r == 0;
            if (!ok[i] && !fs[i].code) { /* a good answer that cannot be stored: back to the outbox */
                LOG_ERROR("inquiry: applying an answer of %s failed", fs[i].b->in->code);
                if (db_begin(c) == 0 &&
                    zx_inq_fail_batch(c, fs[i].b->ids, fs[i].b->n, "APPLY_FAILED", "答复无法入库", g_max_attempts, g_backoff_ms) == 0)
                    db_commit(c);
                else
                    db_rollback(c);
            }
        }
    db_release(db, c);
    p_apply_us += now_us() - ta;
    pthread_mutex_lock(&g_mu);
    for (int i = 0; i < n; i++) {
        struct inst_rt *in = fs[i].b->in;
        in->inflight--;
        in->inflight_reqs -= fs[i].b->n;
        /* the big buffers go now, before settled: from then on the sending thread may free the batch
         * (fly_purge) — freeing them after it (as the applier once did) was a double free at shutdown */
        free(fs[i].b->body);
        free(fs[i].b->ans.p);
        curl_slist_free_all(fs[i].b->hdrs);
        fs[i].b->body = fs[i].b->ans.p = NULL;
        fs[i].b->hdrs = NULL;
        /* settled: it leaves the fly list only before the sending thread's next claim read (fly_purge),
         * whose snapshot then sees this commit — a claim read begun earlier must still skip its rows;
         * ids stay for the claim's filter */
        fs[i].b->settled = true;
        if (!fs[i].code && ok[i]) in->answered += fs[i].b->n;
        else in->failed += fs[i].b->n;
        json_decref(fs[i].j);
    }
    pthread_mutex_unlock(&g_mu);
    free(ok);
}

/* ---- the applier thread ---------------------------------------------------------------------- */

/* Verified answers are applied on a second thread with its own store connection, so the dispatcher
 * thread keeps claiming, signing, sending and verifying while the store writes. The queue holds only
 * batches still counted in flight (the claim waits for them), so it is bounded by the institutions'
 * max_inflight. Each turn applies everything queued in one transaction (group commit). */
static pthread_t g_apply_tid;
static pthread_mutex_t g_q_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_q_cv = PTHREAD_COND_INITIALIZER;
static struct finished *g_q;
static int g_qn, g_qcap;
static bool g_q_stop;
static _Atomic int64_t g_settled; /* requests in applied answer batches (benchmark progress) */

static void queue_push(struct finished *fs, int n)
{
    if (!n) return;
    pthread_mutex_lock(&g_q_mu);
    if (g_qn + n > g_qcap) {
        int cap = g_qcap ? g_qcap : 64;
        while (cap < g_qn + n) cap *= 2;
        struct finished *nq = realloc(g_q, (size_t)cap * sizeof *nq);
        if (!nq) zx_die("out of memory (answer queue)");
        g_q = nq;
        g_qcap = cap;
    }
    memcpy(g_q + g_qn, fs, (size_t)n * sizeof *fs);
    g_qn += n;
    pthread_cond_signal(&g_q_cv);
    pthread_mutex_unlock(&g_q_mu);
}

static void *applier(void *arg)
{
    db_t *db = arg;
    for (;;) {
        pthread_mutex_lock(&g_q_mu);
        while (!g_qn && !g_q_stop) pthread_cond_wait(&g_q_cv, &g_q_mu);
        struct finished *fs = g_q;
        int n = g_qn;
        bool stop = g_q_stop;
        g_q = NULL;
        g_qn = g_qcap = 0;
        pthread_mutex_unlock(&g_q_mu);
        if (n) {
            for (int i = 0; i < n; i++) verify_answer(&fs[i]);
            int64_t settled = 0;
            for (int i = 0; i < n; i++) settled += fs[i].b->n;
            apply_finished(db, fs, n); /* also at stop: what was received is applied */
            g_settled += settled; /* counted by apply_finished: the batches may be freed by now */
            zx_inq_wake(); /* slots are free again, and operations after these may be due */
        }
        free(fs);
        if (stop && !n) break;
    }
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    p_applier_cpu_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    return NULL;
}

int64_t zx_inq_dispatcher_settled(void) { return g_settled; }

/* Exchanges that finished: enrolments settled here, batches (transport checked) handed to the applier
 * thread. */
static void harvest(void)
{
    int running = 0;
    curl_multi_perform(g_multi, &running);
    CURLMsg *m;
    int left, nf = 0, capf = 0;
    struct finished *fs = NULL;
    while ((m = curl_multi_info_read(g_multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        struct batch *b;
        CURL *e = m->easy_handle;
        CURLcode cc = m->data.result;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&b);
        curl_multi_remove_handle(g_multi, e);
        if (b->prev) b->prev->next = b->next;
        else g_inflight = b->next;
        if (b->next) b->next->prev = b->prev;
        b->prev = b->next = NULL;
        if (b->enrol_court) {
            enrolment_done(b, cc);
            curl_easy_cleanup(b->easy);
            batch_free(b);
            continue;
        }
        if (nf == capf) {
            capf = capf ? capf * 2 : 16;
            fs = realloc(fs, (size_t)capf * sizeof *fs);
            if (!fs) zx_die("out of memory (answers)");
        }
        fs[nf] = (struct finished){ .b = b };
        transport_done(&fs[nf], cc);
        curl_easy_cleanup(b->easy);
        b->easy = NULL;
        nf++;
    }
    queue_push(fs, nf); /* applied by the applier thread */
    free(fs);
}

/* ---- the thread ------------------------------------------------------------------------------- */

static void *run(void *arg)
{
    db_t *db = arg;
    db_conn *c = db_acquire(db);
    /* crash recovery: what was in flight when the server stopped is sent again (same ids) */
    if (db_begin(c) == 0) {
        db_exec(c, "UPDATE inquiry_request SET state = 'pending' WHERE state = 'sent'");
        db_commit(c);
    }
    load_institutions(c);
    db_release(db, c);
    int64_t next_reload = zx_now_ms() + 5000, next_auto = zx_now_ms() + 500, next_claim = 0;
    while (atomic_load(&g_run)) {
        int64_t now = zx_now_ms();
        bool woke = atomic_exchange(&g_wake, 0);
        if (now >= next_auto) {
            zx_inq_automation_pass(db);
            next_auto = now + g_auto_ms;
        }
        if (now >= next_reload) {
            c = db_acquire(db);
            load_institutions(c);
            db_release(db, c);
            next_reload = now + 5000;
        }
        /* claim when woken (rows queued, answers applied) or, idle, every 250 ms (backoffs fall due) */
        if (woke || now >= next_claim) {
            claim_all(db, now);
            next_claim = now + 250;
        }
        harvest();
        curl_multi_poll(g_multi, NULL, 0, g_tick_ms, NULL);
    }
    struct timespec ts; /* the dispatcher thread's own CPU time (benchmark) */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    p_thread_cpu_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
    return NULL;
}

int zx_inq_dispatcher_start(db_t *db)
{
    if (atomic_load(&g_started)) return 0;
    g_tick_ms = (int)env_i("ZX_INQ_TICK_MS", 20);
    g_max_attempts = (int)env_i("ZX_INQ_MAX_ATTEMPTS", 8);
    g_backoff_ms = env_i("ZX_INQ_BACKOFF_MS", 1000);
    g_breaker = (int)env_i("ZX_INQ_BREAKER", 5);
    g_breaker_ms = env_i("ZX_INQ_BREAKER_MS", 30000);
    g_auto_ms = env_i("ZX_INQ_AUTO_MS", 3000);
    if (g_auto_ms < 100) g_auto_ms = 100;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_multi = curl_multi_init();
    curl_multi_setopt(g_multi, CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    curl_multi_setopt(g_multi, CURLMOPT_MAXCONNECTS, 1024L);
    atomic_store(&g_run, true);
    g_q_stop = false;
    if (pthread_create(&g_apply_tid, NULL, applier, db) != 0) return -1;
    if (pthread_create(&g_tid, NULL, run, db) != 0) return -1;
    atomic_store(&g_started, true);
    return 0;
}

void zx_inq_dispatcher_stop(void)
{
    if (!atomic_load(&g_started)) return;
    atomic_store(&g_run, false);
    curl_multi_wakeup(g_multi);
    pthread_join(g_tid, NULL);
    pthread_mutex_lock(&g_q_mu); /* the applier applies what was verified, then ends */
    g_q_stop = true;
    pthread_cond_signal(&g_q_cv);
    pthread_mutex_unlock(&g_q_mu);
    pthread_join(g_apply_tid, NULL);
    atomic_store(&g_started, false);
    /* the fly lists first: applied batches are freed there, those still in flight are only unlinked
     * (they are on g_inflight too and freed below — walking a list after freeing them read freed memory) */
    for (int i = 0; i < g_ninst; i++) {
        for (struct batch *b = g_inst[i].fly, *nb; b; b = nb) {
            nb = b->fly_next;
            if (b->settled) batch_free(b);
        }
        g_inst[i].fly = NULL;
    }
    /* batches still in flight are abandoned: their rows stay 'sent' and are re-sent at next start
     * (same ids); their handles and buffers are freed here (the thread has ended) */
    while (g_inflight) {
        struct batch *b = g_inflight;
        g_inflight = b->next;
        curl_multi_remove_handle(g_multi, b->easy);
        curl_easy_cleanup(b->easy);
        batch_free(b);
    }
    curl_multi_cleanup(g_multi);
    g_multi = NULL;
    for (int i = 0; i < g_ninst; i++) { /* the next start enrols again (new callback keys) */
        g_inst[i].fly = NULL;
        g_inst[i].inflight = g_inst[i].inflight_reqs = 0;
        g_inst[i].nenrolled = 0;
        g_inst[i].enrolling = 0;
        zx_wipe(g_inst[i].cb_key, sizeof g_inst[i].cb_key);
        g_inst[i].cb_key[0] = 0;
    }
}

json_t *zx_inq_dispatcher_stats(void)
{
    json_t *a = json_array();
    pthread_mutex_lock(&g_mu);
    int64_t now = zx_now_ms();
    for (int i = 0; i < g_ninst; i++) {
        struct inst_rt *in = &g_inst[i];
        json_array_append_new(
            a, json_pack("{s:s,s:s,s:s,s:i,s:I,s:I,s:I,s:I,s:I,s:s,s:I,s:i,s:i,s:i}", "code", in->code, "name", in->name, "kind", in->kind,
                         "in_flight", in->inflight_reqs, "sent", (json_int_t)in->sent, "answered", (json_int_t)in->answered,
                         "failed", (json_int_t)in->failed, "avg_answer_ms",
                         (json_int_t)(in->lat_n ? in->lat_sum_ms / in->lat_n : 0), "max_answer_ms",
                         (json_int_t)in->lat_max_ms, "breaker",
                         in->open_until_ms > now ? "open" : in->fails_in_row >= g_breaker ? "half_open" : "closed",
                         "breaker_open_until_ms", (json_int_t)(in->open_until_ms > now ? in->open_until_ms : 0),
                         "max_inflight", in->max_inflight, "rate_per_s", in->rate_per_s, "batch_max", in->batch_max));
    }
    pthread_mutex_unlock(&g_mu);
    return a;
}

json_t *zx_inq_dispatcher_profile(void)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "applier_cpu_ms", (json_int_t)(p_applier_cpu_us / 1000), "claim_ms", (json_int_t)(p_claim_us / 1000), "build_sign_ms",
                     (json_int_t)(p_build_us / 1000), "verify_ms", (json_int_t)(p_verify_us / 1000), "apply_ms",
                     (json_int_t)(p_apply_us / 1000), "http_batches", (json_int_t)p_http_batches, "requests",
                     (json_int_t)p_requests, "dispatcher_cpu_ms", (json_int_t)(p_thread_cpu_us / 1000));
}

static int disp_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* the server only, not CLI commands */
    if (getenv("ZX_INQ_DISPATCHER") && !strcmp(getenv("ZX_INQ_DISPATCHER"), "off")) return 0;
    const char *cb = getenv("ZX_INQ_CALLBACK_URL");
    if (cb && *cb) zx_inq_set_callback_base(cb);
    else { /* this server as the institutions reach it: the listen address (a wildcard → loopback) */
        char base[300], host[200] = "127.0.0.1";
        const char *colon = strrchr(app->cfg.listen, ':');
        if (colon && colon > app->cfg.listen && (size_t)(colon - app->cfg.listen) < sizeof host)
            snprintf(host, sizeof host, "%.*s", (int)(colon - app->cfg.listen), app->cfg.listen);
        if (!strcmp(host, "0.0.0.0") || !strcmp(host, "::") || !strcmp(host, "[::]")) snprintf(host, sizeof host, "127.0.0.1");
        snprintf(base, sizeof base, "%s://%s:%s", app->cfg.tls_cert[0] ? "https" : "http", host, colon ? colon + 1 : "8080");
        zx_inq_set_callback_base(base);
    }
    return zx_inq_dispatcher_start(app->db);
}
ZX_ON_START("inquiry dispatcher", disp_start)

static int disp_stop(zx_app *app)
{
    zx_inq_dispatcher_stop();
    return 0;
}
ZX_ON_STOP("inquiry dispatcher", disp_stop)
