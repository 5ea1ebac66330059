/* demo.c — the command center's demo records for the demo province 辽 (`zhixing init --demo`, ZX_DEMO
 * order 130, after the cases): petitions at every basic court over the last twelve months (most closed
 * on time, some overdue, some due within days, repeats and superior referrals), 督办 orders from 辽, 辽01
 * and 辽11 in every state (one overdue), 事项委托 between courts of different cities in every state
 * (with a return), one coordination case open and one decided, 24-hour duty shifts around today for
 * every court with staff, urgent matters and one 约谈. Deadlines come from rules/command.h; linked
 * cases get their case events. Deterministic for a seed and a date. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "case/case.h"
#include "cli.h"
#include "command/command.h"
#include "core/ids.h"
#include "core/log.h"
#include "rules/command.h"

static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffff;
}

static void fmtd(zx_date d, char b[11]) { zx_date_format(d, b); }

typedef struct dcase {
    int64_t id, court_id, handler_id;
    char no[64];
} dcase;

/* up to cap open cases of a court, oldest first */
static int open_cases(db_conn *c, int64_t court, dcase *out, int cap)
{
    db_stmt *s = db_prepare(c, "SELECT id, case_no, COALESCE(handler_id, 0) FROM enf_case WHERE court_id = ? AND status = 'open'"
                               " AND type_code = '执' ORDER BY filed_on, id LIMIT ?");
    if (!s) return 0;
    db_bind_int64(s, 1, court);
    db_bind_int64(s, 2, cap);
    int n = 0;
    while (db_step(s) == DB_ROW && n < cap) {
        out[n].id = db_col_int64(s, 0);
        snprintf(out[n].no, sizeof out[n].no, "%s", db_col_text(s, 1));
        out[n].handler_id = db_col_int64(s, 2);
        out[n].court_id = court;
        n++;
    }
    db_finalize(s);
    return n;
}

static int64_t user_of(db_conn *c, int64_t court, unsigned role)
{
    db_stmt *s = db_prepare(c, "SELECT id, roles FROM app_user WHERE court_id = ? ORDER BY id");
    if (!s) return 0;
    db_bind_int64(s, 1, court);
    int64_t id = 0;
    while (db_step(s) == DB_ROW)
        if ((unsigned)db_col_int64(s, 1) & role) {
            id = db_col_int64(s, 0);
            break;
        }
    db_finalize(s);
    return id;
}

static int exec_step(db_stmt *s)
{
    int rc = s ? db_step(s) : DB_ERROR;
    if (s) db_finalize(s);
    return rc == DB_DONE ? 0 : -1;
}

static const char *surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗";
static void person(unsigned *sd, char *out, size_t cap)
{
    static const char *given[] = { "某某", "先生", "女士", "某" };
    unsigned i = rnd(sd) % 20;
    snprintf(out, cap, "%.3s%s", surnames + i * 3, given[rnd(sd) % 4]);
}

static int petitions(db_conn *c, const zx_court *ct, unsigned *sd, zx_date today, int64_t creator)
{
    dcase cs[40];
    int nc = open_cases(c, ct->id, cs, 40);
    static const char *topics[] = { "反映案件长期未执行到位，要求加大执行力度", "反映执行款到账后未及时发放",
                                    "对终结本次执行程序有异议，提供新的财产线索", "反映被执行人转移财产，请求采取强制措施",
                                    "反映承办人联系不上，要求了解案件进展", "请求对被执行人采取限制消费措施" };
    static const char *channels[] = { "visit", "letter", "phone", "portal", "portal", "visit" };
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    int total = 30 + (int)(rnd(sd) % 15);
    for (int i = 0; i < total; i++) {
        zx_date rec = today - (int)(rnd(sd) % 360);
        zx_date rdue = zx_cmd_petition_register_due(rec), due = zx_cmd_petition_due(rec);
        unsigned fate = rnd(sd) % 100;
        zx_date closed = ZX_DATE_NONE;
        if (due < today) { /* past its deadline: 93 % closed, mostly on time */
            if (fate < 88) closed = rec + 3 + (int)(rnd(sd) % (unsigned)(due - rec - 2));
            else if (fate < 93) closed = due + 1 + (int)(rnd(sd) % 10);
            if (closed != ZX_DATE_NONE && closed > today) closed = today;
        } else if (fate < 40) {
            closed = rec + (int)(rnd(sd) % (unsigned)(today - rec + 1));
        }
        zx_date reg = rec + (int)(rnd(sd) % 3);
        if (reg > today) reg = today;
        dcase *k = nc && rnd(sd) % 3 ? &cs[rnd(sd) % (unsigned)nc] : NULL;
        char no[96], name[32], rec_s[11], rdue_s[11], reg_s[11], due_s[11], clo_s[11];
        int yy, mm, dd;
        zx_date_to_ymd(rec, &yy, &mm, &dd);
        if (zx_cmd_number(c, ct->id, "执访", yy, no, sizeof no)) return -1;
        person(sd, name, sizeof name);
        fmtd(rec, rec_s), fmtd(rdue, rdue_s), fmtd(reg, reg_s), fmtd(due, due_s);
        if (closed != ZX_DATE_NONE) fmtd(closed, clo_s);
        bool referral = rnd(sd) % 12 == 0, repeat = rnd(sd) % 9 == 0;
        db_stmt *s = db_prepare(c, "INSERT INTO petition (id, petition_no, court_id, channel, petitioner_name, content, case_id,"
                                   " case_no, received_on, register_due_on, registered_on, due_on, is_repeat, referred_by_id,"
                                   " status, reply, closed_on, resolved, created_by, created_ms, updated_ms)"
                                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        int64_t now = zx_now_ms();
        db_bind_int64(s, 1, zx_id_new());
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, ct->id);
        db_bind_text(s, 4, referral ? "referral" : channels[rnd(sd) % 6], -1);
        db_bind_text(s, 5, name, -1);
        db_bind_text(s, 6, topics[rnd(sd) % 6], -1);
        if (k) db_bind_int64(s, 7, k->id);
        else db_bind_null(s, 7);
        db_bind_text(s, 8, k ? k->no : NULL, -1);
        db_bind_text(s, 9, rec_s, -1);
        db_bind_text(s, 10, rdue_s, -1);
        db_bind_text(s, 11, reg_s, -1);
        db_bind_text(s, 12, due_s, -1);
        db_bind_int64(s, 13, repeat);
        if (referral && ct->parent_id) db_bind_int64(s, 14, ct->parent_id);
        else db_bind_null(s, 14);
        db_bind_text(s, 15, closed != ZX_DATE_NONE ? "closed" : "registered", -1);
        db_bind_text(s, 16, closed != ZX_DATE_NONE ? "已书面答复信访人：说明案件执行情况及下一步措施" : NULL, -1);
        db_bind_text(s, 17, closed != ZX_DATE_NONE ? clo_s : NULL, -1);
        db_bind_int64(s, 18, closed != ZX_DATE_NONE && rnd(sd) % 10 < 8);
        db_bind_int64(s, 19, creator);
        db_bind_int64(s, 20, now);
        db_bind_int64(s, 21, now);
        if (exec_step(s)) return -1;
    }
    return total;
}

static int supervision(db_conn *c, const zx_court *from, const zx_court *to, unsigned *sd, zx_date today, int n)
{
    dcase cs[12];
    int nc = open_cases(c, to->id, cs, 12);
    int64_t by = user_of(c, from->id, ROLE_COMMAND);
    int64_t handler = user_of(c, to->id, ROLE_JUDGE);
    static const char *requests[] = { "申请执行人反映承办人长期未采取执行措施，请查明情况并限期报告",
                                      "网络舆情反映被执行人转移财产，请核查并依法处置",
                                      "信访人反映执行款未及时发放，请核实并报告发放情况",
                                      "本院审查发现该案超过执行期限未结，请说明原因并加快办理" };
    static const char *sources[] = { "complaint", "public_opinion", "petition", "review" };
    for (int i = 0; i < n && i < nc; i++) {
        dcase *k = &cs[(i * 3 + 1) % nc];
        /* states: 0 issued, 1 handling, 2 reported, 3 closed, 4 overdue (issued 40 days ago) */
        int st = i % 5;
        zx_date issued = st == 4 ? today - 40 : today - (int)(rnd(sd) % 20) - (st == 3 ? 25 : 0);
        zx_date due = issued + zx_cmd_sup_default_report_days();
        char no[96], is[11], ds[11], cs_[11], today_s[11];
        int y, m, d;
        zx_date_to_ymd(issued, &y, &m, &d);
        if (zx_cmd_number(c, from->id, "执督", y, no, sizeof no)) return -1;
        fmtd(issued, is), fmtd(due, ds), fmtd(issued - 3, cs_), fmtd(today, today_s);
        int src = i % 4;
        const char *status = st == 0 || st == 4 ? "issued" : st == 1 ? "handling" : st == 2 ? "reported" : "closed";
        int64_t id = zx_id_new(), now = zx_now_ms();
        db_stmt *s = db_prepare(c, "INSERT INTO supervision_order (id, order_no, case_id, from_court_id, to_court_id, source,"
                                   " complaint_on, issued_on, due_on, request, status, handler_id, report, reported_on, result,"
                                   " closed_on, created_by, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                   " ?, ?, ?, ?, ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, k->id);
        db_bind_int64(s, 4, from->id);
        db_bind_int64(s, 5, to->id);
        db_bind_text(s, 6, sources[src], -1);
        db_bind_text(s, 7, src == 3 ? NULL : cs_, -1);
        db_bind_text(s, 8, is, -1);
        db_bind_text(s, 9, ds, -1);
        db_bind_text(s, 10, requests[src], -1);
        db_bind_text(s, 11, status, -1);
        if (st >= 1 && st <= 3 && handler) db_bind_int64(s, 12, handler);
        else db_bind_null(s, 12);
        db_bind_text(s, 13, st >= 2 && st <= 3 ? "已对被执行人财产进行网络查控，冻结存款并查封房产一处，拟于近期评估拍卖" : NULL, -1);
        db_bind_text(s, 14, st >= 2 && st <= 3 ? today_s : NULL, -1);
        db_bind_text(s, 15, st == 3 ? "下级法院已按期报告并采取措施，督办办结" : NULL, -1);
        db_bind_text(s, 16, st == 3 ? today_s : NULL, -1);
        db_bind_int64(s, 17, by ? by : 0);
        db_bind_int64(s, 18, now);
        db_bind_int64(s, 19, now);
        if (exec_step(s)) return -1;
        static const char *kinds[] = { "issued", "handler", "report", "closed" };
        for (int j = 0; j <= (st == 4 ? 0 : st); j++) {
            s = db_prepare(c, "INSERT INTO supervision_step (id, order_id, kind, on_date, user_id, court_id, note, created_ms)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            if (!s) return -1;
            db_bind_int64(s, 1, zx_id_new());
            db_bind_int64(s, 2, id);
            db_bind_text(s, 3, kinds[j], -1);
            db_bind_text(s, 4, j ? today_s : is, -1);
            db_bind_null(s, 5);
            db_bind_int64(s, 6, j == 0 || j == 3 ? from->id : to->id);
            db_bind_text(s, 7, j == 0 ? requests[src] : NULL, -1);
            db_bind_int64(s, 8, now + j);
            if (exec_step(s)) return -1;
        }
        if (zx_cmd_case_event(c, k->id, by, "supervision_opened",
                              json_pack("{s:s, s:s, s:s}", "order_no", no, "from_court", from->code, "due_on", ds), false))
            return -1;
    }
    return 0;
}

static int commissions(db_conn *c, const zx_court *from, const zx_court *to, unsigned *sd, zx_date today, int n)
{
    dcase cs[12];
    int nc = open_cases(c, from->id, cs, 12);
    int64_t by = user_of(c, from->id, ROLE_JUDGE), rcv = user_of(c, to->id, ROLE_JUDGE);
    static const char *tasks[] = { "freeze_deposit", "seize_property", "investigate", "serve_documents", "locate_debtor", "renew_deposit" };
    for (int i = 0; i < n && i < nc; i++) {
        dcase *k = &cs[(i * 5 + 2) % nc];
        const char *task = tasks[i % 6];
        /* states: 0 sent, 1 accepted, 2 done, 3 done, 4 returned, 5 accepted overdue */
        int st = i % 6;
        zx_date sent = st == 5 ? today - 25 : today - (int)(rnd(sd) % 12) - (st >= 2 && st <= 4 ? 10 : 0);
        zx_date adue = zx_cmd_task_accept_due(sent), due = zx_cmd_task_due(sent, false);
        const char *status = st == 0 ? "sent" : st == 1 || st == 5 ? "accepted" : st == 4 ? "returned" : "done";
        char no[96], s1[11], s2[11], s3[11], acc[11], fin[11];
        int y, m, d;
        zx_date_to_ymd(sent, &y, &m, &d);
        if (zx_cmd_number(c, from->id, "执委", y, no, sizeof no)) return -1;
        fmtd(sent, s1), fmtd(adue, s2), fmtd(due, s3), fmtd(sent + 1, acc);
        fmtd(sent + 1 + (int)(rnd(sd) % 3), fin);
        int64_t id = zx_id_new(), now = zx_now_ms();
        db_stmt *s = db_prepare(c, "INSERT INTO commission (id, commission_no, kind, task, case_id, from_court_id, to_court_id, request,"
                                   " documents, status, sent_on, accept_due_on, due_on, accepted_on, handler_id, return_reason,"
                                   " returned_on, result, evidence, done_on, created_by, created_ms, updated_ms)"
                                   " VALUES (?, ?, 'task', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        char req[200];
        snprintf(req, sizeof req, "请协助%s（被执行人财产位于贵院辖区）", zx_cmd_task_label(task));
        db_bind_int64(s, 1, id);
        db_bind_text(s, 2, no, -1);
        db_bind_text(s, 3, task, -1);
        db_bind_int64(s, 4, k->id);
        db_bind_int64(s, 5, from->id);
        db_bind_int64(s, 6, to->id);
        db_bind_text(s, 7, req, -1);
        db_bind_text(s, 8, "[\"协助执行通知书\",\"执行裁定书\",\"执行公务证件\"]", -1);
        db_bind_text(s, 9, status, -1);
        db_bind_text(s, 10, s1, -1);
        db_bind_text(s, 11, s2, -1);
        db_bind_text(s, 12, s3, -1);
        db_bind_text(s, 13, st == 0 || st == 4 ? NULL : acc, -1);
        if (st != 0 && st != 4 && rcv) db_bind_int64(s, 14, rcv);
        else db_bind_null(s, 14);
        db_bind_text(s, 15, st == 4 ? "incomplete_documents" : NULL, -1);
        db_bind_text(s, 16, st == 4 ? acc : NULL, -1);
        db_bind_text(s, 17, st == 2 || st == 3 ? "已按委托要求办理完毕，回执附后" : NULL, -1);
        db_bind_text(s, 18, st == 2 || st == 3 ? "[\"协助执行回执\"]" : NULL, -1);
        db_bind_text(s, 19, st == 2 || st == 3 ? fin : NULL, -1);
        db_bind_int64(s, 20, by ? by : 0);
        db_bind_int64(s, 21, now);
        db_bind_int64(s, 22, now);
        if (exec_step(s)) return -1;
        if (zx_cmd_case_event(c, k->id, by, "commission_sent",
                              json_pack("{s:s, s:s, s:s, s:s}", "commission_no", no, "task", task, "task_label",
                                        zx_cmd_task_label(task), "to_court", to->code), false))
            return -1;
    }
    return 0;
}

static int duty(db_conn *c, const zx_court *ct, zx_date today, int64_t creator)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & ?) <> 0 ORDER BY id");
    if (!s) return -1;
    db_bind_int64(s, 1, ct->id);
    db_bind_int64(s, 2, ROLE_JUDGE | ROLE_ASSISTANT | ROLE_COMMAND);
    int64_t u[16];
    int n = 0;
    while (db_step(s) == DB_ROW && n < 16) u[n++] = db_col_int64(s, 0);
    db_finalize(s);
    if (!n) return 0;
    /* 24-hour shifts from 08:30 Shanghai (00:30 UTC), yesterday to six days ahead */
    int64_t day0 = (int64_t)today * 86400000LL + 1800000LL; /* 08:30 Asia/Shanghai = 00:30 UTC */
    for (int i = -1; i < 7; i++) {
        s = db_prepare(c, "INSERT INTO duty_shift (id, court_id, user_id, starts_ms, ends_ms, role_note, created_by, created_ms)"
                          " VALUES (?, ?, ?, ?, ?, '值班', ?, ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, ct->id);
        db_bind_int64(s, 3, u[(unsigned)(i + 1 + (int)(ct->id % 7)) % (unsigned)n]);
        db_bind_int64(s, 4, day0 + (int64_t)i * 86400000LL);
        db_bind_int64(s, 5, day0 + (int64_t)(i + 1) * 86400000LL);
        db_bind_int64(s, 6, creator ? creator : u[0]);
        db_bind_int64(s, 7, zx_now_ms());
        if (exec_step(s)) return -1;
    }
    return 0;
}

static int misc(db_conn *c, const zx_court *c0102, const zx_court *c1103, const zx_court *c01, const zx_court *liao,
                zx_date today)
{
    dcase k[2];
    if (open_cases(c, c0102->id, k, 2) < 2) return 0;
    int64_t cmd = user_of(c, c01->id, ROLE_COMMAND), j = user_of(c, c0102->id, ROLE_JUDGE);
    char t0[11], t1[11], d0[11], d1[11], no[96];
    int y, m, d;
    zx_date_to_ymd(today, &y, &m, &d);
    fmtd(today - 10, t0), fmtd(today - 50, t1), fmtd(zx_cmd_coord_level_due(today - 10), d0);
    fmtd(zx_cmd_coord_level_due(today - 50), d1);
    for (int i = 0; i < 2; i++) {
        if (zx_cmd_number(c, liao->id, "执协调", y, no, sizeof no)) return -1;
        int64_t now = zx_now_ms();
        db_stmt *s = db_prepare(c, "INSERT INTO coordination (id, coordination_no, case_id, other_case_no, court_a_id, court_b_id,"
                                   " superior_id, common_id, asset, dispute, status, filed_on, level_since, level_due_on, decision,"
                                   " decided_on, created_by, created_ms, updated_ms) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?,"
                                   " ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        db_bind_int64(s, 1, zx_id_new());
        db_bind_text(s, 2, no, -1);
        db_bind_int64(s, 3, k[i].id);
        db_bind_int64(s, 4, c0102->id);
        db_bind_int64(s, 5, c1103->id);
        db_bind_int64(s, 6, liao->id);
        db_bind_int64(s, 7, liao->id);
        db_bind_text(s, 8, i ? "盘锦市兴隆台区商铺一处" : "被执行人在盘锦银行的存款", -1);
        db_bind_text(s, 9, "两院对同一财产先后采取控制措施，对处置权有争议", -1);
        db_bind_text(s, 10, i ? "decided" : "open", -1);
        db_bind_text(s, 11, i ? t1 : t0, -1);
        db_bind_text(s, 12, i ? t1 : t0, -1);
        db_bind_text(s, 13, i ? d1 : d0, -1);
        db_bind_text(s, 14, i ? "由首先查封的法院负责处置，另一法院参与分配" : NULL, -1);
        db_bind_text(s, 15, i ? t0 : NULL, -1);
        db_bind_int64(s, 16, j ? j : cmd);
        db_bind_int64(s, 17, now);
        db_bind_int64(s, 18, now);
        if (exec_step(s)) return -1;
    }
    static const char *um[][3] = { { "debtor_located", "被执行人在桃仙机场值机，拟乘航班出境", "沈阳桃仙国际机场" },
                                   { "vehicle_located", "被查封车辆出现在小区地下车库", "和平区南京南街某小区" } };
    for (int i = 0; i < 2; i++) {
        db_stmt *s = db_prepare(c, "INSERT INTO urgent_matter (id, court_id, case_id, kind, summary, location, reported_ms,"
                                   " reported_by, assigned_to, status, outcome, handled_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        int64_t now = zx_now_ms();
        db_bind_int64(s, 1, zx_id_new());
        db_bind_int64(s, 2, c0102->id);
        db_bind_int64(s, 3, k[i].id);
        db_bind_text(s, 4, um[i][0], -1);
        db_bind_text(s, 5, um[i][1], -1);
        db_bind_text(s, 6, um[i][2], -1);
        db_bind_int64(s, 7, now - (i ? 3 : 30) * 3600000LL);
        db_bind_int64(s, 8, j ? j : cmd);
        db_bind_int64(s, 9, j ? j : cmd);
        db_bind_text(s, 10, i ? "open" : "handled", -1);
        db_bind_text(s, 11, i ? NULL : "值班法官到场，被执行人当场履行部分款项", -1);
        if (i) db_bind_null(s, 12);
        else db_bind_int64(s, 12, now - 26 * 3600000LL);
        if (exec_step(s)) return -1;
    }
    db_stmt *s = db_prepare(c, "INSERT INTO court_interview (id, court_id, by_court_id, person, title, held_on, reason, outcome,"
                               " created_by, created_ms) VALUES (?, ?, ?, '孙立新', '执行局长', ?, ?, ?, ?, ?)");
    if (!s) return -1;
    char h[11];
    fmtd(today - 15, h);
    db_bind_int64(s, 1, zx_id_new());
    db_bind_int64(s, 2, c0102->id);
    db_bind_int64(s, 3, c01->id);
    db_bind_text(s, 4, h, -1);
    db_bind_text(s, 5, "督办事项逾期未报，有财产案件法定期限内执结率连续两月未达标", -1);
    db_bind_text(s, 6, "制定整改方案，一个月内清理超期未结案件并报告", -1);
    db_bind_int64(s, 7, cmd ? cmd : j);
    db_bind_int64(s, 8, zx_now_ms());
    return exec_step(s);
}

static int demo_command(zx_app *app, unsigned seed)
{
    const zx_court *liao = zx_court_by_code("辽"), *c01 = zx_court_by_code("辽01"), *c11 = zx_court_by_code("辽11");
    const zx_court *c0102 = zx_court_by_code("辽0102"), *c0103 = zx_court_by_code("辽0103");
    const zx_court *c1103 = zx_court_by_code("辽1103"), *c1104 = zx_court_by_code("辽1104");
    if (!liao || !c01 || !c11 || !c0102 || !c0103 || !c1103 || !c1104) return 0; /* not the demo province */
    db_conn *c = db_acquire(app->db);
    unsigned sd = seed ^ 0x14c0de14u;
    zx_date today = zx_today();
    int rc = db_begin(c), np = 0;
    const zx_court *basic[] = { c0102, c0103, c1103, c1104 };
    for (int i = 0; !rc && i < 4; i++) {
        int n = petitions(c, basic[i], &sd, today, user_of(c, basic[i]->id, ROLE_COMMAND | ROLE_CHIEF));
        if (n < 0) rc = -1;
        else np += n;
    }
    if (!rc) rc = supervision(c, c01, c0102, &sd, today, 5);
    if (!rc) rc = supervision(c, c01, c0103, &sd, today, 3);
    if (!rc) rc = supervision(c, c11, c1103, &sd, today, 3);
    if (!rc) rc = supervision(c, liao, c1104, &sd, today, 2);
    if (!rc) rc = commissions(c, c0102, c1103, &sd, today, 6);
    if (!rc) rc = commissions(c, c1104, c0103, &sd, today, 6);
    if (!rc) rc = commissions(c, c0103, c1104, &sd, today, 3);
    const zx_court *all[] = { liao, c01, c11, c0102, c0103, c1103, c1104 };
    for (int i = 0; !rc && i < 7; i++) rc = duty(c, all[i], today, user_of(c, all[i]->id, ROLE_COMMAND));
    if (!rc) rc = misc(c, c0102, c1103, c01, liao, today);
    if (!rc) rc = db_commit(c);
    else {
        LOG_ERROR("command demo: %s", db_errmsg(c));
        db_rollback(c);
    }
    db_release(app->db, c);
    if (!rc) printf("  command center: %d petitions, 13 supervision orders, 15 commissions, 2 coordination cases, duty rosters\n", np);
    return rc;
}
ZX_DEMO("command center", 130, demo_command)
