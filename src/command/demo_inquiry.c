/* demo_inquiry.c — demo 查控 history and today's traffic for the command center's tiles (ZX_DEMO 135,
 * after the institutions of 110 and the command center's own data of 130).
 *
 * Written THROUGH the inquiry module's own paths, so every table agrees with what a real run leaves:
 * zx_inq_start queues a query run (one request per enabled institution), the requests are answered
 * with zx_inq_apply_batch — the function the dispatcher applies verified answers with (assets, request
 * state, case events, audit) — and freezes / seizures / a deduction are requests of the control
 * register answered the same way (the deduction arrives in the case account through the ledger). Only
 * the clock is played: older runs and controls are dated back (answered_ms, start_on, until_on by
 * 民诉解释 art 485) so that the register holds controls imposed months ago — some ending within 30
 * days, one lapsed — while the runs of two cases per court are today's 查控. Nothing here talks to an
 * institution: the answers are what bin/zhixing-sim would sign. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "inquiry/inquiry.h"
#include "rules/seizure.h"

#define DAY_MS 86400000LL

/* Run sql with n int64 binds (n ≤ 6). 0 or -1. */
static int exec_v(db_conn *c, const char *sql, int n, const int64_t *v)
{
    db_stmt *s = db_prepare(c, sql);
    if (!s) return -1;
    for (int i = 0; i < n && i < 6; i++) db_bind_int64(s, i + 1, v[i]);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}
#define EXEC(c, sql, ...) exec_v(c, sql, (int)(sizeof((int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)), (int64_t[]){ __VA_ARGS__ })

/* Mark a request claimed by the dispatcher ('sent'), as apply expects. */
static int claim(db_conn *c, int64_t rid)
{
    return EXEC(c, "UPDATE inquiry_request SET state = 'sent', attempts = 1, sent_ms = ? WHERE id = ?", zx_now_ms(), rid);
}

static int apply_one(db_conn *c, int64_t rid, int64_t inst, const char *kind, json_t *answer)
{
    json_object_set_new(answer, "request_id", json_sprintf("%lld", (long long)rid));
    json_object_set_new(answer, "status", json_string("done"));
    json_t *arr = json_array();
    json_array_append_new(arr, answer);
    int rc = claim(c, rid) ? -1 : zx_inq_apply_batch(c, inst, kind, arr, NULL, NULL, &rid, 1);
    json_decref(arr);
    return rc;
}

/* The asset the institution of this kind reports for case number i (NULL: nothing found). */
static json_t *asset_for(const char *kind, const char *inst_code, int court_no, int i, const char *owner)
{
    char id[96], desc[160];
    if (!strcmp(kind, "deposit") && (!strcmp(inst_code, "deposit-icbc") || (i % 2 && !strcmp(inst_code, "deposit-ccb")))) {
        snprintf(id, sizeof id, "62220%02d%04d%08d", court_no, i, 10000000 + court_no * 7919 + i * 104729);
        snprintf(desc, sizeof desc, "活期储蓄账户");
        return json_pack("{s:s,s:I,s:s,s:s,s:b}", "identifier", id, "value_fen", (json_int_t)(1200000 + 850000LL * i +
                         130000LL * court_no), "description", desc, "owner", owner, "divisible", 1);
    }
    if (!strcmp(kind, "real_estate") && i % 2 == 0) {
        snprintf(id, sizeof id, "辽(20%02d)不动产权第%07d号", 18 + i, 120000 + court_no * 131 + i);
        snprintf(desc, sizeof desc, "住宅 %d.%d 平方米", 68 + i * 9, i);
        return json_pack("{s:s,s:I,s:s,s:s,s:b,s:[]}", "identifier", id, "value_fen",
                         (json_int_t)(68000000 + 9000000LL * i), "description", desc, "owner", owner, "divisible", 0,
                         "encumbrances");
    }
    if (!strcmp(kind, "vehicle") && i % 3 == 0) {
        snprintf(id, sizeof id, "辽A%c%04d", 'B' + court_no % 20, 1000 + court_no * 37 + i);
        return json_pack("{s:s,s:I,s:s,s:s,s:b}", "identifier", id, "value_fen", (json_int_t)(9500000 + 700000LL * i),
                         "description", "小型轿车", "owner", owner, "divisible", 0);
    }
    return NULL;
}

/* The clue graph's case (issue 12 item 6): the debtor holds equity in a company that is itself a debtor
 * in another case of the same court — the market regulator reports the holding under the company's
 * unified social credit code. NULL when the court has no such company. */
static json_t *equity_in_debtor_company(db_conn *c, int64_t case_id, int i, const char *owner)
{
    db_stmt *s = db_prepare(c, "SELECT p.credit_code, p.name FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE e.court_id = (SELECT court_id FROM enf_case WHERE id = ?) AND e.id <> ?"
                               " AND p.role = 'debtor' AND p.kind = 'unit' AND p.credit_code IS NOT NULL"
                               " ORDER BY e.id LIMIT 1 OFFSET ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, i);
    json_t *a = NULL;
    if (db_step(s) == DB_ROW && db_col_text(s, 0) && db_col_text(s, 1)) {
        char id[64], desc[256];
        snprintf(id, sizeof id, "股权:%s", db_col_text(s, 0));
        snprintf(desc, sizeof desc, "持有%s %d%% 股权", db_col_text(s, 1), 20 + i % 40);
        a = json_pack("{s:s,s:I,s:s,s:s,s:s,s:b}", "identifier", id, "value_fen", (json_int_t)(30000000 + 2500000LL * i),
                      "description", desc, "owner", owner, "related_code", db_col_text(s, 0), "divisible", 1);
    }
    db_finalize(s);
    return a;
}

typedef struct found {
    int64_t asset_id, inst;
    int64_t value;
    char kind[24];
} found;

/* One query run for the case, every request answered; the assets found go to out. Returns the number
 * of assets found or < 0. */
static int query_run(db_conn *c, int64_t case_id, int64_t user, int court_no, int i, int64_t *iid_out, found *out,
                     int cap)
{
    int64_t iid = 0;
    int rc = zx_inq_start(c, case_id, "manual", NULL, user, &iid);
    if (rc == 1) return 0;
    if (rc) return -1;
    *iid_out = iid;
    db_stmt *s = db_prepare(c, "SELECT id, name FROM case_party WHERE case_id = ? AND role = 'debtor' ORDER BY ord LIMIT 1");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int64_t party = 0;
    char owner[128] = "";
    if (db_step(s) == DB_ROW) {
        party = db_col_int64(s, 0);
        snprintf(owner, sizeof owner, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
    }
    db_finalize(s);
    s = db_prepare(c, "SELECT r.id, r.institution_id, n.kind, n.code FROM inquiry_request r JOIN inquiry_institution n"
                      " ON n.id = r.institution_id WHERE r.inquiry_id = ? ORDER BY n.code");
    if (!s) return -1;
    db_bind_int64(s, 1, iid);
    struct {
        int64_t rid, inst;
        char kind[24], code[48];
    } rq[64];
    int nr = 0;
    while (db_step(s) == DB_ROW && nr < 64) {
        rq[nr].rid = db_col_int64(s, 0);
        rq[nr].inst = db_col_int64(s, 1);
        snprintf(rq[nr].kind, sizeof rq[nr].kind, "%s", db_col_text(s, 2));
        snprintf(rq[nr].code, sizeof rq[nr].code, "%s", db_col_text(s, 3));
        nr++;
    }
    db_finalize(s);
    char ref[24];
    snprintf(ref, sizeof ref, "%lld", (long long)party);
    for (int k = 0; k < nr; k++) {
        json_t *assets = json_array(), *as = asset_for(rq[k].kind, rq[k].code, court_no, i, owner);
        if (!as && !strcmp(rq[k].kind, "equity") && i % 3 == 1) as = equity_in_debtor_company(c, case_id, i, owner);
        if (as) json_array_append_new(assets, as);
        json_t *ans = json_pack("{s:[{s:s,s:o}]}", "subjects", "ref", ref, "assets", assets);
        if (!ans || apply_one(c, rq[k].rid, rq[k].inst, rq[k].kind, ans)) return -1;
    }
    s = db_prepare(c, "SELECT id, institution_id, kind, value_fen FROM asset WHERE case_id = ? AND status = 'found'"
                      " ORDER BY kind, id");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    int nf = 0;
    while (db_step(s) == DB_ROW && nf < cap) {
        out[nf].asset_id = db_col_int64(s, 0);
        out[nf].inst = db_col_int64(s, 1);
        snprintf(out[nf].kind, sizeof out[nf].kind, "%s", db_col_text(s, 2));
        out[nf].value = db_col_int64(s, 3);
        nf++;
    }
    db_finalize(s);
    return nf;
}

/* A freeze / seizure of asset f for the case, asked and answered the way POST /assets/:id/freeze and the
 * institution's answer leave it: the control register row, the freeze request, the confirmation.
 * started = the day it took effect; the legal end follows from it (民诉解释 art 485). Returns the
 * control id (and its request id in *rid) or < 0; 0 = nothing to control (claim already covered). */
static int64_t control(db_conn *c, int64_t case_id, int64_t court_id, int64_t party, const found *f, int64_t limit,
                       zx_date started, int64_t user, int64_t *rid_out)
{
    const struct zx_inq_kind *kd = zx_inq_kind(f->kind);
    if (!kd || !zx_inq_kind_supports(f->kind, "freeze")) return 0;
    bool seizure = !strcmp(kd->control, "seizure");
    int64_t asking = seizure ? f->value : (f->value < limit ? f->value : limit); /* 查封规定 art 19 */
    if (asking <= 0) return 0;
    zx_date until = zx_control_until(zx_control_class_of(f->kind), started);
    char until_s[11], start_s[11];
    zx_date_format(until, until_s);
    zx_date_format(started, start_s);
    int64_t cid = zx_id_new(), rid = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO asset_control (id, asset_id, case_id, court_id, party_id, kind, amount_fen, until_on,"
                               " status, request_id, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'requested', ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, cid);
    db_bind_int64(s, 2, f->asset_id);
    db_bind_int64(s, 3, case_id);
    db_bind_int64(s, 4, court_id);
    db_bind_int64(s, 5, party);
    db_bind_text(s, 6, kd->control, -1);
    db_bind_int64(s, 7, asking);
    db_bind_text(s, 8, until_s, -1);
    db_bind_int64(s, 9, rid);
    db_bind_int64(s, 10, now);
    db_bind_int64(s, 11, now);
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc) return -1;
    char doc[64];
    snprintf(doc, sizeof doc, "协助执行通知书（%s）", start_s);
    s = db_prepare(c, "INSERT INTO inquiry_request (id, case_id, court_id, institution_id, op, party_id, asset_id, control_id,"
                      " amount_fen, until_on, officer_id, doc_no, state, next_ms, created_ms)"
                      " VALUES (?, ?, ?, ?, 'freeze', ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, rid);
    db_bind_int64(s, 2, case_id);
    db_bind_int64(s, 3, court_id);
    db_bind_int64(s, 4, f->inst);
    db_bind_int64(s, 5, party);
    db_bind_int64(s, 6, f->asset_id);
    db_bind_int64(s, 7, cid);
    db_bind_int64(s, 8, asking);
    db_bind_text(s, 9, until_s, -1);
    db_bind_int64(s, 10, user);
    db_bind_text(s, 11, doc, -1);
    db_bind_int64(s, 12, now);
    db_bind_int64(s, 13, now);
    rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (rc) return -1;
    json_t *ans = json_pack("{s:{s:s,s:I,s:i,s:s}}", "control", "status", "active", "frozen_fen", (json_int_t)asking,
                            "queue_pos", 0, "until", until_s);
    if (apply_one(c, rid, f->inst, f->kind, ans)) return -1;
    /* the register as the court's earlier acts left it: start and end dates, request times */
    int64_t at = ((int64_t)started * 86400 - 8 * 3600) * 1000 + 10 * 3600000LL; /* 10:00 Asia/Shanghai */
    if (started < zx_today()) {
        s = db_prepare(c, "UPDATE asset_control SET start_on = ?, until_on = ?, created_ms = ?, updated_ms = ? WHERE id = ?");
        if (!s) return -1;
        db_bind_text(s, 1, start_s, -1);
        db_bind_text(s, 2, until_s, -1);
        db_bind_int64(s, 3, at);
        db_bind_int64(s, 4, at);
        db_bind_int64(s, 5, cid);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
        if (rc || EXEC(c, "UPDATE inquiry_request SET created_ms = ?, next_ms = ?, sent_ms = ?, answered_ms = ? WHERE id = ?",
                          at, at, at, at + 300000, rid))
            return -1;
    }
    if (rid_out) *rid_out = rid;
    return cid;
}

/* Date a query run back to `day` (answers at 09:00 Asia/Shanghai) and its assets' found time. */
static int date_run(db_conn *c, int64_t iid, int64_t case_id, zx_date day)
{
    int64_t at = ((int64_t)day * 86400 - 8 * 3600) * 1000 + 9 * 3600000LL;
    if (EXEC(c, "UPDATE inquiry_request SET created_ms = ?, next_ms = ?, sent_ms = ?, answered_ms = ? WHERE inquiry_id = ?",
             at, at, at, at + 120000, iid))
        return -1;
    if (EXEC(c, "UPDATE inquiry SET created_ms = ?, finished_ms = ? WHERE id = ?", at, at + 120000, iid)) return -1;
    return EXEC(c, "UPDATE asset SET found_ms = ?, updated_ms = ? WHERE case_id = ?", at + 120000, at + 120000, case_id);
}

typedef struct dcase {
    int64_t id, party;
    zx_date filed;
    int64_t limit; /* outstanding claim + fee (查封规定 art 19) */
} dcase;

static int pick_cases(db_conn *c, int64_t court_id, bool oldest, dcase *out, int cap)
{
    db_stmt *s = db_prepare(c, oldest ? "SELECT e.id, e.filed_on, e.claim_fen - e.recovered_fen + e.fee_fen, p.id FROM enf_case e"
                                        " JOIN case_party p ON p.case_id = e.id AND p.role = 'debtor' WHERE e.court_id = ?"
                                        " AND e.status = 'open' AND e.type_code = '执' AND e.claim_fen > e.recovered_fen"
                                        " AND NOT EXISTS (SELECT 1 FROM inquiry q WHERE q.case_id = e.id)"
                                        " ORDER BY e.filed_on, e.id"
                                      : "SELECT e.id, e.filed_on, e.claim_fen - e.recovered_fen + e.fee_fen, p.id FROM enf_case e"
                                        " JOIN case_party p ON p.case_id = e.id AND p.role = 'debtor' WHERE e.court_id = ?"
                                        " AND e.status = 'open' AND e.type_code = '执' AND e.claim_fen > e.recovered_fen"
                                        " AND NOT EXISTS (SELECT 1 FROM inquiry q WHERE q.case_id = e.id)"
                                        " ORDER BY e.filed_on DESC, e.id DESC");
    if (!s) return -1;
    db_bind_int64(s, 1, court_id);
    int n = 0;
    while (db_step(s) == DB_ROW && n < cap) {
        int64_t id = db_col_int64(s, 0);
        if (n && out[n - 1].id == id) continue; /* one row per case: its first debtor */
        out[n].id = id;
        if (zx_date_parse(db_col_text(s, 1), &out[n].filed)) continue;
        out[n].limit = db_col_int64(s, 2);
        out[n].party = db_col_int64(s, 3);
        n++;
    }
    db_finalize(s);
    return n;
}

static int64_t judge_of(db_conn *c, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & 2) <> 0 ORDER BY id LIMIT 1");
    if (!s) return 0;
    db_bind_int64(s, 1, court_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

/* One court: three older cases (queried on their filing day; deposits frozen 350 days ago — ending
 * within 30 days —, 380 days ago — lapsed —, and 200 days ago, real estate and vehicles seized), and
 * two cases queried today (deposits frozen today, one partly deducted today). Counts into *stats. */
static int demo_court(db_conn *c, const zx_court *ct, int court_no, int stats[4])
{
    zx_date today = zx_today();
    int64_t judge = judge_of(c, ct->id);
    dcase old[3], recent[2];
    int no = pick_cases(c, ct->id, true, old, 3);
    if (no < 0) return -1;
    int nr = pick_cases(c, ct->id, false, recent, 2);
    if (nr < 0) return -1;
    static const int freeze_back[3] = { 350, 380, 200 };
    for (int i = 0; i < no + nr; i++) {
        bool is_old = i < no;
        dcase *k = is_old ? &old[i] : &recent[i - no];
        if (!is_old && no > 0 && k->id == old[0].id) continue;
        found f[16];
        int64_t iid = 0;
        int nf = query_run(c, k->id, judge, court_no, i, &iid, f, 16);
        if (nf < 0) return -1;
        if (!iid) continue;
        stats[0]++;
        zx_date start = today;
        if (is_old) {
            zx_date qday = k->filed + 1 < today ? k->filed + 1 : today;
            if (date_run(c, iid, k->id, qday)) return -1;
            start = today - freeze_back[i];
            if (start < qday) start = qday + 3 < today ? qday + 3 : today;
        }
        int64_t limit = k->limit;
        for (int j = 0; j < nf; j++) {
            int64_t rid = 0;
            int64_t cid = control(c, k->id, ct->id, k->party, &f[j], limit, start, judge, &rid);
            if (cid < 0) return -1;
            if (!cid) continue;
            stats[1]++;
            if (!strcmp(f[j].kind, "deposit") || !strcmp(f[j].kind, "online_payment"))
                limit -= f[j].value < limit ? f[j].value : limit;
            /* the deposit frozen 380 days ago ran past its end unrenewed: it lapses the way inquiry/auto.c's
             * pass does it (register, asset, case event, audit) */
            if (is_old && i == 1 && !strcmp(f[j].kind, "deposit")) {
                int rc = zx_inq_lapse_control(c, cid, today);
                if (rc < 0) return -1;
                if (rc == 0) stats[2]++;
            }
            /* today: part of one frozen deposit deducted into the case account (ledger arrival) */
            if (!is_old && i == no && !strcmp(f[j].kind, "deposit")) {
                int64_t amount = f[j].value / 2 < k->limit ? f[j].value / 2 : k->limit;
                int64_t did = zx_id_new(), now = zx_now_ms();
                db_stmt *s = db_prepare(c, "INSERT INTO inquiry_request (id, case_id, court_id, institution_id, op, party_id,"
                                           " asset_id, control_id, amount_fen, after_id, officer_id, doc_no, state, next_ms,"
                                           " created_ms) VALUES (?, ?, ?, ?, 'deduct', ?, ?, ?, ?, ?, ?, '执行裁定书（扣划）',"
                                           " 'pending', ?, ?)");
                if (!s) return -1;
                db_bind_int64(s, 1, did);
                db_bind_int64(s, 2, k->id);
                db_bind_int64(s, 3, ct->id);
                db_bind_int64(s, 4, f[j].inst);
                db_bind_int64(s, 5, k->party);
                db_bind_int64(s, 6, f[j].asset_id);
                db_bind_int64(s, 7, cid);
                db_bind_int64(s, 8, amount);
                db_bind_int64(s, 9, rid);
                db_bind_int64(s, 10, judge);
                db_bind_int64(s, 11, now);
                db_bind_int64(s, 12, now);
                int rc = db_step(s) == DB_DONE ? 0 : -1;
                db_finalize(s);
                if (rc || amount <= 0) return rc;
                if (apply_one(c, did, f[j].inst, f[j].kind, json_pack("{s:I}", "deducted_fen", (json_int_t)amount))) return -1;
                stats[3]++;
            }
        }
    }
    return 0;
}

static int demo_inquiry_traffic(zx_app *app, unsigned seed)
{
    (void)seed;
    static const char *const codes[] = { "辽0102", "辽0103", "辽1103", "辽1104" };
    db_conn *c = db_acquire(app->db);
    int stats[4] = { 0 }, rc = db_begin(c);
    for (int i = 0; !rc && i < 4; i++) {
        const zx_court *ct = zx_court_by_code(codes[i]);
        if (ct) rc = demo_court(c, ct, i + 1, stats);
    }
    if (!rc) rc = db_commit(c);
    else {
        LOG_ERROR("command demo (查控): %s", db_errmsg(c));
        db_rollback(c);
    }
    db_release(app->db, c);
    if (!rc)
        printf("  查控: %d query runs answered, %d freezes/seizures in the register (%d lapsed), %d deduction(s) today\n",
               stats[0], stats[1], stats[2], stats[3]);
    return rc;
}
ZX_DEMO("command center: 查控 and controls", 135, demo_inquiry_traffic)
