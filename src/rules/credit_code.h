/* credit_code.h — 统一社会信用代码 per GB 32100-2015 (rules.md §12).
 *
 * 18 characters from 0123456789ABCDEFGHJKLMNPQRTUWXY (I O Z S V unused; value = index):
 * pos 1 登记管理部门, pos 2 机构类别, pos 3–8 行政区划码, pos 9–17 主体标识码 (组织机构代码), pos 18
 * check character. Unknown pos-1/pos-2 codes are not rejected (the code lists change). */
#ifndef ZX_RULES_CREDIT_CODE_H
#define ZX_RULES_CREDIT_CODE_H
#include <stdbool.h>

enum zx_uscc_status {
    ZX_USCC_OK = 0,
    ZX_USCC_BAD_FORMAT = -1, /* not 18 characters of the code alphabet */
    ZX_USCC_BAD_CHECK = -2,  /* check character does not match */
};

/* Validate; lowercase letters are accepted and normalised to uppercase in norm[19] (may be NULL). */
enum zx_uscc_status zx_uscc_check(const char *s, char norm[19]);
bool zx_uscc_valid(const char *s);
/* Check character for 17 code characters (uppercase), or '\0' if any is outside the alphabet. */
char zx_uscc_check_char(const char *first17);
/* Name of the registering authority for position 1 (e.g. '9' → "市场监督管理"), NULL if unlisted. */
const char *zx_uscc_authority_name(char pos1);
/* Build a valid code (tests/demo): authority + category chars, 6-digit region, and a sequence
 * 0…99,999,999 that becomes an 8-digit organisation body plus its GB 11714 check character.
 * Returns 0 or -1. out[19]. */
int zx_uscc_make(char authority, char category, const char *region6, long seq, char out[19]);
const char *zx_uscc_status_message(enum zx_uscc_status st);
#endif
