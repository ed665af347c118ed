/* Sorting for freestanding code: an in-place heapsort (J. W. J. Williams 1964;
 * Knuth, TAOCP Vol. 3, 5.2.3 Algorithm H). Its worst case is O(n log n)
 * comparisons whatever the input, which matters when the input is hostile
 * (names in a model file); no allocation, no recursion. Reentrant. */
#ifndef NC_SORT_H
#define NC_SORT_H

#include <stddef.h>

/* <0 when *a comes before *b, 0 when they are equal, >0 after. ctx is passed
 * through unchanged. */
typedef int (*nc_sort_cmp_fn)(const void *a, const void *b, void *ctx);

/* Sort base[0..n) (elements of elem_bytes each) into ascending cmp order, in
 * place. At most 2 n log2(n) + 2 n comparisons. Not stable: give cmp a tie-break
 * (an index, say) when the order of equal elements matters. */
void nc_sort(void *base, size_t n, size_t elem_bytes, nc_sort_cmp_fn cmp, void *ctx);

#endif
