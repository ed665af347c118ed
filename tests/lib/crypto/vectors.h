/* Public test-vector files (../shared/vectors/DIR/NAME on the host, /NAME in
 * NexaCore's test initrd) for tests that run on both: the shared helpers
 * (vectors.c) over a two-function platform hook (host: vectors_host.c,
 * NexaCore: tests/user/libtests/vectors_nexacore.c). */
#ifndef NC_TEST_VECTORS_H
#define NC_TEST_VECTORS_H

#include "json.h"

/* Platform hook: the allocator the tests and the JSON reader use. */
extern const json_alloc_t vec_alloc;
/* Platform hook: the bytes of vector file NAME of set DIR ("wycheproof",
 * "blake3") in a block of *len_out + 1 bytes from vec_alloc, or NULL. */
char *vec_read_file(const char *dir, const char *name, size_t *len_out);

/* The file parsed (free with json_free); NULL, with a test note, if it cannot
 * be read or does not parse. */
json_t *vec_load(const char *dir, const char *name);
/* len_bytes from vec_alloc (at least one byte, so never NULL for 0); NULL when
 * memory runs out. vec_free takes the same length; NULL is ignored. */
void *vec_malloc(size_t len_bytes);
void vec_free(void *p, size_t len_bytes);
/* json_hex from vec_alloc: free with vec_free(p, *len_out + 1). */
uint8_t *vec_hex(const json_t *v, const char *key, size_t *len_out);

#endif
