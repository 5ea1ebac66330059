/* dispatcher_internal.h — what the inquiry dispatcher (dispatcher.c: sending and applier threads)
 * shares with the benchmark's plain worker pool (pool.c): the runtime structures and the helpers that
 * build, sign and post a batch. Not for other modules: they use inquiry/inquiry.h. */
#ifndef ZX_INQUIRY_DISPATCHER_INTERNAL_H
#define ZX_INQUIRY_DISPATCHER_INTERNAL_H
#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>
#include "core/httpc.h"
#include "app.h"
#include "core/crypto.h"
#include "inquiry/inquiry.h"
#include "account/authz.h"

#define CACHE_SLOTS 8192

struct inst_rt {
    int64_t id;
    char code[64], kind[24], name[128];
    char endpoint[512];
    zx_sm2_key *pub;       /* pinned */
    int max_inflight, rate_per_s, timeout_ms, batch_max, enabled;
    int inflight;          /* batches */
    int inflight_reqs;
    double tokens;
    int64_t tokens_ms;
    int fails_in_row;
    int64_t open_until_ms; /* breaker open until */
    int64_t key_retry_ms;
    /* enrolment of our courts' seals at this institution (this process) */
    int64_t enrolled[32];
    int nenrolled;
    int64_t enrolling;     /* court whose enrolment is in flight, 0 = none */
    int64_t want_enrol;    /* a court seen with due rows and not enrolled (set while claiming) */
    int64_t enrol_retry_ms;
    char cb_key[80];       /* the callback API key issued to it in this process ("" = none yet) */
    struct batch *fly;     /* batches sent and not yet applied (g_mu): their rows are not claimed again */
    /* figures */
    int64_t sent, answered, failed, batches, lat_sum_ms, lat_n, lat_max_ms;
};

struct court_key {
    int64_t court_id;
    zx_sm2_key *key;
    char *pub_pem;
};

struct batch {
    struct inst_rt *in;
    int64_t *ids;
    int64_t *inq_ids;          /* each request's query run (0 = none), for the answer's lock order */
    int n;
    char *body;
    zx_http_body ans; /* the answer (core/httpc buffer, ≤ 32 MiB) */
    char sig[ZX_SM2_SIG_HEX_MAX];
    int64_t started_ms;
    struct curl_slist *hdrs;
    CURL *easy;
    int64_t enrol_court;       /* an enrolment exchange (not a batch) for this court */
    struct court_key *court;   /* the seal the batch is signed with */
    struct batch *prev, *next; /* in flight (g_inflight), dispatcher thread only */
    int64_t *sids;             /* ids sorted: the claim skips requests in flight (binary search) */
    struct batch *fly_next;    /* the institution's batches in flight until applied (g_mu) */
    bool settled;              /* applied (committed); leaves the fly list before the next claim read */
};

struct rq {
    int64_t inquiry_id;
    int64_t id, court_id, case_id, party_id, asset_id, control_id, amount_fen, officer_id;
    bool has_amount;
    char op[12], until[12];
    char *doc_no;
};

struct centry {
    int64_t case_id, party_id; /* party_id 0 = every debtor of the case */
    json_t *subjects;
    char *case_no;
    char *subjects_txt; /* subjects as JSON text, made once per entry (the batch builder's) */
};

struct tick_cache {
    struct centry e[CACHE_SLOTS];
    int64_t officer_id[16];
    char *officer_name[16];
    int nofficers;
};

struct sb {
    char *p;
    size_t n, cap;
};
#define SB_LIT(b, lit) sb_put((b), (lit), sizeof(lit) - 1)

extern CURLM *g_multi;
extern struct batch *g_inflight; /* batches added to g_multi and not yet finished */
extern struct inst_rt *g_inst;
extern int g_ninst;
/* where the time goes (bench/50-inquiry.sh) */
extern _Atomic int64_t p_claim_us, p_build_us, p_verify_us, p_apply_us, p_http_batches, p_requests, p_thread_cpu_us,
    p_applier_cpu_us;

int64_t now_us(void);
void load_institutions(db_conn *c);
bool ensure_key(db_conn *c, struct inst_rt *in, int64_t now);
struct court_key *court_key(db_conn *c, int64_t court_id);
void batch_free(struct batch *b);
void fail_rows(db_t *db, const int64_t *ids, int n, const char *code, const char *msg);
void start_enrolment(db_conn *c, struct inst_rt *in, int64_t court, int64_t now);
void enrolment_done(struct batch *b, CURLcode cc);
void cache_clear(struct tick_cache *tc);
int request_text(db_conn *c, struct tick_cache *tc, const struct rq *q, struct sb *b, bool first);
void envelope_text(struct sb *b, const struct inst_rt *in, const zx_court *ct, const struct court_key *ck);
size_t on_header(char *p, size_t sz, size_t n, void *ud);
void sb_put(struct sb *b, const char *s, size_t n);

#endif
