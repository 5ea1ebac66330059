/* case_access.h — the one way an API handler opens a case for a request. */
#ifndef ZX_API_CASE_ACCESS_H
#define ZX_API_CASE_ACCESS_H
#include <stdbool.h>
#include <stdint.h>

#include "account/authz.h"
#include "case/case.h"
#include "http/http.h"
#include "store/db.h"

/* Load case `id` into *k and check the caller's access (account/authz.h decides): 404 NOT_FOUND when it
 * does not exist, 503 STORE_UNAVAILABLE on a store error, 403/404 from zx_authz_case. A court the case
 * was moved away from (提级 / 指定 / 交叉执行, src/command/move.c) keeps read access. A refusal is audited
 * as `denied_action` (NULL: "case.read" / "case.write"), the 等保 record of the attempt. Replies and
 * returns false on any failure. */
bool zx_api_case_open(zx_req *r, db_conn *c, int64_t id, zx_case *k, enum zx_case_access need,
                      const char *denied_action);

#endif
