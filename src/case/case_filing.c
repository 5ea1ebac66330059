/* case_filing.c — 立案: validation of the 受理条件 and parties, gap-free 案号, fee, triage, first
 * deadlines; assignment of handler/team; 恢复执行 (see case.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "core/ids.h"
#include "funds/ledger.h"
#include "rules/case_no.h"
#include "rules/closure.h"
#include "rules/clocks.h"
#include "rules/credit_code.h"
#include "rules/fees.h"
#include "core/pii.h"
#include "rules/id_number.h"
#include "rules/triage.h"

/* ------------------------------------------------------------------ settings */
void zx_case_triage_rules(db_conn *c, int64_t court_id, zx_triage_rules *out)
{
    zx_triage_default(out);
    /* The court's own 繁简分流 rules, else its nearest ancestor's, else the default (issue 10 item 2). */
    int64_t from = 0;
    char *txt = zx_court_setting_get(c, court_id, "case.triage", &from);
    if (txt) {
        zx_triage_rules t;
        char err[128];
        if (zx_triage_parse(txt, &t, err, sizeof err) == 0) *out = t;
        free(txt);
    }
}

/* ------------------------------------------------------------------ 案号 */
int64_t zx_case_seq_next(db_conn *c, int64_t court_id, const char *type_code, int year)
{
    /* Row lock until commit on PostgreSQL; SQLite has one writer. A rolled-back filing gives its
     * number back, so numbers stay gap-free (案号规定: consecutive numbering). */
    db_stmt *s = db_prepare(c, "INSERT INTO case_seq (court_id, type_code, year, last) VALUES (?, ?, ?, 1)"
                               " ON CONFLICT (court_id, type_code, year) DO UPDATE SET last = case_seq.last + 1"
                               " RETURNING last");
    if (!s) return -1;
    db_bind_int64(s, 1, court_id);
    db_bind_text(s, 2, type_code, -1);
    db_bind_int64(s, 3, year);
    int64_t v = -1;
    if (db_step(s) == DB_ROW) v = db_col_int64(s, 0);
    db_finalize(s);
    return v;
}

/* ------------------------------------------------------------------ validation */
typedef struct party_in {
    const char *role, *kind, *name, *id_number, *credit_code, *phone, *address, *role_of_unit;
    char idn[19], ucc[19];
    char sex[2];
    zx_date birth;
    int of;            /* index of the party it belongs to / acts for, -1 */
} party_in;

typedef struct filing_in {
    const char *type_code;
    const zx_court *court;
    zx_date applied_on, filed_on;
    int64_t claim_fen, fee_fen;
    const char *basis_kind, *issuer, *doc_no, *act;
    zx_date effective_on;
    bool non_litigation, property_clue;
    bool no_fee;        /* a case moved in from another court (zx_case_transfer): its fee was charged there */
    const char *audit_act; /* NULL: case.file / case.objection / case.resume by type */
    party_in *p;
    int np;
} filing_in;

static const char *basis_kinds[] = { "judgment", "ruling", "mediation", "arbitral_award", "notarised_deed",
                                     "administrative", "other", NULL };
static bool in_list(const char *const *l, const char *v)
{
    for (; v && *l; l++)
        if (!strcmp(*l, v)) return true;
    return false;
}

static const char *str_field(json_t *o, const char *k, json_t *fields, const char *path, bool required, size_t maxlen)
{
    json_t *v = json_object_get(o, k);
    char f[160];
    snprintf(f, sizeof f, "%s%s", path, k);
    if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        if (required) zx_case_field_err(fields, f, "REQUIRED", "必填");
        return NULL;
    }
    if (!json_is_string(v)) {
        zx_case_field_err(fields, f, "INVALID", "应为字符串");
        return NULL;
    }
    if (json_string_length(v) > maxlen) {
        zx_case_field_err(fields, f, "TOO_LONG", "内容过长");
        return NULL;
    }
    return json_string_value(v);
}

static zx_date date_field(json_t *o, const char *k, json_t *fields, const char *path, bool required, zx_date dflt)
{
    const char *s = str_field(o, k, fields, path, required, 10);
    char f[160];
    snprintf(f, sizeof f, "%s%s", path, k);
    if (!s) return dflt;
    zx_date d;
    if (zx_date_parse(s, &d) != 0) {
        zx_case_field_err(fields, f, "INVALID_DATE", "日期无效（YYYY-MM-DD）");
        return ZX_DATE_NONE;
    }
    if (d > zx_today()) {
        zx_case_field_err(fields, f, "INVALID_DATE", "日期不能晚于今天");
        return ZX_DATE_NONE;
    }
    return d;
}

static void validate_party(zx_req *r, json_t *pj, int idx, party_in *p, json_t *fields, const char *path_in,
                           int nparties)
{
    char path[96];
    snprintf(path, sizeof path, "%s", path_in);
    memset(p, 0, sizeof *p);
    p->of = -1;
    p->birth = ZX_DATE_NONE;
    if (!json_is_object(pj)) {
        zx_case_field_err(fields, path, "INVALID", "当事人应为对象");
        return;
    }
    char pre[100];
    snprintf(pre, sizeof pre, "%.96s.", path);
    p->role = str_field(pj, "role", fields, pre, true, 20);
    static const char *roles[] = { "applicant", "debtor", "agent", "lawyer", "contact", "unit_person", NULL };
    if (p->role && !in_list(roles, p->role)) {
        char f[160];
        snprintf(f, sizeof f, "%srole", pre);
        zx_case_field_err(fields, f, "INVALID_ENUM", "角色应为 applicant/debtor/agent/lawyer/contact");
        p->role = NULL;
    }
    p->kind = str_field(pj, "kind", fields, pre, false, 10);
    if (!p->kind) p->kind = "person";
    if (strcmp(p->kind, "person") && strcmp(p->kind, "unit")) {
        char f[160];
        snprintf(f, sizeof f, "%skind", pre);
        zx_case_field_err(fields, f, "INVALID_ENUM", "类型应为 person 或 unit");
        p->kind = "person";
    }
    p->name = str_field(pj, "name", fields, pre, true, 200);
    p->phone = str_field(pj, "phone", fields, pre, false, 40);
    p->address = str_field(pj, "address", fields, pre, false, 400);
    p->role_of_unit = str_field(pj, "role_of_unit", fields, pre, false, 30);
    bool principal = p->role && (!strcmp(p->role, "applicant") || !strcmp(p->role, "debtor"));
    if (!strcmp(p->kind, "person")) {
        const char *idn = str_field(pj, "id_number", fields, pre, principal, 32);
        if (idn) {
            zx_idno_info info;
            enum zx_idno_status st = zx_idno_check(idn, zx_today(), &info);
            char f[160];
            snprintf(f, sizeof f, "%sid_number", pre);
            if (st != ZX_IDNO_OK) zx_case_field_err(fields, f, "INVALID_ID_NUMBER", zx_idno_status_message(st));
            else {
                snprintf(p->idn, sizeof p->idn, "%s", info.id);
                p->id_number = p->idn;
                p->birth = info.birth;
                snprintf(p->sex, sizeof p->sex, "%s", info.sex == ZX_SEX_MALE ? "M" : info.sex == ZX_SEX_FEMALE ? "F" : "");
            }
        }
    } else {
        const char *cc = str_field(pj, "credit_code", fields, pre, principal, 32);
        if (cc) {
            enum zx_uscc_status st = zx_uscc_check(cc, p->ucc);
            char f[160];
            snprintf(f, sizeof f, "%scredit_code", pre);
            if (st != ZX_USCC_OK) zx_case_field_err(fields, f, "INVALID_CREDIT_CODE", zx_uscc_status_message(st));
            else p->credit_code = p->ucc;
        }
    }
    json_t *of = json_object_get(pj, "of");
    if (of && !json_is_null(of)) {
        char f[160];
        snprintf(f, sizeof f, "%sof", pre);
        if (!json_is_integer(of) || json_integer_value(of) < 0 || json_integer_value(of) >= nparties ||
            json_integer_value(of) == idx)
            zx_case_field_err(fields, f, "INVALID", "应为本案另一当事人的序号");
        else p->of = (int)json_integer_value(of);
    }
}

/* Parse and validate a filing body. Fields errors go into `fields`. unit_persons are flattened into
 * extra party rows after their unit. */
static void validate_filing(zx_req *r, json_t *b, filing_in *f, json_t *fields)
{
    memset(f, 0, sizeof *f);
    f->type_code = str_field(b, "type_code", fields, "", true, 16);
    if (f->type_code) {
        const struct zx_case_type *t = zx_case_type_by_code(f->type_code);
        if (!t || !strcmp(f->type_code, "执恢"))
            zx_case_field_err(fields, "type_code", "INVALID_ENUM", "案件类型无效（执恢案件由恢复执行产生）");
    }
    const char *court = str_field(b, "court", fields, "", false, 24);
    f->court = court ? zx_court_by_code(court) : zx_court_by_id(r->who.court_id);
    if (!f->court) zx_case_field_err(fields, "court", "UNKNOWN_COURT", "法院不存在");
    else if (!zx_can_see_court(&r->who, f->court->id) || (court && f->court->id != r->who.court_id &&
                                                          !(r->who.roles & ROLE_CHIEF)))
        zx_case_field_err(fields, "court", "UNKNOWN_COURT", "只能在本院立案");
    f->applied_on = date_field(b, "applied_on", fields, "", true, ZX_DATE_NONE);
    f->filed_on = date_field(b, "filed_on", fields, "", false, zx_today());
    if (f->applied_on != ZX_DATE_NONE && f->filed_on != ZX_DATE_NONE && f->filed_on < f->applied_on)
        zx_case_field_err(fields, "filed_on", "INVALID_DATE", "立案日期不能早于申请日期");
    json_t *cl = json_object_get(b, "claim_fen");
    if (cl && !json_is_null(cl)) {
        if (!json_is_integer(cl) || json_integer_value(cl) < 0 || json_integer_value(cl) > 100000000000000LL)
            zx_case_field_err(fields, "claim_fen", "INVALID_AMOUNT", "执行标的应为非负整数（分）");
        else f->claim_fen = json_integer_value(cl);
    }
    json_t *basis = json_object_get(b, "basis");
    if (!json_is_object(basis)) {
        zx_case_field_err(fields, "basis", "REQUIRED", "执行依据必填");
    } else {
        f->basis_kind = str_field(basis, "kind", fields, "basis.", true, 24);
        if (f->basis_kind && !in_list(basis_kinds, f->basis_kind)) {
            zx_case_field_err(fields, "basis.kind", "INVALID_ENUM", "执行依据种类无效");
            f->basis_kind = NULL;
        }
        f->issuer = str_field(basis, "issuer", fields, "basis.", true, 200);
        f->doc_no = str_field(basis, "doc_no", fields, "basis.", true, 100);
        f->act = str_field(basis, "act", fields, "basis.", false, 1000);
        f->effective_on = date_field(basis, "effective_on", fields, "basis.", true, ZX_DATE_NONE);
        if (f->effective_on != ZX_DATE_NONE && f->applied_on != ZX_DATE_NONE && f->effective_on > f->applied_on)
            zx_case_field_err(fields, "basis.effective_on", "INVALID_DATE", "执行依据生效日期不能晚于申请日期");
        f->non_litigation = json_is_true(json_object_get(basis, "non_litigation"));
    }
    if (f->claim_fen == 0 && !f->act && json_is_object(basis))
        zx_case_field_err(fields, "claim_fen", "INVALID_AMOUNT", "执行标的金额或应履行的行为至少填写一项");
    /* 受理条件 — 执行工作规定 art 16 (all five). */
    static const struct { const char *k, *msg; } conds[] = {
        { "document_effective", "申请执行的法律文书须已生效" },
        { "applicant_is_right_holder", "申请执行人须是生效法律文书确定的权利人或其继承人、权利承受人" },
        { "content_clear", "法律文书须有给付内容，且执行标的和被执行人明确" },
        { "debtor_failed_to_perform", "义务人须在生效法律文书确定的期限内未履行义务" },
        { "within_jurisdiction", "须属于受申请执行的人民法院管辖" },
    };
    json_t *co = json_object_get(b, "conditions");
    for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
        char fp[160];
        snprintf(fp, sizeof fp, "conditions.%s", conds[i].k);
        if (!json_is_true(json_object_get(co, conds[i].k))) zx_case_field_err(fields, fp, "CONDITION_NOT_MET", conds[i].msg);
    }
    f->property_clue = json_is_true(json_object_get(b, "property_clue"));
    json_t *fee = json_object_get(b, "fee_fen");
    if (fee && !json_is_null(fee)) {
        if (!json_is_integer(fee) || (f->claim_fen == 0 && !zx_fee_enforcement_no_amount_valid(json_integer_value(fee))))
            zx_case_field_err(fields, "fee_fen", "INVALID_AMOUNT", "无执行金额的案件执行费为每件50至500元（诉讼费用交纳办法第14条）");
        else f->fee_fen = json_integer_value(fee);
    }
    /* Parties, with unit persons flattened after their unit. */
    json_t *pa = json_object_get(b, "parties");
    if (!json_is_array(pa) || json_array_size(pa) == 0 || json_array_size(pa) > 200) {
        zx_case_field_err(fields, "parties", "REQUIRED", "当事人必填（至少一名申请执行人和一名被执行人）");
        return;
    }
    size_t total = 0, i;
    json_t *pj;
    json_array_foreach(pa, i, pj) total += 1 + json_array_size(json_object_get(pj, "unit_persons"));
    if (total > 400) {
        zx_case_field_err(fields, "parties", "TOO_LONG", "当事人过多");
        return;
    }
    f->p = zx_alloc(r, total * sizeof *f->p);
    int *top_index = zx_alloc(r, json_array_size(pa) * sizeof(int));
    int napp = 0, ndeb = 0;
    json_array_foreach(pa, i, pj) {
        char path[48];
        snprintf(path, sizeof path, "parties[%zu]", i);
        party_in *p = &f->p[f->np];
        top_index[i] = f->np;
        validate_party(r, pj, (int)i, p, fields, path, (int)json_array_size(pa));
        f->np++;
        if (p->role && !strcmp(p->role, "applicant")) napp++;
        if (p->role && !strcmp(p->role, "debtor")) ndeb++;
        json_t *ups = json_object_get(pj, "unit_persons");
        if (ups && !json_is_array(ups)) {
            char fp[160];
            snprintf(fp, sizeof fp, "%s.unit_persons", path);
            zx_case_field_err(fields, fp, "INVALID", "应为数组");
            continue;
        }
        size_t j;
        json_t *u;
        json_array_foreach(ups, j, u) {
            char up[96];
            snprintf(up, sizeof up, "%s.unit_persons[%zu]", path, j);
            party_in *q = &f->p[f->np];
            if (json_is_object(u)) { /* a unit's person: role and kind are implied */
                json_object_set_new(u, "role", json_string("unit_person"));
                json_object_set_new(u, "kind", json_string("person"));
            }
            validate_party(r, u, -1, q, fields, up, 0);
            q->role = "unit_person";
            q->kind = "person";
            q->of = top_index[i];
            static const char *rou[] = { "legal_rep", "principal", "responsible_person", "controller", NULL };
            if (!q->role_of_unit || !in_list(rou, q->role_of_unit)) {
                char fp[160];
                snprintf(fp, sizeof fp, "%s.role_of_unit", up);
                zx_case_field_err(fields, fp, "INVALID_ENUM", "应为 legal_rep/principal/responsible_person/controller");
            }
            f->np++;
        }
    }
    /* `of` indexes refer to the request's top-level positions. */
    for (int k = 0; k < f->np; k++)
        if (f->p[k].of >= 0 && strcmp(f->p[k].role ? f->p[k].role : "", "unit_person") != 0)
            f->p[k].of = top_index[f->p[k].of];
    if (napp == 0) zx_case_field_err(fields, "parties", "REQUIRED", "至少需要一名申请执行人");
    if (ndeb == 0) zx_case_field_err(fields, "parties", "REQUIRED", "至少需要一名被执行人（执行工作规定第16条：被执行人明确）");
}

static int insert_party(db_conn *c, int64_t case_id, int64_t court_id, const char *filed_on, int ord,
                        const party_in *p, int64_t of_id, int64_t *id_out)
{
    db_stmt *s = db_prepare(c, "INSERT INTO case_party (id, case_id, ord, role, kind, name, id_number, credit_code, sex,"
                               " birth_date, of_party_id, role_of_unit, phone, address, court_id, filed_on,"
                               " id_number_enc, phone_enc, address_enc)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    int64_t id = zx_id_new();
    char bd[11];
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, ord);
    db_bind_text(s, 4, p->role, -1);
    db_bind_text(s, 5, p->kind, -1);
    db_bind_text(s, 6, p->name, -1);
    zx_pii_bind_index(s, 7, ZX_PII_ID_NUMBER, p->id_number); /* blind index (migration 020) */
    db_bind_text(s, 8, p->credit_code, -1);
    db_bind_text(s, 9, p->sex[0] ? p->sex : NULL, -1);
    if (p->birth != ZX_DATE_NONE) {
        zx_date_format(p->birth, bd);
        db_bind_text(s, 10, bd, -1);
    } else db_bind_null(s, 10);
    if (of_id > 0) db_bind_int64(s, 11, of_id);
    else db_bind_null(s, 11);
    db_bind_text(s, 12, p->role_of_unit, -1);
    db_bind_null(s, 13); /* phone and address: sealed below */
    db_bind_null(s, 14);
    db_bind_int64(s, 15, court_id); /* the case's court and filing date: party-name search (006) */
    db_bind_text(s, 16, filed_on, -1);
    zx_pii_bind(s, 17, ZX_PII_ID_NUMBER, p->id_number);
    zx_pii_bind(s, 18, ZX_PII_PHONE, p->phone);
    zx_pii_bind(s, 19, ZX_PII_ADDRESS, p->address);
    int rc = db_step(s);
    db_finalize(s);
    *id_out = id;
    return rc == DB_DONE ? 0 : -1;
}

/* Insert the case row + parties, allocate the number; then event + clocks + audit. */
static int insert_case(zx_req *r, db_conn *c, const filing_in *f, const char *type_code, int64_t parent_id,
                       const char *event_kind, json_t *event_data, int64_t *id_out, json_t *warnings, zx_case_err *err)
{
    int year;
    int mm, dd;
    zx_date_to_ymd(f->filed_on, &year, &mm, &dd);
    int64_t seq = zx_case_seq_next(c, f->court->id, type_code, year);
    if (seq <= 0) {
        zx_case_err_set(err, 500, "DB_ERROR", "案号分配失败：%s", db_errmsg(c));
        return -1;
    }
    zx_case_no cn = { .year = year, .seq = seq };
    snprintf(cn.court_code, sizeof cn.court_code, "%.15s", f->court->code);
    snprintf(cn.type_code, sizeof cn.type_code, "%s", type_code);
    char case_no[ZX_CASE_NO_MAX];
    if (zx_case_no_format(&cn, case_no, sizeof case_no) < 0) {
        zx_case_err_set(err, 400, "INVALID_STATE", "无法生成案号（法院代字或类型无效）");
        return -1;
    }
    /* Names for lists. */
    const char *app = NULL, *deb = NULL;
    int ndeb = 0;
    for (int i = 0; i < f->np; i++) {
        if (!strcmp(f->p[i].role, "applicant") && !app) app = f->p[i].name;
        if (!strcmp(f->p[i].role, "debtor")) {
            if (!deb) deb = f->p[i].name;
            ndeb++;
        }
    }
    /* Fee (诉讼费用交纳办法 art 14): enforcement fee on the claim, 保全 fee for 执保; no amount → ¥50–500. */
    int64_t fee = f->fee_fen;
    if (!strcmp(type_code, "执异") || f->no_fee) fee = 0; /* 诉讼费用交纳办法 art 10: 执行异议 is not an application that pays a fee */
    else if (f->claim_fen > 0) fee = !strcmp(type_code, "执保") ? zx_fee_preservation(f->claim_fen) : zx_fee_enforcement(f->claim_fen);
    else if (fee == 0) fee = ZX_FEE_NO_AMOUNT_MIN_FEN;
    zx_triage_rules tr;
    zx_case_triage_rules(c, f->court->id, &tr);
    const char *track = zx_triage_decide(&tr, f->claim_fen, ndeb, f->property_clue, f->non_litigation);
    bool late = f->filed_on - f->applied_on > ZX_FILING_DAYS; /* 执行工作规定 art 16 */
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c,
        "INSERT INTO enf_case (id, case_no, year, court_id, type_code, seq, stage, status, track, applied_on, filed_on,"
        " claim_fen, recovered_fen, fee_fen, has_assets, non_litigation, filed_late, parent_case_id, basis_kind,"
        " basis_issuer, basis_doc_no, basis_effective_on, basis_act, basis_non_litigation, applicant_name, debtor_name,"
        " imported, created_ms, updated_ms)"
        " VALUES (?, ?, ?, ?, ?, ?, 'filing', 'open', ?, ?, ?, ?, 0, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)");
    if (!s) goto dberr;
    char ad[11], fd[11], ed[11];
    zx_date_format(f->applied_on, ad);
    zx_date_format(f->filed_on, fd);
    int i = 1;
    db_bind_int64(s, i++, id);
    db_bind_text(s, i++, case_no, -1);
    db_bind_int64(s, i++, year);
    db_bind_int64(s, i++, f->court->id);
    db_bind_text(s, i++, type_code, -1);
    db_bind_int64(s, i++, seq);
    db_bind_text(s, i++, track, -1);
    db_bind_text(s, i++, ad, -1);
    db_bind_text(s, i++, fd, -1);
    db_bind_int64(s, i++, f->claim_fen);
    db_bind_int64(s, i++, fee);
    db_bind_int64(s, i++, f->non_litigation);
    db_bind_int64(s, i++, late);
    if (parent_id > 0) db_bind_int64(s, i++, parent_id);
    else db_bind_null(s, i++);
    db_bind_text(s, i++, f->basis_kind, -1);
    db_bind_text(s, i++, f->issuer, -1);
    db_bind_text(s, i++, f->doc_no, -1);
    if (f->effective_on != ZX_DATE_NONE) {
        zx_date_format(f->effective_on, ed);
        db_bind_text(s, i++, ed, -1);
    } else db_bind_null(s, i++);
    db_bind_text(s, i++, f->act, -1);
    db_bind_int64(s, i++, f->non_litigation);
    db_bind_text(s, i++, app, -1);
    db_bind_text(s, i++, deb, -1);
    db_bind_int64(s, i++, now);
    db_bind_int64(s, i++, now);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) goto dberr;
    if (zx_funds_case_account(c, id, NULL) < 0) goto dberr; /* 一案一账号, opened at filing (src/funds) */
    int64_t *pids = zx_alloc(r, (size_t)(f->np + 1) * sizeof *pids);
    for (int k = 0; k < f->np; k++) {
        int64_t of = f->p[k].of >= 0 && f->p[k].of < k ? pids[f->p[k].of] : 0;
        if (insert_party(c, id, f->court->id, fd, k + 1, &f->p[k], of, &pids[k])) goto dberr;
    }
    /* `of` pointing forward (agent listed before its principal): fix after all rows exist. */
    for (int k = 0; k < f->np; k++)
        if (f->p[k].of > k) {
            db_stmt *u = db_prepare(c, "UPDATE case_party SET of_party_id = ? WHERE id = ?");
            if (!u) goto dberr;
            db_bind_int64(u, 1, pids[f->p[k].of]);
            db_bind_int64(u, 2, pids[k]);
            rc = db_step(u);
            db_finalize(u);
            if (rc != DB_DONE) goto dberr;
        }
    zx_case k;
    if (zx_case_load(c, id, &k) != 0) goto dberr;
    zx_case_events ev = { 0 };
    json_t *data = event_data ? json_incref(event_data) : json_object();
    json_object_set_new(data, "case_no", json_string(case_no));
    json_object_set_new(data, "track", json_string(track));
    json_object_set_new(data, "fee_fen", json_integer(fee));
    json_object_set_new(data, "filed_late", json_boolean(late));
    json_object_set_new(data, "property_clue", json_boolean(f->property_clue));
    int64_t eid = zx_case_event_add(c, &ev, id, r->who.user_id, event_kind, "filing", f->filed_on, data, NULL);
    json_decref(data);
    if (eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k)) {
        zx_case_events_free(&ev);
        goto dberr;
    }
    zx_case_events_free(&ev);
    /* 受理通知书 to the applicant, with its query code for the party portal (issue 15): rendered on first
     * download (documents.c), so filing pays only for the row */
    if ((!strcmp(type_code, "执") || !strcmp(type_code, "执恢") || !strcmp(type_code, "执保")) &&
        zx_doc_generate_lazy(c, id, "acceptance_notice", eid, NULL) != 0)
        goto dberr;
    char *detail = zx_sprintf(r, "{\"case_no\":\"%s\",\"track\":\"%s\"}", case_no, track);
    const char *act = f->audit_act                ? f->audit_act
                      : parent_id <= 0            ? "case.file"
                      : !strcmp(type_code, "执异") ? "case.objection"
                                                  : "case.resume";
    if (zx_audit_req(r, c, act, "case", id, "ok", detail)) goto dberr;
    if (late && warnings)
        json_array_append_new(warnings, json_pack("{s:s,s:s}", "code", "FILED_LATE", "message",
                                                  "立案日期距申请执行日超过7日（执行工作规定第16条）"));
    *id_out = id;
    return 0;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return -1;
}

int zx_case_file(zx_req *r, db_conn *c, json_t *body, int64_t *id_out, json_t **warnings, json_t **fields,
                 zx_case_err *err)
{
    filing_in f;
    json_t *fe = json_array();
    validate_filing(r, body, &f, fe);
    if (json_array_size(fe) > 0) {
        *fields = fe;
        return 1;
    }
    json_decref(fe);
    *warnings = json_array();
    return insert_case(r, c, &f, f.type_code, 0, "filed", NULL, id_out, *warnings, err);
}

/* ------------------------------------------------------------------ assignment */
int zx_case_assign(zx_req *r, db_conn *c, zx_case *k, json_t *body, zx_case_err *err)
{
    json_t *fields = json_array();
    int64_t handler = 0, team = 0;
    if (!zx_json_get_id(json_object_get(body, "handler_id"), &handler))
        zx_case_field_err(fields, "handler_id", "REQUIRED", "承办人必填");
    else {
        db_stmt *s = db_prepare(c, "SELECT court_id, roles, disabled FROM app_user WHERE id = ?");
        if (!s) goto dberr;
        db_bind_int64(s, 1, handler);
        bool ok = false;
        if (db_step(s) == DB_ROW)
            ok = db_col_int64(s, 0) == k->court_id && (db_col_int64(s, 1) & (ROLE_JUDGE | ROLE_ASSISTANT)) &&
                 !db_col_int64(s, 2);
        db_finalize(s);
        if (!ok) zx_case_field_err(fields, "handler_id", "UNKNOWN_USER", "承办人须为本院在职执行法官或执行员");
    }
    json_t *tj = json_object_get(body, "team_id");
    if (tj && !json_is_null(tj)) {
        if (!zx_json_get_id(tj, &team)) zx_case_field_err(fields, "team_id", "INVALID", "团队编号无效");
        else {
            db_stmt *s = db_prepare(c, "SELECT court_id FROM team WHERE id = ?");
            if (!s) goto dberr;
            db_bind_int64(s, 1, team);
            bool ok = db_step(s) == DB_ROW && db_col_int64(s, 0) == k->court_id;
            db_finalize(s);
            if (!ok) zx_case_field_err(fields, "team_id", "INVALID", "团队须属于本院");
        }
    }
    if (json_array_size(fields)) {
        zx_case_err_set(err, 400, "VALIDATION_FAILED", "输入有误");
        err->extra = json_pack("{s:o}", "fields", fields);
        return 1;
    }
    json_decref(fields);
    if (!strcmp(k->status, "closed")) {
        zx_case_err_set(err, 409, "INVALID_STATE", "案件已结案，不能分案");
        return 1;
    }
    zx_case_events ev;
    if (zx_case_events_load(c, k->id, &ev)) goto dberr;
    int64_t prev = k->handler_id;
    k->handler_id = handler;
    k->team_id = team;
    if (!strcmp(k->stage, "filing")) snprintf(k->stage, sizeof k->stage, "property_inquiry");
    json_t *data = json_pack("{s:o,s:o,s:o}", "handler_id", zx_json_id(handler), "team_id", zx_json_id(team),
                             "previous_handler_id", zx_json_id(prev));
    int64_t eid = zx_case_event_add(c, &ev, k->id, r->who.user_id, "assigned", k->stage, zx_today(), data, NULL);
    json_decref(data);
    int rc = (eid < 0 || zx_case_sync_clocks(c, k, &ev) || zx_case_save(c, k)) ? -1 : 0;
    zx_case_events_free(&ev);
    if (rc) goto dberr;
    char *detail = zx_sprintf(r, "{\"handler_id\":\"%lld\"}", (long long)handler);
    if (zx_audit_req(r, c, "case.assign", "case", k->id, "ok", detail)) goto dberr;
    return 0;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return -1;
}

/* ------------------------------------------------------------------ linked filings */
/* 恢复执行, 执行异议, 执行回转 and 移送执行 each file a new case linked to an existing one (parent_case_id):
 * the original's parties and basis (执行依据) carried over. linked_init starts the filing, the caller
 * changes what differs (dates, claim, basis, fee, audit act), file_linked files it. */

/* The filing of a case linked to k at court_id (k's own court, or the court it moves to): applied for
 * and filed today, k's basis. 0, or 1 with err when the court does not exist (409 for k's own court,
 * 404 for another). */
static int linked_init(filing_in *f, const zx_case *k, int64_t court_id, zx_case_err *err)
{
    memset(f, 0, sizeof *f);
    f->court = zx_court_by_id(court_id);
    if (!f->court) {
        if (court_id == k->court_id) zx_case_err_set(err, 409, "INVALID_STATE", "原案件法院不存在");
        else zx_case_err_set(err, 404, "NOT_FOUND", "法院不存在");
        return 1;
    }
    f->applied_on = zx_today();
    f->filed_on = zx_today();
    f->basis_kind = k->basis_kind[0] ? k->basis_kind : NULL;
    f->issuer = k->basis_issuer;
    f->doc_no = k->basis_doc_no;
    f->act = k->basis_act[0] ? k->basis_act : NULL;
    f->effective_on = k->basis_effective_on;
    f->non_litigation = k->non_litigation;
    return 0;
}

/* The parties of case_id copied into a filing (sealed columns opened through core/pii and sealed again
 * on insert), in their order; `of` links kept. 0 or -1. */
static int copy_parties(zx_req *r, db_conn *c, int64_t case_id, filing_in *fp)
{
    filing_in f = *fp;
    db_stmt *s = db_prepare(c, "SELECT id, role, kind, name, id_number_enc, credit_code, sex, birth_date, of_party_id,"
                               " role_of_unit, phone_enc, address_enc FROM case_party WHERE case_id = ? ORDER BY ord");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int cap = 16;
    f.p = zx_alloc(r, (size_t)cap * sizeof *f.p);
    int64_t *old_ids = zx_alloc(r, (size_t)cap * sizeof(int64_t));
    int64_t *old_of = zx_alloc(r, (size_t)cap * sizeof(int64_t));
    while (db_step(s) == DB_ROW) {
        if (f.np == cap) {
            int nc = cap * 2;
            party_in *np = zx_alloc(r, (size_t)nc * sizeof *np);
            int64_t *oi = zx_alloc(r, (size_t)nc * sizeof(int64_t)), *oo = zx_alloc(r, (size_t)nc * sizeof(int64_t));
            memcpy(np, f.p, (size_t)cap * sizeof *np);
            memcpy(oi, old_ids, (size_t)cap * sizeof(int64_t));
            memcpy(oo, old_of, (size_t)cap * sizeof(int64_t));
            f.p = np, old_ids = oi, old_of = oo, cap = nc;
        }
        party_in *p = &f.p[f.np];
        memset(p, 0, sizeof *p);
        old_ids[f.np] = db_col_int64(s, 0);
        p->role = zx_strdup(r, db_col_text(s, 1));
        p->kind = zx_strdup(r, db_col_text(s, 2));
        p->name = zx_strdup(r, db_col_text(s, 3));
        char *pv = zx_pii_col(s, 4, ZX_PII_ID_NUMBER); /* sealed columns (core/pii.h) */
        if (pv) p->id_number = zx_strdup(r, pv);
        zx_pii_free(pv);
        if (db_col_text(s, 5)) p->credit_code = zx_strdup(r, db_col_text(s, 5));
        if (db_col_text(s, 6)) snprintf(p->sex, sizeof p->sex, "%s", db_col_text(s, 6));
        p->birth = ZX_DATE_NONE;
        if (db_col_text(s, 7)) zx_date_parse(db_col_text(s, 7), &p->birth);
        old_of[f.np] = db_col_int64(s, 8);
        if (db_col_text(s, 9)) p->role_of_unit = zx_strdup(r, db_col_text(s, 9));
        if ((pv = zx_pii_col(s, 10, ZX_PII_PHONE))) p->phone = zx_strdup(r, pv);
        zx_pii_free(pv);
        if ((pv = zx_pii_col(s, 11, ZX_PII_ADDRESS))) p->address = zx_strdup(r, pv);
        zx_pii_free(pv);
        f.np++;
    }
    db_finalize(s);
    for (int i = 0; i < f.np; i++) {
        f.p[i].of = -1;
        for (int j = 0; j < f.np; j++)
            if (old_of[i] && old_ids[j] == old_of[i]) f.p[i].of = j;
    }
    *fp = f;
    return 0;
}

/* File f as a `type` case linked to k, in the caller's transaction: k's parties copied (swap_roles: the
 * applicants and debtors turned back, 执行回转; agents follow their principals), its "filed" event
 * carrying parent_case_id, parent_case_no and the members of filed_extra; then, when back_kind is given,
 * an event of that kind on k with new_case_id, new_case_no and the members of back_extra. Both JSON
 * objects are stolen (may be NULL). *new_id and new_no (ZX_CASE_NO_MAX bytes, may be NULL) get the new
 * case. 0, 1 (err) or < 0 (err filled). */
static int file_linked(zx_req *r, db_conn *c, const zx_case *k, filing_in *f, const char *type, bool swap_roles,
                       json_t *filed_extra, const char *back_kind, json_t *back_extra, int64_t *new_id, char *new_no,
                       zx_case_err *err)
{
    char no[ZX_CASE_NO_MAX] = "";
    int rc = -1;
    if (copy_parties(r, c, k->id, f)) goto dberr;
    for (int i = 0; swap_roles && i < f->np; i++) {
        if (!strcmp(f->p[i].role, "applicant")) f->p[i].role = "debtor";
        else if (!strcmp(f->p[i].role, "debtor")) f->p[i].role = "applicant";
    }
    json_t *data = json_pack("{s:o,s:s}", "parent_case_id", zx_json_id(k->id), "parent_case_no", k->case_no);
    if (filed_extra) json_object_update(data, filed_extra);
    rc = insert_case(r, c, f, type, k->id, "filed", data, new_id, NULL, err);
    json_decref(data);
    if (rc) goto out;
    rc = -1;
    db_stmt *s = db_prepare(c, "SELECT case_no FROM enf_case WHERE id = ?");
    if (!s) goto dberr;
    db_bind_int64(s, 1, *new_id);
    if (db_step(s) == DB_ROW) snprintf(no, sizeof no, "%s", db_col_text(s, 0));
    db_finalize(s);
    if (back_kind) { /* the original case's event (it keeps its state) */
        json_t *d2 = json_pack("{s:o,s:s}", "new_case_id", zx_json_id(*new_id), "new_case_no", no);
        if (back_extra) json_object_update(d2, back_extra);
        int64_t eid = zx_case_event_add(c, NULL, k->id, r->who.user_id, back_kind, k->stage, zx_today(), d2, NULL);
        json_decref(d2);
        if (eid < 0) goto dberr;
    }
    if (new_no) snprintf(new_no, ZX_CASE_NO_MAX, "%s", no);
    rc = 0;
    goto out;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
out:
    json_decref(filed_extra);
    json_decref(back_extra);
    return rc;
}

/* ------------------------------------------------------------------ 恢复执行 */
int zx_case_resume(zx_req *r, db_conn *c, int64_t case_id, json_t *body, int64_t *new_id, zx_case_err *err)
{
    zx_case k;
    if (zx_case_load(c, case_id, &k) != 0) {
        zx_case_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return 1;
    }
    json_t *fields = json_array();
    const char *reason = str_field(body, "reason", fields, "", true, 40);
    zx_date applied = date_field(body, "applied_on", fields, "", false, zx_today());
    if (json_array_size(fields)) {
        zx_case_err_set(err, 400, "VALIDATION_FAILED", "输入有误");
        err->extra = json_pack("{s:o}", "fields", fields);
        return 1;
    }
    json_decref(fields);
    if (strcmp(k.status, "closed") != 0) {
        zx_case_err_set(err, 409, "INVALID_STATE", "原案件尚未结案，不能恢复执行");
        return 1;
    }
    zx_case_events rev;
    if (zx_case_events_load(c, case_id, &rev)) {
        zx_case_err_set(err, 500, "DB_ERROR", "读取案件事件失败");
        return -1;
    }
    zx_resume_facts rf;
    zx_case_resume_facts(&k, &rev, &rf);
    const char *why_not = zx_resume_check(&rf, reason);
    zx_case_events_free(&rev);
    if (why_not) { /* 立案结案意见 art 6; 民诉解释 art 465 */
        zx_case_err_set(err, 409, "RESUME_NOT_ALLOWED", "%s", why_not);
        return 1;
    }
    int64_t outstanding = k.claim_fen - k.recovered_fen;
    if (outstanding <= 0 && !k.basis_act[0]) {
        zx_case_err_set(err, 409, "INVALID_STATE", "原案件执行标的已全部到位，无可恢复执行的内容");
        return 1;
    }
    /* same court, parties and basis; claim = outstanding */
    filing_in f;
    if (linked_init(&f, &k, k.court_id, err)) return 1;
    f.applied_on = applied;
    if (f.filed_on < applied) f.filed_on = applied;
    f.claim_fen = outstanding > 0 ? outstanding : 0;
    return file_linked(r, c, &k, &f, "执恢", false, json_pack("{s:s}", "reason", reason), "resumed",
                       json_pack("{s:s}", "reason", reason), new_id, NULL, err);
}

/* 执行异议 accepted (民诉法 art 236; 异议复议规定 art 2: filed within 3 days of receipt when it meets
 * the conditions): file the 执异 case in the caller's transaction, linked to the enforcement case it
 * objects to (parent_case_id), same court and parties, no fee; its 15-day clock (ZX_OBJECTION_DAYS,
 * 民诉法 art 236) comes from rules/clocks at filing. kind names the objection ("interim_objection" 终本
 * 异议 | "act_objection" 执行行为异议); the original case gets an "objection_filed" event. */
int zx_case_file_objection(zx_req *r, db_conn *c, int64_t case_id, const char *kind, const char *reason,
                           int64_t *new_id, zx_case_err *err)
{
    zx_case k;
    if (zx_case_load(c, case_id, &k) != 0) {
        zx_case_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return 1;
    }
    filing_in f;
    if (linked_init(&f, &k, k.court_id, err)) return 1;
    f.claim_fen = 0;
    return file_linked(r, c, &k, &f, "执异", false,
                       json_pack("{s:s,s:s}", "objection_kind", kind ? kind : "", "reason", reason ? reason : ""),
                       "objection_filed", json_pack("{s:s}", "objection_kind", kind ? kind : ""), new_id, NULL, err);
}

/* 执行回转 (执行工作规定 art 65 para 2: 执行回转应重新立案，适用执行程序的有关规定): file a new 执 case
 * linked to case_id (parent_case_id) in the caller's transaction, with the roles turned back — the
 * original 被执行人 become the applicants, the original 申请执行人 (who received the money or the
 * property, art 65 para 1) the respondents; agents follow their principals. claim_fen is the money
 * to be returned (0 when a thing is to be returned: act names it, art 66 para 1); the basis is the
 * 执行回转裁定 (doc_no). The original case gets a "restitution_filed" event. 0, 1 (err) or < 0. */
int zx_case_file_restitution(zx_req *r, db_conn *c, int64_t case_id, int64_t claim_fen, const char *act, const char *doc_no,
                             const char *reason, int64_t *new_id, zx_case_err *err)
{
    zx_case k;
    if (zx_case_load(c, case_id, &k) != 0) {
        zx_case_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return 1;
    }
    filing_in f;
    if (linked_init(&f, &k, k.court_id, err)) return 1;
    f.claim_fen = claim_fen > 0 ? claim_fen : 0;
    f.basis_kind = "ruling"; /* the basis is this court's 执行回转裁定 */
    f.issuer = f.court->name;
    f.doc_no = doc_no;
    f.act = act && *act ? act : NULL;
    f.effective_on = zx_today();
    f.non_litigation = false;
    f.audit_act = "case.restitution";
    return file_linked(r, c, &k, &f, "执", true,
                       json_pack("{s:b,s:s}", "restitution", 1, "reason", reason ? reason : ""), "restitution_filed",
                       json_pack("{s:I,s:s}", "claim_fen", (json_int_t)f.claim_fen, "label",
                                 "执行回转重新立案（执行工作规定第六十五条第二款）"),
                       new_id, NULL, err);
}

/* ------------------------------------------------------------------ 移送执行 */
/* What other modules hold on a moving case (case.h ZX_CASE_MOVE_HOOK): called through this table. */
static zx_case_move_fn move_hooks[8];
static int n_move_hooks;

void zx_case_move_hook_add(zx_case_move_fn fn)
{
    if (n_move_hooks < (int)(sizeof move_hooks / sizeof move_hooks[0])) move_hooks[n_move_hooks++] = fn;
    else abort();
}

/* 提级执行 / 指定执行 / 交叉执行 (case.h zx_case_transfer): the modules may refuse, the new court files,
 * what the modules hold follows, then the old court closes. */
int zx_case_transfer(zx_req *r, db_conn *c, int64_t case_id, int64_t to_court, const char *reason, const char *note,
                     int64_t *new_id, zx_case_err *err)
{
    zx_case k;
    int lr = zx_case_load(c, case_id, &k);
    if (lr < 0) goto dberr;
    if (lr) {
        zx_case_err_set(err, 404, "NOT_FOUND", "案件不存在");
        return 1;
    }
    if (strcmp(reason, "elevated") != 0 && strcmp(reason, "designated") != 0) {
        zx_case_err_set(err, 400, "INVALID_ENUM", "移送事由无效（提级执行或指定执行）");
        return 1;
    }
    if (strcmp(k.status, "open") != 0) {
        zx_case_err_set(err, 409, "INVALID_STATE", !strcmp(k.status, "closed") ? "案件已结案，不能移送其他法院执行"
                                                                              : "中止/暂缓执行期间不得移送，请先结束中止/暂缓");
        return 1;
    }
    if (k.court_id == to_court) {
        zx_case_err_set(err, 409, "SAME_COURT", "案件已由该法院执行");
        return 1;
    }
    filing_in f;
    if (linked_init(&f, &k, to_court, err)) return 1;
    /* may it move now? (an auction under way, a credit decision awaiting its signature …) */
    zx_case_move m = { .case_id = k.id, .from_court = k.court_id, .to_court = to_court, .case_no = k.case_no,
                       .reason = reason };
    for (int i = 0; i < n_move_hooks; i++) {
        int hr = move_hooks[i](r, c, &m, err);
        if (hr < 0 && !err->status) zx_case_err_set(err, 500, "DB_ERROR", "读取失败：%s", db_errmsg(c));
        if (hr) return hr;
    }
    const zx_court *from = zx_court_by_id(k.court_id);
    f.applied_on = k.applied_on != ZX_DATE_NONE ? k.applied_on : k.filed_on;
    if (f.applied_on > f.filed_on) f.applied_on = f.filed_on;
    f.claim_fen = k.claim_fen - k.recovered_fen > 0 ? k.claim_fen - k.recovered_fen : 0; /* what is still owed */
    f.no_fee = true;
    f.audit_act = "case.transfer_in";
    /* the new court's case: 执保 stays 执保, every other implementation case is a 首次执行 case there */
    const char *type = !strcmp(k.type_code, "执保") ? "执保" : "执";
    char nno[ZX_CASE_NO_MAX] = "";
    int rc = file_linked(r, c, &k, &f, type, false,
                         json_pack("{s:s,s:s,s:s?}", "transferred_from", from ? from->code : "", "transfer_reason", reason,
                                   "note", note),
                         NULL, NULL, new_id, nno, err);
    if (rc) return rc;
    if (k.has_assets) { /* the property found moves with the case (src/command/move.c) */
        zx_case nk;
        if (zx_case_load(c, *new_id, &nk) != 0) goto dberr;
        nk.has_assets = true;
        if (zx_case_save(c, &nk)) goto dberr;
    }
    /* what the modules hold follows the case (auction lots, 失信 / 限消 …), their events on both cases */
    m.new_case_id = *new_id;
    m.new_case_no = nno;
    for (int i = 0; i < n_move_hooks; i++)
        if (move_hooks[i](r, c, &m, err)) {
            if (!err->status) zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
            return -1;
        }
    /* the old court's case ends: 终结执行, art 17 (提级 / 指定: no ruling), its closure notice generated —
     * as the hooks left it (their events resynced its clocks) */
    if (zx_case_load(c, case_id, &k) != 0) goto dberr;
    zx_case_events ev = { 0 };
    if (zx_case_events_load(c, case_id, &ev)) goto dberr;
    char why[600];
    snprintf(why, sizeof why, "%s：由%s立案执行（%s）%s%s", !strcmp(reason, "elevated") ? "提级执行" : "指定执行",
             f.court->name, nno, note && *note ? "；" : "", note && *note ? note : "");
    json_t *body = json_pack("{s:s,s:s,s:s}", "mode", "termination", "reason", reason, "note", why);
    json_t *docs = json_array();
    rc = zx_case_close(r, c, &k, &ev, body, docs, err);
    json_decref(body);
    json_decref(docs);
    if (!rc) {
        json_t *d2 = json_pack("{s:o,s:s,s:s,s:s}", "new_case_id", zx_json_id(*new_id), "new_case_no", nno, "to_court",
                               f.court->code, "transfer_reason", reason);
        if (zx_case_event_add(c, &ev, k.id, r->who.user_id, "transferred_out", "closure", zx_today(), d2, NULL) < 0) rc = -1;
        json_decref(d2);
        if (rc) zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    }
    zx_case_events_free(&ev);
    return rc;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return -1;
}
