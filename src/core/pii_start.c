/* pii_start.c — loads the personal-data keys (core/pii.h) for the server and every CLI command,
 * before any other start hook: the key file named by `pii_key_file` (or the default next to the
 * store) is created (mode 0600) only for a store that has never recorded a key; a store that has
 * keys refuses to start without its key file or with another one. */
#include "app.h"
#include "core/log.h"
#include "core/pii.h"
#include <stdio.h>

static int pii_start(zx_app *app)
{
    char path[512], err[512];
    zx_pii_default_key_file(app->cfg.pii_key_file, app->cfg.db, path);
    db_conn *c = db_acquire(app->db);
    int64_t known = 0;
    db_stmt *s = db_prepare(c, "SELECT COUNT(*) FROM pii_key");
    int ok = s && db_step(s) == DB_ROW;
    if (ok) known = db_col_int64(s, 0);
    if (s) db_finalize(s);
    int rc = -1;
    if (!ok) snprintf(err, sizeof err, "pii_key: %s", db_errmsg(c));
    else if (zx_pii_init(path, known == 0, err, sizeof err) == 0 && zx_pii_check_store(c, err, sizeof err) == 0) rc = 0;
    db_release(app->db, c);
    if (rc) {
        LOG_ERROR("personal-data keys: %s", err);
        fprintf(stderr, "zhixing: personal-data keys: %s\n", err);
        return -1;
    }
    LOG_INFO("pii: keys loaded from %s (current version %u)", path, zx_pii_current_version());
    return 0;
}
ZX_ON_START("00-pii", pii_start)
