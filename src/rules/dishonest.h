/* dishonest.h — 失信被执行人名单 rules (pure): 《关于公布失信被执行人名单信息的若干规定》
 * 法释〔2013〕17号 as amended by 法释〔2017〕7号 (eff. 2017-05-01) — "失信规定" below — and the grace
 * period / sign-and-serve rules of 法发〔2019〕35号. rules.md §3. Nothing here touches the store:
 * callers collect the facts and pass "today" / the decision date in. */
#ifndef ZX_RULES_DISHONEST_H
#define ZX_RULES_DISHONEST_H
#include <stdbool.h>
#include "core/date.h"

/* One reason a step is refused: code (UPPER_SNAKE), article, 中文 message. */
typedef struct zx_reason {
    const char *code;
    const char *article;
    const char *message;
} zx_reason;

/* Append a reason to out (up to max) and return the new count — counting on past max, so callers
 * learn how many reasons there were even when out is short. */
static inline int zx_reason_add(zx_reason *out, int max, int n, const char *code, const char *article,
                                const char *message)
{
    if (n < max) {
        out[n].code = code;
        out[n].article = article;
        out[n].message = message;
    }
    return n + 1;
}

/* The six grounds of 失信规定 art 1 (2017). */
typedef struct zx_dis_ground {
    int ground;            /* 1–6 = art 1 item */
    const char *code;      /* able_refuses, obstructs, evades, report_violation, restriction_violation, settlement_refused */
    const char *label;
    const char *article;
    int term_years;        /* 0 = no fixed term (ground 1), 2 for grounds 2–6 (art 2) */
} zx_dis_ground;
extern const zx_dis_ground zx_dis_grounds[6];
const zx_dis_ground *zx_dis_ground_get(int ground); /* NULL if not 1–6 */

#define ZX_DIS_TERM_YEARS 2        /* 失信规定 art 2 para 1: grounds 2–6 → 2 years */
#define ZX_DIS_EXT_MIN 1           /* 失信规定 art 2 para 1: extendable by 1–3 years */
#define ZX_DIS_EXT_MAX 3
#define ZX_DIS_GRACE_MAX 3         /* 法发〔2019〕35号: 宽限期 1–3 months (0 = none given) */
#define ZX_DIS_FIX_WD 3            /* 失信规定 art 9 / art 10 / art 12: 3 working days */
#define ZX_DIS_REVIEW_DAYS 15      /* 失信规定 art 12: correction application reviewed within 15 days */
#define ZX_DIS_RECONSIDER_DAYS 10  /* 失信规定 art 12: 复议 within 10 days of service */
#define ZX_DIS_RECONSIDER_DECIDE 15 /* 失信规定 art 12: 复议 decided within 15 days */
#define ZX_DIS_RELIST_BAR_MONTHS 6 /* 失信规定 art 10 para 4: 6-month bar after applicant-requested deletion */
#define ZX_REPORT_DAYS_DEFAULT 10   /* 财产调查规定 art 4(1): the 报告财产令 states its period; this is the
                                      * system's default when the judge states none (not a statutory number) */
#define ZX_ADULT_AGE 18            /* 民法典 art 17; 失信规定 art 4: minors are never listed */

/* Facts for the listing gate. Dates ZX_DATE_NONE when unknown / not applicable. */
typedef struct zx_dis_facts {
    int ground;                    /* 1–6 */
    bool is_debtor;                /* the party is a debtor of the case */
    bool case_open;                /* case not closed */
    bool outstanding;              /* obligation not fully performed (art 1: 未履行) */
    bool is_person;
    bool id_valid;                 /* ID number / credit code valid */
    zx_date birth;                 /* person: from the ID number */
    zx_date decided_on;            /* minors are judged at this date (art 4) */
    bool security_adequate;        /* art 3(1) */
    bool seized_sufficient;        /* art 3(2) */
    bool later_in_order;           /* art 3(3) */
    bool already_listed;           /* an open decision or effective entry exists for the debtor in the case */
    bool on_application;           /* the applicant asks for the listing (art 5) */
    zx_date applicant_deleted_on;  /* last deletion on the applicant's request (art 10(3)), or NONE */
    int grace_months;              /* 0–3 */
    int extension_years;           /* 0 or 1–3 */
    bool extension_reason_given;
    bool conduct_given;            /* art 6: the specific conduct is stated */
    bool preservation_case;        /* a 财产保全 (执保) case: no effective judgment obligation yet (art 1) */
    /* ground 4 (违反财产报告制度): a 报告财产令 served, its period (财产调查规定 art 4(1)) passed by the
     * decision date, and no true report within it (or a report found false / refused) */
    bool report_order_served;
    bool report_period_passed;
    bool report_true;              /* a report received/verified within the period, not found false */
    /* ground 5 (违反限制消费令): a 限制消费令 in force against the debtor on the decision date */
    bool restriction_in_force;
} zx_dis_facts;

/* Every reason the listing cannot be decided; returns the count (fills up to max). 0 = allowed. */
int zx_dis_gate(const zx_dis_facts *f, zx_reason *out, int max);

/* End of the grace period = the day the listing is published and becomes effective for partners:
 * served_on + grace_months calendar months (法发〔2019〕35号). */
zx_date zx_dis_publish_on(zx_date served_on, int grace_months);
/* Last day on the list for a fixed term: publish_on + (2 + extension) years (art 2), counted per
 * 民法典 art 201–202 (corresponding day; month end if none); ZX_DATE_NONE for ground 1 (no term). */
zx_date zx_dis_term_end(int ground, zx_date publish_on, int extension_years);
/* Extension check (art 2): grounds 2–6 only, years 1–3, total ≤ 3, reason given, entry still
 * effective-or-grace. Returns reasons count. */
int zx_dis_extend_check(int ground, int current_ext, int years, bool reason_given, bool entry_open,
                        zx_reason *out, int max);
/* Is an entry published (visible, blocking) on day d? status "grace"/"active" and publish_on ≤ d
 * and (no term or d ≤ term_end). */
bool zx_dis_effective(const char *status, zx_date publish_on, zx_date term_end, zx_date d);

/* Deletion triggers (art 10). */
typedef struct zx_dis_trigger {
    const char *code;
    const char *label;
    const char *article;
} zx_dis_trigger;
extern const zx_dis_trigger zx_dis_triggers[9];
const zx_dis_trigger *zx_dis_trigger_get(const char *code);
/* Deletion must be done within 3 working days of the trigger (art 10). */
zx_date zx_dis_deletion_due(zx_date trigger_on);
/* 撤销 / 更正 within 3 working days of finding the error (art 9); a correction upheld → fixed in 3
 * working days (art 12). */
zx_date zx_dis_fix_due(zx_date found_on);
/* Correction application review: 15 days from receipt (art 12; period counted per 民诉法 art 85). */
zx_date zx_dis_review_due(zx_date received_on);
/* 复议 may be filed within 10 days of the rejection's service (art 12). */
zx_date zx_dis_reconsider_by(zx_date served_on);
/* 复议 decided within 15 days of receipt (art 12). */
zx_date zx_dis_reconsider_due(zx_date filed_on);
/* Art 10 para 4: an applicant who asked for deletion on deleted_on cannot ask for re-listing within
 * six months: the bar runs to the end of its last day, deleted_on + 6 months (the corresponding day,
 * 民法典 art 201–203), and re-listing may be asked for from the day after. */
bool zx_dis_relisting_barred(zx_date deleted_on, zx_date today);

/* Credit repair (信用修复) — local rules, configurable (setting credit.repair): early deletion after N
 * months on the list if at least min_percent of the claim is recovered (or full performance). */
typedef struct zx_repair_rules {
    bool enabled;
    int after_months;
    int min_percent;               /* 0–100 */
    bool require_full;
} zx_repair_rules;
int zx_dis_repair_check(const zx_repair_rules *rules, zx_date effective_since, zx_date today, long long recovered_fen,
                        long long claim_fen, zx_reason *out, int max);
#endif
