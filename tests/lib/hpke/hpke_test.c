/* lib/hpke beyond the RFC vectors: round trips in every mode, the order and
 * authenticity of messages, and every error the API names. */
#include "../tee/tee_test_util.h"
#include "nc_test.h"
#include <nc/hpke.h>
#include <nc/mem.h>

typedef struct {
	uint8_t sk_r[32], pk_r[32], sk_s[32], pk_s[32];
	uint8_t psk[32];
} keys_t;

static void make_keys(keys_t *k)
{
	nc_hpke_derive_keypair(k->sk_r, k->pk_r, (const uint8_t *)"recipient", 9);
	nc_hpke_derive_keypair(k->sk_s, k->pk_s, (const uint8_t *)"sender", 6);
	nc_mem_set(k->psk, 0x5a, sizeof k->psk);
}

static nc_hpke_setup_t setup(nc_hpke_mode_t mode, const keys_t *k, bool sender_side)
{
	bool psk = mode == NC_HPKE_MODE_PSK || mode == NC_HPKE_MODE_AUTH_PSK;
	bool auth = mode == NC_HPKE_MODE_AUTH || mode == NC_HPKE_MODE_AUTH_PSK;
	nc_hpke_setup_t s = { mode, NC_HPKE_AEAD_CHACHA20POLY1305, (const uint8_t *)"app info", 8,
			      psk ? k->psk : NULL, psk ? 32 : 0, psk ? (const uint8_t *)"id" : NULL,
			      psk ? 2 : 0, NULL, NULL, (const uint8_t *)"ephemeral", 9 };
	if (auth && sender_side)
		s.sender_secret = k->sk_s;
	if (auth && !sender_side)
		s.sender_public = k->pk_s;
	return s;
}

/* A sender and a recipient context in mode. */
static bool pair(nc_hpke_mode_t mode, const keys_t *k, nc_hpke_context_t *snd, nc_hpke_context_t *rcv)
{
	uint8_t enc[32];
	nc_hpke_setup_t s = setup(mode, k, true), r = setup(mode, k, false);
	return nc_hpke_setup_sender(snd, &s, k->pk_r, enc) == NC_HPKE_OK &&
	       nc_hpke_setup_recipient(rcv, &r, enc, k->sk_r) == NC_HPKE_OK;
}

NC_TEST(hpke, round_trip_every_mode)
{
	keys_t k;
	make_keys(&k);
	for (int mode = NC_HPKE_MODE_BASE; mode <= NC_HPKE_MODE_AUTH_PSK; mode++) {
		nc_hpke_context_t snd, rcv;
		NC_CHECK(pair((nc_hpke_mode_t)mode, &k, &snd, &rcv));
		for (int i = 0; i < 3; i++) {
			uint8_t msg[5] = { 'h', 'e', 'l', 'l', (uint8_t)('0' + i) }, ct[21], pt[5];
			NC_CHECK_EQ(nc_hpke_seal(&snd, ct, (const uint8_t *)"ad", 2, msg, 5), NC_HPKE_OK);
			NC_CHECK_EQ(nc_hpke_open(&rcv, pt, (const uint8_t *)"ad", 2, ct, 21), NC_HPKE_OK);
			NC_CHECK(nc_mem_compare(pt, msg, 5) == 0);
		}
		uint8_t a[40], b[40];
		NC_CHECK_EQ(nc_hpke_export(&snd, a, 40, (const uint8_t *)"ctx", 3), NC_HPKE_OK);
		NC_CHECK_EQ(nc_hpke_export(&rcv, b, 40, (const uint8_t *)"ctx", 3), NC_HPKE_OK);
		NC_CHECK(nc_mem_compare(a, b, 40) == 0);
	}
}

NC_TEST(hpke, tampering_order_and_roles)
{
	keys_t k;
	nc_hpke_context_t snd, rcv;
	uint8_t ct0[20], ct1[20], pt[4];
	make_keys(&k);
	NC_CHECK(pair(NC_HPKE_MODE_BASE, &k, &snd, &rcv));
	NC_CHECK_EQ(nc_hpke_seal(&snd, ct0, NULL, 0, (const uint8_t *)"zero", 4), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_seal(&snd, ct1, NULL, 0, (const uint8_t *)"one!", 4), NC_HPKE_OK);
	/* out of order: message 1 under sequence 0 */
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct1, 20), NC_HPKE_ERR_AUTH);
	NC_CHECK_EQ(rcv.seq, 0);
	ct0[3] ^= 1;
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct0, 20), NC_HPKE_ERR_AUTH);
	ct0[3] ^= 1;
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, (const uint8_t *)"x", 1, ct0, 20), NC_HPKE_ERR_AUTH);
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct0, 15), NC_HPKE_ERR_LENGTH);
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct0, 20), NC_HPKE_OK);
	/* a replay of message 0 no longer opens */
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct0, 20), NC_HPKE_ERR_AUTH);
	NC_CHECK_EQ(nc_hpke_open(&rcv, pt, NULL, 0, ct1, 20), NC_HPKE_OK);
	NC_CHECK(nc_mem_compare(pt, "one!", 4) == 0);
	NC_CHECK_EQ(nc_hpke_open(&snd, pt, NULL, 0, ct1, 20), NC_HPKE_ERR_ROLE);
	NC_CHECK_EQ(nc_hpke_seal(&rcv, ct1, NULL, 0, pt, 4), NC_HPKE_ERR_ROLE);
	snd.seq = UINT64_MAX;
	NC_CHECK_EQ(nc_hpke_seal(&snd, ct1, NULL, 0, pt, 4), NC_HPKE_ERR_SEQUENCE);
	/* a different recipient key cannot open */
	nc_hpke_context_t other;
	uint8_t enc[32], sk[32], pk[32];
	nc_hpke_setup_t s = setup(NC_HPKE_MODE_BASE, &k, true);
	NC_CHECK_EQ(nc_hpke_setup_sender(&snd, &s, k.pk_r, enc), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_seal(&snd, ct0, NULL, 0, (const uint8_t *)"zero", 4), NC_HPKE_OK);
	nc_hpke_derive_keypair(sk, pk, (const uint8_t *)"relay", 5);
	s = setup(NC_HPKE_MODE_BASE, &k, false);
	NC_CHECK_EQ(nc_hpke_setup_recipient(&other, &s, enc, sk), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_open(&other, pt, NULL, 0, ct0, 20), NC_HPKE_ERR_AUTH);
	nc_hpke_context_wipe(&other);
	uint8_t zero[sizeof other] = { 0 };
	NC_CHECK(nc_mem_compare(&other, zero, sizeof other) == 0);
}

NC_TEST(hpke, setup_errors)
{
	keys_t k;
	nc_hpke_context_t c;
	uint8_t enc[32], low_order[32] = { 0 }, big[NC_HPKE_INFO_MAX_BYTES + 1] = { 0 };
	make_keys(&k);
	nc_hpke_setup_t s = setup(NC_HPKE_MODE_BASE, &k, true);
	s.psk = k.psk, s.psk_len = 32, s.psk_id = (const uint8_t *)"id", s.psk_id_len = 2;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_MODE);
	s = setup(NC_HPKE_MODE_PSK, &k, true);
	s.psk_id_len = 0;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_PSK);
	s = setup(NC_HPKE_MODE_PSK, &k, true);
	s.psk_len = 31;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_PSK);
	s = setup(NC_HPKE_MODE_PSK, &k, true);
	s.psk = NULL, s.psk_len = 0, s.psk_id = NULL, s.psk_id_len = 0;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_MODE);
	s = setup(NC_HPKE_MODE_AUTH, &k, true);
	s.sender_secret = NULL;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_MODE);
	s = setup(NC_HPKE_MODE_BASE, &k, false);
	s.sender_public = k.pk_s;
	NC_CHECK_EQ(nc_hpke_setup_recipient(&c, &s, enc, k.sk_r), NC_HPKE_ERR_MODE);
	s = setup(NC_HPKE_MODE_BASE, &k, true);
	s.mode = (nc_hpke_mode_t)4;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_MODE);
	s = setup(NC_HPKE_MODE_BASE, &k, true);
	s.aead = (nc_hpke_aead_t)1;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_AEAD);
	s = setup(NC_HPKE_MODE_BASE, &k, true);
	s.info = big, s.info_len = sizeof big;
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, k.pk_r, enc), NC_HPKE_ERR_TOO_LONG);
	s = setup(NC_HPKE_MODE_BASE, &k, true);
	NC_CHECK_EQ(nc_hpke_setup_sender(&c, &s, low_order, enc), NC_HPKE_ERR_WEAK_KEY);
	s = setup(NC_HPKE_MODE_BASE, &k, false);
	NC_CHECK_EQ(nc_hpke_setup_recipient(&c, &s, low_order, k.sk_r), NC_HPKE_ERR_WEAK_KEY);
	s = setup(NC_HPKE_MODE_AUTH, &k, false);
	s.sender_public = low_order;
	NC_CHECK_EQ(nc_hpke_setup_recipient(&c, &s, enc, k.sk_r), NC_HPKE_ERR_WEAK_KEY);
	uint8_t sk[32], pk[32];
	NC_CHECK_EQ(nc_hpke_derive_keypair(sk, pk, big, 0), NC_HPKE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_hpke_derive_keypair(sk, pk, big, NC_HPKE_IKM_MAX_BYTES + 1), NC_HPKE_ERR_TOO_LONG);
}

NC_TEST(hpke, export_only_and_export_bounds)
{
	keys_t k;
	nc_hpke_context_t snd, rcv;
	uint8_t enc[32], ct[20], out[32], big[NC_HPKE_EXPORT_CONTEXT_MAX_BYTES + 1] = { 0 };
	make_keys(&k);
	nc_hpke_setup_t s = setup(NC_HPKE_MODE_BASE, &k, true), r = setup(NC_HPKE_MODE_BASE, &k, false);
	s.aead = r.aead = NC_HPKE_AEAD_EXPORT_ONLY;
	NC_CHECK_EQ(nc_hpke_setup_sender(&snd, &s, k.pk_r, enc), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_setup_recipient(&rcv, &r, enc, k.sk_r), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_seal(&snd, ct, NULL, 0, (const uint8_t *)"abcd", 4), NC_HPKE_ERR_EXPORT_ONLY);
	NC_CHECK_EQ(nc_hpke_open(&rcv, out, NULL, 0, ct, 20), NC_HPKE_ERR_EXPORT_ONLY);
	NC_CHECK_EQ(nc_hpke_export(&snd, out, 32, big, sizeof big), NC_HPKE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_hpke_export(&snd, out, NC_HPKE_EXPORT_MAX_BYTES + 1, NULL, 0), NC_HPKE_ERR_LENGTH);
	NC_CHECK_EQ(nc_hpke_export(&snd, out, 0, NULL, 0), NC_HPKE_OK);
}

NC_TEST(hpke, fresh_ephemeral_keys_and_names)
{
	keys_t k;
	nc_hpke_context_t a, b;
	uint8_t enc_a[32], enc_b[32], sk[32], pk[32];
	make_keys(&k);
	tee_test_random_install();
	nc_hpke_setup_t s = setup(NC_HPKE_MODE_BASE, &k, true);
	s.ikm_e = NULL, s.ikm_e_len = 0;
	NC_CHECK_EQ(nc_hpke_setup_sender(&a, &s, k.pk_r, enc_a), NC_HPKE_OK);
	NC_CHECK_EQ(nc_hpke_setup_sender(&b, &s, k.pk_r, enc_b), NC_HPKE_OK);
	NC_CHECK(nc_mem_compare(enc_a, enc_b, 32) != 0);
	NC_CHECK_EQ(nc_hpke_generate_keypair(sk, pk), NC_HPKE_OK);
	tee_test_random_remove();
	NC_CHECK_STR(nc_hpke_err_name(NC_HPKE_ERR_AUTH), "NC_HPKE_ERR_AUTH");
	NC_CHECK_STR(nc_hpke_err_name((nc_hpke_err_t)99), "NC_HPKE_ERR_UNKNOWN");
}
