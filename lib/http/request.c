/* Requests (nc/http.h): a method, the caller's header lines and a body,
 * checked so that nothing a script or user gives can split the request or
 * frame it differently from what the client says (RFC 9112 3, 6, 11.2). */
#include "http_int.h"
#include <nc/fmt.h>
#include <nc/http.h>
#include <nc/mem.h>

const nc_http_request_t nc_http_get = { "GET", NULL, 0, NULL, 0 };

/* Header fields the client writes itself: the caller may not. */
static const char *const own_fields[] = { "host", "content-length", "transfer-encoding", "connection" };

static bool method_ok(const char *m)
{
	size_t n = nc_str_len_max(m, NC_HTTP_METHOD_MAX + 1);
	for (size_t i = 0; i < n; i++)
		if (!http_token_char(m[i]))
			return false;
	return n > 0 && n <= NC_HTTP_METHOD_MAX;
}

/* The name's length of a checked field line. */
static size_t name_len(const char *l)
{
	size_t k = 0;
	while (l[k] != ':')
		k++;
	return k;
}

/* Walk r's header lines: each a field line, none of own_fields; *agent is
 * whether one is User-Agent. */
static nc_http_err_t check_headers(const nc_http_request_t *r, bool *agent)
{
	*agent = false;
	if (!r->headers_len)
		return NC_HTTP_OK;
	if (!r->headers || r->headers_len > NC_HTTP_HEADERS_MAX)
		return NC_HTTP_ERR_REQUEST;
	for (size_t s = 0, e; s <= r->headers_len; s = e + 2) {
		e = http_line_end(r->headers, r->headers_len, s);
		const char *l = r->headers + s;
		if (!http_field_line(l, e - s))
			return NC_HTTP_ERR_REQUEST;
		for (size_t i = 0; i < sizeof own_fields / sizeof own_fields[0]; i++)
			if (http_same_nocase(l, name_len(l), own_fields[i]))
				return NC_HTTP_ERR_REQUEST;
		*agent = *agent || http_same_nocase(l, name_len(l), "user-agent");
	}
	return NC_HTTP_OK;
}

/* nc_http_request_check, and *agent: whether r has a User-Agent line. */
static nc_http_err_t check_request(const nc_http_request_t *r, bool *agent)
{
	if (!method_ok(r->method) || (r->body_len && !r->body))
		return NC_HTTP_ERR_REQUEST;
	return check_headers(r, agent);
}

nc_http_err_t nc_http_request_check(const nc_http_request_t *r)
{
	bool agent;
	return check_request(r, &agent);
}

/* The request's head goes out from the receive buffer, which holds nothing
 * before the answer comes. */
_Static_assert(NC_HTTP_REQUEST_MAX + NC_HTTP_HEADERS_MAX + 64 <= NC_HTTP_BUF_BYTES, "a request head fits buf");

nc_http_err_t nc_http_client_send(nc_http_client_t *c, const nc_http_url_t *u, const nc_http_request_t *r,
				  const char *agent)
{
	bool own_agent;
	if (nc_str_len_max(agent, 65) > 64 || check_request(r, &own_agent))
		return NC_HTTP_ERR_REQUEST;
	char *h = (char *)c->buf;
	size_t n = nc_fmt_format(h, sizeof c->buf, "%s %s HTTP/1.1\r\nHost: %s\r\n", r->method, u->target, u->host);
	if (!own_agent)
		n += nc_fmt_format(h + n, sizeof c->buf - n, "User-Agent: %s\r\n", agent);
	if (r->headers_len) {
		nc_mem_copy(h + n, r->headers, r->headers_len);
		n += r->headers_len;
		h[n++] = '\r';
		h[n++] = '\n';
	}
	if (r->body)
		n += nc_fmt_format(h + n, sizeof c->buf - n, "Content-Length: %llu\r\n", (unsigned long long)r->body_len);
	n += nc_fmt_format(h + n, sizeof c->buf - n, "Connection: close\r\n\r\n");
	c->head_only = !nc_str_compare(r->method, "HEAD");
	int err = c->io->send(c->io->ud, (const uint8_t *)h, n);
	if (!err && r->body_len)
		err = c->io->send(c->io->ud, r->body, r->body_len);
	if (err) {
		c->io_err = err;
		return NC_HTTP_ERR_IO;
	}
	return NC_HTTP_OK;
}
