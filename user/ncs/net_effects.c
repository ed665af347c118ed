/* ncScript's network effects (net_effects.h): a small table of TCP
 * connections keyed by the script's address text, and net::fetch's one
 * exchange per call through lib/http. */
#include "net_effects.h"
#include <nc/http_net.h>
#include <nc/mem.h>
#include <nc/ulib.h>

#define RECV_WAIT_NS 30000000000ull

typedef struct {
	bool open;
	uint64_t s;
	size_t addr_len;
	char addr[NC_SYS_NET_ADDR_MAX];
} conn_t;

static conn_t conns[NCS_NET_CONNECTIONS];

static conn_t *find(const nc_ncs_str_t *addr)
{
	for (int i = 0; i < NCS_NET_CONNECTIONS; i++)
		if (conns[i].open && conns[i].addr_len == addr->len_bytes &&
		    nc_mem_compare(conns[i].addr, addr->ptr, addr->len_bytes) == 0)
			return &conns[i];
	return NULL;
}

static nc_sys_err_t connect(const nc_ncs_str_t *addr)
{
	conn_t *c = NULL;
	if (find(addr))
		return NC_SYS_ERR_EXISTS;
	if (addr->len_bytes == 0 || addr->len_bytes > NC_SYS_NET_ADDR_MAX)
		return NC_SYS_ERR_INVALID;
	for (int i = 0; i < NCS_NET_CONNECTIONS && !c; i++)
		if (!conns[i].open)
			c = &conns[i];
	if (!c)
		return NC_SYS_ERR_LIMIT;
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_TCP, &c->s);
	if (!err && (err = nc_sys_net_connect(c->s, addr->ptr, addr->len_bytes)))
		nc_sys_handle_close(c->s);
	if (err)
		return err;
	c->open = true;
	c->addr_len = addr->len_bytes;
	nc_mem_copy(c->addr, addr->ptr, addr->len_bytes);
	return NC_SYS_OK;
}

nc_ncs_err_t ncs_net_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			    nc_ncs_reply_t *reply, const char **message)
{
	static char buf[NC_SYS_NET_IO_MAX_BYTES];
	(void)ud;
	conn_t *c = fx == NC_NCS_FX_NET_CONNECT ? NULL : find(&args[0]);
	nc_sys_err_t err = NC_SYS_ERR_NOT_CONNECTED;
	uint64_t n = 0;
	if (fx == NC_NCS_FX_NET_CONNECT)
		err = connect(&args[0]);
	else if (c && fx == NC_NCS_FX_NET_SEND && n_args == 2)
		err = nc_net_send_all(c->s, args[1].ptr, args[1].len_bytes);
	else if (c && fx == NC_NCS_FX_NET_RECV)
		err = nc_sys_net_recv(c->s, buf, sizeof buf, RECV_WAIT_NS, &n);
	if (c && fx == NC_NCS_FX_NET_RECV && (err || n == 0)) {
		nc_sys_handle_close(c->s); /* the end of the stream, or a failed connection */
		c->open = false;
	}
	if (err) {
		*message = nc_sys_err_name(err);
		return NC_NCS_ERR_EFFECT;
	}
	return fx == NC_NCS_FX_NET_RECV ? nc_ncs_reply_text(reply, buf, n) : NC_NCS_OK;
}

/* The reply being built: the head, CRLF CRLF, then the body as it comes. */
typedef struct {
	char *p;
	size_t len, cap;
} grow_t;

static int grow_put(void *ud, const uint8_t *b, size_t n)
{
	grow_t *g = ud;
	if (g->cap - g->len < n) {
		size_t cap = g->cap * 2 > g->len + n ? g->cap * 2 : g->len + n;
		char *p = nc_heap_realloc(NULL, g->p, g->cap, cap);
		if (!p)
			return NC_SYS_ERR_NO_MEMORY;
		g->p = p;
		g->cap = cap;
	}
	nc_mem_copy(g->p + g->len, b, n);
	g->len += n;
	return 0;
}

nc_ncs_err_t ncs_net_fetch_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
				  nc_ncs_reply_t *reply, const char **message)
{
	static nc_http_client_t c;
	static nc_http_url_t u;
	(void)ud;
	(void)fx;
	char method[NC_HTTP_METHOD_MAX + 1];
	if (n_args < 4 || n_args > 5 || nc_http_url_parse(args[1].ptr, args[1].len_bytes, &u) ||
	    nc_str_len(u.endpoint) != args[0].len_bytes || nc_mem_compare(u.endpoint, args[0].ptr, args[0].len_bytes) ||
	    args[2].len_bytes > NC_HTTP_METHOD_MAX) {
		*message = "net::fetch: the URL does not match its endpoint";
		return NC_NCS_ERR_EFFECT;
	}
	nc_mem_copy(method, args[2].ptr, args[2].len_bytes);
	method[args[2].len_bytes] = 0;
	nc_http_request_t req = { method, args[3].ptr, args[3].len_bytes,
				  n_args == 5 ? (const uint8_t *)args[4].ptr : NULL, n_args == 5 ? args[4].len_bytes : 0 };
	nc_http_net_t t;
	nc_sys_err_t serr = nc_http_net_open(&t, u.endpoint, RECV_WAIT_NS);
	if (serr) {
		*message = nc_sys_err_name(serr);
		return NC_NCS_ERR_EFFECT;
	}
	grow_t g = { NULL, 0, 0 };
	nc_http_client_init(&c, &t.io);
	nc_http_err_t err = nc_http_client_send(&c, &u, &req, "nexacore-ncs");
	if (!err)
		err = nc_http_client_head(&c);
	if (!err && (grow_put(&g, (const uint8_t *)c.head, c.head_len) || grow_put(&g, (const uint8_t *)"\r\n\r\n", 4)))
		err = NC_HTTP_ERR_SINK;
	if (!err)
		err = nc_http_client_body(&c, NCS_FETCH_BODY_MAX, grow_put, &g);
	nc_http_net_close(&t);
	nc_ncs_err_t result = NC_NCS_ERR_EFFECT;
	if (err == NC_HTTP_ERR_IO)
		*message = nc_sys_err_name(nc_http_net_err(&c));
	else if (err == NC_HTTP_ERR_SINK)
		*message = nc_sys_err_name(NC_SYS_ERR_NO_MEMORY);
	else if (err)
		*message = nc_http_err_name(err);
	else
		result = nc_ncs_reply_text(reply, g.p, g.len);
	nc_heap_realloc(NULL, g.p, g.cap, 0);
	return result;
}
