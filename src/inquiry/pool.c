/* pool.c — the benchmark's comparison for the inquiry dispatcher (bench/50-inquiry.sh): a plain
 * blocking worker pool, N threads each sending one request at a time over the same protocol, store
 * and institutions as the dispatcher (dispatcher.c). Never used by a serving node. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "core/ids.h"
#include "core/log.h"
#include "inquiry/inquiry.h"
#include "inquiry/dispatcher_internal.h"

/* ---- the comparison: a plain blocking worker pool (benchmark) -------------------------------- */

/* Load the institutions and pin their keys (the pool has no dispatcher thread). */
int zx_inq_pool_init(db_t *db)
{
    db_conn *c = db_acquire(db);
    load_institutions(c);
    for (int i = 0; i < g_ninst; i++) ensure_key(c, &g_inst[i], zx_now_ms());
    /* enrol the courts with pending rows at every institution, one blocking exchange each */
    int64_t courts[8];
    int nc = 0;
    db_stmt *s = db_prepare(c, "SELECT DISTINCT court_id FROM inquiry_request WHERE state = 'pending'");
    while (s && nc < 8 && db_step(s) == DB_ROW) courts[nc++] = db_col_int64(s, 0);
    if (s) db_finalize(s);
    if (!g_multi) g_multi = curl_multi_init();
    for (int i = 0; i < g_ninst; i++) {
        if (!g_inst[i].enabled) continue;
        for (int k = 0; k < nc; k++) {
            g_inst[i].enrol_retry_ms = 0;
            start_enrolment(c, &g_inst[i], courts[k], zx_now_ms());
            int running = 1;
            while (running) {
                curl_multi_perform(g_multi, &running);
                if (running) curl_multi_poll(g_multi, NULL, 0, 50, NULL);
            }
            CURLMsg *m;
            int left;
            while ((m = curl_multi_info_read(g_multi, &left))) {
                struct batch *b;
                curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&b);
                curl_multi_remove_handle(g_multi, m->easy_handle);
                if (b->prev) b->prev->next = b->next;
                else g_inflight = b->next;
                if (b->next) b->next->prev = b->prev;
                enrolment_done(b, m->data.result);
                curl_easy_cleanup(b->easy);
                batch_free(b);
            }
        }
    }
    db_release(db, c);
    return g_ninst > 0 ? 0 : -1;
}

/* One worker's step: claim one due row, send it alone with a blocking request, verify, apply.
 * Returns 1 if a row was handled, 0 if none was due, < 0 on a store error. */
int zx_inq_pool_step(db_t *db)
{
    db_conn *c = db_acquire(db);
    int64_t id = 0, inst_id = 0, court = 0, t0 = now_us();
    if (db_begin(c)) {
        db_release(db, c);
        return -1;
    }
    db_stmt *s = db_prepare(c, "SELECT id, institution_id, court_id FROM inquiry_request WHERE state = 'pending' LIMIT 1");
    if (s && db_step(s) == DB_ROW) id = db_col_int64(s, 0), inst_id = db_col_int64(s, 1), court = db_col_int64(s, 2);
    if (s) db_finalize(s);
    if (id) {
        s = db_prepare(c, "UPDATE inquiry_request SET state = 'sent', sent_ms = ?, attempts = attempts + 1 WHERE id = ?");
        if (s) {
            db_bind_int64(s, 1, zx_now_ms());
            db_bind_int64(s, 2, id);
            db_step(s);
            db_finalize(s);
        }
    }
    db_commit(c);
    p_claim_us += now_us() - t0;
    if (!id) {
        db_release(db, c);
        return 0;
    }
    struct inst_rt *in = NULL;
    for (int i = 0; i < g_ninst; i++)
        if (g_inst[i].id == inst_id) in = &g_inst[i];
    struct court_key *ck = court_key(c, court);
    const zx_court *ct = zx_court_by_id(court);
    int64_t tb = now_us();
    static _Thread_local struct tick_cache *tc;
    if (!tc && !(tc = calloc(1, sizeof *tc))) zx_die("out of memory (pool cache)");
    struct sb body = { 0 };
    bool built = false;
    if (in && ck && ct) {
        struct rq row = { .id = id };
        s = db_prepare(c, "SELECT court_id, op, case_id, party_id, asset_id, control_id, amount_fen, until_on, officer_id, doc_no"
                          " FROM inquiry_request WHERE id = ?");
        if (s) {
            db_bind_int64(s, 1, id);
            if (db_step(s) == DB_ROW) {
                row.court_id = db_col_int64(s, 0);
                snprintf(row.op, sizeof row.op, "%s", db_col_text(s, 1));
                row.case_id = db_col_int64(s, 2);
                row.party_id = db_col_int64(s, 3);
                row.asset_id = db_col_int64(s, 4);
                row.control_id = db_col_int64(s, 5);
                row.has_amount = !db_col_is_null(s, 6);
                row.amount_fen = db_col_int64(s, 6);
                if (db_col_text(s, 7)) snprintf(row.until, sizeof row.until, "%s", db_col_text(s, 7));
                row.officer_id = db_col_int64(s, 8);
                row.doc_no = db_col_text(s, 9) ? strdup(db_col_text(s, 9)) : NULL;
                envelope_text(&body, in, ct, ck);
                built = request_text(c, tc, &row, &body, true) == 0;
                SB_LIT(&body, "]}");
            }
            db_finalize(s);
        }
        free(row.doc_no);
        cache_clear(tc);
    }
    if (!built) {
        free(body.p);
        db_release(db, c);
        fail_rows(db, &id, 1, "NO_SEAL", "无法组装请求");
        return 1;
    }
    struct batch b = { .in = in, .n = 1 };
    b.ids = &id;
    b.body = body.p;
    char sig[ZX_SM2_SIG_HEX_MAX], h[300], url[600];
    zx_sm2_sign(ck->key, b.body, strlen(b.body), sig, sizeof sig);
    b.hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    b.hdrs = curl_slist_append(b.hdrs, "Expect:");
    snprintf(h, sizeof h, "X-ZX-Signature: %s", sig);
    b.hdrs = curl_slist_append(b.hdrs, h);
    snprintf(url, sizeof url, "%s/v1/batch", in->endpoint);
    static _Thread_local CURL *easy; /* one connection per worker, reused */
    if (!easy) easy = curl_easy_init();
    else curl_easy_reset(easy);
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, b.body);
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, (long)strlen(b.body));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, b.hdrs);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, (long)in->timeout_ms);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    b.ans.max = 32u << 20;
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, zx_http_body_write);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &b.ans);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &b);
    p_build_us += now_us() - tb;
    p_http_batches++;
    p_requests++;
    db_release(db, c);
    CURLcode cc = curl_easy_perform(easy);
    long status = 0;
    if (cc == CURLE_OK) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    int64_t tv = now_us();
    json_t *j = NULL;
    bool ok = cc == CURLE_OK && status == 200 && b.sig[0] && in->pub &&
              zx_sm2_verify(in->pub, b.ans.p ? b.ans.p : "", b.ans.n, b.sig) &&
              (j = json_loadb(b.ans.p, b.ans.n, 0, NULL)) != NULL;
    int64_t ta = now_us();
    p_verify_us += ta - tv;
    int rc = -1;
    if (ok) {
        c = db_acquire(db);
        rc = db_begin(c);
        if (rc == 0) rc = zx_inq_apply_batch(c, in->id, in->kind, json_object_get(j, "answers"), b.ans.p, b.sig, &id, 1);
        if (rc == 0) rc = db_commit(c);
        else db_rollback(c);
        db_release(db, c);
    }
    p_apply_us += now_us() - ta;
    json_decref(j);
    if (rc != 0) fail_rows(db, &id, 1, "POOL_FAILED", "请求失败");
    curl_slist_free_all(b.hdrs);
    free(b.body);
    free(b.ans.p);
    return 1;
}

