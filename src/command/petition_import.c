/* petition_import.c — history import of petitions (see petition_import.h). The file is read whole and
 * validated first; any error → nothing is written. Deadlines are recomputed from received_on with the
 * working-day calendar (2021 意见 item 30), so imported petitions count in 执行信访办结率 like new ones. */
#include "command/petition_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account/authz.h"
#include "command/command.h"
#include "core/ids.h"
#include "rules/case_no.h"
#include "rules/command.h"

enum { C_NO, C_COURT, C_CHANNEL, C_NAME, C_RECEIVED, C_REGISTERED, C_CLOSED, C_RESOLVED, C_REPEAT, C_CASE, C_CONTENT, NCOL };
static const char *cols[NCOL] = { "petition_no", "court_code", "channel", "petitioner_name", "received_on",
                                  "registered_on", "closed_on", "resolved", "is_repeat", "case_no", "content" };
static const struct { const char *zh, *code; } channel_zh[] = {
    { "来访", "visit" }, { "来信", "letter" }, { "来电", "phone" }, { "网上信访", "portal" }, { "上级交办", "referral" },
};

typedef struct prow {
    int64_t line, court_id, case_id;
    char *f[NCOL];
    zx_date received, registered, closed;
    const char *channel;
    int resolved, repeat;
} prow;

typedef struct pctx {
    zx_import_result *res;
    int max;
} pctx;

static void __attribute__((format(printf, 5, 6))) err(pctx *x, int64_t line, const char *col, const char *code, const char *fmt, ...)
{
    x->res->nerrors++;
    if (x->res->nkept >= x->max) return;
    zx_import_err *e = &x->res->errs[x->res->nkept++];
    e->line = line;
    snprintf(e->column, sizeof e->column, "%s", col);
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* One RFC 4180 record from *p (advanced); fields malloc'd into out (≤ cap). Returns the number of
 * fields, 0 at the end, -1 on bad quoting. *lines gets the physical lines consumed. */
static int record(const char **p, const char *end, char **out, int cap, int *lines)
{
    const char *s = *p;
    *lines = 0;
    if (s >= end) return 0;
    int n = 0;
    for (;;) {
        size_t bcap = 64, bn = 0;
        char *b = malloc(bcap);
        if (!b) return -1;
        if (s < end && *s == '"') {
            s++;
            for (;;) {
                if (s >= end) {
                    free(b);
                    return -1;
                }
                if (*s == '"') {
                    if (s + 1 < end && s[1] == '"') {
                        s += 2;
                        if (bn + 1 >= bcap) b = realloc(b, bcap *= 2);
                        b[bn++] = '"';
                        continue;
                    }
                    s++;
                    break;
                }
                if (*s == '\n') (*lines)++;
                if (bn + 1 >= bcap) b = realloc(b, bcap *= 2);
                b[bn++] = *s++;
            }
            if (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                free(b);
                return -1;
            }
        } else {
            while (s < end && *s != ',' && *s != '\n' && *s != '\r') {
                if (bn + 1 >= bcap) b = realloc(b, bcap *= 2);
                b[bn++] = *s++;
            }
        }
        b[bn] = 0;
        if (n < cap) out[n] = b;
        else free(b);
        n++;
        if (s < end && *s == ',') {
            s++;
            continue;
        }
        if (s < end && *s == '\r') s++;
        if (s < end && *s == '\n') s++;
        (*lines)++;
        break;
    }
    *p = s;
    return n;
}

static const char *skip_bom(const char *data, size_t *len)
{
    if (*len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF) {
        *len -= 3;
        return data + 3;
    }
    return data;
}

bool zx_import_is_petitions(const char *data, size_t len)
{
    data = skip_bom(data, &len);
    const char *nl = memchr(data, '\n', len);
    size_t n = nl ? (size_t)(nl - data) : len;
    for (size_t i = 0; i + 11 <= n; i++)
        if (!memcmp(data + i, "petition_no", 11)) return true;
    return false;
}

static bool parse_date_opt(pctx *x, prow *r, int c, bool required, zx_date *out)
{
    const char *v = r->f[c];
    if (!v || !*v) {
        if (required) err(x, r->line, cols[c], "REQUIRED", "%s 不能为空", cols[c]);
        *out = ZX_DATE_NONE;
        return !required;
    }
    if (zx_date_parse(v, out)) {
        err(x, r->line, cols[c], "INVALID_DATE", "%s 不是有效日期（YYYY-MM-DD）：%.40s", cols[c], v);
        return false;
    }
    return true;
}

static int flag(pctx *x, prow *r, int c)
{
    const char *v = r->f[c];
    if (!v || !*v || !strcmp(v, "0")) return 0;
    if (!strcmp(v, "1")) return 1;
    err(x, r->line, cols[c], "INVALID_FLAG", "%s 只能是 1 或 0", cols[c]);
    return 0;
}

static void validate(pctx *x, db_conn *c, const zx_import_opts *o, prow *r, zx_date today)
{
    const char *no = r->f[C_NO];
    if (!no || !*no) err(x, r->line, "petition_no", "REQUIRED", "信访编号不能为空");
    else if (strlen(no) > 64) err(x, r->line, "petition_no", "TOO_LONG", "信访编号过长");
    const zx_court *ct = r->f[C_COURT] && *r->f[C_COURT] ? zx_court_by_code(r->f[C_COURT]) : NULL;
    if (!ct) err(x, r->line, "court_code", "UNKNOWN_COURT", "法院代字不存在：%.40s", r->f[C_COURT] ? r->f[C_COURT] : "");
    else if (o->court_allowed && !o->court_allowed(ct->id, o->arg))
        err(x, r->line, "court_code", "COURT_FORBIDDEN", "无权导入该法院的信访：%s", ct->code);
    else r->court_id = ct->id;
    const char *ch = r->f[C_CHANNEL];
    r->channel = NULL;
    for (size_t i = 0; ch && i < sizeof channel_zh / sizeof channel_zh[0]; i++)
        if (!strcmp(ch, channel_zh[i].zh) || !strcmp(ch, channel_zh[i].code)) r->channel = channel_zh[i].code;
    if (!r->channel) err(x, r->line, "channel", "INVALID_ENUM", "信访渠道无效：%.40s（来访/来信/来电/网上信访/上级交办）", ch ? ch : "");
    const char *nm = r->f[C_NAME];
    if (!nm || !*nm) err(x, r->line, "petitioner_name", "REQUIRED", "信访人不能为空");
    else if (strlen(nm) > 200) err(x, r->line, "petitioner_name", "TOO_LONG", "信访人过长");
    if (r->f[C_CONTENT] && strlen(r->f[C_CONTENT]) > 8000) err(x, r->line, "content", "TOO_LONG", "信访内容过长");
    bool ok = parse_date_opt(x, r, C_RECEIVED, true, &r->received);
    ok &= parse_date_opt(x, r, C_REGISTERED, false, &r->registered);
    ok &= parse_date_opt(x, r, C_CLOSED, false, &r->closed);
    if (ok) {
        if (r->received > today) err(x, r->line, "received_on", "DATE_ORDER", "收到日期不能晚于今天");
        if (r->registered != ZX_DATE_NONE && (r->registered < r->received || r->registered > today))
            err(x, r->line, "registered_on", "DATE_ORDER", "录入日期必须在收到日期与今天之间");
        if (r->closed != ZX_DATE_NONE && (r->closed < r->received || r->closed > today))
            err(x, r->line, "closed_on", "DATE_ORDER", "办结日期必须在收到日期与今天之间");
    }
    r->resolved = flag(x, r, C_RESOLVED);
    r->repeat = flag(x, r, C_REPEAT);
    if (r->resolved && r->closed == ZX_DATE_NONE) err(x, r->line, "resolved", "UNEXPECTED", "未办结的信访不能标记为已化解");
    const char *cn = r->f[C_CASE];
    if (cn && *cn) {
        int64_t cc = 0;
        r->case_id = zx_cmd_case_lookup(c, cn, &cc);
        if (!r->case_id) err(x, r->line, "case_no", "UNKNOWN_CASE", "关联案件不存在：%.60s（请先导入案件）", cn);
        else if (r->court_id && cc != r->court_id) err(x, r->line, "case_no", "CASE_COURT_MISMATCH", "关联案件不属于该法院");
    }
}

static int write_all(db_conn *c, prow *rows, int64_t n, int64_t *courts_out)
{
    static const char *sql = "INSERT INTO petition (id, petition_no, court_id, channel, petitioner_name, content, case_id,"
                               " case_no, received_on, register_due_on, registered_on, due_on, is_repeat, status, reply,"
                               " closed_on, resolved, imported, created_ms, updated_ms)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT case_no FROM enf_case WHERE id = ?), ?, ?, ?, ?, ?, ?,"
                               " ?, ?, ?, 1, ?, ?)";
    int64_t now = zx_now_ms();
    int64_t seen[64];
    int nseen = 0;
    for (int64_t i = 0; i < n; i++) {
        prow *r = &rows[i];
        db_stmt *s = db_prepare(c, sql); /* cached per connection: reset with bindings cleared */
        if (!s) return -1;
        char rec[11], rdue[11], reg[11], due[11], clo[11];
        zx_date_format(r->received, rec);
        zx_date_format(zx_cmd_petition_register_due(r->received), rdue);
        zx_date_format(zx_cmd_petition_due(r->received), due);
        if (r->registered != ZX_DATE_NONE) zx_date_format(r->registered, reg);
        if (r->closed != ZX_DATE_NONE) zx_date_format(r->closed, clo);
        db_bind_int64(s, 1, zx_id_new());
        db_bind_text(s, 2, r->f[C_NO], -1);
        db_bind_int64(s, 3, r->court_id);
        db_bind_text(s, 4, r->channel, -1);
        db_bind_text(s, 5, r->f[C_NAME], -1);
        db_bind_text(s, 6, r->f[C_CONTENT] && *r->f[C_CONTENT] ? r->f[C_CONTENT] : "（历史导入）", -1);
        if (r->case_id) db_bind_int64(s, 7, r->case_id);
        else db_bind_null(s, 7);
        db_bind_int64(s, 8, r->case_id);
        db_bind_text(s, 9, rec, -1);
        db_bind_text(s, 10, rdue, -1);
        db_bind_text(s, 11, r->registered != ZX_DATE_NONE ? reg : NULL, -1);
        db_bind_text(s, 12, due, -1);
        db_bind_int64(s, 13, r->repeat);
        db_bind_text(s, 14, r->closed != ZX_DATE_NONE ? "closed" : r->registered != ZX_DATE_NONE ? "registered" : "received", -1);
        db_bind_text(s, 15, r->closed != ZX_DATE_NONE ? "（历史导入：已答复）" : NULL, -1);
        db_bind_text(s, 16, r->closed != ZX_DATE_NONE ? clo : NULL, -1);
        db_bind_int64(s, 17, r->resolved);
        db_bind_int64(s, 18, now);
        db_bind_int64(s, 19, now);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return rc == DB_ECONSTRAINT ? -2 - (int)i : -1; /* duplicate petition_no in the store */
        bool found = false;
        for (int k = 0; k < nseen; k++) found |= seen[k] == r->court_id;
        if (!found && nseen < 64) seen[nseen++] = r->court_id;
    }
    *courts_out = nseen;
    return 0;
}

int zx_import_petitions(db_conn *c, const char *data, size_t len, const zx_import_opts *o, zx_import_result *res)
{
    memset(res, 0, sizeof *res);
    pctx x = { res, o->max_errors > 0 ? o->max_errors : 100 };
    res->errs = calloc((size_t)x.max, sizeof *res->errs);
    if (!res->errs) return DB_ERROR;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    data = skip_bom(data, &len);
    const char *p = data, *end = data + len;
    char *hdr[32];
    int lines, map[NCOL];
    int64_t line = 1;
    int nh = record(&p, end, hdr, 32, &lines);
    for (int k = 0; k < NCOL; k++) map[k] = -1;
    for (int i = 0; i < nh && i < 32; i++) {
        int k = 0;
        for (; k < NCOL; k++)
            if (!strcmp(hdr[i], cols[k])) break;
        if (k == NCOL) err(&x, 1, hdr[i], "UNKNOWN_COLUMN", "未知列：%.40s", hdr[i]);
        else if (map[k] >= 0) err(&x, 1, hdr[i], "DUPLICATE_COLUMN", "列重复：%s", hdr[i]);
        else map[k] = i;
    }
    for (int k = 0; k < NCOL; k++)
        if (nh > 0 && map[k] < 0) err(&x, 1, cols[k], "MISSING_COLUMN", "缺少列：%s", cols[k]);
    for (int i = 0; i < nh && i < 32; i++) free(hdr[i]);
    if (nh <= 0) err(&x, 1, "", nh < 0 ? "BAD_QUOTING" : "EMPTY_FILE", "文件为空或表头无效");
    line += lines;
    prow *rows = NULL;
    int64_t nrows = 0, cap = 0;
    zx_date today = zx_today();
    while (!res->nerrors || res->nkept < x.max) {
        if (p >= end) break;
        char *f[32];
        int64_t at = line;
        int n = record(&p, end, f, 32, &lines);
        line += lines;
        if (n == 0) break;
        if (n < 0) {
            err(&x, at, "", "BAD_QUOTING", "第%lld行引号不匹配", (long long)at);
            break;
        }
        if (n == 1 && !f[0][0]) { /* blank line */
            free(f[0]);
            continue;
        }
        if (n != nh) {
            err(&x, at, "", "FIELD_COUNT", "字段数 %d 与表头 %d 不一致", n, nh);
            for (int i = 0; i < n && i < 32; i++) free(f[i]);
            continue;
        }
        if (nrows == cap) {
            cap = cap ? cap * 2 : 256;
            rows = realloc(rows, sizeof *rows * (size_t)cap);
        }
        prow *r = &rows[nrows++];
        memset(r, 0, sizeof *r);
        r->line = at;
        for (int k = 0; k < NCOL; k++) r->f[k] = map[k] >= 0 && map[k] < 32 ? f[map[k]] : NULL;
        for (int i = 0; i < n && i < 32; i++) {
            bool used = false;
            for (int k = 0; k < NCOL; k++) used |= map[k] == i;
            if (!used) free(f[i]);
        }
        if (nh > 0) validate(&x, c, o, r, today);
        for (int64_t j = 0; j + 1 < nrows && r->f[C_NO]; j++)
            if (rows[j].f[C_NO] && !strcmp(rows[j].f[C_NO], r->f[C_NO])) {
                err(&x, at, "petition_no", "DUPLICATE_PETITION_NO", "信访编号在文件中重复（第%lld行）", (long long)rows[j].line);
                break;
            }
    }
    res->rows = nrows;
    if (nrows == 0 && !res->nerrors) err(&x, 0, "", "EMPTY_FILE", "文件没有数据行");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->validate_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    int rc = 1;
    if (!res->nerrors) {
        rc = db_begin(c) ? DB_ERROR : 0;
        int64_t ncourts = 0;
        int w = rc ? -1 : write_all(c, rows, nrows, &ncourts);
        if (w <= -2) {
            int64_t i = -2 - w;
            err(&x, rows[i].line, "petition_no", "PETITION_EXISTS", "信访编号已存在：%.60s", rows[i].f[C_NO]);
            rc = 1;
        } else if (w < 0) {
            rc = DB_ERROR;
        }
        char detail[160];
        snprintf(detail, sizeof detail, "{\"kind\":\"petitions\",\"rows\":%lld,\"courts\":%lld}", (long long)nrows,
                 (long long)ncourts);
        if (!rc && o->audit && o->audit(c, o->arg, detail)) rc = DB_ERROR;
        if (!rc && db_commit(c)) rc = DB_ERROR;
        if (rc) {
            if (rc < 0) snprintf(res->db_error, sizeof res->db_error, "%s", db_errmsg(c));
            db_rollback(c);
        } else {
            res->inserted = nrows;
            res->courts = ncourts;
            for (int64_t i = 0; i < nrows; i++) {
                if (rows[i].closed != ZX_DATE_NONE) res->closed++;
                else res->opened++;
            }
        }
        struct timespec t2;
        clock_gettime(CLOCK_MONOTONIC, &t2);
        res->write_ms = (double)(t2.tv_sec - t1.tv_sec) * 1e3 + (double)(t2.tv_nsec - t1.tv_nsec) / 1e6;
    }
    for (int64_t i = 0; i < nrows; i++)
        for (int k = 0; k < NCOL; k++) free(rows[i].f[k]);
    free(rows);
    return rc;
}
