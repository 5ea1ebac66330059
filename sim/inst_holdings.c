/* inst_holdings.c — the simulated institutions' books: what every subject (ID number / credit code)
 * holds at every institution, derived deterministically from the subject, the institution's code and
 * --seed; and the controls placed on it (freeze semantics: frozen money cannot leave, a deduction
 * never exceeds what is frozen, a freeze lapses after its end date; real-estate/vehicle/ship seizures
 * queue as 轮候 and the earliest queued one takes effect when the one in effect is released). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "inst.h"
#include "rules/credit_code.h"
#include "sim.h"

static const struct {
    const char *kind;
    const char *ops;
} g_kinds[] = {
    { "deposit", "query freeze renew release deduct" },  { "wealth", "query freeze renew release deduct" },
    { "securities", "query freeze renew release" },       { "equity", "query freeze renew release" },
    { "real_estate", "query freeze renew release" },      { "vehicle", "query freeze renew release" },
    { "ship", "query freeze renew release" },             { "online_payment", "query freeze renew release deduct" },
    { "insurance", "query freeze renew release" },        { "provident_fund", "query freeze renew release deduct" },
    { "tax_refund", "query" },                            { "social_insurance", "query" },
    { "household", "query" },                             { "marriage", "query" },
    { "exit_entry", "query" },                            { "telecom", "query" },
};

const char *inst_kind_of(const char *code)
{
    const char *dash = code ? strchr(code, '-') : NULL;
    if (!dash) return NULL;
    size_t n = (size_t)(dash - code);
    for (size_t i = 0; i < sizeof g_kinds / sizeof g_kinds[0]; i++)
        if (strlen(g_kinds[i].kind) == n && !strncmp(g_kinds[i].kind, code, n)) return g_kinds[i].kind;
    return NULL;
}

int inst_supports(const char *kind, const char *op)
{
    for (size_t i = 0; i < sizeof g_kinds / sizeof g_kinds[0]; i++) {
        if (strcmp(g_kinds[i].kind, kind) != 0) continue;
        const char *p = g_kinds[i].ops;
        size_t n = strlen(op);
        while ((p = strstr(p, op))) {
            if ((p == g_kinds[i].ops || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ')) return 1;
            p += n;
        }
    }
    return 0;
}

static int is_unit(const char *id) { return id && strlen(id) == 18 && (id[0] < '1' || id[0] > '6' || id[0] == '9'); }

static uint64_t mix(const char *id, const char *code, uint64_t salt) { return sim_hash64(id, sim_hash64(code, salt)); }

static void digits(char *out, int n, uint64_t h)
{
    for (int i = 0; i < n; i++) {
        out[i] = (char)('0' + h % 10);
        h = h / 10 ^ (h * 0x9E3779B97F4A7C15ULL >> 7);
    }
    out[n] = 0;
}

/* a value in [lo, hi] yuan from h, in fen */
static int64_t yuan(uint64_t h, int64_t lo, int64_t hi) { return (lo + (int64_t)(h % (uint64_t)(hi - lo + 1))) * 100; }

static json_t *asset(const char *kind, const char *identifier, const char *desc, const char *owner, int64_t value,
                     int divisible)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:[]}", "kind", kind, "identifier", identifier, "description", desc,
                     "owner", owner ? owner : "", "value_fen", (json_int_t)value, "divisible", divisible,
                     "encumbrances");
}

static const char *const g_places[] = { "沈阳市和平区", "沈阳市沈河区", "大连市中山区", "鞍山市铁东区", "锦州市古塔区", "沈阳市浑南区" };

static json_t *g_controls; /* control_ref → {code, key, kind, frozen_fen, deducted_fen, until, status, seq} */
static json_t *g_books;    /* code|identifier → {balance_fen, money, external, queue:[control_ref…]} */
static void query_books(const char *code, const char *kind, const char *id, const char *name, json_t *out);

/* What the subject holds now: the deterministic holdings with balances after deductions. */
void inst_query(const char *code, const char *kind, const char *id, const char *name, json_t *out)
{
    size_t from = json_array_size(out), i;
    query_books(code, kind, id, name, out);
    for (i = from; g_books && i < json_array_size(out); i++) {
        json_t *a = json_array_get(out, i);
        char key[400];
        snprintf(key, sizeof key, "%s|%s", code, json_string_value(json_object_get(a, "identifier")));
        json_t *book = json_object_get(g_books, key);
        if (book && json_is_true(json_object_get(book, "money")))
            json_object_set(a, "value_fen", json_object_get(book, "balance_fen"));
    }
}

static void query_books(const char *code, const char *kind, const char *id, const char *name, json_t *out)
{
    if (!id || !*id) return;
    uint64_t h = mix(id, code, 1), h2 = mix(id, code, 2), h3 = mix(id, code, 3);
    int unit = is_unit(id);
    unsigned pct = (unsigned)(h % 100);
    char num[40], ident[160], desc[256];
    if (!strcmp(kind, "deposit")) {
        /* every subject banks at deposit-icbc; elsewhere half of them do */
        int n = !strcmp(code, "deposit-icbc") ? 1 + (int)(h2 % 2) : pct < 50 ? 1 : 0;
        for (int i = 0; i < n; i++) {
            uint64_t hi = mix(id, code, 10 + (uint64_t)i);
            digits(num, 15, hi);
            snprintf(ident, sizeof ident, "6222%s", num);
            unsigned r = (unsigned)(hi >> 20) % 1000;
            int64_t bal = r < 250 ? yuan(hi >> 30, 0, 5000) : r < 750 ? yuan(hi >> 30, 5000, 100000)
                                                                     : yuan(hi >> 30, 100000, 2000000);
            if (unit) bal *= 5;
            snprintf(desc, sizeof desc, "%s账户（活期）", unit ? "单位结算" : "个人储蓄");
            json_array_append_new(out, asset(kind, ident, desc, name, bal, 1));
        }
    } else if (!strcmp(kind, "wealth") && pct < 25) {
        digits(num, 12, h2);
        snprintf(ident, sizeof ident, "LC%s", num);
        json_array_append_new(out, asset(kind, ident, "理财产品份额", name, yuan(h3, 10000, 500000), 1));
    } else if (!strcmp(kind, "securities") && pct < 20) {
        digits(num, 9, h2);
        snprintf(ident, sizeof ident, "%c%s", unit ? 'B' : 'A', num);
        json_array_append_new(out, asset(kind, ident, "证券账户（持仓市值）", name, yuan(h3, 20000, 1000000), 1));
    } else if (!strcmp(kind, "equity") && pct < (unit ? 40u : 15u)) {
        digits(num, 9, h2);
        char co[64];
        /* a valid unified social credit code (GB 32100-2015): 91 企业, 210100 沈阳, 9 digits, check character */
        snprintf(co, sizeof co, "91210100%s", num);
        co[17] = zx_uscc_check_char(co);
        co[18] = 0;
        snprintf(ident, sizeof ident, "股权:%s", co);
        snprintf(desc, sizeof desc, "持有沈阳%s有限公司 %u%% 股权", (const char *[]){ "恒通", "北方", "盛达", "远航" }[h3 % 4],
                 (unsigned)(10 + h2 % 80));
        json_t *a = asset(kind, ident, desc, name, yuan(h3 >> 8, 100000, 5000000), 1);
        json_object_set_new(a, "related_code", json_string(co));
        json_array_append_new(out, a);
    } else if (!strcmp(kind, "real_estate") && pct < 35) {
        digits(num, 7, h2);
        /* a registry holds the properties of its own city */
        const char *place = strstr(code, "dalian")    ? g_places[2]
                            : strstr(code, "anshan")  ? g_places[3]
                            : strstr(code, "jinzhou") ? g_places[4]
                                                      : g_places[(int[]){ 0, 1, 5 }[h3 % 3]];
        snprintf(ident, sizeof ident, "辽（20%02u）%.9s不动产权第%s号", (unsigned)(15 + h3 % 9), place, num);
        snprintf(desc, sizeof desc, "%s住宅 %u 平方米", place, (unsigned)(50 + h2 % 120));
        int64_t v = yuan(h3 >> 8, 500000, 3000000);
        json_t *a = asset(kind, ident, desc, name, v, 0);
        json_t *enc = json_object_get(a, "encumbrances");
        if ((h2 >> 16) % 100 < 40)
            json_array_append_new(enc, json_pack("{s:s,s:s,s:I}", "type", "mortgage", "holder", "中国建设银行辽宁省分行",
                                                 "amount_fen", (json_int_t)(v / 100 * (int64_t)(30 + (h2 >> 24) % 40))));
        if ((h2 >> 32) % 100 < 15)
            json_array_append_new(enc, json_pack("{s:s,s:s,s:i}", "type", "seizure", "court", "沈阳市中级人民法院", "order", 1));
        json_array_append_new(out, a);
    } else if (!strcmp(kind, "vehicle") && pct < 40) {
        const char *letters = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
        char plate[8];
        for (int i = 0; i < 5; i++) plate[i] = letters[(h2 >> (i * 6)) % 34];
        plate[5] = 0;
        snprintf(ident, sizeof ident, "辽%c·%s", "ABCDEFGH"[h3 % 8], plate);
        snprintf(desc, sizeof desc, "小型轿车 %s", (const char *[]){ "大众", "丰田", "比亚迪", "别克", "本田" }[h3 % 5]);
        json_array_append_new(out, asset(kind, ident, desc, name, yuan(h3 >> 8, 30000, 300000), 0));
    } else if (!strcmp(kind, "ship") && pct < 3) {
        digits(num, 5, h2);
        snprintf(ident, sizeof ident, "辽大渔%s", num);
        json_array_append_new(out, asset(kind, ident, "渔船", name, yuan(h3, 200000, 2000000), 0));
    } else if (!strcmp(kind, "online_payment") && pct < 70) {
        digits(num, 16, h2);
        snprintf(ident, sizeof ident, "2088%s", num);
        json_array_append_new(out, asset(kind, ident, "网络支付账户余额", name, yuan(h3, 0, 50000), 1));
    } else if (!strcmp(kind, "insurance") && pct < 30) {
        digits(num, 14, h2);
        snprintf(ident, sizeof ident, "P%s", num);
        json_array_append_new(out, asset(kind, ident, "人寿保险（现金价值）", name, yuan(h3, 5000, 300000), 1));
    } else if (!strcmp(kind, "provident_fund") && !unit && pct < 50) {
        digits(num, 12, h2);
        json_array_append_new(out, asset(kind, num, "住房公积金个人账户", name, yuan(h3, 2000, 150000), 1));
    } else if (!strcmp(kind, "tax_refund") && pct < 10) {
        digits(num, 10, h2);
        snprintf(ident, sizeof ident, "TS%s", num);
        json_array_append_new(out, asset(kind, ident, "待退税款", name, yuan(h3, 100, 20000), 1));
    } else if (!strcmp(kind, "social_insurance") && !unit && pct < 60) {
        digits(num, 10, h2);
        snprintf(ident, sizeof ident, "SB%s", num);
        json_array_append_new(out, asset(kind, ident, "养老保险参保，月缴费基数约 5000 元", name, 0, 1));
    } else if (!strcmp(kind, "household") && !unit) {
        snprintf(desc, sizeof desc, "户籍所在地：%s", g_places[h3 % 6]);
        json_array_append_new(out, asset(kind, "户籍登记", desc, name, 0, 1));
    } else if (!strcmp(kind, "marriage") && !unit && pct < 70) {
        snprintf(desc, sizeof desc, "婚姻状况：已婚（%u 年登记）", (unsigned)(2000 + h2 % 24));
        json_array_append_new(out, asset(kind, "婚姻登记", desc, name, 0, 1));
    } else if (!strcmp(kind, "exit_entry") && !unit && pct < 20) {
        digits(num, 8, h2);
        snprintf(ident, sizeof ident, "E%s", num);
        json_array_append_new(out, asset(kind, ident, "普通护照", name, 0, 1));
    } else if (!strcmp(kind, "telecom") && pct < 60) {
        digits(num, 4, h2);
        snprintf(ident, sizeof ident, "1%u%u****%s", (unsigned)(3 + h3 % 6), (unsigned)(h2 % 10), num);
        json_array_append_new(out, asset(kind, ident, "实名登记手机号码", name, 0, 1));
    }
}

/* ---- controls ---------------------------------------------------------------------------------- */

static int money_kind(const char *kind)
{
    return !strcmp(kind, "deposit") || !strcmp(kind, "wealth") || !strcmp(kind, "online_payment") ||
           !strcmp(kind, "provident_fund");
}

static json_t *answer(const char *status, const char *code, const char *msg)
{
    json_t *a = json_pack("{s:s}", "status", status);
    if (code) json_object_set_new(a, "error", json_pack("{s:s,s:s}", "code", code, "message", msg));
    return a;
}

static int lapsed(json_t *c)
{
    char today[11];
    sim_today(today);
    const char *until = json_string_value(json_object_get(c, "until"));
    return until && strcmp(until, today) < 0;
}

/* Active frozen money on a book (lapsed and released controls do not count). */
static int64_t frozen_on(json_t *book)
{
    int64_t sum = 0;
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(book, "queue"), i, ref)
    {
        json_t *c = json_object_get(g_controls, json_string_value(ref));
        if (!c || lapsed(c) || strcmp(json_string_value(json_object_get(c, "status")), "active")) continue;
        sum += json_integer_value(json_object_get(c, "frozen_fen")) - json_integer_value(json_object_get(c, "deducted_fen"));
    }
    return sum;
}

/* Recompute queue positions (seizures): the first live control in order is in effect, unless an
 * outside court's earlier seizure is registered on the asset. */
static void requeue(json_t *book)
{
    int pos = json_is_true(json_object_get(book, "external")) ? 1 : 0;
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(book, "queue"), i, ref)
    {
        json_t *c = json_object_get(g_controls, json_string_value(ref));
        const char *st = json_string_value(json_object_get(c, "status"));
        if (!c || !strcmp(st, "released") || lapsed(c)) continue;
        json_object_set_new(c, "queue_pos", json_integer(pos));
        json_object_set_new(c, "status", json_string(pos == 0 ? "active" : "queued"));
        pos++;
    }
}

static json_t *control_view(json_t *c)
{
    json_t *v = json_pack("{s:O,s:O,s:O,s:O,s:O}", "control_ref", json_object_get(c, "ref"), "frozen_fen",
                          json_object_get(c, "frozen_fen"), "deducted_fen", json_object_get(c, "deducted_fen"), "until",
                          json_object_get(c, "until"), "queue_pos", json_object_get(c, "queue_pos"));
    json_object_set_new(v, "status", json_string(lapsed(c) && strcmp(json_string_value(json_object_get(c, "status")), "released")
                                                     ? "lapsed"
                                                     : json_string_value(json_object_get(c, "status"))));
    return v;
}

json_t *inst_freeze(const char *code, const char *kind, const char *court, const char *id, const char *identifier,
                    const char *control_ref, int64_t amount_fen, const char *until)
{
    if (!g_controls) g_controls = json_object(), g_books = json_object();
    if (!identifier || !control_ref || !until || amount_fen <= 0)
        return answer("rejected", "BAD_REQUEST", "冻结请求缺少财产标识、控制编号、期限或金额");
    json_t *old = json_object_get(g_controls, control_ref);
    if (old) {
        json_t *a = answer("done", NULL, NULL);
        json_object_set_new(a, "control", control_view(old));
        return a;
    }
    /* the asset must be the subject's */
    json_t *found = json_array(), *hit = NULL;
    query_books(code, kind, id, "", found);
    size_t i;
    json_t *a;
    json_array_foreach(found, i, a) if (!strcmp(json_string_value(json_object_get(a, "identifier")), identifier)) hit = a;
    if (!hit) {
        json_decref(found);
        return answer("rejected", "NO_SUCH_ASSET", "被执行人在本机构名下无此财产");
    }
    char key[400];
    snprintf(key, sizeof key, "%s|%s", code, identifier);
    json_t *book = json_object_get(g_books, key);
    if (!book) {
        int external = 0;
        json_array_foreach(json_object_get(hit, "encumbrances"), i, a)
            if (!strcmp(json_string_value(json_object_get(a, "type")), "seizure")) external = 1;
        book = json_pack("{s:O,s:b,s:b,s:[]}", "balance_fen", json_object_get(hit, "value_fen"), "money", money_kind(kind),
                         "external", external, "queue");
        json_object_set_new(g_books, key, book);
    }
    json_decref(found);
    int64_t frozen;
    if (json_is_true(json_object_get(book, "money"))) {
        int64_t avail = json_integer_value(json_object_get(book, "balance_fen")) - frozen_on(book);
        frozen = amount_fen < avail ? amount_fen : avail > 0 ? avail : 0;
    } else
        frozen = amount_fen;
    json_t *c = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:i}", "ref", control_ref, "code", code, "key", key, "court",
                          court ? court : "", "frozen_fen", (json_int_t)frozen, "deducted_fen", (json_int_t)0, "until",
                          until, "status", "active", "queue_pos", 0);
    json_object_set_new(g_controls, control_ref, c);
    json_array_append_new(json_object_get(book, "queue"), json_string(control_ref));
    if (!json_is_true(json_object_get(book, "money"))) requeue(book);
    a = answer("done", NULL, NULL);
    json_object_set_new(a, "control", control_view(c));
    return a;
}

static json_t *find_control(const char *code, const char *ref)
{
    json_t *c = g_controls ? json_object_get(g_controls, ref) : NULL;
    return c && !strcmp(json_string_value(json_object_get(c, "code")), code) ? c : NULL;
}

json_t *inst_renew(const char *code, const char *ref, const char *until)
{
    json_t *c = find_control(code, ref);
    if (!c) return answer("rejected", "NO_SUCH_CONTROL", "本机构无此冻结（查封）记录");
    if (lapsed(c)) return answer("rejected", "LAPSED", "冻结（查封）期限已届满，不能续行");
    if (!strcmp(json_string_value(json_object_get(c, "status")), "released")) return answer("rejected", "RELEASED", "已解除");
    if (!until || strcmp(until, json_string_value(json_object_get(c, "until"))) <= 0)
        return answer("rejected", "BAD_UNTIL", "续行期限须晚于原期限");
    json_object_set_new(c, "until", json_string(until));
    json_t *a = answer("done", NULL, NULL);
    json_object_set_new(a, "control", control_view(c));
    return a;
}

json_t *inst_release(const char *code, const char *ref)
{
    json_t *c = find_control(code, ref);
    if (!c) return answer("rejected", "NO_SUCH_CONTROL", "本机构无此冻结（查封）记录");
    json_object_set_new(c, "status", json_string("released"));
    json_t *book = json_object_get(g_books, json_string_value(json_object_get(c, "key")));
    if (book && !json_is_true(json_object_get(book, "money"))) requeue(book); /* 轮候 moves up */
    json_t *a = answer("done", NULL, NULL);
    json_object_set_new(a, "control", control_view(c));
    return a;
}

json_t *inst_deduct(const char *code, const char *ref, int64_t amount_fen)
{
    json_t *c = find_control(code, ref);
    if (!c) return answer("rejected", "NO_SUCH_CONTROL", "本机构无此冻结记录");
    json_t *book = json_object_get(g_books, json_string_value(json_object_get(c, "key")));
    if (!book || !json_is_true(json_object_get(book, "money"))) return answer("rejected", "NOT_MONEY", "该财产不能扣划");
    if (lapsed(c)) return answer("rejected", "LAPSED", "冻结期限已届满");
    if (strcmp(json_string_value(json_object_get(c, "status")), "active")) return answer("rejected", "NOT_ACTIVE", "冻结未生效或已解除");
    int64_t left = json_integer_value(json_object_get(c, "frozen_fen")) - json_integer_value(json_object_get(c, "deducted_fen"));
    if (amount_fen <= 0 || amount_fen > left) return answer("rejected", "EXCEEDS_FROZEN", "扣划金额超过冻结余额");
    json_object_set_new(c, "deducted_fen", json_integer(json_integer_value(json_object_get(c, "deducted_fen")) + amount_fen));
    json_object_set_new(book, "balance_fen", json_integer(json_integer_value(json_object_get(book, "balance_fen")) - amount_fen));
    json_t *a = answer("done", NULL, NULL);
    json_object_set_new(a, "deducted_fen", json_integer(amount_fen));
    json_object_set_new(a, "control", control_view(c));
    return a;
}

json_t *inst_control_state(const char *code, const char *ref)
{
    json_t *c = find_control(code, ref);
    return c ? control_view(c) : NULL;
}

/* The account holder takes money out (the simulated debtor's own payment, not a court's operation):
 * only what no live freeze holds may leave — frozen money cannot leave. The account is named by the
 * subject and its identifier, or by a control on it (control_ref). Returns {"status":"done","balance_fen","free_fen"} or {"status":"rejected", error}. */
json_t *inst_withdraw(const char *code, const char *kind, const char *id, const char *identifier, const char *control_ref,
                      int64_t amount_fen)
{
    if (!g_controls) g_controls = json_object(), g_books = json_object();
    if (!money_kind(kind)) return answer("rejected", "NOT_MONEY", "该财产不是存款或资金账户");
    json_t *ctl = control_ref ? find_control(code, control_ref) : NULL;
    if ((!identifier && !ctl) || amount_fen <= 0) return answer("rejected", "BAD_REQUEST", "缺少账户或金额");
    char key[400];
    if (ctl) snprintf(key, sizeof key, "%s", json_string_value(json_object_get(ctl, "key")));
    else snprintf(key, sizeof key, "%s|%s", code, identifier);
    json_t *book = json_object_get(g_books, key);
    if (!book && !identifier) return answer("rejected", "NO_SUCH_ASSET", "账户持有人名下无此账户");
    if (!book) {
        json_t *found = json_array(), *hit = NULL, *a;
        size_t i;
        query_books(code, kind, id, "", found);
        json_array_foreach(found, i, a) if (!strcmp(json_string_value(json_object_get(a, "identifier")), identifier)) hit = a;
        if (!hit) {
            json_decref(found);
            return answer("rejected", "NO_SUCH_ASSET", "账户持有人名下无此账户");
        }
        book = json_pack("{s:O,s:b,s:b,s:[]}", "balance_fen", json_object_get(hit, "value_fen"), "money", 1, "external", 0,
                         "queue");
        json_object_set_new(g_books, key, book);
        json_decref(found);
    }
    int64_t balance = json_integer_value(json_object_get(book, "balance_fen")), free_fen = balance - frozen_on(book);
    if (free_fen < 0) free_fen = 0;
    if (amount_fen > free_fen) {
        json_t *a = answer("rejected", "FUNDS_FROZEN", "冻结的款项不能支取");
        json_object_set_new(a, "balance_fen", json_integer(balance));
        json_object_set_new(a, "free_fen", json_integer(free_fen));
        return a;
    }
    json_object_set_new(book, "balance_fen", json_integer(balance - amount_fen));
    json_t *a = answer("done", NULL, NULL);
    json_object_set_new(a, "balance_fen", json_integer(balance - amount_fen));
    json_object_set_new(a, "free_fen", json_integer(free_fen - amount_fen));
    return a;
}
