/* NexaCore's one crypto API: thin wrappers over libsodium (Ed25519, X25519,
 * ChaCha20-Poly1305 IETF and XChaCha20-Poly1305, SHA-256/512, HMAC-SHA256/512,
 * Argon2id) and the official BLAKE3 C implementation, plus HKDF-SHA256
 * (RFC 5869) built on libsodium's HMAC-SHA256 because libsodium 1.0.18 has none.
 * No primitive is implemented here; docs/crypto.md says how the third-party
 * sources are built for each flavour.
 *
 * Rules for every function:
 * - Buffers are borrowed for the call only; lengths are in bytes; inputs and
 *   outputs may not overlap unless stated.
 * - Secrets (private keys, HKDF PRKs, hasher states holding keys) that pass
 *   through our own stack are wiped before return; callers wipe their own
 *   copies with nc_crypto_wipe.
 * - Comparisons of secret-dependent data are constant-time.
 * - Reentrant and thread-safe except nc_crypto_init, nc_crypto_set_random and
 *   nc_crypto_set_allocator, which run once before any other call. Nothing
 *   allocates except nc_crypto_argon2id: on the host libsodium takes its memory
 *   blocks from libc malloc, in the kernel and user flavours from the allocator
 *   the caller injected (nc_crypto_set_allocator). */
#ifndef NC_CRYPTO_H
#define NC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
	NC_CRYPTO_OK = 0,
	NC_CRYPTO_ERR_INIT,          /* the library failed to initialise */
	NC_CRYPTO_ERR_BAD_SIGNATURE, /* an Ed25519 signature does not verify */
	NC_CRYPTO_ERR_AUTH,          /* an AEAD ciphertext or tag is not authentic */
	NC_CRYPTO_ERR_WEAK_KEY,      /* X25519 with a low-order point (all-zero secret) */
	NC_CRYPTO_ERR_BAD_LENGTH,    /* a length outside the documented bounds */
	NC_CRYPTO_ERR_NO_RANDOM,     /* no randomness source (freestanding, not injected) */
	NC_CRYPTO_ERR_PARAMS,        /* Argon2id cost parameters out of range */
	NC_CRYPTO_ERR_NO_MEMORY,     /* Argon2id could not get its memory */
} nc_crypto_err_t;

/* Static name of err ("NC_CRYPTO_ERR_AUTH"); "NC_CRYPTO_ERR_UNKNOWN" otherwise. */
const char *nc_crypto_err_name(nc_crypto_err_t err);

/* ---- setup ---------------------------------------------------------------- */

/* Initialise once before any other call (host: sodium_init, which picks the
 * SIMD code paths; freestanding: nothing to do). Errors: NC_CRYPTO_ERR_INIT. */
nc_crypto_err_t nc_crypto_init(void);

/* A randomness source: fill buf[0..len_bytes) with unpredictable bytes; return
 * false if it cannot (the caller then gets NC_CRYPTO_ERR_NO_RANDOM). */
typedef bool (*nc_crypto_random_fn)(void *ctx, uint8_t *buf, size_t len_bytes);

/* Install the randomness source (the kernel's RDRAND/RDSEED-backed pool, a
 * user program's getrandom syscall). On the host, libsodium's own source is
 * used when none is installed. Not thread-safe: call once at start-up. */
void nc_crypto_set_random(nc_crypto_random_fn fn, void *ctx);

/* An allocator, as the caller provides it to freestanding code: alloc returns
 * len_bytes of 16-byte aligned memory or NULL; free takes what alloc returned. */
typedef struct {
	void *(*alloc)(void *ctx, size_t len_bytes);
	void (*free)(void *ctx, void *p);
	void *ctx;
} nc_crypto_allocator_t;

/* Install the allocator Argon2id uses in the kernel and user flavours (a copy
 * of *a is kept; NULL removes it). Unused on the host. Not thread-safe: call
 * once at start-up. */
void nc_crypto_set_allocator(const nc_crypto_allocator_t *a);

/* Fill buf[0..len_bytes) from the installed source.
 * Errors: NC_CRYPTO_ERR_NO_RANDOM (freestanding without a source, or the source failed). */
nc_crypto_err_t nc_crypto_random(uint8_t *buf, size_t len_bytes);

/* True iff a[0..len_bytes) == b[0..len_bytes); time depends on len_bytes only. */
bool nc_crypto_equal(const void *a, const void *b, size_t len_bytes);

/* Zero buf[0..len_bytes) so that the compiler cannot elide it. */
void nc_crypto_wipe(void *buf, size_t len_bytes);

/* ---- SHA-2, HMAC, HKDF (FIPS 180-4, RFC 2104, RFC 5869) ------------------ */

#define NC_CRYPTO_SHA256_BYTES 32u
#define NC_CRYPTO_SHA512_BYTES 64u
/* HKDF-SHA256 output is at most 255 blocks of SHA-256 (RFC 5869 2.3). */
#define NC_CRYPTO_HKDF_SHA256_MAX_BYTES (255u * NC_CRYPTO_SHA256_BYTES)

void nc_crypto_sha256(uint8_t out[NC_CRYPTO_SHA256_BYTES], const void *msg, size_t len_bytes);
void nc_crypto_sha512(uint8_t out[NC_CRYPTO_SHA512_BYTES], const void *msg, size_t len_bytes);

/* HMAC with a key of any length (keys longer than the block are hashed first). */
void nc_crypto_hmac_sha256(uint8_t out[NC_CRYPTO_SHA256_BYTES], const void *key, size_t key_len,
			   const void *msg, size_t len_bytes);
void nc_crypto_hmac_sha512(uint8_t out[NC_CRYPTO_SHA512_BYTES], const void *key, size_t key_len,
			   const void *msg, size_t len_bytes);

/* HKDF-Extract: prk = HMAC-SHA256(salt, ikm); an empty salt means 32 zero bytes. */
void nc_crypto_hkdf_sha256_extract(uint8_t prk[NC_CRYPTO_SHA256_BYTES], const void *salt,
				   size_t salt_len, const void *ikm, size_t ikm_len);
/* HKDF-Expand of prk into out[0..out_len). Errors: NC_CRYPTO_ERR_BAD_LENGTH when
 * out_len > NC_CRYPTO_HKDF_SHA256_MAX_BYTES (out is then left untouched). */
nc_crypto_err_t nc_crypto_hkdf_sha256_expand(uint8_t *out, size_t out_len,
					     const uint8_t prk[NC_CRYPTO_SHA256_BYTES],
					     const void *info, size_t info_len);
/* Extract then expand; the intermediate PRK is wiped. Errors: as expand. */
nc_crypto_err_t nc_crypto_hkdf_sha256(uint8_t *out, size_t out_len, const void *salt,
				      size_t salt_len, const void *ikm, size_t ikm_len,
				      const void *info, size_t info_len);

/* ---- Ed25519 (RFC 8032) ------------------------------------------------------ */

#define NC_CRYPTO_ED25519_SEED_BYTES 32u
#define NC_CRYPTO_ED25519_PUBLIC_BYTES 32u
#define NC_CRYPTO_ED25519_SECRET_BYTES 64u /* seed || public key, libsodium layout */
#define NC_CRYPTO_ED25519_SIG_BYTES 64u

/* Derive the key pair of a 32-byte seed (deterministic). */
void nc_crypto_ed25519_keypair(uint8_t pk[NC_CRYPTO_ED25519_PUBLIC_BYTES],
			       uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES],
			       const uint8_t seed[NC_CRYPTO_ED25519_SEED_BYTES]);
/* Detached signature of msg[0..len_bytes). */
void nc_crypto_ed25519_sign(uint8_t sig[NC_CRYPTO_ED25519_SIG_BYTES], const void *msg,
			    size_t len_bytes, const uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES]);
/* Verify a detached signature: libsodium's strict rules (canonical S < L,
 * canonical R and A encodings, small-order A and R rejected), cofactorless.
 * Errors: NC_CRYPTO_ERR_BAD_SIGNATURE. */
nc_crypto_err_t nc_crypto_ed25519_verify(const uint8_t sig[NC_CRYPTO_ED25519_SIG_BYTES],
					 const void *msg, size_t len_bytes,
					 const uint8_t pk[NC_CRYPTO_ED25519_PUBLIC_BYTES]);

/* ---- X25519 (RFC 7748) ------------------------------------------------------- */

#define NC_CRYPTO_X25519_BYTES 32u

/* Public key of a 32-byte secret scalar (clamped as RFC 7748 5 says). */
void nc_crypto_x25519_public(uint8_t pk[NC_CRYPTO_X25519_BYTES], const uint8_t sk[NC_CRYPTO_X25519_BYTES]);
/* Shared secret of our secret and their public u-coordinate (the top bit of
 * the last byte is ignored, RFC 7748 5). Errors: NC_CRYPTO_ERR_WEAK_KEY when the
 * result is all zero (a low-order peer key); out is then zeroed. */
nc_crypto_err_t nc_crypto_x25519(uint8_t out[NC_CRYPTO_X25519_BYTES],
				 const uint8_t sk[NC_CRYPTO_X25519_BYTES],
				 const uint8_t their_pk[NC_CRYPTO_X25519_BYTES]);

/* ---- AEAD: ChaCha20-Poly1305 (RFC 8439) and XChaCha20-Poly1305 -------------- */

#define NC_CRYPTO_AEAD_KEY_BYTES 32u
#define NC_CRYPTO_AEAD_TAG_BYTES 16u
#define NC_CRYPTO_CHACHA_NONCE_BYTES 12u  /* IETF variant */
#define NC_CRYPTO_XCHACHA_NONCE_BYTES 24u /* extended nonce, safe to pick at random */

typedef enum { NC_CRYPTO_AEAD_CHACHA20_POLY1305, NC_CRYPTO_AEAD_XCHACHA20_POLY1305 } nc_crypto_aead_t;

/* Nonce length of alg in bytes. */
size_t nc_crypto_aead_nonce_bytes(nc_crypto_aead_t alg);

/* Encrypt msg[0..len_bytes) with associated data ad[0..ad_len) into
 * out[0..len_bytes) followed by the 16-byte tag (out needs len_bytes + 16).
 * out may equal msg (in place). Errors: NC_CRYPTO_ERR_BAD_LENGTH when nonce_len is
 * not nc_crypto_aead_nonce_bytes(alg) or len_bytes exceeds the algorithm's limit. */
nc_crypto_err_t nc_crypto_aead_encrypt(nc_crypto_aead_t alg, uint8_t *out, const uint8_t *msg,
				       size_t len_bytes, const void *ad, size_t ad_len,
				       const uint8_t *nonce, size_t nonce_len,
				       const uint8_t key[NC_CRYPTO_AEAD_KEY_BYTES]);
/* Check the tag and decrypt ct[0..ct_len) (ciphertext || tag) into
 * out[0..ct_len - 16). out may equal ct. Errors: NC_CRYPTO_ERR_BAD_LENGTH (nonce
 * length, or ct_len < 16), NC_CRYPTO_ERR_AUTH (not authentic: out is zeroed). */
nc_crypto_err_t nc_crypto_aead_decrypt(nc_crypto_aead_t alg, uint8_t *out, const uint8_t *ct,
				       size_t ct_len, const void *ad, size_t ad_len,
				       const uint8_t *nonce, size_t nonce_len,
				       const uint8_t key[NC_CRYPTO_AEAD_KEY_BYTES]);

/* ---- BLAKE3 (official C implementation) ------------------------------------- */

#define NC_CRYPTO_BLAKE3_BYTES 32u     /* default output */
#define NC_CRYPTO_BLAKE3_KEY_BYTES 32u
#define NC_CRYPTO_BLAKE3_STATE_BYTES 1920u /* >= sizeof(blake3_hasher), checked at build */

/* Incremental hasher; caller-owned memory, no _fini needed except nc_crypto_wipe
 * for keyed states. */
typedef struct {
	_Alignas(8) uint8_t opaque[NC_CRYPTO_BLAKE3_STATE_BYTES];
} nc_crypto_blake3_t;

void nc_crypto_blake3_init(nc_crypto_blake3_t *h);
void nc_crypto_blake3_init_keyed(nc_crypto_blake3_t *h, const uint8_t key[NC_CRYPTO_BLAKE3_KEY_BYTES]);
/* Key derivation mode with a context string of context_len bytes (should be a
 * hard-coded, globally unique, application-specific string). */
void nc_crypto_blake3_init_derive_key(nc_crypto_blake3_t *h, const char *context, size_t context_len);
void nc_crypto_blake3_update(nc_crypto_blake3_t *h, const void *data, size_t len_bytes);
/* Extendable output: out[0..out_len) starting at output byte offset seek. The
 * state is not consumed; more input may follow. */
void nc_crypto_blake3_finalize(const nc_crypto_blake3_t *h, uint64_t seek, uint8_t *out, size_t out_len);
/* One-shot hash of data into out[0..out_len). */
void nc_crypto_blake3(uint8_t *out, size_t out_len, const void *data, size_t len_bytes);

/* ---- Argon2id (RFC 9106) --------------------------------------------------- */

#define NC_CRYPTO_ARGON2_MIN_SALT_BYTES 8u
#define NC_CRYPTO_ARGON2_MIN_OUT_BYTES 16u /* libsodium's bound (RFC 9106 allows 4) */

typedef struct {
	const void *password;
	size_t password_len;
	const void *salt; /* at least NC_CRYPTO_ARGON2_MIN_SALT_BYTES */
	size_t salt_len;
	const void *secret; /* optional key K (RFC 9106 3.1), NULL when secret_len is 0 */
	size_t secret_len;
	const void *ad; /* optional associated data X, NULL when ad_len is 0 */
	size_t ad_len;
	uint32_t passes;     /* t >= 1 */
	uint32_t memory_kib; /* m >= 8 * lanes */
	uint32_t lanes;      /* p >= 1, computed one after another (no threads) */
} nc_crypto_argon2id_params_t;

/* Argon2id version 0x13 tag of out_len bytes; needs about memory_kib KiB of
 * memory (see nc_crypto_set_allocator). Errors: NC_CRYPTO_ERR_PARAMS (any length
 * or cost out of RFC 9106 bounds), NC_CRYPTO_ERR_NO_MEMORY (the allocation
 * failed, or no allocator was injected in a freestanding flavour). */
nc_crypto_err_t nc_crypto_argon2id(uint8_t *out, size_t out_len, const nc_crypto_argon2id_params_t *p);

#endif
