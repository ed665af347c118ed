/* The labeled HKDF (RFC 9180 4) and DHKEM(X25519, HKDF-SHA256) (RFC 9180
 * 4.1, 7.1.3) over lib/crypto's HMAC-SHA256 HKDF and X25519. */
#include "hpke_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

enum { LABEL_MAX = 16, VERSION_LABEL_BYTES = 7 };
static const char version_label[] = "HPKE-v1";

/* I2OSP(v, 2) */
static void put_u16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void hpke_suite_kem(hpke_suite_t *s)
{
	nc_mem_copy(s->bytes, "KEM", 3);
	put_u16(s->bytes + 3, NC_HPKE_KEM_X25519_SHA256);
	s->len = 5;
}

void hpke_suite_hpke(hpke_suite_t *s, nc_hpke_aead_t aead)
{
	nc_mem_copy(s->bytes, "HPKE", 4);
	put_u16(s->bytes + 4, NC_HPKE_KEM_X25519_SHA256);
	put_u16(s->bytes + 6, NC_HPKE_KDF_HKDF_SHA256);
	put_u16(s->bytes + 8, (uint32_t)aead);
	s->len = 10;
}

/* "HPKE-v1" || suite_id || label || data into buf; returns the length. */
static size_t labeled(uint8_t *buf, const hpke_suite_t *suite, const char *label, const uint8_t *data,
		      size_t data_len)
{
	size_t n = 0, label_len = nc_str_len(label);
	nc_mem_copy(buf, version_label, VERSION_LABEL_BYTES);
	n += VERSION_LABEL_BYTES;
	nc_mem_copy(buf + n, suite->bytes, suite->len);
	n += suite->len;
	nc_mem_copy(buf + n, label, label_len);
	n += label_len;
	if (data_len)
		nc_mem_copy(buf + n, data, data_len);
	return n + data_len;
}

void hpke_labeled_extract(uint8_t prk[HPKE_NH], const hpke_suite_t *suite, const uint8_t *salt,
			  size_t salt_len, const char *label, const uint8_t *ikm, size_t ikm_len)
{
	uint8_t buf[VERSION_LABEL_BYTES + HPKE_SUITE_MAX + LABEL_MAX + NC_HPKE_IKM_MAX_BYTES];
	size_t n = labeled(buf, suite, label, ikm, ikm_len);
	nc_crypto_hkdf_sha256_extract(prk, salt, salt_len, buf, n);
	nc_crypto_wipe(buf, n);
}

void hpke_labeled_expand(uint8_t *out, size_t out_len, const uint8_t prk[HPKE_NH],
			 const hpke_suite_t *suite, const char *label, const uint8_t *info,
			 size_t info_len)
{
	uint8_t buf[2 + VERSION_LABEL_BYTES + HPKE_SUITE_MAX + LABEL_MAX + NC_HPKE_IKM_MAX_BYTES];
	put_u16(buf, (uint32_t)out_len);
	size_t n = 2 + labeled(buf + 2, suite, label, info, info_len);
	/* out_len is bounded by every caller, so expand cannot fail */
	nc_crypto_hkdf_sha256_expand(out, out_len, prk, buf, n);
	nc_crypto_wipe(buf, n);
}

nc_hpke_err_t nc_hpke_derive_keypair(uint8_t secret[NC_HPKE_SECRET_BYTES],
				     uint8_t pub[NC_HPKE_PUBLIC_BYTES], const uint8_t *ikm,
				     size_t ikm_len)
{
	hpke_suite_t kem;
	uint8_t prk[HPKE_NH];
	if (ikm_len == 0 || ikm_len > NC_HPKE_IKM_MAX_BYTES)
		return NC_HPKE_ERR_TOO_LONG;
	hpke_suite_kem(&kem);
	hpke_labeled_extract(prk, &kem, NULL, 0, "dkp_prk", ikm, ikm_len);
	hpke_labeled_expand(secret, NC_HPKE_SECRET_BYTES, prk, &kem, "sk", NULL, 0);
	nc_crypto_wipe(prk, sizeof prk);
	nc_crypto_x25519_public(pub, secret);
	return NC_HPKE_OK;
}

nc_hpke_err_t nc_hpke_generate_keypair(uint8_t secret[NC_HPKE_SECRET_BYTES],
				       uint8_t pub[NC_HPKE_PUBLIC_BYTES])
{
	uint8_t ikm[NC_HPKE_SECRET_BYTES];
	if (nc_crypto_random(ikm, sizeof ikm) != NC_CRYPTO_OK)
		return NC_HPKE_ERR_NO_RANDOM;
	nc_hpke_derive_keypair(secret, pub, ikm, sizeof ikm);
	nc_crypto_wipe(ikm, sizeof ikm);
	return NC_HPKE_OK;
}

/* ExtractAndExpand(dh, kem_context) (RFC 9180 4.1). */
static void extract_and_expand(uint8_t shared[HPKE_NH], const uint8_t *dh, size_t dh_len,
			       const uint8_t *kem_context, size_t context_len)
{
	hpke_suite_t kem;
	uint8_t prk[HPKE_NH];
	hpke_suite_kem(&kem);
	hpke_labeled_extract(prk, &kem, NULL, 0, "eae_prk", dh, dh_len);
	hpke_labeled_expand(shared, HPKE_NH, prk, &kem, "shared_secret", kem_context, context_len);
	nc_crypto_wipe(prk, sizeof prk);
}

/* The KEM's last step for both sides: dh holds one or two DH results (the
 * second for the auth modes), kem_context = enc || pkR [|| pkS]. dh is wiped. */
static void finish(uint8_t shared[HPKE_NH], uint8_t dh[2 * NC_CRYPTO_X25519_BYTES], size_t dh_len,
		   const uint8_t *enc, const uint8_t *pk_r, const uint8_t *pk_s)
{
	uint8_t ctx[3 * NC_HPKE_PUBLIC_BYTES];
	size_t n = 2 * NC_HPKE_PUBLIC_BYTES;
	nc_mem_copy(ctx, enc, NC_HPKE_ENC_BYTES);
	nc_mem_copy(ctx + NC_HPKE_ENC_BYTES, pk_r, NC_HPKE_PUBLIC_BYTES);
	if (pk_s) {
		nc_mem_copy(ctx + n, pk_s, NC_HPKE_PUBLIC_BYTES);
		n += NC_HPKE_PUBLIC_BYTES;
	}
	extract_and_expand(shared, dh, dh_len, ctx, n);
	nc_crypto_wipe(dh, 2 * NC_CRYPTO_X25519_BYTES);
}

/* dh[i] = DH(sk_i, pk_i) for the n (1 or 2) pairs; a low-order public key
 * (all-zero result) is RFC 9180's DH failure. Wipes dh on failure. */
static nc_hpke_err_t dh_all(uint8_t dh[2 * NC_CRYPTO_X25519_BYTES], const uint8_t *const sk[2],
			    const uint8_t *const pk[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (nc_crypto_x25519(dh + i * NC_CRYPTO_X25519_BYTES, sk[i], pk[i]) != NC_CRYPTO_OK) {
			nc_crypto_wipe(dh, 2 * NC_CRYPTO_X25519_BYTES);
			return NC_HPKE_ERR_WEAK_KEY;
		}
	return NC_HPKE_OK;
}

/* The DH of each of the n (1 or 2) pairs sk[i], pk[i], then ExtractAndExpand
 * over kem_context = enc || pk_r [|| pk_s]. */
static nc_hpke_err_t kem(uint8_t shared[HPKE_NH], const uint8_t *const sk[2], const uint8_t *const pk[2],
			 size_t n, const uint8_t *enc, const uint8_t *pk_r, const uint8_t *pk_s)
{
	uint8_t dh[2 * NC_CRYPTO_X25519_BYTES];
	nc_hpke_err_t err = dh_all(dh, sk, pk, n);
	if (!err)
		finish(shared, dh, n * NC_CRYPTO_X25519_BYTES, enc, pk_r, pk_s);
	return err;
}

nc_hpke_err_t hpke_encap(uint8_t shared[HPKE_NH], const uint8_t eph_secret[NC_HPKE_SECRET_BYTES],
			 const uint8_t enc[NC_HPKE_ENC_BYTES],
			 const uint8_t recipient_public[NC_HPKE_PUBLIC_BYTES],
			 const uint8_t *sender_secret)
{
	uint8_t pk_s[NC_HPKE_PUBLIC_BYTES];
	const uint8_t *sk[2] = { eph_secret, sender_secret };
	const uint8_t *pk[2] = { recipient_public, recipient_public };
	if (sender_secret)
		nc_crypto_x25519_public(pk_s, sender_secret);
	return kem(shared, sk, pk, sender_secret ? 2 : 1, enc, recipient_public, sender_secret ? pk_s : NULL);
}

nc_hpke_err_t hpke_decap(uint8_t shared[HPKE_NH], const uint8_t enc[NC_HPKE_ENC_BYTES],
			 const uint8_t recipient_secret[NC_HPKE_SECRET_BYTES],
			 const uint8_t *sender_public)
{
	uint8_t pk_r[NC_HPKE_PUBLIC_BYTES];
	const uint8_t *sk[2] = { recipient_secret, recipient_secret };
	const uint8_t *pk[2] = { enc, sender_public };
	nc_crypto_x25519_public(pk_r, recipient_secret);
	return kem(shared, sk, pk, sender_public ? 2 : 1, enc, pk_r, sender_public);
}
