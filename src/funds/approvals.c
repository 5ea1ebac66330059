/* approvals.c — the funds decisions that need the 执行局长's signature go through the one approval
 * inbox (src/approval/approval.h): payouts at or above the court's tier, every 提存, and every 暂缓发放.
 * The inbox's callbacks apply the decision with the same functions the funds pages use
 * (zx_funds_payout_decide / zx_funds_deferral_decide); deciding on the funds page settles the inbox
 * item (zx_approval_settle) so a decision is taken once, wherever it is taken. */
#include <stdio.h>
#include <string.h>

#include "account/authz.h"
#include "approval/approval.h"
#include "core/money.h"
#include "funds/funds.h"
#include "funds/payouts.h"

static int copy_err(zx_approval_err *err, const zx_funds_err *e, int rc)
{
    if (rc > 0) zx_approval_err_set(err, e->status, e->code, "%s", e->message);
    return rc ? -1 : 0;
}

static int payout_cb(db_conn *c, const zx_approval *a, bool approve, zx_approval_err *err)
{
    zx_funds_err e = { 0 };
    int rc = zx_funds_payout_decide(c, a->object_id, a->decided_by, ROLE_CHIEF, approve, a->opinion, &e);
    return copy_err(err, &e, rc);
}
static int payout_ok(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return payout_cb(c, a, true, err); }
static int payout_no(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return payout_cb(c, a, false, err); }

static int deferral_cb(db_conn *c, const zx_approval *a, bool approve, zx_approval_err *err)
{
    zx_funds_err e = { 0 };
    int rc = zx_funds_deferral_decide(c, a->object_id, a->decided_by, ROLE_CHIEF, approve, a->opinion, &e);
    return copy_err(err, &e, rc);
}
static int deferral_ok(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return deferral_cb(c, a, true, err); }
static int deferral_no(zx_req *r, db_conn *c, const zx_approval *a, zx_approval_err *err) { return deferral_cb(c, a, false, err); }

static const struct zx_approval_kind payout_kind = {
    .kind = "funds_payout", .label = "执行款发放（达到审批金额）", .approver_roles = ROLE_CHIEF,
    .on_approved = payout_ok, .on_returned = payout_no,
};
ZX_APPROVAL_KIND(payout_kind)
static const struct zx_approval_kind escrow_kind = {
    .kind = "funds_escrow", .label = "执行款提存", .approver_roles = ROLE_CHIEF,
    .on_approved = payout_ok, .on_returned = payout_no,
};
ZX_APPROVAL_KIND(escrow_kind)
static const struct zx_approval_kind deferral_kind = {
    .kind = "funds_deferral", .label = "暂缓发放执行款", .approver_roles = ROLE_CHIEF,
    .on_approved = deferral_ok, .on_returned = deferral_no,
};
ZX_APPROVAL_KIND(deferral_kind)

int zx_funds_approval_submit(db_conn *c, int64_t user_id, int64_t court_id, const char *kind, int64_t case_id,
                             int64_t object_id, const char *summary)
{
    /* the chief decides within 3 working days, so the money still leaves within the local limit */
    int64_t id = zx_approval_submit_as(c, user_id, court_id, kind, case_id, object_id, summary,
                                       zx_cal_add_working_days(zx_today(), 3));
    return id > 0 ? 0 : -1;
}
