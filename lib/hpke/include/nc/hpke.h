/* HPKE, Hybrid Public Key Encryption (RFC 9180), for one suite family:
 * KEM DHKEM(X25519, HKDF-SHA256) (0x0020), KDF HKDF-SHA256 (0x0001), and AEAD
 * ChaCha20Poly1305 (0x0003) or export-only (0xFFFF). All four modes (base,
 * psk, auth, auth_psk) and the secret export. Built on lib/crypto (libsodium's
 * X25519, HMAC-SHA256 and ChaCha20-Poly1305): no primitive is written here.
 *
 * A context is one direction of one session: the sender seals, the recipient
 * opens, both may export. Messages must be opened in the order they were
 * sealed (RFC 9180 5.2: the nonce is the base nonce XOR the sequence number,
 * which each side counts on its own). Contexts are caller memory; nothing
 * allocates. Not thread-safe per context; distinct contexts are independent.
 * Secrets in a context are wiped by nc_hpke_context_wipe; intermediate
 * secrets on our stack are wiped before return. */
#ifndef NC_HPKE_H
#define NC_HPKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_HPKE_KEM_X25519_SHA256 0x0020u
#define NC_HPKE_KDF_HKDF_SHA256 0x0001u

typedef enum {
	NC_HPKE_AEAD_CHACHA20POLY1305 = 0x0003,
	NC_HPKE_AEAD_EXPORT_ONLY = 0xffff,
} nc_hpke_aead_t;

typedef enum {
	NC_HPKE_MODE_BASE = 0,
	NC_HPKE_MODE_PSK = 1,
	NC_HPKE_MODE_AUTH = 2,
	NC_HPKE_MODE_AUTH_PSK = 3,
} nc_hpke_mode_t;

enum {
	NC_HPKE_PUBLIC_BYTES = 32, /* Npk: an X25519 public key */
	NC_HPKE_SECRET_BYTES = 32, /* Nsk: an X25519 private key */
	NC_HPKE_ENC_BYTES = 32,    /* Nenc: the encapsulated key */
	NC_HPKE_TAG_BYTES = 16,    /* Nt */
	NC_HPKE_PSK_MIN_BYTES = 32, /* RFC 9180 9.5: a PSK carries at least 32 bytes of entropy */
	/* Our bounds on variable inputs (RFC 9180 7.2.1 asks for at least 64). */
	NC_HPKE_INFO_MAX_BYTES = 256,
	NC_HPKE_PSK_MAX_BYTES = 256,
	NC_HPKE_PSK_ID_MAX_BYTES = 256,
	NC_HPKE_EXPORT_CONTEXT_MAX_BYTES = 256,
	NC_HPKE_IKM_MAX_BYTES = 256,
	NC_HPKE_EXPORT_MAX_BYTES = 255 * 32, /* 255 * Nh */
};

typedef enum {
	NC_HPKE_OK = 0,
	NC_HPKE_ERR_MODE,        /* the inputs do not fit the mode (a PSK in base mode, no sender key in auth mode, ...) */
	NC_HPKE_ERR_PSK,         /* psk and psk_id not both given, or psk shorter than NC_HPKE_PSK_MIN_BYTES */
	NC_HPKE_ERR_TOO_LONG,    /* info, psk, psk_id, ikm or exporter context over its bound */
	NC_HPKE_ERR_AEAD,        /* an AEAD id other than the two supported */
	NC_HPKE_ERR_WEAK_KEY,    /* a Diffie-Hellman result is all zero (a low-order public key) */
	NC_HPKE_ERR_AUTH,        /* open: the ciphertext is not authentic under this context */
	NC_HPKE_ERR_EXPORT_ONLY, /* seal or open on an export-only context */
	NC_HPKE_ERR_ROLE,        /* seal on a recipient context, or open on a sender context */
	NC_HPKE_ERR_SEQUENCE,    /* the sequence number would wrap (RFC 9180 5.2 MessageLimitReachedError) */
	NC_HPKE_ERR_LENGTH,      /* a plaintext, ciphertext or export length out of bounds */
	NC_HPKE_ERR_NO_RANDOM,   /* no randomness for an ephemeral key */
} nc_hpke_err_t;

/* Static name of err ("NC_HPKE_ERR_AUTH"); "NC_HPKE_ERR_UNKNOWN" otherwise. */
const char *nc_hpke_err_name(nc_hpke_err_t err);

/* What a session is set up with. Pointers are borrowed for the setup call. */
typedef struct {
	nc_hpke_mode_t mode;
	nc_hpke_aead_t aead;
	const uint8_t *info;       /* application info, 0..NC_HPKE_INFO_MAX_BYTES */
	size_t info_len;
	const uint8_t *psk;        /* psk modes only */
	size_t psk_len;
	const uint8_t *psk_id;     /* psk modes only */
	size_t psk_id_len;
	/* auth modes: the sender's key pair (sender side: secret; recipient
	 * side: public). NULL otherwise. */
	const uint8_t *sender_secret;
	const uint8_t *sender_public;
	/* Sender side only: NULL draws a fresh ephemeral key (lib/crypto's
	 * randomness); otherwise the ephemeral key is DeriveKeyPair(ikm_e), which
	 * only reproducing test vectors should do. */
	const uint8_t *ikm_e;
	size_t ikm_e_len;
} nc_hpke_setup_t;

typedef struct {
	nc_hpke_aead_t aead;
	bool sender;
	uint8_t key[32];
	uint8_t base_nonce[12];
	uint8_t exporter_secret[32];
	uint64_t seq; /* the next message's sequence number */
} nc_hpke_context_t;

/* DeriveKeyPair (RFC 9180 7.1.3) of ikm[0..ikm_len), 1..NC_HPKE_IKM_MAX_BYTES
 * bytes. Errors: NC_HPKE_ERR_TOO_LONG (also for an empty ikm). */
nc_hpke_err_t nc_hpke_derive_keypair(uint8_t secret[NC_HPKE_SECRET_BYTES],
				     uint8_t pub[NC_HPKE_PUBLIC_BYTES], const uint8_t *ikm,
				     size_t ikm_len);
/* A fresh key pair from lib/crypto's randomness. Errors: NC_HPKE_ERR_NO_RANDOM. */
nc_hpke_err_t nc_hpke_generate_keypair(uint8_t secret[NC_HPKE_SECRET_BYTES],
				       uint8_t pub[NC_HPKE_PUBLIC_BYTES]);

/* SetupBaseS / SetupPSKS / SetupAuthS / SetupAuthPSKS (RFC 9180 5.1) by
 * s->mode: encapsulate to recipient_public, write the encapsulated key to
 * enc and a sender context to ctx. Errors: NC_HPKE_ERR_MODE, _PSK, _TOO_LONG,
 * _AEAD, _WEAK_KEY, _NO_RANDOM; ctx is then wiped. */
nc_hpke_err_t nc_hpke_setup_sender(nc_hpke_context_t *ctx, const nc_hpke_setup_t *s,
				   const uint8_t recipient_public[NC_HPKE_PUBLIC_BYTES],
				   uint8_t enc[NC_HPKE_ENC_BYTES]);
/* The recipient's side: decapsulate enc with recipient_secret. Errors as
 * nc_hpke_setup_sender but _NO_RANDOM; ctx is then wiped. */
nc_hpke_err_t nc_hpke_setup_recipient(nc_hpke_context_t *ctx, const nc_hpke_setup_t *s,
				      const uint8_t enc[NC_HPKE_ENC_BYTES],
				      const uint8_t recipient_secret[NC_HPKE_SECRET_BYTES]);

/* ContextS.Seal: encrypt pt[0..pt_len) with aad into ct (pt_len + 16 bytes)
 * and advance the sequence. Errors: NC_HPKE_ERR_ROLE, _EXPORT_ONLY,
 * _SEQUENCE, _LENGTH (the AEAD's limit); nothing is written or advanced then. */
nc_hpke_err_t nc_hpke_seal(nc_hpke_context_t *ctx, uint8_t *ct, const uint8_t *aad, size_t aad_len,
			   const uint8_t *pt, size_t pt_len);
/* ContextR.Open: check and decrypt ct[0..ct_len) into pt (ct_len - 16 bytes)
 * and advance the sequence. Errors: NC_HPKE_ERR_ROLE, _EXPORT_ONLY, _SEQUENCE,
 * _LENGTH (ct_len < 16), _AUTH (pt zeroed, the sequence does not advance). */
nc_hpke_err_t nc_hpke_open(nc_hpke_context_t *ctx, uint8_t *pt, const uint8_t *aad, size_t aad_len,
			   const uint8_t *ct, size_t ct_len);
/* Context.Export (RFC 9180 5.3): out_len (0..NC_HPKE_EXPORT_MAX_BYTES) bytes
 * bound to exporter_context. Errors: NC_HPKE_ERR_TOO_LONG, _LENGTH. */
nc_hpke_err_t nc_hpke_export(const nc_hpke_context_t *ctx, uint8_t *out, size_t out_len,
			     const uint8_t *exporter_context, size_t context_len);

/* Wipe the context's keys. */
void nc_hpke_context_wipe(nc_hpke_context_t *ctx);

#endif
