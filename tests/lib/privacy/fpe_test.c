/* lib/privacy FF1 and FF3-1, freestanding-clean (also run inside NexaCore by
 * libtests, against the user-flavour build):
 *  - the FF1 samples of SP 800-38G (NIST's "FF1samples", AES-128/192/256);
 *  - FF3-1 examples from NIST's ACVP server (ACVP-AES-FF3-1-1.0,
 *    internalProjection.json: radix 10, 26 and 64, AES-128/192/256, 56-bit
 *    tweaks, including the maximum length 56 for radix 10);
 *  - the domain rules, every error path, and the permutation property.
 * fpe_wycheproof_host_test.c runs the Wycheproof files, ff3_oracle_host_test.c
 * compares with npm's ff3. */
#include "nc_test.h"
#include <nc/fpe.h>
#include <nc/mem.h>
#include "../../../lib/privacy/privacy_internal.h"

static bool same_digits(const uint16_t *a, const uint16_t *b, size_t n)
{
	return n == 0 || nc_mem_compare(a, b, n * sizeof *a) == 0;
}

/* ---- fixed examples --------------------------------------------------------- */

typedef struct {
	nc_fpe_mode_t mode;
	const char *alphabet;
	const char *key, *tweak, *pt, *ct;
} example_t;

#define DEC "0123456789"
#define LOW "abcdefghijklmnopqrstuvwxyz"
#define B36 DEC LOW
#define B64 "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz+/"

static const example_t examples[] = {
	/* SP 800-38G FF1 samples 1-3 (AES-128), 4 and 7 (AES-192, AES-256). */
	{ NC_FPE_FF1, DEC, "2B7E151628AED2A6ABF7158809CF4F3C", "", "0123456789", "2433477484" },
	{ NC_FPE_FF1, DEC, "2B7E151628AED2A6ABF7158809CF4F3C", "39383736353433323130", "0123456789",
	  "6124200773" },
	{ NC_FPE_FF1, B36, "2B7E151628AED2A6ABF7158809CF4F3C", "3737373770717273373737",
	  "0123456789abcdefghi", "a9tv40mll9kdu509eum" },
	{ NC_FPE_FF1, DEC, "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F", "", "0123456789", "2830668132" },
	{ NC_FPE_FF1, DEC, "2B7E151628AED2A6ABF7158809CF4F3CEF4359D8D580AA4F7F036D6F04FC6A94", "",
	  "0123456789", "6657667009" },
	/* ACVP-AES-FF3-1-1.0 tcId 1, 2, 26, 51 (AES-128), 87, 101, 127 (AES-192),
	 * 151, 177, 202 (AES-256). */
	{ NC_FPE_FF3_1, DEC, "AD41EC5D2356DEAE53AE76F50B4BA6D2", "CF29DA1E18D970", "6520935496", "4716569208" },
	{ NC_FPE_FF3_1, DEC, "3C0ABB8C4D50528320ED6EF4F536371C", "2E0B7EE01C1370",
	  "37411281822299620587806308530316674537844784195073078382",
	  "45217408528208365340847148215470453887037524494034613315" },
	{ NC_FPE_FF3_1, LOW, "F078DB4C3105463E559623AB7C2EA29F", "1A3FD500D121E9", "aquxxnfnhq", "lkjcjcnohf" },
	{ NC_FPE_FF3_1, B64, "F25F9847BFCE672767C28F75E0C22663", "02E98B70FCADF3", "oUpPhk2jm9", "khz4xTwSnT" },
	{ NC_FPE_FF3_1, DEC, "E1366CA9BE614E0BA68D0BE9500654F41E3B11AB3D90DE05", "7C02D7B7DE234C",
	  "69069069524656", "95812286213108" },
	{ NC_FPE_FF3_1, LOW, "ABF2609099D17A8D9CE7340B9D37718FEB116FBA0F995062", "965E3665A67363", "xnpkaymwxj",
	  "odzyjsjldd" },
	{ NC_FPE_FF3_1, B64, "772BAA324E29E507974B5D80AC6E8FFEFA90FDE07A1AE58D", "950E5C5B8C5CE8",
	  "uV0Ee4jfKK7BiiUzG5ugur0krrNW", "qUULPxC59p30OcfK+GEWLPY9duOj" },
	{ NC_FPE_FF3_1, DEC, "4567672BCE43B94922338FA16B421FCF81AAE0F202DA5BCD4C8EFD869097DC17", "92430092126DAA",
	  "3588314239", "6999297766" },
	{ NC_FPE_FF3_1, LOW, "B97E6C8186994CD64BDF0C25C0E604BA6EF2EB879ED7A46F1EB3338D3D736C0C", "1F09517BDB6E5F",
	  "zixxzizwdrrhvbifuplrdwfrptpgfpouykavxjsf", "bwisehvdebxalonsaoykdvuxtouzoliqkagzznpm" },
	{ NC_FPE_FF3_1, B64, "9407408FD87C0AD608344A9010610E2D422FB305CC4F4FA8B73B5C7F6050B5CA", "5A721F469ED493",
	  "Fym7pxazebhQK7atlVi/LRGRex2h", "iAcK0GAFbi1wbqbLmvgn8gagv2Jo" },
};

static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = nc_str_len(s) / 2;
	for (size_t i = 0; i < n && i < cap; i++) {
		uint8_t v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[2 * i + (size_t)k];
			v = (uint8_t)(v << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10));
		}
		out[i] = v;
	}
	return n;
}

NC_TEST(fpe, nist_examples_ff1_and_ff3_1)
{
	for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
		const example_t *e = &examples[i];
		uint8_t key[32], tweak[32];
		size_t key_len = unhex(e->key, key, sizeof key), tweak_len = unhex(e->tweak, tweak, sizeof tweak);
		size_t n = nc_str_len(e->pt), alen = nc_str_len(e->alphabet);
		char out[64] = { 0 }, back[64] = { 0 };
		nc_fpe_t f;
		NC_CHECK_EQ(nc_fpe_init(&f, e->mode, key, key_len), NC_FPE_OK);
		NC_CHECK_EQ(nc_fpe_encrypt_text(&f, e->alphabet, alen, tweak, tweak_len, e->pt, n, out), NC_FPE_OK);
		NC_CHECK_STR(out, e->ct);
		NC_CHECK_EQ(nc_fpe_decrypt_text(&f, e->alphabet, alen, tweak, tweak_len, out, n, back), NC_FPE_OK);
		NC_CHECK_STR(back, e->pt);
		nc_fpe_fini(&f);
	}
}

/* ---- domain rules and errors ---------------------------------------------- */

NC_TEST(fpe, domain_rules_rev1)
{
	/* radix^n >= 10^6: 10^6 yes, 10^5 no; 2^20 yes, 2^19 no; 1000^2 yes, 999^2 no. */
	NC_CHECK(nc_fpe_domain_ok(10, 6) && !nc_fpe_domain_ok(10, 5));
	NC_CHECK(nc_fpe_domain_ok(2, 20) && !nc_fpe_domain_ok(2, 19));
	NC_CHECK(nc_fpe_domain_ok(1000, 2) && !nc_fpe_domain_ok(999, 2));
	NC_CHECK(nc_fpe_domain_ok(65536, 2) && !nc_fpe_domain_ok(65536, 1));
	NC_CHECK(!nc_fpe_domain_ok(1, 1000) && !nc_fpe_domain_ok(0, 10));
	/* FF3-1 maxlen = 2 floor(log_radix 2^96): 10 -> 56, 26 -> 40, 36 -> 36,
	 * 2 -> 192, 16 -> 48 (exactly 2^96), 64 -> 32, 65536 -> 12. */
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(10), 56);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(26), 40);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(36), 36);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(2), 192);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(16), 48);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(64), 32);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(65536), 12);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(1), 0);
	NC_CHECK_EQ(nc_fpe_ff3_1_max_len(65537), 0);
	/* b of FF1 step 3 against hand values: 10^5 - 1 needs 3 bytes, 2^16 - 1
	 * two, 2^17 - 1 three, 65536^4 - 1 eight, 256^1 - 1 one. */
	NC_CHECK_EQ(fpe_num_bytes_for(10, 5), 3);
	NC_CHECK_EQ(fpe_num_bytes_for(2, 16), 2);
	NC_CHECK_EQ(fpe_num_bytes_for(2, 17), 3);
	NC_CHECK_EQ(fpe_num_bytes_for(65536, 4), 8);
	NC_CHECK_EQ(fpe_num_bytes_for(256, 1), 1);
}

NC_TEST(fpe, errors_checked_before_anything_is_written)
{
	static const uint8_t key[16] = { 1, 2, 3 };
	static const uint8_t tweak[8] = { 9 };
	uint16_t in[NC_FPE_MAX_DIGITS + 1] = { 0 }, out[NC_FPE_MAX_DIGITS + 1];
	nc_fpe_t ff1, ff3;
	NC_CHECK_EQ(nc_fpe_init(&ff1, NC_FPE_FF1, key, 15), NC_FPE_ERR_KEY);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 10, tweak, 0, in, 6, out), NC_FPE_ERR_MODE);
	NC_CHECK_EQ(nc_fpe_init(&ff1, (nc_fpe_mode_t)7, key, 16), NC_FPE_ERR_MODE);
	NC_CHECK_EQ(nc_fpe_init(&ff1, NC_FPE_FF1, key, 16), NC_FPE_OK);
	NC_CHECK_EQ(nc_fpe_init(&ff3, NC_FPE_FF3_1, key, 16), NC_FPE_OK);
	nc_mem_set(out, 0x5a, sizeof out);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 1, tweak, 0, in, 6, out), NC_FPE_ERR_RADIX);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 65537, tweak, 0, in, 6, out), NC_FPE_ERR_RADIX);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 10, tweak, 0, in, 5, out), NC_FPE_ERR_LENGTH);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 10, tweak, 0, in, NC_FPE_MAX_DIGITS + 1, out), NC_FPE_ERR_LENGTH);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 10, tweak, NC_FPE_FF1_MAX_TWEAK_BYTES + 1, in, 6, out), NC_FPE_ERR_TWEAK);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff3, 10, tweak, 8, in, 6, out), NC_FPE_ERR_TWEAK);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff3, 10, tweak, 7, in, 57, out), NC_FPE_ERR_LENGTH);
	in[3] = 10;
	NC_CHECK_EQ(nc_fpe_decrypt(&ff1, 10, tweak, 0, in, 6, out), NC_FPE_ERR_DIGIT);
	NC_CHECK_EQ(out[0], 0x5a5a); /* nothing was written by any refused call */
	in[3] = 0;
	char text[8] = { 0 };
	NC_CHECK_EQ(nc_fpe_encrypt_text(&ff1, "0123456789", 10, tweak, 0, "12345x", 6, text), NC_FPE_ERR_ALPHABET);
	NC_CHECK_EQ(nc_fpe_encrypt_text(&ff1, "0113456789", 10, tweak, 0, "123456", 6, text), NC_FPE_ERR_ALPHABET);
	NC_CHECK_EQ(nc_fpe_encrypt_text(&ff1, "0", 1, tweak, 0, "000000", 6, text), NC_FPE_ERR_ALPHABET);
	NC_CHECK_EQ(text[0], 0);
	nc_fpe_fini(&ff1);
	NC_CHECK_EQ(nc_fpe_encrypt(&ff1, 10, tweak, 0, in, 6, out), NC_FPE_ERR_MODE);
	NC_CHECK_STR(nc_fpe_err_name(NC_FPE_ERR_DIGIT), "NC_FPE_ERR_DIGIT");
	NC_CHECK_STR(nc_fpe_err_name((nc_fpe_err_t)99), "NC_FPE_ERR_UNKNOWN");
}

/* Both modes are permutations: 300 distinct radix-10 inputs of the minimum
 * length 6 map to distinct outputs that decrypt back; the longest strings
 * round-trip, also in place: FF1 at NC_FPE_MAX_DIGITS in radix 2 (cheap
 * arithmetic, so the test stays fast inside NexaCore under TCG) and 64
 * digits of radix 2^16, FF3-1 at its maximum for radix 2^16. */
static void round_trip(const nc_fpe_t *f, uint32_t radix, size_t n)
{
	static const uint8_t tweak[7] = { 1, 2, 3, 4, 5, 6, 7 };
	static uint16_t big[NC_FPE_MAX_DIGITS], enc[NC_FPE_MAX_DIGITS], dec[NC_FPE_MAX_DIGITS];
	for (size_t i = 0; i < n; i++)
		big[i] = (uint16_t)((i * 40503u + (radix - 1) * (i & 1)) % radix);
	NC_CHECK_EQ(nc_fpe_encrypt(f, radix, tweak, 7, big, n, enc), NC_FPE_OK);
	NC_CHECK(!same_digits(big, enc, n));
	NC_CHECK_EQ(nc_fpe_decrypt(f, radix, tweak, 7, enc, n, dec), NC_FPE_OK);
	NC_CHECK(same_digits(big, dec, n));
	NC_CHECK_EQ(nc_fpe_encrypt(f, radix, tweak, 7, dec, n, dec), NC_FPE_OK);
	NC_CHECK(same_digits(dec, enc, n));
}

NC_TEST(fpe, permutation_and_round_trip)
{
	static const uint8_t key[32] = { 7, 7, 7 };
	static const uint8_t tweak[7] = { 1, 2, 3, 4, 5, 6, 7 };
	for (int m = NC_FPE_FF1; m <= NC_FPE_FF3_1; m++) {
		nc_fpe_t f;
		NC_CHECK_EQ(nc_fpe_init(&f, (nc_fpe_mode_t)m, key, 32), NC_FPE_OK);
		static uint8_t seen[1000000 / 8];
		nc_mem_set(seen, 0, sizeof seen);
		for (uint32_t v = 0; v < 300; v++) {
			uint16_t x[6], y[6], z[6];
			uint32_t w = v * 3331u;
			for (int i = 5; i >= 0; i--, w /= 10)
				x[i] = (uint16_t)(w % 10);
			NC_CHECK_EQ(nc_fpe_encrypt(&f, 10, tweak, 7, x, 6, y), NC_FPE_OK);
			uint32_t idx = 0;
			for (int i = 0; i < 6; i++)
				idx = idx * 10 + y[i];
			NC_CHECK_EQ(seen[idx / 8] >> (idx % 8) & 1, 0);
			seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
			NC_CHECK_EQ(nc_fpe_decrypt(&f, 10, tweak, 7, y, 6, z), NC_FPE_OK);
			NC_CHECK(same_digits(x, z, 6));
		}
		if (m == NC_FPE_FF1) {
			round_trip(&f, 2, NC_FPE_MAX_DIGITS);
			round_trip(&f, 65536, 64);
		} else {
			round_trip(&f, 65536, nc_fpe_ff3_1_max_len(65536));
			round_trip(&f, 2, nc_fpe_ff3_1_max_len(2));
		}
	}
}
