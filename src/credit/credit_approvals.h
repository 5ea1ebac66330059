/* credit_approvals.h — 失信 and 限消 decisions wait for the 院长's signature in the one approval inbox
 * (src/approval/approval.h). Kinds: dishonest_listing (纳入失信被执行人名单决定, 失信规定 art 6 —
 * decided by the court's president) and consumption_restriction (限制消费令, 限消规定 art 5 — 院长 signs).
 * Approving runs zx_cd_step(…, "approve"), returning runs zx_cd_step(…, "reject") with the opinion as
 * the reason: one path with the credit page's own 签发 / 不予签发. */
#ifndef ZX_CREDIT_APPROVALS_H
#define ZX_CREDIT_APPROVALS_H
#include <stdint.h>
#include "http/http.h"
#include "store/db.h"

/* After zx_cd_propose() created decision_id (same transaction): submit it to the inbox. 0 or < 0. */
int zx_credit_approval_submit(zx_req *r, db_conn *c, int64_t decision_id);
/* The same for code without a request (demo data): submitted by user_id, the case's court decides. */
int zx_credit_approval_submit_as(db_conn *c, int64_t user_id, int64_t decision_id);
/* After zx_cd_step(step) succeeded on the credit page (same transaction): settle or withdraw the
 * waiting item ("approve" → approved, "reject" → returned, "withdraw" → withdrawn). 0 or < 0. */
int zx_credit_approval_step(zx_req *r, db_conn *c, int64_t decision_id, const char *step, const char *reason);
#endif
