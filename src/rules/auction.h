/* auction.h — disposal rules as numbers (rules.md §5.1–5.3): reference price (参考价规定, 法释〔2018〕15号),
 * online judicial auction (网拍规定, 2017), commissioned auction / sale / 以物抵债 (拍卖变卖规定, 2020 rev.).
 * Pure functions; money int64 fen; instants int64 ms UTC; every number with its article in auction.c. */
#ifndef ZX_RULES_AUCTION_H
#define ZX_RULES_AUCTION_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- the numbers (each defined in auction.c with its article on the line) ---- */
typedef struct zx_auction_rules {
    int refprice_start_days;          /* 参考价 art 1: start within 30 d of seizure */
    int online_report_days;           /* 参考价 art 11: platform report within 3 d */
    int online_extension_days;        /* 参考价 art 11: +3 d if all missed */
    int online_correction_days;       /* 参考价 art 12: corrections within 3 d */
    int appraisal_institutions;       /* 参考价 art 16: 3 institutions */
    int appraisal_report_days;        /* 参考价 art 19: 30 d */
    int appraisal_extension_days;     /* 参考价 art 19: each extension 15 d */
    int appraisal_max_extensions;     /* 参考价 art 19: at most 2 */
    int appraisal_extension_notice_days; /* 参考价 art 19: ask 5 d before expiry */
    int report_delivery_days;         /* 参考价 art 21: reports to parties within 3 d */
    int objection_days;               /* 参考价 arts 22–23: objections within 5 d of receipt */
    int validity_months;              /* 参考价 art 27: valid ≤ 1 year */
    int validity_grace_months;        /* 参考价 art 27: sale not > 6 months after expiry */
    int sale_start_days;              /* 参考价 art 30: start the sale within 10 d */
    int start_price_min_pct;          /* 网拍 art 10 / 参考价 art 30: 起拍价 ≥ 70 % */
    int deposit_min_pct;              /* 网拍 art 17: deposit ≥ 5 % of 起拍价 */
    int deposit_max_pct;              /* 网拍 art 17: deposit ≤ 20 % of 起拍价 */
    int announce_days_movable;        /* 网拍 art 12: ≥ 15 d before */
    int announce_days_real_estate;    /* 网拍 art 12: ≥ 30 d before */
    int reannounce_days_movable;      /* 网拍 art 26: re-auction ≥ 7 d */
    int reannounce_days_real_estate;  /* 网拍 art 26: re-auction ≥ 15 d */
    int notice_days_before;           /* 网拍 art 16: notify parties 3 d before the announcement */
    int notice_deemed_days;           /* 网拍 art 16: posted notice deemed served after 5 d */
    int64_t bidding_min_ms;           /* 网拍 art 20: ≥ 24 h */
    int64_t soft_close_ms;            /* 网拍 art 20: last 5 min → end = bid + 5 min */
    int64_t refund_ms;                /* 网拍 art 23: refunds within 24 h */
    int reauction_within_days;        /* 网拍 art 26: second auction within 30 d */
    int reauction_max_cut_pct;        /* 网拍 art 26 / 拍卖变卖 art 5: cut ≤ 20 % */
    int fixed_sale_days;              /* 网络变卖 (法明传〔2017〕455号): 60-day window */
    int64_t fixed_sale_bidding_ms;    /* 网络变卖: first valid bid opens 24 h of bidding */
    int ruling_days_after_payment;    /* 拍卖变卖 art 20: 裁定 within 10 d after full payment */
    int handover_days;                /* 拍卖变卖 art 27: handover within 15 d */
    int retention_years;              /* 网拍 art 29: data kept ≥ 10 years */
    int objection_forward_days;       /* 参考价 art 23: technical objection forwarded within 3 d */
    int objection_explain_days;       /* 参考价 art 23: the institution explains within 5 d */
    int objection_ruling_days;        /* 民诉法 art 236: 执行行为异议 ruled within 15 d */
    int objection_review_days;        /* 民诉法 art 236: 复议 within 10 d of service */
} zx_auction_rules;
extern const zx_auction_rules ZX_AUCTION_RULES;

/* ---- reference price (参考价) ---- */
/* Methods in statutory order (参考价 arts 2–14). */
enum zx_refprice_method {
    ZX_RP_AGREED = 0,            /* 当事人议价 (art 4) */
    ZX_RP_DIRECTED = 1,          /* 定向询价 (art 5) */
    ZX_RP_ONLINE = 2,            /* 网络询价 (arts 7–13) */
    ZX_RP_APPRAISAL = 3,         /* 委托评估 (arts 14–20) */
};
const char *zx_refprice_method_name(int m);   /* "agreed" … */
int zx_refprice_method_parse(const char *s);  /* -1 unknown */

/* One platform's answer to an online inquiry (参考价 art 13). */
typedef struct zx_price_result {
    int64_t price_fen;     /* the platform's price; ≤ 0 = no answer */
    bool on_time;          /* delivered within the (possibly extended) period, art 11 */
    bool objected;         /* an objection was raised against it (art 22/23) */
    bool objection_upheld; /* the objection succeeded and the result was not corrected */
} zx_price_result;
/* 参考价 art 13: the mean of the usable results, rounded half up to the fen. Usable = delivered on
 * time; if some are objected to, those whose objection was upheld are left out. Returns -1 when no
 * result is usable (→ 委托评估, art 14). *used gets the number averaged. */
int64_t zx_refprice_online_mean(const zx_price_result *r, size_t n, int *used);
/* 参考价 art 27: is a reference price fixed on `fixed_ms` still usable for an auction announced on
 * `announce_ms`? (valid 1 year; an announcement within validity keeps it.) */
bool zx_refprice_valid(int64_t fixed_ms, int64_t announce_ms);
/* 参考价规定 art 27: a re-auction / 变卖 of a lot whose first auction was announced within validity
 * may still use the price until 6 months after it expired; later it must be fixed again. */
bool zx_refprice_usable_later(int64_t fixed_ms, int64_t announce_ms);

/* ---- preparation ---- */
/* 网拍 art 10 / 参考价 art 30: lowest lawful 起拍价 for a reference price (70 %, rounded up). */
int64_t zx_auction_min_start(int64_t reference_fen);
/* 网拍 art 17: lawful deposit range for a start price (5 % rounded up … 20 % rounded down). */
void zx_auction_deposit_range(int64_t start_fen, int64_t *min_fen, int64_t *max_fen);
/* 网拍 art 12 (first) / art 26 (re-auction): days the announcement must precede the start. */
int zx_auction_announce_days(bool real_estate, int round_no);
/* 网拍 art 26 / 拍卖变卖 art 5: lowest lawful start price of a re-auction (cut ≤ 20 %, rounded up). */
int64_t zx_auction_min_restart(int64_t previous_start_fen);

/* 网拍规定 art 17: the part of a deposit an applicant-creditor bidding must pay — nothing when the
 * outstanding claim is at least the deposit, else the difference. */
int64_t zx_auction_creditor_deposit(int64_t deposit_fen, int64_t claim_left_fen);

/* An applicant-creditor who wins may pay the price by its claim (以债权抵付价款): no article says so in
 * words; the courts read it from 网拍规定 art 17 (the creditor bids without a deposit because its claim
 * stands for it — 粤执复629号 and others), with 拍卖变卖规定 art 16 para 2 (a creditor taking the
 * property pays in only the part above its claim), art 28 (priority claims on the property are paid
 * first out of the price) and 民诉解释 art 508 (执行费用 first). So the set-off is the price less the
 * priority claims and the costs, at most the outstanding claim, and never more than the price less
 * the deposit already paid in money. cash = price − setoff; balance = cash − deposit_paid. */
typedef struct zx_creditor_setoff {
    int64_t setoff, cash, balance;
} zx_creditor_setoff;
void zx_auction_creditor_setoff(int64_t price_fen, int64_t deposit_paid_fen, int64_t priority_fen, int64_t costs_fen,
                                int64_t claim_left_fen, zx_creditor_setoff *out);

/* 执行回转 (民诉法 art 244; 执行工作规定 arts 65–66) of a sale paid and ruled on: the money the buyer
 * paid goes back — what is still in the case account at once (returned), the rest was paid out and is
 * owed back by whoever received it (owed); a set-off part is reversed (the claim revives). */
typedef struct zx_restitution_split {
    int64_t returned, owed;
} zx_restitution_split;
void zx_auction_restitution_split(int64_t cash_paid_fen, int64_t case_available_fen, zx_restitution_split *out);

/* The buyer of a sale set aside is paid back the price it paid in money (网拍规定 art 31: the sale
 * revoked; 民法典 art 157: what was obtained under an act set aside is returned), as payouts of the
 * case money through the ledger: from the original case account up to what it still held at the
 * ruling (returned), and — when the buyer is not the applicant — from the 执行回转 case account up to
 * what had been paid out and is recovered there (owed; 执行工作规定 art 65). An applicant-creditor
 * buyer received the paid-out part itself, so nothing of it comes back to it through the new case.
 * refunded_* = what active refund payouts of each account already carry. */
typedef struct zx_refund_due {
    int64_t from_case, from_restitution;
} zx_refund_due;
void zx_auction_refund_due(int64_t returned_fen, int64_t owed_fen, bool buyer_is_applicant, int64_t refunded_case_fen,
                           int64_t refunded_restitution_fen, zx_refund_due *out);
/* The buyer's price is not the debtor's money: no 申请执行费 is settled out of its refund (诉讼费用交纳
 * 办法 art 38: the fee is borne by the 被执行人 and settled from what is executed for the applicant). */
#define ZX_REFUND_SETTLES_FEE false /* 诉讼费用交纳办法 art 38 */

/* 执行工作规定 art 66 (已执行的标的物系特定物的，应当退还原物): the execution gave the applicant a
 * specific thing — the lot taken 以物抵债 (拍卖变卖规定 art 16), or bought by the applicant-creditor
 * itself — so the art 66 outcomes apply. A sale to anybody else gave the applicant money: not a thing. */
bool zx_auction_restitution_is_thing(bool in_kind, bool buyer_is_applicant);

/* 执行回转 as a case of its own (《关于人民法院执行工作若干问题的规定（试行）》(2020 修正) art 65 para 2:
 * 执行回转应重新立案，适用执行程序的有关规定): the type of the case filed on the ruling. */
#define ZX_RESTITUTION_CASE_TYPE "执" /* 执行工作规定 art 65 para 2; 代字标准: 执行实施类 首次执行 */
/* Whether something must be enforced by a new case: money already paid out (owed) or a thing the
 * applicant received (以物抵债, art 66 para 1). */
bool zx_auction_restitution_needs_case(int64_t owed_fen, bool thing_received);
/* The end of a thing to be returned (执行工作规定 art 66): "returned" (para 1: 应当退还原物);
 * "compensated" at value_fen only when both parties agree (para 1: 不能退还原物的，经双方当事人同意，
 * 可以折价赔偿); "terminated" when they do not (para 2: 人民法院应当终结执行回转程序，申请执行人可以另行
 * 起诉). NULL if allowed, else a 中文 reason; *code gets the error code. */
const char *zx_auction_restitution_outcome_check(const char *outcome, bool both_agree, int64_t value_fen, const char **code);

/* 网拍规定 art 24: a forfeited deposit applied in order — (1) the auction's costs and losses, (2) the
 * re-sale price below the original one, (3) this debt (the remainder). resale_fen 0 = the lot was
 * not re-sold (抵债/release: no difference to make up). */
typedef struct zx_forfeit_split {
    int64_t costs, difference, debt;
} zx_forfeit_split;
void zx_auction_forfeit_split(int64_t forfeited_fen, int64_t costs_due_fen, int64_t original_fen, int64_t resale_fen,
                              zx_forfeit_split *out);

/* Who bears a disposal cost (kind: appraisal online_inquiry auxiliary announcement storage transport
 * other): the debtor (参考价规定 art 33; 网拍规定 art 7), except the costs of an auction the applicant
 * insisted on without surplus that failed (拍卖变卖规定 art 6). *basis gets the article. */
const char *zx_auction_cost_bearer(const char *kind, bool applicant_insisted_unsold, const char **basis);

/* ---- bidding ---- */
enum zx_bid_verdict {
    ZX_BID_OK = 0,
    ZX_BID_TOO_LOW = 1,       /* below start price / current + increment (网拍 art 20) */
    ZX_BID_OFF_STEP = 2,      /* not start price + k × increment (网拍 art 20: the court sets the increment) */
    ZX_BID_CLOSED = 3,        /* received at or after the end (网拍 art 20: server time counts) */
    ZX_BID_NOT_OPEN = 4,      /* before the start */
};
typedef struct zx_bid_state {
    int64_t start_fen, increment_fen;
    int64_t current_fen;      /* 0 = no bid yet */
    int leader_priority_rank; /* 0 = leader is an ordinary bidder (or none); 1 = first rank … */
    int64_t starts_ms, ends_ms;
} zx_bid_state;
/* Judge a bid received at `received_ms` (server receipt time, 网拍 art 20) from a bidder whose
 * priority rank is `priority_rank` (0 = none). A priority purchaser may bid EQUAL to the current
 * price and takes it if the leader is an ordinary bidder or of a lower rank; a same-rank equal bid
 * loses to the earlier one (网拍 arts 19, 21). */
enum zx_bid_verdict zx_bid_judge(const zx_bid_state *s, int64_t amount_fen, int priority_rank, int64_t received_ms);
/* The lowest amount the bidder may offer now. */
int64_t zx_bid_min_next(const zx_bid_state *s, int priority_rank);
/* 网拍 art 20 soft close: the end after an accepted bid received at received_ms. */
int64_t zx_bid_extend(int64_t ends_ms, int64_t received_ms);
#endif
