/* import.h — bank statement import (src/funds/import.c; format in its header comment). Used by the
 * CLI (`zhixing funds import`) and the finance page (POST /api/v1/funds/imports, src/api/funds_import.c). */
#ifndef ZX_FUNDS_IMPORT_H
#define ZX_FUNDS_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "audit/audit.h"
#include "store/db.h"

/* Phases reported to the progress callback. */
#define ZX_STMT_CHECKING 1 /* pass 1: every line checked (nothing written) */
#define ZX_STMT_POSTING  2 /* pass 2: the one transaction */

typedef struct zx_stmt_result {
    long lines, posted, skipped, matched, unidentified, closing_balances;
    int64_t amount_fen;
    int64_t import_id;   /* the fund_import row written with the result */
    long error_line;     /* the line an error names (0 = none / the whole file) */
} zx_stmt_result;

typedef struct zx_stmt_opts {
    const char *file_name;      /* kept on the fund_import row */
    const char *bank_no;        /* the 专户 number; NULL = the only numbered 专户 (of court_id when > 0) */
    int64_t court_id;           /* > 0: the 专户 must belong to this court (the caller's) */
    int64_t import_id;          /* > 0: the fund_import row (status running) to complete; 0 = new id */
    const zx_audit_rec *audit;  /* who imports (user, ip, request id); action/object filled here */
    volatile int *cancel;       /* non-zero → stop and roll back (server shutdown) */
    /* optional, called about every 1% of a phase and at its end */
    void (*progress)(int phase, long done, long total, void *arg);
    void *progress_arg;
} zx_stmt_opts;

/* Import a statement held in memory (data, len). 0, or -1 with a 中文 message in err naming the line
 * (res->error_line) — nothing imported. All lines are posted in ONE transaction. */
int zx_funds_import_data(db_t *db, const char *data, size_t len, const zx_stmt_opts *o, zx_stmt_result *res, char *err,
                         size_t errlen);
/* The same for a file (mmap). */
int zx_funds_import_statement(db_t *db, const char *path, const zx_stmt_opts *o, zx_stmt_result *res, char *err,
                              size_t errlen);
#endif
