/* The development backend's device side (nc/tee_dev.h): keys derived from
 * the device secret with HKDF-SHA256, reports MACed with the report key,
 * quotes signed with the attestation key and carrying the vendor's
 * certificate, sealing keys per measurement. */
#include "dev_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

static const char dev_salt[] = "NexaCore tee dev v1";

static void hkdf(uint8_t *out, size_t out_len, const char *salt, const uint8_t *secret, size_t secret_len,
		 const char *info)
{
	/* outputs of 32 bytes are far below the HKDF limit: this cannot fail */
	nc_crypto_hkdf_sha256(out, out_len, salt, nc_str_len(salt), secret, secret_len, info, nc_str_len(info));
}

static void keypair_from(uint8_t pk[32], uint8_t sk[64], const char *salt, const uint8_t *secret,
			 size_t secret_len, const char *info)
{
	uint8_t seed[NC_CRYPTO_ED25519_SEED_BYTES];
	hkdf(seed, sizeof seed, salt, secret, secret_len, info);
	nc_crypto_ed25519_keypair(pk, sk, seed);
	nc_crypto_wipe(seed, sizeof seed);
}

static bool secret_ok(size_t len)
{
	return len >= NC_TEE_DEV_MIN_SECRET_BYTES && len <= NC_TEE_DEV_MAX_SECRET_BYTES;
}

nc_tee_err_t nc_tee_dev_device_key(const uint8_t *device_secret, size_t secret_len,
				   uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	uint8_t sk[NC_TEE_SECRET_KEY_BYTES];
	if (!secret_ok(secret_len))
		return NC_TEE_ERR_SECRET_TOO_SHORT;
	keypair_from(pk, sk, dev_salt, device_secret, secret_len, "attestation key");
	nc_crypto_wipe(sk, sizeof sk);
	return NC_TEE_OK;
}

/* HMAC of the report's body encoding under the report key. */
static void report_mac(const nc_tee_dev_t *d, const nc_tee_report_t *r, uint8_t mac[NC_TEE_MAC_BYTES])
{
	uint8_t body[DEV_BODY_BYTES];
	size_t n = dev_encode_body(r, body);
	nc_crypto_hmac_sha256(mac, d->report_key, sizeof d->report_key, body, n);
}

static nc_tee_err_t dev_report(void *state, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			       nc_tee_report_t *out)
{
	const nc_tee_dev_t *d = state;
	nc_tee_registers_t regs;
	if (!d->read)
		return NC_TEE_ERR_UNSUPPORTED;
	d->read(d->read_ctx, &regs);
	nc_mem_set(out, 0, sizeof *out);
	out->backend = NC_TEE_BACKEND_DEV;
	out->tcb_svn = d->tcb_svn;
	nc_mem_copy(out->measurement, regs.boot, NC_TEE_MEASUREMENT_BYTES);
	nc_mem_copy(out->log_digest, regs.current, NC_TEE_MEASUREMENT_BYTES);
	out->log_entries = regs.n_entries;
	nc_mem_copy(out->report_data, report_data, NC_TEE_REPORT_DATA_BYTES);
	report_mac(d, out, out->mac);
	return NC_TEE_OK;
}

static nc_tee_err_t dev_quote(void *state, const nc_tee_report_t *report, uint8_t *out, size_t cap,
			      size_t *len_out)
{
	const nc_tee_dev_t *d = state;
	uint8_t mac[NC_TEE_MAC_BYTES], evidence[DEV_EVIDENCE_BYTES];
	report_mac(d, report, mac);
	if (report->backend != NC_TEE_BACKEND_DEV || !nc_crypto_equal(mac, report->mac, sizeof mac))
		return NC_TEE_ERR_REPORT;
	if (!d->has_cert)
		return NC_TEE_ERR_NO_CERT;
	size_t n = dev_encode_body(report, evidence);
	nc_crypto_ed25519_sign(evidence + n, evidence, n, d->device_sk);
	n += NC_TEE_SIG_BYTES;
	nc_mem_copy(evidence + n, d->cert, NC_TEE_DEV_CERT_BYTES);
	n += NC_TEE_DEV_CERT_BYTES;
	return nc_tee_quote_wrap(NC_TEE_BACKEND_DEV, evidence, n, out, cap, len_out);
}

static nc_tee_err_t dev_seal_key(void *state, const uint8_t measurement[NC_TEE_MEASUREMENT_BYTES],
				 uint8_t key[NC_TEE_SEAL_KEY_BYTES])
{
	const nc_tee_dev_t *d = state;
	uint8_t info[8 + NC_TEE_MEASUREMENT_BYTES];
	nc_mem_copy(info, "seal key", 8);
	nc_mem_copy(info + 8, measurement, NC_TEE_MEASUREMENT_BYTES);
	nc_crypto_hkdf_sha256_expand(key, NC_TEE_SEAL_KEY_BYTES, d->seal_prk, info, sizeof info);
	return NC_TEE_OK;
}

static nc_tee_err_t dev_public_key(void *state, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	const nc_tee_dev_t *d = state;
	nc_mem_copy(pk, d->root_pk, NC_TEE_PUBLIC_KEY_BYTES);
	return NC_TEE_OK;
}

static nc_tee_err_t dev_sign(void *state, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg, size_t len_bytes)
{
	const nc_tee_dev_t *d = state;
	nc_crypto_ed25519_sign(sig, msg, len_bytes, d->root_sk);
	return NC_TEE_OK;
}

static void dev_close(void *state) { nc_crypto_wipe(state, sizeof(nc_tee_dev_t)); }

static const nc_tee_ops_t dev_ops = { NC_TEE_BACKEND_DEV, "dev", dev_report, dev_quote, dev_seal_key,
				      dev_public_key, dev_sign, dev_close };

/* The certificate must parse and name this device's attestation key. */
static nc_tee_err_t take_cert(nc_tee_dev_t *d, const uint8_t *cert, size_t len)
{
	nc_tee_dev_cert_t c;
	nc_tee_err_t err = len == NC_TEE_DEV_CERT_BYTES ? nc_tee_dev_parse_cert(cert, len, &c) : NC_TEE_ERR_FORMAT;
	if (err)
		return err;
	if (nc_mem_compare(c.device_key, d->device_pk, NC_TEE_PUBLIC_KEY_BYTES) != 0)
		return NC_TEE_ERR_CERT;
	nc_mem_copy(d->cert, cert, NC_TEE_DEV_CERT_BYTES);
	d->has_cert = true;
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_dev_open(nc_tee_t *tee, nc_tee_dev_t *dev, const uint8_t *device_secret,
			     size_t secret_len, const nc_tee_dev_config_t *cfg)
{
	tee->ops = NULL;
	tee->state = NULL;
	if (!secret_ok(secret_len))
		return NC_TEE_ERR_SECRET_TOO_SHORT;
	nc_mem_set(dev, 0, sizeof *dev);
	keypair_from(dev->root_pk, dev->root_sk, "NexaCore tee mock v1", device_secret, secret_len,
		     "root signing key");
	keypair_from(dev->device_pk, dev->device_sk, dev_salt, device_secret, secret_len, "attestation key");
	hkdf(dev->report_key, sizeof dev->report_key, dev_salt, device_secret, secret_len, "report key");
	nc_crypto_hkdf_sha256_extract(dev->seal_prk, dev_salt, sizeof dev_salt - 1, device_secret, secret_len);
	if (cfg) {
		dev->read = cfg->read;
		dev->read_ctx = cfg->read_ctx;
		dev->tcb_svn = cfg->tcb_svn;
		nc_tee_err_t err = cfg->cert ? take_cert(dev, cfg->cert, cfg->cert_len) : NC_TEE_OK;
		if (err) {
			dev_close(dev);
			return err;
		}
	}
	tee->ops = &dev_ops;
	tee->state = dev;
	return NC_TEE_OK;
}
