/* authz.h — roles, courts and the one place where access to a court's or a case's data is decided.
 * Every module asks here; none re-implements scoping. */
#ifndef ZX_AUTHZ_H
#define ZX_AUTHZ_H
#include <stdbool.h>
#include <stdint.h>
#include "http/http.h"

#define ROLE_FILING_CLERK 0x001u /* filing_clerk 立案庭 */
#define ROLE_JUDGE        0x002u /* judge 执行法官 */
#define ROLE_ASSISTANT    0x004u /* assistant 执行员/法官助理 */
#define ROLE_CLERK        0x008u /* clerk 书记员 */
#define ROLE_FINANCE      0x010u /* finance 财务 */
#define ROLE_COMMAND      0x020u /* command 指挥中心 */
#define ROLE_CHIEF        0x040u /* chief 院长/局长 (approver) */
#define ROLE_SYSADMIN     0x080u /* sysadmin 系统管理员 */
#define ROLE_SECADMIN     0x100u /* secadmin 安全管理员 */
#define ROLE_AUDITOR      0x200u /* auditor 审计管理员 */
#define ROLE_BUSINESS     0x07Fu /* every business role */
#define ROLE_ADMINS       0x380u /* 三员 — mutually exclusive with each other */
#define ROLE_CASE_WORK    (ROLE_JUDGE | ROLE_ASSISTANT | ROLE_CLERK | ROLE_CHIEF)

/* "judge" → ROLE_JUDGE; 0 if unknown. */
unsigned zx_role_from_code(const char *code);
const char *zx_role_code(unsigned role);   /* single bit → code */
const char *zx_role_label(unsigned role);  /* single bit → 中文 */
/* Role set is valid: non-empty, known bits, at most one of the 三员, and 三员 not mixed with
 * business roles. */
bool zx_roles_valid(unsigned roles);

/* Courts — kept in memory (loaded at start, small): four levels 最高法 → 高院 → 中院 → 基层. */
typedef struct zx_court {
    int64_t id;
    char code[24];       /* 法院代字: 辽, 辽01, 辽0102 */
    char name[128];
    int level;           /* 1 最高 2 高级 3 中级 4 基层 */
    int64_t parent_id;   /* 0 for the root */
} zx_court;

const zx_court *zx_court_by_id(int64_t id);
const zx_court *zx_court_by_code(const char *code);
/* true if court `id` is `ancestor` or below it. */
bool zx_court_within(int64_t id, int64_t ancestor);
/* Ids of `root` and every court below it; returns count, fills up to cap. */
int zx_court_subtree(int64_t root, int64_t *out, int cap);
int zx_courts_reload(db_conn *c);  /* re-read the courts table */

/* May the caller see data of this court? Own court; command/chief also subordinate courts. */
bool zx_can_see_court(const zx_principal *who, int64_t court_id);

/* Case-level permission, decided once here for every module.
 *  read:  zx_can_see_court(case court)
 *  write: same court and (handler, or member of the case's team, or chief of that court);
 *         filing clerks may write cases still in the filing stage (stage "filing");
 *         judges of the court may write a case that has no handler yet (to assign it).
 * team_id 0 = no team. Returns true if allowed; otherwise replies 403/404 and returns false. */
enum zx_case_access { ZX_CASE_READ = 0, ZX_CASE_WRITE = 1 };
bool zx_authz_case(zx_req *r, int64_t case_court_id, int64_t handler_id, int64_t team_id,
                   const char *stage, enum zx_case_access need);
/* Is user a member of team (table team_member)? */
bool zx_team_has_member(db_conn *c, int64_t team_id, int64_t user_id);
#endif
