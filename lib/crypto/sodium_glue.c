/* The few libsodium runtime functions that the primitives we compile for the
 * kernel and user flavours call, written for NexaCore in place of libsodium's
 * sodium/utils.c, sodium/core.c and randombytes/ (which need an OS: mlock,
 * signals, /dev/urandom), plus malloc/free for Argon2's memory blocks, routed
 * to the allocator the caller injected. Linked into libsodium_nc.a; host builds
 * use Debian's libsodium instead and never see this file. Names are libc's and
 * libsodium's, so they escape our nc_ naming rule. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include "crypto_internal.h"

void sodium_memzero(void *pnt, size_t len);
int sodium_memcmp(const void *b1, const void *b2, size_t len);
int sodium_is_zero(const unsigned char *n, size_t nlen);
void sodium_misuse(void) __attribute__((noreturn));
void randombytes_buf(void *buf, size_t size);
void abort(void) __attribute__((noreturn));
void *malloc(size_t n);
void free(void *p);
int errno;

void *malloc(size_t n)
{
	return crypto_alloc(n);
}

void free(void *p)
{
	crypto_free(p);
}

void sodium_memzero(void *pnt, size_t len)
{
	nc_mem_wipe(pnt, len);
}

/* libsodium contract: 0 when equal, -1 otherwise, in constant time. */
int sodium_memcmp(const void *b1, const void *b2, size_t len)
{
	return nc_mem_equal_ct(b1, b2, len) ? 0 : -1;
}

/* libsodium contract: 1 when all bytes are zero, in constant time. */
int sodium_is_zero(const unsigned char *n, size_t nlen)
{
	volatile unsigned char acc = 0;
	for (size_t i = 0; i < nlen; i++)
		acc |= n[i];
	return (int)((1u & ((acc - 1u) >> 8)));
}

/* libsodium calls these only on API misuse (a length past its documented
 * maximum) or a broken internal invariant; lib/crypto checks every bound before
 * it calls in, so reaching them is a bug. They must not return. */
void sodium_misuse(void)
{
	__builtin_trap();
}

void abort(void)
{
	__builtin_trap();
}

/* Reached only from libsodium's *_keygen helpers, which lib/crypto never calls
 * (keys come from seeds the caller draws with nc_crypto_random). Still
 * correct: it uses the injected source, and traps rather than hand out
 * predictable bytes when there is none. */
void randombytes_buf(void *buf, size_t size)
{
	if (nc_crypto_random(buf, size) != NC_CRYPTO_OK)
		__builtin_trap();
}
