/* HTTP/1.1 heads for httpd and netbench (RFC 9112): a head is read whole (up to
 * HTTP_HEAD_MAX bytes, ended by an empty line) before its body. (The client
 * side, fetch's and ncScript's, is lib/http: nc/http.h.) */
#ifndef USER_NET_HTTP_H
#define USER_NET_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/ulib.h>

enum { HTTP_HEAD_MAX = 8192 };

typedef struct {
	char head[HTTP_HEAD_MAX + 1];    /* the head, NUL-terminated (the empty line cut) */
	size_t head_len;
	uint8_t extra[NC_SYS_NET_IO_MAX_BYTES]; /* body bytes read with the head */
	size_t extra_len;
} http_head_t;

/* Read a head from socket s (waiting up to timeout_ns for each piece).
 * Errors: those of NetRecv; INVALID: the stream ended first or the head is
 * longer than HTTP_HEAD_MAX. */
nc_sys_err_t http_recv_head(uint64_t s, http_head_t *h, uint64_t timeout_ns);
/* A decimal number text[0..) up to its NUL; false when not one or too big. */
bool http_number(const char *text, uint64_t *out);

#endif
