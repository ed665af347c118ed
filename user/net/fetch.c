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
 * network or protocol error. The HTTP client is lib/http's (nc/http.h). */
#include <nc/args.h>
#include <nc/crypto.h>
#include <nc/fmt.h>
#include <nc/http_net.h>
#include <nc/mem.h>

enum { REDIRECTS_MAX = 5, URL_MAX = 1024, ARGS_MAX = 4 };
#define WAIT_NS 30000000000ull

typedef struct {
	uint64_t file;                   /* 0: the console (unless hash_only) */
	bool hash_only, progress;
	uint64_t total, expected;        /* bytes so far; Content-Length or 0 */
	nc_crypto_blake3_t hash;
} sink_t;

/* The text of an exchange's failure: the system error for a transport one. */
static const char *err_text(nc_http_err_t err, const nc_http_client_t *c)
{
	return err == NC_HTTP_ERR_IO ? nc_sys_err_name(nc_http_net_err(c)) : nc_http_err_name(err);
}

static int put(void *ud, const uint8_t *p, size_t n)
{
	sink_t *k = ud;
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

/* GET u, following redirects; *status gets the final answer's status.
 * Returns the text of a failure, or NULL. */
static const char *get(nc_http_url_t *u, sink_t *k, int *status)
{
	static nc_http_client_t c;
	for (int hop = 0;; hop++) {
		nc_http_net_t t;
		nc_sys_err_t serr = nc_http_net_open(&t, u->endpoint, WAIT_NS);
		if (serr)
			return nc_sys_err_name(serr);
		nc_http_client_init(&c, &t.io);
		nc_http_err_t err = nc_http_client_send(&c, u, &nc_http_get, "nexacore-fetch");
		if (!err)
			err = nc_http_client_head(&c);
		const char *loc;
		size_t loc_len;
		bool redirect = !err && nc_http_is_redirect(c.status);
		if (redirect && (hop == REDIRECTS_MAX || !nc_http_head_find(c.head, c.head_len, "Location", &loc, &loc_len) ||
				 nc_http_url_follow(u, loc, loc_len))) {
			nc_http_net_close(&t);
			return "too many redirects, or a bad Location";
		}
		if (!err && !redirect) {
			k->expected = c.has_length ? c.length : 0;
			k->progress = (k->file || k->hash_only) && k->expected > (1u << 20);
			err = nc_http_client_body(&c, UINT64_MAX, put, k);
			if (k->progress)
				nc_print("\n");
		}
		nc_http_net_close(&t);
		if (err)
			return err_text(err, &c);
		*status = c.status;
		if (!redirect)
			return NULL;
	}
}

int main(const char *arg, size_t arg_len)
{
	static char words[URL_MAX + 512];
	char *argv[ARGS_MAX + 1];
	int argc = 0, a = 0;
	if (nc_args_split(arg, arg_len, words, sizeof words, argv, ARGS_MAX, &argc))
		argc = 0;
	static sink_t k;
	if (argc > 0 && nc_str_compare(argv[0], "--hash") == 0)
		k.hash_only = true, a++;
	static nc_http_url_t u;
	if (argc - a < 1 || argc - a > 2 || (k.hash_only && argc - a != 1) ||
	    nc_http_url_parse(argv[a], nc_str_len(argv[a]), &u)) {
		nc_print("usage: fetch [--hash] http://HOST[:PORT][/PATH] [FILE]\n");
		return 2;
	}
	if (argc - a == 2) {
		const char *path = argv[a + 1];
		nc_sys_err_t err = nc_sys_fs_open(path, nc_str_len(path),
						  NC_SYS_OPEN_WRITE | NC_SYS_OPEN_CREATE | NC_SYS_OPEN_TRUNCATE, &k.file);
		if (err) {
			nc_print("fetch: %s: %s\n", path, nc_sys_err_name(err));
			return 2;
		}
	}
	nc_crypto_blake3_init(&k.hash);
	int status = 0;
	const char *failure = get(&u, &k, &status);
	if (k.file)
		nc_sys_handle_close(k.file);
	if (failure) {
		nc_print("fetch: %s: %s\n", u.endpoint, failure);
		return 2;
	}
	if (k.hash_only) {
		uint8_t h[32];
		nc_crypto_blake3_finalize(&k.hash, 0, h, sizeof h);
		char hex[65];
		for (int i = 0; i < 32; i++)
			nc_fmt_format(hex + 2 * i, 3, "%02x", h[i]);
		nc_print("%llu bytes, blake3 %s\n", (unsigned long long)k.total, hex);
	}
	if (status < 200 || status > 299) {
		nc_print("fetch: %s: HTTP status %d\n", u.endpoint, status);
		return 1;
	}
	return 0;
}
