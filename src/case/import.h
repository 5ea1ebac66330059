/* import.h — history import of enforcement cases from CSV (issue 4 §9), for courts migrating from an
 * old system. Used by `zhixing import cases` and POST /api/v1/import/cases.
 *
 * File: UTF-8 (a BOM is stripped), RFC 4180 quoting, LF or CRLF, a header row naming the columns
 *   case_no, court_code, case_type, filed_on, closed_on, closure_mode, claim, recovered, has_assets,
 *   deducted_days, non_litigation, applicant_name, debtor_name, debtor_id
 * in any order (all required, no others). Dates YYYY-MM-DD (closed_on empty while open),
 * closure_mode as the Chinese 结案方式 name, money in yuan with ≤ 2 decimals, flags 1/0.
 *
 * The whole file is validated first; any error → nothing is written and every error (up to
 * max_errors kept, all counted) names its line (1 = header) and column. Otherwise every row is
 * inserted in ONE write transaction (batched prepared INSERTs) with one audit record, and case_seq is
 * raised so later filings do not collide. A case_no already in the store is an error too (the
 * transaction is rolled back). */
#ifndef ZX_IMPORT_H
#define ZX_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

typedef struct zx_import_err {
    int64_t line;        /* physical line of the record's start; 1 = header; 0 = whole file */
    char column[24];     /* column name, "" for the whole row/file */
    char code[32];       /* UPPER_SNAKE */
    char message[240];   /* 中文 */
} zx_import_err;

typedef struct zx_import_result {
    int64_t rows;            /* data rows read */
    int64_t inserted;        /* rows written (0 unless committed) */
    int64_t nerrors;         /* all errors found */
    int nkept;               /* errors kept in errs (≤ max_errors) */
    zx_import_err *errs;     /* malloc'd; free with zx_import_result_free */
    int64_t courts, opened, closed;
    double validate_ms, write_ms;
    char db_error[256];      /* set when the store failed */
} zx_import_result;

typedef struct zx_import_opts {
    int max_errors;          /* errors kept (default 100) */
    bool progress;           /* progress lines on stderr every 100,000 rows */
    /* Optional: may the importer write cases of this court? (API: zx_can_see_court) */
    bool (*court_allowed)(int64_t court_id, void *arg);
    /* Writes the one audit record inside the import transaction; detail is JSON. 0 or < 0. */
    int (*audit)(db_conn *c, void *arg, const char *detail);
    void *arg;
    /* The store (for its kind): on SQLite the import enlarges the connection's page cache for the
     * duration of the transaction so the index pages of a large import stay in memory. */
    db_t *db;
    /* Large files (≥ 100,000 rows): drop the secondary indexes of enf_case/case_party in the import
     * transaction and rebuild them after the rows are in. SQLite: always (WAL readers are not
     * blocked). PostgreSQL: only when this is set (`--rebuild-indexes`): DROP INDEX locks readers
     * out of those tables until commit — a maintenance-window choice. */
    bool rebuild_indexes;
} zx_import_opts;

/* Returns 0 (imported), 1 (validation errors: nothing written) or < 0 (store error, nothing
 * written; res->db_error says why). */
int zx_import_cases(db_conn *c, const char *data, size_t len, const zx_import_opts *o,
                    zx_import_result *res);
void zx_import_result_free(zx_import_result *res);
#endif
