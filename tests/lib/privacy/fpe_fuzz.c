/* libFuzzer target for the FPE input checks: mode, radix, key, tweak and
 * numeral string all come from the input, so every check of SP 800-38G
 * Rev. 1's domain rules is reached with hostile values. A call may refuse;
 * none may crash, and whatever encrypts must decrypt back. The text forms
 * get the same input with an alphabet taken from it. */
#include <nc/fpe.h>
#include <nc/mem.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Header: mode (1), radix (3, big-endian), key length (1), tweak length (1). */
	if (size < 6)
		return 0;
	nc_fpe_mode_t mode = (nc_fpe_mode_t)(data[0] & 3);
	uint32_t radix = (uint32_t)data[1] << 16 | (uint32_t)data[2] << 8 | data[3];
	size_t key_len = data[4] % 40, tweak_len = data[5];
	const uint8_t *p = data + 6;
	size_t left = size - 6;
	if (left < key_len + tweak_len)
		return 0;
	const uint8_t *key = p, *tweak = p + key_len;
	p += key_len + tweak_len;
	left -= key_len + tweak_len;
	static uint16_t in[NC_FPE_MAX_DIGITS + 8], enc[NC_FPE_MAX_DIGITS + 8], dec[NC_FPE_MAX_DIGITS + 8];
	size_t n = left / 2 > NC_FPE_MAX_DIGITS + 8 ? NC_FPE_MAX_DIGITS + 8 : left / 2;
	for (size_t i = 0; i < n; i++)
		in[i] = (uint16_t)(p[2 * i] << 8 | p[2 * i + 1]);
	nc_fpe_t f;
	if (nc_fpe_init(&f, mode, key, key_len) != NC_FPE_OK)
		return 0;
	if (nc_fpe_encrypt(&f, radix, tweak, tweak_len, in, n, enc) == NC_FPE_OK) {
		if (nc_fpe_decrypt(&f, radix, tweak, tweak_len, enc, n, dec) != NC_FPE_OK ||
		    nc_mem_compare(dec, in, n * sizeof *in) != 0)
			abort();
	}
	/* Text form: the first (radix mod 64) input bytes are the alphabet. */
	size_t alen = radix % 64 < left ? radix % 64 : left;
	static char out[NC_FPE_MAX_DIGITS + 8], back[NC_FPE_MAX_DIGITS + 8];
	const char *alphabet = (const char *)p, *text = (const char *)p + alen;
	size_t tlen = left - alen > NC_FPE_MAX_DIGITS + 8 ? NC_FPE_MAX_DIGITS + 8 : left - alen;
	if (nc_fpe_encrypt_text(&f, alphabet, alen, tweak, tweak_len, text, tlen, out) == NC_FPE_OK) {
		if (nc_fpe_decrypt_text(&f, alphabet, alen, tweak, tweak_len, out, tlen, back) != NC_FPE_OK ||
		    nc_mem_compare(back, text, tlen) != 0)
			abort();
	}
	nc_fpe_fini(&f);
	return 0;
}
