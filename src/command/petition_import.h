/* petition_import.h — history import of 执行信访 petitions (docs/INDICATORS.md §5.1), reached through
 * the same history import as cases (zx_import_cases / `zhixing import cases` / POST /api/v1/import/cases):
 * a CSV whose header names `petition_no` is a petition file. All or nothing, one transaction, one audit
 * record, errors with line and column like the case import. Columns:
 *   petition_no, court_code, channel, petitioner_name, received_on, registered_on, closed_on, resolved,
 *   is_repeat, case_no, content */
#ifndef ZX_PETITION_IMPORT_H
#define ZX_PETITION_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include "case/import.h"

/* Is the header row (first line) that of a petition file? */
bool zx_import_is_petitions(const char *data, size_t len);
/* Same contract as zx_import_cases: 0 imported, 1 invalid (nothing written), < 0 store error. */
int zx_import_petitions(db_conn *c, const char *data, size_t len, const zx_import_opts *o, zx_import_result *res);
#endif
