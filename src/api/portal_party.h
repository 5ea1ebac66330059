/* portal_party.h — the party portal's query code (查询码), see portal_party.c. */
#ifndef ZX_PORTAL_PARTY_H
#define ZX_PORTAL_PARTY_H
#include <stdint.h>
/* The 8-character query code of a case party (keyed HMAC-SM3 of its id; never stored). */
void zx_portal_query_code(int64_t party_id, char out[9]);
#endif
