/* clocks.h — 执行期限 and per-step deadlines (pure: no I/O; dates via core/date.h's calendar).
 *
 * The time limit (执行期限) runs from 立案: 6 months, 3 for 非诉执行 (期限规定 art 1). Periods that do
 * not count are deducted (审限规定 art 9; 民诉法 237 / 执行程序解释 10): 公告, 鉴定评估, 拍卖/变卖,
 * 暂缓, 中止, jurisdiction and coordination disputes. Approved extensions are added (期限规定 art 1,
 * 院长 approval, requested within the 5 days before expiry). A period whose last day is not a working
 * day ends on the next working day (民诉法 art 85; 民诉解释 art 125). */
#ifndef ZX_RULES_CLOCKS_H
#define ZX_RULES_CLOCKS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/date.h"

#define ZX_LIMIT_MONTHS 6                 /* 期限规定 art 1: 6 months from 立案 */
#define ZX_LIMIT_MONTHS_NON_LITIGATION 3  /* 期限规定 art 1: 非诉执行 3 months */
#define ZX_EXTENSION_WINDOW_DAYS 5        /* 期限规定 art 1: request within 5 days before expiry */
#define ZX_EXTENSION_MAX_DAYS 90          /* legacy (extensions in days); see zx_limit_rule */
#define ZX_EXTENSION_MAX_MONTHS 3         /* 审限规定 art 5: 院长 may extend 3 months; more → 高院 */
#define ZX_OBJECTION_DAYS 15              /* 民诉法 (2023) art 236: 执行异议 decided within 15 days */
#define ZX_REVIEW_DAYS 30                 /* 执行程序解释 art 9: 复议 decided within 30 days … */
#define ZX_REVIEW_EXT_DAYS 30             /* 执行程序解释 art 9: … extended by ≤ 30 days with 院长 approval */
#define ZX_INTERIM_MIN_MONTHS 3           /* 终本规定 art 1(4): more than 3 months since 立案 */
#define ZX_REINQUIRY_MONTHS 6             /* 终本规定 art 9: query every 6 months … */
#define ZX_REINQUIRY_COUNT 10             /* … for 5 years */
#define ZX_FILING_DAYS 7                  /* 执行工作规定 art 16; 审限规定 art 6: 立案 within 7 days */
#define ZX_CONTROL_WARN_LEAD_DAYS 30      /* 民诉解释 art 485 (renew before the end date): the handler's to-do warns
                                           * from 30 days ahead — the first of the control register's default
                                           * warning days (setting inquiry.expiry_warn_days [30,15,7]) */

/* Deducted period kinds (审限规定 art 9). */
enum zx_pause_kind {
    ZX_PAUSE_PUBLICATION = 0, /* 公告 */
    ZX_PAUSE_VALUATION = 1,   /* 鉴定评估 */
    ZX_PAUSE_AUCTION = 2,     /* 拍卖/变卖 */
    ZX_PAUSE_SUSPENSION = 3,  /* 中止 / 暂缓 */
    ZX_PAUSE_DISPUTE = 4,     /* 管辖争议 / 执行争议协调 */
};

typedef struct zx_pause {
    int kind;       /* enum zx_pause_kind */
    zx_date start;  /* first day not counted */
    zx_date end;    /* last day not counted; ZX_DATE_NONE while running */
} zx_pause;

int zx_clock_limit_months(bool non_litigation);

/* The time limit by case type (类型代字, rules.md §1.2). Implementation cases (执/执恢/执保) run 6 (3)
 * months from 立案 and may be extended by the 院长 in months; review cases have their own limits in
 * days: 执异 15 days with no extension, 执复 30 days + at most 30 more days with the 院长's approval.
 * Extensions are counted in the rule's own unit. */
enum zx_limit_unit { ZX_UNIT_DAYS = 1, ZX_UNIT_MONTHS = 2 };
typedef struct zx_limit_rule {
    const char *type_code;      /* 执 执恢 执保 执异 执复 执监 执协 执他 */
    int unit;                   /* enum zx_limit_unit: of the base limit and of extensions */
    int base;                   /* months or days from 立案 */
    int base_non_litigation;    /* 非诉执行 (months); 0 = same as base */
    int ext_max;                /* total extension allowed, in unit; 0 = none */
    int ext_window_days;        /* request within N days before expiry; 0 = any day up to expiry */
    const char *article;        /* of the base limit */
    const char *ext_article;    /* of the extension */
} zx_limit_rule;
/* The rule for a type code; an unknown code gets the 执 rule. */
const zx_limit_rule *zx_limit_rule_for(const char *type_code);
/* Base limit in the rule's unit (non-litigation applies to month rules only). */
int zx_limit_base(const zx_limit_rule *lr, bool non_litigation);
/* The time limit of a case: filed + base + extension (rule's unit) + deducted days (+ legacy extension
 * days for month rules), moved to the next working day (民诉法 art 85). */
zx_date zx_clock_limit_for(const zx_limit_rule *lr, zx_date filed, bool non_litigation, int deducted_days,
                           int extension_units, int legacy_extension_days);
/* May `add` more units be granted on top of `granted`? Returns NULL or a 中文 reason. */
const char *zx_limit_extension_check(const zx_limit_rule *lr, int granted, int add);
/* Days covered by the union of the pauses, both ends inclusive; a running pause counts up to and
 * including `today`. Overlapping periods are counted once. */
int zx_clock_deducted_days(const zx_pause *p, size_t n, zx_date today);
/* First working day on or after d (民诉法 art 85). */
zx_date zx_clock_next_working(zx_date d);
/* The time limit: filed + 6 (3) months + deducted + extension days, moved to a working day. */
zx_date zx_clock_limit_date(zx_date filed, bool non_litigation, int deducted_days, int extension_days);
/* May an extension be requested on `on` for a limit ending `limit`? (期限规定 art 1: within the 5
 * days before expiry, i.e. limit − 5 ≤ on ≤ limit.) */
bool zx_clock_extension_window(zx_date limit, zx_date on);

/* Per-step deadlines (rules.md §1). */
enum zx_deadline_kind {
    ZX_DL_ASSIGN = 0,        /* 分案: 7 d after 立案 (期限规定 art 2) */
    ZX_DL_NOTICE,            /* 执行通知: 3 d after assignment (期限规定 art 4), ≤ 10 d after 立案 (民诉解释 480) */
    ZX_DL_CLUE_VERIFY,       /* 核查线索: 7 d, urgent 3 d (财产调查规定 art 2) */
    ZX_DL_INVESTIGATION,     /* 财产调查: 1 month (期限规定 art 7) */
    ZX_DL_TIME_LIMIT,        /* 执行期限 (期限规定 art 1) */
    ZX_DL_EXTENSION_DECISION,/* 延期审批: before the limit expires (期限规定 art 1) */
    ZX_DL_REINQUIRY,         /* 终本后定期查询: every 6 months for 5 years (终本规定 art 9) */
    ZX_DL_MESSAGE_REPLY,     /* 答复当事人留言: the court's reply clock (rules/portal.h) */
    ZX_DL_REWARD_DECISION,   /* 悬赏申请决定: 10 d (财产调查规定 art 21) */
    ZX_DL_FUNDS_PAYOUT,      /* 发放执行款: 30 d from arrival (法发〔2017〕6号) or the court's stricter local limit;
                              * a to-do item from the funds module's warning (src/funds/alerts.c) */
    ZX_DL_CONTROL_RENEWAL,   /* 续行冻结（查封）: before the control's legal end date (民诉解释 art 485), from the
                              * system's control_measure events (src/inquiry); warned ZX_CONTROL_WARN_LEAD_DAYS ahead */
    ZX_DL__COUNT
};

struct zx_deadline_rule {
    const char *kind;     /* "assign" … */
    const char *label;    /* 中文 */
    const char *article;
};
extern const struct zx_deadline_rule zx_deadline_rules[ZX_DL__COUNT];
int zx_deadline_kind_from(const char *kind); /* -1 if unknown */

#define ZX_ASSIGN_DAYS 7          /* 期限规定 art 2 */
#define ZX_NOTICE_DAYS 3          /* 期限规定 art 4 */
#define ZX_NOTICE_MAX_DAYS 10     /* 民诉解释 art 480 */
#define ZX_CLUE_DAYS 7            /* 财产调查规定 art 2 */
#define ZX_CLUE_URGENT_DAYS 3     /* 财产调查规定 art 2 */
#define ZX_INVESTIGATION_MONTHS 1 /* 期限规定 art 7 */

zx_date zx_deadline_assign(zx_date filed);
zx_date zx_deadline_notice(zx_date filed, zx_date assigned);
zx_date zx_deadline_clue(zx_date supplied, bool urgent);
zx_date zx_deadline_investigation(zx_date filed);
/* k-th (1…10) re-inquiry after a 终本 closure on `closed`. */
zx_date zx_deadline_reinquiry(zx_date closed, int k);

enum zx_level { ZX_LEVEL_OK = 0, ZX_LEVEL_WARNING = 1, ZX_LEVEL_OVERDUE = 2 };
/* overdue: today > due; warning: due − today ≤ lead; else ok. */
enum zx_level zx_deadline_level(zx_date due, zx_date today, int lead_days);
const char *zx_level_code(enum zx_level l);
#endif
