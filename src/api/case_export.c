/* api/case_export.c — a case list as an Excel workbook (libxlsxwriter): GET /api/v1/cases?format=xlsx
 * with the same filters as the list (src/api/cases.c case_search builds the rows, up to
 * ZX_CASE_EXPORT_MAX, and calls zx_cases_xlsx_reply). Every column in Chinese, money in yuan as numbers
 * with two decimals, codes as their labels. libxlsxwriter writes to a file only: a private temporary
 * file is written, read back and removed. The export is audited (case.export: a bulk read of names). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "account/authz.h"
#include "api/case_export.h"
#include "audit/audit.h"
#include "case/case.h"

struct code_label { const char *code, *label; };
static const struct code_label statuses[] = { { "open", "在办" }, { "suspended", "中止/暂缓" }, { "closed", "已结" }, { 0, 0 } };
static const struct code_label tracks[] = { { "fast", "简案" }, { "complex", "繁案" }, { 0, 0 } };
static const struct code_label modes[] = {
    { "completed", "执行完毕" }, { "interim_closure", "终结本次执行程序" }, { "termination", "终结执行" },
    { "withdrawal", "销案" }, { "non_enforcement", "不予执行" }, { "rejection", "驳回申请" }, { 0, 0 },
};

static const char *lbl(const struct code_label *t, const char *code)
{
    if (!code || !*code) return "";
    for (; t->code; t++)
        if (!strcmp(t->code, code)) return t->label;
    return "其他";
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* The 已移出 register (提级 / 指定 / 交叉执行): the old court's case and the case the new court filed. */
static void moved_sheet(lxw_workbook *wb, lxw_format *bold, json_t *moved)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "已移出案件");
    if (!ws) return;
    static const char *const head[] = { "原案号", "原执行法院", "申请执行人", "被执行人", "原案状态", "原案结案方式",
                                        "移送日期", "移至法院", "新案号" };
    static const double widths[] = { 26, 22, 24, 24, 10, 16, 12, 22, 26 };
    for (int i = 0; i < 9; i++) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], bold);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    }
    size_t ri;
    json_t *it;
    json_array_foreach(moved, ri, it) {
        const zx_court *from = zx_court_by_code(str(it, "moved_from"));
        const char *cells[9] = {
            str(it, "case_no"), from ? from->name : "", str(it, "applicant_name"), str(it, "debtor_name"),
            lbl(statuses, str(it, "status")), lbl(modes, str(it, "closure_mode")), str(it, "moved_on"),
            str(it, "moved_to_name"), *str(it, "new_case_no") ? str(it, "new_case_no") : "（原案件移送，未另立案号）",
        };
        for (int i = 0; i < 9; i++) worksheet_write_string(ws, (lxw_row_t)(ri + 1), (lxw_col_t)i, cells[i], NULL);
    }
}

void zx_cases_xlsx_reply(zx_req *r, json_t *items, int64_t total, json_t *moved)
{
    char path[] = "/tmp/zx-cases-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        json_decref(items);
        json_decref(moved);
        zx_reply_error(r, 500, "EXPORT_FAILED", "导出失败");
        return;
    }
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "案件") : NULL;
    if (!ws) {
        if (wb) workbook_close(wb);
        unlink(path);
        json_decref(items);
        json_decref(moved);
        zx_reply_error(r, 500, "EXPORT_FAILED", "导出失败");
        return;
    }
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *money = workbook_add_format(wb);
    format_set_num_format(money, "#,##0.00");
    static const char *const head[] = { "案号", "法院", "申请执行人", "被执行人", "状态", "阶段", "繁简", "承办人",
                                        "立案日期", "期限届满日", "结案日期", "结案方式", "申请标的（元）", "已执行到位（元）" };
    static const double widths[] = { 26, 22, 24, 24, 10, 14, 8, 10, 12, 12, 12, 16, 16, 16 };
    for (int i = 0; i < 14; i++) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, head[i], bold);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
    }
    size_t ri;
    json_t *it;
    json_array_foreach(items, ri, it) {
        lxw_row_t row = (lxw_row_t)(ri + 1);
        const zx_court *ct = zx_court_by_code(str(it, "court_code"));
        json_t *h = json_object_get(it, "handler");
        const char *stage = str(it, "stage");
        const char *cells[12] = {
            str(it, "case_no"), ct ? ct->name : "", str(it, "applicant_name"), str(it, "debtor_name"),
            lbl(statuses, str(it, "status")), *stage ? zx_case_stage_label(stage) : "", lbl(tracks, str(it, "track")),
            json_is_object(h) ? str(h, "name") : "未分案", str(it, "filed_on"), str(it, "limit_date"),
            str(it, "closed_on"), lbl(modes, str(it, "closure_mode")),
        };
        for (int i = 0; i < 12; i++) worksheet_write_string(ws, row, (lxw_col_t)i, cells[i], NULL);
        /* fen → yuan for display only (exact to the fen in a double below 2^53) */
        worksheet_write_number(ws, row, 12, (double)json_integer_value(json_object_get(it, "claim_fen")) / 100.0, money);
        worksheet_write_number(ws, row, 13, (double)json_integer_value(json_object_get(it, "recovered_fen")) / 100.0, money);
    }
    if (total > (int64_t)json_array_size(items))
        worksheet_write_string(ws, (lxw_row_t)(json_array_size(items) + 2), 0, "结果超过导出上限，仅导出前面的案件，请缩小查询范围。", bold);
    size_t n = json_array_size(items), nm = moved ? json_array_size(moved) : 0;
    if (nm) moved_sheet(wb, bold, moved);
    json_decref(items);
    json_decref(moved);
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        zx_reply_error(r, 500, "EXPORT_FAILED", "导出失败");
        return;
    }
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long len = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)len);
        if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) len = -1;
    }
    if (f) fclose(f);
    unlink(path);
    if (!buf || len <= 0) {
        free(buf);
        zx_reply_error(r, 500, "EXPORT_FAILED", "导出失败");
        return;
    }
    char *detail = zx_sprintf(r, "{\"rows\":%zu,\"moved_out\":%zu}", n, nm);
    if (zx_audit_req_tx(r, "case.export", "case", 0, "ok", detail)) {
        free(buf);
        zx_reply_error(r, 500, "DB_ERROR", "导出失败");
        return;
    }
    /* filename*: RFC 5987, so the Chinese name survives; the ASCII fallback for old clients */
    zx_reply_raw(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf, (size_t)len,
                 "attachment; filename=\"cases.xlsx\"; filename*=UTF-8''%E6%A1%88%E4%BB%B6%E6%B8%85%E5%8D%95.xlsx");
    free(buf);
}
