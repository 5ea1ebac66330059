/* ledger.c — the double-entry engine behind ledger.h.
 *
 * A batch runs in three phases inside the caller's write transaction:
 *   1. gather: every account the batch touches (post/void read their pending transfer to learn
 *      the accounts — transfers are immutable, so no lock is needed for that read);
 *   2. lock + load: the accounts in ascending id order with `UPDATE … SET flags = flags … RETURNING`, which
 *      takes the row lock on PostgreSQL (ascending order → no deadlock between two batches) and is
 *      a no-op under SQLite's single writer — one statement for both stores;
 *   3. apply: each transfer in order against the in-memory totals; its row is inserted at once
 *      (so a duplicate id later in the same batch is seen by the existence check); a linked chain
 *      runs under a SAVEPOINT and an undo log of the totals, so a failing member undoes the chain.
 * Finally every changed account row is written once. Posting 10,000 transfers between a handful of
 * accounts is thus ~10,000 primary-key probes + inserts and a few updates (bench/40-funds.sh). */
#include "funds/ledger.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/log.h"
#include "core/ids.h"

static const struct {
    const char *code, *msg;
} tr_names[] = {
    [ZX_TR_OK] = { "OK", "已入账" },
    [ZX_TR_EXISTS] = { "EXISTS", "该笔转账已入账（重复提交未重复记账）" },
    [ZX_TR_EXISTS_DIFFERENT] = { "TRANSFER_ID_CONFLICT", "转账编号已被另一笔不同内容的转账使用" },
    [ZX_TR_LINKED_EVENT_FAILED] = { "LINKED_TRANSFER_FAILED", "关联转账中另一笔失败，整组未入账" },
    [ZX_TR_LINKED_CHAIN_OPEN] = { "LINKED_CHAIN_OPEN", "关联转账未以最后一笔结束" },
    [ZX_TR_ID_INVALID] = { "TRANSFER_ID_INVALID", "转账编号无效" },
    [ZX_TR_AMOUNT_INVALID] = { "AMOUNT_INVALID", "金额必须为正整数（分）" },
    [ZX_TR_ACCOUNTS_SAME] = { "ACCOUNTS_SAME", "借方与贷方账户不能相同" },
    [ZX_TR_DEBIT_ACCOUNT_NOT_FOUND] = { "ACCOUNT_NOT_FOUND", "付款账户不存在" },
    [ZX_TR_CREDIT_ACCOUNT_NOT_FOUND] = { "ACCOUNT_NOT_FOUND", "收款账户不存在" },
    [ZX_TR_ACCOUNT_CLOSED] = { "ACCOUNT_CLOSED", "账户已关闭" },
    [ZX_TR_EXCEEDS_CREDITS] = { "INSUFFICIENT_BALANCE", "账户余额不足" },
    [ZX_TR_EXCEEDS_DEBITS] = { "INSUFFICIENT_BALANCE", "专户余额不足" },
    [ZX_TR_OVERFLOW] = { "AMOUNT_OVERFLOW", "金额超出可记账范围" },
    [ZX_TR_FLAGS_INVALID] = { "FLAGS_INVALID", "转账标志组合无效" },
    [ZX_TR_PENDING_NOT_FOUND] = { "PENDING_NOT_FOUND", "待确认转账不存在" },
    [ZX_TR_PENDING_NOT_PENDING] = { "PENDING_NOT_PENDING", "该转账不是待确认转账" },
    [ZX_TR_PENDING_ALREADY_POSTED] = { "PENDING_ALREADY_POSTED", "待确认转账已确认" },
    [ZX_TR_PENDING_ALREADY_VOIDED] = { "PENDING_ALREADY_VOIDED", "待确认转账已撤销" },
    [ZX_TR_PENDING_AMOUNT] = { "PENDING_AMOUNT_EXCEEDED", "确认金额大于待确认金额" },
    [ZX_TR_PENDING_DIFFERENT] = { "PENDING_ACCOUNTS_DIFFERENT", "确认转账的账户与待确认转账不一致" },
};

const char *zx_tr_result_code(enum zx_tr_result r)
{
    return (unsigned)r < sizeof tr_names / sizeof tr_names[0] && tr_names[r].code ? tr_names[r].code : "LEDGER_ERROR";
}

const char *zx_tr_result_message(enum zx_tr_result r)
{
    return (unsigned)r < sizeof tr_names / sizeof tr_names[0] && tr_names[r].msg ? tr_names[r].msg : "记账失败";
}

/* ---- accounts ---- */

#define ACC_COLS "id, kind, flags, court_id, case_id, account_no, name, debits_pending, debits_posted," \
                 " credits_pending, credits_posted, created_ms"

static void acc_read(db_stmt *s, zx_fund_account *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_col_int64(s, 0);
    a->kind = (int)db_col_int64(s, 1);
    a->flags = (unsigned)db_col_int64(s, 2);
    a->court_id = db_col_int64(s, 3);
    a->case_id = db_col_int64(s, 4);
    const char *no = db_col_text(s, 5), *nm = db_col_text(s, 6);
    if (no) snprintf(a->account_no, sizeof a->account_no, "%s", no);
    if (nm) snprintf(a->name, sizeof a->name, "%s", nm);
    a->debits_pending = db_col_int64(s, 7);
    a->debits_posted = db_col_int64(s, 8);
    a->credits_pending = db_col_int64(s, 9);
    a->credits_posted = db_col_int64(s, 10);
    a->created_ms = db_col_int64(s, 11);
}

int zx_ledger_account_create(db_conn *c, zx_fund_account *a)
{
    if (a->id <= 0) a->id = zx_id_new();
    if (a->created_ms <= 0) a->created_ms = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO fund_account (id, kind, flags, court_id, case_id, account_no, name,"
                               " debits_pending, debits_posted, credits_pending, credits_posted, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?)");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, a->id);
    db_bind_int64(s, 2, a->kind);
    db_bind_int64(s, 3, a->flags);
    db_bind_int64(s, 4, a->court_id);
    if (a->case_id > 0) db_bind_int64(s, 5, a->case_id);
    else db_bind_null(s, 5);
    db_bind_text(s, 6, a->account_no[0] ? a->account_no : NULL, -1);
    db_bind_text(s, 7, a->name, -1);
    db_bind_int64(s, 8, a->created_ms);
    int rc = db_step(s);
    db_finalize(s);
    a->debits_pending = a->debits_posted = a->credits_pending = a->credits_posted = 0;
    return rc == DB_DONE ? 0 : (rc < 0 ? rc : DB_ERROR);
}

static int acc_get(db_conn *c, const char *sql, int64_t id, const char *no, zx_fund_account *out)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    if (no) db_bind_text(s, 1, no, -1);
    else db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc == DB_ROW) acc_read(s, out);
    db_finalize(s);
    return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : rc;
}

int zx_ledger_account_get(db_conn *c, int64_t id, zx_fund_account *out)
{
    return acc_get(c, "SELECT " ACC_COLS " FROM fund_account WHERE id = ?", id, NULL, out);
}

int zx_ledger_account_by_no(db_conn *c, const char *account_no, zx_fund_account *out)
{
    return acc_get(c, "SELECT " ACC_COLS " FROM fund_account WHERE account_no = ?", 0, account_no, out);
}

int zx_ledger_account_close(db_conn *c, int64_t id, bool closed)
{
    db_stmt *s = db_prepare(c, closed ? "UPDATE fund_account SET flags = flags | 4 WHERE id = ?"
                                      : "UPDATE fund_account SET flags = flags & ~4 WHERE id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

int64_t zx_ledger_balance(const zx_fund_account *a)
{
    return a->kind == ZX_ACC_BANK ? a->debits_posted - a->credits_posted : a->credits_posted - a->debits_posted;
}

int64_t zx_ledger_available(const zx_fund_account *a)
{
    return a->kind == ZX_ACC_BANK ? a->debits_posted - a->credits_posted - a->credits_pending
                                  : a->credits_posted - a->debits_posted - a->debits_pending;
}

/* ---- the batch ---- */

typedef struct slot {
    int64_t id;
    bool found, dirty;
    zx_fund_account a;
} slot;

typedef struct batch {
    slot *v;         /* sorted by id after gather */
    int n, cap;
    /* pending transfers referenced by post/void (read in phase 1) */
    struct pend {
        int64_t id, debit, credit, amount;
        unsigned flags;
        bool found;
    } *p;
    int np;
} batch;

/* Account ids of a batch are gathered as plain int64s (2 per transfer), sorted and deduplicated, and
 * only then turned into slots: sorting 16k fat slots per batch cost more than the posting itself. */
typedef struct idvec {
    int64_t *v;
    int n, cap;
} idvec;

static int ids_add(idvec *b, int64_t id)
{
    if (id <= 0) return 0;
    if (b->n == b->cap) {
        int nc = b->cap ? b->cap * 2 : 64;
        int64_t *nv = realloc(b->v, (size_t)nc * sizeof *nv);
        if (!nv) return -1;
        b->v = nv;
        b->cap = nc;
    }
    b->v[b->n++] = id;
    return 0;
}

static int id_cmp(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

static slot *slot_find(batch *b, int64_t id)
{
    int lo = 0, hi = b->n - 1;
    while (lo <= hi) {
        int m = (lo + hi) / 2;
        if (b->v[m].id == id) return &b->v[m];
        if (b->v[m].id < id) lo = m + 1;
        else hi = m - 1;
    }
    return NULL;
}

/* Undo log entry: a slot's totals before a chain member changed them. */
typedef struct undo {
    slot *s;
    int64_t dp, dpo, cp, cpo;
    bool dirty;
} undo;

static bool add_ok(int64_t a, int64_t b, int64_t *out)
{
    return !__builtin_add_overflow(a, b, out);
}

/* Is a transfer already stored under this id? 1 = yes (fields in *o), 0 = no, < 0 error. */
typedef struct stored {
    int64_t debit, credit, amount, pending_id;
    unsigned flags;
    int code;
} stored;

static int stored_get(db_conn *c, const char *sql, int64_t key, stored *o)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, key);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        o->debit = db_col_int64(s, 0);
        o->credit = db_col_int64(s, 1);
        o->amount = db_col_int64(s, 2);
        o->pending_id = db_col_int64(s, 3);
        o->flags = (unsigned)db_col_int64(s, 4);
        o->code = (int)db_col_int64(s, 5);
    }
    db_finalize(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : rc;
}

#define TR_GET "SELECT debit_account_id, credit_account_id, amount, pending_id, flags, code FROM fund_transfer"

static struct pend *pend_find(batch *b, int64_t id)
{
    for (int i = 0; i < b->np; i++)
        if (b->p[i].id == id) return &b->p[i];
    return NULL;
}

/* 0 = no transfer with t's id; ZX_TR_EXISTS / ZX_TR_EXISTS_DIFFERENT; < 0 store error. */
static int existing_result(db_conn *c, const zx_fund_transfer *t)
{
    stored ex;
    int rc = stored_get(c, TR_GET " WHERE id = ?", t->id, &ex);
    if (rc <= 0) return rc;
    unsigned f = t->flags, mask = ZX_TR_PENDING | ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING;
    bool post = f & ZX_TR_POST_PENDING, voidp = f & ZX_TR_VOID_PENDING;
    bool same = (ex.flags & mask) == (f & mask) && ex.code == t->code &&
                (post || voidp ? ex.pending_id == t->pending_id
                               : ex.debit == t->debit_account_id && ex.credit == t->credit_account_id) &&
                ((post && t->amount == 0) || voidp || ex.amount == t->amount);
    return same ? ZX_TR_EXISTS : ZX_TR_EXISTS_DIFFERENT;
}

/* Check one transfer against the (in-memory) accounts and apply it, logging undo entries.
 * Returns a ZX_TR_* result or < 0 on store error. */
static int apply_one(db_conn *c, batch *b, const zx_fund_transfer *t, undo *u, int *nu, int64_t *amount_out,
                     int64_t *debit_out, int64_t *credit_out)
{
    unsigned f = t->flags;
    bool post = f & ZX_TR_POST_PENDING, voidp = f & ZX_TR_VOID_PENDING, pend = f & ZX_TR_PENDING;
    if (t->id <= 0) return ZX_TR_ID_INVALID;
    if ((post && voidp) || (pend && (post || voidp))) return ZX_TR_FLAGS_INVALID;
    /* Existence: same id → compare. Plain and pending transfers skip this probe: their row is
     * inserted with ON CONFLICT (id) DO NOTHING and compared only when nothing was inserted
     * (create_transfers → existing_result). */
    int rc;
    if (post || voidp) {
        rc = existing_result(c, t);
        if (rc != 0) return rc;
    }
    int64_t debit = t->debit_account_id, credit = t->credit_account_id, amount = t->amount;
    struct pend *pp = NULL;
    if (post || voidp) {
        pp = pend_find(b, t->pending_id);
        if (!pp || !pp->found) return ZX_TR_PENDING_NOT_FOUND;
        if (!(pp->flags & ZX_TR_PENDING)) return ZX_TR_PENDING_NOT_PENDING;
        if ((debit && debit != pp->debit) || (credit && credit != pp->credit)) return ZX_TR_PENDING_DIFFERENT;
        stored done;
        rc = stored_get(c, TR_GET " WHERE pending_id = ?", t->pending_id, &done);
        if (rc < 0) return rc;
        if (rc == 1) return done.flags & ZX_TR_POST_PENDING ? ZX_TR_PENDING_ALREADY_POSTED : ZX_TR_PENDING_ALREADY_VOIDED;
        debit = pp->debit;
        credit = pp->credit;
        if (voidp) amount = pp->amount;
        else if (amount == 0) amount = pp->amount;
        else if (amount < 0) return ZX_TR_AMOUNT_INVALID;
        else if (amount > pp->amount) return ZX_TR_PENDING_AMOUNT;
    } else if (amount <= 0) return ZX_TR_AMOUNT_INVALID;
    if (debit == credit) return ZX_TR_ACCOUNTS_SAME;
    slot *d = slot_find(b, debit), *cr = slot_find(b, credit);
    if (!d || !d->found) return ZX_TR_DEBIT_ACCOUNT_NOT_FOUND;
    if (!cr || !cr->found) return ZX_TR_CREDIT_ACCOUNT_NOT_FOUND;
    if (!(post || voidp) && ((d->a.flags | cr->a.flags) & ZX_ACCF_CLOSED)) return ZX_TR_ACCOUNT_CLOSED;
    zx_fund_account nd = d->a, nc = cr->a;
    if (pend) {
        if (!add_ok(nd.debits_pending, amount, &nd.debits_pending) ||
            !add_ok(nc.credits_pending, amount, &nc.credits_pending))
            return ZX_TR_OVERFLOW;
    } else if (post || voidp) {
        nd.debits_pending -= pp->amount;
        nc.credits_pending -= pp->amount;
        if (post && (!add_ok(nd.debits_posted, amount, &nd.debits_posted) ||
                     !add_ok(nc.credits_posted, amount, &nc.credits_posted)))
            return ZX_TR_OVERFLOW;
    } else if (!add_ok(nd.debits_posted, amount, &nd.debits_posted) ||
               !add_ok(nc.credits_posted, amount, &nc.credits_posted))
        return ZX_TR_OVERFLOW;
    int64_t tmp;
    if (!(post || voidp)) { /* limits (a post only settles what the pending already reserved) */
        if ((nd.flags & ZX_ACCF_DEBITS_MUST_NOT_EXCEED_CREDITS) &&
            (!add_ok(nd.debits_pending, nd.debits_posted, &tmp) || tmp > nd.credits_posted))
            return ZX_TR_EXCEEDS_CREDITS;
        if ((nc.flags & ZX_ACCF_CREDITS_MUST_NOT_EXCEED_DEBITS) &&
            (!add_ok(nc.credits_pending, nc.credits_posted, &tmp) || tmp > nc.debits_posted))
            return ZX_TR_EXCEEDS_DEBITS;
    }
    u[*nu] = (undo){ d, d->a.debits_pending, d->a.debits_posted, d->a.credits_pending, d->a.credits_posted, d->dirty };
    u[*nu + 1] = (undo){ cr, cr->a.debits_pending, cr->a.debits_posted, cr->a.credits_pending, cr->a.credits_posted,
                         cr->dirty };
    *nu += 2;
    d->a = nd;
    cr->a = nc;
    d->dirty = cr->dirty = true;
    *amount_out = amount;
    *debit_out = debit;
    *credit_out = credit;
    return ZX_TR_OK;
}

/* Insert one transfer row through *ins (prepared on first use and kept for the whole batch: the row path
 * reuses one statement instead of looking it up by its text per row). 0 inserted, 1 the id exists, < 0. */
static int insert_row(db_conn *c, db_stmt **ins, const zx_fund_transfer *t, int64_t debit, int64_t credit, int64_t amount,
                      const char *today, int64_t now)
{
    if (!*ins)
        *ins = db_prepare(c, "INSERT INTO fund_transfer (id, debit_account_id, credit_account_id, amount, pending_id,"
                             " flags, code, case_id, ref, booked_on, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                             " ON CONFLICT (id) DO NOTHING");
    db_stmt *s = *ins;
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, t->id);
    db_bind_int64(s, 2, debit);
    db_bind_int64(s, 3, credit);
    db_bind_int64(s, 4, amount);
    if (t->flags & (ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING)) db_bind_int64(s, 5, t->pending_id);
    else db_bind_null(s, 5);
    db_bind_int64(s, 6, t->flags & ~ZX_TR_LINKED);
    db_bind_int64(s, 7, t->code);
    if (t->case_id > 0) db_bind_int64(s, 8, t->case_id);
    else db_bind_null(s, 8);
    db_bind_text(s, 9, t->ref, -1);
    db_bind_text(s, 10, t->booked_on ? t->booked_on : today, -1);
    db_bind_int64(s, 11, now);
    int rc = db_step(s);
    int64_t ch = rc == DB_DONE ? db_changes(s) : 0;
    db_reset(s);
    return rc == DB_DONE ? (ch == 1 ? 0 : 1) : (rc < 0 ? rc : DB_ERROR);
}

static int exec_sql(db_conn *c, const char *sql)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return DB_ERROR;
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : DB_ERROR;
}

static int gather(db_conn *c, batch *b, const zx_fund_transfer *t, int n)
{
    idvec iv = { 0 };
    int ret = DB_ERROR;
    for (int i = 0; i < n; i++) {
        /* consecutive transfers often share an account (the 专户): skip the repeat cheaply */
        if (!(i > 0 && t[i].debit_account_id == t[i - 1].debit_account_id) && ids_add(&iv, t[i].debit_account_id)) goto out;
        if (!(i > 0 && t[i].credit_account_id == t[i - 1].credit_account_id) && ids_add(&iv, t[i].credit_account_id)) goto out;
        if ((t[i].flags & (ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING)) && t[i].pending_id > 0 &&
            !pend_find(b, t[i].pending_id)) {
            struct pend *np = realloc(b->p, (size_t)(b->np + 1) * sizeof *np);
            if (!np) goto out;
            b->p = np;
            struct pend *p = &b->p[b->np++];
            memset(p, 0, sizeof *p);
            p->id = t[i].pending_id;
            stored st;
            int rc = stored_get(c, TR_GET " WHERE id = ?", p->id, &st);
            if (rc < 0) {
                ret = rc;
                goto out;
            }
            if (rc == 0) {
                /* May be created earlier in this same batch: look there. */
                for (int j = 0; j < i; j++)
                    if (t[j].id == p->id && (t[j].flags & ZX_TR_PENDING)) {
                        p->found = true;
                        p->debit = t[j].debit_account_id;
                        p->credit = t[j].credit_account_id;
                        p->amount = t[j].amount;
                        p->flags = ZX_TR_PENDING;
                    }
            } else {
                p->found = true;
                p->debit = st.debit;
                p->credit = st.credit;
                p->amount = st.amount;
                p->flags = st.flags;
            }
            if (p->found && (ids_add(&iv, p->debit) || ids_add(&iv, p->credit))) goto out;
        }
    }
    if (iv.n > 1) qsort(iv.v, (size_t)iv.n, sizeof iv.v[0], id_cmp);
    int w = 0; /* dedupe */
    for (int i = 0; i < iv.n; i++)
        if (w == 0 || iv.v[w - 1] != iv.v[i]) iv.v[w++] = iv.v[i];
    b->v = calloc(w > 0 ? (size_t)w : 1, sizeof *b->v);
    if (!b->v) goto out;
    b->n = b->cap = w;
    for (int i = 0; i < w; i++) b->v[i].id = iv.v[i];
    free(iv.v);
    iv.v = NULL;
    /* Lock + load in ascending id order (row lock on PostgreSQL). */
    for (int i = 0; i < b->n; i++) {
        db_stmt *s = db_prepare(c, "UPDATE fund_account SET flags = flags WHERE id = ? RETURNING " ACC_COLS);
        if (!s) return DB_ERROR;
        db_bind_int64(s, 1, b->v[i].id);
        int rc = db_step(s);
        if (rc == DB_ROW) {
            acc_read(s, &b->v[i].a);
            b->v[i].found = true;
            rc = db_step(s);
        }
        db_finalize(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    return 0;
out:
    free(iv.v);
    return ret;
}

static int flush(db_conn *c, batch *b)
{
    for (int i = 0; i < b->n; i++) {
        if (!b->v[i].dirty) continue;
        db_stmt *s = db_prepare(c, "UPDATE fund_account SET debits_pending = ?, debits_posted = ?, credits_pending = ?,"
                                   " credits_posted = ? WHERE id = ?");
        if (!s) return DB_ERROR;
        db_bind_int64(s, 1, b->v[i].a.debits_pending);
        db_bind_int64(s, 2, b->v[i].a.debits_posted);
        db_bind_int64(s, 3, b->v[i].a.credits_pending);
        db_bind_int64(s, 4, b->v[i].a.credits_posted);
        db_bind_int64(s, 5, b->v[i].id);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return rc < 0 ? rc : DB_ERROR;
    }
    return 0;
}


/* ---- multi-row inserts (the bulk path) ----
 * A batch without chains or post/void (statement lines, the benchmark, most arrivals) inserts its rows
 * ROWS_MAX at a time with one multi-row INSERT … ON CONFLICT (id) DO NOTHING instead of one statement per
 * transfer: on PostgreSQL one round trip per 256 rows instead of per row (SQLite keeps the row path). The
 * statement texts are fixed (256, 128, … 1 rows), so each is prepared once per connection and reused. The
 * whole batch runs under a SAVEPOINT: if any id turns out to exist already (a retry, a duplicate inside the
 * batch) the inserted count falls short, the savepoint is rolled back and the batch runs again on the
 * row-by-row path, which compares ids one by one (ZX_TR_EXISTS / EXISTS_DIFFERENT). */
#define ROWS_LOG 8
#define ROWS_MAX (1 << ROWS_LOG)
#define TR_COLS "INSERT INTO fund_transfer (id, debit_account_id, credit_account_id, amount, pending_id, flags, code," \
                " case_id, ref, booked_on, created_ms) VALUES "

typedef struct row {
    const zx_fund_transfer *t;
    int64_t debit, credit, amount;
} row;

static char *rows_sql[ROWS_LOG + 1];
static pthread_once_t rows_once = PTHREAD_ONCE_INIT;

static void rows_sql_init(void)
{
    for (int k = 0; k <= ROWS_LOG; k++) {
        int n = 1 << k;
        size_t cap = sizeof TR_COLS + (size_t)n * 26 + 64;
        char *q = malloc(cap);
        if (!q) zx_die("out of memory (ledger)");
        size_t o = (size_t)snprintf(q, cap, "%s", TR_COLS);
        for (int i = 0; i < n; i++) o += (size_t)snprintf(q + o, cap - o, "%s(?,?,?,?,?,?,?,?,?,?,?)", i ? "," : "");
        snprintf(q + o, cap - o, " ON CONFLICT (id) DO NOTHING");
        rows_sql[k] = q;
    }
}

/* Insert rows[0..n) (n a power of two ≤ ROWS_MAX). Returns the number inserted, or < 0. */
static int64_t rows_insert(db_conn *c, const row *r, int k, const char *today, int64_t now)
{
    db_stmt *s = db_prepare(c, rows_sql[k]);
    if (!s) return DB_ERROR;
    int n = 1 << k, b = 1;
    for (int i = 0; i < n; i++) {
        const zx_fund_transfer *t = r[i].t;
        db_bind_int64(s, b++, t->id);
        db_bind_int64(s, b++, r[i].debit);
        db_bind_int64(s, b++, r[i].credit);
        db_bind_int64(s, b++, r[i].amount);
        db_bind_null(s, b++);
        db_bind_int64(s, b++, t->flags & ~ZX_TR_LINKED);
        db_bind_int64(s, b++, t->code);
        if (t->case_id > 0) db_bind_int64(s, b++, t->case_id);
        else db_bind_null(s, b++);
        db_bind_text(s, b++, t->ref, -1);
        db_bind_text(s, b++, t->booked_on ? t->booked_on : today, -1);
        db_bind_int64(s, b++, now);
    }
    int rc = db_step(s);
    int64_t ch = rc == DB_DONE ? db_changes(s) : 0;
    db_finalize(s);
    return rc == DB_DONE ? ch : (rc < 0 ? rc : DB_ERROR);
}

/* Flush the buffered rows: full chunks of ROWS_MAX, then the remainder by powers of two. 0 all inserted,
 * 1 some id existed (the caller falls back), < 0 store error. */
static int rows_flush(db_conn *c, row *r, int *nr, const char *today, int64_t now)
{
    int done = 0, n = *nr;
    while (done < n) {
        int left = n - done, k = ROWS_LOG;
        while ((1 << k) > left) k--;
        int64_t ins = rows_insert(c, r + done, k, today, now);
        if (ins < 0) return (int)ins;
        if (ins != (1 << k)) return 1;
        done += 1 << k;
    }
    *nr = 0;
    return 0;
}

static int create_rows(db_conn *c, const zx_fund_transfer *t, int n, enum zx_tr_result *res);

/* The bulk path (see above). Returns like zx_ledger_create_transfers, or 2 = fall back to the row path
 * (the savepoint is rolled back: nothing of this call remains). */
static int create_bulk(db_conn *c, const zx_fund_transfer *t, int n, enum zx_tr_result *res)
{
    pthread_once(&rows_once, rows_sql_init);
    if (exec_sql(c, "SAVEPOINT zx_ledger_bulk")) return DB_ERROR;
    batch b = { 0 };
    row *r = malloc((size_t)ROWS_MAX * sizeof *r);
    undo u[2];
    int nr = 0, ret = 0, rc = r ? gather(c, &b, t, n) : DB_ERROR;
    char today[11];
    zx_date_format(zx_today(), today);
    int64_t now = zx_now_ms();
    for (int i = 0; i < n && rc >= 0; i++) {
        int nu = 0;
        int64_t amount = 0, debit = 0, credit = 0;
        int x = apply_one(c, &b, &t[i], u, &nu, &amount, &debit, &credit);
        if (x < 0) {
            rc = x;
            break;
        }
        if (x == ZX_TR_OK) {
            r[nr++] = (row){ &t[i], debit, credit, amount };
            res[i] = ZX_TR_OK;
            if (nr == ROWS_MAX && (rc = rows_flush(c, r, &nr, today, now)) != 0) break;
            continue;
        }
        /* refused: maybe a retry of a transfer already posted — stored rows decide, so flush first */
        if (x != ZX_TR_ID_INVALID) {
            if ((rc = rows_flush(c, r, &nr, today, now)) != 0) break;
            int e = existing_result(c, &t[i]);
            if (e < 0) {
                rc = e;
                break;
            }
            if (e > 0) x = e;
        }
        res[i] = (enum zx_tr_result)x;
        if (x != ZX_TR_EXISTS) ret = 1;
    }
    if (rc == 0) rc = rows_flush(c, r, &nr, today, now);
    if (rc == 0) rc = flush(c, &b);
    free(b.v);
    free(b.p);
    free(r);
    if (rc == 1) { /* an id existed: undo everything of this call and take the row path */
        if (exec_sql(c, "ROLLBACK TO SAVEPOINT zx_ledger_bulk") || exec_sql(c, "RELEASE SAVEPOINT zx_ledger_bulk"))
            return DB_ERROR;
        return 2;
    }
    if (rc < 0) return rc;
    if (exec_sql(c, "RELEASE SAVEPOINT zx_ledger_bulk")) return DB_ERROR;
    return ret;
}

int zx_ledger_create_transfers(db_conn *c, const zx_fund_transfer *t, int n, enum zx_tr_result *res)
{
    if (n <= 0) return 0;
    /* PostgreSQL only: there a statement is a round trip. On SQLite a prepared one-row INSERT reused per
     * row is cheaper in CPU than a 256-row VALUES list (measured: ~10 % more CPU per transfer). */
    bool bulk = n >= 8 && db_conn_kind(c) == DB_POSTGRES;
    for (int i = 0; i < n && bulk; i++)
        if (t[i].flags & (ZX_TR_LINKED | ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING)) bulk = false;
    if (bulk) {
        int rc = create_bulk(c, t, n, res);
        if (rc != 2) return rc;
    }
    return create_rows(c, t, n, res);
}

/* The row-by-row path: every transfer, chains, post/void. */
static int create_rows(db_conn *c, const zx_fund_transfer *t, int n, enum zx_tr_result *res)
{
    batch b = { 0 };
    undo *u = NULL;
    db_stmt *ins = NULL;
    int ret = 0, rc = gather(c, &b, t, n);
    if (rc < 0) {
        ret = rc;
        goto out;
    }
    char today[11];
    zx_date_format(zx_today(), today);
    int64_t now = zx_now_ms();
    int ucap = 0;
    for (int i = 0; i < n;) {
        int j = i; /* chain [i, j] */
        while (j < n - 1 && (t[j].flags & ZX_TR_LINKED)) j++;
        bool open_chain = (t[j].flags & ZX_TR_LINKED) != 0;
        int len = j - i + 1;
        if (ucap < 2 * len) {
            ucap = 2 * len;
            undo *nu = realloc(u, (size_t)ucap * sizeof *u);
            if (!nu) {
                ret = DB_ERROR;
                goto out;
            }
            u = nu;
        }
        bool chained = len > 1;
        if (chained && exec_sql(c, "SAVEPOINT zx_ledger_chain")) {
            ret = DB_ERROR;
            goto out;
        }
        int nu = 0, failed_at = -1, nexist = 0;
        enum zx_tr_result fail = ZX_TR_OK;
        for (int k = i; k <= j; k++) {
            int64_t amount = 0, debit = 0, credit = 0;
            int r = open_chain ? ZX_TR_LINKED_CHAIN_OPEN : apply_one(c, &b, &t[k], u, &nu, &amount, &debit, &credit);
            if (r < 0) {
                ret = r;
                goto out;
            }
            /* A refused plain/pending transfer may be a retry of one already posted (whose effect
             * is why it no longer fits): the id decides. */
            if (r != ZX_TR_OK && r != ZX_TR_LINKED_CHAIN_OPEN && r != ZX_TR_ID_INVALID &&
                !(t[k].flags & (ZX_TR_POST_PENDING | ZX_TR_VOID_PENDING))) {
                int e = existing_result(c, &t[k]);
                if (e < 0) {
                    ret = e;
                    goto out;
                }
                if (e > 0) r = e;
            }
            if (r == ZX_TR_OK) {
                rc = insert_row(c, &ins, &t[k], debit, credit, amount, today, now);
                if (rc < 0) {
                    ret = rc;
                    goto out;
                }
                if (rc == 1) { /* the id exists: undo this transfer's totals and compare */
                    for (int q = nu - 1; q >= nu - 2; q--) {
                        u[q].s->a.debits_pending = u[q].dp;
                        u[q].s->a.debits_posted = u[q].dpo;
                        u[q].s->a.credits_pending = u[q].cp;
                        u[q].s->a.credits_posted = u[q].cpo;
                        u[q].s->dirty = u[q].dirty;
                    }
                    nu -= 2;
                    r = existing_result(c, &t[k]);
                    if (r <= 0) {
                        ret = r < 0 ? r : DB_ERROR;
                        goto out;
                    }
                }
            }
            if (r == ZX_TR_EXISTS) nexist++;
            res[k] = (enum zx_tr_result)r;
            if (r != ZX_TR_OK && r != ZX_TR_EXISTS && failed_at < 0) {
                failed_at = k;
                fail = (enum zx_tr_result)r;
                break;
            }
        }
        /* A chain holding both new and already-posted transfers is not a clean retry: fail it. */
        if (failed_at < 0 && chained && nexist > 0 && nexist < len) {
            failed_at = i;
            fail = ZX_TR_EXISTS_DIFFERENT;
        }
        if (failed_at >= 0) {
            for (int k = nu - 1; k >= 0; k--) {
                u[k].s->a.debits_pending = u[k].dp;
                u[k].s->a.debits_posted = u[k].dpo;
                u[k].s->a.credits_pending = u[k].cp;
                u[k].s->a.credits_posted = u[k].cpo;
                u[k].s->dirty = u[k].dirty;
            }
            if (chained && exec_sql(c, "ROLLBACK TO SAVEPOINT zx_ledger_chain")) {
                ret = DB_ERROR;
                goto out;
            }
            for (int k = i; k <= j; k++) res[k] = k == failed_at ? fail : ZX_TR_LINKED_EVENT_FAILED;
            if (!chained) res[i] = fail;
            ret = 1;
        }
        if (chained && exec_sql(c, "RELEASE SAVEPOINT zx_ledger_chain")) {
            ret = DB_ERROR;
            goto out;
        }
        i = j + 1;
    }
    rc = flush(c, &b);
    if (rc < 0) ret = rc;
out:
    db_finalize(ins);
    free(b.v);
    free(b.p);
    free(u);
    return ret;
}

int zx_ledger_transfer(db_conn *c, const zx_fund_transfer *t)
{
    enum zx_tr_result r = ZX_TR_OK;
    int rc = zx_ledger_create_transfers(c, t, 1, &r);
    return rc < 0 ? rc : (int)r;
}
