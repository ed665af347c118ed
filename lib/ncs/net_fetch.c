/* net::fetch(url): an HTTP GET behind net.connect (docs/ncscript.md).
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

NCS_BUILTIN(ncs_b_net_fetch)
{
	ncs_state_t *st = ncs_vm_state(vm);
	(void)n;
	if (args[0].tag != V_STR)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "net.connect: argument 1 must be String, not %s",
				   ncs_type_name(args[0]));
	const ncs_str_t *text = (const ncs_str_t *)args[0].u.o;
	nc_http_url_t u;
	if (nc_http_url_parse(text->bytes, text->len_bytes, &u))
		return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "net::fetch: `%.*s` is not an http://HOST[:PORT][/PATH] URL",
				   (int)(text->len_bytes > 80 ? 80 : text->len_bytes), text->bytes);
	for (int hop = 0;; hop++) {
		const nc_ncs_handler_t *h;
		if (!ncs_effect_permit(vm, NC_NCS_FX_NET_FETCH, u.endpoint, nc_str_len(u.endpoint), &h))
			return false;
		if (!h) /* no handler: inert (handlers do not change between hops, so only the first) */
			return ncs_effect_inert(vm, NC_NCS_FX_NET_FETCH, args, 1, out);
		char url[NC_INET_ENDPOINT_MAX + NC_HTTP_PATH_MAX + 16];
		size_t url_len = nc_fmt_format(url, sizeof url, "http://%s%s", u.host, u.target);
		nc_ncs_str_t sargs[2] = { { u.endpoint, nc_str_len(u.endpoint) }, { url, url_len } };
		ncs_value_t reply;
		if (!ncs_effect_invoke(vm, h, NC_NCS_FX_NET_FETCH, sargs, 2, &reply))
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
		nc_http_err_t err = hop == FETCH_REDIRECTS_MAX ? NC_HTTP_ERR_URL : nc_http_url_follow(&u, loc, loc_len);
		ncs_unref(st, reply);
		if (err)
			return fetch_fail(vm, NC_NCS_ERR_EFFECT,
					  hop == FETCH_REDIRECTS_MAX ? "more than 5 redirects" : "a redirect's Location",
					  hop == FETCH_REDIRECTS_MAX ? "" : " is not an http:// URL");
	}
}
