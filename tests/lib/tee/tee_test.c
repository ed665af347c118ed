/* lib/tee with the mock backend. The expected root key and signature were
 * computed outside our code: the seed with Python's hmac/hashlib (HKDF by
 * hand), the public key and the signature of "hello" with the openssl CLI
 * (Ed25519 PKCS#8 key from that seed). */
#include "nc_test.h"
#include <nc/mem.h>
#include <nc/tee.h>

static int nib(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

static bool equals_hex(const uint8_t *got, const char *hex)
{
	for (size_t i = 0; hex[2 * i]; i++)
		if (got[i] != (uint8_t)(nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1])))
			return false;
	return true;
}

static void device_secret(uint8_t s[32])
{
	for (int i = 0; i < 32; i++)
		s[i] = (uint8_t)i;
}

NC_TEST(tee_mock, root_key_from_device_secret)
{
	uint8_t secret[32], pk[32];
	nc_tee_t tee;
	nc_tee_mock_t m;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_mock_open(&tee, &m, secret, sizeof secret), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_OK);
	NC_CHECK(equals_hex(pk, "5a3637a0d5544d31e4d97466b53e732bdde7c70059426a562af5839698ad644d"));
	nc_tee_close(&tee);
}

NC_TEST(tee_mock, signs_like_openssl)
{
	uint8_t secret[32], sig[64];
	nc_tee_t tee;
	nc_tee_mock_t m;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_mock_open(&tee, &m, secret, sizeof secret), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_sign(&tee, sig, (const uint8_t *)"hello", 5), NC_TEE_OK);
	NC_CHECK(equals_hex(sig, "368cd2b0287ab800e69bc991d074c3f4156740ed0280d82c6c0d74e4506e634e"
				 "b8b65194019ba03fef954a643fc1868994be04e16a02eb96ff8bfe496a6e7d0d"));
	nc_tee_close(&tee);
}

NC_TEST(tee_mock, close_wipes_and_refuses)
{
	uint8_t secret[32], pk[32], sig[64];
	uint8_t zero[sizeof(nc_tee_mock_t)] = { 0 };
	nc_tee_t tee;
	nc_tee_mock_t m;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_mock_open(&tee, &m, secret, sizeof secret), NC_TEE_OK);
	nc_tee_close(&tee);
	NC_CHECK(nc_mem_compare(&m, zero, sizeof m) == 0);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_sign(&tee, sig, secret, 1), NC_TEE_ERR_CLOSED);
	nc_tee_close(&tee); /* closing twice is harmless */
}

NC_TEST(tee_mock, short_secret_refused)
{
	uint8_t secret[31] = { 0 }, pk[32];
	nc_tee_t tee;
	nc_tee_mock_t m;
	NC_CHECK_EQ(nc_tee_mock_open(&tee, &m, secret, sizeof secret), NC_TEE_ERR_SECRET_TOO_SHORT);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_ERR_CLOSED);
	NC_CHECK_STR(nc_tee_err_name(NC_TEE_ERR_SECRET_TOO_SHORT), "NC_TEE_ERR_SECRET_TOO_SHORT");
	NC_CHECK_STR(nc_tee_err_name((nc_tee_err_t)9), "NC_TEE_ERR_UNKNOWN");
}
