/* libFuzzer target for the Noise message parser: the input is read as a
 * handshake message by a responder (first message) and by an initiator
 * (second message, after writing the first) of several patterns, cipher
 * suites and psk modes, and as transport messages; then as an encoded
 * privacy policy and a compliance assertion (the other parsers of
 * lib/privacy). Everything may be refused; nothing may crash. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/noise.h>
#include <nc/privacy.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng = 1;
static bool fixed_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		buf[i] = (uint8_t)(rng >> 56);
	}
	return true;
}

static const uint8_t s_i[32] = { 1 }, s_r[32] = { 2 }, psk[32] = { 3 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "Noise_XX_25519_ChaChaPoly_BLAKE2b", "Noise_IK_25519_AESGCM_SHA256",
					     "Noise_NK_25519_ChaChaPoly_BLAKE2s", "Noise_XKpsk3_25519_AESGCM_SHA512",
					     "Noise_NNpsk0_25519_ChaChaPoly_SHA256" };
	static uint8_t msg[NC_NOISE_MAX_MESSAGE], pl[NC_NOISE_MAX_MESSAGE];
	static bool ready;
	if (!ready) {
		nc_crypto_init();
		nc_crypto_set_random(fixed_random, NULL);
		ready = true;
	}
	if (size == 0)
		return 0;
	const char *name = names[data[0] % 5];
	bool with_psk = data[0] % 5 >= 3;
	uint8_t pub_r[32];
	nc_crypto_x25519_public(pub_r, s_r);
	nc_noise_config_t ci = { .protocol_name = name, .initiator = true, .s = s_i, .rs = pub_r,
				 .psks = { psk }, .n_psks = with_psk };
	nc_noise_config_t cr = ci;
	cr.initiator = false;
	cr.s = s_r;
	cr.rs = NULL;
	nc_noise_handshake_t h;
	size_t len = 0, pl_len = 0;
	/* As the first message, read by the responder. */
	if (nc_noise_handshake_init(&h, &cr) == NC_NOISE_OK)
		nc_noise_read_message(&h, data + 1, size - 1, pl, sizeof pl, &pl_len);
	/* As the second message, read by the initiator. */
	if (nc_noise_handshake_init(&h, &ci) == NC_NOISE_OK &&
	    nc_noise_write_message(&h, NULL, 0, msg, sizeof msg, &len) == NC_NOISE_OK)
		nc_noise_read_message(&h, data + 1, size - 1, pl, sizeof pl, &pl_len);
	/* As a transport message. */
	nc_noise_cipher_t c = { .cipher = (uint8_t)(1 + data[0] % 2), .has_key = true, .n = data[0] };
	nc_noise_decrypt(&c, data, size > 8 ? 8 : size, data + 1, size - 1, pl, sizeof pl, &pl_len);
	/* As a policy, and as an assertion for itself as payload. */
	nc_privacy_policy_t p, def;
	nc_token_name_t nm[8];
	nc_privacy_policy_decode(data, size, &p, nm, 8);
	nc_privacy_policy_default(&def);
	nc_privacy_expect_t ex = { .signer = pub_r, .policy = &def };
	nc_privacy_assert_verify(data, size, data, size, &ex, NULL);
	nc_noise_handshake_fini(&h);
	return 0;
}
