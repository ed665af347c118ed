/* Internet endpoint text (nc/inet.h): strict parsing and one canonical form
 * for "HOST:PORT". Address syntax: RFC 791 dotted decimal as inet_pton(3)
 * takes it (POSIX: exactly four decimal parts); IPv6: RFC 4291 2.2 as
 * inet_pton(3) takes it, written back as RFC 5952 section 4 and inet_ntop(3)
 * do; names: RFC 1035 2.3.1 with RFC 1123 2.1's leading digits. */
#include <nc/hex.h>
#include <nc/inet.h>
#include <nc/mem.h>

const char *nc_inet_err_name(nc_inet_err_t err)
{
	switch (err) {
	case NC_INET_OK: return "NC_INET_OK";
	case NC_INET_ERR_SYNTAX: return "NC_INET_ERR_SYNTAX";
	case NC_INET_ERR_TOO_LONG: return "NC_INET_ERR_TOO_LONG";
	case NC_INET_ERR_PORT: return "NC_INET_ERR_PORT";
	}
	return "NC_INET_ERR_UNKNOWN";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Decimal text[0..len) without leading zeros, at most max; false otherwise. */
static bool parse_decimal(const char *text, size_t len, uint32_t max, uint32_t *out)
{
	if (len == 0 || len > 5 || (len > 1 && text[0] == '0'))
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit(text[i]))
			return false;
		v = v * 10 + (uint32_t)(text[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

nc_inet_err_t nc_inet_parse_ipv4(const char *text, size_t len, uint32_t *out)
{
	uint32_t a = 0;
	size_t start = 0;
	int parts = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '.')
			continue;
		uint32_t v;
		if (parts == 4 || !parse_decimal(text + start, i - start, 255, &v))
			return NC_INET_ERR_SYNTAX;
		a = a << 8 | v;
		parts++;
		start = i + 1;
	}
	if (parts != 4)
		return NC_INET_ERR_SYNTAX;
	*out = a;
	return NC_INET_OK;
}

nc_inet_err_t nc_inet_parse_ipv6(const char *text, size_t len, uint8_t out[16])
{
	uint8_t a[16] = { 0 };
	size_t n = 0, i = 0, gap = 0; /* bytes written; where "::" stands */
	bool has_gap = false;
	if (len >= 2 && text[0] == ':' && text[1] == ':') {
		has_gap = true;
		i = 2;
	} else if (len == 0 || text[0] == ':') {
		return NC_INET_ERR_SYNTAX;
	}
	while (i < len) {
		size_t start = i;
		uint32_t v = 0;
		while (i < len && nc_hex_digit_value(text[i]) >= 0 && i - start < 5)
			v = v << 4 | (uint32_t)nc_hex_digit_value(text[i++]);
		if (i < len && text[i] == '.') { /* the IPv4 tail ends the text */
			uint32_t v4;
			if (n > 12 || nc_inet_parse_ipv4(text + start, len - start, &v4))
				return NC_INET_ERR_SYNTAX;
			for (int k = 0; k < 4; k++)
				a[n++] = (uint8_t)(v4 >> (24 - 8 * k));
			break;
		}
		if (i == start || i - start > 4 || n == 16)
			return NC_INET_ERR_SYNTAX;
		a[n++] = (uint8_t)(v >> 8);
		a[n++] = (uint8_t)v;
		if (i == len)
			break;
		if (text[i] != ':' || ++i == len)
			return NC_INET_ERR_SYNTAX; /* a stray character, or a single trailing ':' */
		if (text[i] == ':') {
			if (has_gap)
				return NC_INET_ERR_SYNTAX;
			has_gap = true;
			gap = n;
			i++;
		}
	}
	if (has_gap ? n == 16 : n != 16)
		return NC_INET_ERR_SYNTAX; /* a "::" standing for no group, or too few groups */
	if (!has_gap)
		gap = n;
	size_t tail = n - gap;
	for (size_t k = 0; k < 16; k++)
		out[k] = 0;
	for (size_t k = 0; k < gap; k++)
		out[k] = a[k];
	for (size_t k = 0; k < tail; k++)
		out[16 - tail + k] = a[gap + k];
	return NC_INET_OK;
}

static bool label_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* Check the name text[0..len) (no trailing dot) label by label; true when
 * its last label is all digits (in *numeric). */
static bool name_valid(const char *text, size_t len, bool *numeric)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '.') {
			if (!label_char(text[i]))
				return false;
			continue;
		}
		size_t n = i - start;
		if (n == 0 || n > 63 || text[start] == '-' || text[i - 1] == '-')
			return false;
		*numeric = true;
		for (size_t k = start; k < i; k++)
			*numeric = *numeric && is_digit(text[k]);
		start = i + 1;
	}
	return true;
}

nc_inet_err_t nc_inet_parse_host(const char *text, size_t len, nc_inet_endpoint_t *e)
{
	uint32_t a;
	if (nc_inet_parse_ipv4(text, len, &a) == NC_INET_OK) {
		e->is_ipv4 = true;
		e->ipv4 = a;
		e->is_ipv6 = false;
		e->host_len = nc_inet_format_ipv4(a, e->host, sizeof e->host);
		return NC_INET_OK;
	}
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		if (nc_inet_parse_ipv6(text + 1, len - 2, e->ipv6))
			return NC_INET_ERR_SYNTAX;
		e->host[0] = '[';
		size_t n = nc_inet_format_ipv6(e->ipv6, e->host + 1, sizeof e->host - 2);
		e->host[n + 1] = ']';
		e->host[n + 2] = 0;
		e->host_len = n + 2;
		e->is_ipv4 = false;
		e->ipv4 = 0;
		e->is_ipv6 = true;
		return NC_INET_OK;
	}
	if (len > 1 && text[len - 1] == '.')
		len--; /* the root label */
	if (len > NC_INET_HOST_MAX)
		return NC_INET_ERR_TOO_LONG;
	bool numeric = false;
	if (len == 0 || !name_valid(text, len, &numeric) || numeric)
		return NC_INET_ERR_SYNTAX;
	for (size_t i = 0; i < len; i++)
		e->host[i] = text[i] >= 'A' && text[i] <= 'Z' ? (char)(text[i] - 'A' + 'a') : text[i];
	e->host[len] = 0;
	e->host_len = len;
	e->is_ipv4 = false;
	e->ipv4 = 0;
	e->is_ipv6 = false;
	return NC_INET_OK;
}

nc_inet_err_t nc_inet_parse_endpoint(const char *text, size_t len, nc_inet_endpoint_t *e)
{
	if (len > NC_INET_ENDPOINT_MAX + 1)
		return NC_INET_ERR_TOO_LONG;
	size_t colon = len;
	while (colon > 0 && text[colon - 1] != ':')
		colon--;
	if (colon == 0)
		return NC_INET_ERR_SYNTAX;
	uint32_t port;
	if (!parse_decimal(text + colon, len - colon, 65535, &port))
		return NC_INET_ERR_PORT;
	nc_inet_err_t err = nc_inet_parse_host(text, colon - 1, e);
	if (err)
		return err;
	e->port = (uint16_t)port;
	return NC_INET_OK;
}

size_t nc_inet_format_port(uint16_t port, char *out)
{
	char d[5];
	size_t n = 0;
	do {
		d[n++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	for (size_t i = 0; i < n; i++)
		out[i] = d[n - 1 - i];
	out[n] = 0;
	return n;
}

/* Copy t[0..n) and a NUL to out when cap holds them; returns n, or 0. */
static size_t put_text(const char *t, size_t n, char *out, size_t cap)
{
	if (cap < n + 1)
		return 0;
	nc_mem_copy(out, t, n);
	out[n] = 0;
	return n;
}

size_t nc_inet_format_ipv4(uint32_t a, char *out, size_t cap)
{
	char t[NC_INET_IPV4_TEXT_MAX + 1];
	size_t n = 0;
	for (int i = 3; i >= 0; i--) {
		n += nc_inet_format_port((uint16_t)(a >> (8 * i) & 0xff), t + n);
		if (i)
			t[n++] = '.';
	}
	return put_text(t, n, out, cap);
}

static size_t put_hex(uint32_t v, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;
	for (int shift = 12; shift >= 0; shift -= 4)
		if (v >> shift || n || shift == 0)
			out[n++] = digits[v >> shift & 15];
	return n;
}

size_t nc_inet_format_ipv6(const uint8_t a[16], char *out, size_t cap)
{
	uint32_t w[8];
	int best = -1, best_len = 0;
	for (int i = 0; i < 8; i++)
		w[i] = (uint32_t)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) { /* the first longest run of zero groups, two or more */
		int k = i;
		while (k < 8 && w[k] == 0)
			k++;
		if (k - i >= 2 && k - i > best_len) {
			best = i;
			best_len = k - i;
		}
		i = k > i ? k : i + 1;
	}
	char t[NC_INET_IPV6_TEXT_MAX + 1];
	size_t n = 0;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				t[n++] = ':';
			continue;
		}
		if (i)
			t[n++] = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			uint32_t v4 = (uint32_t)a[12] << 24 | (uint32_t)a[13] << 16 | (uint32_t)a[14] << 8 | a[15];
			n += nc_inet_format_ipv4(v4, t + n, sizeof t - n);
			break;
		}
		n += put_hex(w[i], t + n);
	}
	if (best >= 0 && best + best_len == 8)
		t[n++] = ':';
	return put_text(t, n, out, cap);
}

size_t nc_inet_format_endpoint(const nc_inet_endpoint_t *e, char *out, size_t cap)
{
	char p[6];
	size_t pn = nc_inet_format_port(e->port, p);
	if (cap < e->host_len + 1 + pn + 1)
		return 0;
	nc_mem_copy(out, e->host, e->host_len);
	out[e->host_len] = ':';
	nc_mem_copy(out + e->host_len + 1, p, pn + 1);
	return e->host_len + 1 + pn;
}
