/* Postcard decoder, strict (see nc/wire.h). A failed call leaves pos at the
 * start of the bad value and makes the error sticky. */
#include <nc/mem.h>
#include <nc/wire.h>

void nc_wire_reader_init(nc_wire_reader_t *r, const uint8_t *buf, size_t len_bytes)
{
	r->buf = buf;
	r->len_bytes = len_bytes;
	r->pos = 0;
	r->err = NC_WIRE_OK;
}

nc_wire_err_t nc_wire_reader_finish(const nc_wire_reader_t *r)
{
	if (r->err != NC_WIRE_OK)
		return r->err;
	return r->pos == r->len_bytes ? NC_WIRE_OK : NC_WIRE_ERR_TRAILING;
}

static nc_wire_err_t fail(nc_wire_reader_t *r, nc_wire_err_t err)
{
	return r->err = err;
}

/* Varint of at most max_groups bytes and value at most max_value. */
static nc_wire_err_t get_varint(nc_wire_reader_t *r, size_t max_groups, uint64_t max_value, uint64_t *out)
{
	*out = 0;
	if (r->err != NC_WIRE_OK)
		return r->err;
	uint64_t v = 0;
	for (size_t i = 0;; i++) {
		if (i == max_groups)
			return fail(r, NC_WIRE_ERR_VARINT_OVERLONG);
		if (r->pos + i >= r->len_bytes)
			return fail(r, NC_WIRE_ERR_TRUNCATED);
		uint8_t b = r->buf[r->pos + i];
		uint64_t group = b & 0x7f;
		/* The tenth group of a u64 holds only bit 63. */
		if (i == NC_WIRE_VARINT_MAX_BYTES - 1 && group > 1)
			return fail(r, NC_WIRE_ERR_VARINT_RANGE);
		v |= group << (7 * i);
		if (b & 0x80)
			continue;
		if (i > 0 && b == 0)
			return fail(r, NC_WIRE_ERR_VARINT_OVERLONG);
		if (v > max_value)
			return fail(r, NC_WIRE_ERR_VARINT_RANGE);
		r->pos += i + 1;
		*out = v;
		return NC_WIRE_OK;
	}
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* Groups needed for a type of `bits` bits: ceil(bits / 7). */
#define GROUPS(bits) (((bits) + 6) / 7)

/* Varint of an unsigned `bits`-bit type (8 < bits <= 64); 0 on failure,
 * with the error in r->err. */
static uint64_t get_uint(nc_wire_reader_t *r, unsigned bits)
{
	uint64_t v;
	uint64_t max = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
	get_varint(r, GROUPS(bits), max, &v);
	return v;
}

nc_wire_err_t nc_wire_decode_u8(nc_wire_reader_t *r, uint8_t *out)
{
	*out = 0;
	if (r->err != NC_WIRE_OK)
		return r->err;
	if (r->pos >= r->len_bytes)
		return fail(r, NC_WIRE_ERR_TRUNCATED);
	*out = r->buf[r->pos++];
	return NC_WIRE_OK;
}

nc_wire_err_t nc_wire_decode_bool(nc_wire_reader_t *r, bool *out)
{
	uint8_t b;
	*out = false;
	if (nc_wire_decode_u8(r, &b) != NC_WIRE_OK)
		return r->err;
	if (b > 1) {
		r->pos--;
		return fail(r, NC_WIRE_ERR_BAD_TAG);
	}
	*out = b == 1;
	return NC_WIRE_OK;
}

nc_wire_err_t nc_wire_decode_option(nc_wire_reader_t *r, bool *some) { return nc_wire_decode_bool(r, some); }

nc_wire_err_t nc_wire_decode_i8(nc_wire_reader_t *r, int8_t *out)
{
	uint8_t b;
	nc_wire_decode_u8(r, &b);
	*out = (int8_t)b;
	return r->err;
}

nc_wire_err_t nc_wire_decode_u16(nc_wire_reader_t *r, uint16_t *out)
{
	*out = (uint16_t)get_uint(r, 16);
	return r->err;
}

nc_wire_err_t nc_wire_decode_u32(nc_wire_reader_t *r, uint32_t *out)
{
	*out = (uint32_t)get_uint(r, 32);
	return r->err;
}

nc_wire_err_t nc_wire_decode_u64(nc_wire_reader_t *r, uint64_t *out)
{
	*out = get_uint(r, 64);
	return r->err;
}

nc_wire_err_t nc_wire_decode_i16(nc_wire_reader_t *r, int16_t *out)
{
	*out = (int16_t)unzigzag(get_uint(r, 16));
	return r->err;
}

nc_wire_err_t nc_wire_decode_i32(nc_wire_reader_t *r, int32_t *out)
{
	*out = (int32_t)unzigzag(get_uint(r, 32));
	return r->err;
}

nc_wire_err_t nc_wire_decode_i64(nc_wire_reader_t *r, int64_t *out)
{
	*out = unzigzag(get_uint(r, 64));
	return r->err;
}

nc_wire_err_t nc_wire_decode_variant(nc_wire_reader_t *r, uint32_t *index) { return nc_wire_decode_u32(r, index); }

nc_wire_err_t nc_wire_decode_len(nc_wire_reader_t *r, size_t max, size_t *out)
{
	uint64_t v;
	size_t start = r->pos;
	*out = 0;
	if (get_varint(r, GROUPS(64), UINT64_MAX, &v) != NC_WIRE_OK)
		return r->err;
	if (v > max) {
		r->pos = start;
		return fail(r, NC_WIRE_ERR_TOO_LONG);
	}
	*out = (size_t)v;
	return NC_WIRE_OK;
}

nc_wire_err_t nc_wire_decode_bytes(nc_wire_reader_t *r, size_t max_bytes, const uint8_t **out,
				   size_t *len_bytes)
{
	size_t start = r->pos, n;
	*out = NULL;
	*len_bytes = 0;
	if (nc_wire_decode_len(r, max_bytes, &n) != NC_WIRE_OK)
		return r->err;
	if (n > r->len_bytes - r->pos) {
		r->pos = start;
		return fail(r, NC_WIRE_ERR_TRUNCATED);
	}
	*out = r->buf + r->pos;
	*len_bytes = n;
	r->pos += n;
	return NC_WIRE_OK;
}

nc_wire_err_t nc_wire_decode_str(nc_wire_reader_t *r, size_t max_bytes, const char **out,
				 size_t *len_bytes)
{
	size_t start = r->pos;
	const uint8_t *p;
	*out = NULL;
	if (nc_wire_decode_bytes(r, max_bytes, &p, len_bytes) != NC_WIRE_OK)
		return r->err;
	if (!nc_wire_utf8_valid(p, *len_bytes)) {
		r->pos = start;
		*len_bytes = 0;
		return fail(r, NC_WIRE_ERR_BAD_UTF8);
	}
	*out = (const char *)p;
	return NC_WIRE_OK;
}

nc_wire_err_t nc_wire_decode_raw(nc_wire_reader_t *r, uint8_t *out, size_t len_bytes)
{
	if (r->err != NC_WIRE_OK)
		return r->err;
	if (len_bytes > r->len_bytes - r->pos)
		return fail(r, NC_WIRE_ERR_TRUNCATED);
	nc_mem_copy(out, r->buf + r->pos, len_bytes);
	r->pos += len_bytes;
	return NC_WIRE_OK;
}
