/* settings.c — per-court node SMS settings and the parties' opt-out (退订), applied to every node
 * message through the notify outbox's filter (see portal.h, notify.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/ids.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "portal/portal.h"
#include "rules/portal.h"

const char *const zx_portal_sms_nodes[] = { "filed", "assigned", "property", "auction", "money_in", "money_out",
                                            "suspension", "closed", NULL };
const char *const zx_portal_sms_node_labels[] = { "立案", "分案", "财产查控（发现财产，查封、扣押、冻结）", "拍卖公告",
                                                  "案款到账", "案款发放", "中止/暂缓及恢复", "结案及恢复执行", NULL };
#define ALL_NODES ((1u << 8) - 1)

static int node_index(const char *code)
{
    for (int i = 0; code && zx_portal_sms_nodes[i]; i++)
        if (!strcmp(zx_portal_sms_nodes[i], code)) return i;
    return -1;
}

int zx_portal_settings_get(db_conn *c, int64_t court_id, zx_portal_settings *out)
{
    *out = (zx_portal_settings){ .sms_mask = ALL_NODES, .reply_days = ZX_REPLY_DAYS_DEFAULT };
    db_stmt *s = db_prepare(c, "SELECT sms_nodes, reply_days, contact_phone, contact_note FROM portal_court_setting WHERE court_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, court_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        json_t *a = json_loads(db_col_text(s, 0) ? db_col_text(s, 0) : "[]", 0, NULL);
        out->sms_mask = 0;
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            int k = node_index(json_string_value(v));
            if (k >= 0) out->sms_mask |= 1u << k;
        }
        json_decref(a);
        out->reply_days = (int)db_col_int64(s, 1);
        snprintf(out->contact_phone, sizeof out->contact_phone, "%s", db_col_text(s, 2) ? db_col_text(s, 2) : "");
        snprintf(out->contact_note, sizeof out->contact_note, "%s", db_col_text(s, 3) ? db_col_text(s, 3) : "");
        out->stored = true;
    }
    db_finalize(s);
    return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

json_t *zx_portal_settings_json(const zx_portal_settings *st)
{
    json_t *nodes = json_array(), *all = json_array();
    for (int i = 0; zx_portal_sms_nodes[i]; i++) {
        if (st->sms_mask & (1u << i)) json_array_append_new(nodes, json_string(zx_portal_sms_nodes[i]));
        json_array_append_new(all, json_pack("{s:s,s:s}", "code", zx_portal_sms_nodes[i], "label", zx_portal_sms_node_labels[i]));
    }
    return json_pack("{s:o,s:i,s:o,s:b,s:s,s:s}", "sms_nodes", nodes, "reply_days", st->reply_days, "nodes", all, "default",
                     !st->stored, "contact_phone", st->contact_phone, "contact_note", st->contact_note);
}

int zx_portal_settings_put(db_conn *c, int64_t court_id, int64_t user_id, json_t *body, const char **why)
{
    json_t *a = json_object_get(body, "sms_nodes"), *rd = json_object_get(body, "reply_days");
    if (!json_is_array(a)) return *why = "sms_nodes 须为节点代码数组", 1;
    json_t *clean = json_array();
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (node_index(json_string_value(v)) < 0) {
            json_decref(clean);
            return *why = "未知的通知节点", 1;
        }
        json_array_append(clean, v);
    }
    int64_t days = ZX_REPLY_DAYS_DEFAULT;
    if (rd && (!json_is_integer(rd) || (days = json_integer_value(rd)) < 1 || days > ZX_REPLY_DAYS_MAX)) {
        json_decref(clean);
        return *why = "留言答复期限须为 1–15 个工作日", 1;
    }
    /* the court's contact for parties: a key left out keeps the stored value */
    zx_portal_settings cur;
    if (zx_portal_settings_get(c, court_id, &cur)) {
        json_decref(clean);
        return -1;
    }
    json_t *cp = json_object_get(body, "contact_phone"), *cn = json_object_get(body, "contact_note");
    if (cp && !json_is_null(cp)) {
        const char *v = json_string_value(cp);
        if (!v || !zx_portal_contact_phone_valid(v)) {
            json_decref(clean);
            return *why = "联系电话只能由数字、“-”、空格、括号和“转”组成，5–40个字符", 1;
        }
        snprintf(cur.contact_phone, sizeof cur.contact_phone, "%s", v);
    } else if (cp)
        cur.contact_phone[0] = 0;
    if (cn && !json_is_null(cn)) {
        const char *v = json_string_value(cn);
        size_t n = 0;
        for (const char *q = v ? v : ""; *q; q++) n += ((unsigned char)*q & 0xC0) != 0x80;
        if (!v || n > 60 || strlen(v) >= sizeof cur.contact_note) {
            json_decref(clean);
            return *why = "联系说明（接待时间、地点）不超过60字", 1;
        }
        snprintf(cur.contact_note, sizeof cur.contact_note, "%s", v);
    } else if (cn)
        cur.contact_note[0] = 0;
    char *txt = json_dumps(clean, JSON_COMPACT);
    json_decref(clean);
    db_stmt *s = db_prepare(c, "INSERT INTO portal_court_setting (court_id, sms_nodes, reply_days, updated_by, updated_ms,"
                               " contact_phone, contact_note) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (court_id) DO UPDATE SET"
                               " sms_nodes = excluded.sms_nodes, reply_days = excluded.reply_days, updated_by = excluded.updated_by,"
                               " updated_ms = excluded.updated_ms, contact_phone = excluded.contact_phone,"
                               " contact_note = excluded.contact_note");
    int rc = -1;
    if (s) {
        db_bind_int64(s, 1, court_id);
        db_bind_text(s, 2, txt, -1);
        db_bind_int64(s, 3, days);
        db_bind_int64(s, 4, user_id);
        db_bind_int64(s, 5, zx_now_ms());
        if (cur.contact_phone[0]) db_bind_text(s, 6, cur.contact_phone, -1);
        else db_bind_null(s, 6);
        if (cur.contact_note[0]) db_bind_text(s, 7, cur.contact_note, -1);
        else db_bind_null(s, 7);
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    free(txt);
    return rc;
}

int zx_portal_optout_set(db_conn *c, int64_t case_id, int64_t party_id, bool on)
{
    if (!on) {
        db_stmt *s = db_prepare(c, "DELETE FROM portal_optout WHERE case_id = ? AND party_id = ?");
        if (!s) return -1;
        db_bind_int64(s, 1, case_id);
        db_bind_int64(s, 2, party_id);
        int rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
        return rc;
    }
    db_stmt *s = db_prepare(c, "SELECT phone_enc FROM case_party WHERE id = ? AND case_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, party_id);
    db_bind_int64(s, 2, case_id);
    char *phone = db_step(s) == DB_ROW ? zx_pii_col(s, 0, ZX_PII_PHONE) : NULL;
    db_finalize(s);
    char idx[ZX_PII_INDEX_HEX] = "";
    if (phone) zx_pii_index(ZX_PII_PHONE, phone, idx);
    zx_pii_free(phone);
    s = db_prepare(c, "INSERT INTO portal_optout (case_id, party_id, phone_idx, created_ms) VALUES (?, ?, ?, ?)"
                      " ON CONFLICT (case_id, party_id) DO UPDATE SET phone_idx = excluded.phone_idx");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, party_id);
    db_bind_text(s, 3, idx, -1);
    db_bind_int64(s, 4, zx_now_ms());
    int rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    return rc;
}

int zx_portal_optout_get(db_conn *c, int64_t case_id, int64_t party_id)
{
    db_stmt *s = db_prepare(c, "SELECT 1 FROM portal_optout WHERE case_id = ? AND party_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    db_bind_int64(s, 2, party_id);
    int rc = db_step(s);
    db_finalize(s);
    return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* The node a message announces, or NULL for messages that are not node notifications (one-time codes,
 * a failed payout, the court's answers — never suppressed: the party needs them). */
static const char *message_node(const zx_notify_msg *m)
{
    const char *t = m->template_name;
    if (!strcmp(t, "portal_node")) return json_string_value(json_object_get(m->params, "node"));
    if (!strcmp(t, "funds_arrival")) return "money_in";
    if (!strcmp(t, "funds_payout")) return "money_out";
    if (!strcmp(t, "case_notice") && m->dedup_key) {
        if (!strncmp(m->dedup_key, "auction:", 8)) return "auction";      /* src/auction: announcements, results */
        if (!strncmp(m->dedup_key, "inquiry_result:", 15)) return "property"; /* src/inquiry: 终本 re-inquiry results */
    }
    return NULL;
}

static const char *portal_filter(db_conn *c, const zx_notify_msg *m)
{
    /* a 悬赏 reward paid to a tipster from the case account (portal_staff.c tip_assess) is not money paid to the
     * applicant: the funds module's "paid to your account" SMS would be false — the portal node 发放悬赏金 tells it */
    if (!strcmp(m->template_name, "funds_payout") && m->dedup_key && !strncmp(m->dedup_key, "funds_payout:", 13)) {
        long long pid = strtoll(m->dedup_key + 13, NULL, 10);
        db_stmt *q = pid > 0 ? db_prepare(c, "SELECT 1 FROM reward_tip WHERE payout_id = ?") : NULL;
        if (q) {
            db_bind_int64(q, 1, pid);
            bool reward = db_step(q) == DB_ROW;
            db_finalize(q);
            if (reward) return "reward_payout";
        }
    }
    const char *node = message_node(m);
    int k = node_index(node);
    if (k < 0) return NULL;
    db_stmt *s = db_prepare(c, "SELECT court_id FROM enf_case WHERE id = ?");
    if (!s) return NULL;
    db_bind_int64(s, 1, m->case_id);
    int64_t court = db_step(s) == DB_ROW ? db_col_int64(s, 0) : 0;
    db_finalize(s);
    zx_portal_settings st;
    if (court && zx_portal_settings_get(c, court, &st) == 0 && !(st.sms_mask & (1u << k))) return "court_off";
    s = db_prepare(c, "SELECT 1 FROM portal_optout WHERE case_id = ? AND " ZX_PII_IN("phone_idx"));
    if (!s) return NULL;
    db_bind_int64(s, 1, m->case_id);
    zx_pii_bind_lookup(s, 2, ZX_PII_PHONE, m->recipient);
    bool out = db_step(s) == DB_ROW;
    db_finalize(s);
    return out ? "opted_out" : NULL;
}

static void __attribute__((constructor)) portal_filter_init(void) { zx_notify_set_filter(portal_filter); }
