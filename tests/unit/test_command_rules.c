/* test_command_rules.c — the command center's numbers (src/rules/command.c): 督办规定 (法发〔2006〕11号)
 * art 3, 信访 5 / 30 working days (2021 意见 item 30) on the holiday calendar, 事项委托 15 days (民诉法
 * art 240), coordination one month per level, the "3+1" targets (seed 002). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/date.h"
#include "rules/command.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* 督办规定 art 3: the 督办函 within 10 days of accepting the complaint. */
static void test_supervision_letter_10_days(void **st)
{
    assert_int_equal(zx_cmd_sup_letter_days(), 10);
    assert_int_equal(zx_cmd_sup_letter_due(D("2024-03-04")), D("2024-03-14"));
    bool overdue_only = true;
    assert_true(zx_cmd_sup_escalation_known("chase", &overdue_only));
    assert_false(overdue_only); /* 催报 may come any time */
    assert_true(zx_cmd_sup_escalation_known("elevate", &overdue_only));
    assert_true(overdue_only); /* 逾期未报的 … 提级执行 */
    assert_false(zx_cmd_sup_escalation_known("ignore", NULL));
    assert_false(zx_cmd_sup_source_known("rumour"));
}

/* 2021 意见 item 30: registered within 5 working days, closed within 30 working days. 2024 清明:
 * 4–6 April off, Sunday 7 April worked (国务院办公厅 2024 notice). */
static void test_petition_working_days_item_30(void **st)
{
    assert_int_equal(zx_cmd_petition_register_due(D("2024-03-04")), D("2024-03-11"));
    assert_int_equal(zx_cmd_petition_due(D("2024-03-04")), D("2024-04-16"));
    assert_true(zx_cmd_petition_channel_known("referral"));
    assert_false(zx_cmd_petition_channel_known("pigeon"));
}

/* 民诉法 art 240: the commissioned court begins within 15 days; 委托执行规定: a whole case in 6 months. */
static void test_commission_art_240(void **st)
{
    assert_int_equal(zx_cmd_task_due(D("2024-03-04"), false), D("2024-03-19"));
    assert_int_equal(zx_cmd_task_due(D("2024-03-04"), true), D("2024-09-04"));
    /* 15 days from 2024-09-20 end on 2024-10-05, inside National Day: moved to the next working day (art 85) */
    assert_int_equal(zx_cmd_task_due(D("2024-09-20"), false), D("2024-10-08"));
    assert_true(zx_cmd_task_known("freeze_deposit"));
    assert_false(zx_cmd_task_known("fly"));
    assert_true(zx_cmd_return_reason_known("incomplete_documents"));
}

/* 执行协调: one month per level, clamped to the month's end. */
static void test_coordination_month_per_level(void **st)
{
    assert_int_equal(zx_cmd_coord_level_due(D("2024-01-31")), D("2024-02-29"));
    assert_int_equal(zx_cmd_coord_level_due(D("2024-03-15")), D("2024-04-15"));
}

/* seed 002: ①–③ ≥ 90 % (one-vote veto), +1 ≥ 80 %. 交叉执行 (四川 2023): ≥ 10 cases, 6 months. */
static void test_three_plus_one_targets(void **st)
{
    assert_true(zx_cmd_target_of("asset_case_on_time_rate") == 0.90);
    assert_true(zx_cmd_target_of("interim_closure_compliance_rate") == 0.90);
    assert_true(zx_cmd_target_of("petition_closure_rate") == 0.90);
    assert_true(zx_cmd_target_of("three_year_closure_rate") == 0.80);
    assert_true(zx_cmd_targets[2].veto);
    assert_false(zx_cmd_targets[3].veto);
    assert_int_equal(zx_cmd_cross_min_open_cases(), 10);
    assert_int_equal(zx_cmd_cross_months_after_supervision(), 6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_supervision_letter_10_days), cmocka_unit_test(test_petition_working_days_item_30),
        cmocka_unit_test(test_commission_art_240),         cmocka_unit_test(test_coordination_month_per_level),
        cmocka_unit_test(test_three_plus_one_targets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
