/* reconcile.h — 对账 (src/funds/reconcile.c). */
#ifndef ZX_FUNDS_RECONCILE_H
#define ZX_FUNDS_RECONCILE_H
#include <jansson.h>
#include <stdbool.h>
#include "store/db.h"
/* The report {ok, accounts_checked, courts:[…], bank_statements:[…], mismatched_accounts, problems:[中文]}
 * or NULL on a store error. */
json_t *zx_funds_reconcile(db_conn *c, bool *ok);
/* Run and record a row in fund_reconcile. 0 or -1. */
int zx_funds_reconcile_record(db_t *db, json_t **report_out, bool *ok);
#endif
