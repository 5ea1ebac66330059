/* approval_internal.h — shared by src/approval/approval.c and its HTTP handlers (src/api/approvals.c);
 * other modules use approval.h only. */
#ifndef ZX_APPROVAL_INTERNAL_H
#define ZX_APPROVAL_INTERNAL_H
#include "approval/approval.h"

/* Column list for SELECT … FROM approval, read back by zx_approval_from_row (13 = opinion). */
const char *zx_approval_cols(void);
void zx_approval_from_row(db_stmt *s, zx_approval *a);
/* 0 found, 1 not found, < 0 error. opinion (may be NULL) gets the stored opinion. */
int zx_approval_load(db_conn *c, int64_t id, zx_approval *a, char *opinion, size_t oplen);
const char *zx_approval_kind_label(const char *kind);
/* May this caller decide the item (kind's roles, court / superior court)? */
bool zx_approval_may_decide(const zx_principal *who, const zx_approval *a);
/* Approve or return item id in its own transaction (callback + case event + audit). 0 done, 1 refused
 * (err filled: 404/403/409/4xx from the callback), < 0 store error (err = 500 DB_ERROR). */
int zx_approval_decide(zx_req *r, db_conn *c, int64_t id, bool approve, const char *opinion, zx_approval *out,
                       zx_approval_err *err);
#endif
