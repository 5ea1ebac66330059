/* test_rules_limits.c — time limits by case type and extensions in the rule's unit (issue 9 item 1):
 * 执/执恢/执保 6 (3) months (期限规定 art 1), extended in months by ≤ 3 (审限规定 art 5); 执异 15 days
 * (民诉法 art 236) with no extension; 执复 30 days (执行程序解释 art 9) + ≤ 30 days; 执监/执协/执他
 * the general 6 months (审限规定 art 5). Period ends on a non-working day move on (民诉法 art 85). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "rules/clocks.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* 民诉法 art 236: an objection to an enforcement act is decided within 15 days; no extension. */
static void test_objection_15_days_art_236(void **st)
{
    const zx_limit_rule *lr = zx_limit_rule_for("执异");
    assert_string_equal(lr->type_code, "执异");
    assert_int_equal(lr->unit, ZX_UNIT_DAYS);
    assert_int_equal(lr->base, 15);
    assert_non_null(strstr(lr->article, "art 236"));
    assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 0, 0, 0), D("2025-03-18"));
    /* filed 2025-04-16: day 15 is 2025-05-01 (劳动节) → first working day after it, 05-06 */
    assert_int_equal(zx_clock_limit_for(lr, D("2025-04-16"), false, 0, 0, 0), D("2025-05-06"));
    assert_non_null(zx_limit_extension_check(lr, 0, 1)); /* no extension */
}

/* 执行程序解释 art 9: 复议 decided within 30 days; 院长 may extend by at most 30 days. */
static void test_review_30_plus_30_days_art_9(void **st)
{
    const zx_limit_rule *lr = zx_limit_rule_for("执复");
    assert_int_equal(lr->unit, ZX_UNIT_DAYS);
    assert_int_equal(lr->base, 30);
    assert_int_equal(lr->ext_max, 30);
    assert_non_null(strstr(lr->article, "执行程序解释 art 9"));
    assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 0, 0, 0), D("2025-04-02"));
    /* + 30 days → 2025-05-02, inside the 劳动节 break → 2025-05-06 */
    assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 0, 30, 0), D("2025-05-06"));
    assert_null(zx_limit_extension_check(lr, 0, 30));
    assert_null(zx_limit_extension_check(lr, 10, 20));
    assert_non_null(zx_limit_extension_check(lr, 20, 15)); /* 35 > 30 */
    assert_non_null(zx_limit_extension_check(lr, 0, 0));
}

/* 期限规定 art 1: 6 months (非诉 3) from 立案; 审限规定 art 5: the 院长 extends by up to 3 months. */
static void test_implementation_months_art_1_and_art_5(void **st)
{
    const char *types[] = { "执", "执恢", "执保" };
    for (int i = 0; i < 3; i++) {
        const zx_limit_rule *lr = zx_limit_rule_for(types[i]);
        assert_string_equal(lr->type_code, types[i]);
        assert_int_equal(lr->unit, ZX_UNIT_MONTHS);
        assert_int_equal(lr->ext_max, 3);
        assert_int_equal(lr->ext_window_days, 5);
        assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 0, 0, 0), D("2025-09-03"));
        /* extension counted in months: 6 + 3 months → 2025-12-03, not "+90 days" (2025-12-02) */
        assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 0, 3, 0), D("2025-12-03"));
        assert_null(zx_limit_extension_check(lr, 2, 1));
        assert_non_null(zx_limit_extension_check(lr, 2, 2));
    }
    const zx_limit_rule *lr = zx_limit_rule_for("执");
    assert_int_equal(zx_limit_base(lr, true), 3); /* 非诉执行 */
    assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), true, 0, 0, 0), D("2025-06-03"));
    /* deducted days (审限规定 art 9) come after the months; month-end clamping (2024-08-31 + 6 months) */
    assert_int_equal(zx_clock_limit_for(lr, D("2025-03-03"), false, 10, 0, 0), D("2025-09-15"));
    assert_int_equal(zx_clock_limit_for(lr, D("2024-08-31"), false, 0, 0, 0), D("2025-02-28"));
    /* an unknown type code falls back to the 执 rule */
    assert_string_equal(zx_limit_rule_for("??")->type_code, "执");
    assert_string_equal(zx_limit_rule_for(NULL)->type_code, "执");
}

/* 审限规定 art 5 (法释〔2000〕29号): the other review-class cases (执监/执协/执他, 立案结案意见 art 9) run the
 * general 6 months, extended by the 院长 by ≤ 3 months, counted in months. The statute truly gives them
 * the general limit: 民诉法 art 236 and 执行程序解释 art 9 fix only 执异 (15 days) and 执复 (30 + 30 days);
 * 法发〔2023〕4号 (申请执行监督) bars late applications but sets no review period; 审限规定 art 5 covers
 * every 执行案件 ("执行案件应当在立案之日起六个月内执结"). No 非诉 shortening applies to them. */
static void test_other_review_types_art_5(void **st)
{
    const char *types[] = { "执监", "执协", "执他" };
    for (int i = 0; i < 3; i++) {
        const zx_limit_rule *lr = zx_limit_rule_for(types[i]);
        assert_string_equal(lr->type_code, types[i]);
        assert_int_equal(lr->unit, ZX_UNIT_MONTHS);
        assert_int_equal(lr->base, 6);
        assert_int_equal(zx_limit_base(lr, true), 6); /* not the 3 months of 非诉 执行实施 cases */
        assert_int_equal(lr->ext_max, 3);
        assert_non_null(strstr(lr->article, "审限规定 art 5"));
        assert_non_null(strstr(lr->ext_article, "审限规定 art 5"));
        zx_date lim = zx_clock_limit_for(lr, D("2024-01-10"), false, 0, 0, 0);
        assert_int_equal(lim, D("2024-07-10")); /* the corresponding day six months on, a Wednesday */
        assert_int_equal(zx_clock_limit_for(lr, D("2024-01-10"), false, 0, 3, 0), D("2024-10-10")); /* +3 months */
        assert_null(zx_limit_extension_check(lr, 0, 3));
        assert_non_null(zx_limit_extension_check(lr, 2, 2)); /* more than three months in all */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_objection_15_days_art_236),
        cmocka_unit_test(test_review_30_plus_30_days_art_9),
        cmocka_unit_test(test_implementation_months_art_1_and_art_5),
        cmocka_unit_test(test_other_review_types_art_5),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
