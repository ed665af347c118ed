/* The Tee* system calls (docs/abi.md, docs/attestation.md): TeeAttest,
 * TeeVerifyQuote, TeeSeal (ABI v1, revised in v3), TeeVerifyPolicy,
 * TeeSealPolicy, TeeUnseal, TeeMeasurementLog (v3), served by the kernel's
 * TEE (kernel/tee.c). The dispatch has checked the capability (tee.attest,
 * tee.verify, tee.seal) already. Each handler copies its inputs into kernel
 * buffers first, lets lib/tee work on those, and copies out only on success. */
#include <kernel/heap.h>
#include <kernel/measure.h>
#include <kernel/sys_table.h>
#include <kernel/tee.h>
#include <kernel/usercopy.h>
#include <nc/mem.h>

enum { LOG_MAX_BYTES = 16 + 2 * NC_TEE_MEASUREMENT_BYTES + 4 +
		       MEASURE_LOG_ENTRIES * (2 + NC_TEE_LOG_NAME_MAX + NC_TEE_MEASUREMENT_BYTES) };

static nc_sys_err_t sys_err(nc_tee_err_t err)
{
	switch (err) {
	case NC_TEE_OK: return NC_SYS_OK;
	case NC_TEE_ERR_UNTRUSTED: return NC_SYS_ERR_UNTRUSTED;
	case NC_TEE_ERR_BAD_SIGNATURE:
	case NC_TEE_ERR_SEAL_AUTH: return NC_SYS_ERR_BAD_SIGNATURE;
	case NC_TEE_ERR_TCB:
	case NC_TEE_ERR_MEASUREMENT:
	case NC_TEE_ERR_SEAL_POLICY: return NC_SYS_ERR_POLICY;
	case NC_TEE_ERR_STALE: return NC_SYS_ERR_STALE;
	case NC_TEE_ERR_TOO_SMALL: return NC_SYS_ERR_TOO_SMALL;
	case NC_TEE_ERR_FORMAT:
	case NC_TEE_ERR_VERSION:
	case NC_TEE_ERR_TOO_LONG: return NC_SYS_ERR_INVALID;
	default: return NC_SYS_ERR_UNSUPPORTED; /* no device, no certificate, a backend nobody verifies */
	}
}

/* A kernel copy of user memory [src, src + len); *out NULL on error. */
static nc_sys_err_t copy_in(uint64_t src, uint64_t len, uint64_t max, uint8_t **out)
{
	*out = NULL;
	if (len > max)
		return NC_SYS_ERR_INVALID;
	uint8_t *k = heap_alloc(len ? len : 1);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	if (len && copy_from_user(k, src, len)) {
		heap_free(k);
		return NC_SYS_ERR_BAD_ADDRESS;
	}
	*out = k;
	return NC_SYS_OK;
}

/* Copy k[0..n) to the user and free k (also on an earlier error). */
static nc_sys_err_t copy_out(nc_sys_err_t err, uint64_t dst, uint8_t *k, size_t n, uint64_t *len_out)
{
	if (!err && n && copy_to_user(dst, k, n))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err)
		*len_out = n;
	heap_free(k);
	return err;
}

static uint64_t at_most(uint64_t v, uint64_t max) { return v < max ? v : max; }

nc_sys_err_t sys_tee_attest(uint64_t report_data, uint64_t quote, uint64_t quote_len, uint64_t *len_bytes_out)
{
	uint8_t rd[NC_TEE_REPORT_DATA_BYTES];
	size_t n = 0;
	if (copy_from_user(rd, report_data, sizeof rd))
		return NC_SYS_ERR_BAD_ADDRESS;
	if (!tee_device())
		return NC_SYS_ERR_UNSUPPORTED;
	size_t cap = at_most(quote_len, NC_TEE_QUOTE_MAX_BYTES);
	uint8_t *k = heap_alloc(cap ? cap : 1);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = sys_err(nc_tee_attest(tee_device(), rd, k, cap, &n));
	return copy_out(err, quote, k, n, len_bytes_out);
}

nc_sys_err_t sys_tee_verify_quote(uint64_t quote, uint64_t quote_len)
{
	uint8_t *q;
	nc_sys_err_t err = copy_in(quote, quote_len, NC_TEE_QUOTE_MAX_BYTES, &q);
	if (err)
		return err;
	err = sys_err(nc_tee_verify_quote(q, quote_len, tee_roots(), NULL, NULL));
	heap_free(q);
	return err;
}

nc_sys_err_t sys_tee_verify_policy(uint64_t quote, uint64_t quote_len, uint64_t policy, uint64_t policy_len,
				   uint64_t claims, uint64_t claims_len, uint64_t *n_bytes_out)
{
	uint8_t *q, *p, c[NC_TEE_CLAIMS_MAX_BYTES];
	nc_tee_policy_t pol;
	nc_tee_claims_t cl;
	size_t n = 0;
	nc_sys_err_t err = copy_in(policy, policy_len, NC_TEE_POLICY_MAX_BYTES, &p);
	if (err)
		return err;
	err = sys_err(nc_tee_policy_decode(p, policy_len, &pol));
	heap_free(p);
	if (!err)
		err = copy_in(quote, quote_len, NC_TEE_QUOTE_MAX_BYTES, &q);
	if (err)
		return err;
	err = sys_err(nc_tee_verify_quote(q, quote_len, tee_roots(), &pol, &cl));
	heap_free(q);
	if (!err)
		err = sys_err(nc_tee_claims_encode(&cl, c, at_most(claims_len, sizeof c), &n));
	if (!err && copy_to_user(claims, c, n))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (!err)
		*n_bytes_out = n;
	return err;
}

/* Seal data to measurements[0..n) (n 0: this image) into the user's sealed buffer. */
static nc_sys_err_t seal(uint64_t data, uint64_t data_len, const uint8_t (*ms)[NC_TEE_MEASUREMENT_BYTES],
			 size_t n, uint64_t sealed, uint64_t sealed_len, uint64_t *len_bytes_out)
{
	uint8_t *d;
	size_t out_n = 0;
	nc_sys_err_t err = copy_in(data, data_len, NC_TEE_SEAL_MAX_BYTES, &d);
	if (err)
		return err;
	size_t need = nc_tee_sealed_size(n ? n : 1, data_len);
	uint8_t *k = NULL;
	if (!tee_device())
		err = NC_SYS_ERR_UNSUPPORTED;
	else if (sealed_len < need)
		err = NC_SYS_ERR_TOO_SMALL;
	else if (!(k = heap_alloc(need)))
		err = NC_SYS_ERR_NO_MEMORY;
	else
		err = sys_err(nc_tee_seal(tee_device(), ms, n, d, data_len, k, need, &out_n));
	heap_free(d);
	return copy_out(err, sealed, k, out_n, len_bytes_out);
}

nc_sys_err_t sys_tee_seal(uint64_t data, uint64_t data_len, uint64_t sealed, uint64_t sealed_len,
			  uint64_t *len_bytes_out)
{
	return seal(data, data_len, NULL, 0, sealed, sealed_len, len_bytes_out);
}

nc_sys_err_t sys_tee_seal_policy(uint64_t data, uint64_t data_len, uint64_t policy, uint64_t policy_len,
				 uint64_t sealed, uint64_t sealed_len, uint64_t *len_bytes_out)
{
	uint8_t *p;
	nc_tee_policy_t pol;
	nc_sys_err_t err = copy_in(policy, policy_len, NC_TEE_POLICY_MAX_BYTES, &p);
	if (err)
		return err;
	err = sys_err(nc_tee_policy_decode(p, policy_len, &pol));
	heap_free(p);
	if (!err && pol.backend != NC_TEE_BACKEND_DEV)
		err = NC_SYS_ERR_INVALID; /* measurements of another backend never match this device's */
	if (err)
		return err;
	return seal(data, data_len, (const uint8_t(*)[NC_TEE_MEASUREMENT_BYTES])pol.measurements,
		    pol.n_measurements, sealed, sealed_len, len_bytes_out);
}

nc_sys_err_t sys_tee_unseal(uint64_t sealed, uint64_t sealed_len, uint64_t data, uint64_t data_len,
			    uint64_t *len_bytes_out)
{
	uint8_t *s, *k = NULL;
	size_t n = 0;
	nc_sys_err_t err = copy_in(sealed, sealed_len,
				   nc_tee_sealed_size(NC_TEE_POLICY_MAX_MEASUREMENTS, NC_TEE_SEAL_MAX_BYTES), &s);
	if (err)
		return err;
	size_t cap = at_most(data_len, NC_TEE_SEAL_MAX_BYTES);
	if (!tee_device())
		err = NC_SYS_ERR_UNSUPPORTED;
	else if (!(k = heap_alloc(cap ? cap : 1)))
		err = NC_SYS_ERR_NO_MEMORY;
	else
		err = sys_err(nc_tee_unseal(tee_device(), s, sealed_len, k, cap, &n));
	heap_free(s);
	return copy_out(err, data, k, n, len_bytes_out);
}

nc_sys_err_t sys_tee_measurement_log(uint64_t buf, uint64_t buf_len, uint64_t *len_bytes_out)
{
	size_t n = 0;
	size_t cap = at_most(buf_len, LOG_MAX_BYTES);
	uint8_t *k = heap_alloc(cap ? cap : 1);
	if (!k)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = sys_err(measure_encode(k, cap, &n));
	return copy_out(err, buf, k, n, len_bytes_out);
}
