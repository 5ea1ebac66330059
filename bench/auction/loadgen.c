/* bench/auction/loadgen.c — one hot lot: V Server-Sent-Events viewers and bids offered at R/s for S
 * seconds, each side from one epoll thread (the node generator could not offer 2,000 bids/s here).
 *
 *   loadgen HOST PORT LOT VIEWERS RATE SECS START_FEN INCREMENT SEQ0 CONNS TOKEN[,TOKEN…]
 *   → one JSON line of figures on stdout
 *
 * LOADGEN_ROLE=viewers|bidders (with LOADGEN_SHM=/dev/shm/FILE) splits the two sides into two
 * processes — the script runs the viewers `nice`d, so that parsing 10,000 streams does not delay the
 * bidders' own clock readings (one thread doing both measured its own event-loop lag, up to ~80 ms,
 * as bid latency). The processes share, through the mmap'd file: the viewers are connected (the
 * bidders wait for it), the time each seq's 201 arrived at the bidders (CLOCK_MONOTONIC is one clock
 * for every process), and the end (final seq, time of the last answer). Without LOADGEN_ROLE one
 * process does both, as before.
 *
 * Bids: CONNS keep-alive HTTP/1.1 connections, one request in flight on each (h2o answers a
 * connection's requests in order and a bid is answered only after its group commit, so pipelining
 * would only queue behind the commit). The schedule is open-loop: bid k is due at t0 + k / RATE; if
 * no connection is free it waits, and its latency still counts from the time it was due (no
 * coordinated omission). Amounts come from one counter (START + k × INCREMENT) in the order of the
 * schedule, so bids racing on different connections can be overtaken (409 BID_TOO_LOW), as live.
 * Viewers: V connections reading /api/v1/public/auctions/LOT/stream; every "seq":N seen is matched to
 * the moment its bid's 201 arrived here (bid acknowledged → viewer has the price). Latencies go into
 * 0.1 ms histograms. Build: cc -std=c17 -O2 -Wall -Wextra -Werror -o loadgen loadgen.c */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HBUCKETS 200000 /* 0.1 ms buckets up to 20 s */
typedef struct hist {
    uint32_t b[HBUCKETS];
    uint64_t n;
    double max;
} hist;

static void hist_add(hist *h, double ms)
{
    if (ms < 0) ms = 0;
    long i = (long)(ms * 10.0);
    if (i >= HBUCKETS) i = HBUCKETS - 1;
    h->b[i]++;
    h->n++;
    if (ms > h->max) h->max = ms;
}

static double hist_pct(const hist *h, double p)
{
    if (!h->n) return -1;
    uint64_t want = (uint64_t)((double)h->n * p), acc = 0;
    if (want >= h->n) want = h->n - 1;
    for (long i = 0; i < HBUCKETS; i++) {
        acc += h->b[i];
        if (acc > want) return (double)i / 10.0 + 0.05;
    }
    return h->max;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

enum { C_CONNECTING, C_IDLE, C_BUSY, C_DEAD };
typedef struct conn {
    int fd, state, viewer;
    char *rbuf;
    size_t rlen, rcap;
    char wbuf[512];
    size_t wlen, woff;
    double due_ms, sent_ms;
    char carry[32];
    int carry_len;
    long long last_seq;
    int got_headers;
} conn;

static struct sockaddr_in g_addr;
static int g_ep;
static const char *g_host, *g_lot;
static char **g_tokens;
static int g_ntok;
static long long g_seq0;
typedef struct shared {
    volatile int viewers_ready, done;
    volatile long long final_seq;
    volatile double last_answer_ms;
    volatile double ack[]; /* seq − seq0 → time its 201 arrived at the bidders (0 = not yet) */
} shared;
static shared *g_sh;
static volatile double *g_ack;
static long g_ack_cap;
static hist g_lat, g_wire, g_view;
static long g_sent, g_accepted, g_too_low, g_other, g_events, g_viewers_up, g_viewer_err, g_early;
static long long g_max_seq;

static int open_conn(conn *c)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&g_addr, sizeof g_addr) < 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    c->fd = fd;
    c->state = C_CONNECTING;
    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
    return epoll_ctl(g_ep, EPOLL_CTL_ADD, fd, &ev);
}

static void want_out(conn *c, int on)
{
    struct epoll_event ev = { .events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c };
    epoll_ctl(g_ep, EPOLL_CTL_MOD, c->fd, &ev);
}

static void flush_w(conn *c)
{
    while (c->woff < c->wlen) {
        ssize_t k = write(c->fd, c->wbuf + c->woff, c->wlen - c->woff);
        if (k < 0) {
            if (errno == EAGAIN) return want_out(c, 1);
            c->state = C_DEAD;
            return;
        }
        c->woff += (size_t)k;
    }
    want_out(c, 0);
}

static void send_bid(conn *c, long k, long long amount, double due)
{
    const char *tok = g_tokens[k % g_ntok];
    char body[64];
    int bl = snprintf(body, sizeof body, "{\"amount_fen\":%lld}", amount);
    c->wlen = (size_t)snprintf(c->wbuf, sizeof c->wbuf,
                               "POST /api/v1/public/auctions/%s/bids HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                               "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
                               g_lot, g_host, tok, bl, body);
    c->woff = 0;
    c->rlen = 0;
    c->due_ms = due;
    c->sent_ms = now_ms();
    c->state = C_BUSY;
    flush_w(c);
}

static void viewer_start(conn *c)
{
    c->wlen = (size_t)snprintf(c->wbuf, sizeof c->wbuf, "GET /api/v1/public/auctions/%s/stream HTTP/1.1\r\nHost: %s\r\n"
                                                         "Accept: text/event-stream\r\n\r\n", g_lot, g_host);
    c->woff = 0;
    c->state = C_BUSY;
    flush_w(c);
}

/* A complete response in c->rbuf? Returns its total length, 0 if not yet. Content-Length or chunked. */
static size_t response_len(conn *c, int *status, const char **body, size_t *blen)
{
    char *h = memmem(c->rbuf, c->rlen, "\r\n\r\n", 4);
    if (!h) return 0;
    size_t hl = (size_t)(h - c->rbuf) + 4;
    *status = c->rlen > 12 ? atoi(c->rbuf + 9) : 0;
    const char *cl = NULL;
    for (char *p = c->rbuf; p < h; p++)
        if ((*p == '\n') && !strncasecmp(p + 1, "content-length:", 15)) cl = p + 16;
    if (cl) {
        size_t n = (size_t)strtoul(cl, NULL, 10);
        if (c->rlen < hl + n) return 0;
        *body = c->rbuf + hl;
        *blen = n;
        return hl + n;
    }
    /* chunked: walk the chunks (the bodies here are single small JSON objects) */
    size_t o = hl;
    *body = c->rbuf + hl;
    *blen = 0;
    for (;;) {
        char *e = memmem(c->rbuf + o, c->rlen - o, "\r\n", 2);
        if (!e) return 0;
        size_t n = (size_t)strtoul(c->rbuf + o, NULL, 16);
        size_t start = (size_t)(e - c->rbuf) + 2;
        if (n == 0) return c->rlen >= start + 2 ? start + 2 : 0;
        if (c->rlen < start + n + 2) return 0;
        if (!*blen) *body = c->rbuf + start;
        *blen += n;
        o = start + n + 2;
    }
}

static void bid_readable(conn *c)
{
    for (;;) {
        if (c->rcap - c->rlen < 4096) {
            c->rcap = c->rcap ? c->rcap * 2 : 8192;
            c->rbuf = realloc(c->rbuf, c->rcap);
        }
        ssize_t k = read(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen);
        if (k == 0 || (k < 0 && errno != EAGAIN)) {
            if (c->state == C_BUSY) g_other++;
            c->state = C_DEAD;
            epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            return;
        }
        if (k < 0) break;
        c->rlen += (size_t)k;
    }
    int status = 0;
    const char *body = NULL;
    size_t blen = 0;
    size_t n = response_len(c, &status, &body, &blen);
    if (!n || c->state != C_BUSY) return;
    double t = now_ms();
    hist_add(&g_lat, t - c->due_ms);
    hist_add(&g_wire, t - c->sent_ms);
    if (status == 201) {
        g_accepted++;
        const char *s = memmem(body, blen, "\"seq\":", 6);
        long long seq = s ? atoll(s + 6) : 0;
        if (seq > g_max_seq) g_max_seq = seq;
        long i = (long)(seq - g_seq0);
        if (i >= 0 && i < g_ack_cap && g_ack[i] == 0) g_ack[i] = t;
    } else if (status == 409 && memmem(body, blen, "BID_TOO_LOW", 11))
        g_too_low++;
    else
        g_other++;
    c->rlen -= n;
    memmove(c->rbuf, c->rbuf + n, c->rlen);
    c->state = C_IDLE;
}

static void viewer_seq(conn *c, long long seq, double t)
{
    g_events++;
    if (seq > c->last_seq) c->last_seq = seq;
    long i = (long)(seq - g_seq0);
    if (i <= 0 || i >= g_ack_cap) return;
    if (g_ack[i] == 0) { /* the viewer had the price before the bidder had its answer */
        g_early++;
        hist_add(&g_view, 0);
    } else
        hist_add(&g_view, t - g_ack[i]);
}

static void viewer_readable(conn *c)
{
    char buf[16384 + 32];
    for (;;) {
        memcpy(buf, c->carry, (size_t)c->carry_len);
        ssize_t k = read(c->fd, buf + c->carry_len, 16384);
        if (k == 0 || (k < 0 && errno != EAGAIN)) {
            g_viewer_err++;
            c->state = C_DEAD;
            epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            return;
        }
        if (k < 0) return;
        if (!c->got_headers) {
            c->got_headers = 1;
            g_viewers_up++;
        }
        size_t len = (size_t)c->carry_len + (size_t)k, o = 0, keep;
        double t = now_ms();
        for (;;) {
            char *p = memmem(buf + o, len - o, "\"seq\":", 6);
            if (!p) { /* a pattern may be split across reads: carry the tail after the last match */
                keep = len - o > 24 ? len - 24 : o;
                break;
            }
            char *q = p + 6;
            while (q < buf + len && *q >= '0' && *q <= '9') q++;
            if (q == buf + len) { /* the number may go on in the next read */
                keep = (size_t)(p - buf);
                break;
            }
            viewer_seq(c, atoll(p + 6), t);
            o = (size_t)(q - buf);
        }
        c->carry_len = (int)(len - keep);
        if (c->carry_len > 31) c->carry_len = 31;
        memcpy(c->carry, buf + len - (size_t)c->carry_len, (size_t)c->carry_len);
    }
}

static void on_event(conn *c, uint32_t evs)
{
    if (c->state == C_DEAD) return;
    if (c->state == C_CONNECTING) {
        int err = 0;
        socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            if (c->viewer) g_viewer_err++;
            c->state = C_DEAD;
            epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
            close(c->fd);
            return;
        }
        if (c->viewer) viewer_start(c);
        else {
            c->state = C_IDLE;
            want_out(c, 0);
        }
        return;
    }
    if ((evs & EPOLLOUT) && c->woff < c->wlen) flush_w(c);
    if (evs & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (c->viewer) viewer_readable(c);
        else bid_readable(c);
    }
}

/* CPU seconds (utime + stime) of a process so far, from /proc/PID/stat; -1 if unknown. */
static double proc_cpu_s(const char *pid)
{
    if (!pid || !*pid) return -1;
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long ut = 0, st = 0;
    /* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static void pump(int timeout_ms)
{
    struct epoll_event evs[1024];
    int n = epoll_wait(g_ep, evs, 1024, timeout_ms);
    for (int i = 0; i < n; i++) on_event(evs[i].data.ptr, evs[i].events);
}

int main(int argc, char **argv)
{
    if (argc < 12) {
        fprintf(stderr, "usage: loadgen HOST PORT LOT VIEWERS RATE SECS START_FEN INCREMENT SEQ0 CONNS TOKENS\n");
        return 2;
    }
    g_host = argv[1];
    int port = atoi(argv[2]);
    g_lot = argv[3];
    int viewers = atoi(argv[4]);
    double rate = atof(argv[5]), secs = atof(argv[6]);
    long long start = atoll(argv[7]), inc = atoll(argv[8]);
    g_seq0 = atoll(argv[9]);
    int nconn = atoi(argv[10]);
    char *toks = strdup(argv[11]);
    for (char *p = strtok(toks, ","); p; p = strtok(NULL, ",")) {
        g_tokens = realloc(g_tokens, (size_t)(g_ntok + 1) * sizeof *g_tokens);
        g_tokens[g_ntok++] = p;
    }
    if (!g_ntok || nconn < 1) return 2;
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    g_addr.sin_family = AF_INET;
    g_addr.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, strcmp(g_host, "localhost") ? g_host : "127.0.0.1", &g_addr.sin_addr);
    g_ep = epoll_create1(0);
    g_ack_cap = (long)(rate * secs) + 100000;
    const char *role = getenv("LOADGEN_ROLE"), *shm = getenv("LOADGEN_SHM");
    bool do_view = !role || !strcmp(role, "viewers"), do_bid = !role || !strcmp(role, "bidders");
    size_t shsz = sizeof(shared) + (size_t)g_ack_cap * sizeof(double);
    if (role && shm) {
        int fd = open(shm, O_RDWR | O_CREAT, 0600);
        if (fd < 0 || ftruncate(fd, (off_t)shsz)) return 1;
        g_sh = mmap(NULL, shsz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (g_sh == MAP_FAILED) return 1;
    } else
        g_sh = calloc(1, shsz);
    if (!g_sh) return 1;
    g_ack = g_sh->ack;
    if (!do_view) viewers = 0;
    conn *vc = calloc((size_t)(viewers > 0 ? viewers : 1), sizeof *vc), *bc = calloc((size_t)nconn, sizeof *bc);
    if (!vc || !bc) return 1;
    /* viewers first, in steps (the listen backlog), then the bid connections */
    for (int i = 0; i < viewers; i++) {
        vc[i].viewer = 1;
        vc[i].last_seq = -1;
        if (open_conn(&vc[i])) {
            g_viewer_err++;
            vc[i].state = C_DEAD;
        }
        if (i % 256 == 255) for (int k = 0; k < 4; k++) pump(2);
    }
    double wait_end = now_ms() + 15000;
    while (g_viewers_up + g_viewer_err < viewers && now_ms() < wait_end) pump(10);
    if (do_view) g_sh->viewers_ready = 1;
    if (!do_bid) { /* the viewers' process: read until the bidders are done, then 1 s more */
        double give_up = now_ms() + (secs + 180) * 1000.0; /* the bidders' process died: stop anyway */
        while (!g_sh->done && now_ms() < give_up) pump(5);
        if (!g_sh->done) g_sh->last_answer_ms = now_ms();
        double settle = g_sh->last_answer_ms + 1000;
        while (now_ms() < settle) pump(5);
        long at_final = 0;
        for (int i = 0; i < viewers; i++) at_final += vc[i].last_seq == g_sh->final_seq;
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        printf("{\"viewers\":%d,\"viewers_connected\":%ld,\"viewer_errors\":%ld,\"events_received\":%ld,\"events_before_ack\":%ld,"
               "\"view_delay_p50_ms\":%.1f,\"view_delay_p99_ms\":%.1f,\"view_delay_max_ms\":%.1f,\"viewers_at_final_after_1s\":%ld,"
               "\"viewer_process_cpu_s\":%.2f}\n",
               viewers, g_viewers_up, g_viewer_err, g_events, g_early, hist_pct(&g_view, 0.5), hist_pct(&g_view, 0.99), g_view.max,
               at_final, (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
        return 0;
    }
    if (role) { /* the bidders' process: start when the viewers are connected */
        double ready_by = now_ms() + 60000;
        while (!g_sh->viewers_ready && now_ms() < ready_by) usleep(10000);
    }
    for (int i = 0; i < nconn; i++) open_conn(&bc[i]);
    for (int w = 0; w < 200; w++) pump(5);

    const char *spid = getenv("LOADGEN_SERVER_PID");
    double cpu0 = proc_cpu_s(spid), cpu1 = -1;
    double t0 = now_ms(), end = t0 + secs * 1000.0;
    int next_idle = 0;
    long k = 0;
    for (;;) {
        double t = now_ms();
        long due = t < end ? (long)((t - t0) * rate / 1000.0) : (long)(secs * rate);
        while (k < due) { /* hand the due bids to free connections, oldest first */
            int found = -1;
            for (int j = 0; j < nconn; j++) {
                int x = (next_idle + j) % nconn;
                if (bc[x].state == C_IDLE) {
                    found = x;
                    break;
                }
            }
            if (found < 0) break;
            next_idle = (found + 1) % nconn;
            send_bid(&bc[found], k, start + k * inc, t0 + (double)k * 1000.0 / rate);
            k++;
            g_sent++;
        }
        int busy = 0;
        for (int j = 0; j < nconn; j++) busy += bc[j].state == C_BUSY;
        if (t >= end && k >= (long)(secs * rate) && !busy) break;
        if (t >= end + 30000) break; /* answers still owed after 30 s: give up */
        pump(1);
    }
    double elapsed = (now_ms() - t0) / 1000.0;
    cpu1 = proc_cpu_s(spid);
    g_sh->final_seq = g_max_seq;
    g_sh->last_answer_ms = now_ms();
    __sync_synchronize();
    g_sh->done = 1;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double own_cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    double settle = now_ms() + (viewers ? 1000 : 0); /* every viewer should hold the final price within 1 s */
    while (now_ms() < settle) pump(5);
    long at_final = 0;
    for (int i = 0; i < viewers; i++) at_final += vc[i].last_seq == g_max_seq;
    printf("{\"viewers\":%d,\"viewers_connected\":%ld,\"viewer_errors\":%ld,\"rate_target\":%.0f,\"seconds\":%.0f,\"elapsed_s\":%.1f,"
           "\"connections\":%d,\"bids_sent\":%ld,\"accepted\":%ld,\"too_low\":%ld,\"other\":%ld,\"accepted_per_s\":%.0f,\"sent_per_s\":%.0f,"
           "\"ack_p50_ms\":%.1f,\"ack_p95_ms\":%.1f,\"ack_p99_ms\":%.1f,\"ack_max_ms\":%.1f,\"wire_p50_ms\":%.1f,\"wire_p99_ms\":%.1f,"
           "\"events_received\":%ld,\"events_before_ack\":%ld,\"view_delay_p50_ms\":%.1f,\"view_delay_p99_ms\":%.1f,\"view_delay_max_ms\":%.1f,"
           "\"final_seq\":%lld,\"viewers_at_final_after_1s\":%ld,\"server_cpu_s\":%.2f,\"server_cpu_us_per_bid\":%.0f,"
           "\"bidder_process_cpu_s\":%.2f}\n",
           viewers, g_viewers_up, g_viewer_err, rate, secs, elapsed, nconn, g_sent, g_accepted, g_too_low, g_other,
           (double)g_accepted / elapsed, (double)g_sent / elapsed, hist_pct(&g_lat, 0.5), hist_pct(&g_lat, 0.95), hist_pct(&g_lat, 0.99), g_lat.max,
           hist_pct(&g_wire, 0.5), hist_pct(&g_wire, 0.99), g_events, g_early, hist_pct(&g_view, 0.5), hist_pct(&g_view, 0.99),
           g_view.max, g_max_seq, at_final, cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1,
           cpu0 >= 0 && cpu1 >= 0 && g_sent ? (cpu1 - cpu0) * 1e6 / (double)g_sent : -1, own_cpu);
    return 0;
}
