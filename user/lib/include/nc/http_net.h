/* lib/http's transport over a TCP socket of the Net* calls (docs/network.md):
 * what the shell's fetch and ncs's net::fetch hand nc_http_client_init. */
#ifndef NC_HTTP_NET_H
#define NC_HTTP_NET_H

#include <nc/http.h>
#include <nc/ulib.h>

typedef struct {
	uint64_t s;          /* the socket (0: none) */
	uint64_t wait_ns;    /* how long one NetRecv waits for bytes */
	nc_http_io_t io;     /* recv and send on s; the errors are nc_sys_err_t */
} nc_http_net_t;

/* Connect a TCP socket to endpoint (NUL-terminated "HOST:PORT"); each
 * receive then waits up to wait_ns. Errors: those of NetSocket and
 * NetConnect (DENIED outside the process's net.connect scope); nothing to
 * close then. */
nc_sys_err_t nc_http_net_open(nc_http_net_t *t, const char *endpoint, uint64_t wait_ns);

/* Send all of data[0..len) on the TCP socket s, in NetSend pieces.
 * Errors: those of NetSend. */
nc_sys_err_t nc_net_send_all(uint64_t s, const void *data, size_t len);

/* Close t's socket (if any). */
void nc_http_net_close(nc_http_net_t *t);

/* The transport error of an exchange that failed with NC_HTTP_ERR_IO. */
static inline nc_sys_err_t nc_http_net_err(const nc_http_client_t *c)
{
	return (nc_sys_err_t)c->io_err;
}

#endif
