/* test_case_rules.c — the case-flow rules: 执行期限 with deductions and extensions (期限规定 art 1;
 * 审限规定 art 9), per-step deadlines (rules.md §1), the 终本 gate (终本规定 arts 1–4; 民诉解释 517),
 * the closure modes (立案结案意见 arts 14–20, art 6), coercive caps (民诉法 arts 118–119), triage. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "rules/clocks.h"
#include "rules/closure.h"
#include "rules/coercive.h"
#include "rules/gate.h"
#include "rules/triage.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* ---------------------------------------------------------------- clocks */

/* 期限规定 art 1: 6 months from 立案, 3 for 非诉执行. */
static void test_limit_months(void **st)
{
    assert_int_equal(zx_clock_limit_months(false), 6);
    assert_int_equal(zx_clock_limit_months(true), 3);
    /* 2025-03-03 (Mon) + 6 months = 2025-09-03 (Wed, working day). */
    assert_int_equal(zx_clock_limit_date(D("2025-03-03"), false, 0, 0), D("2025-09-03"));
    assert_int_equal(zx_clock_limit_date(D("2025-03-03"), true, 0, 0), D("2025-06-03"));
}

/* 审限规定 art 9: deducted periods are added; 期限规定 art 1: approved extensions are added. */
static void test_limit_deductions_extensions(void **st)
{
    /* 2025-03-03 + 6 months = 2025-09-03; + 10 deducted + 20 extension = 2025-10-03 → in the 2025 National
     * Day holiday when the calendar knows 2025, else a Friday. */
    zx_date d = zx_clock_limit_date(D("2025-03-03"), false, 10, 20);
    if (zx_cal_year_known(2025)) assert_int_equal(d, D("2025-10-09")); /* 国庆 10-01…10-08 → 10-09 */
    else assert_int_equal(d, D("2025-10-03"));
    assert_true(zx_cal_is_working(d));
}

/* 民诉法 art 85: a period ending on a non-working day ends on the next working day. */
static void test_limit_weekend_shift(void **st)
{
    /* 2025-01-04 + 6 months = 2025-07-04 (Fri); filed 2025-01-05 → 2025-07-05 (Sat) → Mon 07-07. */
    assert_int_equal(zx_clock_limit_date(D("2025-01-04"), false, 0, 0), D("2025-07-04"));
    assert_int_equal(zx_clock_limit_date(D("2025-01-05"), false, 0, 0), D("2025-07-07"));
}

/* Deducted days: union of periods, both ends counted, a running one up to today. */
static void test_deducted_days_union(void **st)
{
    zx_pause p[] = {
        { ZX_PAUSE_VALUATION, D("2025-04-01"), D("2025-04-10") },  /* 10 days 鉴定评估 */
        { ZX_PAUSE_AUCTION, D("2025-04-05"), D("2025-04-20") },    /* overlaps: +10 (11…20) 拍卖 */
        { ZX_PAUSE_PUBLICATION, D("2025-05-01"), D("2025-05-01") },/* 1 day 公告 */
    };
    assert_int_equal(zx_clock_deducted_days(p, 3, D("2025-06-01")), 21);
    zx_pause q[] = { { ZX_PAUSE_SUSPENSION, D("2025-06-01"), ZX_DATE_NONE } }; /* 中止 running */
    assert_int_equal(zx_clock_deducted_days(q, 1, D("2025-06-05")), 5);
    assert_int_equal(zx_clock_deducted_days(NULL, 0, D("2025-06-05")), 0);
    /* Adjacent periods merge without double counting. */
    zx_pause a[] = { { ZX_PAUSE_DISPUTE, D("2025-01-01"), D("2025-01-05") }, { ZX_PAUSE_DISPUTE, D("2025-01-06"), D("2025-01-06") } };
    assert_int_equal(zx_clock_deducted_days(a, 2, D("2025-06-05")), 6);
}

/* 期限规定 art 1: an extension must be requested within the 5 days before expiry. */
static void test_extension_window(void **st)
{
    zx_date lim = D("2025-09-03");
    assert_true(zx_clock_extension_window(lim, D("2025-09-03")));
    assert_true(zx_clock_extension_window(lim, D("2025-08-29")));
    assert_false(zx_clock_extension_window(lim, D("2025-08-28")));
    assert_false(zx_clock_extension_window(lim, D("2025-09-04")));
}

/* rules.md §1: assign 7 d (期限规定 art 2); notice 3 d after assignment but ≤ 10 d after filing
 * (期限规定 art 4; 民诉解释 480); clue 7 d / urgent 3 d (财产调查规定 art 2); investigation 1 month
 * (期限规定 art 7); re-inquiry every 6 months (终本规定 art 9). */
static void test_step_deadlines(void **st)
{
    /* Filed Monday 2025-03-03. */
    assert_int_equal(zx_deadline_assign(D("2025-03-03")), D("2025-03-10"));
    assert_int_equal(zx_deadline_notice(D("2025-03-03"), D("2025-03-04")), D("2025-03-07"));
    assert_int_equal(zx_deadline_notice(D("2025-03-03"), D("2025-03-11")), D("2025-03-13")); /* capped at filing + 10 */
    assert_int_equal(zx_deadline_notice(D("2025-03-03"), ZX_DATE_NONE), D("2025-03-13"));
    assert_int_equal(zx_deadline_clue(D("2025-03-03"), false), D("2025-03-10"));
    assert_int_equal(zx_deadline_clue(D("2025-03-03"), true), D("2025-03-06"));
    assert_int_equal(zx_deadline_investigation(D("2025-03-03")), D("2025-04-03"));
    assert_int_equal(zx_deadline_reinquiry(D("2025-03-03"), 1), D("2025-09-03"));
    assert_int_equal(zx_deadline_reinquiry(D("2025-03-03"), ZX_REINQUIRY_COUNT) >= D("2030-03-03"), 1);
    /* A clue supplied Thursday: 3 days ends Sunday → next working day (民诉法 art 85). */
    zx_date urgent = zx_deadline_clue(D("2025-03-06"), true);
    assert_int_equal(urgent, D("2025-03-10"));
}

static void test_deadline_levels(void **st)
{
    zx_date due = D("2025-03-10");
    assert_int_equal(zx_deadline_level(due, D("2025-03-01"), 3), ZX_LEVEL_OK);
    assert_int_equal(zx_deadline_level(due, D("2025-03-07"), 3), ZX_LEVEL_WARNING);
    assert_int_equal(zx_deadline_level(due, D("2025-03-10"), 3), ZX_LEVEL_WARNING);
    assert_int_equal(zx_deadline_level(due, D("2025-03-11"), 3), ZX_LEVEL_OVERDUE);
    assert_string_equal(zx_level_code(ZX_LEVEL_OVERDUE), "overdue");
    assert_int_equal(zx_deadline_kind_from("reinquiry"), ZX_DL_REINQUIRY);
    assert_int_equal(zx_deadline_kind_from("nope"), -1);
}

/* ---------------------------------------------------------------- 终本 gate */
static zx_gate_facts full_facts(void)
{
    zx_gate_facts f = {
        .notice_served = true, .report_order_issued = true, .report_checked = true,
        .restriction_order = true, .dishonest_recorded = true, .network_inquiry = true,
        .filed_on = D("2025-01-02"), .close_on = D("2025-05-02"), .interview_done = true,
        .chief_approval = true, .outstanding_fen = 100,
    };
    return f;
}

static bool unmet_has(const zx_gate_unmet *u, size_t n, const char *cond, const char *article)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(u[i].condition, cond)) {
            assert_string_equal(u[i].article, article);
            assert_true(strlen(u[i].message) > 0);
            return true;
        }
    return false;
}

static void test_gate_all_met(void **st)
{
    zx_gate_facts f = full_facts();
    zx_gate_unmet u[ZX_GATE_MAX];
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 0);
}

/* Each condition on its own: flipping it gives exactly that unmet condition with its article. */
static void test_gate_each_condition(void **st)
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_gate_facts f;
#define ONE(stmt, cond, art)                                   \
    f = full_facts();                                          \
    stmt;                                                      \
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 1);    \
    assert_true(unmet_has(u, 1, cond, art));
    ONE(f.notice_served = false, "notice_served", "终本规定 art 1(1)");
    ONE(f.report_order_issued = false, "report_order", "终本规定 art 1(1), art 2");
    ONE(f.report_checked = false, "report_checked", "终本规定 art 2");
    ONE(f.restriction_order = false, "restriction_order", "终本规定 art 1(2)");
    ONE(f.dishonest_recorded = false, "dishonest_listing", "终本规定 art 1(2)");
    ONE(f.network_inquiry = false, "network_inquiry", "终本规定 art 1(3), art 3");
    ONE(f.clues_open = 2, "clues_verified", "终本规定 art 3");
    ONE((f.has_assets = true, f.disposal_failed = true), "onsite_investigation", "终本规定 art 3");
    ONE((f.has_assets = true, f.onsite_done = true), "disposal_failed", "终本规定 art 1(3), art 4");
    ONE(f.debtor_missing = true, "missing_debtor", "终本规定 art 1(5)");
    ONE(f.report_refused_or_false = true, "obstruction_punished", "终本规定 art 1(5), art 2");
    ONE(f.interview_done = false, "interview", "终本规定 art 5");
    ONE(f.chief_approval = false, "approval", "民诉解释 art 517");
    ONE(f.outstanding_fen = 0, "outstanding", "终本规定 art 1");
#undef ONE
    /* Applicant's signed confirmation replaces 院长 approval (民诉解释 517). */
    f = full_facts();
    f.chief_approval = false;
    f.applicant_confirmation = true;
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 0);
    /* Punishment after a refused report satisfies art 1(5). */
    f = full_facts();
    f.report_refused_or_false = true;
    f.report_punished = true;
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 0);
}

/* 终本规定 art 1(4): MORE than 3 months since 立案. */
static void test_gate_three_months(void **st)
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_gate_facts f = full_facts();
    f.filed_on = D("2025-01-02");
    f.close_on = D("2025-04-02"); /* exactly 3 months: not more */
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 1);
    assert_true(unmet_has(u, 1, "three_months", "终本规定 art 1(4)"));
    f.close_on = D("2025-04-03");
    assert_int_equal(zx_gate_check(&f, u, ZX_GATE_MAX), 0);
}

/* A fresh case fails every condition at once — the refusal lists them all. */
static void test_gate_lists_every_unmet(void **st)
{
    zx_gate_facts f = { .filed_on = D("2025-01-02"), .close_on = D("2025-01-10"), .outstanding_fen = 1,
                        .debtor_missing = true, .report_refused_or_false = true, .clues_open = 1 };
    zx_gate_unmet u[ZX_GATE_MAX];
    size_t n = zx_gate_check(&f, u, ZX_GATE_MAX);
    assert_int_equal(n, 12); /* all but the two asset conditions and outstanding */
    assert_true(unmet_has(u, n, "three_months", "终本规定 art 1(4)"));
    assert_true(unmet_has(u, n, "approval", "民诉解释 art 517"));
}

/* ---------------------------------------------------------------- closure modes */
static void test_closure_completed(void **st) /* 立案结案意见 art 15 */
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_closure_facts f = { .claim_fen = 1000, .recovered_fen = 999 };
    assert_int_equal(zx_closure_check("completed", &f, u, ZX_GATE_MAX), 1);
    assert_string_equal(u[0].article, "立案结案意见 art 15");
    f.recovered_fen = 1000;
    assert_int_equal(zx_closure_check("completed", &f, u, ZX_GATE_MAX), 0);
    f.recovered_fen = 10;
    f.applicant_confirmed_completed = true; /* 和解 fully performed */
    assert_int_equal(zx_closure_check("completed", &f, u, ZX_GATE_MAX), 0);
}

static void test_closure_termination(void **st) /* 立案结案意见 art 17 */
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_closure_facts f = { .reason = "whatever" };
    assert_int_equal(zx_closure_check("termination", &f, u, ZX_GATE_MAX), 1);
    f.reason = "debtor_dead_no_estate";
    assert_int_equal(zx_closure_check("termination", &f, u, ZX_GATE_MAX), 0);
    f.reason = "withdrawn";
    assert_int_equal(zx_closure_check("termination", &f, u, ZX_GATE_MAX), 1);
    f.applicant_withdrawal = true;
    assert_int_equal(zx_closure_check("termination", &f, u, ZX_GATE_MAX), 0);
    assert_int_equal(zx_code_find(zx_termination_reasons, "commissioned") != NULL, 1);
}

static void test_closure_withdrawal(void **st) /* 立案结案意见 art 18 */
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_closure_facts f = { .reason = "applicant_withdrew" };
    assert_int_equal(zx_closure_check("withdrawal", &f, u, ZX_GATE_MAX), 1);
    f.applicant_withdrawal = true;
    assert_int_equal(zx_closure_check("withdrawal", &f, u, ZX_GATE_MAX), 0);
    f.reason = "jurisdiction_upheld";
    assert_int_equal(zx_closure_check("withdrawal", &f, u, ZX_GATE_MAX), 1);
    f.jurisdiction_upheld = true;
    assert_int_equal(zx_closure_check("withdrawal", &f, u, ZX_GATE_MAX), 0);
}

static void test_closure_non_enforcement_rejection(void **st) /* 立案结案意见 arts 19, 20 */
{
    zx_gate_unmet u[ZX_GATE_MAX];
    zx_closure_facts f = { .basis_kind = "judgment" };
    assert_int_equal(zx_closure_check("non_enforcement", &f, u, ZX_GATE_MAX), 1);
    assert_string_equal(u[0].article, "立案结案意见 art 19");
    f.basis_kind = "arbitral_award";
    assert_int_equal(zx_closure_check("non_enforcement", &f, u, ZX_GATE_MAX), 0);
    f.basis_kind = "notarised_deed";
    assert_int_equal(zx_closure_check("non_enforcement", &f, u, ZX_GATE_MAX), 0);
    f.reason = NULL;
    assert_int_equal(zx_closure_check("rejection", &f, u, ZX_GATE_MAX), 1);
    f.reason = "no_jurisdiction";
    assert_int_equal(zx_closure_check("rejection", &f, u, ZX_GATE_MAX), 0);
    /* 终本 is not judged here, and unknown modes are refused. */
    assert_int_equal(zx_closure_check("interim_closure", &f, u, ZX_GATE_MAX), 1);
    assert_int_equal(zx_closure_check("bogus", &f, u, ZX_GATE_MAX), 1);
}

/* 立案结案意见 art 6 and 民诉解释 art 465: only reasons that fit the closure; a 和解 performed in full
 * closes the matter for good. */
static void test_resume_allowed(void **st)
{
    zx_resume_facts interim = { "interim_closure", "", false };
    zx_resume_facts paid = { "completed", "", false };
    zx_resume_facts settled = { "completed", "", true };          /* 和解 performed, applicant confirmed */
    zx_resume_facts withdrawn = { "termination", "withdrawn", false }; /* 和解 then withdrawal */
    zx_resume_facts commissioned = { "termination", "commissioned", false };
    zx_resume_facts dead = { "termination", "debtor_dead_no_estate", false };
    zx_resume_facts elevated = { "termination", "elevated", false };
    assert_true(zx_resume_allowed(&interim, "property_found"));          /* art 6(3) */
    assert_false(zx_resume_allowed(&paid, "property_found"));
    assert_false(zx_resume_allowed(&interim, "conditions_met_again"));
    assert_true(zx_resume_allowed(&dead, "conditions_met_again"));       /* art 6(5) */
    assert_false(zx_resume_allowed(&elevated, "conditions_met_again"));
    assert_false(zx_resume_allowed(&settled, "settlement_breach"));      /* 民诉解释 art 465 */
    assert_non_null(strstr(zx_resume_check(&settled, "settlement_breach"), "465"));
    assert_true(zx_resume_allowed(&settled, "settlement_fraud"));        /* art 6(1) */
    assert_false(zx_resume_allowed(&paid, "settlement_fraud"));
    assert_false(zx_resume_allowed(&paid, "settlement_breach"));
    assert_true(zx_resume_allowed(&withdrawn, "settlement_breach"));     /* art 6(2) */
    assert_true(zx_resume_allowed(&withdrawn, "settlement_fraud"));
    assert_false(zx_resume_allowed(&withdrawn, "conditions_met_again"));
    assert_true(zx_resume_allowed(&commissioned, "entrustment_returned")); /* art 6(4) */
    assert_false(zx_resume_allowed(&dead, "entrustment_returned"));
    assert_false(zx_resume_allowed(&paid, "made_up"));
}

/* ---------------------------------------------------------------- coercive measures */
static void test_coercive_caps(void **st) /* 民诉法 (2023) art 118, art 119 */
{
    assert_int_equal(zx_coercive_check("fine", "person", 10000000, 0, true), ZX_COERCIVE_OK);   /* ¥100,000 */
    assert_int_equal(zx_coercive_check("fine", "person", 10000001, 0, true), ZX_COERCIVE_AMOUNT);
    assert_int_equal(zx_coercive_check("fine", "person", 0, 0, true), ZX_COERCIVE_AMOUNT);
    assert_int_equal(zx_coercive_check("fine", "unit", 4999999, 0, true), ZX_COERCIVE_AMOUNT);  /* < ¥50,000 */
    assert_int_equal(zx_coercive_check("fine", "unit", 5000000, 0, true), ZX_COERCIVE_OK);
    assert_int_equal(zx_coercive_check("fine", "unit", 100000000, 0, true), ZX_COERCIVE_OK);    /* ¥1,000,000 */
    assert_int_equal(zx_coercive_check("fine", "unit", 100000001, 0, true), ZX_COERCIVE_AMOUNT);
    assert_int_equal(zx_coercive_check("detention", "person", 0, 15, true), ZX_COERCIVE_OK);
    assert_int_equal(zx_coercive_check("detention", "person", 0, 16, true), ZX_COERCIVE_DAYS);
    assert_int_equal(zx_coercive_check("detention", "person", 0, 0, true), ZX_COERCIVE_DAYS);
    assert_int_equal(zx_coercive_check("detention", "unit", 0, 5, true), ZX_COERCIVE_BAD_TARGET);
    assert_int_equal(zx_coercive_check("fine", "person", 100, 0, false), ZX_COERCIVE_APPROVAL);   /* art 119 */
    assert_int_equal(zx_coercive_check("search", "person", 100, 0, true), ZX_COERCIVE_BAD_MEASURE);
    assert_non_null(strstr(zx_coercive_message(ZX_COERCIVE_APPROVAL), "院长"));
}

/* ---------------------------------------------------------------- triage */
static void test_triage(void **st)
{
    zx_triage_rules r;
    zx_triage_default(&r);
    assert_string_equal(zx_triage_decide(&r, 10000000, 1, false, false), "fast");   /* ≤ ¥100k, one debtor */
    assert_string_equal(zx_triage_decide(&r, 10000001, 1, false, false), "complex");
    assert_string_equal(zx_triage_decide(&r, 100, 2, false, false), "complex");
    assert_string_equal(zx_triage_decide(&r, 100, 1, true, false), "complex");
    char err[128];
    assert_int_equal(zx_triage_parse("{\"rules\":[{\"track\":\"fast\",\"non_litigation\":true}],\"default\":\"complex\"}",
                                     &r, err, sizeof err), 0);
    assert_string_equal(zx_triage_decide(&r, 999999999, 5, true, true), "fast");
    assert_string_equal(zx_triage_decide(&r, 1, 1, false, false), "complex");
    char *s = zx_triage_dump(&r);
    assert_non_null(strstr(s, "\"non_litigation\":true"));
    free(s);
    assert_int_equal(zx_triage_parse("{\"rules\":[{\"track\":\"slow\"}],\"default\":\"complex\"}", &r, err, sizeof err), -1);
    assert_int_equal(zx_triage_parse("{\"rules\":[],\"default\":\"x\"}", &r, err, sizeof err), -1);
    assert_int_equal(zx_triage_parse("nope", &r, err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limit_months),           cmocka_unit_test(test_limit_deductions_extensions),
        cmocka_unit_test(test_limit_weekend_shift),    cmocka_unit_test(test_deducted_days_union),
        cmocka_unit_test(test_extension_window),       cmocka_unit_test(test_step_deadlines),
        cmocka_unit_test(test_deadline_levels),        cmocka_unit_test(test_gate_all_met),
        cmocka_unit_test(test_gate_each_condition),    cmocka_unit_test(test_gate_three_months),
        cmocka_unit_test(test_gate_lists_every_unmet), cmocka_unit_test(test_closure_completed),
        cmocka_unit_test(test_closure_termination),    cmocka_unit_test(test_closure_withdrawal),
        cmocka_unit_test(test_closure_non_enforcement_rejection), cmocka_unit_test(test_resume_allowed),
        cmocka_unit_test(test_coercive_caps),          cmocka_unit_test(test_triage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
