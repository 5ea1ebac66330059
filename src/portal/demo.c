/* demo.c — the party portal's demo records (`zhixing init --demo`, ZX_DEMO order 150, after the cases, the
 * money and the 查控/auction demo), so the portal, 当事人来件 and the open platform show realistic, lawful data:
 *   - every basic court's portal settings: all node SMS on, a 3-working-day reply clock, the 执行局's
 *     contact number and office hours (what a party sees beside the handler's name);
 *   - in 辽0102, on open cases with a handler whose applicant and debtor have a phone on file:
 *       A  a case with money paid in and out (the funds demo) — a message from the applicant answered by the
 *          handler, a newer one waiting within its reply clock, a property clue waiting within its 7 days;
 *       B  a 悬赏 notice applied for, approved and published (财产调查规定 arts 21–22), public for 90 days;
 *       C  a lawyer for the applicant whose representation the court confirmed, with a 律师调查令 application
 *          waiting for the judge.
 * Each item is written as the portal writes it (rows + case event + clock), with one audit record.
 * The sign-ins of A and C are printed with the rest of the demo's credentials. */
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "case/case.h"
#include "case/documents.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "api/portal_party.h"
#include "portal/portal.h"
#include "rules/clocks.h"
#include "rules/portal.h"

static int exec1(db_conn *c, db_stmt *s)
{
    if (!s) return -1;
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

static int audit_demo(db_conn *c, const char *action, int64_t case_id)
{
    char oid[24];
    snprintf(oid, sizeof oid, "%lld", (long long)case_id);
    return zx_audit_write(c, &(zx_audit_rec){ .user_id = 0, .username = "demo", .action = action, .object_type = "case",
                                              .object_id = oid, .result = "ok", .detail = "{\"demo\":true}" });
}

/* An event on `on` through the case's own path (clocks, node subscribers); 0 or -1. seq_out may be NULL. */
static int add_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, zx_date on, json_t *data, int *seq_out)
{
    zx_case k;
    zx_case_events ev = { 0 };
    if (zx_case_load(c, case_id, &k) || zx_case_events_load(c, case_id, &ev)) {
        json_decref(data);
        zx_case_events_free(&ev);
        return -1;
    }
    int seq = 0;
    int64_t eid = zx_case_event_add(c, &ev, case_id, user_id, kind, k.stage, on, data, &seq);
    json_decref(data);
    int rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    if (seq_out) *seq_out = seq;
    return rc;
}

typedef struct pick {
    int64_t id, court, handler, app, debt;
    char case_no[64];
} pick;

/* Open cases of court with a handler whose first applicant and debtor are persons with a phone; the ones with
 * money paid out first (the funds demo), then by id. */
static int pick_cases(db_conn *c, int64_t court, pick *out, int max)
{
    db_stmt *s = db_prepare(c,
        "SELECT e.id, e.court_id, e.handler_id, e.case_no, a.id, d.id,"
        " (SELECT COUNT(*) FROM case_event x WHERE x.case_id = e.id AND x.kind = 'funds_paid') AS paid"
        " FROM enf_case e JOIN case_party a ON a.case_id = e.id AND a.role = 'applicant' AND a.kind = 'person'"
        " AND a.phone_enc IS NOT NULL JOIN case_party d ON d.case_id = e.id AND d.role = 'debtor' AND d.kind = 'person'"
        " AND d.phone_enc IS NOT NULL WHERE e.court_id = ? AND e.status = 'open' AND e.handler_id IS NOT NULL"
        " AND e.type_code = '执' ORDER BY paid DESC, e.id LIMIT 40");
    if (!s) return -1;
    db_bind_int64(s, 1, court);
    int n = 0;
    while (db_step(s) == DB_ROW && n < max) {
        int64_t id = db_col_int64(s, 0);
        bool dup = false;
        for (int i = 0; i < n; i++) dup |= out[i].id == id; /* one row per case (a case may list two persons) */
        if (dup) continue;
        out[n] = (pick){ .id = id, .court = db_col_int64(s, 1), .handler = db_col_int64(s, 2), .app = db_col_int64(s, 4),
                         .debt = db_col_int64(s, 5) };
        snprintf(out[n].case_no, sizeof out[n].case_no, "%s", db_col_text(s, 3));
        n++;
    }
    db_finalize(s);
    return n;
}

static int demo_settings(db_conn *c)
{
    db_stmt *s = db_prepare(c, "SELECT id, code FROM court WHERE level = 4 ORDER BY id");
    if (!s) return -1;
    int64_t ids[64];
    char codes[64][24];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 64) {
        ids[n] = db_col_int64(s, 0);
        snprintf(codes[n], sizeof codes[n], "%s", db_col_text(s, 1));
        n++;
    }
    db_finalize(s);
    char nodes[256] = "[";
    for (int i = 0; zx_portal_sms_nodes[i]; i++)
        snprintf(nodes + strlen(nodes), sizeof nodes - strlen(nodes), "%s\"%s\"", i ? "," : "", zx_portal_sms_nodes[i]);
    strcat(nodes, "]");
    for (int i = 0; i < n; i++) {
        /* 沈阳 (辽01…) numbers 024-2xxxxxxx, 盘锦 (辽11…) 0427-2xxxxxx: the demo's own numbers */
        char phone[40];
        if (!strncmp(codes[i], "辽11", strlen("辽11"))) snprintf(phone, sizeof phone, "0427-28%05d", 31000 + i * 17);
        else snprintf(phone, sizeof phone, "024-228%05d", 51000 + i * 23);
        s = db_prepare(c, "INSERT INTO portal_court_setting (court_id, sms_nodes, reply_days, updated_by, updated_ms, contact_phone,"
                          " contact_note) VALUES (?, ?, ?, 0, ?, ?, ?) ON CONFLICT (court_id) DO NOTHING");
        if (!s) return -1;
        db_bind_int64(s, 1, ids[i]);
        db_bind_text(s, 2, nodes, -1);
        db_bind_int64(s, 3, ZX_REPLY_DAYS_DEFAULT);
        db_bind_int64(s, 4, zx_now_ms());
        db_bind_text(s, 5, phone, -1);
        db_bind_text(s, 6, "工作日 8:30–12:00、13:30–17:00，执行局立案接待窗口", -1);
        if (exec1(c, s)) return -1;
    }
    return 0;
}

static int demo_message(db_conn *c, const pick *k, const char *body, int ago, const char *reply, int64_t *id_out)
{
    zx_date on = zx_today() - ago;
    char due[11], ids[24];
    zx_date_format(zx_deadline_message_reply(on, ZX_REPLY_DAYS_DEFAULT), due);
    int64_t id = zx_id_new();
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    int seq = 0;
    if (add_event(c, k->id, 0, "party_message", on, json_pack("{s:s,s:s,s:s}", "message_id", ids, "due_on", due, "from", "party"), &seq))
        return -1;
    int64_t at = zx_now_ms() - (int64_t)ago * 86400000LL;
    db_stmt *s = db_prepare(c, "INSERT INTO portal_message (id, case_id, court_id, party_id, body, event_seq, reply_due, created_ms,"
                               " reply, replied_by, replied_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, k->id);
    db_bind_int64(s, 3, k->court);
    db_bind_int64(s, 4, k->app);
    db_bind_text(s, 5, body, -1);
    db_bind_int64(s, 6, seq);
    db_bind_text(s, 7, due, -1);
    db_bind_int64(s, 8, at);
    if (reply) {
        db_bind_text(s, 9, reply, -1);
        db_bind_int64(s, 10, k->handler);
        db_bind_int64(s, 11, at + 86400000LL);
    } else {
        db_bind_null(s, 9);
        db_bind_null(s, 10);
        db_bind_null(s, 11);
    }
    if (exec1(c, s)) return -1;
    if (reply && add_event(c, k->id, k->handler, "party_message_replied", on + 1,
                           json_pack("{s:i,s:s}", "ref_seq", seq, "message_id", ids), NULL))
        return -1;
    *id_out = id;
    return audit_demo(c, "portal.message", k->id);
}

static int demo_clue(db_conn *c, const pick *k)
{
    zx_date on = zx_today() - 1;
    const char *text = "被执行人名下有一辆白色小型轿车，平时停放在其居住小区地下车库，车牌号可向小区物业核实。";
    int seq = 0;
    if (add_event(c, k->id, 0, "property_clue", on,
                  json_pack("{s:s,s:b,s:s}", "clue", text, "urgent", 0, "note", "通过执行公开平台提交"), &seq))
        return -1;
    db_stmt *s = db_prepare(c, "INSERT INTO portal_clue (id, case_id, court_id, party_id, event_seq, urgent, description, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, k->id);
    db_bind_int64(s, 3, k->court);
    db_bind_int64(s, 4, k->app);
    db_bind_int64(s, 5, seq);
    db_bind_text(s, 6, text, -1);
    db_bind_int64(s, 7, zx_now_ms() - 86400000LL);
    if (exec1(c, s)) return -1;
    return audit_demo(c, "portal.clue", k->id);
}

static int demo_reward(db_conn *c, const pick *k)
{
    zx_date applied = zx_today() - 12, decided = zx_today() - 6;
    char due[11], pub[11], ends[11], ids[24];
    zx_date_format(zx_deadline_reward_decision(applied), due);
    zx_date_format(decided, pub);
    zx_date_format(decided + 90, ends);
    int64_t id = zx_id_new();
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    int seq = 0;
    if (add_event(c, k->id, 0, "reward_applied", applied,
                  json_pack("{s:s,s:s,s:I,s:I}", "reward_id", ids, "due_on", due, "amount_fen", (json_int_t)2000000, "percent_bp",
                            (json_int_t)0), &seq) ||
        add_event(c, k->id, k->handler, "reward_decided", decided, json_pack("{s:i,s:s,s:b}", "ref_seq", seq, "reward_id", ids,
                                                                               "approved", 1), NULL) ||
        add_event(c, k->id, k->handler, "reward_published", decided,
                  json_pack("{s:s,s:s,s:s}", "reward_id", ids, "published_on", pub, "ends_on", ends), NULL))
        return -1;
    db_stmt *s = db_prepare(c, "INSERT INTO reward_notice (id, case_id, court_id, party_id, amount_fen, percent_bp, commitment, status,"
                               " due_on, created_ms, opinion, decided_by, decided_ms, published_on, ends_on)"
                               " VALUES (?, ?, ?, ?, 2000000, 0, ?, 'approved', ?, ?, ?, ?, ?, ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, k->id);
    db_bind_int64(s, 3, k->court);
    db_bind_int64(s, 4, k->app);
    db_bind_text(s, 5, "有关人员提供人民法院尚未掌握的财产线索，使本人债权得以全部或部分实现时，自愿支付悬赏金", -1);
    db_bind_text(s, 6, due, -1);
    db_bind_int64(s, 7, zx_now_ms() - 12 * 86400000LL);
    db_bind_text(s, 8, "经网络查控及现场调查未发现被执行人可供执行的财产，申请执行人申请悬赏，准许。", -1);
    db_bind_int64(s, 9, k->handler);
    db_bind_int64(s, 10, zx_now_ms() - 6 * 86400000LL);
    db_bind_text(s, 11, pub, -1);
    db_bind_text(s, 12, ends, -1);
    if (exec1(c, s)) return -1;
    return audit_demo(c, "portal.reward_decide", k->id);
}

#define DEMO_LICENCE "21010201810153021"   /* a 17-digit 执业证号 of the demo's own */
#define DEMO_LAWYER_PHONE "13800240102"

static int demo_lawyer(db_conn *c, const pick *k)
{
    int64_t lid = zx_id_new();
    db_stmt *s = db_prepare(c, "INSERT INTO portal_lawyer (id, case_id, party_id, name, licence_no, firm, phone_enc, status, confirmed_by,"
                               " created_ms) VALUES (?, ?, ?, '林志远', ?, '辽宁正衡律师事务所', ?, 'confirmed', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, lid);
    db_bind_int64(s, 2, k->id);
    db_bind_int64(s, 3, k->app);
    db_bind_text(s, 4, DEMO_LICENCE, -1);
    zx_pii_bind(s, 5, ZX_PII_PHONE, DEMO_LAWYER_PHONE);
    db_bind_int64(s, 6, k->handler);
    db_bind_int64(s, 7, zx_now_ms() - 3 * 86400000LL);
    if (exec1(c, s)) return -1;
    char lids[24], oids[24], due[11];
    snprintf(lids, sizeof lids, "%lld", (long long)lid);
    if (add_event(c, k->id, k->handler, "lawyer_confirmed", zx_today() - 3,
                  json_pack("{s:s,s:s,s:s,s:s}", "lawyer_id", lids, "name", "林志远", "licence_no", DEMO_LICENCE, "firm",
                            "辽宁正衡律师事务所"), NULL))
        return -1;
    int64_t oid = zx_id_new();
    snprintf(oids, sizeof oids, "%lld", (long long)oid);
    zx_date_format(zx_cal_add_working_days(zx_today() - 1, ZX_REPLY_DAYS_DEFAULT), due);
    if (add_event(c, k->id, 0, "investigation_order_applied", zx_today() - 1,
                  json_pack("{s:s,s:s}", "order_id", oids, "institution", "沈阳市不动产登记中心"), NULL))
        return -1;
    s = db_prepare(c, "INSERT INTO investigation_order (id, case_id, court_id, lawyer_id, institution, scope, reason, status, due_on,"
                      " created_ms) VALUES (?, ?, ?, ?, '沈阳市不动产登记中心', '被执行人名下不动产登记信息及抵押登记情况',"
                      " '申请执行人提供的线索显示被执行人在本市购有住房，需查明登记情况', 'pending', ?, ?)");
    if (!s) return -1;
    db_bind_int64(s, 1, oid);
    db_bind_int64(s, 2, k->id);
    db_bind_int64(s, 3, k->court);
    db_bind_int64(s, 4, lid);
    db_bind_text(s, 5, due, -1);
    db_bind_int64(s, 6, zx_now_ms() - 86400000LL);
    if (exec1(c, s)) return -1;
    if (audit_demo(c, "portal.lawyer_confirm", k->id)) return -1;
    return audit_demo(c, "portal.order_apply", k->id);
}

/* The party's phone in full, for the printed sign-in (the demo's own numbers; the one-time code goes there). */
static void party_phone(db_conn *c, int64_t party_id, char *out, size_t cap)
{
    out[0] = 0;
    db_stmt *s = db_prepare(c, "SELECT phone_enc FROM case_party WHERE id = ?");
    if (!s) return;
    db_bind_int64(s, 1, party_id);
    char *p = db_step(s) == DB_ROW ? zx_pii_col(s, 0, ZX_PII_PHONE) : NULL;
    db_finalize(s);
    snprintf(out, cap, "%s", p ? p : "");
    zx_pii_free(p);
}

static int demo_portal(zx_app *app, unsigned seed)
{
    (void)seed;
    db_conn *c = db_acquire(app->db);
    int rc = db_begin(c) ? -1 : demo_settings(c);
    int64_t court = 0;
    db_stmt *s = rc ? NULL : db_prepare(c, "SELECT id FROM court WHERE code = '辽0102'");
    if (s) {
        if (db_step(s) == DB_ROW) court = db_col_int64(s, 0);
        db_finalize(s);
    }
    pick k[3];
    int n = rc || !court ? 0 : pick_cases(c, court, k, 3);
    if (n < 0) rc = -1;
    int64_t mid;
    if (!rc && n >= 1)
        rc = demo_message(c, &k[0], "您好，被执行人说已经把一部分钱交到法院了，是真的吗？", 6,
                          "本院已收到被执行人交来的部分执行款，将在三十日内依法发放至您登记的账户，发放后会短信通知您。", &mid) ||
             demo_message(c, &k[0], "被执行人最近新开了一家门店，是否可以查封店内的财产？", 1, NULL, &mid) || demo_clue(c, &k[0]);
    /* the 受理通知书 of the demo cases (made at filing for new cases: case_filing.c) with the applicant's code */
    for (int i = 0; i < n && !rc; i++) {
        s = db_prepare(c, "SELECT id FROM case_event WHERE case_id = ? AND kind = 'filed' ORDER BY seq LIMIT 1");
        int64_t fid = 0;
        if (s) {
            db_bind_int64(s, 1, k[i].id);
            if (db_step(s) == DB_ROW) fid = db_col_int64(s, 0);
            db_finalize(s);
        }
        if (fid && zx_doc_generate_lazy(c, k[i].id, "acceptance_notice", fid, NULL)) rc = -1;
    }
    if (!rc && n >= 2) rc = demo_reward(c, &k[1]);
    if (!rc && n >= 3) rc = demo_lawyer(c, &k[2]);
    if (!rc && db_commit(c)) rc = -1;
    if (rc) {
        db_rollback(c);
        db_release(app->db, c);
        LOG_ERROR("portal demo: failed");
        return -1;
    }
    if (n >= 1) { /* the sign-ins (as the 受理通知书 / 执行通知书 print them) */
        char qa[9], qd[9], pa[24], pd[24];
        zx_portal_query_code(k[0].app, qa);
        zx_portal_query_code(k[0].debt, qd);
        party_phone(c, k[0].app, pa, sizeof pa);
        party_phone(c, k[0].debt, pd, sizeof pd);
        printf("demo party portal (#/my-case; the one-time code arrives at the simulated SMS gateway,\n"
               "  GET <sim>/sms/v1/messages?to=<phone>):\n"
               "  %s  申请执行人  查询码 %s  手机 %s\n  %s  被执行人    查询码 %s  手机 %s\n", k[0].case_no, qa, pa, k[0].case_no,
               qd, pd);
        if (n >= 3) printf("  代理律师 林志远  执业证号 %s  手机 %s  (%s)\n", DEMO_LICENCE, DEMO_LAWYER_PHONE, k[2].case_no);
    }
    db_release(app->db, c);
    LOG_INFO("portal demo: court settings, %d cases with messages, a clue, a 悬赏 notice, a lawyer", n);
    return 0;
}
ZX_DEMO("portal", 150, demo_portal)
