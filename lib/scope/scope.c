/* Scope kinds, validation and matching (the rules are in nc/scope.h); the path
 * rule itself lives in path.c. */
#include <nc/scope.h>
#include "scope_internal.h"

const char *nc_scope_err_name(nc_scope_err_t err)
{
	switch (err) {
	case NC_SCOPE_OK: return "NC_SCOPE_OK";
	case NC_SCOPE_ERR_EMPTY: return "NC_SCOPE_ERR_EMPTY";
	case NC_SCOPE_ERR_NOT_ABSOLUTE: return "NC_SCOPE_ERR_NOT_ABSOLUTE";
	case NC_SCOPE_ERR_ESCAPES: return "NC_SCOPE_ERR_ESCAPES";
	case NC_SCOPE_ERR_TOO_LONG: return "NC_SCOPE_ERR_TOO_LONG";
	case NC_SCOPE_ERR_BAD_BYTE: return "NC_SCOPE_ERR_BAD_BYTE";
	}
	return "NC_SCOPE_ERR_UNKNOWN";
}

nc_scope_err_t scope_check_bytes(const char *s, size_t len_bytes)
{
	if (len_bytes == 0)
		return NC_SCOPE_ERR_EMPTY;
	if (len_bytes > NC_SCOPE_MAX_BYTES)
		return NC_SCOPE_ERR_TOO_LONG;
	for (size_t i = 0; i < len_bytes; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x20 || b == 0x7f)
			return NC_SCOPE_ERR_BAD_BYTE;
	}
	return NC_SCOPE_OK;
}

static bool is_path(const char *s, size_t len_bytes) { return len_bytes > 0 && s[0] == '/'; }

nc_scope_err_t nc_scope_validate(const char *scope, size_t len_bytes)
{
	if (is_path(scope, len_bytes))
		return scope_validate_path(scope, len_bytes);
	return scope_check_bytes(scope, len_bytes);
}

bool scope_bytes_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
	if (a_len != b_len)
		return false;
	for (size_t i = 0; i < a_len; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

bool nc_scope_matches(const char *scope, size_t scope_len, const char *resource,
		      size_t resource_len)
{
	if (nc_scope_validate(scope, scope_len) != NC_SCOPE_OK ||
	    nc_scope_validate(resource, resource_len) != NC_SCOPE_OK)
		return false;
	if (is_path(scope, scope_len) != is_path(resource, resource_len))
		return false;
	if (is_path(scope, scope_len))
		return nc_scope_covers(scope, scope_len, resource, resource_len);
	return scope_bytes_equal(scope, scope_len, "*", 1) ||
	       scope_bytes_equal(scope, scope_len, resource, resource_len);
}
