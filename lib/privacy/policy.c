/* The per-process tokenization policy: validation, canonical postcard
 * encoding (lib/wire), its hash, and the "covers" order that keeps a process
 * from weakening its own policy or its children's (nc/privacy.h). */
#include <nc/mem.h>
#include <nc/privacy.h>
#include <nc/wire.h>
#include <sodium/crypto_hash_sha256.h>

const char *nc_privacy_err_name(nc_privacy_err_t err)
{
	switch (err) {
	case NC_PRIVACY_OK: return "NC_PRIVACY_OK";
	case NC_PRIVACY_ERR_MALFORMED: return "NC_PRIVACY_ERR_MALFORMED";
	case NC_PRIVACY_ERR_VERSION: return "NC_PRIVACY_ERR_VERSION";
	case NC_PRIVACY_ERR_SPACE: return "NC_PRIVACY_ERR_SPACE";
	case NC_PRIVACY_ERR_POLICY: return "NC_PRIVACY_ERR_POLICY";
	case NC_PRIVACY_ERR_WEAKER: return "NC_PRIVACY_ERR_WEAKER";
	case NC_PRIVACY_ERR_FULL: return "NC_PRIVACY_ERR_FULL";
	case NC_PRIVACY_ERR_BAD_SIGNATURE: return "NC_PRIVACY_ERR_BAD_SIGNATURE";
	case NC_PRIVACY_ERR_PAYLOAD: return "NC_PRIVACY_ERR_PAYLOAD";
	case NC_PRIVACY_ERR_POLICY_MISMATCH: return "NC_PRIVACY_ERR_POLICY_MISMATCH";
	case NC_PRIVACY_ERR_MEASUREMENT: return "NC_PRIVACY_ERR_MEASUREMENT";
	case NC_PRIVACY_ERR_UNTRUSTED: return "NC_PRIVACY_ERR_UNTRUSTED";
	case NC_PRIVACY_ERR_UNSUPPORTED: return "NC_PRIVACY_ERR_UNSUPPORTED";
	case NC_PRIVACY_ERR_TEE: return "NC_PRIVACY_ERR_TEE";
	}
	return "NC_PRIVACY_ERR_UNKNOWN";
}

void nc_privacy_policy_default(nc_privacy_policy_t *p)
{
	nc_mem_set(p, 0, sizeof *p);
	nc_mem_set(p->action, NC_TOKEN_TYPED, sizeof p->action);
}

static bool valid(const nc_privacy_policy_t *p)
{
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		if (p->action[k] > NC_TOKEN_FORMAT ||
		    (p->action[k] == NC_TOKEN_FORMAT && !nc_token_kind_has_format((nc_token_kind_t)k)))
			return false;
	}
	if (p->n_names > NC_TOKEN_MAX_NAMES)
		return false;
	for (size_t i = 0; i < p->n_names; i++) {
		if (p->names[i].len == 0 || p->names[i].len > NC_TOKEN_MAX_NAME_BYTES ||
		    !nc_wire_utf8_valid((const uint8_t *)p->names[i].s, p->names[i].len))
			return false;
	}
	return true;
}

/* The encoding's head (version, actions, name count) into w. */
static void encode_head(nc_wire_writer_t *w, const nc_privacy_policy_t *p)
{
	nc_wire_encode_u32(w, NC_PRIVACY_POLICY_VERSION);
	nc_wire_encode_raw(w, p->action, NC_TOKEN_KINDS);
	nc_wire_encode_len(w, p->n_names);
}

nc_privacy_err_t nc_privacy_policy_encode(const nc_privacy_policy_t *p, uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
	if (!valid(p))
		return NC_PRIVACY_ERR_POLICY;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap);
	encode_head(&w, p);
	for (size_t i = 0; i < p->n_names; i++)
		nc_wire_encode_str(&w, p->names[i].s, p->names[i].len);
	if (w.err != NC_WIRE_OK)
		return NC_PRIVACY_ERR_SPACE;
	*out_len = w.len_bytes;
	return NC_PRIVACY_OK;
}

nc_privacy_err_t nc_privacy_policy_decode(const uint8_t *buf, size_t len, nc_privacy_policy_t *p,
					  nc_token_name_t *names, size_t max_names)
{
	nc_wire_reader_t r;
	uint32_t version = 0;
	size_t n = 0;
	nc_mem_set(p, 0, sizeof *p);
	nc_wire_reader_init(&r, buf, len);
	if (nc_wire_decode_u32(&r, &version) != NC_WIRE_OK)
		return NC_PRIVACY_ERR_MALFORMED;
	if (version != NC_PRIVACY_POLICY_VERSION)
		return NC_PRIVACY_ERR_VERSION;
	nc_wire_decode_raw(&r, p->action, NC_TOKEN_KINDS);
	nc_wire_decode_len(&r, NC_TOKEN_MAX_NAMES, &n);
	if (r.err == NC_WIRE_ERR_TOO_LONG || (r.err == NC_WIRE_OK && n > max_names))
		return NC_PRIVACY_ERR_POLICY;
	for (size_t i = 0; i < n && r.err == NC_WIRE_OK; i++) {
		const char *s = NULL;
		size_t sl = 0;
		if (nc_wire_decode_str(&r, NC_TOKEN_MAX_NAME_BYTES, &s, &sl) == NC_WIRE_OK)
			names[i] = (nc_token_name_t){ s, sl };
	}
	if (r.err == NC_WIRE_ERR_TOO_LONG)
		return NC_PRIVACY_ERR_POLICY;
	if (nc_wire_reader_finish(&r) != NC_WIRE_OK)
		return NC_PRIVACY_ERR_MALFORMED;
	p->names = names;
	p->n_names = n;
	return valid(p) ? NC_PRIVACY_OK : NC_PRIVACY_ERR_POLICY;
}

nc_privacy_err_t nc_privacy_policy_hash(const nc_privacy_policy_t *p, uint8_t out[32])
{
	if (!valid(p))
		return NC_PRIVACY_ERR_POLICY;
	/* Hash the encoding piece by piece: the same bytes as encode gives. */
	crypto_hash_sha256_state h;
	uint8_t buf[NC_WIRE_VARINT_MAX_BYTES + NC_TOKEN_MAX_NAME_BYTES + NC_TOKEN_KINDS + 8];
	nc_wire_writer_t w;
	crypto_hash_sha256_init(&h);
	nc_wire_writer_init(&w, buf, sizeof buf);
	encode_head(&w, p);
	crypto_hash_sha256_update(&h, buf, w.len_bytes);
	for (size_t i = 0; i < p->n_names; i++) {
		nc_wire_writer_init(&w, buf, sizeof buf);
		nc_wire_encode_str(&w, p->names[i].s, p->names[i].len);
		crypto_hash_sha256_update(&h, buf, w.len_bytes);
	}
	crypto_hash_sha256_final(&h, out);
	return NC_PRIVACY_OK;
}

/* KEEP < FORMAT < TYPED: how much of the value a token hides. */
static unsigned strength(uint8_t action)
{
	return action == NC_TOKEN_TYPED ? 2 : action == NC_TOKEN_FORMAT ? 1 : 0;
}

bool nc_privacy_policy_covers(const nc_privacy_policy_t *child, const nc_privacy_policy_t *parent)
{
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++) {
		if (strength(child->action[k]) < strength(parent->action[k]))
			return false;
	}
	for (size_t i = 0; i < parent->n_names; i++) {
		bool listed = false;
		for (size_t j = 0; j < child->n_names && !listed; j++)
			listed = child->names[j].len == parent->names[i].len &&
				 nc_mem_compare(child->names[j].s, parent->names[i].s, parent->names[i].len) == 0;
		if (!listed)
			return false;
	}
	return true;
}

nc_privacy_err_t nc_privacy_policy_for_child(const uint8_t *spec, size_t len, const nc_privacy_policy_t *parent,
					     bool caller_raw, nc_privacy_policy_t *child, nc_token_name_t *names,
					     size_t max_names)
{
	if (len == 0) {
		*child = *parent;
		return NC_PRIVACY_OK;
	}
	nc_privacy_err_t err = nc_privacy_policy_decode(spec, len, child, names, max_names);
	if (err != NC_PRIVACY_OK)
		return err;
	return caller_raw || nc_privacy_policy_covers(child, parent) ? NC_PRIVACY_OK : NC_PRIVACY_ERR_WEAKER;
}
