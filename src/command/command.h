/* command.h — the command center (执行指挥中心, issue 14): 督办 supervision orders, 约谈, 事项委托 /
 * 委托执行 commissions, 执行协调, 执行信访 petitions, the duty roster and urgent matters, and the
 * dashboard that reads all of it. Numbers live in rules/command.h; the "3+1" in command/tpo.h.
 *
 * Every write runs in ONE transaction with its audit record (zx_audit_req) and, where a case is
 * involved, a case event (全程留痕). Services validate and return 0, or an HTTP status with a code and
 * a 中文 message in *err (nothing written). Scope: a superior court's command staff and chiefs act on
 * subordinate courts' matters (zx_court_within); a court acts on its own; the rest is 404/403. */
#ifndef ZX_COMMAND_H
#define ZX_COMMAND_H
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/date.h"
#include "http/http.h"
#include "store/db.h"

typedef struct zx_cmd_err {
    int status;        /* 0 = ok */
    char code[32];
    char msg[240];
} zx_cmd_err;
int zx_cmd_fail(zx_cmd_err *e, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- common (common.c) ---- */
/* Next number for a court × kind × year, e.g. （2026）辽01执督3号. Inside the transaction. */
int zx_cmd_number(db_conn *c, int64_t court_id, const char *kind, int year, char *out, size_t cap);
/* Case id by 案号 (either bracket width) or id string; 0 if none. court_id_out may be NULL. */
int64_t zx_cmd_case_lookup(db_conn *c, const char *ref, int64_t *court_id_out);
/* Does the caller act for court `court_id` as a superior (command/chief of a strict ancestor)? */
bool zx_cmd_is_superior_of(const zx_principal *who, int64_t court_id);
/* Caller's own court? */
bool zx_cmd_is_own(const zx_principal *who, int64_t court_id);
/* Add a case event (kind, data stolen) and refresh clocks if refresh. 0 or < 0. */
int zx_cmd_case_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, json_t *data, bool refresh);
/* JSON body helpers: text (trimmed length check), date, bool. Return false and fill err. */
const char *zx_cmd_text(json_t *b, const char *key, bool required, size_t max, zx_cmd_err *e);
bool zx_cmd_date(json_t *b, const char *key, bool required, zx_date dflt, zx_date *out, zx_cmd_err *e);
/* Court by code from the body (404 COURT_NOT_FOUND). */
const struct zx_court *zx_cmd_court(json_t *b, const char *key, zx_cmd_err *e);
/* Courts the caller oversees for lists: the subtree of `code` (default: caller's court) that the
 * caller may see. Returns n (≥ 1) or 0 after filling err. */
int zx_cmd_scope(zx_req *r, const char *code, int64_t *out, int cap, const struct zx_court **root, zx_cmd_err *e);
/* Date / id JSON */
json_t *zx_cmd_jdate(const char *s);
json_t *zx_cmd_jid(int64_t id);
const char *zx_cmd_court_code(int64_t id);
const char *zx_cmd_court_name(int64_t id);

/* ---- 督办 (supervision.c) ---- */
int zx_sup_open(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
/* act: assign (lower court names a handler), report, escalate, close. */
int zx_sup_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e);
json_t *zx_sup_get(zx_req *r, db_conn *c, int64_t id, zx_cmd_err *e);
/* Reminders: writes a 'reminder' step (once a day) on the orders of these courts due within the lead
 * or overdue — shown in the lower court's inbox. r NULL = the server's background pass (reminders.c,
 * audited as "system"). Returns orders reminded or < 0. */
int zx_sup_remind(zx_req *r, db_conn *c, const int64_t *courts, int n);
/* May `who` read this case as a court it was moved away from (提级 / 指定 / 交叉执行, supervision.c)? */
bool zx_cmd_former_court_reads(db_conn *c, int64_t case_id, const zx_principal *who);
/* What follows a moved case (move.c) from the old court's case to the case the new court filed
 * (zx_case_transfer): its assets, controls and unanswered requests, the money its account holds (ledger
 * transfers between the two cases' accounts and the two courts' 专户) and open deferrals.
 * 0, ZX_CMD_MOVE_FUNDS_IN_FLIGHT (nothing written by it), or < 0. */
#define ZX_CMD_MOVE_FUNDS_IN_FLIGHT 3
#define ZX_CMD_MOVE_REFUSED 4 /* supervision.c move_case: the case module refused the transfer (not open …) */
typedef struct zx_cmd_moved {
    int64_t assets, controls, requests, accounts, held_fen, transfer_id;
} zx_cmd_moved;
int zx_cmd_move_holdings(db_conn *c, int64_t case_id, int64_t new_case_id, int64_t from_court, int64_t to_court,
                         zx_cmd_moved *out);
/* Cases moved away from these courts and now outside them (the old court's case list: 已移出, read-only):
 * [{id, case_no, status, closure_mode, applicant_name, debtor_name, moved_to, moved_to_name, moved_on,
 *   new_case_id, new_case_no, read_only:true…}] — id / case_no the old court's case, new_case_* the case
 * the new court filed (null for moves made before migration 057, when the same case changed court).
 * case_no exact (either case), text a substring of 案号/names, status: optional filters. Page `page` of
 * `size` rows (size 0: all, at most 10,000 — the Excel export); *total = rows matching. Never NULL. */
json_t *zx_cmd_moved_out(db_conn *c, const int64_t *courts, int n, const char *case_no, const char *text,
                         const char *status, int64_t page, int64_t size, int64_t *total);
int zx_interview_add(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);

/* ---- 事项委托 (commission.c) ---- */
int zx_com_send(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
/* act: accept, return, complete */
int zx_com_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e);
json_t *zx_com_get(zx_req *r, db_conn *c, int64_t id, zx_cmd_err *e);
/* Statistics by receiving court over [from, to]: received, done, returned, open, overdue, avg days. */
json_t *zx_com_stats(db_conn *c, const int64_t *courts, int n, zx_date from, zx_date to);
/* National routing: the court for a code with its path from the top and the lowest common superior
 * with the caller's court. */
json_t *zx_com_route(zx_req *r, const char *code, zx_cmd_err *e);

/* ---- 执行协调 (coordination.c) ---- */
int zx_coord_file(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
/* act: escalate (to the next level when the month ran out), decide */
int zx_coord_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e);

/* ---- 执行信访 (petition.c) ---- */
int zx_pet_intake(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
/* act: register, close */
int zx_pet_act(zx_req *r, db_conn *c, int64_t id, const char *act, json_t *b, zx_cmd_err *e);

/* ---- duty (duty.c) ---- */
int zx_duty_add(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
/* On-call user of a court at instant ms (0 if none); name into buf. */
int64_t zx_duty_on_call(db_conn *c, int64_t court_id, int64_t ms, char *name, size_t cap);
int zx_urgent_add(zx_req *r, db_conn *c, json_t *b, int64_t *id, zx_cmd_err *e);
int zx_urgent_handle(zx_req *r, db_conn *c, int64_t id, json_t *b, zx_cmd_err *e);

/* ---- lists & dashboard (lists.c, dashboard.c) ---- */
/* A table: columns [{key,label}], rows [{…}]. */
typedef struct zx_cmd_table {
    const char *title;          /* sheet / file title (中文) */
    json_t *columns;            /* [{"key","label"}] */
    json_t *rows;
} zx_cmd_table;
/* Known list kinds: supervision, commissions, coordination, petitions, duty, urgent, interviews,
 * overdue_cases, expiring_cases, courts_3p1. Returns 0, or 404 in err for an unknown kind. */
int zx_cmd_list(zx_req *r, db_conn *c, const char *kind, const int64_t *courts, int n, zx_cmd_table *t,
                zx_cmd_err *e);
json_t *zx_cmd_dashboard(zx_req *r, db_conn *c, const struct zx_court *root, const int64_t *courts, int n,
                         zx_cmd_err *e);
/* The figures of the other modules (modules.c): tiles appended to `tiles`, detail objects
 * (funds_overdue, controls, inquiry_today, auctions) set on `out`. 0 or < 0. */
int zx_cmd_module_figures(db_conn *c, const int64_t *courts, int n, zx_date today, json_t *tiles, json_t *out);
/* Their lists: funds_overdue_gt5|gt10|gt15|gt30, controls_expiring, controls_lapsed, inquiry_today,
 * auctions_open|sold|unsold. 0, 1 = not one of these kinds, < 0 on a store error. */
int zx_cmd_module_list(db_conn *c, const char *kind, const int64_t *courts, int n, zx_cmd_table *t);
/* Excel (libxlsxwriter): the table as one sheet; malloc'd bytes in *out. 0 or -1. */
int zx_cmd_xlsx(const zx_cmd_table *t, char **out, size_t *len);
#endif
