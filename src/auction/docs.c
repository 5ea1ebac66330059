/* docs.c — the disposal's documents as PDF (libhpdf, built-in Adobe-GB1 fonts with GBK text, the
 * same approach as src/case/documents.c), stored in the case's dossier (case_document):
 *
 *   拍卖公告 (auction_announcement) — 网拍规定 art 13: the basis, the lot and its condition, the
 *       reference and start price, deposit and increment, the bidding times and soft close (art 20),
 *       photos, known defects and "as is", taxes and who bears them, holders of a right of first
 *       refusal, viewing, how to register and pay the deposit (art 17), the barred persons (art 34);
 *   成交裁定书 (sale_ruling) — 网拍规定 art 22 / 拍卖变卖规定 arts 20, 26–28: the buyer, the price, the
 *       title passing on service, the seizure lifted, handover within 15 d. */
#include <hpdf.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auction/auction.h"
#include "core/crypto.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "rules/auction.h"

typedef struct pdf {
    HPDF_Doc doc;
    HPDF_Page page;
    HPDF_Font song, hei;
    iconv_t cd;
    float y;
    int err;
} pdf;

#define PW 595.0f
#define PH 842.0f
#define MX 72.0f
#define FS 12.0f
#define LH 20.0f

static void on_err(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
    pdf *p = u;
    if (!p->err) p->err = (int)e;
    LOG_WARN("auction docs: libhpdf error 0x%04X detail %u", (unsigned)e, (unsigned)d);
}

static int u8len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static char *gbk(pdf *p, const char *s, size_t len)
{
    size_t cap = len * 2 + 4, o = 0;
    char *out = malloc(cap);
    if (!out) zx_die("auction docs: out of memory");
    for (size_t i = 0; i < len;) {
        int l = u8len((unsigned char)s[i]);
        if (i + (size_t)l > len) l = (int)(len - i);
        char *in = (char *)s + i, *op = out + o;
        size_t il = (size_t)l, ol = cap - o - 1;
        iconv(p->cd, NULL, NULL, NULL, NULL);
        if (iconv(p->cd, &in, &il, &op, &ol) == (size_t)-1) out[o++] = '?';
        else o = (size_t)(op - out);
        i += (size_t)l;
    }
    out[o] = 0;
    return out;
}

static void page(pdf *p)
{
    p->page = HPDF_AddPage(p->doc);
    HPDF_Page_SetSize(p->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    p->y = PH - 72;
}

static void text(pdf *p, HPDF_Font f, float size, float x, const char *s, size_t len)
{
    if (p->y < 72 + size) page(p);
    char *g = gbk(p, s, len);
    HPDF_Page_BeginText(p->page);
    HPDF_Page_SetFontAndSize(p->page, f, size);
    HPDF_Page_TextOut(p->page, x, p->y, g);
    HPDF_Page_EndText(p->page);
    free(g);
}

static float width_em(const char *s)
{
    float w = 0;
    for (size_t i = 0; s[i];) {
        int l = u8len((unsigned char)s[i]);
        w += l == 1 ? 0.5f : 1.0f;
        i += (size_t)l;
    }
    return w;
}

static void title(pdf *p, const char *s, float size)
{
    p->y -= size * 1.4f;
    text(p, p->hei, size, (PW - width_em(s) * size) / 2, s, strlen(s));
    p->y -= 6;
}

static void right(pdf *p, const char *s)
{
    p->y -= LH;
    text(p, p->song, FS, PW - MX - width_em(s) * FS, s, strlen(s));
}

/* A paragraph wrapped to the width, first line indented by 2 ems. */
static void para(pdf *p, const char *s)
{
    const float wmax = (PW - 2 * MX) / FS;
    size_t len = strlen(s), start = 0, i = 0;
    float cur = 2;
    bool first = true;
    while (i <= len) {
        int l = i < len ? u8len((unsigned char)s[i]) : 0;
        float cw = l == 1 ? 0.5f : 1.0f;
        if (i == len || cur + cw > wmax + 0.01f) {
            if (i < len && l == 3 && (!strncmp(s + i, "，", 3) || !strncmp(s + i, "。", 3) || !strncmp(s + i, "；", 3) ||
                                      !strncmp(s + i, "、", 3) || !strncmp(s + i, "）", 3)))
                i += 3;
            if (p->y - LH < 72) page(p);
            p->y -= LH;
            if (i > start) text(p, p->song, FS, MX + (first ? 2 * FS : 0), s + start, i - start);
            first = false;
            start = i;
            cur = 0;
            if (i >= len) break;
            continue;
        }
        cur += cw;
        i += (size_t)l;
    }
}

static void yuan(int64_t fen, char out[40])
{
    snprintf(out, 40, "%lld.%02lld元", (long long)(fen / 100), (long long)(fen % 100));
}

static void date_cn(zx_date d, char out[40])
{
    int y, m, dd;
    zx_date_to_ymd(d, &y, &m, &dd);
    snprintf(out, 40, "%d年%d月%d日", y % 10000, m % 100, dd % 100);
}

static void instant_cn(int64_t ms, char out[64])
{
    int64_t local = ms + 8 * 3600000LL; /* Asia/Shanghai */
    zx_date d = (zx_date)(local / 86400000LL);
    int64_t sod = (local % 86400000LL) / 1000;
    char ds[40];
    date_cn(d, ds);
    char tmp[160];
    int n = snprintf(tmp, sizeof tmp, "%s%02d时%02d分", ds, (int)(sod / 3600), (int)(sod / 60 % 60));
    if (n < 0) n = 0;
    if (n > 63) n = 63;
    memcpy(out, tmp, (size_t)n);
    out[n] = 0;
}

typedef struct docdata {
    char court[128], case_no[64], title[256], kind[16], description[1024], location[256], defects[512], taxes[512],
        viewing[256], photos[1024], applicant[256], debtor[256], basis_issuer[160], basis_doc_no[96], ref_method[24],
        handler[96], round_kind[16], buyer[64], buyer_id_masked[40];
    int64_t case_id, reference_fen, start_fen, deposit_fen, increment_fen, starts_ms, ends_ms, price_fen;
    int round_no;
    char priority[512];
    int64_t setoff_fen, cash_fen, priority_fen, costs_fen; /* the applicant-creditor buyer's set-off (creditor.c) */
    char revoking_doc[128], restitution_ground[24], obligor[256];
    int64_t rest_cash_fen, rest_setoff_fen, rest_returned_fen, rest_owed_fen;
} docdata;

static void cp(char *d, size_t cap, const char *s) { snprintf(d, cap, "%s", s ? s : ""); }

static int load(db_conn *c, int64_t round_id, docdata *d)
{
    memset(d, 0, sizeof *d);
    db_stmt *s = db_prepare(c, "SELECT ct.name, e.case_no, l.title, l.asset_kind, l.description, l.location, l.defects, l.taxes,"
                               " l.viewing, l.photos, e.applicant_name, e.debtor_name, e.basis_issuer, e.basis_doc_no,"
                               " l.reference_method, (SELECT display_name FROM app_user u WHERE u.id = e.handler_id), r.kind,"
                               " b.name, b.id_enc, e.id, l.reference_fen, r.start_fen, r.deposit_fen, r.increment_fen, r.starts_ms,"
                               " r.ends_ms, r.current_fen, r.round_no, l.id"
                               " FROM auction_round r JOIN auction_lot l ON l.id = r.lot_id JOIN enf_case e ON e.id = l.case_id"
                               " JOIN court ct ON ct.id = l.court_id LEFT JOIN auction_bidder b ON b.id = r.leader_bidder_id"
                               " WHERE r.id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, round_id);
    if (db_step(s) != DB_ROW) {
        db_finalize(s);
        return -1;
    }
    cp(d->court, sizeof d->court, db_col_text(s, 0));
    cp(d->case_no, sizeof d->case_no, db_col_text(s, 1));
    cp(d->title, sizeof d->title, db_col_text(s, 2));
    cp(d->kind, sizeof d->kind, db_col_text(s, 3));
    cp(d->description, sizeof d->description, db_col_text(s, 4));
    cp(d->location, sizeof d->location, db_col_text(s, 5));
    cp(d->defects, sizeof d->defects, db_col_text(s, 6));
    cp(d->taxes, sizeof d->taxes, db_col_text(s, 7));
    cp(d->viewing, sizeof d->viewing, db_col_text(s, 8));
    cp(d->photos, sizeof d->photos, db_col_text(s, 9));
    cp(d->applicant, sizeof d->applicant, db_col_text(s, 10));
    cp(d->debtor, sizeof d->debtor, db_col_text(s, 11));
    cp(d->basis_issuer, sizeof d->basis_issuer, db_col_text(s, 12));
    cp(d->basis_doc_no, sizeof d->basis_doc_no, db_col_text(s, 13));
    cp(d->ref_method, sizeof d->ref_method, db_col_text(s, 14));
    cp(d->handler, sizeof d->handler, db_col_text(s, 15));
    cp(d->round_kind, sizeof d->round_kind, db_col_text(s, 16));
    cp(d->buyer, sizeof d->buyer, db_col_text(s, 17));
    if (!db_col_is_null(s, 18)) {
        size_t bl = 0;
        const void *blob = db_col_blob(s, 18, &bl);
        char *plain = zx_pii_open(ZX_PII_ID_NUMBER, blob, bl);
        char *m = plain ? zx_pii_mask(ZX_PII_ID_NUMBER, plain) : NULL;
        cp(d->buyer_id_masked, sizeof d->buyer_id_masked, m);
        free(m);
        zx_pii_free(plain);
    }
    d->case_id = db_col_int64(s, 19);
    d->reference_fen = db_col_int64(s, 20);
    d->start_fen = db_col_int64(s, 21);
    d->deposit_fen = db_col_int64(s, 22);
    d->increment_fen = db_col_int64(s, 23);
    d->starts_ms = db_col_int64(s, 24);
    d->ends_ms = db_col_int64(s, 25);
    d->price_fen = db_col_int64(s, 26);
    d->round_no = (int)db_col_int64(s, 27);
    int64_t lot_id = db_col_int64(s, 28);
    db_finalize(s);
    s = db_prepare(c, "SELECT name, rank_no, basis FROM auction_priority WHERE lot_id = ? ORDER BY rank_no");
    if (s) {
        db_bind_int64(s, 1, lot_id);
        size_t o = 0;
        while (db_step(s) == DB_ROW && o < sizeof d->priority - 120)
            o += (size_t)snprintf(d->priority + o, sizeof d->priority - o, "%s%s（%s，第%lld顺位）", o ? "、" : "",
                                  db_col_text(s, 0), db_col_text(s, 2) ? db_col_text(s, 2) : "", (long long)db_col_int64(s, 1));
        db_finalize(s);
    }
    s = db_prepare(c, "SELECT setoff_fen, cash_fen, priority_fen, costs_fen FROM auction_setoff WHERE round_id = ?");
    if (s) {
        db_bind_int64(s, 1, round_id);
        if (db_step(s) == DB_ROW) {
            d->setoff_fen = db_col_int64(s, 0);
            d->cash_fen = db_col_int64(s, 1);
            d->priority_fen = db_col_int64(s, 2);
            d->costs_fen = db_col_int64(s, 3);
        }
        db_finalize(s);
    }
    s = db_prepare(c, "SELECT revoking_doc, ground, cash_fen, setoff_fen, returned_fen, owed_fen, obligor FROM auction_restitution"
                      " WHERE round_id = ? ORDER BY created_ms DESC LIMIT 1");
    if (s) {
        db_bind_int64(s, 1, round_id);
        if (db_step(s) == DB_ROW) {
            cp(d->revoking_doc, sizeof d->revoking_doc, db_col_text(s, 0));
            cp(d->restitution_ground, sizeof d->restitution_ground, db_col_text(s, 1));
            d->rest_cash_fen = db_col_int64(s, 2);
            d->rest_setoff_fen = db_col_int64(s, 3);
            d->rest_returned_fen = db_col_int64(s, 4);
            d->rest_owed_fen = db_col_int64(s, 5);
            cp(d->obligor, sizeof d->obligor, db_col_text(s, 6));
        }
        db_finalize(s);
    }
    return 0;
}

static const char *method_cn(const char *m)
{
    if (!strcmp(m, "agreed")) return "当事人议价";
    if (!strcmp(m, "directed_inquiry")) return "定向询价";
    if (!strcmp(m, "online_inquiry")) return "网络询价";
    if (!strcmp(m, "appraisal")) return "委托评估";
    return "依法确定";
}

static void announcement(pdf *p, const docdata *d)
{
    char b[2048], a1[40], a2[40], a3[40], a4[40], t1[64], t2[64];
    bool fixed = !strcmp(d->round_kind, "fixed_sale");
    title(p, d->court, 18);
    snprintf(b, sizeof b, "%s", fixed ? "网络变卖公告" : (d->round_no == 1 ? "网络司法拍卖公告" : "网络司法拍卖公告（再次拍卖）"));
    title(p, b, 22);
    right(p, d->case_no);
    snprintf(b, sizeof b, "本院在执行申请执行人%s与被执行人%s一案中，依据%s%s，将于下列时间在本院网络司法拍卖平台对下列财产进行公开%s。"
                          "现依照《最高人民法院关于人民法院网络司法拍卖若干问题的规定》第十二条、第十三条公告如下：",
             d->applicant, d->debtor, d->basis_issuer, d->basis_doc_no, fixed ? "变卖" : "拍卖");
    para(p, b);
    snprintf(b, sizeof b, "一、拍卖标的：%s。%s%s%s", d->title, d->description, d->location[0] ? "坐落/存放地点：" : "", d->location);
    para(p, b);
    yuan(d->reference_fen, a1);
    yuan(d->start_fen, a2);
    yuan(d->deposit_fen, a3);
    yuan(d->increment_fen, a4);
    snprintf(b, sizeof b, "二、参考价 %s（%s确定）；%s %s；保证金 %s；加价幅度 %s。", a1, method_cn(d->ref_method), fixed ? "变卖价" : "起拍价",
             a2, a3, a4);
    para(p, b);
    instant_cn(d->starts_ms, t1);
    instant_cn(d->ends_ms, t2);
    if (fixed)
        snprintf(b, sizeof b, "三、变卖期间：%s起至%s止（六十日）。期间内首个以变卖价出价者出价后开始二十四小时竞价，竞价结束前五分钟内有人出价的，"
                              "竞价时间自该出价时点顺延五分钟。", t1, t2);
    else
        snprintf(b, sizeof b, "三、竞价时间：%s起至%s止（不少于二十四小时）。竞价程序结束前五分钟内无人出价的，最后出价即为成交价；有出价的，"
                              "竞价时间自该出价时点顺延五分钟。出价时间以本院平台服务器接收到出价信息的时间为准（规定第二十条）。", t1, t2);
    para(p, b);
    snprintf(b, sizeof b, "四、标的物现状及瑕疵：%s。本院不保证标的物的真伪或者品质，标的物以现状拍卖，竞买人应自行查看并自负其责（规定第十四条、第十五条）。",
             d->defects[0] ? d->defects : "未发现其他瑕疵");
    para(p, b);
    snprintf(b, sizeof b, "五、税费及承担方式：%s（规定第三十条）。", d->taxes[0] ? d->taxes : "拍卖成交后所涉税费由相关主体按照法律规定各自负担");
    para(p, b);
    snprintf(b, sizeof b, "六、优先购买权人：%s。优先购买权人经法院确认后，可以与其他竞买人以相同的价格出价，没有更高出价的，拍卖财产由优先购买权人竞得；"
                          "顺序不同的以顺序在先者优先，顺序相同的以出价在先者优先（规定第十六条、第二十一条）。",
             d->priority[0] ? d->priority : "本院未查明有优先购买权人");
    para(p, b);
    snprintf(b, sizeof b, "七、看样：%s。照片及视频见本院平台标的页面%s。", d->viewing[0] ? d->viewing : "有意者请与本院联系预约看样",
             strcmp(d->photos, "[]") ? "" : "（暂无）");
    para(p, b);
    para(p, "八、竞买人应当实名登记，交纳保证金后方可出价；保证金在本院执行款专户冻结，未竞得者的保证金在竞价结束后二十四小时内解冻退还；"
            "买受人悔拍的，保证金不予退还，并不得参加该标的再次拍卖（规定第十七条、第二十三条、第二十四条）。");
    para(p, "九、本院及辅助机构工作人员及其近亲属不得竞买并不得委托他人代为竞买与其行使职权相关的拍卖标的（规定第三十四条）。");
    para(p, "十、拍卖成交后，本院平台自动公示成交结果；买受人应在公告确定的期限内缴纳余款，本院作出拍卖成交裁定并送达后，标的物所有权自裁定送达时转移（规定第二十二条）。");
    p->y -= LH;
    char dt[40];
    date_cn(zx_today(), dt);
    right(p, d->court);
    right(p, dt);
}

static void ruling(pdf *p, const docdata *d)
{
    char b[2048], a1[40], dt[40];
    title(p, d->court, 18);
    title(p, "执行裁定书", 22);
    right(p, d->case_no);
    snprintf(b, sizeof b, "申请执行人：%s。", d->applicant);
    para(p, b);
    snprintf(b, sizeof b, "被执行人：%s。", d->debtor);
    para(p, b);
    yuan(d->price_fen, a1);
    snprintf(b, sizeof b, "本院在执行申请执行人%s与被执行人%s一案中，于网络司法拍卖平台对%s进行公开%s，买受人%s（身份证号码%s）以最高价%s竞得，"
                          "并已全额缴纳价款。依照《中华人民共和国民事诉讼法》第二百五十八条，《最高人民法院关于人民法院网络司法拍卖若干问题的规定》"
                          "第二十二条，《最高人民法院关于人民法院民事执行中拍卖、变卖财产的规定》第二十条、第二十六条至第二十八条之规定，裁定如下：",
             d->applicant, d->debtor, d->title, strcmp(d->round_kind, "fixed_sale") ? "拍卖" : "变卖", d->buyer, d->buyer_id_masked, a1);
    para(p, b);
    snprintf(b, sizeof b, "一、%s的所有权及相应权利归买受人%s所有，自本裁定送达买受人时起转移。", d->title, d->buyer);
    para(p, b);
    para(p, "二、解除对上述财产的查封、扣押措施；上述财产上原有的担保物权及其他优先受偿权，因拍卖而消灭，权利人就拍卖价款受偿。");
    snprintf(b, sizeof b, "三、买受人可持本裁定书到有关机关办理相关产权过户登记手续；本院于本裁定送达后%d日内将标的物移交买受人。",
             ZX_AUCTION_RULES.handover_days);
    para(p, b);
    if (d->setoff_fen > 0) { /* the applicant-creditor buyer's set-off (creditor.c) */
        char a2[40], a3[40];
        yuan(d->setoff_fen, a2);
        yuan(d->cash_fen, a3);
        snprintf(b, sizeof b, "四、买受人系本案申请执行人，拍卖价款在清偿优先受偿债权和执行费用后，以其对被执行人的债权抵付%s，其余价款%s已交付本院"
                              "（《最高人民法院关于人民法院网络司法拍卖若干问题的规定》第十七条，《最高人民法院关于人民法院民事执行中拍卖、变卖财产的规定》"
                              "第十六条、第二十八条）；本案执行债权相应消灭。", a2, a3);
        para(p, b);
    }
    para(p, "本裁定送达后即发生法律效力。");
    p->y -= LH;
    if (d->handler[0]) {
        snprintf(b, sizeof b, "执行法官  %s", d->handler);
        right(p, b);
    }
    date_cn(zx_today(), dt);
    right(p, dt);
    right(p, "（院印）");
}

/* 执行回转裁定书 (民诉法 art 244; 执行工作规定 arts 65–66). */
static void restitution(pdf *p, const docdata *d)
{
    char b[2048], a1[40], a2[40], a3[40], dt[40];
    title(p, d->court, 18);
    title(p, "执行裁定书", 22);
    right(p, d->case_no);
    snprintf(b, sizeof b, "申请执行人：%s。", d->applicant);
    para(p, b);
    snprintf(b, sizeof b, "被执行人：%s。", d->debtor);
    para(p, b);
    snprintf(b, sizeof b, "买受人：%s。", d->buyer);
    para(p, b);
    yuan(d->rest_cash_fen + d->rest_setoff_fen, a1);
    snprintf(b, sizeof b, "本院在执行申请执行人%s与被执行人%s一案中，拍卖%s由买受人%s以%s竞得，本院已作出拍卖成交裁定。现%s已被%s撤销。依照《中华人民共和国"
                          "民事诉讼法》第二百四十四条，《最高人民法院关于人民法院执行工作若干问题的规定（试行）》第六十五条、第六十六条之规定，经合议庭评议，裁定如下：",
             d->applicant, d->debtor, d->title, d->buyer, a1, !strcmp(d->restitution_ground, "basis_revoked") ? "据以执行的法律文书" : "该次拍卖",
             d->revoking_doc);
    para(p, b);
    snprintf(b, sizeof b, "一、撤销本院就%s作出的拍卖成交裁定；买受人%s应将该财产返还，恢复至拍卖前的状态。", d->title, d->buyer);
    para(p, b);
    yuan(d->rest_returned_fen, a2);
    snprintf(b, sizeof b, "二、本院从本案执行款中退还买受人已交付的价款%s。", a2);
    para(p, b);
    if (d->rest_owed_fen > 0) {
        yuan(d->rest_owed_fen, a3);
        snprintf(b, sizeof b, "三、已发放的价款%s，由%s于本裁定送达之日起十日内返还；拒不返还的，强制执行。", a3, d->obligor);
        para(p, b);
    }
    if (d->rest_setoff_fen > 0) {
        yuan(d->rest_setoff_fen, a3);
        snprintf(b, sizeof b, "%s、申请执行人以债权抵付的价款%s不再发生清偿效力，相应执行债权恢复。", d->rest_owed_fen > 0 ? "四" : "三", a3);
        para(p, b);
    }
    para(p, "本裁定送达后即发生法律效力。");
    p->y -= LH;
    if (d->handler[0]) {
        snprintf(b, sizeof b, "执行法官  %s", d->handler);
        right(p, b);
    }
    date_cn(zx_today(), dt);
    right(p, dt);
    right(p, "（院印）");
}

int zx_au_doc_generate(db_conn *c, int64_t round_id, const char *kind, int64_t event_id, int64_t *doc_id)
{
    docdata *d = malloc(sizeof *d);
    if (!d) zx_die("auction docs: out of memory");
    if (load(c, round_id, d)) {
        free(d);
        return -1;
    }
    pdf p;
    memset(&p, 0, sizeof p);
    p.cd = iconv_open("GBK", "UTF-8");
    if (p.cd == (iconv_t)-1) {
        free(d);
        return -1;
    }
    p.doc = HPDF_New(on_err, &p);
    int rc = -1;
    unsigned char *buf = NULL;
    HPDF_UINT32 got = 0;
    if (p.doc) {
        HPDF_SetCompressionMode(p.doc, HPDF_COMP_ALL);
        HPDF_UseCNSFonts(p.doc);
        HPDF_UseCNSEncodings(p.doc);
        p.song = HPDF_GetFont(p.doc, "SimSun", "GBK-EUC-H");
        p.hei = HPDF_GetFont(p.doc, "SimHei", "GBK-EUC-H");
        HPDF_SetInfoAttr(p.doc, HPDF_INFO_CREATOR, "zhixing");
        if (p.song && p.hei && !p.err) {
            page(&p);
            if (!strcmp(kind, "sale_ruling")) ruling(&p, d);
            else if (!strcmp(kind, "restitution_ruling")) restitution(&p, d);
            else announcement(&p, d);
            if (HPDF_SaveToStream(p.doc) == HPDF_OK && !p.err) {
                HPDF_UINT32 size = HPDF_GetStreamSize(p.doc);
                buf = malloc(size ? size : 1);
                if (!buf) zx_die("auction docs: out of memory");
                got = size;
                HPDF_ResetStream(p.doc);
                if (HPDF_ReadFromStream(p.doc, buf, &got) == HPDF_OK || got == size) rc = 0;
            }
        }
        HPDF_Free(p.doc);
    }
    iconv_close(p.cd);
    if (rc) {
        free(buf);
        free(d);
        return -1;
    }
    uint8_t dg[ZX_SM3_LEN];
    char hex[2 * ZX_SM3_LEN + 1];
    zx_sm3(buf, got, dg);
    zx_hex(dg, sizeof dg, hex);
    int64_t id = zx_id_new();
    bool rest = !strcmp(kind, "restitution_ruling");
    bool ann = strcmp(kind, "sale_ruling") != 0 && !rest;
    char ttl[64];
    snprintf(ttl, sizeof ttl, "%s", rest ? "执行回转裁定书"
                                    : ann ? (!strcmp(d->round_kind, "fixed_sale") ? "网络变卖公告" : d->round_no == 1 ? "网络司法拍卖公告（第一次）"
                                                                                                                   : "网络司法拍卖公告（再次拍卖）")
                                    : "拍卖成交裁定书");
    db_stmt *s = db_prepare(c, "INSERT INTO case_document (id, case_id, event_id, kind, title, mime, size, sm3, content, created_ms)"
                               " VALUES (?, ?, ?, ?, ?, 'application/pdf', ?, ?, ?, ?)");
    rc = -1;
    if (s) {
        db_bind_int64(s, 1, id);
        db_bind_int64(s, 2, d->case_id);
        if (event_id > 0) db_bind_int64(s, 3, event_id);
        else db_bind_null(s, 3);
        db_bind_text(s, 4, kind, -1);
        db_bind_text(s, 5, ttl, -1);
        db_bind_int64(s, 6, (int64_t)got);
        db_bind_text(s, 7, hex, -1);
        db_bind_blob(s, 8, buf, got);
        db_bind_int64(s, 9, zx_now_ms());
        rc = db_step(s) == DB_DONE ? 0 : -1;
        db_finalize(s);
    }
    free(buf);
    free(d);
    if (rc) return -1;
    if (rest) {
        if (doc_id) *doc_id = id;
        return 0;
    }
    s = db_prepare(c, ann ? "UPDATE auction_round SET announcement_doc_id = ? WHERE id = ?" : "UPDATE auction_round SET ruling_doc_id = ? WHERE id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, id);
    db_bind_int64(s, 2, round_id);
    rc = db_step(s) == DB_DONE ? 0 : -1;
    db_finalize(s);
    if (doc_id) *doc_id = id;
    return rc;
}
