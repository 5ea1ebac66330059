/* nodes.c — the nodes a party sees and the node SMS (see portal.h). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "case/case.h"
#include "core/money.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "portal/portal.h"

/* Case events shown on the party's timeline (issue 15 item 2: filed, assigned, notices served, property
 * found and controlled, valuation, auction, money received and paid out, suspension, closure). Other
 * events (internal approvals, credit drafts, notes, messages) stay inside the court. */
static const struct { const char *kind, *label; } public_nodes[] = {
    { "filed", "立案" }, { "assigned", "分案（确定承办法官）" }, { "enforcement_notice", "发出执行通知书" },
    { "property_report_order", "发出报告财产令" }, { "restriction_order", "发出限制消费令" },
    { "restriction_effective", "限制消费令生效" }, { "credit_effective", "纳入失信被执行人名单" },
    { "property_clue", "申请执行人提供财产线索" }, { "clue_verified", "财产线索核查完毕" },
    { "onsite_investigation", "现场调查" }, { "asset_found", "发现被执行人财产" },
    { "control_measure", "控制财产（查封、扣押、冻结）" }, { "valuation_start", "财产处置参考价程序开始" },
    { "valuation_end", "财产处置参考价程序结束" }, { "auction_start", "财产拍卖/变卖开始" }, { "auction_end", "财产拍卖/变卖结束" },
    { "funds_arrival", "案款到账" }, { "funds_claimed", "案款认领入账" }, { "funds_paid", "执行款已发放" },
    { "funds_escrow", "执行款提存" }, { "payment_received", "执行款直接交付申请执行人" },
    { "suspension_start", "中止/暂缓执行" }, { "suspension_end", "中止/暂缓结束，恢复办理" },
    { "closed", "结案" }, { "resumed", "恢复执行" }, { "restitution_filed", "执行回转重新立案" }, { "reward_published", "发布悬赏公告" }, { "reward_paid", "发放悬赏金" },
};

/* src/auction writes its steps as events with data.step (kind disposal, auction_start, valuation_end …). */
static const struct { const char *step, *label; } disposal_steps[] = {
    { "lot_created", "财产处置立项" }, { "price_step", "参考价程序（询价、评估）" }, { "reference_fixed", "确定财产处置参考价" },
    { "auction_announced", NULL /* data.label: 发布第一次/再次拍卖公告 */ }, { "fixed_sale_announced", "发布变卖公告" },
    { "sold", "拍卖成交" }, { "unsold", "流拍" }, { "sale_paid", "拍卖成交、价款到账" }, { "in_kind", "以物抵债" },
    { "released", "解除处置" }, { "restitution", "作出执行回转裁定" },
    { "restitution_refund", NULL /* data.label: 执行回转：退还买受人已付价款 N 元 (src/auction/refund.c) */ },
    { "restitution_outcome", NULL /* data.label: 退还原物 / 折价赔偿 / 终结执行回转程序 (执行工作规定 art 66) */ },
};

const char *zx_portal_node_label(const char *kind, json_t *data)
{
    if (!kind) return NULL;
    const char *step = json_string_value(json_object_get(data, "step"));
    if (step) {
        for (size_t i = 0; i < sizeof disposal_steps / sizeof disposal_steps[0]; i++)
            if (!strcmp(disposal_steps[i].step, step)) {
                if (disposal_steps[i].label) return disposal_steps[i].label;
                const char *l = json_string_value(json_object_get(data, "label"));
                return l ? l : "发布拍卖公告";
            }
        return NULL; /* objections, priority purchasers, defaults: not a party node */
    }
    if (!strcmp(kind, "control_measure")) { /* src/inquiry/apply.c and the case action: data.measure */
        static const struct { const char *m, *l; } ml[] = {
            { "freeze", "冻结财产" }, { "seize", "查封财产" }, { "distrain", "扣押财产" },
            { "renew", "续行冻结/查封" }, { "release", "解除冻结/查封" }, { "deduct", "扣划存款" },
            { "lapse", "冻结/查封期限届满，措施失效" }, /* 民诉解释 art 485: not renewed in time */
        };
        const char *m = json_string_value(json_object_get(data, "measure"));
        for (size_t i = 0; m && i < sizeof ml / sizeof ml[0]; i++)
            if (!strcmp(ml[i].m, m)) return ml[i].l;
        return "控制财产（查封、扣押、冻结）";
    }
    if (!strcmp(kind, "network_inquiry")) {
        const char *res = json_string_value(json_object_get(data, "result"));
        return res && !strcmp(res, "found") ? "网络执行查控：发现财产" : "网络执行查控：未发现可供执行的财产";
    }
    for (size_t i = 0; i < sizeof public_nodes / sizeof public_nodes[0]; i++)
        if (!strcmp(public_nodes[i].kind, kind)) return public_nodes[i].label;
    return NULL;
}

/* Nodes told to the applicant's side only (see portal.h). */
bool zx_portal_node_applicant_only(const char *kind)
{
    static const char *const k[] = { "property_clue", "clue_verified", "network_inquiry", "asset_found", NULL };
    for (int i = 0; kind && k[i]; i++)
        if (!strcmp(k[i], kind)) return true;
    return false;
}

/* What a party is told about a node beyond its label (issue 15 item 2: property found and controlled "in the
 * measure the rules allow"): the kind of measure, the amount and the term of a control, the count of a query
 * run — never an account number, a registry identifier or an institution's answer (the control's data.target
 * names the account: it stays inside the court; 财产调查规定 keeps the applicant's view of the debtor's
 * property to what the court discloses, with a duty of confidence). Writes into buf; false = no detail. */
bool zx_portal_node_detail(const char *kind, json_t *data, char *buf, size_t cap)
{
    if (!kind || !data || !cap) return false;
    buf[0] = 0;
    if (!strcmp(kind, "control_measure")) {
        json_t *a = json_object_get(data, "amount_fen");
        const char *until = json_string_value(json_object_get(data, "until"));
        const char *m = json_string_value(json_object_get(data, "measure"));
        size_t n = 0;
        if (json_is_integer(a) && json_integer_value(a) > 0) {
            char amt[ZX_MONEY_BUF];
            zx_money_format(json_integer_value(a), amt);
            n += (size_t)snprintf(buf + n, cap - n, "%s金额 %s 元", m && !strcmp(m, "deduct") ? "扣划" : "控制", amt);
        }
        if (until && *until && n < cap)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s %s", n ? "，" : "", m && !strcmp(m, "lapse") ? "届满日" : "期限至", until);
        return n > 0;
    }
    if (!strcmp(kind, "network_inquiry")) {
        const char *items = json_string_value(json_object_get(data, "items")); /* "向 N 家机构查询 … 发现财产 N 项" */
        if (!items || !*items) return false;
        snprintf(buf, cap, "%s", items);
        return true;
    }
    return false;
}

/* Node SMS sent here: event kind → node code (portal.h zx_portal_sms_nodes), recipients, text. */
static const struct { const char *kind, *node; bool applicant_only; const char *text; } node_texts[] = {
    { "filed", "filed", false, "本院已立案执行。您可凭案号、通知书上的查询码登录执行公开平台查询案件进展。" },
    { "assigned", "assigned", false, "本案已确定承办法官。" },
    { "control_measure", "property", true, "本院已对被执行人的财产采取控制措施（查封、扣押、冻结）。" },
    /* a query run that found property (立案/手动查控): the applicant only — telling the debtor before the
     * controls are in place would let the property be moved; a 终本 re-inquiry tells the applicant itself
     * (src/inquiry/apply.c, 终本规定 art 9) and is skipped here */
    { "network_inquiry", "property", true, "本院通过网络执行查控系统查询，发现被执行人名下财产，将依法采取控制措施。" },
    { "suspension_start", "suspension", false, "本案已中止（暂缓）执行。" },
    { "suspension_end", "suspension", false, "本案中止（暂缓）事由已消除，恢复办理。" },
    { "closed", "closed", false, "本案已结案，结案文书将依法送达。" },
    { "resumed", "closed", false, "本案已恢复执行。" },
};

int zx_portal_node_event(db_conn *c, int64_t case_id, int seq, const char *kind)
{
    int t = -1;
    for (size_t i = 0; kind && i < sizeof node_texts / sizeof node_texts[0]; i++)
        if (!strcmp(node_texts[i].kind, kind)) t = (int)i;
    if (t < 0) return 0;
    if (!strcmp(kind, "control_measure")) { /* a control taken — not its renewal, release, deduction or lapse */
        db_stmt *q = db_prepare(c, "SELECT data FROM case_event WHERE case_id = ? AND seq = ?");
        if (!q) return -1;
        db_bind_int64(q, 1, case_id);
        db_bind_int64(q, 2, seq);
        bool taken = true;
        if (db_step(q) == DB_ROW && db_col_text(q, 0)) {
            json_t *d = json_loads(db_col_text(q, 0), 0, NULL);
            const char *m = json_string_value(json_object_get(d, "measure"));
            taken = !m || !strcmp(m, "freeze") || !strcmp(m, "seize") || !strcmp(m, "distrain");
            json_decref(d);
        }
        db_finalize(q);
        if (!taken) return 0;
    }
    if (!strcmp(kind, "network_inquiry")) { /* only a run that found property, once per run (its event) */
        db_stmt *q = db_prepare(c, "SELECT data FROM case_event WHERE case_id = ? AND seq = ?");
        if (!q) return -1;
        db_bind_int64(q, 1, case_id);
        db_bind_int64(q, 2, seq);
        bool found = false;
        if (db_step(q) == DB_ROW && db_col_text(q, 0)) {
            json_t *d = json_loads(db_col_text(q, 0), 0, NULL);
            const char *res = json_string_value(json_object_get(d, "result"));
            const char *trig = json_string_value(json_object_get(d, "trigger"));
            found = res && !strcmp(res, "found") && !(trig && !strcmp(trig, "reinquiry"));
            json_decref(d);
        }
        db_finalize(q);
        if (!found) return 0;
    }
    db_stmt *s = db_prepare(c, "SELECT p.id, p.name, p.phone_enc, e.case_no, p.role FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE p.case_id = ? AND p.role IN ('applicant', 'debtor') AND p.phone_enc IS NOT NULL ORDER BY p.ord");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    struct { int64_t id; char name[128], phone[32], case_no[64]; } p[8];
    int n = 0;
    while (n < 8 && db_step(s) == DB_ROW) {
        if (node_texts[t].applicant_only && strcmp(db_col_text(s, 4), "applicant")) continue;
        p[n].id = db_col_int64(s, 0);
        snprintf(p[n].name, sizeof p[n].name, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        char *ph = zx_pii_col(s, 2, ZX_PII_PHONE);
        snprintf(p[n].phone, sizeof p[n].phone, "%s", ph ? ph : "");
        zx_pii_free(ph);
        snprintf(p[n].case_no, sizeof p[n].case_no, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        if (p[n].phone[0]) n++;
    }
    db_finalize(s);
    for (int i = 0; i < n; i++) {
        char key[96];
        snprintf(key, sizeof key, "node:%lld:%d:%lld", (long long)case_id, seq, (long long)p[i].id);
        json_t *par = json_pack("{s:s,s:s,s:s,s:s}", "name", p[i].name, "case_no", p[i].case_no, "text", node_texts[t].text,
                                "node", node_texts[t].node);
        int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = p[i].phone,
                                                           .template_name = "portal_node", .params = par,
                                                           .case_id = case_id, .dedup_key = key });
        json_decref(par);
        if (id < 0) return -1;
    }
    return 0;
}
ZX_CASE_EVENT_SUBSCRIBER(zx_portal_node_event)
