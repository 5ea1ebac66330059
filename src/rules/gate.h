/* gate.h — the 终本 gate (终结本次执行程序), pure: facts in → every unmet condition out.
 * 《关于严格规范终结本次执行程序的规定（试行）》 法〔2016〕373号 arts 1–4 (eff. 2016-12-01) and 民诉解释 517.
 * The case service derives the facts as of the closure date from the case's own event log and, for
 * 失信 / 限消, from the credit module's decisions (src/case/case_closure.c). A plain struct: a caller
 * adds inputs by adding fields (zero = not established). */
#ifndef ZX_RULES_GATE_H
#define ZX_RULES_GATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"

typedef struct zx_gate_facts {
    bool notice_served;          /* 执行通知书 issued and served */
    bool report_order_issued;    /* 报告财产令 issued */
    bool report_checked;         /* a property_report outcome recorded (verified / not reported / false) */
    bool report_refused_or_false;/* the debtor did not report or reported falsely … */
    bool report_punished;        /* … and was punished afterwards (fine/detention/obstruction) */
    bool restriction_order;      /* 限制消费令 signed and served for every debtor (credit module) */
    bool dishonest_recorded;     /* 失信 listing signed and served for every debtor (credit module), or
                                  * recorded as not applicable with a reason */
    int debtors, debtors_restricted, debtors_listed; /* counts behind the two above */
    bool network_inquiry;        /* 网络执行查控 done */
    int clues_open;              /* applicant's clues not yet verified */
    bool has_assets;             /* property found */
    bool onsite_done;            /* on-site investigation (needed when property was found) */
    bool disposal_failed;        /* found property cannot be disposed of (auction/sale failed) */
    zx_date filed_on;
    zx_date close_on;
    bool debtor_missing;         /* whereabouts unknown (service by publication needed) */
    bool missing_search_done;    /* 查找下落不明被执行人 */
    bool interview_done;         /* 终本约谈 with the applicant on or before close_on */
    bool chief_approval;         /* 院长 approval (民诉解释 517) */
    bool applicant_confirmation; /* applicant's signed confirmation (民诉解释 517) */
    int64_t outstanding_fen;     /* claim − recovered */
} zx_gate_facts;

typedef struct zx_gate_unmet {
    const char *condition;  /* "notice_served", "three_months" … (docs/api/cases.md) */
    const char *article;
    const char *message;    /* 中文 */
} zx_gate_unmet;

#define ZX_GATE_MAX 16
/* Fill out (cap ≥ ZX_GATE_MAX) with every unmet condition, in a fixed order. Returns the count;
 * 0 = the gate is passed. */
size_t zx_gate_check(const zx_gate_facts *f, zx_gate_unmet *out, size_t cap);
#endif
