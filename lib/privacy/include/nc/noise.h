/* The Noise Protocol Framework, revision 34 (noiseprotocol.org/noise.html):
 * handshakes and transport encryption over libsodium (X25519, ChaCha20-
 * Poly1305, SHA-256/512, BLAKE2b), libb2 (BLAKE2s) and BearSSL (AES-256-GCM).
 *
 * Protocol names "Noise_PATTERN_25519_CIPHER_HASH" with
 *   PATTERN  a one-way (N K X), interactive (NN NK NX XN XK XX KN KK KX IN IK
 *            IX) or deferred (NK1 NX1 X1N X1K XK1 X1K1 X1X XX1 X1X1 K1N K1K
 *            KK1 K1K1 K1X KX1 K1X1 I1N I1K IK1 I1K1 I1X IX1 I1X1) pattern of
 *            spec section 7, optionally with psk modifiers (9): "XXpsk3",
 *            "NNpsk0+psk2";
 *   CIPHER   ChaChaPoly or AESGCM;  HASH  SHA256, SHA512, BLAKE2s or BLAKE2b.
 * Curve448 and the fallback modifier are not supported (NC_NOISE_ERR_NAME).
 *
 * Usage: fill a nc_noise_config_t, nc_noise_handshake_init, then alternate
 * nc_noise_write_message / nc_noise_read_message in the pattern's order (the
 * initiator writes first) until nc_noise_handshake_done; nc_noise_split then
 * gives the two transport cipher states. Every error leaves the handshake
 * unusable (later calls return NC_NOISE_ERR_STATE), as the spec requires
 * after a failed decryption; the caller starts over.
 *
 * All state is caller memory; nothing allocates. One handshake or cipher
 * state is used by one thread at a time. Secrets are wiped by the _fini
 * calls and on every error. Randomness for ephemeral keys comes from
 * nc_crypto_random (lib/crypto's injected source in freestanding builds). */
#ifndef NC_NOISE_H
#define NC_NOISE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_NOISE_MAX_MESSAGE 65535u /* bytes of any Noise message (spec 3) */
#define NC_NOISE_KEY_BYTES 32u      /* X25519 keys, DHLEN */
#define NC_NOISE_PSK_BYTES 32u
#define NC_NOISE_TAG_BYTES 16u
#define NC_NOISE_MAX_HASH_BYTES 64u /* HASHLEN of SHA512 and BLAKE2b */
#define NC_NOISE_MAX_PSKS 4u
#define NC_NOISE_MAX_MESSAGES 4u     /* handshake messages of the longest pattern */
#define NC_NOISE_MAX_TOKENS 8u       /* tokens of one message, psk included */
#define NC_NOISE_MAX_NAME_BYTES 64u

typedef enum {
	NC_NOISE_OK = 0,
	NC_NOISE_ERR_NAME,        /* malformed or unsupported protocol name */
	NC_NOISE_ERR_MISSING_KEY, /* the pattern needs s, rs or a psk the config lacks (or has too many psks) */
	NC_NOISE_ERR_STATE,       /* out of turn, handshake over, or unusable after an error */
	NC_NOISE_ERR_TOO_LONG,    /* a message over NC_NOISE_MAX_MESSAGE, or the output buffer is too small */
	NC_NOISE_ERR_SHORT,       /* a received message ends before its tokens or tag */
	NC_NOISE_ERR_AUTH,        /* decryption failed (wrong key, tampering) */
	NC_NOISE_ERR_NONCE,       /* the cipher state's nonce is exhausted (2^64 - 1 is reserved) */
	NC_NOISE_ERR_DH,          /* a DH gave all zeros: the peer sent a low-order key */
	NC_NOISE_ERR_RANDOM,      /* no randomness for an ephemeral key */
} nc_noise_err_t;

/* Static name of err ("NC_NOISE_ERR_AUTH"); "NC_NOISE_ERR_UNKNOWN" otherwise. */
const char *nc_noise_err_name(nc_noise_err_t err);

/* A CipherState (spec 5.1). */
typedef struct {
	uint8_t k[32];
	uint64_t n;    /* next nonce */
	bool has_key;
	uint8_t cipher; /* internal cipher id, set by the handshake */
} nc_noise_cipher_t;

/* EncryptWithAd: out = ENCRYPT(k, n++, ad, pt) (len + 16 bytes), or pt itself
 * when there is no key. out may equal pt. Errors: NC_NOISE_ERR_NONCE (n is
 * 2^64 - 1: nothing written, the state stays at the limit),
 * NC_NOISE_ERR_TOO_LONG (the result would exceed NC_NOISE_MAX_MESSAGE or cap). */
nc_noise_err_t nc_noise_encrypt(nc_noise_cipher_t *c, const uint8_t *ad, size_t ad_len, const uint8_t *pt,
				size_t len, uint8_t *out, size_t cap, size_t *out_len);
/* DecryptWithAd: out = DECRYPT(k, n, ad, ct) (len - 16 bytes); n advances only
 * on success. out may equal ct. Errors: NC_NOISE_ERR_NONCE, NC_NOISE_ERR_TOO_LONG
 * (len over NC_NOISE_MAX_MESSAGE, or cap too small), NC_NOISE_ERR_SHORT (len <
 * 16 with a key), NC_NOISE_ERR_AUTH (out is zeroed). */
nc_noise_err_t nc_noise_decrypt(nc_noise_cipher_t *c, const uint8_t *ad, size_t ad_len, const uint8_t *ct,
				size_t len, uint8_t *out, size_t cap, size_t *out_len);
/* Rekey (spec 4.2, 11.3): k = the first 32 bytes of ENCRYPT(k, 2^64 - 1, "", 32
 * zero bytes); n is unchanged. Without a key: nothing. */
void nc_noise_rekey(nc_noise_cipher_t *c);
/* SetNonce (spec 5.1), for transports that deliver out of order. */
void nc_noise_set_nonce(nc_noise_cipher_t *c, uint64_t n);
void nc_noise_cipher_fini(nc_noise_cipher_t *c);

typedef struct {
	const char *protocol_name; /* e.g. "Noise_XX_25519_ChaChaPoly_BLAKE2b" */
	bool initiator;
	const uint8_t *prologue;
	size_t prologue_len;
	const uint8_t *s;  /* our static private key (32 bytes), or NULL */
	const uint8_t *rs; /* the peer's static public key known in advance, or NULL */
	const uint8_t *psks[NC_NOISE_MAX_PSKS]; /* in the order the handshake uses them */
	size_t n_psks;
	/* Our ephemeral private key, for test vectors only (spec 8.3 leaves
	 * ephemeral generation to the implementation); NULL: a fresh random key. */
	const uint8_t *e;
} nc_noise_config_t;

/* A HandshakeState with its SymmetricState (spec 5.2, 5.3). Opaque: use the
 * functions below. */
typedef struct {
	uint8_t ck[NC_NOISE_MAX_HASH_BYTES], h[NC_NOISE_MAX_HASH_BYTES];
	nc_noise_cipher_t cs;
	uint8_t s[32], s_pub[32], e[32], e_pub[32], rs[32], re[32];
	uint8_t psks[NC_NOISE_MAX_PSKS][NC_NOISE_PSK_BYTES];
	uint8_t tokens[NC_NOISE_MAX_MESSAGES][NC_NOISE_MAX_TOKENS]; /* compiled pattern */
	uint8_t n_messages, next_message, next_psk, hash;
	bool initiator, one_way, psk_mode, has_s, has_e, has_rs, has_re, fixed_e, failed;
} nc_noise_handshake_t;

/* Parse the protocol name, check the keys the pattern needs (s for every
 * "s" we send or pre-message we own, rs for a pre-message of the peer's,
 * one psk per modifier), and run Initialize (spec 5.3): the symmetric state,
 * the prologue and the pre-message keys. Copies the keys; cfg may go away.
 * Errors: NC_NOISE_ERR_NAME, NC_NOISE_ERR_MISSING_KEY. */
nc_noise_err_t nc_noise_handshake_init(nc_noise_handshake_t *hs, const nc_noise_config_t *cfg);

/* WriteMessage (spec 5.3): the next handshake message, carrying payload
 * (encrypted once a key is set), into out[0..cap); *out_len its length.
 * Errors: NC_NOISE_ERR_STATE (not our turn, or done), NC_NOISE_ERR_TOO_LONG,
 * NC_NOISE_ERR_DH, NC_NOISE_ERR_RANDOM. */
nc_noise_err_t nc_noise_write_message(nc_noise_handshake_t *hs, const uint8_t *payload, size_t payload_len,
				      uint8_t *out, size_t cap, size_t *out_len);
/* ReadMessage (spec 5.3): parse msg[0..len), payload into payload[0..cap).
 * Errors: NC_NOISE_ERR_STATE, NC_NOISE_ERR_TOO_LONG, NC_NOISE_ERR_SHORT,
 * NC_NOISE_ERR_AUTH, NC_NOISE_ERR_DH. */
nc_noise_err_t nc_noise_read_message(nc_noise_handshake_t *hs, const uint8_t *msg, size_t len,
				     uint8_t *payload, size_t cap, size_t *payload_len);

/* True once every handshake message was written or read. */
bool nc_noise_handshake_done(const nc_noise_handshake_t *hs);
/* True when the next handshake message is ours to write. */
bool nc_noise_handshake_my_turn(const nc_noise_handshake_t *hs);

/* The two cipher states of Split (spec 5.2), by role: send encrypts what we
 * send, recv decrypts what we receive (for one-way patterns the responder
 * only receives and the initiator only sends). The handshake hash (HASHLEN
 * bytes, *hash_len) binds the session (channel binding, spec 11.2). Wipes
 * the handshake. Errors: NC_NOISE_ERR_STATE (not done). */
nc_noise_err_t nc_noise_split(nc_noise_handshake_t *hs, nc_noise_cipher_t *send, nc_noise_cipher_t *recv,
			      uint8_t hash[NC_NOISE_MAX_HASH_BYTES], size_t *hash_len);
/* The peer's static public key (pre-message or received), if known; ask
 * before nc_noise_split, which wipes the handshake. */
bool nc_noise_remote_static(const nc_noise_handshake_t *hs, uint8_t rs[NC_NOISE_KEY_BYTES]);
void nc_noise_handshake_fini(nc_noise_handshake_t *hs);

#endif
