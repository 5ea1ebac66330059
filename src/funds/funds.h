/* funds.h — the case-funds service behind the ledger (src/funds/): arrivals and matching, 待认领
 * claims, payouts with fee settlement and approval tiers, deferrals, 提存, overdue buckets,
 * distribution, statement import and reconciliation. The ledger engine and the helpers other modules
 * use are in ledger.h; this header is for src/funds and src/api/funds*.c.
 * Every function that changes state runs inside the caller's write transaction. */
#ifndef ZX_FUNDS_H
#define ZX_FUNDS_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include "core/date.h"
#include "funds/ledger.h"
#include "rules/case_no.h"

/* ---- helpers (arrivals.c, accounts.c) ---- */
int64_t zx_funds_case_by_account_no(db_conn *c, const char *typed, int64_t court_id, int64_t *account_id);
bool zx_funds_case_no_in_text(const char *text, char out[ZX_CASE_NO_MAX]);
/* court, 案号, status of a case: 0, 1 not found, < 0 error. */
int zx_funds_case_brief(db_conn *c, int64_t case_id, int64_t *court_id, char case_no[64], char status[16]);
/* Money credited to a case through the ledger: enf_case.recovered_fen += amount and a case event
 * `kind` with data (borrowed). */
int zx_funds_credit_case(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, int64_t amount_fen,
                         const char *on, json_t *data);
/* 认领: move an unidentified arrival to a case of the same court (transfer, arrival row, case event,
 * recovered_fen, notice). 0 or < 0 (ZX_FUNDS_E* with err, DB_E*). */
int zx_funds_claim(db_conn *c, int64_t arrival_id, int64_t case_id, int64_t user_id, char *err, size_t errlen);
/* Enqueue the SMS to the case's applicants (案款到账 / 发放 notices, seed 001 §35). */
int zx_funds_notify_case(db_conn *c, int64_t case_id, const char *template_name, int64_t object_id,
                         int64_t amount_fen, const char *on);
/* The same for one payee only: the applicants whose name is payee_name (a payout to another 参与分配
 * creditor, a buyer's refund, a tipster's reward is not money "paid to your account"). */
int zx_funds_notify_named(db_conn *c, int64_t case_id, const char *template_name, int64_t object_id,
                          int64_t amount_fen, const char *on, const char *payee_name);

/* Bind a bank account number sealed through core/pii (SQL NULL for NULL/empty). */
int zx_funds_bind_account(db_stmt *s, int idx, const char *plain);

/* A bulk job's connection (statement import, benchmark): on SQLite a 256 MiB page cache for this
 * connection, so index pages of large tables stay in memory; nothing on PostgreSQL. */
void zx_funds_bulk_session(db_t *db, db_conn *c);

/* ---- settings (settings.c) ---- */
typedef struct zx_funds_settings {
    int local_limit_days;      /* stricter local payout limit (seed 000: 7 working days) */
    bool local_limit_working;  /* counted in working days */
    int64_t chief_tier_fen;    /* payouts ≥ this need the 执行局长 (ROLE_CHIEF) */
    int claim_working_days;    /* 待认领 claim deadline */
    int warning_days;          /* warn this many days before a payout falls due (court_setting
                                * "funds.warning_days", inherited from the parent court, default 3) */
    int64_t warning_from_court;/* whose value applies (0 = the default) */
    char payout_channel[8];    /* "file" (CSV payment file, default) | "api" (pushed to the bank, bank_push.c) */
} zx_funds_settings;
#define ZX_FUNDS_WARNING_DAYS_DEFAULT 3
#define ZX_FUNDS_WARNING_DAYS_MAX 15
void zx_funds_settings_get(db_conn *c, int64_t court_id, zx_funds_settings *out);
int zx_funds_claim_days(db_conn *c, int64_t court_id);

#define ZX_PAYOUT_LIMIT_DAYS 30      /* 法发〔2017〕6号: pay out within 30 days of the arrival notice */
#define ZX_DEFERRAL_RESUME_DAYS 10   /* 法发〔2017〕6号: cause of a deferral ends → pay within 10 days */
#define ZX_DISTRIBUTION_OBJECTION_DAYS 15 /* 民诉解释 art 509: objection within 15 days of service */
#define ZX_DISTRIBUTION_COUNTER_DAYS 15   /* 民诉解释 art 510: the others may oppose within 15 days of notice */
#define ZX_DISTRIBUTION_SUIT_DAYS 15      /* 民诉解释 art 510: the objector may sue within 15 days of notice */
#endif
