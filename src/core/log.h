/* log.h — structured one-line logs to stderr (JSON lines). Thread-safe. */
#ifndef ZX_LOG_H
#define ZX_LOG_H
#include <stdarg.h>

enum zx_log_level { ZX_LOG_DEBUG, ZX_LOG_INFO, ZX_LOG_WARN, ZX_LOG_ERROR };

void zx_log_set_level(enum zx_log_level lvl);
/* zx_log: printf-style message; written as {"ts":…,"level":…,"msg":…}. */
void zx_log(enum zx_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* zx_log_line: one already-serialised JSON object as a log line (access log). Buffered per thread
 * (one write(2) per ~32 KB instead of per request); event loops call zx_log_flush_stale() each turn
 * so a line waits at most ~100 ms, and zx_log_flush() when they stop. */
void zx_log_line(const char *json_line);
void zx_log_flush_stale(void);
void zx_log_flush(void);
/* Flush and release this thread's buffer (call when a logging thread ends). */
void zx_log_thread_end(void);
/* zx_die: log and abort — used on out-of-memory and broken invariants (h2o style). */
void zx_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#define LOG_INFO(...)  zx_log(ZX_LOG_INFO, __VA_ARGS__)
#define LOG_WARN(...)  zx_log(ZX_LOG_WARN, __VA_ARGS__)
#define LOG_ERROR(...) zx_log(ZX_LOG_ERROR, __VA_ARGS__)
#define LOG_DEBUG(...) zx_log(ZX_LOG_DEBUG, __VA_ARGS__)
#endif
