/* ledger.h — the case-funds ledger (案款, 一案一账号): every fen that enters or leaves the court's
 * 执行款专户 is a transfer between two accounts of this ledger, and nothing else moves money.
 *
 * Shaped after TigerBeetle's data model (learned from its documentation, no code copied):
 *   - accounts carry four running totals (debits/credits × pending/posted) and flags that bound
 *     the balance (a case account may never be debited beyond what it was credited);
 *   - transfers are immutable, with an id chosen by the CALLER: creating the same id again with the
 *     same fields answers ZX_TR_EXISTS and posts nothing (a retried request never posts twice);
 *     the same id with different fields answers ZX_TR_EXISTS_DIFFERENT;
 *   - two-phase transfers: ZX_TR_PENDING reserves the amount (pending totals), a later transfer with
 *     ZX_TR_POST_PENDING or ZX_TR_VOID_PENDING and pending_id settles or releases it, exactly once;
 *   - ZX_TR_LINKED chains: a transfer with the flag is linked to the next one; the chain (ending at
 *     the first transfer without the flag) commits or fails as a whole.
 *   - Balances are never edited: the four totals on an account row are maintained only by
 *     zx_ledger_create_transfers() in the same transaction as the transfer rows, and
 *     `zhixing funds reconcile` re-derives them from the transfers.
 *
 * Transactions: the CALLER owns the write transaction: db_begin → zx_ledger_create_transfers (or the
 * helpers below) → its case event → zx_audit_req → db_commit. Nothing here begins or commits.
 *
 * Accounts (ledger 1 = CNY fen) — the chart of accounts of one court:
 *   ZX_ACC_BANK          执行款专户, a real bank account (asset side: balance = debits − credits)
 *   ZX_ACC_CASE          one virtual account per case (一案一账号), opened at filing
 *   ZX_ACC_UNIDENTIFIED  待认领 (receipts nobody could match yet), one per court
 *   ZX_ACC_FEE           申请执行费 income, one per court
 *   ZX_ACC_ESCROW        提存, one per court
 *   ZX_ACC_HOLD          保证金/暂存 (auction deposits and other money held for a purpose), one per court
 *   ZX_ACC_PAYEE         one per payee (applicant) of a case: money on its way out to them
 * Reconciliation identity per court: Σ BANK balance = Σ CASE + UNIDENTIFIED + FEE + ESCROW + HOLD
 * (+ PAYEE balances, which are 0 once every payout has reached the bank).
 *
 * Schema: src/store/migrations/011_funds.sql. Service (arrivals, payouts, …): src/funds/funds.h.
 * Docs: docs/api/funds.md, docs/ARCHITECTURE.md "Case funds". */
#ifndef ZX_FUNDS_LEDGER_H
#define ZX_FUNDS_LEDGER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "store/db.h"

/* Account kinds (fund_account.kind). */
#define ZX_ACC_BANK         1 /* 执行款专户 (real bank account) */
#define ZX_ACC_CASE         2 /* 案件虚拟账户 一案一账号 */
#define ZX_ACC_UNIDENTIFIED 3 /* 待认领款 */
#define ZX_ACC_FEE          4 /* 申请执行费收入 */
#define ZX_ACC_ESCROW       5 /* 提存 */
#define ZX_ACC_HOLD         6 /* 保证金/暂存 */
#define ZX_ACC_PAYEE        7 /* 收款人（申请执行人） */

/* Account flags (fund_account.flags). */
#define ZX_ACCF_DEBITS_MUST_NOT_EXCEED_CREDITS 0x1u /* debits_pending + debits_posted ≤ credits_posted */
#define ZX_ACCF_CREDITS_MUST_NOT_EXCEED_DEBITS 0x2u /* credits_pending + credits_posted ≤ debits_posted */
#define ZX_ACCF_CLOSED                         0x4u /* no new transfers (a closed case's account) */

/* Transfer flags (fund_transfer.flags). */
#define ZX_TR_LINKED       0x1u /* linked to the next transfer of the batch: all or nothing */
#define ZX_TR_PENDING      0x2u /* reserve only (two-phase) */
#define ZX_TR_POST_PENDING 0x4u /* post the pending transfer pending_id (amount 0 = its full amount) */
#define ZX_TR_VOID_PENDING 0x8u /* void the pending transfer pending_id */

/* Transfer codes (fund_transfer.code): why the money moved. */
#define ZX_TC_ARRIVAL      1  /* 到账: bank → case / unidentified / hold */
#define ZX_TC_CLAIM        2  /* 认领: unidentified → case */
#define ZX_TC_FEE          3  /* 执行费结算: case → fee */
#define ZX_TC_PAYOUT       4  /* 发放: case → payee (pending until the bank confirms) */
#define ZX_TC_BANK_OUT     5  /* 付出: payee → bank (pending until the bank confirms) */
#define ZX_TC_ESCROW       6  /* 提存: case → escrow */
#define ZX_TC_DEPOSIT      7  /* 保证金: bank → hold */
#define ZX_TC_PROCEEDS     8  /* 拍卖款转入: hold → case */
#define ZX_TC_REFUND       9  /* 退款: hold/case → payee */
#define ZX_TC_DEDUCTION    10 /* 网络扣划: bank → case */
#define ZX_TC_ADJUST       11 /* 更正 (reverse transfer with approval) */
#define ZX_TC_COURT_TRANSFER 12 /* 移送划转: a moved case's money, old court's bank → new court's (src/command/move.c) */

/* Result of one transfer (TigerBeetle-style; 0 = created). */
enum zx_tr_result {
    ZX_TR_OK = 0,
    ZX_TR_EXISTS,                /* same id, same fields: already posted — not an error for the caller */
    ZX_TR_EXISTS_DIFFERENT,      /* same id, different fields */
    ZX_TR_LINKED_EVENT_FAILED,   /* another transfer of its chain failed */
    ZX_TR_LINKED_CHAIN_OPEN,     /* the batch ended inside a chain */
    ZX_TR_ID_INVALID,            /* id ≤ 0 */
    ZX_TR_AMOUNT_INVALID,        /* amount ≤ 0 (or < 0 for post_pending) */
    ZX_TR_ACCOUNTS_SAME,
    ZX_TR_DEBIT_ACCOUNT_NOT_FOUND,
    ZX_TR_CREDIT_ACCOUNT_NOT_FOUND,
    ZX_TR_ACCOUNT_CLOSED,
    ZX_TR_EXCEEDS_CREDITS,       /* debit account has DEBITS_MUST_NOT_EXCEED_CREDITS */
    ZX_TR_EXCEEDS_DEBITS,        /* credit account has CREDITS_MUST_NOT_EXCEED_DEBITS */
    ZX_TR_OVERFLOW,              /* a total would exceed int64 */
    ZX_TR_FLAGS_INVALID,         /* post and void together, or pending with post/void */
    ZX_TR_PENDING_NOT_FOUND,
    ZX_TR_PENDING_NOT_PENDING,   /* pending_id names a transfer that is not pending */
    ZX_TR_PENDING_ALREADY_POSTED,
    ZX_TR_PENDING_ALREADY_VOIDED,
    ZX_TR_PENDING_AMOUNT,        /* post amount above the pending amount */
    ZX_TR_PENDING_DIFFERENT,     /* accounts of a post/void differ from the pending transfer's */
};
/* Stable UPPER_SNAKE name and a 中文 message for a result (for API errors). */
const char *zx_tr_result_code(enum zx_tr_result r);
const char *zx_tr_result_message(enum zx_tr_result r);

typedef struct zx_fund_account {
    int64_t id;
    int kind;                 /* ZX_ACC_* */
    unsigned flags;           /* ZX_ACCF_* */
    int64_t court_id;
    int64_t case_id;          /* ZX_ACC_CASE / ZX_ACC_PAYEE: the case; else 0 */
    char account_no[40];      /* case: virtual account number (with check digit); bank: masked number */
    char name[160];
    int64_t debits_pending, debits_posted, credits_pending, credits_posted;
    int64_t created_ms;
} zx_fund_account;

typedef struct zx_fund_transfer {
    int64_t id;                /* caller-chosen, > 0, unique forever (zx_id_new() or derived from a key) */
    int64_t debit_account_id;  /* for post/void: 0 = take the pending transfer's */
    int64_t credit_account_id;
    int64_t amount;            /* fen > 0; post_pending: 0 = the pending amount */
    int64_t pending_id;        /* post/void: the pending transfer */
    unsigned flags;            /* ZX_TR_* */
    int code;                  /* ZX_TC_* */
    int64_t case_id;           /* 0 = none (for listings by case) */
    const char *ref;           /* external reference: bank ref, proposal id … (NULL = none) */
    const char *booked_on;     /* 'YYYY-MM-DD' value date, NULL = today (Asia/Shanghai) */
} zx_fund_transfer;

/* Create n transfers (n ≥ 1) in order inside the caller's write transaction. res[i] gets each
 * result. Returns 0 when every transfer is ZX_TR_OK or ZX_TR_EXISTS, 1 when at least one failed
 * (failed ones and their chains posted nothing; the others are posted — the caller decides whether to
 * commit), < 0 on a store error (caller rolls back). Accounts touched are locked for the rest of the
 * transaction (PostgreSQL: SELECT … FOR UPDATE in id order; SQLite: single writer). */
int zx_ledger_create_transfers(db_conn *c, const zx_fund_transfer *t, int n, enum zx_tr_result *res);
/* One transfer: returns its result (ZX_TR_*) or < 0 on a store error. */
int zx_ledger_transfer(db_conn *c, const zx_fund_transfer *t);

/* Create an account (a->id 0 → a new id is assigned and written back). Totals start at 0.
 * 0, or < 0 (DB_ECONSTRAINT when account_no is taken). */
int zx_ledger_account_create(db_conn *c, zx_fund_account *a);
/* 0 found, 1 not found, < 0 error. */
int zx_ledger_account_get(db_conn *c, int64_t id, zx_fund_account *out);
int zx_ledger_account_by_no(db_conn *c, const char *account_no, zx_fund_account *out);
/* Set or clear ZX_ACCF_CLOSED (the only flag that may change). */
int zx_ledger_account_close(db_conn *c, int64_t id, bool closed);

/* Posted balance on the account's normal side: credits − debits for liability-side accounts,
 * debits − credits for ZX_ACC_BANK. available = posted balance minus pending debits (or pending
 * credits for BANK). */
int64_t zx_ledger_balance(const zx_fund_account *a);
int64_t zx_ledger_available(const zx_fund_account *a);

/* ---- helpers the other modules use (src/funds/funds.c) ---- */

/* The case's virtual account (一案一账号), opened on first call — at filing (case_filing.c) and for
 * older cases lazily. Fills *out when out is non-NULL. Returns the account id or < 0. */
int64_t zx_funds_case_account(db_conn *c, int64_t case_id, zx_fund_account *out);
/* The court's singleton account of a kind (UNIDENTIFIED, FEE, ESCROW, HOLD) or its default
 * 执行款专户 (BANK, the first one opened), opened on first call. Returns the id or < 0. */
int64_t zx_funds_court_account(db_conn *c, int64_t court_id, int kind);

/* Virtual account numbers: 18 digits "95" + 15-digit serial + Luhn check digit. */
void zx_funds_account_no(int64_t serial, char out[20]);
/* true if s (spaces and dashes ignored) is a well-formed number with a correct check digit. */
bool zx_funds_account_no_valid(const char *s);

/* Money arriving at the court — the ONE path for bank notices, statement lines, online deductions
 * (inquiry), auction deposits and sale proceeds. Matching when case_id is 0: virtual account number,
 * then a 案号 in the remark, then payer = the debtor of exactly one open case of the court; otherwise
 * the money goes to the court's 待认领 account with a claim deadline of 3 working days. */
typedef struct zx_funds_arrival_in {
    const char *source;        /* "bank_notice" | "statement" | "deduction" | "auction" | "deposit" | "manual" */
    const char *bank_ref;      /* the bank's reference: idempotency key per court (required) */
    int64_t court_id;          /* required unless case_id is set */
    int64_t case_id;           /* known case (deduction, proceeds): no matching */
    int64_t to_account_id;     /* optional: credit this account instead (e.g. HOLD for deposits) */
    int64_t bank_account_id;   /* 0 = the court's default 专户 */
    const char *account_no;    /* virtual account number the payer wrote (may be NULL) */
    int64_t amount_fen;        /* > 0 */
    const char *payer_name;    /* personal data: stored sealed (core/pii) */
    const char *payer_account; /* personal data: stored sealed, may be NULL */
    const char *remark;
    const char *booked_on;     /* 'YYYY-MM-DD', NULL = today */
    int64_t user_id;           /* who recorded it (0 = system / partner) */
} zx_funds_arrival_in;

typedef struct zx_funds_arrival_out {
    int64_t arrival_id;
    int64_t transfer_id;
    int64_t case_id;           /* 0 = unmatched (待认领) */
    char case_no[64];
    char matched_by[16];       /* "account_no" | "case_no" | "payer" | "given" | "" */
    bool existed;              /* the bank_ref was already recorded: nothing posted now */
} zx_funds_arrival_out;

/* Error codes of the funds service (negative returns). */
#define ZX_FUNDS_EINVAL   (-10) /* bad input: message in err */
#define ZX_FUNDS_ENOTFOUND (-11) /* unknown account / case / court */
#define ZX_FUNDS_ECONFLICT (-12) /* same key, different content */
#define ZX_FUNDS_ELEDGER  (-13) /* the ledger refused: err has the reason */

/* Record an arrival inside the caller's write transaction: the arrival row, the transfer, and for a
 * matched case its event (funds_arrival) and enf_case.recovered_fen. The caller writes the audit
 * record and commits. Returns 0 (posted), 1 (bank_ref seen before: *out describes the first one),
 * or < 0 (ZX_FUNDS_E* with a 中文 message in err, or a DB_E* store error). */
int zx_funds_arrival(db_conn *c, const zx_funds_arrival_in *in, zx_funds_arrival_out *out, char *err,
                     size_t errlen);
#endif
