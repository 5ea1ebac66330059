/* tpo.h — the "3+1" indicators (seed 002, docs/INDICATORS.md §8) beside the 质效指标 of
 * case/indicators.h: ① asset_case_on_time_rate and ② interim_closure_compliance_rate come from
 * zx_ind_compute; ③ petition_closure_rate and +1 three_year_closure_rate are computed here, each by
 * one aggregate statement over a covering index (petition_ind; enf_case_ind_court). */
#ifndef ZX_COMMAND_TPO_H
#define ZX_COMMAND_TPO_H
#include <jansson.h>
#include <stdint.h>
#include "case/indicators.h"

typedef struct zx_tpo_counts {
    int64_t pet_handle;    /* petitions to handle: received ≤ to, not closed before from */
    int64_t pet_new;       /* … received in [from, to] */
    int64_t pet_closed;    /* closed in [from, to] */
    int64_t pet_on_time;   /* … by their due day (30 working days) */
    int64_t pet_resolved;  /* … and 化解 (resolved) */
    int64_t y3_received;   /* implementation cases filed in [1 Jan of year(to) − 2, to] */
    int64_t y3_closed;     /* … closed by to */
} zx_tpo_counts;

/* Over all courts of q (handler: petitions linked to that handler's cases). 0 or < 0. */
int zx_tpo_compute(db_conn *c, const zx_ind_query *q, zx_tpo_counts *out);
/* Grouped by court: cb once per (court, part) row — add them up. */
int zx_tpo_by_court(db_conn *c, const zx_ind_query *q,
                    void (*cb)(int64_t court_id, const zx_tpo_counts *t, void *arg), void *arg);
void zx_tpo_add(zx_tpo_counts *a, const zx_tpo_counts *b);
/* Adds petition_closure_rate and three_year_closure_rate to o. */
void zx_tpo_json_add(json_t *o, const zx_tpo_counts *t);
/* Adds the petition extras: petition_resolution_rate (化解率), petition_on_time_rate,
 * case_petition_ratio (案访比: new cases per new petition) and the raw petition counts. */
void zx_tpo_json_petitions(json_t *o, const zx_tpo_counts *t, int64_t new_cases);
/* The four "3+1" keys with target, met and veto: {"asset_case_on_time_rate":{"value","target","met"}…}
 * built from the rates already in o (zx_ind_json + zx_tpo_json_add). */
json_t *zx_tpo_scorecard(json_t *o);
/* {"asset_case_on_time_rate":0.9, …} */
json_t *zx_tpo_targets_json(void);
/* Sets to null each of the four whose denominator is 0 (k or t may be NULL): shown "—", unranked. */
void zx_tpo_blank_empty(json_t *o, const zx_ind_counts *k, const zx_tpo_counts *t);
/* Ranking score over the figures that are measured (not null): (targets met × 10 + Σ min(rate/target,
 * 1.2)) × 4 / measured; higher is better. −1 when none is measured: the court is not ranked. */
double zx_tpo_score(json_t *o);
/* How many of the four meet their target (null ones do not). */
int zx_tpo_targets_met(json_t *o);
#endif
