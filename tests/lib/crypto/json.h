/* A small JSON reader (RFC 8259) for tests that load public vector files
 * (Wycheproof, BLAKE3). Freestanding (lib/base only), so the same reader runs
 * in the host tests and in libtests inside NexaCore; memory comes from an
 * injected allocator with the lua_Alloc contract (host: malloc, NexaCore:
 * nc_heap_realloc). Strings are unescaped to UTF-8 (\uXXXX in the BMP).
 * Numbers must be integers within int64_t (the vector files hold no others):
 * a fraction, an exponent or an overflow is a parse error. */
#ifndef NC_TEST_JSON_H
#define NC_TEST_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct json json_t;

/* new_bytes 0 frees p (returns NULL); otherwise p resized to new_bytes keeping
 * min(old, new) bytes, or NULL with p untouched. */
typedef void *(*json_alloc_fn)(void *ud, void *p, size_t old_bytes, size_t new_bytes);
typedef struct {
	json_alloc_fn fn;
	void *ud;
} json_alloc_t;

/* Parse text[0..len) as one JSON value. NULL on a syntax error, a number that
 * is not an int64_t integer, or running out of memory. alloc must outlive the
 * tree; json_free(root) releases all of it. */
json_t *json_parse(const json_alloc_t *alloc, const char *text, size_t len);
void json_free(json_t *root);

/* Member of an object (NULL if v is not an object or has no such key). */
const json_t *json_get(const json_t *v, const char *key);
/* Array length (0 if not an array) and element i. */
size_t json_len(const json_t *v);
const json_t *json_at(const json_t *v, size_t i);
/* String value (NULL if not a string); its length in bytes. */
const char *json_str(const json_t *v);
size_t json_str_len(const json_t *v);
/* Integer value (0 if not a number). */
int64_t json_int(const json_t *v);

/* Decode the hex string member key of v into a fresh block of *len_out + 1
 * bytes from alloc (free it with alloc->fn(alloc->ud, p, *len_out + 1, 0)).
 * NULL if the member is missing or not hex, or memory runs out. */
uint8_t *json_hex(const json_alloc_t *alloc, const json_t *v, const char *key, size_t *len_out);
/* True iff the array member "flags" of v contains flag. */
bool json_has_flag(const json_t *v, const char *flag);

#endif
