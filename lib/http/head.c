/* Response heads (nc/http.h): the status line (RFC 9112 4) and header
 * fields (RFC 9112 5, RFC 9110 5.6.2 tokens), checked once so the readers
 * below can walk a head without checking again. */
#include "http_int.h"
#include <nc/http.h>
#include <nc/mem.h>

const char *nc_http_err_name(nc_http_err_t err)
{
	static const char *const names[] = {
		"NC_HTTP_OK", "NC_HTTP_ERR_URL", "NC_HTTP_ERR_IO", "NC_HTTP_ERR_TRUNCATED", "NC_HTTP_ERR_HEAD",
		"NC_HTTP_ERR_LENGTH", "NC_HTTP_ERR_CODING", "NC_HTTP_ERR_CHUNK", "NC_HTTP_ERR_TOO_LARGE",
		"NC_HTTP_ERR_SINK", "NC_HTTP_ERR_REQUEST",
	};
	return (unsigned)err < sizeof names / sizeof names[0] ? names[err] : "NC_HTTP_ERR_UNKNOWN";
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool http_token_char(char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	for (const char *p = "!#$%&'*+-.^_`|~"; *p; p++)
		if (c == *p)
			return true;
	return false;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

size_t http_line_end(const char *head, size_t len, size_t s)
{
	while (s < len && !(head[s] == '\r' && s + 1 < len && head[s + 1] == '\n'))
		s++;
	return s;
}

static bool status_line(const char *l, size_t n, int *status)
{
	if (n < 12 || nc_mem_compare(l, "HTTP/1.", 7) || !digit(l[7]) || l[8] != ' ')
		return false;
	if (!digit(l[9]) || !digit(l[10]) || !digit(l[11]) || (n > 12 && l[12] != ' '))
		return false;
	int code = (l[9] - '0') * 100 + (l[10] - '0') * 10 + (l[11] - '0');
	if (code < 100 || code > 599)
		return false;
	for (size_t i = 13; i < n; i++)
		if ((unsigned char)l[i] < ' ' && l[i] != '\t')
			return false;
	*status = code;
	return true;
}

bool http_field_line(const char *l, size_t n)
{
	size_t k = 0;
	while (k < n && http_token_char(l[k]))
		k++;
	if (k == 0 || k == n || l[k] != ':')
		return false;
	for (size_t i = k + 1; i < n; i++)
		if (((unsigned char)l[i] < ' ' && l[i] != '\t') || l[i] == 0x7f)
			return false;
	return true;
}

nc_http_err_t nc_http_head_check(const char *head, size_t len, int *status)
{
	size_t e = http_line_end(head, len, 0);
	int code;
	if (!status_line(head, e, &code))
		return NC_HTTP_ERR_HEAD;
	for (size_t s = e + 2; s < len + 2 && e < len; s = e + 2) {
		e = http_line_end(head, len, s);
		if (!http_field_line(head + s, e - s))
			return NC_HTTP_ERR_HEAD;
	}
	*status = code;
	return NC_HTTP_OK;
}

bool nc_http_head_next(const char *head, size_t len, size_t *pos, const char **name, size_t *name_len,
		       const char **value, size_t *value_len)
{
	size_t s = *pos == 0 ? http_line_end(head, len, 0) + 2 : *pos;
	if (s >= len + 2 || s > len)
		return false;
	size_t e = http_line_end(head, len, s), k = s;
	while (k < e && head[k] != ':')
		k++;
	if (k == e)
		return false; /* not a checked head */
	size_t v = k + 1, w = e;
	while (v < w && (head[v] == ' ' || head[v] == '\t'))
		v++;
	while (w > v && (head[w - 1] == ' ' || head[w - 1] == '\t'))
		w--;
	*name = head + s;
	*name_len = k - s;
	*value = head + v;
	*value_len = w - v;
	*pos = e + 2;
	return true;
}

bool nc_http_head_find(const char *head, size_t len, const char *name, const char **value, size_t *value_len)
{
	size_t pos = 0, k = nc_str_len(name), n;
	const char *f;
	while (nc_http_head_next(head, len, &pos, &f, &n, value, value_len)) {
		bool same = n == k;
		for (size_t i = 0; same && i < k; i++)
			same = lower(f[i]) == lower(name[i]);
		if (same)
			return true;
	}
	return false;
}
