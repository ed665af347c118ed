/* Shared inside lib/cap only. */
#ifndef NC_CAP_INTERNAL_H
#define NC_CAP_INTERNAL_H

#include <nc/cap.h>
#include <nc/wire.h>

/* Magic that opens every signed body: keeps a token signature from ever being
 * valid for another message format signed by the same root key. */
#define CAP_MAGIC "NCAP"
#define CAP_MAGIC_BYTES 4u
#define CAP_SEED_BYTES 32u

/* Syntax of one grant: BAD_ACTION, BAD_SCOPE or BAD_WINDOW, else OK. */
nc_cap_err_t cap_check_grant(const nc_cap_grant_t *g);
/* True iff child is within parent: action covered, scope covered, window nested. */
bool cap_grant_within(const nc_cap_grant_t *parent, const nc_cap_grant_t *child);
/* Encode link's Body fields (not the signature) at the writer's position. */
void cap_encode_body(nc_wire_writer_t *w, const nc_cap_link_t *link);

#endif
