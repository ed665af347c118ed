/* libFuzzer target for envelopes. Input byte 0 even: the rest is one
 * envelope, parsed and opened by a fresh recipient (no crash). Odd: the rest
 * is a list of (envelope, offset, xor) triples applied to three envelopes of a
 * real session made at start-up, and the recipient opens the three in order:
 * an altered envelope must never open, and an unaltered one must open exactly
 * when every envelope before it opened (the header and ciphertext are all
 * authenticated; order is enforced). */
#include <nc/crypto.h>
#include <nc/envelope.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { N_ENV = 3, ENV_CAP = 128 };

static nc_envelope_recipient_t fresh; /* a recipient before its session */
static uint8_t env[N_ENV][ENV_CAP];
static size_t env_len[N_ENV];

static uint64_t counter;
static bool fixed_random(void *ctx, uint8_t *buf, size_t n)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init(&h);
	nc_crypto_blake3_update(&h, &counter, sizeof counter);
	nc_crypto_blake3_finalize(&h, 0, buf, n);
	counter++;
	return true;
}

static void set_up(void)
{
	uint8_t seed[32] = { 7 }, root_pk[1][32], root_sk[64], secret[32] = { 9 }, dev_pk[32];
	uint8_t cert[NC_TEE_DEV_CERT_BYTES], sk[32], pk[32], nonce[32] = { 5 }, rd[64], quote[1024], d[32] = { 0 };
	size_t qn;
	nc_tee_log_entry_t st[2];
	nc_tee_log_t log;
	nc_tee_t tee;
	nc_tee_dev_t dev;
	nc_crypto_init();
	nc_crypto_set_random(fixed_random, NULL);
	nc_tee_dev_root_keypair(seed, root_pk[0], root_sk);
	nc_tee_dev_device_key(secret, sizeof secret, dev_pk);
	nc_tee_dev_certify(cert, root_sk, dev_pk);
	nc_tee_log_init(&log, st, 2);
	nc_tee_log_extend(&log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, d);
	nc_tee_log_end_boot(&log);
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &log, NC_TEE_DEV_TCB_SVN, cert, sizeof cert };
	nc_tee_dev_open(&tee, &dev, secret, sizeof secret, &cfg);
	nc_hpke_generate_keypair(sk, pk);
	nc_envelope_report_data(rd, pk, nonce);
	nc_tee_attest(&tee, rd, quote, sizeof quote, &qn);
	nc_tee_policy_t p = { .backend = NC_TEE_BACKEND_DEV, .n_measurements = 1, .has_nonce = true };
	nc_mem_copy(p.measurements[0], log.boot, 32);
	nc_mem_copy(p.nonce, nonce, 32);
	nc_tee_roots_t roots = { (const uint8_t(*)[32])root_pk, 1 };
	nc_envelope_sender_t s;
	if (nc_envelope_sender_open(&s, quote, qn, &roots, &p, NULL))
		__builtin_trap();
	for (int i = 0; i < N_ENV; i++)
		if (nc_envelope_seal(&s, (const uint8_t *)"payload!", 8, env[i], ENV_CAP, &env_len[i]))
			__builtin_trap();
	nc_envelope_recipient_init(&fresh, sk, quote, qn);
	nc_tee_close(&tee);
}

static void mutate_session(const uint8_t *p, size_t n)
{
	uint8_t e[N_ENV][ENV_CAP], out[16];
	bool changed[N_ENV];
	nc_mem_copy(e, env, sizeof e);
	for (size_t i = 0; i + 3 <= n; i += 3) {
		int which = p[i] % N_ENV;
		e[which][p[i + 1] % env_len[which]] ^= p[i + 2];
	}
	for (int i = 0; i < N_ENV; i++) /* two changes of one byte may cancel out */
		changed[i] = nc_mem_compare(e[i], env[i], env_len[i]) != 0;
	nc_envelope_recipient_t r = fresh;
	bool all_before = true;
	for (int i = 0; i < N_ENV; i++) {
		size_t m;
		bool ok = nc_envelope_open(&r, e[i], env_len[i], out, sizeof out, &m) == NC_ENVELOPE_OK;
		if ((changed[i] && ok) || (!changed[i] && ok != all_before))
			__builtin_trap();
		all_before &= ok;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static uint8_t out[NC_ENVELOPE_MAX_PAYLOAD];
	if (!ready) {
		set_up();
		ready = true;
	}
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		mutate_session(data + 1, size - 1);
		return 0;
	}
	nc_envelope_view_t v;
	nc_envelope_parse(data + 1, size - 1, &v);
	nc_envelope_recipient_t r = fresh;
	size_t m;
	nc_envelope_open(&r, data + 1, size - 1, out, sizeof out, &m);
	return 0;
}
