/* institutions.c — the simulated institutions (网络执行查控 counterparts, SIMULATED): banks,
 * registries, traffic police, payment platforms … all answering the court over the inquiry protocol
 * of docs/api/inquiry-protocol.md at /inst/<code>/v1/…, one code per institution "<kind>-<name>".
 *
 * Each institution has its own SM2 key derived from its code and --seed (so it survives a restart);
 * it pins the first public key a court presents and refuses another one later; it verifies every
 * request's signature and signs every answer. Request ids are idempotent: a repeated id gets the
 * first answer again and changes nothing. What a subject holds and what a control does live in
 * sim/inst_holdings.c.
 *
 * Options (--opt or PUT /sim/v1/options), "<code>" may be "*" for every institution:
 *   inst.latency_ms / inst.<code>.latency_ms   "LO-HI" or "N" ms per answer (default 5-20)
 *   inst.<code>.error_rate                     percent of batches answered 503 before any effect
 *   inst.<code>.outage                         1: never answers (the connection hangs, then drops)
 *   inst.<code>.bad_signature                  1: answers signed with a wrong key */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/crypto.h"
#include "inquiry/sm2.h"
#include "inst.h"
#include "sim.h"

#define PROTOCOL "zx-inquiry/1"

struct inst {
    char code[64];
    zx_sm2_key *key;
    char *pem;
    char fp[65];
    int64_t batches, received, duplicates, rejected_sig, applied;
};
static struct inst *g_inst;
static size_t g_ninst, g_capinst;
static json_t *g_court_keys; /* court code → pinned public key PEM */
static zx_sm2_key *g_wrong_key;
static json_t *g_answers;    /* "code|request_id" → stored control answer */

/* A set of seen request ids (64-bit) per institution index: open addressing. */
static uint64_t *g_seen;
static size_t g_seen_cap, g_seen_n;

static int seen_add(uint64_t k)
{
    if (k == 0) k = 1;
    if ((g_seen_n + 1) * 2 > g_seen_cap) {
        size_t nc = g_seen_cap ? g_seen_cap * 2 : 1 << 16;
        uint64_t *ns = calloc(nc, sizeof *ns);
        if (!ns) abort();
        for (size_t i = 0; i < g_seen_cap; i++)
            if (g_seen[i]) {
                size_t j = (g_seen[i] * 0x9E3779B97F4A7C15ULL) & (nc - 1);
                while (ns[j]) j = (j + 1) & (nc - 1);
                ns[j] = g_seen[i];
            }
        free(g_seen);
        g_seen = ns;
        g_seen_cap = nc;
    }
    size_t j = (k * 0x9E3779B97F4A7C15ULL) & (g_seen_cap - 1);
    while (g_seen[j]) {
        if (g_seen[j] == k) return 0;
        j = (j + 1) & (g_seen_cap - 1);
    }
    g_seen[j] = k;
    g_seen_n++;
    return 1;
}

static struct inst *inst_get(const char *code)
{
    if (!inst_kind_of(code) || strlen(code) >= 64) return NULL;
    for (size_t i = 0; i < g_ninst; i++)
        if (!strcmp(g_inst[i].code, code)) return &g_inst[i];
    if (g_ninst == g_capinst) {
        g_capinst = g_capinst ? g_capinst * 2 : 64;
        g_inst = realloc(g_inst, g_capinst * sizeof *g_inst);
        if (!g_inst) abort();
    }
    struct inst *in = &g_inst[g_ninst];
    memset(in, 0, sizeof *in);
    snprintf(in->code, sizeof in->code, "%s", code);
    char seedtxt[96];
    snprintf(seedtxt, sizeof seedtxt, "zhixing-sim|%llu|%s", (unsigned long long)sim_seed(), code);
    uint8_t secret[32];
    zx_sm3(seedtxt, strlen(seedtxt), secret);
    in->key = zx_sm2_derive(secret);
    if (!in->key) return NULL;
    in->pem = zx_sm2_public_pem(in->key);
    zx_sm2_fingerprint(in->key, in->fp);
    g_ninst++;
    return in;
}

static const char *opt_for(const char *code, const char *name)
{
    char k[160];
    snprintf(k, sizeof k, "inst.%s.%s", code, name);
    const char *v = sim_option(k);
    if (!v) {
        snprintf(k, sizeof k, "inst.*.%s", name);
        v = sim_option(k);
    }
    if (!v) {
        snprintf(k, sizeof k, "inst.%s", name);
        v = sim_option(k);
    }
    return v;
}

static uint64_t g_draws;
static unsigned draw(unsigned mod) { return mod ? (unsigned)(sim_hash64("draw", ++g_draws) % mod) : 0; }

static unsigned latency_for(const char *code)
{
    const char *v = opt_for(code, "latency_ms");
    long lo = 5, hi = 20;
    if (v) {
        char *end;
        lo = strtol(v, &end, 10);
        hi = *end == '-' ? strtol(end + 1, NULL, 10) : lo;
        if (lo < 0) lo = 0;
        if (hi < lo) hi = lo;
    }
    return (unsigned)(lo + (long)draw((unsigned)(hi - lo + 1)));
}

static void reply_signed(sim_req *r, struct inst *in, unsigned delay, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char sig[ZX_SM2_SIG_HEX_MAX];
    const char *bad = opt_for(in->code, "bad_signature");
    zx_sm2_key *k = in->key;
    if (bad && !strcmp(bad, "1")) {
        if (!g_wrong_key) g_wrong_key = zx_sm2_generate();
        k = g_wrong_key;
    }
    if (zx_sm2_sign(k, s, strlen(s), sig, sizeof sig) == 0) sim_add_header(r, "X-ZX-Signature", sig);
    sim_add_header(r, "X-ZX-Key-Fingerprint", in->fp);
    sim_reply_raw_after(r, delay, status, "application/json; charset=utf-8", s, strlen(s));
    free(s);
}

static void inst_key(sim_req *r)
{
    struct inst *in = inst_get(sim_param(r, "code"));
    if (!in) {
        sim_reply_error(r, 404, "UNKNOWN_INSTITUTION", "模拟器中没有这个机构");
        return;
    }
    sim_reply_json(r, 200, json_pack("{s:s,s:s,s:s,s:s,s:b}", "institution", in->code, "kind", inst_kind_of(in->code),
                                     "public_key", in->pem, "fingerprint", in->fp, "simulated", 1));
}

static uint64_t req_key(const char *code, const char *rid) { return sim_hash64(rid, sim_hash64(code, 77)); }

/* One request of a batch → its answer (new reference). */
static json_t *handle_one(struct inst *in, const char *court, json_t *q)
{
    const char *rid = json_string_value(json_object_get(q, "request_id"));
    const char *op = json_string_value(json_object_get(q, "op"));
    const char *kind = inst_kind_of(in->code);
    if (!rid || !*rid || !op)
        return json_pack("{s:s,s:s,s:{s:s,s:s}}", "request_id", rid ? rid : "", "status", "rejected", "error", "code",
                         "BAD_REQUEST", "message", "缺少请求编号或操作");
    in->received++;
    char akey[200];
    snprintf(akey, sizeof akey, "%s|%s", in->code, rid);
    json_t *stored = json_object_get(g_answers, akey);
    int fresh = seen_add(req_key(in->code, rid));
    if (!fresh) in->duplicates++;
    if (stored) return json_incref(stored);
    json_t *a;
    if (!inst_supports(kind, op))
        a = json_pack("{s:s,s:{s:s,s:s}}", "status", "rejected", "error", "code", "UNSUPPORTED_OP", "message",
                      "本机构不支持该操作");
    else if (!strcmp(op, "query")) {
        /* a subject is named by an 18-character 身份证号 or 统一社会信用代码 */
        size_t k;
        json_t *sj;
        json_array_foreach(json_object_get(q, "subjects"), k, sj)
        {
            const char *idn = json_string_value(json_object_get(sj, "id_number"));
            if (!idn || strlen(idn) != 18)
                return json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "request_id", rid, "op", op, "status", "rejected", "error",
                                 "code", "BAD_SUBJECT", "message", "被查询人证件号码不正确");
        }
        a = json_pack("{s:s,s:[]}", "status", "done", "subjects");
        size_t i;
        json_t *s;
        int found = 0;
        json_array_foreach(json_object_get(q, "subjects"), i, s)
        {
            json_t *assets = json_array();
            inst_query(in->code, kind, json_string_value(json_object_get(s, "id_number")),
                       json_string_value(json_object_get(s, "name")), assets);
            found += (int)json_array_size(assets);
            json_array_append_new(json_object_get(a, "subjects"),
                                  json_pack("{s:O,s:o}", "ref", json_object_get(s, "ref"), "assets", assets));
        }
        json_object_set_new(a, "result", json_string(found ? "found" : "none"));
    } else {
        json_t *s0 = json_array_get(json_object_get(q, "subjects"), 0);
        const char *ref = json_string_value(json_object_get(q, "control_ref"));
        const char *until = json_string_value(json_object_get(q, "until"));
        int64_t amount = json_integer_value(json_object_get(q, "amount_fen"));
        if (!ref) a = json_pack("{s:s,s:{s:s,s:s}}", "status", "rejected", "error", "code", "BAD_REQUEST", "message", "缺少控制编号");
        else if (!strcmp(op, "freeze"))
            a = inst_freeze(in->code, kind, court, json_string_value(json_object_get(s0, "id_number")),
                            json_string_value(json_object_get(json_object_get(q, "asset"), "identifier")), ref, amount, until);
        else if (!strcmp(op, "renew")) a = inst_renew(in->code, ref, until);
        else if (!strcmp(op, "release")) a = inst_release(in->code, ref);
        else a = inst_deduct(in->code, ref, amount);
        if (fresh && !strcmp(json_string_value(json_object_get(a, "status")), "done")) in->applied++;
    }
    json_object_set_new(a, "request_id", json_string(rid));
    json_object_set_new(a, "op", json_string(op));
    if (strcmp(op, "query") != 0) json_object_set(g_answers, akey, a); /* idempotent controls */
    return a;
}

static void inst_batch(sim_req *r)
{
    const char *code = sim_param(r, "code");
    struct inst *in = inst_get(code);
    if (!in) {
        sim_reply_error(r, 404, "UNKNOWN_INSTITUTION", "模拟器中没有这个机构");
        return;
    }
    in->batches++;
    const char *outage = opt_for(code, "outage");
    if (outage && !strcmp(outage, "1")) {
        sim_reply_hang(r, 30000);
        return;
    }
    unsigned delay = latency_for(code);
    const char *er = opt_for(code, "error_rate");
    if (er && (long)draw(100) < strtol(er, NULL, 10)) {
        sim_reply_json_after(r, delay, 503,
                             json_pack("{s:{s:s,s:s}}", "error", "code", "UNAVAILABLE", "message", "机构系统繁忙（模拟故障）"));
        return;
    }
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *sig = sim_header(r, "X-ZX-Signature");
    json_t *court = json_object_get(b, "court");
    const char *court_code = json_string_value(json_object_get(court, "code"));
    const char *pem = json_string_value(json_object_get(court, "public_key"));
    if (!sig || !court_code || !pem) {
        in->rejected_sig++;
        sim_reply_error(r, 401, "UNSIGNED", "请求未加盖电子签章");
        return;
    }
    if (strcmp(json_string_value(json_object_get(b, "protocol")) ? json_string_value(json_object_get(b, "protocol")) : "", PROTOCOL)) {
        sim_reply_error(r, 400, "BAD_PROTOCOL", "协议版本不符");
        return;
    }
    if (!g_court_keys) g_court_keys = json_object();
    const char *pinned = json_string_value(json_object_get(g_court_keys, court_code));
    if (pinned && strcmp(pinned, pem) != 0) {
        in->rejected_sig++;
        sim_reply_error(r, 401, "KEY_MISMATCH", "法院签章公钥与登记的不一致");
        return;
    }
    zx_sm2_key *ck = zx_sm2_from_public_pem(pem);
    int ok = ck && zx_sm2_verify(ck, r->body, r->body_len, sig);
    zx_sm2_free(ck);
    if (!ok) {
        in->rejected_sig++;
        sim_reply_error(r, 401, "BAD_SIGNATURE", "电子签章验证失败");
        return;
    }
    if (!pinned) json_object_set_new(g_court_keys, court_code, json_string(pem));
    const char *inst_field = json_string_value(json_object_get(b, "institution"));
    if (!inst_field || strcmp(inst_field, code) != 0) {
        sim_reply_error(r, 400, "WRONG_INSTITUTION", "请求的机构与地址不符");
        return;
    }
    if (!g_answers) g_answers = json_object();
    json_t *answers = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(b, "requests"), i, q) json_array_append_new(answers, handle_one(in, court_code, q));
    char today[11];
    sim_today(today);
    reply_signed(r, in, delay, 200,
                 json_pack("{s:s,s:s,s:I,s:s,s:o}", "protocol", PROTOCOL, "institution", code, "answered_ms",
                           (json_int_t)sim_now_ms(), "today", today, "answers", answers));
}

/* GET /inst/:code/v1/controls/:ref — the state of a control now (轮候 moves, lapses). */
static void inst_control(sim_req *r)
{
    struct inst *in = inst_get(sim_param(r, "code"));
    if (!in) {
        sim_reply_error(r, 404, "UNKNOWN_INSTITUTION", "模拟器中没有这个机构");
        return;
    }
    json_t *v = inst_control_state(in->code, sim_param(r, "ref"));
    if (!v) {
        sim_reply_error(r, 404, "NO_SUCH_CONTROL", "本机构无此冻结（查封）记录");
        return;
    }
    reply_signed(r, in, 0, 200, json_pack("{s:s,s:s,s:o}", "protocol", PROTOCOL, "institution", in->code, "control", v));
}

static void inst_stats(sim_req *r)
{
    json_t *a = json_array();
    int64_t tot[5] = { 0 };
    for (size_t i = 0; i < g_ninst; i++) {
        struct inst *in = &g_inst[i];
        json_array_append_new(a, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "institution", in->code, "batches",
                                           (json_int_t)in->batches, "received", (json_int_t)in->received, "duplicates",
                                           (json_int_t)in->duplicates, "rejected_signature", (json_int_t)in->rejected_sig,
                                           "applied", (json_int_t)in->applied));
        tot[0] += in->batches, tot[1] += in->received, tot[2] += in->duplicates, tot[3] += in->rejected_sig,
            tot[4] += in->applied;
    }
    sim_reply_json(r, 200, json_pack("{s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I}}", "institutions", a, "total", "batches",
                                     (json_int_t)tot[0], "received", (json_int_t)tot[1], "duplicates", (json_int_t)tot[2],
                                     "rejected_signature", (json_int_t)tot[3], "applied", (json_int_t)tot[4],
                                     "distinct", (json_int_t)g_seen_n));
}

static const struct sim_route inst_routes[] = {
    { "GET", "/inst/:code/v1/key", inst_key, "机构（模拟）：SM2 公钥" },
    { "POST", "/inst/:code/v1/batch", inst_batch, "机构（模拟）：查询、冻结、续冻、解冻、扣划（签章批量请求）" },
    { "GET", "/inst/:code/v1/controls/:ref", inst_control, "机构（模拟）：冻结（查封）状态" },
    { "GET", "/inst/v1/stats", inst_stats, "机构（模拟）：收到的请求、重复请求、已执行的控制" },
};
SIM_ROUTES("institutions", inst_routes)
