/* inst.h — between the simulated institutions' files (sim/institutions.c: the protocol side;
 * sim/inst_holdings.c: what each subject holds and the freeze/seizure state). */
#ifndef ZX_SIM_INST_H
#define ZX_SIM_INST_H
#include <jansson.h>
#include <stdint.h>

/* The kind of an institution from its code "<kind>-<name>" (e.g. "deposit-icbc"); NULL if unknown. */
const char *inst_kind_of(const char *code);
/* Does an institution of this kind support op (query freeze renew release deduct)? */
int inst_supports(const char *kind, const char *op);

/* Query: the assets subject holds at institution code (deterministic), appended to out (array). */
void inst_query(const char *code, const char *kind, const char *id_number, const char *name, json_t *out);
/* Control operations. Each returns a new answer object {"status":"done"|"rejected", …}. */
json_t *inst_freeze(const char *code, const char *kind, const char *court, const char *id_number,
                    const char *identifier, const char *control_ref, int64_t amount_fen, const char *until);
json_t *inst_renew(const char *code, const char *control_ref, const char *until);
json_t *inst_release(const char *code, const char *control_ref);
json_t *inst_deduct(const char *code, const char *control_ref, int64_t amount_fen);
/* The holder's own withdrawal (simulated debtor activity): refused beyond the unfrozen balance. */
json_t *inst_withdraw(const char *code, const char *kind, const char *id_number, const char *identifier,
                      const char *control_ref, int64_t amount_fen);
/* Current state of a control (polling): {"status", "frozen_fen", "queue_pos", "until"} or NULL. */
json_t *inst_control_state(const char *code, const char *control_ref);
#endif
