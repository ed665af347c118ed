/* The Tee* system calls in a running NexaCore (docs/attestation.md), on the
 * test image's development device (provisioned by the build): quotes made
 * and verified, every refusal of verification, sealing to this image and to
 * a policy's, the measurement log (its program entry for usertests, and the
 * service entry the service tests' registration of /svct made, checked
 * against a BLAKE3 of the file read back here), bad buffers, and the
 * capability checks (tee.attest, tee.verify, tee.seal; the log needs none). */
#include "ut_sys.h"
#include <nc/crypto.h>
#include <nc/tee_dev.h>

enum { QUOTE_CAP = NC_SYS_TEE_QUOTE_MAX_BYTES, LOG_CAP = 16384, MAX_ENTRIES = 128 };

static struct {
	uint8_t quote[QUOTE_CAP];
	uint64_t quote_len;
	uint8_t nonce[32];
	uint8_t log[LOG_CAP];
	nc_tee_log_entry_t entries[MAX_ENTRIES];
	nc_tee_log_t decoded;
	uint8_t policy[NC_TEE_POLICY_MAX_BYTES];
	size_t policy_len;
	uint8_t sealed[2048], plain[64], file[NC_SYS_IO_MAX_BYTES];
} s;

/* The log, decoded; false if it does not decode whole. */
static bool read_log(void)
{
	uint64_t n;
	bool complete;
	return nc_sys_tee_measurement_log(s.log, sizeof s.log, &n) == NC_SYS_OK &&
	       nc_tee_log_decode(s.log, n, &s.decoded, s.entries, MAX_ENTRIES, &complete) == NC_TEE_OK &&
	       complete;
}

/* s.policy: this image's measurement (first one, or `other` too) and nonce. */
static void make_policy(const uint8_t *other, uint32_t min_tcb, const uint8_t *nonce)
{
	nc_tee_policy_t p;
	nc_mem_set(&p, 0, sizeof p);
	p.backend = NC_TEE_BACKEND_DEV;
	p.min_tcb_svn = min_tcb;
	if (other)
		nc_mem_copy(p.measurements[p.n_measurements++], other, 32);
	nc_mem_copy(p.measurements[p.n_measurements++], s.decoded.boot, 32);
	p.has_nonce = nonce != NULL;
	if (nonce)
		nc_mem_copy(p.nonce, nonce, 32);
	nc_tee_policy_encode(&p, s.policy, sizeof s.policy, &s.policy_len);
}

static nc_sys_err_t attest(void)
{
	uint8_t rd[64] = "usertests";
	nc_mem_set(s.nonce, 0x6e, sizeof s.nonce);
	nc_mem_copy(rd + 32, s.nonce, 32);
	return nc_sys_tee_attest(rd, s.quote, sizeof s.quote, &s.quote_len);
}

static nc_sys_err_t verify(const uint8_t *q, uint64_t len, uint8_t *claims, uint64_t claims_len, uint64_t *n)
{
	return nc_sys_tee_verify_policy(q, len, s.policy, s.policy_len, claims, claims_len, n);
}

static bool t_tee_quote_round_trip(void)
{
	uint8_t claims[NC_SYS_TEE_CLAIMS_MAX_BYTES];
	uint64_t n;
	nc_tee_claims_t c;
	NC_REQUIRE(read_log());
	NC_EXPECT_SYS(attest(), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(s.quote, s.quote_len), NC_SYS_OK);
	make_policy(NULL, NC_TEE_DEV_TCB_SVN, s.nonce);
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, sizeof claims, &n), NC_SYS_OK);
	NC_REQUIRE(nc_tee_claims_decode(claims, n, &c) == NC_TEE_OK);
	NC_REQUIRE(c.backend == NC_TEE_BACKEND_DEV && c.tcb_svn == NC_TEE_DEV_TCB_SVN);
	NC_REQUIRE(nc_mem_compare(c.measurement, s.decoded.boot, 32) == 0);
	NC_REQUIRE(nc_mem_compare(c.report_data, "usertests", 9) == 0);
	NC_REQUIRE(nc_mem_compare(c.report_data + 32, s.nonce, 32) == 0);
	NC_REQUIRE(c.log_entries >= 4); /* the boot part, init, usertests */
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, 10, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_tee_attest("x", s.quote, 10, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_tee_attest((void *)UT_KERNEL_ADDR, s.quote, sizeof s.quote, &n), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_tee_attest(s.nonce, (void *)UT_UNMAPPED_ADDR, 4096, &n), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

/* A quote of a development device this kernel's vendor does not know: made
 * here with lib/tee, rooted in a key of our own. */
static size_t foreign_quote(uint8_t *out, size_t cap)
{
	uint8_t seed[32] = { 1 }, root_pk[32], root_sk[64], secret[32] = { 2 }, pk[32];
	uint8_t cert[NC_TEE_DEV_CERT_BYTES], rd[64] = { 0 };
	nc_tee_dev_root_keypair(seed, root_pk, root_sk);
	nc_tee_dev_device_key(secret, sizeof secret, pk);
	nc_tee_dev_certify(cert, root_sk, pk);
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &s.decoded, NC_TEE_DEV_TCB_SVN, cert, sizeof cert };
	nc_tee_t tee;
	nc_tee_dev_t dev;
	size_t n = 0;
	if (nc_tee_dev_open(&tee, &dev, secret, sizeof secret, &cfg) || nc_tee_attest(&tee, rd, out, cap, &n))
		n = 0;
	nc_tee_close(&tee);
	return n;
}

static bool t_tee_verify_refusals(void)
{
	uint8_t claims[NC_SYS_TEE_CLAIMS_MAX_BYTES], other[32], q[QUOTE_CAP];
	uint64_t n;
	NC_REQUIRE(read_log());
	NC_EXPECT_SYS(attest(), NC_SYS_OK);
	uint8_t wrong_nonce[32] = { 9 };
	make_policy(NULL, NC_TEE_DEV_TCB_SVN, wrong_nonce);
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, sizeof claims, &n), NC_SYS_ERR_STALE);
	make_policy(NULL, NC_TEE_DEV_TCB_SVN + 1, s.nonce);
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, sizeof claims, &n), NC_SYS_ERR_POLICY);
	/* a policy naming only another image */
	nc_mem_copy(other, s.decoded.boot, 32);
	other[0] ^= 1;
	make_policy(NULL, NC_TEE_DEV_TCB_SVN, s.nonce);
	for (size_t i = 0; i + 32 <= s.policy_len; i++)
		if (nc_mem_compare(s.policy + i, s.decoded.boot, 32) == 0)
			s.policy[i] ^= 1;
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, sizeof claims, &n), NC_SYS_ERR_POLICY);
	make_policy(other, NC_TEE_DEV_TCB_SVN, s.nonce);
	NC_EXPECT_SYS(verify(s.quote, s.quote_len, claims, sizeof claims, &n), NC_SYS_OK);
	/* an altered signature, a truncated quote, garbage, a bad policy */
	nc_mem_copy(q, s.quote, s.quote_len);
	q[s.quote_len - NC_TEE_DEV_CERT_BYTES - 5] ^= 1;
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(q, s.quote_len), NC_SYS_ERR_BAD_SIGNATURE);
	NC_EXPECT_SYS(verify(q, s.quote_len, claims, sizeof claims, &n), NC_SYS_ERR_BAD_SIGNATURE);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(s.quote, s.quote_len - 1), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote("garbage", 7), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(s.quote, NC_SYS_TEE_QUOTE_MAX_BYTES + 1), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote((void *)UT_KERNEL_ADDR, 100), NC_SYS_ERR_BAD_ADDRESS);
	NC_EXPECT_SYS(nc_sys_tee_verify_policy(s.quote, s.quote_len, "NCTP", 4, claims, sizeof claims, &n),
		  NC_SYS_ERR_INVALID);
	/* chained to a root this kernel does not trust */
	size_t fn = foreign_quote(q, sizeof q);
	NC_REQUIRE(fn > 0);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(q, fn), NC_SYS_ERR_UNTRUSTED);
	/* another backend's evidence: its layout is checked first */
	size_t wn;
	NC_REQUIRE(nc_tee_quote_wrap(NC_TEE_BACKEND_TDX, (const uint8_t *)"not a quote", 11, q, sizeof q, &wn) == NC_TEE_OK);
	NC_EXPECT_SYS(nc_sys_tee_verify_quote(q, wn), NC_SYS_ERR_INVALID);
	return true;
}

static bool t_tee_seal(void)
{
	static const char msg[] = "kept for this image";
	static uint8_t big[NC_SYS_TEE_SEAL_MAX_BYTES + 1];
	uint64_t n, m;
	uint8_t other[32];
	NC_REQUIRE(read_log());
	NC_EXPECT_SYS(nc_sys_tee_seal(msg, sizeof msg, s.sealed, sizeof s.sealed, &n), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n, s.plain, sizeof s.plain, &m), NC_SYS_OK);
	NC_REQUIRE(m == sizeof msg && nc_mem_compare(s.plain, msg, m) == 0);
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n, s.plain, m - 1, &m), NC_SYS_ERR_TOO_SMALL);
	s.sealed[n - 2] ^= 1;
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n, s.plain, sizeof s.plain, &m), NC_SYS_ERR_BAD_SIGNATURE);
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n - 1, s.plain, sizeof s.plain, &m), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_tee_seal(msg, sizeof msg, s.sealed, 20, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_tee_seal(big, sizeof big, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_INVALID);
	NC_EXPECT_SYS(nc_sys_tee_seal((void *)UT_KERNEL_ADDR, 8, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_BAD_ADDRESS);
	/* sealed for another image only: this one may not open it */
	nc_mem_copy(other, s.decoded.boot, 32);
	other[31] ^= 0x80;
	make_policy(other, 0, NULL);
	for (size_t i = 0; i + 32 <= s.policy_len; i++)
		if (nc_mem_compare(s.policy + i, s.decoded.boot, 32) == 0)
			s.policy[i + 31] ^= 0x80; /* now it names `other` twice */
	NC_EXPECT_SYS(nc_sys_tee_seal_policy(msg, sizeof msg, s.policy, s.policy_len, s.sealed, sizeof s.sealed, &n),
		  NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n, s.plain, sizeof s.plain, &m), NC_SYS_ERR_POLICY);
	make_policy(other, 0, NULL);
	NC_EXPECT_SYS(nc_sys_tee_seal_policy(msg, sizeof msg, s.policy, s.policy_len, s.sealed, sizeof s.sealed, &n),
		  NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_tee_unseal(s.sealed, n, s.plain, sizeof s.plain, &m), NC_SYS_OK);
	NC_REQUIRE(m == sizeof msg && nc_mem_compare(s.plain, msg, m) == 0);
	NC_EXPECT_SYS(nc_sys_tee_seal_policy(msg, sizeof msg, "NCTP", 4, s.sealed, sizeof s.sealed, &n),
		  NC_SYS_ERR_INVALID);
	return true;
}

/* BLAKE3 of an initrd file, read back through the file system. */
static bool hash_file(const char *path, uint8_t digest[32])
{
	nc_crypto_blake3_t h;
	uint64_t fd, got;
	if (nc_sys_fs_open(path, nc_str_len(path), 0, &fd))
		return false;
	nc_crypto_blake3_init(&h);
	while (nc_sys_fd_read(fd, s.file, sizeof s.file, 0, &got) == NC_SYS_OK && got)
		nc_crypto_blake3_update(&h, s.file, got);
	nc_sys_handle_close(fd);
	nc_crypto_blake3_finalize(&h, 0, digest, 32);
	return true;
}

static bool t_tee_measurement_log(void)
{
	uint8_t digest[32];
	uint64_t n;
	NC_REQUIRE(read_log());
	const nc_tee_log_t *l = &s.decoded;
	NC_REQUIRE(l->n_boot == 3 && s.entries[0].kind == NC_TEE_LOG_KERNEL &&
		s.entries[1].kind == NC_TEE_LOG_INITRD && s.entries[2].kind == NC_TEE_LOG_CMDLINE);
	NC_REQUIRE(hash_file("/usertests", digest));
	bool found = false, service = false;
	for (uint32_t i = l->n_boot; i < l->cap; i++) {
		const nc_tee_log_entry_t *e = &s.entries[i];
		bool ours = nc_mem_compare(e->digest, digest, 32) == 0;
		found |= e->kind == NC_TEE_LOG_PROGRAM && e->name_len == 9 &&
			 nc_mem_compare(e->name, "usertests", 9) == 0 && ours;
		/* the service tests (earlier) ran usertests as the service for /svct */
		service |= e->kind == NC_TEE_LOG_SERVICE && e->name_len == 8 &&
			   nc_mem_compare(e->name, "fs:/svct", 8) == 0 && ours;
	}
	NC_REQUIRE(found && service);
	NC_EXPECT_SYS(nc_sys_tee_measurement_log(s.log, 16, &n), NC_SYS_ERR_TOO_SMALL);
	NC_EXPECT_SYS(nc_sys_tee_measurement_log((void *)UT_KERNEL_ADDR, sizeof s.log, &n), NC_SYS_ERR_BAD_ADDRESS);
	return true;
}

/* A child holding only tee.verify: it may verify, nothing else. */
static int child_tee_verify_only(void)
{
	uint64_t n;
	uint8_t rd[64] = { 0 };
	NC_EXPECT_CHILD(nc_sys_tee_verify_quote("garbage", 7), NC_SYS_ERR_INVALID);
	NC_EXPECT_CHILD(nc_sys_tee_attest(rd, s.quote, sizeof s.quote, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_seal("x", 1, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_unseal(s.sealed, 8, s.plain, sizeof s.plain, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_seal_policy("x", 1, "p", 1, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_DENIED);
	return 0;
}

/* A child with no capability: every Tee* call but the log is DENIED. */
static int child_tee_none(void)
{
	uint64_t n;
	uint8_t rd[64] = { 0 };
	NC_EXPECT_CHILD(nc_sys_tee_attest(rd, s.quote, sizeof s.quote, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_verify_quote("garbage", 7), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_verify_policy("q", 1, "p", 1, s.plain, 8, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_seal("x", 1, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_seal_policy("x", 1, "p", 1, s.sealed, sizeof s.sealed, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_unseal(s.sealed, 8, s.plain, sizeof s.plain, &n), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_tee_measurement_log(s.log, sizeof s.log, &n), NC_SYS_OK);
	return 0;
}

static bool t_tee_capabilities(void)
{
	uint64_t st, grant;
	if (!ut_spawn_with("tee_none", NULL, 0, &st))
		return false;
	if (st)
		return NC_FAIL("child without capabilities failed at line %llu", (unsigned long long)st);
	NC_EXPECT_SYS(ut_attenuate("tee", "tee.verify", "*", NC_SYS_RIGHTS_ALL, 0, &grant), NC_SYS_OK);
	bool ran = ut_spawn_with("tee_verify_only", &grant, 1, &st);
	nc_sys_handle_close(grant);
	if (ran && st)
		return NC_FAIL("child with tee.verify failed at line %llu", (unsigned long long)st);
	return ran;
}

const nc_test_case_t ut_tee_tests[] = {
	{ "tee_quote_round_trip", t_tee_quote_round_trip },
	{ "tee_verify_refusals", t_tee_verify_refusals },
	{ "tee_seal", t_tee_seal },
	{ "tee_measurement_log", t_tee_measurement_log },
	{ "tee_capabilities", t_tee_capabilities },
	{ NULL, NULL },
};

const nc_test_child_t ut_tee_children[] = {
	{ "tee_none", child_tee_none },
	{ "tee_verify_only", child_tee_verify_only },
	{ NULL, NULL },
};
