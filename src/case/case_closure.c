/* case_closure.c — 结案 in one of six modes (立案结案意见 arts 14–20); 终本 through the gate
 * (rules/gate.h) judged from the case's own events; re-inquiry reminders follow from the deadlines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "rules/closure.h"
#include "rules/gate.h"

static bool has(const zx_case_events *ev, const char *kind)
{
    for (int i = 0; i < ev->n; i++)
        if (!strcmp(ev->v[i].kind, kind)) return true;
    return false;
}

static bool has_for(const zx_case_events *ev, const char *kind, const char *key, const char *val)
{
    for (int i = 0; i < ev->n; i++)
        if (!strcmp(ev->v[i].kind, kind)) {
            const char *v = json_string_value(json_object_get(ev->v[i].data, key));
            if (v && !strcmp(v, val)) return true;
        }
    return false;
}

/* 终本规定 art 1(2) from the credit module (one source of truth): debtors of the case, those with a 限消
 * order and those with a 失信 listing signed and served on or before `on` (and not revoked). */
static void credit_facts(db_conn *c, int64_t case_id, zx_date on, zx_gate_facts *f)
{
    char day[11];
    zx_date_format(on, day);
    db_stmt *s = db_prepare(c,
        "SELECT p.id,"
        " (SELECT COUNT(*) FROM credit_decision d JOIN credit_entry e ON e.id = d.entry_id WHERE d.case_id = p.case_id"
        "   AND d.party_id = p.id AND d.list = 'restricted' AND d.approved_on <= ? AND d.served_on <= ?"
        "   AND e.status <> 'revoked'),"
        " (SELECT COUNT(*) FROM credit_decision d JOIN credit_entry e ON e.id = d.entry_id WHERE d.case_id = p.case_id"
        "   AND d.party_id = p.id AND d.list = 'dishonest' AND d.approved_on <= ? AND d.served_on <= ?"
        "   AND e.status <> 'revoked')"
        " FROM case_party p WHERE p.case_id = ? AND p.role = 'debtor'");
    if (!s) return;
    db_bind_text(s, 1, day, -1);
    db_bind_text(s, 2, day, -1);
    db_bind_text(s, 3, day, -1);
    db_bind_text(s, 4, day, -1);
    db_bind_int64(s, 5, case_id);
    while (db_step(s) == DB_ROW) {
        f->debtors++;
        if (db_col_int64(s, 1) > 0) f->debtors_restricted++;
        if (db_col_int64(s, 2) > 0) f->debtors_listed++;
    }
    db_finalize(s);
}

void zx_case_gate_facts(db_conn *c, const zx_case *k, const zx_case_events *ev, zx_date on, zx_gate_facts *f)
{
    memset(f, 0, sizeof *f);
    int last_bad_report = 0, last_punish = 0;
    bool not_applicable = false;
    for (int i = 0; i < ev->n; i++) {
        const zx_case_event *e = &ev->v[i];
        const char *kd = e->kind;
        if (e->on_date != ZX_DATE_NONE && e->on_date > on) continue; /* facts as of the closure date */
        if (!strcmp(kd, "enforcement_notice")) {
            f->notice_served = true;
            if (!json_is_false(json_object_get(e->data, "with_report_order"))) f->report_order_issued = true;
        } else if (!strcmp(kd, "property_report_order")) f->report_order_issued = true;
        else if (!strcmp(kd, "property_report")) {
            f->report_checked = true;
            const char *res = json_string_value(json_object_get(e->data, "result"));
            if (res && (!strcmp(res, "not_reported") || !strcmp(res, "false_report"))) last_bad_report = e->seq;
        } else if (!strcmp(kd, "obstruction_punished") || !strcmp(kd, "coercive_measure")) last_punish = e->seq;
        else if (!strcmp(kd, "dishonest_listing_recorded")) {
            if (!json_is_true(json_object_get(e->data, "listed"))) not_applicable = true; /* reason recorded */
        } else if (!strcmp(kd, "network_inquiry")) {
            /* 终本规定 art 1(3), art 3: only a completed run of the network inquiry system counts (every
             * kind art 3 names answered — src/inquiry/apply.c); a manually recorded inquiry stays a note */
            if (!strcmp(json_string_value(json_object_get(e->data, "source")) ? json_string_value(json_object_get(e->data, "source")) : "", "system") &&
                json_is_true(json_object_get(e->data, "complete")))
                f->network_inquiry = true;
        }
        else if (!strcmp(kd, "property_clue")) f->clues_open++;
        else if (!strcmp(kd, "clue_verified")) f->clues_open--;
        else if (!strcmp(kd, "onsite_investigation")) f->onsite_done = true;
        else if (!strcmp(kd, "auction_end")) {
            const char *res = json_string_value(json_object_get(e->data, "result"));
            if (res && !strcmp(res, "unsold")) f->disposal_failed = true;
        } else if (!strcmp(kd, "notice_by_publication_start")) f->debtor_missing = true;
        else if (!strcmp(kd, "missing_debtor_search")) {
            f->missing_search_done = true;
            if (!json_is_true(json_object_get(e->data, "found"))) f->debtor_missing = true;
        } else if (!strcmp(kd, "interview")) {
            f->interview_done = true;
        } else if (!strcmp(kd, "chief_approval")) f->chief_approval = true;
        else if (!strcmp(kd, "applicant_confirmation")) {
            const char *fo = json_string_value(json_object_get(e->data, "for"));
            if (fo && !strcmp(fo, "interim_closure")) f->applicant_confirmation = true;
        }
    }
    if (f->clues_open < 0) f->clues_open = 0;
    f->report_refused_or_false = last_bad_report > 0;
    f->report_punished = last_bad_report > 0 && last_punish > last_bad_report;
    /* 终本规定 art 1(2): read from the credit module — every debtor restricted; every qualifying debtor
     * listed, or the reason why none qualifies recorded */
    credit_facts(c, k->id, on, f);
    f->restriction_order = f->debtors > 0 && f->debtors_restricted == f->debtors;
    f->dishonest_recorded = (f->debtors > 0 && f->debtors_listed == f->debtors) || not_applicable;
    f->has_assets = k->has_assets;
    f->filed_on = k->filed_on;
    f->close_on = on;
    f->outstanding_fen = k->claim_fen - k->recovered_fen;
}

static void closure_facts(const zx_case *k, const zx_case_events *ev, const char *reason, zx_closure_facts *f)
{
    memset(f, 0, sizeof *f);
    f->claim_fen = k->claim_fen;
    f->recovered_fen = k->recovered_fen;
    f->has_act = k->basis_act[0] != 0;
    f->applicant_confirmed_completed = has_for(ev, "applicant_confirmation", "for", "completed");
    f->applicant_withdrawal = has(ev, "applicant_withdrawal");
    for (int i = 0; i < ev->n; i++)
        if (!strcmp(ev->v[i].kind, "jurisdiction_dispute_end") && json_is_true(json_object_get(ev->v[i].data, "upheld")))
            f->jurisdiction_upheld = true;
    f->basis_kind = k->basis_kind;
    f->reason = reason;
}

void zx_case_resume_facts(const zx_case *k, const zx_case_events *ev, zx_resume_facts *f)
{
    f->closure_mode = k->closure_mode;
    f->closure_reason = k->closure_reason;
    /* completed on the applicant's confirmation of a performed 和解, not on full payment (art 15) */
    f->settlement_performed = !strcmp(k->closure_mode, "completed") && has_for(ev, "applicant_confirmation", "for", "completed") &&
                              !(k->claim_fen > 0 && k->recovered_fen >= k->claim_fen);
}

json_t *zx_case_allowed_resume_reasons(const zx_case *k, const zx_case_events *ev)
{
    json_t *arr = json_array();
    if (strcmp(k->status, "closed") != 0) return arr;
    zx_resume_facts f;
    zx_case_resume_facts(k, ev, &f);
    for (const struct zx_code_label *r = zx_resume_reasons; r->code; r++)
        if (zx_resume_allowed(&f, r->code)) json_array_append_new(arr, json_string(r->code));
    return arr;
}

static json_t *unmet_json(const zx_gate_unmet *u, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s}", "condition", u[i].condition, "article", u[i].article,
                                             "message", u[i].message));
    return arr;
}

json_t *zx_case_allowed_closures(db_conn *c, const zx_case *k, const zx_case_events *ev)
{
    json_t *arr = json_array();
    if (strcmp(k->status, "open") != 0) return arr;
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_gate_facts gf;
    zx_case_gate_facts(c, k, ev, zx_today(), &gf);
    if (zx_gate_check(&gf, u, ZX_GATE_MAX) == 0) json_array_append_new(arr, json_string("interim_closure"));
    static const char *modes[] = { "completed", "termination", "withdrawal", "non_enforcement", "rejection" };
    static const char *probe[] = { NULL, "other", "filed_elsewhere_first", NULL, "no_jurisdiction" };
    for (int i = 0; i < 5; i++) {
        zx_closure_facts cf;
        closure_facts(k, ev, probe[i], &cf);
        if (zx_closure_check(modes[i], &cf, u, ZX_GATE_MAX) == 0) json_array_append_new(arr, json_string(modes[i]));
    }
    return arr;
}

int zx_case_close(zx_req *r, db_conn *c, zx_case *k, zx_case_events *ev, json_t *body, json_t *docs,
                  zx_case_err *err)
{
    json_t *fields = json_array();
    const char *mode = json_string_value(json_object_get(body, "mode"));
    if (!mode) zx_case_field_err(fields, "mode", "REQUIRED", "结案方式必填");
    else if (!zx_code_find(zx_closure_modes, mode)) zx_case_field_err(fields, "mode", "INVALID_ENUM", "结案方式无效");
    json_t *rj = json_object_get(body, "reason");
    const char *reason = json_string_value(rj);
    if (rj && !json_is_null(rj) && (!reason || strlen(reason) > 48)) {
        zx_case_field_err(fields, "reason", "INVALID", "事由无效");
        reason = NULL;
    }
    zx_date on = zx_today();
    json_t *od = json_object_get(body, "on_date");
    if (od && !json_is_null(od)) {
        if (!json_is_string(od) || zx_date_parse(json_string_value(od), &on) != 0 || on > zx_today() || on < k->filed_on)
            zx_case_field_err(fields, "on_date", "INVALID_DATE", "结案日期无效（不得晚于今天或早于立案日期）");
    }
    json_t *note = json_object_get(body, "note");
    if (note && !json_is_null(note) && (!json_is_string(note) || json_string_length(note) > 2000))
        zx_case_field_err(fields, "note", "TOO_LONG", "备注过长");
    if (json_array_size(fields)) {
        zx_case_err_set(err, 400, "VALIDATION_FAILED", "输入有误");
        err->extra = json_pack("{s:o}", "fields", fields);
        return 1;
    }
    json_decref(fields);
    if (!strcmp(k->status, "closed")) {
        zx_case_err_set(err, 409, "INVALID_STATE", "案件已结案");
        return 1;
    }
    if (!strcmp(k->status, "suspended")) {
        zx_case_err_set(err, 409, "INVALID_STATE", "中止/暂缓执行期间不得结案，请先结束中止/暂缓");
        return 1;
    }
    zx_gate_unmet u[ZX_GATE_MAX];
    size_t n;
    bool interim = !strcmp(mode, "interim_closure");
    if (interim) {
        zx_gate_facts gf;
        zx_case_gate_facts(c, k, ev, on, &gf);
        n = zx_gate_check(&gf, u, ZX_GATE_MAX);
        if (n) {
            zx_case_err_set(err, 422, "GATE_NOT_MET", "不符合终结本次执行程序的条件（终本规定第1条）");
            err->extra = json_pack("{s:o}", "unmet", unmet_json(u, n < ZX_GATE_MAX ? n : ZX_GATE_MAX));
            return 1;
        }
        k->gate_passed = 1;
    } else {
        zx_closure_facts cf;
        closure_facts(k, ev, reason, &cf);
        n = zx_closure_check(mode, &cf, u, ZX_GATE_MAX);
        if (n) {
            zx_case_err_set(err, 422, "CLOSURE_NOT_ALLOWED", "不符合该结案方式的条件（立案结案意见第14–20条）");
            err->extra = json_pack("{s:o}", "unmet", unmet_json(u, n < ZX_GATE_MAX ? n : ZX_GATE_MAX));
            return 1;
        }
    }
    snprintf(k->status, sizeof k->status, "closed");
    snprintf(k->stage, sizeof k->stage, "closure");
    snprintf(k->closure_mode, sizeof k->closure_mode, "%s", mode);
    snprintf(k->closure_reason, sizeof k->closure_reason, "%s", reason ? reason : "");
    k->closed_on = on;
    json_t *data = json_pack("{s:s,s:s?,s:s?,s:I,s:I}", "mode", mode, "reason", reason, "note", json_string_value(note),
                             "claim_fen", (json_int_t)k->claim_fen, "recovered_fen", (json_int_t)k->recovered_fen);
    if (interim) json_object_set_new(data, "gate_passed", json_true());
    int64_t eid = zx_case_event_add(c, ev, k->id, r->who.user_id, "closed", "closure", on, data, NULL);
    json_decref(data);
    if (eid < 0 || zx_case_sync_clocks(c, k, ev) || zx_case_save(c, k)) goto dberr;
    const char *doc = interim ? "interim_closure_ruling" : "closure_notice";
    int64_t doc_id = 0;
    if (zx_doc_generate(c, k->id, doc, eid, &doc_id) != 0) {
        zx_case_err_set(err, 500, "DOCUMENT_FAILED", "文书生成失败");
        return -1;
    }
    json_array_append_new(docs, json_pack("{s:o,s:s,s:s}", "id", zx_json_id(doc_id), "kind", doc, "title",
                                          zx_doc_title(doc) ? zx_doc_title(doc) : doc));
    char *detail = zx_sprintf(r, "{\"mode\":\"%s\"}", mode);
    if (zx_audit_req(r, c, "case.close", "case", k->id, "ok", detail)) goto dberr;
    return 0;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return -1;
}
