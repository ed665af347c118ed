/* Quotes of the development backend end to end: attest, verify against
 * trusted roots and a policy, and every way verification must fail (bad
 * signatures, an untrusted or forged root, a stale nonce, a measurement or
 * runtime log the policy does not accept, a TCB below the minimum, another
 * backend, truncated, oversized and trailing bytes, versions). */
#include "nc_test.h"
#include "tee_test_util.h"
#include <nc/mem.h>
#include <nc/tee_dev.h>
#include <nc/wire.h>

enum { QUOTE_CAP = 1024 };

typedef struct {
	tee_fixture_t f;
	uint8_t rd[NC_TEE_REPORT_DATA_BYTES];
	uint8_t quote[QUOTE_CAP];
	size_t len;
} attested_t;

static const uint8_t nonce[NC_TEE_NONCE_BYTES] = { 0x4e, 0x4f, 0x4e, 0x43, 0x45 };

/* A fixture and a quote over report data "binding" || nonce. */
static bool attest(attested_t *a, uint32_t tcb_svn)
{
	if (!tee_fixture_open(&a->f, 7, 9, 0x22, tcb_svn))
		return false;
	nc_mem_set(a->rd, 0, sizeof a->rd);
	nc_mem_copy(a->rd, "binding", 7);
	nc_mem_copy(a->rd + NC_TEE_NONCE_OFFSET, nonce, sizeof nonce);
	return nc_tee_attest(&a->f.tee, a->rd, a->quote, sizeof a->quote, &a->len) == NC_TEE_OK;
}

static nc_tee_err_t verify(const attested_t *a, const uint8_t *q, size_t len, const nc_tee_policy_t *p)
{
	return nc_tee_verify_quote(q, len, &a->f.roots, p, NULL);
}

NC_TEST(tee_quote, round_trip_claims)
{
	attested_t a;
	nc_tee_policy_t p;
	nc_tee_claims_t c, d;
	uint8_t buf[NC_TEE_CLAIMS_MAX_BYTES], id[16];
	size_t n;
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	tee_fixture_policy(&a.f, nonce, &p);
	NC_CHECK_EQ(nc_tee_verify_quote(a.quote, a.len, &a.f.roots, &p, &c), NC_TEE_OK);
	NC_CHECK_EQ(c.backend, NC_TEE_BACKEND_DEV);
	NC_CHECK_EQ(c.tcb_svn, NC_TEE_DEV_TCB_SVN);
	NC_CHECK(nc_mem_compare(c.measurement, a.f.log.boot, 32) == 0);
	NC_CHECK(nc_mem_compare(c.log_digest, a.f.log.current, 32) == 0);
	NC_CHECK_EQ(c.log_entries, 3);
	NC_CHECK(nc_mem_compare(c.report_data, a.rd, 64) == 0);
	nc_tee_key_id(id, a.f.dev.device_pk);
	NC_CHECK(nc_mem_compare(c.device_id, id, 16) == 0);
	/* without a policy: the chain only */
	NC_CHECK_EQ(nc_tee_verify_quote(a.quote, a.len, &a.f.roots, NULL, NULL), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_claims_encode(&c, buf, sizeof buf, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_claims_decode(buf, n, &d), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(&c, &d, sizeof c) == 0);
	NC_CHECK_EQ(nc_tee_claims_encode(&c, buf, n - 1, &n), NC_TEE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_tee_claims_decode(buf, n - 1, &d), NC_TEE_ERR_FORMAT);
	buf[0] = 2;
	NC_CHECK_EQ(nc_tee_claims_decode(buf, n, &d), NC_TEE_ERR_VERSION);
	/* the runtime log moves on: a new quote carries the new register */
	uint8_t digest[32] = { 1 };
	NC_CHECK_EQ(nc_tee_log_extend(&a.f.log, NC_TEE_LOG_PROGRAM, "shell", 5, digest), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_attest(&a.f.tee, a.rd, a.quote, sizeof a.quote, &a.len), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_verify_quote(a.quote, a.len, &a.f.roots, &p, &c), NC_TEE_OK);
	NC_CHECK_EQ(c.log_entries, 4);
	NC_CHECK(nc_mem_compare(c.log_digest, a.f.log.current, 32) == 0);
	NC_CHECK(nc_mem_compare(c.measurement, a.f.log.boot, 32) == 0);
	tee_fixture_close(&a.f);
}

/* Offset in the quote of the first byte of evidence part `what`. */
static size_t part(const attested_t *a, int what)
{
	uint32_t backend;
	const uint8_t *ev;
	size_t ev_len;
	nc_tee_quote_unwrap(a->quote, a->len, &backend, &ev, &ev_len);
	size_t base = (size_t)(ev - a->quote);
	switch (what) {
	case 0: return base + 4 + 1 + 1 + 32 + 32 + 1 + 8;        /* report data[8] */
	case 1: return base + ev_len - NC_TEE_DEV_CERT_BYTES - 10; /* body signature */
	case 2: return base + ev_len - NC_TEE_DEV_CERT_BYTES + 10; /* certified device key */
	default: return base + ev_len - 10;                       /* certificate signature */
	}
}

NC_TEST(tee_quote, bad_signatures)
{
	attested_t a;
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	for (int what = 0; what < 4; what++) {
		size_t at = part(&a, what);
		a.quote[at] ^= 0x40;
		NC_CHECK_EQ(verify(&a, a.quote, a.len, NULL), NC_TEE_ERR_BAD_SIGNATURE);
		a.quote[at] ^= 0x40;
	}
	NC_CHECK_EQ(verify(&a, a.quote, a.len, NULL), NC_TEE_OK);
	tee_fixture_close(&a.f);
}

NC_TEST(tee_quote, untrusted_and_forged_roots)
{
	attested_t a;
	tee_fixture_t other;
	uint8_t forged[QUOTE_CAP];
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	NC_CHECK(tee_fixture_open(&other, 8, 10, 0x22, NC_TEE_DEV_TCB_SVN));
	/* a verifier that trusts another vendor root, or none */
	NC_CHECK_EQ(nc_tee_verify_quote(a.quote, a.len, &other.roots, NULL, NULL), NC_TEE_ERR_UNTRUSTED);
	nc_tee_roots_t none = { NULL, 0 };
	NC_CHECK_EQ(nc_tee_verify_quote(a.quote, a.len, &none, NULL, NULL), NC_TEE_ERR_UNTRUSTED);
	/* a certificate made by another root but naming the trusted root's id */
	uint8_t cert[NC_TEE_DEV_CERT_BYTES];
	nc_tee_dev_certify(cert, other.root_sk, a.f.dev.device_pk);
	nc_mem_copy(cert + 4 + 1 + 1 + 32, a.f.cert + 4 + 1 + 1 + 32, NC_TEE_KEY_ID_BYTES);
	nc_mem_copy(forged, a.quote, a.len);
	nc_mem_copy(forged + a.len - NC_TEE_DEV_CERT_BYTES, cert, sizeof cert);
	NC_CHECK_EQ(verify(&a, forged, a.len, NULL), NC_TEE_ERR_BAD_SIGNATURE);
	/* another device's valid quote with this device's certificate spliced in */
	size_t n;
	NC_CHECK_EQ(nc_tee_attest(&other.tee, a.rd, forged, sizeof forged, &n), NC_TEE_OK);
	nc_mem_copy(forged + n - NC_TEE_DEV_CERT_BYTES, a.f.cert, sizeof cert);
	NC_CHECK_EQ(verify(&a, forged, n, NULL), NC_TEE_ERR_BAD_SIGNATURE);
	tee_fixture_close(&other);
	tee_fixture_close(&a.f);
}

NC_TEST(tee_quote, policy_failures)
{
	attested_t a, low;
	nc_tee_policy_t p;
	uint8_t other_nonce[32] = { 1 };
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	tee_fixture_policy(&a.f, other_nonce, &p);
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_ERR_STALE);
	tee_fixture_policy(&a.f, nonce, &p);
	p.measurements[0][5] ^= 1;
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_ERR_MEASUREMENT);
	/* a second accepted measurement makes it pass */
	p.n_measurements = 2;
	nc_mem_copy(p.measurements[1], a.f.log.boot, 32);
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_OK);
	tee_fixture_policy(&a.f, nonce, &p);
	p.n_log_digests = 1;
	nc_mem_set(p.log_digests[0], 0x99, 32);
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_ERR_MEASUREMENT);
	nc_mem_copy(p.log_digests[0], a.f.log.current, 32);
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_OK);
	tee_fixture_policy(&a.f, nonce, &p);
	p.backend = NC_TEE_BACKEND_TDX;
	NC_CHECK_EQ(verify(&a, a.quote, a.len, &p), NC_TEE_ERR_MEASUREMENT);
	/* a device at TCB level 0 against the minimum 1 */
	NC_CHECK(attest(&low, 0));
	tee_fixture_policy(&low.f, nonce, &p);
	NC_CHECK_EQ(verify(&low, low.quote, low.len, &p), NC_TEE_ERR_TCB);
	p.min_tcb_svn = 0;
	NC_CHECK_EQ(verify(&low, low.quote, low.len, &p), NC_TEE_OK);
	tee_fixture_close(&low.f);
	tee_fixture_close(&a.f);
}

NC_TEST(tee_quote, truncated_oversized_and_versions)
{
	attested_t a;
	uint8_t q[QUOTE_CAP + 1];
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	for (size_t n = 0; n < a.len; n++)
		NC_CHECK_EQ(verify(&a, a.quote, n, NULL), NC_TEE_ERR_FORMAT);
	nc_mem_copy(q, a.quote, a.len);
	q[a.len] = 0;
	NC_CHECK_EQ(verify(&a, q, a.len + 1, NULL), NC_TEE_ERR_FORMAT);
	q[4] = 2;
	NC_CHECK_EQ(verify(&a, q, a.len, NULL), NC_TEE_ERR_VERSION);
	q[4] = 1, q[5] = 9;
	NC_CHECK_EQ(verify(&a, q, a.len, NULL), NC_TEE_ERR_BACKEND);
	q[5] = 1, q[0] = 'X';
	NC_CHECK_EQ(verify(&a, q, a.len, NULL), NC_TEE_ERR_FORMAT);
	q[0] = 'N';
	/* evidence length claiming more than is there, and an inner trailing byte */
	q[6]++;
	NC_CHECK_EQ(verify(&a, q, a.len, NULL), NC_TEE_ERR_FORMAT);
	q[6]--;
	NC_CHECK_EQ(verify(&a, q, a.len, NULL), NC_TEE_OK);
	uint32_t b;
	const uint8_t *ev;
	size_t ev_len, n;
	NC_CHECK_EQ(nc_tee_quote_unwrap(a.quote, a.len, &b, &ev, &ev_len), NC_TEE_OK);
	uint8_t longer[QUOTE_CAP];
	nc_mem_copy(longer, ev, ev_len);
	longer[ev_len] = 0;
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_DEV, longer, ev_len + 1, q, sizeof q, &n), NC_TEE_OK);
	NC_CHECK_EQ(verify(&a, q, n, NULL), NC_TEE_ERR_FORMAT);
	/* the envelope's size bound */
	static uint8_t big[NC_TEE_QUOTE_MAX_BYTES + 16];
	NC_CHECK_EQ(verify(&a, big, sizeof big, NULL), NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_DEV, big, NC_TEE_QUOTE_MAX_BYTES, big, sizeof big, &n),
		    NC_TEE_ERR_TOO_LONG);
	NC_CHECK_EQ(nc_tee_quote_wrap(NC_TEE_BACKEND_DEV, ev, ev_len, q, 10, &n), NC_TEE_ERR_TOO_SMALL);
	NC_CHECK_EQ(nc_tee_attest(&a.f.tee, a.rd, q, 10, &n), NC_TEE_ERR_TOO_SMALL);
	tee_fixture_close(&a.f);
}

NC_TEST(tee_quote, reports_and_certificates_belong_to_their_device)
{
	attested_t a;
	tee_fixture_t other;
	nc_tee_report_t r;
	size_t n;
	NC_CHECK(attest(&a, NC_TEE_DEV_TCB_SVN));
	NC_CHECK(tee_fixture_open(&other, 7, 10, 0x22, NC_TEE_DEV_TCB_SVN));
	/* a report of one device does not quote on another, nor when altered */
	NC_CHECK_EQ(nc_tee_report(&other.tee, a.rd, &r), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_quote(&a.f.tee, &r, a.quote, sizeof a.quote, &n), NC_TEE_ERR_REPORT);
	NC_CHECK_EQ(nc_tee_report(&a.f.tee, a.rd, &r), NC_TEE_OK);
	r.measurement[0] ^= 1;
	NC_CHECK_EQ(nc_tee_quote(&a.f.tee, &r, a.quote, sizeof a.quote, &n), NC_TEE_ERR_REPORT);
	/* a certificate for another device is refused at open; none: no quotes */
	nc_tee_t t;
	nc_tee_dev_t d;
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &a.f.log, 1, other.cert, sizeof other.cert };
	NC_CHECK_EQ(nc_tee_dev_open(&t, &d, a.f.secret, 32, &cfg), NC_TEE_ERR_CERT);
	cfg.cert_len = sizeof other.cert - 1;
	NC_CHECK_EQ(nc_tee_dev_open(&t, &d, a.f.secret, 32, &cfg), NC_TEE_ERR_FORMAT);
	cfg.cert = NULL;
	NC_CHECK_EQ(nc_tee_dev_open(&t, &d, a.f.secret, 32, &cfg), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_attest(&t, a.rd, a.quote, sizeof a.quote, &n), NC_TEE_ERR_NO_CERT);
	nc_tee_close(&t);
	nc_tee_dev_cert_t c;
	NC_CHECK_EQ(nc_tee_dev_parse_cert(a.f.cert, sizeof a.f.cert, &c), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(c.device_key, a.f.dev.device_pk, 32) == 0);
	a.f.cert[4] = 2;
	NC_CHECK_EQ(nc_tee_dev_parse_cert(a.f.cert, sizeof a.f.cert, &c), NC_TEE_ERR_VERSION);
	tee_fixture_close(&other);
	tee_fixture_close(&a.f);
}

NC_TEST(tee_policy, encode_decode)
{
	tee_fixture_t f;
	nc_tee_policy_t p, q;
	uint8_t buf[NC_TEE_POLICY_MAX_BYTES];
	size_t n;
	NC_CHECK(tee_fixture_open(&f, 1, 2, 3, 1));
	tee_fixture_policy(&f, NULL, &p);
	NC_CHECK_EQ(nc_tee_policy_encode(&p, buf, sizeof buf, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_policy_decode(buf, n, &q), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(&p, &q, sizeof p) == 0);
	/* the fullest policy fits NC_TEE_POLICY_MAX_BYTES */
	p.n_measurements = p.n_log_digests = NC_TEE_POLICY_MAX_MEASUREMENTS;
	p.has_nonce = true;
	p.min_tcb_svn = UINT32_MAX;
	NC_CHECK_EQ(nc_tee_policy_encode(&p, buf, sizeof buf, &n), NC_TEE_OK);
	NC_CHECK_EQ(nc_tee_policy_decode(buf, n, &q), NC_TEE_OK);
	NC_CHECK(nc_mem_compare(&p, &q, sizeof p) == 0);
	for (size_t cut = 0; cut < n; cut++)
		NC_CHECK_EQ(nc_tee_policy_decode(buf, cut, &q), NC_TEE_ERR_FORMAT);
	NC_CHECK_EQ(nc_tee_policy_encode(&p, buf, n - 1, &n), NC_TEE_ERR_TOO_SMALL);
	p.n_measurements = 0;
	NC_CHECK_EQ(nc_tee_policy_encode(&p, buf, sizeof buf, &n), NC_TEE_ERR_FORMAT);
	p.n_measurements = NC_TEE_POLICY_MAX_MEASUREMENTS + 1;
	NC_CHECK_EQ(nc_tee_policy_encode(&p, buf, sizeof buf, &n), NC_TEE_ERR_FORMAT);
	/* hand-made: no measurement, 17 of them, a version 2 */
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, buf, sizeof buf);
	nc_wire_encode_raw(&w, (const uint8_t *)"NCTP", 4);
	nc_wire_encode_u8(&w, 1);
	nc_wire_encode_u8(&w, 1);
	nc_wire_encode_u32(&w, 1);
	nc_wire_encode_len(&w, 0);
	nc_wire_encode_len(&w, 0);
	nc_wire_encode_option(&w, false);
	NC_CHECK_EQ(nc_tee_policy_decode(buf, w.len_bytes, &q), NC_TEE_ERR_FORMAT);
	buf[7] = 17;
	NC_CHECK_EQ(nc_tee_policy_decode(buf, w.len_bytes, &q), NC_TEE_ERR_FORMAT);
	buf[4] = 2;
	NC_CHECK_EQ(nc_tee_policy_decode(buf, w.len_bytes, &q), NC_TEE_ERR_VERSION);
	tee_fixture_close(&f);
}
