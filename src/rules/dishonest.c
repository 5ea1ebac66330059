/* dishonest.c — 失信规定 (法释〔2017〕7号) and 法发〔2019〕35号 rules; see dishonest.h. Pure. */
#include "rules/dishonest.h"
#include "rules/id_number.h"
#include <string.h>

const zx_dis_ground zx_dis_grounds[6] = {
    { 1, "able_refuses", "有履行能力而拒不履行生效法律文书确定义务", "失信规定 art 1(1)", 0 }, /* art 2: no fixed term */
    { 2, "obstructs", "以伪造证据、暴力、威胁等方法妨碍、抗拒执行", "失信规定 art 1(2)", ZX_DIS_TERM_YEARS },
    { 3, "evades", "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行", "失信规定 art 1(3)", ZX_DIS_TERM_YEARS },
    { 4, "report_violation", "违反财产报告制度", "失信规定 art 1(4)", ZX_DIS_TERM_YEARS },
    { 5, "restriction_violation", "违反限制消费令", "失信规定 art 1(5)", ZX_DIS_TERM_YEARS },
    { 6, "settlement_refused", "无正当理由拒不履行执行和解协议", "失信规定 art 1(6)", ZX_DIS_TERM_YEARS },
};

const zx_dis_ground *zx_dis_ground_get(int ground)
{
    return ground >= 1 && ground <= 6 ? &zx_dis_grounds[ground - 1] : NULL;
}

const zx_dis_trigger zx_dis_triggers[9] = {
    { "full_performance", "被执行人已履行生效法律文书确定的全部义务", "失信规定 art 10(1)" },
    { "settlement_performed", "当事人达成执行和解协议且已履行完毕", "失信规定 art 10(2)" },
    { "applicant_request", "申请执行人书面申请删除失信信息，人民法院审查同意", "失信规定 art 10(3)" },
    { "no_property_after_interim", "终结本次执行程序后，通过网络执行查控系统查询被执行人财产两次以上，未发现有可供执行财产，且申请执行人或者其他人未能提供有效财产线索", "失信规定 art 10(4)" },
    { "suspended_retrial_bankruptcy", "因审判监督或破产程序，人民法院依法裁定对失信被执行人中止执行", "失信规定 art 10(5)" },
    { "non_enforcement", "人民法院依法裁定不予执行", "失信规定 art 10(6)" },
    { "termination", "人民法院依法裁定终结执行", "失信规定 art 10(7)" },
    { "term_expired", "纳入失信被执行人名单的期限届满", "失信规定 art 10 para 2" },
    { "credit_repair", "信用修复：积极履行或主动纠正失信行为，提前删除（本地规则）", "失信规定 art 2 para 2; 法发〔2019〕35号" },
};

const zx_dis_trigger *zx_dis_trigger_get(const char *code)
{
    if (!code) return NULL;
    for (size_t i = 0; i < sizeof zx_dis_triggers / sizeof zx_dis_triggers[0]; i++)
        if (strcmp(zx_dis_triggers[i].code, code) == 0) return &zx_dis_triggers[i];
    return NULL;
}

int zx_dis_gate(const zx_dis_facts *f, zx_reason *out, int max)
{
    int n = 0;
    if (!f->is_debtor) n = zx_reason_add(out, max, n, "NOT_DEBTOR", "失信规定 art 1", "只能将本案被执行人纳入失信被执行人名单");
    if (!f->case_open) n = zx_reason_add(out, max, n, "CASE_CLOSED", "失信规定 art 1", "案件已结案，不能作出纳入决定");
    if (!f->outstanding)
        n = zx_reason_add(out, max, n, "NOTHING_OUTSTANDING", "失信规定 art 1", "被执行人已履行生效法律文书确定的义务，不得纳入");
    if (!f->id_valid)
        n = zx_reason_add(out, max, n, f->is_person ? "INVALID_ID_NUMBER" : "INVALID_CREDIT_CODE", "失信规定 art 6",
                f->is_person ? "被执行人身份证号码无效，无法公布" : "被执行人统一社会信用代码无效，无法公布");
    if (f->preservation_case) /* art 1: only a debtor who has not performed an effective document's obligation */
        n = zx_reason_add(out, max, n, "PRESERVATION_CASE", "失信规定 art 1",
                "财产保全执行案件的被执行人尚无生效法律文书确定的给付义务，不得纳入失信被执行人名单");
    if (f->ground == 4 && !(f->report_order_served && f->report_period_passed && !f->report_true)) /* art 1(4) */
        n = zx_reason_add(out, max, n, "REPORT_VIOLATION_NOT_ESTABLISHED", "失信规定 art 1(4); 财产调查规定 art 4",
                !f->report_order_served ? "未向被执行人送达报告财产令，不能以违反财产报告制度纳入"
                : !f->report_period_passed ? "报告财产令载明的报告期限尚未届满"
                                           : "被执行人已在报告期限内如实报告财产，不构成违反财产报告制度");
    if (f->ground == 5 && !f->restriction_in_force) /* art 1(5) */
        n = zx_reason_add(out, max, n, "NO_RESTRICTION_ORDER", "失信规定 art 1(5); 限消规定 art 1",
                "被执行人未被发布生效的限制消费令，不能以违反限制消费令纳入");
    if (!zx_dis_ground_get(f->ground))
        n = zx_reason_add(out, max, n, "INVALID_GROUND", "失信规定 art 1", "须选择失信规定第一条第（一）至（六）项之一");
    /* art 4: minors are never listed — age at the decision date from the ID birth date. */
    if (f->is_person && f->birth != ZX_DATE_NONE && f->decided_on != ZX_DATE_NONE &&
        zx_idno_age(f->birth, f->decided_on) < ZX_ADULT_AGE)
        n = zx_reason_add(out, max, n, "MINOR", "失信规定 art 4", "被执行人为未成年人，不得纳入失信被执行人名单");
    /* art 3: exclusions for ground 1 (ability but refusal) only. */
    if (f->ground == 1) {
        if (f->security_adequate)
            n = zx_reason_add(out, max, n, "ADEQUATE_SECURITY", "失信规定 art 3(1)", "被执行人提供了充分有效担保，不得以第一条第（一）项纳入");
        if (f->seized_sufficient)
            n = zx_reason_add(out, max, n, "SEIZED_SUFFICIENT", "失信规定 art 3(2)",
                    "已查封、扣押、冻结的财产足以清偿生效法律文书确定的债务，不得以第一条第（一）项纳入");
        if (f->later_in_order)
            n = zx_reason_add(out, max, n, "LATER_IN_ORDER", "失信规定 art 3(3)", "被执行人履行顺序在后，依法不应强制执行，不得以第一条第（一）项纳入");
    }
    if (f->already_listed)
        n = zx_reason_add(out, max, n, "ALREADY_LISTED", "失信规定 art 1", "该被执行人在本案已有未完结的纳入决定或有效的失信信息");
    if (f->on_application && f->applicant_deleted_on != ZX_DATE_NONE && f->decided_on != ZX_DATE_NONE &&
        zx_dis_relisting_barred(f->applicant_deleted_on, f->decided_on))
        n = zx_reason_add(out, max, n, "RELISTING_BAR", "失信规定 art 10 para 4",
                "申请执行人申请删除失信信息后六个月内再次申请纳入，不予支持");
    if (f->grace_months < 0 || f->grace_months > ZX_DIS_GRACE_MAX)
        n = zx_reason_add(out, max, n, "INVALID_GRACE", "法发〔2019〕35号", "宽限期为一至三个月（0 表示不给予宽限期）");
    if (f->extension_years != 0) {
        if (f->ground == 1)
            n = zx_reason_add(out, max, n, "INVALID_EXTENSION", "失信规定 art 2", "依第一条第（一）项纳入的不设期限，不能延长");
        else if (f->extension_years < ZX_DIS_EXT_MIN || f->extension_years > ZX_DIS_EXT_MAX)
            n = zx_reason_add(out, max, n, "INVALID_EXTENSION", "失信规定 art 2", "期限可以延长一至三年");
        else if (!f->extension_reason_given)
            n = zx_reason_add(out, max, n, "INVALID_EXTENSION", "失信规定 art 2",
                    "延长期限须有以暴力、威胁方法妨碍、抗拒执行情节严重或具有多项失信行为的情形");
    }
    if (!f->conduct_given) n = zx_reason_add(out, max, n, "CONDUCT_REQUIRED", "失信规定 art 6", "须载明失信行为具体情形");
    return n;
}

zx_date zx_dis_publish_on(zx_date served_on, int grace_months)
{
    /* 法发〔2019〕35号: not published during the 1–3 month grace period that starts with service. */
    return grace_months > 0 ? zx_date_add_months(served_on, grace_months) : served_on;
}

zx_date zx_dis_term_end(int ground, zx_date publish_on, int extension_years)
{
    const zx_dis_ground *g = zx_dis_ground_get(ground);
    if (!g || g->term_years == 0) return ZX_DATE_NONE; /* art 2: ground 1 has no fixed term */
    /* art 2: 2 years (+ 1–3 years extension) from publication. Counting per 民法典 art 201–202: the
     * first day is not counted and the period ends on the corresponding day of the last month (its
     * last day if there is none) — that day is the last day on the list. */
    return zx_date_add_months(publish_on, 12 * (g->term_years + extension_years));
}

int zx_dis_extend_check(int ground, int current_ext, int years, bool reason_given, bool entry_open, zx_reason *out,
                        int max)
{
    int n = 0;
    if (!entry_open) n = zx_reason_add(out, max, n, "INVALID_STATE", "失信规定 art 2", "失信信息已删除、撤销或期限已届满，不能延长");
    if (ground == 1) n = zx_reason_add(out, max, n, "NO_TERM", "失信规定 art 2", "依第一条第（一）项纳入的不设期限，不能延长");
    if (years < ZX_DIS_EXT_MIN || years > ZX_DIS_EXT_MAX)
        n = zx_reason_add(out, max, n, "INVALID_EXTENSION", "失信规定 art 2", "期限可以延长一至三年");
    else if (current_ext + years > ZX_DIS_EXT_MAX)
        n = zx_reason_add(out, max, n, "EXTENSION_EXCEEDED", "失信规定 art 2", "延长期限合计不得超过三年");
    if (!reason_given)
        n = zx_reason_add(out, max, n, "REASON_REQUIRED", "失信规定 art 2",
                "延长须有以暴力、威胁方法妨碍、抗拒执行情节严重或具有多项失信行为的情形");
    return n;
}

bool zx_dis_effective(const char *status, zx_date publish_on, zx_date term_end, zx_date d)
{
    if (!status || (strcmp(status, "grace") != 0 && strcmp(status, "active") != 0)) return false;
    if (publish_on > d) return false;                          /* 宽限期 (法发〔2019〕35号) */
    if (term_end != ZX_DATE_NONE && d > term_end) return false; /* art 2 term over */
    return true;
}

zx_date zx_dis_deletion_due(zx_date trigger_on)
{
    return zx_cal_add_working_days(trigger_on, ZX_DIS_FIX_WD); /* art 10: 3 working days */
}

zx_date zx_dis_fix_due(zx_date found_on)
{
    return zx_cal_add_working_days(found_on, ZX_DIS_FIX_WD); /* art 9 / art 12: 3 working days */
}

zx_date zx_dis_review_due(zx_date received_on)
{
    return zx_cal_period_end_days(received_on, ZX_DIS_REVIEW_DAYS); /* art 12: 15 days */
}

zx_date zx_dis_reconsider_by(zx_date served_on)
{
    return zx_cal_period_end_days(served_on, ZX_DIS_RECONSIDER_DAYS); /* art 12: 10 days */
}

zx_date zx_dis_reconsider_due(zx_date filed_on)
{
    return zx_cal_period_end_days(filed_on, ZX_DIS_RECONSIDER_DECIDE); /* art 12: 15 days */
}

bool zx_dis_relisting_barred(zx_date deleted_on, zx_date today)
{
    if (deleted_on == ZX_DATE_NONE) return false;
    /* art 10 para 4: barred through the last day of the six months, inclusive */
    return today <= zx_date_add_months(deleted_on, ZX_DIS_RELIST_BAR_MONTHS);
}

int zx_dis_repair_check(const zx_repair_rules *rules, zx_date effective_since, zx_date today, long long recovered_fen,
                        long long claim_fen, zx_reason *out, int max)
{
    int n = 0;
    if (!rules->enabled) return zx_reason_add(out, max, n, "REPAIR_DISABLED", "本院信用修复规则", "本院未启用信用修复规则");
    if (effective_since == ZX_DATE_NONE || today < zx_date_add_months(effective_since, rules->after_months))
        n = zx_reason_add(out, max, n, "REPAIR_TOO_EARLY", "本院信用修复规则", "纳入（公布）时间未满本院规定的提前删除期限");
    bool full = claim_fen <= 0 || recovered_fen >= claim_fen;
    if (rules->require_full && !full)
        n = zx_reason_add(out, max, n, "REPAIR_NOT_PERFORMED", "本院信用修复规则", "本院规则要求全部履行后方可信用修复");
    else if (!full && claim_fen > 0 && recovered_fen * 100 < (long long)rules->min_percent * claim_fen)
        n = zx_reason_add(out, max, n, "REPAIR_NOT_PERFORMED", "本院信用修复规则", "履行比例未达到本院信用修复规则的要求");
    return n;
}
