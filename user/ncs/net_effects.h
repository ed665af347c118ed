/* ncScript's network effects on NexaCore (user/ncs, docs/ncscript.md). */
#ifndef USER_NCS_NET_EFFECTS_H
#define USER_NCS_NET_EFFECTS_H

#include <nc/ncs.h>

/* The handler of net::connect(addr), net::send(addr, data) and
 * net::recv(addr): one TCP connection per address text (addr as the script
 * wrote it, "HOST:PORT" of nc/inet.h, IPv6 in brackets), opened by
 * net::connect (EXISTS when one is open; LIMIT beyond NCS_NET_CONNECTIONS),
 * written whole by net::send, read by net::recv: what has arrived, at most
 * NET_IO_MAX_BYTES, waiting up to 30 s for the first byte; "" once the peer
 * ended the stream (the connection is closed then, and addr may connect
 * again). Bytes that are not UTF-8 fail the effect. The kernel checks every
 * call against the process's net.* capabilities again. */
nc_ncs_err_t ncs_net_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
			    nc_ncs_reply_t *reply, const char **message);

/* The handler of net::fetch (nc/ncs.h's net.fetch contract): one HTTP GET
 * of args[1] through lib/http over the Net* calls (nc/http_net.h), the body
 * at most NCS_FETCH_BODY_MAX bytes (NC_HTTP_ERR_TOO_LARGE beyond), each
 * receive waiting up to 30 s. Failures name the NC_HTTP_ERR_* or, for the
 * network, the system error (DENIED outside the process's net.connect
 * scope). */
nc_ncs_err_t ncs_net_fetch_effect(void *ud, nc_ncs_effect_t fx, const nc_ncs_str_t *args, size_t n_args,
				  nc_ncs_reply_t *reply, const char **message);

enum { NCS_NET_CONNECTIONS = 8, NCS_FETCH_BODY_MAX = 4 << 20 };

#endif
