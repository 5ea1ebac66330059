/* auction.c — the disposal numbers with their articles (rules.md §5.1 网拍规定, §5.2 拍卖变卖规定,
 * §5.3 参考价规定). Nothing else in the code base states these numbers. */
#include "rules/auction.h"

#include <string.h>

const zx_auction_rules ZX_AUCTION_RULES = {
    .refprice_start_days = 30,            /* 参考价规定 art 1: start within 30 d after seizure */
    .online_report_days = 3,              /* 参考价规定 art 11: report within 3 d */
    .online_extension_days = 3,           /* 参考价规定 art 11: all missed → each +3 d */
    .online_correction_days = 3,          /* 参考价规定 art 12: defects corrected within 3 d */
    .appraisal_institutions = 3,          /* 参考价规定 art 16: 3 institutions, by agreement or lottery */
    .appraisal_report_days = 30,          /* 参考价规定 art 19: report within 30 d */
    .appraisal_extension_days = 15,       /* 参考价规定 art 19: an extension is 15 d */
    .appraisal_max_extensions = 2,        /* 参考价规定 art 19: at most twice */
    .appraisal_extension_notice_days = 5, /* 参考价规定 art 19: asked 5 d before expiry */
    .report_delivery_days = 3,            /* 参考价规定 art 21: reports to parties within 3 d */
    .objection_days = 5,                  /* 参考价规定 arts 22–23: objections within 5 d of receipt */
    .validity_months = 12,                /* 参考价规定 art 27: valid at most 1 year */
    .validity_grace_months = 6,           /* 参考价规定 art 27: no redo if sold ≤ 6 months after expiry */
    .sale_start_days = 10,                /* 参考价规定 art 30: start the sale within 10 d */
    .start_price_min_pct = 70,            /* 网拍规定 art 10; 参考价规定 art 30: 起拍价 ≥ 70 % */
    .deposit_min_pct = 5,                 /* 网拍规定 art 17: deposit 5 % … */
    .deposit_max_pct = 20,                /* 网拍规定 art 17: … to 20 % of 起拍价 */
    .announce_days_movable = 15,          /* 网拍规定 art 12: movables ≥ 15 d before */
    .announce_days_real_estate = 30,      /* 网拍规定 art 12: real estate / rights ≥ 30 d before */
    .reannounce_days_movable = 7,         /* 网拍规定 art 26: re-auction, movables ≥ 7 d */
    .reannounce_days_real_estate = 15,    /* 网拍规定 art 26: re-auction, real estate ≥ 15 d */
    .notice_days_before = 3,              /* 网拍规定 art 16: notify parties 3 d before the announcement */
    .notice_deemed_days = 5,              /* 网拍规定 art 16: posted on the platform → served after 5 d */
    .bidding_min_ms = 24LL * 3600 * 1000, /* 网拍规定 art 20: bidding lasts ≥ 24 h */
    .soft_close_ms = 5LL * 60 * 1000,     /* 网拍规定 art 20: bid in the last 5 min → end = bid + 5 min */
    .refund_ms = 24LL * 3600 * 1000,      /* 网拍规定 art 23: other deposits released within 24 h */
    .reauction_within_days = 30,          /* 网拍规定 art 26: re-auction within 30 d of 流拍 */
    .reauction_max_cut_pct = 20,          /* 网拍规定 art 26; 拍卖变卖规定 art 5: cut ≤ 20 % */
    .fixed_sale_days = 60,                /* 网络变卖 (法明传〔2017〕455号): 60-day window */
    .fixed_sale_bidding_ms = 24LL * 3600 * 1000, /* 网络变卖: first valid bid opens 24 h of bidding */
    .ruling_days_after_payment = 10,      /* 拍卖变卖规定 art 20: 裁定 served within 10 d of payment */
    .handover_days = 15,                  /* 拍卖变卖规定 art 27: handover within 15 d */
    .retention_years = 10,                /* 网拍规定 art 29: records kept ≥ 10 years */
    .objection_forward_days = 3,          /* 参考价规定 art 23: technical objection to the institution in 3 d */
    .objection_explain_days = 5,          /* 参考价规定 art 23: the institution's explanation within 5 d */
    .objection_ruling_days = 15,          /* 民诉法 (2023) art 236: 执行行为异议 examined within 15 d */
    .objection_review_days = 10,          /* 民诉法 (2023) art 236: 复议 within 10 d of the ruling's service */
};

static const char *const method_names[] = { "agreed", "directed_inquiry", "online_inquiry", "appraisal" };

const char *zx_refprice_method_name(int m)
{
    return m >= 0 && m < 4 ? method_names[m] : "";
}

int zx_refprice_method_parse(const char *s)
{
    for (int i = 0; s && i < 4; i++)
        if (!strcmp(s, method_names[i])) return i;
    return -1;
}

/* Mean of n values rounded half up, without overflow for realistic prices (sum of ≤ 64 prices). */
static int64_t mean_half_up(int64_t sum, int64_t n)
{
    return (sum + n / 2) / n;
}

int64_t zx_refprice_online_mean(const zx_price_result *r, size_t n, int *used)
{
    int64_t sum = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].price_fen <= 0 || !r[i].on_time) continue;  /* 参考价规定 art 11: late ones are not used */
        if (r[i].objected && r[i].objection_upheld) continue; /* 参考价规定 art 13: upheld objection → left out */
        sum += r[i].price_fen;
        k++;
    }
    if (used) *used = (int)k;
    return k ? mean_half_up(sum, k) : -1; /* 参考价规定 art 14: none → 委托评估 */
}

bool zx_refprice_valid(int64_t fixed_ms, int64_t announce_ms)
{
    /* 参考价规定 art 27: one year (365 d; a leap day is not worth a calendar here — the court's
     * announcement date is compared in whole days) */
    int64_t year_ms = (int64_t)ZX_AUCTION_RULES.validity_months * 365 / 12 * 86400000LL;
    return announce_ms >= fixed_ms && announce_ms - fixed_ms <= year_ms;
}

bool zx_refprice_usable_later(int64_t fixed_ms, int64_t announce_ms)
{
    /* 参考价规定 art 27: one year of validity + six months in which the sale may still be made */
    int64_t span = (int64_t)(ZX_AUCTION_RULES.validity_months + ZX_AUCTION_RULES.validity_grace_months) * 365 / 12 * 86400000LL;
    return announce_ms >= fixed_ms && announce_ms - fixed_ms <= span;
}

int64_t zx_auction_min_start(int64_t reference_fen)
{
    int pct = ZX_AUCTION_RULES.start_price_min_pct;
    return (reference_fen * pct + 99) / 100;
}

void zx_auction_deposit_range(int64_t start_fen, int64_t *min_fen, int64_t *max_fen)
{
    *min_fen = (start_fen * ZX_AUCTION_RULES.deposit_min_pct + 99) / 100;
    *max_fen = start_fen * ZX_AUCTION_RULES.deposit_max_pct / 100;
}

int zx_auction_announce_days(bool real_estate, int round_no)
{
    if (round_no <= 1)
        return real_estate ? ZX_AUCTION_RULES.announce_days_real_estate : ZX_AUCTION_RULES.announce_days_movable;
    return real_estate ? ZX_AUCTION_RULES.reannounce_days_real_estate : ZX_AUCTION_RULES.reannounce_days_movable;
}

int64_t zx_auction_min_restart(int64_t previous_start_fen)
{
    int keep = 100 - ZX_AUCTION_RULES.reauction_max_cut_pct;
    return (previous_start_fen * keep + 99) / 100;
}

int64_t zx_bid_min_next(const zx_bid_state *s, int priority_rank)
{
    if (s->current_fen <= 0) return s->start_fen; /* 网拍规定 art 11: one bid at the start price sells */
    /* 网拍规定 art 21: a priority purchaser may bid equal when it outranks the leader */
    if (priority_rank > 0 && (s->leader_priority_rank == 0 || priority_rank < s->leader_priority_rank))
        return s->current_fen;
    return s->current_fen + s->increment_fen;
}

enum zx_bid_verdict zx_bid_judge(const zx_bid_state *s, int64_t amount_fen, int priority_rank, int64_t received_ms)
{
    if (received_ms < s->starts_ms) return ZX_BID_NOT_OPEN;
    if (received_ms >= s->ends_ms) return ZX_BID_CLOSED; /* 网拍规定 art 20: server receipt time */
    if (amount_fen < zx_bid_min_next(s, priority_rank)) return ZX_BID_TOO_LOW;
    if (s->increment_fen > 0 && (amount_fen - s->start_fen) % s->increment_fen != 0) return ZX_BID_OFF_STEP;
    return ZX_BID_OK;
}

int64_t zx_bid_extend(int64_t ends_ms, int64_t received_ms)
{
    int64_t w = ZX_AUCTION_RULES.soft_close_ms; /* 网拍规定 art 20 */
    if (received_ms < ends_ms && ends_ms - received_ms < w) return received_ms + w;
    return ends_ms;
}

int64_t zx_auction_creditor_deposit(int64_t deposit_fen, int64_t claim_left_fen)
{
    /* 网拍规定 art 17: 申请执行人参加竞买的，可以不交保证金；但债权数额小于保证金数额的按差额部分交纳 */
    if (claim_left_fen < 0) claim_left_fen = 0;
    return claim_left_fen >= deposit_fen ? 0 : deposit_fen - claim_left_fen;
}

void zx_auction_forfeit_split(int64_t forfeited_fen, int64_t costs_due_fen, int64_t original_fen, int64_t resale_fen,
                              zx_forfeit_split *out)
{
    /* 网拍规定 art 24: 依次用于支付拍卖产生的费用损失、弥补重新拍卖价款低于原拍卖价款的差价、冲抵本案被执行人的债务 */
    int64_t left = forfeited_fen > 0 ? forfeited_fen : 0;
    out->costs = costs_due_fen > 0 ? (costs_due_fen < left ? costs_due_fen : left) : 0;
    left -= out->costs;
    int64_t gap = resale_fen > 0 && resale_fen < original_fen ? original_fen - resale_fen : 0;
    out->difference = gap < left ? gap : left;
    left -= out->difference;
    out->debt = left;
}

const char *zx_auction_cost_bearer(const char *kind, bool applicant_insisted_unsold, const char **basis)
{
    if (applicant_insisted_unsold) { /* 拍卖变卖规定 art 6: no surplus, the applicant insisted, unsold → applicant bears */
        *basis = "拍卖变卖规定第六条";
        return "applicant";
    }
    if (kind && (!strcmp(kind, "appraisal") || !strcmp(kind, "online_inquiry"))) {
        *basis = "参考价规定第三十三条"; /* 申请执行人垫付，由被执行人负担 */
        return "debtor";
    }
    *basis = "网拍规定第七条"; /* 拍卖辅助工作所支出的必要费用由被执行人承担 */
    return "debtor";
}

void zx_auction_creditor_setoff(int64_t price_fen, int64_t deposit_paid_fen, int64_t priority_fen, int64_t costs_fen,
                                int64_t claim_left_fen, zx_creditor_setoff *out)
{
    /* 拍卖变卖规定 art 28: 拍卖所得价款，应当优先清偿担保物权人及其他优先受偿权人的债权;
     * 民诉解释 art 508: 执行费用 first — neither may be set off against the buyer's own claim */
    int64_t room = price_fen - (priority_fen > 0 ? priority_fen : 0) - (costs_fen > 0 ? costs_fen : 0);
    if (room < 0) room = 0;
    /* 网拍规定 art 17 (spirit) / 拍卖变卖规定 art 16 para 2: the claim stands for the price up to its amount */
    int64_t s = claim_left_fen > 0 ? (claim_left_fen < room ? claim_left_fen : room) : 0;
    int64_t dep = deposit_paid_fen > 0 ? deposit_paid_fen : 0;
    if (s > price_fen - dep) s = price_fen - dep > 0 ? price_fen - dep : 0; /* a paid deposit is applied first (拍卖变卖规定 art 10) */
    out->setoff = s;
    out->cash = price_fen - s;
    out->balance = out->cash - dep > 0 ? out->cash - dep : 0; /* 拍卖变卖规定 art 16 para 2: 补交差额 */
}

void zx_auction_restitution_split(int64_t cash_paid_fen, int64_t case_available_fen, zx_restitution_split *out)
{
    /* 民诉法 (2023) art 244; 执行工作规定 art 65: 责令取得财产的人返还 — the court returns what it still holds,
     * the rest is owed by whoever received it */
    int64_t paid = cash_paid_fen > 0 ? cash_paid_fen : 0, avail = case_available_fen > 0 ? case_available_fen : 0;
    out->returned = paid < avail ? paid : avail;
    out->owed = paid - out->returned;
}

void zx_auction_refund_due(int64_t returned_fen, int64_t owed_fen, bool buyer_is_applicant, int64_t refunded_case_fen,
                           int64_t refunded_restitution_fen, zx_refund_due *out)
{
    /* 网拍规定 art 31 (the sale revoked) with 民法典 art 157 (财产应当予以返还): the price back to the buyer —
     * first what the original case account still held at the ruling */
    int64_t a = (returned_fen > 0 ? returned_fen : 0) - (refunded_case_fen > 0 ? refunded_case_fen : 0);
    out->from_case = a > 0 ? a : 0;
    /* 执行工作规定 art 65: what was paid out is recovered in the 执行回转 case — for an outside buyer; an
     * applicant-creditor buyer was paid that part itself */
    int64_t b = buyer_is_applicant ? 0 : (owed_fen > 0 ? owed_fen : 0) - (refunded_restitution_fen > 0 ? refunded_restitution_fen : 0);
    out->from_restitution = b > 0 ? b : 0;
}

bool zx_auction_restitution_is_thing(bool in_kind, bool buyer_is_applicant)
{
    /* 执行工作规定 art 66 para 1: 已执行的标的物系特定物的，应当退还原物 — the lot itself went to the applicant */
    return in_kind || buyer_is_applicant;
}

bool zx_auction_restitution_needs_case(int64_t owed_fen, bool thing_received)
{
    /* 执行工作规定 art 65 para 2: what the court cannot turn back itself is enforced in a new case */
    return owed_fen > 0 || thing_received;
}

const char *zx_auction_restitution_outcome_check(const char *outcome, bool both_agree, int64_t value_fen, const char **code)
{
    *code = "VALIDATION_FAILED";
    if (!outcome) return "请选择执行回转的结果：退还原物、折价赔偿或终结执行回转程序";
    if (!strcmp(outcome, "returned")) return NULL; /* 执行工作规定 art 66 para 1: 应当退还原物 */
    if (!strcmp(outcome, "compensated")) {         /* art 66 para 1: 经双方当事人同意，可以折价赔偿 */
        if (!both_agree) {
            *code = "COMPENSATION_NOT_AGREED";
            return "折价赔偿须经双方当事人同意；不能协商一致的，应当终结执行回转程序（执行工作规定第六十六条）";
        }
        if (value_fen <= 0) return "请填写双方同意的折价金额（分）";
        return NULL;
    }
    if (!strcmp(outcome, "terminated")) { /* art 66 para 2: 不能协商一致的 → 终结执行回转程序 */
        if (both_agree) {
            *code = "INVALID_STATE";
            return "双方已同意折价赔偿的，应当按折价赔偿执行，不得终结执行回转程序（执行工作规定第六十六条第二款）";
        }
        return NULL;
    }
    return "执行回转的结果无效";
}
