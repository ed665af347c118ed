/* ncScript's network effects (net_effects.h): a small table of TCP
 * connections keyed by the script's address text. */
#include "net_effects.h"
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

static nc_sys_err_t send(conn_t *c, const nc_ncs_str_t *data)
{
	uint64_t n;
	for (size_t done = 0; done < data->len_bytes; done += n) {
		size_t left = data->len_bytes - done;
		nc_sys_err_t err = nc_sys_net_send(c->s, data->ptr + done,
						   left < NC_SYS_NET_IO_MAX_BYTES ? left : NC_SYS_NET_IO_MAX_BYTES, &n);
		if (err)
			return err;
	}
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
		err = send(c, &args[1]);
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
