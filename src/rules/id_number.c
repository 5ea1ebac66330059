/* id_number.c — GB 11643-1999 citizen identity numbers. */
#include "rules/id_number.h"

#include <string.h>

/* GB 11643-1999 §8.2 (ISO 7064 MOD 11-2): weights of positions 1–17 and the check character per
 * remainder of Σ mod 11. */
static const int idno_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 }; /* GB 11643 §8.2 */
static const char idno_check_map[11] = { '1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2' }; /* GB 11643 §8.2 */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

char zx_idno_check_char(const char *first17)
{
    if (!first17 || strnlen(first17, 17) < 17 || !all_digits(first17, 17)) return '\0';
    int sum = 0;
    for (int i = 0; i < 17; i++) sum += (first17[i] - '0') * idno_weights[i];
    return idno_check_map[sum % 11];
}

bool zx_idno_shaped(const char *s, size_t len)
{
    if (!s || len != 18) return false;
    for (int i = 0; i < 17; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    if (!((s[17] >= '0' && s[17] <= '9') || s[17] == 'X' || s[17] == 'x')) return false; /* GB 11643 §5.4 */
    if (s[0] >= '1' && s[0] <= '8') return true; /* GB/T 2260: region codes 11–82 */
    int y = num(s + 6, 4), m = num(s + 10, 2), d = num(s + 12, 2);
    return y >= 1900 && y <= 2099 && zx_date_valid_ymd(y, m, d); /* GB 11643 §5.2: birth date */
}

enum zx_idno_status zx_idno_check(const char *s, zx_date today, zx_idno_info *out)
{
    if (!s) return ZX_IDNO_BAD_FORMAT;
    size_t n = strlen(s);
    char id[19];
    int y, m, d;
    if (n == 18) {
        if (!all_digits(s, 17)) return ZX_IDNO_BAD_FORMAT;
        char c = s[17] == 'x' ? 'X' : s[17];
        if (!((c >= '0' && c <= '9') || c == 'X')) return ZX_IDNO_BAD_FORMAT;
        memcpy(id, s, 17);
        id[17] = c;
        id[18] = '\0';
        y = num(id + 6, 4);
        m = num(id + 10, 2);
        d = num(id + 12, 2);
    } else if (n == 15) {
        if (!all_digits(s, 15)) return ZX_IDNO_BAD_FORMAT;
        memcpy(id, s, 16);
        y = 1900 + num(id + 6, 2); /* GB 11643-1999 replaced 15-digit numbers issued with 19YY dates */
        m = num(id + 8, 2);
        d = num(id + 10, 2);
    } else {
        return ZX_IDNO_BAD_FORMAT;
    }
    if (!zx_date_valid_ymd(y, m, d)) return ZX_IDNO_BAD_DATE;
    zx_date birth = zx_date_from_ymd(y, m, d);
    if (birth > today) return ZX_IDNO_FUTURE_DATE;
    if (n == 18 && zx_idno_check_char(id) != id[17]) return ZX_IDNO_BAD_CHECK;
    if (out) {
        memset(out, 0, sizeof *out);
        memcpy(out->id, id, n + 1);
        memcpy(out->region, id, 6);
        out->birth = birth;
        int seq_last = n == 18 ? id[16] - '0' : id[14] - '0';
        out->sex = seq_last % 2 ? ZX_SEX_MALE : ZX_SEX_FEMALE; /* GB 11643 §5.3: odd male, even female */
    }
    return n == 18 ? ZX_IDNO_OK : ZX_IDNO_LEGACY15;
}

bool zx_idno_valid(const char *s, zx_date today) { return zx_idno_check(s, today, NULL) == ZX_IDNO_OK; }

int zx_idno_age(zx_date birth, zx_date at)
{
    int by, bm, bd, ay, am, ad;
    zx_date_to_ymd(birth, &by, &bm, &bd);
    zx_date_to_ymd(at, &ay, &am, &ad);
    int age = ay - by;
    if (am < bm || (am == bm && ad < bd)) age--;
    return age < 0 ? 0 : age;
}

void zx_idno_mask(const char *id, char *out, size_t outlen)
{
    if (!out || outlen == 0) return;
    size_t n = id ? strlen(id) : 0;
    if (outlen < n + 1) n = outlen - 1;
    size_t keep_head = n == 18 ? 10 : 6, keep_tail = 4; /* ARCHITECTURE decision 7 */
    for (size_t i = 0; i < n; i++) {
        bool show = n > keep_head + keep_tail && (i < keep_head || i >= n - keep_tail);
        out[i] = show ? id[i] : '*';
    }
    out[n] = '\0';
}

int zx_idno_make(const char *region6, zx_date birth, int seq, char out[19])
{
    if (!region6 || strlen(region6) != 6 || !all_digits(region6, 6) || seq < 0 || seq > 999) return -1;
    int y, m, d;
    zx_date_to_ymd(birth, &y, &m, &d);
    if (!zx_date_valid_ymd(y, m, d)) return -1;
    memcpy(out, region6, 6);
    out[6] = (char)('0' + y / 1000);
    out[7] = (char)('0' + y / 100 % 10);
    out[8] = (char)('0' + y / 10 % 10);
    out[9] = (char)('0' + y % 10);
    out[10] = (char)('0' + m / 10);
    out[11] = (char)('0' + m % 10);
    out[12] = (char)('0' + d / 10);
    out[13] = (char)('0' + d % 10);
    out[14] = (char)('0' + seq / 100);
    out[15] = (char)('0' + seq / 10 % 10);
    out[16] = (char)('0' + seq % 10);
    out[17] = '\0';
    out[17] = zx_idno_check_char(out);
    out[18] = '\0';
    return 0;
}

const char *zx_idno_status_message(enum zx_idno_status st)
{
    switch (st) {
    case ZX_IDNO_OK: return "身份证号码有效";
    case ZX_IDNO_LEGACY15: return "15位旧身份证号码，无校验码，请使用18位号码";
    case ZX_IDNO_BAD_FORMAT: return "身份证号码应为18位：17位数字加校验码（数字或X）";
    case ZX_IDNO_BAD_DATE: return "身份证号码中的出生日期不存在";
    case ZX_IDNO_FUTURE_DATE: return "身份证号码中的出生日期晚于今天";
    case ZX_IDNO_BAD_CHECK: return "身份证号码校验码错误";
    }
    return "身份证号码无效";
}
