/* Internet endpoint text: "HOST:PORT" as the socket calls take it
 * (docs/network.md). The kernel checks net.connect scopes on the canonical
 * form this library makes, so two spellings of one endpoint can never pass
 * as different resources: every accepted input has exactly one canonical
 * text, and a canonical text parses to itself.
 *
 *   HOST  an IPv4 address in dotted decimal, four parts 0..255 without
 *         leading zeros ("10.0.2.2"; not "10.2", "010.0.2.2" nor hex), an
 *         IPv6 address in brackets ("[fd77::1]": RFC 4291 2.2 text as
 *         inet_pton(3) takes it, without a zone; canonical: RFC 5952 as
 *         inet_ntop(3) writes it, lower case, the longest run of two or more
 *         zero groups as "::", ::ffff:a.b.c.d and ::a.b.c.d with the IPv4
 *         tail), or a DNS name: labels of 1..63 letters, digits and hyphens, not starting
 *         or ending with a hyphen, joined by single dots, at most 253 bytes;
 *         one trailing dot is dropped and letters are folded to lower case.
 *         A name whose last label is all digits is refused (it would read as
 *         a malformed address). "*" is neither.
 *   PORT  decimal 0..65535 without leading zeros.
 *
 * Pure functions: no allocation, reentrant, usable in the kernel. */
#ifndef NC_INET_H
#define NC_INET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	NC_INET_HOST_MAX = 253,                      /* longest host text */
	NC_INET_ENDPOINT_MAX = NC_INET_HOST_MAX + 6, /* longest "HOST:PORT" text */
	NC_INET_IPV4_TEXT_MAX = 15,                  /* "255.255.255.255" */
	NC_INET_IPV6_TEXT_MAX = 45,                  /* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" */
};

typedef enum {
	NC_INET_OK = 0,
	NC_INET_ERR_SYNTAX,   /* not HOST:PORT, or a malformed host */
	NC_INET_ERR_TOO_LONG, /* the host or the whole text is too long */
	NC_INET_ERR_PORT,     /* the port is missing, not decimal, or above 65535 */
} nc_inet_err_t;

typedef struct {
	bool is_ipv4;                   /* host is an IPv4 address: ipv4 holds it */
	uint32_t ipv4;                  /* first octet in the top byte */
	bool is_ipv6;                   /* host is an IPv6 address: ipv6 holds it */
	uint8_t ipv6[16];               /* network order */
	uint16_t port;
	size_t host_len;
	char host[NC_INET_HOST_MAX + 1]; /* canonical, NUL-terminated */
} nc_inet_endpoint_t;

/* Static name of err ("NC_INET_ERR_PORT"; "NC_INET_ERR_UNKNOWN" otherwise). */
const char *nc_inet_err_name(nc_inet_err_t err);

/* Parse a strict dotted-decimal IPv4 address text[0..len) into *out (first
 * octet highest). Errors: NC_INET_ERR_SYNTAX. */
nc_inet_err_t nc_inet_parse_ipv4(const char *text, size_t len, uint32_t *out);

/* Parse an IPv6 address text[0..len) without brackets (RFC 4291 2.2: hex
 * groups of 1..4 digits, one "::", an IPv4 tail; no zone) into out, network
 * order. Errors: NC_INET_ERR_SYNTAX. */
nc_inet_err_t nc_inet_parse_ipv6(const char *text, size_t len, uint8_t out[16]);

/* Parse the host text[0..len) (address or name, see above) into its
 * canonical form in e (port untouched). Errors: NC_INET_ERR_SYNTAX,
 * NC_INET_ERR_TOO_LONG. */
nc_inet_err_t nc_inet_parse_host(const char *text, size_t len, nc_inet_endpoint_t *e);

/* Parse "HOST:PORT" text[0..len) (the last ':' separates them) into *e.
 * Errors: NC_INET_ERR_SYNTAX, NC_INET_ERR_TOO_LONG, NC_INET_ERR_PORT. */
nc_inet_err_t nc_inet_parse_endpoint(const char *text, size_t len, nc_inet_endpoint_t *e);

/* Write a's dotted-decimal text and a NUL into out (cap bytes, at least
 * NC_INET_IPV4_TEXT_MAX + 1); returns its length. */
size_t nc_inet_format_ipv4(uint32_t a, char *out, size_t cap);

/* Write e's canonical "HOST:PORT" and a NUL into out (cap bytes, at least
 * NC_INET_ENDPOINT_MAX + 1); returns its length, 0 when cap is too small. */
size_t nc_inet_format_endpoint(const nc_inet_endpoint_t *e, char *out, size_t cap);

/* Write a's canonical IPv6 text (RFC 5952, without brackets) and a NUL into
 * out (cap bytes, at least NC_INET_IPV6_TEXT_MAX + 1); returns its length,
 * 0 when cap is too small. */
size_t nc_inet_format_ipv6(const uint8_t a[16], char *out, size_t cap);

/* Write the decimal text of port and a NUL into out (at least 6 bytes);
 * returns its length. */
size_t nc_inet_format_port(uint16_t port, char *out);

#endif
