/* money.c — yuan strings ↔ int64 fen, checked arithmetic. */
#include "core/money.h"

#include <string.h>

int zx_money_parse(const char *s, unsigned flags, int64_t *fen)
{
    if (!s || !*s) return -1;
    bool neg = false;
    if (*s == '-') {
        if (!(flags & ZX_MONEY_ALLOW_NEGATIVE)) return -1;
        neg = true;
        s++;
    }
    /* Integer part: first group 1–3 digits if separators are used, then ",ddd" groups. */
    uint64_t yuan = 0;
    int digits = 0, group = 0;
    bool grouped = false;
    const char *p = s;
    if (*p < '0' || *p > '9') return -1;
    if (*p == '0' && ((p[1] >= '0' && p[1] <= '9') || p[1] == ',')) return -1; /* leading zero */
    for (; *p && *p != '.'; p++) {
        if (*p == ',') {
            if (flags & ZX_MONEY_NO_GROUPING) return -1;
            /* the group before a separator: 1–3 digits if first, exactly 3 otherwise */
            if (group == 0 || group > 3 || (grouped && group != 3)) return -1;
            grouped = true;
            group = 0;
            continue;
        }
        if (*p < '0' || *p > '9') return -1;
        if (yuan > (UINT64_MAX - 9) / 10) return -1;
        yuan = yuan * 10 + (uint64_t)(*p - '0');
        digits++;
        group++;
    }
    if (digits == 0 || (grouped && group != 3)) return -1;
    uint64_t cents = 0;
    if (*p == '.') {
        p++;
        int nd = 0;
        for (; *p; p++, nd++) {
            if (*p < '0' || *p > '9' || nd >= 2) return -1;
            cents = cents * 10 + (uint64_t)(*p - '0');
        }
        if (nd == 0) return -1; /* "5." */
        if (nd == 1) cents *= 10;
    }
    /* fits in int64 fen (negative side allows one more, but we keep the range symmetric) */
    if (yuan > (uint64_t)INT64_MAX / 100) return -1;
    uint64_t total = yuan * 100 + cents;
    if (total > (uint64_t)INT64_MAX) return -1;
    if (fen) *fen = neg ? -(int64_t)total : (int64_t)total;
    return 0;
}

static char *format(int64_t fen, char *buf, bool grouping)
{
    uint64_t mag = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    uint64_t yuan = mag / 100;
    unsigned cents = (unsigned)(mag % 100);
    char tmp[ZX_MONEY_BUF];
    int n = 0, k = 0;
    do {
        if (grouping && k > 0 && k % 3 == 0) tmp[n++] = ',';
        tmp[n++] = (char)('0' + yuan % 10);
        yuan /= 10;
        k++;
    } while (yuan);
    char *o = buf;
    if (fen < 0) *o++ = '-';
    while (n) *o++ = tmp[--n];
    *o++ = '.';
    *o++ = (char)('0' + cents / 10);
    *o++ = (char)('0' + cents % 10);
    *o = '\0';
    return buf;
}

char *zx_money_format(int64_t fen, char *buf) { return format(fen, buf, true); }
char *zx_money_format_plain(int64_t fen, char *buf) { return format(fen, buf, false); }

bool zx_money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_add_overflow(a, b, &r)) return false;
    *out = r;
    return true;
}

bool zx_money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) return false;
    *out = r;
    return true;
}

bool zx_money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) return false;
    *out = r;
    return true;
}

bool zx_money_muldiv_round(int64_t a, int64_t num, int64_t den, int64_t *out)
{
    if (den <= 0) return false;
    __int128 p = (__int128)a * num; /* |a·num| < 2^126: cannot overflow */
    bool neg = p < 0;
    if (neg) p = -p;
    __int128 q = (p + den / 2) / den; /* half up on the magnitude */
    if (q > INT64_MAX) return false;
    *out = neg ? -(int64_t)q : (int64_t)q;
    return true;
}
