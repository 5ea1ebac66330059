/* closure.c — 结案方式 conditions (see closure.h). */
#include "rules/closure.h"
#include <string.h>

#define A14 "立案结案意见 art 14"
const struct zx_code_label zx_closure_modes[] = {
    { "completed", "执行完毕", "立案结案意见 art 15" },
    { "interim_closure", "终结本次执行程序", "立案结案意见 art 16; 终本规定 art 1" },
    { "termination", "终结执行", "立案结案意见 art 17" },
    { "withdrawal", "销案", "立案结案意见 art 18" },
    { "non_enforcement", "不予执行", "立案结案意见 art 19" },
    { "rejection", "驳回申请", "立案结案意见 art 20" },
    { NULL, NULL, NULL },
};

#define A17 "立案结案意见 art 17"
const struct zx_code_label zx_termination_reasons[] = {
    { "withdrawn", "申请人撤销申请", A17 },
    { "basis_revoked", "据以执行的法律文书被撤销", A17 },
    { "debtor_dead_no_estate", "作为被执行人的公民死亡，无遗产可供执行，又无义务承担人", A17 },
    { "maintenance_claimant_dead", "追索赡养费、扶养费、抚育费案件的权利人死亡", A17 },
    { "debtor_destitute", "作为被执行人的公民因生活困难无力偿还借款，无收入来源，又丧失劳动能力", A17 },
    { "entity_dissolved", "作为被执行人的企业法人或其他组织被撤销、注销、吊销营业执照或者歇业、终止后既无财产可供执行，又无义务承受人", A17 },
    { "fine_exempted", "罚金被依法免除", A17 },
    { "debtor_bankrupt", "被执行人被人民法院裁定宣告破产", A17 },
    { "object_perished", "行政执行标的灭失", A17 },
    { "elevated", "案件被上级人民法院裁定提级执行", A17 },
    { "designated", "案件被上级人民法院裁定指定由其他法院执行", A17 },
    { "commissioned", "委托执行（收到受托法院立案通知书）", A17 },
    { "other", "其他应当终结执行的情形", A17 },
    { NULL, NULL, NULL },
};

#define A18 "立案结案意见 art 18"
const struct zx_code_label zx_withdrawal_reasons[] = {
    { "applicant_withdrew", "申请执行人撤回申请", A18 },
    { "jurisdiction_upheld", "被执行人提出管辖异议，经审查异议成立，移送有管辖权的法院", A18 },
    { "filed_elsewhere_first", "其他有管辖权的法院已先立案", A18 },
    { "entrustment_returned", "受托法院报经高级人民法院同意退回委托", A18 },
    { NULL, NULL, NULL },
};

#define A20 "立案结案意见 art 20; 执行工作规定 art 16"
const struct zx_code_label zx_rejection_reasons[] = {
    { "document_not_effective", "申请执行的法律文书尚未生效", A20 },
    { "applicant_not_right_holder", "申请执行人不是权利人或其继承人、权利承受人", A20 },
    { "content_unclear", "法律文书给付内容不明确或被执行人不明确", A20 },
    { "debtor_performed", "义务人已在生效法律文书确定的期限内履行义务", A20 },
    { "no_jurisdiction", "不属于受申请执行的人民法院管辖", A20 },
    { NULL, NULL, NULL },
};

#define A6 "立案结案意见 art 6"
const struct zx_code_label zx_resume_reasons[] = {
    { "settlement_fraud", "和解协议因欺诈、胁迫达成，申请恢复执行原生效法律文书", A6 },
    { "settlement_breach", "一方当事人不履行或不完全履行和解协议", A6 },
    { "property_found", "终结本次执行程序后发现被执行人有可供执行财产", A6 },
    { "entrustment_returned", "委托执行结案后因委托不当被退回", A6 },
    { "conditions_met_again", "终结执行后申请执行条件再次具备", A6 },
    { NULL, NULL, NULL },
};

const struct zx_code_label *zx_code_find(const struct zx_code_label *tbl, const char *code)
{
    if (!code) return NULL;
    for (; tbl->code; tbl++)
        if (strcmp(tbl->code, code) == 0) return tbl;
    return NULL;
}

static void add(zx_gate_unmet *out, size_t cap, size_t *n, const char *cond, const char *art, const char *msg)
{
    if (*n < cap) {
        out[*n].condition = cond;
        out[*n].article = art;
        out[*n].message = msg;
    }
    (*n)++;
}

size_t zx_closure_check(const char *mode, const zx_closure_facts *f, zx_gate_unmet *out, size_t cap)
{
    size_t n = 0;
    if (!mode || !zx_code_find(zx_closure_modes, mode) || strcmp(mode, "interim_closure") == 0) {
        add(out, cap, &n, "mode", A14, "结案方式无效（终本由终本条件审查）");
        return n;
    }
    if (strcmp(mode, "completed") == 0) {
        /* art 15: fully performed, or 和解 fully performed (applicant's confirmation) */
        bool paid = f->claim_fen > 0 && f->recovered_fen >= f->claim_fen;
        if (!paid && !f->applicant_confirmed_completed)
            add(out, cap, &n, "fully_performed", "立案结案意见 art 15",
                "执行标的未全部到位，且无申请执行人确认履行完毕");
    } else if (strcmp(mode, "termination") == 0) {
        if (!zx_code_find(zx_termination_reasons, f->reason))
            add(out, cap, &n, "reason", A17, "终结执行须载明立案结案意见第17条规定的情形");
        else if (strcmp(f->reason, "withdrawn") == 0 && !f->applicant_withdrawal)
            add(out, cap, &n, "applicant_withdrawal", A17, "无申请执行人撤销申请的记录");
    } else if (strcmp(mode, "withdrawal") == 0) {
        if (!zx_code_find(zx_withdrawal_reasons, f->reason))
            add(out, cap, &n, "reason", A18, "销案须载明立案结案意见第18条规定的情形");
        else if (strcmp(f->reason, "applicant_withdrew") == 0 && !f->applicant_withdrawal)
            add(out, cap, &n, "applicant_withdrawal", A18, "无申请执行人撤回申请的记录");
        else if (strcmp(f->reason, "jurisdiction_upheld") == 0 && !f->jurisdiction_upheld)
            add(out, cap, &n, "jurisdiction_upheld", A18, "无管辖异议成立的记录");
    } else if (strcmp(mode, "non_enforcement") == 0) {
        /* art 19: only arbitral awards and notarised debt instruments */
        if (!f->basis_kind || (strcmp(f->basis_kind, "arbitral_award") != 0 &&
                               strcmp(f->basis_kind, "notarised_deed") != 0))
            add(out, cap, &n, "basis_kind", "立案结案意见 art 19", "不予执行仅适用于仲裁裁决和公证债权文书");
    } else if (strcmp(mode, "rejection") == 0) {
        if (!zx_code_find(zx_rejection_reasons, f->reason))
            add(out, cap, &n, "reason", A20, "驳回申请须载明不符合的受理条件");
    }
    return n;
}

static bool eq(const char *a, const char *b) { return a && b && strcmp(a, b) == 0; }

const char *zx_resume_check(const zx_resume_facts *f, const char *reason)
{
    if (!reason || !zx_code_find(zx_resume_reasons, reason)) return "恢复执行事由无效（立案结案意见第6条）";
    const char *mode = f->closure_mode, *why = f->closure_reason;
    bool withdrawn = eq(mode, "termination") && eq(why, "withdrawn");
    if (eq(reason, "property_found")) /* art 6(3) */
        return eq(mode, "interim_closure") ? NULL : "发现财产恢复执行仅适用于终结本次执行程序的案件（立案结案意见第6条第3项）";
    if (eq(reason, "settlement_fraud")) /* art 6(1) */
        return (eq(mode, "completed") && f->settlement_performed) || withdrawn
                   ? NULL : "原案件并非基于执行和解结案（立案结案意见第6条第1项）";
    if (eq(reason, "settlement_breach")) { /* art 6(2); 民诉解释 art 465 */
        if (eq(mode, "completed"))
            return "和解协议已经履行完毕的，不予恢复执行（民诉解释第465条）";
        return withdrawn ? NULL : "原案件并非因执行和解撤回申请而结案（立案结案意见第6条第2项）";
    }
    if (eq(reason, "entrustment_returned")) /* art 6(4) */
        return eq(mode, "termination") && eq(why, "commissioned") ? NULL : "原案件并非以委托执行方式结案（立案结案意见第6条第4项）";
    /* conditions_met_again: art 6(5) */
    if (!eq(mode, "termination")) return "申请执行条件再次具备的恢复执行仅适用于终结执行的案件（立案结案意见第6条第5项）";
    if (eq(why, "elevated") || eq(why, "designated") || eq(why, "commissioned") || withdrawn)
        return "该终结执行事由不适用“申请执行条件再次具备”（立案结案意见第6条第5项）";
    return NULL;
}

bool zx_resume_allowed(const zx_resume_facts *f, const char *reason) { return zx_resume_check(f, reason) == NULL; }
