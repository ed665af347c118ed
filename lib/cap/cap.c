/* Capability grammar: error names, key ids, actions and grant rules (nc/cap.h). */
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/scope.h>
#include "cap_internal.h"

const char *nc_cap_err_name(nc_cap_err_t err)
{
	switch (err) {
	case NC_CAP_OK: return "NC_CAP_OK";
	case NC_CAP_ERR_MALFORMED: return "NC_CAP_ERR_MALFORMED";
	case NC_CAP_ERR_VERSION: return "NC_CAP_ERR_VERSION";
	case NC_CAP_ERR_TOO_MANY_LINKS: return "NC_CAP_ERR_TOO_MANY_LINKS";
	case NC_CAP_ERR_BAD_ACTION: return "NC_CAP_ERR_BAD_ACTION";
	case NC_CAP_ERR_BAD_SCOPE: return "NC_CAP_ERR_BAD_SCOPE";
	case NC_CAP_ERR_BAD_WINDOW: return "NC_CAP_ERR_BAD_WINDOW";
	case NC_CAP_ERR_UNKNOWN_ISSUER: return "NC_CAP_ERR_UNKNOWN_ISSUER";
	case NC_CAP_ERR_BAD_CHAIN: return "NC_CAP_ERR_BAD_CHAIN";
	case NC_CAP_ERR_WIDENED: return "NC_CAP_ERR_WIDENED";
	case NC_CAP_ERR_BAD_SIGNATURE: return "NC_CAP_ERR_BAD_SIGNATURE";
	case NC_CAP_ERR_BAD_PROOF: return "NC_CAP_ERR_BAD_PROOF";
	case NC_CAP_ERR_REVOKED: return "NC_CAP_ERR_REVOKED";
	case NC_CAP_ERR_NOT_YET_VALID: return "NC_CAP_ERR_NOT_YET_VALID";
	case NC_CAP_ERR_EXPIRED: return "NC_CAP_ERR_EXPIRED";
	case NC_CAP_ERR_DENIED: return "NC_CAP_ERR_DENIED";
	case NC_CAP_ERR_BUFFER: return "NC_CAP_ERR_BUFFER";
	case NC_CAP_ERR_NO_RANDOM: return "NC_CAP_ERR_NO_RANDOM";
	case NC_CAP_ERR_SIGNER: return "NC_CAP_ERR_SIGNER";
	}
	return "NC_CAP_ERR_UNKNOWN";
}

void nc_cap_key_id(uint8_t id[NC_CAP_KEY_ID_BYTES], const uint8_t pk[NC_CAP_PUBLIC_KEY_BYTES])
{
	static const char context[] = "NexaCore 2026-11 capability issuer key id";
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init_derive_key(&h, context, sizeof context - 1);
	nc_crypto_blake3_update(&h, pk, NC_CAP_PUBLIC_KEY_BYTES);
	nc_crypto_blake3_finalize(&h, 0, id, NC_CAP_KEY_ID_BYTES);
}

static bool action_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* Segments of [a-z0-9_-]+ joined by single dots, 1..NC_CAP_MAX_ACTION_BYTES. */
static bool action_valid(const char *a, size_t n)
{
	if (n == 0 || n > NC_CAP_MAX_ACTION_BYTES || a[0] == '.' || a[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (a[i] == '.' ? a[i + 1] == '.' : !action_char(a[i]))
			return false;
	}
	return true;
}

bool nc_cap_action_covers(const char *have, size_t have_len, const char *want, size_t want_len)
{
	if (!action_valid(have, have_len) || !action_valid(want, want_len) || want_len < have_len)
		return false;
	for (size_t i = 0; i < have_len; i++)
		if (have[i] != want[i])
			return false;
	return want_len == have_len || want[have_len] == '.';
}

nc_cap_err_t cap_check_grant(const nc_cap_grant_t *g)
{
	if (!action_valid(g->action, g->action_len))
		return NC_CAP_ERR_BAD_ACTION;
	if (g->scope_len > NC_CAP_MAX_SCOPE_BYTES || nc_scope_validate(g->scope, g->scope_len) != NC_SCOPE_OK)
		return NC_CAP_ERR_BAD_SCOPE;
	if (g->not_before_s >= g->not_after_s || g->not_after_s - g->not_before_s > NC_CAP_MAX_TTL_S)
		return NC_CAP_ERR_BAD_WINDOW;
	return NC_CAP_OK;
}

bool cap_grant_within(const nc_cap_grant_t *parent, const nc_cap_grant_t *child)
{
	return nc_cap_action_covers(parent->action, parent->action_len, child->action, child->action_len) &&
	       nc_scope_matches(parent->scope, parent->scope_len, child->scope, child->scope_len) &&
	       child->not_before_s >= parent->not_before_s && child->not_after_s <= parent->not_after_s;
}

nc_cap_err_t nc_cap_check(const nc_cap_grant_t *g, const char *action, size_t action_len,
			  const char *resource, size_t resource_len)
{
	if (!nc_cap_action_covers(g->action, g->action_len, action, action_len) ||
	    !nc_scope_matches(g->scope, g->scope_len, resource, resource_len))
		return NC_CAP_ERR_DENIED;
	return NC_CAP_OK;
}
