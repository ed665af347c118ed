/* NexaCore envelopes (docs/attestation.md): payloads sealed to a recipient
 * whose attestation the sender checked. The recipient's quote binds its
 * X25519 key (report_data[0..32)) and the sender's nonce
 * (report_data[32..64)); the sender verifies the quote against its policy
 * (trusted roots, accepted measurements, TCB minimum, that nonce) and opens
 * an HPKE session (RFC 9180, base mode, DHKEM(X25519, HKDF-SHA256),
 * HKDF-SHA256, ChaCha20Poly1305, lib/hpke) to that key, with
 *   info = "NexaCore envelope v1" || BLAKE3(recipient's quote)
 * so the session is tied to the attestation it was opened on. A relay that
 * forwards envelopes sees only this:
 *   Envelope := { magic: [u8; 4] = "NCEV", version: u8 = 1, session: [u8; 16],
 *                 seq: u64, enc: Option<[u8; 32]> (Some exactly when seq is 0),
 *                 ciphertext: bytes }
 * The ciphertext authenticates every byte before it (HPKE's aad). Envelopes
 * of a session are opened in order: seq must be the next one; an envelope
 * seen before is a replay. A recipient key serves exactly one session (the
 * first envelope with seq 0 it opens): every attestation gets a fresh key,
 * so an old session cannot be replayed into a new one.
 *
 * Caller memory only; one sender or recipient per session, not thread-safe. */
#ifndef NC_ENVELOPE_H
#define NC_ENVELOPE_H

#include <nc/hpke.h>
#include <nc/tee.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	NC_ENVELOPE_SESSION_BYTES = 16,
	NC_ENVELOPE_MAX_PAYLOAD = 65536,
	NC_ENVELOPE_MAX_OVERHEAD = 4 + 1 + 16 + 10 + 1 + 32 + 3 + NC_HPKE_TAG_BYTES,
};

typedef enum {
	NC_ENVELOPE_OK = 0,
	NC_ENVELOPE_ERR_FORMAT,      /* malformed envelope (also: enc present when seq > 0, or absent at 0) */
	NC_ENVELOPE_ERR_VERSION,     /* an envelope version this code does not know */
	NC_ENVELOPE_ERR_ATTESTATION, /* the recipient's quote does not verify (chain, format) */
	NC_ENVELOPE_ERR_MEASUREMENT, /* the quote's measurement, TCB or backend is not one the policy accepts */
	NC_ENVELOPE_ERR_STALE,       /* the quote does not carry the sender's nonce */
	NC_ENVELOPE_ERR_POLICY,      /* the sender's policy has no nonce: freshness is required */
	NC_ENVELOPE_ERR_TAMPERED,    /* the ciphertext does not authenticate (altered, or not for this key) */
	NC_ENVELOPE_ERR_REPLAY,      /* an envelope of this session seen before (seq below the next) */
	NC_ENVELOPE_ERR_SESSION,     /* another session than this key's, or seq ahead of the next */
	NC_ENVELOPE_ERR_TOO_LONG,    /* payload over NC_ENVELOPE_MAX_PAYLOAD */
	NC_ENVELOPE_ERR_TOO_SMALL,   /* output buffer too small */
	NC_ENVELOPE_ERR_NO_RANDOM,   /* no randomness for the session */
	NC_ENVELOPE_ERR_KEY,         /* the bound key is unusable (a low-order X25519 point) */
} nc_envelope_err_t;

const char *nc_envelope_err_name(nc_envelope_err_t err);

/* report_data for a recipient's quote: public key || nonce. */
void nc_envelope_report_data(uint8_t rd[NC_TEE_REPORT_DATA_BYTES], const uint8_t pub[NC_HPKE_PUBLIC_BYTES],
			     const uint8_t nonce[NC_TEE_NONCE_BYTES]);

/* The bytes an envelope of payload_len bytes at sequence seq takes. */
size_t nc_envelope_size(uint64_t seq, size_t payload_len);

/* An envelope's parts, borrowed from its bytes (for relays, tools, fuzzing). */
typedef struct {
	uint8_t session[NC_ENVELOPE_SESSION_BYTES];
	uint64_t seq;
	bool has_enc;
	uint8_t enc[NC_HPKE_ENC_BYTES];
	const uint8_t *ciphertext;
	size_t ciphertext_len;
	size_t aad_len; /* the authenticated header: env[0..aad_len) */
} nc_envelope_view_t;

/* Errors: NC_ENVELOPE_ERR_FORMAT, NC_ENVELOPE_ERR_VERSION. */
nc_envelope_err_t nc_envelope_parse(const uint8_t *env, size_t len, nc_envelope_view_t *out);

typedef struct {
	nc_hpke_context_t hpke;
	uint8_t session[NC_ENVELOPE_SESSION_BYTES];
	uint8_t enc[NC_HPKE_ENC_BYTES];
	uint64_t next_seq;
	nc_tee_claims_t recipient; /* what the recipient's quote stated, verified */
} nc_envelope_sender_t;

/* Verify the recipient's quote with roots and policy (which must carry the
 * nonce the sender sent) and open a session to the key it binds. *tee_err
 * (may be NULL) gets the verifier's own error. Errors:
 * NC_ENVELOPE_ERR_POLICY (no nonce in policy), _ATTESTATION, _MEASUREMENT,
 * _STALE, _KEY, _NO_RANDOM. */
nc_envelope_err_t nc_envelope_sender_open(nc_envelope_sender_t *s, const uint8_t *quote, size_t quote_len,
					  const nc_tee_roots_t *roots, const nc_tee_policy_t *policy,
					  nc_tee_err_t *tee_err);
/* Seal payload[0..len) as the session's next envelope into out[0..cap).
 * Errors: NC_ENVELOPE_ERR_TOO_LONG, _TOO_SMALL. */
nc_envelope_err_t nc_envelope_seal(nc_envelope_sender_t *s, const uint8_t *payload, size_t len, uint8_t *out,
				   size_t cap, size_t *len_out);
void nc_envelope_sender_close(nc_envelope_sender_t *s);

typedef struct {
	uint8_t secret[NC_HPKE_SECRET_BYTES];
	uint8_t quote_hash[32];
	bool in_session;
	uint8_t session[NC_ENVELOPE_SESSION_BYTES];
	nc_hpke_context_t hpke;
	uint64_t next_seq;
} nc_envelope_recipient_t;

/* A recipient for the key secret (its public key is the one in its quote)
 * and its quote (hashed into the session). */
void nc_envelope_recipient_init(nc_envelope_recipient_t *r, const uint8_t secret[NC_HPKE_SECRET_BYTES],
				const uint8_t *quote, size_t quote_len);
/* Open the next envelope of this recipient's session into out[0..cap).
 * Nothing changes on error. Errors: NC_ENVELOPE_ERR_FORMAT, _VERSION,
 * _SESSION, _REPLAY, _TAMPERED, _KEY, _TOO_SMALL. */
nc_envelope_err_t nc_envelope_open(nc_envelope_recipient_t *r, const uint8_t *env, size_t len, uint8_t *out,
				   size_t cap, size_t *len_out);
void nc_envelope_recipient_close(nc_envelope_recipient_t *r);

#endif
