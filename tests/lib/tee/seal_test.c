/* Sealing on the development backend: the same device and image open what
 * they sealed (also after closing and reopening the device: a reboot), a
 * policy-named set of images opens, another image or another device does
 * not, and every altered, truncated or oversized blob is refused. */
#include "nc_test.h"
#include "tee_test_util.h"
#include <nc/mem.h>

enum { BLOB_CAP = 512 };
static const uint8_t msg[] = "sealed to an image";

NC_TEST(tee_seal, same_device_same_image_across_reopen)
{
	tee_fixture_t f;
	uint8_t blob[BLOB_CAP], out[64];
	size_t n, m;
	tee_test_random_install();
	NC_CHECK(tee_fixture_open(&f, 1, 5, 0x22, 1));
	NC_CHECK_EQ(nc_tee_seal(&f.tee, NULL, 0, msg, sizeof msg, blob, sizeof blob, &n), NC_TEE_OK);
	NC_CHECK_EQ(n, nc_tee_sealed_size(1, sizeof msg));
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_OK);
	NC_CHECK_EQ(m, sizeof msg);
	NC_CHECK(nc_mem_compare(out, msg, m) == 0);
	tee_fixture_close(&f);
	/* the same device secret and image after a "reboot" */
	NC_CHECK(tee_fixture_open(&f, 1, 5, 0x22, 1));
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(out, msg, m) == 0);
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, m - 1, &m), NC_TEE_ERR_TOO_SMALL);
	tee_fixture_close(&f);
	/* one byte of the initrd differs: another image */
	NC_CHECK(tee_fixture_open(&f, 1, 5, 0x23, 1));
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_SEAL_POLICY);
	tee_fixture_close(&f);
	/* the same image on another device */
	NC_CHECK(tee_fixture_open(&f, 1, 6, 0x22, 1));
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_SEAL_AUTH);
	tee_fixture_close(&f);
	tee_test_random_remove();
}

NC_TEST(tee_seal, policy_named_images)
{
	tee_fixture_t now, next;
	uint8_t blob[BLOB_CAP], out[64], ms[2][32];
	size_t n, m;
	tee_test_random_install();
	NC_CHECK(tee_fixture_open(&next, 1, 5, 0x44, 1));
	NC_CHECK(tee_fixture_open(&now, 1, 5, 0x22, 1));
	nc_mem_set(ms[0], 0x77, 32);
	nc_mem_copy(ms[1], next.log.boot, 32);
	/* sealed on the running image for the next one (and an unrelated one) */
	NC_CHECK_EQ(nc_tee_seal(&now.tee, (const uint8_t(*)[32])ms, 2, msg, sizeof msg, blob, sizeof blob, &n),
		    NC_TEE_OK);
	NC_CHECK_EQ(n, nc_tee_sealed_size(2, sizeof msg));
	NC_CHECK_EQ(nc_tee_unseal(&now.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_SEAL_POLICY);
	NC_CHECK_EQ(nc_tee_unseal(&next.tee, blob, n, out, sizeof out, &m), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(out, msg, m) == 0);
	tee_fixture_close(&now);
	tee_fixture_close(&next);
	tee_test_random_remove();
}

NC_TEST(tee_seal, altered_truncated_oversized)
{
	tee_fixture_t f;
	uint8_t blob[BLOB_CAP], out[64];
	static uint8_t big[NC_TEE_SEAL_MAX_BYTES + 1];
	size_t n, m;
	tee_test_random_install();
	NC_CHECK(tee_fixture_open(&f, 1, 5, 0x22, 1));
	NC_CHECK_EQ(nc_tee_seal(&f.tee, NULL, 0, msg, sizeof msg, blob, sizeof blob, &n), NC_TEE_OK);
	/* every byte flipped in turn: never opens */
	for (size_t i = 0; i < n; i++) {
		blob[i] ^= 0x20;
		nc_tee_err_t err = nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m);
		NC_CHECK(err != NC_TEE_OK);
		blob[i] ^= 0x20;
	}
	for (size_t cut = 0; cut < n; cut++)
		NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, cut, out, sizeof out, &m), NC_TEE_ERR_FORMAT);
	/* the data part and the wrapped key: authentication fails */
	blob[n - 3] ^= 1;
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_SEAL_AUTH);
	blob[n - 3] ^= 1;
	blob[4 + 1 + 1 + 24 + 1 + 32 + 1 + 5] ^= 1;
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_SEAL_AUTH);
	blob[4 + 1 + 1 + 24 + 1 + 32 + 1 + 5] ^= 1;
	blob[4] = 2;
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_VERSION);
	blob[4] = 1, blob[5] = 2;
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_ERR_BACKEND);
	blob[5] = 1;
	NC_CHECK_EQ(nc_tee_unseal(&f.tee, blob, n, out, sizeof out, &m), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_seal(&f.tee, NULL, 0, big, sizeof big, blob, sizeof blob, &n), NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_seal(&f.tee, NULL, 0, msg, sizeof msg, blob, 40, &n), NC_TEE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_tee_seal(&f.tee, NULL, 17, msg, sizeof msg, blob, sizeof blob, &n), NC_TEE_ERR_TOO_LONG);
	/* a device without a measurement source cannot seal to "this image" */
	nc_tee_t t;
	nc_tee_dev_t d;
	NC_CHECK_EQ(nc_tee_dev_open(&t, &d, f.secret, 32, NULL), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_seal(&t, NULL, 0, msg, sizeof msg, blob, sizeof blob, &n), NC_TEE_ERR_UNSUPPORTED);
	nc_tee_close(&t);
	NC_CHECK_EQ(nc_tee_seal(&t, NULL, 0, msg, sizeof msg, blob, sizeof blob, &n), NC_TEE_ERR_CLOSED);
	NC_CHECK_EQ(nc_tee_unseal(&t, blob, n, out, sizeof out, &m), NC_TEE_ERR_CLOSED);
	tee_fixture_close(&f);
	tee_test_random_remove();
}
