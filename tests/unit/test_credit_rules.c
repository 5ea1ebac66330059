/* test_credit_rules.c — 失信 / 限消 rules (src/rules/dishonest.c, src/rules/restriction.c).
 * 失信规定 = 法释〔2013〕17号 as amended by 法释〔2017〕7号; 限消规定 = 法释〔2010〕8号 (2015);
 * 法发〔2019〕35号 for the grace period, sign-and-serve and temporary permissions. rules.md §3–4.
 * Each test names the article it checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "credit/decisions.h"
#include "credit/entry.h"
#include "credit/snapshot.h"
#include "core/pii.h"
#include "store/db.h"
#include "rules/dishonest.h"
#include "rules/id_number.h"
#include "rules/restriction.h"

static zx_date D(const char *s)
{
    zx_date d = ZX_DATE_NONE;
    assert_int_equal(zx_date_parse(s, &d), 0);
    return d;
}

static bool has(const zx_reason *rs, int n, const char *code)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(rs[i].code, code)) return true;
    return false;
}

static zx_dis_facts ok_facts(void)
{
    return (zx_dis_facts){ .ground = 1, .is_debtor = true, .case_open = true, .outstanding = true, .is_person = true,
                           .id_valid = true, .birth = D("1980-05-05"), .decided_on = D("2025-06-10"),
                           .applicant_deleted_on = ZX_DATE_NONE, .conduct_given = true };
}

/* 失信规定 art 1: the six grounds; a proper case passes the gate. */
static void test_art1_grounds_and_clean_gate(void **st)
{
    zx_reason rs[16];
    zx_dis_facts f = ok_facts();
    assert_int_equal(zx_dis_gate(&f, rs, 16), 0);
    for (int g = 1; g <= 6; g++) assert_non_null(zx_dis_ground_get(g));
    assert_null(zx_dis_ground_get(0));
    assert_null(zx_dis_ground_get(7));
    f.ground = 7;
    int n = zx_dis_gate(&f, rs, 16);
    assert_true(has(rs, n, "INVALID_GROUND"));
    f = ok_facts();
    f.outstanding = false; /* art 1: only a debtor who has not performed */
    n = zx_dis_gate(&f, rs, 16);
    assert_true(has(rs, n, "NOTHING_OUTSTANDING"));
}

/* 失信规定 art 4: minors are refused — age from the ID birth date at the decision date. */
static void test_art4_minor_refused_at_decision_date(void **st)
{
    zx_reason rs[16];
    zx_dis_facts f = ok_facts();
    f.birth = D("2007-06-11");
    f.decided_on = D("2025-06-10"); /* 17 years old the day before the 18th birthday */
    int n = zx_dis_gate(&f, rs, 16);
    assert_true(has(rs, n, "MINOR"));
    for (int i = 0; i < n; i++)
        if (!strcmp(rs[i].code, "MINOR")) assert_string_equal(rs[i].article, "失信规定 art 4");
    f.decided_on = D("2025-06-11"); /* 18th birthday: adult */
    n = zx_dis_gate(&f, rs, 16);
    assert_false(has(rs, n, "MINOR"));
    /* the same rule through the ID number: birth date from GB 11643 */
    char id[19];
    assert_int_equal(zx_idno_make("210102", D("2010-01-01"), 17, id), 0);
    zx_idno_info info;
    assert_int_equal(zx_idno_check(id, D("2025-06-10"), &info), ZX_IDNO_OK);
    f.birth = info.birth;
    n = zx_dis_gate(&f, rs, 16);
    assert_true(has(rs, n, "MINOR"));
}

/* 失信规定 art 3: the exclusions bar ground 1 only, and every reason is reported at once. */
static void test_art3_exclusions_ground1_only(void **st)
{
    zx_reason rs[16];
    zx_dis_facts f = ok_facts();
    f.security_adequate = f.seized_sufficient = f.later_in_order = true;
    f.birth = D("2010-01-01");
    int n = zx_dis_gate(&f, rs, 16);
    assert_int_equal(n, 4);
    assert_true(has(rs, n, "ADEQUATE_SECURITY"));
    assert_true(has(rs, n, "SEIZED_SUFFICIENT"));
    assert_true(has(rs, n, "LATER_IN_ORDER"));
    assert_true(has(rs, n, "MINOR"));
    f.ground = 3;
    f.birth = D("1980-01-01");
    assert_int_equal(zx_dis_gate(&f, rs, 16), 0);
}

/* 失信规定 art 2: ground 1 has no fixed term; grounds 2–6 → 2 years. */
static void test_art2_terms(void **st)
{
    assert_int_equal(zx_dis_term_end(1, D("2025-03-01"), 0), ZX_DATE_NONE);
    for (int g = 2; g <= 6; g++) assert_int_equal(zx_dis_term_end(g, D("2025-03-01"), 0), D("2027-03-01"));
    /* 民法典 art 202: no corresponding day → the last day of the month */
    assert_int_equal(zx_dis_term_end(2, D("2024-02-29"), 0), D("2026-02-28"));
}

/* 失信规定 art 2: extension 1–3 years, total ≤ 3, grounds 2–6 only, with the stated reason. */
static void test_art2_extension(void **st)
{
    zx_reason rs[8];
    assert_int_equal(zx_dis_extend_check(2, 0, 1, true, true, rs, 8), 0);
    assert_int_equal(zx_dis_extend_check(2, 0, 3, true, true, rs, 8), 0);
    assert_int_equal(zx_dis_term_end(2, D("2025-03-01"), 3), D("2030-03-01")); /* max 5 years */
    int n = zx_dis_extend_check(2, 0, 4, true, true, rs, 8);
    assert_true(has(rs, n, "INVALID_EXTENSION"));
    n = zx_dis_extend_check(2, 2, 2, true, true, rs, 8);
    assert_true(has(rs, n, "EXTENSION_EXCEEDED"));
    n = zx_dis_extend_check(1, 0, 1, true, true, rs, 8);
    assert_true(has(rs, n, "NO_TERM"));
    n = zx_dis_extend_check(3, 0, 1, false, true, rs, 8);
    assert_true(has(rs, n, "REASON_REQUIRED"));
    zx_dis_facts f = ok_facts();
    f.ground = 1;
    f.extension_years = 1;
    f.extension_reason_given = true;
    n = zx_dis_gate(&f, rs, 8);
    assert_true(has(rs, n, "INVALID_EXTENSION"));
}

/* 法发〔2019〕35号: grace 1–3 months from service; not published (not effective) during grace. */
static void test_grace_not_published(void **st)
{
    zx_date served = D("2025-01-31");
    zx_date pub = zx_dis_publish_on(served, 1);
    assert_int_equal(pub, D("2025-02-28"));
    assert_int_equal(zx_dis_publish_on(served, 0), served);
    assert_false(zx_dis_effective("grace", pub, ZX_DATE_NONE, D("2025-02-27")));
    assert_true(zx_dis_effective("grace", pub, ZX_DATE_NONE, D("2025-02-28")));
    assert_true(zx_dis_effective("active", pub, D("2027-02-28"), D("2027-02-28")));
    assert_false(zx_dis_effective("active", pub, D("2027-02-28"), D("2027-03-01"))); /* art 2 term over */
    assert_false(zx_dis_effective("deleted", pub, ZX_DATE_NONE, D("2025-03-01")));
    zx_reason rs[8];
    zx_dis_facts f = ok_facts();
    f.grace_months = 4;
    assert_true(has(rs, zx_dis_gate(&f, rs, 8), "INVALID_GRACE"));
}

/* 失信规定 art 10: delete within 3 working days of the trigger — across the 2025 National Day
 * holiday (国办发明电〔2024〕12号: 10-01…10-08 off, Sat 10-11 a working day). */
static void test_art10_deletion_deadline_across_holiday(void **st)
{
    assert_non_null(zx_dis_trigger_get("full_performance"));
    assert_non_null(zx_dis_trigger_get("no_property_after_interim"));
    assert_non_null(zx_dis_trigger_get("term_expired"));
    assert_null(zx_dis_trigger_get("whim"));
    assert_int_equal(zx_dis_deletion_due(D("2025-09-30")), D("2025-10-11"));
    /* an ordinary week: Wed → Mon */
    assert_int_equal(zx_dis_deletion_due(D("2025-06-11")), D("2025-06-16"));
    /* art 9: 撤销/更正 likewise within 3 working days */
    assert_int_equal(zx_dis_fix_due(D("2025-09-30")), D("2025-10-11"));
}

/* 失信规定 art 12: review 15 days; 复议 within 10 days; decided within 15 days. */
static void test_art12_correction_periods(void **st)
{
    assert_int_equal(zx_dis_review_due(D("2025-06-03")), D("2025-06-18"));
    assert_int_equal(zx_dis_reconsider_by(D("2025-06-03")), D("2025-06-13"));
    assert_int_equal(zx_dis_reconsider_due(D("2025-06-03")), D("2025-06-18"));
    /* 民诉法 art 85: a period ending on a holiday runs to the next working day */
    assert_int_equal(zx_dis_review_due(D("2025-09-16")), D("2025-10-09"));
}

/* 失信规定 art 10 para 4: 6-month bar on re-listing at the applicant's request, to the end of its last
 * day (the corresponding day six months on, 民法典 art 201–203). */
static void test_art10_relisting_bar_6_months(void **st)
{
    assert_true(zx_dis_relisting_barred(D("2025-01-15"), D("2025-07-14")));
    assert_true(zx_dis_relisting_barred(D("2025-01-15"), D("2025-07-15")));   /* the last day */
    assert_false(zx_dis_relisting_barred(D("2025-01-15"), D("2025-07-16")));
    assert_true(zx_dis_relisting_barred(D("2025-08-31"), D("2026-02-28")));   /* no 31 Feb: month end */
    assert_false(zx_dis_relisting_barred(D("2025-08-31"), D("2026-03-01")));
    zx_reason rs[8];
    zx_dis_facts f = ok_facts();
    f.on_application = true;
    f.applicant_deleted_on = D("2025-03-01");
    f.decided_on = D("2025-06-10");
    assert_true(has(rs, zx_dis_gate(&f, rs, 8), "RELISTING_BAR"));
    f.on_application = false; /* ex officio listing on a new ground is not barred (art 10 para 3) */
    assert_false(has(rs, zx_dis_gate(&f, rs, 8), "RELISTING_BAR"));
}

/* Credit repair — local rules (法发〔2019〕35号; 失信规定 art 2 para 2). */
static void test_credit_repair_local_rules(void **st)
{
    zx_reason rs[8];
    zx_repair_rules rr = { .enabled = true, .after_months = 6, .min_percent = 50 };
    assert_int_equal(zx_dis_repair_check(&rr, D("2025-01-01"), D("2025-07-01"), 60, 100, rs, 8), 0);
    assert_true(has(rs, zx_dis_repair_check(&rr, D("2025-01-01"), D("2025-06-30"), 60, 100, rs, 8), "REPAIR_TOO_EARLY"));
    assert_true(has(rs, zx_dis_repair_check(&rr, D("2025-01-01"), D("2025-07-01"), 40, 100, rs, 8), "REPAIR_NOT_PERFORMED"));
    rr.enabled = false;
    assert_true(has(rs, zx_dis_repair_check(&rr, D("2025-01-01"), D("2025-07-01"), 100, 100, rs, 8), "REPAIR_DISABLED"));
}

/* 限消规定 art 3 para 2 (执行程序解释 art 24): a unit binds four persons; a person debtor binds none. */
static void test_restr_unit_binds_four_persons(void **st)
{
    int n = 0;
    const char *roles[] = { "legal_rep", "principal", "responsible_person", "controller", "agent", "contact" };
    for (int i = 0; i < 6; i++) n += zx_restr_binds("unit", roles[i]);
    assert_int_equal(n, 4);
    assert_false(zx_restr_binds("person", "legal_rep"));
    assert_true(zx_restr_required(true));   /* 限消规定 art 1 para 2: 失信 → must restrict */
    assert_false(zx_restr_required(false)); /* art 1 para 1: may */
}

/* 限消规定 art 9: lifting on security / consent (may) or full performance (must); not while 失信. */
static void test_restr_lifting(void **st)
{
    zx_reason rs[8];
    assert_int_equal(zx_restr_lift_check("security", false, true, rs, 8), 0);
    assert_int_equal(zx_restr_lift_check("applicant_consent", false, true, rs, 8), 0);
    assert_true(has(rs, zx_restr_lift_check("applicant_consent", true, true, rs, 8), "DISHONEST_LISTED"));
    assert_int_equal(zx_restr_lift_check("full_performance", true, true, rs, 8), 0);
    assert_true(has(rs, zx_restr_lift_check("mood", false, true, rs, 8), "INVALID_REASON"));
    zx_restr_facts f = { .is_debtor = true, .case_open = true, .outstanding = true, .id_valid = true, .category_mask = -1 };
    assert_true(has(rs, zx_restr_gate(&f, rs, 8), "UNKNOWN_CATEGORY"));
}

/* 法发〔2019〕35号 para 17: a temporary permission window allows only its categories on its days. */
static void test_restr_temporary_permission_window(void **st)
{
    zx_reason rs[8];
    zx_date today = D("2025-06-10");
    int flight = 1 << ZX_CAT_FLIGHT, hotel = 1 << ZX_CAT_HOTEL;
    assert_int_equal(zx_restr_permit_check("medical", flight, D("2025-06-12"), D("2025-06-15"), false, true, today, rs, 8), 0);
    assert_true(zx_restr_permit_allows((uint16_t)flight, D("2025-06-12"), D("2025-06-15"), ZX_CAT_FLIGHT, D("2025-06-12")));
    assert_true(zx_restr_permit_allows((uint16_t)flight, D("2025-06-12"), D("2025-06-15"), ZX_CAT_FLIGHT, D("2025-06-15")));
    assert_false(zx_restr_permit_allows((uint16_t)flight, D("2025-06-12"), D("2025-06-15"), ZX_CAT_FLIGHT, D("2025-06-16")));
    assert_false(zx_restr_permit_allows((uint16_t)flight, D("2025-06-12"), D("2025-06-15"), ZX_CAT_HOTEL, D("2025-06-13")));
    assert_true(has(rs, zx_restr_permit_check("exam", hotel, D("2025-06-12"), D("2025-06-13"), false, true, today, rs, 8),
                    "CATEGORY_NOT_PERMITTED"));
    assert_true(has(rs, zx_restr_permit_check("funeral", flight, D("2025-06-12"), D("2025-08-13"), false, true, today, rs, 8),
                    "WINDOW_TOO_LONG"));
    assert_true(has(rs, zx_restr_permit_check("funeral", flight, D("2025-06-09"), D("2025-06-13"), false, true, today, rs, 8),
                    "INVALID_WINDOW"));
    /* private consumption with own money: only a unit's bound persons (限消规定 art 3 para 2) */
    assert_true(has(rs, zx_restr_permit_check("private_consumption", hotel, D("2025-06-12"), D("2025-12-01"), false, true, today, rs, 8),
                    "NOT_BOUND_PERSON"));
    assert_int_equal(zx_restr_permit_check("private_consumption", hotel, D("2025-06-12"), D("2025-12-01"), true, true, today, rs, 8), 0);
}

/* 法发〔2019〕35号 para 17(3): the temporary permit lifts only flights and high-speed rail (not soft
 * sleepers, ships or anything else), for at most one month, with the 院长's approval. */
static void test_para17_permit_flight_rail_one_month(void **st)
{
    zx_reason rs[8];
    zx_date today = D("2025-06-10");
    int fr = (1 << ZX_CAT_FLIGHT) | (1 << ZX_CAT_HIGH_SPEED_RAIL);
    const zx_restr_permit_kind *k = zx_restr_permit_kind_get("medical");
    assert_true(k->chief_approval);
    assert_int_equal(k->max_months, 1);
    assert_int_equal(k->allowed, fr);
    assert_int_equal(zx_restr_permit_check("medical", fr, D("2025-06-12"), D("2025-07-11"), false, true, today, rs, 8), 0);
    assert_true(has(rs, zx_restr_permit_check("medical", fr, D("2025-06-12"), D("2025-07-12"), false, true, today, rs, 8),
                    "WINDOW_TOO_LONG")); /* one month from 06-12 ends before 07-12 */
    assert_true(has(rs, zx_restr_permit_check("official_duty", 1 << ZX_CAT_TRAIN_SLEEPER, D("2025-06-12"), D("2025-06-13"),
                                              false, true, today, rs, 8), "CATEGORY_NOT_PERMITTED"));
    assert_true(has(rs, zx_restr_permit_check("exam", 1 << ZX_CAT_SHIP_CABIN, D("2025-06-12"), D("2025-06-13"),
                                              false, true, today, rs, 8), "CATEGORY_NOT_PERMITTED"));
    assert_false(zx_restr_permit_kind_get("private_consumption")->chief_approval); /* 限消规定 art 3 para 2 */
}

/* 限消规定 art 3: every restricted debtor is bound by all nine items — a partial order is refused; a
 * 执保 case has no effective judgment obligation (art 1). */
static void test_restr_art3_all_nine_items_no_preservation(void **st)
{
    zx_reason rs[8];
    zx_restr_facts f = { .is_debtor = true, .case_open = true, .outstanding = true, .id_valid = true,
                         .category_mask = ZX_CAT_ALL };
    assert_int_equal(zx_restr_gate(&f, rs, 8), 0);
    f.category_mask = (1 << ZX_CAT_FLIGHT) | (1 << ZX_CAT_HIGH_SPEED_RAIL);
    assert_true(has(rs, zx_restr_gate(&f, rs, 8), "PARTIAL_ORDER"));
    f.category_mask = ZX_CAT_ALL;
    f.preservation_case = true;
    assert_true(has(rs, zx_restr_gate(&f, rs, 8), "PRESERVATION_CASE"));
}

/* 失信规定 art 1(4): ground 4 needs a served 报告财产令, its period passed and no true report; art 1(5):
 * ground 5 needs a 限制消费令 in force; art 1: no listing on a 执保 case. */
static void test_art1_ground4_ground5_and_preservation(void **st)
{
    zx_reason rs[16];
    zx_dis_facts f = ok_facts();
    f.ground = 4;
    assert_true(has(rs, zx_dis_gate(&f, rs, 16), "REPORT_VIOLATION_NOT_ESTABLISHED")); /* no order */
    f.report_order_served = true;
    assert_true(has(rs, zx_dis_gate(&f, rs, 16), "REPORT_VIOLATION_NOT_ESTABLISHED")); /* period running */
    f.report_period_passed = true;
    f.report_true = true;
    assert_true(has(rs, zx_dis_gate(&f, rs, 16), "REPORT_VIOLATION_NOT_ESTABLISHED")); /* reported truly */
    f.report_true = false;
    assert_int_equal(zx_dis_gate(&f, rs, 16), 0);
    f = ok_facts();
    f.ground = 5;
    assert_true(has(rs, zx_dis_gate(&f, rs, 16), "NO_RESTRICTION_ORDER"));
    f.restriction_in_force = true;
    assert_int_equal(zx_dis_gate(&f, rs, 16), 0);
    f = ok_facts();
    f.preservation_case = true;
    assert_true(has(rs, zx_dis_gate(&f, rs, 16), "PRESERVATION_CASE"));
}

/* ---- the periodic sweep against a real store (SQLite) ------------------------------------------- */

static db_t *g_db;
static char g_dir[256];

static int db_setup(void **state)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/zx_test_credit_rules_XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    char url[300], err[256];
    snprintf(url, sizeof url, "sqlite:%s/t.db", g_dir);
    g_db = db_open(url, 2, err, sizeof err);
    if (!g_db || db_migrate(g_db, err, sizeof err) != 0) {
        fprintf(stderr, "store: %s\n", err);
        return -1;
    }
    char keys[300]; /* credit ID numbers are stored sealed, looked up by blind index (migration 042) */
    snprintf(keys, sizeof keys, "%s/t.keys", g_dir);
    if (zx_pii_init(keys, true, err, sizeof err)) {
        fprintf(stderr, "pii: %s\n", err);
        return -1;
    }
    db_conn *c = db_acquire(g_db);
    int rc = db_exec(c, "INSERT INTO court (id, code, name, level) VALUES (1, '辽0102', '沈阳市和平区人民法院', 4);"
                        "INSERT INTO enf_case (id, case_no, year, court_id, type_code, filed_on, claim_fen, created_ms, updated_ms)"
                        " VALUES (10, '（2022）辽0102执1号', 2022, 1, '执', '2022-03-01', 100000, 0, 0)");
    if (rc == 0) rc = zx_credit_snapshot_load(c) < 0;
    db_release(g_db, c);
    return rc;
}

static int db_teardown(void **state)
{
    zx_credit_snapshot_reset();
    db_close(g_db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    return system(cmd) != 0;
}

static int64_t add_entry(db_conn *c, int seq, const char *publish, const char *term_end)
{
    struct zx_credit_entry e;
    zx_credit_entry_init(&e);
    snprintf(e.list, sizeof e.list, "dishonest");
    e.case_id = 10;
    snprintf(e.case_no, sizeof e.case_no, "（2022）辽0102执1号");
    snprintf(e.court_code, sizeof e.court_code, "辽0102");
    snprintf(e.person_kind, sizeof e.person_kind, "person");
    snprintf(e.name, sizeof e.name, "测试%d", seq);
    assert_int_equal(zx_idno_make("210102", D("1980-01-01"), seq, e.id_number), 0);
    e.ground = 2;
    snprintf(e.decided_on, sizeof e.decided_on, "%s", publish);
    snprintf(e.served_on, sizeof e.served_on, "%s", publish);
    snprintf(e.publish_on, sizeof e.publish_on, "%s", publish);
    snprintf(e.term_end, sizeof e.term_end, "%s", term_end ? term_end : "");
    snprintf(e.status, sizeof e.status, "active");
    assert_int_equal(db_begin(c), 0);
    assert_true(zx_credit_entry_save(c, &e, "listed") > 0);
    assert_int_equal(db_commit(c), 0);
    return e.id;
}

static int64_t q1(db_conn *c, const char *sql)
{
    int64_t v = -1;
    assert_int_equal(db_exec_int64(c, sql, &v), 0);
    return v;
}

/* 失信规定 art 10 para 2: after a fixed term the sweep records a term_expired deletion due within 3
 * working days of expiry, once. */
static void test_sweep_term_expired_deletion_due(void **st)
{
    db_conn *c = db_acquire(g_db);
    zx_date today = zx_today();
    char te[11], pub[11];
    zx_date_format(today - 2, te);
    zx_date_format(zx_date_add_months(today - 1, -24), pub);
    int64_t id = add_entry(c, 7, pub, te);
    int64_t open_id = add_entry(c, 9, pub, NULL); /* ground 1 style: no term, never swept */
    assert_true(zx_cd_sweep(c, today) >= 1);
    char sql[256], due[11];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = %lld AND trigger_code = 'term_expired'"
                              " AND status = 'due'", (long long)id);
    assert_int_equal(q1(c, sql), 1);
    zx_date_format(zx_dis_deletion_due(today - 2), due);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = %lld AND due_on = '%s'", (long long)id, due);
    assert_int_equal(q1(c, sql), 1);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = %lld", (long long)open_id);
    assert_int_equal(q1(c, sql), 0);
    assert_int_equal(q1(c, "SELECT COUNT(*) FROM case_event WHERE case_id = 10 AND kind = 'credit_deletion_due'"), 1);
    zx_cd_sweep(c, today); /* idempotent */
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM credit_deletion WHERE entry_id = %lld", (long long)id);
    assert_int_equal(q1(c, sql), 1);
    db_release(g_db, c);
}

/* Give entry id a permission window (flight) [from, to] that the entry carries now. */
static void set_window(db_conn *c, int64_t id, const char *from, const char *to, struct zx_credit_entry *e)
{
    assert_int_equal(zx_credit_entry_load(c, id, e), 0);
    snprintf(e->permit_categories, sizeof e->permit_categories, "flight");
    snprintf(e->permit_from, sizeof e->permit_from, "%s", from);
    snprintf(e->permit_to, sizeof e->permit_to, "%s", to);
    assert_int_equal(db_begin(c), 0);
    assert_true(zx_credit_entry_save(c, e, "corrected") > 0);
    assert_int_equal(db_commit(c), 0);
}

/* An active temporary permission (credit_permit) of entry_id for cats over [from, to]. */
static void add_permit(db_conn *c, int64_t id, int64_t entry_id, const char *cats, const char *from, const char *to)
{
    db_stmt *s = db_prepare(c, "INSERT INTO credit_permit (id, entry_id, kind, categories, from_on, to_on, reason, status,"
                               " created_by, created_ms) VALUES (?, ?, 'exam', ?, ?, ?, 'x', 'active', 0, 0)");
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, entry_id);
    db_bind_text(s, 3, cats, -1);
    db_bind_text(s, 4, from, -1);
    db_bind_text(s, 5, to, -1);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
}

/* 法发〔2019〕35号 para 17: when a permission window has ended, the entry carries the next one. */
static void test_sweep_permit_window_rolls_over(void **st)
{
    db_conn *c = db_acquire(g_db);
    zx_date today = zx_today();
    char pub[11], a[11], b[11], x[11], y[11];
    zx_date_format(today - 30, pub);
    int64_t id = add_entry(c, 11, pub, NULL);
    zx_date_format(today - 5, a);
    zx_date_format(today - 1, b);
    zx_date_format(today + 1, x);
    zx_date_format(today + 3, y);
    struct zx_credit_entry e;
    set_window(c, id, a, b, &e);
    add_permit(c, id + 1, id, "flight high_speed_rail", x, y);
    assert_true(zx_cd_sweep(c, today) >= 1);
    assert_int_equal(zx_credit_entry_load(c, id, &e), 0);
    assert_string_equal(e.permit_from, x);
    assert_string_equal(e.permit_to, y);
    assert_string_equal(e.permit_categories, "flight high_speed_rail");
    db_release(g_db, c);
}

/* 法发〔2019〕35号 para 17, during an online blind-index rotation (`zhixing pii rotate --index`, phase 3):
 * the debtor's entry whose window ended is still indexed under the old key, the entry of the same
 * debtor in the same case that carries the next permission was written under the next key. The sweep
 * looks the debtor up by both forms (core/pii.h ZX_PII_IN), never by the one stored index, so the next
 * window is found and rolled onto the first entry. */
static void test_sweep_permit_window_during_index_rotation(void **st)
{
    db_conn *c = db_acquire(g_db);
    zx_date today = zx_today();
    char pub[11], a[11], b[11], x[11], y[11], keys[300], err[256];
    zx_date_format(today - 30, pub);
    zx_date_format(today - 5, a);
    zx_date_format(today - 1, b);
    zx_date_format(today + 2, x);
    zx_date_format(today + 6, y);
    snprintf(keys, sizeof keys, "%s/t.keys", g_dir);
    int64_t old_id = add_entry(c, 23, pub, NULL); /* under the index key */
    struct zx_credit_entry e;
    set_window(c, old_id, a, b, &e);
    char idx_old[65];
    snprintf(idx_old, sizeof idx_old, "%s", "");
    { /* the stored index before the rotation */
        db_stmt *q = db_prepare(c, "SELECT id_number FROM credit_entry WHERE id = ?");
        db_bind_int64(q, 1, old_id);
        assert_int_equal(db_step(q), DB_ROW);
        snprintf(idx_old, sizeof idx_old, "%s", db_col_text(q, 0));
        db_finalize(q);
    }
    /* phases 1–2: a next index key, new blind indexes written under it */
    assert_int_equal(zx_pii_index_next_add(keys, err, sizeof err), 0);
    assert_int_equal(zx_pii_index_write_next(keys, err, sizeof err), 0);
    struct zx_credit_entry r;
    zx_credit_entry_init(&r);
    memcpy(&r, &e, sizeof r);
    r.id = 0;
    r.version = 1;
    snprintf(r.list, sizeof r.list, "restricted");
    r.permit_categories[0] = r.permit_from[0] = r.permit_to[0] = 0;
    assert_int_equal(db_begin(c), 0);
    assert_true(zx_credit_entry_save(c, &r, "listed") > 0);
    assert_int_equal(db_commit(c), 0);
    { /* the two entries of one debtor are indexed under different keys now */
        db_stmt *q = db_prepare(c, "SELECT id_number FROM credit_entry WHERE id = ?");
        db_bind_int64(q, 1, r.id);
        assert_int_equal(db_step(q), DB_ROW);
        assert_string_not_equal(db_col_text(q, 0), idx_old);
        db_finalize(q);
    }
    add_permit(c, r.id + 1, r.id, "flight", x, y);
    assert_true(zx_cd_sweep(c, today) >= 1);
    assert_int_equal(zx_credit_entry_load(c, old_id, &e), 0);
    assert_string_equal(e.permit_from, x); /* the next window, found across the two keys */
    assert_string_equal(e.permit_to, y);
    assert_string_equal(e.permit_categories, "flight");
    assert_int_equal(zx_pii_index_drop_next(keys, err, sizeof err), 0);
    db_release(g_db, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_art1_grounds_and_clean_gate),
        cmocka_unit_test(test_para17_permit_flight_rail_one_month),
        cmocka_unit_test(test_restr_art3_all_nine_items_no_preservation),
        cmocka_unit_test(test_art1_ground4_ground5_and_preservation),
        cmocka_unit_test(test_art4_minor_refused_at_decision_date),
        cmocka_unit_test(test_art3_exclusions_ground1_only),
        cmocka_unit_test(test_art2_terms),
        cmocka_unit_test(test_art2_extension),
        cmocka_unit_test(test_grace_not_published),
        cmocka_unit_test(test_art10_deletion_deadline_across_holiday),
        cmocka_unit_test(test_art12_correction_periods),
        cmocka_unit_test(test_art10_relisting_bar_6_months),
        cmocka_unit_test(test_credit_repair_local_rules),
        cmocka_unit_test(test_restr_unit_binds_four_persons),
        cmocka_unit_test(test_restr_lifting),
        cmocka_unit_test(test_restr_temporary_permission_window),
    };
    const struct CMUnitTest store_tests[] = {
        cmocka_unit_test(test_sweep_term_expired_deletion_due),
        cmocka_unit_test(test_sweep_permit_window_rolls_over),
        cmocka_unit_test(test_sweep_permit_window_during_index_rotation),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    return rc + cmocka_run_group_tests(store_tests, db_setup, db_teardown);
}
