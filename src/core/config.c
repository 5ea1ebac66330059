/* config.c — see config.h. Precedence is applied by the caller's order of calls:
 * defaults → file → environment → flags (each later call overrides). */
#include "core/config.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void zx_config_defaults(struct zx_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
    snprintf(c->db, sizeof c->db, "sqlite:var/zhixing.db");
    snprintf(c->web_root, sizeof c->web_root, "web");
    snprintf(c->node_modules, sizeof c->node_modules, "node_modules");
    c->threads = 0;
    c->body_limit = 1u << 20;
    c->upload_limit = 256u << 20;
    c->json_depth = 32;
    c->idle_timeout_min = 30;   /* security.md §1.1: idle logout */
    c->session_max_hours = 12;  /* ASVS 3.3.2 absolute limit */
    c->lock_failures = 5;       /* security.md §1.1: lock after 5 failures */
    c->lock_minutes = 30;       /* … for 30 minutes */
    c->pbkdf2_iterations = 100000; /* ASVS 2.4.3, 密评 SM3 */
    c->pool_size = 0;
    c->log_level = 1;
    c->warn_lead_days = 3;
    c->node_id = 0;
    c->public_rate_per_min = 30;
    c->access_log = 1;
    c->audit_checkpoint_sec = 300;
    c->audit_retention_days = 365;   /* ≥ 183: 网络安全法 art 21 (network logs kept ≥ 6 months) */
    c->audit_alert_denied_per_min = 30;
    c->totp_required = 1;      /* security.md §1.1 d: a cryptographic second factor for the 三员 */
    snprintf(c->totp_issuer, sizeof c->totp_issuer, "zhixing");
    c->password_max_age_days = 90; /* security.md §1.1: 90-day rotation */
    c->password_history = 5;       /* … last 5 not reused */
    snprintf(c->password_blocklist, sizeof c->password_blocklist, "/usr/share/john/password.lst"); /* Debian john-data */
    c->login_fail_per_min = 20;    /* ASVS 2.2.1 anti-automation, per client address */
    c->hsts = 1;
}

static int parse_int(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v) return -1;
    /* size suffixes for limits: k, m */
    if (*end == 'k' || *end == 'K') { n *= 1024; end++; }
    else if (*end == 'm' || *end == 'M') { n *= 1024 * 1024; end++; }
    while (isspace((unsigned char)*end)) end++;
    if (*end || n < lo || n > hi) return -1;
    *out = n;
    return 0;
}

#define STR(k, f) if (!strcmp(key, k)) { if (strlen(value) >= sizeof c->f) return -1; strcpy(c->f, value); return 0; }
#define INT(k, f, lo, hi) if (!strcmp(key, k)) { long n; if (parse_int(value, lo, hi, &n)) return -1; c->f = (int)n; return 0; }
#define SIZE(k, f, lo, hi) if (!strcmp(key, k)) { long n; if (parse_int(value, lo, hi, &n)) return -1; c->f = (size_t)n; return 0; }

int zx_config_set(struct zx_config *c, const char *key, const char *value)
{
    STR("listen", listen)
    STR("db", db)
    STR("web_root", web_root)
    STR("node_modules", node_modules)
    STR("tls_cert", tls_cert)
    STR("tls_key", tls_key)
    STR("pii_key_file", pii_key_file)
    STR("totp_issuer", totp_issuer)
    STR("audit_key_file", audit_key_file)
    STR("audit_checkpoint_dir", audit_checkpoint_dir)
    STR("audit_archive_dir", audit_archive_dir)
    INT("audit_checkpoint_sec", audit_checkpoint_sec, 1, 86400)
    INT("audit_retention_days", audit_retention_days, 183, 36500) /* 网络安全法 art 21: logs ≥ 6 months */
    INT("audit_alert_denied_per_min", audit_alert_denied_per_min, 1, 1000000)
    INT("totp_required", totp_required, 0, 1)
    INT("threads", threads, 0, 256)
    SIZE("body_limit", body_limit, 1024, 1L << 30)
    SIZE("upload_limit", upload_limit, 1024, 1L << 32)
    INT("json_depth", json_depth, 2, 1000)
    INT("idle_timeout_min", idle_timeout_min, 1, 24 * 60)
    INT("session_max_hours", session_max_hours, 1, 72)
    INT("lock_failures", lock_failures, 1, 100)
    INT("lock_minutes", lock_minutes, 1, 24 * 60)
    INT("pbkdf2_iterations", pbkdf2_iterations, 1000, 10000000)
    INT("pool_size", pool_size, 0, 1024)
    INT("log_level", log_level, 0, 3)
    INT("warn_lead_days", warn_lead_days, 0, 60)
    INT("node_id", node_id, 0, 1023)
    INT("public_rate_per_min", public_rate_per_min, 1, 1000000)
    INT("access_log", access_log, 0, 1)
    INT("password_max_age_days", password_max_age_days, 0, 3650)
    INT("password_history", password_history, 0, 24)
    STR("password_blocklist", password_blocklist)
    INT("login_fail_per_min", login_fail_per_min, 1, 1000000)
    STR("metrics_token", metrics_token)
    INT("hsts", hsts, 0, 1)
    INT("idle_timeout_sec", idle_timeout_sec, 0, 24 * 3600)
    INT("tls_offloaded", tls_offloaded, 0, 1)
    return -1;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

int zx_config_load_file(struct zx_config *c, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    int lineno = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';' || *s == '[') continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
            fclose(f);
            return -1;
        }
        *eq = 0;
        char *k = trim(s), *v = trim(eq + 1);
        size_t vl = strlen(v);
        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') { v[vl - 1] = 0; v++; }
        if (zx_config_set(c, k, v)) {
            snprintf(err, errlen, "%s:%d: unknown key or bad value for '%s'", path, lineno, k);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

void zx_config_load_env(struct zx_config *c)
{
    static const char *keys[] = {"listen", "db", "web_root", "node_modules", "tls_cert", "tls_key",
                                 "threads", "body_limit", "upload_limit", "json_depth",
                                 "idle_timeout_min", "session_max_hours", "lock_failures",
                                 "lock_minutes", "pbkdf2_iterations", "pool_size", "log_level",
                                 "warn_lead_days", "node_id", "public_rate_per_min", "access_log",
                                 "pii_key_file", "totp_required", "totp_issuer", "audit_key_file",
                                 "audit_checkpoint_dir", "audit_archive_dir", "audit_checkpoint_sec",
                                 "audit_retention_days", "audit_alert_denied_per_min",
                                 "password_max_age_days", "password_history", "password_blocklist",
                                 "login_fail_per_min", "metrics_token", "hsts", "idle_timeout_sec", "tls_offloaded"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char name[64] = "ZX_";
        for (size_t j = 0; keys[i][j] && j < 58; j++) name[3 + j] = (char)toupper((unsigned char)keys[i][j]);
        const char *v = getenv(name);
        if (v && *v && zx_config_set(c, keys[i], v))
            fprintf(stderr, "zhixing: ignoring bad value in %s\n", name);
    }
}

void zx_config_store_path(const char *configured, const char *db_url, const char *suffix, const char *fallback,
                          char out[512])
{
    if (configured && *configured) {
        snprintf(out, 512, "%s", configured);
        return;
    }
    const char *p = NULL;
    if (db_url && !strncmp(db_url, "sqlite:", 7)) p = db_url + 7;
    else if (db_url && !strstr(db_url, "://") && strlen(db_url) > 3 && !strcmp(db_url + strlen(db_url) - 3, ".db"))
        p = db_url;
    if (p && *p && strcmp(p, ":memory:")) snprintf(out, 512, "%s%s", p, suffix);
    else snprintf(out, 512, "%s", fallback);
}
