/* engine_bench.c — the matching engine alone, without HTTP (bench/30-credit.sh): builds the
 * snapshot from a store (timed), then answers IDs from a file on one thread the way the bulk path
 * does (normalise + key + 3-stage prefetch + lookup, no query log, no output) and reports IDs/s.
 * Linked with the library objects of build/rel (see bench/30-credit.sh).
 *
 *   engine_bench DB_URL IDS_FILE [SECONDS] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "core/date.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "store/db.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB_URL IDS_FILE [SECONDS]\n", argv[0]);
        return 2;
    }
    double secs = argc > 3 ? atof(argv[3]) : 5;
    char err[256];
    static zx_app app;
    app.db = db_open(argv[1], 4, err, sizeof err);
    if (!app.db) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    snprintf(app.cfg.db, sizeof app.cfg.db, "%s", argv[1]);
    zx_g = &app; /* lets the loader open its readers on SQLite, as the server does */
    char keys[512]; /* the store's personal-data keys: the snapshot opens the sealed ID numbers */
    zx_pii_default_key_file(getenv("ZX_PII_KEY_FILE"), argv[1], keys);
    if (zx_pii_init(keys, false, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    size_t n = 0, cap = 1 << 20;
    char (*ids)[19] = malloc(cap * sizeof *ids);
    char line[64];
    while (fgets(line, sizeof line, f) && n < 4000000) {
        if (n == cap) ids = realloc(ids, (cap *= 2) * sizeof *ids);
        memcpy(ids[n], line, 18);
        ids[n][18] = 0;
        /* every other ID made unlisted: change the sequence, keep GB 11643 validity */
        char tmp[19];
        if (n % 2 && zx_credit_id_normalise(ids[n], 18, zx_today(), tmp) == ZX_IDK_PERSON) {
            static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
            ids[n][14] = '9';
            ids[n][15] = (char)('0' + (ids[n][15] - '0' + 5) % 10);
            int s = 0;
            for (int i = 0; i < 17; i++) s += (ids[n][i] - '0') * w[i];
            ids[n][17] = "10X98765432"[s % 11];
        }
        n++;
    }
    fclose(f);
    db_conn *c = db_acquire(app.db);
    double t0 = now_s();
    int64_t v = zx_credit_snapshot_load(c);
    double tb = now_s() - t0;
    db_release(app.db, c);
    if (v < 0) {
        fprintf(stderr, "load failed\n");
        return 1;
    }
    zx_date today = zx_today();
    enum { D = 6, B = 4096 };
    struct { char id[19]; zx_credit_key key; int kind; } it[B];
    long long done = 0, blocked = 0, invalid = 0;
    double t1 = now_s(), end = t1 + secs;
    size_t pos = 0;
    zx_credit_basis b[8];
    while (now_s() < end) {
        const zx_credit_view *view = zx_credit_read_begin();
        for (int i = 0; i < B; i++, pos = (pos + 1) % n) {
            it[i].kind = zx_credit_id_normalise(ids[pos], 18, today, it[i].id);
            it[i].key = zx_credit_id_key(it[i].id, it[i].kind); /* AES-128 under the process key (entry.h) */
        }
        for (int i = 0; i < B + 3 * D; i++) {
            if (i < B && it[i].kind) zx_credit_prefetch(view, it[i].key.key);
            if (i >= D && i - D < B && it[i - D].kind) zx_credit_prefetch_stage(view, it[i - D].key.key, 1);
            if (i >= 2 * D && i - 2 * D < B && it[i - 2 * D].kind) zx_credit_prefetch_stage(view, it[i - 2 * D].key.key, 2);
            if (i < 3 * D) continue;
            int k = i - 3 * D;
            if (!it[k].kind) {
                invalid++;
                continue;
            }
            if (zx_credit_lookup_key(view, it[k].key, it[k].kind, ZX_CAT_FLIGHT, today, b, 8)) blocked++;
        }
        zx_credit_read_end(view);
        done += B;
    }
    double dt = now_s() - t1;
    const zx_credit_view *view = zx_credit_read_begin();
    long long entries = (long long)zx_credit_view_count(view);
    zx_credit_read_end(view);
    printf("entries %lld build_s %.1f lookups %lld blocked %lld invalid %lld seconds %.2f ids_per_s %.0f\n", entries, tb,
           done, blocked, invalid, dt, done / dt);
    return 0;
}
