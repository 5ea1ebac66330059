/* case_no.c — 案号 formatting and parsing (rules.md §11). */
#include "rules/case_no.h"

#include <stdio.h>
#include <string.h>

/* 人民法院案件类型及其代字标准 (法〔2015〕137号) — 执行 types; numeric codes per rules.md §11 ◐. */
const struct zx_case_type zx_case_types[] = {
    { "执",   "first",        "首次执行",     ZX_CASE_IMPLEMENTATION, 1002 }, /* 代字标准: 执行实施类 */
    { "执恢", "resumed",      "恢复执行",     ZX_CASE_IMPLEMENTATION, 1003 }, /* 代字标准: 执行实施类 */
    { "执保", "preservation", "财产保全执行", ZX_CASE_IMPLEMENTATION, 1004 }, /* 代字标准: 执行实施类 */
    { "执异", "objection",    "执行异议",     ZX_CASE_REVIEW,         1006 }, /* 代字标准: 执行审查类 */
    { "执复", "review",       "执行复议",     ZX_CASE_REVIEW,         1007 }, /* 代字标准: 执行审查类 */
    { "执监", "supervision",  "执行监督",     ZX_CASE_REVIEW,         1008 }, /* 代字标准: 执行审查类 */
    { "执协", "coordination", "执行协调",     ZX_CASE_REVIEW,         1009 }, /* 代字标准: 执行审查类 */
    { "执他", "other",        "其他执行",     ZX_CASE_REVIEW,         1010 }, /* 代字标准: 执行审查类 */
};
const size_t zx_case_types_count = sizeof zx_case_types / sizeof zx_case_types[0];

const struct zx_case_type *zx_case_type_by_code(const char *code)
{
    for (size_t i = 0; code && i < zx_case_types_count; i++)
        if (strcmp(zx_case_types[i].code, code) == 0) return &zx_case_types[i];
    return NULL;
}

const struct zx_case_type *zx_case_type_by_name(const char *name)
{
    for (size_t i = 0; name && i < zx_case_types_count; i++)
        if (strcmp(zx_case_types[i].name, name) == 0) return &zx_case_types[i];
    return NULL;
}

const struct zx_case_type *zx_case_type_by_numeric(int numeric)
{
    for (size_t i = 0; i < zx_case_types_count; i++)
        if (zx_case_types[i].numeric == numeric) return &zx_case_types[i];
    return NULL;
}

/* 高院代字 (案号规定 art 4): province-level abbreviations, 内 for 内蒙古, 军 for 军事法院, 兵 for 兵团分院. */
static const char *const court_province[] = {
    "京", "津", "冀", "晋", "内", "辽", "吉", "黑", "沪", "苏", "浙", "皖", "闽", "赣", "鲁", "豫",
    "鄂", "湘", "粤", "桂", "琼", "渝", "川", "贵", "云", "藏", "陕", "甘", "青", "宁", "新", "军", "兵",
};
#define SPC_CODE "最高法" /* 案号规定 art 4: 最高人民法院 */

/* Length in bytes of the province character at s (3: every one is a BMP CJK char), 0 if none. */
static size_t province_len(const char *s)
{
    for (size_t i = 0; i < sizeof court_province / sizeof court_province[0]; i++)
        if (strncmp(s, court_province[i], 3) == 0) return 3;
    return 0;
}

/* Length of the court code at the start of s (0 if none): 最高法 | P | P dd | P dddd (art 4–5). */
static size_t court_code_len(const char *s)
{
    if (strncmp(s, SPC_CODE, strlen(SPC_CODE)) == 0) return strlen(SPC_CODE);
    size_t n = province_len(s);
    if (!n) return 0;
    size_t k = 0;
    while (s[n + k] >= '0' && s[n + k] <= '9') k++;
    if (k != 0 && k != 2 && k != 4) return 0; /* art 5: 中院 + 2 digits, 基层 + 4 digits */
    return n + k;
}

bool zx_court_code_valid(const char *code)
{
    if (!code) return false;
    size_t n = court_code_len(code);
    return n > 0 && code[n] == '\0';
}

/* Consume a bracket: full-width （）(EF BC 88 / EF BC 89) or ASCII. Returns bytes used or 0. */
static size_t bracket(const char *s, bool open)
{
    if (*s == (open ? '(' : ')')) return 1;
    if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
        (unsigned char)s[2] == (open ? 0x88 : 0x89))
        return 3;
    return 0;
}

int zx_case_no_parse(const char *s, zx_case_no *out)
{
    if (!s) return -1;
    size_t n = bracket(s, true);
    if (!n) return -1;
    s += n;
    int year = 0;
    for (int i = 0; i < 4; i++, s++) {
        if (*s < '0' || *s > '9') return -1;
        year = year * 10 + (*s - '0');
    }
    if (year < 1949 || year > 2199) return -1;
    n = bracket(s, false);
    if (!n) return -1;
    s += n;
    size_t cl = court_code_len(s);
    if (!cl || cl >= ZX_COURT_CODE_MAX) return -1;
    const char *court = s;
    s += cl;
    /* Type code: the longest table entry that matches here (执恢 before 执). */
    const struct zx_case_type *t = NULL;
    for (size_t i = 0; i < zx_case_types_count; i++) {
        size_t tl = strlen(zx_case_types[i].code);
        if (strncmp(s, zx_case_types[i].code, tl) == 0 && (!t || tl > strlen(t->code))) t = &zx_case_types[i];
    }
    if (!t) return -1;
    s += strlen(t->code);
    /* 编号: no "字第", no zero padding, at least one digit, then "号" and nothing else. */
    if (*s < '1' || *s > '9') return -1;
    int64_t seq = 0;
    int digits = 0;
    while (*s >= '0' && *s <= '9') {
        if (++digits > 12) return -1;
        seq = seq * 10 + (*s++ - '0');
    }
    if (strcmp(s, "号") != 0) return -1;
    if (out) {
        out->year = year;
        memcpy(out->court_code, court, cl);
        out->court_code[cl] = '\0';
        snprintf(out->type_code, sizeof out->type_code, "%s", t->code);
        out->seq = seq;
    }
    return 0;
}

int zx_case_no_format(const zx_case_no *cn, char *buf, size_t buflen)
{
    if (!cn || cn->year < 1949 || cn->year > 2199 || cn->seq < 1 || cn->seq > 999999999999LL ||
        !zx_court_code_valid(cn->court_code) || !zx_case_type_by_code(cn->type_code))
        return -1;
    int n = snprintf(buf, buflen, "（%d）%s%s%lld号", cn->year, cn->court_code, cn->type_code,
                     (long long)cn->seq);
    return n < 0 || (size_t)n >= buflen ? -1 : n;
}
