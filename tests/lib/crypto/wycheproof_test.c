/* lib/crypto against every Wycheproof vector for the primitives we expose
 * (vector files through vectors.h: on the host and inside NexaCore). Each
 * file's test counts must match numberOfTests, so a vector cannot be skipped
 * silently.
 *
 * Expectations: "valid" must be accepted with the exact output, "invalid" must
 * be rejected. "acceptable" occurs only in x25519_test.json, and we decide it
 * by flag (docs/crypto.md): with ZeroSharedSecret the result must be
 * NC_CRYPTO_ERR_WEAK_KEY (we refuse low-order peers), otherwise (twist points,
 * non-canonical u) the shared secret must be computed and equal the vector's.
 * A vector whose sizes our fixed-size API cannot take (a 63-byte signature, a
 * 64-bit nonce) counts as rejected: the API refuses it by construction. */
#include "nc_test.h"
#include "vectors.h"
#include <nc/crypto.h>
#include <nc/mem.h>

typedef enum { WANT_VALID, WANT_INVALID, WANT_ACCEPTABLE } want_t;

typedef struct {
	size_t n_run, n_bad, n_accepted, n_rejected;
} tally_t;

static want_t want_of(const json_t *t)
{
	const char *r = json_str(json_get(t, "result"));
	if (r && nc_str_compare(r, "valid") == 0)
		return WANT_VALID;
	return r && nc_str_compare(r, "acceptable") == 0 ? WANT_ACCEPTABLE : WANT_INVALID;
}

/* Record one case: accepted says whether our code accepted it (and produced
 * the expected output when it did; a wrong output is a failure). */
static void record(tally_t *tl, const json_t *t, bool accepted, bool want_accept)
{
	tl->n_run++;
	if (accepted)
		tl->n_accepted++;
	else
		tl->n_rejected++;
	if (accepted != want_accept) {
		tl->n_bad++;
		if (tl->n_bad <= 5)
			nc_test_note("tcId %d (%s): %s", (int)json_int(json_get(t, "tcId")),
				     json_str(json_get(t, "comment")), accepted ? "accepted" : "rejected");
	}
}

typedef void (*case_fn)(tally_t *tl, const json_t *group, const json_t *t);

static bool run_file(const char *name, case_fn fn, tally_t *tl)
{
	json_t *doc = vec_load("wycheproof", name);
	if (!doc)
		return false;
	const json_t *groups = json_get(doc, "testGroups");
	for (size_t g = 0; g < json_len(groups); g++) {
		const json_t *tests = json_get(json_at(groups, g), "tests");
		for (size_t i = 0; i < json_len(tests); i++)
			fn(tl, json_at(groups, g), json_at(tests, i));
	}
	bool all_ran = tl->n_run == (size_t)json_int(json_get(doc, "numberOfTests"));
	json_free(doc);
	nc_test_note("%s: %zu vectors, %zu accepted, %zu rejected, %zu wrong", name, tl->n_run,
		     tl->n_accepted, tl->n_rejected, tl->n_bad);
	return all_ran;
}

/* Every vector of the file ran, none was decided wrongly, and the file has
 * cases on both sides. */
static void check_file(const char *name, case_fn fn)
{
	tally_t tl = { 0 };
	NC_CHECK(run_file(name, fn, &tl));
	NC_CHECK_EQ(tl.n_bad, 0);
	NC_CHECK(tl.n_accepted > 0 && tl.n_rejected > 0);
}

static void ed25519_case(tally_t *tl, const json_t *group, const json_t *t)
{
	size_t pk_len = 0, msg_len = 0, sig_len = 0;
	uint8_t *pk = vec_hex(json_get(group, "publicKey"), "pk", &pk_len);
	uint8_t *msg = vec_hex(t, "msg", &msg_len);
	uint8_t *sig = vec_hex(t, "sig", &sig_len);
	bool ok = pk && msg && sig && pk_len == NC_CRYPTO_ED25519_PUBLIC_BYTES &&
		  sig_len == NC_CRYPTO_ED25519_SIG_BYTES &&
		  nc_crypto_ed25519_verify(sig, msg, msg_len, pk) == NC_CRYPTO_OK;
	record(tl, t, ok, want_of(t) == WANT_VALID);
	vec_free(pk, pk_len + 1), vec_free(msg, msg_len + 1), vec_free(sig, sig_len + 1);
}

NC_TEST(crypto_wycheproof, ed25519)
{
	check_file("ed25519_test.json", ed25519_case);
}

static void x25519_case(tally_t *tl, const json_t *group, const json_t *t)
{
	size_t pub_len = 0, priv_len = 0, shared_len = 0;
	uint8_t *pub = vec_hex(t, "public", &pub_len);
	uint8_t *priv = vec_hex(t, "private", &priv_len);
	uint8_t *shared = vec_hex(t, "shared", &shared_len);
	uint8_t out[NC_CRYPTO_X25519_BYTES];
	bool sizes = pub && priv && shared && pub_len == 32 && priv_len == 32;
	nc_crypto_err_t err = sizes ? nc_crypto_x25519(out, priv, pub) : NC_CRYPTO_ERR_BAD_LENGTH;
	bool ok = err == NC_CRYPTO_OK && shared_len == 32 && nc_mem_compare(out, shared, 32) == 0;
	want_t w = want_of(t);
	bool want = w == WANT_VALID || (w == WANT_ACCEPTABLE && !json_has_flag(t, "ZeroSharedSecret"));
	/* A refused low-order peer must be refused as such, not for another reason. */
	if (!ok && !want && w == WANT_ACCEPTABLE && err != NC_CRYPTO_ERR_WEAK_KEY)
		ok = true;
	record(tl, t, ok, want);
	vec_free(pub, pub_len + 1), vec_free(priv, priv_len + 1), vec_free(shared, shared_len + 1);
}

NC_TEST(crypto_wycheproof, x25519)
{
	check_file("x25519_test.json", x25519_case);
}

static void aead_case(tally_t *tl, nc_crypto_aead_t alg, const json_t *t)
{
	size_t key_len = 0, iv_len = 0, aad_len = 0, msg_len = 0, ct_len = 0, tag_len = 0;
	uint8_t *key = vec_hex(t, "key", &key_len), *iv = vec_hex(t, "iv", &iv_len);
	uint8_t *aad = vec_hex(t, "aad", &aad_len), *msg = vec_hex(t, "msg", &msg_len);
	uint8_t *ct = vec_hex(t, "ct", &ct_len), *tag = vec_hex(t, "tag", &tag_len);
	uint8_t *sealed = vec_malloc(ct_len + tag_len), *opened = vec_malloc(ct_len);
	bool ok = sealed && opened && ct && tag;
	if (ok) {
		nc_mem_copy(sealed, ct, ct_len);
		nc_mem_copy(sealed + ct_len, tag, tag_len);
	}
	ok = ok && key_len == NC_CRYPTO_AEAD_KEY_BYTES && tag_len == NC_CRYPTO_AEAD_TAG_BYTES &&
		  nc_crypto_aead_decrypt(alg, opened, sealed, ct_len + tag_len, aad, aad_len, iv, iv_len,
					 key) == NC_CRYPTO_OK &&
		  ct_len == msg_len && nc_mem_compare(opened, msg, msg_len) == 0;
	if (ok) { /* the accepted direction must also encrypt to the same bytes */
		uint8_t *again = vec_malloc(msg_len + NC_CRYPTO_AEAD_TAG_BYTES);
		ok = again && nc_crypto_aead_encrypt(alg, again, msg, msg_len, aad, aad_len, iv, iv_len, key) ==
			     NC_CRYPTO_OK &&
		     nc_mem_compare(again, sealed, msg_len + NC_CRYPTO_AEAD_TAG_BYTES) == 0;
		vec_free(again, msg_len + NC_CRYPTO_AEAD_TAG_BYTES);
	}
	record(tl, t, ok, want_of(t) == WANT_VALID);
	vec_free(key, key_len + 1), vec_free(iv, iv_len + 1), vec_free(aad, aad_len + 1);
	vec_free(msg, msg_len + 1), vec_free(ct, ct_len + 1), vec_free(tag, tag_len + 1);
	vec_free(sealed, ct_len + tag_len), vec_free(opened, ct_len);
}

static void chacha_case(tally_t *tl, const json_t *group, const json_t *t)
{
	aead_case(tl, NC_CRYPTO_AEAD_CHACHA20_POLY1305, t);
}

static void xchacha_case(tally_t *tl, const json_t *group, const json_t *t)
{
	aead_case(tl, NC_CRYPTO_AEAD_XCHACHA20_POLY1305, t);
}

NC_TEST(crypto_wycheproof, chacha20_poly1305)
{
	check_file("chacha20_poly1305_test.json", chacha_case);
}

NC_TEST(crypto_wycheproof, xchacha20_poly1305)
{
	check_file("xchacha20_poly1305_test.json", xchacha_case);
}

static void hkdf_case(tally_t *tl, const json_t *group, const json_t *t)
{
	size_t ikm_len = 0, salt_len = 0, info_len = 0, okm_len = 0;
	uint8_t *ikm = vec_hex(t, "ikm", &ikm_len), *salt = vec_hex(t, "salt", &salt_len);
	uint8_t *info = vec_hex(t, "info", &info_len), *okm = vec_hex(t, "okm", &okm_len);
	size_t size = (size_t)json_int(json_get(t, "size"));
	uint8_t *out = vec_malloc(size);
	bool ok = out && nc_crypto_hkdf_sha256(out, size, salt, salt_len, ikm, ikm_len, info, info_len) ==
			  NC_CRYPTO_OK &&
		  okm_len == size && nc_mem_compare(out, okm, size) == 0;
	record(tl, t, ok, want_of(t) == WANT_VALID);
	vec_free(ikm, ikm_len + 1), vec_free(salt, salt_len + 1), vec_free(info, info_len + 1);
	vec_free(okm, okm_len + 1), vec_free(out, size);
}

NC_TEST(crypto_wycheproof, hkdf_sha256)
{
	check_file("hkdf_sha256_test.json", hkdf_case);
}

/* HMAC vectors may truncate the tag to the group's tagSize bits: the check is
 * a constant-time compare of that prefix, as a verifier would do. */
static void hmac_case(tally_t *tl, const json_t *group, const json_t *t, size_t full_bytes)
{
	size_t key_len = 0, msg_len = 0, tag_len = 0;
	uint8_t *key = vec_hex(t, "key", &key_len), *msg = vec_hex(t, "msg", &msg_len);
	uint8_t *tag = vec_hex(t, "tag", &tag_len);
	uint8_t out[NC_CRYPTO_SHA512_BYTES];
	size_t tag_bytes = (size_t)json_int(json_get(group, "tagSize")) / 8;
	if (full_bytes == NC_CRYPTO_SHA256_BYTES)
		nc_crypto_hmac_sha256(out, key, key_len, msg, msg_len);
	else
		nc_crypto_hmac_sha512(out, key, key_len, msg, msg_len);
	bool ok = tag_len == tag_bytes && tag_bytes <= full_bytes && nc_crypto_equal(out, tag, tag_bytes);
	record(tl, t, ok, want_of(t) == WANT_VALID);
	vec_free(key, key_len + 1), vec_free(msg, msg_len + 1), vec_free(tag, tag_len + 1);
}

static void hmac256_case(tally_t *tl, const json_t *group, const json_t *t)
{
	hmac_case(tl, group, t, NC_CRYPTO_SHA256_BYTES);
}

static void hmac512_case(tally_t *tl, const json_t *group, const json_t *t)
{
	hmac_case(tl, group, t, NC_CRYPTO_SHA512_BYTES);
}

NC_TEST(crypto_wycheproof, hmac_sha256)
{
	check_file("hmac_sha256_test.json", hmac256_case);
}

NC_TEST(crypto_wycheproof, hmac_sha512)
{
	check_file("hmac_sha512_test.json", hmac512_case);
}
