/* case_access.c — load a case and check access, for every API module (see case_access.h). */
#include "api/case_access.h"

#include "audit/audit.h"
#include "command/command.h"

bool zx_api_case_open(zx_req *r, db_conn *c, int64_t id, zx_case *k, enum zx_case_access need,
                      const char *denied_action)
{
    int rc = zx_case_load(c, id, k);
    if (rc == 1) {
        zx_reply_error(r, 404, "NOT_FOUND", "案件不存在或无权查看");
        return false;
    }
    if (rc < 0) {
        zx_reply_error(r, 503, "STORE_UNAVAILABLE", "数据暂不可用，请稍后重试");
        return false;
    }
    if (need == ZX_CASE_READ && !zx_can_see_court(&r->who, k->court_id) && zx_cmd_former_court_reads(c, k->id, &r->who))
        return true;
    if (zx_authz_case(r, k->court_id, k->handler_id, k->team_id, k->stage, need)) return true;
    if (!denied_action) denied_action = need == ZX_CASE_WRITE ? "case.write" : "case.read";
    zx_audit_req_tx(r, denied_action, "case", k->id, "denied", NULL);
    return false;
}
