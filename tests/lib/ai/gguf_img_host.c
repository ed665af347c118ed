/* A growable GGUF image for host tests (gguf_img_host.h). */
#include "gguf_img_host.h"

#include <stdlib.h>
#include <string.h>

#include <nc/gguf.h>

void img_put_bytes(img_t *m, const void *p, size_t n)
{
	if (m->n + n > m->cap) {
		m->cap = (m->n + n) * 2;
		m->b = realloc(m->b, m->cap);
		if (!m->b)
			abort();
	}
	memcpy(m->b + m->n, p, n);
	m->n += n;
}

void img_put(img_t *m, uint64_t v, unsigned bytes)
{
	img_put_bytes(m, &v, bytes);
}

void img_put_str(img_t *m, const char *s)
{
	img_put(m, strlen(s), 8);
	img_put_bytes(m, s, strlen(s));
}

void img_put_kv_str(img_t *m, const char *key, const char *value)
{
	img_put_str(m, key);
	img_put(m, NC_GGUF_TYPE_STRING, 4);
	img_put_str(m, value);
}
