/* The boundary transform of one process session (nc/privacy.h): what
 * leaves is tokenized under the process's policy, what comes back has the
 * session's tokens mapped back. The routing around it (the AI service, the
 * mesh) is not here: /work/notes/privacy.md and docs/privacy.md say which
 * calls those services make. */
#include <nc/mem.h>
#include <nc/privacy.h>

nc_privacy_err_t nc_privacy_boundary_open(nc_privacy_boundary_t *b, const nc_privacy_policy_t *policy,
					  const uint8_t session_key[NC_TOKEN_KEY_BYTES], bool raw, uint8_t *arena,
					  size_t arena_cap)
{
	nc_mem_set(b, 0, sizeof *b);
	b->raw = raw;
	nc_token_err_t err = nc_token_session_init(&b->session, session_key, policy->action, policy->names,
						   policy->n_names, arena, arena_cap);
	return err == NC_TOKEN_OK ? NC_PRIVACY_OK : NC_PRIVACY_ERR_POLICY;
}

static nc_privacy_err_t copy_raw(const char *in, size_t len, char *out, size_t cap, size_t *out_len)
{
	if (len > cap)
		return NC_PRIVACY_ERR_SPACE;
	nc_mem_move(out, in, len);
	*out_len = len;
	return NC_PRIVACY_OK;
}

static nc_privacy_err_t of_token(nc_token_err_t err)
{
	return err == NC_TOKEN_OK ? NC_PRIVACY_OK : err == NC_TOKEN_ERR_FULL ? NC_PRIVACY_ERR_FULL : NC_PRIVACY_ERR_SPACE;
}

nc_privacy_err_t nc_privacy_boundary_out(nc_privacy_boundary_t *b, const char *in, size_t len, char *out,
					 size_t cap, size_t *out_len, size_t counts[NC_TOKEN_KINDS])
{
	*out_len = 0;
	if (b->raw) {
		if (counts)
			nc_mem_set(counts, 0, NC_TOKEN_KINDS * sizeof *counts);
		return copy_raw(in, len, out, cap, out_len);
	}
	return of_token(nc_token_tokenize(&b->session, in, len, out, cap, out_len, counts));
}

nc_privacy_err_t nc_privacy_boundary_in_part(const nc_privacy_boundary_t *b, const char *in, size_t len,
					     bool final, char *out, size_t cap, size_t *out_len, size_t *consumed)
{
	*out_len = 0;
	*consumed = 0;
	if (b->raw) {
		nc_privacy_err_t err = copy_raw(in, len, out, cap, out_len);
		*consumed = err ? 0 : len;
		return err;
	}
	return of_token(nc_token_detokenize_part(&b->session, in, len, final, out, cap, out_len, consumed));
}

nc_privacy_err_t nc_privacy_boundary_in(const nc_privacy_boundary_t *b, const char *in, size_t len, char *out,
					size_t cap, size_t *out_len)
{
	size_t consumed;
	return nc_privacy_boundary_in_part(b, in, len, true, out, cap, out_len, &consumed);
}

void nc_privacy_boundary_close(nc_privacy_boundary_t *b)
{
	nc_token_session_fini(&b->session);
	b->raw = false;
}
