/* gate.c — 终本 gate conditions (see gate.h). Each condition cites its article on the line. */
#include "rules/gate.h"
#include "rules/clocks.h"

static void add(zx_gate_unmet *out, size_t cap, size_t *n, const char *cond, const char *art, const char *msg)
{
    if (*n < cap) {
        out[*n].condition = cond;
        out[*n].article = art;
        out[*n].message = msg;
    }
    (*n)++;
}

size_t zx_gate_check(const zx_gate_facts *f, zx_gate_unmet *out, size_t cap)
{
    size_t n = 0;
    if (!f->notice_served) /* 终本规定 art 1(1) */
        add(out, cap, &n, "notice_served", "终本规定 art 1(1)", "未发出执行通知书");
    if (!f->report_order_issued) /* 终本规定 art 1(1), art 2 */
        add(out, cap, &n, "report_order", "终本规定 art 1(1), art 2", "未责令被执行人报告财产（报告财产令）");
    if (!f->report_checked) /* 终本规定 art 2: report verified / non-report handled */
        add(out, cap, &n, "report_checked", "终本规定 art 2", "未核实被执行人的财产报告情况");
    if (!f->restriction_order) /* 终本规定 art 1(2) */
        add(out, cap, &n, "restriction_order", "终本规定 art 1(2)", "未发出限制消费令");
    if (!f->dishonest_recorded) /* 终本规定 art 1(2): 失信 where it applies */
        add(out, cap, &n, "dishonest_listing", "终本规定 art 1(2)", "未依法将符合条件的被执行人纳入失信名单（或记录不适用理由）");
    if (!f->network_inquiry) /* 终本规定 art 1(3), art 3 */
        add(out, cap, &n, "network_inquiry", "终本规定 art 1(3), art 3", "未通过网络执行查控系统完成对被执行人财产的查询（手工记录的查询情况不计）");
    if (f->clues_open > 0) /* 终本规定 art 3: verify clues supplied by the applicant */
        add(out, cap, &n, "clues_verified", "终本规定 art 3", "申请执行人提供的财产线索尚未核查完毕");
    if (f->has_assets && !f->onsite_done) /* 终本规定 art 3: on-site investigation where needed */
        add(out, cap, &n, "onsite_investigation", "终本规定 art 3", "发现财产但未进行现场调查");
    if (f->has_assets && !f->disposal_failed) /* 终本规定 art 1(3), art 4 */
        add(out, cap, &n, "disposal_failed", "终本规定 art 1(3), art 4", "已发现财产，但未经依法处置（拍卖、变卖不成）即不得终本");
    if (f->filed_on == ZX_DATE_NONE || f->close_on == ZX_DATE_NONE ||
        !(f->close_on > zx_date_add_months(f->filed_on, ZX_INTERIM_MIN_MONTHS))) /* 终本规定 art 1(4) */
        add(out, cap, &n, "three_months", "终本规定 art 1(4)", "自立案之日起未满三个月");
    if (f->debtor_missing && !f->missing_search_done) /* 终本规定 art 1(5) */
        add(out, cap, &n, "missing_debtor", "终本规定 art 1(5)", "被执行人下落不明，未依法查找");
    if (f->report_refused_or_false && !f->report_punished) /* 终本规定 art 1(5), art 2 */
        add(out, cap, &n, "obstruction_punished", "终本规定 art 1(5), art 2", "被执行人拒不报告或虚假报告财产，未依法予以惩戒");
    if (!f->interview_done) /* 终本规定 arts 5–6: inform the applicant and hear it before 终本 (约谈) */
        add(out, cap, &n, "interview", "终本规定 art 5", "终本前未约谈申请执行人");
    if (!f->chief_approval && !f->applicant_confirmation) /* 民诉解释 art 517 */
        add(out, cap, &n, "approval", "民诉解释 art 517", "无院长批准，也无申请执行人签字确认");
    if (f->outstanding_fen <= 0) /* 终本规定 art 1: only cases not fully performed */
        add(out, cap, &n, "outstanding", "终本规定 art 1", "执行标的已全部到位，不适用终结本次执行程序");
    return n;
}
