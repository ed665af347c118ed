/* fetch [--hash] URL [FILE]: HTTP/1.1 GET of URL ("http://HOST[:PORT][/PATH]",
 * HOST an IPv4 address, an IPv6 address in brackets or a name) to FILE, or
 * to standard output. The body may
 * come with a Content-Length, chunked (RFC 9112 7.1) or until the server
 * closes; redirects (301, 302, 303, 307, 308) are followed, at most 5. With
 * FILE or --hash, a download of more than 1 MiB shows its progress;
 * --hash writes the body nowhere and prints its size and BLAKE3 instead.
 * Needs net.socket, net.send, net.recv and net.connect on HOST:PORT (and
 * fs.write on FILE): `run --grant net=* fetch http://10.0.2.2:8000/`.
 * Exit status 0 for a 2xx answer, 1 for another status, 2 for a usage,
 * network or protocol error. */
#include "http.h"
#include <nc/args.h>
#include <nc/crypto.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum { REDIRECTS_MAX = 5, URL_MAX = 1024, ARGS_MAX = 4 };
#define WAIT_NS 30000000000ull

typedef struct {
	char host[NC_SYS_NET_ADDR_MAX];  /* "HOST:PORT" */
	char name[NC_SYS_NET_ADDR_MAX];  /* HOST, for the Host header */
	char path[URL_MAX];
} url_t;

typedef struct {
	uint64_t s;                      /* the socket */
	uint8_t buf[NC_SYS_NET_IO_MAX_BYTES];
	size_t pos, len;
	bool eof;
} reader_t;

typedef struct {
	uint64_t file;                   /* 0: the console (unless hash_only) */
	bool hash_only, progress;
	uint64_t total, expected;        /* bytes so far; Content-Length or 0 */
	nc_crypto_blake3_t hash;
} sink_t;

static int fail(const char *what, nc_sys_err_t err)
{
	nc_print("fetch: %s: %s\n", what, nc_sys_err_name(err));
	return 2;
}

/* Parse "http://HOST[:PORT][/PATH]" (HOST may be "[IPV6]"). */
static bool parse_url(const char *text, url_t *u)
{
	static const char scheme[] = "http://";
	if (!nc_str_starts_with(text, scheme))
		return false;
	const char *h = text + sizeof scheme - 1, *e = h;
	while (*e && *e != '/')
		e++;
	size_t n = (size_t)(e - h), colon = n, start = 0;
	while (h[0] == '[' && start < n && h[start] != ']')
		start++; /* an IPv6 address's colons are not the port's */
	for (size_t i = start; i < n; i++)
		if (h[i] == ':')
			colon = i;
	if (n == 0 || colon == 0 || n + 4 > sizeof u->host || nc_str_len(e) + 2 > sizeof u->path)
		return false;
	nc_fmt_format(u->name, sizeof u->name, "%.*s", (int)colon, h);
	nc_fmt_format(u->host, sizeof u->host, colon < n ? "%.*s" : "%.*s:80", (int)n, h);
	nc_fmt_format(u->path, sizeof u->path, "%s", *e ? e : "/");
	return true;
}

static nc_sys_err_t fill(reader_t *r)
{
	uint64_t n;
	nc_sys_err_t err = nc_sys_net_recv(r->s, r->buf, sizeof r->buf, WAIT_NS, &n);
	r->pos = 0;
	r->len = err ? 0 : n;
	r->eof = !err && n == 0;
	return err;
}

static nc_sys_err_t put(sink_t *k, const uint8_t *p, size_t n)
{
	if (!n)
		return NC_SYS_OK;
	nc_crypto_blake3_update(&k->hash, p, n);
	uint64_t before = k->total, done;
	k->total += n;
	if (k->progress && before >> 20 != k->total >> 20)
		nc_print("\rfetch: %llu of %llu KiB", (unsigned long long)(k->total >> 10),
			 (unsigned long long)(k->expected >> 10));
	if (k->hash_only)
		return NC_SYS_OK;
	if (!k->file)
		return nc_stdout_write(p, n);
	nc_sys_err_t err = nc_sys_fd_write(k->file, p, n, &done);
	return err ? err : done == n ? NC_SYS_OK : NC_SYS_ERR_IO_ERROR;
}

/* Move n bytes (UINT64_MAX: until the end of the stream) to the sink. */
static nc_sys_err_t copy(reader_t *r, sink_t *k, uint64_t n)
{
	while (n) {
		if (r->pos == r->len) {
			nc_sys_err_t err = fill(r);
			if (err)
				return err;
			if (r->eof)
				return n == UINT64_MAX ? NC_SYS_OK : NC_SYS_ERR_INVALID;
		}
		size_t take = r->len - r->pos < n ? r->len - r->pos : (size_t)n;
		nc_sys_err_t err = put(k, r->buf + r->pos, take);
		if (err)
			return err;
		r->pos += take;
		if (n != UINT64_MAX)
			n -= take;
	}
	return NC_SYS_OK;
}

/* One line (up to CRLF, cut) into out[0..cap). */
static nc_sys_err_t line(reader_t *r, char *out, size_t cap)
{
	size_t n = 0;
	for (;;) {
		if (r->pos == r->len) {
			nc_sys_err_t err = fill(r);
			if (err)
				return err;
			if (r->eof)
				return NC_SYS_ERR_INVALID;
		}
		char c = (char)r->buf[r->pos++];
		if (c == '\n')
			break;
		if (n + 1 >= cap)
			return NC_SYS_ERR_INVALID;
		out[n++] = c;
	}
	if (n && out[n - 1] == '\r')
		n--;
	out[n] = 0;
	return NC_SYS_OK;
}

static nc_sys_err_t chunked(reader_t *r, sink_t *k)
{
	char text[64];
	for (;;) {
		nc_sys_err_t err = line(r, text, sizeof text);
		if (err)
			return err;
		uint64_t size = 0;
		size_t i = 0;
		for (; text[i] && text[i] != ';'; i++) {
			char c = text[i];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
				: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0 || size >> 60)
				return NC_SYS_ERR_INVALID;
			size = size << 4 | (uint64_t)d;
		}
		if (i == 0)
			return NC_SYS_ERR_INVALID;
		if (size == 0) { /* trailers, then the empty line */
			do {
				if ((err = line(r, text, sizeof text)))
					return err;
			} while (text[0]);
			return NC_SYS_OK;
		}
		if ((err = copy(r, k, size)) || (err = line(r, text, sizeof text)))
			return err;
		if (text[0])
			return NC_SYS_ERR_INVALID;
	}
}

/* GET u; *status gets the answer's status, location a redirect's target. */
static nc_sys_err_t get(const url_t *u, sink_t *k, int *status, char *location, size_t loc_cap)
{
	static http_head_t h;
	static reader_t r;
	char req[URL_MAX + 2 * NC_SYS_NET_ADDR_MAX + 96], value[64];
	uint64_t s;
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_TCP, &s);
	if (err)
		return err;
	size_t n = nc_fmt_format(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: nexacore-fetch\r\n"
				 "Connection: close\r\n\r\n", u->path, u->name);
	if (!(err = nc_sys_net_connect(s, u->host, nc_str_len(u->host))) && !(err = http_send_all(s, req, n)))
		err = http_recv_head(s, &h, WAIT_NS);
	int code = 0;
	if (!err && (!nc_str_starts_with(h.head, "HTTP/1.") || h.head_len < 12))
		err = NC_SYS_ERR_INVALID;
	for (int i = 9; !err && i < 12; i++)
		code = code * 10 + (h.head[i] - '0');
	*status = code;
	location[0] = 0;
	if (!err && code >= 300 && code < 400 && code != 304) {
		if (!http_header(h.head, "Location", location, loc_cap))
			err = NC_SYS_ERR_INVALID;
	} else if (!err) {
		r = (reader_t){ .s = s };
		nc_mem_copy(r.buf, h.extra, h.extra_len);
		r.len = h.extra_len;
		uint64_t length = 0;
		bool has_length = http_header(h.head, "Content-Length", value, sizeof value);
		if (has_length && !http_number(value, &length))
			err = NC_SYS_ERR_INVALID;
		k->expected = length;
		k->progress = (k->file || k->hash_only) && length > (1u << 20);
		if (!err && http_header(h.head, "Transfer-Encoding", value, sizeof value) &&
		    nc_str_compare(value, "chunked") == 0)
			err = chunked(&r, k);
		else if (!err)
			err = copy(&r, k, has_length ? length : UINT64_MAX);
		if (k->progress)
			nc_print("\n");
	}
	nc_sys_handle_close(s);
	return err;
}

/* The next URL after a redirect to location (absolute, or a path on the same host). */
static bool follow(url_t *u, const char *location)
{
	if (location[0] == '/') {
		if (nc_str_len(location) >= sizeof u->path)
			return false;
		nc_fmt_format(u->path, sizeof u->path, "%s", location);
		return true;
	}
	return parse_url(location, u);
}

int main(const char *arg, size_t arg_len)
{
	static char words[URL_MAX + 512], location[URL_MAX];
	char *argv[ARGS_MAX + 1];
	int argc = 0, a = 0;
	if (nc_args_split(arg, arg_len, words, sizeof words, argv, ARGS_MAX, &argc))
		argc = 0;
	static sink_t k;
	if (argc > 0 && nc_str_compare(argv[0], "--hash") == 0)
		k.hash_only = true, a++;
	url_t u;
	if (argc - a < 1 || argc - a > 2 || (k.hash_only && argc - a != 1) || !parse_url(argv[a], &u)) {
		nc_print("usage: fetch [--hash] http://HOST[:PORT][/PATH] [FILE]\n");
		return 2;
	}
	if (argc - a == 2) {
		const char *path = argv[a + 1];
		nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path),
						  NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &k.file);
		if (err)
			return fail(path, err);
	}
	nc_crypto_blake3_init(&k.hash);
	int status = 0;
	for (int hop = 0;; hop++) {
		nc_sys_err_t err = get(&u, &k, &status, location, sizeof location);
		if (err)
			return fail(u.host, err);
		if (!location[0])
			break;
		if (hop == REDIRECTS_MAX || !follow(&u, location)) {
			nc_print("fetch: %s: too many redirects, or a bad Location\n", u.host);
			return 2;
		}
	}
	if (k.file)
		nc_sys_handle_close(k.file);
	if (k.hash_only) {
		uint8_t h[32];
		nc_crypto_blake3_finalize(&k.hash, 0, h, sizeof h);
		char hex[65];
		for (int i = 0; i < 32; i++)
			nc_fmt_format(hex + 2 * i, 3, "%02x", h[i]);
		nc_print("%llu bytes, blake3 %s\n", (unsigned long long)k.total, hex);
	}
	if (status < 200 || status > 299) {
		nc_print("fetch: %s: HTTP status %d\n", u.host, status);
		return 1;
	}
	return 0;
}
