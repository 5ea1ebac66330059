/* bank_payouts.c — the SIMULATED bank of the court's 执行款专户 (代发/付款, 模拟): it receives the court's
 * payout instructions by API and answers asynchronously. Protocol: docs/api/funds-bank.md.
 *
 *   POST /bank/v1/enrolment   the court lodges its SM2 seal (public key) and its callback (URL + API key
 *                             of partner scope funds:notify); signed with that seal (proof of possession)
 *   POST /bank/v1/payouts     one payout instruction, X-ZX-Signature = the court's SM2 signature over the
 *                             exact body; verified against the enrolled key of body.court.code
 *                             → 202 {"instruction_id","status":"accepted"}; the same instruction_id with the
 *                               same body again → 200 with the current state (idempotent: never paid twice);
 *                               with another body → 409 INSTRUCTION_CONFLICT; no enrolment → 401
 *                               KEY_NOT_ENROLLED; bad signature → 401 BAD_SIGNATURE; bad fields → 400
 *   GET  /bank/v1/payouts/:id the instruction's state (the court's polling fallback), signed request
 *                             not required (the simulator's introspection as well)
 *   GET  /bank/v1/payouts     every instruction (tests)
 * After bank.delay_ms (default 300) the bank decides: an account ending in bank.refuse_suffix (default
 * "0000") is refused (户名账号不符), anything else is paid with a bank reference; the result is posted to the
 * court's callback (POST {callback}, Bearer key, {"payout_id","ok","bank_ref","reason"}) and retried
 * every second up to 10 times until the court answers 2xx. Options: bank.delay_ms, bank.refuse_suffix,
 * bank.down=1 (every instruction answers 503: the court retries with back-off), bank.reject=1 (every new
 * instruction answers 422 INSTRUCTION_REJECTED: the court falls back to the CSV payment file).
 *
 * The bank signs what it says back with its own SM2 key (derived from the seed, so it survives a restart):
 * every JSON answer of /bank/v1/payouts… and every callback carry X-ZX-Signature over the exact body;
 * the enrolment answer hands the court the bank's public key (also GET /bank/v1/key), which the court pins
 * and verifies the bank's answers against. bank.bad_signature=1 signs with a wrong key (tests). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "inquiry/sm2.h"
#include "sim.h"

typedef struct enrol {
    char court[32], cb[512], key[96], fp[65];
    char *pem;
} enrol;
static enrol g_enrol[64];
static int g_nenrol;

typedef struct instr {
    char id[40], court[32], status[16], bank_ref[40], reason[96];
    char digest[65];    /* SM3 of the body: the same id with another body is a conflict */
    json_t *body;
    int callback_tries; /* posts of the result to the court */
    char *cb_body;      /* the last callback posted (tests replay and tamper with it) */
    char cb_sig[ZX_SM2_SIG_HEX_MAX];
    long callback_status;
    int64_t at_ms;
} instr;
static instr *g_ins;
static int g_nins, g_cap;
static long g_resent, g_rejected_sig;

/* The bank's own signing key (and a wrong one for bank.bad_signature). */
static zx_sm2_key *g_key, *g_wrong;
static char *g_pem;
static char g_fp[65];

static zx_sm2_key *bank_key(void)
{
    if (!g_key) {
        const char *seed = "zhixing-sim|bank|payouts";
        uint8_t secret[32];
        zx_sm3(seed, strlen(seed), secret);
        g_key = zx_sm2_derive(secret);
        if (!g_key) abort();
        g_pem = zx_sm2_public_pem(g_key);
        zx_sm2_fingerprint(g_key, g_fp);
    }
    return g_key;
}

static int bank_sign(const char *s, size_t n, char sig[ZX_SM2_SIG_HEX_MAX])
{
    zx_sm2_key *k = bank_key();
    if (sim_option_long("bank.bad_signature", 0)) {
        if (!g_wrong) g_wrong = zx_sm2_generate();
        k = g_wrong;
    }
    return zx_sm2_sign(k, s, n, sig, ZX_SM2_SIG_HEX_MAX);
}

/* A JSON answer signed by the bank. Steals body. */
static void reply_signed(sim_req *r, int status, json_t *body)
{
    char *s = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char sig[ZX_SM2_SIG_HEX_MAX];
    if (s && bank_sign(s, strlen(s), sig) == 0) sim_add_header(r, "X-ZX-Signature", sig);
    sim_add_header(r, "X-ZX-Key-Fingerprint", g_fp);
    sim_reply_raw(r, status, "application/json; charset=utf-8", s ? s : "{}", s ? strlen(s) : 2);
    free(s);
}

static enrol *enrol_of(const char *court)
{
    for (int i = 0; i < g_nenrol; i++)
        if (!strcmp(g_enrol[i].court, court)) return &g_enrol[i];
    return NULL;
}

static instr *instr_of(const char *id)
{
    for (int i = 0; i < g_nins; i++)
        if (!strcmp(g_ins[i].id, id)) return &g_ins[i];
    return NULL;
}

static json_t *instr_json(const instr *in)
{
    return json_pack("{s:s,s:s,s:s,s:o,s:o,s:i,s:I,s:I,s:o,s:o}", "instruction_id", in->id, "court", in->court, "status",
                     in->status, "bank_ref", *in->bank_ref ? json_string(in->bank_ref) : json_null(), "reason",
                     *in->reason ? json_string(in->reason) : json_null(), "callback_tries", in->callback_tries,
                     "callback_status", (json_int_t)in->callback_status, "amount_fen",
                     (json_int_t)json_integer_value(json_object_get(in->body, "amount_fen")), "callback_body",
                     in->cb_body ? json_string(in->cb_body) : json_null(), "callback_signature",
                     *in->cb_sig ? json_string(in->cb_sig) : json_null());
}

static void bank_enrol(sim_req *r)
{
    const char *sig = sim_header(r, "X-ZX-Signature");
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *court = json_string_value(json_object_get(json_object_get(b, "court"), "code"));
    const char *pem = json_string_value(json_object_get(b, "public_key"));
    const char *cb = json_string_value(json_object_get(json_object_get(b, "callback"), "url"));
    const char *key = json_string_value(json_object_get(json_object_get(b, "callback"), "api_key"));
    if (!court || !pem || !cb || strncmp(cb, "http", 4) || !key || strlen(key) >= sizeof g_enrol[0].key ||
        strlen(court) >= sizeof g_enrol[0].court || strlen(cb) >= sizeof g_enrol[0].cb) {
        sim_reply_error(r, 400, "BAD_REQUEST", "登记请求缺少法院、公钥、回调地址或回调凭证");
        return;
    }
    zx_sm2_key *ck = zx_sm2_from_public_pem(pem);
    char fp[65] = "";
    int ok = ck && sig && zx_sm2_verify(ck, r->body, r->body_len, sig) && zx_sm2_fingerprint(ck, fp) == 0;
    zx_sm2_free(ck);
    if (!ok) {
        g_rejected_sig++;
        sim_reply_error(r, 401, "BAD_SIGNATURE", "电子签章验证失败");
        return;
    }
    enrol *e = enrol_of(court);
    if (!e) {
        if (g_nenrol == 64) {
            sim_reply_error(r, 503, "FULL", "登记已满");
            return;
        }
        e = &g_enrol[g_nenrol++];
    }
    free(e->pem);
    snprintf(e->court, sizeof e->court, "%s", court);
    snprintf(e->cb, sizeof e->cb, "%s", cb);
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->fp, sizeof e->fp, "%s", fp);
    e->pem = strdup(pem);
    bank_key();
    reply_signed(r, 200, json_pack("{s:s,s:s,s:b,s:s,s:s}", "court", court, "fingerprint", fp, "enrolled", 1, "bank_public_key",
                                   g_pem, "bank_fingerprint", g_fp));
}

static void deliver(void *arg);

static void delivered(void *arg, long status, const char *resp, size_t len)
{
    (void)resp;
    (void)len;
    instr *in = instr_of((const char *)arg);
    free(arg);
    if (!in) return;
    in->callback_status = status;
    if ((status < 200 || status >= 300) && in->callback_tries < 10) sim_after(1000, deliver, strdup(in->id));
}

/* Post the result to the court's callback (Bearer: the key lodged at enrolment). */
static void deliver(void *arg)
{
    instr *in = instr_of((const char *)arg);
    free(arg);
    if (!in) return;
    enrol *e = enrol_of(in->court);
    if (!e) return;
    bool ok = !strcmp(in->status, "paid");
    json_t *body = json_pack("{s:s,s:b,s:o,s:o}", "payout_id", in->id, "ok", ok, "bank_ref",
                             ok ? json_string(in->bank_ref) : json_null(), "reason", ok ? json_null() : json_string(in->reason));
    char *txt = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    char auth[128], sh[200];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", e->key);
    if (bank_sign(txt, strlen(txt), in->cb_sig)) in->cb_sig[0] = 0;
    snprintf(sh, sizeof sh, "X-ZX-Signature: %s", in->cb_sig);
    free(in->cb_body);
    in->cb_body = strdup(txt);
    const char *hdrs[] = { auth, sh, NULL };
    in->callback_tries++;
    sim_post(e->cb, "application/json", txt, strlen(txt), hdrs, 5000, delivered, strdup(in->id));
    free(txt);
}

/* The bank's decision, some time after acceptance. */
static void decide(void *arg)
{
    instr *in = instr_of((const char *)arg);
    free(arg);
    if (!in || strcmp(in->status, "accepted")) return;
    const char *acct = json_string_value(json_object_get(json_object_get(in->body, "payee"), "account"));
    const char *suffix = sim_option("bank.refuse_suffix");
    if (!suffix) suffix = "0000";
    size_t n = acct ? strlen(acct) : 0, m = strlen(suffix);
    if (!acct || (m > 0 && n >= m && !strcmp(acct + n - m, suffix))) {
        snprintf(in->status, sizeof in->status, "refused");
        snprintf(in->reason, sizeof in->reason, "收款人户名与账号不符，银行退回");
    } else {
        snprintf(in->status, sizeof in->status, "paid");
        /* a bank serial as banks print them: digits only (the simulated bank's prefix 9 then 19 digits) */
        snprintf(in->bank_ref, sizeof in->bank_ref, "9%019llu",
                 (unsigned long long)(sim_hash64(in->id, 0x70617921) % 10000000000000000000ULL));
    }
    deliver(strdup(in->id));
}

static void bank_payout(sim_req *r)
{
    if (sim_option_long("bank.down", 0)) {
        sim_reply_error(r, 503, "UNAVAILABLE", "银行系统维护中");
        return;
    }
    const char *sig = sim_header(r, "X-ZX-Signature");
    json_t *b = sim_body_json(r);
    if (!b) return;
    const char *id = json_string_value(json_object_get(b, "instruction_id"));
    const char *court = json_string_value(json_object_get(json_object_get(b, "court"), "code"));
    if (!court) {
        sim_reply_error(r, 400, "BAD_REQUEST", "付款指令缺少法院");
        return;
    }
    enrol *e = enrol_of(court);
    if (!e) {
        sim_reply_error(r, 401, "KEY_NOT_ENROLLED", "该法院的电子签章未在本行登记");
        return;
    }
    zx_sm2_key *ck = zx_sm2_from_public_pem(e->pem);
    int ok = ck && sig && zx_sm2_verify(ck, r->body, r->body_len, sig);
    zx_sm2_free(ck);
    if (!ok) {
        g_rejected_sig++;
        sim_reply_error(r, 401, "BAD_SIGNATURE", "电子签章验证失败");
        return;
    }
    json_t *payee = json_object_get(b, "payee");
    json_t *amt = json_object_get(b, "amount_fen");
    if (!id || !*id || strlen(id) >= sizeof g_ins[0].id || !json_is_integer(amt) || json_integer_value(amt) <= 0 ||
        !json_string_value(json_object_get(payee, "name")) || !json_string_value(json_object_get(payee, "account"))) {
        sim_reply_error(r, 400, "BAD_REQUEST", "付款指令缺少编号、金额或收款人");
        return;
    }
    unsigned char d[32];
    char digest[65];
    zx_sm3(r->body, r->body_len, d);
    zx_hex(d, 32, digest);
    instr *in = instr_of(id);
    if (in) { /* idempotent by instruction id */
        if (strcmp(in->digest, digest)) {
            sim_reply_error(r, 409, "INSTRUCTION_CONFLICT", "同一指令编号的内容不一致");
            return;
        }
        g_resent++;
        reply_signed(r, 200, instr_json(in));
        return;
    }
    if (sim_option_long("bank.reject", 0)) {
        sim_reply_error(r, 422, "INSTRUCTION_REJECTED", "本行暂不受理该类付款指令，请以付款文件办理");
        return;
    }
    if (g_nins == g_cap) {
        g_cap = g_cap ? g_cap * 2 : 64;
        instr *ni = realloc(g_ins, (size_t)g_cap * sizeof *g_ins);
        if (!ni) {
            sim_reply_error(r, 503, "FULL", "内存不足");
            return;
        }
        g_ins = ni;
    }
    in = &g_ins[g_nins++];
    memset(in, 0, sizeof *in);
    snprintf(in->id, sizeof in->id, "%s", id);
    snprintf(in->court, sizeof in->court, "%s", court);
    snprintf(in->status, sizeof in->status, "accepted");
    snprintf(in->digest, sizeof in->digest, "%s", digest);
    in->body = json_incref(b);
    in->at_ms = sim_now_ms();
    sim_after((unsigned)sim_option_long("bank.delay_ms", 300), decide, strdup(id));
    reply_signed(r, 202, instr_json(in));
}

static void bank_payout_get(sim_req *r)
{
    instr *in = instr_of(sim_param(r, "id"));
    if (!in) {
        sim_reply_error(r, 404, "NOT_FOUND", "无此付款指令");
        return;
    }
    reply_signed(r, 200, instr_json(in));
}

static void bank_pubkey(sim_req *r)
{
    bank_key();
    sim_reply_json(r, 200, json_pack("{s:s,s:s}", "public_key", g_pem, "fingerprint", g_fp));
}

static void bank_payouts(sim_req *r)
{
    json_t *a = json_array();
    for (int i = 0; i < g_nins; i++) json_array_append_new(a, instr_json(&g_ins[i]));
    sim_reply_json(r, 200, json_pack("{s:o,s:i,s:I,s:I,s:i}", "items", a, "total", g_nins, "resent", (json_int_t)g_resent,
                                     "rejected_signatures", (json_int_t)g_rejected_sig, "enrolled", g_nenrol));
}

static const struct sim_route bank_routes[] = {
    { "POST", "/bank/v1/enrolment", bank_enrol, "专户银行（模拟）：法院登记电子签章与回调" },
    { "POST", "/bank/v1/payouts", bank_payout, "专户银行（模拟）：接收付款指令（SM2签名，按指令编号幂等）" },
    { "GET", "/bank/v1/payouts/:id", bank_payout_get, "专户银行（模拟）：付款指令状态" },
    { "GET", "/bank/v1/payouts", bank_payouts, "专户银行（模拟）：全部付款指令" },
    { "GET", "/bank/v1/key", bank_pubkey, "专户银行（模拟）：本行 SM2 公钥（付款结果签名）" },
};
SIM_ROUTES("bank_payouts", bank_routes)
