/* id_number.h — 居民身份证号码 per GB 11643-1999 (rules.md §12).
 *
 * 18 characters: 6-digit address code (GB/T 2260) + birth date YYYYMMDD + 3-digit sequence (odd =
 * male, even = female) + a check character (ISO 7064 MOD 11-2). Legacy 15-digit numbers (YYMMDD, no
 * check character, 19YY) are recognised as legacy. Pure functions: "today" is passed in. */
#ifndef ZX_RULES_ID_NUMBER_H
#define ZX_RULES_ID_NUMBER_H
#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"

enum zx_idno_status {
    ZX_IDNO_OK = 0,            /* valid 18-digit number */
    ZX_IDNO_LEGACY15 = 1,      /* well-formed 15-digit legacy number (no check character) */
    ZX_IDNO_BAD_FORMAT = -1,   /* wrong length or characters */
    ZX_IDNO_BAD_DATE = -2,     /* birth date is not a real date (e.g. 0230) */
    ZX_IDNO_FUTURE_DATE = -3,  /* birth date after today */
    ZX_IDNO_BAD_CHECK = -4,    /* check character does not match (GB 11643 §6, MOD 11-2) */
};

enum zx_sex { ZX_SEX_UNKNOWN = 0, ZX_SEX_MALE = 1, ZX_SEX_FEMALE = 2 };

typedef struct zx_idno_info {
    char id[19];        /* normalised: lowercase x → X (15 digits for legacy) */
    char region[7];     /* address code */
    zx_date birth;
    enum zx_sex sex;    /* GB 11643 §5.3: sequence odd = male, even = female */
} zx_idno_info;

/* Validate s against `today` (birth must be ≤ today). out may be NULL; filled for OK and LEGACY15. */
enum zx_idno_status zx_idno_check(const char *s, zx_date today, zx_idno_info *out);
/* Shaped like a 居民身份证号码 whether or not it is valid: 18 characters, 17 digits then a digit or
 * X, and either the first digit 1–8 (GB/T 2260 region codes: 1 华北 … 6 西北, 7 台湾, 8 港澳) or
 * characters 7–14 a real date in 1900–2099 (so a typo in the first digit is caught too). Such a value
 * that fails zx_idno_check is a mistyped ID number, never a 统一社会信用代码 by accident (a one-digit
 * typo passes the GB 32100 check 1 time in 31): it is a unit code only where the caller says so
 * explicitly (issue 10 item 4). */
bool zx_idno_shaped(const char *s, size_t len);
/* True only for a valid 18-digit number. */
bool zx_idno_valid(const char *s, zx_date today);
/* The check character for the first 17 digits ('\0' if they are not 17 digits). */
char zx_idno_check_char(const char *first17);
/* Completed years of age at date `at` (birthday reached on its anniversary; 29 Feb → 1 Mar). */
int zx_idno_age(zx_date birth, zx_date at);
/* Display mask (ARCHITECTURE decision 7): 18 chars → first 10 + "****" + last 4; other lengths
 * → first 6 + '*'… + last 4 (all '*' if ≤ 10 chars). out must hold strlen(id)+1 (≥ 19 for 18). */
void zx_idno_mask(const char *id, char *out, size_t outlen);
/* Build a valid number from a 6-digit region code, birth date and a sequence 0–999 (tests/demo).
 * Returns 0, or -1 on a bad region/date/sequence. out[19]. */
int zx_idno_make(const char *region6, zx_date birth, int seq, char out[19]);
/* Chinese message for a status (for API errors). */
const char *zx_idno_status_message(enum zx_idno_status st);
#endif
