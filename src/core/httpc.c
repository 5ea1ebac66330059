/* httpc.c — see httpc.h. */
#include "core/httpc.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t zx_http_body_write(char *d, size_t sz, size_t nm, void *u)
{
    zx_http_body *b = u;
    size_t n = sz * nm, max = b->max ? b->max : 65536;
    if (b->n + n > max) return 0;
    char *np = realloc(b->p, b->n + n + 1);
    if (!np) return 0;
    memcpy(np + b->n, d, n);
    b->p = np;
    b->n += n;
    b->p[b->n] = 0;
    return n;
}

/* The answer's X-ZX-Signature header (an SM2 signature of the body) into sig. */
typedef struct sig_sink {
    char *p;
    size_t cap;
} sig_sink;

static size_t sig_header(char *d, size_t sz, size_t nm, void *u)
{
    sig_sink *s = u;
    size_t n = sz * nm;
    if (n > 15 && !strncasecmp(d, "x-zx-signature:", 15)) {
        const char *v = d + 15;
        size_t vl = n - 15;
        while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n' || v[vl - 1] == ' ')) vl--;
        if (vl < s->cap) {
            memcpy(s->p, v, vl);
            s->p[vl] = 0;
        }
    }
    return n;
}

long zx_http_exchange(const char *method, const char *url, const char *body, const char *const *headers,
                      long timeout_ms, zx_http_body *out)
{
    return zx_http_exchange_sig(method, url, body, headers, timeout_ms, out, NULL, 0);
}

long zx_http_exchange_sig(const char *method, const char *url, const char *body, const char *const *headers,
                          long timeout_ms, zx_http_body *out, char *sig, size_t sig_cap)
{
    CURL *e = curl_easy_init();
    if (!e) return 0;
    struct curl_slist *h = NULL;
    bool post = method && !strcmp(method, "POST");
    if (post) {
        h = curl_slist_append(h, "Content-Type: application/json");
        h = curl_slist_append(h, "Expect:");
    }
    for (int i = 0; headers && headers[i]; i++) h = curl_slist_append(h, headers[i]);
    zx_http_body sink = { 0 };
    curl_easy_setopt(e, CURLOPT_URL, url);
    if (h) curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, zx_http_body_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out ? out : &sink);
    sig_sink ss = { sig, sig_cap };
    if (sig && sig_cap) {
        sig[0] = 0;
        curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, sig_header);
        curl_easy_setopt(e, CURLOPT_HEADERDATA, &ss);
    }
    if (post) {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, body ? body : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(body ? strlen(body) : 0));
    }
    long status = 0;
    if (curl_easy_perform(e) == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    free(sink.p);
    return status;
}
