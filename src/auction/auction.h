/* auction.h — disposal of seized property (财产处置): reference price, auction rounds on the court's
 * own platform (or an outside one through the connector), live bidding, outcomes.
 *
 *   lot.c        lots, the reference-price procedure (参考价规定), rounds and their preparation,
 *                outcomes (sale, 悔拍, 流拍 → re-auction, 变卖, 以物抵债, release); staff JSON
 *   engine.c     live bidding: one in-memory state per hot lot, each accepted bid persisted in one
 *                transaction before it is acknowledged, SSE fan-out from the h2o loops, closing
 *   bidder.c     real-name bidders (ID checked, personal data sealed), tokens, deposits
 *   docs.c       announcement (拍卖公告) and 成交裁定 PDFs (libhpdf), stored in case_document
 *   creditor.c   liens on a lot, the applicant-creditor buyer's set-off, 执行回转 of a paid sale
 *   refund.c     the price of a sale set aside back to its buyer as funds payouts (ledger, tier, bank)
 *   connector.c  outside platforms (push a lot, pull its result) and price platforms (网络询价)
 *   demo.c       demo lots (ZX_DEMO order 120)
 * Schema: src/store/migrations/013_auction.sql. Numbers: src/rules/auction.c. API: docs/api/auction.md. */
#ifndef ZX_AUCTION_H
#define ZX_AUCTION_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"
#include "store/db.h"

/* An error to reply with. */
typedef struct zx_au_err {
    int status;
    const char *code;
    char message[240];
} zx_au_err;
void zx_au_fail(zx_au_err *e, int status, const char *code, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void zx_au_reply_err(zx_req *r, const zx_au_err *e);

/* "2026-12-06T08:00:00.000Z" for an instant; parse the same (also without millis / with offset
 * "+08:00"). */
void zx_au_iso(int64_t ms, char out[32]);
int zx_au_parse_iso(const char *s, int64_t *ms);

/* Append a case event of kind "disposal" (data.step, data.label, extra members of data) — or of
 * kind `kind` when it is one of the clock events valuation_start/_end, auction_start/_end — and
 * resync the case clocks. Inside the caller's transaction. The event id or < 0. */
int64_t zx_au_case_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, const char *step,
                     const char *label, json_t *data);

/* ---- lots (lot.c) ---- */
json_t *zx_au_lot_json(db_conn *c, int64_t lot_id, bool staff);
json_t *zx_au_public_list(db_conn *c);
/* Court and case of a lot; 0 found, 1 not found, < 0 error. */
int zx_au_lot_case(db_conn *c, int64_t lot_id, int64_t *case_id, int64_t *court_id);

/* ---- live bidding (engine.c) ---- */
/* A staff change to a round (new round, outcome): drop the cached live state of the lot. */
void zx_au_engine_invalidate(int64_t lot_id);
/* Close rounds whose end passed and open announced rounds whose start came (also run by the tick).
 * Returns rounds changed. */
int zx_au_engine_sweep(db_conn *c, int64_t now_ms);

/* ---- outside platforms (connector.c) ---- */
/* An outside platform's result for a round of ours (pulled or pushed; via = "pull" | "push"): the
 * round closes as sold/unsold with its case event and audit record, in the caller's transaction.
 * 0 applied, 1 no such round or already closed, < 0 store error. */
int zx_au_platform_apply(db_conn *c, int64_t round_id, bool sold, int64_t price, int64_t bids, const char *buyer, const char *via);

/* ---- bidders & deposits (bidder.c) ---- */
/* The bidder of a request (Authorization: Bearer zxb_…); 0 if none/invalid. alias (16) optional. */
int64_t zx_au_bidder_of(zx_req *r, char *alias);
/* Release the held deposits of a round except keep_bidder's (0 = all), as the ledger's void of the
 * pending transfer (网拍 art 23). Inside the caller's transaction. */
int zx_au_deposits_release(db_conn *c, int64_t round_id, int64_t keep_bidder, int64_t now_ms);
/* Blind index of an ID number (through the personal-data module). */
void zx_au_id_index(const char *id_number, char out[65]);

/* ---- documents (docs.c) ---- */
/* kind "auction_announcement" (拍卖公告, 网拍 art 13) or "sale_ruling" (成交裁定, 网拍 art 22). */
int zx_au_doc_generate(db_conn *c, int64_t round_id, const char *kind, int64_t event_id, int64_t *doc_id);

/* ---- money (through the ledger) ---- */
/* Proceeds / forfeited deposit reaching the case account. Inside the caller's transaction. */
int zx_au_money_to_case(db_conn *c, int64_t case_id, int64_t round_id, const char *kind, int64_t amount_fen,
                        int64_t *transfer_id);
/* Post a held deposit's pending transfer (the money stays in 保证金/HOLD). */
int zx_au_deposit_post(db_conn *c, int64_t pending_id);
/* Move amount from the court's 保证金 (HOLD) into the case account (ref shown on the statement;
 * source in the case event). Inside the caller's transaction. */
int zx_au_hold_to_case(db_conn *c, int64_t court_id, int64_t case_id, int64_t amount_fen, const char *ref, const char *source,
                       int64_t *transfer_id);

/* ---- costs and forfeited deposits (costs.c) ---- */
/* 悔拍 (网拍规定 art 24): the winner's held deposit is forfeited — its pending transfer posted, the
 * auction's costs covered at once, the rest reserved in HOLD. *covered_transfer = the costs' transfer. */
int zx_au_forfeit_begin(db_conn *c, int64_t user_id, int64_t lot_id, int64_t court_id, int64_t case_id, int64_t round_id,
                        int64_t deposit_id, int64_t amount_fen, int64_t price_fen, int64_t *covered_transfer);
/* The lot's next outcome is known (sale at resale_fen, 抵债 at its price, release = 0): every
 * reserved forfeit of the lot is split (difference, this debt) into the case account. */
int zx_au_forfeit_settle(db_conn *c, int64_t user_id, int64_t lot_id, int64_t court_id, int64_t case_id, int64_t resale_fen,
                         const char *how);
json_t *zx_au_costs_json(db_conn *c, int64_t lot_id);
json_t *zx_au_forfeits_json(db_conn *c, int64_t lot_id);
json_t *zx_au_objections_json(db_conn *c, int64_t lot_id);

/* ---- the applicant-creditor as buyer, 执行回转 (creditor.c) ---- */
/* {liens, setoff, restitutions} of a lot for the staff view. */
json_t *zx_au_creditor_json(db_conn *c, int64_t lot_id);
/* Ask for a 执行回转 ruling of a paid and ruled round (approval kind "auction_restitution"); e->status
 * 202 on success. refund_bank/refund_account: where the buyer is paid back (may be NULL: registered
 * later through POST /lots/:id/restitution/refund, before the chief signs). */
int zx_au_restitution_request(zx_req *r, db_conn *c, int64_t lot_id, int64_t round_id, const char *ground, const char *revoking_doc,
                              int64_t objection_id, const char *note, const char *refund_bank, const char *refund_account,
                              int64_t *obj, zx_au_err *e);

/* ---- the buyer's price back through the funds ledger (refund.c) ---- */
/* refund_bank + refund_account of a body (both or neither; *given says which); the account in the body
 * is replaced by its masked form (the audit record never holds it). 0 or 1 (e: 400). */
int zx_au_refund_account_parse(json_t *b, const char **bank, char account[48], bool *given, zx_au_err *e);
/* Seal and store it on a restitution. 0 or -1. */
int zx_au_refund_account_store(db_conn *c, int64_t rid, const char *bank, const char *account);
/* Propose as funds payouts what a ruled restitution still owes its buyer and the case accounts hold
 * (started_by "ruling" | "arrival" | "staff"); *total = proposed now. 0, 1 (e) or -1. */
int zx_au_refund_propose(db_conn *c, int64_t rid, int64_t user_id, const char *started_by, int64_t *total, zx_au_err *e);
/* refunds, refund_due, thing, refund_payee/bank/account (masked) of a restitution into o. */
void zx_au_refund_json(db_conn *c, int64_t rid, json_t *o);
#endif
