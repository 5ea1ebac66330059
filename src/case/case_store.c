/* case_store.c — enf_case / case_event rows ↔ C structs (see case.h). The store is the bottom of
 * src/case: it calls no service (actions, clocks, closure); rendering that composes them lives in
 * case_view.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "case/case.h"
#include "core/ids.h"
#include "rules/id_number.h"

const char *const zx_case_stages[11] = {
    "filing", "property_inquiry", "property_control", "disposal", "funds", "adjudication",
    "service", "commissioned", "supervision", "resumption", "closure",
};
static const char *const stage_labels[11] = {
    "立案", "财产查询", "财产控制与分析", "司法处置", "案款管理", "执行裁决",
    "执行送达", "受托案件办理", "执行监督", "恢复执行管理", "结案管理",
};

const char *zx_case_stage_label(const char *stage)
{
    for (int i = 0; i < 11; i++)
        if (stage && !strcmp(stage, zx_case_stages[i])) return stage_labels[i];
    return NULL;
}
bool zx_case_stage_valid(const char *stage) { return zx_case_stage_label(stage) != NULL; }

/* ------------------------------------------------------------------ errors */
void zx_case_err_set(zx_case_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void zx_case_reply_err(zx_req *r, zx_case_err *err)
{
    if (!err->code) zx_case_err_set(err, 500, "INTERNAL", "内部错误");
    zx_reply_error_ex(r, err->status, err->code, err->message, err->extra);
    err->extra = NULL;
}

void zx_case_field_err(json_t *fields, const char *field, const char *code, const char *message)
{
    json_array_append_new(fields, json_pack("{s:s,s:s,s:s}", "field", field, "code", code, "message", message));
}

/* ------------------------------------------------------------------ JSON helpers */
json_t *zx_json_id(int64_t id)
{
    if (id <= 0) return json_null();
    char b[24];
    snprintf(b, sizeof b, "%lld", (long long)id);
    return json_string(b);
}

json_t *zx_json_date(zx_date d)
{
    if (d == ZX_DATE_NONE) return json_null();
    char b[11];
    zx_date_format(d, b);
    return json_string(b);
}

bool zx_json_get_id(json_t *v, int64_t *out)
{
    if (json_is_integer(v) && json_integer_value(v) > 0) {
        *out = json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || !*s || strlen(s) > 19) return false;
    int64_t x = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9') return false;
        x = x * 10 + (*p - '0');
    }
    if (x <= 0) return false;
    *out = x;
    return true;
}

static zx_date col_date(db_stmt *s, int i)
{
    zx_date d;
    const char *t = db_col_text(s, i);
    if (!t || zx_date_parse(t, &d) != 0) return ZX_DATE_NONE;
    return d;
}

static void col_str(db_stmt *s, int i, char *dst, size_t cap)
{
    const char *t = db_col_text(s, i);
    snprintf(dst, cap, "%s", t ? t : "");
}

static int bind_date(db_stmt *s, int i, zx_date d)
{
    if (d == ZX_DATE_NONE) return db_bind_null(s, i);
    char b[11];
    zx_date_format(d, b);
    return db_bind_text(s, i, b, -1);
}

static int bind_str(db_stmt *s, int i, const char *v)
{
    if (!v || !*v) return db_bind_null(s, i);
    return db_bind_text(s, i, v, -1);
}

static int bind_id(db_stmt *s, int i, int64_t v)
{
    if (v <= 0) return db_bind_null(s, i);
    return db_bind_int64(s, i, v);
}

/* ------------------------------------------------------------------ enf_case */
#define CASE_COLS                                                                                    \
    "id, case_no, year, court_id, type_code, seq, stage, status, track, handler_id, team_id, applied_on," \
    " filed_on, closed_on, closure_mode, closure_reason, claim_fen, recovered_fen, fee_fen, has_assets,"  \
    " non_litigation, filed_late, imported, deducted_days, extension_days, limit_date, paused_since,"    \
    " gate_passed, parent_case_id, basis_kind, basis_issuer, basis_doc_no, basis_effective_on,"          \
    " basis_act, basis_non_litigation, applicant_name, debtor_name, created_ms, updated_ms, extension_months"

/* Writers of one case serialise on its row. SQLite has one writer already; on PostgreSQL a write
 * transaction (db_begin) that loads a case takes the row's lock until commit, so the events it reads
 * next are the latest and two writers cannot both append the same event seq, nor one insert an event
 * while the other updates the case and then wait on each other (a deadlock). FOR NO KEY UPDATE: the
 * lock an UPDATE of enf_case takes anyway; it does not block inserts of rows that reference the case. */
static bool lock_case_row(db_conn *c) { return db_conn_kind(c) == DB_POSTGRES && db_in_tx(c); }

/* Lock order on PostgreSQL: the audit head before any case row. Every case write audits, and the audit
 * chain's head is held from the audit write to the commit, so a writer that audited one case and then
 * loads another would wait for a case row while holding the head that the case row's writer waits for
 * (40P01, seen in make test between a filing and the inquiry applier). Taking the head first makes the
 * order the same everywhere; case writers serialise on it as they already did at their audit write. */
static int lock_audit_head(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT seq FROM audit_head WHERE id = 1 FOR NO KEY UPDATE");
    if (!s) return -1;
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int zx_case_lock(db_conn *c, int64_t id)
{
    if (!lock_case_row(c)) return 0;
    if (lock_audit_head(c) != 0) return -1;
    db_stmt *s = db_prepare(c, "SELECT id FROM enf_case WHERE id = ? FOR NO KEY UPDATE");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

int zx_case_load(db_conn *c, int64_t id, zx_case *k)
{
    if (lock_case_row(c) && lock_audit_head(c) != 0) return -1;
    db_stmt *s = db_prepare(c, lock_case_row(c) ? "SELECT " CASE_COLS " FROM enf_case WHERE id = ? FOR NO KEY UPDATE"
                                                : "SELECT " CASE_COLS " FROM enf_case WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    int rc = db_step(s);
    if (rc != DB_ROW) {
        db_finalize(s);
        return rc == DB_DONE ? 1 : -1;
    }
    memset(k, 0, sizeof *k);
    int i = 0;
    k->id = db_col_int64(s, i++);
    col_str(s, i++, k->case_no, sizeof k->case_no);
    k->year = (int)db_col_int64(s, i++);
    k->court_id = db_col_int64(s, i++);
    col_str(s, i++, k->type_code, sizeof k->type_code);
    k->seq = db_col_int64(s, i++);
    col_str(s, i++, k->stage, sizeof k->stage);
    col_str(s, i++, k->status, sizeof k->status);
    col_str(s, i++, k->track, sizeof k->track);
    k->handler_id = db_col_int64(s, i++);
    k->team_id = db_col_int64(s, i++);
    k->applied_on = col_date(s, i++);
    k->filed_on = col_date(s, i++);
    k->closed_on = col_date(s, i++);
    col_str(s, i++, k->closure_mode, sizeof k->closure_mode);
    col_str(s, i++, k->closure_reason, sizeof k->closure_reason);
    k->claim_fen = db_col_int64(s, i++);
    k->recovered_fen = db_col_int64(s, i++);
    k->fee_fen = db_col_int64(s, i++);
    k->has_assets = db_col_int64(s, i++) != 0;
    k->non_litigation = db_col_int64(s, i++) != 0;
    k->filed_late = db_col_int64(s, i++) != 0;
    k->imported = db_col_int64(s, i++) != 0;
    k->deducted_days = (int)db_col_int64(s, i++);
    k->extension_days = (int)db_col_int64(s, i++);
    k->limit_date = col_date(s, i++);
    k->paused_since = col_date(s, i++);
    k->gate_passed = db_col_is_null(s, i) ? -1 : (int)db_col_int64(s, i);
    i++;
    k->parent_case_id = db_col_int64(s, i++);
    col_str(s, i++, k->basis_kind, sizeof k->basis_kind);
    col_str(s, i++, k->basis_issuer, sizeof k->basis_issuer);
    col_str(s, i++, k->basis_doc_no, sizeof k->basis_doc_no);
    k->basis_effective_on = col_date(s, i++);
    col_str(s, i++, k->basis_act, sizeof k->basis_act);
    k->basis_non_litigation = db_col_int64(s, i++) != 0;
    col_str(s, i++, k->applicant_name, sizeof k->applicant_name);
    col_str(s, i++, k->debtor_name, sizeof k->debtor_name);
    k->created_ms = db_col_int64(s, i++);
    k->updated_ms = db_col_int64(s, i++);
    k->extension_months = (int)db_col_int64(s, i++);
    db_finalize(s);
    return 0;
}

int zx_case_save(db_conn *c, zx_case *k)
{
    k->updated_ms = zx_now_ms();
    db_stmt *s = db_prepare(c,
        "UPDATE enf_case SET stage = ?, status = ?, track = ?, handler_id = ?, team_id = ?, closed_on = ?,"
        " closure_mode = ?, closure_reason = ?, claim_fen = ?, recovered_fen = ?, fee_fen = ?, has_assets = ?,"
        " deducted_days = ?, extension_days = ?, limit_date = ?, paused_since = ?, gate_passed = ?,"
        " updated_ms = ?, extension_months = ? WHERE id = ?");
    if (!s) return -1;
    int i = 1;
    db_bind_text(s, i++, k->stage, -1);
    db_bind_text(s, i++, k->status, -1);
    db_bind_text(s, i++, k->track, -1);
    bind_id(s, i++, k->handler_id);
    bind_id(s, i++, k->team_id);
    bind_date(s, i++, k->closed_on);
    bind_str(s, i++, k->closure_mode);
    bind_str(s, i++, k->closure_reason);
    db_bind_int64(s, i++, k->claim_fen);
    db_bind_int64(s, i++, k->recovered_fen);
    db_bind_int64(s, i++, k->fee_fen);
    db_bind_int64(s, i++, k->has_assets);
    db_bind_int64(s, i++, k->deducted_days);
    db_bind_int64(s, i++, k->extension_days);
    bind_date(s, i++, k->limit_date);
    bind_date(s, i++, k->paused_since);
    if (k->gate_passed < 0) db_bind_null(s, i++);
    else db_bind_int64(s, i++, k->gate_passed);
    db_bind_int64(s, i++, k->updated_ms);
    db_bind_int64(s, i++, k->extension_months);
    db_bind_int64(s, i++, k->id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* ------------------------------------------------------------------ events */
static const struct { const char *kind, *label; } event_labels[] = {
    { "filed", "立案" }, { "assigned", "分案" }, { "enforcement_notice", "发出执行通知书" },
    { "property_report_order", "发出报告财产令" }, { "property_report", "被执行人报告财产" },
    { "restriction_order", "发出限制消费令" }, { "dishonest_listing_recorded", "失信名单处理" },
    { "property_clue", "申请人提供财产线索" }, { "clue_verified", "财产线索核查" },
    { "network_inquiry", "网络执行查控" }, { "onsite_investigation", "现场调查" },
    { "asset_found", "发现财产" }, { "control_measure", "控制措施（查封/扣押/冻结）" },
    { "valuation_start", "开始鉴定评估" }, { "valuation_end", "鉴定评估结束" },
    { "auction_start", "开始拍卖/变卖" }, { "auction_end", "拍卖/变卖结束" },
    { "disposal", "财产处置（参考价/拍卖/变卖/以物抵债）" }, /* src/auction: data.step + data.label */
    { "notice_by_publication_start", "开始公告" }, { "notice_by_publication_end", "公告期满" },
    { "suspension_start", "中止/暂缓执行" }, { "suspension_end", "恢复（中止/暂缓结束）" },
    { "jurisdiction_dispute_start", "管辖/协调争议开始" }, { "jurisdiction_dispute_end", "管辖/协调争议结束" },
    { "interview", "约谈申请执行人" }, { "coercive_measure", "强制措施（罚款/拘留）" },
    { "exit_restriction", "限制出境" }, { "exit_restriction_lifted", "解除限制出境" },
    { "missing_debtor_search", "查找下落不明被执行人" }, { "obstruction_punished", "妨碍执行行为已惩戒" },
    { "extension_request", "申请延长执行期限" }, { "extension_approval", "延长执行期限审批" },
    { "payment_received", "执行款直接交付申请执行人" }, { "chief_approval", "院长审批" },
    { "applicant_confirmation", "申请执行人签字确认" }, { "applicant_withdrawal", "申请执行人撤回申请" },
    { "stage_change", "节点变更" }, { "note", "备注" }, { "closed", "结案" }, { "resumed", "恢复执行" },
    { "restitution_filed", "执行回转重新立案（执行工作规定第六十五条第二款）" }, /* src/case/case_filing.c */
    /* written by the credit module (src/credit/decisions.c) */
    { "credit_proposed", "拟纳入失信名单" }, { "credit_approved", "院长签发失信决定" },
    { "credit_rejected", "失信决定未获批准" }, { "credit_withdrawn", "撤回失信决定" },
    { "credit_served", "失信决定书已送达" }, { "credit_effective", "失信信息公布" },
    { "credit_extended", "延长失信期限" }, { "credit_deletion_due", "失信删除事由发生" },
    { "credit_deleted", "删除失信信息" }, { "credit_revoked", "撤销失信决定" },
    { "credit_corrected", "更正失信信息" }, { "credit_correction_received", "收到纠正申请" },
    { "credit_correction_step", "纠正申请审查" }, { "credit_permit", "临时解除限制" },
    { "credit_permit_revoked", "收回临时解除" }, { "credit_repair", "信用修复" },
    { "restriction_proposed", "拟发限制消费令" }, { "restriction_effective", "限制消费令生效" },
    { "restriction_lifted", "解除限制消费" },
    { "credit_moved_out", "失信、限消信息随案移送新案（不因移送而删除）" }, /* src/credit/transfer.c */
    { "credit_moved_in", "原案失信、限消信息移入本案" },
    /* written by the funds module (src/funds) */
    { "funds_arrival", "案款到账" }, { "funds_claimed", "待认领款认领入案" }, { "funds_payout_proposed", "拟发放执行款" },
    { "funds_payout_approved", "执行款发放审批" }, { "funds_paid", "执行款已发放" }, { "funds_payout_failed", "执行款发放退回" },
    { "funds_payout_warning", "执行款临近发放期限" }, { "funds_payout_overdue", "执行款超期未发放（报执行局长）" },
    { "funds_payout_cleared", "执行款发放期限提醒解除" }, { "funds_payout_sent", "付款指令已发送银行" },
    { "funds_deferred", "暂缓发放" }, { "funds_deferral_ended", "暂缓发放事由消除" }, { "funds_escrow", "提存" },
    { "funds_fee_settled", "执行费结算" }, { "funds_fee_assessed", "重新核定申请执行费" }, { "funds_distribution", "参与分配方案" },
    { "funds_distribution_served", "分配方案送达" }, { "funds_distribution_step", "分配方案异议程序" },
    { "funds_correction_proposed", "申请案款更正" }, { "funds_corrected", "案款更正" },
    { "funds_correction_returned", "案款更正未执行" },
    /* written by the command center (src/command) */
    { "supervision_opened", "上级法院督办" }, { "supervision_escalated", "督办措施" },
    { "supervision_reported", "报告督办办理情况" }, { "supervision_closed", "督办办结" },
    { "supervision_elevated", "提级执行" }, { "court_moved", "案件移送其他法院执行" },
    { "transferred_out", "移送执行（本案终结执行）" }, { "commission_sent", "发出事项委托" },
    { "commission_accepted", "受托法院接收委托" }, { "commission_returned", "受托法院退回委托" },
    { "commission_done", "受托法院反馈结果" }, { "coordination_escalated", "协调报请上一级法院" },
    { "petition_received", "收到执行信访" }, { "petition_closed", "执行信访办结" }, { "urgent_matter", "紧急事项" },
    /* written by the party portal (src/portal, src/api/portal_*.c) */
    { "party_message", "当事人留言" }, { "party_message_replied", "答复当事人留言" },
    { "party_application", "当事人网上申请" }, { "party_application_decided", "当事人申请处理" },
    { "reward_applied", "申请悬赏" }, { "reward_decided", "悬赏申请决定" }, { "reward_published", "发布悬赏公告" },
    { "reward_tip", "悬赏线索登记" }, { "reward_tip_assessed", "认定悬赏线索" }, { "reward_paid", "发放悬赏金" }, { "reward_closed", "悬赏结束" },
    { "lawyer_confirmed", "确认律师代理" }, { "lawyer_revoked", "撤销律师代理" },
    { "investigation_order_applied", "申请律师调查令" }, { "investigation_order_decided", "律师调查令审查" },
};

const char *zx_case_event_label(const char *kind)
{
    for (size_t i = 0; i < sizeof event_labels / sizeof event_labels[0]; i++)
        if (!strcmp(event_labels[i].kind, kind)) return event_labels[i].label;
    return kind;
}

void zx_case_events_free(zx_case_events *ev)
{
    for (int i = 0; i < ev->n; i++) json_decref(ev->v[i].data);
    free(ev->v);
    memset(ev, 0, sizeof *ev);
}

static zx_case_event *ev_push(zx_case_events *ev)
{
    if (ev->n == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 32;
        ev->v = realloc(ev->v, (size_t)ev->cap * sizeof *ev->v);
        if (!ev->v) abort();
    }
    zx_case_event *e = &ev->v[ev->n++];
    memset(e, 0, sizeof *e);
    return e;
}

int zx_case_events_load(db_conn *c, int64_t case_id, zx_case_events *ev)
{
    memset(ev, 0, sizeof *ev);
    db_stmt *s = db_prepare(c, "SELECT id, seq, at_ms, on_date, user_id, kind, stage, data FROM case_event"
                               " WHERE case_id = ? ORDER BY seq");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int rc;
    while ((rc = db_step(s)) == DB_ROW) {
        zx_case_event *e = ev_push(ev);
        e->id = db_col_int64(s, 0);
        e->seq = (int)db_col_int64(s, 1);
        e->at_ms = db_col_int64(s, 2);
        e->on_date = col_date(s, 3);
        e->user_id = db_col_int64(s, 4);
        col_str(s, 5, e->kind, sizeof e->kind);
        col_str(s, 6, e->stage, sizeof e->stage);
        const char *d = db_col_text(s, 7);
        e->data = d ? json_loads(d, 0, NULL) : NULL;
        if (!json_is_object(e->data)) {
            json_decref(e->data);
            e->data = json_object();
        }
    }
    db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

/* Case-event subscribers (case.h): filled by constructors before main, read-only afterwards. */
static zx_case_event_fn subscribers[8];
static int n_subscribers;

void zx_case_event_subscribe(zx_case_event_fn fn)
{
    if (n_subscribers < (int)(sizeof subscribers / sizeof subscribers[0])) subscribers[n_subscribers++] = fn;
    else abort();
}

int64_t zx_case_event_add(db_conn *c, zx_case_events *ev, int64_t case_id, int64_t user_id, const char *kind,
                          const char *stage, zx_date on, json_t *data, int *seq_out)
{
    int seq = 1;
    if (ev && ev->n > 0) seq = ev->v[ev->n - 1].seq + 1;
    else if (!ev) {
        if (zx_case_lock(c, case_id) != 0) return -1;
        db_stmt *q = db_prepare(c, "SELECT COALESCE(MAX(seq), 0) FROM case_event WHERE case_id = ?");
        if (!q) return -1;
        db_bind_int64(q, 1, case_id);
        if (db_step(q) == DB_ROW) seq = (int)db_col_int64(q, 0) + 1;
        db_finalize(q);
    }
    int64_t id = zx_id_new(), now = zx_now_ms();
    char *txt = data ? json_dumps(data, JSON_COMPACT) : NULL;
    db_stmt *s = db_prepare(c, "INSERT INTO case_event (id, case_id, seq, at_ms, on_date, user_id, kind, stage, data)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) {
        free(txt);
        return -1;
    }
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, seq);
    db_bind_int64(s, 4, now);
    bind_date(s, 5, on);
    db_bind_int64(s, 6, user_id);
    db_bind_text(s, 7, kind, -1);
    bind_str(s, 8, stage);
    if (txt) db_bind_text(s, 9, txt, -1);
    else db_bind_null(s, 9);
    int rc = db_step(s);
    db_finalize(s);
    free(txt);
    if (rc != DB_DONE) return -1;
    for (int i = 0; i < n_subscribers; i++)
        if (subscribers[i](c, case_id, seq, kind) < 0) return -1;
    if (ev) {
        zx_case_event *e = ev_push(ev);
        e->id = id;
        e->seq = seq;
        e->at_ms = now;
        e->on_date = on;
        e->user_id = user_id;
        snprintf(e->kind, sizeof e->kind, "%s", kind);
        snprintf(e->stage, sizeof e->stage, "%s", stage ? stage : "");
        e->data = data ? json_deep_copy(data) : json_object();
    }
    if (seq_out) *seq_out = seq;
    return id;
}
