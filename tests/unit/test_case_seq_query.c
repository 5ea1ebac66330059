/* test_case_seq_query.c — issue 9 item 13: which search texts are part of a 案号's number, and the
 * numbers they match, against a brute-force text match over every number 1 … max. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/case_seq_query.h"

static void test_parse(void **st)
{
    (void)st;
    zx_seq_query q;
    assert_true(zx_seq_query_parse("352", &q));
    assert_int_equal(q.mode, ZX_SEQ_CONTAINS);
    assert_int_equal(q.ntypes, 0);
    assert_true(zx_seq_query_parse("352号", &q));
    assert_int_equal(q.mode, ZX_SEQ_SUFFIX);
    assert_true(zx_seq_query_parse("执352", &q));
    assert_int_equal(q.mode, ZX_SEQ_PREFIX);
    assert_int_equal(q.ntypes, 1);
    assert_string_equal(q.types[0], "执");
    assert_true(zx_seq_query_parse("恢352号", &q));
    assert_int_equal(q.mode, ZX_SEQ_EXACT);
    assert_int_equal(q.ntypes, 1);
    assert_string_equal(q.types[0], "执恢");
    assert_true(zx_seq_query_parse("辽0102执恢352", &q));
    assert_string_equal(q.court_suffix, "辽0102");
    assert_string_equal(q.types[0], "执恢");
    assert_true(zx_seq_query_parse("02执35", &q));
    assert_string_equal(q.court_suffix, "02");
    /* not a number fragment: the trigram search answers */
    assert_false(zx_seq_query_parse("（2024）辽0102执352", &q));
    assert_false(zx_seq_query_parse("辽0102", &q));
    assert_false(zx_seq_query_parse("建设银行", &q));
    assert_false(zx_seq_query_parse("银行352", &q));
    assert_false(zx_seq_query_parse("执352号码", &q));
}

/* the numbers 1 … max whose decimal text matches, by brute force */
static int brute(const zx_seq_query *q, int64_t max, int64_t *out)
{
    int n = 0;
    size_t dl = strlen(q->digits);
    for (int64_t v = 1; v <= max; v++) {
        char b[24];
        size_t l = (size_t)snprintf(b, sizeof b, "%lld", (long long)v);
        bool ok = q->mode == ZX_SEQ_CONTAINS ? strstr(b, q->digits) != NULL
                : q->mode == ZX_SEQ_PREFIX   ? !strncmp(b, q->digits, dl)
                : q->mode == ZX_SEQ_SUFFIX   ? l >= dl && !strcmp(b + l - dl, q->digits)
                                             : !strcmp(b, q->digits);
        if (ok) out[n++] = v;
    }
    return n;
}

static void test_numbers_match_text(void **st)
{
    (void)st;
    static const char *texts[] = { "352", "000", "035", "111", "1", "12345", "352号", "05号", "执352", "执1",
                                   "执05", "执352号", "恢7号", "9999999" };
    static int64_t got[1000], want[40000];
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        zx_seq_query q;
        assert_true(zx_seq_query_parse(texts[i], &q));
        for (int64_t max = 1; max <= 30000; max = max * 3 + 7) {
            int w = brute(&q, max, want);
            int g = zx_seq_query_numbers(&q, max, got, 1000);
            if (w > 1000) {
                assert_int_equal(g, -1); /* too many: the caller uses the trigram search */
                continue;
            }
            assert_int_equal(g, w);
            for (int k = 0; k < w; k++) assert_int_equal(got[k], want[k]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_numbers_match_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
