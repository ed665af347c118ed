/* lib/crypto API behaviour and published known-answer vectors (RFC 8032 7.1,
 * RFC 7748 6.1, RFC 5869 A.1-A.3, RFC 9106 5.3). Freestanding-clean: no libc, no
 * files; the big vector suites are in *_host_test.c. */
#include "nc_test.h"
#include <nc/crypto.h>
#include <nc/mem.h>

static int hex_nibble(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Decode a hex literal into out (len_bytes = strlen(hex) / 2). */
static const uint8_t *unhex(uint8_t *out, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++)
		out[i] = (uint8_t)(hex_nibble(hex[2 * i]) << 4 | hex_nibble(hex[2 * i + 1]));
	return out;
}

static bool equals_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[128];
	size_t n = nc_str_len(hex) / 2;
	return nc_mem_compare(got, unhex(want, hex), n) == 0;
}

NC_TEST(crypto, err_names)
{
	NC_CHECK_STR(nc_crypto_err_name(NC_CRYPTO_OK), "NC_CRYPTO_OK");
	NC_CHECK_STR(nc_crypto_err_name(NC_CRYPTO_ERR_WEAK_KEY), "NC_CRYPTO_ERR_WEAK_KEY");
	NC_CHECK_STR(nc_crypto_err_name(NC_CRYPTO_ERR_NO_MEMORY), "NC_CRYPTO_ERR_NO_MEMORY");
	NC_CHECK_STR(nc_crypto_err_name((nc_crypto_err_t)99), "NC_CRYPTO_ERR_UNKNOWN");
	NC_CHECK_EQ(nc_crypto_init(), NC_CRYPTO_OK);
}

NC_TEST(crypto, equal_and_wipe)
{
	uint8_t a[5] = { 1, 2, 3, 4, 5 }, b[5] = { 1, 2, 3, 4, 5 };
	NC_CHECK(nc_crypto_equal(a, b, 5));
	b[4] = 6;
	NC_CHECK(!nc_crypto_equal(a, b, 5));
	NC_CHECK(nc_crypto_equal(a, b, 4));
	nc_crypto_wipe(a, 3);
	NC_CHECK(a[0] == 0 && a[2] == 0 && a[3] == 4);
}

static bool counting_source(void *ctx, uint8_t *buf, size_t n)
{
	uint8_t *next = ctx;
	for (size_t i = 0; i < n; i++)
		buf[i] = (*next)++;
	return true;
}

static bool failing_source(void *ctx, uint8_t *buf, size_t n)
{
	return false;
}

NC_TEST(crypto, injected_random_source)
{
	uint8_t next = 7, buf[4];
	nc_crypto_set_random(counting_source, &next);
	NC_CHECK_EQ(nc_crypto_random(buf, 4), NC_CRYPTO_OK);
	NC_CHECK(buf[0] == 7 && buf[3] == 10);
	nc_crypto_set_random(failing_source, NULL);
	NC_CHECK_EQ(nc_crypto_random(buf, 4), NC_CRYPTO_ERR_NO_RANDOM);
	nc_crypto_set_random(NULL, NULL);
#if NC_HOSTED
	NC_CHECK_EQ(nc_crypto_random(buf, 4), NC_CRYPTO_OK);
#else
	NC_CHECK_EQ(nc_crypto_random(buf, 4), NC_CRYPTO_ERR_NO_RANDOM);
#endif
}

NC_TEST(crypto, ed25519_rfc8032_test1_and_2)
{
	uint8_t seed[32], pk[32], sk[64], sig[64], msg[1];
	nc_crypto_ed25519_keypair(pk, sk, unhex(seed, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
	NC_CHECK(equals_hex(pk, "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
	nc_crypto_ed25519_sign(sig, msg, 0, sk);
	NC_CHECK(equals_hex(sig, "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
	NC_CHECK_EQ(nc_crypto_ed25519_verify(sig, msg, 0, pk), NC_CRYPTO_OK);

	nc_crypto_ed25519_keypair(pk, sk, unhex(seed, "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
	NC_CHECK(equals_hex(pk, "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
	msg[0] = 0x72;
	nc_crypto_ed25519_sign(sig, msg, 1, sk);
	NC_CHECK(equals_hex(sig, "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"));
	NC_CHECK_EQ(nc_crypto_ed25519_verify(sig, msg, 1, pk), NC_CRYPTO_OK);
	msg[0] ^= 1;
	NC_CHECK_EQ(nc_crypto_ed25519_verify(sig, msg, 1, pk), NC_CRYPTO_ERR_BAD_SIGNATURE);
}

NC_TEST(crypto, x25519_rfc7748_public_keys_and_agreement)
{
	uint8_t a_sk[32], b_sk[32], a_pk[32], b_pk[32], s1[32], s2[32];
	nc_crypto_x25519_public(a_pk, unhex(a_sk, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
	NC_CHECK(equals_hex(a_pk, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"));
	nc_crypto_x25519_public(b_pk, unhex(b_sk, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
	NC_CHECK(equals_hex(b_pk, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"));
	NC_CHECK_EQ(nc_crypto_x25519(s1, a_sk, b_pk), NC_CRYPTO_OK);
	NC_CHECK_EQ(nc_crypto_x25519(s2, b_sk, a_pk), NC_CRYPTO_OK);
	NC_CHECK(nc_crypto_equal(s1, s2, 32));
	uint8_t zero_point[32] = { 0 };
	NC_CHECK_EQ(nc_crypto_x25519(s1, a_sk, zero_point), NC_CRYPTO_ERR_WEAK_KEY);
	NC_CHECK(nc_crypto_equal(s1, zero_point, 32));
}

NC_TEST(crypto, hkdf_rfc5869_a1_a3)
{
	uint8_t ikm[22], salt[13], info[10], prk[32], okm[42];
	nc_mem_set(ikm, 0x0b, sizeof ikm);
	for (int i = 0; i < 13; i++)
		salt[i] = (uint8_t)i;
	for (int i = 0; i < 10; i++)
		info[i] = (uint8_t)(0xf0 + i);
	nc_crypto_hkdf_sha256_extract(prk, salt, sizeof salt, ikm, sizeof ikm);
	NC_CHECK(equals_hex(prk, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"));
	NC_CHECK_EQ(nc_crypto_hkdf_sha256(okm, 42, salt, sizeof salt, ikm, sizeof ikm, info, sizeof info), NC_CRYPTO_OK);
	NC_CHECK(equals_hex(okm, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
	/* A.3: no salt, no info. */
	NC_CHECK_EQ(nc_crypto_hkdf_sha256(okm, 42, NULL, 0, ikm, sizeof ikm, NULL, 0), NC_CRYPTO_OK);
	NC_CHECK(equals_hex(okm, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
	NC_CHECK_EQ(nc_crypto_hkdf_sha256(okm, NC_CRYPTO_HKDF_SHA256_MAX_BYTES + 1, NULL, 0, ikm, 22, NULL, 0),
		    NC_CRYPTO_ERR_BAD_LENGTH);
}

NC_TEST(crypto, sha2_fips180_abc)
{
	uint8_t out[64];
	nc_crypto_sha256(out, "abc", 3);
	NC_CHECK(equals_hex(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
	nc_crypto_sha512(out, "abc", 3);
	NC_CHECK(equals_hex(out, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
				 "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
}

NC_TEST(crypto, aead_round_trip_and_errors)
{
	uint8_t key[32], nonce[24], buf[64 + 16], msg[64];
	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	nc_mem_set(nonce, 0x42, sizeof nonce);
	for (int alg = 0; alg < 2; alg++) {
		size_t nl = nc_crypto_aead_nonce_bytes((nc_crypto_aead_t)alg);
		NC_CHECK_EQ(nl, alg ? 24 : 12);
		nc_mem_set(msg, 'm', sizeof msg);
		NC_CHECK_EQ(nc_crypto_aead_encrypt((nc_crypto_aead_t)alg, buf, msg, 64, "ad", 2, nonce, nl, key), NC_CRYPTO_OK);
		NC_CHECK_EQ(nc_crypto_aead_decrypt((nc_crypto_aead_t)alg, msg, buf, 80, "ad", 2, nonce, nl, key), NC_CRYPTO_OK);
		NC_CHECK_EQ(msg[0], 'm');
		NC_CHECK_EQ(nc_crypto_aead_decrypt((nc_crypto_aead_t)alg, msg, buf, 80, "ae", 2, nonce, nl, key), NC_CRYPTO_ERR_AUTH);
		NC_CHECK_EQ(msg[0], 0);
		NC_CHECK_EQ(nc_crypto_aead_decrypt((nc_crypto_aead_t)alg, msg, buf, 15, NULL, 0, nonce, nl, key), NC_CRYPTO_ERR_BAD_LENGTH);
		NC_CHECK_EQ(nc_crypto_aead_encrypt((nc_crypto_aead_t)alg, buf, msg, 8, NULL, 0, nonce, nl - 1, key), NC_CRYPTO_ERR_BAD_LENGTH);
		/* In place. */
		NC_CHECK_EQ(nc_crypto_aead_encrypt((nc_crypto_aead_t)alg, msg, msg, 48, NULL, 0, nonce, nl, key), NC_CRYPTO_OK);
		NC_CHECK_EQ(nc_crypto_aead_decrypt((nc_crypto_aead_t)alg, msg, msg, 64, NULL, 0, nonce, nl, key), NC_CRYPTO_OK);
		NC_CHECK_EQ(msg[47], 0);
	}
	NC_CHECK_EQ(nc_crypto_aead_encrypt((nc_crypto_aead_t)7, buf, msg, 8, NULL, 0, nonce, 12, key), NC_CRYPTO_ERR_BAD_LENGTH);
}

/* A bump arena as the injected allocator (used by the freestanding builds;
 * the host's libsodium takes libc memory). Counts live blocks. */
static _Alignas(16) uint8_t arena[64 * 1024];
static size_t arena_used, arena_live;

static void *arena_alloc(void *ctx, size_t n)
{
	size_t start = (arena_used + 15) & ~(size_t)15;
	if (n > sizeof arena - start)
		return NULL;
	arena_used = start + n;
	arena_live++;
	return arena + start;
}

static void arena_free(void *ctx, void *p)
{
	arena_live--;
}

static const nc_crypto_allocator_t arena_allocator = { arena_alloc, arena_free, NULL };

NC_TEST(crypto, argon2id_rfc9106)
{
	uint8_t pwd[32], salt[16], secret[8], ad[12], tag[32];
	nc_mem_set(pwd, 1, sizeof pwd);
	nc_mem_set(salt, 2, sizeof salt);
	nc_mem_set(secret, 3, sizeof secret);
	nc_mem_set(ad, 4, sizeof ad);
	nc_crypto_argon2id_params_t p = { pwd, 32, salt, 16, secret, 8, ad, 12, 3, 32, 4 };
#if !NC_HOSTED
	nc_crypto_set_allocator(NULL);
	NC_CHECK_EQ(nc_crypto_argon2id(tag, sizeof tag, &p), NC_CRYPTO_ERR_NO_MEMORY);
	NC_CHECK_EQ(arena_live, 0);
#endif
	arena_used = arena_live = 0;
	nc_crypto_set_allocator(&arena_allocator);
	NC_CHECK_EQ(nc_crypto_argon2id(tag, sizeof tag, &p), NC_CRYPTO_OK);
	NC_CHECK(equals_hex(tag, "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"));
	NC_CHECK_EQ(arena_live, 0);
#if !NC_HOSTED
	NC_CHECK(arena_used >= 32 * 1024);
	/* An arena too small for the 64 KiB the call asks for. */
	p.memory_kib = 64;
	arena_used = arena_live = 0;
	NC_CHECK_EQ(nc_crypto_argon2id(tag, sizeof tag, &p), NC_CRYPTO_ERR_NO_MEMORY);
	NC_CHECK_EQ(arena_live, 0);
#endif
	p.memory_kib = 31;
	NC_CHECK_EQ(nc_crypto_argon2id(tag, sizeof tag, &p), NC_CRYPTO_ERR_PARAMS);
	p.memory_kib = 32;
	p.salt_len = 7;
	NC_CHECK_EQ(nc_crypto_argon2id(tag, sizeof tag, &p), NC_CRYPTO_ERR_PARAMS);
	p.salt_len = 16;
	NC_CHECK_EQ(nc_crypto_argon2id(tag, 15, &p), NC_CRYPTO_ERR_PARAMS);
	nc_crypto_set_allocator(NULL);
}
