/* case_export.h — the case list as Excel (api/case_export.c), called by GET /api/v1/cases?format=xlsx. */
#ifndef ZX_API_CASE_EXPORT_H
#define ZX_API_CASE_EXPORT_H
#include <jansson.h>
#include <stdint.h>
#include "http/http.h"

#define ZX_CASE_EXPORT_MAX 10000 /* rows in one export (the list's own total cap) */

/* Reply with the workbook of items (the list's JSON rows; steals the reference); total = rows matched.
 * moved: the 已移出 register (src/command/move.c zx_cmd_moved_out rows; stolen, may be NULL) — a second
 * sheet "已移出案件" when it has rows. */
void zx_cases_xlsx_reply(zx_req *r, json_t *items, int64_t total, json_t *moved);
#endif
