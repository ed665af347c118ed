/* Byte and string primitives (see nc/mem.h). Simple loops. Copying and filling go eight bytes
 * per step (then byte by byte for the rest): the freestanding flavours are built without
 * loop-to-library-call rewriting and without vectorisation at -O2, and under an emulator (QEMU
 * TCG) a byte loop costs about eight times the instructions; a word moved through
 * __builtin_memcpy of a constant size is a plain, alignment-free load or store. */
#include <nc/mem.h>

typedef uint64_t word_t;

void *nc_mem_copy(void *dst, const void *src, size_t len_bytes)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	for (; len_bytes >= sizeof(word_t); len_bytes -= sizeof(word_t), d += sizeof(word_t), s += sizeof(word_t)) {
		word_t w;
		__builtin_memcpy(&w, s, sizeof w);
		__builtin_memcpy(d, &w, sizeof w);
	}
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
	word_t w = (word_t)(unsigned char)byte * 0x0101010101010101ull;
	for (; len_bytes >= sizeof(word_t); len_bytes -= sizeof(word_t), d += sizeof(word_t))
		__builtin_memcpy(d, &w, sizeof w);
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
