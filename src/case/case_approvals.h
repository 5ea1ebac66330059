/* case_approvals.h — the case actions that need the 院长's signature go through the approval inbox
 * (src/approval/approval.h). Kinds registered here: interim_closure (终本审批, action chief_approval),
 * extension (延长执行期限, submitted with every extension_request), fine and detention (罚款/拘留决定,
 * action coercive_measure — 民诉法 art 119 needs the 院长's approval).
 *
 * POST /api/v1/cases/:id/actions/:kind calls zx_case_approval_route() when a caller who is not the
 * court's chief asks for one of these actions: the action is stored with the item and carried out by
 * the approving transaction, as the chief, through zx_case_action() — one path for both. */
#ifndef ZX_CASE_APPROVALS_H
#define ZX_CASE_APPROVALS_H
#include <jansson.h>
#include "case/case.h"

/* The action `kind` with `body` was refused by zx_case_action with `err` because it needs the chief's
 * signature: submit it to the inbox instead (inside the caller's open transaction). Returns the
 * approval id (> 0), 0 if err is not such a refusal (reply with err as usual), < 0 on a store error
 * or a duplicate (err filled). */
int64_t zx_case_approval_route(zx_req *r, db_conn *c, const zx_case *k, const char *kind, json_t *body,
                               zx_case_err *err);

/* After zx_case_action succeeded (same transaction): submit what the action starts (extension_request
 * → an "extension" item), and settle the items the chief has just decided on the case page
 * (extension_approval, chief_approval, coercive_measure by the chief). 0 or < 0 (err filled). */
int zx_case_approval_after(zx_req *r, db_conn *c, const zx_case *k, const char *kind, json_t *body,
                           int64_t event_id, zx_case_err *err);
#endif
