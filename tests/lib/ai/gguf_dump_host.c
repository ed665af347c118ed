/* gguf_dump FILE: every metadata value and tensor info of a GGUF file, as
 * read by lib/ai's reader, in the canonical text form that gguf_oracle.mjs
 * prints from @huggingface/gguf's parse (the GGUF reader oracle test):
 *   version V / data_offset N
 *   kv KEY TYPE VALUE           scalars
 *   kv KEY 9 ELEMTYPE COUNT V.. arrays
 *   tensor NAME TYPE D0,D1,.. OFFSET
 * Integers in decimal, bool 0/1, floats as the hex of their IEEE bits,
 * strings as the hex of their bytes. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <nc/gguf.h>

#include "../../../tools/nc-ai/host_env.h"

static void put_hex(const char *p, uint64_t n)
{
	putchar(' ');
	if (n == 0)
		putchar('-');
	for (uint64_t i = 0; i < n; i++)
		printf("%02x", (unsigned char)p[i]);
}

/* Prints one element at *p of type t and advances *p. */
static void put_value(nc_gguf_type_t t, const uint8_t **p)
{
	if (t == NC_GGUF_TYPE_STRING) {
		nc_gguf_str_t s = nc_gguf_next_str(p);
		put_hex(s.ptr, s.len_bytes);
		return;
	}
	uint64_t n = nc_gguf_scalar_bytes(t), bits = 0;
	for (uint64_t i = 0; i < n; i++)
		bits |= (uint64_t)(*p)[i] << (8 * i);
	if (t == NC_GGUF_TYPE_FLOAT32 || t == NC_GGUF_TYPE_FLOAT64)
		printf(" %" PRIx64, bits);
	else if (t == NC_GGUF_TYPE_UINT64)
		printf(" %" PRIu64, bits);
	else if (t == NC_GGUF_TYPE_BOOL)
		printf(" %d", bits != 0);
	else
		printf(" %" PRId64, nc_gguf_value_i64(t, *p));
	*p += n;
}

int main(int argc, char **argv)
{
	const void *img;
	size_t len;
	host_alloc_state_t st = {-1, 0, 0};
	nc_ai_alloc_t a = host_alloc(&st);
	nc_gguf_file_t f;
	if (argc != 2 || !host_map_file(argv[1], &img, &len)) {
		fprintf(stderr, "usage: gguf_dump FILE\n");
		return 2;
	}
	nc_gguf_err_t e = nc_gguf_open(img, len, &a, &f);
	if (e) {
		fprintf(stderr, "gguf_dump: %s\n", nc_gguf_err_name(e));
		return 1;
	}
	printf("version %u\ndata_offset %" PRIu64 "\n", f.version, f.data_offset);
	for (uint64_t i = 0; i < f.n_kv; i++) {
		const nc_gguf_kv_t *kv = &f.kv[i];
		const uint8_t *p = kv->value;
		printf("kv %.*s %d", (int)kv->key.len_bytes, kv->key.ptr, (int)kv->type);
		if (kv->type == NC_GGUF_TYPE_ARRAY)
			printf(" %d %" PRIu64, (int)kv->elem_type, kv->n_elems);
		for (uint64_t k = 0; k < kv->n_elems; k++)
			put_value(kv->elem_type, &p);
		putchar('\n');
	}
	for (uint64_t i = 0; i < f.n_tensors; i++) {
		const nc_gguf_tensor_t *t = &f.tensors[i];
		printf("tensor %.*s %d ", (int)t->name.len_bytes, t->name.ptr, (int)t->type);
		for (uint32_t d = 0; d < t->n_dims; d++)
			printf(d ? ",%" PRIu64 : "%" PRIu64, t->ne[d]);
		printf(" %" PRIu64 "\n", t->offset);
	}
	nc_gguf_close(&f);
	host_unmap_file(img, len);
	return 0;
}
