/* lib/http (nc/http.h): URLs and their canonical endpoints, redirects'
 * Locations, response heads, and whole exchanges over a scripted transport
 * that hands the answer over in pieces of every size from 1 byte (so every
 * split of a line, a head or a chunk is crossed), with hostile answers:
 * truncated heads and bodies, bad chunk sizes, huge or conflicting lengths,
 * random bytes. Expected values are worked out by hand from RFC 9112. */
#include "nc_test.h"
#include <nc/http.h>
#include <nc/mem.h>

#define S(x) x, (sizeof(x) - 1)

static bool url_is(const char *text, const char *endpoint, const char *host, const char *target)
{
	nc_http_url_t u;
	return nc_http_url_parse(text, nc_str_len(text), &u) == NC_HTTP_OK && !nc_str_compare(u.endpoint, endpoint) &&
	       !nc_str_compare(u.host, host) && !nc_str_compare(u.target, target);
}

static bool url_bad(const char *text, size_t len)
{
	nc_http_url_t u;
	return nc_http_url_parse(text, len, &u) == NC_HTTP_ERR_URL;
}

NC_TEST(http, err_names)
{
	NC_CHECK_STR(nc_http_err_name(NC_HTTP_OK), "NC_HTTP_OK");
	NC_CHECK_STR(nc_http_err_name(NC_HTTP_ERR_CHUNK), "NC_HTTP_ERR_CHUNK");
	NC_CHECK_STR(nc_http_err_name(NC_HTTP_ERR_SINK), "NC_HTTP_ERR_SINK");
	NC_CHECK_STR(nc_http_err_name((nc_http_err_t)99), "NC_HTTP_ERR_UNKNOWN");
}

NC_TEST(http, url_canonical_endpoint)
{
	NC_CHECK(url_is("http://10.0.2.100/big", "10.0.2.100:80", "10.0.2.100", "/big"));
	NC_CHECK(url_is("http://10.0.2.100", "10.0.2.100:80", "10.0.2.100", "/"));
	NC_CHECK(url_is("http://10.0.2.100:", "10.0.2.100:80", "10.0.2.100", "/"));
	NC_CHECK(url_is("HTTP://Example.COM.:8080/A?b=1#frag", "example.com:8080", "example.com:8080", "/A?b=1"));
	NC_CHECK(url_is("http://[FD77:0::1]:80/x", "[fd77::1]:80", "[fd77::1]", "/x"));
	NC_CHECK(url_is("http://[::1]:8080", "[::1]:8080", "[::1]:8080", "/"));
	NC_CHECK(url_is("http://h.test?q", "h.test:80", "h.test", "/?q"));
	NC_CHECK(url_is("http://h.test#f", "h.test:80", "h.test", "/"));
}

NC_TEST(http, url_refused)
{
	static const char *const bad[] = {
		"https://h.test/", "ftp://h.test/", "http:/h.test", "http://", "http:///x", "http://u@h.test/",
		"http://h.test:0/", "http://h.test:65536/", "http://h.test:080/", "http://h.test:8a/", "http://h test/",
		"http://h.test/a b", "http://h.test/a\r\nX-Evil: 1", "http://h.test/\x7f", "http://h.test/caf\xc3\xa9",
		"http://[fd77::1%eth0]/", "http://010.0.2.2/", "http://*/", "http://-h.test/", "h.test/x", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (!url_bad(bad[i], nc_str_len(bad[i])))
			NC_FAIL("accepted %s", bad[i]);
	NC_CHECK(url_bad(S("http://h.test/a\0b")));
	static char long_path[NC_HTTP_PATH_MAX + 32] = "http://h.test/";
	nc_mem_set(long_path + 14, 'a', NC_HTTP_PATH_MAX);
	NC_CHECK(url_bad(long_path, nc_str_len(long_path)));
	long_path[14 + NC_HTTP_PATH_MAX - 1] = 0; /* "/" + 1023 bytes: exactly the bound */
	NC_CHECK(!url_bad(long_path, nc_str_len(long_path)));
}

static bool follows(const char *from, const char *loc, const char *endpoint, const char *target)
{
	nc_http_url_t u;
	if (nc_http_url_parse(from, nc_str_len(from), &u) || nc_http_url_follow(&u, loc, nc_str_len(loc)))
		return false;
	return !nc_str_compare(u.endpoint, endpoint) && !nc_str_compare(u.target, target);
}

NC_TEST(http, redirect_locations)
{
	NC_CHECK(follows("http://10.0.2.100/redirect", "/small", "10.0.2.100:80", "/small"));
	NC_CHECK(follows("http://10.0.2.100/a", "http://10.0.2.2:8080/b", "10.0.2.2:8080", "/b"));
	NC_CHECK(follows("http://10.0.2.100/a", "//peer.test:81/c?d", "peer.test:81", "/c?d"));
	NC_CHECK(follows("http://h.test/a/b?x", "c", "h.test:80", "/a/c"));
	NC_CHECK(follows("http://h.test/a/b?x", "c/d?y#z", "h.test:80", "/a/c/d?y"));
	NC_CHECK(follows("http://h.test/a/b?x", "?y", "h.test:80", "/a/b?y"));
	NC_CHECK(follows("http://h.test/a", "HTTP://H.test:8000", "h.test:8000", "/"));
	nc_http_url_t u;
	NC_CHECK_EQ(nc_http_url_parse(S("http://h.test/a"), &u), NC_HTTP_OK);
	static const char *const bad[] = { "https://h.test/", "mailto:x@h.test", "", "/a b", "//u@h/", "http://" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (nc_http_url_follow(&u, bad[i], nc_str_len(bad[i])) != NC_HTTP_ERR_URL)
			NC_FAIL("followed %s", bad[i]);
	NC_CHECK_STR(u.endpoint, "h.test:80"); /* unchanged by the refusals */
	NC_CHECK_STR(u.target, "/a");
	NC_CHECK(nc_http_is_redirect(301) && nc_http_is_redirect(308) && nc_http_is_redirect(303));
	NC_CHECK(!nc_http_is_redirect(300) && !nc_http_is_redirect(304) && !nc_http_is_redirect(200));
}

NC_TEST(http, heads)
{
	int status = 0;
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A:\t spaced \t\r\nx-a: 2";
	NC_CHECK_EQ(nc_http_head_check(S(head), &status), NC_HTTP_OK);
	NC_CHECK_EQ(status, 200);
	const char *v;
	size_t vl;
	NC_CHECK(nc_http_head_find(S(head), "content-type", &v, &vl) && vl == 10 && !nc_mem_compare(v, "text/plain", 10));
	NC_CHECK(nc_http_head_find(S(head), "X-a", &v, &vl) && vl == 6 && !nc_mem_compare(v, "spaced", 6));
	NC_CHECK(!nc_http_head_find(S(head), "content", &v, &vl));
	size_t pos = 0, nl;
	const char *name;
	int fields = 0;
	while (nc_http_head_next(S(head), &pos, &name, &nl, &v, &vl))
		fields++;
	NC_CHECK_EQ(fields, 3);
	NC_CHECK_EQ(nc_http_head_check(S("HTTP/1.0 404"), &status), NC_HTTP_OK);
	NC_CHECK_EQ(status, 404);
	pos = 0;
	NC_CHECK(!nc_http_head_next(S("HTTP/1.0 404"), &pos, &name, &nl, &v, &vl));
	static const char *const bad[] = {
		"HTTP/2 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 099 x", "HTTP/1.1 600 x", "HTTP/1.1 200x", "http/1.1 200 OK",
		"HTTP/1.1  200 OK", "HTTP/1.1 200 O\x01K", "HTTP/1.1 200 OK\r\nNoColon", "HTTP/1.1 200 OK\r\nA B: c",
		"HTTP/1.1 200 OK\r\n: v", "HTTP/1.1 200 OK\r\nA: b\r\n folded", "HTTP/1.1 200 OK\r\nA: b\rc",
		"HTTP/1.1 200 OK\r\nA: b\nc: d", "HTTP/1.1 200 OK\r\n", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (nc_http_head_check(bad[i], nc_str_len(bad[i]), &status) != NC_HTTP_ERR_HEAD)
			NC_FAIL("accepted head %zu", i);
}

/* ---------- exchanges over a scripted transport ---------- */

typedef struct {
	const uint8_t *answer;
	size_t len, at, piece;   /* handed over piece bytes at a time */
	int fail_recv_at;        /* > 0: recv fails with this error once at is past fail_after */
	size_t fail_after;
	char sent[NC_HTTP_REQUEST_MAX + NC_HTTP_HEADERS_MAX + 256];
	size_t sent_len;
	size_t recvs;
} script_t;

static int script_recv(void *ud, uint8_t *buf, size_t cap, size_t *n)
{
	script_t *s = ud;
	s->recvs++;
	if (s->fail_recv_at && s->at >= s->fail_after)
		return s->fail_recv_at;
	size_t k = s->len - s->at;
	k = k < s->piece ? k : s->piece;
	k = k < cap ? k : cap;
	nc_mem_copy(buf, s->answer + s->at, k);
	s->at += k;
	*n = k;
	return 0;
}

static int script_send(void *ud, const uint8_t *buf, size_t len)
{
	script_t *s = ud;
	if (s->sent_len + len > sizeof s->sent)
		return 99;
	nc_mem_copy(s->sent + s->sent_len, buf, len);
	s->sent_len += len;
	return 0;
}

typedef struct {
	uint8_t bytes[1 << 16];
	size_t len;
} body_t;

static int body_put(void *ud, const uint8_t *p, size_t n)
{
	body_t *b = ud;
	if (b->len + n > sizeof b->bytes)
		return 1;
	nc_mem_copy(b->bytes + b->len, p, n);
	b->len += n;
	return 0;
}

static nc_http_client_t client;
static body_t body;

/* r for http://h.test:8080/p?q answered by answer[0..len) in pieces of
 * piece bytes: the result of the head (or, when it succeeded, of the body). */
static nc_http_err_t exchange_request(const nc_http_request_t *r, const char *answer, size_t len, size_t piece,
				      uint64_t max, script_t *s)
{
	*s = (script_t){ (const uint8_t *)answer, len, 0, piece, 0, 0, { 0 }, 0, 0 };
	nc_http_io_t io = { s, script_recv, script_send };
	nc_http_url_t u;
	body.len = 0;
	nc_http_client_init(&client, &io);
	nc_http_err_t err = nc_http_url_parse(S("http://h.test:8080/p?q"), &u);
	if (!err)
		err = nc_http_client_send(&client, &u, r, "nc-test");
	if (!err)
		err = nc_http_client_head(&client);
	return err ? err : nc_http_client_body(&client, max, body_put, &body);
}

/* The same for a GET. */
static nc_http_err_t exchange(const char *answer, size_t len, size_t piece, uint64_t max, script_t *s)
{
	return exchange_request(&nc_http_get, answer, len, piece, max, s);
}

/* The exchange gives err with every piece size from 1 to the whole answer,
 * and (when it succeeds) the body want. */
static bool every_split(const char *answer, size_t len, uint64_t max, nc_http_err_t err, const char *want,
			size_t want_len)
{
	script_t s;
	for (size_t piece = 1; piece <= len; piece++) {
		nc_http_err_t got = exchange(answer, len, piece, max, &s);
		if (got != err)
			return false;
		if (!err && (body.len != want_len || nc_mem_compare(body.bytes, want, want_len)))
			return false;
	}
	return true;
}

#define OK_HEAD "HTTP/1.1 200 OK\r\n"

NC_TEST(http, request_bytes)
{
	script_t s;
	NC_CHECK_EQ(exchange(S(OK_HEAD "Content-Length: 0\r\n\r\n"), 1000, 100, &s), NC_HTTP_OK);
	static const char want[] = "GET /p?q HTTP/1.1\r\nHost: h.test:8080\r\nUser-Agent: nc-test\r\n"
				   "Connection: close\r\n\r\n";
	NC_CHECK_EQ(s.sent_len, sizeof want - 1);
	NC_CHECK(!nc_mem_compare(s.sent, want, sizeof want - 1));
	NC_CHECK_EQ(client.status, 200);
	NC_CHECK(client.has_length && client.length == 0);
	nc_http_url_t u;
	NC_CHECK_EQ(nc_http_url_parse(S("http://h.test/"), &u), NC_HTTP_OK);
	NC_CHECK_EQ(nc_http_client_send(&client, &u, &nc_http_get,
					"a-user-agent-longer-than-sixty-four-bytes-is-refused-by-the-client"),
		    NC_HTTP_ERR_REQUEST);
}

/* Whether the request sent is exactly want. */
static bool sent_is(const script_t *s, const char *want)
{
	size_t n = nc_str_len(want);
	return s->sent_len == n && !nc_mem_compare(s->sent, want, n);
}

NC_TEST(http, request_method_headers_body)
{
	script_t s;
	static const uint8_t form[] = "a=1&b=2";
	nc_http_request_t post = { "POST", S("Content-Type: application/x-www-form-urlencoded\r\nX-A:\tb"), form,
				   sizeof form - 1 };
	NC_CHECK_EQ(exchange_request(&post, S(OK_HEAD "Content-Length: 2\r\n\r\nok"), 100, 100, &s), NC_HTTP_OK);
	NC_CHECK(sent_is(&s, "POST /p?q HTTP/1.1\r\nHost: h.test:8080\r\nUser-Agent: nc-test\r\n"
			     "Content-Type: application/x-www-form-urlencoded\r\nX-A:\tb\r\nContent-Length: 7\r\n"
			     "Connection: close\r\n\r\na=1&b=2"));
	NC_CHECK(body.len == 2 && !nc_mem_compare(body.bytes, "ok", 2));
	/* an empty body still says its length; the caller's User-Agent replaces ours */
	nc_http_request_t put = { "PUT", S("user-agent: mine"), (const uint8_t *)"", 0 };
	NC_CHECK_EQ(exchange_request(&put, S(OK_HEAD "Content-Length: 0\r\n\r\n"), 100, 100, &s), NC_HTTP_OK);
	NC_CHECK(sent_is(&s, "PUT /p?q HTTP/1.1\r\nHost: h.test:8080\r\nuser-agent: mine\r\nContent-Length: 0\r\n"
			     "Connection: close\r\n\r\n"));
	/* HEAD: the answer's Content-Length describes a body that is not sent */
	nc_http_request_t head = { "HEAD", NULL, 0, NULL, 0 };
	NC_CHECK_EQ(exchange_request(&head, S(OK_HEAD "Content-Length: 5000\r\n\r\n"), 100, 100, &s), NC_HTTP_OK);
	NC_CHECK(body.len == 0 && client.has_length && client.length == 5000);
	NC_CHECK(sent_is(&s, "HEAD /p?q HTTP/1.1\r\nHost: h.test:8080\r\nUser-Agent: nc-test\r\nConnection: close\r\n\r\n"));
	/* a GET after a HEAD on the same client reads its body again */
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 5\r\n\r\nhello"), 100, NC_HTTP_OK, S("hello")));
}

NC_TEST(http, requests_refused)
{
	static const char *const bad_methods[] = { "", "GE T", "GET\r\nX: y", "A-METHOD-OF-17-BY", "G\x80T" };
	for (size_t i = 0; i < sizeof bad_methods / sizeof bad_methods[0]; i++) {
		nc_http_request_t r = { bad_methods[i], NULL, 0, NULL, 0 };
		NC_CHECK_EQ(nc_http_request_check(&r), NC_HTTP_ERR_REQUEST);
	}
	nc_http_request_t sixteen = { "A-METHOD-OF-16-B", NULL, 0, NULL, 0 };
	NC_CHECK_EQ(nc_http_request_check(&sixteen), NC_HTTP_OK);
	/* header lines that would split the request, frame it, or are no field lines */
	static const char *const bad_headers[] = {
		"X: a\r\nHost: evil", "X: a\nGET / HTTP/1.1", "X: a\rb", "Content-Length: 3", "transfer-encoding: chunked",
		"CONNECTION: keep-alive", "X: a\r\n", "\r\nX: a", "No colon", ": empty name", "Bad name: x", "X: \x7f",
		"X: a\r\n\r\nbody",
	};
	for (size_t i = 0; i < sizeof bad_headers / sizeof bad_headers[0]; i++) {
		nc_http_request_t r = { "GET", bad_headers[i], nc_str_len(bad_headers[i]), NULL, 0 };
		if (nc_http_request_check(&r) != NC_HTTP_ERR_REQUEST)
			NC_FAIL("header block %zu accepted", i);
		script_t s;
		NC_CHECK_EQ(exchange_request(&r, S(OK_HEAD "\r\n"), 100, 100, &s), NC_HTTP_ERR_REQUEST);
		NC_CHECK_EQ(s.sent_len, 0); /* nothing went out */
	}
	static char many[NC_HTTP_HEADERS_MAX + 1];
	nc_mem_set(many, 'x', sizeof many);
	many[0] = 'X', many[1] = ':';
	nc_http_request_t r = { "GET", many, sizeof many, NULL, 0 };
	NC_CHECK_EQ(nc_http_request_check(&r), NC_HTTP_ERR_REQUEST);
	r.headers_len = NC_HTTP_HEADERS_MAX;
	NC_CHECK_EQ(nc_http_request_check(&r), NC_HTTP_OK);
	nc_http_request_t no_body = { "POST", NULL, 0, NULL, 3 };
	NC_CHECK_EQ(nc_http_request_check(&no_body), NC_HTTP_ERR_REQUEST);
}

NC_TEST(http, content_length_body)
{
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 5\r\nX: y\r\n\r\nhello"), 100, NC_HTTP_OK, S("hello")));
	/* bare LF line ends; bytes after Content-Length are not body */
	NC_CHECK(every_split(S("HTTP/1.1 200 OK\nContent-Length: 3\n\nabcdef"), 100, NC_HTTP_OK, S("abc")));
	NC_CHECK_STR(client.head, "HTTP/1.1 200 OK\r\nContent-Length: 3");
	/* the same length twice is one length */
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 2\r\ncontent-length: 2\r\n\r\nhi"), 100, NC_HTTP_OK, S("hi")));
	/* exactly the bound passes */
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 5\r\n\r\nhello"), 5, NC_HTTP_OK, S("hello")));
}

NC_TEST(http, until_close_body)
{
	NC_CHECK(every_split(S(OK_HEAD "\r\nevery byte until the end"), 100, NC_HTTP_OK, S("every byte until the end")));
	NC_CHECK(every_split(S(OK_HEAD "\r\n"), 100, NC_HTTP_OK, S("")));
	NC_CHECK(every_split(S(OK_HEAD "\r\n0123456789"), 9, NC_HTTP_ERR_TOO_LARGE, NULL, 0));
}

NC_TEST(http, chunked_body)
{
	/* RFC 9112 7.1: sizes in hex (any case), extensions, trailers, the last chunk */
	NC_CHECK(every_split(S(OK_HEAD "Transfer-Encoding: chunked\r\n\r\n"
			       "1\r\na\r\nA;ext=1\r\n0123456789\r\n2 ; x\r\nbc\r\n0\r\nX-Trailer: yes\r\n\r\n"),
			     100, NC_HTTP_OK, S("a0123456789bc")));
	/* chunked wins over a Content-Length (RFC 9112 6.3 item 3) */
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 1\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n"),
			     100, NC_HTTP_OK, S("xyz")));
	NC_CHECK(every_split(S(OK_HEAD "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"), 100, NC_HTTP_OK, S("")));
}

NC_TEST(http, interim_and_bodiless_answers)
{
	NC_CHECK(every_split(S("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\n"
			       OK_HEAD "Content-Length: 2\r\n\r\nok"), 100, NC_HTTP_OK, S("ok")));
	NC_CHECK_EQ(client.status, 200);
	NC_CHECK(every_split(S("HTTP/1.1 204 No Content\r\n\r\ntrailing junk"), 100, NC_HTTP_OK, S("")));
	NC_CHECK(every_split(S("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"), 100, NC_HTTP_OK, S("")));
	static char many[16 * 32 + 64];
	size_t n = 0;
	for (int i = 0; i <= NC_HTTP_INTERIM_MAX; i++) {
		nc_mem_copy(many + n, "HTTP/1.1 100 Continue\r\n\r\n", 25);
		n += 25;
	}
	nc_mem_copy(many + n, OK_HEAD "\r\n", sizeof OK_HEAD + 1);
	n += sizeof OK_HEAD + 1;
	NC_CHECK(every_split(many, n, 100, NC_HTTP_ERR_HEAD, NULL, 0));
}

NC_TEST(http, hostile_heads)
{
	script_t s;
	NC_CHECK_EQ(exchange("", 0, 1, 100, &s), NC_HTTP_ERR_TRUNCATED);
	NC_CHECK(every_split(S("HTTP/1.1 200 OK\r\nContent-Len"), 100, NC_HTTP_ERR_TRUNCATED, NULL, 0));
	NC_CHECK(every_split(S("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"), 100, NC_HTTP_ERR_TRUNCATED, NULL, 0));
	NC_CHECK(every_split(S("SSH-2.0-OpenSSH\r\n\r\n"), 100, NC_HTTP_ERR_HEAD, NULL, 0));
	NC_CHECK(every_split(S("\r\nHTTP/1.1 200 OK\r\n\r\n"), 100, NC_HTTP_ERR_HEAD, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Bad Header\r\n\r\n"), 100, NC_HTTP_ERR_HEAD, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "A: 1\r\n folded\r\n\r\n"), 100, NC_HTTP_ERR_HEAD, NULL, 0));
	/* a head of more than NC_HTTP_HEAD_MAX bytes, with and without an end */
	static char big[NC_HTTP_HEAD_MAX + 256];
	size_t n = sizeof OK_HEAD - 1;
	nc_mem_copy(big, OK_HEAD, n);
	while (n < NC_HTTP_HEAD_MAX + 100) {
		nc_mem_copy(big + n, "X-Fill: 0123456789\r\n", 20);
		n += 20;
	}
	NC_CHECK_EQ(exchange(big, n, 4096, 100, &s), NC_HTTP_ERR_HEAD);
	nc_mem_copy(big + n, "\r\n", 2);
	NC_CHECK_EQ(exchange(big, n + 2, 1000, 100, &s), NC_HTTP_ERR_HEAD);
	NC_CHECK_EQ(exchange(big, n + 2, 1, 100, &s), NC_HTTP_ERR_HEAD);
	NC_CHECK(s.at <= NC_HTTP_HEAD_MAX + 20); /* stopped reading at the bound */
	/* one line without an end, longer than the head */
	nc_mem_set(big + (sizeof OK_HEAD - 1), 'x', sizeof big - sizeof OK_HEAD);
	NC_CHECK_EQ(exchange(big, sizeof big - 1, 4096, 100, &s), NC_HTTP_ERR_HEAD);
}

NC_TEST(http, hostile_lengths)
{
	script_t s;
	/* a huge Content-Length fails before any body byte is read */
	NC_CHECK_EQ(exchange(S(OK_HEAD "Content-Length: 99999999999\r\n\r\nabc"), 1, 1 << 20, &s), NC_HTTP_ERR_TOO_LARGE);
	NC_CHECK_EQ(s.at, sizeof OK_HEAD - 1 + 29 + 2);
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 18446744073709551616\r\n\r\n"), 100, NC_HTTP_ERR_LENGTH, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 18446744073709551615\r\n\r\n"), 100, NC_HTTP_ERR_TOO_LARGE, NULL,
			     0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"), 100, NC_HTTP_ERR_LENGTH,
			     NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: -1\r\n\r\n"), 100, NC_HTTP_ERR_LENGTH, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 3, 3\r\n\r\nabc"), 100, NC_HTTP_ERR_LENGTH, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length:\r\n\r\n"), 100, NC_HTTP_ERR_LENGTH, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 0x10\r\n\r\n"), 100, NC_HTTP_ERR_LENGTH, NULL, 0));
	/* fewer bytes than announced */
	NC_CHECK(every_split(S(OK_HEAD "Content-Length: 10\r\n\r\nshort"), 100, NC_HTTP_ERR_TRUNCATED, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Transfer-Encoding: gzip\r\n\r\n"), 100, NC_HTTP_ERR_CODING, NULL, 0));
	NC_CHECK(every_split(S(OK_HEAD "Transfer-Encoding: gzip, chunked\r\n\r\n"), 100, NC_HTTP_ERR_CODING, NULL, 0));
}

#define CHUNKED OK_HEAD "Transfer-Encoding: chunked\r\n\r\n"

NC_TEST(http, hostile_chunks)
{
	static const char *const bad[] = {
		CHUNKED "zz\r\nab\r\n0\r\n\r\n",                  /* not hex */
		CHUNKED "\r\nab\r\n0\r\n\r\n",                    /* no size */
		CHUNKED "-2\r\nab\r\n0\r\n\r\n",                  /* a sign */
		CHUNKED "2x\r\nab\r\n0\r\n\r\n",                  /* junk after the size */
		CHUNKED "10000000000000000\r\n",                  /* 2^64: overflow */
		CHUNKED "2\r\nabc\r\n0\r\n\r\n",                  /* data longer than its size */
		CHUNKED "2\r\nabXY0\r\n\r\n",                     /* no CRLF after the data */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (!every_split(bad[i], nc_str_len(bad[i]), 100, NC_HTTP_ERR_CHUNK, NULL, 0))
			NC_FAIL("chunked answer %zu not refused with NC_HTTP_ERR_CHUNK", i);
	/* a chunk size line longer than NC_HTTP_LINE_MAX */
	static char longline[sizeof CHUNKED + NC_HTTP_LINE_MAX + 16] = CHUNKED "1;";
	nc_mem_set(longline + sizeof CHUNKED + 1, 'e', NC_HTTP_LINE_MAX + 8);
	script_t s;
	NC_CHECK_EQ(exchange(longline, nc_str_len(longline), 512, 100, &s), NC_HTTP_ERR_CHUNK);
	/* the stream ends inside a chunk, a size line, before the last chunk, in the trailers */
	static const char *const cut[] = {
		CHUNKED "5\r\nab", CHUNKED "5", CHUNKED "2\r\nab\r\n", CHUNKED "0\r\nX: y\r\n", CHUNKED,
	};
	for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++)
		if (!every_split(cut[i], nc_str_len(cut[i]), 100, NC_HTTP_ERR_TRUNCATED, NULL, 0))
			NC_FAIL("cut chunked answer %zu not NC_HTTP_ERR_TRUNCATED", i);
	/* a huge chunk size fails before its data is read; many small ones past the bound too */
	NC_CHECK(every_split(S(CHUNKED "7fffffffffffffff\r\nab"), 100, NC_HTTP_ERR_TOO_LARGE, NULL, 0));
	NC_CHECK(every_split(S(CHUNKED "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"), 5, NC_HTTP_ERR_TOO_LARGE, NULL, 0));
	NC_CHECK(every_split(S(CHUNKED "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n"), 6, NC_HTTP_OK, S("abcdef")));
}

NC_TEST(http, transport_and_sink_errors)
{
	script_t s = { (const uint8_t *)OK_HEAD "Content-Length: 9\r\n\r\n123456789", 0, 0, 4, 0, 0, { 0 }, 0, 0 };
	s.len = nc_str_len((const char *)s.answer);
	s.fail_recv_at = 42;
	s.fail_after = 40; /* the head is 38 bytes: the body's first receive after it fails */
	nc_http_io_t io = { &s, script_recv, script_send };
	nc_http_url_t u;
	NC_CHECK_EQ(nc_http_url_parse(S("http://h.test/"), &u), NC_HTTP_OK);
	nc_http_client_init(&client, &io);
	NC_CHECK_EQ(nc_http_client_send(&client, &u, &nc_http_get, "t"), NC_HTTP_OK);
	NC_CHECK_EQ(nc_http_client_head(&client), NC_HTTP_OK);
	NC_CHECK_EQ(nc_http_client_body(&client, 100, body_put, &body), NC_HTTP_ERR_IO);
	NC_CHECK_EQ(client.io_err, 42);
	/* the sink says stop */
	static const char answer[] = OK_HEAD "Content-Length: 70000\r\n\r\n";
	static char big[sizeof answer + 70000];
	nc_mem_copy(big, answer, sizeof answer - 1);
	nc_mem_set(big + sizeof answer - 1, 'z', 70000);
	NC_CHECK_EQ(exchange(big, sizeof big - 1, 8192, 1 << 20, &s), NC_HTTP_ERR_SINK);
}

/* Random answers (a seeded generator, mostly protocol-like pieces) never
 * crash the client and end with a named error or a body within the bound. */
NC_TEST(http, random_answers)
{
	static const char *const parts[] = {
		"HTTP/1.1 200 OK\r\n", "Content-Length: 7\r\n", "Transfer-Encoding: chunked\r\n", "\r\n", "5\r\n",
		"abcde", "0\r\n", "ffffffff\r\n", ";x", "HTTP/1.1 100 Continue\r\n", "\n", "\r", ":", " ", "\x80\xff",
		"Content-Length: 99999999999999999999\r\n", "HTTP/1.1 204 x\r\n",
	};
	static char answer[4096];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int ok = 0;
	for (int round = 0; round < 3000; round++) {
		size_t n = 0;
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int k = (int)(x % 12);
		for (int i = 0; i < k; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			const char *p = parts[x % (sizeof parts / sizeof parts[0])];
			size_t l = nc_str_len(p);
			if (x >> 60 == 0) { /* a random byte now and then */
				answer[n++] = (char)(x >> 32);
				continue;
			}
			nc_mem_copy(answer + n, p, l);
			n += l;
		}
		script_t s;
		nc_http_err_t err = exchange(answer, n, 1 + (size_t)(x >> 40) % 9, 64, &s);
		if ((unsigned)err > NC_HTTP_ERR_SINK || err == NC_HTTP_ERR_IO || err == NC_HTTP_ERR_URL ||
		    body.len > 64)
			NC_FAIL("round %d: %s, %zu body bytes", round, nc_http_err_name(err), body.len);
		ok += err == NC_HTTP_OK;
	}
	NC_CHECK(ok > 0);
}
