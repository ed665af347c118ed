/* Format-preserving encryption: FF1 and FF3-1 of NIST SP 800-38G Rev. 1, over
 * AES-128/192/256 (BearSSL's constant-time aes_ct64, docs/privacy.md).
 *
 * A numeral string is an array of n digits, each in 0..radix-1, most
 * significant first (SP 800-38G 4.5: NUM_radix). Encryption maps it to
 * another numeral string of the same radix and length; decryption inverts it.
 *
 * Domain rules (Rev. 1, 5.2):
 *   radix        2..NC_FPE_RADIX_MAX (2^16)
 *   length n     radix^n >= NC_FPE_MIN_DOMAIN (1,000,000), so n >= 2;
 *                FF1: n <= NC_FPE_MAX_DIGITS (our maxlen; the standard
 *                allows up to 2^32); FF3-1: n <= 2 * floor(log_radix(2^96)).
 *   tweak        FF1: 0..NC_FPE_FF1_MAX_TWEAK_BYTES bytes (our maxTlen);
 *                FF3-1: exactly 7 bytes (56 bits).
 * Everything is checked before anything is computed or written.
 *
 * Timing: the AES is constant-time; the numeral arithmetic runs loops whose
 * counts depend only on radix and n, but uses the CPU's divide instruction
 * on digit values, as every FF1 implementation we know does.
 *
 * A nc_fpe_t is caller-owned memory; nothing allocates. After init it is
 * read-only, so one key may be used from several threads at once. */
#ifndef NC_FPE_H
#define NC_FPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_FPE_RADIX_MAX 65536u
#define NC_FPE_MIN_DOMAIN 1000000u
#define NC_FPE_MAX_DIGITS 1024u
#define NC_FPE_FF1_MAX_TWEAK_BYTES 256u
#define NC_FPE_FF3_1_TWEAK_BYTES 7u
/* >= sizeof(BearSSL's br_aes_ct64_cbcenc_keys), checked at build time. */
#define NC_FPE_AES_STATE_BYTES 256u

typedef enum {
	NC_FPE_OK = 0,
	NC_FPE_ERR_KEY,      /* key length not 16, 24 or 32 bytes */
	NC_FPE_ERR_RADIX,    /* radix outside 2..2^16 */
	NC_FPE_ERR_LENGTH,   /* n outside the domain rules above */
	NC_FPE_ERR_TWEAK,    /* tweak length not allowed for the mode */
	NC_FPE_ERR_DIGIT,    /* a digit >= radix */
	NC_FPE_ERR_ALPHABET, /* string form: a symbol not in the alphabet, or a bad alphabet */
	NC_FPE_ERR_MODE,     /* not NC_FPE_FF1 or NC_FPE_FF3_1, or an uninitialised key */
} nc_fpe_err_t;

/* Static name of err ("NC_FPE_ERR_DIGIT"); "NC_FPE_ERR_UNKNOWN" otherwise. */
const char *nc_fpe_err_name(nc_fpe_err_t err);

typedef enum { NC_FPE_FF1 = 1, NC_FPE_FF3_1 = 2 } nc_fpe_mode_t;

typedef struct {
	_Alignas(8) uint8_t aes[NC_FPE_AES_STATE_BYTES]; /* expanded AES key (secret) */
	nc_fpe_mode_t mode;
} nc_fpe_t;

/* Expand key[0..key_len) for mode (FF3-1 uses the byte-reversed key, Rev. 1
 * 5.2 Algorithm 9 step 3's REVB(K)). Errors: NC_FPE_ERR_KEY, NC_FPE_ERR_MODE
 * (f is then unusable). */
nc_fpe_err_t nc_fpe_init(nc_fpe_t *f, nc_fpe_mode_t mode, const uint8_t *key, size_t key_len);
/* Wipe the expanded key; f is unusable until the next init. */
void nc_fpe_fini(nc_fpe_t *f);

/* Encrypt (or decrypt) the numeral string in[0..n) into out[0..n) under the
 * tweak. out may equal in. Errors (nothing written): NC_FPE_ERR_MODE,
 * NC_FPE_ERR_RADIX, NC_FPE_ERR_LENGTH, NC_FPE_ERR_TWEAK, NC_FPE_ERR_DIGIT. */
nc_fpe_err_t nc_fpe_encrypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
			    const uint16_t *in, size_t n, uint16_t *out);
nc_fpe_err_t nc_fpe_decrypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
			    const uint16_t *in, size_t n, uint16_t *out);

/* The same over text in an alphabet of single-byte symbols: radix is
 * alphabet_len (2..256, the symbols distinct), digit i is alphabet[i].
 * in[0..len) -> out[0..len) (out may equal in; no NUL is added). Errors: as
 * above, and NC_FPE_ERR_ALPHABET (repeated symbols, or a byte of in that is
 * not a symbol). */
nc_fpe_err_t nc_fpe_encrypt_text(const nc_fpe_t *f, const char *alphabet, size_t alphabet_len,
				 const uint8_t *tweak, size_t tweak_len, const char *in, size_t len,
				 char *out);
nc_fpe_err_t nc_fpe_decrypt_text(const nc_fpe_t *f, const char *alphabet, size_t alphabet_len,
				 const uint8_t *tweak, size_t tweak_len, const char *in, size_t len,
				 char *out);

/* True iff radix^n >= NC_FPE_MIN_DOMAIN (exact integer arithmetic). */
bool nc_fpe_domain_ok(uint32_t radix, size_t n);
/* FF3-1's maxlen for radix: 2 * floor(log_radix(2^96)); 0 for a bad radix. */
size_t nc_fpe_ff3_1_max_len(uint32_t radix);

#endif
