/* closure.h — the six 结案方式 for 执行实施 cases and their conditions, pure.
 * 《关于执行案件立案、结案若干问题的意见》 法发〔2014〕26号 arts 14–20; 恢复执行 art 6 (rules.md §1.3).
 * 终本 (interim_closure) is judged by the gate (gate.h). */
#ifndef ZX_RULES_CLOSURE_H
#define ZX_RULES_CLOSURE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rules/gate.h"

struct zx_code_label {
    const char *code;
    const char *label;   /* 中文 */
    const char *article;
};

extern const struct zx_code_label zx_closure_modes[];      /* 6, art 14 */
extern const struct zx_code_label zx_termination_reasons[];/* art 17 */
extern const struct zx_code_label zx_withdrawal_reasons[]; /* art 18 */
extern const struct zx_code_label zx_rejection_reasons[];  /* art 20: the failed 受理条件 (执行工作规定 art 16) */
extern const struct zx_code_label zx_resume_reasons[];     /* art 6 */
/* Each table ends with { NULL }. Lookup: entry or NULL. */
const struct zx_code_label *zx_code_find(const struct zx_code_label *tbl, const char *code);

typedef struct zx_closure_facts {
    int64_t claim_fen;
    int64_t recovered_fen;
    bool has_act;                    /* the basis orders an act (non-money content) */
    bool applicant_confirmed_completed; /* applicant confirms full performance / 和解 performed (art 15) */
    bool applicant_withdrawal;       /* applicant withdrew the application */
    bool jurisdiction_upheld;        /* a jurisdiction objection was upheld (art 18) */
    const char *basis_kind;          /* judgment, arbitral_award, notarised_deed … */
    const char *reason;              /* reason code given with the closure */
} zx_closure_facts;

/* Conditions for every mode except interim_closure. Fills out with unmet conditions (same shape as
 * the gate), returns the count. Unknown mode → one unmet "mode". */
size_t zx_closure_check(const char *mode, const zx_closure_facts *f, zx_gate_unmet *out, size_t cap);

/* 恢复执行 (立案结案意见 art 6; 民诉解释 art 465): the reasons that fit how the case was closed.
 *   property_found        after 终本 (art 6(3); 终本规定 art 9)
 *   settlement_fraud      the closure rested on a 和解 obtained by fraud or coercion (art 6(1)): completed
 *                         on a performed 和解, or 终结执行 on the applicant's withdrawal after a 和解
 *   settlement_breach     a 和解 not (fully) performed (art 6(2)): 终结执行 on withdrawal after the 和解 —
 *                         never after a 和解 performed in full (民诉解释 art 465: 不予恢复执行)
 *   entrustment_returned  终结执行 by 委托执行, returned for improper entrustment (art 6(4))
 *   conditions_met_again  other 终结执行 whose conditions for application are met again (art 6(5)); not
 *                         after 提级 / 指定 (the case went on elsewhere) */
typedef struct zx_resume_facts {
    const char *closure_mode;
    const char *closure_reason;   /* the termination / withdrawal reason code */
    bool settlement_performed;    /* closed as completed on the applicant's confirmation of a 和解 */
} zx_resume_facts;
/* NULL if `reason` may resume the case, else a 中文 reason why not. */
const char *zx_resume_check(const zx_resume_facts *f, const char *reason);
bool zx_resume_allowed(const zx_resume_facts *f, const char *reason);
#endif
