/* Postcard encoder (see nc/wire.h). Every value is written whole or not at all. */
#include <nc/mem.h>
#include <nc/wire.h>

void nc_wire_writer_init(nc_wire_writer_t *w, uint8_t *buf, size_t cap_bytes)
{
	w->buf = buf;
	w->cap_bytes = cap_bytes;
	w->len_bytes = 0;
	w->err = NC_WIRE_OK;
}

static nc_wire_err_t put(nc_wire_writer_t *w, const uint8_t *p, size_t n)
{
	if (w->err != NC_WIRE_OK)
		return w->err;
	if (n > w->cap_bytes - w->len_bytes)
		return w->err = NC_WIRE_ERR_OVERFLOW;
	nc_mem_copy(w->buf + w->len_bytes, p, n);
	w->len_bytes += n;
	return NC_WIRE_OK;
}

/* Unsigned LEB128: 7 bits a byte, least significant group first, high bit set
 * on every byte but the last. */
static nc_wire_err_t put_varint(nc_wire_writer_t *w, uint64_t v)
{
	uint8_t tmp[NC_WIRE_VARINT_MAX_BYTES];
	size_t n = 0;
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		tmp[n++] = v ? (uint8_t)(b | 0x80) : b;
	} while (v);
	return put(w, tmp, n);
}

/* Zigzag maps 0, -1, 1, -2, ... to 0, 1, 2, 3, ... */
static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

nc_wire_err_t nc_wire_encode_bool(nc_wire_writer_t *w, bool v) { return nc_wire_encode_u8(w, v ? 1 : 0); }
nc_wire_err_t nc_wire_encode_u8(nc_wire_writer_t *w, uint8_t v) { return put(w, &v, 1); }
nc_wire_err_t nc_wire_encode_u16(nc_wire_writer_t *w, uint16_t v) { return put_varint(w, v); }
nc_wire_err_t nc_wire_encode_u32(nc_wire_writer_t *w, uint32_t v) { return put_varint(w, v); }
nc_wire_err_t nc_wire_encode_u64(nc_wire_writer_t *w, uint64_t v) { return put_varint(w, v); }
nc_wire_err_t nc_wire_encode_i8(nc_wire_writer_t *w, int8_t v) { return nc_wire_encode_u8(w, (uint8_t)v); }
nc_wire_err_t nc_wire_encode_i16(nc_wire_writer_t *w, int16_t v) { return put_varint(w, zigzag(v)); }
nc_wire_err_t nc_wire_encode_i32(nc_wire_writer_t *w, int32_t v) { return put_varint(w, zigzag(v)); }
nc_wire_err_t nc_wire_encode_i64(nc_wire_writer_t *w, int64_t v) { return put_varint(w, zigzag(v)); }
nc_wire_err_t nc_wire_encode_len(nc_wire_writer_t *w, size_t v) { return put_varint(w, v); }
nc_wire_err_t nc_wire_encode_variant(nc_wire_writer_t *w, uint32_t index) { return put_varint(w, index); }
nc_wire_err_t nc_wire_encode_option(nc_wire_writer_t *w, bool some) { return nc_wire_encode_bool(w, some); }
nc_wire_err_t nc_wire_encode_raw(nc_wire_writer_t *w, const uint8_t *p, size_t len_bytes) { return put(w, p, len_bytes); }

nc_wire_err_t nc_wire_encode_bytes(nc_wire_writer_t *w, const uint8_t *p, size_t len_bytes)
{
	if (w->err != NC_WIRE_OK)
		return w->err;
	size_t start = w->len_bytes;
	if (put_varint(w, len_bytes) == NC_WIRE_OK && put(w, p, len_bytes) != NC_WIRE_OK)
		w->len_bytes = start; /* keep "whole or nothing" */
	return w->err;
}

nc_wire_err_t nc_wire_encode_str(nc_wire_writer_t *w, const char *s, size_t len_bytes)
{
	if (w->err != NC_WIRE_OK)
		return w->err;
	if (!nc_wire_utf8_valid((const uint8_t *)s, len_bytes))
		return w->err = NC_WIRE_ERR_BAD_UTF8;
	return nc_wire_encode_bytes(w, (const uint8_t *)s, len_bytes);
}
