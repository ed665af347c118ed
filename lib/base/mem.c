/* Byte and string primitives (see nc/mem.h). Simple loops: the compiler
 * vectorises them on the host; the kernel flavour has no SSE, so they stay scalar. */
#include <nc/mem.h>

void *nc_mem_copy(void *dst, const void *src, size_t len_bytes)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	while (len_bytes--)
		*d++ = *s++;
	return dst;
}

void *nc_mem_move(void *dst, const void *src, size_t len_bytes)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	if (d == s || len_bytes == 0)
		return dst;
	if (d < s) {
		while (len_bytes--)
			*d++ = *s++;
	} else {
		while (len_bytes--)
			d[len_bytes] = s[len_bytes];
	}
	return dst;
}

void *nc_mem_set(void *dst, int byte, size_t len_bytes)
{
	unsigned char *d = dst;
	while (len_bytes--)
		*d++ = (unsigned char)byte;
	return dst;
}

int nc_mem_compare(const void *a, const void *b, size_t len_bytes)
{
	const unsigned char *x = a, *y = b;
	for (size_t i = 0; i < len_bytes; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

bool nc_mem_equal_ct(const void *a, const void *b, size_t len_bytes)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char diff = 0;
	for (size_t i = 0; i < len_bytes; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

void nc_mem_wipe(void *dst, size_t len_bytes)
{
	volatile unsigned char *d = dst;
	while (len_bytes--)
		*d++ = 0;
}

size_t nc_str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t nc_str_len_max(const char *s, size_t max_bytes)
{
	size_t n = 0;
	while (n < max_bytes && s[n])
		n++;
	return n;
}

int nc_str_compare(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

bool nc_str_starts_with(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return false;
	return true;
}
