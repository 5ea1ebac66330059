/* pii_bench.c — cost of one personal-data operation (src/core/pii.h), single thread: seal, open,
 * blind index, mask of an 18-character ID number; printed as "op ns_per_op ops_per_s". Built by
 * bench/35-pii.sh against the library objects. */
#include "core/pii.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void report(const char *op, long n, double s)
{
    printf("%s %.0f %.0f\n", op, s / (double)n * 1e9, (double)n / s);
}

int main(int argc, char **argv)
{
    long n = argc > 2 ? atol(argv[2]) : 200000;
    char err[256];
    if (argc < 2 || zx_pii_init(argv[1], true, err, sizeof err)) {
        fprintf(stderr, "usage: pii_bench KEYFILE [N] (%s)\n", argc < 2 ? "" : err);
        return 2;
    }
    char id[19];
    unsigned char **blobs = malloc((size_t)n * sizeof *blobs);
    size_t *lens = malloc((size_t)n * sizeof *lens);
    double t = now_s();
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "2101021980%08ld", i % 100000000);
        zx_pii_seal(ZX_PII_ID_NUMBER, id, &blobs[i], &lens[i]);
    }
    report("seal", n, now_s() - t);
    t = now_s();
    long bad = 0;
    for (long i = 0; i < n; i++) {
        char *p = zx_pii_open(ZX_PII_ID_NUMBER, blobs[i], lens[i]);
        bad += p == NULL;
        zx_pii_free(p);
    }
    report("open", n, now_s() - t);
    t = now_s();
    char h[ZX_PII_INDEX_HEX];
    for (long i = 0; i < n; i++) {
        snprintf(id, sizeof id, "2101021980%08ld", i % 100000000);
        zx_pii_index(ZX_PII_ID_NUMBER, id, h);
    }
    report("index", n, now_s() - t);
    t = now_s();
    for (long i = 0; i < n; i++) free(zx_pii_mask(ZX_PII_ID_NUMBER, "210102198000001234"));
    report("mask", n, now_s() - t);
    for (long i = 0; i < n; i++) free(blobs[i]);
    free(blobs);
    free(lens);
    return bad != 0;
}
