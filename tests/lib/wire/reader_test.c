/* Strict postcard decoding: hand-derived encodings (see writer_test.c) and the
 * malformed inputs nc/wire.h promises to reject. */
#include "nc_test.h"
#include <nc/wire.h>

#define READER(r, ...)                                                              \
	static const uint8_t r##_in[] = { __VA_ARGS__ };                             \
	nc_wire_reader_t r;                                                          \
	nc_wire_reader_init(&r, r##_in, sizeof r##_in)

NC_TEST(wire_reader, varints_and_zigzag)
{
	READER(r, 0xac, 0x02, 0xff, 0xff, 0x03, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x03, 0xff, 0xff, 0xff,
	       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01);
	uint16_t a, b;
	uint32_t c;
	int32_t d;
	uint64_t e;
	NC_CHECK_EQ(nc_wire_decode_u16(&r, &a), NC_WIRE_OK);
	NC_CHECK_EQ(a, 300);
	NC_CHECK_EQ(nc_wire_decode_u16(&r, &b), NC_WIRE_OK);
	NC_CHECK_EQ(b, 65535);
	NC_CHECK_EQ(nc_wire_decode_u32(&r, &c), NC_WIRE_OK);
	NC_CHECK(c == UINT32_MAX);
	NC_CHECK_EQ(nc_wire_decode_i32(&r, &d), NC_WIRE_OK);
	NC_CHECK_EQ(d, -2);
	NC_CHECK_EQ(nc_wire_decode_u64(&r, &e), NC_WIRE_OK);
	NC_CHECK(e == UINT64_MAX);
	NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_OK);
}

NC_TEST(wire_reader, signed_extremes)
{
	READER(r, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0xff, 0xff, 0x03, 0x80);
	int64_t a;
	int16_t b;
	int8_t c;
	NC_CHECK_EQ(nc_wire_decode_i64(&r, &a), NC_WIRE_OK);
	NC_CHECK(a == INT64_MIN);
	NC_CHECK_EQ(nc_wire_decode_i16(&r, &b), NC_WIRE_OK);
	NC_CHECK_EQ(b, -32768);
	NC_CHECK_EQ(nc_wire_decode_i8(&r, &c), NC_WIRE_OK);
	NC_CHECK_EQ(c, -128);
}

NC_TEST(wire_reader, composite_values)
{
	READER(r, 0x01, 0x00, 0x01, 0x05, 0x02, 'h', 'i', 0xaa, 0xbb, 0x02, 0x00);
	bool t, none, some;
	uint16_t five;
	const char *s;
	size_t n, empty_len;
	uint8_t raw[2];
	uint32_t variant;
	const uint8_t *empty;
	nc_wire_decode_bool(&r, &t);
	nc_wire_decode_option(&r, &none);
	nc_wire_decode_option(&r, &some);
	nc_wire_decode_u16(&r, &five);
	nc_wire_decode_str(&r, 16, &s, &n);
	nc_wire_decode_raw(&r, raw, 2);
	nc_wire_decode_variant(&r, &variant);
	nc_wire_decode_bytes(&r, 16, &empty, &empty_len);
	NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_OK);
	NC_CHECK(t && !none && some);
	NC_CHECK_EQ(five, 5);
	NC_CHECK(n == 2 && s[0] == 'h' && s[1] == 'i');
	NC_CHECK(raw[0] == 0xaa && raw[1] == 0xbb);
	NC_CHECK_EQ(variant, 2);
	NC_CHECK_EQ(empty_len, 0);
}

NC_TEST(wire_reader, overlong_varints)
{
	uint32_t v32;
	uint16_t v16;
	uint64_t v64;
	{ READER(r, 0x80, 0x00); /* 0 with a redundant zero group */
	  NC_CHECK_EQ(nc_wire_decode_u32(&r, &v32), NC_WIRE_ERR_VARINT_OVERLONG); NC_CHECK_EQ(r.pos, 0); }
	{ READER(r, 0xff, 0x80, 0x00);
	  NC_CHECK_EQ(nc_wire_decode_u32(&r, &v32), NC_WIRE_ERR_VARINT_OVERLONG); }
	{ READER(r, 0x80, 0x80, 0x80, 0x01); /* four groups for a u16 */
	  NC_CHECK_EQ(nc_wire_decode_u16(&r, &v16), NC_WIRE_ERR_VARINT_OVERLONG); }
	{ READER(r, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
	  NC_CHECK_EQ(nc_wire_decode_u32(&r, &v32), NC_WIRE_ERR_VARINT_OVERLONG); }
	{ READER(r, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00);
	  NC_CHECK_EQ(nc_wire_decode_u64(&r, &v64), NC_WIRE_ERR_VARINT_OVERLONG); }
}

NC_TEST(wire_reader, out_of_range_varints)
{
	uint32_t v32;
	uint16_t v16;
	uint64_t v64;
	int16_t i16;
	{ READER(r, 0xff, 0xff, 0x04); /* 0x13fff > u16 */
	  NC_CHECK_EQ(nc_wire_decode_u16(&r, &v16), NC_WIRE_ERR_VARINT_RANGE); NC_CHECK_EQ(v16, 0); }
	{ READER(r, 0xff, 0xff, 0x04);
	  NC_CHECK_EQ(nc_wire_decode_i16(&r, &i16), NC_WIRE_ERR_VARINT_RANGE); }
	{ READER(r, 0xff, 0xff, 0xff, 0xff, 0x10); /* 2^32 + ... */
	  NC_CHECK_EQ(nc_wire_decode_u32(&r, &v32), NC_WIRE_ERR_VARINT_RANGE); }
	{ READER(r, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02); /* bit 64 */
	  NC_CHECK_EQ(nc_wire_decode_u64(&r, &v64), NC_WIRE_ERR_VARINT_RANGE); }
}

NC_TEST(wire_reader, truncated_inputs)
{
	uint32_t v32;
	uint8_t raw[4];
	const uint8_t *p;
	size_t n;
	{ READER(r, 0x80);
	  NC_CHECK_EQ(nc_wire_decode_u32(&r, &v32), NC_WIRE_ERR_TRUNCATED); }
	{ nc_wire_reader_t r; nc_wire_reader_init(&r, NULL, 0);
	  bool b; NC_CHECK_EQ(nc_wire_decode_bool(&r, &b), NC_WIRE_ERR_TRUNCATED); }
	{ READER(r, 0x03, 'a', 'b');
	  NC_CHECK_EQ(nc_wire_decode_bytes(&r, 16, &p, &n), NC_WIRE_ERR_TRUNCATED);
	  NC_CHECK(p == NULL && n == 0 && r.pos == 0); }
	{ READER(r, 1, 2, 3);
	  NC_CHECK_EQ(nc_wire_decode_raw(&r, raw, 4), NC_WIRE_ERR_TRUNCATED); }
}

NC_TEST(wire_reader, trailing_bytes)
{
	READER(r, 0x05, 0x00);
	uint8_t v;
	NC_CHECK_EQ(nc_wire_decode_u8(&r, &v), NC_WIRE_OK);
	NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_ERR_TRAILING);
}

NC_TEST(wire_reader, bad_tags_and_limits)
{
	bool b;
	const uint8_t *p;
	size_t n;
	{ READER(r, 0x02); NC_CHECK_EQ(nc_wire_decode_bool(&r, &b), NC_WIRE_ERR_BAD_TAG); NC_CHECK_EQ(r.pos, 0); }
	{ READER(r, 0xff); NC_CHECK_EQ(nc_wire_decode_option(&r, &b), NC_WIRE_ERR_BAD_TAG); }
	{ READER(r, 0x03, 'a', 'b', 'c');
	  NC_CHECK_EQ(nc_wire_decode_bytes(&r, 2, &p, &n), NC_WIRE_ERR_TOO_LONG); }
	{ READER(r, 0x05); size_t len;
	  NC_CHECK_EQ(nc_wire_decode_len(&r, 4, &len), NC_WIRE_ERR_TOO_LONG); }
}

NC_TEST(wire_reader, errors_are_sticky)
{
	READER(r, 0x02, 0x01);
	bool b;
	NC_CHECK_EQ(nc_wire_decode_bool(&r, &b), NC_WIRE_ERR_BAD_TAG);
	uint8_t v = 9;
	NC_CHECK_EQ(nc_wire_decode_u8(&r, &v), NC_WIRE_ERR_BAD_TAG);
	NC_CHECK_EQ(v, 0);
	NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_ERR_BAD_TAG);
}

static nc_wire_err_t decode_one_str(const uint8_t *in, size_t n)
{
	nc_wire_reader_t r;
	const char *s;
	size_t len;
	nc_wire_reader_init(&r, in, n);
	nc_wire_decode_str(&r, 16, &s, &len);
	return nc_wire_reader_finish(&r);
}

#define STR_ERR(...) decode_one_str((const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ }))

NC_TEST(wire_reader, utf8_strictness)
{
	NC_CHECK_EQ(STR_ERR(0x02, 0xc3, 0xa9), NC_WIRE_OK);                  /* U+00E9 */
	NC_CHECK_EQ(STR_ERR(0x03, 0xe2, 0x82, 0xac), NC_WIRE_OK);            /* U+20AC */
	NC_CHECK_EQ(STR_ERR(0x04, 0xf0, 0x9f, 0x98, 0x80), NC_WIRE_OK);      /* U+1F600 */
	NC_CHECK_EQ(STR_ERR(0x04, 0xf4, 0x8f, 0xbf, 0xbf), NC_WIRE_OK);      /* U+10FFFF */
	NC_CHECK_EQ(STR_ERR(0x02, 0xc0, 0xaf), NC_WIRE_ERR_BAD_UTF8);        /* overlong '/' */
	NC_CHECK_EQ(STR_ERR(0x03, 0xe0, 0x80, 0xaf), NC_WIRE_ERR_BAD_UTF8);  /* overlong '/' */
	NC_CHECK_EQ(STR_ERR(0x03, 0xed, 0xa0, 0x80), NC_WIRE_ERR_BAD_UTF8);  /* surrogate U+D800 */
	NC_CHECK_EQ(STR_ERR(0x04, 0xf4, 0x90, 0x80, 0x80), NC_WIRE_ERR_BAD_UTF8); /* U+110000 */
	NC_CHECK_EQ(STR_ERR(0x01, 0x80), NC_WIRE_ERR_BAD_UTF8);              /* lone continuation */
	NC_CHECK_EQ(STR_ERR(0x02, 0xe2, 0x82), NC_WIRE_ERR_BAD_UTF8);        /* cut sequence */
	NC_CHECK_EQ(STR_ERR(0x01, 0xff), NC_WIRE_ERR_BAD_UTF8);
	NC_CHECK_EQ(STR_ERR(0x01, 0xf5), NC_WIRE_ERR_BAD_UTF8);
	NC_CHECK_EQ(STR_ERR(0x01, 0x00), NC_WIRE_OK); /* NUL is a valid code point */
}

NC_TEST(wire, err_names)
{
	NC_CHECK_STR(nc_wire_err_name(NC_WIRE_OK), "NC_WIRE_OK");
	NC_CHECK_STR(nc_wire_err_name(NC_WIRE_ERR_TRAILING), "NC_WIRE_ERR_TRAILING");
	NC_CHECK_STR(nc_wire_err_name((nc_wire_err_t)42), "NC_WIRE_ERR_UNKNOWN");
}

/* Round trip over many values: decode(encode(x)) == x and uses every byte. */
NC_TEST(wire, round_trip_u64_and_i64)
{
	uint8_t buf[NC_WIRE_VARINT_MAX_BYTES * 2];
	for (int shift = 0; shift < 64; shift++) {
		uint64_t vals[3] = { (uint64_t)1 << shift, ((uint64_t)1 << shift) - 1, ~(uint64_t)0 >> shift };
		for (int k = 0; k < 3; k++) {
			nc_wire_writer_t w;
			nc_wire_writer_init(&w, buf, sizeof buf);
			nc_wire_encode_u64(&w, vals[k]);
			nc_wire_encode_i64(&w, -(int64_t)(vals[k] >> 1));
			nc_wire_reader_t r;
			uint64_t u;
			int64_t s;
			nc_wire_reader_init(&r, buf, w.len_bytes);
			nc_wire_decode_u64(&r, &u);
			nc_wire_decode_i64(&r, &s);
			NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_OK);
			NC_CHECK(u == vals[k] && s == -(int64_t)(vals[k] >> 1));
		}
	}
}
