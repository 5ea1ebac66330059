/* restriction.h — 限制消费 rules (pure): 《关于限制被执行人高消费及有关消费的若干规定》 法释〔2010〕8号,
 * amended 2015 ("限消规定"), 执行程序解释 art 24, and relief under 法发〔2019〕35号 para 17.
 * rules.md §4. Category codes/bits are those of src/credit/entry.h (ZX_CAT_*). */
#ifndef ZX_RULES_RESTRICTION_H
#define ZX_RULES_RESTRICTION_H
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "rules/dishonest.h"

/* 限消规定 art 1 para 2: a 失信 debtor must be restricted (a plain debtor may be, art 1 para 1). */
bool zx_restr_required(bool dishonest_listed);

/* A unit debtor's order binds these four persons (限消规定 art 3 para 2; 执行程序解释 art 24). */
#define ZX_RESTR_BOUND_ROLES 4
extern const char *const zx_restr_bound_roles[ZX_RESTR_BOUND_ROLES]; /* legal_rep principal responsible_person controller */
bool zx_restr_binds(const char *debtor_kind, const char *role_of_unit);

/* Gate for issuing a 限消 order. */
typedef struct zx_restr_facts {
    bool is_debtor;
    bool case_open;
    bool outstanding;              /* art 1: not paid within the notice period */
    bool id_valid;
    bool already_restricted;       /* open decision or effective 限消 entry for the debtor in the case */
    int category_mask;             /* < 0 = unknown code given; must be ZX_CAT_ALL (art 3: no partial order) */
    int grace_months;              /* 0–3 (法发〔2019〕35号) */
    bool preservation_case;        /* 执保: no effective judgment obligation (art 1) */
} zx_restr_facts;
int zx_restr_gate(const zx_restr_facts *f, zx_reason *out, int max);

/* Lifting (限消规定 art 9): "security" and "applicant_consent" may lift, "full_performance" must. While
 * the debtor is still on the 失信 list only full performance lifts (art 1 para 2). */
typedef struct zx_restr_lift_reason {
    const char *code;
    const char *label;
    const char *article;
    bool mandatory;
} zx_restr_lift_reason;
extern const zx_restr_lift_reason zx_restr_lift_reasons[3];
const zx_restr_lift_reason *zx_restr_lift_reason_get(const char *code);
int zx_restr_lift_check(const char *reason, bool dishonest_listed, bool entry_open, zx_reason *out, int max);

/* Temporary permissions. 法发〔2019〕35号 para 17(3): for the person's or a close relative's serious illness,
 * a close relative's funeral, official duty, a foreign-affairs activity or an important exam needing
 * urgent travel, the ban on flights and high-speed rail (only those) may be lifted temporarily after
 * strict review and with the 院长's approval, for at most one month ("最长不超过1个月"). Private
 * consumption with a unit person's own money (限消规定 art 3 para 2) is a separate relief. */
typedef struct zx_restr_permit_kind {
    const char *code;              /* medical funeral official_duty foreign_affairs exam private_consumption */
    const char *label;
    int max_months;                /* longest window, calendar months (para 17(3): 1); 0 = max_days */
    int max_days;                  /* longest window in days when max_months = 0 */
    bool chief_approval;           /* needs the 院长's approval (para 17(3)) */
    uint16_t allowed;              /* categories that may be permitted */
    bool bound_person_only;        /* private consumption: only a unit's bound persons (限消规定 art 3 para 2) */
} zx_restr_permit_kind;
#define ZX_RESTR_PERMIT_KINDS 6
extern const zx_restr_permit_kind zx_restr_permit_kinds[ZX_RESTR_PERMIT_KINDS];
const zx_restr_permit_kind *zx_restr_permit_kind_get(const char *code);
/* Check a permission request: mask (≥ 0, non-zero) ⊆ allowed, today ≤ from ≤ to, window within the
 * longest (one month: to < from + 1 month). */
int zx_restr_permit_check(const char *kind, int mask, zx_date from, zx_date to, bool is_bound_person, bool entry_open,
                          zx_date today, zx_reason *out, int max);
/* Does a permission window allow category bit cat on day d? */
bool zx_restr_permit_allows(uint16_t mask, zx_date from, zx_date to, int cat, zx_date d);
#endif
