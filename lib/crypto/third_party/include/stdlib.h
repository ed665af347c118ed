/* Freestanding stand-in for <stdlib.h> for third-party sources (see string.h
 * here). Declarations only; lib/crypto/sodium_glue.c defines them (abort traps,
 * malloc/free use the injected allocator). */
#ifndef NC_THIRD_PARTY_STDLIB_H
#define NC_THIRD_PARTY_STDLIB_H
#include <stddef.h>
void abort(void) __attribute__((noreturn));
void *malloc(size_t n);
void free(void *p);
#endif
