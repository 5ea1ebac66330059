/* triage.c — see triage.h. */
#include "rules/triage.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

void zx_triage_default(zx_triage_rules *out)
{
    memset(out, 0, sizeof *out);
    out->n = 1;
    snprintf(out->rules[0].track, sizeof out->rules[0].track, "fast");
    out->rules[0].max_claim_fen = 10000000; /* ¥100,000 */
    out->rules[0].max_debtors = 1;
    out->rules[0].property_clue = 0;
    out->rules[0].non_litigation = -1;
    snprintf(out->dflt, sizeof out->dflt, "complex");
}

static bool track_ok(const char *t) { return t && (strcmp(t, "fast") == 0 || strcmp(t, "complex") == 0); }

static int tri(json_t *o, const char *k, int *out, char *err, size_t errlen)
{
    json_t *v = json_object_get(o, k);
    if (!v || json_is_null(v)) { *out = -1; return 0; }
    if (!json_is_boolean(v)) { snprintf(err, errlen, "%s 应为布尔值", k); return -1; }
    *out = json_is_true(v) ? 1 : 0;
    return 0;
}

int zx_triage_parse(const char *json, zx_triage_rules *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    json_error_t je;
    json_t *root = json_loads(json ? json : "", 0, &je);
    if (!root || !json_is_object(root)) {
        snprintf(err, errlen, "分流规则不是 JSON 对象");
        json_decref(root);
        return -1;
    }
    int rc = -1;
    json_t *rules = json_object_get(root, "rules");
    const char *d = json_string_value(json_object_get(root, "default"));
    if (!track_ok(d)) { snprintf(err, errlen, "default 应为 fast 或 complex"); goto out; }
    snprintf(out->dflt, sizeof out->dflt, "%s", d);
    if (!json_is_array(rules) || json_array_size(rules) > ZX_TRIAGE_MAX_RULES) {
        snprintf(err, errlen, "rules 应为不超过 %d 条的数组", ZX_TRIAGE_MAX_RULES);
        goto out;
    }
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) {
        zx_triage_rule *t = &out->rules[i];
        const char *tr = json_string_value(json_object_get(r, "track"));
        if (!json_is_object(r) || !track_ok(tr)) { snprintf(err, errlen, "rules[%zu].track 无效", i); goto out; }
        snprintf(t->track, sizeof t->track, "%s", tr);
        json_t *m = json_object_get(r, "max_claim_fen");
        t->max_claim_fen = -1;
        if (m && !json_is_null(m)) {
            if (!json_is_integer(m) || json_integer_value(m) < 0) { snprintf(err, errlen, "rules[%zu].max_claim_fen 无效", i); goto out; }
            t->max_claim_fen = json_integer_value(m);
        }
        json_t *md = json_object_get(r, "max_debtors");
        t->max_debtors = -1;
        if (md && !json_is_null(md)) {
            if (!json_is_integer(md) || json_integer_value(md) < 1 || json_integer_value(md) > 1000) { snprintf(err, errlen, "rules[%zu].max_debtors 无效", i); goto out; }
            t->max_debtors = (int)json_integer_value(md);
        }
        if (tri(r, "property_clue", &t->property_clue, err, errlen) || tri(r, "non_litigation", &t->non_litigation, err, errlen))
            goto out;
        out->n++;
    }
    rc = 0;
out:
    json_decref(root);
    return rc;
}

char *zx_triage_dump(const zx_triage_rules *r)
{
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < r->n; i++) {
        const zx_triage_rule *t = &r->rules[i];
        json_t *o = json_object();
        json_object_set_new(o, "track", json_string(t->track));
        if (t->max_claim_fen >= 0) json_object_set_new(o, "max_claim_fen", json_integer(t->max_claim_fen));
        if (t->max_debtors >= 0) json_object_set_new(o, "max_debtors", json_integer(t->max_debtors));
        if (t->property_clue >= 0) json_object_set_new(o, "property_clue", json_boolean(t->property_clue));
        if (t->non_litigation >= 0) json_object_set_new(o, "non_litigation", json_boolean(t->non_litigation));
        json_array_append_new(arr, o);
    }
    json_object_set_new(root, "rules", arr);
    json_object_set_new(root, "default", json_string(r->dflt));
    char *s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return s;
}

const char *zx_triage_decide(const zx_triage_rules *r, int64_t claim_fen, int debtors, bool property_clue,
                             bool non_litigation)
{
    for (size_t i = 0; i < r->n; i++) {
        const zx_triage_rule *t = &r->rules[i];
        if (t->max_claim_fen >= 0 && claim_fen > t->max_claim_fen) continue;
        if (t->max_debtors >= 0 && debtors > t->max_debtors) continue;
        if (t->property_clue >= 0 && (t->property_clue != 0) != property_clue) continue;
        if (t->non_litigation >= 0 && (t->non_litigation != 0) != non_litigation) continue;
        return t->track;
    }
    return r->dflt[0] ? r->dflt : "complex";
}
