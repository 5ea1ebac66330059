/* sim_post.c — outbound HTTP for the simulated parties (answers posted back to the court's callback
 * endpoint, delivery reports …): one sender thread drives a libcurl multi handle; completions are
 * handed back to the event-loop thread through a pipe, where the party's done callback runs. */
#include <curl/curl.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/log.h"
#include "sim.h"
#include "sim_internal.h"

struct job {
    struct job *next;
    CURL *easy;
    struct curl_slist *hdrs;
    char *url, *body;
    size_t len;
    unsigned timeout_ms;
    char *resp;
    size_t resp_len;
    long status;
    sim_post_done done;
    void *arg;
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static struct job *g_in, *g_out;     /* queued by the loop / finished by the sender */
static CURLM *g_multi;
static pthread_t g_tid;
static volatile int g_stop;
static int g_pipe[2] = { -1, -1 };
static h2o_socket_t *g_sock;
static int g_running;

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    struct job *j = ud;
    size_t add = sz * n;
    if (j->resp_len + add > (4u << 20)) return 0;
    char *nr = realloc(j->resp, j->resp_len + add + 1);
    if (!nr) return 0;
    memcpy(nr + j->resp_len, p, add);
    j->resp = nr;
    j->resp_len += add;
    j->resp[j->resp_len] = 0;
    return add;
}

static void *sender(void *unused)
{
    while (!g_stop) {
        pthread_mutex_lock(&g_mu);
        struct job *q = g_in;
        g_in = NULL;
        pthread_mutex_unlock(&g_mu);
        struct job *rev = NULL; /* queued newest first: start them in call order */
        while (q) {
            struct job *n = q->next;
            q->next = rev;
            rev = q;
            q = n;
        }
        q = rev;
        while (q) {
            struct job *j = q;
            q = q->next;
            j->easy = curl_easy_init();
            curl_easy_setopt(j->easy, CURLOPT_URL, j->url);
            curl_easy_setopt(j->easy, CURLOPT_POST, 1L);
            curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->body);
            curl_easy_setopt(j->easy, CURLOPT_POSTFIELDSIZE, (long)j->len);
            curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->hdrs);
            curl_easy_setopt(j->easy, CURLOPT_TIMEOUT_MS, (long)(j->timeout_ms ? j->timeout_ms : 10000));
            curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, on_data);
            curl_easy_setopt(j->easy, CURLOPT_WRITEDATA, j);
            curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
            curl_multi_add_handle(g_multi, j->easy);
        }
        int still = 0;
        curl_multi_perform(g_multi, &still);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(g_multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            struct job *j;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&j);
            if (m->data.result == CURLE_OK) curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &j->status);
            curl_multi_remove_handle(g_multi, m->easy_handle);
            curl_easy_cleanup(m->easy_handle);
            j->easy = NULL;
            pthread_mutex_lock(&g_mu);
            j->next = g_out;
            g_out = j;
            pthread_mutex_unlock(&g_mu);
            char c = 1;
            if (write(g_pipe[1], &c, 1) < 0) { /* pipe full: the loop is already woken */ }
        }
        curl_multi_poll(g_multi, NULL, 0, 100, NULL);
    }
    return NULL;
}

static void job_free(struct job *j)
{
    curl_slist_free_all(j->hdrs);
    free(j->url);
    free(j->body);
    free(j->resp);
    free(j);
}

static void on_done_ready(h2o_socket_t *sock, const char *err)
{
    h2o_buffer_consume(&sock->input, sock->input->size);
    pthread_mutex_lock(&g_mu);
    struct job *d = g_out;
    g_out = NULL;
    pthread_mutex_unlock(&g_mu);
    /* reverse to completion order */
    struct job *rev = NULL;
    while (d) {
        struct job *n = d->next;
        d->next = rev;
        rev = d;
        d = n;
    }
    while (rev) {
        struct job *j = rev;
        rev = rev->next;
        if (j->done) j->done(j->arg, j->status, j->resp ? j->resp : "", j->resp_len);
        job_free(j);
    }
}

void sim_post(const char *url, const char *content_type, const char *body, size_t len, const char *const *headers,
              unsigned timeout_ms, sim_post_done done, void *arg)
{
    struct job *j = calloc(1, sizeof *j);
    if (!j) zx_die("out of memory (post)");
    j->url = strdup(url);
    j->body = malloc(len + 1);
    if (!j->url || !j->body) zx_die("out of memory (post)");
    memcpy(j->body, body, len);
    j->body[len] = 0;
    j->len = len;
    j->timeout_ms = timeout_ms;
    j->done = done;
    j->arg = arg;
    char ct[160];
    snprintf(ct, sizeof ct, "Content-Type: %s", content_type ? content_type : "application/json");
    j->hdrs = curl_slist_append(j->hdrs, ct);
    j->hdrs = curl_slist_append(j->hdrs, "Expect:");
    for (int i = 0; headers && headers[i]; i++) j->hdrs = curl_slist_append(j->hdrs, headers[i]);
    if (!g_running) { /* not started (unit use): fail at once */
        if (done) done(arg, 0, "", 0);
        job_free(j);
        return;
    }
    pthread_mutex_lock(&g_mu);
    j->next = g_in;
    g_in = j;
    pthread_mutex_unlock(&g_mu);
    curl_multi_wakeup(g_multi);
}

void sim_post_start(h2o_loop_t *loop)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_multi = curl_multi_init();
    curl_multi_setopt(g_multi, CURLMOPT_MAX_HOST_CONNECTIONS, 64L);
    if (pipe2(g_pipe, O_NONBLOCK | O_CLOEXEC) != 0) zx_die("pipe2 failed");
    g_sock = h2o_evloop_socket_create(loop, g_pipe[0], 0);
    h2o_socket_read_start(g_sock, on_done_ready);
    g_running = 1;
    if (pthread_create(&g_tid, NULL, sender, NULL) != 0) zx_die("pthread_create failed");
}

void sim_post_stop(void)
{
    if (!g_running) return;
    g_stop = 1;
    curl_multi_wakeup(g_multi);
    pthread_join(g_tid, NULL);
    g_running = 0;
}
