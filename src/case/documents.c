/* documents.c — case documents as PDF (libhpdf) with Chinese text, stored in case_document.
 *
 * Fonts: libhpdf's built-in Adobe-GB1 CID fonts (HPDF_UseCNSFonts: SimSun, SimHei) with the
 * GBK-EUC-H CMap. The font program is not embedded — PDF readers substitute their installed CJK
 * font — which keeps a document at a few kilobytes instead of the megabytes an embedded CJK TrueType
 * font would add. Text is converted UTF-8 → GBK with iconv; a character outside GBK prints as '?'.
 *
 * Contents (rules.md §1, §2, §4, §9):
 *   执行通知书  — 民诉法 (2023) art 251; 民诉解释 art 480 (warns of 迟延履行利息, 民诉法 art 264,
 *                 the doubled part at 0.0175 % a day per the 2014 interpretation);
 *   报告财产令  — 民诉法 art 252; 财产调查规定 arts 3–7 (current + 1 year, 10-day update, sanctions);
 *   限制消费令  — 限消规定 arts 1, 3 (the nine restricted categories), art 11;
 *   终本裁定书  — 终本规定 art 6 (claim, course and measures, property found, amount realised, the
 *                 applicant's right to continued performance and 恢复执行, the debtor's continuing duty);
 *                 民诉解释 art 517;
 *   结案通知书  — 立案结案意见 art 15 (执行完毕) and the other closure modes. */
#include "core/pii.h"
#include "case/documents.h"

#include <hpdf.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "api/portal_party.h"

static const struct {
    const char *kind, *title;
} doc_kinds[] = {
    { "acceptance_notice", "受理通知书" }, /* to the applicant at filing, with its portal query code */
    { "enforcement_notice", "执行通知书" },
    { "property_report_order", "报告财产令" },
    { "restriction_order", "限制消费令" },
    { "interim_closure_ruling", "终本裁定书" },
    { "closure_notice", "结案通知书" },
    { "dishonest_decision", "纳入失信被执行人名单决定书" },
    { "fine_decision", "罚款决定书" },
    { "detention_decision", "拘留决定书" },
    { "investigation_order", "律师调查令" }, /* src/api/portal_staff.c; event data: the order */
};

const char *zx_doc_title(const char *kind)
{
    if (!kind) return NULL;
    for (size_t i = 0; i < sizeof doc_kinds / sizeof doc_kinds[0]; i++)
        if (!strcmp(doc_kinds[i].kind, kind)) return doc_kinds[i].title;
    return NULL;
}

/* ---------------------------------------------------------------- growable text buffer */
typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t len)
{
    if (b->n + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->n + len + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) zx_die("documents: out of memory");
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void __attribute__((format(printf, 2, 3))) sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n >= sizeof tmp) n = sizeof tmp - 1;
    sb_add(b, tmp, (size_t)n);
}

/* ---------------------------------------------------------------- case data */
#define MAXP 8
typedef struct party {
    int64_t id;     /* case_party.id (the portal query code derives from it) */
    char role[16];  /* applicant / debtor */
    char kind[8];   /* person / unit */
    char name[160];
    char idno[32];  /* ID number or credit code */
    char address[200];
} party;

typedef struct ev {
    char kind[40];
    char on_date[11];
} ev;

typedef struct doc_case {
    int64_t id;
    char case_no[64];
    char court_name[128];
    char type_code[16];
    char applied_on[11], filed_on[11], closed_on[11];
    char closure_mode[24];
    int64_t claim_fen, recovered_fen, fee_fen;
    int has_assets;
    char applicant_name[200], debtor_name[200];
    char basis_kind[24], basis_issuer[160], basis_doc_no[96], basis_effective_on[11], basis_act[400];
    char handler_name[96];
    int nparty;
    party parties[MAXP];
    int nev;
    ev evs[64];
    char doc_date[11];  /* date of the event that made the document (or today) */
    char ev_data[2048]; /* data of the event that made the document (JSON) */
    /* 失信 decision behind a dishonest_decision document (credit_decision row) */
    char dis_name[160], dis_idno[32], dis_conduct[300];
    int dis_ground, dis_ext_years, dis_grace;
    bool dis_unit; /* the decision's debtor is a unit */
    int64_t created_by;
    /* 一案一账号 (src/funds): the case's virtual account and the court's 执行款专户, '' if none yet */
    char fund_account_no[24], bank_account_no[40], bank_name[160];
} doc_case;

static void cpy(char *dst, size_t cap, const char *src)
{
    if (!src) src = "";
    snprintf(dst, cap, "%s", src);
}

/* Read the case, its parties, basis and events. 0, DB_DONE (no such case) or < 0. */
static int load_case(db_conn *c, int64_t case_id, int64_t event_id, doc_case *d)
{
    memset(d, 0, sizeof *d);
    d->id = case_id;
    db_stmt *s = db_prepare(c,
        "SELECT e.case_no, ct.name, e.type_code, e.applied_on, e.filed_on, e.closed_on, e.closure_mode,"
        " e.claim_fen, e.recovered_fen, e.fee_fen, e.has_assets, e.applicant_name, e.debtor_name,"
        " (SELECT display_name FROM app_user u WHERE u.id = e.handler_id)"
        " FROM enf_case e JOIN court ct ON ct.id = e.court_id WHERE e.id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_finalize(s);
        return rc < 0 ? rc : DB_DONE;
    }
    cpy(d->case_no, sizeof d->case_no, db_col_text(s, 0));
    cpy(d->court_name, sizeof d->court_name, db_col_text(s, 1));
    cpy(d->type_code, sizeof d->type_code, db_col_text(s, 2));
    cpy(d->applied_on, sizeof d->applied_on, db_col_text(s, 3));
    cpy(d->filed_on, sizeof d->filed_on, db_col_text(s, 4));
    cpy(d->closed_on, sizeof d->closed_on, db_col_text(s, 5));
    cpy(d->closure_mode, sizeof d->closure_mode, db_col_text(s, 6));
    d->claim_fen = db_col_int64(s, 7);
    d->recovered_fen = db_col_int64(s, 8);
    d->fee_fen = db_col_int64(s, 9);
    d->has_assets = (int)db_col_int64(s, 10);
    cpy(d->applicant_name, sizeof d->applicant_name, db_col_text(s, 11));
    cpy(d->debtor_name, sizeof d->debtor_name, db_col_text(s, 12));
    cpy(d->handler_name, sizeof d->handler_name, db_col_text(s, 13));
    db_finalize(s);

    s = db_prepare(c, "SELECT role, kind, name, id_number_enc, credit_code, address_enc, id FROM case_party"
                      " WHERE case_id = ? AND role IN ('applicant','debtor') ORDER BY id");
    if (s) {
        db_bind_int64(s, 1, case_id);
        while (db_step(s) == DB_ROW && d->nparty < MAXP) {
            party *p = &d->parties[d->nparty++];
            p->id = db_col_int64(s, 6);
            cpy(p->role, sizeof p->role, db_col_text(s, 0));
            cpy(p->kind, sizeof p->kind, db_col_text(s, 1));
            cpy(p->name, sizeof p->name, db_col_text(s, 2));
            char *idn = zx_pii_col(s, 3, ZX_PII_ID_NUMBER), *ad = zx_pii_col(s, 5, ZX_PII_ADDRESS); /* sealed (core/pii.h) */
            cpy(p->idno, sizeof p->idno, idn && *idn ? idn : db_col_text(s, 4));
            cpy(p->address, sizeof p->address, ad);
            zx_pii_free(idn);
            zx_pii_free(ad);
        }
        db_finalize(s);
    }

    s = db_prepare(c, "SELECT basis_kind, basis_issuer, basis_doc_no, basis_effective_on, basis_act"
                      " FROM enf_case WHERE id = ?");
    if (s) {
        db_bind_int64(s, 1, case_id);
        if (db_step(s) == DB_ROW) {
            cpy(d->basis_kind, sizeof d->basis_kind, db_col_text(s, 0));
            cpy(d->basis_issuer, sizeof d->basis_issuer, db_col_text(s, 1));
            cpy(d->basis_doc_no, sizeof d->basis_doc_no, db_col_text(s, 2));
            cpy(d->basis_effective_on, sizeof d->basis_effective_on, db_col_text(s, 3));
            cpy(d->basis_act, sizeof d->basis_act, db_col_text(s, 4));
        }
        db_finalize(s);
    }

    s = db_prepare(c, "SELECT kind, on_date FROM case_event WHERE case_id = ? ORDER BY seq");
    if (s) {
        db_bind_int64(s, 1, case_id);
        while (db_step(s) == DB_ROW && d->nev < (int)(sizeof d->evs / sizeof d->evs[0])) {
            ev *e = &d->evs[d->nev++];
            cpy(e->kind, sizeof e->kind, db_col_text(s, 0));
            cpy(e->on_date, sizeof e->on_date, db_col_text(s, 1));
        }
        db_finalize(s);
    }

    char today[11];
    zx_date_format(zx_today(), today);
    cpy(d->doc_date, sizeof d->doc_date, today);
    if (event_id > 0) {
        s = db_prepare(c, "SELECT on_date, user_id, data FROM case_event WHERE id = ?");
        if (s) {
            db_bind_int64(s, 1, event_id);
            if (db_step(s) == DB_ROW) {
                const char *od = db_col_text(s, 0);
                if (od && strlen(od) == 10) cpy(d->doc_date, sizeof d->doc_date, od);
                d->created_by = db_col_int64(s, 1);
                cpy(d->ev_data, sizeof d->ev_data, db_col_text(s, 2));
            }
            db_finalize(s);
        }
        /* a 失信 decision document: the decision it records (the credit module's row) */
        json_t *j = json_loads(d->ev_data[0] ? d->ev_data : "{}", 0, NULL);
        const char *dsid = json_string_value(json_object_get(j, "decision_id"));
        if (dsid) {
            s = db_prepare(c, "SELECT name, id_number_enc, conduct, ground, extension_years, grace_months, person_kind FROM credit_decision"
                              " WHERE id = ? AND case_id = ?");
            if (s) {
                db_bind_int64(s, 1, strtoll(dsid, NULL, 10));
                db_bind_int64(s, 2, case_id);
                if (db_step(s) == DB_ROW) {
                    cpy(d->dis_name, sizeof d->dis_name, db_col_text(s, 0));
                    char *idn = zx_pii_col(s, 1, ZX_PII_ID_NUMBER); /* sealed (migration 042) */
                    cpy(d->dis_idno, sizeof d->dis_idno, idn);
                    zx_pii_free(idn);
                    cpy(d->dis_conduct, sizeof d->dis_conduct, db_col_text(s, 2));
                    d->dis_ground = (int)db_col_int64(s, 3);
                    d->dis_ext_years = (int)db_col_int64(s, 4);
                    d->dis_grace = (int)db_col_int64(s, 5);
                    d->dis_unit = db_col_text(s, 6) && !strcmp(db_col_text(s, 6), "unit");
                }
                db_finalize(s);
            }
        }
        json_decref(j);
    }
    s = db_prepare(c, "SELECT a.account_no, (SELECT b.account_no FROM fund_account b WHERE b.kind = 1 AND b.court_id = a.court_id"
                      " AND b.account_no IS NOT NULL ORDER BY b.id LIMIT 1), (SELECT b.name FROM fund_account b WHERE b.kind = 1"
                      " AND b.court_id = a.court_id AND b.account_no IS NOT NULL ORDER BY b.id LIMIT 1)"
                      " FROM fund_account a WHERE a.case_id = ? AND a.kind = 2");
    if (s) {
        db_bind_int64(s, 1, case_id);
        if (db_step(s) == DB_ROW) {
            cpy(d->fund_account_no, sizeof d->fund_account_no, db_col_text(s, 0));
            cpy(d->bank_account_no, sizeof d->bank_account_no, db_col_text(s, 1));
            cpy(d->bank_name, sizeof d->bank_name, db_col_text(s, 2));
        }
        db_finalize(s);
    }
    return 0;
}

/* ---------------------------------------------------------------- text helpers */
static void fmt_yuan(int64_t fen, char *out, size_t cap)
{
    int neg = fen < 0;
    uint64_t v = neg ? (uint64_t)(-(fen + 1)) + 1 : (uint64_t)fen;
    char digits[32];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)(v / 100));
    size_t nd = strlen(digits), o = 0;
    if (neg && o < cap - 1) out[o++] = '-';
    for (size_t i = 0; i < nd && o < cap - 4; i++) {
        (void)0;
        out[o++] = digits[i];
    }
    snprintf(out + o, cap - o, ".%02u", (unsigned)(v % 100));
}

/* "2024-03-04" → "2024年3月4日" */
static void fmt_date_cn(const char *iso, char *out, size_t cap)
{
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(out, cap, "____年__月__日");
        return;
    }
    snprintf(out, cap, "%d年%d月%d日", y, m, d);
}

/* "2024-03-04" → "二〇二四年三月四日" (the date line under a court document). */
static void fmt_date_cn_upper(const char *iso, char *out, size_t cap)
{
    static const char *dg[] = { "〇", "一", "二", "三", "四", "五", "六", "七", "八", "九" };
    int y, m, d;
    if (!iso || sscanf(iso, "%d-%d-%d", &y, &m, &d) != 3) {
        snprintf(out, cap, "____年__月__日");
        return;
    }
    sbuf b = { 0 };
    char ys[8];
    snprintf(ys, sizeof ys, "%04u", (unsigned)y % 10000u);
    for (int i = 0; i < 4; i++) sb_puts(&b, dg[ys[i] - '0']);
    sb_puts(&b, "年");
    int parts[2] = { m, d };
    for (int k = 0; k < 2; k++) {
        int v = parts[k];
        if (v >= 20) sb_puts(&b, dg[v / 10]);
        if (v >= 10) sb_puts(&b, "十");
        if (v % 10 || v < 10) sb_puts(&b, dg[v % 10]);
        sb_puts(&b, k == 0 ? "月" : "日");
    }
    snprintf(out, cap, "%s", b.p);
    free(b.p);
}

static const char *basis_kind_label(const char *k)
{
    if (!k || !*k) return "法律文书";
    if (!strcmp(k, "judgment")) return "民事判决书";
    if (!strcmp(k, "ruling")) return "民事裁定书";
    if (!strcmp(k, "mediation")) return "民事调解书";
    if (!strcmp(k, "arbitral_award")) return "仲裁裁决书";
    if (!strcmp(k, "notarised_deed")) return "公证债权文书";
    if (!strcmp(k, "administrative")) return "行政决定书";
    return "法律文书";
}

static const char *closure_label(const char *m)
{
    if (!m) return "";
    if (!strcmp(m, "completed")) return "执行完毕";
    if (!strcmp(m, "interim_closure")) return "终结本次执行程序";
    if (!strcmp(m, "termination")) return "终结执行";
    if (!strcmp(m, "withdrawal")) return "销案";
    if (!strcmp(m, "non_enforcement")) return "不予执行";
    if (!strcmp(m, "rejection")) return "驳回申请";
    return m;
}

/* Names of parties with role, joined by "、"; falls back to the case's denormalised name. */
static void names_of(const doc_case *d, const char *role, char *out, size_t cap)
{
    sbuf b = { 0 };
    for (int i = 0; i < d->nparty; i++) {
        if (strcmp(d->parties[i].role, role)) continue;
        if (b.n) sb_puts(&b, "、");
        sb_puts(&b, d->parties[i].name);
    }
    if (!b.n) sb_puts(&b, !strcmp(role, "applicant") ? d->applicant_name : d->debtor_name);
    snprintf(out, cap, "%s", b.p ? b.p : "");
    free(b.p);
}

static bool has_unit_debtor(const doc_case *d)
{
    for (int i = 0; i < d->nparty; i++)
        if (!strcmp(d->parties[i].role, "debtor") && !strcmp(d->parties[i].kind, "unit")) return true;
    return false;
}

static bool has_event(const doc_case *d, const char *kind)
{
    for (int i = 0; i < d->nev; i++)
        if (!strcmp(d->evs[i].kind, kind)) return true;
    return false;
}

/* ---------------------------------------------------------------- PDF layout */
typedef struct pdf_ctx {
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font song, hei;
    iconv_t cd;
    float y;
    HPDF_STATUS err;
} pdf_ctx;

#define PAGE_W 595.0f
#define PAGE_H 842.0f
#define MARGIN_X 72.0f
#define MARGIN_TOP 72.0f
#define MARGIN_BOTTOM 72.0f
#define BODY_SIZE 12.0f
#define LINE_H 20.0f

static void hpdf_err(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
    pdf_ctx *x = user_data;
    if (!x->err) x->err = error_no;
    LOG_WARN("libhpdf error 0x%04X detail %u", (unsigned)error_no, (unsigned)detail_no);
}

/* One UTF-8 code point's length and display width in ems (CJK 1, ASCII 0.5). */
static int u8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

/* UTF-8 → GBK; characters GBK lacks become '?'. Returns malloc'd NUL-terminated string. */
static char *to_gbk(pdf_ctx *x, const char *s, size_t len)
{
    size_t cap = len * 2 + 4, o = 0;
    char *out = malloc(cap);
    if (!out) zx_die("documents: out of memory");
    size_t i = 0;
    while (i < len) {
        int l = u8_len((unsigned char)s[i]);
        if (i + (size_t)l > len) l = (int)(len - i);
        char *in = (char *)s + i, *op = out + o;
        size_t il = (size_t)l, ol = cap - o - 1;
        iconv(x->cd, NULL, NULL, NULL, NULL);
        if (iconv(x->cd, &in, &il, &op, &ol) == (size_t)-1) {
            out[o++] = '?';
        } else {
            o = (size_t)(op - out);
        }
        i += (size_t)l;
    }
    out[o] = 0;
    return out;
}

static void new_page(pdf_ctx *x)
{
    x->page = HPDF_AddPage(x->pdf);
    HPDF_Page_SetSize(x->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    x->y = PAGE_H - MARGIN_TOP;
}

static void ensure_space(pdf_ctx *x, float h)
{
    if (x->y - h < MARGIN_BOTTOM) new_page(x);
}

static void put_text(pdf_ctx *x, HPDF_Font f, float size, float px, float py, const char *u8, size_t len)
{
    char *g = to_gbk(x, u8, len);
    HPDF_Page_BeginText(x->page);
    HPDF_Page_SetFontAndSize(x->page, f, size);
    HPDF_Page_TextOut(x->page, px, py, g);
    HPDF_Page_EndText(x->page);
    free(g);
}

static float text_width_em(const char *s, size_t len)
{
    float w = 0;
    for (size_t i = 0; i < len;) {
        int l = u8_len((unsigned char)s[i]);
        w += l == 1 ? 0.5f : 1.0f;
        i += (size_t)l;
    }
    return w;
}

enum align { LEFT, CENTER, RIGHT };

static void line(pdf_ctx *x, HPDF_Font f, float size, enum align a, const char *u8, float gap_after)
{
    ensure_space(x, size * 1.8f);
    float w = text_width_em(u8, strlen(u8)) * size;
    float px = a == CENTER ? (PAGE_W - w) / 2 : a == RIGHT ? PAGE_W - MARGIN_X - w : MARGIN_X;
    x->y -= size * 1.2f;
    put_text(x, f, size, px, x->y, u8, strlen(u8));
    x->y -= gap_after;
}

/* A paragraph wrapped to the text width; indent = first-line indent in ems. */
static void para(pdf_ctx *x, const char *u8, float indent)
{
    const float width = (PAGE_W - 2 * MARGIN_X) / BODY_SIZE; /* in ems */
    size_t len = strlen(u8), start = 0;
    float cur = indent, first = 1;
    size_t i = 0;
    while (i <= len) {
        int l = i < len ? u8_len((unsigned char)u8[i]) : 0;
        float cw = l == 1 ? 0.5f : 1.0f;
        if (i == len || cur + cw > width + 0.01f) {
            /* keep closing punctuation on this line (避头点) */
            if (i < len && l == 3 && (strncmp(u8 + i, "，", 3) == 0 || strncmp(u8 + i, "。", 3) == 0 ||
                                      strncmp(u8 + i, "、", 3) == 0 || strncmp(u8 + i, "；", 3) == 0 ||
                                      strncmp(u8 + i, "：", 3) == 0 || strncmp(u8 + i, "）", 3) == 0)) {
                i += (size_t)l;
            }
            ensure_space(x, LINE_H);
            x->y -= LINE_H;
            float px = MARGIN_X + (first ? indent * BODY_SIZE : 0);
            if (i > start) put_text(x, x->song, BODY_SIZE, px, x->y, u8 + start, i - start);
            first = 0;
            start = i;
            cur = 0;
            if (i >= len) break;
            continue;
        }
        cur += cw;
        i += (size_t)l;
    }
}

/* ---------------------------------------------------------------- document bodies */
static void header(pdf_ctx *x, const doc_case *d, const char *title, bool ruling)
{
    line(x, x->hei, 20, CENTER, d->court_name, 6);
    line(x, x->hei, 24, CENTER, title, 10);
    line(x, x->song, BODY_SIZE, RIGHT, d->case_no, 10);
    (void)ruling;
}

static void signature(pdf_ctx *x, const doc_case *d, bool with_handler)
{
    x->y -= LINE_H;
    if (with_handler && d->handler_name[0]) {
        char b[160];
        snprintf(b, sizeof b, "执行法官  %s", d->handler_name);
        line(x, x->song, BODY_SIZE, RIGHT, b, 6);
    }
    char dt[64];
    fmt_date_cn_upper(d->doc_date, dt, sizeof dt);
    line(x, x->song, BODY_SIZE, RIGHT, dt, 6);
    line(x, x->song, BODY_SIZE, RIGHT, "（院印）", 6);
}

/* "甲与乙……一案" — the case sentence used by every document. */
static void case_sentence(sbuf *b, const doc_case *d, const char *app, const char *debt)
{
    char eff[40];
    if (d->basis_issuer[0] || d->basis_doc_no[0]) {
        sb_printf(b, "%s申请执行%s一案，%s作出的%s%s", app, debt, d->basis_issuer,
                  d->basis_doc_no, basis_kind_label(d->basis_kind));
        if (d->basis_effective_on[0]) {
            fmt_date_cn(d->basis_effective_on, eff, sizeof eff);
            sb_printf(b, "已于%s发生法律效力", eff);
        } else {
            sb_puts(b, "已经发生法律效力");
        }
        sb_puts(b, "。");
    } else {
        sb_printf(b, "%s申请执行%s一案，执行依据已经发生法律效力。", app, debt);
    }
}

static void doc_notice(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512], claim[40], fee[40], filed[40];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    fmt_yuan(d->claim_fen, claim, sizeof claim);
    fmt_yuan(d->fee_fen, fee, sizeof fee);
    fmt_date_cn(d->filed_on, filed, sizeof filed);
    header(x, d, "执行通知书", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s：", debt);
    para(x, b.p, 0);
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "申请执行人%s向本院申请强制执行，本院于%s依法立案执行。依照《中华人民共和国民事诉讼法》"
                  "第二百五十一条、《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第四百八十条的规定，"
                  "责令你（单位）自收到本通知书之日起立即履行下列义务：", app, filed);
    para(x, b.p, 2);
    b.n = 0;
    if (d->claim_fen > 0) sb_printf(&b, "一、向申请执行人%s支付%s元（执行标的）；", app, claim);
    else sb_printf(&b, "一、履行生效法律文书确定的义务%s%s；", d->basis_act[0] ? "：" : "", d->basis_act);
    para(x, b.p, 2);
    b.n = 0;
    sb_printf(&b, "二、负担申请执行费%s元（《诉讼费用交纳办法》第十四条、第二十条）；", fee);
    para(x, b.p, 2);
    para(x, "三、加倍支付迟延履行期间的债务利息或者支付迟延履行金。", 2);
    para(x, "根据《中华人民共和国民事诉讼法》第二百六十四条的规定，被执行人未按判决、裁定和其他法律文书指定的"
            "期间履行给付金钱义务的，应当加倍支付迟延履行期间的债务利息；加倍部分债务利息按未清偿的金钱债务"
            "每日万分之一点七五计算，自生效法律文书确定的履行期间届满之次日起算（《最高人民法院关于执行程序中"
            "计算迟延履行期间的债务利息适用法律若干问题的解释》第一条、第二条）。未按期履行其他义务的，应当支付"
            "迟延履行金。", 2);
    para(x, "逾期不履行的，本院将依法强制执行，可以查询、冻结、划拨你（单位）的存款，查封、扣押、拍卖、变卖你"
            "（单位）的财产，对你（单位）采取限制消费措施、纳入失信被执行人名单，并可依照《中华人民共和国民事"
            "诉讼法》第一百一十四条、第一百一十八条的规定予以罚款、拘留；构成犯罪的，依法追究刑事责任。", 2);
    b.n = 0;
    if (d->fund_account_no[0] && d->bank_account_no[0])
        sb_printf(&b, "履行款项请交至本院执行款专户（%s，账号%s），付款时在附言中填写本案案款账号%s（一案一账号）"
                      "及案号%s、被执行人名称、付款人及款项用途。", d->bank_name, d->bank_account_no, d->fund_account_no,
                  d->case_no);
    else if (d->fund_account_no[0])
        sb_printf(&b, "履行款项请交至本院执行案款专户，付款时在附言中填写本案案款账号%s（一案一账号）及案号%s、"
                      "被执行人名称、付款人及款项用途。", d->fund_account_no, d->case_no);
    else
        sb_printf(&b, "履行款项请交至本院执行案款专户，付款时注明案号%s、被执行人名称、付款人及款项用途。",
                  d->case_no);
    para(x, b.p, 2);
    /* 执行公开 (issue 15): each debtor's query code for the party portal (api/portal_party.c) */
    for (int i = 0; i < d->nparty; i++) {
        if (strcmp(d->parties[i].role, "debtor") || !d->parties[i].id) continue;
        char qc[9];
        zx_portal_query_code(d->parties[i].id, qc);
        b.n = 0;
        sb_printf(&b, "执行公开查询码（%s）：%s。可凭案号、本查询码及预留手机号码接收的验证码登录执行公开平台，"
                      "查看本案执行节点、应履行金额及缴款账户。", d->parties[i].name, qc);
        para(x, b.p, 2);
    }
    free(b.p);
    signature(x, d, true);
}

/* 受理通知书: to the applicant(s) at filing (case_filing.c, lazily rendered) — the 案号, what the applicant
 * must and may do, and each applicant's query code for the party portal (issue 15 item 1). */
static void doc_acceptance(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512], filed[40], fee[40];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    fmt_date_cn(d->filed_on, filed, sizeof filed);
    fmt_yuan(d->fee_fen, fee, sizeof fee);
    header(x, d, "受理通知书", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s：", app);
    para(x, b.p, 0);
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "你（单位）向本院申请强制执行，本院经审查，符合立案条件，已于%s立案执行，案号为%s。现将有关事项通知如下：",
              filed, d->case_no);
    para(x, b.p, 2);
    para(x, "一、申请执行人应当向本院提供被执行人的财产线索。财产线索明确、具体的，本院将在七日内调查核实；情况紧急的，"
            "在三日内调查核实（《最高人民法院关于民事执行中财产调查若干问题的规定》第一条、第二条）。", 2);
    b.n = 0;
    if (d->fee_fen > 0)
        sb_printf(&b, "二、本案申请执行费%s元，执行后交纳，由被执行人负担（《诉讼费用交纳办法》第十四条、第二十条、第三十八条）。", fee);
    else
        sb_puts(&b, "二、本案不预交申请执行费（《诉讼费用交纳办法》第二十条）。");
    para(x, b.p, 2);
    para(x, "三、立案、确定承办法官、财产查控、财产处置、案款到账与发放、结案等执行节点，本院将在执行公开平台公开，"
            "并以短信告知你（单位）预留的手机号码（《最高人民法院关于人民法院执行流程公开的若干意见》）。", 2);
    for (int i = 0; i < d->nparty; i++) {
        if (strcmp(d->parties[i].role, "applicant") || !d->parties[i].id) continue;
        char qc[9];
        zx_portal_query_code(d->parties[i].id, qc);
        b.n = 0;
        sb_printf(&b, "四、执行公开查询码（%s）：%s。可凭案号、本查询码及预留手机号码接收的验证码登录执行公开平台，查看"
                      "执行节点、送达文书和案款收支，给承办法官留言，提交财产线索。请妥善保管，勿告知他人。", d->parties[i].name, qc);
        para(x, b.p, 2);
    }
    para(x, "特此通知。", 2);
    free(b.p);
    signature(x, d, false);
}

static void doc_report_order(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    header(x, d, "报告财产令", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s：", debt);
    para(x, b.p, 0);
    b.n = 0;
    sb_printf(&b, "本院在执行%s申请执行%s一案中，依照《中华人民共和国民事诉讼法》第二百五十二条、《最高人民法院"
                  "关于民事执行中财产调查若干问题的规定》第三条至第七条的规定，责令你（单位）自收到本令之日起五日内，"
                  "如实向本院书面报告当前以及收到执行通知之日前一年的财产情况：", app, debt);
    para(x, b.p, 2);
    para(x, "（一）收入、银行存款、现金、理财产品、有价证券；", 2);
    para(x, "（二）土地使用权、房屋等不动产；", 2);
    para(x, "（三）交通运输工具、机器设备、产品、原材料等动产；", 2);
    para(x, "（四）债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利；", 2);
    para(x, "（五）其他应当报告的财产。", 2);
    para(x, "被执行人的财产已出租、已设立担保物权等权利负担，或者存在共有、权属争议等情形的，应当一并报告；"
            "被执行人的动产由第三人占有，被执行人的不动产、特定动产、其他财产权等登记在第三人名下的，也应当一并报告。", 2);
    para(x, "报告财产后，财产情况发生变动，影响申请执行人债权实现的，应当自财产变动之日起十日内向本院补充报告。", 2);
    para(x, "拒绝报告、虚假报告或者无正当理由逾期报告财产情况的，本院可以根据情节轻重对你（单位）或者你单位的"
            "主要负责人、直接责任人员予以罚款、拘留；构成犯罪的，依法追究刑事责任；并依法将你（单位）纳入失信"
            "被执行人名单。", 2);
    free(b.p);
    signature(x, d, true);
}

static void doc_restriction(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512], filed[40];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    fmt_date_cn(d->filed_on, filed, sizeof filed);
    bool unit = has_unit_debtor(d);
    if (d->dis_name[0]) { /* made by the credit module's 限消 decision: the order names its debtor */
        cpy(debt, sizeof debt, d->dis_name);
        unit = d->dis_unit;
    }
    header(x, d, "限制消费令", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s：", debt);
    para(x, b.p, 0);
    b.n = 0;
    sb_printf(&b, "本院于%s立案执行%s申请执行%s一案。因你%s未按执行通知书指定的期间履行生效法律文书确定的给付义务，"
                  "本院依照《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条的规定，对你%s采取"
                  "限制消费措施，%s不得实施以下高消费及非生活和工作必需的消费行为：",
              filed, app, debt, unit ? "单位" : "", unit ? "单位" : "",
              unit ? "限制你单位及你单位的法定代表人、主要负责人、影响债务履行的直接责任人员、实际控制人" : "限制你");
    para(x, b.p, 2);
    static const char *items[] = {
        "（一）乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位；",
        "（二）在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费；",
        "（三）购买不动产或者新建、扩建、高档装修房屋；",
        "（四）租赁高档写字楼、宾馆、公寓等场所办公；",
        "（五）购买非经营必需车辆；",
        "（六）旅游、度假；",
        "（七）子女就读高收费私立学校；",
        "（八）支付高额保费购买保险理财产品；",
        "（九）乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为。",
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) para(x, items[i], 2);
    if (unit)
        para(x, "因私消费以个人财产实施前款规定行为的，可以向本院提出申请，经本院审查属实的，应予准许。", 2);
    para(x, "违反本令进行消费的，本院将依照《中华人民共和国民事诉讼法》第一百一十四条的规定予以罚款、拘留；"
            "情节严重，构成犯罪的，依法追究刑事责任（限制消费规定第十一条）。", 2);
    para(x, "本令自送达之日起生效。被执行人履行完毕生效法律文书确定的义务后，本院将依法解除限制消费措施。", 2);
    free(b.p);
    signature(x, d, false);
}

/* 纳入失信被执行人名单决定书 — 失信规定 arts 1, 2, 5, 6 (法释〔2017〕7号); made when the 院长 signs. */
static void doc_dishonest(pdf_ctx *x, const doc_case *d)
{
    static const char *const item[] = { "", "一", "二", "三", "四", "五", "六" };
    static const char *const ground_text[] = {
        "", "有履行能力而拒不履行生效法律文书确定义务", "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
        "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", "违反财产报告制度", "违反限制消费令",
        "无正当理由拒不履行执行和解协议",
    };
    int g = d->dis_ground >= 1 && d->dis_ground <= 6 ? d->dis_ground : 1;
    char app[512], debt[512];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    header(x, d, "决定书", false);
    sbuf b = { 0 };
    sb_printf(&b, "被执行人：%s%s%s。", d->dis_name[0] ? d->dis_name : debt, d->dis_idno[0] ? "，证件号码" : "", d->dis_idno);
    para(x, b.p, 0);
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "被执行人%s未履行生效法律文书确定的义务，且%s", d->dis_name[0] ? d->dis_name : debt, ground_text[g]);
    if (d->dis_conduct[0]) sb_printf(&b, "：%s", d->dis_conduct);
    sb_puts(&b, "。");
    para(x, b.p, 2);
    b.n = 0;
    sb_printf(&b, "依照《中华人民共和国民事诉讼法》第二百六十六条，《最高人民法院关于公布失信被执行人名单信息的若干规定》"
                  "第一条第（%s）项、第二条、第六条的规定，决定如下：", item[g]);
    para(x, b.p, 2);
    b.n = 0;
    if (g == 1) /* 失信规定 art 2 para 2: ground 1 has no fixed term */
        sb_printf(&b, "将%s纳入失信被执行人名单（不设期限，履行完毕或者具有法定删除情形时删除）。", d->dis_name[0] ? d->dis_name : debt);
    else
        sb_printf(&b, "将%s纳入失信被执行人名单，期限为%s年（自公布之日起计算）。", d->dis_name[0] ? d->dis_name : debt,
                  item[2 + d->dis_ext_years <= 6 ? 2 + d->dis_ext_years : 2]);
    para(x, b.p, 2);
    if (d->dis_grace > 0) {
        b.n = 0;
        sb_printf(&b, "给予被执行人%s个月宽限期，宽限期内履行义务的，不予公布（法发〔2019〕35号）。", item[d->dis_grace <= 3 ? d->dis_grace : 1]);
        para(x, b.p, 2);
    }
    para(x, "被执行人认为将其纳入失信被执行人名单错误的，可以向本院申请纠正（失信规定第十一条）。", 2);
    para(x, "本决定经本院院长签发，送达后生效。", 2);
    free(b.p);
    signature(x, d, false);
}

/* 罚款决定书 / 拘留决定书 — 民诉法 (2023) arts 114, 118, 119; 民诉解释 art 185 (复议 within 3 days). */
static void doc_coercive(pdf_ctx *x, const doc_case *d, bool fine)
{
    json_t *j = json_loads(d->ev_data[0] ? d->ev_data : "{}", 0, NULL);
    const char *target = json_string_value(json_object_get(j, "target_name"));
    if (!target) target = d->debtor_name;
    char app[512], debt[512];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    header(x, d, fine ? "罚款决定书" : "拘留决定书", false);
    sbuf b = { 0 };
    sb_printf(&b, "被%s人：%s。", fine ? "罚款" : "拘留", target);
    para(x, b.p, 0);
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "在执行过程中，%s有妨害民事诉讼、拒不履行人民法院已经发生法律效力的判决、裁定的行为", target);
    const char *note = json_string_value(json_object_get(j, "note"));
    if (note && *note) sb_printf(&b, "：%s", note);
    sb_puts(&b, "。");
    para(x, b.p, 2);
    b.n = 0;
    sb_puts(&b, "依照《中华人民共和国民事诉讼法》第一百一十四条、第一百一十八条、第一百一十九条的规定，经本院院长批准，决定如下：");
    para(x, b.p, 2);
    b.n = 0;
    if (fine) {
        char y[48];
        json_t *am = json_object_get(j, "amount_fen");
        fmt_yuan(json_is_integer(am) ? json_integer_value(am) : 0, y, sizeof y);
        sb_printf(&b, "对%s罚款人民币%s元。", target, y);
    } else {
        json_t *dd = json_object_get(j, "days");
        sb_printf(&b, "对%s拘留%lld日，交公安机关看管。", target, (long long)(json_is_integer(dd) ? json_integer_value(dd) : 0));
    }
    para(x, b.p, 2);
    para(x, "如不服本决定，可以在收到决定书之日起三日内向上一级人民法院申请复议一次。复议期间，不停止本决定的执行"
            "（民事诉讼法第一百一十九条；民诉解释第一百八十五条）。", 2);
    free(b.p);
    json_decref(j);
    signature(x, d, false);
}

/* 律师调查令 (issue 15 item 6): the order a lawyer shows to an institution; the event
 * investigation_order_decided carries the order (institution, scope, lawyer, verify_code, valid_until). */
static void doc_investigation_order(pdf_ctx *x, const doc_case *d)
{
    json_t *j = json_loads(d->ev_data[0] ? d->ev_data : "{}", 0, NULL);
#define JS(k) (json_string_value(json_object_get(j, k)) ? json_string_value(json_object_get(j, k)) : "")
    char app[512], debt[512];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    header(x, d, "律师调查令", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s：", JS("institution"));
    para(x, b.p, 0);
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "因执行需要，本院准许%s代理律师%s（%s，执业证号%s）向你单位调查收集与本案执行有关的下列事项：%s。",
              JS("party_name"), JS("lawyer_name"), JS("firm"), JS("licence_no"), JS("scope"));
    para(x, b.p, 2);
    b.n = 0;
    sb_printf(&b, "请你单位予以协助，将有关材料交持令律师。本调查令有效期至%s，持令律师不得将调查所得用于本案执行以外的用途。", JS("valid_until"));
    para(x, b.p, 2);
    b.n = 0;
    sb_printf(&b, "核验码：%s（可在执行公开平台“调查令核验”栏目或 /api/v1/portal/orders/verify 核验真伪与有效期）", JS("verify_code"));
    para(x, b.p, 2);
#undef JS
    free(b.p);
    json_decref(j);
    signature(x, d, true);
}

static const char *event_phrase(const char *kind)
{
    static const struct {
        const char *k, *p;
    } m[] = {
        { "enforcement_notice", "向被执行人发出执行通知书" },
        { "property_report_order", "责令被执行人报告财产" },
        { "property_report", "审查被执行人的财产报告" },
        { "restriction_order", "对被执行人发出限制消费令" },
        { "dishonest_listing_recorded", "依法审查并办理失信被执行人名单事项" },
        { "network_inquiry", "通过网络执行查控系统查询被执行人的存款、车辆、不动产、证券、网络资金等财产" },
        { "onsite_investigation", "赴有关单位及被执行人住所地进行现场调查" },
        { "control_measure", "对被执行人的财产采取查封、扣押、冻结措施" },
        { "auction_end", "对查控财产依法进行拍卖、变卖" },
        { "missing_debtor_search", "查找下落不明的被执行人" },
        { "coercive_measure", "对被执行人采取强制措施" },
        { "obstruction_punished", "对妨碍执行行为依法予以惩戒" },
        { "interview", "约谈申请执行人，告知案件执行情况并听取其意见" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (!strcmp(m[i].k, kind)) return m[i].p;
    return NULL;
}

static void doc_interim_ruling(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512], claim[40], rec[40], out[40], filed[40], applied[40];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    fmt_yuan(d->claim_fen, claim, sizeof claim);
    fmt_yuan(d->recovered_fen, rec, sizeof rec);
    fmt_yuan(d->claim_fen - d->recovered_fen, out, sizeof out);
    fmt_date_cn(d->filed_on, filed, sizeof filed);
    fmt_date_cn(d->applied_on[0] ? d->applied_on : d->filed_on, applied, sizeof applied);
    header(x, d, "执行裁定书", true);
    sbuf b = { 0 };
    for (int i = 0; i < d->nparty; i++) {
        const party *p = &d->parties[i];
        b.n = 0;
        sb_printf(&b, "%s：%s", !strcmp(p->role, "applicant") ? "申请执行人" : "被执行人", p->name);
        if (p->address[0]) sb_printf(&b, "，住所地%s", p->address);
        sb_puts(&b, "。");
        para(x, b.p, 0);
    }
    if (!d->nparty) {
        b.n = 0;
        sb_printf(&b, "申请执行人：%s。", app);
        para(x, b.p, 0);
        b.n = 0;
        sb_printf(&b, "被执行人：%s。", debt);
        para(x, b.p, 0);
    }
    b.n = 0;
    case_sentence(&b, d, app, debt);
    sb_printf(&b, "申请执行人于%s向本院申请强制执行，本院于%s立案，申请执行的债权为%s元。", applied, filed, claim);
    para(x, b.p, 2);
    /* 终本规定 art 6 (2): course of enforcement and the measures taken, from the event log. */
    b.n = 0;
    sb_puts(&b, "执行过程中，本院依法");
    int nm = 0;
    const char *seen[32];
    int nseen = 0;
    for (int i = 0; i < d->nev; i++) {
        const char *ph = event_phrase(d->evs[i].kind);
        if (!ph) continue;
        bool dup = false;
        for (int k = 0; k < nseen; k++)
            if (seen[k] == ph) dup = true;
        if (dup || nseen >= 32) continue;
        seen[nseen++] = ph;
        sb_printf(&b, "%s%s", nm++ ? "，" : "", ph);
    }
    if (!nm) sb_puts(&b, "向被执行人发出执行通知书、报告财产令，通过网络执行查控系统对被执行人的财产进行查询");
    sb_puts(&b, "。");
    para(x, b.p, 2);
    /* (3) property found; (4) amount realised. */
    b.n = 0;
    if (d->has_assets)
        sb_puts(&b, "经调查，被执行人名下虽有财产，但经依法处置未能变现，申请执行人亦不同意以物抵债，该财产暂无法处置。");
    else
        sb_puts(&b, "经穷尽财产调查措施，未发现被执行人有其他可供执行的财产。");
    sb_printf(&b, "本案已执行到位%s元，尚有%s元未执行到位。", rec, out);
    para(x, b.p, 2);
    b.n = 0;
    sb_printf(&b, "本院认为，本案已穷尽财产调查措施，被执行人暂无可供执行的财产，%s，符合终结本次执行程序的条件。"
                  "依照《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》第五百一十七条、《最高人民法院关于"
                  "严格规范终结本次执行程序的规定（试行）》第一条、第六条的规定，裁定如下：",
              has_event(d, "applicant_confirmation") ? "申请执行人已书面确认" : "经合议庭合议并报院长批准");
    para(x, b.p, 2);
    para(x, "终结本次执行程序。", 2);
    para(x, "申请执行人享有要求被执行人继续履行债务及依法向本院申请恢复执行的权利，被执行人负有继续向申请执行人"
            "履行债务的义务。终结本次执行程序后，申请执行人发现被执行人有可供执行财产的，可以向本院申请恢复执行；"
            "再次申请不受申请执行时效期间的限制。本院将每六个月通过网络执行查控系统查询一次被执行人的财产，"
            "发现可供执行财产的，依法恢复执行（终本规定第九条）。", 2);
    para(x, "当事人、利害关系人认为终结本次执行程序违反法律规定的，可以依照《中华人民共和国民事诉讼法》"
            "第二百三十六条的规定提出执行异议。本裁定送达后立即生效。", 2);
    free(b.p);
    signature(x, d, true);
}

static void doc_closure_notice(pdf_ctx *x, const doc_case *d)
{
    char app[512], debt[512], claim[40], rec[40], closed[40], filed[40];
    names_of(d, "applicant", app, sizeof app);
    names_of(d, "debtor", debt, sizeof debt);
    fmt_yuan(d->claim_fen, claim, sizeof claim);
    fmt_yuan(d->recovered_fen, rec, sizeof rec);
    fmt_date_cn(d->closed_on[0] ? d->closed_on : d->doc_date, closed, sizeof closed);
    fmt_date_cn(d->filed_on, filed, sizeof filed);
    header(x, d, "结案通知书", false);
    sbuf b = { 0 };
    sb_printf(&b, "%s、%s：", app, debt);
    para(x, b.p, 0);
    b.n = 0;
    sb_printf(&b, "本院于%s立案执行的%s申请执行%s一案（%s），执行标的%s元，已执行到位%s元。", filed, app, debt,
              d->case_no, claim, rec);
    para(x, b.p, 2);
    b.n = 0;
    const char *m = d->closure_mode;
    if (!strcmp(m, "completed"))
        sb_printf(&b, "本案生效法律文书确定的义务已经全部履行完毕，依照《最高人民法院关于执行案件立案、结案若干问题的意见》"
                      "第十四条、第十五条的规定，本案于%s以“执行完毕”方式结案。", closed);
    else
        sb_printf(&b, "依照《最高人民法院关于执行案件立案、结案若干问题的意见》第十四条的规定，本案于%s以“%s”方式结案。",
                  closed, closure_label(m));
    para(x, b.p, 2);
    if (!strcmp(m, "interim_closure"))
        para(x, "申请执行人发现被执行人有可供执行财产的，可以随时向本院申请恢复执行。", 2);
    para(x, "特此通知。", 2);
    free(b.p);
    signature(x, d, false);
}

/* ---------------------------------------------------------------- generate + store */
static int render(const doc_case *d, const char *kind, unsigned char **out, size_t *outlen)
{
    pdf_ctx x;
    memset(&x, 0, sizeof x);
    x.cd = iconv_open("GBK", "UTF-8");
    if (x.cd == (iconv_t)-1) return DB_ERROR;
    x.pdf = HPDF_New(hpdf_err, &x);
    if (!x.pdf) {
        iconv_close(x.cd);
        return DB_ERROR;
    }
    HPDF_SetCompressionMode(x.pdf, HPDF_COMP_ALL);
    HPDF_UseCNSFonts(x.pdf);
    HPDF_UseCNSEncodings(x.pdf);
    x.song = HPDF_GetFont(x.pdf, "SimSun", "GBK-EUC-H");
    x.hei = HPDF_GetFont(x.pdf, "SimHei", "GBK-EUC-H");
    HPDF_SetInfoAttr(x.pdf, HPDF_INFO_CREATOR, "zhixing");
    int rc = 0;
    if (!x.song || !x.hei || x.err) rc = DB_ERROR;
    if (!rc) {
        new_page(&x);
        if (!strcmp(kind, "enforcement_notice")) doc_notice(&x, d);
        else if (!strcmp(kind, "acceptance_notice")) doc_acceptance(&x, d);
        else if (!strcmp(kind, "property_report_order")) doc_report_order(&x, d);
        else if (!strcmp(kind, "restriction_order")) doc_restriction(&x, d);
        else if (!strcmp(kind, "interim_closure_ruling")) doc_interim_ruling(&x, d);
        else if (!strcmp(kind, "dishonest_decision")) doc_dishonest(&x, d);
        else if (!strcmp(kind, "fine_decision")) doc_coercive(&x, d, true);
        else if (!strcmp(kind, "detention_decision")) doc_coercive(&x, d, false);
        else if (!strcmp(kind, "investigation_order")) doc_investigation_order(&x, d);
        else doc_closure_notice(&x, d);
        if (HPDF_SaveToStream(x.pdf) != HPDF_OK || x.err) rc = DB_ERROR;
    }
    if (!rc) {
        HPDF_UINT32 size = HPDF_GetStreamSize(x.pdf);
        unsigned char *buf = malloc(size ? size : 1);
        if (!buf) zx_die("documents: out of memory");
        HPDF_UINT32 got = size;
        HPDF_ResetStream(x.pdf);
        if (HPDF_ReadFromStream(x.pdf, buf, &got) != HPDF_OK && got != size) {
            free(buf);
            rc = DB_ERROR;
        } else {
            *out = buf;
            *outlen = got;
        }
    }
    HPDF_Free(x.pdf);
    iconv_close(x.cd);
    return rc;
}

int zx_doc_render(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, unsigned char **pdf,
                  size_t *len, int64_t *created_by);
int zx_doc_render(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, unsigned char **pdf,
                  size_t *len, int64_t *created_by)
{
    if (!zx_doc_title(kind)) return DB_ERROR;
    doc_case *d = malloc(sizeof *d);
    if (!d) zx_die("documents: out of memory");
    int rc = load_case(c, case_id, event_id, d);
    if (rc == 0) {
        rc = render(d, kind, pdf, len);
        if (created_by) *created_by = d->created_by;
    } else if (rc == DB_DONE) {
        rc = DB_ERROR;
    }
    free(d);
    return rc;
}

int zx_doc_generate(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, int64_t *doc_id)
{
    unsigned char *pdf = NULL;
    size_t len = 0;
    int64_t by = 0;
    int rc = zx_doc_render(c, case_id, kind, event_id, &pdf, &len, &by);
    if (rc < 0) {
        LOG_ERROR("documents: cannot generate %s for case %lld", kind, (long long)case_id);
        return rc;
    }
    uint8_t dg[ZX_SM3_LEN];
    char hex[2 * ZX_SM3_LEN + 1];
    zx_sm3(pdf, len, dg);
    zx_hex(dg, sizeof dg, hex);
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO case_document (id, case_id, event_id, kind, title, mime, size, sm3,"
                               " content, created_ms, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!s) {
        free(pdf);
        return DB_ERROR;
    }
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    if (event_id > 0) db_bind_int64(s, 3, event_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, kind, -1);
    db_bind_text(s, 5, zx_doc_title(kind), -1);
    db_bind_text(s, 6, "application/pdf", -1);
    db_bind_int64(s, 7, (int64_t)len);
    db_bind_text(s, 8, hex, -1);
    db_bind_blob(s, 9, pdf, len);
    db_bind_int64(s, 10, zx_now_ms());
    if (by > 0) db_bind_int64(s, 11, by);
    else db_bind_null(s, 11);
    rc = db_step(s);
    db_finalize(s);
    free(pdf);
    if (rc < 0) return rc;
    if (doc_id) *doc_id = id;
    return 0;
}

/* Lazy documents (issue 9 item 7: `init --demo` writes thousands of credit decisions, each with its
 * document): the row is made now, inside the caller's transaction, with an empty content; the PDF is
 * rendered from the same case data and event on its first download (zx_doc_materialise) and kept. */
int zx_doc_generate_lazy(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, int64_t *doc_id)
{
    if (!zx_doc_title(kind)) return DB_ERROR;
    int64_t id = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO case_document (id, case_id, event_id, kind, title, mime, size, sm3,"
                               " content, created_ms, created_by) VALUES (?,?,?,?,?,?,0,'',?,?,"
                               " (SELECT user_id FROM case_event WHERE id = ?))");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    if (event_id > 0) db_bind_int64(s, 3, event_id);
    else db_bind_null(s, 3);
    db_bind_text(s, 4, kind, -1);
    db_bind_text(s, 5, zx_doc_title(kind), -1);
    db_bind_text(s, 6, "application/pdf", -1);
    db_bind_blob(s, 7, "", 0);
    db_bind_int64(s, 8, zx_now_ms());
    db_bind_int64(s, 9, event_id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc < 0) return rc;
    if (doc_id) *doc_id = id;
    return 0;
}

int zx_doc_materialise(db_conn *c, int64_t case_id, int64_t doc_id)
{
    db_stmt *s = db_prepare(c, "SELECT kind, COALESCE(event_id, 0), size FROM case_document WHERE id = ? AND case_id = ?");
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, doc_id);
    db_bind_int64(s, 2, case_id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_finalize(s);
        return rc == DB_DONE ? DB_DONE : rc;
    }
    char kind[40];
    snprintf(kind, sizeof kind, "%s", db_col_text(s, 0) ? db_col_text(s, 0) : "");
    int64_t event_id = db_col_int64(s, 1);
    int64_t size = db_col_int64(s, 2);
    db_finalize(s);
    if (size > 0) return 0;
    unsigned char *pdf = NULL;
    size_t len = 0;
    int64_t by = 0;
    rc = zx_doc_render(c, case_id, kind, event_id, &pdf, &len, &by);
    if (rc < 0) return rc;
    uint8_t dg[ZX_SM3_LEN];
    char hex[2 * ZX_SM3_LEN + 1];
    zx_sm3(pdf, len, dg);
    zx_hex(dg, sizeof dg, hex);
    s = db_prepare(c, "UPDATE case_document SET content = ?, size = ?, sm3 = ? WHERE id = ? AND size = 0");
    if (!s) {
        free(pdf);
        return DB_ERROR;
    }
    db_bind_blob(s, 1, pdf, len);
    db_bind_int64(s, 2, (int64_t)len);
    db_bind_text(s, 3, hex, -1);
    db_bind_int64(s, 4, doc_id);
    rc = db_step(s);
    db_finalize(s);
    free(pdf);
    return rc == DB_DONE ? 0 : rc;
}
