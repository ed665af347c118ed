/* lib/privacy at the boundary: the policy's postcard encoding (bytes worked
 * out by hand from the postcard spec), strict decoding, the spawn rule
 * (a process cannot weaken its own policy), the boundary transform with the
 * AI service and a mesh peer mocked (what leaves carries tokens, what the
 * caller gets back has its own data), and compliance assertions: created
 * where the payload leaves, verified by the receiver, refused when the
 * payload, policy, signer, signature or measurement does not match.
 * Freestanding-clean: also runs inside NexaCore (libtests). */
#include "nc_test.h"
#include "text_util.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/privacy.h>
#include <nc/tee_dev.h>

static const nc_token_name_t parent_names[] = { { "Alice Johnson", 13 } };
static const uint8_t session_key[32] = { 0x5e };
static const uint8_t device_secret[32] = { 0xd0, 0x0d };
static const uint8_t measurement[48] = { 0x4d, 0x45, 0x41, 0x53 };

NC_TEST(privacy, policy_encoding_is_postcard)
{
	nc_privacy_policy_t p;
	nc_privacy_policy_default(&p);
	uint8_t buf[64];
	size_t n = 0;
	/* version 1 (varint), [u8; 8] raw (1 = typed), Vec<String> of length 0 */
	static const uint8_t want_default[] = { 0x01, 1, 1, 1, 1, 1, 1, 1, 1, 0x00 };
	NC_CHECK_EQ(nc_privacy_policy_encode(&p, buf, sizeof buf, &n), NC_PRIVACY_OK);
	NC_CHECK(n == sizeof want_default && nc_mem_compare(buf, want_default, n) == 0);
	p.action[NC_TOKEN_PHONE] = NC_TOKEN_FORMAT;
	p.action[NC_TOKEN_IPV4] = NC_TOKEN_KEEP;
	p.names = parent_names;
	p.n_names = 1;
	/* phone (kind 1) format = 2, ipv4 (kind 4) keep = 0; one str of 13 bytes */
	static const uint8_t want[] = { 0x01, 1, 2, 1, 1, 0, 1, 1, 1, 0x01, 13, 'A', 'l', 'i', 'c', 'e', ' ',
					'J',  'o', 'h', 'n', 's', 'o', 'n' };
	NC_CHECK_EQ(nc_privacy_policy_encode(&p, buf, sizeof buf, &n), NC_PRIVACY_OK);
	NC_CHECK(n == sizeof want && nc_mem_compare(buf, want, n) == 0);
	/* Decoding gives the same policy back, names pointing into buf. */
	nc_privacy_policy_t q;
	nc_token_name_t names[4];
	NC_CHECK_EQ(nc_privacy_policy_decode(buf, n, &q, names, 4), NC_PRIVACY_OK);
	NC_CHECK(nc_mem_compare(q.action, p.action, NC_TOKEN_KINDS) == 0);
	NC_CHECK(q.n_names == 1 && q.names[0].len == 13 && q.names[0].s == (const char *)buf + 11);
	uint8_t h1[32], h2[32];
	NC_CHECK_EQ(nc_privacy_policy_hash(&p, h1), NC_PRIVACY_OK);
	NC_CHECK_EQ(nc_privacy_policy_hash(&q, h2), NC_PRIVACY_OK);
	NC_CHECK(nc_mem_compare(h1, h2, 32) == 0);
	uint8_t h3[32];
	nc_crypto_sha256(h3, buf, n);
	NC_CHECK(nc_mem_compare(h1, h3, 32) == 0); /* the hash is of the encoding */
}

NC_TEST(privacy, policy_decoding_is_strict)
{
	nc_privacy_policy_t q;
	nc_token_name_t names[2];
	static const uint8_t ok[] = { 0x01, 1, 1, 1, 1, 1, 1, 1, 1, 0x00 };
	uint8_t b[16];
	NC_CHECK_EQ(nc_privacy_policy_decode(ok, sizeof ok - 1, &q, names, 2), NC_PRIVACY_ERR_MALFORMED);
	nc_mem_copy(b, ok, sizeof ok);
	b[sizeof ok] = 0;
	NC_CHECK_EQ(nc_privacy_policy_decode(b, sizeof ok + 1, &q, names, 2), NC_PRIVACY_ERR_MALFORMED);
	b[0] = 2;
	NC_CHECK_EQ(nc_privacy_policy_decode(b, sizeof ok, &q, names, 2), NC_PRIVACY_ERR_VERSION);
	b[0] = 1;
	b[1 + NC_TOKEN_EMAIL] = NC_TOKEN_FORMAT; /* no format-preserving e-mail */
	NC_CHECK_EQ(nc_privacy_policy_decode(b, sizeof ok, &q, names, 2), NC_PRIVACY_ERR_POLICY);
	b[1 + NC_TOKEN_EMAIL] = 7;
	NC_CHECK_EQ(nc_privacy_policy_decode(b, sizeof ok, &q, names, 2), NC_PRIVACY_ERR_POLICY);
	static const uint8_t three_names[] = { 0x01, 1, 1, 1, 1, 1, 1, 1, 1, 0x03, 1, 'a', 1, 'b', 1, 'c' };
	NC_CHECK_EQ(nc_privacy_policy_decode(three_names, sizeof three_names, &q, names, 2), NC_PRIVACY_ERR_POLICY);
	static const uint8_t bad_utf8[] = { 0x01, 1, 1, 1, 1, 1, 1, 1, 1, 0x01, 1, 0xff };
	NC_CHECK_EQ(nc_privacy_policy_decode(bad_utf8, sizeof bad_utf8, &q, names, 2), NC_PRIVACY_ERR_MALFORMED);
	static const uint8_t empty_name[] = { 0x01, 1, 1, 1, 1, 1, 1, 1, 1, 0x01, 0 };
	NC_CHECK_EQ(nc_privacy_policy_decode(empty_name, sizeof empty_name, &q, names, 2), NC_PRIVACY_ERR_POLICY);
	uint8_t tiny[4];
	size_t n = 0;
	nc_privacy_policy_t p;
	nc_privacy_policy_default(&p);
	NC_CHECK_EQ(nc_privacy_policy_encode(&p, tiny, sizeof tiny, &n), NC_PRIVACY_ERR_SPACE);
	NC_CHECK_STR(nc_privacy_err_name(NC_PRIVACY_ERR_WEAKER), "NC_PRIVACY_ERR_WEAKER");
	NC_CHECK_STR(nc_privacy_err_name((nc_privacy_err_t)99), "NC_PRIVACY_ERR_UNKNOWN");
}

NC_TEST(privacy, a_process_cannot_weaken_its_policy)
{
	nc_privacy_policy_t parent, child;
	nc_privacy_policy_default(&parent);
	parent.action[NC_TOKEN_PHONE] = NC_TOKEN_FORMAT;
	parent.names = parent_names;
	parent.n_names = 1;
	nc_token_name_t names[4];
	uint8_t spec[128];
	size_t n = 0;
	/* Inherit (length 0). */
	NC_CHECK_EQ(nc_privacy_policy_for_child(NULL, 0, &parent, false, &child, names, 4), NC_PRIVACY_OK);
	NC_CHECK(nc_privacy_policy_covers(&child, &parent) && nc_privacy_policy_covers(&parent, &child));
	/* Stricter: phones typed too, one more name. */
	nc_privacy_policy_t stricter = parent;
	const nc_token_name_t more[] = { { "Alice Johnson", 13 }, { "Bob", 3 } };
	stricter.action[NC_TOKEN_PHONE] = NC_TOKEN_TYPED;
	stricter.names = more;
	stricter.n_names = 2;
	NC_CHECK_EQ(nc_privacy_policy_encode(&stricter, spec, sizeof spec, &n), NC_PRIVACY_OK);
	NC_CHECK_EQ(nc_privacy_policy_for_child(spec, n, &parent, false, &child, names, 4), NC_PRIVACY_OK);
	NC_CHECK_EQ(child.action[NC_TOKEN_PHONE], NC_TOKEN_TYPED);
	/* Weaker: e-mail kept, or a name dropped. Refused unless the caller holds privacy.raw. */
	nc_privacy_policy_t weaker = parent;
	weaker.action[NC_TOKEN_EMAIL] = NC_TOKEN_KEEP;
	NC_CHECK_EQ(nc_privacy_policy_encode(&weaker, spec, sizeof spec, &n), NC_PRIVACY_OK);
	NC_CHECK_EQ(nc_privacy_policy_for_child(spec, n, &parent, false, &child, names, 4), NC_PRIVACY_ERR_WEAKER);
	NC_CHECK_EQ(nc_privacy_policy_for_child(spec, n, &parent, true, &child, names, 4), NC_PRIVACY_OK);
	weaker = parent;
	weaker.n_names = 0;
	NC_CHECK_EQ(nc_privacy_policy_encode(&weaker, spec, sizeof spec, &n), NC_PRIVACY_OK);
	NC_CHECK_EQ(nc_privacy_policy_for_child(spec, n, &parent, false, &child, names, 4), NC_PRIVACY_ERR_WEAKER);
	/* FORMAT is weaker than TYPED. */
	weaker = parent;
	weaker.action[NC_TOKEN_CARD] = NC_TOKEN_FORMAT;
	NC_CHECK(!nc_privacy_policy_covers(&weaker, &parent));
	NC_CHECK_EQ(nc_privacy_policy_for_child(spec, 3, &parent, false, &child, names, 4), NC_PRIVACY_ERR_MALFORMED);
}

/* ---- the boundary with the routing mocked --------------------------------------- */

/* A mock AI service: logs what reaches it and answers by quoting it. */
typedef struct {
	char log[512];
	size_t log_len;
} mock_service_t;

static size_t mock_model(mock_service_t *svc, const char *req, size_t len, char *answer, size_t cap)
{
	nc_mem_copy(svc->log, req, len);
	svc->log_len = len;
	static const char prefix[] = "Done: I wrote to the address in \"";
	size_t n = sizeof prefix - 1;
	nc_mem_copy(answer, prefix, n);
	nc_mem_copy(answer + n, req, len);
	answer[n + len] = '"';
	(void)cap;
	return n + len + 1;
}

NC_TEST(privacy, boundary_tokenizes_out_and_maps_back)
{
	static const char request[] = "Email alice@example.com and Alice Johnson, tel +44 20 7946 0958, card 4111 1111 "
				      "1111 1111.";
	nc_privacy_policy_t policy;
	nc_privacy_policy_default(&policy);
	policy.names = parent_names;
	policy.n_names = 1;
	static uint8_t arena[2048];
	nc_privacy_boundary_t b;
	NC_CHECK_EQ(nc_privacy_boundary_open(&b, &policy, session_key, false, arena, sizeof arena), NC_PRIVACY_OK);
	char out[512], answer[600], seen[600];
	size_t n = 0, an = 0, sn = 0, counts[NC_TOKEN_KINDS];
	NC_CHECK_EQ(nc_privacy_boundary_out(&b, request, sizeof request - 1, out, sizeof out, &n, counts), NC_PRIVACY_OK);
	mock_service_t svc;
	an = mock_model(&svc, out, n, answer, sizeof answer);
	/* The service saw tokens only. */
	NC_CHECK(!text_contains(svc.log, svc.log_len, "alice@example.com") && !text_contains(svc.log, svc.log_len, "Alice") &&
		 !text_contains(svc.log, svc.log_len, "7946") && !text_contains(svc.log, svc.log_len, "4111"));
	NC_CHECK(text_contains(svc.log, svc.log_len, "<email:") && text_contains(svc.log, svc.log_len, "<name:"));
	NC_CHECK(counts[NC_TOKEN_EMAIL] == 1 && counts[NC_TOKEN_NAME] == 1 && counts[NC_TOKEN_PHONE] == 1 &&
		 counts[NC_TOKEN_CARD] == 1);
	/* The caller sees its own data in the answer. */
	NC_CHECK_EQ(nc_privacy_boundary_in(&b, answer, an, seen, sizeof seen, &sn), NC_PRIVACY_OK);
	static const char want_prefix[] = "Done: I wrote to the address in \"";
	NC_CHECK(sn == sizeof want_prefix - 1 + sizeof request - 1 + 1);
	NC_CHECK(nc_mem_compare(seen + sizeof want_prefix - 1, request, sizeof request - 1) == 0);
	nc_privacy_boundary_close(&b);
	/* A privacy.raw holder that asks for raw passes the data through. */
	NC_CHECK_EQ(nc_privacy_boundary_open(&b, &policy, session_key, true, arena, sizeof arena), NC_PRIVACY_OK);
	NC_CHECK_EQ(nc_privacy_boundary_out(&b, request, sizeof request - 1, out, sizeof out, &n, counts), NC_PRIVACY_OK);
	NC_CHECK(n == sizeof request - 1 && nc_mem_compare(out, request, n) == 0 && counts[NC_TOKEN_EMAIL] == 0);
	NC_CHECK_EQ(nc_privacy_boundary_out(&b, request, sizeof request - 1, out, 8, &n, NULL), NC_PRIVACY_ERR_SPACE);
	nc_privacy_boundary_close(&b);
	nc_privacy_policy_t bad = policy;
	bad.action[NC_TOKEN_DOB] = NC_TOKEN_FORMAT;
	NC_CHECK_EQ(nc_privacy_boundary_open(&b, &bad, session_key, false, arena, sizeof arena), NC_PRIVACY_ERR_POLICY);
}

/* ---- compliance assertions ------------------------------------------------------ */

NC_TEST(privacy, assertion_binds_payload_policy_signer_measurement)
{
	nc_tee_t tee;
	nc_tee_dev_t dev;
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &dev, device_secret, sizeof device_secret, NULL), NC_TEE_OK);
	uint8_t signer[32];
	NC_CHECK_EQ(nc_tee_public_key(&tee, signer), NC_TEE_OK);
	nc_privacy_policy_t policy;
	nc_privacy_policy_default(&policy);
	static const char payload[] = "Email <email:1a2b3c> about the invoice.";
	size_t items[NC_TOKEN_KINDS] = { 1 };
	uint8_t a[NC_PRIVACY_ASSERTION_MAX_BYTES];
	size_t n = 0;
	NC_CHECK_EQ(nc_privacy_assert_create(&tee, &policy, (const uint8_t *)payload, sizeof payload - 1, measurement,
					     sizeof measurement, items, a, sizeof a, &n),
		    NC_PRIVACY_OK);
	nc_privacy_expect_t ex = { .signer = signer, .policy = &policy, .measurement = measurement,
				   .measurement_len = sizeof measurement };
	nc_privacy_statement_t st;
	const uint8_t *pl = (const uint8_t *)payload;
	size_t pl_len = sizeof payload - 1;
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len, &ex, &st), NC_PRIVACY_OK);
	NC_CHECK(st.items[NC_TOKEN_EMAIL] == 1 && st.measurement_len == sizeof measurement);
	/* Another payload, policy, signer, measurement: each refused by name. */
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len - 1, &ex, NULL), NC_PRIVACY_ERR_PAYLOAD);
	nc_privacy_policy_t other = policy;
	other.action[NC_TOKEN_IPV4] = NC_TOKEN_KEEP;
	ex.policy = &other;
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_POLICY_MISMATCH);
	ex.policy = &policy;
	uint8_t stranger[32];
	nc_mem_copy(stranger, signer, 32);
	stranger[0] ^= 1;
	ex.signer = stranger;
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_UNTRUSTED);
	ex.signer = signer;
	uint8_t m2[48];
	nc_mem_copy(m2, measurement, 48);
	m2[47] ^= 1;
	ex.measurement = m2;
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_MEASUREMENT);
	ex.measurement = NULL; /* any measurement */
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n, pl, pl_len, &ex, NULL), NC_PRIVACY_OK);
	/* A flipped byte: in the signature, or in the statement's item counts. */
	uint8_t t[NC_PRIVACY_ASSERTION_MAX_BYTES];
	nc_mem_copy(t, a, n);
	t[n - 1] ^= 1;
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_BAD_SIGNATURE);
	nc_mem_copy(t, a, n);
	t[1 + 32 + 32 + 1 + sizeof measurement] ^= 2; /* items[0] varint: 1 -> 3 */
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_BAD_SIGNATURE);
	/* Truncation, trailing bytes, an unknown proof kind, a STARK proof (later). */
	NC_CHECK_EQ(nc_privacy_assert_verify(a, n - 1, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_MALFORMED);
	nc_mem_copy(t, a, n);
	t[n] = 0;
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n + 1, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_MALFORMED);
	size_t proof_at = n - 1 - NC_PRIVACY_SIG_BYTES;
	t[proof_at] = 1;
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_UNSUPPORTED);
	t[proof_at] = 2;
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_MALFORMED);
	nc_mem_copy(t, a, n);
	t[0] = 2;
	NC_CHECK_EQ(nc_privacy_assert_verify(t, n, pl, pl_len, &ex, NULL), NC_PRIVACY_ERR_VERSION);
	/* Creation errors. */
	uint8_t big_m[NC_PRIVACY_MAX_MEASUREMENT_BYTES + 1] = { 0 };
	NC_CHECK_EQ(nc_privacy_assert_create(&tee, &policy, pl, pl_len, big_m, sizeof big_m, NULL, a, sizeof a, &n),
		    NC_PRIVACY_ERR_MALFORMED);
	NC_CHECK_EQ(nc_privacy_assert_create(&tee, &policy, pl, pl_len, measurement, 48, NULL, a, 100, &n),
		    NC_PRIVACY_ERR_SPACE);
	nc_tee_close(&tee);
	NC_CHECK_EQ(nc_privacy_assert_create(&tee, &policy, pl, pl_len, measurement, 48, NULL, a, sizeof a, &n),
		    NC_PRIVACY_ERR_TEE);
}

/* A mesh peer mocked: the sender tokenizes under its policy and asserts it;
 * the receiver, expecting that policy and the sender's key, accepts; a
 * relay that rewrites the payload is caught. */
NC_TEST(privacy, mesh_payload_with_assertion)
{
	nc_tee_t tee;
	nc_tee_dev_t dev;
	NC_CHECK_EQ(nc_tee_dev_open(&tee, &dev, device_secret, sizeof device_secret, NULL), NC_TEE_OK);
	uint8_t signer[32];
	nc_tee_public_key(&tee, signer);
	nc_privacy_policy_t policy;
	nc_privacy_policy_default(&policy);
	policy.action[NC_TOKEN_IPV4] = NC_TOKEN_FORMAT;
	static uint8_t arena[1024];
	nc_privacy_boundary_t b;
	NC_CHECK_EQ(nc_privacy_boundary_open(&b, &policy, session_key, false, arena, sizeof arena), NC_PRIVACY_OK);
	static const char msg[] = "route 198.51.100.23 for bob@example.org";
	char wire[256];
	size_t n = 0, counts[NC_TOKEN_KINDS], an = 0;
	NC_CHECK_EQ(nc_privacy_boundary_out(&b, msg, sizeof msg - 1, wire, sizeof wire, &n, counts), NC_PRIVACY_OK);
	NC_CHECK(!text_contains(wire, n, "198.51.100.23") && !text_contains(wire, n, "bob@"));
	uint8_t a[NC_PRIVACY_ASSERTION_MAX_BYTES];
	NC_CHECK_EQ(nc_privacy_assert_create(&tee, &policy, (const uint8_t *)wire, n, measurement, 48, counts, a,
					     sizeof a, &an),
		    NC_PRIVACY_OK);
	nc_privacy_expect_t ex = { .signer = signer, .policy = &policy, .measurement = measurement, .measurement_len = 48 };
	NC_CHECK_EQ(nc_privacy_assert_verify(a, an, (const uint8_t *)wire, n, &ex, NULL), NC_PRIVACY_OK);
	wire[7] = wire[7] == '1' ? '2' : '1'; /* a relay rewrites the address */
	NC_CHECK_EQ(nc_privacy_assert_verify(a, an, (const uint8_t *)wire, n, &ex, NULL), NC_PRIVACY_ERR_PAYLOAD);
	nc_privacy_boundary_close(&b);
}
