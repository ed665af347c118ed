/* Vector-file helpers shared by the host and NexaCore builds; see vectors.h. */
#include "vectors.h"
#include "nc_test.h"

void *vec_malloc(size_t len_bytes)
{
	return vec_alloc.fn(vec_alloc.ud, NULL, 0, len_bytes ? len_bytes : 1);
}

void vec_free(void *p, size_t len_bytes)
{
	if (p)
		vec_alloc.fn(vec_alloc.ud, p, len_bytes ? len_bytes : 1, 0);
}

uint8_t *vec_hex(const json_t *v, const char *key, size_t *len_out)
{
	return json_hex(&vec_alloc, v, key, len_out);
}

json_t *vec_load(const char *dir, const char *name)
{
	size_t len = 0;
	char *text = vec_read_file(dir, name, &len);
	if (!text) {
		nc_test_note("cannot read vector file %s/%s", dir, name);
		return NULL;
	}
	json_t *doc = json_parse(&vec_alloc, text, len);
	vec_free(text, len + 1);
	if (!doc)
		nc_test_note("vector file %s/%s does not parse", dir, name);
	return doc;
}
