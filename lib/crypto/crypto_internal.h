/* Shared inside lib/crypto only (crypto.c and the freestanding glue). */
#ifndef NC_CRYPTO_INTERNAL_H
#define NC_CRYPTO_INTERNAL_H

#include <stddef.h>

/* Through the injected allocator; NULL when there is none or it fails. */
void *crypto_alloc(size_t len_bytes);
/* Give back what crypto_alloc returned (NULL is ignored). */
void crypto_free(void *p);

#endif
