/* inquiry_settings.c — a court's own rules for network inquiry and control (issue 12 items 5 and 7):
 *
 *   GET /api/v1/inquiry/settings[?court=CODE]   the effective values and the court they come from
 *   PUT /api/v1/inquiry/settings[?court=CODE]   {"on_filing": bool, "expiry_warn_days": [30,15,7]}
 *
 * on_filing: every debtor of a newly filed 执 / 执恢 / 执保 case is queried at every kind on the filing
 * day ("执行立案当日启动财产查控", src/inquiry/auto.c) unless the court switches it off.
 * expiry_warn_days: days before a freeze or seizure reaches its legal end date (民诉解释 art 485) at which
 * the control register and the asset list warn; the first of them puts the renewal in the handler's
 * to-do (zx_control_warn_days, case_clocks.c). 1 to 3 distinct days in 1..365.
 *
 * Stored per court (court_setting, inherited by the courts below that set none; the system
 * administrator sets the installation's default). Only the court's own chief (院长) changes them; the
 * change, its case-free audit record and nothing else commit together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account/authz.h"
#include "account/court_setting.h"
#include "audit/audit.h"
#include "case/case.h"
#include "http/http.h"
#include "inquiry/inquiry.h"

static json_t *court_code(int64_t id)
{
    const zx_court *ct = id ? zx_court_by_id(id) : NULL;
    return ct ? json_string(ct->code) : json_null();
}

static void settings_reply(zx_req *r, int64_t court)
{
    db_conn *c = zx_db(r);
    int64_t from_on = 0, from_warn = 0;
    char *on_txt = zx_court_setting_get(c, court, "inquiry.on_filing", &from_on);
    free(zx_court_setting_get(c, court, "inquiry.expiry_warn_days", &from_warn));
    json_t *o = json_pack("{s:o,s:b,s:o,s:o,s:o}", "court", court_code(court), "on_filing", zx_inq_auto_on(c, court),
                          "on_filing_from", on_txt ? court_code(from_on) : json_null(), "expiry_warn_days",
                          zx_control_warn_days(c, court), "expiry_warn_days_from", court_code(from_warn));
    free(on_txt);
    zx_reply_json(r, 200, o);
}

static void settings_get(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0) return;
    settings_reply(r, court);
}

static void bad(zx_req *r, const char *field, const char *code, const char *msg)
{
    zx_reply_error_ex(r, 400, "VALIDATION_FAILED", msg,
                      json_pack("{s:[{s:s,s:s,s:s}]}", "fields", "field", field, "code", code, "message", msg));
}

static void settings_put(zx_req *r)
{
    int64_t court = zx_court_setting_target(r);
    if (court < 0 || !zx_court_setting_may_change(r, court)) return;
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *key;
    json_t *v;
    json_object_foreach(b, key, v)
    {
        static const char *known[] = { "on_filing", "expiry_warn_days", /* echoed by GET: */ "court", "on_filing_from",
                                       "expiry_warn_days_from" };
        bool ok = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) ok = ok || !strcmp(key, known[i]);
        if (!ok) {
            char msg[160];
            snprintf(msg, sizeof msg, "未知的设置项：%.60s", key);
            return bad(r, key, "UNKNOWN_FIELD", msg);
        }
    }
    json_t *on = json_object_get(b, "on_filing"), *warn = json_object_get(b, "expiry_warn_days");
    if (!on && !warn) return bad(r, "on_filing", "REQUIRED", "请至少提交一项设置（立案当日自动查控、到期预警天数）");
    if (on && !json_is_boolean(on)) return bad(r, "on_filing", "INVALID", "立案当日自动查控须为是或否");
    json_t *days = NULL;
    if (warn) {
        char why[120];
        days = zx_control_warn_days_parse(warn, why, sizeof why);
        if (!days) return bad(r, "expiry_warn_days", "INVALID", why);
    }
    char *days_txt = days ? json_dumps(days, JSON_COMPACT) : NULL;
    json_t *detail = json_object();
    if (on) json_object_set(detail, "on_filing", on);
    if (days) json_object_set(detail, "expiry_warn_days", days);
    char *detail_txt = json_dumps(detail, JSON_COMPACT);
    json_decref(detail);
    json_decref(days);
    db_conn *c = zx_db(r);
    int rc = db_begin(c);
    if (!rc && on) rc = zx_court_setting_put(c, court, "inquiry.on_filing", json_is_true(on) ? "true" : "false", r->who.username);
    if (!rc && days_txt) rc = zx_court_setting_put(c, court, "inquiry.expiry_warn_days", days_txt, r->who.username);
    if (!rc) rc = zx_audit_req(r, c, "inquiry.settings.set", "setting", court, "ok", detail_txt);
    if (!rc) rc = db_commit(c);
    free(days_txt);
    free(detail_txt);
    if (rc) {
        db_rollback(c);
        zx_reply_error(r, 503, "STORE_UNAVAILABLE", "保存失败，请稍后重试");
        return;
    }
    settings_reply(r, court);
}

static const struct zx_route inquiry_settings_routes[] = {
    { "GET", "/api/v1/inquiry/settings", settings_get, ZX_R_USER, ROLE_BUSINESS | ROLE_SYSADMIN, NULL, "本院查控设置（立案当日自动查控、到期预警天数）" },
    { "PUT", "/api/v1/inquiry/settings", settings_put, ZX_R_USER, ROLE_CHIEF | ROLE_SYSADMIN, NULL,
      "修改本院查控设置（本院院长；系统管理员仅全局默认）" },
};
ZX_ROUTES(inquiry_settings_routes)
