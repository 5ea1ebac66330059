/* raw_epoll.c — the benchmark floor: the least an HTTP/1.1 server can do to answer
 * `GET … → 200 {"status":"ok"}`. One thread per core, each with its own SO_REUSEPORT listening
 * socket and edge-triggered epoll loop; keep-alive; pipelined requests answered in order. It does not
 * parse requests beyond finding the blank line that ends each header block (no bodies).
 *
 *   cc -O2 -pthread -o bench/out/raw_epoll bench/raw_epoll.c
 *   bench/out/raw_epoll PORT [THREADS]        (THREADS defaults to the number of online cores)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static const char RESP[] = "HTTP/1.1 200 OK\r\n"
                           "Content-Type: application/json\r\n"
                           "Content-Length: 15\r\n"
                           "\r\n"
                           "{\"status\":\"ok\"}";
#define RESP_LEN (sizeof RESP - 1)
#define MAX_FD 65536
#define OUT_CAP (RESP_LEN * 64)

struct conn {
    int state;         /* progress through "\r\n\r\n": 0..3 */
    size_t out_len;    /* bytes waiting to be written (EAGAIN) */
    char *out;
};

static int g_port;

static int listen_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("socket"); exit(1); }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0) { perror("SO_REUSEPORT"); exit(1); }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)g_port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) { perror("bind"); exit(1); }
    if (listen(fd, 4096) < 0) { perror("listen"); exit(1); }
    return fd;
}

static void conn_close(int ep, struct conn *cs, int fd)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(cs[fd].out);
    memset(&cs[fd], 0, sizeof cs[fd]);
}

/* Write what is pending; 0 = all written, 1 = would block, -1 = error. */
static int flush_out(struct conn *c, int fd)
{
    size_t off = 0;
    while (off < c->out_len) {
        ssize_t n = write(fd, c->out + off, c->out_len - off);
        if (n > 0) { off += (size_t)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) {
            memmove(c->out, c->out + off, c->out_len - off);
            c->out_len -= off;
            return 1;
        }
        return -1;
    }
    c->out_len = 0;
    return 0;
}

static void on_readable(int ep, struct conn *cs, int fd)
{
    struct conn *c = &cs[fd];
    char buf[16384];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0) { conn_close(ep, cs, fd); return; }
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) break;
            conn_close(ep, cs, fd);
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            char ch = buf[i];
            /* "\r\n\r\n" recogniser: state = number of matched characters. */
            if (ch == '\r') c->state = (c->state == 2) ? 3 : 1;
            else if (ch == '\n' && (c->state == 1 || c->state == 3)) {
                if (c->state == 3) {
                    c->state = 0;
                    if (!c->out) c->out = malloc(OUT_CAP);
                    if (!c->out || c->out_len + RESP_LEN > OUT_CAP) { conn_close(ep, cs, fd); return; }
                    memcpy(c->out + c->out_len, RESP, RESP_LEN);
                    c->out_len += RESP_LEN;
                } else {
                    c->state = 2;
                }
            } else c->state = 0;
        }
    }
    if (c->out_len) {
        int r = flush_out(c, fd);
        if (r < 0) { conn_close(ep, cs, fd); return; }
        struct epoll_event ev = { .events = EPOLLIN | EPOLLET | EPOLLRDHUP | (r ? EPOLLOUT : 0), .data.fd = fd };
        if (r) epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
    }
}

static void *loop(void *arg)
{
    (void)arg;
    int lfd = listen_socket();
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct conn *cs = calloc(MAX_FD, sizeof *cs);
    if (ep < 0 || !cs) { perror("epoll/calloc"); exit(1); }
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd };
    epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
    struct epoll_event evs[512];
    for (;;) {
        int n = epoll_wait(ep, evs, 512, -1);
        if (n < 0) { if (errno == EINTR) continue; perror("epoll_wait"); exit(1); }
        for (int i = 0; i < n; i++) {
            int fd = evs[i].data.fd;
            if (fd == lfd) {
                for (;;) {
                    int c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (c < 0) break;
                    if (c >= MAX_FD) { close(c); continue; }
                    int one = 1;
                    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct epoll_event cev = { .events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            if (evs[i].events & (EPOLLERR | EPOLLHUP)) { conn_close(ep, cs, fd); continue; }
            if (evs[i].events & EPOLLOUT) {
                int r = flush_out(&cs[fd], fd);
                if (r < 0) { conn_close(ep, cs, fd); continue; }
                if (r == 0) {
                    struct epoll_event m = { .events = EPOLLIN | EPOLLET | EPOLLRDHUP, .data.fd = fd };
                    epoll_ctl(ep, EPOLL_CTL_MOD, fd, &m);
                }
            }
            if (evs[i].events & (EPOLLIN | EPOLLRDHUP)) on_readable(ep, cs, fd);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) { fprintf(stderr, "usage: %s PORT [THREADS]\n", argv[0]); return 2; }
    g_port = atoi(argv[1]);
    long nt = argc > 2 ? atol(argv[2]) : sysconf(_SC_NPROCESSORS_ONLN);
    if (nt < 1) nt = 1;
    signal(SIGPIPE, SIG_IGN);
    pthread_t th;
    for (long i = 1; i < nt; i++) pthread_create(&th, NULL, loop, NULL);
    loop(NULL);
    return 0;
}
