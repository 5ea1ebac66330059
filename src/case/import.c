/* import.c — CSV history import of enforcement cases (see import.h, docs/INDICATORS.md "Import"). */
#include "case/import.h"
#include "command/petition_import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/money.h"
#include "rules/case_no.h"
#include "rules/clocks.h"
#include "rules/credit_code.h"
#include "rules/fees.h"
#include "core/pii.h"
#include "rules/id_number.h"

enum col {
    C_CASE_NO, C_COURT, C_TYPE, C_FILED, C_CLOSED, C_MODE, C_CLAIM, C_RECOVERED, C_ASSETS,
    C_DEDUCTED, C_NONLIT, C_APPLICANT, C_DEBTOR, C_DEBTOR_ID, NCOLS
};
static const char *col_names[NCOLS] = {
    "case_no", "court_code", "case_type", "filed_on", "closed_on", "closure_mode", "claim", "recovered",
    "has_assets", "deducted_days", "non_litigation", "applicant_name", "debtor_name", "debtor_id",
};

/* 结案方式 names (立案结案意见 art 14) → closure_mode codes (GLOSSARY). */
static const struct {
    const char *zh, *code;
} modes[] = {
    { "执行完毕", "completed" },         { "终结本次执行程序", "interim_closure" },
    { "终结执行", "termination" },       { "销案", "withdrawal" },
    { "不予执行", "non_enforcement" },   { "驳回申请", "rejection" },
};
#define NMODES 6

#define MAX_NAME_BYTES 300
#define MAX_DEDUCTED_DAYS 3650

typedef struct row {
    int64_t line;
    char case_no[ZX_CASE_NO_MAX];
    int64_t court_id;
    const struct zx_case_type *type;
    int year;
    int64_t seq;
    zx_date filed, closed;     /* closed = ZX_DATE_NONE while open */
    int mode;                  /* index into modes, -1 */
    int64_t claim, recovered;
    int deducted;
    unsigned char assets, nonlit;
    unsigned char debtor_kind; /* 0 unknown, 1 person (ID), 2 unit (USCC) */
    const char *applicant, *debtor;
    char debtor_id[19];
    zx_date debtor_birth;
    unsigned char debtor_sex;
} row;

/* ---------------------------------------------------------------- small arena for unquoted copies */
typedef struct arena_blk {
    struct arena_blk *next;
    size_t used, cap;
    char data[];
} arena_blk;
typedef struct arena {
    arena_blk *head;
} arena;

static char *arena_dup(arena *a, const char *s, size_t n)
{
    if (!a->head || a->head->used + n + 1 > a->head->cap) {
        size_t cap = n + 1 > (1u << 20) ? n + 1 : (1u << 20);
        arena_blk *b = malloc(sizeof *b + cap);
        if (!b) zx_die("import: out of memory");
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    char *p = a->head->data + a->head->used;
    memcpy(p, s, n);
    p[n] = 0;
    a->head->used += n + 1;
    return p;
}

static void arena_free(arena *a)
{
    while (a->head) {
        arena_blk *n = a->head->next;
        free(a->head);
        a->head = n;
    }
}

/* ---------------------------------------------------------------- errors */
typedef struct ctx {
    const zx_import_opts *o;
    zx_import_result *res;
    int max_errors;
    arena ar;
    /* courts: code → id */
    int ncourts;
    struct {
        char code[24];
        int64_t id;
    } *courts;
    zx_date today;
} ctx;

static void __attribute__((format(printf, 5, 6)))
add_err(ctx *x, int64_t line, const char *column, const char *code, const char *fmt, ...)
{
    zx_import_result *r = x->res;
    r->nerrors++;
    if (r->nkept >= x->max_errors) return;
    zx_import_err *e = &r->errs[r->nkept++];
    e->line = line;
    snprintf(e->column, sizeof e->column, "%s", column ? column : "");
    snprintf(e->code, sizeof e->code, "%s", code);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- CSV reader (RFC 4180) */
typedef struct field {
    const char *p;
    size_t n;
} field;

typedef struct csv {
    const char *s, *end;
    int64_t line;   /* line of the next record's start */
} csv;

/* Read one record into f (up to cap fields). Returns the number of fields, 0 at end of input, or -1
 * on a quoting error (the rest of the record is skipped). *rec_line gets its first line. */
static int csv_record(csv *c, arena *ar, field *f, int cap, int64_t *rec_line, bool *blank)
{
    if (c->s >= c->end) return 0;
    *rec_line = c->line;
    int n = 0;
    bool bad = false;
    const char *p = c->s;
    *blank = false;
    if (*p == '\n' || (*p == '\r' && p + 1 < c->end && p[1] == '\n')) *blank = true;
    for (;;) {
        const char *start;
        size_t len;
        if (p < c->end && *p == '"') {
            /* quoted field; "" is an escaped quote; may span lines */
            p++;
            start = p;
            bool copy = false;
            const char *q = p;
            while (q < c->end) {
                if (*q == '"') {
                    if (q + 1 < c->end && q[1] == '"') {
                        copy = true;
                        q += 2;
                        continue;
                    }
                    break;
                }
                if (*q == '\n') c->line++;
                q++;
            }
            if (q >= c->end) { /* unterminated */
                bad = true;
                p = q;
                len = 0;
            } else {
                len = (size_t)(q - start);
                p = q + 1;
                if (copy) {
                    char *d = arena_dup(ar, start, len);
                    size_t o = 0;
                    for (size_t i = 0; i < len; i++) {
                        d[o++] = d[i];
                        if (d[i] == '"') i++;
                    }
                    d[o] = 0;
                    start = d;
                    len = o;
                }
                if (p < c->end && *p != ',' && *p != '\n' && *p != '\r') bad = true;
            }
        } else {
            start = p;
            while (p < c->end && *p != ',' && *p != '\n' && *p != '\r') {
                if (*p == '"') bad = true;
                p++;
            }
            len = (size_t)(p - start);
            /* trim blanks around unquoted fields */
            while (len && (*start == ' ' || *start == '\t')) start++, len--;
            while (len && (start[len - 1] == ' ' || start[len - 1] == '\t')) len--;
        }
        if (n < cap) {
            f[n].p = start;
            f[n].n = len;
        }
        n++;
        /* skip junk after a bad quote to the field end */
        while (bad && p < c->end && *p != ',' && *p != '\n') p++;
        if (p < c->end && *p == ',') {
            p++;
            continue;
        }
        if (p < c->end && *p == '\r') p++;
        if (p < c->end && *p == '\n') p++;
        c->line++;
        break;
    }
    c->s = p;
    return bad ? -1 : n;
}

/* ---------------------------------------------------------------- field checks */
static bool field_eq(const field *f, const char *s) { return f->n == strlen(s) && !memcmp(f->p, s, f->n); }

static char *fstr(const field *f, char *buf, size_t cap)
{
    size_t n = f->n < cap - 1 ? f->n : cap - 1;
    memcpy(buf, f->p, n);
    buf[n] = 0;
    return buf;
}

static int64_t court_lookup(ctx *x, const char *code)
{
    for (int i = 0; i < x->ncourts; i++)
        if (!strcmp(x->courts[i].code, code)) return x->courts[i].id;
    return 0;
}

static bool parse_flag(ctx *x, int64_t line, int col, const field *f, unsigned char *out)
{
    if (f->n == 0 || field_eq(f, "0")) {
        *out = 0;
        return true;
    }
    if (field_eq(f, "1")) {
        *out = 1;
        return true;
    }
    char b[32];
    add_err(x, line, col_names[col], "INVALID_FLAG", "第%lld行“%s”列应为 1 或 0，实际为“%s”",
            (long long)line, col == C_ASSETS ? "有财产" : col == C_NONLIT ? "非诉" : "标志", fstr(f, b, sizeof b));
    return false;
}

static bool utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        if (*p < 0x80) {
            if (*p < 0x20) return false;
            p++;
            continue;
        }
        int l = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : (*p & 0xF8) == 0xF0 ? 4 : 0;
        if (!l || p + l > e) return false;
        for (int i = 1; i < l; i++)
            if ((p[i] & 0xC0) != 0x80) return false;
        p += l;
    }
    return true;
}

/* Duplicate detection within the file: open addressing on the formatted case_no. */
typedef struct dupset {
    uint64_t *h;
    int32_t *idx;
    size_t cap;
} dupset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    while (*s) h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h | 1;
}

/* Returns the index of an earlier row with the same case_no, or -1 after inserting i. */
static int64_t dup_check(dupset *d, row *rows, int64_t i)
{
    uint64_t h = hash_str(rows[i].case_no);
    size_t m = d->cap - 1, k = (size_t)h & m;
    while (d->h[k]) {
        if (d->h[k] == h && !strcmp(rows[d->idx[k]].case_no, rows[i].case_no)) return d->idx[k];
        k = (k + 1) & m;
    }
    d->h[k] = h;
    d->idx[k] = (int32_t)i;
    return -1;
}

static bool looks_like_unit(const char *name)
{
    static const char *kw[] = { "公司", "厂", "中心", "银行", "合作社", "事务所", "商行", "集团", "协会",
                                "学校", "医院", "店", "局", "委员会", "研究院", "联社", "农场" };
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (strstr(name, kw[i])) return true;
    return false;
}

/* Validate one record; fills r. Returns false if it had errors (already reported). */
static bool validate_row(ctx *x, int64_t line, const field *f, const int *map, row *r)
{
    bool ok = true;
    char b[512];
    memset(r, 0, sizeof *r);
    r->line = line;
    r->mode = -1;
    r->closed = ZX_DATE_NONE;
    const field *F[NCOLS];
    for (int c = 0; c < NCOLS; c++) F[c] = &f[map[c]];

    /* court_code */
    char court[64];
    fstr(F[C_COURT], court, sizeof court);
    if (!court[0]) {
        add_err(x, line, "court_code", "REQUIRED", "第%lld行缺少法院代字", (long long)line);
        ok = false;
    } else if (!(r->court_id = court_lookup(x, court))) {
        add_err(x, line, "court_code", "UNKNOWN_COURT", "第%lld行法院代字“%s”不存在", (long long)line, court);
        ok = false;
    } else if (x->o->court_allowed && !x->o->court_allowed(r->court_id, x->o->arg)) {
        add_err(x, line, "court_code", "COURT_FORBIDDEN", "第%lld行：无权导入法院“%s”的案件", (long long)line,
                court);
        ok = false;
    }
    /* case_type */
    char type[32];
    fstr(F[C_TYPE], type, sizeof type);
    if (!(r->type = zx_case_type_by_code(type))) {
        add_err(x, line, "case_type", type[0] ? "UNKNOWN_CASE_TYPE" : "REQUIRED",
                "第%lld行案件类型代字“%s”无效（执、执恢、执保、执异、执复、执监、执协、执他）", (long long)line, type);
        ok = false;
    }
    /* filed_on / closed_on */
    bool dates_ok = true;
    if (zx_date_parse(fstr(F[C_FILED], b, sizeof b), &r->filed) != 0) {
        add_err(x, line, "filed_on", b[0] ? "INVALID_DATE" : "REQUIRED", "第%lld行立案日期“%s”不是有效日期（YYYY-MM-DD）",
                (long long)line, b);
        ok = dates_ok = false;
    } else if (r->filed > x->today) {
        add_err(x, line, "filed_on", "INVALID_DATE", "第%lld行立案日期 %s 晚于今天", (long long)line, b);
        ok = dates_ok = false;
    }
    if (F[C_CLOSED]->n) {
        if (zx_date_parse(fstr(F[C_CLOSED], b, sizeof b), &r->closed) != 0) {
            add_err(x, line, "closed_on", "INVALID_DATE", "第%lld行结案日期“%s”不是有效日期（YYYY-MM-DD）",
                    (long long)line, b);
            ok = dates_ok = false;
            r->closed = ZX_DATE_NONE;
        } else if (r->closed > x->today) {
            add_err(x, line, "closed_on", "INVALID_DATE", "第%lld行结案日期 %s 晚于今天", (long long)line, b);
            ok = false;
        } else if (dates_ok && r->closed < r->filed) {
            add_err(x, line, "closed_on", "DATE_ORDER", "第%lld行结案日期 %s 早于立案日期", (long long)line, b);
            ok = false;
        }
    }
    /* case_no: parses and agrees with court_code, case_type and the year of filed_on */
    char cn[128];
    fstr(F[C_CASE_NO], cn, sizeof cn);
    zx_case_no no;
    if (!cn[0]) {
        add_err(x, line, "case_no", "REQUIRED", "第%lld行缺少案号", (long long)line);
        ok = false;
    } else if (zx_case_no_parse(cn, &no) != 0) {
        add_err(x, line, "case_no", "INVALID_CASE_NO", "第%lld行案号“%s”格式无效（如（2024）辽0102执123号）",
                (long long)line, cn);
        ok = false;
    } else {
        if (court[0] && strcmp(no.court_code, court)) {
            add_err(x, line, "case_no", "CASE_NO_MISMATCH", "第%lld行案号中的法院代字“%s”与“法院代字”列“%s”不一致",
                    (long long)line, no.court_code, court);
            ok = false;
        }
        if (type[0] && strcmp(no.type_code, type)) {
            add_err(x, line, "case_no", "CASE_NO_MISMATCH", "第%lld行案号中的类型代字“%s”与“案件类型”列“%s”不一致",
                    (long long)line, no.type_code, type);
            ok = false;
        }
        if (dates_ok) {
            int y, m, d;
            zx_date_to_ymd(r->filed, &y, &m, &d);
            if (no.year != y) {
                add_err(x, line, "case_no", "CASE_NO_MISMATCH", "第%lld行案号年度 %d 与立案日期年度 %d 不一致",
                        (long long)line, no.year, y);
                ok = false;
            }
        }
        r->year = no.year;
        r->seq = no.seq;
        if (zx_case_no_format(&no, r->case_no, sizeof r->case_no) < 0) {
            add_err(x, line, "case_no", "INVALID_CASE_NO", "第%lld行案号“%s”无效", (long long)line, cn);
            ok = false;
        }
    }
    /* closure_mode iff closed */
    if (F[C_MODE]->n) {
        for (int i = 0; i < NMODES; i++)
            if (field_eq(F[C_MODE], modes[i].zh) || field_eq(F[C_MODE], modes[i].code)) r->mode = i;
        if (r->mode < 0) {
            add_err(x, line, "closure_mode", "INVALID_ENUM",
                    "第%lld行结案方式“%s”无效（执行完毕、终结本次执行程序、终结执行、销案、不予执行、驳回申请）",
                    (long long)line, fstr(F[C_MODE], b, sizeof b));
            ok = false;
        } else if (!F[C_CLOSED]->n) {
            add_err(x, line, "closure_mode", "UNEXPECTED", "第%lld行未填结案日期，不应填写结案方式", (long long)line);
            ok = false;
        }
    } else if (F[C_CLOSED]->n) {
        add_err(x, line, "closure_mode", "REQUIRED", "第%lld行已填结案日期，缺少结案方式", (long long)line);
        ok = false;
    }
    /* money */
    bool money_ok = true;
    if (F[C_CLAIM]->n == 0) r->claim = 0;
    else if (zx_money_parse(fstr(F[C_CLAIM], b, sizeof b), ZX_MONEY_NO_GROUPING, &r->claim) != 0) {
        add_err(x, line, "claim", "INVALID_AMOUNT", "第%lld行执行标的“%s”不是有效金额（元，最多两位小数）",
                (long long)line, b);
        ok = money_ok = false;
    }
    if (F[C_RECOVERED]->n == 0) r->recovered = 0;
    else if (zx_money_parse(fstr(F[C_RECOVERED], b, sizeof b), ZX_MONEY_NO_GROUPING, &r->recovered) != 0) {
        add_err(x, line, "recovered", "INVALID_AMOUNT", "第%lld行到位金额“%s”不是有效金额（元，最多两位小数）",
                (long long)line, b);
        ok = money_ok = false;
    }
    if (money_ok && r->recovered > r->claim) {
        add_err(x, line, "recovered", "EXCEEDS_CLAIM", "第%lld行到位金额大于执行标的", (long long)line);
        ok = false;
    }
    /* flags, deducted_days */
    if (!parse_flag(x, line, C_ASSETS, F[C_ASSETS], &r->assets)) ok = false;
    if (!parse_flag(x, line, C_NONLIT, F[C_NONLIT], &r->nonlit)) ok = false;
    if (F[C_DEDUCTED]->n) {
        fstr(F[C_DEDUCTED], b, sizeof b);
        char *end;
        long v = strtol(b, &end, 10);
        if (*end || b[0] == '-' || b[0] == '+' || v < 0 || v > MAX_DEDUCTED_DAYS || F[C_DEDUCTED]->n > 5) {
            add_err(x, line, "deducted_days", "INVALID_NUMBER", "第%lld行扣除天数“%s”应为 0–%d 的整数",
                    (long long)line, b, MAX_DEDUCTED_DAYS);
            ok = false;
        } else {
            r->deducted = (int)v;
        }
    }
    /* names */
    static const int name_cols[2] = { C_APPLICANT, C_DEBTOR };
    for (int k = 0; k < 2; k++) {
        const field *nf = F[name_cols[k]];
        const char *label = k ? "被执行人" : "申请执行人";
        if (!nf->n) {
            add_err(x, line, col_names[name_cols[k]], "REQUIRED", "第%lld行缺少%s名称", (long long)line, label);
            ok = false;
        } else if (nf->n > MAX_NAME_BYTES) {
            add_err(x, line, col_names[name_cols[k]], "TOO_LONG", "第%lld行%s名称过长", (long long)line, label);
            ok = false;
        } else if (!utf8_valid(nf->p, nf->n)) {
            add_err(x, line, col_names[name_cols[k]], "INVALID_TEXT", "第%lld行%s名称不是有效的 UTF-8 文本",
                    (long long)line, label);
            ok = false;
        }
    }
    /* debtor_id: an 18-digit ID number (GB 11643) or a 统一社会信用代码 (GB 32100) */
    if (F[C_DEBTOR_ID]->n) {
        char id[64];
        fstr(F[C_DEBTOR_ID], id, sizeof id);
        zx_idno_info info;
        char norm[19];
        if (F[C_DEBTOR_ID]->n == 18 && zx_idno_check(id, x->today, &info) == ZX_IDNO_OK) {
            r->debtor_kind = 1;
            memcpy(r->debtor_id, info.id, 19);
            r->debtor_birth = info.birth;
            r->debtor_sex = (unsigned char)info.sex;
        } else if (F[C_DEBTOR_ID]->n == 18 && zx_uscc_check(id, norm) == ZX_USCC_OK) {
            r->debtor_kind = 2;
            memcpy(r->debtor_id, norm, 19);
        } else {
            enum zx_idno_status st = zx_idno_check(id, x->today, NULL);
            add_err(x, line, "debtor_id", "INVALID_ID_NUMBER",
                    "第%lld行被执行人证件号“%s”既不是有效的身份证号码（%s），也不是有效的统一社会信用代码",
                    (long long)line, id, zx_idno_status_message(st));
            ok = false;
        }
    }
    if (!ok) return false;
    r->applicant = arena_dup(&x->ar, F[C_APPLICANT]->p, F[C_APPLICANT]->n);
    r->debtor = arena_dup(&x->ar, F[C_DEBTOR]->p, F[C_DEBTOR]->n);
    return true;
}

/* ---------------------------------------------------------------- write */
#define BATCH 100
#define CASE_COLS 28
#define PARTY_COLS 13

static char *values_sql(const char *head, int cols, int rows)
{
    size_t cap = strlen(head) + (size_t)rows * ((size_t)cols * 2 + 4) + 16;
    char *s = malloc(cap);
    if (!s) zx_die("import: out of memory");
    size_t n = (size_t)snprintf(s, cap, "%s", head);
    for (int r = 0; r < rows; r++) {
        s[n++] = r ? ',' : ' ';
        s[n++] = '(';
        for (int c = 0; c < cols; c++) {
            if (c) s[n++] = ',';
            s[n++] = '?';
        }
        s[n++] = ')';
    }
    s[n] = 0;
    return s;
}

static const char *CASE_HEAD =
    "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, stage, status, track, applied_on,"
    " filed_on, closed_on, closure_mode, claim_fen, recovered_fen, fee_fen, has_assets, non_litigation,"
    " deducted_days, extension_days, limit_date, gate_passed, basis_non_litigation, applicant_name,"
    " debtor_name, imported, created_ms, updated_ms) VALUES";
static const char *PARTY_HEAD =
    "INSERT INTO case_party (id, case_id, ord, role, kind, name, id_number, credit_code, sex, birth_date,"
    " court_id, filed_on, id_number_enc) VALUES"; /* id_number = blind index, id_number_enc sealed (core/pii.h) */

static void bind_date(db_stmt *s, int i, zx_date d)
{
    if (d == ZX_DATE_NONE) {
        db_bind_null(s, i);
        return;
    }
    char b[11];
    zx_date_format(d, b);
    db_bind_text(s, i, b, 10);
}

static int bind_case(db_stmt *s, int i, const row *r, int64_t id, int64_t now)
{
    bool closed = r->closed != ZX_DATE_NONE;
    db_bind_int64(s, i++, id);
    db_bind_text(s, i++, r->case_no, -1);
    db_bind_int64(s, i++, r->year);
    db_bind_int64(s, i++, r->court_id);
    db_bind_text(s, i++, r->type->code, -1);
    db_bind_int64(s, i++, r->seq);
    db_bind_text(s, i++, closed ? "closure" : "property_inquiry", -1);
    db_bind_text(s, i++, closed ? "closed" : "open", -1);
    db_bind_text(s, i++, "complex", -1);
    bind_date(s, i++, r->filed); /* applied_on: unknown in the old system; the filing date */
    bind_date(s, i++, r->filed);
    bind_date(s, i++, r->closed);
    if (r->mode >= 0) db_bind_text(s, i++, modes[r->mode].code, -1);
    else db_bind_null(s, i++);
    db_bind_int64(s, i++, r->claim);
    db_bind_int64(s, i++, r->recovered);
    db_bind_int64(s, i++, r->claim > 0 ? zx_fee_enforcement(r->claim) : 0);
    db_bind_int64(s, i++, r->assets);
    db_bind_int64(s, i++, r->nonlit);
    db_bind_int64(s, i++, r->deducted);
    db_bind_int64(s, i++, 0);
    bind_date(s, i++, zx_clock_limit_date(r->filed, r->nonlit, r->deducted, 0));
    /* Imported 终本 closures were ruled and approved in the old system: recorded as passed
     * (docs/INDICATORS.md "Imported cases"). */
    if (r->mode >= 0 && !strcmp(modes[r->mode].code, "interim_closure")) db_bind_int64(s, i++, 1);
    else db_bind_null(s, i++);
    db_bind_int64(s, i++, r->nonlit);
    db_bind_text(s, i++, r->applicant, -1);
    db_bind_text(s, i++, r->debtor, -1);
    db_bind_int64(s, i++, 1);
    db_bind_int64(s, i++, now);
    db_bind_int64(s, i++, now);
    return i;
}

/* which = 0 applicant, 1 debtor */
static int bind_party(db_stmt *s, int i, const row *r, int64_t case_id, int64_t id, int which)
{
    if (which == 0) {
        db_bind_int64(s, i++, id);
        db_bind_int64(s, i++, case_id);
        db_bind_int64(s, i++, 1);
        db_bind_text(s, i++, "applicant", -1);
        db_bind_text(s, i++, looks_like_unit(r->applicant) ? "unit" : "person", -1);
        db_bind_text(s, i++, r->applicant, -1);
        for (int k = 0; k < 4; k++) db_bind_null(s, i++);
        db_bind_int64(s, i++, r->court_id); /* party-name search (migration 006) */
        bind_date(s, i++, r->filed);
        db_bind_null(s, i++);
        return i;
    }
    db_bind_int64(s, i++, id);
    db_bind_int64(s, i++, case_id);
    db_bind_int64(s, i++, 2);
    db_bind_text(s, i++, "debtor", -1);
    bool unit = r->debtor_kind == 2 || (r->debtor_kind == 0 && looks_like_unit(r->debtor));
    db_bind_text(s, i++, unit ? "unit" : "person", -1);
    db_bind_text(s, i++, r->debtor, -1);
    if (r->debtor_kind == 1) {
        zx_pii_bind_index(s, i++, ZX_PII_ID_NUMBER, r->debtor_id);
        db_bind_null(s, i++);
        db_bind_text(s, i++, r->debtor_sex == ZX_SEX_MALE ? "M" : r->debtor_sex == ZX_SEX_FEMALE ? "F" : NULL, -1);
        bind_date(s, i++, r->debtor_birth);
    } else {
        db_bind_null(s, i++);
        if (r->debtor_kind == 2) db_bind_text(s, i++, r->debtor_id, -1);
        else db_bind_null(s, i++);
        db_bind_null(s, i++);
        db_bind_null(s, i++);
    }
    db_bind_int64(s, i++, r->court_id);
    bind_date(s, i++, r->filed);
    if (r->debtor_kind == 1) zx_pii_bind(s, i++, ZX_PII_ID_NUMBER, r->debtor_id);
    else db_bind_null(s, i++);
    return i;
}

/* Highest imported seq per (court, type, year) → case_seq. */
typedef struct seqkey {
    int64_t court_id;
    const char *type;
    int year;
    int64_t max;
} seqkey;

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1000.0 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Find which row of a failed batch holds a case_no already in the store. */
static int64_t find_existing(db_conn *c, const row *rows, int64_t from, int64_t n)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM enf_case WHERE case_no = ?");
    if (!s) return -1;
    for (int64_t i = from; i < from + n; i++) {
        db_bind_text(s, 1, rows[i].case_no, -1);
        int rc = db_step(s);
        db_finalize(s);
        if (rc == DB_ROW) return i;
        s = db_prepare(c, "SELECT 1 FROM enf_case WHERE case_no = ?");
        if (!s) return -1;
    }
    db_finalize(s);
    return -1;
}

static int write_rows(ctx *x, db_conn *c, row *rows, int64_t nrows)
{
    zx_import_result *res = x->res;
    bool sqlite = x->o->db && db_kind(x->o->db) == DB_SQLITE;
    /* PostgreSQL: multi-row INSERTs save round trips. SQLite: one row per statement — a multi-row
     * statement needs a statement journal (page images copied for every statement), which costs
     * more than SQLite's per-statement overhead. */
    const int batch = sqlite ? 1 : BATCH;
    char *sql_case = values_sql(CASE_HEAD, CASE_COLS, batch), *sql_party = values_sql(PARTY_HEAD, PARTY_COLS, 2 * batch);
    /* 1 GiB page cache while importing; statement journals of the multi-row INSERTs in memory. */
    if (sqlite && nrows > 10000) db_exec(c, "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; PRAGMA threads = 2");
    int rc = db_begin(c);
    if (rc < 0) {
        if (sqlite) db_exec(c, "PRAGMA cache_size = -2000");
        snprintf(res->db_error, sizeof res->db_error, "BEGIN: %s", db_errmsg(c));
        free(sql_case);
        free(sql_party);
        return rc;
    }
    /* PostgreSQL: the server's per-statement limit (db_postgres.c, 30 s for requests) does not apply to
     * an administrator's bulk import — its set-based case_search fill over 1M cases takes minutes on a
     * busy machine (bench/25-search.sh). SET LOCAL: this transaction only. */
    if (!sqlite && nrows > 10000) rc = db_exec(c, "SET LOCAL statement_timeout = 0");
    /* Large file on SQLite: drop the secondary indexes of enf_case and case_party inside the
     * transaction and rebuild them after the rows are in (one sort per index instead of a million
     * random B-tree inserts each). DDL is transactional: a failure rolls it all back. The
     * UNIQUE(case_no) and primary-key indexes stay, so duplicates are still caught row by row. */
    char **idx_sql = NULL;
    int nidx = 0;
    if (nrows >= 100000 && (sqlite || x->o->rebuild_indexes)) {
        /* PostgreSQL only on request (opts.rebuild_indexes): DROP INDEX locks readers out of the
         * tables until commit. Indexes backing a constraint (primary keys, UNIQUE(case_no)) stay. */
        db_stmt *q = db_prepare(c, sqlite
            ? "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
              " AND tbl_name IN ('enf_case', 'case_party') AND sql IS NOT NULL"
            : "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
              " JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname IN ('enf_case', 'case_party')"
              " AND pg_table_is_visible(t.oid)"
              " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid)");
        if (!q) rc = DB_ERROR;
        char **names = NULL;
        while (rc >= 0 && db_step(q) == DB_ROW) {
            idx_sql = realloc(idx_sql, sizeof(char *) * (size_t)(nidx + 1));
            names = realloc(names, sizeof(char *) * (size_t)(nidx + 1));
            if (!idx_sql || !names) zx_die("import: out of memory");
            names[nidx] = strdup(db_col_text(q, 0));
            idx_sql[nidx] = strdup(db_col_text(q, 1));
            nidx++;
        }
        if (q) db_finalize(q);
        for (int i = 0; i < nidx && rc >= 0; i++) {
            char drop[256];
            snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
            rc = db_exec(c, drop);
        }
        for (int i = 0; i < nidx; i++) free(names[i]);
        free(names);
    }
    /* case_search (migration 018) is kept by row triggers on enf_case and case_party; for the import it
     * is filled by two set-based INSERTs after the rows are in (one bulk fill of the trigram index
     * instead of a trigger call and index update per row). The insert triggers are switched off inside
     * this transaction and back on before commit, so no other session ever sees them off; a failure
     * rolls the switch back with the rows. SQLite: DROP the two INSERT triggers and re-CREATE them from
     * their stored SQL (SQLite has no DISABLE TRIGGER; the import holds the single write lock anyway).
     * PostgreSQL: ALTER TABLE … DISABLE TRIGGER (SHARE ROW EXCLUSIVE: readers go on, writers to the two
     * tables wait for the import's commit). Trigger names: 018_search.sql. */
    char *trg_sql[2] = { NULL, NULL };
    static const char *const trg_name[2] = { "case_search_case_ins", "case_search_party_ins" };
    if (rc >= 0 && sqlite) {
        for (int i = 0; i < 2 && rc >= 0; i++) {
            db_stmt *q = db_prepare(c, "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
            if (!q) {
                rc = DB_ERROR;
                break;
            }
            db_bind_text(q, 1, trg_name[i], -1);
            if (db_step(q) == DB_ROW && db_col_text(q, 0)) trg_sql[i] = strdup(db_col_text(q, 0));
            db_finalize(q);
            if (trg_sql[i]) {
                char drop[128];
                snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", trg_name[i]);
                rc = db_exec(c, drop);
            }
        }
    } else if (rc >= 0) {
        rc = db_exec(c, "ALTER TABLE enf_case DISABLE TRIGGER case_search_case");
        if (rc >= 0) rc = db_exec(c, "ALTER TABLE case_party DISABLE TRIGGER case_search_party");
    }
    int64_t id_lo = INT64_MAX, id_hi = INT64_MIN; /* the ids this import gave (time-ordered, core/ids.h) */
    int64_t now = zx_now_ms();
    int64_t *ids = malloc(sizeof(int64_t) * BATCH);
    int64_t conflict_at = -1;
    int conflict_n = 0;
    char *party_one = values_sql(PARTY_HEAD, PARTY_COLS, 1);
    for (int64_t at = 0; at < nrows && rc >= 0; at += batch) {
        int n = nrows - at < batch ? (int)(nrows - at) : batch;
        char *sc = sql_case, *sp = sql_party;
        char *tmp_c = NULL, *tmp_p = NULL;
        if (n < batch) {
            sc = tmp_c = values_sql(CASE_HEAD, CASE_COLS, n);
            sp = tmp_p = values_sql(PARTY_HEAD, PARTY_COLS, 2 * n);
        }
        db_stmt *s = db_prepare(c, sc);
        if (!s) {
            rc = DB_ERROR;
        } else {
            int bi = 1;
            for (int k = 0; k < n; k++) {
                ids[k] = zx_id_new();
                if (ids[k] < id_lo) id_lo = ids[k];
                bi = bind_case(s, bi, &rows[at + k], ids[k], now);
            }
            rc = db_step(s);
            db_finalize(s);
            if (rc == DB_ECONSTRAINT) {
                conflict_at = at;
                conflict_n = n;
            }
        }
        if (rc >= 0 && sqlite) {
            for (int k = 0; k < n && rc >= 0; k++) {
                int64_t pid[2] = { zx_id_new(), zx_id_new() };
                for (int w = 0; w < 2 && rc >= 0; w++) {
                    s = db_prepare(c, party_one);
                    if (!s) {
                        rc = DB_ERROR;
                        break;
                    }
                    bind_party(s, 1, &rows[at + k], ids[k], pid[w], w);
                    rc = db_step(s);
                    db_finalize(s);
                }
            }
        } else if (rc >= 0) {
            s = db_prepare(c, sp);
            if (!s) {
                rc = DB_ERROR;
            } else {
                int bi = 1;
                for (int k = 0; k < n; k++) {
                    bi = bind_party(s, bi, &rows[at + k], ids[k], zx_id_new(), 0);
                    bi = bind_party(s, bi, &rows[at + k], ids[k], zx_id_new(), 1);
                }
                rc = db_step(s);
                db_finalize(s);
            }
        }
        free(tmp_c);
        free(tmp_p);
        if (x->o->progress && rc >= 0 && (at + n) / 100000 != at / 100000)
            fprintf(stderr, "导入：已写入 %lld / %lld 行\n", (long long)(at + n), (long long)nrows);
    }
    free(ids);
    free(party_one);
    id_hi = zx_id_new(); /* every case and party id of this import lies in [id_lo, id_hi) */
    /* case_search: one row per imported case (its 案号) and per party (its name), as the triggers write */
    if (rc >= 0 && nrows > 0) {
        /* PostgreSQL's search rows also carry the court and filing date (migration 061) */
        const char *fill[2][2] = {
            { "INSERT INTO case_search (rowid, case_id, doc) SELECT id, id, case_no FROM enf_case WHERE id >= ? AND id < ?",
              "INSERT INTO case_search (rowid, case_id, doc) SELECT id, case_id, name FROM case_party WHERE id >= ? AND id < ?" },
            { "INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) SELECT id, id, case_no, court_id, filed_on"
              " FROM enf_case WHERE id >= ? AND id < ?",
              "INSERT INTO case_search (rowid, case_id, doc, court_id, filed_on) SELECT id, case_id, name, court_id, filed_on"
              " FROM case_party WHERE id >= ? AND id < ?" },
        };
        for (int i = 0; i < 2 && rc >= 0; i++) {
            char sql[320];
            /* PostgreSQL: ids are unique per node, another node's concurrent rows got theirs by trigger */
            snprintf(sql, sizeof sql, "%s%s", fill[!sqlite][i], sqlite ? "" : " ON CONFLICT (rowid) DO NOTHING");
            db_stmt *s = db_prepare(c, sql);
            if (!s) {
                rc = DB_ERROR;
                break;
            }
            db_bind_int64(s, 1, id_lo);
            db_bind_int64(s, 2, id_hi);
            rc = db_step(s);
            db_finalize(s);
        }
    }
    if (sqlite) {
        for (int i = 0; i < 2; i++) {
            if (trg_sql[i] && rc >= 0) rc = db_exec(c, trg_sql[i]);
            free(trg_sql[i]);
        }
    } else if (rc >= 0) {
        rc = db_exec(c, "ALTER TABLE enf_case ENABLE TRIGGER case_search_case");
        if (rc >= 0) rc = db_exec(c, "ALTER TABLE case_party ENABLE TRIGGER case_search_party");
    }
    free(sql_case);
    free(sql_party);

    if (nidx && rc >= 0 && x->o->progress) fprintf(stderr, "导入：重建 %d 个索引…\n", nidx);
    for (int i = 0; i < nidx && rc >= 0; i++) rc = db_exec(c, idx_sql[i]);
    for (int i = 0; i < nidx; i++) free(idx_sql[i]);
    free(idx_sql);

    /* case_seq: raise `last` to the highest imported number per court × type × year. */
    if (rc >= 0) {
        size_t cap = 1024, nk = 0;
        seqkey *keys = calloc(cap, sizeof *keys);
        for (int64_t i = 0; i < nrows; i++) {
            const row *r = &rows[i];
            size_t k = 0;
            for (; k < nk; k++)
                if (keys[k].court_id == r->court_id && keys[k].year == r->year && keys[k].type == r->type->code) break;
            if (k == nk) {
                if (nk == cap) {
                    cap *= 2;
                    keys = realloc(keys, cap * sizeof *keys);
                    if (!keys) zx_die("import: out of memory");
                }
                keys[nk++] = (seqkey){ r->court_id, r->type->code, r->year, 0 };
            }
            if (r->seq > keys[k].max) keys[k].max = r->seq;
        }
        for (size_t k = 0; k < nk && rc >= 0; k++) {
            db_stmt *s = db_prepare(c, "INSERT INTO case_seq (court_id, type_code, year, last) VALUES (?,?,?,?)"
                                       " ON CONFLICT (court_id, type_code, year) DO UPDATE SET last ="
                                       " CASE WHEN excluded.last > case_seq.last THEN excluded.last"
                                       " ELSE case_seq.last END");
            if (!s) {
                rc = DB_ERROR;
                break;
            }
            db_bind_int64(s, 1, keys[k].court_id);
            db_bind_text(s, 2, keys[k].type, -1);
            db_bind_int64(s, 3, keys[k].year);
            db_bind_int64(s, 4, keys[k].max);
            rc = db_step(s);
            db_finalize(s);
        }
        free(keys);
    }
    if (rc >= 0 && x->o->audit) {
        char detail[256];
        snprintf(detail, sizeof detail, "{\"rows\":%lld,\"courts\":%lld,\"open\":%lld,\"closed\":%lld}",
                 (long long)nrows, (long long)res->courts, (long long)res->opened, (long long)res->closed);
        rc = x->o->audit(c, x->o->arg, detail);
    }
    if (rc >= 0) rc = db_commit(c);
    if (rc < 0) {
        if (!res->db_error[0]) snprintf(res->db_error, sizeof res->db_error, "%s", db_errmsg(c));
        db_rollback(c);
        if (conflict_at >= 0) {
            /* after the rollback (PostgreSQL refuses queries in an aborted transaction): which row? */
            int64_t dup = find_existing(c, rows, conflict_at, conflict_n);
            if (dup >= 0)
                add_err(x, rows[dup].line, "case_no", "CASE_EXISTS", "第%lld行案号%s已存在于系统中",
                        (long long)rows[dup].line, rows[dup].case_no);
            else
                add_err(x, rows[conflict_at].line, "", "CONSTRAINT", "第%lld行起的记录违反数据约束：%s",
                        (long long)rows[conflict_at].line, res->db_error);
        }
    }
    if (sqlite && nrows > 10000) db_exec(c, "PRAGMA cache_size = -2000; PRAGMA temp_store = DEFAULT; PRAGMA foreign_keys = ON; PRAGMA shrink_memory; PRAGMA threads = 0");
    if (rc < 0) return rc;
    res->inserted = nrows;
    return 0;
}

/* ---------------------------------------------------------------- entry */
static int load_courts(ctx *x, db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT id, code FROM court");
    if (!s) return DB_ERROR;
    int cap = 64, rc;
    x->courts = malloc(sizeof(*x->courts) * (size_t)cap);
    while ((rc = db_step(s)) == DB_ROW) {
        if (x->ncourts == cap) {
            cap *= 2;
            x->courts = realloc(x->courts, sizeof(*x->courts) * (size_t)cap);
            if (!x->courts) zx_die("import: out of memory");
        }
        x->courts[x->ncourts].id = db_col_int64(s, 0);
        snprintf(x->courts[x->ncourts].code, sizeof x->courts[0].code, "%s", db_col_text(s, 1));
        x->ncourts++;
    }
    db_finalize(s);
    return rc < 0 ? rc : 0;
}

void zx_import_result_free(zx_import_result *res)
{
    free(res->errs);
    res->errs = NULL;
}

int zx_import_cases(db_conn *c, const char *data, size_t len, const zx_import_opts *o, zx_import_result *res)
{
    /* a petition file (header names petition_no): the command center's importer (docs/INDICATORS.md §5.1) */
    if (zx_import_is_petitions(data, len)) return zx_import_petitions(c, data, len, o, res);
    memset(res, 0, sizeof *res);
    ctx x;
    memset(&x, 0, sizeof x);
    x.o = o;
    x.res = res;
    x.max_errors = o->max_errors > 0 ? o->max_errors : 100;
    res->errs = calloc((size_t)x.max_errors, sizeof *res->errs);
    x.today = zx_today();
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (load_courts(&x, c) < 0) {
        snprintf(res->db_error, sizeof res->db_error, "%s", db_errmsg(c));
        free(x.courts);
        return DB_ERROR;
    }
    /* BOM */
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF) {
        data += 3;
        len -= 3;
    }
    csv cv = { data, data + len, 1 };
    field f[NCOLS + 8];
    int64_t line;
    bool blank;
    int map[NCOLS];
    int n = csv_record(&cv, &x.ar, f, NCOLS + 8, &line, &blank);
    int hdr_n = n;
    if (n <= 0 || blank) {
        add_err(&x, 1, "", n < 0 ? "BAD_QUOTING" : "EMPTY_FILE", n < 0 ? "第1行（表头）引号不匹配" : "文件为空或缺少表头行");
    } else {
        for (int k = 0; k < NCOLS; k++) map[k] = -1;
        for (int i = 0; i < n && i < NCOLS + 8; i++) {
            int k = 0;
            for (; k < NCOLS; k++)
                if (field_eq(&f[i], col_names[k])) break;
            char b[64];
            if (k == NCOLS) {
                add_err(&x, 1, fstr(&f[i], b, sizeof b), "UNKNOWN_COLUMN", "表头第%d列“%s”不是可导入的列", i + 1, b);
            } else if (map[k] >= 0) {
                add_err(&x, 1, col_names[k], "DUPLICATE_COLUMN", "表头中“%s”列重复", col_names[k]);
            } else {
                map[k] = i;
            }
        }
        if (n > NCOLS + 8) add_err(&x, 1, "", "UNKNOWN_COLUMN", "表头列数过多（%d 列）", n);
        for (int k = 0; k < NCOLS; k++)
            if (map[k] < 0) add_err(&x, 1, col_names[k], "MISSING_COLUMN", "表头缺少“%s”列", col_names[k]);
    }
    if (res->nerrors) {
        free(x.courts);
        arena_free(&x.ar);
        return 1;
    }
    /* rows */
    size_t cap = 1024;
    row *rows = malloc(cap * sizeof *rows);
    int64_t nrows = 0;
    if (!rows) zx_die("import: out of memory");
    while ((n = csv_record(&cv, &x.ar, f, NCOLS + 8, &line, &blank)) != 0) {
        if (blank && n == 1) continue; /* empty line */
        res->rows++;
        if (n < 0) {
            add_err(&x, line, "", "BAD_QUOTING", "第%lld行引号不匹配（RFC 4180）", (long long)line);
            continue;
        }
        if (n != hdr_n) {
            add_err(&x, line, "", "FIELD_COUNT", "第%lld行有 %d 个字段，表头有 %d 个", (long long)line, n, hdr_n);
            continue;
        }
        if ((size_t)nrows == cap) {
            cap *= 2;
            rows = realloc(rows, cap * sizeof *rows);
            if (!rows) zx_die("import: out of memory");
        }
        if (validate_row(&x, line, f, map, &rows[nrows])) nrows++;
        if (o->progress && res->rows % 100000 == 0)
            fprintf(stderr, "校验：已读取 %lld 行\n", (long long)res->rows);
    }
    if (res->rows == 0 && !res->nerrors) add_err(&x, 0, "", "EMPTY_FILE", "文件中没有数据行");
    /* duplicates within the file */
    if (!res->nerrors && nrows > 0) {
        dupset d;
        d.cap = 16;
        while (d.cap < (size_t)nrows * 2) d.cap <<= 1;
        d.h = calloc(d.cap, sizeof *d.h);
        d.idx = calloc(d.cap, sizeof *d.idx);
        if (!d.h || !d.idx) zx_die("import: out of memory");
        for (int64_t i = 0; i < nrows; i++) {
            int64_t j = dup_check(&d, rows, i);
            if (j >= 0)
                add_err(&x, rows[i].line, "case_no", "DUPLICATE_CASE_NO", "第%lld行案号%s与第%lld行重复",
                        (long long)rows[i].line, rows[i].case_no, (long long)rows[j].line);
        }
        free(d.h);
        free(d.idx);
    }
    res->validate_ms = ms_since(&t0);
    int rc = 1;
    if (!res->nerrors) {
        /* summary counts for the audit record */
        int64_t seen[4096];
        int nseen = 0;
        for (int64_t i = 0; i < nrows; i++) {
            if (rows[i].closed != ZX_DATE_NONE) res->closed++;
            else res->opened++;
            int k = 0;
            while (k < nseen && seen[k] != rows[i].court_id) k++;
            if (k == nseen) {
                res->courts++;
                if (nseen < 4096) seen[nseen++] = rows[i].court_id;
            }
        }
        struct timespec t1;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        rc = write_rows(&x, c, rows, nrows);
        res->write_ms = ms_since(&t1);
        if (rc < 0 && res->nerrors) rc = 1; /* a duplicate in the store: reported as a row error */
    }
    free(rows);
    free(x.courts);
    arena_free(&x.ar);
    return rc;
}

/* ---------------------------------------------------------------- CLI: zhixing import cases */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit.h"
#include "cli.h"

static int cli_audit(db_conn *c, void *arg, const char *detail)
{
    const char *file = arg;
    char obj[256];
    snprintf(obj, sizeof obj, "%s", file);
    zx_audit_rec rec = { .user_id = 0, .username = "cli", .action = "case.import", .object_type = "import_file",
                         .object_id = obj, .result = "ok", .detail = detail };
    return zx_audit_write(c, &rec);
}

static int cmd_import_cases(int argc, char **argv)
{
    const char *file = zx_positional(argc, argv, 0);
    if (!file) {
        fprintf(stderr, "usage: zhixing import cases --db URL FILE.csv [--max-errors N] [--rebuild-indexes]\n");
        return 2;
    }
    int fd = open(file, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "无法打开文件 %s\n", file);
        return 2;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return 2;
    }
    const char *data = "";
    void *map = NULL;
    if (st.st_size > 0) {
        map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            fprintf(stderr, "无法读取文件 %s\n", file);
            close(fd);
            return 2;
        }
        data = map;
    }
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) {
        if (map) munmap(map, (size_t)st.st_size);
        close(fd);
        return 3;
    }
    const char *me = zx_opt(argc, argv, "--max-errors");
    zx_import_opts o = { .max_errors = me ? atoi(me) : 100, .progress = true, .audit = cli_audit,
                         .arg = (void *)file, .db = app->db,
                         .rebuild_indexes = zx_flag(argc, argv, "--rebuild-indexes") };
    zx_import_result res;
    db_conn *c = db_acquire(app->db);
    int rc = zx_import_cases(c, data, (size_t)st.st_size, &o, &res);
    db_release(app->db, c);
    int exit_code = 0;
    if (rc == 0) {
        printf("导入完成：%lld 件案件（未结 %lld，已结 %lld，%lld 个法院）；校验 %.0f ms，写入 %.0f ms\n",
               (long long)res.inserted, (long long)res.opened, (long long)res.closed, (long long)res.courts,
               res.validate_ms, res.write_ms);
    } else if (rc == 1) {
        fprintf(stderr, "导入失败：发现 %lld 处错误，未导入任何记录。\n", (long long)res.nerrors);
        for (int i = 0; i < res.nkept; i++) {
            const zx_import_err *e = &res.errs[i];
            fprintf(stderr, "line %lld, column %s [%s]: %s\n", (long long)e->line, e->column[0] ? e->column : "-",
                    e->code, e->message);
        }
        if (res.nerrors > res.nkept)
            fprintf(stderr, "……另有 %lld 处错误未列出（--max-errors）\n", (long long)(res.nerrors - res.nkept));
        exit_code = 1;
    } else {
        fprintf(stderr, "导入失败（数据库错误），未导入任何记录：%s\n", res.db_error);
        exit_code = 3;
    }
    zx_import_result_free(&res);
    zx_cli_close(app);
    if (map) munmap(map, (size_t)st.st_size);
    close(fd);
    return exit_code;
}

static const struct zx_command import_cases_cmd = {
    "import cases", cmd_import_cases, "--db URL FILE.csv [--max-errors N] [--rebuild-indexes]",
    "导入历史执行案件（UTF-8 CSV，表头 case_no, court_code, case_type, filed_on, closed_on, closure_mode, "
    "claim, recovered, has_assets, deducted_days, non_litigation, applicant_name, debtor_name, debtor_id）。"
    "先校验整个文件，任何错误均列出行号和列名且不导入；无错误时在一个事务中全部导入。"
    "--rebuild-indexes：PostgreSQL 上大文件导入时先删除后重建二级索引（导入期间阻塞读取，适用于停机迁移）。",
};
ZX_COMMAND(import_cases_cmd)
