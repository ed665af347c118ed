/* See tee_test_util.h. */
#include "tee_test_util.h"
#include <nc/crypto.h>
#include <nc/mem.h>

static uint64_t draws;

static bool counter_random(void *ctx, uint8_t *buf, size_t n)
{
	static const char label[] = "NexaCore tests: tee randomness";
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init_derive_key(&h, label, sizeof label - 1);
	nc_crypto_blake3_update(&h, &draws, sizeof draws);
	nc_crypto_blake3_finalize(&h, 0, buf, n);
	draws++;
	return true;
}

void tee_test_random_install(void) { nc_crypto_set_random(counter_random, NULL); }

void tee_test_random_remove(void) { nc_crypto_set_random(NULL, NULL); }

static int nibble(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

size_t tee_test_unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	for (; hex[2 * n] && hex[2 * n + 1] && n < cap; n++)
		out[n] = (uint8_t)(nibble(hex[2 * n]) << 4 | nibble(hex[2 * n + 1]));
	return n;
}

bool tee_fixture_open(tee_fixture_t *f, uint8_t root_byte, uint8_t secret_byte, uint8_t initrd_byte,
		      uint32_t tcb_svn)
{
	uint8_t seed[32], digest[32], device_pk[NC_TEE_PUBLIC_KEY_BYTES];
	nc_mem_set(f, 0, sizeof *f);
	nc_mem_set(seed, root_byte, sizeof seed);
	nc_tee_dev_root_keypair(seed, f->root_pk[0], f->root_sk);
	f->roots = (nc_tee_roots_t){ (const uint8_t(*)[NC_TEE_PUBLIC_KEY_BYTES])f->root_pk, 1 };
	nc_mem_set(f->secret, secret_byte, sizeof f->secret);
	if (nc_tee_dev_device_key(f->secret, sizeof f->secret, device_pk))
		return false;
	nc_tee_dev_certify(f->cert, f->root_sk, device_pk);
	nc_tee_log_init(&f->log, f->storage, 8);
	nc_mem_set(digest, 0x11, sizeof digest);
	nc_tee_log_extend(&f->log, NC_TEE_LOG_KERNEL, "kernel.elf", 10, digest);
	nc_mem_set(digest, initrd_byte, sizeof digest);
	nc_tee_log_extend(&f->log, NC_TEE_LOG_INITRD, "initrd", 6, digest);
	nc_mem_set(digest, 0x33, sizeof digest);
	nc_tee_log_extend(&f->log, NC_TEE_LOG_CMDLINE, "cmdline", 7, digest);
	nc_tee_log_end_boot(&f->log);
	nc_tee_dev_config_t cfg = { nc_tee_log_read, &f->log, tcb_svn, f->cert, sizeof f->cert };
	return nc_tee_dev_open(&f->tee, &f->dev, f->secret, sizeof f->secret, &cfg) == NC_TEE_OK;
}

void tee_fixture_close(tee_fixture_t *f) { nc_tee_close(&f->tee); }

void tee_fixture_policy(const tee_fixture_t *f, const uint8_t *nonce, nc_tee_policy_t *p)
{
	nc_mem_set(p, 0, sizeof *p);
	p->backend = NC_TEE_BACKEND_DEV;
	p->min_tcb_svn = NC_TEE_DEV_TCB_SVN;
	p->n_measurements = 1;
	nc_mem_copy(p->measurements[0], f->log.boot, NC_TEE_MEASUREMENT_BYTES);
	p->has_nonce = nonce != NULL;
	if (nonce)
		nc_mem_copy(p->nonce, nonce, NC_TEE_NONCE_BYTES);
}
