/* See fuzz_alloc.h. */
#include <stdlib.h>

#include "fuzz_alloc.h"

static void *fz_alloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	if (size > ((size_t)1 << 28))
		return NULL;
	return aligned_alloc(align < sizeof(void *) ? sizeof(void *) : align,
	                     (size + align - 1) / align * align + (size ? 0 : align));
}

static void fz_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

const nc_ai_alloc_t ai_fuzz_alloc = {NULL, fz_alloc, fz_free};
