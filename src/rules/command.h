/* command.h — statutory and policy numbers of the command center (执行指挥中心, issue 14): 督办, 事项委托
 * and 委托执行, 执行协调, 执行信访, 交叉执行 triggers and the "3+1" targets. Pure functions and tables;
 * each number sits in src/rules/command.c with its source on the line. */
#ifndef ZX_RULES_COMMAND_H
#define ZX_RULES_COMMAND_H
#include <stdbool.h>
#include "core/date.h"

/* ---- 督办 (法发〔2006〕11号 最高人民法院关于执行案件督办工作的规定) ---- */
int zx_cmd_sup_letter_days(void);            /* 10: letter within 10 days of the complaint (art 3) */
int zx_cmd_sup_default_report_days(void);    /* default report period when the superior names none */
int zx_cmd_sup_max_report_days(void);        /* longest period a 督办函 may give */
int zx_cmd_sup_remind_lead_days(void);       /* reminders this many days before the deadline */
/* Latest day the letter should go out for a complaint received on `complaint_on`. */
zx_date zx_cmd_sup_letter_due(zx_date complaint_on);
/* Escalation kinds after (or, for chase, before) the deadline; true if known. overdue_only says
 * whether the kind needs the deadline to have passed without a report. */
bool zx_cmd_sup_escalation_known(const char *kind, bool *overdue_only);
const char *zx_cmd_sup_escalation_label(const char *kind);
bool zx_cmd_sup_source_known(const char *source);

/* ---- 事项委托 / 委托执行 ---- */
bool zx_cmd_task_known(const char *task);    /* freeze_deposit … locate_debtor */
const char *zx_cmd_task_label(const char *task);
bool zx_cmd_return_reason_known(const char *reason);
const char *zx_cmd_return_reason_label(const char *reason);
/* Accept-or-return deadline: sent_on + N working days (management target). */
zx_date zx_cmd_task_accept_due(zx_date sent_on);
/* Completion: a task within 15 days (民诉法 art 240: begin within 15 days), a whole case within
 * 6 months of receipt (委托执行规定). */
zx_date zx_cmd_task_due(zx_date sent_on, bool whole_case);
int zx_cmd_task_warn_days(void);

/* ---- 执行协调 ---- */
/* One month per level: the deciding court has until level_since + 1 month. */
zx_date zx_cmd_coord_level_due(zx_date level_since);

/* ---- 执行信访 (2021 意见 item 30) ---- */
zx_date zx_cmd_petition_register_due(zx_date received_on); /* + 5 working days */
zx_date zx_cmd_petition_due(zx_date received_on);          /* + 30 working days */
bool zx_cmd_petition_channel_known(const char *channel);
const char *zx_cmd_petition_channel_label(const char *channel);

/* ---- 交叉执行 triggers (四川 2023 practice, systems.md §3) ---- */
int zx_cmd_cross_min_open_cases(void);       /* ≥ 10 unfinished cases against one debtor */
int zx_cmd_cross_months_after_supervision(void); /* assets undisposed ≥ 6 months after 督办 */

/* ---- urgent matters / duty ---- */
bool zx_cmd_urgent_kind_known(const char *kind);
const char *zx_cmd_urgent_kind_label(const char *kind);

/* ---- "3+1" targets (seed 002; systems.md §5) ---- */
typedef struct zx_cmd_target {
    const char *key;     /* JSON key of the rate */
    const char *label;   /* 中文 */
    double target;       /* minimum */
    bool veto;           /* 一票否决 */
} zx_cmd_target;
extern const zx_cmd_target zx_cmd_targets[4];
double zx_cmd_target_of(const char *key);    /* 0 if unknown */
#endif
