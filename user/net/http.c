/* HTTP/1.1 message heads (http.h). */
#include "http.h"
#include <nc/mem.h>

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
