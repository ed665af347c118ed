/* Token encoding: the postcard layout of nc/cap.h, read link by link
 * (nc_cap_cursor_*) and written one body at a time (cap_encode_body). */
#include <nc/cap.h>
#include <nc/mem.h>
#include "cap_internal.h"

static nc_wire_reader_t reader_at(const nc_cap_cursor_t *c)
{
	nc_wire_reader_t r;
	nc_wire_reader_init(&r, c->tok, c->tok_len);
	r.pos = c->pos;
	return r;
}

nc_cap_err_t nc_cap_cursor_init(nc_cap_cursor_t *c, const uint8_t *tok, size_t tok_len)
{
	*c = (nc_cap_cursor_t){ .tok = tok, .tok_len = tok_len };
	nc_wire_reader_t r = reader_at(c);
	size_t n;
	nc_wire_err_t err = nc_wire_decode_len(&r, NC_CAP_MAX_LINKS, &n);
	if (err == NC_WIRE_ERR_TOO_LONG)
		return NC_CAP_ERR_TOO_MANY_LINKS;
	if (err != NC_WIRE_OK)
		return NC_CAP_ERR_MALFORMED;
	if (n == 0)
		return NC_CAP_ERR_TOO_MANY_LINKS;
	c->n_links = n;
	c->pos = c->links_start = r.pos;
	return NC_CAP_OK;
}

/* A str field: TOO_LONG becomes the field's own syntax error. */
static nc_cap_err_t decode_field_str(nc_wire_reader_t *r, size_t max, nc_cap_err_t too_long,
				     const char **s, size_t *n)
{
	nc_wire_err_t err = nc_wire_decode_str(r, max, s, n);
	if (err == NC_WIRE_ERR_TOO_LONG)
		return too_long;
	return err == NC_WIRE_OK ? NC_CAP_OK : NC_CAP_ERR_MALFORMED;
}

static nc_cap_err_t decode_body(nc_wire_reader_t *r, nc_cap_link_t *l)
{
	uint8_t magic[CAP_MAGIC_BYTES];
	if (nc_wire_decode_raw(r, magic, sizeof magic) != NC_WIRE_OK)
		return NC_CAP_ERR_MALFORMED;
	if (nc_mem_compare(magic, CAP_MAGIC, CAP_MAGIC_BYTES) != 0)
		return NC_CAP_ERR_VERSION;
	if (nc_wire_decode_u8(r, &l->version) != NC_WIRE_OK)
		return NC_CAP_ERR_MALFORMED;
	if (l->version != NC_CAP_VERSION)
		return NC_CAP_ERR_VERSION;
	nc_wire_decode_raw(r, l->id, sizeof l->id);
	nc_wire_decode_raw(r, l->issuer, sizeof l->issuer);
	nc_cap_err_t err = decode_field_str(r, NC_CAP_MAX_ACTION_BYTES, NC_CAP_ERR_BAD_ACTION,
					    &l->grant.action, &l->grant.action_len);
	if (err == NC_CAP_OK)
		err = decode_field_str(r, NC_CAP_MAX_SCOPE_BYTES, NC_CAP_ERR_BAD_SCOPE, &l->grant.scope,
				       &l->grant.scope_len);
	if (err != NC_CAP_OK)
		return err;
	nc_wire_decode_u64(r, &l->grant.not_before_s);
	nc_wire_decode_u64(r, &l->grant.not_after_s);
	nc_wire_decode_option(r, &l->has_parent);
	if (l->has_parent)
		nc_wire_decode_raw(r, l->parent, sizeof l->parent);
	nc_wire_decode_raw(r, l->next_key, sizeof l->next_key);
	return r->err == NC_WIRE_OK ? NC_CAP_OK : NC_CAP_ERR_MALFORMED;
}

nc_cap_err_t nc_cap_cursor_next(nc_cap_cursor_t *c, nc_cap_link_t *link)
{
	nc_mem_set(link, 0, sizeof *link);
	if (c->next_link >= c->n_links)
		return NC_CAP_ERR_MALFORMED;
	nc_wire_reader_t r = reader_at(c);
	size_t start = r.pos;
	nc_cap_err_t err = decode_body(&r, link);
	if (err != NC_CAP_OK)
		return err;
	link->body = c->tok + start;
	link->body_len = r.pos - start;
	if (nc_wire_decode_raw(&r, link->signature, sizeof link->signature) != NC_WIRE_OK)
		return NC_CAP_ERR_MALFORMED;
	err = cap_check_grant(&link->grant);
	if (err != NC_CAP_OK)
		return err;
	c->pos = r.pos;
	c->next_link++;
	return NC_CAP_OK;
}

nc_cap_err_t nc_cap_cursor_proof(nc_cap_cursor_t *c, uint8_t seed[32])
{
	if (c->next_link != c->n_links)
		return NC_CAP_ERR_MALFORMED;
	nc_wire_reader_t r = reader_at(c);
	nc_wire_decode_raw(&r, seed, CAP_SEED_BYTES);
	if (nc_wire_reader_finish(&r) != NC_WIRE_OK) {
		nc_mem_wipe(seed, CAP_SEED_BYTES);
		return NC_CAP_ERR_MALFORMED;
	}
	c->pos = r.pos;
	return NC_CAP_OK;
}

void cap_encode_body(nc_wire_writer_t *w, const nc_cap_link_t *l)
{
	nc_wire_encode_raw(w, (const uint8_t *)CAP_MAGIC, CAP_MAGIC_BYTES);
	nc_wire_encode_u8(w, l->version);
	nc_wire_encode_raw(w, l->id, sizeof l->id);
	nc_wire_encode_raw(w, l->issuer, sizeof l->issuer);
	nc_wire_encode_str(w, l->grant.action, l->grant.action_len);
	nc_wire_encode_str(w, l->grant.scope, l->grant.scope_len);
	nc_wire_encode_u64(w, l->grant.not_before_s);
	nc_wire_encode_u64(w, l->grant.not_after_s);
	nc_wire_encode_option(w, l->has_parent);
	if (l->has_parent)
		nc_wire_encode_raw(w, l->parent, sizeof l->parent);
	nc_wire_encode_raw(w, l->next_key, sizeof l->next_key);
}
