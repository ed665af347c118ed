/* Memory and string primitives for freestanding code (lib/, kernel, user).
 * Pure functions over caller memory; reentrant; no allocation.
 * In the kernel and user flavours lib/base also defines memcpy, memmove, memset
 * and memcmp, because the compiler may emit calls to them (GCC manual,
 * "Standards": a freestanding environment must provide these four). */
#ifndef NC_MEM_H
#define NC_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Copy len_bytes from src to dst; the ranges must not overlap. Returns dst. */
void *nc_mem_copy(void *dst, const void *src, size_t len_bytes);
/* Copy len_bytes from src to dst; the ranges may overlap. Returns dst. */
void *nc_mem_move(void *dst, const void *src, size_t len_bytes);
/* Fill len_bytes at dst with byte. Returns dst. */
void *nc_mem_set(void *dst, int byte, size_t len_bytes);
/* Lexicographic compare of two byte ranges: <0, 0 or >0. Not constant-time. */
int nc_mem_compare(const void *a, const void *b, size_t len_bytes);
/* True when a[0..len) == b[0..len); time depends only on len_bytes. */
bool nc_mem_equal_ct(const void *a, const void *b, size_t len_bytes);
/* Zero len_bytes at dst in a way the compiler may not elide (for secrets). */
void nc_mem_wipe(void *dst, size_t len_bytes);

/* Length of the NUL-terminated string s, in bytes. */
size_t nc_str_len(const char *s);
/* Length of s, at most max_bytes (s need not be terminated within max_bytes). */
size_t nc_str_len_max(const char *s, size_t max_bytes);
/* strcmp semantics. */
int nc_str_compare(const char *a, const char *b);
/* True when the NUL-terminated s starts with prefix. */
bool nc_str_starts_with(const char *s, const char *prefix);

#endif
