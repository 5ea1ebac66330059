/* import.h — bank statement import (src/funds/import.c; format in its header comment). */
#ifndef ZX_FUNDS_IMPORT_H
#define ZX_FUNDS_IMPORT_H
#include <stdint.h>
#include "store/db.h"
typedef struct zx_import_result {
    long lines, posted, skipped, matched, unidentified, closing_balances;
    int64_t amount_fen;
    void (*progress)(long done, long total, void *arg); /* optional, called every 5% */
    void *progress_arg;
} zx_import_result;
/* Import a statement file into the 专户 with account number bank_no (NULL = the only registered one).
 * 0, or -1 with a 中文 message naming the line in err (nothing imported). */
int zx_funds_import_statement(db_t *db, const char *path, const char *bank_no, zx_import_result *res, char *err,
                              size_t errlen);
#endif
