/* net::fetch(url [, options]): an HTTP request behind net.connect
 * (docs/ncscript.md). options is a map with any of "method" (a String;
 * "GET", or "POST" when there is a body), "headers" (a map String -> String)
 * and "body" (a String), checked here with lib/http's rules before anything
 * is asked of the host.
 * The URL is parsed here (lib/http), and each hop's canonical "HOST:PORT" goes
 * through the same gate as net::connect before the host's handler performs
 * the exchange, so a redirect to an endpoint outside the calling module's
 * header or the host's grant is denied before anything connects to it. The
 * handler's reply (head, empty line, body: nc/ncs.h) is checked here too: a
 * host's answer is not trusted any more than the server's. The value is a
 * map {"status": Int, "headers": {lower-case name: value}, "body": String,
 * "url": the final URL}. */
#include "builtins.h"
#include <nc/fmt.h>
#include <nc/http.h>
#include <nc/mem.h>

enum { FETCH_REDIRECTS_MAX = 5 };

/* The request a script asked for: method, header lines, body. */
typedef struct {
	char method[NC_HTTP_METHOD_MAX + 1];
	char headers[NC_HTTP_HEADERS_MAX];
	size_t headers_len;
	const ncs_str_t *body; /* NULL: none */
} fetch_req_t;

static bool fetch_fail(ncs_vm_t *vm, nc_ncs_err_t err, const char *what, const char *detail)
{
	return ncs_vm_fail(vm, err, "net::fetch failed: %s%s", what, detail);
}

/* m[key] = text (a text already there gets ", text" added: RFC 9110 5.3). */
static bool put_text(ncs_vm_t *vm, ncs_map_t *m, const char *key, size_t klen, const char *text, size_t tlen,
		     bool fold_key)
{
	ncs_state_t *st = ncs_vm_state(vm);
	ncs_value_t k, v, old;
	bool had;
	uint64_t work = 0;
	if (!ncs_str_new(st, key, klen, &k))
		return false;
	if (fold_key)
		for (char *c = ((ncs_str_t *)k.u.o)->bytes; *c; c++)
			*c = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : *c;
	if (!ncs_str_new(st, text, tlen, &v)) {
		ncs_unref(st, k);
		return false;
	}
	uint32_t at = ncs_map_find(m, k, &work);
	if (at != UINT32_MAX) {
		ncs_value_t sep = ncs_unit(), joined = ncs_unit(), both = ncs_unit();
		bool ok = ncs_str_new(st, ", ", 2, &sep) &&
			  ncs_str_concat(st, (ncs_str_t *)m->ent[2 * at + 1].u.o, (ncs_str_t *)sep.u.o, &joined) &&
			  ncs_str_concat(st, (ncs_str_t *)joined.u.o, (ncs_str_t *)v.u.o, &both);
		ncs_unref(st, sep);
		ncs_unref(st, joined);
		ncs_unref(st, v);
		if (!ok) {
			ncs_unref(st, k);
			return false;
		}
		v = both;
	}
	if (!ncs_map_set(st, m, k, v, &old, &had, &work))
		return false;
	if (had)
		ncs_unref(st, old);
	return ncs_vm_charge(vm, work);
}

/* The script's value for a final answer. */
static bool answer(ncs_vm_t *vm, int status, const char *head, size_t head_len, const char *body, size_t body_len,
		   const char *url, size_t url_len, ncs_value_t *out)
{
	ncs_state_t *st = ncs_vm_state(vm);
	ncs_value_t m, h, old;
	bool had;
	uint64_t work = 0;
	size_t pos = 0, nl, vl;
	const char *name, *value;
	if (!ncs_map_new(st, &m))
		return false;
	if (!ncs_map_new(st, &h)) {
		ncs_unref(st, m);
		return false;
	}
	bool ok = true;
	while (ok && nc_http_head_next(head, head_len, &pos, &name, &nl, &value, &vl))
		ok = put_text(vm, (ncs_map_t *)h.u.o, name, nl, value, vl, true);
	ncs_value_t k;
	ok = ok && ncs_str_new(st, "status", 6, &k) && ncs_map_set(st, (ncs_map_t *)m.u.o, k, ncs_int(status), &old, &had, &work);
	if (ok && ncs_str_new(st, "headers", 7, &k)) {
		ok = ncs_map_set(st, (ncs_map_t *)m.u.o, k, h, &old, &had, &work);
		h = ncs_unit();
	} else {
		ok = false;
	}
	ok = ok && put_text(vm, (ncs_map_t *)m.u.o, "body", 4, body, body_len, false) &&
	     put_text(vm, (ncs_map_t *)m.u.o, "url", 3, url, url_len, false);
	ncs_unref(st, h);
	if (!ok) {
		ncs_unref(st, m);
		return false;
	}
	*out = m;
	return ncs_vm_charge(vm, work);
}

/* Where head and body meet in a handler's reply: the first CRLF CRLF. */
static bool split_reply(const char *r, size_t len, size_t *head_len)
{
	for (size_t i = 0; i + 4 <= len; i++)
		if (r[i] == '\r' && r[i + 1] == '\n' && r[i + 2] == '\r' && r[i + 3] == '\n') {
			*head_len = i;
			return true;
		}
	return false;
}

static bool is_key(ncs_value_t k, const char *name)
{
	return k.tag == V_STR && !nc_str_compare(((const ncs_str_t *)k.u.o)->bytes, name);
}

/* Append "name: value" (CRLF before all but the first) to r->headers. */
static bool add_header(fetch_req_t *r, const ncs_str_t *name, const ncs_str_t *value)
{
	size_t sep = r->headers_len ? 2 : 0, need = sep + name->len_bytes + 2 + value->len_bytes;
	if (need > sizeof r->headers - r->headers_len)
		return false;
	char *p = r->headers + r->headers_len;
	nc_mem_copy(p, "\r\n", sep);
	nc_mem_copy(p + sep, name->bytes, name->len_bytes);
	nc_mem_copy(p + sep + name->len_bytes, ": ", 2);
	nc_mem_copy(p + sep + name->len_bytes + 2, value->bytes, value->len_bytes);
	r->headers_len += need;
	return true;
}

static bool options_fail(ncs_vm_t *vm, const char *what)
{
	return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "net::fetch: options: %s", what);
}

/* The request of options (a Map, or absent: a GET). */
static bool read_options(ncs_vm_t *vm, const ncs_value_t *opts, fetch_req_t *r)
{
	const ncs_str_t *method = NULL;
	*r = (fetch_req_t){ .headers_len = 0 };
	uint32_t pos = 0, hpos = 0;
	ncs_value_t k, v, hk, hv;
	if (opts && opts->tag != V_MAP)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "net::fetch: argument 2 must be Map, not %s", ncs_type_name(*opts));
	while (opts && ncs_map_next((const ncs_map_t *)opts->u.o, &pos, &k, &v)) {
		if (!is_key(k, "method") && !is_key(k, "headers") && !is_key(k, "body"))
			return options_fail(vm, "the keys are \"method\", \"headers\" and \"body\"");
		if (is_key(k, "headers") ? v.tag != V_MAP : v.tag != V_STR)
			return options_fail(vm, "\"method\" and \"body\" are Strings, \"headers\" a Map");
		if (is_key(k, "method"))
			method = (const ncs_str_t *)v.u.o;
		else if (is_key(k, "body"))
			r->body = (const ncs_str_t *)v.u.o;
		else
			while (ncs_map_next((const ncs_map_t *)v.u.o, &hpos, &hk, &hv))
				if (hk.tag != V_STR || hv.tag != V_STR)
					return options_fail(vm, "header names and values are Strings");
				else if (!add_header(r, (const ncs_str_t *)hk.u.o, (const ncs_str_t *)hv.u.o))
					return options_fail(vm, "the header lines are longer than 4096 bytes");
	}
	const char *m = method ? method->bytes : r->body ? "POST" : "GET";
	size_t mlen = method ? method->len_bytes : nc_str_len(m);
	static const char bad_method[] = "the method is not an HTTP token of 1..16 bytes";
	if (mlen > NC_HTTP_METHOD_MAX || nc_str_len(m) != mlen)
		return options_fail(vm, bad_method);
	nc_mem_copy(r->method, m, mlen + 1);
	nc_http_request_t check = { r->method, NULL, 0, NULL, 0 };
	if (nc_http_request_check(&check))
		return options_fail(vm, bad_method);
	check.headers = r->headers;
	check.headers_len = r->headers_len;
	if (nc_http_request_check(&check))
		return options_fail(vm, "a header line is malformed or one the client writes (Host, "
					"Content-Length, Transfer-Encoding, Connection)");
	return true;
}

/* After a redirect with status: 303 asks for a GET (a HEAD stays one), and
 * 301 and 302 turn a POST into a GET, as user agents do (RFC 9110 15.4);
 * a GET has no body. 307 and 308 repeat the request as it was. */
static void redirect_request(fetch_req_t *r, int status)
{
	bool to_get = (status == 303 && nc_str_compare(r->method, "HEAD")) ||
		      ((status == 301 || status == 302) && !nc_str_compare(r->method, "POST"));
	if (to_get) {
		nc_mem_copy(r->method, "GET", 4);
		r->body = NULL;
	}
}

/* Follow u's hops with req (each checked by the gate): the final answer's
 * value in *out. */
static bool fetch_hops(ncs_vm_t *vm, nc_http_url_t *u, fetch_req_t *req, ncs_value_t *args, ncs_value_t *out)
{
	ncs_state_t *st = ncs_vm_state(vm);
	for (int hop = 0;; hop++) {
		const nc_ncs_handler_t *h;
		if (!ncs_effect_permit(vm, NC_NCS_FX_NET_FETCH, u->endpoint, nc_str_len(u->endpoint), &h))
			return false;
		if (!h) /* no handler: inert (handlers do not change between hops, so only the first) */
			return ncs_effect_inert(vm, NC_NCS_FX_NET_FETCH, args, 1, out);
		char url[NC_INET_ENDPOINT_MAX + NC_HTTP_PATH_MAX + 16];
		size_t url_len = nc_fmt_format(url, sizeof url, "http://%s%s", u->host, u->target);
		nc_ncs_str_t sargs[5] = { { u->endpoint, nc_str_len(u->endpoint) }, { url, url_len },
					  { req->method, nc_str_len(req->method) }, { req->headers, req->headers_len },
					  { req->body ? req->body->bytes : "", req->body ? req->body->len_bytes : 0 } };
		ncs_value_t reply;
		if (!ncs_effect_invoke(vm, h, NC_NCS_FX_NET_FETCH, sargs, req->body ? 5 : 4, &reply))
			return false;
		const ncs_str_t *r = reply.tag == V_STR ? (const ncs_str_t *)reply.u.o : NULL;
		size_t head_len;
		int status;
		const char *loc;
		size_t loc_len;
		bool ok = r && split_reply(r->bytes, r->len_bytes, &head_len) &&
			  nc_http_head_check(r->bytes, head_len, &status) == NC_HTTP_OK;
		if (!ok) {
			ncs_unref(st, reply);
			return fetch_fail(vm, NC_NCS_ERR_EFFECT, nc_http_err_name(NC_HTTP_ERR_HEAD), " (the host's answer)");
		}
		if (!nc_http_is_redirect(status) || !nc_http_head_find(r->bytes, head_len, "location", &loc, &loc_len)) {
			ok = answer(vm, status, r->bytes, head_len, r->bytes + head_len + 4, r->len_bytes - head_len - 4, url,
				    url_len, out);
			ncs_unref(st, reply);
			return ok;
		}
		nc_http_err_t err = hop == FETCH_REDIRECTS_MAX ? NC_HTTP_ERR_URL : nc_http_url_follow(u, loc, loc_len);
		ncs_unref(st, reply);
		redirect_request(req, status);
		if (err)
			return fetch_fail(vm, NC_NCS_ERR_EFFECT,
					  hop == FETCH_REDIRECTS_MAX ? "more than 5 redirects" : "a redirect's Location",
					  hop == FETCH_REDIRECTS_MAX ? "" : " is not an http:// URL");
	}
}

NCS_BUILTIN(ncs_b_net_fetch)
{
	ncs_state_t *st = ncs_vm_state(vm);
	if (args[0].tag != V_STR)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "net.connect: argument 1 must be String, not %s",
				   ncs_type_name(args[0]));
	const ncs_str_t *text = (const ncs_str_t *)args[0].u.o;
	nc_http_url_t u;
	if (nc_http_url_parse(text->bytes, text->len_bytes, &u))
		return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "net::fetch: `%.*s` is not an http://HOST[:PORT][/PATH] URL",
				   (int)(text->len_bytes > 80 ? 80 : text->len_bytes), text->bytes);
	fetch_req_t *req = ncs_mem_alloc_tracked(st, sizeof *req); /* 4 KiB of header lines: off the stack */
	if (!req)
		return false;
	bool ok = read_options(vm, n == 2 ? &args[1] : NULL, req) && fetch_hops(vm, &u, req, args, out);
	ncs_mem_free_tracked(st, req, sizeof *req);
	return ok;
}
