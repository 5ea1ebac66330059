/* settings.c — per-court funds settings, personal-data storage for payers/payees, and the notices
 * the funds service sends through the outbox. */
#include <stdio.h>
#include <string.h>

#include <stdlib.h>

#include "account/court_setting.h"
#include "core/money.h"
#include "core/pii.h"
#include "funds/funds.h"
#include "notify/notify.h"

void zx_funds_settings_get(db_conn *c, int64_t court_id, zx_funds_settings *out)
{
    /* Defaults: seed 000's local rule (7 working days, claim in 3 working days) and the ¥100,000 tier
     * named by 法发〔2017〕6号 practice (systems.md §4.3). */
    *out = (zx_funds_settings){ .local_limit_days = 7, .local_limit_working = true, .chief_tier_fen = 10000000,
                                .claim_working_days = 3, .warning_days = ZX_FUNDS_WARNING_DAYS_DEFAULT,
                                .payout_channel = "file" };
    /* The warning lead is a local rule of the court (court_setting: its own value, else its parent's). */
    char *w = zx_court_setting_get(c, court_id, "funds.warning_days", &out->warning_from_court);
    if (w) {
        char *end;
        long v = strtol(w, &end, 10);
        if (end != w && v >= 0 && v <= ZX_FUNDS_WARNING_DAYS_MAX) out->warning_days = (int)v;
        free(w);
    }
    db_stmt *s = db_prepare(c, "SELECT local_limit_days, local_limit_working, chief_tier_fen, claim_working_days,"
                               " payout_channel FROM fund_setting WHERE court_id = ?");
    if (!s) return;
    db_bind_int64(s, 1, court_id);
    if (db_step(s) == DB_ROW) {
        out->local_limit_days = (int)db_col_int64(s, 0);
        out->local_limit_working = db_col_int64(s, 1) != 0;
        out->chief_tier_fen = db_col_int64(s, 2);
        out->claim_working_days = (int)db_col_int64(s, 3);
        if (db_col_text(s, 4) && !strcmp(db_col_text(s, 4), "api")) snprintf(out->payout_channel, sizeof out->payout_channel, "api");
    }
    db_finalize(s);
}

int zx_funds_claim_days(db_conn *c, int64_t court_id)
{
    zx_funds_settings st;
    zx_funds_settings_get(c, court_id, &st);
    return st.claim_working_days;
}

/* The bank account numbers the funds module seals (payers of arrivals, payees of payouts): registered so
 * that `zhixing pii rotate` re-seals them with every other personal datum (core/pii.h). */
ZX_PII_COLUMN(fund_arrival, payer_account, ZX_PII_BANK_ACCOUNT)
ZX_PII_COLUMN(fund_payout, payee_account, ZX_PII_BANK_ACCOUNT)

int zx_funds_bind_account(db_stmt *s, int idx, const char *plain)
{
    if (!plain || !*plain) return db_bind_null(s, idx);
    return zx_pii_bind(s, idx, ZX_PII_BANK_ACCOUNT, plain);
}

int zx_funds_notify_case(db_conn *c, int64_t case_id, const char *template_name, int64_t object_id,
                         int64_t amount_fen, const char *on)
{
    return zx_funds_notify_named(c, case_id, template_name, object_id, amount_fen, on, NULL);
}

int zx_funds_notify_named(db_conn *c, int64_t case_id, const char *template_name, int64_t object_id,
                          int64_t amount_fen, const char *on, const char *payee_name)
{
    char case_no[64] = "";
    if (zx_funds_case_brief(c, case_id, NULL, case_no, NULL) != 0) return 0;
    db_stmt *s = db_prepare(c, "SELECT id, name, phone_enc FROM case_party WHERE case_id = ? AND role = 'applicant'"
                               " AND phone_enc IS NOT NULL ORDER BY ord"); /* sealed (core/pii.h, migration 020) */
    if (!s) return DB_ERROR;
    db_bind_int64(s, 1, case_id);
    struct { int64_t id; char name[128], phone[32]; } p[8];
    int n = 0, rc;
    while ((rc = db_step(s)) == DB_ROW && n < 8) {
        if (payee_name && (!db_col_text(s, 1) || strcmp(db_col_text(s, 1), payee_name))) continue;
        p[n].id = db_col_int64(s, 0);
        snprintf(p[n].name, sizeof p[n].name, "%s", db_col_text(s, 1) ? db_col_text(s, 1) : "");
        char *ph = zx_pii_col(s, 2, ZX_PII_PHONE);
        snprintf(p[n].phone, sizeof p[n].phone, "%s", ph ? ph : "");
        zx_pii_free(ph);
        n++;
    }
    db_finalize(s);
    if (rc < 0) return rc;
    char amt[ZX_MONEY_BUF];
    zx_money_format(amount_fen, amt);
    for (int i = 0; i < n; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s:%lld:%lld", template_name, (long long)object_id, (long long)p[i].id);
        json_t *params = json_pack("{s:s,s:s,s:s,s:s}", "name", p[i].name, "case_no", case_no, "amount", amt,
                                   "date", on ? on : "");
        int64_t id = zx_notify_enqueue(c, &(zx_notify_msg){ .channel = "sms", .recipient = p[i].phone,
                                                            .template_name = template_name, .params = params,
                                                            .case_id = case_id, .dedup_key = key });
        json_decref(params);
        if (id < 0 && id != ZX_NOTIFY_EINVAL) return (int)id;
    }
    return 0;
}
