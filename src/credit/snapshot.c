/* snapshot.c — the credit matching engine (issue 5 §4).
 *
 * Design (two levels, copy-on-write, lock-free readers):
 *
 *   view = { version, base, delta }        published through one atomic pointer
 *   base  = big immutable table built from credit_entry at start (or by a merge)
 *   delta = small immutable table rebuilt from the writer's working map W after every sync batch;
 *           a key present in delta overrides the key in base completely (count 0 = "nothing").
 *
 * A table is an open-addressing hash of 64-bit keys → a contiguous run of packed 32-byte records
 * (one per entry in grace/active status) + a string arena holding case numbers, each followed by an
 * 8-byte check word. Key and check word are the two halves of zx_credit_id_key: AES-128 of the
 * normalised ID number packed into one block (core/pii_prp.h, a keyed bijection) under
 * zx_pii_snapshot_key() (core/pii.h: derived from the key file's stable key, held only in memory). The store keeps the ID number sealed (credit_entry.id_number_enc, SM4) and its
 * HMAC-SM3 blind index (id_number, migration 042); neither can key this table cheaply — the blind
 * index would cost every queried ID an HMAC-SM3 (~0.6 µs: bulk checks fell to 0.35× of before) — so
 * the loader and the change feed OPEN each sealed number, hash it and wipe it at once (sealed_key()):
 * a clear ID number exists only in one stack buffer for the length of one hash; the table holds
 * none (docs/SECURITY.md §9).
 *
 * Why a hit cannot give a wrong answer: entries of different IDs that share the 64-bit key share a
 * slot but never the check word as well — the 128-bit key is a bijection of the ID (pii_prp.h) — and
 * lookup_in() compares it on every record, so a "listed" answer needs the same ID. (With the
 * SipHash key of session 3 it needed a full 128-bit collision: ≈ 3·10^-20 over the system's life.)
 * A false "deny" is as bad as a false "allow"; neither can happen (an unlisted ID matching a listed
 * one; a listed one matching only itself). Whether a record blocks is decided at lookup time
 * from the day: publish_on ≤ today ≤ term_end, minus a temporary permission window — so the grace
 * period ends at midnight without any rebuild.
 *
 * Writers (zx_credit_sync: after a commit, and a background thread once a second) are serialised by
 * sync_mu; they read credit_change rows after the applied seq, fold them into W (key → full record
 * list, with the seq that last touched it), rebuild the delta table from W and swap the view. When W
 * grows past MERGE_KEYS the background thread builds a new base = base ⊕ delta without holding
 * sync_mu, then drops from W every key not touched since the merged version and swaps again.
 *
 * Readers announce themselves in a per-thread epoch slot before loading the view pointer; a retired
 * view (and a base no view uses) is freed once no slot holds an epoch older than its retirement.
 */
#include "credit/snapshot.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include "app.h"
#include "core/date.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/pii.h"
#include "credit/entry.h"
#include "http/metrics.h"

#define MERGE_KEYS 65536   /* merge the delta into a new base beyond this many keys */
#define SYNC_BATCH 2000    /* credit_change rows per query */
#define LOAD_PAGE 200000   /* credit_entry rows per query when building from the store */
#define LOAD_PARTS 8       /* concurrent readers of credit_entry when building from SQLite */

/* ---- packed records ------------------------------------------------------------------------------ */

#define D16_NONE 0xFFFFu   /* "no date" for term_end / permit */
#define F_UNIT 0x01u

struct rec {
    int64_t entry_id;
    uint32_t str;           /* arena offset: case_no NUL [code18 for units] */
    uint16_t publish_on;    /* days since 1970-01-01 (fits until 2149) */
    uint16_t term_end;      /* D16_NONE = no fixed term */
    uint16_t permit_from;   /* D16_NONE = no permission */
    uint16_t permit_to;
    uint16_t cats;          /* blocked categories (dishonest: all) */
    uint16_t permit;        /* categories temporarily allowed */
    uint16_t court;         /* index into courts[] */
    uint8_t list;           /* ZX_LIST_* */
    uint8_t flags;          /* F_UNIT */
    uint8_t case_len;       /* strlen(case_no), capped at 255 (then measured) */
};
_Static_assert(sizeof(struct rec) == 32, "packed record is 32 bytes");

struct slot {
    uint64_t key;           /* 0 = empty (no valid ID maps to 0) */
    uint32_t first;
    uint32_t count;         /* delta: 0 = key removed */
};

/* String arena, shared by a base and the bases merged from it: a merge keeps the old strings where
 * they are and appends the delta's strings after `len` (readers of older bases never look past
 * their own records' offsets), so it copies no strings and the two bases of a merge share one arena. */
struct arena {
    _Atomic int refs;       /* tables using it */
    char *p;
    size_t cap;             /* bytes allocated (big_alloc) */
    size_t len;             /* bytes used; appended to only under merge_mu (or by the builder) */
};

struct table {
    _Atomic int refs;       /* views using it */
    size_t slots_sz, recs_sz; /* bytes allocated (big ones are mmap'ed, see big_alloc) */
    struct slot *slots;
    uint64_t mask;          /* capacity - 1 */
    struct rec *recs;
    size_t nrecs;
    size_t nkeys;
    char *arena;            /* = ar->p */
    size_t arena_len;       /* this table's view of ar->len */
    struct arena *ar;
};

struct zx_credit_view {
    int64_t version;
    int64_t count;          /* records held (grace + active) */
    struct table *base;
    struct table *delta;    /* may be NULL */
};

/* ---- courts: interned codes (append-only; readers index without locks) ------------------------ */

#define MAX_COURTS 65535
static char courts[MAX_COURTS][24];
static _Atomic int ncourts;
static pthread_mutex_t courts_mu = PTHREAD_MUTEX_INITIALIZER;

/* code → index: an open-addressing map written under courts_mu; each thread keeps a small
 * direct-mapped cache so the loader rarely takes the lock. */
static int32_t court_map[131072]; /* index + 1, 0 = empty */

static uint32_t code_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
    return h;
}

static uint16_t court_intern(const char *code_in)
{
    static _Thread_local struct { uint32_t h; int idx; char code[24]; } cache[64];
    char code[24]; /* court codes are ≤ 15 bytes (rules/case_no.h); longer input is cut the same way
                    * every time, so it still maps to one entry */
    snprintf(code, sizeof code, "%s", code_in ? code_in : "");
    uint32_t h = code_hash(code);
    int ci = (int)(h & 63);
    if (cache[ci].idx > 0 && cache[ci].h == h && strcmp(cache[ci].code, code) == 0) return (uint16_t)(cache[ci].idx - 1);
    pthread_mutex_lock(&courts_mu);
    uint32_t j = h & 131071u;
    int idx;
    for (;;) {
        int32_t v = court_map[j];
        if (v == 0) {
            int n = atomic_load(&ncourts);
            if (n >= MAX_COURTS) zx_die("credit snapshot: more than %d court codes", MAX_COURTS);
            snprintf(courts[n], sizeof courts[n], "%s", code);
            atomic_store(&ncourts, n + 1);
            court_map[j] = n + 1;
            idx = n;
            break;
        }
        if (strcmp(courts[v - 1], code) == 0) {
            idx = v - 1;
            break;
        }
        j = (j + 1) & 131071u;
    }
    pthread_mutex_unlock(&courts_mu);
    cache[ci].h = h;
    cache[ci].idx = idx + 1;
    snprintf(cache[ci].code, sizeof cache[ci].code, "%s", code);
    return (uint16_t)idx;
}

/* ---- hashing ---------------------------------------------------------------------------------- */

/* Keys are AES outputs (zx_credit_id_key): already uniform, so the slot index is the key's low
 * bits — no finaliser per probe (three per queried ID in the bulk pipeline). */
static inline uint64_t mix(uint64_t k) { return k; }

static void *xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz);
    if (!p) zx_die("credit snapshot: out of memory (%zu × %zu)", n, sz);
    return p;
}
static void *xrealloc(void *p, size_t sz)
{
    p = realloc(p, sz ? sz : 1);
    if (!p) zx_die("credit snapshot: out of memory (%zu)", sz);
    return p;
}

/* Big arrays (hash slots, records, arena of a 10M table: hundreds of MB each, read at random)
 * live in their own mappings advised for transparent huge pages: with 4 KiB pages nearly every
 * lookup also misses the TLB. Zero-filled. Small ones come from calloc. */
#define BIG (2u << 20)
static void *big_alloc(size_t sz)
{
    if (sz < BIG) return xcalloc(1, sz ? sz : 1);
    size_t len = (sz + BIG - 1) & ~(size_t)(BIG - 1);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) zx_die("credit snapshot: out of memory (mmap %zu)", len);
    madvise(p, len, MADV_HUGEPAGE); /* a hint; ignored where THP is off */
    return p;
}
static void big_free(void *p, size_t sz)
{
    if (!p) return;
    if (sz < BIG) free(p);
    else munmap(p, (sz + BIG - 1) & ~(size_t)(BIG - 1));
}

/* A table with a fresh arena of arena_cap bytes, or (share != NULL) using share's arena. */
static struct table *table_new_ar(size_t nkeys, size_t nrecs, size_t arena_cap, struct arena *share)
{
    struct table *t = xcalloc(1, sizeof *t);
    size_t cap = 16;
    while (cap * 5 < nkeys * 8) cap <<= 1; /* load ≤ 0.625 */
    t->slots_sz = cap * sizeof *t->slots;
    t->slots = big_alloc(t->slots_sz);
    t->mask = cap - 1;
    t->recs_sz = (nrecs ? nrecs : 1) * sizeof *t->recs;
    t->recs = big_alloc(t->recs_sz);
    if (share) {
        t->ar = share;
        atomic_fetch_add(&share->refs, 1);
    } else {
        t->ar = xcalloc(1, sizeof *t->ar);
        t->ar->cap = arena_cap ? arena_cap : 1;
        t->ar->p = big_alloc(t->ar->cap);
        atomic_init(&t->ar->refs, 1);
    }
    t->arena = t->ar->p;
    atomic_init(&t->refs, 0);
    return t;
}

static struct table *table_new(size_t nkeys, size_t nrecs, size_t arena_len)
{
    return table_new_ar(nkeys, nrecs, arena_len, NULL);
}

static void table_free(struct table *t)
{
    if (!t) return;
    big_free(t->slots, t->slots_sz);
    big_free(t->recs, t->recs_sz);
    if (atomic_fetch_sub(&t->ar->refs, 1) == 1) {
        big_free(t->ar->p, t->ar->cap);
        free(t->ar);
    }
    free(t);
}

static inline const struct slot *table_find(const struct table *t, uint64_t key)
{
    uint64_t i = mix(key) & t->mask;
    for (;;) {
        const struct slot *s = &t->slots[i];
        if (s->key == key) return s;
        if (s->key == 0) return NULL;
        i = (i + 1) & t->mask;
    }
}

/* Find or insert (builder only). */
static inline struct slot *table_slot(struct table *t, uint64_t key)
{
    uint64_t i = mix(key) & t->mask;
    for (;;) {
        struct slot *s = &t->slots[i];
        if (s->key == key) return s;
        if (s->key == 0) {
            s->key = key;
            t->nkeys++;
            return s;
        }
        i = (i + 1) & t->mask;
    }
}

/* ---- epoch-based reclamation ------------------------------------------------------------------- */

#define MAX_READERS 1024
struct reader {
    _Atomic uint64_t epoch; /* 0 = not reading */
    char pad[56];
};
static struct reader readers[MAX_READERS];
static _Atomic int nreaders;
static _Thread_local struct reader *my_reader;
static _Thread_local int my_depth;
static _Atomic uint64_t global_epoch = 1;
static _Atomic(struct zx_credit_view *) current;

struct retired {
    struct zx_credit_view *v;
    uint64_t epoch;
};
static struct retired *retired;
static size_t nretired, capretired;
static pthread_mutex_t retire_mu = PTHREAD_MUTEX_INITIALIZER;

const zx_credit_view *zx_credit_read_begin(void)
{
    if (!my_reader) {
        int i = atomic_fetch_add(&nreaders, 1);
        if (i >= MAX_READERS) zx_die("credit snapshot: more than %d reader threads", MAX_READERS);
        my_reader = &readers[i];
    }
    if (my_depth++ == 0) atomic_store(&my_reader->epoch, atomic_load(&global_epoch));
    return atomic_load(&current);
}

void zx_credit_read_end(const zx_credit_view *v)
{
    if (--my_depth == 0) atomic_store_explicit(&my_reader->epoch, 0, memory_order_release);
}

static void view_free(struct zx_credit_view *v)
{
    if (!v) return;
    if (v->base && atomic_fetch_sub(&v->base->refs, 1) == 1) table_free(v->base);
    if (v->delta && atomic_fetch_sub(&v->delta->refs, 1) == 1) table_free(v->delta);
    free(v);
}

/* Free retired views that no reader can still see. */
static void reclaim(void)
{
    pthread_mutex_lock(&retire_mu);
    uint64_t oldest = UINT64_MAX;
    int n = atomic_load(&nreaders);
    if (n > MAX_READERS) n = MAX_READERS;
    for (int i = 0; i < n; i++) {
        uint64_t e = atomic_load(&readers[i].epoch);
        if (e && e < oldest) oldest = e;
    }
    size_t w = 0;
    for (size_t i = 0; i < nretired; i++) {
        if (retired[i].epoch <= oldest) view_free(retired[i].v);
        else retired[w++] = retired[i];
    }
    nretired = w;
    pthread_mutex_unlock(&retire_mu);
}

/* Publish v; the old view is retired with the new epoch. Caller holds sync_mu (or is the only writer). */
static void publish(struct zx_credit_view *v)
{
    if (v->base) atomic_fetch_add(&v->base->refs, 1);
    if (v->delta) atomic_fetch_add(&v->delta->refs, 1);
    struct zx_credit_view *old = atomic_exchange(&current, v);
    uint64_t e = atomic_fetch_add(&global_epoch, 1) + 1;
    if (old) {
        pthread_mutex_lock(&retire_mu);
        if (nretired == capretired) {
            capretired = capretired ? capretired * 2 : 16;
            retired = xrealloc(retired, capretired * sizeof *retired);
        }
        retired[nretired++] = (struct retired){ old, e };
        pthread_mutex_unlock(&retire_mu);
    }
    reclaim();
}

/* ---- lookup ------------------------------------------------------------------------------------- */

int64_t zx_credit_view_version(const zx_credit_view *v) { return v ? v->version : 0; }
int64_t zx_credit_view_count(const zx_credit_view *v) { return v ? v->count : 0; }

static inline int rec_blocks(const struct rec *r, int cat, uint16_t today)
{
    if (r->publish_on > today) return 0;                         /* 宽限期 (法发〔2019〕35号) */
    if (r->term_end != D16_NONE && today > r->term_end) return 0; /* 失信规定 art 2 term over */
    if (cat < 0) return 1;
    if (!(r->cats & (1u << cat))) return 0;                       /* 限消: only ordered items */
    if (r->permit_from != D16_NONE && r->permit_from <= today && today <= r->permit_to &&
        (r->permit & (1u << cat)))
        return 0;                                                 /* temporary permission */
    return 1;
}

static int lookup_in(const struct table *t, const struct slot *s, uint64_t check, int unit, int cat,
                     uint16_t today, zx_credit_basis *out, int max, int n)
{
    for (uint32_t i = 0; i < s->count; i++) {
        const struct rec *r = &t->recs[s->first + i];
        const char *str = t->arena + r->str;
        size_t cl = r->case_len < 255 ? r->case_len : strlen(str);
        if (!(r->flags & F_UNIT) != !unit) continue; /* a person's ID never matches a unit's code */
        uint64_t ck;
        memcpy(&ck, str + cl + 1, 8);
        if (ck != check) continue; /* 64-bit key collision: the next 64 bits of the blind index differ */
        if (!rec_blocks(r, cat, today)) continue;
        if (n < max) {
            out[n].list = r->list;
            out[n].case_no = str;
            out[n].case_no_len = (int)cl;
            out[n].court = courts[r->court];
            out[n].since = r->publish_on;
            out[n].entry_id = r->entry_id;
        }
        n++;
    }
    return n;
}

void zx_credit_prefetch(const zx_credit_view *v, uint64_t key)
{
    if (!v) return;
    uint64_t h = mix(key);
    if (v->delta) __builtin_prefetch(&v->delta->slots[h & v->delta->mask]);
    __builtin_prefetch(&v->base->slots[h & v->base->mask]);
}

/* Later stages of the bulk pipeline (base table; the delta is small and stays cached): stage 1
 * reads the slot (prefetched by stage 0) and prefetches the first record; stage 2 reads that
 * record and prefetches its case number. Each is a hint: a miss only costs time. */
void zx_credit_prefetch_stage(const zx_credit_view *v, uint64_t key, int stage)
{
    if (!v) return;
    const struct table *t = v->base;
    const struct slot *s = table_find(t, key);
    if (!s || !s->count) return;
    const struct rec *r = &t->recs[s->first];
    if (stage == 1) __builtin_prefetch(r);
    else __builtin_prefetch(t->arena + r->str);
}

int zx_credit_lookup(const zx_credit_view *v, const char id18[18], enum zx_id_kind kind, int cat,
                     zx_date today, zx_credit_basis *out, int max)
{
    if (!v || kind == ZX_IDK_INVALID) return 0;
    return zx_credit_lookup_key(v, zx_credit_id_key(id18, kind), kind, cat, today, out, max);
}

int zx_credit_lookup_key(const zx_credit_view *v, zx_credit_key key, enum zx_id_kind kind, int cat,
                         zx_date today, zx_credit_basis *out, int max)
{
    if (!v || kind == ZX_IDK_INVALID || !key.key) return 0;
    uint16_t d = today < 0 ? 0 : today > 0xFFFE ? 0xFFFE : (uint16_t)today;
    int unit = kind == ZX_IDK_UNIT;
    if (v->delta) {
        const struct slot *s = table_find(v->delta, key.key);
        if (s) return lookup_in(v->delta, s, key.check, unit, cat, d, out, max, 0);
    }
    const struct slot *s = table_find(v->base, key.key);
    if (!s) return 0;
    return lookup_in(v->base, s, key.check, unit, cat, d, out, max, 0);
}

int64_t zx_credit_version(void)
{
    const zx_credit_view *v = zx_credit_read_begin();
    int64_t ver = v ? v->version : 0;
    zx_credit_read_end(v);
    return ver;
}

/* ---- entry → record ----------------------------------------------------------------------------- */

static uint16_t d16(const char *s, uint16_t none)
{
    zx_date d;
    if (!s || !*s || zx_date_parse(s, &d) != 0) return none;
    if (d < 0) return 0;
    if (d > 0xFFFE) return 0xFFFE;
    return (uint16_t)d;
}

/* Fields the builder needs from one entry (row or change JSON). key = zx_credit_plain_key of the ID
 * number opened from its sealed column (sealed_key()). */
struct src {
    int64_t id;
    zx_credit_key key;
    const char *list, *status, *person_kind, *case_no, *court, *categories;
    const char *publish_on, *term_end, *permit_categories, *permit_from, *permit_to;
};

/* Build the record and its string; returns 0 (not held: status not grace/active, or bad data) or 1.
 * key, str (case_no NUL check word) and slen are filled. */
static int make_rec(const struct src *e, struct rec *r, uint64_t *key, char *str, size_t *slen)
{
    if (!e->status || (strcmp(e->status, "active") != 0 && strcmp(e->status, "grace") != 0)) return 0;
    zx_credit_key k = e->key;
    if (!k.key) return 0;
    memset(r, 0, sizeof *r);
    r->entry_id = e->id;
    r->list = e->list && strcmp(e->list, "dishonest") == 0 ? ZX_LIST_DISHONEST : ZX_LIST_RESTRICTED;
    r->flags = e->person_kind && strcmp(e->person_kind, "unit") == 0 ? F_UNIT : 0;
    r->publish_on = d16(e->publish_on, 0);
    r->term_end = d16(e->term_end, D16_NONE);
    if (r->list == ZX_LIST_DISHONEST) {
        r->cats = ZX_CAT_ALL; /* 限消规定 art 1 para 2: a 失信 debtor is restricted in every item */
    } else {
        int m = zx_credit_cat_mask(e->categories);
        r->cats = (uint16_t)(m < 0 ? ZX_CAT_ALL : m);
    }
    if (e->permit_categories && *e->permit_categories && e->permit_from && *e->permit_from) {
        int m = zx_credit_cat_mask(e->permit_categories);
        r->permit = (uint16_t)(m < 0 ? 0 : m);
        r->permit_from = d16(e->permit_from, D16_NONE);
        r->permit_to = d16(e->permit_to, 0);
    } else {
        r->permit_from = D16_NONE;
    }
    r->court = court_intern(e->court ? e->court : "");
    size_t cl = strnlen(e->case_no ? e->case_no : "", 200);
    r->case_len = (uint8_t)(cl < 255 ? cl : 255);
    memcpy(str, e->case_no ? e->case_no : "", cl);
    str[cl] = '\0';
    memcpy(str + cl + 1, &k.check, 8);
    *slen = cl + 1 + 8;
    *key = k.key;
    return 1;
}

/* ---- building a table from unordered records (store load) ---------------------------------------- */

struct builder {
    uint64_t *keys;
    struct rec *recs;
    size_t n, cap;
    char *arena;
    size_t alen, acap;
};

static void builder_add(struct builder *b, uint64_t key, const struct rec *r, const char *str, size_t slen)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 4096;
        b->keys = xrealloc(b->keys, b->cap * sizeof *b->keys);
        b->recs = xrealloc(b->recs, b->cap * sizeof *b->recs);
    }
    if (b->alen + slen > b->acap) {
        while (b->alen + slen > b->acap) b->acap = b->acap ? b->acap * 2 : 65536;
        if (b->acap > UINT32_MAX) zx_die("credit snapshot: string arena over 4 GiB");
        b->arena = xrealloc(b->arena, b->acap);
    }
    b->keys[b->n] = key;
    b->recs[b->n] = *r;
    b->recs[b->n].str = (uint32_t)b->alen;
    memcpy(b->arena + b->alen, str, slen);
    b->alen += slen;
    b->n++;
}

/* Group records by key: count per key, prefix sums, place. Consumes the builder. */
static struct table *builder_finish(struct builder *b)
{
    size_t nkeys_max = b->n;
    /* headroom for the strings of later merges (see struct arena): 1/8, at least 4 MiB */
    size_t room = b->alen / 8 > ((size_t)4 << 20) ? b->alen / 8 : ((size_t)4 << 20);
    struct table *t = table_new(nkeys_max, b->n, b->alen + room);
    for (size_t i = 0; i < b->n; i++) table_slot(t, b->keys[i])->count++;
    uint32_t off = 0;
    for (size_t i = 0; i <= t->mask; i++) {
        if (!t->slots[i].key) continue;
        t->slots[i].first = off;
        off += t->slots[i].count;
        t->slots[i].count = 0;
    }
    for (size_t i = 0; i < b->n; i++) {
        struct slot *s = table_slot(t, b->keys[i]);
        t->recs[s->first + s->count++] = b->recs[i];
    }
    t->nrecs = b->n;
    free(b->keys);
    free(b->recs);
    if (b->alen) memcpy(t->arena, b->arena, b->alen);
    t->arena_len = b->alen;
    t->ar->len = b->alen;
    free(b->arena);
    memset(b, 0, sizeof *b);
    return t;
}

/* ---- the writer's working map W ---------------------------------------------------------------- */

struct wrec {
    struct rec r;
    char *str;              /* malloc'ed: case_no NUL [code18] */
    uint32_t slen;
};
struct went {
    uint64_t key;
    int64_t mod_version;
    uint32_t n, cap;
    int base_count;         /* records the base table has for key */
    struct wrec *recs;
};
struct wmap {
    struct went *e;
    size_t cap, n;
};

static pthread_mutex_t sync_mu = PTHREAD_MUTEX_INITIALIZER;
static struct wmap W;                 /* under sync_mu */
static int64_t applied;               /* highest seq folded into W (under sync_mu) */
static struct table *cur_base;        /* base of the current view (under sync_mu) */
static int64_t base_count;            /* records in cur_base */

static void went_clear(struct went *w)
{
    for (uint32_t i = 0; i < w->n; i++) free(w->recs[i].str);
    free(w->recs);
    memset(w, 0, sizeof *w);
}

static void wmap_free(struct wmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        if (m->e[i].key) went_clear(&m->e[i]);
    free(m->e);
    memset(m, 0, sizeof *m);
}

static struct went *wmap_find(struct wmap *m, uint64_t key, int create)
{
    if (create && (m->n + 1) * 4 >= m->cap * 3) {
        size_t ncap = m->cap ? m->cap * 2 : 1024;
        struct went *ne = xcalloc(ncap, sizeof *ne);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->e[i].key) continue;
            uint64_t j = mix(m->e[i].key) & (ncap - 1);
            while (ne[j].key) j = (j + 1) & (ncap - 1);
            ne[j] = m->e[i];
        }
        free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    if (!m->cap) return NULL;
    uint64_t j = mix(key) & (m->cap - 1);
    while (m->e[j].key) {
        if (m->e[j].key == key) return &m->e[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!create) return NULL;
    m->e[j].key = key;
    m->n++;
    return &m->e[j];
}

/* The W entry for key, seeded from the base table on first touch. */
static struct went *wmap_touch(uint64_t key)
{
    struct went *w = wmap_find(&W, key, 0);
    if (w) return w;
    w = wmap_find(&W, key, 1);
    const struct slot *s = cur_base ? table_find(cur_base, key) : NULL;
    if (s && s->count) {
        w->cap = s->count + 1;
        w->recs = xcalloc(w->cap, sizeof *w->recs);
        for (uint32_t i = 0; i < s->count; i++) {
            const struct rec *r = &cur_base->recs[s->first + i];
            const char *str = cur_base->arena + r->str;
            size_t cl = strlen(str) + 1 + 8;
            w->recs[i].r = *r;
            w->recs[i].str = xrealloc(NULL, cl);
            memcpy(w->recs[i].str, str, cl);
            w->recs[i].slen = (uint32_t)cl;
        }
        w->n = s->count;
        w->base_count = (int)s->count;
    }
    return w;
}

static void went_remove(struct went *w, int64_t entry_id)
{
    for (uint32_t i = 0; i < w->n; i++) {
        if (w->recs[i].r.entry_id != entry_id) continue;
        free(w->recs[i].str);
        w->recs[i] = w->recs[--w->n];
        return;
    }
}

static void went_add(struct went *w, const struct rec *r, const char *str, size_t slen)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 2;
        w->recs = xrealloc(w->recs, w->cap * sizeof *w->recs);
    }
    struct wrec *x = &w->recs[w->n++];
    x->r = *r;
    x->str = xrealloc(NULL, slen);
    memcpy(x->str, str, slen);
    x->slen = (uint32_t)slen;
}

/* Fold one change (the entry's state after it) into W. pk: key of the entry's previous ID number
 * when a correction changed the number itself ({0} otherwise). */
static void apply_change(int64_t seq, const struct src *e, zx_credit_key pk)
{
    /* Remove the entry under its previous ID number (correction of the number itself). */
    if (pk.key) {
        struct went *w = wmap_touch(pk.key);
        went_remove(w, e->id);
        w->mod_version = seq;
    }
    zx_credit_key k = e->key;
    if (!k.key) return;
    uint64_t key = k.key;
    struct went *w = wmap_touch(key);
    went_remove(w, e->id);
    struct rec r;
    char str[256];
    size_t slen;
    uint64_t k2;
    if (make_rec(e, &r, &k2, str, &slen)) went_add(w, &r, str, slen);
    w->mod_version = seq;
}

/* Immutable delta table from W. */
static struct table *delta_build(int64_t *count_adj)
{
    size_t nrecs = 0, alen = 0;
    int64_t adj = 0;
    for (size_t i = 0; i < W.cap; i++) {
        const struct went *w = &W.e[i];
        if (!w->key) continue;
        nrecs += w->n;
        for (uint32_t j = 0; j < w->n; j++) alen += w->recs[j].slen;
        adj += (int64_t)w->n - w->base_count;
    }
    struct table *t = table_new(W.n, nrecs, alen);
    size_t ri = 0, ai = 0;
    for (size_t i = 0; i < W.cap; i++) {
        const struct went *w = &W.e[i];
        if (!w->key) continue;
        struct slot *s = table_slot(t, w->key);
        s->first = (uint32_t)ri;
        s->count = w->n;
        for (uint32_t j = 0; j < w->n; j++) {
            t->recs[ri] = w->recs[j].r;
            t->recs[ri].str = (uint32_t)ai;
            memcpy(t->arena + ai, w->recs[j].str, w->recs[j].slen);
            ai += w->recs[j].slen;
            ri++;
        }
    }
    t->nrecs = nrecs;
    t->arena_len = alen;
    t->ar->len = alen;
    *count_adj = adj;
    return t;
}

/* New view = cur_base + delta(W) at version `applied`. Caller holds sync_mu. */
static void publish_from_w(void)
{
    struct zx_credit_view *v = xcalloc(1, sizeof *v);
    int64_t adj = 0;
    v->base = cur_base;
    v->delta = W.n ? delta_build(&adj) : NULL;
    v->version = applied;
    v->count = base_count + adj;
    publish(v);
}

/* ---- reading the store -------------------------------------------------------------------------- */

static zx_counter *c_sync_changes;
static zx_counter *c_unopened;

/* Key of the ID number sealed in column col: opened (SM4-CTR + HMAC-SM3 tag), hashed, wiped and freed
 * here — the clear value never outlives this call. {0} for SQL NULL; a value that does not open
 * (tampered with, or sealed under a key version the key file lacks) also gives {0} and counts in
 * *bad: the caller must not treat that entry as "not listed" silently. */
static zx_credit_key sealed_key(db_stmt *s, int col, int64_t *bad)
{
    if (db_col_is_null(s, col)) return (zx_credit_key){ 0, 0 };
    char *p = zx_pii_col(s, col, ZX_PII_ID_NUMBER);
    if (!p) {
        ++*bad;
        return (zx_credit_key){ 0, 0 };
    }
    zx_credit_key k = zx_credit_plain_key(p);
    zx_pii_free(p);
    return k;
}

static void src_from_entry(struct src *s, const struct zx_credit_entry *e, zx_credit_key key)
{
    s->id = e->id;
    s->list = e->list;
    s->status = e->status;
    s->key = key;
    s->person_kind = e->person_kind;
    s->case_no = e->case_no;
    s->court = e->court_code;
    s->categories = e->categories;
    s->publish_on = e->publish_on;
    s->term_end = e->term_end;
    s->permit_categories = e->permit_categories;
    s->permit_from = e->permit_from;
    s->permit_to = e->permit_to;
}

/* Fold credit_change rows after `applied` into W. Caller holds sync_mu. Returns rows applied or < 0. */
static int64_t fold_changes(db_conn *c)
{
    int64_t total = 0;
    for (;;) {
        db_stmt *s = db_prepare(c, "SELECT seq, data, prev_id_number_enc, id_number_enc FROM credit_change WHERE seq > ? "
                                   "ORDER BY seq LIMIT " "2000");
        if (!s) return DB_ERROR;
        db_bind_int64(s, 1, applied);
        int n = 0, rc;
        while ((rc = db_step(s)) == DB_ROW) {
            int64_t seq = db_col_int64(s, 0);
            const char *data = db_col_text(s, 1);
            json_error_t jerr;
            json_t *j = data ? json_loads(data, 0, &jerr) : NULL;
            struct zx_credit_entry e;
            int64_t bad = 0;
            zx_credit_key pk = sealed_key(s, 2, &bad), k = sealed_key(s, 3, &bad);
            if (bad) {
                /* Cannot happen with the store's own key file (zx_pii_check_store refuses another
                 * one at start): the row was altered outside zhixing. Logged and counted (metric
                 * zx_credit_sealed_unopened_total) for the operator; the entry keeps its last state. */
                LOG_ERROR("credit snapshot: change %lld: the sealed ID number does not open", (long long)seq);
                if (c_unopened) zx_counter_add(c_unopened, bad);
            } else if (j && zx_credit_entry_from_json(j, &e) == 0) {
                if (!k.key && (strcmp(e.status, "active") == 0 || strcmp(e.status, "grace") == 0)) {
                    LOG_ERROR("credit snapshot: change %lld lists an entry without its sealed ID number", (long long)seq);
                    if (c_unopened) zx_counter_add(c_unopened, 1);
                }
                struct src sr;
                src_from_entry(&sr, &e, k);
                apply_change(seq, &sr, pk);
            } else {
                LOG_ERROR("credit snapshot: change %lld has unreadable data", (long long)seq);
            }
            json_decref(j);
            if (seq != applied + 1 && applied > 0)
                LOG_WARN("credit snapshot: change feed gap %lld → %lld", (long long)applied, (long long)seq);
            applied = seq;
            n++;
        }
        db_finalize(s);
        if (rc < 0) return rc;
        total += n;
        if (n < SYNC_BATCH) break;
    }
    if (total && c_sync_changes) zx_counter_add(c_sync_changes, total);
    return total;
}

int64_t zx_credit_sync(db_conn *c)
{
    pthread_mutex_lock(&sync_mu);
    if (!cur_base) { /* never loaded: start from an empty base and the whole feed */
        cur_base = table_new(0, 0, 0);
        base_count = 0;
    }
    int64_t n = fold_changes(c);
    int64_t ver = applied;
    if (n > 0 || !atomic_load(&current)) publish_from_w();
    pthread_mutex_unlock(&sync_mu);
    return n < 0 ? n : ver;
}

/* One part of the store load: rows with lo < key ≤ hi, where key is SQLite's rowid (sequential
 * B-tree order, no index lookups) or the id (PostgreSQL; keyset pages so libpq never buffers the
 * whole result). No status filter in SQL: with one, SQLite picks the status index and sorts 10M rows
 * in a temp B-tree; make_rec() skips entries that are not grace/active. */
struct load_job {
    db_conn *c;
    int by_rowid;
    int64_t lo, hi;
    struct builder b;
    int rc;
    int64_t bad; /* held entries whose sealed ID number is missing or does not open */
};

static void *load_part(void *arg)
{
    struct load_job *j = arg;
    const char *sql = j->by_rowid
                          ? "SELECT rowid, list, status, id_number_enc, case_no, court_code, categories, publish_on, "
                            "term_end, permit_categories, permit_from, permit_to, id, person_kind FROM credit_entry "
                            "WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT 200000"
                          : "SELECT id, list, status, id_number_enc, case_no, court_code, categories, publish_on, "
                            "term_end, permit_categories, permit_from, permit_to, id, person_kind FROM credit_entry "
                            "WHERE id > ? AND id <= ? ORDER BY id LIMIT 200000";
    int64_t after = j->lo;
    for (;;) {
        db_stmt *s = db_prepare(j->c, sql);
        if (!s) {
            j->rc = DB_ERROR;
            return NULL;
        }
        db_bind_int64(s, 1, after);
        db_bind_int64(s, 2, j->hi);
        int n = 0, rc;
        while ((rc = db_step(s)) == DB_ROW) {
            const char *st = db_col_text(s, 2);
            bool held = st && (strcmp(st, "active") == 0 || strcmp(st, "grace") == 0);
            struct src e = {
                .id = db_col_int64(s, 12), .list = db_col_text(s, 1), .status = st,
                .key = !held ? (zx_credit_key){ 0, 0 }
                       : db_col_is_null(s, 3) ? (j->bad++, (zx_credit_key){ 0, 0 })
                                              : sealed_key(s, 3, &j->bad),
                .person_kind = db_col_text(s, 13), .case_no = db_col_text(s, 4), .court = db_col_text(s, 5),
                .categories = db_col_text(s, 6), .publish_on = db_col_text(s, 7), .term_end = db_col_text(s, 8),
                .permit_categories = db_col_text(s, 9), .permit_from = db_col_text(s, 10),
                .permit_to = db_col_text(s, 11),
            };
            struct rec r;
            uint64_t key;
            char str[256];
            size_t slen;
            if (make_rec(&e, &r, &key, str, &slen)) builder_add(&j->b, key, &r, str, slen);
            after = db_col_int64(s, 0);
            n++;
        }
        db_finalize(s);
        if (rc < 0) {
            j->rc = rc;
            return NULL;
        }
        if (n < LOAD_PAGE) break;
    }
    j->rc = 0;
    return NULL;
}

/* Append builder y to x (arena offsets of y's records shift by x's arena length). */
static void builder_concat(struct builder *x, struct builder *y)
{
    if (x->n + y->n > x->cap) {
        x->cap = x->n + y->n;
        x->keys = xrealloc(x->keys, x->cap * sizeof *x->keys);
        x->recs = xrealloc(x->recs, x->cap * sizeof *x->recs);
    }
    if (x->alen + y->alen > UINT32_MAX) zx_die("credit snapshot: string arena over 4 GiB");
    if (x->alen + y->alen > x->acap) {
        x->acap = x->alen + y->alen;
        x->arena = xrealloc(x->arena, x->acap ? x->acap : 1);
    }
    memcpy(x->keys + x->n, y->keys, y->n * sizeof *y->keys);
    for (size_t i = 0; i < y->n; i++) {
        x->recs[x->n + i] = y->recs[i];
        x->recs[x->n + i].str += (uint32_t)x->alen;
    }
    if (y->alen) memcpy(x->arena + x->alen, y->arena, y->alen);
    x->n += y->n;
    x->alen += y->alen;
    free(y->keys), free(y->recs), free(y->arena);
    memset(y, 0, sizeof *y);
}

static void builder_reserve(struct builder *b, size_t n)
{
    if (!n) return;
    b->cap = n;
    b->keys = xrealloc(NULL, b->cap * sizeof *b->keys);
    b->recs = xrealloc(NULL, b->cap * sizeof *b->recs);
    b->acap = n * 28;
    b->arena = xrealloc(NULL, b->acap);
}

int64_t zx_credit_snapshot_load(db_conn *c)
{
    int64_t t0 = zx_now_ms();
    int64_t head = 0;
    if (db_exec_int64(c, "SELECT seq FROM credit_change_head WHERE id = 1", &head) != 0) return DB_ERROR;
    int64_t expected = 0;
    db_exec_int64(c, "SELECT COUNT(*) FROM credit_entry WHERE status IN ('grace', 'active')", &expected);
    /* On SQLite (and when the server's pool is there) LOAD_PARTS threads read rowid ranges of the
     * table on their own connections. Warm, the scan is CPU-bound row decoding (two cores here);
     * cold, it is bound by read latency, because a table's pages are not in rowid order in the
     * file (measured: credit_entry's 1M pages spread over the whole 10 GB file, interleaved with
     * the query log): one reader waits on one 4 KB read at a time, so eight keep eight in
     * flight (cold build of 10M entries 52 s → see docs/BENCHMARKS.md). */
    bool sqlite = zx_g && zx_g->db && db_kind(zx_g->db) == DB_SQLITE;
    struct load_job jobs[LOAD_PARTS];
    memset(jobs, 0, sizeof jobs);
    int njobs = 1;
    int64_t maxrow = 0;
    db_t *side = NULL;
    if (sqlite && db_exec_int64(c, "SELECT COALESCE(MAX(rowid), 0) FROM credit_entry", &maxrow) == 0 && maxrow > 400000) {
        char err[256];
        side = db_open(zx_g->cfg.db, LOAD_PARTS - 1, err, sizeof err);
        if (side) njobs = LOAD_PARTS;
        else LOG_WARN("credit snapshot: one reader only (%s)", err);
    }
    for (int i = 0; i < njobs; i++) {
        jobs[i].by_rowid = sqlite;
        jobs[i].lo = sqlite ? (i == 0 ? 0 : maxrow / njobs * i) : INT64_MIN;
        jobs[i].hi = sqlite ? (i == njobs - 1 ? INT64_MAX : maxrow / njobs * (i + 1)) : INT64_MAX;
        builder_reserve(&jobs[i].b, expected > 0 ? (size_t)expected / (size_t)njobs + 1024 : 0);
    }
    jobs[0].c = c;
    pthread_t th[LOAD_PARTS];
    bool threaded[LOAD_PARTS] = { false };
    for (int i = 1; i < njobs; i++) {
        jobs[i].c = db_acquire(side);
        threaded[i] = pthread_create(&th[i], NULL, load_part, &jobs[i]) == 0;
    }
    load_part(&jobs[0]);
    int rc = jobs[0].rc;
    int64_t bad = jobs[0].bad;
    for (int i = 1; i < njobs; i++) {
        if (threaded[i]) pthread_join(th[i], NULL);
        else load_part(&jobs[i]);
        db_release(side, jobs[i].c);
        if (!rc) rc = jobs[i].rc;
        bad += jobs[i].bad;
        builder_concat(&jobs[0].b, &jobs[i].b);
    }
    if (side) db_close(side);
    struct builder b = jobs[0].b;
    if (!rc && bad) {
        /* An effective entry the engine cannot key would answer "allow" for a listed debtor: refuse
         * to serve rather than answer wrongly. Only a store altered outside zhixing gets here (the
         * start-up step seals every legacy row first; a wrong key file is refused before). */
        LOG_ERROR("credit snapshot: %lld effective entries have a sealed ID number that is missing or does not "
                  "open with this key file — refusing to build a snapshot that would answer \"allow\" for them",
                  (long long)bad);
        rc = DB_ERROR;
    }
    if (rc < 0) {
        free(b.keys), free(b.recs), free(b.arena);
        return rc;
    }
    struct table *t = builder_finish(&b);
    pthread_mutex_lock(&sync_mu);
    wmap_free(&W);
    cur_base = t;
    base_count = (int64_t)t->nrecs;
    applied = head;
    fold_changes(c); /* changes committed while we scanned (idempotent replay) */
    publish_from_w();
    int64_t ver = applied;
    pthread_mutex_unlock(&sync_mu);
    LOG_INFO("credit snapshot: %zu entries under %zu keys, list_version %lld, built in %lld ms", t->nrecs, t->nkeys,
             (long long)ver, (long long)(zx_now_ms() - t0));
    return ver;
}

void zx_credit_snapshot_reset(void)
{
    pthread_mutex_lock(&sync_mu);
    wmap_free(&W);
    applied = 0;
    cur_base = NULL;
    base_count = 0;
    struct zx_credit_view *old = atomic_exchange(&current, NULL);
    uint64_t e = atomic_fetch_add(&global_epoch, 1) + 1;
    if (old) {
        pthread_mutex_lock(&retire_mu);
        if (nretired == capretired) {
            capretired = capretired ? capretired * 2 : 16;
            retired = xrealloc(retired, capretired * sizeof *retired);
        }
        retired[nretired++] = (struct retired){ old, e };
        pthread_mutex_unlock(&retire_mu);
    }
    reclaim();
    pthread_mutex_unlock(&sync_mu);
}

/* ---- merge: base' = base ⊕ delta ----------------------------------------------------------------- */

static size_t rec_bytes(const struct table *t, const struct rec *r)
{
    return strlen(t->arena + r->str) + 1 + 8; /* case_no NUL check word */
}

/* Caller holds merge_mu (the only appender to b's arena). */
static struct table *merge_tables(const struct table *b, const struct table *d)
{
    size_t nkeys = 0, nrecs = 0, alen = 0, dlen = 0;
    /* pass 1: sizes (alen = every string, dlen = strings coming from the delta) */
    for (size_t i = 0; i <= b->mask; i++) {
        const struct slot *s = &b->slots[i];
        if (!s->key) continue;
        const struct slot *ds = d ? table_find(d, s->key) : NULL;
        const struct table *src = ds ? d : b;
        const struct slot *ss = ds ? ds : s;
        if (!ss->count) continue;
        nkeys++;
        nrecs += ss->count;
        for (uint32_t j = 0; j < ss->count; j++) {
            size_t n = rec_bytes(src, &src->recs[ss->first + j]);
            alen += n;
            if (ds) dlen += n;
        }
    }
    if (d)
        for (size_t i = 0; i <= d->mask; i++) {
            const struct slot *s = &d->slots[i];
            if (!s->key || !s->count || table_find(b, s->key)) continue;
            nkeys++;
            nrecs += s->count;
            for (uint32_t j = 0; j < s->count; j++) {
                size_t n = rec_bytes(d, &d->recs[s->first + j]);
                alen += n;
                dlen += n;
            }
        }
    /* Share b's arena when the delta's strings fit in its headroom; else compact into a new one. */
    struct arena *ar = b->ar;
    bool share = b->arena_len == ar->len && ar->len + dlen <= ar->cap && ar->len + dlen <= UINT32_MAX;
    struct table *t;
    size_t ai;
    if (share) {
        t = table_new_ar(nkeys, nrecs, 0, ar);
        ai = ar->len;
    } else {
        size_t room = alen / 8 > ((size_t)4 << 20) ? alen / 8 : ((size_t)4 << 20);
        if (alen + room > UINT32_MAX) zx_die("credit snapshot: string arena over 4 GiB");
        t = table_new(nkeys, nrecs, alen + room);
        ai = 0;
    }
    size_t ri = 0;
    for (int pass = 0; pass < 2; pass++) {
        const struct table *outer = pass == 0 ? b : d;
        if (!outer) continue;
        for (size_t i = 0; i <= outer->mask; i++) {
            const struct slot *s = &outer->slots[i];
            if (!s->key) continue;
            const struct table *src;
            const struct slot *ss;
            if (pass == 0) {
                const struct slot *ds = d ? table_find(d, s->key) : NULL;
                src = ds ? d : b;
                ss = ds ? ds : s;
            } else {
                if (table_find(b, s->key)) continue;
                src = d;
                ss = s;
            }
            if (!ss->count) continue;
            struct slot *ns = table_slot(t, s->key);
            ns->first = (uint32_t)ri;
            ns->count = ss->count;
            for (uint32_t j = 0; j < ss->count; j++) {
                const struct rec *r = &src->recs[ss->first + j];
                t->recs[ri] = *r;
                if (!(share && src == b)) { /* copy the string (kept in place when shared) */
                    size_t cl = rec_bytes(src, r);
                    memcpy(t->arena + ai, src->arena + r->str, cl);
                    t->recs[ri].str = (uint32_t)ai;
                    ai += cl;
                }
                ri++;
            }
        }
    }
    t->nrecs = nrecs;
    t->arena_len = ai;
    t->ar->len = ai;
    return t;
}

static pthread_mutex_t merge_mu = PTHREAD_MUTEX_INITIALIZER;

void zx_credit_snapshot_merge(void)
{
    pthread_mutex_lock(&merge_mu);
    /* Pin the current view while merging (long read section; the writer keeps going). */
    const zx_credit_view *v = zx_credit_read_begin();
    if (!v || !v->delta) {
        zx_credit_read_end(v);
        pthread_mutex_unlock(&merge_mu);
        return;
    }
    int64_t t0 = zx_now_ms();
    struct table *nb = merge_tables(v->base, v->delta);
    int64_t merged_version = v->version;
    struct table *old_base = v->base;
    zx_credit_read_end(v);

    pthread_mutex_lock(&sync_mu);
    if (cur_base != old_base) { /* reloaded meanwhile */
        pthread_mutex_unlock(&sync_mu);
        table_free(nb);
        pthread_mutex_unlock(&merge_mu);
        return;
    }
    /* Keys not touched after merged_version are now exactly in nb: drop them from W. Keys touched
     * later stay, with base_count re-read from nb. */
    struct wmap keep = { 0 };
    for (size_t i = 0; i < W.cap; i++) {
        struct went *w = &W.e[i];
        if (!w->key) continue;
        if (w->mod_version <= merged_version) {
            went_clear(w);
            continue;
        }
        struct went *k = wmap_find(&keep, w->key, 1);
        uint64_t key = w->key;
        *k = *w;
        const struct slot *s = table_find(nb, key);
        k->base_count = s ? (int)s->count : 0;
    }
    free(W.e);
    W = keep;
    cur_base = nb;
    base_count = (int64_t)nb->nrecs;
    publish_from_w();
    pthread_mutex_unlock(&sync_mu);
    LOG_INFO("credit snapshot: merged delta into a new base of %zu entries in %lld ms", nb->nrecs,
             (long long)(zx_now_ms() - t0));
    pthread_mutex_unlock(&merge_mu);
}

/* ---- server integration -------------------------------------------------------------------------- */

static int64_t g_version(void) { return zx_credit_version(); }
static int64_t g_entries(void)
{
    const zx_credit_view *v = zx_credit_read_begin();
    int64_t n = v ? v->count : 0;
    zx_credit_read_end(v);
    return n;
}
static int64_t g_delta(void)
{
    const zx_credit_view *v = zx_credit_read_begin();
    int64_t n = v && v->delta ? (int64_t)v->delta->nkeys : 0;
    zx_credit_read_end(v);
    return n;
}

/* Background thread: sleeps on a condition variable so the stop hook can end it before the store
 * closes (server shutdown). */
static pthread_mutex_t bg_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t bg_cv = PTHREAD_COND_INITIALIZER;
static bool bg_stopping, bg_started;
static pthread_t bg_thread;

/* Sleep up to secs; false once the server is stopping. */
static bool bg_wait(int secs)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += secs;
    pthread_mutex_lock(&bg_mu);
    while (!bg_stopping)
        if (pthread_cond_timedwait(&bg_cv, &bg_mu, &ts) != 0) break;
    bool go = !bg_stopping;
    pthread_mutex_unlock(&bg_mu);
    return go;
}

static void *sync_thread(void *arg)
{
    zx_app *app = arg;
    for (unsigned tick = 0; bg_wait(1); tick++) {
        db_conn *c = db_acquire(app->db);
        if (tick % 60 == 0) { /* 宽限期 ends: publish due entries (the change feed shows them as listed) */
            int p = zx_credit_publish_due(c, zx_today());
            if (p > 0) LOG_INFO("credit: %d entries published at the end of their grace period", p);
        }
        int64_t rc = zx_credit_sync(c);
        db_release(app->db, c);
        if (rc < 0) LOG_WARN("credit snapshot: background sync failed (%lld)", (long long)rc);
        size_t wn;
        pthread_mutex_lock(&sync_mu);
        wn = W.n;
        pthread_mutex_unlock(&sync_mu);
        if (wn > MERGE_KEYS) zx_credit_snapshot_merge();
        reclaim();
    }
    return NULL;
}

static int snapshot_stop(zx_app *app)
{
    if (!bg_started) return 0;
    pthread_mutex_lock(&bg_mu);
    bg_stopping = true;
    pthread_cond_broadcast(&bg_cv);
    pthread_mutex_unlock(&bg_mu);
    pthread_join(bg_thread, NULL);
    bg_started = false;
    return 0;
}
ZX_ON_STOP("credit snapshot", snapshot_stop)

static int snapshot_start(zx_app *app)
{
    /* Only the server (main.c serve sets started_ms before the hooks) keeps a snapshot and its
     * thread; CLI commands share the hooks but must not load 10M entries or outlive db_close. */
    if (!app->started_ms) return 0;
    c_sync_changes = zx_counter_get("zx_credit_sync_changes_total", "credit_change rows folded into the snapshot");
    c_unopened = zx_counter_get("zx_credit_sealed_unopened_total",
                                "credit_change rows whose sealed ID number did not open (store altered outside zhixing)");
    zx_gauge_register("zx_credit_list_version", "credit list_version visible to partners", g_version);
    zx_gauge_register("zx_credit_snapshot_entries", "effective or grace credit entries in memory", g_entries);
    zx_gauge_register("zx_credit_snapshot_delta_keys", "keys in the delta overlay", g_delta);
    db_conn *c = db_acquire(app->db);
    int64_t v = zx_credit_snapshot_load(c);
    db_release(app->db, c);
    if (v < 0) {
        LOG_ERROR("credit snapshot: load failed (%lld)", (long long)v);
        return -1;
    }
    if (pthread_create(&bg_thread, NULL, sync_thread, app) != 0) return -1;
    bg_started = true;
    return 0;
}
ZX_ON_START("credit snapshot", snapshot_start)
