/* credit_code.c — GB 32100-2015 unified social credit codes. */
#include "rules/credit_code.h"

#include <string.h>

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY"; /* GB 32100-2015 §4.2: 31 chars */
static const int uscc_weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 }; /* GB 32100 §5: 3^(i-1) mod 31 */

static int uscc_value(char c)
{
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    const char *p = c ? strchr(uscc_alphabet, c) : NULL;
    return p ? (int)(p - uscc_alphabet) : -1;
}

char zx_uscc_check_char(const char *first17)
{
    if (!first17) return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++) {
        int v = uscc_value(first17[i]);
        if (v < 0) return '\0';
        sum += v * uscc_weights[i];
    }
    return uscc_alphabet[(31 - sum % 31) % 31]; /* GB 32100 §5: C18 = 31 − (Σ mod 31), 31 → 0 */
}

enum zx_uscc_status zx_uscc_check(const char *s, char norm[19])
{
    if (!s || strlen(s) != 18) return ZX_USCC_BAD_FORMAT;
    char up[19];
    for (int i = 0; i < 18; i++) {
        int v = uscc_value(s[i]);
        if (v < 0) return ZX_USCC_BAD_FORMAT;
        up[i] = uscc_alphabet[v];
    }
    up[18] = '\0';
    if (zx_uscc_check_char(up) != up[17]) return ZX_USCC_BAD_CHECK;
    if (norm) memcpy(norm, up, 19);
    return ZX_USCC_OK;
}

bool zx_uscc_valid(const char *s) { return zx_uscc_check(s, NULL) == ZX_USCC_OK; }

const char *zx_uscc_authority_name(char pos1)
{
    switch (pos1) { /* GB 32100-2015 附录 / 登记管理部门代码 (rules.md §12, ◐/❓ beyond 1, 5, 9) */
    case '1': return "机构编制";
    case '2': return "外交";
    case '3': return "司法行政";
    case '4': return "文化";
    case '5': return "民政";
    case '6': return "旅游";
    case '7': return "宗教";
    case '8': return "工会";
    case '9': return "市场监督管理";
    case 'A': return "中央军委改革和编制办公室";
    case 'N': return "农业";
    case 'Y': return "其他";
    default: return NULL;
    }
}

int zx_uscc_make(char authority, char category, const char *region6, long seq, char out[19])
{
    if (uscc_value(authority) < 0 || uscc_value(category) < 0 || !region6 || strlen(region6) != 6 ||
        seq < 0 || seq > 99999999L)
        return -1;
    for (int i = 0; i < 6; i++)
        if (region6[i] < '0' || region6[i] > '9') return -1;
    out[0] = uscc_alphabet[uscc_value(authority)];
    out[1] = uscc_alphabet[uscc_value(category)];
    memcpy(out + 2, region6, 6);
    /* 主体标识码 = 组织机构代码 (GB 11714-1997): 8 body digits + check, weights 3 7 9 10 5 8 4 2,
     * C9 = 11 − (Σ mod 11), 10 → 'X', 11 → '0' (rules.md §12 ❓; only used to make plausible codes). */
    static const int org_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 }; /* GB 11714-1997 */
    long v = seq;
    int sum = 0;
    for (int i = 7; i >= 0; i--) {
        int digit = (int)(v % 10);
        v /= 10;
        out[8 + i] = (char)('0' + digit);
        sum += digit * org_weights[i];
    }
    int c9 = 11 - sum % 11;
    out[16] = c9 == 10 ? 'X' : c9 == 11 ? '0' : (char)('0' + c9);
    out[17] = '\0';
    out[17] = zx_uscc_check_char(out);
    out[18] = '\0';
    return 0;
}

const char *zx_uscc_status_message(enum zx_uscc_status st)
{
    switch (st) {
    case ZX_USCC_OK: return "统一社会信用代码有效";
    case ZX_USCC_BAD_FORMAT: return "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）";
    case ZX_USCC_BAD_CHECK: return "统一社会信用代码校验码错误";
    }
    return "统一社会信用代码无效";
}
