/* case_actions.c — the nodes of a case (POST /api/v1/cases/:id/actions/:kind): each validates its input
 * (400 with per-field errors) and the case's state (409 INVALID_STATE), then appends one event and
 * updates the case in the caller's transaction (see case.h, docs/api/cases.md). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "rules/clocks.h"
#include "rules/coercive.h"
#include "rules/dishonest.h"

static _Atomic(zx_case_restriction_fn) g_restriction_fn;
void zx_case_set_restriction_fn(zx_case_restriction_fn fn) { atomic_store(&g_restriction_fn, fn); }
zx_case_restriction_fn zx_case_restriction_get(void) { return atomic_load(&g_restriction_fn); }

/* ------------------------------------------------------------------ catalogue */
typedef struct fdesc {
    const char *name, *type, *label;
    bool required;
    const char *options; /* space-separated enum values */
} fdesc;

typedef struct adesc {
    const char *kind, *label;
    fdesc f[6];
} adesc;

static const adesc actions[] = {
    { "enforcement_notice", "发出执行通知书（及报告财产令）", { { "with_report_order", "bool", "同时发出报告财产令", false, NULL }, { "report_days", "int", "报告期限（日）", false, NULL } } },
    { "property_report_order", "发出报告财产令", { { "report_days", "int", "报告期限（日）", false, NULL } } },
    { "property_report", "被执行人财产报告", { { "result", "enum", "结果", true, "received verified not_reported false_report" } } },
    { "restriction_order", "发出限制消费令（院长签发）", { { 0 } } },
    { "dishonest_listing_recorded", "记录不适用失信名单的理由", { { "listed", "bool", "已纳入失信名单（须经信用惩戒模块决定）", false, NULL }, { "reason", "text", "不适用理由", true, NULL } } },
    { "property_clue", "申请人提供财产线索", { { "clue", "text", "线索内容", true, NULL }, { "urgent", "bool", "紧急", false, NULL } } },
    { "clue_verified", "财产线索核查完毕", { { "clue_seq", "int", "线索事件序号", true, NULL }, { "result", "enum", "结果", true, "found none" } } },
    { "network_inquiry", "网络执行查控", { { "result", "enum", "结果", true, "found none" }, { "items", "text", "查询结果摘要", false, NULL } } },
    { "onsite_investigation", "现场调查", { { "result", "enum", "结果", true, "found none" }, { "place", "text", "地点", false, NULL } } },
    { "asset_found", "发现财产", { { "description", "text", "财产描述", true, NULL }, { "value_fen", "money", "价值（分）", false, NULL } } },
    { "control_measure", "控制措施", { { "measure", "enum", "措施", true, "freeze seize distrain" }, { "target", "text", "财产", true, NULL }, { "amount_fen", "money", "金额（分）", false, NULL } } },
    { "valuation_start", "开始鉴定评估（扣除期限）", { { 0 } } },
    { "valuation_end", "鉴定评估结束", { { 0 } } },
    { "auction_start", "开始拍卖/变卖（扣除期限）", { { 0 } } },
    { "auction_end", "拍卖/变卖结束", { { "result", "enum", "结果", true, "sold unsold" } } },
    { "notice_by_publication_start", "开始公告（扣除期限）", { { 0 } } },
    { "notice_by_publication_end", "公告期满", { { 0 } } },
    { "suspension_start", "中止/暂缓执行", { { "type", "enum", "类型", true, "suspension deferral" }, { "reason", "text", "事由", true, NULL } } },
    { "suspension_end", "中止/暂缓结束，恢复办理", { { 0 } } },
    { "jurisdiction_dispute_start", "管辖/协调争议开始（扣除期限）", { { "type", "enum", "类型", true, "jurisdiction coordination" } } },
    { "jurisdiction_dispute_end", "管辖/协调争议结束", { { "upheld", "bool", "管辖异议成立", false, NULL } } },
    { "interview", "约谈申请执行人", { { "applicant_view", "text", "申请执行人意见", true, NULL } } },
    { "coercive_measure", "强制措施（罚款/拘留）", { { "measure", "enum", "措施", true, "fine detention" }, { "target_kind", "enum", "对象类型", true, "person unit" }, { "target_name", "text", "对象", true, NULL }, { "amount_fen", "money", "罚款金额（分）", false, NULL }, { "days", "int", "拘留天数", false, NULL }, { "approver_id", "user", "批准院长", false, NULL } } },
    { "exit_restriction", "限制出境", { { "basis", "enum", "依据", true, "applicant_request ex_officio" }, { "target_kind", "enum", "被执行人类型", true, "person unit" }, { "target_name", "text", "被执行人", true, NULL }, { "restricted_person", "text", "被限制出境的负责人（单位）", false, NULL }, { "reason", "text", "事由", false, NULL } } },
    { "exit_restriction_lifted", "解除限制出境", { { "target_name", "text", "被执行人", true, NULL }, { "reason", "enum", "解除事由", true, "performed security other" }, { "explanation", "text", "说明", false, NULL } } },
    { "missing_debtor_search", "查找下落不明被执行人", { { "found", "bool", "已找到", true, NULL } } },
    { "obstruction_punished", "妨碍执行行为已惩戒", { { "measure", "text", "惩戒措施", true, NULL }, { "referred_for_crime", "bool", "移送拒执罪", false, NULL } } },
    { "extension_request", "申请延长执行期限", { { "months", "int", "延长月数（按月计算的期限）", false, NULL }, { "days", "int", "延长天数（执复案件）", false, NULL }, { "reason", "text", "理由", true, NULL } } },
    { "extension_approval", "延长执行期限审批（院长）", { { "approve", "bool", "批准", true, NULL }, { "months", "int", "批准月数", false, NULL }, { "days", "int", "批准天数（执复案件）", false, NULL } } },
    { "payment_received", "执行款直接交付申请执行人（不经执行款专户）", { { "amount_fen", "money", "金额（分）", true, NULL } } },
    { "chief_approval", "院长审批终本", { { "for", "enum", "事项", true, "interim_closure" } } },
    { "applicant_confirmation", "申请执行人签字确认", { { "for", "enum", "事项", true, "interim_closure completed" }, { "signed_on", "date", "签字日期", false, NULL } } },
    { "applicant_withdrawal", "申请执行人撤回申请", { { "reason", "text", "理由", true, NULL } } },
    { "stage_change", "节点变更", { { "stage", "enum", "节点", true, "filing property_inquiry property_control disposal funds adjudication service commissioned supervision" } } },
    { "note", "备注", { { "text", "text", "内容", true, NULL } } },
};
#define NACT (sizeof actions / sizeof actions[0])

static const adesc *find_action(const char *kind)
{
    for (size_t i = 0; kind && i < NACT; i++)
        if (!strcmp(actions[i].kind, kind)) return &actions[i];
    return NULL;
}

bool zx_case_action_known(const char *kind) { return find_action(kind) != NULL; }

json_t *zx_case_actions_meta(void)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < NACT; i++) {
        json_t *fs = json_array();
        for (int j = 0; j < 6 && actions[i].f[j].name; j++) {
            const fdesc *f = &actions[i].f[j];
            json_t *o = json_pack("{s:s,s:s,s:s,s:b}", "name", f->name, "type", f->type, "label", f->label,
                                  "required", f->required);
            if (f->options) {
                json_t *opts = json_array();
                char buf[256];
                snprintf(buf, sizeof buf, "%s", f->options);
                for (char *sv, *t = strtok_r(buf, " ", &sv); t; t = strtok_r(NULL, " ", &sv))
                    json_array_append_new(opts, json_string(t));
                json_object_set_new(o, "options", opts);
            }
            json_array_append_new(fs, o);
        }
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "kind", actions[i].kind, "label", actions[i].label,
                                             "fields", fs));
    }
    return arr;
}

/* ------------------------------------------------------------------ state */
/* Is a start/end period running? */
static bool running(const zx_case_events *ev, const char *start, const char *end)
{
    bool on = false;
    for (int i = 0; i < ev->n; i++) {
        if (!strcmp(ev->v[i].kind, start)) on = true;
        else if (!strcmp(ev->v[i].kind, end)) on = false;
    }
    return on;
}

static bool pending_extension(const zx_case_events *ev)
{
    return running(ev, "extension_request", "extension_approval");
}

static bool clue_open(const zx_case_events *ev, int seq)
{
    bool found = false;
    for (int i = 0; i < ev->n; i++) {
        if (!strcmp(ev->v[i].kind, "property_clue") && (seq == 0 || ev->v[i].seq == seq)) found = true;
        if (!strcmp(ev->v[i].kind, "clue_verified") && seq &&
            json_integer_value(json_object_get(ev->v[i].data, "clue_seq")) == seq)
            return false;
    }
    if (seq == 0) { /* any open clue? */
        for (int i = 0; i < ev->n; i++)
            if (!strcmp(ev->v[i].kind, "property_clue") && clue_open(ev, ev->v[i].seq)) return true;
        return false;
    }
    return found;
}

static bool report_order_issued(const zx_case_events *ev)
{
    for (int i = 0; i < ev->n; i++) {
        if (!strcmp(ev->v[i].kind, "property_report_order")) return true;
        if (!strcmp(ev->v[i].kind, "enforcement_notice") &&
            !json_is_false(json_object_get(ev->v[i].data, "with_report_order")))
            return true;
    }
    return false;
}

static const char *const pauses[][2] = {
    { "valuation_start", "valuation_end" },
    { "auction_start", "auction_end" },
    { "notice_by_publication_start", "notice_by_publication_end" },
    { "suspension_start", "suspension_end" },
    { "jurisdiction_dispute_start", "jurisdiction_dispute_end" },
};

/* Measures that a running 中止/暂缓 stops. */
static const char *const stopped_by_suspension[] = {
    "enforcement_notice", "property_report_order", "restriction_order", "network_inquiry", "onsite_investigation",
    "control_measure", "valuation_start", "auction_start", "coercive_measure", "exit_restriction", NULL,
};

/* Is a 限制出境 in force against target (its last restriction not followed by a lifting)? With target
 * NULL: against anyone. */
static bool exit_restricted(const zx_case_events *ev, const char *target)
{
    if (!target) {
        for (int i = 0; i < ev->n; i++)
            if (!strcmp(ev->v[i].kind, "exit_restriction")) {
                const char *t = json_string_value(json_object_get(ev->v[i].data, "target_name"));
                if (t && exit_restricted(ev, t)) return true;
            }
        return false;
    }
    for (int i = ev->n; i-- > 0;) {
        const zx_case_event *e = &ev->v[i];
        bool r = !strcmp(e->kind, "exit_restriction");
        if (!r && strcmp(e->kind, "exit_restriction_lifted")) continue;
        const char *t = json_string_value(json_object_get(e->data, "target_name"));
        if (t && !strcmp(t, target)) return r;
    }
    return false;
}

const char *zx_case_action_state(const zx_case *k, const zx_case_events *ev, const char *kind)
{
    if (!strcmp(k->status, "closed")) {
        if (!strcmp(kind, "note")) return NULL;
        if (!strcmp(kind, "network_inquiry") && !strcmp(k->closure_mode, "interim_closure")) return NULL; /* 终本规定 art 9 */
        return "案件已结案";
    }
    for (size_t i = 0; i < sizeof pauses / sizeof pauses[0]; i++) {
        if (!strcmp(kind, pauses[i][0]) && running(ev, pauses[i][0], pauses[i][1])) return "该期间已在进行中";
        if (!strcmp(kind, pauses[i][1]) && !running(ev, pauses[i][0], pauses[i][1])) return "没有进行中的对应期间";
    }
    if (!strcmp(k->status, "suspended"))
        for (int i = 0; stopped_by_suspension[i]; i++)
            if (!strcmp(kind, stopped_by_suspension[i])) return "案件中止/暂缓执行期间不得采取此执行措施";
    if (!strcmp(kind, "extension_request") && zx_limit_rule_for(k->type_code)->ext_max <= 0)
        return "该类案件的审查期限不得延长（民诉法第236条）";
    if (!strcmp(kind, "extension_request") && pending_extension(ev)) return "已有待审批的延期申请";
    if (!strcmp(kind, "extension_approval") && !pending_extension(ev)) return "没有待审批的延期申请";
    if (!strcmp(kind, "clue_verified") && !clue_open(ev, 0)) return "没有待核查的财产线索";
    if (!strcmp(kind, "property_report") && !report_order_issued(ev)) return "尚未发出报告财产令";
    if (!strcmp(kind, "payment_received") && k->claim_fen - k->recovered_fen <= 0) return "执行标的已全部到位";
    if (!strcmp(kind, "auction_start") && !k->has_assets) return "尚未发现或控制可供处置的财产";
    /* 限制出境 is a measure against a 被执行人 who does not perform an effective document (民诉法 art 266);
     * a 财产保全 case has no such obligation yet. */
    if (!strcmp(kind, "exit_restriction") && !strcmp(k->type_code, "执保")) return "财产保全案件不得限制出境（民诉法第266条）";
    if (!strcmp(kind, "exit_restriction_lifted") && !exit_restricted(ev, NULL)) return "没有生效的限制出境措施";
    return NULL;
}

json_t *zx_case_allowed_actions(const zx_case *k, const zx_case_events *ev)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < NACT; i++)
        if (!zx_case_action_state(k, ev, actions[i].kind)) json_array_append_new(arr, json_string(actions[i].kind));
    return arr;
}

/* Is name a debtor of the case (of that kind: person / unit)? */
static bool is_debtor(db_conn *c, int64_t case_id, const char *name, const char *kind)
{
    db_stmt *s = db_prepare(c, "SELECT kind FROM case_party WHERE case_id = ? AND role = 'debtor' AND name = ?");
    if (!s) return false;
    db_bind_int64(s, 1, case_id);
    db_bind_text(s, 2, name, -1);
    bool ok = false;
    while (!ok && db_step(s) == DB_ROW) {
        const char *pk = db_col_text(s, 0);
        ok = !kind || (pk && !strcmp(pk, kind));
    }
    db_finalize(s);
    return ok;
}

/* ------------------------------------------------------------------ input helpers */
typedef struct in {
    json_t *body, *fields, *data;
} in;

static const char *in_text(in *x, const char *k, bool req, size_t max)
{
    json_t *v = json_object_get(x->body, k);
    if (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v))) {
        if (req) zx_case_field_err(x->fields, k, "REQUIRED", "必填");
        return NULL;
    }
    if (!json_is_string(v)) {
        zx_case_field_err(x->fields, k, "INVALID", "应为字符串");
        return NULL;
    }
    if (json_string_length(v) > max) {
        zx_case_field_err(x->fields, k, "TOO_LONG", "内容过长");
        return NULL;
    }
    json_object_set(x->data, k, v);
    return json_string_value(v);
}

static const char *in_enum(in *x, const char *k, bool req, const char *const *opts)
{
    const char *v = in_text(x, k, req, 40);
    if (!v) return NULL;
    for (int i = 0; opts[i]; i++)
        if (!strcmp(opts[i], v)) return v;
    zx_case_field_err(x->fields, k, "INVALID_ENUM", "取值无效");
    json_object_del(x->data, k);
    return NULL;
}

static int in_bool(in *x, const char *k, bool req, int dflt)
{
    json_t *v = json_object_get(x->body, k);
    if (!v || json_is_null(v)) {
        if (req) zx_case_field_err(x->fields, k, "REQUIRED", "必填");
        return dflt;
    }
    if (!json_is_boolean(v)) {
        zx_case_field_err(x->fields, k, "INVALID", "应为 true 或 false");
        return dflt;
    }
    json_object_set(x->data, k, v);
    return json_is_true(v);
}

/* Integer ≥ min; -1 when absent (not required). code is the field error code. */
static int64_t in_int(in *x, const char *k, bool req, int64_t min, int64_t max, const char *code)
{
    json_t *v = json_object_get(x->body, k);
    if (!v || json_is_null(v)) {
        if (req) zx_case_field_err(x->fields, k, "REQUIRED", "必填");
        return -1;
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        zx_case_field_err(x->fields, k, code, !strcmp(code, "INVALID_AMOUNT") ? "金额应为正整数（分）" : "数值无效");
        return -1;
    }
    json_object_set(x->data, k, v);
    return json_integer_value(v);
}

static int gen_doc(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, json_t *docs)
{
    int64_t doc_id = 0;
    if (zx_doc_generate(c, case_id, kind, event_id, &doc_id) != 0) return -1;
    if (docs)
        json_array_append_new(docs, json_pack("{s:o,s:s,s:s}", "id", zx_json_id(doc_id), "kind", kind, "title",
                                              zx_doc_title(kind) ? zx_doc_title(kind) : kind));
    return 0;
}

/* Is user a 院长 (chief) of court? */
static bool is_chief_of(db_conn *c, int64_t user_id, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT court_id, roles, disabled FROM app_user WHERE id = ?");
    if (!s) return false;
    db_bind_int64(s, 1, user_id);
    bool ok = db_step(s) == DB_ROW && db_col_int64(s, 0) == court_id && (db_col_int64(s, 1) & ROLE_CHIEF) &&
              !db_col_int64(s, 2);
    db_finalize(s);
    return ok;
}

static void set_stage(zx_case *k, const char *stage)
{
    if (strcmp(k->stage, "closure") != 0) snprintf(k->stage, sizeof k->stage, "%s", stage);
}

/* ------------------------------------------------------------------ the action */
int zx_case_action(zx_req *r, db_conn *c, zx_case *k, zx_case_events *ev, const char *kind, json_t *body,
                   int64_t *event_id, json_t *docs, zx_case_err *err)
{
    if (!find_action(kind)) {
        zx_case_err_set(err, 400, "BAD_REQUEST", "未知的操作类型：%s", kind);
        return 1;
    }
    const char *why = zx_case_action_state(k, ev, kind);
    if (why) {
        zx_case_err_set(err, 409, "INVALID_STATE", "%s", why);
        err->extra = json_pack("{s:s,s:s}", "status", k->status, "stage", k->stage);
        return 1;
    }
    in x = { body, json_array(), json_object() };
    static const char *const found_none[] = { "found", "none", NULL };
    /* Legal date of the act: default today; not in the future; not before filing. */
    zx_date on = zx_today();
    json_t *od = json_object_get(body, "on_date");
    if (od && !json_is_null(od)) {
        if (!json_is_string(od) || zx_date_parse(json_string_value(od), &on) != 0)
            zx_case_field_err(x.fields, "on_date", "INVALID_DATE", "日期无效（YYYY-MM-DD）");
        else if (on > zx_today())
            zx_case_field_err(x.fields, "on_date", "INVALID_DATE", "日期不能晚于今天");
        else if (on < k->filed_on)
            zx_case_field_err(x.fields, "on_date", "INVALID_DATE", "日期不能早于立案日期");
        else if (k->closed_on != ZX_DATE_NONE && on < k->closed_on)
            zx_case_field_err(x.fields, "on_date", "INVALID_DATE", "日期不能早于结案日期");
    }
    in_text(&x, "note", false, 2000);
    bool report_order = false;
    const char *docs_to_make[2] = { NULL, NULL };
    int64_t pay = 0, ext_days = 0;
    bool approve = false, chief_needed = false;

    if (!strcmp(kind, "enforcement_notice")) {
        report_order = in_bool(&x, "with_report_order", false, 1);
        json_object_set_new(x.data, "with_report_order", json_boolean(report_order));
        /* 财产调查规定 art 4(1): the order states the period for the report */
        if (report_order && in_int(&x, "report_days", false, 1, 60, "INVALID") < 0)
            json_object_set_new(x.data, "report_days", json_integer(ZX_REPORT_DAYS_DEFAULT));
        docs_to_make[0] = "enforcement_notice";
        if (report_order) docs_to_make[1] = "property_report_order";
    } else if (!strcmp(kind, "property_report_order")) {
        if (in_int(&x, "report_days", false, 1, 60, "INVALID") < 0)
            json_object_set_new(x.data, "report_days", json_integer(ZX_REPORT_DAYS_DEFAULT));
        docs_to_make[0] = "property_report_order";
    } else if (!strcmp(kind, "property_report")) {
        static const char *const o[] = { "received", "verified", "not_reported", "false_report", NULL };
        in_enum(&x, "result", true, o);
    } else if (!strcmp(kind, "restriction_order")) {
        /* 限消规定 art 5: signed by the 院长; carried out by the credit module (one path), whose signature
         * makes the 限制消费令 of each debtor */
        chief_needed = true;
    } else if (!strcmp(kind, "dishonest_listing_recorded")) {
        /* A listing itself is decided in the credit module (失信规定 art 5–6); here only the reason why a
         * debtor does not qualify is recorded (终本规定 art 1(2): "qualifying" debtors). */
        int listed = in_bool(&x, "listed", false, 0);
        in_text(&x, "reason", true, 500);
        if (listed == 1)
            zx_case_field_err(x.fields, "listed", "USE_CREDIT_MODULE", "纳入失信名单须在信用惩戒模块提出并经院长签发（失信规定第5条），此处只记录不适用的理由");
        json_object_set_new(x.data, "listed", json_false());
    } else if (!strcmp(kind, "property_clue")) {
        in_text(&x, "clue", true, 2000);
        in_bool(&x, "urgent", false, 0);
    } else if (!strcmp(kind, "clue_verified")) {
        int64_t seq = in_int(&x, "clue_seq", true, 1, 1000000, "INVALID");
        in_enum(&x, "result", true, found_none);
        if (seq > 0 && !clue_open(ev, (int)seq))
            zx_case_field_err(x.fields, "clue_seq", "INVALID", "该序号不是待核查的财产线索");
        if (json_object_get(x.data, "result") && !strcmp(json_string_value(json_object_get(x.data, "result")), "found"))
            k->has_assets = true;
    } else if (!strcmp(kind, "network_inquiry") || !strcmp(kind, "onsite_investigation")) {
        const char *res = in_enum(&x, "result", true, found_none);
        in_text(&x, !strcmp(kind, "network_inquiry") ? "items" : "place", false, 2000);
        if (res && !strcmp(res, "found") && strcmp(k->status, "closed") != 0) k->has_assets = true;
        if (strcmp(k->status, "closed") != 0 && !strcmp(k->stage, "filing")) set_stage(k, "property_inquiry");
    } else if (!strcmp(kind, "asset_found")) {
        in_text(&x, "description", true, 2000);
        in_int(&x, "value_fen", false, 0, INT64_MAX / 4, "INVALID_AMOUNT");
        k->has_assets = true;
    } else if (!strcmp(kind, "control_measure")) {
        static const char *const o[] = { "freeze", "seize", "distrain", NULL };
        in_enum(&x, "measure", true, o);
        in_text(&x, "target", true, 500);
        in_int(&x, "amount_fen", false, 1, INT64_MAX / 4, "INVALID_AMOUNT");
        k->has_assets = true;
        set_stage(k, "property_control");
    } else if (!strcmp(kind, "valuation_start") || !strcmp(kind, "auction_start")) {
        set_stage(k, "disposal");
    } else if (!strcmp(kind, "auction_end")) {
        static const char *const o[] = { "sold", "unsold", NULL };
        in_enum(&x, "result", true, o);
    } else if (!strcmp(kind, "suspension_start")) {
        static const char *const o[] = { "suspension", "deferral", NULL };
        in_enum(&x, "type", true, o);
        in_text(&x, "reason", true, 1000);
    } else if (!strcmp(kind, "jurisdiction_dispute_start")) {
        static const char *const o[] = { "jurisdiction", "coordination", NULL };
        in_enum(&x, "type", true, o);
    } else if (!strcmp(kind, "jurisdiction_dispute_end")) {
        in_bool(&x, "upheld", false, 0);
    } else if (!strcmp(kind, "interview")) {
        in_text(&x, "applicant_view", true, 2000);
    } else if (!strcmp(kind, "coercive_measure")) {
        static const char *const m[] = { "fine", "detention", NULL }, *const t[] = { "person", "unit", NULL };
        const char *measure = in_enum(&x, "measure", true, m);
        const char *tk = in_enum(&x, "target_kind", true, t);
        in_text(&x, "target_name", true, 200);
        int64_t amount = in_int(&x, "amount_fen", measure && !strcmp(measure, "fine"), 1, INT64_MAX / 4, "INVALID_AMOUNT");
        int64_t days = in_int(&x, "days", measure && !strcmp(measure, "detention"), 1, 1000, "INVALID");
        int64_t approver = 0;
        json_t *aj = json_object_get(body, "approver_id");
        bool approved = false;
        if (aj && !json_is_null(aj)) {
            if (!zx_json_get_id(aj, &approver)) zx_case_field_err(x.fields, "approver_id", "UNKNOWN_USER", "审批人无效");
            else approved = is_chief_of(c, approver, k->court_id);
        } else if ((r->who.roles & ROLE_CHIEF) && r->who.court_id == k->court_id) {
            approver = r->who.user_id;
            approved = true;
        }
        json_object_set_new(x.data, "approver_id", zx_json_id(approver));
        if (measure) docs_to_make[0] = !strcmp(measure, "fine") ? "fine_decision" : "detention_decision";
        if (measure && tk && (amount > 0 || days > 0)) {
            enum zx_coercive_err ce = zx_coercive_check(measure, tk, amount, (int)days, approved);
            if (ce == ZX_COERCIVE_AMOUNT) zx_case_field_err(x.fields, "amount_fen", "OVER_CAP", zx_coercive_message(ce));
            else if (ce == ZX_COERCIVE_DAYS) zx_case_field_err(x.fields, "days", "OVER_CAP", zx_coercive_message(ce));
            else if (ce == ZX_COERCIVE_BAD_TARGET) zx_case_field_err(x.fields, "target_kind", "INVALID", zx_coercive_message(ce));
            else if (ce == ZX_COERCIVE_APPROVAL) zx_case_field_err(x.fields, "approver_id", "APPROVAL_REQUIRED", zx_coercive_message(ce));
        }
    } else if (!strcmp(kind, "exit_restriction")) {
        /* 执行程序解释 art 23: on the applicant's written application, or of the court's own motion when
         * necessary; art 24: for a unit, its legal representative, principal or the person directly
         * responsible for the non-performance is restricted — named here. */
        static const char *const b[] = { "applicant_request", "ex_officio", NULL }, *const t[] = { "person", "unit", NULL };
        in_enum(&x, "basis", true, b);
        const char *tk = in_enum(&x, "target_kind", true, t);
        const char *name = in_text(&x, "target_name", true, 200);
        in_text(&x, "restricted_person", tk && !strcmp(tk, "unit"), 200);
        in_text(&x, "reason", false, 1000);
        if (name && !is_debtor(c, k->id, name, tk))
            zx_case_field_err(x.fields, "target_name", "NOT_A_DEBTOR", "只能对本案被执行人限制出境（民诉法第266条）");
        else if (name && exit_restricted(ev, name))
            zx_case_field_err(x.fields, "target_name", "ALREADY_RESTRICTED", "该被执行人已被限制出境");
    } else if (!strcmp(kind, "exit_restriction_lifted")) {
        /* 执行程序解释 art 24 para 2: lifted at once when the whole debt is performed; also on adequate
         * security or the court's other grounds. */
        static const char *const o[] = { "performed", "security", "other", NULL };
        const char *name = in_text(&x, "target_name", true, 200);
        const char *why = in_enum(&x, "reason", true, o);
        in_text(&x, "explanation", why && !strcmp(why, "other"), 1000);
        if (name && !exit_restricted(ev, name))
            zx_case_field_err(x.fields, "target_name", "NOT_RESTRICTED", "该被执行人没有生效的限制出境措施");
    } else if (!strcmp(kind, "missing_debtor_search")) {
        in_bool(&x, "found", true, 0);
    } else if (!strcmp(kind, "obstruction_punished")) {
        in_text(&x, "measure", true, 500);
        in_bool(&x, "referred_for_crime", false, 0);
    } else if (!strcmp(kind, "extension_request") || !strcmp(kind, "extension_approval")) {
        /* Extensions in the unit of the case type's rule: months (审限规定 art 5) or days (执复,
         * 执行程序解释 art 9); the total is capped by the rule (zx_limit_extension_check). */
        const zx_limit_rule *lr = zx_limit_rule_for(k->type_code);
        bool months = lr->unit == ZX_UNIT_MONTHS;
        const char *unit_field = months ? "months" : "days", *other = months ? "days" : "months";
        bool req = !strcmp(kind, "extension_request");
        if (!req) {
            chief_needed = true;
            approve = in_bool(&x, "approve", true, 0) == 1;
        }
        if (json_object_get(body, other) && !json_is_null(json_object_get(body, other)))
            zx_case_field_err(x.fields, other, "WRONG_UNIT", months ? "该类案件的期限按月延长，请填写延长月数（审限规定第5条）"
                                                                     : "执复案件的审查期限按日延长，请填写延长天数（执行程序解释第9条）");
        ext_days = in_int(&x, unit_field, req, 1, lr->ext_max > 0 ? lr->ext_max : 1, "INVALID");
        if (req) {
            in_text(&x, "reason", true, 1000);
            if (lr->ext_window_days > 0 && k->paused_since == ZX_DATE_NONE &&
                !zx_clock_extension_window(k->limit_date, on)) /* 期限规定 art 1 */
                zx_case_field_err(x.fields, "on_date", "OUTSIDE_WINDOW", "延长执行期限应在期限届满前5日内申请（期限规定第1条）");
            else if (lr->ext_window_days == 0 && k->paused_since == ZX_DATE_NONE && on > k->limit_date)
                zx_case_field_err(x.fields, "on_date", "OUTSIDE_WINDOW", "期限已届满，不能再申请延长");
        } else if (approve && ext_days < 0) { /* default: what was requested */
            for (int i = ev->n - 1; i >= 0; i--)
                if (!strcmp(ev->v[i].kind, "extension_request")) {
                    ext_days = json_integer_value(json_object_get(ev->v[i].data, unit_field));
                    break;
                }
            json_object_set_new(x.data, unit_field, json_integer(ext_days));
        }
        if (ext_days > 0 && (req || approve)) {
            int granted = months ? k->extension_months : k->extension_days;
            const char *why_not = zx_limit_extension_check(lr, granted, (int)ext_days);
            if (why_not) zx_case_field_err(x.fields, unit_field, "EXTENSION_EXCEEDED", why_not);
        }
        json_object_set_new(x.data, "unit", json_string(unit_field));
        json_object_set_new(x.data, "article", json_string(lr->ext_article));
    } else if (!strcmp(kind, "payment_received")) {
        pay = in_int(&x, "amount_fen", true, 1, INT64_MAX / 4, "INVALID_AMOUNT");
        if (pay > 0 && pay > k->claim_fen - k->recovered_fen) {
            zx_case_field_err(x.fields, "amount_fen", "EXCEEDS_OUTSTANDING", "到位金额超过未执行金额");
            pay = 0;
        }
        set_stage(k, "funds");
    } else if (!strcmp(kind, "chief_approval")) {
        static const char *const o[] = { "interim_closure", NULL };
        in_enum(&x, "for", true, o);
        chief_needed = true;
    } else if (!strcmp(kind, "applicant_confirmation")) {
        static const char *const o[] = { "interim_closure", "completed", NULL };
        in_enum(&x, "for", true, o);
        const char *so = in_text(&x, "signed_on", false, 10);
        zx_date sd;
        if (so && (zx_date_parse(so, &sd) != 0 || sd > zx_today()))
            zx_case_field_err(x.fields, "signed_on", "INVALID_DATE", "签字日期无效");
    } else if (!strcmp(kind, "applicant_withdrawal")) {
        in_text(&x, "reason", true, 1000);
    } else if (!strcmp(kind, "stage_change")) {
        const char *st = in_text(&x, "stage", true, 24);
        if (st && (!zx_case_stage_valid(st) || !strcmp(st, "closure") || !strcmp(st, "resumption")))
            zx_case_field_err(x.fields, "stage", "INVALID_ENUM", "节点无效（结案、恢复执行由相应操作产生）");
        else if (st) set_stage(k, st);
    } else if (!strcmp(kind, "note")) {
        in_text(&x, "text", true, 4000);
    }
    if (json_array_size(x.fields)) {
        zx_case_err_set(err, 400, "VALIDATION_FAILED", "输入有误");
        err->extra = json_pack("{s:o}", "fields", x.fields);
        json_decref(x.data);
        return 1;
    }
    json_decref(x.fields);
    if (chief_needed && !((r->who.roles & ROLE_CHIEF) && r->who.court_id == k->court_id)) {
        zx_case_err_set(err, 403, "FORBIDDEN", "%s", !strcmp(kind, "restriction_order")
                                                         ? "限制消费令须由本院院长签发（限消规定第5条）"
                                                         : "须由本院院长（审批领导）审批（期限规定第1条；民诉解释第517条）");
        json_decref(x.data);
        return 1;
    }
    /* State changes. */
    if (pay > 0) k->recovered_fen += pay;
    if (!strcmp(kind, "extension_approval") && approve && ext_days > 0) {
        if (zx_limit_rule_for(k->type_code)->unit == ZX_UNIT_MONTHS) k->extension_months += (int)ext_days;
        else k->extension_days += (int)ext_days;
    }
    int64_t eid;
    if (!strcmp(kind, "restriction_order")) {
        /* One source of truth (issue 9 item 6): the credit module writes the decisions, their entries and
         * the case's own events (restriction_proposed, restriction_effective); no restriction_order event of
         * the case's beside them. The action answers with the last of those events. */
        json_decref(x.data);
        zx_case_restriction_fn fn = atomic_load(&g_restriction_fn);
        json_t *made = json_array();
        int rrc = fn ? fn(r, c, k->id, on, true, made, err) : -1;
        json_decref(made);
        if (rrc) {
            if (rrc < 0 && !err->code) zx_case_err_set(err, 500, "DB_ERROR", "限制消费令写入失败");
            return rrc < 0 ? -1 : 1;
        }
        zx_case_events_free(ev);
        if (zx_case_events_load(c, k->id, ev) || ev->n == 0) goto dberr;
        eid = ev->v[ev->n - 1].id;
        if (zx_case_sync_clocks(c, k, ev) || zx_case_save(c, k)) goto dberr;
    } else {
        eid = zx_case_event_add(c, ev, k->id, r->who.user_id, kind, k->stage, on, x.data, NULL);
        json_decref(x.data);
        if (eid < 0 || zx_case_sync_clocks(c, k, ev) || zx_case_save(c, k)) goto dberr;
    }
    for (int i = 0; i < 2; i++)
        if (docs_to_make[i] && gen_doc(c, k->id, docs_to_make[i], eid, docs)) {
            zx_case_err_set(err, 500, "DOCUMENT_FAILED", "文书生成失败");
            return -1;
        }
    char *action = zx_sprintf(r, "case.action.%s", kind);
    if (zx_audit_req(r, c, action, "case", k->id, "ok", NULL)) goto dberr;
    *event_id = eid;
    return 0;
dberr:
    zx_case_err_set(err, 500, "DB_ERROR", "保存失败：%s", db_errmsg(c));
    return -1;
}
