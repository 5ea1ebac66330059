/* documents.h — PDF documents generated from case data (libhpdf, Chinese text) and stored in the
 * case's electronic dossier (table case_document) with the event that made them.
 * kinds: "acceptance_notice" 受理通知书 (to the applicant at filing, with its portal query code),
 *        "enforcement_notice" 执行通知书, "property_report_order" 报告财产令,
 *        "restriction_order" 限制消费令, "interim_closure_ruling" 终本裁定书, "closure_notice" 结案通知书,
 *        "dishonest_decision" 纳入失信被执行人名单决定书 (event data: decision_id), "fine_decision" 罚款决定书,
 *        "detention_decision" 拘留决定书 (event data: target_name, amount_fen / days).
 * Downloads are named by 案号 and title: "（2025）辽0102执12号罚款决定书.pdf". */
#ifndef ZX_DOCUMENTS_H
#define ZX_DOCUMENTS_H
#include <stdint.h>
#include "store/db.h"

/* Generate a document for case_id from its current data, store it (inside the caller's write
 * transaction) linked to event_id, return 0 and its id in *doc_id, or < 0. */
int zx_doc_generate(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, int64_t *doc_id);
/* The same, rendered on first download (bulk paths: credit decisions); the row is stored now. */
int zx_doc_generate_lazy(db_conn *c, int64_t case_id, const char *kind, int64_t event_id, int64_t *doc_id);
/* Render a lazily made document now and keep it (no-op when it has content): 0, DB_DONE no such
 * document of that case, < 0 error. Call before reading case_document.content. */
int zx_doc_materialise(db_conn *c, int64_t case_id, int64_t doc_id);
/* Chinese title for a kind, NULL if unknown. */
const char *zx_doc_title(const char *kind);
#endif
