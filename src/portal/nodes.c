/* nodes.c — SMS to the parties at key case nodes (see portal.h). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "case/case.h"
#include "core/pii.h"
#include "notify/notify.h"
#include "portal/portal.h"

static const struct { const char *kind, *text; } node_texts[] = {
    { "filed", "本院已立案执行。您可凭案号、通知书上的查询码登录执行公开平台查询案件进展。" },
    { "assigned", "本案已确定承办法官。" },
    { "suspended", "本案已中止执行。" },
    { "resumed", "本案已恢复执行。" },
    { "closed", "本案已结案，结案文书将依法送达。" },
};

int zx_portal_node_event(db_conn *c, int64_t case_id, int seq, const char *kind)
{
    const char *text = NULL;
    for (size_t i = 0; kind && i < sizeof node_texts / sizeof node_texts[0]; i++)
        if (!strcmp(node_texts[i].kind, kind)) text = node_texts[i].text;
    if (!text) return 0;
    db_stmt *s = db_prepare(c, "SELECT p.id, p.name, p.phone_enc, e.case_no FROM case_party p JOIN enf_case e ON e.id = p.case_id"
                               " WHERE p.case_id = ? AND p.role IN ('applicant', 'debtor') AND p.phone_enc IS NOT NULL ORDER BY p.ord");
    if (!s) return -1;
    db_bind_int64(s, 1, case_id);
    struct { int64_t id; char name[128], phone[32], case_no[64]; } p[8];
    int n = 0;
    while (n < 8 && db_step(s) == DB_ROW) {
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
        json_t *par = json_pack("{s:s,s:s,s:s}", "name", p[i].name, "case_no", p[i].case_no, "text", text);
        int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = p[i].phone,
                                                           .template_name = "portal_node", .params = par,
                                                           .case_id = case_id, .dedup_key = key });
        json_decref(par);
        if (id < 0) return -1;
    }
    return 0;
}
ZX_CASE_EVENT_SUBSCRIBER(zx_portal_node_event)
