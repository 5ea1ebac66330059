/* court_setting.h — local rules that belong to a court (issue 10 item 2): credit-repair rules
 * (失信规定 art 2 para 2; 法发〔2019〕35号: 地方规则), 繁简分流 triage rules, …
 *
 * A value is stored per (court, key) in court_setting (migration 009). The effective value for a
 * court is its own, else the nearest ancestor's (a 中级 court's rules reach its 基层 courts that
 * made none; a 高级 court's reach the province), else the global default in `setting` (set by the
 * system administrator at installation). Only that court's authority — its chief (院长) — changes
 * its value: zx_court_setting_may_change(). */
#ifndef ZX_COURT_SETTING_H
#define ZX_COURT_SETTING_H
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"
#include "store/db.h"

/* The effective value of key for court_id (malloc'd JSON text, caller frees) or NULL if none at all.
 * *from_court gets the id of the court whose value applies (0 = the global default). */
char *zx_court_setting_get(db_conn *c, int64_t court_id, const char *key, int64_t *from_court);
/* Store court_id's own value inside the caller's write transaction. 0 or < 0. */
int zx_court_setting_put(db_conn *c, int64_t court_id, const char *key, const char *value, const char *by);
/* Resolve the court a settings request is about: ?court=CODE (default: the caller's court; the
 * system administrator's default is the global value, 0). Replies 404 and returns -1 on an unknown
 * or invisible court. */
int64_t zx_court_setting_target(zx_req *r);
/* May the caller change court_id's local rules? Its own chief only; the system administrator only
 * the global default (court_id 0). Replies 403 COURT_AUTHORITY_REQUIRED and returns false otherwise. */
bool zx_court_setting_may_change(zx_req *r, int64_t court_id);
#endif
