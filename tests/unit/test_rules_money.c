/* test_rules_money.c — yuan ↔ fen, 诉讼费用交纳办法 art 14 fees, 迟延履行利息解释 (2014) arts 1–4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "rules/fees.h"
#include "rules/interest.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

static int64_t P(const char *s, unsigned flags)
{
    int64_t v = -777;
    assert_int_equal(zx_money_parse(s, flags, &v), 0);
    return v;
}

#define YUAN(y) ((int64_t)(y) * 100)

static void test_money_parse(void **st)
{
    int64_t v;
    assert_int_equal(P("1234.5", 0), 123450);
    assert_int_equal(P("1,234.56", 0), 123456);
    assert_int_equal(P("1,234,567", 0), 123456700);
    assert_int_equal(P("0.01", 0), 1);
    assert_int_equal(P("0", 0), 0);
    assert_int_equal(P("12", 0), 1200);
    assert_int_equal(P("-3.5", ZX_MONEY_ALLOW_NEGATIVE), -350);
    assert_int_equal(P("92233720368547758.07", 0), INT64_MAX);
    const char *bad[] = { "", "+1", "1.234", "1.", ".5", "1e3", "1,23.00", "12,345,67", "1234,567",
                          ",123", "1,,234", "01", "00.5", "0,123", "1 234", " 1", "1 ", "abc", "1.2x",
                          "92233720368547758.08", "99999999999999999999", "1,234.5.6", "1.-5", "--1" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = -777;
        if (zx_money_parse(bad[i], ZX_MONEY_ALLOW_NEGATIVE, &v) != -1) fail_msg("accepted %s", bad[i]);
        assert_int_equal(v, -777);
    }
    assert_int_equal(zx_money_parse("1,234.00", ZX_MONEY_NO_GROUPING, &v), -1);
    assert_int_equal(zx_money_parse("-1", 0, &v), -1); /* negatives only with the flag */
    assert_int_equal(zx_money_parse(NULL, 0, &v), -1);
}

static void test_money_format(void **st)
{
    char b[ZX_MONEY_BUF];
    assert_string_equal(zx_money_format(123456, b), "1,234.56");
    assert_string_equal(zx_money_format(0, b), "0.00");
    assert_string_equal(zx_money_format(1, b), "0.01");
    assert_string_equal(zx_money_format(-100000, b), "-1,000.00");
    assert_string_equal(zx_money_format(99999, b), "999.99");
    assert_string_equal(zx_money_format(INT64_MAX, b), "92,233,720,368,547,758.07");
    assert_string_equal(zx_money_format(INT64_MIN, b), "-92,233,720,368,547,758.08");
    assert_string_equal(zx_money_format_plain(123456, b), "1234.56");
    assert_string_equal(zx_money_format_plain(-5, b), "-0.05");
    /* round trip */
    int64_t samples[] = { 0, 1, 10, 99, 100, 123456789, 100000000000LL, INT64_MAX };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        int64_t v;
        assert_int_equal(zx_money_parse(zx_money_format(samples[i], b), 0, &v), 0);
        assert_int_equal(v, samples[i]);
        assert_int_equal(zx_money_parse(zx_money_format_plain(samples[i], b), 0, &v), 0);
        assert_int_equal(v, samples[i]);
    }
}

static void test_money_checked(void **st)
{
    int64_t r = 5;
    assert_true(zx_money_add(1, 2, &r));
    assert_int_equal(r, 3);
    assert_false(zx_money_add(INT64_MAX, 1, &r));
    assert_int_equal(r, 3);
    assert_true(zx_money_sub(1, 2, &r));
    assert_int_equal(r, -1);
    assert_false(zx_money_sub(INT64_MIN, 1, &r));
    assert_true(zx_money_mul(100, 3, &r));
    assert_int_equal(r, 300);
    assert_false(zx_money_mul(INT64_MAX / 2, 3, &r));
    assert_true(zx_money_muldiv_round(5, 1, 2, &r)); /* 2.5 → 3 half up */
    assert_int_equal(r, 3);
    assert_true(zx_money_muldiv_round(-5, 1, 2, &r));
    assert_int_equal(r, -3);
    assert_true(zx_money_muldiv_round(INT64_MAX, 3, 3, &r));
    assert_int_equal(r, INT64_MAX);
    assert_false(zx_money_muldiv_round(INT64_MAX, 2, 1, &r));
    assert_false(zx_money_muldiv_round(1, 1, 0, &r));
}

/* 诉讼费用交纳办法 art 14(1): ≤¥10,000 → ¥50; 1.5% to ¥500k; 1% to ¥5M; 0.5% to ¥10M; 0.1% above. */
static void test_fee_enforcement(void **st)
{
    assert_int_equal(zx_fee_enforcement(0), YUAN(50));
    assert_int_equal(zx_fee_enforcement(YUAN(10000)), YUAN(50));
    assert_int_equal(zx_fee_enforcement(YUAN(10000) + 1), YUAN(50));       /* 0.015 fen → rounds to 0 */
    assert_int_equal(zx_fee_enforcement(YUAN(10000) + 34), YUAN(50) + 1);  /* 0.51 fen → 1 fen (half up) */
    assert_int_equal(zx_fee_enforcement(YUAN(10000) + 33), YUAN(50));      /* 0.495 fen → 0 */
    assert_int_equal(zx_fee_enforcement(YUAN(20000)), YUAN(200));          /* 50 + 10,000 × 1.5% */
    assert_int_equal(zx_fee_enforcement(YUAN(500000)), YUAN(7400));        /* band top, rules.md §7 */
    assert_int_equal(zx_fee_enforcement(YUAN(1000000)), YUAN(12400));      /* the worked example */
    assert_int_equal(zx_fee_enforcement(YUAN(5000000)), YUAN(52400));
    assert_int_equal(zx_fee_enforcement(YUAN(10000000)), YUAN(77400));
    assert_int_equal(zx_fee_enforcement(YUAN(20000000)), YUAN(87400));     /* + 10M × 0.1% */
    assert_int_equal(zx_fee_enforcement(123456789), 1474568);             /* 1,234,567.89 → 14,745.68 (exact 14,745.6789) */
    assert_true(zx_fee_enforcement(INT64_MAX) > 0);
    assert_int_equal(zx_fee_enforcement(-1), -1);
    /* monotone */
    int64_t prev = 0;
    for (int64_t a = 0; a < YUAN(12000000); a += 99991) {
        int64_t f = zx_fee_enforcement(a);
        assert_true(f >= prev);
        prev = f;
    }
    /* no-amount cases: ¥50–500 */
    assert_true(zx_fee_enforcement_no_amount_valid(YUAN(50)));
    assert_true(zx_fee_enforcement_no_amount_valid(YUAN(500)));
    assert_false(zx_fee_enforcement_no_amount_valid(YUAN(50) - 1));
    assert_false(zx_fee_enforcement_no_amount_valid(YUAN(500) + 1));
}

/* 诉讼费用交纳办法 art 14(2): ≤¥1,000 → ¥30; 1%; 0.5% above ¥100,000; cap ¥5,000. */
static void test_fee_preservation(void **st)
{
    assert_int_equal(zx_fee_preservation(0), YUAN(30));
    assert_int_equal(zx_fee_preservation(YUAN(1000)), YUAN(30));
    assert_int_equal(zx_fee_preservation(YUAN(2000)), YUAN(40));
    assert_int_equal(zx_fee_preservation(YUAN(100000)), YUAN(1020));
    assert_int_equal(zx_fee_preservation(YUAN(200000)), YUAN(1520));
    assert_int_equal(zx_fee_preservation(YUAN(896000)), YUAN(5000)); /* the cap is reached here */
    assert_int_equal(zx_fee_preservation(YUAN(895000)), YUAN(4995));
    assert_int_equal(zx_fee_preservation(YUAN(100000000)), YUAN(5000));
    assert_int_equal(zx_fee_preservation(-5), -1);
}

/* 迟延履行利息解释 art 1: principal × 0.000175 × days; days after `from` through `to`. */
static void test_interest_simple(void **st)
{
    int64_t r;
    assert_int_equal(zx_delay_interest_days(D("2024-01-01"), D("2024-01-31")), 30);
    assert_int_equal(zx_delay_interest_days(D("2024-01-01"), D("2024-01-01")), 0);
    assert_int_equal(zx_delay_interest_days(D("2024-01-02"), D("2024-01-01")), -1);
    assert_int_equal(zx_delay_interest_days(D("2024-02-28"), D("2024-03-01")), 2); /* leap day counts */
    assert_int_equal(zx_delay_interest_simple(YUAN(1000000), 30, &r), 0);
    assert_int_equal(r, YUAN(5250));                                    /* 1,000,000 × 0.000175 × 30 */
    assert_int_equal(zx_delay_interest_simple(YUAN(100000), 365, &r), 0);
    assert_int_equal(r, 638750);                                        /* ¥6,387.50 ≈ 6.39% p.a. */
    assert_int_equal(zx_delay_interest_simple(2857, 1, &r), 0);         /* 0.4999… fen → 0 */
    assert_int_equal(r, 0);
    assert_int_equal(zx_delay_interest_simple(2858, 1, &r), 0);         /* 0.50015 fen → 1 */
    assert_int_equal(r, 1);
    assert_int_equal(zx_delay_interest_simple(0, 100, &r), 0);
    assert_int_equal(r, 0);
    assert_int_equal(zx_delay_interest_simple(INT64_MAX, 100000, &r), -1); /* overflow → error */
    assert_int_equal(zx_delay_interest_simple(-1, 1, &r), -1);
    assert_int_equal(zx_delay_interest_simple(1, -1, &r), -1);
}

/* arts 3–4: excluded periods (中止/暂缓 not at the debtor's request) and partial payments. */
static void test_interest_periods(void **st)
{
    zx_interest_result res;
    /* plain equals simple */
    assert_int_equal(zx_delay_interest(YUAN(1000000), D("2024-01-01"), D("2024-01-31"), NULL, 0, NULL, 0, &res), 0);
    assert_int_equal(res.days, 30);
    assert_int_equal(res.interest_fen, YUAN(5250));
    assert_int_equal(res.principal_left_fen, YUAN(1000000));
    /* 中止 2024-01-11..2024-01-20 inclusive: 10 days not counted */
    zx_interest_exclusion ex[] = { { D("2024-01-11"), D("2024-01-20") }, { D("2024-01-15"), D("2024-01-16") } };
    assert_int_equal(zx_delay_interest(YUAN(1000000), D("2024-01-01"), D("2024-01-31"), ex, 2, NULL, 0, &res), 0);
    assert_int_equal(res.days, 20);
    assert_int_equal(res.interest_fen, YUAN(3500));
    /* a payment of ¥400,000 on 2024-01-10: that day still accrues on ¥1M (art 3: interest runs to
     * the payment date), then ¥600,000 for the remaining 21 days */
    zx_interest_payment pay[] = { { D("2024-01-10"), YUAN(400000) } };
    assert_int_equal(zx_delay_interest(YUAN(1000000), D("2024-01-01"), D("2024-01-31"), NULL, 0, pay, 1, &res), 0);
    assert_int_equal(res.days, 30);
    assert_int_equal(res.interest_fen, (YUAN(1000000) * 9 + YUAN(600000) * 21) * 175 / 1000000);
    assert_int_equal(res.principal_left_fen, YUAN(600000));
    /* full payment stops the clock (art 4: principal first); over-payment does not go negative */
    zx_interest_payment full[] = { { D("2024-01-20"), YUAN(700000) }, { D("2024-01-05"), YUAN(400000) } };
    assert_int_equal(zx_delay_interest(YUAN(1000000), D("2024-01-01"), D("2024-01-31"), NULL, 0, full, 2, &res), 0);
    assert_int_equal(res.days, 19);
    assert_int_equal(res.principal_left_fen, 0);
    assert_int_equal(res.interest_fen, (YUAN(1000000) * 4 + YUAN(600000) * 15) * 175 / 1000000);
    /* a payment on or before `from` reduces the principal from the first day */
    zx_interest_payment early[] = { { D("2024-01-01"), YUAN(500000) } };
    assert_int_equal(zx_delay_interest(YUAN(1000000), D("2024-01-01"), D("2024-01-31"), NULL, 0, early, 1, &res), 0);
    assert_int_equal(res.interest_fen, YUAN(2625));
    /* errors */
    assert_int_equal(zx_delay_interest(YUAN(1), D("2024-01-02"), D("2024-01-01"), NULL, 0, NULL, 0, &res), -1);
    zx_interest_exclusion bad[] = { { D("2024-01-20"), D("2024-01-10") } };
    assert_int_equal(zx_delay_interest(YUAN(1), D("2024-01-01"), D("2024-01-31"), bad, 1, NULL, 0, &res), -1);
    zx_interest_payment neg[] = { { D("2024-01-10"), -1 } };
    assert_int_equal(zx_delay_interest(YUAN(1), D("2024-01-01"), D("2024-01-31"), NULL, 0, neg, 1, &res), -1);
    assert_int_equal(zx_delay_interest(INT64_MAX, D("1990-01-01"), D("2100-01-01"), NULL, 0, NULL, 0, &res), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_parse),      cmocka_unit_test(test_money_format),
        cmocka_unit_test(test_money_checked),    cmocka_unit_test(test_fee_enforcement),
        cmocka_unit_test(test_fee_preservation), cmocka_unit_test(test_interest_simple),
        cmocka_unit_test(test_interest_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
