/* case_approvals.c — case actions that need the 院长's signature, routed through the approval inbox
 * (see case_approvals.h and src/approval/approval.h). The approving transaction replays the stored
 * action as the chief through zx_case_action(), so the rules of the action are checked once, in one
 * place, at the moment of signing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "case/case_approvals.h"
#include "core/money.h"

/* ------------------------------------------------------------------ callbacks */
/* Lock and load the case, run `action` with `body` as the caller (the approving chief). */
static int replay(zx_req *r, db_conn *c, int64_t case_id, const char *action, json_t *body, zx_approval_err *aerr)
{
    /* the audit head, then the case row (PostgreSQL): the lock order of every case writer (case_store.c) */
    if (zx_case_lock(c, case_id) != 0) return -1;
    int rc;
    zx_case k;
    if ((rc = zx_case_load(c, case_id, &k)) != 0) {
        if (rc == 1) zx_approval_err_set(aerr, 404, "NOT_FOUND", "案件不存在");
        return -1;
    }
    zx_case_events ev;
    if (zx_case_events_load(c, case_id, &ev)) return -1;
    zx_case_err err = { 0 };
    int64_t eid = 0;
    json_t *docs = json_array();
    rc = zx_case_action(r, c, &k, &ev, action, body, &eid, docs, &err);
    zx_case_events_free(&ev);
    json_decref(docs);
    if (rc != 0) {
        /* the case changed since the request (e.g. closed, or the limit passed): say why */
        const char *msg = err.message[0] ? err.message : "审批事项已不能执行";
        json_t *fields = err.extra ? json_object_get(err.extra, "fields") : NULL;
        if (json_array_size(fields)) {
            const char *m = json_string_value(json_object_get(json_array_get(fields, 0), "message"));
            if (m) msg = m;
        }
        zx_approval_err_set(aerr, err.status >= 400 && err.status < 500 ? 409 : 500,
                            err.status >= 400 && err.status < 500 ? "CANNOT_APPLY" : "DB_ERROR", "无法执行：%s", msg);
        json_decref(err.extra);
        return -1;
    }
    return 0;
}

/* The action stored with the item: data = {"action": kind, "body": {...}}. */
static int apply_stored(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    const char *action = json_string_value(json_object_get(a->data, "action"));
    json_t *body = json_object_get(a->data, "body");
    if (!action || !json_is_object(body)) {
        zx_approval_err_set(err, 409, "CANNOT_APPLY", "审批事项缺少待执行的内容");
        return -1;
    }
    return replay(r, c, a->case_id, action, body, err);
}

static int extension_decide(zx_req *r, db_conn *c, const zx_approval *a, bool approve, zx_approval_err *err)
{
    json_t *body = json_pack("{s:b}", "approve", approve);
    if (a->opinion && *a->opinion) json_object_set_new(body, "note", json_string(a->opinion));
    int rc = replay(r, c, a->case_id, "extension_approval", body, err);
    json_decref(body);
    return rc;
}
static int extension_approved(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    return extension_decide(r, c, a, true, err);
}
static int extension_returned(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err)
{
    return extension_decide(r, c, a, false, err);
}

static const struct zx_approval_kind interim_closure_kind = {
    .kind = "interim_closure", .label = "终结本次执行程序（终本）", .approver_roles = ROLE_CHIEF,
    .on_approved = apply_stored,
};
ZX_APPROVAL_KIND(interim_closure_kind)

static const struct zx_approval_kind extension_kind = {
    .kind = "extension", .label = "延长执行期限", .approver_roles = ROLE_CHIEF,
    .on_approved = extension_approved, .on_returned = extension_returned,
};
ZX_APPROVAL_KIND(extension_kind)

/* 限制消费令 from the case page (限消规定 art 5: signed by the 院长): carried out by the credit module */
static const struct zx_approval_kind restriction_order_kind = {
    .kind = "restriction_order", .label = "限制消费令（案件）", .approver_roles = ROLE_CHIEF, .on_approved = apply_stored,
};
ZX_APPROVAL_KIND(restriction_order_kind)

static const struct zx_approval_kind fine_kind = {
    .kind = "fine", .label = "罚款决定", .approver_roles = ROLE_CHIEF, .on_approved = apply_stored,
};
ZX_APPROVAL_KIND(fine_kind)

static const struct zx_approval_kind detention_kind = {
    .kind = "detention", .label = "拘留决定", .approver_roles = ROLE_CHIEF, .on_approved = apply_stored,
};
ZX_APPROVAL_KIND(detention_kind)

/* ------------------------------------------------------------------ routing */
static bool is_chief_of_case(zx_req *r, const zx_case *k)
{
    return (r->who.roles & ROLE_CHIEF) && r->who.court_id == k->court_id;
}

/* Is err exactly "needs the chief" (and nothing else wrong with the input)? */
static bool needs_chief(const char *kind, const zx_case_err *err)
{
    if (!err->code) return false;
    if (!strcmp(kind, "chief_approval") && err->status == 403 && !strcmp(err->code, "FORBIDDEN")) return true;
    if (!strcmp(kind, "restriction_order") && err->status == 403 && !strcmp(err->code, "FORBIDDEN")) return true;
    if (!strcmp(kind, "coercive_measure") && !strcmp(err->code, "VALIDATION_FAILED")) {
        json_t *fields = json_object_get(err->extra, "fields");
        if (json_array_size(fields) != 1) return false;
        const char *code = json_string_value(json_object_get(json_array_get(fields, 0), "code"));
        return code && !strcmp(code, "APPROVAL_REQUIRED");
    }
    return false;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The judge's 限制消费令: the credit module's 限消 decisions, proposed to the 院长's inbox exactly as the
 * credit page proposes them (one path, issue 9 item 6); returns the first inbox item's id. */
static int64_t restriction_proposals(zx_req *r, db_conn *c, const zx_case *k, json_t *body, zx_case_err *err)
{
    json_decref(err->extra);
    memset(err, 0, sizeof *err);
    zx_date on = zx_today();
    const char *on_s = json_string_value(json_object_get(body, "on_date"));
    if (on_s && zx_date_parse(on_s, &on)) on = zx_today(); /* the action already validated it */
    zx_case_restriction_fn fn = zx_case_restriction_get();
    json_t *made = json_array();
    int rc = fn ? fn(r, c, k->id, on, false, made, err) : -1;
    int64_t first = 0;
    if (rc == 0) {
        db_stmt *s = db_prepare(c, "SELECT id FROM approval WHERE kind = 'consumption_restriction' AND object_id = ?"
                                   " AND status = 'pending' ORDER BY id LIMIT 1");
        if (s) {
            db_bind_int64(s, 1, json_integer_value(json_object_get(json_array_get(made, 0), "decision_id")));
            if (db_step(s) == DB_ROW) first = db_col_int64(s, 0);
            db_finalize(s);
        }
    }
    json_decref(made);
    if (rc == 0 && first > 0) return first;
    if (rc == 0 || (rc < 0 && !err->code)) zx_case_err_set(err, 500, "DB_ERROR", "提交审批失败");
    return -1;
}

int64_t zx_case_approval_route(zx_req *r, db_conn *c, const zx_case *k, const char *kind, json_t *body,
                               zx_case_err *err)
{
    if (is_chief_of_case(r, k) || !needs_chief(kind, err)) return 0;
    if (!strcmp(kind, "restriction_order")) return restriction_proposals(r, c, k, body, err);
    const char *akind;
    char summary[480];
    if (!strcmp(kind, "chief_approval")) {
        akind = "interim_closure";
        snprintf(summary, sizeof summary, "申请终结本次执行程序");
    } else if (!strcmp(kind, "restriction_order")) {
        akind = "restriction_order";
        snprintf(summary, sizeof summary, "对本案被执行人发布限制消费令（限消规定第3条全部九项；第5条院长签发）");
    } else {
        const char *measure = jstr(body, "measure");
        bool fine = !strcmp(measure, "fine");
        akind = fine ? "fine" : "detention";
        if (fine) {
            char yuan[ZX_MONEY_BUF];
            json_t *am = json_object_get(body, "amount_fen");
            zx_money_format(json_is_integer(am) ? json_integer_value(am) : 0, yuan);
            snprintf(summary, sizeof summary, "对%s罚款 %s 元", jstr(body, "target_name"), yuan);
        } else {
            json_t *d = json_object_get(body, "days");
            snprintf(summary, sizeof summary, "对%s拘留 %lld 日", jstr(body, "target_name"),
                     (long long)(json_is_integer(d) ? json_integer_value(d) : 0));
        }
    }
    int64_t id = zx_approval_submit(c, r, akind, k->id, 0, summary, ZX_DATE_NONE);
    json_t *data = json_pack("{s:s,s:O}", "action", kind, "body", body);
    if (id > 0 && zx_approval_set_data(c, id, data) != 0) id = DB_ERROR;
    json_decref(data);
    json_decref(err->extra);
    err->extra = NULL;
    if (id == ZX_APPROVAL_EDUP) {
        zx_case_err_set(err, 409, "APPROVAL_PENDING", "该事项已提交院长审批，正在等待审批");
        return -1;
    }
    if (id < 0) {
        zx_case_err_set(err, 500, "DB_ERROR", "提交审批失败");
        return -1;
    }
    return id;
}

int zx_case_approval_after(zx_req *r, db_conn *c, const zx_case *k, const char *kind, json_t *body,
                           int64_t event_id, zx_case_err *err)
{
    int rc = 0;
    if (!strcmp(kind, "extension_request")) {
        char summary[480];
        json_t *m = json_object_get(body, "months"), *d = json_object_get(body, "days");
        if (json_is_integer(m))
            snprintf(summary, sizeof summary, "申请延长执行期限 %lld 个月：%s", (long long)json_integer_value(m),
                     jstr(body, "reason"));
        else
            snprintf(summary, sizeof summary, "申请延长执行期限 %lld 日：%s",
                     (long long)(json_is_integer(d) ? json_integer_value(d) : 0), jstr(body, "reason"));
        /* decide before the current limit runs out */
        int64_t id = zx_approval_submit(c, r, "extension", k->id, event_id, summary, k->limit_date);
        if (id < 0) rc = id == ZX_APPROVAL_EDUP ? 1 : -1;
    } else if (!strcmp(kind, "extension_approval")) {
        json_t *ap = json_object_get(body, "approve");
        rc = zx_approval_settle(c, r, "extension", k->id, -1, json_is_true(ap), jstr(body, "note"));
    } else if (!strcmp(kind, "chief_approval")) {
        rc = zx_approval_settle(c, r, "interim_closure", k->id, 0, true, jstr(body, "note"));
    } else if (!strcmp(kind, "restriction_order")) {
        rc = zx_approval_settle(c, r, "restriction_order", k->id, 0, true, jstr(body, "note"));
    } else if (!strcmp(kind, "coercive_measure") && (is_chief_of_case(r, k) || json_object_get(body, "approver_id"))) {
        const char *m = jstr(body, "measure");
        rc = zx_approval_settle(c, r, !strcmp(m, "fine") ? "fine" : "detention", k->id, 0, true, jstr(body, "note"));
    }
    if (rc < 0) {
        zx_case_err_set(err, 500, "DB_ERROR", "保存审批记录失败");
        return -1;
    }
    if (rc == 1 && !strcmp(kind, "extension_request")) {
        zx_case_err_set(err, 409, "APPROVAL_PENDING", "已有待审批的延期申请");
        return -1;
    }
    return 0;
}
