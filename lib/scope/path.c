/* Path scopes (see nc/scope.h): normalisation and the "covers" test.
 * nc_scope_covers needs no buffer: it walks each path's normalised components
 * from the right, where a ".." is a pending skip of the next real component to
 * its left (the unmatched ".." left over at the root are exactly the ones that
 * would climb above it, so both walks agree on what escapes). Counting the
 * components first lets it line up the scope against the head of the path. */
#include <nc/scope.h>
#include "scope_internal.h"

typedef struct {
	const char *s;
	size_t pos;   /* s[0..pos) is still to walk */
	size_t skips; /* ".." seen that have not yet removed a component */
} rev_walk_t;

static bool is_dot(const char *c, size_t n) { return n == 1 && c[0] == '.'; }
static bool is_dotdot(const char *c, size_t n) { return n == 2 && c[0] == '.' && c[1] == '.'; }

/* The next surviving component to the left, or false at the root. */
static bool walk_prev(rev_walk_t *w, const char **comp, size_t *comp_len)
{
	for (;;) {
		while (w->pos > 0 && w->s[w->pos - 1] == '/')
			w->pos--;
		if (w->pos == 0)
			return false;
		size_t end = w->pos;
		while (w->pos > 0 && w->s[w->pos - 1] != '/')
			w->pos--;
		const char *c = w->s + w->pos;
		size_t n = end - w->pos;
		if (is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			w->skips++;
			continue;
		}
		if (w->skips > 0) {
			w->skips--;
			continue;
		}
		*comp = c;
		*comp_len = n;
		return true;
	}
}

static nc_scope_err_t check_path(const char *path, size_t len_bytes)
{
	nc_scope_err_t err = scope_check_bytes(path, len_bytes);
	if (err != NC_SCOPE_OK)
		return err;
	return path[0] == '/' ? NC_SCOPE_OK : NC_SCOPE_ERR_NOT_ABSOLUTE;
}

/* Number of normalised components of a checked path, or ERR_ESCAPES. */
static nc_scope_err_t count_components(const char *path, size_t len_bytes, size_t *n_out)
{
	rev_walk_t w = { path, len_bytes, 0 };
	const char *c;
	size_t n_comp, n = 0;
	while (walk_prev(&w, &c, &n_comp))
		n++;
	if (w.skips > 0)
		return NC_SCOPE_ERR_ESCAPES;
	*n_out = n;
	return NC_SCOPE_OK;
}

static nc_scope_err_t normalize_into(const char *path, size_t len_bytes, char *out,
				     size_t cap_bytes, size_t *out_len)
{
	if (cap_bytes < 2)
		return NC_SCOPE_ERR_TOO_LONG;
	size_t o = 0, i = 1;
	out[o++] = '/';
	while (i < len_bytes) {
		if (path[i] == '/') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len_bytes && path[i] != '/')
			i++;
		const char *c = path + start;
		size_t n = i - start;
		if (is_dot(c, n))
			continue;
		if (is_dotdot(c, n)) {
			if (o == 1)
				return NC_SCOPE_ERR_ESCAPES;
			while (out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		size_t sep = o > 1 ? 1 : 0;
		if (o + sep + n + 1 > cap_bytes)
			return NC_SCOPE_ERR_TOO_LONG;
		if (sep)
			out[o++] = '/';
		for (size_t k = 0; k < n; k++)
			out[o++] = c[k];
	}
	out[o] = '\0';
	*out_len = o;
	return NC_SCOPE_OK;
}

nc_scope_err_t nc_scope_normalize(const char *path, size_t len_bytes, char *out, size_t cap_bytes,
				  size_t *out_len)
{
	size_t n = 0;
	nc_scope_err_t err = check_path(path, len_bytes);
	if (err == NC_SCOPE_OK)
		err = normalize_into(path, len_bytes, out, cap_bytes, &n);
	if (err != NC_SCOPE_OK && cap_bytes > 0)
		out[0] = '\0';
	if (out_len)
		*out_len = err == NC_SCOPE_OK ? n : 0;
	return err;
}

nc_scope_err_t scope_validate_path(const char *path, size_t len_bytes)
{
	size_t n;
	nc_scope_err_t err = check_path(path, len_bytes);
	return err != NC_SCOPE_OK ? err : count_components(path, len_bytes, &n);
}

bool nc_scope_covers(const char *scope, size_t scope_len, const char *path, size_t path_len)
{
	size_t n_scope, n_path;
	if (check_path(scope, scope_len) != NC_SCOPE_OK || check_path(path, path_len) != NC_SCOPE_OK)
		return false;
	if (count_components(scope, scope_len, &n_scope) != NC_SCOPE_OK ||
	    count_components(path, path_len, &n_path) != NC_SCOPE_OK || n_path < n_scope)
		return false;
	rev_walk_t ws = { scope, scope_len, 0 }, wp = { path, path_len, 0 };
	const char *cs, *cp;
	size_t ls, lp;
	for (size_t k = n_path - n_scope; k > 0; k--)
		walk_prev(&wp, &cp, &lp);
	while (walk_prev(&ws, &cs, &ls)) {
		walk_prev(&wp, &cp, &lp);
		if (!scope_bytes_equal(cs, ls, cp, lp))
			return false;
	}
	return true;
}
