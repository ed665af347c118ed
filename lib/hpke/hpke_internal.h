/* Shared inside lib/hpke: the labeled HKDF of RFC 9180 4 and the DHKEM of
 * RFC 9180 4.1 (kem.c), used by the key schedule and contexts (hpke.c). */
#ifndef LIB_HPKE_INTERNAL_H
#define LIB_HPKE_INTERNAL_H

#include <nc/hpke.h>

enum { HPKE_NH = 32, HPKE_SUITE_MAX = 10 };

/* A suite_id: "KEM" || I2OSP(kem_id, 2) or "HPKE" || kem || kdf || aead. */
typedef struct {
	uint8_t bytes[HPKE_SUITE_MAX];
	size_t len;
} hpke_suite_t;

void hpke_suite_kem(hpke_suite_t *s);
void hpke_suite_hpke(hpke_suite_t *s, nc_hpke_aead_t aead);

/* LabeledExtract(salt, label, ikm) into prk. The parts are concatenated on
 * the stack; ikm_len is at most NC_HPKE_IKM_MAX_BYTES (callers check). */
void hpke_labeled_extract(uint8_t prk[HPKE_NH], const hpke_suite_t *suite, const uint8_t *salt,
			  size_t salt_len, const char *label, const uint8_t *ikm, size_t ikm_len);
/* LabeledExpand(prk, label, info, out_len); info_len at most
 * NC_HPKE_IKM_MAX_BYTES, out_len at most NC_HPKE_EXPORT_MAX_BYTES. */
void hpke_labeled_expand(uint8_t *out, size_t out_len, const uint8_t prk[HPKE_NH],
			 const hpke_suite_t *suite, const char *label, const uint8_t *info,
			 size_t info_len);

/* Encap / AuthEncap (sender_secret non-NULL): shared secret and enc for
 * recipient_public from the ephemeral key pair (eph_secret, enc). */
nc_hpke_err_t hpke_encap(uint8_t shared[HPKE_NH], const uint8_t eph_secret[NC_HPKE_SECRET_BYTES],
			 const uint8_t enc[NC_HPKE_ENC_BYTES],
			 const uint8_t recipient_public[NC_HPKE_PUBLIC_BYTES],
			 const uint8_t *sender_secret);
/* Decap / AuthDecap (sender_public non-NULL). */
nc_hpke_err_t hpke_decap(uint8_t shared[HPKE_NH], const uint8_t enc[NC_HPKE_ENC_BYTES],
			 const uint8_t recipient_secret[NC_HPKE_SECRET_BYTES],
			 const uint8_t *sender_public);

#endif
