/* Shared inside lib/scope only. */
#ifndef NC_SCOPE_INTERNAL_H
#define NC_SCOPE_INTERNAL_H

#include <nc/scope.h>

/* EMPTY, TOO_LONG (over NC_SCOPE_MAX_BYTES) or BAD_BYTE (a control byte). */
nc_scope_err_t scope_check_bytes(const char *s, size_t len_bytes);
/* nc_scope_validate for a path (first byte '/' not yet checked). */
nc_scope_err_t scope_validate_path(const char *path, size_t len_bytes);

/* Byte equality of a[0..a_len) and b[0..b_len) (not constant-time: scopes are public). */
bool scope_bytes_equal(const char *a, size_t a_len, const char *b, size_t b_len);

#endif
