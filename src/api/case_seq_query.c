/* case_seq_query.c — see case_seq_query.h. */
#include "api/case_seq_query.h"

#include <stdlib.h>
#include <string.h>

#include "rules/case_no.h"

#define HAO "\xE5\x8F\xB7" /* 号 */

static bool ends_with(const char *s, size_t n, const char *suf)
{
    size_t l = strlen(suf);
    return l <= n && !memcmp(s + n - l, suf, l);
}

/* A piece of a 法院代字 as typed before the type: digits and CJK characters, no brackets, no 号. */
static bool court_piece(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof ((zx_seq_query *)0)->court_suffix) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 && !(c >= '0' && c <= '9')) return false;
    }
    char t[32];
    memcpy(t, s, n);
    t[n] = 0;
    return !strstr(t, "\xEF\xBC\x88") && !strstr(t, "\xEF\xBC\x89") && !strstr(t, HAO); /* （ ） 号 */
}

bool zx_seq_query_parse(const char *q, zx_seq_query *out)
{
    memset(out, 0, sizeof *out);
    size_t n = strlen(q);
    bool hao = ends_with(q, n, HAO);
    if (hao) n -= strlen(HAO);
    size_t d = n;
    while (d > 0 && q[d - 1] >= '0' && q[d - 1] <= '9') d--;
    size_t nd = n - d;
    if (nd == 0 || nd > 18) return false;
    memcpy(out->digits, q + d, nd);
    out->digits[nd] = 0;
    if (d == 0) {
        out->mode = hao ? ZX_SEQ_SUFFIX : ZX_SEQ_CONTAINS;
        return true;
    }
    out->mode = hao ? ZX_SEQ_EXACT : ZX_SEQ_PREFIX;
    /* the text before the digits is the end of a type code (执, 恢 → 执恢) … */
    for (size_t i = 0; i < zx_case_types_count && out->ntypes < 8; i++) {
        const char *k = zx_case_types[i].code;
        size_t kl = strlen(k);
        if (d <= kl && !memcmp(k + kl - d, q, d)) out->types[out->ntypes++] = k;
    }
    if (out->ntypes) return true;
    /* … or the end of a court code followed by a whole type code */
    for (size_t i = 0; i < zx_case_types_count; i++) {
        const char *k = zx_case_types[i].code;
        if (!ends_with(q, d, k)) continue;
        size_t cl = d - strlen(k);
        if (!court_piece(q, cl)) return false;
        memcpy(out->court_suffix, q, cl);
        out->court_suffix[cl] = 0;
        out->types[0] = k;
        out->ntypes = 1;
        return true;
    }
    return false;
}

static int cmp64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int zx_seq_query_numbers(const zx_seq_query *sq, int64_t max_seq, int64_t *out, int cap)
{
    int L = (int)strlen(sq->digits), maxlen = 0, n = 0;
    if (L == 0 || max_seq < 1) return 0;
    for (int64_t m = max_seq; m > 0; m /= 10) maxlen++;
    if (maxlen > 18) maxlen = 18;
    int64_t dv = strtoll(sq->digits, NULL, 10), p10[19] = { 1 };
    for (int i = 1; i < 19; i++) p10[i] = p10[i - 1] * 10;
    for (int t = L; t <= maxlen; t++) {
        int f = t - L;
        int k0 = 0, k1 = f; /* digits before the typed ones: k0 … k1 */
        if (sq->mode == ZX_SEQ_PREFIX) k1 = 0;
        else if (sq->mode == ZX_SEQ_SUFFIX) k0 = f;
        else if (sq->mode == ZX_SEQ_EXACT) { if (f) break; k1 = 0; }
        for (int k = k0; k <= k1; k++) {
            if (k == 0 && sq->digits[0] == '0') continue; /* no leading zeros (since 2016) */
            int s = f - k;
            int64_t a0 = k ? p10[k - 1] : 0, a1 = k ? p10[k] : 1;
            for (int64_t a = a0; a < a1; a++) {
                int64_t base = a * p10[L + s] + dv * p10[s];
                if (base > max_seq) break;
                for (int64_t b = 0; b < p10[s]; b++) {
                    int64_t v = base + b;
                    if (v > max_seq) break;
                    if (v < 1) continue;
                    if (n >= cap) return -1;
                    out[n++] = v;
                }
            }
        }
    }
    qsort(out, (size_t)n, sizeof *out, cmp64);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!m || out[m - 1] != out[i]) out[m++] = out[i];
    return m;
}
