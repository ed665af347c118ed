/* Shared inside lib/privacy only: the AES block operations over BearSSL
 * (aes.c), the numeral-string arithmetic of SP 800-38G (fpe_num.c) and the
 * unchecked FF1/FF3-1 cores (ff1.c, ff3_1.c) that fpe.c calls after its checks. */
#ifndef NC_PRIVACY_INTERNAL_H
#define NC_PRIVACY_INTERNAL_H

#include <nc/fpe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRIVACY_AES_BLOCK 16u

/* ---- aes.c: AES (BearSSL aes_ct64) over NC_FPE_AES_STATE_BYTES of state ---- */

/* Expand key[0..key_len) (16, 24 or 32 bytes: the caller checked) into state. */
void privacy_aes_init(uint8_t state[NC_FPE_AES_STATE_BYTES], const uint8_t *key, size_t key_len);
/* block = AES_K(block): SP 800-38G's CIPH_K. */
void privacy_aes_block(const uint8_t state[NC_FPE_AES_STATE_BYTES], uint8_t block[PRIVACY_AES_BLOCK]);
/* CBC-MAC of data[0..len) (len a multiple of 16) with a zero IV into
 * mac[16]: SP 800-38G 4.3 PRF (Algorithm 6). data is overwritten. */
void privacy_aes_cbc_mac(const uint8_t state[NC_FPE_AES_STATE_BYTES], uint8_t *data, size_t len,
			 uint8_t mac[PRIVACY_AES_BLOCK]);

/* AES-256-GCM (SP 800-38D) with a 12-byte IV over BearSSL's br_gcm (aes_ct64
 * CTR, constant-time ghash_ctmul64), for Noise's AESGCM. seal encrypts
 * data[0..len) in place and writes the tag; open checks the tag and decrypts
 * in place, returning false (data zeroed) when it does not match. */
void privacy_aes_gcm_seal(const uint8_t key[32], const uint8_t iv[12], const uint8_t *ad, size_t ad_len,
			  uint8_t *data, size_t len, uint8_t tag[PRIVACY_AES_BLOCK]);
bool privacy_aes_gcm_open(const uint8_t key[32], const uint8_t iv[12], const uint8_t *ad, size_t ad_len,
			  uint8_t *data, size_t len, const uint8_t tag[PRIVACY_AES_BLOCK]);

/* ---- fpe_num.c: numeral strings (SP 800-38G 4.5) ------------------------- */

/* Most bytes a numeral string of NC_FPE_MAX_DIGITS / 2 + 1 digits needs. */
#define FPE_NUM_MAX_BYTES (NC_FPE_MAX_DIGITS + 8u)

/* out[0..out_len) = NUM_radix(x[0..m)) as a big-endian integer, mod 256^out_len. */
void fpe_num_to_bytes(const uint16_t *x, size_t m, uint32_t radix, uint8_t *out, size_t out_len);
/* x[0..m) = STR^m_radix((NUM_radix(x) + NUM(y)) mod radix^m), or minus NUM(y)
 * when subtract; y[0..y_len) is big-endian, y_len <= FPE_NUM_MAX_BYTES + 16. */
void fpe_num_add_bytes(uint16_t *x, size_t m, uint32_t radix, const uint8_t *y, size_t y_len,
		       bool subtract);
/* ceil(ceil(v * log2(radix)) / 8): the bytes of radix^v - 1 (FF1 step 3), exact. */
size_t fpe_num_bytes_for(uint32_t radix, size_t v);
/* Exchange the Feistel halves (pointers and lengths) after a round. */
void fpe_num_swap(uint16_t **a, size_t *la, uint16_t **b, size_t *lb);
/* Reverse x[0..m) in place (REV of SP 800-38G 4.5). */
void fpe_num_reverse(uint16_t *x, size_t m);

/* ---- the ciphers, without the checks of fpe.c ------------------------------ */

/* FF1 (Algorithm 7 / 8) of in[0..n) into out[0..n) (may alias). Requires a
 * valid radix, 2 <= n <= NC_FPE_MAX_DIGITS, tweak_len <=
 * NC_FPE_FF1_MAX_TWEAK_BYTES and digits < radix; the radix^n >= 10^6 rule is
 * NOT checked here (the Wycheproof test uses that to run Rev. 0 vectors). */
void fpe_ff1_crypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
		   const uint16_t *in, size_t n, uint16_t *out, bool decrypt);
/* FF3-1 (Algorithm 9 / 10), same contract with a 7-byte tweak and n <=
 * nc_fpe_ff3_1_max_len(radix). */
void fpe_ff3_1_crypt(const nc_fpe_t *f, uint32_t radix, const uint8_t tweak[NC_FPE_FF3_1_TWEAK_BYTES],
		     const uint16_t *in, size_t n, uint16_t *out, bool decrypt);

#endif
