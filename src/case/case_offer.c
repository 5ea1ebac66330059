/* case_offer.c — the actions offered to a caller on a case (see case_offer.h). */
#include <string.h>

#include "account/authz.h"
#include "case/case_offer.h"

/* Mirrors zx_authz_case's write rule without replying. */
static bool may_write(db_conn *c, const zx_case *k, const zx_principal *w)
{
    if (w->court_id != k->court_id) return false;
    if (k->handler_id && k->handler_id == w->user_id) return true;
    if (w->roles & ROLE_CHIEF) return true;
    if (k->team_id && (w->roles & ROLE_CASE_WORK) && zx_team_has_member(c, k->team_id, w->user_id)) return true;
    return false;
}

static const char *label_of(json_t *meta, const char *kind)
{
    size_t i;
    json_t *a;
    json_array_foreach(meta, i, a) if (!strcmp(json_string_value(json_object_get(a, "kind")), kind))
        return json_string_value(json_object_get(a, "label"));
    return "办理";
}

static void add(json_t *arr, const char *kind, const char *label, const char *group, bool approval)
{
    json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:b}", "kind", kind, "label", label, "group", group,
                                         "approval", approval));
}

void zx_case_offer(db_conn *c, const zx_case *k, json_t *o, const zx_principal *w)
{
    json_t *out = json_array();
    if (!w || w->kind != ZX_USER) {
        json_object_set_new(o, "actions", out);
        return;
    }
    bool same = w->court_id == k->court_id;
    bool chief = same && (w->roles & ROLE_CHIEF);
    bool write = may_write(c, k, w);
    bool open = strcmp(k->status, "closed") != 0;
    /* 分案: filing clerks while the case is at filing, judges while nobody handles it, the chief, the handler */
    bool assign = same && open &&
                  ((w->roles & ROLE_CHIEF) || ((w->roles & ROLE_FILING_CLERK) && !strcmp(k->stage, "filing")) ||
                   ((w->roles & ROLE_JUDGE) && (!k->handler_id || k->handler_id == w->user_id)));
    if (assign) add(out, "assign", k->handler_id ? "改派承办人" : "分案", "case", false);
    if (write && (w->roles & ROLE_CASE_WORK)) {
        json_t *meta = zx_case_actions_meta();
        size_t i;
        json_t *v;
        json_array_foreach(json_object_get(o, "allowed_actions"), i, v) {
            const char *kind = json_string_value(v);
            if (!kind) continue;
            if (!strcmp(kind, "extension_approval") && !chief) continue; /* decided in the inbox */
            bool approval = !chief && (!strcmp(kind, "chief_approval") || !strcmp(kind, "coercive_measure") || !strcmp(kind, "restriction_order"));
            add(out, kind, label_of(meta, kind), "node", approval);
        }
        json_decref(meta);
        /* 结案 is offered to whoever may close (route mask ROLE_CASE_WORK) even when no mode's conditions
         * are met yet: the dialog shows which are met ("modes") and a refusal lists what is missing */
        json_t *modes = json_object_get(o, "allowed_closures");
        if (open) {
            json_t *cl = json_pack("{s:s,s:s,s:s,s:b,s:O}", "kind", "close", "label", "结案", "group", "case",
                                   "approval", false, "modes", modes ? modes : json_array());
            json_array_append_new(out, cl);
        }
    }
    /* 恢复执行: a closed case, by whoever may write it among judges and chiefs (route mask of /resume) */
    if (!open && same && (w->roles & (ROLE_FILING_CLERK | ROLE_JUDGE | ROLE_CHIEF)) &&
        write && json_array_size(json_object_get(o, "allowed_resume_reasons")) > 0) /* a reason fits (rules/closure.c) */
        add(out, "resume", "恢复执行", "case", false);
    json_object_set_new(o, "actions", out);
}
