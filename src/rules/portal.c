/* portal.c — the party portal's numbers (see portal.h). */
#include "rules/portal.h"
#include <string.h>

zx_date zx_deadline_reward_decision(zx_date applied)
{
    return zx_cal_period_end_days(applied, ZX_REWARD_DECIDE_DAYS); /* 财产调查规定 art 21 */
}

zx_date zx_deadline_application(const char *kind, zx_date on)
{
    if (kind && !strcmp(kind, "resume")) return zx_cal_period_end_days(on, ZX_RESUME_FILING_DAYS); /* 执行工作规定 art 16 */
    return zx_cal_period_end_days(on, ZX_OBJECTION_FILING_DAYS);                                   /* 异议复议规定 art 2 */
}

zx_date zx_deadline_message_reply(zx_date on, int days)
{
    if (days < 1 || days > ZX_REPLY_DAYS_MAX) days = ZX_REPLY_DAYS_DEFAULT;
    return zx_cal_add_working_days(on, days);
}

int64_t zx_reward_earned(int64_t amount_fen, int percent_bp, int64_t recovered_fen)
{
    if (recovered_fen <= 0) return 0; /* 财产调查规定 art 24: only a tip that led to recovery earns it */
    int64_t r = amount_fen > 0 ? amount_fen : (percent_bp > 0 ? recovered_fen / 10000 * percent_bp + recovered_fen % 10000 * percent_bp / 10000 : 0);
    return r > recovered_fen ? recovered_fen : r; /* art 24: deducted from that money */
}

bool zx_lawyer_licence_valid(const char *s)
{
    if (!s || strlen(s) != 17) return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') return false;
    return true;
}

bool zx_portal_contact_phone_valid(const char *s)
{
    if (!s) return false;
    size_t n = strlen(s), digits = 0;
    if (n < 5 || n > 40) return false;
    static const char *const multi[] = { "（", "）", "转", "、", NULL };
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= '0' && ch <= '9') digits++, i++;
        else if (strchr("- ()/", ch) && ch) i++;
        else {
            size_t k = 0;
            for (; multi[k]; k++)
                if (!strncmp(s + i, multi[k], strlen(multi[k]))) break;
            if (!multi[k]) return false;
            i += strlen(multi[k]);
        }
    }
    return digits >= 5;
}
