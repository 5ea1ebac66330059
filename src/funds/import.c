/* import.c — bank statement import (对账单导入): `zhixing funds import --db URL FILE [--bank NO]`.
 *
 * File: UTF-8 CSV (RFC 4180 quoting), first line the header, exactly
 *     bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark
 *   bank_ref       the bank's transaction reference (unique per 专户; a line seen before is skipped,
 *                  never posted twice; the same reference with another amount is an error)
 *   booked_on      YYYY-MM-DD value date
 *   amount         yuan with up to two decimals ("1234.56"), > 0 (credits only)
 *   payer_name, payer_account   the payer (account sealed through core/pii)
 *   account_no     the virtual case account number the payer wrote (may be empty)
 *   remark         the payer's remark (a 案号 here is matched)
 * A line whose bank_ref is `closing_balance` records the bank's closing balance of the 专户 on
 * booked_on (amount may be 0), used by reconciliation.
 * All or nothing: every line is checked first (errors name the line: "第N行…", exit 1); then all
 * lines are posted in ONE transaction (a kill -9 midway leaves nothing; running it again is safe).
 * Progress goes to stderr every 5%. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/money.h"
#include "funds/funds.h"
#include "funds/import.h"

#define NCOL 7
static const char *cols[NCOL] = { "bank_ref", "booked_on", "amount", "payer_name", "payer_account", "account_no", "remark" };

/* Split one CSV record starting at p (end e) into fields (unquoted copies in buf). Returns the
 * position after the record's line end, or NULL on a quoting error. */
static const char *csv_record(const char *p, const char *e, char *buf, size_t cap, char *f[], int maxf, int *nf)
{
    size_t o = 0;
    int n = 0;
    f[n++] = buf;
    bool q = false;
    while (p < e) {
        char ch = *p;
        if (q) {
            if (ch == '"') {
                if (p + 1 < e && p[1] == '"') {
                    if (o + 1 < cap) buf[o++] = '"';
                    p += 2;
                    continue;
                }
                q = false;
                p++;
                continue;
            }
            if (o + 1 < cap) buf[o++] = ch;
            p++;
            continue;
        }
        if (ch == '"') {
            q = true;
            p++;
            continue;
        }
        if (ch == ',') {
            if (o + 1 < cap) buf[o++] = 0;
            if (n < maxf) f[n++] = buf + o;
            else n++;
            p++;
            continue;
        }
        if (ch == '\r' || ch == '\n') {
            if (ch == '\r' && p + 1 < e && p[1] == '\n') p++;
            p++;
            break;
        }
        if (o + 1 < cap) buf[o++] = ch;
        p++;
    }
    if (q) return NULL;
    buf[o < cap ? o : cap - 1] = 0;
    *nf = n;
    return p;
}

typedef struct line {
    long lineno;
    const char *start; /* record start in the mapped file */
} line;

static int check_fields(char *f[], long ln, char *err, size_t errlen, int64_t *amount, bool *closing)
{
    *closing = !strcmp(f[0], "closing_balance");
    if (!*closing && (!*f[0] || strlen(f[0]) > 64)) {
        snprintf(err, errlen, "第%ld行：银行流水号为空或超过64个字符", ln);
        return -1;
    }
    zx_date d;
    if (zx_date_parse(f[1], &d)) {
        snprintf(err, errlen, "第%ld行：记账日期“%.20s”不是有效日期（YYYY-MM-DD）", ln, f[1]);
        return -1;
    }
    if (zx_money_parse(f[2], ZX_MONEY_NO_GROUPING | (*closing ? ZX_MONEY_ALLOW_NEGATIVE : 0), amount)) {
        snprintf(err, errlen, "第%ld行：金额“%.30s”不是有效金额（元，最多两位小数）", ln, f[2]);
        return -1;
    }
    if (!*closing && *amount <= 0) {
        snprintf(err, errlen, "第%ld行：金额必须大于零", ln);
        return -1;
    }
    if (strlen(f[3]) > 200 || strlen(f[4]) > 40 || strlen(f[5]) > 40 || strlen(f[6]) > 500) {
        snprintf(err, errlen, "第%ld行：字段过长", ln);
        return -1;
    }
    return 0;
}

int zx_funds_import_statement(db_t *db, const char *path, const char *bank_no, zx_import_result *res, char *err,
                              size_t errlen)
{
    void (*pg)(long, long, void *) = res->progress;
    void *pa = res->progress_arg;
    memset(res, 0, sizeof *res);
    res->progress = pg;
    res->progress_arg = pa;
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "无法打开文件 %s", path);
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) || st.st_size == 0) {
        close(fd);
        snprintf(err, errlen, "文件为空");
        return -1;
    }
    const char *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        snprintf(err, errlen, "无法读取文件");
        return -1;
    }
    const char *p = map, *e = map + st.st_size;
    if (e - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3; /* BOM */
    char buf[2048];
    char *f[NCOL + 1];
    int nf = 0, ret = -1;
    line *lines = NULL;
    long n = 0, cap = 0, ln = 1;
    db_conn *c = NULL;
    p = csv_record(p, e, buf, sizeof buf, f, NCOL + 1, &nf);
    if (!p || nf != NCOL) goto badhdr;
    for (int i = 0; i < NCOL; i++)
        if (strcmp(f[i], cols[i])) goto badhdr;
    /* Pass 1: check every line. */
    while (p < e) {
        ln++;
        const char *start = p;
        p = csv_record(p, e, buf, sizeof buf, f, NCOL + 1, &nf);
        if (!p) {
            snprintf(err, errlen, "第%ld行：引号不成对", ln);
            goto out;
        }
        if (nf == 1 && !*f[0]) continue; /* blank line */
        if (nf != NCOL) {
            snprintf(err, errlen, "第%ld行：应有%d列，实有%d列", ln, NCOL, nf);
            goto out;
        }
        int64_t amount;
        bool closing;
        if (check_fields(f, ln, err, errlen, &amount, &closing)) goto out;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            line *nl = realloc(lines, (size_t)cap * sizeof *lines);
            if (!nl) {
                snprintf(err, errlen, "内存不足");
                goto out;
            }
            lines = nl;
        }
        lines[n++] = (line){ ln, start };
    }
    res->lines = n;
    /* Pass 2: post everything in one transaction. */
    c = db_acquire(db);
    zx_funds_bulk_session(db, c);
    int64_t bank = 0, court = 0;
    {
        db_stmt *s = db_prepare(c, bank_no ? "SELECT id, court_id FROM fund_account WHERE kind = 1 AND account_no = ?"
                                           : "SELECT id, court_id FROM fund_account WHERE kind = 1 AND account_no IS NOT NULL");
        if (!s) goto dberr;
        if (bank_no) db_bind_text(s, 1, bank_no, -1);
        int k = 0;
        while (db_step(s) == DB_ROW) {
            bank = db_col_int64(s, 0);
            court = db_col_int64(s, 1);
            k++;
        }
        db_finalize(s);
        if (k != 1) {
            snprintf(err, errlen, k == 0 ? "找不到执行款专户%s%s（请先登记专户账号）" : "有多个执行款专户，请用 --bank 指定账号%s%s",
                     bank_no ? " " : "", bank_no ? bank_no : "");
            goto out;
        }
    }
    if (db_begin(c)) goto dberr;
    int64_t import_id = zx_id_new();
    long step = n / 20 > 0 ? n / 20 : 1;
    for (long i = 0; i < n; i++) {
        csv_record(lines[i].start, e, buf, sizeof buf, f, NCOL + 1, &nf);
        int64_t amount;
        bool closing;
        check_fields(f, lines[i].lineno, err, errlen, &amount, &closing);
        if (closing) {
            db_stmt *s = db_prepare(c, "INSERT INTO fund_bank_balance (bank_account_id, as_of, balance_fen, source, recorded_ms)"
                                       " VALUES (?, ?, ?, 'statement', ?) ON CONFLICT (bank_account_id, as_of) DO UPDATE SET"
                                       " balance_fen = excluded.balance_fen, recorded_ms = excluded.recorded_ms");
            if (!s) goto rollback;
            db_bind_int64(s, 1, bank);
            db_bind_text(s, 2, f[1], -1);
            db_bind_int64(s, 3, amount);
            db_bind_int64(s, 4, zx_now_ms());
            int rc = db_step(s);
            db_finalize(s);
            if (rc != DB_DONE) goto rollback;
            res->closing_balances++;
            continue;
        }
        zx_funds_arrival_in in = { .source = "statement", .bank_ref = f[0], .court_id = court, .bank_account_id = bank,
                                   .account_no = f[5], .amount_fen = amount, .payer_name = f[3],
                                   .payer_account = *f[4] ? f[4] : NULL, .remark = *f[6] ? f[6] : NULL,
                                   .booked_on = f[1] };
        zx_funds_arrival_out o;
        char aerr[256];
        int rc = zx_funds_arrival(c, &in, &o, aerr, sizeof aerr);
        if (rc == 1) res->skipped++;
        else if (rc == 0) {
            res->posted++;
            res->amount_fen += amount;
            if (o.case_id > 0) res->matched++;
            else res->unidentified++;
        } else if (rc == DB_ERROR || rc == DB_ECONN || rc == DB_EBUSY || rc == DB_ECONSTRAINT) goto rollback;
        else {
            snprintf(err, errlen, "第%ld行：%s", lines[i].lineno, aerr);
            db_rollback(c);
            goto out;
        }
        if ((i + 1) % step == 0 && res->progress) res->progress(i + 1, n, res->progress_arg);
    }
    {
        db_stmt *s = db_prepare(c, "INSERT INTO fund_import (id, court_id, file_name, lines_total, lines_done, status,"
                                   " created_ms, finished_ms) VALUES (?, ?, ?, ?, ?, 'done', ?, ?)");
        if (!s) goto rollback;
        int64_t now = zx_now_ms();
        const char *base = strrchr(path, '/');
        db_bind_int64(s, 1, import_id);
        db_bind_int64(s, 2, court);
        db_bind_text(s, 3, base ? base + 1 : path, -1);
        db_bind_int64(s, 4, n);
        db_bind_int64(s, 5, res->posted);
        db_bind_int64(s, 6, now);
        db_bind_int64(s, 7, now);
        int rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) goto rollback;
    }
    if (db_commit(c)) goto dberr;
    ret = 0;
    goto out;
rollback:
    db_rollback(c);
dberr:
    snprintf(err, errlen, "存储错误，未导入任何记录");
    goto out;
badhdr:
    snprintf(err, errlen, "第1行：表头应为 bank_ref,booked_on,amount,payer_name,payer_account,account_no,remark");
out:
    if (c) db_release(db, c);
    free(lines);
    munmap((void *)map, (size_t)st.st_size);
    return ret;
}

static void progress(long done, long total, void *arg)
{
    (void)arg;
    fprintf(stderr, "已处理 %ld/%ld 行（%ld%%）\n", done, total, done * 100 / (total ? total : 1));
}

static int cmd_import(int argc, char **argv)
{
    const char *file = zx_positional(argc, argv, 0);
    if (!file) {
        fprintf(stderr, "zhixing funds import: FILE is required\n");
        return 2;
    }
    zx_app *app = zx_cli_open(argc, argv);
    if (!app) return 2;
    zx_import_result res = { 0 };
    res.progress = progress;
    char err[512] = "";
    int rc = zx_funds_import_statement(app->db, file, zx_opt(argc, argv, "--bank"), &res, err, sizeof err);
    if (rc) fprintf(stderr, "导入失败：%s\n", err);
    else {
        char a[ZX_MONEY_BUF];
        printf("导入完成：%ld 行，入账 %ld 笔（%s 元），其中匹配到案件 %ld 笔、待认领 %ld 笔；已导入过跳过 %ld 笔；期末余额 %ld 条\n",
               res.lines, res.posted, zx_money_format(res.amount_fen, a), res.matched, res.unidentified, res.skipped,
               res.closing_balances);
    }
    zx_cli_close(app);
    return rc ? 1 : 0;
}
static const struct zx_command import_cmd = { "funds import", cmd_import, "--db URL FILE.csv [--bank 专户账号]",
                                              "导入银行对账单（CSV，全部成功或全部不导入；错误指明行号）并自动匹配案件" };
ZX_COMMAND(import_cmd)
