/* The two runtime functions the official BLAKE3 C code needs that the kernel
 * and user flavours have no libc or libgcc for: strlen (blake3.c's
 * derive-key helper) and __popcountdi2 (GCC's call for __builtin_popcountll
 * without the POPCNT instruction, which the kernel may not assume). Linked into
 * libblake3_nc.a for kernel and user only. */
#include <nc/mem.h>
#include <stddef.h>

size_t strlen(const char *s);
int __popcountdi2(long long x);

size_t strlen(const char *s)
{
	return nc_str_len(s);
}

int __popcountdi2(long long x)
{
	unsigned long long v = (unsigned long long)x;
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}
