/* lib/privacy Noise behaviour beyond the Cacophony vectors (which
 * noise_cacophony_host_test.c runs): handshakes with fresh ephemeral keys,
 * rekey, nonce exhaustion, the one-way unused direction, the message size
 * limit, tampering, truncation, out-of-turn calls, missing keys, bad names
 * and low-order keys. Freestanding-clean: also runs inside NexaCore
 * (libtests). Ephemeral keys come from a deterministic test source installed
 * with nc_crypto_set_random. */
#include "nc_test.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/noise.h>

static uint64_t rng_state = 0x243f6a8885a308d3ull;

static bool test_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)(nc_test_random(&rng_state) >> 24);
	}
	return true;
}

static const uint8_t s_i[32] = { 1, 2, 3, 4 }, s_r[32] = { 5, 6, 7, 8 }, psk[32] = { 9, 9, 9 };

typedef struct {
	nc_noise_cipher_t i_send, i_recv, r_send, r_recv;
	uint8_t rs_seen_by_r[32];
} session_t;

/* Run a whole handshake of name between two fresh handshake states; payloads
 * "m0", "m1", ... ride along and must arrive. */
static nc_noise_err_t handshake(const char *name, bool with_psk, session_t *out)
{
	uint8_t pub_r[32];
	nc_crypto_x25519_public(pub_r, s_r);
	nc_noise_config_t ci = { .protocol_name = name, .initiator = true, .s = s_i, .rs = pub_r };
	nc_noise_config_t cr = { .protocol_name = name, .initiator = false, .s = s_r };
	if (with_psk) {
		ci.psks[0] = cr.psks[0] = psk;
		ci.n_psks = cr.n_psks = 1;
	}
	nc_noise_handshake_t hi, hr;
	nc_noise_err_t err = nc_noise_handshake_init(&hi, &ci);
	if (err == NC_NOISE_OK)
		err = nc_noise_handshake_init(&hr, &cr);
	for (int m = 0; err == NC_NOISE_OK && !nc_noise_handshake_done(&hi); m++) {
		nc_noise_handshake_t *w = nc_noise_handshake_my_turn(&hi) ? &hi : &hr;
		nc_noise_handshake_t *r = w == &hi ? &hr : &hi;
		uint8_t msg[256], got[64];
		uint8_t payload[2] = { 'm', (uint8_t)('0' + m) };
		size_t len = 0, got_len = 0;
		err = nc_noise_write_message(w, payload, 2, msg, sizeof msg, &len);
		if (err == NC_NOISE_OK)
			err = nc_noise_read_message(r, msg, len, got, sizeof got, &got_len);
		if (err == NC_NOISE_OK && (got_len != 2 || nc_mem_compare(got, payload, 2) != 0))
			return NC_NOISE_ERR_AUTH;
	}
	if (err != NC_NOISE_OK)
		return err;
	uint8_t h1[64], h2[64];
	size_t l1 = 0, l2 = 0;
	if (!nc_noise_remote_static(&hr, out->rs_seen_by_r))
		nc_mem_set(out->rs_seen_by_r, 0, 32);
	nc_noise_split(&hi, &out->i_send, &out->i_recv, h1, &l1);
	nc_noise_split(&hr, &out->r_send, &out->r_recv, h2, &l2);
	return l1 == l2 && nc_mem_compare(h1, h2, l1) == 0 ? NC_NOISE_OK : NC_NOISE_ERR_AUTH;
}

static bool exchange(nc_noise_cipher_t *tx, nc_noise_cipher_t *rx, const char *text)
{
	uint8_t ct[128], pt[128];
	size_t n = nc_str_len(text), cl = 0, pl = 0;
	return nc_noise_encrypt(tx, NULL, 0, (const uint8_t *)text, n, ct, sizeof ct, &cl) == NC_NOISE_OK &&
	       cl == n + NC_NOISE_TAG_BYTES &&
	       nc_noise_decrypt(rx, NULL, 0, ct, cl, pt, sizeof pt, &pl) == NC_NOISE_OK && pl == n &&
	       nc_mem_compare(pt, text, n) == 0;
}

NC_TEST(noise, fresh_handshakes_all_required_patterns)
{
	nc_crypto_set_random(test_random, NULL);
	static const struct {
		const char *name;
		bool psk;
	} cases[] = {
		{ "Noise_NN_25519_ChaChaPoly_SHA256", false },     { "Noise_NK_25519_ChaChaPoly_BLAKE2s", false },
		{ "Noise_XX_25519_ChaChaPoly_BLAKE2b", false },    { "Noise_IK_25519_AESGCM_SHA256", false },
		{ "Noise_XK_25519_AESGCM_SHA512", false },         { "Noise_XXpsk3_25519_ChaChaPoly_SHA256", true },
		{ "Noise_IKpsk2_25519_ChaChaPoly_BLAKE2b", true }, { "Noise_NNpsk0_25519_AESGCM_BLAKE2s", true },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		session_t s;
		NC_CHECK_EQ(handshake(cases[i].name, cases[i].psk, &s), NC_NOISE_OK);
		NC_CHECK(exchange(&s.i_send, &s.r_recv, "to the responder"));
		NC_CHECK(exchange(&s.r_send, &s.i_recv, "to the initiator"));
	}
	/* XX carries the initiator's static key to the responder. */
	session_t s;
	uint8_t pub_i[32];
	nc_crypto_x25519_public(pub_i, s_i);
	NC_CHECK_EQ(handshake("Noise_XX_25519_ChaChaPoly_SHA256", false, &s), NC_NOISE_OK);
	NC_CHECK(nc_mem_compare(s.rs_seen_by_r, pub_i, 32) == 0);
	/* A different psk on one side fails authentication. */
	uint8_t pub_r[32];
	nc_crypto_x25519_public(pub_r, s_r);
	static const uint8_t other[32] = { 1 };
	nc_noise_config_t ci = { .protocol_name = "Noise_NNpsk0_25519_ChaChaPoly_SHA256", .initiator = true,
				 .psks = { psk }, .n_psks = 1 };
	nc_noise_config_t cr = ci;
	cr.initiator = false;
	cr.psks[0] = other;
	nc_noise_handshake_t hi, hr;
	uint8_t msg[128], pl[16];
	size_t len = 0, pl_len = 0;
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_handshake_init(&hr, &cr), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hi, NULL, 0, msg, sizeof msg, &len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_ERR_AUTH);
}

NC_TEST(noise, rekey_and_nonce_exhaustion)
{
	nc_crypto_set_random(test_random, NULL);
	session_t s;
	NC_CHECK_EQ(handshake("Noise_XX_25519_ChaChaPoly_BLAKE2b", false, &s), NC_NOISE_OK);
	/* Rekey one side only: the peer can no longer decrypt; rekey both: it can. */
	nc_noise_cipher_t saved = s.r_recv;
	nc_noise_rekey(&s.i_send);
	uint8_t ct[64], pt[64];
	size_t cl = 0, pl = 0;
	NC_CHECK_EQ(nc_noise_encrypt(&s.i_send, NULL, 0, (const uint8_t *)"x", 1, ct, sizeof ct, &cl), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, NULL, 0, ct, cl, pt, sizeof pt, &pl), NC_NOISE_ERR_AUTH);
	NC_CHECK_EQ(s.r_recv.n, saved.n); /* a failed decryption does not consume the nonce */
	nc_noise_rekey(&s.r_recv);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, NULL, 0, ct, cl, pt, sizeof pt, &pl), NC_NOISE_OK);
	NC_CHECK(exchange(&s.i_send, &s.r_recv, "after rekey"));
	/* 2^64 - 1 is reserved: the message at 2^64 - 2 is the last one. */
	nc_noise_set_nonce(&s.i_send, UINT64_MAX - 1);
	nc_noise_set_nonce(&s.r_recv, UINT64_MAX - 1);
	NC_CHECK(exchange(&s.i_send, &s.r_recv, "last"));
	NC_CHECK_EQ(nc_noise_encrypt(&s.i_send, NULL, 0, (const uint8_t *)"x", 1, ct, sizeof ct, &cl), NC_NOISE_ERR_NONCE);
	NC_CHECK_EQ(cl, 0);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, NULL, 0, ct, 17, pt, sizeof pt, &pl), NC_NOISE_ERR_NONCE);
	NC_CHECK_EQ(s.i_send.n, UINT64_MAX);
}

NC_TEST(noise, message_limits_and_tampering)
{
	nc_crypto_set_random(test_random, NULL);
	session_t s;
	NC_CHECK_EQ(handshake("Noise_NN_25519_AESGCM_SHA256", false, &s), NC_NOISE_OK);
	static uint8_t big[NC_NOISE_MAX_MESSAGE + 16], out[NC_NOISE_MAX_MESSAGE + 16];
	size_t n = 0;
	/* 65535 - 16 bytes of payload is the largest transport message. */
	NC_CHECK_EQ(nc_noise_encrypt(&s.i_send, NULL, 0, big, NC_NOISE_MAX_MESSAGE - 16, out, sizeof out, &n),
		    NC_NOISE_OK);
	NC_CHECK_EQ(n, NC_NOISE_MAX_MESSAGE);
	NC_CHECK_EQ(nc_noise_encrypt(&s.i_send, NULL, 0, big, NC_NOISE_MAX_MESSAGE - 15, out, sizeof out, &n),
		    NC_NOISE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, NULL, 0, big, NC_NOISE_MAX_MESSAGE + 1, out, sizeof out, &n),
		    NC_NOISE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, NULL, 0, big, 15, out, sizeof out, &n), NC_NOISE_ERR_SHORT);
	/* A flipped bit in the ciphertext or the associated data is refused. */
	nc_noise_set_nonce(&s.i_send, 0);
	uint8_t ct[64], pt[64];
	size_t cl = 0, pl = 0;
	NC_CHECK_EQ(nc_noise_encrypt(&s.i_send, (const uint8_t *)"ad", 2, (const uint8_t *)"hello", 5, ct, sizeof ct, &cl),
		    NC_NOISE_OK);
	ct[2] ^= 1;
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, (const uint8_t *)"ad", 2, ct, cl, pt, sizeof pt, &pl), NC_NOISE_ERR_AUTH);
	ct[2] ^= 1;
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, (const uint8_t *)"AD", 2, ct, cl, pt, sizeof pt, &pl), NC_NOISE_ERR_AUTH);
	NC_CHECK_EQ(nc_noise_decrypt(&s.r_recv, (const uint8_t *)"ad", 2, ct, cl, pt, sizeof pt, &pl), NC_NOISE_OK);
	NC_CHECK_EQ(pl, 5);
}

NC_TEST(noise, handshake_misuse_is_refused)
{
	nc_crypto_set_random(test_random, NULL);
	nc_noise_handshake_t hi, hr;
	uint8_t pub_r[32], msg[256], pl[64];
	size_t len = 0, pl_len = 0;
	nc_crypto_x25519_public(pub_r, s_r);
	static const char *const bad_names[] = {
		"Noise_XX_448_ChaChaPoly_SHA256", "Noise_XX_25519_ChaChaPoly_SHA3", "Noise_ZZ_25519_ChaChaPoly_SHA256",
		"Noise_XXpsk_25519_ChaChaPoly_SHA256", "Noise_XXpsk3+_25519_ChaChaPoly_SHA256",
		"Noise_XXfallback_25519_ChaChaPoly_SHA256", "Noise_XX_25519_ChaChaPoly_SHA256_extra",
		"Nois_XX_25519_ChaChaPoly_SHA256", "Noise_XXpsk9_25519_ChaChaPoly_SHA256", "",
	};
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		nc_noise_config_t c = { .protocol_name = bad_names[i], .initiator = true };
		NC_CHECK_EQ(nc_noise_handshake_init(&hi, &c), NC_NOISE_ERR_NAME);
	}
	/* IK needs our s and their rs; XXpsk3 needs exactly one psk. */
	nc_noise_config_t ik = { .protocol_name = "Noise_IK_25519_ChaChaPoly_SHA256", .initiator = true, .s = s_i };
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ik), NC_NOISE_ERR_MISSING_KEY);
	ik.rs = pub_r;
	ik.s = NULL;
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ik), NC_NOISE_ERR_MISSING_KEY);
	nc_noise_config_t xp = { .protocol_name = "Noise_XXpsk3_25519_ChaChaPoly_SHA256", .initiator = true, .s = s_i };
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &xp), NC_NOISE_ERR_MISSING_KEY);
	/* Out of turn, truncated, tampered: each refused, and the state is dead after. */
	nc_noise_config_t ci = { .protocol_name = "Noise_XX_25519_ChaChaPoly_SHA256", .initiator = true, .s = s_i };
	nc_noise_config_t cr = ci;
	cr.initiator = false;
	cr.s = s_r;
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_handshake_init(&hr, &cr), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hr, NULL, 0, msg, sizeof msg, &len), NC_NOISE_ERR_STATE);
	NC_CHECK_EQ(nc_noise_read_message(&hi, msg, 32, pl, sizeof pl, &pl_len), NC_NOISE_ERR_STATE);
	NC_CHECK_EQ(nc_noise_write_message(&hi, NULL, 0, msg, 31, &len), NC_NOISE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_noise_write_message(&hi, NULL, 0, msg, sizeof msg, &len), NC_NOISE_ERR_STATE);
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hi, NULL, 0, msg, sizeof msg, &len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, 31, pl, sizeof pl, &pl_len), NC_NOISE_ERR_SHORT);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_ERR_STATE);
	NC_CHECK_EQ(nc_noise_handshake_init(&hr, &cr), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hr, NULL, 0, msg, sizeof msg, &len), NC_NOISE_OK);
	msg[40] ^= 0x80; /* inside the encrypted static key */
	NC_CHECK_EQ(nc_noise_read_message(&hi, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_ERR_AUTH);
	NC_CHECK(!nc_noise_handshake_my_turn(&hi) && !nc_noise_handshake_done(&hi));
	/* A low-order ephemeral key from the peer gives NC_NOISE_ERR_DH. */
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_handshake_init(&hr, &cr), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hi, NULL, 0, msg, sizeof msg, &len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hr, NULL, 0, msg, sizeof msg, &len), NC_NOISE_OK);
	nc_mem_set(msg, 0, 32); /* the point of order 1: u = 0 */
	NC_CHECK_EQ(nc_noise_read_message(&hi, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_ERR_DH);
	/* Split before the end is refused. */
	nc_noise_cipher_t a, b;
	uint8_t h[64];
	size_t hl = 0;
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_split(&hi, &a, &b, h, &hl), NC_NOISE_ERR_STATE);
	NC_CHECK_STR(nc_noise_err_name(NC_NOISE_ERR_DH), "NC_NOISE_ERR_DH");
	NC_CHECK_STR(nc_noise_err_name((nc_noise_err_t)77), "NC_NOISE_ERR_UNKNOWN");
}

NC_TEST(noise, one_way_pattern_has_one_direction)
{
	nc_crypto_set_random(test_random, NULL);
	uint8_t pub_r[32], msg[128], pl[16], h[64];
	size_t len = 0, pl_len = 0, hl = 0;
	nc_crypto_x25519_public(pub_r, s_r);
	nc_noise_config_t ci = { .protocol_name = "Noise_N_25519_ChaChaPoly_SHA256", .initiator = true, .rs = pub_r };
	nc_noise_config_t cr = { .protocol_name = "Noise_N_25519_ChaChaPoly_SHA256", .initiator = false, .s = s_r };
	nc_noise_handshake_t hi, hr;
	NC_CHECK_EQ(nc_noise_handshake_init(&hi, &ci), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_handshake_init(&hr, &cr), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_write_message(&hi, (const uint8_t *)"hi", 2, msg, sizeof msg, &len), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_read_message(&hr, msg, len, pl, sizeof pl, &pl_len), NC_NOISE_OK);
	nc_noise_cipher_t i_send, i_recv, r_send, r_recv;
	NC_CHECK_EQ(nc_noise_split(&hi, &i_send, &i_recv, h, &hl), NC_NOISE_OK);
	NC_CHECK_EQ(nc_noise_split(&hr, &r_send, &r_recv, h, &hl), NC_NOISE_OK);
	NC_CHECK(exchange(&i_send, &r_recv, "one way"));
	NC_CHECK_EQ(nc_noise_encrypt(&r_send, NULL, 0, (const uint8_t *)"x", 1, msg, sizeof msg, &len), NC_NOISE_ERR_STATE);
	NC_CHECK_EQ(nc_noise_decrypt(&i_recv, NULL, 0, msg, 17, pl, sizeof pl, &pl_len), NC_NOISE_ERR_STATE);
}
