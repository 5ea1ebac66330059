/* case_no.h — 案号 per 《关于人民法院案件案号的若干规定》 and 《人民法院案件类型及其代字标准》
 * (法〔2015〕137号, eff. 2016-01-01; rev. 法〔2018〕335号) — rules.md §11.
 *
 *   （2024）辽0102执123号  =  （收案年度） + 法院代字 + 类型代字 + 编号 + 号
 *
 * Output always uses full-width brackets （）; parsing accepts （）or ().
 * 法院代字: 最高法 | one province character (辽, 内 = 内蒙古, 军 = 军事法院, 兵 = 兵团分院) |
 * that + 2 digits (中级) | + 4 digits (基层) (art 4–5). No 专门审判代字 for 执 types. No "字第",
 * no zero padding (since 2016). */
#ifndef ZX_RULES_CASE_NO_H
#define ZX_RULES_CASE_NO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum zx_case_class {
    ZX_CASE_IMPLEMENTATION = 1, /* 执行实施类 (立案结案意见 art 1) */
    ZX_CASE_REVIEW = 2,         /* 执行审查类 */
};

struct zx_case_type {
    const char *code;      /* 类型代字: "执", "执恢" … */
    const char *name;      /* GLOSSARY English name: first, resumed, preservation … */
    const char *name_zh;   /* 首次执行 … */
    enum zx_case_class cls;
    int numeric;           /* numeric type code (1002 …, rules.md §11 ◐) */
};

/* All known execution types (8 entries), in table order. */
extern const struct zx_case_type zx_case_types[];
extern const size_t zx_case_types_count;
const struct zx_case_type *zx_case_type_by_code(const char *code); /* "执恢" → entry */
const struct zx_case_type *zx_case_type_by_name(const char *name); /* "resumed" → entry */
const struct zx_case_type *zx_case_type_by_numeric(int numeric);

#define ZX_COURT_CODE_MAX 16 /* bytes incl. NUL: "最高法" = 9, "辽0102" = 7 */
#define ZX_CASE_TYPE_MAX 16
#define ZX_CASE_NO_MAX 64    /* formatted 案号 incl. NUL */

typedef struct zx_case_no {
    int year;                          /* 收案年度 */
    char court_code[ZX_COURT_CODE_MAX];
    char type_code[ZX_CASE_TYPE_MAX];
    int64_t seq;                       /* ≥ 1 */
} zx_case_no;

/* True for a well-formed 法院代字 (art 4–5). */
bool zx_court_code_valid(const char *code);
/* Parse a 案号 (either bracket width). Returns 0, or -1 (字第, zero padding, unknown type, junk). */
int zx_case_no_parse(const char *s, zx_case_no *out);
/* Format with full-width brackets into buf (≥ ZX_CASE_NO_MAX). Returns the length or -1 if a part
 * is invalid. */
int zx_case_no_format(const zx_case_no *cn, char *buf, size_t buflen);
#endif
