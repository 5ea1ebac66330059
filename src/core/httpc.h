/* httpc.h — blocking outbound HTTP over libcurl for the background jobs that call outside parties
 * (the bank's payout API, the SMS gateway, price and auction platforms, an institution's key), and the
 * response-body buffer the non-blocking callers (the inquiry dispatcher's multi handle) share.
 * A job's own thread calls these; never an HTTP worker of the server. */
#ifndef ZX_HTTPC_H
#define ZX_HTTPC_H
#include <stddef.h>

/* A response body, NUL-terminated; max 0 → 64 KiB (a longer body fails the transfer). */
typedef struct zx_http_body {
    char *p;
    size_t n, max;
} zx_http_body;

/* CURLOPT_WRITEFUNCTION for a zx_http_body (CURLOPT_WRITEDATA). */
size_t zx_http_body_write(char *d, size_t sz, size_t nm, void *u);

/* One exchange. method "GET" or "POST" (body: JSON text, sent as application/json); headers: extra
 * "Name: value" lines, NULL-terminated, or NULL. The answer's body goes to out (may be NULL); the caller
 * frees out->p. Returns the HTTP status, or 0 when no answer came (refused, timeout). */
long zx_http_exchange(const char *method, const char *url, const char *body, const char *const *headers,
                      long timeout_ms, zx_http_body *out);
/* The same, and the answer's X-ZX-Signature header (a party's SM2 signature over the body, as the
 * bank's payout answers carry) into sig ('' when absent or longer than sig_cap - 1). */
long zx_http_exchange_sig(const char *method, const char *url, const char *body, const char *const *headers,
                          long timeout_ms, zx_http_body *out, char *sig, size_t sig_cap);

#endif
