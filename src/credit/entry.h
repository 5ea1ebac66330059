/* entry.h — credit_entry / credit_change: the shared read/write helpers for 失信 (dishonest list)
 * and 限消 (consumption restriction) entries, the restricted-category codes, ID normalisation, and
 * the lock-free lookup API of the in-memory snapshot (implemented in snapshot.c).
 *
 * Write path (decision code, demo generator, tests):
 *     db_begin(c);
 *     struct zx_credit_entry e; zx_credit_entry_init(&e); …fill…;
 *     int64_t seq = zx_credit_entry_save(c, &e, "listed");   // insert/update + credit_change row
 *     zx_audit_req(r, c, "credit.list", "credit_entry", e.id, "ok", NULL);
 *     db_commit(c);
 *     zx_credit_sync(c);                                     // visible to partners before replying
 *
 * Effect rule used by the snapshot (and documented to partners): an entry blocks on day D iff
 *   status ∈ {grace, active} ∧ publish_on ≤ D (宽限期, 法发〔2019〕35号) ∧ (term_end NULL ∨ D ≤ term_end)
 *   (失信规定 art 2), and for category c: list = dishonest (失信规定 + 限消规定 art 1 para 2: a 失信
 *   debtor is always restricted in every item) or c ∈ categories (NULL/empty = every item), minus a
 *   temporary permission (法发〔2019〕35号 para 17) when permit_from ≤ D ≤ permit_to ∧ c ∈ permit. */
#ifndef ZX_CREDIT_ENTRY_H
#define ZX_CREDIT_ENTRY_H
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/date.h"
#include "store/db.h"

/* ---- Restricted categories: 限消规定 (法释〔2010〕8号, amended 2015) art 3, nine items. ---------- */
enum zx_credit_cat {
    ZX_CAT_FLIGHT = 0,             /* art 3 (1) 乘坐飞机 */
    ZX_CAT_TRAIN_SLEEPER = 1,      /* art 3 (1) 列车软卧 */
    ZX_CAT_SHIP_CABIN = 2,         /* art 3 (1) 轮船二等以上舱位 */
    ZX_CAT_HOTEL = 3,              /* art 3 (2) 星级以上宾馆、酒店、夜总会、高尔夫球场等高消费 */
    ZX_CAT_REAL_ESTATE = 4,        /* art 3 (3) 购买不动产或新建、扩建、高档装修房屋 */
    ZX_CAT_OFFICE_RENT = 5,        /* art 3 (4) 租赁高档写字楼、宾馆、公寓等场所办公 */
    ZX_CAT_VEHICLE = 6,            /* art 3 (5) 购买非经营必需车辆 */
    ZX_CAT_TRAVEL = 7,             /* art 3 (6) 旅游、度假 */
    ZX_CAT_PRIVATE_SCHOOL = 8,     /* art 3 (7) 子女就读高收费私立学校 */
    ZX_CAT_INSURANCE_WEALTH = 9,   /* art 3 (8) 支付高额保费购买保险理财产品 */
    ZX_CAT_HIGH_SPEED_RAIL = 10,   /* art 3 (9) G字头动车组全部座位、其他动车组一等以上座位 */
    ZX_CAT_OTHER = 11,             /* art 3 (9) 其他非生活和工作必需的消费行为 */
    ZX_CAT_COUNT = 12
};
#define ZX_CAT_ALL ((uint16_t)((1u << ZX_CAT_COUNT) - 1u))

struct zx_credit_category {
    const char *code;     /* "flight" — API and SQL code */
    int item;             /* 限消规定 art 3 item number */
    const char *label;    /* "限制乘坐飞机" — statistics label */
    const char *article;  /* "《关于限制被执行人高消费及有关消费的若干规定》第三条第（一）项" */
};
extern const struct zx_credit_category zx_credit_categories[ZX_CAT_COUNT];

/* Category code → bit (0..ZX_CAT_COUNT-1) or -1. len < 0: strlen. */
int zx_credit_cat_bit(const char *code, int len);
/* Parse a space-separated code list into a mask. NULL or "" → ZX_CAT_ALL. Unknown code → -1. */
int zx_credit_cat_mask(const char *codes);
/* Mask → space-separated codes into buf (ZX_CAT_ALL → every code). */
void zx_credit_cat_format(uint16_t mask, char *buf, size_t len);

/* ---- ID numbers --------------------------------------------------------------------------------- */
enum zx_id_kind { ZX_IDK_INVALID = 0, ZX_IDK_PERSON = 1, ZX_IDK_UNIT = 2 };
/* Normalise and validate an ID number: 18-char 居民身份证号 (GB 11643, MOD 11-2 check, real birth
 * date ≤ today; lowercase x accepted → X), legacy 15-digit (converted to 18 with "19" and a computed
 * check), or an 18-char 统一社会信用代码 (GB 32100, MOD 31 check). Surrounding spaces are ignored.
 * Writes 18 chars + NUL into out. Returns the kind (ZX_IDK_INVALID if not valid). */
enum zx_id_kind zx_credit_id_normalise(const char *in, size_t len, zx_date today, char out[19]);
/* The same with the subject's kind stated by the caller: ZX_IDK_PERSON accepts only a valid
 * 居民身份证号码, ZX_IDK_UNIT only a valid 统一社会信用代码, ZX_IDK_INVALID (= not stated) either —
 * but a value shaped like an ID number (zx_idno_shaped) that fails GB 11643 is then invalid even if
 * it passes the GB 32100 check: a mistyped ID never becomes a credit code and answers "allow"
 * (issue 10 item 4). zx_credit_id_normalise = not stated. */
enum zx_id_kind zx_credit_id_normalise_kind(const char *in, size_t len, enum zx_id_kind want, zx_date today,
                                            char out[19]);
/* "person" / "unit" → kind; NULL or "" → ZX_IDK_INVALID (not stated); anything else → -1. */
int zx_credit_kind_parse(const char *s, size_t n);
/* Snapshot key of a normalised ID (issue 10 item 11, no regression of the credit check): the 128 bits
 * of AES-128 (core/pii_prp.h) of the 18 characters packed bijectively into one block, under
 * zx_pii_snapshot_key() — key = the first 64 bits (the hash-table key, never 0), check = the next 64,
 * compared on every hit: two different IDs never share both (a keyed bijection; see snapshot.c). The
 * snapshot is built from the ID numbers opened (SM4) from credit_entry.id_number_enc, so it holds
 * neither an ID number nor the blind index; a few ns per ID instead of an HMAC-SM3. The partner query log records its own keyed digest of `key`.
 * kind INVALID → {0, 0}. */
typedef struct zx_credit_key {
    uint64_t key, check;
} zx_credit_key;
zx_credit_key zx_credit_id_key(const char id18[18], enum zx_id_kind kind);
/* Four valid normalised IDs at once (bulk checks): out[i] = zx_credit_id_key(id18[i], its kind). */
void zx_credit_id_keys4(const char *const id18[4], zx_credit_key out[4]);
/* The key of a stored ID number as opened from its sealed column (zx_pii_open output: normalised by
 * zx_pii_normalise, any length); {0, 0} for NULL/empty. Equals zx_credit_id_key of the same ID. */
zx_credit_key zx_credit_plain_key(const char *plain);
/* Display mask: first 10 + "****" + last 4 (rules.md §12, 中国执行信息公开网). out[19]. */
void zx_credit_id_mask(const char *id, char out[19]);

/* ---- Names: traditional → simplified folding (OpenCC t2s) for name search. ----------------------- */
/* Fold a name to its search key: OpenCC t2s, spaces and '·'/'•' variants removed. Returns a malloc'ed
 * string (caller frees). Thread-safe. */
char *zx_credit_name_norm(const char *name);

/* ---- Entries ------------------------------------------------------------------------------------- */
struct zx_credit_entry {
    int64_t id;                /* 0 → zx_credit_entry_save assigns zx_id_new() */
    char list[12];             /* "dishonest" | "restricted" */
    int64_t case_id;           /* 0 = NULL */
    char case_no[64];
    char court_code[24];
    char court_name[128];      /* the deciding court's name ("" = NULL: resolved from court) */
    char person_kind[8];       /* "person" | "unit" */
    char name[128];
    char id_number[20];        /* normalised by save */
    char legal_rep[128];       /* "" = NULL */
    int64_t bound_by_entry_id; /* 0 = NULL */
    char bound_role[24];       /* "" = NULL */
    int ground;                /* 0 = NULL, 1–6 = 失信规定 art 1 item */
    char categories[256];      /* "" = NULL (all) */
    char decided_on[11];
    char served_on[11];
    char publish_on[11];
    char term_end[11];
    char status[10];           /* grace | active | lifted | deleted | revoked */
    char status_on[11];
    char status_reason[128];
    char permit_categories[256];
    char permit_from[11];
    char permit_to[11];
    char sex[8];                /* "M" / "F" (as case_party), "" for units */
    char birth_date[11];
    char obligation[512];
    char performance[64];
    char conduct[256];
    char basis_doc_no[96];
    char basis_issuer[128];
    char filed_on[11];
    int64_t created_ms;
    int64_t updated_ms;
    int version;
};

void zx_credit_entry_init(struct zx_credit_entry *e);
/* Load by id: 0, 1 if not found, < 0 on error. */
int zx_credit_entry_load(db_conn *c, int64_t id, struct zx_credit_entry *e);
/* Insert (id not in the table) or update (version + 1) the entry and append one credit_change row
 * with action — inside the caller's write transaction. Normalises id_number (fails with -EINVAL
 * style ZX_CREDIT_EBADID if invalid), computes name_norm, sets created/updated ms and, for a person,
 * sex and birth_date from the ID when empty. Returns the change seq (> 0) or < 0. */
#define ZX_CREDIT_EBADID (-100)
#define ZX_CREDIT_EBADCAT (-101)
int64_t zx_credit_entry_save(db_conn *c, struct zx_credit_entry *e, const char *action);
/* The entry as JSON (every column; the form stored in credit_change.data). New reference. */
json_t *zx_credit_entry_json(const struct zx_credit_entry *e);
/* Fill an entry from that JSON (missing members → empty). 0 or -1. */
int zx_credit_entry_from_json(const json_t *j, struct zx_credit_entry *e);

/* ---- Snapshot lookup (snapshot.c). Readers never lock: -------------------------------------------
 *     const zx_credit_view *v = zx_credit_read_begin();
 *     … zx_credit_lookup(v, …) any number of times …
 *     zx_credit_read_end(v);
 * Between begin and end the view stays valid (epoch-based reclamation); keep the section short
 * (do not hold it across I/O waits). Nesting on one thread is allowed. */
typedef struct zx_credit_view zx_credit_view;
const zx_credit_view *zx_credit_read_begin(void);
void zx_credit_read_end(const zx_credit_view *v);
int64_t zx_credit_view_version(const zx_credit_view *v);
int64_t zx_credit_view_count(const zx_credit_view *v); /* entries held (all statuses grace/active) */

enum { ZX_LIST_DISHONEST = 1, ZX_LIST_RESTRICTED = 2 };
typedef struct zx_credit_basis {
    int list;                  /* ZX_LIST_* */
    const char *case_no;       /* points into the view: valid until zx_credit_read_end */
    int case_no_len;
    const char *court;         /* court code, NUL-terminated, valid until read_end */
    zx_date since;             /* publish_on */
    int64_t entry_id;
} zx_credit_basis;
/* Decide for one normalised ID and category bit (or -1 = "any category": block if anything is
 * effective) on day `today`. Fills up to max bases (the entries that block) and returns how many
 * block (may exceed max); 0 = allow. */
int zx_credit_lookup(const zx_credit_view *v, const char id18[18], enum zx_id_kind kind, int cat,
                     zx_date today, zx_credit_basis *out, int max);

/* The same with the key precomputed (zx_credit_id_key), and a prefetch hint for bulk lookups: call
 * zx_credit_prefetch for item i+8 before looking up item i so cache misses overlap. */
int zx_credit_lookup_key(const zx_credit_view *v, zx_credit_key key, enum zx_id_kind kind, int cat,
                         zx_date today, zx_credit_basis *out, int max);
void zx_credit_prefetch(const zx_credit_view *v, uint64_t key);
/* Deeper pipeline for bulk work: stage 0 = zx_credit_prefetch (slot), 1 = record, 2 = case number.
 * Call stage 0 for item i+3d, stage 1 for i+2d, stage 2 for i+d, then look up item i. */
void zx_credit_prefetch_stage(const zx_credit_view *v, uint64_t key, int stage);

/* Build a fresh snapshot from the store (start hook, tests, benchmarks) and make it current.
 * Returns the version or < 0. */
int64_t zx_credit_snapshot_load(db_conn *c);
/* Drop the current snapshot (tests). */
void zx_credit_snapshot_reset(void);
/* Merge the delta overlay into a new base now (normally automatic in the background). */
void zx_credit_snapshot_merge(void);
/* 宽限期 end (法发〔2019〕35号): entries in status 'grace' whose publish_on ≤ today become 'active' with a
 * 'published' change (the event partners see as "listed"), one transaction each with an audit
 * record. The snapshot's background thread runs it every minute; returns entries published or < 0. */
int zx_credit_publish_due(db_conn *c, zx_date today);
#endif
