/* HTTP/1.1 client, freestanding (RFC 9110 semantics, RFC 9112 messages):
 * the part of a GET that does not depend on where the bytes come from.
 * The shell's `fetch` (user/net/fetch.c) and ncScript's net::fetch (lib/ncs
 * checks each hop's endpoint, user/ncs performs it) share it.
 *
 *   url.c     "http://HOST[:PORT][/PATH]" -> the canonical "HOST:PORT" the
 *             net.connect scopes are checked on (nc/inet.h), the Host header
 *             and the request target; a redirect's Location resolved
 *   head.c    a response head: the status line and header fields, checked
 *   request.c a request (method, the caller's header lines, a body) checked
 *             and sent over a caller's transport (nc_http_io_t)
 *   client.c the answer: the head read (interim 1xx answers skipped), the
 *             body read with Content-Length, chunked (RFC 9112 7.1) or until
 *             the server closes, within a byte bound
 *
 * Everything that comes from the network is hostile: every malformed head,
 * chunk or length gets its own error, never a crash or an unbounded buffer.
 * No allocation; reentrant (the state lives in the caller's structs). */
#ifndef NC_HTTP_H
#define NC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/inet.h>

enum {
	NC_HTTP_HEAD_MAX = 8192,      /* status line and header lines, line ends included */
	NC_HTTP_PATH_MAX = 1024,      /* request target ("/a/b?q") */
	NC_HTTP_LINE_MAX = 1024,      /* a chunk-size line or a trailer line */
	NC_HTTP_BUF_BYTES = 8192,     /* received bytes buffered by a client */
	NC_HTTP_INTERIM_MAX = 8,      /* 1xx answers skipped before the final one */
	NC_HTTP_REQUEST_MAX = NC_HTTP_PATH_MAX + NC_INET_ENDPOINT_MAX + 160,
	NC_HTTP_METHOD_MAX = 16,      /* a request method's bytes */
	NC_HTTP_HEADERS_MAX = 4096,   /* a request's own header lines (nc_http_request_t.headers) */
};

typedef enum {
	NC_HTTP_OK = 0,
	NC_HTTP_ERR_URL,       /* not "http://HOST[:PORT][/PATH]" (or its parts too long) */
	NC_HTTP_ERR_IO,        /* the transport failed (its error in nc_http_client_t.io_err) */
	NC_HTTP_ERR_TRUNCATED, /* the stream ended inside the head or the body */
	NC_HTTP_ERR_HEAD,      /* a malformed status line or header line, or a head over NC_HTTP_HEAD_MAX */
	NC_HTTP_ERR_LENGTH,    /* a Content-Length that is not a decimal number, or two that differ */
	NC_HTTP_ERR_CODING,    /* a Transfer-Encoding other than "chunked" */
	NC_HTTP_ERR_CHUNK,     /* a malformed chunk-size line, chunk end or trailer */
	NC_HTTP_ERR_TOO_LARGE, /* the body is longer than the caller's bound */
	NC_HTTP_ERR_SINK,      /* the caller's sink refused bytes */
	NC_HTTP_ERR_REQUEST,   /* a request the client does not send (nc_http_request_check) */
} nc_http_err_t;

/* Static name of err ("NC_HTTP_ERR_CHUNK"; "NC_HTTP_ERR_UNKNOWN" otherwise). */
const char *nc_http_err_name(nc_http_err_t err);

/* ---------- URLs (url.c) ---------- */

typedef struct {
	char endpoint[NC_INET_ENDPOINT_MAX + 1];    /* canonical "HOST:PORT" (nc/inet.h), port 80 by default */
	char host[NC_INET_ENDPOINT_MAX + 1];        /* the Host header: canonical HOST, ":PORT" unless 80 */
	char target[NC_HTTP_PATH_MAX + 1];          /* the request target: "/" and more, no fragment */
} nc_http_url_t;

/* Parse text[0..len) as "http://HOST[:PORT][PATH][?QUERY][#FRAGMENT]" (RFC
 * 9110 4.2.1; the scheme in any case; HOST as nc/inet.h takes it: IPv4,
 * [IPv6], or a name; no user info) into *u, canonical. The target keeps the
 * path and query as written (the fragment dropped, "/" when empty); bytes
 * that cannot appear in a request target (controls, space, non-ASCII) are
 * refused, so a URL can never add a header to the request.
 * Errors: NC_HTTP_ERR_URL (u unspecified). */
nc_http_err_t nc_http_url_parse(const char *text, size_t len, nc_http_url_t *u);

/* Resolve a redirect's Location value loc[0..len) against *u in place
 * (RFC 3986 5.2 for the forms a server sends): an absolute "http://" URL,
 * "//HOST..." (network-path), "/path" (same endpoint), "?query", or a
 * relative path (merged with the directory of u's path; dot segments are
 * left to the server). Errors: NC_HTTP_ERR_URL (another scheme such as
 * https, or a malformed or too long result; *u unchanged). */
nc_http_err_t nc_http_url_follow(nc_http_url_t *u, const char *loc, size_t len);

/* Whether status is a redirect that names its target in Location (301,
 * 302, 303, 307, 308). */
bool nc_http_is_redirect(int status);

/* ---------- response heads (head.c) ----------
 * A head is the status line and the header lines without the empty line
 * that ends it, lines separated by CRLF (nc_http_client_t.head's form). */

/* Check head[0..len): the status line "HTTP/1.x NNN[ reason]" (status
 * 100..599) and every header line "name: value" (name a token, value
 * without control bytes other than tab; no line folding). On success
 * *status is the code. Errors: NC_HTTP_ERR_HEAD. */
nc_http_err_t nc_http_head_check(const char *head, size_t len, int *status);

/* The next header field of a checked head after *pos (0: the first):
 * name[0..*name_len) and value[0..*value_len) (blanks around the value cut),
 * borrowed from head; *pos advances. False after the last field. */
bool nc_http_head_next(const char *head, size_t len, size_t *pos, const char **name, size_t *name_len,
		       const char **value, size_t *value_len);

/* The value of the first field named name (NUL-terminated, compared without
 * case) in a checked head, borrowed; false when there is none. */
bool nc_http_head_find(const char *head, size_t len, const char *name, const char **value, size_t *value_len);

/* ---------- one exchange over a transport (client.c) ---------- */

/* The caller's byte stream (a connected TCP socket). recv puts up to cap
 * bytes into buf and sets *n_bytes (0: the peer ended the stream); send
 * writes all of buf[0..len). A nonzero return is the transport's own error,
 * kept in nc_http_client_t.io_err. */
typedef struct {
	void *ud;
	int (*recv)(void *ud, uint8_t *buf, size_t cap, size_t *n_bytes);
	int (*send)(void *ud, const uint8_t *buf, size_t len);
} nc_http_io_t;

/* Where body bytes go; nonzero stops the body with NC_HTTP_ERR_SINK. */
typedef int (*nc_http_sink_fn)(void *ud, const uint8_t *bytes, size_t len);

typedef struct {
	const nc_http_io_t *io;
	int io_err;                        /* after NC_HTTP_ERR_IO: what io returned */
	int status;                        /* the final answer's status, after nc_http_client_head */
	char head[NC_HTTP_HEAD_MAX + 1];   /* its head (see above), NUL-terminated */
	size_t head_len;
	bool has_length;                   /* Content-Length given: length is the body's size */
	uint64_t length;
	bool chunked;                      /* Transfer-Encoding: chunked */
	bool no_body;                      /* 204, 304: the answer has no body */
	uint8_t buf[NC_HTTP_BUF_BYTES];    /* received, not consumed: buf[pos..end) (the request's head before) */
	size_t pos, end;
	bool eof;                          /* the peer ended the stream */
	bool head_only;                    /* the request was a HEAD: the answer has no body */
} nc_http_client_t;

/* Start an exchange on the connected transport io (borrowed until the
 * exchange ends). */
void nc_http_client_init(nc_http_client_t *c, const nc_http_io_t *io);

/* ---------- requests (request.c) ---------- */

typedef struct {
	const char *method;      /* NUL-terminated token (RFC 9110 5.6.2) of 1..NC_HTTP_METHOD_MAX bytes */
	const char *headers;     /* the caller's header lines "Name: value" joined by CRLF, no final CRLF */
	size_t headers_len;      /* 0..NC_HTTP_HEADERS_MAX (0: none; headers may then be NULL) */
	const uint8_t *body;     /* NULL: no body; else body_len bytes sent with a Content-Length */
	size_t body_len;
} nc_http_request_t;

/* GET without header lines of its own or a body. */
extern const nc_http_request_t nc_http_get;

/* Whether the client sends r: the method a token; every header line a
 * field line (a name that is a token, a colon, a value without control
 * bytes other than tab: no CR or LF can start a line of its own), none of
 * Host, Content-Length, Transfer-Encoding or Connection (the client writes
 * those); body_len 0 unless body is given. Errors: NC_HTTP_ERR_REQUEST. */
nc_http_err_t nc_http_request_check(const nc_http_request_t *r);

/* Send r for u: "METHOD target HTTP/1.1", Host, User-Agent agent
 * (NUL-terminated, at most 64 bytes; not sent when r has a User-Agent line
 * of its own), r's header lines, "Content-Length: body_len" when r has a
 * body, "Connection: close", then the body. After a HEAD the answer has no
 * body (RFC 9110 9.3.2). Errors: NC_HTTP_ERR_REQUEST (r fails
 * nc_http_request_check, or agent is too long), NC_HTTP_ERR_IO. */
nc_http_err_t nc_http_client_send(nc_http_client_t *c, const nc_http_url_t *u, const nc_http_request_t *r,
				  const char *agent);

/* Read the answer's head (skipping up to NC_HTTP_INTERIM_MAX 1xx answers)
 * into c->head, c->status and the body's framing (RFC 9112 6.3).
 * Errors: NC_HTTP_ERR_IO, NC_HTTP_ERR_TRUNCATED, NC_HTTP_ERR_HEAD (also
 * for too many interim answers), NC_HTTP_ERR_LENGTH, NC_HTTP_ERR_CODING. */
nc_http_err_t nc_http_client_head(nc_http_client_t *c);

/* Read the body after nc_http_client_head, its transfer coding removed,
 * into sink in pieces; at most max_bytes bytes (a Content-Length above it
 * fails before anything is read). Errors: NC_HTTP_ERR_IO,
 * NC_HTTP_ERR_TRUNCATED (the stream ended before Content-Length bytes or
 * the last chunk), NC_HTTP_ERR_CHUNK, NC_HTTP_ERR_TOO_LARGE,
 * NC_HTTP_ERR_SINK. */
nc_http_err_t nc_http_client_body(nc_http_client_t *c, uint64_t max_bytes, nc_http_sink_fn sink, void *ud);

#endif
