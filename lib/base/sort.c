/* Heapsort (see nc/sort.h): build a max-heap in place, then move the largest
 * element to the end of the shrinking heap n - 1 times. */
#include <nc/sort.h>
#include <stdint.h>

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

/* Restore the heap order below root in v[0..n): two comparisons per level. */
static void sift_down(uint8_t *v, size_t root, size_t n, size_t sz, nc_sort_cmp_fn cmp, void *ctx)
{
	for (;;) {
		size_t child = 2 * root + 1;
		if (child >= n)
			return;
		if (child + 1 < n && cmp(v + child * sz, v + (child + 1) * sz, ctx) < 0)
			child++;
		if (cmp(v + root * sz, v + child * sz, ctx) >= 0)
			return;
		swap_bytes(v + root * sz, v + child * sz, sz);
		root = child;
	}
}

void nc_sort(void *base, size_t n, size_t elem_bytes, nc_sort_cmp_fn cmp, void *ctx)
{
	uint8_t *v = base;
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n, elem_bytes, cmp, ctx);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(v, v + end * elem_bytes, elem_bytes);
		sift_down(v, 0, end, elem_bytes, cmp, ctx);
	}
}
