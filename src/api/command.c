/* api/command.c — the command center's REST resources (issue 14; docs/api/command.md). Handlers parse
 * and call src/command/; every list answers JSON or, with ?format=xlsx, an Excel workbook.
 * Access: any business role reaches these routes; the services decide scope (a superior court's
 * command staff and chiefs act on subordinate courts' matters, a court on its own). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "command/command.h"
#include "command/tpo.h"
#include "core/ids.h"
#include "http/http.h"

#define MAX_SCOPE 8192

static void reply_err(zx_req *r, const zx_cmd_err *e)
{
    zx_reply_error(r, e->status ? e->status : 500, e->code[0] ? e->code : "DB_ERROR", "%s", e->msg[0] ? e->msg : "操作失败");
}

/* last path segment: the act of POST …/:id/<act> */
static const char *act_of(zx_req *r)
{
    const char *p = strrchr(r->path, '/');
    return p ? p + 1 : "";
}

static void reply_created(zx_req *r, json_t *obj, int64_t id)
{
    if (!obj) obj = json_pack("{s:o}", "id", zx_cmd_jid(id));
    zx_reply_json(r, 201, obj);
}

/* ---------------------------------------------------------------- dashboard & lists */
static void dashboard(zx_req *r)
{
    zx_cmd_err e = { 0 };
    int64_t *courts = zx_alloc(r, sizeof(int64_t) * MAX_SCOPE);
    const zx_court *root = NULL;
    int n = zx_cmd_scope(r, zx_query(r, "court"), courts, MAX_SCOPE, &root, &e);
    if (!n) return reply_err(r, &e);
    json_t *o = zx_cmd_dashboard(r, zx_db(r), root, courts, n, &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

static void release_buf(void *data, size_t cap) { (void)cap; free(data); }

static void list(zx_req *r)
{
    zx_cmd_err e = { 0 };
    int64_t *courts = zx_alloc(r, sizeof(int64_t) * MAX_SCOPE);
    const zx_court *root = NULL;
    int n = zx_cmd_scope(r, zx_query(r, "court"), courts, MAX_SCOPE, &root, &e);
    if (!n) return reply_err(r, &e);
    zx_cmd_table t = { 0 };
    if (zx_cmd_list(r, zx_db(r), zx_param(r, "kind"), courts, n, &t, &e)) return reply_err(r, &e);
    const char *fmt = zx_query(r, "format");
    if (fmt && !strcmp(fmt, "xlsx")) {
        char *buf = NULL;
        size_t len = 0;
        int rc = zx_cmd_xlsx(&t, &buf, &len);
        json_decref(t.rows);
        json_decref(t.columns);
        if (rc) {
            zx_reply_error(r, 500, "EXPORT_FAILED", "导出 Excel 失败");
            return;
        }
        char disp[160];
        snprintf(disp, sizeof disp, "attachment; filename=\"command-%.40s.xlsx\"", zx_param(r, "kind"));
        zx_add_header(r, "content-disposition", disp);
        zx_reply_owned(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf, len, len,
                       release_buf);
        return;
    }
    if (fmt && *fmt && strcmp(fmt, "json")) {
        json_decref(t.rows);
        json_decref(t.columns);
        zx_reply_error(r, 400, "BAD_REQUEST", "format 只能是 json 或 xlsx");
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o, s:I}", "court", root->code, "title", t.title, "columns",
                                    t.columns, "rows", t.rows, "count", (json_int_t)json_array_size(t.rows)));
}

/* Drill-down inside one court: its teams and every handler with the "3+1" this year. */
static void drill(zx_req *r)
{
    zx_cmd_err e = { 0 };
    const char *code = zx_query(r, "court");
    const zx_court *ct = code && *code ? zx_court_by_code(code) : zx_court_by_id(r->who.court_id);
    if (!ct) return zx_reply_error(r, 404, "COURT_NOT_FOUND", "法院不存在");
    if (!zx_can_see_court(&r->who, ct->id)) return zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院的数据");
    db_conn *c = zx_db(r);
    zx_date today = zx_today();
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    int64_t cid = ct->id;
    db_stmt *s = db_prepare(c, "SELECT u.id, u.display_name, COALESCE(t.id, 0), COALESCE(t.name, '未分组')"
                               " FROM app_user u LEFT JOIN team_member tm ON tm.user_id = u.id LEFT JOIN team t"
                               " ON t.id = tm.team_id WHERE u.court_id = ? AND EXISTS (SELECT 1 FROM enf_case x"
                               " WHERE x.handler_id = u.id) ORDER BY 4, 2");
    if (!s) return zx_reply_error(r, 500, "DB_ERROR", "查询失败");
    db_bind_int64(s, 1, cid);
    int64_t uid[256], tid[256];
    char uname[256][96], tname[256][96];
    int nu = 0;
    while (db_step(s) == DB_ROW && nu < 256) {
        uid[nu] = db_col_int64(s, 0);
        snprintf(uname[nu], 96, "%s", db_col_text(s, 1));
        tid[nu] = db_col_int64(s, 2);
        snprintf(tname[nu], 96, "%s", db_col_text(s, 3));
        nu++;
    }
    db_finalize(s);
    json_t *judges = json_array(), *teams = json_object();
    for (int i = 0; i < nu; i++) {
        zx_ind_query q = { .courts = &cid, .ncourts = 1, .handler_id = uid[i], .from = zx_date_from_ymd(y, 1, 1), .to = today };
        zx_ind_counts k;
        zx_tpo_counts t;
        if (zx_ind_compute(c, &q, &k) < 0 || zx_tpo_compute(c, &q, &t) < 0) {
            json_decref(judges);
            json_decref(teams);
            (void)e;
            return zx_reply_error(r, 500, "DB_ERROR", "统计查询失败");
        }
        json_t *o = zx_ind_json(&k);
        zx_tpo_json_add(o, &t);
        zx_tpo_blank_empty(o, &k, &t);
        json_object_set_new(o, "handler_id", zx_cmd_jid(uid[i]));
        json_object_set_new(o, "handler_name", json_string(uname[i]));
        json_object_set_new(o, "team", json_string(tname[i]));
        json_object_set_new(o, "team_id", zx_cmd_jid(tid[i]));
        json_array_append_new(judges, o);
    }
    json_t *body = json_pack("{s:s, s:s, s:o, s:o}", "court", ct->code, "court_name", ct->name, "judges", judges,
                             "targets", zx_tpo_targets_json());
    json_decref(teams);
    zx_reply_json(r, 200, body);
}

/* ---------------------------------------------------------------- supervision */
static void sup_open(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_sup_open(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, zx_sup_get(r, zx_db(r), id, &e), id);
}

static void sup_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    zx_cmd_err e = { 0 };
    json_t *o = zx_sup_get(r, zx_db(r), id, &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

static void sup_act(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    if (zx_sup_act(r, zx_db(r), id, act_of(r), b, &e)) return reply_err(r, &e);
    json_t *o = zx_sup_get(r, zx_db(r), id, &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

static void sup_remind(zx_req *r)
{
    zx_cmd_err e = { 0 };
    int64_t *courts = zx_alloc(r, sizeof(int64_t) * MAX_SCOPE);
    const zx_court *root = NULL;
    int n = zx_cmd_scope(r, zx_query(r, "court"), courts, MAX_SCOPE, &root, &e);
    if (!n) return reply_err(r, &e);
    if (!(r->who.roles & (ROLE_COMMAND | ROLE_CHIEF))) return zx_reply_error(r, 403, "FORBIDDEN", "只有指挥中心可以发送催办提醒");
    int m = zx_sup_remind(r, zx_db(r), courts, n);
    if (m < 0) return zx_reply_error(r, 500, "DB_ERROR", "保存失败");
    zx_reply_json(r, 200, json_pack("{s:i}", "reminded", m));
}

static void interview_add(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_interview_add(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, NULL, id);
}

/* ---------------------------------------------------------------- commissions */
static void com_send(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_com_send(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, zx_com_get(r, zx_db(r), id, &e), id);
}

static void com_get(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    zx_cmd_err e = { 0 };
    json_t *o = zx_com_get(r, zx_db(r), id, &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

static void com_act(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    if (zx_com_act(r, zx_db(r), id, act_of(r), b, &e)) return reply_err(r, &e);
    json_t *o = zx_com_get(r, zx_db(r), id, &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

static void com_route(zx_req *r)
{
    zx_cmd_err e = { 0 };
    json_t *o = zx_com_route(r, zx_query(r, "code"), &e);
    if (!o) return reply_err(r, &e);
    zx_reply_json(r, 200, o);
}

/* ---------------------------------------------------------------- coordination, petitions, duty */
static void coord_file(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_coord_file(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, NULL, id);
}

static void coord_act(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    if (zx_coord_act(r, zx_db(r), id, act_of(r), b, &e)) return reply_err(r, &e);
    zx_reply_json(r, 200, json_pack("{s:o, s:b}", "id", zx_cmd_jid(id), "ok", 1));
}

static void pet_intake(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_pet_intake(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, NULL, id);
}

static void pet_act(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    if (zx_pet_act(r, zx_db(r), id, act_of(r), b, &e)) return reply_err(r, &e);
    zx_reply_json(r, 200, json_pack("{s:o, s:b}", "id", zx_cmd_jid(id), "ok", 1));
}

static void duty_add(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_duty_add(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, NULL, id);
}

static void duty_now(zx_req *r)
{
    const char *code = zx_query(r, "court");
    const zx_court *ct = code && *code ? zx_court_by_code(code) : zx_court_by_id(r->who.court_id);
    if (!ct) return zx_reply_error(r, 404, "COURT_NOT_FOUND", "法院不存在");
    if (!zx_can_see_court(&r->who, ct->id)) return zx_reply_error(r, 403, "FORBIDDEN", "无权查看该法院的数据");
    char name[96] = "";
    int64_t u = zx_duty_on_call(zx_db(r), ct->id, zx_now_ms(), name, sizeof name);
    zx_reply_json(r, 200, json_pack("{s:s, s:o, s:s?}", "court", ct->code, "user_id", zx_cmd_jid(u), "name",
                                    u ? name : NULL));
}

static void urgent_add(zx_req *r)
{
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    int64_t id;
    if (zx_urgent_add(r, zx_db(r), b, &id, &e)) return reply_err(r, &e);
    reply_created(r, NULL, id);
}

static void urgent_handle(zx_req *r)
{
    int64_t id;
    if (!zx_param_id(r, "id", &id)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    zx_cmd_err e = { 0 };
    if (zx_urgent_handle(r, zx_db(r), id, b, &e)) return reply_err(r, &e);
    zx_reply_json(r, 200, json_pack("{s:o, s:b}", "id", zx_cmd_jid(id), "ok", 1));
}

#define B ROLE_BUSINESS
static const struct zx_route command_routes[] = {
    { "GET", "/api/v1/command/dashboard", dashboard, ZX_R_USER, B, NULL, "指挥中心大屏：法院树、3+1 指标、各类待办统计" },
    { "GET", "/api/v1/command/lists/:kind", list, ZX_R_USER, B, NULL, "指挥中心列表（?format=xlsx 导出 Excel）" },
    { "GET", "/api/v1/command/drill", drill, ZX_R_USER, B, NULL, "院内钻取：团队与承办人的 3+1 指标" },
    { "POST", "/api/v1/command/supervision", sup_open, ZX_R_USER, B, NULL, "发出督办函（上级法院）" },
    { "POST", "/api/v1/command/supervision/remind", sup_remind, ZX_R_USER, B, NULL, "督办期限临近/逾期提醒" },
    { "GET", "/api/v1/command/supervision/:id", sup_get, ZX_R_USER, B, NULL, "督办事项详情与流程" },
    { "POST", "/api/v1/command/supervision/:id/assign", sup_act, ZX_R_USER, B, NULL, "被督办法院指定承办人" },
    { "POST", "/api/v1/command/supervision/:id/report", sup_act, ZX_R_USER, B, NULL, "被督办法院报告办理情况" },
    { "POST", "/api/v1/command/supervision/:id/escalate", sup_act, ZX_R_USER, B, NULL, "督办措施（催报/调卷/指定/提级/交叉执行/通报）" },
    { "POST", "/api/v1/command/supervision/:id/close", sup_act, ZX_R_USER, B, NULL, "督办办结" },
    { "POST", "/api/v1/command/interviews", interview_add, ZX_R_USER, B, NULL, "登记约谈下级法院执行局长" },
    { "POST", "/api/v1/command/commissions", com_send, ZX_R_USER, B, NULL, "发起事项委托/委托执行" },
    { "GET", "/api/v1/command/commissions/:id", com_get, ZX_R_USER, B, NULL, "委托事项详情" },
    { "POST", "/api/v1/command/commissions/:id/accept", com_act, ZX_R_USER, B, NULL, "受托法院接收委托" },
    { "POST", "/api/v1/command/commissions/:id/return", com_act, ZX_R_USER, B, NULL, "受托法院退回委托（附理由）" },
    { "POST", "/api/v1/command/commissions/:id/complete", com_act, ZX_R_USER, B, NULL, "受托法院反馈办理结果" },
    { "GET", "/api/v1/command/route", com_route, ZX_R_USER, B, NULL, "按法院代字路由：法院、层级路径、共同上级" },
    { "POST", "/api/v1/command/coordination", coord_file, ZX_R_USER, B, NULL, "申请执行协调（报共同上级法院）" },
    { "POST", "/api/v1/command/coordination/:id/escalate", coord_act, ZX_R_USER, B, NULL, "协调逾期报请上一级" },
    { "POST", "/api/v1/command/coordination/:id/decide", coord_act, ZX_R_USER, B, NULL, "协调决定" },
    { "POST", "/api/v1/command/petitions", pet_intake, ZX_R_USER, B, NULL, "登记执行信访（含上级交办）" },
    { "POST", "/api/v1/command/petitions/:id/register", pet_act, ZX_R_USER, B, NULL, "信访录入系统" },
    { "POST", "/api/v1/command/petitions/:id/close", pet_act, ZX_R_USER, B, NULL, "信访办结并答复" },
    { "POST", "/api/v1/command/duty", duty_add, ZX_R_USER, B, NULL, "排班（24 小时备勤）" },
    { "GET", "/api/v1/command/duty/now", duty_now, ZX_R_USER, B, NULL, "当前值班人员" },
    { "POST", "/api/v1/command/urgent", urgent_add, ZX_R_USER, B, NULL, "登记紧急事项（派给值班人员）" },
    { "POST", "/api/v1/command/urgent/:id/handle", urgent_handle, ZX_R_USER, B, NULL, "紧急事项处置结果" },
};
ZX_ROUTES(command_routes)
