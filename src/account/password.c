/* password.c — password policy and PBKDF2-HMAC-SM3 hashing (security.md §1.1, ASVS 2.4).
 *
 * Common passwords: a list from a Debian package (john-data's /usr/share/john/password.lst, the
 * Openwall list of the most common passwords; key password_blocklist), loaded once into a sorted
 * array. A password is refused if it, or its "base" — lower-cased, digits and symbols stripped from
 * both ends, leet-speak folded (p@ssw0rd → password) — is on the list, if its base is a keyboard or
 * alphabet run (qwer, asdf, abcd, 1234), or if one character repeats 4 times in a row. */
#include "account/account.h"
#include "core/crypto.h"
#include "core/log.h"
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static pthread_mutex_t g_bl_lock = PTHREAD_MUTEX_INITIALIZER;
static char **g_bl;   /* sorted, lower-case */
static size_t g_nbl;
static bool g_bl_loaded;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int zx_password_blocklist_load(const char *path)
{
    FILE *f = path && *path ? fopen(path, "r") : NULL;
    if (!f) {
        LOG_WARN("password blocklist %s not readable: only pattern checks apply (install john-data)",
                 path && *path ? path : "(none)");
        pthread_mutex_lock(&g_bl_lock);
        g_bl_loaded = true;
        pthread_mutex_unlock(&g_bl_lock);
        return -1;
    }
    size_t cap = 4096, n = 0;
    char **arr = malloc(cap * sizeof *arr), line[256];
    if (!arr) zx_die("out of memory");
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' && line[1] == '!') continue; /* "#!comment:" header lines */
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0]) continue;
        for (char *p = line; *p; p++) *p = (char)tolower((unsigned char)*p);
        if (n == cap) {
            cap *= 2;
            arr = realloc(arr, cap * sizeof *arr);
            if (!arr) zx_die("out of memory");
        }
        arr[n] = strdup(line);
        if (!arr[n]) zx_die("out of memory");
        n++;
    }
    fclose(f);
    qsort(arr, n, sizeof *arr, cmp_str);
    pthread_mutex_lock(&g_bl_lock);
    char **old = g_bl;
    size_t oldn = g_nbl;
    g_bl = arr;
    g_nbl = n;
    g_bl_loaded = true;
    pthread_mutex_unlock(&g_bl_lock);
    for (size_t i = 0; i < oldn; i++) free(old[i]);
    free(old);
    return 0;
}

static bool blocked(const char *lower)
{
    pthread_mutex_lock(&g_bl_lock);
    if (!g_bl_loaded) {
        pthread_mutex_unlock(&g_bl_lock);
        zx_password_blocklist_load("/usr/share/john/password.lst");
        pthread_mutex_lock(&g_bl_lock);
    }
    bool hit = g_nbl && bsearch(&lower, g_bl, g_nbl, sizeof *g_bl, cmp_str) != NULL;
    pthread_mutex_unlock(&g_bl_lock);
    return hit;
}

/* A run of ≥ 4 characters taken in order (or reverse order) from a keyboard row or the alphabet. */
static bool is_run(const char *s)
{
    static const char *rows[] = {"qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz",
                                 "1234567890", "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p"};
    size_t n = strlen(s);
    if (n < 4) return false;
    char rev[64];
    if (n >= sizeof rev) return false;
    for (size_t i = 0; i < n; i++) rev[i] = s[n - 1 - i];
    rev[n] = 0;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strstr(rows[i], s) || strstr(rows[i], rev)) return true;
    return false;
}

static char leet(char c)
{
    switch (c) {
    case '@': case '4': return 'a';
    case '3': return 'e';
    case '1': case '!': return 'i';
    case '0': return 'o';
    case '$': case '5': return 's';
    case '7': return 't';
    default: return c;
    }
}

/* Common or pattern password? Returns a reason or NULL. */
static const char *common_or_pattern(const char *pw)
{
    char lower[160], base[160];
    size_t n = strlen(pw);
    if (n >= sizeof lower) return NULL;
    for (size_t i = 0; i <= n; i++) lower[i] = (char)tolower((unsigned char)pw[i]);
    for (size_t i = 0; i + 3 < n; i++)
        if (lower[i] == lower[i + 1] && lower[i] == lower[i + 2] && lower[i] == lower[i + 3])
            return "密码不能包含同一字符连续 4 次以上";
    if (blocked(lower)) return "密码过于常见，请换一个不易猜到的密码";
    size_t a = 0, b = n;
    while (a < b && !isalpha((unsigned char)lower[a])) a++;
    while (b > a && !isalpha((unsigned char)lower[b - 1])) b--;
    size_t m = 0;
    for (size_t i = a; i < b; i++) base[m++] = leet(lower[i]);
    base[m] = 0;
    if (m >= 4 && blocked(base)) return "密码以常见密码为主体（仅加了数字或符号），请换一个不易猜到的密码";
    if (is_run(base) || (m == 0 && is_run(lower))) return "密码不能是键盘或字母顺序排列的字符";
    return NULL;
}

const char *zx_password_weakness(const char *username, const char *pw)
{
    size_t n = strlen(pw);
    if (n < 8) return "密码至少 8 位";                       /* 等保 L3-CES1-01 */
    if (n > 128) return "密码不能超过 128 位";               /* ASVS 2.1.2 */
    int up = 0, lo = 0, dg = 0, sy = 0;
    for (const unsigned char *p = (const unsigned char *)pw; *p; p++) {
        if (isupper(*p)) up = 1;
        else if (islower(*p)) lo = 1;
        else if (isdigit(*p)) dg = 1;
        else sy = 1;
    }
    if (up + lo + dg + sy < 3) return "密码须包含大写字母、小写字母、数字、符号中的至少三类";
    if (username && *username && strcasestr(pw, username)) return "密码不能包含用户名";
    return common_or_pattern(pw);
}

void zx_password_hash(const char *pw, unsigned iter, char hash_hex[65], char salt_hex[33])
{
    uint8_t salt[16], dk[32];
    zx_random(salt, sizeof salt);
    zx_pbkdf2_sm3(pw, strlen(pw), salt, sizeof salt, iter, dk, sizeof dk);
    zx_hex(dk, sizeof dk, hash_hex);
    zx_hex(salt, sizeof salt, salt_hex);
    zx_wipe(dk, sizeof dk);
}

bool zx_password_verify(const char *pw, const char *hash_hex, const char *salt_hex, unsigned iter)
{
    uint8_t salt[64], want[32], got[32];
    int sl = zx_unhex(salt_hex, salt, sizeof salt);
    if (sl <= 0 || zx_unhex(hash_hex, want, sizeof want) != 32) return false;
    zx_pbkdf2_sm3(pw, strlen(pw), salt, (size_t)sl, iter, got, sizeof got);
    bool ok = zx_ct_equal(got, want, sizeof got);
    zx_wipe(got, sizeof got);
    return ok;
}

void zx_password_generate(char out[17])
{
    static const char up[] = "ABCDEFGHJKLMNPQRSTUVWXYZ", lo[] = "abcdefghijkmnopqrstuvwxyz",
                      dg[] = "23456789", sy[] = "#%+-=@";
    uint8_t r[16];
    zx_random(r, sizeof r);
    for (int i = 0; i < 16; i++) {
        const char *set = i % 4 == 0 ? up : i % 4 == 1 ? lo : i % 4 == 2 ? dg : (i == 7 || i == 15) ? sy : lo;
        size_t n = strlen(set);
        out[i] = set[r[i] % n];
    }
    out[16] = 0;
    zx_wipe(r, sizeof r);
}
