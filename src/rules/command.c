/* command.c — numbers of the command center with their source on the line (see command.h).
 * Sources: 法发〔2006〕11号 督办规定; 民诉法 (2023) arts 237, 240; 法释〔2011〕11号 委托执行规定;
 * 法发〔2021〕22号 关于进一步完善执行权制约机制加强执行监督的意见 (the "2021 意见") items 27, 28, 30;
 * systems.md §3 and §5 for practice figures that no statute fixes (marked "practice"). */
#include "rules/command.h"

#include <string.h>

#define SUP_LETTER_DAYS 10        /* 督办规定 art 3: 督办函 within 10 days of accepting the complaint */
#define SUP_DEFAULT_REPORT 30     /* 督办规定 art 4 leaves the period to the superior; practice: 30 days */
#define SUP_MAX_REPORT 90         /* practice: no letter longer than one quarter (monthly 通报 cycle × 3) */
#define SUP_REMIND_LEAD 3         /* practice: remind 3 days ahead (config warn_lead_days default) */
#define TASK_ACCEPT_WORKING 3     /* practice: 事项委托 accepted or returned within 3 working days */
#define TASK_DUE_DAYS 15          /* 民诉法 (2023) art 240: the commissioned court begins within 15 days */
#define CASE_DUE_MONTHS 6         /* 委托执行规定 (法释〔2011〕11号): whole case enforced within 6 months,
                                     else the superior may 提级/指定 (民诉法 art 240 ¶2) */
#define TASK_WARN_DAYS 2          /* practice: warn 2 days before a task's deadline */
#define COORD_MONTHS_PER_LEVEL 1  /* 执行争议协调: the other court replies / the level decides within 1 month
                                     (systems.md §3, fymate source; article not verified) */
#define PET_REGISTER_WORKING 5    /* 2021 意见 item 30: 录入执行信访办理系统 within 5 working days */
#define PET_CLOSE_WORKING 30      /* 2021 意见 item 30: 办结 within 30 working days, reply to the petitioner */
#define CROSS_OPEN_CASES 10       /* 交叉执行 (四川高院 2023): ≥ 10 unfinished cases against one debtor */
#define CROSS_MONTHS 6            /* 交叉执行 (四川高院 2023): assets undisposed ≥ 6 months after 督办 */

int zx_cmd_sup_letter_days(void) { return SUP_LETTER_DAYS; }
int zx_cmd_sup_default_report_days(void) { return SUP_DEFAULT_REPORT; }
int zx_cmd_sup_max_report_days(void) { return SUP_MAX_REPORT; }
int zx_cmd_sup_remind_lead_days(void) { return SUP_REMIND_LEAD; }
zx_date zx_cmd_sup_letter_due(zx_date complaint_on) { return complaint_on + SUP_LETTER_DAYS; }

static const struct { const char *kind, *label; bool overdue_only; } escalations[] = {
    { "chase", "催报", false },             /* 督办规定: 逾期未报的, 予以催报 (a chase may also come earlier) */
    { "call_file", "调卷审查", true },       /* 督办规定: 直接调卷审查 */
    { "reassign", "指定其他法院办理", true }, /* 督办规定; 民诉法 art 237 指令其他法院执行 */
    { "elevate", "提级执行", true },         /* 督办规定; 民诉法 art 237; 2021 意见 item 28 (through approval) */
    { "cross", "交叉执行", true },           /* 2021 意见 item 28; 交叉执行 since Oct 2023 */
    { "notify", "辖区通报", true },          /* 督办规定: 经催办仍未纠正的, 在辖区内予以通报 */
};

bool zx_cmd_sup_escalation_known(const char *kind, bool *overdue_only)
{
    for (size_t i = 0; kind && i < sizeof escalations / sizeof escalations[0]; i++)
        if (!strcmp(kind, escalations[i].kind)) {
            if (overdue_only) *overdue_only = escalations[i].overdue_only;
            return true;
        }
    return false;
}

const char *zx_cmd_sup_escalation_label(const char *kind)
{
    for (size_t i = 0; kind && i < sizeof escalations / sizeof escalations[0]; i++)
        if (!strcmp(kind, escalations[i].kind)) return escalations[i].label;
    return "";
}

bool zx_cmd_sup_source_known(const char *s)
{
    /* 督办规定 art 2 (a party's complaint); 2021 意见 item 30 (petitions); 舆情; the superior's own review */
    return s && (!strcmp(s, "complaint") || !strcmp(s, "petition") || !strcmp(s, "public_opinion") ||
                 !strcmp(s, "review"));
}

/* 事项委托 tasks: systems.md §3 (南华 court list; 2021 意见 item 27 task delegation over whole cases) */
static const struct { const char *task, *label; } tasks[] = {
    { "freeze_deposit", "冻结存款" },        { "renew_deposit", "续冻存款" },
    { "release_deposit", "解冻存款" },       { "deduct_deposit", "扣划存款" },
    { "freeze_equity", "冻结股权" },         { "seize_property", "查封不动产/登记动产" },
    { "renew_seizure", "续封" },             { "release_seizure", "解封" },
    { "transfer_property", "过户" },         { "investigate", "调查财产" },
    { "serve_documents", "送达文书" },       { "locate_debtor", "查找被执行人" },
    { "whole_case", "委托执行（整案）" },
};

bool zx_cmd_task_known(const char *t)
{
    for (size_t i = 0; t && i < sizeof tasks / sizeof tasks[0]; i++)
        if (!strcmp(t, tasks[i].task)) return true;
    return false;
}

const char *zx_cmd_task_label(const char *t)
{
    for (size_t i = 0; t && i < sizeof tasks / sizeof tasks[0]; i++)
        if (!strcmp(t, tasks[i].task)) return tasks[i].label;
    return "";
}

static const struct { const char *reason, *label; } return_reasons[] = {
    { "incomplete_documents", "委托材料不全" },
    { "not_in_jurisdiction", "被执行人或财产不在本辖区" },
    { "asset_not_found", "财产不存在或已处置" },
    { "duplicate", "重复委托" },
    { "not_delegable", "不属于可委托事项" },
    { "other", "其他原因" },
};

bool zx_cmd_return_reason_known(const char *r)
{
    for (size_t i = 0; r && i < sizeof return_reasons / sizeof return_reasons[0]; i++)
        if (!strcmp(r, return_reasons[i].reason)) return true;
    return false;
}

const char *zx_cmd_return_reason_label(const char *r)
{
    for (size_t i = 0; r && i < sizeof return_reasons / sizeof return_reasons[0]; i++)
        if (!strcmp(r, return_reasons[i].reason)) return return_reasons[i].label;
    return "";
}

zx_date zx_cmd_task_accept_due(zx_date sent_on) { return zx_cal_add_working_days(sent_on, TASK_ACCEPT_WORKING); }

zx_date zx_cmd_task_due(zx_date sent_on, bool whole_case)
{
    if (whole_case) return zx_date_add_months(sent_on, CASE_DUE_MONTHS);
    return zx_cal_period_end_days(sent_on, TASK_DUE_DAYS); /* 民诉法 art 85 period counting */
}

int zx_cmd_task_warn_days(void) { return TASK_WARN_DAYS; }

zx_date zx_cmd_coord_level_due(zx_date level_since)
{
    return zx_date_add_months(level_since, COORD_MONTHS_PER_LEVEL);
}

zx_date zx_cmd_petition_register_due(zx_date received_on)
{
    return zx_cal_add_working_days(received_on, PET_REGISTER_WORKING); /* 2021 意见 item 30: 5 working days */
}

zx_date zx_cmd_petition_due(zx_date received_on)
{
    return zx_cal_add_working_days(received_on, PET_CLOSE_WORKING); /* 2021 意见 item 30: 30 working days */
}

static const struct { const char *channel, *label; } channels[] = {
    { "visit", "来访" }, { "letter", "来信" }, { "phone", "来电" }, { "portal", "网上信访" },
    { "referral", "上级交办" },
};

bool zx_cmd_petition_channel_known(const char *c)
{
    for (size_t i = 0; c && i < sizeof channels / sizeof channels[0]; i++)
        if (!strcmp(c, channels[i].channel)) return true;
    return false;
}

const char *zx_cmd_petition_channel_label(const char *c)
{
    for (size_t i = 0; c && i < sizeof channels / sizeof channels[0]; i++)
        if (!strcmp(c, channels[i].channel)) return channels[i].label;
    return "";
}

int zx_cmd_cross_min_open_cases(void) { return CROSS_OPEN_CASES; }
int zx_cmd_cross_months_after_supervision(void) { return CROSS_MONTHS; }

static const struct { const char *kind, *label; } urgent_kinds[] = {
    { "debtor_located", "发现被执行人行踪" }, { "vehicle_located", "发现被执行车辆" },
    { "asset_moving", "财产转移线索" },       { "other", "其他紧急事项" },
};

bool zx_cmd_urgent_kind_known(const char *k)
{
    for (size_t i = 0; k && i < sizeof urgent_kinds / sizeof urgent_kinds[0]; i++)
        if (!strcmp(k, urgent_kinds[i].kind)) return true;
    return false;
}

const char *zx_cmd_urgent_kind_label(const char *k)
{
    for (size_t i = 0; k && i < sizeof urgent_kinds / sizeof urgent_kinds[0]; i++)
        if (!strcmp(k, urgent_kinds[i].kind)) return urgent_kinds[i].label;
    return "";
}

/* "3+1" (seed 002; systems.md §5, 最高法 2018 基本解决执行难 评估指标体系: ①–③ one-vote veto). */
const zx_cmd_target zx_cmd_targets[4] = {
    { "asset_case_on_time_rate", "有财产可供执行案件法定期限内执结率", 0.90, true },   /* ① ≥ 90 %, veto */
    { "interim_closure_compliance_rate", "无财产可供执行案件终本合格率", 0.90, true }, /* ② ≥ 90 %, veto */
    { "petition_closure_rate", "执行信访办结率", 0.90, true },                         /* ③ ≥ 90 %, veto */
    { "three_year_closure_rate", "近三年执行案件整体结案率", 0.80, false },            /* +1 ≥ 80 % */
};

double zx_cmd_target_of(const char *key)
{
    for (int i = 0; key && i < 4; i++)
        if (!strcmp(zx_cmd_targets[i].key, key)) return zx_cmd_targets[i].target;
    return 0;
}
