/* libFuzzer target for lib/tee's decoders and verifiers. The first byte
 * picks what the rest is fed to: a quote (verified against the fixed
 * development root of the seeds, with and without a policy), a policy, a
 * claims record, a measurement log, a sealed blob (opened by the fixed
 * development device), a TDX quote, an SNP report. None may crash; decoded
 * policies and claims must re-encode to the bytes they came from (postcard is
 * canonical here), and a log that decodes must replay to what it records.
 * Seeds: tests/lib/tee/fuzz_seeds.sh (nc-tee with root seed 07 x 32 and
 * device secret 09 x 32, as below). */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>
#include <nc/tee_snp.h>
#include <nc/tee_tdx.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t root_pk[1][32];
static nc_tee_roots_t roots = { (const uint8_t(*)[32])root_pk, 1 };
static nc_tee_log_entry_t entries[4];
static nc_tee_log_t log;
static nc_tee_t tee;
static nc_tee_dev_t dev;

static void set_up(void)
{
	uint8_t seed[32], sk[64], secret[32], digest[32] = { 0 };
	nc_crypto_init();
	nc_mem_set(seed, 7, sizeof seed);
	nc_tee_dev_root_keypair(seed, root_pk[0], sk);
	nc_mem_set(secret, 9, sizeof secret);
	nc_tee_log_init(&log, entries, 4);
	nc_tee_log_extend(&log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, digest);
	nc_tee_log_end_boot(&log);
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &log, NC_TEE_DEV_TCB_SVN, NULL, 0 };
	nc_tee_dev_open(&tee, &dev, secret, sizeof secret, &cfg);
}

static void same_bytes(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	if (a_len != b_len || nc_mem_compare(a, b, a_len) != 0)
		__builtin_trap();
}

static void fuzz_policy(const uint8_t *p, size_t n)
{
	nc_tee_policy_t pol;
	uint8_t again[NC_TEE_POLICY_MAX_BYTES];
	size_t m;
	if (nc_tee_policy_decode(p, n, &pol) != NC_TEE_OK)
		return;
	if (nc_tee_policy_encode(&pol, again, sizeof again, &m) != NC_TEE_OK)
		__builtin_trap();
	same_bytes(p, n, again, m);
}

static void fuzz_claims(const uint8_t *p, size_t n)
{
	nc_tee_claims_t c;
	uint8_t again[NC_TEE_CLAIMS_MAX_BYTES];
	size_t m;
	if (nc_tee_claims_decode(p, n, &c) != NC_TEE_OK)
		return;
	if (nc_tee_claims_encode(&c, again, sizeof again, &m) != NC_TEE_OK)
		__builtin_trap();
	same_bytes(p, n, again, m);
}

static void fuzz_log(const uint8_t *p, size_t n)
{
	static nc_tee_log_entry_t st[64];
	static uint8_t again[64 * 100 + 128];
	nc_tee_log_t l;
	bool complete;
	size_t m;
	if (nc_tee_log_decode(p, n, &l, st, 64, &complete) != NC_TEE_OK)
		return;
	if (nc_tee_log_encode(&l, again, sizeof again, &m) != NC_TEE_OK)
		__builtin_trap();
	same_bytes(p, n, again, m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static uint8_t out[NC_TEE_SEAL_MAX_BYTES];
	if (!ready) {
		set_up();
		ready = true;
	}
	if (size == 0)
		return 0;
	const uint8_t *p = data + 1;
	size_t n = size - 1, m;
	nc_tee_claims_t c;
	nc_tee_policy_t pol;
	nc_tee_tdx_quote_t tdx;
	nc_tee_snp_report_t snp;
	switch (data[0] % 7) {
	case 0:
		nc_tee_verify_quote(p, n, &roots, NULL, &c);
		nc_mem_set(&pol, 0, sizeof pol);
		pol.backend = NC_TEE_BACKEND_DEV;
		pol.n_measurements = 1;
		nc_mem_copy(pol.measurements[0], log.boot, 32);
		if (nc_tee_verify_quote(p, n, &roots, &pol, &c) == NC_TEE_OK &&
		    nc_mem_compare(c.measurement, log.boot, 32) != 0)
			__builtin_trap();
		break;
	case 1: fuzz_policy(p, n); break;
	case 2: fuzz_claims(p, n); break;
	case 3: fuzz_log(p, n); break;
	case 4: nc_tee_unseal(&tee, p, n, out, sizeof out, &m); break;
	case 5: nc_tee_tdx_parse(p, n, &tdx); break;
	default: nc_tee_snp_parse(p, n, &snp); break;
	}
	return 0;
}
