/* http:// URLs (nc/http.h): RFC 9110 4.2.1 with RFC 3986's authority and
 * reference resolution (5.2), for the forms servers send in Location. The
 * endpoint text is nc/inet.h's canonical form, so a net.connect scope sees
 * one spelling per endpoint whatever the URL said. */
#include <nc/fmt.h>
#include <nc/http.h>
#include <nc/mem.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool starts_with_nocase(const char *text, size_t len, const char *prefix)
{
	size_t n = nc_str_len(prefix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(text[i]) != prefix[i])
			return false;
	return true;
}

/* A byte that may stand in a request target: visible ASCII (RFC 3986's
 * characters and a few more that servers take); never a control, a space
 * or a byte of another encoding, which could end the request line. */
static bool target_byte(char c)
{
	return c > ' ' && c < 0x7f;
}

/* Set u's target from path[0..len) (a path, "?query" or empty), the
 * fragment cut; prefix is prepended (the base directory of a merge). */
static nc_http_err_t set_target(nc_http_url_t *u, const char *prefix, size_t prefix_len, const char *path,
				size_t len)
{
	size_t n = 0;
	while (n < len && path[n] != '#')
		n++;
	for (size_t i = 0; i < n; i++)
		if (!target_byte(path[i]))
			return NC_HTTP_ERR_URL;
	bool slash = prefix_len == 0 && (n == 0 || path[0] != '/');
	if (prefix_len + n + slash > NC_HTTP_PATH_MAX)
		return NC_HTTP_ERR_URL;
	char *t = u->target;
	if (slash)
		*t++ = '/';
	nc_mem_copy(t, prefix, prefix_len);
	nc_mem_copy(t + prefix_len, path, n);
	t[prefix_len + n] = 0;
	return NC_HTTP_OK;
}

/* The authority a[0..len) ("HOST[:PORT]") into u's endpoint and host. */
static nc_http_err_t set_authority(nc_http_url_t *u, const char *a, size_t len)
{
	char text[NC_INET_ENDPOINT_MAX + 8];
	size_t colon = len;
	for (size_t i = len; i > 0 && a[i - 1] != ']'; i--)
		if (a[i - 1] == ':') {
			colon = i - 1;
			break;
		}
	if (len == 0 || len + 4 > sizeof text)
		return NC_HTTP_ERR_URL;
	for (size_t i = 0; i < len; i++)
		if (a[i] == '@' || !target_byte(a[i]))
			return NC_HTTP_ERR_URL; /* user info is not taken */
	bool default_port = colon == len || colon + 1 == len;
	size_t n = nc_fmt_format(text, sizeof text, default_port ? "%.*s:80" : "%.*s", (int)(default_port ? colon : len), a);
	nc_inet_endpoint_t e;
	if (nc_inet_parse_endpoint(text, n, &e) != NC_INET_OK || e.port == 0)
		return NC_HTTP_ERR_URL;
	if (!nc_inet_format_endpoint(&e, u->endpoint, sizeof u->endpoint))
		return NC_HTTP_ERR_URL;
	nc_fmt_format(u->host, sizeof u->host, e.port == 80 ? "%s" : "%s:%u", e.host, (unsigned)e.port);
	return NC_HTTP_OK;
}

/* "//HOST[:PORT]REST" at r[0..len) into a copy of *u. */
static nc_http_err_t network_path(nc_http_url_t *u, const char *r, size_t len)
{
	size_t i = 2;
	while (i < len && r[i] != '/' && r[i] != '?' && r[i] != '#')
		i++;
	nc_http_url_t v;
	nc_http_err_t err = set_authority(&v, r + 2, i - 2);
	if (!err)
		err = set_target(&v, "", 0, r + i, len - i);
	if (!err)
		*u = v;
	return err;
}

nc_http_err_t nc_http_url_parse(const char *text, size_t len, nc_http_url_t *u)
{
	if (!starts_with_nocase(text, len, "http://"))
		return NC_HTTP_ERR_URL;
	return network_path(u, text + 5, len - 5);
}

nc_http_err_t nc_http_url_follow(nc_http_url_t *u, const char *loc, size_t len)
{
	if (starts_with_nocase(loc, len, "http:"))
		return nc_http_url_parse(loc, len, u);
	for (size_t i = 0; i < len && loc[i] != '/' && loc[i] != '?' && loc[i] != '#'; i++)
		if (loc[i] == ':')
			return NC_HTTP_ERR_URL; /* another scheme */
	if (len >= 2 && loc[0] == '/' && loc[1] == '/')
		return network_path(u, loc, len);
	if (len == 0)
		return NC_HTTP_ERR_URL;
	nc_http_url_t v = *u;
	size_t keep = 0; /* of the current target: its path for "?q", its directory for "a/b" */
	const char *t = u->target;
	if (loc[0] == '?')
		while (t[keep] && t[keep] != '?')
			keep++;
	else if (loc[0] != '/')
		for (size_t i = 0; t[i] && t[i] != '?'; i++)
			if (t[i] == '/')
				keep = i + 1;
	nc_http_err_t err = set_target(&v, t, keep, loc, len);
	if (!err)
		*u = v;
	return err;
}

bool nc_http_is_redirect(int status)
{
	return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}
