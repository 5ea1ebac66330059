/* authz.c — roles, the in-memory court tree, and the one place that decides access to a court's
 * or a case's data (security.md §1.2 f: record-level access; ASVS 4.2.1 IDOR). */
#include "account/authz.h"
#include "account/account.h"
#include "app.h"
#include "core/log.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct { unsigned bit; const char *code; const char *label; } g_roles[] = {
    {ROLE_FILING_CLERK, "filing_clerk", "立案人员"},
    {ROLE_JUDGE, "judge", "执行法官"},
    {ROLE_ASSISTANT, "assistant", "执行员/法官助理"},
    {ROLE_CLERK, "clerk", "书记员"},
    {ROLE_FINANCE, "finance", "财务人员"},
    {ROLE_COMMAND, "command", "指挥中心"},
    {ROLE_CHIEF, "chief", "院/局领导（审批）"},
    {ROLE_SYSADMIN, "sysadmin", "系统管理员"},
    {ROLE_SECADMIN, "secadmin", "安全管理员"},
    {ROLE_AUDITOR, "auditor", "审计管理员"},
};
#define NROLES (sizeof g_roles / sizeof g_roles[0])

unsigned zx_role_from_code(const char *code)
{
    for (size_t i = 0; i < NROLES; i++)
        if (!strcmp(code, g_roles[i].code)) return g_roles[i].bit;
    return 0;
}

const char *zx_role_code(unsigned role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (role == g_roles[i].bit) return g_roles[i].code;
    return NULL;
}

const char *zx_role_label(unsigned role)
{
    for (size_t i = 0; i < NROLES; i++)
        if (role == g_roles[i].bit) return g_roles[i].label;
    return NULL;
}

/* 三员 are mutually exclusive and never combined with business roles (security.md §1.2). */
bool zx_roles_valid(unsigned roles)
{
    if (!roles || (roles & ~(ROLE_BUSINESS | ROLE_ADMINS))) return false;
    unsigned admins = roles & ROLE_ADMINS;
    if (admins && (admins & (admins - 1))) return false;
    if (admins && (roles & ROLE_BUSINESS)) return false;
    return true;
}

unsigned zx_roles_parse(const char *list)
{
    unsigned mask = 0;
    char buf[256];
    if (strlen(list) >= sizeof buf) return 0;
    strcpy(buf, list);
    for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
        unsigned b = zx_role_from_code(t);
        if (!b) return 0;
        mask |= b;
    }
    return mask;
}

json_t *zx_roles_json(unsigned roles, bool labels)
{
    json_t *a = json_array();
    for (size_t i = 0; i < NROLES; i++)
        if (roles & g_roles[i].bit) json_array_append_new(a, json_string(labels ? g_roles[i].label : g_roles[i].code));
    return a;
}

/* ---- courts: a small array replaced wholesale on reload; readers take a read lock ---- */
static pthread_rwlock_t g_court_lock = PTHREAD_RWLOCK_INITIALIZER;
static zx_court *g_courts;
static int g_ncourts;
static zx_court *g_retired[64]; /* replaced arrays, kept reachable (see zx_courts_reload) */
static int g_nretired;

int zx_courts_reload(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT id, code, name, level, parent_id FROM court ORDER BY id");
    if (!s) return -1;
    int cap = 64, n = 0;
    zx_court *arr = calloc((size_t)cap, sizeof *arr);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        if (n == cap) {
            cap *= 2;
            arr = realloc(arr, (size_t)cap * sizeof *arr);
            if (!arr) zx_die("out of memory");
        }
        zx_court *ct = &arr[n++];
        memset(ct, 0, sizeof *ct);
        ct->id = db_col_int64(s, 0);
        snprintf(ct->code, sizeof ct->code, "%s", db_col_text(s, 1));
        snprintf(ct->name, sizeof ct->name, "%s", db_col_text(s, 2));
        ct->level = (int)db_col_int64(s, 3);
        ct->parent_id = db_col_int64(s, 4);
    }
    db_finalize(s);
    if (rc < 0) {
        free(arr);
        return -1;
    }
    pthread_rwlock_wrlock(&g_court_lock);
    zx_court *old = g_courts;
    g_courts = arr;
    g_ncourts = n;
    pthread_rwlock_unlock(&g_court_lock);
    /* Old arrays may still be referenced by a caller holding a pointer from zx_court_by_*; courts
     * change only at init/admin time, so we keep them (a few KB) rather than risk a use-after-free. */
    if (old && g_nretired < 64) g_retired[g_nretired++] = old;
    return 0;
}

static int courts_start(zx_app *app)
{
    db_conn *c = db_acquire(app->db);
    int rc = zx_courts_reload(c);
    db_release(app->db, c);
    return rc;
}
ZX_ON_START("10-courts", courts_start)

const zx_court *zx_court_by_id(int64_t id)
{
    const zx_court *r = NULL;
    pthread_rwlock_rdlock(&g_court_lock);
    for (int i = 0; i < g_ncourts; i++)
        if (g_courts[i].id == id) { r = &g_courts[i]; break; }
    pthread_rwlock_unlock(&g_court_lock);
    return r;
}

const zx_court *zx_court_by_code(const char *code)
{
    const zx_court *r = NULL;
    if (!code) return NULL;
    pthread_rwlock_rdlock(&g_court_lock);
    for (int i = 0; i < g_ncourts; i++)
        if (!strcmp(g_courts[i].code, code)) { r = &g_courts[i]; break; }
    pthread_rwlock_unlock(&g_court_lock);
    return r;
}

bool zx_court_within(int64_t id, int64_t ancestor)
{
    for (int depth = 0; id && depth < 8; depth++) {
        if (id == ancestor) return true;
        const zx_court *c = zx_court_by_id(id);
        if (!c) return false;
        id = c->parent_id;
    }
    return false;
}

int zx_court_subtree(int64_t root, int64_t *out, int cap)
{
    int n = 0;
    pthread_rwlock_rdlock(&g_court_lock);
    int total = g_ncourts;
    pthread_rwlock_unlock(&g_court_lock);
    for (int i = 0; i < total; i++) {
        pthread_rwlock_rdlock(&g_court_lock);
        int64_t id = i < g_ncourts ? g_courts[i].id : 0;
        pthread_rwlock_unlock(&g_court_lock);
        if (id && zx_court_within(id, root) && n < cap) out[n++] = id;
    }
    return n;
}

bool zx_can_see_court(const zx_principal *who, int64_t court_id)
{
    if (who->kind != ZX_USER || !(who->roles & ROLE_BUSINESS)) return false;
    if (who->court_id == court_id) return true;
    if (who->roles & (ROLE_COMMAND | ROLE_CHIEF)) return zx_court_within(court_id, who->court_id);
    return false;
}

bool zx_team_has_member(db_conn *c, int64_t team_id, int64_t user_id)
{
    if (!team_id) return false;
    db_stmt *s = db_prepare(c, "SELECT 1 FROM team_member WHERE team_id = ? AND user_id = ?");
    if (!s) return false;
    db_bind_int64(s, 1, team_id);
    db_bind_int64(s, 2, user_id);
    bool yes = db_step(s) == DB_ROW;
    db_finalize(s);
    return yes;
}

bool zx_authz_case(zx_req *r, int64_t case_court_id, int64_t handler_id, int64_t team_id,
                   const char *stage, enum zx_case_access need)
{
    const zx_principal *w = &r->who;
    if (!zx_can_see_court(w, case_court_id)) {
        /* Not even its existence is revealed outside the caller's scope (ASVS 4.2.1). */
        zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或无权查看");
        return false;
    }
    if (need == ZX_CASE_READ) return true;
    if (w->court_id == case_court_id) {
        if (handler_id && handler_id == w->user_id) return true;
        if (w->roles & ROLE_CHIEF) return true;
        if ((w->roles & ROLE_FILING_CLERK) && stage && !strcmp(stage, "filing")) return true;
        /* A case nobody handles yet may be taken up (assigned) by a judge of its court. */
        if (!handler_id && (w->roles & ROLE_JUDGE)) return true;
        if (team_id && (w->roles & ROLE_CASE_WORK) && zx_team_has_member(zx_db(r), team_id, w->user_id))
            return true;
    }
    zx_reply_error(r, 403, "FORBIDDEN", "仅承办人、所在团队成员或本院审批领导可办理此案件");
    return false;
}

bool zx_require_roles(zx_req *r, unsigned roles)
{
    if (r->who.kind == ZX_USER && (r->who.roles & roles)) return true;
    zx_reply_error(r, 403, "FORBIDDEN", "当前角色无权执行此操作");
    return false;
}

void zx_court_slug(const char *code, char *out, size_t cap)
{
    /* Province abbreviations → pinyin for ASCII usernames; digits kept. */
    static const struct { const char *zh, *py; } prov[] = {
        {"最高法", "spc"}, {"辽", "liao"}, {"京", "jing"}, {"沪", "hu"}, {"浙", "zhe"}, {"粤", "yue"},
        {"苏", "su"}, {"鲁", "lu"}, {"川", "chuan"}, {"豫", "yu"}, {"冀", "ji"}, {"吉", "jl"}, {"黑", "hei"},
    };
    out[0] = 0;
    for (size_t i = 0; i < sizeof prov / sizeof prov[0]; i++) {
        size_t n = strlen(prov[i].zh);
        if (!strncmp(code, prov[i].zh, n)) {
            snprintf(out, cap, "%s%s", prov[i].py, code + n);
            return;
        }
    }
    snprintf(out, cap, "court");
}
