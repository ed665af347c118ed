/* Backend dispatch (nc/tee.h): every device-side call goes to the open
 * backend's ops; names of errors and backends; key ids. */
#include <nc/crypto.h>
#include <nc/tee.h>

const char *nc_tee_err_name(nc_tee_err_t err)
{
	switch (err) {
	case NC_TEE_OK: return "NC_TEE_OK";
	case NC_TEE_ERR_SECRET_TOO_SHORT: return "NC_TEE_ERR_SECRET_TOO_SHORT";
	case NC_TEE_ERR_CLOSED: return "NC_TEE_ERR_CLOSED";
	case NC_TEE_ERR_FORMAT: return "NC_TEE_ERR_FORMAT";
	case NC_TEE_ERR_VERSION: return "NC_TEE_ERR_VERSION";
	case NC_TEE_ERR_BACKEND: return "NC_TEE_ERR_BACKEND";
	case NC_TEE_ERR_UNTRUSTED: return "NC_TEE_ERR_UNTRUSTED";
	case NC_TEE_ERR_BAD_SIGNATURE: return "NC_TEE_ERR_BAD_SIGNATURE";
	case NC_TEE_ERR_TCB: return "NC_TEE_ERR_TCB";
	case NC_TEE_ERR_MEASUREMENT: return "NC_TEE_ERR_MEASUREMENT";
	case NC_TEE_ERR_STALE: return "NC_TEE_ERR_STALE";
	case NC_TEE_ERR_TOO_SMALL: return "NC_TEE_ERR_TOO_SMALL";
	case NC_TEE_ERR_TOO_LONG: return "NC_TEE_ERR_TOO_LONG";
	case NC_TEE_ERR_NO_CERT: return "NC_TEE_ERR_NO_CERT";
	case NC_TEE_ERR_NO_RANDOM: return "NC_TEE_ERR_NO_RANDOM";
	case NC_TEE_ERR_SEAL_POLICY: return "NC_TEE_ERR_SEAL_POLICY";
	case NC_TEE_ERR_SEAL_AUTH: return "NC_TEE_ERR_SEAL_AUTH";
	case NC_TEE_ERR_REPORT: return "NC_TEE_ERR_REPORT";
	case NC_TEE_ERR_UNSUPPORTED: return "NC_TEE_ERR_UNSUPPORTED";
	case NC_TEE_ERR_CERT: return "NC_TEE_ERR_CERT";
	}
	return "NC_TEE_ERR_UNKNOWN";
}

const char *nc_tee_backend_name(uint32_t backend)
{
	switch (backend) {
	case NC_TEE_BACKEND_DEV: return "dev";
	case NC_TEE_BACKEND_TDX: return "tdx";
	case NC_TEE_BACKEND_SNP: return "snp";
	}
	return "unknown";
}

void nc_tee_key_id(uint8_t id[NC_TEE_KEY_ID_BYTES], const uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	static const char context[] = "NexaCore 2026-12 tee key id";
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init_derive_key(&h, context, sizeof context - 1);
	nc_crypto_blake3_update(&h, pk, NC_TEE_PUBLIC_KEY_BYTES);
	nc_crypto_blake3_finalize(&h, 0, id, NC_TEE_KEY_ID_BYTES);
}

nc_tee_err_t nc_tee_report(const nc_tee_t *tee, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			   nc_tee_report_t *out)
{
	return tee->ops ? tee->ops->report(tee->state, report_data, out) : NC_TEE_ERR_CLOSED;
}

nc_tee_err_t nc_tee_quote(const nc_tee_t *tee, const nc_tee_report_t *report, uint8_t *out, size_t cap,
			  size_t *len_out)
{
	return tee->ops ? tee->ops->quote(tee->state, report, out, cap, len_out) : NC_TEE_ERR_CLOSED;
}

nc_tee_err_t nc_tee_seal_key(const nc_tee_t *tee, const uint8_t measurement[NC_TEE_MEASUREMENT_BYTES],
			     uint8_t key[NC_TEE_SEAL_KEY_BYTES])
{
	return tee->ops ? tee->ops->seal_key(tee->state, measurement, key) : NC_TEE_ERR_CLOSED;
}

nc_tee_err_t nc_tee_public_key(const nc_tee_t *tee, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	return tee->ops ? tee->ops->public_key(tee->state, pk) : NC_TEE_ERR_CLOSED;
}

nc_tee_err_t nc_tee_sign(const nc_tee_t *tee, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg,
			 size_t len_bytes)
{
	return tee->ops ? tee->ops->sign(tee->state, sig, msg, len_bytes) : NC_TEE_ERR_CLOSED;
}

nc_tee_err_t nc_tee_attest(const nc_tee_t *tee, const uint8_t report_data[NC_TEE_REPORT_DATA_BYTES],
			   uint8_t *out, size_t cap, size_t *len_out)
{
	nc_tee_report_t r;
	nc_tee_err_t err = nc_tee_report(tee, report_data, &r);
	return err ? err : nc_tee_quote(tee, &r, out, cap, len_out);
}

void nc_tee_close(nc_tee_t *tee)
{
	if (tee->ops)
		tee->ops->close(tee->state);
	tee->ops = NULL;
	tee->state = NULL;
}
