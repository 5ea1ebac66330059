/* xlsx.c — a command-center table as an Excel workbook (libxlsxwriter): a bold header row with the
 * 中文 column labels, one row per record, numbers as numbers, booleans as 是/否, instants (keys ending
 * in _ms) as local date-times. libxlsxwriter 1.1.4 writes to a file only, so the workbook goes to a
 * private temporary file that is read back and removed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "command/command.h"

int zx_cmd_xlsx(const zx_cmd_table *t, char **out, size_t *len)
{
    char path[] = "/tmp/zx-xlsx-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -1;
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        unlink(path);
        return -1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    size_t ci, ri;
    json_t *col, *row;
    json_array_foreach(t->columns, ci, col) {
        worksheet_write_string(ws, 0, (lxw_col_t)ci, json_string_value(json_object_get(col, "label")), bold);
        worksheet_set_column(ws, (lxw_col_t)ci, (lxw_col_t)ci, 16, NULL);
    }
    json_array_foreach(t->rows, ri, row) {
        json_array_foreach(t->columns, ci, col) {
            const char *key = json_string_value(json_object_get(col, "key"));
            json_t *v = json_object_get(row, key);
            lxw_row_t rr = (lxw_row_t)(ri + 1);
            lxw_col_t cc = (lxw_col_t)ci;
            size_t kl = strlen(key);
            if (json_is_integer(v) && kl > 3 && !strcmp(key + kl - 3, "_ms")) {
                time_t secs = (time_t)(json_integer_value(v) / 1000) + 8 * 3600; /* Asia/Shanghai */
                struct tm tm;
                gmtime_r(&secs, &tm);
                char buf[24];
                strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
                worksheet_write_string(ws, rr, cc, buf, NULL);
            } else if (json_is_number(v)) {
                worksheet_write_number(ws, rr, cc, json_number_value(v), NULL);
            } else if (json_is_boolean(v)) {
                worksheet_write_string(ws, rr, cc, json_is_true(v) ? "是" : "否", NULL);
            } else if (json_is_string(v)) {
                worksheet_write_string(ws, rr, cc, json_string_value(v), NULL);
            } else if (json_is_null(v)) {
                worksheet_write_string(ws, rr, cc, "—", NULL); /* not measured / not ranked */
            }
        }
    }
    if (workbook_close(wb) != LXW_NO_ERROR) {
        unlink(path);
        return -1;
    }
    FILE *f = fopen(path, "rb");
    unlink(path);
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n > 0 ? malloc((size_t)n) : NULL;
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *out = buf;
    *len = (size_t)n;
    return 0;
}
