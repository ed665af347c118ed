/* A growable GGUF image for host tests that write files byte by byte
 * (GGUF v3, little-endian as x86-64 stores it: ggml docs/gguf.md). On
 * allocation failure the test aborts: these are test inputs, not code under test. */
#ifndef NC_TEST_GGUF_IMG_HOST_H
#define NC_TEST_GGUF_IMG_HOST_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint8_t *b;
	size_t n, cap;
} img_t;

void img_put_bytes(img_t *m, const void *p, size_t n);
/* The low `bytes` bytes of v. */
void img_put(img_t *m, uint64_t v, unsigned bytes);
/* A GGUF string: u64 length, then the bytes (no terminator). */
void img_put_str(img_t *m, const char *s);
/* A key with a string value. */
void img_put_kv_str(img_t *m, const char *key, const char *value);

#endif
