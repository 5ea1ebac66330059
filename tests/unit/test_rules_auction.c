/* test_rules_auction.c — 网拍规定 (2017), 拍卖变卖规定 (2020), 参考价规定 (2018): the disposal numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "rules/auction.h"

#define MIN_MS (60LL * 1000)
#define HOUR_MS (3600LL * 1000)

/* 参考价规定 art 13: mean of the on-time results; upheld objections left out; none → -1 (art 14). */
static void test_refprice_art13_mean(void **st)
{
    zx_price_result r[3] = { { 100000000, true, false, false }, { 110000000, true, false, false },
                             { 120000001, true, false, false } };
    int used = 0;
    assert_int_equal(zx_refprice_online_mean(r, 3, &used), 110000000); /* 330000001/3 rounded half up */
    assert_int_equal(used, 3);
    r[2].on_time = false; /* art 11: a late result is not averaged */
    assert_int_equal(zx_refprice_online_mean(r, 3, &used), 105000000);
    assert_int_equal(used, 2);
    r[2].on_time = true;
    r[0].objected = true;
    r[0].objection_upheld = true; /* art 13: only some objected → mean of the others */
    assert_int_equal(zx_refprice_online_mean(r, 3, &used), 115000001);
    r[0].objection_upheld = false; /* objection failed → the result counts */
    assert_int_equal(zx_refprice_online_mean(r, 3, &used), 110000000);
    zx_price_result none[2] = { { 0, false, false, false }, { 5, false, false, false } };
    assert_int_equal(zx_refprice_online_mean(none, 2, &used), -1); /* art 14: → 委托评估 */
    assert_int_equal(used, 0);
    zx_price_result half[2] = { { 1, true, false, false }, { 2, true, false, false } };
    assert_int_equal(zx_refprice_online_mean(half, 2, NULL), 2); /* 1.5 fen → 2 */
}

/* 参考价规定 art 27: one year of validity. */
static void test_refprice_art27_validity(void **st)
{
    int64_t t0 = 1700000000000LL;
    assert_true(zx_refprice_valid(t0, t0 + 364 * 24 * HOUR_MS));
    assert_true(zx_refprice_valid(t0, t0 + 365 * 24 * HOUR_MS));
    assert_false(zx_refprice_valid(t0, t0 + 366 * 24 * HOUR_MS));
    assert_false(zx_refprice_valid(t0, t0 - 1));
}

/* 网拍规定 art 10 / 参考价规定 art 30: 起拍价 ≥ 70 %; art 17 deposit 5–20 %; art 26 cut ≤ 20 %. */
static void test_auction_art10_17_26_prices(void **st)
{
    assert_int_equal(zx_auction_min_start(100000000), 70000000);
    assert_int_equal(zx_auction_min_start(101), 71); /* 70.7 → up to 71 */
    int64_t lo, hi;
    zx_auction_deposit_range(70000000, &lo, &hi);
    assert_int_equal(lo, 3500000);
    assert_int_equal(hi, 14000000);
    zx_auction_deposit_range(101, &lo, &hi);
    assert_int_equal(lo, 6);  /* 5.05 → 6 */
    assert_int_equal(hi, 20); /* 20.2 → 20 */
    assert_int_equal(zx_auction_min_restart(70000000), 56000000);
    assert_int_equal(zx_auction_min_restart(101), 81); /* 80.8 → 81 */
    assert_int_equal(ZX_AUCTION_RULES.reauction_within_days, 30);
}

/* 网拍规定 art 12 (15/30 d) and art 26 (7/15 d) announcement periods; art 16 notice 3 d. */
static void test_auction_art12_26_announcement(void **st)
{
    assert_int_equal(zx_auction_announce_days(false, 1), 15);
    assert_int_equal(zx_auction_announce_days(true, 1), 30);
    assert_int_equal(zx_auction_announce_days(false, 2), 7);
    assert_int_equal(zx_auction_announce_days(true, 2), 15);
    assert_int_equal(ZX_AUCTION_RULES.notice_days_before, 3);
    assert_int_equal(ZX_AUCTION_RULES.bidding_min_ms, 24 * HOUR_MS); /* art 20 */
    assert_int_equal(ZX_AUCTION_RULES.refund_ms, 24 * HOUR_MS);      /* art 23 */
    assert_int_equal(ZX_AUCTION_RULES.fixed_sale_days, 60);          /* 网络变卖 */
}

/* 网拍规定 art 20: ascending from 起拍价 by the increment; server receipt time; 5-minute soft close. */
static void test_bid_art20_judge_and_soft_close(void **st)
{
    int64_t t0 = 1700000000000LL;
    zx_bid_state s = { .start_fen = 56000000, .increment_fen = 500000, .current_fen = 0,
                       .starts_ms = t0, .ends_ms = t0 + 24 * HOUR_MS };
    assert_int_equal(zx_bid_judge(&s, 56000000, 0, t0 - 1), ZX_BID_NOT_OPEN);
    assert_int_equal(zx_bid_judge(&s, 55999999, 0, t0), ZX_BID_TOO_LOW);
    assert_int_equal(zx_bid_judge(&s, 56000000, 0, t0), ZX_BID_OK); /* art 11: the start price may be the first bid */
    s.current_fen = 56000000;
    assert_int_equal(zx_bid_judge(&s, 56000000, 0, t0 + 1), ZX_BID_TOO_LOW);
    assert_int_equal(zx_bid_judge(&s, 56300000, 0, t0 + 1), ZX_BID_TOO_LOW);
    assert_int_equal(zx_bid_judge(&s, 56700000, 0, t0 + 1), ZX_BID_OFF_STEP);
    assert_int_equal(zx_bid_judge(&s, 57000000, 0, t0 + 1), ZX_BID_OK);
    assert_int_equal(zx_bid_judge(&s, 57000000, 0, s.ends_ms), ZX_BID_CLOSED); /* at the end = closed */
    assert_int_equal(zx_bid_judge(&s, 57000000, 0, s.ends_ms - 1), ZX_BID_OK);
    /* soft close */
    assert_int_equal(zx_bid_extend(s.ends_ms, s.ends_ms - 6 * MIN_MS), s.ends_ms);
    assert_int_equal(zx_bid_extend(s.ends_ms, s.ends_ms - 5 * MIN_MS), s.ends_ms); /* exactly 5 min left: no change */
    assert_int_equal(zx_bid_extend(s.ends_ms, s.ends_ms - 1000), s.ends_ms - 1000 + 5 * MIN_MS);
    assert_int_equal(zx_bid_extend(s.ends_ms, s.ends_ms - 1), s.ends_ms + 5 * MIN_MS - 1);
}

/* 网拍规定 arts 19, 21: a priority purchaser wins at an equal price; higher rank beats lower; same rank → earlier. */
static void test_bid_art21_priority(void **st)
{
    int64_t t0 = 1700000000000LL;
    zx_bid_state s = { .start_fen = 1000, .increment_fen = 100, .current_fen = 1500, .leader_priority_rank = 0,
                       .starts_ms = t0, .ends_ms = t0 + 24 * HOUR_MS };
    assert_int_equal(zx_bid_min_next(&s, 0), 1600);
    assert_int_equal(zx_bid_min_next(&s, 2), 1500);                 /* equal suffices */
    assert_int_equal(zx_bid_judge(&s, 1500, 2, t0 + 1), ZX_BID_OK);
    s.leader_priority_rank = 2;                                     /* rank 2 now leads at 1500 */
    assert_int_equal(zx_bid_judge(&s, 1500, 2, t0 + 2), ZX_BID_TOO_LOW); /* same rank: the earlier keeps it */
    assert_int_equal(zx_bid_judge(&s, 1500, 1, t0 + 2), ZX_BID_OK);      /* higher rank takes it at equal */
    assert_int_equal(zx_bid_judge(&s, 1500, 0, t0 + 2), ZX_BID_TOO_LOW);  /* ordinary bidder must raise */
    s.leader_priority_rank = 1;
    assert_int_equal(zx_bid_judge(&s, 1500, 2, t0 + 2), ZX_BID_TOO_LOW);  /* lower rank cannot take it */
    assert_int_equal(zx_bid_judge(&s, 1600, 2, t0 + 2), ZX_BID_OK);
}

static void test_refprice_methods_order(void **st)
{
    /* 参考价规定 arts 2–14: 议价 → 定向询价 → 网络询价 → 委托评估 */
    assert_string_equal(zx_refprice_method_name(ZX_RP_AGREED), "agreed");
    assert_int_equal(zx_refprice_method_parse("online_inquiry"), ZX_RP_ONLINE);
    assert_int_equal(zx_refprice_method_parse("appraisal"), ZX_RP_APPRAISAL);
    assert_int_equal(zx_refprice_method_parse("x"), -1);
    assert_int_equal(ZX_AUCTION_RULES.appraisal_institutions, 3); /* art 16 */
    assert_int_equal(ZX_AUCTION_RULES.appraisal_report_days, 30); /* art 19 */
    assert_int_equal(ZX_AUCTION_RULES.objection_days, 5);         /* arts 22–23 */
    assert_int_equal(ZX_AUCTION_RULES.online_report_days, 3);     /* art 11 */
}

static void test_refprice_art27_grace(void **st)
{
    /* 参考价规定 art 27: re-auctions may use the price up to 6 months after the year of validity */
    const int64_t day = 86400000LL;
    assert_true(zx_refprice_usable_later(0, 500 * day));
    assert_true(zx_refprice_usable_later(0, 540 * day));
    assert_false(zx_refprice_usable_later(0, 560 * day));
    assert_false(zx_refprice_valid(0, 500 * day));
}

static void test_auction_art17_creditor_deposit(void **st)
{
    /* 网拍规定 art 17: the applicant bidding pays no deposit; a smaller claim pays the difference */
    assert_int_equal(zx_auction_creditor_deposit(700000, 5000000), 0);
    assert_int_equal(zx_auction_creditor_deposit(700000, 700000), 0);
    assert_int_equal(zx_auction_creditor_deposit(700000, 200000), 500000);
    assert_int_equal(zx_auction_creditor_deposit(700000, 0), 700000);
    assert_int_equal(zx_auction_creditor_deposit(700000, -5), 700000);
}

static void test_setoff_paiban_art16_28_creditor_buyer(void **st)
{
    /* 拍卖变卖规定 art 28: priority claims first; 民诉解释 art 508: costs first; art 16 para 2: the
     * creditor pays in only the part above its claim (网拍规定 art 17 read with them) */
    zx_creditor_setoff o;
    zx_auction_creditor_setoff(1000000, 0, 300000, 50000, 5000000, &o); /* claim above what is left */
    assert_int_equal(o.setoff, 650000);
    assert_int_equal(o.cash, 350000);
    assert_int_equal(o.balance, 350000);
    zx_auction_creditor_setoff(1000000, 0, 300000, 50000, 200000, &o); /* small claim: the rest in money */
    assert_int_equal(o.setoff, 200000);
    assert_int_equal(o.cash, 800000);
    zx_auction_creditor_setoff(1000000, 100000, 0, 0, 5000000, &o); /* a paid deposit is applied first */
    assert_int_equal(o.setoff, 900000);
    assert_int_equal(o.cash, 100000);
    assert_int_equal(o.balance, 0);
    zx_auction_creditor_setoff(1000000, 0, 1200000, 0, 5000000, &o); /* priority claims take it all */
    assert_int_equal(o.setoff, 0);
    assert_int_equal(o.balance, 1000000);
    zx_auction_creditor_setoff(1000000, 0, 0, 0, -1, &o);
    assert_int_equal(o.setoff, 0);
}

static void test_restitution_minsufa_art244_split(void **st)
{
    /* 民诉法 art 244; 执行工作规定 art 65: what the court still holds goes back, the rest is owed */
    zx_restitution_split r;
    zx_auction_restitution_split(1000000, 5000000, &r);
    assert_int_equal(r.returned, 1000000);
    assert_int_equal(r.owed, 0);
    zx_auction_restitution_split(1000000, 300000, &r);
    assert_int_equal(r.returned, 300000);
    assert_int_equal(r.owed, 700000);
    zx_auction_restitution_split(1000000, -1, &r);
    assert_int_equal(r.returned, 0);
    assert_int_equal(r.owed, 1000000);
}

static void test_restitution_zhixing_guiding_art65_66(void **st)
{
    /* 执行工作规定 art 65 para 2: 执行回转应重新立案 — for money paid out or a thing received */
    assert_true(zx_auction_restitution_needs_case(700000, false));
    assert_true(zx_auction_restitution_needs_case(0, true));
    assert_false(zx_auction_restitution_needs_case(0, false));
    assert_string_equal(ZX_RESTITUTION_CASE_TYPE, "执");
    /* art 66 para 1: the thing returned; 折价赔偿 only with both parties' consent and a value */
    const char *code = NULL;
    assert_null(zx_auction_restitution_outcome_check("returned", false, 0, &code));
    assert_null(zx_auction_restitution_outcome_check("compensated", true, 5000000, &code));
    assert_non_null(zx_auction_restitution_outcome_check("compensated", false, 5000000, &code));
    assert_string_equal(code, "COMPENSATION_NOT_AGREED");
    assert_non_null(zx_auction_restitution_outcome_check("compensated", true, 0, &code));
    assert_string_equal(code, "VALIDATION_FAILED");
    /* art 66 para 2: no agreement → the 执行回转 procedure is terminated */
    assert_null(zx_auction_restitution_outcome_check("terminated", false, 0, &code));
    assert_non_null(zx_auction_restitution_outcome_check("terminated", true, 0, &code));
    assert_non_null(zx_auction_restitution_outcome_check("sold", false, 0, &code));
    assert_non_null(zx_auction_restitution_outcome_check(NULL, false, 0, &code));
}

static void test_refund_wangpai_art31_minfadian_art157(void **st)
{
    /* 网拍规定 art 31 + 民法典 art 157: the buyer of a sale set aside gets its price back — what the
     * original case still held, then (an outside buyer) what is recovered in the 执行回转 case (执行工作
     * 规定 art 65); never the 申请执行费 out of it (诉讼费用交纳办法 art 38) */
    zx_refund_due d;
    zx_auction_refund_due(300000, 700000, false, 0, 0, &d);
    assert_int_equal(d.from_case, 300000);
    assert_int_equal(d.from_restitution, 700000);
    zx_auction_refund_due(300000, 700000, false, 300000, 250000, &d); /* refunds already under way */
    assert_int_equal(d.from_case, 0);
    assert_int_equal(d.from_restitution, 450000);
    zx_auction_refund_due(300000, 700000, true, 0, 0, &d); /* an applicant-creditor buyer: paid out to itself */
    assert_int_equal(d.from_case, 300000);
    assert_int_equal(d.from_restitution, 0);
    zx_auction_refund_due(-1, -1, false, 5, 5, &d);
    assert_int_equal(d.from_case + d.from_restitution, 0);
    assert_false(ZX_REFUND_SETTLES_FEE);
}

static void test_restitution_zhixing_guiding_art66_specific_thing(void **st)
{
    /* 执行工作规定 art 66: the outcomes apply to a specific thing the applicant received, not to money */
    assert_true(zx_auction_restitution_is_thing(true, false));  /* 以物抵债 */
    assert_true(zx_auction_restitution_is_thing(false, true));  /* bought by the applicant-creditor */
    assert_false(zx_auction_restitution_is_thing(false, false)); /* sold to an outside buyer: money */
}

static void test_auction_art24_forfeit_split(void **st)
{
    /* 网拍规定 art 24: costs and losses → the re-sale difference → this debt */
    zx_forfeit_split f;
    zx_auction_forfeit_split(700000, 150000, 7000000, 6500000, &f);
    assert_int_equal(f.costs, 150000);
    assert_int_equal(f.difference, 500000);
    assert_int_equal(f.debt, 50000);
    zx_auction_forfeit_split(700000, 900000, 7000000, 6000000, &f); /* the costs take it all */
    assert_int_equal(f.costs, 700000);
    assert_int_equal(f.difference + f.debt, 0);
    zx_auction_forfeit_split(700000, 0, 7000000, 7500000, &f); /* re-sold higher: all to the debt */
    assert_int_equal(f.difference, 0);
    assert_int_equal(f.debt, 700000);
    zx_auction_forfeit_split(700000, 100000, 7000000, 0, &f); /* not re-sold (抵债/release) */
    assert_int_equal(f.costs + f.debt, 700000);
}

static void test_costs_bearer_and_objection_limits(void **st)
{
    const char *basis = NULL;
    assert_string_equal(zx_auction_cost_bearer("appraisal", false, &basis), "debtor"); /* 参考价规定 art 33 */
    assert_string_equal(basis, "参考价规定第三十三条");
    assert_string_equal(zx_auction_cost_bearer("auxiliary", false, &basis), "debtor"); /* 网拍规定 art 7 */
    assert_string_equal(zx_auction_cost_bearer("announcement", true, &basis), "applicant"); /* 拍卖变卖规定 art 6 */
    assert_int_equal(ZX_AUCTION_RULES.objection_forward_days, 3);  /* 参考价规定 art 23 */
    assert_int_equal(ZX_AUCTION_RULES.objection_explain_days, 5);  /* 参考价规定 art 23 */
    assert_int_equal(ZX_AUCTION_RULES.objection_ruling_days, 15);  /* 民诉法 art 236 */
    assert_int_equal(ZX_AUCTION_RULES.objection_review_days, 10);  /* 民诉法 art 236 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refprice_art13_mean),
        cmocka_unit_test(test_refprice_art27_validity),
        cmocka_unit_test(test_auction_art10_17_26_prices),
        cmocka_unit_test(test_auction_art12_26_announcement),
        cmocka_unit_test(test_bid_art20_judge_and_soft_close),
        cmocka_unit_test(test_bid_art21_priority),
        cmocka_unit_test(test_refprice_methods_order),
        cmocka_unit_test(test_refprice_art27_grace),
        cmocka_unit_test(test_auction_art17_creditor_deposit),
        cmocka_unit_test(test_auction_art24_forfeit_split),
        cmocka_unit_test(test_costs_bearer_and_objection_limits),
        cmocka_unit_test(test_setoff_paiban_art16_28_creditor_buyer),
        cmocka_unit_test(test_restitution_minsufa_art244_split),
        cmocka_unit_test(test_restitution_zhixing_guiding_art65_66),
        cmocka_unit_test(test_refund_wangpai_art31_minfadian_art157),
        cmocka_unit_test(test_restitution_zhixing_guiding_art66_specific_thing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
