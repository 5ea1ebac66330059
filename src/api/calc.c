/* api/calc.c — public calculators (issue 4 §6, Contract):
 *   GET  /api/v1/calc/enforcement-fee?amount_fen=N          → {"fee_fen":M}   (诉讼费用交纳办法 art 14(1))
 *   GET  /api/v1/calc/preservation-fee?amount_fen=N         → {"fee_fen":M}   (art 14(2))
 *   GET  /api/v1/calc/delay-interest?principal_fen=N&from=DATE&to=DATE
 *                                                           → {"days":D,"interest_fen":M} (迟延履行利息解释 art 1)
 *   GET  /api/v1/calc/id-number?id=…  (and POST with {"id":"…"}, which keeps the number out of URLs)
 *                                    → {"valid":true,"birth_date","sex","age","masked"}
 * The ID number is personal data: it is never logged here, the access log records the path without
 * the query string, and API replies carry Cache-Control: no-store. The reply shows it masked only. */
#include <stdint.h>
#include <string.h>

#include "core/date.h"
#include "http/http.h"
#include "rules/fees.h"
#include "rules/id_number.h"
#include "rules/interest.h"

/* A non-negative decimal integer that fits int64 (no sign, no spaces, no leading zeros). */
static bool parse_uint64_param(const char *s, int64_t *out)
{
    if (!s || !*s || (s[0] == '0' && s[1])) return false;
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        if (v > (INT64_MAX - (*s - '0')) / 10) return false;
        v = v * 10 + (*s - '0');
    }
    *out = v;
    return true;
}

static bool amount_param(zx_req *r, const char *name, int64_t *out)
{
    if (parse_uint64_param(zx_query(r, name), out)) return true;
    zx_reply_error(r, 400, "INVALID_AMOUNT", "参数 %s 应为以分为单位的非负整数", name);
    return false;
}

static bool date_param(zx_req *r, const char *name, zx_date *out)
{
    if (zx_date_parse(zx_query(r, name), out) == 0) return true;
    zx_reply_error(r, 400, "INVALID_DATE", "参数 %s 应为有效日期（YYYY-MM-DD）", name);
    return false;
}

static void enforcement_fee(zx_req *r)
{
    int64_t amount;
    if (!amount_param(r, "amount_fen", &amount)) return;
    zx_reply_json(r, 200, json_pack("{s:I}", "fee_fen", (json_int_t)zx_fee_enforcement(amount)));
}

static void preservation_fee(zx_req *r)
{
    int64_t amount;
    if (!amount_param(r, "amount_fen", &amount)) return;
    zx_reply_json(r, 200, json_pack("{s:I}", "fee_fen", (json_int_t)zx_fee_preservation(amount)));
}

static void delay_interest(zx_req *r)
{
    int64_t principal, interest;
    zx_date from, to;
    if (!amount_param(r, "principal_fen", &principal)) return;
    if (!date_param(r, "from", &from) || !date_param(r, "to", &to)) return;
    int64_t days = zx_delay_interest_days(from, to);
    if (days < 0) {
        zx_reply_error(r, 400, "INVALID_DATE", "截止日期 to 不能早于起算日期 from");
        return;
    }
    if (zx_delay_interest_simple(principal, days, &interest) != 0) {
        zx_reply_error(r, 400, "INVALID_AMOUNT", "金额过大，无法计算");
        return;
    }
    zx_reply_json(r, 200, json_pack("{s:I,s:I}", "days", (json_int_t)days, "interest_fen", (json_int_t)interest));
}

static const char *status_reason(enum zx_idno_status st)
{
    switch (st) {
    case ZX_IDNO_LEGACY15: return "legacy_15_digit";
    case ZX_IDNO_BAD_DATE: return "bad_birth_date";
    case ZX_IDNO_FUTURE_DATE: return "future_birth_date";
    case ZX_IDNO_BAD_CHECK: return "bad_check_digit";
    default: return "bad_format";
    }
}

static void check_id(zx_req *r, const char *id)
{
    zx_idno_info info;
    zx_date today = zx_today();
    enum zx_idno_status st = zx_idno_check(id, today, &info);
    if (st != ZX_IDNO_OK) {
        zx_reply_error_ex(r, 400, "INVALID_ID_NUMBER", zx_idno_status_message(st),
                          json_pack("{s:s}", "reason", status_reason(st)));
        return;
    }
    char birth[11], masked[32];
    zx_date_format(info.birth, birth);
    zx_idno_mask(info.id, masked, sizeof masked);
    zx_reply_json(r, 200, json_pack("{s:b,s:s,s:s,s:i,s:s}", "valid", 1, "birth_date", birth, "sex",
                                    info.sex == ZX_SEX_MALE ? "male" : "female", "age",
                                    zx_idno_age(info.birth, today), "masked", masked));
    memset(&info, 0, sizeof info);
}

static void id_number_get(zx_req *r) { check_id(r, zx_query(r, "id")); }

static void id_number_post(zx_req *r)
{
    json_t *body = zx_body_json(r);
    if (!body) return;
    check_id(r, json_string_value(json_object_get(body, "id")));
}

static const struct zx_route calc_routes[] = {
    { "GET", "/api/v1/calc/enforcement-fee", enforcement_fee, ZX_R_PUBLIC, 0, NULL, "申请执行费计算（诉讼费用交纳办法第14条）" },
    { "GET", "/api/v1/calc/preservation-fee", preservation_fee, ZX_R_PUBLIC, 0, NULL, "申请保全费计算（诉讼费用交纳办法第14条）" },
    { "GET", "/api/v1/calc/delay-interest", delay_interest, ZX_R_PUBLIC, 0, NULL, "迟延履行期间加倍部分债务利息计算" },
    { "GET", "/api/v1/calc/id-number", id_number_get, ZX_R_PUBLIC, 0, NULL, "身份证号码校验（GB 11643）" },
    { "POST", "/api/v1/calc/id-number", id_number_post, ZX_R_PUBLIC, 0, NULL, "身份证号码校验（请求体传号码）" },
};
ZX_ROUTES(calc_routes)
