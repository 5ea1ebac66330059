/* test_subject_id.c — issue 10 item 4: a mistyped 居民身份证号码 never becomes a 统一社会信用代码.
 * GB 11643-1999 §8.2 (MOD 11-2 detects every single-character substitution), GB 32100-2015 §5
 * (MOD 31: a random 18-character value passes 1 time in 31), GB/T 2260 (region codes start 1–8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "credit/entry.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* Every one-character typo of 3,000 valid ID numbers is invalid — none is answered as a unit (before
 * the fix about 3% were, because they pass GB 32100's check) and none as a person. */
static void test_typos_never_valid(void **st)
{
    (void)st;
    zx_date today = D("2026-12-01");
    static const char *regions[] = {"110105", "210102", "210103", "211103", "440305", "510104", "650102", "820000"};
    static const char alphabet[] = "0123456789X";
    long typos = 0, would_be_unit = 0;
    for (int i = 0; i < 3000; i++) {
        char id[19], t[19], out[19];
        zx_date birth = D("1950-01-01") + (i * 7919) % 25000;
        assert_int_equal(zx_idno_make(regions[i % 8], birth, (i * 37) % 1000, id), 0);
        assert_int_equal(zx_credit_id_normalise(id, 18, today, out), ZX_IDK_PERSON);
        for (int pos = 0; pos < 18; pos++) {
            for (int k = 0; k < 11; k++) {
                char c = alphabet[k];
                if (c == id[pos] || (c == 'X' && pos != 17)) continue;
                memcpy(t, id, 19);
                t[pos] = c;
                typos++;
                if (zx_uscc_check(t, NULL) == ZX_USCC_OK) would_be_unit++;
                enum zx_id_kind kind = zx_credit_id_normalise(t, 18, today, out);
                if (kind != ZX_IDK_INVALID) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "typo %s of %s answered kind %d", t, id, kind);
                    fail_msg("%s", msg);
                }
            }
        }
    }
    assert_true(typos > 400000);
    assert_true(would_be_unit > typos / 60); /* the hole was real: ~1/31 pass GB 32100 */
}

/* GB 11643: a birth date after today is invalid, and such a value is not a credit code either. */
static void test_future_birth(void **st)
{
    (void)st;
    zx_date today = D("2026-12-01");
    char id[19], out[19];
    assert_int_equal(zx_idno_make("210102", D("2027-03-04"), 123, id), 0);
    assert_int_equal(zx_credit_id_normalise(id, 18, today, out), ZX_IDK_INVALID);
    assert_int_equal(zx_credit_id_normalise_kind(id, 18, ZX_IDK_PERSON, today, out), ZX_IDK_INVALID);
    assert_int_equal(zx_idno_check(id, today, NULL), ZX_IDNO_FUTURE_DATE);
}

/* Explicit kinds: unit accepts an all-digit credit code that looks like an ID number; person refuses
 * every credit code; letters make a credit code unambiguous without a kind. */
static void test_explicit_kind(void **st)
{
    (void)st;
    zx_date today = D("2026-12-01");
    char code[19], out[19];
    int found = 0;
    for (long seq = 0; seq < 100000 && !found; seq++) { /* an all-digit code starting with 1 (机构编制) */
        assert_int_equal(zx_uscc_make('1', '1', "210102", seq, code), 0);
        if (zx_idno_shaped(code, 18) && zx_idno_check(code, today, NULL) != ZX_IDNO_OK) found = 1;
    }
    assert_true(found);
    assert_int_equal(zx_credit_id_normalise(code, 18, today, out), ZX_IDK_INVALID);
    assert_int_equal(zx_credit_id_normalise_kind(code, 18, ZX_IDK_UNIT, today, out), ZX_IDK_UNIT);
    assert_int_equal(zx_credit_id_normalise_kind(code, 18, ZX_IDK_PERSON, today, out), ZX_IDK_INVALID);
    /* enterprises (authority 9) are never ID-shaped: no kind needed */
    assert_int_equal(zx_uscc_make('9', '1', "210102", 4567001, code), 0);
    assert_false(zx_idno_shaped(code, 18));
    assert_int_equal(zx_credit_id_normalise(code, 18, today, out), ZX_IDK_UNIT);
    assert_int_equal(zx_credit_id_normalise("91350100M000100Y43", 18, today, out), ZX_IDK_UNIT);
    assert_int_equal(zx_credit_id_normalise_kind("91350100M000100Y43", 18, ZX_IDK_PERSON, today, out), ZX_IDK_INVALID);
    assert_int_equal(zx_credit_id_normalise_kind("11010519491231002X", 18, ZX_IDK_UNIT, today, out), ZX_IDK_INVALID);
    assert_int_equal(zx_credit_id_normalise_kind("11010519491231002X", 18, ZX_IDK_PERSON, today, out), ZX_IDK_PERSON);
    assert_int_equal(zx_credit_kind_parse("unit", 4), ZX_IDK_UNIT);
    assert_int_equal(zx_credit_kind_parse("person", 6), ZX_IDK_PERSON);
    assert_int_equal(zx_credit_kind_parse("Person", 6), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typos_never_valid),
        cmocka_unit_test(test_future_birth),
        cmocka_unit_test(test_explicit_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
