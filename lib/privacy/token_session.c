/* A tokenization session: its keys, its policy actions, and its table of
 * issued tokens in the caller's arena. An entry is
 *   kind (1 byte), token length (1), value length (1), token, value
 * appended in issue order; look-ups are linear (a session holds the personal
 * data of one conversation, tens to hundreds of items). */
#include <nc/crypto.h>
#include <nc/mem.h>
#include "token_internal.h"

#define ENTRY_HEADER 3u
static const char salt[] = "NexaCore session tokens v1";

const char *nc_token_err_name(nc_token_err_t err)
{
	switch (err) {
	case NC_TOKEN_OK: return "NC_TOKEN_OK";
	case NC_TOKEN_ERR_SPACE: return "NC_TOKEN_ERR_SPACE";
	case NC_TOKEN_ERR_FULL: return "NC_TOKEN_ERR_FULL";
	case NC_TOKEN_ERR_POLICY: return "NC_TOKEN_ERR_POLICY";
	case NC_TOKEN_ERR_NAMES: return "NC_TOKEN_ERR_NAMES";
	case NC_TOKEN_ERR_TABLE: return "NC_TOKEN_ERR_TABLE";
	}
	return "NC_TOKEN_ERR_UNKNOWN";
}

const char *nc_token_kind_name(nc_token_kind_t kind)
{
	static const char *const names[NC_TOKEN_KINDS] = { "email", "phone", "card", "iban",
							   "ipv4",  "ipv6",  "dob",  "name" };
	return (unsigned)kind < NC_TOKEN_KINDS ? names[kind] : "?";
}

bool nc_token_kind_has_format(nc_token_kind_t kind)
{
	return kind == NC_TOKEN_PHONE || kind == NC_TOKEN_CARD || kind == NC_TOKEN_IBAN || kind == NC_TOKEN_IPV4 ||
	       kind == NC_TOKEN_IPV6;
}

nc_token_err_t nc_token_session_init(nc_token_session_t *s, const uint8_t key[NC_TOKEN_KEY_BYTES],
				     const uint8_t action[NC_TOKEN_KINDS], const nc_token_name_t *names,
				     size_t n_names, uint8_t *arena, size_t arena_cap)
{
	nc_mem_set(s, 0, sizeof *s);
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		if (action[k] > NC_TOKEN_FORMAT ||
		    (action[k] == NC_TOKEN_FORMAT && !nc_token_kind_has_format((nc_token_kind_t)k)))
			return NC_TOKEN_ERR_POLICY;
	}
	if (n_names > NC_TOKEN_MAX_NAMES)
		return NC_TOKEN_ERR_NAMES;
	for (size_t i = 0; i < n_names; i++) {
		if (names[i].len == 0 || names[i].len > NC_TOKEN_MAX_NAME_BYTES)
			return NC_TOKEN_ERR_NAMES;
	}
	uint8_t ff1[32];
	nc_crypto_hkdf_sha256(s->mac_key, sizeof s->mac_key, salt, sizeof salt - 1, key, NC_TOKEN_KEY_BYTES, "mac", 3);
	nc_crypto_hkdf_sha256(ff1, sizeof ff1, salt, sizeof salt - 1, key, NC_TOKEN_KEY_BYTES, "ff1", 3);
	nc_fpe_init(&s->fpe, NC_FPE_FF1, ff1, sizeof ff1);
	nc_mem_wipe(ff1, sizeof ff1);
	nc_mem_copy(s->action, action, NC_TOKEN_KINDS);
	s->names = names;
	s->n_names = n_names;
	s->arena = arena;
	s->arena_cap = arena_cap;
	return NC_TOKEN_OK;
}

void nc_token_session_fini(nc_token_session_t *s)
{
	if (s->arena)
		nc_mem_wipe(s->arena, s->arena_used);
	nc_fpe_fini(&s->fpe);
	nc_mem_wipe(s, sizeof *s);
}

nc_token_err_t nc_token_session_load(nc_token_session_t *s, const uint8_t *table, size_t len)
{
	if (len > s->arena_cap)
		return NC_TOKEN_ERR_FULL;
	size_t n = 0;
	for (size_t off = 0; off < len; n++) {
		if (len - off < ENTRY_HEADER)
			return NC_TOKEN_ERR_TABLE;
		size_t t = table[off + 1], v = table[off + 2];
		if (table[off] >= NC_TOKEN_KINDS || t == 0 || t > NC_TOKEN_MAX_TOKEN_BYTES || v == 0 ||
		    len - off - ENTRY_HEADER < t + v)
			return NC_TOKEN_ERR_TABLE;
		off += ENTRY_HEADER + t + v;
	}
	nc_mem_wipe(s->arena, s->arena_used);
	nc_mem_copy(s->arena, table, len);
	s->arena_used = len;
	s->n_entries = n;
	return NC_TOKEN_OK;
}

/* Walk the table: the entry at *off, advancing *off; false at the end. */
bool tok_table_next(const nc_token_session_t *s, size_t *off, tok_entry_t *e)
{
	if (*off >= s->arena_used)
		return false;
	const uint8_t *p = s->arena + *off;
	e->kind = (nc_token_kind_t)p[0];
	e->token_len = p[1];
	e->value_len = p[2];
	e->token = (const char *)p + ENTRY_HEADER;
	e->value = e->token + e->token_len;
	*off += ENTRY_HEADER + e->token_len + e->value_len;
	return true;
}

bool tok_table_find_token(const nc_token_session_t *s, const char *token, size_t len, tok_entry_t *e)
{
	size_t off = 0;
	while (tok_table_next(s, &off, e)) {
		if (e->token_len == len && nc_mem_compare(e->token, token, len) == 0)
			return true;
	}
	return false;
}

bool tok_table_find_value(const nc_token_session_t *s, nc_token_kind_t kind, const char *value, size_t len,
			  tok_entry_t *e)
{
	size_t off = 0;
	while (tok_table_next(s, &off, e)) {
		if (e->kind == kind && e->value_len == len && nc_mem_compare(e->value, value, len) == 0)
			return true;
	}
	return false;
}

nc_token_err_t tok_table_add(nc_token_session_t *s, nc_token_kind_t kind, const char *token, size_t token_len,
			     const char *value, size_t value_len)
{
	size_t need = ENTRY_HEADER + token_len + value_len;
	if (need > s->arena_cap - s->arena_used)
		return NC_TOKEN_ERR_FULL;
	uint8_t *p = s->arena + s->arena_used;
	p[0] = (uint8_t)kind;
	p[1] = (uint8_t)token_len;
	p[2] = (uint8_t)value_len;
	nc_mem_copy(p + ENTRY_HEADER, token, token_len);
	nc_mem_copy(p + ENTRY_HEADER + token_len, value, value_len);
	s->arena_used += need;
	s->n_entries++;
	return NC_TOKEN_OK;
}
