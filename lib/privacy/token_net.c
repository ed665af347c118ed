/* Network addresses in text: IPv4 dotted quads and IPv6 (RFC 4291 2.2 text
 * forms: eight groups, one "::" compression, an embedded dotted quad at the
 * end). Look-alikes refused: octets over 255 or with leading zeros, a fifth
 * part ("1.2.3.4.5"), version numbers after "version"/"release", MAC
 * addresses and clock times (too few groups, no "::"), C++ scopes ("a::b":
 * fewer than four hex digits). */
#include "token_internal.h"
#include <nc/hex.h>

#define IPV6_MAX_TEXT 45u /* 8 groups of 4 + 7 colons, or 6 groups + a dotted quad */

static const char *const version_keywords[] = { "version", "release", "ver." };

/* An octet 0..255 at t[i], no leading zero; its length, 0 if none. */
static size_t octet(const char *t, size_t len, size_t i, unsigned *value)
{
	size_t n = 0;
	unsigned v = 0;
	while (n < 3 && tok_is_digit(tok_at(t, len, i + n)))
		v = v * 10 + (unsigned)(t[i + n++] - '0');
	if (n == 0 || tok_is_digit(tok_at(t, len, i + n)) || v > 255 || (n > 1 && t[i] == '0'))
		return 0;
	*value = v;
	return n;
}

/* A dotted quad at t[i..), its length (0 if none); octets into v (may be NULL). */
static size_t dotted_quad(const char *t, size_t len, size_t i, uint8_t v[4])
{
	size_t start = i;
	for (int k = 0; k < 4; k++) {
		unsigned o = 0;
		size_t n = octet(t, len, i, &o);
		if (n == 0)
			return 0;
		if (v)
			v[k] = (uint8_t)o;
		i += n;
		if (k < 3) {
			if (tok_at(t, len, i) != '.')
				return 0;
			i++;
		}
	}
	return i - start;
}

size_t tok_ipv4(const char *t, size_t len, size_t pos)
{
	size_t n = dotted_quad(t, len, pos, NULL);
	if (n == 0)
		return 0;
	char next = tok_at(t, len, pos + n);
	if (tok_is_alnum(next) || (next == '.' && tok_is_digit(tok_at(t, len, pos + n + 1))))
		return 0;
	if (pos > 0 && (t[pos - 1] == '.' || t[pos - 1] == ':'))
		return 0;
	if (tok_keyword_before(t, pos, 12, version_keywords, sizeof version_keywords / sizeof version_keywords[0]))
		return 0;
	return n;
}

bool tok_ipv6_parse(const char *t, size_t len, uint16_t groups[8])
{
	uint16_t g[8];
	size_t n = 0, gap = 8, i = 0; /* gap: index where "::" stands, 8 = none */
	if (len >= 2 && t[0] == ':' && t[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len > 0 && t[0] == ':') {
		return false;
	}
	while (i < len) {
		uint8_t quad[4];
		size_t q = dotted_quad(t, len, i, quad);
		if (q && i + q == len && n <= 6) { /* embedded IPv4 ends the address */
			g[n++] = (uint16_t)(quad[0] << 8 | quad[1]);
			g[n++] = (uint16_t)(quad[2] << 8 | quad[3]);
			i = len;
			break;
		}
		size_t k = 0;
		unsigned v = 0;
		while (k < 4 && i + k < len && tok_is_hex(t[i + k])) {
			v = v * 16 + (unsigned)nc_hex_digit_value(t[i + k]);
			k++;
		}
		if (k == 0 || n == 8)
			return false;
		g[n++] = (uint16_t)v;
		i += k;
		if (i == len)
			break;
		if (t[i] != ':')
			return false;
		i++;
		if (i < len && t[i] == ':') {
			if (gap != 8)
				return false;
			gap = n;
			i++;
		} else if (i == len) {
			return false; /* a single trailing colon */
		}
	}
	if (gap == 8 ? n != 8 : n > 7)
		return false;
	size_t fill = 8 - n, out = 0;
	for (size_t k = 0; k < n; k++) {
		if (k == gap)
			for (size_t z = 0; z < fill; z++)
				groups[out++] = 0;
		groups[out++] = g[k];
	}
	while (out < 8) /* "::" at the end */
		groups[out++] = 0;
	return true;
}

size_t tok_ipv6(const char *t, size_t len, size_t pos)
{
	if (pos > 0 && t[pos - 1] == ':')
		return 0;
	size_t n = 0, colons = 0, hex = 0;
	while (pos + n < len && n < IPV6_MAX_TEXT &&
	       (tok_is_hex(t[pos + n]) || t[pos + n] == ':' || t[pos + n] == '.')) {
		colons += t[pos + n] == ':';
		hex += tok_is_hex(t[pos + n]);
		n++;
	}
	if (colons < 2 || hex < 4)
		return 0;
	/* Sentence punctuation may follow: give back up to two '.' or ':'. */
	for (int trim = 0; trim < 3 && n > 0; trim++) {
		uint16_t g[8];
		char next = tok_at(t, len, pos + n);
		if (!tok_is_alnum(next) && next != ':' && tok_ipv6_parse(t + pos, n, g))
			return n;
		if (t[pos + n - 1] != '.' && t[pos + n - 1] != ':')
			return 0;
		n--;
	}
	return 0;
}
