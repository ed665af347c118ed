/* Freestanding stand-in for <stdlib.h> for third-party sources (see string.h
 * here). Declarations only: nothing we compile for kernel or user may call
 * them, which the link of lib/crypto's freestanding tests checks. */
#ifndef NC_THIRD_PARTY_STDLIB_H
#define NC_THIRD_PARTY_STDLIB_H
#include <stddef.h>
void abort(void) __attribute__((noreturn));
void *malloc(size_t n);
void free(void *p);
#endif
