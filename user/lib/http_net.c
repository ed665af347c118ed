/* lib/http's transport over a Net* TCP socket (nc/http_net.h). */
#include <nc/http_net.h>
#include <nc/mem.h>

static int net_recv(void *ud, uint8_t *buf, size_t cap, size_t *n_bytes)
{
	nc_http_net_t *t = ud;
	uint64_t n = 0;
	nc_sys_err_t err = nc_sys_net_recv(t->s, buf, cap < NC_SYS_NET_IO_MAX_BYTES ? cap : NC_SYS_NET_IO_MAX_BYTES,
					   t->wait_ns, &n);
	*n_bytes = err ? 0 : (size_t)n;
	return (int)err;
}

nc_sys_err_t nc_net_send_all(uint64_t s, const void *data, size_t len)
{
	uint64_t n;
	for (size_t off = 0; off < len; off += n) {
		size_t k = len - off < NC_SYS_IO_BULK_MAX_BYTES ? len - off : NC_SYS_IO_BULK_MAX_BYTES;
		nc_sys_err_t err = nc_sys_net_send(s, (const uint8_t *)data + off, k, &n);
		if (err)
			return err;
	}
	return NC_SYS_OK;
}

static int net_send(void *ud, const uint8_t *buf, size_t len)
{
	return (int)nc_net_send_all(((nc_http_net_t *)ud)->s, buf, len);
}

nc_sys_err_t nc_http_net_open(nc_http_net_t *t, const char *endpoint, uint64_t wait_ns)
{
	*t = (nc_http_net_t){ .wait_ns = wait_ns, .io = { t, net_recv, net_send } };
	nc_sys_err_t err = nc_sys_net_socket(NC_SYS_NET_TCP, &t->s);
	if (err) {
		t->s = 0;
		return err;
	}
	err = nc_sys_net_connect(t->s, endpoint, nc_str_len(endpoint));
	if (err)
		nc_http_net_close(t);
	return err;
}

void nc_http_net_close(nc_http_net_t *t)
{
	if (t->s)
		nc_sys_handle_close(t->s);
	t->s = 0;
}
