/* The network calls (docs/network.md): the kernel checks each one like a
 * built-in call -- the capability and its scope, every argument and user
 * buffer -- then routes it to the network service (SERVICE_NET,
 * kernel/service.h): NetSocket, NetResolve, NetInterfaceList and NetAttach
 * to the registered service, every call on a socket to the service that made
 * it (a remote object). Addresses are made canonical here (lib/inet), so the
 * scope check and the service see the same text. Payload layouts: the table
 * in docs/services.md. A NetSend or NetRecv of more than NET_IO_MAX_BYTES
 * moves its bytes through a window (kernel/service_window.h), as FdReadBulk
 * and FdWriteBulk do. */
#include <kernel/cap.h>
#include <kernel/heap.h>
#include <kernel/remote.h>
#include <kernel/service.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <nc/inet.h>
#include <nc/mem.h>

enum { SOCKET_RIGHTS = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER };

/* A canonical endpoint text. */
typedef struct {
	nc_inet_endpoint_t e;
	size_t len;
	char text[NC_INET_ENDPOINT_MAX + 1];
} endpoint_t;

/* Copy "HOST:PORT" from the user and make it canonical. Errors: INVALID,
 * BAD_ADDRESS. */
static nc_sys_err_t user_endpoint(uint64_t addr, uint64_t len, endpoint_t *out)
{
	char k[NC_SYS_NET_ADDR_MAX];
	if (len == 0 || len > NC_SYS_NET_ADDR_MAX)
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(k, addr, len))
		return NC_SYS_ERR_BAD_ADDRESS;
	if (nc_inet_parse_endpoint(k, len, &out->e))
		return NC_SYS_ERR_INVALID;
	out->len = nc_inet_format_endpoint(&out->e, out->text, sizeof out->text);
	return NC_SYS_OK;
}

/* OK when a net.connect capability's scope is the canonical text, "HOST:*",
 * "*:PORT" or *. */
static nc_sys_err_t check_connect(const endpoint_t *ep)
{
	if (cap_check("net.connect", ep->text, ep->len) == NC_SYS_OK)
		return NC_SYS_OK;
	char alt[NC_INET_ENDPOINT_MAX + 1];
	nc_mem_copy(alt, ep->e.host, ep->e.host_len);
	nc_mem_copy(alt + ep->e.host_len, ":*", 2);
	if (cap_check("net.connect", alt, ep->e.host_len + 2) == NC_SYS_OK)
		return NC_SYS_OK;
	nc_mem_copy(alt, "*:", 2);
	size_t n = nc_inet_format_port(ep->e.port, alt + 2);
	return cap_check("net.connect", alt, n + 2);
}

/* Forward c to the registered network service. */
static nc_sys_err_t service_net_call(svc_call_t *c, kobj_t **new_obj)
{
	ksvc_t *s = service_find(NC_SYS_SERVICE_NET, NULL, 0, NULL);
	if (!s)
		return NC_SYS_ERR_UNAVAILABLE;
	nc_sys_err_t err = service_call(s, c, new_obj);
	service_put(s);
	return err;
}

/* Forward c to the service behind socket handle h, which needs the rights
 * in need; *origin (if not NULL) gets a counted reference to its origin. */
static nc_sys_err_t socket_call(uint64_t h, uint32_t need, svc_call_t *c, kobj_t **new_obj, kcap_t **origin)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), h, NC_SYS_HANDLE_SOCKET, need, &r);
	if (err)
		return err;
	if (!remote_is(r.obj))
		err = NC_SYS_ERR_WRONG_TYPE;
	else
		err = remote_call(r.obj, c, new_obj);
	if (!err && origin && r.origin) {
		kobj_ref(&r.origin->obj);
		*origin = r.origin;
	}
	handle_put(&r);
	return err;
}

/* Install the socket a reply opened (c->new_type must be a socket) under
 * origin, with the socket rights the service allows. */
static nc_sys_err_t install_socket(kobj_t *o, const svc_call_t *c, kcap_t *origin, uint64_t *handle_out)
{
	if (c->new_type != NC_SYS_HANDLE_SOCKET)
		return NC_SYS_ERR_IO_ERROR; /* out of protocol */
	uint32_t rights = SOCKET_RIGHTS & ((uint32_t)c->new_rights | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER);
	return handle_install(handle_table_current(), o, rights, origin, handle_out);
}

nc_sys_err_t sys_net_socket(uint64_t kind, uint64_t *handle_out)
{
	if (kind != NC_SYS_NET_TCP && kind != NC_SYS_NET_UDP && kind != NC_SYS_NET_ICMP_ECHO)
		return NC_SYS_ERR_INVALID;
	kcap_t *cap;
	nc_sys_err_t err = cap_find("net.socket", NULL, 0, &cap);
	if (err)
		return err;
	svc_call_t c = { .op = NC_SYS_NET_SOCKET, .errors = NC_SYS_ERRORS_NET_SOCKET, .args = { kind },
			 .may_open = true };
	kobj_t *o = NULL;
	err = service_net_call(&c, &o);
	if (!err)
		err = install_socket(o, &c, cap, handle_out);
	kobj_unref(o);
	kobj_unref(&cap->obj);
	return err;
}

/* Copy a peer's "HOST:PORT" from the user, canonical, and check net.connect
 * on it. */
static nc_sys_err_t user_peer(uint64_t addr, uint64_t len, endpoint_t *out)
{
	nc_sys_err_t err = user_endpoint(addr, len, out);
	return err ? err : check_connect(out);
}

nc_sys_err_t sys_net_connect(uint64_t socket, uint64_t address, uint64_t address_len)
{
	endpoint_t ep;
	nc_sys_err_t err = user_peer(address, address_len, &ep);
	if (err)
		return err;
	svc_call_t c = { .op = NC_SYS_NET_CONNECT, .errors = NC_SYS_ERRORS_NET_CONNECT, .in = ep.text,
			 .in_len = ep.len };
	return socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
}

/* A NetSend of more than NET_IO_MAX_BYTES: the bytes go in a read-only
 * window (kernel/service_window.h), the same mechanism as FdWriteBulk's. */
static nc_sys_err_t send_bulk(uint64_t socket, uint64_t buf, uint64_t len, uint64_t *n_out)
{
	svc_call_t c = { .op = NC_SYS_NET_SEND, .errors = NC_SYS_ERRORS_NET_SEND, .args = { len }, .window = buf,
			 .window_len = len, .window_fill = true };
	nc_sys_err_t err = socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
	if (!err && c.result > len)
		err = NC_SYS_ERR_IO_ERROR;
	if (!err)
		*n_out = c.result;
	return err;
}

/* NetSend and NetSendTo: data from the user, then the address text (if
 * any); arg0 is the data's length. */
static nc_sys_err_t send_data(uint64_t socket, uint64_t op, uint64_t errors, uint64_t buf, uint64_t len,
			      const endpoint_t *to, uint64_t *n_out)
{
	if (!to && len > NC_SYS_NET_IO_MAX_BYTES && len <= NC_SYS_IO_BULK_MAX_BYTES)
		return send_bulk(socket, buf, len, n_out);
	if (len > NC_SYS_NET_IO_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	size_t to_len = to ? to->len : 0;
	uint8_t *k = heap_alloc(len + to_len + 1);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = NC_SYS_OK;
	if (len && copy_from_user(k, buf, len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (to)
		nc_mem_copy(k + len, to->text, to_len);
	svc_call_t c = { .op = op, .errors = errors, .args = { len }, .in = k, .in_len = len + to_len };
	if (!err)
		err = socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
	if (!err && c.result > len)
		err = NC_SYS_ERR_IO_ERROR;
	heap_free(k);
	if (!err)
		*n_out = c.result;
	return err;
}

nc_sys_err_t sys_net_send(uint64_t socket, uint64_t buf, uint64_t len_bytes, uint64_t *n_bytes_out)
{
	return send_data(socket, NC_SYS_NET_SEND, NC_SYS_ERRORS_NET_SEND, buf, len_bytes, NULL, n_bytes_out);
}

nc_sys_err_t sys_net_send_to(uint64_t socket, uint64_t buf, uint64_t len_bytes, uint64_t address,
			     uint64_t address_len, uint64_t *n_bytes_out)
{
	endpoint_t ep;
	nc_sys_err_t err = user_peer(address, address_len, &ep);
	if (err)
		return err;
	return send_data(socket, NC_SYS_NET_SEND_TO, NC_SYS_ERRORS_NET_SEND_TO, buf, len_bytes, &ep, n_bytes_out);
}

/* A NetRecv into more than NET_IO_MAX_BYTES (at most IO_BULK_MAX_BYTES):
 * the service puts the bytes at the start of a writable window, as for
 * FdReadBulk; the kernel copies the first result bytes to buf. */
static nc_sys_err_t recv_bulk(uint64_t socket, uint64_t buf, uint64_t buf_len, uint64_t timeout_ns,
			      uint64_t *n_out)
{
	size_t want = buf_len < NC_SYS_IO_BULK_MAX_BYTES ? buf_len : NC_SYS_IO_BULK_MAX_BYTES;
	svc_call_t c = { .op = NC_SYS_NET_RECV, .errors = NC_SYS_ERRORS_NET_RECV, .args = { want, timeout_ns },
			 .window = buf, .window_len = want };
	nc_sys_err_t err = socket_call(socket, NC_SYS_RIGHT_READ, &c, NULL, NULL);
	if (!err)
		*n_out = c.result;
	return err;
}

/* NetRecv and NetRecvFrom: the reply is the data (result bytes), then, for
 * NetRecvFrom, the sender's address text, which goes NUL-terminated to from. */
static nc_sys_err_t recv_data(uint64_t socket, uint64_t op, uint64_t errors, uint64_t buf, uint64_t buf_len,
			      uint64_t from, uint64_t from_len, uint64_t timeout_ns, uint64_t *n_out)
{
	if (buf_len == 0 || (op == NC_SYS_NET_RECV_FROM && from_len < NC_SYS_NET_FROM_BYTES))
		return NC_SYS_ERR_INVALID;
	if (op == NC_SYS_NET_RECV && buf_len > NC_SYS_NET_IO_MAX_BYTES)
		return recv_bulk(socket, buf, buf_len, timeout_ns, n_out);
	size_t want = buf_len < NC_SYS_NET_IO_MAX_BYTES ? buf_len : NC_SYS_NET_IO_MAX_BYTES;
	size_t extra = op == NC_SYS_NET_RECV_FROM ? NC_SYS_NET_FROM_BYTES - 1 : 0;
	uint8_t *k = heap_alloc(want + extra + 1);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	svc_call_t c = { .op = op, .errors = errors, .args = { want, timeout_ns }, .out = k,
			 .out_max = want + extra };
	nc_sys_err_t err = socket_call(socket, NC_SYS_RIGHT_READ, &c, NULL, NULL);
	if (!err && (c.result > want || c.result > c.out_len || (!extra && c.result != c.out_len)))
		err = NC_SYS_ERR_IO_ERROR;
	if (!err && c.result && copy_to_user(buf, k, c.result))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err && extra) {
		k[c.out_len] = 0;
		if (copy_to_user(from, k + c.result, c.out_len - c.result + 1))
			err = NC_SYS_ERR_BAD_ADDRESS;
	}
	heap_free(k);
	if (!err)
		*n_out = c.result;
	return err;
}

nc_sys_err_t sys_net_recv(uint64_t socket, uint64_t buf, uint64_t buf_len, uint64_t timeout_ns,
			  uint64_t *n_bytes_out)
{
	return recv_data(socket, NC_SYS_NET_RECV, NC_SYS_ERRORS_NET_RECV, buf, buf_len, 0, 0, timeout_ns,
			 n_bytes_out);
}

nc_sys_err_t sys_net_recv_from(uint64_t socket, uint64_t buf, uint64_t buf_len, uint64_t from, uint64_t from_len,
			       uint64_t timeout_ns, uint64_t *n_bytes_out)
{
	return recv_data(socket, NC_SYS_NET_RECV_FROM, NC_SYS_ERRORS_NET_RECV_FROM, buf, buf_len, from, from_len,
			 timeout_ns, n_bytes_out);
}

nc_sys_err_t sys_net_bind(uint64_t socket, uint64_t address, uint64_t address_len)
{
	endpoint_t ep;
	nc_sys_err_t err = user_endpoint(address, address_len, &ep);
	if (!err && !ep.e.is_ipv4 && !ep.e.is_ipv6)
		err = NC_SYS_ERR_INVALID; /* a name */
	char port[6];
	size_t n = nc_inet_format_port(ep.e.port, port);
	if (!err)
		err = cap_check("net.listen", port, n);
	if (err)
		return err;
	svc_call_t c = { .op = NC_SYS_NET_BIND, .errors = NC_SYS_ERRORS_NET_BIND, .in = ep.text, .in_len = ep.len };
	return socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
}

nc_sys_err_t sys_net_listen(uint64_t socket, uint64_t backlog)
{
	if (backlog == 0 || backlog > NC_SYS_NET_BACKLOG_MAX)
		return NC_SYS_ERR_INVALID;
	svc_call_t c = { .op = NC_SYS_NET_LISTEN, .errors = NC_SYS_ERRORS_NET_LISTEN, .args = { backlog } };
	return socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
}

nc_sys_err_t sys_net_accept(uint64_t socket, uint64_t timeout_ns, uint64_t *handle_out)
{
	svc_call_t c = { .op = NC_SYS_NET_ACCEPT, .errors = NC_SYS_ERRORS_NET_ACCEPT, .args = { timeout_ns },
			 .may_open = true };
	kobj_t *o = NULL;
	kcap_t *origin = NULL;
	nc_sys_err_t err = socket_call(socket, NC_SYS_RIGHT_READ, &c, &o, &origin);
	if (!err)
		err = install_socket(o, &c, origin, handle_out);
	kobj_unref(o);
	if (origin)
		kobj_unref(&origin->obj);
	return err;
}

nc_sys_err_t sys_net_shutdown(uint64_t socket, uint64_t how)
{
	if (how < NC_SYS_NET_SHUT_SEND || how > NC_SYS_NET_SHUT_BOTH)
		return NC_SYS_ERR_INVALID;
	svc_call_t c = { .op = NC_SYS_NET_SHUTDOWN, .errors = NC_SYS_ERRORS_NET_SHUTDOWN, .args = { how } };
	return socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
}

nc_sys_err_t sys_net_set_option(uint64_t socket, uint64_t option, uint64_t value)
{
	bool flag = option == NC_SYS_NET_OPT_NONBLOCK || option == NC_SYS_NET_OPT_NODELAY;
	if ((!flag && option != NC_SYS_NET_OPT_TIMEOUT_NS) || (flag && value > 1))
		return NC_SYS_ERR_INVALID;
	svc_call_t c = { .op = NC_SYS_NET_SET_OPTION, .errors = NC_SYS_ERRORS_NET_SET_OPTION,
			 .args = { option, value } };
	return socket_call(socket, NC_SYS_RIGHT_WRITE, &c, NULL, NULL);
}

nc_sys_err_t sys_net_resolve(uint64_t name, uint64_t name_len, uint64_t family, uint64_t out, uint64_t out_len,
			     uint64_t *n_out)
{
	char k[NC_SYS_NET_ADDR_MAX], alt[NC_INET_HOST_MAX + 3];
	nc_inet_endpoint_t e;
	bool v6 = family == NC_SYS_NET_RESOLVE_IPV6;
	if (name_len == 0 || name_len > NC_SYS_NET_ADDR_MAX || out_len == 0 ||
	    (!v6 && family != NC_SYS_NET_RESOLVE_IPV4))
		return NC_SYS_ERR_INVALID;
	if (copy_from_user(k, name, name_len))
		return NC_SYS_ERR_BAD_ADDRESS;
	if (nc_inet_parse_host(k, name_len, &e) || (v6 ? e.is_ipv4 : e.is_ipv6))
		return NC_SYS_ERR_INVALID; /* an address of the other family */
	nc_mem_copy(alt, e.host, e.host_len);
	nc_mem_copy(alt + e.host_len, ":*", 2);
	nc_sys_err_t err = cap_check("net.connect", alt, e.host_len + 2);
	if (err)
		return err;
	size_t want = out_len < NC_SYS_IO_MAX_BYTES ? out_len : NC_SYS_IO_MAX_BYTES;
	uint8_t *buf = heap_alloc(want);
	if (!buf)
		return NC_SYS_ERR_NO_MEMORY;
	svc_call_t c = { .op = NC_SYS_NET_RESOLVE, .errors = NC_SYS_ERRORS_NET_RESOLVE, .in = e.host,
			 .in_len = e.host_len, .out = buf, .out_max = want, .args = { family } };
	err = service_net_call(&c, NULL);
	if (!err && c.result != c.out_len)
		err = NC_SYS_ERR_IO_ERROR;
	if (!err && copy_to_user(out, buf, c.out_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(buf);
	if (!err)
		*n_out = c.out_len;
	return err;
}

nc_sys_err_t sys_net_interface_list(uint64_t entries, uint64_t max_entries, uint64_t *n_out)
{
	if (max_entries > NC_SYS_NET_INTERFACES_MAX)
		return NC_SYS_ERR_INVALID;
	size_t bytes = max_entries * sizeof(nc_sys_net_interface_t);
	uint8_t *buf = heap_alloc(bytes + 1);
	if (!buf)
		return NC_SYS_ERR_NO_MEMORY;
	svc_call_t c = { .op = NC_SYS_NET_INTERFACE_LIST, .errors = NC_SYS_ERRORS_NET_INTERFACE_LIST,
			 .args = { max_entries }, .out = buf, .out_max = bytes };
	nc_sys_err_t err = service_net_call(&c, NULL);
	size_t n_given = c.result < max_entries ? c.result : max_entries;
	if (!err && c.out_len != n_given * sizeof(nc_sys_net_interface_t))
		err = NC_SYS_ERR_IO_ERROR;
	if (!err && c.out_len && copy_to_user(entries, buf, c.out_len))
		err = NC_SYS_ERR_BAD_ADDRESS;
	heap_free(buf);
	if (!err)
		*n_out = c.result;
	return err;
}

nc_sys_err_t sys_net_attach(uint64_t channel)
{
	svc_call_t c = { .op = NC_SYS_NET_ATTACH, .errors = NC_SYS_ERRORS_NET_ATTACH, .n_pass = 1 };
	const uint32_t need = NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER;
	nc_sys_err_t err = handle_take(handle_table_current(), channel, NC_SYS_HANDLE_CHANNEL, need, &c.pass[0]);
	if (err)
		return err;
	ksvc_t *s = service_find(NC_SYS_SERVICE_NET, NULL, 0, NULL);
	if (!s) {
		handle_put(&c.pass[0]);
		return NC_SYS_ERR_UNAVAILABLE;
	}
	err = service_call(s, &c, NULL);
	service_put(s);
	return err;
}
