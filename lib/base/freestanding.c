/* The four functions GCC may call even with -ffreestanding (GCC manual,
 * "Standards"). Built only for the kernel and user flavours; the host has libc. */
#include <nc/mem.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *dst, const void *src, size_t n) { return nc_mem_copy(dst, src, n); }
void *memmove(void *dst, const void *src, size_t n) { return nc_mem_move(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return nc_mem_set(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return nc_mem_compare(a, b, n); }
