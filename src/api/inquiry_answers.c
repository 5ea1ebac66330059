/* inquiry_answers.c — asynchronous answers of institutions (网络执行查控 callbacks):
 *
 *   POST /api/v1/inquiry/answers   partner scope inquiry:answer (the API key the court issued to the
 *                                  institution at enrolment, docs/api/inquiry-protocol.md)
 *
 * The body is an answer batch of the protocol, signed by the institution (header X-ZX-Signature over
 * the exact body bytes) and verified against the institution's pinned key. The API key must belong to
 * the institution the body names. Only answers for that institution's requests still waiting (sent or
 * acknowledged) take effect — in one transaction with their effects (src/inquiry/apply.c); an answer
 * for a request already settled (a replayed or repeated callback) changes nothing. Every callback,
 * refused ones included, leaves an audit record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit/audit.h"
#include "http/http.h"
#include "inquiry/inquiry.h"

static void refuse(zx_req *r, int64_t inst_id, int status, const char *code, const char *msg)
{
    char detail[120];
    snprintf(detail, sizeof detail, "{\"refused\":\"%s\"}", code);
    zx_audit_req_tx(r, "inquiry.callback", "institution", inst_id, "denied", detail);
    zx_reply_error(r, status, code, "%s", msg);
}

static void answers_post(zx_req *r)
{
    const char *sig = zx_header(r, "x-zx-signature");
    json_t *b = zx_body_json(r);
    if (!b) return;
    const char *code = json_string_value(json_object_get(b, "institution"));
    const char *proto = json_string_value(json_object_get(b, "protocol"));
    json_t *answers = json_object_get(b, "answers");
    if (!proto || strcmp(proto, ZX_INQ_PROTOCOL) || !code || !json_is_array(answers))
        return refuse(r, 0, 400, "MALFORMED_ANSWER", "答复格式不符合协议（protocol、institution、answers）");
    db_conn *c = zx_db(r);
    int64_t inst_id = 0, partner = 0;
    char kind[32] = "";
    zx_sm2_key *key = NULL;
    db_stmt *s = db_prepare(c, "SELECT id, kind, public_key, partner_id FROM inquiry_institution WHERE code = ?");
    if (!s) return zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
    db_bind_text(s, 1, code, -1);
    if (db_step(s) == DB_ROW) {
        inst_id = db_col_int64(s, 0);
        snprintf(kind, sizeof kind, "%s", db_col_text(s, 1));
        if (db_col_text(s, 2)) key = zx_sm2_from_public_pem(db_col_text(s, 2));
        partner = db_col_int64(s, 3);
    }
    db_finalize(s);
    if (!inst_id) {
        zx_sm2_free(key);
        return refuse(r, 0, 404, "UNKNOWN_INSTITUTION", "没有登记该协助执行单位");
    }
    if (!partner || partner != r->who.partner_id) {
        zx_sm2_free(key);
        return refuse(r, inst_id, 403, "WRONG_INSTITUTION", "该凭证不属于答复中所称的机构");
    }
    if (!sig || !*sig) {
        zx_sm2_free(key);
        return refuse(r, inst_id, 401, "UNSIGNED", "答复未签章");
    }
    int ok = key && zx_sm2_verify(key, r->body, r->body_len, sig);
    zx_sm2_free(key);
    if (!ok) return refuse(r, inst_id, 401, "BAD_SIGNATURE", "答复签章验证失败");
    if (db_begin(c)) return zx_reply_error(r, 503, "UNAVAILABLE", "存储暂不可用");
    int applied = 0, dup = 0, unknown = 0;
    if (zx_inq_apply_callback(c, inst_id, kind, answers, r->body, r->body_len, sig, &applied, &dup, &unknown) || db_commit(c)) {
        db_rollback(c);
        return zx_reply_error(r, 503, "UNAVAILABLE", "答复暂无法入库，请稍后重发");
    }
    if (applied) zx_inq_wake(); /* operations waiting for these (a deduction after its freeze) */
    zx_reply_json(r, 200, json_pack("{s:i,s:i,s:i}", "applied", applied, "repeated", dup, "unknown", unknown));
}

static const struct zx_route inquiry_answer_routes[] = {
    { "POST", "/api/v1/inquiry/answers", answers_post, ZX_R_PARTNER, 0, "inquiry:answer",
      "协助执行单位异步答复回调（签章验证，幂等）" },
};
ZX_ROUTES(inquiry_answer_routes)
