/* ncScript capability declarations (cap.c, effect.c): effect names and the
 * per-module capability headers. Internal to lib/ncs. */
#ifndef NCS_CAP_H
#define NCS_CAP_H

#include "ast.h"

/* Capability name ("fs.read") -> effect; false when unknown. "fs.write" gives
 * NC_NCS_FX_FS_WRITE. */
bool ncs_effect_from_name(const char *name, size_t len, nc_ncs_effect_t *out);
/* The effect whose declaration covers fx: NC_NCS_FX_FS_WRITE for fs::append,
 * fs::remove and fs::mkdir, fx itself otherwise. */
nc_ncs_effect_t ncs_effect_cap(nc_ncs_effect_t fx);
/* Per-module capability headers (cap.c). A module's header must fit inside the
 * program's grant: each declaration covered (lib/scope rules) by a declaration
 * of main_mod's header and, when the host installed handlers for the effect, by
 * one handler's scope. Returns false after ncs_fail(NC_NCS_ERR_CAP_DENIED) at
 * the offending declaration of m. main_mod itself is always within. */
bool ncs_cap_check_module(ncs_state_t *st, const ncs_module_t *main_mod, const ncs_module_t *m);
/* True iff m's own header declares fx with a scope covering res[0..len). */
bool ncs_cap_declared(const ncs_module_t *m, nc_ncs_effect_t fx, const char *res, size_t len);

#endif
