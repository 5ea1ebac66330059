/* case_seq_query.h — a search text that is part of a 案号's number ("352", "执352", "辽0102执恢352",
 * "352号") answered from the index on enf_case.seq (migrations 040, 048) instead of the trigram index
 * (migration 018): digit trigrams occur in nearly every 案号, so the trigram index is slow for them.
 * Owner: search9 (issue 9 item 13, GET /api/v1/cases?q=). Pure functions, no store access.
 *
 * Meaning (the same as the trigram LIKE '%…%' over the 案号 text, restricted to its number part):
 *   digits              the number contains them            "352"   → 352, 1352, 3520 …
 *   digits 号           the number ends with them            "352号" → 352, 1352, 10352 …
 *   type digits         that type (or the types whose code ends with the text: 恢 → 执恢), number
 *                       starting with the digits             "执352" → 执 cases 352, 3520 …
 *   court type digits   also the court's code ends with it   "0102执352", "辽0102执352"
 *   … 号 after a type   the number is exactly the digits     "执352号"
 * Anything else (brackets, a year, names, a court without a type) is not a number fragment. */
#ifndef ZX_API_CASE_SEQ_QUERY_H
#define ZX_API_CASE_SEQ_QUERY_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum zx_seq_mode { ZX_SEQ_CONTAINS, ZX_SEQ_PREFIX, ZX_SEQ_SUFFIX, ZX_SEQ_EXACT };

typedef struct zx_seq_query {
    char digits[20];           /* the number part as typed (≤ 18 digits) */
    enum zx_seq_mode mode;
    char court_suffix[24];     /* "" = any court; else the court's code must end with it */
    const char *types[8];      /* type codes allowed; ntypes == 0: any */
    int ntypes;
} zx_seq_query;

/* true if `q` (spaces, % and _ already dropped) is a number fragment as above; fills *out. */
bool zx_seq_query_parse(const char *q, zx_seq_query *out);

/* The numbers 1 … max_seq that match `sq` (ascending, no duplicates) into out[0 … cap). Returns their
 * count (0: nothing can match), or -1 if there would be more than cap (the caller falls back to the
 * trigram search). */
int zx_seq_query_numbers(const zx_seq_query *sq, int64_t max_seq, int64_t *out, int cap);
#endif
