/* import.c — bank statement import (对账单导入): `zhixing funds import --db URL FILE [--bank NO]` and
 * the finance page's upload (POST /api/v1/funds/imports, src/api/funds_import.c).
 *
 * File: UTF-8 CSV (RFC 4180 quoting), first line the header, exactly
 *     bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark
 *   bank_ref       the bank's transaction reference (unique per 专户; a line seen before is skipped,
 *                  never posted twice; the same reference with another amount is an error)
 *   booked_on      YYYY-MM-DD value date
 *   amount         yuan with up to two decimals ("1234.56"), > 0 (credits only)
 *   payer_name, payer_account   the payer (account sealed through core/pii)
 *   account_no     the virtual case account number the payer wrote (may be empty)
 *   remark         the payer's remark (a 案号 here is matched)
 * A line whose bank_ref is `closing_balance` records the bank's closing balance of the 专户 on
 * booked_on (amount may be 0), used by reconciliation.
 * All or nothing: every line is checked first (errors name the line: "第N行…", exit 1); then all
 * lines are posted in ONE transaction (a kill -9 midway leaves nothing; running it again is safe).
 *
 * Posting is batched (a 1,000,000-line statement in well under a minute, bench/40-funds.sh):
 *   - matching works on in-memory maps built once per import, lazily: the court's case accounts by
 *     virtual number, its cases by 案号, the debtors of its open cases by name (a name owned by two
 *     open cases matches neither) — the same order and rules as zx_funds_arrival (arrivals.c);
 *   - each line gets its fund_arrival row (INSERT … ON CONFLICT (court_id, bank_ref) DO NOTHING RETURNING id
 *     is the idempotency check: a line seen before is skipped, a different amount is an error) and queues
 *     its transfer; on PostgreSQL the rows go 256 to a multi-row INSERT (one round trip per 256 lines,
 *     flush_arrivals), on SQLite one row a statement; every 8,190 lines the queued transfers go through zx_ledger_create_transfers in one
 *     call (the 专户 and the case accounts locked and written once per batch);
 *   - per case, once per import: recovered_fen, one case event `funds_arrival` (count, total, the
 *     arrival ids) and one 案款到账 notice to the applicants — inside the same transaction;
 *   - one audit record `funds.import` and the fund_import row with the summary.
 * Prepared statements are reused (db_prepare caches by SQL text). Progress: a callback per ~1%. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "audit/audit.h"
#include "case/case.h"
#include "funds/funds.h"
#include "funds/import.h"

#define NCOL 7
static const char *cols[NCOL] = { "bank_ref", "booked_on", "amount", "payer_name", "payer_account", "account_no", "remark" };

/* Split one CSV record starting at p (end e) into fields (unquoted copies in buf). Returns the
 * position after the record's line end, or NULL on a quoting error. */
static const char *csv_record(const char *p, const char *e, char *buf, size_t cap, char *f[], int maxf, int *nf)
{
    size_t o = 0;
    int n = 0;
    f[n++] = buf;
    bool q = false;
    while (p < e) {
        char ch = *p;
        if (q) {
            if (ch == '"') {
                if (p + 1 < e && p[1] == '"') {
                    if (o + 1 < cap) buf[o++] = '"';
                    p += 2;
                    continue;
                }
                q = false;
                p++;
                continue;
            }
            if (o + 1 < cap) buf[o++] = ch;
            p++;
            continue;
        }
        if (ch == '"') {
            q = true;
            p++;
            continue;
        }
        if (ch == ',') {
            if (o + 1 < cap) buf[o++] = 0;
            if (n < maxf) f[n++] = buf + o;
            else n++;
            p++;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            if (ch == '\r' && p + 1 < e && p[1] == '\n') p++;
            p++;
            break;
        }
        if (o + 1 < cap) buf[o++] = ch;
        p++;
    }
    if (q) return NULL;
    buf[o < cap ? o : cap - 1] = 0;
    *nf = n;
    return p;
}


#define BATCH 8190

typedef struct line {
    long lineno;
    const char *start; /* record start in the data */
} line;

/* ---- small maps built once per import ---- */
typedef struct smap { /* string → int64 (open addressing; keys owned) */
    char **k;
    int64_t *v;
    size_t cap, n;
} smap;

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int smap_grow(smap *m)
{
    size_t nc = m->cap ? m->cap * 2 : 1024;
    char **nk = calloc(nc, sizeof *nk);
    int64_t *nv = calloc(nc, sizeof *nv);
    if (!nk || !nv) {
        free(nk);
        free(nv);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->k[i]) continue;
        size_t j = str_hash(m->k[i]) & (nc - 1);
        while (nk[j]) j = (j + 1) & (nc - 1);
        nk[j] = m->k[i];
        nv[j] = m->v[i];
    }
    free(m->k);
    free(m->v);
    m->k = nk;
    m->v = nv;
    m->cap = nc;
    return 0;
}

/* Slot of key (existing or the empty one where it goes). */
static size_t smap_slot(const smap *m, const char *key)
{
    size_t j = str_hash(key) & (m->cap - 1);
    while (m->k[j] && strcmp(m->k[j], key)) j = (j + 1) & (m->cap - 1);
    return j;
}

static bool smap_get(const smap *m, const char *key, int64_t *v)
{
    if (!m->cap) return false;
    size_t j = smap_slot(m, key);
    if (!m->k[j]) return false;
    *v = m->v[j];
    return true;
}

/* Insert or overwrite. 0 or -1. */
static int smap_put(smap *m, const char *key, int64_t v)
{
    if ((m->n + 1) * 2 > m->cap && smap_grow(m)) return -1;
    size_t j = smap_slot(m, key);
    if (!m->k[j]) {
        if (!(m->k[j] = strdup(key))) return -1;
        m->n++;
    }
    m->v[j] = v;
    return 0;
}

static void smap_free(smap *m)
{
    for (size_t i = 0; i < m->cap; i++) free(m->k[i]);
    free(m->k);
    free(m->v);
    memset(m, 0, sizeof *m);
}

/* A statement line checked and matched, waiting for its fund_arrival row. The rows are inserted ARR_MAX at a
 * time with one multi-row INSERT … ON CONFLICT (court_id, bank_ref) DO NOTHING RETURNING id (fixed statement
 * texts of 256, 128, … 1 rows, prepared once per connection): on PostgreSQL one round trip per 256 lines
 * instead of per line; on SQLite one row a statement (a reused one-row INSERT costs less CPU there). A line whose id does not come back was seen before (skipped, or an error when the
 * amount differs). */
#define ARR_LOG 8
#define ARR_MAX (1 << ARR_LOG)
typedef struct pline {
    long lno;
    int64_t arrival_id, amount;
    int k;            /* kase index, -1 = unidentified */
    const char *by;   /* matched_by (static string) */
    bool inserted;
    char ref[65], booked[11], payer[204], payer_acct[44], acct_no[44], remark[504], due[11];
} pline;

/* A case the statement pays into: its account and what this import adds to it. */
typedef struct kase {
    int64_t case_id, acc_id;
    bool closed;
    char case_no[64];
    long count;
    int64_t amount;
    char last_on[11];
    json_t *arrivals; /* arrival ids (first 50) */
} kase;

typedef struct ctx {
    db_conn *c;
    int64_t court, bank, import_id, user_id;
    smap by_no, by_caseno, by_debtor, by_case; /* by_case: decimal case id → index in ks */
    bool have_no, have_caseno, have_debtor;
    kase *ks;
    int nk, capk;
    int claim_days;
    char due_for[11], due[11]; /* the claim deadline of the last booked_on seen */
    /* the queued transfers of the current batch */
    zx_fund_transfer t[BATCH];
    enum zx_tr_result res[BATCH];
    long lineno[BATCH];
    char refs[BATCH][65];
    char booked[BATCH][11];
    int nt;
    /* statement lines waiting for their multi-row fund_arrival INSERT */
    pline pl[ARR_MAX];
    int npl;
} ctx;

static int kase_add(ctx *x, int64_t case_id, int64_t acc_id, bool closed, const char *case_no)
{
    if (x->nk == x->capk) {
        int nc = x->capk ? x->capk * 2 : 256;
        kase *n = realloc(x->ks, (size_t)nc * sizeof *n);
        if (!n) return -1;
        x->ks = n;
        x->capk = nc;
    }
    kase *k = &x->ks[x->nk];
    memset(k, 0, sizeof *k);
    k->case_id = case_id;
    k->acc_id = acc_id;
    k->closed = closed;
    snprintf(k->case_no, sizeof k->case_no, "%s", case_no ? case_no : "");
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)case_id);
    if (smap_put(&x->by_case, key, x->nk)) return -1;
    return x->nk++;
}

/* The court's case accounts by virtual number (once per import). */
static int load_accounts(ctx *x)
{
    x->have_no = true;
    db_stmt *s = db_prepare(x->c, "SELECT a.account_no, a.id, a.case_id, a.flags, e.case_no FROM fund_account a"
                                  " JOIN enf_case e ON e.id = a.case_id WHERE a.court_id = ? AND a.kind = 2"
                                  " AND a.account_no IS NOT NULL");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, x->court);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        int64_t v;
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_col_int64(s, 2));
        int idx;
        if (smap_get(&x->by_case, key, &v)) idx = (int)v;
        else if ((idx = kase_add(x, db_col_int64(s, 2), db_col_int64(s, 1), (db_col_int64(s, 3) & ZX_ACCF_CLOSED) != 0,
                                 db_col_text(s, 4))) < 0) break;
        if (smap_put(&x->by_no, db_col_text(s, 0), idx)) break;
    }
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

static int load_case_nos(ctx *x)
{
    x->have_caseno = true;
    db_stmt *s = db_prepare(x->c, "SELECT case_no, id FROM enf_case WHERE court_id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, x->court);
    int rc;
    while ((rc = db_step(s)) == DB_ROW)
        if (db_col_text(s, 0) && smap_put(&x->by_caseno, db_col_text(s, 0), db_col_int64(s, 1))) break;
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* Debtors of the court's open cases: name → case id, or -1 when the name owns several open cases. */
static int load_debtors(ctx *x)
{
    x->have_debtor = true;
    db_stmt *s = db_prepare(x->c, "SELECT DISTINCT p.name, p.case_id FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                                  " WHERE p.court_id = ? AND p.role = 'debtor' AND e.status <> 'closed'");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, x->court);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        const char *nm = db_col_text(s, 0);
        if (!nm || !*nm) continue;
        int64_t id = db_col_int64(s, 1), old;
        if (smap_get(&x->by_debtor, nm, &old) && old != id) id = -1;
        if (smap_put(&x->by_debtor, nm, id)) break;
    }
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

/* The kase of a case matched by 案号 or payer (its account opened if it has none yet). */
static int kase_of(ctx *x, int64_t case_id)
{
    char key[24];
    int64_t v;
    snprintf(key, sizeof key, "%lld", (long long)case_id);
    if (smap_get(&x->by_case, key, &v)) return (int)v;
    zx_fund_account a;
    int64_t acc = zx_funds_case_account(x->c, case_id, &a);
    if (acc < 0) return (int)acc;
    char case_no[64] = "";
    if (zx_funds_case_brief(x->c, case_id, NULL, case_no, NULL) != 0) return DB_ERROR;
    return kase_add(x, case_id, acc, (a.flags & ZX_ACCF_CLOSED) != 0, case_no);
}

/* Matching, in zx_funds_arrival's order. Returns the kase index, -1 = unmatched (待认领), < -1 error;
 * *by gets the rule that matched. */
static int match(ctx *x, const char *acct_no, const char *remark, const char *payer, const char **by)
{
    int64_t v;
    *by = "";
    if (acct_no && *acct_no) {
        char no[20];
        size_t n = 0;
        bool ok = true;
        for (const char *p = acct_no; *p; p++) {
            if (*p == ' ' || *p == '-') continue;
            if (n >= 18) ok = false;
            else no[n++] = *p;
        }
        no[n] = 0;
        if (ok && n == 18 && zx_funds_account_no_valid(no)) {
            if (!x->have_no && load_accounts(x)) return -2;
            if (smap_get(&x->by_no, no, &v)) {
                *by = "account_no";
                return (int)v;
            }
        }
    }
    char cn[ZX_CASE_NO_MAX];
    if (remark && *remark && zx_funds_case_no_in_text(remark, cn)) {
        if (!x->have_caseno && load_case_nos(x)) return -2;
        if (smap_get(&x->by_caseno, cn, &v)) {
            *by = "case_no";
            int k = kase_of(x, v);
            return k < 0 ? -2 : k;
        }
    }
    if (payer && *payer) {
        if (!x->have_debtor && load_debtors(x)) return -2;
        if (smap_get(&x->by_debtor, payer, &v) && v > 0) {
            *by = "payer";
            int k = kase_of(x, v);
            return k < 0 ? -2 : k;
        }
    }
    return -1;
}

/* Post the queued transfers. 0, 1 (a transfer was refused: err names its line), < 0 store error. */
static int flush_batch(ctx *x, char *err, size_t errlen, long *err_line)
{
    if (x->nt == 0) return 0;
    int rc = zx_ledger_create_transfers(x->c, x->t, x->nt, x->res);
    if (rc < 0) return rc;
    if (rc == 1)
        for (int i = 0; i < x->nt; i++)
            if (x->res[i] != ZX_TR_OK && x->res[i] != ZX_TR_LINKED_EVENT_FAILED) {
                snprintf(err, errlen, "第%ld行：%s", x->lineno[i], zx_tr_result_message(x->res[i]));
                *err_line = x->lineno[i];
                return 1;
            }
    x->nt = 0;
    return rc == 1 ? 1 : 0;
}

static char *arr_sql[ARR_LOG + 1];
static pthread_once_t arr_once = PTHREAD_ONCE_INIT;

static void arr_sql_init(void)
{
    static const char head[] = "INSERT INTO fund_arrival (id, court_id, bank_ref, source, bank_account_id, account_no, amount_fen,"
                               " payer_name, payer_account, remark, booked_on, case_id, matched_by, status, claim_due_on, transfer_id,"
                               " created_ms) VALUES ";
    static const char one[] = "(?,?,?,'statement',?,?,?,?,?,?,?,?,?,?,?,?,?)";
    for (int k = 0; k <= ARR_LOG; k++) {
        int n = 1 << k;
        size_t cap = sizeof head + (size_t)n * sizeof one + 96;
        char *q = malloc(cap);
        if (!q) zx_die("out of memory (import)");
        size_t o = (size_t)snprintf(q, cap, "%s", head);
        for (int i = 0; i < n; i++) o += (size_t)snprintf(q + o, cap - o, "%s%s", i ? "," : "", one);
        snprintf(q + o, cap - o, " ON CONFLICT (court_id, bank_ref) DO NOTHING RETURNING id");
        arr_sql[k] = q;
    }
}

/* Insert the waiting lines' fund_arrival rows, then queue the transfers of those inserted (in line order)
 * and settle the others (seen before). 0, 1 (err names the line), < 0 store error. */
static int flush_arrivals(ctx *x, int64_t unid, int64_t now, zx_stmt_result *res, char *err, size_t errlen)
{
    pthread_once(&arr_once, arr_sql_init);
    db_conn *c = x->c;
    /* PostgreSQL: up to 256 rows a statement (a round trip each); SQLite: one-row statements, cheaper there */
    int maxk = db_conn_kind(c) == DB_POSTGRES ? ARR_LOG : 0;
    for (int done = 0; done < x->npl;) {
        int left = x->npl - done, k = maxk;
        while ((1 << k) > left) k--;
        int m = 1 << k;
        db_stmt *s = db_prepare(c, arr_sql[k]);
        if (!s) return DB_ERROR;
        int b = 1;
        for (int i = done; i < done + m; i++) {
            pline *pl = &x->pl[i];
            kase *ks = pl->k >= 0 ? &x->ks[pl->k] : NULL;
            pl->inserted = false;
            db_bind_int64(s, b++, pl->arrival_id);
            db_bind_int64(s, b++, x->court);
            db_bind_text(s, b++, pl->ref, -1);
            db_bind_int64(s, b++, x->bank);
            db_bind_text(s, b++, *pl->acct_no ? pl->acct_no : NULL, -1);
            db_bind_int64(s, b++, pl->amount);
            db_bind_text(s, b++, pl->payer, -1);
            zx_funds_bind_account(s, b++, pl->payer_acct);
            db_bind_text(s, b++, *pl->remark ? pl->remark : NULL, -1);
            db_bind_text(s, b++, pl->booked, -1);
            if (ks) db_bind_int64(s, b++, ks->case_id);
            else db_bind_null(s, b++);
            db_bind_text(s, b++, *pl->by ? pl->by : NULL, -1);
            db_bind_text(s, b++, ks ? "matched" : "unidentified", -1);
            db_bind_text(s, b++, ks ? NULL : pl->due, -1);
            db_bind_int64(s, b++, pl->arrival_id);
            db_bind_int64(s, b++, now);
        }
        int rc;
        while ((rc = db_step(s)) == DB_ROW) { /* ids are time-ordered: the lines are sorted by them */
            int64_t id = db_col_int64(s, 0);
            int lo = done, hi = done + m - 1, at = -1;
            while (lo <= hi && at < 0) {
                int mid = (lo + hi) / 2;
                if (x->pl[mid].arrival_id == id) at = mid;
                else if (x->pl[mid].arrival_id < id) lo = mid + 1;
                else hi = mid - 1;
            }
            for (int q = done; at < 0 && q < done + m; q++) /* not sorted after all: look at each */
                if (x->pl[q].arrival_id == id) at = q;
            if (at >= 0) x->pl[at].inserted = true;
        }
        db_finalize(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
        done += m;
    }
    for (int i = 0; i < x->npl; i++) {
        pline *pl = &x->pl[i];
        if (!pl->inserted) { /* seen before (an earlier import, or earlier in this file) */
            db_stmt *q = db_prepare(c, "SELECT amount_fen FROM fund_arrival WHERE court_id = ? AND bank_ref = ?");
            if (!q) return DB_ERROR;
            db_bind_int64(q, 1, x->court);
            db_bind_text(q, 2, pl->ref, -1);
            int64_t had = db_step(q) == DB_ROW ? db_col_int64(q, 0) : -1;
            db_finalize(q);
            if (had != pl->amount) {
                snprintf(err, errlen, "第%ld行：银行流水号%s已登记，但金额不同", pl->lno, pl->ref);
                res->error_line = pl->lno;
                return 1;
            }
            res->skipped++;
            continue;
        }
        kase *ks = pl->k >= 0 ? &x->ks[pl->k] : NULL;
        int j = x->nt++;
        /* pl lives in x too: copy with a bounded memcpy (snprintf's restrict forbids the overlap it fears) */
        size_t lr = strnlen(pl->ref, sizeof x->refs[j] - 1), lb = strnlen(pl->booked, sizeof x->booked[j] - 1);
        memcpy(x->refs[j], pl->ref, lr);
        x->refs[j][lr] = '\0';
        memcpy(x->booked[j], pl->booked, lb);
        x->booked[j][lb] = '\0';
        x->lineno[j] = pl->lno;
        x->t[j] = (zx_fund_transfer){ .id = pl->arrival_id, .debit_account_id = x->bank,
                                      .credit_account_id = ks ? ks->acc_id : unid, .amount = pl->amount,
                                      .code = ZX_TC_ARRIVAL, .case_id = ks ? ks->case_id : 0, .ref = x->refs[j],
                                      .booked_on = x->booked[j] };
        res->posted++;
        res->amount_fen += pl->amount;
        if (ks) {
            res->matched++;
            if (__builtin_add_overflow(ks->amount, pl->amount, &ks->amount)) {
                snprintf(err, errlen, "第%ld行：金额超出可记账范围", pl->lno);
                res->error_line = pl->lno;
                return 1;
            }
            ks->count++;
            if (strcmp(pl->booked, ks->last_on) > 0) snprintf(ks->last_on, sizeof ks->last_on, "%s", pl->booked);
            if (!ks->arrivals) ks->arrivals = json_array();
            if (json_array_size(ks->arrivals) < 50) {
                char idb[24];
                snprintf(idb, sizeof idb, "%lld", (long long)pl->arrival_id);
                json_array_append_new(ks->arrivals, json_string(idb));
            }
        } else res->unidentified++;
        if (x->nt == BATCH) {
            int rc = flush_batch(x, err, errlen, &res->error_line);
            if (rc) return rc;
        }
    }
    x->npl = 0;
    return 0;
}

/* Per case, once per import: recovered_fen, the case event and the 案款到账 notice. */
static int finish_cases(ctx *x)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)x->import_id);
    for (int i = 0; i < x->nk; i++) {
        kase *k = &x->ks[i];
        if (k->count == 0) continue;
        json_t *data = json_pack("{s:I,s:I,s:s,s:s,s:O}", "amount_fen", (json_int_t)k->amount, "count",
                                 (json_int_t)k->count, "source", "statement", "import_id", ids, "arrival_ids", k->arrivals);
        int rc = zx_funds_credit_case(x->c, k->case_id, x->user_id, "funds_arrival", k->amount, k->last_on, data);
        json_decref(data);
        if (rc < 0) return rc;
        if (zx_funds_notify_case(x->c, k->case_id, "funds_arrival", x->import_id, k->amount, k->last_on) < 0)
            return DB_ERROR;
    }
    return 0;
}

static void ctx_free(ctx *x)
{
    smap_free(&x->by_no);
    smap_free(&x->by_caseno);
    smap_free(&x->by_debtor);
    smap_free(&x->by_case);
    for (int i = 0; i < x->nk; i++) json_decref(x->ks[i].arrivals);
    free(x->ks);
    free(x);
}

static int check_fields(char *f[], long ln, char *err, size_t errlen, int64_t *amount, bool *closing)
{
    *closing = !strcmp(f[0], "closing_balance");
    if (!*closing && (!*f[0] || strlen(f[0]) > 64)) {
        snprintf(err, errlen, "第%ld行：银行流水号为空或超过64个字符", ln);
        return -1;
    }
    zx_date d;
    if (zx_date_parse(f[1], &d)) {
        snprintf(err, errlen, "第%ld行：记账日期“%.20s”不是有效日期（YYYY-MM-DD）", ln, f[1]);
        return -1;
    }
    if (zx_money_parse(f[2], ZX_MONEY_NO_GROUPING | (*closing ? ZX_MONEY_ALLOW_NEGATIVE : 0), amount)) {
        snprintf(err, errlen, "第%ld行：金额“%.30s”不是有效金额（元，最多两位小数）", ln, f[2]);
        return -1;
    }
    if (!*closing && *amount <= 0) {
        snprintf(err, errlen, "第%ld行：金额必须大于零", ln);
        return -1;
    }
    if (strlen(f[3]) > 200 || strlen(f[4]) > 40 || strlen(f[5]) > 40 || strlen(f[6]) > 500) {
        snprintf(err, errlen, "第%ld行：字段过长", ln);
        return -1;
    }
    return 0;
}

/* The 专户 the statement belongs to. 0, or -1 with err. */
/* The court a statement is for, read from its lines when no 专户 was named: the courts of the case account
 * numbers the payers wrote (一案一账号) and of the 案号 in the remarks. One court → its id; none or several → 0.
 * Looks at up to 2,000 such lines (a statement is one 专户's, so they agree). */
static int64_t court_of_lines(db_conn *c, const line *lines, long n, const char *e)
{
    db_stmt *qa = db_prepare(c, "SELECT court_id FROM fund_account WHERE kind = 2 AND account_no = ?");
    db_stmt *qc = db_prepare(c, "SELECT court_id FROM enf_case WHERE case_no = ?");
    int64_t found = 0;
    bool several = false;
    char buf[2048];
    char *f[NCOL + 1];
    int nf, looked = 0;
    for (long i = 0; qa && qc && i < n && looked < 2000 && !several; i++) {
        csv_record(lines[i].start, e, buf, sizeof buf, f, NCOL + 1, &nf);
        if (nf != NCOL) continue;
        int64_t k = 0;
        char cn[ZX_CASE_NO_MAX];
        db_stmt *q = NULL;
        if (*f[5] && zx_funds_account_no_valid(f[5])) {
            q = qa;
            db_bind_text(q, 1, f[5], -1);
        } else if (zx_funds_case_no_in_text(f[6], cn)) {
            q = qc;
            db_bind_text(q, 1, cn, -1);
        }
        if (!q) continue;
        looked++;
        if (db_step(q) == DB_ROW) k = db_col_int64(q, 0);
        db_reset(q);
        if (k > 0 && found > 0 && k != found) several = true;
        else if (k > 0) found = k;
    }
    if (qa) db_finalize(qa);
    if (qc) db_finalize(qc);
    return several ? 0 : found;
}

static int find_bank(db_conn *c, const zx_stmt_opts *o, int64_t *bank, int64_t *court, char *err, size_t errlen,
                     const line *lines, long nlines, const char *e)
{
    const char *no = o->bank_no && *o->bank_no ? o->bank_no : NULL;
    db_stmt *s = db_prepare(c, no ? "SELECT id, court_id FROM fund_account WHERE kind = 1 AND account_no = ?"
                                  : "SELECT id, court_id FROM fund_account WHERE kind = 1 AND account_no IS NOT NULL");
    if (!s) {
        snprintf(err, errlen, "存储错误，未导入任何记录");
        return -1;
    }
    if (no) db_bind_text(s, 1, no, -1);
    int k = 0;
    while (db_step(s) == DB_ROW) {
        if (o->court_id > 0 && db_col_int64(s, 1) != o->court_id) continue;
        *bank = db_col_int64(s, 0);
        *court = db_col_int64(s, 1);
        k++;
    }
    db_finalize(s);
    if (k == 1) return 0;
    if (k > 1 && !no && o->court_id <= 0 && lines) { /* several courts' 专户: the statement's lines name the court */
        int64_t ct = court_of_lines(c, lines, nlines, e);
        if (ct > 0) {
            zx_stmt_opts o2 = *o;
            o2.court_id = ct;
            return find_bank(c, &o2, bank, court, err, errlen, NULL, 0, e);
        }
    }
    if (k == 0) snprintf(err, errlen, "找不到执行款专户%s%s（请先登记专户账号）", no ? " " : "", no ? no : "");
    else snprintf(err, errlen, "有多个执行款专户，对账单中的案款账号、案号也未能确定法院，请指定专户账号（--bank）");
    return -1;
}

static void report(const zx_stmt_opts *o, int phase, long done, long total)
{
    if (o->progress) o->progress(phase, done, total, o->progress_arg);
}

int zx_funds_import_data(db_t *db, const char *data, size_t len, const zx_stmt_opts *o, zx_stmt_result *res, char *err,
                         size_t errlen)
{
    memset(res, 0, sizeof *res);
    const char *p = data, *e = data + len;
    if (len == 0) {
        snprintf(err, errlen, "文件为空");
        return -1;
    }
    if (e - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3; /* BOM */
    char buf[2048];
    char *f[NCOL + 1];
    int nf = 0, ret = -1;
    line *lines = NULL;
    long n = 0, cap = 0, ln = 1;
    db_conn *c = NULL;
    ctx *x = NULL;
    bool in_tx = false;
    p = csv_record(p, e, buf, sizeof buf, f, NCOL + 1, &nf);
    if (!p || nf != NCOL) goto badhdr;
    for (int i = 0; i < NCOL; i++)
        if (strcmp(f[i], cols[i])) goto badhdr;
    /* Pass 1: check every line. */
    long total_guess = (long)(len / 64) + 1;
    while (p < e) {
        ln++;
        const char *start = p;
        p = csv_record(p, e, buf, sizeof buf, f, NCOL + 1, &nf);
        if (!p) {
            snprintf(err, errlen, "第%ld行：引号不成对", ln);
            res->error_line = ln;
            goto out;
        }
        if (nf == 1 && !*f[0]) continue; /* blank line */
        if (nf != NCOL) {
            snprintf(err, errlen, "第%ld行：应有%d列，实有%d列", ln, NCOL, nf);
            res->error_line = ln;
            goto out;
        }
        int64_t amount;
        bool closing;
        if (check_fields(f, ln, err, errlen, &amount, &closing)) {
            res->error_line = ln;
            goto out;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            line *nl = realloc(lines, (size_t)cap * sizeof *lines);
            if (!nl) {
                snprintf(err, errlen, "内存不足");
                goto out;
            }
            lines = nl;
        }
        lines[n++] = (line){ ln, start };
        if ((n & 0xFFFF) == 0) report(o, ZX_STMT_CHECKING, (long)(p - data), (long)len);
        (void)total_guess;
    }
    report(o, ZX_STMT_CHECKING, (long)len, (long)len);
    res->lines = n;
    /* Pass 2: post everything in one transaction. */
    c = db_acquire(db);
    zx_funds_bulk_session(db, c);
    x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, "内存不足");
        goto out;
    }
    x->c = c;
    x->import_id = o->import_id > 0 ? o->import_id : zx_id_new();
    x->user_id = o->audit ? o->audit->user_id : 0;
    res->import_id = x->import_id;
    if (find_bank(c, o, &x->bank, &x->court, err, errlen, lines, n, e)) goto out;
    if (db_begin(c)) goto dberr;
    in_tx = true;
    /* PostgreSQL lock order: the audit head before the ledger's account rows (the 专户's row is held from the
     * first batch to the commit), as every case writer takes them — otherwise an arrival or a deduction that
     * holds the head and waits for the 专户 deadlocks with the import's case events (40P01). Case writers wait
     * for the import instead, as they do on SQLite's single writer. */
    if (zx_case_lock(c, 0) != 0) goto dberr;
    x->claim_days = zx_funds_claim_days(c, x->court);
    int64_t unid = zx_funds_court_account(c, x->court, ZX_ACC_UNIDENTIFIED);
    if (unid < 0) goto dberr;
    long step = n / 100 > 0 ? n / 100 : 1;
    int64_t now = zx_now_ms();
    for (long i = 0; i < n; i++) {
        if (o->cancel && *o->cancel) {
            snprintf(err, errlen, "导入已中止（服务停止），未导入任何记录");
            goto out;
        }
        csv_record(lines[i].start, e, buf, sizeof buf, f, NCOL + 1, &nf);
        long lno = lines[i].lineno;
        int64_t amount;
        bool closing;
        check_fields(f, lno, err, errlen, &amount, &closing);
        if (closing) {
            db_stmt *s = db_prepare(c, "INSERT INTO fund_bank_balance (bank_account_id, as_of, balance_fen, source, recorded_ms)"
                                       " VALUES (?, ?, ?, 'statement', ?) ON CONFLICT (bank_account_id, as_of) DO UPDATE SET"
                                       " balance_fen = excluded.balance_fen, recorded_ms = excluded.recorded_ms");
            if (!s) goto dberr;
            db_bind_int64(s, 1, x->bank);
            db_bind_text(s, 2, f[1], -1);
            db_bind_int64(s, 3, amount);
            db_bind_int64(s, 4, now);
            int rc = db_step(s);
            db_finalize(s);
            if (rc != DB_DONE) goto dberr;
            res->closing_balances++;
            continue;
        }
        const char *by = "";
        int k = match(x, f[5], f[6], f[3], &by);
        if (k < -1) goto dberr;
        if (k >= 0 && x->ks[k].closed) { /* a closed case's account: the money waits for a decision (待认领) */
            k = -1;
            by = "";
        }
        if (k < 0 && strcmp(x->due_for, f[1])) {
            zx_date bd;
            zx_date_parse(f[1], &bd);
            zx_date_format(zx_cal_add_working_days(bd, x->claim_days), x->due);
            snprintf(x->due_for, sizeof x->due_for, "%s", f[1]);
        }
        pline *pl = &x->pl[x->npl++];
        pl->lno = lno;
        pl->arrival_id = zx_id_new();
        pl->amount = amount;
        pl->k = k;
        pl->by = by;
        snprintf(pl->ref, sizeof pl->ref, "%s", f[0]);
        snprintf(pl->booked, sizeof pl->booked, "%s", f[1]);
        snprintf(pl->payer, sizeof pl->payer, "%s", f[3]);
        snprintf(pl->payer_acct, sizeof pl->payer_acct, "%s", f[4]);
        snprintf(pl->acct_no, sizeof pl->acct_no, "%s", f[5]);
        snprintf(pl->remark, sizeof pl->remark, "%s", f[6]);
        snprintf(pl->due, sizeof pl->due, "%s", k < 0 ? x->due : "");
        if (x->npl == ARR_MAX) {
            int rc = flush_arrivals(x, unid, now, res, err, errlen);
            if (rc < 0) goto dberr;
            if (rc) goto out;
        }
        if ((i + 1) % step == 0) report(o, ZX_STMT_POSTING, i + 1, n);
    }
    {
        int rc = flush_arrivals(x, unid, now, res, err, errlen);
        if (rc < 0) goto dberr;
        if (rc) goto out;
        rc = flush_batch(x, err, errlen, &res->error_line);
        if (rc < 0) goto dberr;
        if (rc) goto out;
    }
    if (finish_cases(x) < 0) goto dberr;
    {
        json_t *sum = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "lines", (json_int_t)res->lines, "posted",
                                (json_int_t)res->posted, "matched", (json_int_t)res->matched, "unidentified",
                                (json_int_t)res->unidentified, "skipped", (json_int_t)res->skipped, "closing_balances",
                                (json_int_t)res->closing_balances, "amount_fen", (json_int_t)res->amount_fen);
        char *st = json_dumps(sum, JSON_COMPACT);
        json_decref(sum);
        db_stmt *s = db_prepare(c, "INSERT INTO fund_import (id, court_id, file_name, lines_total, lines_done, status, created_ms,"
                                   " finished_ms, user_id, summary) VALUES (?, ?, ?, ?, ?, 'done', ?, ?, ?, ?)"
                                   " ON CONFLICT (id) DO UPDATE SET status = 'done', lines_total = excluded.lines_total,"
                                   " lines_done = excluded.lines_done, finished_ms = excluded.finished_ms,"
                                   " summary = excluded.summary, court_id = excluded.court_id");
        if (!s) {
            free(st);
            goto dberr;
        }
        int64_t t1 = zx_now_ms();
        db_bind_int64(s, 1, x->import_id);
        db_bind_int64(s, 2, x->court);
        db_bind_text(s, 3, o->file_name ? o->file_name : "", -1);
        db_bind_int64(s, 4, n);
        db_bind_int64(s, 5, res->posted);
        db_bind_int64(s, 6, now);
        db_bind_int64(s, 7, t1);
        if (x->user_id > 0) db_bind_int64(s, 8, x->user_id);
        else db_bind_null(s, 8);
        db_bind_text(s, 9, st, -1);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) {
            free(st);
            goto dberr;
        }
        zx_audit_rec ar = o->audit ? *o->audit : (zx_audit_rec){ .username = "cli" };
        char oid[24];
        snprintf(oid, sizeof oid, "%lld", (long long)x->import_id);
        ar.action = "funds.import";
        ar.object_type = "fund_import";
        ar.object_id = oid;
        ar.result = "ok";
        ar.detail = st;
        rc = zx_audit_write(c, &ar);
        free(st);
        if (rc < 0) goto dberr;
    }
    if (db_commit(c)) goto dberr;
    in_tx = false;
    report(o, ZX_STMT_POSTING, n, n);
    ret = 0;
    goto out;
dberr:
    snprintf(err, errlen, "存储错误，未导入任何记录");
    goto out;
badhdr:
    snprintf(err, errlen, "第1行：表头应为 bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark");
    res->error_line = 1;
out:
    if (in_tx) db_rollback(c);
    if (c) db_release(db, c);
    if (x) ctx_free(x);
    free(lines);
    if (ret) { /* nothing was imported */
        res->posted = res->skipped = res->matched = res->unidentified = res->closing_balances = 0;
        res->amount_fen = 0;
    }
    return ret;
}

int zx_funds_import_statement(db_t *db, const char *path, const zx_stmt_opts *o, zx_stmt_result *res, char *err,
                              size_t errlen)
{
    memset(res, 0, sizeof *res);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "无法打开文件 %s", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) || st.st_size == 0) {
        close(fd);
        snprintf(err, errlen, "文件为空");
        return -1;
    }
    const char *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(err, errlen, "无法读取文件");
        return -1;
    }
    zx_stmt_opts oo = *o;
    const char *base = strrchr(path, '/');
    if (!oo.file_name) oo.file_name = base ? base + 1 : path;
    int rc = zx_funds_import_data(db, map, (size_t)st.st_size, &oo, res, err, errlen);
    munmap((void *)map, (size_t)st.st_size);
    return rc;
}

static void progress(int phase, long done, long total, void *arg)
{
    (void)arg;
    static int last = -1;
    int pct = (int)(done * 100 / (total ? total : 1));
    if (phase == ZX_STMT_CHECKING) {
        if (done == total) fprintf(stderr, "已校验全部行\n");
        return;
    }
    if (pct / 5 == last / 5) return;
    last = pct;
    fprintf(stderr, "已处理 %ld/%ld 行（%d%%）\n", done, total, pct);
}

static int cmd_import(int argc, char **argv)
{
    const char *file = zx_positional(argc, argv, 0);
    if (!file) {
        fprintf(stderr, "zhixing funds import: FILE is required\n");
        return 2;
    }
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    zx_stmt_result res;
    zx_stmt_opts o = { .bank_no = zx_opt(argc, argv, "--bank"), .progress = progress };
    char err[512] = "";
    int rc = zx_funds_import_statement(app->db, file, &o, &res, err, sizeof err);
    if (rc) fprintf(stderr, "导入失败：%s\n", err);
    else {
        char a[ZX_MONEY_BUF];
        printf("导入完成：%ld 行，入账 %ld 笔（%s 元），其中匹配到案件 %ld 笔、待认领 %ld 笔；已导入过跳过 %ld 笔；期末余额 %ld 条\n",
               res.lines, res.posted, zx_money_format(res.amount_fen, a), res.matched, res.unidentified, res.skipped,
               res.closing_balances);
    }
    zx_cli_close(app);
    return rc ? 1 : 0;
}
static const struct zx_command import_cmd = { "funds import", cmd_import, "--db URL FILE.csv [--bank 专户账号]",
                                              "导入银行对账单（CSV，全部成功或全部不导入；错误指明行号）并自动匹配案件" };
ZX_COMMAND(import_cmd)
