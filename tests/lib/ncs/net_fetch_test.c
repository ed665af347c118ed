/* net::fetch(url) (lib/ncs/net_fetch.c) with a fake net.fetch handler: the
 * net.connect gate on each hop's canonical HOST:PORT (the script's header
 * and the host's grant, deny by default, checked before the handler runs),
 * redirects (followed within scope, denied outside it, at most 5), the
 * value's shape, hostile handler replies and failures as typed errors, and
 * the options (method, header lines, body: what reaches the handler, what
 * is refused before it, how redirects change the method). */
#include "ncs_test_support.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static int calls;
static char last_endpoint[128], last_url[256], echo[8192];

typedef struct {
	const char *url;      /* what the handler was asked for */
	const char *reply;    /* its text, or NULL: fail with reply as the message */
	const char *message;
} route_t;

static const route_t routes[] = {
	{ "http://10.0.2.100/small", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Twice: a\r\nx-twice: b\r\n\r\n"
				     "line 0\nline 1\n", NULL },
	{ "http://10.0.2.100/nope", "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", NULL },
	{ "http://10.0.2.100/redirect", "HTTP/1.1 302 Found\r\nLocation: /small\r\n\r\n", NULL },
	{ "http://10.0.2.100/out", "HTTP/1.1 301 Moved\r\nLocation: http://10.0.2.2:8080/x\r\n\r\n", NULL },
	{ "http://10.0.2.100/port", "HTTP/1.1 307 Moved\r\nLocation: http://10.0.2.100:81/x\r\n\r\n", NULL },
	{ "http://10.0.2.100/loop", "HTTP/1.1 302 Found\r\nLocation: loop\r\n\r\n", NULL },
	{ "http://10.0.2.100/tls", "HTTP/1.1 302 Found\r\nLocation: https://10.0.2.100/\r\n\r\n", NULL },
	{ "http://10.0.2.100/bare3xx", "HTTP/1.1 302 Found\r\n\r\nno location", NULL },
	{ "http://10.0.2.100/nohead", "just a body", NULL },
	{ "http://10.0.2.100/badstatus", "HTTP/1.1 2000 OK\r\n\r\nx", NULL },
	{ "http://10.0.2.100/badfield", "HTTP/1.1 200 OK\r\nno colon here\r\n\r\nx", NULL },
	{ "http://10.0.2.100/big", NULL, "NC_HTTP_ERR_TOO_LARGE" },
	{ "http://10.0.2.100/binary", "HTTP/1.1 200 OK\r\n\r\n\xff\xfe", NULL },
	{ "http://example.com/", "HTTP/1.1 200 OK\r\n\r\nexample", NULL },
	{ "http://[fd77::1]:8080/", "HTTP/1.1 200 OK\r\n\r\nsix", NULL },
	{ "http://10.0.2.2:8080/x", "HTTP/1.1 200 OK\r\n\r\nelsewhere", NULL },
	{ "http://10.0.2.100:81/x", "HTTP/1.1 200 OK\r\n\r\nport 81", NULL },
	{ "http://10.0.2.100/see-other", "HTTP/1.1 303 See Other\r\nLocation: /echo\r\n\r\n", NULL },
	{ "http://10.0.2.100/found", "HTTP/1.1 302 Found\r\nLocation: /echo\r\n\r\n", NULL },
	{ "http://10.0.2.100/temporary", "HTTP/1.1 307 Temporary Redirect\r\nLocation: /echo\r\n\r\n", NULL },
};

static void copy_text(char *dst, size_t cap, const nc_ncs_str_t *s)
{
	size_t n = s->len_bytes < cap - 1 ? s->len_bytes : cap - 1;
	nc_mem_copy(dst, s->ptr, n);
	dst[n] = 0;
}

static nc_ncs_err_t fake_fetch(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n,
			       nc_ncs_reply_t *reply, const char **message)
{
	(void)ud;
	calls++;
	if (fx != NC_NCS_FX_NET_FETCH || n < 4 || n > 5) {
		*message = "wrong call";
		return NC_NCS_ERR_EFFECT;
	}
	copy_text(last_endpoint, sizeof last_endpoint, &args[0]);
	copy_text(last_url, sizeof last_url, &args[1]);
	if (!nc_str_compare(last_url, "http://10.0.2.100/echo")) { /* the request, as the body: METHOD|HEADERS|BODY */
		size_t len = nc_fmt_format(echo, sizeof echo, "HTTP/1.1 200 OK\r\n\r\n%.*s|%.*s|%.*s", (int)args[2].len_bytes,
					   args[2].ptr, (int)args[3].len_bytes, args[3].ptr, n == 5 ? (int)args[4].len_bytes : 6,
					   n == 5 ? args[4].ptr : "(none)");
		return nc_ncs_reply_text(reply, echo, len);
	}
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++)
		if (!nc_str_compare(routes[i].url, last_url)) {
			if (!routes[i].reply) {
				*message = routes[i].message;
				return NC_NCS_ERR_EFFECT;
			}
			return nc_ncs_reply_text(reply, routes[i].reply, nc_str_len(routes[i].reply));
		}
	*message = "CONN_REFUSED";
	return NC_NCS_ERR_EFFECT;
}

static nc_ncs_handler_t handlers[4];

static void grant(const char *scope)
{
	handlers[nt_cfg.n_handlers] = (nc_ncs_handler_t){ NC_NCS_FX_NET_FETCH, scope, fake_fetch, NULL };
	nt_cfg.handlers = handlers;
	nt_cfg.n_handlers++;
	calls = 0;
}

#define HDR "#![capabilities(net.connect(\"10.0.2.100:80\"))]\n"
#define FETCH(url) "fn main() { net::fetch(\"" url "\") }"

/* Run src, which must fail with err and a message containing text. */
static bool fails(const char *src, nc_ncs_err_t err, const char *text)
{
	nc_ncs_err_t got = nt_run(src);
	bool ok = got == err && nt_result.message && nt_contains(nt_result.message, text);
	if (!ok)
		nc_test_failf("%s: %s", nc_ncs_err_name(got), nt_result.message ? nt_result.message : "(no message)");
	return ok;
}

NC_TEST(ncs_fetch, answer_is_a_map)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK_EQ(nt_run(HDR "fn main() { let r = net::fetch(\"http://10.0.2.100/small\");\n"
			   "print(r[\"status\"]); print(r[\"headers\"][\"content-type\"]); print(r[\"headers\"][\"x-twice\"]);\n"
			   "print(r[\"url\"]); r[\"body\"] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.output, "200\ntext/plain\na, b\nhttp://10.0.2.100/small\n");
	NC_CHECK_STR(nt_result.value, "\"line 0\\nline 1\\n\"");
	NC_CHECK_EQ(calls, 1);
	NC_CHECK_STR(last_endpoint, "10.0.2.100:80");
	NC_CHECK_EQ(nt_run(HDR FETCH("http://10.0.2.100/nope")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "{\"status\": 404, \"headers\": {\"content-length\": \"0\"}, \"body\": \"\", "
				      "\"url\": \"http://10.0.2.100/nope\"}");
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fetch, denied_by_default)
{
	nt_reset();
	grant("*");
	NC_CHECK(fails(FETCH("http://10.0.2.100/small"), NC_NCS_ERR_CAP_DENIED,
		       "capability net.connect(\"10.0.2.100:80\") is not declared by the script"));
	/* net.send, net.recv or another endpoint declare nothing of it */
	NC_CHECK(fails("#![capabilities(net.send, net.recv, net.connect(\"10.0.2.100:8080\"))]\n"
		       FETCH("http://10.0.2.100/small"), NC_NCS_ERR_CAP_DENIED, "is not declared"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100:81/x"), NC_NCS_ERR_CAP_DENIED, "net.connect(\"10.0.2.100:81\")"));
	NC_CHECK_EQ(calls, 0);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fetch, host_grant_narrows)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK(fails("#![capabilities(net.connect)]\n" FETCH("http://10.0.2.2:8080/x"), NC_NCS_ERR_CAP_DENIED,
		       "the host does not grant net.connect(\"10.0.2.2:8080\")"));
	NC_CHECK_EQ(calls, 0);
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect)]\n" FETCH("http://10.0.2.100/small")), NC_NCS_OK);
	NC_CHECK_EQ(calls, 1);
	nt_release();
}

/* The scope sees the canonical endpoint, whatever the URL's spelling. */
NC_TEST(ncs_fetch, canonical_endpoints)
{
	nt_reset();
	grant("*");
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect(\"example.com:80\"))]\n"
			   "fn main() { net::fetch(\"HTTP://EXAMPLE.com.:/\")[\"body\"] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"example\"");
	NC_CHECK_STR(last_endpoint, "example.com:80");
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect(\"[fd77::1]:8080\"))]\n"
			   "fn main() { net::fetch(\"http://[FD77:0:0::1]:8080\")[\"body\"] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"six\"");
	NC_CHECK_STR(last_url, "http://[fd77::1]:8080/");
	NC_CHECK(fails("#![capabilities(net.connect(\"example.com:80\"))]\n" FETCH("http://www.example.com/"),
		       NC_NCS_ERR_CAP_DENIED, "www.example.com:80"));
	nt_release();
}

NC_TEST(ncs_fetch, redirects_within_scope)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK_EQ(nt_run(HDR "fn main() { let r = net::fetch(\"http://10.0.2.100/redirect\"); [r[\"status\"], "
			   "r[\"url\"]] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "[200, \"http://10.0.2.100/small\"]");
	NC_CHECK_EQ(calls, 2);
	/* a 3xx without Location is an answer like any other */
	NC_CHECK_EQ(nt_run(HDR "fn main() { net::fetch(\"http://10.0.2.100/bare3xx\")[\"status\"] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "302");
	nt_release();
}

/* A redirect to an endpoint outside the header or the grant is denied
 * before the handler is asked for it. */
NC_TEST(ncs_fetch, redirect_outside_scope_denied)
{
	nt_reset();
	grant("*");
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/out"), NC_NCS_ERR_CAP_DENIED,
		       "capability net.connect(\"10.0.2.2:8080\") is not declared by the script"));
	NC_CHECK_EQ(calls, 1);
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/port"), NC_NCS_ERR_CAP_DENIED, "net.connect(\"10.0.2.100:81\")"));
	NC_CHECK_EQ(calls, 2);
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK(fails("#![capabilities(net.connect)]\n" FETCH("http://10.0.2.100/out"), NC_NCS_ERR_CAP_DENIED,
		       "the host does not grant net.connect(\"10.0.2.2:8080\")"));
	NC_CHECK_EQ(calls, 1);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fetch, redirect_limits_and_schemes)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/loop"), NC_NCS_ERR_EFFECT, "net::fetch failed: more than 5 redirects"));
	NC_CHECK_EQ(calls, 6);
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/tls"), NC_NCS_ERR_EFFECT,
		       "net::fetch failed: a redirect's Location is not an http:// URL"));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fetch, failures_are_typed)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/big"), NC_NCS_ERR_EFFECT, "net::fetch failed: NC_HTTP_ERR_TOO_LARGE"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/missing"), NC_NCS_ERR_EFFECT, "net::fetch failed: CONN_REFUSED"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/binary"), NC_NCS_ERR_EFFECT, "invalid UTF-8"));
	/* replies that break the handler contract: no head, a bad status line, a bad field */
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/nohead"), NC_NCS_ERR_EFFECT, "NC_HTTP_ERR_HEAD"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/badstatus"), NC_NCS_ERR_EFFECT, "NC_HTTP_ERR_HEAD"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/badfield"), NC_NCS_ERR_EFFECT, "NC_HTTP_ERR_HEAD"));
	/* bad URLs never reach the gate */
	NC_CHECK(fails(HDR FETCH("https://10.0.2.100/"), NC_NCS_ERR_VALUE, "is not an http://HOST[:PORT][/PATH] URL"));
	NC_CHECK(fails(HDR FETCH("http://10.0.2.100/a b"), NC_NCS_ERR_VALUE, "not an http://"));
	NC_CHECK(fails(HDR "fn main() { net::fetch(80) }", NC_NCS_ERR_TYPE, "must be String, not Int"));
	NC_CHECK_EQ(calls, 3 + 3);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

#define ECHO(opts) HDR "fn main() { net::fetch(\"http://10.0.2.100/echo\", " opts ")[\"body\"] }"

NC_TEST(ncs_fetch, options_reach_the_handler)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK_EQ(nt_run(ECHO("map::from([(\"method\", \"PUT\"), (\"headers\", map::from([(\"Content-Type\", \"text/plain\"), "
				"(\"X-A\", \"b c\")])), (\"body\", \"näive\")])")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"PUT|Content-Type: text/plain\\r\\nX-A: b c|näive\"");
	/* a body alone makes a POST; no options, or none of these keys, a GET without a body */
	NC_CHECK_EQ(nt_run(ECHO("map::from([(\"body\", \"\")])")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"POST||\"");
	NC_CHECK_EQ(nt_run(ECHO("map::new()")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"GET||(none)\"");
	NC_CHECK_EQ(nt_run(HDR "fn main() { net::fetch(\"http://10.0.2.100/echo\")[\"body\"] }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "\"GET||(none)\"");
	NC_CHECK_EQ(calls, 4);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* Options that would split or reframe the request, or are not what the
 * options say, fail before the handler is asked. */
NC_TEST(ncs_fetch, bad_options_refused)
{
	nt_reset();
	grant("10.0.2.100:80");
	NC_CHECK(fails(ECHO("\"POST\""), NC_NCS_ERR_TYPE, "argument 2 must be Map, not String"));
	NC_CHECK(fails(ECHO("map::from([(\"methd\", \"GET\")])"), NC_NCS_ERR_VALUE, "the keys are"));
	NC_CHECK(fails(ECHO("map::from([(\"method\", 1)])"), NC_NCS_ERR_VALUE, "are Strings"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", \"X: y\")])"), NC_NCS_ERR_VALUE, "\"headers\" a Map"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", map::from([(\"X\", 1)]))])"), NC_NCS_ERR_VALUE, "header names and values are Strings"));
	NC_CHECK(fails(ECHO("map::from([(\"method\", \"GET /x HTTP/1.1\\r\\nX:\")])"), NC_NCS_ERR_VALUE, "not an HTTP token"));
	NC_CHECK(fails(ECHO("map::from([(\"method\", \"\")])"), NC_NCS_ERR_VALUE, "not an HTTP token"));
	NC_CHECK(fails(ECHO("map::from([(\"method\", \"A-METHOD-OF-17-BY\")])"), NC_NCS_ERR_VALUE, "not an HTTP token"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", map::from([(\"X\", \"a\\r\\nHost: evil\")]))])"), NC_NCS_ERR_VALUE, "malformed"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", map::from([(\"Content-Length\", \"1\")]))])"), NC_NCS_ERR_VALUE, "Content-Length"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", map::from([(\"Bad Name\", \"1\")]))])"), NC_NCS_ERR_VALUE, "malformed"));
	NC_CHECK(fails(ECHO("map::from([(\"headers\", map::from([(\"X\", \"x\".repeat(5000))]))])"), NC_NCS_ERR_VALUE, "longer than 4096 bytes"));
	NC_CHECK_EQ(calls, 0);
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* 303 asks for a GET; 302 turns a POST into one; 307 repeats the request. */
NC_TEST(ncs_fetch, redirects_and_methods)
{
	nt_reset();
	grant("10.0.2.100:80");
	static const struct {
		const char *src, *want;
	} cases[] = {
		{ "see-other\", map::from([(\"method\", \"PUT\"), (\"body\", \"b\")]))", "\"GET||(none)\"" },
		{ "see-other\", map::from([(\"method\", \"HEAD\")]))", "\"HEAD||(none)\"" },
		{ "found\", map::from([(\"body\", \"b\"), (\"headers\", map::from([(\"X\", \"y\")]))]))", "\"GET|X: y|(none)\"" },
		{ "found\", map::from([(\"method\", \"PUT\"), (\"body\", \"b\")]))", "\"PUT||b\"" },
		{ "temporary\", map::from([(\"body\", \"b\")]))", "\"POST||b\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char src[512];
		nc_fmt_format(src, sizeof src, "%sfn main() { net::fetch(\"http://10.0.2.100/%s[\"body\"] }", HDR, cases[i].src);
		if (nt_run(src) != NC_NCS_OK || nc_str_compare(nt_result.value, cases[i].want))
			NC_FAIL("case %zu: %s", i, nt_result.value ? nt_result.value : nt_result.message);
	}
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

NC_TEST(ncs_fetch, inert_without_handler)
{
	nt_reset();
	NC_CHECK_EQ(nt_run(HDR FETCH("http://10.0.2.100/small")), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "<effect net.connect(\"http://10.0.2.100/small\")>");
	nt_release();
}

/* A pure module cannot fetch, even for a main script that may. */
NC_TEST(ncs_fetch, module_headers_apply)
{
	static const nt_module_t mods[] = {
		{ "pure", "pub fn get() { net::fetch(\"http://10.0.2.100/small\") }\n" },
		{ "narrow", "#![capabilities(net.connect(\"10.0.2.100:80\"))]\n"
			    "pub fn get(u) { net::fetch(u)[\"status\"] }\n" },
		{ NULL, NULL },
	};
	nt_reset();
	nt_cfg.load = nt_load_module;
	nt_cfg.load_ud = (void *)mods;
	grant("*");
	NC_CHECK(fails("#![capabilities(net.connect)]\nuse pure::get;\nfn main() { get() }", NC_NCS_ERR_CAP_DENIED,
		       "is not declared by module `pure`"));
	NC_CHECK_EQ(nt_run("#![capabilities(net.connect)]\nuse narrow::get;\n"
			   "fn main() { get(\"http://10.0.2.100/redirect\") }"), NC_NCS_OK);
	NC_CHECK_STR(nt_result.value, "200");
	NC_CHECK(fails("#![capabilities(net.connect)]\nuse narrow::get;\nfn main() { get(\"http://10.0.2.100/out\") }",
		       NC_NCS_ERR_CAP_DENIED, "not declared by module `narrow`"));
	nt_release();
	NC_CHECK_EQ(nt_live_bytes(), 0);
}

/* Every allocation of a fetch failing in turn: a typed error, nothing leaked. */
NC_TEST(ncs_fetch, allocation_failures)
{
	static const char src[] = HDR "fn main() { net::fetch(\"http://10.0.2.100/redirect\")[\"headers\"] }";
	int failed = 0;
	for (uint64_t n = 1; n < 400; n++) {
		nt_reset();
		grant("10.0.2.100:80");
		nt_fail_alloc_at(n);
		nc_ncs_err_t err = nt_run(src);
		nt_release();
		nt_fail_alloc_at(0);
		if (err == NC_NCS_OK)
			break;
		failed++;
		if (err != NC_NCS_ERR_NOMEM || nt_live_bytes() != 0)
			NC_FAIL("allocation %llu: %s, %llu bytes live", (unsigned long long)n, nc_ncs_err_name(err),
				(unsigned long long)nt_live_bytes());
	}
	NC_CHECK(failed > 5);
}
