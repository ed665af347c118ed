/* Hierarchical resource scopes: the "what" of a capability (lib/cap) and of
 * ncScript permissions. Two kinds, told apart by the first byte:
 *
 *   path scope  starts with '/': a POSIX-like absolute path. "." and empty
 *               components ("//", a trailing "/") are dropped and ".." removes
 *               the previous component; a ".." above the root is an error, never
 *               clamped. A path scope covers itself and everything below it at a
 *               component boundary: "/etc/nexacore" covers "/etc/nexacore" and
 *               "/etc/nexacore/notes/a.txt", not "/etc/nexacore2" nor "/etc";
 *               "/" covers every path.
 *   name scope  anything else: an opaque resource name such as a model id
 *               ("llama-3.2-1b-q8") or a host:port ("example.org:443").
 *               Names have no hierarchy: a name scope covers only the byte-equal
 *               name. The one wildcard is the name scope "*", which covers every
 *               name (and itself), but no path. Names are compared byte for byte,
 *               no case folding and no normalisation.
 *
 * Bytes allowed in both kinds: anything but ASCII control bytes (0x00-0x1f,
 * 0x7f); a scope or resource is at most NC_SCOPE_MAX_BYTES long.
 * All functions are pure, reentrant, allocate nothing and use O(1) stack, so the
 * kernel can call them (token verification in CapValidate). */
#ifndef NC_SCOPE_H
#define NC_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest scope or resource accepted, in bytes (Linux PATH_MAX). */
#define NC_SCOPE_MAX_BYTES 4096u

typedef enum {
	NC_SCOPE_OK = 0,
	NC_SCOPE_ERR_EMPTY,        /* zero-length input */
	NC_SCOPE_ERR_NOT_ABSOLUTE, /* a path operation on input not starting with '/' */
	NC_SCOPE_ERR_ESCAPES,      /* a ".." climbs above the root */
	NC_SCOPE_ERR_TOO_LONG,     /* input over NC_SCOPE_MAX_BYTES, or output does not fit */
	NC_SCOPE_ERR_BAD_BYTE,     /* an ASCII control byte (NUL included) */
} nc_scope_err_t;

/* Static name of err ("NC_SCOPE_ERR_ESCAPES"); "NC_SCOPE_ERR_UNKNOWN" for a value
 * outside the enum. */
const char *nc_scope_err_name(nc_scope_err_t err);

/* Normalise the absolute path path[0..len_bytes) into out[0..cap_bytes),
 * NUL-terminated; *out_len (may be NULL) gets the length without the NUL.
 * The result has no ".", "..", empty components or trailing '/' ("/" stays "/").
 * path need not be NUL-terminated and may not overlap out.
 * Errors: NC_SCOPE_ERR_EMPTY, NC_SCOPE_ERR_NOT_ABSOLUTE, NC_SCOPE_ERR_BAD_BYTE,
 * NC_SCOPE_ERR_ESCAPES, NC_SCOPE_ERR_TOO_LONG (input too long, or the result and
 * its NUL do not fit in cap_bytes). On error out is left as an empty string
 * when cap_bytes > 0. */
nc_scope_err_t nc_scope_normalize(const char *path, size_t len_bytes, char *out, size_t cap_bytes,
				  size_t *out_len);

/* True iff the path scope covers the path (both normalised first, see above).
 * False on any error in either input (not absolute, escaping, bad byte, too long). */
bool nc_scope_covers(const char *scope, size_t scope_len, const char *path, size_t path_len);

/* Check that scope[0..len_bytes) is a well-formed scope of either kind:
 * a path scope must normalise; a name scope must be non-empty, within
 * NC_SCOPE_MAX_BYTES and free of control bytes.
 * Errors: those of nc_scope_normalize for paths; NC_SCOPE_ERR_EMPTY,
 * NC_SCOPE_ERR_TOO_LONG, NC_SCOPE_ERR_BAD_BYTE for names. */
nc_scope_err_t nc_scope_validate(const char *scope, size_t len_bytes);

/* True iff scope covers resource under the rule of scope's kind: a path scope
 * covers paths as nc_scope_covers does; a name scope covers the byte-equal name,
 * and "*" covers every name. A path never matches a name scope or the reverse.
 * Used both to check an access (resource = the object touched) and to check
 * attenuation (resource = the narrower child scope). False when either input is
 * not well-formed (nc_scope_validate). */
bool nc_scope_matches(const char *scope, size_t scope_len, const char *resource,
		      size_t resource_len);

#endif
