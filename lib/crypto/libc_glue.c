/* The libc string functions that the third-party code we compile for the
 * kernel and user flavours calls (BLAKE3: strlen; libsodium's Argon2 encoding
 * and base64 codec: strlen, strncmp, strchr; lwIP for the network service:
 * strlen, strcmp, strncmp). One object, put in libsodium_nc.a, libblake3_nc.a
 * and liblwip_nc.a: a linker takes a member only for an
 * undefined symbol, so the second copy is never pulled in. */
#include <nc/mem.h>
#include <stddef.h>

size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
int strcmp(const char *a, const char *b);
char *strchr(const char *s, int c);

size_t strlen(const char *s)
{
	return nc_str_len(s);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y)
			return x < y ? -1 : 1;
		if (x == 0)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (*s == '\0')
			return NULL;
	}
}
