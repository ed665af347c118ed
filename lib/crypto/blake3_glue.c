/* __popcountdi2, which GCC calls for BLAKE3's __builtin_popcountll when it may
 * not use the POPCNT instruction (the kernel may not assume it), and which the
 * kernel and user flavours have no libgcc for. Linked into libblake3_nc.a for
 * kernel and user only; strlen comes from libc_glue.c. */
int __popcountdi2(long long x);

int __popcountdi2(long long x)
{
	unsigned long long v = (unsigned long long)x;
	int n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}
