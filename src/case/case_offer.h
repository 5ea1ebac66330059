/* case_offer.h — what THIS caller may do on THIS case now: the case's state (allowed_actions,
 * allowed_closures from the case service) intersected with authorisation (the same rule as
 * zx_authz_case in src/account/authz.c, and the role masks of the routes in src/api/cases.c).
 * The UI shows exactly these (issue 9 item 10). */
#ifndef ZX_CASE_OFFER_H
#define ZX_CASE_OFFER_H
#include <jansson.h>
#include "case/case.h"

/* Set case_json.actions = [{"kind","label","group":"node"|"case","approval":bool}] where group "case"
 * holds "assign", "close" (with "modes": [...]) and "resume"; approval = true when the action goes to
 * the 院长's approval inbox instead of being carried out at once. case_json must carry
 * allowed_actions and allowed_closures (zx_case_json). */
void zx_case_offer(db_conn *c, const zx_case *k, json_t *case_json, const zx_principal *who);
#endif
