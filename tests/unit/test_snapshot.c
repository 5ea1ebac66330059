/* test_snapshot.c — the credit matching engine (src/credit/snapshot.c, entry.c): building from the
 * store, lookups, delta application, version monotonicity, the grace period (法发〔2019〕35号), lifting,
 * category semantics (限消规定 art 3; a 失信 debtor is restricted in every item, art 1 para 2),
 * terms (失信规定 art 2), temporary permissions, ID corrections, merges, concurrent readers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/date.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "credit/querylog.h"
#include "core/ids.h"
#include "credit/snapshot.h"
#include "rules/credit_code.h"
#include "rules/id_number.h"
#include "store/db.h"

static db_t *g_db;
static char g_dir[256];
static zx_date g_today;
static char g_schema[64]; /* PostgreSQL runs: the throwaway schema */

static int setup(void **state)
{
    snprintf(g_dir, sizeof g_dir, "/tmp/zx_test_snap_XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    char url[1200], err[256];
    snprintf(url, sizeof url, "sqlite:%s/t.db", g_dir);
    const char *pg = getenv("ZX_TEST_PG_URL");
    if (pg && *pg) { /* a throwaway schema, so reruns and other tests never share rows */
        snprintf(g_schema, sizeof g_schema, "zxsnap_%ld", (long)getpid());
        db_t *base = db_open(pg, 1, err, sizeof err);
        if (!base) {
            fprintf(stderr, "db_open: %s\n", err);
            return -1;
        }
        db_conn *c = db_acquire(base);
        char sql[200];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", g_schema, g_schema);
        int rc = db_exec(c, sql);
        db_release(base, c);
        db_close(base);
        if (rc != 0) return -1;
        snprintf(url, sizeof url, "%s%coptions=-csearch_path%%3D%s", pg, strchr(pg, '?') ? '&' : '?', g_schema);
    }
    g_db = db_open(url, 4, err, sizeof err);
    if (!g_db) {
        fprintf(stderr, "db_open: %s\n", err);
        return -1;
    }
    if (db_migrate(g_db, err, sizeof err) != 0) {
        fprintf(stderr, "migrate: %s\n", err);
        return -1;
    }
    g_today = zx_today();
    char keys[300]; /* ID numbers are stored sealed, looked up by blind index (migration 042) */
    snprintf(keys, sizeof keys, "%s/t.keys", g_dir);
    if (zx_pii_init(keys, true, err, sizeof err)) {
        fprintf(stderr, "pii: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    zx_credit_snapshot_reset();
    if (g_schema[0]) {
        db_conn *c = db_acquire(g_db);
        char sql[120];
        snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", g_schema);
        db_exec(c, sql);
        db_release(g_db, c);
    }
    db_close(g_db);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) return -1;
    return 0;
}

static void person_id(int n, char out[19])
{
    zx_idno_make("110105", zx_date_from_ymd(1970 + n % 40, 1 + n % 12, 1 + n % 28), n % 1000, out);
}

static void day(int offset, char out[11]) { zx_date_format(g_today + offset, out); }

/* Save one entry in its own transaction and sync; returns the entry id. */
static int64_t save(struct zx_credit_entry *e, const char *action)
{
    db_conn *c = db_acquire(g_db);
    assert_int_equal(db_begin(c), 0);
    int64_t seq = zx_credit_entry_save(c, e, action);
    if (seq <= 0) fail_msg("save failed %lld: %s", (long long)seq, db_errmsg(c));
    assert_int_equal(db_commit(c), 0);
    int64_t v = zx_credit_sync(c);
    assert_true(v >= seq); /* the listing is visible before the caller replies */
    db_release(g_db, c);
    return e->id;
}

static void entry(struct zx_credit_entry *e, const char *list, const char *id, const char *cats, int publish_offset)
{
    zx_credit_entry_init(e);
    snprintf(e->list, sizeof e->list, "%s", list);
    snprintf(e->id_number, sizeof e->id_number, "%s", id);
    snprintf(e->name, sizeof e->name, "张三");
    snprintf(e->case_no, sizeof e->case_no, "（2025）京0105执%d号", (int)(id[16] - '0') + 100);
    snprintf(e->court_code, sizeof e->court_code, "京0105");
    snprintf(e->categories, sizeof e->categories, "%s", cats ? cats : "");
    if (strcmp(list, "dishonest") == 0) e->ground = 1;
    day(-90, e->decided_on);
    day(publish_offset, e->publish_on);
    snprintf(e->status, sizeof e->status, "%s", publish_offset > 0 ? "grace" : "active");
}

static int check(const char *id, const char *cat, zx_date today, zx_credit_basis *b)
{
    char norm[19];
    enum zx_id_kind k = zx_credit_id_normalise(id, strlen(id), g_today, norm);
    assert_int_not_equal(k, ZX_IDK_INVALID);
    const zx_credit_view *v = zx_credit_read_begin();
    zx_credit_basis tmp[4];
    int n = zx_credit_lookup(v, norm, k, cat ? zx_credit_cat_bit(cat, -1) : -1, today, b ? b : tmp, 4);
    zx_credit_read_end(v);
    return n;
}

static void test_id_normalise(void **state)
{
    char id[19], out[19];
    person_id(7, id);
    assert_int_equal(zx_credit_id_normalise(id, 18, g_today, out), ZX_IDK_PERSON);
    char bad[19];
    memcpy(bad, id, 19);
    bad[17] = bad[17] == '0' ? '1' : '0'; /* GB 11643 MOD 11-2 check fails */
    assert_int_equal(zx_credit_id_normalise(bad, 18, g_today, out), ZX_IDK_INVALID);
    /* 15-digit legacy → 18 with "19" and a check character */
    assert_int_equal(zx_credit_id_normalise("110105700101123", 15, g_today, out), ZX_IDK_PERSON);
    assert_memory_equal(out, "11010519700101123", 17);
    assert_true(zx_idno_valid(out, g_today));
    char code[19];
    assert_int_equal(zx_uscc_make('9', '1', "110105", 12345678, code), 0);
    assert_int_equal(zx_credit_id_normalise(code, 18, g_today, out), ZX_IDK_UNIT);
    /* the key of a queried ID equals the key of the same ID opened from the store (any spacing or
     * case of the sealed form: zx_pii_normalise), and is not the blind index the store holds */
    zx_credit_key a = zx_credit_id_key(out, ZX_IDK_UNIT), b = zx_credit_plain_key(out);
    assert_true(a.key != 0 && a.key == b.key && a.check == b.check);
    char spaced[40], lower[19];
    snprintf(spaced, sizeof spaced, " %.9s %.9s ", out, out + 9);
    zx_credit_key c = zx_credit_plain_key(spaced);
    assert_true(c.key == a.key && c.check == a.check);
    char hex[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_ID_NUMBER, out, hex);
    uint64_t bi = 0;
    for (int i = 0; i < 16; i++) bi = bi << 4 | (uint64_t)(hex[i] <= '9' ? hex[i] - '0' : hex[i] - 'a' + 10);
    assert_true(a.key != bi);
    /* a person's ID: lower-case x is the same person */
    char px[19];
    for (int n = 0;; n++) {
        person_id(n, px);
        if (px[17] == 'X') break;
    }
    memcpy(lower, px, 19);
    lower[17] = 'x';
    zx_credit_key p1 = zx_credit_id_key(px, ZX_IDK_PERSON), p2 = zx_credit_plain_key(lower);
    assert_true(p1.key == p2.key && p1.check == p2.check);
    assert_true(p1.key != a.key && p1.check != a.check);
    /* an invalid ID has no key */
    zx_credit_key z = zx_credit_id_key(out, ZX_IDK_INVALID);
    assert_true(z.key == 0 && z.check == 0);
    char m[19];
    zx_credit_id_mask(id, m);
    assert_int_equal(strlen(m), 18);
    assert_memory_equal(m, id, 10);
    assert_memory_equal(m + 10, "****", 4);
    assert_memory_equal(m + 14, id + 14, 4);
}

static void test_categories(void **state)
{
    assert_int_equal(zx_credit_cat_bit("flight", -1), ZX_CAT_FLIGHT);
    assert_int_equal(zx_credit_cat_bit("rocket", -1), -1);
    assert_int_equal(zx_credit_cat_mask(NULL), ZX_CAT_ALL);
    assert_int_equal(zx_credit_cat_mask("flight hotel"), (1 << ZX_CAT_FLIGHT) | (1 << ZX_CAT_HOTEL));
    assert_int_equal(zx_credit_cat_mask("flight nope"), -1);
    /* 限消规定 art 3 has nine items; every item is covered by some code */
    int items[10] = { 0 };
    for (int i = 0; i < ZX_CAT_COUNT; i++) items[zx_credit_categories[i].item] = 1;
    for (int i = 1; i <= 9; i++) assert_true(items[i]);
    char buf[300];
    zx_credit_cat_format((1 << ZX_CAT_FLIGHT) | (1 << ZX_CAT_TRAVEL), buf, sizeof buf);
    assert_string_equal(buf, "flight travel");
}

static void test_build_and_lookup(void **state)
{
    char a[19], b[19], c[19];
    person_id(1, a);
    person_id(2, b);
    person_id(3, c);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, -30);
    save(&e, "listed");
    entry(&e, "restricted", b, "flight hotel", -30);
    save(&e, "listed");
    /* Rebuild from the store (as at server start). */
    zx_credit_snapshot_reset();
    db_conn *conn = db_acquire(g_db);
    int64_t ver = zx_credit_snapshot_load(conn);
    db_release(g_db, conn);
    assert_true(ver >= 2);
    assert_int_equal(zx_credit_version(), ver);

    zx_credit_basis bs[4];
    /* dishonest blocks every art-3 category */
    for (int i = 0; i < ZX_CAT_COUNT; i++) assert_int_equal(check(a, zx_credit_categories[i].code, g_today, NULL), 1);
    assert_int_equal(check(a, "flight", g_today, bs), 1);
    assert_int_equal(bs[0].list, ZX_LIST_DISHONEST);
    assert_string_equal(bs[0].court, "京0105");
    assert_true(strncmp(bs[0].case_no, "（2025）京0105执", strlen("（2025）京0105执")) == 0);
    assert_int_equal(bs[0].since, g_today - 30);
    /* restricted blocks only its ordered categories */
    assert_int_equal(check(b, "flight", g_today, bs), 1);
    assert_int_equal(bs[0].list, ZX_LIST_RESTRICTED);
    assert_int_equal(check(b, "hotel", g_today, NULL), 1);
    assert_int_equal(check(b, "vehicle", g_today, NULL), 0);
    assert_int_equal(check(b, "high_speed_rail", g_today, NULL), 0);
    /* unlisted */
    assert_int_equal(check(c, "flight", g_today, NULL), 0);
}

static void test_delta_and_versions(void **state)
{
    char a[19];
    person_id(11, a);
    int64_t v0 = zx_credit_version();
    assert_int_equal(check(a, "flight", g_today, NULL), 0);
    struct zx_credit_entry e;
    entry(&e, "restricted", a, NULL, -1); /* NULL categories = every item */
    int64_t id = save(&e, "listed");
    int64_t v1 = zx_credit_version();
    assert_true(v1 > v0);
    assert_int_equal(check(a, "flight", g_today, NULL), 1);
    assert_int_equal(check(a, "private_school", g_today, NULL), 1);
    /* a second listing (another case) adds a second basis */
    struct zx_credit_entry e2;
    entry(&e2, "dishonest", a, NULL, -1);
    snprintf(e2.case_no, sizeof e2.case_no, "（2025）京0105执999号");
    save(&e2, "listed");
    zx_credit_basis bs[4];
    assert_int_equal(check(a, "flight", g_today, bs), 2);
    /* lifting the 限消 leaves the 失信 basis */
    struct zx_credit_entry l;
    db_conn *c = db_acquire(g_db);
    assert_int_equal(zx_credit_entry_load(c, id, &l), 0);
    db_release(g_db, c);
    snprintf(l.status, sizeof l.status, "lifted");
    save(&l, "lifted");
    int64_t v2 = zx_credit_version();
    assert_true(v2 > v1);
    assert_int_equal(check(a, "flight", g_today, bs), 1);
    assert_int_equal(bs[0].list, ZX_LIST_DISHONEST);
    /* deleting the 失信 entry: allowed */
    snprintf(e2.status, sizeof e2.status, "deleted");
    save(&e2, "deleted");
    assert_int_equal(check(a, "flight", g_today, NULL), 0);
    assert_true(zx_credit_version() > v2);
    /* a sync with nothing new keeps the version */
    int64_t v3 = zx_credit_version();
    c = db_acquire(g_db);
    assert_int_equal(zx_credit_sync(c), v3);
    db_release(g_db, c);
    assert_int_equal(zx_credit_version(), v3);
}

static void test_grace_not_visible(void **state)
{
    char a[19];
    person_id(21, a);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, 30); /* 宽限期: published in 30 days */
    save(&e, "listed");
    assert_int_equal(check(a, "flight", g_today, NULL), 0);
    assert_int_equal(check(a, NULL, g_today, NULL), 0);
    assert_int_equal(check(a, "flight", g_today + 29, NULL), 0);
    assert_int_equal(check(a, "flight", g_today + 30, NULL), 1); /* effective on publish_on, no rebuild */
    /* also after a full rebuild from the store */
    zx_credit_snapshot_reset();
    db_conn *c = db_acquire(g_db);
    zx_credit_snapshot_load(c);
    db_release(g_db, c);
    assert_int_equal(check(a, "flight", g_today, NULL), 0);
    assert_int_equal(check(a, "flight", g_today + 30, NULL), 1);
}

static void test_term_and_permission(void **state)
{
    char a[19], b[19];
    person_id(31, a);
    person_id(32, b);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, -700);
    e.ground = 3;
    day(10, e.term_end); /* 失信规定 art 2: 2-year term ends in 10 days */
    save(&e, "listed");
    assert_int_equal(check(a, "flight", g_today + 10, NULL), 1);
    assert_int_equal(check(a, "flight", g_today + 11, NULL), 0);
    /* 法发〔2019〕35号 para 17: temporary permission to fly for medical treatment, 5 days */
    entry(&e, "restricted", b, "flight high_speed_rail hotel", -10);
    snprintf(e.permit_categories, sizeof e.permit_categories, "flight high_speed_rail");
    day(2, e.permit_from);
    day(6, e.permit_to);
    save(&e, "corrected");
    assert_int_equal(check(b, "flight", g_today, NULL), 1);
    assert_int_equal(check(b, "flight", g_today + 2, NULL), 0);
    assert_int_equal(check(b, "high_speed_rail", g_today + 6, NULL), 0);
    assert_int_equal(check(b, "hotel", g_today + 3, NULL), 1);
    assert_int_equal(check(b, "flight", g_today + 7, NULL), 1);
}

static void test_id_correction_and_unit(void **state)
{
    char a[19], b[19], code[19];
    person_id(41, a);
    person_id(42, b);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, -5);
    save(&e, "listed");
    assert_int_equal(check(a, "flight", g_today, NULL), 1);
    snprintf(e.id_number, sizeof e.id_number, "%s", b); /* 更正: wrong ID number */
    save(&e, "corrected");
    assert_int_equal(check(a, "flight", g_today, NULL), 0);
    assert_int_equal(check(b, "flight", g_today, NULL), 1);

    assert_int_equal(zx_uscc_make('9', '1', "110105", 7654321, code), 0);
    entry(&e, "restricted", code, "real_estate", -5);
    snprintf(e.person_kind, sizeof e.person_kind, "unit");
    snprintf(e.name, sizeof e.name, "北京某某科技有限公司");
    save(&e, "listed");
    assert_int_equal(check(code, "real_estate", g_today, NULL), 1);
    assert_int_equal(check(code, "flight", g_today, NULL), 0);
    char other[19];
    assert_int_equal(zx_uscc_make('9', '1', "110105", 7654322, other), 0);
    assert_int_equal(check(other, "real_estate", g_today, NULL), 0);
}

static void test_merge_keeps_answers(void **state)
{
    char ids[50][19];
    struct zx_credit_entry e;
    for (int i = 0; i < 50; i++) {
        person_id(100 + i, ids[i]);
        entry(&e, i % 2 ? "dishonest" : "restricted", ids[i], "flight", -3);
        save(&e, "listed");
    }
    int64_t v = zx_credit_version();
    zx_credit_snapshot_merge();
    assert_int_equal(zx_credit_version(), v);
    for (int i = 0; i < 50; i++) {
        assert_int_equal(check(ids[i], "flight", g_today, NULL), 1);
        assert_int_equal(check(ids[i], "hotel", g_today, NULL), i % 2);
    }
    /* changes after the merge still apply */
    char x[19];
    person_id(777, x);
    entry(&e, "dishonest", x, NULL, -1);
    save(&e, "listed");
    assert_int_equal(check(x, "travel", g_today, NULL), 1);
    assert_true(zx_credit_version() > v);
}

/* Readers on other threads while the writer keeps syncing: answers are never torn and versions
 * never go backwards within a thread. */
static atomic_int stop_readers;
static char rd_id[19];
static void *reader(void *arg)
{
    int64_t last = 0;
    long n = 0;
    while (!atomic_load(&stop_readers)) {
        const zx_credit_view *v = zx_credit_read_begin();
        int64_t ver = zx_credit_view_version(v);
        if (ver < last) return (void *)1;
        last = ver;
        zx_credit_basis b[4];
        char norm[19];
        enum zx_id_kind k = zx_credit_id_normalise(rd_id, 18, g_today, norm);
        int r = zx_credit_lookup(v, norm, k, ZX_CAT_FLIGHT, g_today, b, 4);
        if (r > 0 && b[0].case_no_len <= 0) return (void *)2;
        zx_credit_read_end(v);
        n++;
    }
    return n > 0 ? NULL : (void *)3;
}

static void test_concurrent_readers(void **state)
{
    person_id(555, rd_id);
    pthread_t th[2];
    atomic_store(&stop_readers, 0);
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, reader, NULL);
    struct zx_credit_entry e;
    for (int i = 0; i < 30; i++) {
        entry(&e, "restricted", rd_id, "flight", -1);
        int64_t id = save(&e, "listed");
        assert_int_equal(check(rd_id, "flight", g_today, NULL), 1);
        snprintf(e.status, sizeof e.status, "lifted");
        e.id = id;
        save(&e, "lifted");
        assert_int_equal(check(rd_id, "flight", g_today, NULL), 0);
        if (i == 15) zx_credit_snapshot_merge();
    }
    atomic_store(&stop_readers, 1);
    for (int i = 0; i < 2; i++) {
        void *rv;
        pthread_join(th[i], &rv);
        assert_null(rv);
    }
}

static void test_rebuild_equals_incremental(void **state)
{
    /* Everything saved so far: the incremental view and a fresh build must agree. */
    char ids[200][19];
    int before[200][3];
    const char *cats[3] = { "flight", "hotel", "real_estate" };
    for (int i = 0; i < 200; i++) {
        person_id(i < 100 ? i : 10000 + i, ids[i]);
        for (int j = 0; j < 3; j++) before[i][j] = check(ids[i], cats[j], g_today, NULL);
    }
    int64_t v = zx_credit_version();
    zx_credit_snapshot_reset();
    db_conn *c = db_acquire(g_db);
    assert_int_equal(zx_credit_snapshot_load(c), v);
    db_release(g_db, c);
    for (int i = 0; i < 200; i++)
        for (int j = 0; j < 3; j++) assert_int_equal(check(ids[i], cats[j], g_today, NULL), before[i][j]);
}

/* A hit on the 64-bit table key alone never answers: the check word (the other 64 bits of the
 * 128-bit keyed hash) must match too — a false "listed" is as bad as a false "allow". */
static void test_key_collision_needs_check_word(void **state)
{
    char a[19], norm[19];
    person_id(301, a);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, -5);
    save(&e, "listed");
    assert_int_equal(zx_credit_id_normalise(a, 18, g_today, norm), ZX_IDK_PERSON);
    zx_credit_key k = zx_credit_id_key(norm, ZX_IDK_PERSON);
    zx_credit_basis b[4];
    const zx_credit_view *v = zx_credit_read_begin();
    assert_int_equal(zx_credit_lookup_key(v, k, ZX_IDK_PERSON, -1, g_today, b, 4), 1);
    zx_credit_key forged = k;
    forged.check ^= 1; /* another ID whose hash shares the table key */
    assert_int_equal(zx_credit_lookup_key(v, forged, ZX_IDK_PERSON, -1, g_today, b, 4), 0);
    zx_credit_read_end(v);
    /* the same after a rebuild from the store (base table instead of delta) */
    zx_credit_snapshot_reset();
    db_conn *c = db_acquire(g_db);
    assert_true(zx_credit_snapshot_load(c) > 0);
    db_release(g_db, c);
    v = zx_credit_read_begin();
    assert_int_equal(zx_credit_lookup_key(v, k, ZX_IDK_PERSON, -1, g_today, b, 4), 1);
    assert_int_equal(zx_credit_lookup_key(v, forged, ZX_IDK_PERSON, -1, g_today, b, 4), 0);
    zx_credit_read_end(v);
}

/* The snapshot is built from the sealed numbers: an effective entry whose sealed number does not
 * open would silently answer "allow" for a listed debtor, so the build refuses; the rows hold no ID
 * number in clear (id_number is the blind index). */
static void test_build_refuses_unopenable_entry(void **state)
{
    char a[19], norm[19];
    person_id(302, a);
    struct zx_credit_entry e;
    entry(&e, "dishonest", a, NULL, -5);
    int64_t id = save(&e, "listed");
    assert_int_equal(zx_credit_id_normalise(a, 18, g_today, norm), ZX_IDK_PERSON);
    db_conn *c = db_acquire(g_db);
    db_stmt *s = db_prepare(c, "SELECT id_number, id_number_enc FROM credit_entry WHERE id = ?");
    db_bind_int64(s, 1, id);
    assert_int_equal(db_step(s), DB_ROW);
    char hex[ZX_PII_INDEX_HEX];
    zx_pii_index(ZX_PII_ID_NUMBER, norm, hex);
    assert_string_equal(db_col_text(s, 0), hex);
    size_t len = 0;
    const unsigned char *blob = db_col_blob(s, 1, &len);
    assert_true(len > 18 && memmem(blob, len, norm, 18) == NULL);
    unsigned char *copy = malloc(len);
    memcpy(copy, blob, len);
    db_finalize(s);
    /* flip one ciphertext bit: the tag no longer matches */
    copy[30] ^= 0x01;
    s = db_prepare(c, "UPDATE credit_entry SET id_number_enc = ? WHERE id = ?");
    db_bind_blob(s, 1, copy, len);
    db_bind_int64(s, 2, id);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    zx_credit_snapshot_reset();
    assert_true(zx_credit_snapshot_load(c) < 0);
    /* restored, it builds and answers again */
    copy[30] ^= 0x01;
    s = db_prepare(c, "UPDATE credit_entry SET id_number_enc = ? WHERE id = ?");
    db_bind_blob(s, 1, copy, len);
    db_bind_int64(s, 2, id);
    assert_int_equal(db_step(s), DB_DONE);
    db_finalize(s);
    free(copy);
    zx_credit_snapshot_reset();
    assert_true(zx_credit_snapshot_load(c) > 0);
    db_release(g_db, c);
    assert_int_equal(check(a, "flight", g_today, NULL), 1);
}

static void test_name_fold(void **state)
{
    char *n = zx_credit_name_norm("張 三");
    assert_string_equal(n, "张三");
    free(n);
    n = zx_credit_name_norm("阿依古丽·买买提");
    assert_string_equal(n, "阿依古丽买买提");
    free(n);
}

/* The partner query log is searchable by ID number across every key form it has held (issue 10:
 * digests written before a change of the snapshot key stay findable): a query logged under each
 * form — before sealing (17 digits), session 2 (blind index bytes), session 3 (SipHash), now (AES)
 * — is found by zx_qlog_search_id; another ID is not. */
static void test_querylog_all_forms(void **st)
{
    (void)st;
    db_conn *c = db_acquire(g_db);
    assert_int_equal(zx_qlog_init(c), 0);
    char id[19], other[19], out[19];
    person_id(31, id);
    person_id(32, other);
    assert_int_equal(zx_credit_id_normalise(id, 18, g_today, out), ZX_IDK_PERSON);
    uint64_t f[ZX_QLOG_FORMS];
    int n = zx_qlog_id_forms(out, ZX_IDK_PERSON, f);
    assert_int_equal(n, 4); /* AES, SipHash, blind index (no rotation under way), digits */
    assert_true(f[0] == zx_credit_id_key(out, ZX_IDK_PERSON).key);
    uint64_t digits = 0;
    for (int i = 0; i < 17; i++) digits = digits * 10 + (uint64_t)(out[i] - '0');
    assert_true(f[n - 1] == digits);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) assert_true(f[i] != f[j]);
    int64_t t0 = zx_now_ms();
    for (int i = 0; i < n; i++) {
        zx_qlog_buf *b = zx_qlog_begin(424242, ZX_QLOG_CHECK, 1);
        zx_qlog_add(b, f[i], -1, ZX_QLOG_ALLOW);
        zx_qlog_end(b);
    }
    assert_true(zx_qlog_flush(g_db) >= 1);
    int64_t t1 = zx_now_ms();
    assert_int_equal(zx_qlog_search_id(c, 424242, out, ZX_IDK_PERSON, t0, t1), n);
    assert_int_equal(zx_qlog_search(c, 424242, f[0], t0, t1), 1); /* one form: one query */
    assert_int_equal(zx_qlog_search_id(c, 0, out, ZX_IDK_PERSON, t0, t1), n);
    assert_int_equal(zx_qlog_search_id(c, 424243, out, ZX_IDK_PERSON, t0, t1), 0);
    assert_int_equal(zx_credit_id_normalise(other, 18, g_today, out), ZX_IDK_PERSON);
    assert_int_equal(zx_qlog_search_id(c, 424242, out, ZX_IDK_PERSON, t0, t1), 0);
    db_release(g_db, c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_normalise),
        cmocka_unit_test(test_categories),
        cmocka_unit_test(test_name_fold),
        cmocka_unit_test(test_build_and_lookup),
        cmocka_unit_test(test_delta_and_versions),
        cmocka_unit_test(test_grace_not_visible),
        cmocka_unit_test(test_term_and_permission),
        cmocka_unit_test(test_id_correction_and_unit),
        cmocka_unit_test(test_merge_keeps_answers),
        cmocka_unit_test(test_concurrent_readers),
        cmocka_unit_test(test_rebuild_equals_incremental),
        cmocka_unit_test(test_key_collision_needs_check_word),
        cmocka_unit_test(test_build_refuses_unopenable_entry),
        cmocka_unit_test(test_querylog_all_forms),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
