/* NexaCore envelopes: a sender verifies a recipient's quote (development
 * backend) and seals to the X25519 key it binds; the recipient opens in
 * order; a relay sees ciphertext only; tampering, replay, a stale or
 * unaccepted attestation are each refused with their own error. */
#include "../tee/tee_test_util.h"
#include "nc_test.h"
#include <nc/envelope.h>
#include <nc/mem.h>

enum { QUOTE_CAP = 1024, ENV_CAP = 256 };

typedef struct {
	tee_fixture_t f;
	uint8_t sk[32], pk[32], nonce[32];
	uint8_t quote[QUOTE_CAP];
	size_t quote_len;
	nc_tee_policy_t policy;
	nc_envelope_recipient_t rcpt;
} peer_t;

/* A recipient on a development device with a fresh key, quoted over the
 * sender's nonce; the sender's policy accepts that device's image. */
static bool peer_open(peer_t *p)
{
	uint8_t rd[64];
	tee_test_random_install();
	if (!tee_fixture_open(&p->f, 3, 4, 0x55, NC_TEE_DEV_TCB_SVN) || nc_hpke_generate_keypair(p->sk, p->pk))
		return false;
	nc_mem_set(p->nonce, 0xc3, sizeof p->nonce);
	nc_envelope_report_data(rd, p->pk, p->nonce);
	if (nc_tee_attest(&p->f.tee, rd, p->quote, sizeof p->quote, &p->quote_len))
		return false;
	tee_fixture_policy(&p->f, p->nonce, &p->policy);
	nc_envelope_recipient_init(&p->rcpt, p->sk, p->quote, p->quote_len);
	return true;
}

static void peer_close(peer_t *p)
{
	nc_envelope_recipient_close(&p->rcpt);
	tee_fixture_close(&p->f);
	tee_test_random_remove();
}

static bool contains(const uint8_t *hay, size_t n, const char *needle)
{
	size_t k = nc_str_len(needle);
	for (size_t i = 0; i + k <= n; i++)
		if (nc_mem_compare(hay + i, needle, k) == 0)
			return true;
	return false;
}

NC_TEST(envelope, round_trip_in_order_and_relay_sees_ciphertext)
{
	peer_t p;
	nc_envelope_sender_t s;
	static const char *msgs[] = { "first secret payload", "second", "" };
	uint8_t env[3][ENV_CAP], out[ENV_CAP];
	size_t n[3], m;
	nc_tee_err_t why;
	NC_CHECK(peer_open(&p));
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &p.policy, &why), NC_ENVELOPE_OK);
	NC_CHECK(nc_mem_compare(s.recipient.measurement, p.f.log.boot, 32) == 0);
	for (int i = 0; i < 3; i++) {
		size_t len = nc_str_len(msgs[i]);
		NC_CHECK_EQ(nc_envelope_seal(&s, (const uint8_t *)msgs[i], len, env[i], ENV_CAP, &n[i]), NC_ENVELOPE_OK);
		NC_CHECK_EQ(n[i], nc_envelope_size((uint64_t)i, len));
		NC_CHECK(!contains(env[i], n[i], "secret"));
	}
	/* a relay with a key of its own cannot open the session */
	nc_envelope_recipient_t relay;
	uint8_t rsk[32], rpk[32];
	nc_hpke_generate_keypair(rsk, rpk);
	nc_envelope_recipient_init(&relay, rsk, p.quote, p.quote_len);
	NC_CHECK_EQ(nc_envelope_open(&relay, env[0], n[0], out, sizeof out, &m), NC_ENVELOPE_ERR_TAMPERED);
	nc_envelope_view_t v;
	NC_CHECK_EQ(nc_envelope_parse(env[1], n[1], &v), NC_ENVELOPE_OK);
	NC_CHECK_EQ(v.seq, 1);
	NC_CHECK(!v.has_enc);
	NC_CHECK(nc_mem_compare(v.session, s.session, 16) == 0);
	for (int i = 0; i < 3; i++) {
		NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[i], n[i], out, sizeof out, &m), NC_ENVELOPE_OK);
		NC_CHECK_EQ(m, nc_str_len(msgs[i]));
		NC_CHECK(nc_mem_compare(out, msgs[i], m) == 0);
	}
	nc_envelope_sender_close(&s);
	peer_close(&p);
}

NC_TEST(envelope, tampering_and_replay)
{
	peer_t p;
	nc_envelope_sender_t s;
	uint8_t env[3][ENV_CAP], out[ENV_CAP];
	size_t n[3], m;
	NC_CHECK(peer_open(&p));
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &p.policy, NULL), NC_ENVELOPE_OK);
	for (int i = 0; i < 3; i++)
		NC_CHECK_EQ(nc_envelope_seal(&s, (const uint8_t *)"payload", 7, env[i], ENV_CAP, &n[i]), NC_ENVELOPE_OK);
	/* every single-bit change of the first envelope is refused */
	for (size_t i = 0; i < n[0]; i++) {
		env[0][i] ^= 4;
		NC_CHECK(nc_envelope_open(&p.rcpt, env[0], n[0], out, sizeof out, &m) != NC_ENVELOPE_OK);
		env[0][i] ^= 4;
	}
	env[0][n[0] - 1] ^= 1;
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[0], n[0], out, sizeof out, &m), NC_ENVELOPE_ERR_TAMPERED);
	env[0][n[0] - 1] ^= 1;
	/* out of order before the session exists */
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[1], n[1], out, sizeof out, &m), NC_ENVELOPE_ERR_SESSION);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[0], n[0], out, 6, &m), NC_ENVELOPE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[0], n[0], out, sizeof out, &m), NC_ENVELOPE_OK);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[0], n[0], out, sizeof out, &m), NC_ENVELOPE_ERR_REPLAY);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[2], n[2], out, sizeof out, &m), NC_ENVELOPE_ERR_SESSION);
	env[1][n[1] - 2] ^= 1;
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[1], n[1], out, sizeof out, &m), NC_ENVELOPE_ERR_TAMPERED);
	env[1][n[1] - 2] ^= 1;
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[1], n[1], out, sizeof out, &m), NC_ENVELOPE_OK);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[1], n[1], out, sizeof out, &m), NC_ENVELOPE_ERR_REPLAY);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env[2], n[2], out, sizeof out, &m), NC_ENVELOPE_OK);
	/* a second session to the same attested key */
	nc_envelope_sender_t again;
	uint8_t e2[ENV_CAP];
	size_t n2;
	NC_CHECK_EQ(nc_envelope_sender_open(&again, p.quote, p.quote_len, &p.f.roots, &p.policy, NULL),
		    NC_ENVELOPE_OK);
	NC_CHECK_EQ(nc_envelope_seal(&again, (const uint8_t *)"x", 1, e2, sizeof e2, &n2), NC_ENVELOPE_OK);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, e2, n2, out, sizeof out, &m), NC_ENVELOPE_ERR_SESSION);
	nc_envelope_sender_close(&again);
	nc_envelope_sender_close(&s);
	peer_close(&p);
}

NC_TEST(envelope, attestation_refusals)
{
	peer_t p;
	nc_envelope_sender_t s;
	nc_tee_err_t why;
	NC_CHECK(peer_open(&p));
	nc_tee_policy_t pol = p.policy;
	pol.measurements[0][0] ^= 1;
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &pol, &why),
		    NC_ENVELOPE_ERR_MEASUREMENT);
	NC_CHECK_EQ(why, NC_TEE_ERR_MEASUREMENT);
	pol = p.policy;
	pol.min_tcb_svn = NC_TEE_DEV_TCB_SVN + 1;
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &pol, &why),
		    NC_ENVELOPE_ERR_MEASUREMENT);
	NC_CHECK_EQ(why, NC_TEE_ERR_TCB);
	pol = p.policy;
	pol.nonce[0] ^= 1;
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &pol, &why), NC_ENVELOPE_ERR_STALE);
	pol.has_nonce = false;
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &pol, &why), NC_ENVELOPE_ERR_POLICY);
	nc_tee_roots_t none = { NULL, 0 };
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &none, &p.policy, &why),
		    NC_ENVELOPE_ERR_ATTESTATION);
	NC_CHECK_EQ(why, NC_TEE_ERR_UNTRUSTED);
	p.quote[p.quote_len - 1] ^= 1;
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &p.policy, &why),
		    NC_ENVELOPE_ERR_ATTESTATION);
	NC_CHECK_EQ(why, NC_TEE_ERR_BAD_SIGNATURE);
	/* a quote binding a low-order key */
	uint8_t rd[64] = { 0 }, q[QUOTE_CAP];
	size_t qn;
	nc_mem_copy(rd + NC_TEE_NONCE_OFFSET, p.nonce, 32);
	NC_CHECK_EQ(nc_tee_attest(&p.f.tee, rd, q, sizeof q, &qn), NC_TEE_OK);
	NC_CHECK_EQ(nc_envelope_sender_open(&s, q, qn, &p.f.roots, &p.policy, &why), NC_ENVELOPE_ERR_KEY);
	peer_close(&p);
}

NC_TEST(envelope, parse_errors_and_bounds)
{
	peer_t p;
	nc_envelope_sender_t s;
	uint8_t env[ENV_CAP], out[8];
	static uint8_t big[NC_ENVELOPE_MAX_PAYLOAD + 1];
	size_t n, m;
	nc_envelope_view_t v;
	NC_CHECK(peer_open(&p));
	NC_CHECK_EQ(nc_envelope_sender_open(&s, p.quote, p.quote_len, &p.f.roots, &p.policy, NULL), NC_ENVELOPE_OK);
	NC_CHECK_EQ(nc_envelope_seal(&s, big, sizeof big, env, sizeof env, &n), NC_ENVELOPE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_envelope_seal(&s, (const uint8_t *)"abc", 3, env, 40, &n), NC_ENVELOPE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_envelope_seal(&s, (const uint8_t *)"abc", 3, env, sizeof env, &n), NC_ENVELOPE_OK);
	for (size_t cut = 0; cut < n; cut++)
		NC_CHECK_EQ(nc_envelope_parse(env, cut, &v), NC_ENVELOPE_ERR_FORMAT);
	env[n] = 0;
	NC_CHECK_EQ(nc_envelope_parse(env, n + 1, &v), NC_ENVELOPE_ERR_FORMAT);
	env[4] = 2;
	NC_CHECK_EQ(nc_envelope_parse(env, n, &v), NC_ENVELOPE_ERR_VERSION);
	NC_CHECK_EQ(nc_envelope_open(&p.rcpt, env, n, out, sizeof out, &m), NC_ENVELOPE_ERR_VERSION);
	env[4] = 1;
	env[4 + 1 + 16] = 1; /* seq 1 with an enc */
	NC_CHECK_EQ(nc_envelope_parse(env, n, &v), NC_ENVELOPE_ERR_FORMAT);
	NC_CHECK_STR(nc_envelope_err_name(NC_ENVELOPE_ERR_REPLAY), "NC_ENVELOPE_ERR_REPLAY");
	NC_CHECK_STR(nc_envelope_err_name((nc_envelope_err_t)99), "NC_ENVELOPE_ERR_UNKNOWN");
	nc_envelope_sender_close(&s);
	peer_close(&p);
}
