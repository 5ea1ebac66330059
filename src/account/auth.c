/* auth.c — who is calling: staff sessions (Bearer token or cookie + CSRF) and partner API keys.
 *
 * Sessions live in table `session` (token stored as SM3 hash only). To keep authenticated requests
 * off the database, each node caches validated sessions for SESSION_RECHECK_MS; within that window
 * a revocation made on another node is not yet seen (logout on this node is immediate). last_seen
 * is written back at most every SESSION_TOUCH_MS (1 s). Idle and absolute limits come from the config
 * (security.md §1.1: idle logout; ASVS 3.3.2: 12 h absolute). A password older than
 * password_max_age_days, a new account and a reset password set who.must_change_pw: the http layer
 * then refuses every route but the few flagged ZX_R_PENDING_OK (change password, me, logout).
 *
 * Partner keys ("zxk_" + 64 hex) are hashed with SM3 and looked up in an in-memory table loaded at
 * start and updated when keys are created or revoked — the credit-check hot path never touches the
 * store for authentication. */
#include "account/auth.h"
#include "account/account.h"
#include "account/authz.h"
#include "app.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/ids.h"
#include "core/log.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SESSION_RECHECK_MS 5000
/* last_seen is written back at most once a second per session and node, so the store's value is
 * never more than a second behind the real last use: the idle timeout is exact to the second on
 * every node (a reload from the store keeps this node's newer value). */
#define SESSION_TOUCH_MS 1000
#define SESSION_SLOTS 4096

struct sess_entry {
    bool used;
    char hash[65];
    char csrf[65];
    zx_principal who;
    int64_t created_ms, last_seen_ms, checked_ms, written_ms;
};

static pthread_mutex_t g_sess_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sess_entry g_sess[SESSION_SLOTS];

static unsigned slot_of(const char *hash)
{
    unsigned h = 0;
    for (int i = 0; i < 8; i++) h = h * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
    return h % SESSION_SLOTS;
}

void zx_session_forget(const char *hash)
{
    pthread_mutex_lock(&g_sess_lock);
    struct sess_entry *e = &g_sess[slot_of(hash)];
    if (e->used && !strcmp(e->hash, hash)) e->used = false;
    pthread_mutex_unlock(&g_sess_lock);
}

/* Load a session + its user from the store into *e. 0 ok, 1 not found/invalid. */
static int session_load(db_conn *c, const char *hash, struct sess_entry *e, int64_t max_age_ms, int64_t now)
{
    db_stmt *s = db_prepare(c,
        "SELECT s.csrf_token, s.created_ms, s.last_seen_ms, u.id, u.username, u.display_name, u.roles,"
        " u.is_demo, c.id, c.code, u.must_change_pw, u.pw_changed_ms, s.mfa_pending FROM session s JOIN app_user u ON u.id = s.user_id"
        " JOIN court c ON c.id = u.court_id"
        " WHERE s.token_hash = ? AND s.revoked = 0 AND u.disabled = 0");
    if (!s) return 1;
    db_bind_text(s, 1, hash, -1);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_finalize(s);
        return 1;
    }
    memset(e, 0, sizeof *e);
    e->used = true;
    snprintf(e->hash, sizeof e->hash, "%s", hash);
    snprintf(e->csrf, sizeof e->csrf, "%s", db_col_text(s, 0));
    e->created_ms = db_col_int64(s, 1);
    e->last_seen_ms = e->written_ms = db_col_int64(s, 2);
    e->who.kind = ZX_USER;
    e->who.user_id = db_col_int64(s, 3);
    snprintf(e->who.username, sizeof e->who.username, "%s", db_col_text(s, 4));
    snprintf(e->who.display_name, sizeof e->who.display_name, "%s", db_col_text(s, 5));
    e->who.roles = (unsigned)db_col_int64(s, 6);
    e->who.demo = db_col_int64(s, 7) != 0;
    e->who.court_id = db_col_int64(s, 8);
    snprintf(e->who.court_code, sizeof e->who.court_code, "%s", db_col_text(s, 9));
    snprintf(e->who.session_hash, sizeof e->who.session_hash, "%s", hash);
    memcpy(e->who.csrf, e->csrf, sizeof e->who.csrf);
    e->who.must_change_pw = db_col_int64(s, 10) != 0 || (max_age_ms > 0 && now - db_col_int64(s, 11) > max_age_ms);
    e->who.mfa_pending = db_col_int64(s, 12) != 0; /* second factor to enrol first (account/totp.h) */
    db_finalize(s);
    return 0;
}

static void session_revoke_db(db_conn *c, const char *hash)
{
    db_stmt *s = db_prepare(c, "UPDATE session SET revoked = 1 WHERE token_hash = ?");
    if (!s) return;
    db_bind_text(s, 1, hash, -1);
    db_step(s);
    db_finalize(s);
}

static void session_touch_db(db_conn *c, const char *hash, int64_t now)
{
    db_stmt *s = db_prepare(c, "UPDATE session SET last_seen_ms = ? WHERE token_hash = ?");
    if (!s) return;
    db_bind_int64(s, 1, now);
    db_bind_text(s, 2, hash, -1);
    db_step(s);
    db_finalize(s);
}

/* Extract the session token: Bearer (not a partner key) or the zx_session cookie. */
static const char *find_token(zx_req *r, bool *via_cookie)
{
    *via_cookie = false;
    const char *a = zx_header(r, "authorization");
    if (a && !strncasecmp(a, "Bearer ", 7)) {
        a += 7;
        while (*a == ' ') a++;
        return strncmp(a, "zxk_", 4) ? a : NULL;
    }
    const char *ck = zx_header(r, "cookie");
    if (!ck) return NULL;
    for (const char *p = ck; (p = strstr(p, "zx_session=")); p++) {
        if (p != ck && p[-1] != ' ' && p[-1] != ';') continue;
        p += strlen("zx_session=");
        size_t n = strcspn(p, "; ");
        if (n != 64) return NULL;
        char *t = zx_alloc(r, 65);
        memcpy(t, p, 64);
        t[64] = 0;
        *via_cookie = true;
        return t;
    }
    return NULL;
}

static bool is_hex64(const char *t)
{
    if (strlen(t) != 64) return false;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return false;
    return true;
}

enum zx_auth_result zx_auth_user(zx_req *r)
{
    bool cookie;
    const char *tok = find_token(r, &cookie);
    if (!tok) return ZX_AUTH_NONE;
    if (!is_hex64(tok)) return ZX_AUTH_INVALID;
    char hash[65];
    zx_token_hash(tok, hash);
    const struct zx_config *cfg = &r->app->cfg;
    int64_t now = zx_now_ms();
    int64_t idle = cfg->idle_timeout_sec > 0 ? (int64_t)cfg->idle_timeout_sec * 1000 : (int64_t)cfg->idle_timeout_min * 60000, absmax = (int64_t)cfg->session_max_hours * 3600000;

    struct sess_entry e;
    bool have = false;
    int64_t mine_seen = 0; /* this node's last use of the session, if cached */
    pthread_mutex_lock(&g_sess_lock);
    struct sess_entry *slot = &g_sess[slot_of(hash)];
    if (slot->used && !strcmp(slot->hash, hash)) {
        mine_seen = slot->last_seen_ms;
        if (now - slot->checked_ms < SESSION_RECHECK_MS) {
            e = *slot;
            have = true;
        }
    }
    pthread_mutex_unlock(&g_sess_lock);

    if (!have) {
        int64_t max_age = (int64_t)cfg->password_max_age_days * 86400000;
        if (session_load(zx_db(r), hash, &e, max_age, now)) return ZX_AUTH_INVALID;
        e.checked_ms = now;
        if (mine_seen > e.last_seen_ms) e.last_seen_ms = mine_seen; /* the store lags this node by ≤ 1 s */
    }
    if (now - e.last_seen_ms > idle || now - e.created_ms > absmax) {
        session_revoke_db(zx_db(r), hash);
        zx_session_forget(hash);
        return ZX_AUTH_INVALID;
    }
    if (cookie && strcmp(r->method, "GET") && strcmp(r->method, "HEAD")) {
        const char *csrf = zx_header(r, "x-csrf-token");
        if (!csrf || strlen(csrf) != 64 || !zx_ct_equal(csrf, e.csrf, 64)) return ZX_AUTH_CSRF;
    }
    e.last_seen_ms = now;
    if (now - e.written_ms > SESSION_TOUCH_MS) {
        session_touch_db(zx_db(r), hash, now);
        e.written_ms = now;
    }
    pthread_mutex_lock(&g_sess_lock);
    *slot = e;
    pthread_mutex_unlock(&g_sess_lock);
    r->who = e.who;
    return ZX_AUTH_OK;
}

/* ---- partner keys ---- */
struct pkey {
    char hash[65];
    int64_t partner_id;
    char name[96];
    char scopes[256];
};
static pthread_rwlock_t g_pk_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct pkey *g_pk;
static int g_npk;

int zx_partner_cache_reload(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT k.key_hash, p.id, p.name, k.scopes FROM api_key k"
                               " JOIN partner p ON p.id = k.partner_id"
                               " WHERE k.revoked = 0 AND p.disabled = 0 ORDER BY k.key_hash");
    if (!s) return -1;
    int cap = 16, n = 0;
    struct pkey *arr = calloc((size_t)cap, sizeof *arr);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap *= 2;
            arr = realloc(arr, (size_t)cap * sizeof *arr);
            if (!arr) zx_die("out of memory");
        }
        snprintf(arr[n].hash, sizeof arr[n].hash, "%s", db_col_text(s, 0));
        arr[n].partner_id = db_col_int64(s, 1);
        snprintf(arr[n].name, sizeof arr[n].name, "%s", db_col_text(s, 2));
        snprintf(arr[n].scopes, sizeof arr[n].scopes, "%s", db_col_text(s, 3));
        n++;
    }
    db_finalize(s);
    if (rc < 0) {
        free(arr);
        return -1;
    }
    pthread_rwlock_wrlock(&g_pk_lock);
    struct pkey *old = g_pk;
    g_pk = arr;
    g_npk = n;
    pthread_rwlock_unlock(&g_pk_lock);
    free(old); /* readers copy out under the read lock, so nobody holds a pointer into old */
    return 0;
}

static int partners_start(zx_app *app)
{
    db_conn *c = db_acquire(app->db);
    int rc = zx_partner_cache_reload(c);
    db_release(app->db, c);
    return rc;
}
ZX_ON_START("11-partners", partners_start)

static enum zx_auth_result partner_lookup(zx_req *r, const char *hash)
{
    enum zx_auth_result res = ZX_AUTH_INVALID;
    pthread_rwlock_rdlock(&g_pk_lock);
    int lo = 0, hi = g_npk - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, cmp = strcmp(g_pk[mid].hash, hash);
        if (!cmp) {
            r->who.kind = ZX_PARTNER;
            r->who.partner_id = g_pk[mid].partner_id;
            memcpy(r->who.partner_name, g_pk[mid].name, sizeof r->who.partner_name);
            memcpy(r->who.scopes, g_pk[mid].scopes, sizeof r->who.scopes);
            res = ZX_AUTH_OK;
            break;
        }
        if (cmp < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    pthread_rwlock_unlock(&g_pk_lock);
    return res;
}

/* Keys created elsewhere (CLI, another node) are picked up by reloading the table on a miss —
 * at most once a second, so unknown keys cannot turn into a query per request. */
static _Atomic int64_t g_pk_reload_ms;

enum zx_auth_result zx_auth_partner(zx_req *r)
{
    const char *a = zx_header(r, "authorization");
    if (!a || strncasecmp(a, "Bearer ", 7)) return ZX_AUTH_NONE;
    a += 7;
    while (*a == ' ') a++;
    if (strncmp(a, "zxk_", 4) || !is_hex64(a + 4)) return ZX_AUTH_INVALID;
    char hash[65];
    zx_token_hash(a, hash);
    enum zx_auth_result res = partner_lookup(r, hash);
    if (res == ZX_AUTH_OK) return res;
    int64_t now = zx_now_ms(), last = g_pk_reload_ms;
    if (now - last >= 1000 && __atomic_compare_exchange_n(&g_pk_reload_ms, &last, now, false, __ATOMIC_SEQ_CST,
                                                          __ATOMIC_SEQ_CST)) {
        if (zx_partner_cache_reload(zx_db(r)) == 0) res = partner_lookup(r, hash);
    }
    return res;
}

bool zx_partner_has_scope(const zx_principal *who, const char *scope)
{
    if (who->kind != ZX_PARTNER) return false;
    size_t n = strlen(scope);
    for (const char *p = who->scopes; (p = strstr(p, scope)); p += n)
        if ((p == who->scopes || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return true;
    return false;
}

static bool scopes_valid(const char *scopes)
{
    static const char *known[] = {"credit:check", "credit:feed", "credit:report", "credit:bulk", "funds:notify",
                                  "auction:results", /* outside auction platforms push results (api/auction_platform.c) */
                                  "inquiry:answer",  /* institutions' asynchronous answers (api/inquiry_answers.c) */
                                  NULL};
    char buf[256];
    if (!*scopes || strlen(scopes) >= sizeof buf) return false;
    strcpy(buf, scopes);
    for (char *sv = NULL, *t = strtok_r(buf, " ,", &sv); t; t = strtok_r(NULL, " ,", &sv)) {
        bool ok = false;
        for (int i = 0; known[i]; i++) ok |= !strcmp(t, known[i]);
        if (!ok) return false;
    }
    return true;
}

int zx_partner_key_rotate(db_conn *c, int64_t *partner, const char *name, const char *kind, const char *scope,
                          char key_out[80])
{
    char tok[65], hash[65], prefix[13];
    zx_token_new(tok);
    snprintf(key_out, 80, "zxk_%s", tok);
    zx_wipe(tok, sizeof tok);
    zx_token_hash(key_out, hash);
    memcpy(prefix, key_out, 12);
    prefix[12] = 0;
    int64_t now = zx_now_ms();
    int rc = 0;
    db_stmt *s;
    if (!*partner) {
        *partner = zx_id_new();
        if (!(s = db_prepare(c, "INSERT INTO partner (id, name, kind, created_ms) VALUES (?, ?, ?, ?)"))) return -1;
        db_bind_int64(s, 1, *partner);
        db_bind_text(s, 2, name, -1);
        db_bind_text(s, 3, kind, -1);
        db_bind_int64(s, 4, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    s = rc ? NULL : db_prepare(c, "UPDATE api_key SET revoked = 1 WHERE partner_id = ? AND revoked = 0");
    if (!s) return -1;
    db_bind_int64(s, 1, *partner);
    rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    s = rc ? NULL : db_prepare(c, "INSERT INTO api_key (key_hash, key_prefix, partner_id, scopes, created_ms) VALUES (?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_text(s, 1, hash, -1);
    db_bind_text(s, 2, prefix, -1);
    db_bind_int64(s, 3, *partner);
    db_bind_text(s, 4, scope, -1);
    db_bind_int64(s, 5, now);
    rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc) return -1;
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)*partner);
    json_t *dj = json_pack("{s:s,s:s,s:s}", "partner", name, "scopes", scope, "prefix", prefix);
    char *dt = dj ? json_dumps(dj, JSON_COMPACT) : NULL;
    json_decref(dj);
    zx_audit_rec rec = { .username = "system", .action = "partner.key_issued", .object_type = "partner", .object_id = oid,
                         .result = "ok", .detail = dt };
    rc = zx_audit_write(c, &rec);
    free(dt);
    return rc ? -1 : 0;
}

int64_t zx_partner_create(db_t *db, const char *name, const char *kind, const char *scopes,
                          const char *actor, char key_out[80])
{
    if (!name || !*name || !scopes_valid(scopes)) return -2;
    char norm[256] = "";
    {
        char buf[256];
        strcpy(buf, scopes);
        for (char *sv = NULL, *t = strtok_r(buf, " ,", &sv); t; t = strtok_r(NULL, " ,", &sv)) {
            if (*norm) strcat(norm, " ");
            strcat(norm, t);
        }
    }
    char tok[65], hash[65];
    zx_token_new(tok);
    snprintf(key_out, 80, "zxk_%s", tok);
    zx_token_hash(key_out, hash);
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_conn *c = db_acquire(db);
    int rc = db_begin(c);
    db_stmt *s = rc ? NULL : db_prepare(c, "INSERT INTO partner (id, name, kind, created_ms) VALUES (?, ?, ?, ?)");
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, name, -1);
        db_bind_text(s, 3, kind && *kind ? kind : "other", -1);
        db_bind_int64(s, 4, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    } else rc = -1;
    if (!rc && (s = db_prepare(c, "INSERT INTO api_key (key_hash, key_prefix, partner_id, scopes, created_ms)"
                                  " VALUES (?, ?, ?, ?, ?)"))) {
        char prefix[13];
        memcpy(prefix, key_out, 12);
        prefix[12] = 0;
        db_bind_text(s, 1, hash, -1);
        db_bind_text(s, 2, prefix, -1);
        db_bind_int64(s, 3, id);
        db_bind_text(s, 4, norm, -1);
        db_bind_int64(s, 5, now);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    if (!rc) {
        char idtxt[24], detail[400];
        snprintf(idtxt, sizeof idtxt, "%lld", (long long)id);
        json_t *d = json_pack("{s:s,s:s}", "name", name, "scopes", norm);
        char *dj = json_dumps(d, JSON_COMPACT);
        snprintf(detail, sizeof detail, "%s", dj ? dj : "{}");
        free(dj);
        json_decref(d);
        zx_audit_rec rec = {.username = actor ? actor : "system", .action = "partner.create",
                            .object_type = "partner", .object_id = idtxt, .result = "ok", .detail = detail};
        rc = zx_audit_write(c, &rec);
    }
    if (!rc) rc = db_commit(c);
    else db_rollback(c);
    if (!rc) zx_partner_cache_reload(c);
    db_release(db, c);
    zx_wipe(tok, sizeof tok);
    return rc ? -1 : id;
}
