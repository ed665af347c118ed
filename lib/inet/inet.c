/* Internet endpoint text (nc/inet.h): strict parsing and one canonical form
 * for "HOST:PORT". Address syntax: RFC 791 dotted decimal as inet_pton(3)
 * takes it (POSIX: exactly four decimal parts); names: RFC 1035 2.3.1 with
 * RFC 1123 2.1's leading digits. */
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
		e->host_len = nc_inet_format_ipv4(a, e->host, sizeof e->host);
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

size_t nc_inet_format_ipv4(uint32_t a, char *out, size_t cap)
{
	char t[NC_INET_IPV4_TEXT_MAX + 1];
	size_t n = 0;
	for (int i = 3; i >= 0; i--) {
		n += nc_inet_format_port((uint16_t)(a >> (8 * i) & 0xff), t + n);
		if (i)
			t[n++] = '.';
	}
	if (cap < n + 1)
		return 0;
	nc_mem_copy(out, t, n);
	out[n] = 0;
	return n;
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
