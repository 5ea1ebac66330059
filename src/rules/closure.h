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

/* Which closed cases may be resumed for a reason (art 6): property_found only after
 * interim_closure; conditions_met_again only after termination; settlement_* after completed
 * (和解 not performed or obtained by fraud) or termination by withdrawal after 和解;
 * entrustment_returned after termination (委托). */
bool zx_resume_allowed(const char *closure_mode, const char *reason);
#endif
