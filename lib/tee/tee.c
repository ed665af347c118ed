/* Root-of-trust dispatch (nc/tee.h): every call goes to the open backend. */
#include <nc/tee.h>

const char *nc_tee_err_name(nc_tee_err_t err)
{
	switch (err) {
	case NC_TEE_OK: return "NC_TEE_OK";
	case NC_TEE_ERR_SECRET_TOO_SHORT: return "NC_TEE_ERR_SECRET_TOO_SHORT";
	case NC_TEE_ERR_CLOSED: return "NC_TEE_ERR_CLOSED";
	}
	return "NC_TEE_ERR_UNKNOWN";
}

nc_tee_err_t nc_tee_public_key(const nc_tee_t *tee, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	if (!tee->ops)
		return NC_TEE_ERR_CLOSED;
	return tee->ops->public_key(tee->state, pk);
}

nc_tee_err_t nc_tee_sign(const nc_tee_t *tee, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg,
			 size_t len_bytes)
{
	if (!tee->ops)
		return NC_TEE_ERR_CLOSED;
	return tee->ops->sign(tee->state, sig, msg, len_bytes);
}

void nc_tee_close(nc_tee_t *tee)
{
	if (tee->ops)
		tee->ops->close(tee->state);
	tee->ops = NULL;
	tee->state = NULL;
}
