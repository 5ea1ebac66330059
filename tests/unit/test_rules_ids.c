/* test_rules_ids.c — identity numbers (GB 11643-1999), 统一社会信用代码 (GB 32100-2015), 案号
 * (案号规定 / 类型代字标准 法〔2015〕137号). rules.md §11–12. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "rules/case_no.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* GB 11643-1999 §8.2: the standard's own examples and the MOD 11-2 map. */
static void test_idno_valid_examples(void **st)
{
    zx_idno_info info;
    zx_date today = D("2025-06-01");
    assert_int_equal(zx_idno_check("11010519491231002X", today, &info), ZX_IDNO_OK);
    assert_string_equal(info.id, "11010519491231002X");
    assert_string_equal(info.region, "110105");
    assert_int_equal(info.birth, D("1949-12-31"));
    assert_int_equal(info.sex, ZX_SEX_FEMALE); /* GB 11643 §5.3: sequence 002 even → female */
    assert_int_equal(zx_idno_check("440524188001010014", today, &info), ZX_IDNO_BAD_DATE); /* 1880 < 1900 range */
    assert_int_equal(zx_idno_check_char("44052418800101001"), '4');
    /* lowercase x accepted and normalised */
    assert_int_equal(zx_idno_check("11010519491231002x", today, &info), ZX_IDNO_OK);
    assert_string_equal(info.id, "11010519491231002X");
    assert_true(zx_idno_valid("11010519491231002x", today));
}

static void test_idno_invalid(void **st)
{
    zx_date today = D("2025-06-01");
    char id[19];
    /* wrong check digit (GB 11643 §8.2) */
    assert_int_equal(zx_idno_check("110105194912310021", today, NULL), ZX_IDNO_BAD_CHECK);
    /* 2月30日 is not a date (GB/T 7408 via GB 11643 §5.2) — even with a "correct" check char */
    memcpy(id, "21010219900230123", 17);
    id[17] = zx_idno_check_char(id);
    id[18] = '\0';
    assert_int_equal(zx_idno_check(id, today, NULL), ZX_IDNO_BAD_DATE);
    /* 2023-02-29 not a date; 2024-02-29 is */
    memcpy(id, "21010220230229123", 17);
    id[17] = zx_idno_check_char(id);
    assert_int_equal(zx_idno_check(id, today, NULL), ZX_IDNO_BAD_DATE);
    assert_int_equal(zx_idno_make("210102", D("2024-02-29"), 123, id), 0);
    assert_int_equal(zx_idno_check(id, today, NULL), ZX_IDNO_OK);
    /* future birth date (rules.md §12: real date ≤ today) */
    assert_int_equal(zx_idno_make("210102", D("2025-06-02"), 123, id), 0);
    assert_int_equal(zx_idno_check(id, today, NULL), ZX_IDNO_FUTURE_DATE);
    assert_int_equal(zx_idno_check(id, D("2025-06-02"), NULL), ZX_IDNO_OK); /* born today is fine */
    /* format */
    assert_int_equal(zx_idno_check("11010519491231002", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check("11010519491231002XX", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check("1101051949123100X2", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check("11010519491231002Y", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check("", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check(NULL, today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_int_equal(zx_idno_check(" 11010519491231002X", today, NULL), ZX_IDNO_BAD_FORMAT);
    assert_false(zx_idno_valid("110105194912310021", today));
}

/* Legacy 15-digit numbers: YYMMDD (19YY), no check character. */
static void test_idno_legacy15(void **st)
{
    zx_idno_info info;
    zx_date today = D("2025-06-01");
    assert_int_equal(zx_idno_check("110105491231002", today, &info), ZX_IDNO_LEGACY15);
    assert_int_equal(info.birth, D("1949-12-31"));
    assert_int_equal(info.sex, ZX_SEX_FEMALE);
    assert_int_equal(zx_idno_check("110105490231002", today, NULL), ZX_IDNO_BAD_DATE);
    assert_false(zx_idno_valid("110105491231002", today));
}

/* GB 11643 §5.3: odd sequence male; age in completed years. */
static void test_idno_sex_age(void **st)
{
    char id[19];
    zx_idno_info info;
    assert_int_equal(zx_idno_make("330106", D("1990-07-15"), 131, id), 0);
    assert_int_equal(zx_idno_check(id, D("2025-01-01"), &info), ZX_IDNO_OK);
    assert_int_equal(info.sex, ZX_SEX_MALE);
    assert_int_equal(zx_idno_age(info.birth, D("2025-07-14")), 34);
    assert_int_equal(zx_idno_age(info.birth, D("2025-07-15")), 35);
    assert_int_equal(zx_idno_age(D("2000-02-29"), D("2018-02-28")), 17);
    assert_int_equal(zx_idno_age(D("2000-02-29"), D("2018-03-01")), 18);
    assert_int_equal(zx_idno_age(D("2000-02-29"), D("2020-02-29")), 20);
    assert_int_equal(zx_idno_age(D("2010-01-01"), D("2009-01-01")), 0);
    /* generator round-trips for many sequences (demo data relies on it) */
    for (int seq = 0; seq <= 999; seq += 37) {
        assert_int_equal(zx_idno_make("210102", D("1985-11-30"), seq, id), 0);
        assert_int_equal(zx_idno_check(id, D("2025-01-01"), &info), ZX_IDNO_OK);
        assert_int_equal(info.sex, seq % 2 ? ZX_SEX_MALE : ZX_SEX_FEMALE);
    }
    assert_int_equal(zx_idno_make("21010", D("1985-11-30"), 1, id), -1);
    assert_int_equal(zx_idno_make("210102", D("1985-11-30"), 1000, id), -1);
}

/* ARCHITECTURE decision 7: first 10 + **** + last 4. */
static void test_idno_mask(void **st)
{
    char out[32];
    zx_idno_mask("11010519491231002X", out, sizeof out);
    assert_string_equal(out, "1101051949****002X");
    zx_idno_mask("110105491231002", out, sizeof out);
    assert_string_equal(out, "110105*****1002");
    zx_idno_mask("12345", out, sizeof out);
    assert_string_equal(out, "*****");
}

/* GB 32100-2015 §5: weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, C18 = (31 − Σ mod 31) mod 31. */
static void test_uscc(void **st)
{
    char norm[19], code[19];
    assert_int_equal(zx_uscc_check("91350100M000100Y43", norm), ZX_USCC_OK);
    assert_string_equal(norm, "91350100M000100Y43");
    assert_int_equal(zx_uscc_check_char("91350100M000100Y4"), '3');
    assert_int_equal(zx_uscc_check("91350100m000100y43", norm), ZX_USCC_OK); /* lowercase normalised */
    assert_string_equal(norm, "91350100M000100Y43");
    assert_int_equal(zx_uscc_check("91350100M000100Y44", NULL), ZX_USCC_BAD_CHECK);
    assert_int_equal(zx_uscc_check("91350100M000100Y4", NULL), ZX_USCC_BAD_FORMAT);
    assert_int_equal(zx_uscc_check("91350100M000100Y4I", NULL), ZX_USCC_BAD_FORMAT); /* I not in alphabet */
    assert_int_equal(zx_uscc_check("91350100O000100Y43", NULL), ZX_USCC_BAD_FORMAT); /* O not in alphabet */
    assert_int_equal(zx_uscc_check(NULL, NULL), ZX_USCC_BAD_FORMAT);
    /* an unknown position-1 code is not rejected when the checksum holds */
    assert_null(zx_uscc_authority_name('B'));
    assert_int_equal(zx_uscc_make('B', '1', "110000", 12345678, code), 0);
    assert_true(zx_uscc_valid(code));
    assert_string_equal(zx_uscc_authority_name('9'), "市场监督管理");
    /* generator round-trips */
    for (long seq = 0; seq < 100000000L; seq += 7654321L) {
        assert_int_equal(zx_uscc_make('9', '1', "210102", seq, code), 0);
        assert_int_equal(strlen(code), 18);
        assert_int_equal(zx_uscc_check(code, NULL), ZX_USCC_OK);
    }
    assert_int_equal(zx_uscc_make('9', '1', "21010", 1, code), -1);
    assert_int_equal(zx_uscc_make('I', '1', "210102", 1, code), -1);
}

/* 案号规定 (法〔2015〕137号) arts 4–5 and the 2016 format: （年）法院代字类型代字编号号. */
static void test_case_no_round_trip(void **st)
{
    zx_case_no cn;
    char buf[ZX_CASE_NO_MAX];
    assert_int_equal(zx_case_no_parse("（2024）辽0102执123号", &cn), 0);
    assert_int_equal(cn.year, 2024);
    assert_string_equal(cn.court_code, "辽0102");
    assert_string_equal(cn.type_code, "执");
    assert_int_equal(cn.seq, 123);
    assert_true(zx_case_no_format(&cn, buf, sizeof buf) > 0);
    assert_string_equal(buf, "（2024）辽0102执123号");
    /* half-width brackets parse, full-width come out */
    assert_int_equal(zx_case_no_parse("(2020)沪0117执2263号", &cn), 0);
    assert_string_equal(cn.court_code, "沪0117");
    assert_int_equal(cn.seq, 2263);
    assert_true(zx_case_no_format(&cn, buf, sizeof buf) > 0);
    assert_string_equal(buf, "（2020）沪0117执2263号");
    /* every type code, the longest match wins (执恢 not 执 + junk) */
    for (size_t i = 0; i < zx_case_types_count; i++) {
        zx_case_no a = { .year = 2025, .seq = 7 };
        strcpy(a.court_code, "内01");
        strcpy(a.type_code, zx_case_types[i].code);
        assert_true(zx_case_no_format(&a, buf, sizeof buf) > 0);
        assert_int_equal(zx_case_no_parse(buf, &cn), 0);
        assert_string_equal(cn.type_code, zx_case_types[i].code);
        assert_string_equal(cn.court_code, "内01");
    }
    assert_int_equal(zx_case_no_parse("（2023）最高法执监45号", &cn), 0);
    assert_string_equal(cn.court_code, "最高法");
    assert_string_equal(cn.type_code, "执监");
    assert_int_equal(zx_case_no_parse("（2022）军执1号", &cn), 0);
    assert_int_equal(zx_case_no_parse("（2022）兵01执恢3号", &cn), 0);
    assert_string_equal(cn.type_code, "执恢");
}

static void test_case_no_reject(void **st)
{
    zx_case_no cn;
    char buf[ZX_CASE_NO_MAX];
    assert_int_equal(zx_case_no_parse("(2010)宁执字第00065号", &cn), -1); /* pre-2016 字第 */
    assert_int_equal(zx_case_no_parse("（2024）辽0102执0123号", &cn), -1); /* zero padding */
    assert_int_equal(zx_case_no_parse("（2024）辽0102执0号", &cn), -1);
    assert_int_equal(zx_case_no_parse("（2024）辽0102执123", &cn), -1);     /* no 号 */
    assert_int_equal(zx_case_no_parse("（2024）辽0102执123号x", &cn), -1);  /* trailing junk */
    assert_int_equal(zx_case_no_parse("（2024）辽010执123号", &cn), -1);    /* 3 digits */
    assert_int_equal(zx_case_no_parse("（2024）港0102执123号", &cn), -1);   /* not a 高院代字 */
    assert_int_equal(zx_case_no_parse("（2024）辽0102民初123号", &cn), -1); /* not an execution type */
    assert_int_equal(zx_case_no_parse("（2024）辽0102执请1号", &cn), -1);   /* 执请 not in the 2016 table */
    assert_int_equal(zx_case_no_parse("〔2024〕辽0102执123号", &cn), -1);
    assert_int_equal(zx_case_no_parse("（24）辽0102执123号", &cn), -1);
    assert_int_equal(zx_case_no_parse("", &cn), -1);
    assert_int_equal(zx_case_no_parse(NULL, &cn), -1);
    zx_case_no bad = { .year = 2024, .seq = 0 };
    strcpy(bad.court_code, "辽0102");
    strcpy(bad.type_code, "执");
    assert_int_equal(zx_case_no_format(&bad, buf, sizeof buf), -1);
    bad.seq = 1;
    strcpy(bad.type_code, "民初");
    assert_int_equal(zx_case_no_format(&bad, buf, sizeof buf), -1);
    assert_true(zx_court_code_valid("辽"));
    assert_true(zx_court_code_valid("浙01"));
    assert_false(zx_court_code_valid("浙1"));
    assert_false(zx_court_code_valid("最高"));
}

/* GLOSSARY names, classes (立案结案意见 art 1), numeric codes (rules.md §11 ◐). */
static void test_case_types(void **st)
{
    assert_int_equal(zx_case_types_count, 8);
    const struct zx_case_type *t = zx_case_type_by_code("执恢");
    assert_non_null(t);
    assert_string_equal(t->name, "resumed");
    assert_int_equal(t->cls, ZX_CASE_IMPLEMENTATION);
    assert_int_equal(t->numeric, 1003);
    t = zx_case_type_by_name("objection");
    assert_non_null(t);
    assert_string_equal(t->code, "执异");
    assert_int_equal(t->cls, ZX_CASE_REVIEW);
    assert_ptr_equal(zx_case_type_by_numeric(1002), zx_case_type_by_code("执"));
    assert_null(zx_case_type_by_code("执请"));
    assert_null(zx_case_type_by_name("resume"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idno_valid_examples), cmocka_unit_test(test_idno_invalid),
        cmocka_unit_test(test_idno_legacy15),       cmocka_unit_test(test_idno_sex_age),
        cmocka_unit_test(test_idno_mask),           cmocka_unit_test(test_uscc),
        cmocka_unit_test(test_case_no_round_trip),  cmocka_unit_test(test_case_no_reject),
        cmocka_unit_test(test_case_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
