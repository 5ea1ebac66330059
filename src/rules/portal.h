/* portal.h — the party portal's numbers (issue 15; pure, no I/O). Statutory ones carry their article;
 * the others are a court's own settings with a default (src/portal/settings.c), named as such. */
#ifndef ZX_RULES_PORTAL_H
#define ZX_RULES_PORTAL_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"

#define ZX_REWARD_DECIDE_DAYS 10      /* 财产调查规定 art 21: decide on a 悬赏 application within 10 days */
#define ZX_OBJECTION_FILING_DAYS 3    /* 异议复议规定 art 2: an objection is filed (立案) within 3 days */
#define ZX_RESUME_FILING_DAYS 7       /* 执行工作规定 art 16; 审限规定 art 6: 立案 within 7 days */
#define ZX_REPLY_DAYS_DEFAULT 3       /* not statutory: a court's own reply clock for party messages (working days) */
#define ZX_REPLY_DAYS_MAX 15
#define ZX_ORDER_VALID_DAYS 30        /* not statutory: validity of a 律师调查令 (courts' local rules: 15–30 days) */
#define ZX_ATTACH_MAX 3               /* attachments per clue/application */
#define ZX_ATTACH_MAX_BYTES (512 * 1024)
#define ZX_PORTAL_MAX_FAILS 5         /* not statutory: wrong codes before a sign-in locks, as staff accounts (config lock_failures) */
#define ZX_PORTAL_LOCK_MINUTES 30     /* not statutory: the lock's length, as staff accounts (config lock_minutes) */

/* Decision on a 悬赏 application received on `applied` (财产调查规定 art 21). */
zx_date zx_deadline_reward_decision(zx_date applied);
/* 立案 of an application filed on the portal on `on`: objections 3 days (异议复议规定 art 2),
 * 恢复执行 7 days (执行工作规定 art 16). kind: act_objection | interim_objection | resume. */
zx_date zx_deadline_application(const char *kind, zx_date on);
/* Reply clock of a party message: `days` working days after `on` (the court's setting). */
zx_date zx_deadline_message_reply(zx_date on, int days);
/* The reward earned by a tip that led to recovering `recovered` fen: the fixed amount, or percent_bp of
 * the recovered money — never more than the money recovered through it, from which it is deducted
 * (财产调查规定 art 24). */
int64_t zx_reward_earned(int64_t amount_fen, int percent_bp, int64_t recovered_fen);
/* A 律师执业证号: 17 digits. */
bool zx_lawyer_licence_valid(const char *s);
/* A court's contact number for parties: 5–40 bytes of digits, '-', ' ', '(', ')', '（', '）', '转', '/', '、'. */
bool zx_portal_contact_phone_valid(const char *s);
#endif
