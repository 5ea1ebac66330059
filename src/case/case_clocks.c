/* case_clocks.c — the case's clocks and per-step deadlines, derived from its event log and written to
 * case_deadline so that to-do lists are one indexed read (see case.h; rules in rules/clocks.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account/court_setting.h"
#include "app.h"
#include "case/case.h"
#include "rules/clocks.h"

static const struct { const char *start, *end; int kind; } pause_kinds[] = {
    { "notice_by_publication_start", "notice_by_publication_end", ZX_PAUSE_PUBLICATION }, /* 审限规定 art 9 公告 */
    { "valuation_start", "valuation_end", ZX_PAUSE_VALUATION },                          /* 鉴定评估 */
    { "auction_start", "auction_end", ZX_PAUSE_AUCTION },                                /* 拍卖/变卖 */
    { "suspension_start", "suspension_end", ZX_PAUSE_SUSPENSION },                       /* 中止/暂缓 */
    { "jurisdiction_dispute_start", "jurisdiction_dispute_end", ZX_PAUSE_DISPUTE },      /* 执行程序解释 10 */
};
#define NPK (sizeof pause_kinds / sizeof pause_kinds[0])

/* Collect pause intervals from events. Returns count; running pauses have end = ZX_DATE_NONE. */
static size_t collect_pauses(const zx_case_events *ev, zx_pause *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < NPK; k++) {
        zx_date open = ZX_DATE_NONE;
        for (int i = 0; i < ev->n; i++) {
            if (!strcmp(ev->v[i].kind, pause_kinds[k].start) && open == ZX_DATE_NONE) open = ev->v[i].on_date;
            else if (!strcmp(ev->v[i].kind, pause_kinds[k].end) && open != ZX_DATE_NONE) {
                if (n < cap) out[n++] = (zx_pause){ pause_kinds[k].kind, open, ev->v[i].on_date };
                open = ZX_DATE_NONE;
            }
        }
        if (open != ZX_DATE_NONE && n < cap) out[n++] = (zx_pause){ pause_kinds[k].kind, open, ZX_DATE_NONE };
    }
    return n;
}

/* The case's time limit per its type (rules/clocks.h zx_limit_rule). */
static zx_date case_limit(const zx_case *k, int deducted)
{
    const zx_limit_rule *lr = zx_limit_rule_for(k->type_code);
    int units = lr->unit == ZX_UNIT_MONTHS ? k->extension_months : k->extension_days;
    int legacy = lr->unit == ZX_UNIT_MONTHS ? k->extension_days : 0;
    return zx_clock_limit_for(lr, k->filed_on, k->non_litigation, deducted, units, legacy);
}

static bool is_implementation(const zx_case *k)
{
    return !strcmp(k->type_code, "执") || !strcmp(k->type_code, "执恢");
}

int zx_case_warn_lead(const char *kind)
{
    int lead = zx_g ? zx_g->cfg.warn_lead_days : 3;
    if (lead < 0) lead = 3;
    /* The time limit warns at least 5 days ahead: extensions must be asked for then (期限规定 art 1). */
    if (kind && !strcmp(kind, "time_limit") && lead < ZX_EXTENSION_WINDOW_DAYS) lead = ZX_EXTENSION_WINDOW_DAYS;
    /* A payout deadline becomes a to-do row only when the funds module warns (the court's own lead,
     * funds.warning_days ≤ 15): from then on it is a warning until it is overdue. */
    if (kind && !strcmp(kind, "funds_payout")) lead = ZX_FUNDS_PAYOUT_LEAD_DAYS;
    /* A freeze or seizure must be renewed before its legal end date (民诉解释 art 485): warned a month ahead. */
    if (kind && !strcmp(kind, "control_renewal")) lead = ZX_CONTROL_WARN_LEAD_DAYS;
    return lead;
}

json_t *zx_control_warn_days_parse(json_t *v, char *why, size_t whylen)
{
    if (!json_is_array(v) || json_array_size(v) < 1 || json_array_size(v) > 3) {
        snprintf(why, whylen, "预警天数须为1至3个整数（如 30、15、7）");
        return NULL;
    }
    int d[3], n = 0;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
    {
        if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 365) {
            snprintf(why, whylen, "预警天数须为1至365之间的整数");
            return NULL;
        }
        int day = (int)json_integer_value(x);
        for (int j = 0; j < n; j++)
            if (d[j] == day) {
                snprintf(why, whylen, "预警天数不能重复（%d）", day);
                return NULL;
            }
        d[n++] = day;
    }
    for (int a = 0; a < n; a++) /* largest first: the first warning, then the more urgent ones */
        for (int b = a + 1; b < n; b++)
            if (d[b] > d[a]) {
                int t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
    json_t *out = json_array();
    for (int j = 0; j < n; j++) json_array_append_new(out, json_integer(d[j]));
    return out;
}

json_t *zx_control_warn_days(db_conn *c, int64_t court_id)
{
    int64_t from = 0;
    char *txt = zx_court_setting_get(c, court_id, "inquiry.expiry_warn_days", &from);
    json_t *v = txt ? json_loads(txt, 0, NULL) : NULL;
    free(txt);
    char why[80];
    json_t *out = v ? zx_control_warn_days_parse(v, why, sizeof why) : NULL;
    json_decref(v);
    return out ? out : json_pack("[i,i,i]", ZX_CONTROL_WARN_LEAD_DAYS, 15, 7);
}

int zx_control_warn_lead(db_conn *c, int64_t court_id)
{
    json_t *w = zx_control_warn_days(c, court_id);
    int lead = (int)json_integer_value(json_array_get(w, 0));
    json_decref(w);
    return lead > 0 ? lead : ZX_CONTROL_WARN_LEAD_DAYS;
}

typedef struct dl {
    const char *kind;
    int ref;
    zx_date due;
    int done;        /* 0 open 1 done 2 paused */
    zx_date done_on;
} dl;

typedef struct dls {
    dl v[64];
    int n;
} dls;

static void dl_add(dls *d, const char *kind, int ref, zx_date due, int done, zx_date done_on)
{
    if (d->n >= 64 || due == ZX_DATE_NONE) return;
    d->v[d->n++] = (dl){ kind, ref, due, done, done_on };
}

static const zx_case_event *first_of(const zx_case_events *ev, const char *kind)
{
    for (int i = 0; i < ev->n; i++)
        if (!strcmp(ev->v[i].kind, kind)) return &ev->v[i];
    return NULL;
}

/* The desired deadline rows for the case. */
static void derive(const zx_case *k, const zx_case_events *ev, dls *d)
{
    d->n = 0;
    bool closed = !strcmp(k->status, "closed");
    const zx_case_event *asg = first_of(ev, "assigned");
    /* 分案 (期限规定 art 2) */
    dl_add(d, "assign", 0, zx_deadline_assign(k->filed_on), asg != NULL || k->handler_id > 0,
           asg ? asg->on_date : ZX_DATE_NONE);
    if (is_implementation(k)) {
        /* 执行通知 (期限规定 art 4; 民诉解释 480) */
        const zx_case_event *nt = first_of(ev, "enforcement_notice");
        dl_add(d, "notice", 0, zx_deadline_notice(k->filed_on, asg ? asg->on_date : ZX_DATE_NONE), nt != NULL,
               nt ? nt->on_date : ZX_DATE_NONE);
        /* 财产调查 one month (期限规定 art 7): done by the first network inquiry */
        const zx_case_event *ni = first_of(ev, "network_inquiry");
        dl_add(d, "investigation", 0, zx_deadline_investigation(k->filed_on), ni != NULL,
               ni ? ni->on_date : ZX_DATE_NONE);
    }
    /* 执行期限 / review cases' 审查期限 (by type: rules/clocks.h zx_limit_rule) */
    dl_add(d, "time_limit", 0, k->limit_date, closed ? 1 : (k->paused_since != ZX_DATE_NONE ? 2 : 0),
           closed ? k->closed_on : ZX_DATE_NONE);
    /* Clues (财产调查规定 art 2) and extension requests. */
    for (int i = 0; i < ev->n; i++) {
        const zx_case_event *e = &ev->v[i];
        if (!strcmp(e->kind, "property_clue")) {
            bool urgent = json_is_true(json_object_get(e->data, "urgent"));
            const zx_case_event *done = NULL;
            for (int j = i + 1; j < ev->n; j++)
                if (!strcmp(ev->v[j].kind, "clue_verified") &&
                    json_integer_value(json_object_get(ev->v[j].data, "clue_seq")) == e->seq) {
                    done = &ev->v[j];
                    break;
                }
            dl_add(d, "clue_verify", e->seq, zx_deadline_clue(e->on_date, urgent), done != NULL,
                   done ? done->on_date : ZX_DATE_NONE);
        } else if (!strcmp(e->kind, "extension_request")) {
            const zx_case_event *done = NULL;
            for (int j = i + 1; j < ev->n; j++)
                if (!strcmp(ev->v[j].kind, "extension_approval")) {
                    done = &ev->v[j];
                    break;
                }
            zx_date due = k->limit_date;
            if (done) { /* the decision was due by the limit as it stood before the approval */
                due = done->on_date;
            }
            dl_add(d, "extension_decision", e->seq, due, done != NULL, done ? done->on_date : ZX_DATE_NONE);
        } else if (!strcmp(e->kind, "funds_payout_warning")) {
            /* the funds module's warning before the payout limit (src/funds/alerts.c): open until its
             * funds_payout_cleared (paid, escrowed or deferred) */
            const char *due_s = json_string_value(json_object_get(e->data, "due_on"));
            zx_date due;
            if (!due_s || zx_date_parse(due_s, &due)) continue;
            const zx_case_event *done = NULL;
            for (int j = i + 1; j < ev->n && !done; j++)
                if (!strcmp(ev->v[j].kind, "funds_payout_cleared") &&
                    json_integer_value(json_object_get(ev->v[j].data, "ref_seq")) == e->seq)
                    done = &ev->v[j];
            dl_add(d, "funds_payout", e->seq, due, done != NULL, done ? done->on_date : ZX_DATE_NONE);
        } else if (!strcmp(e->kind, "party_message") || !strcmp(e->kind, "reward_applied")) {
            /* the party portal (src/portal): a message's reply clock (the court's setting, its due date in
             * the event) and a 悬赏 application's decision (财产调查规定 art 21) */
            bool msg = !strcmp(e->kind, "party_message");
            const char *due_s = json_string_value(json_object_get(e->data, "due_on"));
            zx_date due;
            if (!due_s || zx_date_parse(due_s, &due)) continue;
            const zx_case_event *done = NULL;
            for (int j = i + 1; j < ev->n && !done; j++)
                if (!strcmp(ev->v[j].kind, msg ? "party_message_replied" : "reward_decided") &&
                    json_integer_value(json_object_get(ev->v[j].data, "ref_seq")) == e->seq)
                    done = &ev->v[j];
            dl_add(d, msg ? "message_reply" : "reward_decision", e->seq, due, done != NULL,
                   done ? done->on_date : ZX_DATE_NONE);
        }
    }
    /* Controls taken through the network inquiry system (src/inquiry: control_measure events with
     * source "system", asset_id and until): each freeze / seizure must be renewed before its legal end
     * date (民诉解释 art 485) — open until released or lapsed; a renewal moves the date. One row per
     * control, keyed by the seq of the event that took it. */
    {
        struct ctl_dl { const char *asset; int seq; zx_date due; int done; zx_date done_on; } ctl[32];
        int nc = 0;
        for (int i = 0; i < ev->n; i++) {
            const zx_case_event *e = &ev->v[i];
            if (strcmp(e->kind, "control_measure") != 0) continue;
            const char *src = json_string_value(json_object_get(e->data, "source"));
            const char *m = json_string_value(json_object_get(e->data, "measure"));
            const char *aid = json_string_value(json_object_get(e->data, "asset_id"));
            const char *until_s = json_string_value(json_object_get(e->data, "until"));
            if (!src || strcmp(src, "system") || !m || !aid) continue;
            int at = -1;
            for (int j = nc - 1; j >= 0 && at < 0; j--)
                if (!strcmp(ctl[j].asset, aid) && !ctl[j].done) at = j;
            zx_date u;
            bool has_until = until_s && zx_date_parse(until_s, &u) == 0;
            if ((!strcmp(m, "freeze") || !strcmp(m, "seize")) && has_until && nc < 32)
                ctl[nc++] = (struct ctl_dl){ aid, e->seq, u, 0, ZX_DATE_NONE };
            else if (at >= 0 && !strcmp(m, "renew") && has_until) ctl[at].due = u;
            else if (at >= 0 && (!strcmp(m, "release") || !strcmp(m, "lapse"))) {
                ctl[at].done = 1;
                ctl[at].done_on = e->on_date;
            }
        }
        /* A case ended otherwise than by 终本 (执行完毕, 终结执行 …): its controls are to be released now
         * (查封规定 art 28: 债务已经清偿, 撤回执行申请 … → 应当作出解除裁定) — due on the closing day. */
        bool ended = closed && strcmp(k->closure_mode, "interim_closure") != 0 && k->closed_on != ZX_DATE_NONE;
        for (int j = 0; j < nc; j++)
            dl_add(d, "control_renewal", ctl[j].seq, ended && !ctl[j].done && k->closed_on < ctl[j].due ? k->closed_on : ctl[j].due,
                   ctl[j].done, ctl[j].done_on);
    }
    /* After 终本: re-inquiry every 6 months for 5 years (终本规定 art 9); each network inquiry made
     * after closure satisfies the earliest open one. */
    if (closed && !strcmp(k->closure_mode, "interim_closure") && k->closed_on != ZX_DATE_NONE) {
        int inquiries = 0;
        const zx_case_event *cl = NULL;
        for (int i = 0; i < ev->n; i++)
            if (!strcmp(ev->v[i].kind, "closed")) cl = &ev->v[i];
        zx_date dates[ZX_REINQUIRY_COUNT];
        for (int i = 0; i < ev->n; i++)
            if (cl && ev->v[i].seq > cl->seq && !strcmp(ev->v[i].kind, "network_inquiry") &&
                inquiries < ZX_REINQUIRY_COUNT)
                dates[inquiries++] = ev->v[i].on_date;
        for (int q = 1; q <= ZX_REINQUIRY_COUNT; q++)
            dl_add(d, "reinquiry", q, zx_deadline_reinquiry(k->closed_on, q), q <= inquiries,
                   q <= inquiries ? dates[q - 1] : ZX_DATE_NONE);
    }
    /* A closed case has nothing left to do except the re-inquiries and its live controls: renewed after
     * 终本 (they stay in force), released otherwise (above). */
    if (closed)
        for (int i = 0; i < d->n; i++)
            if (strcmp(d->v[i].kind, "reinquiry") && strcmp(d->v[i].kind, "control_renewal") && d->v[i].done != 1) {
                d->v[i].done = 1;
                d->v[i].done_on = k->closed_on;
            }
}

int zx_case_sync_clocks(db_conn *c, zx_case *k, const zx_case_events *ev)
{
    zx_pause p[64];
    size_t n = collect_pauses(ev, p, 64);
    zx_pause closed[64];
    size_t m = 0;
    zx_date since = ZX_DATE_NONE;
    bool suspended = false;
    for (size_t i = 0; i < n; i++) {
        if (p[i].end == ZX_DATE_NONE) {
            if (since == ZX_DATE_NONE || p[i].start < since) since = p[i].start;
            if (p[i].kind == ZX_PAUSE_SUSPENSION) suspended = true;
        } else closed[m++] = p[i];
    }
    if (!k->imported || ev->n > 0) { /* imported history keeps its own deducted_days */
        k->deducted_days = zx_clock_deducted_days(closed, m, zx_today());
        k->paused_since = since;
    }
    if (!k->imported || k->limit_date == ZX_DATE_NONE)
        k->limit_date = case_limit(k, k->deducted_days);
    if (strcmp(k->status, "closed") != 0) snprintf(k->status, sizeof k->status, "%s", suspended ? "suspended" : "open");

    dls d;
    derive(k, ev, &d);
    db_stmt *s = db_prepare(c, "DELETE FROM case_deadline WHERE case_id = ?");
    if (!s) return -1;
    db_bind_int64(s, 1, k->id);
    int rc = db_step(s);
    db_finalize(s);
    if (rc != DB_DONE) return -1;
    for (int i = 0; i < d.n; i++) {
        s = db_prepare(c, "INSERT INTO case_deadline (case_id, kind, ref, due_on, done, done_on, court_id, handler_id)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        if (!s) return -1;
        char due[11], don[11];
        zx_date_format(d.v[i].due, due);
        db_bind_int64(s, 1, k->id);
        db_bind_text(s, 2, d.v[i].kind, -1);
        db_bind_int64(s, 3, d.v[i].ref);
        db_bind_text(s, 4, due, -1);
        db_bind_int64(s, 5, d.v[i].done);
        if (d.v[i].done_on != ZX_DATE_NONE) {
            zx_date_format(d.v[i].done_on, don);
            db_bind_text(s, 6, don, -1);
        } else db_bind_null(s, 6);
        db_bind_int64(s, 7, k->court_id);
        if (k->handler_id > 0) db_bind_int64(s, 8, k->handler_id);
        else db_bind_null(s, 8);
        rc = db_step(s);
        db_finalize(s);
        if (rc != DB_DONE) return -1;
    }
    return 0;
}

json_t *zx_case_clocks_json(db_conn *c, const zx_case *k, const zx_case_events *ev)
{
    zx_date today = zx_today();
    json_t *o = json_object();
    const zx_limit_rule *lr = zx_limit_rule_for(k->type_code);
    int base = zx_limit_base(lr, k->non_litigation);
    json_object_set_new(o, "limit_months", lr->unit == ZX_UNIT_MONTHS ? json_integer(base) : json_null());
    json_object_set_new(o, "limit_unit", json_string(lr->unit == ZX_UNIT_MONTHS ? "months" : "days"));
    json_object_set_new(o, "limit_base", json_integer(base));
    json_object_set_new(o, "limit_article", json_string(lr->article));
    json_object_set_new(o, "extension_max", json_integer(lr->ext_max));
    json_object_set_new(o, "extension_granted",
                        json_integer(lr->unit == ZX_UNIT_MONTHS ? k->extension_months : k->extension_days));
    /* Display limit: stored limit plus the running pause so far. */
    zx_date lim = k->limit_date;
    zx_pause p[64];
    size_t n = collect_pauses(ev, p, 64);
    int all = zx_clock_deducted_days(p, n, today);
    if (k->paused_since != ZX_DATE_NONE && lim != ZX_DATE_NONE && !k->imported)
        lim = case_limit(k, all);
    json_object_set_new(o, "limit_date", zx_json_date(lim));
    json_object_set_new(o, "deducted_days_total", json_integer(k->imported ? k->deducted_days : all));
    bool closed = !strcmp(k->status, "closed");
    if (lim != ZX_DATE_NONE && !closed) {
        json_object_set_new(o, "days_left", json_integer(lim - today));
        json_object_set_new(o, "level", json_string(zx_level_code(
            k->paused_since != ZX_DATE_NONE ? ZX_LEVEL_OK : zx_deadline_level(lim, today, zx_case_warn_lead("time_limit")))));
    } else {
        json_object_set_new(o, "days_left", json_null());
        json_object_set_new(o, "level", json_string("ok"));
    }
    /* 超期结案: closed after its time limit (counted in the indicators: closed_late). */
    bool late = closed && lim != ZX_DATE_NONE && k->closed_on != ZX_DATE_NONE && k->closed_on > lim;
    if (closed && lim != ZX_DATE_NONE && k->closed_on != ZX_DATE_NONE)
        json_object_set_new(o, "closed_within_limit", json_boolean(!late));
    json_object_set_new(o, "closed_late", json_boolean(late));
    if (late) json_object_set_new(o, "closed_late_days", json_integer(k->closed_on - lim));
    json_t *paused = json_null();
    for (size_t i = 0; i < n; i++)
        if (p[i].end == ZX_DATE_NONE) {
            static const char *names[] = { "notice_by_publication", "valuation", "auction", "suspension", "jurisdiction_dispute" };
            paused = json_pack("{s:s,s:o}", "kind", names[p[i].kind], "since", zx_json_date(p[i].start));
            break;
        }
    json_object_set_new(o, "paused", paused);
    json_t *arr = json_array();
    db_stmt *s = db_prepare(c, "SELECT kind, ref, due_on, done, done_on FROM case_deadline WHERE case_id = ?"
                               " ORDER BY due_on, kind, ref");
    int ctl_lead = 0; /* the court's first control-expiry warning, read once if a control_renewal row comes */
    if (s) {
        db_bind_int64(s, 1, k->id);
        while (db_step(s) == DB_ROW) {
            const char *kind = db_col_text(s, 0);
            int ki = zx_deadline_kind_from(kind);
            zx_date due;
            if (zx_date_parse(db_col_text(s, 2), &due) != 0) continue;
            int done = (int)db_col_int64(s, 3);
            int lead = !strcmp(kind, "control_renewal") ? (ctl_lead ? ctl_lead : (ctl_lead = zx_control_warn_lead(c, k->court_id)))
                                                        : zx_case_warn_lead(kind);
            const char *lvl = done ? "ok" : zx_level_code(zx_deadline_level(due, today, lead));
            json_t *e = json_pack("{s:s,s:I,s:s,s:s,s:s,s:b,s:b,s:s,s:s}", "kind", kind, "ref",
                                  (json_int_t)db_col_int64(s, 1), "label",
                                  ki >= 0 ? zx_deadline_rules[ki].label : kind, "article",
                                  ki >= 0 ? zx_deadline_rules[ki].article : "", "due_on", db_col_text(s, 2), "done",
                                  done == 1, "paused", done == 2, "level", lvl, "done_on",
                                  db_col_text(s, 4) ? db_col_text(s, 4) : "");
            json_array_append_new(arr, e);
        }
        db_finalize(s);
    }
    json_object_set_new(o, "deadlines", arr);
    return o;
}

int zx_case_refresh(db_conn *c, int64_t case_id)
{
    zx_case k;
    int rc = zx_case_load(c, case_id, &k);
    if (rc) return rc;
    zx_case_events ev;
    if (zx_case_events_load(c, case_id, &ev)) return -1;
    rc = zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    return rc;
}
