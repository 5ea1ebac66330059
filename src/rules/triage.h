/* triage.h — 繁简分流: put a newly filed case on the fast or the complex track by configurable rules
 * (setting "case.triage", JSON). Pure. Policy basis: 执行工作纲要 2019–2023 "简案快执、难案精执";
 * the thresholds are a court's choice, not statute (systems.md §4.2). */
#ifndef ZX_RULES_TRIAGE_H
#define ZX_RULES_TRIAGE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ZX_TRIAGE_MAX_RULES 16
typedef struct zx_triage_rule {
    char track[16];          /* "fast" | "complex" */
    int64_t max_claim_fen;   /* -1 = any */
    int max_debtors;         /* -1 = any */
    int property_clue;       /* -1 any, 0 = no clue given at filing, 1 = a clue given */
    int non_litigation;      /* -1 any, 0, 1 */
} zx_triage_rule;

typedef struct zx_triage_rules {
    zx_triage_rule rules[ZX_TRIAGE_MAX_RULES];
    size_t n;
    char dflt[16];
} zx_triage_rules;

/* The built-in default: claim ≤ ¥100,000, one debtor, no property clue → fast; else complex. */
void zx_triage_default(zx_triage_rules *out);
/* Parse {"rules":[{"track":"fast","max_claim_fen":N,"max_debtors":N,"property_clue":bool,
 * "non_litigation":bool}],"default":"complex"}. Returns 0 or -1 with a 中文 message in err. */
int zx_triage_parse(const char *json, zx_triage_rules *out, char *err, size_t errlen);
/* Back to JSON text (malloc'd). */
char *zx_triage_dump(const zx_triage_rules *r);
const char *zx_triage_decide(const zx_triage_rules *r, int64_t claim_fen, int debtors, bool property_clue,
                             bool non_litigation);
#endif
