/* common.c — small helpers shared by the auction files: errors, instants as ISO-8601, case events. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auction/auction.h"
#include "case/case.h"
#include "core/date.h"
#include "core/ids.h"

void zx_au_fail(zx_au_err *e, int status, const char *code, const char *fmt, ...)
{
    e->status = status;
    e->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

void zx_au_reply_err(zx_req *r, const zx_au_err *e)
{
    zx_reply_error(r, e->status ? e->status : 500, e->code ? e->code : "INTERNAL", "%s",
                   e->message[0] ? e->message : "服务器内部错误");
}

void zx_au_iso(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    char tmp[96];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
             tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100, (int)((ms % 1000 + 1000) % 1000));
    memcpy(out, tmp, 31);
    out[31] = 0;
}

int zx_au_parse_iso(const char *s, int64_t *ms)
{
    if (!s) return -1;
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6) return -1;
    if (!zx_date_valid_ymd(y, mo, d) || h > 23 || mi > 59 || sec > 59) return -1;
    const char *p = s + n;
    int millis = 0;
    if (*p == '.') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            if (digits < 3) millis = millis * 10 + (*p - '0');
            digits++;
            p++;
        }
        if (!digits) return -1;
        while (digits < 3) millis *= 10, digits++;
    }
    int64_t off_min = 0;
    if (*p == 'Z') p++;
    else if (*p == '+' || *p == '-') {
        int oh, om;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2) return -1;
        off_min = (*p == '+' ? 1 : -1) * (oh * 60 + om);
        p += 6;
    } else
        return -1;
    if (*p) return -1;
    int64_t days = zx_date_from_ymd(y, mo, d);
    *ms = ((days * 86400 + h * 3600 + mi * 60 + sec) - off_min * 60) * 1000 + millis;
    return 0;
}

int64_t zx_au_case_event(db_conn *c, int64_t case_id, int64_t user_id, const char *kind, const char *step,
                     const char *label, json_t *data)
{
    zx_case k;
    if (zx_case_load(c, case_id, &k)) return -1;
    zx_case_events ev;
    if (zx_case_events_load(c, case_id, &ev)) return -1;
    json_t *d = data ? json_deep_copy(data) : json_object();
    if (step) json_object_set_new(d, "step", json_string(step));
    if (label) json_object_set_new(d, "label", json_string(label));
    int seq = 0;
    int64_t eid = zx_case_event_add(c, &ev, case_id, user_id, kind ? kind : "disposal", k.stage, zx_today(), d, &seq);
    json_decref(d);
    int rc = eid < 0 || zx_case_sync_clocks(c, &k, &ev) || zx_case_save(c, &k) ? -1 : 0;
    zx_case_events_free(&ev);
    return rc < 0 ? -1 : eid;
}
