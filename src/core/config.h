/* config.h — configuration: defaults < --config FILE (ini) < ZX_* environment < command-line flags.
 * Keys (ini key = env var without ZX_, lower-case): listen, db, threads, body_limit, upload_limit,
 * json_depth, web_root, tls_cert, tls_key, idle_timeout_min, session_max_hours, lock_failures,
 * lock_minutes, pbkdf2_iterations, pool_size, log_level, warn_lead_days, node_id, public_rate_per_min,
 * pii_key_file, password_max_age_days, password_history, password_blocklist, login_fail_per_min,
 * metrics_token, hsts, idle_timeout_sec, tls_offloaded. */
#ifndef ZX_CONFIG_H
#define ZX_CONFIG_H
#include <stddef.h>

struct zx_config {
    char listen[128];          /* 127.0.0.1:8080 */
    char db[512];              /* sqlite:var/zhixing.db */
    int threads;               /* event-loop threads; 0 = number of cores */
    size_t body_limit;         /* 1 MiB */
    size_t upload_limit;       /* 64 MiB (CSV import) */
    int json_depth;            /* 32 */
    char web_root[256];        /* web */
    char node_modules[256];    /* node_modules */
    char tls_cert[256];
    char tls_key[256];
    int idle_timeout_min;      /* 30 */
    int session_max_hours;     /* 12 */
    int lock_failures;         /* 5 */
    int lock_minutes;          /* 30 */
    int pbkdf2_iterations;     /* 100000 */
    int pool_size;             /* DB connections; 0 = threads*2+2 */
    int log_level;             /* 0 debug 1 info 2 warn 3 error */
    int warn_lead_days;        /* deadline warnings this many days ahead: 3 */
    int node_id;               /* id generator node, 0–1023 */
    int public_rate_per_min;   /* public portal queries per client address per minute: 30 */
    int access_log;            /* 1 = write access log lines */
    char audit_key_file[512];       /* SM2 key signing audit checkpoints; "" = <sqlite path>.audit.pem / var/zhixing.audit.pem */
    char audit_checkpoint_dir[512]; /* checkpoints outside the store; "" = <sqlite path>.checkpoints / var/audit-checkpoints */
    int audit_checkpoint_sec;       /* seconds between checkpoints: 300 */
    char audit_archive_dir[512];    /* signed exports before pruning; "" = <sqlite path>.archive / var/audit-archive */
    int audit_retention_days;       /* keep at least this long: 365 (minimum 183, 网络安全法 art 21) */
    int audit_alert_denied_per_min; /* denied/failed records per minute that raise an alert: 30 */
    int totp_required;         /* 1 = administrators and chiefs log in with TOTP (account/totp.h) */
    char totp_issuer[64];      /* issuer shown in authenticator apps: zhixing */
    char pii_key_file[512];    /* personal-data key file (core/pii.h); "" = <sqlite path>.keys / var/zhixing.keys */
    int password_max_age_days; /* 90: a password older than this must be changed (0 = never) */
    int password_history;      /* 5: so many previous passwords may not be reused */
    char password_blocklist[256]; /* common-password list (one a line): /usr/share/john/password.lst */
    int login_fail_per_min;    /* failed logins per client address per minute before 429: 20 */
    char metrics_token[128];   /* Bearer token for /metrics; empty = loopback clients only */
    int hsts;                  /* 1 = Strict-Transport-Security on TLS responses */
    int idle_timeout_sec;      /* finer idle timeout (tests); 0 = use idle_timeout_min */
    int tls_offloaded;         /* 1 = TLS ends at a front proxy: Secure cookie + HSTS on a plain listener */
};

void zx_config_defaults(struct zx_config *c);
/* Load an ini file (key = value, '#' or ';' comments, optional [section] ignored). 0 or -1. */
int zx_config_load_file(struct zx_config *c, const char *path, char *err, size_t errlen);
void zx_config_load_env(struct zx_config *c);
/* Set one key by name (used by file, env and flags). 0 or -1 for unknown key / bad value. */
int zx_config_set(struct zx_config *c, const char *key, const char *value);
/* A file kept next to the store and outside it (the personal-data key file, the audit key, its
 * checkpoint and archive directories): `configured` when set, else "<sqlite path><suffix>" for a
 * SQLite store given as "sqlite:PATH" or "PATH.db", else `fallback` (PostgreSQL, :memory:). The one
 * rule every command and the server use; out holds 512 bytes. */
void zx_config_store_path(const char *configured, const char *db_url, const char *suffix, const char *fallback,
                          char out[512]);
#endif
