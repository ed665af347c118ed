/* libFuzzer target for the postcard decoder. The first input byte picks a
 * schedule of value types; the rest is decoded against it until an error or
 * the end. Besides "no crash, no sanitizer report", it checks the property
 * strict decoding promises: re-encoding every decoded value gives back exactly
 * the bytes consumed (one encoding per value), and a failed decode leaves
 * the position at the start of the bad value. */
#include <nc/mem.h>
#include <nc/wire.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { T_BOOL, T_U8, T_U16, T_U32, T_U64, T_I16, T_I32, T_I64, T_BYTES, T_STR, T_OPTION, T_RAW4, T_COUNT };

static void decode_and_reencode(nc_wire_reader_t *r, nc_wire_writer_t *w, int type)
{
	bool b;
	uint8_t u8, raw[4];
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	int16_t i16;
	int32_t i32;
	int64_t i64;
	const uint8_t *p;
	const char *s;
	size_t n;
	switch (type) {
	case T_BOOL: if (!nc_wire_decode_bool(r, &b)) nc_wire_encode_bool(w, b); break;
	case T_U8: if (!nc_wire_decode_u8(r, &u8)) nc_wire_encode_u8(w, u8); break;
	case T_U16: if (!nc_wire_decode_u16(r, &u16)) nc_wire_encode_u16(w, u16); break;
	case T_U32: if (!nc_wire_decode_u32(r, &u32)) nc_wire_encode_u32(w, u32); break;
	case T_U64: if (!nc_wire_decode_u64(r, &u64)) nc_wire_encode_u64(w, u64); break;
	case T_I16: if (!nc_wire_decode_i16(r, &i16)) nc_wire_encode_i16(w, i16); break;
	case T_I32: if (!nc_wire_decode_i32(r, &i32)) nc_wire_encode_i32(w, i32); break;
	case T_I64: if (!nc_wire_decode_i64(r, &i64)) nc_wire_encode_i64(w, i64); break;
	case T_BYTES: if (!nc_wire_decode_bytes(r, 1 << 16, &p, &n)) nc_wire_encode_bytes(w, p, n); break;
	case T_STR: if (!nc_wire_decode_str(r, 1 << 16, &s, &n)) nc_wire_encode_str(w, s, n); break;
	case T_OPTION: if (!nc_wire_decode_option(r, &b)) nc_wire_encode_option(w, b); break;
	default: if (!nc_wire_decode_raw(r, raw, 4)) nc_wire_encode_raw(w, raw, 4); break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[1 << 17];
	if (size < 1)
		return 0;
	uint8_t schedule = data[0];
	nc_wire_reader_t r;
	nc_wire_writer_t w;
	nc_wire_reader_init(&r, data + 1, size - 1);
	nc_wire_writer_init(&w, out, sizeof out);
	for (unsigned k = 0; r.err == NC_WIRE_OK && r.pos < r.len_bytes; k++) {
		size_t before = r.pos;
		decode_and_reencode(&r, &w, (int)((schedule + k * 7u) % T_COUNT));
		if (r.err != NC_WIRE_OK && r.pos != before)
			__builtin_trap();
		if (w.err != NC_WIRE_OK)
			__builtin_trap();
	}
	if (w.len_bytes != r.pos || nc_mem_compare(out, data + 1, r.pos) != 0)
		__builtin_trap();
	return 0;
}
