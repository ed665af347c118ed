/* Sealed blobs (nc/tee.h): a fresh data key encrypts the data; the data key
 * is wrapped once per measurement the blob names, under the device's
 * sealing key for that measurement (the backend's seal_key). XChaCha20-
 * Poly1305 everywhere, nonce = the blob's random salt (each key is used once
 * with it), associated data = the header up to the measurement list. */
#include "tee_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

enum {
	SEAL_VERSION = 1,
	SALT_BYTES = NC_CRYPTO_XCHACHA_NONCE_BYTES,
	DK_BYTES = NC_CRYPTO_AEAD_KEY_BYTES,
	WRAP_BYTES = DK_BYTES + NC_CRYPTO_AEAD_TAG_BYTES,
	HEADER_MAX = 4 + 1 + 1 + SALT_BYTES + 1 + NC_TEE_POLICY_MAX_MEASUREMENTS * NC_TEE_MEASUREMENT_BYTES,
};

static size_t varint_bytes(size_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

size_t nc_tee_sealed_size(size_t n_measurements, size_t data_len)
{
	size_t ct = data_len + NC_CRYPTO_AEAD_TAG_BYTES;
	return 4 + 1 + 1 + SALT_BYTES + 2 * varint_bytes(n_measurements) +
	       n_measurements * (NC_TEE_MEASUREMENT_BYTES + WRAP_BYTES) + varint_bytes(ct) + ct;
}

/* This machine's measurement, as its backend reports it. */
static nc_tee_err_t current_measurement(const nc_tee_t *tee, uint8_t m[NC_TEE_MEASUREMENT_BYTES])
{
	static const uint8_t zero[NC_TEE_REPORT_DATA_BYTES];
	nc_tee_report_t r;
	nc_tee_err_t err = nc_tee_report(tee, zero, &r);
	if (!err)
		nc_mem_copy(m, r.measurement, NC_TEE_MEASUREMENT_BYTES);
	return err;
}

static nc_tee_err_t aead(bool encrypt, uint8_t *out, const uint8_t *in, size_t in_len, const uint8_t *ad,
			 size_t ad_len, const uint8_t salt[SALT_BYTES], const uint8_t key[32])
{
	nc_crypto_err_t err = encrypt ? nc_crypto_aead_encrypt(NC_CRYPTO_AEAD_XCHACHA20_POLY1305, out, in, in_len,
							       ad, ad_len, salt, SALT_BYTES, key)
				      : nc_crypto_aead_decrypt(NC_CRYPTO_AEAD_XCHACHA20_POLY1305, out, in, in_len,
							       ad, ad_len, salt, SALT_BYTES, key);
	return err ? NC_TEE_ERR_SEAL_AUTH : NC_TEE_OK;
}

/* Wrap dk for each measurement into the writer. */
static nc_tee_err_t write_wraps(const nc_tee_t *tee, nc_wire_writer_t *w, const uint8_t (*ms)[32], size_t n,
				const uint8_t *header, size_t header_len, const uint8_t salt[SALT_BYTES],
				const uint8_t dk[DK_BYTES])
{
	uint8_t key[NC_TEE_SEAL_KEY_BYTES], wrap[WRAP_BYTES];
	nc_wire_encode_len(w, n);
	for (size_t i = 0; i < n; i++) {
		nc_tee_err_t err = nc_tee_seal_key(tee, ms[i], key);
		if (!err)
			err = aead(true, wrap, dk, DK_BYTES, header, header_len, salt, key);
		nc_crypto_wipe(key, sizeof key);
		if (err)
			return err;
		nc_wire_encode_raw(w, wrap, sizeof wrap);
	}
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_seal(const nc_tee_t *tee, const uint8_t (*measurements)[NC_TEE_MEASUREMENT_BYTES],
			 size_t n, const uint8_t *data, size_t data_len, uint8_t *out, size_t cap,
			 size_t *len_out)
{
	uint8_t own[1][NC_TEE_MEASUREMENT_BYTES], salt[SALT_BYTES], dk[DK_BYTES];
	if (!tee->ops)
		return NC_TEE_ERR_CLOSED;
	if (data_len > NC_TEE_SEAL_MAX_BYTES || n > NC_TEE_POLICY_MAX_MEASUREMENTS)
		return NC_TEE_ERR_TOO_LONG;
	if (nc_tee_sealed_size(n ? n : 1, data_len) > cap)
		return NC_TEE_ERR_TOO_SMALL;
	if (n == 0) {
		nc_tee_err_t err = current_measurement(tee, own[0]);
		if (err)
			return err;
		measurements = (const uint8_t(*)[NC_TEE_MEASUREMENT_BYTES])own;
		n = 1;
	}
	if (nc_crypto_random(salt, sizeof salt) || nc_crypto_random(dk, sizeof dk))
		return NC_TEE_ERR_NO_RANDOM;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap);
	tee_write_header(&w, "NCSL", SEAL_VERSION);
	nc_wire_encode_u8(&w, (uint8_t)tee->ops->id);
	nc_wire_encode_raw(&w, salt, sizeof salt);
	tee_write_digests(&w, measurements, (uint32_t)n);
	size_t header_len = w.len_bytes;
	nc_tee_err_t err = write_wraps(tee, &w, measurements, n, out, header_len, salt, dk);
	if (!err) {
		nc_wire_encode_len(&w, data_len + NC_CRYPTO_AEAD_TAG_BYTES);
		/* the size check above guarantees room: encrypt in place at the end */
		err = aead(true, out + w.len_bytes, data, data_len, out, header_len, salt, dk);
		*len_out = w.len_bytes + data_len + NC_CRYPTO_AEAD_TAG_BYTES;
	}
	nc_crypto_wipe(dk, sizeof dk);
	return err;
}

/* Index of m in ms[0..n), or n. */
static uint32_t find(const uint8_t (*ms)[NC_TEE_MEASUREMENT_BYTES], uint32_t n, const uint8_t *m)
{
	uint32_t i = 0;
	while (i < n && nc_mem_compare(ms[i], m, NC_TEE_MEASUREMENT_BYTES) != 0)
		i++;
	return i;
}

nc_tee_err_t nc_tee_unseal(const nc_tee_t *tee, const uint8_t *sealed, size_t len, uint8_t *out,
			   size_t cap, size_t *len_out)
{
	uint8_t ms[NC_TEE_POLICY_MAX_MEASUREMENTS][NC_TEE_MEASUREMENT_BYTES];
	uint8_t wraps[NC_TEE_POLICY_MAX_MEASUREMENTS][WRAP_BYTES];
	uint8_t salt[SALT_BYTES], backend, own[NC_TEE_MEASUREMENT_BYTES], key[NC_TEE_SEAL_KEY_BYTES], dk[DK_BYTES];
	uint32_t n = 0;
	size_t n_wraps, ct_len;
	const uint8_t *ct;
	nc_wire_reader_t r;
	if (!tee->ops)
		return NC_TEE_ERR_CLOSED;
	nc_wire_reader_init(&r, sealed, len);
	nc_tee_err_t err = tee_read_header(&r, "NCSL", SEAL_VERSION);
	if (err)
		return err;
	nc_wire_decode_u8(&r, &backend);
	nc_wire_decode_raw(&r, salt, sizeof salt);
	err = tee_read_digests(&r, ms, 1, NC_TEE_POLICY_MAX_MEASUREMENTS, &n);
	size_t header_len = r.pos;
	nc_wire_decode_len(&r, n, &n_wraps);
	for (size_t i = 0; i < n_wraps; i++)
		nc_wire_decode_raw(&r, wraps[i], WRAP_BYTES);
	nc_wire_decode_bytes(&r, NC_TEE_SEAL_MAX_BYTES + NC_CRYPTO_AEAD_TAG_BYTES, &ct, &ct_len);
	if (err || nc_wire_reader_finish(&r) || n_wraps != n || ct_len < NC_CRYPTO_AEAD_TAG_BYTES)
		return NC_TEE_ERR_FORMAT;
	if (backend != tee->ops->id)
		return NC_TEE_ERR_BACKEND;
	err = current_measurement(tee, own);
	if (err)
		return err;
	uint32_t mine = find((const uint8_t(*)[NC_TEE_MEASUREMENT_BYTES])ms, n, own);
	if (mine == n)
		return NC_TEE_ERR_SEAL_POLICY;
	if (ct_len - NC_CRYPTO_AEAD_TAG_BYTES > cap)
		return NC_TEE_ERR_TOO_SMALL;
	err = nc_tee_seal_key(tee, own, key);
	if (!err)
		err = aead(false, dk, wraps[mine], WRAP_BYTES, sealed, header_len, salt, key);
	if (!err)
		err = aead(false, out, ct, ct_len, sealed, header_len, salt, dk);
	nc_crypto_wipe(key, sizeof key);
	nc_crypto_wipe(dk, sizeof dk);
	if (!err)
		*len_out = ct_len - NC_CRYPTO_AEAD_TAG_BYTES;
	return err;
}
