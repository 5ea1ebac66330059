/* sequencer.c — the bid sequencer: live bids group-committed in receipt order (网拍规定 art 20).
 *
 * POST …/bids (zx_au_bid) runs on an event loop: it checks the body, refuses court staff (art 34),
 * authenticates the bidder (token cache), stamps the server's receipt time and appends the bid to
 * ONE queue — under the queue lock a receipt time is raised to the last one queued if a thread was
 * preempted between its stamp and the lock (microseconds), so queue order = receipt order — then
 * defers its reply (http.h zx_reply_defer): the loop goes on serving other requests.
 *
 * One sequencer thread takes everything queued (up to MAX_BATCH bids) and
 *   1. locks the lots of the batch in id order (the sweep and staff changes take one lot at a time)
 *      and copies each lot's live state;
 *   2. judges every bid in queue order against its lot's copy, advancing the copy as bids are
 *      accepted, then unlocks — nobody waits on a lot mutex while the batch commits (rules/auction.h: start price, increment, equal bids of priority purchasers arts
 *      19/21, soft close art 20 measured from each bid's own receipt time);
 *   3. writes the accepted bids in ONE transaction: multi-row INSERTs of auction_bid (gap-free seq),
 *      per lot one compare-and-set UPDATE of auction_round (WHERE bid_seq = the seq the batch started
 *      from — a second server node on the same PostgreSQL cannot interleave: on a mismatch the batch
 *      is rolled back, the lots reloaded and the whole batch judged again), per lot one audit record
 *      naming every bid (seq, amount, receipt time, bidder alias, client address, request id);
 *   4. commits, publishes the new state under the lot's mutex (version bump → the SSE viewers; if
 *      the entry was reloaded meanwhile it is simply read again), and only then answers every bid
 *      of the batch — 201 for the accepted, the 4xx for the refused (their verdict
 *      depended on bids of the same batch, so they too wait for the commit).
 * While one batch commits the next bids queue up, so the batch grows with the load: one commit (one
 * fsync of the SQLite WAL, one COMMIT on PostgreSQL) per batch instead of per bid. A bid is
 * acknowledged only after its commit; on a store failure every bid of the batch gets 503 and none is
 * half-written. At shutdown the thread empties the queue before it stops (the server's drain waits
 * for the deferred replies first). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auction/auction.h"
#include "auction/engine_internal.h"
#include "audit/audit.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/metrics.h"
#include "rules/auction.h"

#define MAX_BATCH 512
#define MAX_QUEUE 50000   /* beyond this many waiting bids: 503 at once (the store cannot keep up) */
#define INSERT_ROWS 64    /* rows per multi-row INSERT (8 parameters each) */

typedef struct qbid {
    struct qbid *next;
    zx_deferred *d;
    int64_t lot_id, bidder, amount, received;
    char alias[16], request_id[32], client_ip[48];
    /* judged */
    live *L;
    int status;          /* 0 = accepted */
    const char *code;
    char msg[200];
    int64_t seq, new_end, prev_end;
    int rank;
} qbid;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    qbid *head, **tail;
    int n;
    int64_t last_received;
    bool stop, running;
    pthread_t tid;
} Q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, &Q.head, 0, 0, false, false, 0 };

static _Atomic int64_t g_batches, g_batched_bids, g_queue_len;
static int64_t batches_gauge(void) { return atomic_load(&g_batches); }
static int64_t batched_gauge(void) { return atomic_load(&g_batched_bids); }
static int64_t queue_gauge(void) { return atomic_load(&g_queue_len); }

bool zx_au_staff_caller(zx_req *r);

/* POST /api/v1/public/auctions/:id/bids {"amount_fen":N} → 201 {"seq","amount_fen","ends_at"} */
void zx_au_bid(zx_req *r)
{
    int64_t received = zx_now_ms(); /* 网拍规定 art 20: the server's receipt time */
    int64_t lot_id;
    if (!zx_param_id(r, "id", &lot_id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    json_t *am = json_object_get(b, "amount_fen");
    if (!json_is_integer(am) || json_integer_value(am) <= 0)
        return zx_reply_error(r, 400, "VALIDATION_FAILED", "出价金额须为正整数（分）");
    if (zx_au_staff_caller(r))
        return zx_reply_error(r, 403, "STAFF_BARRED", "法院工作人员不得参与竞买（网拍规定第三十四条）");
    char alias[16] = "";
    int64_t bidder = zx_au_bidder_of(r, alias);
    if (!bidder) return zx_reply_error(r, 401, "BIDDER_UNAUTHENTICATED", "请先进行竞买人实名登记");
    if (atomic_load(&g_queue_len) >= MAX_QUEUE || !Q.running)
        return zx_reply_error(r, 503, "BUSY", "出价人数过多，请稍后重试");
    qbid *q = calloc(1, sizeof *q);
    if (!q) zx_die("auction: out of memory");
    q->lot_id = lot_id;
    q->bidder = bidder;
    q->amount = json_integer_value(am);
    memcpy(q->alias, alias, sizeof q->alias);
    snprintf(q->request_id, sizeof q->request_id, "%s", r->request_id);
    snprintf(q->client_ip, sizeof q->client_ip, "%s", r->client_ip ? r->client_ip : "");
    q->d = zx_reply_defer(r);
    if (!q->d) {
        free(q);
        return zx_reply_error(r, 503, "BUSY", "出价未能受理，请重试");
    }
    pthread_mutex_lock(&Q.mu);
    if (received < Q.last_received) received = Q.last_received; /* queue order = receipt order */
    Q.last_received = received;
    q->received = received;
    *Q.tail = q;
    Q.tail = &q->next;
    Q.n++;
    atomic_store(&g_queue_len, Q.n);
    pthread_cond_signal(&Q.cv);
    pthread_mutex_unlock(&Q.mu);
}

/* ---- judging (under the lots' mutexes) ---- */
static void refuse(qbid *q, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void refuse(qbid *q, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q->msg, sizeof q->msg, fmt, ap);
    va_end(ap);
    q->status = status;
    q->code = code;
}

static void judge(qbid *q)
{
    live *L = q->L;
    q->status = 0;
    if (!L) return refuse(q, 404, "NOT_FOUND", "拍卖标的不存在");
    if (!L->loaded) return refuse(q, 503, "BUSY", "出价未能记录，请重试");
    if (!L->round_id) return refuse(q, 409, "AUCTION_NOT_OPEN", "该标的尚未拍卖");
    if (strcmp(L->platform, "court")) return refuse(q, 409, "EXTERNAL_PLATFORM", "该标的在其他网络拍卖平台进行");
    if (!zx_au_live_open(L) || q->received >= L->ends)
        return refuse(q, 409, "AUCTION_CLOSED", "拍卖已结束，出价无效（网拍规定第二十条）");
    if (q->received < L->starts) return refuse(q, 409, "AUCTION_NOT_OPEN", "拍卖尚未开始");
    int rank = zx_au_live_dep_rank(L, q->bidder);
    if (rank < 0) return refuse(q, 403, "DEPOSIT_REQUIRED", "请先交纳保证金（网拍规定第十七条）");
    zx_bid_state bs = { .start_fen = L->start, .increment_fen = L->inc, .current_fen = L->current,
                        .leader_priority_rank = L->leader_rank, .starts_ms = L->starts, .ends_ms = L->ends };
    enum zx_bid_verdict v = zx_bid_judge(&bs, q->amount, rank, q->received);
    if (v == ZX_BID_TOO_LOW) {
        int64_t min = zx_bid_min_next(&bs, rank);
        return refuse(q, 409, "BID_TOO_LOW", "出价不得低于 %lld.%02lld 元（当前价加加价幅度）", (long long)(min / 100),
                      (long long)(min % 100));
    }
    if (v == ZX_BID_OFF_STEP)
        return refuse(q, 422, "BID_OFF_INCREMENT", "出价须为起拍价加整数倍的加价幅度（%lld.%02lld 元）", (long long)(L->inc / 100),
                      (long long)(L->inc % 100));
    if (v != ZX_BID_OK) return refuse(q, 409, "AUCTION_CLOSED", "拍卖已结束，出价无效（网拍规定第二十条）");
    q->prev_end = L->ends;
    if (!strcmp(L->kind, "fixed_sale") && L->seq == 0)
        q->new_end = q->received + ZX_AUCTION_RULES.fixed_sale_bidding_ms; /* 网络变卖: first valid bid opens 24 h */
    else
        q->new_end = zx_bid_extend(L->ends, q->received); /* 网拍规定 art 20: soft close */
    q->rank = rank;
    q->seq = ++L->seq;
    L->current = q->amount;
    L->leader = q->bidder;
    L->leader_rank = rank;
    L->ends = q->new_end;
    snprintf(L->status, sizeof L->status, "bidding");
    memcpy(L->leader_alias, q->alias, sizeof L->leader_alias);
}

/* A lot's working copy for one batch: judged under the lot's mutex, persisted WITHOUT it (the event
 * loops formatting SSE states never wait for an fsync), published under it after the commit. */
typedef struct snap {
    live *real; /* the shared entry */
    live w;     /* the batch's copy (its mutex is never used) */
    int64_t seq0;
    int accepted;
} snap;

static void snap_take(snap *s, live *L)
{
    s->real = L;
    memcpy(&s->w, L, sizeof s->w); /* shallow: dep arrays are read only while L->mu is held */
    s->seq0 = L->seq;
    s->accepted = 0;
}

/* After the commit: the new price, seq, leader and end become the shared state — unless the entry was
 * reloaded or moved meanwhile (a staff change, the sweep), then it is simply read again. */
static void snap_publish(snap *s)
{
    live *L = s->real;
    pthread_mutex_lock(&L->mu);
    if (L->loaded && L->round_id == s->w.round_id && L->seq == s->seq0) {
        L->seq = s->w.seq;
        L->current = s->w.current;
        L->leader = s->w.leader;
        L->leader_rank = s->w.leader_rank;
        L->ends = s->w.ends;
        memcpy(L->status, s->w.status, sizeof L->status);
        memcpy(L->leader_alias, s->w.leader_alias, sizeof L->leader_alias);
    } else
        L->loaded = false;
    atomic_fetch_add(&L->version, 1);
    pthread_mutex_unlock(&L->mu);
}

/* ---- persisting ---- */
static int insert_chunk(db_conn *c, qbid **rows, int k)
{
    static const char row[] = "(?, ?, ?, ?, ?, ?, ?, ?)";
    char sql[160 + INSERT_ROWS * (sizeof row + 2)];
    size_t o = (size_t)snprintf(sql, sizeof sql, "INSERT INTO auction_bid (id, round_id, seq, bidder_id, amount_fen,"
                                                 " priority_rank, received_ms, ends_ms) VALUES ");
    for (int j = 0; j < k; j++) o += (size_t)snprintf(sql + o, sizeof sql - o, "%s%s", j ? ", " : "", row);
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    for (int j = 0; j < k; j++) {
        const qbid *q = rows[j];
        int p = j * 8;
        db_bind_int64(s, p + 1, zx_id_new());
        db_bind_int64(s, p + 2, q->L->round_id);
        db_bind_int64(s, p + 3, q->seq);
        db_bind_int64(s, p + 4, q->bidder);
        db_bind_int64(s, p + 5, q->amount);
        db_bind_int64(s, p + 6, q->rank);
        db_bind_int64(s, p + 7, q->received);
        db_bind_int64(s, p + 8, q->new_end);
    }
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* The accepted bids of the batch, INSERT_ROWS rows per statement. */
static int insert_bids(db_conn *c, qbid **b, int n)
{
    qbid *rows[INSERT_ROWS];
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (b[i]->status) continue;
        rows[k++] = b[i];
        if (k == INSERT_ROWS) {
            if (insert_chunk(c, rows, k)) return -1;
            k = 0;
        }
    }
    return k ? insert_chunk(c, rows, k) : 0;
}

/* The round row of one lot after the batch: compare-and-set on the seq the batch started from.
 * 0, 1 = moved by someone else, < 0. */
static int advance_round(db_conn *c, const snap *sn)
{
    const live *L = &sn->w;
    db_stmt *s = db_prepare(c, "UPDATE auction_round SET bid_seq = ?, current_fen = ?, leader_bidder_id = ?, leader_rank = ?,"
                               " ends_ms = ?, status = 'bidding' WHERE id = ? AND bid_seq = ? AND status IN ('announced', 'bidding')");
    if (!s) return -1;
    db_bind_int64(s, 1, L->seq);
    db_bind_int64(s, 2, L->current);
    db_bind_int64(s, 3, L->leader);
    db_bind_int64(s, 4, L->leader_rank);
    db_bind_int64(s, 5, L->ends);
    db_bind_int64(s, 6, L->round_id);
    db_bind_int64(s, 7, sn->seq0);
    int rc = db_step(s);
    int64_t n = db_changes(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    return n == 1 ? 0 : 1;
}

/* One audit record per lot and batch naming every accepted bid. */
static int audit_bids(db_conn *c, const snap *sn, qbid **b, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        qbid *q = b[i];
        if (q->status || q->L != &sn->w) continue;
        json_array_append_new(arr, json_pack("{s:I,s:I,s:I,s:I,s:s,s:s,s:s}", "seq", (json_int_t)q->seq, "amount_fen",
                                             (json_int_t)q->amount, "received_ms", (json_int_t)q->received, "ends_ms",
                                             (json_int_t)q->new_end, "bidder", q->alias, "client_ip", q->client_ip,
                                             "request_id", q->request_id));
    }
    char lot[24], oid[24];
    snprintf(lot, sizeof lot, "%lld", (long long)sn->w.lot_id);
    snprintf(oid, sizeof oid, "%lld", (long long)sn->w.round_id);
    json_t *d = json_pack("{s:s,s:o}", "lot_id", lot, "bids", arr);
    char *detail = json_dumps(d, JSON_COMPACT);
    json_decref(d);
    zx_audit_rec a = { .username = "bidders", .action = "auction.bid", .object_type = "auction_round", .object_id = oid,
                       .result = "ok", .detail = detail };
    int rc = zx_audit_write(c, &a);
    free(detail);
    return rc;
}

/* 0 committed, 1 a round moved under us (reload and judge again), < 0 store error. */
static int persist(db_conn *c, snap *sn, int nl, qbid **b, int n)
{
    int any = 0;
    for (int i = 0; i < nl; i++) any += sn[i].accepted;
    if (!any) return 0;
    if (db_begin(c)) return -1;
    int rc = insert_bids(c, b, n);
    for (int i = 0; !rc && i < nl; i++) {
        if (!sn[i].accepted) continue;
        rc = advance_round(c, &sn[i]);
        if (!rc) rc = audit_bids(c, &sn[i], b, n) ? -1 : 0;
    }
    if (!rc && db_commit(c)) rc = -1;
    if (rc) db_rollback(c);
    return rc;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void answer(qbid *q)
{
    if (q->status) {
        zx_deferred_error(q->d, q->status, q->code, "%s", q->msg);
        return;
    }
    char ends[32];
    zx_au_iso(q->new_end, ends);
    zx_deferred_reply(q->d, 201, json_pack("{s:I,s:I,s:s,s:b,s:s}", "seq", (json_int_t)q->seq, "amount_fen", (json_int_t)q->amount,
                                           "ends_at", ends, "extended", q->new_end != q->prev_end, "bidder", q->alias));
}

static void process_batch(db_conn *c, qbid **b, int n)
{
    int64_t lots[MAX_BATCH];
    for (int i = 0; i < n; i++) lots[i] = b[i]->lot_id;
    qsort(lots, (size_t)n, sizeof *lots, cmp_i64);
    int nl = 0;
    for (int i = 0; i < n; i++)
        if (!nl || lots[nl - 1] != lots[i]) lots[nl++] = lots[i];
    static snap sn[MAX_BATCH];
    live *Ls[MAX_BATCH];
    int at[MAX_BATCH]; /* lot index → its snap (-1: no such lot) */
    for (int i = 0; i < nl; i++) Ls[i] = c ? zx_au_live_get(c, lots[i]) : NULL;
    int rc = -1, ns = 0;
    for (int attempt = 0; c && attempt < 3; attempt++) {
        /* 1. judge under the lots' mutexes (id order), against each lot's working copy */
        ns = 0;
        for (int i = 0; i < nl; i++) {
            at[i] = -1;
            if (!Ls[i]) continue;
            pthread_mutex_lock(&Ls[i]->mu);
            if (!Ls[i]->loaded) zx_au_live_load(c, Ls[i]);
            at[i] = ns;
            snap_take(&sn[ns++], Ls[i]);
        }
        for (int i = 0; i < n; i++) {
            int k = (int)((int64_t *)bsearch(&b[i]->lot_id, lots, (size_t)nl, sizeof *lots, cmp_i64) - lots);
            b[i]->L = at[k] >= 0 ? &sn[at[k]].w : NULL;
            judge(b[i]);
            if (b[i]->status == 0) sn[at[k]].accepted++;
        }
        for (int i = nl - 1; i >= 0; i--)
            if (Ls[i]) pthread_mutex_unlock(&Ls[i]->mu);
        /* 2. one transaction for the batch, no lock held; 3. publish */
        rc = persist(c, sn, ns, b, n);
        if (rc == 0) {
            for (int k = 0; k < ns; k++)
                if (sn[k].accepted) snap_publish(&sn[k]);
            break;
        }
        for (int k = 0; k < ns; k++) { /* another node moved a round, or the store failed: read them again */
            pthread_mutex_lock(&sn[k].real->mu);
            sn[k].real->loaded = false;
            atomic_fetch_add(&sn[k].real->version, 1);
            pthread_mutex_unlock(&sn[k].real->mu);
        }
        if (rc < 0) break;
    }
    if (rc != 0)
        for (int i = 0; i < n; i++) refuse(b[i], 503, "BUSY", "出价未能记录，请重试");
    atomic_fetch_add(&g_batches, 1);
    atomic_fetch_add(&g_batched_bids, n);
    for (int i = 0; i < n; i++) {
        answer(b[i]);
        free(b[i]);
    }
}

static void *sequencer_main(void *arg)
{
    (void)arg;
    qbid *b[MAX_BATCH];
    for (;;) {
        pthread_mutex_lock(&Q.mu);
        while (!Q.head && !Q.stop) pthread_cond_wait(&Q.cv, &Q.mu);
        if (!Q.head) {
            pthread_mutex_unlock(&Q.mu);
            break;
        }
        int n = 0;
        while (Q.head && n < MAX_BATCH) {
            b[n++] = Q.head;
            Q.head = Q.head->next;
        }
        if (!Q.head) Q.tail = &Q.head;
        Q.n -= n;
        atomic_store(&g_queue_len, Q.n);
        pthread_mutex_unlock(&Q.mu);
        db_conn *c = db_acquire(zx_g->db);
        if (!c) LOG_ERROR("auction sequencer: no store connection");
        process_batch(c, b, n);
        if (c) db_release(zx_g->db, c);
    }
    return NULL;
}

static int sequencer_start(zx_app *app)
{
    if (Q.running || !app->started_ms) return 0; /* server only */
    static bool gauges;
    if (!gauges) {
        gauges = true;
        zx_gauge_register("zx_auction_bid_batches", "Bid batches committed by the sequencer (one transaction each).", batches_gauge);
        zx_gauge_register("zx_auction_bids_sequenced", "Bids judged by the sequencer.", batched_gauge);
        zx_gauge_register("zx_auction_bid_queue", "Bids waiting for the sequencer.", queue_gauge);
    }
    Q.stop = false;
    if (pthread_create(&Q.tid, NULL, sequencer_main, NULL)) return -1;
    Q.running = true;
    return 0;
}
ZX_ON_START("61-auction-sequencer", sequencer_start)

static int sequencer_stop(zx_app *app)
{
    (void)app;
    if (!Q.running) return 0;
    pthread_mutex_lock(&Q.mu);
    Q.stop = true;
    pthread_cond_signal(&Q.cv);
    pthread_mutex_unlock(&Q.mu);
    pthread_join(Q.tid, NULL); /* the queue is emptied first */
    Q.running = false;
    return 0;
}
ZX_ON_STOP("61-auction-sequencer", sequencer_stop)
