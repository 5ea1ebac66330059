/* log.c — JSON-lines logging to stderr. One write(2) per line so lines never interleave. */
#include "core/log.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum zx_log_level g_level = ZX_LOG_INFO;

void zx_log_set_level(enum zx_log_level lvl) { g_level = lvl; }

static const char *level_name(enum zx_log_level l)
{
    switch (l) {
    case ZX_LOG_DEBUG: return "debug";
    case ZX_LOG_INFO: return "info";
    case ZX_LOG_WARN: return "warn";
    default: return "error";
    }
}

/* Escape a message into a JSON string body (no surrounding quotes). */
static size_t json_escape(char *dst, size_t cap, const char *s)
{
    size_t n = 0;
    for (; *s && n + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { dst[n++] = '\\'; dst[n++] = (char)c; }
        else if (c == '\n') { dst[n++] = '\\'; dst[n++] = 'n'; }
        else if (c < 0x20) n += (size_t)snprintf(dst + n, cap - n, "\\u%04x", c);
        else dst[n++] = (char)c;
    }
    dst[n] = 0;
    return n;
}

static void vlog(enum zx_log_level lvl, const char *fmt, va_list ap)
{
    char msg[2048], esc[4200], line[4400];
    struct timespec ts;
    struct tm tm;
    vsnprintf(msg, sizeof msg, fmt, ap);
    json_escape(esc, sizeof esc, msg);
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line,
                     "{\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\",\"level\":\"%s\",\"msg\":\"%s\"}\n",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, level_name(lvl), esc);
    if (n > 0) {
        ssize_t w = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)w;
    }
}

void zx_log(enum zx_log_level lvl, const char *fmt, ...)
{
    if (lvl < g_level) return;
    va_list ap;
    va_start(ap, fmt);
    vlog(lvl, fmt, ap);
    va_end(ap);
}

#define LINEBUF_CAP (64 * 1024)
#define LINEBUF_FLUSH (32 * 1024)
static __thread char *t_buf;
static __thread size_t t_len;
static __thread struct timespec t_last;

static void write_all(const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(2, p, n);
        if (w <= 0) return; /* logging must never take the server down */
        p += w;
        n -= (size_t)w;
    }
}

void zx_log_flush(void)
{
    if (t_len) write_all(t_buf, t_len);
    t_len = 0;
    clock_gettime(CLOCK_MONOTONIC, &t_last);
}

void zx_log_thread_end(void)
{
    zx_log_flush();
    free(t_buf);
    t_buf = NULL;
}

void zx_log_flush_stale(void)
{
    if (!t_len) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - t_last.tv_sec) * 1000 + (now.tv_nsec - t_last.tv_nsec) / 1000000;
    if (ms >= 100) zx_log_flush();
}

void zx_log_line(const char *json_line)
{
    size_t n = strlen(json_line);
    if (!t_buf) {
        t_buf = malloc(LINEBUF_CAP);
        if (!t_buf) return;
        clock_gettime(CLOCK_MONOTONIC, &t_last);
    }
    if (n + 1 > LINEBUF_CAP - t_len) zx_log_flush();
    if (n + 1 > LINEBUF_CAP) { /* oversized line: straight through */
        write_all(json_line, n);
        write_all("\n", 1);
        return;
    }
    memcpy(t_buf + t_len, json_line, n);
    t_buf[t_len + n] = '\n';
    t_len += n + 1;
    if (t_len >= LINEBUF_FLUSH) zx_log_flush();
}

void zx_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog(ZX_LOG_ERROR, fmt, ap);
    va_end(ap);
    abort();
}
