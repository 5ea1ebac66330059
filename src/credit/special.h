/* special.h — 特殊主体 (special subjects): a roster of party/government organs, state firms, officials
 * and NPC/CPPCC deputies, cross-matched against debtors so the court can notify their 组织人事 / 纪检监察
 * bodies (失信规定 art 8). Table special_subject (005). API: docs/api/credit-staff.md. */
#ifndef ZX_CREDIT_SPECIAL_H
#define ZX_CREDIT_SPECIAL_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

/* Import rows (array of {name, id_number|credit_code, category, employer, note}) inside the caller's
 * transaction; rows keyed by normalised ID (re-import updates). errors gets {line, code, message}. */
int zx_special_import(db_conn *c, json_t *items, int64_t user_id, int64_t court_id, int *imported, int *updated,
                      json_t *errors); /* into court_id's roster (migration 019) */
/* Parse CSV text (header name,id_number,category,employer,note; UTF-8, optional BOM, quoted fields)
 * into the item array form. Returns a new array or NULL (bad header). */
json_t *zx_special_csv_parse(const char *text, size_t len);
/* Roster listing. */
json_t *zx_special_list(db_conn *c, const char *q, const char *category, int limit, int offset, const int64_t *court_ids,
                        int ncourts); /* rosters of these courts only */
/* Matches against debtors of cases in court_ids (n = 0: every court). */
json_t *zx_special_matches(db_conn *c, const int64_t *court_ids, int n);
int zx_special_category_valid(const char *code);
#endif
