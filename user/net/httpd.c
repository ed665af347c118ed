/* httpd [-v] DIR [PORT]: serve the files under DIR over HTTP/1.1 on PORT (default
 * 80) of every IPv4 and IPv6 address ("[::]:PORT"). WORKERS threads, started
 * once, each take the listener's next connection (NetAccept) and serve it, so
 * up to WORKERS connections are served at once and more wait in the listen
 * queue; no thread is started per connection. GET and HEAD of a file answer
 * 200 with its Content-Length and a Content-Type from its extension; a path
 * ending in '/' means its index.html; a directory, a missing file or a path
 * leaving DIR (or with '%', '?' or '#': no escapes are decoded) answers 404,
 * another method 405, a bad request 400. One request per connection
 * (Connection: close); the head and the file's first bytes go in one NetSend.
 * With -v, logs one line per request ("httpd: GET /a.txt 200"; a console
 * line costs more than serving a small file: docs/network.md). Needs
 * fs.read on DIR, net.socket, net.send, net.recv and net.listen on PORT:
 * `run --grant fs.read=/ --grant net=* httpd / 8080 &`. */
#include "http.h"
#include <nc/http_net.h>
#include <nc/args.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum { WORKERS = 16, ARGS_MAX = 3, PATH_MAX_BYTES = 512, CHUNK = NC_SYS_NET_IO_MAX_BYTES };
#define WAIT_NS 30000000000ull

static char root[PATH_MAX_BYTES];
static uint64_t listener;
static bool verbose;                 /* -v: a line per request */

/* One worker's buffers (off the thread's stack: the request head is 16 KiB). */
typedef struct {
	http_head_t head;
	uint8_t out[CHUNK];
} worker_t;

static worker_t workers[WORKERS];

static const char *mime_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".htm", "text/html; charset=utf-8" },
		{ ".txt", "text/plain; charset=utf-8" }, { ".md", "text/markdown; charset=utf-8" },
		{ ".css", "text/css" }, { ".js", "text/javascript" }, { ".json", "application/json" },
		{ ".png", "image/png" }, { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" }, { ".gif", "image/gif" },
		{ ".svg", "image/svg+xml" }, { ".ico", "image/vnd.microsoft.icon" }, { ".pdf", "application/pdf" },
		{ ".tar", "application/x-tar" }, { ".gz", "application/gzip" }, { ".wasm", "application/wasm" },
	};
	size_t n = nc_str_len(path);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t k = nc_str_len(types[i].ext);
		if (n > k && nc_mem_compare(path + n - k, types[i].ext, k) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/* DIR + the request's path: false when it is not a plain absolute path inside DIR. */
static bool file_path(const char *target, char *out, size_t cap)
{
	if (target[0] != '/')
		return false;
	for (const char *p = target; *p; p++) {
		if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == 0))
			return false;
		if (*p == '?' || *p == '#' || *p == '%' || (unsigned char)*p < 0x20)
			return false;
	}
	size_t t = nc_str_len(target);
	size_t n = nc_fmt_format(out, cap, "%s%s%s", nc_str_compare(root, "/") == 0 ? "" : root, target,
				 target[t - 1] == '/' ? "index.html" : "");
	return n + 1 < cap;
}

/* An answer without a file: its head and body in one NetSend. */
static void answer(uint64_t s, int code, const char *reason)
{
	char body[96], msg[384];
	size_t b = nc_fmt_format(body, sizeof body, "%d %s\n", code, reason);
	size_t n = nc_fmt_format(msg, sizeof msg, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
				 "Content-Length: %zu\r\nConnection: close\r\n\r\n%s", code, reason, b, body);
	(void)nc_net_send_all(s, msg, n);
}

/* Send the file at path (a GET; HEAD: the head only) through out (CHUNK
 * bytes): the head and the file's bytes behind it, CHUNK at a time (read in
 * FdReads of at most IO_MAX_BYTES). The status code sent. */
static int send_file(uint64_t s, const char *path, bool head_only, uint8_t *out)
{
	uint64_t f, n = 0;
	nc_sys_stat_full_t st;
	if (nc_sys_fs_open(path, nc_str_len(path), 0, &f))
		return answer(s, 404, "Not Found"), 404;
	if (nc_sys_fd_stat(f, &st) || st.type != NC_SYS_HANDLE_FILE) {
		nc_sys_handle_close(f);
		return answer(s, 404, "Not Found"), 404;
	}
	size_t used = nc_fmt_format((char *)out, CHUNK, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %llu\r\n"
				    "Connection: close\r\n\r\n", mime_type(path), (unsigned long long)st.size_bytes);
	nc_sys_err_t err = NC_SYS_OK;
	for (uint64_t left = head_only ? 0 : st.size_bytes; !err && left; left -= n) {
		size_t room = CHUNK - used < NC_SYS_IO_MAX_BYTES ? CHUNK - used : NC_SYS_IO_MAX_BYTES;
		err = nc_sys_fd_read(f, out + used, left < room ? left : room, 0, &n);
		if (!err && n == 0)
			err = NC_SYS_ERR_IO_ERROR; /* the file shrank */
		if (!err && (used += n) == CHUNK) {
			err = nc_net_send_all(s, out, used);
			used = 0;
		}
	}
	if (!err && used)
		(void)nc_net_send_all(s, out, used);
	nc_sys_handle_close(f);
	return 200;
}

/* Serve one connection s with worker w's buffers. */
static void serve(uint64_t s, worker_t *w)
{
	http_head_t *h = &w->head;
	char method[8], target[PATH_MAX_BYTES], path[PATH_MAX_BYTES];
	int code = 400;
	method[0] = target[0] = 0;
	if (http_recv_head(s, h, WAIT_NS) == NC_SYS_OK) {
		size_t m = 0, t = 0;
		const char *p = h->head;
		while (*p && *p != ' ' && m < sizeof method - 1)
			method[m++] = *p++;
		method[m] = 0;
		while (*p == ' ')
			p++;
		while (*p && *p != ' ' && t < sizeof target - 1)
			target[t++] = *p++;
		target[t] = 0;
		bool get = nc_str_compare(method, "GET") == 0, head = nc_str_compare(method, "HEAD") == 0;
		if (!nc_str_starts_with(p, " HTTP/1."))
			answer(s, code = 400, "Bad Request");
		else if (!get && !head)
			answer(s, code = 405, "Method Not Allowed");
		else if (!file_path(target, path, sizeof path))
			answer(s, code = 404, "Not Found");
		else
			code = send_file(s, path, head, w->out);
	}
	if (verbose)
		nc_print("httpd: %s %s %d\n", method[0] ? method : "-", target, code);
	nc_sys_net_shutdown(s, NC_SYS_NET_SHUT_SEND);
	nc_sys_handle_close(s);
}

/* A worker: take the next connection and serve it, until NetAccept fails
 * (the listener is gone: the network service ended). */
static int work(void *arg)
{
	for (;;) {
		uint64_t s;
		nc_sys_err_t err = nc_sys_net_accept(listener, NC_SYS_TIMEOUT_INFINITE, &s);
		if (err) {
			nc_print("httpd: NetAccept: %s\n", nc_sys_err_name(err));
			return 2;
		}
		serve(s, arg);
	}
}

int main(const char *arg, size_t arg_len)
{
	static char words[PATH_MAX_BYTES + 64];
	char *argv[ARGS_MAX + 1], addr[32];
	int argc = 0;
	uint64_t port = 80;
	if (nc_args_split(arg, arg_len, words, sizeof words, argv, ARGS_MAX, &argc))
		argc = 0;
	char **args = argv;
	if (argc > 0 && nc_str_compare(args[0], "-v") == 0)
		verbose = true, args++, argc--;
	if (argc < 1 || argc > 2 || (argc == 2 && (!http_number(args[1], &port) || port == 0 || port > 65535)) ||
	    nc_str_len(args[0]) >= sizeof root - 1 || args[0][0] != '/') {
		nc_print("usage: httpd [-v] DIR [PORT]   (DIR an absolute path; -v: log each request)\n");
		return 2;
	}
	size_t n = nc_fmt_format(root, sizeof root, "%s", args[0]);
	while (n > 1 && root[n - 1] == '/')
		root[--n] = 0;
	nc_sys_stat_t st;
	nc_sys_err_t err = nc_sys_fs_stat(root, n, &st);
	if (!err && st.type != NC_SYS_HANDLE_DIR)
		err = NC_SYS_ERR_WRONG_TYPE;
	if (err) {
		nc_print("httpd: %s: %s\n", root, nc_sys_err_name(err));
		return 2;
	}
	size_t a = nc_fmt_format(addr, sizeof addr, "[::]:%llu", (unsigned long long)port);
	if ((err = nc_sys_net_socket(NC_SYS_NET_TCP, &listener)) || (err = nc_sys_net_bind(listener, addr, a)) ||
	    (err = nc_sys_net_listen(listener, NC_SYS_NET_BACKLOG_MAX))) {
		nc_print("httpd: port %llu: %s\n", (unsigned long long)port, nc_sys_err_name(err));
		return 2;
	}
	nc_print("httpd: serving %s on port %llu\n", root, (unsigned long long)port);
	static nc_thread_t threads[WORKERS];
	int started = 1;
	while (started < WORKERS && !nc_thread_start(&threads[started], work, &workers[started]))
		started++;
	(void)work(&workers[0]);
	for (int i = 1; i < started; i++) {
		uint64_t code;
		(void)nc_thread_join(&threads[i], &code);
	}
	return 2;
}
