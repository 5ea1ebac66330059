/* test_portal_rules.c — the party portal's numbers (src/rules/portal.c): 悬赏 decided within 10 days
 * (财产调查规定 art 21), the reward capped by the money recovered through the tip (art 24), objections filed
 * within 3 days (异议复议规定 art 2), 恢复执行 within 7 days (执行工作规定 art 16), the court's reply clock
 * in working days, the 17-digit licence number. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/date.h"
#include "rules/portal.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* 财产调查规定 art 21: the court decides within 10 days of the written application. */
static void test_reward_decision_art_21(void **st)
{
    assert_int_equal(ZX_REWARD_DECIDE_DAYS, 10);
    assert_int_equal(zx_deadline_reward_decision(D("2024-03-04")), D("2024-03-14"));
    /* ending in the National Day holiday (2024-10-01…07) → the next working day (民诉法 art 85) */
    assert_int_equal(zx_deadline_reward_decision(D("2024-09-22")), D("2024-10-08"));
}

/* 财产调查规定 art 24: the reward is deducted from the money the tip recovered — never more than it. */
static void test_reward_earned_art_24(void **st)
{
    assert_int_equal(zx_reward_earned(500000, 0, 3000000), 500000);
    assert_int_equal(zx_reward_earned(500000, 0, 200000), 200000);
    assert_int_equal(zx_reward_earned(0, 500, 3000000), 150000); /* 5 % */
    assert_int_equal(zx_reward_earned(0, 333, 10001), 333);      /* floor, no floating point */
    assert_int_equal(zx_reward_earned(500000, 0, 0), 0);         /* nothing recovered: nothing earned */
}

/* 异议复议规定 art 2: an objection is filed within 3 days; 执行工作规定 art 16: 立案 within 7 days. */
static void test_application_filing_art_2_and_16(void **st)
{
    assert_int_equal(zx_deadline_application("act_objection", D("2024-03-04")), D("2024-03-07"));
    assert_int_equal(zx_deadline_application("interim_objection", D("2024-03-04")), D("2024-03-07"));
    assert_int_equal(zx_deadline_application("resume", D("2024-03-04")), D("2024-03-11"));
    assert_int_equal(zx_deadline_application("act_objection", D("2024-09-28")), D("2024-10-08"));
}

/* The court's own reply clock: working days; out-of-range settings fall back to the default. */
static void test_reply_clock_working_days(void **st)
{
    assert_int_equal(zx_deadline_message_reply(D("2024-03-04"), 3), D("2024-03-07"));
    assert_int_equal(zx_deadline_message_reply(D("2024-03-08"), 3), D("2024-03-13")); /* over the weekend */
    assert_int_equal(zx_deadline_message_reply(D("2024-03-04"), 0), D("2024-03-07"));
}

static void test_licence_number(void **st)
{
    assert_true(zx_lawyer_licence_valid("12101201910123456"));
    assert_false(zx_lawyer_licence_valid("1210120191012345"));
    assert_false(zx_lawyer_licence_valid("1210120191012345X"));
    assert_false(zx_lawyer_licence_valid(NULL));
}

/* The court's contact number for parties (a setting, not statutory): digits with the usual separators. */
static void test_contact_phone(void **st)
{
    assert_true(zx_portal_contact_phone_valid("024-22851234"));
    assert_true(zx_portal_contact_phone_valid("024-22851234转8012"));
    assert_true(zx_portal_contact_phone_valid("（024）2285 1234"));
    assert_true(zx_portal_contact_phone_valid("12368"));
    assert_false(zx_portal_contact_phone_valid("1234"));        /* too short */
    assert_false(zx_portal_contact_phone_valid("请打电话"));
    assert_false(zx_portal_contact_phone_valid("024-2285<b>"));
    assert_false(zx_portal_contact_phone_valid(NULL));
}

/* Sign-in locks keep the staff's numbers (config lock_failures 5, lock_minutes 30). */
static void test_lock_numbers(void **st)
{
    assert_int_equal(ZX_PORTAL_MAX_FAILS, 5);
    assert_int_equal(ZX_PORTAL_LOCK_MINUTES, 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reward_decision_art_21), cmocka_unit_test(test_reward_earned_art_24),
        cmocka_unit_test(test_application_filing_art_2_and_16), cmocka_unit_test(test_reply_clock_working_days),
        cmocka_unit_test(test_licence_number), cmocka_unit_test(test_contact_phone), cmocka_unit_test(test_lock_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
