/* querylog.c — append-only, batched partner query audit (see querylog.h).
 *
 * Thread buffers: a per-thread struct registered once in a global list. The owner locks its buffer
 * for the duration of one request (uncontended unless the flusher is swapping at that instant), and
 * appends segment headers (partner, endpoint, ms, list_version) and 16-byte entries. The flusher
 * swaps each buffer with an empty one, then packs entries into partner_query_log rows: records =
 * 12-byte little-endian {u64 digest, u16 ms offset from the row's at_ms, u8 category bit (0xff =
 * none), u8 decision}; a row never spans more than 60 s so the offset fits. */
#include "credit/querylog.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/pii.h"
#include "core/pii_hash.h"
#include "credit/entry.h"
#include "core/ids.h"
#include "core/log.h"
#include "http/metrics.h"

struct qent {
    uint64_t digest;
    uint32_t seg;           /* segment index */
    uint8_t cat;
    uint8_t decision;
};
struct qseg {
    int64_t partner_id;
    int64_t at_ms;
    int64_t version;
    int endpoint;
};
struct qarr {
    struct qent *e;
    size_t n, cap;
    struct qseg *s;
    size_t ns, caps;
};
struct zx_qlog_buf {
    pthread_mutex_t mu;
    struct qarr a;
    struct qarr spare; /* emptied arrays from the last flush, swapped in at the next (under mu) */
    struct zx_qlog_buf *next;
};

static struct zx_qlog_buf *g_bufs;
static pthread_mutex_t g_bufs_mu = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct zx_qlog_buf *t_buf;
static pthread_mutex_t flush_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t g_k0 = 0x736f6d6570736575ULL, g_k1 = 0x646f72616e646f6dULL; /* replaced by the secret */
static zx_counter *c_logged;

/* ---- SipHash-2-4 of one 64-bit word -------------------------------------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                          \
    do {                                                                                                  \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                                         \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                                            \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                                            \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                                         \
    } while (0)

uint64_t zx_qlog_digest(uint64_t m)
{
    uint64_t v0 = 0x736f6d6570736575ULL ^ g_k0, v1 = 0x646f72616e646f6dULL ^ g_k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ g_k0, v3 = 0x7465646279746573ULL ^ g_k1;
    v3 ^= m;
    SIPROUND;
    SIPROUND;
    v0 ^= m;
    uint64_t b = (uint64_t)8 << 56;
    v3 ^= b;
    SIPROUND;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

int zx_qlog_init(db_conn *c)
{
    uint8_t rnd[16];
    char hex[33];
    zx_random(rnd, sizeof rnd);
    zx_hex(rnd, sizeof rnd, hex);
    db_stmt *s = db_prepare(c, "INSERT INTO setting (key, value) VALUES ('credit.querylog_key', ?) "
                               "ON CONFLICT (key) DO NOTHING");
    if (!s) return DB_ERROR;
    db_bind_text(s, 1, hex, 32);
    int rc = db_step(s);
    db_finalize(s);
    if (rc < 0) return rc;
    s = db_prepare(c, "SELECT value FROM setting WHERE key = 'credit.querylog_key'");
    if (!s) return DB_ERROR;
    rc = db_step(s);
    uint8_t key[16];
    int ok = rc == DB_ROW && db_col_text(s, 0) && zx_unhex(db_col_text(s, 0), key, sizeof key) == 16;
    db_finalize(s);
    if (!ok) return DB_ERROR;
    memcpy(&g_k0, key, 8);
    memcpy(&g_k1, key + 8, 8);
    zx_wipe(key, sizeof key);
    return 0;
}

/* ---- hot path ------------------------------------------------------------------------------------- */

static struct zx_qlog_buf *my_buf(void)
{
    if (t_buf) return t_buf;
    struct zx_qlog_buf *b = calloc(1, sizeof *b);
    if (!b) zx_die("out of memory");
    pthread_mutex_init(&b->mu, NULL);
    pthread_mutex_lock(&g_bufs_mu);
    b->next = g_bufs;
    g_bufs = b;
    pthread_mutex_unlock(&g_bufs_mu);
    return t_buf = b;
}

zx_qlog_buf *zx_qlog_begin(int64_t partner_id, enum zx_qlog_endpoint ep, int64_t list_version)
{
    struct zx_qlog_buf *b = my_buf();
    pthread_mutex_lock(&b->mu);
    struct qarr *a = &b->a;
    if (a->ns == a->caps) {
        a->caps = a->caps ? a->caps * 2 : 256;
        a->s = realloc(a->s, a->caps * sizeof *a->s);
        if (!a->s) zx_die("out of memory");
    }
    a->s[a->ns++] = (struct qseg){ partner_id, zx_now_ms(), list_version, (int)ep };
    return b;
}

void zx_qlog_add(zx_qlog_buf *b, uint64_t key, int cat, enum zx_qlog_decision d)
{
    struct qarr *a = &b->a;
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 4096;
        a->e = realloc(a->e, a->cap * sizeof *a->e);
        if (!a->e) zx_die("out of memory");
    }
    a->e[a->n++] = (struct qent){ key ? zx_qlog_digest(key) : 0, (uint32_t)(a->ns - 1),
                                  (uint8_t)(cat < 0 ? 0xff : cat), (uint8_t)d };
}

void zx_qlog_end(zx_qlog_buf *b)
{
    pthread_mutex_unlock(&b->mu);
}

int64_t zx_qlog_pending(void)
{
    int64_t n = 0;
    pthread_mutex_lock(&g_bufs_mu);
    for (struct zx_qlog_buf *b = g_bufs; b; b = b->next) {
        pthread_mutex_lock(&b->mu);
        n += (int64_t)b->a.n;
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_unlock(&g_bufs_mu);
    return n;
}

/* ---- flusher -------------------------------------------------------------------------------------- */

static const char *const ep_names[] = { "check", "check-batch", "check-stream" };

struct row {
    int64_t partner_id;
    int endpoint;
    int64_t at_ms, until_ms, version;
    int64_t n, blocked, invalid;
    uint8_t *rec;
    size_t len, cap;
};
static struct row *g_retry; /* under flush_mu */
static size_t g_nretry, g_capretry;

static int write_row(db_conn *c, const struct row *r)
{
    db_stmt *s = db_prepare(c, "INSERT INTO partner_query_log (id, partner_id, at_ms, until_ms, endpoint, n_queries, "
                               "n_blocked, n_invalid, list_version, records) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, r->partner_id);
    db_bind_int64(s, 3, r->at_ms);
    db_bind_int64(s, 4, r->until_ms);
    db_bind_text(s, 5, ep_names[r->endpoint], -1);
    db_bind_int64(s, 6, r->n);
    db_bind_int64(s, 7, r->blocked);
    db_bind_int64(s, 8, r->invalid);
    db_bind_int64(s, 9, r->version);
    db_bind_blob(s, 10, r->rec, r->len);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERROR);
}

static void put_rec(struct row *r, uint64_t digest, int64_t at, uint8_t cat, uint8_t dec)
{
    if (r->len + 12 > r->cap) {
        r->cap = r->cap ? r->cap * 2 : 12 * 1024;
        r->rec = realloc(r->rec, r->cap);
        if (!r->rec) zx_die("out of memory");
    }
    uint8_t *p = r->rec + r->len;
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &digest, 8); /* the record is little-endian */
#else
    for (int i = 0; i < 8; i++) p[i] = (uint8_t)(digest >> (8 * i));
#endif
    int64_t off = at - r->at_ms;
    uint16_t o = (uint16_t)(off < 0 ? 0 : off > 65535 ? 65535 : off);
    p[8] = (uint8_t)o;
    p[9] = (uint8_t)(o >> 8);
    p[10] = cat;
    p[11] = dec;
    r->len += 12;
    r->n++;
    if (dec == 1) r->blocked++;
    if (dec == 2) r->invalid++;
}

/* Memory kept between flushes (under flush_mu): at millions of IDs a second, freeing the buffers
 * each second made the request threads regrow theirs from 4,096 entries and the flusher fault in
 * fresh pages for every row — a tenth of the flusher's CPU was page clearing. */
#define QLOG_KEEP_ENTRIES ((size_t)4 << 20) /* per thread buffer: 64 MiB */
#define QLOG_KEEP_SEGS ((size_t)1 << 20)
#define REC_POOL 4
#define REC_KEEP ((size_t)64 << 20)
static uint8_t *g_rec_pool[REC_POOL];
static size_t g_rec_pool_cap[REC_POOL];

static uint8_t *rec_take(size_t *cap)
{
    for (int i = 0; i < REC_POOL; i++)
        if (g_rec_pool[i]) {
            uint8_t *p = g_rec_pool[i];
            *cap = g_rec_pool_cap[i];
            g_rec_pool[i] = NULL;
            return p;
        }
    *cap = 0;
    return NULL;
}

static void rec_give(uint8_t *p, size_t cap)
{
    if (!p) return;
    if (cap <= REC_KEEP)
        for (int i = 0; i < REC_POOL; i++)
            if (!g_rec_pool[i]) {
                g_rec_pool[i] = p;
                g_rec_pool_cap[i] = cap;
                return;
            }
    free(p);
}

/* The emptied arrays go back to the thread they came from, to be swapped in at the next flush. */
static void give_back(struct zx_qlog_buf *b, struct qarr *a)
{
    pthread_mutex_lock(&b->mu);
    if (!b->spare.e && !b->spare.s && a->cap <= QLOG_KEEP_ENTRIES && a->caps <= QLOG_KEEP_SEGS) {
        b->spare = (struct qarr){ .e = a->e, .cap = a->cap, .s = a->s, .caps = a->caps };
        a->e = NULL;
        a->s = NULL;
    }
    pthread_mutex_unlock(&b->mu);
    free(a->e);
    free(a->s);
}

int zx_qlog_flush(db_t *db)
{
    pthread_mutex_lock(&flush_mu);
    /* Swap every thread's buffer for an empty one. */
    struct qarr *taken = NULL;
    struct zx_qlog_buf **owners = NULL;
    size_t ntaken = 0, captaken = 0;
    pthread_mutex_lock(&g_bufs_mu);
    for (struct zx_qlog_buf *b = g_bufs; b; b = b->next) {
        pthread_mutex_lock(&b->mu);
        if (b->a.n || b->a.ns) {
            if (ntaken == captaken) {
                captaken = captaken ? captaken * 2 : 8;
                taken = realloc(taken, captaken * sizeof *taken);
                owners = realloc(owners, captaken * sizeof *owners);
                if (!taken || !owners) zx_die("out of memory");
            }
            owners[ntaken] = b;
            taken[ntaken++] = b->a;
            b->a = b->spare; /* empty (n = ns = 0), or all zero */
            memset(&b->spare, 0, sizeof b->spare);
        }
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_unlock(&g_bufs_mu);

    /* Group into rows by (partner, endpoint); a row covers at most 60 s and 1M queries. Rows a
     * failed flush left behind go first (nothing recorded is dropped). */
    struct row *rows = g_retry;
    size_t nrows = g_nretry, caprows = g_capretry, retried = g_nretry;
    g_retry = NULL;
    g_nretry = g_capretry = 0;
    int64_t total = 0;
    struct row *last = NULL;
    for (size_t t = 0; t < ntaken; t++) {
        struct qarr *a = &taken[t];
        for (size_t i = 0; i < a->n; i++) {
            const struct qent *e = &a->e[i];
            const struct qseg *sg = &a->s[e->seg];
            struct row *r = NULL;
            if (last && last->partner_id == sg->partner_id && last->endpoint == sg->endpoint &&
                sg->at_ms >= last->at_ms && sg->at_ms - last->at_ms < 60000 && last->n < 1000000)
                r = last; /* the entries of one request, and mostly of one partner, come in a run */
            else for (size_t k = nrows; k-- > retried;) {
                struct row *x = &rows[k];
                if (x->partner_id == sg->partner_id && x->endpoint == sg->endpoint && sg->at_ms >= x->at_ms &&
                    sg->at_ms - x->at_ms < 60000 && x->n < 1000000) {
                    r = x;
                    break;
                }
            }
            if (!r) {
                if (nrows == caprows) {
                    caprows = caprows ? caprows * 2 : 16;
                    rows = realloc(rows, caprows * sizeof *rows);
                    if (!rows) zx_die("out of memory");
                }
                r = &rows[nrows++];
                memset(r, 0, sizeof *r);
                r->rec = rec_take(&r->cap);
                r->partner_id = sg->partner_id;
                r->endpoint = sg->endpoint;
                r->at_ms = sg->at_ms;
            }
            if (sg->at_ms > r->until_ms) r->until_ms = sg->at_ms;
            if (sg->version > r->version) r->version = sg->version;
            put_rec(r, e->digest, sg->at_ms, e->cat, e->decision);
            last = r;
        }
        total += (int64_t)a->n;
        give_back(owners[t], a);
    }
    free(taken);
    free(owners);
    int rc = 0;
    if (nrows) {
        db_conn *c = db_acquire(db);
        rc = db_begin(c);
        for (size_t k = 0; rc == 0 && k < nrows; k++) rc = write_row(c, &rows[k]);
        if (rc == 0) rc = db_commit(c);
        else {
            LOG_ERROR("credit querylog: write failed: %s", db_errmsg(c));
            db_rollback(c);
        }
        db_release(db, c);
    }
    if (rc != 0) { /* keep for the next flush */
        g_retry = rows;
        g_nretry = nrows;
        g_capretry = caprows;
        pthread_mutex_unlock(&flush_mu);
        return rc;
    }
    for (size_t k = 0; k < nrows; k++) rec_give(rows[k].rec, rows[k].cap);
    free(rows);
    if (rc == 0 && c_logged) zx_counter_add(c_logged, total);
    pthread_mutex_unlock(&flush_mu);
    return rc == 0 ? (int)nrows : rc;
}

/* Records of any of the digests d[0..nd) in [from_ms, to_ms] by partner (0 = any). */
static int64_t search_digests(db_conn *c, int64_t partner_id, const uint64_t *d, int nd, int64_t from_ms, int64_t to_ms)
{
    db_stmt *s = db_prepare(c, "SELECT records, at_ms FROM partner_query_log WHERE (? = 0 OR partner_id = ?) "
                               "AND until_ms >= ? AND at_ms <= ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, partner_id);
    db_bind_int64(s, 2, partner_id);
    db_bind_int64(s, 3, from_ms);
    db_bind_int64(s, 4, to_ms);
    int64_t hits = 0;
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        size_t len = 0;
        const uint8_t *p = db_col_blob(s, 0, &len);
        int64_t at = db_col_int64(s, 1);
        for (size_t o = 0; p && o + 12 <= len; o += 12) {
            uint64_t x = 0;
            for (int i = 0; i < 8; i++) x |= (uint64_t)p[o + i] << (8 * i);
            int64_t t = at + (p[o + 8] | (p[o + 9] << 8));
            if (t < from_ms - 65535 || t > to_ms) continue;
            for (int k = 0; k < nd; k++)
                if (x == d[k]) {
                    hits++;
                    break;
                }
        }
    }
    db_finalize(s);
    return rc < 0 ? rc : hits;
}

int64_t zx_qlog_search(db_conn *c, int64_t partner_id, uint64_t key, int64_t from_ms, int64_t to_ms)
{
    uint64_t d = zx_qlog_digest(key);
    return search_digests(c, partner_id, &d, 1, from_ms, to_ms);
}

int zx_qlog_id_forms(const char id18[18], int kind, uint64_t out[ZX_QLOG_FORMS])
{
    if (kind != ZX_IDK_PERSON && kind != ZX_IDK_UNIT) return 0;
    int n = 0;
    out[n++] = zx_credit_id_key(id18, (enum zx_id_kind)kind).key; /* this build: AES-128 of the packed ID */
    uint64_t h[2];                                                 /* session 3 (sec10d): SipHash-2-4-128 */
    zx_siphash24(zx_pii_snapshot_key(), id18, 18, 1, h);
    out[n++] = h[0] ? h[0] : 1;
    /* session 2: the first 8 bytes of the blind index under the index key of its time — the stable
     * key (core/pii.h: the index key of before the first online rotation), so these rows stay
     * searchable after `pii rotate --index` */
    char v[19];
    uint8_t raw[32];
    memcpy(v, id18, 18);
    v[18] = 0;
    if (zx_pii_stable_index_raw(ZX_PII_ID_NUMBER, v, raw)) {
        uint64_t k = 0;
        for (int i = 0; i < 8; i++) k = k << 8 | raw[i];
        out[n++] = k ? k : 1;
    }
    zx_wipe(raw, sizeof raw);
    if (kind == ZX_IDK_PERSON) { /* before sealing (c6852a0): the 17 digits as a number */
        uint64_t k = 0;
        for (int i = 0; i < 17; i++) k = k * 10 + (uint64_t)(id18[i] - '0');
        out[n++] = k;
    } else { /* … a unit's FNV-1a over the 18 characters, murmur3 fmix64, top bit set */
        uint64_t k = 1469598103934665603ULL;
        for (int i = 0; i < 18; i++) {
            k ^= (uint8_t)id18[i];
            k *= 1099511628211ULL;
        }
        k ^= k >> 33;
        k *= 0xff51afd7ed558ccdULL;
        k ^= k >> 33;
        k *= 0xc4ceb9fe1a85ec53ULL;
        k ^= k >> 33;
        out[n++] = k | (1ULL << 63);
    }
    zx_wipe(v, sizeof v);
    return n;
}

int64_t zx_qlog_search_id(db_conn *c, int64_t partner_id, const char id18[18], int kind, int64_t from_ms, int64_t to_ms)
{
    uint64_t f[ZX_QLOG_FORMS], d[ZX_QLOG_FORMS];
    int n = zx_qlog_id_forms(id18, kind, f);
    for (int i = 0; i < n; i++) d[i] = zx_qlog_digest(f[i]);
    return search_digests(c, partner_id, d, n, from_ms, to_ms);
}

/* `zhixing credit query-log --id X [--partner P] [--from MS] [--to MS]`: how often partners queried
 * an ID number (an audit question: "did partner P check this person around that time?"). */
static int cmd_qlog(int argc, char **argv)
{
    const char *id = zx_opt(argc, argv, "--id"), *pa = zx_opt(argc, argv, "--partner");
    const char *from = zx_opt(argc, argv, "--from"), *to = zx_opt(argc, argv, "--to");
    if (!id) {
        fprintf(stderr, "zhixing: --id is required\n");
        return 2;
    }
    char norm[19];
    enum zx_id_kind k = zx_credit_id_normalise(id, strlen(id), zx_today(), norm);
    if (k == ZX_IDK_INVALID) {
        fprintf(stderr, "zhixing: not a valid ID number or 统一社会信用代码\n");
        return 2;
    }
    db_conn *c;
    zx_app *app = zx_cli_open_conn(argc, argv, &c);
    if (!app) return 1;
    int64_t n = zx_qlog_init(c);
    if (n == 0)
        n = zx_qlog_search_id(c, pa ? strtoll(pa, NULL, 10) : 0, norm, k, from ? strtoll(from, NULL, 10) : 0,
                              to ? strtoll(to, NULL, 10) : INT64_MAX);
    zx_cli_done(app, c, 0);
    zx_wipe(norm, sizeof norm);
    if (n < 0) {
        fprintf(stderr, "zhixing: the query log cannot be read\n");
        return 1;
    }
    printf("%lld queries recorded\n", (long long)n);
    return 0;
}
static const struct zx_command qlog_cmd = {
    "credit query-log", cmd_qlog, "--db URL --id ID [--partner ID] [--from MS] [--to MS]",
    "查询合作方查询日志：某一证件号在给定时间段内被（某一）合作方查询的次数（日志中只存证件号的密钥摘要，"
    "各版本的摘要形式均可查）。"};
ZX_COMMAND(qlog_cmd)

/* ---- background thread ---------------------------------------------------------------------------- */

static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static bool bg_stopping, bg_started;
static pthread_t bg_thread;

static void *flush_thread(void *arg)
{
    zx_app *app = arg;
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_mutex_lock(&bg_mu);
        while (!bg_stopping)
            if (pthread_cond_timedwait(&bg_cv, &bg_mu, &ts) != 0) break;
        bool stop = bg_stopping;
        pthread_mutex_unlock(&bg_mu);
        if (stop) break;
        if (zx_qlog_flush(app->db) < 0) LOG_WARN("credit querylog: flush failed; will retry");
    }
    return NULL;
}

/* Server shutdown: stop the thread, then write what is still buffered (nothing recorded is lost). */
static int qlog_stop(zx_app *app)
{
    if (!bg_started) return 0;
    pthread_mutex_lock(&bg_mu);
    bg_stopping = true;
    pthread_cond_broadcast(&bg_cv);
    pthread_mutex_unlock(&bg_mu);
    pthread_join(bg_thread, NULL);
    bg_started = false;
    if (zx_qlog_flush(app->db) < 0) LOG_ERROR("credit querylog: final flush failed");
    return 0;
}
ZX_ON_STOP("credit querylog", qlog_stop)

static int64_t g_pending_gauge(void) { return zx_qlog_pending(); }

static int qlog_start(zx_app *app)
{
    if (!app->started_ms) return 0; /* server only (see snapshot.c) */
    c_logged = zx_counter_get("zx_credit_querylog_written_total", "partner queries written to partner_query_log");
    zx_gauge_register("zx_credit_querylog_pending", "partner queries buffered, not yet written", g_pending_gauge);
    db_conn *c = db_acquire(app->db);
    int rc = zx_qlog_init(c);
    db_release(app->db, c);
    if (rc != 0) return -1;
    if (pthread_create(&bg_thread, NULL, flush_thread, app) != 0) return -1;
    bg_started = true;
    return 0;
}
ZX_ON_START("credit querylog", qlog_start)
