/* HTTP/1.1 message heads for fetch and httpd (RFC 9112): a head is read
 * whole (up to HTTP_HEAD_MAX bytes, ended by an empty line) before its body;
 * header names compare without case. Pure except http_recv_head and
 * http_send_all, which use a socket. */
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
/* The value of header name in the head (NUL-terminated text after the
 * first line), copied to out[0..cap) without surrounding blanks; false when
 * absent or too long. */
bool http_header(const char *head, const char *name, char *out, size_t cap);
/* A decimal number text[0..) up to its NUL; false when not one or too big. */
bool http_number(const char *text, uint64_t *out);
/* Send all of data[0..len) on s. */
nc_sys_err_t http_send_all(uint64_t s, const void *data, size_t len);

#endif
