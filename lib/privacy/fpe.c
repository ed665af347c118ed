/* The public FF1/FF3-1 entry points: key set-up and every check of SP 800-38G
 * Rev. 1's domain rules before ff1.c or ff3_1.c compute anything (validate,
 * then act). The text forms map single-byte alphabets onto numeral strings. */
#include <nc/fpe.h>
#include <nc/mem.h>
#include "privacy_internal.h"

const char *nc_fpe_err_name(nc_fpe_err_t err)
{
	switch (err) {
	case NC_FPE_OK: return "NC_FPE_OK";
	case NC_FPE_ERR_KEY: return "NC_FPE_ERR_KEY";
	case NC_FPE_ERR_RADIX: return "NC_FPE_ERR_RADIX";
	case NC_FPE_ERR_LENGTH: return "NC_FPE_ERR_LENGTH";
	case NC_FPE_ERR_TWEAK: return "NC_FPE_ERR_TWEAK";
	case NC_FPE_ERR_DIGIT: return "NC_FPE_ERR_DIGIT";
	case NC_FPE_ERR_ALPHABET: return "NC_FPE_ERR_ALPHABET";
	case NC_FPE_ERR_MODE: return "NC_FPE_ERR_MODE";
	}
	return "NC_FPE_ERR_UNKNOWN";
}

nc_fpe_err_t nc_fpe_init(nc_fpe_t *f, nc_fpe_mode_t mode, const uint8_t *key, size_t key_len)
{
	f->mode = 0;
	if (mode != NC_FPE_FF1 && mode != NC_FPE_FF3_1)
		return NC_FPE_ERR_MODE;
	if (key_len != 16 && key_len != 24 && key_len != 32)
		return NC_FPE_ERR_KEY;
	if (mode == NC_FPE_FF1) {
		privacy_aes_init(f->aes, key, key_len);
	} else {
		uint8_t rev[32];
		for (size_t i = 0; i < key_len; i++)
			rev[i] = key[key_len - 1 - i];
		privacy_aes_init(f->aes, rev, key_len);
		nc_mem_wipe(rev, sizeof rev);
	}
	f->mode = mode;
	return NC_FPE_OK;
}

void nc_fpe_fini(nc_fpe_t *f)
{
	nc_mem_wipe(f->aes, sizeof f->aes);
	f->mode = 0;
}

bool nc_fpe_domain_ok(uint32_t radix, size_t n)
{
	if (radix < 2)
		return false;
	uint64_t p = 1;
	for (size_t i = 0; i < n; i++) {
		p *= radix;
		if (p >= NC_FPE_MIN_DOMAIN)
			return true;
	}
	return false;
}

size_t nc_fpe_ff3_1_max_len(uint32_t radix)
{
	if (radix < 2 || radix > NC_FPE_RADIX_MAX)
		return 0;
	const unsigned __int128 limit = (unsigned __int128)1 << 96;
	unsigned __int128 p = 1;
	size_t k = 0;
	while (p * radix <= limit) {
		p *= radix;
		k++;
	}
	return 2 * k;
}

/* Every rule of the file comment of nc/fpe.h, in the order of the errors. */
static nc_fpe_err_t check(const nc_fpe_t *f, uint32_t radix, size_t tweak_len, const uint16_t *in, size_t n)
{
	if (f->mode != NC_FPE_FF1 && f->mode != NC_FPE_FF3_1)
		return NC_FPE_ERR_MODE;
	if (radix < 2 || radix > NC_FPE_RADIX_MAX)
		return NC_FPE_ERR_RADIX;
	size_t max = f->mode == NC_FPE_FF1 ? NC_FPE_MAX_DIGITS : nc_fpe_ff3_1_max_len(radix);
	if (n > max || !nc_fpe_domain_ok(radix, n))
		return NC_FPE_ERR_LENGTH;
	if (f->mode == NC_FPE_FF1 ? tweak_len > NC_FPE_FF1_MAX_TWEAK_BYTES : tweak_len != NC_FPE_FF3_1_TWEAK_BYTES)
		return NC_FPE_ERR_TWEAK;
	for (size_t i = 0; i < n; i++) {
		if (in[i] >= radix)
			return NC_FPE_ERR_DIGIT;
	}
	return NC_FPE_OK;
}

static nc_fpe_err_t crypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
			  const uint16_t *in, size_t n, uint16_t *out, bool decrypt)
{
	nc_fpe_err_t err = check(f, radix, tweak_len, in, n);
	if (err != NC_FPE_OK)
		return err;
	if (f->mode == NC_FPE_FF1)
		fpe_ff1_crypt(f, radix, tweak, tweak_len, in, n, out, decrypt);
	else
		fpe_ff3_1_crypt(f, radix, tweak, in, n, out, decrypt);
	return NC_FPE_OK;
}

nc_fpe_err_t nc_fpe_encrypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
			    const uint16_t *in, size_t n, uint16_t *out)
{
	return crypt(f, radix, tweak, tweak_len, in, n, out, false);
}

nc_fpe_err_t nc_fpe_decrypt(const nc_fpe_t *f, uint32_t radix, const uint8_t *tweak, size_t tweak_len,
			    const uint16_t *in, size_t n, uint16_t *out)
{
	return crypt(f, radix, tweak, tweak_len, in, n, out, true);
}

#define NO_SYMBOL 0xffffu

static nc_fpe_err_t crypt_text(const nc_fpe_t *f, const char *alphabet, size_t alphabet_len,
			       const uint8_t *tweak, size_t tweak_len, const char *in, size_t len, char *out,
			       bool decrypt)
{
	if (alphabet_len < 2 || alphabet_len > 256)
		return NC_FPE_ERR_ALPHABET;
	uint16_t index[256];
	for (size_t i = 0; i < 256; i++)
		index[i] = NO_SYMBOL;
	for (size_t i = 0; i < alphabet_len; i++) {
		uint8_t c = (uint8_t)alphabet[i];
		if (index[c] != NO_SYMBOL)
			return NC_FPE_ERR_ALPHABET;
		index[c] = (uint16_t)i;
	}
	if (len > NC_FPE_MAX_DIGITS)
		return NC_FPE_ERR_LENGTH;
	uint16_t digits[NC_FPE_MAX_DIGITS] = { 0 };
	for (size_t i = 0; i < len; i++) {
		digits[i] = index[(uint8_t)in[i]];
		if (digits[i] == NO_SYMBOL)
			return NC_FPE_ERR_ALPHABET;
	}
	nc_fpe_err_t err = crypt(f, (uint32_t)alphabet_len, tweak, tweak_len, digits, len, digits, decrypt);
	if (err == NC_FPE_OK) {
		for (size_t i = 0; i < len; i++)
			out[i] = alphabet[digits[i]];
	}
	nc_mem_wipe(digits, len * sizeof *digits);
	return err;
}

nc_fpe_err_t nc_fpe_encrypt_text(const nc_fpe_t *f, const char *alphabet, size_t alphabet_len,
				 const uint8_t *tweak, size_t tweak_len, const char *in, size_t len,
				 char *out)
{
	return crypt_text(f, alphabet, alphabet_len, tweak, tweak_len, in, len, out, false);
}

nc_fpe_err_t nc_fpe_decrypt_text(const nc_fpe_t *f, const char *alphabet, size_t alphabet_len,
				 const uint8_t *tweak, size_t tweak_len, const char *in, size_t len,
				 char *out)
{
	return crypt_text(f, alphabet, alphabet_len, tweak, tweak_len, in, len, out, true);
}
