/* The answer of an HTTP/1.1 exchange over a caller's transport (nc/http.h;
 * request.c sends the request): the head (RFC 9112 2-5; interim 1xx answers skipped, RFC 9110 15.2), and
 * the body framed as RFC 9112 6.3 says: none for 204, 304 and a HEAD, chunked (7.1)
 * when Transfer-Encoding says so, Content-Length bytes, or everything until
 * the server closes. Lines may end in CRLF or a bare LF (RFC 9112 2.2). */
#include "http_int.h"
#include <nc/hex.h>
#include <nc/http.h>
#include <nc/mem.h>

void nc_http_client_init(nc_http_client_t *c, const nc_http_io_t *io)
{
	c->io = io;
	c->io_err = 0;
	c->status = 0;
	c->head[0] = 0;
	c->head_len = 0;
	c->pos = c->end = 0;
	c->eof = false;
	c->head_only = false;
}

/* Make received bytes available: false with *err set on a transport error,
 * false with NC_HTTP_OK when the stream has ended. */
static bool fill(nc_http_client_t *c, nc_http_err_t *err)
{
	*err = NC_HTTP_OK;
	if (c->pos < c->end)
		return true;
	if (c->eof)
		return false;
	size_t n = 0;
	int e = c->io->recv(c->io->ud, c->buf, sizeof c->buf, &n);
	if (e) {
		c->io_err = e;
		*err = NC_HTTP_ERR_IO;
		return false;
	}
	c->pos = 0;
	c->end = n > sizeof c->buf ? sizeof c->buf : n;
	c->eof = n == 0;
	return n != 0;
}

/* One line into out[0..cap) without its line end (NUL-terminated), *len
 * its length. too_long is the error for a line that does not fit. */
static nc_http_err_t read_line(nc_http_client_t *c, char *out, size_t cap, size_t *len, nc_http_err_t too_long)
{
	size_t n = 0;
	for (;;) {
		nc_http_err_t err;
		if (!fill(c, &err))
			return err ? err : NC_HTTP_ERR_TRUNCATED;
		char ch = (char)c->buf[c->pos++];
		if (ch == '\n')
			break;
		if (n + 1 >= cap)
			return too_long;
		out[n++] = ch;
	}
	if (n && out[n - 1] == '\r')
		n--;
	out[n] = 0;
	*len = n;
	return NC_HTTP_OK;
}

/* One head into c->head, lines joined by CRLF. */
static nc_http_err_t read_head(nc_http_client_t *c)
{
	size_t used = 0, n;
	c->head_len = 0;
	for (;;) {
		size_t room = sizeof c->head - c->head_len;
		nc_http_err_t err = read_line(c, c->head + c->head_len, room, &n, NC_HTTP_ERR_HEAD);
		if (err)
			return err;
		used += n + 2;
		if (n == 0 && c->head_len)
			break;
		if (n == 0 || used > NC_HTTP_HEAD_MAX || c->head_len + n + 2 >= sizeof c->head)
			return NC_HTTP_ERR_HEAD; /* an empty first line, or the head too long */
		c->head_len += n;
		c->head[c->head_len++] = '\r';
		c->head[c->head_len++] = '\n';
	}
	c->head_len -= 2;
	c->head[c->head_len] = 0;
	return nc_http_head_check(c->head, c->head_len, &c->status);
}

bool http_same_nocase(const char *a, size_t n, const char *b)
{
	if (nc_str_len(b) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((a[i] >= 'A' && a[i] <= 'Z' ? a[i] - 'A' + 'a' : a[i]) != b[i])
			return false;
	return true;
}

static bool decimal(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(v[i] - '0');
		if (v[i] < '0' || v[i] > '9' || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = x;
	return n > 0;
}

/* The body's framing from c->head (RFC 9112 6.3). */
static nc_http_err_t framing(nc_http_client_t *c)
{
	size_t pos = 0, nl, vl;
	const char *name, *value;
	c->has_length = c->chunked = false;
	c->no_body = c->head_only || c->status == 204 || c->status == 304;
	while (nc_http_head_next(c->head, c->head_len, &pos, &name, &nl, &value, &vl)) {
		uint64_t v;
		if (http_same_nocase(name, nl, "transfer-encoding")) {
			if (!http_same_nocase(value, vl, "chunked"))
				return NC_HTTP_ERR_CODING;
			c->chunked = true;
		} else if (http_same_nocase(name, nl, "content-length")) {
			if (!decimal(value, vl, &v) || (c->has_length && v != c->length))
				return NC_HTTP_ERR_LENGTH;
			c->has_length = true;
			c->length = v;
		}
	}
	if (c->chunked)
		c->has_length = false; /* Transfer-Encoding wins (RFC 9112 6.3 item 3) */
	return NC_HTTP_OK;
}

nc_http_err_t nc_http_client_head(nc_http_client_t *c)
{
	for (int interim = 0; interim <= NC_HTTP_INTERIM_MAX; interim++) {
		nc_http_err_t err = read_head(c);
		if (err)
			return err;
		if (c->status >= 200)
			return framing(c);
	}
	return NC_HTTP_ERR_HEAD;
}

/* Move n bytes (UINT64_MAX: until the stream ends) to the sink; *total
 * counts every byte of the body against max. */
static nc_http_err_t copy(nc_http_client_t *c, uint64_t n, uint64_t *total, uint64_t max, nc_http_sink_fn sink,
			  void *ud)
{
	while (n) {
		nc_http_err_t err;
		if (!fill(c, &err))
			return err ? err : n == UINT64_MAX ? NC_HTTP_OK : NC_HTTP_ERR_TRUNCATED;
		size_t take = c->end - c->pos < n ? c->end - c->pos : (size_t)n;
		if (take > max - *total)
			return NC_HTTP_ERR_TOO_LARGE;
		if (sink(ud, c->buf + c->pos, take))
			return NC_HTTP_ERR_SINK;
		c->pos += take;
		*total += take;
		if (n != UINT64_MAX)
			n -= take;
	}
	return NC_HTTP_OK;
}

/* A chunk-size line: hex digits, then blanks and extensions after ';'. */
static bool chunk_size(const char *line, size_t n, uint64_t *size)
{
	size_t i = 0;
	uint64_t v = 0;
	for (; i < n && nc_hex_digit_value(line[i]) >= 0; i++) {
		if (v >> 60)
			return false;
		v = v << 4 | (uint64_t)nc_hex_digit_value(line[i]);
	}
	size_t digits = i;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	*size = v;
	return digits > 0 && (i == n || line[i] == ';');
}

static nc_http_err_t chunked(nc_http_client_t *c, uint64_t max, nc_http_sink_fn sink, void *ud)
{
	char line[NC_HTTP_LINE_MAX];
	uint64_t total = 0, size;
	size_t n;
	for (;;) {
		nc_http_err_t err = read_line(c, line, sizeof line, &n, NC_HTTP_ERR_CHUNK);
		if (err)
			return err;
		if (!chunk_size(line, n, &size))
			return NC_HTTP_ERR_CHUNK;
		if (size == 0)
			break;
		if (size > max - total)
			return NC_HTTP_ERR_TOO_LARGE;
		if ((err = copy(c, size, &total, max, sink, ud)) ||
		    (err = read_line(c, line, sizeof line, &n, NC_HTTP_ERR_CHUNK)))
			return err;
		if (n)
			return NC_HTTP_ERR_CHUNK; /* the chunk is longer than its size */
	}
	for (size_t trailers = 0;; trailers += n + 2) { /* trailer fields, then the empty line */
		nc_http_err_t err = read_line(c, line, sizeof line, &n, NC_HTTP_ERR_CHUNK);
		if (err)
			return err;
		if (n == 0)
			return NC_HTTP_OK;
		if (trailers > NC_HTTP_HEAD_MAX)
			return NC_HTTP_ERR_CHUNK;
	}
}

nc_http_err_t nc_http_client_body(nc_http_client_t *c, uint64_t max_bytes, nc_http_sink_fn sink, void *ud)
{
	uint64_t total = 0;
	if (c->no_body)
		return NC_HTTP_OK;
	if (c->chunked)
		return chunked(c, max_bytes, sink, ud);
	if (c->has_length && c->length > max_bytes)
		return NC_HTTP_ERR_TOO_LARGE;
	if (c->has_length)
		return c->length ? copy(c, c->length, &total, max_bytes, sink, ud) : NC_HTTP_OK;
	return copy(c, UINT64_MAX, &total, max_bytes, sink, ud);
}
