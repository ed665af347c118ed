/* lib/tee's development backend: key derivations against values computed
 * outside our code (Python's hmac/hashlib for HKDF, the openssl CLI for
 * Ed25519 public keys and signatures from a raw seed), and the backend
 * interface's life cycle. */
#include "nc_test.h"
#include "tee_test_util.h"
#include <nc/mem.h>
#include <nc/tee_dev.h>

static bool equals_hex(const uint8_t *got, const char *hex)
{
	uint8_t want[64];
	size_t n = tee_test_unhex(want, sizeof want, hex);
	return nc_mem_compare(got, want, n) == 0;
}

static void device_secret(uint8_t s[32])
{
	for (int i = 0; i < 32; i++)
		s[i] = (uint8_t)i;
}

NC_TEST(tee_dev, root_key_from_device_secret)
{
	uint8_t secret[32], pk[32];
	nc_tee_t tee;
	nc_tee_dev_t d;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, sizeof secret, NULL), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_OK);
	NC_CHECK(equals_hex(pk, "5a3637a0d5544d31e4d97466b53e732bdde7c70059426a562af5839698ad644d"));
	nc_tee_close(&tee);
}

NC_TEST(tee_dev, signs_like_openssl)
{
	uint8_t secret[32], sig[64];
	nc_tee_t tee;
	nc_tee_dev_t d;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, sizeof secret, NULL), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_sign(&tee, sig, (const uint8_t *)"hello", 5), NC_TEE_OK);
	NC_CHECK(equals_hex(sig, "368cd2b0287ab800e69bc991d074c3f4156740ed0280d82c6c0d74e4506e634e"
				 "b8b65194019ba03fef954a643fc1868994be04e16a02eb96ff8bfe496a6e7d0d"));
	nc_tee_close(&tee);
}

NC_TEST(tee_dev, attestation_report_and_seal_keys)
{
	uint8_t secret[32], pk[32], key[32], m[32];
	nc_tee_t tee;
	nc_tee_dev_t d;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_dev_device_key(secret, sizeof secret, pk), NC_TEE_OK);
	NC_CHECK(equals_hex(pk, "7bfe5b64afe2c36e6d20c04c226f0ebdaa8bece45714ef02c30bec0faa3493e6"));
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, sizeof secret, NULL), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(d.device_pk, pk, 32) == 0);
	NC_CHECK(equals_hex(d.report_key, "ed12f34c31fe801a22030ab1dba0425424bb784e3dad21d9c6c1843ad16ca72b"));
	nc_mem_set(m, 0xab, sizeof m);
	NC_CHECK_EQ(nc_tee_seal_key(&tee, m, key), NC_TEE_OK);
	NC_CHECK(equals_hex(key, "54c07804179ce1331e418b09e7ec4afc7edb8a9c6d4c50f43f37f49cfe784f5c"));
	nc_tee_close(&tee);
}

NC_TEST(tee_dev, close_wipes_and_refuses)
{
	uint8_t secret[32], pk[32], sig[64], rd[64] = { 0 }, q[8];
	uint8_t zero[sizeof(nc_tee_dev_t)] = { 0 };
	nc_tee_t tee;
	nc_tee_dev_t d;
	nc_tee_report_t r;
	size_t n;
	device_secret(secret);
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, sizeof secret, NULL), NC_TEE_OK);
	/* no measurement source and no certificate */
	NC_CHECK_EQ(nc_tee_report(&tee, rd, &r), NC_TEE_ERR_UNSUPPORTED);
	NC_CHECK_EQ(nc_tee_attest(&tee, rd, q, sizeof q, &n), NC_TEE_ERR_UNSUPPORTED);
	nc_tee_close(&tee);
	NC_CHECK(nc_mem_compare(&d, zero, sizeof d) == 0);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_sign(&tee, sig, secret, 1), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_report(&tee, rd, &r), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_quote(&tee, &r, q, sizeof q, &n), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_seal_key(&tee, rd, sig), NC_TEE_ERR_CLOSED);
	nc_tee_close(&tee); /* closing twice is harmless */
}

NC_TEST(tee_dev, secret_length_bounds)
{
	uint8_t secret[65] = { 0 }, pk[32];
	nc_tee_t tee;
	nc_tee_dev_t d;
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, 31, NULL), NC_TEE_ERR_SECRET_TOO_SHORT);
	NC_CHECK_EQ(nc_tee_public_key(&tee, pk), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, 65, NULL), NC_TEE_ERR_SECRET_TOO_SHORT);
	NC_CHECK_EQ(nc_tee_dev_device_key(secret, 31, pk), NC_TEE_ERR_SECRET_TOO_SHORT);
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &d, secret, 64, NULL), NC_TEE_OK);
	nc_tee_close(&tee);
	NC_CHECK_STR(nc_tee_err_name(NC_TEE_ERR_SECRET_TOO_SHORT), "NC_TEE_ERR_SECRET_TOO_SHORT");
	NC_CHECK_STR(nc_tee_err_name(NC_TEE_ERR_CERT), "NC_TEE_ERR_CERT");
	NC_CHECK_STR(nc_tee_err_name((nc_tee_err_t)99), "NC_TEE_ERR_UNKNOWN");
	NC_CHECK_STR(nc_tee_backend_name(NC_TEE_BACKEND_SNP), "snp");
	NC_CHECK_STR(nc_tee_backend_name(0), "unknown");
}
