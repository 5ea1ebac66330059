/* institutions.c — the simulated institutions (网络执行查控 counterparts, SIMULATED): banks,
 * registries, traffic police, payment platforms … all answering the court over the inquiry protocol
 * of docs/api/inquiry-protocol.md at /inst/<code>/v1/…, one code per institution "<kind>-<name>".
 *
 * Each institution has its own SM2 key derived from its code (so it survives a restart and every
 * simulator presents the same institution keys; --seed only changes what subjects hold). A court's
 * seal is accepted only once the court ENROLLED it (POST /inst/<code>/v1/enrolment, signed with that
 * key, naming the court's callback endpoint and the API key to use there): the institution keeps
 * every enrolled (court code, key fingerprint) — two stores sharing one simulator enrol their own
 * keys — and refuses a request sealed with a key not enrolled (401 KEY_NOT_ENROLLED). It verifies
 * every request's signature and signs every answer. Request ids are idempotent: a repeated id gets
 * the first answer again and changes nothing. What a subject holds and what a control does live in
 * sim/inst_holdings.c.
 *
 * Asynchronous answers: an institution with inst.<code>.async_ms set (real-estate registries by
 * default, 200-600 ms) acknowledges each request at once ({"status":"accepted"}) and posts the
 * answers later, signed, to the court's callback (POST <callback>/…, Bearer <api key>); a repeated
 * request id (the court polling) gets "accepted" again until the answer is ready, then the answer.
 *
 * Options (--opt or PUT /sim/v1/options), "<code>" may be "*" for every institution:
 *   inst.latency_ms / inst.<code>.latency_ms   "LO-HI" or "N" ms per answer (default 5-20)
 *   inst.<code>.error_rate                     percent of batches answered 503 before any effect
 *   inst.<code>.outage                         1: never answers (the connection hangs, then drops)
 *   inst.<code>.timeout_rate                   percent of batches left unanswered past the court's
 *                                              timeout (the connection hangs 30 s, then drops)
 *   inst.<code>.bad_signature                  1: answers (and callbacks) signed with a wrong key
 *   inst.<code>.answer_fault                   "unsigned": batch answers carry no signature;
 *                                              "malformed": a signed body that is not a protocol answer;
 *                                              "stray": every batch answer carries one more answer, for a
 *                                              request id the court never sent (with an asset)
 *   inst.<code>.async_ms                       "LO-HI" ms: acknowledge now, call back after that;
 *                                              "0" = answer within the exchange (default for all
 *                                              kinds but real_estate, whose default is 200-600)
 *   inst.<code>.callback                       0: never call back (the court must poll)
 *   inst.<code>.empty                          1: the subjects hold nothing here (a debtor without
 *                                              property: every query answered "none") */
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
    int outstanding, max_concurrent; /* batches received and not yet answered (the court's concurrency) */
};
static struct inst *g_inst;
static size_t g_ninst, g_capinst;
static json_t *g_enrol;      /* "<inst code>|<court code>|<key fp>" → {court, public_key, callback, api_key} */
static json_t *g_async;      /* "<inst code>|<request id>" → {"ready_ms", "answer"} (asynchronous answers) */
static json_t *g_callbacks;  /* the last callbacks sent (GET /inst/v1/callbacks) */
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
    snprintf(seedtxt, sizeof seedtxt, "zhixing-sim|institution|%s", code);
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

static unsigned range_draw(const char *v, long lo, long hi)
{
    if (v) {
        char *end;
        lo = strtol(v, &end, 10);
        hi = *end == '-' ? strtol(end + 1, NULL, 10) : lo;
        if (lo < 0) lo = 0;
        if (hi < lo) hi = lo;
    }
    return (unsigned)(lo + (long)draw((unsigned)(hi - lo + 1)));
}
static unsigned latency_for(const char *code) { return range_draw(opt_for(code, "latency_ms"), 5, 20); }
/* ms after which an asynchronous institution calls back; 0 = it answers within the exchange */
static unsigned async_for(const char *code)
{
    const char *v = opt_for(code, "async_ms");
    if (!v) return !strcmp(inst_kind_of(code), "real_estate") ? range_draw(NULL, 200, 600) : 0;
    return range_draw(v, 0, 0);
}

/* Sign s as institution in (or with a wrong key when inst.<code>.bad_signature is 1). 0 or -1. */
static int inst_sign(struct inst *in, const char *s, char sig[ZX_SM2_SIG_HEX_MAX])
{
    const char *bad = opt_for(in->code, "bad_signature");
    zx_sm2_key *k = in->key;
    if (bad && !strcmp(bad, "1")) {
        if (!g_wrong_key) g_wrong_key = zx_sm2_generate();
        k = g_wrong_key;
    }
    return zx_sm2_sign(k, s, strlen(s), sig, ZX_SM2_SIG_HEX_MAX);
}

static void reply_signed(sim_req *r, struct inst *in, unsigned delay, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char sig[ZX_SM2_SIG_HEX_MAX];
    if (inst_sign(in, s, sig) == 0) sim_add_header(r, "X-ZX-Signature", sig);
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
    json_t *pend = json_object_get(g_async, akey);
    if (pend) { /* answered asynchronously: "accepted" until ready (the court polling), then the answer */
        if (sim_now_ms() < json_integer_value(json_object_get(pend, "ready_ms")))
            return json_pack("{s:s,s:s,s:s,s:I}", "request_id", rid, "op", op ? op : "", "status", "accepted", "poll_after_ms",
                             (json_int_t)(json_integer_value(json_object_get(pend, "ready_ms")) - sim_now_ms()));
        return json_incref(json_object_get(pend, "answer"));
    }
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
            const char *empty = opt_for(in->code, "empty");
            if (!empty || strcmp(empty, "1") != 0)
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

/* The enrolment of (court code, key) at this institution, or NULL. *fp receives the key's fingerprint. */
static json_t *enrolment_of(struct inst *in, const char *court_code, zx_sm2_key *ck, char fp[65])
{
    fp[0] = 0;
    if (!ck || zx_sm2_fingerprint(ck, fp) != 0) return NULL;
    char k[300];
    snprintf(k, sizeof k, "%s|%s|%s", in->code, court_code, fp);
    return json_object_get(g_enrol, k);
}

/* ---- asynchronous answers: callbacks to the court ------------------------------------------------ */

struct callback {
    struct inst *in;
    char *url, *auth, *body;
    char sig[ZX_SM2_SIG_HEX_MAX];
    int tries;
};

static void callback_log(struct callback *cb, long status)
{
    if (!g_callbacks) g_callbacks = json_array();
    if (json_array_size(g_callbacks) >= 50) json_array_remove(g_callbacks, 0);
    json_array_append_new(g_callbacks, json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:I,s:i}", "institution", cb->in->code, "url",
                                                 cb->url, "authorization", cb->auth, "signature", cb->sig, "body",
                                                 cb->body, "status", (int)status, "sent_ms", (json_int_t)sim_now_ms(),
                                                 "try", cb->tries));
}

static void callback_send(void *arg);
static void callback_done(void *arg, long status, const char *resp, size_t resp_len)
{
    struct callback *cb = arg;
    callback_log(cb, status);
    if (status != 200 && cb->tries < 3) { /* the court is down or busy: again a little later, then it polls */
        sim_after(1000u << cb->tries, callback_send, cb);
        return;
    }
    if (status != 200) fprintf(stderr, "zhixing-sim: callback of %s to %s failed (%ld): %.*s\n", cb->in->code, cb->url,
                               status, (int)(resp_len > 200 ? 200 : resp_len), resp ? resp : "");
    free(cb->url);
    free(cb->auth);
    free(cb->body);
    free(cb);
}

static void callback_send(void *arg)
{
    struct callback *cb = arg;
    cb->tries++;
    char h1[200], h2[200], fph[120];
    snprintf(h1, sizeof h1, "X-ZX-Signature: %s", cb->sig);
    snprintf(h2, sizeof h2, "Authorization: Bearer %s", cb->auth);
    snprintf(fph, sizeof fph, "X-ZX-Key-Fingerprint: %s", cb->in->fp);
    const char *hdrs[] = { h1, h2, fph, NULL };
    sim_post(cb->url, "application/json", cb->body, strlen(cb->body), hdrs, 10000, callback_done, cb);
}

/* A batch's asynchronous answers are ready: one signed callback to the court that enrolled. */
struct async_batch {
    struct inst *in;
    json_t *enrol;   /* the enrolment (callback url, api key) */
    json_t *answers; /* the final answers */
};
static void async_ready(void *arg)
{
    struct async_batch *ab = arg;
    const char *cbopt = opt_for(ab->in->code, "callback");
    if (cbopt && !strcmp(cbopt, "0")) goto out; /* this institution never calls back: the court polls */
    char today[11];
    sim_today(today);
    json_t *env = json_pack("{s:s,s:s,s:I,s:s,s:O}", "protocol", PROTOCOL, "institution", ab->in->code, "answered_ms",
                            (json_int_t)sim_now_ms(), "today", today, "answers", ab->answers);
    struct callback *cb = calloc(1, sizeof *cb);
    if (!cb) abort();
    cb->in = ab->in;
    cb->body = json_dumps(env, JSON_COMPACT);
    json_decref(env);
    cb->url = strdup(json_string_value(json_object_get(ab->enrol, "callback")));
    cb->auth = strdup(json_string_value(json_object_get(ab->enrol, "api_key")));
    if (!cb->body || !cb->url || !cb->auth || inst_sign(ab->in, cb->body, cb->sig) != 0) abort();
    callback_send(cb);
out:
    json_decref(ab->enrol);
    json_decref(ab->answers);
    free(ab);
}

/* A batch's answer went out (its delay passed): one fewer outstanding at the institution. */
static void batch_answered(void *arg)
{
    struct inst *in = arg;
    if (in->outstanding > 0) in->outstanding--;
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
    const char *tr = opt_for(code, "timeout_rate");
    if (tr && (long)draw(100) < strtol(tr, NULL, 10)) {
        sim_reply_hang(r, 30000);
        return;
    }
    unsigned delay = latency_for(code);
    /* how many of the court's batches this institution holds at once (max_concurrent in the stats) */
    if (++in->outstanding > in->max_concurrent) in->max_concurrent = in->outstanding;
    sim_after(delay, batch_answered, in);
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
    zx_sm2_key *ck = zx_sm2_from_public_pem(pem);
    char fp[65];
    json_t *enrol = enrolment_of(in, court_code, ck, fp);
    if (!enrol) { /* only a key the court enrolled is accepted (no pinning at first sight) */
        zx_sm2_free(ck);
        in->rejected_sig++;
        sim_reply_error(r, 401, "KEY_NOT_ENROLLED", "法院签章公钥未在本机构登记");
        return;
    }
    int ok = zx_sm2_verify(ck, r->body, r->body_len, sig);
    zx_sm2_free(ck);
    if (!ok) {
        in->rejected_sig++;
        sim_reply_error(r, 401, "BAD_SIGNATURE", "电子签章验证失败");
        return;
    }
    const char *inst_field = json_string_value(json_object_get(b, "institution"));
    if (!inst_field || strcmp(inst_field, code) != 0) {
        sim_reply_error(r, 400, "WRONG_INSTITUTION", "请求的机构与地址不符");
        return;
    }
    if (!g_answers) g_answers = json_object();
    if (!g_async) g_async = json_object();
    unsigned later = async_for(code);
    json_t *answers = json_array(), *deferred = later ? json_array() : NULL;
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(b, "requests"), i, q)
    {
        const char *rid = json_string_value(json_object_get(q, "request_id"));
        char akey[200];
        snprintf(akey, sizeof akey, "%s|%s", code, rid ? rid : "");
        bool known = rid && (json_object_get(g_async, akey) || json_object_get(g_answers, akey));
        json_t *a = handle_one(in, court_code, q);
        if (!later || known || !rid || !*rid) {
            json_array_append_new(answers, a);
            continue;
        }
        /* acknowledge now, answer by callback after `later` ms (a repeated id meanwhile: accepted) */
        json_object_set_new(g_async, akey, json_pack("{s:I,s:O}", "ready_ms", (json_int_t)(sim_now_ms() + later), "answer", a));
        json_array_append(deferred, a);
        json_decref(a);
        json_array_append_new(answers, json_pack("{s:s,s:O,s:s,s:I}", "request_id", rid, "op", json_object_get(q, "op"),
                                                 "status", "accepted", "poll_after_ms", (json_int_t)later));
    }
    if (deferred && json_array_size(deferred)) {
        struct async_batch *ab = calloc(1, sizeof *ab);
        if (!ab) abort();
        ab->in = in;
        ab->enrol = json_incref(enrol);
        ab->answers = deferred;
        sim_after(delay + later, async_ready, ab);
    } else
        json_decref(deferred);
    char today[11];
    sim_today(today);
    const char *fault = opt_for(code, "answer_fault");
    if (fault && !strcmp(fault, "stray")) /* an answer for a request the court never sent */
        json_array_append_new(answers, json_pack("{s:s,s:s,s:s,s:s,s:[{s:s,s:[{s:s,s:s,s:I}]}]}", "request_id", "1", "op", "query",
                                                 "status", "done", "result", "found", "subjects", "ref", "1", "assets",
                                                 "kind", inst_kind_of(code), "identifier", "STRAY-0001", "value_fen",
                                                 (json_int_t)100000000));
    json_t *env = json_pack("{s:s,s:s,s:I,s:s,s:o}", "protocol", PROTOCOL, "institution", code, "answered_ms",
                            (json_int_t)sim_now_ms(), "today", today, "answers", answers);
    if (fault && !strcmp(fault, "malformed")) /* signed, but not a protocol answer */
        json_object_set_new(env, "answers", json_string("系统维护中"));
    if (fault && !strcmp(fault, "unsigned")) { /* no signature at all */
        char *txt = json_dumps(env, JSON_COMPACT);
        json_decref(env);
        sim_add_header(r, "X-ZX-Key-Fingerprint", in->fp);
        sim_reply_raw_after(r, delay, 200, "application/json; charset=utf-8", txt, strlen(txt));
        free(txt);
        return;
    }
    reply_signed(r, in, delay, 200, env);
}

/* POST /inst/:code/v1/enrolment — a court lodges its seal (public key) with the institution, with the
 * callback endpoint and API key for asynchronous answers. Signed with that very key (proof of
 * possession). A real institution takes the enrolment through its own vetting (the 2013 SPC rule:
 * credentials lodged with each bank once); the simulator accepts any well-formed, correctly signed
 * one and keeps every key a court enrolled. */
static void inst_enrol(sim_req *r)
{
    struct inst *in = inst_get(sim_param(r, "code"));
    if (!in) {
        sim_reply_error(r, 404, "UNKNOWN_INSTITUTION", "模拟器中没有这个机构");
        return;
    }
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *sig = sim_header(r, "X-ZX-Signature");
    json_t *court = json_object_get(b, "court");
    const char *court_code = json_string_value(json_object_get(court, "code"));
    const char *pem = json_string_value(json_object_get(court, "public_key"));
    const char *cb = json_string_value(json_object_get(json_object_get(b, "callback"), "url"));
    const char *key = json_string_value(json_object_get(json_object_get(b, "callback"), "api_key"));
    const char *inst_field = json_string_value(json_object_get(b, "institution"));
    if (!sig || !court_code || !pem) {
        sim_reply_error(r, 401, "UNSIGNED", "登记请求未加盖电子签章");
        return;
    }
    if (!inst_field || strcmp(inst_field, in->code) || !cb || strncmp(cb, "http", 4) || !key || !*key) {
        sim_reply_error(r, 400, "BAD_REQUEST", "登记请求缺少机构、回调地址或回调凭证");
        return;
    }
    zx_sm2_key *ck = zx_sm2_from_public_pem(pem);
    char fp[65] = "";
    int ok = ck && zx_sm2_verify(ck, r->body, r->body_len, sig) && zx_sm2_fingerprint(ck, fp) == 0;
    zx_sm2_free(ck);
    if (!ok) {
        in->rejected_sig++;
        sim_reply_error(r, 401, "BAD_SIGNATURE", "电子签章验证失败");
        return;
    }
    if (!g_enrol) g_enrol = json_object();
    char k[300];
    snprintf(k, sizeof k, "%s|%s|%s", in->code, court_code, fp);
    json_object_set_new(g_enrol, k, json_pack("{s:s,s:s,s:s,s:s,s:I}", "court", court_code, "public_key", pem, "callback", cb,
                                               "api_key", key, "enrolled_ms", (json_int_t)sim_now_ms()));
    reply_signed(r, in, 0, 200, json_pack("{s:s,s:s,s:s,s:s,s:b}", "protocol", PROTOCOL, "institution", in->code, "court",
                                          court_code, "fingerprint", fp, "enrolled", 1));
}

/* GET /inst/v1/enrolments — every enrolled court key (simulator introspection). */
static void inst_enrolments(sim_req *r)
{
    json_t *a = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(g_enrol, k, v)
    {
        char code[64] = "";
        sscanf(k, "%63[^|]", code);
        const char *fp = strrchr(k, '|');
        json_array_append_new(a, json_pack("{s:s,s:O,s:s,s:O,s:O}", "institution", code, "court", json_object_get(v, "court"),
                                           "fingerprint", fp ? fp + 1 : "", "callback", json_object_get(v, "callback"),
                                           "enrolled_ms", json_object_get(v, "enrolled_ms")));
    }
    sim_reply_json(r, 200, json_pack("{s:o}", "enrolments", a));
}

/* GET /inst/v1/callbacks — the last 50 callbacks posted to courts, as sent (simulator introspection:
 * tests replay one to check the court's endpoint is idempotent). */
static void inst_callbacks(sim_req *r)
{
    sim_reply_json(r, 200, json_pack("{s:O}", "callbacks", g_callbacks ? g_callbacks : json_array()));
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

/* POST /inst/:code/v1/withdraw {"id_number","identifier"|"control_ref","amount_fen"} — the account holder takes money
 * out (simulator introspection: plays the debtor, not the court; unsigned). Frozen money cannot leave:
 * 409 FUNDS_FROZEN beyond the unfrozen balance. */
static void inst_withdraw_route(sim_req *r)
{
    struct inst *in = inst_get(sim_param(r, "code"));
    if (!in) {
        sim_reply_error(r, 404, "UNKNOWN_INSTITUTION", "模拟器中没有这个机构");
        return;
    }
    json_t *b = sim_body_json(r);
    if (!b) return;
    json_t *a = inst_withdraw(in->code, inst_kind_of(in->code), json_string_value(json_object_get(b, "id_number")),
                              json_string_value(json_object_get(b, "identifier")),
                              json_string_value(json_object_get(b, "control_ref")),
                              json_integer_value(json_object_get(b, "amount_fen")));
    bool done = !strcmp(json_string_value(json_object_get(a, "status")), "done");
    const char *ec = json_string_value(json_object_get(json_object_get(a, "error"), "code"));
    sim_reply_json(r, done ? 200 : ec && !strcmp(ec, "FUNDS_FROZEN") ? 409 : 422, a);
}

static void inst_stats(sim_req *r)
{
    json_t *a = json_array();
    int64_t tot[5] = { 0 };
    for (size_t i = 0; i < g_ninst; i++) {
        struct inst *in = &g_inst[i];
        json_array_append_new(a, json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:i}", "institution", in->code, "batches",
                                           (json_int_t)in->batches, "received", (json_int_t)in->received, "duplicates",
                                           (json_int_t)in->duplicates, "rejected_signature", (json_int_t)in->rejected_sig,
                                           "applied", (json_int_t)in->applied, "max_concurrent", in->max_concurrent));
        tot[0] += in->batches, tot[1] += in->received, tot[2] += in->duplicates, tot[3] += in->rejected_sig,
            tot[4] += in->applied;
    }
    /* ?reset=max_concurrent: start measuring the court's concurrency afresh (after this reply's figures) */
    const char *reset = sim_query(r, "reset");
    for (size_t i = 0; reset && !strcmp(reset, "max_concurrent") && i < g_ninst; i++) g_inst[i].max_concurrent = g_inst[i].outstanding;
    sim_reply_json(r, 200, json_pack("{s:o,s:{s:I,s:I,s:I,s:I,s:I,s:I}}", "institutions", a, "total", "batches",
                                     (json_int_t)tot[0], "received", (json_int_t)tot[1], "duplicates", (json_int_t)tot[2],
                                     "rejected_signature", (json_int_t)tot[3], "applied", (json_int_t)tot[4],
                                     "distinct", (json_int_t)g_seen_n));
}

static const struct sim_route inst_routes[] = {
    { "GET", "/inst/:code/v1/key", inst_key, "机构（模拟）：SM2 公钥" },
    { "POST", "/inst/:code/v1/batch", inst_batch, "机构（模拟）：查询、冻结、续冻、解冻、扣划（签章批量请求）" },
    { "GET", "/inst/:code/v1/controls/:ref", inst_control, "机构（模拟）：冻结（查封）状态" },
    { "POST", "/inst/:code/v1/enrolment", inst_enrol, "机构（模拟）：法院登记签章公钥与回调地址" },
    { "POST", "/inst/:code/v1/withdraw", inst_withdraw_route, "机构（模拟）：账户持有人支取（冻结款项不能支取）" },
    { "GET", "/inst/v1/stats", inst_stats, "机构（模拟）：收到的请求、重复请求、已执行的控制、同时处理的批次（?reset=max_concurrent 重新计）" },
    { "GET", "/inst/v1/enrolments", inst_enrolments, "机构（模拟）：已登记的法院签章公钥" },
    { "GET", "/inst/v1/callbacks", inst_callbacks, "机构（模拟）：最近发出的异步答复回调" },
};
SIM_ROUTES("institutions", inst_routes)
