/* Freestanding stand-in for <string.h>, seen only by the third-party sources
 * (libsodium, BLAKE3) that lib/crypto/build.mk compiles for the kernel and user
 * flavours. The four functions are defined by lib/base (freestanding.c). */
#ifndef NC_THIRD_PARTY_STRING_H
#define NC_THIRD_PARTY_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/* From lib/crypto/libc_glue.c. */
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int strcmp(const char *a, const char *b);
char *strchr(const char *s, int c);
#endif
