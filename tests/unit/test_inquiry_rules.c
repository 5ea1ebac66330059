/* test_inquiry_rules.c — 查封、扣押、冻结 periods (民诉解释 art 485), renewal before expiry, the
 * no-over-seizure rule (查封规定 art 19), and SM2 signatures of the inquiry protocol (GB/T 32918 with
 * SM3, OpenSSL EVP): sign/verify, tamper, wrong key, PEM round trip, deterministic derivation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "inquiry/inquiry.h"
#include "inquiry/sm2.h"
#include "rules/seizure.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

/* 民诉解释 art 485: deposits 1 year, movables 2, real estate and other property rights 3. */
static void test_art485_periods(void **st)
{
    assert_int_equal(zx_control_class_of("deposit"), ZX_CTRL_DEPOSIT);
    assert_int_equal(zx_control_class_of("online_payment"), ZX_CTRL_DEPOSIT);
    assert_int_equal(zx_control_class_of("vehicle"), ZX_CTRL_MOVABLE);
    assert_int_equal(zx_control_class_of("ship"), ZX_CTRL_MOVABLE);
    assert_int_equal(zx_control_class_of("real_estate"), ZX_CTRL_RIGHTS);
    assert_int_equal(zx_control_class_of("equity"), ZX_CTRL_RIGHTS);
    assert_int_equal(zx_control_max_years(ZX_CTRL_DEPOSIT), 1);
    assert_int_equal(zx_control_max_years(ZX_CTRL_MOVABLE), 2);
    assert_int_equal(zx_control_max_years(ZX_CTRL_RIGHTS), 3);
    assert_int_equal(zx_control_until(ZX_CTRL_DEPOSIT, D("2026-03-10")), D("2027-03-09"));
    assert_int_equal(zx_control_until(ZX_CTRL_MOVABLE, D("2026-03-10")), D("2028-03-09"));
    assert_int_equal(zx_control_until(ZX_CTRL_RIGHTS, D("2024-02-29")), D("2027-02-27"));
}

/* 民诉解释 art 485: renewal before expiry, each time for at most the same maximum. */
static void test_art485_renewal(void **st)
{
    zx_date old = D("2027-03-09");
    assert_true(zx_control_renewal_ok(ZX_CTRL_DEPOSIT, D("2027-02-01"), old, D("2028-03-09")));
    assert_false(zx_control_renewal_ok(ZX_CTRL_DEPOSIT, D("2027-02-01"), old, D("2028-03-10"))); /* too long */
    assert_false(zx_control_renewal_ok(ZX_CTRL_DEPOSIT, D("2027-03-10"), old, D("2028-03-09"))); /* after expiry */
    assert_false(zx_control_renewal_ok(ZX_CTRL_DEPOSIT, D("2027-02-01"), old, old));             /* no extension */
    assert_true(zx_control_renewal_ok(ZX_CTRL_RIGHTS, D("2027-03-09"), old, D("2030-03-09")));
}

/* 查封规定 art 19: claim + costs is the limit; an indivisible asset may exceed it only when nothing
 * else is enough. */
static void test_art19_no_over_seizure(void **st)
{
    int64_t excess = -1;
    assert_true(zx_over_seizure_ok(100000, 0, 100000, false, 0, &excess));
    assert_int_equal(excess, 0);
    assert_false(zx_over_seizure_ok(100000, 0, 100001, false, 0, &excess));
    assert_int_equal(excess, 1);
    assert_false(zx_over_seizure_ok(100000, 60000, 50000, false, 0, &excess)); /* across the debtor's controls */
    assert_int_equal(excess, 10000);
    /* a flat worth 3,000,000 for a 100,000 claim, nothing else: allowed (indivisible, the only one) */
    assert_true(zx_over_seizure_ok(100000, 0, 300000000, true, 0, &excess));
    assert_int_equal(excess, 299900000);
    /* … but not when other assets would cover the claim */
    assert_false(zx_over_seizure_ok(100000, 0, 300000000, true, 200000, &excess));
    /* … nor once the claim is already covered by controls */
    assert_false(zx_over_seizure_ok(100000, 100000, 300000000, true, 0, &excess));
}

/* SM2 (GB/T 32918, SM3 digest, default ID): the court's seal on a request, the institution's on an answer. */
static void test_sm2_sign_verify(void **st)
{
    zx_sm2_key *k = zx_sm2_generate(), *other = zx_sm2_generate();
    assert_non_null(k);
    const char msg[] = "{\"protocol\":\"zx-inquiry/1\",\"requests\":[]}";
    char sig[ZX_SM2_SIG_HEX_MAX];
    assert_int_equal(zx_sm2_sign(k, msg, strlen(msg), sig, sizeof sig), 0);
    assert_true(zx_sm2_verify(k, msg, strlen(msg), sig));
    char tampered[sizeof msg];
    memcpy(tampered, msg, sizeof msg);
    tampered[5] ^= 1;
    assert_false(zx_sm2_verify(k, tampered, strlen(tampered), sig));
    assert_false(zx_sm2_verify(other, msg, strlen(msg), sig));
    assert_false(zx_sm2_verify(k, msg, strlen(msg), "zz"));
    /* PEM round trip: the pinned public key verifies, the private key signs */
    char *pub = zx_sm2_public_pem(k), *priv = zx_sm2_private_pem(k);
    zx_sm2_key *kp = zx_sm2_from_public_pem(pub), *kk = zx_sm2_from_private_pem(priv);
    assert_non_null(kp);
    assert_non_null(kk);
    assert_true(zx_sm2_verify(kp, msg, strlen(msg), sig));
    assert_int_equal(zx_sm2_sign(kk, msg, strlen(msg), sig, sizeof sig), 0);
    assert_true(zx_sm2_verify(kp, msg, strlen(msg), sig));
    assert_null(zx_sm2_from_public_pem("not a key"));
    char fa[65], fb[65];
    assert_int_equal(zx_sm2_fingerprint(k, fa), 0);
    assert_int_equal(zx_sm2_fingerprint(kp, fb), 0);
    assert_string_equal(fa, fb);
    free(pub);
    free(priv);
    zx_sm2_free(kp);
    zx_sm2_free(kk);
    zx_sm2_free(k);
    zx_sm2_free(other);
}

/* The simulator derives each institution's key from a secret: the same secret, the same key. */
static void test_sm2_derive(void **st)
{
    uint8_t s1[32], s2[32];
    memset(s1, 7, sizeof s1);
    memset(s2, 8, sizeof s2);
    zx_sm2_key *a = zx_sm2_derive(s1), *b = zx_sm2_derive(s1), *c = zx_sm2_derive(s2);
    char fa[65], fb[65], fc[65];
    zx_sm2_fingerprint(a, fa);
    zx_sm2_fingerprint(b, fb);
    zx_sm2_fingerprint(c, fc);
    assert_string_equal(fa, fb);
    assert_string_not_equal(fa, fc);
    char sig[ZX_SM2_SIG_HEX_MAX];
    assert_int_equal(zx_sm2_sign(a, "x", 1, sig, sizeof sig), 0);
    assert_true(zx_sm2_verify(b, "x", 1, sig));
    zx_sm2_free(a);
    zx_sm2_free(b);
    zx_sm2_free(c);
}

/* Answer windows of acknowledged requests (registry defaults by kind; an institution's row overrides)
 * and the polling schedule: backoff from the base, a poll at the usual answer time, capped at a
 * quarter of the window; a real-estate registry is given days, a bank minutes. */
static void test_answer_window_and_polls(void **st)
{
    int64_t e, w;
    const int64_t MIN = 60000, DAY = 86400000;
    zx_inq_window_of("deposit", 0, 0, &e, &w);
    assert_true(e <= 30 * MIN && w >= DAY); /* banks: minutes; wait up to days for a freeze */
    int64_t de = e;
    zx_inq_window_of("real_estate", 0, 0, &e, &w);
    assert_true(e >= DAY && w >= 5 * DAY && e > de);
    zx_inq_window_of("real_estate", 1500, 4000, &e, &w); /* the registry row's own figures */
    assert_int_equal(e, 1500);
    assert_int_equal(w, 4000);
    zx_inq_window_of("real_estate", 9000, 4000, &e, &w); /* usual time never beyond the window */
    assert_int_equal(e, 4000);
    zx_inq_window_of("no_such_kind", 0, 0, &e, &w);
    assert_true(e > 0 && w > e);
    setenv("ZX_INQ_POLL_MS", "30000", 1); /* read once */
    /* a registry: 2 days usual, 7 days window — 30 s, 60 s, 120 s … doubling, never above 1.75 days */
    const int64_t E = 2 * DAY, W = 7 * DAY;
    assert_int_equal(zx_inq_poll_delay(E, W, 0, 0), 30000);
    assert_int_equal(zx_inq_poll_delay(E, W, 1, 30000), 60000);
    assert_int_equal(zx_inq_poll_delay(E, W, 2, 90000), 120000);
    int64_t since = 0, last = 0;
    int polls = 0;
    while (since < W && polls < 100) {
        int64_t d = zx_inq_poll_delay(E, W, polls, since);
        assert_true(d >= last || since + d == E || last + since > E); /* non-decreasing but for the usual-time poll */
        assert_true(d <= W / 4);
        since += d;
        last = d;
        polls++;
    }
    assert_true(polls > 8 && polls < 40); /* more than the old 8 attempts, far fewer than a poll every 30 s */
    /* the poll at the usual answer time: 20 min in, usual 15 min? already past → plain backoff; 10 min
     * in with a 15-minute usual time and a 20-minute step → at 15 min */
    assert_int_equal(zx_inq_poll_delay(15 * MIN, 2 * DAY, 5, 10 * MIN), 5 * MIN);
}

/* Operations: an institution's registry row may allow fewer than its kind (some only answer queries);
 * both must name the operation, as whole words. */
static void test_institution_ops(void **st)
{
    assert_true(zx_inq_kind_supports("deposit", "deduct"));
    assert_false(zx_inq_kind_supports("vehicle", "deduct"));   /* a car is seized, not deducted */
    assert_false(zx_inq_kind_supports("household", "freeze")); /* 户籍: queries only */
    assert_true(zx_inq_ops_has("query freeze renew release deduct", "release"));
    assert_false(zx_inq_ops_has("query", "freeze"));
    assert_false(zx_inq_ops_has("query freezer", "freeze")); /* whole words */
    assert_false(zx_inq_ops_has(NULL, "query"));
    assert_false(zx_inq_ops_has("query", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_art485_periods),      cmocka_unit_test(test_art485_renewal),
        cmocka_unit_test(test_art19_no_over_seizure), cmocka_unit_test(test_sm2_sign_verify),
        cmocka_unit_test(test_sm2_derive),          cmocka_unit_test(test_answer_window_and_polls),
        cmocka_unit_test(test_institution_ops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
