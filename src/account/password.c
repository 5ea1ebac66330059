/* password.c — password policy and PBKDF2-HMAC-SM3 hashing (security.md §1.1, ASVS 2.4). */
#include "account/account.h"
#include "core/crypto.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

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
    return NULL;
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
