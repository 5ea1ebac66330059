/* batch_client.c — bulk credit-check load generator for bench/30-credit.sh.
 *
 *   batch_client HOST PORT KEY IDS_FILE MODE PER_REQUEST CONNECTIONS SECONDS
 *     MODE csv   → POST /api/v1/credit/check-stream?category=flight, body "ref,id_number" lines
 *          json  → POST /api/v1/credit/check-batch, body {"items":[{"ref","id_number","category"}…]}
 *   Each connection (one thread) keeps HTTP/1.1 keep-alive, sends pre-built bodies of PER_REQUEST
 *   IDs drawn from IDS_FILE (plus 1 in 2 replaced by an unlisted valid ID), reads each whole
 *   response and counts answers. Prints: ids answered, blocked, seconds, ids/s, requests, p50/p99
 *   request latency (ms). End to end: parse + lookup + audit log + response, over the socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *g_host, *g_key, *g_mode;
static int g_port, g_per, g_secs;
static char (*g_ids)[19];
static size_t g_nids;

struct res {
    long long ids, blocked, requests;
    double *lat;
    size_t nlat, caplat;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const int W[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
/* An unlisted but valid ID: same region/birth, sequence 999-… shifted, check recomputed. */
static void unlisted(const char *id, char out[19])
{
    memcpy(out, id, 18);
    out[14] = '9';
    out[15] = (char)('0' + (id[15] - '0' + 5) % 10);
    int s = 0;
    for (int i = 0; i < 17; i++) s += (out[i] - '0') * W[i];
    out[17] = "10X98765432"[s % 11];
    out[18] = 0;
}

static char *build_body(unsigned *seed, size_t *len)
{
    size_t cap = (size_t)g_per * 96 + 64, n = 0;
    char *b = malloc(cap);
    int json = !strcmp(g_mode, "json");
    if (json) n += (size_t)sprintf(b + n, "{\"items\":[");
    for (int i = 0; i < g_per; i++) {
        const char *id = g_ids[rand_r(seed) % g_nids];
        char alt[19];
        if (id[0] <= '9' && id[1] <= '9' && (rand_r(seed) & 1) && id[17] != 'X' && id[2] <= '9') {
            int digits = 1;
            for (int k = 0; k < 17; k++) digits &= id[k] >= '0' && id[k] <= '9';
            if (digits) {
                unlisted(id, alt);
                id = alt;
            }
        }
        if (json) n += (size_t)sprintf(b + n, "%s{\"ref\":\"%d\",\"id_number\":\"%.18s\",\"category\":\"flight\"}", i ? "," : "", i, id);
        else n += (size_t)sprintf(b + n, "%d,%.18s\n", i, id);
    }
    if (json) n += (size_t)sprintf(b + n, "]}");
    *len = n;
    return b;
}

static int sendall(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void *worker(void *arg)
{
    struct res *r = arg;
    unsigned seed = (unsigned)(uintptr_t)arg ^ 0x9e3779b9u;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)g_port) };
    inet_pton(AF_INET, g_host, &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("connect");
        return NULL;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    enum { NB = 4 };
    char *bodies[NB];
    size_t blen[NB];
    for (int i = 0; i < NB; i++) bodies[i] = build_body(&seed, &blen[i]);
    const char *path = !strcmp(g_mode, "json") ? "/api/v1/credit/check-batch" : "/api/v1/credit/check-stream?category=flight";
    const char *ct = !strcmp(g_mode, "json") ? "application/json" : "text/csv";
    size_t rcap = (size_t)g_per * 400 + 65536;
    char *rb = malloc(rcap);
    double end = now_s() + g_secs;
    for (int k = 0; now_s() < end; k++) {
        char hdr[512];
        int hl = snprintf(hdr, sizeof hdr,
                          "POST %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\n"
                          "Content-Length: %zu\r\n\r\n",
                          path, g_host, g_key, ct, blen[k % NB]);
        double t0 = now_s();
        if (sendall(fd, hdr, (size_t)hl) || sendall(fd, bodies[k % NB], blen[k % NB])) break;
        size_t got = 0, need = 0, hend = 0;
        for (;;) {
            if (got == rcap) {
                rcap *= 2;
                rb = realloc(rb, rcap);
            }
            ssize_t n = recv(fd, rb + got, rcap - got, 0);
            if (n <= 0) goto out;
            got += (size_t)n;
            if (!hend) {
                char *e = memmem(rb, got, "\r\n\r\n", 4);
                if (!e) continue;
                hend = (size_t)(e - rb) + 4;
                char *cl = memmem(rb, hend, "Content-Length:", 15);
                if (!cl) cl = memmem(rb, hend, "content-length:", 15);
                if (!cl) { fprintf(stderr, "no content-length\n"); goto out; }
                need = hend + strtoul(cl + 15, NULL, 10);
                if (strncmp(rb + 9, "200", 3)) {
                    fprintf(stderr, "status %.3s: %.*s\n", rb + 9, (int)(got > 300 ? 300 : got), rb);
                    goto out;
                }
            }
            if (hend && got >= need) break;
        }
        double dt = now_s() - t0;
        if (r->nlat == r->caplat) {
            r->caplat = r->caplat ? r->caplat * 2 : 1024;
            r->lat = realloc(r->lat, r->caplat * sizeof *r->lat);
        }
        r->lat[r->nlat++] = dt;
        r->requests++;
        r->ids += g_per;
        const char *needle = !strcmp(g_mode, "json") ? "\"block\"" : ",block,";
        size_t nl = strlen(needle);
        for (char *p = rb + hend; (p = memmem(p, (size_t)(rb + need - p), needle, nl)); p += nl) r->blocked++;
    }
out:
    close(fd);
    free(rb);
    for (int i = 0; i < NB; i++) free(bodies[i]);
    return NULL;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: %s HOST PORT KEY IDS_FILE csv|json PER_REQUEST CONNECTIONS SECONDS\n", argv[0]);
        return 2;
    }
    g_host = argv[1];
    g_port = atoi(argv[2]);
    g_key = argv[3];
    g_mode = argv[5];
    g_per = atoi(argv[6]);
    int conns = atoi(argv[7]);
    g_secs = atoi(argv[8]);
    FILE *f = fopen(argv[4], "r");
    if (!f) {
        perror(argv[4]);
        return 1;
    }
    size_t cap = 1 << 20;
    g_ids = malloc(cap * sizeof *g_ids);
    char line[64];
    while (fgets(line, sizeof line, f) && g_nids < 2000000) { /* a 2M sample is plenty */
        if (strlen(line) < 18) continue;
        if (g_nids == cap) g_ids = realloc(g_ids, (cap *= 2) * sizeof *g_ids);
        memcpy(g_ids[g_nids++], line, 18);
    }
    fclose(f);
    pthread_t th[64];
    struct res rs[64] = { 0 };
    if (conns > 64) conns = 64;
    double t0 = now_s();
    for (int i = 0; i < conns; i++) pthread_create(&th[i], NULL, worker, &rs[i]);
    for (int i = 0; i < conns; i++) pthread_join(th[i], NULL);
    double dt = now_s() - t0;
    long long ids = 0, blocked = 0, reqs = 0;
    size_t nl = 0;
    for (int i = 0; i < conns; i++) ids += rs[i].ids, blocked += rs[i].blocked, reqs += rs[i].requests, nl += rs[i].nlat;
    double *all = malloc((nl ? nl : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < conns; i++) {
        memcpy(all + k, rs[i].lat, rs[i].nlat * sizeof *all);
        k += rs[i].nlat;
    }
    qsort(all, nl, sizeof *all, cmpd);
    printf("ids %lld blocked %lld seconds %.2f ids_per_s %.0f requests %lld p50_ms %.1f p99_ms %.1f\n", ids, blocked, dt,
           ids / dt, reqs, nl ? all[nl / 2] * 1000 : 0, nl ? all[(nl * 99) / 100] * 1000 : 0);
    return ids > 0 ? 0 : 1;
}
