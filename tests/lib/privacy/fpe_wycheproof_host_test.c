/* lib/privacy FF1 against every Wycheproof FF1 vector (aes_ff1_radix{10,26,36,62,256}_test.json):
 *    "valid" must encrypt to ct and decrypt back, "invalid" must be refused.
 *    The "SmallMessageSize" vectors are valid only under the original SP
 *    800-38G (100 <= radix^n < 10^6): Rev. 1 forbids them, so the public API
 *    must refuse them with NC_FPE_ERR_LENGTH, and the unchecked core must
 *    still compute their ct (so the refusal is the rule, not a wrong cipher).
 * Host only: the five files hold 7.4 MB of JSON, too much for the test initrd;
 * fpe_test.c (examples, rules, errors) also runs inside NexaCore. */
#include "nc_test.h"
#include "vectors.h"
#include <nc/fpe.h>
#include <nc/mem.h>
#include "../../../lib/privacy/privacy_internal.h"

typedef struct {
	size_t run, valid_ok, invalid_refused, legacy_refused, bad;
} fpe_tally_t;

/* A JSON int array as digits; values outside 0..65535 become 0xffff, which
 * is >= every radix of the files, so the API sees an invalid digit. */
static size_t digits_of(const json_t *arr, uint16_t *out, size_t cap)
{
	size_t n = json_len(arr);
	for (size_t i = 0; i < n && i < cap; i++) {
		int64_t v = json_int(json_at(arr, i));
		out[i] = v < 0 || v > 0xffff ? 0xffff : (uint16_t)v;
	}
	return n;
}

static bool same_digits(const uint16_t *a, const uint16_t *b, size_t n)
{
	return n == 0 || nc_mem_compare(a, b, n * sizeof *a) == 0;
}

static void ff1_case(fpe_tally_t *tl, uint32_t radix, const json_t *t)
{
	size_t key_len = 0, tweak_len = 0;
	uint8_t *key = vec_hex(t, "key", &key_len), *tweak = vec_hex(t, "tweak", &tweak_len);
	static uint16_t msg[NC_FPE_MAX_DIGITS], ct[NC_FPE_MAX_DIGITS], out[NC_FPE_MAX_DIGITS];
	size_t n = digits_of(json_get(t, "msg"), msg, NC_FPE_MAX_DIGITS);
	size_t n_ct = digits_of(json_get(t, "ct"), ct, NC_FPE_MAX_DIGITS);
	bool want_valid = nc_str_compare(json_str(json_get(t, "result")), "valid") == 0;
	bool legacy = json_has_flag(t, "SmallMessageSize");
	bool good = false;
	tl->run++;
	nc_fpe_t f;
	nc_fpe_err_t err = key && tweak ? nc_fpe_init(&f, NC_FPE_FF1, key, key_len) : NC_FPE_ERR_KEY;
	if (err == NC_FPE_OK)
		err = nc_fpe_encrypt(&f, radix, tweak, tweak_len, msg, n, out);
	if (legacy) {
		/* Rev. 1 refuses the domain; the cipher itself must still be right. */
		good = err == NC_FPE_ERR_LENGTH && want_valid && n == n_ct;
		if (good) {
			fpe_ff1_crypt(&f, radix, tweak, tweak_len, msg, n, out, false);
			good = same_digits(out, ct, n);
			fpe_ff1_crypt(&f, radix, tweak, tweak_len, ct, n, out, true);
			good = good && same_digits(out, msg, n);
		}
		tl->legacy_refused += good;
	} else if (want_valid) {
		good = err == NC_FPE_OK && n == n_ct && same_digits(out, ct, n) &&
		       nc_fpe_decrypt(&f, radix, tweak, tweak_len, ct, n, out) == NC_FPE_OK &&
		       same_digits(out, msg, n);
		tl->valid_ok += good;
	} else {
		good = err != NC_FPE_OK;
		tl->invalid_refused += good;
	}
	if (!good && ++tl->bad <= 5)
		nc_test_note("tcId %d (%s): %s", (int)json_int(json_get(t, "tcId")),
			     json_str(json_get(t, "comment")), nc_fpe_err_name(err));
	vec_free(key, key_len + 1);
	vec_free(tweak, tweak_len + 1);
}

static void ff1_file(const char *name, size_t *legacy)
{
	json_t *doc = vec_load("wycheproof", name);
	NC_CHECK(doc != NULL);
	fpe_tally_t tl = { 0 };
	const json_t *groups = json_get(doc, "testGroups");
	for (size_t g = 0; g < json_len(groups); g++) {
		uint32_t radix = (uint32_t)json_int(json_get(json_at(groups, g), "radix"));
		const json_t *tests = json_get(json_at(groups, g), "tests");
		for (size_t i = 0; i < json_len(tests); i++)
			ff1_case(&tl, radix, json_at(tests, i));
	}
	size_t want = (size_t)json_int(json_get(doc, "numberOfTests"));
	json_free(doc);
	nc_test_note("%s: %zu vectors: %zu valid ok, %zu invalid refused, %zu legacy (Rev. 0 only) refused, "
		     "%zu wrong", name, tl.run, tl.valid_ok, tl.invalid_refused, tl.legacy_refused, tl.bad);
	*legacy = tl.legacy_refused;
	NC_CHECK_EQ(tl.run, want);
	NC_CHECK_EQ(tl.bad, 0);
	NC_CHECK(tl.valid_ok > 0 && tl.invalid_refused > 0);
}

NC_TEST(fpe, wycheproof_ff1_all_radixes)
{
	static const char *const files[] = { "aes_ff1_radix10_test.json", "aes_ff1_radix26_test.json",
					     "aes_ff1_radix36_test.json", "aes_ff1_radix62_test.json",
					     "aes_ff1_radix256_test.json" };
	size_t legacy_total = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		size_t legacy = 0;
		ff1_file(files[i], &legacy);
		legacy_total += legacy;
	}
	NC_CHECK(legacy_total > 0); /* the Rev. 1 rule was exercised */
}

