/* outbox.c — notify_outbox rows and the template texts (see notify.h). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "core/ids.h"
#include "core/pii.h"
#include "notify/notify.h"

/* The recipient's phone is sealed; registered so that `zhixing pii rotate` re-seals it (core/pii.h). */
ZX_PII_COLUMN(notify_outbox, recipient, ZX_PII_PHONE)

static const struct {
    const char *name, *text;
} templates[] = {
    /* 法发〔2017〕6号 / seed 001 §35: the applicant is told when money arrives and when it is paid. */
    { "funds_arrival", "【执行款到账】{name}：您申请执行的{case_no}案件于{date}到账执行款{amount}元，法院将依法及时发放。" },
    { "funds_payout", "【执行款发放】{name}：{case_no}案件执行款{amount}元已于{date}发放至您登记的账户，请注意查收。" },
    { "funds_payout_failed", "【执行款退回】{name}：{case_no}案件执行款{amount}元发放未成功，请尽快与承办法官核对收款账户。" },
    /* To court staff (src/funds/alerts.c): the payout clock (法发〔2017〕6号: pay within 30 days; local limit). */
    { "funds_payout_warning", "【执行款发放提醒】{name}：{case_no}案件执行款{amount}元（{date}到账）应于{due_on}前发放，请及时办理。" },
    { "funds_payout_overdue", "【执行款超期未发放】{name}：{case_no}案件执行款{amount}元（{date}到账）已超过发放期限{due_on}，承办人{handler}，请督促发放。" },
    { "funds_claim", "【待认领款】{case_no}：{date}收到一笔{amount}元款项待认领，请在期限内核实认领。" },
    /* Reused by other modules (inquiry, auction, portal): generic case notice. */
    { "case_notice", "【执行通知】{name}：{case_no}案件：{text}" },
    /* Party portal sign-in (src/api/portal_party.c): the one-time code, valid 5 minutes. */
    { "portal_node", "【执行公开】{name}：{case_no}案件：{text}" },
    { "portal_otp", "【执行公开】{case_no}案件当事人登录验证码：{code}，5分钟内有效，请勿告诉他人。" },
    /* a lawyer signing in once for every confirmed case; a 悬赏 tipster proving the phone (src/api/portal*.c) */
    { "portal_lawyer_otp", "【执行公开】代理律师登录验证码：{code}，5分钟内有效，请勿告诉他人。" },
    { "portal_tip_otp", "【执行公开】悬赏线索举报人身份验证码：{code}，5分钟内有效，请勿告诉他人。" },
    /* The court answered on the portal (message, clue, application, 悬赏, 调查令). */
    { "portal_reply", "【执行公开】{name}：{case_no}案件：{text}请登录执行公开平台查看。" },
};

static _Atomic(zx_notify_filter_fn) g_filter;
void zx_notify_set_filter(zx_notify_filter_fn fn) { atomic_store(&g_filter, fn); }

const char *zx_notify_template(const char *template_name)
{
    for (size_t i = 0; template_name && i < sizeof templates / sizeof templates[0]; i++)
        if (!strcmp(templates[i].name, template_name)) return templates[i].text;
    return NULL;
}

int zx_notify_render(const char *template_name, json_t *params, char *out, size_t outlen)
{
    const char *t = zx_notify_template(template_name);
    if (!t || outlen == 0) return -1;
    size_t o = 0;
    for (const char *p = t; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && close - p < 40) {
            char key[40];
            memcpy(key, p + 1, (size_t)(close - p - 1));
            key[close - p - 1] = 0;
            json_t *v = params ? json_object_get(params, key) : NULL;
            char num[32];
            const char *s = NULL;
            if (json_is_string(v)) s = json_string_value(v);
            else if (json_is_integer(v)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                s = num;
            }
            if (s) {
                size_t n = strlen(s);
                if (o + n >= outlen) n = outlen - 1 - o;
                memcpy(out + o, s, n);
                o += n;
                p = close + 1;
                continue;
            }
        }
        if (o + 1 < outlen) out[o++] = *p;
        p++;
    }
    out[o] = 0;
    return (int)o;
}

int64_t zx_notify_enqueue(db_conn *c, const zx_notify_msg *m)
{
    if (!m->channel || strcmp(m->channel, "sms") || !m->recipient || !*m->recipient ||
        !zx_notify_template(m->template_name))
        return ZX_NOTIFY_EINVAL;
    if (m->dedup_key) {
        db_stmt *q = db_prepare(c, "SELECT id FROM notify_outbox WHERE dedup_key = ?");
        if (!q) return DB_ERROR;
        db_bind_text(q, 1, m->dedup_key, -1);
        int rc = db_step(q);
        int64_t id = rc == DB_ROW ? db_col_int64(q, 0) : 0;
        db_finalize(q);
        if (rc < 0) return rc;
        if (id > 0) return id;
    }
    zx_notify_filter_fn filter = atomic_load(&g_filter);
    const char *suppressed = m->case_id > 0 && filter ? filter(c, m) : NULL;
    char *params = m->params ? json_dumps(m->params, JSON_COMPACT) : strdup("{}");
    int64_t id = zx_id_new(), now = zx_now_ms();
    db_stmt *s = db_prepare(c, "INSERT INTO notify_outbox (id, dedup_key, channel, recipient, template, params, case_id,"
                               " status, attempts, next_at_ms, created_ms, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)");
    if (!s) {
        free(params);
        return DB_ERROR;
    }
    db_bind_int64(s, 1, id);
    db_bind_text(s, 2, m->dedup_key, -1);
    db_bind_text(s, 3, m->channel, -1);
    zx_pii_bind(s, 4, ZX_PII_PHONE, m->recipient);
    db_bind_text(s, 5, m->template_name, -1);
    db_bind_text(s, 6, params, -1);
    if (m->case_id > 0) db_bind_int64(s, 7, m->case_id);
    else db_bind_null(s, 7);
    db_bind_text(s, 8, suppressed ? "suppressed" : "queued", -1);
    db_bind_int64(s, 9, now);
    db_bind_int64(s, 10, now);
    db_bind_text(s, 11, suppressed, -1);
    int rc = db_step(s);
    db_finalize(s);
    free(params);
    return rc == DB_DONE ? id : (rc < 0 ? rc : DB_ERROR);
}
