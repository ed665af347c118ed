/* A small JSON reader for host tests that load public vector files
 * (Wycheproof, BLAKE3). Host-only (libc, malloc). Numbers are doubles;
 * strings are unescaped to UTF-8 (\uXXXX in the BMP). Errors abort the test
 * binary's load with a message: the vector files are trusted test inputs. */
#ifndef NC_TEST_JSON_HOST_H
#define NC_TEST_JSON_HOST_H

#include <stddef.h>
#include <stdint.h>

typedef struct json json_t;

/* Parse the file at path; NULL (with a message on stderr) if it cannot be read or parsed. */
json_t *json_load_file(const char *path);
void json_free(json_t *v);

/* Member of an object (NULL if v is not an object or has no such key). */
const json_t *json_get(const json_t *v, const char *key);
/* Array length (0 if not an array) and element i. */
size_t json_len(const json_t *v);
const json_t *json_at(const json_t *v, size_t i);
/* String value (NULL if not a string); its length in bytes. */
const char *json_str(const json_t *v);
size_t json_str_len(const json_t *v);
/* Number value (0 if not a number). */
double json_num(const json_t *v);

/* Decode the hex string member key of v into a fresh buffer (*len_out bytes;
 * free() it). NULL if missing or not hex. */
uint8_t *json_hex(const json_t *v, const char *key, size_t *len_out);
/* True iff the array member "flags" of v contains flag. */
int json_has_flag(const json_t *v, const char *flag);

#endif
