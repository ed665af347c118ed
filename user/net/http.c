/* HTTP/1.1 message heads (http.h). */
#include "http.h"
#include <nc/mem.h>

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

nc_sys_err_t http_recv_head(uint64_t s, http_head_t *h, uint64_t timeout_ns)
{
	size_t got = 0;
	char *buf = h->head;
	for (;;) {
		for (size_t i = 3; i < got; i++) {
			if (nc_mem_compare(buf + i - 3, "\r\n\r\n", 4))
				continue;
			h->head_len = i - 3;
			h->extra_len = got - (i + 1);
			nc_mem_copy(h->extra, buf + i + 1, h->extra_len);
			buf[h->head_len] = 0;
			return NC_SYS_OK;
		}
		if (got == HTTP_HEAD_MAX)
			return NC_SYS_ERR_INVALID;
		uint64_t n;
		size_t room = HTTP_HEAD_MAX - got;
		nc_sys_err_t err = nc_sys_net_recv(s, buf + got, room < sizeof h->extra ? room : sizeof h->extra,
						   timeout_ns, &n);
		if (err)
			return err;
		if (n == 0)
			return NC_SYS_ERR_INVALID;
		got += n;
	}
}

bool http_header(const char *head, const char *name, char *out, size_t cap)
{
	size_t k = nc_str_len(name);
	for (const char *line = head; *line;) {
		const char *end = line;
		while (*end && *end != '\r' && *end != '\n')
			end++;
		bool match = line != head && (size_t)(end - line) > k && line[k] == ':';
		for (size_t i = 0; match && i < k; i++)
			match = lower(line[i]) == lower(name[i]);
		if (match) {
			const char *v = line + k + 1, *e = end;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
				e--;
			if ((size_t)(e - v) >= cap)
				return false;
			nc_mem_copy(out, v, (size_t)(e - v));
			out[e - v] = 0;
			return true;
		}
		line = end;
		while (*line == '\r' || *line == '\n')
			line++;
	}
	return false;
}

bool http_number(const char *text, uint64_t *out)
{
	uint64_t v = 0;
	if (!*text)
		return false;
	for (; *text; text++) {
		if (*text < '0' || *text > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*text - '0');
	}
	*out = v;
	return true;
}

nc_sys_err_t http_send_all(uint64_t s, const void *data, size_t len)
{
	uint64_t n;
	for (size_t off = 0; off < len; off += n) {
		size_t k = len - off < NC_SYS_NET_IO_MAX_BYTES ? len - off : NC_SYS_NET_IO_MAX_BYTES;
		nc_sys_err_t err = nc_sys_net_send(s, (const uint8_t *)data + off, k, &n);
		if (err)
			return err;
	}
	return NC_SYS_OK;
}
