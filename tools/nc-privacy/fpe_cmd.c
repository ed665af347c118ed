/* nc-privacy fpe ff1|ff3-1 encrypt|decrypt --key HEX --tweak HEX --radix N
 * [--alphabet CHARS] TEXT. TEXT is written in an alphabet: --alphabet, or
 * by default the first N symbols of 0-9a-z (N <= 36, as Python's int() and
 * JavaScript's toString read them) or of 0-9a-zA-Z (N <= 62); for N > 62
 * it is a comma-separated list of decimal digits (0..N-1). */
#include "opts.h"
#include <nc/fpe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lower36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char mixed62[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* "12,0,65535" into d; the count, or -1. */
static long parse_list(const char *s, uint16_t *d, size_t cap)
{
	size_t n = 0;
	while (*s) {
		char *end = NULL;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s || v > 0xffff || n == cap || (*end && *end != ','))
			return -1;
		d[n++] = (uint16_t)v;
		s = *end ? end + 1 : end;
	}
	return (long)n;
}

int cmd_fpe(const opts_t *o)
{
	if (o->n_words != 4 || !o->key || !o->tweak || (!o->radix && !o->alphabet)) {
		fprintf(stderr, "nc-privacy: fpe ff1|ff3-1 encrypt|decrypt --key HEX --tweak HEX --radix N TEXT\n");
		return EXIT_USAGE;
	}
	nc_fpe_mode_t mode = !strcmp(o->words[1], "ff1") ? NC_FPE_FF1 : !strcmp(o->words[1], "ff3-1") ? NC_FPE_FF3_1 : 0;
	bool decrypt = !strcmp(o->words[2], "decrypt");
	if (!mode || (!decrypt && strcmp(o->words[2], "encrypt"))) {
		fprintf(stderr, "nc-privacy: fpe: mode ff1 or ff3-1, then encrypt or decrypt\n");
		return EXIT_USAGE;
	}
	uint8_t key[64], tweak[NC_FPE_FF1_MAX_TWEAK_BYTES];
	size_t key_len = 0, tweak_len = 0;
	if (!opts_unhex(o->key, key, sizeof key, &key_len) || !opts_unhex(o->tweak, tweak, sizeof tweak, &tweak_len)) {
		fprintf(stderr, "nc-privacy: --key and --tweak are hex\n");
		return EXIT_USAGE;
	}
	unsigned long radix = o->alphabet ? strlen(o->alphabet) : strtoul(o->radix, NULL, 10);
	if (o->alphabet && o->radix && radix != strtoul(o->radix, NULL, 10)) {
		fprintf(stderr, "nc-privacy: --radix differs from the alphabet's length\n");
		return EXIT_USAGE;
	}
	if (!o->alphabet && (radix < 2 || radix > NC_FPE_RADIX_MAX)) {
		fprintf(stderr, "nc-privacy: %s\n", nc_fpe_err_name(NC_FPE_ERR_RADIX));
		return EXIT_FAILED;
	}
	nc_fpe_t f;
	nc_fpe_err_t err = nc_fpe_init(&f, mode, key, key_len);
	const char *text = o->words[3];
	if (err == NC_FPE_OK && (o->alphabet || radix <= 62)) {
		const char *alphabet = o->alphabet ? o->alphabet : radix <= 36 ? lower36 : mixed62;
		size_t len = strlen(text);
		char *out = malloc(len + 1);
		err = (decrypt ? nc_fpe_decrypt_text : nc_fpe_encrypt_text)(&f, alphabet, radix, tweak, tweak_len, text, len,
									     out);
		if (err == NC_FPE_OK)
			printf("%.*s\n", (int)len, out);
		free(out);
	} else if (err == NC_FPE_OK) {
		static uint16_t d[NC_FPE_MAX_DIGITS];
		long n = parse_list(text, d, NC_FPE_MAX_DIGITS);
		if (n < 0) {
			fprintf(stderr, "nc-privacy: TEXT for radix %lu is a comma-separated list of digits\n", radix);
			return EXIT_USAGE;
		}
		err = (decrypt ? nc_fpe_decrypt : nc_fpe_encrypt)(&f, (uint32_t)radix, tweak, tweak_len, d, (size_t)n, d);
		for (long i = 0; err == NC_FPE_OK && i < n; i++)
			printf(i + 1 < n ? "%u," : "%u\n", d[i]);
	}
	nc_fpe_fini(&f);
	if (err != NC_FPE_OK) {
		fprintf(stderr, "nc-privacy: %s\n", nc_fpe_err_name(err));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}
