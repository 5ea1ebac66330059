/* demo_decisions.c — demo 失信 / 限消 decisions on the demo courts' open cases (ZX_DEMO, after the
 * case demo data). Goes through the real procedure (src/credit/decisions.c): proposal with the gate,
 * 院长 signature, service, effect — so every demo listing has its decision, case events and audit
 * records. Deterministic for a seed. About a third of the open cases' debtors are touched:
 *   - 失信 listed (grounds 1–6, a 限消 order comes with each), published some weeks ago;
 *   - some served days ago with a 1–3 month 宽限期 still running (grace ending soon list);
 *   - 限消 orders on unit debtors binding their legal representative etc.;
 *   - some proposals waiting for the 院长 / for service;
 *   - some with a deletion trigger recorded (full performance) but not yet executed: due in 3
 *     working days, one already overdue;
 *   - one correction application pending review. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/authz.h"
#include "cli.h"
#include "core/date.h"
#include "core/log.h"
#include "credit/credit_approvals.h"
#include "credit/decisions.h"
#include "credit/snapshot.h"

static unsigned mix(unsigned x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

struct cand {
    int64_t case_id, party_id, court_id;
    char kind[8];
    char filed_on[11];
    char last_on[11]; /* the case's latest event: a decision written now is dated no earlier (events in date order) */
};

static int64_t chief_of(db_conn *c, int64_t court_id)
{
    db_stmt *s = db_prepare(c, "SELECT id FROM app_user WHERE court_id = ? AND (roles & 64) <> 0 ORDER BY id LIMIT 1");
    if (!s) return 0;
    db_bind_int64(s, 1, court_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static int64_t handler_of(db_conn *c, int64_t case_id)
{
    db_stmt *s = db_prepare(c, "SELECT COALESCE(handler_id, 0) FROM enf_case WHERE id = ?");
    if (!s) return 0;
    db_bind_int64(s, 1, case_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static void fmt(zx_date d, char b[11]) { zx_date_format(d, b); }

/* One step in its own transaction; returns 0 or -1 (logged, demo continues with the next debtor). */
static int64_t run(db_conn *c, const zx_cd_actor *a, int what, int64_t id, json_t *body, const char *step)
{
    zx_cd_err err = { 0 };
    if (db_begin(c)) return -1;
    int64_t rc;
    switch (what) {
    case 0: rc = zx_cd_propose(a, c, body, false, NULL, &err); break;
    case 1: rc = zx_cd_step(a, c, id, step, body, &err); break;
    case 2: rc = zx_cd_deletion(a, c, id, body, &err); break;
    default: rc = zx_cd_correction_add(a, c, id, body, &err); break;
    }
    if (rc < 0) {
        db_rollback(c);
        LOG_DEBUG("demo decisions: %s skipped: %s %s", step ? step : "step", err.code ? err.code : "", err.message);
        if (err.extra) json_decref(err.extra);
        return -1;
    }
    if (db_commit(c)) return -1;
    return rc;
}

static int64_t entry_of(db_conn *c, int64_t decision_id)
{
    db_stmt *s = db_prepare(c, "SELECT COALESCE(entry_id, 0) FROM credit_decision WHERE id = ?");
    db_bind_int64(s, 1, decision_id);
    int64_t id = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    return id;
}

static int demo_decisions(zx_app *app, unsigned seed)
{
    db_conn *c = db_acquire(app->db);
    struct cand *v = calloc(600, sizeof *v);
    int n = 0;
    db_stmt *s = db_prepare(c, "SELECT k.id, p.id, k.court_id, p.kind, k.filed_on,"
                               " (SELECT MAX(e.on_date) FROM case_event e WHERE e.case_id = k.id)"
                               " FROM enf_case k JOIN case_party p ON p.case_id = k.id"
                               " WHERE k.status <> 'closed' AND p.role = 'debtor' AND k.recovered_fen < k.claim_fen"
                               " ORDER BY k.id, p.ord LIMIT 600");
    while (s && db_step(s) == DB_ROW && n < 600) {
        v[n].case_id = db_col_int64(s, 0);
        v[n].party_id = db_col_int64(s, 1);
        v[n].court_id = db_col_int64(s, 2);
        snprintf(v[n].kind, sizeof v[n].kind, "%s", db_col_text(s, 3));
        snprintf(v[n].filed_on, sizeof v[n].filed_on, "%s", db_col_text(s, 4) ? db_col_text(s, 4) : "");
        snprintf(v[n].last_on, sizeof v[n].last_on, "%s", db_col_text(s, 5) ? db_col_text(s, 5) : "");
        n++;
    }
    if (s) db_finalize(s);
    zx_date today = zx_today();
    int listed = 0, grace = 0, restricted = 0, pending = 0, due = 0;
    bool corr = false, overdue = false;
    for (int i = 0; i < n; i++) {
        unsigned h = mix((unsigned)v[i].party_id ^ (seed * 2654435761U));
        if (h % 100 >= 35) continue; /* about a third of the open debtors */
        int64_t chief = chief_of(c, v[i].court_id);
        if (!chief) continue;
        zx_cd_actor a = { .r = NULL, .user_id = chief, .username = "demo" };
        zx_date filed = ZX_DATE_NONE;
        if (zx_date_parse(v[i].filed_on, &filed)) continue;
        unsigned kind = (h >> 8) % 10;
        bool unit = strcmp(v[i].kind, "unit") == 0;
        /* decision date: between filing and today */
        int span = today - filed;
        zx_date decided = span > 10 ? filed + 10 + (int)((h >> 12) % (unsigned)(span - 9)) : today;
        if (kind <= 1) decided = today - (int)((h >> 4) % 5);           /* recent: grace still running */
        if (decided < filed) decided = filed;
        zx_date last = ZX_DATE_NONE;
        if (v[i].last_on[0] && zx_date_parse(v[i].last_on, &last) == 0 && decided < last) {
            if (last > today) continue;
            decided = last; /* after everything already on the case: its events stay in date order */
        }
        char dd[11];
        fmt(decided, dd);
        char cs[24], ps[24];
        snprintf(cs, sizeof cs, "%lld", (long long)v[i].case_id);
        snprintf(ps, sizeof ps, "%lld", (long long)v[i].party_id);
        json_t *body;
        bool restr = unit && kind == 9;
        if (restr)
            body = json_pack("{s:s,s:s,s:s,s:s,s:i,s:b}", "case_id", cs, "party_id", ps, "list", "restricted", "decided_on", dd,
                             "grace_months", 0, "on_application", 1);
        else {
            int ground = 1 + (int)((h >> 20) % 6);
            static const char *conduct[] = { "有履行能力而拒不履行生效法律文书确定的给付义务", "以暴力方法阻碍执行人员查封财产",
                                             "将名下车辆无偿转让给亲属以规避执行", "未按执行通知和报告财产令报告财产",
                                             "违反限制消费令乘坐飞机", "无正当理由拒不履行执行和解协议" };
            body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:b}", "case_id", cs, "party_id", ps, "ground", ground, "conduct",
                             conduct[ground - 1], "decided_on", dd, "grace_months", kind <= 1 ? 1 + (int)(h % 3) : (int)(h % 2),
                             "on_application", (h >> 3) & 1);
        }
        int64_t handler = kind == 8 ? handler_of(c, v[i].case_id) : 0;
        zx_cd_actor pa = { .r = NULL, .user_id = handler ? handler : chief, .username = "demo" }; /* the handler proposes */
        int64_t did = run(c, &pa, 0, 0, body, "propose");
        json_decref(body);
        if (did < 0) continue;
        if (kind == 8) { /* waiting for the 院长: in the one approval inbox (issue 9 item 9), proposed by the handler */
            if (db_begin(c) == 0) {
                if (zx_credit_approval_submit_as(c, pa.user_id, did) == 0) db_commit(c);
                else db_rollback(c);
            }
            pending++;
            continue;
        }
        body = json_pack("{s:s}", "signed_on", dd);
        int64_t rc = run(c, &a, 1, did, body, "approve");
        json_decref(body);
        if (rc < 0) continue;
        if (kind == 7 && !restr) { /* signed, not yet served */
            pending++;
            continue;
        }
        zx_date served = decided + (int)((h >> 6) % 3);
        if (served > today) served = today;
        char sd[11];
        fmt(served, sd);
        body = json_pack("{s:s,s:s}", "served_on", sd, "method", (h & 1) ? "direct" : "mail");
        rc = run(c, &a, 1, did, body, "serve");
        json_decref(body);
        if (rc < 0) continue;
        if (restr) restricted++;
        else if (kind <= 1) grace++;
        else listed++;
        int64_t eid = entry_of(c, did);
        if (!restr && (kind == 5 || kind == 6) && eid) { /* performed: deletion due (one overdue) */
            bool late = !overdue && served <= today - 8; /* one left overdue for the work list */
            zx_date trig = late ? today - 8 : today - 1;
            if (trig < served) trig = served;
            overdue |= late;
            char td[11];
            fmt(trig, td);
            body = json_pack("{s:s,s:s,s:s}", "trigger", "full_performance", "trigger_on", td, "note", "申请执行人确认已全部履行");
            if (run(c, &a, 2, eid, body, "deletion") > 0) due++;
            json_decref(body);
        } else if (!restr && kind == 4 && !corr && eid) {
            body = json_pack("{s:s,s:s,s:s}", "applicant_name", "被执行人（本人）", "kind", "inaccurate", "reason",
                             "公布的履行情况有误：已部分履行");
            corr = run(c, &a, 3, eid, body, "correction") > 0;
            json_decref(body);
        }
    }
    free(v);
    zx_credit_sync(c);
    db_release(app->db, c);
    LOG_INFO("demo decisions: %d 失信 listed, %d in grace, %d unit 限消 orders, %d pending, %d deletions due%s", listed, grace,
             restricted, pending, due, n ? "" : " (no open demo cases found)");
    return 0;
}
ZX_DEMO("credit decisions", 80, demo_decisions)
